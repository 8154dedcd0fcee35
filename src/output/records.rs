//! Results for scripts: one JSON object a line, or CSV with a header. Both carry every field
//! of the item plus what the search adds (`score`, `snippet`) and what a journalist needs
//! to publish it (`credit_line`, `license_class`, `reusable`).

use serde::Serialize;
use serde_json::{Map, Value};
use std::io::{self, Write};

use super::printable::csv_cell;
use archive::search::record::HitRecord;
use archive::search::{Facets, Hit};

/// One JSON object a line.
pub(crate) fn json_lines(out: &mut impl Write, hits: &[Hit]) -> io::Result<()> {
    for hit in hits {
        serde_json::to_writer(&mut *out, &HitRecord::of(hit))?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// The last line of `--json --facets`.
pub(crate) fn json_facets(out: &mut impl Write, facets: &Facets) -> io::Result<()> {
    #[derive(Serialize)]
    struct Line<'a> {
        facets: &'a Facets,
    }
    serde_json::to_writer(&mut *out, &Line { facets })?;
    out.write_all(b"\n")
}

/// The CSV columns, in order: the item's fields as JSON names them, then the additions.
const COLUMNS: [&str; 31] = [
    "id",
    "kind",
    "title",
    "description",
    "tags",
    "campaigns",
    "creator",
    "license",
    "license_url",
    "license_class",
    "reusable",
    "credit_line",
    "taken_at",
    "published_at",
    "width",
    "height",
    "duration_seconds",
    "page_url",
    "media_url",
    "thumbnail_url",
    "sizes",
    "source",
    "collection",
    "collection_url",
    "found_via",
    "first_seen",
    "last_seen",
    "gone",
    "score",
    "snippet",
    // Added after the first release of the format: last, so no column moves.
    "discovery",
];

fn columns() -> impl Iterator<Item = &'static str> {
    COLUMNS.into_iter()
}

/// CSV with a header row; lists are joined with `; `, and a cell a spreadsheet would run as
/// a formula is quoted as text.
pub(crate) fn csv(out: &mut impl Write, hits: &[Hit]) -> io::Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(columns()).map_err(io_error)?;
    for hit in hits {
        let Value::Object(fields) = serde_json::to_value(HitRecord::of(hit))? else {
            continue;
        };
        writer
            .write_record(columns().map(|c| csv_cell(cell(&fields, c))))
            .map_err(io_error)?;
    }
    writer.flush()
}

/// A CSV cell from a JSON value: text as is, lists joined, nothing for null.
fn cell(fields: &Map<String, Value>, column: &str) -> String {
    match fields.get(column) {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(values)) => values.iter().map(flat).collect::<Vec<_>>().join("; "),
        Some(other) => flat(other),
    }
}

/// One value of a list: a size as `label WIDTHxHEIGHT url`, a discovery as
/// `platform account tag`.
fn flat(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Object(found) if found.contains_key("tag") => {
            let text = |k: &str| found.get(k).and_then(|v| v.as_str()).unwrap_or_default();
            format!("{} {} {}", text("platform"), text("account"), text("tag"))
        }
        Value::Object(size) => {
            let text = |k: &str| size.get(k).and_then(|v| v.as_str()).unwrap_or_default();
            let number = |k: &str| size.get(k).and_then(Value::as_u64);
            let dimensions = match (number("width"), number("height")) {
                (Some(w), Some(h)) => format!("{w}x{h}"),
                _ => String::new(),
            };
            [text("label"), &dimensions, text("url")]
                .into_iter()
                .filter(|part| !part.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        }
        other => other.to_string(),
    }
}

/// A CSV error that hides an I/O error (a closed pipe) gives that error back.
fn io_error(error: csv::Error) -> io::Error {
    match error.into_kind() {
        csv::ErrorKind::Io(error) => error,
        other => io::Error::other(format!("{other:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use archive::model::{Item, Kind, MediaSize, Source};
    use std::collections::BTreeSet;

    fn hit() -> Hit {
        let mut item = Item::new("flickr:1", Kind::Photo, Source::Flickr);
        item.title = Some("Soyuz, \"VS20\"".into());
        item.creator = Some("CNES".into());
        item.license = Some("CC BY 2.0".into());
        item.campaigns = vec!["CSO".into(), "VS20".into()];
        item.sizes = vec![MediaSize {
            label: Some("Original".into()),
            width: Some(5472),
            height: Some(3648),
            url: "https://live.staticflickr.com/o.jpg".into(),
        }];
        let mut hit = Hit::new(2.5, item);
        hit.snippet = Some("Soyuz, &quot;<b>VS20</b>&quot;".into());
        hit
    }

    #[test]
    fn json_adds_score_snippet_and_credit_to_the_item() {
        let mut out = Vec::new();
        json_lines(&mut out, &[hit()]).unwrap();
        let value: Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(value["score"], 2.5);
        assert_eq!(value["snippet"], "Soyuz, &quot;<b>VS20</b>&quot;");
        assert_eq!(value["credit_line"], "Photo: CNES · CC BY 2.0 · via Flickr");
        assert_eq!(value["license_class"], "cc-by");
        assert_eq!(value["reusable"], true);
        assert_eq!(value["campaigns"], serde_json::json!(["CSO", "VS20"]));
    }

    #[test]
    fn csv_has_exactly_the_json_fields() {
        let mut out = Vec::new();
        json_lines(&mut out, &[hit()]).unwrap();
        let Value::Object(json) = serde_json::from_slice(&out).unwrap() else {
            panic!("an object")
        };
        let json_fields: BTreeSet<&str> = json.keys().map(String::as_str).collect();
        let csv_fields: BTreeSet<&str> = columns().collect();
        assert_eq!(
            csv_fields, json_fields,
            "a field was added to one and not the other"
        );
    }

    #[test]
    fn csv_rows_quote_and_join() {
        let mut out = Vec::new();
        csv(&mut out, &[hit()]).unwrap();
        let text = String::from_utf8(out).unwrap();
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
        assert_eq!(header[0], "id");
        let row = reader.records().next().unwrap().unwrap();
        let get = |name: &str| row[header.iter().position(|h| h == name).unwrap()].to_string();
        assert_eq!(get("title"), "Soyuz, \"VS20\"");
        assert_eq!(get("campaigns"), "CSO; VS20");
        assert_eq!(
            get("sizes"),
            "Original 5472x3648 https://live.staticflickr.com/o.jpg"
        );
        assert_eq!(get("score"), "2.5");
        assert_eq!(get("taken_at"), "");
        assert_eq!(get("gone"), "false");
    }
}

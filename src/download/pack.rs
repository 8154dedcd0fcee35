//! The pack's own files: `manifest.json`, `manifest.csv`, `CREDITS.md` and `SHA256SUMS`,
//! each written whole to a temporary file and renamed into place, so that a kill leaves the
//! old one or the new one, never half of one.

use serde::Serialize;
use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::Path;

use super::entry::Entry;
use crate::media::rights::LicenseClass;

/// The manifest's columns in CSV.
const COLUMNS: [&str; 14] = [
    "id",
    "file",
    "bytes",
    "sha256",
    "media_url",
    "page_url",
    "credit_line",
    "license",
    "license_url",
    "reusable",
    "campaigns",
    "status",
    "title",
    "reason",
];

/// `manifest.json` as a whole.
#[derive(Serialize)]
struct Manifest<'a> {
    /// The query and filters that chose the items.
    query: &'a str,
    generated_at: String,
    items: &'a [Entry],
}

/// Writes the four files into `dir`.
///
/// # Errors
/// When one cannot be written.
pub(super) fn write(dir: &Path, query: &str, entries: &[Entry]) -> io::Result<()> {
    let manifest = Manifest {
        query,
        generated_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        items: entries,
    };
    let mut json = serde_json::to_vec_pretty(&manifest)?;
    json.push(b'\n');
    write_atomically(&dir.join("manifest.json"), &json)?;
    write_atomically(&dir.join("manifest.csv"), &csv(entries)?)?;
    write_atomically(&dir.join("CREDITS.md"), credits(entries).as_bytes())?;
    write_atomically(&dir.join("SHA256SUMS"), sums(entries).as_bytes())
}

/// Writes `bytes` to `path` through a temporary file renamed over it.
///
/// # Errors
/// When the temporary file cannot be written or renamed.
pub(super) fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".tmp");
    let temporary = path.with_file_name(name);
    let mut file = std::fs::File::create(&temporary)?;
    file.write_all(bytes)?;
    drop(file);
    std::fs::rename(&temporary, path)
}

fn csv(entries: &[Entry]) -> io::Result<Vec<u8>> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(COLUMNS).map_err(io::Error::other)?;
    for entry in entries {
        writer.write_record(row(entry)).map_err(io::Error::other)?;
    }
    writer
        .into_inner()
        .map_err(|e| io::Error::other(e.to_string()))
}

fn row(entry: &Entry) -> [String; 14] {
    let text = |value: &Option<String>| cell(value.as_deref().unwrap_or_default());
    [
        cell(&entry.id),
        text(&entry.file),
        entry.bytes.map(|b| b.to_string()).unwrap_or_default(),
        text(&entry.sha256),
        text(&entry.media_url),
        text(&entry.page_url),
        cell(&entry.credit_line),
        text(&entry.license),
        text(&entry.license_url),
        entry.reusable.to_string(),
        cell(&entry.campaigns.join("; ")),
        entry.status.as_str().to_string(),
        text(&entry.title),
        text(&entry.reason),
    ]
}

/// A cell a spreadsheet will not run: text from the web that starts like a formula gets a
/// leading apostrophe (OWASP's advice against CSV injection), and controls are dropped.
fn cell(text: &str) -> String {
    let text: String = text
        .chars()
        .filter(|c| !c.is_control() || *c == '\n')
        .collect();
    if text.starts_with(['=', '+', '-', '@']) {
        format!("'{text}")
    } else {
        text
    }
}

/// `SHA256SUMS` as `sha256sum -c` reads it: every file in the pack, earlier versions
/// included.
fn sums(entries: &[Entry]) -> String {
    let mut lines: Vec<String> = Vec::new();
    for entry in entries.iter().filter(|e| e.in_pack()) {
        if let (Some(file), Some(sha)) = (&entry.file, &entry.sha256) {
            lines.push(format!("{sha}  {file}"));
        }
        lines.extend(
            entry
                .previous
                .iter()
                .map(|p| format!("{}  {}", p.sha256, p.file)),
        );
    }
    lines.sort_by(|a, b| a[66..].cmp(&b[66..]));
    lines.iter().map(|l| format!("{l}\n")).collect()
}

/// `CREDITS.md`: the credit lines of the files in the pack, by licence, those a newsroom
/// may publish first; the others under a warning, each marked.
fn credits(entries: &[Entry]) -> String {
    let mut groups: BTreeMap<(bool, String), BTreeMap<String, Vec<&Entry>>> = BTreeMap::new();
    for entry in entries.iter().filter(|e| e.in_pack()) {
        let license = entry
            .license
            .clone()
            .unwrap_or_else(|| "No licence stated".into());
        groups
            .entry((!entry.reusable, license))
            .or_default()
            .entry(entry.credit_line.clone())
            .or_default()
            .push(entry);
    }
    let mut out = String::from(
        "# Credits\n\nThe credit lines of the files in this pack, by licence, ready to paste.\n",
    );
    let mut warned = false;
    for ((restricted, license), lines) in &groups {
        if *restricted && !warned {
            out.push_str(
                "\n## Not reusable without asking\n\nThese files may not be published without \
                 the rights holder's permission.\n",
            );
            warned = true;
        }
        let class = class_of(lines);
        let level = if *restricted { "###" } else { "##" };
        out.push_str(&format!(
            "\n{level} {} — {}\n\n",
            markdown(license),
            class.advice()
        ));
        for (credit, items) in lines {
            let mark = if *restricted { "**NOT REUSABLE** " } else { "" };
            out.push_str(&format!("- {mark}{}\n", markdown(credit)));
            for entry in items {
                let file = entry.file.as_deref().unwrap_or_default();
                let title = entry.title.as_deref().map(markdown).unwrap_or_default();
                out.push_str(&format!("  - `{file}` {title}\n"));
            }
        }
    }
    out
}

/// The licence class of a group of entries (they share a licence name, so a class).
fn class_of(lines: &BTreeMap<String, Vec<&Entry>>) -> LicenseClass {
    let key = lines
        .values()
        .flatten()
        .next()
        .map(|e| e.license_class.as_str())
        .unwrap_or_default();
    LicenseClass::ALL
        .into_iter()
        .find(|c| c.key() == key)
        .unwrap_or(LicenseClass::Unknown)
}

/// Web text as Markdown text: on one line, its markup characters escaped, so a title cannot
/// become a link, a heading or HTML.
pub(super) fn markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '|' | '!' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::download::entry::{Previous, Status};
    use crate::model::{Item, Kind, Source};

    fn entry(id: &str, license: &str, url: &str, file: &str) -> Entry {
        let mut item = Item::new(id, Kind::Photo, Source::Flickr);
        item.creator = Some("CNES".into());
        item.license = Some(license.into());
        item.license_url = Some(url.into());
        item.title = Some("=HYPERLINK(\"http://evil\") *bold* <b>".into());
        let mut entry = Entry::of(&item, Status::Downloaded);
        entry.file = Some(file.into());
        entry.sha256 = Some("ab".repeat(32));
        entry
    }

    #[test]
    fn credits_put_reusable_licences_first_and_mark_the_others() {
        let entries = [
            entry(
                "flickr:1",
                "CC BY-NC 2.0",
                "https://creativecommons.org/licenses/by-nc/2.0/",
                "VS20/a.jpg",
            ),
            entry(
                "flickr:2",
                "CC BY-SA 2.0",
                "https://creativecommons.org/licenses/by-sa/2.0/",
                "VS20/b.jpg",
            ),
        ];
        let text = credits(&entries);
        let free = text.find("## CC BY-SA 2.0 — reusable with credit").unwrap();
        let warning = text.find("## Not reusable without asking").unwrap();
        let restricted = text.find("### CC BY-NC 2.0").unwrap();
        assert!(free < warning && warning < restricted, "{text}");
        assert!(text.contains("- **NOT REUSABLE** Photo: CNES · CC BY-NC 2.0 · via Flickr"));
        assert!(text.contains("\\*bold\\* &lt;b&gt;"), "{text}");
    }

    #[test]
    fn sums_list_every_file_and_earlier_version_by_path() {
        let mut a = entry("flickr:1", "CC BY 2.0", "", "VS20/b.jpg");
        a.previous.push(Previous {
            file: "VS20/b.1.jpg".into(),
            bytes: 1,
            sha256: "cd".repeat(32),
        });
        let mut failed = entry("flickr:2", "CC BY 2.0", "", "VS20/c.jpg");
        failed.status = Status::Failed;
        failed.sha256 = None;
        let text = sums(&[a, failed]);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2);
        assert!(lines[0].ends_with("  VS20/b.1.jpg") && lines[1].ends_with("  VS20/b.jpg"));
    }

    #[test]
    fn csv_cells_cannot_be_formulas() {
        let bytes = csv(&[entry("flickr:1", "-1+1", "", "VS20/a.jpg")]).unwrap();
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.starts_with("id,file,bytes,sha256,"));
        assert!(text.contains(",'-1+1,"), "{text}");
        assert!(
            text.contains("\"'=HYPERLINK(\"\"http://evil\"\") *bold* <b>\""),
            "{text}"
        );
    }
}

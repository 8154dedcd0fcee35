//! MediaWiki's answers as items: a page with its `imageinfo` and `extmetadata`
//! (formatversion 2), the continuation, the errors inside HTTP 200.
//!
//! `extmetadata` values are HTML (links, `<span>`, `<bdi>`, entities), sometimes one value
//! per language (`{"en": …, "fr": …, "_type": "lang"}`), sometimes numbers.
//!
//! Public, as pure readers of untrusted answers, so that the fuzz targets (`fuzz/`) read
//! answers through the same functions as the crawl.

use serde_json::{Map, Value};

use super::urls::{item_id, page_url};
use crate::media::dates;
use crate::model::{Item, Kind, MediaSize, Source, When};
use crate::sources::platform::json::{at, count, count32, plain, plain_text, strings, text, url};

/// What one answer held: files as items, subcategories, missing titles, and how to go on.
#[derive(Debug, Default)]
pub struct Batch {
    /// Files, in the answer's order.
    pub items: Vec<Item>,
    /// Subcategories' titles (`Category:…`).
    pub subcategories: Vec<String>,
    /// Titles that do not exist.
    pub missing: Vec<String>,
    /// Every key of `continue`, to send back unchanged; empty when done.
    pub next: Vec<(String, String)>,
}

/// Reads one answer, describing text in the first of `languages` Commons has.
pub fn batch(answer: &Value, languages: &[&str]) -> Batch {
    let mut batch = Batch::default();
    let pages = at(answer, &["query", "pages"]);
    // formatversion 2 sends a list; 1 an object keyed by page id.
    let pages: Vec<&Value> = match pages {
        Some(Value::Array(pages)) => pages.iter().collect(),
        Some(Value::Object(pages)) => pages.values().collect(),
        _ => Vec::new(),
    };
    for page in pages {
        let title = text(page.get("title")).unwrap_or_default();
        if page.get("missing").is_some() || page.get("invalid").is_some() {
            batch.missing.push(title);
        } else if count(page.get("ns")) == Some(14) {
            batch.subcategories.push(title);
        } else if let Some(item) = file(page, languages) {
            batch.items.push(item);
        }
    }
    if let Some(Value::Object(next)) = answer.get("continue") {
        batch.next = next
            .iter()
            .filter_map(|(k, v)| Some((k.clone(), text(Some(v))?)))
            .collect();
    }
    batch
}

/// A file page as an item; `None` for what is not media (a PDF, a page without info).
fn file(page: &Value, languages: &[&str]) -> Option<Item> {
    let title = text(page.get("title"))?;
    let info = page.get("imageinfo")?.as_array()?.first()?;
    let kind = kind(info)?;
    let meta = info.get("extmetadata").and_then(Value::as_object);
    let field = |name: &str| meta.and_then(|m| localized(m.get(name)?, languages));
    let mut item = Item::new(item_id(&title), kind, Source::Commons);
    let name = title.trim_start_matches("File:");
    item.title = field("ObjectName")
        .and_then(|t| plain_text(&t))
        .or_else(|| plain_text(name.rsplit_once('.').map_or(name, |(stem, _)| stem)));
    item.description = field("ImageDescription").and_then(|d| plain_text(&d));
    item.creator = field("Artist")
        .and_then(|a| plain_text(&a))
        .or_else(|| {
            field("Credit")
                .and_then(|c| plain_text(&c))
                .filter(|c| !is_own_work(c))
        })
        .or_else(|| plain(info.get("user")));
    item.license = field("LicenseShortName").and_then(|l| plain_text(&l));
    item.license_url = field("LicenseUrl").and_then(|u| url(Some(&Value::String(u))));
    item.taken_at = field("DateTimeOriginal").and_then(|d| taken(&d));
    item.published_at = text(info.get("timestamp")).and_then(|t| dates::parse(&t));
    item.tags = field("Categories")
        .map(|c| strings(Some(&Value::String(c)), '|'))
        .unwrap_or_default();
    item.page_url = url(info.get("descriptionurl")).or_else(|| Some(page_url(&title)));
    item.media_url = url(info.get("url"));
    item.width = count32(info.get("width")).filter(|w| *w > 0);
    item.height = count32(info.get("height")).filter(|h| *h > 0);
    item.duration_seconds = info
        .get("duration")
        .and_then(|d| d.as_f64().or_else(|| text(Some(d))?.parse().ok()))
        .filter(|d| d.is_finite() && *d > 0.0)
        .map(|d| d.round() as u32);
    item.thumbnail_url = url(info.get("thumburl"));
    item.sizes = sizes(info);
    Some(item)
}

/// Photos (bitmaps and drawings), videos and sounds; documents are not media.
fn kind(info: &Value) -> Option<Kind> {
    let media = text(info.get("mediatype")).unwrap_or_default();
    let mime = text(info.get("mime")).unwrap_or_default();
    match media.as_str() {
        "BITMAP" | "DRAWING" => Some(Kind::Photo),
        "VIDEO" => Some(Kind::Video),
        "AUDIO" => Some(Kind::Audio),
        _ if mime.starts_with("image/") => Some(Kind::Photo),
        _ if mime.starts_with("video/") => Some(Kind::Video),
        _ if mime.starts_with("audio/") => Some(Kind::Audio),
        _ => None,
    }
}

/// A value as text, in the first wanted language, else English, else any; numbers as
/// text.
fn localized(entry: &Value, languages: &[&str]) -> Option<String> {
    match entry.get("value")? {
        Value::Object(by_language) => pick(by_language, languages),
        other => text(Some(other)),
    }
}

fn pick(by_language: &Map<String, Value>, languages: &[&str]) -> Option<String> {
    languages
        .iter()
        .chain(["en"].iter())
        .find_map(|l| text(by_language.get(*l)))
        .or_else(|| {
            by_language
                .iter()
                .filter(|(k, _)| !k.starts_with('_'))
                .find_map(|(_, v)| text(Some(v)))
        })
}

/// `DateTimeOriginal` is free text from the file's page: a date at any precision, or a
/// `<time datetime="…">` element, or prose ("circa 1885"), which gives no date.
fn taken(text_or_html: &str) -> Option<When> {
    let datetime = text_or_html
        .split("datetime=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next());
    let written = match datetime {
        Some(value) => value.to_string(),
        None => plain_text(text_or_html)?,
    };
    dates::parse(&written)
}

/// The original, then the scaled thumbnail, when they are listed.
fn sizes(info: &Value) -> Vec<MediaSize> {
    let mut sizes = Vec::new();
    for (label, link, width, height) in [
        ("Original", "url", "width", "height"),
        ("Thumbnail", "thumburl", "thumbwidth", "thumbheight"),
    ] {
        if let Some(link) = url(info.get(link)) {
            sizes.push(MediaSize {
                label: Some(label.into()),
                width: count32(info.get(width)).filter(|w| *w > 0),
                height: count32(info.get(height)).filter(|h| *h > 0),
                url: link,
            });
        }
    }
    crate::model::largest_first(&mut sizes);
    sizes
}

/// Commons' "Own work": says who uploaded, not who to credit.
fn is_own_work(credit: &str) -> bool {
    let lower = credit.to_lowercase();
    lower == "own work" || lower == "travail personnel" || lower == "eigenes werk"
}

/// MediaWiki's error, in HTTP 200 as always: its code (`maxlag`, `badvalue`) and text.
pub fn error(answer: &Value) -> Option<(String, String)> {
    let error = answer.get("error")?;
    let code = text(error.get("code")).unwrap_or_default();
    let info = plain(error.get("info")).unwrap_or_else(|| "no message".into());
    Some((code, info))
}

/// A lagging database passes by itself.
pub(super) fn momentary(code: &str) -> bool {
    matches!(code, "maxlag" | "ratelimited")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn answer() -> Value {
        json!({"continue":{"gcmcontinue":"file|4d41|4615116","continue":"gcmcontinue||"},
          "query":{"pages":[
            {"pageid":81754323,"ns":6,"title":"File:Soyuz VS20 liftoff.jpg","imagerepository":"local",
             "imageinfo":[{"timestamp":"2018-12-19T08:12:00Z","user":"Uploader","size":11863148,
               "width":"5514","height":3102,"mime":"image/jpeg","mediatype":"BITMAP",
               "url":"https://upload.wikimedia.org/wikipedia/commons/2/25/Soyuz_VS20_liftoff.jpg",
               "descriptionurl":"https://commons.wikimedia.org/wiki/File:Soyuz_VS20_liftoff.jpg",
               "thumburl":"https://upload.wikimedia.org/wikipedia/commons/thumb/2/25/Soyuz_VS20_liftoff.jpg/1280px-Soyuz_VS20_liftoff.jpg",
               "thumbwidth":1280,"thumbheight":720,
               "extmetadata":{
                 "ObjectName":{"value":"Soyuz VS20 liftoff","source":"mediawiki-metadata"},
                 "ImageDescription":{"value":{"en":"Liftoff of <a href=\"//commons.wikimedia.org/wiki/Soyuz\">Soyuz</a> flight VS20","fr":"Décollage du vol VS20","_type":"lang"},"source":"commons-desc-page"},
                 "Artist":{"value":"<bdi><a href=\"//www.esa.int\">ESA</a>–<a href=\"//commons.wikimedia.org/wiki/User:X\">S. Corvaja</a></bdi>","source":"commons-desc-page"},
                 "Credit":{"value":"<span class=\"int-own-work\" lang=\"en\">Own work</span>","source":"commons-desc-page","hidden":""},
                 "LicenseShortName":{"value":"CC BY-SA 3.0 igo","source":"commons-desc-page"},
                 "LicenseUrl":{"value":"https://creativecommons.org/licenses/by-sa/3.0/igo/deed.en","source":"commons-desc-page"},
                 "DateTimeOriginal":{"value":"<time class=\"dtstart\" datetime=\"2018-12-18\">18 December 2018</time>","source":"commons-desc-page"},
                 "Categories":{"value":"Soyuz VS20|CSO-1","source":"commons-categories"},
                 "CommonsMetadataExtension":{"value":1.2,"source":"extension"}}}]},
            {"pageid":71,"ns":14,"title":"Category:CSO-1 in the clean room"},
            {"pageid":72,"ns":6,"title":"File:VS20 press kit.pdf",
             "imageinfo":[{"mime":"application/pdf","mediatype":"OFFICE","url":"https://upload.wikimedia.org/x.pdf"}]},
            {"ns":6,"title":"File:Gone.jpg","missing":true}]}})
    }

    #[test]
    fn a_file_with_html_metadata_in_several_languages() {
        let batch = batch(&answer(), &["fr"]);
        let [item] = batch.items.as_slice() else {
            panic!("one file: {:?}", batch.items)
        };
        assert_eq!(item.id, "commons:Soyuz_VS20_liftoff.jpg");
        assert_eq!(item.kind, Kind::Photo);
        assert_eq!(item.description.as_deref(), Some("Décollage du vol VS20"));
        assert_eq!(item.creator.as_deref(), Some("ESA–S. Corvaja"));
        assert_eq!(item.license.as_deref(), Some("CC BY-SA 3.0 igo"));
        assert_eq!(
            item.taken_at.map(|t| t.to_string()).as_deref(),
            Some("2018-12-18")
        );
        assert_eq!(item.width, Some(5514), "a string for a number");
        assert_eq!(item.tags, ["Soyuz VS20", "CSO-1"]);
        assert_eq!(item.sizes.len(), 2);
        assert_eq!(batch.subcategories, ["Category:CSO-1 in the clean room"]);
        assert_eq!(batch.missing, ["File:Gone.jpg"]);
        assert!(
            batch
                .next
                .contains(&("gcmcontinue".into(), "file|4d41|4615116".into()))
        );
        let english = super::batch(&answer(), &[]);
        assert_eq!(
            english.items[0].description.as_deref(),
            Some("Liftoff of Soyuz flight VS20")
        );
    }

    #[test]
    fn dates_taken_keep_their_precision_and_prose_gives_none() {
        assert_eq!(
            taken("2012-09-25 16:23:02")
                .map(|t| t.to_string())
                .as_deref(),
            Some("2012-09-25T16:23:02")
        );
        assert_eq!(
            taken("1943").map(|t| t.to_string()).as_deref(),
            Some("1943")
        );
        assert_eq!(taken("circa 1885-1890"), None);
    }

    #[test]
    fn maxlag_is_an_error_that_passes() {
        let lag = json!({"error":{"code":"maxlag","info":"Waiting for 10.64.16.8: 7 seconds lagged.","lag":7}});
        let (code, info) = error(&lag).unwrap();
        assert!(momentary(&code));
        assert!(info.contains("7 seconds"));
        assert!(!momentary("badvalue"));
    }
}

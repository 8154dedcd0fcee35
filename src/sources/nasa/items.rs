//! The NASA library's answers as items: a search hit (Collection+JSON), an asset's
//! manifest of files, and its `metadata.json` (exiftool's group-prefixed keys).
//!
//! There is no licence field: NASA's media usage guidelines apply ("generally not subject
//! to copyright in the United States"), except to third-party material, which is marked
//! with its holder's name and is not covered.
//!
//! Public, as pure readers of untrusted answers, so that the fuzz targets (`fuzz/`) read
//! answers through the same functions as the crawl.

use serde_json::Value;
use url::Url;

use super::urls::details_url;
use crate::media::dates;
use crate::media::duration::duration_seconds;
use crate::model::{Item, Kind, MediaSize, Source, When};
use crate::sources::platform::json::{at, plain, strings, text};

/// The licence NASA's own media carry.
pub(super) const NASA_LICENSE: &str =
    "United States Government Work (NASA media guidelines: not copyrighted unless noted)";
/// NASA's media usage guidelines.
pub(super) const NASA_GUIDELINES: &str = "https://www.nasa.gov/nasa-brand-center/images-and-media/";

/// Holders whose material NASA's library carries but does not own.
const THIRD_PARTIES: [&str; 8] = [
    "ESA",
    "STScI",
    "SOHO",
    "Roscosmos",
    "JAXA",
    "CNES",
    "Arianespace",
    "University",
];

/// A search hit as an item, without its files yet.
pub fn hit(hit: &Value) -> Option<Item> {
    let data = hit.get("data")?.as_array()?.first()?;
    let id = text(data.get("nasa_id"))?;
    let kind = match text(data.get("media_type")).as_deref() {
        Some("video") => Kind::Video,
        Some("audio") => Kind::Audio,
        _ => Kind::Photo,
    };
    let mut item = Item::new(format!("nasa:{id}"), kind, Source::Nasa);
    item.title = plain(data.get("title"));
    item.description = plain(data.get("description"));
    item.tags = strings(data.get("keywords"), ',');
    item.taken_at = text(data.get("date_created")).and_then(|d| created(&d));
    item.creator = credit(data);
    item.page_url = Some(details_url(&id));
    item.thumbnail_url = hit
        .get("links")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .find(|l| text(l.get("rel")).as_deref() == Some("preview"))
        .and_then(|l| https(&text(l.get("href"))?));
    let (license, url) = rights(data);
    item.license = Some(license);
    item.license_url = url.map(str::to_string);
    Some(item)
}

/// `date_created` carries a midnight placeholder when only the day is known.
fn created(text: &str) -> Option<When> {
    match text.split_once('T') {
        Some((day, time)) if time.starts_with("00:00:00") => dates::parse(day),
        _ => dates::parse(text),
    }
}

/// The photographer (or secondary creator) with the NASA centre.
fn credit(data: &Value) -> Option<String> {
    let person = plain(data.get("photographer")).or_else(|| plain(data.get("secondary_creator")));
    let center = text(data.get("center")).map(|c| format!("NASA {c}"));
    match (person, center) {
        (Some(person), Some(center)) => Some(format!("{person} ({center})")),
        (person, center) => person.or(center),
    }
}

/// NASA's guidelines, unless the hit names a third party's rights.
fn rights(data: &Value) -> (String, Option<&'static str>) {
    let named = [data.get("photographer"), data.get("secondary_creator")]
        .into_iter()
        .filter_map(|v| plain(v))
        .find_map(|who| {
            THIRD_PARTIES
                .iter()
                .find(|party| who.contains(*party))
                .map(|_| who)
        });
    let noted = plain(data.get("description")).and_then(|d| {
        let at = d.find('©').or_else(|| d.to_lowercase().find("copyright"))?;
        Some(d[at..].chars().take(80).collect::<String>())
    });
    match named.or(noted) {
        Some(holder) => (
            format!(
                "Copyright {}: third-party material, not covered by NASA's guidelines",
                holder.trim_start_matches('©').trim()
            ),
            None,
        ),
        None => (NASA_LICENSE.to_string(), Some(NASA_GUIDELINES)),
    }
}

/// The files of an asset's manifest, by rendition, and its `metadata.json`.
#[derive(Debug, Default, PartialEq)]
pub struct Manifest {
    /// `~orig`, `~large`, `~medium`, `~small`, `~thumb`, `~mobile`, `~preview` files.
    pub files: Vec<(String, String)>,
    /// Where the exiftool metadata is.
    pub metadata: Option<String>,
}

/// Reads `/asset/{id}` (`collection.items[].href`) or a bare list of URLs
/// (`collection.json`).
pub fn manifest(answer: &Value) -> Manifest {
    let hrefs: Vec<String> = match answer {
        Value::Array(list) => list.iter().filter_map(|v| text(Some(v))).collect(),
        _ => at(answer, &["collection", "items"])
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|i| text(i.get("href")))
            .collect(),
    };
    let mut manifest = Manifest::default();
    for href in hrefs.iter().filter_map(|h| https(h)) {
        if href.ends_with("/metadata.json") {
            manifest.metadata = Some(href);
        } else if let Some(label) = rendition(&href) {
            manifest.files.push((label, href));
        }
    }
    manifest
}

/// `orig` for `…~orig.jpg`.
fn rendition(href: &str) -> Option<String> {
    let name = href.rsplit('/').next()?;
    let (_, tail) = name.rsplit_once('~')?;
    let label = tail.split('.').next()?;
    (!label.is_empty()).then(|| label.to_string())
}

/// Applies a manifest: the original as the file, every rendition as a size, the smallest
/// still image as the preview.
pub fn apply_manifest(item: &mut Item, manifest: &Manifest) {
    let order = [
        "orig", "large", "medium", "small", "mobile", "preview", "thumb",
    ];
    let rank = |label: &str| {
        order
            .iter()
            .position(|o| *o == label)
            .unwrap_or(order.len())
    };
    let mut files = manifest.files.clone();
    files.sort_by_key(|(label, _)| rank(label));
    let is_media = |href: &str| !href.ends_with(".srt") && !href.ends_with(".vtt");
    item.media_url = files
        .iter()
        .find(|(_, h)| is_media(h))
        .map(|(_, h)| h.clone());
    if let Some((_, thumb)) = files.iter().find(|(l, _)| l == "thumb") {
        item.thumbnail_url = Some(thumb.clone());
    }
    item.sizes = files
        .iter()
        .filter(|(_, h)| is_media(h))
        .map(|(label, href)| MediaSize {
            label: Some(label.clone()),
            width: None,
            height: None,
            url: href.clone(),
        })
        .collect();
}

/// Applies `metadata.json`: the original's size, a video's or sound's duration, and the
/// camera's date when it is there.
pub fn apply_metadata(item: &mut Item, metadata: &Value) {
    let field = |names: &[&str]| names.iter().find_map(|n| text(metadata.get(*n)));
    let size = field(&["Composite:ImageSize"]).and_then(|s| {
        let (w, h) = s.split_once(['x', ' '])?;
        Some((w.trim().parse().ok()?, h.trim().parse().ok()?))
    });
    let width = field(&[
        "File:ImageWidth",
        "EXIF:ExifImageWidth",
        "QuickTime:ImageWidth",
    ])
    .and_then(|w| w.parse().ok());
    let height = field(&[
        "File:ImageHeight",
        "EXIF:ExifImageHeight",
        "QuickTime:ImageHeight",
    ])
    .and_then(|h| h.parse().ok());
    let (width, height) = size.map_or((width, height), |(w, h)| (Some(w), Some(h)));
    item.width = width.filter(|w| *w > 0);
    item.height = height.filter(|h| *h > 0);
    if let Some(original) = item
        .sizes
        .iter_mut()
        .find(|s| s.label.as_deref() == Some("orig"))
    {
        original.width = item.width;
        original.height = item.height;
    }
    item.duration_seconds = field(&["Composite:Duration", "QuickTime:Duration", "Audio:Duration"])
        .and_then(|d| duration_seconds(d.trim_end_matches(" s").trim_end_matches(" (approx)")))
        .filter(|s| *s > 0)
        .or(item.duration_seconds);
    if let Some(taken) = field(&["EXIF:DateTimeOriginal"]).and_then(|d| exif_date(&d)) {
        item.taken_at = Some(taken);
    }
}

/// EXIF writes `2018:12:18 16:37:14`: a local time.
fn exif_date(text: &str) -> Option<When> {
    let (day, time) = text.split_once(' ')?;
    dates::parse(&format!("{} {time}", day.replace(':', "-")))
}

/// NASA's URLs are often `http://`; its hosts serve the same files over https.
fn https(href: &str) -> Option<String> {
    let mut url = Url::parse(href.trim()).ok()?;
    let nasa = url.host_str().is_some_and(|h| h.ends_with("nasa.gov"));
    if nasa && url.scheme() == "http" {
        url.set_scheme("https").ok()?;
    }
    matches!(url.scheme(), "http" | "https").then(|| url.to_string())
}

/// The API's error: `{"reason": "…"}`.
pub fn error(answer: &Value) -> Option<(String, String)> {
    let reason = plain(answer.get("reason"))?;
    Some((String::new(), reason))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_hit_with_a_midnight_placeholder_and_a_third_party_photographer() {
        let nasa = json!({"href":"https://images-assets.nasa.gov/image/iss057e114297/collection.json",
          "data":[{"nasa_id":"iss057e114297","title":"Kourou from the ISS","media_type":"image",
            "description":"French Guiana &amp; the <b>Guiana Space Centre</b>.","date_created":"2018-12-18T00:00:00Z",
            "center":"JSC","keywords":["ISS","Kourou"]}],
          "links":[{"href":"http://images-assets.nasa.gov/image/iss057e114297/iss057e114297~thumb.jpg","rel":"preview","render":"image"}]});
        let item = hit(&nasa).unwrap();
        assert_eq!(item.id, "nasa:iss057e114297");
        assert_eq!(
            item.taken_at.map(|t| t.to_string()).as_deref(),
            Some("2018-12-18")
        );
        assert_eq!(
            item.description.as_deref(),
            Some("French Guiana & the Guiana Space Centre.")
        );
        assert_eq!(item.creator.as_deref(), Some("NASA JSC"));
        assert_eq!(item.license.as_deref(), Some(NASA_LICENSE));
        assert!(item.thumbnail_url.unwrap().starts_with("https://"));
        let esa = json!({"data":[{"nasa_id":"x","media_type":"image","photographer":"ESA/S. Corvaja","center":"HQ"}]});
        let item = hit(&esa).unwrap();
        assert_eq!(item.creator.as_deref(), Some("ESA/S. Corvaja (NASA HQ)"));
        assert!(
            item.license
                .unwrap()
                .starts_with("Copyright ESA/S. Corvaja")
        );
        assert_eq!(item.license_url, None);
    }

    #[test]
    fn a_manifest_and_its_metadata_give_the_files_size_and_duration() {
        let answer = json!({"collection":{"version":"1.0","href":"x","items":[
            {"href":"http://images-assets.nasa.gov/video/VS20/VS20~orig.mp4"},
            {"href":"http://images-assets.nasa.gov/video/VS20/VS20~mobile.mp4"},
            {"href":"http://images-assets.nasa.gov/video/VS20/VS20~thumb.jpg"},
            {"href":"http://images-assets.nasa.gov/video/VS20/VS20.srt"},
            {"href":"http://images-assets.nasa.gov/video/VS20/metadata.json"}]}});
        let manifest = manifest(&answer);
        assert_eq!(
            manifest.metadata.as_deref(),
            Some("https://images-assets.nasa.gov/video/VS20/metadata.json")
        );
        let mut item = Item::new("nasa:VS20", Kind::Video, Source::Nasa);
        apply_manifest(&mut item, &manifest);
        assert_eq!(
            item.media_url.as_deref(),
            Some("https://images-assets.nasa.gov/video/VS20/VS20~orig.mp4")
        );
        assert_eq!(item.sizes.len(), 3);
        apply_metadata(
            &mut item,
            &json!({"AVAIL:NASAID":"VS20","Composite:ImageSize":"1920x1080",
            "QuickTime:Duration":"0:01:43","EXIF:DateTimeOriginal":"2018:12:18 16:37:14"}),
        );
        assert_eq!((item.width, item.height), (Some(1920), Some(1080)));
        assert_eq!(item.sizes[0].width, Some(1920));
        assert_eq!(item.duration_seconds, Some(103));
        assert_eq!(
            item.taken_at.map(|t| t.to_string()).as_deref(),
            Some("2018-12-18T16:37:14")
        );
        apply_metadata(&mut item, &json!({"Composite:Duration":"12.48 s"}));
        assert_eq!(item.duration_seconds, Some(12));
    }
}

//! The JSON the Flickr REST API answers, read leniently.
//!
//! Flickr is inconsistent across methods and years: a number may come as `3` or `"3"`, a title
//! as `"x"` (getPhotos) or `{"_content": "x"}` (getInfo), a field may be missing or `null`.
//! Every field here goes through one of four helpers ([`text`], [`number`], [`list`],
//! [`object`]) that accept all of these and turn anything unexpected into "absent" rather than
//! an error, so one odd field never costs a whole album.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};

/// Why a 200 response body is not the answer asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum BodyError {
    /// `{"stat":"fail","code":…,"message":…}`: Flickr said no.
    Api {
        /// Flickr's error code; 0 when the body gave none.
        code: u32,
        /// Flickr's message.
        message: String,
    },
    /// Not JSON, cut short, or JSON of the wrong shape.
    Malformed(String),
}

/// Parses a REST response body into `T`, after unwrapping JSONP and checking `stat`.
pub(crate) fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, BodyError> {
    let text = String::from_utf8_lossy(body);
    let json = strip_jsonp(&text);
    // Nearly every body is a success of the shape asked for: read straight into it, without
    // the whole document as a `Value` first (twice as fast on a page of 500 photos). A body
    // that may be a failure (it says "fail" somewhere) or that does not fit is read the
    // careful way below, so failures and errors read as they always did.
    if !json.contains("\"fail\"")
        && let Ok(typed) = serde_json::from_str::<T>(json)
    {
        return Ok(typed);
    }
    let value: Value = match super::xml::to_json(json) {
        Some(value) => value,
        None => serde_json::from_str(json).map_err(|e| not_json(json, &e))?,
    };
    if let Some(failure) = failure(&value) {
        return Err(failure);
    }
    serde_json::from_value(value).map_err(|e| BodyError::Malformed(format!("unexpected JSON: {e}")))
}

/// The JSON inside `jsonFlickrApi(…);`, which Flickr sends when `nojsoncallback` is lost
/// (a proxy or a replayed recording may drop it); plain JSON is returned unchanged.
fn strip_jsonp(text: &str) -> &str {
    let text = text.trim_start_matches('\u{feff}').trim();
    if text.starts_with(['{', '[']) {
        return text;
    }
    let Some((callback, rest)) = text.split_once('(') else {
        return text;
    };
    let is_callback = !callback.trim().is_empty()
        && callback
            .trim()
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'$' | b'.'));
    if !is_callback {
        return text;
    }
    let rest = rest.trim_end().trim_end_matches(';').trim_end();
    rest.strip_suffix(')').unwrap_or(rest)
}

fn not_json(json: &str, error: &serde_json::Error) -> BodyError {
    if error.is_eof() {
        return BodyError::Malformed(format!("truncated JSON ({error})"));
    }
    let start: String = json.chars().take(40).collect();
    BodyError::Malformed(format!("not JSON ({error}), starting {start:?}"))
}

/// The error a `stat: "fail"` body reports, or `None` when the body is not a failure.
fn failure(value: &Value) -> Option<BodyError> {
    if value.get("stat")?.as_str()? != "fail" {
        return None;
    }
    let code = value.get("code").and_then(to_u64);
    let message = value.get("message").and_then(to_text);
    Some(BodyError::Api {
        code: code.and_then(|c| u32::try_from(c).ok()).unwrap_or(0),
        message: message.unwrap_or_else(|| "no message".to_string()),
    })
}

// ---------------------------------------------------------------------------------------------
// Lenient field helpers.

/// A string, a number written as text, or a `{"_content": …}` wrapper; anything else is absent.
fn text<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    Ok(Option::<Value>::deserialize(deserializer)?
        .as_ref()
        .and_then(to_text))
}

/// A non-negative integer written as a number or as a string; anything else is absent.
fn number<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<u64>, D::Error> {
    Ok(Option::<Value>::deserialize(deserializer)?
        .as_ref()
        .and_then(to_u64))
}

/// An array of `T`, skipping elements of the wrong shape; a lone object (an XML answer's
/// single child) is a list of one, anything else an empty list.
fn list<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    let items = match Option::<Value>::deserialize(deserializer)? {
        Some(Value::Array(items)) => items,
        Some(single @ Value::Object(_)) => vec![single],
        _ => return Ok(Vec::new()),
    };
    Ok(items
        .into_iter()
        .filter_map(|item| serde_json::from_value(item).ok())
        .collect())
}

/// A nested object, or its default when it is missing or not an object.
fn object<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned + Default,
{
    Ok(Option::<Value>::deserialize(deserializer)?
        .and_then(|value| serde_json::from_value(value).ok())
        .unwrap_or_default())
}

fn to_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Object(map) => map.get("_content").and_then(to_text),
        _ => None,
    }
}

pub(crate) fn to_u64(value: &Value) -> Option<u64> {
    match value {
        Value::Number(n) => n.as_u64().or_else(|| n.as_f64().and_then(whole)),
        Value::String(s) => {
            let s = s.trim();
            s.parse().ok().or_else(|| s.parse().ok().and_then(whole))
        }
        _ => None,
    }
}

/// A float that stands for a non-negative integer (`"20.0"` seconds), rounded.
fn whole(f: f64) -> Option<u64> {
    (f.is_finite() && f >= 0.0 && f < u64::MAX as f64).then(|| f.round() as u64)
}

// ---------------------------------------------------------------------------------------------
// flickr.urls.lookupUser

/// `{"user":{"id":"<NSID>","username":{"_content":"…"}}}`
#[derive(Debug, Deserialize)]
pub(crate) struct LookupUser {
    pub(crate) user: User,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct User {
    #[serde(default, deserialize_with = "text")]
    pub(crate) id: Option<String>,
}

// ---------------------------------------------------------------------------------------------
// flickr.photosets.getInfo

/// `{"photoset":{…}}` from `flickr.photosets.getInfo`.
#[derive(Debug, Deserialize)]
pub(crate) struct PhotosetInfoResponse {
    pub(crate) photoset: PhotosetInfo,
}

/// An album's own metadata; here `title` is a `{"_content"}` wrapper.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct PhotosetInfo {
    #[serde(default, deserialize_with = "text")]
    pub(crate) username: Option<String>,
    #[serde(default, deserialize_with = "text")]
    pub(crate) title: Option<String>,
    /// Photos and videos together.
    #[serde(default, deserialize_with = "number")]
    pub(crate) photos: Option<u64>,
    #[serde(default, deserialize_with = "number")]
    pub(crate) count_photos: Option<u64>,
    #[serde(default, deserialize_with = "number")]
    pub(crate) count_videos: Option<u64>,
    /// Unix seconds of the album's last change.
    #[serde(default, deserialize_with = "number")]
    pub(crate) date_update: Option<u64>,
}

// ---------------------------------------------------------------------------------------------
// flickr.photosets.getPhotos

/// `{"photoset":{…,"photo":[…]}}` from `flickr.photosets.getPhotos`.
#[derive(Debug, Deserialize)]
pub(crate) struct PhotosetPageResponse {
    pub(crate) photoset: PhotosetPage,
}

/// `{"photos":{…}}` from `flickr.photos.search`: a page shaped like an album's.
#[derive(Debug, Deserialize)]
pub(crate) struct PhotosSearchResponse {
    pub(crate) photos: PhotosetPage,
}

/// One page of an album; the pagination fields live here, `total` usually as a string.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct PhotosetPage {
    #[serde(default, deserialize_with = "text")]
    pub(crate) ownername: Option<String>,
    /// A plain string here, unlike in getInfo.
    #[serde(default, deserialize_with = "text")]
    pub(crate) title: Option<String>,
    #[serde(default, deserialize_with = "number")]
    pub(crate) pages: Option<u64>,
    #[serde(default, deserialize_with = "number")]
    pub(crate) total: Option<u64>,
    #[serde(default, deserialize_with = "list")]
    pub(crate) photo: Vec<ListedPhoto>,
}

/// A photo or video as an album page lists it, with the requested extras.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct ListedPhoto {
    #[serde(default, deserialize_with = "text")]
    pub(crate) id: Option<String>,
    #[serde(default, deserialize_with = "text")]
    pub(crate) title: Option<String>,
    /// HTML.
    #[serde(default, deserialize_with = "text")]
    pub(crate) description: Option<String>,
    #[serde(default, deserialize_with = "number")]
    pub(crate) license: Option<u64>,
    /// Unix seconds.
    #[serde(default, deserialize_with = "number")]
    pub(crate) dateupload: Option<u64>,
    /// Camera-local time without a zone: `2018-12-18 13:37:14`.
    #[serde(default, deserialize_with = "text")]
    pub(crate) datetaken: Option<String>,
    /// 1 when Flickr made `datetaken` up (from the upload date).
    #[serde(default, deserialize_with = "number")]
    pub(crate) datetakenunknown: Option<u64>,
    /// How much of `datetaken` is known: 0 the second, 4 the month, 6 the year, 8 circa.
    #[serde(default, deserialize_with = "number")]
    pub(crate) datetakengranularity: Option<u64>,
    #[serde(default, deserialize_with = "text")]
    pub(crate) ownername: Option<String>,
    /// Space-separated, normalised.
    #[serde(default, deserialize_with = "text")]
    pub(crate) tags: Option<String>,
    /// `photo` or `video`.
    #[serde(default, deserialize_with = "text")]
    pub(crate) media: Option<String>,
    #[serde(default, deserialize_with = "text")]
    pub(crate) pathalias: Option<String>,
    /// `url_<suffix>`, `width_<suffix>`, `height_<suffix>` and whatever else came along.
    #[serde(flatten)]
    pub(crate) extras: Map<String, Value>,
}

/// One image size, from the `url_*` extras or from getSizes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Size {
    /// The extras suffix (`o`, `k`, `q`…) or the getSizes label (`Original`, `Large Square`…).
    pub(crate) name: String,
    pub(crate) url: String,
    pub(crate) width: Option<u32>,
    pub(crate) height: Option<u32>,
}

/// Each suffix with the keys of its URL, width and height.
macro_rules! suffixes {
    ($($suffix:literal),*) => {
        [$(($suffix, concat!("url_", $suffix), concat!("width_", $suffix), concat!("height_", $suffix))),*]
    };
}

/// Suffixes of the `url_*` extras, as gallery-dl lists them, each with its three keys written
/// out rather than formatted: every photo of every album page looks up all of them.
const SUFFIXES: [(&str, &str, &str, &str); 17] = suffixes!(
    "o", "6k", "5k", "4k", "3k", "k", "h", "l", "c", "z", "m", "w", "n", "s", "q", "t", "sq"
);

impl ListedPhoto {
    /// The listed image sizes, in the order of [`SUFFIXES`] (largest first by name).
    pub(crate) fn sizes(&self) -> Vec<Size> {
        SUFFIXES
            .iter()
            .filter_map(|keys| self.size(*keys))
            .collect()
    }

    fn size(&self, (suffix, url, width, height): (&str, &str, &str, &str)) -> Option<Size> {
        let url = self.extras.get(url).and_then(to_text)?;
        let dimension = |key: &str| {
            self.extras
                .get(key)
                .and_then(to_u64)
                .and_then(|n| u32::try_from(n).ok())
        };
        Some(Size {
            name: suffix.to_string(),
            url,
            width: dimension(width),
            height: dimension(height),
        })
    }
}

// ---------------------------------------------------------------------------------------------
// flickr.photos.getInfo

/// `{"photo":{…}}` from `flickr.photos.getInfo`.
#[derive(Debug, Deserialize)]
pub(crate) struct PhotoInfoResponse {
    pub(crate) photo: PhotoInfo,
}

/// One photo's or video's full record; texts are `{"_content"}` wrappers here.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct PhotoInfo {
    #[serde(default, deserialize_with = "text")]
    pub(crate) id: Option<String>,
    #[serde(default, deserialize_with = "number")]
    pub(crate) license: Option<u64>,
    /// Unix seconds.
    #[serde(default, deserialize_with = "number")]
    pub(crate) dateuploaded: Option<u64>,
    #[serde(default, deserialize_with = "object")]
    pub(crate) owner: Owner,
    #[serde(default, deserialize_with = "text")]
    pub(crate) title: Option<String>,
    #[serde(default, deserialize_with = "text")]
    pub(crate) description: Option<String>,
    #[serde(default, deserialize_with = "object")]
    pub(crate) dates: Dates,
    #[serde(default, deserialize_with = "object")]
    pub(crate) tags: Tags,
    #[serde(default, deserialize_with = "text")]
    pub(crate) media: Option<String>,
    #[serde(default, deserialize_with = "object")]
    pub(crate) video: Video,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct Owner {
    #[serde(default, deserialize_with = "text")]
    pub(crate) nsid: Option<String>,
    #[serde(default, deserialize_with = "text")]
    pub(crate) username: Option<String>,
    #[serde(default, deserialize_with = "text")]
    pub(crate) realname: Option<String>,
    #[serde(default, deserialize_with = "text")]
    pub(crate) path_alias: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct Dates {
    /// Unix seconds.
    #[serde(default, deserialize_with = "number")]
    pub(crate) posted: Option<u64>,
    #[serde(default, deserialize_with = "text")]
    pub(crate) taken: Option<String>,
    #[serde(default, deserialize_with = "number")]
    pub(crate) takenunknown: Option<u64>,
    /// As `datetakengranularity`.
    #[serde(default, deserialize_with = "number")]
    pub(crate) takengranularity: Option<u64>,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct Tags {
    #[serde(default, deserialize_with = "list")]
    pub(crate) tag: Vec<Tag>,
}

/// `raw` is the tag as typed (`VS20`), `_content` Flickr's normalised form (`vs20`).
#[derive(Debug, Default, Deserialize)]
pub(crate) struct Tag {
    #[serde(default, deserialize_with = "text")]
    pub(crate) raw: Option<String>,
    #[serde(default, rename = "_content", deserialize_with = "text")]
    pub(crate) content: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct Video {
    /// Seconds.
    #[serde(default, deserialize_with = "number")]
    pub(crate) duration: Option<u64>,
    #[serde(default, deserialize_with = "number")]
    pub(crate) width: Option<u64>,
    #[serde(default, deserialize_with = "number")]
    pub(crate) height: Option<u64>,
}

// ---------------------------------------------------------------------------------------------
// flickr.photos.getSizes

/// `{"sizes":{"size":[…]}}` from `flickr.photos.getSizes`.
#[derive(Debug, Deserialize)]
pub(crate) struct SizesResponse {
    pub(crate) sizes: Sizes,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct Sizes {
    #[serde(default, deserialize_with = "list")]
    pub(crate) size: Vec<SizeEntry>,
}

/// One rendition: a still image, or for videos also the player page and the video files.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct SizeEntry {
    #[serde(default, deserialize_with = "text")]
    pub(crate) label: Option<String>,
    #[serde(default, deserialize_with = "number")]
    pub(crate) width: Option<u64>,
    #[serde(default, deserialize_with = "number")]
    pub(crate) height: Option<u64>,
    /// The file (or, for "Video Player", the player).
    #[serde(default, deserialize_with = "text")]
    pub(crate) source: Option<String>,
    /// `photo` or `video`.
    #[serde(default, deserialize_with = "text")]
    pub(crate) media: Option<String>,
}

impl SizeEntry {
    /// This entry as a [`Size`], when it has a source.
    pub(crate) fn to_size(&self) -> Option<Size> {
        let dimension = |n: Option<u64>| n.and_then(|n| u32::try_from(n).ok());
        Some(Size {
            name: self.label.clone().unwrap_or_default(),
            url: self.source.clone().filter(|s| !s.trim().is_empty())?,
            width: dimension(self.width),
            height: dimension(self.height),
        })
    }

    /// Whether this entry is a video rendition rather than a still.
    pub(crate) fn is_video(&self) -> bool {
        self.media.as_deref() == Some("video")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE_1: &str = include_str!("../../../tests/fixtures/flickr/album_page1.json");
    const QUIRKS: &str = include_str!("../../../tests/fixtures/flickr/quirks_page.json");
    const EMPTY: &str = include_str!("../../../tests/fixtures/flickr/album_empty.json");
    const NOT_FOUND: &str = include_str!("../../../tests/fixtures/flickr/error_not_found.json");
    const UNAVAILABLE: &str = include_str!("../../../tests/fixtures/flickr/error_unavailable.json");
    const TRUNCATED: &str = include_str!("../../../tests/fixtures/flickr/truncated.json");
    const JSONP: &str = include_str!("../../../tests/fixtures/flickr/jsonp_lookup_user.json");
    const ALBUM_INFO: &str = include_str!("../../../tests/fixtures/flickr/album_info.json");
    const VIDEO_INFO: &str = include_str!("../../../tests/fixtures/flickr/video_info.json");
    const VIDEO_SIZES: &str = include_str!("../../../tests/fixtures/flickr/video_sizes.json");

    fn page(json: &str) -> PhotosetPage {
        parse::<PhotosetPageResponse>(json.as_bytes())
            .expect("fixture parses")
            .photoset
    }

    #[test]
    fn pagination_fields_are_read_as_numbers_or_strings() {
        let set = page(PAGE_1);
        assert_eq!(set.pages, Some(2), "int");
        assert_eq!(set.total, Some(5), "string");
        assert_eq!(set.photo.len(), 3);
        let quirks = page(QUIRKS);
        assert_eq!(quirks.pages, Some(1), "string");
        assert_eq!(quirks.total, Some(3), "int");
    }

    #[test]
    fn numbers_come_as_strings_or_numbers() {
        let set = page(PAGE_1);
        let first = &set.photo[0];
        assert_eq!(first.license, Some(4), "\"4\"");
        assert_eq!(first.dateupload, Some(1_545_161_834));
        let sizes = first.sizes();
        let original = sizes.iter().find(|s| s.name == "o").expect("url_o listed");
        assert_eq!((original.width, original.height), (Some(5472), Some(3648)));
        let quirks = page(QUIRKS);
        let numeric = &quirks.photo[0];
        assert_eq!(numeric.id.as_deref(), Some("31500000001"), "id as number");
        assert_eq!(numeric.license, Some(99), "license as number");
        assert_eq!(numeric.datetakenunknown, Some(0), "flag as number");
        let medium = &numeric.sizes()[0];
        assert_eq!((medium.width, medium.height), (Some(500), Some(333)));
    }

    #[test]
    fn odd_values_are_absent_not_errors() {
        let quirks = page(QUIRKS);
        let odd = &quirks.photo[1];
        assert_eq!(odd.license, None, "\"\" is no licence");
        assert_eq!(odd.dateupload, None, "null");
        assert_eq!(odd.title, None, "an array is not a title");
        assert_eq!(quirks.photo.len(), 3, "a non-object entry is skipped");
    }

    #[test]
    fn content_wrappers_and_plain_strings_are_both_text() {
        let info = parse::<PhotosetInfoResponse>(ALBUM_INFO.as_bytes())
            .expect("fixture parses")
            .photoset;
        assert_eq!(info.title.as_deref(), Some("CSO-1 \u{2013} Soyuz VS20"));
        assert_eq!(info.date_update, Some(1_545_240_000));
        assert_eq!(info.photos, Some(5));
        assert_eq!(
            page(PAGE_1).title.as_deref(),
            Some("CSO-1 \u{2013} Soyuz VS20")
        );
    }

    #[test]
    fn description_html_survives_escaped_slashes() {
        let set = page(PAGE_1);
        let description = set.photo[1].description.as_deref().expect("description");
        assert!(
            description.contains("<a href=\"https://cnes.fr/fr\""),
            "{description}"
        );
    }

    #[test]
    fn video_records_are_read() {
        let info = parse::<PhotoInfoResponse>(VIDEO_INFO.as_bytes())
            .expect("fixture parses")
            .photo;
        assert_eq!(info.media.as_deref(), Some("video"));
        assert_eq!(info.video.duration, Some(94));
        assert_eq!(
            (info.video.width, info.video.height),
            (Some(1920), Some(1080))
        );
        let sizes = parse::<SizesResponse>(VIDEO_SIZES.as_bytes())
            .expect("fixture parses")
            .sizes;
        assert!(sizes.size.iter().any(SizeEntry::is_video));
        assert!(sizes.size.iter().any(|s| !s.is_video()));
    }

    #[test]
    fn an_empty_album_is_an_empty_page() {
        let set = page(EMPTY);
        assert!(set.photo.is_empty());
        assert_eq!(set.total, Some(0));
    }

    #[test]
    fn stat_fail_is_an_api_error_with_code_and_message() {
        let error = parse::<PhotosetPageResponse>(NOT_FOUND.as_bytes()).unwrap_err();
        assert_eq!(
            error,
            BodyError::Api {
                code: 1,
                message: "Photoset not found".into()
            }
        );
        let error = parse::<PhotosetPageResponse>(UNAVAILABLE.as_bytes()).unwrap_err();
        assert!(
            matches!(error, BodyError::Api { code: 105, .. }),
            "{error:?}"
        );
    }

    #[test]
    fn truncated_json_is_malformed() {
        match parse::<PhotosetPageResponse>(TRUNCATED.as_bytes()) {
            Err(BodyError::Malformed(reason)) => assert!(reason.contains("truncated"), "{reason}"),
            other => panic!("expected malformed, got {other:?}"),
        }
    }

    #[test]
    fn jsonp_wrapper_is_stripped() {
        let user = parse::<LookupUser>(JSONP.as_bytes())
            .expect("JSONP parses")
            .user;
        assert_eq!(user.id.as_deref(), Some("141938346@N05"));
        let fail = parse::<LookupUser>(b"jsonFlickrApi({\"stat\":\"fail\",\"code\":100,\"message\":\"Invalid API Key (Key has invalid format)\"})");
        assert!(
            matches!(fail, Err(BodyError::Api { code: 100, .. })),
            "{fail:?}"
        );
    }

    #[test]
    fn bodies_that_are_not_the_answer_are_malformed() {
        for body in [
            "",
            "<!DOCTYPE html><html><body>Flickr is down</body></html>",
            "jsonFlickrApi(",
            "{\"stat\":\"ok\"}",
            "{\"photoset\": \"nope\", \"stat\": \"ok\"}",
            "[1, 2, 3]",
            "\u{feff}   ",
        ] {
            let result = parse::<PhotosetPageResponse>(body.as_bytes());
            assert!(
                matches!(result, Err(BodyError::Malformed(_))),
                "{body:?}: {result:?}"
            );
        }
        let result = parse::<PhotosetPageResponse>(&[0xff, 0xfe, 0x00, b'{']);
        assert!(matches!(result, Err(BodyError::Malformed(_))), "bytes");
    }

    #[test]
    fn a_failure_without_code_or_message_still_fails() {
        let error = parse::<LookupUser>(b"{\"stat\":\"fail\"}").unwrap_err();
        assert_eq!(
            error,
            BodyError::Api {
                code: 0,
                message: "no message".into()
            }
        );
    }
}

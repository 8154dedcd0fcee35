//! Applying a provider's oEmbed answer to an item.

use serde_json::{Map, Value};

use crate::media::{dates, text};
use crate::media::{
    dimension::dimension, duration::duration_seconds, license::license_name_from_url,
};
use crate::model::{Item, Kind};
use crate::urls;

/// What an oEmbed answer said besides the item's fields.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    /// The answer's `type` as written, lowercased: `photo`, `video`, `rich`, `link`, or
    /// empty when missing.
    pub kind: String,
    /// `provider_name` (`YouTube`, `Vimeo`, `Dailymotion`, `Flickr`).
    pub provider_name: Option<String>,
    /// `author_url`, the channel or account page.
    pub author_url: Option<String>,
}

impl Answer {
    /// Whether the answer describes a photo or video. A `rich` or `link` answer (a blog
    /// post's card, a Flickr album) is not media: a guessed item should then be dropped.
    pub fn is_media(&self) -> bool {
        matches!(self.kind.as_str(), "photo" | "video")
    }
}

/// Why an answer could not be read at all.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum AnswerError {
    /// The body is not JSON (an HTML error page, XML).
    #[error("the oEmbed answer is not JSON: {0}")]
    NotJson(String),
    /// The body is JSON, but not an object.
    #[error("the oEmbed answer is not a JSON object")]
    NotObject,
}

/// Fills `item` from an oEmbed JSON answer, when it describes media.
///
/// `title` (markup stripped), `author_name` (as `creator`), `thumbnail_url`,
/// `description` (Vimeo), `duration` (Vimeo, seconds), `upload_date` (Vimeo),
/// `license_url`/`license` (Flickr) replace what the item had; for a `photo`, `url` becomes
/// the `media_url` and `width`/`height` its size, numbers or strings (`"375"`) alike. A
/// video's `width`/`height` are its player's and are not kept. `photo` and `video` also set
/// the item's kind. Missing fields leave the item's as they were; a `rich` or `link`
/// answer changes nothing (see [`Answer::is_media`]).
///
/// # Errors
/// [`AnswerError`] when the body is not a JSON object; the item is then unchanged.
pub fn apply(item: &mut Item, body: &str) -> Result<Answer, AnswerError> {
    let json: Value = serde_json::from_str(body.trim_start_matches('\u{feff}').trim())
        .map_err(|e| AnswerError::NotJson(e.to_string()))?;
    let Value::Object(answer) = json else {
        return Err(AnswerError::NotObject);
    };
    let kind = string(&answer, "type")
        .map(|t| t.to_ascii_lowercase())
        .unwrap_or_default();
    let read = Answer {
        kind,
        provider_name: string(&answer, "provider_name"),
        author_url: url(&answer, "author_url"),
    };
    if read.is_media() {
        fill(item, &answer, &read.kind);
    }
    Ok(read)
}

fn fill(item: &mut Item, answer: &Map<String, Value>, kind: &str) {
    let set = |slot: &mut Option<String>, value: Option<String>| {
        if value.is_some() {
            *slot = value;
        }
    };
    item.kind = if kind == "photo" {
        Kind::Photo
    } else {
        Kind::Video
    };
    set(&mut item.title, plain(answer, "title"));
    set(&mut item.creator, plain(answer, "author_name"));
    set(&mut item.description, plain(answer, "description"));
    set(&mut item.thumbnail_url, url(answer, "thumbnail_url"));
    if item.page_url.is_none() {
        item.page_url = url(answer, "web_page");
    }
    if let Some(seconds) = answer.get("duration").and_then(seconds) {
        item.duration_seconds = Some(seconds);
    }
    if let Some(date) = ["upload_date", "uploaded", "date"]
        .iter()
        .find_map(|k| string(answer, k).and_then(|d| dates::parse(&d)))
    {
        item.published_at = Some(date);
    }
    let license_url = url(answer, "license_url");
    let named = license_url.as_deref().and_then(license_name_from_url);
    set(
        &mut item.license,
        named.or_else(|| plain(answer, "license")),
    );
    set(&mut item.license_url, license_url);
    if kind == "photo"
        && let Some(file) = url(answer, "url")
    {
        item.media_url = Some(file);
        item.width = answer.get("width").and_then(dimension);
        item.height = answer.get("height").and_then(dimension);
    }
}

/// A string or number field as text.
fn string(answer: &Map<String, Value>, key: &str) -> Option<String> {
    match answer.get(key)? {
        Value::String(s) => text::clean(s),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn plain(answer: &Map<String, Value>, key: &str) -> Option<String> {
    string(answer, key).and_then(|t| text::html_to_text(&t))
}

fn url(answer: &Map<String, Value>, key: &str) -> Option<String> {
    string(answer, key)
        .and_then(|u| urls::absolute(&u))
        .map(String::from)
}

/// A running time as a number of seconds or a string (`"103"`, `"PT1M43S"`).
fn seconds(value: &Value) -> Option<u32> {
    match value {
        Value::String(s) => duration_seconds(s),
        number => dimension(number),
    }
}

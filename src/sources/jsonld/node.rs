//! One media node as an item: which kind of media it is, its identity, and its fields.

use serde_json::{Map, Value};
use url::Url;

use super::blocks::media_type;
use super::license::license;
use super::values::{creator, first_url, keywords, plain_text, text_of, url_of};
use crate::media::dates;
use crate::media::dimension::dimension;
use crate::media::duration::duration_seconds;
use crate::media::kind::{MediaGuess, kind_from_extension, kind_from_format};
use crate::model::{Item, Kind, Source};
use crate::urls;

/// One media node as an item, or `None` when it is not archive media.
pub(super) fn node_item(node: &Map<String, Value>, base: &Url, page_url: &Url) -> Option<Item> {
    let content_url = first_url(node, &["contentUrl", "contentURL"], base);
    let kind = node_kind(node, content_url.as_ref())?;
    // An image without a file is a reference (`{"@id": …}`) or a page preview; a live
    // broadcast without one is a stream that will be gone.
    if content_url.is_none() && (kind == Kind::Photo || is_live(node)) {
        return None;
    }
    let (id, page) = identity(node, content_url.as_ref(), base, page_url);
    let mut item = Item::new(id, kind, Source::JsonLd);
    describe(&mut item, node, base);
    if content_url.is_some() {
        // Sizes describe the file; without one they would be the player's.
        item.width = node.get("width").and_then(dimension);
        item.height = node.get("height").and_then(dimension);
    }
    if kind != Kind::Photo {
        item.duration_seconds = node
            .get("duration")
            .and_then(text_of)
            .and_then(|d| duration_seconds(&d));
    }
    item.thumbnail_url = thumbnail(node, kind, base);
    item.page_url = Some(page.to_string());
    item.media_url = content_url.map(String::from);
    Some(item)
}

/// The item's id and page. The page is the node's `url` unless that is the file itself;
/// the id is the file, else the embed, else the page (a platform's page, such as a Flickr
/// photo's, is named by its source afterwards).
fn identity(
    node: &Map<String, Value>,
    content_url: Option<&Url>,
    base: &Url,
    page_url: &Url,
) -> (String, Url) {
    let node_url = node
        .get("url")
        .and_then(|v| url_of(v, base))
        .filter(|u| Some(u) != content_url);
    let embed_url = first_url(node, &["embedUrl", "embedURL"], base);
    let page = node_url.clone().unwrap_or_else(|| page_url.clone());
    let id = content_url
        .map(urls::canonical)
        .or_else(|| embed_url.as_ref().map(urls::canonical))
        .unwrap_or_else(|| urls::canonical(&page));
    (id, page)
}

/// The descriptive fields: title, description, tags, creator, licence and dates.
fn describe(item: &mut Item, node: &Map<String, Value>, base: &Url) {
    let date = |keys: &[&str]| {
        keys.iter().find_map(|k| {
            node.get(*k)
                .and_then(text_of)
                .and_then(|t| dates::parse(&t))
        })
    };
    item.title = node.get("name").and_then(plain_text);
    item.description = ["description", "caption"]
        .iter()
        .find_map(|k| node.get(*k).and_then(plain_text));
    item.tags = node.get("keywords").map(keywords).unwrap_or_default();
    item.creator = creator(node);
    (item.license, item.license_url) = license(node, base);
    item.published_at = date(&["uploadDate", "datePublished"]);
    item.taken_at = date(&["dateCreated"]);
}

/// Photo, video or audio from the node's type; a generic `MediaObject` is judged by its
/// format or file name, and is a video unless they say otherwise.
fn node_kind(node: &Map<String, Value>, content_url: Option<&Url>) -> Option<Kind> {
    match media_type(node)? {
        "VideoObject" => Some(Kind::Video),
        "ImageObject" => Some(Kind::Photo),
        "AudioObject" => Some(Kind::Audio),
        _ => {
            let format = node.get("encodingFormat").and_then(text_of);
            let by_format = format.as_deref().map(kind_from_format);
            let by_name = content_url.map(|u| kind_from_extension(u.path()));
            match (by_format, by_name) {
                (Some(MediaGuess::Media(k)), _) | (_, Some(MediaGuess::Media(k))) => Some(k),
                (Some(MediaGuess::NotMedia), _) | (_, Some(MediaGuess::NotMedia)) => None,
                _ => Some(Kind::Video),
            }
        }
    }
}

/// `isLiveBroadcast` on the node itself or on its `publication` (a `BroadcastEvent`).
fn is_live(node: &Map<String, Value>) -> bool {
    let flagged = |n: &Map<String, Value>| n.get("isLiveBroadcast").is_some_and(truthy);
    flagged(node)
        || match node.get("publication") {
            Some(Value::Object(p)) => flagged(p),
            Some(Value::Array(ps)) => ps.iter().filter_map(Value::as_object).any(flagged),
            _ => false,
        }
}

fn truthy(value: &Value) -> bool {
    match value {
        Value::Bool(b) => *b,
        Value::String(s) => s.trim().eq_ignore_ascii_case("true"),
        _ => false,
    }
}

/// The preview image: `thumbnailUrl` (string, array or `ImageObject`), `thumbnail`, and for
/// videos and sounds their `image`.
fn thumbnail(node: &Map<String, Value>, kind: Kind, base: &Url) -> Option<String> {
    let mut keys = vec!["thumbnailUrl", "thumbnailURL", "thumbnail"];
    if kind != Kind::Photo {
        keys.push("image");
    }
    first_url(node, &keys, base).map(String::from)
}

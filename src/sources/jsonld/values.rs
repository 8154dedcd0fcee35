//! Readers for values that come in several shapes: URLs, text, sizes, keywords and people.

use serde_json::{Map, Value};
use url::Url;

use crate::media::lists::unique;
use crate::media::text;
use crate::urls;

/// The first of `keys` that holds a usable URL.
pub(super) fn first_url(node: &Map<String, Value>, keys: &[&str], base: &Url) -> Option<Url> {
    keys.iter()
        .find_map(|k| node.get(*k).and_then(|v| url_of(v, base)))
}

/// A URL given as a string, an array (first usable), or an object holding `contentUrl` or
/// `url`; resolved against the page and kept only if it is http(s).
pub(super) fn url_of(value: &Value, base: &Url) -> Option<Url> {
    match value {
        Value::String(s) => urls::followable(base, s),
        Value::Array(values) => values.iter().find_map(|v| url_of(v, base)),
        Value::Object(o) => ["contentUrl", "contentURL", "url"]
            .iter()
            .find_map(|k| o.get(*k).and_then(|v| url_of(v, base))),
        _ => None,
    }
}

/// A scalar as text: strings cleaned, numbers printed, `{"@value": …}` unwrapped, the first
/// usable element of an array.
pub(super) fn text_of(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => text::clean(s),
        Value::Number(n) => Some(n.to_string()),
        Value::Array(values) => values.iter().find_map(text_of),
        Value::Object(o) => o.get("@value").and_then(text_of),
        _ => None,
    }
}

/// Text that may carry markup or entities, as plain text.
pub(super) fn plain_text(value: &Value) -> Option<String> {
    text_of(value).and_then(|t| text::html_to_text(&t))
}

/// Keywords as a comma-separated string or an array of strings, trimmed and de-duplicated.
pub(super) fn keywords(value: &Value) -> Vec<String> {
    let split = |raw: &str| -> Vec<String> { raw.split(',').filter_map(text::clean).collect() };
    let written = match value {
        Value::String(s) => split(s),
        Value::Array(values) => values
            .iter()
            .filter_map(text_of)
            .flat_map(|s| split(&s))
            .collect(),
        _ => Vec::new(),
    };
    unique(written)
}

/// `creditText` when present (it is the credit line the publisher asks for), else the names
/// of the creator, author or copyright holder.
pub(super) fn creator(node: &Map<String, Value>) -> Option<String> {
    if let Some(credit) = node.get("creditText").and_then(plain_text) {
        return Some(credit);
    }
    ["creator", "author", "copyrightHolder"]
        .iter()
        .find_map(|k| {
            let names = node.get(*k).map(names).unwrap_or_default();
            (!names.is_empty()).then(|| names.join(", "))
        })
}

/// Names of people or organisations given as strings, `{"name": …}` objects or arrays of
/// either.
fn names(value: &Value) -> Vec<String> {
    match value {
        Value::String(s) => text::clean(s).into_iter().collect(),
        Value::Object(o) => o.get("name").and_then(plain_text).into_iter().collect(),
        Value::Array(values) => unique(values.iter().flat_map(names)),
        _ => Vec::new(),
    }
}

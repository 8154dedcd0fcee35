//! A node's licence: a URL, a `CreativeWork` or a bare name.

use serde_json::{Map, Value};
use url::Url;

use super::values::text_of;
use crate::media::license::license_name_from_url;
use crate::urls;

/// The licence's name and URL. `license` may be a URL, a `CreativeWork` or a bare name;
/// `acquireLicensePage` only gives a URL where to ask.
pub(super) fn license(node: &Map<String, Value>, base: &Url) -> (Option<String>, Option<String>) {
    if let Some(value) = node.get("license") {
        if let Some(url) = license_url(value, base) {
            return (license_name_from_url(url.as_str()), Some(url.to_string()));
        }
        let name = match value {
            Value::Object(o) => o.get("name").and_then(text_of),
            other => text_of(other),
        };
        if name.is_some() {
            return (name, None);
        }
    }
    let page = node
        .get("acquireLicensePage")
        .and_then(|v| license_url(v, base));
    (None, page.map(String::from))
}

/// A licence URL: absolute, or rooted (`/conditions`). Anything else is a licence's name
/// (`"Tous droits réservés"`), which must not be resolved as a relative link.
fn license_url(value: &Value, base: &Url) -> Option<Url> {
    match value {
        Value::String(s) if s.trim_start().starts_with('/') => urls::followable(base, s),
        Value::String(s) => urls::absolute(s),
        Value::Array(values) => values.iter().find_map(|v| license_url(v, base)),
        Value::Object(o) => ["url", "@id"]
            .iter()
            .find_map(|k| o.get(*k).and_then(|v| license_url(v, base))),
        _ => None,
    }
}

//! Licences: where a node gives one, and the short name of a well-known licence URL.

use serde_json::{Map, Value};
use url::Url;

use super::values::text_of;
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

/// The short name of a licence from its URL, such as `CC BY-SA 4.0` for
/// `https://creativecommons.org/licenses/by-sa/4.0/`.
///
/// Knows the Creative Commons licences (any version, ported ones with their jurisdiction,
/// `deed.xx` and `legalcode` pages), CC0, the Public Domain Mark, and the two licence pages
/// Flickr uses for public-domain works. Anything else is `None`: a wrong name is worse than
/// none.
pub fn license_name_from_url(url: &str) -> Option<String> {
    let url = Url::parse(url.trim()).ok()?;
    let host = url.host_str()?.to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    let segments: Vec<&str> = url.path_segments()?.filter(|s| !s.is_empty()).collect();
    match (host, segments.as_slice()) {
        ("creativecommons.org", ["licenses", code, rest @ ..]) => cc_license_name(code, rest),
        ("creativecommons.org", ["publicdomain", "zero", rest @ ..]) => {
            Some(with_version("CC0", rest.first()))
        }
        ("creativecommons.org", ["publicdomain", "mark", rest @ ..]) => {
            Some(with_version("Public Domain Mark", rest.first()))
        }
        ("flickr.com", ["commons", "usage", ..]) => Some("No known copyright restrictions".into()),
        ("usa.gov", ["government-copyright" | "government-works", ..]) => {
            Some("United States Government Work".into())
        }
        _ => None,
    }
}

fn cc_license_name(code: &str, rest: &[&str]) -> Option<String> {
    let valid = code
        .split('-')
        .all(|part| matches!(part, "by" | "sa" | "nc" | "nd"));
    if !code.starts_with("by") || !valid {
        return None;
    }
    let mut name = with_version(&format!("CC {}", code.to_ascii_uppercase()), rest.first());
    // Ported licences (`/licenses/by/3.0/fr/`) name their jurisdiction; `deed.fr` and
    // `legalcode` are only other renderings of the same licence.
    if let Some(place) = rest
        .get(1)
        .filter(|p| p.len() <= 3 && p.chars().all(|c| c.is_ascii_alphabetic()))
    {
        name.push(' ');
        name.push_str(&place.to_ascii_uppercase());
    }
    Some(name)
}

fn with_version(name: &str, version: Option<&&str>) -> String {
    match version.filter(|v| v.chars().next().is_some_and(|c| c.is_ascii_digit())) {
        Some(v) => format!("{name} {v}"),
        None => name.to_string(),
    }
}

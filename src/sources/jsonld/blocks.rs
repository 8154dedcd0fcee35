//! The JSON-LD blocks of a page, and the media nodes in them.

use std::sync::LazyLock;

use scraper::{Html, Selector};
use serde_json::{Map, Value};

use crate::media::html;
use crate::sources::bounds::MAX_JSON_BLOCK;

static SCRIPTS: LazyLock<Selector> = LazyLock::new(|| html::selector("script[type]"));

/// Deeper nesting than this is not metadata but an attack on the stack.
const MAX_DEPTH: usize = 32;

/// Properties whose objects describe people, publishers or page furniture: an `ImageObject`
/// found under them is a logo or an avatar, not campaign media.
const SKIPPED_PROPERTIES: [&str; 12] = [
    "author",
    "brand",
    "breadcrumb",
    "contributor",
    "copyrightHolder",
    "creator",
    "logo",
    "potentialAction",
    "provider",
    "publisher",
    "sourceOrganization",
    "thumbnail",
];

/// The parsed JSON of every JSON-LD block, skipping blocks that cannot be repaired and
/// blocks larger than [`MAX_JSON_BLOCK`].
pub(super) fn json_blocks(doc: &Html) -> impl Iterator<Item = Value> + '_ {
    scripts(doc)
        .filter(|text| text.len() <= MAX_JSON_BLOCK)
        .filter_map(|text| parse_block(&text))
}

/// Whether the page has a JSON-LD block too large to read.
pub(super) fn has_oversized_block(doc: &Html) -> bool {
    scripts(doc).any(|text| text.len() > MAX_JSON_BLOCK)
}

fn scripts(doc: &Html) -> impl Iterator<Item = String> + '_ {
    doc.select(&SCRIPTS)
        .filter(|s| s.value().attr("type").is_some_and(is_json_ld_type))
        .map(|s| s.text().collect::<String>())
}

fn is_json_ld_type(value: &str) -> bool {
    let essence = value.split(';').next().unwrap_or_default().trim();
    essence.eq_ignore_ascii_case("application/ld+json")
}

/// Parses one block, tolerating the wrappers and slips CMSs leave in them.
fn parse_block(raw: &str) -> Option<Value> {
    let body = unwrap_block(raw);
    if body.is_empty() {
        return None;
    }
    serde_json::from_str(body)
        .or_else(|_| serde_json::from_str(&repair_json(body)))
        .ok()
}

/// Strips `<!-- -->` and `<![CDATA[ ]]>` wrappers (with or without `//` before them), which
/// old templates put around scripts for pre-HTML5 browsers.
fn unwrap_block(raw: &str) -> &str {
    let mut body = raw.trim();
    loop {
        let before = body.len();
        for prefix in ["//<![CDATA[", "<![CDATA[", "<!--"] {
            body = body.strip_prefix(prefix).unwrap_or(body).trim_start();
        }
        for suffix in ["//]]>", "]]>", "//-->", "-->"] {
            body = body.strip_suffix(suffix).unwrap_or(body).trim_end();
        }
        if body.len() == before {
            return body;
        }
    }
}

/// Fixes the two slips that break hand-written JSON-LD most often: trailing commas before
/// `}` or `]`, and raw line breaks or tabs inside strings.
pub(super) fn repair_json(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars().peekable();
    let (mut in_string, mut escaped) = (false, false);
    while let Some(c) = chars.next() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                c if c.is_control() => {
                    out.push(' ');
                    continue;
                }
                _ => {}
            }
            out.push(c);
            continue;
        }
        if c == ',' {
            let rest = chars.clone().find(|n| !n.is_whitespace());
            if matches!(rest, Some('}' | ']')) {
                continue;
            }
        }
        in_string = c == '"';
        out.push(c);
    }
    out
}

/// Gathers media nodes depth-first. A media node is a leaf: its thumbnails, encodings and
/// captions are parts of it, not more items.
pub(super) fn collect_media_nodes<'a>(
    value: &'a Value,
    depth: usize,
    out: &mut Vec<&'a Map<String, Value>>,
) {
    // A document gives at most so many items: past that, the rest is not walked.
    if depth > MAX_DEPTH || out.len() >= crate::sources::bounds::MAX_ITEMS {
        return;
    }
    match value {
        Value::Array(values) => {
            for v in values {
                collect_media_nodes(v, depth + 1, out);
            }
        }
        Value::Object(node) => {
            if media_type(node).is_some() {
                out.push(node);
                return;
            }
            if is_party(node) {
                return;
            }
            for (key, v) in node {
                if !SKIPPED_PROPERTIES.contains(&key.as_str()) {
                    collect_media_nodes(v, depth + 1, out);
                }
            }
        }
        _ => {}
    }
}

/// The node's `@type` names without any `schema:` or `https://schema.org/` prefix.
fn types(node: &Map<String, Value>) -> Vec<&str> {
    match node.get("@type") {
        Some(Value::String(t)) => vec![local_type(t)],
        Some(Value::Array(ts)) => ts
            .iter()
            .filter_map(Value::as_str)
            .map(local_type)
            .collect(),
        _ => Vec::new(),
    }
}

fn local_type(name: &str) -> &str {
    name.rsplit(['/', ':', '#']).next().unwrap_or(name)
}

/// The schema.org media type of a node, if it is one.
pub(super) fn media_type(node: &Map<String, Value>) -> Option<&'static str> {
    types(node).into_iter().find_map(|t| match t {
        "VideoObject" => Some("VideoObject"),
        "ImageObject" | "Photograph" => Some("ImageObject"),
        "AudioObject" => Some("AudioObject"),
        "MediaObject" => Some("MediaObject"),
        _ => None,
    })
}

/// People and organisations: their images are portraits and logos.
fn is_party(node: &Map<String, Value>) -> bool {
    types(node)
        .iter()
        .any(|t| *t == "Person" || t.ends_with("Organization") || *t == "WebSite")
}

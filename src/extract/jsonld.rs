//! schema.org media objects (`VideoObject`, `ImageObject`, `AudioObject`, `MediaObject`) from
//! the JSON-LD blocks of a page.
//!
//! JSON-LD is written by hand or by CMS plugins, so everything is optional and every value
//! comes in several shapes: a string or an array, a number or a string, a URL or an object
//! holding one. Each reader below accepts all the shapes seen in the wild and returns `None`
//! for anything else; a block that is not JSON at all is skipped, never fatal.

use std::collections::HashMap;
use std::sync::LazyLock;

use scraper::{Html, Selector};
use serde_json::{Map, Value};
use url::Url;

use super::{dates, html, text};
use crate::flickr::urls::photo_id;
use crate::model::{Item, Kind, Source};
use crate::urls;

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

/// Media items described by the page's `<script type="application/ld+json">` blocks.
///
/// Media objects are found at the top level, in arrays, in `@graph` and nested under other
/// nodes (`NewsArticle.video`, `.associatedMedia`, an `ImageObject` in `.image`). Nodes that
/// resolve to the same id are merged into one item. Live broadcasts without a file are not
/// archive media and are left out.
pub fn items(doc: &Html, page_url: &Url) -> Vec<Item> {
    let base = html::base_url(doc, page_url);
    let mut out = Items::default();
    for block in json_blocks(doc) {
        let mut nodes = Vec::new();
        collect_media_nodes(&block, 0, &mut nodes);
        for node in nodes {
            if let Some(item) = node_item(node, &base, page_url) {
                out.add(item);
            }
        }
    }
    out.items
}

/// The parsed JSON of every JSON-LD block, skipping blocks that cannot be repaired.
fn json_blocks(doc: &Html) -> Vec<Value> {
    doc.select(&SCRIPTS)
        .filter(|s| s.value().attr("type").is_some_and(is_json_ld_type))
        .filter_map(|s| parse_block(&s.text().collect::<String>()))
        .collect()
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
fn repair_json(body: &str) -> String {
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
fn collect_media_nodes<'a>(value: &'a Value, depth: usize, out: &mut Vec<&'a Map<String, Value>>) {
    if depth > MAX_DEPTH {
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
fn media_type(node: &Map<String, Value>) -> Option<&'static str> {
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

/// One media node as an item, or `None` when it is not archive media.
fn node_item(node: &Map<String, Value>, base: &Url, page_url: &Url) -> Option<Item> {
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
/// the id is the Flickr photo that page shows, else the file, else the embed, else the page.
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
    let id = node_url
        .as_ref()
        .and_then(|u| photo_id(u.as_str()))
        .map(|id| format!("flickr:{id}"))
        .or_else(|| content_url.map(urls::canonical))
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

/// What a MIME type or file name says about a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum MediaGuess {
    /// A photo, video or sound.
    Media(Kind),
    /// Known, and not media: a document, a web page, subtitles.
    NotMedia,
    /// Nothing can be told.
    Unknown,
}

/// Judges a MIME type (`video/mp4`) or a bare format name (`mp4`, as `encodingFormat` allows).
pub(crate) fn kind_from_format(format: &str) -> MediaGuess {
    let format = format.trim().to_ascii_lowercase();
    let essence = format.split(';').next().unwrap_or_default().trim();
    match essence.split_once('/') {
        Some(("image", _)) => MediaGuess::Media(Kind::Photo),
        Some(("video", _)) => MediaGuess::Media(Kind::Video),
        Some(("audio", _)) => MediaGuess::Media(Kind::Audio),
        Some((_, "x-mpegurl" | "vnd.apple.mpegurl" | "dash+xml" | "x-shockwave-flash")) => {
            MediaGuess::Media(Kind::Video)
        }
        Some((_, "ogg")) => MediaGuess::Media(Kind::Audio),
        Some(_) => MediaGuess::NotMedia,
        None => kind_from_extension(&format!(".{essence}")),
    }
}

/// Judges a path or URL by its file extension.
pub(crate) fn kind_from_extension(path: &str) -> MediaGuess {
    let name = path.rsplit('/').next().unwrap_or(path);
    let Some((_, ext)) = name.rsplit_once('.') else {
        return MediaGuess::Unknown;
    };
    match ext.to_ascii_lowercase().as_str() {
        "jpg" | "jpeg" | "png" | "gif" | "webp" | "tif" | "tiff" | "heic" | "avif" => {
            MediaGuess::Media(Kind::Photo)
        }
        "mp4" | "m4v" | "mov" | "webm" | "mkv" | "avi" | "mpg" | "mpeg" | "m3u8" | "mpd"
        | "ogv" | "wmv" | "flv" => MediaGuess::Media(Kind::Video),
        "mp3" | "m4a" | "aac" | "oga" | "ogg" | "opus" | "wav" | "flac" => {
            MediaGuess::Media(Kind::Audio)
        }
        "pdf" | "doc" | "docx" | "zip" | "html" | "htm" | "txt" | "vtt" | "srt" | "xml" => {
            MediaGuess::NotMedia
        }
        _ => MediaGuess::Unknown,
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

/// The first of `keys` that holds a usable URL.
fn first_url(node: &Map<String, Value>, keys: &[&str], base: &Url) -> Option<Url> {
    keys.iter()
        .find_map(|k| node.get(*k).and_then(|v| url_of(v, base)))
}

/// A URL given as a string, an array (first usable), or an object holding `contentUrl` or
/// `url`; resolved against the page and kept only if it is http(s).
fn url_of(value: &Value, base: &Url) -> Option<Url> {
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
fn text_of(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => text::clean(s),
        Value::Number(n) => Some(n.to_string()),
        Value::Array(values) => values.iter().find_map(text_of),
        Value::Object(o) => o.get("@value").and_then(text_of),
        _ => None,
    }
}

/// Text that may carry markup or entities, as plain text.
fn plain_text(value: &Value) -> Option<String> {
    text_of(value).and_then(|t| text::html_to_text(&t))
}

/// A pixel size as a number, a string (`"1920"`, `"1920 px"`) or a `QuantitativeValue`.
fn dimension(value: &Value) -> Option<u32> {
    match value {
        Value::Number(n) => n
            .as_u64()
            .or_else(|| n.as_f64().filter(|f| *f >= 0.0).map(|f| f.round() as u64))
            .and_then(|n| u32::try_from(n).ok())
            .filter(|n| *n > 0),
        Value::String(s) => parse_dimension(s),
        Value::Object(o) => o.get("value").and_then(dimension),
        Value::Array(values) => values.iter().find_map(dimension),
        _ => None,
    }
}

/// The leading whole number of a size written as text (`"1080"`, `"1080px"`, `"1080.0"`).
pub(crate) fn parse_dimension(text: &str) -> Option<u32> {
    let text = text.trim();
    let digits = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    text[..digits].parse().ok().filter(|n| *n > 0)
}

/// Keywords as a comma-separated string or an array of strings, trimmed and de-duplicated.
fn keywords(value: &Value) -> Vec<String> {
    let mut tags = Vec::new();
    let mut push = |raw: &str| {
        for tag in raw.split(',').filter_map(text::clean) {
            if !tags.contains(&tag) {
                tags.push(tag);
            }
        }
    };
    match value {
        Value::String(s) => push(s),
        Value::Array(values) => values.iter().filter_map(text_of).for_each(|s| push(&s)),
        _ => {}
    }
    tags
}

/// `creditText` when present (it is the credit line the publisher asks for), else the names
/// of the creator, author or copyright holder.
fn creator(node: &Map<String, Value>) -> Option<String> {
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
        Value::Array(values) => {
            let mut all: Vec<String> = Vec::new();
            for name in values.iter().flat_map(names) {
                if !all.contains(&name) {
                    all.push(name);
                }
            }
            all
        }
        _ => Vec::new(),
    }
}

/// The licence's name and URL. `license` may be a URL, a `CreativeWork` or a bare name;
/// `acquireLicensePage` only gives a URL where to ask.
fn license(node: &Map<String, Value>, base: &Url) -> (Option<String>, Option<String>) {
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

/// The preview image: `thumbnailUrl` (string, array or `ImageObject`), `thumbnail`, and for
/// videos and sounds their `image`.
fn thumbnail(node: &Map<String, Value>, kind: Kind, base: &Url) -> Option<String> {
    let mut keys = vec!["thumbnailUrl", "thumbnailURL", "thumbnail"];
    if kind != Kind::Photo {
        keys.push("image");
    }
    first_url(node, &keys, base).map(String::from)
}

/// Running time in whole seconds from the ways pages write it.
///
/// Accepts ISO 8601 durations (`PT1M43S`, `PT2H`, `P0DT1H2M3.5S`, and the broken `T0M44S`
/// without its `P`), clock times (`01:02:03`, `1:43`) and plain seconds (`103`, `103.5`).
/// Fractions are rounded.
pub fn duration_seconds(text: &str) -> Option<u32> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let seconds = if let Ok(n) = text.parse::<f64>() {
        n
    } else if text.contains(':') {
        clock_seconds(text)?
    } else {
        iso_seconds(text)?
    };
    let rounded = seconds.round();
    (rounded.is_finite() && (0.0..=f64::from(u32::MAX)).contains(&rounded))
        .then_some(rounded as u32)
}

/// `HH:MM:SS`, `MM:SS` (fractional seconds allowed).
fn clock_seconds(text: &str) -> Option<f64> {
    let parts: Vec<&str> = text.split(':').collect();
    if parts.len() > 3 {
        return None;
    }
    parts.iter().try_fold(0.0, |total, part| {
        let n: f64 = part.trim().parse().ok()?;
        (n >= 0.0).then_some(total * 60.0 + n)
    })
}

/// ISO 8601 `P[nY][nM][nW][nD][T[nH][nM][nS]]`; years and months are taken as 365 and 30
/// days, which only matters for nonsense values.
fn iso_seconds(text: &str) -> Option<f64> {
    let upper = text.to_ascii_uppercase();
    let body = upper.strip_prefix('P').unwrap_or(&upper);
    let (date, time) = match body.split_once('T') {
        Some((d, t)) => (d, Some(t)),
        None => (body, None),
    };
    let date_units = |u: char| match u {
        'Y' => Some(365.0 * 86400.0),
        'M' => Some(30.0 * 86400.0),
        'W' => Some(7.0 * 86400.0),
        'D' => Some(86400.0),
        _ => None,
    };
    let time_units = |u: char| match u {
        'H' => Some(3600.0),
        'M' => Some(60.0),
        'S' => Some(1.0),
        _ => None,
    };
    let (date_total, date_parts) = iso_components(date, date_units)?;
    let (time_total, time_parts) = match time {
        Some(t) => iso_components(t, time_units)?,
        None => (0.0, 0),
    };
    (date_parts + time_parts > 0).then_some(date_total + time_total)
}

/// Sums `<number><unit>` pairs; `None` on anything else.
fn iso_components(text: &str, unit: impl Fn(char) -> Option<f64>) -> Option<(f64, usize)> {
    let (mut total, mut count, mut number) = (0.0, 0, String::new());
    for c in text.chars() {
        if c.is_ascii_digit() || c == '.' || c == ',' {
            number.push(if c == ',' { '.' } else { c });
            continue;
        }
        let value: f64 = number.parse().ok()?;
        total += value * unit(c)?;
        count += 1;
        number.clear();
    }
    number.is_empty().then_some((total, count))
}

/// Items in first-seen order, merging those that share an id.
#[derive(Default)]
struct Items {
    items: Vec<Item>,
    index: HashMap<String, usize>,
}

impl Items {
    fn add(&mut self, item: Item) {
        match self.index.get(&item.id) {
            Some(&i) => merge_into(&mut self.items[i], item),
            None => {
                self.index.insert(item.id.clone(), self.items.len());
                self.items.push(item);
            }
        }
    }
}

/// Fills what `target` does not know from `other`; tags are united.
pub(crate) fn merge_into(target: &mut Item, other: Item) {
    fn fill<T>(slot: &mut Option<T>, value: Option<T>) {
        if slot.is_none() {
            *slot = value;
        }
    }
    fill(&mut target.title, other.title);
    fill(&mut target.description, other.description);
    fill(&mut target.creator, other.creator);
    fill(&mut target.license, other.license);
    fill(&mut target.license_url, other.license_url);
    fill(&mut target.taken_at, other.taken_at);
    fill(&mut target.published_at, other.published_at);
    fill(&mut target.width, other.width);
    fill(&mut target.height, other.height);
    fill(&mut target.duration_seconds, other.duration_seconds);
    fill(&mut target.page_url, other.page_url);
    fill(&mut target.media_url, other.media_url);
    fill(&mut target.thumbnail_url, other.thumbnail_url);
    fill(&mut target.collection, other.collection);
    for tag in other.tags {
        if !target.tags.contains(&tag) {
            target.tags.push(tag);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GRAPH: &str = include_str!("../../tests/fixtures/jsonld/graph.html");
    const NEWS: &str = include_str!("../../tests/fixtures/jsonld/news_article.html");
    const LIVE: &str = include_str!("../../tests/fixtures/jsonld/live.html");

    fn extract(html: &str, page: &str) -> Vec<Item> {
        items(&Html::parse_document(html), &Url::parse(page).unwrap())
    }

    fn find<'a>(items: &'a [Item], id: &str) -> &'a Item {
        items.iter().find(|i| i.id == id).unwrap_or_else(|| {
            panic!(
                "no item {id} in {:#?}",
                items.iter().map(|i| &i.id).collect::<Vec<_>>()
            )
        })
    }

    fn rfc(t: Option<crate::model::Timestamp>) -> Option<String> {
        t.map(|t| t.to_rfc3339())
    }

    const GRAPH_PAGE: &str = "https://cnes.fr/fr/media/lancement-vs20-cso-1";
    const VIDEO: &str = "https://cnes.fr/sites/default/files/videos/vs20-cso1-launch.mp4";
    const PHOTO: &str = "https://cnes.fr/sites/default/files/2018-12/vs20-decollage.jpg";
    const AUDIO: &str = "https://cnes.fr/fr/media/audio/cso1-interview.mp3";

    #[test]
    fn graph_yields_the_video_photo_and_audio_but_no_logo_or_avatar() {
        let items = extract(GRAPH, GRAPH_PAGE);
        let ids: Vec<&str> = items.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(ids, [PHOTO, VIDEO, AUDIO]);
        assert!(items.iter().all(|i| i.source == Source::JsonLd));
        assert!(
            items
                .iter()
                .all(|i| i.campaigns.is_empty() && i.found_via.is_empty())
        );
    }

    #[test]
    fn video_object_fields_are_read_in_every_shape() {
        let items = extract(GRAPH, GRAPH_PAGE);
        let video = find(&items, VIDEO);
        assert_eq!(video.kind, Kind::Video);
        assert_eq!(video.title.as_deref(), Some("Lancement Soyuz VS20 – CSO-1"));
        assert_eq!(
            video.description.as_deref(),
            Some(
                "Revivez le lancement du satellite CSO-1 par Soyuz depuis le Centre spatial guyanais."
            )
        );
        assert_eq!(
            video.media_url.as_deref(),
            Some(VIDEO),
            "relative contentUrl resolved"
        );
        assert_eq!(
            video.thumbnail_url.as_deref(),
            Some("https://cnes.fr/sites/default/files/2018-12/vs20-video-thumb.jpg")
        );
        assert_eq!(
            rfc(video.published_at).as_deref(),
            Some("2018-12-19T18:02:00+01:00")
        );
        assert_eq!(video.duration_seconds, Some(103));
        assert_eq!((video.width, video.height), (Some(1920), Some(1080)));
        assert_eq!(video.tags, ["VS20", "CSO", "Soyuz", "Kourou"]);
        assert_eq!(video.creator.as_deref(), Some("CNES, Arianespace"));
        assert_eq!(video.license.as_deref(), Some("CC BY-NC 4.0"));
        assert_eq!(
            video.license_url.as_deref(),
            Some("https://creativecommons.org/licenses/by-nc/4.0/")
        );
        assert_eq!(video.page_url.as_deref(), Some(GRAPH_PAGE));
    }

    #[test]
    fn the_same_video_in_two_blocks_is_merged_not_duplicated() {
        let items = extract(GRAPH, GRAPH_PAGE);
        assert_eq!(items.iter().filter(|i| i.kind == Kind::Video).count(), 1);
        let video = find(&items, VIDEO);
        // The first block named it; only the second knew when it was shot.
        assert_eq!(video.title.as_deref(), Some("Lancement Soyuz VS20 – CSO-1"));
        assert_eq!(
            rfc(video.taken_at).as_deref(),
            Some("2018-12-19T13:37:14-03:00")
        );
    }

    #[test]
    fn image_object_prefers_credit_text_and_names_its_licence() {
        let items = extract(GRAPH, GRAPH_PAGE);
        let photo = find(&items, PHOTO);
        assert_eq!(photo.kind, Kind::Photo);
        assert_eq!(photo.title, None);
        assert_eq!(
            photo.description.as_deref(),
            Some("Décollage de Soyuz VS20 avec CSO-1 depuis Kourou")
        );
        assert_eq!(
            photo.creator.as_deref(),
            Some("ESA/CNES/Arianespace - Photo Optique Vidéo du CSG - S. Martin")
        );
        assert_eq!(photo.license.as_deref(), Some("CC BY-SA 4.0"));
        assert_eq!(
            photo.license_url.as_deref(),
            Some("https://creativecommons.org/licenses/by-sa/4.0/deed.fr")
        );
        assert_eq!((photo.width, photo.height), (Some(4928), Some(3264)));
        assert_eq!(
            rfc(photo.taken_at).as_deref(),
            Some("2018-12-19T16:37:14+00:00")
        );
        assert_eq!(photo.published_at, None);
        assert_eq!(photo.duration_seconds, None);
        assert_eq!(photo.tags, ["VS20", "CSO", "Soyuz"]);
        // Its `url` is the file itself, so the page is the one it was found on.
        assert_eq!(photo.page_url.as_deref(), Some(GRAPH_PAGE));
        assert_eq!(photo.media_url.as_deref(), Some(PHOTO));
    }

    #[test]
    fn cdata_wrapped_block_with_odd_type_attribute_is_read() {
        let items = extract(GRAPH, GRAPH_PAGE);
        let audio = find(&items, AUDIO);
        assert_eq!(audio.kind, Kind::Audio);
        assert_eq!(
            audio.title.as_deref(),
            Some("CSO-1 : le point sur la mission")
        );
        assert_eq!(audio.duration_seconds, Some(7200));
        assert_eq!(
            rfc(audio.published_at).as_deref(),
            Some("2018-12-20T00:00:00+00:00")
        );
        assert_eq!(audio.creator.as_deref(), Some("Service de presse du CNES"));
        assert_eq!(audio.thumbnail_url, None);
        assert_eq!(audio.license.as_deref(), Some("Tous droits réservés"));
        assert_eq!(audio.license_url, None);
    }

    #[test]
    fn news_article_nested_media_are_found() {
        let items = extract(NEWS, "https://presse.cnes.fr/en/cso-1-launched-soyuz-vs20");
        assert_eq!(items.len(), 3, "{items:#?}");

        let photo = find(
            &items,
            "https://presse.cnes.fr/en/media/photos/CSO-1_integration.jpg",
        );
        assert_eq!(photo.kind, Kind::Photo);
        assert_eq!(
            photo.title.as_deref(),
            Some("CSO-1 integration in the Soyuz fairing")
        );
        assert_eq!(photo.creator.as_deref(), Some("Pascale Bresson"));
        assert_eq!(photo.license.as_deref(), Some("CC0 1.0"));
        assert_eq!(
            photo.license_url.as_deref(),
            Some("http://creativecommons.org/publicdomain/zero/1.0/")
        );
        assert_eq!((photo.width, photo.height), (Some(3000), Some(2000)));

        let video = find(&items, "https://www.youtube.com/embed/VS20cso1xyz");
        assert_eq!(video.kind, Kind::Video);
        assert_eq!(video.media_url, None, "an embed is a player, not the file");
        assert_eq!((video.width, video.height), (None, None));
        assert_eq!(video.duration_seconds, Some(44), "T0M44S without its P");
        assert_eq!(
            video.description.as_deref(),
            Some("Soyuz VS20 & CSO-1: the replay.")
        );
        assert_eq!(
            video.thumbnail_url.as_deref(),
            Some("https://i.ytimg.com/vi/VS20cso1xyz/hqdefault.jpg")
        );
        assert_eq!(
            video.page_url.as_deref(),
            Some("https://presse.cnes.fr/en/videos/vs20-replay")
        );
        assert_eq!(
            rfc(video.published_at).as_deref(),
            Some("2018-12-19T00:00:00+00:00")
        );
        assert_eq!(video.tags, ["VS20", "CSO", "Kourou"]);

        let audio = find(&items, "https://presse.cnes.fr/media/vs20-countdown.m4a");
        assert_eq!(
            audio.kind,
            Kind::Audio,
            "MediaObject judged by its extension"
        );
        assert_eq!(audio.duration_seconds, Some(3724));
        assert_eq!(audio.creator.as_deref(), Some("CNES, Arianespace"));
        assert_eq!(
            audio.license.as_deref(),
            Some("CC BY 4.0"),
            "licence given by @id"
        );
    }

    #[test]
    fn live_broadcasts_documents_and_references_are_not_media() {
        assert_eq!(
            extract(LIVE, "https://cso.cnes.fr/en/live"),
            Vec::<Item>::new()
        );
    }

    #[test]
    fn a_live_broadcast_with_a_file_is_kept() {
        let html = r#"<script type="application/ld+json">{"@type":"VideoObject","isLiveBroadcast":true,
            "contentUrl":"https://cso.cnes.fr/replay/vs20.mp4"}</script>"#;
        let items = extract(html, "https://cso.cnes.fr/en/live");
        assert_eq!(items.len(), 1);
        assert_eq!(items[0].id, "https://cso.cnes.fr/replay/vs20.mp4");
    }

    #[test]
    fn flickr_photo_pages_give_flickr_ids() {
        let html = r#"<script type="application/ld+json">{"@type":"ImageObject",
            "url":"https://www.flickr.com/photos/cnes/45539063392/",
            "contentUrl":"https://live.staticflickr.com/4876/45539063392_2c5a0e4a1b_b.jpg"}</script>"#;
        let items = extract(html, "https://www.flickr.com/photos/cnes/45539063392/");
        assert_eq!(items[0].id, "flickr:45539063392");
        assert_eq!(
            items[0].page_url.as_deref(),
            Some("https://www.flickr.com/photos/cnes/45539063392/")
        );
    }

    #[test]
    fn garbage_never_panics() {
        for body in [
            "",
            "null",
            "[]",
            "{",
            "[[[[",
            "\"text\"",
            "42",
            "{\"@graph\": 5}",
            "{\"@type\": [1, null]}",
            "{\"@type\":\"VideoObject\",\"contentUrl\":\"javascript:alert(1)\"}",
            "{\"@type\":\"VideoObject\",\"width\":-5,\"duration\":\"PTxS\"}",
        ] {
            let html = format!("<script type=\"application/ld+json\">{body}</script>");
            let _ = extract(&html, "https://cnes.fr/");
        }
        let deep = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
        let html = format!("<script type=\"application/ld+json\">{deep}</script>");
        assert!(extract(&html, "https://cnes.fr/").is_empty());
    }

    #[test]
    fn repair_drops_trailing_commas_and_raw_breaks_but_not_string_content() {
        let fixed = repair_json("{\"a\": \"x,}\n y\", \"b\": [1, 2, ],\n}");
        assert_eq!(
            serde_json::from_str::<Value>(&fixed).unwrap(),
            serde_json::json!({"a": "x,}  y", "b": [1, 2]})
        );
    }

    #[test]
    fn durations_in_every_written_form() {
        for (text, seconds) in [
            ("PT1M43S", Some(103)),
            ("PT2H", Some(7200)),
            ("P0DT1H2M3.5S", Some(3724)),
            ("T0M44S", Some(44)),
            ("pt30s", Some(30)),
            ("P1D", Some(86400)),
            ("PT0.4S", Some(0)),
            ("103", Some(103)),
            ("103.6", Some(104)),
            ("00:01:43", Some(103)),
            ("1:43", Some(103)),
            ("", None),
            ("P", None),
            ("PT", None),
            ("PT1X", None),
            ("soon", None),
            ("-5", None),
            ("1:2:3:4", None),
            ("NaN", None),
        ] {
            assert_eq!(duration_seconds(text), seconds, "{text:?}");
        }
    }

    #[test]
    fn licence_names_from_urls() {
        for (url, name) in [
            (
                "https://creativecommons.org/licenses/by-sa/4.0/",
                Some("CC BY-SA 4.0"),
            ),
            (
                "http://creativecommons.org/licenses/by-nc-sa/2.0/deed.en",
                Some("CC BY-NC-SA 2.0"),
            ),
            (
                "https://creativecommons.org/licenses/by/4.0/legalcode",
                Some("CC BY 4.0"),
            ),
            (
                "https://creativecommons.org/licenses/by-nd/3.0/fr/",
                Some("CC BY-ND 3.0 FR"),
            ),
            (
                "https://www.creativecommons.org/licenses/by/2.0",
                Some("CC BY 2.0"),
            ),
            (
                "https://creativecommons.org/publicdomain/zero/1.0/",
                Some("CC0 1.0"),
            ),
            (
                "https://creativecommons.org/publicdomain/mark/1.0/deed.fr",
                Some("Public Domain Mark 1.0"),
            ),
            (
                "https://www.flickr.com/commons/usage/",
                Some("No known copyright restrictions"),
            ),
            (
                "https://www.usa.gov/government-copyright",
                Some("United States Government Work"),
            ),
            ("https://creativecommons.org/licenses/", None),
            ("https://creativecommons.org/licenses/xyz/4.0/", None),
            ("https://cnes.fr/licenses/by/4.0/", None),
            ("not a url", None),
        ] {
            assert_eq!(license_name_from_url(url).as_deref(), name, "{url}");
        }
    }

    #[test]
    fn kinds_from_formats_and_names() {
        assert_eq!(
            kind_from_format("video/mp4"),
            MediaGuess::Media(Kind::Video)
        );
        assert_eq!(
            kind_from_format("Image/JPEG; q=1"),
            MediaGuess::Media(Kind::Photo)
        );
        assert_eq!(kind_from_format("mp3"), MediaGuess::Media(Kind::Audio));
        assert_eq!(kind_from_format("application/pdf"), MediaGuess::NotMedia);
        assert_eq!(kind_from_format("whatever"), MediaGuess::Unknown);
        assert_eq!(
            kind_from_extension("/a/b.JPG"),
            MediaGuess::Media(Kind::Photo)
        );
        assert_eq!(kind_from_extension("/a.b/c"), MediaGuess::Unknown);
    }
}

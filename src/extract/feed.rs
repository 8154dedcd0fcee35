//! RSS and Atom feeds (Flickr photoset feeds, podcasts, Media RSS video feeds) as media items.
//!
//! `feed-rs` does the base parse: entries, titles, summaries, links, authors, categories and
//! the media objects it builds from `media:content`, `media:group` and `<enclosure>`. It
//! drops what an archive needs most, though, so a second light pass with `quick-xml` reads,
//! per entry:
//!
//! - `media:category`, `media:keywords` (tags), `dc:date.Taken` and `flickr:date_taken`
//!   (when shot), `media:license`, `creativeCommons:license`, `media:copyright`;
//! - `media:credit role=…` (feed-rs keeps the name, not the role);
//! - the attributes of each `media:content`: `medium`, `isDefault`, whether it sits in a
//!   `media:group`, and sizes written loosely (`width=" 1920"`) that feed-rs gives up on;
//! - `pubDate`/`published` as written, because feed-rs converts them to UTC and the item
//!   must keep the offset the source stated;
//! - `itunes:duration`, which feed-rs drops when an episode has no other iTunes field.
//!
//! Entries of both passes are matched by position (document order): both walk the same
//! `item`/`entry` elements. When the counts differ, matching falls back to guid or link.
//! Media contents are matched by URL.
//!
//! Before either pass, the text is prepared: the caller has already decoded it, so a stale
//! `encoding="ISO-8859-1"` declaration is removed (feed-rs would decode the UTF-8 again), and
//! the Media RSS quirks that make feed-rs reject a whole feed (an empty `<media:title/>`, a
//! `type="text"`) are neutralised.

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::LazyLock;

use feed_rs::model::{Entry, MediaContent, MediaObject, Person};
use quick_xml::NsReader;
use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use regex::Regex;
use url::Url;

use super::jsonld::{
    MediaGuess, duration_seconds, kind_from_extension, kind_from_format, license_name_from_url,
    merge_into, parse_dimension,
};
use super::{dates, text};
use crate::flickr::urls::photo_id;
use crate::model::{Item, Kind, Source, Timestamp};
use crate::urls;

/// Flickr opens every description with `<name> posted a photo:`, which says nothing.
static FLICKR_BOILERPLATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?s)^.{0,300}?\bposted an? (?:photo|video):\s*").expect("valid regex")
});

/// `© 2018`, `(c) 2018-2019`, `Copyright 2018,` before the holder's name.
static COPYRIGHT_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:©|\(c\)|copyright)?\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?)?\s*[,:]?\s*")
        .expect("valid regex")
});

/// Whether a response is an RSS or Atom feed, from its declared type and its root element.
///
/// Feed types (`application/rss+xml`, `application/atom+xml`) are trusted. Generic XML types,
/// a missing type, `text/plain` and `application/octet-stream` (servers label feeds every
/// way) are decided by the root element: `rss`, `feed` or `rdf:RDF`, after any BOM, XML
/// declaration, comments and doctype. JSON Feed is not read here.
pub fn looks_like_feed(content_type: Option<&str>, body: &str) -> bool {
    let essence = content_type
        .and_then(|t| t.split(';').next())
        .map(|t| t.trim().to_ascii_lowercase())
        .unwrap_or_default();
    match essence.as_str() {
        "application/rss+xml" | "application/atom+xml" => true,
        "" | "text/plain" | "application/octet-stream" => is_feed_root(body),
        t if t.ends_with("/xml") || t.ends_with("+xml") => is_feed_root(body),
        _ => false,
    }
}

fn is_feed_root(body: &str) -> bool {
    root_element(body).is_some_and(|name| {
        let local = name.rsplit(':').next().unwrap_or(name);
        name.eq_ignore_ascii_case("rss") || local == "feed" || local == "RDF"
    })
}

/// The name of the first element, skipping the prolog.
fn root_element(body: &str) -> Option<&str> {
    let mut rest = body.trim_start_matches('\u{feff}');
    loop {
        rest = rest.trim_start();
        if let Some(r) = rest.strip_prefix("<?") {
            rest = r.split_once("?>")?.1;
        } else if let Some(r) = rest.strip_prefix("<!--") {
            rest = r.split_once("-->")?.1;
        } else if let Some(r) = rest.strip_prefix("<!") {
            rest = skip_doctype(r)?;
        } else {
            let r = rest.strip_prefix('<')?;
            let end = r
                .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
                .unwrap_or(r.len());
            return Some(&r[..end]).filter(|n| !n.is_empty());
        }
    }
}

/// What follows a doctype, which may hold an internal subset in brackets.
fn skip_doctype(rest: &str) -> Option<&str> {
    let close = rest.find('>')?;
    match rest.find('[') {
        Some(open) if open < close => rest[open..].split_once("]")?.1.split_once('>').map(|p| p.1),
        _ => Some(&rest[close + 1..]),
    }
}

/// Media items of a feed: one per media object of each entry, in feed order.
///
/// An entry without media (a text-only news entry) gives nothing; an entry whose media URL
/// is broken is skipped; a feed that cannot be parsed gives an empty list.
pub fn items(body: &str, feed_url: &Url) -> Vec<Item> {
    let text = prepare(body);
    let parser = feed_rs::parser::Builder::new()
        .base_uri(Some(feed_url.as_str()))
        .build();
    let Ok(feed) = parser.parse(text.as_bytes()) else {
        return Vec::new();
    };
    let extras = pair_extras(&feed.entries, scan_extras(&text, feed_url));
    let collection = feed
        .title
        .as_ref()
        .and_then(|t| text::html_to_text(&t.content));
    let mut out: Vec<Item> = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (entry, extras) in feed.entries.iter().zip(&extras) {
        for mut item in entry_items(entry, extras, feed_url) {
            item.collection.clone_from(&collection);
            match seen.get(&item.id) {
                Some(&i) => merge_into(&mut out[i], item),
                None => {
                    seen.insert(item.id.clone(), out.len());
                    out.push(item);
                }
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------
// Preparing the text

/// The body without BOM and XML declaration, with feed-rs's fatal Media RSS quirks removed.
fn prepare(body: &str) -> Cow<'_, str> {
    let body = without_declaration(body.trim_start_matches('\u{feff}'));
    let edits = media_text_repairs(body);
    if edits.is_empty() {
        return Cow::Borrowed(body);
    }
    let mut out = String::with_capacity(body.len());
    let mut at = 0;
    for (range, replacement) in edits {
        // Edits come in document order without overlap; anything else would be a bug here,
        // and the untouched text is the safe answer.
        let Some(kept) = body.get(at..range.start) else {
            return Cow::Borrowed(body);
        };
        out.push_str(kept);
        out.push_str(&replacement);
        at = range.end;
    }
    out.push_str(body.get(at..).unwrap_or_default());
    Cow::Owned(out)
}

/// Drops `<?xml … ?>`: the text is already UTF-8, whatever the declaration says.
fn without_declaration(body: &str) -> &str {
    let trimmed = body.trim_start();
    let is_declaration = trimmed
        .strip_prefix("<?xml")
        .is_some_and(|r| r.starts_with(|c: char| c.is_whitespace() || c == '?'));
    if !is_declaration {
        return body;
    }
    trimmed.split_once("?>").map_or(body, |(_, rest)| rest)
}

/// An open `media:title` or `media:description` while scanning for repairs.
struct OpenText {
    start: usize,
    tag_end: usize,
    name: String,
    has_text: bool,
    rewritten_tag: Option<String>,
}

/// Edits (byte range, replacement) that stop feed-rs from rejecting the whole feed: it fails
/// on an empty `media:title`/`media:description` ("missing text") and on a `type` other than
/// `plain` or `html`. Empty ones are removed; a bad `type` is dropped. Unparsable XML gives no
/// edits and is left to feed-rs to reject.
fn media_text_repairs(body: &str) -> Vec<(Range<usize>, String)> {
    let mut reader = NsReader::from_str(body);
    let mut edits = Vec::new();
    let mut open: Option<OpenText> = None;
    loop {
        let start = position(&reader);
        let Ok((ns, event)) = reader.read_resolved_event() else {
            return Vec::new();
        };
        let is_media = matches!(ns, ResolveResult::Bound(n) if is_media_ns(n.as_ref()));
        let end = position(&reader);
        match event {
            Event::Start(e) if open.is_none() && is_media && is_media_text(&e) => {
                open = Some(OpenText {
                    start,
                    tag_end: end,
                    name: e.name().as_ref().to_string(),
                    has_text: false,
                    rewritten_tag: without_bad_type(&e),
                });
            }
            Event::Empty(e) if open.is_none() && is_media && is_media_text(&e) => {
                edits.push((start..end, String::new()));
            }
            Event::End(e) => {
                if let Some(o) = open.take_if(|o| o.name == e.name().as_ref()) {
                    if !o.has_text {
                        edits.push((o.start..end, String::new()));
                    } else if let Some(tag) = o.rewritten_tag {
                        edits.push((o.start..o.tag_end, tag));
                    }
                }
            }
            Event::Text(t) => mark_text(&mut open, !t.xml10_content().trim().is_empty()),
            Event::CData(t) => mark_text(&mut open, !t.xml10_content().trim().is_empty()),
            Event::GeneralRef(_) | Event::Start(_) | Event::Empty(_) => mark_text(&mut open, true),
            Event::Eof => return edits,
            _ => {}
        }
    }
}

fn position(reader: &NsReader<&[u8]>) -> usize {
    usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX)
}

fn mark_text(open: &mut Option<OpenText>, has_text: bool) {
    if let Some(o) = open {
        o.has_text |= has_text;
    }
}

fn is_media_text(e: &BytesStart<'_>) -> bool {
    matches!(e.local_name().as_ref(), "title" | "description")
}

/// The start tag rewritten without its `type`, if that type would make feed-rs fail.
fn without_bad_type(e: &BytesStart<'_>) -> Option<String> {
    let attributes: Vec<_> = e.attributes().flatten().collect();
    let bad = attributes
        .iter()
        .any(|a| a.key.as_ref() == "type" && !matches!(a.value.as_ref(), "plain" | "html"));
    if !bad {
        return None;
    }
    let mut tag = format!("<{}", e.name().as_ref());
    for a in attributes.iter().filter(|a| a.key.as_ref() != "type") {
        let quote = if a.value.contains('"') { '\'' } else { '"' };
        tag.push_str(&format!(" {}={quote}{}{quote}", a.key.as_ref(), a.value));
    }
    tag.push('>');
    Some(tag)
}

// ---------------------------------------------------------------------------------------
// The second pass

/// What feed-rs does not say about one entry.
#[derive(Debug, Default)]
struct Extras {
    /// The guid or Atom id, to match entries when counts differ.
    id: Option<String>,
    /// The entry's link, for the same purpose.
    link: Option<String>,
    published: Option<String>,
    taken: Option<String>,
    tags: Vec<String>,
    license_url: Option<String>,
    license_name: Option<String>,
    copyright: Option<String>,
    duration: Option<String>,
    credits: Vec<Credit>,
    contents: Vec<ContentHint>,
}

#[derive(Debug)]
struct Credit {
    role: Option<String>,
    name: String,
}

/// The attributes of one `media:content`.
#[derive(Debug, Default)]
struct ContentHint {
    /// Resolved against the feed URL, as feed-rs resolves it, to match its contents.
    url: Option<String>,
    mime: Option<String>,
    medium: Option<String>,
    is_default: bool,
    group: Option<usize>,
    width: Option<u32>,
    height: Option<u32>,
    duration: Option<u32>,
    file_size: Option<u64>,
}

/// The namespaces the second pass reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ns {
    /// No namespace (RSS 2.0) or RSS 1.0's.
    Plain,
    Atom,
    Media,
    Dc,
    Flickr,
    CreativeCommons,
    Itunes,
    Other,
}

fn classify(ns: &ResolveResult<'_>) -> Ns {
    let uri = match ns {
        ResolveResult::Bound(n) => n.as_ref(),
        _ => return Ns::Plain,
    };
    let lower = uri.to_ascii_lowercase();
    match lower.as_str() {
        "http://purl.org/rss/1.0/" | "http://my.netscape.com/rdf/simple/0.9/" => Ns::Plain,
        "http://www.w3.org/2005/atom" => Ns::Atom,
        "http://purl.org/dc/elements/1.1/" => Ns::Dc,
        "http://www.itunes.com/dtds/podcast-1.0.dtd" => Ns::Itunes,
        _ if is_media_ns(uri) => Ns::Media,
        u if u.starts_with("urn:flickr") => Ns::Flickr,
        u if u.contains("creativecommons") || u == "http://web.resource.org/cc/" => {
            Ns::CreativeCommons
        }
        _ => Ns::Other,
    }
}

fn is_media_ns(uri: &str) -> bool {
    uri.trim_end_matches('/') == "http://search.yahoo.com/mrss"
}

/// Text elements whose content the second pass keeps.
#[derive(Clone, Debug)]
enum Field {
    Id,
    Link,
    Published,
    Taken,
    Category {
        flickr_tags: bool,
        label: Option<String>,
    },
    Keywords,
    LicenseName,
    LicenseUrl,
    Copyright,
    Credit {
        role: Option<String>,
    },
    Duration,
}

/// The entry being read and the element whose text is being collected.
#[derive(Default)]
struct Scan {
    entries: Vec<Extras>,
    /// The open entry and its depth.
    entry: Option<(usize, Extras)>,
    /// Local names of the open elements.
    stack: Vec<String>,
    /// The open `media:group`: its index within the entry, and its depth.
    group: Option<(usize, usize)>,
    groups: usize,
    /// The field being collected, at which depth, and its text so far.
    field: Option<(usize, Field, String)>,
}

/// Reads the extras of every entry, in document order. Broken XML ends the scan; entries
/// read so far are kept.
fn scan_extras(body: &str, base: &Url) -> Vec<Extras> {
    let mut reader = NsReader::from_str(body);
    reader.config_mut().allow_dangling_amp = true;
    let mut scan = Scan::default();
    while let Ok((ns, event)) = reader.read_resolved_event() {
        let ns = classify(&ns);
        match event {
            Event::Start(e) => {
                scan.open(ns, &e, false, base);
                scan.stack.push(e.local_name().as_ref().to_string());
            }
            Event::Empty(e) => scan.open(ns, &e, true, base),
            Event::End(_) => {
                scan.stack.pop();
                scan.close(base);
            }
            Event::Text(t) => scan.push_text(&t.xml10_content()),
            Event::CData(t) => scan.push_text(&t.xml10_content()),
            Event::GeneralRef(r) => {
                let decoded = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    _ => quick_xml::escape::resolve_predefined_entity(&r.xml10_content())
                        .map_or_else(|| format!("&{};", r.xml10_content()), str::to_string),
                };
                scan.push_text(&decoded);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    scan.entries
}

impl Scan {
    /// An element opens (or is empty, when `empty`).
    fn open(&mut self, ns: Ns, e: &BytesStart<'_>, empty: bool, base: &Url) {
        let depth = self.stack.len();
        let local = e.local_name().as_ref().to_string();
        let Some((entry_depth, extras)) = self.entry.as_mut() else {
            if !empty && is_entry(&local, self.stack.last().map(String::as_str)) {
                self.entry = Some((depth, Extras::default()));
                self.groups = 0;
            }
            return;
        };
        if self.field.is_some() {
            return;
        }
        let child = depth == *entry_depth + 1;
        match (ns, local.as_str()) {
            (Ns::Media, "group") if !empty => {
                self.group = Some((self.groups, depth));
                self.groups += 1;
            }
            (Ns::Media, "content") => {
                let group = self.group.map(|(index, _)| index);
                extras.contents.push(content_hint(e, group, base));
            }
            _ => {
                read_attributes(extras, ns, &local, e, child, base);
                if let Some(field) = text_field(ns, &local, e, child).filter(|_| !empty) {
                    self.field = Some((depth, field, String::new()));
                }
            }
        }
    }

    fn push_text(&mut self, text: &str) {
        if let Some((_, _, collected)) = self.field.as_mut() {
            collected.push_str(text);
        }
    }

    /// An element closes; `self.stack` no longer holds it, so its depth is the stack's length.
    fn close(&mut self, base: &Url) {
        let depth = self.stack.len();
        if let Some((_, field, collected)) = self.field.take_if(|(d, _, _)| *d == depth) {
            if let Some((_, extras)) = self.entry.as_mut() {
                store(extras, field, &collected, base);
            }
        }
        self.group.take_if(|(_, d)| *d == depth);
        if let Some((_, extras)) = self.entry.take_if(|(d, _)| *d == depth) {
            self.entries.push(extras);
        }
    }
}

/// Values carried in attributes: an Atom link's `href`, a licence's `href` or
/// `rdf:resource`.
fn read_attributes(
    extras: &mut Extras,
    ns: Ns,
    local: &str,
    e: &BytesStart<'_>,
    child: bool,
    base: &Url,
) {
    match (ns, local) {
        (Ns::Atom, "link") if child && extras.link.is_none() && is_alternate(e) => {
            extras.link = attr(e, "href").and_then(|h| resolve(base, &h));
        }
        (Ns::Media, "license") => {
            let href = attr(e, "href").and_then(|h| resolve(base, &h));
            set_once(&mut extras.license_url, href);
        }
        (Ns::CreativeCommons, "license") => {
            let href = attr(e, "resource").or_else(|| attr(e, "href"));
            set_once(
                &mut extras.license_url,
                href.and_then(|h| resolve(base, &h)),
            );
        }
        _ => {}
    }
}

/// An Atom link to the entry's page: `rel="alternate"` or no `rel` at all.
fn is_alternate(e: &BytesStart<'_>) -> bool {
    attr(e, "rel").as_deref().is_none_or(|r| r == "alternate")
}

/// The field an element's text fills, if it is one the second pass keeps. The entry's own
/// id and link must be its children, not those of an Atom `<source>`.
fn text_field(ns: Ns, local: &str, e: &BytesStart<'_>, child: bool) -> Option<Field> {
    Some(match (ns, local) {
        (Ns::Plain, "guid") | (Ns::Atom, "id") if child => Field::Id,
        (Ns::Plain, "link") if child => Field::Link,
        (Ns::Plain, "pubDate") | (Ns::Atom, "published") | (Ns::Dc, "date") => Field::Published,
        (Ns::Dc, "date.Taken") | (Ns::Flickr, "date_taken") => Field::Taken,
        (Ns::Media, "category") => Field::Category {
            flickr_tags: attr(e, "scheme").as_deref() == Some("urn:flickr:tags"),
            label: attr(e, "label"),
        },
        (Ns::Media, "keywords") => Field::Keywords,
        (Ns::Media, "license") => Field::LicenseName,
        (Ns::CreativeCommons, "license") => Field::LicenseUrl,
        (Ns::Media, "copyright") => Field::Copyright,
        (Ns::Media, "credit") => Field::Credit {
            role: attr(e, "role"),
        },
        (Ns::Itunes, "duration") => Field::Duration,
        _ => return None,
    })
}

/// `item` in an RSS channel (2.0) or document (1.0), `entry` in an Atom feed: the elements
/// feed-rs turns into entries.
fn is_entry(local: &str, parent: Option<&str>) -> bool {
    matches!(
        (local, parent),
        ("item", Some("channel" | "RDF")) | ("entry", Some("feed"))
    )
}

fn store(extras: &mut Extras, field: Field, collected: &str, base: &Url) {
    let value = text::clean(collected);
    match field {
        Field::Id => set_once(&mut extras.id, value),
        Field::Link => set_once(&mut extras.link, value.and_then(|v| resolve(base, &v))),
        Field::Published => set_once(&mut extras.published, value),
        Field::Taken => set_once(&mut extras.taken, value),
        Field::Category { flickr_tags, label } => {
            let tags: Vec<String> = match (flickr_tags, label.and_then(|l| text::clean(&l))) {
                // Flickr's tag category holds the photo's tags, separated by spaces.
                (true, _) => collected.split_whitespace().map(str::to_string).collect(),
                (false, Some(label)) => vec![label],
                (false, None) => value.into_iter().collect(),
            };
            add_tags(&mut extras.tags, tags);
        }
        Field::Keywords => {
            add_tags(
                &mut extras.tags,
                collected.split(',').filter_map(text::clean),
            );
        }
        Field::LicenseName => set_once(&mut extras.license_name, value),
        Field::LicenseUrl => {
            // Text, not an attribute: only an absolute URL is one, not a licence's name.
            let url = value.and_then(|v| urls::absolute(&v)).map(String::from);
            set_once(&mut extras.license_url, url);
        }
        Field::Copyright => set_once(&mut extras.copyright, value),
        Field::Credit { role } => {
            if let Some(name) = value {
                let role = role.map(|r| r.trim().to_ascii_lowercase());
                extras.credits.push(Credit { role, name });
            }
        }
        Field::Duration => set_once(&mut extras.duration, value),
    }
}

fn content_hint(e: &BytesStart<'_>, group: Option<usize>, base: &Url) -> ContentHint {
    ContentHint {
        url: attr(e, "url").and_then(|u| resolve(base, &u)),
        mime: attr(e, "type"),
        medium: attr(e, "medium").map(|m| m.trim().to_ascii_lowercase()),
        is_default: attr(e, "isDefault").is_some_and(|v| v.trim().eq_ignore_ascii_case("true")),
        group,
        width: attr(e, "width").and_then(|v| parse_dimension(&v)),
        height: attr(e, "height").and_then(|v| parse_dimension(&v)),
        duration: attr(e, "duration").and_then(|v| duration_seconds(&v)),
        file_size: attr(e, "fileSize").and_then(|v| v.trim().parse().ok()),
    }
}

/// An attribute's decoded value, by local name (`rdf:resource` is `resource`).
fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| a.normalized_value(XmlVersion::Implicit1_0).ok())
        .map(Cow::into_owned)
}

fn resolve(base: &Url, href: &str) -> Option<String> {
    base.join(href.trim()).ok().map(String::from)
}

fn set_once<T>(slot: &mut Option<T>, value: Option<T>) {
    if slot.is_none() {
        *slot = value;
    }
}

fn add_tags(tags: &mut Vec<String>, new: impl IntoIterator<Item = String>) {
    for tag in new {
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
}

/// One `Extras` per feed-rs entry: by position when both passes saw the same entries, else
/// by guid or link, else empty.
fn pair_extras(entries: &[Entry], mut extras: Vec<Extras>) -> Vec<Extras> {
    if extras.len() == entries.len() {
        return extras;
    }
    entries
        .iter()
        .map(|entry| {
            let found = extras.iter().position(|x| {
                x.id.as_deref() == Some(entry.id.trim())
                    || x.link
                        .as_deref()
                        .is_some_and(|l| entry.links.iter().any(|el| el.href == l))
            });
            found.map(|i| extras.swap_remove(i)).unwrap_or_default()
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// Items

/// One candidate file of an entry, with what is known about it.
struct Media<'a> {
    url: Url,
    mime: Option<String>,
    hint: Option<&'a ContentHint>,
    content: Option<&'a MediaContent>,
    object: Option<&'a MediaObject>,
}

fn entry_items(entry: &Entry, extras: &Extras, feed_url: &Url) -> Vec<Item> {
    let media = entry_media(entry, extras, feed_url);
    if media.is_empty() {
        return Vec::new();
    }
    let flickr = flickr_photo(entry);
    media
        .iter()
        .filter_map(|m| media_item(m, entry, extras, flickr.as_ref(), feed_url))
        .collect()
}

/// The entry's media: each `media:content`, the best of each `media:group`, else each
/// enclosure. feed-rs has already preferred Media RSS over `<enclosure>`.
fn entry_media<'a>(entry: &'a Entry, extras: &'a Extras, feed_url: &Url) -> Vec<Media<'a>> {
    let mut out = Vec::new();
    for object in &entry.media {
        let candidates: Vec<Media<'a>> = object
            .content
            .iter()
            .filter_map(|content| content_media(content, object, extras, feed_url))
            .collect();
        let grouped = candidates
            .iter()
            .any(|m| m.hint.is_some_and(|h| h.group.is_some()));
        if grouped {
            out.extend(best_representation(candidates));
        } else {
            out.extend(candidates);
        }
    }
    if out.is_empty() {
        out.extend(atom_enclosures(entry, feed_url));
    }
    out
}

/// One `media:content` or enclosure from feed-rs, with the second pass's hint about it.
fn content_media<'a>(
    content: &'a MediaContent,
    object: &'a MediaObject,
    extras: &'a Extras,
    feed_url: &Url,
) -> Option<Media<'a>> {
    let resolved = content.url.as_ref()?;
    let hint = extras
        .contents
        .iter()
        .find(|h| h.url.as_deref() == Some(resolved.as_str()));
    let mime = content
        .content_type
        .as_ref()
        .map(ToString::to_string)
        .or_else(|| hint.and_then(|h| h.mime.clone()));
    Some(Media {
        url: web_url(resolved.as_str(), feed_url)?,
        mime,
        hint,
        content: Some(content),
        object: Some(object),
    })
}

/// Atom's `<link rel="enclosure">`, which feed-rs leaves among the links.
fn atom_enclosures<'a>(entry: &'a Entry, feed_url: &Url) -> impl Iterator<Item = Media<'a>> {
    entry
        .links
        .iter()
        .filter(|l| l.rel.as_deref() == Some("enclosure"))
        .filter_map(move |l| {
            Some(Media {
                url: web_url(&l.href, feed_url)?,
                mime: l.media_type.clone(),
                hint: None,
                content: None,
                object: None,
            })
        })
}

/// The file that stands for a `media:group`: the largest in pixels (the model wants the
/// best file), then the one marked `isDefault`, then the largest in bytes, then the first.
fn best_representation(candidates: Vec<Media<'_>>) -> Option<Media<'_>> {
    let score = |m: &Media<'_>| {
        let (w, h) = (width(m).unwrap_or(0), height(m).unwrap_or(0));
        let hint = m.hint;
        (
            u64::from(w) * u64::from(h),
            hint.is_some_and(|h| h.is_default),
            hint.and_then(|h| h.file_size)
                .or_else(|| m.content.and_then(|c| c.size))
                .unwrap_or(0),
        )
    };
    let mut best: Option<(Media<'_>, (u64, bool, u64))> = None;
    for m in candidates {
        let s = score(&m);
        if best.as_ref().is_none_or(|(_, b)| s > *b) {
            best = Some((m, s));
        }
    }
    best.map(|(m, _)| m)
}

fn width(m: &Media<'_>) -> Option<u32> {
    m.hint
        .and_then(|h| h.width)
        .or_else(|| m.content.and_then(|c| c.width))
}

fn height(m: &Media<'_>) -> Option<u32> {
    m.hint
        .and_then(|h| h.height)
        .or_else(|| m.content.and_then(|c| c.height))
}

/// An absolute http(s) URL, or `None` for anything a crawler cannot fetch.
fn web_url(href: &str, base: &Url) -> Option<Url> {
    urls::followable(base, href)
}

/// The Flickr photo an entry is about, from its guid or one of its links.
struct FlickrPhoto {
    id: String,
    page: Option<Url>,
}

fn flickr_photo(entry: &Entry) -> Option<FlickrPhoto> {
    let link = entry
        .links
        .iter()
        .find_map(|l| photo_id(&l.href).map(|id| (id, l.href.as_str())));
    match (photo_id(&entry.id), link) {
        (_, Some((id, page))) => Some(FlickrPhoto {
            id,
            page: Url::parse(page).ok(),
        }),
        (Some(id), None) => Some(FlickrPhoto { id, page: None }),
        (None, None) => None,
    }
}

fn media_item(
    m: &Media<'_>,
    entry: &Entry,
    extras: &Extras,
    flickr: Option<&FlickrPhoto>,
    feed_url: &Url,
) -> Option<Item> {
    let kind = media_kind(m, flickr.is_some())?;
    let id = match flickr {
        Some(photo) => format!("flickr:{}", photo.id),
        None => urls::canonical(&m.url),
    };
    let mut item = Item::new(id, kind, Source::Feed);
    item.title = m
        .object
        .and_then(|o| o.title.as_ref())
        .and_then(|t| text::html_to_text(&t.content))
        .or_else(|| {
            entry
                .title
                .as_ref()
                .and_then(|t| text::html_to_text(&t.content))
        });
    item.description = description(m.object, entry, flickr.is_some());
    item.creator = creator(m.object, entry, extras);
    item.tags = tags(entry, extras);
    (item.license, item.license_url) = license(entry, extras);
    item.taken_at = extras.taken.as_deref().and_then(dates::parse);
    item.published_at = published(entry, extras);
    item.width = width(m);
    item.height = height(m);
    if kind != Kind::Photo {
        item.duration_seconds = duration(m, entry, extras);
    }
    item.thumbnail_url = m
        .object
        .and_then(|o| o.thumbnails.first())
        .and_then(|t| web_url(&t.image.uri, feed_url))
        .map(String::from);
    item.page_url = flickr
        .and_then(|p| p.page.clone())
        .or_else(|| entry_page(entry, feed_url))
        .map(String::from);
    item.media_url = Some(m.url.to_string());
    Some(item)
}

/// Photo, video or audio from `medium`, then the MIME type, then the file name; a Flickr
/// entry that says nothing is a photo. Anything else (a PDF press kit) is not media.
fn media_kind(m: &Media<'_>, flickr: bool) -> Option<Kind> {
    match m.hint.and_then(|h| h.medium.as_deref()) {
        Some("image") => return Some(Kind::Photo),
        Some("video") => return Some(Kind::Video),
        Some("audio") => return Some(Kind::Audio),
        Some("document" | "executable") => return None,
        _ => {}
    }
    if let Some(MediaGuess::Media(kind)) = m.mime.as_deref().map(kind_from_format) {
        return Some(kind);
    }
    if let MediaGuess::Media(kind) = kind_from_extension(m.url.path()) {
        return Some(kind);
    }
    flickr.then_some(Kind::Photo)
}

/// `media:description`, else the entry's summary or content, as plain text; Flickr's
/// "X posted a photo:" preamble is dropped.
fn description(object: Option<&MediaObject>, entry: &Entry, flickr: bool) -> Option<String> {
    let html = object
        .and_then(|o| o.description.as_ref())
        .map(|t| t.content.as_str())
        .filter(|t| !t.trim().is_empty())
        .or_else(|| entry.summary.as_ref().map(|t| t.content.as_str()))
        .or_else(|| entry.content.as_ref().and_then(|c| c.body.as_deref()))?;
    let plain = text::html_to_text(html)?;
    if !flickr {
        return Some(plain);
    }
    text::clean(&FLICKR_BOILERPLATE.replace(&plain, ""))
}

/// `media:credit` (a photographer or author before other roles), else the entry's author
/// or `dc:creator`, else the holder named in `media:copyright`.
fn creator(object: Option<&MediaObject>, entry: &Entry, extras: &Extras) -> Option<String> {
    let role_rank = |name: &str| {
        let role = extras
            .credits
            .iter()
            .find(|c| c.name == name)
            .and_then(|c| c.role.as_deref());
        match role {
            Some("photographer" | "author") => 0,
            None => 1,
            Some(_) => 2,
        }
    };
    let mut names: Vec<String> = object
        .map(|o| {
            o.credits
                .iter()
                .filter_map(|c| text::clean(&c.entity))
                .collect()
        })
        .unwrap_or_default();
    if names.is_empty() {
        names = extras.credits.iter().map(|c| c.name.clone()).collect();
    }
    names.sort_by_key(|n| role_rank(n));
    names
        .into_iter()
        .next()
        .or_else(|| entry.authors.iter().find_map(person_name))
        .or_else(|| extras.copyright.as_deref().and_then(copyright_holder))
}

/// A person's name; feed-rs leaves Flickr's `nobody@flickr.com ("Name")` as `("Name")`.
fn person_name(person: &Person) -> Option<String> {
    let name = person.name.as_deref()?.trim();
    let name = name
        .strip_prefix('(')
        .and_then(|n| n.strip_suffix(')'))
        .unwrap_or(name);
    text::clean(name.trim().trim_matches('"'))
}

fn copyright_holder(notice: &str) -> Option<String> {
    text::clean(&COPYRIGHT_PREFIX.replace(notice, ""))
}

/// `media:category` and `media:keywords` tags, then the entry's categories.
fn tags(entry: &Entry, extras: &Extras) -> Vec<String> {
    let mut tags = extras.tags.clone();
    let categories = entry.categories.iter().filter_map(|c| text::clean(&c.term));
    add_tags(&mut tags, categories);
    tags
}

/// The licence from `media:license` or `creativeCommons:license`, else an Atom
/// `<link rel="license">`; named from its URL when it is a known one.
fn license(entry: &Entry, extras: &Extras) -> (Option<String>, Option<String>) {
    let url = extras.license_url.clone().or_else(|| {
        entry
            .links
            .iter()
            .find(|l| l.rel.as_deref() == Some("license"))
            .map(|l| l.href.clone())
    });
    let name = url
        .as_deref()
        .and_then(license_name_from_url)
        .or_else(|| extras.license_name.clone());
    (name, url)
}

/// The date as written (with its offset), else feed-rs's UTC reading, else `updated`.
fn published(entry: &Entry, extras: &Extras) -> Option<Timestamp> {
    extras
        .published
        .as_deref()
        .and_then(dates::parse)
        .or_else(|| entry.published.or(entry.updated).map(|t| t.fixed_offset()))
}

fn duration(m: &Media<'_>, entry: &Entry, extras: &Extras) -> Option<u32> {
    let seconds = |d: std::time::Duration| u32::try_from(d.as_secs()).ok();
    m.hint
        .and_then(|h| h.duration)
        .or_else(|| m.content.and_then(|c| c.duration).and_then(seconds))
        .or_else(|| extras.duration.as_deref().and_then(duration_seconds))
        .or_else(|| {
            entry
                .media
                .iter()
                .find_map(|o| o.duration)
                .and_then(seconds)
        })
}

/// The entry's own page: its first plain or `alternate` link.
fn entry_page(entry: &Entry, feed_url: &Url) -> Option<Url> {
    entry
        .links
        .iter()
        .filter(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
        .find_map(|l| web_url(&l.href, feed_url))
}

#[cfg(test)]
mod tests {
    use super::*;

    const FLICKR_RSS: &str = include_str!("../../tests/fixtures/feeds/flickr_photoset.rss");
    const FLICKR_ATOM: &str = include_str!("../../tests/fixtures/feeds/flickr_photoset.atom");
    const PODCAST: &str = include_str!("../../tests/fixtures/feeds/podcast.rss");
    const MEDIA_GROUP: &str = include_str!("../../tests/fixtures/feeds/media_group.rss");
    const EMPTY: &str = include_str!("../../tests/fixtures/feeds/empty.rss");

    const FLICKR_FEED: &str = "https://api.flickr.com/services/feeds/photoset.gne?set=72157704555614144&nsid=38194218@N05&lang=en-us&format=rss_200";

    fn extract(body: &str, feed: &str) -> Vec<Item> {
        items(body, &Url::parse(feed).unwrap())
    }

    fn rfc(t: Option<Timestamp>) -> Option<String> {
        t.map(|t| t.to_rfc3339())
    }

    #[test]
    fn flickr_rss_photo_has_every_field() {
        let items = extract(FLICKR_RSS, FLICKR_FEED);
        let ids: Vec<&str> = items.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(ids, ["flickr:45539063392", "flickr:31628453257"]);

        let photo = &items[0];
        assert_eq!(photo.kind, Kind::Photo);
        assert_eq!(photo.source, Source::Feed);
        assert_eq!(
            photo.title.as_deref(),
            Some("VS20 : décollage de Soyuz avec CSO-1")
        );
        assert_eq!(
            photo.description.as_deref(),
            Some(
                "Décollage du lanceur Soyuz (vol VS20) le 19 décembre 2018 à 13h37 heure de \
                 Kourou, avec à son bord le satellite CSO-1. Crédits : CNES/ESA/Arianespace/\
                 Optique Vidéo du CSG - S. Martin"
            )
        );
        assert_eq!(photo.creator.as_deref(), Some("CNES"));
        assert_eq!(photo.tags, ["vs20", "cso", "soyuz", "kourou", "csg"]);
        assert_eq!(
            rfc(photo.taken_at).as_deref(),
            Some("2018-12-19T13:37:14-08:00")
        );
        assert_eq!(
            rfc(photo.published_at).as_deref(),
            Some("2018-12-19T10:12:45-08:00")
        );
        assert_eq!((photo.width, photo.height), (Some(1024), Some(683)));
        assert_eq!(photo.duration_seconds, None);
        assert_eq!(
            photo.media_url.as_deref(),
            Some("https://farm5.staticflickr.com/4876/45539063392_2c5a0e4a1b_b.jpg")
        );
        assert_eq!(
            photo.thumbnail_url.as_deref(),
            Some("https://farm5.staticflickr.com/4876/45539063392_2c5a0e4a1b_s.jpg")
        );
        assert_eq!(
            photo.page_url.as_deref(),
            Some("https://www.flickr.com/photos/cnes/45539063392/")
        );
        assert_eq!(photo.collection.as_deref(), Some("VS20 - CSO-1"));
        assert_eq!(photo.license.as_deref(), Some("CC BY-NC-SA 2.0"));
        assert_eq!(
            photo.license_url.as_deref(),
            Some("https://creativecommons.org/licenses/by-nc-sa/2.0/deed.en")
        );
        assert!(photo.campaigns.is_empty() && photo.found_via.is_empty());
    }

    #[test]
    fn untitled_flickr_photo_survives_its_empty_media_title() {
        // feed-rs alone rejects the whole feed over `<media:title></media:title>`.
        let items = extract(FLICKR_RSS, FLICKR_FEED);
        let photo = &items[1];
        assert_eq!(photo.title, None);
        assert_eq!(photo.description, None, "only Flickr's preamble was there");
        assert_eq!(photo.creator.as_deref(), Some("CNES"));
        assert!(photo.tags.is_empty());
        assert_eq!(
            (photo.license.as_deref(), photo.license_url.as_deref()),
            (None, None)
        );
        assert_eq!((photo.width, photo.height), (Some(683), Some(1024)));
        assert_eq!(
            rfc(photo.taken_at).as_deref(),
            Some("2018-12-17T09:05:11-08:00")
        );
    }

    #[test]
    fn flickr_author_without_credit_is_unwrapped() {
        let body = FLICKR_RSS.replace(
            "<media:credit role=\"photographer\">CNES</media:credit>",
            "",
        );
        let items = extract(&body, FLICKR_FEED);
        assert_eq!(items[0].creator.as_deref(), Some("CNES"), "from (\"CNES\")");
        assert_eq!(items[1].creator.as_deref(), Some("CNES"), "from (CNES)");
    }

    #[test]
    fn flickr_atom_entries_use_enclosures_and_categories() {
        let feed = "https://api.flickr.com/services/feeds/photoset.gne?set=72157704555614144&nsid=38194218@N05&format=atom";
        let items = extract(FLICKR_ATOM, feed);
        let ids: Vec<&str> = items.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(ids, ["flickr:46402174562", "flickr:32576214718"]);

        let photo = &items[0];
        assert_eq!(photo.kind, Kind::Photo);
        assert_eq!(photo.title.as_deref(), Some("Soyuz VS20 sur le pas de tir"));
        assert_eq!(
            photo.description.as_deref(),
            Some("Le lanceur Soyuz et CSO-1 sur le pas de tir de l'ELS, la veille du lancement.")
        );
        assert_eq!(photo.creator.as_deref(), Some("CNES"));
        assert_eq!(photo.tags, ["vs20", "cso", "soyuz", "els"]);
        assert_eq!(
            rfc(photo.taken_at).as_deref(),
            Some("2018-12-18T15:54:37-08:00")
        );
        assert_eq!(
            rfc(photo.published_at).as_deref(),
            Some("2018-12-20T10:14:07+00:00")
        );
        assert_eq!(
            photo.media_url.as_deref(),
            Some("https://farm5.staticflickr.com/4911/46402174562_8d2f0c1e9b_b.jpg")
        );
        assert_eq!((photo.width, photo.height), (None, None));
        assert_eq!(
            photo.page_url.as_deref(),
            Some("https://www.flickr.com/photos/cnes/46402174562/")
        );
        assert_eq!(photo.collection.as_deref(), Some("VS20 - CSO-1"));

        let second = &items[1];
        assert_eq!(
            second.title.as_deref(),
            Some("Transfert de CSO-1 vers l'ensemble de lancement")
        );
        assert_eq!(second.description, None);
        assert!(second.tags.is_empty());
    }

    #[test]
    fn podcast_keeps_audio_episodes_only() {
        let items = extract(PODCAST, "https://cnes.fr/fr/podcasts/feed.xml");
        let ids: Vec<&str> = items.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "https://cnes.fr/podcasts/audio/vs20-cso-1.mp3",
                "https://cnes.fr/fr/podcasts/audio/vs20-bilan.m4a",
            ],
            "no text-only entry, no broken URL, no PDF"
        );
        let episode = &items[0];
        assert_eq!(episode.kind, Kind::Audio);
        assert_eq!(
            episode.title.as_deref(),
            Some("Fusée Soyuz VS20 : CSO-1 en orbite")
        );
        assert_eq!(
            episode.description.as_deref(),
            Some("Retour sur le lancement de CSO-1 par le vol Soyuz VS20. #VS20 #CSO")
        );
        assert_eq!(
            episode.creator.as_deref(),
            Some("Service de presse du CNES")
        );
        assert_eq!(episode.tags, ["VS20", "CSO"]);
        assert_eq!(episode.duration_seconds, Some(725));
        assert_eq!(
            rfc(episode.published_at).as_deref(),
            Some("2018-12-20T09:00:00+01:00")
        );
        assert_eq!(
            episode.page_url.as_deref(),
            Some("https://cnes.fr/fr/podcasts/vs20-cso-1")
        );
        assert_eq!(episode.thumbnail_url, None);
        assert_eq!((episode.width, episode.height), (None, None));

        let relative = &items[1];
        assert_eq!(
            relative.kind,
            Kind::Audio,
            "judged by its .m4a name: type is empty"
        );
        assert_eq!(relative.duration_seconds, Some(754));
        assert_eq!(relative.page_url, None);
        assert_eq!(relative.creator, None);
    }

    #[test]
    fn stale_iso_8859_1_declaration_does_not_garble_text() {
        let items = extract(PODCAST, "https://cnes.fr/fr/podcasts/feed.xml");
        assert_eq!(
            items[0].collection.as_deref(),
            Some("Fusée & satellites : les podcasts du CNES")
        );
        let bom = format!("\u{feff}{PODCAST}");
        assert_eq!(extract(&bom, "https://cnes.fr/fr/podcasts/feed.xml"), items);
    }

    #[test]
    fn media_group_gives_its_largest_rendition() {
        let items = extract(MEDIA_GROUP, "https://videos.cnes.fr/feed.rss");
        assert_eq!(items.len(), 3, "{items:#?}");
        let video = &items[0];
        assert_eq!(video.id, "https://videos.cnes.fr/media/vs20_1080p.mp4");
        assert_eq!(video.kind, Kind::Video);
        assert_eq!(
            video.media_url.as_deref(),
            Some("https://videos.cnes.fr/media/vs20_1080p.mp4")
        );
        assert_eq!(
            (video.width, video.height),
            (Some(1920), Some(1080)),
            "width=\" 1920\""
        );
        assert_eq!(video.duration_seconds, Some(103));
        assert_eq!(
            video.title.as_deref(),
            Some("Soyuz VS20 lifts off with CSO-1")
        );
        assert_eq!(
            video.description.as_deref(),
            Some("Liftoff of Soyuz VS20 from Kourou.")
        );
        assert_eq!(
            video.creator.as_deref(),
            Some("CNES/ESA/Arianespace - Optique Vidéo du CSG"),
            "the author, not the publisher"
        );
        assert_eq!(video.tags, ["VS20", "CSO", "Soyuz", "Kourou", "Lancements"]);
        assert_eq!(video.license.as_deref(), Some("CC BY-ND 4.0"));
        assert_eq!(
            video.license_url.as_deref(),
            Some("https://creativecommons.org/licenses/by-nd/4.0/")
        );
        assert_eq!(
            video.thumbnail_url.as_deref(),
            Some("https://videos.cnes.fr/media/vs20_thumb.jpg")
        );
        assert_eq!(
            rfc(video.published_at).as_deref(),
            Some("2018-12-19T18:30:00+01:00")
        );
        assert_eq!(
            video.page_url.as_deref(),
            Some("https://videos.cnes.fr/lancement-vs20-cso-1")
        );
        assert_eq!(
            video.collection.as_deref(),
            Some("CNES - Vidéos de lancement")
        );
        assert_eq!(video.taken_at, None);
    }

    #[test]
    fn group_without_sizes_falls_back_to_is_default() {
        let body = MEDIA_GROUP
            .replace(" width=\"640\" height=\"360\"", "")
            .replace(" width=\" 1920\" height=\"1080\"", "")
            .replace(" width=\"1280\" height=\"720\"", "");
        let items = extract(&body, "https://videos.cnes.fr/feed.rss");
        assert_eq!(items[0].id, "https://videos.cnes.fr/media/vs20_360p.mp4");
        assert_eq!((items[0].width, items[0].height), (None, None));
    }

    #[test]
    fn ungrouped_contents_are_one_item_each() {
        let items = extract(MEDIA_GROUP, "https://videos.cnes.fr/feed.rss");
        let photos: Vec<(&str, Kind, Option<u32>, Option<u32>)> = items[1..]
            .iter()
            .map(|i| (i.id.as_str(), i.kind, i.width, i.height))
            .collect();
        assert_eq!(
            photos,
            [
                (
                    "https://videos.cnes.fr/photos/cso1_encapsulation.jpg",
                    Kind::Photo,
                    Some(4000),
                    Some(2667)
                ),
                (
                    "https://videos.cnes.fr/photos/cso1_transfert.tif",
                    Kind::Photo,
                    Some(3000),
                    Some(2000)
                ),
            ]
        );
        for photo in &items[1..] {
            assert_eq!(
                photo.title.as_deref(),
                Some("CSO-1 : photos de la campagne")
            );
            // `type="text"` would have made feed-rs reject the feed.
            assert_eq!(
                photo.description.as_deref(),
                Some("Deux photos de la campagne CSO-1 & VS20.")
            );
            assert_eq!(
                photo.creator.as_deref(),
                Some("ESA/CNES/Arianespace"),
                "from media:copyright"
            );
            assert_eq!(photo.duration_seconds, None);
        }
    }

    #[test]
    fn empty_and_malformed_feeds_give_nothing() {
        assert!(extract(EMPTY, "https://videos.cnes.fr/feed.rss").is_empty());
        for body in [
            "",
            "not xml",
            "<html><body>hi</body></html>",
            "<rss version=\"2.0\"><channel><item>",
        ] {
            assert!(extract(body, "https://cnes.fr/feed").is_empty(), "{body:?}");
        }
    }

    #[test]
    fn truncated_feeds_never_panic() {
        for body in [FLICKR_RSS, FLICKR_ATOM, PODCAST, MEDIA_GROUP] {
            let mut cut = 0;
            while cut < body.len() {
                if body.is_char_boundary(cut) {
                    let _ = extract(&body[..cut], "https://cnes.fr/feed");
                }
                cut += 97;
            }
        }
    }

    #[test]
    fn prepare_removes_the_declaration_and_only_the_fatal_media_quirks() {
        let body = "\u{feff}<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<rss xmlns:m=\"http://search.yahoo.com/mrss/\">\
            <m:title></m:title><m:title/><m:description type=\"text\" xml:lang=\"fr\">Fusée</m:description>\
            <m:description type=\"html\">&lt;b&gt;ok&lt;/b&gt;</m:description><title></title></rss>";
        assert_eq!(
            prepare(body),
            "\n<rss xmlns:m=\"http://search.yahoo.com/mrss/\">\
            <m:description xml:lang=\"fr\">Fusée</m:description>\
            <m:description type=\"html\">&lt;b&gt;ok&lt;/b&gt;</m:description><title></title></rss>"
        );
        assert_eq!(
            prepare("<rss><channel></rss>"),
            "<rss><channel></rss>",
            "broken XML left alone"
        );
    }

    #[test]
    fn extras_pair_by_guid_when_counts_differ() {
        let entries = vec![Entry {
            id: "b".to_string(),
            ..Entry::default()
        }];
        let extras = vec![
            Extras {
                id: Some("a".into()),
                taken: Some("1".into()),
                ..Extras::default()
            },
            Extras {
                id: Some("b".into()),
                taken: Some("2".into()),
                ..Extras::default()
            },
        ];
        let paired = pair_extras(&entries, extras);
        assert_eq!(paired.len(), 1);
        assert_eq!(paired[0].taken.as_deref(), Some("2"));
    }

    #[test]
    fn feeds_are_recognised_by_type_or_root() {
        let rss = "\u{feff}<?xml version=\"1.0\"?>\n<!-- generated -->\n<!DOCTYPE rss [<!ENTITY x \"y\">]>\n<rss version=\"2.0\">";
        let cases = [
            (Some("application/rss+xml"), "", true),
            (Some("application/atom+xml; charset=utf-8"), "", true),
            (Some("application/xml"), rss, true),
            (
                Some("text/xml"),
                "<feed xmlns=\"http://www.w3.org/2005/Atom\">",
                true,
            ),
            (Some("text/xml"), "<rdf:RDF xmlns:rdf=\"x\">", true),
            (Some("text/xml"), "<sitemapindex>", false),
            (None, FLICKR_ATOM, true),
            (Some("text/plain"), PODCAST, true),
            (Some("application/octet-stream"), MEDIA_GROUP, true),
            (Some("text/html"), rss, false),
            (Some("application/feed+json"), "{\"version\":\"x\"}", false),
            (None, "<!DOCTYPE html><html>", false),
            (None, "", false),
            (None, "<?xml version=\"1.0\"", false),
            (None, "<!-- never closed", false),
        ];
        for (content_type, body, expected) in cases {
            assert_eq!(
                looks_like_feed(content_type, body),
                expected,
                "{content_type:?} {body:.40}"
            );
        }
    }
}

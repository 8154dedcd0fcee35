//! Preparing the text for feed-rs: no BOM, no stale encoding declaration, and none of the
//! Media RSS quirks that make it reject a whole feed.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::LazyLock;

use quick_xml::NsReader;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use regex::Regex;

use super::elements::is_media_ns;

/// The body without BOM and XML declarations, with feed-rs's fatal Media RSS quirks removed.
pub(super) fn prepare(body: &str) -> Cow<'_, str> {
    let mut body = without_declarations(body.trim_start_matches('\u{feff}'));
    if let Some(padded) = padded_addresses(&body) {
        body = Cow::Owned(padded);
    }
    let edits = media_text_repairs(&body);
    if edits.is_empty() {
        return body;
    }
    let mut out = String::with_capacity(body.len());
    let mut at = 0;
    for (range, replacement) in edits {
        // Edits come in document order without overlap; anything else would be a bug here,
        // and the untouched text is the safe answer.
        let Some(kept) = body.get(at..range.start) else {
            return body;
        };
        out.push_str(kept);
        out.push_str(&replacement);
        at = range.end;
    }
    out.push_str(body.get(at..).unwrap_or_default());
    Cow::Owned(out)
}

/// Drops every `<?xml … ?>`: the text is already UTF-8, whatever a declaration says. One
/// past the start (two feeds pasted together, a declaration after a comment) is not XML
/// either, and quick-xml panics when feed-rs asks it to switch encodings there.
fn without_declarations(body: &str) -> Cow<'_, str> {
    let body = without_declaration(body);
    if !body.contains(DECLARATION) {
        return Cow::Borrowed(body);
    }
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(at) = rest.find(DECLARATION) {
        let after = &rest[at + DECLARATION.len()..];
        if is_declaration_end(after) {
            out.push_str(&rest[..at]);
            // An unterminated declaration leaves nothing XML after it.
            rest = after.split_once("?>").map_or("", |(_, next)| next);
        } else {
            // `<?xml-stylesheet …?>` and the like are other instructions, kept.
            out.push_str(&rest[..at + DECLARATION.len()]);
            rest = after;
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// The opening tag of an element whose text feed-rs splits into a name and an e-mail
/// address: RSS `author`, `managingEditor`, `webMaster`, and Dublin Core `creator`.
static PERSON: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"<((?:[A-Za-z0-9_.-]+:)?(?:author|managingEditor|webMaster|creator))[\s>]")
        .expect("valid person regex")
});

/// An e-mail address as feed-rs finds one in those elements (its own pattern).
static ADDRESS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(<\[\()?(mailto:)?([A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})(>]\))?\b")
        .expect("valid address regex")
});

/// In those elements, a space between an e-mail address and a character of more than one
/// byte (or an entity, which may decode to one) right next to it: feed-rs cuts the name one
/// byte before or after the address, and panics when that byte is inside a character
/// (`Jean Dupont\u{a0}jean@example.org`). `None` when no address needs one.
fn padded_addresses(body: &str) -> Option<String> {
    let mut out = String::new();
    let mut at = 0;
    let people: Vec<_> = PERSON.captures_iter(body).collect();
    for (i, person) in people.iter().enumerate() {
        let (Some(tag), Some(name)) = (person.get(0), person.get(1)) else {
            continue;
        };
        if tag.start() < at {
            continue;
        }
        // An element left open runs on, as a lenient parser may read it, but only to the
        // next such element and for a name's length at most: each byte is looked at once,
        // however many open elements a hostile feed holds.
        let next = people
            .get(i + 1)
            .and_then(|p| p.get(0))
            .map_or(body.len(), |m| m.start());
        let limit =
            crate::media::text::floor_char_boundary(body, next.min(tag.end() + MAX_PERSON_TEXT))
                .max(tag.end());
        let rest = &body[tag.end()..limit];
        let close = format!("</{}", name.as_str());
        let length = rest.find(&close).unwrap_or(rest.len());
        let text = &body[tag.end()..tag.end() + length];
        if let Some(padded) = padded_text(text) {
            out.push_str(&body[at..tag.end()]);
            out.push_str(&padded);
            at = tag.end() + length;
        }
    }
    if at == 0 {
        return None;
    }
    out.push_str(&body[at..]);
    Some(out)
}

/// The longest text of an author element looked at for addresses.
const MAX_PERSON_TEXT: usize = 4096;

fn padded_text(text: &str) -> Option<String> {
    let mut out = String::new();
    let mut at = 0;
    for found in ADDRESS.find_iter(text) {
        // feed-rs joins CDATA to the text around it: look through its markers.
        let (start, end) = (found.start(), found.end());
        let start = text[..start]
            .strip_suffix(CDATA_OPEN)
            .map_or(start, str::len);
        let end = text[end..]
            .strip_prefix(CDATA_CLOSE)
            .map_or(end, |rest| text.len() - rest.len());
        let before = text[..start].chars().next_back();
        let after = text[end..].chars().next();
        let pad_before = before.is_some_and(|c| !c.is_ascii() || c == ';');
        let pad_after = after.is_some_and(|c| !c.is_ascii() || c == '&');
        if start < at || !(pad_before || pad_after) {
            continue;
        }
        out.push_str(&text[at..start]);
        out.push_str(if pad_before { " " } else { "" });
        out.push_str(&text[start..end]);
        out.push_str(if pad_after { " " } else { "" });
        at = end;
    }
    if at == 0 {
        return None;
    }
    out.push_str(&text[at..]);
    Some(out)
}

const CDATA_OPEN: &str = "<![CDATA[";
const CDATA_CLOSE: &str = "]]>";

/// How an XML declaration (or an instruction named like one) starts.
const DECLARATION: &str = "<?xml";

/// Whether what follows `<?xml` makes it the declaration, as quick-xml reads it.
fn is_declaration_end(after: &str) -> bool {
    after.starts_with(|c: char| c.is_whitespace() || c == '?')
}

/// Drops a leading `<?xml … ?>`, after any white space.
fn without_declaration(body: &str) -> &str {
    let trimmed = body.trim_start();
    let is_declaration = trimmed
        .strip_prefix(DECLARATION)
        .is_some_and(is_declaration_end);
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

//! What one page may cost to read, whoever wrote it.
//!
//! A hostile page can be nested a hundred thousand elements deep (html5ever then works for
//! minutes), hold twenty million elements (the parsed tree takes gigabytes), or list a
//! million links or keywords. Real pages stay far below every cap here; a page that passes
//! one is read up to it, and the crawl summary says so.

use crate::model::{Cap, Extracted};

/// Elements read from one HTML page; the largest real pages hold tens of thousands.
pub const MAX_ELEMENTS: usize = 100_000;
/// How deep elements may nest; real pages stay under a hundred.
pub const MAX_DEPTH: usize = 512;
/// Links followed from one page.
pub const MAX_LINKS: usize = 10_000;
/// Items read from one document (a sitemap allows 50,000 URLs, each with a few media).
pub const MAX_ITEMS: usize = 50_000;
/// Follow-up requests one page may ask for (its players' descriptions, a library's files).
pub const MAX_REQUESTS: usize = 500;
/// Keywords kept per item.
pub const MAX_KEYWORDS: usize = 500;
/// The largest block of structured data (JSON-LD) read. Real ones hold a few kilobytes;
/// parsed, a block takes ten times its size in memory, which a page's author should not
/// decide.
pub const MAX_JSON_BLOCK: usize = 2 * 1024 * 1024;
/// The longest one document may take to read. Real pages take milliseconds; one that takes
/// longer is a trap the caps did not catch.
pub const EXTRACTION_DEADLINE: std::time::Duration = std::time::Duration::from_secs(20);

/// Elements that never hold others, and those whose end the parser implies when the next
/// one starts: neither deepens a page.
const SHALLOW: [&str; 27] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "rt", "rp",
    "colgroup", "tbody",
];

/// Elements whose content is text up to their end tag, where `<` starts no element.
const RAW_TEXT: [&str; 6] = ["script", "style", "textarea", "title", "xmp", "plaintext"];

/// The HTML up to where it passes [`MAX_ELEMENTS`] or [`MAX_DEPTH`], and the cap it passed.
///
/// A linear scan of tags, much cheaper than a parse. It counts as html5ever would closely
/// enough for a cap: comments, declarations and the text of scripts and styles hold no
/// elements, and the elements that cannot nest are not counted as nesting.
pub fn bounded_html(html: &str) -> (&str, Option<Cap>) {
    let bytes = html.as_bytes();
    let (mut at, mut depth, mut elements) = (0, 0usize, 0usize);
    while let Some(offset) = next_tag(&bytes[at..]) {
        let start = at + offset;
        let rest = &html[start..];
        let Some(tag) = Tag::read(rest) else {
            at = start + 1;
            continue;
        };
        match tag {
            Tag::Skip(length) => at = start + length,
            Tag::Close(length) => {
                depth = depth.saturating_sub(1);
                at = start + length;
            }
            Tag::Open { name, length } => {
                elements += 1;
                if elements > MAX_ELEMENTS {
                    return (&html[..start], Some(Cap::Elements));
                }
                if !SHALLOW.contains(&name.as_str()) && !rest[..length].ends_with("/>") {
                    depth += 1;
                    if depth > MAX_DEPTH {
                        return (&html[..start], Some(Cap::Depth));
                    }
                }
                at = start + length;
                if RAW_TEXT.contains(&name.as_str()) {
                    at = end_of_raw_text(html, at, &name);
                    depth = depth.saturating_sub(1);
                }
            }
        }
    }
    (html, None)
}

fn next_tag(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == b'<')
}

/// What a `<` starts.
enum Tag {
    /// A comment, doctype or processing instruction, this many bytes long.
    Skip(usize),
    /// An end tag, this long.
    Close(usize),
    /// A start tag, its lowercased name, and its length.
    Open { name: String, length: usize },
}

impl Tag {
    fn read(text: &str) -> Option<Tag> {
        if let Some(comment) = text.strip_prefix("<!--") {
            let end = comment.find("-->").map_or(text.len(), |e| e + 7);
            return Some(Tag::Skip(end));
        }
        if text.starts_with("<!") || text.starts_with("<?") {
            return Some(Tag::Skip(text.find('>').map_or(text.len(), |e| e + 1)));
        }
        let closing = text.starts_with("</");
        let name_start = if closing { 2 } else { 1 };
        let name: String = text[name_start..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        if name.is_empty() || !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
            return None;
        }
        let length = text.find('>').map_or(text.len(), |e| e + 1);
        Some(if closing {
            Tag::Close(length)
        } else {
            Tag::Open {
                name: name.to_ascii_lowercase(),
                length,
            }
        })
    }
}

/// Where the text of a `<script>` (or style, textarea…) ends: after its end tag.
fn end_of_raw_text(html: &str, from: usize, name: &str) -> usize {
    let closing = format!("</{name}");
    let rest = &html[from..];
    let lower_ascii = rest
        .as_bytes()
        .windows(closing.len())
        .position(|window| window.eq_ignore_ascii_case(closing.as_bytes()));
    match lower_ascii {
        Some(offset) => {
            let end = from + offset;
            html[end..].find('>').map_or(html.len(), |e| end + e + 1)
        }
        None => html.len(),
    }
}

/// What a page that passed `cap` had too much of, for the crawl summary: "{count} had…".
pub fn describe(cap: Cap) -> String {
    match cap {
        Cap::Elements => format!("more elements than the {MAX_ELEMENTS} read"),
        Cap::Depth => format!("elements nested deeper than the {MAX_DEPTH} levels read"),
        Cap::Links => format!("more links than the {MAX_LINKS} followed"),
        Cap::Items => format!("more items than the {MAX_ITEMS} read"),
        Cap::Requests => {
            format!("more players or files to ask about than the {MAX_REQUESTS} asked")
        }
        Cap::Keywords => format!("items with more keywords than the {MAX_KEYWORDS} kept"),
        Cap::Block => "a block of structured data (JSON-LD) larger than the 2 MiB read".into(),
    }
}

/// Cuts what a page gave to the caps, and says which it passed.
pub fn cap(found: &mut Extracted) {
    let mut passed = Vec::new();
    if truncate(&mut found.links, MAX_LINKS) | truncate(&mut found.follow, MAX_LINKS) {
        passed.push(Cap::Links);
    }
    if truncate(&mut found.items, MAX_ITEMS) {
        passed.push(Cap::Items);
    }
    if truncate(&mut found.pending, MAX_REQUESTS) {
        passed.push(Cap::Requests);
    }
    let items = found
        .items
        .iter_mut()
        .chain(found.pending.iter_mut().map(|p| &mut p.item));
    if items.fold(false, |cut, item| {
        truncate(&mut item.tags, MAX_KEYWORDS) | cut
    }) {
        passed.push(Cap::Keywords);
    }
    found.capped.extend(passed);
}

fn truncate<T>(list: &mut Vec<T>, max: usize) -> bool {
    let cut = list.len() > max;
    list.truncate(max);
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_pages_pass_whole() {
        let page = r#"<!doctype html><html><head><title>a < b</title>
            <script>if (a<b) { document.write("<div><div><div>") }</script></head>
            <body><!-- <div><div> --><p>one<p>two<ul><li>a<li>b</ul><img src=x><br/></body></html>"#;
        assert_eq!(bounded_html(page), (page, None));
    }

    #[test]
    fn deep_nesting_is_cut_where_it_passes_the_cap() {
        let page = format!(
            "<body>{}x{}</body>",
            "<b><i>".repeat(50_000),
            "</i></b>".repeat(50_000)
        );
        let (kept, cap) = bounded_html(&page);
        assert_eq!(cap, Some(Cap::Depth));
        assert_eq!(kept.matches('<').count(), MAX_DEPTH);
        let siblings = "<div></div>".repeat(10_000);
        assert_eq!(bounded_html(&siblings), (siblings.as_str(), None));
    }

    #[test]
    fn dense_pages_are_cut_at_the_element_cap() {
        let page = "<p>a".repeat(MAX_ELEMENTS + 10);
        let (kept, cap) = bounded_html(&page);
        assert_eq!(cap, Some(Cap::Elements));
        assert_eq!(kept.len(), MAX_ELEMENTS * 4);
    }

    #[test]
    fn unfinished_markup_never_panics() {
        for page in [
            "<",
            "</",
            "<!--",
            "<script>",
            "<a",
            "<\u{e9}t\u{e9}>",
            "<1>",
            "</a",
        ] {
            let _ = bounded_html(page);
        }
    }
}

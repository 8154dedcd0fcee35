//! A platform's feed (YouTube's Atom, Vimeo's RSS) read flat: for the feed and for each
//! entry, the elements inside it with their attributes and text, by local name. Platform
//! readers then pick what they know (`videoId`, `player`, `thumbnail`) without a schema.
//!
//! Bounded: at most [`MAX_ENTRIES`] entries and [`MAX_ELEMENTS`] elements each, whatever the
//! feed holds. Broken XML ends the reading; what was read stays.

use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};

/// Entries read at most from one feed.
pub const MAX_ENTRIES: usize = 5_000;
/// Elements kept at most per entry (and for the feed's own head).
pub const MAX_ELEMENTS: usize = 500;

/// One element: its local name (`videoId` for `yt:videoId`), attributes and text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Element {
    /// The local name, without its prefix.
    pub name: String,
    /// Attributes by local name, values unescaped.
    pub attributes: Vec<(String, String)>,
    /// The text directly inside it, unescaped once (as XML says), trimmed.
    pub text: String,
}

impl Element {
    /// An attribute's value.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// The elements of the feed (outside any entry) or of one entry, in document order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Elements(pub Vec<Element>);

impl Elements {
    /// The first element with this local name.
    pub fn first(&self, name: &str) -> Option<&Element> {
        self.0.iter().find(|e| e.name == name)
    }

    /// The text of the first element with this local name, if not blank.
    pub fn text(&self, name: &str) -> Option<&str> {
        self.first(name)
            .map(|e| e.text.as_str())
            .filter(|t| !t.is_empty())
    }

    /// Every element with this local name.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.0.iter().filter(move |e| e.name == name)
    }
}

/// A feed read flat.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FlatFeed {
    /// The elements outside every entry: the feed's title, author, ids.
    pub head: Elements,
    /// Each `entry` (Atom) or `item` (RSS), in order.
    pub entries: Vec<Elements>,
}

/// Reads a feed flat.
pub fn read(body: &str) -> FlatFeed {
    let mut reader = Reader::from_str(body);
    reader.config_mut().allow_dangling_amp = true;
    let mut feed = FlatFeed::default();
    // The open elements, each with its place in `current` (or the head).
    let mut open: Vec<usize> = Vec::new();
    let mut in_entry: Option<(usize, Elements)> = None;
    loop {
        let event = match reader.read_event() {
            Ok(Event::Eof) | Err(_) => break,
            Ok(event) => event,
        };
        match event {
            Event::Start(e) => {
                let depth = open.len();
                if in_entry.is_none() && is_entry(&e) {
                    if feed.entries.len() >= MAX_ENTRIES {
                        break;
                    }
                    in_entry = Some((depth, Elements::default()));
                    open.push(usize::MAX);
                    continue;
                }
                let target = target(&mut feed, &mut in_entry);
                open.push(push(target, &e));
            }
            Event::Empty(e) => {
                let target = target(&mut feed, &mut in_entry);
                push(target, &e);
            }
            Event::End(_) => {
                open.pop();
                if in_entry.as_ref().is_some_and(|(d, _)| *d == open.len()) {
                    let (_, entry) = in_entry.take().expect("an open entry");
                    feed.entries.push(entry);
                }
            }
            Event::Text(t) => add_text(&mut feed, &mut in_entry, &open, &t.xml10_content()),
            Event::CData(t) => add_text(&mut feed, &mut in_entry, &open, &t.xml10_content()),
            Event::GeneralRef(r) => {
                let decoded = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    _ => quick_xml::escape::resolve_predefined_entity(&r.xml10_content())
                        .map_or_else(|| format!("&{};", r.xml10_content()), str::to_string),
                };
                add_text(&mut feed, &mut in_entry, &open, &decoded);
            }
            _ => {}
        }
    }
    for elements in std::iter::once(&mut feed.head).chain(feed.entries.iter_mut()) {
        for element in &mut elements.0 {
            element.text = element.text.trim().to_string();
        }
    }
    feed
}

fn is_entry(e: &BytesStart<'_>) -> bool {
    matches!(e.local_name().as_ref(), "entry" | "item")
}

fn target<'a>(
    feed: &'a mut FlatFeed,
    in_entry: &'a mut Option<(usize, Elements)>,
) -> &'a mut Elements {
    match in_entry {
        Some((_, entry)) => entry,
        None => &mut feed.head,
    }
}

/// Adds an element; its index, or `usize::MAX` when the list is full.
fn push(target: &mut Elements, e: &BytesStart<'_>) -> usize {
    if target.0.len() >= MAX_ELEMENTS {
        return usize::MAX;
    }
    let attributes = e
        .attributes()
        .flatten()
        .map(|a| {
            let name = a.key.local_name().as_ref().to_string();
            let value = a
                .normalized_value(XmlVersion::Implicit1_0)
                .map_or_else(|_| a.value.to_string(), std::borrow::Cow::into_owned);
            (name, value)
        })
        .collect();
    target.0.push(Element {
        name: e.local_name().as_ref().to_string(),
        attributes,
        text: String::new(),
    });
    target.0.len() - 1
}

fn add_text(
    feed: &mut FlatFeed,
    in_entry: &mut Option<(usize, Elements)>,
    open: &[usize],
    text: &str,
) {
    let Some(&at) = open.last() else { return };
    let target = target(feed, in_entry);
    if let Some(element) = target.0.get_mut(at) {
        element.text.push_str(text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_and_head_are_read_flat_by_local_name() {
        let feed = read(
            r#"<?xml version="1.0"?><feed xmlns:yt="http://www.youtube.com/xml/schemas/2015"
                xmlns:media="http://search.yahoo.com/mrss/" xmlns="http://www.w3.org/2005/Atom">
              <title>CNES</title><yt:channelId>UC1</yt:channelId>
              <entry><yt:videoId>abc</yt:videoId><title>A &amp; B</title>
                <media:group><media:thumbnail url="https://i4.ytimg.com/vi/abc/hqdefault.jpg" width="480"/>
                <media:description><![CDATA[line <b>1</b>]]></media:description></media:group></entry>
              <entry><yt:videoId>def</yt:videoId></entry></feed>"#,
        );
        assert_eq!(feed.head.text("title"), Some("CNES"));
        assert_eq!(feed.head.text("channelId"), Some("UC1"));
        assert_eq!(feed.entries.len(), 2);
        let first = &feed.entries[0];
        assert_eq!(first.text("videoId"), Some("abc"));
        assert_eq!(first.text("title"), Some("A & B"));
        assert_eq!(first.text("description"), Some("line <b>1</b>"));
        assert_eq!(
            first.first("thumbnail").and_then(|t| t.attr("width")),
            Some("480")
        );
    }

    #[test]
    fn broken_xml_keeps_what_was_read() {
        let feed = read("<rss><channel><item><title>One</title></item><item><title>Two");
        assert_eq!(feed.entries.len(), 1);
        assert_eq!(feed.entries[0].text("title"), Some("One"));
    }
}

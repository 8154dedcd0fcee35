//! The second pass: what feed-rs drops, read per entry with `quick-xml`.
//!
//! [`scan_extras`] walks the same `item`/`entry` elements feed-rs turns into entries, and
//! [`pair_extras`] lines both passes up.

use feed_rs::model::Entry;
use quick_xml::NsReader;
use quick_xml::events::{BytesStart, Event};
use url::Url;

use super::elements::{
    Field, Ns, classify, content_hint, is_entry, read_attributes, store, text_field,
};

/// What feed-rs does not say about one entry.
#[derive(Debug, Default)]
pub(super) struct Extras {
    /// The guid or Atom id, to match entries when counts differ.
    pub(super) id: Option<String>,
    /// The entry's link, for the same purpose.
    pub(super) link: Option<String>,
    pub(super) published: Option<String>,
    pub(super) taken: Option<String>,
    pub(super) tags: Vec<String>,
    pub(super) license_url: Option<String>,
    pub(super) license_name: Option<String>,
    pub(super) copyright: Option<String>,
    pub(super) duration: Option<String>,
    pub(super) credits: Vec<Credit>,
    pub(super) contents: Vec<ContentHint>,
    /// `media:player` pages: where the media plays, never its file.
    pub(super) players: Vec<String>,
    /// `feedburner:origLink`: the entry's real page behind a click-tracking link.
    pub(super) original_link: Option<String>,
    /// RSS `<enclosure>`s as (URL, type), which feed-rs drops when Media RSS is present.
    pub(super) enclosures: Vec<(String, Option<String>)>,
}

#[derive(Debug)]
pub(super) struct Credit {
    pub(super) role: Option<String>,
    pub(super) name: String,
}

/// The attributes of one `media:content`.
#[derive(Debug, Default)]
pub(super) struct ContentHint {
    /// Resolved against the feed URL, as feed-rs resolves it, to match its contents.
    pub(super) url: Option<String>,
    pub(super) mime: Option<String>,
    pub(super) medium: Option<String>,
    pub(super) is_default: bool,
    pub(super) group: Option<usize>,
    pub(super) width: Option<u32>,
    pub(super) height: Option<u32>,
    pub(super) duration: Option<u32>,
    pub(super) file_size: Option<u64>,
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
pub(super) fn scan_extras(body: &str, base: &Url) -> Vec<Extras> {
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
        if let Some((_, field, collected)) = self.field.take_if(|(d, _, _)| *d == depth)
            && let Some((_, extras)) = self.entry.as_mut()
        {
            store(extras, field, &collected, base);
        }
        self.group.take_if(|(_, d)| *d == depth);
        if let Some((_, extras)) = self.entry.take_if(|(d, _)| *d == depth) {
            self.entries.push(extras);
        }
    }
}

/// One `Extras` per feed-rs entry: by position when both passes saw the same entries, else
/// by guid or link, else empty.
pub(super) fn pair_extras(entries: &[Entry], mut extras: Vec<Extras>) -> Vec<Extras> {
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

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

mod elements;
mod entry;
mod extras;
mod media;
mod repair;
mod sniff;

use std::collections::HashMap;

use url::Url;

use entry::entry_items;
use extras::{pair_extras, scan_extras};
use repair::prepare;

use super::jsonld::merge_into;
use super::text;
use crate::model::Item;

pub use sniff::looks_like_feed;

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

#[cfg(test)]
mod tests;

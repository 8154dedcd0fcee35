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

use std::sync::LazyLock;

use scraper::{Html, Selector};
use url::Url;

use entry::entry_items;
use extras::{pair_extras, scan_extras};
use repair::prepare;

use super::{HtmlPage, Identify};
use crate::media::html;
use crate::media::merge::ItemSet;
use crate::media::text;
use crate::model::{About, Extracted, Item, Nature, Page, Source};

pub use sniff::looks_like_feed;

/// Feeds as a source: a feed's media, and the feeds a page announces in its head.
pub struct Feeds;

impl super::Source for Feeds {
    fn id(&self) -> Source {
        Source::Feed
    }

    fn read_document(&self, page: &Page, ids: &dyn Identify) -> Option<Extracted> {
        if !looks_like_feed(page.content_type.as_deref(), &page.body) {
            return None;
        }
        let feed = read(&page.body, &page.url, ids);
        Some(Extracted {
            items: feed.items,
            about: Some(About {
                nature: Nature::Feed,
                title: feed.title,
            }),
            ..Extracted::default()
        })
    }

    /// A feed the page announces is read with the page, whatever the depth: it is the
    /// page's own media, in a form made for reading.
    fn read_html(&self, page: &HtmlPage<'_>) -> Extracted {
        Extracted {
            follow: announced_feeds(page.doc, page.url()),
            ..Extracted::default()
        }
    }
}

static FEED_LINKS: LazyLock<Selector> = LazyLock::new(|| {
    html::selector(
        r#"link[rel~="alternate" i][type="application/rss+xml" i][href],
           link[rel~="alternate" i][type="application/atom+xml" i][href]"#,
    )
});

/// Feeds a page announces in its head (`<link rel="alternate" type="application/rss+xml">`).
fn announced_feeds(doc: &Html, page_url: &Url) -> Vec<Url> {
    let base = html::base_url(doc, page_url);
    doc.select(&FEED_LINKS)
        .filter_map(|l| l.value().attr("href"))
        .filter_map(|href| crate::urls::followable(&base, href))
        .collect()
}

/// A feed, read.
struct Feed {
    title: Option<String>,
    items: Vec<Item>,
}

/// Media items of a feed: one per media object of each entry, in feed order. `ids` names
/// the entries a platform owns (a Flickr photo's page), so they get that platform's id.
///
/// An entry without media (a text-only news entry) gives nothing; an entry whose media URL
/// is broken is skipped; a feed that cannot be parsed gives an empty list.
pub fn items(body: &str, feed_url: &Url, ids: &dyn Identify) -> Vec<Item> {
    read(body, feed_url, ids).items
}

fn read(body: &str, feed_url: &Url, ids: &dyn Identify) -> Feed {
    let text = prepare(body);
    let parser = feed_rs::parser::Builder::new()
        .base_uri(Some(feed_url.as_str()))
        .build();
    let Ok(feed) = parser.parse(text.as_bytes()) else {
        return Feed {
            title: None,
            items: Vec::new(),
        };
    };
    let extras = pair_extras(&feed.entries, scan_extras(&text, feed_url));
    let collection = feed
        .title
        .as_ref()
        .and_then(|t| text::html_to_text(&t.content));
    let mut out = ItemSet::new();
    for (entry, extras) in feed.entries.iter().zip(&extras) {
        for mut item in entry_items(entry, extras, feed_url, ids) {
            item.collection.clone_from(&collection);
            out.add(item);
        }
    }
    Feed {
        title: collection,
        items: out.into_items(),
    }
}

#[cfg(test)]
mod tests;

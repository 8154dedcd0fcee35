//! The readers of HTML pages, registered in one place.
//!
//! A page of a known kind (a video library's record or listing, a Flickr album page) is read
//! by its own reader alone. Any other page goes through every general reader, and their
//! items are merged. Adding a source is a module with a function of the [`Reader`] shape and
//! one line in [`SITE_READERS`] or [`PAGE_READERS`].

use scraper::Html;
use url::Url;

use super::{Config, gallery, jsonld, oembed, opengraph, opsis};
use crate::flickr;
use crate::model::{Completion, Extracted, Pending};

/// What a reader knows of the page besides its document.
pub(super) struct Context<'a> {
    pub(super) url: &'a Url,
    pub(super) config: &'a Config,
}

/// Reads one kind of media from a page.
type Reader = fn(&Html, &Context<'_>) -> Extracted;

/// Tells whether a page is of a site reader's kind, from its URL.
type Recognizer = fn(&Url) -> bool;

/// Readers of pages of a known kind: the first that recognises the page reads it.
pub(super) const SITE_READERS: [(Recognizer, Reader); 2] = [
    (is_library_page, library_page),
    (is_flickr_album, flickr_album_page),
];

/// Readers every other page goes through.
pub(super) const PAGE_READERS: [Reader; 4] = [json_ld, open_graph, press_kit, players];

fn json_ld(doc: &Html, cx: &Context<'_>) -> Extracted {
    items(jsonld::items(doc, cx.url))
}

fn open_graph(doc: &Html, cx: &Context<'_>) -> Extracted {
    items(opengraph::items(doc, cx.url))
}

fn press_kit(doc: &Html, cx: &Context<'_>) -> Extracted {
    items(gallery::items(doc, cx.url))
}

/// Embedded players become items now and are described by their platform's oEmbed answer.
fn players(doc: &Html, cx: &Context<'_>) -> Extracted {
    let pending = oembed::embeds(doc, cx.url, &cx.config.oembed)
        .into_iter()
        .map(|found| Pending {
            item: found.item,
            request: found.oembed_url,
            completion: Completion::OEmbed {
                confirm: found.needs_confirmation,
            },
        })
        .collect();
    Extracted {
        pending,
        ..Extracted::default()
    }
}

fn is_library_page(url: &Url) -> bool {
    opsis::recognize(url).is_some()
}

/// An Opsis Media page: a record gives one item whose file needs one more request; a basket
/// or listing gives its items, its item pages and its later pages.
fn library_page(doc: &Html, cx: &Context<'_>) -> Extracted {
    match opsis::recognize(cx.url) {
        Some(opsis::OpsisUrl::Doc { .. }) => {
            let Some(record) = opsis::item_page(doc, cx.url) else {
                return Extracted::default();
            };
            match record.visu_url {
                Some(request) => Extracted {
                    pending: vec![Pending {
                        item: record.item,
                        request,
                        completion: Completion::LibraryMedia,
                    }],
                    ..Extracted::default()
                },
                None => items(vec![record.item]),
            }
        }
        Some(_) => {
            let listing = opsis::listing(doc, cx.url);
            let mut follow = listing.item_pages;
            follow.extend(listing.next_pages);
            Extracted {
                items: listing.items,
                follow,
                ..Extracted::default()
            }
        }
        None => Extracted::default(),
    }
}

fn is_flickr_album(url: &Url) -> bool {
    matches!(
        flickr::recognize(url),
        Some(flickr::FlickrTarget::Album { .. })
    )
}

/// A Flickr album's own page, read when there is no API key: its public feed is the next
/// best thing.
fn flickr_album_page(doc: &Html, cx: &Context<'_>) -> Extracted {
    let feed = flickr::keyless::album_page(doc, cx.url)
        .and_then(|album| album.feed_url(&cx.config.flickr_api));
    Extracted {
        follow: feed.into_iter().collect(),
        ..Extracted::default()
    }
}

fn items(items: Vec<crate::model::Item>) -> Extracted {
    Extracted {
        items,
        ..Extracted::default()
    }
}

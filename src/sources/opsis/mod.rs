//! Opsis Media video libraries (Opsomai), such as videotheque.cnes.fr, recognised by their
//! URLs on any host: `index.php?urlaction=…`.
//!
//! Three kinds of page, and one XML answer:
//!
//! - a basket (`urlaction=commande&id_panier=4378`) or any other listing: [`listing()`] gives
//!   the item pages it links to, the items as the listing shows them, and the listing's
//!   later pages (`&page=N` links and the `document.documentSelection.page.value=N` pager);
//! - an item page (`urlaction=doc&id_doc=25312`): [`item_page`] reads its metadata table
//!   (`Titre`, `Date`, `Durée`, `Résumé`, `Mots-clés`, `Crédits`, `Référence`) and folds in
//!   the page's Open Graph and JSON-LD, when it has any, as one item;
//! - the player's answer, `empty.php?xmlhttp=1&urlaction=prepareVisu&…&id=<id_doc>&type=document`
//!   ([`visu_url`]), whose `<mediaurl>` ([`media_url`]) is the video file, set on the item
//!   with [`apply_media_url`].
//!
//! Pages are often ISO-8859-1; they reach these functions decoded
//! ([`crate::fetch::decode::decode`]).
//!
//! # Identity
//!
//! An Opsis item's id is its canonical item page, `<origin><path>?urlaction=doc&id_doc=N`
//! ([`doc_url`]), with every other parameter (`rang`, the rank in a result list; tracking)
//! dropped. The file's URL is not used even when known: it comes from a second request
//! that may fail or be refused, and an id must not change with that request's fate. A
//! listing, the item page and the player's answer all give the same id.
//!
//! # Fields
//!
//! | filled | from |
//! | --- | --- |
//! | `id`, `page_url` | the canonical item page |
//! | `kind` | `video`; `audio` or `photo` when Open Graph, JSON-LD or the file's extension say so |
//! | `title` | `Titre`, else `og:title` / JSON-LD `name`, else `<h1>`, else `<title>`; in a listing, the block's title |
//! | `description` | `Résumé` (markup stripped), else the page's Open Graph / JSON-LD description |
//! | `tags` | `Mots-clés` (split on `;` `,` `|`, line breaks, or one per link), plus `video:tag` / `keywords` |
//! | `creator` | `Crédits` (`©CNES/ESA` gives `CNES/ESA`) |
//! | `published_at` | `Date` (`19/12/2018`, `2018-12-19`, `19 décembre 2018`); a bare year is not a date |
//! | `taken_at` | `Date de tournage`, `Date de prise de vue` |
//! | `duration_seconds` | `Durée` (`HH:MM:SS`, a timecode `HH:MM:SS:FF`, `1 h 02 min`) |
//! | `thumbnail_url` | `og:image`, a `<video poster>`, or the listing's thumbnail |
//! | `media_url` | `<mediaurl>` of the player's answer, else `og:video` / JSON-LD `contentUrl`, else a `<video>` on the page |
//! | `width`, `height` | only from Open Graph / JSON-LD, for their file |
//! | `license` | `Droits` (`Licence`, `Conditions d'utilisation`) as written, else JSON-LD's |
//! | `license_url` | only from JSON-LD |
//! | `collection`, `collection_url` | the listing or basket the item was listed in |
//!
//! `Référence` has no field in [`Item`]: it is returned beside the item ([`OpsisDoc`]).
//! Every item has [`SOURCE`] as its source.

mod labels;
mod listing;
mod record;
mod visu;

use url::Url;

use super::HtmlPage;
use crate::model::{About, Extracted, Item, Nature, Pending, Source};

pub use listing::{Listing, listing};
pub use record::{OpsisDoc, item_page};
pub use visu::{apply_media_url, media_url, visu_url};

/// The source Opsis items carry: structured metadata the library publishes about each
/// item, like JSON-LD's.
pub const SOURCE: Source = Source::Library;

/// Opsis Media video libraries as a source: their listings and records, on any host.
pub struct Library;

impl super::Source for Library {
    fn id(&self) -> Source {
        SOURCE
    }

    fn read_own_page(&self, page: &HtmlPage<'_>) -> Option<Extracted> {
        match recognize(page.url())? {
            OpsisUrl::Doc { .. } => Some(record_page(page)),
            _ => Some(listing_page(page)),
        }
    }

    /// The player's answer gives the file's address; without it the item keeps its page.
    fn complete(&self, pending: Pending, answer: Option<&str>) -> Option<Item> {
        let Pending {
            mut item, request, ..
        } = pending;
        if let Some(file) = answer.and_then(|body| media_url(body, &request)) {
            apply_media_url(&mut item, &file);
        }
        Some(item)
    }
}

/// A record gives one item, whose file needs one more request.
fn record_page(page: &HtmlPage<'_>) -> Extracted {
    let Some(record) = item_page(page.doc, page.url(), page.described) else {
        return Extracted::default();
    };
    let about = Some(About {
        nature: Nature::Library,
        title: record.item.title.clone(),
    });
    match record.visu_url {
        Some(request) => Extracted {
            pending: vec![Pending {
                item: record.item,
                request,
                api: false,
                confirm: false,
            }],
            about,
            ..Extracted::default()
        },
        None => Extracted {
            items: vec![record.item],
            about,
            ..Extracted::default()
        },
    }
}

/// A basket or listing gives its items, its item pages and its later pages.
fn listing_page(page: &HtmlPage<'_>) -> Extracted {
    let listing = listing(page.doc, page.url());
    let mut follow = listing.item_pages;
    follow.extend(listing.next_pages);
    Extracted {
        items: listing.items,
        follow,
        about: Some(About {
            nature: Nature::Library,
            title: None,
        }),
        ..Extracted::default()
    }
}

/// What an Opsis URL shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OpsisUrl {
    /// A basket, `urlaction=commande&id_panier=<id>`: a listing of a selection.
    Basket {
        /// The basket's id (`4378`).
        id: String,
    },
    /// Any other listing (`urlaction=recherche`, a theme, the home page).
    Listing {
        /// The `urlaction` value, lowercased.
        action: String,
    },
    /// An item page, `urlaction=doc&id_doc=<id>`.
    Doc {
        /// The item's `id_doc` (`25312`).
        id_doc: String,
    },
    /// The player's XML answer, `empty.php?…urlaction=prepareVisu…&id=<id_doc>`.
    Visu {
        /// The item's `id_doc`.
        id_doc: String,
    },
}

/// What an Opsis Media URL shows, on any host, or `None` for any other URL.
///
/// Pages are `index.php` (or the directory itself) with a `urlaction` parameter; the
/// player's answer is `empty.php?urlaction=prepareVisu&id=…`.
pub fn recognize(url: &Url) -> Option<OpsisUrl> {
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    let script = url
        .path_segments()
        .and_then(|mut s| s.next_back())
        .unwrap_or_default()
        .to_ascii_lowercase();
    let action = param(url, "urlaction")?.to_ascii_lowercase();
    match (script.as_str(), action.as_str()) {
        ("empty.php", "preparevisu") => Some(OpsisUrl::Visu {
            id_doc: id_param(url, "id")?,
        }),
        ("index.php" | "", "doc") => Some(OpsisUrl::Doc {
            id_doc: id_param(url, "id_doc")?,
        }),
        ("index.php" | "", _) => match id_param(url, "id_panier") {
            Some(id) => Some(OpsisUrl::Basket { id }),
            None => Some(OpsisUrl::Listing { action }),
        },
        _ => None,
    }
}

/// The canonical item page of an item page or player URL: `<origin><path>?urlaction=doc&
/// id_doc=N`, the item's id. `None` for other URLs.
pub fn doc_url(url: &Url) -> Option<Url> {
    let id_doc = match recognize(url)? {
        OpsisUrl::Doc { id_doc } | OpsisUrl::Visu { id_doc } => id_doc,
        _ => return None,
    };
    let mut doc = url.join("index.php").ok()?;
    doc.set_fragment(None);
    doc.query_pairs_mut()
        .clear()
        .append_pair("urlaction", "doc")
        .append_pair("id_doc", &id_doc);
    Some(doc)
}

/// The first non-blank value of a query parameter.
fn param(url: &Url, name: &str) -> Option<String> {
    url.query_pairs()
        .find(|(k, v)| k == name && !v.trim().is_empty())
        .map(|(_, v)| v.trim().to_string())
}

/// An id parameter, kept only if it looks like one (letters, digits, `_`, `-`).
fn id_param(url: &Url, name: &str) -> Option<String> {
    param(url, name).filter(|id| {
        id.len() <= 40
            && id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-'))
    })
}

#[cfg(test)]
mod tests;

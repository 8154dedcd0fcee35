//! An Opsis item page: its metadata table, with its Open Graph and JSON-LD folded in.

use std::sync::LazyLock;

use scraper::{ElementRef, Html, Selector};
use url::Url;

use super::labels::{Field, Labelled, first_text, labelled, parse_date, parse_duration};
use super::{OpsisUrl, SOURCE, doc_url, recognize, visu_url};
use crate::media::credit::credit_holder;
use crate::media::kind::{MediaGuess, kind_from_extension};
use crate::media::merge::fill_from;
use crate::media::{html, text};
use crate::model::{Item, Kind};
use crate::urls;

static BODY: LazyLock<Selector> = LazyLock::new(|| html::selector("body"));
static H1: LazyLock<Selector> = LazyLock::new(|| html::selector("h1"));
static TITLE: LazyLock<Selector> = LazyLock::new(|| html::selector("title"));
static VIDEO: LazyLock<Selector> = LazyLock::new(|| html::selector("video, audio"));
static SOURCES: LazyLock<Selector> = LazyLock::new(|| html::selector("source[src]"));

/// An item page, read.
#[derive(Clone, Debug, PartialEq)]
pub struct OpsisDoc {
    /// The item, with the canonical item page as its id.
    pub item: Item,
    /// The library's own `id_doc`.
    pub id_doc: String,
    /// The record's `Référence` (`Cote`), which [`Item`] has no field for.
    pub reference: Option<String>,
    /// Where the player's answer, and so the file's URL, is asked for.
    pub visu_url: Option<Url>,
}

/// Reads an item page (`urlaction=doc&id_doc=…`), or `None` when `page_url` (or, failing
/// that, the page's canonical URL) is not one.
///
/// The metadata table wins over what the page's Open Graph and JSON-LD describe
/// (`described`), which only fills what it lacks; media about another item (`id_doc`) are
/// left out. The result is one item whatever the page carries.
pub fn item_page(doc: &Html, page_url: &Url, described: &[Item]) -> Option<OpsisDoc> {
    let page = page_identity(doc, page_url)?;
    let id_doc = match recognize(&page) {
        Some(OpsisUrl::Doc { id_doc }) => id_doc,
        _ => return None,
    };
    let id = doc_url(&page)?;
    let base = html::base_url(doc, page_url);
    let root = doc
        .select(&BODY)
        .next()
        .unwrap_or_else(|| doc.root_element());
    let found = labelled(root);
    let mut item = Item::new(id.to_string(), Kind::Video, SOURCE);
    item.page_url = Some(id.to_string());
    read_record(&mut item, &found);
    item.thumbnail_url = html::meta(doc, "og:image")
        .and_then(|u| urls::followable(&base, &u))
        .map(String::from);
    fold_page_metadata(&mut item, described, &id_doc);
    let (player, poster) = page_player(doc, &base);
    item.media_url = item.media_url.take().or(player);
    item.thumbnail_url = item.thumbnail_url.take().or(poster);
    // A site's `<h1>` may be its own name, so it comes after the page's metadata.
    item.title = item
        .title
        .take()
        .or_else(|| first_clean(root, &H1))
        .or_else(|| first_clean(doc.root_element(), &TITLE));
    let file = item.media_url.as_deref().and_then(|m| Url::parse(m).ok());
    if let Some(MediaGuess::Media(kind)) = file.map(|f| kind_from_extension(f.path())) {
        item.kind = kind;
    }
    Some(OpsisDoc {
        reference: first_text(&found, Field::Reference),
        visu_url: visu_url(&id),
        id_doc,
        item,
    })
}

/// The item page's URL: the one read, or the page's canonical URL when the one read does
/// not name the item (a redirect to a bare `index.php`).
fn page_identity(doc: &Html, page_url: &Url) -> Option<Url> {
    if matches!(recognize(page_url), Some(OpsisUrl::Doc { .. })) {
        return Some(page_url.clone());
    }
    html::canonical_url(doc, page_url)
        .filter(|u| matches!(recognize(u), Some(OpsisUrl::Doc { .. })))
}

/// The labelled fields: the first value of each wins.
pub(super) fn read_record(item: &mut Item, found: &[Labelled<'_>]) {
    item.title = first_text(found, Field::Title);
    item.description = first_text(found, Field::Summary);
    item.creator = first_text(found, Field::Credits).and_then(|c| credit_holder(&c));
    item.license = first_text(found, Field::Rights);
    item.published_at = first_text(found, Field::Date).and_then(|d| parse_date(&d));
    item.taken_at = first_text(found, Field::Taken).and_then(|d| parse_date(&d));
    item.duration_seconds = first_text(found, Field::Duration).and_then(|d| parse_duration(&d));
    item.tags = found
        .iter()
        .find(|l| l.field == Field::Keywords)
        .map(Labelled::pieces)
        .unwrap_or_default();
}

/// The file the page's own `<video>` or `<audio>` plays (`src` or first `<source>`), and
/// its `poster`.
fn page_player(doc: &Html, base: &Url) -> (Option<String>, Option<String>) {
    let Some(player) = doc.select(&VIDEO).next() else {
        return (None, None);
    };
    let file = player
        .attr("src")
        .or_else(|| player.select(&SOURCES).find_map(|s| s.attr("src")))
        .and_then(|src| urls::followable(base, src))
        .map(String::from);
    let poster = player
        .attr("poster")
        .and_then(|p| urls::followable(base, p))
        .map(String::from);
    (file, poster)
}

/// Folds the media the page's metadata describes into the item: their kind, then every
/// field the record left empty. Media about another item are not this item's.
fn fold_page_metadata(item: &mut Item, described: &[Item], id_doc: &str) {
    let mut about = described.iter().filter(|o| is_about(o, id_doc));
    if let Some(first) = about.next() {
        item.kind = first.kind;
        fill_from(item, first);
    }
    for other in about {
        fill_from(item, other);
    }
}

/// Whether a media item from the page's metadata describes the item `id_doc`: its page is
/// this item's, or not an Opsis item page at all.
fn is_about(other: &Item, id_doc: &str) -> bool {
    let page = other.page_url.as_deref().and_then(|p| Url::parse(p).ok());
    match page.as_ref().and_then(recognize) {
        Some(OpsisUrl::Doc { id_doc: other }) => other == id_doc,
        _ => true,
    }
}

fn first_clean(root: ElementRef<'_>, selector: &Selector) -> Option<String> {
    root.select(selector)
        .find_map(|e| text::clean(&e.text().collect::<String>()))
}

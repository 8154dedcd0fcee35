//! Baskets and other listings: the items they list, and their other pages.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use regex::Regex;
use scraper::{ElementRef, Html, Selector};
use url::Url;

use super::labels::labelled;
use super::record::read_record;
use super::{OpsisUrl, SOURCE, doc_url, recognize};
use crate::media::worthiness::is_decorative_url;
use crate::media::{html, text};
use crate::model::{Item, Kind};
use crate::urls;

static ANCHORS: LazyLock<Selector> = LazyLock::new(|| html::selector("a[href]"));
static IMAGES: LazyLock<Selector> = LazyLock::new(|| html::selector("img"));
static PAGER_CARRIERS: LazyLock<Selector> =
    LazyLock::new(|| html::selector("[href], [onclick], script, [action]"));
static HEADINGS: LazyLock<Selector> = LazyLock::new(|| html::selector("h1, h2"));
static TITLES: LazyLock<Selector> = LazyLock::new(|| {
    html::selector(r#"[class*="titre"], [class*="title"], [class*="Titre"], [class*="Title"]"#)
});
static SUMMARIES: LazyLock<Selector> = LazyLock::new(|| {
    html::selector(r#"[class*="resume"], [class*="desc"], [class*="summary"], [class*="Resume"]"#)
});

/// The pager's script: `document.documentSelection.page.value=2;…submit()`.
static PAGER_SCRIPT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"documentSelection\.page\.value\s*=\s*['"]?(\d{1,5})"#).expect("valid pager regex")
});

/// What a basket or listing page gives.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Listing {
    /// The items as the listing shows them (title, `Date`, `Durée`, summary, thumbnail),
    /// with the same ids as their item pages give, so the two merge.
    pub items: Vec<Item>,
    /// The item pages to read, absolute, as linked (with `rang`), one per item, in
    /// listing order.
    pub item_pages: Vec<Url>,
    /// The listing's later pages (`page=N` for every N above this page's that a link or
    /// the pager script names), in order. Empty when this page lists nothing: a pager that
    /// promises more than the library holds is not followed past an empty page.
    pub next_pages: Vec<Url>,
    /// The listing's heading, also every item's `collection`.
    pub title: Option<String>,
}

/// Reads a basket or listing page. An empty basket gives an empty [`Listing`].
///
/// Links in the page's navigation, header, aside and footer are not the listing's.
pub fn listing(doc: &Html, page_url: &Url) -> Listing {
    let base = html::base_url(doc, page_url);
    let title = doc
        .select(&HEADINGS)
        .filter(|h| !in_furniture(*h))
        .find_map(|h| text::clean(&h.text().collect::<String>()));
    let collection_url = urls::canonical(&without_page(page_url));
    let mut out = Listing {
        title,
        ..Listing::default()
    };
    for (link, anchor) in doc_links(doc, &base) {
        let Some(id) = doc_url(&link) else { continue };
        let mut item = block_item(block_of(anchor, &base), &id, &base);
        item.collection.clone_from(&out.title);
        item.collection_url = Some(collection_url.clone());
        out.items.push(item);
        out.item_pages.push(link);
    }
    if !out.items.is_empty() {
        out.next_pages = later_pages(doc, page_url, &base);
    }
    out
}

/// The first link to each item page, in document order, outside the page's furniture.
fn doc_links<'a>(doc: &'a Html, base: &Url) -> Vec<(Url, ElementRef<'a>)> {
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut out = Vec::new();
    for anchor in doc.select(&ANCHORS).filter(|a| !in_furniture(*a)) {
        let Some(link) = anchor.attr("href").and_then(|h| urls::followable(base, h)) else {
            continue;
        };
        if let Some(OpsisUrl::Doc { id_doc }) = recognize(&link)
            && seen.insert(id_doc)
        {
            out.push((link, anchor));
        }
    }
    out
}

fn in_furniture(element: ElementRef<'_>) -> bool {
    element
        .ancestors()
        .filter_map(|a| a.value().as_element())
        .any(|e| matches!(e.name(), "nav" | "header" | "footer" | "aside"))
}

/// The largest element around `anchor` that links to no other item: the listing's block
/// for that item (a `<div class="bloc_gauche">`, a table row).
fn block_of<'a>(anchor: ElementRef<'a>, base: &Url) -> ElementRef<'a> {
    let own = anchor
        .attr("href")
        .and_then(|h| urls::followable(base, h))
        .and_then(|u| doc_url(&u));
    let mut block = anchor;
    for parent in anchor.ancestors().filter_map(ElementRef::wrap) {
        if matches!(parent.value().name(), "body" | "html" | "form") {
            break;
        }
        let other_item = parent.select(&ANCHORS).any(|a| {
            let target = a
                .attr("href")
                .and_then(|h| urls::followable(base, h))
                .and_then(|u| doc_url(&u));
            target.is_some() && target != own
        });
        if other_item {
            break;
        }
        block = parent;
    }
    block
}

/// An item as its listing block shows it.
fn block_item(block: ElementRef<'_>, id: &Url, base: &Url) -> Item {
    let mut item = Item::new(id.to_string(), Kind::Video, SOURCE);
    item.page_url = Some(id.to_string());
    read_record(&mut item, &labelled(block));
    item.title = item
        .title
        .take()
        .or_else(|| innermost_text(block, &TITLES))
        .or_else(|| link_title(block, id, base));
    item.description = item
        .description
        .take()
        .or_else(|| innermost_text(block, &SUMMARIES));
    item.thumbnail_url = block.select(&IMAGES).find_map(|img| {
        ["data-src", "src"]
            .iter()
            .filter_map(|a| img.attr(a))
            .find_map(|src| urls::followable(base, src))
            .filter(|u| !is_decorative_url(u))
            .map(String::from)
    });
    item
}

/// The text of the first element matching `selector` that holds no other match: the
/// `titre_video` span, not the `bloc_gauche_titre` block around it.
fn innermost_text(block: ElementRef<'_>, selector: &Selector) -> Option<String> {
    block
        .select(selector)
        .filter(|e| e.select(selector).next().is_none())
        .find_map(|e| text::html_to_text(&e.inner_html()))
}

/// The `title` or text of a link in the block to the item.
fn link_title(block: ElementRef<'_>, id: &Url, base: &Url) -> Option<String> {
    block
        .select(&ANCHORS)
        .filter(|a| {
            a.attr("href")
                .and_then(|h| urls::followable(base, h))
                .and_then(|u| doc_url(&u))
                .is_some_and(|u| u == *id)
        })
        .find_map(|a| {
            a.attr("title")
                .and_then(text::clean)
                .or_else(|| text::clean(&a.text().collect::<String>()))
        })
}

/// Every later page of this listing that the page names, by link or by pager script.
fn later_pages(doc: &Html, page_url: &Url, base: &Url) -> Vec<Url> {
    let current = page_number(page_url).unwrap_or(1);
    let mut numbers: BTreeSet<u32> = BTreeSet::new();
    for carrier in doc.select(&PAGER_CARRIERS) {
        for value in ["href", "onclick", "action"]
            .iter()
            .filter_map(|a| carrier.attr(a))
        {
            numbers.extend(script_pages(value));
            let same_listing = urls::followable(base, value)
                .filter(|u| same_listing(u, page_url))
                .and_then(|u| page_number(&u));
            numbers.extend(same_listing);
        }
        if carrier.value().name() == "script" {
            numbers.extend(script_pages(&carrier.text().collect::<String>()));
        }
    }
    numbers
        .into_iter()
        .filter(|n| *n > current)
        .map(|n| page_url_for(page_url, n))
        .collect()
}

fn script_pages(text: &str) -> impl Iterator<Item = u32> + '_ {
    PAGER_SCRIPT
        .captures_iter(text)
        .filter_map(|c| c[1].parse().ok())
}

fn page_number(url: &Url) -> Option<u32> {
    url.query_pairs()
        .find(|(k, _)| k == "page")
        .and_then(|(_, v)| v.trim().parse().ok())
}

/// Whether `link` shows the listing `page` shows, whatever the page: same script, and same
/// action and basket, or only a `page` parameter (`?page=2`).
fn same_listing(link: &Url, page: &Url) -> bool {
    let only_page = link.query_pairs().all(|(k, _)| k == "page");
    let same = recognize(link).is_some_and(|l| recognize(page) == Some(l));
    link.host() == page.host() && link.path() == page.path() && (same || only_page)
}

/// The listing's URL without its `page` parameter.
fn without_page(url: &Url) -> Url {
    let mut url = urls::without_params(url, |name| name == "page");
    url.set_fragment(None);
    url
}

/// Page `n` of the listing `url` is on: its parameters, with `page=n`.
fn page_url_for(url: &Url, n: u32) -> Url {
    let mut page = without_page(url);
    page.query_pairs_mut().append_pair("page", &n.to_string());
    page
}

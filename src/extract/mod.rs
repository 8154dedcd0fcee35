//! Extraction: a fetched page in, items and links out. Pure and synchronous, so every
//! extractor is tested on saved fixtures and no parsed document ever crosses an `.await`.

pub mod dates;
pub mod feed;
pub mod gallery;
pub mod html;
pub mod jsonld;
pub mod oembed;
pub mod opengraph;
pub mod opsis;
pub mod release;
pub mod sitemap;
pub mod text;

use scraper::Html;

use crate::merge::merge;
use crate::model::{Extracted, Item, Page, Role};

/// What a page is, judged from its declared type and, failing that, its first bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// An HTML document.
    Html,
    /// An RSS or Atom feed.
    Feed,
    /// Markdown (a pasted press release).
    Markdown,
    /// Plain text (a pasted press release).
    Text,
    /// Anything else: images, PDFs, JSON. Nothing is read from it.
    Other,
}

/// Decides how to read a page.
pub fn format_of(page: &Page) -> Format {
    let declared = page.content_type.as_deref().unwrap_or("");
    if feed::looks_like_feed(page.content_type.as_deref(), &page.body) {
        return Format::Feed;
    }
    match declared {
        "text/html" | "application/xhtml+xml" => Format::Html,
        "text/markdown" | "text/x-markdown" => Format::Markdown,
        "text/plain" => Format::Text,
        "" | "application/octet-stream" if looks_like_html(&page.body) => Format::Html,
        _ => Format::Other,
    }
}

fn looks_like_html(body: &str) -> bool {
    let head: String = body
        .trim_start()
        .chars()
        .take(512)
        .collect::<String>()
        .to_ascii_lowercase();
    head.starts_with("<!doctype html") || head.contains("<html") || head.contains("<head")
}

/// Reads every item, link and (for seeds) hashtag a page offers.
pub fn extract(page: &Page) -> Extracted {
    match format_of(page) {
        Format::Html => html_page(page),
        Format::Feed => Extracted {
            items: feed::items(&page.body, &page.url),
            ..Extracted::default()
        },
        Format::Markdown => prose_page(page, release::from_markdown(&page.body, &page.url)),
        Format::Text => prose_page(page, release::from_text(&page.body, &page.url)),
        Format::Other => Extracted::default(),
    }
}

fn html_page(page: &Page) -> Extracted {
    let doc = Html::parse_document(&page.body);
    let mut items = jsonld::items(&doc, &page.url);
    items.extend(opengraph::items(&doc, &page.url));
    let release = release::from_html(&doc, &page.url);
    if page.role == Role::Seed {
        items.insert(0, release.to_item(&page.url));
    }
    Extracted {
        items: dedupe(items),
        hashtags: seed_hashtags(page, &release),
        links: release.links,
    }
}

fn prose_page(page: &Page, release: release::Release) -> Extracted {
    let mut items = Vec::new();
    if page.role == Role::Seed {
        items.push(release.to_item(&page.url));
    }
    Extracted {
        items,
        hashtags: seed_hashtags(page, &release),
        links: release.links,
    }
}

/// Only a seed's hashtags name campaigns: a linked page's `#hashtags` say nothing about which
/// campaign the journalist is after.
fn seed_hashtags(page: &Page, release: &release::Release) -> Vec<String> {
    match page.role {
        Role::Seed => release.hashtags.clone(),
        Role::Linked => Vec::new(),
    }
}

/// One item per id: a page describing a video both in JSON-LD and in Open Graph gives one.
fn dedupe(items: Vec<Item>) -> Vec<Item> {
    let mut unique: Vec<Item> = Vec::with_capacity(items.len());
    for item in items {
        match unique.iter_mut().find(|u| u.id == item.id) {
            Some(existing) => *existing = merge(existing, &item),
            None => unique.push(item),
        }
    }
    unique
}

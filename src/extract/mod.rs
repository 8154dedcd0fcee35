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
mod pages;
pub mod release;
pub mod sitemap;
pub mod text;

use scraper::{Html, Selector};
use std::sync::LazyLock;
use url::Url;

use crate::merge::merge;
use crate::model::{Completion, Extracted, Item, Page, Pending, Role};

/// What extraction needs to know besides the page: the endpoints it may point follow-up
/// requests at.
#[derive(Clone, Debug)]
pub struct Config {
    /// Where to ask about embedded players.
    pub oembed: oembed::Endpoints,
    /// The Flickr base an album's public feed is read from (`FLICKR_API_URL`).
    pub flickr_api: Url,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            oembed: oembed::Endpoints::default(),
            flickr_api: Url::parse(crate::flickr::DEFAULT_API_URL).expect("valid default URL"),
        }
    }
}

/// What a page is, judged from its declared type and, failing that, its first bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// An HTML document.
    Html,
    /// An RSS or Atom feed.
    Feed,
    /// A sitemap or sitemap index.
    Sitemap,
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
    if sitemap::looks_like_sitemap(page.content_type.as_deref(), &page.body) {
        return Format::Sitemap;
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
pub fn extract(page: &Page, config: &Config) -> Extracted {
    match format_of(page) {
        Format::Html => html_page(page, config),
        Format::Feed => Extracted {
            items: feed::items(&page.body, &page.url),
            ..Extracted::default()
        },
        Format::Sitemap => {
            let map = sitemap::parse(&page.body, &page.url);
            Extracted {
                items: map.items,
                follow: map.sitemaps,
                ..Extracted::default()
            }
        }
        Format::Markdown => prose_page(page, release::from_markdown(&page.body, &page.url)),
        Format::Text => prose_page(page, release::from_text(&page.body, &page.url)),
        Format::Other => Extracted::default(),
    }
}

/// Completes a pending item with the answer to its request (`None` when the request failed).
/// `None` when the item turns out not to be media after all.
pub fn complete(pending: Pending, answer: Option<&str>) -> Option<Item> {
    let Pending {
        mut item,
        request,
        completion,
    } = pending;
    match completion {
        Completion::OEmbed { confirm } => {
            let answer = answer.map(|body| oembed::apply(&mut item, body));
            let is_media = matches!(&answer, Some(Ok(a)) if a.is_media());
            (!confirm || is_media).then_some(item)
        }
        Completion::LibraryMedia => {
            if let Some(file) = answer.and_then(|body| opsis::media_url(body, &request)) {
                opsis::apply_media_url(&mut item, &file);
            }
            Some(item)
        }
    }
}

fn html_page(page: &Page, config: &Config) -> Extracted {
    let doc = Html::parse_document(&page.body);
    let cx = pages::Context {
        url: &page.url,
        config,
    };
    if let Some((_, read)) = pages::SITE_READERS
        .iter()
        .find(|(recognises, _)| recognises(&page.url))
    {
        return read(&doc, &cx);
    }
    let mut found = Extracted::default();
    for read in pages::PAGE_READERS {
        let part = read(&doc, &cx);
        found.items.extend(part.items);
        found.pending.extend(part.pending);
        found.follow.extend(part.follow);
    }
    for item in &mut found.items {
        name_by_platform(item);
    }
    let release = release::from_html(&doc, &page.url);
    if page.role == Role::Seed {
        found.items.insert(0, release.to_item(&page.url));
    }
    found.items = dedupe(found.items);
    found.hashtags = seed_hashtags(page, &release);
    found.links = release.links;
    // A feed the page announces is read with the page, whatever the depth: it is the page's
    // own media, in a form made for reading.
    found.follow.extend(announced_feeds(&doc, &page.url));
    found
}

/// A player URL found as a page's video (a YouTube watch page's `og:video`) is the platform's
/// video, with the id its embeds get, so the two routes give one item.
fn name_by_platform(item: &mut Item) {
    let player = [item.media_url.as_deref(), item.page_url.as_deref()]
        .into_iter()
        .flatten()
        .filter_map(|u| Url::parse(u).ok())
        .find_map(|u| oembed::recognize(&u));
    if let Some(embed) = player {
        item.id = embed.item_id();
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

fn prose_page(page: &Page, release: release::Release) -> Extracted {
    let mut items = Vec::new();
    if page.role == Role::Seed {
        items.push(release.to_item(&page.url));
    }
    Extracted {
        items,
        hashtags: seed_hashtags(page, &release),
        links: release.links,
        ..Extracted::default()
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

//! Sitemaps with Google's image and video extensions (`image:image`, `video:video`), and
//! sitemap index files, as media items and child sitemaps.
//!
//! A site that lists its media in a sitemap says more, and more reliably, than its pages'
//! markup: each `<url>` names its page (`<loc>`) and the images and videos on it. An index
//! (`<sitemapindex>`) only names other sitemaps, which the caller reads in turn. Plain
//! sitemaps without media give no items: their pages are not followed from here.
//!
//! Sitemaps are often served gzipped without a `Content-Encoding` (`sitemap.xml.gz`); the
//! fetcher undoes that before decoding ([`crate::fetch::Fetcher::page`]).
//!
//! # Fields
//!
//! | filled | images | videos |
//! | --- | --- | --- |
//! | `id` | canonical `image:loc` | canonical `content_loc`, else the canonical `player_loc` (which its platform names: `youtube:<id>`), else the page |
//! | `kind` | `photo` | `video`; `audio` when `content_loc` is a sound file |
//! | `title` | `image:title` | `video:title` |
//! | `description` | `image:caption` (markup stripped), its credit line removed | `video:description` (markup stripped) |
//! | `license`, `license_url` | `image:license` (a URL, named when it is a known licence; else its text) | — |
//! | `media_url` | `image:loc` | `content_loc` |
//! | `thumbnail_url` | — | `thumbnail_loc` |
//! | `duration_seconds` | — | `duration` (seconds, or ISO 8601 written by mistake) |
//! | `published_at` | — | `publication_date` |
//! | `tags` | — | each `video:tag`, then `video:category` |
//! | `creator` | the caption's credit line (`© CNES/ESA`) | `video:uploader` |
//! | `page_url` | the `<url>`'s `<loc>` | the same |
//!
//! Cannot fill: `taken_at`, `width`, `height` (neither extension gives sizes), `collection`.
//! `lastmod` dates the page, not the media, and is not used. Logos and icons listed as
//! images, and live streams without a file, are left out.
//! Every item has [`SOURCE`] as its source.

mod scan;

use url::Url;

use scan::{RawImage, RawVideo, scan};

use super::Identify;
use crate::media::credit::split_credit;
use crate::media::duration::duration_seconds;
use crate::media::kind::{MediaGuess, kind_from_extension};
use crate::media::license::license_name_from_url;
use crate::media::merge::ItemSet;
use crate::media::worthiness::is_decorative_url;
use crate::media::{dates, text};
use crate::model::{About, Extracted, Item, Kind, Nature, Page, Source};
use crate::urls;

/// Sitemaps as a source: the image and video entries of a sitemap, and an index's children.
pub struct Sitemaps;

impl super::Source for Sitemaps {
    fn id(&self) -> Source {
        SOURCE
    }

    fn read_document(&self, page: &Page, _: &dyn Identify) -> Option<Extracted> {
        if !looks_like_sitemap(page.content_type.as_deref(), &page.body) {
            return None;
        }
        let map = parse(&page.body, &page.url);
        Some(Extracted {
            items: map.items,
            follow: map.sitemaps,
            about: Some(About {
                nature: Nature::Sitemap,
                title: None,
            }),
            ..Extracted::default()
        })
    }
}

/// The source sitemap items carry: a machine-written listing, like a feed.
pub const SOURCE: Source = Source::Sitemap;

/// What a sitemap or sitemap index gives.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Sitemap {
    /// The images and videos it lists, one per file, in document order.
    pub items: Vec<Item>,
    /// The child sitemaps an index lists, absolute, in order.
    pub sitemaps: Vec<Url>,
}

/// Reads a sitemap or a sitemap index. Relative URLs resolve against `sitemap_url`; XML
/// that breaks off keeps what came before the break; anything else gives an empty
/// [`Sitemap`].
pub fn parse(body: &str, sitemap_url: &Url) -> Sitemap {
    let raw = scan(body);
    let mut out = Sitemap {
        sitemaps: raw
            .sitemaps
            .iter()
            .filter_map(|loc| urls::followable(sitemap_url, loc))
            .collect(),
        ..Sitemap::default()
    };
    let mut found = ItemSet::new();
    for url in &raw.urls {
        let page = url
            .loc
            .as_deref()
            .and_then(|loc| urls::followable(sitemap_url, loc));
        let images = url
            .images
            .iter()
            .filter_map(|i| image_item(i, page.as_ref(), sitemap_url));
        let videos = url
            .videos
            .iter()
            .filter_map(|v| video_item(v, page.as_ref(), sitemap_url));
        found.extend(images.chain(videos));
    }
    out.items = found.into_items();
    out
}

fn image_item(image: &RawImage, page: Option<&Url>, base: &Url) -> Option<Item> {
    let file = urls::followable(base, image.loc.as_deref()?)?;
    if is_decorative_url(&file) {
        return None;
    }
    let mut item = Item::new(urls::canonical(&file), Kind::Photo, SOURCE);
    item.title = image.title.as_deref().and_then(text::html_to_text);
    let caption = image.caption.as_deref().and_then(text::html_to_text);
    (item.description, item.creator) = caption.as_deref().map(split_credit).unwrap_or_default();
    if let Some(license) = image.license.as_deref() {
        match urls::absolute(license) {
            Some(url) => {
                item.license = license_name_from_url(url.as_str());
                item.license_url = Some(url.to_string());
            }
            None => item.license = text::clean(license),
        }
    }
    item.media_url = Some(file.to_string());
    item.page_url = page.map(Url::to_string);
    Some(item)
}

fn video_item(video: &RawVideo, page: Option<&Url>, base: &Url) -> Option<Item> {
    let resolve = |v: &Option<String>| v.as_deref().and_then(|u| urls::followable(base, u));
    let file = resolve(&video.content_loc);
    let player = resolve(&video.player_loc);
    let live = video
        .live
        .as_deref()
        .is_some_and(|l| l.eq_ignore_ascii_case("yes"));
    if live && file.is_none() {
        return None;
    }
    let id = file
        .as_ref()
        .map(urls::canonical)
        .or_else(|| player.as_ref().map(urls::canonical))
        .or_else(|| page.map(urls::canonical))?;
    let kind = match file.as_ref().map(|f| kind_from_extension(f.path())) {
        Some(MediaGuess::Media(Kind::Audio)) => Kind::Audio,
        _ => Kind::Video,
    };
    let mut item = Item::new(id, kind, SOURCE);
    item.title = video.title.as_deref().and_then(text::html_to_text);
    item.description = video.description.as_deref().and_then(text::html_to_text);
    item.thumbnail_url = resolve(&video.thumbnail_loc).map(String::from);
    item.duration_seconds = video.duration.as_deref().and_then(duration_seconds);
    item.published_at = video.publication_date.as_deref().and_then(dates::parse);
    item.creator = video.uploader.as_deref().and_then(text::clean);
    for tag in video
        .tags
        .iter()
        .chain(&video.category)
        .filter_map(|t| text::clean(t))
    {
        if !item.tags.iter().any(|t| t.eq_ignore_ascii_case(&tag)) {
            item.tags.push(tag);
        }
    }
    item.media_url = file.map(String::from);
    item.page_url = page.map(Url::to_string);
    Some(item)
}

/// Whether a response is a sitemap or a sitemap index: its root element is `urlset` or
/// `sitemapindex`, after any XML declaration, comments and doctype. Declared types are
/// not trusted either way (sitemaps come as `text/xml`, `application/xml`, `text/plain`
/// or nothing), except that HTML is never a sitemap.
pub fn looks_like_sitemap(content_type: Option<&str>, body: &str) -> bool {
    let essence = content_type
        .and_then(|t| t.split(';').next())
        .map(|t| t.trim().to_ascii_lowercase())
        .unwrap_or_default();
    if matches!(essence.as_str(), "text/html" | "application/xhtml+xml") {
        return false;
    }
    root_name(body).is_some_and(|name| {
        let local = name.rsplit(':').next().unwrap_or(&name);
        local == "urlset" || local == "sitemapindex"
    })
}

/// The first element's name, skipping the prolog.
fn root_name(body: &str) -> Option<String> {
    let mut reader = quick_xml::Reader::from_str(body.trim_start_matches('\u{feff}'));
    for _ in 0..64 {
        match reader.read_event().ok()? {
            quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e) => {
                return Some(e.name().as_ref().to_string());
            }
            quick_xml::events::Event::Eof => return None,
            quick_xml::events::Event::Text(t) if !t.xml10_content().trim().is_empty() => {
                return None;
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests;

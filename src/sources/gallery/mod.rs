//! Press-kit galleries without metadata: `<figure>`, `<img>`, `<figcaption>`, `<video>` and
//! `<audio>` on a page, as photo, video and sound items.
//!
//! A press kit is often plain HTML: an image, a caption, and a credit line typed by hand
//! (`© CNES/ESA/Arianespace/Optique Vidéo du CSG - S. Martin`, `Crédit : ESA–S. Corvaja`).
//! [`items`] reads each image's best file, its caption and its credit, and leaves out the
//! page's furniture: logos, icons, sprites, tracking pixels, images known to be smaller than
//! 200 px, and anything in the navigation, header, aside or footer.
//!
//! # Fields
//!
//! | filled | how |
//! | --- | --- |
//! | `id` | canonical URL of `media_url` |
//! | `kind` | `photo` for `<img>`, `video` for `<video>`, `audio` for `<audio>` |
//! | `title` | first line of the caption, else `alt` (or the lightbox link's `data-caption`) |
//! | `description` | the caption's other lines, credit removed |
//! | `creator` | the credit line, markers (`©`, `Crédit :`, `Photo:`) and years removed |
//! | `media_url` | the larger version linked around the image (`<a href="…_HD.jpg">`, WordPress `data-orig-file`), else the widest `srcset`/`data-srcset` candidate, else `data-src`, else `src` |
//! | `width`, `height` | of `media_url` when known: `srcset` `w` descriptor (height by the attributes' ratio), the `width`/`height` attributes of a plain `src`, or `data-orig-size` |
//! | `thumbnail_url` | the image as displayed, when `media_url` is another file; a video's `poster` |
//! | `page_url`, `collection_url` | the page (its canonical URL when declared) |
//! | `collection` | the page's title (`og:title`, else `<title>`) |
//! | `published_at` | the page's `article:published_time`, when declared |
//!
//! Cannot fill: `tags`, `license`, `license_url`, `taken_at` (captions state dates in prose,
//! too loosely to trust), `duration_seconds`, sizes of a linked larger version.
//!
//! Every item has [`SOURCE`] as its source.

mod caption;
mod images;

use scraper::{ElementRef, Html, Selector};
use std::sync::LazyLock;
use url::Url;

use caption::{REACH, caption_of};
use images::{
    Candidate, NoscriptScopes, best_source, is_decorative, is_image_file, pixel_attr, plain_source,
};

use super::HtmlPage;
use crate::media::merge::ItemSet;
use crate::media::worthiness::{is_chrome_name, is_decorative_url};
use crate::media::{dates, html, text};
use crate::model::{Extracted, Item, Kind, Source, When};
use crate::urls;

/// Galleries as a source: the images, videos and sounds any page shows, with their captions.
pub struct Gallery;

impl super::Source for Gallery {
    fn id(&self) -> Source {
        SOURCE
    }

    fn read_html(&self, page: &HtmlPage<'_>) -> Extracted {
        Extracted {
            items: items(page.doc, page.url()),
            ..Extracted::default()
        }
    }
}

/// The source gallery items carry: the weakest page metadata, since a caption is whatever
/// the page's author typed.
pub const SOURCE: Source = Source::Gallery;

static MEDIA: LazyLock<Selector> = LazyLock::new(|| html::selector("img, video, audio"));
static TITLE: LazyLock<Selector> = LazyLock::new(|| html::selector("title"));

/// What every item of the page shares.
struct PageContext {
    base: Url,
    page: String,
    title: Option<String>,
    published: Option<When>,
    noscript: NoscriptScopes,
}

/// The photos, videos and sounds a page shows, in document order, one per file.
///
/// An image shown twice (a thumbnail grid and a figure) is one item with what both say.
/// A page of furniture only gives an empty list.
pub fn items(doc: &Html, page_url: &Url) -> Vec<Item> {
    let metas = html::Metas::of(doc);
    let ctx = PageContext {
        base: html::base_url(doc, page_url),
        page: html::canonical_url(doc, page_url)
            .map_or_else(|| urls::canonical(page_url), |u| urls::canonical(&u)),
        title: metas.first("og:title").or_else(|| {
            doc.select(&TITLE)
                .next()
                .and_then(|t| text::clean(&t.text().collect::<String>()))
        }),
        published: metas
            .first("article:published_time")
            .and_then(|d| dates::parse(&d)),
        noscript: NoscriptScopes::of(doc),
    };
    let mut items = doc
        .select(&MEDIA)
        .filter(|m| !in_furniture(*m))
        .filter_map(|media| match media.value().name() {
            "img" => image_item(media, &ctx),
            "video" => player_item(media, Kind::Video, &ctx),
            _ => player_item(media, Kind::Audio, &ctx),
        })
        .collect::<ItemSet>()
        .into_items();
    title_a_lone_player(&mut items, &ctx);
    items
}

/// A page built around one video or sound (a post, an episode) is titled for it: its
/// player, uncaptioned, takes the page's title.
fn title_a_lone_player(items: &mut [Item], ctx: &PageContext) {
    let mut players = items
        .iter_mut()
        .filter(|i| matches!(i.kind, Kind::Video | Kind::Audio));
    if let (Some(only), None) = (players.next(), players.next())
        && only.title.is_none()
    {
        only.title.clone_from(&ctx.title);
    }
}

/// Navigation, asides, footers and a site header (not an article's own header).
fn in_furniture(media: ElementRef<'_>) -> bool {
    let mut in_header = false;
    for ancestor in media.ancestors().filter_map(ElementRef::wrap) {
        let e = ancestor.value();
        let named = [e.attr("class"), e.attr("id")].into_iter().flatten();
        if named.into_iter().any(is_chrome_name) {
            return true;
        }
        match e.name() {
            "nav" | "aside" | "footer" => return true,
            "header" => in_header = true,
            "article" | "main" => return false,
            _ if matches!(
                e.attr("role"),
                Some("navigation" | "banner" | "contentinfo")
            ) =>
            {
                return true;
            }
            _ => {}
        }
    }
    in_header
}

/// Attributes that name a larger file of the image, for a lightbox or a zoom.
const LARGER_ATTRS: [&str; 6] = [
    "data-mediaviewer-src",
    "data-full-src",
    "data-fullsize",
    "data-large-src",
    "data-zoom-src",
    "data-hi-res-src",
];

/// A larger file than the one displayed, with its size when the page says it.
struct Larger {
    url: Url,
    width: Option<u32>,
    height: Option<u32>,
}

fn image_item(img: ElementRef<'_>, ctx: &PageContext) -> Option<Item> {
    let own = best_source(img, &ctx.base)?;
    let larger = larger_version(img, &ctx.base).filter(|l| l.url != own.url);
    let longest = match &larger {
        Some(_) => None,
        None => own.width.or_else(|| {
            let attrs = [pixel_attr(img, "width"), pixel_attr(img, "height")];
            attrs.into_iter().flatten().max()
        }),
    };
    if ctx.noscript.has_fallback_for(img)
        || is_decorative(img, &own.url, longest)
        || larger.as_ref().is_some_and(|l| is_decorative_url(&l.url))
    {
        return None;
    }
    let displayed = plain_source(img, &ctx.base).map(|c| c.url);
    let (media, width, height) = match larger {
        Some(l) => (l.url, l.width, l.height),
        None => {
            let (w, h) = own_size(img, &own);
            (own.url, w, h)
        }
    };
    let mut item = base_item(&media, Kind::Photo, ctx);
    item.width = width;
    item.height = height;
    item.thumbnail_url = displayed.filter(|d| *d != media).map(String::from);
    describe(&mut item, img);
    Some(item)
}

/// The size of the image's own best file: a `srcset` width (height by the attributes'
/// ratio), or the attributes of a plain `src`.
fn own_size(img: ElementRef<'_>, own: &Candidate) -> (Option<u32>, Option<u32>) {
    let (w, h) = (pixel_attr(img, "width"), pixel_attr(img, "height"));
    match own.width {
        Some(width) => {
            let height = w.zip(h).and_then(|(w, h)| {
                u32::try_from(u64::from(width) * u64::from(h) / u64::from(w)).ok()
            });
            (Some(width), height)
        }
        // A `2x` candidate is twice the attributes' size, which the page does not promise.
        None if own.density.is_none_or(|d| d == 1.0) => (w, h),
        None => (None, None),
    }
}

/// WordPress's `data-orig-file` (with `data-orig-size="W,H"`), else a link around the
/// image to an image file.
fn larger_version(img: ElementRef<'_>, base: &Url) -> Option<Larger> {
    // A lightbox's or media viewer's own file (NYT's `data-mediaviewer-src`).
    if let Some(url) = LARGER_ATTRS
        .iter()
        .filter_map(|a| img.attr(a))
        .find_map(|u| urls::followable(base, u))
        .filter(is_image_file)
    {
        return Some(Larger {
            url,
            width: None,
            height: None,
        });
    }
    if let Some(url) = img
        .attr("data-orig-file")
        .and_then(|u| urls::followable(base, u))
    {
        let size = img.attr("data-orig-size").and_then(|s| s.split_once(','));
        let dimension = |s: &str| s.trim().parse().ok().filter(|n: &u32| *n > 0);
        return Some(Larger {
            url,
            width: size.and_then(|(w, _)| dimension(w)),
            height: size.and_then(|(_, h)| dimension(h)),
        });
    }
    img.ancestors()
        .take(REACH)
        .filter_map(ElementRef::wrap)
        .take_while(|a| a.value().name() != "figure")
        .find(|a| a.value().name() == "a")
        .and_then(|a| a.attr("href"))
        .and_then(|href| urls::followable(base, href))
        .filter(is_image_file)
        .map(|url| Larger {
            url,
            width: None,
            height: None,
        })
}

/// A `<video>` or `<audio>` with a file: its `src` or first `<source>`. Muted looping
/// videos without controls are page backgrounds, not press material.
fn player_item(player: ElementRef<'_>, kind: Kind, ctx: &PageContext) -> Option<Item> {
    let e = player.value();
    let background = e.attr("loop").is_some() && e.attr("muted").is_some();
    if background && e.attr("controls").is_none() {
        return None;
    }
    let src = ["src", "data-src"]
        .iter()
        .find_map(|a| e.attr(a))
        .or_else(|| {
            player
                .child_elements()
                .filter(|c| c.value().name() == "source")
                .find_map(|s| s.attr("src").or_else(|| s.attr("data-src")))
        })?;
    let media = urls::followable(&ctx.base, src)?;
    let mut item = base_item(&media, kind, ctx);
    item.thumbnail_url = e
        .attr("poster")
        .and_then(|p| urls::followable(&ctx.base, p))
        .map(String::from);
    describe(&mut item, player);
    Some(item)
}

fn base_item(media: &Url, kind: Kind, ctx: &PageContext) -> Item {
    let mut item = Item::new(urls::canonical(media), kind, SOURCE);
    item.media_url = Some(media.to_string());
    item.page_url = Some(ctx.page.clone());
    item.collection.clone_from(&ctx.title);
    item.collection_url = Some(ctx.page.clone());
    item.published_at = ctx.published;
    item
}

fn describe(item: &mut Item, media: ElementRef<'_>) {
    let caption = caption_of(media);
    item.title = caption.title;
    item.description = caption.description;
    item.creator = caption.creator;
}

#[cfg(test)]
mod tests;

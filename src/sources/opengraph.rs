//! Open Graph `og:video` and `og:audio` tags as media items.
//!
//! Open Graph describes a page for link previews, so only its video and audio roots name
//! media; an `og:image` alone is the preview picture and yields nothing. Structured
//! properties (`og:video:width`) belong to the nearest preceding root, as ogp.me defines
//! arrays, so a page with two `og:video` tags gives two items.

use scraper::Html;
use url::Url;

use super::HtmlPage;
use crate::media::dimension::parse_dimension;
use crate::media::duration::duration_seconds;
use crate::media::lists::unique;
use crate::media::merge::ItemSet;
use crate::media::{dates, html, text};
use crate::model::{Extracted, Item, Kind, Source};
use crate::urls;

/// Open Graph as a source: the media a page's `og:video` and `og:audio` describe.
pub struct OpenGraph;

impl super::Source for OpenGraph {
    fn id(&self) -> Source {
        Source::OpenGraph
    }

    fn describes_pages(&self) -> bool {
        true
    }

    fn read_html(&self, page: &HtmlPage<'_>) -> Extracted {
        Extracted {
            items: items(page.doc, page.url()),
            ..Extracted::default()
        }
    }
}

/// The Open Graph roots that name media, and what kind each gives.
const ROOTS: [(&str, Kind); 2] = [("og:video", Kind::Video), ("og:audio", Kind::Audio)];

/// Media items from the page's `og:video` and `og:audio` tags, written with `property=` or
/// `name=`.
///
/// Page-level tags (`og:title`, `og:description`, `og:image`, `og:url`, `video:duration`,
/// `video:release_date`, `video:tag`) apply to every item. Player pages (YouTube embeds) are
/// kept as the media URL: recognising embeds is another module's job.
pub fn items(doc: &Html, page_url: &Url) -> Vec<Item> {
    let base = html::base_url(doc, page_url);
    let page = Page::read(doc, &base, page_url);
    roots(doc)
        .iter()
        .filter_map(|root| root_item(root, &page, &base))
        .collect::<ItemSet>()
        .into_items()
}

/// One `og:video` or `og:audio` with the structured properties that followed it.
#[derive(Debug)]
struct Root {
    kind: Kind,
    /// The root tag's own value, if the root was opened by it rather than by a property.
    value: Option<String>,
    /// `(property, value)` pairs such as `("secure_url", "https://…")`.
    properties: Vec<(String, String)>,
}

impl Root {
    fn new(kind: Kind) -> Root {
        Root {
            kind,
            value: None,
            properties: Vec::new(),
        }
    }

    fn property(&self, name: &str) -> Option<&str> {
        self.properties
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Whether a tag still belongs here: a root holds each tag once.
    fn accepts(&self, property: Option<&str>) -> bool {
        match property {
            Some(p) => self.property(p).is_none(),
            None => self.value.is_none(),
        }
    }

    fn set(&mut self, property: Option<String>, value: String) {
        match property {
            Some(p) => self.properties.push((p, value)),
            None => self.value = Some(value),
        }
    }
}

/// Groups the media tags into roots in document order.
///
/// A tag opens a new root when the current one already has that tag: `og:video`,
/// `og:video:url`, `og:video` gives two roots; a property before any root opens one, since
/// some pages list `og:video:url` alone.
fn roots(doc: &Html) -> Vec<Root> {
    let mut roots: Vec<Root> = Vec::new();
    let mut current: [Option<usize>; ROOTS.len()] = [None; ROOTS.len()];
    for (key, value) in og_tags(doc) {
        let Some((slot, property)) = media_tag(&key) else {
            continue;
        };
        let open = current[slot].and_then(|i| roots.get(i));
        if !open.is_some_and(|r| r.accepts(property.as_deref())) {
            current[slot] = Some(roots.len());
            roots.push(Root::new(ROOTS[slot].1));
        }
        if let Some(root) = current[slot].and_then(|i| roots.get_mut(i)) {
            root.set(property, value);
        }
    }
    roots
}

/// The media root a tag belongs to (its index in `ROOTS`) and the property it sets, `None`
/// for the root tag itself. `og:videos` or `og:title` give `None`.
fn media_tag(key: &str) -> Option<(usize, Option<String>)> {
    ROOTS.iter().enumerate().find_map(|(slot, (prefix, _))| {
        let rest = key.strip_prefix(prefix)?;
        if rest.is_empty() {
            return Some((slot, None));
        }
        rest.strip_prefix(':').map(|p| (slot, Some(p.to_string())))
    })
}

/// Every `<meta>` with a `property` or `name`, as a lowercased key and its content.
fn og_tags(doc: &Html) -> impl Iterator<Item = (String, String)> + '_ {
    html::named(doc, "meta").filter_map(|m| {
        let e = m.value();
        let key = e.attr("property").or_else(|| e.attr("name"))?;
        Some((
            key.trim().to_ascii_lowercase(),
            e.attr("content")?.trim().to_string(),
        ))
    })
}

/// The tags that describe the page, shared by all its media.
struct Page {
    title: Option<String>,
    description: Option<String>,
    thumbnail: Option<String>,
    url: Url,
    published: Option<crate::model::When>,
    duration: Option<u32>,
    tags: Vec<String>,
}

impl Page {
    fn read(doc: &Html, base: &Url, page_url: &Url) -> Page {
        let metas = html::Metas::of(doc);
        let url = metas
            .first("og:url")
            .and_then(|u| urls::followable(base, &u))
            .unwrap_or_else(|| page_url.clone());
        let thumbnail = ["og:image:secure_url", "og:image", "og:image:url"]
            .iter()
            .find_map(|k| metas.all(k).find_map(|u| urls::followable(base, u)));
        let published = ["video:release_date", "article:published_time"]
            .iter()
            .find_map(|k| metas.first(k).and_then(|d| dates::parse(&d)));
        // `video:tag` is ogp.me's; YouTube long wrote `og:video:tag`.
        let written = ["video:tag", "og:video:tag"].into_iter();
        let tags = unique(written.flat_map(|k| metas.all(k)).filter_map(text::clean));
        Page {
            title: metas.first("og:title").and_then(|t| text::html_to_text(&t)),
            description: metas
                .first("og:description")
                .and_then(|t| text::html_to_text(&t)),
            thumbnail: thumbnail.map(String::from),
            url,
            published,
            duration: metas
                .first("video:duration")
                .and_then(|d| duration_seconds(&d)),
            tags,
        }
    }
}

/// One root as an item, or `None` when it names no usable URL.
fn root_item(root: &Root, page: &Page, base: &Url) -> Option<Item> {
    let media = media_url(root, base)?;
    let mut item = Item::new(urls::canonical(&media), root.kind, Source::OpenGraph);
    item.title.clone_from(&page.title);
    item.description.clone_from(&page.description);
    item.tags.clone_from(&page.tags);
    item.published_at = page.published;
    item.thumbnail_url.clone_from(&page.thumbnail);
    item.page_url = Some(page.url.to_string());
    item.width = root.property("width").and_then(parse_dimension);
    item.height = root.property("height").and_then(parse_dimension);
    item.duration_seconds = root
        .property("duration")
        .and_then(duration_seconds)
        .or(page.duration);
    item.media_url = Some(media.to_string());
    Some(item)
}

/// The root's URL, preferring https among `secure_url`, the root value and `url`: pages
/// often give the same file over both schemes.
fn media_url(root: &Root, base: &Url) -> Option<Url> {
    let candidates: Vec<Url> = [
        root.property("secure_url"),
        root.value.as_deref(),
        root.property("url"),
    ]
    .into_iter()
    .flatten()
    .filter_map(|u| urls::followable(base, u))
    .collect();
    let https = candidates.iter().position(|u| u.scheme() == "https");
    https
        .or((!candidates.is_empty()).then_some(0))
        .map(|i| candidates[i].clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    const VIDEOTHEQUE: &str = include_str!("../../tests/fixtures/opengraph/videotheque_name.html");
    const YOUTUBE: &str = include_str!("../../tests/fixtures/opengraph/youtube_watch.html");
    const IMAGE_ONLY: &str = include_str!("../../tests/fixtures/opengraph/image_only.html");

    fn extract(html: &str, page: &str) -> Vec<Item> {
        items(&Html::parse_document(html), &Url::parse(page).unwrap())
    }

    #[test]
    fn og_video_written_with_name_gives_one_complete_item() {
        let page =
            "https://videotheque.cnes.fr/index.php?urlaction=doc&id_doc=25312&rang=1&utm_source=x";
        let items = extract(VIDEOTHEQUE, page);
        assert_eq!(items.len(), 1, "{items:#?}");
        let video = &items[0];
        assert_eq!(
            video.id,
            "https://videotheque.cnes.fr/videos/VS20_CSO-1_vis.mp4"
        );
        assert_eq!(video.kind, Kind::Video);
        assert_eq!(video.source, Source::OpenGraph);
        assert_eq!(
            video.media_url.as_deref(),
            Some("https://videotheque.cnes.fr/videos/VS20_CSO-1_vis.mp4"),
            "secure_url preferred over the http og:video"
        );
        assert_eq!(video.title.as_deref(), Some("Lancement Soyuz VS20 / CSO-1"));
        assert_eq!(
            video.description.as_deref(),
            Some(
                "Le lanceur Soyuz (vol VS20) a décollé de Kourou le 19 décembre 2018 avec CSO-1 à son bord."
            )
        );
        assert_eq!(
            video.page_url.as_deref(),
            Some("https://videotheque.cnes.fr/index.php?urlaction=doc&id_doc=25312&rang=1")
        );
        assert_eq!(
            video.thumbnail_url.as_deref(),
            Some("https://videotheque.cnes.fr/vignettes/25312_vignette.jpg")
        );
        assert_eq!((video.width, video.height), (Some(1280), Some(720)));
        assert_eq!(video.duration_seconds, Some(103));
        assert_eq!(
            video.published_at.map(|t| t.to_string()).as_deref(),
            Some("2018-12-19T18:00:00+01:00")
        );
        assert_eq!(video.tags, ["VS20", "CSO", "Kourou"]);
        assert_eq!(video.creator, None);
        assert_eq!(video.license, None);
        assert!(video.campaigns.is_empty() && video.found_via.is_empty());
    }

    #[test]
    fn each_og_video_root_is_an_item_with_its_own_sizes() {
        let items = extract(
            YOUTUBE,
            "https://www.youtube.com/watch?v=VS20cso1xyz&feature=share",
        );
        let summary: Vec<(&str, Option<u32>, Option<u32>)> = items
            .iter()
            .map(|i| (i.id.as_str(), i.width, i.height))
            .collect();
        assert_eq!(
            summary,
            [
                (
                    "https://www.youtube.com/embed/VS20cso1xyz",
                    Some(1280),
                    Some(720)
                ),
                (
                    "http://www.youtube.com/v/VS20cso1xyz?version=3&autohide=1",
                    Some(640),
                    Some(360)
                ),
            ]
        );
        for item in &items {
            assert_eq!(
                item.page_url.as_deref(),
                Some("https://www.youtube.com/watch?v=VS20cso1xyz")
            );
            assert_eq!(item.title.as_deref(), Some("Soyuz VS20 launch with CSO-1"));
            assert_eq!(item.tags, ["VS20", "Soyuz"]);
            assert_eq!(item.duration_seconds, None);
            assert_eq!(item.published_at, None);
        }
    }

    #[test]
    fn og_image_alone_is_a_preview_not_media() {
        assert!(extract(IMAGE_ONLY, "https://cnes.fr/fr/cso-1-est-en-orbite").is_empty());
    }

    #[test]
    fn og_audio_gives_an_audio_item() {
        let html = r#"<meta property="og:title" content="Podcast CSO-1">
            <meta property="og:audio" content="/podcasts/cso1.mp3">
            <meta property="og:audio:type" content="audio/mpeg">
            <meta property="article:published_time" content="2018-12-20">"#;
        let items = extract(html, "https://cnes.fr/fr/podcasts/cso1");
        assert_eq!(items.len(), 1);
        assert_eq!(items[0].kind, Kind::Audio);
        assert_eq!(items[0].id, "https://cnes.fr/podcasts/cso1.mp3");
        assert_eq!(items[0].title.as_deref(), Some("Podcast CSO-1"));
        assert_eq!(
            items[0].published_at.map(|t| t.to_string()).as_deref(),
            Some("2018-12-20")
        );
    }

    #[test]
    fn repeated_og_video_tags_are_separate_roots_and_duplicates_merge() {
        let html = r#"<meta property="og:video" content="https://cnes.fr/a.mp4">
            <meta property="og:video:width" content="1920">
            <meta property="og:video" content="https://cnes.fr/b.mp4">
            <meta property="og:video:width" content="640">
            <meta property="og:video" content="https://cnes.fr/a.mp4#t=10">
            <meta property="og:video:height" content="1080">"#;
        let items = extract(html, "https://cnes.fr/page");
        let ids: Vec<&str> = items.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(ids, ["https://cnes.fr/a.mp4", "https://cnes.fr/b.mp4"]);
        assert_eq!((items[0].width, items[0].height), (Some(1920), Some(1080)));
        assert_eq!((items[1].width, items[1].height), (Some(640), None));
    }

    #[test]
    fn unusable_values_are_skipped_without_panicking() {
        let html = r#"<meta property="og:video" content="">
            <meta property="og:video" content="javascript:alert(1)">
            <meta property="og:video:width" content="wide">
            <meta property="og:videos" content="https://cnes.fr/x.mp4">
            <meta property="video:duration" content="-3">"#;
        assert!(extract(html, "https://cnes.fr/page").is_empty());
    }
}

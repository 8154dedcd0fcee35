//! Embedded players (YouTube, Vimeo, Dailymotion) and oEmbed discovery links on a page, as
//! video items to complete with the provider's oEmbed answer.
//!
//! Reading a page is pure ([`embeds`]): each player `<iframe>` (also lazy `data-src`),
//! `<embed>`, `<object>` or link to a video page becomes a [`Discovered`] item with the
//! oEmbed request that describes it. So does each `<link rel="alternate|alternative"
//! type="application/json+oembed">` discovery link. The caller fetches the request and
//! hands the body to [`apply`].
//!
//! # Identity
//!
//! `youtube:<id>`, `vimeo:<id>`, `dailymotion:<id>`, whichever player, page or short link
//! named the video; a Flickr photo's discovery link gives `flickr:<id>`. A discovery link
//! to another provider gives the canonical URL of the page it describes, marked
//! [`Discovered::needs_confirmation`].
//!
//! # Endpoints
//!
//! [`Endpoints`] holds each provider's endpoint, read from `ARCHIVE_OEMBED_YOUTUBE_URL`,
//! `ARCHIVE_OEMBED_VIMEO_URL` and `ARCHIVE_OEMBED_DAILYMOTION_URL` by
//! [`Endpoints::from_env`], or given by tests with [`Endpoints::from_values`]. A discovery
//! link to a known provider is asked at the configured endpoint, not at its `href`.
//!
//! # Fields
//!
//! | filled | from |
//! | --- | --- |
//! | `id`, `page_url` | the player or page URL (the video's public page) |
//! | `kind` | `video`; the answer's `type` (`photo` for a Flickr photo) |
//! | `title` | the answer's `title`, else the iframe's own `title` unless generic (`YouTube video player`) |
//! | `creator` | `author_name` |
//! | `thumbnail_url` | `thumbnail_url`, else YouTube's and Dailymotion's fixed preview address |
//! | `description`, `duration_seconds`, `published_at` | Vimeo's `description`, `duration`, `upload_date` |
//! | `license`, `license_url` | Flickr's `license`, `license_url` |
//! | `media_url`, `width`, `height` | a `photo` answer's `url`, `width`, `height` only |
//!
//! Cannot fill: a video's file (`media_url`) and its size — oEmbed gives a player, whose
//! `width`/`height` are not the file's — nor `tags`, `taken_at`, `collection`. The
//! provider's name has no field; [`apply`] returns it ([`Answer::provider_name`]).
//! Every item has [`SOURCE`] as its source.

mod answer;
mod config;
mod providers;

use scraper::{ElementRef, Html};
use url::Url;

use super::{Context, HtmlPage, Identify, ReadFuture, Reading, Settings, SettingsError};
use crate::failure::Failure;
use crate::fetch::{Fetcher, Purpose};
use crate::media::html;
use crate::model::{About, Extracted, Item, Kind, Nature, Pending, Source};
use crate::urls;

pub use answer::{Answer, AnswerError, apply};
pub use config::{
    DAILYMOTION_ENV, DEFAULT_DAILYMOTION, DEFAULT_VIMEO, DEFAULT_YOUTUBE, EndpointError, Endpoints,
    VIMEO_ENV, YOUTUBE_ENV,
};
pub use providers::{Embed, Provider, recognize};

/// The source oEmbed items carry: the provider's own structured description.
pub const SOURCE: Source = Source::Oembed;

/// Video platforms' players as a source: a link to a YouTube, Vimeo or Dailymotion video is
/// an item without fetching its page, and players embedded in any page are items too, each
/// described by its platform's oEmbed answer.
pub struct Players {
    endpoints: Endpoints,
}

impl Players {
    /// Asks each platform at its endpoint (`ARCHIVE_OEMBED_*_URL`, else the public one).
    ///
    /// # Errors
    /// When an endpoint variable is not an http(s) URL.
    pub fn new(fetcher: &Fetcher, settings: &Settings) -> Result<Self, SettingsError> {
        let endpoints = Endpoints::from_settings(settings).map_err(SettingsError::new)?;
        endpoints.register(fetcher);
        Ok(Players { endpoints })
    }

    async fn read_player(&self, embed: Embed, cx: &mut Context<'_>) -> Result<Reading, Failure> {
        let pending = Pending {
            item: embed_item(&embed),
            request: self.endpoints.request_url(&embed),
            api: true,
            confirm: false,
        };
        let answer = match cx.fetcher.get(&pending.request, Purpose::Api).await {
            Ok(response) => Some(response.text()),
            Err(error) => {
                tracing::info!("{}: {error}; keeping what the link said", pending.request);
                None
            }
        };
        let item = complete(pending, answer.as_deref());
        let title = item.as_ref().and_then(|i| i.title.clone());
        cx.sink.take(item.into_iter().collect()).await;
        Ok(Reading {
            about: Some(About {
                nature: Nature::Media,
                title,
            }),
            ..Reading::default()
        })
    }
}

impl super::Source for Players {
    fn id(&self) -> Source {
        SOURCE
    }

    fn claims(&self, url: &Url) -> bool {
        recognize(url).is_some()
    }

    fn read<'a>(&'a self, url: &'a Url, cx: &'a mut Context<'_>) -> ReadFuture<'a> {
        Box::pin(async move {
            match recognize(url) {
                Some(embed) => self.read_player(embed, cx).await,
                None => Ok(Reading::default()),
            }
        })
    }

    fn identify(&self, reference: &Url) -> Option<String> {
        recognize(reference).map(|embed| embed.item_id())
    }

    fn read_html(&self, page: &HtmlPage<'_>) -> Extracted {
        let pending = embeds(page.doc, page.url(), &self.endpoints, page.ids)
            .into_iter()
            .map(|found| Pending {
                item: found.item,
                request: found.oembed_url,
                // A known platform is asked at its configured endpoint; a discovery link
                // to anyone else is a link on a page, with every rule of one.
                api: !found.needs_confirmation,
                confirm: found.needs_confirmation,
            })
            .collect();
        Extracted {
            pending,
            ..Extracted::default()
        }
    }

    fn complete(&self, pending: Pending, answer: Option<&str>) -> Option<Item> {
        complete(pending, answer)
    }
}

/// The item with its platform's answer (`None` when the request failed); `None` when the
/// answer had to confirm it is media and did not.
fn complete(pending: Pending, answer: Option<&str>) -> Option<Item> {
    let Pending {
        mut item, confirm, ..
    } = pending;
    let answer = answer.map(|body| apply(&mut item, body));
    let is_media = matches!(&answer, Some(Ok(a)) if a.is_media());
    (!confirm || is_media).then_some(item)
}

/// Elements and attributes that name a player or a video page, in order of preference.
const PLAYER_ATTRIBUTES: [(&str, &str); 7] = [
    ("iframe", "src"),
    ("iframe", "data-src"),
    ("iframe", "data-lazy-src"),
    ("embed", "src"),
    ("object", "data"),
    ("param", "value"),
    ("a", "href"),
];

/// `iframe, embed, object, param[name=movie], param[name=src], a[href]`, told by name: the
/// selector engine costs more than the test on every element of every page.
fn is_player(element: &ElementRef<'_>) -> bool {
    let e = element.value();
    match e.name() {
        "iframe" | "embed" | "object" => true,
        "param" => matches!(e.attr("name"), Some("movie" | "src")),
        "a" => e.attr("href").is_some(),
        _ => false,
    }
}

/// A video a page shows or announces, and where to ask about it.
#[derive(Clone, Debug, PartialEq)]
pub struct Discovered {
    /// The item as far as the page tells: id, kind, page, and perhaps a title and preview.
    pub item: Item,
    /// The oEmbed request whose answer [`apply`] completes the item with.
    pub oembed_url: Url,
    /// `true` for a discovery link to a provider this module does not know: keep the item
    /// only if the answer [`is media`](Answer::is_media). Known players are videos whatever
    /// their answer says, or if it fails.
    pub needs_confirmation: bool,
}

/// The players and oEmbed discovery links of a page, one per video, in document order.
///
/// Playlists, channels and WordPress's own discovery links (a post, not media) give
/// nothing. `ids` names what another source owns (a Flickr photo), so its discovery link
/// gives that source's item.
pub fn embeds(
    doc: &Html,
    page_url: &Url,
    endpoints: &Endpoints,
    ids: &dyn Identify,
) -> Vec<Discovered> {
    let base = html::base_url(doc, page_url);
    let mut out: Vec<Discovered> = Vec::new();
    let mut add = |found: Discovered| {
        if !out.iter().any(|d| d.item.id == found.item.id) {
            out.push(found);
        }
    };
    let elements = doc.tree.nodes().filter_map(ElementRef::wrap);
    for element in elements.filter(is_player) {
        if let Some(embed) = player_url(element, &base).and_then(|u| recognize(&u)) {
            add(player_item(&embed, element, endpoints));
        }
    }
    for link in html::named(doc, "link") {
        if let Some(found) = discovery(link, &base, page_url, endpoints, ids) {
            add(found);
        }
    }
    out
}

/// The first player or page URL the element names.
fn player_url(element: ElementRef<'_>, base: &Url) -> Option<Url> {
    let name = element.value().name();
    PLAYER_ATTRIBUTES
        .iter()
        .filter(|(tag, _)| *tag == name)
        .filter_map(|(_, attribute)| element.attr(attribute))
        .find_map(|value| urls::followable(base, value))
}

fn player_item(embed: &Embed, element: ElementRef<'_>, endpoints: &Endpoints) -> Discovered {
    let mut item = embed_item(embed);
    if element.value().name() == "iframe" {
        item.title = element
            .attr("title")
            .and_then(crate::media::text::clean)
            .filter(|t| !is_generic_title(t));
    }
    Discovered {
        item,
        oembed_url: endpoints.request_url(embed),
        needs_confirmation: false,
    }
}

/// An item for a known provider's video, before its answer.
/// The item an embedded player stands for, before its oEmbed answer.
pub fn embed_item(embed: &Embed) -> Item {
    let mut item = Item::new(embed.item_id(), Kind::Video, SOURCE);
    item.page_url = Some(embed.page_url().to_string());
    item.thumbnail_url = embed.thumbnail_url();
    item
}

/// `YouTube video player`, `Lecteur vidéo Dailymotion`: an iframe title that names the
/// player, not the video.
fn is_generic_title(title: &str) -> bool {
    let lower = title.to_lowercase();
    ["video player", "lecteur vidéo", "embedded", "iframe"]
        .iter()
        .any(|g| lower.contains(g))
        || matches!(
            lower.as_str(),
            "youtube" | "vimeo" | "dailymotion" | "video" | "vidéo"
        )
}

/// One `<link rel="alternate" type="application/json+oembed">`.
fn discovery(
    link: ElementRef<'_>,
    base: &Url,
    page_url: &Url,
    endpoints: &Endpoints,
    ids: &dyn Identify,
) -> Option<Discovered> {
    let rel = link.attr("rel")?.to_ascii_lowercase();
    let alternate = rel
        .split_ascii_whitespace()
        .any(|r| r == "alternate" || r == "alternative");
    let json = link.attr("type").is_some_and(|t| {
        t.trim().eq_ignore_ascii_case("application/json+oembed")
            || t.trim().eq_ignore_ascii_case("text/json+oembed")
    });
    if !alternate || !json {
        return None;
    }
    let href = urls::followable(base, link.attr("href")?)?;
    if href.path().contains("/wp-json/oembed/") {
        return None;
    }
    let target = href
        .query_pairs()
        .find(|(k, _)| k == "url")
        .and_then(|(_, v)| urls::absolute(&v))
        .unwrap_or_else(|| page_url.clone());
    if let Some(embed) = recognize(&target) {
        return Some(Discovered {
            oembed_url: endpoints.request_url(&embed),
            item: embed_item(&embed),
            needs_confirmation: false,
        });
    }
    let (item, needs_confirmation) = other_item(&target, ids);
    Some(Discovered {
        item,
        oembed_url: href,
        needs_confirmation,
    })
}

/// The item a discovery link to another provider describes, and whether it needs its
/// answer's confirmation: what another source owns (a Flickr photo) is an item whatever
/// its answer; anything else may be a video or a blog post.
fn other_item(target: &Url, ids: &dyn Identify) -> (Item, bool) {
    let (mut item, guess) = match ids.identify(target) {
        // Platforms other than the video players are photo libraries; the answer's type
        // corrects this when it says otherwise.
        Some(id) => (Item::new(id, Kind::Photo, SOURCE), false),
        None => (
            Item::new(urls::canonical(target), Kind::Video, SOURCE),
            true,
        ),
    };
    item.page_url = Some(target.to_string());
    (item, guess)
}

#[cfg(test)]
mod tests;

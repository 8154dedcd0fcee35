//! Sources: every kind of place media is read from, each one module, registered in one list.
//!
//! A [`Source`] can do up to four things, and says which by the methods it implements:
//!
//! - **claim a URL** and read it itself, through an API or a player's description, instead
//!   of the crawl fetching it as a page ([`Source::claims`], [`Source::read`]): Flickr
//!   albums and photos, links to YouTube, Vimeo and Dailymotion videos;
//! - **read a whole document** that is not HTML ([`Source::read_document`]): feeds,
//!   sitemaps, releases pasted as Markdown or text;
//! - **read an HTML page**: alone, when the page is of its own kind
//!   ([`Source::read_own_page`]: a video library's record), or beside every other source
//!   on any other page ([`Source::read_html`]: JSON-LD, Open Graph, galleries, players,
//!   the release's own links and hashtags);
//! - **name items**: give the id of the thing a URL shows ([`Source::identify`]), so that a
//!   Flickr photo or a YouTube video is one item whichever route found it, and complete
//!   the items it left waiting for one more answer ([`Source::complete`]).
//!
//! The crawl knows sources only through the [`Registry`]. Adding a source is one module
//! and one line in [`Registry::standard`].

pub mod bounds;
pub mod budget;
pub mod commons;
pub mod dailymotion;
pub mod feed;
pub mod flickr;
pub mod gallery;
pub mod jsonld;
pub mod nasa;
pub mod oembed;
pub mod opengraph;
pub mod opsis;
mod pipeline;
pub mod platform;
mod reading;
pub mod release;
pub mod settings;
pub mod sitemap;
pub mod vimeo;
pub mod youtube;

use std::future::Future;
use std::pin::Pin;

use scraper::Html;
use url::Url;

use crate::failure::Failure;
use crate::fetch::Fetcher;
use crate::model::{self, Extracted, Item, Page, Pending};

pub use reading::{Context, Listing, Notice, Reading, Sink};
pub use settings::{Settings, SettingsError};

/// A future a source returns from [`Source::read`].
pub type ReadFuture<'a> = Pin<Box<dyn Future<Output = Result<Reading, Failure>> + Send + 'a>>;

/// One kind of place media is read from. Every method has a default that does nothing, so
/// a source implements only what it does.
pub trait Source: Send + Sync {
    /// The name its items carry, which also ranks them when two sightings merge.
    fn id(&self) -> model::Source;

    /// Whether this source reads `url` itself (an API, a player) instead of the crawl
    /// fetching it as a page.
    fn claims(&self, url: &Url) -> bool {
        let _ = url;
        false
    }

    /// Reads a URL it claims. Items go to `cx`'s sink as soon as they are read; what else
    /// the URL gave comes back as a [`Reading`].
    fn read<'a>(&'a self, url: &'a Url, cx: &'a mut Context<'_>) -> ReadFuture<'a> {
        let _ = (url, cx);
        Box::pin(async { Ok(Reading::default()) })
    }

    /// The item id of what `reference` (a URL, or a feed's guid such as
    /// `tag:flickr.com,2004:/photo/…`) shows, when it is one of this source's own items:
    /// `flickr:45539063392` for a Flickr photo page.
    fn identify(&self, reference: &Url) -> Option<String> {
        let _ = reference;
        None
    }

    /// Reads a document that is not HTML, when it is of this source's kind.
    fn read_document(&self, page: &Page, ids: &dyn Identify) -> Option<Extracted> {
        let _ = (page, ids);
        None
    }

    /// Whether what [`Source::read_html`] finds describes the page itself (JSON-LD, Open
    /// Graph), so that a page's own reader may fold it into its item.
    fn describes_pages(&self) -> bool {
        false
    }

    /// Reads an HTML page of its own kind, alone.
    fn read_own_page(&self, page: &HtmlPage<'_>) -> Option<Extracted> {
        let _ = page;
        None
    }

    /// What it finds on any HTML page no source reads alone.
    fn read_html(&self, page: &HtmlPage<'_>) -> Extracted {
        let _ = page;
        Extracted::default()
    }

    /// Completes one of its pending items with the answer to its request (`None` when the
    /// request failed). `None` drops the item.
    fn complete(&self, pending: Pending, answer: Option<&str>) -> Option<Item> {
        let _ = answer;
        Some(pending.item)
    }

    /// What the crawl summary should say of this source once the crawl is over (it had to
    /// slow down for its API's budget).
    fn notes(&self) -> Vec<String> {
        Vec::new()
    }
}

/// Gives the id a source gives what a URL or guid shows (see [`Source::identify`]).
pub trait Identify {
    /// The item id, when a source owns what `reference` shows.
    fn identify(&self, reference: &Url) -> Option<String>;
}

/// An HTML page as readers see it: the document parsed once, and what the sources that
/// describe pages found on it.
pub struct HtmlPage<'a> {
    /// The page as fetched.
    pub page: &'a Page,
    /// Its parsed document.
    pub doc: &'a Html,
    /// Items the page's own metadata describes (JSON-LD, Open Graph); filled before
    /// [`Source::read_own_page`] is asked, empty for [`Source::read_html`].
    pub described: &'a [Item],
    /// The registry's identities, for readers that must tell a platform's item.
    pub ids: &'a dyn Identify,
}

impl HtmlPage<'_> {
    /// Where the page came from.
    pub fn url(&self) -> &Url {
        &self.page.url
    }
}

/// Every source, in the order they are asked.
pub struct Registry {
    sources: Vec<Box<dyn Source>>,
    /// Places for documents being read at once: each holds a parsed tree in memory, and
    /// more readers than cores only take turns.
    reading: std::sync::Arc<tokio::sync::Semaphore>,
    /// How long one document may take to read.
    deadline: std::time::Duration,
}

impl Registry {
    /// The sources `archive` reads, set up from `settings`. One line per source: the order
    /// is the order they are asked to claim a URL and to read a document, and the order of
    /// a page's items. The platforms come before the players' oEmbed source, so that
    /// whatever their APIs read better (playlists, channels, a video with a key) is theirs,
    /// and the rest (a video without a key) falls to oEmbed.
    ///
    /// # Errors
    /// When a setting (an endpoint variable) is not usable.
    pub fn standard(fetcher: &Fetcher, settings: &Settings) -> Result<Registry, SettingsError> {
        Ok(Registry::new(vec![
            Box::new(flickr::FlickrSource::new(fetcher, settings)?),
            Box::new(youtube::YouTube::new(fetcher, settings)?),
            Box::new(dailymotion::Dailymotion::new(fetcher, settings)?),
            Box::new(vimeo::Vimeo::new(fetcher, settings)?),
            Box::new(commons::Commons::new(fetcher, settings)?),
            Box::new(nasa::Nasa::new(fetcher, settings)?),
            Box::new(oembed::Players::new(fetcher, settings)?),
            Box::new(opsis::Library),
            Box::new(feed::Feeds),
            Box::new(sitemap::Sitemaps),
            Box::new(release::Releases),
            Box::new(jsonld::JsonLd),
            Box::new(opengraph::OpenGraph),
            Box::new(gallery::Gallery),
        ]))
    }

    /// A registry of these sources, asked in this order.
    pub fn new(sources: Vec<Box<dyn Source>>) -> Self {
        let cores = std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get);
        Registry {
            sources,
            reading: std::sync::Arc::new(tokio::sync::Semaphore::new(cores)),
            deadline: bounds::EXTRACTION_DEADLINE,
        }
    }

    /// The same registry, giving up a document that takes longer than `deadline` to read.
    #[must_use]
    pub fn with_deadline(mut self, deadline: std::time::Duration) -> Self {
        self.deadline = deadline;
        self
    }

    /// The source that reads `url` itself, if any.
    pub fn claimant(&self, url: &Url) -> Option<&dyn Source> {
        self.sources
            .iter()
            .find(|s| s.claims(url))
            .map(AsRef::as_ref)
    }

    /// The source whose items carry this name.
    pub fn source(&self, id: model::Source) -> Option<&dyn Source> {
        self.sources
            .iter()
            .find(|s| s.id() == id)
            .map(AsRef::as_ref)
    }

    /// Completes a pending item through the source that made it.
    pub fn complete(&self, pending: Pending, answer: Option<&str>) -> Option<Item> {
        match self.source(pending.item.source) {
            Some(source) => source.complete(pending, answer),
            None => Some(pending.item),
        }
    }

    /// What every source has to say once the crawl is over.
    pub fn notes(&self) -> Vec<String> {
        self.sources().flat_map(Source::notes).collect()
    }

    fn sources(&self) -> impl Iterator<Item = &dyn Source> {
        self.sources.iter().map(AsRef::as_ref)
    }
}

impl Identify for Registry {
    fn identify(&self, reference: &Url) -> Option<String> {
        self.sources().find_map(|s| s.identify(reference))
    }
}

#[cfg(test)]
mod tests;

/// What readers tested alone need of the registry.
#[cfg(test)]
pub(crate) mod testing {
    /// Names Flickr photos as the registry's Flickr source does.
    pub(crate) struct FlickrIds;

    impl super::Identify for FlickrIds {
        fn identify(&self, reference: &url::Url) -> Option<String> {
            super::flickr::urls::photo_id_of(reference).map(|id| format!("flickr:{id}"))
        }
    }
}

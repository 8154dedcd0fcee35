//! Reading a claimed URL: what a source gets from the crawl, and what it gives back.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use url::Url;

use super::Registry;
use crate::failure::{Failure, FailureKind};
use crate::fetch::{Fetcher, Purpose};
use crate::model::{About, Extracted, Item, Page, Role, Timestamp};

/// Where a source's items go as soon as they are read, so that a long album neither waits
/// nor piles up in memory.
pub trait Sink: Send + Sync {
    /// Takes a batch of items (one page of an album).
    fn take(&mut self, items: Vec<Item>) -> Pin<Box<dyn Future<Output = ()> + Send + '_>>;

    /// Members of the complete listing being read (an album page's photos), handed over as
    /// they are read so that a long listing's ids are not held until it ends: the crawl keeps
    /// them on disk. [`Listing::Read`] then names only the members not handed over here.
    fn listed(&mut self, ids: Vec<String>) -> Pin<Box<dyn Future<Output = ()> + Send + '_>> {
        drop(ids);
        Box::pin(async {})
    }

    /// How many items the source expects to give in all, when it knows (an album's photo
    /// count), so that progress can show how far along it is.
    fn expect(&mut self, items: u64) {
        let _ = items;
    }
}

impl Sink for Vec<Item> {
    fn take(&mut self, items: Vec<Item>) -> Pin<Box<dyn Future<Output = ()> + Send + '_>> {
        self.extend(items);
        Box::pin(async {})
    }
}

/// What a source may use while reading a URL it claimed.
pub struct Context<'a> {
    /// The crawl's one HTTP client.
    pub fetcher: &'a Fetcher,
    /// The rules the pages fetched for this URL follow: a URL reached from a public page
    /// may only lead to public addresses.
    pub page_purpose: Purpose,
    /// When the listing at this URL last changed, as the last crawl saw it.
    pub known_update: Option<Timestamp>,
    /// The campaigns of the releases that led here, as they spell them (`VS20`): a source
    /// may look for more of their media where it reads (an account's other albums).
    pub campaigns: &'a [String],
    /// Where items go.
    pub sink: &'a mut dyn Sink,
    registry: Arc<Registry>,
}

impl<'a> Context<'a> {
    /// A context for reading one URL.
    pub fn new(
        fetcher: &'a Fetcher,
        registry: Arc<Registry>,
        page_purpose: Purpose,
        known_update: Option<Timestamp>,
        campaigns: &'a [String],
        sink: &'a mut dyn Sink,
    ) -> Self {
        Context {
            fetcher,
            page_purpose,
            known_update,
            campaigns,
            sink,
            registry,
        }
    }

    /// Fetches a page with the rules of a page (robots.txt, pacing, the address guard).
    ///
    /// # Errors
    /// Why it could not be fetched.
    pub async fn fetch_page(&self, url: &Url) -> Result<Page, Failure> {
        let response = self.fetcher.get(url, self.page_purpose).await?;
        Ok(self.fetcher.page(response, Role::Linked))
    }

    /// Reads a fetched document with every source, as the crawl reads any page, off the
    /// async workers.
    ///
    /// # Errors
    /// When no source can read it, or a reader crashed.
    pub async fn extract(&self, page: Page) -> Result<Extracted, Failure> {
        let url = page.url.clone();
        self.registry
            .clone()
            .extract_off_thread(page)
            .await?
            .ok_or_else(|| {
                Failure::new(
                    FailureKind::Unreadable,
                    format!("{url}: not a page or a feed that can be read"),
                )
            })
    }
}

/// What reading a claimed URL gave besides the items it sent.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Reading {
    /// What the URL is (an album, a playlist) and its title.
    pub about: Option<About>,
    /// Links to the next level of the crawl.
    pub links: Vec<Url>,
    /// More of the same source, to read now, whatever the crawl's depth.
    pub follow: Vec<Url>,
    /// The URL is a complete listing (an album): the crawl remembers its members, confirms
    /// them when it has not changed, and marks those that left it as gone.
    pub listing: Option<Listing>,
    /// Something the user can fix, such as a missing API key; the URL is reported skipped.
    pub warnings: Vec<String>,
    /// Something worth knowing, counted over the crawl.
    pub notices: Vec<Notice>,
}

/// A complete listing, as read.
#[derive(Clone, Debug, PartialEq)]
pub enum Listing {
    /// Its "last changed" date says it is as it was: nothing was read again.
    Unchanged {
        /// That date.
        updated: Option<Timestamp>,
    },
    /// It was read through: these, with those handed over with [`Sink::listed`], are all its
    /// members now.
    Read {
        /// Its "last changed" date, when it gives one.
        updated: Option<Timestamp>,
        /// The items it lists that were not handed over with [`Sink::listed`], in order.
        ids: Vec<String>,
    },
}

/// Something the crawl summary tells once, with a count summed over the crawl: "12 photos
/// came from Flickr's public album feeds…".
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Notice {
    /// How many things it concerns.
    pub count: usize,
    /// What they are, singular (`photo`).
    pub unit: String,
    /// What to say of them, after the count and unit.
    pub message: String,
}

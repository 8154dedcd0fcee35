//! Thumbnails and previews, fetched once by the server through the crawl's polite fetcher and
//! kept on disk beside the index: the browser only ever talks to `archive serve`.
//!
//! A URL is fetched as a link found on the web ([`Purpose::PublicLink`]): robots.txt, pacing,
//! the size and time limits and the address guard all apply. Two pages asking for the same
//! image at once cause one request; an image that could not be fetched is not asked for
//! again for a while. Offline, only what is cached is shown.

mod cache;

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};
use url::Url;

use cache::DiskCache;
pub use cache::{Image, name_of, sniff};

use crate::fetch::{Fetcher, Purpose};
use crate::index::ArchiveIndex;
use crate::model::{Item, Kind};
use crate::search::{self, Request, SearchError};

/// The folder, inside the index directory.
pub const DIR_NAME: &str = "thumbnails";
/// The cache's size cap, unless told otherwise: 512 MiB.
pub const DEFAULT_CAP: u64 = 512 * 1024 * 1024;
/// How long an image that could not be fetched is not asked for again.
const RETRY_AFTER: Duration = Duration::from_secs(10 * 60);
/// How many failures are remembered before the expired ones are forgotten.
const FAILURES_KEPT: usize = 10_000;
/// A preview at most this wide is preferred to the original file, which may be huge.
const PREVIEW_WIDTH: u32 = 2048;

/// The thumbnail cache of an index and the fetcher that fills it.
pub struct Thumbnails {
    cache: DiskCache,
    /// `None` offline: only the cache answers.
    fetcher: Option<Fetcher>,
    in_flight: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
    failed: Mutex<HashMap<String, Instant>>,
}

/// How many images a prefetch asks for at once; the fetcher's limits per host still apply.
const PREFETCH_IN_FLIGHT: usize = 8;

/// What a prefetch did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Prefetched {
    /// Fetched now.
    pub fetched: usize,
    /// Already in the cache.
    pub cached: usize,
    /// Could not be fetched, or were not images.
    pub failed: usize,
}

impl Prefetched {
    fn count(&mut self, outcome: Option<Result<bool, tokio::task::JoinError>>) {
        match outcome {
            Some(Ok(true)) => self.fetched += 1,
            Some(_) => self.failed += 1,
            None => {}
        }
    }
}

impl Thumbnails {
    /// The cache in `dir` (see [`Thumbnails::dir_for`]), holding at most `cap` bytes, filled
    /// through `fetcher`, or only read when there is none.
    ///
    /// # Errors
    /// When the folder cannot be created or read.
    pub fn open(dir: &Path, cap: u64, fetcher: Option<Fetcher>) -> io::Result<Self> {
        Ok(Thumbnails {
            cache: DiskCache::open(dir, cap)?,
            fetcher,
            in_flight: Mutex::default(),
            failed: Mutex::default(),
        })
    }

    /// Where the thumbnails of the index in `index_dir` are kept.
    pub fn dir_for(index_dir: &Path) -> PathBuf {
        index_dir.join(DIR_NAME)
    }

    /// Whether images missing from the cache are fetched.
    pub fn is_online(&self) -> bool {
        self.fetcher.is_some()
    }

    /// How many bytes the cache holds.
    pub fn cached_bytes(&self) -> u64 {
        self.cache.size()
    }

    /// The first of `urls`, in order, that is cached or can be fetched now.
    pub async fn first_of(&self, urls: &[String]) -> Option<Image> {
        for url in urls {
            if let Some(image) = self.get(url).await {
                return Some(image);
            }
        }
        None
    }

    /// The image at `url`: from the cache, else fetched and kept.
    pub async fn get(&self, url: &str) -> Option<Image> {
        if let Some(image) = self.cache.get(url) {
            return Some(image);
        }
        let fetcher = self.fetcher.as_ref()?;
        if self.failed_lately(url) {
            return None;
        }
        let turn = self.turn(url);
        let _turn = turn.lock().await;
        // Whoever held the turn before may have fetched it.
        let found = match self.cache.get(url) {
            Some(image) => Some(image),
            None => self.fetch(fetcher, url).await,
        };
        self.end_turn(url);
        found
    }

    async fn fetch(&self, fetcher: &Fetcher, url: &str) -> Option<Image> {
        if self.failed_lately(url) {
            return None;
        }
        let image = match Url::parse(url) {
            Ok(parsed) => fetcher
                .get(&parsed, Purpose::PublicLink)
                .await
                .ok()
                .and_then(|r| {
                    sniff(&r.body).map(|content_type| Image {
                        bytes: r.body.to_vec(),
                        content_type,
                    })
                }),
            Err(_) => None,
        };
        match &image {
            Some(image) => {
                if let Err(error) = self.cache.put(url, &image.bytes) {
                    tracing::warn!("cannot keep the thumbnail of {url}: {error}");
                }
            }
            None => {
                let mut failed = self.lock_failed();
                if failed.len() >= FAILURES_KEPT {
                    failed.retain(|_, at| at.elapsed() < RETRY_AFTER);
                }
                failed.insert(url.to_string(), Instant::now());
            }
        }
        image
    }

    /// Fetches every URL not cached yet, a few at a time (the fetcher paces each host).
    pub async fn prefetch(self: Arc<Self>, urls: Vec<String>) -> Prefetched {
        let mut done = Prefetched::default();
        let mut tasks = tokio::task::JoinSet::new();
        for url in urls {
            if self.cache.has(&url) {
                done.cached += 1;
                continue;
            }
            if tasks.len() >= PREFETCH_IN_FLIGHT {
                done.count(tasks.join_next().await);
            }
            let thumbnails = self.clone();
            tasks.spawn(async move { thumbnails.get(&url).await.is_some() });
        }
        while let Some(outcome) = tasks.join_next().await {
            done.count(Some(outcome));
        }
        done
    }

    fn failed_lately(&self, url: &str) -> bool {
        let mut failed = self.lock_failed();
        match failed.get(url) {
            Some(at) if at.elapsed() < RETRY_AFTER => true,
            Some(_) => {
                failed.remove(url);
                false
            }
            None => false,
        }
    }

    fn turn(&self, url: &str) -> Arc<tokio::sync::Mutex<()>> {
        let mut in_flight = self
            .in_flight
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        in_flight.entry(url.to_string()).or_default().clone()
    }

    fn end_turn(&self, url: &str) {
        let mut in_flight = self
            .in_flight
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        // The last one out removes the entry; others still waiting hold their own handle.
        if in_flight
            .get(url)
            .is_some_and(|t| Arc::strong_count(t) <= 2)
        {
            in_flight.remove(url);
        }
    }

    fn lock_failed(&self) -> std::sync::MutexGuard<'_, HashMap<String, Instant>> {
        self.failed.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// How many items are read at once when listing every thumbnail.
const LISTING_PAGE: usize = 10_000;

/// The card thumbnail of every item in the index, for a crawl to fetch them all at once.
///
/// # Errors
/// When the index cannot be read.
pub fn every_thumbnail(index: &ArchiveIndex) -> Result<Vec<String>, SearchError> {
    let mut urls = Vec::new();
    let mut offset = 0;
    loop {
        let page = Request {
            limit: LISTING_PAGE,
            offset,
            count: false,
            ..Request::new("")
        };
        let hits = search::run(index, &page)?.hits;
        urls.extend(
            hits.iter()
                .filter_map(|h| thumbnail_urls(&h.item).into_iter().next()),
        );
        if hits.len() < LISTING_PAGE {
            return Ok(urls);
        }
        offset += LISTING_PAGE;
    }
}

/// The URLs to try for a card's thumbnail, best first.
pub fn thumbnail_urls(item: &Item) -> Vec<String> {
    let mut urls: Vec<String> = item.thumbnail_url.iter().cloned().collect();
    if item.kind == Kind::Photo {
        urls.extend(item.media_url.iter().cloned());
    }
    urls.dedup();
    urls
}

/// The URLs to try for an item page's preview, best first: for a photo, the largest size
/// up to 2048 px wide, then its file, then its thumbnail; for anything else its
/// thumbnail (a video's poster).
pub fn preview_urls(item: &Item) -> Vec<String> {
    let mut urls = Vec::new();
    if item.kind == Kind::Photo {
        let fitting = item
            .sizes
            .iter()
            .filter(|s| s.width.is_some_and(|w| (320..=PREVIEW_WIDTH).contains(&w)))
            .max_by_key(|s| s.width);
        urls.extend(fitting.map(|s| s.url.clone()));
        urls.extend(item.media_url.iter().cloned());
    }
    urls.extend(item.thumbnail_url.iter().cloned());
    let mut seen = std::collections::HashSet::new();
    urls.retain(|u| seen.insert(u.clone()));
    urls
}

//! Flickr: albums and photos read through the REST API.
//!
//! A press release links to `https://www.flickr.com/photos/cnes/albums/<id>`;
//! [`urls::recognize`] turns that into a [`FlickrTarget`], and [`FlickrClient::harvest`]
//! reads it through the documented API — `urls.lookupUser`, `photosets.getInfo`,
//! `photosets.getPhotos` page by page, and `photos.getInfo` + `photos.getSizes` for each
//! video — into [`Item`]s with licence, dates, credit and the best file Flickr offers.
//!
//! Album HTML pages are not scraped: their markup is undocumented script state, and the API
//! gives licences and dates that pages do not. Without a key (`FLICKR_API_KEY`) nothing is
//! called and [`FlickrError::NoApiKey`] says how to get one.
//!
//! Parsing (`response`, `items`) is pure and tested on fixtures; only `api` does I/O.

mod api;
mod config;
mod discovery;
mod items;
pub mod keyless;
pub mod licenses;
mod response;
mod source;
pub mod urls;
mod xml;

use crate::fetch::FetchError;
use crate::model::{Item, Timestamp};

pub use api::{AlbumRead, CallLimits, FlickrClient, Listed};
pub use config::{DEFAULT_API_URL, DEFAULT_WEB_URL, FlickrConfig};
pub use source::FlickrSource;
pub use urls::{FlickrTarget, recognize};

/// The key a replayed crawl is called with: recordings keep calls with the key redacted.
pub const REDACTED_KEY: &str = "REDACTED";

/// What one album or photo page yields.
#[derive(Clone, Debug, PartialEq)]
pub struct Harvest {
    /// The photos and videos, in the album's order; `campaigns` and `found_via` are left for
    /// the crawl to fill.
    pub items: Vec<Item>,
    /// The album's own metadata; `None` for a single photo or video.
    pub album: Option<AlbumInfo>,
}

/// An album as `flickr.photosets.getInfo` describes it.
#[derive(Clone, Debug, PartialEq)]
pub struct AlbumInfo {
    /// The photoset id.
    pub id: String,
    /// The album's title, also every item's `collection`.
    pub title: Option<String>,
    /// The owner's NSID (`12345678@N02`).
    pub owner: String,
    /// When the album last changed: a later crawl can skip an album that has not.
    pub date_update: Option<Timestamp>,
    /// Photos and videos in the album, as Flickr counts them.
    pub count: Option<u32>,
}

/// The items of one `flickr.photosets.getPhotos` answer, read as an album read reads each of
/// its pages, minus what takes more calls (a video's file and running time). Public for tools
/// and benchmarks that measure parsing alone.
///
/// # Errors
/// [`FlickrError::Api`] when Flickr said no, [`FlickrError::Malformed`] when the body is not
/// a page of an album.
pub fn album_page_items(body: &[u8]) -> Result<Vec<Item>, FlickrError> {
    const METHOD: &str = "flickr.photosets.getPhotos";
    let page: response::PhotosetPageResponse = response::parse(body).map_err(|e| match e {
        response::BodyError::Api { code, message } => FlickrError::Api {
            method: METHOD,
            code,
            message,
        },
        response::BodyError::Malformed(reason) => FlickrError::Malformed {
            method: METHOD,
            reason,
        },
    })?;
    let listing = page.photoset;
    let context = items::AlbumContext {
        owner: None,
        ownername: listing.ownername.as_deref(),
        title: listing.title.as_deref(),
    };
    Ok(listing
        .photo
        .iter()
        .filter_map(|photo| items::from_listed(photo, &context))
        .collect())
}

/// Why Flickr could not be read.
#[derive(Debug, thiserror::Error)]
pub enum FlickrError {
    /// No key configured: nothing was called. The crawl warns and skips Flickr links.
    #[error(
        "no Flickr API key: set FLICKR_API_KEY to read Flickr albums and photos \
         (create a key at https://www.flickr.com/services/apps/create/ while signed in to Flickr)"
    )]
    NoApiKey,
    /// `FLICKR_API_URL` is not a usable base URL.
    #[error(
        "FLICKR_API_URL={value:?} is not a usable base URL: {reason} \
         (expected something like {DEFAULT_API_URL})"
    )]
    BadApiUrl {
        /// The value given.
        value: String,
        /// What is wrong with it.
        reason: String,
    },
    /// `FLICKR_CALLS_PER_HOUR` is not a number of calls.
    #[error(
        "FLICKR_CALLS_PER_HOUR={0:?} is not a number of calls from 1 to 1000000 \
         (Flickr allows a key 3600 an hour unless it granted that key more)"
    )]
    BadCallBudget(String),
    /// Flickr answered `stat: "fail"` (on HTTP 200, as it always does).
    #[error("Flickr API error {code} in {method}: {message}")]
    Api {
        /// The REST method called, such as `flickr.photosets.getInfo`.
        method: &'static str,
        /// Flickr's error code: 1 not found, 100 invalid key, 105 unavailable… (0 if none given).
        code: u32,
        /// Flickr's message.
        message: String,
    },
    /// The body was not the JSON the method returns: HTML, truncated, or another shape.
    #[error("Flickr API answered {method} with {reason}")]
    Malformed {
        /// The REST method called.
        method: &'static str,
        /// What was wrong with the body.
        reason: String,
    },
    /// The request itself failed (network, HTTP status, timeout).
    #[error("Flickr API call {method} failed: {error}")]
    Fetch {
        /// The REST method called.
        method: &'static str,
        /// Why the fetch failed, with the API key masked.
        error: FetchError,
    },
}

impl FlickrError {
    /// Whether trying again later may succeed: Flickr's "service unavailable" (105) and
    /// "write operation failed" (106), and fetch failures the fetcher deems retryable.
    pub fn is_transient(&self) -> bool {
        match self {
            FlickrError::Api { code, .. } => is_transient_code(*code),
            FlickrError::Fetch { error, .. } => error.is_retryable(),
            _ => false,
        }
    }
}

/// Flickr's error codes that describe its own momentary trouble, not the request.
fn is_transient_code(code: u32) -> bool {
    matches!(code, 105 | 106)
}

//! What the fetcher gives back: responses, conditional answers, and why a URL failed.

use bytes::Bytes;
use std::time::Duration;
use url::Url;

use super::decode;
use crate::failure::{Failure, FailureKind};

/// What the fetcher has done and is waiting for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Activity {
    /// Page requests sent (robots.txt included), retries and redirect hops counted.
    pub pages: u64,
    /// API calls sent.
    pub api_calls: u64,
    /// Hosts with requests waiting for their turn, and how many.
    pub waiting_on: Vec<(String, usize)>,
}

/// What a conditional request found.
#[derive(Clone, Debug)]
pub enum Fetched {
    /// The page is new or changed: here it is.
    Changed(Response),
    /// The server says the page has not changed since the validators were given (304); its
    /// answer refreshes what is known of the page's freshness.
    Unchanged(Response),
}

/// What a server gave to ask it later whether a page changed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Validators {
    /// The `ETag` header.
    pub etag: Option<String>,
    /// The `Last-Modified` header.
    pub last_modified: Option<String>,
}

impl Validators {
    /// Whether there is anything to ask with.
    pub fn is_empty(&self) -> bool {
        self.etag.is_none() && self.last_modified.is_none()
    }
}

/// A successful (2xx) response.
#[derive(Clone, Debug)]
pub struct Response {
    /// The URL that answered, after redirects.
    pub url: Url,
    /// The status code.
    pub status: u16,
    /// The response headers, in order.
    pub headers: Vec<(String, String)>,
    /// The body, decompressed.
    pub body: Bytes,
    /// The address that answered, when it came from the network.
    pub remote: Option<std::net::SocketAddr>,
    /// Its share of the memory budget for pages in flight, held until it is dropped: keep
    /// it while the page is read.
    pub lease: Lease,
}

/// A share of the fetcher's memory budget for bodies in flight ([`FetchConfig::memory_budget`](super::FetchConfig::memory_budget)),
/// given back when the last clone is dropped. Empty for answers that take no new memory
/// (a replay).
#[derive(Clone, Debug, Default)]
pub struct Lease {
    _held: Option<std::sync::Arc<tokio::sync::OwnedSemaphorePermit>>,
}

impl Lease {
    pub(super) fn of(permit: tokio::sync::OwnedSemaphorePermit) -> Self {
        Lease {
            _held: Some(std::sync::Arc::new(permit)),
        }
    }
}

impl Response {
    /// The first value of a header, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        header(&self.headers, name)
    }

    /// The declared media type (`text/html`), lowercased, without parameters.
    pub fn media_type(&self) -> Option<String> {
        let value = self.header("content-type")?;
        let media = value.split(';').next()?.trim().to_ascii_lowercase();
        (!media.is_empty()).then_some(media)
    }

    /// The validators to make the next request for this page conditional.
    pub fn validators(&self) -> Validators {
        Validators {
            etag: self.header("etag").map(str::to_string),
            last_modified: self.header("last-modified").map(str::to_string),
        }
    }

    /// The body decoded to text (see [`decode::decode`]).
    pub fn text(&self) -> String {
        decode::decode(&self.body, self.header("content-type"))
    }
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// Why a URL could not be fetched. Recorded per URL; never fatal to the crawl.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// Only http and https are fetched.
    #[error("not an http(s) URL")]
    Scheme,
    /// The host's robots.txt forbids this URL, or could not be read (5xx, network error).
    #[error("disallowed by robots.txt{0}")]
    Robots(&'static str),
    /// The server answered with a non-success status.
    #[error("HTTP {code}")]
    Status {
        /// The status code.
        code: u16,
        /// How long the server asked us to wait (`Retry-After`), if it said.
        retry_after: Option<Duration>,
    },
    /// Replaying, and the archive holds no response for this URL.
    #[error("not in the replayed WARC file (treated as HTTP 404)")]
    NotInArchive,
    /// The body grew past the limit.
    #[error("body larger than the {0}-byte limit")]
    TooLarge(u64),
    /// More redirect hops than allowed.
    #[error("more than {0} redirects")]
    TooManyRedirects(usize),
    /// A redirect led back to a URL already visited.
    #[error("redirect loop at {0}")]
    RedirectLoop(Url),
    /// A redirect without a usable `Location`.
    #[error("redirect without a valid Location")]
    BadRedirect,
    /// A link from the public web leads into a private network.
    #[error(
        "not followed: {0} (a link on a public page may not lead into a private network; --allow-private lifts this)"
    )]
    PrivateAddress(String),
    /// Connecting, or waiting for the answer, took too long.
    #[error("timed out")]
    Timeout,
    /// The server answered, then sent its body too slowly: asking again would only wait as
    /// long again.
    #[error("timed out while the server was still sending the body")]
    Stalled,
    /// The host asked to be left alone: it is given up for this crawl.
    #[error("{host} asked to be left alone ({why}): left for a later crawl")]
    GivenUp {
        /// The host.
        host: String,
        /// What it said.
        why: String,
    },
    /// The connection failed: the host is unknown, refuses, or the network is down.
    #[error("network error: {message}")]
    Network {
        /// What failed, with every cause, and never a URL (it may carry an API key).
        message: String,
        /// The error underneath, without its URL.
        #[source]
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    },
}

impl FetchError {
    /// A network failure described by `message` alone.
    pub fn network(message: impl Into<String>) -> Self {
        FetchError::Network {
            message: message.into(),
            source: None,
        }
    }

    /// What kind of failure this is, for the crawl report.
    pub fn kind(&self) -> FailureKind {
        match self {
            FetchError::Scheme => FailureKind::UnsupportedScheme,
            FetchError::Robots(_) => FailureKind::Robots,
            FetchError::Status { .. } => FailureKind::HttpStatus,
            FetchError::NotInArchive => FailureKind::NotInArchive,
            FetchError::TooLarge(_) => FailureKind::TooLarge,
            FetchError::TooManyRedirects(_)
            | FetchError::RedirectLoop(_)
            | FetchError::BadRedirect => FailureKind::RedirectLimit,
            FetchError::PrivateAddress(_) => FailureKind::PrivateAddress,
            FetchError::Timeout | FetchError::Stalled => FailureKind::Timeout,
            FetchError::GivenUp { .. } => FailureKind::Overloaded,
            FetchError::Network { .. } => FailureKind::Network,
        }
    }

    /// The same error with `secret` replaced by `mask` wherever it is quoted.
    #[must_use]
    pub fn masking(self, secret: &str, mask: &str) -> Self {
        match self {
            FetchError::Network { message, source } => FetchError::Network {
                message: message.replace(secret, mask),
                source,
            },
            other => other,
        }
    }

    /// Whether trying again later may succeed.
    pub fn is_retryable(&self) -> bool {
        match self {
            FetchError::Status { code, .. } => *code == 408 || *code == 429 || *code >= 500,
            FetchError::Timeout | FetchError::Network { .. } => true,
            _ => false,
        }
    }
}

impl From<FetchError> for Failure {
    fn from(error: FetchError) -> Self {
        Failure::caused_by(error.kind(), error)
    }
}

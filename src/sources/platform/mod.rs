//! What the video and image platforms' sources share: where their endpoints are, how their
//! APIs fail, lenient JSON and feed reading, and discovery's bookkeeping.
//!
//! Each platform (`youtube`, `dailymotion`, `vimeo`, `commons`, `nasa`) is a source module of
//! its own; this module holds no platform's knowledge.

pub mod client;
pub mod discovery;
pub mod endpoint;
pub mod json;
pub mod xml;

#[cfg(test)]
pub(crate) mod testing;

use crate::failure::{Failure, FailureKind};
use crate::fetch::{FetchError, Response};

pub use endpoint::{EndpointError, endpoint};

/// Why a platform's API could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The API said no: in the body of an HTTP 200 (MediaWiki, Flickr) or of an error status
    /// (Google, Dailymotion, Vimeo, NASA).
    #[error("{api} refused {what}: {message}")]
    Refused {
        /// The API (`YouTube Data API`).
        api: &'static str,
        /// What was asked (`playlistItems`, a video's id).
        what: String,
        /// The HTTP status it came with.
        status: u16,
        /// The API's own reason (`quotaExceeded`, `not_found`, `maxlag`), or empty.
        reason: String,
        /// What it said.
        message: String,
    },
    /// The answer was not what the call returns: HTML, truncated, another shape.
    #[error("{api} answered {what} with {reason}")]
    Malformed {
        /// The API.
        api: &'static str,
        /// What was asked.
        what: String,
        /// What was wrong with the body.
        reason: String,
    },
    /// The request itself failed (network, a status retries could not mend, timeout).
    #[error("{api} call {what} failed: {error}")]
    Fetch {
        /// The API.
        api: &'static str,
        /// What was asked.
        what: String,
        /// Why, with any key masked.
        error: Box<FetchError>,
    },
    /// The crawl's share of the API's quota is spent: no more calls are made.
    #[error("{api}: {message}")]
    Quota {
        /// The API.
        api: &'static str,
        /// What was spent, and what to do.
        message: String,
    },
}

impl ApiError {
    /// The API's own reason, when it gave one.
    pub fn reason(&self) -> Option<&str> {
        match self {
            ApiError::Refused { reason, .. } if !reason.is_empty() => Some(reason),
            _ => None,
        }
    }

    /// The HTTP status the refusal came with.
    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Refused { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The failure the crawl reports: `api` for a refusal or a spent quota, `unreadable` for
    /// an answer of the wrong shape, the fetcher's kind for a failed request.
    pub fn into_failure(self) -> Failure {
        let kind = match &self {
            ApiError::Refused { .. } | ApiError::Quota { .. } => FailureKind::Api,
            ApiError::Malformed { .. } => FailureKind::Unreadable,
            ApiError::Fetch { error, .. } => error.kind(),
        };
        Failure::caused_by(kind, self)
    }
}

impl From<ApiError> for Failure {
    fn from(error: ApiError) -> Self {
        error.into_failure()
    }
}

/// The body of an API answer parsed as JSON, whatever its status: an error status's body
/// says why. A byte-order mark and surrounding white space are tolerated.
///
/// # Errors
/// [`ApiError::Malformed`] when it is not JSON (an HTML error page, a truncated body).
pub fn json_body(
    api: &'static str,
    what: &str,
    response: &Response,
) -> Result<serde_json::Value, ApiError> {
    let text = response.text();
    let trimmed = text.trim_start_matches('\u{feff}').trim();
    serde_json::from_str(trimmed).map_err(|e| ApiError::Malformed {
        api,
        what: what.to_string(),
        reason: format!("HTTP {} and a body that is not JSON ({e})", response.status),
    })
}

/// A key, a token or any secret quoted by a network error, replaced by `mask`.
pub fn masked(error: FetchError, secret: Option<&str>, mask: &str) -> FetchError {
    match secret {
        Some(secret) if !secret.is_empty() => error.masking(secret, mask),
        _ => error,
    }
}

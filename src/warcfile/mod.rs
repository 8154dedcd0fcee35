//! WARC/1.1 files: recording every HTTP exchange of a crawl, and replaying a crawl from one.
//!
//! Recording gives journalists and archivists a standard, citable copy of what the servers
//! sent; replay makes a crawl repeatable offline (the built-in demo is a replayed WARC).

use bytes::Bytes;
use chrono::{DateTime, Utc};
use url::Url;

mod coding;
mod http;
mod read;
mod record;
mod replay;
#[cfg(test)]
mod tests;

pub use record::Recorder;
pub use replay::Replay;

/// One HTTP exchange, as the fetcher saw it, to be written as a request and a response record.
#[derive(Debug)]
pub struct Exchange<'a> {
    /// The requested URL (already redacted of secrets by the caller).
    pub url: &'a Url,
    /// `GET`, usually.
    pub method: &'a str,
    /// The request headers sent, in order.
    pub request_headers: &'a [(String, String)],
    /// The response status code.
    pub status: u16,
    /// The response headers, in order, describing `body` as stored (decoded, not chunked).
    pub response_headers: &'a [(String, String)],
    /// The response body, after transfer and content decoding.
    pub body: &'a [u8],
    /// When the response arrived.
    pub date: DateTime<Utc>,
}

/// A response read back from a WARC file.
#[derive(Clone, Debug)]
pub struct Recorded {
    /// The response status code.
    pub status: u16,
    /// The response headers, in order.
    pub headers: Vec<(String, String)>,
    /// The response body.
    pub body: Bytes,
}

/// Why a WARC file could not be replayed.
#[derive(Debug, thiserror::Error)]
pub enum ReplayError {
    /// The file could not be read.
    #[error("cannot read WARC file: {0}")]
    Io(#[from] std::io::Error),
    /// The bytes are not a valid WARC file.
    #[error("not a valid WARC file: {0}")]
    Invalid(String),
}

/// Replaces secret query parameters (`api_key`) with `REDACTED`, so recorded files can be
/// shared and replay matches whatever key the replaying user has.
pub fn redact(url: &Url) -> Url {
    if !url.query_pairs().any(|(k, _)| is_secret(&k)) {
        return url.clone();
    }
    let pairs: Vec<(String, String)> = url
        .query_pairs()
        .map(|(k, v)| {
            let v = if is_secret(&k) { "REDACTED".into() } else { v };
            (k.into_owned(), v.into_owned())
        })
        .collect();
    let mut redacted = url.clone();
    redacted.query_pairs_mut().clear().extend_pairs(pairs);
    redacted
}

fn is_secret(key: &str) -> bool {
    matches!(
        key,
        "api_key" | "key" | "token" | "access_token" | "api_sig"
    )
}

//! A file's body as it arrives: in pieces, counted against the limit, from the network or
//! from a recording alike.

use bytes::Bytes;
use tokio::sync::SemaphorePermit;
use url::Url;

use super::gate::Pass;
use super::transport::network_error;
use super::{FetchError, Validators};

/// Chunks handed out of a replayed body, so that replay and network read alike.
const REPLAY_CHUNK: usize = 64 * 1024;

/// A file's answer whose body is still to be read.
pub struct FileBody<'f> {
    /// The URL that answered, after redirects.
    pub url: Url,
    /// 200 for the whole file, 206 for the part asked for.
    pub status: u16,
    /// The response headers, without framing.
    pub headers: Vec<(String, String)>,
    /// Where this body starts in the file: 0, or the resume offset for a 206.
    pub offset: u64,
    /// How many bytes this body announced (`Content-Length`).
    pub length: Option<u64>,
    /// The size of the whole file, when the server said it.
    pub total: Option<u64>,
    pub(super) received: u64,
    pub(super) max_bytes: u64,
    pub(super) stream: Stream,
    pub(super) _host: Option<Pass>,
    pub(super) _global: SemaphorePermit<'f>,
}

/// Where the body comes from.
pub(super) enum Stream {
    /// A network response.
    Live(reqwest::Response),
    /// A recorded body, and how much of it was handed out.
    Replay { body: Bytes, at: usize },
}

impl FileBody<'_> {
    /// The next piece of the body, or `None` at its end.
    ///
    /// # Errors
    /// A network error or timeout, or [`FetchError::TooLarge`] once the file passes the
    /// limit.
    pub async fn chunk(&mut self) -> Result<Option<Bytes>, FetchError> {
        let chunk = match &mut self.stream {
            Stream::Live(response) => response.chunk().await.map_err(network_error)?,
            Stream::Replay { body, at } => {
                let end = (*at + REPLAY_CHUNK).min(body.len());
                let chunk = (*at < end).then(|| body.slice(*at..end));
                *at = end;
                chunk
            }
        };
        if let Some(chunk) = &chunk {
            self.received += chunk.len() as u64;
            if self.offset + self.received > self.max_bytes {
                return Err(FetchError::TooLarge(self.max_bytes));
            }
        }
        Ok(chunk)
    }

    /// Bytes of this body read so far.
    pub fn received(&self) -> u64 {
        self.received
    }

    /// The first value of a header, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The declared media type (`image/jpeg`), lowercased, without parameters.
    pub fn media_type(&self) -> Option<String> {
        let media = self.header("content-type")?.split(';').next()?.trim();
        (!media.is_empty()).then(|| media.to_ascii_lowercase())
    }

    /// The validators to ask later whether the file changed, or to resume it.
    pub fn validators(&self) -> Validators {
        Validators {
            etag: self.header("etag").map(str::to_string),
            last_modified: self.header("last-modified").map(str::to_string),
        }
    }
}

//! Replay: the responses of a WARC file, by URL.

use bytes::Bytes;
use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;
use url::Url;

use super::read::{Head, read_records};
use super::{Recorded, ReplayError, http, redact};

/// The responses of a WARC file, by URL.
///
/// Keyed by the URL after [`redact`] and without its fragment, so an archive recorded with one
/// API key answers for any key, and `page#section` is the same request as `page`.
#[derive(Default)]
pub struct Replay {
    /// In the order URLs first appear in the file.
    entries: Vec<(Url, Recorded)>,
    by_url: HashMap<Url, usize>,
}

impl Replay {
    /// Reads every response record of the file at `path`.
    ///
    /// # Errors
    /// When the file cannot be read or is not a WARC file.
    pub fn open(path: &Path) -> Result<Self, ReplayError> {
        let file = File::open(path)?;
        Self::from_reader(BufReader::new(file))
    }

    /// Reads every response record of an in-memory WARC file.
    ///
    /// # Errors
    /// When the bytes are not a WARC file.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, ReplayError> {
        Self::from_reader(bytes)
    }

    /// The recorded response for a GET of `url`, if the archive has one.
    pub fn lookup(&self, url: &Url) -> Option<&Recorded> {
        let index = *self.by_url.get(&key(url))?;
        self.entries.get(index).map(|(_, recorded)| recorded)
    }

    /// How many distinct URLs have a response.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the archive holds no response at all (a valid WARC may hold only requests).
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The URLs that have a response, redacted, in the order they first appear in the file.
    pub fn urls(&self) -> impl Iterator<Item = &Url> {
        self.entries.iter().map(|(url, _)| url)
    }

    fn from_reader<R: BufRead>(input: R) -> Result<Self, ReplayError> {
        let mut replay = Replay::default();
        read_records(input, is_replayable, |head, block| replay.add(&head, block))?;
        Ok(replay)
    }

    fn add(&mut self, head: &Head, block: Vec<u8>) {
        let Some(url) = target_url(head) else {
            tracing::warn!("skipping {}: no usable WARC-Target-URI", head.describe());
            return;
        };
        let recorded = match head.kind().as_str() {
            "resource" => Ok(resource(head, block)),
            _ => http::parse_response(&block),
        };
        match recorded {
            Ok(recorded) => self.insert(&url, recorded),
            Err(error) => tracing::warn!("skipping {}: {error}", head.describe()),
        }
    }

    /// Later records replace earlier ones: a re-crawl appended to a file is the newer truth.
    fn insert(&mut self, url: &Url, recorded: Recorded) {
        let url = key(url);
        if let Some(entry) = self.by_url.get(&url).and_then(|&i| self.entries.get_mut(i)) {
            entry.1 = recorded;
            return;
        }
        self.by_url.insert(url.clone(), self.entries.len());
        self.entries.push((url, recorded));
    }
}

/// Bodies can be megabytes; debugging output shows what the archive holds, not its bytes.
impl std::fmt::Debug for Replay {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Replay")
            .field("responses", &self.len())
            .finish()
    }
}

fn key(url: &Url) -> Url {
    let mut key = redact(url);
    key.set_fragment(None);
    key
}

/// Responses carrying HTTP, and resources; other records (requests, metadata, revisits,
/// `dns:` responses, unknown types) are skipped without being buffered.
fn is_replayable(head: &Head) -> bool {
    match head.kind().as_str() {
        "resource" => true,
        "response" => carries_http(head),
        _ => false,
    }
}

fn carries_http(head: &Head) -> bool {
    let scheme_is_http =
        target_url(head).is_some_and(|url| matches!(url.scheme(), "http" | "https"));
    let content_is_http = head.field("Content-Type").is_none_or(|ct| {
        ct.trim_start()
            .to_ascii_lowercase()
            .starts_with("application/http")
    });
    scheme_is_http && content_is_http
}

/// `WARC-Target-URI`, without the `<>` that WARC 1.0 writers (wget) put around it.
fn target_url(head: &Head) -> Option<Url> {
    let uri = head.field("WARC-Target-URI")?.trim();
    let uri = uri
        .strip_prefix('<')
        .and_then(|u| u.strip_suffix('>'))
        .unwrap_or(uri);
    Url::parse(uri).ok()
}

/// A `resource` record is the document itself: a 200 with the record's Content-Type.
fn resource(head: &Head, block: Vec<u8>) -> Recorded {
    let mut headers = Vec::with_capacity(2);
    if let Some(content_type) = head.field("Content-Type") {
        headers.push(("Content-Type".to_string(), content_type.to_string()));
    }
    headers.push(("Content-Length".to_string(), block.len().to_string()));
    Recorded {
        status: 200,
        headers,
        body: Bytes::from(block),
    }
}

//! Files to disk: the same door as every other request (robots.txt, the address guard,
//! per-host pacing, redirects checked hop by hop, retries that honour `Retry-After`), but the
//! body is handed over as a stream, so that a file of any size costs the same memory.
//!
//! A file can be asked for only if it changed (`If-None-Match`, `If-Modified-Since`), and a
//! partial copy can be resumed (`Range` with `If-Range`, so that a file changed in between is
//! sent whole rather than spliced). The host's place is held until the body has been read:
//! a file being received counts as a request in flight to its host.

use bytes::Bytes;
use std::collections::HashSet;
use std::sync::atomic::Ordering;
use std::time::Duration;
use tokio::sync::SemaphorePermit;
use url::Url;

pub use super::file_body::FileBody;
use super::file_body::Stream;
use super::gate::Pass;
use super::retry::{self, Spent};
use super::transport::{judge_target, kept_headers, mirrored, network_error};
use super::{FetchError, Fetcher, Lease, Purpose, Response, Transport, Validators};

/// The longest a file may take once its answer has started: bytes must keep arriving
/// (the read timeout ends a stalled transfer), but a large file on a slow line takes hours.
const FILE_DEADLINE: Duration = Duration::from_secs(12 * 3600);

/// How to ask for a file.
#[derive(Clone, Debug, Default)]
pub struct FileRequest {
    /// Ask only if it changed since these validators were given: a server that says it has
    /// not answers 304 and sends no body.
    pub known: Option<Validators>,
    /// Ask for the rest of a partial copy.
    pub resume: Option<Resume>,
    /// The largest file accepted; a larger one is refused before or while it arrives.
    pub max_bytes: u64,
}

/// The rest of a file, from a byte offset, if it is still the same file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resume {
    /// The bytes already held.
    pub from: u64,
    /// A strong `ETag` or a `Last-Modified` date of the copy held (`If-Range`).
    pub validator: String,
}

/// What a server answered for a file.
pub enum FileAnswer<'f> {
    /// Unchanged since the validators given (304).
    Unchanged,
    /// The file, or the rest of it.
    Body(Box<FileBody<'f>>),
}

/// One hop's answer, its body not read yet.
struct Opened<'f> {
    status: u16,
    headers: Vec<(String, String)>,
    length: Option<u64>,
    remote: Option<std::net::SocketAddr>,
    stream: Stream,
    host: Option<Pass>,
    global: SemaphorePermit<'f>,
}

impl Fetcher {
    /// GETs the file at `url` as [`Fetcher::get`] would a page, but hands its body over as a
    /// stream.
    ///
    /// # Errors
    /// Any [`FetchError`]; a file over `request.max_bytes` by its `Content-Length` is
    /// [`FetchError::TooLarge`] before any byte is read.
    pub async fn get_file(
        &self,
        url: &Url,
        purpose: Purpose,
        request: &FileRequest,
    ) -> Result<FileAnswer<'_>, FetchError> {
        let purpose = self.admit(url, purpose).await?;
        let spent = Spent::default();
        retry::with_retries(&self.inner.config, &spent, || {
            self.follow_file_redirects(url, purpose, request, &spent)
        })
        .await
    }

    async fn follow_file_redirects(
        &self,
        start: &Url,
        purpose: Purpose,
        request: &FileRequest,
        spent: &Spent,
    ) -> Result<FileAnswer<'_>, FetchError> {
        let mut url = start.clone();
        let mut visited = HashSet::new();
        for _ in 0..=self.inner.config.max_redirects {
            if !visited.insert(url.clone()) {
                return Err(FetchError::RedirectLoop(url));
            }
            let started = tokio::time::Instant::now();
            let opened = self.open(&url, purpose, request).await;
            spent.add(started.elapsed());
            let opened = opened?;
            let head = head_of(&url, &opened);
            self.adapt_pace(&url, &head);
            match opened.status {
                304 if request.known.is_some() => return Ok(FileAnswer::Unchanged),
                200 | 206 => return body(url, opened, request),
                300..=399 if head.header("location").is_some() => {
                    // The next hop may need robots.txt from another host: this hop's places
                    // are given back first, or a full house would wait on itself.
                    drop(opened);
                    url = self.next_hop(&url, &head, purpose).await?;
                }
                _ => return Err(retry::status_error(&head)),
            }
        }
        Err(FetchError::TooManyRedirects(
            self.inner.config.max_redirects,
        ))
    }

    /// Where a redirect leads, checked as a page's redirect is.
    async fn next_hop(
        &self,
        url: &Url,
        head: &Response,
        purpose: Purpose,
    ) -> Result<Url, FetchError> {
        let next = head
            .header("location")
            .and_then(|l| url.join(l.trim()).ok())
            .filter(|u| matches!(u.scheme(), "http" | "https"))
            .ok_or(FetchError::BadRedirect)?;
        if purpose != Purpose::Api && next.origin() != url.origin() {
            self.check_robots(&next, purpose).await?;
        }
        Ok(next)
    }

    /// One request: paced, bounded, its head read and its body left waiting.
    async fn open(
        &self,
        url: &Url,
        purpose: Purpose,
        request: &FileRequest,
    ) -> Result<Opened<'_>, FetchError> {
        let guarded = self.guarded(purpose);
        if guarded {
            self.refuse_private_literal(url)?;
        }
        let host = match purpose {
            Purpose::Page | Purpose::PublicLink => Some(self.inner.gates.enter(url).await?),
            Purpose::Api => None,
        };
        let global = self
            .inner
            .global
            .acquire()
            .await
            .expect("semaphore never closed");
        self.inner.pages_sent.fetch_add(1, Ordering::Relaxed);
        let Head {
            status,
            headers,
            length,
            remote,
            stream,
        } = match &self.inner.transport {
            Transport::Live {
                open,
                public,
                proxy,
            } => {
                // Through a proxy, where the file is is judged here, as for a page.
                if let (Some(policy), None) = (proxy, &self.inner.config.mirror) {
                    judge_target(url, policy, guarded).await?;
                }
                let client = if guarded { public } else { open };
                live_head(client, url, &self.inner.config, request).await?
            }
            Transport::Replay(replay) => replay_head(replay, url)?,
        };
        Ok(Opened {
            status,
            headers,
            length,
            remote,
            stream,
            host,
            global,
        })
    }
}

/// An answer's head, its body still to read.
struct Head {
    status: u16,
    headers: Vec<(String, String)>,
    length: Option<u64>,
    remote: Option<std::net::SocketAddr>,
    stream: Stream,
}

/// The network's answer: its head within the request time limit, its body left waiting.
async fn live_head(
    client: &reqwest::Client,
    url: &Url,
    config: &super::FetchConfig,
    request: &FileRequest,
) -> Result<Head, FetchError> {
    let target = match &config.mirror {
        Some(mirror) => mirrored(mirror, url),
        None => url.clone(),
    };
    let sent = client
        .get(target)
        .headers(file_headers(request))
        .timeout(FILE_DEADLINE)
        .send();
    let response = tokio::time::timeout(config.total_timeout, sent)
        .await
        .map_err(|_| FetchError::Timeout)?
        .map_err(network_error)?;
    Ok(Head {
        status: response.status().as_u16(),
        headers: kept_headers(response.headers()),
        length: response.content_length(),
        remote: response.remote_addr(),
        stream: Stream::Live(response),
    })
}

/// A recording's answer, which holds no ranges and no conditional answers: the whole file.
fn replay_head(replay: &crate::warcfile::Replay, url: &Url) -> Result<Head, FetchError> {
    let recorded = replay.lookup(url).ok_or(FetchError::NotInArchive)?;
    let body = recorded.body.clone();
    Ok(Head {
        status: recorded.status,
        headers: recorded.headers.clone(),
        length: Some(body.len() as u64),
        remote: None,
        stream: Stream::Replay { body, at: 0 },
    })
}

/// The answer's head as a bodiless response, for the rules that judge responses.
fn head_of(url: &Url, opened: &Opened<'_>) -> Response {
    Response {
        url: url.clone(),
        status: opened.status,
        headers: opened.headers.clone(),
        body: Bytes::new(),
        remote: opened.remote,
        lease: Lease::default(),
    }
}

/// A 200 or 206 answer as a body to read, once its announced size is within the limit.
fn body<'f>(
    url: Url,
    opened: Opened<'f>,
    request: &FileRequest,
) -> Result<FileAnswer<'f>, FetchError> {
    let head = head_of(&url, &opened);
    let (offset, total) = match opened.status {
        206 => content_range(head.header("content-range")).ok_or_else(|| {
            FetchError::network("a partial answer without a readable Content-Range")
        })?,
        _ => (0, opened.length),
    };
    if total.is_some_and(|t| t > request.max_bytes) {
        return Err(FetchError::TooLarge(request.max_bytes));
    }
    Ok(FileAnswer::Body(Box::new(FileBody {
        url,
        status: opened.status,
        headers: opened.headers,
        offset,
        length: opened.length,
        total,
        received: 0,
        max_bytes: request.max_bytes,
        stream: opened.stream,
        _host: opened.host,
        _global: opened.global,
    })))
}

/// `Content-Range: bytes 100-199/1000` as the first byte and the whole size (`*` when the
/// server does not know it).
fn content_range(value: Option<&str>) -> Option<(u64, Option<u64>)> {
    let range = value?.trim().strip_prefix("bytes")?.trim_start();
    let (span, total) = range.split_once('/')?;
    let (first, _) = span.split_once('-')?;
    let first = first.trim().parse().ok()?;
    let total = match total.trim() {
        "*" => None,
        size => Some(size.parse().ok()?),
    };
    Some((first, total))
}

/// A file is asked for as itself, never compressed: a range of a compressed encoding would
/// not be a range of the file, and the received bytes are the ones checksummed.
fn file_headers(request: &FileRequest) -> reqwest::header::HeaderMap {
    use reqwest::header::{
        ACCEPT, ACCEPT_ENCODING, HeaderValue, IF_MODIFIED_SINCE, IF_NONE_MATCH, IF_RANGE, RANGE,
    };
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(ACCEPT, HeaderValue::from_static("*/*"));
    headers.insert(ACCEPT_ENCODING, HeaderValue::from_static("identity"));
    let mut put = |name, value: Option<&str>| {
        if let Some(value) = value.and_then(|v| HeaderValue::from_str(v).ok()) {
            headers.insert(name, value);
        }
    };
    if let Some(known) = &request.known {
        put(IF_NONE_MATCH, known.etag.as_deref());
        put(IF_MODIFIED_SINCE, known.last_modified.as_deref());
    }
    if let Some(resume) = &request.resume {
        put(RANGE, Some(&format!("bytes={}-", resume.from)));
        put(IF_RANGE, Some(&resume.validator));
    }
    headers
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_ranges_read_their_start_and_total() {
        assert_eq!(
            content_range(Some("bytes 100-199/1000")),
            Some((100, Some(1000)))
        );
        assert_eq!(content_range(Some("bytes 0-9/*")), Some((0, None)));
        assert_eq!(content_range(Some("bytes */1000")), None);
        assert_eq!(content_range(Some("items 1-2/3")), None);
        assert_eq!(content_range(None), None);
    }

    #[test]
    fn files_are_asked_for_uncompressed_conditionally_and_by_range() {
        let request = FileRequest {
            known: Some(Validators {
                etag: Some("\"v1\"".into()),
                last_modified: None,
            }),
            resume: Some(Resume {
                from: 4096,
                validator: "\"v1\"".into(),
            }),
            max_bytes: 1 << 20,
        };
        let headers = file_headers(&request);
        assert_eq!(headers["accept-encoding"], "identity");
        assert_eq!(headers["if-none-match"], "\"v1\"");
        assert_eq!(headers["range"], "bytes=4096-");
        assert_eq!(headers["if-range"], "\"v1\"");
        assert!(!headers.contains_key("if-modified-since"));
    }
}

//! The two ways a request gets an answer: the network, or a WARC file being replayed.

use bytes::{Bytes, BytesMut};
use chrono::Utc;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use url::Url;

use super::address::{AddressPolicy, PrivateOnly, PublicOnly, resolve};
use super::{FetchConfig, FetchError, Lease, Response, USER_AGENT, Validators};
use crate::urls;
use crate::warcfile::{self, Recorder, Replay};

const ACCEPT: &str = "text/html,application/xhtml+xml,application/xml;q=0.9,\
application/json;q=0.9,application/rss+xml;q=0.9,application/atom+xml;q=0.9,*/*;q=0.8";

/// Where answers come from.
pub enum Transport {
    /// The network. One client per address rule: `open` for what the user trusts, `public`
    /// for links found on the public web, whose resolver drops private addresses. Each keeps
    /// its own connection pool for the whole crawl.
    Live {
        /// Seeds, API endpoints and pages inside private networks.
        open: reqwest::Client,
        /// Links found on pages served from public addresses.
        public: reqwest::Client,
        /// Requests may leave through a proxy (`HTTP_PROXY`, `HTTPS_PROXY`, `ALL_PROXY`):
        /// then the address a page comes from is the proxy's, and names are resolved where
        /// the resolver above cannot see, so targets are resolved and judged here first.
        proxy: Option<Arc<AddressPolicy>>,
    },
    /// A WARC file, read once.
    Replay(Arc<Replay>),
}

/// What to do with a body longer than a limit.
#[derive(Clone, Copy, Debug)]
pub(super) enum BodyLimit {
    /// Refuse it: [`FetchError::TooLarge`].
    Refuse(u64),
    /// Keep its first bytes (robots.txt: RFC 9309 asks to read at least 500 KiB).
    Truncate(u64),
}

/// One request and its response, before it is judged.
pub(super) struct Exchange {
    url: Url,
    request_headers: Vec<(String, String)>,
    status: u16,
    headers: Vec<(String, String)>,
    body: Bytes,
    remote: Option<SocketAddr>,
    lease: Lease,
}

/// The memory budget for bodies in flight, in KiB: a body reserves its size (or, when its
/// length is not announced, the largest allowed) before it is read, and waits when the
/// budget is spent, so that many large pages at once cannot exhaust memory.
pub(super) type Budget = Arc<tokio::sync::Semaphore>;

fn kib(bytes: u64) -> u32 {
    u32::try_from(bytes.div_ceil(1024)).unwrap_or(u32::MAX)
}

impl Transport {
    pub fn live(config: &FetchConfig) -> Result<Self, reqwest::Error> {
        let resolver = PublicOnly {
            policy: Arc::new(config.addresses.clone()),
        };
        let proxied = PROXY_VARIABLES
            .iter()
            .any(|name| std::env::var_os(name).is_some_and(|v| !v.is_empty()));
        // Through a proxy, the resolver would judge the proxy's name, not the target's:
        // targets are judged before they leave instead (`judge_target`).
        let public = if proxied {
            client(config).build()?
        } else {
            client(config).dns_resolver(Arc::new(resolver)).build()?
        };
        Ok(Transport::Live {
            open: client(config).build()?,
            public,
            proxy: proxied.then(|| Arc::new(config.addresses.clone())),
        })
    }

    pub(super) async fn send(
        &self,
        request: &Outgoing<'_>,
        config: &FetchConfig,
        budget: &Budget,
    ) -> Result<Exchange, FetchError> {
        let url = request.url;
        match self {
            Transport::Live {
                open,
                public,
                proxy,
            } => {
                let target = match (proxy, &config.mirror) {
                    (Some(policy), None) => {
                        Some(judge_target(url, policy, request.public_only).await?)
                    }
                    _ => None,
                };
                let client = if request.public_only { public } else { open };
                let mut exchange = send_live(client, request, config, budget).await?;
                exchange.remote = target.or(exchange.remote);
                Ok(exchange)
            }
            Transport::Replay(replay) => {
                let recorded = replay.lookup(url).ok_or(FetchError::NotInArchive)?;
                Ok(Exchange {
                    url: url.clone(),
                    request_headers: request_headers(url, None, request.headers),
                    status: recorded.status,
                    headers: recorded.headers.clone(),
                    body: recorded.body.clone(),
                    remote: None,
                    lease: Lease::default(),
                })
            }
        }
    }
}

/// One request as it leaves: where to, under which rules, with which headers.
pub(super) struct Outgoing<'a> {
    pub(super) url: &'a Url,
    /// A link from the public web: only public addresses may answer.
    pub(super) public_only: bool,
    /// Validators for a conditional request.
    pub(super) conditional: Option<&'a Validators>,
    pub(super) limit: BodyLimit,
    /// An API's own headers (`Authorization`, a `User-Agent` its policy asks for).
    pub(super) headers: &'a [(&'static str, String)],
}

/// The variables reqwest reads a proxy from.
const PROXY_VARIABLES: [&str; 6] = [
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "ALL_PROXY",
    "all_proxy",
];

/// Resolves a request's target before it leaves through a proxy: a link from the public web
/// may not lead inside, whatever the proxy would resolve, and the address found stands for
/// where the page came from. (The proxy resolves the name again; a name that changes its
/// answer between the two lookups is the one gap left, which `--allow-private` does not
/// widen.)
pub(super) async fn judge_target(
    url: &Url,
    policy: &AddressPolicy,
    public_only: bool,
) -> Result<SocketAddr, FetchError> {
    let host = url.host_str().unwrap_or_default().trim_matches(['[', ']']);
    let port = url.port_or_known_default().unwrap_or(443);
    let addresses = resolve(host, port)
        .await
        .map_err(|e| FetchError::network(format!("cannot resolve {host}: {e}")))?;
    let chosen = if public_only {
        addresses.iter().find(|a| !policy.is_private(a.ip()))
    } else {
        addresses.first()
    };
    match chosen {
        Some(address) => Ok(*address),
        None if addresses.is_empty() => Err(FetchError::network(format!("{host} has no address"))),
        None => Err(FetchError::PrivateAddress(format!(
            "{host} resolves only to private addresses"
        ))),
    }
}

fn client(config: &FetchConfig) -> reqwest::ClientBuilder {
    reqwest::Client::builder()
        .user_agent(USER_AGENT)
        // Redirects are followed by hand so every hop is checked, paced and recorded.
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(config.connect_timeout)
        .read_timeout(config.read_timeout)
        .timeout(config.total_timeout)
}

async fn send_live(
    client: &reqwest::Client,
    outgoing: &Outgoing<'_>,
    config: &FetchConfig,
    budget: &Budget,
) -> Result<Exchange, FetchError> {
    let Outgoing {
        url,
        conditional,
        limit,
        headers: extra,
        ..
    } = *outgoing;
    let request_headers = request_headers(url, conditional, extra);
    let target = match &config.mirror {
        Some(mirror) => mirrored(mirror, url),
        None => url.clone(),
    };
    let mut request = client
        .get(target)
        .headers(conditional_headers(conditional))
        .header(reqwest::header::ACCEPT, ACCEPT);
    for (name, value) in extra {
        request = request.header(*name, value);
    }
    let response = request.send().await.map_err(network_error)?;
    let status = response.status().as_u16();
    let remote = response.remote_addr();
    if let BodyLimit::Refuse(max) = limit
        && response.content_length().is_some_and(|n| n > max)
    {
        return Err(FetchError::TooLarge(max));
    }
    let headers = kept_headers(response.headers());
    let (BodyLimit::Refuse(max) | BodyLimit::Truncate(max)) = limit;
    let announced = response.content_length().map(|n| n.min(max));
    let permits = kib(announced.unwrap_or(max)).min(kib(config.memory_budget));
    let lease = budget
        .clone()
        .acquire_many_owned(permits)
        .await
        .map(Lease::of)
        .unwrap_or_default();
    let body = read_body(response, limit, announced.unwrap_or(0)).await?;
    Ok(Exchange {
        url: url.clone(),
        request_headers,
        status,
        headers,
        body,
        remote,
        lease,
    })
}

/// The response's headers, as text, minus framing: the body is stored decoded and whole, so
/// `Transfer-Encoding`, `Content-Encoding` and `Content-Length` would describe other bytes.
pub(super) fn kept_headers(headers: &reqwest::header::HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .filter(|(k, _)| {
            !matches!(
                k.as_str(),
                "transfer-encoding" | "content-encoding" | "content-length"
            )
        })
        .map(|(k, v)| {
            (
                k.as_str().to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect()
}

/// Reads the body, counting while streaming and after decompression, so neither a missing
/// `Content-Length` nor a compression bomb can get past the limit. A timeout here means the
/// server answered and then stalled.
async fn read_body(
    mut response: reqwest::Response,
    limit: BodyLimit,
    announced: u64,
) -> Result<Bytes, FetchError> {
    let (BodyLimit::Refuse(max) | BodyLimit::Truncate(max)) = limit;
    // Sized once when the length is announced: doubling as it grows would hold up to twice
    // the body for as long as the page is read.
    let mut body = BytesMut::with_capacity(usize::try_from(announced).unwrap_or(0));
    while let Some(chunk) = response.chunk().await.map_err(body_error)? {
        if body.len() as u64 + chunk.len() as u64 > max {
            match limit {
                BodyLimit::Refuse(_) => return Err(FetchError::TooLarge(max)),
                BodyLimit::Truncate(_) => {
                    let room = usize::try_from(max).unwrap_or(usize::MAX) - body.len();
                    body.extend_from_slice(&chunk[..room.min(chunk.len())]);
                    break;
                }
            }
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

fn body_error(error: reqwest::Error) -> FetchError {
    if error.is_timeout() {
        return FetchError::Stalled;
    }
    network_error(error)
}

pub(super) fn mirrored(mirror: &Url, url: &Url) -> Url {
    let mut target = mirror.clone();
    let host = urls::host_key(url);
    let base = mirror.path().trim_end_matches('/');
    target.set_path(&format!("{base}/{host}{}", url.path()));
    target.set_query(url.query());
    target
}

fn conditional_headers(conditional: Option<&Validators>) -> reqwest::header::HeaderMap {
    let mut headers = reqwest::header::HeaderMap::new();
    let Some(known) = conditional else {
        return headers;
    };
    let pairs = [
        (reqwest::header::IF_NONE_MATCH, &known.etag),
        (reqwest::header::IF_MODIFIED_SINCE, &known.last_modified),
    ];
    for (name, value) in pairs {
        if let Some(value) = value.as_deref().and_then(|v| v.parse().ok()) {
            headers.insert(name, value);
        }
    }
    headers
}

/// The request's headers as recorded: an API's own headers replace the defaults of the same
/// name, and a credential is never written down.
fn request_headers(
    url: &Url,
    conditional: Option<&Validators>,
    extra: &[(&'static str, String)],
) -> Vec<(String, String)> {
    let mut headers = base_request_headers(url);
    for (name, value) in extra {
        headers.retain(|(known, _)| !known.eq_ignore_ascii_case(name));
        let value = if name.eq_ignore_ascii_case("authorization") {
            "REDACTED".to_string()
        } else {
            value.clone()
        };
        headers.push(((*name).to_string(), value));
    }
    if let Some(known) = conditional {
        headers.extend(known.etag.clone().map(|v| ("If-None-Match".to_string(), v)));
        headers.extend(
            known
                .last_modified
                .clone()
                .map(|v| ("If-Modified-Since".to_string(), v)),
        );
    }
    headers
}

fn base_request_headers(url: &Url) -> Vec<(String, String)> {
    vec![
        ("Host".into(), urls::host_key(url)),
        ("User-Agent".into(), USER_AGENT.into()),
        ("Accept".into(), ACCEPT.into()),
        ("Accept-Encoding".into(), "gzip, br, deflate".into()),
    ]
}

pub(super) fn network_error(error: reqwest::Error) -> FetchError {
    if error.is_timeout() {
        return FetchError::Timeout;
    }
    let mut cause = std::error::Error::source(&error);
    while let Some(inner) = cause {
        if let Some(refused) = inner.downcast_ref::<PrivateOnly>() {
            return FetchError::PrivateAddress(refused.to_string());
        }
        cause = inner.source();
    }
    // The URL is left out of both: it may carry an API key, and the report names it anyway.
    let error = error.without_url();
    let mut message = error.to_string();
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        message = format!("{message}: {cause}");
        source = cause.source();
    }
    FetchError::Network {
        message,
        source: Some(Box::new(error)),
    }
}

impl Exchange {
    /// Writes the exchange to the WARC file. A write failure is logged, not fatal: the crawl's
    /// results matter more than its copy.
    pub(super) fn record(&self, recorder: &Mutex<Recorder>) {
        let mut headers = self.headers.clone();
        headers.push(("Content-Length".into(), self.body.len().to_string()));
        let url = warcfile::redact(&self.url);
        let exchange = warcfile::Exchange {
            url: &url,
            method: "GET",
            request_headers: &self.request_headers,
            status: self.status,
            response_headers: &headers,
            body: &self.body,
            date: Utc::now(),
        };
        let mut recorder = recorder
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Err(error) = recorder.record(&exchange) {
            tracing::error!("could not record {} to the WARC file: {error}", self.url);
        }
    }

    pub(super) fn into_response(self) -> Response {
        Response {
            url: self.url,
            status: self.status,
            headers: self.headers,
            body: self.body,
            remote: self.remote,
            lease: self.lease,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mirrored_urls_keep_host_path_and_query() {
        let mirror = Url::parse("http://127.0.0.1:8080/site/").unwrap();
        let url = Url::parse("https://api.flickr.com/services/rest/?method=x&page=2").unwrap();
        assert_eq!(
            mirrored(&mirror, &url).as_str(),
            "http://127.0.0.1:8080/site/api.flickr.com/services/rest/?method=x&page=2"
        );
    }
}

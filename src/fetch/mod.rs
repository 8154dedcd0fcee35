//! Fetching: one shared HTTP client, polite to every host, bounded in time and size, and able
//! to record to or replay from a WARC file.
//!
//! Every request of a crawl goes through [`Fetcher::get`]. Pages the crawl follows obey
//! robots.txt and per-host pacing; calls to a documented API made with the user's key
//! ([`Purpose::Api`]) are governed by that API's own budget instead.

mod address;
pub mod decode;
mod download;
mod file_body;
mod gate;
mod response;
mod retry;
pub mod robots;
mod transport;

#[cfg(test)]
mod tests;

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use tokio::sync::Semaphore;
use url::Url;

use crate::model::{Page, Role};
use crate::warcfile::{Recorder, Replay};
pub use address::{AddressPolicy, DEFAULT_PRIVATE_NETWORKS};
pub use download::{FileAnswer, FileBody, FileRequest, Resume};
use gate::Gates;
pub use response::{Activity, FetchError, Fetched, Lease, Response, Validators};
use retry::Spent;
pub use retry::full_jitter;
use robots::RobotsCache;
use transport::BodyLimit;
pub use transport::Transport;

/// The User-Agent every request carries; its product token is what robots.txt rules match.
pub const USER_AGENT: &str = concat!("archive/", env!("CARGO_PKG_VERSION"));

/// Requests in flight to one host, by default.
pub const DEFAULT_PER_HOST: u16 = 2;
/// Milliseconds between the starts of two requests to one host, by default.
pub const DEFAULT_DELAY_MS: u64 = 250;
/// Requests in flight overall, by default.
pub const DEFAULT_CONCURRENCY: u16 = 16;
/// The largest body accepted, counted after decompression, by default: 20 MiB.
pub const DEFAULT_MAX_BODY: u64 = 20 * 1024 * 1024;
/// Seconds allowed for a whole request, body included, by default.
pub const DEFAULT_TIMEOUT_SECS: u64 = 60;
/// Memory for bodies in flight, all requests together, by default: twelve bodies at the
/// largest size, or thousands of ordinary pages.
pub const DEFAULT_MEMORY_BUDGET: u64 = 256 * 1024 * 1024;

/// Limits and manners for a crawl's requests.
#[derive(Clone, Debug)]
pub struct FetchConfig {
    /// Requests in flight to one host.
    pub per_host: usize,
    /// Minimum time between the starts of two requests to one host.
    pub delay: Duration,
    /// Requests in flight overall.
    pub concurrency: usize,
    /// Largest body accepted, counted after decompression.
    pub max_body: u64,
    /// Redirect hops followed before giving up.
    pub max_redirects: usize,
    /// Attempts after the first for retryable failures (429, 5xx, timeouts, network errors).
    pub retries: u32,
    /// First backoff step; doubled at every retry, with full jitter.
    pub backoff: Duration,
    /// Longest single wait, including one asked for by `Retry-After`.
    pub max_backoff: Duration,
    /// Time allowed to open a connection.
    pub connect_timeout: Duration,
    /// Time allowed between two reads of the body.
    pub read_timeout: Duration,
    /// Time allowed for a whole request, body included.
    pub total_timeout: Duration,
    /// Time allowed for one URL, its retries and the waits between them included; a retry
    /// that could not end within it is not made.
    pub url_budget: Duration,
    /// Fetch every URL from this mirror instead, laid out by host
    /// (`https://cnes.fr/a?b` is read from `<mirror>/cnes.fr/a?b`), while recording and
    /// reporting the original URL. This is how the built-in demo is recorded from local
    /// fixtures as if from the real sites.
    pub mirror: Option<Url>,
    /// Let links found on public pages lead to private addresses too (`--allow-private`).
    pub allow_private: bool,
    /// What counts as a private address.
    pub addresses: AddressPolicy,
    /// Memory for bodies being read, all requests together: a request waits for its share
    /// (its announced length, else `max_body`) before its body is read.
    pub memory_budget: u64,
}

impl Default for FetchConfig {
    fn default() -> Self {
        FetchConfig {
            per_host: DEFAULT_PER_HOST.into(),
            delay: Duration::from_millis(DEFAULT_DELAY_MS),
            concurrency: DEFAULT_CONCURRENCY.into(),
            max_body: DEFAULT_MAX_BODY,
            max_redirects: 10,
            retries: 3,
            backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(60),
            connect_timeout: Duration::from_secs(10),
            read_timeout: Duration::from_secs(30),
            total_timeout: Duration::from_secs(DEFAULT_TIMEOUT_SECS),
            url_budget: Duration::from_secs(DEFAULT_TIMEOUT_SECS * 3 / 2),
            mirror: None,
            allow_private: false,
            addresses: AddressPolicy::default(),
            memory_budget: DEFAULT_MEMORY_BUDGET,
        }
    }
}

/// Why a request is made, which decides the rules it follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    /// A page the user asked for, or linked from a page inside a private network: robots.txt
    /// and per-host pacing apply.
    Page,
    /// A page linked from a page served from a public address: as [`Purpose::Page`], and it
    /// may only lead to public addresses, at every redirect hop.
    PublicLink,
    /// A call to a documented API at an endpoint the user configured (Flickr REST, a
    /// platform's oEmbed service; see [`Fetcher::register_api`]): the API's own terms and
    /// budget apply, not robots.txt. A call to any other address is made as a
    /// [`Purpose::PublicLink`]: a page cannot turn a URL it names into an API call.
    Api,
}

/// The one HTTP client of a crawl. Cheap to clone; clones share connections, limits and caches.
#[derive(Clone)]
pub struct Fetcher {
    inner: Arc<Inner>,
}

struct Inner {
    /// Requests sent, pages and API calls apart, for progress.
    pages_sent: AtomicU64,
    api_calls_sent: AtomicU64,
    config: FetchConfig,
    transport: Transport,
    recorder: Option<std::sync::Mutex<Recorder>>,
    global: Semaphore,
    gates: Gates,
    robots: RobotsCache,
    memory: transport::Budget,
    /// The API endpoints sources are configured with: only calls under them are API calls.
    apis: std::sync::RwLock<Vec<Url>>,
}

impl Fetcher {
    /// A fetcher over the live network.
    ///
    /// # Errors
    /// When the TLS backend cannot be set up.
    pub fn live(config: FetchConfig) -> Result<Self, reqwest::Error> {
        let transport = Transport::live(&config)?;
        Ok(Self::new(config, transport, None))
    }

    /// A fetcher that answers every request from a WARC file.
    pub fn replay(config: FetchConfig, replay: Replay) -> Self {
        Self::new(config, Transport::Replay(Arc::new(replay)), None)
    }

    /// A fetcher over `transport` that also writes every exchange to `recorder`, when one
    /// is given. A replay is not paced: nobody's server is asked.
    pub fn new(config: FetchConfig, transport: Transport, recorder: Option<Recorder>) -> Self {
        let config = match transport {
            Transport::Replay(_) => FetchConfig {
                delay: Duration::ZERO,
                ..config
            },
            Transport::Live { .. } => config,
        };
        Fetcher {
            inner: Arc::new(Inner {
                pages_sent: AtomicU64::new(0),
                api_calls_sent: AtomicU64::new(0),
                global: Semaphore::new(config.concurrency.max(1)),
                gates: Gates::new(config.per_host.max(1), config.delay),
                memory: Arc::new(Semaphore::new(
                    usize::try_from(config.memory_budget.div_ceil(1024)).unwrap_or(usize::MAX),
                )),
                robots: RobotsCache::default(),
                apis: std::sync::RwLock::new(Vec::new()),
                recorder: recorder.map(std::sync::Mutex::new),
                transport,
                config,
            }),
        }
    }

    /// Lets requests under `endpoint` (its origin and path) be made as API calls: the
    /// endpoints a source is configured with (`FLICKR_API_URL`, the oEmbed services), never
    /// an address a page gave.
    pub fn register_api(&self, endpoint: &Url) {
        let mut apis = self
            .inner
            .apis
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if !apis.contains(endpoint) {
            apis.push(endpoint.clone());
        }
    }

    /// The rules a request follows: an API call to an address no source registered is a
    /// link from the public web.
    fn effective(&self, url: &Url, purpose: Purpose) -> Purpose {
        if purpose != Purpose::Api {
            return purpose;
        }
        let apis = self
            .inner
            .apis
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let registered = apis.iter().any(|api| {
            api.origin() == url.origin() && url.path().starts_with(api.path().trim_end_matches('/'))
        });
        if registered {
            Purpose::Api
        } else {
            Purpose::PublicLink
        }
    }

    /// The limits and manners in use.
    pub fn config(&self) -> &FetchConfig {
        &self.inner.config
    }

    /// A response as a document to read: a file gzipped without saying so
    /// (`sitemap.xml.gz`) is inflated, within the body limit, then decoded to text. Keep the
    /// response's [`Lease`] while the page is read.
    pub fn page(&self, response: Response, role: Role) -> Page {
        let named_gz = response.url.path().ends_with(".gz");
        let body = match decode::gunzip(&response.body, self.inner.config.max_body) {
            Some(bytes) if named_gz => decode::decode(&bytes, response.header("content-type")),
            _ => response.text(),
        };
        Page {
            content_type: response.media_type(),
            body,
            url: response.url,
            role,
        }
    }

    /// What the fetcher is doing now, for a progress display.
    pub fn activity(&self) -> Activity {
        Activity {
            pages: self.inner.pages_sent.load(Ordering::Relaxed),
            api_calls: self.inner.api_calls_sent.load(Ordering::Relaxed),
            waiting_on: self.inner.gates.waiting_hosts(),
        }
    }

    /// Whether requests are answered from a WARC file rather than the network.
    pub fn is_replay(&self) -> bool {
        matches!(self.inner.transport, Transport::Replay(_))
    }

    /// Finishes the WARC file, if recording.
    ///
    /// # Errors
    /// When the file cannot be flushed.
    pub fn finish(self) -> std::io::Result<()> {
        match Arc::try_unwrap(self.inner) {
            Ok(inner) => match inner.recorder {
                Some(r) => r.into_inner().map_err(std::io::Error::other)?.finish(),
                None => Ok(()),
            },
            Err(_) => Err(std::io::Error::other("fetcher still in use")),
        }
    }

    /// GETs `url`, following redirects and retrying transient failures, and returns the
    /// final 2xx response.
    ///
    /// # Errors
    /// Any [`FetchError`]; the caller records it and carries on.
    pub async fn get(&self, url: &Url, purpose: Purpose) -> Result<Response, FetchError> {
        match self.get_if_changed(url, purpose, None).await? {
            Fetched::Changed(response) => Ok(response),
            // Without validators a server has no business answering 304.
            Fetched::Unchanged(_) => Err(FetchError::Status {
                code: 304,
                retry_after: None,
            }),
        }
    }

    /// As [`Fetcher::get`], but a conditional request when `known` holds validators from an
    /// earlier fetch: a server that says nothing changed costs no body and no parsing.
    ///
    /// # Errors
    /// Any [`FetchError`].
    pub async fn get_if_changed(
        &self,
        url: &Url,
        purpose: Purpose,
        known: Option<&Validators>,
    ) -> Result<Fetched, FetchError> {
        self.request(url, purpose, known, &ApiCall::NONE).await
    }

    /// The one door every request goes through: the scheme, the address guard, robots.txt,
    /// retries and redirects. An API call to an address no source registered is made as a
    /// public link, without the call's headers: a credential never goes where a page sent it.
    async fn request(
        &self,
        url: &Url,
        purpose: Purpose,
        known: Option<&Validators>,
        call: &ApiCall<'_>,
    ) -> Result<Fetched, FetchError> {
        let purpose = self.admit(url, purpose).await?;
        let call = if purpose == Purpose::Api {
            call
        } else {
            &ApiCall::NONE
        };
        let spent = Spent::default();
        retry::with_retries(&self.inner.config, &spent, || {
            self.follow_redirects(url, purpose, known, Chain::Page, &spent, call)
        })
        .await
    }

    /// Whether `url` may be asked at all, and under which rules: http(s) only, an API call
    /// only to a registered endpoint, no private address for a link from the public web,
    /// and robots.txt for everything but an API.
    async fn admit(&self, url: &Url, purpose: Purpose) -> Result<Purpose, FetchError> {
        if !matches!(url.scheme(), "http" | "https") {
            return Err(FetchError::Scheme);
        }
        let purpose = self.effective(url, purpose);
        if self.guarded(purpose) {
            self.refuse_private_literal(url)?;
        }
        if purpose != Purpose::Api {
            self.check_robots(url, purpose).await?;
        }
        Ok(purpose)
    }

    /// A call to a documented API at an endpoint the user configured ([`Purpose::Api`]),
    /// with the request headers the API asks for (an `Authorization`, the descriptive
    /// `User-Agent` its policy requires). Unlike [`Fetcher::get`], an error answer that
    /// retrying cannot mend (a 4xx other than 408 and 429) comes back as a response, body
    /// included: an API says in its body why it refused (a quota spent, a private video).
    ///
    /// An `Authorization` header is recorded as `REDACTED`.
    ///
    /// # Errors
    /// Any [`FetchError`] but an error status that came back as a response.
    pub async fn call_api(
        &self,
        url: &Url,
        headers: &[(&'static str, String)],
    ) -> Result<Response, FetchError> {
        let call = ApiCall {
            headers,
            keep_errors: true,
        };
        let fetched = self.request(url, Purpose::Api, None, &call).await?;
        match fetched {
            Fetched::Changed(response) | Fetched::Unchanged(response) => Ok(response),
        }
    }

    /// Follows a chain of redirects to its end, checking every hop: http(s) only, no loop,
    /// no more hops than allowed, and robots.txt of every new origin for a page (robots.txt
    /// itself is fetched without consulting robots.txt).
    async fn follow_redirects(
        &self,
        start: &Url,
        purpose: Purpose,
        known: Option<&Validators>,
        chain: Chain,
        spent: &Spent,
        call: &ApiCall<'_>,
    ) -> Result<Fetched, FetchError> {
        let max_redirects = match chain {
            Chain::Page => self.inner.config.max_redirects,
            Chain::Robots => robots::MAX_REDIRECTS,
        };
        let mut url = start.clone();
        let mut visited = HashSet::new();
        for _ in 0..=max_redirects {
            if !visited.insert(url.clone()) {
                return Err(FetchError::RedirectLoop(url));
            }
            // Validators belong to the URL they came from, not to where it redirects.
            let conditional = known.filter(|_| url == *start);
            let response = self
                .send(&url, purpose, conditional, chain, spent, call.headers)
                .await?;
            match response.status {
                304 if conditional.is_some() => return Ok(Fetched::Unchanged(response)),
                300..=399 if response.header("location").is_some() => {
                    let next = response
                        .header("location")
                        .and_then(|l| url.join(l.trim()).ok())
                        .filter(|u| matches!(u.scheme(), "http" | "https"))
                        .ok_or(FetchError::BadRedirect)?;
                    let consults_robots = chain == Chain::Page && purpose != Purpose::Api;
                    if consults_robots && next.origin() != url.origin() {
                        self.check_robots(&next, purpose).await?;
                    }
                    url = next;
                }
                200..=299 => return Ok(Fetched::Changed(response)),
                400..=499 if call.keep_errors && !matches!(response.status, 408 | 429) => {
                    return Ok(Fetched::Changed(response));
                }
                _ => return Err(retry::status_error(&response)),
            }
        }
        Err(FetchError::TooManyRedirects(max_redirects))
    }

    /// One request, one response: paced, bounded and recorded.
    async fn send(
        &self,
        url: &Url,
        purpose: Purpose,
        conditional: Option<&Validators>,
        chain: Chain,
        spent: &Spent,
        headers: &[(&'static str, String)],
    ) -> Result<Response, FetchError> {
        let guarded = self.guarded(purpose);
        if guarded {
            self.refuse_private_literal(url)?;
        }
        // The host's turn first, then a place overall: a request waiting for a busy host must
        // not hold one of the few overall places that requests to idle hosts could use.
        let _host = match purpose {
            Purpose::Page | Purpose::PublicLink => Some(self.inner.gates.enter(url).await?),
            Purpose::Api => None,
        };
        let _global = self
            .inner
            .global
            .acquire()
            .await
            .expect("semaphore never closed");
        let sent = match purpose {
            Purpose::Api => &self.inner.api_calls_sent,
            _ => &self.inner.pages_sent,
        };
        sent.fetch_add(1, Ordering::Relaxed);
        let limit = match chain {
            Chain::Page => BodyLimit::Refuse(self.inner.config.max_body),
            Chain::Robots => BodyLimit::Truncate(robots::MAX_ROBOTS_BYTES as u64),
        };
        let started = tokio::time::Instant::now();
        let exchange = self
            .inner
            .transport
            .send(
                &transport::Outgoing {
                    url,
                    public_only: guarded,
                    conditional,
                    limit,
                    headers,
                },
                &self.inner.config,
                &self.inner.memory,
            )
            .await;
        spent.add(started.elapsed());
        let exchange = exchange?;
        if let Some(recorder) = &self.inner.recorder {
            exchange.record(recorder);
        }
        let response = exchange.into_response();
        self.adapt_pace(url, &response);
        Ok(response)
    }

    /// A host that says it is overloaded (429, 503) gets fewer requests; one that answers
    /// well gets back, slowly, to the configured pace.
    fn adapt_pace(&self, url: &Url, response: &Response) {
        match response.status {
            429 | 503 => {
                let asked = response
                    .header("retry-after")
                    .and_then(retry::parse_retry_after);
                self.inner
                    .gates
                    .throttle(url, asked, self.inner.config.max_backoff);
            }
            200..=399 => self.inner.gates.recover(url),
            _ => {}
        }
    }

    /// Whether requests of this purpose may only reach public addresses.
    fn guarded(&self, purpose: Purpose) -> bool {
        purpose == Purpose::PublicLink && !self.inner.config.allow_private
    }

    /// Hosts written as IP addresses never reach the resolver, so they are checked here.
    fn refuse_private_literal(&self, url: &Url) -> Result<(), FetchError> {
        let ip = match url.host() {
            Some(url::Host::Ipv4(ip)) => std::net::IpAddr::V4(ip),
            Some(url::Host::Ipv6(ip)) => std::net::IpAddr::V6(ip),
            _ => return Ok(()),
        };
        if self.inner.config.addresses.is_private(ip) {
            return Err(FetchError::PrivateAddress(format!(
                "{ip} is a private address"
            )));
        }
        Ok(())
    }

    /// The sitemaps the robots.txt of `url`'s host lists.
    pub async fn listed_by_robots(&self, url: &Url) -> Vec<Url> {
        let rules = self
            .inner
            .robots
            .rules_for(url, false, |robots_url| {
                self.fetch_robots(robots_url, Purpose::Page)
            })
            .await;
        match url.join("/robots.txt") {
            Ok(robots_url) => rules.sitemaps(&robots_url),
            Err(_) => Vec::new(),
        }
    }

    /// Whether a response came from a public address, so its links must stay public too.
    pub fn served_publicly(&self, response: &Response) -> bool {
        response
            .remote
            .is_some_and(|addr| !self.inner.config.addresses.is_private(addr.ip()))
    }

    async fn check_robots(&self, url: &Url, purpose: Purpose) -> Result<(), FetchError> {
        let rules = self
            .inner
            .robots
            .rules_for(url, self.guarded(purpose), |robots_url| {
                self.fetch_robots(robots_url, purpose)
            })
            .await;
        if let Some(delay) = rules.crawl_delay() {
            self.inner
                .gates
                .slow_down(url, delay.min(robots::MAX_CRAWL_DELAY));
        }
        rules.check(url)
    }

    async fn fetch_robots(
        &self,
        robots_url: Url,
        purpose: Purpose,
    ) -> Result<Response, FetchError> {
        // Boxed: a page's redirect chain may ask for robots.txt, whose chain is the same code.
        let spent = Spent::default();
        let fetched = retry::with_retries(&self.inner.config, &spent, || {
            Box::pin(self.follow_redirects(
                &robots_url,
                purpose,
                None,
                Chain::Robots,
                &spent,
                &ApiCall::NONE,
            ))
        })
        .await?;
        match fetched {
            Fetched::Changed(response) => Ok(response),
            Fetched::Unchanged(_) => Err(FetchError::Status {
                code: 304,
                retry_after: None,
            }),
        }
    }
}

/// What an API call adds to a request: its own headers, and error answers kept.
struct ApiCall<'a> {
    headers: &'a [(&'static str, String)],
    keep_errors: bool,
}

impl ApiCall<'_> {
    /// A plain request.
    const NONE: ApiCall<'static> = ApiCall {
        headers: &[],
        keep_errors: false,
    };
}

/// Which rules a chain of redirects follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Chain {
    /// A page or an API call: the configured number of hops, robots.txt at each new origin.
    Page,
    /// robots.txt itself: RFC 9309's five hops, without consulting robots.txt.
    Robots,
}

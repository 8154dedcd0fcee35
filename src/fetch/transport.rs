//! The two ways a request gets an answer: the network, or a WARC file being replayed.

use bytes::{Bytes, BytesMut};
use chrono::Utc;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use url::Url;

use super::address::{PrivateOnly, PublicOnly};
use super::{FetchConfig, FetchError, Response, USER_AGENT, Validators};
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
    },
    /// A WARC file, read once.
    Replay(Arc<Replay>),
}

/// One request and its response, before it is judged.
pub(super) struct Exchange {
    url: Url,
    request_headers: Vec<(String, String)>,
    status: u16,
    headers: Vec<(String, String)>,
    body: Bytes,
    remote: Option<SocketAddr>,
}

impl Transport {
    pub fn live(config: &FetchConfig) -> Result<Self, reqwest::Error> {
        let resolver = PublicOnly {
            policy: Arc::new(config.addresses.clone()),
        };
        Ok(Transport::Live {
            open: client(config).build()?,
            public: client(config).dns_resolver(Arc::new(resolver)).build()?,
        })
    }

    pub(super) async fn send(
        &self,
        url: &Url,
        config: &FetchConfig,
        public_only: bool,
        conditional: Option<&Validators>,
    ) -> Result<Exchange, FetchError> {
        match self {
            Transport::Live { open, public } => {
                let client = if public_only { public } else { open };
                send_live(client, url, config, conditional).await
            }
            Transport::Replay(replay) => {
                let recorded = replay.lookup(url).ok_or(FetchError::NotInArchive)?;
                Ok(Exchange {
                    url: url.clone(),
                    request_headers: request_headers(url, None),
                    status: recorded.status,
                    headers: recorded.headers.clone(),
                    body: recorded.body.clone(),
                    remote: None,
                })
            }
        }
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
    url: &Url,
    config: &FetchConfig,
    conditional: Option<&Validators>,
) -> Result<Exchange, FetchError> {
    let request_headers = request_headers(url, conditional);
    let target = match &config.mirror {
        Some(mirror) => mirrored(mirror, url),
        None => url.clone(),
    };
    let response = client
        .get(target)
        .headers(conditional_headers(conditional))
        .header(reqwest::header::ACCEPT, ACCEPT)
        .send()
        .await
        .map_err(network_error)?;
    let status = response.status().as_u16();
    let remote = response.remote_addr();
    if response
        .content_length()
        .is_some_and(|n| n > config.max_body)
    {
        return Err(FetchError::TooLarge(config.max_body));
    }
    let headers = kept_headers(response.headers());
    let body = read_body(response, config.max_body).await?;
    Ok(Exchange {
        url: url.clone(),
        request_headers,
        status,
        headers,
        body,
        remote,
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
/// `Content-Length` nor a compression bomb can get past the limit.
async fn read_body(mut response: reqwest::Response, max: u64) -> Result<Bytes, FetchError> {
    let mut body = BytesMut::new();
    while let Some(chunk) = response.chunk().await.map_err(network_error)? {
        if body.len() as u64 + chunk.len() as u64 > max {
            return Err(FetchError::TooLarge(max));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
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

fn request_headers(url: &Url, conditional: Option<&Validators>) -> Vec<(String, String)> {
    let mut headers = base_request_headers(url);
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

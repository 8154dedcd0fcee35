//! robots.txt, per RFC 9309: fetched once per host per crawl, and obeyed.
//!
//! [`Rules`] is public, as the reader of a file any server writes, so that the fuzz targets
//! (`fuzz/`) read robots.txt as the crawl does.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use texting_robots::Robot;
use tokio::sync::OnceCell;
use url::Url;

use super::{FetchError, Response};

/// RFC 9309 §2.3.1.2: follow at least five redirects to robots.txt.
pub(super) const MAX_REDIRECTS: usize = 5;

/// RFC 9309 §2.5: parse at least 500 KiB; anything past that is ignored.
pub const MAX_ROBOTS_BYTES: usize = 500 * 1024;

/// The longest `Crawl-delay` obeyed: a site asking for more is still crawled, slowly.
pub const MAX_CRAWL_DELAY: Duration = Duration::from_secs(30);

/// The product token robots.txt groups are matched against.
const PRODUCT_TOKEN: &str = "archive";

/// What a host's robots.txt allows.
pub enum Rules {
    /// No robots.txt (4xx): everything is allowed.
    AllowAll,
    /// robots.txt unreachable (5xx): nothing is allowed.
    Unreachable,
    /// The host could not be reached at all (the network is down, the name is unknown, it
    /// timed out): nothing is fetched, and that is what is reported.
    Unreached(String),
    /// A parsed robots.txt.
    Parsed(Box<Robot>),
    /// The host may not be reached at all from where the link was found.
    Refused(String),
}

impl Rules {
    fn from_fetch(result: Result<Response, FetchError>) -> Self {
        match result {
            Ok(response) => Rules::from_body(&response.body),
            Err(FetchError::Status { code, .. }) if (400..500).contains(&code) && code != 429 => {
                Rules::AllowAll
            }
            Err(FetchError::NotInArchive) => Rules::AllowAll,
            Err(FetchError::PrivateAddress(why)) => Rules::Refused(why),
            Err(FetchError::Timeout) => Rules::Unreached("timed out".into()),
            Err(FetchError::Network { message, .. }) => Rules::Unreached(message),
            Err(_) => Rules::Unreachable,
        }
    }

    /// The rules a robots.txt served with success states: its first [`MAX_ROBOTS_BYTES`]
    /// are read, and a file that cannot be parsed states none.
    pub fn from_body(body: &[u8]) -> Self {
        let body = &body[..body.len().min(MAX_ROBOTS_BYTES)];
        match Robot::new(PRODUCT_TOKEN, body) {
            Ok(robot) => Rules::Parsed(Box::new(robot)),
            Err(_) => Rules::AllowAll,
        }
    }

    /// Whether `url` may be fetched.
    ///
    /// # Errors
    /// [`FetchError::Robots`] when the file forbids it or could not be had, and the error
    /// the host gave when it could not be reached at all.
    pub fn check(&self, url: &Url) -> Result<(), FetchError> {
        match self {
            Rules::AllowAll => Ok(()),
            Rules::Unreachable => Err(FetchError::Robots(" (robots.txt unreachable)")),
            Rules::Unreached(why) => Err(FetchError::network(format!(
                "the host could not be reached: {why}"
            ))),
            Rules::Parsed(robot) if robot.allowed(url.as_str()) => Ok(()),
            Rules::Parsed(_) => Err(FetchError::Robots("")),
            Rules::Refused(why) => Err(FetchError::PrivateAddress(why.clone())),
        }
    }

    /// The sitemaps the file lists, absolute.
    pub fn sitemaps(&self, robots_url: &Url) -> Vec<Url> {
        match self {
            Rules::Parsed(robot) => robot
                .sitemaps
                .iter()
                .filter_map(|s| robots_url.join(s.trim()).ok())
                .filter(|u| matches!(u.scheme(), "http" | "https"))
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The `Crawl-delay` the file asks for, at most [`MAX_CRAWL_DELAY`].
    pub fn crawl_delay(&self) -> Option<Duration> {
        match self {
            Rules::Parsed(robot) => robot
                .delay
                .filter(|d| d.is_finite() && *d > 0.0)
                .map(|d| Duration::from_secs_f32(d.min(MAX_CRAWL_DELAY.as_secs_f32()))),
            _ => None,
        }
    }
}

/// One robots.txt per origin for the whole crawl; concurrent askers wait for the one fetch.
#[derive(Default)]
pub(super) struct RobotsCache {
    origins: Mutex<HashMap<String, Arc<OnceCell<Rules>>>>,
}

impl RobotsCache {
    /// The rules for `url`'s origin. `guarded` requests keep their own entry: a host refused
    /// to a link from the public web may still be a seed's.
    pub(super) async fn rules_for<F, Fut>(
        &self,
        url: &Url,
        guarded: bool,
        fetch: F,
    ) -> Arc<RulesRef>
    where
        F: FnOnce(Url) -> Fut,
        Fut: Future<Output = Result<Response, FetchError>>,
    {
        let origin = url.origin().ascii_serialization();
        let cell = {
            let mut origins = self
                .origins
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            origins
                .entry(format!("{guarded} {origin}"))
                .or_default()
                .clone()
        };
        let robots_url = Url::parse(&format!("{origin}/robots.txt"));
        cell.get_or_init(|| async move {
            match robots_url {
                Ok(robots_url) => Rules::from_fetch(fetch(robots_url).await),
                Err(_) => Rules::AllowAll,
            }
        })
        .await;
        Arc::new(RulesRef(cell))
    }
}

/// A handle on a host's settled rules.
pub(super) struct RulesRef(Arc<OnceCell<Rules>>);

impl std::ops::Deref for RulesRef {
    type Target = Rules;
    fn deref(&self) -> &Rules {
        self.0.get().expect("initialised before the handle is made")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;

    fn response(body: &str) -> Result<Response, FetchError> {
        Ok(Response {
            url: Url::parse("https://cnes.fr/robots.txt").unwrap(),
            status: 200,
            headers: vec![],
            body: Bytes::from(body.to_string()),
            remote: None,
            lease: crate::fetch::Lease::default(),
        })
    }

    fn url(path: &str) -> Url {
        Url::parse("https://cnes.fr").unwrap().join(path).unwrap()
    }

    #[test]
    fn parsed_rules_match_our_product_token() {
        let rules = Rules::from_fetch(response(
            "User-agent: *\nDisallow: /\n\nUser-agent: archive\nDisallow: /private\nCrawl-delay: 2\n",
        ));
        assert!(rules.check(&url("/en/press")).is_ok());
        assert!(matches!(
            rules.check(&url("/private/x")),
            Err(FetchError::Robots(_))
        ));
        assert_eq!(rules.crawl_delay(), Some(Duration::from_secs(2)));
    }

    #[test]
    fn status_decides_when_there_is_no_file() {
        let status = |code| {
            Err(FetchError::Status {
                code,
                retry_after: None,
            })
        };
        assert!(Rules::from_fetch(status(404)).check(&url("/a")).is_ok());
        assert!(Rules::from_fetch(status(503)).check(&url("/a")).is_err());
        assert!(Rules::from_fetch(status(429)).check(&url("/a")).is_err());
        assert!(matches!(
            Rules::from_fetch(status(503)).check(&url("/a")),
            Err(FetchError::Robots(_))
        ));
    }

    #[test]
    fn an_unreachable_host_is_reported_as_unreachable_not_as_refused() {
        for failed in [FetchError::Timeout, FetchError::network("dns error")] {
            let checked = Rules::from_fetch(Err(failed)).check(&url("/a"));
            assert!(
                matches!(&checked, Err(e) if e.kind() == crate::failure::FailureKind::Network),
                "{checked:?}"
            );
        }
    }

    #[test]
    fn crawl_delay_is_capped() {
        let rules = Rules::from_fetch(response("User-agent: *\nCrawl-delay: 86400\n"));
        assert_eq!(rules.crawl_delay(), Some(MAX_CRAWL_DELAY));
    }
}

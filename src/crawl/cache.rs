//! HTTP caching rules (RFC 9111) for recrawls, through the `http-cache-semantics` crate: a
//! page whose server said it stays fresh is not requested again; a stale one is asked for
//! with its validators (`If-None-Match`, `If-Modified-Since`).
//!
//! Freshness is taken only from what servers state (`max-age`, `Expires`), never guessed
//! from a page's age: a campaign page that changed yesterday must not be skipped today.

use http_cache_semantics::{AfterResponse, BeforeRequest, CacheOptions, CachePolicy};
use std::time::SystemTime;
use url::Url;

use crate::fetch::{Response, USER_AGENT, Validators};

const OPTIONS: CacheOptions = CacheOptions {
    // One user's crawler, not a shared proxy.
    shared: false,
    cache_heuristic: 0.0,
    immutable_min_time_to_live: std::time::Duration::from_secs(24 * 3600),
    ignore_cargo_cult: false,
};

/// What to do about a page read before.
pub(super) enum Plan {
    /// The server said it would not change before now: do not ask.
    Fresh,
    /// Ask, with these validators if any.
    Ask(Option<Validators>),
}

/// Decides whether to ask for `url` again, from the policy stored with it.
pub(super) fn plan(url: &Url, stored: Option<&CachePolicy>) -> Plan {
    let Some(policy) = stored else {
        return Plan::Ask(None);
    };
    let Some(request) = request(url) else {
        return Plan::Ask(None);
    };
    match policy.before_request(&request, SystemTime::now()) {
        BeforeRequest::Fresh(_) => Plan::Fresh,
        BeforeRequest::Stale { request, .. } => {
            let header = |name| {
                request
                    .headers
                    .get(name)
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_string)
            };
            let validators = Validators {
                etag: header(http::header::IF_NONE_MATCH),
                last_modified: header(http::header::IF_MODIFIED_SINCE),
            };
            Plan::Ask((!validators.is_empty()).then_some(validators))
        }
    }
}

/// The policy to store after a full answer; `None` when the server forbids storing.
pub(super) fn after_full(url: &Url, response: &Response) -> Option<CachePolicy> {
    let policy = CachePolicy::new_options(
        &request(url)?,
        &as_http(response)?,
        SystemTime::now(),
        OPTIONS,
    );
    policy.is_storable().then_some(policy)
}

/// The policy to store after a 304, refreshed by its headers.
pub(super) fn after_unchanged(url: &Url, stored: &CachePolicy, response: &Response) -> CachePolicy {
    let (Some(request), Some(answer)) = (request(url), as_http(response)) else {
        return stored.clone();
    };
    match stored.after_response(&request, &answer, SystemTime::now()) {
        AfterResponse::NotModified(policy, _) | AfterResponse::Modified(policy, _) => policy,
    }
}

fn request(url: &Url) -> Option<http::Request<()>> {
    http::Request::get(url.as_str())
        .header(http::header::USER_AGENT, USER_AGENT)
        .body(())
        .ok()
}

fn as_http(response: &Response) -> Option<http::Response<()>> {
    let mut answer = http::Response::builder().status(response.status);
    for (name, value) in &response.headers {
        answer = answer.header(name.as_str(), value.as_str());
    }
    answer.body(()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;

    fn response(headers: &[(&str, &str)]) -> Response {
        Response {
            url: Url::parse("https://cnes.fr/pr").unwrap(),
            status: 200,
            headers: headers
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            body: Bytes::new(),
            remote: None,
            lease: crate::fetch::Lease::default(),
        }
    }

    fn url() -> Url {
        Url::parse("https://cnes.fr/pr").unwrap()
    }

    #[test]
    fn a_page_fresh_by_max_age_is_not_asked_for() {
        let policy = after_full(&url(), &response(&[("Cache-Control", "max-age=3600")])).unwrap();
        assert!(matches!(plan(&url(), Some(&policy)), Plan::Fresh));
    }

    #[test]
    fn a_stale_page_is_asked_for_with_its_validators() {
        let answer = response(&[
            ("ETag", "\"v1\""),
            ("Last-Modified", "Wed, 19 Dec 2018 10:00:00 GMT"),
        ]);
        let policy = after_full(&url(), &answer).unwrap();
        let Plan::Ask(Some(validators)) = plan(&url(), Some(&policy)) else {
            panic!("expected a conditional request");
        };
        assert_eq!(validators.etag.as_deref(), Some("\"v1\""));
        assert_eq!(
            validators.last_modified.as_deref(),
            Some("Wed, 19 Dec 2018 10:00:00 GMT")
        );
    }

    #[test]
    fn age_alone_does_not_make_a_page_fresh() {
        let answer = response(&[("Last-Modified", "Wed, 19 Dec 2018 10:00:00 GMT")]);
        let policy = after_full(&url(), &answer).unwrap();
        assert!(matches!(plan(&url(), Some(&policy)), Plan::Ask(Some(_))));
    }

    #[test]
    fn no_store_is_not_stored() {
        assert!(after_full(&url(), &response(&[("Cache-Control", "no-store")])).is_none());
    }
}

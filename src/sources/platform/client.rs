//! One JSON API called politely: through the crawl's fetcher as an API call, within the
//! API's budget, with its errors read from the body whatever the status (MediaWiki and
//! others say no inside an HTTP 200), and its momentary refusals (`maxlag`, a rate limit)
//! retried after the wait the server asks for.

use std::time::Duration;

use serde_json::Value;
use url::Url;

use super::{ApiError, json_body, masked};
use crate::fetch::{Fetcher, Response, full_jitter};
use crate::sources::budget::{Budget, BudgetLimits};

/// How an API says no, and which refusals pass by themselves.
#[derive(Clone, Copy)]
pub struct Rules {
    /// The API's error in a body, as (reason, message), if the body is one.
    pub error: fn(&Value) -> Option<(String, String)>,
    /// Whether a reason is momentary (`maxlag`, `rate_limit_exceeded`): worth a retry.
    pub momentary: fn(&str) -> bool,
    /// How long to wait before retrying a momentary refusal when the server does not say
    /// (`Retry-After`).
    pub wait: Duration,
    /// Retries of momentary refusals.
    pub retries: u32,
}

/// A JSON API and its manners.
pub struct JsonApi {
    name: &'static str,
    fetcher: Fetcher,
    budget: Budget,
    headers: Vec<(&'static str, String)>,
    secret: Option<String>,
    rules: Rules,
    /// One call at a time, when the API asks for serial requests (MediaWiki).
    serial: Option<tokio::sync::Semaphore>,
}

impl JsonApi {
    /// The API called `name`, through `fetcher`, within `limits`.
    pub fn new(name: &'static str, fetcher: Fetcher, limits: BudgetLimits, rules: Rules) -> Self {
        JsonApi {
            name,
            fetcher,
            budget: Budget::new(name, limits),
            headers: Vec::new(),
            secret: None,
            rules,
            serial: None,
        }
    }

    /// Makes one call at a time, whatever the crawl's concurrency.
    #[must_use]
    pub fn serial(mut self) -> Self {
        self.serial = Some(tokio::sync::Semaphore::new(1));
        self
    }

    /// Sends this header with every call (`Authorization`, a `User-Agent` the API's policy
    /// asks for).
    #[must_use]
    pub fn with_header(mut self, name: &'static str, value: String) -> Self {
        self.headers.push((name, value));
        self
    }

    /// A secret (a token in a URL or header) masked in every error.
    #[must_use]
    pub fn with_secret(mut self, secret: Option<String>) -> Self {
        self.secret = secret.filter(|s| !s.is_empty());
        self
    }

    /// Calls made so far.
    pub fn calls(&self) -> u64 {
        self.budget.spent()
    }

    /// Whether the budget ran out and calls had to slow down.
    pub fn slowed_down(&self) -> bool {
        self.budget.slowed_down()
    }

    /// The API's name.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// Calls `url`; `what` names the call in errors.
    ///
    /// # Errors
    /// [`ApiError::Refused`] with the API's reason, [`ApiError::Malformed`] for a body that
    /// is not JSON, [`ApiError::Fetch`] when the request failed.
    pub async fn get(&self, url: &Url, what: &str) -> Result<Value, ApiError> {
        let _turn = match &self.serial {
            Some(one) => Some(one.acquire().await.expect("never closed")),
            None => None,
        };
        let mut tries = 0;
        loop {
            self.budget.take().await;
            let response = self.fetcher.call_api(url, &self.headers).await;
            let response = response.map_err(|error| ApiError::Fetch {
                api: self.name,
                what: what.to_string(),
                error: Box::new(masked(error, self.secret.as_deref(), "<secret>")),
            })?;
            match self.judge(&response, what) {
                Err(error) if self.is_momentary(&error) && tries < self.rules.retries => {
                    let wait = self.wait(&response, tries);
                    tracing::debug!("{}: {error}; retrying in {wait:?}", self.name);
                    tokio::time::sleep(wait).await;
                    tries += 1;
                }
                result => return result,
            }
        }
    }

    fn judge(&self, response: &Response, what: &str) -> Result<Value, ApiError> {
        let answer = json_body(self.name, what, response);
        let refused = |reason: String, message: String| ApiError::Refused {
            api: self.name,
            what: what.to_string(),
            status: response.status,
            reason,
            message,
        };
        match answer {
            Ok(answer) => match (self.rules.error)(&answer) {
                Some((reason, message)) => Err(refused(reason, message)),
                None if response.status >= 400 => {
                    Err(refused(String::new(), format!("HTTP {}", response.status)))
                }
                None => Ok(answer),
            },
            Err(_) if response.status >= 400 => {
                Err(refused(String::new(), format!("HTTP {}", response.status)))
            }
            Err(error) => Err(error),
        }
    }

    fn is_momentary(&self, error: &ApiError) -> bool {
        error.reason().is_some_and(self.rules.momentary)
    }

    /// What the server asked for (`Retry-After`, in seconds), else the API's own wait with
    /// jitter; never more than a minute.
    fn wait(&self, response: &Response, tries: u32) -> Duration {
        let asked = response
            .header("retry-after")
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        asked
            .unwrap_or_else(|| {
                self.rules.wait + full_jitter(self.rules.wait, Duration::from_secs(30), tries)
            })
            .min(Duration::from_secs(60))
    }
}

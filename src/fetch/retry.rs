//! Retrying transient failures: exponential backoff with full jitter, honouring `Retry-After`.

use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use super::{FetchConfig, FetchError, Response};

/// The time one URL's requests and waits have taken so far, its turns at the host's gate
/// left out (a busy host's queue is not the URL's fault).
#[derive(Debug, Default)]
pub(super) struct Spent(AtomicU64);

impl Spent {
    pub(super) fn add(&self, time: Duration) {
        let millis = u64::try_from(time.as_millis()).unwrap_or(u64::MAX);
        self.0.fetch_add(millis, Ordering::Relaxed);
    }

    fn total(&self) -> Duration {
        Duration::from_millis(self.0.load(Ordering::Relaxed))
    }
}

/// Runs `attempt` until it succeeds, fails for good, or retries run out. A retry is made
/// only if it can end within the URL's budget ([`FetchConfig::url_budget`]): a server that
/// never answers costs one timeout, not four.
pub(super) async fn with_retries<T, F, Fut>(
    config: &FetchConfig,
    spent: &Spent,
    mut attempt: F,
) -> Result<T, FetchError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, FetchError>>,
{
    let mut tries = 0;
    loop {
        match attempt().await {
            Err(error) if worth_retrying(config, &error) && tries < config.retries => {
                let wait = wait_before_retry(config, tries, &error);
                let next = match error {
                    FetchError::Timeout => config.total_timeout,
                    _ => Duration::ZERO,
                };
                if spent.total() + wait + next > config.url_budget {
                    return Err(error);
                }
                tracing::debug!("retrying in {wait:?} after: {error}");
                tokio::time::sleep(wait).await;
                spent.add(wait);
                tries += 1;
            }
            result => return result,
        }
    }
}

/// Whether a failure may go away if asked again soon. A server that asks to be asked
/// again only after longer than the longest wait is not asked again in this crawl.
fn worth_retrying(config: &FetchConfig, error: &FetchError) -> bool {
    match error {
        FetchError::Status {
            retry_after: Some(asked),
            ..
        } if *asked > config.max_backoff => false,
        other => other.is_retryable(),
    }
}

/// Full jitter (a random wait up to the exponential step), but never less than what the server
/// asked for, and never more than the cap.
pub(crate) fn wait_before_retry(config: &FetchConfig, tries: u32, error: &FetchError) -> Duration {
    let jittered = full_jitter(config.backoff, config.max_backoff, tries);
    let asked = match error {
        FetchError::Status { retry_after, .. } => retry_after.unwrap_or_default(),
        _ => Duration::ZERO,
    };
    jittered.max(asked).min(config.max_backoff)
}

/// Exponential backoff with full jitter: a random wait up to `first` doubled `tries` times,
/// never above `cap`. Random, so that many clients that failed together do not retry
/// together.
pub fn full_jitter(first: Duration, cap: Duration, tries: u32) -> Duration {
    let step = first.saturating_mul(2u32.saturating_pow(tries)).min(cap);
    step.mul_f64(fastrand::f64())
}

/// The error for a non-success response, with its `Retry-After` read.
pub(super) fn status_error(response: &Response) -> FetchError {
    FetchError::Status {
        code: response.status,
        retry_after: response.header("retry-after").and_then(parse_retry_after),
    }
}

/// `Retry-After` is either seconds or an HTTP date (RFC 9110 §10.2.3).
pub(crate) fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let wait = when.signed_duration_since(chrono::Utc::now());
    Some(wait.to_std().unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        assert_eq!(parse_retry_after(" 120 "), Some(Duration::from_secs(120)));
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO),
            "a date in the past means now"
        );
        let later = (chrono::Utc::now() + chrono::Duration::seconds(30)).to_rfc2822();
        let wait = parse_retry_after(&later).unwrap();
        assert!(wait > Duration::from_secs(25) && wait <= Duration::from_secs(30));
        assert_eq!(parse_retry_after("soon"), None);
    }

    #[test]
    fn wait_honours_retry_after_within_the_cap() {
        let config = FetchConfig::default();
        let asked = FetchError::Status {
            code: 429,
            retry_after: Some(Duration::from_secs(7)),
        };
        assert!(wait_before_retry(&config, 0, &asked) >= Duration::from_secs(7));
        let greedy = FetchError::Status {
            code: 503,
            retry_after: Some(Duration::from_secs(86_400)),
        };
        assert_eq!(wait_before_retry(&config, 0, &greedy), config.max_backoff);
    }

    #[test]
    fn backoff_grows_but_stays_under_the_cap() {
        let config = FetchConfig::default();
        for tries in 0..20 {
            let wait = wait_before_retry(&config, tries, &FetchError::Timeout);
            assert!(wait <= config.max_backoff);
            assert!(wait <= config.backoff * 2u32.saturating_pow(tries));
        }
    }
}

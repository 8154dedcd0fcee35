//! Per-host pacing: a few requests in flight to one host, and a minimum gap between starts.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;
use url::Url;

use crate::urls::host_key;

pub(super) struct Gates {
    per_host: usize,
    delay: Duration,
    hosts: Mutex<HashMap<String, Arc<Gate>>>,
}

struct Gate {
    slots: Arc<Semaphore>,
    schedule: Mutex<Schedule>,
    /// Requests waiting for a slot or for their start time.
    waiting: AtomicUsize,
}

struct Schedule {
    next_start: Instant,
    /// The gap between starts now.
    delay: Duration,
    /// The gap to come back to once the host recovers: the configured one, or robots.txt's
    /// `Crawl-delay` if longer.
    base: Duration,
}

/// The least a throttled host is slowed to, even from a configured delay of zero.
const THROTTLED_DELAY: Duration = Duration::from_secs(1);

/// Counts a request as waiting until it gets its turn, even if it is abandoned.
struct Waiting<'a>(&'a AtomicUsize);

impl<'a> Waiting<'a> {
    fn start(count: &'a AtomicUsize) -> Self {
        count.fetch_add(1, Ordering::Relaxed);
        Waiting(count)
    }
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

/// Held while a request to a host is in flight.
pub(super) struct Pass {
    _slot: OwnedSemaphorePermit,
}

impl Gates {
    pub(super) fn new(per_host: usize, delay: Duration) -> Self {
        Gates {
            per_host,
            delay,
            hosts: Mutex::new(HashMap::new()),
        }
    }

    fn gate(&self, url: &Url) -> Arc<Gate> {
        let mut hosts = self
            .hosts
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        hosts
            .entry(host_key(url))
            .or_insert_with(|| {
                Arc::new(Gate {
                    waiting: AtomicUsize::new(0),
                    slots: Arc::new(Semaphore::new(self.per_host)),
                    schedule: Mutex::new(Schedule {
                        next_start: Instant::now(),
                        delay: self.delay,
                        base: self.delay,
                    }),
                })
            })
            .clone()
    }

    /// Waits for a free slot on the host, then for the host's next start time.
    pub(super) async fn enter(&self, url: &Url) -> Pass {
        let gate = self.gate(url);
        let _waiting = Waiting::start(&gate.waiting);
        Self::wait_for(&gate).await
    }

    /// The hosts that have requests waiting for their turn, most waiting first.
    pub(super) fn waiting_hosts(&self) -> Vec<(String, usize)> {
        let hosts = self
            .hosts
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut waiting: Vec<(String, usize)> = hosts
            .iter()
            .map(|(host, gate)| (host.clone(), gate.waiting.load(Ordering::Relaxed)))
            .filter(|(_, n)| *n > 0)
            .collect();
        waiting.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        waiting
    }

    async fn wait_for(gate: &Gate) -> Pass {
        let slot = gate
            .slots
            .clone()
            .acquire_owned()
            .await
            .expect("semaphore never closed");
        let start = {
            let mut schedule = gate
                .schedule
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            let start = schedule.next_start.max(Instant::now());
            schedule.next_start = start + schedule.delay;
            start
        };
        tokio::time::sleep_until(start).await;
        Pass { _slot: slot }
    }

    /// Raises the host's minimum gap to `delay` (robots.txt `Crawl-delay`); never lowers it.
    pub(super) fn slow_down(&self, url: &Url, delay: Duration) {
        self.with_schedule(url, |schedule| {
            schedule.base = schedule.base.max(delay);
            schedule.delay = schedule.delay.max(delay);
        });
    }

    /// The host said it is overloaded: double its gap (up to `cap`), and start nothing
    /// before the time it asked for, nor before the new gap has passed.
    pub(super) fn throttle(&self, url: &Url, retry_after: Option<Duration>, cap: Duration) {
        self.with_schedule(url, |schedule| {
            schedule.delay = (schedule.delay * 2).max(THROTTLED_DELAY).min(cap);
            let wait = retry_after.unwrap_or_default().max(schedule.delay).min(cap);
            schedule.next_start = schedule.next_start.max(Instant::now() + wait);
        });
    }

    /// The host answered well: shorten its gap by a quarter, down to its base.
    pub(super) fn recover(&self, url: &Url) {
        self.with_schedule(url, |schedule| {
            schedule.delay = (schedule.delay * 3 / 4).max(schedule.base);
        });
    }

    fn with_schedule(&self, url: &Url, change: impl FnOnce(&mut Schedule)) {
        let gate = self.gate(url);
        let mut schedule = gate
            .schedule
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        change(&mut schedule);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// How long one request waits at the gate before it may start.
    async fn wait_to_enter(gates: &Gates, url: &Url) -> Duration {
        let before = Instant::now();
        drop(gates.enter(url).await);
        before.elapsed()
    }

    #[tokio::test(start_paused = true)]
    async fn starts_to_one_host_are_spaced_by_the_delay() {
        let gates = Gates::new(4, Duration::from_millis(250));
        let url = Url::parse("https://cnes.fr/a").unwrap();
        let begin = Instant::now();
        let mut passes = Vec::new();
        for _ in 0..3 {
            passes.push(gates.enter(&url).await);
        }
        assert_eq!(begin.elapsed(), Duration::from_millis(500));
        let other = Url::parse("https://flickr.com/a").unwrap();
        let before = Instant::now();
        let _pass = gates.enter(&other).await;
        assert_eq!(
            before.elapsed(),
            Duration::ZERO,
            "another host is not held up"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_throttled_host_waits_as_asked_then_recovers_slowly() {
        let gates = Gates::new(1, Duration::from_millis(250));
        let url = Url::parse("https://cnes.fr/a").unwrap();
        drop(gates.enter(&url).await);
        gates.throttle(&url, Some(Duration::from_secs(5)), Duration::from_secs(60));
        assert_eq!(
            wait_to_enter(&gates, &url).await,
            Duration::from_secs(5),
            "Retry-After is honoured"
        );
        assert_eq!(
            wait_to_enter(&gates, &url).await,
            Duration::from_secs(1),
            "the gap grew to 1 s"
        );
        gates.throttle(&url, None, Duration::from_secs(60));
        assert_eq!(
            wait_to_enter(&gates, &url).await,
            Duration::from_secs(2),
            "without Retry-After, the new gap"
        );
        gates.recover(&url);
        drop(gates.enter(&url).await);
        assert_eq!(
            wait_to_enter(&gates, &url).await,
            Duration::from_millis(1500),
            "and shrinks back slowly"
        );
        for _ in 0..20 {
            gates.recover(&url);
        }
        drop(gates.enter(&url).await);
        assert_eq!(
            wait_to_enter(&gates, &url).await,
            Duration::from_millis(250),
            "never below the base"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn slow_down_only_raises_the_delay() {
        let gates = Gates::new(1, Duration::from_secs(1));
        let url = Url::parse("https://cnes.fr/a").unwrap();
        gates.slow_down(&url, Duration::from_millis(10));
        drop(gates.enter(&url).await);
        assert_eq!(wait_to_enter(&gates, &url).await, Duration::from_secs(1));
    }
}

//! Per-host pacing: a few requests in flight to one host, and a minimum gap between starts.

use std::collections::HashMap;
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
}

struct Schedule {
    next_start: Instant,
    delay: Duration,
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
                    slots: Arc::new(Semaphore::new(self.per_host)),
                    schedule: Mutex::new(Schedule {
                        next_start: Instant::now(),
                        delay: self.delay,
                    }),
                })
            })
            .clone()
    }

    /// Waits for a free slot on the host, then for the host's next start time.
    pub(super) async fn enter(&self, url: &Url) -> Pass {
        let gate = self.gate(url);
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
        let gate = self.gate(url);
        let mut schedule = gate
            .schedule
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        schedule.delay = schedule.delay.max(delay);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    async fn slow_down_only_raises_the_delay() {
        let gates = Gates::new(1, Duration::from_secs(1));
        let url = Url::parse("https://cnes.fr/a").unwrap();
        gates.slow_down(&url, Duration::from_millis(10));
        drop(gates.enter(&url).await);
        let before = Instant::now();
        drop(gates.enter(&url).await);
        assert_eq!(before.elapsed(), Duration::from_secs(1));
    }
}

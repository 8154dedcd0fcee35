//! Per-host pacing: a few requests in flight to one host, and a minimum gap between starts.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;
use url::Url;

use super::FetchError;
use crate::urls::host_key;

/// A duration as a person says it: `45 s`, `12 min`, `3 h`, `31 years`.
fn human(wait: Duration) -> String {
    let seconds = wait.as_secs();
    match seconds {
        0..120 => format!("{seconds} s"),
        120..7_200 => format!("{} min", seconds / 60),
        7_200..172_800 => format!("{} h", seconds / 3_600),
        172_800..63_072_000 => format!("{} days", seconds / 86_400),
        _ => format!("{} years", seconds / 31_557_600),
    }
}

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
    /// Overloaded answers (429, 503) since the host last answered well.
    overloads: AtomicUsize,
    /// Why the host is given up for this crawl, once it is.
    given_up: Mutex<Option<String>>,
    /// Wakes the requests waiting for their turn when the host is given up.
    abandoned: Notify,
}

struct Schedule {
    next_start: Instant,
    /// When the last request really started.
    last_start: Option<Instant>,
    /// The gap between starts now.
    delay: Duration,
    /// The gap to come back to once the host recovers: the configured one, or robots.txt's
    /// `Crawl-delay` if longer.
    base: Duration,
}

/// The least a throttled host is slowed to, even from a configured delay of zero.
const THROTTLED_DELAY: Duration = Duration::from_secs(1);

/// Overloaded answers in a row after which a host is given up for the crawl: it has said
/// "not now" often enough, and its remaining pages would each cost the longest wait.
const OVERLOADS_BEFORE_GIVING_UP: usize = 5;

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
                    overloads: AtomicUsize::new(0),
                    given_up: Mutex::new(None),
                    abandoned: Notify::new(),
                    slots: Arc::new(Semaphore::new(self.per_host)),
                    schedule: Mutex::new(Schedule {
                        next_start: Instant::now(),
                        last_start: None,
                        delay: self.delay,
                        base: self.delay,
                    }),
                })
            })
            .clone()
    }

    /// Waits for a free slot on the host, then for the host's next start time.
    ///
    /// # Errors
    /// [`FetchError::GivenUp`] once the host asked to be left alone, at once, whatever the
    /// requests' places in the queue.
    pub(super) async fn enter(&self, url: &Url) -> Result<Pass, FetchError> {
        let gate = self.gate(url);
        let given_up = || Self::refusal(&gate, url);
        if let Some(refused) = given_up() {
            return Err(refused);
        }
        let _waiting = Waiting::start(&gate.waiting);
        let abandoned = gate.abandoned.notified();
        tokio::select! {
            pass = Self::wait_for(&gate) => given_up().map_or(Ok(pass), Err),
            () = abandoned => Err(given_up().unwrap_or_else(|| FetchError::GivenUp {
                host: host_key(url),
                why: "given up".into(),
            })),
        }
    }

    fn refusal(gate: &Gate, url: &Url) -> Option<FetchError> {
        let why = gate
            .given_up
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()?;
        Some(FetchError::GivenUp {
            host: host_key(url),
            why,
        })
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
        let mut start = start;
        loop {
            // The timer rounds a deadline up to its next millisecond tick: a start already
            // due would still wait up to a millisecond, which at `--delay 0` is most of a
            // loopback request's time.
            if start > Instant::now() {
                tokio::time::sleep_until(start).await;
            }
            // On a busy machine a request may wake late, and the next one on time: each
            // keeps its distance from the last real start, not from the planned one.
            let mut schedule = gate
                .schedule
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            let now = Instant::now();
            let earliest = schedule
                .last_start
                .map_or(now, |last| last + schedule.delay);
            if now >= earliest {
                schedule.last_start = Some(now);
                schedule.next_start = schedule.next_start.max(now + schedule.delay);
                return Pass { _slot: slot };
            }
            start = earliest;
        }
    }

    /// Raises the host's minimum gap to `delay` (robots.txt `Crawl-delay`); never lowers it.
    pub(super) fn slow_down(&self, url: &Url, delay: Duration) {
        self.with_schedule(url, |schedule| {
            schedule.base = schedule.base.max(delay);
            schedule.delay = schedule.delay.max(delay);
        });
    }

    /// The host said it is overloaded: double its gap (up to `cap`), and start nothing
    /// before the time it asked for, nor before the new gap has passed. A host that asks
    /// for more than `cap`, or says so again and again, is given up for this crawl.
    pub(super) fn throttle(&self, url: &Url, retry_after: Option<Duration>, cap: Duration) {
        let gate = self.gate(url);
        let overloads = gate.overloads.fetch_add(1, Ordering::Relaxed) + 1;
        match retry_after {
            Some(asked) if asked > cap => {
                let why = format!("it asked to come back in {}", human(asked));
                return Self::give_up(&gate, why);
            }
            _ if overloads >= OVERLOADS_BEFORE_GIVING_UP => {
                let why = format!("it answered 429 or 503 {overloads} times in a row");
                return Self::give_up(&gate, why);
            }
            _ => {}
        }
        self.with_schedule(url, |schedule| {
            schedule.delay = (schedule.delay * 2).max(THROTTLED_DELAY).min(cap);
            let wait = retry_after.unwrap_or_default().max(schedule.delay).min(cap);
            schedule.next_start = schedule.next_start.max(Instant::now() + wait);
        });
    }

    fn give_up(gate: &Gate, why: String) {
        let mut given_up = gate
            .given_up
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        given_up.get_or_insert(why);
        gate.abandoned.notify_waiters();
    }

    /// The host answered well: shorten its gap by a quarter, down to its base.
    pub(super) fn recover(&self, url: &Url) {
        self.gate(url).overloads.store(0, Ordering::Relaxed);
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

    #[tokio::test(start_paused = true)]
    async fn a_host_asking_for_more_than_the_longest_wait_is_given_up_at_once() {
        let gates = Arc::new(Gates::new(1, Duration::from_secs(10)));
        let url = Url::parse("https://cnes.fr/a").unwrap();
        let first = gates.enter(&url).await.unwrap();
        let queued = {
            let (gates, url) = (gates.clone(), url.clone());
            tokio::spawn(async move { gates.enter(&url).await.map(drop) })
        };
        tokio::task::yield_now().await;
        let asked = Duration::from_secs(1_000_000_000);
        gates.throttle(&url, Some(asked), Duration::from_secs(60));
        drop(first);
        let before = Instant::now();
        let refused = queued.await.unwrap().unwrap_err();
        assert_eq!(
            before.elapsed(),
            Duration::ZERO,
            "the queue is not waited out"
        );
        assert!(refused.to_string().contains("31 years"), "{refused}");
        assert!(gates.enter(&url).await.is_err(), "and it stays given up");
        let other = Url::parse("https://flickr.com/a").unwrap();
        assert!(gates.enter(&other).await.is_ok(), "other hosts are not");
    }

    #[tokio::test(start_paused = true)]
    async fn a_host_overloaded_again_and_again_is_given_up_but_one_good_answer_resets_it() {
        let gates = Gates::new(1, Duration::ZERO);
        let url = Url::parse("https://cnes.fr/a").unwrap();
        let cap = Duration::from_secs(60);
        for _ in 1..OVERLOADS_BEFORE_GIVING_UP {
            gates.throttle(&url, None, cap);
        }
        gates.recover(&url);
        gates.throttle(&url, None, cap);
        assert!(gates.enter(&url).await.is_ok());
        for _ in 1..OVERLOADS_BEFORE_GIVING_UP {
            gates.throttle(&url, None, cap);
        }
        assert!(gates.enter(&url).await.is_err());
    }
}

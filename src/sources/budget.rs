//! An API's call budget, shared by every source that calls a documented API: calls to an
//! API skip the per-host pacing of pages (its terms replace robots.txt), so each API keeps
//! its own limits here.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;
use tokio::time::Instant;

/// How many calls an API takes: so many per window, and at least so long between two.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BudgetLimits {
    /// Calls allowed per `window`, across the whole run (Flickr: 3,600 an hour).
    pub calls_per_window: usize,
    /// The window the budget counts over.
    pub window: Duration,
    /// The shortest time between the starts of two calls: APIs without a documented
    /// budget (Dailymotion, NASA, MediaWiki) get the pace a polite client keeps.
    pub min_gap: Duration,
}

impl BudgetLimits {
    /// So many calls a window, sent as fast as they come while under it.
    pub fn per_window(calls: usize, window: Duration) -> Self {
        BudgetLimits {
            calls_per_window: calls,
            window,
            min_gap: Duration::ZERO,
        }
    }

    /// The same, with at least `gap` between two calls.
    #[must_use]
    pub fn with_gap(mut self, gap: Duration) -> Self {
        self.min_gap = gap;
        self
    }
}

/// A budget of calls, shared by every clone of a client: calls go through at once while
/// fewer than the limit were made in the last window (and the gap since the last one has
/// passed); past that, each waits for the oldest to leave the window. A budget, not a pace:
/// a short crawl is not slowed down.
pub struct Budget {
    name: &'static str,
    limits: BudgetLimits,
    calls: Mutex<VecDeque<Instant>>,
    slowed: AtomicBool,
    spent: AtomicU64,
}

impl Budget {
    /// A budget for the API called `name` (for the log line when it runs out).
    pub fn new(name: &'static str, limits: BudgetLimits) -> Self {
        Budget {
            name,
            limits: BudgetLimits {
                calls_per_window: limits.calls_per_window.max(1),
                ..limits
            },
            calls: Mutex::new(VecDeque::new()),
            slowed: AtomicBool::new(false),
            spent: AtomicU64::new(0),
        }
    }

    /// Waits until one more call fits in the budget, and counts it.
    pub async fn take(&self) {
        loop {
            let wait = self.try_take();
            if wait.is_zero() {
                self.spent.fetch_add(1, Ordering::Relaxed);
                return;
            }
            tokio::time::sleep(wait).await;
        }
    }

    /// Takes a place now, or says how long to wait for one.
    fn try_take(&self) -> Duration {
        let mut calls = self.calls.lock().unwrap_or_else(PoisonError::into_inner);
        let now = Instant::now();
        let window = self.limits.window;
        while calls
            .front()
            .is_some_and(|&t| now.duration_since(t) >= window)
        {
            calls.pop_front();
        }
        let since_last = calls.back().map(|&t| now.duration_since(t));
        if let Some(since) = since_last.filter(|s| *s < self.limits.min_gap) {
            return self.limits.min_gap - since;
        }
        if calls.len() < self.limits.calls_per_window {
            calls.push_back(now);
            return Duration::ZERO;
        }
        if !self.slowed.swap(true, Ordering::Relaxed) {
            tracing::warn!(
                "{}'s budget of {} calls per {:?} is used up: slowing down to stay under it",
                self.name,
                self.limits.calls_per_window,
                window
            );
        }
        calls
            .front()
            .map_or(Duration::ZERO, |&t| {
                window.saturating_sub(now.duration_since(t))
            })
            .max(Duration::from_millis(1))
    }

    /// Whether this run used the budget up and had to slow down.
    pub fn slowed_down(&self) -> bool {
        self.slowed.load(Ordering::Relaxed)
    }

    /// Calls made through this budget so far.
    pub fn spent(&self) -> u64 {
        self.spent.load(Ordering::Relaxed)
    }

    /// The limits it keeps.
    pub fn limits(&self) -> &BudgetLimits {
        &self.limits
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn calls_go_at_once_under_the_budget_then_wait_for_the_window() {
        let budget = Budget::new("Test", BudgetLimits::per_window(2, Duration::from_secs(10)));
        let start = Instant::now();
        budget.take().await;
        budget.take().await;
        assert_eq!(start.elapsed(), Duration::ZERO);
        assert!(!budget.slowed_down());
        budget.take().await;
        assert!(start.elapsed() >= Duration::from_secs(10));
        assert!(budget.slowed_down());
        assert_eq!(budget.spent(), 3);
    }

    #[tokio::test(start_paused = true)]
    async fn a_gap_spaces_calls_without_counting_as_slowing_down() {
        let limits = BudgetLimits::per_window(100, Duration::from_secs(60))
            .with_gap(Duration::from_millis(200));
        let budget = Budget::new("Test", limits);
        let start = Instant::now();
        for _ in 0..3 {
            budget.take().await;
        }
        assert!(start.elapsed() >= Duration::from_millis(400));
        assert!(!budget.slowed_down());
    }
}

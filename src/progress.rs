//! Progress on stderr while a crawl runs, only when stderr is a terminal and not `--quiet`.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::Once;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use archive::crawl::Observer;
use archive::fetch::Fetcher;

/// A spinner line: links read and queued, requests and API calls sent, items found and how
/// fast, and the hosts the crawl is waiting on (politeness made visible). Once a source says
/// how many items it will give (an album's photo count), it becomes a bar with an ETA.
pub(crate) struct Progress {
    bar: Option<ProgressBar>,
    fetcher: Fetcher,
    started_at: Instant,
    started: AtomicUsize,
    finished: AtomicUsize,
    items: AtomicUsize,
    expected: AtomicU64,
    determinate: Once,
}

/// The bar once the number of items to come is known.
const BAR: &str = "{elapsed:>3} [{bar:24}] {pos}/{len} items · ETA {eta} · {wide_msg}";

impl Progress {
    /// A spinner on stderr, or nothing when stderr is not a terminal (logs, pipes, CI).
    pub(crate) fn new(enabled: bool, fetcher: Fetcher) -> Self {
        let bar = (enabled && std::io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template("{spinner} {elapsed:>3} {wide_msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        });
        Progress {
            bar,
            fetcher,
            started_at: Instant::now(),
            started: AtomicUsize::new(0),
            finished: AtomicUsize::new(0),
            items: AtomicUsize::new(0),
            expected: AtomicU64::new(0),
            determinate: Once::new(),
        }
    }

    fn redraw(&self) {
        let Some(bar) = &self.bar else { return };
        let done = self.finished.load(Ordering::Relaxed);
        let queued = self.started.load(Ordering::Relaxed).saturating_sub(done);
        let items = self.items.load(Ordering::Relaxed);
        let rate = items as f64 / self.started_at.elapsed().as_secs_f64().max(0.001);
        let activity = self.fetcher.activity();
        let expected = self.expected.load(Ordering::Relaxed);
        let mut message = format!(
            "{done} read, {queued} queued · {} requests, {} API calls · {items} items ({rate:.0}/s)",
            activity.pages, activity.api_calls
        );
        if expected > 0 {
            let items = items as u64;
            bar.set_length(expected.max(items));
            bar.set_position(items);
        }
        if !activity.waiting_on.is_empty() {
            let hosts: Vec<String> = activity
                .waiting_on
                .iter()
                .take(3)
                .map(|(host, n)| format!("{host} ({n})"))
                .collect();
            message.push_str(&format!(" · pacing {}", hosts.join(", ")));
        }
        bar.set_message(message);
    }

    /// Removes the spinner before the summary is printed.
    pub(crate) fn clear(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl Observer for Progress {
    fn started(&self, _what: &str) {
        self.started.fetch_add(1, Ordering::Relaxed);
        self.redraw();
    }

    fn finished(&self, _what: &str) {
        self.finished.fetch_add(1, Ordering::Relaxed);
        self.redraw();
    }

    fn found(&self, items: usize) {
        self.items.fetch_add(items, Ordering::Relaxed);
        self.redraw();
    }

    fn expect(&self, items: u64) {
        self.expected.fetch_add(items, Ordering::Relaxed);
        if let Some(bar) = &self.bar {
            self.determinate.call_once(|| {
                if let Ok(style) = ProgressStyle::with_template(BAR) {
                    bar.set_style(style.progress_chars("=> "));
                }
            });
        }
        self.redraw();
    }
}

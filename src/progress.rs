//! Progress on stderr while a crawl runs, only when stderr is a terminal.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use archive::crawl::Observer;

/// A spinner that counts pages read and items found.
pub(crate) struct Progress {
    bar: Option<ProgressBar>,
    started: AtomicUsize,
    finished: AtomicUsize,
    items: AtomicUsize,
}

impl Progress {
    /// A spinner on stderr, or nothing when stderr is not a terminal (logs, pipes, CI).
    pub(crate) fn new(enabled: bool) -> Self {
        let bar = (enabled && std::io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template("{spinner} {elapsed:>3} {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        });
        Progress {
            bar,
            started: AtomicUsize::new(0),
            finished: AtomicUsize::new(0),
            items: AtomicUsize::new(0),
        }
    }

    fn redraw(&self, current: &str) {
        if let Some(bar) = &self.bar {
            let done = self.finished.load(Ordering::Relaxed);
            let total = self.started.load(Ordering::Relaxed).max(done);
            let items = self.items.load(Ordering::Relaxed);
            bar.set_message(format!("{done}/{total} pages · {items} items · {current}"));
        }
    }

    /// Removes the spinner before the summary is printed.
    pub(crate) fn clear(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl Observer for Progress {
    fn started(&self, what: &str) {
        self.started.fetch_add(1, Ordering::Relaxed);
        self.redraw(what);
    }

    fn finished(&self, what: &str) {
        self.finished.fetch_add(1, Ordering::Relaxed);
        self.redraw(what);
    }

    fn found(&self, items: usize) {
        self.items.fetch_add(items, Ordering::Relaxed);
        self.redraw("");
    }
}

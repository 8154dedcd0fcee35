//! Progress on stderr while files download, only when stderr is a terminal and not
//! `--quiet`: files done of all, bytes received, the rate, and the time left.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use archive::download::{Entry, Observer, Status};

use super::download::human;

const BAR: &str = "{elapsed:>3} [{bar:24}] {pos}/{len} files · ETA {eta} · {wide_msg}";

/// A bar over the files, its message the bytes and the rate.
pub(crate) struct DownloadProgress {
    bar: Option<ProgressBar>,
    started: Instant,
    bytes: AtomicU64,
}

impl DownloadProgress {
    /// A bar on stderr, or nothing when stderr is not a terminal.
    pub(crate) fn new(enabled: bool) -> Self {
        let bar = (enabled && std::io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
            if let Ok(style) = ProgressStyle::with_template(BAR) {
                bar.set_style(style.progress_chars("=> "));
            }
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        });
        DownloadProgress {
            bar,
            started: Instant::now(),
            bytes: AtomicU64::new(0),
        }
    }

    /// Removes the bar before the summary is printed.
    pub(crate) fn clear(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }

    fn redraw(&self) {
        let Some(bar) = &self.bar else { return };
        let bytes = self.bytes.load(Ordering::Relaxed);
        let rate = bytes as f64 / self.started.elapsed().as_secs_f64().max(0.001);
        bar.set_message(format!("{} · {}/s", human(bytes), human(rate as u64)));
    }
}

impl Observer for DownloadProgress {
    fn planned(&self, files: usize) {
        if let Some(bar) = &self.bar {
            bar.set_length(files as u64);
        }
    }

    fn received(&self, bytes: u64) {
        self.bytes.fetch_add(bytes, Ordering::Relaxed);
        self.redraw();
    }

    fn finished(&self, entry: &Entry) {
        if let Some(bar) = self
            .bar
            .as_ref()
            .filter(|_| entry.status != Status::Skipped)
        {
            bar.inc(1);
        }
        self.redraw();
    }
}

//! The crawl: from seeds, through their links, to indexed and tagged items.
//!
//! It runs level by level. Level 0 reads every seed first, so that all campaign hashtags are
//! known before any item is tagged: an item's campaigns then never depend on which release
//! happened to be read first. Each later level reads the links of the one before, up to
//! `--depth`, concurrently; items stream to the index as they are read. Sources' own
//! follow-up requests (API pages) do not count as levels.
//!
//! What each page and album gave is remembered beside the index ([`crate::state`]): a recrawl
//! asks servers whether pages changed, does not page through unchanged albums, marks what
//! left an album as gone, and a crawl killed half-way resumes where it stopped.
//!
//! The crawl names no source: it asks the [`Registry`] which source claims a URL, and has
//! every source read each page it fetches.

mod cache;
mod downloads;
mod frontier;
mod held;
mod level;
mod report;
mod seed;
mod spill;
mod tagging;
mod turns;
mod visit;
mod writer;

use sha1::{Digest, Sha1};
use std::sync::Arc;
use std::time::Instant;

use crate::fetch::Fetcher;
use crate::index::{ArchiveIndex, IndexError};
use crate::model::Timestamp;
use crate::sources::Registry;
use crate::state::{CrawlState, StateError};
use frontier::Seen;
pub use held::IN_MEMORY as SEED_ITEMS_IN_MEMORY;
use level::Crawl;
pub use report::{CrawlReport, FailureRecord, SeedReport, Warning};
pub use seed::{Seed, SeedError, load_file};
use visit::Context;
use writer::WriterHandle;
pub use writer::{WriterError, Written};

/// What to crawl.
#[derive(Clone, Debug, Default)]
pub struct CrawlPlan {
    /// Where to start.
    pub seeds: Vec<Seed>,
    /// How many links away from a seed to go; 1 follows the seeds' own links.
    pub depth: u32,
    /// Campaigns given with `--campaign`, added to everything this crawl reaches.
    pub campaigns: Vec<String>,
    /// Also read the listings robots.txt names for each seed's host.
    pub robots_listings: bool,
    /// Whether sources search the accounts a release leads to for its campaigns' tags. The
    /// registry is set up with it ([`crate::sources::Settings::discovering`]); the plan
    /// holds it so that resuming with it changed starts afresh.
    pub discover: bool,
}

impl CrawlPlan {
    /// Identifies the plan, so an interrupted crawl of the same plan can be resumed: the
    /// same seeds and campaigns in any order, the same depth and options.
    fn key(&self) -> String {
        let mut seeds: Vec<String> = self.seeds.iter().map(|s| s.url().to_string()).collect();
        seeds.sort();
        let mut campaigns = self.campaigns.clone();
        campaigns.sort();
        let mut hasher = Sha1::new();
        for part in [
            seeds.join("\n"),
            campaigns.join("\n"),
            self.depth.to_string(),
            self.robots_listings.to_string(),
            self.discover.to_string(),
        ] {
            // Lengths first, so that no two plans run together into the same text.
            hasher.update(part.len().to_le_bytes());
            hasher.update(part.as_bytes());
        }
        data_encoding::HEXLOWER.encode(&hasher.finalize())
    }
}

/// Hears about the crawl's progress; the command line draws it, tests ignore it.
pub trait Observer: Send + Sync {
    /// A page or API resource is being read.
    fn started(&self, _what: &str) {}
    /// It has been read (or failed).
    fn finished(&self, _what: &str) {}
    /// Items were read.
    fn found(&self, _items: usize) {}
    /// A source expects to give this many items more (an album's photo count).
    fn expect(&self, _items: u64) {}
}

/// An observer that ignores everything.
pub struct Silent;
impl Observer for Silent {}

/// Why a crawl could not run at all. Failures of single pages are not errors: they are
/// listed in the [`CrawlReport`].
#[derive(Debug, thiserror::Error)]
pub enum CrawlError {
    /// The index could not be opened or written.
    #[error(transparent)]
    Index(#[from] IndexError),
    /// The crawl state beside the index could not be read or written.
    #[error(transparent)]
    State(#[from] StateError),
    /// The indexing thread failed.
    #[error(transparent)]
    Writer(#[from] WriterError),
    /// The scratch file where the crawl keeps item ids, beside the index, failed.
    #[error("the crawl's scratch file: {0}")]
    Scratch(std::io::Error),
}

/// The crawl's shared tools.
pub struct Crawler<'a> {
    fetcher: Fetcher,
    registry: Arc<Registry>,
    index: &'a ArchiveIndex,
    observer: &'a dyn Observer,
    started_at: Option<Timestamp>,
}

impl<'a> Crawler<'a> {
    /// A crawler reading with `registry`'s sources through `fetcher`, writing into `index`.
    pub fn new(
        fetcher: Fetcher,
        registry: Arc<Registry>,
        index: &'a ArchiveIndex,
        observer: &'a dyn Observer,
    ) -> Self {
        Crawler {
            fetcher,
            registry,
            index,
            observer,
            started_at: None,
        }
    }

    /// Dates this crawl at `started_at` rather than now: what it sees is `last_seen` then.
    #[must_use]
    pub fn started_at(mut self, started_at: Timestamp) -> Self {
        self.started_at = Some(started_at);
        self
    }

    /// Runs the whole crawl and commits its items.
    ///
    /// # Errors
    /// Only when the index or its state cannot be used; everything else is in the report.
    pub async fn run(&self, plan: &CrawlPlan) -> Result<CrawlReport, CrawlError> {
        let started = Instant::now();
        // The index's writer lock comes first: a second crawl stops here, with a clear word.
        let indexer = self
            .index
            .indexer_at(self.started_at.unwrap_or_else(crate::media::dates::now))?;
        let state = Arc::new(CrawlState::open(self.index.dir())?);
        let run = state.begin_run(&plan.key())?;
        let writer = WriterHandle::start(indexer, self.index.dir(), state.clone())?;
        let ctx = Context {
            fetcher: self.fetcher.clone(),
            registry: self.registry.clone(),
            state: state.clone(),
            run,
            robots_listings: plan.robots_listings,
        };
        let seen = Seen::new(self.index.dir()).map_err(CrawlError::Scratch)?;
        let mut crawl = Crawl::new(ctx, &writer, self.observer, seen);
        let outcome = crawl.run(plan, self.index).await;
        let mut report = crawl.into_report();
        let campaigns = outcome.as_ref().cloned().unwrap_or_default();
        let written = tokio::task::spawn_blocking(move || writer.finish(campaigns))
            .await
            .map_err(|e| {
                IndexError::Tantivy(tantivy::TantivyError::InternalError(e.to_string()))
            })??;
        outcome?;
        state.finish_run(&plan.key(), run)?;
        report.resumed = run.resumed;
        report.written = written;
        report.campaigns = self.index.campaigns()?;
        report.notes.extend(self.registry.notes());
        report.elapsed = started.elapsed();
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(seeds: &[&str], campaigns: &[&str]) -> CrawlPlan {
        CrawlPlan {
            seeds: seeds.iter().map(|s| Seed::parse(s).unwrap()).collect(),
            depth: 1,
            campaigns: campaigns.iter().map(|c| (*c).to_string()).collect(),
            robots_listings: false,
            discover: true,
        }
    }

    #[test]
    fn a_plan_is_known_again_whatever_the_order_and_not_with_another_option() {
        let one = plan(
            &["https://a.example/1", "https://b.example/2"],
            &["VS20", "CSO"],
        );
        let reordered = plan(
            &["https://b.example/2", "https://a.example/1"],
            &["CSO", "VS20"],
        );
        assert_eq!(one.key(), reordered.key());
        let changes = [
            CrawlPlan {
                depth: 2,
                ..one.clone()
            },
            CrawlPlan {
                robots_listings: true,
                ..one.clone()
            },
            CrawlPlan {
                discover: false,
                ..one.clone()
            },
            plan(&["https://a.example/1"], &["VS20", "CSO"]),
            // Parts do not run together: one seed "x\ny" is not two seeds.
            plan(
                &["https://a.example/1", "https://b.example/2"],
                &["VS20\nCSO"],
            ),
        ];
        for changed in changes {
            assert_ne!(one.key(), changed.key(), "{changed:?}");
        }
    }
}

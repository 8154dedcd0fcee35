//! What past crawls learnt, kept beside the index: each page's validators, links and items,
//! each album's last update and members, and whether the last crawl of a plan finished.
//!
//! It lets a recrawl ask servers "has this changed?" instead of fetching everything again,
//! lets it tell which photos left an album, and lets a crawl killed half-way resume without
//! fetching again what it had finished. Records are written only after the items they name
//! are committed to the index, so a record never claims more than the index holds.
//!
//! The store is a [redb](https://docs.rs/redb) database: crash-safe, one file, no server.

use redb::{Database, ReadableDatabase, ReadableTable, TableDefinition};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::path::Path;

use crate::model::{Nature, Timestamp};

/// The file, inside the index directory.
pub const FILE_NAME: &str = "crawl-state.redb";

const PAGES: TableDefinition<&str, &[u8]> = TableDefinition::new("pages");
const COLLECTIONS: TableDefinition<&str, &[u8]> = TableDefinition::new("collections");
const RUNS: TableDefinition<&str, &[u8]> = TableDefinition::new("runs");
const COUNTERS: TableDefinition<&str, u64> = TableDefinition::new("counters");

/// What a page gave when it was last read.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct PageRecord {
    /// The crawl run that last read or confirmed it.
    pub run: u64,
    /// What HTTP caching rules say of it: its validators, and how long it stays fresh.
    #[serde(default)]
    pub cache: Option<http_cache_semantics::CachePolicy>,
    /// Whether it was served from a public address (its links must stay public).
    pub public: bool,
    /// Its links, for the next level of the crawl.
    pub links: Vec<String>,
    /// More of the same source it pointed to (a listing's later pages).
    #[serde(default)]
    pub follow: Vec<String>,
    /// The items it yielded.
    pub items: Vec<String>,
    /// Its campaign hashtags, when it was a seed.
    pub hashtags: Vec<String>,
    /// Its title, for the crawl summary.
    pub title: Option<String>,
    /// What it is (a release, a feed…), for the crawl summary.
    #[serde(default)]
    pub nature: Option<Nature>,
    /// The release's own URL, when it was a seed.
    pub release: Option<String>,
}

/// A complete listing (an album) as last read.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CollectionRecord {
    /// The crawl run that last read or confirmed it.
    pub run: u64,
    /// The listing's own "last changed" date, when the source gives one.
    pub updated: Option<Timestamp>,
    /// Every item it listed.
    pub items: Vec<String>,
}

/// A crawl of one plan (the same seeds, depth and campaigns).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct RunRecord {
    run: u64,
    finished: bool,
}

/// The run a crawl belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Run {
    /// Its number, unique in this index.
    pub id: u64,
    /// Whether it continues a crawl of the same plan that was interrupted.
    pub resumed: bool,
}

/// Why the store failed.
#[derive(Debug, thiserror::Error)]
#[error("crawl state ({path}): {message}")]
pub struct StateError {
    path: String,
    message: String,
}

/// The crawl state of one index.
pub struct CrawlState {
    db: Database,
    path: String,
}

impl CrawlState {
    /// Opens (or creates) the state of the index in `dir`.
    ///
    /// # Errors
    /// When the file cannot be created or is damaged.
    pub fn open(dir: &Path) -> Result<Self, StateError> {
        let path = dir.join(FILE_NAME);
        let shown = path.display().to_string();
        let db = Database::create(&path).map_err(|e| error(&shown, e))?;
        let state = CrawlState { db, path: shown };
        // Tables must exist before a read transaction can open them.
        let txn = state.db.begin_write().map_err(|e| state.error(e))?;
        for table in [PAGES, COLLECTIONS, RUNS] {
            txn.open_table(table).map_err(|e| state.error(e))?;
        }
        txn.open_table(COUNTERS).map_err(|e| state.error(e))?;
        txn.commit().map_err(|e| state.error(e))?;
        Ok(state)
    }

    fn error(&self, e: impl std::fmt::Display) -> StateError {
        error(&self.path, e)
    }

    /// The last record of a page.
    ///
    /// # Errors
    /// When the store cannot be read.
    pub fn page(&self, url: &str) -> Result<Option<PageRecord>, StateError> {
        self.get(PAGES, url)
    }

    /// The last record of a listing.
    ///
    /// # Errors
    /// When the store cannot be read.
    pub fn collection(&self, url: &str) -> Result<Option<CollectionRecord>, StateError> {
        self.get(COLLECTIONS, url)
    }

    fn get<T: DeserializeOwned>(
        &self,
        table: TableDefinition<&str, &[u8]>,
        key: &str,
    ) -> Result<Option<T>, StateError> {
        let txn = self.db.begin_read().map_err(|e| self.error(e))?;
        let table = txn.open_table(table).map_err(|e| self.error(e))?;
        let Some(bytes) = table.get(key).map_err(|e| self.error(e))? else {
            return Ok(None);
        };
        // A record this version cannot read is as good as none: the page is read again.
        Ok(serde_json::from_slice(bytes.value()).ok())
    }

    /// Starts a crawl of `plan`: continues its last run if that one did not finish.
    ///
    /// # Errors
    /// When the store cannot be written.
    pub fn begin_run(&self, plan: &str) -> Result<Run, StateError> {
        let txn = self.db.begin_write().map_err(|e| self.error(e))?;
        let run = {
            let mut runs = txn.open_table(RUNS).map_err(|e| self.error(e))?;
            let last: Option<RunRecord> = runs
                .get(plan)
                .map_err(|e| self.error(e))?
                .and_then(|b| serde_json::from_slice(b.value()).ok());
            match last {
                Some(record) if !record.finished => Run {
                    id: record.run,
                    resumed: true,
                },
                _ => {
                    let mut counters = txn.open_table(COUNTERS).map_err(|e| self.error(e))?;
                    let next = counters
                        .get("run")
                        .map_err(|e| self.error(e))?
                        .map_or(1, |v| v.value() + 1);
                    counters.insert("run", next).map_err(|e| self.error(e))?;
                    let record = serde_json::to_vec(&RunRecord {
                        run: next,
                        finished: false,
                    })
                    .map_err(|e| self.error(e))?;
                    runs.insert(plan, record.as_slice())
                        .map_err(|e| self.error(e))?;
                    Run {
                        id: next,
                        resumed: false,
                    }
                }
            }
        };
        txn.commit().map_err(|e| self.error(e))?;
        Ok(run)
    }

    /// Marks the run of `plan` finished: the next crawl of it starts afresh.
    ///
    /// # Errors
    /// When the store cannot be written.
    pub fn finish_run(&self, plan: &str, run: Run) -> Result<(), StateError> {
        let record = serde_json::to_vec(&RunRecord {
            run: run.id,
            finished: true,
        })
        .map_err(|e| self.error(e))?;
        let txn = self.db.begin_write().map_err(|e| self.error(e))?;
        txn.open_table(RUNS)
            .map_err(|e| self.error(e))?
            .insert(plan, record.as_slice())
            .map_err(|e| self.error(e))?;
        txn.commit().map_err(|e| self.error(e))
    }

    /// Stores page and listing records in one transaction.
    ///
    /// # Errors
    /// When the store cannot be written; nothing is then stored.
    pub fn save(
        &self,
        pages: &[(String, PageRecord)],
        collections: &[(String, CollectionRecord)],
    ) -> Result<(), StateError> {
        if pages.is_empty() && collections.is_empty() {
            return Ok(());
        }
        let txn = self.db.begin_write().map_err(|e| self.error(e))?;
        {
            let mut table = txn.open_table(PAGES).map_err(|e| self.error(e))?;
            for (url, record) in pages {
                let bytes = serde_json::to_vec(record).map_err(|e| self.error(e))?;
                table
                    .insert(url.as_str(), bytes.as_slice())
                    .map_err(|e| self.error(e))?;
            }
            let mut table = txn.open_table(COLLECTIONS).map_err(|e| self.error(e))?;
            for (url, record) in collections {
                let bytes = serde_json::to_vec(record).map_err(|e| self.error(e))?;
                table
                    .insert(url.as_str(), bytes.as_slice())
                    .map_err(|e| self.error(e))?;
            }
        }
        txn.commit().map_err(|e| self.error(e))
    }
}

fn error(path: &str, e: impl std::fmt::Display) -> StateError {
    StateError {
        path: path.to_string(),
        message: e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_survive_reopening() {
        let dir = tempfile::tempdir().unwrap();
        let page = PageRecord {
            run: 1,
            links: vec!["https://cnes.fr/a".into()],
            items: vec!["flickr:1".into()],
            ..PageRecord::default()
        };
        let album = CollectionRecord {
            run: 1,
            updated: None,
            items: vec!["flickr:1".into(), "flickr:2".into()],
        };
        {
            let state = CrawlState::open(dir.path()).unwrap();
            assert!(state.page("https://cnes.fr/pr").unwrap().is_none());
            state
                .save(
                    &[("https://cnes.fr/pr".into(), page.clone())],
                    &[("album".into(), album.clone())],
                )
                .unwrap();
        }
        let state = CrawlState::open(dir.path()).unwrap();
        let read = state.page("https://cnes.fr/pr").unwrap().unwrap();
        assert_eq!(
            (read.run, read.links, read.items),
            (page.run, page.links, page.items)
        );
        assert_eq!(state.collection("album").unwrap(), Some(album));
    }

    #[test]
    fn an_unfinished_run_is_resumed_and_a_finished_one_is_not() {
        let dir = tempfile::tempdir().unwrap();
        let state = CrawlState::open(dir.path()).unwrap();
        let first = state.begin_run("plan A").unwrap();
        assert_eq!(
            first,
            Run {
                id: 1,
                resumed: false
            }
        );
        assert_eq!(
            state.begin_run("plan A").unwrap(),
            Run {
                id: 1,
                resumed: true
            }
        );
        let other = state.begin_run("plan B").unwrap();
        assert_eq!(
            other,
            Run {
                id: 2,
                resumed: false
            }
        );
        state.finish_run("plan A", first).unwrap();
        assert_eq!(
            state.begin_run("plan A").unwrap(),
            Run {
                id: 3,
                resumed: false
            }
        );
    }
}

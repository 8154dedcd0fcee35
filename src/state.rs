//! What past crawls learnt, kept beside the index: each page's validators, links and items,
//! each album's last update and members, and whether the last crawl of a plan finished.
//!
//! An album's members are rows of their own (listing, item), written in batches as the album
//! is read, so that neither a crawl nor this store holds a whole album in memory.
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
use std::collections::HashMap;
use std::path::Path;

use crate::model::{Nature, Timestamp};

/// The file, inside the index directory.
pub const FILE_NAME: &str = "crawl-state.redb";

const PAGES: TableDefinition<&str, &[u8]> = TableDefinition::new("pages");
const COLLECTIONS: TableDefinition<&str, &[u8]> = TableDefinition::new("collections");
const RUNS: TableDefinition<&str, &[u8]> = TableDefinition::new("runs");
const COUNTERS: TableDefinition<&str, u64> = TableDefinition::new("counters");
/// A listing's URL → its number, which its members' rows carry instead of the URL.
const LISTINGS: TableDefinition<&str, u64> = TableDefinition::new("listings");
/// (listing number, item) → the pass that last listed the item there.
const MEMBERS: TableDefinition<(u64, &str), u64> = TableDefinition::new("members");

/// Memory redb may keep for pages read or written. Its default (1 GiB) would keep every row
/// of a million-photo crawl's members in memory; the members are read and written in id
/// order within an album, so a small cache serves them as well.
const CACHE: usize = 16 * 1024 * 1024;

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

/// A complete listing (an album) as last read. Its members are in [`CrawlState::members`].
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CollectionRecord {
    /// The crawl run that last read or confirmed it.
    pub run: u64,
    /// The listing's own "last changed" date, when the source gives one.
    pub updated: Option<Timestamp>,
}

/// Members as versions before the members table kept them, inside the listing's record.
#[derive(Deserialize)]
struct LegacyMembers {
    #[serde(default)]
    items: Vec<String>,
}

/// What one save stores, in one transaction.
#[derive(Debug, Default)]
pub struct Changes {
    /// Page records, by URL.
    pub pages: Vec<(String, PageRecord)>,
    /// Listing records, by listing.
    pub collections: Vec<(String, CollectionRecord)>,
    /// Members listed in this pass, by listing.
    pub listed: Vec<(String, Vec<String>)>,
    /// Members that left their listing: (listing, item).
    pub dropped: Vec<(String, String)>,
}

impl Changes {
    /// Whether there is nothing to store.
    pub fn is_empty(&self) -> bool {
        self.pages.is_empty()
            && self.collections.is_empty()
            && self.listed.is_empty()
            && self.dropped.is_empty()
    }

    /// How many members it lists.
    pub fn listed_members(&self) -> usize {
        self.listed.iter().map(|(_, ids)| ids.len()).sum()
    }
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
        let db = Database::builder()
            .set_cache_size(CACHE)
            .create(&path)
            .map_err(|e| error(&shown, e))?;
        let state = CrawlState { db, path: shown };
        // Tables must exist before a read transaction can open them.
        let txn = state.db.begin_write().map_err(|e| state.error(e))?;
        for table in [PAGES, COLLECTIONS, RUNS] {
            txn.open_table(table).map_err(|e| state.error(e))?;
        }
        txn.open_table(COUNTERS).map_err(|e| state.error(e))?;
        txn.open_table(LISTINGS).map_err(|e| state.error(e))?;
        txn.open_table(MEMBERS).map_err(|e| state.error(e))?;
        state.move_legacy_members(&txn)?;
        txn.commit().map_err(|e| state.error(e))?;
        Ok(state)
    }

    /// Moves the members older versions kept inside listing records into the members table,
    /// as listed by no pass of this version: a listing read again marks those it no longer
    /// lists as gone, as before.
    fn move_legacy_members(&self, txn: &redb::WriteTransaction) -> Result<(), StateError> {
        let mut collections = txn.open_table(COLLECTIONS).map_err(|e| self.error(e))?;
        let mut legacy = Vec::new();
        for entry in collections.iter().map_err(|e| self.error(e))? {
            let (key, value) = entry.map_err(|e| self.error(e))?;
            let old = serde_json::from_slice::<LegacyMembers>(value.value());
            let record = serde_json::from_slice::<CollectionRecord>(value.value());
            if let (Ok(old), Ok(record)) = (old, record)
                && !old.items.is_empty()
            {
                legacy.push((key.value().to_string(), record, old.items));
            }
        }
        let mut members = txn.open_table(MEMBERS).map_err(|e| self.error(e))?;
        for (key, record, items) in legacy {
            let listing = self.number(txn, &key)?;
            for id in &items {
                members
                    .insert((listing, id.as_str()), 0)
                    .map_err(|e| self.error(e))?;
            }
            let bytes = serde_json::to_vec(&record).map_err(|e| self.error(e))?;
            collections
                .insert(key.as_str(), bytes.as_slice())
                .map_err(|e| self.error(e))?;
        }
        Ok(())
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

    /// Up to `limit` members of the listing `key`, in id order, after the member `after`,
    /// each with the pass that last listed it. Reading a listing page by page keeps memory
    /// small whatever its size.
    ///
    /// # Errors
    /// When the store cannot be read.
    pub fn members(
        &self,
        key: &str,
        after: Option<&str>,
        limit: usize,
    ) -> Result<Vec<(String, u64)>, StateError> {
        let txn = self.db.begin_read().map_err(|e| self.error(e))?;
        let listings = txn.open_table(LISTINGS).map_err(|e| self.error(e))?;
        let Some(number) = listings.get(key).map_err(|e| self.error(e))? else {
            return Ok(Vec::new());
        };
        let number = number.value();
        let table = txn.open_table(MEMBERS).map_err(|e| self.error(e))?;
        let range = table
            .range((number, after.unwrap_or(""))..)
            .map_err(|e| self.error(e))?;
        let mut found = Vec::new();
        for entry in range {
            let (member, pass) = entry.map_err(|e| self.error(e))?;
            let (listing, id) = member.value();
            if listing != number || found.len() == limit {
                break;
            }
            if Some(id) != after {
                found.push((id.to_string(), pass.value()));
            }
        }
        Ok(found)
    }

    /// Starts a pass: one crawl process's reading of listings. Members are stamped with it,
    /// so that those a listing no longer lists are told apart, even from what an interrupted
    /// process of the same run listed.
    ///
    /// # Errors
    /// When the store cannot be written.
    pub fn begin_pass(&self) -> Result<u64, StateError> {
        let txn = self.db.begin_write().map_err(|e| self.error(e))?;
        let pass = {
            let mut counters = txn.open_table(COUNTERS).map_err(|e| self.error(e))?;
            let next = counters
                .get("pass")
                .map_err(|e| self.error(e))?
                .map_or(1, |v| v.value() + 1);
            counters.insert("pass", next).map_err(|e| self.error(e))?;
            next
        };
        txn.commit().map_err(|e| self.error(e))?;
        Ok(pass)
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

    /// Stores page and listing records, and members listed in `pass` or dropped, in one
    /// transaction.
    ///
    /// # Errors
    /// When the store cannot be written; nothing is then stored.
    pub fn save(&self, changes: &Changes, pass: u64) -> Result<(), StateError> {
        if changes.is_empty() {
            return Ok(());
        }
        let txn = self.db.begin_write().map_err(|e| self.error(e))?;
        self.put_records(&txn, PAGES, &changes.pages)?;
        self.put_records(&txn, COLLECTIONS, &changes.collections)?;
        {
            let mut members = txn.open_table(MEMBERS).map_err(|e| self.error(e))?;
            let mut numbers = HashMap::new();
            for (key, ids) in &changes.listed {
                let listing = self.number_of(&txn, &mut numbers, key)?;
                for id in ids {
                    members
                        .insert((listing, id.as_str()), pass)
                        .map_err(|e| self.error(e))?;
                }
            }
            for (key, id) in &changes.dropped {
                let listing = self.number_of(&txn, &mut numbers, key)?;
                members
                    .remove((listing, id.as_str()))
                    .map_err(|e| self.error(e))?;
            }
        }
        txn.commit().map_err(|e| self.error(e))
    }

    /// A listing's number, looked up once per save.
    fn number_of<'k>(
        &self,
        txn: &redb::WriteTransaction,
        numbers: &mut HashMap<&'k str, u64>,
        key: &'k str,
    ) -> Result<u64, StateError> {
        if let Some(&number) = numbers.get(key) {
            return Ok(number);
        }
        let number = self.number(txn, key)?;
        numbers.insert(key, number);
        Ok(number)
    }

    /// A listing's number, given the first time its members are stored.
    fn number(&self, txn: &redb::WriteTransaction, key: &str) -> Result<u64, StateError> {
        let mut listings = txn.open_table(LISTINGS).map_err(|e| self.error(e))?;
        if let Some(number) = listings.get(key).map_err(|e| self.error(e))? {
            return Ok(number.value());
        }
        let mut counters = txn.open_table(COUNTERS).map_err(|e| self.error(e))?;
        let next = counters
            .get("listing")
            .map_err(|e| self.error(e))?
            .map_or(1, |v| v.value() + 1);
        counters
            .insert("listing", next)
            .map_err(|e| self.error(e))?;
        listings.insert(key, next).map_err(|e| self.error(e))?;
        Ok(next)
    }

    fn put_records<T: Serialize>(
        &self,
        txn: &redb::WriteTransaction,
        table: TableDefinition<&str, &[u8]>,
        records: &[(String, T)],
    ) -> Result<(), StateError> {
        let mut table = txn.open_table(table).map_err(|e| self.error(e))?;
        for (key, record) in records {
            let bytes = serde_json::to_vec(record).map_err(|e| self.error(e))?;
            table
                .insert(key.as_str(), bytes.as_slice())
                .map_err(|e| self.error(e))?;
        }
        Ok(())
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
        };
        {
            let state = CrawlState::open(dir.path()).unwrap();
            assert!(state.page("https://cnes.fr/pr").unwrap().is_none());
            let changes = Changes {
                pages: vec![("https://cnes.fr/pr".into(), page.clone())],
                collections: vec![("album".into(), album.clone())],
                listed: vec![("album".into(), vec!["flickr:1".into(), "flickr:2".into()])],
                dropped: Vec::new(),
            };
            state.save(&changes, 7).unwrap();
        }
        let state = CrawlState::open(dir.path()).unwrap();
        let read = state.page("https://cnes.fr/pr").unwrap().unwrap();
        assert_eq!(
            (read.run, read.links, read.items),
            (page.run, page.links, page.items)
        );
        assert_eq!(state.collection("album").unwrap(), Some(album));
        assert_eq!(
            state.members("album", None, 10).unwrap(),
            [("flickr:1".to_string(), 7), ("flickr:2".to_string(), 7)]
        );
    }

    fn listed(key: &str, ids: &[&str]) -> Changes {
        Changes {
            listed: vec![(key.into(), ids.iter().map(|id| id.to_string()).collect())],
            ..Changes::default()
        }
    }

    #[test]
    fn members_are_read_page_by_page_within_their_listing_only() {
        let dir = tempfile::tempdir().unwrap();
        let state = CrawlState::open(dir.path()).unwrap();
        state.save(&listed("a", &["3", "1", "2"]), 1).unwrap();
        // Listings whose keys extend another's, or sort right after it, stay apart.
        state.save(&listed("ab", &["0"]), 1).unwrap();
        state.save(&listed("a\0", &["0"]), 1).unwrap();
        let first = state.members("a", None, 2).unwrap();
        assert_eq!(first, [("1".to_string(), 1), ("2".to_string(), 1)]);
        let rest = state.members("a", Some("2"), 2).unwrap();
        assert_eq!(rest, [("3".to_string(), 1)]);
        assert!(state.members("a", Some("3"), 2).unwrap().is_empty());
        assert!(state.members("none", None, 2).unwrap().is_empty());
    }

    #[test]
    fn a_later_pass_restamps_what_it_lists_and_dropped_members_go() {
        let dir = tempfile::tempdir().unwrap();
        let state = CrawlState::open(dir.path()).unwrap();
        let (first, second) = (state.begin_pass().unwrap(), state.begin_pass().unwrap());
        assert!(second > first, "every pass is new");
        state
            .save(&listed("album", &["1", "2", "3"]), first)
            .unwrap();
        state.save(&listed("album", &["1", "3"]), second).unwrap();
        let members = state.members("album", None, 10).unwrap();
        assert_eq!(
            members,
            [
                ("1".to_string(), second),
                ("2".to_string(), first),
                ("3".to_string(), second)
            ]
        );
        let gone = Changes {
            dropped: vec![("album".into(), "2".into())],
            ..Changes::default()
        };
        state.save(&gone, second).unwrap();
        let ids: Vec<String> = state
            .members("album", None, 10)
            .unwrap()
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        assert_eq!(ids, ["1", "3"]);
    }

    #[test]
    fn members_kept_inside_an_older_record_move_to_their_table() {
        let dir = tempfile::tempdir().unwrap();
        {
            let db = Database::create(dir.path().join(FILE_NAME)).unwrap();
            let txn = db.begin_write().unwrap();
            let old = br#"{"run":3,"updated":null,"items":["flickr:1","flickr:2"]}"#;
            txn.open_table(COLLECTIONS)
                .unwrap()
                .insert("album", old.as_slice())
                .unwrap();
            txn.commit().unwrap();
        }
        let state = CrawlState::open(dir.path()).unwrap();
        assert_eq!(
            state.collection("album").unwrap(),
            Some(CollectionRecord {
                run: 3,
                updated: None
            })
        );
        let pass = state.begin_pass().unwrap();
        let members = state.members("album", None, 10).unwrap();
        assert_eq!(members.len(), 2);
        assert!(members.iter().all(|(_, listed_in)| *listed_in != pass));
        drop(state);
        let reopened = CrawlState::open(dir.path()).unwrap();
        assert_eq!(reopened.members("album", None, 10).unwrap(), members);
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

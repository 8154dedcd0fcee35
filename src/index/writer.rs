//! The index's one writer: upserts merged items, commits in batches, settles campaigns.

use std::collections::HashMap;
use std::time::{Duration, Instant};
use tantivy::collector::{DocSetCollector, TopDocs};
use tantivy::directory::error::LockError;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{IndexReader, IndexWriter, TantivyDocument, TantivyError, Term};

use super::schema::{self, Fields};
use super::stats::{Outcome, Tally, WriteStats};
use super::{ArchiveIndex, IndexError};
use crate::media::merge::{merge, normalize};
use crate::model::{Item, Timestamp};
use crate::tag::Campaigns;

/// Memory for the writer's in-flight segment: the figure Tantivy's examples use. Public so
/// that benchmarks can give raw Tantivy the same budget.
pub const WRITER_BUDGET: usize = 50_000_000;
/// Commit at least this often, so a killed crawl loses little.
/// Each commit costs a segment and a sync: batches of this size keep that cost a small part
/// of indexing, and a killed crawl loses at most one batch.
pub const COMMIT_EVERY_ITEMS: usize = 10_000;
/// …and at least this often, whatever the count. Public so that benchmarks can give raw
/// Tantivy the same commits.
pub const COMMIT_EVERY: Duration = Duration::from_secs(5);

/// Whether two versions of an item differ in what they say, not merely in when they were seen.
fn same_content(a: &Item, b: &Item) -> bool {
    let mut a = a.clone();
    a.last_seen = b.last_seen;
    a.gone = b.gone;
    a == *b
}

/// The single writer. Lives on one thread; every change goes through it.
pub struct Indexer {
    writer: IndexWriter,
    reader: IndexReader,
    fields: Fields,
    /// Items written since the last commit, which the reader cannot see yet.
    pending: HashMap<String, Item>,
    /// What the run did to each item.
    tally: Tally,
    last_commit: Instant,
    /// Commits so far, so a caller can tell when what it wrote became durable.
    commits: u64,
    /// Whether the index held nothing when this writer started: then an item this run has not
    /// written cannot be stored, and needs no lookup.
    started_empty: bool,
    /// The `last_seen` of every item this run sees: one instant for the whole crawl, so
    /// that what a crawl did not see can be told apart.
    run_started: Timestamp,
}

impl Indexer {
    pub(super) fn new(index: &ArchiveIndex, run_started: Timestamp) -> Result<Self, IndexError> {
        let dir = index.dir().to_path_buf();
        if index.is_read_only() {
            return Err(IndexError::ReadOnly(dir));
        }
        let writer = index.tantivy().writer(WRITER_BUDGET).map_err(|e| match e {
            TantivyError::LockFailure(LockError::LockBusy, _) => IndexError::Locked(dir),
            TantivyError::LockFailure(LockError::IoError(io), _)
                if matches!(
                    io.kind(),
                    std::io::ErrorKind::ReadOnlyFilesystem | std::io::ErrorKind::PermissionDenied
                ) =>
            {
                IndexError::ReadOnly(dir)
            }
            other => IndexError::Tantivy(other),
        })?;
        let reader = index.reader()?;
        Ok(Indexer {
            writer,
            started_empty: reader.searcher().num_docs() == 0,
            reader,
            fields: index.fields().clone(),
            pending: HashMap::new(),
            tally: Tally::default(),
            last_commit: Instant::now(),
            commits: 0,
            run_started,
        })
    }

    /// Adds the item, or merges it into the one already stored under its id.
    ///
    /// # Errors
    /// When the index cannot be read or written.
    pub fn upsert(&mut self, item: Item) -> Result<Outcome, IndexError> {
        let mut item = normalize(item);
        item.last_seen = Some(self.run_started);
        item.gone = false;
        let (outcome, written) = match self.stored(&item.id)? {
            None => {
                item.first_seen = Some(self.run_started);
                self.tally.record(&item, Outcome::Added);
                self.add(item)?;
                self.commit_if_due()?;
                return Ok(Outcome::Added);
            }
            Some(existing) => {
                let merged = merge(&existing, &item);
                let outcome = if same_content(&merged, &existing) {
                    Outcome::Unchanged
                } else {
                    Outcome::Updated
                };
                if merged == existing {
                    self.tally.record(&merged, outcome);
                    return Ok(outcome);
                }
                (outcome, merged)
            }
        };
        self.tally.record(&written, outcome);
        self.write(written)?;
        self.commit_if_due()?;
        Ok(outcome)
    }

    /// Merges an item another index held (an export) into the one stored under its id, as a
    /// crawl merges a sighting, but keeping when each side saw it: `first_seen` is the
    /// earliest, `last_seen` the latest, and the side seen last decides ties and `gone`. An
    /// item that says nothing of when it was seen is seen now.
    ///
    /// # Errors
    /// When the index cannot be read or written.
    pub fn import(&mut self, item: Item) -> Result<Outcome, IndexError> {
        let mut item = normalize(item);
        item.first_seen.get_or_insert(self.run_started);
        item.last_seen.get_or_insert(self.run_started);
        let Some(existing) = self.stored(&item.id)? else {
            self.tally.record(&item, Outcome::Added);
            self.add(item)?;
            self.commit_if_due()?;
            return Ok(Outcome::Added);
        };
        let merged = if item.last_seen >= existing.last_seen {
            merge(&existing, &item)
        } else {
            merge(&item, &existing)
        };
        let outcome = if same_content(&merged, &existing) {
            Outcome::Unchanged
        } else {
            Outcome::Updated
        };
        self.tally.record(&merged, outcome);
        if merged != existing {
            self.write(merged)?;
            self.commit_if_due()?;
        }
        Ok(outcome)
    }

    /// Changes a stored item without counting it as seen again (more seeds lead to it, a
    /// campaign was learnt). Returns whether it changed.
    ///
    /// # Errors
    /// When the index cannot be read or written.
    pub fn amend(&mut self, id: &str, change: impl FnOnce(&mut Item)) -> Result<bool, IndexError> {
        let Some(stored) = self.stored(id)? else {
            return Ok(false);
        };
        let mut amended = stored.clone();
        change(&mut amended);
        let amended = normalize(amended);
        if amended == stored {
            return Ok(false);
        }
        self.tally.regroup(&amended);
        self.write(amended)?;
        self.commit_if_due()?;
        Ok(true)
    }

    /// An item confirmed by a source that has not changed (a page answering 304, an album
    /// with the same update date): counted as seen, and given any new provenance.
    ///
    /// # Errors
    /// When the index cannot be read or written.
    pub fn confirm(
        &mut self,
        id: &str,
        found_via: &[String],
        campaigns: &[String],
    ) -> Result<Option<Outcome>, IndexError> {
        let changed = self.amend(id, |item| {
            item.found_via.extend_from_slice(found_via);
            item.campaigns.extend_from_slice(campaigns);
        })?;
        let Some(item) = self.stored(id)? else {
            return Ok(None);
        };
        let outcome = if changed {
            Outcome::Updated
        } else {
            Outcome::Unchanged
        };
        self.tally.record(&item, outcome);
        Ok(Some(outcome))
    }

    /// Marks an item withdrawn from its album or library, unless this crawl saw it somewhere.
    /// It is kept, with the `last_seen` of the last crawl that saw it.
    ///
    /// # Errors
    /// When the index cannot be read or written.
    pub fn mark_gone(&mut self, id: &str) -> Result<bool, IndexError> {
        let run_started = self.run_started;
        let Some(item) = self.stored(id)? else {
            return Ok(false);
        };
        if item.gone || item.last_seen >= Some(run_started) {
            return Ok(false);
        }
        self.amend(id, |item| item.gone = true)?;
        self.tally.record(&item, Outcome::Gone);
        Ok(true)
    }

    /// How many commits this writer has made: what was written before the latest one is
    /// durable.
    pub fn commits(&self) -> u64 {
        self.commits
    }

    /// The stored version of an item: written this batch, else committed.
    ///
    /// # Errors
    /// When the index cannot be read.
    pub fn stored(&self, id: &str) -> Result<Option<Item>, IndexError> {
        if let Some(item) = self.pending.get(id) {
            return Ok(Some(item.clone()));
        }
        if self.started_empty && !self.tally.contains(id) {
            return Ok(None);
        }
        let searcher = self.reader.searcher();
        let query = TermQuery::new(
            Term::from_field_text(self.fields.id, id),
            IndexRecordOption::Basic,
        );
        let top = searcher.search(&query, &TopDocs::with_limit(1).order_by_score())?;
        match top.first() {
            Some((_, address)) => {
                let doc: TantivyDocument = searcher.doc(*address)?;
                Ok(schema::to_item(&doc, &self.fields))
            }
            None => Ok(None),
        }
    }

    /// Replaces the stored version of an item.
    fn write(&mut self, item: Item) -> Result<(), IndexError> {
        self.writer
            .delete_term(Term::from_field_text(self.fields.id, &item.id));
        self.add(item)
    }

    /// Adds an item the index does not hold: no delete to apply, which costs a lookup in
    /// every segment at commit time.
    fn add(&mut self, item: Item) -> Result<(), IndexError> {
        self.writer
            .add_document(schema::to_document(&item, &self.fields))?;
        self.pending.insert(item.id.clone(), item);
        Ok(())
    }

    fn commit_if_due(&mut self) -> Result<(), IndexError> {
        if self.pending.len() >= COMMIT_EVERY_ITEMS || self.last_commit.elapsed() >= COMMIT_EVERY {
            self.commit()?;
        }
        Ok(())
    }

    /// Makes everything written so far durable and visible to searches.
    ///
    /// # Errors
    /// When the index cannot be written; the batch is then rolled back.
    pub fn commit(&mut self) -> Result<(), IndexError> {
        if let Err(error) = self.writer.commit() {
            self.writer.rollback()?;
            return Err(error.into());
        }
        self.reader.reload()?;
        self.pending.clear();
        self.last_commit = Instant::now();
        self.commits += 1;
        Ok(())
    }

    /// Brings every stored item in line with the campaigns known now: items that name a
    /// campaign join it, and every campaign is shown in its one spelling.
    ///
    /// This makes the index independent of crawl order: a campaign learnt today reaches the
    /// items indexed yesterday. Returns how many items changed.
    ///
    /// # Errors
    /// When the index cannot be read or written.
    pub fn settle_campaigns(&mut self, campaigns: &Campaigns) -> Result<usize, IndexError> {
        self.commit()?;
        let searcher = self.reader.searcher();
        let mut stale = HashMap::new();
        for (key, spelling) in campaigns.iter() {
            let found = searcher.search(&self.unsettled(key, spelling), &DocSetCollector)?;
            for address in found {
                let doc: TantivyDocument = searcher.doc(address)?;
                if let Some(item) = schema::to_item(&doc, &self.fields) {
                    stale.insert(item.id.clone(), item);
                }
            }
        }
        let mut changed = 0;
        for mut item in stale.into_values() {
            let before = item.campaigns.clone();
            campaigns.settle(&mut item, &Default::default());
            if item.campaigns != before {
                self.tally.regroup(&item);
                self.write(item)?;
                changed += 1;
            }
        }
        self.commit()?;
        Ok(changed)
    }

    /// Items that name the campaign but are not in it, or are in it under another spelling.
    fn unsettled(&self, key: &str, spelling: &str) -> BooleanQuery {
        let term = |field, text: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(field, text),
                IndexRecordOption::Basic,
            ))
        };
        let named_but_missing = BooleanQuery::new(vec![
            (Occur::Must, term(self.fields.tag_key, key)),
            (Occur::MustNot, term(self.fields.campaign, key)),
        ]);
        let misspelt = BooleanQuery::new(vec![
            (Occur::Must, term(self.fields.campaign, key)),
            (Occur::MustNot, term(self.fields.spelling, spelling)),
        ]);
        BooleanQuery::new(vec![
            (Occur::Should, Box::new(named_but_missing)),
            (Occur::Should, Box::new(misspelt)),
        ])
    }

    /// What this run did, item by item.
    pub fn stats(&self) -> WriteStats {
        self.tally.stats()
    }

    /// Commits, then lets the merges under way finish before the writer closes, and returns
    /// what this run did.
    ///
    /// Dropping a writer abandons its merges: the index then keeps more, smaller segments
    /// (slower to search) and the files of unfinished merges until the next crawl's first
    /// commit removes them.
    ///
    /// # Errors
    /// When the index cannot be written or a merge failed; what was committed stays.
    pub fn finish(mut self) -> Result<WriteStats, IndexError> {
        self.commit()?;
        let stats = self.tally.stats();
        self.writer.wait_merging_threads()?;
        Ok(stats)
    }
}

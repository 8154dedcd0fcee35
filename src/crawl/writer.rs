//! The indexing thread: the crawl's async tasks send items, one thread writes them, and the
//! crawl state is saved only once the items it names are committed.
//!
//! It also keeps listings' members: those listed are stored in batches as they come, and once
//! a listing is read through, those it no longer lists are marked gone and dropped.

use std::sync::Arc;
use std::thread::JoinHandle;
use tokio::sync::mpsc;

use crate::index::{IndexError, Indexer, WriteStats};
use crate::model::Item;
use crate::state::{Changes, CollectionRecord, CrawlState, PageRecord};
use crate::tag::Campaigns;
use std::path::Path;

/// Messages in flight between the crawl and the writer; bounds memory when the writer lags.
const QUEUE: usize = 1_024;

enum Message {
    /// A fresh sighting of an item.
    Upsert(Box<Item>),
    /// An item known from before, confirmed by an unchanged source or reached again.
    Confirm {
        id: String,
        found_via: Vec<String>,
        campaigns: Vec<String>,
        counted: bool,
    },
    /// Members of a listing, as it is read.
    Listed(String, Vec<String>),
    /// What a page gave, to remember once its items are durable.
    Page(String, Box<PageRecord>),
    /// A listing's record, likewise; `read` when it was read through, so that the members it
    /// no longer lists are gone.
    Collection {
        key: String,
        record: Box<CollectionRecord>,
        read: bool,
    },
}

/// What the writer did, once it is done.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Written {
    /// Items added, updated, unchanged and gone.
    pub stats: WriteStats,
    /// Items already in the index that joined a campaign learnt in this run.
    pub settled: usize,
}

/// Why the writer stopped.
#[derive(Debug, thiserror::Error)]
pub enum WriterError {
    /// The index failed.
    #[error(transparent)]
    Index(#[from] IndexError),
    /// The crawl state failed.
    #[error(transparent)]
    State(#[from] crate::state::StateError),
}

/// The sending side, used by the crawl.
pub(super) struct WriterHandle {
    sender: mpsc::Sender<Message>,
    thread: JoinHandle<Result<Written, WriterError>>,
    finish: std::sync::mpsc::Sender<Campaigns>,
}

/// Members waiting for a commit at most: beyond, they are stored at once. Members may be
/// stored before their items are durable, since only a listing's record, saved after them,
/// says it was read through.
const LISTED_AHEAD: usize = 20_000;

/// Members read per step when a listing's are gone through.
const MEMBERS_PER_STEP: usize = 1_000;

/// Records waiting for the commit that makes their items durable, and the pass that stamps
/// the members listed.
struct Unsaved {
    changes: Changes,
    pass: u64,
}

impl Unsaved {
    fn save(&mut self, state: &CrawlState) -> Result<(), WriterError> {
        state.save(&self.changes, self.pass)?;
        self.changes = Changes::default();
        Ok(())
    }

    /// Stores the members listed so far, ahead of the records.
    fn store_listed(&mut self, state: &CrawlState) -> Result<(), WriterError> {
        let listed = Changes {
            listed: std::mem::take(&mut self.changes.listed),
            ..Changes::default()
        };
        state.save(&listed, self.pass)?;
        Ok(())
    }
}

impl WriterHandle {
    /// Starts the writing thread with the index's writer.
    pub(super) fn start(
        indexer: Indexer,
        dir: &Path,
        state: Arc<CrawlState>,
    ) -> Result<Self, WriterError> {
        let (sender, receiver) = mpsc::channel(QUEUE);
        let (finish, settle_with) = std::sync::mpsc::channel::<Campaigns>();
        let unsaved = Unsaved {
            changes: Changes::default(),
            pass: state.begin_pass()?,
        };
        let thread = std::thread::Builder::new()
            .name("archive-indexer".into())
            .spawn(move || write_all(indexer, &state, unsaved, receiver, &settle_with))
            .map_err(|e| {
                WriterError::from(IndexError::Io {
                    dir: dir.to_path_buf(),
                    source: e,
                })
            })?;
        Ok(WriterHandle {
            sender,
            thread,
            finish,
        })
    }

    pub(super) async fn upsert(&self, item: Item) -> Result<(), WriterError> {
        self.send(Message::Upsert(Box::new(item))).await
    }

    /// Confirms a known item, adding provenance; `counted` says whether it counts as seen by
    /// this crawl (a source confirmed it) or only gained a seed (a page reached again).
    pub(super) async fn confirm(
        &self,
        id: String,
        found_via: Vec<String>,
        campaigns: Vec<String>,
        counted: bool,
    ) -> Result<(), WriterError> {
        let message = Message::Confirm {
            id,
            found_via,
            campaigns,
            counted,
        };
        self.send(message).await
    }

    /// Members of the listing `key`, as they are read.
    pub(super) async fn listed(&self, key: String, ids: Vec<String>) -> Result<(), WriterError> {
        self.send(Message::Listed(key, ids)).await
    }

    pub(super) async fn page(&self, url: String, record: PageRecord) -> Result<(), WriterError> {
        self.send(Message::Page(url, Box::new(record))).await
    }

    /// A listing's record, once its members were sent; `read` when it was read through.
    pub(super) async fn collection(
        &self,
        key: String,
        record: CollectionRecord,
        read: bool,
    ) -> Result<(), WriterError> {
        let record = Box::new(record);
        self.send(Message::Collection { key, record, read }).await
    }

    async fn send(&self, message: Message) -> Result<(), WriterError> {
        if self.sender.send(message).await.is_err() {
            // The thread stopped early, so it hit an error: `finish` reports it.
            return Err(IndexError::Tantivy(tantivy::TantivyError::InternalError(
                "the indexing thread stopped".into(),
            ))
            .into());
        }
        Ok(())
    }

    /// Waits for every item to be written, settles campaigns, commits and saves the state.
    pub(super) fn finish(self, campaigns: Campaigns) -> Result<Written, WriterError> {
        let WriterHandle {
            sender,
            thread,
            finish,
        } = self;
        drop(sender);
        // If the thread already stopped on an error, the send fails and join reports it.
        let _ = finish.send(campaigns);
        thread.join().unwrap_or_else(|_| {
            Err(IndexError::Tantivy(tantivy::TantivyError::InternalError(
                "the indexing thread panicked".into(),
            ))
            .into())
        })
    }
}

/// The index and the state, which each change to the index may have to save.
struct Target<'a> {
    indexer: Indexer,
    state: &'a CrawlState,
    unsaved: Unsaved,
}

impl Target<'_> {
    /// Changes the index; if that committed, saves what the commit made durable. Records
    /// received before a commit name only items received before it.
    fn index<T>(
        &mut self,
        change: impl FnOnce(&mut Indexer) -> Result<T, IndexError>,
    ) -> Result<T, WriterError> {
        let commits = self.indexer.commits();
        let done = change(&mut self.indexer)?;
        if self.indexer.commits() > commits {
            self.unsaved.save(self.state)?;
        }
        Ok(done)
    }
}

fn write_all(
    indexer: Indexer,
    state: &CrawlState,
    unsaved: Unsaved,
    mut receiver: mpsc::Receiver<Message>,
    settle_with: &std::sync::mpsc::Receiver<Campaigns>,
) -> Result<Written, WriterError> {
    let mut target = Target {
        indexer,
        state,
        unsaved,
    };
    while let Some(message) = receiver.blocking_recv() {
        apply(&mut target, message)?;
    }
    let Target {
        mut indexer,
        mut unsaved,
        ..
    } = target;
    // The crawl dropped its sender: everything is in. Settle campaigns if it finished
    // normally; commit in any case, then save what the commit made durable. An interrupted
    // crawl does not wait for the index's merges; a finished one leaves them done.
    let (settled, stats) = match settle_with.recv() {
        Ok(known) => {
            let settled = indexer.settle_campaigns(&known)?;
            unsaved.save(state)?;
            (settled, indexer.finish()?)
        }
        Err(_) => {
            indexer.commit()?;
            unsaved.save(state)?;
            (0, indexer.stats())
        }
    };
    Ok(Written { stats, settled })
}

fn apply(target: &mut Target<'_>, message: Message) -> Result<(), WriterError> {
    match message {
        Message::Upsert(item) => {
            target.index(|indexer| indexer.upsert(*item))?;
        }
        Message::Confirm {
            id,
            found_via,
            campaigns,
            counted: true,
        } => {
            target.index(|indexer| indexer.confirm(&id, &found_via, &campaigns))?;
        }
        Message::Confirm {
            id,
            found_via,
            campaigns,
            counted: false,
        } => {
            target.index(|indexer| {
                indexer.amend(&id, |item| {
                    item.found_via.extend(found_via);
                    item.campaigns.extend(campaigns);
                })
            })?;
        }
        Message::Listed(key, ids) => {
            let unsaved = &mut target.unsaved;
            unsaved.changes.listed.push((key, ids));
            if unsaved.changes.listed_members() >= LISTED_AHEAD {
                unsaved.store_listed(target.state)?;
            }
        }
        Message::Page(url, record) => target.unsaved.changes.pages.push((url, *record)),
        Message::Collection { key, record, read } => {
            if read {
                drop_unlisted(target, &key)?;
            }
            target.unsaved.changes.collections.push((key, *record));
        }
    }
    Ok(())
}

/// Marks gone the members a listing read through no longer lists (those this pass did not
/// stamp), and drops them once that is durable.
fn drop_unlisted(target: &mut Target<'_>, key: &str) -> Result<(), WriterError> {
    target.unsaved.store_listed(target.state)?;
    let mut after: Option<String> = None;
    loop {
        let members = target
            .state
            .members(key, after.as_deref(), MEMBERS_PER_STEP)?;
        let Some((last, _)) = members.last() else {
            return Ok(());
        };
        after = Some(last.clone());
        for (id, pass) in members {
            if pass != target.unsaved.pass {
                target.index(|indexer| indexer.mark_gone(&id))?;
                target.unsaved.changes.dropped.push((key.to_string(), id));
            }
        }
    }
}

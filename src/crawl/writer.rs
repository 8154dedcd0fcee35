//! The indexing thread: the crawl's async tasks send items, one thread writes them, and the
//! crawl state is saved only once the items it names are committed.

use std::sync::Arc;
use std::thread::JoinHandle;
use tokio::sync::mpsc;

use crate::index::{IndexError, Indexer, WriteStats};
use crate::model::Item;
use crate::state::{CollectionRecord, CrawlState, PageRecord};
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
    /// An item that left its album.
    Gone(String),
    /// What a page gave, to remember once its items are durable.
    Page(String, Box<PageRecord>),
    /// What a listing held, likewise.
    Collection(String, Box<CollectionRecord>),
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

/// Records waiting for the commit that makes their items durable.
#[derive(Default)]
struct Unsaved {
    pages: Vec<(String, PageRecord)>,
    collections: Vec<(String, CollectionRecord)>,
}

impl Unsaved {
    fn save(&mut self, state: &CrawlState) -> Result<(), WriterError> {
        state.save(&self.pages, &self.collections)?;
        *self = Unsaved::default();
        Ok(())
    }
}

impl WriterHandle {
    /// Starts the writing thread with the index's writer.
    pub(super) fn start(
        indexer: Indexer,
        dir: &Path,
        state: Arc<CrawlState>,
    ) -> Result<Self, IndexError> {
        let (sender, receiver) = mpsc::channel(QUEUE);
        let (finish, settle_with) = std::sync::mpsc::channel::<Campaigns>();
        let thread = std::thread::Builder::new()
            .name("archive-indexer".into())
            .spawn(move || write_all(indexer, &state, receiver, &settle_with))
            .map_err(|e| IndexError::Io {
                dir: dir.to_path_buf(),
                source: e,
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

    pub(super) async fn gone(&self, id: String) -> Result<(), WriterError> {
        self.send(Message::Gone(id)).await
    }

    pub(super) async fn page(&self, url: String, record: PageRecord) -> Result<(), WriterError> {
        self.send(Message::Page(url, Box::new(record))).await
    }

    pub(super) async fn collection(
        &self,
        url: String,
        record: CollectionRecord,
    ) -> Result<(), WriterError> {
        self.send(Message::Collection(url, Box::new(record))).await
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

fn write_all(
    mut indexer: Indexer,
    state: &CrawlState,
    mut receiver: mpsc::Receiver<Message>,
    settle_with: &std::sync::mpsc::Receiver<Campaigns>,
) -> Result<Written, WriterError> {
    let mut unsaved = Unsaved::default();
    while let Some(message) = receiver.blocking_recv() {
        let commits = indexer.commits();
        apply(&mut indexer, &mut unsaved, message)?;
        // Records received before this commit name only items received before it.
        if indexer.commits() > commits {
            unsaved.save(state)?;
        }
    }
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

fn apply(
    indexer: &mut Indexer,
    unsaved: &mut Unsaved,
    message: Message,
) -> Result<(), WriterError> {
    match message {
        Message::Upsert(item) => {
            indexer.upsert(*item)?;
        }
        Message::Confirm {
            id,
            found_via,
            campaigns,
            counted: true,
        } => {
            indexer.confirm(&id, &found_via, &campaigns)?;
        }
        Message::Confirm {
            id,
            found_via,
            campaigns,
            counted: false,
        } => {
            indexer.amend(&id, |item| {
                item.found_via.extend(found_via);
                item.campaigns.extend(campaigns);
            })?;
        }
        Message::Gone(id) => {
            indexer.mark_gone(&id)?;
        }
        Message::Page(url, record) => unsaved.pages.push((url, *record)),
        Message::Collection(url, record) => unsaved.collections.push((url, *record)),
    }
    Ok(())
}

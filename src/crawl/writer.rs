//! The indexing thread: the crawl's async tasks send items, one thread writes them.

use std::thread::JoinHandle;
use tokio::sync::mpsc;

use crate::index::{ArchiveIndex, IndexError, WriteStats};
use crate::model::Item;
use crate::tag::Campaigns;

/// Items in flight between the crawl and the writer; bounds memory when the writer lags.
const QUEUE: usize = 1_024;

enum Message {
    Upsert(Box<Item>),
    AddProvenance {
        id: String,
        found_via: Vec<String>,
        campaigns: Vec<String>,
    },
}

/// What the writer did, once it is done.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Written {
    /// Items added, updated and unchanged.
    pub stats: WriteStats,
    /// Items already in the index that joined a campaign learnt in this run.
    pub settled: usize,
}

/// The sending side, used by the crawl.
pub(super) struct WriterHandle {
    sender: mpsc::Sender<Message>,
    thread: JoinHandle<Result<Written, IndexError>>,
    finish: std::sync::mpsc::Sender<Campaigns>,
}

impl WriterHandle {
    /// Takes the index's writer and starts its thread.
    pub(super) fn start(index: &ArchiveIndex) -> Result<Self, IndexError> {
        let mut indexer = index.indexer()?;
        let (sender, mut receiver) = mpsc::channel(QUEUE);
        let (finish, settle_with) = std::sync::mpsc::channel::<Campaigns>();
        let thread = std::thread::Builder::new()
            .name("archive-indexer".into())
            .spawn(move || {
                while let Some(message) = receiver.blocking_recv() {
                    match message {
                        Message::Upsert(item) => {
                            indexer.upsert(*item)?;
                        }
                        Message::AddProvenance {
                            id,
                            found_via,
                            campaigns,
                        } => {
                            if let Some(mut item) = indexer.stored(&id)? {
                                item.found_via.extend(found_via);
                                item.campaigns.extend(campaigns);
                                indexer.upsert(item)?;
                            }
                        }
                    }
                }
                // The crawl dropped its sender: everything is in. Settle campaigns if it
                // finished normally, then commit in any case.
                let settled = match settle_with.recv() {
                    Ok(known) => indexer.settle_campaigns(&known)?,
                    Err(_) => {
                        indexer.commit()?;
                        0
                    }
                };
                Ok(Written {
                    stats: indexer.stats(),
                    settled,
                })
            })
            .map_err(|e| IndexError::Io {
                dir: index.dir().to_path_buf(),
                source: e,
            })?;
        Ok(WriterHandle {
            sender,
            thread,
            finish,
        })
    }

    pub(super) async fn upsert(&self, item: Item) -> Result<(), IndexError> {
        self.send(Message::Upsert(Box::new(item))).await
    }

    pub(super) async fn add_provenance(
        &self,
        id: String,
        found_via: Vec<String>,
        campaigns: Vec<String>,
    ) -> Result<(), IndexError> {
        self.send(Message::AddProvenance {
            id,
            found_via,
            campaigns,
        })
        .await
    }

    async fn send(&self, message: Message) -> Result<(), IndexError> {
        if self.sender.send(message).await.is_err() {
            // The thread stopped early, so it hit an error: `finish` reports it.
            return Err(IndexError::Tantivy(tantivy::TantivyError::InternalError(
                "the indexing thread stopped".into(),
            )));
        }
        Ok(())
    }

    /// Waits for every item to be written, settles campaigns and commits.
    pub(super) fn finish(self, campaigns: Campaigns) -> Result<Written, IndexError> {
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
            )))
        })
    }
}

//! The local archive: a Tantivy index on disk, one document per item.
//!
//! Only this module, and the search module above it, see Tantivy types.

mod campaigns;
mod check;
pub mod import;
mod origin;
pub mod quickwit;
mod readonly;
pub mod schema;
mod stats;
mod upgrade;
mod writer;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use tantivy::directory::MmapDirectory;
use tantivy::{Index, IndexReader, ReloadPolicy, Searcher, TantivyError};

use crate::model::Timestamp;

pub use campaigns::{CampaignCount, CampaignSummary};
pub use check::Health;
pub use origin::Origin;
pub(crate) use schema::Fields;
pub use stats::{Counts, Outcome, WriteStats};
pub use upgrade::{Upgrade, upgrade};
pub use writer::{COMMIT_EVERY, COMMIT_EVERY_ITEMS, Indexer, WRITER_BUDGET};

/// Where the index lives when neither `--index` nor `ARCHIVE_INDEX` says otherwise.
pub const DEFAULT_DIR: &str = "index";

/// An error a read of the index can end in, so that [`ArchiveIndex::unless_damaged`] can
/// tell damage from the rest.
pub trait ReadError: From<IndexError> {
    /// The index error this is, or itself when it is something else.
    ///
    /// # Errors
    /// Itself, when it is not an index error.
    fn into_index_error(self) -> Result<IndexError, Self>;
}

impl ReadError for IndexError {
    fn into_index_error(self) -> Result<IndexError, Self> {
        Ok(self)
    }
}

/// Why the index could not be used.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    /// Searching an index that was never built.
    #[error(
        "no index at {0}: run `archive crawl` first, or point --index (or ARCHIVE_INDEX) at an existing index"
    )]
    Missing(PathBuf),
    /// Another crawl holds the writer lock.
    #[error("another `archive crawl` is writing to the index at {0}; wait for it to finish")]
    Locked(PathBuf),
    /// The index's files are damaged: reading them failed where a sound index cannot.
    #[error(
        "the index at {dir} could not be read and may be damaged ({detail}): run `archive \
         check --index {dir}` to see what is wrong, then crawl again into a new index or \
         restore a copy"
    )]
    Damaged {
        /// The index directory.
        dir: PathBuf,
        /// What failed.
        detail: String,
    },
    /// Nothing can be written where the index is (a read-only mount, no permission).
    #[error(
        "the index at {0} is read-only (a read-only mount, or no permission to write there): \
         searching works; to crawl into it, copy it somewhere writable and use --index"
    )]
    ReadOnly(PathBuf),
    /// The directory holds something else, or an index of another schema.
    #[error("the index at {dir} cannot be used: {reason}")]
    Incompatible {
        /// The index directory.
        dir: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// Reading or writing the index failed.
    #[error("index error: {0}")]
    Tantivy(#[from] TantivyError),
    /// The directory could not be created or read.
    #[error("cannot use {dir}: {source}")]
    Io {
        /// The index directory.
        dir: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
}

/// Search threads at most: a segment is the unit of parallel work, and an index rarely has
/// more segments worth a thread of their own.
const SEARCH_THREADS: usize = 8;

/// Lets a search visit the segments on every core: a query that counts or ranks hundreds of
/// thousands of matches is bound by one core otherwise. Only for indexes opened to read; a
/// writer's own lookups are single-document and would pay the hand-over for nothing. Where
/// no thread pool can be made, searches stay on the calling thread.
fn search_segments_in_parallel(index: &mut Index) {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(SEARCH_THREADS));
    if threads > 1 {
        let _ = index.set_multithread_executor(threads);
    }
}

/// An open archive index.
#[derive(Clone)]
pub struct ArchiveIndex {
    index: Index,
    fields: Fields,
    dir: PathBuf,
    /// The reader searches share, with the commit it last loaded.
    searching: Arc<Mutex<Option<(IndexReader, u64)>>>,
    /// Opened where nothing can be written: searching only.
    read_only: bool,
}

impl ArchiveIndex {
    /// Opens the index in `dir`, creating the directory and an empty index if needed. An
    /// index of an older schema is rebuilt first ([`upgrade`]).
    ///
    /// # Errors
    /// When the directory cannot be created, or holds an index that cannot be used.
    pub fn open_or_create(dir: &Path) -> Result<Self, IndexError> {
        upgrade(dir)?;
        let exists = dir.join("meta.json").is_file();
        std::fs::create_dir_all(dir).map_err(|source| IndexError::Io {
            dir: dir.to_path_buf(),
            source,
        })?;
        let (schema, fields) = schema::build();
        let directory = MmapDirectory::open(dir).map_err(|e| incompatible(dir, &e))?;
        let index = Index::open_or_create(directory, schema).map_err(|e| match e {
            TantivyError::SchemaError(_) => IndexError::Incompatible {
                dir: dir.to_path_buf(),
                reason: format!(
                    "it was built by another version of archive (this one writes schema {}); \
                     move it away or delete it, then crawl again",
                    schema::SCHEMA_VERSION
                ),
            },
            other => incompatible(dir, &other),
        })?;
        if !exists {
            upgrade::record_version(dir)?;
        }
        Ok(Self::wrap(index, fields, dir))
    }

    /// Opens an existing index in `dir` for reading. An index of an older schema is rebuilt
    /// first ([`upgrade`]).
    ///
    /// # Errors
    /// [`IndexError::Missing`] when there is none.
    pub fn open(dir: &Path) -> Result<Self, IndexError> {
        if !dir.join("meta.json").is_file() {
            return Err(IndexError::Missing(dir.to_path_buf()));
        }
        let read_only = !readonly::writable(dir);
        if !read_only {
            upgrade(dir)?;
        }
        let index = if read_only {
            readonly::ReadOnlyDirectory::open(dir).and_then(Index::open)
        } else {
            Index::open_in_dir(dir)
        }
        .map_err(|e| incompatible(dir, &e))?;
        let (schema, fields) = schema::build();
        if index.schema() != schema {
            return Err(IndexError::Incompatible {
                dir: dir.to_path_buf(),
                reason: "it was built by another version of archive; crawl again into a new index"
                    .into(),
            });
        }
        let mut index = index;
        search_segments_in_parallel(&mut index);
        let mut opened = Self::wrap(index, fields, dir);
        opened.read_only = read_only;
        Ok(opened)
    }

    fn wrap(index: Index, fields: Fields, dir: &Path) -> Self {
        schema::register_tokenizers(&index);
        ArchiveIndex {
            index,
            fields,
            dir: dir.to_path_buf(),
            searching: Arc::default(),
            read_only: false,
        }
    }

    /// Whether the index was opened where nothing can be written.
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// The index directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// A reader on the last commit; reloaded by hand, so a search sees one consistent state.
    ///
    /// # Errors
    /// When the index files cannot be read.
    pub(crate) fn reader(&self) -> Result<IndexReader, IndexError> {
        Ok(self
            .index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?)
    }

    /// A searcher on the last commit. Searches share one reader, reloaded only when a commit
    /// happened since, so that a search costs no more than its query.
    ///
    /// # Errors
    /// When the index files cannot be read.
    pub(crate) fn searcher(&self) -> Result<Searcher, IndexError> {
        let opstamp = self.index.load_metas()?.opstamp;
        let mut shared = self
            .searching
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        match shared.as_mut() {
            Some((reader, loaded)) => {
                if *loaded != opstamp {
                    reader.reload()?;
                    *loaded = opstamp;
                }
                Ok(reader.searcher())
            }
            None => {
                let reader = self.reader()?;
                let searcher = reader.searcher();
                *shared = Some((reader, opstamp));
                Ok(searcher)
            }
        }
    }

    pub(crate) fn tantivy(&self) -> &Index {
        &self.index
    }

    pub(crate) fn fields(&self) -> &Fields {
        &self.fields
    }

    /// Takes the index's single writer. Use it from one thread.
    ///
    /// # Errors
    /// [`IndexError::Locked`] when another process is writing.
    pub fn indexer(&self) -> Result<Indexer, IndexError> {
        Indexer::new(self, crate::media::dates::now())
    }

    /// As [`ArchiveIndex::indexer`], for a crawl that started at `run_started`: the items it
    /// sees are dated so (`first_seen`, `last_seen`).
    ///
    /// # Errors
    /// As [`ArchiveIndex::indexer`].
    pub fn indexer_at(&self, run_started: Timestamp) -> Result<Indexer, IndexError> {
        Indexer::new(self, run_started)
    }

    /// Runs `read` over the index's files, turning what damaged files cause (a panic in
    /// Tantivy's decoding of a term dictionary or a column whose bytes were overwritten, or
    /// an error reading or decoding them) into [`IndexError::Damaged`].
    ///
    /// # Errors
    /// `read`'s own, or [`IndexError::Damaged`].
    pub fn unless_damaged<T, E: ReadError>(
        &self,
        read: impl FnOnce() -> Result<T, E>,
    ) -> Result<T, E> {
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(read)) {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(error)) => Err(match error.into_index_error() {
                Ok(IndexError::Tantivy(
                    error @ (TantivyError::IoError(_)
                    | TantivyError::DataCorruption(_)
                    | TantivyError::OpenReadError(_)),
                )) => self.damaged(error.to_string()).into(),
                Ok(other) => other.into(),
                Err(error) => error,
            }),
            Err(payload) => {
                let detail = payload
                    .downcast_ref::<&str>()
                    .map(|s| (*s).to_string())
                    .or_else(|| payload.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "a read failed".into());
                Err(self.damaged(detail).into())
            }
        }
    }

    fn damaged(&self, detail: String) -> IndexError {
        IndexError::Damaged {
            dir: self.dir.clone(),
            detail,
        }
    }

    /// Reads the whole index through, as searches would, and says what is wrong with it.
    ///
    /// # Errors
    /// When the index's list of files cannot be read at all.
    pub fn check(&self) -> Result<Health, IndexError> {
        check::check(self)
    }

    /// Every campaign with its number of items, most items first.
    ///
    /// # Errors
    /// When the index cannot be read.
    pub fn campaigns(&self) -> Result<Vec<CampaignCount>, IndexError> {
        self.unless_damaged(|| campaigns::list(self))
    }

    /// Every campaign with its number of items, dates, sources and seed releases, most items
    /// first.
    ///
    /// # Errors
    /// When the index cannot be read.
    pub fn campaign_summaries(&self) -> Result<Vec<CampaignSummary>, IndexError> {
        self.unless_damaged(|| campaigns::summaries(self))
    }

    /// The campaigns already in the index, for a crawl to build on.
    ///
    /// # Errors
    /// When the index cannot be read.
    pub fn known_campaigns(&self) -> Result<crate::tag::Campaigns, IndexError> {
        campaigns::known(self)
    }

    /// How many items the index holds.
    ///
    /// # Errors
    /// When the index cannot be read.
    pub fn len(&self) -> Result<u64, IndexError> {
        Ok(self.searcher()?.num_docs())
    }

    /// Whether the index holds no item.
    ///
    /// # Errors
    /// When the index cannot be read.
    pub fn is_empty(&self) -> Result<bool, IndexError> {
        Ok(self.len()? == 0)
    }
}

pub(crate) fn incompatible(dir: &Path, error: &dyn std::fmt::Display) -> IndexError {
    IndexError::Incompatible {
        dir: dir.to_path_buf(),
        reason: error.to_string(),
    }
}

/// The item a search hit points at.
pub(crate) fn item_of(
    doc: &tantivy::TantivyDocument,
    index: &ArchiveIndex,
) -> Option<crate::model::Item> {
    schema::to_item(doc, index.fields())
}

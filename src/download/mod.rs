//! Downloading the files of the items a search finds, into a pack a newsroom can use:
//! `DIR/<campaign>/<date>_<title>_<id>.<ext>`, each file with an XMP sidecar carrying its
//! credit and licence, and the pack's `manifest.json`, `manifest.csv`, `CREDITS.md` and
//! `SHA256SUMS`.
//!
//! Every request goes through the crawl's [`Fetcher`], with all its manners. Files stream to
//! `.part` files and are renamed into place once complete and checked (size, type, checksum),
//! so that a pack never holds half a file under a final name. A journal in the pack remembers
//! what is complete and what was started: running the same download again asks only whether
//! files changed, resumes partial ones, and replaces a file whose original changed, keeping
//! the old one beside it.

mod choose;
mod disk;
mod entry;
mod journal;
mod jpeg;
mod names;
mod pack;
mod place;
mod sniff;
mod transfer;
pub mod xmp;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicU64;

pub use choose::{Chosen, SizeChoice, file_of};
pub use disk::LOCK_FILE as LOCK;
pub use entry::{Entry, Previous, Status};
pub use journal::FILE_NAME as JOURNAL;
pub use jpeg::{EmbedError, embed};
pub use names::MAX_NAME;

use crate::fetch::{FetchError, Fetcher, Purpose};
use crate::model::Item;
use journal::{Complete, Journal, Known};

/// How to download.
#[derive(Clone, Debug)]
pub struct Options {
    /// The pack's directory.
    pub to: PathBuf,
    /// Which size of a photo.
    pub size: SizeChoice,
    /// Every file in `to` itself, not in a folder per campaign.
    pub flat: bool,
    /// Also write the XMP into JPEG files.
    pub embed: bool,
    /// The largest file accepted, in bytes.
    pub max_file: u64,
    /// The most bytes this run may download.
    pub max_total: Option<u64>,
    /// Files downloaded at once.
    pub in_flight: usize,
    /// The rules requests follow: [`Purpose::PublicLink`] keeps them off private networks.
    pub purpose: Purpose,
    /// Campaigns the user named: an item in one of them goes in that one's folder.
    pub campaigns: Vec<String>,
    /// The query and filters that chose the items, for the manifest.
    pub query: String,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            to: PathBuf::from("pack"),
            size: SizeChoice::Original,
            flat: false,
            embed: false,
            max_file: 2 << 30,
            max_total: None,
            in_flight: 4,
            purpose: Purpose::PublicLink,
            campaigns: Vec::new(),
            query: String::new(),
        }
    }
}

/// Why a whole download could not go on (one file's failure is in its [`Entry`]).
#[derive(Debug, thiserror::Error)]
pub enum DownloadError {
    /// The pack's directory or its own files could not be written.
    #[error("cannot write the pack at {path}: {source}")]
    Pack {
        /// What could not be written.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// Another run is writing the same pack.
    #[error(
        "another `archive download` is writing the pack at {0}: wait for it to end, or choose another --to"
    )]
    Busy(PathBuf),
}

/// Why one file could not be downloaded.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    /// The request failed.
    #[error(transparent)]
    Fetch(FetchError),
    /// The file is larger than `--max-file`.
    #[error("larger than the --max-file limit of {0} bytes")]
    TooLarge(u64),
    /// What arrived is not the item's kind of media.
    #[error("{0}")]
    NotMedia(String),
    /// Fewer bytes arrived than the server announced.
    #[error("the file was cut short: {received} of {expected} bytes arrived")]
    Truncated {
        /// Bytes held.
        received: u64,
        /// Bytes announced.
        expected: u64,
    },
    /// A resumed transfer got another part of the file than asked for.
    #[error("the server sent another part of the file than the one asked for")]
    WrongRange,
    /// The run reached `--max-total`.
    #[error("the run reached its --max-total of {0} bytes")]
    OverTotal(u64),
    /// The disk has no room for the file.
    #[error("not enough free disk space: the file needs {needed} bytes, {available} are free")]
    DiskFull {
        /// The file's size.
        needed: u64,
        /// Free bytes.
        available: u64,
    },
    /// A file of the pack could not be written.
    #[error("cannot write {path}: {source}")]
    Io {
        /// Which.
        path: String,
        /// Why.
        source: std::io::Error,
    },
}

impl FileError {
    fn fetched(error: FetchError, max_file: u64) -> Self {
        match error {
            FetchError::TooLarge(_) => FileError::TooLarge(max_file),
            other => FileError::Fetch(other),
        }
    }

    fn io(path: &Path, source: std::io::Error) -> Self {
        FileError::Io {
            path: path.display().to_string(),
            source,
        }
    }

    /// Whether the transfer may go on from where it stopped.
    fn may_resume(&self) -> bool {
        match self {
            FileError::Fetch(error) => error.is_retryable(),
            FileError::Truncated { .. } | FileError::WrongRange => true,
            _ => false,
        }
    }
}

/// What a download tells as it goes, for a progress display.
pub trait Observer: Send + Sync {
    /// This many files are to be asked for.
    fn planned(&self, _files: usize) {}
    /// Bytes arrived.
    fn received(&self, _bytes: u64) {}
    /// An item is done, whatever became of it.
    fn finished(&self, _entry: &Entry) {}
}

/// An observer that says nothing.
pub struct Silent;
impl Observer for Silent {}

/// One item to download, its file chosen and named.
#[derive(Clone, Debug)]
pub struct Job {
    /// The item.
    pub item: Item,
    /// Its file, or why it has none.
    pub chosen: Result<Chosen, String>,
    /// Its folder in the pack (empty with `--flat`).
    pub folder: String,
    /// Its file's name, before the extension.
    pub stem: String,
    /// What an earlier run completed for it.
    earlier: Option<Complete>,
}

impl Job {
    /// The file's path in the pack before its extension.
    pub fn stem_path(&self) -> String {
        if self.folder.is_empty() {
            self.stem.clone()
        } else {
            format!("{}/{}", self.folder, self.stem)
        }
    }

    fn part_path(&self) -> String {
        format!("{}.part", self.stem_path())
    }

    /// The file an earlier run completed, if its copy in `dir` is whole.
    pub fn complete_in(&self, dir: &Path) -> Option<&Entry> {
        let entry = &self.earlier.as_ref()?.entry;
        let file = dir.join(entry.file.as_deref()?);
        disk::matches(&file, entry.bytes?, entry.sha256.as_deref()?).then_some(entry)
    }
}

/// The items in order, each with its file and name: what a run will do.
#[derive(Debug)]
pub struct Plan {
    /// The jobs, in the search's order.
    pub jobs: Vec<Job>,
    /// What the pack's journal knew before this run.
    known: Known,
}

/// Chooses and names each item's file; names an earlier run gave are kept.
pub fn plan(items: Vec<Item>, options: &Options) -> Plan {
    let known = Journal::peek(&options.to);
    let mut taken = names::Taken::default();
    for complete in known.complete.values() {
        if let Some((folder, stem)) = complete.entry.file.as_deref().map(split_file) {
            taken.reserve(folder, stem);
        }
    }
    let jobs = items
        .into_iter()
        .map(|item| {
            let earlier = known.complete.get(&item.id).cloned();
            let chosen = file_of(&item, options.size);
            let (folder, stem) = match earlier.as_ref().and_then(|c| c.entry.file.as_deref()) {
                Some(file) => {
                    let (folder, stem) = split_file(file);
                    (folder.to_string(), stem.to_string())
                }
                None => {
                    let folder = folder_of(&item, options);
                    let stem = taken.claim(&folder, &names::stem(&item));
                    (folder, stem)
                }
            };
            Job {
                item,
                chosen,
                folder,
                stem,
                earlier,
            }
        })
        .collect();
    Plan { jobs, known }
}

/// A pack path's folder and the stem of its name (the name up to its first dot).
fn split_file(file: &str) -> (&str, &str) {
    let (folder, name) = file.rsplit_once('/').unwrap_or(("", file));
    (folder, name.split('.').next().unwrap_or(name))
}

/// The folder of an item: a campaign the user named, else its first, else none.
fn folder_of(item: &Item, options: &Options) -> String {
    if options.flat {
        return String::new();
    }
    let named: Vec<String> = options
        .campaigns
        .iter()
        .map(|c| crate::tag::key(c))
        .collect();
    let campaign = item
        .campaigns
        .iter()
        .find(|c| named.contains(&crate::tag::key(c)))
        .or(item.campaigns.first());
    names::folder(campaign.map(String::as_str))
}

/// What a run did.
#[derive(Debug, Default)]
pub struct Report {
    /// Every item of the pack: this run's, then those earlier runs left.
    pub entries: Vec<Entry>,
}

impl Report {
    /// How many entries have this status.
    pub fn count(&self, status: Status) -> usize {
        self.entries.iter().filter(|e| e.status == status).count()
    }

    /// Whether every file asked for is in the pack.
    pub fn succeeded(&self) -> bool {
        self.count(Status::Failed) == 0
    }
}

/// What the workers share.
struct Context {
    fetcher: Fetcher,
    options: Options,
    journal: Journal,
    known: Known,
    observer: Arc<dyn Observer>,
    /// Bytes received in this run.
    used: AtomicU64,
}

mod run;
pub use run::{preview, run};

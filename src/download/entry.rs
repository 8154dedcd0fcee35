//! One line of the pack's manifest: an item, its file, and what became of it.

use serde::{Deserialize, Serialize};

use crate::media::rights::classify;
use crate::model::{Item, Kind};
use crate::search::credit::credit_line;

/// What became of an item in this run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Downloaded now.
    Downloaded,
    /// Its original changed since it was downloaded: the new one replaced it, and the old
    /// one was kept beside it.
    Updated,
    /// Already complete and unchanged.
    Unchanged,
    /// Downloaded by an earlier run, not selected by this one, and left as it was.
    Kept,
    /// Not downloadable: a video on a platform's player, an article, no file known.
    Skipped,
    /// Could not be downloaded; `reason` says why.
    Failed,
    /// `--dry-run`: would be downloaded.
    Planned,
}

impl Status {
    /// The word in the manifest.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Downloaded => "downloaded",
            Status::Updated => "updated",
            Status::Unchanged => "unchanged",
            Status::Kept => "kept",
            Status::Skipped => "skipped",
            Status::Failed => "failed",
            Status::Planned => "planned",
        }
    }

    /// Whether the item's file is in the pack after this status.
    pub fn has_file(self) -> bool {
        matches!(
            self,
            Status::Downloaded | Status::Updated | Status::Unchanged | Status::Kept
        )
    }
}

/// An earlier version of a file, kept when its original changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Previous {
    /// Its path in the pack.
    pub file: String,
    /// Its size in bytes.
    pub bytes: u64,
    /// Its SHA-256, hex.
    pub sha256: String,
}

/// An item as the manifest lists it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// The item's id in the index.
    pub id: String,
    /// Its title.
    pub title: Option<String>,
    /// Photo, video or audio.
    pub kind: Kind,
    /// The file's path in the pack, `/`-separated.
    pub file: Option<String>,
    /// The file's size in bytes.
    pub bytes: Option<u64>,
    /// The SHA-256 of the file as it is in the pack, hex (what SHA256SUMS lists).
    pub sha256: Option<String>,
    /// The SHA-256 of the file as it was received, before `--embed` wrote into it.
    pub received_sha256: Option<String>,
    /// The media type that was received.
    pub content_type: Option<String>,
    /// The file's address.
    pub media_url: Option<String>,
    /// The page that presents the item.
    pub page_url: Option<String>,
    /// The credit line to print with it.
    pub credit_line: String,
    /// The licence's name.
    pub license: Option<String>,
    /// The licence's URL.
    pub license_url: Option<String>,
    /// The licence's class (`cc-by-sa`, `all-rights-reserved`…).
    pub license_class: String,
    /// Whether a newsroom may publish it without asking.
    pub reusable: bool,
    /// Its campaigns.
    pub campaigns: Vec<String>,
    /// What became of it.
    pub status: Status,
    /// Why it failed or was skipped, or a note on a success.
    pub reason: Option<String>,
    /// Earlier versions kept beside the file.
    #[serde(default)]
    pub previous: Vec<Previous>,
}

impl Entry {
    /// The entry for `item`, its file not known yet.
    pub fn of(item: &Item, status: Status) -> Self {
        let class = classify(item.license.as_deref(), item.license_url.as_deref());
        Entry {
            id: item.id.clone(),
            title: item.title.clone(),
            kind: item.kind,
            file: None,
            bytes: None,
            sha256: None,
            received_sha256: None,
            content_type: None,
            media_url: item.media_url.clone(),
            page_url: item.page_url.clone(),
            credit_line: credit_line(item),
            license: item.license.clone(),
            license_url: item.license_url.clone(),
            license_class: class.key().to_string(),
            reusable: class.is_reusable(),
            campaigns: item.campaigns.clone(),
            status,
            reason: None,
            previous: Vec::new(),
        }
    }

    /// Whether the pack holds this entry's file: a file checked or fetched now, one an
    /// earlier run left, or the whole earlier copy of one that could not be checked now.
    pub fn in_pack(&self) -> bool {
        let failed_with_copy =
            self.status == Status::Failed && self.file.is_some() && self.sha256.is_some();
        self.status.has_file() || failed_with_copy
    }

    /// The same entry with a reason.
    #[must_use]
    pub fn because(mut self, reason: impl Into<String>) -> Self {
        self.reason = Some(reason.into());
        self
    }

    /// This entry's file facts, carried from an earlier run's entry.
    #[must_use]
    pub fn with_file_of(mut self, earlier: &Entry) -> Self {
        self.file.clone_from(&earlier.file);
        self.bytes = earlier.bytes;
        self.sha256.clone_from(&earlier.sha256);
        self.received_sha256.clone_from(&earlier.received_sha256);
        self.content_type.clone_from(&earlier.content_type);
        self.media_url.clone_from(&earlier.media_url);
        self.previous.clone_from(&earlier.previous);
        self
    }
}

//! Rebuilding an index of an older schema into the current one.
//!
//! Every document stores its whole item, so an old index holds everything a new one needs:
//! the upgrade reads each stored item, writes a fresh index in a directory next to the old
//! one, then swaps the two directories in one step. Until the swap, the old index is
//! untouched; a failure leaves it as it was.

use std::path::{Path, PathBuf};
use tantivy::directory::INDEX_WRITER_LOCK;
use tantivy::schema::Field;
use tantivy::{Directory, Index, TantivyDocument};

use super::IndexError;
use super::schema::{self, SCHEMA_VERSION};

/// The file that records which schema version wrote the index. Tantivy ignores it.
const VERSION_FILE: &str = "archive-schema-version";
/// Memory for the rebuild's writer: small, since it writes one segment at a time.
const WRITER_BUDGET: usize = 50_000_000;

/// An index rebuilt into the current schema.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Upgrade {
    /// The index directory.
    pub dir: PathBuf,
    /// The schema version it had.
    pub from: u32,
    /// The schema version it has now.
    pub to: u32,
    /// How many items were carried over.
    pub items: u64,
}

/// Rebuilds the index in `dir` when an older version of archive wrote it. Returns `None` when
/// there is no index there or it is current.
///
/// # Errors
/// [`IndexError::Locked`] when a crawl is writing to it, [`IndexError::Incompatible`] when it
/// was written by a newer version or is not an archive index, and any read or write error;
/// the old index is then left as it was.
pub fn upgrade(dir: &Path) -> Result<Option<Upgrade>, IndexError> {
    if !dir.join("meta.json").is_file() {
        return Ok(None);
    }
    // The common case costs one small read: this version wrote the index.
    if std::fs::read_to_string(dir.join(VERSION_FILE))
        .is_ok_and(|text| text.trim() == SCHEMA_VERSION.to_string())
    {
        return Ok(None);
    }
    let old = Index::open_in_dir(dir).map_err(|e| super::incompatible(dir, &e))?;
    let (schema, _) = schema::build();
    if old.schema() == schema {
        return Ok(None);
    }
    let from = recorded_version(dir);
    if from >= SCHEMA_VERSION {
        return Err(IndexError::Incompatible {
            dir: dir.to_path_buf(),
            reason: format!(
                "it was written by a newer version of archive (schema {from}; this one reads \
                 schema {SCHEMA_VERSION}): upgrade archive"
            ),
        });
    }
    let item_field = stored_item_field(&old).ok_or_else(|| IndexError::Incompatible {
        dir: dir.to_path_buf(),
        reason: "it is not an archive index (it has no stored items)".into(),
    })?;
    // No crawl may write to the old index while its items are copied.
    let _lock = old
        .directory()
        .acquire_lock(&INDEX_WRITER_LOCK)
        .map_err(|_| IndexError::Locked(dir.to_path_buf()))?;
    let fresh = sibling(dir, "upgrade");
    let items = rebuild(&old, item_field, &fresh).inspect_err(|_| {
        let _ = std::fs::remove_dir_all(&fresh);
    })?;
    carry_over_other_files(dir, &fresh).map_err(|e| io_error(dir, e))?;
    swap(dir, &fresh)?;
    Ok(Some(Upgrade {
        dir: dir.to_path_buf(),
        from,
        to: SCHEMA_VERSION,
        items,
    }))
}

/// Records the current schema version in a new index's directory.
pub(super) fn record_version(dir: &Path) -> Result<(), IndexError> {
    std::fs::write(dir.join(VERSION_FILE), format!("{SCHEMA_VERSION}\n"))
        .map_err(|e| io_error(dir, e))
}

/// The version that wrote the index; version 1 wrote no file.
fn recorded_version(dir: &Path) -> u32 {
    std::fs::read_to_string(dir.join(VERSION_FILE))
        .ok()
        .and_then(|text| text.trim().parse().ok())
        .unwrap_or(1)
}

fn stored_item_field(index: &Index) -> Option<Field> {
    let schema = index.schema();
    let field = schema.get_field("item").ok()?;
    schema.get_field_entry(field).is_stored().then_some(field)
}

/// Writes every live item of `old` into a new index at `fresh`. Refuses to drop any: an item
/// this version cannot read stops the upgrade rather than vanish.
fn rebuild(old: &Index, item_field: Field, fresh: &Path) -> Result<u64, IndexError> {
    if fresh.exists() {
        // Left by an upgrade that was killed: it never replaced anything.
        std::fs::remove_dir_all(fresh).map_err(|e| io_error(fresh, e))?;
    }
    std::fs::create_dir_all(fresh).map_err(|e| io_error(fresh, e))?;
    let (schema, fields) = schema::build();
    let index = Index::create_in_dir(fresh, schema)?;
    schema::register_tokenizers(&index);
    let mut writer = index.writer::<TantivyDocument>(WRITER_BUDGET)?;
    let searcher = old.reader()?.searcher();
    let mut items = 0;
    for segment in searcher.segment_readers() {
        let store = segment
            .get_store_reader(1)
            .map_err(tantivy::TantivyError::from)?;
        for doc in store.iter::<TantivyDocument>(segment.alive_bitset()) {
            let item =
                schema::stored_item(&doc?, item_field).ok_or_else(|| IndexError::Incompatible {
                    dir: fresh.to_path_buf(),
                    reason: "a stored item cannot be read by this version, so the index was \
                             not upgraded; crawl again into a new index"
                        .into(),
                })?;
            writer.add_document(schema::to_document(&item, &fields))?;
            items += 1;
        }
    }
    writer.commit()?;
    writer.wait_merging_threads()?;
    record_version(fresh)?;
    Ok(items)
}

/// Files the user keeps in the index directory (a README, notes) move with it; Tantivy's own
/// files do not.
fn carry_over_other_files(old: &Path, fresh: &Path) -> std::io::Result<()> {
    let managed = managed_files(old);
    for entry in std::fs::read_dir(old)? {
        let entry = entry?;
        let name = entry.file_name();
        let text = name.to_string_lossy();
        let tantivy_owned = managed.iter().any(|m| m == text.as_ref())
            || text == "meta.json"
            || text == ".managed.json"
            || text.starts_with(".tantivy-")
            || text == VERSION_FILE;
        if tantivy_owned || !entry.file_type()?.is_file() || fresh.join(&name).exists() {
            continue;
        }
        std::fs::copy(entry.path(), fresh.join(&name))?;
    }
    Ok(())
}

/// The files Tantivy lists as its own in `.managed.json`.
fn managed_files(dir: &Path) -> Vec<String> {
    std::fs::read(dir.join(".managed.json"))
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default()
}

/// A hidden directory beside `dir`, on the same file system so that renames are atomic.
fn sibling(dir: &Path, purpose: &str) -> PathBuf {
    let name = dir
        .file_name()
        .map_or_else(|| "index".into(), |n| n.to_string_lossy().into_owned());
    let parent = dir.parent().unwrap_or(Path::new("."));
    parent.join(format!(".{name}.{purpose}-{}", std::process::id()))
}

/// Puts the fresh index where the old one was, then deletes the old one.
fn swap(dir: &Path, fresh: &Path) -> Result<(), IndexError> {
    let old = exchange(dir, fresh).map_err(|e| io_error(dir, e))?;
    // A failure here only leaves a hidden directory behind; the upgrade is done.
    let _ = std::fs::remove_dir_all(old);
    Ok(())
}

/// Swaps the two directories in one step, so that no reader ever finds no index. Returns
/// where the old index now is.
#[cfg(target_os = "linux")]
fn exchange(dir: &Path, fresh: &Path) -> std::io::Result<PathBuf> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    match renameat_with(CWD, fresh, CWD, dir, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(fresh.to_path_buf()),
        // Some file systems cannot exchange; two renames leave a moment without an index.
        Err(_) => exchange_in_two_steps(dir, fresh),
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(dir: &Path, fresh: &Path) -> std::io::Result<PathBuf> {
    exchange_in_two_steps(dir, fresh)
}

fn exchange_in_two_steps(dir: &Path, fresh: &Path) -> std::io::Result<PathBuf> {
    let old = sibling(dir, "old");
    std::fs::rename(dir, &old)?;
    if let Err(error) = std::fs::rename(fresh, dir) {
        // Put the old index back rather than leave nothing.
        let _ = std::fs::rename(&old, dir);
        return Err(error);
    }
    Ok(old)
}

fn io_error(dir: &Path, source: std::io::Error) -> IndexError {
    IndexError::Io {
        dir: dir.to_path_buf(),
        source,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scratch_directory_is_a_hidden_sibling() {
        let dir = Path::new("/data/archive/index");
        let scratch = sibling(dir, "upgrade");
        assert_eq!(scratch.parent(), Some(Path::new("/data/archive")));
        let name = scratch.file_name().unwrap().to_string_lossy().into_owned();
        assert!(name.starts_with(".index.upgrade-"), "{name}");
        assert_eq!(
            sibling(Path::new("index"), "old").parent(),
            Some(Path::new(""))
        );
    }

    #[test]
    fn exchanging_swaps_the_contents_of_two_directories() {
        let root = tempfile::tempdir().unwrap();
        let (a, b) = (root.path().join("a"), root.path().join("b"));
        std::fs::create_dir(&a).unwrap();
        std::fs::create_dir(&b).unwrap();
        std::fs::write(a.join("old"), "").unwrap();
        std::fs::write(b.join("new"), "").unwrap();
        let old = exchange(&a, &b).unwrap();
        assert!(a.join("new").is_file());
        assert!(old.join("old").is_file());
    }
}

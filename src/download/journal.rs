//! What the pack knows of its own files, kept across runs and kills: an append-only file of
//! JSON lines in the pack (`.download-journal.jsonl`).
//!
//! A line is written when a file starts arriving (its `.part` and the validators to resume
//! it) and when it is complete and in place (its manifest entry and the validators to ask
//! whether it changed). A process killed at any moment leaves at most a half-written last
//! line, which is skipped; a file renamed into place whose line was not written yet is
//! simply fetched again and found identical. At the end of a run the file is rewritten with
//! only what is still true.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::entry::Entry;
use crate::fetch::Validators;

/// The journal's name in the pack.
pub const FILE_NAME: &str = ".download-journal.jsonl";

/// A file that started arriving.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Started {
    /// The item's id.
    pub(super) id: String,
    /// The partial file's path in the pack.
    pub(super) part: String,
    /// The address it comes from.
    pub(super) url: String,
    /// Its `ETag`.
    pub(super) etag: Option<String>,
    /// Its `Last-Modified`.
    pub(super) last_modified: Option<String>,
}

/// A file complete and in place.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(super) struct Complete {
    /// Its manifest entry.
    pub(super) entry: Entry,
    /// The address it came from.
    pub(super) url: String,
    /// Its `ETag`.
    pub(super) etag: Option<String>,
    /// Its `Last-Modified`.
    pub(super) last_modified: Option<String>,
}

impl Complete {
    /// The validators to ask whether it changed.
    pub(super) fn validators(&self) -> Validators {
        Validators {
            etag: self.etag.clone(),
            last_modified: self.last_modified.clone(),
        }
    }
}

/// One line.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "record", rename_all = "snake_case")]
pub(super) enum Record {
    /// See [`Started`].
    Started(Started),
    /// See [`Complete`].
    Complete(Box<Complete>),
}

/// What the journal says, the latest line about each item winning.
#[derive(Debug, Default)]
pub(super) struct Known {
    /// Files complete, by item id.
    pub(super) complete: HashMap<String, Complete>,
    /// Files started, by item id.
    pub(super) started: HashMap<String, Started>,
}

impl Known {
    fn learn(&mut self, record: Record) {
        match record {
            Record::Started(started) => {
                self.started.insert(started.id.clone(), started);
            }
            Record::Complete(complete) => {
                self.started.remove(&complete.entry.id);
                self.complete.insert(complete.entry.id.clone(), *complete);
            }
        }
    }
}

/// The journal, open for appending.
#[derive(Debug)]
pub(super) struct Journal {
    path: PathBuf,
    file: Mutex<File>,
}

impl Journal {
    /// Opens the journal of the pack in `dir`, creating it, and reads what it knows.
    ///
    /// # Errors
    /// When the file cannot be read or written.
    pub(super) fn open(dir: &Path) -> io::Result<(Journal, Known)> {
        let path = dir.join(FILE_NAME);
        let mut file = OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .open(&path)?;
        let known = read(&mut file)?;
        // A line cut by a kill must not swallow the next one.
        if !ends_with_newline(&mut file)? {
            file.write_all(b"\n")?;
        }
        let journal = Journal {
            path,
            file: Mutex::new(file),
        };
        Ok((journal, known))
    }

    /// Reads what the journal of the pack in `dir` knows, without opening it for writing.
    pub(super) fn peek(dir: &Path) -> Known {
        File::open(dir.join(FILE_NAME))
            .and_then(|mut file| read(&mut file))
            .unwrap_or_default()
    }

    /// Adds a line.
    ///
    /// # Errors
    /// When it cannot be written.
    pub(super) fn append(&self, record: &Record) -> io::Result<()> {
        let mut line = serde_json::to_vec(record)?;
        line.push(b'\n');
        let mut file = self
            .file
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        file.write_all(&line)
    }

    /// Replaces the journal with `records`, in one step.
    ///
    /// # Errors
    /// When the new file cannot be written.
    pub(super) fn rewrite<'a>(
        &self,
        records: impl IntoIterator<Item = &'a Record>,
    ) -> io::Result<()> {
        let mut text = Vec::new();
        for record in records {
            serde_json::to_writer(&mut text, record)?;
            text.push(b'\n');
        }
        let mut file = self
            .file
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        super::pack::write_atomically(&self.path, &text)?;
        *file = OpenOptions::new().append(true).open(&self.path)?;
        Ok(())
    }
}

fn read(file: &mut File) -> io::Result<Known> {
    file.seek(SeekFrom::Start(0))?;
    let mut known = Known::default();
    for line in BufReader::new(&mut *file).split(b'\n') {
        // A line cut short by a kill, or damaged, says nothing.
        if let Ok(record) = serde_json::from_slice::<Record>(&line?) {
            known.learn(record);
        }
    }
    Ok(known)
}

fn ends_with_newline(file: &mut File) -> io::Result<bool> {
    let length = file.seek(SeekFrom::End(0))?;
    if length == 0 {
        return Ok(true);
    }
    file.seek(SeekFrom::Start(length - 1))?;
    let mut last = [0; 1];
    file.read_exact(&mut last)?;
    Ok(last[0] == b'\n')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::download::entry::Status;
    use crate::model::{Item, Kind, Source};

    fn started(id: &str) -> Record {
        Record::Started(Started {
            id: id.into(),
            part: format!("VS20/{id}.part"),
            url: "https://x.example/a.jpg".into(),
            etag: Some("\"1\"".into()),
            last_modified: None,
        })
    }

    fn complete(id: &str) -> Record {
        let item = Item::new(id, Kind::Photo, Source::Flickr);
        Record::Complete(Box::new(Complete {
            entry: Entry::of(&item, Status::Downloaded),
            url: "https://x.example/a.jpg".into(),
            etag: None,
            last_modified: None,
        }))
    }

    #[test]
    fn a_line_cut_by_a_kill_is_skipped_and_the_next_ones_are_read() {
        let dir = tempfile::tempdir().unwrap();
        {
            let (journal, known) = Journal::open(dir.path()).unwrap();
            assert!(known.complete.is_empty());
            journal.append(&started("a")).unwrap();
            journal.append(&complete("a")).unwrap();
            journal.append(&started("b")).unwrap();
        }
        // A kill in the middle of a line.
        let mut file = OpenOptions::new()
            .append(true)
            .open(dir.path().join(FILE_NAME))
            .unwrap();
        file.write_all(br#"{"record":"complete","entry":{"id":"b","#)
            .unwrap();
        drop(file);
        let (journal, known) = Journal::open(dir.path()).unwrap();
        assert!(known.complete.contains_key("a") && !known.started.contains_key("a"));
        assert!(known.started.contains_key("b") && !known.complete.contains_key("b"));
        journal.append(&complete("c")).unwrap();
        let known = Journal::peek(dir.path());
        assert!(
            known.complete.contains_key("c"),
            "the line after the cut one is read"
        );
    }

    #[test]
    fn a_rewrite_keeps_only_what_it_is_given() {
        let dir = tempfile::tempdir().unwrap();
        let (journal, _) = Journal::open(dir.path()).unwrap();
        journal.append(&complete("a")).unwrap();
        journal.rewrite(&[complete("b")]).unwrap();
        journal.append(&started("c")).unwrap();
        let known = Journal::peek(dir.path());
        assert_eq!(known.complete.keys().collect::<Vec<_>>(), ["b"]);
        assert!(known.started.contains_key("c"));
    }
}

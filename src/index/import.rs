//! Merging an export (`archive export`, one item as JSON a line) into an index: what lets
//! several machines crawl and one index gather them, or an index move between versions.
//!
//! Each item is merged by id exactly as a crawl merges a sighting (campaigns and seeds add
//! up, the more trusted source's fields win) and committed in the crawl's batches, so a
//! killed import keeps what it committed and the same import run again finishes the job
//! without duplicates. A line that is not an item is reported and skipped.

use std::collections::BTreeSet;
use std::io::{BufRead, Read};

use super::{ArchiveIndex, IndexError, WriteStats};
use crate::model::Item;
use crate::tag::Campaigns;

/// The longest line read: far beyond any item (a few KB), short enough that a file that is
/// not NDJSON cannot exhaust memory.
pub const MAX_LINE_BYTES: usize = 16 * 1024 * 1024;

/// A line that is not an item, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BadLine {
    /// Its number, from 1.
    pub line: u64,
    /// What is wrong with it.
    pub reason: String,
}

/// What an import did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Imported {
    /// Items read and merged.
    pub items: u64,
    /// Lines skipped as not items.
    pub bad_lines: u64,
    /// Items added, updated and unchanged, in all, per campaign and per source.
    pub stats: WriteStats,
    /// Items already in the index that joined a campaign the import brought.
    pub settled: usize,
}

/// Why an import stopped before the end of its input.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The index could not be written; what was committed stays.
    #[error(transparent)]
    Index(#[from] IndexError),
    /// The input could not be read.
    #[error("cannot read line {line}: {source}")]
    Read {
        /// The line being read.
        line: u64,
        /// Why.
        source: std::io::Error,
    },
}

/// Merges every item of `input` into the index, calling `bad` for each line that is not one.
///
/// # Errors
/// [`ImportError`] when the index cannot be written or the input cannot be read; the
/// batches committed before stay.
pub fn import(
    index: &ArchiveIndex,
    input: impl BufRead,
    mut bad: impl FnMut(BadLine),
) -> Result<Imported, ImportError> {
    let mut indexer = index.indexer()?;
    let mut campaigns = index.known_campaigns()?;
    let mut lines = Lines::new(input);
    let mut imported = Imported::default();
    while let Some((line, read)) = lines.next_line()? {
        match read.and_then(|text| item(&text)) {
            Ok(None) => {}
            Ok(Some(mut item)) => {
                learn(&mut campaigns, &mut item);
                indexer.import(item)?;
                imported.items += 1;
            }
            Err(reason) => {
                imported.bad_lines += 1;
                bad(BadLine { line, reason });
            }
        }
    }
    imported.settled = indexer.settle_campaigns(&campaigns)?;
    imported.stats = indexer.finish()?;
    Ok(imported)
}

/// The item a line holds; `None` for a blank line.
fn item(text: &str) -> Result<Option<Item>, String> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    let mut item: Item = serde_json::from_str(text).map_err(|e| not_an_item(&e))?;
    // The file may come from anywhere: its text is made as safe as a crawled page's.
    crate::media::text::sanitize(&mut item);
    item.id = item.id.trim().to_string();
    if item.id.is_empty() {
        return Err("not an item: its `id` is empty".into());
    }
    Ok(Some(item))
}

/// serde's words, without its "at line 1" (the caller gives the file's line).
fn not_an_item(error: &serde_json::Error) -> String {
    let text = error.to_string();
    let reason = text
        .rsplit_once(" at line ")
        .map_or(text.as_str(), |(reason, _)| reason);
    format!("not an item: {reason} (column {})", error.column())
}

/// The item's campaigns join the known ones, and the item joins the known campaigns it
/// names, in their one spelling, as a crawl tags what it reads.
fn learn(campaigns: &mut Campaigns, item: &mut Item) {
    for campaign in &item.campaigns {
        campaigns.add(campaign);
    }
    campaigns.settle(item, &BTreeSet::new());
}

/// Lines of at most [`MAX_LINE_BYTES`], numbered; a longer one, or one that is not UTF-8, is
/// an error of that line, and reading goes on with the next.
struct Lines<R> {
    input: R,
    number: u64,
    buffer: Vec<u8>,
}

/// One line's text, or why it cannot be read as text.
type Line = Result<String, String>;

impl<R: BufRead> Lines<R> {
    fn new(input: R) -> Self {
        Lines {
            input,
            number: 0,
            buffer: Vec::new(),
        }
    }

    fn next_line(&mut self) -> Result<Option<(u64, Line)>, ImportError> {
        self.buffer.clear();
        let limit = MAX_LINE_BYTES as u64 + 1;
        let read = Read::take(&mut self.input, limit)
            .read_until(b'\n', &mut self.buffer)
            .map_err(|source| read_error(self.number, source))?;
        if read == 0 {
            return Ok(None);
        }
        self.number += 1;
        if self.buffer.len() > MAX_LINE_BYTES {
            self.skip_rest()?;
            let reason = format!("longer than {} MiB", MAX_LINE_BYTES / (1024 * 1024));
            return Ok(Some((self.number, Err(reason))));
        }
        let text = std::str::from_utf8(&self.buffer)
            .map(|t| t.trim_end_matches(['\n', '\r']).to_string())
            .map_err(|e| format!("not UTF-8 text (byte {})", e.valid_up_to() + 1));
        Ok(Some((self.number, text)))
    }

    /// Passes over the rest of an overlong line without keeping it.
    fn skip_rest(&mut self) -> Result<(), ImportError> {
        if self.buffer.ends_with(b"\n") {
            return Ok(());
        }
        loop {
            // The line being skipped is the one already counted.
            let number = self.number - 1;
            let available = self
                .input
                .fill_buf()
                .map_err(|source| read_error(number, source))?;
            if available.is_empty() {
                return Ok(());
            }
            let (used, done) = match available.iter().position(|&b| b == b'\n') {
                Some(at) => (at + 1, true),
                None => (available.len(), false),
            };
            self.input.consume(used);
            if done {
                return Ok(());
            }
        }
    }
}

/// An error reading the line after the `read` lines read so far.
fn read_error(read: u64, source: std::io::Error) -> ImportError {
    ImportError::Read {
        line: read + 1,
        source,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(input: &[u8]) -> Vec<(u64, Line)> {
        let mut lines = Lines::new(input);
        let mut all = Vec::new();
        while let Some(line) = lines.next_line().unwrap() {
            all.push(line);
        }
        all
    }

    #[test]
    fn lines_are_numbered_and_a_bad_one_does_not_stop_the_rest() {
        let mut input = b"{\"a\":1}\r\n\xff\xfe\n".to_vec();
        input.extend(vec![b'x'; MAX_LINE_BYTES + 10]);
        input.extend(b"\nlast");
        let read = lines(&input);
        assert_eq!(read.len(), 4);
        assert_eq!(read[0], (1, Ok("{\"a\":1}".into())));
        assert_eq!(read[1], (2, Err("not UTF-8 text (byte 1)".into())));
        assert_eq!(read[2], (3, Err("longer than 16 MiB".into())));
        assert_eq!(read[3], (4, Ok("last".into())));
    }

    #[test]
    fn a_line_is_an_item_or_says_why_not() {
        assert_eq!(item("  "), Ok(None));
        let good = item(
            r#"{"id":" flickr:1 ","kind":"photo","source":"flickr","title":"Soyuz\u001b[2J"}"#,
        )
        .unwrap()
        .unwrap();
        assert_eq!(good.id, "flickr:1");
        assert_eq!(good.title.as_deref(), Some("Soyuz[2J"));
        let missing = item(r#"{"facets":{}}"#).unwrap_err();
        assert!(
            missing.starts_with("not an item: missing field `id`"),
            "{missing}"
        );
        let broken = item(r#"{"id":"x","kind":"photo""#).unwrap_err();
        assert!(broken.contains("column"), "{broken}");
        assert!(!broken.contains("line 1"), "{broken}");
        let empty = item(r#"{"id":"  ","kind":"photo","source":"flickr"}"#).unwrap_err();
        assert_eq!(empty, "not an item: its `id` is empty");
    }
}

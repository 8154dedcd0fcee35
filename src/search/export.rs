//! Every match of a search, one at a time: what `archive export` writes.
//!
//! A search returns its best hits; an export walks every match in the index's own order,
//! segment by segment, reading each stored item as it goes. Memory stays what one segment's
//! matcher and one block of the document store take, however many items match.

use tantivy::query::EnableScoring;
use tantivy::{SegmentReader, TERMINATED, TantivyDocument};

use super::{Filters, Hit, SearchError, filters, query, snippets};
use crate::index::{ArchiveIndex, IndexError, ReadError};

/// Blocks of the document store kept in memory per segment: one, since items are read in
/// order.
const STORE_CACHE_BLOCKS: usize = 1;

/// Why an export stopped.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The query or a filter could not be understood, or the index could not be read.
    #[error(transparent)]
    Search(#[from] SearchError),
    /// What received the items failed (a closed pipe, a full disk).
    #[error("cannot write the export: {0}")]
    Write(#[source] std::io::Error),
}

impl From<IndexError> for ExportError {
    fn from(error: IndexError) -> Self {
        ExportError::Search(error.into())
    }
}

impl From<tantivy::TantivyError> for ExportError {
    fn from(error: tantivy::TantivyError) -> Self {
        ExportError::Search(error.into())
    }
}

impl ReadError for ExportError {
    fn into_index_error(self) -> Result<IndexError, Self> {
        match self {
            ExportError::Search(SearchError::Index(error)) => Ok(error),
            other => Err(other),
        }
    }
}

/// Hands every item that `query` and `filters` match to `each`, with its score and, when the
/// query has words, its snippet. Returns how many there were.
///
/// # Errors
/// [`ExportError::Search`] for a malformed query or an unreadable index, and
/// [`ExportError::Write`] with the first error `each` returned; the items handed over before
/// it stay handed over.
pub fn export(
    index: &ArchiveIndex,
    query: &str,
    filters: &Filters,
    mut each: impl FnMut(Hit) -> std::io::Result<()>,
) -> Result<u64, ExportError> {
    index.unless_damaged(|| export_undamaged(index, query, filters, &mut each))
}

fn export_undamaged(
    index: &ArchiveIndex,
    text: &str,
    filters: &Filters,
    each: &mut dyn FnMut(Hit) -> std::io::Result<()>,
) -> Result<u64, ExportError> {
    let searcher = index.searcher()?;
    let parsed = query::parse(index, &searcher, text)?;
    let filtered = filters::apply(index, parsed.query.box_clone(), filters)?;
    let weight = filtered.weight(EnableScoring::enabled_from_searcher(&searcher))?;
    let highlighter = if parsed.has_words {
        Some(snippets::Highlighter::new(
            &searcher,
            &*parsed.query,
            index.fields(),
        )?)
    } else {
        None
    };
    let mut exported = 0;
    for segment in searcher.segment_readers() {
        let mut scorer = weight.scorer(segment, 1.0)?;
        let walk = Walk {
            index,
            segment,
            highlighter: highlighter.as_ref(),
        };
        exported += walk.run(scorer.as_mut(), each)?;
    }
    Ok(exported)
}

/// One segment's matches, read from its store in order.
struct Walk<'a> {
    index: &'a ArchiveIndex,
    segment: &'a SegmentReader,
    highlighter: Option<&'a snippets::Highlighter>,
}

impl Walk<'_> {
    fn run(
        &self,
        scorer: &mut dyn tantivy::query::Scorer,
        each: &mut dyn FnMut(Hit) -> std::io::Result<()>,
    ) -> Result<u64, ExportError> {
        let store = self
            .segment
            .get_store_reader(STORE_CACHE_BLOCKS)
            .map_err(tantivy::TantivyError::from)?;
        let alive = self.segment.alive_bitset();
        let mut exported = 0;
        let mut doc = scorer.doc();
        while doc != TERMINATED {
            if alive.is_none_or(|bits| bits.is_alive(doc)) {
                let stored: TantivyDocument = store.get(doc)?;
                // A document this version cannot read is skipped, as a search skips it.
                if let Some(item) = crate::index::item_of(&stored, self.index) {
                    each(self.hit(scorer.score(), item)).map_err(ExportError::Write)?;
                    exported += 1;
                }
            }
            doc = scorer.advance();
        }
        Ok(exported)
    }

    fn hit(&self, score: f32, item: crate::model::Item) -> Hit {
        let mut hit = Hit::new(score, item);
        if let Some(highlighter) = self.highlighter {
            hit.snippet = Some(highlighter.snippet(&hit.item));
        }
        hit
    }
}

//! `archive check`: whether an index is sound, and if not, what is wrong with it.
//!
//! Three looks, from the cheapest: every file's checksum (Tantivy's footers), every file
//! the index lists being there, then every stored item, every term dictionary and every
//! fast column read through, as a search would read them.

use std::collections::BTreeSet;
use std::path::PathBuf;

use tantivy::index::SegmentComponent;
use tantivy::schema::FieldType;
use tantivy::{SegmentMeta, SegmentReader, TantivyDocument};

use super::{ArchiveIndex, IndexError, schema};

/// What a check found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Health {
    /// Items stored.
    pub items: u64,
    /// Segments (files written by separate commits, not yet merged).
    pub segments: usize,
    /// Files whose checksum does not match their content.
    pub damaged: Vec<PathBuf>,
    /// Files the index lists that are not there.
    pub missing: Vec<PathBuf>,
    /// Stored items that could not be read back.
    pub unreadable_items: u64,
    /// What failed while reading through the index, if anything did.
    pub unreadable: Option<String>,
}

impl Health {
    /// Whether nothing is wrong.
    pub fn is_sound(&self) -> bool {
        self.damaged.is_empty()
            && self.missing.is_empty()
            && self.unreadable_items == 0
            && self.unreadable.is_none()
    }
}

pub(super) fn check(index: &ArchiveIndex) -> Result<Health, IndexError> {
    let tantivy = index.tantivy();
    let metas = tantivy.load_metas()?;
    let mut health = Health {
        segments: metas.segments.len(),
        ..Health::default()
    };
    let listed: BTreeSet<PathBuf> = metas.segments.iter().flat_map(segment_files).collect();
    health.missing = listed
        .into_iter()
        .filter(|file| !index.dir().join(file).exists())
        .collect();
    if !health.missing.is_empty() {
        return Ok(health);
    }
    health.damaged = sorted(tantivy.validate_checksum()?);
    match index.unless_damaged(|| read_through(index)) {
        Ok((items, unreadable)) => {
            health.items = items;
            health.unreadable_items = unreadable;
        }
        Err(IndexError::Damaged { detail, .. }) => health.unreadable = Some(detail),
        Err(other) => health.unreadable = Some(other.to_string()),
    }
    Ok(health)
}

/// The files a segment is made of: Tantivy writes every component, deletes only once some
/// of its items are replaced.
fn segment_files(segment: &SegmentMeta) -> Vec<PathBuf> {
    let mut components = vec![
        SegmentComponent::Postings,
        SegmentComponent::Positions,
        SegmentComponent::Terms,
        SegmentComponent::Store,
        SegmentComponent::FastFields,
        SegmentComponent::FieldNorms,
    ];
    if segment.has_deletes() {
        components.push(SegmentComponent::Delete);
    }
    components
        .into_iter()
        .map(|component| segment.relative_path(component))
        .collect()
}

fn sorted(files: impl IntoIterator<Item = PathBuf>) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = files.into_iter().collect();
    files.sort();
    files
}

/// Reads every stored item, term dictionary and fast column; gives the items read and
/// those that could not be.
fn read_through(index: &ArchiveIndex) -> Result<(u64, u64), IndexError> {
    let searcher = index.reader()?.searcher();
    let (mut items, mut unreadable) = (0, 0);
    for segment in searcher.segment_readers() {
        read_terms_and_columns(index, segment)?;
        let store = segment.get_store_reader(0).map_err(io)?;
        for doc in 0..segment.max_doc() {
            if segment.is_deleted(doc) {
                continue;
            }
            items += 1;
            let stored: Result<TantivyDocument, _> = store.get(doc);
            let item = stored
                .ok()
                .and_then(|d| schema::to_item(&d, index.fields()));
            if item.is_none() {
                unreadable += 1;
            }
        }
    }
    Ok((items, unreadable))
}

fn read_terms_and_columns(index: &ArchiveIndex, segment: &SegmentReader) -> Result<(), IndexError> {
    let schema = index.tantivy().schema();
    for (field, entry) in schema.fields() {
        if entry.is_indexed() && matches!(entry.field_type(), FieldType::Str(_)) {
            let inverted = segment.inverted_index(field)?;
            let mut terms = inverted.terms().stream().map_err(io)?;
            while terms.advance() {}
        }
        if entry.is_fast() {
            read_column(segment, entry.name())?;
        }
    }
    Ok(())
}

fn read_column(segment: &SegmentReader, name: &str) -> Result<(), IndexError> {
    let fast = segment.fast_fields();
    let columns = fast.dynamic_column_handles(name)?;
    for handle in columns {
        let column = handle.open().map_err(io)?;
        let index = column.column_index();
        for doc in 0..segment.max_doc() {
            // Walks the column's index, which decodes every block it points into.
            let _ = index.value_row_ids(doc);
        }
    }
    Ok(())
}

fn io(error: std::io::Error) -> IndexError {
    IndexError::Tantivy(error.into())
}

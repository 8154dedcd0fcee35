//! Reading campaigns back out of the index.

use serde::Serialize;
use std::collections::BTreeSet;
use tantivy::collector::Count;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{Searcher, Term};

use super::{ArchiveIndex, IndexError};
use crate::tag::Campaigns;

/// A campaign and how many items it holds (`archive campaigns --json` prints these).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CampaignCount {
    /// The campaign as releases spell it.
    pub campaign: String,
    /// How many items belong to it.
    pub items: u64,
}

pub(super) fn list(index: &ArchiveIndex) -> Result<Vec<CampaignCount>, IndexError> {
    let searcher = index.reader()?.searcher();
    let mut counts = Vec::new();
    for spelling in spellings(index, &searcher)? {
        let term = Term::from_field_text(index.fields().spelling, &spelling);
        // Term statistics still count deleted documents; a query does not.
        let items = searcher.search(&TermQuery::new(term, IndexRecordOption::Basic), &Count)?;
        if items > 0 {
            counts.push(CampaignCount {
                campaign: spelling,
                items: items as u64,
            });
        }
    }
    counts.sort_by(|a, b| {
        b.items
            .cmp(&a.items)
            .then_with(|| a.campaign.cmp(&b.campaign))
    });
    Ok(counts)
}

pub(super) fn known(index: &ArchiveIndex) -> Result<Campaigns, IndexError> {
    let mut campaigns = Campaigns::default();
    for count in list(index)? {
        campaigns.add(&count.campaign);
    }
    Ok(campaigns)
}

/// Every campaign spelling in the term dictionaries, including ones only deleted items had.
fn spellings(index: &ArchiveIndex, searcher: &Searcher) -> Result<BTreeSet<String>, IndexError> {
    let mut all = BTreeSet::new();
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(index.fields().spelling)?;
        let mut terms = inverted
            .terms()
            .stream()
            .map_err(tantivy::TantivyError::from)?;
        while terms.advance() {
            all.insert(String::from_utf8_lossy(terms.key()).into_owned());
        }
    }
    Ok(all)
}

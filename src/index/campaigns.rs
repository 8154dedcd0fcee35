//! Reading campaigns back out of the index.

use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use tantivy::collector::{Collector, Count, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::query::{AllQuery, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, Score, Searcher, SegmentReader, Term};

use super::schema::columns;
use super::{ArchiveIndex, IndexError};
use crate::model::Timestamp;
use crate::tag::Campaigns;

/// A campaign and how many items it holds (`archive campaigns --json` prints these).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CampaignCount {
    /// The campaign as releases spell it.
    pub campaign: String,
    /// How many items belong to it.
    pub items: u64,
}

/// A campaign as `archive campaigns` shows it (`--json` prints these).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CampaignSummary {
    /// The campaign as releases spell it.
    pub campaign: String,
    /// How many items belong to it.
    pub items: u64,
    /// The earliest date (taken, else published) of its items.
    #[serde(serialize_with = "crate::model::rfc3339::serialize")]
    pub first_date: Option<Timestamp>,
    /// The latest date of its items.
    #[serde(serialize_with = "crate::model::rfc3339::serialize")]
    pub last_date: Option<Timestamp>,
    /// The extractors that found its items (`flickr`, `feed`…), sorted.
    pub sources: Vec<String>,
    /// The seeds (press releases) that led to its items, sorted.
    pub found_via: Vec<String>,
}

pub(super) fn list(index: &ArchiveIndex) -> Result<Vec<CampaignCount>, IndexError> {
    let searcher = index.searcher()?;
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

/// Every campaign with its dates, sources and seeds, in one pass over the fast columns.
pub(super) fn summaries(index: &ArchiveIndex) -> Result<Vec<CampaignSummary>, IndexError> {
    let searcher = index.searcher()?;
    let mut all = searcher.search(&AllQuery, &SummaryCollector)?;
    all.sort_by(|a, b| {
        b.items
            .cmp(&a.items)
            .then_with(|| a.campaign.cmp(&b.campaign))
    });
    Ok(all)
}

/// What one campaign's items have in common: seconds for dates, and sources and seeds as
/// names (`T = String`) or, within a segment, as term ordinals (`T = u64`).
struct Summary<T> {
    items: u64,
    first: Option<i64>,
    last: Option<i64>,
    sources: BTreeSet<T>,
    found_via: BTreeSet<T>,
}

impl<T> Default for Summary<T> {
    fn default() -> Self {
        Summary {
            items: 0,
            first: None,
            last: None,
            sources: BTreeSet::new(),
            found_via: BTreeSet::new(),
        }
    }
}

impl<T: Ord> Summary<T> {
    fn add(&mut self, other: Summary<T>) {
        self.items += other.items;
        self.first = [self.first, other.first].into_iter().flatten().min();
        self.last = [self.last, other.last].into_iter().flatten().max();
        self.sources.extend(other.sources);
        self.found_via.extend(other.found_via);
    }
}

struct SummaryCollector;

/// Per segment, by campaign ordinal: counts, date bounds, and the ordinals of sources and
/// seeds, named only at the end.
struct SegmentSummaries {
    campaigns: Option<StrColumn>,
    sources: Option<StrColumn>,
    found_via: Option<StrColumn>,
    dates: Option<Column<tantivy::DateTime>>,
    by_campaign: BTreeMap<u64, Summary<u64>>,
}

impl Collector for SummaryCollector {
    type Fruit = Vec<CampaignSummary>;
    type Child = SegmentSummaries;

    fn for_segment(&self, _: u32, reader: &SegmentReader) -> tantivy::Result<SegmentSummaries> {
        let fast = reader.fast_fields();
        Ok(SegmentSummaries {
            campaigns: fast.str(columns::CAMPAIGN)?,
            sources: fast.str(columns::SOURCE)?,
            found_via: fast.str(columns::FOUND_VIA)?,
            dates: fast.column_opt(columns::DATE)?,
            by_campaign: BTreeMap::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Vec<CampaignSummary>>) -> tantivy::Result<Self::Fruit> {
        let mut merged: BTreeMap<String, Summary<String>> = BTreeMap::new();
        for summary in fruits.into_iter().flatten() {
            merged.entry(summary.campaign).or_default().add(Summary {
                items: summary.items,
                first: summary.first_date.map(|t| t.timestamp()),
                last: summary.last_date.map(|t| t.timestamp()),
                sources: summary.sources.into_iter().collect(),
                found_via: summary.found_via.into_iter().collect(),
            });
        }
        Ok(merged
            .into_iter()
            .map(|(campaign, s)| CampaignSummary {
                campaign,
                items: s.items,
                first_date: s.first.and_then(utc),
                last_date: s.last.and_then(utc),
                sources: s.sources.into_iter().collect(),
                found_via: s.found_via.into_iter().collect(),
            })
            .collect())
    }
}

fn utc(seconds: i64) -> Option<Timestamp> {
    chrono::DateTime::from_timestamp(seconds, 0).map(|t| t.fixed_offset())
}

impl SegmentCollector for SegmentSummaries {
    type Fruit = Vec<CampaignSummary>;

    fn collect(&mut self, doc: DocId, _: Score) {
        let Some(campaigns) = &self.campaigns else {
            return;
        };
        let date = self
            .dates
            .as_ref()
            .and_then(|c| c.first(doc))
            .map(|d| d.into_timestamp_secs());
        let ords = |column: &Option<StrColumn>| -> Vec<u64> {
            column
                .as_ref()
                .map_or_else(Vec::new, |c| c.term_ords(doc).collect())
        };
        let (sources, seeds) = (ords(&self.sources), ords(&self.found_via));
        for campaign in campaigns.term_ords(doc) {
            self.by_campaign.entry(campaign).or_default().add(Summary {
                items: 1,
                first: date,
                last: date,
                sources: sources.iter().copied().collect(),
                found_via: seeds.iter().copied().collect(),
            });
        }
    }

    fn harvest(self) -> Vec<CampaignSummary> {
        let name = |column: &Option<StrColumn>, ord: u64| -> Option<String> {
            let mut text = String::new();
            let found = column.as_ref()?.ord_to_str(ord, &mut text).ok()?;
            found.then_some(text)
        };
        let names = |column: &Option<StrColumn>, ords: &BTreeSet<u64>| -> Vec<String> {
            ords.iter().filter_map(|&o| name(column, o)).collect()
        };
        self.by_campaign
            .iter()
            .filter_map(|(&campaign, summary)| {
                Some(CampaignSummary {
                    campaign: name(&self.campaigns, campaign)?,
                    items: summary.items,
                    first_date: summary.first.and_then(utc),
                    last_date: summary.last.and_then(utc),
                    sources: names(&self.sources, &summary.sources),
                    found_via: names(&self.found_via, &summary.found_via),
                })
            })
            .collect()
    }
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

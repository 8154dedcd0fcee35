//! Facets: how the matching items spread over campaigns, kinds, sources, licences and years,
//! counted from fast columns in the same pass as the search.

use serde::Serialize;
use std::collections::BTreeMap;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocId, Score, SegmentReader};

use super::dates::year_of;
use crate::index::schema::columns;

/// One value of a facet and how many matching items have it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FacetValue {
    /// The value as stored (`VS20`, `photo`, `CC BY 2.0`, `2018`); `None` counts the items
    /// that have none (no campaign, no licence, no date).
    pub value: Option<String>,
    /// How many matching items have it.
    pub count: u64,
}

/// The counts of every facet, each most frequent first (years newest first), items without a
/// value last.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Facets {
    /// By campaign.
    pub campaign: Vec<FacetValue>,
    /// By kind.
    pub kind: Vec<FacetValue>,
    /// By extractor.
    pub source: Vec<FacetValue>,
    /// By licence name.
    pub license: Vec<FacetValue>,
    /// By year taken, else published.
    pub year: Vec<FacetValue>,
    /// By the licence's class ([`crate::media::rights::LicenseClass::key`]), for what may be
    /// reused. Left out of the command line's JSON, whose `facets` line stays as it was.
    #[serde(skip)]
    pub license_class: Vec<FacetValue>,
}

impl Facets {
    /// The facets in display order, with their names.
    pub fn named(&self) -> [(&'static str, &[FacetValue]); 5] {
        [
            ("campaign", &self.campaign),
            ("kind", &self.kind),
            ("source", &self.source),
            ("license", &self.license),
            ("year", &self.year),
        ]
    }
}

/// Counts by value, kept as a map until the segments are merged.
type Tally = BTreeMap<Option<String>, u64>;

/// The text columns counted, in the order of [`Facets`]' fields (years apart).
const TEXT_COLUMNS: [&str; 5] = [
    columns::CAMPAIGN,
    columns::KIND,
    columns::SOURCE,
    columns::LICENSE,
    columns::LICENSE_CLASS,
];

/// Collects [`Facets`] over the documents a query matches: all of them, or only campaigns
/// and kinds (half the work) for a summary line.
pub(crate) struct FacetCollector {
    pub(crate) all: bool,
}

/// The tallies of one segment, or of several merged.
#[derive(Default)]
pub(crate) struct Tallies {
    text: [Tally; 5],
    years: Tally,
}

impl Collector for FacetCollector {
    type Fruit = Tallies;
    type Child = SegmentFacets;

    fn for_segment(&self, _: u32, reader: &SegmentReader) -> tantivy::Result<SegmentFacets> {
        let wanted = if self.all { TEXT_COLUMNS.len() } else { 2 };
        let mut text = Vec::with_capacity(wanted);
        for name in &TEXT_COLUMNS[..wanted] {
            text.push(OrdCounts::open(reader, name)?);
        }
        let dates = if self.all {
            reader.fast_fields().column_opt(columns::DATE)?
        } else {
            None
        };
        Ok(SegmentFacets {
            text,
            dates,
            years: YearCounts::default(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Tallies>) -> tantivy::Result<Tallies> {
        let mut merged = Tallies::default();
        for fruit in fruits {
            for (into, from) in merged.text.iter_mut().zip(fruit.text) {
                add(into, from);
            }
            add(&mut merged.years, fruit.years);
        }
        Ok(merged)
    }
}

fn add(into: &mut Tally, from: Tally) {
    for (value, count) in from {
        *into.entry(value).or_default() += count;
    }
}

impl Tallies {
    /// The facets, sorted for display.
    pub(crate) fn into_facets(self) -> Facets {
        let [campaign, kind, source, license, license_class] = self.text.map(most_first);
        let mut year: Vec<FacetValue> = self
            .years
            .into_iter()
            .map(|(value, count)| FacetValue { value, count })
            .collect();
        // Newest year first, undated last.
        year.sort_by(|a, b| match (&a.value, &b.value) {
            (Some(a), Some(b)) => b.cmp(a),
            (a, b) => b.is_some().cmp(&a.is_some()),
        });
        Facets {
            campaign,
            kind,
            source,
            license,
            year,
            license_class,
        }
    }
}

fn most_first(tally: Tally) -> Vec<FacetValue> {
    let mut values: Vec<FacetValue> = tally
        .into_iter()
        .map(|(value, count)| FacetValue { value, count })
        .collect();
    values.sort_by(|a, b| {
        a.value
            .is_none()
            .cmp(&b.value.is_none())
            .then(b.count.cmp(&a.count))
            .then_with(|| a.value.cmp(&b.value))
    });
    values
}

/// Per-segment counting.
pub(crate) struct SegmentFacets {
    text: Vec<OrdCounts>,
    dates: Option<Column<tantivy::DateTime>>,
    years: YearCounts,
}

/// Counts by year. Matches cluster in time, so the year of the last date is kept with its
/// bounds: most dates then cost one comparison, not a calendar computation.
#[derive(Default)]
struct YearCounts {
    /// Years and their counts, in the order met.
    counts: Vec<(i32, u64)>,
    /// The seconds the last year met covers, and its place in `counts`.
    last: Option<(std::ops::Range<i64>, usize)>,
    undated: u64,
}

impl YearCounts {
    fn add(&mut self, seconds: Option<i64>) {
        let Some(seconds) = seconds else {
            self.undated += 1;
            return;
        };
        if let Some((span, slot)) = &self.last
            && span.contains(&seconds)
        {
            self.counts[*slot].1 += 1;
            return;
        }
        let Some((year, span)) = year_of(seconds) else {
            self.undated += 1;
            return;
        };
        let slot = match self.counts.iter().position(|(y, _)| *y == year) {
            Some(slot) => slot,
            None => {
                self.counts.push((year, 0));
                self.counts.len() - 1
            }
        };
        self.counts[slot].1 += 1;
        self.last = Some((span, slot));
    }

    fn into_tally(self) -> Tally {
        let mut tally: Tally = self
            .counts
            .into_iter()
            .map(|(year, count)| (Some(year.to_string()), count))
            .collect();
        if self.undated > 0 {
            tally.insert(None, self.undated);
        }
        tally
    }
}

impl SegmentCollector for SegmentFacets {
    type Fruit = Tallies;

    fn collect(&mut self, doc: DocId, _: Score) {
        for counts in &mut self.text {
            counts.collect(doc);
        }
        if let Some(dates) = &self.dates {
            self.years
                .add(dates.first(doc).map(|d| d.into_timestamp_secs()));
        }
    }

    fn harvest(self) -> Tallies {
        let mut tallies = Tallies::default();
        for (tally, counts) in tallies.text.iter_mut().zip(self.text) {
            *tally = counts.harvest();
        }
        tallies.years = self.years.into_tally();
        tallies
    }
}

/// Counts the values of one multi-valued text column by term ordinal, named at the end.
pub(crate) struct OrdCounts {
    column: Option<StrColumn>,
    counts: Vec<u64>,
    missing: u64,
}

impl OrdCounts {
    /// Counting on the column `name` of a segment (a segment may lack it: all missing).
    ///
    /// # Errors
    /// When the column cannot be read.
    pub(crate) fn open(reader: &SegmentReader, name: &str) -> tantivy::Result<Self> {
        let column = reader.fast_fields().str(name)?;
        let terms = column.as_ref().map_or(0, |c| c.num_terms());
        Ok(OrdCounts {
            column,
            counts: vec![0; terms],
            missing: 0,
        })
    }

    pub(crate) fn collect(&mut self, doc: DocId) {
        let mut any = false;
        if let Some(column) = &self.column {
            for ord in column.term_ords(doc) {
                self.counts[ord as usize] += 1;
                any = true;
            }
        }
        if !any {
            self.missing += 1;
        }
    }

    pub(crate) fn harvest(self) -> Tally {
        let mut tally = Tally::new();
        if let Some(column) = &self.column {
            let mut text = String::new();
            for (ord, &count) in self.counts.iter().enumerate() {
                if count > 0 && column.ord_to_str(ord as u64, &mut text).unwrap_or(false) {
                    tally.insert(Some(text.clone()), count);
                }
            }
        }
        if self.missing > 0 {
            tally.insert(None, self.missing);
        }
        tally
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tally(pairs: &[(Option<&str>, u64)]) -> Tally {
        pairs
            .iter()
            .map(|(v, c)| (v.map(String::from), *c))
            .collect()
    }

    #[test]
    fn values_sort_most_first_and_years_newest_first() {
        let facets = Tallies {
            text: [
                tally(&[
                    (Some("VS20"), 3),
                    (Some("CSO"), 5),
                    (None, 9),
                    (Some("A"), 3),
                ]),
                Tally::new(),
                Tally::new(),
                Tally::new(),
                Tally::new(),
            ],
            years: tally(&[(Some("2017"), 8), (None, 1), (Some("2018"), 2)]),
        }
        .into_facets();
        let campaigns: Vec<(Option<&str>, u64)> = facets
            .campaign
            .iter()
            .map(|f| (f.value.as_deref(), f.count))
            .collect();
        assert_eq!(
            campaigns,
            [
                (Some("CSO"), 5),
                (Some("A"), 3),
                (Some("VS20"), 3),
                (None, 9)
            ]
        );
        let years: Vec<Option<&str>> = facets.year.iter().map(|f| f.value.as_deref()).collect();
        assert_eq!(years, [Some("2018"), Some("2017"), None]);
    }
}

//! Counting what a crawl did to the index: per item (not per sighting), in all, per
//! campaign and per source.

use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

use crate::model::Item;

/// What a crawl did to one item.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The item was not in the index.
    Added,
    /// The item was there and something about it changed.
    Updated,
    /// The item was there, and is the same.
    Unchanged,
    /// The item left the album or library it was in.
    Gone,
}

/// Items added, updated, unchanged and gone.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// New to the index.
    pub added: usize,
    /// Already there, and changed.
    pub updated: usize,
    /// Already there, the same.
    pub unchanged: usize,
    /// No longer in their album or library.
    pub gone: usize,
}

impl Counts {
    fn count(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::Added => self.added += 1,
            Outcome::Updated => self.updated += 1,
            Outcome::Unchanged => self.unchanged += 1,
            Outcome::Gone => self.gone += 1,
        }
    }
}

/// What a crawl did to the index.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct WriteStats {
    /// Every item the crawl touched.
    #[serde(flatten)]
    pub total: Counts,
    /// By campaign; items without one are under `""`.
    pub by_campaign: BTreeMap<String, Counts>,
    /// By source (`flickr`, `feed`, …).
    pub by_source: BTreeMap<String, Counts>,
}

/// The first outcome of each item, with what to group it by.
#[derive(Default)]
pub(super) struct Tally {
    items: HashMap<String, (Outcome, Vec<String>, &'static str)>,
}

impl Tally {
    /// Records an outcome, unless the item already has one this run: an item reached twice
    /// counts once, as what happened to it first. Going is the exception, since it is only
    /// decided once the item was not reached at all.
    pub(super) fn record(&mut self, item: &Item, outcome: Outcome) {
        let entry = (outcome, item.campaigns.clone(), item.source.as_str());
        match self.items.get_mut(&item.id) {
            Some(existing) if outcome == Outcome::Gone => *existing = entry,
            Some(existing) => existing.1.clone_from(&item.campaigns),
            None => {
                self.items.insert(item.id.clone(), entry);
            }
        }
    }

    /// Whether the item has an outcome this run.
    pub(super) fn contains(&self, id: &str) -> bool {
        self.items.contains_key(id)
    }

    /// Keeps an item's campaigns current when they change after its outcome.
    pub(super) fn regroup(&mut self, item: &Item) {
        if let Some(existing) = self.items.get_mut(&item.id) {
            existing.1.clone_from(&item.campaigns);
        }
    }

    pub(super) fn stats(&self) -> WriteStats {
        let mut stats = WriteStats::default();
        for (outcome, campaigns, source) in self.items.values() {
            stats.total.count(*outcome);
            stats
                .by_source
                .entry((*source).to_string())
                .or_default()
                .count(*outcome);
            if campaigns.is_empty() {
                stats
                    .by_campaign
                    .entry(String::new())
                    .or_default()
                    .count(*outcome);
            }
            for campaign in campaigns {
                stats
                    .by_campaign
                    .entry(campaign.clone())
                    .or_default()
                    .count(*outcome);
            }
        }
        stats
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Kind, Source};

    fn item(id: &str, campaigns: &[&str], source: Source) -> Item {
        let mut item = Item::new(id, Kind::Photo, source);
        item.campaigns = campaigns.iter().map(|c| c.to_string()).collect();
        item
    }

    #[test]
    fn each_item_counts_once_per_group() {
        let mut tally = Tally::default();
        tally.record(&item("a", &["VS20", "CSO"], Source::Flickr), Outcome::Added);
        tally.record(
            &item("a", &["VS20", "CSO"], Source::Flickr),
            Outcome::Updated,
        );
        tally.record(&item("b", &["VS20"], Source::Feed), Outcome::Unchanged);
        tally.record(&item("c", &[], Source::Flickr), Outcome::Unchanged);
        tally.record(&item("c", &[], Source::Flickr), Outcome::Gone);
        let stats = tally.stats();
        assert_eq!(
            (stats.total.added, stats.total.unchanged, stats.total.gone),
            (1, 1, 1)
        );
        assert_eq!(
            stats.by_campaign["VS20"],
            Counts {
                added: 1,
                unchanged: 1,
                ..Counts::default()
            }
        );
        assert_eq!(stats.by_campaign["CSO"].added, 1);
        assert_eq!(stats.by_campaign[""].gone, 1);
        assert_eq!(
            stats.by_source["flickr"],
            Counts {
                added: 1,
                gone: 1,
                ..Counts::default()
            }
        );
    }
}

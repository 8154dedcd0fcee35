//! Counting what a crawl did to the index: per item (not per sighting), in all, per
//! campaign and per source.

use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Arc;

use crate::model::{Item, Source};

fn key(id: &str) -> u64 {
    let mut hasher = DefaultHasher::new();
    id.hash(&mut hasher);
    hasher.finish()
}

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
///
/// A crawl can touch millions of items, so an entry is small: the id's 64-bit hash (a
/// collision could only merge two items' counts), and campaign lists shared between the
/// items that have the same.
#[derive(Default)]
pub(super) struct Tally {
    items: HashMap<u64, (Outcome, Arc<[String]>, Source)>,
    campaign_lists: HashSet<Arc<[String]>>,
}

impl Tally {
    /// Records an outcome, unless the item already has one this run: an item reached twice
    /// counts once, as what happened to it first. Going is the exception, since it is only
    /// decided once the item was not reached at all.
    pub(super) fn record(&mut self, item: &Item, outcome: Outcome) {
        let campaigns = self.shared(&item.campaigns);
        match self.items.get_mut(&key(&item.id)) {
            Some(existing) if outcome == Outcome::Gone => {
                *existing = (outcome, campaigns, item.source)
            }
            Some(existing) => existing.1 = campaigns,
            None => {
                self.items
                    .insert(key(&item.id), (outcome, campaigns, item.source));
            }
        }
    }

    /// Whether the item has an outcome this run (or, rarely, another with the same hash).
    pub(super) fn contains(&self, id: &str) -> bool {
        self.items.contains_key(&key(id))
    }

    /// Keeps an item's campaigns current when they change after its outcome.
    pub(super) fn regroup(&mut self, item: &Item) {
        let campaigns = self.shared(&item.campaigns);
        if let Some(existing) = self.items.get_mut(&key(&item.id)) {
            existing.1 = campaigns;
        }
    }

    fn shared(&mut self, campaigns: &[String]) -> Arc<[String]> {
        if let Some(list) = self.campaign_lists.get(campaigns) {
            return list.clone();
        }
        let list: Arc<[String]> = campaigns.into();
        self.campaign_lists.insert(list.clone());
        list
    }

    pub(super) fn stats(&self) -> WriteStats {
        let mut stats = WriteStats::default();
        for (outcome, campaigns, source) in self.items.values() {
            stats.total.count(*outcome);
            stats
                .by_source
                .entry(source.as_str().to_string())
                .or_default()
                .count(*outcome);
            if campaigns.is_empty() {
                stats
                    .by_campaign
                    .entry(String::new())
                    .or_default()
                    .count(*outcome);
            }
            for campaign in campaigns.iter() {
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

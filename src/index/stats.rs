//! Counting what a crawl did to the index: per item (not per sighting), in all, per
//! campaign and per source.

use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::Arc;

use crate::model::{Item, Source};

fn key(id: &str) -> u64 {
    let mut hasher = DefaultHasher::new();
    id.hash(&mut hasher);
    hasher.finish()
}

/// What a crawl did to one item.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
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
    fn add(&mut self, outcome: Outcome, items: usize) {
        match outcome {
            Outcome::Added => self.added += items,
            Outcome::Updated => self.updated += items,
            Outcome::Unchanged => self.unchanged += items,
            Outcome::Gone => self.gone += items,
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

/// What an item is counted as: its outcome, campaigns and source. A crawl's items fall in
/// few groups.
type Group = (Outcome, Arc<[String]>, Source);

/// The first outcome of each item, with what to group it by.
///
/// A crawl can touch millions of items, so an entry is small: the id's 64-bit hash (a
/// collision could only merge two items' counts) and the number of its group, about 12 bytes
/// in all.
#[derive(Default)]
pub(super) struct Tally {
    items: GroupOf,
    groups: Vec<Group>,
    numbers: HashMap<Group, u32>,
}

impl Tally {
    /// Records an outcome, unless the item already has one this run: an item reached twice
    /// counts once, as what happened to it first. Going is the exception, since it is only
    /// decided once the item was not reached at all.
    pub(super) fn record(&mut self, item: &Item, outcome: Outcome) {
        let key = key(&item.id);
        let campaigns = self.shared(&item.campaigns);
        let group = match self.items.get(key).map(|n| &self.groups[n as usize]) {
            Some(&(first, _, source)) if outcome != Outcome::Gone => (first, campaigns, source),
            _ => (outcome, campaigns, item.source),
        };
        let number = self.number(group);
        self.items.set(key, number);
    }

    /// Whether the item has an outcome this run (or, rarely, another with the same hash).
    pub(super) fn contains(&self, id: &str) -> bool {
        self.items.get(key(id)).is_some()
    }

    /// Keeps an item's campaigns current when they change after its outcome.
    pub(super) fn regroup(&mut self, item: &Item) {
        let key = key(&item.id);
        let Some(number) = self.items.get(key) else {
            return;
        };
        let (outcome, _, source) = self.groups[number as usize];
        let group = (outcome, self.shared(&item.campaigns), source);
        let number = self.number(group);
        self.items.set(key, number);
    }

    /// The campaign list, shared with the groups that have the same.
    fn shared(&self, campaigns: &[String]) -> Arc<[String]> {
        self.groups
            .iter()
            .map(|(_, list, _)| list)
            .find(|list| list.as_ref() == campaigns)
            .cloned()
            .unwrap_or_else(|| campaigns.into())
    }

    fn number(&mut self, group: Group) -> u32 {
        if let Some(&number) = self.numbers.get(&group) {
            return number;
        }
        let number = u32::try_from(self.groups.len()).expect("fewer than 2^32 groups");
        self.groups.push(group.clone());
        self.numbers.insert(group, number);
        number
    }

    pub(super) fn stats(&self) -> WriteStats {
        let mut sizes = vec![0; self.groups.len()];
        for number in self.items.groups() {
            sizes[number as usize] += 1;
        }
        let mut stats = WriteStats::default();
        for ((outcome, campaigns, source), &size) in self.groups.iter().zip(&sizes) {
            stats.total.add(*outcome, size);
            let by_source = stats.by_source.entry(source.as_str().to_string());
            by_source.or_default().add(*outcome, size);
            if campaigns.is_empty() {
                stats
                    .by_campaign
                    .entry(String::new())
                    .or_default()
                    .add(*outcome, size);
            }
            for campaign in campaigns.iter() {
                stats
                    .by_campaign
                    .entry(campaign.clone())
                    .or_default()
                    .add(*outcome, size);
            }
        }
        stats
    }
}

/// Item hashes and their group numbers: older entries in two sorted columns (12 bytes an
/// entry, where a hash map takes about three times that), recent ones in a hash map merged
/// into them once it holds an eighth as many.
#[derive(Default)]
struct GroupOf {
    keys: Vec<u64>,
    numbers: Vec<u32>,
    recent: HashMap<u64, u32>,
}

impl GroupOf {
    fn get(&self, key: u64) -> Option<u32> {
        if let Some(&number) = self.recent.get(&key) {
            return Some(number);
        }
        let at = self.keys.binary_search(&key).ok()?;
        Some(self.numbers[at])
    }

    fn set(&mut self, key: u64, number: u32) {
        if let Ok(at) = self.keys.binary_search(&key) {
            self.numbers[at] = number;
            return;
        }
        self.recent.insert(key, number);
        if self.recent.len() >= (self.keys.len() / 8).max(4_096) {
            self.merge();
        }
    }

    /// Moves the recent entries into the sorted columns, merging from the end so that no
    /// second copy of the columns is made.
    fn merge(&mut self) {
        let mut recent: Vec<(u64, u32)> = self.recent.drain().collect();
        recent.sort_unstable_by_key(|&(key, _)| key);
        let old = self.keys.len();
        self.keys.resize(old + recent.len(), 0);
        self.numbers.resize(old + recent.len(), 0);
        let (mut from_old, mut from_new) = (old, recent.len());
        for to in (0..self.keys.len()).rev() {
            let take_new =
                from_new > 0 && (from_old == 0 || recent[from_new - 1].0 > self.keys[from_old - 1]);
            if take_new {
                from_new -= 1;
                (self.keys[to], self.numbers[to]) = recent[from_new];
            } else {
                from_old -= 1;
                self.keys[to] = self.keys[from_old];
                self.numbers[to] = self.numbers[from_old];
            }
        }
    }

    /// Every entry's group number.
    fn groups(&self) -> impl Iterator<Item = u32> + '_ {
        self.numbers.iter().chain(self.recent.values()).copied()
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

    #[test]
    fn entries_stay_found_and_settable_across_merges() {
        let mut entries = GroupOf::default();
        // A scrambled order, as hashes come.
        let key = |i: u64| i.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        for i in 0..20_000 {
            entries.set(key(i), (i % 7) as u32);
        }
        assert!(!entries.keys.is_empty(), "merged at least once");
        assert!(entries.keys.windows(2).all(|w| w[0] < w[1]), "kept sorted");
        for i in (0..20_000).step_by(3) {
            entries.set(key(i), 99);
        }
        for i in 0..20_000 {
            let expected = if i % 3 == 0 { 99 } else { (i % 7) as u32 };
            assert_eq!(entries.get(key(i)), Some(expected), "{i}");
        }
        assert_eq!(entries.get(key(20_000)), None);
        assert_eq!(entries.groups().count(), 20_000);
    }
}

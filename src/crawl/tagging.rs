//! Giving items the campaigns and provenance of the seeds that led to them.

use std::collections::BTreeSet;

use super::seed::Seed;
use crate::model::Item;
use crate::tag::{self, Campaigns};
use crate::urls;

/// Everything needed to tag an item, fixed once all seeds are read.
pub(super) struct Tagging<'a> {
    pub(super) campaigns: &'a Campaigns,
    /// Each seed's identity in `found_via`.
    seed_ids: Vec<String>,
    /// Each seed's campaign keys: its hashtags and the `--campaign` ones.
    seed_keys: Vec<BTreeSet<String>>,
}

/// What the crawl learnt about one seed.
pub(super) struct SeedFacts<'a> {
    pub(super) seed: &'a Seed,
    pub(super) hashtags: &'a [String],
    /// The release's own URL, when it declares one.
    pub(super) release: Option<&'a str>,
}

impl<'a> Tagging<'a> {
    pub(super) fn new(seeds: &[SeedFacts<'_>], extra: &[String], campaigns: &'a Campaigns) -> Self {
        let run_keys: BTreeSet<String> = extra.iter().map(|c| tag::key(c)).collect();
        Tagging {
            campaigns,
            seed_ids: seeds.iter().map(seed_id).collect(),
            seed_keys: seeds
                .iter()
                .map(|facts| {
                    let mut keys = run_keys.clone();
                    keys.extend(facts.hashtags.iter().map(|h| tag::key(h)));
                    keys
                })
                .collect(),
        }
    }

    /// Gives a freshly read item its provenance and campaigns.
    pub(super) fn apply(&self, item: &mut Item, from: &BTreeSet<usize>) {
        let mut given = BTreeSet::new();
        for &seed in from {
            given.extend(self.seed_keys[seed].iter().cloned());
            if !item.found_via.contains(&self.seed_ids[seed]) {
                item.found_via.push(self.seed_ids[seed].clone());
            }
        }
        item.found_via.sort();
        self.campaigns.settle(item, &given);
    }

    /// What an already indexed item gains from these seeds: their ids and their campaigns,
    /// spelled as shown.
    pub(super) fn provenance(&self, from: &BTreeSet<usize>) -> (Vec<String>, Vec<String>) {
        let found_via = from.iter().map(|&s| self.seed_ids[s].clone()).collect();
        let campaigns = from
            .iter()
            .flat_map(|&s| self.seed_keys[s].iter())
            .filter_map(|k| self.campaigns.spelling(k).map(str::to_string))
            .collect();
        (found_via, campaigns)
    }
}

/// A seed's identity in `found_via`: the release's own URL when it declares one, so the same
/// release read from a file and from the web is one seed.
fn seed_id(facts: &SeedFacts<'_>) -> String {
    match (facts.release, facts.seed) {
        (Some(release), _) => release.to_string(),
        (None, Seed::Url(url)) => urls::canonical(url),
        (None, seed @ Seed::File(_)) => seed.url().to_string(),
    }
}

//! Which links to read next, from which seeds, and which URLs were already read.

use std::collections::{BTreeSet, HashMap};
use std::io;
use std::path::Path;
use url::Url;

use super::spill::{Spill, Spilled};

/// How a link was reached.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct Reach {
    /// The seeds (by index) whose links lead here.
    pub(super) seeds: BTreeSet<usize>,
    /// Whether every page linking here was served from a public address: such a link may
    /// only lead to public addresses.
    pub(super) from_public: bool,
}

impl Reach {
    pub(super) fn seed(index: usize) -> Self {
        Reach {
            seeds: BTreeSet::from([index]),
            from_public: false,
        }
    }
}

/// Links to read next.
pub(super) type Frontier = HashMap<Url, Reach>;

/// Adds a page's links, reached like the page itself and found on a public page or not.
pub(super) fn add_links(frontier: &mut Frontier, links: Vec<Url>, from: &Reach, public_page: bool) {
    for link in links {
        match frontier.get_mut(&link) {
            Some(reach) => {
                reach.seeds.extend(from.seeds.iter().copied());
                // A link that a private page also gives is as trusted as that page.
                reach.from_public &= public_page;
            }
            None => {
                let reach = Reach {
                    seeds: from.seeds.clone(),
                    from_public: public_page,
                };
                frontier.insert(link, reach);
            }
        }
    }
}

/// URLs already read, so a page reached twice is fetched once and its items still learn
/// about every seed that leads to them. Holds URLs and their seeds; their item ids are in the
/// spill, on disk.
pub(super) struct Seen {
    by_url: HashMap<String, SeenUrl>,
    spill: Spill,
}

pub(super) struct SeenUrl {
    pub(super) seeds: BTreeSet<usize>,
    pub(super) items: Spilled,
}

impl Seen {
    /// Keeps item ids in a scratch file in `dir`.
    pub(super) fn new(dir: &Path) -> io::Result<Self> {
        Ok(Seen {
            by_url: HashMap::new(),
            spill: Spill::new(dir)?,
        })
    }

    pub(super) fn record(&mut self, url: &Url, seeds: BTreeSet<usize>, items: Spilled) {
        self.by_url
            .insert(url.to_string(), SeenUrl { seeds, items });
    }

    pub(super) fn get(&self, url: &Url) -> Option<&SeenUrl> {
        self.by_url.get(url.as_str())
    }

    /// Adds seeds to a URL already read.
    pub(super) fn add_seeds(&mut self, url: &Url, seeds: &BTreeSet<usize>) {
        if let Some(seen) = self.by_url.get_mut(url.as_str()) {
            seen.seeds.extend(seeds);
        }
    }

    /// Where item ids are kept.
    pub(super) fn spill(&mut self) -> &mut Spill {
        &mut self.spill
    }

    /// Where item ids are kept, to read them.
    pub(super) fn spill_ref(&self) -> &Spill {
        &self.spill
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_given_by_any_private_page_is_trusted() {
        let link = Url::parse("http://intranet.local/report").unwrap();
        let mut frontier = Frontier::new();
        add_links(&mut frontier, vec![link.clone()], &Reach::seed(0), true);
        assert!(frontier[&link].from_public);
        add_links(&mut frontier, vec![link.clone()], &Reach::seed(1), false);
        assert!(!frontier[&link].from_public);
        assert_eq!(frontier[&link].seeds, BTreeSet::from([0, 1]));
        add_links(&mut frontier, vec![link.clone()], &Reach::seed(2), true);
        assert!(!frontier[&link].from_public, "trust is not taken back");
    }
}

//! Which links to read next, from which seeds, and which URLs were already read.

use std::collections::{BTreeSet, HashMap};
use url::Url;

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
/// about every seed that leads to them. Holds URLs and item ids, never pages.
#[derive(Default)]
pub(super) struct Seen {
    by_url: HashMap<String, SeenUrl>,
}

pub(super) struct SeenUrl {
    pub(super) seeds: BTreeSet<usize>,
    pub(super) items: Vec<String>,
}

impl Seen {
    pub(super) fn record(&mut self, url: &Url, seeds: BTreeSet<usize>, items: Vec<String>) {
        self.by_url
            .insert(url.to_string(), SeenUrl { seeds, items });
    }

    pub(super) fn get_mut(&mut self, url: &Url) -> Option<&mut SeenUrl> {
        self.by_url.get_mut(url.as_str())
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

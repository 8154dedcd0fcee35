//! Turns: how many links of one host a level reads at once.
//!
//! The fetcher already lets only a few requests reach a host at a time, but every reader
//! started holds its state while it waits for its turn at the gate: a parsed page of 500
//! photos ready to send, an album's checks for duplicates. A level that starts all of its
//! links at once therefore holds memory in proportion to its links: a crawl of 200 albums
//! held 200 of each. Starting a few per host, and the next when one ends, keeps that flat
//! without slowing the host down, whose requests were queued at its gate anyway.

use std::collections::{HashMap, VecDeque};
use url::Url;

/// Links of one host read at once, at least: twice the fetcher's default requests per host,
/// so that one reader parses a page while another's request is on the wire.
const READERS_PER_HOST: usize = 4;

/// The links being read and waiting, by host.
pub(super) struct Turns {
    /// Links of one host read at once.
    readers: usize,
    reading: HashMap<String, usize>,
    waiting: HashMap<String, VecDeque<Url>>,
}

impl Turns {
    /// Turns for a crawl allowed `per_host` requests to a host at once: never fewer readers
    /// than that, so that `--per-host` keeps its meaning.
    pub(super) fn new(per_host: usize) -> Self {
        Turns {
            readers: READERS_PER_HOST.max(per_host),
            reading: HashMap::new(),
            waiting: HashMap::new(),
        }
    }

    /// Whether `url` may be read now; if not, it waits for a reader of its host to end.
    pub(super) fn start_or_wait(&mut self, url: &Url) -> bool {
        let host = host_of(url);
        let reading = self.reading.entry(host.clone()).or_default();
        if *reading < self.readers {
            *reading += 1;
            return true;
        }
        self.waiting.entry(host).or_default().push_back(url.clone());
        false
    }

    /// A reader of `url`'s host ended: the next link of that host to read, if one waits (it
    /// takes the turn that ended).
    pub(super) fn ended(&mut self, url: &Url) -> Option<Url> {
        let host = host_of(url);
        if let Some(next) = self.waiting.get_mut(&host).and_then(VecDeque::pop_front) {
            return Some(next);
        }
        self.waiting.remove(&host);
        if let Some(reading) = self.reading.get_mut(&host) {
            *reading = reading.saturating_sub(1);
            if *reading == 0 {
                self.reading.remove(&host);
            }
        }
        None
    }
}

/// The host and port a reader's requests go to first.
fn host_of(url: &Url) -> String {
    format!(
        "{}:{}",
        url.host_str().unwrap_or_default(),
        url.port_or_known_default().unwrap_or_default()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(text: &str) -> Url {
        Url::parse(text).unwrap()
    }

    #[test]
    fn a_host_reads_a_few_links_at_once_and_the_next_when_one_ends() {
        let mut turns = Turns::new(2);
        let album = |n: usize| url(&format!("https://www.flickr.com/photos/x/albums/{n}"));
        let started: Vec<bool> = (0..6).map(|n| turns.start_or_wait(&album(n))).collect();
        assert_eq!(started, [true, true, true, true, false, false]);
        // Another host has turns of its own, and so has another port.
        assert!(turns.start_or_wait(&url("https://videotheque.cnes.fr/a")));
        assert!(turns.start_or_wait(&url("https://www.flickr.com:8443/a")));
        // Waiting links start in the order they came, each when one of its host ends.
        assert_eq!(turns.ended(&album(2)), Some(album(4)));
        assert_eq!(turns.ended(&album(0)), Some(album(5)));
        assert_eq!(turns.ended(&url("https://videotheque.cnes.fr/a")), None);
        for n in [1, 3, 4] {
            assert_eq!(turns.ended(&album(n)), None);
        }
        // One turn is left of the four: the host reads three more at once, not four.
        let again: Vec<bool> = (6..10).map(|n| turns.start_or_wait(&album(n))).collect();
        assert_eq!(again, [true, true, true, false]);
    }

    #[test]
    fn a_host_allowed_more_requests_has_as_many_readers() {
        let mut turns = Turns::new(6);
        let page = |n: usize| url(&format!("https://media.example/p/{n}"));
        let started: Vec<bool> = (0..7).map(|n| turns.start_or_wait(&page(n))).collect();
        assert_eq!(started, [true, true, true, true, true, true, false]);
    }
}

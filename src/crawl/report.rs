//! What a crawl did: per seed, in numbers, and what failed.

use serde::Serialize;
use std::time::Duration;
use url::Url;

use super::writer::Written;
use crate::index::CampaignCount;

/// The end-of-crawl summary; `--report FILE.json` writes it as JSON.
#[derive(Clone, Debug, Default, Serialize)]
pub struct CrawlReport {
    /// One entry per seed, in the order given.
    pub seeds: Vec<SeedReport>,
    /// Pages and API resources read beyond the seeds.
    pub fetched: usize,
    /// Links left alone because they point at downloads, not pages.
    pub not_followed: usize,
    /// Items written.
    pub written: Written,
    /// URLs that could not be read, with why.
    pub failures: Vec<Failure>,
    /// Things the user should know and can fix, such as a missing API key.
    pub warnings: Vec<Warning>,
    /// Every campaign in the index after the crawl, with its size.
    pub campaigns: Vec<CampaignCount>,
    /// How long the crawl took.
    #[serde(serialize_with = "seconds")]
    pub elapsed: Duration,
    /// Whether this crawl continued an interrupted one.
    pub resumed: bool,
    /// Flickr photos read from public album feeds, for want of an API key.
    pub keyless_flickr: usize,
    /// Other things worth knowing (the crawl had to slow down for an API's budget).
    pub notes: Vec<String>,
}

fn seconds<S: serde::Serializer>(duration: &Duration, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_f64(duration.as_secs_f64())
}

impl CrawlReport {
    /// Whether every seed was read: the exit status depends on it.
    pub fn all_seeds_read(&self) -> bool {
        self.seeds.iter().all(|s| s.error.is_none())
    }
}

/// What became of one seed.
#[derive(Clone, Debug, Serialize)]
pub struct SeedReport {
    /// The seed as given.
    pub seed: Url,
    /// The release's title, if read.
    pub title: Option<String>,
    /// Its campaign hashtags.
    pub hashtags: Vec<String>,
    /// Items found on the seed itself (the release, its embedded media).
    pub items: usize,
    /// Why it could not be read.
    pub error: Option<String>,
}

impl SeedReport {
    pub(super) fn new(seed: &Url) -> Self {
        SeedReport {
            seed: seed.clone(),
            title: None,
            hashtags: Vec::new(),
            items: 0,
            error: None,
        }
    }
}

/// A URL left unread for a reason the user can fix.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Warning {
    /// What to fix.
    pub message: String,
    /// The URL skipped because of it.
    pub url: String,
}

impl CrawlReport {
    /// Warnings grouped by message, each with the URLs it concerns, in first-seen order.
    pub fn grouped_warnings(&self) -> Vec<(&str, Vec<&str>)> {
        let mut groups: Vec<(&str, Vec<&str>)> = Vec::new();
        for warning in &self.warnings {
            match groups.iter_mut().find(|(m, _)| *m == warning.message) {
                Some((_, urls)) => urls.push(&warning.url),
                None => groups.push((&warning.message, vec![&warning.url])),
            }
        }
        groups
    }
}

/// A URL that could not be read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Failure {
    /// The URL.
    pub url: String,
    /// Why.
    pub reason: String,
}

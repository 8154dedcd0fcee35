//! What a crawl did: per seed, in numbers, and what failed.

use serde::Serialize;
use std::time::Duration;
use url::Url;

use super::writer::Written;
use crate::failure::{Failure, FailureKind};
use crate::index::CampaignCount;
use crate::model::{About, Nature};
use crate::sources::Notice;

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
    pub failures: Vec<FailureRecord>,
    /// Things the user should know and can fix, such as a missing API key.
    pub warnings: Vec<Warning>,
    /// Things worth knowing, each counted over the crawl (photos read without an API key).
    pub notices: Vec<Notice>,
    /// Every campaign in the index after the crawl, with its size.
    pub campaigns: Vec<CampaignCount>,
    /// How long the crawl took.
    #[serde(serialize_with = "seconds")]
    pub elapsed: Duration,
    /// Whether this crawl continued an interrupted one.
    pub resumed: bool,
    /// Other things worth knowing (the crawl had to slow down for an API's budget).
    pub notes: Vec<String>,
}

fn seconds<S: serde::Serializer>(duration: &Duration, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_f64(duration.as_secs_f64())
}

impl CrawlReport {
    /// Whether the crawl did all it could: every seed was read, and nothing crashed. The
    /// exit status depends on it.
    pub fn succeeded(&self) -> bool {
        self.seeds.iter().all(|s| s.error.is_none())
            && self.failures.iter().all(|f| f.kind != FailureKind::Crash)
    }

    /// Failures grouped by kind, in the order of [`FailureKind::ALL`].
    pub fn failures_by_kind(&self) -> Vec<(FailureKind, Vec<&FailureRecord>)> {
        FailureKind::ALL
            .iter()
            .map(|&kind| {
                let of_kind = self.failures.iter().filter(|f| f.kind == kind).collect();
                (kind, of_kind)
            })
            .filter(|(_, failures): &(_, Vec<_>)| !failures.is_empty())
            .collect()
    }

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

    pub(super) fn failed(&mut self, url: &str, failure: &Failure) {
        self.failures.push(FailureRecord {
            url: url.to_string(),
            kind: failure.kind,
            reason: failure.message.clone(),
        });
    }

    pub(super) fn warn(&mut self, url: &str, warnings: &[String]) {
        for message in warnings {
            self.warnings.push(Warning {
                message: message.clone(),
                url: url.to_string(),
            });
        }
    }

    /// Adds notices, summing the counts of those that say the same thing.
    pub(super) fn notice(&mut self, notices: &[Notice]) {
        for notice in notices {
            let same = self
                .notices
                .iter_mut()
                .find(|n| n.message == notice.message && n.unit == notice.unit);
            match same {
                Some(known) => known.count += notice.count,
                None => self.notices.push(notice.clone()),
            }
        }
    }
}

/// What became of one seed.
#[derive(Clone, Debug, Serialize)]
pub struct SeedReport {
    /// The seed as given.
    pub seed: Url,
    /// What it turned out to be: a release, an album, a feed…
    pub nature: Option<Nature>,
    /// Its title, if read.
    pub title: Option<String>,
    /// Its campaign hashtags.
    pub hashtags: Vec<String>,
    /// Items found on the seed itself (the release, its embedded media, an album's photos).
    pub items: usize,
    /// Why it could not be read.
    pub error: Option<String>,
    /// What kind of failure that was.
    pub error_kind: Option<FailureKind>,
}

impl SeedReport {
    pub(super) fn new(seed: &Url) -> Self {
        SeedReport {
            seed: seed.clone(),
            nature: None,
            title: None,
            hashtags: Vec::new(),
            items: 0,
            error: None,
            error_kind: None,
        }
    }

    pub(super) fn describe(&mut self, about: Option<&About>, hashtags: &[String]) {
        self.nature = about.map(|a| a.nature);
        self.title = about.and_then(|a| a.title.clone());
        self.hashtags = hashtags.to_vec();
    }

    pub(super) fn fail(&mut self, failure: &Failure) {
        self.error = Some(failure.message.clone());
        self.error_kind = Some(failure.kind);
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

/// A URL that could not be read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FailureRecord {
    /// The URL.
    pub url: String,
    /// What went wrong, for programs (`http_status`, `robots`, `timeout`…).
    pub kind: FailureKind,
    /// What went wrong, for people.
    pub reason: String,
}

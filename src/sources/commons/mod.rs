//! Wikimedia Commons: categories, files and galleries, through the MediaWiki Action API.
//!
//! One generator query lists a category's files with their `imageinfo` and `extmetadata`,
//! 50 at a time (MediaWiki scales at most 50 thumbnails a request), following the continue
//! protocol to the end. A category's subcategories are links to the next level, so
//! `--depth` says how deep to go. Calls are serial, carry `maxlag=5` (a lagging database
//! answers `maxlag` in an HTTP 200, and the call is retried after the wait it asks for) and
//! a User-Agent that names the tool and a contact (`ARCHIVE_CONTACT`), as Wikimedia's
//! policy requires.
//!
//! # Fields
//!
//! Fills: title (`ObjectName`), description (`ImageDescription`, in English, else any
//! language Commons has), creator (`Artist`, else `Credit`, else the uploader; HTML to
//! text), licence (`LicenseShortName`, `LicenseUrl`), date taken (`DateTimeOriginal`, at
//! its precision), published (the upload), categories as tags, the original file with its
//! size, a 1280-pixel thumbnail, a video's or sound's duration. Cannot fill: the
//! description in the release's own language (the crawl does not tell a source the
//! release's language), dates written as prose or ranges. Items are `commons:<File name>`.

pub mod items;
pub mod urls;

use std::time::Duration;

use serde_json::Value;
use url::Url;

use crate::failure::{Failure, FailureKind};
use crate::fetch::{Fetcher, USER_AGENT};
use crate::model::{About, Nature, Source};
use crate::sources::budget::BudgetLimits;
use crate::sources::platform::client::{JsonApi, Rules};
use crate::sources::platform::endpoint::endpoint;
use crate::sources::{Context, Listing, ReadFuture, Reading, Settings, SettingsError};
use urls::{Target, recognize};

/// The Commons API.
pub const DEFAULT_API_URL: &str = "https://commons.wikimedia.org/w/api.php";
/// Answers read at most for one category or gallery: 10,000 files.
const MAX_BATCHES: usize = 200;
/// What every query asks of each file.
const FILE_INFO: [(&str, &str); 8] = [
    ("action", "query"),
    ("format", "json"),
    ("formatversion", "2"),
    ("maxlag", "5"),
    ("prop", "imageinfo"),
    (
        "iiprop",
        "timestamp|user|url|size|mime|mediatype|extmetadata",
    ),
    ("iiurlwidth", "1280"),
    ("iiextmetadatamultilang", "1"),
];

/// The Wikimedia Commons source.
pub struct Commons {
    api: JsonApi,
    base: Url,
    contact_given: bool,
}

impl Commons {
    /// Calls the API at `ARCHIVE_COMMONS_API_URL`, else Commons', introducing itself with
    /// `ARCHIVE_CONTACT` (an email or a URL) when given.
    ///
    /// # Errors
    /// When the variable is not a usable URL.
    pub fn new(fetcher: &Fetcher, settings: &Settings) -> Result<Self, SettingsError> {
        let base = endpoint(settings, "ARCHIVE_COMMONS_API_URL", DEFAULT_API_URL)?;
        fetcher.register_api(&base);
        let contact = settings.var("ARCHIVE_CONTACT");
        let agent = format!(
            "{USER_AGENT} (media archive for newsrooms; contact: {}) reqwest",
            contact.unwrap_or("not given, see ARCHIVE_CONTACT")
        );
        let rules = Rules {
            error: items::error,
            momentary: items::momentary,
            // The maxlag manual asks for at least five seconds when the server does not say.
            wait: Duration::from_secs(5),
            retries: 3,
        };
        // No hard limit for reading, but serial requests are the etiquette.
        let limits = BudgetLimits::per_window(3_600, Duration::from_secs(3_600))
            .with_gap(Duration::from_millis(100));
        Ok(Commons {
            api: JsonApi::new("MediaWiki API", fetcher.clone(), limits, rules)
                .with_header("User-Agent", agent)
                .serial(),
            base,
            contact_given: contact.is_some(),
        })
    }

    /// Every batch of a query, following `continue`; items go to the sink as they come.
    async fn query(
        &self,
        params: &[(&str, &str)],
        collection: Option<(&str, &str)>,
        cx: &mut Context<'_>,
    ) -> Result<Gathered, Failure> {
        let mut gathered = Gathered::default();
        let mut next: Vec<(String, String)> = Vec::new();
        for _ in 0..MAX_BATCHES {
            let mut url = self.base.clone();
            url.query_pairs_mut()
                .extend_pairs(FILE_INFO)
                .extend_pairs(params)
                .extend_pairs(next.iter().map(|(k, v)| (k.as_str(), v.as_str())));
            let answer: Value = self.api.get(&url, "query").await?;
            let mut batch = items::batch(&answer, &[]);
            for item in &mut batch.items {
                if let Some((name, link)) = collection {
                    item.collection = Some(name.to_string());
                    item.collection_url = Some(link.to_string());
                }
            }
            gathered
                .ids
                .extend(batch.items.iter().map(|i| i.id.clone()));
            gathered.subcategories.extend(batch.subcategories);
            gathered.missing.extend(batch.missing);
            cx.sink.take(batch.items).await;
            if batch.next.is_empty() {
                break;
            }
            next = batch.next;
        }
        Ok(gathered)
    }

    async fn category(&self, title: &str, cx: &mut Context<'_>) -> Result<Reading, Failure> {
        let params = [
            ("generator", "categorymembers"),
            ("gcmtitle", title),
            ("gcmtype", "file|subcat"),
            ("gcmlimit", "50"),
        ];
        let name = title.trim_start_matches("Category:");
        let link = urls::page_url(title);
        let gathered = self.query(&params, Some((name, &link)), cx).await?;
        let links = gathered
            .subcategories
            .iter()
            .filter_map(|sub| Url::parse(&urls::page_url(sub)).ok())
            .collect();
        Ok(Reading {
            about: Some(About {
                nature: Nature::Album,
                title: Some(name.to_string()),
            }),
            links,
            listing: Some(Listing::Read {
                updated: None,
                ids: gathered.ids,
            }),
            ..Reading::default()
        })
    }

    async fn file(&self, filter: (&str, &str), cx: &mut Context<'_>) -> Result<Reading, Failure> {
        let gathered = self.query(&[filter], None, cx).await?;
        if gathered.ids.is_empty() {
            let what = gathered.missing.first().map_or(filter.1, String::as_str);
            return Err(Failure::new(
                FailureKind::Api,
                format!("Wikimedia Commons has no file {what}"),
            ));
        }
        Ok(Reading {
            about: Some(About {
                nature: Nature::Media,
                title: Some(filter.1.trim_start_matches("File:").to_string()),
            }),
            ..Reading::default()
        })
    }

    async fn gallery(&self, title: &str, cx: &mut Context<'_>) -> Result<Reading, Failure> {
        let params = [
            ("generator", "images"),
            ("titles", title),
            ("gimlimit", "50"),
        ];
        let link = urls::page_url(title);
        self.query(&params, Some((title, &link)), cx).await?;
        Ok(Reading {
            about: Some(About {
                nature: Nature::Album,
                title: Some(title.to_string()),
            }),
            ..Reading::default()
        })
    }
}

/// What a query gathered besides the items it sent.
#[derive(Default)]
struct Gathered {
    ids: Vec<String>,
    subcategories: Vec<String>,
    missing: Vec<String>,
}

impl crate::sources::Source for Commons {
    fn id(&self) -> Source {
        Source::Commons
    }

    fn claims(&self, url: &Url) -> bool {
        recognize(url).is_some()
    }

    fn read<'a>(&'a self, url: &'a Url, cx: &'a mut Context<'_>) -> ReadFuture<'a> {
        Box::pin(async move {
            match recognize(url) {
                Some(Target::Category(title)) => self.category(&title, cx).await,
                Some(Target::File(title)) => self.file(("titles", &title), cx).await,
                Some(Target::PageId(id)) => self.file(("pageids", &id), cx).await,
                Some(Target::Gallery(title)) => self.gallery(&title, cx).await,
                None => Ok(Reading::default()),
            }
        })
    }

    /// A file's page or any upload of it, thumbnails included.
    fn identify(&self, reference: &Url) -> Option<String> {
        if let Some(name) = urls::uploaded_file(reference) {
            return Some(urls::item_id(&name));
        }
        match recognize(reference) {
            Some(Target::File(title)) => Some(urls::item_id(&title)),
            _ => None,
        }
    }

    fn notes(&self) -> Vec<String> {
        let calls = self.api.calls();
        if calls == 0 {
            return Vec::new();
        }
        let mut notes = vec![format!(
            "the Wikimedia Commons API was called {calls} times"
        )];
        if !self.contact_given {
            notes.push(
                "Wikimedia asks API clients for contact details: set ARCHIVE_CONTACT to an \
                 email address or a URL, which the crawl's User-Agent then gives"
                    .into(),
            );
        }
        notes
    }
}

#[cfg(test)]
mod tests;

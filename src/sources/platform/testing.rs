//! Reading a platform's URL in tests: a source, the fixture site on loopback, and the items
//! it sent.

use std::sync::Arc;
use std::time::Duration;

use url::Url;

use crate::failure::Failure;
use crate::fetch::{FetchConfig, Fetcher, Purpose};
use crate::model::Item;
use crate::sources::{Context, Reading, Registry, Settings, Source};
use archive_test_support::site::{Links, Site};

/// The fixture site, and settings pointing each platform at it.
pub(crate) struct Fixture {
    pub(crate) site: Site,
}

impl Fixture {
    pub(crate) fn start() -> Self {
        Fixture {
            site: Site::start(Links::Loopback),
        }
    }

    /// `ARCHIVE_*_URL` for every platform, pointing at the site, plus `extra`.
    pub(crate) fn settings(&self, extra: &[(&str, &str)]) -> Settings {
        let base = |host: &str| self.site.base(host);
        let mut pairs = vec![
            (
                "ARCHIVE_YOUTUBE_API_URL".to_string(),
                format!("{}/youtube/v3", base("www.googleapis.com")),
            ),
            (
                "ARCHIVE_YOUTUBE_FEED_URL".into(),
                format!("{}/feeds/videos.xml", base("www.youtube.com")),
            ),
            ("ARCHIVE_YOUTUBE_WEB_URL".into(), base("www.youtube.com")),
            (
                "ARCHIVE_DAILYMOTION_API_URL".into(),
                base("api.dailymotion.com"),
            ),
            ("ARCHIVE_VIMEO_API_URL".into(), base("api.vimeo.com")),
            ("ARCHIVE_VIMEO_WEB_URL".into(), base("vimeo.com")),
            (
                "ARCHIVE_OEMBED_YOUTUBE_URL".into(),
                format!("{}/oembed", base("www.youtube.com")),
            ),
            (
                "ARCHIVE_OEMBED_DAILYMOTION_URL".into(),
                format!("{}/services/oembed", base("www.dailymotion.com")),
            ),
            (
                "ARCHIVE_OEMBED_VIMEO_URL".into(),
                format!("{}/api/oembed.json", base("vimeo.com")),
            ),
            (
                "ARCHIVE_COMMONS_API_URL".into(),
                format!("{}/w/api.php", base("commons.wikimedia.org")),
            ),
            ("ARCHIVE_NASA_API_URL".into(), base("images-api.nasa.gov")),
            ("FLICKR_API_URL".into(), base("api.flickr.com")),
        ];
        pairs.extend(
            extra
                .iter()
                .map(|(k, v)| ((*k).to_string(), (*v).to_string())),
        );
        Settings::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    }
}

/// A fetcher that does not wait between requests, and retries quickly.
pub(crate) fn fetcher() -> Fetcher {
    Fetcher::live(FetchConfig {
        delay: Duration::ZERO,
        retries: 1,
        backoff: Duration::from_millis(10),
        max_backoff: Duration::from_millis(50),
        ..FetchConfig::default()
    })
    .expect("a client")
}

/// What a source gave for one URL read with these campaigns.
pub(crate) async fn read(
    source: &dyn Source,
    fetcher: &Fetcher,
    url: &str,
    campaigns: &[&str],
) -> (Result<Reading, Failure>, Vec<Item>) {
    let url = Url::parse(url).expect("a URL");
    let campaigns: Vec<String> = campaigns.iter().map(|c| (*c).to_string()).collect();
    let mut items: Vec<Item> = Vec::new();
    let registry = Arc::new(Registry::new(Vec::new()));
    let mut cx = Context::new(
        fetcher,
        registry,
        Purpose::Page,
        None,
        &campaigns,
        &mut items,
    );
    let reading = source.read(&url, &mut cx).await;
    (reading, items)
}

/// The ids of items, in order.
pub(crate) fn ids(items: &[Item]) -> Vec<&str> {
    items.iter().map(|i| i.id.as_str()).collect()
}

//! Where YouTube is read from, and with which key.

use std::fmt;
use url::Url;

use crate::sources::Settings;
use crate::sources::platform::{EndpointError, endpoint};

/// The variable holding the Data API key.
pub const KEY_ENV: &str = "YOUTUBE_API_KEY";
/// The Data API v3's public base.
pub const DEFAULT_API_URL: &str = "https://www.googleapis.com/youtube/v3";
/// Where the keyless Atom feeds are.
pub const DEFAULT_FEED_URL: &str = "https://www.youtube.com/feeds/videos.xml";
/// Where YouTube's own pages are (a channel's page names its id).
pub(super) const DEFAULT_WEB_URL: &str = "https://www.youtube.com";
/// Quota units a day, as Google gives a new project.
pub(super) const DEFAULT_DAILY_QUOTA: u32 = 10_000;

/// How to reach YouTube.
#[derive(Clone)]
pub struct YouTubeConfig {
    /// `YOUTUBE_API_KEY`; without one only the public feeds are read.
    pub key: Option<String>,
    /// `ARCHIVE_YOUTUBE_API_URL`.
    pub api_base: Url,
    /// `ARCHIVE_YOUTUBE_FEED_URL`.
    pub feed_base: Url,
    /// `ARCHIVE_YOUTUBE_WEB_URL`: where a channel's page is read to find its id.
    pub web_base: Url,
    /// `ARCHIVE_YOUTUBE_QUOTA`: the quota units this crawl may spend, at most.
    pub quota: u32,
}

impl YouTubeConfig {
    /// Reads the variables; a replayed crawl without a key uses the redacted stand-in its
    /// recording was made with.
    ///
    /// # Errors
    /// When an endpoint variable is not a usable base URL.
    pub fn from_settings(settings: &Settings) -> Result<Self, EndpointError> {
        let key = settings
            .var(KEY_ENV)
            .map(str::to_string)
            .or_else(|| settings.replaying.then(|| "REDACTED".to_string()));
        let quota = settings
            .var("ARCHIVE_YOUTUBE_QUOTA")
            .and_then(|q| q.parse().ok())
            .unwrap_or(DEFAULT_DAILY_QUOTA);
        Ok(YouTubeConfig {
            key,
            api_base: endpoint(settings, "ARCHIVE_YOUTUBE_API_URL", DEFAULT_API_URL)?,
            feed_base: endpoint(settings, "ARCHIVE_YOUTUBE_FEED_URL", DEFAULT_FEED_URL)?,
            web_base: endpoint(settings, "ARCHIVE_YOUTUBE_WEB_URL", DEFAULT_WEB_URL)?,
            quota,
        })
    }

    /// The keyless feed of a playlist, channel or legacy user (`playlist_id`, `channel_id`,
    /// `user`).
    pub fn feed_url(&self, param: &str, value: &str) -> Url {
        let mut url = self.feed_base.clone();
        url.query_pairs_mut().append_pair(param, value);
        url
    }

    /// Where a YouTube page is read from: the same path and query under `web_base`.
    pub fn web_page(&self, page: &Url) -> Url {
        let mut url = self.web_base.clone();
        let prefix = url.path().trim_end_matches('/').to_string();
        url.set_path(&format!("{prefix}{}", page.path()));
        url.set_query(page.query());
        url
    }
}

impl fmt::Debug for YouTubeConfig {
    // The key is a credential: keep it out of logs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("YouTubeConfig")
            .field("key", &self.key.as_ref().map(|_| "<set>"))
            .field("api_base", &self.api_base.as_str())
            .field("feed_base", &self.feed_base.as_str())
            .field("quota", &self.quota)
            .finish()
    }
}

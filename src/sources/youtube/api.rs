//! The YouTube Data API v3 client: which resources to ask, in which order, within the
//! crawl's share of the daily quota.
//!
//! Every call costs quota units, even one that fails: `channels`, `playlists`,
//! `playlistItems` and `videos` one unit each, `search` a hundred. Enumeration walks
//! playlists (the uploads playlist for a channel), never search; search is kept for
//! discovery, once per channel.

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::time::Duration;

use serde_json::Value;
use url::Url;

use super::config::YouTubeConfig;
use super::items::{self, Entry};
use crate::fetch::{Fetcher, full_jitter};
use crate::model::Item;
use crate::sources::budget::{Budget, BudgetLimits};
use crate::sources::platform::endpoint::call_url;
use crate::sources::platform::json::{at, plain, text};
use crate::sources::platform::{ApiError, json_body, masked};

const API: &str = "YouTube Data API";
/// The most a list call returns.
pub(super) const PAGE: usize = 50;
/// Pages of a playlist read at most: 20,000 videos.
const MAX_PAGES: usize = 400;
/// Units a `search.list` call costs.
pub(super) const SEARCH_COST: u32 = 100;
/// Retries of Google's momentary refusals (`rateLimitExceeded`, `backendError`).
const RETRIES: u32 = 3;

/// The channel that owns a playlist or was linked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChannelInfo {
    /// `UC…`.
    pub id: String,
    /// Its title, as videos credit it.
    pub title: Option<String>,
    /// Its uploads playlist (`UU…`).
    pub uploads: String,
}

/// What reading a playlist found.
#[derive(Debug, Default)]
pub struct PlaylistRead {
    /// The videos, in playlist order, once each.
    pub videos: Vec<String>,
    /// Private or deleted entries skipped.
    pub unavailable: usize,
    /// The owner channel's id and title, from the first entry.
    pub owner: Option<(String, Option<String>)>,
}

/// Calls the Data API through the crawl's fetcher, counting quota units.
pub struct YouTubeClient {
    fetcher: Fetcher,
    config: YouTubeConfig,
    budget: Budget,
    units: AtomicU32,
    exhausted: AtomicBool,
}

impl YouTubeClient {
    /// A client for `config`, whose key must be set for any call to be made.
    pub fn new(fetcher: Fetcher, config: YouTubeConfig) -> Self {
        YouTubeClient {
            fetcher,
            // Google allows bursts far above a crawl's; this only spaces calls out politely.
            budget: Budget::new(
                "YouTube",
                BudgetLimits::per_window(6_000, Duration::from_secs(60))
                    .with_gap(Duration::from_millis(20)),
            ),
            config,
            units: AtomicU32::new(0),
            exhausted: AtomicBool::new(false),
        }
    }

    /// The configuration in use.
    pub fn config(&self) -> &YouTubeConfig {
        &self.config
    }

    /// Quota units spent so far.
    pub fn units_used(&self) -> u32 {
        self.units.load(Ordering::Relaxed)
    }

    /// Whether `units` more fit in the crawl's quota.
    pub fn can_spend(&self, units: u32) -> bool {
        !self.exhausted.load(Ordering::Relaxed)
            && self.units_used().saturating_add(units) <= self.config.quota
    }

    /// Whether Google said the day's quota is spent.
    pub fn quota_refused(&self) -> bool {
        self.exhausted.load(Ordering::Relaxed)
    }

    /// The channel a URL names, with its uploads playlist. A channel id gives its uploads
    /// playlist without a call (`UC…` → `UU…`); a handle or a legacy name costs one.
    ///
    /// # Errors
    /// As [`YouTubeClient::call`]; a channel that does not exist is refused as `notFound`.
    pub async fn channel(&self, filter: (&str, &str)) -> Result<ChannelInfo, ApiError> {
        let params = [("part", "snippet,contentDetails"), filter];
        let answer = self.call("channels", &params, 1).await?;
        let first = answer
            .get("items")
            .and_then(Value::as_array)
            .and_then(|items| items.first());
        let Some(first) = first else {
            return Err(ApiError::Refused {
                api: API,
                what: format!("channels {}={}", filter.0, filter.1),
                status: 200,
                reason: "notFound".into(),
                message: "no such channel".into(),
            });
        };
        let id = text(first.get("id")).unwrap_or_default();
        let uploads = text(at(
            first,
            &["contentDetails", "relatedPlaylists", "uploads"],
        ))
        .unwrap_or_else(|| uploads_of(&id));
        Ok(ChannelInfo {
            title: plain(at(first, &["snippet", "title"])),
            id,
            uploads,
        })
    }

    /// A playlist's title, for the items' collection.
    ///
    /// # Errors
    /// As [`YouTubeClient::call`].
    pub async fn playlist_title(&self, list: &str) -> Result<Option<String>, ApiError> {
        let answer = self
            .call("playlists", &[("part", "snippet"), ("id", list)], 1)
            .await?;
        Ok(answer
            .get("items")
            .and_then(Value::as_array)
            .and_then(|items| items.first())
            .and_then(|first| plain(at(first, &["snippet", "title"]))))
    }

    /// Every entry of a playlist, page by page, to its end.
    ///
    /// # Errors
    /// As [`YouTubeClient::call`]; `playlistNotFound` for a missing or private playlist.
    pub async fn playlist(&self, list: &str) -> Result<PlaylistRead, ApiError> {
        let mut read = PlaylistRead::default();
        let mut seen = HashSet::new();
        let mut token: Option<String> = None;
        let per_page = PAGE.to_string();
        for _ in 0..MAX_PAGES {
            let mut params = vec![
                ("part", "snippet,contentDetails,status"),
                ("playlistId", list),
                ("maxResults", per_page.as_str()),
            ];
            if let Some(token) = &token {
                params.push(("pageToken", token));
            }
            let answer = self.call("playlistItems", &params, 1).await?;
            let (entries, owner) = items::playlist_page(&answer);
            if read.owner.is_none() {
                read.owner = owner;
            }
            for Entry { video, unavailable } in entries {
                if unavailable {
                    read.unavailable += 1;
                } else if seen.insert(video.clone()) {
                    read.videos.push(video);
                }
            }
            token = text(answer.get("nextPageToken"));
            if token.is_none() {
                break;
            }
        }
        Ok(read)
    }

    /// The videos with these ids, in batches of 50, as items. Ids YouTube does not return
    /// (private, deleted) are left out.
    ///
    /// # Errors
    /// As [`YouTubeClient::call`].
    pub async fn videos(&self, ids: &[String]) -> Result<Vec<Item>, ApiError> {
        let mut found = Vec::with_capacity(ids.len());
        for batch in ids.chunks(PAGE) {
            let joined = batch.join(",");
            let params = [
                ("part", "snippet,contentDetails,status,recordingDetails"),
                ("id", joined.as_str()),
                ("maxResults", "50"),
            ];
            let answer = self.call("videos", &params, 1).await?;
            let resources = answer.get("items").and_then(Value::as_array);
            found.extend(resources.into_iter().flatten().filter_map(items::video));
        }
        Ok(found)
    }

    /// Videos of a channel that a search for any of `tags` finds: one page, a hundred units.
    ///
    /// # Errors
    /// As [`YouTubeClient::call`].
    pub async fn search(&self, channel: &str, tags: &[String]) -> Result<Vec<String>, ApiError> {
        let query = tags.join("|");
        let params = [
            ("part", "id"),
            ("channelId", channel),
            ("q", query.as_str()),
            ("type", "video"),
            ("maxResults", "50"),
        ];
        let answer = self.call("search", &params, SEARCH_COST).await?;
        let hits = answer.get("items").and_then(Value::as_array);
        Ok(hits
            .into_iter()
            .flatten()
            .filter_map(|hit| text(at(hit, &["id", "videoId"])))
            .collect())
    }

    /// One call: its units are counted before it goes (Google counts failed calls too);
    /// a momentary refusal is retried; a spent quota stops every later call.
    ///
    /// # Errors
    /// [`ApiError::Quota`] when the crawl's share is spent or Google says the day's is;
    /// [`ApiError::Refused`] with Google's reason; [`ApiError::Malformed`],
    /// [`ApiError::Fetch`].
    pub async fn call(
        &self,
        resource: &str,
        params: &[(&str, &str)],
        units: u32,
    ) -> Result<Value, ApiError> {
        let mut tries = 0;
        loop {
            match self.call_once(resource, params, units).await {
                Err(error) if is_momentary(&error) && tries < RETRIES => {
                    let wait = full_jitter(Duration::from_secs(1), Duration::from_secs(30), tries);
                    tracing::debug!("{resource}: {error}; retrying in {wait:?}");
                    tokio::time::sleep(wait).await;
                    tries += 1;
                }
                result => return result,
            }
        }
    }

    async fn call_once(
        &self,
        resource: &str,
        params: &[(&str, &str)],
        units: u32,
    ) -> Result<Value, ApiError> {
        let Some(key) = self.config.key.as_deref() else {
            return Err(ApiError::Quota {
                api: API,
                message: format!("no key: set {} to call it", super::config::KEY_ENV),
            });
        };
        self.spend(units)?;
        self.budget.take().await;
        let url = self.url(resource, params, key);
        let response = self
            .fetcher
            .call_api(&url, &[])
            .await
            .map_err(|error| ApiError::Fetch {
                api: API,
                what: resource.to_string(),
                error: Box::new(masked(error, Some(key), "<YOUTUBE_API_KEY>")),
            })?;
        let answer = json_body(API, resource, &response)?;
        match items::error(&answer) {
            None if response.status < 300 => Ok(answer),
            found => {
                let (reason, message) = found.unwrap_or_default();
                if reason == "quotaExceeded" || reason == "dailyLimitExceeded" {
                    self.exhausted.store(true, Ordering::Relaxed);
                    return Err(ApiError::Quota {
                        api: API,
                        message: format!(
                            "Google says the key's daily quota is spent ({message}); it \
                             resets at midnight Pacific time"
                        ),
                    });
                }
                Err(ApiError::Refused {
                    api: API,
                    what: resource.to_string(),
                    status: response.status,
                    reason,
                    message,
                })
            }
        }
    }

    fn spend(&self, units: u32) -> Result<(), ApiError> {
        if self.quota_refused() {
            return Err(ApiError::Quota {
                api: API,
                message: "Google said the key's daily quota is spent: no more calls".into(),
            });
        }
        let spent = self
            .units
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |used| {
                let after = used.checked_add(units)?;
                (after <= self.config.quota).then_some(after)
            });
        spent.map(|_| ()).map_err(|used| ApiError::Quota {
            api: API,
            message: format!(
                "this crawl's share of the quota is spent ({used} of {} units; \
                 ARCHIVE_YOUTUBE_QUOTA raises it)",
                self.config.quota
            ),
        })
    }

    fn url(&self, resource: &str, params: &[(&str, &str)], key: &str) -> Url {
        let mut url = call_url(&self.config.api_base, resource, params);
        url.query_pairs_mut().append_pair("key", key);
        url
    }
}

/// A refusal that goes away by itself: too many calls at once, Google's own trouble.
fn is_momentary(error: &ApiError) -> bool {
    matches!(
        error.reason(),
        Some("rateLimitExceeded" | "userRateLimitExceeded" | "backendError" | "internalError")
    ) || matches!(error, ApiError::Fetch { error, .. } if error.is_retryable())
}

/// A channel's uploads playlist, as YouTube derives it: `UC…` → `UU…`.
pub fn uploads_of(channel: &str) -> String {
    match channel.strip_prefix("UC") {
        Some(rest) => format!("UU{rest}"),
        None => channel.to_string(),
    }
}

//! Dailymotion: videos, playlists and users, through the public (legacy) API, which needs
//! no key for public data.
//!
//! Listings are paged 100 at a time until `has_more` is false (`total` may be missing or
//! approximate), at most 100 pages, the API's own limit. `family_filter=false` is sent,
//! since the filter is on by default and would hide videos from an archive. After a
//! playlist, a user or a video that a release led to, the owner's videos are searched for
//! the campaign's tags (discovery), one search per tag.
//!
//! # Fields
//!
//! Fills: title, description (HTML to text), tags, the owner's name as creator, duration,
//! the creation date as published, the 720p thumbnail, the video's page. Cannot fill: a
//! licence (Dailymotion has no licence field: ask the owner), the date taken, the file and
//! its size (playback goes through the player). Items are `dailymotion:<id>` on every
//! route.

pub mod items;
pub mod urls;

use std::collections::HashSet;
use std::time::Duration;

use serde_json::Value;
use url::Url;

use crate::failure::Failure;
use crate::fetch::Fetcher;
use crate::model::{About, Item, Nature, Source};
use crate::sources::budget::BudgetLimits;
use crate::sources::platform::client::{JsonApi, Rules};
use crate::sources::platform::discovery::{self, Searched};
use crate::sources::platform::endpoint::{call_url, endpoint};
use crate::sources::platform::json::plain;
use crate::sources::{Context, Listing, Notice, ReadFuture, Reading, Settings, SettingsError};
use urls::{Target, recognize};

/// The legacy API's public base.
pub const DEFAULT_API_URL: &str = "https://api.dailymotion.com";
/// The most a listing page holds.
const LIMIT: &str = "100";
/// Pages of a listing read at most: the API stops at 100.
const MAX_PAGES: u32 = 100;

/// The Dailymotion source.
pub struct Dailymotion {
    api: JsonApi,
    base: Url,
    discover: bool,
    searched: Searched,
}

/// What a listing gave.
struct Listed {
    ids: Vec<String>,
    private: usize,
}

impl Dailymotion {
    /// Calls the API at `ARCHIVE_DAILYMOTION_API_URL`, else the public one.
    ///
    /// # Errors
    /// When the variable is not a usable base URL.
    pub fn new(fetcher: &Fetcher, settings: &Settings) -> Result<Self, SettingsError> {
        let base = endpoint(settings, "ARCHIVE_DAILYMOTION_API_URL", DEFAULT_API_URL)?;
        fetcher.register_api(&base);
        let rules = Rules {
            error: items::error,
            momentary: items::momentary,
            wait: Duration::from_secs(2),
            retries: 2,
        };
        // No documented read limit: a page's pace, and a ceiling well under any abuse.
        let limits = BudgetLimits::per_window(3_600, Duration::from_secs(3_600))
            .with_gap(Duration::from_millis(250));
        Ok(Dailymotion {
            api: JsonApi::new("Dailymotion API", fetcher.clone(), limits, rules),
            base,
            discover: settings.discover,
            searched: Searched::default(),
        })
    }

    async fn get(&self, path: &str, params: &[(&str, &str)]) -> Result<Value, Failure> {
        let url = call_url(&self.base, path, params);
        Ok(self.api.get(&url, path).await?)
    }

    async fn video(&self, id: &str, cx: &mut Context<'_>) -> Result<Reading, Failure> {
        let object = self
            .get(&format!("video/{id}"), &[("fields", items::VIDEO_FIELDS)])
            .await?;
        let item = items::video(&object).ok_or_else(|| {
            Failure::new(
                crate::failure::FailureKind::Api,
                format!("Dailymotion video {id} is private"),
            )
        })?;
        let title = item.title.clone();
        let known = vec![item.id.clone()];
        cx.sink.take(vec![item]).await;
        let notices = match items::owner(&object) {
            Some(owner) => self.discover(&owner, &known, cx).await,
            None => Vec::new(),
        };
        Ok(Reading {
            about: Some(About {
                nature: Nature::Media,
                title,
            }),
            notices,
            ..Reading::default()
        })
    }

    /// A playlist or a user's videos, page by page.
    async fn listing(&self, target: &Target, cx: &mut Context<'_>) -> Result<Reading, Failure> {
        let (path, fields) = match target {
            Target::Playlist(id) => (format!("playlist/{id}"), "id,name,owner,owner.screenname"),
            Target::User(name) => (format!("user/{name}"), "id,screenname,username"),
            Target::Video(_) => unreachable!("videos are not listings"),
        };
        let about = self.get(&path, &[("fields", fields)]).await?;
        let title = plain(about.get("name")).or_else(|| plain(about.get("screenname")));
        let owner = items::owner(&about);
        let collection_url = match target {
            Target::Playlist(id) => format!("https://www.dailymotion.com/playlist/{id}"),
            _ => format!(
                "https://www.dailymotion.com/{}",
                path.trim_start_matches("user/")
            ),
        };
        let videos = format!("{path}/videos");
        let listed = self
            .pages(&videos, &[], cx, |item| {
                item.collection.clone_from(&title);
                item.collection_url = Some(collection_url.clone());
                true
            })
            .await?;
        let mut notices = vec![private_notice(listed.private)];
        if let Some(owner) = owner {
            notices.extend(self.discover(&owner, &listed.ids, cx).await);
        }
        Ok(Reading {
            about: Some(About {
                nature: Nature::Playlist,
                title,
            }),
            listing: Some(Listing::Read {
                updated: None,
                ids: listed.ids,
            }),
            notices,
            ..Reading::default()
        })
    }

    /// Every page of a listing, each handed to the sink as read; `keep` sets up (or drops)
    /// each item.
    async fn pages(
        &self,
        path: &str,
        filters: &[(&str, &str)],
        cx: &mut Context<'_>,
        mut keep: impl FnMut(&mut Item) -> bool,
    ) -> Result<Listed, Failure> {
        let mut listed = Listed {
            ids: Vec::new(),
            private: 0,
        };
        let mut seen = HashSet::new();
        for page in 1..=MAX_PAGES {
            let page = page.to_string();
            let mut params = vec![
                ("fields", items::VIDEO_FIELDS),
                ("limit", LIMIT),
                ("page", page.as_str()),
                ("family_filter", "false"),
            ];
            params.extend_from_slice(filters);
            let answer = self.get(path, &params).await?;
            let (mut found, private, more) = items::listing(&answer);
            listed.private += private;
            found.retain_mut(|item| seen.insert(item.id.clone()) && keep(item));
            listed.ids.extend(found.iter().map(|i| i.id.clone()));
            cx.sink.take(found).await;
            if !more {
                break;
            }
        }
        Ok(listed)
    }

    /// The owner's videos that carry the campaigns' tags, once per owner and crawl.
    async fn discover(
        &self,
        owner: &(String, Option<String>),
        known: &[String],
        cx: &mut Context<'_>,
    ) -> Vec<Notice> {
        let tags = discovery::tags_of(cx.campaigns);
        let (id, name) = owner;
        if !self.discover || tags.is_empty() || !self.searched.first_time(id, &tags) {
            return Vec::new();
        }
        let known: HashSet<String> = known.iter().cloned().collect();
        let account = name.clone().unwrap_or_else(|| id.clone());
        let account_url = name
            .as_ref()
            .map(|n| format!("https://www.dailymotion.com/{n}"));
        let mut found = 0;
        for tag in &tags {
            let filters = [("owners", id.as_str()), ("tags", tag.as_str())];
            let searched = self
                .pages("videos", &filters, cx, |item| {
                    !known.contains(&item.id)
                        && discovery::mark(
                            item,
                            Source::Dailymotion,
                            &account,
                            account_url.as_deref(),
                            std::slice::from_ref(tag),
                        )
                })
                .await;
            match searched {
                Ok(listed) => found += listed.ids.len(),
                Err(error) => tracing::warn!("Dailymotion discovery for {account}: {error}"),
            }
        }
        vec![Notice {
            count: found,
            unit: "Dailymotion video".into(),
            message: "discovery found {count} by searching the users a release led to for \
                      its campaign tags (--no-discover turns this off)"
                .into(),
        }]
    }
}

impl crate::sources::Source for Dailymotion {
    fn id(&self) -> Source {
        Source::Dailymotion
    }

    /// Videos, playlists and users: the API needs no key and says more of a video than
    /// its oEmbed answer (duration, date, tags).
    fn claims(&self, url: &Url) -> bool {
        recognize(url).is_some()
    }

    fn read<'a>(&'a self, url: &'a Url, cx: &'a mut Context<'_>) -> ReadFuture<'a> {
        Box::pin(async move {
            match recognize(url) {
                Some(Target::Video(id)) => self.video(&id, cx).await,
                Some(target) => self.listing(&target, cx).await,
                None => Ok(Reading::default()),
            }
        })
    }

    fn identify(&self, reference: &Url) -> Option<String> {
        urls::video_id(reference).map(|id| format!("dailymotion:{id}"))
    }

    fn notes(&self) -> Vec<String> {
        match self.api.calls() {
            0 => Vec::new(),
            calls => vec![format!("the Dailymotion API was called {calls} times")],
        }
    }
}

fn private_notice(count: usize) -> Notice {
    Notice {
        count,
        unit: "Dailymotion video".into(),
        message: "skipped {count} that playlists or users list but are private".into(),
    }
}

#[cfg(test)]
mod tests;

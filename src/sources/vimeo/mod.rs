//! Vimeo: showcases, channels, users and videos.
//!
//! With `VIMEO_TOKEN` (any app's token will do for public videos), the API reads a
//! showcase ("album" in the API), a channel or a user's videos to the end, with durations,
//! dates, tags and Creative Commons licences. Without one, a channel's or a user's public
//! RSS feed lists its latest videos (a player, no file), each completed with its oEmbed
//! answer; a showcase has no feed, and the summary says a token is needed. A single video
//! link is read through the API with a token, and left to the players' oEmbed source
//! without one.
//!
//! A showcase's URL does not name its owner, whom the API's path needs: the showcase's
//! oEmbed answer does (`author_url`).
//!
//! # Fields
//!
//! | with a token | without |
//! | --- | --- |
//! | title, description, tags, owner as creator, licence, release date, duration, largest picture, page | title, description (oEmbed's; the feed's boilerplate is dropped), owner, published, duration, thumbnail, page |
//!
//! Cannot fill: the file and its size (only the owner's token sees download links), the
//! date taken; without a token, tags and licence. Items are `vimeo:<id>` on every route.

pub mod items;
pub mod urls;

use std::collections::HashSet;
use std::time::Duration;

use serde_json::Value;
use url::Url;

use crate::failure::{Failure, FailureKind};
use crate::fetch::{Fetcher, Purpose};
use crate::model::{About, Item, Nature, Source};
use crate::sources::budget::BudgetLimits;
use crate::sources::oembed::{self, Embed, Endpoints};
use crate::sources::platform::client::{JsonApi, Rules};
use crate::sources::platform::endpoint::{call_url, endpoint};
use crate::sources::{Context, Listing, Notice, ReadFuture, Reading, Settings, SettingsError};
use urls::{Target, recognize};

/// The API's public base.
pub const DEFAULT_API_URL: &str = "https://api.vimeo.com";
/// Where the public feeds are.
pub const DEFAULT_WEB_URL: &str = "https://vimeo.com";
/// Pages of a listing read at most (100 videos each).
const MAX_PAGES: u32 = 100;

/// The Vimeo source.
pub struct Vimeo {
    api: Option<JsonApi>,
    api_base: Url,
    web_base: Url,
    oembed: Endpoints,
}

impl Vimeo {
    /// Reads `VIMEO_TOKEN`, `ARCHIVE_VIMEO_API_URL`, `ARCHIVE_VIMEO_WEB_URL` and the
    /// players' `ARCHIVE_OEMBED_VIMEO_URL`.
    ///
    /// # Errors
    /// When an endpoint variable is not a usable URL.
    pub fn new(fetcher: &Fetcher, settings: &Settings) -> Result<Self, SettingsError> {
        let token = settings
            .var("VIMEO_TOKEN")
            .map(str::to_string)
            .or_else(|| settings.replaying.then(|| "REDACTED".to_string()));
        let rules = Rules {
            error: items::error,
            momentary: |_| false,
            wait: Duration::from_secs(1),
            retries: 0,
        };
        // Vimeo's limits depend on the account; this stays well under the smallest.
        let limits = BudgetLimits::per_window(600, Duration::from_secs(600))
            .with_gap(Duration::from_millis(100));
        let api = token.map(|token| {
            JsonApi::new("Vimeo API", fetcher.clone(), limits, rules)
                .with_header("Authorization", format!("bearer {token}"))
                .with_header("Accept", "application/vnd.vimeo.*+json;version=3.4".into())
                .with_secret(Some(token))
        });
        let api_base = endpoint(settings, "ARCHIVE_VIMEO_API_URL", DEFAULT_API_URL)?;
        fetcher.register_api(&api_base);
        // Videos read from a feed are completed by oEmbed.
        let oembed = Endpoints::from_settings(settings).map_err(SettingsError::new)?;
        oembed.register(fetcher);
        Ok(Vimeo {
            api,
            api_base,
            web_base: endpoint(settings, "ARCHIVE_VIMEO_WEB_URL", DEFAULT_WEB_URL)?,
            oembed,
        })
    }

    async fn read_target(&self, target: Target, cx: &mut Context<'_>) -> Result<Reading, Failure> {
        match (&self.api, target) {
            (Some(api), Target::Video(embed)) => self.video(api, &embed, cx).await,
            (Some(api), Target::Showcase(id)) => {
                let (owner, title) = self.showcase_owner(&id, cx).await?;
                let path = format!("users/{owner}/albums/{id}/videos");
                let url = format!("https://vimeo.com/showcase/{id}");
                self.listing(api, &path, title, url, cx).await
            }
            (Some(api), Target::Channel(name)) => {
                let path = format!("channels/{name}/videos");
                let url = format!("https://vimeo.com/channels/{name}");
                self.listing(api, &path, Some(name), url, cx).await
            }
            (Some(api), Target::User(name)) => {
                let path = format!("users/{name}/videos");
                let url = format!("https://vimeo.com/{name}");
                self.listing(api, &path, Some(name), url, cx).await
            }
            (None, Target::Channel(name)) => self.feed(&format!("channels/{name}"), cx).await,
            (None, Target::User(name)) => self.feed(&name, cx).await,
            (None, Target::Showcase(_)) => Ok(Reading {
                warnings: vec![
                    "no Vimeo token: set VIMEO_TOKEN to read Vimeo showcases, which have no \
                     public feed (an app's token from https://developer.vimeo.com/apps will do)"
                        .into(),
                ],
                ..Reading::default()
            }),
            (None, Target::Video(_)) => Ok(Reading::default()),
        }
    }

    async fn video(
        &self,
        api: &JsonApi,
        embed: &Embed,
        cx: &mut Context<'_>,
    ) -> Result<Reading, Failure> {
        let path = format!("videos/{}", embed.video_id);
        let url = call_url(&self.api_base, &path, &[("fields", items::VIDEO_FIELDS)]);
        let object = api.get(&url, &path).await?;
        let item = items::video(&object).ok_or_else(|| {
            Failure::new(
                FailureKind::Unreadable,
                format!("Vimeo answered {path} without a video"),
            )
        })?;
        let title = item.title.clone();
        cx.sink.take(vec![item]).await;
        Ok(Reading {
            about: Some(About {
                nature: Nature::Media,
                title,
            }),
            ..Reading::default()
        })
    }

    /// A showcase's owner and title, from its oEmbed answer.
    async fn showcase_owner(
        &self,
        id: &str,
        cx: &Context<'_>,
    ) -> Result<(String, Option<String>), Failure> {
        let mut request = self.oembed.vimeo.clone();
        request
            .query_pairs_mut()
            .append_pair("url", &format!("https://vimeo.com/showcase/{id}"));
        let response = cx.fetcher.get(&request, Purpose::Api).await?;
        let answer: Value = serde_json::from_str(response.text().trim()).map_err(|e| {
            Failure::new(
                FailureKind::Unreadable,
                format!("Vimeo's oEmbed answer for showcase {id}: {e}"),
            )
        })?;
        let title = crate::sources::platform::json::plain(answer.get("title"));
        let owner = crate::sources::platform::json::url(answer.get("author_url"))
            .and_then(|u| Url::parse(&u).ok())
            .and_then(|u| {
                u.path_segments()?
                    .find(|s| !s.is_empty())
                    .map(str::to_string)
            });
        let owner = owner.ok_or_else(|| {
            Failure::new(
                FailureKind::Unreadable,
                format!("Vimeo showcase {id}: no owner in its oEmbed answer"),
            )
        })?;
        Ok((owner, title))
    }

    /// Every page of an API listing, each handed to the sink as read.
    async fn listing(
        &self,
        api: &JsonApi,
        path: &str,
        title: Option<String>,
        collection_url: String,
        cx: &mut Context<'_>,
    ) -> Result<Reading, Failure> {
        let mut ids = Vec::new();
        let mut seen = HashSet::new();
        for page in 1..=MAX_PAGES {
            let page = page.to_string();
            let params = [
                ("per_page", "100"),
                ("page", page.as_str()),
                ("fields", items::VIDEO_FIELDS),
            ];
            let url = call_url(&self.api_base, path, &params);
            let answer = api.get(&url, path).await?;
            let mut found = items::page(&answer);
            found.retain_mut(|item| {
                item.collection.clone_from(&title);
                item.collection_url = Some(collection_url.clone());
                seen.insert(item.id.clone())
            });
            ids.extend(found.iter().map(|i| i.id.clone()));
            let last = found.is_empty() || !items::has_next(&answer);
            cx.sink.take(found).await;
            if last {
                break;
            }
        }
        Ok(Reading {
            about: Some(About {
                nature: Nature::Playlist,
                title,
            }),
            listing: Some(Listing::Read { updated: None, ids }),
            ..Reading::default()
        })
    }

    /// A channel's or user's public feed, each video completed by its oEmbed answer.
    async fn feed(&self, path: &str, cx: &mut Context<'_>) -> Result<Reading, Failure> {
        let feed_url =
            crate::sources::platform::endpoint::join(&self.web_base, &format!("{path}/videos/rss"));
        let page = cx.fetch_page(&feed_url).await?;
        let (title, mut videos) = items::feed(&page.body);
        for item in &mut videos {
            self.describe(item, cx).await;
            item.collection.clone_from(&title);
            item.collection_url = Some(format!("https://vimeo.com/{path}"));
        }
        let count = videos.len();
        cx.sink.take(videos).await;
        Ok(Reading {
            about: Some(About {
                nature: Nature::Playlist,
                title,
            }),
            notices: vec![keyless_notice(count)],
            ..Reading::default()
        })
    }

    /// Completes a feed's video with its oEmbed answer (its real description), keeping the
    /// feed's publication instant over oEmbed's zoneless upload date.
    async fn describe(&self, item: &mut Item, cx: &Context<'_>) {
        let Some(page) = item.page_url.as_deref().and_then(|p| Url::parse(p).ok()) else {
            return;
        };
        let Some(embed) = oembed::recognize(&page) else {
            return;
        };
        let request = self.oembed.request_url(&embed);
        match cx.fetcher.get(&request, Purpose::Api).await {
            Ok(response) => {
                let published = item.published_at;
                let _ = oembed::apply(item, &response.text());
                item.source = Source::Vimeo;
                item.published_at = published.or(item.published_at);
            }
            Err(error) => tracing::info!("{request}: {error}; keeping what the feed said"),
        }
    }
}

impl crate::sources::Source for Vimeo {
    fn id(&self) -> Source {
        Source::Vimeo
    }

    /// Showcases, channels and users always; a single video only with a token, else the
    /// players' oEmbed source describes it.
    fn claims(&self, url: &Url) -> bool {
        match recognize(url) {
            Some(Target::Video(_)) => self.api.is_some(),
            Some(_) => true,
            None => false,
        }
    }

    fn read<'a>(&'a self, url: &'a Url, cx: &'a mut Context<'_>) -> ReadFuture<'a> {
        Box::pin(async move {
            match recognize(url) {
                Some(target) => self.read_target(target, cx).await,
                None => Ok(Reading::default()),
            }
        })
    }

    fn identify(&self, reference: &Url) -> Option<String> {
        match recognize(reference) {
            Some(Target::Video(embed)) => Some(embed.item_id()),
            _ => None,
        }
    }

    fn notes(&self) -> Vec<String> {
        match self.api.as_ref().map(JsonApi::calls) {
            Some(calls) if calls > 0 => vec![format!("the Vimeo API was called {calls} times")],
            _ => Vec::new(),
        }
    }
}

fn keyless_notice(count: usize) -> Notice {
    Notice {
        count,
        unit: "Vimeo video".into(),
        message: "without VIMEO_TOKEN, {count} came from Vimeo's public feeds, which list only \
                  a channel's or user's latest videos, without tags or licence. Set \
                  VIMEO_TOKEN (an app's token from https://developer.vimeo.com/apps) to read \
                  them whole, and showcases too."
            .into(),
    }
}

#[cfg(test)]
mod tests;

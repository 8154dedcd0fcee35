//! YouTube: playlists, channels and videos.
//!
//! With `YOUTUBE_API_KEY`, the Data API v3 reads a playlist to its end (a channel through
//! its uploads playlist), then its videos in batches of 50: duration, tags, licence, dates
//! and thumbnails. Without a key, a playlist's or channel's public Atom feed gives its first
//! (or newest) 15 videos, and the summary says what a key would add. A single video link is
//! read through the API with a key, and left to the players' oEmbed source without one.
//!
//! After a playlist or channel that a release led to, the channel may be searched for the
//! release's campaign tags (discovery): one `search.list` call, a hundred quota units.
//!
//! # Fields
//!
//! | with a key | without |
//! | --- | --- |
//! | title, description, tags, channel as creator, licence (`creativeCommon` is CC BY 3.0, `youtube` the standard licence), published, recorded (as taken), duration, largest thumbnail, watch page | title, description, channel, published, thumbnail, watch page |
//!
//! Cannot fill: the video's file and its size (the API exposes neither), and without a key
//! duration, tags, licence and date taken. Items are `youtube:<id>` on every route.

mod api;
mod config;
pub mod feed;
pub mod items;
mod notices;
pub mod urls;

use std::collections::HashSet;

use url::Url;

use crate::failure::Failure;
use crate::fetch::Fetcher;
use crate::model::{About, Item, Nature, Source};
use crate::sources::platform::ApiError;
use crate::sources::platform::discovery::{self, Searched};
use crate::sources::{Context, Listing, Notice, ReadFuture, Reading, Settings, SettingsError};

pub use api::{ChannelInfo, PlaylistRead, YouTubeClient, uploads_of};
pub use config::{DEFAULT_API_URL, DEFAULT_FEED_URL, KEY_ENV, YouTubeConfig};
use notices::{
    discovered_notice, failed_search_notice, keyless_notice, skipped_search_notice,
    unavailable_notice,
};
use urls::{Channel, Target, playlist_url, recognize};

/// The YouTube source.
pub struct YouTube {
    client: YouTubeClient,
    discover: bool,
    searched: Searched,
}

/// A playlist or a channel's uploads, as read.
struct Listed {
    title: Option<String>,
    url: String,
    owner: Option<(String, Option<String>)>,
}

impl YouTube {
    /// Reads `YOUTUBE_API_KEY` and the `ARCHIVE_YOUTUBE_*_URL` endpoints.
    ///
    /// # Errors
    /// When an endpoint variable is not a usable base URL.
    pub fn new(fetcher: &Fetcher, settings: &Settings) -> Result<Self, SettingsError> {
        let config = YouTubeConfig::from_settings(settings).map_err(SettingsError::new)?;
        fetcher.register_api(&config.api_base);
        Ok(YouTube {
            client: YouTubeClient::new(fetcher.clone(), config),
            discover: settings.discover,
            searched: Searched::default(),
        })
    }

    fn has_key(&self) -> bool {
        self.client.config().key.is_some()
    }

    async fn read_target(&self, target: Target, cx: &mut Context<'_>) -> Result<Reading, Failure> {
        match (target, self.has_key()) {
            (Target::Video(id), _) => self.video(&id, cx).await,
            (Target::Playlist { list, video }, true) => {
                let title = self.client.playlist_title(&list).await?;
                let mut read = self.client.playlist(&list).await?;
                if let Some(video) = video.filter(|v| !read.videos.contains(v)) {
                    read.videos.push(video);
                }
                let listed = Listed {
                    title,
                    url: playlist_url(&list),
                    owner: None,
                };
                self.listing(read, listed, cx).await
            }
            (Target::Playlist { list, video }, false) => {
                let feed = self.client.config().feed_url("playlist_id", &list);
                let mut reading = self.keyless(&feed, &playlist_url(&list), cx).await?;
                reading.follow.extend(video.map(|v| watch_link(&v)));
                Ok(reading)
            }
            (Target::Channel(channel), true) => self.channel(&channel, cx).await,
            (Target::Channel(channel), false) => {
                let feed = match &channel {
                    Channel::User(name) => self.client.config().feed_url("user", name),
                    other => {
                        let id = self.channel_id(other, cx).await?;
                        self.client.config().feed_url("channel_id", &id)
                    }
                };
                self.keyless(&feed, &channel.page_url(), cx).await
            }
        }
    }

    /// A channel through its uploads playlist. A channel id gives it without a call
    /// (`UC…` → `UU…`), asked for only if that guess fails; a handle or a legacy name costs
    /// one call.
    async fn channel(&self, channel: &Channel, cx: &mut Context<'_>) -> Result<Reading, Failure> {
        let (read, owner) = match channel {
            Channel::Handle(handle) => {
                let handle = format!("@{handle}");
                let info = self.client.channel(("forHandle", &handle)).await?;
                (self.client.playlist(&info.uploads).await?, Some(info))
            }
            Channel::User(name) => {
                let info = self.client.channel(("forUsername", name)).await?;
                (self.client.playlist(&info.uploads).await?, Some(info))
            }
            Channel::Id(_) | Channel::Custom(_) => {
                let id = self.channel_id(channel, cx).await?;
                match self.client.playlist(&uploads_of(&id)).await {
                    Err(error) if error.reason() == Some("playlistNotFound") => {
                        let info = self.client.channel(("id", &id)).await?;
                        (self.client.playlist(&info.uploads).await?, Some(info))
                    }
                    read => (read?, None),
                }
            }
        };
        let owner = owner
            .map(|info| (info.id, info.title))
            .or_else(|| read.owner.clone());
        let listed = Listed {
            title: owner.as_ref().and_then(|(_, title)| title.clone()),
            url: channel.page_url(),
            owner,
        };
        self.listing(read, listed, cx).await
    }

    /// A channel's id: given by its URL, or read from its page (`/c/name`, and `/@handle`
    /// without a key).
    async fn channel_id(&self, channel: &Channel, cx: &Context<'_>) -> Result<String, Failure> {
        if let Channel::Id(id) = channel {
            return Ok(id.clone());
        }
        let page_url = Url::parse(&channel.page_url()).expect("channel pages are valid URLs");
        let page = cx
            .fetch_page(&self.client.config().web_page(&page_url))
            .await?;
        channel_id_in_page(&page.body).ok_or_else(|| {
            Failure::new(
                crate::failure::FailureKind::Unreadable,
                format!("{page_url}: the channel's page does not name its id"),
            )
        })
    }

    /// The videos a playlist listed, through the API in batches, then the owner's channel
    /// searched for the campaigns.
    async fn listing(
        &self,
        read: PlaylistRead,
        listed: Listed,
        cx: &mut Context<'_>,
    ) -> Result<Reading, Failure> {
        cx.sink.expect(read.videos.len() as u64);
        let mut ids = Vec::with_capacity(read.videos.len());
        let mut missing = read.unavailable;
        for batch in read.videos.chunks(api::PAGE) {
            let mut items = self.client.videos(batch).await?;
            missing += batch.len() - items.len();
            for item in &mut items {
                item.collection.clone_from(&listed.title);
                item.collection_url = Some(listed.url.clone());
            }
            ids.extend(items.iter().map(|i| i.id.clone()));
            cx.sink.take(items).await;
        }
        let owner = listed.owner.clone().or(read.owner);
        let mut notices = vec![unavailable_notice(missing)];
        if let Some((channel, title)) = owner {
            notices.extend(self.discover(&channel, title.as_deref(), &ids, cx).await);
        }
        Ok(Reading {
            about: Some(About {
                nature: Nature::Playlist,
                title: listed.title,
            }),
            listing: Some(Listing::Read { updated: None, ids }),
            notices,
            ..Reading::default()
        })
    }

    /// Searches the channel for the campaigns' tags, once per crawl; keeps the videos that
    /// carry one and were not read already.
    async fn discover(
        &self,
        channel: &str,
        title: Option<&str>,
        known: &[String],
        cx: &mut Context<'_>,
    ) -> Option<Notice> {
        let tags = discovery::tags_of(cx.campaigns);
        if !self.discover || tags.is_empty() || !self.searched.first_time(channel, &tags) {
            return None;
        }
        if !self.client.can_spend(api::SEARCH_COST + 1) {
            return Some(skipped_search_notice());
        }
        let found = match self.discovered(channel, title, &tags, known).await {
            Ok(found) => found,
            Err(error) => {
                tracing::warn!("YouTube discovery in channel {channel}: {error}");
                return Some(failed_search_notice());
            }
        };
        let count = found.len();
        cx.sink.take(found).await;
        Some(discovered_notice(count))
    }

    async fn discovered(
        &self,
        channel: &str,
        title: Option<&str>,
        tags: &[String],
        known: &[String],
    ) -> Result<Vec<Item>, ApiError> {
        let known: HashSet<&str> = known.iter().map(String::as_str).collect();
        let ids: Vec<String> = self
            .client
            .search(channel, tags)
            .await?
            .into_iter()
            .filter(|id| !known.contains(format!("youtube:{id}").as_str()))
            .collect();
        let account = title.unwrap_or(channel);
        let account_url = format!("https://www.youtube.com/channel/{channel}");
        let mut items = self.client.videos(&ids).await?;
        items.retain_mut(|item| {
            discovery::mark(item, Source::YouTube, account, Some(&account_url), tags)
        });
        Ok(items)
    }

    /// One video through the API.
    async fn video(&self, id: &str, cx: &mut Context<'_>) -> Result<Reading, Failure> {
        let items = self.client.videos(&[id.to_string()]).await?;
        let Some(item) = items.into_iter().next() else {
            return Err(ApiError::Refused {
                api: "YouTube Data API",
                what: format!("video {id}"),
                status: 200,
                reason: "notFound".into(),
                message: "the video is private, deleted or does not exist".into(),
            }
            .into());
        };
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

    /// A playlist or channel without a key: its public feed, and a word on what is missing.
    async fn keyless(
        &self,
        feed: &Url,
        listing_url: &str,
        cx: &mut Context<'_>,
    ) -> Result<Reading, Failure> {
        let page = cx.fetch_page(feed).await?;
        let mut read = feed::read(&page.body);
        for item in &mut read.items {
            item.collection.clone_from(&read.title);
            item.collection_url = Some(listing_url.to_string());
        }
        let count = read.items.len();
        cx.sink.take(read.items).await;
        Ok(Reading {
            about: Some(About {
                nature: Nature::Playlist,
                title: read.title,
            }),
            notices: vec![keyless_notice(count)],
            ..Reading::default()
        })
    }
}

impl crate::sources::Source for YouTube {
    fn id(&self) -> Source {
        Source::YouTube
    }

    /// Playlists and channels always; a single video only with a key, else the players'
    /// oEmbed source describes it.
    fn claims(&self, url: &Url) -> bool {
        match recognize(url) {
            Some(Target::Video(_)) => self.has_key(),
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
        urls::video_id(reference).map(|id| format!("youtube:{id}"))
    }

    fn notes(&self) -> Vec<String> {
        let units = self.client.units_used();
        let mut notes = Vec::new();
        if units > 0 {
            notes.push(format!(
                "the YouTube Data API used {units} of the {} quota units this crawl may spend \
                 (ARCHIVE_YOUTUBE_QUOTA; a key has 10,000 a day)",
                self.client.config().quota
            ));
        }
        if self.client.quota_refused() {
            notes.push(
                "YouTube refused further calls: the key's daily quota is spent. It resets at \
                 midnight Pacific time; crawl again then."
                    .into(),
            );
        }
        notes
    }
}

/// A link to one video, followed when a keyless playlist feed did not list it.
fn watch_link(video: &str) -> Url {
    Url::parse(&urls::watch_url(video)).expect("video ids are URL-safe")
}

/// The channel id a channel's page names: its canonical link, or the id in its data.
fn channel_id_in_page(body: &str) -> Option<String> {
    let markers = [
        "<link rel=\"canonical\" href=\"https://www.youtube.com/channel/",
        "\"channelId\":\"",
        "<meta itemprop=\"identifier\" content=\"",
        "\"externalId\":\"",
    ];
    markers.iter().find_map(|marker| {
        let at = body.find(marker)? + marker.len();
        let id = body.get(at..at + 24)?;
        urls::is_channel_id(id).then(|| id.to_string())
    })
}

#[cfg(test)]
mod tests;

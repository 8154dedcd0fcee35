//! Flickr as a source: albums and photos claimed by URL and read through the REST API, or,
//! without a key, from an album's page and public feed.

use scraper::Html;
use url::Url;

use super::keyless::album_page;
use super::urls::{FlickrTarget, photo_id_of, recognize};
use super::{FlickrClient, FlickrConfig, FlickrError, Listed};
use crate::failure::{Failure, FailureKind};

use crate::fetch::{FetchError, Fetcher};
use crate::model::{About, Discovery, Nature, Source};
use crate::sources::platform::discovery::{self, Searched};
use crate::sources::{Context, Listing, Notice, ReadFuture, Reading, Settings, SettingsError};

/// The Flickr source.
pub struct FlickrSource {
    client: FlickrClient,
    discover: bool,
    searched: Searched,
}

impl FlickrSource {
    /// Calls the API configured by `FLICKR_API_KEY`, `FLICKR_API_URL` and `FLICKR_WEB_URL`,
    /// within `FLICKR_CALLS_PER_HOUR`.
    /// A replayed crawl needs no key: its recorded calls were made with the key redacted.
    ///
    /// # Errors
    /// When an endpoint variable is not an http(s) base URL.
    pub fn new(fetcher: &Fetcher, settings: &Settings) -> Result<Self, SettingsError> {
        let mut config = FlickrConfig::from_settings(settings).map_err(SettingsError::new)?;
        if settings.replaying && config.api_key.is_none() {
            config.api_key = Some(super::REDACTED_KEY.into());
        }
        let limits = FlickrConfig::call_limits(settings).map_err(SettingsError::new)?;
        let client = FlickrClient::new(fetcher.clone(), config).with_limits(limits);
        let mut source = FlickrSource::with_client(client);
        source.discover = settings.discover;
        Ok(source)
    }

    /// A source calling the API through this client (other limits, in tests).
    pub fn with_client(client: FlickrClient) -> Self {
        FlickrSource {
            client,
            discover: true,
            searched: Searched::default(),
        }
    }

    /// Whether `url` is an album's public feed at the configured API host, which the
    /// crawl follows when there is no key.
    fn is_public_feed(&self, url: &Url) -> bool {
        let base = &self.client.config().api_base;
        url.origin() == base.origin()
            && url
                .path()
                .strip_prefix(base.path().trim_end_matches('/'))
                .is_some_and(|rest| rest == "/services/feeds/photoset.gne")
    }

    async fn album(
        &self,
        url: &Url,
        user: &str,
        set_id: &str,
        cx: &mut Context<'_>,
    ) -> Result<Reading, Failure> {
        if self.client.config().api_key.is_none() {
            return self.keyless_album(url, cx).await;
        }
        let read = self
            .client
            .album_into(user, set_id, cx.known_update, cx.sink)
            .await
            .map_err(failure)?;
        let updated = read.album.date_update;
        // An album not read again lists no members, and the search would take them for
        // discoveries: its account is searched when the album is read.
        let notices = match read.changed {
            true => {
                self.discover(user, &read.album.owner, &read.listed, cx)
                    .await
            }
            false => None,
        }
        .into_iter()
        .collect();
        // The album's members went to the sink as they were read.
        let listing = if read.changed {
            Listing::Read {
                updated,
                ids: Vec::new(),
            }
        } else {
            Listing::Unchanged { updated }
        };
        Ok(Reading {
            about: Some(About {
                nature: Nature::Album,
                title: read.album.title,
            }),
            listing: Some(listing),
            notices,
            ..Reading::default()
        })
    }

    /// Searches the album's owner for the campaigns' tags, once per crawl, and sends the
    /// photos found that the album did not list.
    async fn discover(
        &self,
        user: &str,
        owner: &str,
        listed: &Listed,
        cx: &mut Context<'_>,
    ) -> Option<Notice> {
        let tags = discovery::tags_of(cx.campaigns);
        if !self.discover || tags.is_empty() || !self.searched.first_time(owner, &tags) {
            return None;
        }
        let found = match self.client.search_account(owner, &tags, listed).await {
            Ok(found) => found,
            // A recording made before discovery (the demo) holds no search: nothing to say.
            Err(FlickrError::Fetch {
                error: FetchError::NotInArchive,
                ..
            }) => return None,
            Err(error) => {
                tracing::warn!("Flickr discovery in {user}'s photos: {error}");
                return Some(Notice {
                    count: 1,
                    unit: "Flickr account".into(),
                    message: format!("{{count}} not searched for the campaign tags: {error}"),
                });
            }
        };
        let account_url = format!("https://www.flickr.com/photos/{user}/");
        let items: Vec<_> = found
            .into_iter()
            .map(|found| {
                let mut item = found.item;
                item.discovery.push(Discovery::new(
                    Source::Flickr,
                    user,
                    Some(account_url.clone()),
                    found.tag,
                ));
                item
            })
            .collect();
        let count = items.len();
        cx.sink.take(items).await;
        Some(Notice {
            count,
            unit: "Flickr photo".into(),
            message: "discovery found {count} by searching the Flickr accounts a release led \
                      to for its campaign tags (--no-discover turns this off)"
                .into(),
        })
    }

    /// Without a key, the album's own page points to its public feed: fewer items, fewer
    /// sizes, but something. The page is read as the album it is, wherever
    /// `FLICKR_WEB_URL` serves it.
    async fn keyless_album(&self, url: &Url, cx: &mut Context<'_>) -> Result<Reading, Failure> {
        let served_at = self.client.config().web_page(url);
        let page = cx.fetch_page(&served_at).await?;
        let album = album_page(&Html::parse_document(&page.body), url);
        let title = album.as_ref().and_then(|a| a.title.clone());
        let feed = album.and_then(|a| a.feed_url(&self.client.config().api_base));
        Ok(Reading {
            about: Some(About {
                nature: Nature::Album,
                title,
            }),
            follow: feed.into_iter().collect(),
            ..Reading::default()
        })
    }

    /// An album's public feed, read for want of a key; the summary says how many photos
    /// came this way, and what a key would add.
    async fn public_feed(&self, url: &Url, cx: &mut Context<'_>) -> Result<Reading, Failure> {
        let page = cx.fetch_page(url).await?;
        let found = cx.extract(page).await?;
        let count = found.items.len();
        cx.sink.take(found.items).await;
        Ok(Reading {
            about: found.about,
            notices: vec![Notice {
                count,
                unit: "photo".into(),
                message: "without FLICKR_API_KEY, {count} came from Flickr's public album \
                          feeds, which list only an album's latest photos, in one size and \
                          without every licence. Set FLICKR_API_KEY (create a key at \
                          https://www.flickr.com/services/apps/create/) to read whole albums."
                    .into(),
            }],
            ..Reading::default()
        })
    }

    async fn photo(&self, target: &FlickrTarget, cx: &mut Context<'_>) -> Result<Reading, Failure> {
        let harvest = match self.client.harvest(target).await {
            Ok(harvest) => harvest,
            // Without a key the crawl goes on; the summary says what was skipped and how
            // to fix it.
            Err(error @ FlickrError::NoApiKey) => {
                return Ok(Reading {
                    warnings: vec![error.to_string()],
                    ..Reading::default()
                });
            }
            Err(error) => return Err(failure(error)),
        };
        let title = harvest.items.first().and_then(|i| i.title.clone());
        cx.sink.take(harvest.items).await;
        Ok(Reading {
            about: Some(About {
                nature: Nature::Media,
                title,
            }),
            ..Reading::default()
        })
    }
}

impl crate::sources::Source for FlickrSource {
    fn id(&self) -> Source {
        Source::Flickr
    }

    fn claims(&self, url: &Url) -> bool {
        recognize(url).is_some() || self.is_public_feed(url)
    }

    fn read<'a>(&'a self, url: &'a Url, cx: &'a mut Context<'_>) -> ReadFuture<'a> {
        Box::pin(async move {
            if self.is_public_feed(url) {
                return self.public_feed(url, cx).await;
            }
            match recognize(url) {
                Some(FlickrTarget::Album { user, set_id }) => {
                    self.album(url, &user, &set_id, cx).await
                }
                Some(target) => self.photo(&target, cx).await,
                None => Ok(Reading::default()),
            }
        })
    }

    fn identify(&self, reference: &Url) -> Option<String> {
        photo_id_of(reference).map(|id| format!("flickr:{id}"))
    }

    fn notes(&self) -> Vec<String> {
        if !self.client.slowed_down() {
            return Vec::new();
        }
        vec![
            "Flickr's budget of 3,600 calls an hour ran out: the crawl slowed down to stay \
             under it"
                .into(),
        ]
    }
}

/// A Flickr error as the crawl reports it.
fn failure(error: FlickrError) -> Failure {
    let kind = match &error {
        FlickrError::Api { .. }
        | FlickrError::NoApiKey
        | FlickrError::BadApiUrl { .. }
        | FlickrError::BadCallBudget(_) => FailureKind::Api,
        FlickrError::Malformed { .. } => FailureKind::Unreadable,
        FlickrError::Fetch { error, .. } => error.kind(),
    };
    Failure::caused_by(kind, error)
}

//! NASA's Image and Video Library (images.nasa.gov): assets, searches and albums, through
//! its public API, which needs no key.
//!
//! A hit of `/search` (or `/album`) gives an asset's description; `/asset/{nasa_id}` its
//! manifest (original, large, medium, small and thumbnail files, captions, and its
//! `metadata.json`); `metadata.json`, on the assets' host and fetched as a page, the
//! original's size, a video's running time and the camera's date. A search or an album is
//! read at most [`MAX_PAGES`] pages of 100.
//!
//! # Fields
//!
//! Fills: title, description, keywords as tags, the photographer (or secondary creator)
//! with the NASA centre as creator, the date created (a day when its time is the midnight
//! placeholder) or the camera's date as taken, NASA's media guidelines as the licence
//! (an item naming a third party, such as ESA or a `©`, gets that party's copyright
//! instead, not reusable), every rendition, the original's size, the duration, the
//! preview, the asset's page. Cannot fill: a publication date distinct from the creation
//! date. Items are `nasa:<nasa_id>`.

pub mod items;
pub mod urls;

use std::time::Duration;

use serde_json::Value;
use url::Url;

use crate::failure::{Failure, FailureKind};
use crate::fetch::Fetcher;
use crate::model::{About, Item, Nature, Source};
use crate::sources::budget::BudgetLimits;
use crate::sources::platform::client::{JsonApi, Rules};
use crate::sources::platform::endpoint::{call_url, endpoint};
use crate::sources::platform::json::{at, text};
use crate::sources::{Context, Listing, ReadFuture, Reading, Settings, SettingsError};
use urls::{Target, recognize};

/// The library's API.
pub const DEFAULT_API_URL: &str = "https://images-api.nasa.gov";
/// Pages of a search or an album read at most.
pub const MAX_PAGES: u32 = 5;

/// The NASA Image and Video Library source.
pub struct Nasa {
    api: JsonApi,
    base: Url,
}

impl Nasa {
    /// Calls the API at `ARCHIVE_NASA_API_URL`, else NASA's.
    ///
    /// # Errors
    /// When the variable is not a usable base URL.
    pub fn new(fetcher: &Fetcher, settings: &Settings) -> Result<Self, SettingsError> {
        let rules = Rules {
            error: items::error,
            momentary: |_| false,
            wait: Duration::from_secs(1),
            retries: 0,
        };
        // No documented limit; api.nasa.gov's own is 1,000 an hour, which this keeps.
        let limits = BudgetLimits::per_window(1_000, Duration::from_secs(3_600))
            .with_gap(Duration::from_millis(100));
        let base = endpoint(settings, "ARCHIVE_NASA_API_URL", DEFAULT_API_URL)?;
        fetcher.register_api(&base);
        Ok(Nasa {
            api: JsonApi::new(
                "NASA Image and Video Library API",
                fetcher.clone(),
                limits,
                rules,
            ),
            base,
        })
    }

    async fn get(&self, path: &str, params: &[(&str, &str)]) -> Result<Value, Failure> {
        let url = call_url(&self.base, path, params);
        Ok(self.api.get(&url, path).await?)
    }

    async fn asset(&self, id: &str, cx: &mut Context<'_>) -> Result<Reading, Failure> {
        let answer = self.get("search", &[("nasa_id", id)]).await?;
        let item = hits(&answer)
            .filter_map(items::hit)
            .find(|item| item.id == format!("nasa:{id}"))
            .ok_or_else(|| {
                Failure::new(
                    FailureKind::Api,
                    format!("NASA's library has no asset {id}"),
                )
            })?;
        let item = self.complete(item, cx).await;
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

    /// A search's or an album's hits, page by page, each completed with its files.
    async fn listing(
        &self,
        path: &str,
        params: &[(String, String)],
        title: String,
        cx: &mut Context<'_>,
    ) -> Result<Reading, Failure> {
        let mut ids = Vec::new();
        for page in 1..=MAX_PAGES {
            let page = page.to_string();
            let mut query: Vec<(&str, &str)> = params
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            query.push(("page", &page));
            query.push(("page_size", "100"));
            let answer = self.get(path, &query).await?;
            let found: Vec<Item> = hits(&answer).filter_map(items::hit).collect();
            let mut completed = Vec::with_capacity(found.len());
            for mut item in found {
                item.collection = Some(title.clone());
                completed.push(self.complete(item, cx).await);
            }
            ids.extend(completed.iter().map(|i| i.id.clone()));
            cx.sink.take(completed).await;
            if !has_next(&answer) {
                break;
            }
        }
        Ok(Reading {
            about: Some(About {
                nature: Nature::Album,
                title: Some(title),
            }),
            listing: (path != "search").then_some(Listing::Read { updated: None, ids }),
            ..Reading::default()
        })
    }

    /// An item with its files and their metadata; what cannot be read is left out, with
    /// the item kept.
    async fn complete(&self, mut item: Item, cx: &Context<'_>) -> Item {
        let id = item.id.trim_start_matches("nasa:").to_string();
        let manifest = match self.get(&format!("asset/{id}"), &[]).await {
            Ok(answer) => items::manifest(&answer),
            Err(error) => {
                tracing::info!("NASA asset {id}: no manifest: {error}");
                return item;
            }
        };
        items::apply_manifest(&mut item, &manifest);
        let Some(location) = manifest.metadata.and_then(|m| Url::parse(&m).ok()) else {
            return item;
        };
        match cx.fetch_page(&location).await {
            Ok(page) => match serde_json::from_str::<Value>(page.body.trim()) {
                Ok(metadata) => items::apply_metadata(&mut item, &metadata),
                Err(error) => tracing::info!("{location}: not JSON: {error}"),
            },
            Err(error) => tracing::info!("{location}: {error}"),
        }
        item
    }
}

/// The hits of a Collection+JSON answer.
fn hits(answer: &Value) -> impl Iterator<Item = &Value> {
    at(answer, &["collection", "items"])
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
}

/// Whether the answer links to a next page.
fn has_next(answer: &Value) -> bool {
    at(answer, &["collection", "links"])
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .any(|l| text(l.get("rel")).as_deref() == Some("next"))
}

impl crate::sources::Source for Nasa {
    fn id(&self) -> Source {
        Source::Nasa
    }

    fn claims(&self, url: &Url) -> bool {
        recognize(url).is_some()
    }

    fn read<'a>(&'a self, url: &'a Url, cx: &'a mut Context<'_>) -> ReadFuture<'a> {
        Box::pin(async move {
            match recognize(url) {
                Some(Target::Asset(id)) => self.asset(&id, cx).await,
                Some(Target::Search(params)) => {
                    let title = params
                        .iter()
                        .map(|(_, v)| v.as_str())
                        .collect::<Vec<_>>()
                        .join(" ");
                    let title = format!("NASA library search: {title}");
                    self.listing("search", &params, title, cx).await
                }
                Some(Target::Album(name)) => {
                    let title = format!("NASA album {name}");
                    self.listing(&format!("album/{name}"), &[], title, cx).await
                }
                None => Ok(Reading::default()),
            }
        })
    }

    /// An asset's page, or any of its files.
    fn identify(&self, reference: &Url) -> Option<String> {
        let id = urls::asset_of_file(reference).or_else(|| match recognize(reference) {
            Some(Target::Asset(id)) => Some(id),
            _ => None,
        })?;
        Some(format!("nasa:{id}"))
    }

    fn notes(&self) -> Vec<String> {
        match self.api.calls() {
            0 => Vec::new(),
            calls => vec![format!(
                "NASA's Image and Video Library API was called {calls} times"
            )],
        }
    }
}

#[cfg(test)]
mod tests;

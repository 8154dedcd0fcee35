//! The Flickr REST client: which methods to call, in which order, and what to do when
//! Flickr says no.

use serde::de::DeserializeOwned;
use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;
use url::Url;

use crate::fetch::{FetchError, Fetcher, Purpose, full_jitter};
use crate::model::{Item, Kind, Timestamp};
use crate::sources::Sink;
use crate::sources::budget::{Budget, BudgetLimits};

use super::config::FlickrConfig;
use super::items::{self, AlbumContext};
use super::response::{
    self, BodyError, ListedPhoto, LookupUser, PhotoInfoResponse, PhotosetInfo,
    PhotosetInfoResponse, PhotosetPage, PhotosetPageResponse, SizeEntry, SizesResponse,
};
use super::urls::{self, FlickrTarget};
use super::{AlbumInfo, FlickrError, Harvest, is_transient_code};

/// The extras every album page asks for: everything an [`Item`] needs, in one call per page.
const EXTRAS: &str = "description,license,date_upload,date_taken,owner_name,tags,o_dims,media,\
path_alias,url_o,url_k,url_h,url_l,url_m,url_q";

/// Flickr's largest page.
const MAX_PER_PAGE: u32 = 500;

/// How hard the client pushes: page size, page cap and retries of Flickr's transient errors.
#[derive(Clone, Debug)]
pub struct CallLimits {
    /// Photos asked for per album page (1–500).
    pub per_page: u32,
    /// Album pages read at most, so that a `pages` count that lies cannot loop forever.
    pub max_pages: u32,
    /// Attempts after the first when Flickr answers 105 or 106.
    pub retries: u32,
    /// First backoff step; doubled at every retry, with full jitter.
    pub backoff: Duration,
    /// Longest single wait.
    pub max_backoff: Duration,
    /// Calls allowed per `budget_window`, across the whole run: Flickr asks keys to stay
    /// under 3,600 an hour.
    pub calls_per_window: usize,
    /// The window the budget counts over.
    pub budget_window: Duration,
    /// Results Flickr returns at most for one search (4,000): a discovery search that
    /// finds more is split by upload date.
    pub search_cap: u32,
}

impl Default for CallLimits {
    fn default() -> Self {
        CallLimits {
            per_page: MAX_PER_PAGE,
            // 100 pages of 500: far beyond any press album.
            max_pages: 100,
            retries: 3,
            backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(30),
            calls_per_window: 3_600,
            budget_window: Duration::from_secs(3_600),
            search_cap: 4_000,
        }
    }
}

/// Reads albums and photos through the Flickr REST API, with the crawl's [`Fetcher`].
#[derive(Clone)]
pub struct FlickrClient {
    fetcher: Fetcher,
    config: FlickrConfig,
    limits: CallLimits,
    budget: Arc<Budget>,
}

impl FlickrClient {
    /// A client calling the API described by `config` through `fetcher`, with default limits.
    pub fn new(fetcher: Fetcher, config: FlickrConfig) -> Self {
        fetcher.register_api(&config.api_base);
        let limits = CallLimits::default();
        FlickrClient {
            fetcher,
            config,
            budget: Arc::new(budget(&limits)),
            limits,
        }
    }

    /// The same client with other limits (smaller pages and shorter waits in tests).
    #[must_use]
    pub fn with_limits(mut self, limits: CallLimits) -> Self {
        self.budget = Arc::new(budget(&limits));
        self.limits = limits;
        self
    }

    /// Whether this run used up the call budget and had to slow down.
    pub fn slowed_down(&self) -> bool {
        self.budget.slowed_down()
    }

    /// Calls made so far.
    pub fn calls_made(&self) -> u64 {
        self.budget.spent()
    }

    /// The limits in use.
    pub(super) fn limits(&self) -> &CallLimits {
        &self.limits
    }

    /// The configuration in use.
    pub fn config(&self) -> &FlickrConfig {
        &self.config
    }

    /// The URL of one REST call: `<base>/services/rest/?method=…&api_key=…&format=json&
    /// nojsoncallback=1` followed by `params` in order. Without a key, `api_key` is left out.
    pub fn rest_url(&self, method: &str, params: &[(&str, &str)]) -> Url {
        let mut url = self.config.api_base.clone();
        let path = format!("{}/services/rest/", url.path().trim_end_matches('/'));
        url.set_path(&path);
        url.set_query(None);
        url.set_fragment(None);
        {
            let mut query = url.query_pairs_mut();
            query.append_pair("method", method);
            if let Some(key) = &self.config.api_key {
                query.append_pair("api_key", key);
            }
            query.append_pair("format", "json");
            query.append_pair("nojsoncallback", "1");
            for (name, value) in params {
                query.append_pair(name, value);
            }
        }
        url
    }

    /// Every item of an album, or the one item of a photo or video page.
    ///
    /// # Errors
    /// [`FlickrError::NoApiKey`] before any request when no key is configured; otherwise the
    /// first call that fails for good. A video whose details cannot be read is kept with
    /// what the album listing says rather than failing the album.
    pub async fn harvest(&self, target: &FlickrTarget) -> Result<Harvest, FlickrError> {
        match target {
            FlickrTarget::Album { user, set_id } => self.album(user, set_id).await,
            FlickrTarget::Photo { photo_id, .. } => Ok(Harvest {
                items: vec![self.photo(photo_id).await?],
                album: None,
            }),
        }
    }

    /// Every photo and video of the album `set_id` owned by `user` (path alias or NSID).
    ///
    /// # Errors
    /// As [`FlickrClient::harvest`].
    pub async fn album(&self, user: &str, set_id: &str) -> Result<Harvest, FlickrError> {
        let mut items = Vec::new();
        let read = self.album_into(user, set_id, None, &mut items).await?;
        Ok(Harvest {
            items,
            album: Some(read.album),
        })
    }

    /// Reads an album page by page, handing each page's items to `sink` as soon as they are
    /// complete, so a long album neither waits nor piles up in memory.
    ///
    /// When `known_update` equals the album's `date_update`, the album has not changed since
    /// it was last read: its pages are not read again.
    ///
    /// # Errors
    /// As [`FlickrClient::harvest`]; items already handed over stay valid.
    pub async fn album_into(
        &self,
        user: &str,
        set_id: &str,
        known_update: Option<Timestamp>,
        sink: &mut dyn Sink,
    ) -> Result<AlbumRead, FlickrError> {
        let owner = self.resolve_user(user).await?;
        let info = self.photoset_info(set_id, &owner).await?;
        let mut album = album_info(set_id, &owner, &info, &PhotosetPage::default());
        if known_update.is_some() && known_update == album.date_update {
            return Ok(AlbumRead {
                album,
                changed: false,
                listed: Listed::default(),
            });
        }
        if let Some(count) = album.count {
            sink.expect(u64::from(count));
        }
        let album_url = format!("https://www.flickr.com/photos/{user}/albums/{set_id}");
        let per_page = self.limits.per_page.clamp(1, MAX_PER_PAGE);
        let mut listed = Listed::default();
        for page in 1..=self.limits.max_pages.max(1) {
            let mut listing = self.album_page(set_id, &owner, per_page, page).await?;
            if page == 1 {
                album = album_info(set_id, &owner, &info, &listing);
            }
            let photos = std::mem::take(&mut listing.photo);
            // An empty page ends the album whatever `pages` claims.
            let done = photos.is_empty() || is_last_page(&listing, page, photos.len(), per_page);
            let context = AlbumContext {
                owner: Some(&owner),
                ownername: listing.ownername.as_deref().or(info.username.as_deref()),
                title: album.title.as_deref(),
            };
            let items = self
                .completed(listed_items(&photos, &context, &mut listed), &album_url)
                .await;
            let ids = items.iter().map(|i| i.id.clone()).collect();
            sink.take(items).await;
            sink.listed(ids).await;
            if done {
                break;
            }
            if page == self.limits.max_pages {
                tracing::warn!("Flickr album {set_id}: stopped after {page} pages of {per_page}");
            }
        }
        Ok(AlbumRead {
            album,
            changed: true,
            listed,
        })
    }

    /// A page's items with their album's URL, and videos with their file and running time.
    async fn completed(&self, mut items: Vec<Item>, album_url: &str) -> Vec<Item> {
        for item in &mut items {
            item.collection_url = Some(album_url.to_string());
            if item.kind == Kind::Video {
                self.complete_video(item).await;
            }
        }
        items
    }

    /// The item of one photo or video page.
    ///
    /// # Errors
    /// As [`FlickrClient::harvest`]; here getSizes failing fails the page, since without it
    /// there is no file to point at.
    pub async fn photo(&self, photo_id: &str) -> Result<Item, FlickrError> {
        const GET_INFO: &str = "flickr.photos.getInfo";
        let info = self
            .call::<PhotoInfoResponse>(GET_INFO, &[("photo_id", photo_id)])
            .await?
            .photo;
        let sizes = self.sizes(photo_id).await?;
        items::from_info(&info, &sizes).ok_or_else(|| FlickrError::Malformed {
            method: GET_INFO,
            reason: "a photo without a usable id".into(),
        })
    }

    /// The NSID behind a path alias (`cnes`); an NSID is returned as is, without a call.
    ///
    /// # Errors
    /// As [`FlickrClient::harvest`].
    pub async fn resolve_user(&self, user: &str) -> Result<String, FlickrError> {
        const LOOKUP_USER: &str = "flickr.urls.lookupUser";
        if urls::is_nsid(user) {
            return Ok(user.to_string());
        }
        let page = format!("https://www.flickr.com/photos/{user}/");
        let found = self
            .call::<LookupUser>(LOOKUP_USER, &[("url", &page)])
            .await?
            .user
            .id;
        found
            .map(|id| id.trim().to_string())
            .filter(|id| !id.is_empty())
            .ok_or_else(|| FlickrError::Malformed {
                method: LOOKUP_USER,
                reason: "a user without an id".into(),
            })
    }

    async fn photoset_info(&self, set_id: &str, owner: &str) -> Result<PhotosetInfo, FlickrError> {
        let params = [("photoset_id", set_id), ("user_id", owner)];
        let response: PhotosetInfoResponse = self.call("flickr.photosets.getInfo", &params).await?;
        Ok(response.photoset)
    }

    async fn album_page(
        &self,
        set_id: &str,
        owner: &str,
        per_page: u32,
        page: u32,
    ) -> Result<PhotosetPage, FlickrError> {
        let (per_page, page) = (per_page.to_string(), page.to_string());
        let params = [
            ("photoset_id", set_id),
            ("user_id", owner),
            ("per_page", per_page.as_str()),
            ("page", page.as_str()),
            ("media", "all"),
            ("extras", EXTRAS),
        ];
        let response: PhotosetPageResponse =
            self.call("flickr.photosets.getPhotos", &params).await?;
        Ok(response.photoset)
    }

    /// Adds a listed video's running time and file. Failures only cost those details.
    async fn complete_video(&self, item: &mut Item) {
        let Some(id) = item.id.strip_prefix("flickr:").map(str::to_string) else {
            return;
        };
        let info = self
            .call::<PhotoInfoResponse>("flickr.photos.getInfo", &[("photo_id", &id)])
            .await;
        match info {
            Ok(info) => items::apply_video_info(item, &info.photo.video),
            Err(error) => tracing::warn!("Flickr video {id}: no running time: {error}"),
        }
        match self.sizes(&id).await {
            Ok(sizes) => items::apply_video_sizes(item, &sizes),
            Err(error) => {
                tracing::warn!("Flickr video {id}: no video file, keeping the page: {error}")
            }
        }
    }

    async fn sizes(&self, photo_id: &str) -> Result<Vec<SizeEntry>, FlickrError> {
        let params = [("photo_id", photo_id)];
        let response: SizesResponse = self.call("flickr.photos.getSizes", &params).await?;
        Ok(response.sizes.size)
    }

    /// One REST call, retried while Flickr reports its own momentary trouble.
    pub(super) async fn call<T: DeserializeOwned>(
        &self,
        method: &'static str,
        params: &[(&str, &str)],
    ) -> Result<T, FlickrError> {
        if self.config.api_key.is_none() {
            return Err(FlickrError::NoApiKey);
        }
        let url = self.rest_url(method, params);
        let mut tries = 0;
        loop {
            self.budget.take().await;
            match self.call_once(method, &url).await {
                Err(FlickrError::Api { code, message, .. })
                    if is_transient_code(code) && tries < self.limits.retries =>
                {
                    let wait = full_jitter(self.limits.backoff, self.limits.max_backoff, tries);
                    tracing::debug!(
                        "{method}: Flickr error {code} ({message}), retrying in {wait:?}"
                    );
                    tokio::time::sleep(wait).await;
                    tries += 1;
                }
                result => return result,
            }
        }
    }

    async fn call_once<T: DeserializeOwned>(
        &self,
        method: &'static str,
        url: &Url,
    ) -> Result<T, FlickrError> {
        let response =
            self.fetcher
                .get(url, Purpose::Api)
                .await
                .map_err(|error| FlickrError::Fetch {
                    method,
                    error: self.mask_key(error),
                })?;
        response::parse(&response.body).map_err(|error| match error {
            BodyError::Api { code, message } => FlickrError::Api {
                method,
                code,
                message,
            },
            BodyError::Malformed(reason) => FlickrError::Malformed { method, reason },
        })
    }

    /// Network errors quote the URL, and the URL carries the key: mask it before the error
    /// reaches a log or a report.
    fn mask_key(&self, error: FetchError) -> FetchError {
        match &self.config.api_key {
            Some(key) if !key.is_empty() => error.masking(key, "<FLICKR_API_KEY>"),
            _ => error,
        }
    }
}

/// Whether `page` was the album's last, by `pages`, else by `total`, else by a short page.
fn is_last_page(listing: &PhotosetPage, page: u32, returned: usize, per_page: u32) -> bool {
    match (listing.pages, listing.total) {
        (Some(pages), _) => u64::from(page) >= pages,
        (None, Some(total)) => u64::from(page) * u64::from(per_page) >= total,
        (None, None) => returned < usize::try_from(per_page).unwrap_or(usize::MAX),
    }
}

/// Items in listing order, each photo once even if pages repeat it.
fn listed_items(
    photos: &[ListedPhoto],
    context: &AlbumContext<'_>,
    listed: &mut Listed,
) -> Vec<Item> {
    photos
        .iter()
        .filter_map(|photo| items::from_listed(photo, context))
        .filter(|item| listed.insert(&item.id))
        .collect()
}

/// The items an album listed. Photos are remembered by their numeric id, which keeps a
/// 50,000-photo album under a MiB; the crawl keeps the ids themselves on disk, as
/// [`Sink::listed`] hands them over.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Listed {
    numbers: HashSet<u64>,
    others: HashSet<String>,
}

impl Listed {
    /// Adds an item id; false if it was there.
    fn insert(&mut self, id: &str) -> bool {
        match number(id) {
            Some(number) => self.numbers.insert(number),
            None => self.others.insert(id.to_string()),
        }
    }

    /// Whether the album listed the item.
    pub fn contains(&self, id: &str) -> bool {
        match number(id) {
            Some(number) => self.numbers.contains(&number),
            None => self.others.contains(id),
        }
    }

    /// How many items the album listed.
    pub fn len(&self) -> usize {
        self.numbers.len() + self.others.len()
    }

    /// Whether it listed none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The number of a Flickr photo's id written plainly (`flickr:45539063392`): one spelling
/// per number, so that the number stands for the id.
fn number(id: &str) -> Option<u64> {
    let digits = id.strip_prefix("flickr:")?;
    let plain = !digits.starts_with('0') && digits.bytes().all(|b| b.is_ascii_digit());
    plain.then(|| digits.parse().ok()).flatten()
}

/// What reading an album found.
#[derive(Clone, Debug, PartialEq)]
pub struct AlbumRead {
    /// The album's metadata.
    pub album: AlbumInfo,
    /// False when the album had not changed since `known_update` and was not read again.
    pub changed: bool,
    /// Every item the album lists now (none when unchanged).
    pub listed: Listed,
}

fn budget(limits: &CallLimits) -> Budget {
    Budget::new(
        "Flickr",
        BudgetLimits::per_window(limits.calls_per_window, limits.budget_window),
    )
}

fn album_info(set_id: &str, owner: &str, info: &PhotosetInfo, first: &PhotosetPage) -> AlbumInfo {
    let title = info.title.as_deref().or(first.title.as_deref());
    let counted = info.count_photos.zip(info.count_videos).map(|(p, v)| p + v);
    let count = info.photos.or(counted).or(first.total);
    AlbumInfo {
        id: set_id.to_string(),
        title: title.and_then(crate::media::text::clean),
        owner: owner.to_string(),
        date_update: info
            .date_update
            .and_then(|s| i64::try_from(s).ok())
            .filter(|&s| s > 0)
            .and_then(crate::media::dates::unix_seconds),
        count: count.and_then(|c| u32::try_from(c).ok()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listing(pages: Option<u64>, total: Option<u64>) -> PhotosetPage {
        PhotosetPage {
            pages,
            total,
            ..PhotosetPage::default()
        }
    }

    #[test]
    fn the_last_page_is_known_by_pages_then_total_then_a_short_page() {
        assert!(!is_last_page(&listing(Some(2), Some(5)), 1, 3, 3));
        assert!(is_last_page(&listing(Some(2), Some(5)), 2, 2, 3));
        assert!(
            is_last_page(&listing(Some(0), Some(0)), 1, 0, 3),
            "empty album"
        );
        assert!(!is_last_page(&listing(None, Some(5)), 1, 3, 3));
        assert!(is_last_page(&listing(None, Some(5)), 2, 2, 3));
        assert!(!is_last_page(&listing(None, None), 1, 3, 3));
        assert!(is_last_page(&listing(None, None), 2, 2, 3));
    }

    #[test]
    fn album_info_prefers_get_info_and_falls_back_to_the_listing() {
        let info = PhotosetInfo {
            title: Some("CSO-1".into()),
            count_photos: Some(4),
            count_videos: Some(1),
            date_update: Some(1_545_240_000),
            ..PhotosetInfo::default()
        };
        let first = PhotosetPage {
            title: Some("ignored".into()),
            total: Some(9),
            ..PhotosetPage::default()
        };
        let album = album_info("721", "141938346@N05", &info, &first);
        assert_eq!(album.title.as_deref(), Some("CSO-1"));
        assert_eq!(album.count, Some(5));
        assert_eq!(
            album.date_update.map(|t| t.to_rfc3339()).as_deref(),
            Some("2018-12-19T17:20:00+00:00")
        );
        let bare = album_info("721", "x", &PhotosetInfo::default(), &first);
        assert_eq!(
            (bare.title.as_deref(), bare.count, bare.date_update),
            (Some("ignored"), Some(9), None)
        );
    }
}

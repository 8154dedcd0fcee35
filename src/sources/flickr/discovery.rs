//! Discovery in a Flickr account: `flickr.photos.search` with the owner's `user_id` and the
//! campaign's tags, then its machine tags (`*:*=vs20`), so that photos posted after the
//! release into another album of the same account are found.
//!
//! Flickr returns at most the first 4,000 results of a query, and repeats earlier ones
//! past that: a query that finds more is split into halves of its upload-date window, and
//! again, until each window holds fewer. Photos are deduplicated by id.

use std::collections::HashSet;

use crate::model::Item;
use crate::sources::platform::discovery;

use super::FlickrError;
use super::api::{FlickrClient, Listed};
use super::items::{self, AlbumContext};
use super::response::{ListedPhoto, PhotosSearchResponse};

/// The extras of a search: an album page's, and the machine tags.
const EXTRAS: &str = "description,license,date_upload,date_taken,owner_name,tags,machine_tags,\
o_dims,media,path_alias,url_o,url_k,url_h,url_l,url_m,url_q";

/// Flickr's first upload: the lower end of the widest window.
const FLICKR_START: i64 = 1_072_915_200;
/// Windows are not split below an hour: a burst of 4,000 uploads in an hour is not a press
/// account's.
const SMALLEST_WINDOW: i64 = 3_600;

/// An upload-date window, `[min, max)` in Unix seconds; `None` is unbounded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Window {
    min: Option<i64>,
    max: Option<i64>,
}

impl Window {
    const ALL: Window = Window {
        min: None,
        max: None,
    };

    /// Its two halves, or `None` when it is already an hour or less.
    fn halves(self, now: i64) -> Option<(Window, Window)> {
        let min = self.min.unwrap_or(FLICKR_START);
        let max = self.max.unwrap_or(now + 86_400);
        let mid = min + (max - min) / 2;
        (max - min > SMALLEST_WINDOW).then_some((
            Window {
                min: Some(min),
                max: Some(mid),
            },
            Window {
                min: Some(mid),
                max: Some(max),
            },
        ))
    }
}

/// A photo discovery found, and the tag it carries.
pub(super) struct Found {
    pub(super) item: Item,
    pub(super) tag: String,
}

impl FlickrClient {
    /// The photos of `owner` that carry one of `tags` (as a tag or a machine tag's value),
    /// except those in `skip`.
    ///
    /// # Errors
    /// The first call that fails for good.
    pub(super) async fn search_account(
        &self,
        owner: &str,
        tags: &[String],
        skip: &Listed,
    ) -> Result<Vec<Found>, FlickrError> {
        let machine: Vec<String> = tags.iter().map(|t| format!("*:*={t}")).collect();
        let queries = [
            ("tags", tags.join(",")),
            ("machine_tags", machine.join(",")),
        ];
        let mut seen: HashSet<String> = HashSet::new();
        let mut found = Vec::new();
        let now = crate::media::dates::now().timestamp();
        for (param, value) in &queries {
            let mut windows = vec![Window::ALL];
            while let Some(window) = windows.pop() {
                let halves = window.halves(now);
                let searched = self
                    .search_window(owner, (param, value), window, halves.is_some())
                    .await?;
                let photos = match (searched, halves) {
                    (Searched::Photos(photos), _) => photos,
                    (Searched::TooMany, Some((early, late))) => {
                        windows.extend([late, early]);
                        continue;
                    }
                    (Searched::TooMany, None) => Vec::new(),
                };
                for photo in &photos {
                    let new =
                        |h: &Found| !skip.contains(&h.item.id) && seen.insert(h.item.id.clone());
                    if let Some(hit) = matching(photo, tags).filter(new) {
                        found.push(hit);
                    }
                }
            }
        }
        Ok(found)
    }

    /// Every page of one query in one window, or `TooMany` when the window holds more than
    /// the search cap (and can be split).
    async fn search_window(
        &self,
        owner: &str,
        (param, value): (&str, &str),
        window: Window,
        splittable: bool,
    ) -> Result<Searched, FlickrError> {
        let limits = self.limits();
        let per_page = limits.per_page.clamp(1, 500);
        let mut photos = Vec::new();
        for page in 1..=limits.max_pages.max(1) {
            let (page_text, per_page_text) = (page.to_string(), per_page.to_string());
            let (min, max) = (
                window.min.map(|m| m.to_string()),
                window.max.map(|m| m.to_string()),
            );
            let mut params = vec![
                ("user_id", owner),
                (param, value),
                ("tag_mode", "any"),
                ("machine_tag_mode", "any"),
                ("sort", "date-posted-asc"),
                ("media", "all"),
                ("extras", EXTRAS),
                ("per_page", per_page_text.as_str()),
                ("page", page_text.as_str()),
            ];
            params.extend(min.as_deref().map(|m| ("min_upload_date", m)));
            params.extend(max.as_deref().map(|m| ("max_upload_date", m)));
            let answer: PhotosSearchResponse = self.call("flickr.photos.search", &params).await?;
            let listing = answer.photos;
            let total = listing.total.unwrap_or(0);
            if page == 1 && total > u64::from(limits.search_cap) && splittable {
                return Ok(Searched::TooMany);
            }
            let returned = listing.photo.len();
            photos.extend(listing.photo);
            let pages = listing.pages.unwrap_or(1);
            let capped = u64::from(page) * u64::from(per_page) >= u64::from(limits.search_cap);
            if returned == 0 || u64::from(page) >= pages || capped {
                break;
            }
        }
        Ok(Searched::Photos(photos))
    }
}

/// One window's answer.
enum Searched {
    Photos(Vec<ListedPhoto>),
    TooMany,
}

/// The photo as an item, if it carries one of the tags, as a tag or a machine tag's value.
fn matching(photo: &ListedPhoto, tags: &[String]) -> Option<Found> {
    let context = AlbumContext {
        owner: None,
        ownername: None,
        title: None,
    };
    let mut item = items::from_listed(photo, &context)?;
    let machine_values = photo
        .extras
        .get("machine_tags")
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .split_whitespace()
        .filter_map(|t| {
            t.split_once('=')
                .map(|(_, value)| value.trim_matches('"').to_string())
        });
    let mut probe = item.clone();
    probe.tags.extend(machine_values);
    let tag = discovery::matching_tag(&probe, tags)?;
    item.collection = None;
    Some(Found { item, tag })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_halve_down_to_an_hour() {
        let now = FLICKR_START + 10 * SMALLEST_WINDOW;
        let (early, late) = Window::ALL.halves(now).unwrap();
        assert_eq!(early.min, Some(FLICKR_START));
        assert_eq!(early.max, late.min);
        assert_eq!(late.max, Some(now + 86_400));
        let hour = Window {
            min: Some(0),
            max: Some(SMALLEST_WINDOW),
        };
        assert_eq!(hour.halves(now), None);
    }
}

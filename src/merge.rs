//! Merging two sightings of one item into one document.
//!
//! The same photo can be reached from two releases, through the API and a feed, or again on
//! tomorrow's recrawl. It stays one item: provenance and campaigns accumulate, and each field
//! comes from the most trustworthy source that knows it.

use crate::model::{Item, MediaSize};

/// Combines what is known of one item from two sightings.
///
/// Fields come from the higher-ranked source ([`crate::model::Source::rank`]); on a tie the
/// newer sighting wins, so a recrawl picks up corrected titles. A field only one side knows is
/// kept. Campaigns and `found_via` are unions; tags are a union too, because a tag that one
/// route doesn't report (feeds carry fewer) has not been removed.
pub fn merge(old: &Item, new: &Item) -> Item {
    let (base, other) = if new.source.rank() >= old.source.rank() {
        (new, old)
    } else {
        (old, new)
    };
    let mut merged = base.clone();
    fill(&mut merged.title, &other.title);
    fill(&mut merged.description, &other.description);
    fill(&mut merged.creator, &other.creator);
    fill(&mut merged.license, &other.license);
    fill(&mut merged.license_url, &other.license_url);
    fill(&mut merged.taken_at, &other.taken_at);
    fill(&mut merged.published_at, &other.published_at);
    fill(&mut merged.duration_seconds, &other.duration_seconds);
    fill(&mut merged.page_url, &other.page_url);
    fill(&mut merged.thumbnail_url, &other.thumbnail_url);
    fill(&mut merged.collection, &other.collection);
    fill(&mut merged.collection_url, &other.collection_url);
    merged.first_seen = earliest(old.first_seen, new.first_seen);
    merged.last_seen = old.last_seen.max(new.last_seen);
    // A new sighting brings a withdrawn item back.
    merged.gone = new.gone;
    if merged.media_url.is_none() {
        merged.media_url.clone_from(&other.media_url);
        merged.width = other.width;
        merged.height = other.height;
    }
    merged.tags = union(&base.tags, &other.tags);
    merged.campaigns = union(&base.campaigns, &other.campaigns);
    merged.found_via = union(&base.found_via, &other.found_via);
    merged.sizes = union_sizes(&base.sizes, &other.sizes);
    merged
}

/// Every rendition either sighting lists, one per URL (the richer source's entry wins),
/// largest first: a feed's few sizes add to the API's, whatever the order of the crawl.
fn union_sizes(base: &[MediaSize], other: &[MediaSize]) -> Vec<MediaSize> {
    let mut all: Vec<MediaSize> = base.to_vec();
    for size in other {
        if all.iter().all(|s| s.url != size.url) {
            all.push(size.clone());
        }
    }
    crate::model::largest_first(&mut all);
    all
}

/// The item with its lists in their stored form: sorted, without duplicates. Every item is
/// stored this way, so that comparing a new sighting with the stored one sees real changes
/// only.
pub fn normalize(mut item: Item) -> Item {
    item.tags = union(&item.tags, &[]);
    item.campaigns = union(&item.campaigns, &[]);
    item.found_via = union(&item.found_via, &[]);
    item
}

fn earliest<T: Ord>(a: Option<T>, b: Option<T>) -> Option<T> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

fn fill<T: Clone>(field: &mut Option<T>, fallback: &Option<T>) {
    if field.is_none() {
        field.clone_from(fallback);
    }
}

/// Sorted union without duplicates; tags compare case-insensitively and keep the first
/// spelling met.
fn union(a: &[String], b: &[String]) -> Vec<String> {
    let mut all: Vec<String> = Vec::with_capacity(a.len() + b.len());
    for value in a.iter().chain(b) {
        if !all.iter().any(|v| v.to_lowercase() == value.to_lowercase()) {
            all.push(value.clone());
        }
    }
    all.sort();
    all
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Kind, Source};

    fn api_photo() -> Item {
        let mut item = Item::new("flickr:45539063392", Kind::Photo, Source::Flickr);
        item.title = Some("Soyuz VS20 on the pad".into());
        item.license = Some("CC BY-SA 2.0".into());
        item.media_url = Some("https://live.staticflickr.com/1/45539063392_o.jpg".into());
        item.width = Some(5568);
        item.height = Some(3712);
        item.campaigns = vec!["VS20".into()];
        item.found_via = vec!["https://cnes.fr/pr208".into()];
        item
    }

    fn feed_photo() -> Item {
        let mut item = Item::new("flickr:45539063392", Kind::Photo, Source::Feed);
        item.title = Some("Soyuz VS20 on the pad (feed)".into());
        item.media_url = Some("https://live.staticflickr.com/1/45539063392_b.jpg".into());
        item.width = Some(1024);
        item.height = Some(683);
        item.thumbnail_url = Some("https://live.staticflickr.com/1/45539063392_s.jpg".into());
        item.campaigns = vec!["CSO".into()];
        item.found_via = vec!["https://cnes.fr/pr209".into()];
        item
    }

    #[test]
    fn richer_source_wins_whatever_the_order() {
        let a = merge(&api_photo(), &feed_photo());
        let b = merge(&feed_photo(), &api_photo());
        assert_eq!(a, b);
        assert_eq!(a.title.as_deref(), Some("Soyuz VS20 on the pad"));
        assert_eq!(a.width, Some(5568), "width stays with its media_url");
        assert_eq!(
            a.thumbnail_url.as_deref(),
            Some("https://live.staticflickr.com/1/45539063392_s.jpg"),
            "a field only the feed knows is kept"
        );
        assert_eq!(a.campaigns, ["CSO", "VS20"]);
        assert_eq!(
            a.found_via,
            ["https://cnes.fr/pr208", "https://cnes.fr/pr209"]
        );
        assert_eq!(a.source, Source::Flickr);
    }

    #[test]
    fn newer_sighting_of_same_source_updates_fields() {
        let old = api_photo();
        let mut new = api_photo();
        new.title = Some("Soyuz VS20 lifts off".into());
        new.license = None;
        let merged = merge(&old, &new);
        assert_eq!(merged.title.as_deref(), Some("Soyuz VS20 lifts off"));
        assert_eq!(merged.license.as_deref(), Some("CC BY-SA 2.0"));
    }

    #[test]
    fn sizes_add_up_one_per_url_whatever_the_order() {
        let size = |label: Option<&str>, width: u32, url: &str| MediaSize {
            label: label.map(String::from),
            width: Some(width),
            height: Some(width / 2),
            url: url.into(),
        };
        let mut api = api_photo();
        api.sizes = vec![
            size(
                Some("Original"),
                5568,
                "https://live.staticflickr.com/1/o.jpg",
            ),
            size(Some("Large"), 1024, "https://live.staticflickr.com/1/b.jpg"),
        ];
        let mut feed = feed_photo();
        feed.sizes = vec![
            size(None, 1024, "https://live.staticflickr.com/1/b.jpg"),
            size(None, 240, "https://live.staticflickr.com/1/s.jpg"),
        ];
        let merged = merge(&feed, &api);
        assert_eq!(merged, merge(&api, &feed));
        let listed: Vec<(Option<&str>, &str)> = merged
            .sizes
            .iter()
            .map(|s| (s.label.as_deref(), s.url.as_str()))
            .collect();
        assert_eq!(
            listed,
            [
                (Some("Original"), "https://live.staticflickr.com/1/o.jpg"),
                (Some("Large"), "https://live.staticflickr.com/1/b.jpg"),
                (None, "https://live.staticflickr.com/1/s.jpg"),
            ]
        );
    }

    #[test]
    fn merging_an_item_with_itself_changes_nothing() {
        assert_eq!(merge(&api_photo(), &api_photo()), api_photo());
    }

    #[test]
    fn normalized_items_merge_with_themselves_unchanged() {
        let mut item = api_photo();
        item.tags = vec!["vs20".into(), "cso1".into(), "VS20".into()];
        let stored = normalize(item.clone());
        assert_eq!(stored.tags, ["cso1", "vs20"]);
        assert_eq!(merge(&stored, &item), stored);
    }
}

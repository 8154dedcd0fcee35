//! Merging sightings of one item into one: the single rule every source and the index use.
//!
//! The same photo can be described twice on one page (JSON-LD and Open Graph), reached from
//! two releases, read through an API and a feed, or again on tomorrow's recrawl. It stays
//! one item:
//!
//! - each field comes from the more trustworthy sighting ([`Source::rank`](crate::model::Source::rank))
//!   and the other fills what it lacks;
//! - a file's URL and its dimensions travel together: a size is never taken from one file
//!   and pinned on another;
//! - tags, campaigns, provenance and sizes add up.
//!
//! Which sighting is preferred on a tie is the only thing that differs: across crawls the
//! newer one wins ([`merge`], so a corrected title is picked up); within one read the first
//! one does ([`ItemSet`], so a page's own order decides).

use std::collections::{HashMap, HashSet};

use crate::model::{Item, MediaSize};

/// Combines what is known of one item from an earlier and a later sighting.
///
/// Fields come from the higher-ranked source; on a tie the newer sighting wins. Lists are
/// returned in their stored form (see [`normalize`]). `first_seen` is the earliest,
/// `last_seen` the latest, and a new sighting brings a withdrawn item back.
pub fn merge(old: &Item, new: &Item) -> Item {
    let (preferred, other) = if new.source.rank() >= old.source.rank() {
        (new, old)
    } else {
        (old, new)
    };
    let mut merged = preferred.clone();
    fill_from(&mut merged, other);
    merged.first_seen = earliest(old.first_seen, new.first_seen);
    merged.last_seen = old.last_seen.max(new.last_seen);
    merged.gone = new.gone;
    normalize(merged)
}

/// Items of one read in first-seen order, one per id: a page describing a video both in
/// JSON-LD and in Open Graph, or a feed listing a photo twice, gives one item. Linear in
/// the number of items.
#[derive(Debug, Default)]
pub struct ItemSet {
    items: Vec<Item>,
    positions: HashMap<String, usize>,
}

impl ItemSet {
    /// An empty set.
    pub fn new() -> Self {
        ItemSet::default()
    }

    /// Adds a sighting, merging it into an earlier one with the same id.
    pub fn add(&mut self, item: Item) {
        match self.positions.get(&item.id) {
            Some(&at) => {
                let earlier = &mut self.items[at];
                if item.source.rank() > earlier.source.rank() {
                    let mut preferred = item;
                    fill_from(&mut preferred, earlier);
                    *earlier = preferred;
                } else {
                    fill_from(earlier, &item);
                }
            }
            None => {
                self.positions.insert(item.id.clone(), self.items.len());
                self.items.push(item);
            }
        }
    }

    /// Adds every item.
    pub fn extend(&mut self, items: impl IntoIterator<Item = Item>) {
        for item in items {
            self.add(item);
        }
    }

    /// How many distinct items.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether it holds no item.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The items, in first-seen order.
    pub fn into_items(self) -> Vec<Item> {
        self.items
    }
}

impl FromIterator<Item> for ItemSet {
    fn from_iter<I: IntoIterator<Item = Item>>(items: I) -> Self {
        let mut set = ItemSet::new();
        set.extend(items);
        set
    }
}

/// Fills what `base` does not know from `other`, the one rule of this module.
pub fn fill_from(base: &mut Item, other: &Item) {
    fill(&mut base.title, &other.title);
    fill(&mut base.description, &other.description);
    fill(&mut base.creator, &other.creator);
    fill(&mut base.license, &other.license);
    fill(&mut base.license_url, &other.license_url);
    fill(&mut base.taken_at, &other.taken_at);
    fill(&mut base.published_at, &other.published_at);
    fill(&mut base.duration_seconds, &other.duration_seconds);
    fill(&mut base.page_url, &other.page_url);
    fill(&mut base.thumbnail_url, &other.thumbnail_url);
    fill(&mut base.collection, &other.collection);
    fill(&mut base.collection_url, &other.collection_url);
    fill_file(base, other);
    append_unique(&mut base.tags, &other.tags);
    append_unique(&mut base.campaigns, &other.campaigns);
    append_unique(&mut base.found_via, &other.found_via);
    for found in &other.discovery {
        if !base.discovery.contains(found) {
            base.discovery.push(found.clone());
        }
    }
    base.sizes = union_sizes(&base.sizes, &other.sizes);
}

/// The file and its dimensions come as one: from `other` when `base` has no file, and only
/// the dimensions `base` lacks when both name the same file.
fn fill_file(base: &mut Item, other: &Item) {
    match (&base.media_url, &other.media_url) {
        (None, Some(_)) => {
            base.media_url.clone_from(&other.media_url);
            base.width = other.width;
            base.height = other.height;
        }
        (Some(mine), Some(theirs)) if same_file(mine, theirs) => {
            fill(&mut base.width, &other.width);
            fill(&mut base.height, &other.height);
        }
        _ => {}
    }
}

/// Whether two URLs name the same file: a fragment (`#t=10`) or a tracking parameter does
/// not make another file.
fn same_file(a: &str, b: &str) -> bool {
    a == b
        || match (url::Url::parse(a), url::Url::parse(b)) {
            (Ok(a), Ok(b)) => crate::urls::canonical(&a) == crate::urls::canonical(&b),
            _ => false,
        }
}

/// Every rendition either sighting lists, one per URL (the preferred sighting's entry wins),
/// largest first: a feed's few sizes add to the API's, whatever the order of the crawl.
fn union_sizes(base: &[MediaSize], other: &[MediaSize]) -> Vec<MediaSize> {
    if other.is_empty() {
        return base.to_vec();
    }
    let mut all: Vec<MediaSize> = base.to_vec();
    let mut urls: HashSet<String> = base.iter().map(|s| s.url.clone()).collect();
    for size in other {
        if urls.insert(size.url.clone()) {
            all.push(size.clone());
        }
    }
    crate::model::largest_first(&mut all);
    all
}

/// The item with its lists in their stored form: sorted, without duplicates (tags compare
/// case-insensitively and keep the first spelling met). Every item is stored this way, so
/// that comparing a new sighting with the stored one sees real changes only.
pub fn normalize(mut item: Item) -> Item {
    for list in [&mut item.tags, &mut item.campaigns, &mut item.found_via] {
        let mut unique = Vec::with_capacity(list.len());
        append_unique(&mut unique, list);
        unique.sort();
        *list = unique;
    }
    item.discovery.sort();
    item.discovery.dedup();
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

/// Appends the values of `more` that `list` lacks, comparing case-insensitively, in linear
/// time: a page may carry tens of thousands of keywords.
fn append_unique(list: &mut Vec<String>, more: &[String]) {
    if more.is_empty() {
        return;
    }
    let mut known: HashSet<String> = list.iter().map(|v| v.to_lowercase()).collect();
    for value in more {
        if known.insert(value.to_lowercase()) {
            list.push(value.clone());
        }
    }
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

    /// Two sources give different files with different sizes: each size stays with its own
    /// file, in every order and through both ways of merging.
    #[test]
    fn a_file_keeps_its_own_size_when_two_sources_give_different_files() {
        let mut jsonld = Item::new("https://cnes.fr/v/vs20", Kind::Video, Source::JsonLd);
        jsonld.media_url = Some("https://cnes.fr/v/vs20-hd.mp4".into());
        jsonld.width = None;
        jsonld.height = None;
        let mut opengraph = Item::new("https://cnes.fr/v/vs20", Kind::Video, Source::OpenGraph);
        opengraph.media_url = Some("https://cnes.fr/v/vs20-sd.mp4".into());
        opengraph.width = Some(640);
        opengraph.height = Some(360);
        for merged in [
            merge(&jsonld, &opengraph),
            merge(&opengraph, &jsonld),
            ItemSet::from_iter([jsonld.clone(), opengraph.clone()])
                .into_items()
                .remove(0),
            ItemSet::from_iter([opengraph.clone(), jsonld.clone()])
                .into_items()
                .remove(0),
        ] {
            assert_eq!(
                merged.media_url.as_deref(),
                Some("https://cnes.fr/v/vs20-hd.mp4")
            );
            assert_eq!(
                (merged.width, merged.height),
                (None, None),
                "the SD file's size is not the HD file's"
            );
        }
        let mut same_file = opengraph.clone();
        same_file.media_url.clone_from(&jsonld.media_url);
        let merged = merge(&same_file, &jsonld);
        assert_eq!(
            (merged.width, merged.height),
            (Some(640), Some(360)),
            "the same file's size is taken from whichever source knows it"
        );
    }

    #[test]
    fn within_one_read_the_first_sighting_wins_a_tie_and_the_richer_source_wins_otherwise() {
        let mut first = Item::new("x", Kind::Photo, Source::Feed);
        first.title = Some("first".into());
        first.tags = vec!["Soyuz".into()];
        let mut second = Item::new("x", Kind::Photo, Source::Feed);
        second.title = Some("second".into());
        second.description = Some("only here".into());
        second.tags = vec!["soyuz".into(), "VS20".into()];
        let items = ItemSet::from_iter([first.clone(), second]).into_items();
        assert_eq!(items.len(), 1);
        assert_eq!(items[0].title.as_deref(), Some("first"));
        assert_eq!(items[0].description.as_deref(), Some("only here"));
        assert_eq!(items[0].tags, ["Soyuz", "VS20"]);
        let mut library = Item::new("x", Kind::Video, Source::Library);
        library.title = Some("record".into());
        let items = ItemSet::from_iter([first, library]).into_items();
        assert_eq!(items[0].title.as_deref(), Some("record"));
        assert_eq!(items[0].kind, Kind::Video);
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

    #[test]
    fn keywords_add_up_whatever_their_case() {
        let mut a = api_photo();
        a.tags = (0..5_000).map(|n| format!("tag{n}")).collect();
        let mut b = api_photo();
        b.tags = (2_500..7_500).map(|n| format!("TAG{n}")).collect();
        let merged = merge(&a, &b);
        assert_eq!(merged.tags.len(), 7_500);
        assert!(
            merged.tags.contains(&"TAG2500".to_string()),
            "the newer sighting's spelling is kept"
        );
        assert!(merged.tags.contains(&"tag0".to_string()));
    }
}

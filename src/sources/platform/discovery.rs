//! Discovery by hashtag: after reading an account's album, channel or user that a release
//! led to, a source may search that same account for the campaign's tags. What discovery
//! shares across platforms: the tags to search for, which of them an item carries, and
//! searching each account once per crawl.

use std::collections::HashSet;
use std::sync::{Mutex, PoisonError};

use crate::model::{Discovery, Item, Source};
use crate::tag;

/// The campaign names as platforms store tags: lowercase letters and digits (`VS20` →
/// `vs20`), each once, in the given order.
pub fn tags_of(campaigns: &[String]) -> Vec<String> {
    let mut seen = HashSet::new();
    campaigns
        .iter()
        .map(|c| tag::key(c))
        .filter(|k| !k.is_empty() && seen.insert(k.clone()))
        .collect()
}

/// The first of `tags` that the item carries: in its tags, or as a hashtag in its title or
/// description. Platforms' searches match loosely (a word in a title, a stemmed form), so
/// an item is kept only when it really names the campaign.
pub fn matching_tag(item: &Item, tags: &[String]) -> Option<String> {
    let texts = [item.title.as_deref(), item.description.as_deref()];
    let named: HashSet<String> = item
        .tags
        .iter()
        .cloned()
        .chain(texts.into_iter().flatten().flat_map(tag::hashtags))
        .map(|t| tag::key(&t))
        .collect();
    tags.iter().find(|t| named.contains(*t)).cloned()
}

/// Marks an item as found by searching `account` of `platform`, if it carries one of
/// `tags`; `false` (and the item unchanged) when it does not.
pub fn mark(
    item: &mut Item,
    platform: Source,
    account: &str,
    account_url: Option<&str>,
    tags: &[String],
) -> bool {
    let Some(tag) = matching_tag(item, tags) else {
        return false;
    };
    item.discovery.push(Discovery::new(
        platform,
        account,
        account_url.map(str::to_string),
        tag,
    ));
    true
}

/// The accounts searched so far in this crawl, so that a release linking three albums of
/// one account searches it once.
#[derive(Default)]
pub struct Searched {
    keys: Mutex<HashSet<String>>,
}

impl Searched {
    /// Whether `account` has not been searched for `tags` yet; it counts as searched from
    /// now on.
    pub fn first_time(&self, account: &str, tags: &[String]) -> bool {
        let key = format!("{account}\u{1f}{}", tags.join(","));
        self.keys
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Kind;

    #[test]
    fn tags_are_campaign_keys_once() {
        let campaigns = ["VS20".to_string(), "#vs20".into(), "CSO".into(), "#".into()];
        assert_eq!(tags_of(&campaigns), ["vs20", "cso"]);
    }

    #[test]
    fn an_item_matches_by_its_tags_or_a_hashtag_not_by_a_mere_word() {
        let tags = tags_of(&["VS20".to_string()]);
        let mut tagged = Item::new("flickr:1", Kind::Photo, Source::Flickr);
        tagged.tags = vec!["VS 20".into()];
        assert_eq!(matching_tag(&tagged, &tags).as_deref(), Some("vs20"));
        let mut hashtag = Item::new("youtube:a", Kind::Video, Source::YouTube);
        hashtag.description = Some("Liftoff! #VS20 #CSO".into());
        assert!(mark(&mut hashtag, Source::YouTube, "CNES", None, &tags));
        assert_eq!(hashtag.discovery[0].tag, "vs20");
        assert_eq!(hashtag.discovery[0].via, "discovery");
        let mut word = Item::new("youtube:b", Kind::Video, Source::YouTube);
        word.title = Some("VS20 rehearsal".into());
        assert!(!mark(&mut word, Source::YouTube, "CNES", None, &tags));
        assert!(word.discovery.is_empty());
    }

    #[test]
    fn each_account_is_searched_once_per_set_of_tags() {
        let searched = Searched::default();
        let tags = vec!["vs20".to_string()];
        assert!(searched.first_time("cnes", &tags));
        assert!(!searched.first_time("cnes", &tags));
        assert!(searched.first_time("esa", &tags));
    }
}

//! Campaigns: which hashtags a release carries, and which campaigns each item belongs to.
//!
//! A campaign is named by a press release's hashtag (`#VS20`). Every item reached from that
//! release joins it, and so does any item whose own tags or hashtags name it. Names compare
//! by [`key`]: case, accents, `#` and punctuation do not matter (`#VS20`, `vs20`, `VS-20`).

use regex::Regex;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;
use unicode_normalization::UnicodeNormalization;

use crate::model::Item;

/// The comparison form of a campaign name or tag: lowercase, accents removed, letters and
/// digits only. Flickr normalises its tags the same way (`VS 20` → `vs20`).
pub fn key(name: &str) -> String {
    name.nfkd()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

static HASHTAG: LazyLock<Regex> = LazyLock::new(|| {
    // A hashtag starts a word: at the start, or after anything that is not part of a word,
    // a URL or an entity: white space, punctuation, markup (`**#CSO**`, `_#VS20_`, `>#VS20`).
    // So URL fragments (`page#top`, `/#top`), entities (`&#39;`) and `C#` are not hashtags.
    // It needs a letter, so `#1` is not one either.
    Regex::new(r"(?:^|[^\p{L}\p{N}&/#=.:@\\-])#([\p{L}\p{N}_]*\p{L}[\p{L}\p{N}_]*)")
        .expect("valid hashtag regex")
});

/// The hashtags in a text, without `#`, in first-seen order, each spelling once per key.
///
/// The caller passes only visible text (no scripts, styles or attributes). A CSS colour that
/// still shows up as text (`color: #fff;`) is skipped.
pub fn hashtags(text: &str) -> Vec<String> {
    let mut seen = BTreeSet::new();
    let mut found = Vec::new();
    for capture in HASHTAG.captures_iter(text) {
        let Some(tag) = capture.get(1) else { continue };
        if looks_like_css_colour(text, tag.start(), tag.end()) {
            continue;
        }
        // `_#VS20_` is Markdown's emphasis around the hashtag, not part of it.
        let name = tag.as_str().trim_end_matches('_');
        if seen.insert(key(name)) {
            found.push(name.to_string());
        }
    }
    found
}

fn looks_like_css_colour(text: &str, start: usize, end: usize) -> bool {
    let tag = &text[start..end];
    let hex = matches!(tag.len(), 3 | 4 | 6 | 8) && tag.bytes().all(|b| b.is_ascii_hexdigit());
    if !hex {
        return false;
    }
    let before = text[..start - 1].trim_end();
    let after = text[end..].trim_start();
    before.ends_with(':') || after.starts_with(';') || after.starts_with('}')
}

/// The campaigns known to a crawl, by key, each with the one spelling shown to users.
///
/// When releases spell a campaign differently (`#VS20`, `#vs20`), the spelling that sorts
/// first wins, which prefers capitals and, above all, does not depend on crawl order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Campaigns {
    by_key: BTreeMap<String, String>,
}

impl Campaigns {
    /// Adds a campaign name (with or without `#`); names with no letter or digit are ignored.
    pub fn add(&mut self, name: &str) {
        let name = name.trim().trim_start_matches('#').trim();
        let key = key(name);
        if key.is_empty() {
            return;
        }
        self.by_key
            .entry(key)
            .and_modify(|spelling| {
                if name < spelling.as_str() {
                    *spelling = name.to_string();
                }
            })
            .or_insert_with(|| name.to_string());
    }

    /// The shown spelling of the campaign with this key.
    pub fn spelling(&self, key: &str) -> Option<&str> {
        self.by_key.get(key).map(String::as_str)
    }

    /// Every campaign as (key, spelling), by key.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.by_key.iter().map(|(k, s)| (k.as_str(), s.as_str()))
    }

    /// How many campaigns are known.
    pub fn len(&self) -> usize {
        self.by_key.len()
    }

    /// Whether no campaign is known.
    pub fn is_empty(&self) -> bool {
        self.by_key.is_empty()
    }

    /// Keys of the known campaigns that the item names itself, through its tags or the
    /// hashtags in its title and description.
    pub fn named_by(&self, item: &Item) -> BTreeSet<String> {
        let texts = [item.title.as_deref(), item.description.as_deref()];
        let hashtags = texts.into_iter().flatten().flat_map(hashtags);
        item.tags
            .iter()
            .cloned()
            .chain(hashtags)
            .map(|t| key(&t))
            .filter(|k| self.by_key.contains_key(k))
            .collect()
    }

    /// Sets the item's campaigns: those it already has, the ones given (by key), and the ones
    /// it names itself, each in its shown spelling, sorted. A campaign this registry does not
    /// know keeps the spelling the item has.
    pub fn settle(&self, item: &mut Item, given: &BTreeSet<String>) {
        let mut spelled: BTreeMap<String, String> =
            item.campaigns.iter().map(|c| (key(c), c.clone())).collect();
        for k in given.iter().cloned().chain(self.named_by(item)) {
            spelled.entry(k.clone()).or_insert(k);
        }
        let mut campaigns: Vec<String> = spelled
            .into_iter()
            .filter(|(k, _)| !k.is_empty())
            .map(|(k, own)| self.spelling(&k).map_or(own, str::to_string))
            .collect();
        campaigns.sort();
        campaigns.dedup();
        item.campaigns = campaigns;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Kind, Source};

    #[test]
    fn key_folds_case_accents_and_punctuation() {
        assert_eq!(key("#VS20"), "vs20");
        assert_eq!(key("VS-20"), "vs20");
        assert_eq!(key("Fusée Soyouz"), "fuseesoyouz");
        assert_eq!(key("ＶＳ２０"), "vs20", "full-width forms fold too");
        assert_eq!(key("#!"), "");
    }

    #[test]
    fn hashtags_are_words_starting_with_hash() {
        let text = "Lancement #CSO #VS20 (#Kourou), #CSO again. Voir https://cnes.fr/page#section \
                    et &#39; puis C# et #2018 mais #Ariane6!";
        assert_eq!(hashtags(text), ["CSO", "VS20", "Kourou", "Ariane6"]);
    }

    #[test]
    fn hashtags_follow_markup_and_punctuation() {
        let text = "**#CSO #VS20** _#Kourou_ [#Soyuz] >#Guyane \"#Fregat\" *#CSG*";
        assert_eq!(
            hashtags(text),
            ["CSO", "VS20", "Kourou", "Soyuz", "Guyane", "Fregat", "CSG"]
        );
        let not_tags = "https://cnes.fr/#top page/#x a=#b &#39; C# x.#y 1#a";
        assert_eq!(hashtags(not_tags), Vec::<String>::new());
    }

    #[test]
    fn hashtags_skip_css_colours_but_keep_hex_looking_words_in_prose() {
        assert_eq!(
            hashtags("p { color: #fff; } div {background:#FFAA00}"),
            Vec::<String>::new()
        );
        assert_eq!(hashtags("Follow #fab and #cafe"), ["fab", "cafe"]);
    }

    #[test]
    fn hashtags_keep_first_spelling_once_per_key() {
        assert_eq!(hashtags("#VS20 #vs20 #Vs20"), ["VS20"]);
        assert_eq!(hashtags("#fusée et #fusee"), ["fusée"]);
    }

    #[test]
    fn spelling_does_not_depend_on_order() {
        let mut a = Campaigns::default();
        a.add("#vs20");
        a.add("VS20");
        let mut b = Campaigns::default();
        b.add("VS20");
        b.add("vs20");
        assert_eq!(a, b);
        assert_eq!(a.spelling("vs20"), Some("VS20"));
    }

    #[test]
    fn settle_unions_given_named_and_existing_campaigns() {
        let mut known = Campaigns::default();
        for name in ["VS20", "CSO", "VS21"] {
            known.add(name);
        }
        let mut item = Item::new("flickr:1", Kind::Photo, Source::Flickr);
        item.tags = vec!["soyuz".into(), "vs21".into()];
        item.description = Some("Launch day #cso".into());
        item.campaigns = vec!["vs20".into()];
        known.settle(&mut item, &BTreeSet::new());
        assert_eq!(item.campaigns, ["CSO", "VS20", "VS21"]);

        let mut other = Item::new("flickr:2", Kind::Photo, Source::Flickr);
        other.tags = vec!["vs2".into(), "soyuz".into()];
        known.settle(&mut other, &BTreeSet::from(["cso".to_string()]));
        assert_eq!(
            other.campaigns,
            ["CSO"],
            "vs2 is not vs20 or vs21: no fuzzy matching"
        );
    }

    #[test]
    fn settle_keeps_campaigns_the_registry_does_not_know() {
        let mut known = Campaigns::default();
        known.add("VS20");
        let mut item = Item::new("flickr:1", Kind::Photo, Source::Flickr);
        item.campaigns = vec!["Ariane6".into(), "vs20".into()];
        known.settle(&mut item, &BTreeSet::new());
        assert_eq!(item.campaigns, ["Ariane6", "VS20"]);
    }
}

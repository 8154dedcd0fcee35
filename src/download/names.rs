//! File and folder names that are safe on every system a newsroom uses.
//!
//! A title from the web may hold `../`, control characters, right-to-left overrides, Windows'
//! reserved names or a thousand characters. A name made here holds none of that: letters and
//! digits of any script, and `-` between words; no path separator, no control or format
//! character, no leading dot; at most [`MAX_NAME`] bytes with any suffix the pack adds
//! (`.xmp`, `.part`), and unique within its folder whatever the case.

use std::collections::HashSet;
use unicode_normalization::UnicodeNormalization;

use crate::model::Item;

/// The longest file name, in bytes, suffixes included.
pub const MAX_NAME: usize = 150;

/// Room kept for the longest extension (`.jpeg`), a version number (`.12`) and a suffix
/// the pack adds (`.xmp`, `.part`).
const SUFFIX_ROOM: usize = 20;

/// The longest stretch of title in a name, in bytes.
const TITLE_BYTES: usize = 60;

/// The folder an item goes in when it has no campaign.
pub(super) const NO_CAMPAIGN: &str = "no-campaign";

/// `text` as one safe name part: words of letters and digits joined by `-`, cut to
/// `max_bytes` at a character boundary. Empty when nothing of it is usable.
pub(super) fn slug(text: &str, max_bytes: usize) -> String {
    let mut out = String::new();
    let mut gap = false;
    for c in text.nfc() {
        if c.is_alphanumeric() {
            if gap && !out.is_empty() {
                if out.len() + 1 + c.len_utf8() > max_bytes {
                    break;
                }
                out.push('-');
            }
            if out.len() + c.len_utf8() > max_bytes {
                break;
            }
            out.push(c);
            gap = false;
        } else {
            gap = true;
        }
    }
    out
}

/// The part of a name that makes it unique: `flickr-45539063392` for an id with a short
/// token, else a digest of the id (URL ids are long and full of punctuation).
pub(super) fn id_part(id: &str) -> String {
    if let Some((prefix, token)) = id.split_once(':') {
        let short = token.len() <= 32 && !token.is_empty();
        let plain = |s: &str| s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
        if short && plain(prefix) && plain(token) && prefix.len() <= 16 {
            return format!("{prefix}-{token}");
        }
    }
    format!("id-{}", &super::disk::sha256(id.as_bytes())[..10])
}

/// `<date>_<short title>_<id>`: the name of an item's file before its extension.
pub(super) fn stem(item: &Item) -> String {
    let date = item
        .taken_at
        .or(item.published_at)
        .map_or_else(|| "undated".to_string(), |d| d.date_text());
    let title = slug(item.title.as_deref().unwrap_or_default(), TITLE_BYTES);
    let id = id_part(&item.id);
    let stem = if title.is_empty() {
        format!("{date}_{id}")
    } else {
        format!("{date}_{title}_{id}")
    };
    cut(&stem, MAX_NAME - SUFFIX_ROOM)
}

/// A campaign as a folder name.
pub(super) fn folder(campaign: Option<&str>) -> String {
    let name = campaign.map(|c| slug(c, 64)).unwrap_or_default();
    if name.is_empty() {
        NO_CAMPAIGN.to_string()
    } else if is_reserved(&name) {
        format!("{name}_")
    } else {
        name
    }
}

/// Names Windows keeps for devices, whatever follows them.
fn is_reserved(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    let numbered = |prefix: &str| {
        upper
            .strip_prefix(prefix)
            .is_some_and(|n| n.len() == 1 && n.as_bytes()[0].is_ascii_digit())
    };
    matches!(upper.as_str(), "CON" | "PRN" | "AUX" | "NUL") || numbered("COM") || numbered("LPT")
}

/// Names given so far in each folder, compared without case (macOS and Windows do not tell
/// `A.jpg` from `a.jpg`).
#[derive(Debug, Default)]
pub(super) struct Taken(HashSet<String>);

impl Taken {
    /// Takes `stem` in `folder`, or `stem-2`, `stem-3`… when it is taken.
    pub(super) fn claim(&mut self, folder: &str, stem: &str) -> String {
        let mut candidate = stem.to_string();
        let mut n = 1;
        while !self.0.insert(key(folder, &candidate)) {
            n += 1;
            let suffix = format!("-{n}");
            candidate = format!(
                "{}{suffix}",
                cut(stem, MAX_NAME - SUFFIX_ROOM - suffix.len())
            );
        }
        candidate
    }

    /// Marks a name as taken, such as one an earlier run gave.
    pub(super) fn reserve(&mut self, folder: &str, stem: &str) {
        self.0.insert(key(folder, stem));
    }
}

fn key(folder: &str, stem: &str) -> String {
    format!("{}/{}", folder.to_lowercase(), stem.to_lowercase())
}

/// `text` cut to at most `max` bytes at a character boundary.
fn cut(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_string();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].trim_end_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Kind, Source, When};

    fn item(id: &str, title: &str) -> Item {
        let mut item = Item::new(id, Kind::Photo, Source::Flickr);
        item.title = Some(title.into());
        item.taken_at = When::parse("2018-12-18T15:54:37");
        item
    }

    fn safe(name: &str) {
        assert!(name.len() <= MAX_NAME - SUFFIX_ROOM, "{name}");
        assert!(!name.starts_with('.') && !name.is_empty(), "{name:?}");
        for c in name.chars() {
            assert!(
                c.is_alphanumeric() || c == '-' || c == '_',
                "{c:?} in {name:?}"
            );
        }
    }

    #[test]
    fn a_name_has_the_date_the_title_and_the_id() {
        let name = stem(&item("flickr:45539063392", "Soyuz VS20 : décollage !"));
        assert_eq!(name, "2018-12-18_Soyuz-VS20-décollage_flickr-45539063392");
    }

    #[test]
    fn hostile_titles_make_safe_names() {
        let titles = [
            "../../etc/passwd",
            "..\\..\\windows\\system32",
            "a\u{0}b\u{7}c\nd\re\u{1b}[31m",
            "evil\u{202e}gpj.exe",
            "CON",
            "   ",
            "",
            ".hidden",
            &"très long titre ".repeat(40),
            "\u{200b}\u{2066}\u{feff}zero width",
        ];
        for title in titles {
            let name = stem(&item("https://x.example/a/../b?c=d", title));
            safe(&name);
            assert!(!name.contains(".."), "{name}");
        }
        let rtl = stem(&item("flickr:1", "evil\u{202e}gpj.exe"));
        assert_eq!(rtl, "2018-12-18_evil-gpj-exe_flickr-1");
    }

    #[test]
    fn dates_keep_their_precision_and_undated_items_say_so() {
        let mut year = item("flickr:2", "Old");
        year.taken_at = When::parse("1950");
        assert!(stem(&year).starts_with("1950_Old_"));
        year.taken_at = None;
        assert!(stem(&year).starts_with("undated_Old_"));
    }

    #[test]
    fn url_ids_are_digested_and_short_ids_kept() {
        assert_eq!(id_part("youtube:dQw4w9WgXcQ"), "youtube-dQw4w9WgXcQ");
        let long = id_part("https://media.cnes.example/media/cso-1_HD.jpg");
        assert!(long.starts_with("id-") && long.len() == 13, "{long}");
        assert_ne!(
            long,
            id_part("https://media.cnes.example/media/cso-2_HD.jpg")
        );
        assert!(id_part("flickr:../x").starts_with("id-"));
    }

    #[test]
    fn repeated_names_are_numbered_whatever_their_case() {
        let mut taken = Taken::default();
        assert_eq!(taken.claim("VS20", "a_b"), "a_b");
        assert_eq!(taken.claim("vs20", "A_B"), "A_B-2");
        assert_eq!(taken.claim("VS20", "a_b"), "a_b-3");
        assert_eq!(taken.claim("VS21", "a_b"), "a_b");
        taken.reserve("VS20", "kept");
        assert_eq!(taken.claim("VS20", "kept"), "kept-2");
        let long = "x".repeat(MAX_NAME - SUFFIX_ROOM);
        assert_eq!(taken.claim("f", &long), long);
        assert!(taken.claim("f", &long).len() <= MAX_NAME - SUFFIX_ROOM);
    }

    #[test]
    fn campaigns_make_folders() {
        assert_eq!(folder(Some("VS20")), "VS20");
        assert_eq!(folder(Some("../..")), NO_CAMPAIGN);
        assert_eq!(folder(None), NO_CAMPAIGN);
        assert_eq!(folder(Some("con")), "con_");
        assert_eq!(folder(Some("LPT1")), "LPT1_");
        assert_eq!(folder(Some("LPT10")), "LPT10");
    }
}

//! The player's answer: which file an item page plays.

use std::sync::LazyLock;

use regex::Regex;
use url::Url;

use super::{OpsisUrl, recognize};
use crate::media::kind::{MediaGuess, kind_from_extension};
use crate::model::Item;
use crate::urls;

/// `<mediaurl>`, its text possibly wrapped in CDATA and white space. Matched rather than
/// parsed: the answer is built by string concatenation and is not always well-formed.
static MEDIA_URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?is)<mediaurl(?:\s[^>]*)?>\s*(?:<!\[CDATA\[\s*(?P<cdata>.*?)\s*\]\]>|(?P<text>[^<]*?))\s*</mediaurl\s*>")
        .expect("valid mediaurl regex")
});

/// The URL that answers with the item's file, built from its item page:
/// `<dir>/empty.php?xmlhttp=1&urlaction=prepareVisu&method=QT&action=visu&pattern=_vis.mp4&id=<id_doc>&type=document`.
///
/// `None` when `item_page` is not an Opsis item page.
pub fn visu_url(item_page: &Url) -> Option<Url> {
    let Some(OpsisUrl::Doc { id_doc }) = recognize(item_page) else {
        return None;
    };
    let mut url = item_page.join("empty.php").ok()?;
    url.set_fragment(None);
    url.query_pairs_mut()
        .clear()
        .append_pair("xmlhttp", "1")
        .append_pair("urlaction", "prepareVisu")
        .append_pair("method", "QT")
        .append_pair("action", "visu")
        .append_pair("pattern", "_vis.mp4")
        .append_pair("id", &id_doc)
        .append_pair("type", "document");
    Some(url)
}

/// The file named by the player's answer: the first usable `<mediaurl>`, resolved against
/// the answer's own URL (`visu`). Tolerates white space, CDATA, entities (`&amp;`),
/// relative URLs, any case, and a body that is not well-formed XML. `None` when the answer
/// names no file (an empty `<mediaurl/>`, an error page).
pub fn media_url(answer: &str, visu: &Url) -> Option<Url> {
    MEDIA_URL.captures_iter(answer).find_map(|c| {
        let raw = match (c.name("cdata"), c.name("text")) {
            (Some(cdata), _) => cdata.as_str().to_string(),
            (None, Some(text)) => quick_xml::escape::unescape(text.as_str())
                .map_or_else(|_| text.as_str().to_string(), |t| t.into_owned()),
            _ => return None,
        };
        urls::followable(visu, raw.trim())
    })
}

/// Sets the file the player's answer named as the item's `media_url`. The id does not
/// change. Sizes known for another file are dropped, and the kind follows the file's
/// extension (an `.mp3` is a sound).
pub fn apply_media_url(item: &mut Item, media: &Url) {
    if let MediaGuess::Media(kind) = kind_from_extension(media.path()) {
        item.kind = kind;
    }
    let media = media.to_string();
    if item.media_url.as_deref() != Some(media.as_str()) {
        item.width = None;
        item.height = None;
    }
    item.media_url = Some(media);
}

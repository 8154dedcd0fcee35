//! The files of an entry: which `media:content`, `media:group` rendition or enclosure
//! stands for each media object, and what kind of media it is.

use feed_rs::model::{Entry, MediaContent, MediaObject};
use url::Url;

use super::extras::{ContentHint, Extras};
use crate::media::kind::{MediaGuess, kind_from_extension, kind_from_format};
use crate::model::{Kind, MediaSize};
use crate::urls;

/// One candidate file of an entry, with what is known about it.
pub(super) struct Media<'a> {
    pub(super) url: Url,
    pub(super) mime: Option<String>,
    pub(super) hint: Option<&'a ContentHint>,
    pub(super) content: Option<&'a MediaContent>,
    pub(super) object: Option<&'a MediaObject>,
    /// Every rendition of the `media:group` this file was chosen from, itself included;
    /// empty when it stands alone.
    pub(super) renditions: Vec<MediaSize>,
}

/// The entry's media: each `media:content`, the best of each `media:group`, else each
/// enclosure. feed-rs has already preferred Media RSS over `<enclosure>`.
pub(super) fn entry_media<'a>(
    entry: &'a Entry,
    extras: &'a Extras,
    feed_url: &Url,
) -> Vec<Media<'a>> {
    let mut out = Vec::new();
    for object in &entry.media {
        let candidates: Vec<Media<'a>> = object
            .content
            .iter()
            .filter_map(|content| content_media(content, object, extras, feed_url))
            .collect();
        let grouped = candidates
            .iter()
            .any(|m| m.hint.is_some_and(|h| h.group.is_some()));
        if grouped {
            let renditions = sizes_of(&candidates);
            out.extend(best_representation(candidates).map(|mut best| {
                best.renditions = renditions;
                best
            }));
        } else {
            out.extend(candidates);
        }
    }
    if out.is_empty() {
        out.extend(atom_enclosures(entry, feed_url));
    }
    out
}

/// One `media:content` or enclosure from feed-rs, with the second pass's hint about it.
fn content_media<'a>(
    content: &'a MediaContent,
    object: &'a MediaObject,
    extras: &'a Extras,
    feed_url: &Url,
) -> Option<Media<'a>> {
    let resolved = content.url.as_ref()?;
    let hint = extras
        .contents
        .iter()
        .find(|h| h.url.as_deref() == Some(resolved.as_str()));
    let mime = content
        .content_type
        .as_ref()
        .map(ToString::to_string)
        .or_else(|| hint.and_then(|h| h.mime.clone()));
    Some(Media {
        url: web_url(resolved.as_str(), feed_url)?,
        mime,
        hint,
        content: Some(content),
        object: Some(object),
        renditions: Vec::new(),
    })
}

/// RSS `<enclosure>`s as the second pass read them: the file, when Media RSS gave only a
/// player.
pub(super) fn rss_enclosures<'a>(extras: &'a Extras, feed_url: &Url) -> Vec<Media<'a>> {
    extras
        .enclosures
        .iter()
        .filter_map(|(url, mime)| {
            Some(Media {
                url: web_url(url, feed_url)?,
                mime: mime.clone(),
                hint: None,
                content: None,
                object: None,
                renditions: Vec::new(),
            })
        })
        .collect()
}

/// Atom's `<link rel="enclosure">`, which feed-rs leaves among the links.
fn atom_enclosures<'a>(entry: &'a Entry, feed_url: &Url) -> impl Iterator<Item = Media<'a>> {
    entry
        .links
        .iter()
        .filter(|l| l.rel.as_deref() == Some("enclosure"))
        .filter_map(move |l| {
            Some(Media {
                url: web_url(&l.href, feed_url)?,
                mime: l.media_type.clone(),
                hint: None,
                content: None,
                object: None,
                renditions: Vec::new(),
            })
        })
}

/// The files of a group as an item lists its sizes, largest first.
fn sizes_of(candidates: &[Media<'_>]) -> Vec<MediaSize> {
    let mut sizes: Vec<MediaSize> = Vec::with_capacity(candidates.len());
    for m in candidates {
        if sizes.iter().all(|s| s.url != m.url.as_str()) {
            sizes.push(m.size());
        }
    }
    crate::model::largest_first(&mut sizes);
    sizes
}

impl Media<'_> {
    /// This file as one of an item's sizes; feeds give no size names.
    pub(super) fn size(&self) -> MediaSize {
        MediaSize {
            label: None,
            width: width(self),
            height: height(self),
            url: self.url.to_string(),
        }
    }
}

/// The file that stands for a `media:group`: the largest in pixels (the model wants the
/// best file), then the one marked `isDefault`, then the largest in bytes, then the first.
fn best_representation(candidates: Vec<Media<'_>>) -> Option<Media<'_>> {
    let score = |m: &Media<'_>| {
        let (w, h) = (width(m).unwrap_or(0), height(m).unwrap_or(0));
        let hint = m.hint;
        (
            u64::from(w) * u64::from(h),
            hint.is_some_and(|h| h.is_default),
            hint.and_then(|h| h.file_size)
                .or_else(|| m.content.and_then(|c| c.size))
                .unwrap_or(0),
        )
    };
    let mut best: Option<(Media<'_>, (u64, bool, u64))> = None;
    for m in candidates {
        let s = score(&m);
        if best.as_ref().is_none_or(|(_, b)| s > *b) {
            best = Some((m, s));
        }
    }
    best.map(|(m, _)| m)
}

pub(super) fn width(m: &Media<'_>) -> Option<u32> {
    m.hint
        .and_then(|h| h.width)
        .or_else(|| m.content.and_then(|c| c.width))
}

pub(super) fn height(m: &Media<'_>) -> Option<u32> {
    m.hint
        .and_then(|h| h.height)
        .or_else(|| m.content.and_then(|c| c.height))
}

/// An absolute http(s) URL, or `None` for anything a crawler cannot fetch.
pub(super) fn web_url(href: &str, base: &Url) -> Option<Url> {
    urls::followable(base, href)
}

/// Photo, video or audio from `medium`, then the MIME type, then the file name; a
/// photo-sharing platform's entry that says nothing is a photo. Anything else (a PDF press
/// kit) is not media.
pub(super) fn media_kind(m: &Media<'_>, platform: bool) -> Option<Kind> {
    match m.hint.and_then(|h| h.medium.as_deref()) {
        Some("image") => return Some(Kind::Photo),
        Some("video") => return Some(Kind::Video),
        Some("audio") => return Some(Kind::Audio),
        Some("document" | "executable") => return None,
        _ => {}
    }
    if let Some(MediaGuess::Media(kind)) = m.mime.as_deref().map(kind_from_format) {
        return Some(kind);
    }
    if let MediaGuess::Media(kind) = kind_from_extension(m.url.path()) {
        return Some(kind);
    }
    platform.then_some(Kind::Photo)
}

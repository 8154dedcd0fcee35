//! One entry's media files as items: the entry's text, people, tags, licence and dates,
//! with Flickr's ids and boilerplate handled.

use std::sync::LazyLock;

use feed_rs::model::{Entry, MediaObject, Person};
use regex::Regex;
use url::Url;

use super::elements::add_tags;
use super::extras::Extras;
use super::media::{Media, entry_media, height, media_kind, rss_enclosures, web_url, width};
use crate::media::worthiness::is_decorative_url;
use crate::media::{dates, text};
use crate::media::{duration::duration_seconds, license::license_name_from_url};
use crate::model::{Item, Kind, Source, When};
use crate::sources::Identify;
use crate::urls;

/// Flickr opens every description with `<name> posted a photo:`, which says nothing.
static FLICKR_BOILERPLATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?s)^.{0,300}?\bposted an? (?:photo|video):\s*").expect("valid regex")
});

/// `© 2018`, `(c) 2018-2019`, `Copyright 2018,` before the holder's name.
static COPYRIGHT_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:©|\(c\)|copyright)?\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?)?\s*[,:]?\s*")
        .expect("valid regex")
});

pub(super) fn entry_items(
    entry: &Entry,
    extras: &Extras,
    feed_url: &Url,
    ids: &dyn Identify,
) -> Vec<Item> {
    let mut media = entry_media(entry, extras, feed_url);
    // The enclosure wins over a player page: feed-rs puts a `media:player` in place of a
    // file, and drops the enclosure once it has read Media RSS.
    let has_file = media
        .iter()
        .any(|m| !is_player(m, extras) && !matches!(media_kind(m, false), Some(Kind::Photo)));
    if !has_file {
        let enclosures = rss_enclosures(extras, feed_url);
        media.retain(|m| !enclosures.iter().any(|e| e.url == m.url));
        media.extend(enclosures);
    }
    if media.is_empty() {
        return Vec::new();
    }
    let platform = platform_item(entry, ids);
    let items: Vec<Item> = media
        .iter()
        .filter_map(|m| media_item(m, entry, extras, platform.as_ref(), feed_url))
        .collect();
    // An episode's pictures are its artwork and previews, not media of their own.
    let moving = items
        .iter()
        .any(|i| matches!(i.kind, Kind::Video | Kind::Audio));
    items
        .into_iter()
        .filter(|i| !moving || i.kind != Kind::Photo)
        .collect()
}

/// Whether a file is where the media plays rather than the media: a `media:player` page
/// (feed-rs puts it in place of a missing `url`), or a Flash player.
fn is_player(m: &Media<'_>, extras: &Extras) -> bool {
    let flash = m
        .mime
        .as_deref()
        .is_some_and(|t| t.contains("shockwave-flash"))
        || m.url.path().ends_with(".swf");
    flash || extras.players.iter().any(|p| p == m.url.as_str())
}

/// What a platform's player shows: the `medium` of a `media:content` without a file, else
/// a video.
fn player_kind(extras: &Extras) -> Kind {
    match extras
        .contents
        .iter()
        .filter(|h| h.url.is_none())
        .find_map(|h| h.medium.as_deref())
    {
        Some("audio") => Kind::Audio,
        Some("image") => Kind::Photo,
        _ => Kind::Video,
    }
}

/// The item of a platform (a Flickr photo) that an entry is about, from one of its links
/// or its guid: a photo-sharing site's feed describes its own items, not loose files.
struct PlatformItem {
    id: String,
    page: Option<Url>,
}

fn platform_item(entry: &Entry, ids: &dyn Identify) -> Option<PlatformItem> {
    let identify = |text: &str| Url::parse(text.trim()).ok().and_then(|u| ids.identify(&u));
    let link = entry
        .links
        .iter()
        .find_map(|l| identify(&l.href).map(|id| (id, l.href.as_str())));
    match (identify(&entry.id), link) {
        (_, Some((id, page))) => Some(PlatformItem {
            id,
            page: Url::parse(page).ok(),
        }),
        (Some(id), None) => Some(PlatformItem { id, page: None }),
        (None, None) => None,
    }
}

fn media_item(
    m: &Media<'_>,
    entry: &Entry,
    extras: &Extras,
    platform: Option<&PlatformItem>,
    feed_url: &Url,
) -> Option<Item> {
    // A player is no file: a platform's item keeps it as its page, anything else is
    // dropped (the enclosure, when there is one, is the file).
    let player = is_player(m, extras);
    if (player && platform.is_none()) || is_decorative_url(&m.url) {
        return None;
    }
    let kind = if player {
        player_kind(extras)
    } else {
        media_kind(m, platform.is_some())?
    };
    let id = match platform {
        Some(found) => found.id.clone(),
        None => urls::canonical(&m.url),
    };
    let mut item = Item::new(id, kind, Source::Feed);
    item.title = title(m.object, entry);
    item.description = description(m.object, entry, platform.is_some());
    item.creator = creator(m.object, entry, extras);
    item.tags = tags(entry, extras);
    (item.license, item.license_url) = license(entry, extras);
    item.taken_at = extras.taken.as_deref().and_then(dates::parse);
    item.published_at = published(entry, extras);
    item.width = width(m);
    item.height = height(m);
    if kind != Kind::Photo {
        item.duration_seconds = duration(m, entry, extras).or_else(|| {
            let fileless = extras.contents.iter().filter(|h| h.url.is_none());
            fileless.filter_map(|h| h.duration).next()
        });
    }
    item.thumbnail_url = m
        .object
        .and_then(|o| o.thumbnails.first())
        .and_then(|t| web_url(&t.image.uri, feed_url))
        .map(String::from);
    item.page_url = platform
        .and_then(|p| p.page.clone())
        .or_else(|| {
            let original = extras.original_link.as_deref();
            original.and_then(|link| web_url(link, feed_url))
        })
        .or_else(|| entry_page(entry, feed_url))
        .map(String::from);
    if player {
        return Some(item);
    }
    item.media_url = Some(m.url.to_string());
    item.sizes = if m.renditions.is_empty() {
        vec![m.size()]
    } else {
        m.renditions.clone()
    };
    Some(item)
}

/// `media:title`, else the entry's title, as plain text.
fn title(object: Option<&MediaObject>, entry: &Entry) -> Option<String> {
    object
        .and_then(|o| o.title.as_ref())
        .and_then(|t| text::html_to_text(&t.content))
        .or_else(|| {
            entry
                .title
                .as_ref()
                .and_then(|t| text::html_to_text(&t.content))
        })
}

/// `media:description`, else the entry's summary or content, as plain text; a platform's
/// "X posted a photo:" preamble (Flickr's) is dropped.
fn description(object: Option<&MediaObject>, entry: &Entry, platform: bool) -> Option<String> {
    let html = object
        .and_then(|o| o.description.as_ref())
        .map(|t| t.content.as_str())
        .filter(|t| !t.trim().is_empty())
        .or_else(|| entry.summary.as_ref().map(|t| t.content.as_str()))
        .or_else(|| entry.content.as_ref().and_then(|c| c.body.as_deref()))?;
    let plain = text::html_to_text(html)?;
    if !platform {
        return Some(plain);
    }
    text::clean(&FLICKR_BOILERPLATE.replace(&plain, ""))
}

/// `media:credit` (a photographer or author before other roles), else the entry's author
/// or `dc:creator`, else the holder named in `media:copyright`.
fn creator(object: Option<&MediaObject>, entry: &Entry, extras: &Extras) -> Option<String> {
    let role_rank = |name: &str| {
        let role = extras
            .credits
            .iter()
            .find(|c| c.name == name)
            .and_then(|c| c.role.as_deref());
        match role {
            Some("photographer" | "author") => 0,
            None => 1,
            Some(_) => 2,
        }
    };
    let mut names: Vec<String> = object
        .map(|o| {
            o.credits
                .iter()
                .filter_map(|c| text::clean(&c.entity))
                .collect()
        })
        .unwrap_or_default();
    if names.is_empty() {
        names = extras.credits.iter().map(|c| c.name.clone()).collect();
    }
    names.sort_by_key(|n| role_rank(n));
    names
        .into_iter()
        .next()
        .or_else(|| entry.authors.iter().find_map(person_name))
        .or_else(|| extras.copyright.as_deref().and_then(copyright_holder))
}

/// A person's name; feed-rs leaves Flickr's `nobody@flickr.com ("Name")` as `("Name")`.
fn person_name(person: &Person) -> Option<String> {
    let name = person.name.as_deref()?.trim();
    let name = name
        .strip_prefix('(')
        .and_then(|n| n.strip_suffix(')'))
        .unwrap_or(name);
    text::clean(name.trim().trim_matches('"'))
}

fn copyright_holder(notice: &str) -> Option<String> {
    text::clean(&COPYRIGHT_PREFIX.replace(notice, ""))
}

/// `media:category` and `media:keywords` tags, then the entry's categories.
fn tags(entry: &Entry, extras: &Extras) -> Vec<String> {
    let mut tags = extras.tags.clone();
    let categories = entry.categories.iter().filter_map(|c| text::clean(&c.term));
    add_tags(&mut tags, categories);
    tags
}

/// The licence from `media:license` or `creativeCommons:license`, else an Atom
/// `<link rel="license">`; named from its URL when it is a known one.
fn license(entry: &Entry, extras: &Extras) -> (Option<String>, Option<String>) {
    let url = extras.license_url.clone().or_else(|| {
        entry
            .links
            .iter()
            .find(|l| l.rel.as_deref() == Some("license"))
            .map(|l| l.href.clone())
    });
    let name = url
        .as_deref()
        .and_then(license_name_from_url)
        .or_else(|| extras.license_name.clone());
    (name, url)
}

/// The date as written (with its offset), else feed-rs's UTC reading, else `updated`.
fn published(entry: &Entry, extras: &Extras) -> Option<When> {
    extras
        .published
        .as_deref()
        .and_then(dates::parse)
        .or_else(|| {
            entry
                .published
                .or(entry.updated)
                .map(|t| When::instant(t.fixed_offset()))
        })
}

fn duration(m: &Media<'_>, entry: &Entry, extras: &Extras) -> Option<u32> {
    let seconds = |d: std::time::Duration| u32::try_from(d.as_secs()).ok();
    m.hint
        .and_then(|h| h.duration)
        .or_else(|| m.content.and_then(|c| c.duration).and_then(seconds))
        .or_else(|| extras.duration.as_deref().and_then(duration_seconds))
        .or_else(|| {
            entry
                .media
                .iter()
                .find_map(|o| o.duration)
                .and_then(seconds)
        })
}

/// The entry's own page: its first plain or `alternate` link.
fn entry_page(entry: &Entry, feed_url: &Url) -> Option<Url> {
    entry
        .links
        .iter()
        .filter(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
        .find_map(|l| web_url(&l.href, feed_url))
}

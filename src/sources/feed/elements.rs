//! Which elements and attributes the second pass reads, and where each value goes in
//! [`Extras`].

use std::borrow::Cow;

use quick_xml::XmlVersion;
use quick_xml::events::BytesStart;
use quick_xml::name::ResolveResult;
use url::Url;

use super::extras::{ContentHint, Credit, Extras};
use crate::media::text;
use crate::media::{dimension::parse_dimension, duration::duration_seconds};
use crate::urls;

/// The namespaces the second pass reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Ns {
    /// No namespace (RSS 2.0) or RSS 1.0's.
    Plain,
    Atom,
    Media,
    Dc,
    Flickr,
    CreativeCommons,
    Itunes,
    Other,
}

pub(super) fn classify(ns: &ResolveResult<'_>) -> Ns {
    let uri = match ns {
        ResolveResult::Bound(n) => n.as_ref(),
        _ => return Ns::Plain,
    };
    let lower = uri.to_ascii_lowercase();
    match lower.as_str() {
        "http://purl.org/rss/1.0/" | "http://my.netscape.com/rdf/simple/0.9/" => Ns::Plain,
        "http://www.w3.org/2005/atom" => Ns::Atom,
        "http://purl.org/dc/elements/1.1/" => Ns::Dc,
        "http://www.itunes.com/dtds/podcast-1.0.dtd" => Ns::Itunes,
        _ if is_media_ns(uri) => Ns::Media,
        u if u.starts_with("urn:flickr") => Ns::Flickr,
        u if u.contains("creativecommons") || u == "http://web.resource.org/cc/" => {
            Ns::CreativeCommons
        }
        _ => Ns::Other,
    }
}

pub(super) fn is_media_ns(uri: &str) -> bool {
    uri.trim_end_matches('/') == "http://search.yahoo.com/mrss"
}

/// Text elements whose content the second pass keeps.
#[derive(Clone, Debug)]
pub(super) enum Field {
    Id,
    Link,
    Published,
    Taken,
    Category {
        flickr_tags: bool,
        label: Option<String>,
    },
    Keywords,
    LicenseName,
    LicenseUrl,
    Copyright,
    Credit {
        role: Option<String>,
    },
    Duration,
    OriginalLink,
}

/// Values carried in attributes: an Atom link's `href`, a licence's `href` or
/// `rdf:resource`.
pub(super) fn read_attributes(
    extras: &mut Extras,
    ns: Ns,
    local: &str,
    e: &BytesStart<'_>,
    child: bool,
    base: &Url,
) {
    match (ns, local) {
        (Ns::Atom, "link") if child && extras.link.is_none() && is_alternate(e) => {
            extras.link = attr(e, "href").and_then(|h| resolve(base, &h));
        }
        (Ns::Plain, "enclosure") if child => {
            if let Some(url) = attr(e, "url").and_then(|u| resolve(base, &u)) {
                extras.enclosures.push((url, attr(e, "type")));
            }
        }
        (Ns::Media, "player") => {
            extras
                .players
                .extend(attr(e, "url").and_then(|u| resolve(base, &u)));
        }
        (Ns::Media, "license") => {
            let href = attr(e, "href").and_then(|h| resolve(base, &h));
            set_once(&mut extras.license_url, href);
        }
        (Ns::CreativeCommons, "license") => {
            let href = attr(e, "resource").or_else(|| attr(e, "href"));
            set_once(
                &mut extras.license_url,
                href.and_then(|h| resolve(base, &h)),
            );
        }
        _ => {}
    }
}

/// An Atom link to the entry's page: `rel="alternate"` or no `rel` at all.
fn is_alternate(e: &BytesStart<'_>) -> bool {
    attr(e, "rel").as_deref().is_none_or(|r| r == "alternate")
}

/// The field an element's text fills, if it is one the second pass keeps. The entry's own
/// id and link must be its children, not those of an Atom `<source>`.
pub(super) fn text_field(ns: Ns, local: &str, e: &BytesStart<'_>, child: bool) -> Option<Field> {
    Some(match (ns, local) {
        (Ns::Plain, "guid") | (Ns::Atom, "id") if child => Field::Id,
        (Ns::Plain, "link") if child => Field::Link,
        (Ns::Plain, "pubDate") | (Ns::Atom, "published") | (Ns::Dc, "date") => Field::Published,
        (Ns::Dc, "date.Taken") | (Ns::Flickr, "date_taken") => Field::Taken,
        (Ns::Media, "category") => Field::Category {
            flickr_tags: attr(e, "scheme").as_deref() == Some("urn:flickr:tags"),
            label: attr(e, "label"),
        },
        (Ns::Media, "keywords") => Field::Keywords,
        (Ns::Media, "license") => Field::LicenseName,
        (Ns::CreativeCommons, "license") => Field::LicenseUrl,
        (Ns::Media, "copyright") => Field::Copyright,
        (Ns::Media, "credit") => Field::Credit {
            role: attr(e, "role"),
        },
        (Ns::Itunes, "duration") => Field::Duration,
        // A podcast's keywords are its episode's tags; its author is the episode's credit.
        (Ns::Itunes, "keywords") => Field::Keywords,
        (Ns::Itunes, "author") => Field::Credit {
            role: Some("author".into()),
        },
        (Ns::Other, "origLink") if child => Field::OriginalLink,
        _ => return None,
    })
}

/// `item` in an RSS channel (2.0) or document (1.0), `entry` in an Atom feed: the elements
/// feed-rs turns into entries.
pub(super) fn is_entry(local: &str, parent: Option<&str>) -> bool {
    matches!(
        (local, parent),
        ("item", Some("channel" | "RDF")) | ("entry", Some("feed"))
    )
}

pub(super) fn store(extras: &mut Extras, field: Field, collected: &str, base: &Url) {
    let value = text::clean(collected);
    match field {
        Field::Id => set_once(&mut extras.id, value),
        Field::Link => set_once(&mut extras.link, value.and_then(|v| resolve(base, &v))),
        Field::Published => set_once(&mut extras.published, value),
        Field::Taken => set_once(&mut extras.taken, value),
        Field::Category { flickr_tags, label } => {
            let tags: Vec<String> = match (flickr_tags, label.and_then(|l| text::clean(&l))) {
                // Flickr's tag category holds the photo's tags, separated by spaces.
                (true, _) => collected.split_whitespace().map(str::to_string).collect(),
                (false, Some(label)) => vec![label],
                (false, None) => value.into_iter().collect(),
            };
            add_tags(&mut extras.tags, tags);
        }
        Field::Keywords => {
            add_tags(
                &mut extras.tags,
                collected.split(',').filter_map(text::clean),
            );
        }
        Field::LicenseName => set_once(&mut extras.license_name, value),
        Field::LicenseUrl => {
            // Text, not an attribute: only an absolute URL is one, not a licence's name.
            let url = value.and_then(|v| urls::absolute(&v)).map(String::from);
            set_once(&mut extras.license_url, url);
        }
        Field::Copyright => set_once(&mut extras.copyright, value),
        Field::Credit { role } => {
            if let Some(name) = value {
                let role = role.map(|r| r.trim().to_ascii_lowercase());
                extras.credits.push(Credit { role, name });
            }
        }
        Field::Duration => set_once(&mut extras.duration, value),
        Field::OriginalLink => set_once(
            &mut extras.original_link,
            value.and_then(|v| resolve(base, &v)),
        ),
    }
}

pub(super) fn content_hint(e: &BytesStart<'_>, group: Option<usize>, base: &Url) -> ContentHint {
    ContentHint {
        url: attr(e, "url").and_then(|u| resolve(base, &u)),
        mime: attr(e, "type"),
        medium: attr(e, "medium").map(|m| m.trim().to_ascii_lowercase()),
        is_default: attr(e, "isDefault").is_some_and(|v| v.trim().eq_ignore_ascii_case("true")),
        group,
        width: attr(e, "width").and_then(|v| parse_dimension(&v)),
        height: attr(e, "height").and_then(|v| parse_dimension(&v)),
        duration: attr(e, "duration").and_then(|v| duration_seconds(&v)),
        file_size: attr(e, "fileSize").and_then(|v| v.trim().parse().ok()),
    }
}

/// An attribute's decoded value, by local name (`rdf:resource` is `resource`).
fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| a.normalized_value(XmlVersion::Implicit1_0).ok())
        .map(Cow::into_owned)
}

fn resolve(base: &Url, href: &str) -> Option<String> {
    base.join(href.trim()).ok().map(String::from)
}

fn set_once<T>(slot: &mut Option<T>, value: Option<T>) {
    if slot.is_none() {
        *slot = value;
    }
}

pub(super) fn add_tags(tags: &mut Vec<String>, new: impl IntoIterator<Item = String>) {
    crate::media::lists::extend_unique(tags, new);
}

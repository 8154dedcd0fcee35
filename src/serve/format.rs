//! Words and numbers as the pages show them: dates at their real precision, durations, kinds,
//! licences in plain words, and the addresses of the server's own pages.

use chrono::Datelike;

use crate::media::rights::LicenseClass;
use crate::model::{Item, Kind, Precision, Source, Timestamp, When};

/// A date as precise as it is known: "1950", "December 2018", "18 December 2018",
/// "18 December 2018, 13:37" (the camera's clock), "18 December 2018, 16:37 UTC+01:00".
pub(crate) fn when(date: &When) -> String {
    let start = date.as_timestamp();
    let day = format!("{} {} {}", start.day(), month(start.month()), start.year());
    match date.precision() {
        Precision::Year => start.year().to_string(),
        Precision::Month => format!("{} {}", month(start.month()), start.year()),
        Precision::Day => day,
        Precision::Second => match date.offset() {
            None => format!("{day}, {}", start.format("%H:%M")),
            Some(offset) if offset.local_minus_utc() == 0 => {
                format!("{day}, {} UTC", start.format("%H:%M"))
            }
            Some(_) => format!(
                "{day}, {} UTC{}",
                start.format("%H:%M"),
                start.format("%:z")
            ),
        },
    }
}

/// An instant a crawl recorded, to the minute, in UTC.
pub(crate) fn instant(at: &Timestamp) -> String {
    let utc = at.naive_utc();
    format!(
        "{} {} {}, {} UTC",
        utc.day(),
        month(utc.month()),
        utc.year(),
        utc.format("%H:%M")
    )
}

fn month(number: u32) -> &'static str {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    MONTHS[(number.clamp(1, 12) - 1) as usize]
}

/// The date a card shows: taken, else published.
pub(crate) fn item_date(item: &Item) -> Option<When> {
    item.taken_at.or(item.published_at)
}

/// "1:34", "1:02:03": a running time as players show it.
pub(crate) fn clock(seconds: u32) -> String {
    let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

/// "1 min 34 s": a running time in words, for screen readers and the item page.
pub(crate) fn duration(seconds: u32) -> String {
    let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    let parts = [(h, "h"), (m, "min"), (s, "s")];
    let shown: Vec<String> = parts
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, unit)| format!("{n} {unit}"))
        .collect();
    if shown.is_empty() {
        "0 s".into()
    } else {
        shown.join(" ")
    }
}

/// "Photo", "Video"…
pub(crate) fn kind(kind: Kind) -> &'static str {
    match kind {
        Kind::Photo => "Photo",
        Kind::Video => "Video",
        Kind::Audio => "Audio",
        Kind::Article => "Article",
    }
}

/// A kind as a facet lists it: "Photos".
pub(crate) fn kind_plural(name: &str) -> String {
    match name {
        "photo" => "Photos".into(),
        "video" => "Videos".into(),
        "audio" => "Audio".into(),
        "article" => "Articles".into(),
        other => other.to_string(),
    }
}

/// Where an item was read, in a few words.
pub(crate) fn source(name: &str) -> &str {
    match Source::from_name(name) {
        Some(Source::Flickr) => "Flickr API",
        Some(Source::Feed) => "RSS or Atom feed",
        Some(Source::JsonLd) => "JSON-LD on a page",
        Some(Source::OpenGraph) => "Open Graph tags",
        Some(Source::Release) => "Press release",
        Some(Source::Gallery) => "Press-kit caption",
        Some(Source::Sitemap) => "Sitemap",
        Some(Source::Oembed) => "Video platform (oEmbed)",
        Some(Source::Library) => "Video library record",
        Some(Source::YouTube) => "YouTube API",
        Some(Source::Dailymotion) => "Dailymotion API",
        Some(Source::Vimeo) => "Vimeo",
        Some(Source::Commons) => "Wikimedia Commons",
        Some(Source::Nasa) => "NASA Image and Video Library",
        None => name,
    }
}

/// A licence class as a facet lists it.
pub(crate) fn class_name(class: LicenseClass) -> &'static str {
    match class {
        LicenseClass::CcBy => "CC BY",
        LicenseClass::CcBySa => "CC BY-SA",
        LicenseClass::CcByNd => "CC BY-ND",
        LicenseClass::Cc0 => "CC0",
        LicenseClass::PublicDomain => "Public domain",
        LicenseClass::NoKnownRestrictions => "No known restrictions",
        LicenseClass::UsGovernment => "US Government work",
        LicenseClass::NonCommercial => "Non-commercial",
        LicenseClass::AllRightsReserved => "All rights reserved",
        LicenseClass::Unknown => "Unknown licence",
    }
}

/// What a licence allows a newsroom, in plain words.
pub(crate) fn allows(class: LicenseClass) -> &'static str {
    match class {
        LicenseClass::CcBy => {
            "You may publish, share and adapt it, also commercially, as long as you credit the \
             author and name the licence."
        }
        LicenseClass::CcBySa => {
            "You may publish, share and adapt it, also commercially, as long as you credit the \
             author, name the licence, and share any adaptation under the same licence."
        }
        LicenseClass::CcByNd => {
            "You may publish and share it, also commercially, with credit, but only as it is: \
             no crops, edits or composites."
        }
        LicenseClass::Cc0 => {
            "Its author gave up every right: you may use it freely. Crediting is courteous."
        }
        LicenseClass::PublicDomain => {
            "It is in the public domain: you may use it freely. Crediting is courteous."
        }
        LicenseClass::NoKnownRestrictions => {
            "The institution that published it knows of no copyright restriction: you may use \
             it; credit the institution."
        }
        LicenseClass::UsGovernment => {
            "A work of the US federal government, not under copyright in the US: you may use \
             it; credit the agency. People and logos shown may have rights of their own."
        }
        LicenseClass::NonCommercial => {
            "Only for non-commercial use. Publishing in the news is commercial use: ask the \
             rights holder before publishing."
        }
        LicenseClass::AllRightsReserved => {
            "All rights are reserved: ask the rights holder for permission before any use."
        }
        LicenseClass::Unknown => {
            "The licence is not known: ask the rights holder before publishing."
        }
    }
}

/// An address that may become a link: http(s) only, so that a `javascript:` URL from a
/// hostile page never becomes something to click.
pub(crate) fn web_link(url: &str) -> Option<&str> {
    let parsed = url::Url::parse(url).ok()?;
    matches!(parsed.scheme(), "http" | "https").then_some(url)
}

/// The host of a link, without `www.`: "flickr.com".
pub(crate) fn host(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url).ok()?;
    let host = parsed.host_str()?;
    Some(host.strip_prefix("www.").unwrap_or(host).to_string())
}

/// An id or a campaign as one path segment: everything but unreserved characters encoded,
/// `/` included.
pub(crate) fn segment(text: &str) -> String {
    const KEEP: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~')
        .remove(b':');
    percent_encoding::utf8_percent_encode(text, KEEP).to_string()
}

/// The page of an item.
pub(crate) fn item_href(id: &str) -> String {
    format!("/item/{}", segment(id))
}

/// An item's thumbnail, through the server.
pub(crate) fn thumb_href(id: &str) -> String {
    format!("/thumb/{}", segment(id))
}

/// An item's largest preview, through the server.
pub(crate) fn preview_href(id: &str) -> String {
    format!("/preview/{}", segment(id))
}

/// The page of a campaign.
pub(crate) fn campaign_href(name: &str) -> String {
    format!("/campaign/{}", segment(name))
}

/// "1 item", "13 items".
pub(crate) fn count(n: u64, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_at_their_precision() {
        let shown = |text: &str| when(&When::parse(text).unwrap());
        assert_eq!(shown("1950"), "1950");
        assert_eq!(shown("2018-12"), "December 2018");
        assert_eq!(shown("2018-12-18"), "18 December 2018");
        assert_eq!(shown("2018-12-18T13:37:14"), "18 December 2018, 13:37");
        assert_eq!(shown("2018-12-18T16:37:14Z"), "18 December 2018, 16:37 UTC");
        assert_eq!(
            shown("2018-12-18T13:37:14-03:00"),
            "18 December 2018, 13:37 UTC-03:00"
        );
    }

    #[test]
    fn durations_read_as_players_and_people_say_them() {
        assert_eq!(
            (clock(94), duration(94)),
            ("1:34".into(), "1 min 34 s".into())
        );
        assert_eq!(
            (clock(3723), duration(3723)),
            ("1:02:03".into(), "1 h 2 min 3 s".into())
        );
        assert_eq!(duration(0), "0 s");
    }

    #[test]
    fn only_web_addresses_become_links_and_ids_stay_one_segment() {
        assert_eq!(web_link("https://cnes.fr/a"), Some("https://cnes.fr/a"));
        assert_eq!(web_link("javascript:alert(1)"), None);
        assert_eq!(web_link("data:text/html,x"), None);
        assert_eq!(
            item_href("https://media.cnes.example/a b/c.jpg"),
            "/item/https:%2F%2Fmedia.cnes.example%2Fa%20b%2Fc.jpg"
        );
        assert_eq!(item_href("flickr:45539063392"), "/item/flickr:45539063392");
    }
}

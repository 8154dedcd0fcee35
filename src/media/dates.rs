//! Lenient date parsing: sources write dates in every format there is, and as precisely as
//! they know them.

use crate::model::{Timestamp, When};
use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, Utc};
use regex::Regex;
use std::sync::LazyLock;

/// Parses the date formats real sources send, at the precision they are written in, or
/// `None`.
///
/// Accepted: RFC 3339 (`2018-12-18T19:37:14Z`, with or without seconds), RFC 2822
/// (`Tue, 18 Dec 2018 19:37:14 +0000`), Unix seconds (`1545161834`, Flickr's
/// `dateupload`): instants. `2018-12-18 15:54:37` (Flickr's `datetaken`) or
/// `2018-12-18T15:54:37` without an offset: a local time, kept as it was written, not moved
/// to UTC. `2018-12-18`, `18/12/2018`: a day. `2018-12`: a month. `2009`: a year.
pub fn parse(text: &str) -> Option<When> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    if text.bytes().all(|b| b.is_ascii_digit()) && text.len() >= 9 {
        return unix_seconds(text.parse().ok()?).map(When::instant);
    }
    if let Some(at) = flickr_local_time(text) {
        return Some(When::local(at));
    }
    if let Some(at) = instant(text) {
        return Some(When::instant(at));
    }
    if let Some(at) = local_time(text) {
        return Some(When::local(at));
    }
    if let Some(day) = day(text) {
        return When::day(day.year(), day.month(), day.day());
    }
    When::parse(text).filter(|w| w.year_number() > 0)
}

/// An instant with a stated offset, in any of the forms sources write it.
fn instant(text: &str) -> Option<Timestamp> {
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t);
    }
    if let Ok(t) = DateTime::parse_from_rfc2822(text) {
        return Some(t);
    }
    if let Some(t) = localised_rfc2822(text) {
        return Some(t);
    }
    [
        "%Y-%m-%dT%H:%M%:z",
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%d %H:%M:%S%:z",
    ]
    .iter()
    .find_map(|format| DateTime::parse_from_str(text, format).ok())
}

/// An RFC 822 date written with another language's day and month names, as feeds from
/// outside the English-speaking world send them: `mer, 16 nov 2022 00:38:15 +0100`,
/// `jue., 08 ago. 2023 10:00:00 GMT`, `Di, 05 Mär 2024 08:00:00 +0100`.
fn localised_rfc2822(text: &str) -> Option<Timestamp> {
    let without_day = match text.split_once(',') {
        Some((day, rest))
            if day.trim().chars().all(char::is_alphabetic) || day.trim().ends_with('.') =>
        {
            rest
        }
        _ => text,
    };
    let mut words = without_day.split_whitespace();
    let day = words.next()?;
    let month = words.next()?.trim_end_matches('.').to_lowercase();
    let number = LOCAL_MONTHS
        .iter()
        .find(|(names, _)| names.split('|').any(|n| n == month))
        .map(|(_, n)| *n)?;
    let english = ENGLISH_MONTHS.get(number - 1)?;
    let rest: Vec<&str> = words.collect();
    DateTime::parse_from_rfc2822(&format!("{day} {english} {}", rest.join(" "))).ok()
}

const ENGLISH_MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Month names and abbreviations in Italian, Spanish, Portuguese, French and German.
const LOCAL_MONTHS: [(&str, usize); 12] = [
    (
        "gen|gennaio|ene|enero|jan|janeiro|janv|janvier|januar|jän",
        1,
    ),
    (
        "feb|febbraio|febrero|fev|fevereiro|févr|fevr|février|februar",
        2,
    ),
    ("mar|marzo|março|marco|mars|märz|mär", 3),
    ("apr|aprile|abr|abril|avr|avril", 4),
    ("mag|maggio|may|mayo|mai|maio", 5),
    ("giu|giugno|jun|junio|jun|junho|juin|juni", 6),
    ("lug|luglio|jul|julio|julho|juil|juillet|juli", 7),
    ("ago|agosto|aoû|août|aout|aug", 8),
    ("set|settembre|sep|sept|septiembre|setembro|septembre", 9),
    (
        "ott|ottobre|oct|octubre|out|outubro|octobre|okt|oktober",
        10,
    ),
    ("nov|novembre|noviembre|novembro|november", 11),
    (
        "dic|dicembre|diciembre|dez|dezembro|déc|dec|décembre|dezember",
        12,
    ),
];

/// A Unix time in seconds as a UTC timestamp.
pub fn unix_seconds(seconds: i64) -> Option<Timestamp> {
    DateTime::from_timestamp(seconds, 0).map(|t| t.fixed_offset())
}

/// `2018-12-18 15:54:37`, exactly: Flickr's `datetaken`, on every photo of every album
/// page, read without trying the other forms first (the formats below parse it the same).
fn flickr_local_time(text: &str) -> Option<NaiveDateTime> {
    let bytes = text.as_bytes();
    let shape = bytes.len() == 19
        && bytes.iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            10 => *b == b' ',
            13 | 16 => *b == b':',
            _ => b.is_ascii_digit(),
        });
    if !shape {
        return None;
    }
    let number = |from: usize, to: usize| text[from..to].parse::<u32>().ok();
    let year = i32::try_from(number(0, 4)?).ok()?;
    NaiveDate::from_ymd_opt(year, number(5, 7)?, number(8, 10)?)?.and_hms_opt(
        number(11, 13)?,
        number(14, 16)?,
        number(17, 19)?,
    )
}

fn local_time(text: &str) -> Option<NaiveDateTime> {
    [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
    ]
    .iter()
    .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
}

fn day(text: &str) -> Option<NaiveDate> {
    ["%Y-%m-%d", "%Y/%m/%d", "%d/%m/%Y", "%Y%m%d"]
        .iter()
        .find_map(|format| NaiveDate::parse_from_str(text, format).ok())
}

static HUMAN_DATE: LazyLock<Regex> = LazyLock::new(|| {
    let months = MONTHS
        .iter()
        .map(|(name, _)| *name)
        .collect::<Vec<_>>()
        .join("|");
    Regex::new(&format!(
        r"(?ix)
        \b(?:(?P<d1>\d{{1,2}})(?:er|st|nd|rd|th)?\s+(?P<m1>{months})\.?,?\s+(?P<y1>\d{{4}})
        | (?P<m2>{months})\.?\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y2>\d{{4}})
        | (?P<y3>\d{{4}})-(?P<m3>\d{{2}})-(?P<d3>\d{{2}})
        | (?P<d4>\d{{1,2}})/(?P<m4>\d{{1,2}})/(?P<y4>\d{{4}}))\b"
    ))
    .expect("valid date regex")
});

/// English and French month names, as press releases write them.
const MONTHS: [(&str, u32); 30] = [
    ("january", 1),
    ("janvier", 1),
    ("february", 2),
    ("février", 2),
    ("fevrier", 2),
    ("march", 3),
    ("mars", 3),
    ("april", 4),
    ("avril", 4),
    ("may", 5),
    ("mai", 5),
    ("june", 6),
    ("juin", 6),
    ("july", 7),
    ("juillet", 7),
    ("august", 8),
    ("août", 8),
    ("aout", 8),
    ("september", 9),
    ("septembre", 9),
    ("october", 10),
    ("octobre", 10),
    ("november", 11),
    ("novembre", 11),
    ("december", 12),
    ("décembre", 12),
    ("decembre", 12),
    ("sept", 9),
    ("dec", 12),
    ("jan", 1),
];

/// The first date written out in prose (`14 December 2018`, `December 14, 2018`,
/// `14 décembre 2018`, `2018-12-14`, `14/12/2018`), as a day.
///
/// Pasted press releases carry their date only as text, usually in the first lines.
pub fn first_in_prose(text: &str) -> Option<When> {
    HUMAN_DATE.captures_iter(text).find_map(|c| {
        let pick = |names: [&str; 4]| names.iter().find_map(|n| c.name(n)).map(|m| m.as_str());
        let day: u32 = pick(["d1", "d2", "d3", "d4"])?.parse().ok()?;
        let year: i32 = pick(["y1", "y2", "y3", "y4"])?.parse().ok()?;
        let month = pick(["m1", "m2", "m3", "m4"])?;
        let month = month.parse().ok().or_else(|| {
            let lower = month.to_lowercase();
            MONTHS
                .iter()
                .find(|(name, _)| *name == lower)
                .map(|(_, n)| *n)
        })?;
        When::day(year, month, day)
    })
}

/// Today's date and time, for `published_at` defaults and crawl records.
pub fn now() -> Timestamp {
    Utc::now().fixed_offset()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_format_sources_send_at_its_precision() {
        let cases = [
            ("2018-12-18T19:37:14Z", "2018-12-18T19:37:14Z"),
            ("2018-12-18T16:37:14-03:00", "2018-12-18T16:37:14-03:00"),
            ("Tue, 18 Dec 2018 19:37:14 +0000", "2018-12-18T19:37:14Z"),
            ("2018-12-18 15:54:37", "2018-12-18T15:54:37"),
            ("2018-12-18", "2018-12-18"),
            ("18/12/2018", "2018-12-18"),
            ("2018-12", "2018-12"),
            ("2009", "2009"),
            (
                "mer, 16 nov 2022 00:38:15 +0100",
                "2022-11-16T00:38:15+01:00",
            ),
            ("jue., 08 ago. 2023 10:00:00 +0000", "2023-08-08T10:00:00Z"),
            (
                "Di, 05 Mär 2024 08:00:00 +0100",
                "2024-03-05T08:00:00+01:00",
            ),
            ("1545161834", "2018-12-18T19:37:14Z"),
            ("2018-12-18T19:37+01:00", "2018-12-18T19:37:00+01:00"),
            (" 2018-12-18T19:37:14 ", "2018-12-18T19:37:14"),
        ];
        for (input, expected) in cases {
            let read = parse(input).map(|w| w.to_string());
            assert_eq!(read.as_deref(), Some(expected), "{input}");
        }
    }

    #[test]
    fn flickrs_local_times_read_as_the_general_formats_read_them() {
        for input in [
            "2018-12-18 15:54:37",
            "0001-01-01 00:00:00",
            "2016-02-29 23:59:59",
            "2015-02-29 12:00:00",
            "2016-12-31 23:59:60",
            "2018-12-18 24:00:00",
            "2018-00-10 10:00:00",
            "9999-12-31 23:59:59",
        ] {
            let general = NaiveDateTime::parse_from_str(input, "%Y-%m-%d %H:%M:%S").ok();
            if let Some(fast) = flickr_local_time(input) {
                assert_eq!(Some(fast), general, "{input}");
            }
            assert_eq!(
                parse(input).map(|w| w.to_string()),
                general.map(|t| When::local(t).to_string()),
                "{input}"
            );
        }
        assert!(flickr_local_time("2018-12-18T15:54:37").is_none());
        assert!(flickr_local_time("2018-12-18 15:54:3x").is_none());
    }

    #[test]
    fn finds_dates_written_in_prose() {
        let cases = [
            ("Paris, 14 December 2018 – CNES", "2018-12-14"),
            ("Kourou, le 19 décembre 2018", "2018-12-19"),
            ("Published December 4th, 2018 by CNES", "2018-12-04"),
            ("Le 1er mars 2019", "2019-03-01"),
            ("Updated 2018-12-18.", "2018-12-18"),
            ("Date: 18/12/2018", "2018-12-18"),
            ("On 31 February 2018, then 2 Dec 2018", "2018-12-02"),
        ];
        for (text, expected) in cases {
            let found = first_in_prose(text).map(|t| t.to_string());
            assert_eq!(found.as_deref(), Some(expected), "{text}");
        }
        assert_eq!(first_in_prose("Flight VS20 carries CSO-1 in 2018"), None);
    }

    #[test]
    fn rejects_what_is_not_a_date() {
        for input in [
            "",
            "soon",
            "2018-13-45",
            "0000-00-00 00:00:00",
            "12",
            "0000",
        ] {
            assert_eq!(parse(input), None, "{input}");
        }
    }
}

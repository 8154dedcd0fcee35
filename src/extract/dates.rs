//! Lenient date parsing: sources write dates in every format there is.

use crate::model::Timestamp;
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Utc};

/// Parses the date formats real sources send, or `None`.
///
/// Accepted: RFC 3339 (`2018-12-18T19:37:14Z`, with or without seconds or offset), RFC 2822
/// (`Tue, 18 Dec 2018 19:37:14 +0000`), `2018-12-18 15:54:37` (Flickr's `datetaken`), a bare
/// `2018-12-18`, and Unix seconds (`1545161834`, Flickr's `dateupload`). A time without an
/// offset is taken as UTC: the source did not say, and UTC is what a reader would assume.
pub fn parse(text: &str) -> Option<Timestamp> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    if text.bytes().all(|b| b.is_ascii_digit()) && text.len() >= 9 {
        return unix_seconds(text.parse().ok()?);
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t);
    }
    if let Ok(t) = DateTime::parse_from_rfc2822(text) {
        return Some(t);
    }
    for format in ["%Y-%m-%dT%H:%M%:z", "%Y-%m-%dT%H:%M:%S%.f%z", "%Y-%m-%d %H:%M:%S%:z"] {
        if let Ok(t) = DateTime::parse_from_str(text, format) {
            return Some(t);
        }
    }
    naive(text).map(|t| utc(&t))
}

/// A Unix time in seconds as a UTC timestamp.
pub fn unix_seconds(seconds: i64) -> Option<Timestamp> {
    DateTime::from_timestamp(seconds, 0).map(|t| t.fixed_offset())
}

fn naive(text: &str) -> Option<NaiveDateTime> {
    for format in [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(text, format) {
            return Some(t);
        }
    }
    ["%Y-%m-%d", "%Y/%m/%d", "%d/%m/%Y", "%Y%m%d"]
        .iter()
        .find_map(|format| NaiveDate::parse_from_str(text, format).ok())
        .and_then(|d| d.and_hms_opt(0, 0, 0))
}

fn utc(t: &NaiveDateTime) -> Timestamp {
    let zero = FixedOffset::east_opt(0).expect("zero offset is valid");
    zero.from_utc_datetime(t)
}

/// Today's date and time, for `published_at` defaults and crawl records.
pub fn now() -> Timestamp {
    Utc::now().fixed_offset()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rfc(t: Option<Timestamp>) -> Option<String> {
        t.map(|t| t.to_rfc3339())
    }

    #[test]
    fn reads_every_format_sources_send() {
        let cases = [
            ("2018-12-18T19:37:14Z", "2018-12-18T19:37:14+00:00"),
            ("2018-12-18T16:37:14-03:00", "2018-12-18T16:37:14-03:00"),
            ("Tue, 18 Dec 2018 19:37:14 +0000", "2018-12-18T19:37:14+00:00"),
            ("2018-12-18 15:54:37", "2018-12-18T15:54:37+00:00"),
            ("2018-12-18", "2018-12-18T00:00:00+00:00"),
            ("1545161834", "2018-12-18T19:37:14+00:00"),
            ("2018-12-18T19:37+01:00", "2018-12-18T19:37:00+01:00"),
            (" 2018-12-18T19:37:14 ", "2018-12-18T19:37:14+00:00"),
        ];
        for (input, expected) in cases {
            assert_eq!(rfc(parse(input)).as_deref(), Some(expected), "{input}");
        }
    }

    #[test]
    fn rejects_what_is_not_a_date() {
        for input in ["", "soon", "2018-13-45", "0000-00-00 00:00:00", "12"] {
            assert_eq!(parse(input), None, "{input}");
        }
    }
}

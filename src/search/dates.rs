//! Dates as journalists write them: `2018-12-18`, `2018-12`, `2018`, or an exact RFC 3339
//! instant. A bare date stands for its whole day (month, year), in UTC.

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, TimeZone, Utc};

/// A span of time, from `start` (included) to `end` (excluded).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Period {
    /// The first second of the period.
    pub start: DateTime<Utc>,
    /// The first second after it.
    pub end: DateTime<Utc>,
}

impl Period {
    /// Reads a year, a month, a day or an instant. An instant is a one-second period, so
    /// that `--until 2018-12-18T15:00:00Z` includes that second.
    ///
    /// # Errors
    /// A message that says how to write a date.
    pub fn parse(text: &str) -> Result<Period, String> {
        let text = text.trim();
        bare(text)
            .or_else(|| instant(text).map(Period::instant))
            .ok_or_else(|| {
                format!(
                    "`{text}` is not a date: write 2018-12-18, 2018-12 or 2018 (whole days, \
                     months or years, UTC), or an instant such as 2018-12-18T15:54:37Z"
                )
            })
    }

    /// Whether the text is a year, month or day rather than an exact instant.
    pub fn is_bare(text: &str) -> bool {
        bare(text.trim()).is_some()
    }

    fn instant(t: DateTime<Utc>) -> Period {
        Period {
            start: t,
            end: t + chrono::Duration::seconds(1),
        }
    }
}

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
fn bare(text: &str) -> Option<Period> {
    let parts: Vec<&str> = text.split('-').collect();
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    match parts.as_slice() {
        [y] if digits(y, 4) => {
            let year = y.parse().ok()?;
            Some(span(day(year, 1, 1)?, day(year + 1, 1, 1)?))
        }
        [y, m] if digits(y, 4) && digits(m, 2) => {
            let (year, month) = (y.parse().ok()?, m.parse().ok()?);
            let start = day(year, month, 1)?;
            let next = if month == 12 {
                day(year + 1, 1, 1)?
            } else {
                day(year, month + 1, 1)?
            };
            Some(span(start, next))
        }
        [y, m, d] if digits(y, 4) && digits(m, 2) && digits(d, 2) => {
            let start = day(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)?;
            Some(span(start, start.succ_opt()?))
        }
        _ => None,
    }
}

fn day(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, day)
}

fn span(start: NaiveDate, end: NaiveDate) -> Period {
    let midnight = |d: NaiveDate| Utc.from_utc_datetime(&d.and_hms_opt(0, 0, 0).expect("midnight"));
    Period {
        start: midnight(start),
        end: midnight(end),
    }
}

/// RFC 3339, or a date and time without offset (taken as UTC).
fn instant(text: &str) -> Option<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t.with_timezone(&Utc));
    }
    [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
    ]
    .iter()
    .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
    .map(|naive| Utc.from_utc_datetime(&naive))
}

/// The instant as the query language writes it.
pub(crate) fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// The calendar year (UTC) of a Unix time, with the span of seconds that year covers.
pub(crate) fn year_of(seconds: i64) -> Option<(i32, std::ops::Range<i64>)> {
    let year = DateTime::from_timestamp(seconds, 0)?.year();
    let start = |y: i32| Some(span(day(y, 1, 1)?, day(y, 1, 1)?).start.timestamp());
    Some((year, start(year)?..start(year + 1)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn period(text: &str) -> (String, String) {
        let p = Period::parse(text).unwrap();
        (rfc3339(p.start), rfc3339(p.end))
    }

    #[test]
    fn bare_dates_are_whole_days_months_and_years() {
        let whole = |a: &str, b: &str| (a.to_string(), b.to_string());
        assert_eq!(
            period("2018-12-18"),
            whole("2018-12-18T00:00:00Z", "2018-12-19T00:00:00Z")
        );
        assert_eq!(
            period("2018-12"),
            whole("2018-12-01T00:00:00Z", "2019-01-01T00:00:00Z")
        );
        assert_eq!(
            period("2018-02"),
            whole("2018-02-01T00:00:00Z", "2018-03-01T00:00:00Z")
        );
        assert_eq!(
            period("2018"),
            whole("2018-01-01T00:00:00Z", "2019-01-01T00:00:00Z")
        );
        assert_eq!(
            period("2018-12-31"),
            whole("2018-12-31T00:00:00Z", "2019-01-01T00:00:00Z")
        );
    }

    #[test]
    fn instants_are_one_second_long() {
        assert_eq!(
            period("2018-12-18T15:54:37+01:00"),
            (
                "2018-12-18T14:54:37Z".to_string(),
                "2018-12-18T14:54:38Z".to_string()
            )
        );
        assert_eq!(period("2018-12-18T15:54:37").0, "2018-12-18T15:54:37Z");
        assert!(!Period::is_bare("2018-12-18T15:54:37Z"));
        assert!(Period::is_bare("2018-12"));
    }

    #[test]
    fn a_year_knows_its_bounds() {
        let launch = Period::parse("2018-12-19").unwrap().start.timestamp();
        let (year, span) = year_of(launch).unwrap();
        assert_eq!(year, 2018);
        assert_eq!(span.start, Period::parse("2018").unwrap().start.timestamp());
        assert_eq!(span.end, Period::parse("2019").unwrap().start.timestamp());
    }

    #[test]
    fn impossible_dates_say_how_to_write_one() {
        for text in [
            "2018-13-01",
            "2018-02-30",
            "18-12-2018",
            "yesterday",
            "",
            "2018-1-5",
        ] {
            let error = Period::parse(text).unwrap_err();
            assert!(error.contains("write 2018-12-18"), "{text}: {error}");
        }
    }
}

//! Dates as precise as their sources give them: a year, a month, a day, or an instant, with
//! the UTC offset when the source states one.
//!
//! A photo dated "1950" was not taken on 1 January 1950 at midnight; a Flickr "taken" time
//! has no zone and is the camera's local time. [`When`] keeps both facts, prints the date as
//! it was given (`1950`, `2018-12`, `2018-12-18`, `2018-12-18T15:54:37`,
//! `2018-12-18T15:54:37Z`), and says which span of time it covers, so that a search for a
//! day finds only dates known to that day.

use std::cmp::Ordering;
use std::fmt;

use chrono::{
    DateTime, Datelike, Duration, FixedOffset, Months, NaiveDate, NaiveDateTime, SecondsFormat,
    TimeZone, Utc,
};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::Timestamp;

/// How much of a date is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Precision {
    /// Only the year (`1950`).
    Year,
    /// The year and month (`2018-12`).
    Month,
    /// The day (`2018-12-18`).
    Day,
    /// The time of day, to the second.
    Second,
}

/// A date or instant, as precise as its source gives it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct When {
    /// Its first moment, on the wall clock of `offset` (or of the unknown local zone).
    start: NaiveDateTime,
    /// The UTC offset the source stated; `None` for a local time or a bare date.
    offset: Option<FixedOffset>,
    precision: Precision,
}

impl When {
    /// A year.
    pub fn year(year: i32) -> Option<When> {
        Self::day(year, 1, 1).map(|d| When {
            precision: Precision::Year,
            ..d
        })
    }

    /// A month of a year.
    pub fn month(year: i32, month: u32) -> Option<When> {
        Self::day(year, month, 1).map(|d| When {
            precision: Precision::Month,
            ..d
        })
    }

    /// A day.
    pub fn day(year: i32, month: u32, day: u32) -> Option<When> {
        let start = NaiveDate::from_ymd_opt(year, month, day)?.and_hms_opt(0, 0, 0)?;
        Some(When {
            start,
            offset: None,
            precision: Precision::Day,
        })
    }

    /// An instant in a stated offset.
    pub fn instant(at: Timestamp) -> When {
        When {
            start: at.naive_local(),
            offset: Some(*at.offset()),
            precision: Precision::Second,
        }
    }

    /// A time of day with no zone: the local time where it was taken, which is not moved.
    pub fn local(at: NaiveDateTime) -> When {
        When {
            start: at,
            offset: None,
            precision: Precision::Second,
        }
    }

    /// How much of it is known.
    pub fn precision(&self) -> Precision {
        self.precision
    }

    /// The offset the source stated, if any.
    pub fn offset(&self) -> Option<FixedOffset> {
        self.offset
    }

    /// Its first moment, in UTC. A date or time without a zone is read as UTC: its wall
    /// clock, not shifted, so that a local "18 December" stays the 18th.
    pub fn start(&self) -> DateTime<Utc> {
        match self.offset {
            Some(offset) => offset
                .from_local_datetime(&self.start)
                .single()
                .map_or_else(|| Utc.from_utc_datetime(&self.start), |t| t.to_utc()),
            None => Utc.from_utc_datetime(&self.start),
        }
    }

    /// The first moment after it: the next year, month, day or second.
    pub fn end(&self) -> DateTime<Utc> {
        let start = self.start();
        let next = match self.precision {
            Precision::Year => start.checked_add_months(Months::new(12)),
            Precision::Month => start.checked_add_months(Months::new(1)),
            Precision::Day => start.checked_add_signed(Duration::days(1)),
            Precision::Second => start.checked_add_signed(Duration::seconds(1)),
        };
        next.unwrap_or(start)
    }

    /// Its first moment with the offset it was given in (UTC when none was).
    pub fn as_timestamp(&self) -> Timestamp {
        self.start().with_timezone(
            &self
                .offset
                .unwrap_or_else(|| FixedOffset::east_opt(0).expect("zero")),
        )
    }

    /// The date without the time of day, at most as precise as it is known: `1950`,
    /// `2018-12`, `2018-12-18`. For tables, where a column of dates lines up.
    pub fn date_text(&self) -> String {
        match self.precision {
            Precision::Year => self.start.format("%Y").to_string(),
            Precision::Month => self.start.format("%Y-%m").to_string(),
            Precision::Day | Precision::Second => self.start.format("%Y-%m-%d").to_string(),
        }
    }

    /// The year it falls in, as written.
    pub fn year_number(&self) -> i32 {
        self.start.year()
    }

    /// Reads a date as [`When`] prints it, or an RFC 3339 instant.
    pub fn parse(text: &str) -> Option<When> {
        let text = text.trim();
        if let Ok(at) = DateTime::parse_from_rfc3339(text) {
            return Some(When::instant(at));
        }
        if let Ok(at) = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S") {
            return Some(When::local(at));
        }
        if let Ok(day) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            return When::day(day.year(), day.month(), day.day());
        }
        let mut parts = text.split('-');
        let year = parts.next()?;
        if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let year: i32 = year.parse().ok()?;
        match (parts.next(), parts.next()) {
            (None, _) => When::year(year),
            (Some(month), None) if month.len() == 2 => When::month(year, month.parse().ok()?),
            _ => None,
        }
    }
}

impl fmt::Display for When {
    /// As given: `1950`, `2018-12`, `2018-12-18`, `2018-12-18T15:54:37` (local), or RFC 3339.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.precision, self.offset) {
            (Precision::Year, _) => write!(f, "{}", self.start.format("%Y")),
            (Precision::Month, _) => write!(f, "{}", self.start.format("%Y-%m")),
            (Precision::Day, _) => write!(f, "{}", self.start.format("%Y-%m-%d")),
            (Precision::Second, None) => write!(f, "{}", self.start.format("%Y-%m-%dT%H:%M:%S")),
            (Precision::Second, Some(offset)) => {
                let at = offset
                    .from_local_datetime(&self.start)
                    .single()
                    .unwrap_or_else(|| offset.from_utc_datetime(&self.start));
                write!(f, "{}", at.to_rfc3339_opts(SecondsFormat::AutoSi, true))
            }
        }
    }
}

impl Ord for When {
    /// Earlier first; of two dates that start together, the less precise first.
    fn cmp(&self, other: &Self) -> Ordering {
        self.start()
            .cmp(&other.start())
            .then(self.precision.cmp(&other.precision))
            .then(
                self.offset
                    .map(|o| o.local_minus_utc())
                    .cmp(&other.offset.map(|o| o.local_minus_utc())),
            )
    }
}

impl PartialOrd for When {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl From<Timestamp> for When {
    fn from(at: Timestamp) -> Self {
        When::instant(at)
    }
}

impl Serialize for When {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for When {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        When::parse(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("{text:?} is not a date")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().to_utc()
    }

    #[test]
    fn dates_print_as_given_and_read_back() {
        for text in [
            "1950",
            "2018-12",
            "2018-12-18",
            "2018-12-18T15:54:37",
            "2018-12-18T15:54:37Z",
            "2018-12-19T14:30:00+01:00",
        ] {
            let when = When::parse(text).unwrap_or_else(|| panic!("{text}"));
            assert_eq!(when.to_string(), text);
            let json = serde_json::to_string(&when).unwrap();
            assert_eq!(serde_json::from_str::<When>(&json).unwrap(), when);
        }
        for text in ["", "50", "2018-13", "2018-12-32", "yesterday", "2018-1"] {
            assert_eq!(When::parse(text), None, "{text}");
        }
    }

    #[test]
    fn each_covers_its_span() {
        let year = When::parse("1950").unwrap();
        assert_eq!(
            (year.start(), year.end()),
            (utc("1950-01-01T00:00:00Z"), utc("1951-01-01T00:00:00Z"))
        );
        let month = When::parse("2018-12").unwrap();
        assert_eq!(month.end(), utc("2019-01-01T00:00:00Z"));
        let zoned = When::parse("2018-12-19T00:30:00+01:00").unwrap();
        assert_eq!(zoned.start(), utc("2018-12-18T23:30:00Z"));
        assert_eq!(zoned.end(), utc("2018-12-18T23:30:01Z"));
        let local = When::parse("2018-12-18T23:30:00").unwrap();
        assert_eq!(
            local.start(),
            utc("2018-12-18T23:30:00Z"),
            "a local time keeps its day"
        );
    }

    #[test]
    fn order_is_by_time_then_precision() {
        let mut dates: Vec<When> = ["2018-12-18", "2018", "2018-12-18T10:00:00Z", "2017-06"]
            .iter()
            .map(|t| When::parse(t).unwrap())
            .collect();
        dates.sort();
        let printed: Vec<String> = dates.iter().map(ToString::to_string).collect();
        assert_eq!(
            printed,
            ["2017-06", "2018", "2018-12-18", "2018-12-18T10:00:00Z"]
        );
    }
}

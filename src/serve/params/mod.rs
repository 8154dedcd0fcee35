//! The state of a search page, read from and written to its URL (`/?q=vs20&kind=video`), so
//! that a link sent to a colleague opens the same view. The JSON API reads the same
//! parameters.

use chrono::{DateTime, Utc};
use std::fmt::Write as _;

mod values;

use crate::media::rights::LicenseClass;
use crate::model::{Kind, Source};
use crate::search::dates::Period;
use crate::search::{Filters, Request, Sort};

pub use values::class;
use values::{flag, kind, number, period, sort, source, year};

/// Items on a page, unless `limit` says otherwise: a grid of 2, 3, 4 or 6 columns fills up.
pub const PAGE_SIZE: usize = 24;
/// The most items one page or API call returns.
pub const MAX_LIMIT: usize = 100;
/// How deep pages go: the ranking of deeper pages costs more than anyone reads.
pub const MAX_OFFSET: usize = 10_000;

/// The parameters a search understands, as the 400 page lists them.
pub const PARAMETERS: [&str; 13] = [
    "q", "kind", "campaign", "source", "license", "class", "reusable", "year", "since", "until",
    "sort", "page", "limit",
];

/// A facet a visitor narrows by clicking one of its values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Facet {
    /// `campaign=VS20`
    Campaign,
    /// `kind=video`
    Kind,
    /// `source=flickr`
    Source,
    /// `class=cc-by`: the licence's class.
    Class,
    /// `year=2018`
    Year,
}

/// What a search page shows: the query, the filters, the order and the page.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct View {
    /// The query, in the command line's language.
    pub query: String,
    /// `kind`, repeatable.
    pub kinds: Vec<Kind>,
    /// `campaign`, repeatable.
    pub campaigns: Vec<String>,
    /// `source`, repeatable.
    pub sources: Vec<Source>,
    /// `license`: words of the licence's name, repeatable.
    pub licenses: Vec<String>,
    /// `class`: licence classes, repeatable.
    pub classes: Vec<LicenseClass>,
    /// `reusable=1`.
    pub reusable: bool,
    /// `year`: one year, taken (else published).
    pub year: Option<i32>,
    /// `since`, as written.
    pub since: Option<String>,
    /// `until`, as written.
    pub until: Option<String>,
    /// `sort=date`; relevance otherwise.
    pub sort: Sort,
    /// `page`, from 1.
    pub page: usize,
    /// `limit`: items per page.
    pub limit: usize,
}

/// A parameter that cannot be understood: the 400 page says which and why.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct BadParameter(pub String);

impl View {
    /// The first page of everything.
    pub fn new() -> Self {
        View {
            page: 1,
            limit: PAGE_SIZE,
            ..View::default()
        }
    }

    /// Reads a URL's query string (without the `?`).
    ///
    /// # Errors
    /// A parameter that is unknown, repeated where it cannot be, or has a value that cannot
    /// be read.
    pub fn parse(query: &str) -> Result<View, BadParameter> {
        let mut view = View::new();
        for (name, value) in url::form_urlencoded::parse(query.as_bytes()) {
            view.set(&name, value.trim())?;
        }
        view.check()?;
        Ok(view)
    }

    fn set(&mut self, name: &str, value: &str) -> Result<(), BadParameter> {
        match name {
            "q" => self.query = value.to_string(),
            "kind" if !value.is_empty() => self.kinds.push(kind(value)?),
            "campaign" if !value.is_empty() => self.campaigns.push(value.to_string()),
            "source" if !value.is_empty() => self.sources.push(source(value)?),
            "license" if !value.is_empty() => self.licenses.push(value.to_string()),
            "class" if !value.is_empty() => self.classes.push(class(value)?),
            "reusable" => self.reusable = flag(value)?,
            "year" if !value.is_empty() => self.year = Some(year(value)?),
            "since" if !value.is_empty() => self.since = Some(period(name, value)?),
            "until" if !value.is_empty() => self.until = Some(period(name, value)?),
            "sort" => self.sort = sort(value)?,
            "page" => self.page = number(name, value, 1, MAX_OFFSET)?,
            "limit" => self.limit = number(name, value, 1, MAX_LIMIT)?,
            _ if PARAMETERS.contains(&name) => {}
            _ => {
                return Err(BadParameter(format!(
                    "`{name}` is not a parameter of a search: use {}",
                    PARAMETERS.join(", ")
                )));
            }
        }
        Ok(())
    }

    fn check(&self) -> Result<(), BadParameter> {
        if self.offset() > MAX_OFFSET {
            return Err(BadParameter(format!(
                "page {} is too deep: pages go as far as item {MAX_OFFSET}; narrow the search",
                self.page
            )));
        }
        if let (Some(since), Some(until)) = (self.since_period(), self.until_period())
            && since.start >= until.end
        {
            return Err(BadParameter(format!(
                "since={} is after until={}: no item can be both; swap them?",
                self.since.as_deref().unwrap_or_default(),
                self.until.as_deref().unwrap_or_default()
            )));
        }
        Ok(())
    }

    /// How many items the pages before this one show.
    pub fn offset(&self) -> usize {
        self.page.saturating_sub(1).saturating_mul(self.limit)
    }

    fn since_period(&self) -> Option<Period> {
        self.since.as_deref().and_then(|t| Period::parse(t).ok())
    }

    fn until_period(&self) -> Option<Period> {
        self.until.as_deref().and_then(|t| Period::parse(t).ok())
    }

    /// The search this view asks for, with every facet counted.
    pub fn request(&self) -> Request {
        Request {
            filters: self.filters(),
            sort: self.sort,
            limit: self.limit,
            offset: self.offset(),
            facets: true,
            highlights: true,
            count: true,
            ..Request::new(self.query.clone())
        }
    }

    fn filters(&self) -> Filters {
        let year = self
            .year
            .and_then(|y| Period::parse(&format!("{y:04}")).ok());
        let since = [self.since_period(), year].into_iter().flatten();
        let until = [self.until_period(), year].into_iter().flatten();
        Filters {
            kinds: self.kinds.clone(),
            campaigns: self.campaigns.clone(),
            sources: self.sources.clone(),
            licenses: self.licenses.clone(),
            license_classes: self.classes.clone(),
            reusable: self.reusable,
            since: latest(since.map(|p| p.start)),
            until: earliest(until.map(|p| p.end)),
        }
    }

    /// Whether any filter is set, beyond the query.
    pub fn is_filtered(&self) -> bool {
        !self.filters().is_empty()
    }

    /// The view as a query string, parameters in a fixed order, defaults left out.
    pub fn query_string(&self) -> String {
        let mut out = url::form_urlencoded::Serializer::new(String::new());
        if !self.query.is_empty() {
            out.append_pair("q", &self.query);
        }
        for (name, value) in self.filter_pairs() {
            out.append_pair(name, &value);
        }
        if self.sort == Sort::Date {
            out.append_pair("sort", "date");
        }
        if self.limit != PAGE_SIZE {
            out.append_pair("limit", &self.limit.to_string());
        }
        if self.page > 1 {
            out.append_pair("page", &self.page.to_string());
        }
        out.finish()
    }

    /// The filters as `name=value` pairs, for links and for the search form's hidden fields.
    pub fn filter_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        let mut add =
            |name, values: Vec<String>| pairs.extend(values.into_iter().map(|v| (name, v)));
        add(
            "kind",
            self.kinds.iter().map(|k| k.as_str().to_string()).collect(),
        );
        add("campaign", self.campaigns.clone());
        add(
            "source",
            self.sources
                .iter()
                .map(|s| s.as_str().to_string())
                .collect(),
        );
        add("license", self.licenses.clone());
        add(
            "class",
            self.classes.iter().map(|c| c.key().to_string()).collect(),
        );
        add(
            "reusable",
            self.reusable.then(|| "1".to_string()).into_iter().collect(),
        );
        add(
            "year",
            self.year.map(|y| y.to_string()).into_iter().collect(),
        );
        add("since", self.since.clone().into_iter().collect());
        add("until", self.until.clone().into_iter().collect());
        pairs
    }

    /// The URL of this view: `/?q=vs20&kind=video`.
    pub fn href(&self) -> String {
        let query = self.query_string();
        if query.is_empty() {
            "/".to_string()
        } else {
            format!("/?{query}")
        }
    }

    /// Whether `value` of `facet` is one of this view's filters.
    pub fn has(&self, facet: Facet, value: &str) -> bool {
        match facet {
            Facet::Campaign => self
                .campaigns
                .iter()
                .any(|c| crate::tag::key(c) == crate::tag::key(value)),
            Facet::Kind => self.kinds.iter().any(|k| k.as_str() == value),
            Facet::Source => self.sources.iter().any(|s| s.as_str() == value),
            Facet::Class => self.classes.iter().any(|c| c.key() == value),
            Facet::Year => self.year.is_some_and(|y| y.to_string() == value),
        }
    }

    /// This view with `value` of `facet` added, or removed when it is already there; back to
    /// the first page, since the results change.
    pub fn toggled(&self, facet: Facet, value: &str) -> View {
        let mut next = self.clone();
        next.page = 1;
        let on = !self.has(facet, value);
        match facet {
            Facet::Campaign => {
                next.campaigns
                    .retain(|c| crate::tag::key(c) != crate::tag::key(value));
                if on {
                    next.campaigns.push(value.to_string());
                }
            }
            Facet::Kind => toggle(&mut next.kinds, kind(value).ok(), on),
            Facet::Source => toggle(&mut next.sources, source(value).ok(), on),
            Facet::Class => toggle(&mut next.classes, class(value).ok(), on),
            Facet::Year => next.year = if on { year(value).ok() } else { None },
        }
        next
    }

    /// This view with only what `change` does to a copy, back on the first page.
    pub fn with(&self, change: impl FnOnce(&mut View)) -> View {
        let mut next = self.clone();
        next.page = 1;
        change(&mut next);
        next
    }

    /// This view on another page.
    pub fn on_page(&self, page: usize) -> View {
        View {
            page,
            ..self.clone()
        }
    }

    /// A short description of the filters, for the page's title: "video, VS20".
    pub fn describe_filters(&self) -> String {
        let mut out = String::new();
        for (name, value) in self.filter_pairs() {
            if !out.is_empty() {
                out.push_str(", ");
            }
            let _ = match name {
                "reusable" => write!(out, "reusable"),
                "since" | "until" | "license" => write!(out, "{name} {value}"),
                _ => write!(out, "{value}"),
            };
        }
        out
    }
}

fn toggle<T: PartialEq>(values: &mut Vec<T>, value: Option<T>, on: bool) {
    let Some(value) = value else { return };
    values.retain(|v| *v != value);
    if on {
        values.push(value);
    }
}

fn latest(times: impl Iterator<Item = DateTime<Utc>>) -> Option<DateTime<Utc>> {
    times.max()
}

fn earliest(times: impl Iterator<Item = DateTime<Utc>>) -> Option<DateTime<Utc>> {
    times.min()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_view_reads_back_from_the_url_it_writes() {
        let view = View::parse("q=vs20+soyuz&kind=video&kind=photo&campaign=VS20&reusable=1&sort=date&page=2&class=cc-by&year=2018").unwrap();
        assert_eq!(view.query, "vs20 soyuz");
        assert_eq!(view.kinds, [Kind::Video, Kind::Photo]);
        assert_eq!((view.page, view.offset()), (2, PAGE_SIZE));
        assert_eq!(View::parse(&view.query_string()).unwrap(), view);
        assert_eq!(View::parse("").unwrap(), View::new());
        assert_eq!(View::new().href(), "/");
    }

    #[test]
    fn bad_parameters_say_what_was_wrong() {
        let error = |query: &str| View::parse(query).unwrap_err().0;
        assert!(error("kind=poster").contains("photo, video, audio or article"));
        assert!(error("colour=red").contains("`colour` is not a parameter"));
        assert!(error("page=0").contains("page=0 is not a number from 1"));
        assert!(error("limit=1000").contains("from 1 to 100"));
        assert!(error("since=yesterday").contains("is not a date"));
        assert!(error("since=2019&until=2018").contains("swap them"));
        assert!(error("year=18").contains("not a year"));
        assert!(error("page=10000").contains("too deep"));
        assert!(error("class=free").contains("cc-by-sa"));
    }

    #[test]
    fn clicking_a_facet_value_adds_it_and_clicking_again_removes_it() {
        let view = View::parse("q=vs20&page=3").unwrap();
        let narrowed = view.toggled(Facet::Kind, "video");
        assert_eq!(narrowed.href(), "/?q=vs20&kind=video");
        assert!(narrowed.has(Facet::Kind, "video"));
        assert_eq!(narrowed.toggled(Facet::Kind, "video").href(), "/?q=vs20");
        let campaign = view.toggled(Facet::Campaign, "VS20");
        assert!(campaign.has(Facet::Campaign, "#vs20"));
        assert_eq!(campaign.toggled(Facet::Campaign, "vs20").campaigns.len(), 0);
        let year = view
            .toggled(Facet::Year, "2018")
            .toggled(Facet::Year, "2019");
        assert_eq!(year.year, Some(2019));
    }

    #[test]
    fn a_year_and_dates_narrow_to_their_overlap() {
        let view = View::parse("year=2018&since=2018-12").unwrap();
        let filters = view.request().filters;
        assert_eq!(
            filters.since.unwrap().to_rfc3339(),
            "2018-12-01T00:00:00+00:00"
        );
        assert_eq!(
            filters.until.unwrap().to_rfc3339(),
            "2019-01-01T00:00:00+00:00"
        );
    }
}

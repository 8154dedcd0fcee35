//! Filters (`--kind`, `--campaign`, `--since`…): restrictions that never change the ranking.

use chrono::{DateTime, Utc};
use std::ops::Bound;
use tantivy::Term;
use tantivy::query::{
    BooleanQuery, ConstScoreQuery, Occur, PhraseQuery, Query, RangeQuery, TermQuery, TermSetQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TokenStream;

use super::{QueryError, SearchError};
use crate::index::ArchiveIndex;
use crate::index::schema::{FOLDED, to_date};
use crate::media::rights::LicenseClass;
use crate::model::{Kind, Source};
use crate::tag;

/// What the results must be, whatever the query. Within one filter, any value will do
/// (`--kind photo --kind video`); different filters must all hold.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Filters {
    /// Only these kinds.
    pub kinds: Vec<Kind>,
    /// Only items in one of these campaigns (any spelling: `vs20`, `#VS20`).
    pub campaigns: Vec<String>,
    /// Only items found by these extractors.
    pub sources: Vec<Source>,
    /// Only items whose licence's name contains one of these phrases (`CC BY-SA`, `cc0`).
    pub licenses: Vec<String>,
    /// Only items whose licence is of one of these classes.
    pub license_classes: Vec<LicenseClass>,
    /// Only items a newsroom may publish without asking ([`LicenseClass::is_reusable`]).
    pub reusable: bool,
    /// Only items taken (else published) at or after this instant.
    pub since: Option<DateTime<Utc>>,
    /// Only items taken (else published) before this instant.
    pub until: Option<DateTime<Utc>>,
}

impl Filters {
    /// Whether no filter is set.
    pub fn is_empty(&self) -> bool {
        *self == Filters::default()
    }
}

/// The query restricted by the filters.
///
/// # Errors
/// [`SearchError::Query`] for filters that cannot hold (an empty date range, a licence
/// phrase without words).
pub(crate) fn apply(
    index: &ArchiveIndex,
    query: Box<dyn Query>,
    filters: &Filters,
) -> Result<Box<dyn Query>, SearchError> {
    let clauses = clauses(index, filters)?;
    if clauses.is_empty() {
        return Ok(query);
    }
    let mut all: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, query)];
    for clause in clauses {
        // A filter's own score would reorder the results; a score of 0 adds nothing.
        all.push((Occur::Must, Box::new(ConstScoreQuery::new(clause, 0.0))));
    }
    Ok(Box::new(BooleanQuery::new(all)))
}

fn clauses(index: &ArchiveIndex, filters: &Filters) -> Result<Vec<Box<dyn Query>>, SearchError> {
    let fields = index.fields();
    let mut out: Vec<Box<dyn Query>> = Vec::new();
    let kinds = filters.kinds.iter().map(|k| k.as_str().to_string());
    out.extend(any_of(fields.kind, kinds));
    let campaigns = filters.campaigns.iter().map(|c| tag::key(c));
    out.extend(any_of(fields.campaign, campaigns));
    let sources = filters.sources.iter().map(|s| s.as_str().to_string());
    out.extend(any_of(fields.source, sources));
    if !filters.licenses.is_empty() {
        let phrases = filters
            .licenses
            .iter()
            .map(|l| license_phrase(index, l))
            .collect::<Result<Vec<_>, _>>()?;
        out.push(union(phrases));
    }
    let classes = filters.license_classes.iter().map(|c| c.key().to_string());
    out.extend(any_of(fields.license_class, classes));
    if filters.reusable {
        let reusable = LicenseClass::ALL
            .into_iter()
            .filter(|c| c.is_reusable())
            .map(|c| Term::from_field_text(fields.license_class, c.key()));
        out.push(Box::new(TermSetQuery::new(reusable)));
    }
    if let Some(range) = date_range(index, filters)? {
        out.push(range);
    }
    Ok(out)
}

/// Items whose field holds one of the values (already in the field's indexed form).
fn any_of(field: Field, values: impl Iterator<Item = String>) -> Option<Box<dyn Query>> {
    let terms: Vec<Box<dyn Query>> = values
        .map(|v| {
            let query: Box<dyn Query> = Box::new(TermQuery::new(
                Term::from_field_text(field, &v),
                IndexRecordOption::Basic,
            ));
            query
        })
        .collect();
    (!terms.is_empty()).then(|| union(terms))
}

fn union(mut queries: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    if queries.len() == 1 {
        return queries.pop().expect("one query");
    }
    Box::new(BooleanQuery::new(
        queries.into_iter().map(|q| (Occur::Should, q)).collect(),
    ))
}

/// The licence's words, in order: `CC BY` matches `CC BY 2.0` and `CC BY-NC 2.0`, while
/// `CC BY-SA` matches neither.
fn license_phrase(index: &ArchiveIndex, text: &str) -> Result<Box<dyn Query>, SearchError> {
    let field = index.fields().license;
    let mut analyzer = index
        .tantivy()
        .tokenizers()
        .get(FOLDED)
        .expect("the folded analyzer is registered");
    let mut stream = analyzer.token_stream(text);
    let mut terms = Vec::new();
    while stream.advance() {
        terms.push(Term::from_field_text(field, &stream.token().text));
    }
    Ok(match terms.len() {
        0 => {
            return Err(SearchError::Query(QueryError::filter(format!(
                "--license `{text}` has no words to look for; try --license \"CC BY\""
            ))));
        }
        1 => Box::new(TermQuery::new(
            terms.pop().expect("one term"),
            IndexRecordOption::Basic,
        )),
        _ => Box::new(PhraseQuery::new(terms)),
    })
}

/// `--since` and `--until` on the date taken, else published.
fn date_range(
    index: &ArchiveIndex,
    filters: &Filters,
) -> Result<Option<Box<dyn Query>>, SearchError> {
    if let (Some(since), Some(until)) = (filters.since, filters.until)
        && since >= until
    {
        return Err(SearchError::Query(QueryError::filter(format!(
            "--since {} is not before --until {}: nothing can match",
            since.format("%Y-%m-%d %H:%M:%S"),
            until.format("%Y-%m-%d %H:%M:%S")
        ))));
    }
    if filters.since.is_none() && filters.until.is_none() {
        return Ok(None);
    }
    // A date is in the window when its whole span is: it starts at or after `since` and
    // ends by `until`, so "1950" is not "after 1950-06".
    let fields = index.fields();
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    if let Some(since) = filters.since {
        let from = Term::from_field_date(fields.date, to_date(since));
        let range = RangeQuery::new(Bound::Included(from), Bound::Unbounded);
        clauses.push((Occur::Must, Box::new(range)));
    }
    if let Some(until) = filters.until {
        let by = Term::from_field_date(fields.date_end, to_date(until));
        let range = RangeQuery::new(Bound::Unbounded, Bound::Included(by));
        clauses.push((Occur::Must, Box::new(range)));
    }
    Ok(Some(Box::new(BooleanQuery::new(clauses))))
}

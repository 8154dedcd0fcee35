//! Searching the archive: a query in, ranked items out.
//!
//! The query language is Tantivy's: words (all must match), `"phrases"`, `OR`, `-word`,
//! `field:value`. Matching folds case and accents and is never fuzzy: `vs20` does not find
//! items that are only in VS21. An item in a campaign the query names exactly ranks above
//! items that merely mention the word.

use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, ConstScoreQuery, Occur, Query, QueryParser, QueryParserError, TermQuery,
};
use tantivy::schema::IndexRecordOption;
use tantivy::{TantivyDocument, Term};

use crate::index::{ArchiveIndex, IndexError};
use crate::model::Item;

/// Added to the score of items in a campaign the query names: larger than any text score, so
/// the campaign's own items come first.
const CAMPAIGN_BONUS: f32 = 1_000.0;

/// The fields a query can name, as the help lists them.
pub const SEARCHABLE_FIELDS: [&str; 11] = [
    "title",
    "description",
    "campaign",
    "kind",
    "tag",
    "creator",
    "license",
    "source",
    "collection",
    "taken",
    "published",
];

/// One result.
#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    /// Relevance; higher is better.
    pub score: f32,
    /// The item found.
    pub item: Item,
}

/// What a search found.
#[derive(Clone, Debug, PartialEq)]
pub struct Results {
    /// How many items match in all, beyond the ones returned.
    pub total: usize,
    /// The best matches, best first.
    pub hits: Vec<Hit>,
}

/// Why a search failed.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// The query could not be understood.
    #[error("{0}")]
    Query(String),
    /// The index could not be read.
    #[error(transparent)]
    Index(#[from] IndexError),
}

impl From<tantivy::TantivyError> for SearchError {
    fn from(error: tantivy::TantivyError) -> Self {
        SearchError::Index(IndexError::Tantivy(error))
    }
}

/// Runs `text` against the index and returns the `limit` best items.
///
/// An empty query matches everything.
///
/// # Errors
/// [`SearchError::Query`] with a readable explanation when the query is malformed.
pub fn search(index: &ArchiveIndex, text: &str, limit: usize) -> Result<Results, SearchError> {
    let query = parse(index, text)?;
    let reader = index.reader()?;
    let searcher = reader.searcher();
    let collector = (TopDocs::with_limit(limit.max(1)).order_by_score(), Count);
    let (top, total) = searcher.search(&*query, &collector)?;
    let mut hits = Vec::with_capacity(top.len().min(limit));
    for (score, address) in top.into_iter().take(limit) {
        let doc: TantivyDocument = searcher.doc(address)?;
        if let Some(item) = crate::index::item_of(&doc, index) {
            hits.push(Hit { score, item });
        }
    }
    Ok(Results { total, hits })
}

fn parse(index: &ArchiveIndex, text: &str) -> Result<Box<dyn Query>, SearchError> {
    if text.trim().is_empty() {
        return Ok(Box::new(AllQuery));
    }
    let fields = index.fields();
    let mut parser = QueryParser::for_index(
        index.tantivy(),
        vec![
            fields.title,
            fields.description,
            fields.tag,
            fields.campaign,
            fields.creator,
            fields.collection,
        ],
    );
    parser.set_conjunction_by_default();
    parser.set_field_boost(fields.title, 2.0);
    let parsed = parser.parse_query(text).map_err(|e| explain(text, &e))?;
    Ok(with_campaign_bonus(parsed, fields.campaign))
}

/// Keeps the query's matches as they are, and lifts the items of any campaign it names.
fn with_campaign_bonus(parsed: Box<dyn Query>, campaign: tantivy::schema::Field) -> Box<dyn Query> {
    let mut named: Vec<Term> = Vec::new();
    parsed.query_terms(&mut |term, _| {
        if term.field() == campaign && !named.contains(term) {
            named.push(term.clone());
        }
    });
    if named.is_empty() {
        return parsed;
    }
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, parsed)];
    for term in named {
        let in_campaign = TermQuery::new(term, IndexRecordOption::Basic);
        clauses.push((
            Occur::Should,
            Box::new(ConstScoreQuery::new(Box::new(in_campaign), CAMPAIGN_BONUS)),
        ));
    }
    Box::new(BooleanQuery::new(clauses))
}

fn explain(query: &str, error: &QueryParserError) -> SearchError {
    let message = match error {
        QueryParserError::FieldDoesNotExist(field) => format!(
            "unknown field `{field}:` in `{query}`; the fields are {}. \
             To search for the text itself, put it in quotes.",
            SEARCHABLE_FIELDS.join(", ")
        ),
        QueryParserError::FieldNotIndexed(field) => format!(
            "`{field}:` cannot be searched; the fields are {}",
            SEARCHABLE_FIELDS.join(", ")
        ),
        QueryParserError::SyntaxError(_) => {
            format!("cannot read the query `{query}`: check its quotes, brackets and parentheses")
        }
        QueryParserError::AllButQueryForbidden => format!(
            "the query `{query}` only excludes things (`-word`, `NOT word`); add something to \
             search for"
        ),
        QueryParserError::DateFormatError(_) => {
            format!("a date in `{query}` is not understood; write dates as 2018-12-18T00:00:00Z")
        }
        other => format!("cannot run the query `{query}`: {other}"),
    };
    SearchError::Query(message)
}

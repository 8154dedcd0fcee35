//! The user's query, parsed: rewriting, Tantivy's parser, readable errors, campaign bonus.

use tantivy::Term;
use tantivy::query::{
    AllQuery, BooleanQuery, ConstScoreQuery, Occur, Query, QueryParser, QueryParserError, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TokenStream;

use super::{SEARCHABLE_FIELDS, SearchError, rewrite};
use crate::index::ArchiveIndex;
use crate::index::schema::FOLDED;

/// Added to the score of items in a campaign the query names: larger than any text score, so
/// the campaign's own items come first.
const CAMPAIGN_BONUS: f32 = 1_000.0;

/// The fields plain words search, as the query language names them.
pub(crate) const DEFAULT_FIELDS: [&str; 6] = [
    "title",
    "description",
    "tag",
    "campaign",
    "creator",
    "collection",
];

/// A query ready to run, and the part of it that can be highlighted.
pub(crate) struct Parsed {
    /// What the words match, with the campaign bonus.
    pub(crate) query: Box<dyn Query>,
    /// Whether the user typed anything to match (an empty query or `*` matches everything).
    pub(crate) has_words: bool,
}

/// Parses the user's query. An empty query matches everything.
///
/// # Errors
/// [`SearchError::Query`] with a readable explanation when the query is malformed.
pub(crate) fn parse(index: &ArchiveIndex, text: &str) -> Result<Parsed, SearchError> {
    let trimmed = text.trim();
    if trimmed.is_empty() || trimmed == "*" {
        return Ok(Parsed {
            query: Box::new(AllQuery),
            has_words: false,
        });
    }
    let fold = |word: &str| fold(index, word);
    let rewritten =
        rewrite::rewrite(trimmed, &fold, &DEFAULT_FIELDS).map_err(SearchError::Query)?;
    let fields = index.fields();
    let mut parser = QueryParser::for_index(index.tantivy(), fields.searched_by_words().to_vec());
    parser.set_conjunction_by_default();
    parser.set_field_boost(fields.title, 2.0);
    // Prefixes (`soyu*`) arrive as regexes from the rewriting.
    parser.allow_regexes();
    let parsed = parser
        .parse_query(&rewritten)
        .map_err(|e| explain(trimmed, &e))?;
    Ok(Parsed {
        query: with_campaign_bonus(parsed, fields.campaign),
        has_words: true,
    })
}

/// The word as the index folded it, when it is exactly one word.
fn fold(index: &ArchiveIndex, word: &str) -> Option<String> {
    let mut analyzer = index.tantivy().tokenizers().get(FOLDED)?;
    let mut stream = analyzer.token_stream(word);
    let mut tokens = Vec::new();
    while stream.advance() {
        tokens.push(stream.token().text.clone());
    }
    match <[String; 1]>::try_from(tokens) {
        Ok([one]) => Some(one),
        Err(_) => None,
    }
}

/// Keeps the query's matches as they are, and lifts the items of any campaign it names.
fn with_campaign_bonus(parsed: Box<dyn Query>, campaign: Field) -> Box<dyn Query> {
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
    let fields = SEARCHABLE_FIELDS.join(", ");
    let message = match error {
        QueryParserError::FieldDoesNotExist(field) => format!(
            "unknown field `{field}:` in `{query}`; the fields are {fields}. To search for the \
             text itself, put it in quotes."
        ),
        QueryParserError::FieldNotIndexed(field) => {
            format!("`{field}:` cannot be searched; the fields are {fields}")
        }
        QueryParserError::SyntaxError(_) => {
            format!("cannot read the query `{query}`: check its quotes, brackets and parentheses")
        }
        QueryParserError::AllButQueryForbidden => format!(
            "the query `{query}` only excludes things (`-word`, `NOT word`); add something to \
             search for"
        ),
        QueryParserError::DateFormatError(_) => format!(
            "a date in `{query}` is not understood; write dates as 2018-12-18, 2018-12, 2018 or \
             2018-12-18T15:54:37Z"
        ),
        QueryParserError::RangeMustNotHavePhrase => {
            format!("a range in `{query}` has a quoted bound; write ranges as [a TO b]")
        }
        QueryParserError::UnsupportedQuery(reason) if reason.contains("specific field") => {
            format!("a range in `{query}` needs a field, as in taken:[2018-12-18 TO 2018-12-20]")
        }
        QueryParserError::UnsupportedQuery(reason) if reason.contains("regex") => {
            format!("a pattern in `{query}` is not understood: {reason}")
        }
        QueryParserError::FieldDoesNotHavePositionsIndexed(field) => {
            format!("`{field}:` takes one whole value, not a phrase; write {field}:value")
        }
        other => format!("cannot run the query `{query}`: {other}"),
    };
    SearchError::Query(message)
}

//! The user's query, parsed: rewriting, Tantivy's parser, readable errors, campaign words.

use tantivy::Searcher;
use tantivy::query::{AllQuery, Query, QueryParser, QueryParserError};
use tantivy::tokenizer::TokenStream;

use super::{SEARCHABLE_FIELDS, SearchError, campaign_words, rewrite};
use crate::index::ArchiveIndex;
use crate::index::schema::{FOLDED, TEXT};

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
pub(crate) fn parse(
    index: &ArchiveIndex,
    searcher: &Searcher,
    text: &str,
) -> Result<Parsed, SearchError> {
    let trimmed = text.trim();
    if trimmed.is_empty() || trimmed == "*" {
        return Ok(Parsed {
            query: Box::new(AllQuery),
            has_words: false,
        });
    }
    let fold = |word: &str| fold(index, word);
    let rewritten = rewrite::rewrite(trimmed, &fold, &[TEXT]).map_err(SearchError::Query)?;
    let fields = index.fields();
    let mut parser = QueryParser::for_index(index.tantivy(), vec![fields.text]);
    parser.set_conjunction_by_default();
    // Prefixes (`soyu*`) arrive as regexes from the rewriting.
    parser.allow_regexes();
    let parsed = parser
        .parse_query(&rewritten)
        .map_err(|e| explain(trimmed, &e))?;
    Ok(Parsed {
        query: campaign_words::with_campaigns(parsed, searcher, fields)?,
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

//! The user's query, parsed: a first pass over its characters, Tantivy's grammar, the
//! syntax tree rewritten, the query built from the tree, the campaign bonus added.

use tantivy::Searcher;
use tantivy::query::{
    AllQuery, BooleanQuery, Occur as TantivyOccur, Query, QueryParser, QueryParserError,
};
use tantivy_query_grammar::{Occur, UserInputAst, UserInputLeaf};

use super::error::{QueryError, QueryErrorKind};
use super::leaf::Leaves;
use super::scan::{Scanned, scan};
use super::window::DateWindow;
use super::{SearchError, campaign_words, tree};
use crate::index::ArchiveIndex;

/// A query ready to run, and the part of it that can be highlighted.
pub(crate) struct Parsed {
    /// What the words match, with the campaign bonus.
    pub(crate) query: Box<dyn Query>,
    /// Whether the user typed anything to match (an empty query or `*` matches everything).
    pub(crate) has_words: bool,
    /// Whether every match costs a check (a phrase, a range, a prefix), so that finding the
    /// best hits visits every match anyway and cannot skip blocks.
    pub(crate) checks_every_match: bool,
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
    let query = text.trim();
    if query.is_empty() || query == "*" {
        return Ok(Parsed {
            query: Box::new(AllQuery),
            has_words: false,
            checks_every_match: true,
        });
    }
    let scanned = scan(query)?;
    let tree = tantivy_query_grammar::parse_query(&scanned.text)
        .map_err(|_| unreadable(query, &scanned))?;
    let mut leaves = Leaves::new(index, searcher, query);
    let (rest, windows) = lift_windows(tree, &mut leaves)?;
    let built = match rest {
        Some(rest) => {
            let rest = tree::rewrite(rest, &mut |leaf| leaves.rewrite(leaf))?;
            build(index, rest).map_err(|e| explain(query, e))?
        }
        None => Box::new(AllQuery),
    };
    let built = within(built, windows);
    Ok(Parsed {
        query: campaign_words::with_bonus(built, leaves.campaigns),
        has_words: true,
        checks_every_match: leaves.checks_every_match,
    })
}

/// Takes the date windows that every match must be in (`taken:2018` beside the words, not
/// under an OR) out of the tree, to be searched as [`DateWindow`]s; the rest of the tree, if
/// any is left, stays as it was.
fn lift_windows(
    tree: UserInputAst,
    leaves: &mut Leaves<'_>,
) -> Result<(Option<UserInputAst>, Vec<DateWindow>), SearchError> {
    let mut windows = Vec::new();
    match tree {
        UserInputAst::Leaf(leaf) => match leaves.window(&leaf) {
            Some(window) => {
                windows.push(window?);
                Ok((None, windows))
            }
            None => Ok((Some(UserInputAst::Leaf(leaf)), windows)),
        },
        UserInputAst::Clause(clauses)
            if !clauses.iter().any(|(o, _)| *o == Some(Occur::Should)) =>
        {
            let required = |o: &Option<Occur>| matches!(o, None | Some(Occur::Must));
            let mut rest = Vec::with_capacity(clauses.len());
            for (occur, clause) in clauses {
                if let (true, UserInputAst::Leaf(leaf)) = (required(&occur), &clause)
                    && let Some(window) = leaves.window(leaf)
                {
                    windows.push(window?);
                    continue;
                }
                rest.push((occur, clause));
            }
            if rest.is_empty() {
                return Ok((None, windows));
            }
            if !windows.is_empty() && !rest.iter().any(|(o, _)| required(o)) {
                // Exclusions alone match nothing: everything is what they take away from.
                rest.push((Some(Occur::Must), UserInputLeaf::All.into()));
            }
            Ok((Some(UserInputAst::Clause(rest)), windows))
        }
        other => Ok((Some(other), windows)),
    }
}

/// The query, restricted to every window.
fn within(query: Box<dyn Query>, windows: Vec<DateWindow>) -> Box<dyn Query> {
    if windows.is_empty() {
        return query;
    }
    let mut clauses = vec![(TantivyOccur::Must, query)];
    clauses.extend(
        windows
            .into_iter()
            .map(|w| (TantivyOccur::Must, Box::new(w) as Box<dyn Query>)),
    );
    Box::new(BooleanQuery::new(clauses))
}

/// The query Tantivy builds from the rewritten tree.
///
/// Tantivy's own builder resolves the fields, runs each field's analyzer and turns dates
/// into terms; every leaf of the rewritten tree is one it knows, so the tree is handed over
/// whole rather than written back out as text.
fn build(index: &ArchiveIndex, tree: UserInputAst) -> Result<Box<dyn Query>, QueryParserError> {
    let mut parser = QueryParser::for_index(index.tantivy(), vec![index.fields().text]);
    parser.set_conjunction_by_default();
    // Prefixes arrive as patterns from the rewriting; a pattern the user writes was refused.
    parser.allow_regexes();
    parser.build_query_from_user_input_ast(tree)
}

/// Why the grammar could not read the query: the first unbalanced quote, parenthesis,
/// bracket or operator, else where the grammar's lenient reading stumbles.
fn unreadable(query: &str, scanned: &Scanned) -> QueryError {
    if let Some((kind, at)) = scanned.flaw.clone() {
        return QueryError::new(kind, query, Some(at));
    }
    let (_, errors) = tantivy_query_grammar::parse_query_lenient(&scanned.text);
    match errors.into_iter().next() {
        Some(error) => QueryError::new(
            QueryErrorKind::Syntax(Some(error.message)),
            query,
            Some(scanned.position(error.pos)),
        ),
        None => QueryError::new(QueryErrorKind::Syntax(None), query, None),
    }
}

/// What Tantivy's builder refused, as a kind of error.
fn explain(query: &str, error: QueryParserError) -> SearchError {
    use QueryErrorKind as K;
    let kind = match error {
        QueryParserError::FieldDoesNotExist(field) => K::UnknownField(field),
        QueryParserError::FieldNotIndexed(field) => K::NotSearchable(field),
        QueryParserError::AllButQueryForbidden => K::OnlyExcludes,
        QueryParserError::FieldDoesNotHavePositionsIndexed(field) => K::WholeValue(field),
        QueryParserError::UnsupportedQuery(reason) if reason.contains("specific field") => {
            K::RangeWithoutField
        }
        other => K::Other(other.to_string()),
    };
    SearchError::Query(QueryError::located(kind, query))
}

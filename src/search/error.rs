//! Why a query or a filter cannot be run, with where in the query the trouble is.

use std::fmt;
use unicode_width::UnicodeWidthStr;

use super::SEARCHABLE_FIELDS;
use super::limits::{MAX_DEPTH, MAX_EXPANSIONS, MAX_WORDS};

/// A query that cannot be run: what is wrong, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueryError {
    /// What is wrong.
    pub kind: QueryErrorKind,
    /// The query, as read (without surrounding spaces); empty for a filter.
    pub query: String,
    /// Where the trouble starts: a character position in `query`, from 0.
    pub at: Option<usize>,
}

/// What is wrong with a query.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum QueryErrorKind {
    /// A `"` opens a phrase that never ends.
    UnclosedQuote,
    /// A `(` is never closed.
    UnclosedParenthesis,
    /// A `)` closes nothing.
    UnopenedParenthesis,
    /// A range's `[` or `{` is never closed.
    UnclosedRange,
    /// A `]` or `}` closes no range.
    UnopenedRange,
    /// `AND`, `OR` or `NOT` with nothing to apply to.
    DanglingOperator(String),
    /// Anything else the grammar cannot read, with what it expected when known.
    Syntax(Option<String>),
    /// Parentheses and `NOT`s nested more than [`MAX_DEPTH`] deep.
    TooDeep,
    /// More than [`MAX_WORDS`] words.
    TooManyWords,
    /// More than [`MAX_EXPANSIONS`] prefixes and ranges over words.
    TooManyExpansions,
    /// A field the index does not have.
    UnknownField(String),
    /// A field the index keeps but cannot search.
    NotSearchable(String),
    /// `field:*` on a field that cannot tell which items have a value.
    AnyValue(String),
    /// Only exclusions, nothing to look for.
    OnlyExcludes,
    /// A value in a date field that is not a date.
    BadDate {
        /// The date field.
        field: String,
        /// What was written as a date.
        value: String,
    },
    /// A prefix of fewer than two letters (`s*`).
    ShortPrefix(String),
    /// A regular expression (`/soy.*/`): not part of the query language.
    Pattern,
    /// A range without a field (`[a TO b]`).
    RangeWithoutField,
    /// A phrase in a field that holds one whole value.
    WholeValue(String),
    /// A filter (`--since`, `--license`) that cannot hold; the message says why.
    Filter(String),
    /// Anything else, as Tantivy explains it.
    Other(String),
}

impl QueryError {
    /// An error in `query`, at a character position when known.
    pub(crate) fn new(kind: QueryErrorKind, query: &str, at: Option<usize>) -> Self {
        QueryError {
            kind,
            query: query.to_string(),
            at,
        }
    }

    /// An error in `query`, at the first place the query writes what the error is about.
    pub(crate) fn located(kind: QueryErrorKind, query: &str) -> Self {
        let at = kind
            .needle()
            .and_then(|needle| query.find(&needle))
            .map(|byte| query[..byte].chars().count());
        QueryError::new(kind, query, at)
    }

    /// An error in a filter rather than in the query.
    pub(crate) fn filter(message: String) -> Self {
        QueryError::new(QueryErrorKind::Filter(message), "", None)
    }

    /// Whether the query's structure is at fault (quotes, parentheses, operators), rather
    /// than one of its values.
    fn is_syntax(&self) -> bool {
        use QueryErrorKind as K;
        matches!(
            self.kind,
            K::UnclosedQuote
                | K::UnclosedParenthesis
                | K::UnopenedParenthesis
                | K::UnclosedRange
                | K::UnopenedRange
                | K::DanglingOperator(_)
                | K::Syntax(_)
        )
    }

    /// What went wrong, in one sentence, without the marker.
    fn sentence(&self) -> String {
        use QueryErrorKind as K;
        let query = quoted(&self.query);
        let fields = SEARCHABLE_FIELDS.join(", ");
        match &self.kind {
            kind if self.is_syntax() => format!(
                "cannot read the query {query}: check its quotes, brackets and parentheses{}",
                self.detail(kind)
            ),
            K::TooDeep => format!(
                "the query nests parentheses and NOTs more than {MAX_DEPTH} deep; write it flatter"
            ),
            K::TooManyWords => {
                format!("the query has more than {MAX_WORDS} words; search for fewer")
            }
            K::TooManyExpansions => format!(
                "the query has more than {MAX_EXPANSIONS} prefixes (`word*`) and ranges over \
                 words, each of which reads many words of the index; use fewer"
            ),
            K::UnknownField(field) => format!(
                "unknown field `{field}:` in {query}; the fields are {fields}. To search for the \
                 text itself, put it in quotes."
            ),
            K::NotSearchable(field) => {
                format!("`{field}:` cannot be searched; the fields are {fields}")
            }
            K::AnyValue(field) => format!(
                "`{field}:*` cannot be searched: `field:*` finds the items that have any value \
                 only in campaign, kind, source, license, taken, published and date"
            ),
            K::OnlyExcludes => format!(
                "the query {query} only excludes things (`-word`, `NOT word`); add something to \
                 search for"
            ),
            K::BadDate { field, value } => format!(
                "a date in `{field}:{value}` is not understood: `{value}` is not a date; write \
                 2018-12-18, 2018-12 or 2018 (whole days, months or years, UTC), or an instant \
                 such as 2018-12-18T15:54:37Z"
            ),
            K::ShortPrefix(word) => {
                format!("the prefix `{word}` is too short: give at least two letters before `*`")
            }
            K::Pattern => format!(
                "patterns such as /soy.*/ in {query} are not part of the query language; write \
                 soy* for the words that start with soy"
            ),
            K::RangeWithoutField => {
                format!("a range in {query} needs a field, as in taken:[2018-12-18 TO 2018-12-20]")
            }
            K::WholeValue(field) => {
                format!("`{field}:` takes one whole value, not a phrase; write {field}:value")
            }
            K::Filter(message) => message.clone(),
            K::Other(reason) => format!("cannot run the query {query}: {reason}"),
            _ => format!("cannot run the query {query}"),
        }
    }

    /// The end of a syntax error's sentence: what is unbalanced, and where.
    fn detail(&self, kind: &QueryErrorKind) -> String {
        use QueryErrorKind as K;
        let at = self
            .at
            .map_or(String::new(), |at| format!(" at character {}", at + 1));
        match kind {
            K::UnclosedQuote => format!(": the quote{at} is never closed"),
            K::UnclosedParenthesis => format!(": the parenthesis{at} is never closed"),
            K::UnopenedParenthesis => format!(": the parenthesis{at} closes nothing"),
            K::UnclosedRange => format!(": the range{at} is never closed with ] or }}"),
            K::UnopenedRange => format!(": the bracket{at} closes no range"),
            K::DanglingOperator(word) => format!(": `{word}`{at} has nothing to apply to"),
            K::Syntax(Some(expected)) => format!(": {expected}{at}"),
            _ => String::new(),
        }
    }
}

impl QueryErrorKind {
    /// What the query wrote that this error is about, to find it there.
    fn needle(&self) -> Option<String> {
        use QueryErrorKind as K;
        match self {
            K::UnknownField(field)
            | K::NotSearchable(field)
            | K::AnyValue(field)
            | K::WholeValue(field) => Some(format!("{field}:")),
            K::BadDate { value, .. } => Some(value.clone()),
            K::ShortPrefix(word) => Some(word.clone()),
            K::Pattern => Some("/".into()),
            _ => None,
        }
    }
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.sentence())?;
        if let Some(at) = self.at {
            let (excerpt, offset) = excerpt(&self.query, at);
            write!(f, "\n  {excerpt}\n  {}^", " ".repeat(offset))?;
        }
        Ok(())
    }
}

impl std::error::Error for QueryError {}

/// Characters shown on each side of the marker: a query of ten thousand words is not
/// printed whole.
const CONTEXT: usize = 30;

/// The query in backticks, cut when long.
fn quoted(query: &str) -> String {
    if query.chars().count() <= 2 * CONTEXT {
        return format!("`{query}`");
    }
    let start: String = query.chars().take(2 * CONTEXT).collect();
    format!("`{start}…`")
}

/// The part of the query around character `at`, and the column of `at` in it.
fn excerpt(query: &str, at: usize) -> (String, usize) {
    let chars: Vec<char> = query.chars().collect();
    let at = at.min(chars.len());
    let start = at.saturating_sub(CONTEXT);
    let end = (at + CONTEXT).min(chars.len());
    let before: String = chars[start..at].iter().collect();
    let rest: String = chars[at..end].iter().collect();
    let (open, close) = (
        if start > 0 { "…" } else { "" },
        if end < chars.len() { "…" } else { "" },
    );
    let offset = format!("{open}{before}").width();
    (format!("{open}{before}{rest}{close}"), offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_marker_points_at_the_position() {
        let error = QueryError::new(QueryErrorKind::UnclosedParenthesis, "title:(soyuz", Some(6));
        let text = error.to_string();
        assert!(
            text.contains("the parenthesis at character 7 is never closed"),
            "{text}"
        );
        assert!(text.ends_with("\n  title:(soyuz\n        ^"), "{text}");
    }

    #[test]
    fn long_queries_are_cut_around_the_position() {
        let query = format!("{}\"{}", "a ".repeat(100), "b ".repeat(100));
        let error = QueryError::new(QueryErrorKind::UnclosedQuote, &query, Some(200));
        let text = error.to_string();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3, "{text}");
        assert!(lines[1].chars().count() < 2 * CONTEXT + 6, "{text}");
        let column = lines[2].chars().position(|c| c == '^').unwrap();
        assert_eq!(lines[1].chars().nth(column), Some('"'), "{text}");
    }

    #[test]
    fn filters_say_only_their_message() {
        let error = QueryError::filter("--since 2018 is not before --until 2017".into());
        assert_eq!(error.to_string(), "--since 2018 is not before --until 2017");
    }
}

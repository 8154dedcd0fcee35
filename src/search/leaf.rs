//! What the query language adds to Tantivy's, rewritten leaf by leaf on the syntax tree:
//!
//! - Bare dates in date fields stand for the whole day, month or year, and find the dates
//!   whose whole span lies within: `taken:2018-12-18` finds what was taken that day, not a
//!   photo dated only "2018"; range bounds and comparisons work the same way, so
//!   `[2018-12-18 TO 2018-12-20]` includes all of the 20th.
//! - `soyu*` matches the words that start with `soyu` as the index folded them (`Fus*` finds
//!   "fusée"); a prefix of several words (`cso-1*`) is Tantivy's phrase prefix.
//! - A word or phrase that names a campaign also matches the campaign's items.
//! - `field:*` finds the items with any value, where a fast column can tell.
//!
//! Fields are checked here, so an unknown one is named before anything runs.

use chrono::{DateTime, Utc};
use tantivy::Searcher;
use tantivy::schema::{FieldEntry, FieldType, Schema};
use tantivy::tokenizer::TokenizerManager;
use tantivy_query_grammar::{
    Delimiter, UserInputAst, UserInputBound, UserInputLeaf, UserInputLiteral,
};

use super::dates::{Period, rfc3339};
use super::error::{QueryError, QueryErrorKind};
use super::limits::MAX_EXPANSIONS;
use super::window::DateWindow;
use super::{SearchError, campaign_words};
use crate::index::schema::{END, TEXT, columns};
use crate::index::{ArchiveIndex, Fields};

/// Rewrites the leaves of one query, and gathers what the query names along the way.
pub(crate) struct Leaves<'a> {
    query: &'a str,
    schema: Schema,
    tokenizers: &'a TokenizerManager,
    fields: &'a Fields,
    searcher: &'a Searcher,
    /// Prefixes and ranges over words so far.
    expansions: usize,
    /// The campaigns the query names, for their bonus.
    pub(crate) campaigns: Vec<tantivy::Term>,
    /// Whether a leaf makes every match cost its check whatever the ranking: a phrase's
    /// positions, a range's or a date's column, a prefix's or an `exists`'s set of documents.
    pub(crate) checks_every_match: bool,
}

impl<'a> Leaves<'a> {
    /// A rewriter for `query` (used to locate errors) on this index.
    pub(crate) fn new(index: &'a ArchiveIndex, searcher: &'a Searcher, query: &'a str) -> Self {
        Leaves {
            query,
            schema: index.tantivy().schema(),
            tokenizers: index.tantivy().tokenizers(),
            fields: index.fields(),
            searcher,
            expansions: 0,
            campaigns: Vec::new(),
            checks_every_match: false,
        }
    }

    /// The leaf in syntax Tantivy builds a query from.
    ///
    /// # Errors
    /// [`SearchError::Query`] for an unknown field, a date that is not one, a prefix too
    /// short, too many prefixes or a pattern; [`SearchError::Index`] when the index cannot
    /// be read.
    pub(crate) fn rewrite(&mut self, leaf: UserInputLeaf) -> Result<UserInputAst, SearchError> {
        self.checks_every_match |= match &leaf {
            // More than one word (quoted, or joined like `CSO-1`) is a phrase.
            UserInputLeaf::Literal(literal) => {
                literal.prefix
                    || literal.delimiter != Delimiter::None
                    || literal.phrase.chars().any(|c| !c.is_alphanumeric())
            }
            _ => true,
        };
        let ast = match leaf {
            UserInputLeaf::Literal(literal) => self.literal(literal)?,
            UserInputLeaf::Range {
                field,
                lower,
                upper,
            } => self.range(field, lower, upper)?,
            UserInputLeaf::Exists { field } => self.exists(field)?,
            UserInputLeaf::Regex { .. } => return Err(self.refuse(QueryErrorKind::Pattern)),
            other @ (UserInputLeaf::All | UserInputLeaf::Set { .. }) => other.into(),
        };
        Ok(ast)
    }

    fn literal(&mut self, literal: UserInputLiteral) -> Result<UserInputAst, SearchError> {
        let literal = with_word_prefix(literal);
        let name = literal.field_name.clone().unwrap_or_else(|| TEXT.into());
        let entry = self.entry(&name)?;
        if let FieldType::Date(_) = entry.field_type() {
            self.checks_every_match = true;
            return date_literal(name, literal).map_err(|kind| self.refuse(kind));
        }
        if literal.prefix {
            return self.prefix(name, &entry, literal);
        }
        let field = self.schema.get_field(&name).ok();
        if field == Some(self.fields.campaign) {
            self.name_campaign(tantivy::Term::from_field_text(
                self.fields.campaign,
                &crate::tag::key(&literal.phrase),
            ));
        } else if field == Some(self.fields.text) {
            return self.campaign_words(literal, &entry);
        }
        Ok(UserInputLeaf::Literal(literal).into())
    }

    /// `soyu*` as a pattern on the folded stem; several words as Tantivy's phrase prefix.
    fn prefix(
        &mut self,
        name: String,
        entry: &FieldEntry,
        literal: UserInputLiteral,
    ) -> Result<UserInputAst, SearchError> {
        self.expand()?;
        let words = self.words(entry, &literal.phrase);
        Ok(match words.as_deref() {
            Some([stem]) if stem.chars().count() >= 2 => UserInputLeaf::Regex {
                field: Some(name),
                pattern: format!("{}.*", regex::escape(stem)),
            }
            .into(),
            Some([_, _, ..]) | None => UserInputLeaf::Literal(literal).into(),
            Some(_) => {
                let field = literal.field_name.map_or(String::new(), |f| f + ":");
                let written = format!("{field}{}*", literal.phrase);
                return Err(self.refuse(QueryErrorKind::ShortPrefix(written)));
            }
        })
    }

    /// A word or phrase of the catch-all field, widened when it names a campaign.
    fn campaign_words(
        &mut self,
        literal: UserInputLiteral,
        entry: &FieldEntry,
    ) -> Result<UserInputAst, SearchError> {
        let words = self.words(entry, &literal.phrase).unwrap_or_default();
        let Some(campaign) = campaign_words::named_by(&words, self.searcher, self.fields)? else {
            return Ok(UserInputLeaf::Literal(literal).into());
        };
        let field = self.schema.get_field_name(self.fields.campaign).to_string();
        let widened = campaign_words::widened(literal, field, &campaign);
        self.name_campaign(campaign);
        Ok(widened)
    }

    fn name_campaign(&mut self, campaign: tantivy::Term) {
        if !campaign.value().as_str().unwrap_or_default().is_empty()
            && !self.campaigns.contains(&campaign)
        {
            self.campaigns.push(campaign);
        }
    }

    fn range(
        &mut self,
        field: Option<String>,
        lower: UserInputBound,
        upper: UserInputBound,
    ) -> Result<UserInputAst, SearchError> {
        let Some(name) = field else {
            return Err(self.refuse(QueryErrorKind::RangeWithoutField));
        };
        let entry = self.entry(&name)?;
        if let FieldType::Date(_) = entry.field_type() {
            return date_window(&name, lower, upper).map_err(|kind| self.refuse(kind));
        }
        self.expand()?;
        Ok(UserInputLeaf::Range {
            field: Some(name),
            lower,
            upper,
        }
        .into())
    }

    /// `field:*`: the items with any value in the field, which only a fast column can tell
    /// without reading every word of the field.
    fn exists(&mut self, name: String) -> Result<UserInputAst, SearchError> {
        let entry = self.entry(&name)?;
        let column = if self.schema.get_field(&name).ok() == Some(self.fields.campaign) {
            columns::CAMPAIGN.to_string()
        } else if entry.is_fast() {
            name
        } else {
            return Err(self.refuse(QueryErrorKind::AnyValue(name)));
        };
        Ok(UserInputLeaf::Exists { field: column }.into())
    }

    /// The field the index has under this name, if it can be searched.
    fn entry(&self, name: &str) -> Result<FieldEntry, SearchError> {
        let Ok(field) = self.schema.get_field(name) else {
            return Err(self.refuse(QueryErrorKind::UnknownField(name.into())));
        };
        let entry = self.schema.get_field_entry(field);
        if !entry.is_indexed() {
            return Err(self.refuse(QueryErrorKind::NotSearchable(name.into())));
        }
        Ok(entry.clone())
    }

    /// The words of `text` as the field's analyzer indexes them; `None` for a field without
    /// one.
    fn words(&self, entry: &FieldEntry, text: &str) -> Option<Vec<String>> {
        let FieldType::Str(options) = entry.field_type() else {
            return None;
        };
        let tokenizer = options.get_indexing_options()?.tokenizer();
        let mut analyzer = self.tokenizers.get(tokenizer)?;
        let mut stream = analyzer.token_stream(text);
        let mut words = Vec::new();
        stream.process(&mut |token| words.push(token.text.clone()));
        Some(words)
    }

    /// Counts one more prefix or range over words.
    fn expand(&mut self) -> Result<(), SearchError> {
        self.expansions += 1;
        if self.expansions > MAX_EXPANSIONS {
            return Err(self.refuse(QueryErrorKind::TooManyExpansions));
        }
        Ok(())
    }

    /// A date leaf (`taken:2018`, `published:[2018-01 TO 2018-06]`) as a [`DateWindow`];
    /// `None` for any other leaf, for a field without an `_end` twin, and for a range open at
    /// both ends (which means "has a date"). Its errors are the rewriting's.
    pub(crate) fn window(
        &mut self,
        leaf: &UserInputLeaf,
    ) -> Option<Result<DateWindow, SearchError>> {
        use UserInputBound::Inclusive;
        let (name, lower, upper) = match leaf {
            UserInputLeaf::Range {
                field: Some(name),
                lower,
                upper,
            } => (name, lower.clone(), upper.clone()),
            UserInputLeaf::Literal(literal) if !with_word_prefix(literal.clone()).prefix => {
                let value = literal.phrase.trim().to_string();
                let name = literal.field_name.as_ref()?;
                (name, Inclusive(value.clone()), Inclusive(value))
            }
            _ => return None,
        };
        let field = self.schema.get_field(name).ok()?;
        let entry = self.schema.get_field_entry(field);
        let twin = self.schema.get_field(&format!("{name}{END}"));
        if !matches!(entry.field_type(), FieldType::Date(_)) || !entry.is_indexed() || twin.is_err()
        {
            return None;
        }
        let (from, by) = match window_bounds(name, &lower, &upper) {
            Ok(bounds) => bounds,
            Err(kind) => return Some(Err(self.refuse(kind))),
        };
        let window = DateWindow::new(name, from, by)?;
        self.checks_every_match = true;
        Some(Ok(window))
    }

    fn refuse(&self, kind: QueryErrorKind) -> SearchError {
        SearchError::Query(QueryError::located(kind, self.query))
    }
}

/// The grammar flags a prefix only after a phrase (`"big bad wo"*`) and leaves `soyu*` a
/// word that ends with `*`; both are prefixes here. `soyu\*` is the word itself.
fn with_word_prefix(mut literal: UserInputLiteral) -> UserInputLiteral {
    if literal.delimiter == Delimiter::None
        && let Some(stem) = literal.phrase.strip_suffix('*')
        && !stem.ends_with('\\')
    {
        literal.phrase.truncate(stem.len());
        literal.prefix = true;
    }
    literal
}

/// `field:2018-12-18`: the dates whose whole span lies in that day. An instant is a span of
/// one second, so `taken:2018-12-18T15:54:37Z` finds that second and nothing vaguer.
fn date_literal(field: String, literal: UserInputLiteral) -> Result<UserInputAst, QueryErrorKind> {
    if literal.prefix {
        return Err(QueryErrorKind::BadDate {
            value: format!("{}*", literal.phrase),
            field,
        });
    }
    let value = literal.phrase.trim().to_string();
    date_window(
        &field,
        UserInputBound::Inclusive(value.clone()),
        UserInputBound::Inclusive(value),
    )
}

/// A date range as the dates whose whole span lies in it: each starts at or after the lower
/// bound and ends by the upper one (in the field's `_end` twin). So `[2018-12-18 TO
/// 2018-12-20]` includes all of the 20th, `{2018-12-18` starts after the 18th, and a photo
/// dated only "1950" is found by `taken:1950` but not by `taken:1950-01-01`.
fn date_window(
    field: &str,
    lower: UserInputBound,
    upper: UserInputBound,
) -> Result<UserInputAst, QueryErrorKind> {
    use UserInputBound::{Inclusive, Unbounded};
    let (from, by) = window_bounds(field, &lower, &upper)?;
    let range = |name: String, lower, upper| -> UserInputAst {
        UserInputLeaf::Range {
            field: Some(name),
            lower,
            upper,
        }
        .into()
    };
    let mut conditions = Vec::new();
    if let Some(from) = from {
        conditions.push(range(
            field.to_string(),
            Inclusive(rfc3339(from)),
            Unbounded,
        ));
    }
    if let Some(by) = by {
        conditions.push(range(
            format!("{field}{END}"),
            Unbounded,
            Inclusive(rfc3339(by)),
        ));
    }
    Ok(match conditions.len() {
        0 => range(field.to_string(), Unbounded, Unbounded),
        1 => conditions.remove(0),
        _ => UserInputAst::Clause(
            conditions
                .into_iter()
                .map(|c| (Some(tantivy_query_grammar::Occur::Must), c))
                .collect(),
        ),
    })
}

/// The first instant a date may start at and the last its span may end by; `None` is open.
type WindowBounds = (Option<DateTime<Utc>>, Option<DateTime<Utc>>);

/// The bounds of the window a range's bounds say (`*` and missing bounds are open).
fn window_bounds(
    field: &str,
    lower: &UserInputBound,
    upper: &UserInputBound,
) -> Result<WindowBounds, QueryErrorKind> {
    use UserInputBound::{Exclusive, Inclusive};
    let period = |value: &str| {
        Period::parse(value).map_err(|_| QueryErrorKind::BadDate {
            field: field.to_string(),
            value: value.to_string(),
        })
    };
    let from = match lower {
        Inclusive(v) if v.trim() != "*" => Some(period(v)?.start),
        Exclusive(v) if v.trim() != "*" => Some(period(v)?.end),
        _ => None,
    };
    let by = match upper {
        Inclusive(v) if v.trim() != "*" => Some(period(v)?.end),
        Exclusive(v) if v.trim() != "*" => Some(period(v)?.start),
        _ => None,
    };
    Ok((from, by))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::{scan::scan, tree};

    /// The rewritten tree of each query, as Tantivy's grammar prints trees.
    fn rewritten(queries: &[&str]) -> Vec<String> {
        let dir = tempfile::tempdir().unwrap();
        let index = ArchiveIndex::open_or_create(dir.path()).unwrap();
        let searcher = index.searcher().unwrap();
        let rewrite = |query: &&str| {
            let scanned = scan(query).unwrap();
            let ast = tantivy_query_grammar::parse_query(&scanned.text).unwrap();
            let mut leaves = Leaves::new(&index, &searcher, query);
            let ast = tree::rewrite(ast, &mut |leaf| leaves.rewrite(leaf));
            format!("{:?}", ast.unwrap())
        };
        queries.iter().map(rewrite).collect()
    }

    #[test]
    fn bare_dates_in_ranges_cover_whole_days() {
        assert_eq!(
            rewritten(&[
                "taken:[2018-12-18 TO 2018-12-20]",
                "vs20 published:{2018-12 TO 2019}",
                "date:[2018-12-18 TO *]",
                "taken:[2018-12-18T10:00:00Z TO 2018-12-18]",
            ]),
            [
                r#"(+"taken":["2018-12-18T00:00:00Z" TO "*"} +"taken_end":{"*" TO "2018-12-21T00:00:00Z"])"#,
                r#"(+vs20 +"published":["2019-01-01T00:00:00Z" TO "*"} +"published_end":{"*" TO "2019-01-01T00:00:00Z"])"#,
                r#""date":["2018-12-18T00:00:00Z" TO "*"}"#,
                r#"(+"taken":["2018-12-18T10:00:00Z" TO "*"} +"taken_end":{"*" TO "2018-12-19T00:00:00Z"])"#,
            ]
        );
    }

    #[test]
    fn dates_and_comparisons_become_windows_on_the_start_and_the_end() {
        assert_eq!(
            rewritten(&[
                "taken:2018-12-18 kind:photo",
                "(taken:>=2018-12 OR published:<2018)",
                "taken:>2018-12-18",
                "taken:<=2018-12-18",
                "taken:2018-12-18T15:54:37Z",
                "taken:\"2018-12-18T16:54:37+01:00\"",
            ]),
            [
                r#"(+"taken":["2018-12-18T00:00:00Z" TO "*"} +"taken_end":{"*" TO "2018-12-19T00:00:00Z"] +"kind":photo)"#,
                r#"(?"taken":["2018-12-01T00:00:00Z" TO "*"} ?"published_end":{"*" TO "2018-01-01T00:00:00Z"])"#,
                r#""taken":["2018-12-19T00:00:00Z" TO "*"}"#,
                r#""taken_end":{"*" TO "2018-12-19T00:00:00Z"]"#,
                r#"(+"taken":["2018-12-18T15:54:37Z" TO "*"} +"taken_end":{"*" TO "2018-12-18T15:54:38Z"])"#,
                r#"(+"taken":["2018-12-18T15:54:37Z" TO "*"} +"taken_end":{"*" TO "2018-12-18T15:54:38Z"])"#,
            ]
        );
    }

    #[test]
    fn phrases_are_left_alone() {
        assert_eq!(
            rewritten(&["\"taken:2018 soyu*\" soyu*", "\"AND NOT\" vs20"]),
            [
                r#"(+"taken:2018 soyu*" +"text":/soyu.*/)"#,
                r#"(+"AND NOT" +vs20)"#,
            ]
        );
    }

    #[test]
    fn prefixes_become_patterns_on_folded_stems() {
        assert_eq!(
            rewritten(&[
                "title:Soyu*",
                "-fusé* vs20",
                "(vs2* OR cso)",
                "cso-1*",
                "l’esp*"
            ]),
            [
                r#""title":/soyu.*/"#,
                r#"(-"text":/fuse.*/ +vs20)"#,
                r#"(?"text":/vs2.*/ ?cso)"#,
                r#"cso-1*"#,
                r#""text":/esp.*/"#,
            ]
        );
    }

    #[test]
    fn any_value_reads_a_fast_column() {
        assert_eq!(
            rewritten(&["campaign:*", "taken:*", "kind:(*)"]),
            [
                r#"$exists("campaign_spelling")"#,
                r#"$exists("taken")"#,
                r#"$exists("kind")"#,
            ]
        );
    }
}

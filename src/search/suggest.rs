//! "Did you mean": when a query finds nothing, the indexed words closest to the words that
//! matched nothing. Suggestions are only shown, never searched instead.

use std::collections::BTreeMap;
use tantivy::collector::Count;
use tantivy::query::{FuzzyTermQuery, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Searcher, Term};

use crate::index::Fields;

/// How many alternatives to offer for one word.
const MAX_ALTERNATIVES: usize = 3;
/// Shorter words get no suggestion: too many words are one letter away from `vs`.
const MIN_LENGTH: usize = 3;
/// Words this long may be two edits away.
const TWO_EDITS_FROM: usize = 5;

/// A word of the query that matched nothing, and indexed words close to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suggestion {
    /// The word as the index would have it (lowercase, without accents).
    pub word: String,
    /// Indexed words one edit away (a swap of two letters counts as one), else two, most
    /// used first.
    pub alternatives: Vec<String>,
}

/// The fields whose words are worth suggesting: what journalists type.
fn dictionaries(fields: &Fields) -> [Field; 4] {
    [fields.title, fields.tag, fields.campaign, fields.creator]
}

/// Suggestions for the words of `query` that no item has in any field a plain word searches.
///
/// # Errors
/// When the index cannot be read.
pub(crate) fn suggest(
    searcher: &Searcher,
    query: &dyn Query,
    fields: &Fields,
) -> tantivy::Result<Vec<Suggestion>> {
    let mut out = Vec::new();
    for word in unknown_words(searcher, query, fields)? {
        let alternatives = alternatives(searcher, &word, fields)?;
        if !alternatives.is_empty() {
            out.push(Suggestion { word, alternatives });
        }
    }
    Ok(out)
}

/// The query's words (in its text fields) that no live item has.
fn unknown_words(
    searcher: &Searcher,
    query: &dyn Query,
    fields: &Fields,
) -> tantivy::Result<Vec<String>> {
    let mut words: Vec<String> = Vec::new();
    query.query_terms(&mut |term, _| {
        if let Some(text) = term.value().as_str()
            && term.field() == fields.text
            && !words.iter().any(|w| w == text)
        {
            words.push(text.to_string());
        }
    });
    let mut unknown = Vec::new();
    for word in words {
        if word.chars().count() < MIN_LENGTH {
            continue;
        }
        if matches(searcher, Term::from_field_text(fields.text, &word))? == 0 {
            unknown.push(word);
        }
    }
    Ok(unknown)
}

/// Live items with the term (term statistics also count deleted items).
fn matches(searcher: &Searcher, term: Term) -> tantivy::Result<usize> {
    searcher.search(&TermQuery::new(term, IndexRecordOption::Basic), &Count)
}

/// Indexed words one edit from `word`, else two for long words, most used first.
fn alternatives(searcher: &Searcher, word: &str, fields: &Fields) -> tantivy::Result<Vec<String>> {
    let length = word.chars().count();
    for distance in [1, 2] {
        if distance == 2 && length < TWO_EDITS_FROM {
            break;
        }
        let found = within(searcher, word, distance, fields)?;
        if !found.is_empty() {
            return Ok(found);
        }
    }
    Ok(Vec::new())
}

fn within(
    searcher: &Searcher,
    word: &str,
    distance: u8,
    fields: &Fields,
) -> tantivy::Result<Vec<String>> {
    let mut uses: BTreeMap<String, u64> = BTreeMap::new();
    for field in dictionaries(fields) {
        let automaton =
            FuzzyTermQuery::new(Term::from_field_text(field, word), distance, true).automaton()?;
        for segment in searcher.segment_readers() {
            let inverted = segment.inverted_index(field)?;
            let mut terms = inverted.terms().search(&automaton).into_stream()?;
            while terms.advance() {
                let Ok(text) = std::str::from_utf8(terms.key()) else {
                    continue;
                };
                if text != word {
                    *uses.entry(text.to_string()).or_default() += u64::from(terms.value().doc_freq);
                }
            }
        }
    }
    let mut ranked: Vec<(String, u64)> = uses.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let mut out = Vec::new();
    for (text, _) in ranked {
        if out.len() == MAX_ALTERNATIVES {
            break;
        }
        // Only words some live item still has: deleted items linger in dictionaries.
        if live(searcher, &text, fields)? {
            out.push(text);
        }
    }
    Ok(out)
}

fn live(searcher: &Searcher, text: &str, fields: &Fields) -> tantivy::Result<bool> {
    for field in dictionaries(fields) {
        if matches(searcher, Term::from_field_text(field, text))? > 0 {
            return Ok(true);
        }
    }
    Ok(false)
}

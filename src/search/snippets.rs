//! What matched, shown: the matched words of a title (for the table), and a snippet of the
//! description or title with the matched words in `<b>`…`</b>` (for `--json` and `--csv`).

use std::collections::BTreeMap;
use std::ops::Range;
use tantivy::query::Query;
use tantivy::schema::Field;
use tantivy::snippet::{Snippet, SnippetGenerator};
use tantivy::{Score, Searcher};

use crate::index::Fields;
use crate::model::Item;

/// Characters of description a snippet shows around its matches.
const SNIPPET_CHARS: usize = 160;
/// Longer than any title, so a title's every match is found.
const WHOLE_TITLE: usize = 10_000;

/// Finds the query's words in an item's title and description.
pub(crate) struct Highlighter {
    title: SnippetGenerator,
    description: SnippetGenerator,
}

impl Highlighter {
    /// A highlighter for the words of `query` (not its filters).
    ///
    /// # Errors
    /// When the index cannot be read.
    pub(crate) fn new(
        searcher: &Searcher,
        query: &dyn Query,
        fields: &Fields,
    ) -> tantivy::Result<Self> {
        Ok(Highlighter {
            title: generator(searcher, query, [fields.text, fields.title], WHOLE_TITLE)?,
            description: generator(
                searcher,
                query,
                [fields.text, fields.description],
                SNIPPET_CHARS,
            )?,
        })
    }

    /// Byte ranges of the matched words in the title.
    pub(crate) fn title_matches(&self, title: &str) -> Vec<Range<usize>> {
        let snippet = self.title.snippet(title);
        let offset = snippet.fragment_range().start;
        snippet
            .highlighted()
            .iter()
            .map(|r| r.start + offset..r.end + offset)
            .collect()
    }

    /// The best passage: of the description where the query's words are, else of the
    /// title; else the description's (or title's) beginning without highlights.
    pub(crate) fn snippet(&self, item: &Item) -> String {
        let description = item.description.as_deref().unwrap_or_default();
        let found = self.description.snippet(description);
        if !found.highlighted().is_empty() {
            return html(&found, description);
        }
        let title = item.title.as_deref().unwrap_or_default();
        let found = self.title.snippet(title);
        if !found.highlighted().is_empty() {
            return html(&found, title);
        }
        let text = if description.is_empty() {
            title
        } else {
            description
        };
        let (start, cut) = beginning(text, SNIPPET_CHARS);
        let mut out = escape(start);
        if cut {
            out.push('…');
        }
        out
    }
}

/// A generator for the query's words in `searched`, the bare words' field and the field
/// `searched[1]` whose text it will be given.
///
/// Tantivy's own [`SnippetGenerator::create`] takes the words of one field only, and bare
/// words search a field that stores no text.
fn generator(
    searcher: &Searcher,
    query: &dyn Query,
    searched: [Field; 2],
    max_chars: usize,
) -> tantivy::Result<SnippetGenerator> {
    let mut terms = Vec::new();
    query.query_terms(&mut |term, _| {
        if searched.contains(&term.field()) {
            terms.push(term.clone());
        }
    });
    let mut weights: BTreeMap<String, Score> = BTreeMap::new();
    for term in terms {
        let Some(text) = term.value().as_str().map(str::to_string) else {
            continue;
        };
        let doc_freq = searcher.doc_freq(&term)?;
        if doc_freq > 0 {
            // Rarer words weigh more when the passage is chosen, as in Tantivy's generator.
            let weight = 1.0 / (1.0 + doc_freq as Score);
            let best = weights.entry(text).or_insert(weight);
            *best = best.max(weight);
        }
    }
    let target = searched[1];
    let tokenizer = searcher.index().tokenizer_for_field(target)?;
    Ok(SnippetGenerator::new(weights, tokenizer, target, max_chars))
}

/// The snippet's passage, HTML-escaped, matches in `<b>`, with `…` where the text was cut.
fn html(snippet: &Snippet, text: &str) -> String {
    let fragment = snippet.fragment();
    let range = snippet.fragment_range();
    let mut out = String::with_capacity(fragment.len() + 32);
    // Punctuation around the passage is kept; cut words are marked.
    let (before, after) = (&text[..range.start], &text[range.end..]);
    let has_words = |t: &str| t.chars().any(char::is_alphanumeric);
    if has_words(before) {
        out.push('…');
    } else {
        out.push_str(&escape(before));
    }
    let mut at = 0;
    for matched in merged(snippet.highlighted()) {
        out.push_str(&escape(&fragment[at..matched.start]));
        out.push_str("<b>");
        out.push_str(&escape(&fragment[matched.clone()]));
        out.push_str("</b>");
        at = matched.end;
    }
    out.push_str(&escape(&fragment[at..]));
    if has_words(after) {
        out.push('…');
    } else {
        out.push_str(&escape(after.trim_end()));
    }
    out
}

/// Highlight ranges sorted, overlapping ones joined.
pub(crate) fn merged(ranges: &[Range<usize>]) -> Vec<Range<usize>> {
    let mut sorted = ranges.to_vec();
    sorted.sort_by_key(|r| (r.start, r.end));
    let mut out: Vec<Range<usize>> = Vec::with_capacity(sorted.len());
    for range in sorted {
        match out.last_mut() {
            Some(last) if range.start < last.end => last.end = last.end.max(range.end),
            _ => out.push(range),
        }
    }
    out
}

/// At most `chars` characters of `text`, cut at a word boundary, and whether it was cut.
fn beginning(text: &str, chars: usize) -> (&str, bool) {
    let Some((end, _)) = text.char_indices().nth(chars) else {
        return (text, false);
    };
    let cut = text[..end]
        .rfind(char::is_whitespace)
        .filter(|&i| i > 0)
        .unwrap_or(end);
    (text[..cut].trim_end(), true)
}

/// Text made safe to put in HTML.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_covers_markup_and_quotes() {
        assert_eq!(
            escape(r#"<a href="x">Tom & Jerry's</a>"#),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;"
        );
    }

    #[test]
    fn beginnings_are_cut_between_words() {
        assert_eq!(beginning("short", 10), ("short", false));
        assert_eq!(
            beginning("the launch pad at dawn", 12),
            ("the launch", true)
        );
        assert_eq!(beginning("ééééé", 3), ("ééé", true));
    }

    #[test]
    fn overlapping_highlights_join() {
        assert_eq!(merged(&[5..8, 0..2, 1..3, 8..9]), [0..3, 5..8, 8..9]);
    }
}

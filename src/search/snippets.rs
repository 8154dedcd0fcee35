//! What matched, shown: the matched words of a title (for the table), and a snippet of the
//! description or title with the matched words in `<b>`…`</b>` (for `--json` and `--csv`).

use std::ops::Range;
use tantivy::Searcher;
use tantivy::query::Query;
use tantivy::snippet::{Snippet, SnippetGenerator};

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
        let mut title = SnippetGenerator::create(searcher, query, fields.title)?;
        title.set_max_num_chars(WHOLE_TITLE);
        let mut description = SnippetGenerator::create(searcher, query, fields.description)?;
        description.set_max_num_chars(SNIPPET_CHARS);
        Ok(Highlighter { title, description })
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

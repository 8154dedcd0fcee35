//! Text from the web made safe for a terminal and a spreadsheet, once more at the edge.
//!
//! Items are cleaned when they are crawled; an index written by an older version, or a
//! message a server wrote (an API's error text), may still carry escape sequences that
//! would clear the screen, retitle the window, write the clipboard or hide a link, and a
//! cell starting with `=` runs as a formula in a spreadsheet.

use std::borrow::Cow;

use archive::media::text::{sanitize, without_controls};
use archive::model::Item;
use archive::search::Results;

/// The results with every text that came from the web free of control characters.
pub(crate) fn results(results: &mut Results) {
    for hit in &mut results.hits {
        item(&mut hit.item);
        if let Some(snippet) = &mut hit.snippet {
            *snippet = text(snippet).into_owned();
        }
    }
    if let Some(facets) = &mut results.facets {
        let lists = [
            &mut facets.campaign,
            &mut facets.kind,
            &mut facets.source,
            &mut facets.license,
            &mut facets.year,
        ];
        for value in lists.into_iter().flatten() {
            if let Some(text) = &mut value.value {
                *text = without_controls(text).into_owned();
            }
        }
    }
}

/// The item, free of control characters.
pub(crate) fn item(item: &mut Item) {
    sanitize(item);
    item.found_via = item
        .found_via
        .iter()
        .map(|seed| text(seed).into_owned())
        .collect();
}

/// One line of text, free of control characters and line breaks.
pub(crate) fn text(text: &str) -> Cow<'_, str> {
    let kept = without_controls(text);
    if kept.contains(['\n', '\r', '\t']) {
        Cow::Owned(kept.replace(['\n', '\r', '\t'], " "))
    } else {
        kept
    }
}

/// A CSV cell a spreadsheet shows as text: one starting with `=`, `+`, `-`, `@`, a tab or
/// a carriage return would be read as a formula, so it gets a `'` in front (OWASP's rule).
pub(crate) fn csv_cell(cell: String) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_line_breaks_and_formulas_are_defused() {
        assert_eq!(
            text("Soyuz\u{1b}[2J\u{1b}]52;c;ZXZpbA==\u{7} VS20\nlift-off\u{202e}"),
            "Soyuz[2J]52;c;ZXZpbA== VS20 lift-off"
        );
        for formula in [
            "=HYPERLINK(\"x\")",
            "+cmd|' /C calc'!A0",
            "-2+3+cmd",
            "@SUM(A1)",
            "\tx",
        ] {
            assert!(csv_cell(formula.to_string()).starts_with('\''), "{formula}");
        }
        assert_eq!(csv_cell("CC BY 2.0".to_string()), "CC BY 2.0");
    }
}

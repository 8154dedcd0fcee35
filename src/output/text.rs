//! Fitting text into columns by display width, highlights and all.

use std::ops::Range;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::Palette;

/// Cuts text to `width` display columns, marking the cut with `…`. Returns the text and the
/// byte length of the original kept.
pub(crate) fn fit(text: &str, width: usize) -> (String, usize) {
    if text.width() <= width {
        return (text.to_string(), text.len());
    }
    let mut kept = 0;
    let mut used = 0;
    for (i, c) in text.char_indices() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        used += w;
        kept = i + c.len_utf8();
    }
    let kept = text[..kept].trim_end().len();
    if width == 0 {
        return (String::new(), 0);
    }
    (format!("{}…", &text[..kept]), kept)
}

/// The text fitted to exactly `width` columns, padded with spaces, its `matches` styled.
pub(crate) fn cell(text: &str, width: usize, matches: &[Range<usize>], palette: Palette) -> String {
    let (fitted, kept) = fit(text, width);
    let fill = width.saturating_sub(fitted.width());
    let mut out = String::with_capacity(fitted.len() + fill + 16);
    let mut at = 0;
    for range in matches {
        let (start, end) = (range.start.min(kept), range.end.min(kept));
        if start < at
            || start >= end
            || !text.is_char_boundary(start)
            || !text.is_char_boundary(end)
        {
            continue;
        }
        out.push_str(&text[at..start]);
        out.push_str(&palette.matched(&text[start..end]));
        at = end;
    }
    out.push_str(&fitted[at..]);
    out.push_str(&" ".repeat(fill));
    out
}

/// Display width of the widest of `cells` and `header`, at most `max`.
pub(crate) fn column_width<'a>(
    cells: impl Iterator<Item = &'a str>,
    header: &str,
    max: usize,
) -> usize {
    cells
        .map(UnicodeWidthStr::width)
        .chain([header.width()])
        .max()
        .unwrap_or(0)
        .min(max)
}

/// Words of `items` joined by `separator` into lines of at most `width` columns, the first
/// after `first`, the others after `indent` spaces.
pub(crate) fn wrap(
    first: &str,
    items: &[String],
    separator: &str,
    width: usize,
    indent: usize,
) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = first.to_string();
    let mut empty = true;
    for item in items {
        let extra = if empty { 0 } else { separator.width() };
        if !empty && line.width() + extra + item.width() > width {
            lines.push(std::mem::replace(&mut line, " ".repeat(indent)));
            empty = true;
        }
        if !empty {
            line.push_str(separator);
        }
        line.push_str(item);
        empty = false;
    }
    lines.push(line);
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fitting_cuts_by_display_width_and_marks_the_cut() {
        assert_eq!(fit("Fusée", 5), ("Fusée".to_string(), "Fusée".len()));
        assert_eq!(fit("Soyuz on the pad", 8).0, "Soyuz o…");
        assert_eq!(fit("Soyuz on the pad", 7).0, "Soyuz…");
        assert_eq!(fit("発射台の写真", 5).0, "発射…");
    }

    #[test]
    fn cells_pad_and_style_only_what_is_shown() {
        let all = Range { start: 0, end: 4 };
        assert_eq!(cell("vs20", 6, &[all], Palette::PLAIN), "vs20  ");
        let vs20 = Range { start: 6, end: 10 };
        let styled = cell("Soyuz VS20 on the pad", 9, &[vs20], Palette::COLOUR);
        assert!(styled.starts_with("Soyuz \u{1b}["), "{styled:?}");
        assert!(
            styled.contains("VS…") || styled.contains("VS"),
            "{styled:?}"
        );
        assert_eq!(console::strip_ansi_codes(&styled), "Soyuz VS…");
    }

    #[test]
    fn wrapping_keeps_lines_within_the_width() {
        let items: Vec<String> = ["CSO 9", "VS20 9", "Launches2018 9"]
            .map(String::from)
            .into();
        let lines = wrap("Campaign:  ", &items, " · ", 30, 11);
        assert_eq!(
            lines,
            ["Campaign:  CSO 9 · VS20 9", "           Launches2018 9"]
        );
    }
}

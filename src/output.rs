//! Human output: the search results table, fitted to the terminal.

use std::io::{self, IsTerminal, Write};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use archive::model::Item;
use archive::search::Results;

/// Width when stdout is not a terminal: wide enough for most titles, narrow enough for logs.
const DEFAULT_WIDTH: usize = 120;
const MIN_TITLE: usize = 16;

/// The terminal's width, or a default when printing to a pipe or file.
pub(crate) fn terminal_width() -> usize {
    if !io::stdout().is_terminal() {
        return DEFAULT_WIDTH;
    }
    console::Term::stdout()
        .size_checked()
        .map_or(DEFAULT_WIDTH, |(_, cols)| usize::from(cols))
}

/// One row's cells, before fitting.
struct Row {
    title: String,
    kind: &'static str,
    date: String,
    credit: String,
    campaigns: String,
    url: String,
}

impl Row {
    fn of(item: &Item) -> Self {
        let credit = match (&item.creator, &item.license) {
            (Some(c), Some(l)) => format!("{c} · {l}"),
            (Some(c), None) => c.clone(),
            (None, Some(l)) => l.clone(),
            (None, None) => "—".into(),
        };
        Row {
            title: item.title.clone().unwrap_or_else(|| "(untitled)".into()),
            kind: item.kind.as_str(),
            date: item
                .taken_at
                .or(item.published_at)
                .map_or_else(|| "—".into(), |d| d.format("%Y-%m-%d").to_string()),
            credit,
            campaigns: if item.campaigns.is_empty() {
                "—".into()
            } else {
                item.campaigns.join(", ")
            },
            url: item
                .page_url
                .clone()
                .or_else(|| item.media_url.clone())
                .unwrap_or_default(),
        }
    }
}

/// Prints the results as a table: one line of columns per item, its link on the next line
/// (links are never cut, so they stay clickable and copyable).
pub(crate) fn results_table(
    out: &mut impl Write,
    query: &str,
    results: &Results,
    width: usize,
) -> io::Result<()> {
    if results.hits.is_empty() {
        return writeln!(out, "No item matches `{query}`.");
    }
    let shown = results.hits.len();
    let noun = if results.total == 1 {
        "item matches"
    } else {
        "items match"
    };
    if shown < results.total {
        writeln!(
            out,
            "{} {noun} `{query}`; showing the best {shown} (--limit to see more).\n",
            results.total
        )?;
    } else {
        writeln!(out, "{} {noun} `{query}`.\n", results.total)?;
    }
    let rows: Vec<Row> = results.hits.iter().map(|h| Row::of(&h.item)).collect();
    let credit_w = column_width(
        rows.iter().map(|r| r.credit.as_str()),
        "CREDIT · LICENCE",
        32,
    );
    let campaigns_w = column_width(rows.iter().map(|r| r.campaigns.as_str()), "CAMPAIGNS", 20);
    let fixed = 7 + 10 + credit_w + campaigns_w + 4 * 2;
    let title_w = width.saturating_sub(fixed + 2).max(MIN_TITLE);
    let line = |title: &str, kind: &str, date: &str, credit: &str, campaigns: &str| {
        format!(
            "{}  {}  {}  {}  {}",
            pad(title, title_w),
            pad(kind, 7),
            pad(date, 10),
            pad(credit, credit_w),
            fit(campaigns, campaigns_w)
        )
    };
    writeln!(
        out,
        "{}",
        line("TITLE", "KIND", "DATE", "CREDIT · LICENCE", "CAMPAIGNS").trim_end()
    )?;
    for row in &rows {
        writeln!(
            out,
            "{}",
            line(&row.title, row.kind, &row.date, &row.credit, &row.campaigns).trim_end()
        )?;
        writeln!(out, "  {}", row.url)?;
    }
    Ok(())
}

fn column_width<'a>(cells: impl Iterator<Item = &'a str>, header: &str, max: usize) -> usize {
    cells
        .map(UnicodeWidthStr::width)
        .chain([header.width()])
        .max()
        .unwrap_or(0)
        .min(max)
}

/// Cuts text to `width` display columns, marking the cut with `…`.
fn fit(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    let mut out = out.trim_end().to_string();
    out.push('…');
    out
}

fn pad(text: &str, width: usize) -> String {
    let fitted = fit(text, width);
    let fill = width.saturating_sub(fitted.width());
    format!("{fitted}{}", " ".repeat(fill))
}

#[cfg(test)]
mod tests {
    use super::*;
    use archive::model::{Kind, Source};
    use archive::search::Hit;

    fn item(title: &str) -> Item {
        let mut item = Item::new("flickr:1", Kind::Photo, Source::Flickr);
        item.title = Some(title.into());
        item.creator = Some("CNES".into());
        item.license = Some("CC BY-SA 2.0".into());
        item.campaigns = vec!["CSO".into(), "VS20".into()];
        item.page_url = Some("https://www.flickr.com/photos/cnes/45539063392/".into());
        item
    }

    #[test]
    fn rows_fit_the_width_and_keep_links_whole() {
        let results = Results {
            total: 2,
            hits: vec![
                Hit {
                    score: 1.0,
                    item: item(
                        "Soyuz VS20 rolls out to the launch pad at the Guiana Space Centre, Kourou",
                    ),
                },
                Hit {
                    score: 0.5,
                    item: item("Fusée"),
                },
            ],
        };
        let mut out = Vec::new();
        results_table(&mut out, "vs20", &results, 80).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("2 items match `vs20`."));
        for line in text.lines() {
            if !line.starts_with("  https://") {
                assert!(line.width() <= 80, "too wide: {line:?}");
            }
        }
        assert!(text.contains("  https://www.flickr.com/photos/cnes/45539063392/"));
        assert!(text.contains("CNES · CC BY-SA 2.0"));
        assert!(text.contains("Soyuz VS20 rolls out to…"), "{text}");
    }

    #[test]
    fn nothing_found_says_so() {
        let mut out = Vec::new();
        results_table(
            &mut out,
            "vs02",
            &Results {
                total: 0,
                hits: vec![],
            },
            80,
        )
        .unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "No item matches `vs02`.\n");
    }
}

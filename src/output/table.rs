//! The search results table: a one-line summary, one line of columns per item with its link
//! below (links are never cut, so they stay clickable), and the facets when asked.

use std::io::{self, Write};

use archive::model::Item;
use archive::search::{Results, Suggestion};

use super::Palette;
use super::summary::{did_you_mean, print_facets, summary};
use super::text::{cell, column_width};

const KIND_WIDTH: usize = 7;
const DATE_WIDTH: usize = 10;
const GAP: usize = 2;
const MIN_TITLE: usize = 16;
const MAX_CREDIT: usize = 32;
const MIN_CREDIT: usize = 12;
const MAX_CAMPAIGNS: usize = 20;
const MIN_CAMPAIGNS: usize = 9;

/// What the table is about, for its summary.
pub(crate) struct Context<'a> {
    /// The query as typed.
    pub(crate) query: &'a str,
    /// Campaign keys the query or the filters name, listed first in the summary.
    pub(crate) named_campaigns: Vec<String>,
    /// Whether filters narrowed the search.
    pub(crate) filtered: bool,
    /// Print the facets block.
    pub(crate) show_facets: bool,
}

/// Prints the results as a table fitted to `width` columns.
pub(crate) fn print(
    out: &mut impl Write,
    context: &Context<'_>,
    results: &Results,
    width: usize,
    palette: Palette,
) -> io::Result<()> {
    if results.hits.is_empty() {
        return nothing_found(out, context, &results.suggestions, palette);
    }
    writeln!(out, "{}\n", palette.heading(&summary(context, results)))?;
    let layout = Layout::for_rows(results, width);
    writeln!(out, "{}", palette.dim(layout.header().trim_end()))?;
    for hit in &results.hits {
        let row = Row::of(&hit.item);
        writeln!(
            out,
            "{}",
            layout.line(&row, &hit.title_matches, palette).trim_end()
        )?;
        writeln!(out, "  {}", palette.link(&row.url))?;
    }
    if context.show_facets
        && let Some(facets) = &results.facets
    {
        writeln!(out)?;
        print_facets(out, facets, width, palette)?;
    }
    Ok(())
}

/// "No item matches `vs02`. Did you mean: vs20?"
fn nothing_found(
    out: &mut impl Write,
    context: &Context<'_>,
    suggestions: &[Suggestion],
    palette: Palette,
) -> io::Result<()> {
    let mut line = if context.query.trim().is_empty() {
        "No item matches".to_string()
    } else {
        format!("No item matches `{}`", context.query.trim())
    };
    if context.filtered {
        line.push_str(" with these filters");
    }
    line.push('.');
    if let Some(hint) = did_you_mean(suggestions) {
        line.push(' ');
        line.push_str(&palette.heading(&hint));
    }
    writeln!(out, "{line}")
}

/// One row's cells, before fitting.
struct Row {
    title: String,
    kind: &'static str,
    date: String,
    credit: String,
    /// The licence at the end of `credit`, which a cut must spare: it decides whether the
    /// item may be published.
    license: Option<String>,
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
                .map_or_else(|| "—".into(), |d| d.date_text()),
            credit,
            license: item.creator.as_ref().and(item.license.clone()),
            campaigns: if item.campaigns.is_empty() {
                "—".into()
            } else {
                item.campaigns.join(", ")
            },
            url: item
                .page_url
                .clone()
                .or_else(|| item.media_url.clone())
                .unwrap_or_else(|| item.id.clone()),
        }
    }
}

/// Column widths; a width of 0 drops the column.
struct Layout {
    title: usize,
    credit: usize,
    campaigns: usize,
}

impl Layout {
    /// The widest layout that fits: credit and campaigns shrink first, then campaigns go,
    /// then credit; kind and date always stay, and the title gets the rest.
    fn for_rows(results: &Results, width: usize) -> Self {
        let rows: Vec<Row> = results.hits.iter().map(|h| Row::of(&h.item)).collect();
        let title = column_width(rows.iter().map(|r| r.title.as_str()), "TITLE", usize::MAX);
        let mut credit = column_width(
            rows.iter().map(|r| r.credit.as_str()),
            "CREDIT · LICENCE",
            MAX_CREDIT,
        );
        let mut campaigns = column_width(
            rows.iter().map(|r| r.campaigns.as_str()),
            "CAMPAIGNS",
            MAX_CAMPAIGNS,
        );
        let room = |credit: usize, campaigns: usize| {
            let columns = [credit, campaigns].iter().filter(|&&w| w > 0).count();
            let used = KIND_WIDTH + DATE_WIDTH + credit + campaigns + GAP * (2 + columns);
            width.saturating_sub(used)
        };
        while room(credit, campaigns) < MIN_TITLE && campaigns > MIN_CAMPAIGNS {
            campaigns -= 1;
        }
        while room(credit, campaigns) < MIN_TITLE && credit > MIN_CREDIT {
            credit -= 1;
        }
        if room(credit, campaigns) < MIN_TITLE {
            campaigns = 0;
        }
        if room(credit, campaigns) < MIN_TITLE {
            credit = 0;
        }
        Layout {
            title: title.min(room(credit, campaigns)).max(5),
            credit,
            campaigns,
        }
    }

    fn header(&self) -> String {
        let header = Row {
            title: "TITLE".into(),
            kind: "KIND",
            date: "DATE".into(),
            credit: "CREDIT · LICENCE".into(),
            license: None,
            campaigns: "CAMPAIGNS".into(),
            url: String::new(),
        };
        self.line(&header, &[], Palette::PLAIN)
    }

    fn line(&self, row: &Row, matches: &[std::ops::Range<usize>], palette: Palette) -> String {
        let mut cells = vec![
            cell(&row.title, self.title, matches, palette),
            cell(row.kind, KIND_WIDTH, &[], palette),
            cell(&row.date, DATE_WIDTH, &[], palette),
        ];
        if self.credit > 0 {
            cells.push(credit_cell(row, self.credit, palette));
        }
        if self.campaigns > 0 {
            cells.push(cell(&row.campaigns, self.campaigns, &[], palette));
        }
        cells.join(&" ".repeat(GAP))
    }
}

/// The credit cut in the creator's name rather than in the licence, when there is room.
fn credit_cell(row: &Row, width: usize, palette: Palette) -> String {
    use unicode_width::UnicodeWidthStr;
    let Some(license) = &row.license else {
        return cell(&row.credit, width, &[], palette);
    };
    let tail = format!(" · {license}");
    let creator = &row.credit[..row.credit.len() - tail.len()];
    if row.credit.width() <= width || tail.width() + 4 > width {
        return cell(&row.credit, width, &[], palette);
    }
    let head = cell(creator, width - tail.width(), &[], palette);
    format!("{}{tail}", head.trim_end())
        + &" ".repeat(width.saturating_sub(head.trim_end().width() + tail.width()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use archive::model::{Kind, Source};
    use archive::search::{FacetValue, Facets, Hit};
    use std::ops::Range;
    use unicode_width::UnicodeWidthStr;

    fn item(title: &str, kind: Kind) -> Item {
        let mut item = Item::new("flickr:1", kind, Source::Flickr);
        item.title = Some(title.into());
        item.creator = Some("CNES".into());
        item.license = Some("CC BY-SA 2.0".into());
        item.campaigns = vec!["CSO".into(), "VS20".into()];
        item.page_url = Some("https://www.flickr.com/photos/cnes/45539063392/".into());
        item
    }

    fn value(value: &str, count: u64) -> FacetValue {
        FacetValue {
            value: Some(value.into()),
            count,
        }
    }

    fn results() -> Results {
        let mut first = Hit::new(
            1.0,
            item(
                "Soyuz VS20 rolls out to the launch pad at the Guiana Space Centre, Kourou",
                Kind::Photo,
            ),
        );
        first.title_matches = vec![Range { start: 6, end: 10 }];
        Results {
            total: 13,
            hits: vec![first, Hit::new(0.5, item("Fusée", Kind::Video))],
            facets: Some(Facets {
                campaign: vec![value("CSO", 13), value("VS20", 13)],
                kind: vec![value("photo", 9), value("video", 4)],
                ..Facets::default()
            }),
            suggestions: Vec::new(),
        }
    }

    fn context(query: &str) -> Context<'_> {
        Context {
            query,
            named_campaigns: vec!["vs20".into()],
            filtered: false,
            show_facets: false,
        }
    }

    fn render(results: &Results, width: usize, palette: Palette) -> String {
        let mut out = Vec::new();
        print(&mut out, &context("vs20"), results, width, palette).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn the_summary_counts_kinds_and_names_the_asked_campaign_first() {
        let text = render(&results(), 100, Palette::PLAIN);
        assert!(
            text.starts_with(
                "13 items (9 photos, 4 videos) in VS20, CSO; showing the first 2 (--limit for more)\n\n"
            ),
            "{text}"
        );
    }

    #[test]
    fn rows_fit_every_width_and_keep_links_whole() {
        for width in [40, 60, 80, 100, 160] {
            let text = render(&results(), width, Palette::PLAIN);
            for line in text.lines().skip(2) {
                if !line.starts_with("  https://") {
                    assert!(line.width() <= width, "{width}: too wide: {line:?}");
                }
            }
            assert!(text.contains("\n  https://www.flickr.com/photos/cnes/45539063392/\n"));
        }
        let mut long = results();
        long.hits[0].item.creator = Some("CNES/ESA/Arianespace/Optique Vidéo du CSG".into());
        let cut = render(&long, 120, Palette::PLAIN);
        assert!(
            cut.contains("CNES/ESA/Arianes… · CC BY-SA 2.0  CSO"),
            "{cut}"
        );
        let wide = render(&results(), 120, Palette::PLAIN);
        assert!(wide.contains("CNES · CC BY-SA 2.0"), "{wide}");
        assert!(wide.contains("CSO, VS20"), "{wide}");
        let narrow = render(&results(), 40, Palette::PLAIN);
        assert!(
            !narrow.contains("CAMPAIGNS"),
            "dropped when narrow: {narrow}"
        );
        assert!(narrow.contains("Soyuz VS20"), "{narrow}");
    }

    #[test]
    fn colour_highlights_matches_and_plain_text_has_no_escapes() {
        let plain = render(&results(), 100, Palette::PLAIN);
        assert!(!plain.contains('\u{1b}'));
        let coloured = render(&results(), 100, Palette::COLOUR);
        assert!(
            coloured.contains("\u{1b}[33m\u{1b}[1mVS20\u{1b}[0m"),
            "{coloured:?}"
        );
        assert_eq!(
            console::strip_ansi_codes(&coloured),
            plain,
            "colour changes nothing but colour"
        );
    }

    #[test]
    fn nothing_found_suggests_close_words() {
        let mut results = Results {
            suggestions: vec![Suggestion {
                word: "vs02".into(),
                alternatives: vec!["vs20".into()],
            }],
            ..Results::default()
        };
        let mut out = Vec::new();
        print(&mut out, &context("vs02"), &results, 80, Palette::PLAIN).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "No item matches `vs02`. Did you mean: vs20?\n"
        );
        results.suggestions.push(Suggestion {
            word: "soyz".into(),
            alternatives: vec!["soyuz".into(), "soyouz".into()],
        });
        assert_eq!(
            did_you_mean(&results.suggestions).unwrap(),
            "Did you mean: vs20 (for vs02), soyuz or soyouz (for soyz)?"
        );
    }

    #[test]
    fn facets_follow_the_table() {
        let mut results = results();
        if let Some(f) = results.facets.as_mut() {
            f.license = vec![
                value("CC BY-SA 2.0", 12),
                FacetValue {
                    value: None,
                    count: 1,
                },
            ];
            f.year = vec![value("2018", 13)];
        }
        let mut out = Vec::new();
        let mut context = context("vs20");
        context.show_facets = true;
        print(&mut out, &context, &results, 100, Palette::PLAIN).unwrap();
        let text = String::from_utf8(out).unwrap();
        let tail: Vec<&str> = text.lines().rev().take(5).collect();
        assert_eq!(
            tail,
            [
                "Year:      2018 13",
                "Licence:   CC BY-SA 2.0 12 · unknown 1",
                "Source:    —",
                "Kind:      photo 9 · video 4",
                "Campaign:  CSO 13 · VS20 13",
            ]
        );
    }
}

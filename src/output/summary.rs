//! The lines around the table: the summary above it, the facets below it, the suggestions
//! when nothing matched.

use std::io::{self, Write};

use archive::model::Kind;
use archive::search::{FacetValue, Facets, Results, Suggestion};

use super::table::Context;
use super::text::wrap;
use super::{Palette, plural};

/// Campaigns named in the summary line before "and N more".
const SUMMARY_CAMPAIGNS: usize = 3;

/// "Did you mean: vs20?", or for several words "Did you mean: soyuz (for soyz), vs20 (for
/// vs02)?". `None` without suggestions.
pub(crate) fn did_you_mean(suggestions: &[Suggestion]) -> Option<String> {
    let parts: Vec<String> = match suggestions {
        [] => return None,
        [one] => vec![one.alternatives.join(", ")],
        many => many
            .iter()
            .map(|s| format!("{} (for {})", s.alternatives.join(" or "), s.word))
            .collect(),
    };
    Some(format!("Did you mean: {}?", parts.join(", ")))
}

/// "13 items (9 photos, 4 videos) in VS20, CSO; showing the first 10 (--limit for more)".
pub(crate) fn summary(context: &Context<'_>, results: &Results) -> String {
    let mut line = plural(results.total, "item");
    if let Some(facets) = &results.facets {
        let kinds = kind_counts(&facets.kind);
        if !kinds.is_empty() {
            line.push_str(&format!(" ({kinds})"));
        }
        let campaigns = campaign_list(&facets.campaign, &context.named_campaigns);
        if !campaigns.is_empty() {
            line.push_str(&format!(" in {campaigns}"));
        }
    }
    let shown = results.hits.len();
    if shown < results.total {
        line.push_str(&format!("; showing the first {shown} (--limit for more)"));
    }
    line
}

fn kind_counts(kinds: &[FacetValue]) -> String {
    fn noun(kind: &str) -> &str {
        if kind == Kind::Audio.as_str() {
            "recording"
        } else {
            kind
        }
    }
    kinds
        .iter()
        .filter_map(|f| {
            let kind = f.value.as_deref()?;
            let count = usize::try_from(f.count).ok()?;
            Some(plural(count, noun(kind)))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The campaigns of the matches, the ones asked for first, then by number of items.
fn campaign_list(campaigns: &[FacetValue], named: &[String]) -> String {
    let mut listed: Vec<&FacetValue> = campaigns.iter().filter(|f| f.value.is_some()).collect();
    let is_named = |f: &FacetValue| {
        let key = archive::tag::key(f.value.as_deref().unwrap_or_default());
        named.contains(&key)
    };
    // Stable: within each group, the facet's own order (most items first) stays.
    listed.sort_by_key(|f| !is_named(f));
    let names: Vec<&str> = listed
        .iter()
        .take(SUMMARY_CAMPAIGNS)
        .filter_map(|f| f.value.as_deref())
        .collect();
    let mut text = names.join(", ");
    if listed.len() > SUMMARY_CAMPAIGNS {
        text.push_str(&format!(" and {} more", listed.len() - SUMMARY_CAMPAIGNS));
    }
    text
}

/// The facets, one line per facet, wrapped to the width.
pub(crate) fn print_facets(
    out: &mut impl Write,
    facets: &Facets,
    width: usize,
    palette: Palette,
) -> io::Result<()> {
    let label_width = "Campaign:  ".len();
    for (name, values) in facets.named() {
        let label = format!("{:<label_width$}", format!("{}:", capitalised(name)));
        let items: Vec<String> = values
            .iter()
            .map(|f| {
                format!(
                    "{} {}",
                    f.value.as_deref().unwrap_or(none_label(name)),
                    f.count
                )
            })
            .collect();
        let items = if items.is_empty() {
            vec!["—".to_string()]
        } else {
            items
        };
        for line in wrap(&label, &items, " · ", width, label_width) {
            let (head, rest) = line.split_at(label_width.min(line.len()));
            writeln!(out, "{}{}", palette.heading(head), rest.trim_end())?;
        }
    }
    Ok(())
}

fn capitalised(name: &str) -> String {
    match name {
        "license" => "Licence".into(),
        other => {
            let mut chars = other.chars();
            chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect())
                .unwrap_or_default()
        }
    }
}

/// How a facet names items that have no value.
fn none_label(facet: &str) -> &'static str {
    match facet {
        "license" => "unknown",
        "year" => "undated",
        _ => "none",
    }
}

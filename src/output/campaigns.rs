//! `archive campaigns`: each campaign with its items, dates, sources and seed releases.

use std::io::{self, Write};
use unicode_width::UnicodeWidthStr;

use archive::index::CampaignSummary;

use super::Palette;

/// Prints one line per campaign, its seed releases below.
pub(crate) fn print(
    out: &mut impl Write,
    campaigns: &[CampaignSummary],
    palette: Palette,
) -> io::Result<()> {
    if campaigns.is_empty() {
        return writeln!(
            out,
            "No campaign yet: crawl a press release with hashtags, or use --campaign."
        );
    }
    let name_width = campaigns
        .iter()
        .map(|c| c.campaign.width())
        .max()
        .unwrap_or(0);
    for campaign in campaigns {
        let fill = " ".repeat(name_width - campaign.campaign.width());
        let noun = if campaign.items == 1 {
            "item "
        } else {
            "items"
        };
        writeln!(
            out,
            "{}{fill}  {:>6} {noun}  {}  {}",
            palette.heading(&campaign.campaign),
            campaign.items,
            dates(campaign),
            campaign.sources.join(", ")
        )?;
        for seed in &campaign.found_via {
            writeln!(out, "  via {}", palette.link(seed))?;
        }
    }
    Ok(())
}

/// "2018-12-04 – 2018-12-19", one date when they agree, a dash when unknown.
fn dates(campaign: &CampaignSummary) -> String {
    let day = |t: &Option<archive::model::Timestamp>| t.map(|t| t.format("%Y-%m-%d").to_string());
    match (day(&campaign.first_date), day(&campaign.last_date)) {
        (Some(first), Some(last)) if first == last => format!("{first:<23}"),
        (Some(first), Some(last)) => format!("{first} – {last}"),
        _ => format!("{:<23}", "—"),
    }
}

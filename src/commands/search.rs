//! `archive search` and `archive campaigns`: read the index, print to stdout.

use anyhow::Result;
use std::io::Write;
use std::process::ExitCode;

use archive::index::ArchiveIndex;
use archive::search;

use crate::cli::{CampaignsArgs, SearchArgs};
use crate::output;

pub(crate) fn search(args: &SearchArgs) -> Result<ExitCode> {
    let index = ArchiveIndex::open(&args.index.index)?;
    let query = args.query.join(" ");
    let results = search::search(&index, &query, args.limit)?;
    let mut out = std::io::stdout().lock();
    if args.json {
        for hit in &results.hits {
            serde_json::to_writer(&mut out, &hit.item)?;
            out.write_all(b"\n")?;
        }
    } else {
        output::results_table(&mut out, &query, &results, output::terminal_width())?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn campaigns(args: &CampaignsArgs) -> Result<ExitCode> {
    let index = ArchiveIndex::open(&args.index.index)?;
    let campaigns = index.campaigns()?;
    let mut out = std::io::stdout().lock();
    if args.json {
        for campaign in &campaigns {
            serde_json::to_writer(&mut out, campaign)?;
            out.write_all(b"\n")?;
        }
    } else if campaigns.is_empty() {
        writeln!(
            out,
            "No campaign yet: crawl a press release with hashtags, or use --campaign."
        )?;
    } else {
        let width = campaigns
            .iter()
            .map(|c| c.campaign.chars().count())
            .max()
            .unwrap_or(0);
        for campaign in &campaigns {
            writeln!(
                out,
                "{:<width$}  {:>6} items",
                campaign.campaign, campaign.items
            )?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

//! `archive search`, `archive show` and `archive campaigns`: read the index, print to stdout.
//! Hints (suggestions with `--json`) go to stderr, so stdout stays what scripts expect.

use anyhow::{Context, Result, bail};
use std::io::{BufWriter, Write};
use std::process::ExitCode;

use archive::index::ArchiveIndex;
use archive::search::{self, Filters, Request, Results, Sort};

use crate::cli::{CampaignsArgs, FilterArgs, SearchArgs, ShowArgs, SortArg};
use crate::output::{self, Palette, records, table};

/// How search results are printed.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Table,
    Json,
    Csv,
}

pub(crate) fn search(args: &SearchArgs) -> Result<ExitCode> {
    let format = if args.json {
        Format::Json
    } else if args.csv {
        Format::Csv
    } else {
        Format::Table
    };
    let palette = Palette::for_stdout(args.color.color);
    let query = args.query.join(" ");
    let request = Request {
        query: query.clone(),
        filters: filters(&args.filters)?,
        sort: match args.sort {
            SortArg::Relevance => Sort::Relevance,
            SortArg::Date => Sort::Date,
        },
        limit: usize::try_from(args.limit).unwrap_or(usize::MAX),
        offset: 0,
        facets: args.facets,
        // The table's summary counts kinds and campaigns.
        summary: format == Format::Table,
        highlights: format != Format::Table || palette != Palette::PLAIN,
        // Only the table's summary line says how many match in all.
        count: format == Format::Table,
    };
    let index = ArchiveIndex::open(&args.index.index)?;
    let mut results = search::run(&index, &request)?;
    output::printable::results(&mut results);
    let mut out = BufWriter::new(std::io::stdout().lock());
    match format {
        Format::Table => {
            let context = table::Context {
                query: &query,
                named_campaigns: named_campaigns(args),
                filtered: !request.filters.is_empty(),
                show_facets: args.facets,
            };
            table::print(
                &mut out,
                &context,
                &results,
                output::terminal_width(),
                palette,
            )?;
        }
        Format::Json if results.hits.is_empty() => hint(&query, &results),
        Format::Json => {
            records::json_lines(&mut out, &results.hits)?;
            if let Some(facets) = results.facets.as_ref().filter(|_| args.facets) {
                records::json_facets(&mut out, facets)?;
            }
        }
        Format::Csv => {
            records::csv(&mut out, &results.hits)?;
            if results.hits.is_empty() {
                hint(&query, &results);
            }
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// The flags as filters; dates that cannot both hold are refused before searching.
pub(crate) fn filters(args: &FilterArgs) -> Result<Filters> {
    if let (Some(since), Some(until)) = (&args.since, &args.until)
        && since.start >= until.end
    {
        bail!(
            "--since {} is after --until {}: no item can be both; swap them?",
            since.start.format("%Y-%m-%d %H:%M:%S UTC"),
            (until.end - chrono::Duration::seconds(1)).format("%Y-%m-%d %H:%M:%S UTC"),
        );
    }
    Ok(Filters {
        kinds: args.kind.clone(),
        campaigns: args.campaign.clone(),
        sources: args.source.clone(),
        licenses: args.license.clone(),
        license_classes: Vec::new(),
        reusable: args.reusable,
        since: args.since.map(|p| p.start),
        until: args.until.map(|p| p.end),
    })
}

/// Campaign keys the query's words or `--campaign` name, for the summary to list first.
fn named_campaigns(args: &SearchArgs) -> Vec<String> {
    campaigns_named(&args.query, &args.filters)
}

/// Campaign keys a query's words or `--campaign` name.
pub(crate) fn campaigns_named(query: &[String], filters: &FilterArgs) -> Vec<String> {
    let words = query
        .iter()
        .flat_map(|q| q.split_whitespace())
        .map(|w| w.rsplit(':').next().unwrap_or(w));
    words
        .chain(filters.campaign.iter().map(String::as_str))
        .map(archive::tag::key)
        .filter(|k| !k.is_empty())
        .collect()
}

/// Nothing found, said on stderr with the suggestions, for the machine-readable formats.
fn hint(query: &str, results: &Results) {
    let mut line = format!("No item matches `{}`.", query.trim());
    if let Some(suggestion) = output::did_you_mean(&results.suggestions) {
        line.push(' ');
        line.push_str(&suggestion);
    }
    eprintln!("{line}");
}

pub(crate) fn show(args: &ShowArgs) -> Result<ExitCode> {
    let index = ArchiveIndex::open(&args.index.index)?;
    let mut item = search::find(&index, &args.id)?.with_context(|| {
        format!(
            "no item `{}` in the index at {}: give an id as `archive search --json` prints it \
             (such as flickr:45539063392), or a link the search table shows",
            args.id,
            index.dir().display()
        )
    })?;
    output::printable::item(&mut item);
    let mut out = BufWriter::new(std::io::stdout().lock());
    if args.json {
        serde_json::to_writer(&mut out, &archive::search::record::Publishable::of(&item))?;
        out.write_all(b"\n")?;
    } else {
        let palette = Palette::for_stdout(args.color.color);
        output::show::print(&mut out, &item, output::terminal_width(), palette)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn campaigns(args: &CampaignsArgs) -> Result<ExitCode> {
    let index = ArchiveIndex::open(&args.index.index)?;
    let campaigns = index.campaign_summaries()?;
    let mut out = BufWriter::new(std::io::stdout().lock());
    if args.json {
        for campaign in &campaigns {
            serde_json::to_writer(&mut out, campaign)?;
            out.write_all(b"\n")?;
        }
    } else {
        let palette = Palette::for_stdout(crate::cli::ColorWhen::Auto);
        output::campaigns::print(&mut out, &campaigns, palette)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

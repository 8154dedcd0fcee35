//! The end-of-crawl summary, a readable table on stderr (stdout stays clean for scripts).

use std::io::{self, Write};
use std::path::Path;

use archive::crawl::CrawlReport;
use archive::index::{ArchiveIndex, Counts};
use archive::model::Nature;

use super::plural;
use super::printable::text;

/// Prints the whole summary.
pub(crate) fn print(
    out: &mut impl Write,
    report: &CrawlReport,
    index: &ArchiveIndex,
) -> io::Result<()> {
    seeds(out, report)?;
    links(out, report)?;
    counts(out, report)?;
    problems(out, report)?;
    campaigns(out, report, index)
}

fn seeds(out: &mut impl Write, report: &CrawlReport) -> io::Result<()> {
    let seconds = report.elapsed.as_secs_f64();
    let resumed = if report.resumed {
        ", resuming an interrupted crawl"
    } else {
        ""
    };
    writeln!(
        out,
        "Crawled {} in {seconds:.1} s{resumed}",
        plural(report.seeds.len(), seed_noun(report))
    )?;
    for seed in &report.seeds {
        let mark = if seed.error.is_some() { "✗" } else { "✓" };
        let what = seed.nature.map_or("seed", Nature::as_str);
        let title = text(seed.title.as_deref().unwrap_or("(untitled)"));
        let tags: Vec<String> = seed.hashtags.iter().map(|h| format!("#{h}")).collect();
        writeln!(out, "  {mark} {what}: {title}  {}", text(&tags.join(" ")))?;
        writeln!(out, "    {}", seed.seed)?;
        if let Some(error) = &seed.error {
            writeln!(out, "    {}", text(error))?;
        }
    }
    Ok(())
}

/// "release" when every seed read was a release (or could not be read), else "seed".
fn seed_noun(report: &CrawlReport) -> &'static str {
    let releases = report
        .seeds
        .iter()
        .all(|s| matches!(s.nature, None | Some(Nature::Release)));
    if releases { "release" } else { "seed" }
}

fn links(out: &mut impl Write, report: &CrawlReport) -> io::Result<()> {
    let downloads = match report.not_followed {
        0 => String::new(),
        n => format!("; left {} alone", plural(n, "download")),
    };
    writeln!(
        out,
        "Followed {} (pages, feeds, albums){downloads}.",
        plural(report.fetched, "link")
    )
}

/// Items added, updated, unchanged and gone: in all, by campaign, by source.
fn counts(out: &mut impl Write, report: &CrawlReport) -> io::Result<()> {
    let stats = &report.written.stats;
    let mut rows: Vec<(String, &Counts)> = vec![("in all".into(), &stats.total)];
    for (campaign, counts) in &stats.by_campaign {
        let label = if campaign.is_empty() {
            "(no campaign)".into()
        } else {
            format!("#{campaign}")
        };
        rows.push((label, counts));
    }
    rows.extend(
        stats
            .by_source
            .iter()
            .map(|(source, counts)| (format!("via {source}"), counts)),
    );
    let width = rows
        .iter()
        .map(|(label, _)| label.chars().count())
        .max()
        .unwrap_or(0)
        .max(5);
    writeln!(
        out,
        "\n  {:<width$}  {:>7}  {:>7}  {:>9}  {:>5}",
        "Items", "added", "updated", "unchanged", "gone"
    )?;
    for (label, c) in rows {
        writeln!(
            out,
            "  {label:<width$}  {:>7}  {:>7}  {:>9}  {:>5}",
            c.added, c.updated, c.unchanged, c.gone
        )?;
    }
    if report.written.settled > 0 {
        let settled = plural(report.written.settled, "item");
        writeln!(out, "{settled} already in the index joined a campaign.")?;
    }
    writeln!(out)
}

fn problems(out: &mut impl Write, report: &CrawlReport) -> io::Result<()> {
    if !report.failures.is_empty() {
        writeln!(
            out,
            "Could not read {}:",
            plural(report.failures.len(), "URL")
        )?;
        for (kind, failures) in report.failures_by_kind() {
            writeln!(out, "  {} ({}):", kind.heading(), failures.len())?;
            for failure in failures.iter().take(LISTED) {
                writeln!(out, "    {} — {}", failure.url, text(&failure.reason))?;
            }
            more(out, failures.len())?;
        }
    }
    for (message, urls) in report.grouped_warnings() {
        writeln!(out, "Warning: {}", text(message))?;
        for url in urls.iter().take(LISTED) {
            writeln!(out, "  skipped {url}")?;
        }
        more(out, urls.len())?;
    }
    for notice in report.notices.iter().filter(|n| n.count > 0) {
        let count = plural(notice.count, &notice.unit);
        let message = if notice.message.contains("{count}") {
            notice.message.replace("{count}", &count)
        } else {
            format!("{count}: {}", notice.message)
        };
        writeln!(out, "Note: {}", text(&message))?;
    }
    for note in &report.notes {
        writeln!(out, "Note: {}", text(note))?;
    }
    Ok(())
}

/// URLs listed per kind of failure or warning; the rest are counted (all are in `--report`).
const LISTED: usize = 20;

fn more(out: &mut impl Write, listed: usize) -> io::Result<()> {
    if listed > LISTED {
        writeln!(
            out,
            "    … and {} more (--report FILE.json lists them all)",
            listed - LISTED
        )?;
    }
    Ok(())
}

fn campaigns(out: &mut impl Write, report: &CrawlReport, index: &ArchiveIndex) -> io::Result<()> {
    let Some(largest) = report.campaigns.first() else {
        return Ok(());
    };
    let campaigns: Vec<String> = report
        .campaigns
        .iter()
        .map(|c| format!("{} ({})", c.campaign, c.items))
        .collect();
    writeln!(
        out,
        "Campaigns in {}: {}",
        index.dir().display(),
        campaigns.join(", ")
    )?;
    let index_arg = if index.dir() == Path::new(archive::index::DEFAULT_DIR) {
        String::new()
    } else {
        format!(" --index {}", index.dir().display())
    };
    let query = largest.campaign.to_lowercase();
    writeln!(out, "Search them with: archive search {query}{index_arg}")
}

//! `archive crawl`: resolve the seeds and fetch settings, run the crawl, print its summary.

use anyhow::{Context, Result};
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use archive::crawl::{CrawlPlan, CrawlReport, Crawler, Seed};
use archive::demo;
use archive::fetch::{FetchConfig, Fetcher};
use archive::flickr::{FlickrClient, FlickrConfig};
use archive::index::ArchiveIndex;
use archive::warcfile::{Recorder, Replay};

use crate::cli::CrawlArgs;
use crate::progress::Progress;

/// Where the requests of this run are answered from.
enum Source {
    Network,
    Replay(Replay),
    Demo,
}

pub(crate) fn run(args: &CrawlArgs, show_progress: bool) -> Result<ExitCode> {
    let seeds = parse_seeds(&args.seeds)?;
    if seeds.is_empty() && args.replay.is_some() {
        anyhow::bail!(
            "--replay needs the seeds to crawl again, e.g. `archive crawl URL --replay FILE`"
        );
    }
    let source = if seeds.is_empty() {
        Source::Demo
    } else if let Some(path) = &args.replay {
        Source::Replay(
            Replay::open(path).with_context(|| format!("cannot replay {}", path.display()))?,
        )
    } else {
        Source::Network
    };
    let plan = CrawlPlan {
        seeds: if matches!(source, Source::Demo) {
            vec![Seed::parse(demo::SEED).expect("the demo seed is a valid URL")]
        } else {
            seeds
        },
        depth: args.depth,
        campaigns: args.campaigns.clone(),
    };
    if matches!(source, Source::Demo) {
        eprintln!(
            "No release given: crawling the built-in demo, a synthetic CSO/VS20 campaign replayed \
             offline. Give URLs or files to crawl real releases (see `archive crawl --help`)."
        );
    }
    let index = ArchiveIndex::open_or_create(&args.index.index)?;
    let fetcher = fetcher(args, source)?;
    let flickr = flickr_client(&fetcher)?;
    let progress = Progress::new(show_progress);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let report = runtime.block_on(async {
        Crawler::new(fetcher.clone(), flickr, &index, &progress)
            .run(&plan)
            .await
    });
    progress.clear();
    let report = report?;
    fetcher.finish().context("cannot finish the WARC file")?;
    print_summary(&report, &index)?;
    Ok(if report.all_seeds_read() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Every bad seed is reported at once, before anything is fetched.
fn parse_seeds(args: &[String]) -> Result<Vec<Seed>> {
    let (seeds, errors): (Vec<_>, Vec<_>) =
        args.iter().map(|a| Seed::parse(a)).partition(Result::is_ok);
    if !errors.is_empty() {
        let messages: Vec<String> = errors
            .into_iter()
            .filter_map(Result::err)
            .map(|e| e.to_string())
            .collect();
        anyhow::bail!("cannot crawl:\n  {}", messages.join("\n  "));
    }
    Ok(seeds.into_iter().filter_map(Result::ok).collect())
}

fn fetcher(args: &CrawlArgs, source: Source) -> Result<Fetcher> {
    let config = FetchConfig {
        per_host: args.per_host.into(),
        delay: Duration::from_millis(args.delay),
        concurrency: args.concurrency.into(),
        ..FetchConfig::default()
    };
    let fetcher = match source {
        Source::Network => Fetcher::live(config).context("cannot set up the HTTP client")?,
        Source::Replay(replay) => Fetcher::replay(config, replay),
        Source::Demo => Fetcher::replay(
            config,
            Replay::from_bytes(demo::WARC).context("the built-in demo is damaged")?,
        ),
    };
    Ok(match &args.record {
        Some(path) => fetcher.recording(
            Recorder::create(path).with_context(|| format!("cannot create {}", path.display()))?,
        ),
        None => fetcher,
    })
}

/// Flickr settings from the environment. A replay needs no key: the recorded answers are
/// matched with the key redacted.
fn flickr_client(fetcher: &Fetcher) -> Result<FlickrClient> {
    let mut config = FlickrConfig::from_env()?;
    if fetcher.is_replay() && config.api_key.is_none() {
        config.api_key = Some("REDACTED".into());
    }
    Ok(FlickrClient::new(fetcher.clone(), config))
}

/// The summary goes to stderr: stdout stays clean for scripts.
fn print_summary(report: &CrawlReport, index: &ArchiveIndex) -> Result<()> {
    let mut out = std::io::stderr().lock();
    print_seeds(&mut out, report)?;
    print_counts(&mut out, report)?;
    print_problems(&mut out, report)?;
    print_campaigns(&mut out, report, index)?;
    Ok(())
}

fn print_seeds(out: &mut impl Write, report: &CrawlReport) -> std::io::Result<()> {
    let seconds = report.elapsed.as_secs_f64();
    writeln!(
        out,
        "Crawled {} in {seconds:.1} s",
        plural(report.seeds.len(), "release")
    )?;
    for seed in &report.seeds {
        let mark = if seed.error.is_some() { "✗" } else { "✓" };
        let title = seed.title.as_deref().unwrap_or("(untitled)");
        let tags: Vec<String> = seed.hashtags.iter().map(|h| format!("#{h}")).collect();
        writeln!(out, "  {mark} {title}  {}", tags.join(" "))?;
        writeln!(out, "    {}", seed.seed)?;
        if let Some(error) = &seed.error {
            writeln!(out, "    {error}")?;
        }
    }
    Ok(())
}

fn print_counts(out: &mut impl Write, report: &CrawlReport) -> std::io::Result<()> {
    let downloads = match report.not_followed {
        0 => String::new(),
        n => format!("; left {} alone", plural(n, "download")),
    };
    writeln!(
        out,
        "Followed {} (pages, feeds, albums){downloads}.",
        plural(report.fetched, "link")
    )?;
    let written = &report.written.stats;
    writeln!(
        out,
        "Items: {} added, {} updated, {} unchanged.",
        written.added, written.updated, written.unchanged
    )?;
    if report.written.settled > 0 {
        let settled = plural(report.written.settled, "item");
        writeln!(out, "{settled} already in the index joined a campaign.")?;
    }
    Ok(())
}

fn print_problems(out: &mut impl Write, report: &CrawlReport) -> std::io::Result<()> {
    if !report.failures.is_empty() {
        writeln!(
            out,
            "Could not read {}:",
            plural(report.failures.len(), "URL")
        )?;
        for failure in &report.failures {
            writeln!(out, "  {} — {}", failure.url, failure.reason)?;
        }
    }
    for (message, urls) in report.grouped_warnings() {
        writeln!(out, "Warning: {message}")?;
        for url in urls {
            writeln!(out, "  skipped {url}")?;
        }
    }
    Ok(())
}

fn print_campaigns(
    out: &mut impl Write,
    report: &CrawlReport,
    index: &ArchiveIndex,
) -> std::io::Result<()> {
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

pub(crate) fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

//! `archive crawl`: resolve the seeds and fetch settings, run the crawl, print its summary.

use anyhow::{Context, Result};
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use archive::crawl::{CrawlPlan, CrawlReport, Crawler, Seed};
use archive::demo;
use archive::extract::oembed::Endpoints;
use archive::fetch::{AddressPolicy, FetchConfig, Fetcher};
use archive::flickr::{FlickrClient, FlickrConfig};
use archive::index::ArchiveIndex;
use archive::warcfile::{Recorder, Replay};

use crate::cli::CrawlArgs;
use crate::progress::Progress;
use crate::summary;

/// Where the requests of this run are answered from.
enum Source {
    Network,
    Replay(Replay),
    Demo,
}

pub(crate) fn run(args: &CrawlArgs, show_progress: bool) -> Result<ExitCode> {
    let (plan, source) = plan(args)?;
    let index = ArchiveIndex::open_or_create(&args.index.index)?;
    let fetcher = fetcher(args, source)?;
    let flickr = flickr_client(&fetcher)?;
    let endpoints = Endpoints::from_env()?;
    let progress = Progress::new(show_progress, fetcher.clone());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let report = runtime.block_on(async {
        Crawler::new(fetcher.clone(), flickr, &index, &progress)
            .with_oembed(endpoints)
            .run(&plan)
            .await
    });
    progress.clear();
    // The progress display holds a handle on the fetcher, which must be alone to finish.
    drop(progress);
    let report = report?;
    fetcher.finish().context("cannot finish the WARC file")?;
    summary::print(&mut std::io::stderr().lock(), &report, &index)?;
    if let Some(path) = &args.report {
        write_report(path, &report)?;
    }
    Ok(if report.all_seeds_read() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// What to crawl, and where the answers come from: the network, a WARC file, or the demo.
fn plan(args: &CrawlArgs) -> Result<(CrawlPlan, Source)> {
    let mut seeds = parse_seeds(&args.seeds)?;
    if seeds.is_empty() && args.replay.is_some() {
        anyhow::bail!(
            "--replay needs the seeds to crawl again, e.g. `archive crawl URL --replay FILE`"
        );
    }
    let source = if seeds.is_empty() {
        eprintln!(
            "No release given: crawling the built-in demo, a synthetic CSO/VS20 campaign replayed \
             offline. Give URLs or files to crawl real releases (see `archive crawl --help`)."
        );
        seeds = vec![Seed::parse(demo::SEED).expect("the demo seed is a valid URL")];
        Source::Demo
    } else if let Some(path) = &args.replay {
        let replay =
            Replay::open(path).with_context(|| format!("cannot replay {}", path.display()))?;
        Source::Replay(replay)
    } else {
        Source::Network
    };
    let plan = CrawlPlan {
        seeds,
        depth: args.depth,
        campaigns: args.campaigns.clone(),
        sitemaps: args.sitemaps,
    };
    Ok((plan, source))
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
    let timeout = Duration::from_secs(args.timeout);
    let mut config = FetchConfig {
        per_host: args.per_host.into(),
        delay: Duration::from_millis(args.delay),
        concurrency: args.concurrency.into(),
        max_body: args.max_body,
        total_timeout: timeout,
        read_timeout: timeout.min(FetchConfig::default().read_timeout),
        connect_timeout: timeout.min(FetchConfig::default().connect_timeout),
        allow_private: args.allow_private,
        ..FetchConfig::default()
    };
    if !args.private_networks.is_empty() {
        config.addresses = AddressPolicy::with_private_networks(args.private_networks.clone());
    }
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

fn write_report(path: &Path, report: &CrawlReport) -> Result<()> {
    let json = serde_json::to_vec_pretty(report)?;
    std::fs::write(path, json).with_context(|| format!("cannot write {}", path.display()))
}

//! `archive crawl`: resolve the seeds and fetch settings, run the crawl, print its summary.

use anyhow::{Context, Result};
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use std::sync::Arc;

use archive::crawl::{CrawlPlan, CrawlReport, Crawler, Seed};
use archive::demo;
use archive::fetch::{AddressPolicy, FetchConfig, Fetcher, Transport};
use archive::index::{ArchiveIndex, Origin};
use archive::sources::{Registry, Settings};
use archive::warcfile::{Recorder, Replay};

use crate::cli::CrawlArgs;
use crate::output;
use crate::progress::Progress;

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
    let settings = Settings::from_env()
        .replaying(fetcher.is_replay())
        .discovering(plan.discover);
    let registry = Arc::new(Registry::standard(&fetcher, &settings)?);
    let progress = Progress::new(show_progress, fetcher.clone());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let report = runtime.block_on(async {
        let mut crawler = Crawler::new(fetcher.clone(), registry.clone(), &index, &progress);
        if let Some(now) = args.now {
            crawler = crawler.started_at(now);
        }
        crawler.run(&plan).await
    });
    progress.clear();
    // The progress display and the sources hold handles on the fetcher, which must be alone
    // to finish.
    drop(progress);
    drop(registry);
    let report = report?;
    let thumbnails = args
        .thumbnails
        .then(|| super::thumbnails::prefetch(&runtime, &fetcher, &index));
    fetcher.finish().context("cannot finish the WARC file")?;
    origin(args)
        .write(index.dir())
        .with_context(|| format!("cannot write to {}", index.dir().display()))?;
    output::crawl::print(&mut std::io::stderr().lock(), &report, &index)?;
    if let Some(outcome) = thumbnails {
        super::thumbnails::print(&outcome, index.dir());
    }
    if let Some(path) = &args.report {
        write_report(path, &report)?;
    }
    Ok(if report.succeeded() {
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
        robots_listings: args.sitemaps,
        discover: !args.no_discover,
    };
    Ok((plan, source))
}

/// Where this crawl's answers come from, remembered with the index.
fn origin(args: &CrawlArgs) -> Origin {
    match &args.replay {
        _ if args.seeds.is_empty() => Origin::Demo,
        Some(path) => Origin::Replay(path.clone()),
        None => Origin::Network,
    }
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
    let defaults = FetchConfig::default();
    let mut config = FetchConfig {
        per_host: args.per_host.into(),
        delay: Duration::from_millis(args.delay),
        concurrency: args.concurrency.into(),
        max_body: args.max_body.0,
        total_timeout: timeout,
        url_budget: timeout * 3 / 2,
        read_timeout: timeout.min(defaults.read_timeout),
        connect_timeout: timeout.min(defaults.connect_timeout),
        allow_private: args.allow_private,
        ..defaults
    };
    if !args.private_networks.is_empty() {
        config.addresses = AddressPolicy::with_private_networks(args.private_networks.clone());
    }
    let transport = match source {
        Source::Network => Transport::live(&config).context("cannot set up the HTTP client")?,
        Source::Replay(replay) => Transport::Replay(Arc::new(replay)),
        Source::Demo => Transport::Replay(Arc::new(
            Replay::from_bytes(demo::WARC).context("the built-in demo is damaged")?,
        )),
    };
    let recorder = match &args.record {
        Some(path) => Some(
            Recorder::create(path).with_context(|| format!("cannot create {}", path.display()))?,
        ),
        None => None,
    };
    Ok(Fetcher::new(config, transport, recorder))
}

fn write_report(path: &Path, report: &CrawlReport) -> Result<()> {
    let json = serde_json::to_vec_pretty(report)?;
    std::fs::write(path, json).with_context(|| format!("cannot write {}", path.display()))
}

//! `archive download`: the items a search finds, their files fetched into a pack.

use anyhow::{Context, Result};
use std::io::Write;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use archive::download::{self, Options, SizeChoice};
use archive::fetch::{AddressPolicy, FetchConfig, Purpose};
use archive::index::ArchiveIndex;
use archive::model::Item;
use archive::search::{self, Request, Sort};

use super::fetching;
use super::search::{campaigns_named, filters};
use crate::cli::{DownloadArgs, SizeArg, SortArg};
use crate::output;
use crate::output::download_progress::DownloadProgress;

/// Hits read from the index at a time.
const PAGE: usize = 1_000;

pub(crate) fn run(args: &DownloadArgs, show_progress: bool) -> Result<ExitCode> {
    let query = args.query.join(" ");
    let index = ArchiveIndex::open(&args.index.index)?;
    let items = select(&index, args, &query)?;
    if items.is_empty() {
        return Ok(ExitCode::SUCCESS);
    }
    let options = options(args, &query);
    let plan = download::plan(items, &options);
    if args.dry_run {
        let mut out = std::io::stdout().lock();
        output::download::dry_run(&mut out, &download::preview(&plan, &options), &options.to)?;
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    let fetcher = fetching::for_index(index.dir(), fetch_config(args))?;
    let progress = Arc::new(DownloadProgress::new(show_progress));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let report = runtime.block_on(download::run(&fetcher, plan, &options, progress.clone()));
    progress.clear();
    let report = report?;
    output::download::summary(&mut std::io::stderr().lock(), &report, &options.to)?;
    Ok(if report.succeeded() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Every item the search finds (up to `--limit`), page by page; when none, says so.
fn select(index: &ArchiveIndex, args: &DownloadArgs, query: &str) -> Result<Vec<Item>> {
    let wanted = args
        .limit
        .map_or(usize::MAX, |n| usize::try_from(n).unwrap_or(usize::MAX));
    let mut request = Request {
        filters: filters(&args.filters)?,
        sort: match args.sort {
            SortArg::Relevance => Sort::Relevance,
            SortArg::Date => Sort::Date,
        },
        limit: PAGE.min(wanted),
        ..Request::new(query)
    };
    let mut items = Vec::new();
    loop {
        let results = search::run(index, &request)?;
        if results.total == 0 {
            let mut line = format!("No item matches `{}`: nothing to download.", query.trim());
            if let Some(suggestion) = output::did_you_mean(&results.suggestions) {
                line = format!("{line} {suggestion}");
            }
            eprintln!("{line}");
        }
        let got = results.hits.len();
        items.extend(results.hits.into_iter().map(|hit| hit.item));
        request.offset += got;
        let all = wanted.min(results.total);
        if got == 0 || items.len() >= all {
            break;
        }
        request.count = false;
        request.limit = PAGE.min(all - items.len());
    }
    items.truncate(wanted);
    Ok(items)
}

fn options(args: &DownloadArgs, query: &str) -> Options {
    Options {
        to: args.to.clone(),
        size: match (args.max_width, args.size) {
            (Some(width), _) => SizeChoice::MaxWidth(width),
            (None, SizeArg::Original) => SizeChoice::Original,
            (None, SizeArg::Largest) => SizeChoice::Largest,
        },
        flat: args.flat,
        embed: args.embed,
        max_file: args.max_file.0,
        max_total: args.max_total.map(|s| s.0),
        in_flight: args.concurrency.into(),
        purpose: if args.allow_private {
            Purpose::Page
        } else {
            Purpose::PublicLink
        },
        campaigns: campaigns_named(&args.query, &args.filters),
        query: describe(args, query),
    }
}

/// The command's query and filters, for the manifest.
fn describe(args: &DownloadArgs, query: &str) -> String {
    let mut words = vec![query.to_string()];
    let filters = &args.filters;
    words.extend(
        filters
            .kind
            .iter()
            .map(|k| format!("--kind {}", k.as_str())),
    );
    words.extend(filters.campaign.iter().map(|c| format!("--campaign {c}")));
    words.extend(
        filters
            .source
            .iter()
            .map(|s| format!("--source {}", s.as_str())),
    );
    words.extend(filters.license.iter().map(|l| format!("--license {l:?}")));
    if filters.reusable {
        words.push("--reusable".into());
    }
    words.retain(|w| !w.is_empty());
    words.join(" ")
}

fn fetch_config(args: &DownloadArgs) -> FetchConfig {
    let timeout = Duration::from_secs(args.timeout);
    let defaults = FetchConfig::default();
    let mut config = FetchConfig {
        per_host: args.per_host.into(),
        delay: Duration::from_millis(args.delay),
        concurrency: args.concurrency.into(),
        total_timeout: timeout,
        read_timeout: timeout.min(defaults.read_timeout),
        connect_timeout: timeout.min(defaults.connect_timeout),
        allow_private: args.allow_private,
        ..defaults
    };
    if !args.private_networks.is_empty() {
        config.addresses = AddressPolicy::with_private_networks(args.private_networks.clone());
    }
    config
}

//! Ten million items on one machine (`--scale 10m`, not part of the full run): a crawl of
//! Flickr albums from the loopback stand-in of the REST API into one index, then the search
//! mix on what it built, and the index's size against the NDJSON export of the same items.
//!
//! An album is read to 100 pages of 500 photos (the crawler's bound on one listing), so ten
//! million photos are 200 albums of 50,000, linked by four releases of four campaigns.

use std::io::Read;
use std::process::{Command, Stdio};

use anyhow::{Context as _, Result, ensure};

use crate::Context;
use crate::ingest::{self, Built};
use crate::memory;
use crate::report::{Baseline, Figure, Goal};

const ITEMS: u64 = 10_000_000;
/// Items to crawl instead of ten million, to try the harness itself in a minute.
const SMOKE_ITEMS: &str = "BENCH_SCALE_ITEMS";
/// The campaigns of the search mix's campaign filter.
const CAMPAIGNS: [&str; 4] = ["VS20", "VA250", "VV10", "VS05"];
const MIB: f64 = 1024.0 * 1024.0;
/// Issue 15's goals at 10M: the crawl in 20 minutes, 1 GiB at most, disk at most 0.6 of
/// the NDJSON.
const CRAWL_GOAL_S: f64 = 20.0 * 60.0;
const RSS_GOAL_MIB: f64 = 1024.0;
const DISK_GOAL: f64 = 0.6;

pub(crate) fn measure(cx: &Context) -> Result<Vec<Figure>> {
    let items = std::env::var(SMOKE_ITEMS)
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(ITEMS);
    let label = crate::size_label(items);
    let index = cx.work.join(format!("scale-{label}-index"));
    let run = memory::crawl_into(cx, items, &index, &CAMPAIGNS)?;
    eprintln!(
        "bench: {label} crawl: {:.0} s, peak RSS {:.0} MiB",
        run.wall.as_secs_f64(),
        run.max_rss_kib as f64 / 1024.0
    );
    let mut figures = vec![
        Figure::new(
            format!("scale.{label}.crawl"),
            format!("`archive crawl` of {label} Flickr photos in albums of 50,000 into one index"),
            "s",
        )
        .value(run.wall.as_secs_f64())
        .against(
            Baseline::new("target", "issue 15: 20 minutes", Some(CRAWL_GOAL_S))
                .goal(Goal::AtMost(1.0)),
        )
        .note(format!(
            "{items} items, {:.0} items/s, {:.0} s CPU",
            items as f64 / run.wall.as_secs_f64(),
            run.cpu.as_secs_f64()
        )),
        rss(&label, "crawl_peak_rss", "peak RSS", run.max_rss_kib),
        rss(
            &label,
            "crawl_peak_own",
            "peak own memory (RssAnon, sampled)",
            run.peak_anon_kib,
        ),
    ];
    let exported = export_bytes(cx, &index, items)?;
    figures.push(disk(&index, &label, items, exported));
    let built = Built {
        items,
        dir: index.clone(),
        dump: cx.work.join("no-dump"),
        dump_bytes: 0,
    };
    figures.extend(crate::search::in_process(cx, &built, 100)?);
    ingest::remove(&index);
    Ok(figures)
}

fn rss(label: &str, name: &str, what: &str, kib: u64) -> Figure {
    Figure::new(
        format!("scale.{label}.{name}"),
        format!("{what} of the {label} crawl"),
        "mib",
    )
    .value(kib as f64 / 1024.0)
    .against(Baseline::new("target", "issue 15: 1 GiB", Some(RSS_GOAL_MIB)).goal(Goal::AtMost(1.0)))
}

fn disk(index: &std::path::Path, label: &str, items: u64, exported: u64) -> Figure {
    let size = ingest::disk_size(index);
    Figure::new(
        format!("disk.{label}"),
        format!("index size on disk per item, {label} items (built by the crawl)"),
        "bytes_per_item",
    )
    .value(size as f64 / items as f64)
    .against(
        Baseline::new(
            "ndjson",
            "the same items as `archive export` writes them",
            Some(exported as f64 / items as f64),
        )
        .goal(Goal::AtMost(DISK_GOAL)),
    )
    .note(format!(
        "{:.0} MiB of index, {:.0} MiB of NDJSON (counted, not kept)",
        size as f64 / MIB,
        exported as f64 / MIB
    ))
}

/// The size of `archive export` of the whole index, read from its pipe and not kept: ten
/// million lines would take 15 GB of the disk the index is on.
fn export_bytes(cx: &Context, index: &std::path::Path, items: u64) -> Result<u64> {
    let mut child = Command::new(&cx.archive)
        .arg("export")
        .arg("--index")
        .arg(index)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .context("cannot run archive export")?;
    let mut out = child.stdout.take().context("no pipe")?;
    let (mut total, mut lines) = (0u64, 0u64);
    let mut buffer = vec![0; 1 << 20];
    loop {
        let n = out.read(&mut buffer)?;
        if n == 0 {
            break;
        }
        total += n as u64;
        lines += buffer[..n].iter().filter(|b| **b == b'\n').count() as u64;
    }
    ensure!(child.wait()?.success(), "archive export failed");
    // The releases are items of the index too.
    ensure!(
        lines >= items,
        "the export has {lines} lines, not the {items} items crawled"
    );
    Ok(total)
}

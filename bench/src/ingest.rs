//! Ingest: items per second through archive's own path (tagging, then the index's single
//! writer: upsert, batched commits) against raw Tantivy indexing the same documents, with the
//! same schema and writer budget, committed once (the limit of the design on this machine)
//! and committed as a crawl commits (the limit with the same durability).

use std::collections::BTreeSet;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result};
use archive::index::{ArchiveIndex, COMMIT_EVERY, COMMIT_EVERY_ITEMS, WRITER_BUDGET, schema};
use archive::model::Item;
use tantivy::{Index, IndexWriter};

use crate::Context;
use crate::report::{Baseline, Figure, Goal};
use crate::stats::{median, median_ratio, rotated};

/// An index built through archive's path, kept for the search and disk figures.
/// The baseline of raw Tantivy committed as a crawl commits.
pub(crate) const RAW_SAME_COMMITS: &str = "raw_tantivy_same_commits";

pub(crate) struct Built {
    pub(crate) items: u64,
    pub(crate) dir: PathBuf,
    /// The same items as NDJSON, as the index stores them.
    pub(crate) dump: PathBuf,
    pub(crate) dump_bytes: u64,
}

/// Measures archive's path and raw Tantivy's two `rounds` times at `items` items, each round
/// starting with the next; keeps the last index archive built when `keep`.
pub(crate) fn measure(
    cx: &Context,
    items: u64,
    rounds: usize,
    keep: bool,
) -> Result<(Figure, Option<Built>)> {
    let label = crate::size_label(items);
    let campaigns = cx.corpus.campaigns();
    let mut round = 0;
    let mut last_dir = None;
    let mut archive = || {
        round += 1;
        let dir = cx.work.join(format!("ingest-{label}-archive-{round}"));
        if let Some(previous) = last_dir.replace(dir.clone()) {
            remove(&previous);
        }
        let work: Vec<_> = (0..items).map(|n| cx.corpus.extracted(n)).collect();
        archive_path(&dir, work, &campaigns)
    };
    let raw = |commits: Commits| {
        let dir = cx.work.join(format!("ingest-{label}-raw"));
        let documents: Vec<Item> = (0..items)
            .map(|n| cx.corpus.tagged(n, &campaigns))
            .collect();
        let took = raw_tantivy(&dir, documents, commits);
        remove(&dir);
        took
    };
    let mut once = || raw(Commits::Once);
    let mut as_a_crawl = || raw(Commits::AsACrawl);
    let times = rotated(rounds, &mut [&mut archive, &mut once, &mut as_a_crawl])?;
    let (archive_s, once_s, crawl_s) = (&times[0], &times[1], &times[2]);
    let rate = |seconds: &[f64]| items as f64 / median(seconds);
    let figure = Figure::new(
        format!("ingest.{label}"),
        format!("{label} items: tag (Campaigns::settle) → Indexer::upsert → commit"),
        "items_per_s",
    )
    .value(rate(archive_s))
    .against(
        Baseline::new(
            "raw_tantivy_one_commit",
            "raw Tantivy add_document, one commit",
            Some(rate(once_s)),
        )
        .ratio(median_ratio(once_s, archive_s)),
    )
    .against(
        Baseline::new(
            RAW_SAME_COMMITS,
            format!(
                "raw Tantivy add_document, committed every {COMMIT_EVERY_ITEMS} items or {} s as \
                 a crawl commits",
                COMMIT_EVERY.as_secs()
            ),
            Some(rate(crawl_s)),
        )
        .ratio(median_ratio(crawl_s, archive_s))
        .goal(Goal::AtLeast(0.9)),
    )
    .runs(rounds)
    .note(round_note(&times));
    let built = match last_dir {
        Some(dir) if keep => {
            let dump_path = cx.work.join(format!("items-{label}.ndjson"));
            let dump_bytes = dump(cx, items, &dump_path)?;
            Some(Built {
                items,
                dir,
                dump: dump_path,
                dump_bytes,
            })
        }
        Some(dir) => {
            remove(&dir);
            None
        }
        None => None,
    };
    Ok((figure, built))
}

/// Every round's timings: a spread that is wide says the machine was busy.
fn round_note(times: &[Vec<f64>]) -> String {
    let rounds: Vec<String> = (0..times[0].len())
        .map(|round| {
            let each: Vec<String> = times.iter().map(|t| format!("{:.2}", t[round])).collect();
            each.join("/")
        })
        .collect();
    format!(
        "seconds per round, archive/raw Tantivy one commit/raw Tantivy committed as a crawl, each \
         round starting with the next: {}; ratios are the median of per-round ratios; every side \
         frees its documents inside the timing and lets merges finish outside it",
        rounds.join(", ")
    )
}

/// archive's path: the crawl's writer thread does exactly this for every item it receives.
fn archive_path(
    dir: &Path,
    work: Vec<(Item, BTreeSet<String>)>,
    campaigns: &archive::tag::Campaigns,
) -> Result<Duration> {
    let index = ArchiveIndex::open_or_create(dir)?;
    let mut indexer = index.indexer()?;
    let started = Instant::now();
    for (mut item, given) in work {
        campaigns.settle(&mut item, &given);
        indexer.upsert(item)?;
    }
    indexer.commit()?;
    let took = started.elapsed();
    // As a crawl ends: merges finish outside the timing, as raw Tantivy's do.
    indexer.finish()?;
    Ok(took)
}

/// When raw Tantivy commits.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Commits {
    /// Once, at the end: the limit of the design without durability.
    Once,
    /// As archive's writer does, so that a killed crawl loses at most one batch.
    AsACrawl,
}

/// Raw Tantivy: the same schema, documents and writer budget. Each document is freed inside
/// the timing, as archive's path frees each item.
fn raw_tantivy(dir: &Path, items: Vec<Item>, commits: Commits) -> Result<Duration> {
    std::fs::create_dir_all(dir)?;
    let (schema, fields) = schema::build();
    let index = Index::create_in_dir(dir, schema)?;
    schema::register_tokenizers(&index);
    let mut writer: IndexWriter = index.writer(WRITER_BUDGET)?;
    let started = Instant::now();
    let (mut pending, mut last_commit) = (0, Instant::now());
    for item in items {
        writer.add_document(schema::to_document(&item, &fields))?;
        pending += 1;
        let due = pending >= COMMIT_EVERY_ITEMS || last_commit.elapsed() >= COMMIT_EVERY;
        if commits == Commits::AsACrawl && due {
            writer.commit()?;
            (pending, last_commit) = (0, Instant::now());
        }
    }
    writer.commit()?;
    let took = started.elapsed();
    // Let merges finish outside the timing, so they do not slow the next measurement.
    writer.wait_merging_threads()?;
    Ok(took)
}

/// Writes the items as the index stores them, one JSON object a line: the baseline for
/// ripgrep, SQLite FTS5 and the size on disk.
pub(crate) fn dump(cx: &Context, items: u64, path: &Path) -> Result<u64> {
    let campaigns = cx.corpus.campaigns();
    let file = std::fs::File::create(path).with_context(|| format!("{}", path.display()))?;
    let mut out = std::io::BufWriter::new(file);
    let seen = chrono::DateTime::parse_from_rfc3339("2026-11-26T12:00:00Z")?;
    for n in 0..items {
        let mut item = cx.corpus.tagged(n, &campaigns);
        (item.first_seen, item.last_seen) = (Some(seen), Some(seen));
        serde_json::to_writer(&mut out, &item)?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(std::fs::metadata(path)?.len())
}

/// Total size of the files under `dir`.
pub(crate) fn disk_size(dir: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|entry| match entry.metadata() {
            Ok(meta) if meta.is_dir() => disk_size(&entry.path()),
            Ok(meta) => meta.len(),
            Err(_) => 0,
        })
        .sum()
}

pub(crate) fn remove(dir: &Path) {
    let _ = std::fs::remove_dir_all(dir);
}

//! Export and import: a whole `archive export` of the 100k index, and a whole `archive import`
//! of what it wrote into a fresh index, with a check that the fresh index exports the same
//! items, field by field (issue 15, item 6).

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::io::BufRead;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{Context as _, Result, ensure};

use crate::Context;
use crate::ingest::{self, Built};
use crate::report::{Baseline, Figure};

/// Exports the 100k index, imports it into a fresh one, and checks the round trip.
pub(crate) fn measure(cx: &Context, built: &[Built], rates: &[(u64, f64)]) -> Result<Vec<Figure>> {
    let Some(built) = built.iter().find(|b| b.items == 100_000) else {
        return Ok(Vec::new());
    };
    let items = built.items as f64;
    let exported = cx.work.join("export-100k.ndjson");
    let export_s = export(&cx.archive, &built.dir, &exported)?;
    let dump_s = time(|| ingest::dump(cx, built.items, &cx.work.join("dump-again.ndjson")))?;
    let fresh = cx.work.join("import-100k");
    let import_s = import(&cx.archive, &exported, &fresh)?;
    let again = cx.work.join("export-100k-again.ndjson");
    export(&cx.archive, &fresh, &again)?;
    let lines = same_lines(&exported, &again)?;
    ensure!(
        lines == built.items,
        "the export has {lines} items, not {}",
        built.items
    );
    for scratch in [exported, again, cx.work.join("dump-again.ndjson")] {
        let _ = std::fs::remove_file(scratch);
    }
    ingest::remove(&fresh);
    let ingest_rate = rates
        .iter()
        .find(|(n, _)| *n == built.items)
        .map(|(_, r)| *r);
    let export_figure = Figure::new(
        "transfer.100k.export",
        "a whole `archive export` process, 100k items, to a file",
        "items_per_s",
    )
    .value(items / export_s)
    .against(Baseline::new(
        "bare_dump",
        "the same items written as NDJSON from memory with serde_json",
        Some(items / dump_s),
    ))
    .note(format!(
        "one run each; `archive import` of the export into a fresh index, exported again, gave \
         the same {lines} lines, field by field"
    ));
    let import_figure = Figure::new(
        "transfer.100k.import",
        "a whole `archive import` process of that export into a fresh index",
        "items_per_s",
    )
    .value(items / import_s)
    .against(Baseline::new(
        "ingest",
        "archive's ingest path in process (tag, upsert, commits), same run",
        ingest_rate,
    ));
    Ok(vec![export_figure, import_figure])
}

fn export(archive: &Path, index: &Path, to: &Path) -> Result<f64> {
    let file = std::fs::File::create(to).with_context(|| format!("{}", to.display()))?;
    let mut command = Command::new(archive);
    command.args(["export", "--index"]).arg(index).stdout(file);
    run(&mut command)
}

fn import(archive: &Path, from: &Path, index: &Path) -> Result<f64> {
    let mut command = Command::new(archive);
    command
        .arg("import")
        .arg(from)
        .arg("--index")
        .arg(index)
        .stdout(Stdio::null());
    run(&mut command)
}

/// Runs the command to its end; seconds it took.
fn run(command: &mut Command) -> Result<f64> {
    command
        .env_remove("ARCHIVE_INDEX")
        .stdin(Stdio::null())
        .stderr(Stdio::null());
    time(|| {
        let status = command.status().context("cannot run archive")?;
        ensure!(status.success(), "{command:?} failed ({status})");
        Ok(())
    })
}

fn time<T>(work: impl FnOnce() -> Result<T>) -> Result<f64> {
    let started = Instant::now();
    work()?;
    Ok(started.elapsed().as_secs_f64())
}

/// Whether both files hold the same lines in any order (each index writes in its own order);
/// how many. Lines are compared by hash, so that memory stays small.
fn same_lines(a: &Path, b: &Path) -> Result<u64> {
    let (left, right) = (line_hashes(a)?, line_hashes(b)?);
    ensure!(
        left == right,
        "the re-exported items differ from the exported ones"
    );
    Ok(left.len() as u64)
}

fn line_hashes(path: &Path) -> Result<Vec<u64>> {
    let file = std::fs::File::open(path).with_context(|| format!("{}", path.display()))?;
    let mut hashes = Vec::new();
    for line in std::io::BufReader::new(file).lines() {
        let mut hasher = DefaultHasher::new();
        line?.hash(&mut hasher);
        hashes.push(hasher.finish());
    }
    hashes.sort_unstable();
    Ok(hashes)
}

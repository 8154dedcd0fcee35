//! Download: the real `archive download` against a bare fetch of the same files, and its
//! peak memory on one very large file.
//!
//! Throughput: 1,000 files of 200 KB from a loopback server, at
//! `--delay 0` with 4 files in flight, sidecars, journal, manifest and checksums included,
//! against a bare fetch of the same files with the same 4 in flight (reqwest, each body
//! written to a file, nothing else), in the same run; and against the same bare fetch that
//! also checksums each body, which shows how much of the gap is the checksum. Memory: one 1 GiB file made on the fly
//! by the server, whose peak RSS must stay far below the file's size.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context as _, Result, ensure};

use crate::Context;
use crate::bare;
use crate::child::{self, Measured};
use crate::report::{Baseline, Figure, Goal};
use crate::stats::{median, rotated};
use archive::index::ArchiveIndex;
use archive::model::{Item, Kind, Source};
use archive_test_support::server::{Body, Reply, Request, TestServer};
use aws_lc_rs::digest;

const FILE_BYTES: usize = 200 * 1000;
const IN_FLIGHT: usize = 4;
const LARGE_BYTES: u64 = 1 << 30;
const MIB: f64 = 1024.0 * 1024.0;

pub(crate) fn measure(cx: &Context) -> Result<Vec<Figure>> {
    let files = 1_000;
    let rounds = if cx.quick { 3 } else { 5 };
    Ok(vec![throughput(cx, files, rounds)?, large_file(cx)?])
}

fn throughput(cx: &Context, files: usize, rounds: usize) -> Result<Figure> {
    let body = Arc::new(jpeg_like(FILE_BYTES));
    let served = body.clone();
    let server = TestServer::builder()
        .workers(1)
        .start(
            move |request: &Request| match request.path.strip_prefix("/f/") {
                Some(_) => {
                    Reply::ok("image/jpeg", served.as_slice().to_vec()).header("ETag", "\"1\"")
                }
                None => Reply::not_found(),
            },
        )?;
    let urls: Vec<String> = (0..files)
        .map(|i| format!("{}/f/{i}.jpg", server.origin()))
        .collect();
    let index = cx.work.join("download-index");
    build_index(&index, &urls, Kind::Photo, "image")?;
    // Every round writes into folders of its own, all removed at the end: a file system
    // that has just deleted thousands of files creates new ones far more slowly, which
    // would charge one side for the other's cleanup.
    let folder = |side: &str, round: usize| cx.work.join(format!("download-{side}-{round}"));
    let (mut archive_round, mut bare_round, mut summed_round) = (0, 0, 0);
    let mut runs = Vec::new();
    let mut archive = || {
        archive_round += 1;
        let pack = folder("pack", archive_round);
        let run = child::measured(&cx.archive, &arguments(&index, &pack), &[])
            .map_err(anyhow::Error::msg)?;
        check_pack(&pack, &run, files)?;
        let wall = run.wall;
        runs.push(run);
        Ok(wall)
    };
    let mut bare = || {
        bare_round += 1;
        bare_fetch(&urls, &folder("bare", bare_round), Checksum::No)
    };
    let mut summed = || {
        summed_round += 1;
        bare_fetch(&urls, &folder("summed", summed_round), Checksum::Sha256)
    };
    let times = rotated(rounds, &mut [&mut archive, &mut bare, &mut summed])?;
    let served_files = server
        .hits()
        .iter()
        .filter(|t| t.starts_with("/f/"))
        .count();
    ensure!(
        served_files == 3 * files * rounds,
        "download: served {served_files} of {} files",
        3 * files * rounds,
    );
    let mut made = vec![index];
    for round in 1..=rounds {
        made.extend(["pack", "bare", "summed"].map(|side| folder(side, round)));
    }
    cleanup(&made.iter().map(PathBuf::as_path).collect::<Vec<_>>());
    let rate = |seconds: f64| files as f64 / seconds;
    let [archive_s, bare_s, summed_s] = [0, 1, 2].map(|side| median(&times[side]));
    let typical = runs
        .iter()
        .min_by(|a, b| {
            (a.wall.as_secs_f64() - archive_s)
                .abs()
                .total_cmp(&(b.wall.as_secs_f64() - archive_s).abs())
        })
        .context("no download ran")?;
    Ok(Figure::new("download.files", format!("files/s, {files} files of 200 KB"), "files_per_s")
        .value(rate(archive_s))
        .against(
            Baseline::new("bare_fetch", "a bare fetch of the same files, 4 in flight, to disk", Some(rate(bare_s)))
                .goal(Goal::AtLeast(0.9)),
        )
        .against(Baseline::new(
            "bare_fetch_sha256",
            "the same bare fetch, each body also checksummed (SHA-256, as archive does)",
            Some(rate(summed_s)),
        ))
        .runs(rounds)
        .note(format!(
            "`archive download --delay 0 --per-host {IN_FLIGHT} --concurrency {IN_FLIGHT}` over loopback, \
             median of {rounds} rounds rotating with the two bare fetches: {archive_s:.2} s for the \
             whole process (start, index, robots.txt, sidecars, journal, manifest, checksums; \
             the median round took {:.2} s CPU, peak RSS {} MiB); the bare fetch took \
             {bare_s:.2} s, {summed_s:.2} s with checksums (in process, from a warm runtime).",
            typical.cpu.as_secs_f64(),
            typical.max_rss_kib / 1024,
        )))
}

/// The run succeeded and its pack lists every file.
fn check_pack(pack: &Path, run: &Measured, files: usize) -> Result<()> {
    ensure!(run.success, "archive download failed:\n{}", run.stderr);
    let sums = std::fs::read_to_string(pack.join("SHA256SUMS")).context("no SHA256SUMS")?;
    ensure!(
        sums.lines().count() == files,
        "SHA256SUMS lists {} files",
        sums.lines().count()
    );
    Ok(())
}

fn large_file(cx: &Context) -> Result<Figure> {
    let server = TestServer::builder()
        .workers(1)
        .start(|request: &Request| match request.path.as_str() {
            "/large.mp4" => Reply::ok("video/mp4", "")
                .header("Content-Length", &LARGE_BYTES.to_string())
                .body(Body::Repeat {
                    pattern: mp4_like(256 * 1024),
                    length: LARGE_BYTES,
                }),
            _ => Reply::not_found(),
        })?;
    let index = cx.work.join("download-large-index");
    build_index(
        &index,
        &[format!("{}/large.mp4", server.origin())],
        Kind::Video,
        "video",
    )?;
    let pack = cx.work.join("download-large-pack");
    let run =
        child::measured(&cx.archive, &arguments(&index, &pack), &[]).map_err(anyhow::Error::msg)?;
    let size = largest_file(&pack);
    cleanup(&[&index, &pack]);
    ensure!(
        run.success && size == LARGE_BYTES,
        "the 1 GiB file came out at {size} bytes:\n{}",
        run.stderr
    );
    Ok(peak(&run))
}

fn peak(run: &Measured) -> Figure {
    Figure::new(
        "download.large_file_peak_rss",
        "peak RSS downloading one 1 GiB file",
        "mib",
    )
    .value(run.max_rss_kib as f64 / 1024.0)
    .against(Baseline::new("target", "64 MiB", Some(64.0)).goal(Goal::AtMost(1.0)))
    .note(format!(
        "One 1 GiB video made on the fly by the server, streamed to disk and checksummed in \
             {:.1} s ({:.0} MiB/s); the process's own memory (RssAnon) peaked at {} MiB.",
        run.wall.as_secs_f64(),
        LARGE_BYTES as f64 / MIB / run.wall.as_secs_f64(),
        run.peak_anon_kib / 1024
    ))
}

fn arguments(index: &Path, pack: &Path) -> Vec<OsString> {
    let n = IN_FLIGHT.to_string();
    let args = ["download", "--index"].map(OsString::from);
    let mut all: Vec<OsString> = args.into();
    all.extend([
        index.as_os_str().to_owned(),
        "--to".into(),
        pack.as_os_str().to_owned(),
    ]);
    for flag in [
        "--delay",
        "0",
        "--per-host",
        &n,
        "--concurrency",
        &n,
        "--allow-private",
        "--quiet",
    ] {
        all.push(flag.into());
    }
    all
}

/// An index of one item per URL, in campaign BENCH.
fn build_index(dir: &Path, urls: &[String], kind: Kind, word: &str) -> Result<()> {
    let index = ArchiveIndex::open_or_create(dir)?;
    let mut indexer = index.indexer()?;
    for (i, url) in urls.iter().enumerate() {
        let mut item = Item::new(format!("bench:{i}"), kind, Source::JsonLd);
        item.title = Some(format!("Bench {word} {i}"));
        item.campaigns = vec!["BENCH".into()];
        item.creator = Some("CNES".into());
        item.license = Some("CC BY 4.0".into());
        item.license_url = Some("https://creativecommons.org/licenses/by/4.0/".into());
        item.media_url = Some(url.clone());
        indexer.upsert(item)?;
    }
    indexer.commit()?;
    Ok(())
}

/// Whether the bare fetch also checksums what it writes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Checksum {
    No,
    Sha256,
}

/// The baseline: every URL fetched with `IN_FLIGHT` at once, each body written to a file,
/// and checksummed when asked (which shows how much of the gap the checksum alone is).
fn bare_fetch(urls: &[String], dir: &Path, checksum: Checksum) -> Result<Duration> {
    std::fs::create_dir_all(dir)?;
    let dir = dir.to_path_buf();
    bare::fetch(urls.to_vec(), IN_FLIGHT, move |i, body| {
        if checksum == Checksum::Sha256 {
            std::hint::black_box(digest::digest(&digest::SHA256, body));
        }
        std::fs::write(dir.join(format!("{i}.jpg")), body)?;
        Ok(())
    })
}

/// `bytes` that start as a JPEG does.
fn jpeg_like(bytes: usize) -> Vec<u8> {
    let mut body = vec![
        0xFF, 0xD8, 0xFF, 0xE0, 0, 16, b'J', b'F', b'I', b'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0,
    ];
    body.extend((0..bytes - body.len() - 2).map(|i| (i % 251) as u8));
    body.extend([0xFF, 0xD9]);
    body
}

/// `bytes` that start as an MP4 does.
fn mp4_like(bytes: usize) -> Vec<u8> {
    let mut body = b"\0\0\0\x20ftypisom\0\0\x02\0isomiso2avc1mp41".to_vec();
    body.extend((0..bytes - body.len()).map(|i| (i % 253) as u8));
    body
}

fn largest_file(dir: &Path) -> u64 {
    let mut largest = 0;
    let mut pending: Vec<PathBuf> = vec![dir.to_path_buf()];
    while let Some(next) = pending.pop() {
        for entry in std::fs::read_dir(&next).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if let Ok(meta) = entry.metadata() {
                largest = largest.max(meta.len());
            }
        }
    }
    largest
}

fn cleanup(dirs: &[&Path]) {
    for dir in dirs {
        let _ = std::fs::remove_dir_all(dir);
    }
}

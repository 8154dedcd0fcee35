//! Download: the real `archive download` against a bare download program, and its peak
//! memory on one very large file.
//!
//! Throughput: 1,000 files of 200 KB from a loopback server with 4 files in flight, sidecars,
//! journal, manifest and checksums included, against a bare program that fetches the same
//! files with the same 4 in flight and writes each body to a file, nothing else (reqwest), in
//! the same run; and against the same program checksumming each body, which shows how much
//! of the gap the checksum is. Each side is a process of its own, started and timed the same
//! way. Twice: as fast as loopback allows, where two cores are shared by the server and the
//! client and the figure is one of CPU time; and at a link's pace (the server pauses between
//! pieces of each file), as a download from the web goes. Memory: one 1 GiB file made
//! on the fly by the server, whose peak RSS must stay far below the file's size.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context as _, Result, ensure};

use crate::Context;
use crate::bare::{self, Checksum};
use crate::child::{self, Measured};
use crate::report::{Baseline, Figure, Goal};
use crate::stats::{median, rotated};
use archive::index::ArchiveIndex;
use archive::model::{Item, Kind, Source};
use archive_test_support::server::{Body, Reply, Request, TestServer};

const FILE_BYTES: usize = 200 * 1000;
const IN_FLIGHT: usize = 4;
const LARGE_BYTES: u64 = 1 << 30;
const MIB: f64 = 1024.0 * 1024.0;
/// At a link's pace a file comes in pieces of this size, a millisecond or a little more
/// apart (the server's timer rounds up) on each of the four connections: under 200 MB/s for
/// the four, the pace the bare program reaches is the one reported.
const LINK_PIECE: usize = 50_000;

pub(crate) fn measure(cx: &Context) -> Result<Vec<Figure>> {
    let files = 1_000;
    let rounds = if cx.quick { 3 } else { 5 };
    // What the figures write is removed only at the end: a file system that has just deleted
    // thousands of files creates new ones far more slowly (ext4 scans for inodes not freed
    // recently), which would charge the later figures for the earlier ones, and archive,
    // which creates two files an item (the file and its sidecar), twice.
    let mut made = Vec::new();
    let figures = [
        throughput(cx, files, rounds, Pace::Loopback, &mut made),
        throughput(cx, files, 3, Pace::Link, &mut made),
        large_file(cx, &mut made),
    ];
    cleanup(&made);
    figures.into_iter().collect()
}

/// How the server sends each file.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Pace {
    /// As fast as loopback and the CPU allow.
    Loopback,
    /// In pieces with a pause between them, as a link of about 1 Gbit/s would.
    Link,
}

/// The programs compared.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Archive,
    Bare(Checksum),
}

impl Side {
    fn name(self) -> &'static str {
        match self {
            Side::Archive => "pack",
            Side::Bare(checksum) => checksum.name(),
        }
    }
}

/// What the rounds of one side measured.
#[derive(Default)]
struct Rounds {
    walls: Vec<f64>,
    /// Cores in use on average, the server's included: (CPU time of both) ÷ wall time.
    busy: Vec<f64>,
    runs: Vec<Measured>,
}

fn throughput(
    cx: &Context,
    files: usize,
    rounds: usize,
    pace: Pace,
    made: &mut Vec<PathBuf>,
) -> Result<Figure> {
    let served = Arc::new(jpeg_like(FILE_BYTES));
    let server = TestServer::builder()
        .workers(1)
        .start(
            move |request: &Request| match request.path.strip_prefix("/f/") {
                Some(_) => file_reply(&served, pace),
                None => Reply::not_found(),
            },
        )?;
    let urls: Vec<String> = (0..files)
        .map(|i| format!("{}/f/{i}.jpg", server.origin()))
        .collect();
    let tag = match pace {
        Pace::Loopback => "loopback",
        Pace::Link => "link",
    };
    let index = cx.work.join(format!("download-index-{tag}"));
    build_index(&index, &urls, Kind::Photo, "image")?;
    let url_list = cx.work.join(format!("download-urls-{tag}"));
    std::fs::write(&url_list, urls.join("\n"))?;
    let sides: &[Side] = match pace {
        Pace::Loopback => &[
            Side::Archive,
            Side::Bare(Checksum::No),
            Side::Bare(Checksum::Sha256),
        ],
        Pace::Link => &[Side::Archive, Side::Bare(Checksum::No)],
    };
    // Every round writes into folders of its own, for the same reason as above.
    let folder = |side: Side, round: usize| {
        cx.work
            .join(format!("download-{tag}-{}-{round}", side.name()))
    };
    let mut measured: Vec<Rounds> = sides.iter().map(|_| Rounds::default()).collect();
    {
        let mut subjects: Vec<Box<dyn FnMut() -> Result<Duration>>> = Vec::new();
        for (side, into) in sides.iter().copied().zip(measured.iter_mut()) {
            let (index, url_list) = (&index, &url_list);
            subjects.push(Box::new(move || {
                let round = into.runs.len() + 1;
                let out = folder(side, round);
                let server_cpu = child::own_cpu();
                let run = match side {
                    Side::Archive => child::measured(&cx.archive, &arguments(index, &out), &[]),
                    Side::Bare(checksum) => bare_program(url_list, &out, checksum),
                }
                .map_err(anyhow::Error::msg)?;
                let server_cpu = child::own_cpu().saturating_sub(server_cpu);
                match side {
                    Side::Archive => check_pack(&out, &run, files)?,
                    Side::Bare(_) => {
                        ensure!(run.success, "the bare download failed:\n{}", run.stderr)
                    }
                }
                let wall = run.wall;
                into.walls.push(wall.as_secs_f64());
                into.busy
                    .push((run.cpu + server_cpu).as_secs_f64() / wall.as_secs_f64());
                into.runs.push(run);
                Ok(wall)
            }));
        }
        let mut subjects: Vec<&mut dyn FnMut() -> Result<Duration>> =
            subjects.iter_mut().map(|s| &mut **s as _).collect();
        rotated(rounds, &mut subjects)?;
    }
    let served_files = server
        .hits()
        .iter()
        .filter(|t| t.starts_with("/f/"))
        .count();
    ensure!(
        served_files == sides.len() * files * rounds,
        "download: served {served_files} of {} files",
        sides.len() * files * rounds,
    );
    made.extend([index, url_list]);
    for round in 1..=rounds {
        made.extend(sides.iter().map(|side| folder(*side, round)));
    }
    figure(files, rounds, pace, &measured)
}

fn figure(files: usize, rounds: usize, pace: Pace, measured: &[Rounds]) -> Result<Figure> {
    let rate = |side: &Rounds| files as f64 / median(&side.walls);
    let [archive, bare, ..] = measured else {
        anyhow::bail!("two sides at least");
    };
    let archive_s = median(&archive.walls);
    let typical = archive
        .runs
        .iter()
        .min_by(|a, b| {
            (a.wall.as_secs_f64() - archive_s)
                .abs()
                .total_cmp(&(b.wall.as_secs_f64() - archive_s).abs())
        })
        .context("no download ran")?;
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let busy: Vec<String> = measured
        .iter()
        .map(|side| format!("{:.2}", median(&side.busy)))
        .collect();
    let (key, what, how) = match pace {
        Pace::Loopback => (
            "download.files",
            format!("files/s, {files} files of 200 KB"),
            "as fast as loopback allows",
        ),
        Pace::Link => (
            "download.files_link",
            format!("files/s, {files} files of 200 KB at a link's pace"),
            "each file sent in pieces of 50 KB a millisecond apart",
        ),
    };
    let mut figure = Figure::new(key, what, "files_per_s")
        .value(rate(archive))
        .against(
            Baseline::new(
                "bare_fetch",
                "a bare download program, the same files, 4 in flight, to disk",
                Some(rate(bare)),
            )
            .goal(Goal::AtLeast(0.9)),
        );
    if let Some(summed) = measured.get(2) {
        figure = figure.against(Baseline::new(
            "bare_fetch_sha256",
            "the same program, each body also checksummed (SHA-256, as archive does)",
            Some(rate(summed)),
        ));
    }
    let walls: Vec<String> = measured
        .iter()
        .map(|side| format!("{:.3}", median(&side.walls)))
        .collect();
    Ok(figure.runs(rounds).note(format!(
        "`archive download --delay 0 --per-host {IN_FLIGHT} --concurrency {IN_FLIGHT}` over loopback, {how}; \
         median of {rounds} rounds rotating with the bare program (each a process, timed from its start to its end): \
         {} s (archive: start, index, robots.txt, sidecars, journal, manifest, checksums; the median round took \
         {:.2} s CPU, peak RSS {} MiB); the bare program received {:.0} MB/s. Cores busy, the server's \
         included (CPU time ÷ wall time, of {cores}): {}.",
        walls.join(" / "),
        typical.cpu.as_secs_f64(),
        typical.max_rss_kib / 1024,
        rate(bare) * FILE_BYTES as f64 / 1e6,
        busy.join(" / "),
    )))
}

/// One file as the server sends it.
fn file_reply(body: &[u8], pace: Pace) -> Reply {
    let reply = Reply::ok("image/jpeg", "").header("ETag", "\"1\"");
    match pace {
        Pace::Loopback => reply.body(Body::Full(body.to_vec())),
        Pace::Link => reply
            .header("Content-Length", &body.len().to_string())
            .body(Body::Paced {
                bytes: body.to_vec(),
                chunk: LINK_PIECE,
                every: Duration::from_millis(1),
            }),
    }
}

/// The bare program, run and measured as archive is.
fn bare_program(url_list: &Path, out: &Path, checksum: Checksum) -> Result<Measured, String> {
    let harness = std::env::current_exe().map_err(|e| e.to_string())?;
    let args: Vec<OsString> = vec![
        bare::FILES_FLAG.into(),
        url_list.into(),
        out.into(),
        IN_FLIGHT.to_string().into(),
        checksum.name().into(),
    ];
    child::measured(&harness, &args, &[])
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

fn large_file(cx: &Context, made: &mut Vec<PathBuf>) -> Result<Figure> {
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
    made.extend([index, pack]);
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

fn cleanup(paths: &[PathBuf]) {
    for path in paths {
        let _ = std::fs::remove_dir_all(path).or_else(|_| std::fs::remove_file(path));
    }
}

//! Memory and disk: the peak RSS of a whole crawl with its indexing must stay flat as the
//! crawl grows, beyond the index writer's budget; and the index's size on disk per item,
//! against the NDJSON dump of the same items.
//!
//! The crawl is `archive crawl` of one release linking Flickr albums that a loopback stand-in
//! of the REST API serves, 500 photos a page, made on the fly (`FLICKR_API_KEY`,
//! `FLICKR_API_URL`). An album is read to 100 pages at most, so a large crawl spans several
//! albums of 50,000 photos.

use std::ffi::OsString;
use std::fmt::Write as _;
use std::path::Path;
use std::time::Duration;

use anyhow::{Result, ensure};

use crate::Context;
use crate::bare;
use crate::child::{self, Measured};
use crate::data::Corpus;
use crate::ingest::{self, Built};
use crate::report::{Baseline, Figure, Goal};
use archive_test_support::server::{Reply, Request, TestServer};

const NSID: &str = "141938346@N05";
/// The first album's id; the others follow.
const FIRST_ALBUM: u64 = 72_157_704_555_600_000;
const PER_ALBUM: u64 = 50_000;
const PER_PAGE: u64 = 500;
const MIB: f64 = 1024.0 * 1024.0;

/// A crawl's peak memory against the writer's budget and, past the first size, against the
/// same figure at the first size: what must stay flat.
fn peak_memory(
    name: String,
    what: String,
    peak: f64,
    smallest: &mut Option<(String, f64)>,
    label: &str,
) -> Figure {
    let mut figure = Figure::new(name, what, "mib")
        .value(peak)
        .against(Baseline::new(
            "writer_budget",
            "the index writer's budget (WRITER_BUDGET)",
            Some(archive::index::WRITER_BUDGET as f64 / MIB),
        ));
    match smallest {
        Some((smaller, base)) => {
            figure = figure.against(
                Baseline::new(
                    "smaller_crawl",
                    format!("the same crawl of {smaller} items"),
                    Some(*base),
                )
                .goal(Goal::AtMost(1.25)),
            );
        }
        None => *smallest = Some((label.to_string(), peak)),
    }
    figure
}

/// What a crawl is measured against, by size: its two limits, and archive's own ingest.
pub(crate) struct Limits<'a> {
    /// archive's ingest path alone, items per second.
    pub(crate) ingest: &'a [(u64, f64)],
    /// Raw Tantivy committed as a crawl commits, items per second.
    pub(crate) raw_tantivy: &'a [(u64, f64)],
}

/// Issue 15: a crawl within 1.2 times the slower of its two limits, as a rate.
const WITHIN_LIMITS: f64 = 1.0 / 1.2;

pub(crate) fn measure(cx: &Context, built: &[Built], limits: &Limits<'_>) -> Result<Vec<Figure>> {
    let sizes: &[u64] = if cx.quick {
        &[10_000, 100_000]
    } else {
        &[100_000, 1_000_000]
    };
    let mut figures = Vec::new();
    let mut smallest: Option<(String, f64)> = None;
    let mut smallest_anon: Option<(String, f64)> = None;
    for &items in sizes {
        let run = crawl(cx, items)?;
        let label = crate::size_label(items);
        figures.push(peak_memory(
            format!("memory.crawl_{label}"),
            format!("peak RSS of `archive crawl` reading and indexing {label} Flickr items"),
            run.max_rss_kib as f64 / 1024.0,
            &mut smallest,
            &label,
        ));
        // The crawl's own memory, without the mapped index files: the part that must stay flat.
        figures.push(peak_memory(
            format!("memory.crawl_{label}_own"),
            format!("peak own memory (RssAnon, sampled) of the same crawl of {label} items"),
            run.peak_anon_kib as f64 / 1024.0,
            &mut smallest_anon,
            &label,
        ));
        let at_size = |rates: &[(u64, f64)]| rates.iter().find(|(n, _)| *n == items).map(|r| r.1);
        let fetched = bare_api_fetch(items)?;
        let fetch_rate = items as f64 / fetched.as_secs_f64();
        let raw = at_size(limits.raw_tantivy);
        let slower = raw.map_or(fetch_rate, |raw| raw.min(fetch_rate));
        figures.push(
            Figure::new(
                format!("crawl.flickr_{label}"),
                "items/s of that crawl, end to end (API pages of 500, no latency)",
                "items_per_s",
            )
            .value(items as f64 / run.wall.as_secs_f64())
            .against(Baseline::new(
                "ingest",
                "archive's ingest path alone, same size",
                at_size(limits.ingest),
            ))
            .against(Baseline::new(
                "bare_api_fetch",
                format!("a bare fetch of the same API pages, {API_IN_FLIGHT} in flight"),
                Some(fetch_rate),
            ))
            .against(Baseline::new(
                "raw_tantivy",
                "raw Tantivy indexing as many items, committed as a crawl commits",
                raw,
            ))
            .against(
                Baseline::new(
                    "slower_limit",
                    "the slower of those two (issue 15: the crawl within 1.2 times its time)",
                    Some(slower),
                )
                .goal(Goal::AtLeast(WITHIN_LIMITS)),
            )
            .note(format!(
                "{:.1} s, {:.1} s CPU, {} albums; the bare fetch of its API pages took {:.1} s",
                run.wall.as_secs_f64(),
                run.cpu.as_secs_f64(),
                items.div_ceil(PER_ALBUM),
                fetched.as_secs_f64(),
            )),
        );
    }
    figures.extend(built.iter().map(disk));
    Ok(figures)
}

fn disk(built: &Built) -> Figure {
    let label = crate::size_label(built.items);
    let items = built.items as f64;
    let size = ingest::disk_size(&built.dir);
    Figure::new(
        format!("disk.{label}"),
        format!("index size on disk per item, {label} items (built by ingest)"),
        "bytes_per_item",
    )
    .value(size as f64 / items)
    .against(Baseline::new(
        "ndjson",
        "the items as NDJSON",
        Some(built.dump_bytes as f64 / items),
    ))
    .note(format!(
        "{:.1} MiB of index, {:.1} MiB of NDJSON",
        size as f64 / MIB,
        built.dump_bytes as f64 / MIB
    ))
}

/// Crawls a release linking albums of `items` photos in all.
fn crawl(cx: &Context, items: u64) -> Result<Measured> {
    let index = cx.work.join(format!("memory-{items}-index"));
    let run = crawl_into(cx, items, &index, &["VS20"]);
    ingest::remove(&index);
    run
}

/// Crawls albums of `items` photos in all into `index`, from one release per campaign, each
/// linking its share of the albums and ending with its hashtag.
pub(crate) fn crawl_into(
    cx: &Context,
    items: u64,
    index: &Path,
    campaigns: &[&str],
) -> Result<Measured> {
    let corpus = Corpus::new();
    let albums = items.div_ceil(PER_ALBUM);
    let handler = move |request: &Request| flickr(&corpus, request, items);
    // One worker: the server must not take a core from what it measures.
    let server = TestServer::builder().workers(1).start(handler)?;
    let share = albums.div_ceil(campaigns.len() as u64);
    let mut args: Vec<OsString> = vec!["crawl".into()];
    for (n, campaign) in (0u64..).zip(campaigns) {
        let first = n * share;
        let count = share.min(albums.saturating_sub(first));
        args.push(
            format!(
                "{}/release.html?first={first}&albums={count}&tag={campaign}",
                server.origin()
            )
            .into(),
        );
    }
    args.extend([
        "--index".into(),
        index.as_os_str().to_owned(),
        "--quiet".into(),
    ]);
    // The stand-in has no quota: past 1.8M photos, Flickr's 3,600 calls an hour would
    // measure the wait, not the crawl.
    let envs = [
        ("FLICKR_API_KEY", "bench-key".to_string()),
        ("FLICKR_API_URL", server.origin()),
        ("FLICKR_CALLS_PER_HOUR", "1000000".to_string()),
    ];
    let run = child::measured(&cx.archive, &args, &envs).map_err(anyhow::Error::msg)?;
    let (calls, _) = server.answered("/services/");
    let pages = items.div_ceil(PER_PAGE) + albums;
    ensure!(
        run.success && calls as u64 >= pages,
        "the crawl of {items} Flickr items made {calls} API calls of {pages}:\n{}",
        run.stderr
    );
    Ok(run)
}

/// API requests a crawl has in flight: the fetcher's default per host.
const API_IN_FLIGHT: usize = 2;

/// A crawl's network limit: every API call the crawl of `items` photos makes (each album's
/// `getInfo` and `getPhotos` pages), asked of the same stand-in with the crawler's number in
/// flight, each body read whole and dropped.
fn bare_api_fetch(items: u64) -> Result<Duration> {
    let corpus = Corpus::new();
    let server = TestServer::builder()
        .workers(1)
        .start(move |request: &Request| flickr(&corpus, request, items))?;
    let api = format!(
        "{}/services/rest/?format=json&nojsoncallback=1&api_key=bench-key",
        server.origin()
    );
    let mut urls = Vec::new();
    for album in 0..items.div_ceil(PER_ALBUM) {
        let id = FIRST_ALBUM + album;
        urls.push(format!(
            "{api}&method=flickr.photosets.getInfo&photoset_id={id}"
        ));
        let size = items.saturating_sub(album * PER_ALBUM).min(PER_ALBUM);
        for page in 1..=size.div_ceil(PER_PAGE) {
            urls.push(format!(
                "{api}&method=flickr.photosets.getPhotos&photoset_id={id}&page={page}&per_page={PER_PAGE}"
            ));
        }
    }
    bare::fetch(urls, API_IN_FLIGHT, |_, body| {
        ensure!(body.starts_with(b"{"), "the stand-in answered oddly");
        Ok(())
    })
}

/// The release and the Flickr REST API for albums of `items` photos in all.
fn flickr(corpus: &Corpus, request: &Request, items: u64) -> Reply {
    let param = |name: &str| request.param(name);
    let path = request.path.as_str();
    let json = |body: String| Reply::ok("application/json; charset=utf-8", body);
    if path == "/release.html" {
        let number =
            |name: &str, default: u64| param(name).and_then(|a| a.parse().ok()).unwrap_or(default);
        let (first, albums) = (number("first", 0), number("albums", 1));
        let tag = param("tag").filter(|t| t.chars().all(|c| c.is_ascii_alphanumeric()));
        let tag = tag.unwrap_or_else(|| "VS20".into());
        let mut body = format!("<article><h1>{tag}: every photo</h1>");
        for album in FIRST_ALBUM + first..FIRST_ALBUM + first + albums {
            let _ = write!(
                body,
                r#"<a href="https://www.flickr.com/photos/{NSID}/albums/{album}">album</a> "#
            );
        }
        let _ = write!(body, "<p>#{tag}</p></article>");
        return Reply::ok("text/html; charset=utf-8", body);
    }
    if path != "/services/rest/" {
        return Reply::not_found();
    }
    let album = param("photoset_id")
        .and_then(|a| a.parse::<u64>().ok())
        .and_then(|a| a.checked_sub(FIRST_ALBUM))
        .unwrap_or(0);
    let first = album * PER_ALBUM;
    let size = items.saturating_sub(first).min(PER_ALBUM);
    match param("method").as_deref() {
        Some("flickr.photosets.getInfo") => json(format!(
            r#"{{"photoset":{{"id":"{}","owner":"{NSID}","username":"CNES","photos":{size},"title":{{"_content":"Album {album}"}},"description":{{"_content":""}},"date_create":"1545161900","date_update":"1545240000"}},"stat":"ok"}}"#,
            FIRST_ALBUM + album
        )),
        Some("flickr.photosets.getPhotos") => {
            let page: u64 = param("page")
                .and_then(|p| p.parse().ok())
                .unwrap_or(1)
                .max(1);
            let start = (page - 1) * PER_PAGE;
            let count = size.saturating_sub(start).min(PER_PAGE);
            json(corpus.flickr_page(first + start, count, (page, size), true))
        }
        _ => json(r#"{"stat":"fail","code":112,"message":"Method not found"}"#.into()),
    }
}

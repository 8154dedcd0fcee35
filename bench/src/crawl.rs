//! Crawl: pages per second of the real `archive crawl` against a loopback site that answers
//! every request after 50 ms, compared with the politeness bound.
//!
//! For one host with `--per-host C` and `--delay d`, no polite crawler can beat
//! min(C / latency, 1 / d) pages per second; over several hosts the sum of theirs, capped by
//! `--concurrency N` at N / latency (Little's law). A crawl near that bound is limited by
//! its manners, not by its code. CPU time per page says what each page costs the machine.

use std::ffi::OsString;
use std::fmt::Write as _;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::Path;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use anyhow::{Result, ensure};

use crate::Context;
use crate::child::{self, Measured};
use crate::report::{Baseline, Figure, Goal};
use archive_test_support::server::{Reply, Request, TestServer};

const LATENCY: Duration = Duration::from_millis(50);

/// One crawl to run: how many pages on how many hosts, and the crawl's limits.
struct Plan {
    key: &'static str,
    what: &'static str,
    pages: usize,
    hosts: u8,
    per_host: u32,
    delay_ms: u32,
    concurrency: u32,
}

impl Plan {
    /// The most pages per second these limits allow at [`LATENCY`].
    fn bound(&self) -> f64 {
        let latency = LATENCY.as_secs_f64();
        let per_host = (f64::from(self.per_host) / latency).min(1_000.0 / f64::from(self.delay_ms));
        (per_host * f64::from(self.hosts)).min(f64::from(self.concurrency) / latency)
    }
}

pub(crate) fn measure(cx: &Context) -> Result<Vec<Figure>> {
    let plans = [
        Plan {
            key: "crawl.one_host",
            what: "one host",
            pages: if cx.quick { 500 } else { 2_000 },
            hosts: 1,
            per_host: 4,
            delay_ms: 15,
            concurrency: 16,
        },
        Plan {
            key: "crawl.eight_hosts",
            what: "eight hosts (127.0.0.2–9)",
            pages: if cx.quick { 800 } else { 2_000 },
            hosts: 8,
            per_host: 2,
            delay_ms: 20,
            concurrency: 8,
        },
    ];
    let mut figures = Vec::new();
    for plan in &plans {
        figures.extend(crawl(cx, plan)?);
    }
    Ok(figures)
}

fn crawl(cx: &Context, plan: &Plan) -> Result<Vec<Figure>> {
    // The seed lives on 127.0.0.1; the pages on 127.0.0.2 and up, one address per host.
    let addrs: Vec<SocketAddr> = (1..=plan.hosts + 1)
        .map(|last| SocketAddr::from((Ipv4Addr::new(127, 0, 0, last), 0)))
        .collect();
    // The seed links to the servers' own addresses, known once they listen.
    let origins = Arc::new(OnceLock::<Vec<String>>::new());
    let (pages, hosts) = (plan.pages, usize::from(plan.hosts));
    let shared = origins.clone();
    let handler = move |request: &Request| {
        let origins = shared.get().map_or(&[][..], Vec::as_slice);
        site(&request.path, origins, pages, hosts)
    };
    // One worker: the server must not take a core from what it measures.
    let server = TestServer::builder()
        .listen(addrs)
        .latency(LATENCY)
        .workers(1)
        .start(handler)?;
    let _ = origins.set(
        (0..server.addrs.len())
            .map(|i| server.origin_at(i))
            .collect(),
    );
    let index = cx.work.join(format!("{}-index", plan.key));
    let report = cx.work.join(format!("{}-report.json", plan.key));
    let seed = format!("{}/seed.html", server.origin());
    let args = arguments(plan, &seed, &index, &report);
    let run = child::measured(&cx.archive, &args, &[]).map_err(anyhow::Error::msg)?;
    let (served, window) = server.answered("/p/");
    drop(server);
    let added = added(&report);
    crate::ingest::remove(&index);
    ensure!(
        run.success && served == plan.pages,
        "{}: served {served} of {} pages; the crawl said:\n{}",
        plan.key,
        plan.pages,
        run.stderr
    );
    let mut note = format!(
        "{} pages, {} ms latency, `--per-host {} --delay {} --concurrency {}`: bound {:.1} pages/s. \
         Rate over the process's whole life (start, robots.txt, seed, final commit); the server \
         saw {:.1} pages/s from the first page asked to the last answered.",
        plan.pages,
        LATENCY.as_millis(),
        plan.per_host,
        plan.delay_ms,
        plan.concurrency,
        plan.bound(),
        served as f64 / window.as_secs_f64(),
    );
    // The release itself is an item too.
    if added != Some(plan.pages + 1) {
        let _ = write!(note, " Items added: {added:?}.");
    }
    Ok(figures(plan, &run, note))
}

fn arguments(plan: &Plan, seed: &str, index: &Path, report: &Path) -> Vec<OsString> {
    [
        "crawl".to_string(),
        seed.to_string(),
        "--index".into(),
        index.display().to_string(),
        "--report".into(),
        report.display().to_string(),
        "--per-host".into(),
        plan.per_host.to_string(),
        "--delay".into(),
        plan.delay_ms.to_string(),
        "--concurrency".into(),
        plan.concurrency.to_string(),
        "--quiet".into(),
    ]
    .into_iter()
    .map(OsString::from)
    .collect()
}

/// Pages per second against the bound, and CPU time per page.
fn figures(plan: &Plan, run: &Measured, note: String) -> Vec<Figure> {
    let pages = plan.pages as f64;
    let throughput = Figure::new(plan.key, format!("pages/s, {}", plan.what), "pages_per_s")
        .value(pages / run.wall.as_secs_f64())
        .against(
            Baseline::new(
                "bound",
                "min(C/latency, 1/delay) per host, capped by N/latency",
                Some(plan.bound()),
            )
            .goal(Goal::AtLeast(0.9)),
        )
        .note(note);
    let cpu = Figure::new(
        format!("{}_cpu", plan.key),
        format!("CPU (user+sys) per page, {}", plan.what),
        "cpu_ms_per_page",
    )
    .value(run.cpu.as_secs_f64() * 1_000.0 / pages)
    .note(format!(
        "{:.2} s CPU for {} pages in {:.1} s; peak RSS {} MiB",
        run.cpu.as_secs_f64(),
        plan.pages,
        run.wall.as_secs_f64(),
        run.max_rss_kib / 1024
    ));
    vec![throughput, cpu]
}

/// The loopback site: a seed linking every page, each page one video in JSON-LD.
fn site(path: &str, origins: &[String], pages: usize, hosts: usize) -> Reply {
    let page_host = |i: usize| origins.get(1 + i % hosts).map_or("", String::as_str);
    if path == "/seed.html" {
        let mut body = String::from(
            "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Bench release</title></head>\
             <body><article><h1>Soyuz VS20: the launch in videos</h1><ul>",
        );
        for i in 0..pages {
            let _ = write!(
                body,
                "<li><a href=\"{}/p/{i}\">clip {i}</a></li>",
                page_host(i)
            );
        }
        body.push_str("</ul><p>#VS20 #BENCH</p></article></body></html>");
        return Reply::ok("text/html; charset=utf-8", body);
    }
    let Some(i) = path
        .strip_prefix("/p/")
        .and_then(|n| n.parse::<usize>().ok())
    else {
        return Reply::not_found();
    };
    let host = page_host(i);
    let body = format!(
        r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Clip {i}</title>
<script type="application/ld+json">{{"@context":"https://schema.org","@type":"VideoObject",
"name":"Soyuz VS20 launch, clip {i}","description":"Clip {i} of the Soyuz VS20 launch campaign. #VS20",
"contentUrl":"{host}/media/{i}.mp4","thumbnailUrl":"{host}/thumbs/{i}.jpg",
"uploadDate":"2018-12-19T10:12:00+01:00","duration":"PT1M5S",
"creator":{{"@type":"Organization","name":"CNES"}}}}</script></head>
<body><h1>Soyuz VS20 launch, clip {i}</h1><video src="{host}/media/{i}.mp4"></video></body></html>"#
    );
    Reply::ok("text/html; charset=utf-8", body)
}

/// Items the crawl says it added, from its `--report` JSON.
fn added(report: &Path) -> Option<usize> {
    let text = std::fs::read_to_string(report).ok()?;
    let json: serde_json::Value = serde_json::from_str(&text).ok()?;
    let added = json.get("written")?.get("stats")?.get("added")?.as_u64()?;
    usize::try_from(added).ok()
}

//! The crawler's manners, checked from the server's side: how many requests it sent at once,
//! how far apart it started them, how it took 429 and 503, and what robots.txt said.

use crate::common;

use std::process::Output;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use archive_test_support::server::{Reply, Request, TestServer};
use common::cli::{archive, assert_ok, stderr};

/// A release at `/release.html` linking to `/p/0` … `/p/{pages-1}`; `serve` answers the rest.
fn site(
    pages: usize,
    robots: &'static str,
    serve: impl Fn(&Request) -> Reply + Send + Sync + 'static,
) -> TestServer {
    TestServer::start(move |request| match request.path.as_str() {
        "/release.html" => {
            let links: String = (0..pages)
                .map(|i| format!(r#"<a href="/p/{i}">{i}</a> "#))
                .collect();
            Reply::ok(
                "text/html",
                format!("<article>{links}<p>#VS20</p></article>"),
            )
        }
        "/robots.txt" if robots.is_empty() => Reply::not_found(),
        "/robots.txt" => Reply::ok("text/plain", robots),
        _ => serve(request),
    })
}

fn page() -> Reply {
    Reply::ok("text/html", "<html><title>page</title></html>")
}

fn crawl(server: &TestServer, extra: &[&str]) -> Output {
    crawl_reporting(server, extra).0
}

/// Crawls the release, and gives the `--report` JSON too.
fn crawl_reporting(server: &TestServer, extra: &[&str]) -> (Output, serde_json::Value) {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    let report = dir.path().join("report.json");
    let release = server.url("/release.html");
    let mut args = vec![
        "crawl",
        release.as_str(),
        "--index",
        index.to_str().unwrap(),
        "--report",
        report.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let output = archive(&args, &[]);
    let report = std::fs::read(&report)
        .map(|bytes| serde_json::from_slice(&bytes).unwrap())
        .unwrap_or_default();
    (output, report)
}

/// The kind of failure `--report` gives for the URL ending with `path`.
fn failure_kind<'a>(report: &'a serde_json::Value, path: &str) -> Option<&'a str> {
    report["failures"]
        .as_array()?
        .iter()
        .find(|f| f["url"].as_str().is_some_and(|u| u.ends_with(path)))
        .and_then(|f| f["kind"].as_str())
}

/// Scheduling on a shared machine is not exact: a gap measured at the server may come out a
/// little shorter than the one the client kept.
const SLACK: Duration = Duration::from_millis(20);

#[test]
fn requests_to_one_host_are_limited_in_flight_and_spaced() {
    let slow = || page().after(Duration::from_millis(300));
    let server = site(10, "", move |_| slow());
    assert_ok(&crawl(&server, &["--per-host", "2", "--delay", "100"]));
    assert_eq!(server.hits_on("/release.html"), 1);
    assert_eq!(
        server.max_in_flight(),
        2,
        "two at a time, and the crawl used both"
    );
    let gap = server.min_gap("/p/").unwrap();
    assert!(
        gap + SLACK >= Duration::from_millis(100),
        "starts {gap:?} apart"
    );

    let server = site(10, "", move |_| slow());
    assert_ok(&crawl(&server, &["--per-host", "3", "--delay", "0"]));
    assert_eq!(server.max_in_flight(), 3);
}

#[test]
fn a_host_has_as_many_links_read_at_once_as_requests_allowed_and_every_one_read() {
    // Links of one host take turns (twelve links, six readers), so that waiting links hold no
    // memory; as many are read at once as requests are allowed, and every one in the end.
    let server = site(12, "", |_| page().after(Duration::from_millis(200)));
    assert_ok(&crawl(&server, &["--per-host", "6", "--delay", "0"]));
    assert_eq!(server.max_in_flight(), 6, "six links of the host at once");
    for i in 0..12 {
        assert_eq!(server.hits_on(&format!("/p/{i}")), 1, "/p/{i}");
    }
}

#[test]
fn the_default_pace_is_two_at_a_time_250_ms_apart() {
    let server = site(6, "", |_| page().after(Duration::from_millis(100)));
    assert_ok(&crawl(&server, &[]));
    assert!(server.max_in_flight() <= 2);
    let gap = server.min_gap("/").unwrap();
    assert!(
        gap + SLACK >= Duration::from_millis(250),
        "starts {gap:?} apart"
    );
}

/// Answers 429 (or 503) with `Retry-After` the first time, then the page.
fn busy_once(
    retry_after: impl Fn() -> String + Send + Sync + 'static,
    status: u16,
) -> impl Fn(&Request) -> Reply + Send + Sync + 'static {
    let calls = Arc::new(AtomicUsize::new(0));
    move |request| {
        if request.path == "/p/0" && calls.fetch_add(1, Ordering::SeqCst) == 0 {
            return Reply::status(status).header("Retry-After", &retry_after());
        }
        page()
    }
}

#[test]
fn retry_after_is_honoured_in_seconds_and_as_a_date_and_slows_the_host() {
    let server = site(1, "", busy_once(|| "2".into(), 429));
    assert_ok(&crawl(&server, &["--delay", "0"]));
    assert_eq!(server.hits_on("/p/0"), 2);
    assert!(server.min_gap("/p/0").unwrap() + SLACK >= Duration::from_secs(2));

    let in_two_seconds = || {
        (chrono::Utc::now() + chrono::Duration::seconds(3))
            .to_rfc2822()
            .replace("+0000", "GMT")
    };
    let server = site(1, "", busy_once(in_two_seconds, 503));
    assert_ok(&crawl(&server, &["--delay", "0"]));
    assert_eq!(server.hits_on("/p/0"), 2);
    assert!(server.min_gap("/p/0").unwrap() + SLACK >= Duration::from_secs(2));

    // After a 429 the host's pace drops to one request a second, and recovers slowly.
    let server = site(3, "", busy_once(|| "0".into(), 429));
    assert_ok(&crawl(&server, &["--delay", "0", "--per-host", "1"]));
    let starts = server.starts();
    let throttled = starts.iter().position(|(t, _)| t == "/p/0").unwrap();
    let after: Vec<Duration> = starts[throttled..]
        .windows(2)
        .map(|w| w[1].1 - w[0].1)
        .collect();
    assert!(!after.is_empty(), "{:?}", server.hits());
    assert!(after[0] + SLACK >= Duration::from_secs(1), "{after:?}");
    assert!(
        after
            .iter()
            .all(|gap| *gap + SLACK >= Duration::from_millis(750)),
        "{after:?}"
    );
}

#[test]
fn a_burst_of_server_errors_is_ridden_out() {
    let calls = Arc::new(AtomicUsize::new(0));
    let server = site(1, "", move |_| {
        if calls.fetch_add(1, Ordering::SeqCst) < 2 {
            Reply::status(503)
        } else {
            Reply::ok(
                "text/html",
                r#"<meta property="og:video" content="https://cnes.example/v.mp4"><meta property="og:title" content="After the storm">"#,
            )
        }
    });
    let (output, report) = crawl_reporting(&server, &["--delay", "0"]);
    assert_ok(&output);
    assert_eq!(server.hits_on("/p/0"), 3);
    assert_eq!(
        report["failures"],
        serde_json::json!([]),
        "{}",
        stderr(&output)
    );
}

#[test]
fn robots_txt_is_obeyed_in_all_its_forms() {
    // Disallow, with our product token's group taking precedence over `*`.
    let server = site(
        3,
        "User-agent: *\nDisallow: /\n\nUser-agent: archive\nDisallow: /p/1\n",
        |_| page(),
    );
    let (_, report) = crawl_reporting(&server, &["--delay", "0"]);
    assert_eq!(server.hits_on("/p/0"), 1);
    assert_eq!(server.hits_on("/p/1"), 0);
    assert_eq!(failure_kind(&report, "/p/1"), Some("robots"));

    // A server error on robots.txt forbids the whole host; a 404 allows it.
    let broken = TestServer::start(|request| match request.path.as_str() {
        "/robots.txt" => Reply::status(500),
        _ => page(),
    });
    let dir = tempfile::tempdir().unwrap();
    let seed = broken.url("/p");
    let report = dir.path().join("report.json");
    let output = archive(
        &[
            "crawl",
            seed.as_str(),
            "--index",
            dir.path().join("index").to_str().unwrap(),
            "--report",
            report.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(output.status.code(), Some(1), "the seed could not be read");
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    assert_eq!(report["seeds"][0]["error_kind"], "robots");
    assert_eq!(broken.hits_on("/p"), 0);
    assert_eq!(
        broken.hits_on("/robots.txt"),
        4,
        "a 5xx is retried before it counts"
    );

    // Crawl-delay spaces requests, above the configured delay.
    let server = site(3, "User-agent: *\nCrawl-delay: 1\n", |_| page());
    assert_ok(&crawl(&server, &["--delay", "0"]));
    assert!(server.min_gap("/p/").unwrap() + SLACK >= Duration::from_secs(1));
}

#[test]
fn a_huge_robots_txt_is_read_up_to_500_kib() {
    let mut robots = String::from("User-agent: *\nDisallow: /p/0\n");
    while robots.len() < 600 * 1024 {
        robots.push_str("# a very long comment that pads the file past the parsing limit\n");
    }
    robots.push_str("Disallow: /p/1\n");
    let robots: &'static str = Box::leak(robots.into_boxed_str());
    let server = site(2, robots, |_| page());
    assert_ok(&crawl(&server, &["--delay", "0"]));
    assert_eq!(server.hits_on("/p/0"), 0, "the rule at the top holds");
    assert_eq!(server.hits_on("/p/1"), 1, "rules past 500 KiB are not read");
    assert_eq!(server.hits_on("/robots.txt"), 1, "read once for the host");
}

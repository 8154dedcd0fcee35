//! Crawling against the web as it is: pages in ISO-8859-1, servers that fail, throttle or
//! forbid, truncated API answers, and releases crawled in any order.

use crate::common;

use serde_json::Value;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use archive_test_support::server::{Reply, TestServer};
use archive_test_support::site::{self, Links, Site};
use common::cli::{archive, assert_ok, contents, find, search, stderr};

fn crawl(index: &Path, seeds: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    let mut args = vec!["crawl", "--index", index.to_str().unwrap(), "--delay", "0"];
    args.extend_from_slice(seeds);
    archive(&args, env)
}

#[test]
fn an_iso_8859_1_release_keeps_its_accents_and_its_accented_campaign() {
    let site = Site::start(Links::Loopback);
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    let release = site.url("press.cnes.example", "/fr/prochaine-mission-soyuz");
    let output = crawl(&index, &[release.as_str()], &[]);
    assert_ok(&output);
    assert!(
        stderr(&output).contains("#CSO #VS20 #Fusée"),
        "{}",
        stderr(&output)
    );

    let article = find(&search(&index, "kind:article"), release.as_str()).clone();
    assert_eq!(
        article["title"],
        "Prochaine mission Soyuz depuis le CSG : lancement du satellite CSO-1"
    );
    assert_eq!(
        article["published_at"], "2018-12-14",
        "a day, as the release gives it"
    );
    assert_eq!(
        article["campaigns"],
        serde_json::json!(["CSO", "Fusée", "VS20"])
    );
    let by_campaign = search(&index, "campaign:fusee");
    assert_eq!(
        by_campaign.len(),
        4,
        "the release and the feed's three media items"
    );
}

/// A press office whose server misbehaves in every way a real one does.
fn unruly_server() -> TestServer {
    let feed_requests = Arc::new(AtomicUsize::new(0));
    let feed_file = site::site_root().join("media.cnes.example/feeds/vs20.rss");
    TestServer::start(move |request| {
        let origin = format!("http://{}", request.header("host").unwrap_or_default());
        match request.path.as_str() {
            "/robots.txt" => Reply::ok("text/plain", "User-agent: *\nDisallow: /private/\n"),
            "/release.html" => Reply::ok(
                "text/html; charset=utf-8",
                format!(
                    r#"<html><head><title>VS20</title></head><body><article>
                    <h1>Soyuz VS20</h1>
                    <a href="/feed.rss">feed</a> <a href="/private/embargoed.html">embargoed</a>
                    <a href="/gone.html">gone</a> <a href="/overloaded.html">overloaded</a>
                    <a href="https://www.flickr.com/photos/cnes/albums/72157704555614144">album</a>
                    <a href="{origin}/redirect-loop">loop</a>
                    <p>#VS20</p></article></body></html>"#
                ),
            ),
            "/feed.rss" if feed_requests.fetch_add(1, Ordering::SeqCst) == 0 => {
                Reply::status(503).header("Retry-After", "1")
            }
            "/feed.rss" => {
                let body = std::fs::read(&feed_file).unwrap();
                Reply::ok(
                    "application/rss+xml",
                    site::expand_bytes(&body, Links::Loopback, &origin),
                )
            }
            "/overloaded.html" => Reply::status(503).header("Retry-After", "0"),
            "/redirect-loop" => Reply::status(302).header("Location", "/redirect-loop"),
            "/api/services/rest/" => match request.param("method").as_deref() {
                Some("flickr.urls.lookupUser") => Reply::ok(
                    "application/json",
                    r#"{"user":{"id":"141938346@N05","username":{"_content":"CNES"}},"stat":"ok"}"#,
                ),
                // Cut off mid-answer, as a dropped connection leaves it.
                _ => Reply::ok(
                    "application/json",
                    r#"{"photoset":{"id":"72157704555614144","title":{"_con"#,
                ),
            },
            _ => Reply::not_found(),
        }
    })
}

/// `--report` JSON's failures, by the path their URL ends with: the kind, then the reason.
fn report_failures(report: &Path) -> Vec<(String, String, String)> {
    let report: Value = serde_json::from_slice(&std::fs::read(report).unwrap()).unwrap();
    report["failures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let text = |key: &str| f[key].as_str().unwrap().to_string();
            (text("url"), text("kind"), text("reason"))
        })
        .collect()
}

#[test]
fn failures_are_listed_by_kind_and_the_crawl_goes_on() {
    let server = unruly_server();
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    let report = dir.path().join("report.json");
    let api = format!("{}/api", server.origin());
    let release = server.url("/release.html");
    let output = crawl(
        &index,
        &[release.as_str(), "--report", report.to_str().unwrap()],
        &[("FLICKR_API_KEY", "test-key"), ("FLICKR_API_URL", &api)],
    );
    assert_ok(&output);
    let failures = report_failures(&report);
    let kind_of = |path: &str| {
        failures
            .iter()
            .find(|(url, _, _)| url.ends_with(path))
            .map(|(_, kind, _)| kind.as_str())
            .unwrap_or_else(|| panic!("no failure for {path} in {failures:?}"))
    };
    assert_eq!(kind_of("/gone.html"), "http_status");
    assert_eq!(kind_of("/private/embargoed.html"), "robots");
    assert_eq!(kind_of("/overloaded.html"), "http_status");
    assert_eq!(kind_of("/redirect-loop"), "redirect_limit");
    assert_eq!(
        kind_of("albums/72157704555614144"),
        "unreadable",
        "a truncated API answer"
    );
    assert_eq!(failures.len(), 5, "{failures:?}");
    let summary = stderr(&output);
    assert!(summary.contains("Could not read 5 URLs:"), "{summary}");
    assert!(
        summary.contains("the server answered with an error (2):"),
        "grouped by kind: {summary}"
    );

    assert_eq!(
        server.hits_on("/private/embargoed.html"),
        0,
        "robots.txt is obeyed"
    );
    assert_eq!(
        server.hits_on("/feed.rss"),
        2,
        "a 503 with Retry-After is retried"
    );
    assert_eq!(
        server.hits_on("/overloaded.html"),
        4,
        "retried three times, then given up"
    );
    let items = search(&index, "vs20");
    assert_eq!(
        items.len(),
        4,
        "the release and the feed's items, despite the rest"
    );
}

#[test]
fn the_index_does_not_depend_on_the_order_releases_are_crawled_in() {
    let site = Site::start(Links::Loopback);
    let dir = tempfile::tempdir().unwrap();
    let english = site.url(
        "press.cnes.example",
        "/en/next-soyuz-mission-csg-launch-cso-1-satellite",
    );
    let french = site.url("press.cnes.example", "/fr/prochaine-mission-soyuz");
    let flickr = [
        ("FLICKR_API_KEY", "test-key".to_string()),
        ("FLICKR_API_URL", site.base("api.flickr.com")),
    ];
    let env: Vec<(&str, &str)> = flickr.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let final_state = |name: &str, runs: &[&[&str]]| -> Vec<Value> {
        let index = dir.path().join(name);
        for seeds in runs {
            assert_ok(&crawl(&index, seeds, &env));
        }
        contents(search(&index, ""))
    };
    let together = final_state("together", &[&[english.as_str(), french.as_str()]]);
    let english_first = final_state("english-first", &[&[english.as_str()], &[french.as_str()]]);
    let french_first = final_state("french-first", &[&[french.as_str()], &[english.as_str()]]);
    assert_eq!(together.len(), 12, "two of them found by discovery");
    assert_eq!(english_first, together);
    assert_eq!(french_first, together);
    let photo = find(&together, "flickr:45539063392");
    assert_eq!(
        photo["campaigns"],
        serde_json::json!(["CSO", "Fusée", "VS20"]),
        "the feed's copy of the album photo brings the French release's campaign"
    );
}

/// A release linking to a page that crashes the readers when the test hook asks them to.
fn crashing_site() -> TestServer {
    TestServer::start(|request| match request.path.as_str() {
        "/release.html" => Reply::ok(
            "text/html",
            r#"<article><h1>VS20</h1><a href="/fine.html">fine</a>
               <a href="/crash.html">crash</a><p>#VS20</p></article>"#,
        ),
        "/fine.html" => Reply::ok(
            "text/html",
            r#"<meta property="og:video" content="https://cnes.example/fine.mp4">"#,
        ),
        "/crash.html" => Reply::ok(
            "text/html",
            r#"<meta property="og:video" content="https://cnes.example/crash.mp4">
               <!-- CRASH-HOOK-7f3e -->"#,
        ),
        _ => Reply::not_found(),
    })
}

#[test]
fn a_reader_that_crashes_fails_its_page_only_and_the_next_crawl_tries_it_again() {
    let server = crashing_site();
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    let report = dir.path().join("report.json");
    let release = server.url("/release.html");
    let hook = [("ARCHIVE_TEST_PANIC_ON", "CRASH-HOOK-7f3e")];
    let args = [release.as_str(), "--report", report.to_str().unwrap()];

    let crashed = crawl(&index, &args, &hook);
    assert_eq!(crashed.status.code(), Some(1), "{}", stderr(&crashed));
    let failures = report_failures(&report);
    assert_eq!(failures.len(), 1, "{failures:?}");
    let (url, kind, reason) = &failures[0];
    assert!(url.ends_with("/crash.html"));
    assert_eq!(kind, "crash");
    assert!(
        reason.contains("CRASH-HOOK-7f3e"),
        "the panic's message: {reason}"
    );
    assert!(
        stderr(&crashed).contains("crashed the reader"),
        "{}",
        stderr(&crashed)
    );
    let ids: Vec<Value> = search(&index, "");
    assert!(find(&ids, "https://cnes.example/fine.mp4")["id"].is_string());

    // No empty record was kept for the crashed page: the next crawl reads it again.
    let fixed = crawl(&index, &args, &[]);
    assert_ok(&fixed);
    assert_eq!(server.hits_on("/crash.html"), 2);
    assert!(find(&search(&index, ""), "https://cnes.example/crash.mp4")["id"].is_string());
}

#[test]
fn a_seed_that_crashes_is_a_failed_seed() {
    let server = crashing_site();
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.json");
    let seed = server.url("/crash.html");
    let output = crawl(
        &dir.path().join("index"),
        &[seed.as_str(), "--report", report.to_str().unwrap()],
        &[("ARCHIVE_TEST_PANIC_ON", "CRASH-HOOK-7f3e")],
    );
    assert_eq!(output.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    assert_eq!(report["seeds"][0]["error_kind"], "crash");
    assert_eq!(report["failures"][0]["kind"], "crash");
}

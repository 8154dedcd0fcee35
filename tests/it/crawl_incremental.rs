//! Crawling again: conditional requests, unchanged albums left alone, withdrawn photos marked
//! gone, one writer at a time, and a killed crawl that resumes without losing or duplicating.

use crate::common;

use serde_json::Value;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use archive_test_support::server::{Reply, TestServer};
use common::album::{self, Album};
use common::cli::{archive, assert_ok, everything, find, search, stderr, totals};

const FEED: &str = r#"<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel><title>VS20</title>
<item><title>Lift-off</title><link>https://cnes.example/p</link>
<media:content url="https://cnes.example/liftoff.jpg" type="image/jpeg" width="2048" height="1365"/></item>
</channel></rss>"#;

/// A press office whose pages carry validators and answer conditional requests.
fn validating_server(version: Arc<AtomicUsize>) -> TestServer {
    TestServer::start(move |request| {
        let etag = format!("\"v{}\"", version.load(Ordering::SeqCst));
        match request.path.as_str() {
            "/release.html" if request.header("if-none-match") == Some(etag.as_str()) => {
                Reply::status(304)
            }
            "/release.html" => Reply::ok(
                "text/html",
                r#"<article><h1>VS20</h1><a href="/feed.rss">feed</a><p>#VS20</p></article>"#,
            )
            .header("ETag", &etag),
            "/feed.rss"
                if request.header("if-modified-since") == Some("Wed, 19 Dec 2018 10:00:00 GMT") =>
            {
                Reply::status(304)
            }
            "/feed.rss" => Reply::ok("application/rss+xml", FEED)
                .header("Last-Modified", "Wed, 19 Dec 2018 10:00:00 GMT"),
            _ => Reply::not_found(),
        }
    })
}

fn crawl(index: &Path, seed: &str, env: &[(&str, &str)]) -> Output {
    let args = [
        "crawl",
        seed,
        "--index",
        index.to_str().unwrap(),
        "--delay",
        "0",
    ];
    archive(&args, env)
}

#[test]
fn a_recrawl_asks_whether_pages_changed_and_skips_what_did_not() {
    let version = Arc::new(AtomicUsize::new(1));
    let server = validating_server(version.clone());
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    let release = server.url("/release.html");
    let first = crawl(&index, release.as_str(), &[]);
    assert_ok(&first);
    assert_eq!(totals(&stderr(&first)), [2, 0, 0, 0]);

    let again = crawl(&index, release.as_str(), &[]);
    assert_ok(&again);
    assert_eq!(totals(&stderr(&again)), [0, 0, 2, 0], "{}", stderr(&again));
    assert!(
        stderr(&again).contains("#VS20"),
        "a release answering 304 keeps its hashtags"
    );
    assert_eq!(server.hits_on("/release.html"), 2);
    assert_eq!(
        server.hits_on("/feed.rss"),
        2,
        "its links are still followed"
    );
    let items = search(&index, "vs20");
    assert_eq!(items.len(), 2, "the unchanged items keep their campaign");

    version.store(2, Ordering::SeqCst);
    let changed = crawl(&index, release.as_str(), &[]);
    assert_ok(&changed);
    assert_eq!(
        totals(&stderr(&changed)),
        [0, 0, 2, 0],
        "the page is read again; its items did not change"
    );
}

fn album_server(album: &Arc<Mutex<Album>>) -> TestServer {
    let shared = album.clone();
    TestServer::start(move |request| match request.path.as_str() {
        "/release.html" => Reply::ok(
            "text/html",
            format!(
                r#"<article><h1>VS20 photos</h1><a href="https://www.flickr.com/photos/cnes/albums/{}">album</a><p>#VS20</p></article>"#,
                album::ALBUM
            ),
        ),
        path if path.starts_with("/api/") => album::api(&shared, request),
        _ => Reply::not_found(),
    })
}

fn flickr_env(server: &TestServer) -> [(&'static str, String); 2] {
    [
        ("FLICKR_API_KEY", "test-key".into()),
        ("FLICKR_API_URL", format!("{}/api", server.origin())),
    ]
}

fn methods_called(server: &TestServer, method: &str) -> usize {
    server
        .hits()
        .iter()
        .filter(|t| t.contains(&format!("method={method}")))
        .count()
}

#[test]
fn an_unchanged_album_is_not_paged_again_and_withdrawn_photos_are_marked_gone() {
    let album = Arc::new(Mutex::new(Album::new(1..=5)));
    let server = album_server(&album);
    let env = flickr_env(&server);
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    // Each crawl is dated: the clock, not a pause, tells them apart.
    let at = |now: &'static str| [env.clone(), vec![("ARCHIVE_NOW", now)]].concat();
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    let release = server.url("/release.html");
    assert_ok(&crawl(
        &index,
        release.as_str(),
        &at("2018-12-19T10:00:00Z"),
    ));
    let first_crawl: Value = find(&search(&index, ""), "flickr:3")["last_seen"].clone();

    let unchanged = crawl(&index, release.as_str(), &at("2018-12-19T10:30:00Z"));
    assert_ok(&unchanged);
    assert_eq!(totals(&stderr(&unchanged)), [0, 0, 6, 0]);
    assert_eq!(
        methods_called(&server, "flickr.photosets.getPhotos"),
        1,
        "not paged again"
    );

    {
        let mut album = album.lock().unwrap();
        album.photos.retain(|&id| id != 3);
        album.photos.push(6);
        album.updated += 3_600;
    }
    let withdrawn = crawl(&index, release.as_str(), &at("2018-12-19T11:00:00Z"));
    assert_ok(&withdrawn);
    let summary = stderr(&withdrawn);
    assert_eq!(totals(&summary), [1, 0, 5, 1], "{summary}");
    assert!(
        summary
            .lines()
            .any(|l| l.trim_start().starts_with("#VS20") && l.ends_with(" 1")),
        "{summary}"
    );
    let items = search(&index, "");
    assert_eq!(items.len(), 7, "nothing is deleted");
    let gone = find(&items, "flickr:3");
    assert_eq!(gone["gone"], true);
    assert_eq!(
        gone["last_seen"], first_crawl,
        "last seen by the crawl before it left"
    );
    let kept = find(&items, "flickr:2");
    assert_eq!(kept["gone"], false);
    assert!(
        kept["last_seen"].as_str() > first_crawl.as_str(),
        "seen again"
    );
}

fn spawn_crawl(index: &Path, seed: &str, env: &[(&str, String)]) -> Child {
    let mut command = Command::new(env!("CARGO_BIN_EXE_archive"));
    command
        .args([
            "crawl",
            seed,
            "--index",
            index.to_str().unwrap(),
            "--delay",
            "0",
            "--quiet",
        ])
        .env_remove("ARCHIVE_INDEX")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    for (key, value) in env {
        command.env(key, value);
    }
    command.spawn().unwrap()
}

/// How many items a search sees now, or `None` while the index is not there yet.
fn committed(index: &Path) -> Option<usize> {
    let output = archive(
        &[
            "search",
            "",
            "--json",
            "--limit",
            "100000",
            "--index",
            index.to_str().unwrap(),
        ],
        &[],
    );
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).lines().count())
}

#[test]
fn a_killed_crawl_loses_at_most_a_batch_and_resumes_without_duplicates() {
    // Long enough that a batch (10,000 items) is committed well before the end.
    let mut long = Album::new(1..=25_000);
    long.per_page = 500;
    long.page_delay = Duration::from_millis(250);
    let album = Arc::new(Mutex::new(long));
    let server = album_server(&album);
    let env = flickr_env(&server);
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    let release = server.url("/release.html");

    let mut crawler = spawn_crawl(&index, release.as_str(), &env);
    let started = Instant::now();
    let mut seen_during = 0;
    while started.elapsed() < Duration::from_secs(30) {
        seen_during = committed(&index).unwrap_or(0);
        if seen_during >= 10_000 {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(
        seen_during >= 10_000,
        "searches see committed items during the crawl"
    );

    let envs: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let second = crawl(&index, release.as_str(), &envs);
    assert_eq!(second.status.code(), Some(2), "one writer at a time");
    assert!(
        stderr(&second).contains("another `archive crawl` is writing"),
        "{}",
        stderr(&second)
    );

    crawler.kill().unwrap();
    let status = crawler.wait().unwrap();
    assert!(!status.success(), "killed before it finished");
    let survived = committed(&index).expect("the index opens after SIGKILL");
    assert!((10_000..25_001).contains(&survived), "{survived}");

    let resumed = crawl(&index, release.as_str(), &envs);
    assert_ok(&resumed);
    assert!(
        stderr(&resumed).contains("resuming an interrupted crawl"),
        "{}",
        stderr(&resumed)
    );
    let all = everything(&index);
    assert_eq!(all.len(), 25_001, "every photo and the release, once each");
    let mut ids: Vec<&str> = all.iter().map(|i| i["id"].as_str().unwrap()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 25_001);
    assert_eq!(
        server.hits_on("/release.html"),
        1,
        "the release it had finished is not fetched again"
    );

    // The members the killed crawl and its resumption listed are the album as the state
    // knows it: a photo withdrawn since is gone at the next crawl, and no other.
    {
        let mut album = album.lock().unwrap();
        album.photos.retain(|&id| id != 12_345);
        album.updated += 3_600;
        album.page_delay = Duration::ZERO;
    }
    let later = [envs.clone(), vec![("ARCHIVE_NOW", "2100-01-01T00:00:00Z")]].concat();
    let withdrawn = crawl(&index, release.as_str(), &later);
    assert_ok(&withdrawn);
    assert_eq!(totals(&stderr(&withdrawn))[3], 1, "{}", stderr(&withdrawn));
    let gone: Vec<String> = everything(&index)
        .iter()
        .filter(|item| item["gone"] == true)
        .map(|item| item["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(gone, ["flickr:12345"]);
}

#[test]
fn a_page_its_server_says_is_still_fresh_is_not_asked_for_again() {
    let server = TestServer::start(|request| match request.path.as_str() {
        "/release.html" => Reply::ok(
            "text/html",
            r#"<article><h1>VS20</h1><a href="/feed.rss">feed</a><p>#VS20</p></article>"#,
        )
        .header("Cache-Control", "max-age=3600"),
        "/feed.rss" => Reply::ok("application/rss+xml", FEED).header("Cache-Control", "no-store"),
        _ => Reply::not_found(),
    });
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    let release = server.url("/release.html");
    assert_ok(&crawl(&index, release.as_str(), &[]));
    let again = crawl(&index, release.as_str(), &[]);
    assert_ok(&again);
    assert_eq!(totals(&stderr(&again)), [0, 0, 2, 0], "{}", stderr(&again));
    assert_eq!(
        server.hits_on("/release.html"),
        1,
        "fresh for an hour: not asked again"
    );
    assert_eq!(
        server.hits_on("/feed.rss"),
        2,
        "no-store: read again, in full"
    );
}

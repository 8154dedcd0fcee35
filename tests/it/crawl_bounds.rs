//! Nothing a server does can hang the crawl or exhaust its memory: drips, endless bodies,
//! compression bombs, resets, truncated bodies, redirect loops and chains, and links from the
//! public web into private networks.

use crate::common;

use std::io::Write;
use std::path::Path;
use std::process::Output;
use std::sync::LazyLock;
use std::time::{Duration, Instant};

use archive_test_support::server::{Body, Reply, Request, TestServer};
use common::cli::{archive, assert_ok, search};

/// A release linking to every path given, served with whatever `serve` answers for them.
fn site(paths: &'static [&'static str], serve: fn(&Request) -> Reply) -> TestServer {
    TestServer::start(move |request| match request.path.as_str() {
        "/release.html" => {
            let links: String = paths
                .iter()
                .map(|p| format!(r#"<a href="{p}">{p}</a> "#))
                .collect();
            Reply::ok(
                "text/html; charset=utf-8",
                format!(
                    "<html><body><article><h1>VS20</h1>{links}<p>#VS20</p></article></body></html>"
                ),
            )
        }
        "/robots.txt" => Reply::not_found(),
        _ => serve(request),
    })
}

/// Crawls the release into `index` (its report beside it, `report.json`).
fn crawl(index: &Path, server: &TestServer, extra: &[&str]) -> Output {
    let release = server.url("/release.html");
    let report = report_path(index);
    let mut args = vec![
        "crawl",
        release.as_str(),
        "--index",
        index.to_str().unwrap(),
        "--delay",
        "0",
        "--report",
        report.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    archive(&args, &[])
}

fn report_path(index: &Path) -> std::path::PathBuf {
    index.with_file_name("report.json")
}

/// The kind `--report` gives the failure of the URL ending with `path`.
fn failure_kind(index: &Path, path: &str) -> String {
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(report_path(index)).unwrap()).unwrap();
    let failures = report["failures"].as_array().unwrap();
    failures
        .iter()
        .find(|f| f["url"].as_str().is_some_and(|u| u.ends_with(path)))
        .and_then(|f| f["kind"].as_str())
        .unwrap_or_else(|| panic!("no failure for {path} in {failures:?}"))
        .to_string()
}

/// Compressed bodies that expand to 32 MiB, made once: a few kilobytes on the wire.
static GZIP_BOMB: LazyLock<Vec<u8>> = LazyLock::new(|| gzip_bomb(32 << 20));
static BROTLI_BOMB: LazyLock<Vec<u8>> = LazyLock::new(|| brotli_bomb(32 << 20));

fn gzip_bomb(size: usize) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..size / zeros.len() {
        encoder.write_all(&zeros).unwrap();
    }
    encoder.finish().unwrap()
}

fn brotli_bomb(size: usize) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut writer = brotli::CompressorWriter::new(&mut out, 4096, 5, 22);
        let zeros = vec![0u8; 1 << 20];
        for _ in 0..size / zeros.len() {
            writer.write_all(&zeros).unwrap();
        }
    }
    out
}

#[test]
fn slow_endless_and_exploding_bodies_are_cut_off() {
    let server = site(
        &[
            "/drip.html",
            "/endless.html",
            "/bomb.html",
            "/brotli.html",
            "/feed.rss",
        ],
        |request| {
            match request.path.as_str() {
                "/drip.html" => Reply::ok("text/html", Vec::new()).body(Body::Drip {
                    bytes: vec![b'x'; 3600],
                    every: Duration::from_secs(1),
                }),
                // Two gibibytes, with no length: the crawl must stop reading long before.
                "/endless.html" => {
                    Reply::ok("text/html", Vec::new()).body(Body::Endless(vec![b'a'; 64 * 1024]))
                }
                "/bomb.html" => {
                    Reply::ok("text/html", GZIP_BOMB.clone()).header("Content-Encoding", "gzip")
                }
                "/brotli.html" => {
                    Reply::ok("text/html", BROTLI_BOMB.clone()).header("Content-Encoding", "br")
                }
                _ => Reply::ok(
                    "application/rss+xml",
                    r#"<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel><title>VS20</title>
                <item><title>Lift-off</title><link>https://cnes.example/p</link>
                <media:content url="https://cnes.example/liftoff.jpg" type="image/jpeg" width="2048" height="1365"/></item>
                </channel></rss>"#,
                ),
            }
        },
    );
    assert!(GZIP_BOMB.len() < 64 * 1024 && BROTLI_BOMB.len() < 64 * 1024);
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    let started = Instant::now();
    let output = crawl(&index, &server, &["--timeout", "2", "--max-body", "1MiB"]);
    assert_ok(&output);
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "took {:?}",
        started.elapsed()
    );
    assert_eq!(failure_kind(&index, "/drip.html"), "timeout");
    assert_eq!(
        server.hits_on("/drip.html"),
        1,
        "a server that answered and then stalled is not asked again"
    );
    for path in ["/endless.html", "/bomb.html", "/brotli.html"] {
        assert_eq!(failure_kind(&index, path), "too_large", "{path}");
    }
    assert_eq!(
        server.hits_on("/endless.html"),
        1,
        "a body too large is not retried"
    );
    assert_eq!(
        search(&index, "lift-off").len(),
        1,
        "the good page was read"
    );
}

#[test]
fn resets_and_truncated_bodies_are_retried_then_reported() {
    let server = site(&["/cut.html", "/flaky.html"], |request| {
        match request.path.as_str() {
            "/cut.html" => Reply::ok("text/html", Vec::new())
                .body(Body::Cut(b"<html><body>half a pa".to_vec())),
            _ => Reply::status(502),
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    let output = crawl(&index, &server, &[]);
    assert_ok(&output);
    assert_eq!(failure_kind(&index, "/cut.html"), "network");
    assert_eq!(failure_kind(&index, "/flaky.html"), "http_status");
    assert_eq!(server.hits_on("/cut.html"), 4, "three retries");
    assert_eq!(server.hits_on("/flaky.html"), 4, "three retries");
}

#[test]
fn redirect_chains_are_followed_and_loops_and_long_chains_are_not() {
    let server = site(&["/hop/1", "/loop/a", "/long/0"], |request| {
        let path = request.path.as_str();
        if let Some(n) = path.strip_prefix("/hop/") {
            let n: u32 = n.parse().unwrap_or(0);
            return match n {
                0..=3 => Reply::status(301).header("Location", &format!("/hop/{}", n + 1)),
                _ => Reply::ok(
                    "text/html",
                    r#"<html><head><meta property="og:video" content="https://cnes.example/v.mp4"><meta property="og:title" content="Chained video"></head></html>"#,
                ),
            };
        }
        if let Some(n) = path.strip_prefix("/long/") {
            let n: u32 = n.parse().unwrap_or(0);
            return Reply::status(302).header("Location", &format!("/long/{}", n + 1));
        }
        match path {
            "/loop/a" => Reply::status(302).header("Location", "/loop/b"),
            "/loop/b" => Reply::status(302).header("Location", "/loop/a"),
            _ => Reply::not_found(),
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    let output = crawl(&index, &server, &[]);
    assert_ok(&output);
    assert_eq!(search(&index, "chained").len(), 1, "four hops are fine");
    assert_eq!(failure_kind(&index, "/loop/a"), "redirect_limit");
    assert_eq!(failure_kind(&index, "/long/0"), "redirect_limit");
    assert_eq!(
        server.hits_on("/loop/a") + server.hits_on("/loop/b"),
        2,
        "a loop is not retried"
    );
}

#[test]
fn links_from_public_pages_do_not_lead_into_private_networks() {
    // The lab: 127.0.0.2 plays a public server; 127.0.0.1 (and `localhost`) a private one.
    let private = TestServer::start(|_| Reply::ok("text/html", "<title>secret</title>"));
    let port = private.addr.port();
    let public = TestServer::start_on("127.0.0.2:0".parse().unwrap(), move |request| match request
        .path
        .as_str()
    {
        "/release.html" => Reply::ok(
            "text/html",
            format!(
                r#"<article><a href="http://127.0.0.1:{port}/router">router</a>
                <a href="http://localhost:{port}/admin">admin</a>
                <a href="/redirect">redirect</a><p>#VS20</p></article>"#
            ),
        ),
        "/redirect" => {
            Reply::status(302).header("Location", &format!("http://127.0.0.1:{port}/metadata"))
        }
        _ => Reply::not_found(),
    });
    let dir = tempfile::tempdir().unwrap();
    let release = public.url("/release.html");
    let lab = [("ARCHIVE_PRIVATE_NETWORKS", "127.0.0.1/32,::1/128")];
    let (first, second) = (dir.path().join("i"), dir.path().join("j"));
    let report = report_path(&first);
    let args = [
        "crawl",
        release.as_str(),
        "--index",
        first.to_str().unwrap(),
        "--delay",
        "0",
        "--report",
        report.to_str().unwrap(),
    ];
    let output = archive(&args, &lab);
    assert_ok(&output);
    for path in ["/router", "/admin", "/redirect"] {
        assert_eq!(failure_kind(&first, path), "private_address", "{path}");
    }
    assert_eq!(
        private.hits(),
        Vec::<String>::new(),
        "nothing reached the private server"
    );

    // A seed may be private, and --allow-private lifts the rule.
    let mut allowed = args.to_vec();
    allowed.push("--allow-private");
    assert_ok(&archive(&allowed, &lab));
    assert_eq!(private.hits_on("/router"), 1);
    assert_eq!(private.hits_on("/metadata"), 1);
    let seed = private.url("/router");
    let local_seed = ["crawl", seed.as_str(), "--index", second.to_str().unwrap()];
    assert_ok(&archive(&local_seed, &lab));
}

/// An album given directly as a seed sends all its items before the campaigns are known
/// (every seed is read first): past a bound they wait in a scratch file rather than in
/// memory, and every one comes out whole and tagged.
#[test]
fn an_album_seed_larger_than_memory_holds_is_indexed_whole_and_tagged() {
    use common::album::{self, Album};
    use std::sync::{Arc, Mutex};
    let held = archive::crawl::SEED_ITEMS_IN_MEMORY as u64;
    let photos = held + 1_234;
    let album = Arc::new(Mutex::new(Album::new(1..=photos)));
    let server = TestServer::start(move |request| match request.path.as_str() {
        path if path.starts_with("/api/") => album::api(&album, request),
        _ => Reply::not_found(),
    });
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    let seed = format!("https://www.flickr.com/photos/cnes/albums/{}", album::ALBUM);
    let api = format!("{}/api", server.origin());
    let output = archive(
        &[
            "crawl",
            &seed,
            "--campaign",
            "VS20",
            "--index",
            index.to_str().unwrap(),
            "--delay",
            "0",
        ],
        &[("FLICKR_API_KEY", "test-key"), ("FLICKR_API_URL", &api)],
    );
    assert_ok(&output);
    let items = common::cli::everything(&index);
    assert_eq!(items.len() as u64, photos);
    assert!(
        items
            .iter()
            .all(|item| item["campaigns"] == serde_json::json!(["VS20"])),
        "every item is tagged"
    );
    for id in [1, held, held + 1, photos] {
        let item = common::cli::find(&items, &format!("flickr:{id}"));
        assert_eq!(item["title"], format!("Soyuz VS20 photo {id}"));
        assert_eq!(
            item["description"],
            format!("Photo {id} of the #VS20 campaign")
        );
        assert_eq!(item["width"], 1024);
    }
}

//! Pages and servers that attack the crawler: an oEmbed link pointed at an internal address,
//! a proxy that would hide where links lead, hosts that ask to be left alone for decades,
//! servers that never answer, and robots.txt files too large to read whole.
//!
//! The lab is loopback: 127.0.0.2 plays a public server, 127.0.0.1 a private one
//! (`ARCHIVE_PRIVATE_NETWORKS` names only the latter).

use std::path::{Path, PathBuf};
use std::time::Duration;

use archive_test_support::server::{Reply, TestServer};
use serde_json::Value;

use crate::common::cli::{archive, search};

const LAB: (&str, &str) = ("ARCHIVE_PRIVATE_NETWORKS", "127.0.0.1/32,::1/128");

/// A private server that counts what reached it.
fn private_server() -> TestServer {
    TestServer::start(|_| {
        Reply::ok(
            "application/json",
            r#"{"type":"video","title":"internal secret","author_name":"intranet"}"#,
        )
    })
}

/// Crawls `seed` into a fresh index in `dir`, with a report, and gives both.
fn crawl(dir: &Path, seed: &str, extra: &[&str], env: &[(&str, &str)]) -> (PathBuf, Value) {
    let index = dir.join("index");
    let report = dir.join("report.json");
    let mut args = vec![
        "crawl",
        seed,
        "--index",
        index.to_str().unwrap(),
        "--delay",
        "0",
        "--report",
        report.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let output = archive(&args, env);
    assert!(
        output.status.code().is_some_and(|c| c <= 1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report = serde_json::from_slice(&std::fs::read(report).unwrap()).unwrap();
    (index, report)
}

/// The kinds of the report's failures, one per URL, in order.
fn kinds(report: &Value) -> Vec<String> {
    report["failures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["kind"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn an_oembed_link_on_a_public_page_cannot_reach_inside() {
    let private = private_server();
    let internal = private.url("/internal.json");
    let public = TestServer::start_on("127.0.0.2:0".parse().unwrap(), move |request| match request
        .path
        .as_str()
    {
        "/release.html" => Reply::ok(
            "text/html",
            format!(
                r#"<html><head><title>VS20 launch</title>
                    <link rel="alternate" type="application/json+oembed" href="{internal}?url=x">
                    </head><body><article><h1>VS20 launch</h1><p>#VS20</p></article></body></html>"#
            ),
        ),
        _ => Reply::not_found(),
    });
    let dir = tempfile::tempdir().unwrap();
    let release = public.url("/release.html");
    let (index, report) = crawl(dir.path(), release.as_str(), &[], &[LAB]);
    assert_eq!(
        private.hits(),
        Vec::<String>::new(),
        "nothing reached inside"
    );
    let items = search(&index, "");
    assert!(
        items.iter().all(|i| i["title"] != "internal secret"),
        "{items:?}"
    );
    assert_eq!(report["seeds"][0]["title"], "VS20 launch");
}

#[test]
fn a_proxy_does_not_hide_where_links_lead() {
    let private = private_server();
    let port = private.addr.port();
    let public = TestServer::start_on("127.0.0.2:0".parse().unwrap(), move |_| {
        Reply::ok(
            "text/html",
            format!(
                r#"<article><h1>VS20</h1><a href="http://127.0.0.1:{port}/router">router</a>
                <a href="http://localhost:{port}/admin">admin</a><p>#VS20</p></article>"#
            ),
        )
    });
    // A forward proxy on loopback: it answers for the public host and, if asked, for the
    // private one. Requests reach it in absolute form; `Host` names the target.
    let public_host = public.addr.to_string();
    let proxy = TestServer::start(move |request| {
        let host = request.header("host").unwrap_or_default();
        if host == public_host {
            Reply::ok(
                "text/html",
                format!(
                    r#"<article><h1>VS20</h1><a href="http://127.0.0.1:{port}/router">router</a>
                    <a href="http://localhost:{port}/admin">admin</a><p>#VS20</p></article>"#
                ),
            )
        } else {
            Reply::ok("text/html", "<title>internal secret</title>")
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let release = public.url("/release.html");
    let proxy_url = proxy.origin();
    let env = [LAB, ("HTTP_PROXY", proxy_url.as_str())];
    let (_, report) = crawl(dir.path(), release.as_str(), &[], &env);
    assert_eq!(kinds(&report), ["private_address", "private_address"]);
    let mut through_the_proxy = proxy.hits();
    through_the_proxy.sort();
    assert_eq!(
        through_the_proxy,
        ["/release.html", "/robots.txt"],
        "nothing but the public host's pages went out"
    );
    assert_eq!(private.hits(), Vec::<String>::new());
}

/// A release linking to `/p/0` … `/p/{n-1}` on a host that answers them all with `reply`.
fn host_of(n: usize, reply: fn() -> Reply) -> TestServer {
    TestServer::start(move |request| match request.path.as_str() {
        "/release.html" => {
            let links: String = (0..n)
                .map(|i| format!(r#"<a href="/p/{i}">{i}</a> "#))
                .collect();
            Reply::ok(
                "text/html",
                format!("<article>{links}<p>#VS20</p></article>"),
            )
        }
        "/robots.txt" => Reply::not_found(),
        _ => reply(),
    })
}

fn pages_asked(server: &TestServer) -> usize {
    server
        .hits()
        .iter()
        .filter(|h| h.starts_with("/p/"))
        .count()
}

#[test]
fn a_host_that_asks_to_come_back_in_decades_is_left_for_a_later_crawl() {
    let forever = || Reply::status(429).header("Retry-After", "1000000000");
    let until_2058 = || Reply::status(503).header("Retry-After", "Fri, 01 Feb 2058 00:00:00 GMT");
    for reply in [forever, until_2058] {
        let server = host_of(100, reply);
        let dir = tempfile::tempdir().unwrap();
        let release = server.url("/release.html");
        let (_, report) = crawl(dir.path(), release.as_str(), &[], &[]);
        let kinds = kinds(&report);
        assert_eq!(kinds.len(), 100);
        assert!(
            kinds
                .iter()
                .all(|k| k == "http_status" || k == "overloaded"),
            "{kinds:?}"
        );
        assert!(kinds.iter().filter(|k| *k == "overloaded").count() >= 90);
        assert!(
            pages_asked(&server) <= 3,
            "no retry, no page after the host asked to be left alone: {}",
            pages_asked(&server)
        );
    }
}

#[test]
fn a_host_overloaded_again_and_again_is_given_up() {
    let server = host_of(30, || Reply::status(503));
    let dir = tempfile::tempdir().unwrap();
    let release = server.url("/release.html");
    let (_, report) = crawl(dir.path(), release.as_str(), &["--per-host", "1"], &[]);
    let kinds = kinds(&report);
    assert_eq!(kinds.len(), 30);
    assert!(kinds.contains(&"overloaded".to_string()), "{kinds:?}");
    assert!(
        pages_asked(&server) < 30,
        "the host was given up before every page was asked: {}",
        pages_asked(&server)
    );
}

#[test]
fn a_server_that_never_answers_costs_one_timeout() {
    let server = host_of(1, || {
        Reply::ok("text/html", "<title>late</title>").after(Duration::from_secs(3600))
    });
    let dir = tempfile::tempdir().unwrap();
    let release = server.url("/release.html");
    let (_, report) = crawl(dir.path(), release.as_str(), &["--timeout", "2"], &[]);
    assert_eq!(kinds(&report), ["timeout"]);
    assert_eq!(
        pages_asked(&server),
        1,
        "a retry could not end within the URL's budget"
    );
}

#[test]
fn a_robots_txt_larger_than_the_body_limit_is_read_up_to_500_kib() {
    let mut robots = String::from("User-agent: *\nDisallow: /p/0\n");
    while robots.len() < 1024 * 1024 {
        robots.push_str("# a long comment to pad the file well past the body limit\n");
    }
    robots.push_str("Disallow: /p/1\n");
    let robots: &'static str = Box::leak(robots.into_boxed_str());
    let server = TestServer::start(move |request| match request.path.as_str() {
        "/release.html" => Reply::ok(
            "text/html",
            r#"<article><a href="/p/0">0</a> <a href="/p/1">1</a><p>#VS20</p></article>"#,
        ),
        "/robots.txt" => Reply::ok("text/plain", robots),
        _ => Reply::ok("text/html", "<title>page</title>"),
    });
    let dir = tempfile::tempdir().unwrap();
    let release = server.url("/release.html");
    let (_, report) = crawl(dir.path(), release.as_str(), &["--max-body", "100KiB"], &[]);
    assert_eq!(
        report["seeds"][0]["error"],
        Value::Null,
        "the host is not off limits"
    );
    assert_eq!(server.hits_on("/p/0"), 0, "the rule at the top holds");
    assert_eq!(server.hits_on("/p/1"), 1, "rules past 500 KiB are not read");
    assert_eq!(kinds(&report), ["robots"]);
}

#[test]
fn an_api_call_to_an_address_no_source_configured_is_a_public_link() {
    // A release on a public host names a Flickr photo whose oEmbed discovery link points
    // inside; the Flickr source knows its own endpoint, not this one.
    let private = private_server();
    let internal = private.url("/services/oembed");
    let public = TestServer::start_on("127.0.0.2:0".parse().unwrap(), move |request| match request
        .path
        .as_str()
    {
        "/release.html" => Reply::ok(
            "text/html",
            format!(
                r#"<html><head><link rel="alternative" type="application/json+oembed"
                    href="{internal}?url=https%3A%2F%2Fwww.flickr.com%2Fphotos%2Fcnes%2F45539063392%2F">
                    </head><body><article><h1>VS20</h1><p>#VS20</p></article></body></html>"#
            ),
        ),
        _ => Reply::not_found(),
    });
    let dir = tempfile::tempdir().unwrap();
    let release = public.url("/release.html");
    let (index, _) = crawl(dir.path(), release.as_str(), &[], &[LAB]);
    assert_eq!(private.hits(), Vec::<String>::new());
    let photo = search(&index, "")
        .into_iter()
        .find(|i| i["id"] == "flickr:45539063392");
    assert!(
        photo.is_some_and(|p| p["title"] != "internal secret"),
        "the photo is kept, undescribed by the internal answer"
    );
}

/// An index holding items whose text carries escape sequences, as an older version (or a
/// source that let them through) could have written them.
fn index_with_hostile_text(dir: &Path) -> PathBuf {
    use archive::model::{Item, Kind, Source};
    let mut item = Item::new(
        "https://cnes.example/liftoff.jpg",
        Kind::Photo,
        Source::Gallery,
    );
    item.title = Some("VS20 \u{1b}[2J\u{1b}]0;owned\u{7}lift-off \u{202e}gpj.exe".into());
    item.creator = Some("=HYPERLINK(\"http://evil.example\",\"CNES\")".into());
    item.license = Some("CC BY\u{1b}]52;c;ZXZpbA==\u{7}".into());
    item.description = Some("\u{1b}]8;;http://evil.example\u{7}click\u{1b}]8;;\u{7}".into());
    item.tags = vec!["vs20".into()];
    let path = dir.join("hostile-index");
    let index = archive::index::ArchiveIndex::open_or_create(&path).unwrap();
    let mut indexer = index.indexer().unwrap();
    indexer.upsert(item).unwrap();
    indexer.commit().unwrap();
    path
}

#[test]
fn text_from_the_web_never_reaches_a_terminal_or_a_spreadsheet_as_commands() {
    let dir = tempfile::tempdir().unwrap();
    let index = index_with_hostile_text(dir.path());
    let index = index.to_str().unwrap();
    let hostile = ['\u{1b}', '\u{7}', '\u{202e}', '\u{9b}'];
    for args in [
        vec!["search", "vs20", "--index", index, "--color", "never"],
        vec![
            "search", "vs20", "--index", index, "--facets", "--color", "never",
        ],
        vec!["search", "vs20", "--index", index, "--csv"],
        vec![
            "show",
            "https://cnes.example/liftoff.jpg",
            "--index",
            index,
            "--color",
            "never",
        ],
    ] {
        let output = archive(&args, &[]);
        assert!(output.status.success(), "{args:?}");
        let stdout = String::from_utf8(output.stdout).unwrap();
        assert!(
            !stdout.contains(hostile),
            "{args:?} printed a control character: {stdout:?}"
        );
        assert!(stdout.contains("lift-off"), "{stdout}");
    }
    let csv = archive(&["search", "vs20", "--index", index, "--csv"], &[]);
    let mut reader = csv::Reader::from_reader(csv.stdout.as_slice());
    let headers = reader.headers().unwrap().clone();
    let row = reader.records().next().unwrap().unwrap();
    let cell = |name: &str| row[headers.iter().position(|h| h == name).unwrap()].to_string();
    assert!(cell("creator").starts_with("'="), "{}", cell("creator"));
}

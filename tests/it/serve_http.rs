//! `archive serve` over HTTP: the JSON API against the command line's JSON, the security
//! headers, the `Host` check, the thumbnail route's confinement, the 400 page, escaping, and a
//! page that shows what a running crawl has committed.

use crate::common;

use serde_json::Value;
use std::collections::BTreeSet;

use common::cli::{archive, assert_ok, stdout};
use common::serve::{MARKUP_RELEASE, Served, crawl_replayed, recorded};

const LIFTOFF: &str = "flickr:45539063392";

fn lines(output: &std::process::Output) -> Vec<Value> {
    stdout(output)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn keys(value: &Value) -> BTreeSet<String> {
    value.as_object().unwrap().keys().cloned().collect()
}

#[test]
fn the_api_answers_as_the_command_line_does_with_facets_and_total() {
    let fixture = recorded(&[archive::demo::SEED, MARKUP_RELEASE]);
    let index = fixture.index.to_str().unwrap();
    let served = Served::start(&fixture.index, &[]);

    let api = served.get("/api/search?q=vs20&kind=photo").json();
    let cli = lines(&archive(
        &[
            "search", "vs20", "--kind", "photo", "--json", "--index", index,
        ],
        &[],
    ));
    let ids = |items: &[Value]| -> Vec<String> {
        items
            .iter()
            .map(|i| i["id"].as_str().unwrap().to_string())
            .collect()
    };
    let api_items = api["items"].as_array().unwrap();
    assert_eq!(ids(api_items), ids(&cli), "the same hits in the same order");
    assert_eq!(keys(&api_items[0]), keys(&cli[0]), "the same fields");
    assert_eq!(api["total"], cli.len());
    let classes = &api["facets"]["license_class"];
    assert!(
        classes
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["value"] == "cc-by"),
        "{classes}"
    );
    assert_eq!(
        api["facets"]["kind"],
        serde_json::json!([{"value": "photo", "count": cli.len()}])
    );

    let shown = lines(&archive(
        &["show", LIFTOFF, "--json", "--index", index],
        &[],
    ));
    assert_eq!(
        served.get(&format!("/api/items/{LIFTOFF}")).json(),
        shown[0]
    );
    let campaigns = lines(&archive(&["campaigns", "--json", "--index", index], &[]));
    assert_eq!(served.get("/api/campaigns").json(), Value::Array(campaigns));

    let all = served.get("/api/search?q=vs20&limit=4").json();
    let second = served.get("/api/search?q=vs20&limit=2&page=2").json();
    let all = all["items"].as_array().unwrap();
    assert_eq!(
        ids(second["items"].as_array().unwrap()),
        ids(&all[2..4]),
        "pages follow on"
    );

    let missing = served.get("/api/items/flickr:1");
    assert_eq!(missing.status, 404);
    assert!(
        missing.json()["error"]
            .as_str()
            .unwrap()
            .contains("flickr:1")
    );
    assert_eq!(served.get("/api/nothing").status, 404);
}

#[test]
fn every_page_escapes_what_came_from_the_web() {
    let fixture = recorded(&[MARKUP_RELEASE]);
    let served = Served::start(&fixture.index, &[]);
    let search = served.get("/?campaign=VS20").text();
    let item = served.get("/item/https:%2F%2Fpress.cnes.example%2Fen%2Fphoto-call-with-markup");
    let picture = served.get(
        "/item/https:%2F%2Fpress.cnes.example%2Fsites%2Fdefault%2Ffiles%2Fstyles%2Flarge%2Fpublic%2Fcso-1_integration.jpg",
    );
    let campaign = served.get("/campaign/VS20").text();
    for page in [&search, &item.text(), &picture.text(), &campaign] {
        let scripts: Vec<&str> = page
            .match_indices("<script")
            .map(|(i, _)| &page[i..i + 40])
            .collect();
        assert_eq!(
            scripts,
            [r#"<script src="/static/app.js" defer></scr"#],
            "{page}"
        );
        assert!(!page.contains("<img src=x"), "{page}");
        assert!(!page.contains("onmouseover=\""), "{page}");
        assert!(!page.contains("javascript:"), "{page}");
    }
    assert!(search.contains("&lt;script&gt;window.xssRan = 1&lt;/script&gt;VS20 photo call"));
    assert!(
        picture
            .text()
            .contains("Fairing &lt;img src=x onerror=&quot;window.xssRan = 1&quot;&gt;")
    );
    assert!(
        picture
            .text()
            .contains("CNES &quot; onmouseover=&quot;window.xssRan = 1")
    );
}

#[test]
fn every_response_carries_the_security_headers() {
    let fixture = recorded(&[archive::demo::SEED]);
    let served = Served::start(&fixture.index, &[]);
    let paths = [
        "/",
        "/?kind=poster",
        "/results?q=vs20",
        "/api/search?q=vs20",
        &format!("/item/{LIFTOFF}"),
        &format!("/thumb/{LIFTOFF}"),
        "/campaign/vs20",
        "/static/app.js",
        "/nowhere",
    ];
    for path in paths {
        let answer = served.get(path);
        let csp = answer.header("content-security-policy").unwrap_or_default();
        for directive in [
            "default-src 'none'",
            "script-src 'self'",
            "img-src 'self'",
            "frame-ancestors 'none'",
        ] {
            assert!(csp.contains(directive), "{path}: {csp}");
        }
        assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
        assert_eq!(
            answer.header("x-content-type-options"),
            Some("nosniff"),
            "{path}"
        );
        assert_eq!(
            answer.header("referrer-policy"),
            Some("no-referrer"),
            "{path}"
        );
    }
    let post = served.send(&format!(
        "POST /api/search HTTP/1.1\r\nHost: {}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        served.addr
    ));
    assert_eq!(post.status, 405, "nothing can be written");
}

#[test]
fn a_request_for_another_host_name_is_refused() {
    let fixture = recorded(&[archive::demo::SEED]);
    let served = Served::start(&fixture.index, &[]);
    let port = served.addr.port();
    let with_host = |host: &str| {
        served.send(&format!(
            "GET /api/search?q=vs20 HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        ))
    };
    let rebound = with_host(&format!("attacker.example:{port}"));
    assert_eq!(rebound.status, 400);
    assert!(
        rebound.text().contains("does not answer to the host name"),
        "{}",
        rebound.text()
    );
    assert!(
        !rebound.text().contains("flickr:"),
        "nothing of the index leaks"
    );
    assert_eq!(with_host(&format!("127.0.0.1:{}", port + 1)).status, 400);
    assert_eq!(with_host(&format!("localhost:{port}")).status, 200);
    let no_host = served.send("GET / HTTP/1.0\r\n\r\n");
    assert_eq!(no_host.status, 400);
}

#[test]
fn the_thumbnail_route_reads_no_other_file() {
    let fixture = recorded(&[archive::demo::SEED]);
    let secret = std::fs::read_to_string(fixture.index.join("meta.json")).unwrap();
    let served = Served::start(&fixture.index, &[]);
    assert_eq!(
        served
            .get(&format!("/thumb/{LIFTOFF}"))
            .header("content-type"),
        Some("image/jpeg")
    );
    for path in [
        "/thumb/../meta.json",
        "/thumb/..%2Fmeta.json",
        "/thumb/..%2F..%2Findex%2Fmeta.json",
        "/thumb/%2e%2e%2fmeta.json",
        "/thumb/%2Fetc%2Fpasswd",
        "/thumb/thumbnails%2F..%2Fmeta.json",
        "/preview/..%5Cmeta.json",
        "/static/..%2F..%2FCargo.toml",
        "/static/%2e%2e/meta.json",
    ] {
        let answer = served.get(path);
        assert!(
            matches!(answer.status, 400 | 404),
            "{path}: {}",
            answer.status
        );
        assert!(!answer.text().contains(&secret[..20]), "{path}");
        assert!(!answer.text().contains("root:"), "{path}");
    }
    drop(served);

    // A file in the cache that is a symlink is not followed, even under the right name.
    let cache = fixture.index.join("thumbnails");
    let thumbnail = "https://live.staticflickr.com/4876/45539063392_3b5c2a1f9e_q.jpg";
    let name = data_encoding::HEXLOWER.encode(&<sha1::Sha1 as sha1::Digest>::digest(thumbnail));
    let cached = cache.join(&name);
    assert!(cached.is_file(), "the thumbnail was cached as {name}");
    std::fs::remove_file(&cached).unwrap();
    std::os::unix::fs::symlink(fixture.index.join("meta.json"), &cached).unwrap();
    let offline = Served::start(&fixture.index, &["--offline"]);
    let answer = offline.get(&format!("/thumb/{LIFTOFF}"));
    assert_eq!(answer.header("x-archive-placeholder"), Some("1"));
    assert!(!answer.text().contains(&secret[..20]));
}

#[test]
fn bad_parameters_get_a_400_that_says_what_was_wrong() {
    let fixture = recorded(&[archive::demo::SEED]);
    let served = Served::start(&fixture.index, &[]);
    let cases = [
        (
            "/?kind=poster",
            "kind=poster is not a kind: use photo, video, audio or article",
        ),
        ("/?q=vs20&page=0", "page=0 is not a number from 1"),
        ("/?colour=red", "`colour` is not a parameter of a search"),
        ("/?since=2019&until=2018", "swap them"),
        ("/?q=%22soyuz", "the quote at character 1 is never closed"),
        ("/results?q=%22soyuz", "never closed"),
    ];
    for (path, message) in cases {
        let answer = served.get(path);
        assert_eq!(answer.status, 400, "{path}");
        assert!(
            answer
                .header("content-type")
                .unwrap()
                .starts_with("text/html")
        );
        assert!(answer.text().contains(message), "{path}: {}", answer.text());
    }
    let page = served.get("/?q=%22soyuz").text();
    assert!(
        page.contains(r#"value="&quot;soyuz""#),
        "the query stays in the box to fix it"
    );
    let api = served.get("/api/search?sort=views");
    assert_eq!(api.status, 400);
    assert!(
        api.json()["error"]
            .as_str()
            .unwrap()
            .contains("use relevance or date")
    );
}

#[test]
fn the_pages_say_what_the_command_line_says() {
    let fixture = recorded(&[archive::demo::SEED]);
    let served = Served::start(&fixture.index, &[]);
    let item = served.get(&format!("/item/{LIFTOFF}")).text();
    for expected in [
        "Lancement de Soyuz VS20 avec CSO-1",
        "Photo: CNES · CC BY 2.0 · via Flickr",
        "as long as you credit the author",
        "https://creativecommons.org/licenses/by/2.0/",
        "Next Soyuz mission from CSG to launch CSO-1 satellite",
        "Flickr API",
        "src=\"/preview/flickr:45539063392\"",
    ] {
        assert!(item.contains(expected), "{expected} not in the item page");
    }
    let campaign = served.get("/campaign/vs20");
    assert_eq!(campaign.status, 200);
    let campaign = campaign.text();
    assert!(campaign.contains("Campaign VS20"));
    assert!(campaign.contains("Next Soyuz mission from CSG to launch CSO-1 satellite"));
    assert!(
        campaign.contains("<time datetime=\"2018-12-18\">18 December 2018</time>"),
        "{campaign}"
    );
    assert_eq!(served.get("/campaign/VS99").status, 404);
    assert_eq!(served.get("/item/flickr:1").status, 404);

    let nothing = served.get("/?q=vs02").text();
    assert!(nothing.contains("No item matches"));
    assert!(
        nothing.contains(r#"Did you mean: <a href="/?q=vs20">vs20</a>?"#),
        "{nothing}"
    );
    let said = &served.said;
    assert!(said.contains("from the recording"), "{said}");
}

#[test]
fn a_page_shows_what_a_running_crawl_has_committed() {
    let fixture = recorded(&[archive::demo::SEED]);
    let served = Served::start(&fixture.index, &[]);
    let before = served.get("/api/search?q=vs20").json()["total"]
        .as_u64()
        .unwrap();
    // The server holds no lock: a crawl can write to the index while it serves.
    crawl_replayed(&fixture.warc, &fixture.index, &[MARKUP_RELEASE]);
    let after = served.get("/api/search?q=vs20").json()["total"]
        .as_u64()
        .unwrap();
    assert_eq!(
        after,
        before + 2,
        "the release and its picture, without a restart"
    );
    let page = served.get("/").text();
    assert!(page.contains("VS20 photo call"));
}

#[test]
fn thumbnails_are_kept_and_shown_offline() {
    let fixture = recorded(&[archive::demo::SEED]);
    let online = Served::start(&fixture.index, &[]);
    let first = online.get(&format!("/thumb/{LIFTOFF}"));
    assert_eq!(first.header("content-type"), Some("image/jpeg"));
    drop(online);
    std::fs::remove_file(&fixture.warc).unwrap();
    // Without the recording, only the cache can answer.
    let offline = Served::start(&fixture.index, &["--offline"]);
    assert!(offline.said.contains("Offline"), "{}", offline.said);
    let again = offline.get(&format!("/thumb/{LIFTOFF}"));
    assert_eq!(again.body, first.body);
    let never_shown = offline.get("/thumb/flickr:46401960491");
    assert_eq!(never_shown.header("x-archive-placeholder"), Some("1"));
    assert_eq!(never_shown.header("content-type"), Some("image/svg+xml"));
    assert_eq!(never_shown.header("cache-control"), Some("no-store"));
}

#[test]
fn serving_beyond_loopback_says_who_can_reach_it_and_a_missing_index_is_an_error() {
    let fixture = recorded(&[archive::demo::SEED]);
    let wide = Served::start_with(&fixture.index, &["--bind", "0.0.0.0:0", "--offline"]);
    assert!(
        wide.said.contains("anyone who can reach this machine"),
        "{}",
        wide.said
    );
    drop(wide);
    let loopback = Served::start(&fixture.index, &["--offline"]);
    assert!(!loopback.said.contains("anyone"), "{}", loopback.said);

    let missing = fixture.dir.path().join("nowhere");
    let output = archive(&["serve", "--index", missing.to_str().unwrap()], &[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(common::cli::stderr(&output).contains("no index at"));
    assert_ok(&archive(&["serve", "--help"], &[]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thumbnail_is_fetched_once_through_the_guarded_fetcher() {
    use archive::fetch::{AddressPolicy, FetchConfig, Fetcher};
    use archive::serve::Thumbnails;
    use archive_test_support::server::{Reply, TestServer};
    use std::sync::Arc;
    use std::time::Duration;

    let jpeg = std::fs::read(common::fixture_path(
        "site/live.staticflickr.com/4876/45539063392_3b5c2a1f9e_q.jpg",
    ))
    .unwrap();
    let served = jpeg.clone();
    let server = TestServer::start(move |request| match request.path.as_str() {
        "/a.jpg" => Reply::ok("image/jpeg", served.clone()).after(Duration::from_millis(200)),
        "/error-page.jpg" => Reply::ok("image/jpeg", "<html>Not found</html>"),
        _ => Reply::not_found(),
    });
    let dir = tempfile::tempdir().unwrap();
    // A lab where loopback counts as public, so that the server below may be asked.
    let lab = FetchConfig {
        delay: Duration::ZERO,
        addresses: AddressPolicy::with_private_networks(vec!["192.0.2.0/24".parse().unwrap()]),
        ..FetchConfig::default()
    };
    let fetcher = Fetcher::live(lab).unwrap();
    let thumbnails = Thumbnails::open(&dir.path().join("lab"), 1 << 20, Some(fetcher)).unwrap();
    let url = server.url("/a.jpg").to_string();
    let (one, two) = tokio::join!(thumbnails.get(&url), thumbnails.get(&url));
    assert_eq!(one.unwrap().bytes, jpeg);
    assert_eq!(two.unwrap().bytes, jpeg);
    assert!(thumbnails.get(&url).await.is_some());
    assert_eq!(
        server.hits_on("/a.jpg"),
        1,
        "two pages at once, then a third: one request"
    );

    let not_an_image = server.url("/error-page.jpg").to_string();
    assert!(thumbnails.get(&not_an_image).await.is_none());
    assert!(thumbnails.get(&not_an_image).await.is_none());
    assert_eq!(
        server.hits_on("/error-page.jpg"),
        1,
        "a failure is not asked again at once"
    );

    // With the standard rules, loopback is private: a link from the web may not lead there.
    let guarded = Fetcher::live(FetchConfig::default()).unwrap();
    let thumbnails =
        Arc::new(Thumbnails::open(&dir.path().join("guarded"), 1 << 20, Some(guarded)).unwrap());
    let refused = server.url("/b.jpg").to_string();
    let done = thumbnails.clone().prefetch(vec![refused, url]).await;
    assert_eq!((done.fetched, done.failed), (0, 2));
    assert_eq!(server.hits_on("/b.jpg"), 0, "the server was never asked");
}

#[test]
fn the_demo_crawled_with_thumbnails_shows_its_campaign_offline() {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    let crawl = archive(&["crawl", "--thumbnails", "--index", index.to_str().unwrap()], &[]);
    assert_ok(&crawl);
    let said = common::cli::stderr(&crawl);
    assert!(said.contains("Thumbnails: 9 fetched, 0 already there, 0 could not be fetched"), "{said}");

    let served = Served::start(&index, &["--offline"]);
    let found = served.get("/api/search?q=vs20").json();
    let ids: Vec<&str> = found["items"].as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 9);
    for id in ids {
        let thumb = served.get(&format!("/thumb/{}", id.replace('/', "%2F")));
        assert_eq!(thumb.header("content-type"), Some("image/jpeg"), "{id}");
        assert!(archive::serve::thumbnails::sniff(&thumb.body).is_some(), "{id}");
    }
}

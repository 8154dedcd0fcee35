//! `archive serve`'s thumbnails: fetched once through the crawl's guarded fetcher, kept beside
//! the index and shown offline, prefetched by `archive crawl --thumbnails`, and a route that
//! reads no other file.

use crate::common;

use common::cli::{archive, assert_ok};
use common::serve::{Served, recorded};

const LIFTOFF: &str = "flickr:45539063392";

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
    let crawl = archive(
        &["crawl", "--thumbnails", "--index", index.to_str().unwrap()],
        &[],
    );
    assert_ok(&crawl);
    let said = common::cli::stderr(&crawl);
    assert!(
        said.contains("Thumbnails: 11 fetched, 0 already there, 0 could not be fetched"),
        "{said}"
    );

    let served = Served::start(&index, &["--offline"]);
    let found = served.get("/api/search?q=vs20").json();
    let ids: Vec<&str> = found["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 11);
    for id in ids {
        let thumb = served.get(&format!("/thumb/{}", id.replace('/', "%2F")));
        assert_eq!(thumb.header("content-type"), Some("image/jpeg"), "{id}");
        assert!(
            archive::serve::thumbnails::sniff(&thumb.body).is_some(),
            "{id}"
        );
    }
}

#[test]
fn thumbnails_go_elsewhere_when_they_cannot_be_kept_beside_the_index() {
    let fixture = recorded(&[archive::demo::SEED]);
    // A file where the folder would be: the index's folder is as good as read-only for it.
    std::fs::write(fixture.index.join("thumbnails"), "not a folder").unwrap();
    let served = Served::start(&fixture.index, &[]);
    let said = served.said.clone();
    let elsewhere = said
        .lines()
        .find_map(|l| l.split("keeping them in ").nth(1))
        .map(|rest| std::path::PathBuf::from(rest.trim_end_matches(" instead.")))
        .unwrap_or_else(|| panic!("{said}"));
    let thumb = served.get(&format!("/thumb/{LIFTOFF}"));
    assert_eq!(thumb.header("content-type"), Some("image/jpeg"));
    assert!(elsewhere.is_dir() && std::fs::read_dir(&elsewhere).unwrap().count() > 0);
    drop(served);
    std::fs::remove_dir_all(&elsewhere).unwrap();
}

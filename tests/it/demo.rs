//! The built-in demo is a WARC recorded from the fixture site; this test records it afresh
//! and fails when the embedded copy no longer matches the fixtures.
//!
//! To re-record it after changing the fixtures:
//!
//! ```sh
//! ARCHIVE_REGENERATE_DEMO=1 cargo test --test it demo::
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use archive::crawl::{CrawlPlan, Crawler, Seed, Silent};
use archive::demo;
use std::sync::Arc;

use archive::fetch::{FetchConfig, Fetcher, Purpose, Transport};
use archive::index::ArchiveIndex;
use archive::sources::{Registry, Settings};
use archive::warcfile::{Recorder, Replay};
use archive_test_support::site::{Links, Site};

/// Crawls the demo release from the fixture site, as if from the public hosts, into a WARC.
fn record_demo(warc: &Path, index_dir: &Path) {
    let site = Site::start(Links::Public);
    let config = FetchConfig {
        mirror: Some(url::Url::parse(&site.server.origin()).unwrap()),
        delay: std::time::Duration::ZERO,
        ..FetchConfig::default()
    };
    let transport = Transport::live(&config).unwrap();
    let fetcher = Fetcher::new(config, transport, Some(Recorder::create(warc).unwrap()));
    let settings = Settings::from_pairs([
        ("FLICKR_API_KEY", "demo-key"),
        ("FLICKR_API_URL", demo::FLICKR_API_URL),
    ]);
    let registry = Arc::new(Registry::standard(&fetcher, &settings).unwrap());
    let index = ArchiveIndex::open_or_create(index_dir).unwrap();
    let plan = CrawlPlan {
        seeds: vec![Seed::parse(demo::SEED).unwrap()],
        depth: 1,
        ..CrawlPlan::default()
    };
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let report = runtime
        .block_on(Crawler::new(fetcher.clone(), registry.clone(), &index, &Silent).run(&plan))
        .unwrap();
    assert!(report.succeeded(), "{:?}", report.seeds);
    assert!(report.failures.is_empty(), "{:?}", report.failures);
    runtime.block_on(record_files(&fetcher, &index));
    drop(registry);
    fetcher.finish().unwrap();
}

/// Every item's preview and file, so that the demo shows thumbnails and downloads files
/// offline too.
async fn record_files(fetcher: &Fetcher, index: &ArchiveIndex) {
    let everything = archive::search::Request {
        limit: 100,
        ..archive::search::Request::new("")
    };
    let items = archive::search::run(index, &everything).unwrap().hits;
    let files: BTreeSet<&str> = items
        .iter()
        .flat_map(|hit| [&hit.item.thumbnail_url, &hit.item.media_url])
        .flatten()
        .map(String::as_str)
        .collect();
    for file in files {
        let url = url::Url::parse(file).unwrap();
        let response = fetcher.get(&url, Purpose::Page).await;
        let response = response.unwrap_or_else(|e| panic!("{file}: {e}"));
        let kind = response.media_type().unwrap_or_default();
        assert!(
            kind.starts_with("image/") || kind.starts_with("video/"),
            "{file} is {kind}: every demo file is in tests/fixtures/site (see tools/make_demo_media.py)"
        );
    }
}

/// What a replay would answer, URL by URL: status, content type and body.
fn answers(replay: &Replay) -> BTreeMap<String, (u16, Option<String>, Vec<u8>)> {
    replay
        .urls()
        .map(|url| {
            let recorded = replay.lookup(url).unwrap();
            let content_type = recorded
                .headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("content-type"))
                .map(|(_, v)| v.clone());
            (
                url.to_string(),
                (recorded.status, content_type, recorded.body.to_vec()),
            )
        })
        .collect()
}

#[test]
fn the_embedded_demo_matches_the_fixtures() {
    let dir = tempfile::tempdir().unwrap();
    let fresh = dir.path().join("demo.warc");
    record_demo(&fresh, &dir.path().join("index"));
    let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/demo/cso-vs20.warc");
    if std::env::var_os("ARCHIVE_REGENERATE_DEMO").is_some() {
        std::fs::copy(&fresh, &target).unwrap();
        eprintln!("re-recorded {}", target.display());
        return;
    }
    let recorded = answers(&Replay::open(&fresh).unwrap());
    let embedded = answers(&Replay::from_bytes(demo::WARC).unwrap());
    assert!(
        recorded.len() >= 10,
        "the demo crawl reads the release, robots, API and pages"
    );
    let recorded_urls: Vec<&String> = recorded.keys().collect();
    let embedded_urls: Vec<&String> = embedded.keys().collect();
    assert_eq!(
        embedded_urls, recorded_urls,
        "the demo's requests changed: run ARCHIVE_REGENERATE_DEMO=1 cargo test --test it demo::"
    );
    for (url, answer) in &recorded {
        assert_eq!(
            &embedded[url], answer,
            "{url} changed: run ARCHIVE_REGENERATE_DEMO=1 cargo test --test it demo::"
        );
    }
}

#[test]
fn the_embedded_demo_holds_only_public_looking_urls() {
    let embedded = Replay::from_bytes(demo::WARC).unwrap();
    assert!(!embedded.is_empty());
    for url in embedded.urls() {
        let host = url.host_str().unwrap_or_default();
        // Flickr's answers name Flickr's own hosts for pages and files; the demo stands in
        // for those files with small drawings.
        let flickr = ["api.flickr.com", "www.flickr.com", "live.staticflickr.com"];
        assert!(
            host.ends_with(".example") || flickr.contains(&host),
            "{url} should not be in the demo"
        );
        assert!(
            !url.as_str().contains("demo-key"),
            "the API key is redacted: {url}"
        );
    }
}

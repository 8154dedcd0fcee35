//! CNES's PR208-2018 exactly as it was handed over: Markdown saved as a `.txt` file, crawled
//! with its Flickr album answered by the fixture API.

use std::sync::Arc;

use archive::crawl::{CrawlPlan, Crawler, Seed, Silent};
use archive::fetch::{FetchConfig, Fetcher, Transport};
use archive::index::ArchiveIndex;
use archive::sources::{Registry, Settings};
use archive_test_support::site::{Links, Site};

use crate::common;

#[test]
fn pr208_as_given_is_titled_by_its_headline_tagged_cso_and_vs20_and_each_link_tried_once() {
    let site = Site::start(Links::Public);
    let config = FetchConfig {
        mirror: Some(url::Url::parse(&site.server.origin()).unwrap()),
        delay: std::time::Duration::ZERO,
        retries: 0,
        ..FetchConfig::default()
    };
    let fetcher = Fetcher::new(config.clone(), Transport::live(&config).unwrap(), None);
    let settings = Settings::from_pairs([("FLICKR_API_KEY", "test-key")]);
    let registry = Arc::new(Registry::standard(&fetcher, &settings).unwrap());
    let dir = tempfile::tempdir().unwrap();
    let index = ArchiveIndex::open_or_create(dir.path()).unwrap();
    let release = common::fixture_path("releases/pr208-2018.txt");
    let plan = CrawlPlan {
        seeds: vec![Seed::parse(release.to_str().unwrap()).unwrap()],
        depth: 1,
        ..CrawlPlan::default()
    };
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let report = runtime
        .block_on(Crawler::new(fetcher, registry, &index, &Silent).run(&plan))
        .unwrap();

    let seed = &report.seeds[0];
    assert_eq!(seed.hashtags, ["CSO", "VS20"]);
    assert_eq!(
        seed.title.as_deref(),
        Some("Next Soyuz mission from CSG to launch CSO-1 satellite")
    );

    let hits = site.server.hits();
    let tried = |needle: &str| hits.iter().filter(|h| h.contains(needle)).count();
    assert_eq!(tried("/cso.cnes.fr/en/live"), 1, "{hits:#?}");
    assert_eq!(
        tried("/videotheque.cnes.fr/index.php?urlaction=commande&id_pancier=4378"),
        1,
        "{hits:#?}"
    );
    assert_eq!(
        tried("/videotheque.cnes.fr/index.php"),
        1,
        "no bogus URL: {hits:#?}"
    );
    assert_eq!(
        tried("photosets.getPhotos"),
        2,
        "the album's two pages: {hits:#?}"
    );
    assert!(!hits.iter().any(|h| h.contains("%5C")), "{hits:#?}");

    let everything = archive::search::Request {
        limit: 1000,
        ..archive::search::Request::new("")
    };
    let items = archive::search::run(&index, &everything).unwrap().hits;
    let photos = items
        .iter()
        .filter(|h| h.item.source.as_str() == "flickr")
        .count();
    assert!(photos >= 3, "the album's photos: {items:#?}");
    for hit in &items {
        assert_eq!(hit.item.campaigns, ["CSO", "VS20"], "{}", hit.item.id);
    }
}

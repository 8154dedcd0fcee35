//! A robots.txt as any server writes it: its rules checked against a few paths, its
//! sitemaps and its crawl delay read, as the fetcher does.
#![no_main]

use archive::fetch::robots::{MAX_CRAWL_DELAY, Rules};
use libfuzzer_sys::fuzz_target;
use url::Url;

const PATHS: [&str; 5] = [
    "https://press.example.org/",
    "https://press.example.org/news/release.html?id=1",
    "https://press.example.org/private/%E2%82%AC/",
    "https://press.example.org/index.php?urlaction=doc&id_doc=1",
    "https://press.example.org/a*b$/",
];

fuzz_target!(|data: &[u8]| {
    let rules = Rules::from_body(data);
    for path in PATHS {
        let _ = rules.check(&Url::parse(path).expect("a fixed URL"));
    }
    let robots = Url::parse("https://press.example.org/robots.txt").expect("a fixed URL");
    for sitemap in rules.sitemaps(&robots) {
        assert!(matches!(sitemap.scheme(), "http" | "https"), "{sitemap}");
    }
    if let Some(delay) = rules.crawl_delay() {
        assert!(delay <= MAX_CRAWL_DELAY);
    }
});

//! The inputs the fuzz targets (`fuzz/`) found, minimised, read again on stable through the
//! same entry as their target: each under `tests/fixtures/fuzz/<target>/`.

use std::path::PathBuf;

use crate::search_support::fixture;

use archive::fetch::{FetchConfig, Fetcher};
use archive::model::{Page, Role};
use archive::search::dates::Period;
use archive::search::{self, Filters, Request, SearchError, Sort};
use archive::sources::{Registry, Settings, bounds};
use url::Url;

fn inputs(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/fuzz")
        .join(target);
    let mut found: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| {
            let path = entry.expect("a directory entry").path();
            let bytes = std::fs::read(&path).expect("a readable input");
            (path, bytes)
        })
        .collect();
    found.sort();
    assert!(!found.is_empty(), "no inputs in {}", dir.display());
    found
}

/// The request the `query` target makes of its input: a flags byte, then lines for the
/// query, campaigns, licence phrases, since and until (see `fuzz/fuzz_targets/query.rs`).
fn query_request(data: &[u8]) -> Request {
    let (flags, rest) = data.split_first().map_or((0, &[][..]), |(f, r)| (*f, r));
    let text = String::from_utf8_lossy(rest);
    let mut lines = text.split('\n').map(str::to_owned);
    let mut line = || lines.next().unwrap_or_default();
    let query = line();
    let list = |l: String| {
        l.split(',')
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect()
    };
    let campaigns = list(line());
    let licenses = list(line());
    let since = Period::parse(&line()).ok().map(|p| p.start);
    let until = Period::parse(&line()).ok().map(|p| p.end);
    Request {
        filters: Filters {
            campaigns,
            licenses,
            reusable: flags & 0x10 != 0,
            since,
            until,
            ..Filters::default()
        },
        sort: if flags & 0x20 != 0 {
            Sort::Date
        } else {
            Sort::Relevance
        },
        limit: 5,
        highlights: true,
        ..Request::new(query)
    }
}

#[test]
fn query_inputs_give_hits_or_a_query_error_never_a_damaged_index() {
    let (_dir, index) = fixture();
    for (path, data) in inputs("query") {
        let request = query_request(&data);
        match search::run(&index, &request) {
            Ok(results) => assert!(results.hits.len() <= request.limit, "{}", path.display()),
            Err(SearchError::Query(error)) => assert!(!error.to_string().is_empty()),
            Err(other) => panic!("{}: {other}", path.display()),
        }
    }
}

/// Found by `query`: a date outside Tantivy's range (1677 to 2262) overflowed its nanosecond
/// count, so `--until 1019` panicked in a debug build (reported as a damaged index) and
/// matched items up to the 23rd century in a release build.
#[test]
fn dates_beyond_the_index_range_filter_as_the_range_ends() {
    let (_dir, index) = fixture();
    let dated = |since: Option<&str>, until: Option<&str>| {
        let request = Request {
            filters: Filters {
                since: since.map(|s| Period::parse(s).unwrap().start),
                until: until.map(|u| Period::parse(u).unwrap().end),
                ..Filters::default()
            },
            sort: Sort::Date,
            limit: 100,
            ..Request::new("")
        };
        let results = search::run(&index, &request).expect("a search");
        results
            .hits
            .into_iter()
            .map(|h| h.item.id)
            .collect::<Vec<_>>()
    };
    let every_dated = dated(Some("1900"), None);
    assert!(!every_dated.is_empty());
    assert_eq!(dated(None, Some("1019")), Vec::<String>::new());
    assert_eq!(dated(Some("3000"), None), Vec::<String>::new());
    assert_eq!(dated(Some("1019"), Some("9999")), every_dated);
}

/// Where the `feed` target says its input came from (`fuzz/fuzz_targets/feed.rs`).
const FEED_PLACES: [(&str, Option<&str>); 6] = [
    (
        "https://press.example.org/feed.xml",
        Some("application/rss+xml"),
    ),
    (
        "https://press.example.org/atom.xml",
        Some("application/atom+xml"),
    ),
    ("https://press.example.org/feed", Some("application/xml")),
    ("https://press.example.org/feed", Some("text/xml")),
    ("https://press.example.org/feed", None),
    (
        "https://api.flickr.com/services/feeds/photoset.gne?set=72157704555614144&nsid=38194218@N05",
        Some("application/rss+xml"),
    ),
];

fn registry() -> Registry {
    let fetcher = Fetcher::live(FetchConfig::default()).expect("an HTTP client");
    Registry::standard(&fetcher, &Settings::default()).expect("default settings")
}

/// Found by `feed`: an XML declaration past the start of a feed (two documents pasted
/// together) made quick-xml panic inside feed-rs, failing the page as a crash.
#[test]
fn feed_inputs_are_read_as_documents_without_a_crash() {
    let registry = registry();
    for (path, data) in inputs("feed") {
        let (which, body) = data.split_first().expect("a selector byte");
        let (url, content_type) = FEED_PLACES[usize::from(*which) % FEED_PLACES.len()];
        let page = Page {
            url: Url::parse(url).unwrap(),
            content_type: content_type.map(str::to_owned),
            body: String::from_utf8_lossy(body).into_owned(),
            role: Role::Linked,
        };
        let found = registry.extract(&page);
        let found = found.unwrap_or_else(|| panic!("{}: read by no source", path.display()));
        assert!(found.items.len() <= bounds::MAX_ITEMS, "{}", path.display());
    }
}

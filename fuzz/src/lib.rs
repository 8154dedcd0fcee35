//! What the fuzz targets share: the registry the crawl reads documents with, and pages
//! built from fuzzed bytes as the fetcher would hand them over.

use std::sync::LazyLock;

use archive::fetch::{FetchConfig, Fetcher};
use archive::model::{Page, Role};
use archive::sources::{Registry, Settings, bounds};
use url::Url;

/// The crawl's registry with default settings, built once: every source, in the order the
/// crawl asks them.
pub static REGISTRY: LazyLock<Registry> = LazyLock::new(|| {
    let fetcher = Fetcher::live(FetchConfig::default()).expect("an HTTP client");
    Registry::standard(&fetcher, &Settings::default()).expect("default settings")
});

/// The first byte chooses among `choices`; the rest is the input proper.
pub fn pick<'a, T>(data: &'a [u8], choices: &'a [T]) -> Option<(&'a T, &'a [u8])> {
    let (first, rest) = data.split_first()?;
    Some((&choices[usize::from(*first) % choices.len()], rest))
}

/// A fetched document as the fetcher gives it: decoded to UTF-8 (lossily, as a body in an
/// unknown charset would be), with its declared type.
pub fn page(url: &str, content_type: Option<&str>, body: &[u8], role: Role) -> Page {
    Page {
        url: Url::parse(url).expect("a fixed URL"),
        content_type: content_type.map(str::to_owned),
        body: String::from_utf8_lossy(body).into_owned(),
        role,
    }
}

/// Reads a document as the crawl does, and checks what comes out is bounded.
pub fn extract(page: &Page) {
    if let Some(found) = REGISTRY.extract(page) {
        // The caps the crawl promises hold on whatever a page holds.
        assert!(
            found.items.len() <= bounds::MAX_ITEMS,
            "{} items",
            found.items.len()
        );
        assert!(
            found.links.len() <= bounds::MAX_LINKS,
            "{} links",
            found.links.len()
        );
    }
}

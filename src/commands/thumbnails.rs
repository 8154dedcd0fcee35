//! `archive crawl --thumbnails`: every item's thumbnail fetched at the end of the crawl, through
//! the crawl's own fetcher, into the cache `archive serve` reads.

use anyhow::{Context, Result};
use std::path::Path;
use std::sync::Arc;

use archive::fetch::Fetcher;
use archive::index::ArchiveIndex;
use archive::serve::thumbnails::{DEFAULT_CAP, Prefetched, Thumbnails, every_thumbnail};

/// Fetches the thumbnails the cache lacks. The cache is closed again before the crawl
/// finishes its fetcher (and its recording).
pub(crate) fn prefetch(
    runtime: &tokio::runtime::Runtime,
    fetcher: &Fetcher,
    index: &ArchiveIndex,
) -> Result<Prefetched> {
    let urls = every_thumbnail(index)?;
    let dir = Thumbnails::dir_for(index.dir());
    let thumbnails = Thumbnails::open(&dir, DEFAULT_CAP, Some(fetcher.clone()))
        .with_context(|| format!("cannot use the thumbnail cache {}", dir.display()))?;
    Ok(runtime.block_on(Arc::new(thumbnails).prefetch(urls)))
}

/// One line on stderr, after the crawl's summary. Thumbnails that could not be fetched
/// fail nothing else: the crawl's items are indexed, and `archive serve` fetches them later.
pub(crate) fn print(outcome: &Result<Prefetched>, index: &Path) {
    match outcome {
        Ok(done) => eprintln!(
            "Thumbnails: {} fetched, {} already there, {} could not be fetched, in {}.",
            done.fetched,
            done.cached,
            done.failed,
            Thumbnails::dir_for(index).display()
        ),
        Err(error) => eprintln!("Thumbnails: none fetched: {error:#}."),
    }
}

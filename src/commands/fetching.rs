//! The fetcher a command uses on an index's behalf after its crawl (thumbnails to show, files
//! to download): it asks where the index's answers came from, so the demo and a replayed
//! crawl stay offline.

use anyhow::{Context, Result};
use std::path::Path;
use std::sync::Arc;

use archive::demo;
use archive::fetch::{FetchConfig, Fetcher, Transport};
use archive::index::Origin;
use archive::warcfile::Replay;

/// A fetcher for the index in `dir`, with `config`'s limits and manners.
pub(crate) fn for_index(dir: &Path, config: FetchConfig) -> Result<Fetcher> {
    let transport = match Origin::read(dir) {
        Origin::Network => Transport::live(&config).context("cannot set up the HTTP client")?,
        Origin::Demo => Transport::Replay(Arc::new(
            Replay::from_bytes(demo::WARC).context("the built-in demo is damaged")?,
        )),
        Origin::Replay(path) => {
            Transport::Replay(Arc::new(Replay::open(&path).with_context(|| {
                format!(
                    "the index was crawled from the recording {}, which cannot be read",
                    path.display()
                )
            })?))
        }
    };
    Ok(Fetcher::new(config, transport, None))
}

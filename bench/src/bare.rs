//! The bare fetch the download and crawl figures are measured against: every URL asked with
//! a fixed number in flight on one reqwest client, and each body handed over whole.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::Result;

/// Fetches every URL of `urls`, `in_flight` at once, and gives each body to `take` with the
/// URL's place in the list; the time from the first request to the last body taken.
pub(crate) fn fetch(
    urls: Vec<String>,
    in_flight: usize,
    take: impl Fn(usize, &[u8]) -> Result<()> + Send + Sync + 'static,
) -> Result<Duration> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let client = reqwest::Client::new();
    let next = Arc::new(AtomicUsize::new(0));
    let (urls, take) = (Arc::new(urls), Arc::new(take));
    let started = Instant::now();
    runtime.block_on(async {
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..in_flight {
            let (client, next, urls, take) =
                (client.clone(), next.clone(), urls.clone(), take.clone());
            tasks.spawn(async move {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(url) = urls.get(i) else {
                        return anyhow::Ok(());
                    };
                    let body = client
                        .get(url)
                        .send()
                        .await?
                        .error_for_status()?
                        .bytes()
                        .await?;
                    take(i, &body)?;
                }
            });
        }
        while let Some(done) = tasks.join_next().await {
            done??;
        }
        anyhow::Ok(())
    })?;
    Ok(started.elapsed())
}

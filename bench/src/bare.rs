//! The bare fetch the download and crawl figures are measured against: every URL asked with
//! a fixed number in flight on one reqwest client, and each body handed over whole; and the
//! bare download program built on it.

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Result, bail};
use aws_lc_rs::digest;

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

/// The flag that turns the harness into a bare download program (see [`files_main`]).
pub(crate) const FILES_FLAG: &str = "--bare-fetch-files";

/// Whether the bare download also checksums what it writes.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Checksum {
    No,
    Sha256,
}

impl Checksum {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Checksum::No => "plain",
            Checksum::Sha256 => "sha256",
        }
    }
}

/// `bench --bare-fetch-files URLS DIR IN_FLIGHT plain|sha256`: every URL listed in the file
/// URLS fetched, IN_FLIGHT at once, each body written to `DIR/<n>.jpg` (and checksummed
/// first with `sha256`). It is what `archive download` is measured against, and runs as a
/// program of its own so that both are started and timed the same way.
pub(crate) fn files_main(args: &[OsString]) -> ExitCode {
    match fetch_files(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("bench {FILES_FLAG}: {error:#}");
            ExitCode::from(2)
        }
    }
}

fn fetch_files(args: &[OsString]) -> Result<()> {
    let [urls, dir, in_flight, checksum] = args else {
        bail!("usage: bench {FILES_FLAG} URLS DIR IN_FLIGHT plain|sha256");
    };
    let urls: Vec<String> = std::fs::read_to_string(urls)?
        .lines()
        .map(str::to_string)
        .collect();
    let in_flight: usize = in_flight.to_string_lossy().parse()?;
    let checksum = match checksum.to_str() {
        Some("plain") => Checksum::No,
        Some("sha256") => Checksum::Sha256,
        _ => bail!("say plain or sha256"),
    };
    let dir = PathBuf::from(dir);
    std::fs::create_dir_all(&dir)?;
    fetch(urls, in_flight, move |i, body| {
        if checksum == Checksum::Sha256 {
            std::hint::black_box(digest::digest(&digest::SHA256, body));
        }
        std::fs::write(dir.join(format!("{i}.jpg")), body)?;
        Ok(())
    })?;
    Ok(())
}

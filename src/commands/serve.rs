//! `archive serve`: open the index for reading, listen, say where, serve until Ctrl-C.

use anyhow::{Context, Result};
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;

use archive::fetch::{AddressPolicy, FetchConfig, Fetcher};
use archive::index::{ArchiveIndex, Origin};
use archive::serve::{self, App, HostPolicy, Thumbnails};

use super::fetching;
use crate::cli::ServeArgs;
use crate::output;

pub(crate) fn run(args: &ServeArgs) -> Result<ExitCode> {
    let index = ArchiveIndex::open(&args.index.index)?;
    let fetcher = if args.offline {
        None
    } else {
        Some(fetching::for_index(index.dir(), fetch_config(args))?)
    };
    let thumbnails = open_thumbnails(&index, args.thumbnail_cache.0, fetcher)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(args.bind)
            .await
            .with_context(|| listen_error(args.bind))?;
        let bound = listener.local_addr()?;
        announce(&index, &thumbnails, bound)?;
        let hosts = HostPolicy::new(bound, &args.allow_hosts);
        let router = serve::router(App::new(index, Arc::new(thumbnails)), hosts);
        if args.open {
            let url = page_url(bound);
            if let Err(error) = open::that_detached(&url) {
                eprintln!("Cannot open a browser ({error}): open {url} yourself.");
            }
        }
        serve::serve(listener, router, stopped())
            .await
            .context("the server stopped")
    })?;
    eprintln!("Stopped.");
    Ok(ExitCode::SUCCESS)
}

/// The thumbnail cache beside the index; in the temporary folder when the index's folder
/// cannot be written to (a read-only copy), which the server says.
fn open_thumbnails(index: &ArchiveIndex, cap: u64, fetcher: Option<Fetcher>) -> Result<Thumbnails> {
    let beside = Thumbnails::dir_for(index.dir());
    let Err(error) = std::fs::create_dir_all(&beside) else {
        return Thumbnails::open(&beside, cap, fetcher)
            .with_context(|| format!("cannot use the thumbnail cache {}", beside.display()));
    };
    let absolute = std::path::absolute(index.dir()).unwrap_or_else(|_| index.dir().to_path_buf());
    let name = archive::serve::thumbnails::name_of(&absolute.to_string_lossy());
    let elsewhere = std::env::temp_dir().join(format!("archive-thumbnails-{}", &name[..12]));
    eprintln!(
        "Cannot keep thumbnails in {} ({error}): keeping them in {} instead.",
        beside.display(),
        elsewhere.display()
    );
    Thumbnails::open(&elsewhere, cap, fetcher)
        .with_context(|| format!("cannot use the thumbnail cache {}", elsewhere.display()))
}

/// The crawl's limits and manners, with the address rules asked for.
fn fetch_config(args: &ServeArgs) -> FetchConfig {
    let mut config = FetchConfig {
        allow_private: args.allow_private,
        ..FetchConfig::default()
    };
    if !args.private_networks.is_empty() {
        config.addresses = AddressPolicy::with_private_networks(args.private_networks.clone());
    }
    config
}

fn listen_error(bind: SocketAddr) -> String {
    format!(
        "cannot listen on {bind}: is another `archive serve` running there? Choose another port \
         with --bind {}:{}",
        bind.ip(),
        bind.port().wrapping_add(1).max(1024)
    )
}

/// Where the page is, for this machine's browser.
fn page_url(bound: SocketAddr) -> String {
    let host = match bound {
        SocketAddr::V4(v4) if v4.ip().is_unspecified() => "127.0.0.1".to_string(),
        SocketAddr::V6(v6) if v6.ip().is_unspecified() => "[::1]".to_string(),
        SocketAddr::V4(v4) => v4.ip().to_string(),
        SocketAddr::V6(v6) => format!("[{}]", v6.ip()),
    };
    format!("http://{host}:{}/", bound.port())
}

/// What is served, where, and who can reach it, on stderr.
fn announce(index: &ArchiveIndex, thumbnails: &Thumbnails, bound: SocketAddr) -> Result<()> {
    let items = usize::try_from(index.len()?).unwrap_or(usize::MAX);
    eprintln!(
        "Serving {} from {} at {} (Ctrl-C stops).",
        output::plural(items, "item"),
        index.dir().display(),
        page_url(bound)
    );
    eprintln!("{}", thumbnail_source(index, thumbnails));
    if !bound.ip().is_loopback() {
        let who = if bound.ip().is_unspecified() {
            format!(
                "anyone who can reach this machine on port {}, on any of its networks,",
                bound.port()
            )
        } else {
            format!("anyone who can reach {} on its network", bound.ip())
        };
        eprintln!(
            "Listening beyond this machine: {who} can browse the index (read-only, with no \
             password). The default, --bind 127.0.0.1:{}, keeps it to this machine.",
            bound.port()
        );
    }
    Ok(())
}

fn thumbnail_source(index: &ArchiveIndex, thumbnails: &Thumbnails) -> String {
    let cached = thumbnails.cached_bytes() / 1024;
    if !thumbnails.is_online() {
        return format!(
            "Offline: showing only the thumbnails already cached ({cached} KiB), a placeholder \
             for the others."
        );
    }
    let from = match Origin::read(index.dir()) {
        Origin::Network => "from the network, politely, as pages need them".to_string(),
        Origin::Demo => "from the built-in demo's recording (offline)".to_string(),
        Origin::Replay(path) => format!("from the recording {} (offline)", path.display()),
    };
    format!("Thumbnails come {from}; {cached} KiB are cached.")
}

/// Completes on Ctrl-C (or when signals cannot be listened to, never).
async fn stopped() {
    if tokio::signal::ctrl_c().await.is_err() {
        std::future::pending::<()>().await;
    }
}

//! `archive serve`: the index as a local web page and a JSON API, read-only.
//!
//! A thin layer over [`crate::search`] and the index's campaigns: the server renders every
//! page itself (typed templates, every text from the web escaped), and one small script of
//! ours adds search as you type, copy buttons and keyboard navigation. Thumbnails come
//! through the crawl's fetcher into a cache beside the index ([`thumbnails`]), so the browser
//! only ever talks to this server. Every response carries a strict Content-Security-Policy,
//! and a request must name this server in its `Host` header ([`guard`]).
//!
//! The index is only read: the reader reloads after each commit of a running crawl, so a page
//! shows what the crawl has committed so far.

mod api;
mod assets;
pub(crate) mod format;
pub mod guard;
mod pages;
pub mod params;
mod routes;
pub mod thumbnails;

use axum::Router;
use axum::routing::get;
use std::future::Future;
use std::sync::Arc;

pub use guard::HostPolicy;
pub use params::View;
pub use thumbnails::Thumbnails;

use crate::index::ArchiveIndex;

/// What the handlers share.
pub struct App {
    index: ArchiveIndex,
    thumbnails: Arc<Thumbnails>,
}

impl App {
    /// The app over an open index and its thumbnail cache.
    pub fn new(index: ArchiveIndex, thumbnails: Arc<Thumbnails>) -> Arc<Self> {
        Arc::new(App { index, thumbnails })
    }
}

/// Every route, behind the `Host` check, with the security headers on every response.
pub fn router(app: Arc<App>, hosts: HostPolicy) -> Router {
    let api = Router::new()
        .route("/search", get(routes::api_search))
        .route("/items/{*id}", get(routes::api_item))
        .route("/campaigns", get(routes::api_campaigns))
        .fallback(routes::api_not_found);
    Router::new()
        .route("/", get(routes::search_page))
        .route("/results", get(routes::results_fragment))
        .route("/item/{*id}", get(routes::item_page))
        .route("/campaigns", get(routes::campaigns_page))
        .route("/campaign/{name}", get(routes::campaign_page))
        .route("/thumb/{*id}", get(routes::thumbnail))
        .route("/preview/{*id}", get(routes::preview))
        .route("/static/{name}", get(assets::serve))
        .nest("/api", api)
        .fallback(routes::not_found)
        .with_state(app)
        .layer(axum::middleware::from_fn_with_state(
            Arc::new(hosts),
            guard::check_host,
        ))
        .layer(axum::middleware::from_fn(guard::headers))
}

/// Serves `router` on `listener` until `shutdown` completes.
///
/// # Errors
/// When the listener fails.
pub async fn serve(
    listener: tokio::net::TcpListener,
    router: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router)
        .with_graceful_shutdown(shutdown)
        .await
}

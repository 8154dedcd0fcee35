//! The handlers: each reads the index (on a blocking thread, since a search is synchronous),
//! then renders a page or JSON. Nothing here writes, except the thumbnail cache.

use axum::Json;
use axum::extract::{Path, RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

use super::App;
use super::api::{ApiError, SearchAnswer};
use super::pages::{self, campaign, errors, item};
use super::params::View;
use super::thumbnails::{Image, preview_urls, thumbnail_urls};
use crate::index::CampaignSummary;
use crate::model::Item;
use crate::search::record::Publishable;
use crate::search::{self, Filters, Request, Results, SearchError, Sort};

/// Why a request got no answer.
pub(crate) enum Failure {
    /// The request cannot be understood.
    BadRequest(String),
    /// Nothing is there.
    NotFound(String),
    /// The index could not be read.
    Internal(String),
}

impl Failure {
    fn status(&self) -> StatusCode {
        match self {
            Failure::BadRequest(_) => StatusCode::BAD_REQUEST,
            Failure::NotFound(_) => StatusCode::NOT_FOUND,
            Failure::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn message(&self) -> &str {
        match self {
            Failure::BadRequest(m) | Failure::NotFound(m) | Failure::Internal(m) => m,
        }
    }

    /// As a page.
    pub(crate) fn page(self) -> Response {
        let page = match &self {
            Failure::BadRequest(m) => errors::bad_request(m),
            Failure::NotFound(m) => errors::not_found(m),
            Failure::Internal(m) => errors::failure(m),
        };
        (self.status(), page).into_response()
    }

    /// As JSON.
    fn json(self) -> Response {
        let body = Json(ApiError {
            error: self.message(),
        });
        (self.status(), body).into_response()
    }
}

impl From<SearchError> for Failure {
    fn from(error: SearchError) -> Self {
        match error {
            SearchError::Query(e) => Failure::BadRequest(e.to_string()),
            SearchError::Index(e) => Failure::Internal(e.to_string()),
        }
    }
}

/// Runs `work` on a blocking thread with the app.
async fn blocking<T: Send + 'static>(
    app: &Arc<App>,
    work: impl FnOnce(&App) -> Result<T, Failure> + Send + 'static,
) -> Result<T, Failure> {
    let app = app.clone();
    tokio::task::spawn_blocking(move || work(&app))
        .await
        .map_err(|e| Failure::Internal(format!("the server failed: {e}")))?
}

async fn run_view(app: &Arc<App>, query: Option<String>) -> Result<(View, Results), Failure> {
    let view =
        View::parse(query.as_deref().unwrap_or_default()).map_err(|e| Failure::BadRequest(e.0))?;
    let request = view.request();
    let results = blocking(app, move |app| Ok(search::run(&app.index, &request)?)).await?;
    Ok((view, results))
}

/// `/`: the search page.
pub(crate) async fn search_page(
    State(app): State<Arc<App>>,
    RawQuery(query): RawQuery,
) -> Response {
    match run_view(&app, query.clone()).await {
        Ok((view, results)) => pages::search::full(&view, &results).into_response(),
        Err(Failure::BadRequest(message)) => {
            let page = pages::search::problem(query.as_deref().unwrap_or_default(), &message);
            (StatusCode::BAD_REQUEST, page).into_response()
        }
        Err(failure) => failure.page(),
    }
}

/// `/results`: the results alone, for the script to swap in as the visitor types.
pub(crate) async fn results_fragment(
    State(app): State<Arc<App>>,
    RawQuery(query): RawQuery,
) -> Response {
    match run_view(&app, query).await {
        Ok((view, results)) => pages::search::fragment(&view, &results).into_response(),
        Err(Failure::BadRequest(message)) => (
            StatusCode::BAD_REQUEST,
            pages::search::problem_fragment(&message),
        )
            .into_response(),
        Err(failure) => failure.page(),
    }
}

/// `/api/search`.
pub(crate) async fn api_search(State(app): State<Arc<App>>, RawQuery(query): RawQuery) -> Response {
    match run_view(&app, query).await {
        Ok((view, results)) => Json(SearchAnswer::of(&view, &results)).into_response(),
        Err(failure) => failure.json(),
    }
}

async fn find(app: &Arc<App>, id: String) -> Result<Item, Failure> {
    blocking(app, move |app| {
        search::find(&app.index, &id)?
            .ok_or_else(|| Failure::NotFound(format!("The index has no item `{id}`.")))
    })
    .await
}

/// `/item/<id>`.
pub(crate) async fn item_page(State(app): State<Arc<App>>, Path(id): Path<String>) -> Response {
    let found = find(&app, id).await;
    let shown = match found {
        Ok(item) => {
            let seeds = item.found_via.clone();
            blocking(&app, move |app| Ok((releases(app, &seeds), item))).await
        }
        Err(failure) => Err(failure),
    };
    match shown {
        Ok((releases, item)) => item::full(&item, &releases).into_response(),
        Err(failure) => failure.page(),
    }
}

/// The releases at these addresses, titled when the index holds them.
fn releases(app: &App, urls: &[String]) -> Vec<item::Release> {
    urls.iter()
        .take(50)
        .map(|url| item::Release {
            url: url.clone(),
            title: search::find(&app.index, url)
                .ok()
                .flatten()
                .and_then(|release| release.title),
        })
        .collect()
}

/// `/api/items/<id>`.
pub(crate) async fn api_item(State(app): State<Arc<App>>, Path(id): Path<String>) -> Response {
    match find(&app, id).await {
        Ok(item) => Json(Publishable::of(&item)).into_response(),
        Err(failure) => failure.json(),
    }
}

/// `/campaigns`.
pub(crate) async fn campaigns_page(State(app): State<Arc<App>>) -> Response {
    let all = blocking(&app, |app| {
        app.index
            .campaign_summaries()
            .map_err(|e| Failure::Internal(e.to_string()))
    })
    .await;
    match all {
        Ok(all) => campaign::list(&all).into_response(),
        Err(failure) => failure.page(),
    }
}

/// `/api/campaigns`.
pub(crate) async fn api_campaigns(State(app): State<Arc<App>>) -> Response {
    let all = blocking(&app, |app| {
        app.index
            .campaign_summaries()
            .map_err(|e| Failure::Internal(e.to_string()))
    })
    .await;
    match all {
        Ok(all) => Json(all).into_response(),
        Err(failure) => failure.json(),
    }
}

/// How many items a campaign's timeline shows.
const TIMELINE: usize = 500;

/// `/campaign/<name>`.
pub(crate) async fn campaign_page(
    State(app): State<Arc<App>>,
    Path(name): Path<String>,
) -> Response {
    match blocking(&app, move |app| campaign_of(app, &name)).await {
        Ok((summary, results, releases)) => {
            let mut items: Vec<Item> = results.hits.into_iter().map(|h| h.item).collect();
            oldest_first(&mut items);
            let facets = results.facets.unwrap_or_default();
            campaign::full(&campaign::Campaign {
                summary: &summary,
                facets: &facets,
                releases: &releases,
                items: &items,
            })
            .into_response()
        }
        Err(failure) => failure.page(),
    }
}

/// A campaign's summary, its latest items with their counts, and its releases.
fn campaign_of(
    app: &App,
    name: &str,
) -> Result<(CampaignSummary, Results, Vec<item::Release>), Failure> {
    let key = crate::tag::key(name);
    let summary = app
        .index
        .campaign_summaries()
        .map_err(|e| Failure::Internal(e.to_string()))?
        .into_iter()
        .find(|c| crate::tag::key(&c.campaign) == key)
        .ok_or_else(|| Failure::NotFound(format!("The index has no campaign `{name}`.")))?;
    let request = Request {
        filters: Filters {
            campaigns: vec![summary.campaign.clone()],
            ..Filters::default()
        },
        sort: Sort::Date,
        limit: TIMELINE,
        facets: true,
        ..Request::new("")
    };
    let results = search::run(&app.index, &request)?;
    let releases = releases(app, &summary.found_via);
    Ok((summary, results, releases))
}

/// Newest first becomes oldest first; undated items stay last.
fn oldest_first(items: &mut [Item]) {
    let dated = items
        .iter()
        .take_while(|i| super::format::item_date(i).is_some())
        .count();
    items[..dated].reverse();
}

/// `/thumb/<id>`: a card's thumbnail.
pub(crate) async fn thumbnail(State(app): State<Arc<App>>, Path(id): Path<String>) -> Response {
    image(app, id, thumbnail_urls).await
}

/// `/preview/<id>`: an item page's largest preview.
pub(crate) async fn preview(State(app): State<Arc<App>>, Path(id): Path<String>) -> Response {
    image(app, id, preview_urls).await
}

/// The item's image through the cache; a neutral placeholder when there is none, or none
/// yet (offline, or its server failed), which the browser does not keep.
async fn image(app: Arc<App>, id: String, urls: fn(&Item) -> Vec<String>) -> Response {
    let item = match find(&app, id).await {
        Ok(item) => item,
        Err(failure) => return failure.page(),
    };
    let thumbnails = app.thumbnails.clone();
    let found = thumbnails.first_of(&urls(&item)).await;
    match found {
        Some(Image {
            bytes,
            content_type,
        }) => (
            [
                (header::CONTENT_TYPE, content_type),
                (header::CACHE_CONTROL, "private, max-age=86400"),
            ],
            bytes,
        )
            .into_response(),
        None => placeholder(),
    }
}

fn placeholder() -> Response {
    (
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "no-store"),
            (
                header::HeaderName::from_static("x-archive-placeholder"),
                "1",
            ),
        ],
        super::assets::PLACEHOLDER,
    )
        .into_response()
}

/// Anything else.
pub(crate) async fn not_found() -> Response {
    Failure::NotFound("There is no page at this address.".into()).page()
}

/// Anything else under `/api/`.
pub(crate) async fn api_not_found() -> Response {
    Failure::NotFound(
        "There is no such endpoint: use /api/search, /api/items/ID or /api/campaigns.".into(),
    )
    .json()
}

//! The JSON API, for a newsroom's own tools: the same searches as the page, the same item
//! fields as `archive search --json`.

use serde::Serialize;

use crate::media::rights::{LicenseClass, classify};
use crate::model::Item;
use crate::search::credit::credit_line;
use crate::search::{FacetValue, Facets, Hit, Results, Suggestion};
use crate::serve::params::View;

/// An item with what a journalist needs to publish it, as `archive show --json` prints it.
#[derive(Serialize)]
pub(crate) struct Publishable<'a> {
    #[serde(flatten)]
    item: &'a Item,
    credit_line: String,
    license_class: LicenseClass,
    reusable: bool,
}

impl<'a> Publishable<'a> {
    pub(crate) fn of(item: &'a Item) -> Self {
        let class = classify(item.license.as_deref(), item.license_url.as_deref());
        Publishable {
            item,
            credit_line: credit_line(item),
            license_class: class,
            reusable: class.is_reusable(),
        }
    }
}

/// A hit as `archive search --json` prints it.
#[derive(Serialize)]
struct Record<'a> {
    #[serde(flatten)]
    publishable: Publishable<'a>,
    score: f32,
    snippet: &'a str,
}

/// What `/api/search` answers.
#[derive(Serialize)]
pub(crate) struct SearchAnswer<'a> {
    total: usize,
    page: usize,
    limit: usize,
    items: Vec<Record<'a>>,
    facets: Option<ApiFacets<'a>>,
    suggestions: Vec<ApiSuggestion<'a>>,
}

/// Every facet, the licence's class included.
#[derive(Serialize)]
struct ApiFacets<'a> {
    campaign: &'a [FacetValue],
    kind: &'a [FacetValue],
    source: &'a [FacetValue],
    license: &'a [FacetValue],
    license_class: &'a [FacetValue],
    year: &'a [FacetValue],
}

#[derive(Serialize)]
struct ApiSuggestion<'a> {
    word: &'a str,
    alternatives: &'a [String],
}

impl<'a> SearchAnswer<'a> {
    pub(crate) fn of(view: &View, results: &'a Results) -> Self {
        SearchAnswer {
            total: results.total,
            page: view.page,
            limit: view.limit,
            items: results.hits.iter().map(record).collect(),
            facets: results.facets.as_ref().map(facets),
            suggestions: results.suggestions.iter().map(suggestion).collect(),
        }
    }
}

fn record(hit: &Hit) -> Record<'_> {
    Record {
        publishable: Publishable::of(&hit.item),
        score: hit.score,
        snippet: hit.snippet.as_deref().unwrap_or_default(),
    }
}

fn facets(facets: &Facets) -> ApiFacets<'_> {
    ApiFacets {
        campaign: &facets.campaign,
        kind: &facets.kind,
        source: &facets.source,
        license: &facets.license,
        license_class: &facets.license_class,
        year: &facets.year,
    }
}

fn suggestion(suggestion: &Suggestion) -> ApiSuggestion<'_> {
    ApiSuggestion {
        word: &suggestion.word,
        alternatives: &suggestion.alternatives,
    }
}

/// An error, for a tool to read: `{"error": "…"}`.
#[derive(Serialize)]
pub(crate) struct ApiError<'a> {
    pub(crate) error: &'a str,
}

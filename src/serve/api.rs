//! The JSON API, for a newsroom's own tools: the same searches as the page, the same item
//! fields as `archive search --json`.

use serde::Serialize;

use crate::search::record::HitRecord;
use crate::search::{FacetValue, Facets, Results, Suggestion};
use crate::serve::params::View;

/// What `/api/search` answers.
#[derive(Serialize)]
pub(crate) struct SearchAnswer<'a> {
    total: usize,
    page: usize,
    limit: usize,
    items: Vec<HitRecord<'a>>,
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
            items: results.hits.iter().map(HitRecord::of).collect(),
            facets: results.facets.as_ref().map(facets),
            suggestions: results.suggestions.iter().map(suggestion).collect(),
        }
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

//! The search page (`/`): the results of a view as a grid of cards, facets beside them, the
//! order, the pages, and "Did you mean" when nothing matches.
//!
//! The results are one element, `#results`, that `/results` also serves alone: the script
//! swaps it as the visitor types, while the page works the same without the script.

use maud::{Markup, html};

use super::card::card;
use super::facets::sidebar;
use super::layout::{SearchBox, page};
use crate::search::{Results, Sort, Suggestion};
use crate::serve::format;
use crate::serve::params::View;

/// The whole page.
pub(crate) fn full(view: &View, results: &Results) -> Markup {
    let search = SearchBox {
        query: view.query.clone(),
        kept: kept_filters(view),
    };
    page(&title(view, results), &search, fragment(view, results))
}

/// The page for a search that cannot run: the query back in the box, and what is wrong.
pub(crate) fn problem(query_string: &str, message: &str) -> Markup {
    let query = url::form_urlencoded::parse(query_string.as_bytes())
        .filter(|(name, _)| name == "q")
        .map(|(_, value)| value.into_owned())
        .last()
        .unwrap_or_default();
    let search = SearchBox {
        query,
        kept: Vec::new(),
    };
    page("Cannot search", &search, problem_fragment(message))
}

/// What is wrong with a search, in place of its results.
pub(crate) fn problem_fragment(message: &str) -> Markup {
    html! {
        div #results data-title="Cannot search" {
            section.problem {
                h1 { "Cannot search" }
                p.message { (message) }
            }
        }
    }
}

/// The filters a new query keeps, as the form's hidden fields.
fn kept_filters(view: &View) -> Vec<(&'static str, String)> {
    let mut kept = view.filter_pairs();
    if view.sort == Sort::Date {
        kept.push(("sort", "date".into()));
    }
    kept
}

/// "vs20: 13 items".
pub(crate) fn title(view: &View, results: &Results) -> String {
    let count = format::count(results.total as u64, "item");
    match (view.query.trim(), view.describe_filters()) {
        ("", filters) if filters.is_empty() => format!("All items: {count}"),
        ("", filters) => format!("{filters}: {count}"),
        (query, filters) if filters.is_empty() => format!("{query}: {count}"),
        (query, filters) => format!("{query} ({filters}): {count}"),
    }
}

/// The results alone, as `/results` serves them.
pub(crate) fn fragment(view: &View, results: &Results) -> Markup {
    html! {
        div #results data-title=(title(view, results)) {
            (summary(view, results))
            div.layout {
                @if let Some(facets) = &results.facets {
                    (sidebar(view, facets))
                }
                section.hits aria-labelledby="summary" {
                    @if results.hits.is_empty() {
                        (nothing_found(view, results))
                    } @else {
                        ol.grid {
                            @for hit in &results.hits {
                                (card(&hit.item, &hit.title_matches))
                            }
                        }
                        (pager(view, results.total))
                    }
                }
            }
        }
    }
}

fn summary(view: &View, results: &Results) -> Markup {
    let chips = view.filter_pairs();
    html! {
        div.summary-bar {
            h1 #summary {
                (format::count(results.total as u64, "item"))
                @if !view.query.trim().is_empty() {
                    " for " q { (view.query.trim()) }
                }
            }
            @if !chips.is_empty() {
                ul.chips aria-label="Filters" {
                    @for (name, value) in &chips {
                        li {
                            a href=(without(view, name, value).href()) {
                                (chip_label(name, value))
                                span aria-hidden="true" { " ×" }
                                span.visually-hidden { " (remove this filter)" }
                            }
                        }
                    }
                }
            }
            (order(view))
        }
    }
}

fn chip_label(name: &str, value: &str) -> String {
    match name {
        "reusable" => "Reusable".into(),
        "kind" => format::kind_plural(value),
        "class" => crate::serve::params::class(value)
            .map_or_else(|_| value.to_string(), |c| format::class_name(c).to_string()),
        "source" => format::source(value).to_string(),
        "since" => format!("Since {value}"),
        "until" => format!("Until {value}"),
        "license" => format!("Licence “{value}”"),
        _ => value.to_string(),
    }
}

/// The view without one of its filters.
fn without(view: &View, name: &str, value: &str) -> View {
    view.with(|v| match name {
        "kind" => v.kinds.retain(|k| k.as_str() != value),
        "campaign" => v.campaigns.retain(|c| c != value),
        "source" => v.sources.retain(|s| s.as_str() != value),
        "license" => v.licenses.retain(|l| l != value),
        "class" => v.classes.retain(|c| c.key() != value),
        "reusable" => v.reusable = false,
        "year" => v.year = None,
        "since" => v.since = None,
        "until" => v.until = None,
        _ => {}
    })
}

fn order(view: &View) -> Markup {
    let by = |sort: Sort| view.with(|v| v.sort = sort).href();
    let current = |sort: Sort| (view.sort == sort).then_some("page");
    html! {
        nav.order aria-label="Order" {
            span { "Order: " }
            a href=(by(Sort::Relevance)) aria-current=[current(Sort::Relevance)] { "Best match" }
            " "
            a href=(by(Sort::Date)) aria-current=[current(Sort::Date)] { "Newest first" }
        }
    }
}

fn pager(view: &View, total: usize) -> Markup {
    let pages = total.div_ceil(view.limit).max(1);
    let last = pages.min(crate::serve::params::MAX_OFFSET / view.limit + 1);
    html! {
        @if pages > 1 {
            nav.pager aria-label="Pages" {
                @if view.page > 1 {
                    a rel="prev" href=(view.on_page(view.page - 1).href()) { "← Previous" }
                }
                span { "Page " (view.page) " of " (pages) }
                @if view.page < last {
                    a rel="next" href=(view.on_page(view.page + 1).href()) { "Next →" }
                }
            }
        }
    }
}

fn nothing_found(view: &View, results: &Results) -> Markup {
    let suggestions = suggested_queries(&view.query, &results.suggestions);
    html! {
        div.empty {
            @if results.total > 0 {
                p { "No items on this page: " a href=(view.on_page(1).href()) { "back to the first page" } "." }
            } @else {
                p {
                    "No item matches"
                    @if !view.query.trim().is_empty() { " " q { (view.query.trim()) } }
                    @if view.is_filtered() { " with these filters" }
                    "."
                }
                @if !suggestions.is_empty() {
                    p.did-you-mean {
                        "Did you mean: "
                        @for (i, query) in suggestions.iter().enumerate() {
                            @if i > 0 { ", " }
                            a href=(view.with(|v| v.query = query.clone()).href()) { (query) }
                        }
                        "?"
                    }
                }
                @if view.is_filtered() {
                    p { a href=(View { query: view.query.clone(), ..View::new() }.href()) { "Search without the filters" } }
                }
            }
        }
    }
}

/// The query with each unknown word replaced by one of its alternatives, one query per
/// alternative of the first word that has some (others take their best alternative).
fn suggested_queries(query: &str, suggestions: &[Suggestion]) -> Vec<String> {
    let Some(first) = suggestions.first() else {
        return Vec::new();
    };
    let replaced = |choice: &str| -> String {
        let words: Vec<String> = query
            .split_whitespace()
            .map(|word| {
                let folded = word.to_lowercase();
                if folded == first.word {
                    return choice.to_string();
                }
                suggestions[1..]
                    .iter()
                    .find(|s| s.word == folded)
                    .and_then(|s| s.alternatives.first().cloned())
                    .unwrap_or_else(|| word.to_string())
            })
            .collect();
        if words.iter().any(|w| w == choice) {
            words.join(" ")
        } else {
            choice.to_string()
        }
    };
    first.alternatives.iter().map(|a| replaced(a)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn did_you_mean_replaces_the_unknown_word_in_the_query() {
        let suggestions = [Suggestion {
            word: "vs02".into(),
            alternatives: vec!["vs20".into(), "vs21".into()],
        }];
        assert_eq!(
            suggested_queries("soyuz VS02", &suggestions),
            ["soyuz vs20", "soyuz vs21"]
        );
        assert_eq!(suggested_queries("vs02", &[]), Vec::<String>::new());
    }
}

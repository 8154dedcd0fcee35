//! The facets beside the grid: campaign, kind, rights, year and source, each value with its
//! count. A click narrows the results; a click on a chosen value removes it.

use maud::{Markup, html};

use crate::search::{FacetValue, Facets};
use crate::serve::format;
use crate::serve::params::{self, Facet, View};

/// At most this many values per facet: the most frequent ones, and every chosen one.
const SHOWN: usize = 12;

/// The sidebar.
pub(crate) fn sidebar(view: &View, facets: &Facets) -> Markup {
    let kinds = labelled(&facets.kind, format::kind_plural);
    let sources = labelled(&facets.source, |v| format::source(v).to_string());
    let classes = labelled(&facets.license_class, |v| {
        params::class(v).map_or_else(|_| v.to_string(), |c| format::class_name(c).to_string())
    });
    let campaigns = labelled(&facets.campaign, str::to_string);
    let years = labelled(&facets.year, str::to_string);
    html! {
        aside.facets #facets aria-labelledby="facets-title" {
            h2 #facets-title { "Narrow the results" }
            (group(view, "Campaign", Facet::Campaign, &campaigns))
            (group(view, "Kind", Facet::Kind, &kinds))
            (rights(view, facets, &classes))
            (group(view, "Year", Facet::Year, &years))
            (group(view, "Source", Facet::Source, &sources))
        }
    }
}

/// (value, label, count) of the values that have one.
type Labelled = Vec<(String, String, u64)>;

fn labelled(values: &[FacetValue], label: impl Fn(&str) -> String) -> Labelled {
    values
        .iter()
        .filter_map(|f| {
            let value = f.value.as_ref()?;
            Some((value.clone(), label(value), f.count))
        })
        .collect()
}

fn group(view: &View, title: &str, facet: Facet, values: &Labelled) -> Markup {
    let id = format!("facet-{}", title.to_lowercase());
    let shown = values
        .iter()
        .enumerate()
        .filter(|(i, (value, _, _))| *i < SHOWN || view.has(facet, value));
    html! {
        @if !values.is_empty() {
            section.facet aria-labelledby=(id) {
                h3 #(id) { (title) }
                ul {
                    @for (_, (value, label, count)) in shown {
                        li { (choice(view.has(facet, value), &view.toggled(facet, value).href(), label, *count)) }
                    }
                }
            }
        }
    }
}

/// Reusable or not, then the licence classes.
fn rights(view: &View, facets: &Facets, classes: &Labelled) -> Markup {
    let reusable: u64 = facets
        .license_class
        .iter()
        .filter(|f| {
            f.value
                .as_deref()
                .and_then(|v| params::class(v).ok())
                .is_some_and(|c| c.is_reusable())
        })
        .map(|f| f.count)
        .sum();
    let toggled = view.with(|v| v.reusable = !v.reusable);
    html! {
        @if !classes.is_empty() {
            section.facet aria-labelledby="facet-rights" {
                h3 #facet-rights { "Rights" }
                ul {
                    li.reusable-choice {
                        (choice(view.reusable, &toggled.href(), "Reusable only", reusable))
                    }
                    @for (value, label, count) in classes {
                        li { (choice(view.has(Facet::Class, value), &view.toggled(Facet::Class, value).href(), label, *count)) }
                    }
                }
            }
        }
    }
}

fn choice(chosen: bool, href: &str, label: &str, count: u64) -> Markup {
    html! {
        a.choice href=(href) aria-current=[chosen.then_some("true")] {
            span.label {
                @if chosen { span aria-hidden="true" { "✓ " } }
                (label)
                @if chosen { span.visually-hidden { " (chosen: click to remove)" } }
            }
            " "
            span.count { (count) span.visually-hidden { " items" } }
        }
    }
}

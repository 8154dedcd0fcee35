//! The campaign pages: every campaign (`/campaigns`), and one campaign (`/campaign/VS20`) with
//! its counts by kind and licence, its date span, its releases, and its items on a timeline.

use maud::{Markup, html};

use super::card::{badge, reuse, title_of};
use super::item::Release;
use super::layout::{SearchBox, page};
use crate::index::CampaignSummary;
use crate::model::Item;
use crate::search::{FacetValue, Facets};
use crate::serve::format;
use crate::serve::params::{self, View};
use crate::serve::thumbnails::thumbnail_urls;

/// One campaign, as its page shows it.
pub(crate) struct Campaign<'a> {
    /// Counts, dates, sources and seeds.
    pub(crate) summary: &'a CampaignSummary,
    /// Its items counted by kind and licence class.
    pub(crate) facets: &'a Facets,
    /// Its releases, with their titles.
    pub(crate) releases: &'a [Release],
    /// Its items, oldest first, undated last.
    pub(crate) items: &'a [Item],
}

/// `/campaigns`.
pub(crate) fn list(campaigns: &[CampaignSummary]) -> Markup {
    page(
        "Campaigns",
        &SearchBox::default(),
        html! {
            section.campaigns {
                h1 { "Campaigns" }
                @if campaigns.is_empty() {
                    p { "No campaign yet: crawl a press release with hashtags, or crawl with --campaign." }
                } @else {
                    table {
                        thead { tr {
                            th scope="col" { "Campaign" } th.number scope="col" { "Items" }
                            th scope="col" { "Dates" } th scope="col" { "Sources" }
                        } }
                        tbody {
                            @for campaign in campaigns {
                                tr {
                                    th scope="row" { a href=(format::campaign_href(&campaign.campaign)) { (campaign.campaign) } }
                                    td.number { (campaign.items) }
                                    td { (span(campaign)) }
                                    td { (sources(campaign)) }
                                }
                            }
                        }
                    }
                }
            }
        },
    )
}

fn sources(campaign: &CampaignSummary) -> String {
    let names: Vec<&str> = campaign.sources.iter().map(|s| format::source(s)).collect();
    names.join(", ")
}

/// "4 December 2018 – 19 December 2018".
fn span(campaign: &CampaignSummary) -> String {
    let day = |t: &Option<crate::model::Timestamp>| {
        t.map(|t| format::when(&crate::model::When::instant(t)))
    };
    let date = |t: &Option<crate::model::Timestamp>| {
        day(t).map(|d| d.split(',').next().unwrap_or_default().to_string())
    };
    match (date(&campaign.first_date), date(&campaign.last_date)) {
        (Some(first), Some(last)) if first == last => first,
        (Some(first), Some(last)) => format!("{first} – {last}"),
        _ => "undated".into(),
    }
}

/// `/campaign/NAME`.
pub(crate) fn full(campaign: &Campaign<'_>) -> Markup {
    let name = &campaign.summary.campaign;
    let search = View::new().with(|v| v.campaigns = vec![name.clone()]);
    page(
        &format!("Campaign {name}"),
        &SearchBox::default(),
        html! {
            article.campaign {
                h1 { "Campaign " (name) }
                p.lead {
                    (format::count(campaign.summary.items, "item")) " · " (span(campaign.summary)) " · "
                    a href=(search.href()) { "Search its items" }
                }
                div.counts {
                    (counts("By kind", &campaign.facets.kind, format::kind_plural))
                    (counts("By licence", &campaign.facets.license_class, |v| {
                        params::class(v).map_or_else(|_| v.to_string(), |c| format::class_name(c).to_string())
                    }))
                }
                (releases(campaign.releases))
                (timeline(campaign.items, campaign.summary.items))
            }
        },
    )
}

fn counts(title: &str, values: &[FacetValue], label: impl Fn(&str) -> String) -> Markup {
    html! {
        table.count-table {
            caption { (title) }
            tbody {
                @for value in values {
                    tr {
                        th scope="row" { (value.value.as_deref().map_or_else(|| "none".to_string(), &label)) }
                        td.number { (value.count) }
                    }
                }
            }
        }
    }
}

fn releases(releases: &[Release]) -> Markup {
    html! {
        @if !releases.is_empty() {
            section aria-labelledby="releases-title" {
                h2 #releases-title { "Releases" }
                ul.releases {
                    @for release in releases {
                        li {
                            @let text = release.title.clone().unwrap_or_else(|| release.url.clone());
                            @if let Some(href) = format::web_link(&release.url) {
                                a href=(href) rel="noopener noreferrer" { (text) }
                            } @else { (text) }
                        }
                    }
                }
            }
        }
    }
}

/// The items by day, oldest first.
fn timeline(items: &[Item], total: u64) -> Markup {
    let mut days: Vec<(String, String, Vec<&Item>)> = Vec::new();
    for item in items {
        let (key, label) = match format::item_date(item) {
            Some(date) => (date.date_text(), day_label(&date)),
            None => ("undated".to_string(), "Undated".to_string()),
        };
        match days.last_mut() {
            Some((last, _, group)) if *last == key => group.push(item),
            _ => days.push((key, label, vec![item])),
        }
    }
    html! {
        section aria-labelledby="timeline-title" {
            h2 #timeline-title { "Timeline" }
            @if (items.len() as u64) < total {
                p { "The " (items.len()) " most recent items of " (total) "." }
            }
            ol.timeline {
                @for (key, label, group) in &days {
                    li {
                        h3 { @if key == "undated" { (label) } @else { time datetime=(key) { (label) } } }
                        ul {
                            @for item in group {
                                li {
                                    a.moment href=(format::item_href(&item.id)) {
                                        @if !thumbnail_urls(item).is_empty() {
                                            // The title beside it says what it shows.
                                            img src=(format::thumb_href(&item.id)) alt="" loading="lazy" decoding="async";
                                        }
                                        span { (title_of(item)) }
                                    }
                                    " " (badge(item)) (reuse(item))
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A date's day, month or year, as precise as it is.
fn day_label(date: &crate::model::When) -> String {
    let shown = format::when(date);
    shown.split(',').next().unwrap_or_default().to_string()
}

//! The item page (`/item/<id>`): the largest preview, the credit line to copy, the licence in
//! plain words, every size and link, and where the item came from.

use maud::{Markup, html};

use super::card::{badge, reuse, title_of};
use super::layout::{SearchBox, page};
use crate::media::rights::classify;
use crate::model::{Item, Kind};
use crate::search::credit::credit_line;
use crate::serve::format;
use crate::serve::thumbnails::preview_urls;

/// A release that led to the item: its address, and its title when the index has it.
pub(crate) struct Release {
    /// The release's address.
    pub(crate) url: String,
    /// Its title.
    pub(crate) title: Option<String>,
}

/// The whole page.
pub(crate) fn full(item: &Item, releases: &[Release]) -> Markup {
    let title = title_of(item);
    html! {
        (page(&title, &SearchBox::default(), html! {
            article.item {
                (preview(item, &title))
                div.details {
                    h1 { (title) }
                    p.identity { (badge(item)) " " (identity(item)) }
                    (credit(item))
                    (licence(item))
                    (about(item))
                    (files(item))
                    (provenance(item, releases))
                }
            }
        }))
    }
}

fn identity(item: &Item) -> String {
    let mut parts = Vec::new();
    if let (Some(w), Some(h)) = (item.width, item.height) {
        parts.push(format!("{w} × {h} px"));
    }
    if let Some(date) = format::item_date(item) {
        let verb = if item.taken_at.is_some() {
            "taken"
        } else {
            "published"
        };
        parts.push(format!("{verb} {}", format::when(&date)));
    }
    parts.join(" · ")
}

fn preview(item: &Item, title: &str) -> Markup {
    let platform = platform(item);
    html! {
        figure.preview {
            @if preview_urls(item).is_empty() {
                div.no-preview { "No preview" }
            } @else {
                img src=(format::preview_href(&item.id)) alt=(title);
            }
            @if matches!(item.kind, Kind::Video | Kind::Audio) {
                figcaption {
                    (format::kind(item.kind))
                    @if let Some(seconds) = item.duration_seconds { ", " (format::duration(seconds)) }
                    @if let Some((name, url)) = &platform {
                        ". " a href=(url) rel="noopener noreferrer" { "Play it on " (name) }
                    } @else if let Some(url) = item.media_url.as_deref().and_then(format::web_link) {
                        ". " a href=(url) rel="noopener noreferrer" { "Open the file" }
                    }
                }
            }
        }
    }
}

/// YouTube, Vimeo or Dailymotion, and the video's page there.
fn platform(item: &Item) -> Option<(&'static str, String)> {
    let (prefix, _) = item.id.split_once(':')?;
    let name = match prefix {
        "youtube" => "YouTube",
        "vimeo" => "Vimeo",
        "dailymotion" => "Dailymotion",
        _ => return None,
    };
    let page = item.page_url.as_deref().and_then(format::web_link)?;
    Some((name, page.to_string()))
}

fn credit(item: &Item) -> Markup {
    html! {
        section.credit aria-labelledby="credit-title" {
            h2 #credit-title { "Credit line" }
            p #credit-line .credit-line { (credit_line(item)) }
            button type="button" data-copy="credit-line" { "Copy the credit line" }
            span #credit-line-status .copy-status role="status" {}
        }
    }
}

fn licence(item: &Item) -> Markup {
    let class = classify(item.license.as_deref(), item.license_url.as_deref());
    let name = item.license.as_deref().unwrap_or("Licence unknown");
    html! {
        section aria-labelledby="licence-title" {
            h2 #licence-title { "Licence" }
            p {
                @if let Some(url) = item.license_url.as_deref().and_then(format::web_link) {
                    a href=(url) rel="noopener noreferrer" { (name) }
                } @else { (name) }
                " — " (class.advice())
            }
            (reuse(item))
            p.allows { (format::allows(class)) }
        }
    }
}

fn about(item: &Item) -> Markup {
    let when = |date: &Option<crate::model::When>| date.map(|d| (d.to_string(), format::when(&d)));
    html! {
        @if let Some(description) = &item.description {
            section aria-labelledby="description-title" {
                h2 #description-title { "Description" }
                p.description { (description) }
            }
        }
        dl.facts {
            @if let Some(creator) = &item.creator { dt { "Creator" } dd { (creator) } }
            @if let Some((iso, shown)) = when(&item.taken_at) {
                dt { "Taken" } dd { time datetime=(iso) { (shown) } }
            }
            @if let Some((iso, shown)) = when(&item.published_at) {
                dt { "Published" } dd { time datetime=(iso) { (shown) } }
            }
            @if !item.campaigns.is_empty() {
                dt { "Campaigns" }
                dd {
                    @for (i, campaign) in item.campaigns.iter().enumerate() {
                        @if i > 0 { ", " }
                        a href=(format::campaign_href(campaign)) { (campaign) }
                    }
                }
            }
            @if !item.tags.is_empty() { dt { "Tags" } dd { (item.tags.join(", ")) } }
        }
    }
}

fn files(item: &Item) -> Markup {
    html! {
        section aria-labelledby="files-title" {
            h2 #files-title { "Files and links" }
            ul.links {
                @if let Some(url) = item.page_url.as_deref().and_then(format::web_link) {
                    li { a href=(url) rel="noopener noreferrer" { "The page on " (format::host(url).unwrap_or_default()) } }
                }
                @if let Some(url) = item.media_url.as_deref().and_then(format::web_link) {
                    li { a href=(url) rel="noopener noreferrer" { "The file" } (dimensions(item.width, item.height)) }
                }
            }
            @if !item.sizes.is_empty() {
                table.sizes {
                    caption { "Every size" }
                    thead { tr { th scope="col" { "Size" } th scope="col" { "Dimensions" } th scope="col" { "File" } } }
                    tbody {
                        @for size in &item.sizes {
                            tr {
                                td { (size.label.as_deref().unwrap_or("—")) }
                                td { (dimensions(size.width, size.height)) }
                                td {
                                    @if let Some(url) = format::web_link(&size.url) {
                                        a href=(url) rel="noopener noreferrer" { (format::host(url).unwrap_or_else(|| "link".into())) }
                                    } @else { (size.url) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn dimensions(width: Option<u32>, height: Option<u32>) -> String {
    match (width, height) {
        (Some(w), Some(h)) => format!(" {w} × {h}"),
        (Some(w), None) => format!(" {w} px wide"),
        _ => String::new(),
    }
}

fn provenance(item: &Item, releases: &[Release]) -> Markup {
    let seen =
        |t: &Option<crate::model::Timestamp>| t.map_or_else(|| "—".into(), |t| format::instant(&t));
    html! {
        section aria-labelledby="provenance-title" {
            h2 #provenance-title { "Provenance" }
            dl.facts {
                @if !releases.is_empty() {
                    dt { "Found via" }
                    @for release in releases {
                        dd { (link_or_text(&release.url, release.title.as_deref())) }
                    }
                }
                @if item.collection.is_some() || item.collection_url.is_some() {
                    dt { "Album or library" }
                    dd { (link_or_text(item.collection_url.as_deref().unwrap_or_default(), item.collection.as_deref())) }
                }
                dt { "Read by" } dd { (format::source(item.source.as_str())) }
                dt { "First seen" } dd { (seen(&item.first_seen)) }
                dt { "Last seen" } dd { (seen(&item.last_seen)) }
                @if item.gone {
                    dt { "Status" }
                    dd.gone { "Gone: no longer in its album or library since it was last seen (withdrawn?)" }
                }
            }
        }
    }
}

/// A link when the address is a web address, with the label or the address as its text.
fn link_or_text(url: &str, label: Option<&str>) -> Markup {
    let text = label.filter(|l| !l.trim().is_empty()).unwrap_or(url);
    html! {
        @if let Some(href) = format::web_link(url) {
            a href=(href) rel="noopener noreferrer" { (text) }
        } @else { (text) }
    }
}

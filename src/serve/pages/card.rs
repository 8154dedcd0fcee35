//! One item as a card of the grid: its thumbnail, title, kind, date, credit and licence, and
//! whether it may be reused.

use maud::{Markup, html};
use std::ops::Range;

use crate::media::rights::classify;
use crate::model::{Item, Kind};
use crate::serve::format;
use crate::serve::thumbnails::thumbnail_urls;

/// A card; `matches` are the byte ranges of the query's words in the title.
pub(crate) fn card(item: &Item, matches: &[Range<usize>]) -> Markup {
    let title = title_of(item);
    html! {
        li.card {
            a.card-link href=(format::item_href(&item.id)) {
                span.thumb {
                    @if thumbnail_urls(item).is_empty() {
                        span.no-thumb aria-hidden="true" { (format::kind(item.kind)) }
                    } @else {
                        img src=(format::thumb_href(&item.id)) alt=(title) loading="lazy"
                            decoding="async";
                    }
                }
                span.card-title { (highlighted(&title, matches)) }
            }
            p.card-meta {
                (badge(item))
                @if let Some(date) = format::item_date(item) {
                    " "
                    time datetime=(date.to_string()) { (format::when(&date)) }
                }
            }
            p.card-credit { (credit(item)) }
            (reuse(item))
        }
    }
}

/// The title, or what the item is when it has none.
pub(crate) fn title_of(item: &Item) -> String {
    match item.title.as_deref().map(str::trim) {
        Some(title) if !title.is_empty() => title.to_string(),
        _ => format!("Untitled {}", format::kind(item.kind).to_lowercase()),
    }
}

/// "Video · 1:34".
pub(crate) fn badge(item: &Item) -> Markup {
    let running = item
        .duration_seconds
        .filter(|_| matches!(item.kind, Kind::Video | Kind::Audio));
    html! {
        span class={ "badge kind-" (item.kind.as_str()) } {
            (format::kind(item.kind))
            @if let Some(seconds) = running {
                " · "
                span aria-label=(format::duration(seconds)) { (format::clock(seconds)) }
            }
        }
    }
}

fn credit(item: &Item) -> String {
    let creator = item.creator.as_deref().unwrap_or("Creator unknown");
    let license = item.license.as_deref().unwrap_or("licence unknown");
    format!("{creator} · {license}")
}

/// The mark on what may be reused, in words as well as colour.
pub(crate) fn reuse(item: &Item) -> Markup {
    let class = classify(item.license.as_deref(), item.license_url.as_deref());
    html! {
        @if class.is_reusable() {
            p.reuse.reusable { span aria-hidden="true" { "✓ " } "Reusable" }
        } @else {
            p.reuse.restricted { span aria-hidden="true" { "✗ " } "Ask before use" }
        }
    }
}

/// The title with the query's words marked.
fn highlighted(title: &str, matches: &[Range<usize>]) -> Markup {
    let mut at = 0;
    let mut parts: Vec<(&str, bool)> = Vec::new();
    for range in matches {
        let fits = range.start >= at
            && range.end <= title.len()
            && title.is_char_boundary(range.start)
            && title.is_char_boundary(range.end);
        if !fits {
            continue;
        }
        parts.push((&title[at..range.start], false));
        parts.push((&title[range.clone()], true));
        at = range.end;
    }
    parts.push((&title[at..], false));
    html! {
        @for (text, marked) in parts {
            @if marked { mark { (text) } } @else { (text) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Source;

    #[test]
    fn titles_from_the_web_are_text_and_matches_are_marked() {
        let mut item = Item::new("flickr:1", Kind::Video, Source::Flickr);
        item.title = Some("<script>alert(1)</script> Soyuz".into());
        item.duration_seconds = Some(94);
        item.license = Some("CC BY 2.0".into());
        item.thumbnail_url = Some("https://live.staticflickr.com/1_q.jpg".into());
        let html = card(&item, &[26..31, 99..100]).into_string();
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt; <mark>Soyuz</mark>"),
            "{html}"
        );
        assert!(!html.contains("<script>"));
        assert!(html.contains(r#"alt="&lt;script&gt;alert(1)&lt;/script&gt; Soyuz""#));
        assert!(html.contains("Video · <span aria-label=\"1 min 34 s\">1:34</span>"));
        assert!(html.contains("✓ </span>Reusable"));
        assert!(html.contains(r#"src="/thumb/flickr:1""#));
    }
}

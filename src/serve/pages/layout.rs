//! The frame of every page: the head (our one style sheet and one script), the search box,
//! and the main content.

use maud::{DOCTYPE, Markup, html};

/// What the search box in the header holds.
#[derive(Default)]
pub(crate) struct SearchBox {
    /// The query typed.
    pub(crate) query: String,
    /// The filters that a new query keeps, as hidden fields.
    pub(crate) kept: Vec<(&'static str, String)>,
}

/// A whole page.
pub(crate) fn page(title: &str, search: &SearchBox, main: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · archive" }
                link rel="stylesheet" href="/static/style.css";
                link rel="icon" href="/static/icon.svg" type="image/svg+xml";
                script src="/static/app.js" defer {}
            }
            body {
                a.skip href="#main" { "Skip to the content" }
                header.top {
                    a.brand href="/" { "archive" }
                    (search_form(search))
                    nav.site aria-label="Site" {
                        a href="/campaigns" { "Campaigns" }
                    }
                }
                main #main tabindex="-1" { (main) }
                p #announce .visually-hidden aria-live="polite" {}
            }
        }
    }
}

fn search_form(search: &SearchBox) -> Markup {
    html! {
        form #search-form role="search" action="/" method="get" {
            label .visually-hidden for="q" { "Search the archive" }
            input #q type="search" name="q" value=(search.query)
                placeholder="Search: vs20, soyuz taken:2018-12-18…"
                autocomplete="off" spellcheck="false" aria-keyshortcuts="/"
                aria-describedby="search-hint";
            @for (name, value) in &search.kept {
                input type="hidden" name=(name) value=(value);
            }
            button type="submit" { "Search" }
            span #search-hint .visually-hidden {
                "Same language as archive search: words, \"phrases\", OR, NOT, field:value, \
                 taken:2018-12-18. Press / to come back here."
            }
        }
    }
}

//! Pages for what went wrong: a request that cannot be understood (400), something that is
//! not there (404), and a failure of the server itself (500).

use maud::{Markup, html};

use super::layout::{SearchBox, page};

/// The 400 page: what was wrong, and the way back.
pub(crate) fn bad_request(message: &str) -> Markup {
    problem("Bad request", "This address cannot be understood", message)
}

/// The 404 page.
pub(crate) fn not_found(message: &str) -> Markup {
    problem("Not found", "Nothing here", message)
}

/// The 500 page.
pub(crate) fn failure(message: &str) -> Markup {
    problem("Error", "The archive could not answer", message)
}

fn problem(title: &str, heading: &str, message: &str) -> Markup {
    page(
        title,
        &SearchBox::default(),
        html! {
            section.problem {
                h1 { (heading) }
                p.message { (message) }
                p { a href="/" { "Back to the search" } }
            }
        },
    )
}

//! The page's own files, compiled into the binary: one style sheet, one script, two drawings.

use axum::extract::Path;
use axum::http::header;
use axum::response::{IntoResponse, Response};

/// The style sheet.
pub(crate) const STYLE: &str = include_str!("assets/style.css");
/// The script: search as you type, copy buttons, keyboard navigation.
pub(crate) const SCRIPT: &str = include_str!("assets/app.js");
/// The site's icon.
pub(crate) const ICON: &str = include_str!("assets/icon.svg");
/// What a card shows while it has no thumbnail.
pub(crate) const PLACEHOLDER: &str = include_str!("assets/placeholder.svg");

/// `/static/<name>`.
pub(crate) async fn serve(Path(name): Path<String>) -> Response {
    let (content_type, body) = match name.as_str() {
        "style.css" => ("text/css; charset=utf-8", STYLE),
        "app.js" => ("text/javascript; charset=utf-8", SCRIPT),
        "icon.svg" => ("image/svg+xml", ICON),
        "placeholder.svg" => ("image/svg+xml", PLACEHOLDER),
        _ => return super::routes::not_found().await,
    };
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body,
    )
        .into_response()
}

//! Telling a feed from any other response before parsing it.

/// Whether a response is an RSS or Atom feed, from its declared type and its root element.
///
/// Feed types (`application/rss+xml`, `application/atom+xml`) are trusted. Generic XML types,
/// a missing type, `text/plain` and `application/octet-stream` (servers label feeds every
/// way) are decided by the root element: `rss`, `feed` or `rdf:RDF`, after any BOM, XML
/// declaration, comments and doctype. JSON Feed is not read here.
pub fn looks_like_feed(content_type: Option<&str>, body: &str) -> bool {
    let essence = content_type
        .and_then(|t| t.split(';').next())
        .map(|t| t.trim().to_ascii_lowercase())
        .unwrap_or_default();
    match essence.as_str() {
        "application/rss+xml" | "application/atom+xml" => true,
        "" | "text/plain" | "application/octet-stream" => is_feed_root(body),
        t if t.ends_with("/xml") || t.ends_with("+xml") => is_feed_root(body),
        _ => false,
    }
}

fn is_feed_root(body: &str) -> bool {
    root_element(body).is_some_and(|name| {
        let local = name.rsplit(':').next().unwrap_or(name);
        name.eq_ignore_ascii_case("rss") || local == "feed" || local == "RDF"
    })
}

/// The name of the first element, skipping the prolog.
fn root_element(body: &str) -> Option<&str> {
    let mut rest = body.trim_start_matches('\u{feff}');
    loop {
        rest = rest.trim_start();
        if let Some(r) = rest.strip_prefix("<?") {
            rest = r.split_once("?>")?.1;
        } else if let Some(r) = rest.strip_prefix("<!--") {
            rest = r.split_once("-->")?.1;
        } else if let Some(r) = rest.strip_prefix("<!") {
            rest = skip_doctype(r)?;
        } else {
            let r = rest.strip_prefix('<')?;
            let end = r
                .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
                .unwrap_or(r.len());
            return Some(&r[..end]).filter(|n| !n.is_empty());
        }
    }
}

/// What follows a doctype, which may hold an internal subset in brackets.
fn skip_doctype(rest: &str) -> Option<&str> {
    let close = rest.find('>')?;
    match rest.find('[') {
        Some(open) if open < close => rest[open..].split_once("]")?.1.split_once('>').map(|p| p.1),
        _ => Some(&rest[close + 1..]),
    }
}

//! URL rules shared by every stage: which links are worth following, and item identity.

use url::Url;

/// Resolves `href` against `base` and keeps it only if it is a link the crawl may follow:
/// http or https, with a host, without its fragment.
///
/// `mailto:`, `tel:`, `javascript:`, `data:` and in-page anchors (`#top`) give `None`.
pub fn followable(base: &Url, href: &str) -> Option<Url> {
    let href = href.trim();
    if href.is_empty() || href.starts_with('#') {
        return None;
    }
    let mut url = base.join(href).ok()?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none_or(str::is_empty) {
        return None;
    }
    url.set_fragment(None);
    Some(url)
}

/// Parses an absolute http(s) URL, as found in metadata, or `None`.
pub fn absolute(text: &str) -> Option<Url> {
    let url = Url::parse(text.trim()).ok()?;
    matches!(url.scheme(), "http" | "https").then_some(url)
}

/// Query parameters that only track the reader and never change what a URL points to.
const TRACKING_PARAMS: [&str; 8] = [
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "utm_term",
    "utm_content",
    "fbclid",
    "gclid",
    "mc_cid",
];

/// The canonical form of a URL used as an item id: no fragment, no tracking parameters,
/// scheme and host lowercased, default port dropped (the last two by the `url` crate).
///
/// Two links to the same file must give one item, whichever page they were found on.
pub fn canonical(url: &Url) -> String {
    let mut url = without_params(url, |name| TRACKING_PARAMS.contains(&name));
    url.set_fragment(None);
    url.to_string()
}

/// The URL without the query parameters `drop` names, and without `?` if none are left.
pub fn without_params(url: &Url, drop: impl Fn(&str) -> bool) -> Url {
    let mut url = url.clone();
    if url.query().is_none() {
        return url;
    }
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| !drop(k))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    if kept.is_empty() {
        url.set_query(None);
    } else {
        url.query_pairs_mut().clear().extend_pairs(kept);
    }
    url
}

/// The host of a URL, for per-host bookkeeping; `""` for URLs without one.
pub fn host_key(url: &Url) -> String {
    match (url.host_str(), url.port()) {
        (Some(host), Some(port)) => format!("{host}:{port}"),
        (Some(host), None) => host.to_string(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Url {
        Url::parse("https://cnes.fr/en/press/pr208-2018#top").unwrap()
    }

    #[test]
    fn followable_resolves_relative_links_and_drops_fragments() {
        let url = followable(&base(), "../media/vs20.html#gallery").unwrap();
        assert_eq!(url.as_str(), "https://cnes.fr/en/media/vs20.html");
    }

    #[test]
    fn followable_rejects_non_web_links() {
        for href in [
            "mailto:presse@cnes.fr",
            "tel:+33144767500",
            "javascript:void(0)",
            "#section",
            "",
            "data:text/html,hi",
            "ftp://cnes.fr/file",
            "file:///etc/passwd",
        ] {
            assert_eq!(followable(&base(), href), None, "{href}");
        }
    }

    #[test]
    fn canonical_drops_tracking_and_fragment_but_keeps_meaningful_query() {
        let url = Url::parse(
            "HTTPS://VideoTheque.CNES.fr:443/index.php?urlaction=doc&id_doc=24866&utm_source=x#t",
        )
        .unwrap();
        assert_eq!(
            canonical(&url),
            "https://videotheque.cnes.fr/index.php?urlaction=doc&id_doc=24866"
        );
        let only_tracking = Url::parse("https://cnes.fr/a?utm_medium=mail").unwrap();
        assert_eq!(canonical(&only_tracking), "https://cnes.fr/a");
    }
}

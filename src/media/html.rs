//! Small readers over a parsed HTML document, shared by the page extractors.

use scraper::{ElementRef, Html, Selector};
use std::sync::LazyLock;
use url::Url;

use super::text;

static META: LazyLock<Selector> = LazyLock::new(|| selector("meta[content]"));
static BASE: LazyLock<Selector> = LazyLock::new(|| selector("base[href]"));
static CANONICAL: LazyLock<Selector> = LazyLock::new(|| selector("link[rel][href]"));

/// Compiles a selector written in this crate; they are constants, so failure is a bug.
pub fn selector(css: &str) -> Selector {
    Selector::parse(css).unwrap_or_else(|e| panic!("invalid built-in selector {css:?}: {e}"))
}

/// The `content` of every `<meta>` whose `property` or `name` is `key` (case-insensitive),
/// in document order.
///
/// Open Graph says `property=`, but Flickr and many CMSs write `name=`; both are read.
pub fn meta_all<'a>(doc: &'a Html, key: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    doc.select(&META).filter_map(move |m| {
        let e = m.value();
        let named = [e.attr("property"), e.attr("name"), e.attr("itemprop")]
            .into_iter()
            .flatten()
            .any(|k| k.trim().eq_ignore_ascii_case(key));
        named.then(|| e.attr("content")).flatten()
    })
}

/// The first non-blank `<meta>` content for `key`, cleaned.
pub fn meta(doc: &Html, key: &str) -> Option<String> {
    meta_all(doc, key).find_map(text::clean)
}

/// The URL relative links resolve against: `<base href>` if present, else the page's URL.
pub fn base_url(doc: &Html, page_url: &Url) -> Url {
    doc.select(&BASE)
        .next()
        .and_then(|b| b.value().attr("href"))
        .and_then(|href| page_url.join(href.trim()).ok())
        .unwrap_or_else(|| page_url.clone())
}

/// The page's declared canonical URL (`<link rel="canonical">`, else `og:url`), if absolute
/// http(s).
pub fn canonical_url(doc: &Html, page_url: &Url) -> Option<Url> {
    let link = doc.select(&CANONICAL).find_map(|l| {
        let rel = l.value().attr("rel")?;
        rel.split_ascii_whitespace()
            .any(|r| r.eq_ignore_ascii_case("canonical"))
            .then(|| l.value().attr("href"))
            .flatten()
    });
    link.map(str::to_string)
        .or_else(|| meta(doc, "og:url"))
        .and_then(|href| page_url.join(href.trim()).ok())
        .filter(|u| matches!(u.scheme(), "http" | "https"))
}

/// The visible text of an element: text nodes outside scripts, styles and templates.
pub fn visible_text(element: ElementRef<'_>) -> String {
    let mut out = String::new();
    collect_visible(element, &mut out);
    out
}

fn collect_visible(element: ElementRef<'_>, out: &mut String) {
    for child in element.children() {
        match child.value() {
            scraper::Node::Text(t) => out.push_str(t),
            scraper::Node::Element(e) if text::is_invisible(e.name()) => {}
            scraper::Node::Element(_) => {
                if let Some(child) = ElementRef::wrap(child) {
                    out.push(' ');
                    collect_visible(child, out);
                    out.push(' ');
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meta_reads_property_and_name_spellings() {
        let doc = Html::parse_document(
            r#"<head><meta name="og:title" content=" Album VS20 " data-dynamic="true">
               <meta property="OG:Type" content="video.other"></head>"#,
        );
        assert_eq!(meta(&doc, "og:title").as_deref(), Some("Album VS20"));
        assert_eq!(meta(&doc, "og:type").as_deref(), Some("video.other"));
        assert_eq!(meta(&doc, "og:image"), None);
    }

    #[test]
    fn canonical_prefers_link_then_og_url() {
        let page = Url::parse("file:///tmp/release.html").unwrap();
        let doc = Html::parse_document(
            r#"<link rel="canonical" href="https://cnes.fr/en/pr208"><meta property="og:url" content="https://other">"#,
        );
        assert_eq!(
            canonical_url(&doc, &page).unwrap().as_str(),
            "https://cnes.fr/en/pr208"
        );
        let doc = Html::parse_document(r#"<meta property="og:url" content="https://cnes.fr/x">"#);
        assert_eq!(
            canonical_url(&doc, &page).unwrap().as_str(),
            "https://cnes.fr/x"
        );
    }

    #[test]
    fn visible_text_skips_scripts_and_styles() {
        let doc = Html::parse_document(
            "<body><style>a{color:#fff}</style><p>Go <b>#VS20</b></p><script>x='#no'</script></body>",
        );
        let body = doc.select(&selector("body")).next().unwrap();
        let text = visible_text(body);
        assert!(text.contains("#VS20"));
        assert!(!text.contains("#fff") && !text.contains("#no"));
    }
}

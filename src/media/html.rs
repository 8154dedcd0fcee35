//! Small readers over a parsed HTML document, shared by the page extractors.

use ego_tree::iter::Edge;
use scraper::{ElementRef, Html, Selector};
use url::Url;

use super::text;

/// Parses a page as a browser with scripts turned off does: the crawler runs no script, so a
/// `<noscript>` fallback (the real image behind a lazy-loading placeholder) is markup to
/// read, not text.
pub fn parse_document(html: &str) -> Html {
    use html5ever::driver::{self, ParseOpts};
    use html5ever::tendril::TendrilSink;
    use html5ever::tree_builder::TreeBuilderOpts;
    let options = ParseOpts {
        tree_builder: TreeBuilderOpts {
            scripting_enabled: false,
            ..TreeBuilderOpts::default()
        },
        ..ParseOpts::default()
    };
    driver::parse_document(scraper::HtmlTreeSink::new(Html::new_document()), options).one(html)
}

/// Every element of one tag name, in the order `Html::select` gives: a name comparison on
/// every element of the page costs a fraction of a selector match.
pub fn named<'a>(doc: &'a Html, name: &'static str) -> impl Iterator<Item = ElementRef<'a>> + 'a {
    doc.tree
        .nodes()
        .filter_map(ElementRef::wrap)
        .filter(move |e| e.value().name() == name)
}

/// Compiles a selector written in this crate; they are constants, so failure is a bug.
pub fn selector(css: &str) -> Selector {
    Selector::parse(css).unwrap_or_else(|e| panic!("invalid built-in selector {css:?}: {e}"))
}

/// The page's `<meta>` tags, read once: readers ask a page for a dozen of them.
///
/// Open Graph says `property=`, but Flickr and many CMSs write `name=`, and microdata
/// `itemprop=`; all are read, case-insensitively.
pub struct Metas<'a>(Vec<(&'a str, &'a str)>);

impl<'a> Metas<'a> {
    pub fn of(doc: &'a Html) -> Self {
        let mut tags = Vec::new();
        for element in named(doc, "meta") {
            let e = element.value();
            let Some(content) = e.attr("content") else {
                continue;
            };
            let keys = [e.attr("property"), e.attr("name"), e.attr("itemprop")];
            let mut own: Vec<&str> = Vec::new();
            for key in keys.into_iter().flatten().map(str::trim) {
                // One element saying the same key twice is still one value.
                if !own.iter().any(|k| k.eq_ignore_ascii_case(key)) {
                    own.push(key);
                    tags.push((key, content));
                }
            }
        }
        Metas(tags)
    }

    /// The `content` of every tag named `key`, in document order.
    pub fn all<'k>(&'k self, key: &'k str) -> impl Iterator<Item = &'a str> + 'k {
        self.0
            .iter()
            .filter(move |(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, content)| *content)
    }

    /// The first non-blank content for `key`, cleaned.
    pub fn first(&self, key: &str) -> Option<String> {
        self.all(key).find_map(text::clean)
    }
}

/// The first non-blank `<meta>` content for `key`, cleaned, for a reader that asks once.
pub fn meta(doc: &Html, key: &str) -> Option<String> {
    Metas::of(doc).first(key)
}

/// The URL relative links resolve against: `<base href>` if present, else the page's URL.
pub fn base_url(doc: &Html, page_url: &Url) -> Url {
    named(doc, "base")
        .find_map(|b| b.value().attr("href"))
        .and_then(|href| page_url.join(href.trim()).ok())
        .unwrap_or_else(|| page_url.clone())
}

/// The page's declared canonical URL (`<link rel="canonical">`, else `og:url`), if absolute
/// http(s).
pub fn canonical_url(doc: &Html, page_url: &Url) -> Option<Url> {
    let link = named(doc, "link").find_map(|l| {
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

/// The text a reader sees in `element`: scripts, styles and templates left out, a space
/// around every element so words in neighbouring elements stay apart.
pub fn visible_text(element: ElementRef<'_>) -> String {
    visible_text_without(element, |_| false)
}

/// As [`visible_text`], leaving out the elements `skip` names (a site's menus and footers)
/// with all they hold.
///
/// The walk is a loop, not a recursion: a hostile page nests elements tens of thousands
/// deep, which would overflow the stack.
pub fn visible_text_without(
    element: ElementRef<'_>,
    skip: impl Fn(&scraper::node::Element) -> bool,
) -> String {
    let mut out = String::new();
    let mut skipping: Option<ego_tree::NodeId> = None;
    for edge in element.traverse() {
        match edge {
            Edge::Open(node) if skipping.is_none() && node.id() != element.id() => {
                match node.value() {
                    scraper::Node::Text(t) => out.push_str(t),
                    scraper::Node::Element(e) if text::is_invisible(e.name()) || skip(e) => {
                        skipping = Some(node.id());
                    }
                    scraper::Node::Element(_) => out.push(' '),
                    _ => {}
                }
            }
            Edge::Close(node) if skipping == Some(node.id()) => skipping = None,
            Edge::Close(node)
                if skipping.is_none() && node.id() != element.id() && node.value().is_element() =>
            {
                out.push(' ');
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metas_keep_document_order_and_count_an_element_once() {
        let doc = parse_document(
            r#"<head><meta property="article:tag" name="ARTICLE:TAG" content="VS20">
               <meta property="article:tag">
               <meta itemprop="article:tag" content="CSO"></head>
               <body><meta property="article:tag" content="Soyuz"></body>"#,
        );
        let metas = Metas::of(&doc);
        let tags: Vec<&str> = metas.all("Article:Tag").collect();
        assert_eq!(tags, ["VS20", "CSO", "Soyuz"]);
        assert_eq!(metas.first("og:title"), None);
    }

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

    #[test]
    fn text_of_a_page_nested_thousands_deep_is_read_without_recursion() {
        // Built node by node: html5ever itself takes seconds to parse such a page.
        let mut doc = Html::parse_document("<body><div></div></body>");
        let div = doc.select(&selector("div")).next().unwrap().id();
        let element = doc.tree.get(div).unwrap().value().clone();
        let mut deepest = div;
        for _ in 0..100_000 {
            deepest = doc
                .tree
                .get_mut(deepest)
                .unwrap()
                .append(element.clone())
                .id();
        }
        let text = scraper::node::Text {
            text: "#VS20".into(),
        };
        doc.tree
            .get_mut(deepest)
            .unwrap()
            .append(scraper::Node::Text(text));
        let body = doc.select(&selector("body")).next().unwrap();
        assert!(visible_text(body).contains("#VS20"));
        let skipped = visible_text_without(body, |e| e.name() == "div");
        assert!(
            !skipped.contains("#VS20"),
            "a skipped element takes its content along"
        );
    }
}

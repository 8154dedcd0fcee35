//! Press releases: their title, date, campaign hashtags and outbound links, from HTML,
//! Markdown or plain text.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use scraper::{ElementRef, Html, Selector};
use std::sync::LazyLock;
use url::Url;

use super::bounds::MAX_JSON_BLOCK;
use super::{HtmlPage, Identify};
use crate::media::lists::unique;
use crate::media::{dates, html, text};
use crate::model::{About, Extracted, Item, Kind, Nature, Page, Role, Source, When};
use crate::tag;
use crate::urls;

/// Press releases as a source: a release read from HTML, Markdown or text gives its links,
/// and when it is a seed, its hashtags and itself as an `article`.
pub struct Releases;

impl super::Source for Releases {
    fn id(&self) -> Source {
        Source::Release
    }

    fn read_document(&self, page: &Page, _: &dyn Identify) -> Option<Extracted> {
        let release = match page.content_type.as_deref()? {
            "text/markdown" | "text/x-markdown" => from_markdown(&page.body, &page.url),
            "text/plain" if looks_like_markdown(&page.body) => from_markdown(&page.body, &page.url),
            "text/plain" => from_text(&page.body, &page.url),
            _ => return None,
        };
        Some(release.into_extracted(page))
    }

    fn read_html(&self, page: &HtmlPage<'_>) -> Extracted {
        from_html(page.doc, page.url()).into_extracted(page.page)
    }
}

/// What a press release says about itself and where it points.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Release {
    /// The release's own URL: its declared canonical URL if any, else where it was read.
    pub url: Option<Url>,
    /// The headline.
    pub title: Option<String>,
    /// The standfirst or description.
    pub summary: Option<String>,
    /// When it was published.
    pub date: Option<When>,
    /// Who published it.
    pub publisher: Option<String>,
    /// Its preview image (`og:image`).
    pub image: Option<String>,
    /// Keywords the page declares.
    pub keywords: Vec<String>,
    /// Hashtags in the visible text, without `#`.
    pub hashtags: Vec<String>,
    /// Outbound links, absolute, deduplicated, in document order.
    pub links: Vec<Url>,
}

impl Release {
    /// What the crawl takes from a release: its links, and when it is a seed, its
    /// hashtags and itself. A linked page's `#hashtags` say nothing about which campaign
    /// the journalist is after.
    fn into_extracted(self, page: &Page) -> Extracted {
        let seed = page.role == Role::Seed;
        let items = if seed {
            vec![self.to_item(&page.url)]
        } else {
            Vec::new()
        };
        Extracted {
            items,
            about: Some(About {
                nature: Nature::Release,
                title: self.title,
            }),
            hashtags: if seed { self.hashtags } else { Vec::new() },
            links: self.links,
            ..Extracted::default()
        }
    }

    /// The release as an `article` item, so a journalist can find the release itself too.
    pub fn to_item(&self, read_from: &Url) -> Item {
        let url = self.url.as_ref().unwrap_or(read_from);
        let mut item = Item::new(urls::canonical(url), Kind::Article, Source::Release);
        item.title.clone_from(&self.title);
        item.description.clone_from(&self.summary);
        item.published_at = self.date;
        item.creator.clone_from(&self.publisher);
        item.thumbnail_url.clone_from(&self.image);
        item.page_url = Some(url.to_string());
        item.tags.clone_from(&self.keywords);
        item
    }
}

static CONTENT_ROOTS: LazyLock<[Selector; 4]> =
    LazyLock::new(|| ["article", "main", "[role=main]", "body"].map(html::selector));
static ANCHOR: LazyLock<Selector> = LazyLock::new(|| html::selector("a[href]"));
static H1: LazyLock<Selector> = LazyLock::new(|| html::selector("h1"));
static TITLE: LazyLock<Selector> = LazyLock::new(|| html::selector("title"));
static TIME: LazyLock<Selector> = LazyLock::new(|| html::selector("time[datetime]"));
static LD_JSON: LazyLock<Selector> =
    LazyLock::new(|| html::selector(r#"script[type="application/ld+json" i]"#));

/// Reads a release from HTML.
///
/// Hashtags and links come from the main content (`<article>`, `<main>`, else `<body>`),
/// leaving out navigation, headers' menus, footers and asides: a site's menu is not the
/// release, and a footer's `#CNES` is not a campaign.
pub fn from_html(doc: &Html, read_from: &Url) -> Release {
    let canonical = html::canonical_url(doc, read_from);
    let base = resolution_base(doc, read_from, canonical.as_ref());
    let root = content_root(doc);
    let visible = root.map(content_text).unwrap_or_default();
    let metas = html::Metas::of(doc);
    let title = metas
        .first("og:title")
        .or_else(|| first_text(root, &H1))
        .or_else(|| {
            doc.select(&TITLE)
                .next()
                .and_then(|t| text::clean(&t.text().collect::<String>()))
        });
    Release {
        url: canonical.or_else(|| web_url(read_from)),
        title,
        summary: metas
            .first("og:description")
            .or_else(|| metas.first("description")),
        date: html_date(doc, &metas, root, &visible),
        publisher: metas
            .first("og:site_name")
            .or_else(|| metas.first("author")),
        image: metas
            .first("og:image")
            .and_then(|src| base.join(&src).ok())
            .map(|u| u.to_string()),
        keywords: keywords(&metas),
        hashtags: tag::hashtags(&visible),
        links: root.map(|r| content_links(r, &base)).unwrap_or_default(),
    }
}

/// What relative links resolve against. A saved page's relative links are relative to where it
/// was published, which its canonical URL says, not to the folder it was saved in.
fn resolution_base(doc: &Html, read_from: &Url, canonical: Option<&Url>) -> Url {
    let base = html::base_url(doc, read_from);
    match canonical {
        Some(canonical) if base.scheme() == "file" => canonical.clone(),
        _ => base,
    }
}

fn web_url(url: &Url) -> Option<Url> {
    matches!(url.scheme(), "http" | "https").then(|| url.clone())
}

fn content_root(doc: &Html) -> Option<ElementRef<'_>> {
    CONTENT_ROOTS.iter().find_map(|s| doc.select(s).next())
}

/// Elements that hold a site's furniture rather than the release.
fn is_furniture(element: &scraper::node::Element) -> bool {
    matches!(element.name(), "nav" | "footer" | "aside")
        || element
            .attr("role")
            .is_some_and(|r| matches!(r, "navigation" | "contentinfo"))
}

fn content_text(root: ElementRef<'_>) -> String {
    html::visible_text_without(root, is_furniture)
}

fn in_furniture(element: ElementRef<'_>, root: ElementRef<'_>) -> bool {
    element
        .ancestors()
        .take_while(|a| a.id() != root.id())
        .filter_map(|a| a.value().as_element())
        .any(is_furniture)
}

fn content_links(root: ElementRef<'_>, base: &Url) -> Vec<Url> {
    unique(
        root.select(&ANCHOR)
            .filter(|anchor| !in_furniture(*anchor, root))
            .filter_map(|anchor| urls::followable(base, anchor.value().attr("href")?)),
    )
}

fn first_text(root: Option<ElementRef<'_>>, selector: &Selector) -> Option<String> {
    root?
        .select(selector)
        .find_map(|e| headline(&html::visible_text(e)))
}

fn html_date(
    doc: &Html,
    metas: &html::Metas<'_>,
    root: Option<ElementRef<'_>>,
    visible: &str,
) -> Option<When> {
    const DATE_METAS: [&str; 6] = [
        "article:published_time",
        "datePublished",
        "date",
        "dcterms.date",
        "DC.date.issued",
        "pubdate",
    ];
    DATE_METAS
        .iter()
        .find_map(|key| metas.first(key).and_then(|d| dates::parse(&d)))
        .or_else(|| json_ld_date(doc))
        .or_else(|| {
            root?
                .select(&TIME)
                .find_map(|t| t.value().attr("datetime").and_then(dates::parse))
        })
        .or_else(|| dates::first_in_prose(visible))
}

/// `datePublished` of the page's own JSON-LD (a `NewsArticle`, usually).
fn json_ld_date(doc: &Html) -> Option<When> {
    doc.select(&LD_JSON).find_map(|script| {
        let text = script.text().collect::<String>();
        if text.len() > MAX_JSON_BLOCK {
            return None;
        }
        let json: serde_json::Value = serde_json::from_str(&text).ok()?;
        find_key(&json, "datePublished").and_then(dates::parse)
    })
}

fn find_key<'a>(value: &'a serde_json::Value, key: &str) -> Option<&'a str> {
    match value {
        serde_json::Value::Object(map) => map
            .get(key)
            .and_then(serde_json::Value::as_str)
            .or_else(|| map.values().find_map(|v| find_key(v, key))),
        serde_json::Value::Array(items) => items.iter().find_map(|v| find_key(v, key)),
        _ => None,
    }
}

fn keywords(metas: &html::Metas<'_>) -> Vec<String> {
    let declared = metas.all("article:tag").map(str::to_string).chain(
        metas
            .first("keywords")
            .into_iter()
            .flat_map(|k| k.split(',').map(str::to_string).collect::<Vec<_>>()),
    );
    let mut keys = std::collections::HashSet::new();
    declared
        .filter_map(|k| text::clean(&k))
        .filter(|keyword| keys.insert(tag::key(keyword)))
        .collect()
}

/// Reads a release pasted as Markdown: links from `[text](url)`, `<autolinks>` and bare URLs;
/// hashtags from the prose, not from code.
pub fn from_markdown(source: &str, read_from: &Url) -> Release {
    let mut prose = String::new();
    let mut links = Vec::new();
    let mut title = None;
    let mut heading: Option<String> = None;
    let mut in_code = false;
    let mut in_link = 0usize;
    for event in Parser::new(source) {
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Text(_) if in_code => {}
            Event::Start(Tag::Link { dest_url, .. }) => {
                in_link += 1;
                links.extend(urls::followable(read_from, &dest_url));
            }
            Event::End(TagEnd::Link) => in_link = in_link.saturating_sub(1),
            Event::Start(Tag::Heading { .. }) if title.is_none() => heading = Some(String::new()),
            Event::End(TagEnd::Heading(_)) => {
                title = title.or_else(|| heading.take().as_deref().and_then(headline));
                prose.push('\n');
            }
            Event::Text(t) => {
                if let Some(h) = heading.as_mut() {
                    h.push_str(&t);
                }
                // A link's text is what the link says, often its own address with the
                // Markdown escapes a converter left in it (`id\_panier`): never another link.
                if in_link == 0 {
                    links.extend(bare_urls(&t));
                }
                prose.push_str(&t);
            }
            Event::SoftBreak | Event::HardBreak | Event::End(_) => prose.push('\n'),
            _ => {}
        }
    }
    prose_release(title, &prose, unique(links), read_from)
}

/// Reads a release pasted as plain text: the first line that is not a generic label is the
/// title.
pub fn from_text(source: &str, read_from: &Url) -> Release {
    let links = bare_urls(source);
    let title = source.lines().find_map(headline);
    prose_release(title, source, links, read_from)
}

/// Labels that head a release without naming it: "Press Release", "Communiqué de presse".
static GENERIC_LABEL: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(
        r"(?ix)^(?:
            (?:press|news|media)\s+(?:releases?|advisory|alert|information)
          | communiqu[ée]s?(?:\s+de\s+presse)? | dossier\s+de\s+presse | information\s+presse
          | news | actualit[ée]s? | contacts? | press | presse
          | (?:pr|cp)\s*[\d-]+ )[\s.:!]*$",
    )
    .expect("valid generic-label regex")
});

/// A heading or line as a release's title: cleaned, unless it is a generic label.
fn headline(line: &str) -> Option<String> {
    text::clean(line).filter(|l| !GENERIC_LABEL.is_match(l))
}

/// Whether a text file is Markdown: a release pasted from a CMS or a converter keeps its
/// `# headings`, `[text](url)` and `<autolinks>`, `**bold**` and `---` rules.
pub fn looks_like_markdown(body: &str) -> bool {
    static MARKS: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(
            r"(?m)^\s{0,3}#{1,6}\s+\S|\]\(\s*(?:https?|mailto):|<https?://[^>\s]+>|\*\*[^*\n]+\*\*|^\s{0,3}(?:---+|\*\*\*+)\s*$",
        )
        .expect("valid markdown regex")
    });
    MARKS.find_iter(body).take(2).count() >= 2
}

fn prose_release(title: Option<String>, prose: &str, links: Vec<Url>, read_from: &Url) -> Release {
    let without_urls = blank_urls(prose);
    Release {
        url: web_url(read_from),
        title,
        date: dates::first_in_prose(&without_urls),
        hashtags: tag::hashtags(&without_urls),
        links,
        ..Release::default()
    }
}

fn bare_urls(text: &str) -> Vec<Url> {
    let mut finder = linkify::LinkFinder::new();
    finder.kinds(&[linkify::LinkKind::Url]);
    unique(finder.links(text).filter_map(|link| {
        urls::absolute(link.as_str()).and_then(|u| urls::followable(&u, u.as_str()))
    }))
}

/// The text with its URLs replaced by spaces, so a URL's `#fragment` is not read as a hashtag.
fn blank_urls(text: &str) -> String {
    let mut finder = linkify::LinkFinder::new();
    finder.url_must_have_scheme(false);
    let mut out = text.to_string();
    for link in finder.links(text) {
        out.replace_range(
            link.start()..link.end(),
            &" ".repeat(link.end() - link.start()),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file_url() -> Url {
        Url::parse("file:///tmp/pr208.html").unwrap()
    }

    const PR_HTML: &str = r##"<!DOCTYPE html><html><head>
        <title>Next Soyuz mission | CNES</title>
        <link rel="canonical" href="https://cnes.fr/en/next-soyuz-mission">
        <meta property="og:title" content="Next Soyuz mission from CSG to launch CSO-1 satellite">
        <meta property="og:image" content="/sites/default/files/cso.jpg">
        <meta property="og:site_name" content="CNES">
        <meta name="keywords" content="Soyuz, CSO, soyuz">
        <style>.hero { color: #fff; }</style>
        </head><body>
        <header><nav><a href="/en/home">Home</a> #Menu</nav></header>
        <article>
          <h1>Next Soyuz mission</h1>
          <p class="date">Paris, 14 December 2018</p>
          <p style="color:#f00">Soyuz flight VS20 will launch the CSO-1 satellite.</p>
          <p>Photos: <a href="https://www.flickr.com/photos/cnes/albums/72157704555614144">Flickr</a>,
             videos: <a href="https://videotheque.cnes.fr/index.php?urlaction=commande&amp;id_panier=4378">basket</a>,
             live: <a href="/en/live#player">live</a>, <a href="#top">top</a>,
             <a href="mailto:presse@cnes.fr">press</a> <a href="tel:+33144767500">call</a>
             <a href="javascript:void(0)">share</a></p>
          <script>var tag = "#NotATag";</script>
          <p>#CSO #VS20</p>
        </article>
        <footer>Follow #CNES <a href="https://twitter.com/CNES">Twitter</a></footer>
        </body></html>"##;

    #[test]
    fn html_release_reads_title_date_hashtags_and_content_links() {
        let release = from_html(&Html::parse_document(PR_HTML), &file_url());
        assert_eq!(
            release.url.as_ref().map(Url::as_str),
            Some("https://cnes.fr/en/next-soyuz-mission")
        );
        assert_eq!(
            release.title.as_deref(),
            Some("Next Soyuz mission from CSG to launch CSO-1 satellite")
        );
        assert_eq!(
            release.date.map(|d| d.to_string()).as_deref(),
            Some("2018-12-14")
        );
        assert_eq!(release.hashtags, ["CSO", "VS20"]);
        assert_eq!(release.keywords, ["Soyuz", "CSO"]);
        assert_eq!(
            release.image.as_deref(),
            Some("https://cnes.fr/sites/default/files/cso.jpg")
        );
        let links: Vec<&str> = release.links.iter().map(Url::as_str).collect();
        assert_eq!(
            links,
            [
                "https://www.flickr.com/photos/cnes/albums/72157704555614144",
                "https://videotheque.cnes.fr/index.php?urlaction=commande&id_panier=4378",
                "https://cnes.fr/en/live",
            ]
        );
    }

    #[test]
    fn release_item_is_an_article_at_its_canonical_url() {
        let release = from_html(&Html::parse_document(PR_HTML), &file_url());
        let item = release.to_item(&file_url());
        assert_eq!(item.id, "https://cnes.fr/en/next-soyuz-mission");
        assert_eq!(item.kind, Kind::Article);
        assert_eq!(item.thumbnail_url, release.image);
        assert_eq!(item.creator.as_deref(), Some("CNES"));
    }

    #[test]
    fn date_comes_from_metadata_before_prose() {
        let doc = Html::parse_document(
            r#"<meta property="article:published_time" content="2018-12-13T10:00:00+01:00">
               <body><p>Paris, 14 December 2018</p></body>"#,
        );
        let release = from_html(&doc, &file_url());
        assert_eq!(
            release.date.map(|d| d.to_string()).as_deref(),
            Some("2018-12-13T10:00:00+01:00")
        );
    }

    #[test]
    fn markdown_release_reads_every_link_form() {
        let md = "# Next Soyuz mission\n\nParis, 14 December 2018\n\n\
                  Album: [Flickr](https://www.flickr.com/photos/cnes/albums/72157704555614144), \
                  basket <https://videotheque.cnes.fr/index.php?urlaction=commande&id_panier=4378> \
                  and live at https://cnes.fr/en/live#player.\n\n\
                  Contact [press](mailto:presse@cnes.fr).\n\n\
                  ```css\n.a { color: #fff }\n#NotATag\n```\n\n#CSO #VS20\n";
        let release = from_markdown(md, &Url::parse("file:///tmp/pr.md").unwrap());
        assert_eq!(release.title.as_deref(), Some("Next Soyuz mission"));
        assert_eq!(release.hashtags, ["CSO", "VS20"]);
        assert_eq!(
            release.date.map(|d| d.to_string()).as_deref(),
            Some("2018-12-14")
        );
        let links: Vec<&str> = release.links.iter().map(Url::as_str).collect();
        assert_eq!(
            links,
            [
                "https://www.flickr.com/photos/cnes/albums/72157704555614144",
                "https://videotheque.cnes.fr/index.php?urlaction=commande&id_panier=4378",
                "https://cnes.fr/en/live",
            ]
        );
        assert_eq!(release.url, None, "a local file has no web URL");
    }

    /// CNES's PR208-2018 exactly as it was handed over: Markdown saved as `.txt`, headed by a
    /// generic label, its hashtags in bold and a link whose text escapes `_` as `\\_`.
    pub(super) const PR208_TXT: &str = include_str!("../../tests/fixtures/releases/pr208-2018.txt");

    #[test]
    fn a_markdown_release_saved_as_text_is_read_as_markdown() {
        let page = Page {
            url: Url::parse("file:///tmp/pr208-2018.txt").unwrap(),
            content_type: Some("text/plain".into()),
            body: PR208_TXT.into(),
            role: Role::Seed,
        };
        let found = crate::sources::Source::read_document(
            &Releases,
            &page,
            &crate::sources::testing::FlickrIds,
        );
        let found = found.expect("a release");
        assert_eq!(found.hashtags, ["CSO", "VS20"]);
        assert_eq!(
            found.about.and_then(|a| a.title).as_deref(),
            Some("Next Soyuz mission from CSG to launch CSO-1 satellite")
        );
        let links: Vec<&str> = found.links.iter().map(Url::as_str).collect();
        assert_eq!(
            links,
            [
                "https://cso.cnes.fr/en/live",
                "https://www.flickr.com/photos/cnes/albums/72157704555614144",
                "https://videotheque.cnes.fr/index.php?urlaction=commande&id_pancier=4378",
            ]
        );
        assert_eq!(
            found.items[0]
                .published_at
                .map(|d| d.to_string())
                .as_deref(),
            Some("2018-12-14")
        );
    }

    #[test]
    fn generic_labels_are_not_titles_and_plain_text_is_not_markdown() {
        for label in [
            "Press Release",
            "Communiqué de presse",
            "NEWS",
            "PR208-2018",
            "Contacts",
        ] {
            assert_eq!(headline(label), None, "{label}");
        }
        assert_eq!(
            headline("Press release: CSO-1 in orbit").as_deref(),
            Some("Press release: CSO-1 in orbit")
        );
        assert!(!looks_like_markdown(
            "Next Soyuz mission\nSee https://cnes.fr/en/vs20 #CSO #VS20"
        ));
        assert!(looks_like_markdown("# Title\n\n<https://cnes.fr>"));
    }

    #[test]
    fn text_release_reads_bare_and_bracketed_urls_but_not_fragments_as_hashtags() {
        let txt = "Next Soyuz mission from CSG to launch CSO-1 satellite\n\
                   Kourou, le 19 décembre 2018\n\
                   See https://cnes.fr/en/vs20#CSO and <https://www.flickr.com/photos/cnes/albums/72157704555614144>\n\
                   and [the basket](https://videotheque.cnes.fr/index.php?urlaction=commande&id_panier=4378).\n\
                   #CSO #VS20";
        let release = from_text(txt, &Url::parse("file:///tmp/pr.txt").unwrap());
        assert_eq!(
            release.title.as_deref(),
            Some("Next Soyuz mission from CSG to launch CSO-1 satellite")
        );
        assert_eq!(release.hashtags, ["CSO", "VS20"]);
        assert_eq!(
            release.date.map(|d| d.to_string()).as_deref(),
            Some("2018-12-19")
        );
        let links: Vec<&str> = release.links.iter().map(Url::as_str).collect();
        assert_eq!(
            links,
            [
                "https://cnes.fr/en/vs20",
                "https://www.flickr.com/photos/cnes/albums/72157704555614144",
                "https://videotheque.cnes.fr/index.php?urlaction=commande&id_panier=4378",
            ]
        );
    }
}

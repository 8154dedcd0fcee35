//! The registry as the crawl uses it: every source reading one document, and items named by
//! the source that owns them whichever route found them.

use url::Url;

use super::{Registry, Settings};
use crate::fetch::{FetchConfig, Fetcher};
use crate::model::{Extracted, Kind, Page, Role, Source};

const FLICKR_FEED: &str = include_str!("../../tests/fixtures/feeds/flickr_photoset.rss");
const VIDEO_SITEMAP: &str = include_str!("../../tests/fixtures/sitemap/video_sitemap.xml");

fn registry() -> Registry {
    let fetcher = Fetcher::live(FetchConfig::default()).expect("a client");
    Registry::standard(&fetcher, &Settings::default()).expect("default settings")
}

fn page(body: &str, url: &str, content_type: &str, role: Role) -> Page {
    Page {
        url: Url::parse(url).unwrap(),
        content_type: Some(content_type.into()),
        body: body.into(),
        role,
    }
}

fn read(body: &str, url: &str, content_type: &str) -> Extracted {
    registry()
        .extract(&page(body, url, content_type, Role::Linked))
        .expect("a readable document")
}

fn ids(found: &Extracted) -> Vec<&str> {
    found.items.iter().map(|i| i.id.as_str()).collect()
}

#[test]
fn a_flickr_feed_gives_flickr_ids_from_the_feed_source() {
    let found = read(
        FLICKR_FEED,
        "https://api.flickr.com/services/feeds/photoset.gne?set=72157704555614144&nsid=38194218@N05",
        "application/rss+xml",
    );
    assert_eq!(ids(&found), ["flickr:45539063392", "flickr:31628453257"]);
    for item in &found.items {
        assert_eq!(item.source, Source::Feed);
        assert_eq!(item.kind, Kind::Photo);
    }
    assert_eq!(
        found.about.map(|a| a.nature),
        Some(crate::model::Nature::Feed)
    );
}

#[test]
fn json_ld_and_open_graph_on_a_flickr_photo_page_give_the_flickr_photo() {
    let html = r#"<html><head>
        <meta name="og:url" content="https://www.flickr.com/photos/cnes/45539063392/">
        <meta name="og:video" content="https://www.flickr.com/photos/cnes/45539063392/play/720p/abc/">
        <script type="application/ld+json">{"@type":"ImageObject",
            "url":"https://www.flickr.com/photos/cnes/45539063392/",
            "contentUrl":"https://live.staticflickr.com/4876/45539063392_2c5a0e4a1b_b.jpg"}</script>
        </head><body></body></html>"#;
    let found = read(html, "https://example.org/mirror/45539063392", "text/html");
    assert_eq!(ids(&found), ["flickr:45539063392"], "both are one item");
    let photo = &found.items[0];
    assert_eq!(photo.source, Source::JsonLd, "the richer description wins");
    assert_eq!(
        photo.page_url.as_deref(),
        Some("https://www.flickr.com/photos/cnes/45539063392/")
    );
}

#[test]
fn a_sitemap_video_with_only_a_player_is_the_platform_video() {
    let found = read(
        VIDEO_SITEMAP,
        "https://medias.cnes.fr/video-sitemap.xml",
        "application/xml",
    );
    assert_eq!(
        ids(&found),
        [
            "https://medias.cnes.fr/videos/VS20_lancement_1080p.mp4",
            "youtube:VS20cso1xyz",
            "https://medias.cnes.fr/podcasts/cso1-interview.mp3",
        ]
    );
}

#[test]
fn a_youtube_watch_page_in_open_graph_is_the_youtube_video() {
    let html = r#"<html><head>
        <meta property="og:title" content="VS20 launch">
        <meta property="og:video" content="https://www.youtube.com/embed/VS20cso1xyz">
        </head><body><p>Watch the launch.</p></body></html>"#;
    let found = read(html, "https://cnes.fr/en/vs20", "text/html");
    assert_eq!(ids(&found), ["youtube:VS20cso1xyz"]);
}

#[test]
fn a_seed_release_gives_itself_its_hashtags_and_its_links() {
    let text = "Next Soyuz mission\n\nPhotos: https://www.flickr.com/photos/cnes/albums/72157704555614144\n\n#CSO #VS20\n";
    let found = registry()
        .extract(&page(text, "file:///pr208.txt", "text/plain", Role::Seed))
        .expect("a release");
    assert_eq!(found.items.len(), 1);
    assert_eq!(found.items[0].kind, Kind::Article);
    assert_eq!(found.hashtags, ["CSO", "VS20"]);
    assert_eq!(
        found.links.iter().map(Url::as_str).collect::<Vec<_>>(),
        ["https://www.flickr.com/photos/cnes/albums/72157704555614144"]
    );
    let linked = registry()
        .extract(&page(
            text,
            "https://cnes.fr/pr208",
            "text/plain",
            Role::Linked,
        ))
        .expect("a release");
    assert!(
        linked.items.is_empty() && linked.hashtags.is_empty(),
        "a linked page's hashtags name no campaign"
    );
}

#[test]
fn what_no_source_can_read_is_none_and_the_crawl_decides() {
    assert_eq!(
        registry().extract(&page(
            "\u{89}PNG",
            "https://cnes.fr/a",
            "image/png",
            Role::Linked
        )),
        None
    );
}

#[test]
fn claims_go_to_the_source_that_reads_the_url_itself() {
    let registry = registry();
    let claimant = |url: &str| {
        registry
            .claimant(&Url::parse(url).unwrap())
            .map(super::Source::id)
    };
    assert_eq!(
        claimant("https://www.flickr.com/photos/cnes/albums/72157704555614144"),
        Some(Source::Flickr)
    );
    assert_eq!(
        claimant("https://www.youtube.com/watch?v=VS20cso1xyz"),
        Some(Source::Oembed)
    );
    assert_eq!(claimant("https://cnes.fr/en/live"), None);
    assert_eq!(
        claimant("https://videotheque.cnes.fr/index.php?urlaction=commande&id_panier=4378"),
        None,
        "a library's pages are fetched, then read by the library's source alone"
    );
}

/// A source that takes its time over every page, to stand for a trap the caps miss.
struct Slow;

impl super::Source for Slow {
    fn id(&self) -> Source {
        Source::Gallery
    }

    fn read_html(&self, _: &super::HtmlPage<'_>) -> Extracted {
        std::thread::sleep(std::time::Duration::from_millis(1_500));
        Extracted::default()
    }
}

#[tokio::test]
async fn a_document_that_takes_too_long_to_read_is_given_up() {
    let registry = std::sync::Arc::new(
        Registry::new(vec![Box::new(Slow)]).with_deadline(std::time::Duration::from_millis(50)),
    );
    let page = page(
        "<html><body>x</body></html>",
        "https://cnes.fr/",
        "text/html",
        Role::Linked,
    );
    let failure = registry.extract_off_thread(page).await.unwrap_err();
    assert_eq!(failure.kind, crate::failure::FailureKind::TooComplex);
}

#[test]
fn a_page_past_the_caps_is_read_up_to_them_and_says_so() {
    let links: String = (0..super::bounds::MAX_LINKS + 5)
        .map(|i| format!(r#"<a href="https://cnes.fr/p/{i}">{i}</a>"#))
        .collect();
    let found = read(
        &format!("<html><body><article>{links}</article></body></html>"),
        "https://cnes.fr/",
        "text/html",
    );
    assert_eq!(found.links.len(), super::bounds::MAX_LINKS);
    assert!(found.capped.contains(&crate::model::Cap::Links));
    let deep = format!(
        "<html><body>{}<video src=\"https://cnes.fr/v.mp4\"></video></body></html>",
        "<section>".repeat(2_000)
    );
    let found = read(&deep, "https://cnes.fr/", "text/html");
    assert!(found.capped.contains(&crate::model::Cap::Depth));
    assert!(
        found.items.is_empty(),
        "what came after the cut is not read"
    );
}

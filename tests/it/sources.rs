//! Every kind of source a press release links to, crawled end to end from the fixture site:
//! an Opsis video library, the Flickr API, a YouTube link and a page of embedded players
//! (oEmbed), a press-kit gallery, a podcast feed and a video sitemap.

use crate::common;

use serde_json::Value;
use std::path::Path;

use archive_test_support::site::{Links, Site};
use common::cli::{archive, assert_ok, everything, find, stderr};

fn of_source<'a>(items: &'a [Value], source: &str) -> Vec<&'a Value> {
    items.iter().filter(|i| i["source"] == source).collect()
}

#[test]
fn a_release_linking_to_every_kind_of_source_finds_them_all() {
    let site = Site::start(Links::Loopback);
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    let release = site.url("press.cnes.example", "/en/cso-1-media-kit");
    let env = [
        ("FLICKR_API_KEY", "test-key".to_string()),
        ("FLICKR_API_URL", site.base("api.flickr.com")),
        (
            "ARCHIVE_OEMBED_YOUTUBE_URL",
            format!("{}/oembed", site.base("www.youtube.com")),
        ),
        (
            "ARCHIVE_OEMBED_VIMEO_URL",
            format!("{}/api/oembed.json", site.base("vimeo.com")),
        ),
        (
            "ARCHIVE_OEMBED_DAILYMOTION_URL",
            format!("{}/services/oembed", site.base("www.dailymotion.com")),
        ),
    ];
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let args = [
        "crawl",
        release.as_str(),
        "--index",
        index.to_str().unwrap(),
        "--delay",
        "0",
    ];
    let output = archive(&args, &env);
    assert_ok(&output);
    let summary = stderr(&output);
    assert!(!summary.contains("Could not read"), "{summary}");
    let items = everything(&index);

    // The video library: every record of the basket's three pages, its file from the
    // player's answer, one item per record even though the listing describes it too.
    let library = of_source(&items, "library");
    assert_eq!(library.len(), 4, "{library:#?}");
    let origin = site.base("videotheque.cnes.example");
    let record = find(
        &items,
        &format!("{origin}/index.php?urlaction=doc&id_doc=25313"),
    );
    assert_eq!(
        record["title"],
        "Transfert de CSO-1 vers l'ensemble de lancement"
    );
    assert_eq!(record["kind"], "video");
    assert_eq!(record["duration_seconds"], 125);
    assert_eq!(
        record["creator"],
        "CNES/ESA/Arianespace/Optique Vidéo du CSG - P. Baudon"
    );
    assert_eq!(record["campaigns"], serde_json::json!(["CSO", "VS20"]));
    let with_file = find(
        &items,
        &format!("{origin}/index.php?urlaction=doc&id_doc=25312"),
    );
    assert_eq!(
        with_file["media_url"],
        format!("{origin}/videos/25312_vis.mp4")
    );

    // The Flickr API, as before.
    assert_eq!(find(&items, "flickr:46452147131")["source"], "flickr");

    // A link to YouTube and the players on a page: described by their platforms.
    let youtube = find(&items, "youtube:VS20cso1xyz");
    assert_eq!(youtube["source"], "oembed");
    assert_eq!(youtube["title"], "Soyuz VS20 launch with CSO-1");
    assert_eq!(youtube["creator"], "CNES");
    assert_eq!(find(&items, "vimeo:305742410")["kind"], "video");
    assert_eq!(find(&items, "dailymotion:x6z8k2a")["kind"], "video");

    // The press kit: photos with their credit lines, the HD file the thumbnail links to.
    let gallery = of_source(&items, "gallery");
    assert!(gallery.len() >= 3, "{gallery:#?}");
    let hd = gallery
        .iter()
        .find(|i| {
            i["media_url"]
                .as_str()
                .is_some_and(|u| u.ends_with("VS20_decollage_HD.jpg"))
        })
        .expect("the linked HD version");
    assert!(
        hd["creator"].as_str().is_some_and(|c| c.contains("CNES")),
        "{hd}"
    );

    // The podcast feed: sound is a kind of its own.
    let podcast = find(&items, "https://cnes.fr/podcasts/audio/vs20-cso-1.mp3");
    assert_eq!(podcast["kind"], "audio");
    assert_eq!(podcast["source"], "feed");

    // The video sitemap.
    let from_sitemap = find(
        &items,
        "https://medias.cnes.fr/videos/VS20_lancement_1080p.mp4",
    );
    assert_eq!(from_sitemap["source"], "sitemap");
    assert_eq!(from_sitemap["title"], "Lancement de CSO-1 par Soyuz VS20");

    for item in &items {
        assert!(
            item["campaigns"].as_array().is_some_and(|c| !c.is_empty()),
            "{} has no campaign",
            item["id"]
        );
    }
}

#[test]
fn sitemaps_listed_by_robots_txt_are_read_only_when_asked() {
    let sitemap =
        std::fs::read_to_string(common::fixture_path("sitemap/video_sitemap.xml")).unwrap();
    let server = archive_test_support::server::TestServer::start(move |request| {
        use archive_test_support::server::Reply;
        match request.path.as_str() {
            "/robots.txt" => Reply::ok(
                "text/plain",
                "User-agent: *\nAllow: /\nSitemap: /sitemaps/video.xml\n",
            ),
            "/release.html" => Reply::ok(
                "text/html",
                r#"<html><head><link rel="alternate" type="application/rss+xml" href="/news.rss"></head>
                <body><article><h1>VS20</h1><p>#VS20</p></article></body></html>"#,
            ),
            "/news.rss" => Reply::ok(
                "application/rss+xml",
                r#"<rss version="2.0"><channel><title>News</title><item><title>Launch film</title>
                <link>https://cnes.example/film</link>
                <enclosure url="https://cnes.example/film.mp4" type="video/mp4" length="1"/></item></channel></rss>"#,
            ),
            "/sitemaps/video.xml" => Reply::ok("application/xml", sitemap.clone()),
            _ => Reply::not_found(),
        }
    });
    let release = server.url("/release.html");
    let dir = tempfile::tempdir().unwrap();
    let (plain, with_sitemaps) = (dir.path().join("plain"), dir.path().join("sitemaps"));
    let crawl = |index: &Path, extra: &[&str]| {
        let mut args = vec![
            "crawl",
            release.as_str(),
            "--index",
            index.to_str().unwrap(),
            "--depth",
            "0",
        ];
        args.extend_from_slice(extra);
        assert_ok(&archive(&args, &[]));
        everything(index)
    };
    let without = crawl(&plain, &[]);
    assert!(of_source(&without, "sitemap").is_empty());
    assert_eq!(
        find(&without, "https://cnes.example/film.mp4")["source"],
        "feed",
        "an announced feed is read even at depth 0"
    );
    let with = crawl(&with_sitemaps, &["--sitemaps"]);
    assert!(!of_source(&with, "sitemap").is_empty());
    assert_eq!(server.hits_on("/sitemaps/video.xml"), 1);
}

//! The platforms an agency publishes to, crawled end to end from the fixture site: a release
//! like CNES's linking to a Flickr album, a YouTube playlist, a Dailymotion video, a Commons
//! category and a NASA asset, and discovery of the campaign's media in the accounts it
//! leads to. Each platform's own paging, errors and quotas are tested beside its module.

use crate::common;

use std::collections::HashSet;
use std::path::Path;
use std::process::Output;
use std::sync::{Arc, Mutex};

use serde_json::{Value, json};

use archive::fetch::{FetchConfig, Fetcher, Purpose};
use archive::model::Item;
use archive::sources::flickr::{CallLimits, FlickrClient, FlickrConfig, FlickrSource};
use archive::sources::{Context, Registry, Source};
use archive_test_support::server::{Reply, TestServer};
use archive_test_support::site::{Links, Site};
use common::album::{self, Album};
use common::cli::{archive, assert_ok, everything, find, ids, stderr, stdout};

const RELEASE: &str = "/en/cso-1-on-every-platform";

/// Every platform's endpoint on the fixture site, with keys for those that need one.
fn platform_env(site: &Site) -> Vec<(&'static str, String)> {
    vec![
        ("FLICKR_API_KEY", "test-key".into()),
        ("FLICKR_API_URL", site.base("api.flickr.com")),
        ("YOUTUBE_API_KEY", "test-key".into()),
        (
            "ARCHIVE_YOUTUBE_API_URL",
            format!("{}/youtube/v3", site.base("www.googleapis.com")),
        ),
        (
            "ARCHIVE_YOUTUBE_FEED_URL",
            format!("{}/feeds/videos.xml", site.base("www.youtube.com")),
        ),
        ("ARCHIVE_YOUTUBE_WEB_URL", site.base("www.youtube.com")),
        (
            "ARCHIVE_OEMBED_YOUTUBE_URL",
            format!("{}/oembed", site.base("www.youtube.com")),
        ),
        (
            "ARCHIVE_DAILYMOTION_API_URL",
            site.base("api.dailymotion.com"),
        ),
        ("ARCHIVE_VIMEO_API_URL", site.base("api.vimeo.com")),
        ("ARCHIVE_VIMEO_WEB_URL", site.base("vimeo.com")),
        (
            "ARCHIVE_COMMONS_API_URL",
            format!("{}/w/api.php", site.base("commons.wikimedia.org")),
        ),
        ("ARCHIVE_CONTACT", "press-desk@example.org".into()),
        ("ARCHIVE_NASA_API_URL", site.base("images-api.nasa.gov")),
        (
            "ARCHIVE_OEMBED_DAILYMOTION_URL",
            format!("{}/services/oembed", site.base("www.dailymotion.com")),
        ),
        (
            "ARCHIVE_OEMBED_VIMEO_URL",
            format!("{}/api/oembed.json", site.base("vimeo.com")),
        ),
    ]
}

fn crawl(site: &Site, index: &Path, seed: &str, extra: &[&str]) -> Output {
    let env = platform_env(site);
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let mut args = vec![
        "crawl",
        seed,
        "--index",
        index.to_str().unwrap(),
        "--delay",
        "0",
    ];
    args.extend_from_slice(extra);
    archive(&args, &env)
}

fn of_source<'a>(items: &'a [Value], source: &str) -> Vec<&'a str> {
    let mut found: Vec<&str> = items
        .iter()
        .filter(|i| i["source"] == source)
        .filter_map(|i| i["id"].as_str())
        .collect();
    found.sort_unstable();
    found
}

#[test]
fn one_crawl_of_a_release_reads_every_platform_it_links_and_discovers_in_its_accounts() {
    let site = Site::start(Links::Loopback);
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    let report = dir.path().join("report.json");
    let release = site.url("press.cnes.example", RELEASE);
    let output = crawl(
        &site,
        &index,
        release.as_str(),
        &["--report", report.to_str().unwrap()],
    );
    assert_ok(&output);
    let summary = stderr(&output);
    let items = everything(&index);

    assert_eq!(
        of_source(&items, "flickr"),
        [
            "flickr:45539063392",
            "flickr:46401960481",
            "flickr:46401960491",
            "flickr:46452147121",
            "flickr:46452147131",
            "flickr:46512345671",
            "flickr:46512345691"
        ],
        "the album's five and two found in the account by discovery"
    );
    assert_eq!(
        of_source(&items, "youtube"),
        [
            "youtube:CSO1cleanrm",
            "youtube:VS20cso1xyz",
            "youtube:VS20fairing",
            "youtube:VS20recap01"
        ]
    );
    assert_eq!(
        of_source(&items, "dailymotion"),
        ["dailymotion:x8vs20a", "dailymotion:x8vs20b"]
    );
    assert_eq!(
        of_source(&items, "commons"),
        [
            "commons:CSO-1_fairing.jpg",
            "commons:Soyuz_VS20_launch.webm",
            "commons:Soyuz_VS20_liftoff.jpg"
        ]
    );
    assert_eq!(of_source(&items, "nasa"), ["nasa:iss057e114297"]);
    for item in &items {
        assert_eq!(
            item["campaigns"],
            json!(["CSO", "VS20"]),
            "{} has the release's campaigns",
            item["id"]
        );
    }

    // Credits, licences and durations, as each platform states them.
    let expect = |id: &str, creator: &str, license: Value, duration: Value| {
        let item = find(&items, id);
        assert_eq!(item["creator"], creator, "{id}");
        assert_eq!(item["license"], license, "{id}");
        assert_eq!(item["duration_seconds"], duration, "{id}");
    };
    expect(
        "flickr:45539063392",
        "CNES",
        json!("CC BY 2.0"),
        Value::Null,
    );
    expect(
        "youtube:VS20fairing",
        "CNES",
        json!("YouTube Standard License (all rights reserved)"),
        json!(45),
    );
    expect("dailymotion:x8vs20a", "CNES", Value::Null, json!(221));
    expect(
        "commons:Soyuz_VS20_launch.webm",
        "ESA/CNES/Arianespace",
        json!("CC BY-SA 3.0 igo"),
        json!(102),
    );
    expect(
        "nasa:iss057e114297",
        "NASA JSC",
        json!(
            "United States Government Work (NASA media guidelines: not copyrighted unless noted)"
        ),
        Value::Null,
    );
    assert_eq!(
        find(&items, "commons:Soyuz_VS20_liftoff.jpg")["width"],
        5514
    );
    assert_eq!(find(&items, "nasa:iss057e114297")["reusable"], true);

    // The same video through the playlist, an embedded player and a sitemap is one item,
    // described by the platform's API.
    let launch: Vec<&Value> = items
        .iter()
        .filter(|i| i["id"] == "youtube:VS20cso1xyz")
        .collect();
    assert_eq!(launch.len(), 1);
    assert_eq!(launch[0]["source"], "youtube");
    assert_eq!(launch[0]["duration_seconds"], 103);
    assert_eq!(launch[0]["license"], "CC BY 3.0");
    assert!(
        !ids(&items).iter().any(|id| id.contains("vs20-on-youtube")),
        "the player's page is not an item of its own: {:?}",
        ids(&items)
    );

    // Discovery: in the accounts the release led to, never elsewhere.
    let found = find(&items, "flickr:46512345671");
    assert_eq!(
        found["discovery"],
        json!([{"via": "discovery", "platform": "flickr", "account": "cnes",
                "account_url": "https://www.flickr.com/photos/cnes/", "tag": "vs20"}])
    );
    assert_eq!(
        find(&items, "flickr:46512345691")["discovery"][0]["tag"],
        "vs20",
        "a machine tag"
    );
    assert_eq!(
        find(&items, "flickr:45539063392")["discovery"],
        json!([]),
        "linked, not discovered"
    );
    assert_eq!(
        find(&items, "youtube:VS20recap01")["discovery"][0]["account"],
        "CNES"
    );
    assert_eq!(
        find(&items, "dailymotion:x8vs20b")["discovery"][0]["platform"],
        "dailymotion"
    );
    for elsewhere in [
        "flickr:46599999991",
        "dailymotion:x9other",
        "youtube:VS21rehears",
    ] {
        assert!(
            !ids(&items).contains(&elsewhere.to_string()),
            "{elsewhere} was found"
        );
    }
    let show = archive(
        &[
            "show",
            "flickr:46512345671",
            "--index",
            index.to_str().unwrap(),
        ],
        &[],
    );
    assert_ok(&show);
    assert!(
        stdout(&show).contains("by searching the Flickr account cnes (https://www.flickr.com/photos/cnes/) for the tag vs20"),
        "{}",
        stdout(&show)
    );

    // Each platform is a source to filter by.
    let youtube = archive(
        &[
            "search",
            "--source",
            "youtube",
            "--json",
            "--index",
            index.to_str().unwrap(),
        ],
        &[],
    );
    assert_ok(&youtube);
    assert_eq!(stdout(&youtube).lines().count(), 4);

    // The summary counts by platform and says what the APIs cost.
    for platform in ["flickr", "youtube", "dailymotion", "commons", "nasa"] {
        assert!(
            summary.contains(&format!("via {platform}")),
            "{platform}: {summary}"
        );
    }
    let report: Value = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    let notes = report["notes"].to_string();
    assert!(
        notes.contains("used 105 of the 10000 quota units"),
        "{notes}"
    );
    assert!(notes.contains("Dailymotion API was called"), "{notes}");
    assert_eq!(report["failures"], json!([]), "{summary}");
}

#[test]
fn no_discover_reads_only_what_the_release_links() {
    let site = Site::start(Links::Loopback);
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    let release = site.url("press.cnes.example", RELEASE);
    assert_ok(&crawl(&site, &index, release.as_str(), &["--no-discover"]));
    let items = everything(&index);
    assert!(items.iter().all(|i| i["discovery"] == json!([])));
    for discovered in [
        "flickr:46512345671",
        "youtube:VS20recap01",
        "dailymotion:x8vs20b",
    ] {
        assert!(
            !ids(&items).contains(&discovered.to_string()),
            "{discovered}"
        );
    }
    let searches = site
        .server
        .hits()
        .into_iter()
        .filter(|h| {
            h.contains("flickr.photos.search")
                || h.contains("/youtube/v3/search")
                || h.contains("owners=")
        })
        .count();
    assert_eq!(searches, 0);
}

#[test]
fn a_commons_subcategory_is_one_level_further() {
    let site = Site::start(Links::Loopback);
    let dir = tempfile::tempdir().unwrap();
    let category = "https://commons.wikimedia.org/wiki/Category:Soyuz_VS20_CSO-1";
    let shallow = dir.path().join("shallow");
    assert_ok(&crawl(&site, &shallow, category, &["--depth", "0"]));
    assert_eq!(everything(&shallow).len(), 3);
    let deep = dir.path().join("deep");
    assert_ok(&crawl(&site, &deep, category, &["--depth", "1"]));
    let items = everything(&deep);
    assert_eq!(items.len(), 4);
    assert_eq!(
        find(&items, "commons:CSO-1_in_the_clean_room.jpg")["collection"],
        "CSO-1 clean room"
    );
}

/// Photos of the album's owner uploaded one a day, all tagged `vs20`, in another album.
const SEARCHABLE: u64 = 30;
const FIRST_UPLOAD: u64 = 1_545_000_000;

/// Answers `flickr.photos.search` as Flickr does: filtered by owner, tags and upload
/// window, paged, `total` as a string, and never more than `cap` results per query.
fn search_answer(request: &archive_test_support::server::Request, cap: u64) -> Reply {
    let param = |name: &str| request.param(name);
    let number = |name: &str| param(name).and_then(|v| v.parse::<u64>().ok());
    let owner_ok = param("user_id").as_deref() == Some(album::NSID);
    let tagged = param("tags").is_some_and(|t| t.split(',').any(|t| t == "vs20"));
    let (min, max) = (
        number("min_upload_date").unwrap_or(0),
        number("max_upload_date").unwrap_or(u64::MAX),
    );
    let matching: Vec<u64> = (0..SEARCHABLE)
        .map(|i| FIRST_UPLOAD + i * 86_400)
        .filter(|t| owner_ok && tagged && (min..max).contains(t))
        .collect();
    let per_page = number("per_page").unwrap_or(100);
    let page = number("page").unwrap_or(1);
    let start = usize::try_from((page - 1) * per_page).unwrap();
    let visible: Vec<u64> = matching
        .iter()
        .copied()
        .take(usize::try_from(cap).unwrap())
        .collect();
    let photos: Vec<String> = visible
        .iter()
        .skip(start)
        .take(usize::try_from(per_page).unwrap())
        .map(|t| {
            format!(
                r#"{{"id":"{id}","owner":"{}","secret":"s","server":"1","title":"Upload {t}","license":"4","dateupload":"{t}","ownername":"CNES","tags":"vs20 kourou","machine_tags":"","media":"photo","pathalias":"cnes","url_q":"https:\/\/live.staticflickr.com\/1\/{id}_s_q.jpg","width_q":"150","height_q":150}}"#,
                album::NSID,
                id = 9_000_000_000 + t
            )
        })
        .collect();
    let pages = (visible.len() as u64).div_ceil(per_page);
    Reply::ok(
        "application/json",
        format!(
            r#"{{"photos":{{"page":{page},"pages":{pages},"perpage":{per_page},"total":"{}","photo":[{}]}},"stat":"ok"}}"#,
            matching.len(),
            photos.join(",")
        ),
    )
}

#[tokio::test]
async fn a_discovery_search_past_flickrs_cap_is_split_by_upload_date() {
    const CAP: u64 = 10;
    let shared = Arc::new(Mutex::new(Album::new(1..=3)));
    let server = TestServer::start(move |request| match request.param("method").as_deref() {
        Some("flickr.photos.search") => search_answer(request, CAP),
        _ => album::api(&shared, request),
    });
    let config = FlickrConfig::from_values(Some("test-key"), Some(&server.origin())).unwrap();
    let fetcher = Fetcher::live(FetchConfig::default()).unwrap();
    let client = FlickrClient::new(fetcher.clone(), config).with_limits(CallLimits {
        per_page: 4,
        search_cap: u32::try_from(CAP).unwrap(),
        ..CallLimits::default()
    });
    let source = FlickrSource::with_client(client);
    let url = url::Url::parse(&format!(
        "https://www.flickr.com/photos/cnes/albums/{}",
        album::ALBUM
    ))
    .unwrap();
    let campaigns = vec!["VS20".to_string()];
    let mut items: Vec<Item> = Vec::new();
    let registry = Arc::new(Registry::new(Vec::new()));
    let mut cx = Context::new(
        &fetcher,
        registry,
        Purpose::Page,
        None,
        &campaigns,
        &mut items,
    );
    let reading = source.read(&url, &mut cx).await.expect("the album is read");
    let discovered: HashSet<&str> = items
        .iter()
        .filter(|i| !i.discovery.is_empty())
        .map(|i| i.id.as_str())
        .collect();
    assert_eq!(
        discovered.len() as u64,
        SEARCHABLE,
        "every photo, past the cap of {CAP}"
    );
    let windows = server
        .hits()
        .iter()
        .filter(|h| h.contains("flickr.photos.search") && h.contains("min_upload_date"))
        .count();
    assert!(windows >= 4, "split into upload windows: {windows}");
    assert!(
        reading.notices.iter().any(|n| n.count as u64 == SEARCHABLE),
        "{:?}",
        reading.notices
    );
}

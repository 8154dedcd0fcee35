//! The `archive` binary end to end: crawl the fixture site over loopback, then search.
//!
//! Test themes:
//! - the built-in demo and the README's quick start;
//! - crawling releases from URLs and files, one document per item, recrawls;
//! - WARC recording checked by warcio, and replay;
//! - bad input: clear errors, no panics.

use crate::common;

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use archive_test_support::site::{self, Links, Site};
use common::cli::{archive, assert_ok, contents, find, ids, search, stderr, stdout, totals};

const RELEASE: &str = "/en/next-soyuz-mission-csg-launch-cso-1-satellite";
const ALBUM_IDS: [&str; 5] = [
    "flickr:45539063392",
    "flickr:46452147121",
    "flickr:46452147131",
    "flickr:46401960481",
    "flickr:46401960491",
];
/// Photos of the album's owner, in another album, tagged with the campaign: found by
/// discovery.
const DISCOVERED_IDS: [&str; 2] = ["flickr:46512345671", "flickr:46512345691"];

fn flickr_env(site: &Site) -> [(&'static str, String); 2] {
    [
        ("FLICKR_API_KEY", "test-key".to_string()),
        ("FLICKR_API_URL", site.base("api.flickr.com")),
    ]
}

fn crawl_url(site: &Site, index: &Path, seeds: &[&str], extra: &[&str]) -> Output {
    let env = flickr_env(site);
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let mut args = vec!["crawl", "--index", index.to_str().unwrap(), "--delay", "0"];
    args.extend_from_slice(seeds);
    args.extend_from_slice(extra);
    archive(&args, &env)
}

#[test]
fn crawling_a_release_finds_its_campaign_media_field_by_field() {
    let site = Site::start(Links::Loopback);
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    let release = site.url("press.cnes.example", RELEASE);
    let output = crawl_url(&site, &index, &[release.as_str()], &[]);
    assert_ok(&output);
    let summary = stderr(&output);
    assert!(summary.contains("#CSO #VS20"), "{summary}");
    assert_eq!(stdout(&output), "", "stdout stays clean for scripts");
    assert_eq!(totals(&summary), [11, 0, 0, 0], "{summary}");

    let items = search(&index, "vs20");
    let mut expected: Vec<String> = ALBUM_IDS
        .iter()
        .chain(&DISCOVERED_IDS)
        .map(|s| s.to_string())
        .collect();
    let media = site.base("media.cnes.example");
    let press = site.base("press.cnes.example");
    expected.extend([
        format!("{media}/media/cso-1-clean-room_HD.jpg"),
        format!("{media}/media/vs20-highlights.mp4"),
        format!("{media}/media/vs20-liftoff_HD.mp4"),
        format!("{press}{RELEASE}"),
    ]);
    expected.sort();
    assert_eq!(ids(&items), expected);

    let liftoff = find(&items, "flickr:45539063392");
    assert_eq!(liftoff["kind"], "photo");
    assert_eq!(liftoff["title"], "Lancement de Soyuz VS20 avec CSO-1");
    assert_eq!(liftoff["creator"], "CNES");
    assert_eq!(liftoff["license"], "CC BY 2.0");
    assert_eq!(
        liftoff["license_url"],
        "https://creativecommons.org/licenses/by/2.0/"
    );
    assert_eq!(
        liftoff["taken_at"], "2018-12-18T13:37:14",
        "the camera's local time, as Flickr gives it, without a zone"
    );
    assert_eq!(
        liftoff["media_url"],
        "https://live.staticflickr.com/4876/45539063392_8d7c6b5a41_o.jpg"
    );
    assert_eq!(liftoff["width"], 5472);
    assert_eq!(liftoff["height"], 3648);
    assert_eq!(
        liftoff["page_url"],
        "https://www.flickr.com/photos/cnes/45539063392/"
    );
    assert_eq!(liftoff["source"], "flickr");
    assert_eq!(liftoff["collection"], "CSO-1 – Soyuz VS20");
    assert_eq!(liftoff["campaigns"], serde_json::json!(["CSO", "VS20"]));
    assert_eq!(
        liftoff["found_via"],
        serde_json::json!([format!("{press}{RELEASE}")])
    );
    assert_eq!(
        liftoff["thumbnail_url"], "https://live.staticflickr.com/4876/45539063392_3b5c2a1f9e_q.jpg",
        "the feed's sighting of the same photo merged in without overriding the API"
    );

    let video = find(&items, "flickr:46452147131");
    assert_eq!(video["kind"], "video");
    assert_eq!(video["duration_seconds"], 94);

    let clean_room = find(&items, &format!("{media}/media/cso-1-clean-room_HD.jpg"));
    assert_eq!(clean_room["source"], "feed");
    assert_eq!(
        clean_room["creator"],
        "CNES/ESA/Arianespace/Optique Vidéo du CSG - S. Martin"
    );
    assert_eq!(clean_room["width"], 5472);
    assert_eq!(
        clean_room["description"],
        "The CSO-1 satellite in the S3B clean room, 4 December 2018."
    );

    let liftoff_video = find(&items, &format!("{media}/media/vs20-liftoff_HD.mp4"));
    assert_eq!(liftoff_video["kind"], "video");
    assert_eq!(liftoff_video["source"], "jsonld");
    assert_eq!(liftoff_video["duration_seconds"], 185);
    assert_eq!(liftoff_video["license"], "CC BY-NC-ND 4.0");

    let article = find(&items, &format!("{press}{RELEASE}"));
    assert_eq!(article["kind"], "article");
    assert_eq!(
        article["title"],
        "Next Soyuz mission from CSG to launch CSO-1 satellite"
    );
    assert_eq!(article["published_at"], "2018-12-14T09:00:00+01:00");
    assert_eq!(
        article["thumbnail_url"],
        format!("{press}/sites/default/files/styles/large/public/cso-1_integration.jpg")
    );

    for item in &items {
        for field in [
            "title",
            "description",
            "creator",
            "license",
            "collection",
            "media_url",
        ] {
            assert_ne!(
                item[field], "",
                "{field} of {} is an empty string",
                item["id"]
            );
        }
    }
    assert_eq!(
        site.server
            .hits_on("/press.cnes.example/files/cso-press-kit.pdf"),
        0,
        "downloads are not fetched"
    );
    assert_eq!(
        site.server.hits_on("/robots.txt"),
        1,
        "robots.txt is read once per host"
    );
}

#[test]
fn campaigns_lists_every_campaign_with_its_count_as_json() {
    let site = Site::start(Links::Loopback);
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    let release = site.url("press.cnes.example", RELEASE);
    assert_ok(&crawl_url(
        &site,
        &index,
        &[release.as_str()],
        &["--campaign", "Launches2018"],
    ));
    let output = archive(
        &["campaigns", "--json", "--index", index.to_str().unwrap()],
        &[],
    );
    assert_ok(&output);
    let lines: Vec<Value> = stdout(&output)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let counts: Vec<Value> = lines
        .iter()
        .map(|l| serde_json::json!({"campaign": l["campaign"], "items": l["items"]}))
        .collect();
    assert_eq!(
        counts,
        [
            serde_json::json!({"campaign": "CSO", "items": 11}),
            serde_json::json!({"campaign": "Launches2018", "items": 11}),
            serde_json::json!({"campaign": "VS20", "items": 11}),
        ]
    );
    // Each campaign also tells its dates, sources and seed releases.
    let press = site.base("press.cnes.example");
    for line in &lines {
        assert_eq!(line["first_date"], "2018-12-04T13:15:00Z", "{line}");
        assert_eq!(line["last_date"], "2019-01-08T09:00:00Z", "{line}");
        assert_eq!(
            line["sources"],
            serde_json::json!(["feed", "flickr", "jsonld", "release"])
        );
        assert_eq!(
            line["found_via"],
            serde_json::json!([format!("{press}{RELEASE}")])
        );
    }
}

#[test]
fn a_saved_release_and_a_second_release_reaching_the_same_items_make_one_document_each() {
    let site = Site::start(Links::Loopback);
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    // The release saved from the browser, with its links pointing at the (loopback) site.
    let saved = dir.path().join("pr208.html");
    let page = std::fs::read_to_string(
        site::site_root()
            .join("press.cnes.example")
            .join(&RELEASE[1..]),
    )
    .unwrap();
    std::fs::write(
        &saved,
        site::expand(&page, Links::Loopback, &site.server.origin()),
    )
    .unwrap();
    // A second release, pasted as Markdown, with another campaign and a link to the same feed.
    let pasted = dir.path().join("pr209.md");
    let feed = site.url("media.cnes.example", "/feeds/vs20.rss");
    std::fs::write(
        &pasted,
        format!("# CSO-1: first images\n\nParis, 20 December 2018\n\nSee the [campaign feed]({feed}).\n\n#Helios\n"),
    )
    .unwrap();
    let output = crawl_url(
        &site,
        &index,
        &[saved.to_str().unwrap(), pasted.to_str().unwrap()],
        &[],
    );
    assert_ok(&output);

    let all = search(&index, "");
    let mut unique = ids(&all);
    unique.dedup();
    assert_eq!(unique.len(), all.len(), "one document per item");
    assert_eq!(
        all.len(),
        12,
        "11 items of PR208 (2 by discovery) and the pasted release itself: {:?}",
        ids(&all)
    );

    let both = find(&all, "flickr:45539063392");
    assert_eq!(
        both["campaigns"],
        serde_json::json!(["CSO", "Helios", "VS20"]),
        "campaigns are the union"
    );
    let press = site.base("press.cnes.example");
    let pasted_url = url::Url::from_file_path(&pasted).unwrap().to_string();
    assert_eq!(
        both["found_via"],
        serde_json::json!([pasted_url, format!("{press}{RELEASE}")])
    );
    let only_album = find(&all, "flickr:46452147121");
    assert_eq!(only_album["campaigns"], serde_json::json!(["CSO", "VS20"]));
    assert_eq!(
        search(&index, "helios").len(),
        4,
        "the feed's three items and the release"
    );
}

#[test]
fn a_recrawl_adds_no_duplicates_and_says_nothing_changed() {
    let site = Site::start(Links::Loopback);
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    let release = site.url("press.cnes.example", RELEASE);
    assert_ok(&crawl_url(&site, &index, &[release.as_str()], &[]));
    let first = search(&index, "");
    let again = crawl_url(&site, &index, &[release.as_str()], &[]);
    assert_ok(&again);
    assert_eq!(totals(&stderr(&again)), [0, 0, 9, 0], "{}", stderr(&again));
    assert_eq!(contents(search(&index, "")), contents(first));
}

#[test]
fn the_demo_crawls_offline_and_finds_the_campaign() {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    let output = archive(&["crawl", "--index", index.to_str().unwrap()], &[]);
    assert_ok(&output);
    assert!(stderr(&output).contains("synthetic CSO/VS20 campaign"));
    let items = search(&index, "vs20");
    assert_eq!(items.len(), 11, "the release's 9, and 2 found by discovery");
    let article = find(
        &items,
        "https://press.cnes.example/en/next-soyuz-mission-csg-launch-cso-1-satellite",
    );
    assert_eq!(article["campaigns"], serde_json::json!(["CSO", "VS20"]));
    assert_eq!(find(&items, "flickr:46452147131")["duration_seconds"], 94);

    let table = archive(&["search", "vs20", "--index", index.to_str().unwrap()], &[]);
    assert_ok(&table);
    let text = stdout(&table);
    assert!(
        text.starts_with("11 items (7 photos, 3 videos, 1 article) in VS20, CSO\n"),
        "{text}"
    );
    assert!(text.contains("CNES · CC BY-SA 2.0"), "{text}");
    assert!(
        text.contains("  https://www.flickr.com/photos/cnes/46452147121/"),
        "{text}"
    );
}

#[test]
fn the_index_comes_from_the_environment_when_no_flag_is_given() {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("from-env");
    let env = [("ARCHIVE_INDEX", index.to_str().unwrap())];
    assert_ok(&archive(&["crawl"], &env));
    assert!(index.join("meta.json").is_file());
    let output = archive(&["campaigns"], &env);
    assert_ok(&output);
    assert!(stdout(&output).contains("VS20"));
}

#[test]
fn a_recorded_crawl_passes_warcio_and_replays_to_the_same_items() {
    let site = Site::start(Links::Loopback);
    let dir = tempfile::tempdir().unwrap();
    let warc = dir.path().join("pr208.warc");
    let live_index = dir.path().join("live");
    let release = site.url("press.cnes.example", RELEASE);
    assert_ok(&crawl_url(
        &site,
        &live_index,
        &[release.as_str()],
        &["--record", warc.to_str().unwrap()],
    ));

    for args in [["check", "-v"].as_slice(), ["index"].as_slice()] {
        let warcio = Command::new("warcio").args(args).arg(&warc).output();
        let warcio = warcio.expect("warcio is installed (pip install warcio)");
        assert!(
            warcio.status.success(),
            "warcio {args:?}: {}",
            String::from_utf8_lossy(&warcio.stderr)
        );
        let text = String::from_utf8_lossy(&warcio.stdout);
        if args[0] == "check" {
            assert!(!text.contains("digest fail"), "{text}");
            assert!(text.matches("digest pass").count() >= 20, "{text}");
        } else {
            assert!(
                text.contains(&format!("\"warc-target-uri\": \"{release}\"")),
                "{text}"
            );
            assert!(
                text.contains("api_key=REDACTED"),
                "the key is not written to the file"
            );
        }
    }

    // Replay with the site gone: every answer comes from the file.
    let api = site.base("api.flickr.com");
    drop(site);
    let replay_index = dir.path().join("replayed");
    let output = archive(
        &[
            "crawl",
            release.as_str(),
            "--replay",
            warc.to_str().unwrap(),
            "--index",
            replay_index.to_str().unwrap(),
        ],
        &[("FLICKR_API_URL", &api)],
    );
    assert_ok(&output);
    assert_eq!(
        contents(search(&replay_index, "")),
        contents(search(&live_index, ""))
    );
}

#[test]
fn bad_seeds_are_all_reported_before_anything_is_fetched() {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    let output = archive(
        &[
            "crawl",
            "--index",
            index.to_str().unwrap(),
            "cnes.fr/en/pr208",
            "/no/such/release.html",
            "ftp://cnes.fr/x",
        ],
        &[],
    );
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(err.contains("\"cnes.fr/en/pr208\" is neither an http(s) URL nor an existing file (did you mean https://cnes.fr/en/pr208?)"), "{err}");
    assert!(err.contains("/no/such/release.html"), "{err}");
    assert!(err.contains("only http and https URLs"), "{err}");
    assert!(!err.contains("panicked"));
    assert!(!index.exists(), "nothing was created");
}

#[test]
fn a_seed_that_cannot_be_fetched_fails_the_run_but_not_the_other_seeds() {
    let site = Site::start(Links::Loopback);
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    let missing = site.url("press.cnes.example", "/en/no-such-release");
    let release = site.url("press.cnes.example", RELEASE);
    let output = crawl_url(&site, &index, &[missing.as_str(), release.as_str()], &[]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(stderr(&output).contains("HTTP 404"), "{}", stderr(&output));
    assert_eq!(
        search(&index, "vs20").len(),
        11,
        "the good release was crawled"
    );
}

#[test]
fn search_errors_are_explained() {
    let dir = tempfile::tempdir().unwrap();
    let missing = archive(
        &[
            "search",
            "vs20",
            "--index",
            dir.path().join("none").to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        stderr(&missing).contains("no index at"),
        "{}",
        stderr(&missing)
    );
    assert!(stderr(&missing).contains("run `archive crawl` first"));

    let index = dir.path().join("index");
    assert_ok(&archive(
        &["crawl", "--index", index.to_str().unwrap()],
        &[],
    ));
    for query in [
        "title:(soyuz",
        "\"unclosed",
        "colour:red",
        "-vs20",
        "vs20 AND",
        "*",
    ] {
        let output = archive(
            &["search", "--index", index.to_str().unwrap(), "--", query],
            &[],
        );
        let err = stderr(&output);
        assert!(!err.contains("panicked"), "{query}: {err}");
        if output.status.success() {
            // The query language forgives some slips; it must then still answer sensibly.
            let text = stdout(&output);
            let answered = text.starts_with("No item matches")
                || text
                    .split_once(" item")
                    .is_some_and(|(n, _)| n.parse::<usize>().is_ok());
            assert!(answered, "{query}: {text}");
        } else {
            assert_eq!(output.status.code(), Some(2), "{query}");
            assert!(err.starts_with("archive: "), "{query}: {err}");
        }
    }
    let unknown = archive(
        &["search", "colour:red", "--index", index.to_str().unwrap()],
        &[],
    );
    assert!(
        stderr(&unknown).contains("unknown field `colour:`"),
        "{}",
        stderr(&unknown)
    );
}

#[test]
fn a_broken_pipe_ends_search_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    assert_ok(&archive(
        &["crawl", "--index", index.to_str().unwrap()],
        &[],
    ));
    let mut child = Command::new(env!("CARGO_BIN_EXE_archive"))
        .args([
            "search",
            "vs20",
            "--json",
            "--index",
            index.to_str().unwrap(),
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(stderr(&output), "");
}

#[test]
fn without_a_flickr_key_albums_are_read_from_their_public_feed_and_the_summary_says_so() {
    let site = Site::start(Links::Loopback);
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    let release = site.url("press.cnes.example", RELEASE);
    let (web, api) = (site.base("www.flickr.com"), site.base("api.flickr.com"));
    let env = [
        ("FLICKR_WEB_URL", web.as_str()),
        ("FLICKR_API_URL", api.as_str()),
    ];
    let args = [
        "crawl",
        "--index",
        index.to_str().unwrap(),
        "--delay",
        "0",
        release.as_str(),
    ];
    let linked = archive(&args, &env);
    assert_ok(&linked);
    let summary = stderr(&linked);
    assert!(
        summary.contains(
            "Note: without FLICKR_API_KEY, 2 photos came from Flickr's public album feeds"
        ),
        "{summary}"
    );
    assert_eq!(
        site.server.hits_on("/api.flickr.com/services/rest/"),
        0,
        "no API call without a key"
    );
    assert_eq!(
        site.server
            .hits_on("/www.flickr.com/photos/cnes/albums/72157704555614144"),
        1
    );
    assert_eq!(
        site.server
            .hits_on("/api.flickr.com/services/feeds/photoset.gne"),
        1
    );
    let items = search(&index, "");
    let from_feed = find(&items, "flickr:31628453257");
    assert_eq!(from_feed["source"], "feed");
    assert_eq!(from_feed["campaigns"], serde_json::json!(["CSO", "VS20"]));
    assert_eq!(
        items.len(),
        6,
        "the release, its feed's 3, the video page, and the album feed's new photo"
    );

    let album = "https://www.flickr.com/photos/cnes/albums/72157704555614144";
    let seeded = archive(
        &[
            "crawl",
            "--index",
            index.to_str().unwrap(),
            album,
            "--delay",
            "0",
        ],
        &env,
    );
    assert_ok(&seeded);
    assert!(
        stderr(&seeded).contains("2 photos came from Flickr's public album feeds"),
        "{}",
        stderr(&seeded)
    );
}

#[test]
fn replay_without_seeds_says_what_is_missing() {
    let dir = tempfile::tempdir().unwrap();
    let output = archive(
        &[
            "crawl",
            "--replay",
            "crawl.warc",
            "--index",
            dir.path().to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("--replay needs the seeds"),
        "{}",
        stderr(&output)
    );
}

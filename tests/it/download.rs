//! `archive download`: a campaign's files from a loopback server into a pack, checked with
//! the tools a newsroom would use (`sha256sum -c`, exiftool).

use std::path::PathBuf;

use archive::model::{Item, Kind, MediaSize, Source};
use serde_json::Value;

use crate::common::cli::{archive, assert_ok, stderr, stdout};
use crate::download_support::{
    Files, Served, download, entry, exiftool, file_server, files_under, index, jpeg, manifest, mp4,
    other_jpeg, photo, sha256, sha256sum_check,
};
use crate::search_support::flickr_license;

/// A campaign with what a real one has: repeated titles, a hostile title, a restricted
/// licence, a video file, a YouTube video and the release itself.
fn campaign(origin: &str) -> Vec<Item> {
    let url = |path: &str| format!("{origin}{path}");
    let mut items = vec![
        photo("flickr:1", "Soyuz on the pad", &url("/f/1_o.jpg")),
        photo("flickr:2", "Soyuz on the pad", &url("/f/2_o.jpg")),
        photo(
            "flickr:3",
            "../../etc/passwd\u{7}\u{1b}[31m\u{202e}gpj.exe <script>",
            &url("/f/3_o.jpg"),
        ),
    ];
    flickr_license(&mut items[1], 0); // All Rights Reserved
    let mut video = Item::new(url("/v/liftoff.mp4"), Kind::Video, Source::JsonLd);
    video.title = Some("VS20 lift-off".into());
    video.campaigns = vec!["VS20".into()];
    video.creator = Some("CNES".into());
    video.license = Some("CC BY 4.0".into());
    video.license_url = Some("https://creativecommons.org/licenses/by/4.0/".into());
    video.media_url = Some(url("/v/liftoff.mp4"));
    let mut youtube = Item::new("youtube:dQw4w9WgXcQ", Kind::Video, Source::Oembed);
    youtube.title = Some("VS20 on YouTube".into());
    youtube.campaigns = vec!["VS20".into()];
    youtube.page_url = Some("https://www.youtube.com/watch?v=dQw4w9WgXcQ".into());
    let mut release = Item::new(url("/pr208"), Kind::Article, Source::Release);
    release.title = Some("VS20 press release".into());
    release.campaigns = vec!["VS20".into()];
    items.extend([video, youtube, release]);
    items
}

fn files() -> Files {
    let files: Files = Files::default();
    {
        let mut held = files.lock().unwrap();
        held.insert(
            "/f/1_o.jpg".into(),
            Served::new("image/jpeg", jpeg()).tagged("1"),
        );
        held.insert("/f/2_o.jpg".into(), Served::new("image/jpeg", other_jpeg()));
        held.insert(
            "/f/3_o.jpg".into(),
            Served::new("application/octet-stream", jpeg()),
        );
        held.insert(
            "/v/liftoff.mp4".into(),
            Served::new("video/mp4", mp4()).tagged("v"),
        );
    }
    files
}

fn pack_files(manifest: &Value) -> Vec<String> {
    manifest["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["file"].as_str().map(str::to_string))
        .collect()
}

#[test]
fn a_campaign_becomes_a_credited_checksummed_pack() {
    let files = files();
    let server = file_server(&files);
    let (_dir, index) = index(campaign(&server.origin()));
    let to = tempfile::tempdir().unwrap();
    let pack = to.path().join("pack");

    let output = download(&index, &pack, &["vs20"]);
    assert_ok(&output);
    let summary = stderr(&output);
    assert!(summary.contains("Downloaded 4 files"), "{summary}");
    assert!(summary.contains("2 not downloadable"), "{summary}");
    assert!(
        summary.contains("may not be published without asking"),
        "{summary}"
    );

    let manifest = manifest(&pack);
    let names = pack_files(&manifest);
    assert_eq!(names.len(), 4, "{names:?}");
    for name in &names {
        let file = name.rsplit('/').next().unwrap();
        assert!(name.starts_with("VS20/"), "{name}");
        assert!(file.len() + ".xmp".len() <= 150, "{file}");
        assert!(
            file.chars()
                .all(|c| c.is_alphanumeric() || "-_.".contains(c)),
            "{file:?}"
        );
        assert!(pack.join(name).is_file() && pack.join(format!("{name}.xmp")).is_file());
    }
    // Repeated titles make distinct names; a hostile one stays inside the pack.
    assert_eq!(
        names
            .iter()
            .filter(|n| n.contains("Soyuz-on-the-pad"))
            .count(),
        2
    );
    let hostile = entry(&manifest, "flickr:3")["file"].as_str().unwrap();
    assert_eq!(
        hostile,
        "VS20/2018-12-18_etc-passwd-31m-gpj-exe-script_flickr-3.jpg"
    );
    assert!(
        files_under(to.path())
            .iter()
            .all(|f| f.starts_with("pack/"))
    );
    // The extension follows what arrived, not the URL.
    assert!(
        entry(&manifest, &format!("{}/v/liftoff.mp4", server.origin()))["file"]
            .as_str()
            .unwrap()
            .ends_with(".mp4")
    );

    let youtube = entry(&manifest, "youtube:dQw4w9WgXcQ");
    assert_eq!(youtube["status"], "skipped");
    assert!(youtube["reason"].as_str().unwrap().contains("YouTube"));
    assert_eq!(
        youtube["page_url"],
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    );
    let restricted = entry(&manifest, "flickr:2");
    assert_eq!(
        (
            restricted["status"].as_str(),
            restricted["reusable"].as_bool()
        ),
        (Some("downloaded"), Some(false))
    );
    assert_eq!(entry(&manifest, "flickr:1")["sha256"], sha256(&jpeg()));

    assert_eq!(sha256sum_check(&pack), 4);
    let csv = std::fs::read_to_string(pack.join("manifest.csv")).unwrap();
    assert!(csv.starts_with(
        "id,file,bytes,sha256,media_url,page_url,credit_line,license,license_url,reusable,campaigns,status"
    ));
    assert_eq!(csv.lines().count(), 1 + 6);
    let credits = std::fs::read_to_string(pack.join("CREDITS.md")).unwrap();
    let free = credits
        .find("## CC BY-SA 2.0 — reusable with credit")
        .expect("{credits}");
    let warned = credits
        .find("## Not reusable without asking")
        .expect("{credits}");
    assert!(free < warned, "{credits}");
    assert!(credits.contains("- **NOT REUSABLE** Photo: CNES/ESA/Arianespace – S. Martin · All Rights Reserved · via Flickr"), "{credits}");
    assert!(
        credits.contains("&lt;script&gt;") && !credits.contains("<script>"),
        "{credits}"
    );
}

#[test]
fn exiftool_reads_creator_credit_rights_licence_and_keywords_from_every_sidecar() {
    let files = files();
    let server = file_server(&files);
    let (_dir, index) = index(campaign(&server.origin()));
    let pack = tempfile::tempdir().unwrap();
    assert_ok(&download(&index, pack.path(), &["vs20"]));
    let manifest = manifest(pack.path());
    let sidecars: Vec<PathBuf> = pack_files(&manifest)
        .iter()
        .map(|f| pack.path().join(format!("{f}.xmp")))
        .collect();
    let read = exiftool(&sidecars);
    assert_eq!(read.len(), 4);
    for tags in &read {
        assert_eq!(tags["File:FileType"], "XMP", "{tags:#}");
        let listed = entry(&manifest, tags["XMP-dc:Identifier"].as_str().unwrap());
        assert_rights(tags, listed);
    }
    let pad = read
        .iter()
        .find(|t| t["XMP-dc:Identifier"] == "flickr:1")
        .expect("flickr:1's sidecar");
    assert_eq!(
        pad["XMP-dc:Creator"],
        serde_json::json!(["CNES/ESA/Arianespace - S. Martin"])
    );
    assert_eq!(
        pad["XMP-photoshop:Credit"],
        "Photo: CNES/ESA/Arianespace – S. Martin · CC BY-SA 2.0 · via Flickr"
    );
    assert_eq!(
        pad["XMP-dc:Rights"],
        "© CNES/ESA/Arianespace - S. Martin – CC BY-SA 2.0"
    );
    assert_eq!(
        pad["XMP-xmpRights:WebStatement"],
        "https://creativecommons.org/licenses/by-sa/2.0/"
    );
    assert_eq!(
        pad["XMP-dc:Subject"],
        serde_json::json!(["Kourou", "soyuz", "VS20"])
    );
    assert_eq!(pad["XMP-photoshop:DateCreated"], "2018:12:18 15:54:37");
    assert_eq!(
        pad["XMP-dc:Source"],
        "https://www.flickr.com/photos/cnes/1/"
    );
    let hostile = read
        .iter()
        .find(|t| t["XMP-dc:Identifier"] == "flickr:3")
        .unwrap();
    assert_eq!(
        hostile["XMP-dc:Title"],
        "../../etc/passwd[31m\u{202e}gpj.exe <script>"
    );
}

/// What exiftool read agrees with the manifest: creator, credit line, copyright notice, web
/// statement and keywords.
fn assert_rights(tags: &Value, listed: &Value) {
    assert_eq!(
        tags["XMP-photoshop:Credit"], listed["credit_line"],
        "{tags:#}"
    );
    let creator = tags["XMP-dc:Creator"][0].as_str().expect("a creator");
    let rights = tags["XMP-dc:Rights"].as_str().expect("a copyright notice");
    assert!(rights.contains(creator), "{rights}");
    if let Some(license) = listed["license"].as_str() {
        assert!(rights.contains(license), "{rights}");
    }
    assert_eq!(
        tags["XMP-xmpRights:WebStatement"], listed["license_url"],
        "{tags:#}"
    );
    let keywords = tags["XMP-dc:Subject"].as_array().expect("keywords");
    assert!(keywords.iter().any(|k| k == "VS20"), "{tags:#}");
}

#[test]
fn embed_writes_the_same_rights_into_the_jpeg_and_keeps_the_received_checksum() {
    let files = files();
    let server = file_server(&files);
    let (_dir, index) = index(campaign(&server.origin()));
    let pack = tempfile::tempdir().unwrap();
    assert_ok(&download(
        &index,
        pack.path(),
        &["vs20", "--embed", "--kind", "photo"],
    ));
    let manifest = manifest(pack.path());
    let pad = entry(&manifest, "flickr:1");
    let file = pack.path().join(pad["file"].as_str().unwrap());
    assert_eq!(pad["received_sha256"], sha256(&jpeg()));
    assert_eq!(pad["sha256"], sha256(&std::fs::read(&file).unwrap()));
    assert_ne!(pad["sha256"], pad["received_sha256"]);
    let jpegs: Vec<PathBuf> = pack_files(&manifest)
        .iter()
        .map(|f| pack.path().join(f))
        .collect();
    let read = exiftool(&jpegs);
    assert_eq!(read.len(), 3);
    for tags in &read {
        assert_eq!(tags["File:FileType"], "JPEG", "{tags:#}");
        assert_rights(
            tags,
            entry(&manifest, tags["XMP-dc:Identifier"].as_str().unwrap()),
        );
    }
    let tags = &exiftool(std::slice::from_ref(&file))[0];
    assert_eq!(
        tags["XMP-dc:Creator"],
        serde_json::json!(["CNES/ESA/Arianespace - S. Martin"])
    );
    assert_eq!(
        tags["XMP-photoshop:Credit"],
        "Photo: CNES/ESA/Arianespace – S. Martin · CC BY-SA 2.0 · via Flickr"
    );
    assert_eq!(
        tags["XMP-dc:Rights"],
        "© CNES/ESA/Arianespace - S. Martin – CC BY-SA 2.0"
    );
    assert_eq!(
        tags["XMP-xmpRights:WebStatement"],
        "https://creativecommons.org/licenses/by-sa/2.0/"
    );
    assert_eq!(
        tags["XMP-dc:Subject"],
        serde_json::json!(["Kourou", "soyuz", "VS20"])
    );
    // The image itself is untouched: exiftool still reads its size.
    assert_eq!(tags["File:ImageWidth"], 480);
    assert_eq!(sha256sum_check(pack.path()), 3);
}

#[test]
fn a_rerun_fetches_nothing_and_a_changed_original_replaces_the_file_keeping_the_old() {
    let files = files();
    let server = file_server(&files);
    let (_dir, index) = index(campaign(&server.origin()));
    let pack = tempfile::tempdir().unwrap();
    assert_ok(&download(&index, pack.path(), &["vs20"]));
    let first = server.hits().len();

    let again = download(&index, pack.path(), &["vs20"]);
    assert_ok(&again);
    assert!(
        stderr(&again).contains("Downloaded 0 files"),
        "{}",
        stderr(&again)
    );
    let asked: Vec<String> = server.hits()[first..].to_vec();
    // Only the files with an ETag are asked about, conditionally, and they are unchanged.
    assert_eq!(asked.len(), 2 + 1, "{asked:?}"); // two files, and robots.txt
    let manifest_again = manifest(pack.path());
    for item in manifest_again["items"].as_array().unwrap() {
        assert!(
            matches!(item["status"].as_str(), Some("unchanged" | "skipped")),
            "{item:#}"
        );
    }

    files.lock().unwrap().insert(
        "/f/1_o.jpg".into(),
        Served::new("image/jpeg", other_jpeg()).tagged("2"),
    );
    let changed = download(&index, pack.path(), &["vs20"]);
    assert_ok(&changed);
    let manifest = manifest(pack.path());
    let pad = entry(&manifest, "flickr:1");
    assert_eq!(pad["status"], "updated");
    assert_eq!(pad["sha256"], sha256(&other_jpeg()));
    let old = pad["previous"][0]["file"].as_str().unwrap();
    assert!(old.ends_with("_flickr-1.1.jpg"), "{old}");
    assert_eq!(std::fs::read(pack.path().join(old)).unwrap(), jpeg());
    assert_eq!(sha256sum_check(pack.path()), 5);
}

#[test]
fn sizes_are_chosen_as_asked_and_flat_packs_have_no_folders() {
    let files = files();
    let server = file_server(&files);
    let origin = server.origin();
    let mut item = photo("flickr:9", "Sizes", &format!("{origin}/f/1_o.jpg"));
    item.sizes = [
        ("Original", 5000, "/f/1_o.jpg"),
        ("Large", 1024, "/f/2_o.jpg"),
    ]
    .into_iter()
    .map(|(label, width, path)| MediaSize {
        label: Some(label.into()),
        width: Some(width),
        height: Some(width / 2),
        url: format!("{origin}{path}"),
    })
    .collect();
    let (_dir, index) = index(vec![item]);
    let pack = tempfile::tempdir().unwrap();
    assert_ok(&download(
        &index,
        pack.path(),
        &["--max-width", "1000", "--flat"],
    ));
    let manifest = manifest(pack.path());
    let chosen = entry(&manifest, "flickr:9");
    assert_eq!(chosen["media_url"], format!("{origin}/f/2_o.jpg"));
    assert_eq!(chosen["file"], "2018-12-18_Sizes_flickr-9.jpg");
    assert_eq!(chosen["sha256"], sha256(&other_jpeg()));
}

#[test]
fn a_dry_run_says_what_it_would_fetch_and_fetches_nothing() {
    let files = files();
    let server = file_server(&files);
    let (_dir, index) = index(campaign(&server.origin()));
    let pack = tempfile::tempdir().unwrap();
    let output = download(&index, pack.path(), &["vs20", "--reusable", "--dry-run"]);
    assert_ok(&output);
    let text = stdout(&output);
    assert!(
        text.contains("fetch flickr:1  VS20/2018-12-18_Soyuz-on-the-pad_flickr-1.*"),
        "{text}"
    );
    assert!(
        !text.contains("flickr:2"),
        "--reusable leaves out All Rights Reserved: {text}"
    );
    assert!(text.contains("Would fetch 3 files"), "{text}");
    assert!(server.hits().is_empty(), "{:?}", server.hits());
    assert!(files_under(pack.path()).is_empty());
}

#[test]
fn the_demo_downloads_offline() {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    let crawl = archive(&["crawl", "--index", index.to_str().unwrap()], &[]);
    assert_ok(&crawl);
    let pack = dir.path().join("pack");
    let output = archive(
        &[
            "download",
            "vs20",
            "--index",
            index.to_str().unwrap(),
            "--to",
            pack.to_str().unwrap(),
        ],
        &[],
    );
    assert_ok(&output);
    let manifest = manifest(&pack);
    let names = pack_files(&manifest);
    assert!(
        names.iter().filter(|n| n.ends_with(".jpg")).count() >= 4,
        "{names:?}"
    );
    assert!(names.iter().any(|n| n.ends_with(".mp4")), "{names:?}");
    assert_eq!(sha256sum_check(&pack), names.len());
}

#[test]
fn pages_of_a_search_add_up_to_every_match_and_limit_caps_a_download() {
    use archive::search::{Request, Sort};
    let (_dir, fixture) = crate::search_support::fixture();
    let page = |offset, limit| Request {
        sort: Sort::Date,
        limit,
        offset,
        ..Request::new("")
    };
    let all = crate::search_support::ids_for(&fixture, &page(0, 100));
    assert!(all.len() > 6, "{all:?}");
    let mut paged = Vec::new();
    for offset in (0..all.len()).step_by(3) {
        paged.extend(crate::search_support::ids_for(&fixture, &page(offset, 3)));
    }
    assert_eq!(paged, all);

    let files = files();
    let server = file_server(&files);
    let (_dir, index) = index(campaign(&server.origin()));
    let pack = tempfile::tempdir().unwrap();
    let output = download(
        &index,
        pack.path(),
        &["--kind", "photo", "--limit", "2", "--dry-run"],
    );
    assert_ok(&output);
    assert!(
        stdout(&output).contains("Would fetch 2 files"),
        "{}",
        stdout(&output)
    );
}

//! A fixture archive with known items, for the search tests, and indexes in older schemas
//! (versions 1 and 3) for the upgrade tests.

pub(crate) mod v1;
pub(crate) mod v3;

use archive::index::ArchiveIndex;
use archive::model::{Item, Kind, MediaSize, Source, When};
use archive::search::{self, Request};
use archive::sources::flickr::licenses;

pub(crate) const PR208: &str = "https://press.example/pr208";

pub(crate) fn at(text: &str) -> Option<When> {
    Some(When::parse(text).expect("a fixture date"))
}

/// The licence Flickr gives id `id`, name and URL.
pub(crate) fn flickr_license(item: &mut Item, id: u64) {
    let license = licenses::by_id(id).expect("a Flickr licence id");
    item.license = Some(license.name.into());
    item.license_url = Some(license.url.into());
}

fn item(id: &str, kind: Kind, source: Source, title: &str, campaigns: &[&str]) -> Item {
    let mut item = Item::new(id, kind, source);
    item.title = Some(title.into());
    item.campaigns = campaigns.iter().map(|c| c.to_string()).collect();
    item.found_via = vec![PR208.into()];
    item
}

/// Nine items: five photos, two videos, an article and a podcast episode, in campaigns VS20,
/// CSO, VS21 and VA246, with distinct dates (one undated) and every kind of licence.
pub(crate) fn items() -> Vec<Item> {
    let mut pad = item(
        "flickr:1001",
        Kind::Photo,
        Source::Flickr,
        "Soyuz VS20 on the launch pad",
        &["CSO", "VS20"],
    );
    pad.creator = Some("CNES/ESA/Arianespace - S. Martin".into());
    flickr_license(&mut pad, 5); // CC BY-SA 2.0
    pad.taken_at = at("2018-12-17T10:00:00Z");
    pad.published_at = at("2018-12-17T20:00:00Z");
    pad.tags = vec!["VS20".into(), "Soyuz".into(), "Kourou".into()];
    pad.collection = Some("CSO-1 – Soyuz VS20".into());
    pad.collection_url = Some("https://www.flickr.com/photos/cnes/albums/72157704555614144".into());
    pad.page_url = Some("https://www.flickr.com/photos/cnes/1001/".into());
    pad.media_url = Some("https://live.staticflickr.com/1/1001_o.jpg".into());
    pad.sizes = vec![
        MediaSize {
            label: Some("Original".into()),
            width: Some(5472),
            height: Some(3648),
            url: "https://live.staticflickr.com/1/1001_o.jpg".into(),
        },
        MediaSize {
            label: Some("Large 2048".into()),
            width: Some(2048),
            height: Some(1365),
            url: "https://live.staticflickr.com/1/1001_k.jpg".into(),
        },
    ];

    let mut liftoff = item(
        "flickr:1002",
        Kind::Photo,
        Source::Flickr,
        "Lift-off of Soyuz VS20 with CSO-1",
        &["CSO", "VS20"],
    );
    liftoff.creator = Some("CNES".into());
    flickr_license(&mut liftoff, 4); // CC BY 2.0
    liftoff.description =
        Some("Décollage du lanceur Soyuz VS20 : la fusée emporte CSO-1 <vers l'orbite>.".into());
    liftoff.taken_at = at("2018-12-19T16:37:14Z");
    liftoff.page_url = Some("https://www.flickr.com/photos/cnes/1002/".into());

    let mut video = item(
        "flickr:1003",
        Kind::Video,
        Source::Flickr,
        "Soyuz VS20 lift-off video",
        &["VS20"],
    );
    video.creator = Some("CNES".into());
    flickr_license(&mut video, 0); // All Rights Reserved
    video.taken_at = at("2018-12-19T16:40:00Z");
    video.duration_seconds = Some(94);
    video.page_url = Some("https://www.flickr.com/photos/cnes/1003/".into());

    let mut clean_room = item(
        "https://media.example/cleanroom.jpg",
        Kind::Photo,
        Source::Feed,
        "CSO-1 in the clean room",
        &["CSO", "VS20"],
    );
    clean_room.creator = Some("CNES/ESA/Arianespace/Optique Vidéo du CSG - S. Martin".into());
    clean_room.license = Some("CC BY-NC-ND 4.0".into());
    clean_room.license_url = Some("https://creativecommons.org/licenses/by-nc-nd/4.0/".into());
    clean_room.taken_at = at("2018-12-04T13:15:00Z");
    clean_room.tags = vec!["VS20".into(), "CSO-1".into()];
    clean_room.media_url = Some("https://media.example/cleanroom.jpg".into());
    clean_room.page_url = Some("https://media.example/photos/cleanroom".into());

    let mut highlights = item(
        "https://media.example/highlights.mp4",
        Kind::Video,
        Source::JsonLd,
        "VS20 launch highlights",
        &["VS20"],
    );
    highlights.published_at = at("2018-12-20T09:00:00Z");
    highlights.media_url = Some("https://media.example/highlights.mp4".into());

    let mut vs21 = item(
        "flickr:2001",
        Kind::Photo,
        Source::Flickr,
        "Soyuz VS21 on the pad at dawn",
        &["VS21"],
    );
    vs21.description = Some("Two months after vs20, the same pad.".into());
    flickr_license(&mut vs21, 9); // CC0 1.0
    vs21.taken_at = at("2019-03-07T12:00:00Z");

    let mut release = item(
        PR208,
        Kind::Article,
        Source::Release,
        "Next Soyuz mission from CSG to launch CSO-1 satellite",
        &["CSO", "VS20"],
    );
    release.published_at = at("2018-12-14T08:00:00Z");
    release.page_url = Some(PR208.into());

    let mut ariane = item(
        "flickr:3001",
        Kind::Photo,
        Source::Flickr,
        "Ariane 5 rehearsal at Kourou",
        &["VA246"],
    );
    ariane.creator = Some("NASA/Bill Ingalls".into());
    flickr_license(&mut ariane, 10); // Public Domain Mark 1.0
    ariane.taken_at = at("2018-11-02T09:00:00Z");

    let mut podcast = item(
        "https://podcast.example/ep1.mp3",
        Kind::Audio,
        Source::Feed,
        "Podcast : la fusée Soyouz",
        &["CSO"],
    );
    podcast.license = Some("CC BY-ND 4.0".into());

    vec![
        pad, liftoff, video, clean_room, highlights, vs21, release, ariane, podcast,
    ]
}

/// An index of `items` in a temporary directory.
pub(crate) fn index_of(items: Vec<Item>) -> (tempfile::TempDir, ArchiveIndex) {
    let dir = tempfile::tempdir().unwrap();
    let index = ArchiveIndex::open_or_create(&dir.path().join("index")).unwrap();
    let mut indexer = index.indexer().unwrap();
    for item in items {
        indexer.upsert(item).unwrap();
    }
    indexer.commit().unwrap();
    (dir, index)
}

/// The fixture archive.
pub(crate) fn fixture() -> (tempfile::TempDir, ArchiveIndex) {
    index_of(items())
}

/// The ids a request finds, in order.
pub(crate) fn ids_for(index: &ArchiveIndex, request: &Request) -> Vec<String> {
    search::run(index, request)
        .unwrap_or_else(|e| panic!("{:?}: {e}", request.query))
        .hits
        .into_iter()
        .map(|h| h.item.id)
        .collect()
}

/// The ids a query finds, in order of relevance.
pub(crate) fn ids(index: &ArchiveIndex, query: &str) -> Vec<String> {
    ids_for(
        index,
        &Request {
            limit: 100,
            ..Request::new(query)
        },
    )
}

/// The ids a query finds, newest first.
pub(crate) fn newest(index: &ArchiveIndex, query: &str) -> Vec<String> {
    ids_for(
        index,
        &Request {
            limit: 100,
            sort: search::Sort::Date,
            ..Request::new(query)
        },
    )
}

pub(crate) fn index_dir(dir: &tempfile::TempDir) -> std::path::PathBuf {
    dir.path().join("index")
}

use scraper::Html;
use serde_json::Value;
use url::Url;

use super::blocks::repair_json;
use super::items;
use crate::model::{Item, Kind, Source};

const GRAPH: &str = include_str!("../../../tests/fixtures/jsonld/graph.html");
const NEWS: &str = include_str!("../../../tests/fixtures/jsonld/news_article.html");
const LIVE: &str = include_str!("../../../tests/fixtures/jsonld/live.html");

fn extract(html: &str, page: &str) -> Vec<Item> {
    items(&Html::parse_document(html), &Url::parse(page).unwrap())
}

fn find<'a>(items: &'a [Item], id: &str) -> &'a Item {
    items.iter().find(|i| i.id == id).unwrap_or_else(|| {
        panic!(
            "no item {id} in {:#?}",
            items.iter().map(|i| &i.id).collect::<Vec<_>>()
        )
    })
}

fn rfc(t: Option<crate::model::When>) -> Option<String> {
    t.map(|t| t.to_string())
}

const GRAPH_PAGE: &str = "https://cnes.fr/fr/media/lancement-vs20-cso-1";
const VIDEO: &str = "https://cnes.fr/sites/default/files/videos/vs20-cso1-launch.mp4";
const PHOTO: &str = "https://cnes.fr/sites/default/files/2018-12/vs20-decollage.jpg";
const AUDIO: &str = "https://cnes.fr/fr/media/audio/cso1-interview.mp3";

#[test]
fn graph_yields_the_video_photo_and_audio_but_no_logo_or_avatar() {
    let items = extract(GRAPH, GRAPH_PAGE);
    let ids: Vec<&str> = items.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, [PHOTO, VIDEO, AUDIO]);
    assert!(items.iter().all(|i| i.source == Source::JsonLd));
    assert!(
        items
            .iter()
            .all(|i| i.campaigns.is_empty() && i.found_via.is_empty())
    );
}

#[test]
fn video_object_fields_are_read_in_every_shape() {
    let items = extract(GRAPH, GRAPH_PAGE);
    let video = find(&items, VIDEO);
    assert_eq!(video.kind, Kind::Video);
    assert_eq!(video.title.as_deref(), Some("Lancement Soyuz VS20 – CSO-1"));
    assert_eq!(
        video.description.as_deref(),
        Some(
            "Revivez le lancement du satellite CSO-1 par Soyuz depuis le Centre spatial guyanais."
        )
    );
    assert_eq!(
        video.media_url.as_deref(),
        Some(VIDEO),
        "relative contentUrl resolved"
    );
    assert_eq!(
        video.thumbnail_url.as_deref(),
        Some("https://cnes.fr/sites/default/files/2018-12/vs20-video-thumb.jpg")
    );
    assert_eq!(
        rfc(video.published_at).as_deref(),
        Some("2018-12-19T18:02:00+01:00")
    );
    assert_eq!(video.duration_seconds, Some(103));
    assert_eq!((video.width, video.height), (Some(1920), Some(1080)));
    assert_eq!(video.tags, ["VS20", "CSO", "Soyuz", "Kourou"]);
    assert_eq!(video.creator.as_deref(), Some("CNES, Arianespace"));
    assert_eq!(video.license.as_deref(), Some("CC BY-NC 4.0"));
    assert_eq!(
        video.license_url.as_deref(),
        Some("https://creativecommons.org/licenses/by-nc/4.0/")
    );
    assert_eq!(video.page_url.as_deref(), Some(GRAPH_PAGE));
}

#[test]
fn the_same_video_in_two_blocks_is_merged_not_duplicated() {
    let items = extract(GRAPH, GRAPH_PAGE);
    assert_eq!(items.iter().filter(|i| i.kind == Kind::Video).count(), 1);
    let video = find(&items, VIDEO);
    // The first block named it; only the second knew when it was shot.
    assert_eq!(video.title.as_deref(), Some("Lancement Soyuz VS20 – CSO-1"));
    assert_eq!(
        rfc(video.taken_at).as_deref(),
        Some("2018-12-19T13:37:14-03:00")
    );
}

#[test]
fn image_object_prefers_credit_text_and_names_its_licence() {
    let items = extract(GRAPH, GRAPH_PAGE);
    let photo = find(&items, PHOTO);
    assert_eq!(photo.kind, Kind::Photo);
    assert_eq!(photo.title, None);
    assert_eq!(
        photo.description.as_deref(),
        Some("Décollage de Soyuz VS20 avec CSO-1 depuis Kourou")
    );
    assert_eq!(
        photo.creator.as_deref(),
        Some("ESA/CNES/Arianespace - Photo Optique Vidéo du CSG - S. Martin")
    );
    assert_eq!(photo.license.as_deref(), Some("CC BY-SA 4.0"));
    assert_eq!(
        photo.license_url.as_deref(),
        Some("https://creativecommons.org/licenses/by-sa/4.0/deed.fr")
    );
    assert_eq!((photo.width, photo.height), (Some(4928), Some(3264)));
    assert_eq!(rfc(photo.taken_at).as_deref(), Some("2018-12-19T16:37:14"));
    assert_eq!(photo.published_at, None);
    assert_eq!(photo.duration_seconds, None);
    assert_eq!(photo.tags, ["VS20", "CSO", "Soyuz"]);
    // Its `url` is the file itself, so the page is the one it was found on.
    assert_eq!(photo.page_url.as_deref(), Some(GRAPH_PAGE));
    assert_eq!(photo.media_url.as_deref(), Some(PHOTO));
}

#[test]
fn cdata_wrapped_block_with_odd_type_attribute_is_read() {
    let items = extract(GRAPH, GRAPH_PAGE);
    let audio = find(&items, AUDIO);
    assert_eq!(audio.kind, Kind::Audio);
    assert_eq!(
        audio.title.as_deref(),
        Some("CSO-1 : le point sur la mission")
    );
    assert_eq!(audio.duration_seconds, Some(7200));
    assert_eq!(rfc(audio.published_at).as_deref(), Some("2018-12-20"));
    assert_eq!(audio.creator.as_deref(), Some("Service de presse du CNES"));
    assert_eq!(audio.thumbnail_url, None);
    assert_eq!(audio.license.as_deref(), Some("Tous droits réservés"));
    assert_eq!(audio.license_url, None);
}

#[test]
fn news_article_nested_media_are_found() {
    let items = extract(NEWS, "https://presse.cnes.fr/en/cso-1-launched-soyuz-vs20");
    assert_eq!(items.len(), 3, "{items:#?}");

    let photo = find(
        &items,
        "https://presse.cnes.fr/en/media/photos/CSO-1_integration.jpg",
    );
    assert_eq!(photo.kind, Kind::Photo);
    assert_eq!(
        photo.title.as_deref(),
        Some("CSO-1 integration in the Soyuz fairing")
    );
    assert_eq!(photo.creator.as_deref(), Some("Pascale Bresson"));
    assert_eq!(photo.license.as_deref(), Some("CC0 1.0"));
    assert_eq!(
        photo.license_url.as_deref(),
        Some("http://creativecommons.org/publicdomain/zero/1.0/")
    );
    assert_eq!((photo.width, photo.height), (Some(3000), Some(2000)));

    let video = find(&items, "https://www.youtube.com/embed/VS20cso1xyz");
    assert_eq!(video.kind, Kind::Video);
    assert_eq!(video.media_url, None, "an embed is a player, not the file");
    assert_eq!((video.width, video.height), (None, None));
    assert_eq!(video.duration_seconds, Some(44), "T0M44S without its P");
    assert_eq!(
        video.description.as_deref(),
        Some("Soyuz VS20 & CSO-1: the replay.")
    );
    assert_eq!(
        video.thumbnail_url.as_deref(),
        Some("https://i.ytimg.com/vi/VS20cso1xyz/hqdefault.jpg")
    );
    assert_eq!(
        video.page_url.as_deref(),
        Some("https://presse.cnes.fr/en/videos/vs20-replay")
    );
    assert_eq!(rfc(video.published_at).as_deref(), Some("2018-12-19"));
    assert_eq!(video.tags, ["VS20", "CSO", "Kourou"]);

    let audio = find(&items, "https://presse.cnes.fr/media/vs20-countdown.m4a");
    assert_eq!(
        audio.kind,
        Kind::Audio,
        "MediaObject judged by its extension"
    );
    assert_eq!(audio.duration_seconds, Some(3724));
    assert_eq!(audio.creator.as_deref(), Some("CNES, Arianespace"));
    assert_eq!(
        audio.license.as_deref(),
        Some("CC BY 4.0"),
        "licence given by @id"
    );
}

#[test]
fn live_broadcasts_documents_and_references_are_not_media() {
    assert_eq!(
        extract(LIVE, "https://cso.cnes.fr/en/live"),
        Vec::<Item>::new()
    );
}

#[test]
fn a_live_broadcast_with_a_file_is_kept() {
    let html = r#"<script type="application/ld+json">{"@type":"VideoObject","isLiveBroadcast":true,
            "contentUrl":"https://cso.cnes.fr/replay/vs20.mp4"}</script>"#;
    let items = extract(html, "https://cso.cnes.fr/en/live");
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].id, "https://cso.cnes.fr/replay/vs20.mp4");
}

#[test]
fn garbage_never_panics() {
    for body in [
        "",
        "null",
        "[]",
        "{",
        "[[[[",
        "\"text\"",
        "42",
        "{\"@graph\": 5}",
        "{\"@type\": [1, null]}",
        "{\"@type\":\"VideoObject\",\"contentUrl\":\"javascript:alert(1)\"}",
        "{\"@type\":\"VideoObject\",\"width\":-5,\"duration\":\"PTxS\"}",
    ] {
        let html = format!("<script type=\"application/ld+json\">{body}</script>");
        let _ = extract(&html, "https://cnes.fr/");
    }
    let deep = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
    let html = format!("<script type=\"application/ld+json\">{deep}</script>");
    assert!(extract(&html, "https://cnes.fr/").is_empty());
}

#[test]
fn repair_drops_trailing_commas_and_raw_breaks_but_not_string_content() {
    let fixed = repair_json("{\"a\": \"x,}\n y\", \"b\": [1, 2, ],\n}");
    assert_eq!(
        serde_json::from_str::<Value>(&fixed).unwrap(),
        serde_json::json!({"a": "x,}  y", "b": [1, 2]})
    );
}

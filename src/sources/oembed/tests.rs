use scraper::Html;
use url::Url;

use super::*;
use crate::model::{Item, Kind};

const RELEASE: &str = include_str!("../../../tests/fixtures/oembed/release_with_players.html");
const FLICKR_PAGE: &str = include_str!("../../../tests/fixtures/oembed/flickr_photo_page.html");
const YOUTUBE_PAGE: &str = include_str!("../../../tests/fixtures/oembed/youtube_watch.html");
const YOUTUBE: &str = include_str!("../../../tests/fixtures/oembed/youtube.json");
const VIMEO: &str = include_str!("../../../tests/fixtures/oembed/vimeo.json");
const DAILYMOTION: &str = include_str!("../../../tests/fixtures/oembed/dailymotion.json");
const FLICKR_PHOTO: &str = include_str!("../../../tests/fixtures/oembed/flickr_photo.json");
const FLICKR_ALBUM: &str = include_str!("../../../tests/fixtures/oembed/flickr_album.json");
const MINIMAL: &str = include_str!("../../../tests/fixtures/oembed/minimal.json");
const LINK_CARD: &str = include_str!("../../../tests/fixtures/oembed/link_card.json");

fn found(html: &str, page: &str, endpoints: &Endpoints) -> Vec<Discovered> {
    embeds(
        &Html::parse_document(html),
        &Url::parse(page).unwrap(),
        endpoints,
        &crate::sources::testing::FlickrIds,
    )
}

fn release() -> Vec<Discovered> {
    found(
        RELEASE,
        "https://cnes.fr/fr/cso-1-est-en-orbite",
        &Endpoints::default(),
    )
}

fn video(id: &str) -> Item {
    Item::new(id, Kind::Video, SOURCE)
}

#[test]
fn players_and_discovery_links_give_one_item_per_video() {
    let found = release();
    let summary: Vec<(&str, bool)> = found
        .iter()
        .map(|d| (d.item.id.as_str(), d.needs_confirmation))
        .collect();
    assert_eq!(
        summary,
        [
            ("youtube:VS20cso1xyz", false),
            ("vimeo:305742410", false),
            ("dailymotion:x6z8k2a", false),
            ("youtube:CSO1orbit00", false),
            ("https://medias.cnes.example/videos/vs20-decollage", true),
        ],
        "the old <object> repeats the first video; playlists, channels, Facebook and \
         WordPress's own discovery links give nothing"
    );
    for d in &found {
        assert_eq!(d.item.kind, Kind::Video);
        assert_eq!(d.item.source, SOURCE);
    }
}

#[test]
fn each_item_has_its_page_request_and_what_the_page_tells() {
    let found = release();
    let youtube = &found[0];
    assert_eq!(
        youtube.item.page_url.as_deref(),
        Some("https://www.youtube.com/watch?v=VS20cso1xyz")
    );
    assert_eq!(
        youtube.item.title, None,
        "`YouTube video player` names no video"
    );
    assert_eq!(
        youtube.item.thumbnail_url.as_deref(),
        Some("https://i.ytimg.com/vi/VS20cso1xyz/hqdefault.jpg")
    );
    assert_eq!(
        youtube.oembed_url.as_str(),
        "https://www.youtube.com/oembed?url=https%3A%2F%2Fwww.youtube.com%2Fwatch%3Fv%3DVS20cso1xyz&format=json"
    );
    let vimeo = &found[1];
    assert_eq!(
        vimeo.item.title.as_deref(),
        Some("CSO-1 : la mission en 3 minutes")
    );
    assert_eq!(
        vimeo.oembed_url.as_str(),
        "https://vimeo.com/api/oembed.json?url=https%3A%2F%2Fvimeo.com%2F305742410%2Fa1b2c3d4e5"
    );
    assert_eq!(vimeo.item.thumbnail_url, None);
    let other = &found[4];
    assert_eq!(
        other.oembed_url.as_str(),
        "https://medias.cnes.example/oembed?url=https%3A%2F%2Fmedias.cnes.example%2Fvideos%2Fvs20-decollage&format=json"
    );
    assert_eq!(
        other.item.page_url.as_deref(),
        Some("https://medias.cnes.example/videos/vs20-decollage")
    );
}

#[test]
fn flickr_discovery_link_with_entities_and_alternative_rel() {
    let found = found(
        FLICKR_PAGE,
        "https://www.flickr.com/photos/cnes/45539063392/",
        &Endpoints::default(),
    );
    assert_eq!(found.len(), 1, "the XML discovery link is not read");
    assert_eq!(found[0].item.id, "flickr:45539063392");
    assert_eq!(found[0].item.kind, Kind::Photo);
    assert!(!found[0].needs_confirmation);
    assert_eq!(
        found[0].oembed_url.as_str(),
        "https://www.flickr.com/services/oembed?url=https://www.flickr.com/photos/cnes/45539063392&format=json"
    );
}

#[test]
fn known_providers_are_asked_at_the_configured_endpoint() {
    let endpoints =
        Endpoints::from_values(Some("http://127.0.0.1:8123/yt/oembed"), None, None).unwrap();
    let found = found(
        YOUTUBE_PAGE,
        "https://www.youtube.com/watch?v=VS20cso1xyz",
        &endpoints,
    );
    let ids: Vec<&str> = found.iter().map(|d| d.item.id.as_str()).collect();
    assert_eq!(ids, ["youtube:VS20cso1xyz"]);
    assert!(
        found[0]
            .oembed_url
            .as_str()
            .starts_with("http://127.0.0.1:8123/yt/oembed?url=")
    );
}

#[test]
fn youtube_answer_fills_title_creator_and_thumbnail_but_not_the_player_size() {
    let mut item = video("youtube:VS20cso1xyz");
    let answer = apply(&mut item, YOUTUBE).unwrap();
    assert!(answer.is_media());
    assert_eq!(answer.provider_name.as_deref(), Some("YouTube"));
    assert_eq!(
        answer.author_url.as_deref(),
        Some("https://www.youtube.com/@CNES")
    );
    assert_eq!(item.title.as_deref(), Some("Soyuz VS20 launch with CSO-1"));
    assert_eq!(item.creator.as_deref(), Some("CNES"));
    assert_eq!(
        item.thumbnail_url.as_deref(),
        Some("https://i.ytimg.com/vi/VS20cso1xyz/hqdefault.jpg")
    );
    assert_eq!(
        (item.width, item.height, item.media_url),
        (None, None, None)
    );
    assert_eq!(item.id, "youtube:VS20cso1xyz");
}

#[test]
fn vimeo_answer_brings_description_duration_and_date() {
    let mut item = video("vimeo:305742410");
    item.title = Some("from the iframe".into());
    apply(&mut item, VIMEO).unwrap();
    assert_eq!(
        item.title.as_deref(),
        Some("CSO-1 : la mission en 3 minutes")
    );
    assert_eq!(
        item.description.as_deref(),
        Some("Le satellite CSO-1 observera la Terre pour la Défense. Crédits : CNES")
    );
    assert_eq!(item.duration_seconds, Some(183));
    assert_eq!(
        item.published_at.map(|t| t.to_string()).as_deref(),
        Some("2018-12-17T10:21:44")
    );
    assert_eq!(
        item.thumbnail_url.as_deref(),
        Some("https://i.vimeocdn.com/video/745123456-0f1e2d3c_1920x1080?r=pad")
    );
}

#[test]
fn dailymotion_answer_with_sizes_as_strings_and_an_empty_description() {
    let mut item = video("dailymotion:x6z8k2a");
    item.description = Some("kept".into());
    let answer = apply(&mut item, DAILYMOTION).unwrap();
    assert_eq!(answer.provider_name.as_deref(), Some("Dailymotion"));
    assert_eq!(
        item.title.as_deref(),
        Some("Lancement de CSO-1 : le replay")
    );
    assert_eq!(item.description.as_deref(), Some("kept"));
    assert_eq!(
        item.thumbnail_url.as_deref(),
        Some("https://s1.dmcdn.net/v/PQr7G1RkZ4mM2nUq3/x240")
    );
}

#[test]
fn flickr_photo_answer_gives_file_size_and_licence() {
    let mut item = Item::new("flickr:45539063392", Kind::Photo, SOURCE);
    apply(&mut item, FLICKR_PHOTO).unwrap();
    assert_eq!(item.kind, Kind::Photo);
    assert_eq!(
        item.media_url.as_deref(),
        Some("https://live.staticflickr.com/4876/45539063392_2c5a0e4a1b_b.jpg")
    );
    assert_eq!((item.width, item.height), (Some(1024), Some(683)));
    assert_eq!(item.license.as_deref(), Some("CC BY-NC-SA 2.0"));
    assert_eq!(
        item.license_url.as_deref(),
        Some("https://creativecommons.org/licenses/by-nc-sa/2.0/")
    );
    assert_eq!(
        item.page_url.as_deref(),
        Some("https://www.flickr.com/photos/cnes/45539063392/")
    );
    assert_eq!(
        item.title.as_deref(),
        Some("VS20 : décollage de Soyuz avec CSO-1")
    );
}

#[test]
fn rich_and_link_answers_change_nothing() {
    for body in [FLICKR_ALBUM, LINK_CARD] {
        let mut item = video("https://medias.cnes.example/videos/vs20-decollage");
        let before = item.clone();
        let answer = apply(&mut item, body).unwrap();
        assert!(!answer.is_media(), "{body}");
        assert_eq!(item, before);
    }
}

#[test]
fn missing_fields_leave_the_item_as_it_was() {
    let mut item = video("youtube:VS20cso1xyz");
    item.title = Some("Titre de la page".into());
    item.thumbnail_url = Some("https://i.ytimg.com/vi/VS20cso1xyz/hqdefault.jpg".into());
    let before = item.clone();
    let answer = apply(&mut item, MINIMAL).unwrap();
    assert!(answer.is_media());
    assert_eq!(answer.provider_name, None);
    assert_eq!(item, before);
}

#[test]
fn bodies_that_are_not_answers_are_errors_and_change_nothing() {
    let mut item = video("youtube:VS20cso1xyz");
    let before = item.clone();
    assert!(matches!(
        apply(&mut item, "<html><body>Not Found</body></html>"),
        Err(AnswerError::NotJson(_))
    ));
    assert_eq!(apply(&mut item, "[1, 2]"), Err(AnswerError::NotObject));
    assert!(apply(&mut item, "").is_err());
    assert_eq!(item, before);
    let odd = r#"{"type":"VIDEO","title":42,"width":"wide","thumbnail_url":"/relative.jpg"}"#;
    apply(&mut item, odd).unwrap();
    assert_eq!(item.title.as_deref(), Some("42"));
    assert_eq!(item.thumbnail_url, None, "a relative thumbnail has no base");
}

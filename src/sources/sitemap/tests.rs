use url::Url;

use super::*;
use crate::model::Kind;

const INDEX: &str = include_str!("../../../tests/fixtures/sitemap/sitemap_index.xml");
const IMAGES: &str = include_str!("../../../tests/fixtures/sitemap/image_sitemap.xml");
const VIDEOS: &str = include_str!("../../../tests/fixtures/sitemap/video_sitemap.xml");
const BROKEN: &str = include_str!("../../../tests/fixtures/sitemap/undeclared_truncated.xml");
const PLAIN: &str = include_str!("../../../tests/fixtures/sitemap/plain_urlset.xml");
const FEED: &str = include_str!("../../../tests/fixtures/feeds/flickr_photoset.rss");

fn read(body: &str, at: &str) -> Sitemap {
    parse(body, &Url::parse(at).unwrap())
}

fn ids(sitemap: &Sitemap) -> Vec<&str> {
    sitemap.items.iter().map(|i| i.id.as_str()).collect()
}

#[test]
fn index_lists_its_child_sitemaps() {
    let index = read(INDEX, "https://presse.cnes.fr/sitemap_index.xml");
    let children: Vec<&str> = index.sitemaps.iter().map(Url::as_str).collect();
    assert_eq!(
        children,
        [
            "https://presse.cnes.fr/post-sitemap.xml",
            "https://presse.cnes.fr/video-sitemap.xml",
            "https://presse.cnes.fr/sitemaps/images-2018.xml.gz",
        ]
    );
    assert!(index.items.is_empty());
}

#[test]
fn image_sitemap_gives_one_item_per_file() {
    let sitemap = read(IMAGES, "https://presse.cnes.fr/image-sitemap.xml");
    assert_eq!(
        ids(&sitemap),
        [
            "https://presse.cnes.fr/sites/default/files/presse/VS20_decollage_HD.jpg",
            "https://presse.cnes.fr/vs20/img/CSO-1_coiffe-2400.jpg",
        ],
        "the logo and the empty entry are left out; a file on two pages is one item"
    );
    assert!(sitemap.sitemaps.is_empty());
    let launch = &sitemap.items[0];
    assert_eq!(launch.kind, Kind::Photo);
    assert_eq!(launch.source, SOURCE);
    assert_eq!(launch.title.as_deref(), Some("Décollage de Soyuz VS20"));
    assert_eq!(
        launch.description.as_deref(),
        Some("Décollage du lanceur Soyuz VS20 avec CSO-1, le 19 décembre 2018.")
    );
    assert_eq!(launch.creator.as_deref(), Some("CNES/ESA/Arianespace"));
    assert_eq!(launch.license.as_deref(), Some("CC BY-SA 3.0 IGO"));
    assert_eq!(
        launch.license_url.as_deref(),
        Some("https://creativecommons.org/licenses/by-sa/3.0/igo/")
    );
    assert_eq!(launch.media_url.as_deref(), Some(launch.id.as_str()));
    assert_eq!(
        launch.page_url.as_deref(),
        Some("https://presse.cnes.fr/fr/dossier-de-presse-vs20-cso-1"),
        "the first page listing it"
    );
    assert_eq!(launch.published_at, None, "lastmod dates the page");

    let fairing = &sitemap.items[1];
    assert_eq!(
        fairing.description.as_deref(),
        Some("Le satellite CSO-1 encapsulé sous la coiffe & prêt au lancement.")
    );
    assert_eq!(
        fairing.license.as_deref(),
        Some("Tous droits réservés CNES")
    );
    assert_eq!(fairing.license_url, None);
    assert_eq!(fairing.title, None);
}

#[test]
fn video_sitemap_gives_videos_player_ids_and_sounds() {
    let sitemap = read(VIDEOS, "https://medias.cnes.fr/video-sitemap.xml");
    assert_eq!(
        ids(&sitemap),
        [
            "https://medias.cnes.fr/videos/VS20_lancement_1080p.mp4",
            "https://www.youtube.com/embed/VS20cso1xyz",
            "https://medias.cnes.fr/podcasts/cso1-interview.mp3",
        ],
        "a live stream without a file is not archive media; a player is named by its \
         platform's source afterwards"
    );
    let launch = &sitemap.items[0];
    assert_eq!(launch.kind, Kind::Video);
    assert_eq!(
        launch.title.as_deref(),
        Some("Lancement de CSO-1 par Soyuz VS20")
    );
    assert_eq!(
        launch.description.as_deref(),
        Some("Replay du lancement depuis le Centre spatial guyanais.")
    );
    assert_eq!(
        launch.thumbnail_url.as_deref(),
        Some("https://medias.cnes.fr/thumbs/vs20-lancement.jpg")
    );
    assert_eq!(launch.duration_seconds, Some(103));
    assert_eq!(
        launch.published_at.map(|t| t.to_string()).as_deref(),
        Some("2018-12-19T14:30:00+01:00")
    );
    assert_eq!(launch.tags, ["VS20", "CSO", "Lanceurs"]);
    assert_eq!(launch.creator.as_deref(), Some("CNES"));
    assert_eq!(
        launch.page_url.as_deref(),
        Some("https://medias.cnes.fr/videos/vs20-lancement")
    );
    assert_eq!((launch.width, launch.height), (None, None));

    let mission = &sitemap.items[1];
    assert_eq!(mission.media_url, None, "a player is not a file");
    assert_eq!(
        mission.duration_seconds,
        Some(183),
        "ISO 8601 written by mistake"
    );

    let podcast = &sitemap.items[2];
    assert_eq!(podcast.kind, Kind::Audio);
    assert_eq!(
        podcast.thumbnail_url.as_deref(),
        Some("https://medias.cnes.fr/thumbs/podcast-cso.jpg")
    );
    assert_eq!(
        podcast.published_at.map(|t| t.to_string()).as_deref(),
        Some("2018-12-21")
    );
}

#[test]
fn undeclared_prefixes_are_read_and_a_truncated_sitemap_keeps_what_came_first() {
    let sitemap = read(BROKEN, "https://presse.cnes.fr/sitemap-galerie.xml");
    assert_eq!(
        ids(&sitemap),
        [
            "https://presse.cnes.fr/galerie/VS20_pad.jpg",
            "https://presse.cnes.fr/galerie/VS20_nuit.jpg",
        ]
    );
    assert_eq!(
        sitemap.items[0].title.as_deref(),
        Some("Soyuz sur le pas de tir & CSO-1")
    );
}

#[test]
fn sitemaps_without_media_and_non_sitemaps_give_nothing() {
    for body in [
        PLAIN,
        FEED,
        "",
        "not xml at all",
        "<html><body>404</body></html>",
    ] {
        assert_eq!(
            read(body, "https://cnes.fr/sitemap.xml"),
            Sitemap::default()
        );
    }
}

#[test]
fn sitemaps_are_told_by_their_root_element() {
    for (content_type, body) in [
        (Some("application/xml"), INDEX),
        (Some("text/xml; charset=UTF-8"), IMAGES),
        (None, VIDEOS),
        (Some("text/plain"), PLAIN),
        (
            Some("application/octet-stream"),
            "\u{feff}<!-- gen --><urlset/>",
        ),
        (
            None,
            "<?xml version='1.0'?>\n<!DOCTYPE urlset><sm:urlset xmlns:sm='x'/>",
        ),
    ] {
        assert!(
            looks_like_sitemap(content_type, body),
            "{content_type:?} {body:.60}"
        );
    }
    for (content_type, body) in [
        (Some("application/rss+xml"), FEED),
        (Some("text/html"), "<urlset></urlset>"),
        (None, "<html><head></head></html>"),
        (None, "urlset"),
        (None, ""),
    ] {
        assert!(
            !looks_like_sitemap(content_type, body),
            "{content_type:?} {body:.60}"
        );
    }
}

use scraper::Html;
use url::Url;

use super::{SOURCE, items};
use crate::model::{Item, Kind};

const PRESS_KIT: &str = include_str!("../../../tests/fixtures/gallery/press_kit_vs20.html");
const PAGE: &str = "https://presse.cnes.fr/fr/dossier-de-presse-vs20-cso-1?utm_source=twitter";

fn extract(html: &str, page: &str) -> Vec<Item> {
    items(&Html::parse_document(html), &Url::parse(page).unwrap())
}

fn find<'a>(items: &'a [Item], id: &str) -> &'a Item {
    items
        .iter()
        .find(|i| i.id == id)
        .unwrap_or_else(|| panic!("no item {id} in {:#?}", ids(items)))
}

fn ids(items: &[Item]) -> Vec<&str> {
    items.iter().map(|i| i.id.as_str()).collect()
}

#[test]
fn press_kit_gives_its_media_and_skips_furniture() {
    let items = extract(PRESS_KIT, PAGE);
    assert_eq!(
        ids(&items),
        [
            "https://presse.cnes.fr/sites/default/files/presse/VS20_decollage_HD.jpg",
            "https://presse.cnes.fr/vs20/img/CSO-1_coiffe-2400.jpg",
            "https://cdn.arianespace.example/vs20/soyuz_rollout.jpg",
            "https://presse.cnes.fr/files/VS20_equipe_HD.tif",
            "https://presse.cnes.fr/img/cso1-orbite-1600.webp",
            "https://presse.cnes.fr/wp/VS20_pad.jpg",
            "https://presse.cnes.fr/video/VS20_lancement.mp4",
            "https://presse.cnes.fr/podcasts/cso1-interview.mp3",
            "https://presse.cnes.fr/img/sans-legende.jpg",
        ]
    );
    for item in &items {
        assert_eq!(item.source, SOURCE);
        assert_eq!(
            item.page_url.as_deref(),
            Some("https://presse.cnes.fr/fr/dossier-de-presse-vs20-cso-1")
        );
        assert_eq!(item.collection_url, item.page_url);
        assert_eq!(
            item.collection.as_deref(),
            Some("Dossier de presse : lancement de CSO-1 par Soyuz VS20")
        );
        assert_eq!(
            item.published_at.map(|t| t.to_string()).as_deref(),
            Some("2018-12-17T10:00:00+01:00")
        );
        assert!(item.tags.is_empty() && item.license.is_none() && item.taken_at.is_none());
    }
}

#[test]
fn linked_hd_version_is_the_media_and_a_repeated_image_is_one_item() {
    let items = extract(PRESS_KIT, PAGE);
    let launch = find(
        &items,
        "https://presse.cnes.fr/sites/default/files/presse/VS20_decollage_HD.jpg",
    );
    assert_eq!(launch.kind, Kind::Photo);
    assert_eq!(launch.media_url.as_deref(), Some(launch.id.as_str()));
    assert_eq!(
        launch.title.as_deref(),
        Some("Décollage du lanceur Soyuz VS20 avec CSO-1, le 19 décembre 2018.")
    );
    assert_eq!(launch.description, None);
    assert_eq!(
        launch.creator.as_deref(),
        Some("CNES/ESA/Arianespace/Optique Vidéo du CSG - S. Martin")
    );
    assert_eq!(
        launch.thumbnail_url.as_deref(),
        Some("https://presse.cnes.fr/sites/default/files/styles/thumbnail/VS20_decollage.jpg"),
        "the grid's thumbnail came first"
    );
    assert_eq!(
        (launch.width, launch.height),
        (None, None),
        "HD size unknown"
    );
}

#[test]
fn lazy_srcset_gives_the_widest_file_and_its_size() {
    let items = extract(PRESS_KIT, PAGE);
    let fairing = find(
        &items,
        "https://presse.cnes.fr/vs20/img/CSO-1_coiffe-2400.jpg",
    );
    assert_eq!((fairing.width, fairing.height), (Some(2400), Some(1599)));
    assert_eq!(
        fairing.thumbnail_url.as_deref(),
        Some("https://presse.cnes.fr/vs20/img/CSO-1_coiffe-800.jpg")
    );
    assert_eq!(
        fairing.title.as_deref(),
        Some("Le satellite CSO-1 encapsulé sous la coiffe.")
    );
    assert_eq!(
        fairing.description.as_deref(),
        Some("Préparation en salle blanche, Kourou.")
    );
    assert_eq!(fairing.creator.as_deref(), Some("ESA–S. Corvaja"));

    let orbit = find(&items, "https://presse.cnes.fr/img/cso1-orbite-1600.webp");
    assert_eq!((orbit.width, orbit.height), (Some(1600), None));
    assert_eq!(
        orbit.title.as_deref(),
        Some("Vue d'artiste de CSO-1 en orbite")
    );
    assert_eq!(orbit.creator.as_deref(), Some("CNES/Ill. D. Ducros"));
}

#[test]
fn credit_lines_in_every_spelling() {
    let items = extract(PRESS_KIT, PAGE);
    let credits: Vec<(&str, Option<&str>, Option<&str>)> = [
        "https://cdn.arianespace.example/vs20/soyuz_rollout.jpg",
        "https://presse.cnes.fr/files/VS20_equipe_HD.tif",
        "https://presse.cnes.fr/wp/VS20_pad.jpg",
        "https://presse.cnes.fr/video/VS20_lancement.mp4",
        "https://presse.cnes.fr/podcasts/cso1-interview.mp3",
    ]
    .iter()
    .map(|id| {
        let item = find(&items, id);
        (*id, item.title.as_deref(), item.creator.as_deref())
    })
    .collect();
    assert_eq!(
        credits,
        [
            (
                "https://cdn.arianespace.example/vs20/soyuz_rollout.jpg",
                Some("Soyuz rollout to the launch pad"),
                Some("Arianespace")
            ),
            (
                "https://presse.cnes.fr/files/VS20_equipe_HD.tif",
                Some("Les équipes du CNES au centre de contrôle Jupiter."),
                Some("CNES/P. Baudon")
            ),
            (
                "https://presse.cnes.fr/wp/VS20_pad.jpg",
                Some("Soyuz VS20 sur le pas de tir"),
                Some("ESA/CNES/Arianespace")
            ),
            (
                "https://presse.cnes.fr/video/VS20_lancement.mp4",
                Some("Le lancement en vidéo."),
                Some("CNES/ESA/Arianespace")
            ),
            (
                "https://presse.cnes.fr/podcasts/cso1-interview.mp3",
                Some("Interview du chef de projet CSO"),
                Some("CNES")
            ),
        ]
    );
}

#[test]
fn small_thumbnail_linking_to_hd_is_kept_and_wordpress_original_is_read() {
    let items = extract(PRESS_KIT, PAGE);
    let team = find(&items, "https://presse.cnes.fr/files/VS20_equipe_HD.tif");
    assert_eq!(
        team.thumbnail_url.as_deref(),
        Some("https://presse.cnes.fr/files/VS20_equipe_thumb.jpg")
    );
    let pad = find(&items, "https://presse.cnes.fr/wp/VS20_pad.jpg");
    assert_eq!((pad.width, pad.height), (Some(5568), Some(3712)));
    assert_eq!(
        pad.thumbnail_url.as_deref(),
        Some("https://presse.cnes.fr/wp/VS20_pad-300x200.jpg")
    );
}

#[test]
fn video_and_audio_elements_give_video_and_audio_items() {
    let items = extract(PRESS_KIT, PAGE);
    let video = find(&items, "https://presse.cnes.fr/video/VS20_lancement.mp4");
    assert_eq!(video.kind, Kind::Video);
    assert_eq!(
        video.thumbnail_url.as_deref(),
        Some("https://presse.cnes.fr/video/vs20-poster.jpg")
    );
    let audio = find(&items, "https://presse.cnes.fr/podcasts/cso1-interview.mp3");
    assert_eq!(audio.kind, Kind::Audio);
    assert!(
        !items.iter().any(|i| i.id.contains("fond-kourou")),
        "a muted looping background video is furniture"
    );
}

#[test]
fn uncaptioned_image_has_no_text_fields() {
    let items = extract(PRESS_KIT, PAGE);
    let bare = find(&items, "https://presse.cnes.fr/img/sans-legende.jpg");
    assert_eq!((bare.title.as_ref(), bare.creator.as_ref()), (None, None));
    assert_eq!(bare.thumbnail_url, None);
}

#[test]
fn sizes_from_attributes_decide_small_images() {
    let html = r#"<body>
        <img src="/a.jpg" width="199" height="150">
        <img src="/b.jpg" width="1200" height="150px">
        <img src="/c.jpg" width="100%">
        <img src="/d.jpg" srcset="/d-150.jpg 150w, /d-180.jpg 180w" width="800">
        </body>"#;
    let items = extract(html, "https://cnes.fr/kit");
    assert_eq!(
        ids(&items),
        ["https://cnes.fr/b.jpg", "https://cnes.fr/c.jpg"]
    );
    assert_eq!((items[0].width, items[0].height), (Some(1200), Some(150)));
    assert_eq!(items[1].width, None, "a percentage is not a size");
}

#[test]
fn lightbox_caption_and_base_href() {
    let html = r#"<head><base href="https://medias.cnes.fr/vs20/"></head><body>
        <a href="hd/cso1.jpg" data-caption="CSO-1 &lt;br&gt; en orbite. Credit: CNES">
        <img src="thumbs/cso1.jpg" width="160" height="90"></a></body>"#;
    let items = extract(html, "https://cnes.fr/kit");
    assert_eq!(ids(&items), ["https://medias.cnes.fr/vs20/hd/cso1.jpg"]);
    assert_eq!(items[0].title.as_deref(), Some("CSO-1 en orbite."));
    assert_eq!(items[0].creator.as_deref(), Some("CNES"));
}

#[test]
fn a_page_of_furniture_gives_nothing() {
    let html = r#"<header><img src="/logo.png"></header><nav><img src="/menu.jpg"></nav>
        <main><p>Texte seul.</p><img src="data:image/png;base64,AAAA"></main>
        <footer><img src="/partenaires.jpg" width="800" height="200"></footer>"#;
    assert!(extract(html, "https://cnes.fr/x").is_empty());
    assert!(extract("", "https://cnes.fr/x").is_empty());
}

/// Medium's figures, as its pages are served: a blurred 60 px placeholder, an empty image
/// the script fills, and the real file in `<noscript>`, all marked `role="presentation"`,
/// with the caption five levels up.
#[test]
fn a_noscript_fallback_in_a_figure_is_the_photo_and_its_placeholder_is_not() {
    let html = r#"<article><figure class="paragraph-image"><div><div><div><div>
        <div><img src="https://miro.medium.com/max/60/1*abc.png?q=20" width="1894" height="970" role="presentation"/></div>
        <img width="1894" height="970" role="presentation"/>
        <noscript><img src="https://miro.medium.com/max/3788/1*abc.png" width="1894" height="970" role="presentation"/></noscript>
        </div></div></div></div><figcaption>Memory leak in action</figcaption></figure>
        <img src="https://cdn.example/spacer.png" width="600" height="300" role="presentation"></article>"#;
    let doc = crate::media::html::parse_document(html);
    let found = items(
        &doc,
        &Url::parse("https://medium.com/@someone/post").unwrap(),
    );
    assert_eq!(ids(&found), ["https://miro.medium.com/max/3788/1*abc.png"]);
    assert_eq!(found[0].title.as_deref(), Some("Memory leak in action"));
    assert_eq!((found[0].width, found[0].height), (Some(1894), Some(970)));
}

#[test]
fn a_long_caption_gives_its_first_sentence_as_title_and_stays_whole_as_description() {
    let caption = "Soyuz VS20 lifts off from the Guiana Space Centre with the CSO-1 satellite. \
                   The launch took place on 19 December 2018 at 13:37 local time.";
    let html = format!(
        r#"<figure><img src="/vs20.jpg" width="2000"><figcaption>{caption}</figcaption></figure>"#
    );
    let found = extract(&html, PAGE);
    assert_eq!(
        found[0].title.as_deref(),
        Some("Soyuz VS20 lifts off from the Guiana Space Centre with the CSO-1 satellite.")
    );
    assert_eq!(found[0].description.as_deref(), Some(caption));
}

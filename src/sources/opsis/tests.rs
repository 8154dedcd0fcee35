use scraper::Html;
use url::Url;

use super::*;
use crate::fetch::decode::decode;
use crate::model::{Item, Kind};

const BASKET: &[u8] = include_bytes!("../../../tests/fixtures/opsis/basket_4378.html");
const BASKET_PAGE2: &str = include_str!("../../../tests/fixtures/opsis/basket_4378_page2.html");
const BASKET_PAGE3: &str = include_str!("../../../tests/fixtures/opsis/basket_4378_page3.html");
const BASKET_EMPTY: &[u8] = include_bytes!("../../../tests/fixtures/opsis/basket_empty.html");
const DOC_RICH: &str = include_str!("../../../tests/fixtures/opsis/doc_25312.html");
const DOC_TABLE: &[u8] = include_bytes!("../../../tests/fixtures/opsis/doc_25313.html");
const VISU_CDATA: &str = include_str!("../../../tests/fixtures/opsis/prepare_visu_25312.xml");
const VISU_LATIN1: &[u8] = include_bytes!("../../../tests/fixtures/opsis/prepare_visu_25314.xml");

const BASKET_URL: &str = "https://videotheque.cnes.fr/index.php?urlaction=commande&id_panier=4378";

fn url(text: &str) -> Url {
    Url::parse(text).unwrap()
}

/// Decodes as the fetcher does: the server says `text/html` without a charset, so the
/// page's own `http-equiv` declaration decides.
fn latin1_page(bytes: &[u8]) -> String {
    decode(bytes, Some("text/html"))
}

fn read_listing(body: &str, page: &str) -> Listing {
    listing(&Html::parse_document(body), &url(page))
}

/// What the registry gives a record's reader: the media the page's metadata describes.
fn described(doc: &Html, page: &Url) -> Vec<Item> {
    let mut items = crate::sources::jsonld::items(doc, page);
    items.extend(crate::sources::opengraph::items(doc, page));
    items
}

fn read_doc(body: &str, page: &str) -> OpsisDoc {
    let doc = Html::parse_document(body);
    let page = url(page);
    item_page(&doc, &page, &described(&doc, &page)).expect("an item page")
}

fn strings(urls: &[Url]) -> Vec<&str> {
    urls.iter().map(Url::as_str).collect()
}

#[test]
fn recognizes_opsis_urls_on_any_host() {
    let cases = [
        (BASKET_URL, Some(OpsisUrl::Basket { id: "4378".into() })),
        (
            "http://archives.example.org/opsis/index.php?urlaction=doc&id_doc=24866&rang=1",
            Some(OpsisUrl::Doc {
                id_doc: "24866".into(),
            }),
        ),
        (
            "https://videotheque.cnes.fr/?urlaction=Doc&id_doc=25312",
            Some(OpsisUrl::Doc {
                id_doc: "25312".into(),
            }),
        ),
        (
            "https://videotheque.cnes.fr/index.php?urlaction=recherche&page=2",
            Some(OpsisUrl::Listing {
                action: "recherche".into(),
            }),
        ),
        (
            "https://videotheque.cnes.fr/empty.php?xmlhttp=1&urlaction=prepareVisu&id=25312&type=document",
            Some(OpsisUrl::Visu {
                id_doc: "25312".into(),
            }),
        ),
        ("https://videotheque.cnes.fr/index.php", None),
        ("https://videotheque.cnes.fr/index.php?urlaction=doc", None),
        (
            "https://videotheque.cnes.fr/index.php?urlaction=doc&id_doc=1%27%20or",
            None,
        ),
        ("https://cnes.fr/fr/page.php?urlaction=doc&id_doc=1", None),
        (
            "ftp://videotheque.cnes.fr/index.php?urlaction=doc&id_doc=1",
            None,
        ),
    ];
    for (text, expected) in cases {
        assert_eq!(recognize(&url(text)), expected, "{text}");
    }
}

#[test]
fn item_id_is_the_canonical_item_page() {
    for text in [
        "https://videotheque.cnes.fr/index.php?urlaction=doc&id_doc=25312&rang=1",
        "https://VideoTheque.cnes.fr:443/index.php?rang=7&id_doc=25312&urlaction=doc&utm_source=x#player",
        "https://videotheque.cnes.fr/?urlaction=doc&id_doc=25312",
        "https://videotheque.cnes.fr/empty.php?xmlhttp=1&urlaction=prepareVisu&method=QT&action=visu&pattern=_vis.mp4&id=25312&type=document",
    ] {
        assert_eq!(
            doc_url(&url(text)).map(String::from).as_deref(),
            Some("https://videotheque.cnes.fr/index.php?urlaction=doc&id_doc=25312"),
            "{text}"
        );
    }
    assert_eq!(doc_url(&url(BASKET_URL)), None);
}

#[test]
fn visu_url_is_built_beside_the_item_page() {
    let built = visu_url(&url(
        "http://archives.example.org/opsis/index.php?urlaction=doc&id_doc=24866&rang=1",
    ));
    assert_eq!(
        built.map(String::from).as_deref(),
        Some(
            "http://archives.example.org/opsis/empty.php?xmlhttp=1&urlaction=prepareVisu&method=QT&action=visu&pattern=_vis.mp4&id=24866&type=document"
        )
    );
    assert_eq!(visu_url(&url(BASKET_URL)), None);
}

#[test]
fn latin1_basket_lists_its_items_and_later_pages() {
    let page = read_listing(&latin1_page(BASKET), BASKET_URL);
    assert_eq!(
        page.title.as_deref(),
        Some("Panier : Lancement CSO-1 par Soyuz (VS20)")
    );
    assert_eq!(
        strings(&page.item_pages),
        [
            "https://videotheque.cnes.fr/index.php?urlaction=doc&id_doc=25312&rang=1",
            "https://videotheque.cnes.fr/index.php?urlaction=doc&id_doc=25313&rang=2",
            "https://videotheque.cnes.fr/index.php?urlaction=doc&id_doc=25314&rang=3",
        ]
    );
    assert_eq!(
        strings(&page.next_pages),
        [
            "https://videotheque.cnes.fr/index.php?urlaction=commande&id_panier=4378&page=2",
            "https://videotheque.cnes.fr/index.php?urlaction=commande&id_panier=4378&page=3",
        ]
    );
    let shown: Vec<(&str, Option<&str>, Option<u32>)> = page
        .items
        .iter()
        .map(|i| (i.id.as_str(), i.title.as_deref(), i.duration_seconds))
        .collect();
    assert_eq!(
        shown,
        [
            (
                "https://videotheque.cnes.fr/index.php?urlaction=doc&id_doc=25312",
                Some("Lancement Soyuz VS20 / CSO-1"),
                Some(103)
            ),
            (
                "https://videotheque.cnes.fr/index.php?urlaction=doc&id_doc=25313",
                Some("Transfert de CSO-1 vers l'ensemble de lancement"),
                Some(125)
            ),
            (
                "https://videotheque.cnes.fr/index.php?urlaction=doc&id_doc=25314",
                Some("CSO-1 : entretien avec le chef de projet"),
                Some(252)
            ),
        ]
    );
}

#[test]
fn listing_items_carry_what_the_block_shows() {
    let page = read_listing(&latin1_page(BASKET), BASKET_URL);
    let launch = &page.items[0];
    assert_eq!(launch.kind, Kind::Video);
    assert_eq!(launch.source, SOURCE);
    assert_eq!(launch.page_url.as_deref(), Some(launch.id.as_str()));
    assert_eq!(
        launch.description.as_deref(),
        Some(
            "Décollage du lanceur Soyuz depuis le Centre spatial guyanais avec le satellite CSO-1."
        )
    );
    assert_eq!(
        launch.published_at.map(|t| t.to_string()).as_deref(),
        Some("2018"),
        "`Date : 2018` is only a year, and stays one"
    );
    assert_eq!(
        launch.thumbnail_url.as_deref(),
        Some("https://videotheque.cnes.fr/vignettes/25312_vignette.jpg")
    );
    assert_eq!(launch.collection, page.title);
    assert_eq!(launch.collection_url.as_deref(), Some(BASKET_URL));
    assert_eq!(
        page.items[2].thumbnail_url, None,
        "a pictogram is no thumbnail"
    );
}

#[test]
fn table_listing_page_reads_rows_and_the_pager_script() {
    let page = read_listing(BASKET_PAGE2, &format!("{BASKET_URL}&page=2"));
    assert_eq!(
        strings(&page.next_pages),
        ["https://videotheque.cnes.fr/index.php?urlaction=commande&id_panier=4378&page=3"],
        "earlier pages are not walked again"
    );
    assert_eq!(page.items.len(), 1);
    let orbit = &page.items[0];
    assert_eq!(
        orbit.id,
        "https://videotheque.cnes.fr/index.php?urlaction=doc&id_doc=25315"
    );
    assert_eq!(
        orbit.title.as_deref(),
        Some("CSO-1 en orbite : premières images")
    );
    assert_eq!(orbit.duration_seconds, Some(58));
    assert_eq!(
        orbit.published_at.map(|t| t.to_string()).as_deref(),
        Some("2018-12-21")
    );
    assert_eq!(
        orbit.collection_url.as_deref(),
        Some(BASKET_URL),
        "the collection is the basket, whatever the page"
    );
}

#[test]
fn pagination_that_ends_early_stops_at_the_empty_page() {
    let page = read_listing(BASKET_PAGE3, &format!("{BASKET_URL}&page=3"));
    assert!(page.items.is_empty() && page.item_pages.is_empty());
    assert!(
        page.next_pages.is_empty(),
        "the pager promises page 4, but an empty page ends the walk"
    );
}

#[test]
fn empty_basket_gives_nothing() {
    let page = read_listing(
        &latin1_page(BASKET_EMPTY),
        "https://videotheque.cnes.fr/index.php?urlaction=commande&id_panier=4379",
    );
    assert_eq!(page.title.as_deref(), Some("Panier"));
    assert!(page.items.is_empty() && page.item_pages.is_empty() && page.next_pages.is_empty());
}

#[test]
fn item_page_with_open_graph_and_json_ld_is_one_item() {
    let page = "https://videotheque.cnes.fr/index.php?urlaction=doc&id_doc=25312&rang=1";
    let record = read_doc(DOC_RICH, page);
    assert_eq!(record.id_doc, "25312");
    assert_eq!(record.reference.as_deref(), Some("CNES-VS20-0001"));
    assert_eq!(record.visu_url, visu_url(&url(page)));
    let item = &record.item;
    assert_eq!(
        item.id,
        "https://videotheque.cnes.fr/index.php?urlaction=doc&id_doc=25312"
    );
    assert_eq!(item.page_url.as_deref(), Some(item.id.as_str()));
    assert_eq!(item.kind, Kind::Video);
    assert_eq!(item.source, SOURCE);
    assert_eq!(
        item.title.as_deref(),
        Some("Lancement Soyuz VS20 / CSO-1"),
        "the record's title wins over og:title"
    );
    assert_eq!(
        item.description.as_deref(),
        Some(
            "Décollage du lanceur Soyuz (vol VS20) depuis l'Ensemble de lancement Soyouz du CSG, \
             le 19 décembre 2018 à 13h37 heure locale. À son bord, le satellite militaire \
             d'observation CSO-1."
        )
    );
    assert_eq!(
        item.creator.as_deref(),
        Some("CNES/ESA/Arianespace/Optique Vidéo du CSG - S. Martin")
    );
    assert_eq!(
        item.tags,
        ["VS20", "CSO", "Soyouz", "Kourou", "Soyuz", "Guyane"]
    );
    assert_eq!(item.duration_seconds, Some(103));
    assert_eq!(
        item.published_at.map(|t| t.to_string()).as_deref(),
        Some("2018-12-19")
    );
    assert_eq!(
        item.media_url.as_deref(),
        Some("https://videotheque.cnes.fr/videos/25312_vis.mp4")
    );
    assert_eq!((item.width, item.height), (Some(1280), Some(720)));
    assert_eq!(
        item.thumbnail_url.as_deref(),
        Some("https://videotheque.cnes.fr/vignettes/25312_vignette.jpg")
    );
    assert_eq!(item.license.as_deref(), Some("CC BY-NC-ND 4.0"));
    assert_eq!(
        item.license_url.as_deref(),
        Some("https://creativecommons.org/licenses/by-nc-nd/4.0/")
    );
}

#[test]
fn latin1_item_page_with_only_a_table() {
    let page = "https://videotheque.cnes.fr/index.php?urlaction=doc&id_doc=25313&rang=2";
    let record = read_doc(&latin1_page(DOC_TABLE), page);
    let item = &record.item;
    assert_eq!(
        item.id,
        "https://videotheque.cnes.fr/index.php?urlaction=doc&id_doc=25313"
    );
    assert_eq!(
        item.title.as_deref(),
        Some("Transfert de CSO-1 vers l'ensemble de lancement"),
        "the record's title, not the site's <h1>"
    );
    assert_eq!(
        item.description.as_deref(),
        Some(
            "Le satellite CSO-1, encapsulé sous la coiffe, quitte le bâtiment d'assemblage S3B \
             et rejoint le lanceur Soyuz sur l'ELS « Ensemble de lancement Soyouz »."
        )
    );
    assert_eq!(item.duration_seconds, Some(125), "timecode frames dropped");
    assert_eq!(
        item.tags,
        ["CSO-1", "Soyouz", "salle blanche", "Kourou", "csg"]
    );
    assert_eq!(
        item.creator.as_deref(),
        Some("CNES/ESA/Arianespace/Optique Vidéo du CSG - P. Baudon")
    );
    assert_eq!(
        item.license.as_deref(),
        Some("Utilisation libre pour la presse")
    );
    assert_eq!(
        item.taken_at.map(|t| t.to_string()).as_deref(),
        Some("2018-12-14")
    );
    assert_eq!(
        item.published_at.map(|t| t.to_string()).as_deref(),
        Some("2018-12-18")
    );
    assert_eq!(record.reference.as_deref(), Some("CNES-VS20-0002"));
    assert_eq!(
        (
            item.media_url.as_ref(),
            item.thumbnail_url.as_ref(),
            item.width
        ),
        (None, None, None)
    );
    assert_eq!(item.kind, Kind::Video);
}

#[test]
fn not_an_item_page_gives_none() {
    let doc = Html::parse_document(BASKET_PAGE2);
    assert_eq!(item_page(&doc, &url(BASKET_URL), &[]), None);
    assert_eq!(
        item_page(&Html::parse_document(""), &url("https://cnes.fr/"), &[]),
        None
    );
}

#[test]
fn an_item_page_reached_through_a_redirect_is_known_by_its_og_url() {
    let record = read_doc(DOC_RICH, "https://videotheque.cnes.fr/index.php");
    assert_eq!(
        record.item.id,
        "https://videotheque.cnes.fr/index.php?urlaction=doc&id_doc=25312"
    );
}

#[test]
fn media_url_from_cdata_with_a_relative_url() {
    let visu = visu_url(&url(
        "https://videotheque.cnes.fr/index.php?urlaction=doc&id_doc=25312&rang=1",
    ))
    .unwrap();
    assert_eq!(
        media_url(VISU_CDATA, &visu).map(String::from).as_deref(),
        Some("https://videotheque.cnes.fr/videos/25312_vis.mp4")
    );
}

#[test]
fn media_url_with_entities_in_latin1_makes_the_item_audio() {
    let answer = decode(VISU_LATIN1, Some("text/xml"));
    let visu = url("https://videotheque.cnes.fr/empty.php?urlaction=prepareVisu&id=25314");
    let media = media_url(&answer, &visu).expect("a media URL");
    assert_eq!(
        media.as_str(),
        "https://videotheque.cnes.fr/media/25314_vis.mp3?jeton=8f3a2c&expire=1545264000"
    );
    let mut item = Item::new(
        "https://videotheque.cnes.fr/index.php?urlaction=doc&id_doc=25314",
        Kind::Video,
        SOURCE,
    );
    item.width = Some(640);
    apply_media_url(&mut item, &media);
    assert_eq!(item.kind, Kind::Audio);
    assert_eq!(item.media_url.as_deref(), Some(media.as_str()));
    assert_eq!(
        item.width, None,
        "a size known for no file, or another, is dropped"
    );
    assert_eq!(
        item.id, "https://videotheque.cnes.fr/index.php?urlaction=doc&id_doc=25314",
        "the id does not depend on the player's answer"
    );
}

#[test]
fn applying_the_same_file_keeps_its_size() {
    let page = "https://videotheque.cnes.fr/index.php?urlaction=doc&id_doc=25312&rang=1";
    let mut item = read_doc(DOC_RICH, page).item;
    let before = item.id.clone();
    let visu = visu_url(&url(page)).unwrap();
    apply_media_url(&mut item, &media_url(VISU_CDATA, &visu).unwrap());
    assert_eq!((item.width, item.height), (Some(1280), Some(720)));
    assert_eq!(item.id, before);
}

#[test]
fn unusable_player_answers_give_no_media() {
    let visu = url("https://videotheque.cnes.fr/empty.php?urlaction=prepareVisu&id=1");
    for answer in [
        "",
        "<data><mediaurl></mediaurl></data>",
        "<data><mediaurl/></data>",
        "<data><mediaurl><![CDATA[ ]]></mediaurl></data>",
        "<data><error>Document non visualisable</error></data>",
        "<data><mediaurl>javascript:alert(1)</mediaurl></data>",
        "<html><body>Erreur 500</body></html>",
    ] {
        assert_eq!(media_url(answer, &visu), None, "{answer}");
    }
    assert_eq!(
        media_url(
            "<data><mediaurl></mediaurl><mediaurl> /v/2.mp4 </mediaurl><broken",
            &visu
        )
        .map(String::from)
        .as_deref(),
        Some("https://videotheque.cnes.fr/v/2.mp4"),
        "the first usable one, in a body that is not well-formed"
    );
}

#[test]
fn sidebar_links_are_not_the_listing() {
    let html = r#"<body><aside><a href="index.php?urlaction=doc&id_doc=1">À la une</a></aside>
        <div class="bloc"><a href="index.php?urlaction=doc&id_doc=2">Vidéo 2</a></div>
        <a href="?page=2">2</a></body>"#;
    let page = read_listing(html, "https://v.example/index.php?urlaction=recherche");
    assert_eq!(
        strings(&page.item_pages),
        ["https://v.example/index.php?urlaction=doc&id_doc=2"]
    );
    assert_eq!(page.items[0].title.as_deref(), Some("Vidéo 2"));
    assert_eq!(
        strings(&page.next_pages),
        ["https://v.example/index.php?urlaction=recherche&page=2"]
    );
}

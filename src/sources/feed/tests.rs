use feed_rs::model::Entry;
use url::Url;

use super::extras::{Extras, pair_extras};
use super::repair::prepare;
use super::{items, looks_like_feed};
use crate::model::{Item, Kind, Source, When};
use crate::sources::testing::FlickrIds;

const FLICKR_RSS: &str = include_str!("../../../tests/fixtures/feeds/flickr_photoset.rss");
const FLICKR_ATOM: &str = include_str!("../../../tests/fixtures/feeds/flickr_photoset.atom");
const PODCAST: &str = include_str!("../../../tests/fixtures/feeds/podcast.rss");
const MEDIA_GROUP: &str = include_str!("../../../tests/fixtures/feeds/media_group.rss");
const EMPTY: &str = include_str!("../../../tests/fixtures/feeds/empty.rss");

const FLICKR_FEED: &str = "https://api.flickr.com/services/feeds/photoset.gne?set=72157704555614144&nsid=38194218@N05&lang=en-us&format=rss_200";

fn extract(body: &str, feed: &str) -> Vec<Item> {
    items(body, &Url::parse(feed).unwrap(), &FlickrIds)
}

fn rfc(t: Option<When>) -> Option<String> {
    t.map(|t| t.to_string())
}

#[test]
fn flickr_rss_photo_has_every_field() {
    let items = extract(FLICKR_RSS, FLICKR_FEED);
    let ids: Vec<&str> = items.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, ["flickr:45539063392", "flickr:31628453257"]);

    let photo = &items[0];
    assert_eq!(photo.kind, Kind::Photo);
    assert_eq!(photo.source, Source::Feed);
    assert_eq!(
        photo.title.as_deref(),
        Some("VS20 : décollage de Soyuz avec CSO-1")
    );
    assert_eq!(
        photo.description.as_deref(),
        Some(
            "Décollage du lanceur Soyuz (vol VS20) le 19 décembre 2018 à 13h37 heure de \
                 Kourou, avec à son bord le satellite CSO-1. Crédits : CNES/ESA/Arianespace/\
                 Optique Vidéo du CSG - S. Martin"
        )
    );
    assert_eq!(photo.creator.as_deref(), Some("CNES"));
    assert_eq!(photo.tags, ["vs20", "cso", "soyuz", "kourou", "csg"]);
    assert_eq!(
        rfc(photo.taken_at).as_deref(),
        Some("2018-12-19T13:37:14-08:00")
    );
    assert_eq!(
        rfc(photo.published_at).as_deref(),
        Some("2018-12-19T10:12:45-08:00")
    );
    assert_eq!((photo.width, photo.height), (Some(1024), Some(683)));
    assert_eq!(photo.duration_seconds, None);
    assert_eq!(
        photo.media_url.as_deref(),
        Some("https://farm5.staticflickr.com/4876/45539063392_2c5a0e4a1b_b.jpg")
    );
    assert_eq!(
        photo.thumbnail_url.as_deref(),
        Some("https://farm5.staticflickr.com/4876/45539063392_2c5a0e4a1b_s.jpg")
    );
    assert_eq!(
        photo.page_url.as_deref(),
        Some("https://www.flickr.com/photos/cnes/45539063392/")
    );
    assert_eq!(photo.collection.as_deref(), Some("VS20 - CSO-1"));
    assert_eq!(photo.license.as_deref(), Some("CC BY-NC-SA 2.0"));
    assert_eq!(
        photo.license_url.as_deref(),
        Some("https://creativecommons.org/licenses/by-nc-sa/2.0/deed.en")
    );
    assert!(photo.campaigns.is_empty() && photo.found_via.is_empty());
}

#[test]
fn untitled_flickr_photo_survives_its_empty_media_title() {
    // feed-rs alone rejects the whole feed over `<media:title></media:title>`.
    let items = extract(FLICKR_RSS, FLICKR_FEED);
    let photo = &items[1];
    assert_eq!(photo.title, None);
    assert_eq!(photo.description, None, "only Flickr's preamble was there");
    assert_eq!(photo.creator.as_deref(), Some("CNES"));
    assert!(photo.tags.is_empty());
    assert_eq!(
        (photo.license.as_deref(), photo.license_url.as_deref()),
        (None, None)
    );
    assert_eq!((photo.width, photo.height), (Some(683), Some(1024)));
    assert_eq!(
        rfc(photo.taken_at).as_deref(),
        Some("2018-12-17T09:05:11-08:00")
    );
}

#[test]
fn flickr_author_without_credit_is_unwrapped() {
    let body = FLICKR_RSS.replace(
        "<media:credit role=\"photographer\">CNES</media:credit>",
        "",
    );
    let items = extract(&body, FLICKR_FEED);
    assert_eq!(items[0].creator.as_deref(), Some("CNES"), "from (\"CNES\")");
    assert_eq!(items[1].creator.as_deref(), Some("CNES"), "from (CNES)");
}

#[test]
fn flickr_atom_entries_use_enclosures_and_categories() {
    let feed = "https://api.flickr.com/services/feeds/photoset.gne?set=72157704555614144&nsid=38194218@N05&format=atom";
    let items = extract(FLICKR_ATOM, feed);
    let ids: Vec<&str> = items.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, ["flickr:46402174562", "flickr:32576214718"]);

    let photo = &items[0];
    assert_eq!(photo.kind, Kind::Photo);
    assert_eq!(photo.title.as_deref(), Some("Soyuz VS20 sur le pas de tir"));
    assert_eq!(
        photo.description.as_deref(),
        Some("Le lanceur Soyuz et CSO-1 sur le pas de tir de l'ELS, la veille du lancement.")
    );
    assert_eq!(photo.creator.as_deref(), Some("CNES"));
    assert_eq!(photo.tags, ["vs20", "cso", "soyuz", "els"]);
    assert_eq!(
        rfc(photo.taken_at).as_deref(),
        Some("2018-12-18T15:54:37-08:00")
    );
    assert_eq!(
        rfc(photo.published_at).as_deref(),
        Some("2018-12-20T10:14:07Z")
    );
    assert_eq!(
        photo.media_url.as_deref(),
        Some("https://farm5.staticflickr.com/4911/46402174562_8d2f0c1e9b_b.jpg")
    );
    assert_eq!((photo.width, photo.height), (None, None));
    assert_eq!(
        photo.page_url.as_deref(),
        Some("https://www.flickr.com/photos/cnes/46402174562/")
    );
    assert_eq!(photo.collection.as_deref(), Some("VS20 - CSO-1"));

    let second = &items[1];
    assert_eq!(
        second.title.as_deref(),
        Some("Transfert de CSO-1 vers l'ensemble de lancement")
    );
    assert_eq!(second.description, None);
    assert!(second.tags.is_empty());
}

#[test]
fn podcast_keeps_audio_episodes_only() {
    let items = extract(PODCAST, "https://cnes.fr/fr/podcasts/feed.xml");
    let ids: Vec<&str> = items.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "https://cnes.fr/podcasts/audio/vs20-cso-1.mp3",
            "https://cnes.fr/fr/podcasts/audio/vs20-bilan.m4a",
        ],
        "no text-only entry, no broken URL, no PDF"
    );
    let episode = &items[0];
    assert_eq!(episode.kind, Kind::Audio);
    assert_eq!(
        episode.title.as_deref(),
        Some("Fusée Soyuz VS20 : CSO-1 en orbite")
    );
    assert_eq!(
        episode.description.as_deref(),
        Some("Retour sur le lancement de CSO-1 par le vol Soyuz VS20. #VS20 #CSO")
    );
    assert_eq!(
        episode.creator.as_deref(),
        Some("Service de presse du CNES")
    );
    assert_eq!(episode.tags, ["VS20", "CSO"]);
    assert_eq!(episode.duration_seconds, Some(725));
    assert_eq!(
        rfc(episode.published_at).as_deref(),
        Some("2018-12-20T09:00:00+01:00")
    );
    assert_eq!(
        episode.page_url.as_deref(),
        Some("https://cnes.fr/fr/podcasts/vs20-cso-1")
    );
    assert_eq!(episode.thumbnail_url, None);
    assert_eq!((episode.width, episode.height), (None, None));

    let relative = &items[1];
    assert_eq!(
        relative.kind,
        Kind::Audio,
        "judged by its .m4a name: type is empty"
    );
    assert_eq!(relative.duration_seconds, Some(754));
    assert_eq!(relative.page_url, None);
    assert_eq!(relative.creator, None);
}

#[test]
fn stale_iso_8859_1_declaration_does_not_garble_text() {
    let items = extract(PODCAST, "https://cnes.fr/fr/podcasts/feed.xml");
    assert_eq!(
        items[0].collection.as_deref(),
        Some("Fusée & satellites : les podcasts du CNES")
    );
    let bom = format!("\u{feff}{PODCAST}");
    assert_eq!(extract(&bom, "https://cnes.fr/fr/podcasts/feed.xml"), items);
}

#[test]
fn media_group_gives_its_largest_rendition() {
    let items = extract(MEDIA_GROUP, "https://videos.cnes.fr/feed.rss");
    assert_eq!(items.len(), 3, "{items:#?}");
    let video = &items[0];
    assert_eq!(video.id, "https://videos.cnes.fr/media/vs20_1080p.mp4");
    assert_eq!(video.kind, Kind::Video);
    assert_eq!(
        video.media_url.as_deref(),
        Some("https://videos.cnes.fr/media/vs20_1080p.mp4")
    );
    assert_eq!(
        (video.width, video.height),
        (Some(1920), Some(1080)),
        "width=\" 1920\""
    );
    assert_eq!(video.duration_seconds, Some(103));
    assert_eq!(
        video.title.as_deref(),
        Some("Soyuz VS20 lifts off with CSO-1")
    );
    assert_eq!(
        video.description.as_deref(),
        Some("Liftoff of Soyuz VS20 from Kourou.")
    );
    assert_eq!(
        video.creator.as_deref(),
        Some("CNES/ESA/Arianespace - Optique Vidéo du CSG"),
        "the author, not the publisher"
    );
    assert_eq!(video.tags, ["VS20", "CSO", "Soyuz", "Kourou", "Lancements"]);
    assert_eq!(video.license.as_deref(), Some("CC BY-ND 4.0"));
    assert_eq!(
        video.license_url.as_deref(),
        Some("https://creativecommons.org/licenses/by-nd/4.0/")
    );
    assert_eq!(
        video.thumbnail_url.as_deref(),
        Some("https://videos.cnes.fr/media/vs20_thumb.jpg")
    );
    assert_eq!(
        rfc(video.published_at).as_deref(),
        Some("2018-12-19T18:30:00+01:00")
    );
    assert_eq!(
        video.page_url.as_deref(),
        Some("https://videos.cnes.fr/lancement-vs20-cso-1")
    );
    assert_eq!(
        video.collection.as_deref(),
        Some("CNES - Vidéos de lancement")
    );
    assert_eq!(video.taken_at, None);
}

#[test]
fn media_group_lists_every_rendition_largest_first() {
    let items = extract(MEDIA_GROUP, "https://videos.cnes.fr/feed.rss");
    let sizes: Vec<(&str, Option<u32>)> = items[0]
        .sizes
        .iter()
        .map(|s| (s.url.as_str(), s.height))
        .collect();
    assert_eq!(
        sizes,
        [
            ("https://videos.cnes.fr/media/vs20_1080p.mp4", Some(1080)),
            ("https://videos.cnes.fr/media/vs20_720p.mp4", Some(720)),
            ("https://videos.cnes.fr/media/vs20_360p.mp4", Some(360)),
        ]
    );
    let single: Vec<&str> = items[1].sizes.iter().map(|s| s.url.as_str()).collect();
    assert_eq!(
        single,
        ["https://videos.cnes.fr/photos/cso1_encapsulation.jpg"],
        "a lone file is its own only size"
    );
}

#[test]
fn group_without_sizes_falls_back_to_is_default() {
    let body = MEDIA_GROUP
        .replace(" width=\"640\" height=\"360\"", "")
        .replace(" width=\" 1920\" height=\"1080\"", "")
        .replace(" width=\"1280\" height=\"720\"", "");
    let items = extract(&body, "https://videos.cnes.fr/feed.rss");
    assert_eq!(items[0].id, "https://videos.cnes.fr/media/vs20_360p.mp4");
    assert_eq!((items[0].width, items[0].height), (None, None));
}

#[test]
fn ungrouped_contents_are_one_item_each() {
    let items = extract(MEDIA_GROUP, "https://videos.cnes.fr/feed.rss");
    let photos: Vec<(&str, Kind, Option<u32>, Option<u32>)> = items[1..]
        .iter()
        .map(|i| (i.id.as_str(), i.kind, i.width, i.height))
        .collect();
    assert_eq!(
        photos,
        [
            (
                "https://videos.cnes.fr/photos/cso1_encapsulation.jpg",
                Kind::Photo,
                Some(4000),
                Some(2667)
            ),
            (
                "https://videos.cnes.fr/photos/cso1_transfert.tif",
                Kind::Photo,
                Some(3000),
                Some(2000)
            ),
        ]
    );
    for photo in &items[1..] {
        assert_eq!(
            photo.title.as_deref(),
            Some("CSO-1 : photos de la campagne")
        );
        // `type="text"` would have made feed-rs reject the feed.
        assert_eq!(
            photo.description.as_deref(),
            Some("Deux photos de la campagne CSO-1 & VS20.")
        );
        assert_eq!(
            photo.creator.as_deref(),
            Some("ESA/CNES/Arianespace"),
            "from media:copyright"
        );
        assert_eq!(photo.duration_seconds, None);
    }
}

#[test]
fn empty_and_malformed_feeds_give_nothing() {
    assert!(extract(EMPTY, "https://videos.cnes.fr/feed.rss").is_empty());
    for body in [
        "",
        "not xml",
        "<html><body>hi</body></html>",
        "<rss version=\"2.0\"><channel><item>",
    ] {
        assert!(extract(body, "https://cnes.fr/feed").is_empty(), "{body:?}");
    }
}

#[test]
fn truncated_feeds_never_panic() {
    for body in [FLICKR_RSS, FLICKR_ATOM, PODCAST, MEDIA_GROUP] {
        let mut cut = 0;
        while cut < body.len() {
            if body.is_char_boundary(cut) {
                let _ = extract(&body[..cut], "https://cnes.fr/feed");
            }
            cut += 97;
        }
    }
}

#[test]
fn prepare_removes_the_declaration_and_only_the_fatal_media_quirks() {
    let body = "\u{feff}<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<rss xmlns:m=\"http://search.yahoo.com/mrss/\">\
            <m:title></m:title><m:title/><m:description type=\"text\" xml:lang=\"fr\">Fusée</m:description>\
            <m:description type=\"html\">&lt;b&gt;ok&lt;/b&gt;</m:description><title></title></rss>";
    assert_eq!(
        prepare(body),
        "\n<rss xmlns:m=\"http://search.yahoo.com/mrss/\">\
            <m:description xml:lang=\"fr\">Fusée</m:description>\
            <m:description type=\"html\">&lt;b&gt;ok&lt;/b&gt;</m:description><title></title></rss>"
    );
    assert_eq!(
        prepare("<rss><channel></rss>"),
        "<rss><channel></rss>",
        "broken XML left alone"
    );
}

#[test]
fn prepare_removes_every_declaration_and_keeps_other_instructions() {
    let body = "<!-- a --><?xml version=\"1.0\" encoding=\"windows-1252\"?><feed><id>x</id>\
                <?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><?xml-stylesheet href=\"s\"?></feed>";
    assert_eq!(
        prepare(body),
        "<!-- a --><feed><id>x</id><?xml-stylesheet href=\"s\"?></feed>"
    );
    assert_eq!(prepare("<feed><?xml version"), "<feed>", "unterminated");
}

#[test]
fn prepare_puts_a_space_between_an_address_and_a_wide_character_beside_it() {
    assert_eq!(
        prepare("<author>Jean Dupont\u{a0}jean@example.org\u{a0}(CNES)</author>"),
        "<author>Jean Dupont\u{a0} jean@example.org \u{a0}(CNES)</author>"
    );
    assert_eq!(
        prepare("<author>J&#233;r&#244;me&#160;j@example.org&#160;x</author>"),
        "<author>J&#233;r&#244;me&#160; j@example.org &#160;x</author>"
    );
    assert_eq!(
        prepare("<managingEditor>r\u{fffd}web@example.org (p <generator>g</generator>"),
        "<managingEditor>r\u{fffd} web@example.org (p <generator>g</generator>",
        "an element left open"
    );
    assert_eq!(
        prepare("<webMaster><![CDATA[w@example.org]]>\u{e9}t\u{e9}</webMaster>"),
        "<webMaster><![CDATA[w@example.org]]> \u{e9}t\u{e9}</webMaster>",
        "through CDATA"
    );
    let plain = "<author>jean@example.org (Jean Dupont)</author>\
                 <link>https://example.org/?to=jean@example.org&amp;\u{e9}t\u{e9}=1</link>";
    assert_eq!(prepare(plain), plain, "only the elements feed-rs splits");
}

#[test]
fn many_author_elements_left_open_each_look_only_up_to_the_next() {
    let open = "<author>Jean Dupont ".repeat(20_000);
    let body = format!("{open}<author>Jean\u{a0}jean@example.org</author>");
    let prepared = prepare(&body);
    assert!(prepared.starts_with(&open));
    assert!(prepared.ends_with("<author>Jean\u{a0} jean@example.org</author>"));
}

#[test]
fn extras_pair_by_guid_when_counts_differ() {
    let entries = vec![Entry {
        id: "b".to_string(),
        ..Entry::default()
    }];
    let extras = vec![
        Extras {
            id: Some("a".into()),
            taken: Some("1".into()),
            ..Extras::default()
        },
        Extras {
            id: Some("b".into()),
            taken: Some("2".into()),
            ..Extras::default()
        },
    ];
    let paired = pair_extras(&entries, extras);
    assert_eq!(paired.len(), 1);
    assert_eq!(paired[0].taken.as_deref(), Some("2"));
}

#[test]
fn feeds_are_recognised_by_type_or_root() {
    let rss = "\u{feff}<?xml version=\"1.0\"?>\n<!-- generated -->\n<!DOCTYPE rss [<!ENTITY x \"y\">]>\n<rss version=\"2.0\">";
    let cases = [
        (Some("application/rss+xml"), "", true),
        (Some("application/atom+xml; charset=utf-8"), "", true),
        (Some("application/xml"), rss, true),
        (
            Some("text/xml"),
            "<feed xmlns=\"http://www.w3.org/2005/Atom\">",
            true,
        ),
        (Some("text/xml"), "<rdf:RDF xmlns:rdf=\"x\">", true),
        (Some("text/xml"), "<sitemapindex>", false),
        (None, FLICKR_ATOM, true),
        (Some("text/plain"), PODCAST, true),
        (Some("application/octet-stream"), MEDIA_GROUP, true),
        (Some("text/html"), rss, false),
        (Some("application/feed+json"), "{\"version\":\"x\"}", false),
        (None, "<!DOCTYPE html><html>", false),
        (None, "", false),
        (None, "<?xml version=\"1.0\"", false),
        (None, "<!-- never closed", false),
    ];
    for (content_type, body, expected) in cases {
        assert_eq!(
            looks_like_feed(content_type, body),
            expected,
            "{content_type:?} {body:.40}"
        );
    }
}

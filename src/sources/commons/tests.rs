//! The Commons source against the fixture site's MediaWiki API, on loopback.

use url::Url;

use super::Commons;
use crate::failure::FailureKind;
use crate::model::Kind;
use crate::sources::platform::testing::{Fixture, fetcher, ids, read};
use crate::sources::{Listing, Source};

fn source(fixture: &Fixture) -> Commons {
    Commons::new(
        &fetcher(),
        &fixture.settings(&[("ARCHIVE_CONTACT", "desk@example.org")]),
    )
    .expect("valid settings")
}

#[tokio::test]
async fn a_category_is_read_to_the_end_of_its_continuation() {
    let fixture = Fixture::start();
    let commons = source(&fixture);
    let url = "https://commons.wikimedia.org/wiki/Category:Soyuz_VS20_CSO-1";
    let (reading, items) = read(&commons, &fetcher(), url, &["VS20"]).await;
    let reading = reading.expect("the category is read");
    assert_eq!(
        ids(&items),
        [
            "commons:Soyuz_VS20_liftoff.jpg",
            "commons:Soyuz_VS20_launch.webm",
            "commons:CSO-1_fairing.jpg"
        ],
        "both batches; the PDF is not media"
    );
    assert_eq!(
        reading.links,
        [Url::parse("https://commons.wikimedia.org/wiki/Category:CSO-1_clean_room").unwrap()],
        "a subcategory is a link, one level further"
    );
    assert!(matches!(reading.listing, Some(Listing::Read { ref ids, .. }) if ids.len() == 3));
    let liftoff = &items[0];
    assert_eq!(liftoff.creator.as_deref(), Some("ESA–S. Corvaja"));
    assert_eq!(
        liftoff.description.as_deref(),
        Some("Liftoff of Soyuz flight VS20 with CSO-1 & its fairing"),
        "English, as text"
    );
    assert_eq!(liftoff.collection.as_deref(), Some("Soyuz VS20 CSO-1"));
    let video = &items[1];
    assert_eq!(video.kind, Kind::Video);
    assert_eq!(video.duration_seconds, Some(102));
    assert_eq!(
        video.license_url.as_deref(),
        Some("https://creativecommons.org/licenses/by-sa/3.0/igo/")
    );
    assert_eq!(
        video.taken_at.map(|t| t.to_string()).as_deref(),
        Some("2018-12-18T16:37:14")
    );
    let fairing = &items[2];
    assert_eq!(
        fairing.creator.as_deref(),
        Some("CNES/ESA/Arianespace/Optique Vidéo du CSG – P. Baudon"),
        "the credit, when no artist is named"
    );
    assert_eq!(
        fairing.taken_at.map(|t| t.to_string()).as_deref(),
        Some("2018-12")
    );
    assert_eq!(
        fairing.description.as_deref(),
        Some("CSO-1 under the Soyuz fairing <2 days before launch>")
    );
    let asked = fixture.site.server.hits();
    assert!(asked.iter().all(|h| h.contains("maxlag=5")), "{asked:?}");
    assert!(
        commons
            .notes()
            .iter()
            .all(|n| !n.contains("ARCHIVE_CONTACT"))
    );
}

#[tokio::test]
async fn maxlag_inside_http_200_is_waited_out() {
    let fixture = Fixture::start();
    let commons = source(&fixture);
    let url = "https://commons.wikimedia.org/wiki/Category:Lagging";
    let (reading, items) = read(&commons, &fetcher(), url, &[]).await;
    assert!(reading.is_ok(), "{:?}", reading.err());
    assert_eq!(ids(&items), ["commons:CSO-1_in_the_clean_room.jpg"]);
    assert_eq!(commons.api.calls(), 2, "asked again after the lag");
    let item = &items[0];
    assert_eq!(
        item.description.as_deref(),
        Some("CSO-1 im Reinraum"),
        "any language"
    );
    assert_eq!(item.taken_at, None, "prose is no date");
}

#[tokio::test]
async fn a_file_an_error_and_a_missing_file() {
    let fixture = Fixture::start();
    let commons = source(&fixture);
    let file = "https://commons.wikimedia.org/wiki/File:Soyuz_VS20_liftoff.jpg";
    let (reading, items) = read(&commons, &fetcher(), file, &[]).await;
    assert!(reading.is_ok());
    assert_eq!(ids(&items), ["commons:Soyuz_VS20_liftoff.jpg"]);
    assert_eq!(items[0].width, Some(5514));

    let broken = "https://commons.wikimedia.org/wiki/Category:Broken";
    let failure = read(&commons, &fetcher(), broken, &[]).await.0.unwrap_err();
    assert_eq!(failure.kind, FailureKind::Api);
    assert!(failure.message.contains("Unrecognized value"), "{failure}");

    let gone = "https://commons.wikimedia.org/wiki/File:Gone.jpg";
    let failure = read(&commons, &fetcher(), gone, &[]).await.0.unwrap_err();
    assert_eq!(failure.kind, FailureKind::Api);
    assert!(failure.message.contains("File:Gone.jpg"), "{failure}");
}

#[tokio::test]
async fn without_a_contact_the_user_agent_says_so_and_the_summary_asks_for_one() {
    let fixture = Fixture::start();
    let commons = Commons::new(&fetcher(), &fixture.settings(&[])).unwrap();
    let file = "https://commons.wikimedia.org/wiki/File:Soyuz_VS20_liftoff.jpg";
    assert!(read(&commons, &fetcher(), file, &[]).await.0.is_ok());
    assert!(
        commons
            .notes()
            .iter()
            .any(|n| n.contains("ARCHIVE_CONTACT"))
    );
    let upload = Url::parse(
        "https://upload.wikimedia.org/wikipedia/commons/thumb/2/25/Soyuz_VS20_liftoff.jpg/300px-Soyuz_VS20_liftoff.jpg",
    )
    .unwrap();
    assert_eq!(
        commons.identify(&upload).as_deref(),
        Some("commons:Soyuz_VS20_liftoff.jpg")
    );
}

//! The Vimeo source against the fixture site's API, feeds and oEmbed, on loopback.

use url::Url;

use super::Vimeo;
use crate::failure::FailureKind;
use crate::fetch::Fetcher;
use crate::sources::platform::testing::{Fixture, fetcher, ids, read};
use crate::sources::{Listing, Source};

/// The source, and the fetcher it reads with: the one it registered its endpoints with.
fn source(fixture: &Fixture, extra: &[(&str, &str)]) -> (Vimeo, Fetcher) {
    let fetcher = fetcher();
    let vimeo = Vimeo::new(&fetcher, &fixture.settings(extra)).expect("valid settings");
    (vimeo, fetcher)
}

#[tokio::test]
async fn a_showcase_is_read_through_the_api_to_its_last_page() {
    let fixture = Fixture::start();
    let (vimeo, fetcher) = source(&fixture, &[("VIMEO_TOKEN", "test-token")]);
    let url = "https://vimeo.com/showcase/5512345";
    let (reading, items) = read(&vimeo, &fetcher, url, &["VS20"]).await;
    let reading = reading.expect("the showcase is read");
    assert_eq!(
        ids(&items),
        ["vimeo:305742410", "vimeo:305999001", "vimeo:306000777"]
    );
    assert_eq!(
        reading.about.and_then(|a| a.title).as_deref(),
        Some("Lancement de CSO-1 par Soyuz VS20"),
        "named, and its owner found, by its oEmbed answer"
    );
    assert!(matches!(reading.listing, Some(Listing::Read { ref ids, .. }) if ids.len() == 3));
    assert_eq!(
        items[0].duration_seconds,
        Some(183),
        "a string for a number"
    );
    assert_eq!(items[0].license.as_deref(), Some("CC BY-SA"));
    assert_eq!(items[1].description, None, "a null description");
    assert_eq!(items[2].license.as_deref(), Some("CC0 1.0"));
    let authorized = fixture
        .site
        .server
        .hits()
        .iter()
        .filter(|h| h.starts_with("/api.vimeo.com/"))
        .count();
    assert_eq!(authorized, 2, "two pages");
}

#[tokio::test]
async fn without_a_token_a_users_feed_is_read_and_each_video_asked_to_oembed() {
    let fixture = Fixture::start();
    let (vimeo, fetcher) = source(&fixture, &[]);
    let (reading, items) = read(&vimeo, &fetcher, "https://vimeo.com/cnes", &[]).await;
    let reading = reading.expect("the feed is read");
    assert_eq!(ids(&items), ["vimeo:305999001", "vimeo:305742410"]);
    let eve = &items[0];
    assert_eq!(
        eve.description.as_deref(),
        Some("La veille du lancement, au Centre spatial guyanais. #VS20"),
        "the feed's boilerplate replaced by oEmbed's description"
    );
    assert_eq!(
        eve.published_at.map(|t| t.to_string()).as_deref(),
        Some("2018-12-17T13:00:00-05:00"),
        "the feed's instant, not oEmbed's zoneless date"
    );
    assert_eq!(eve.source, crate::model::Source::Vimeo);
    assert_eq!(
        items[1].description.as_deref(),
        Some("Le satellite CSO-1 observera la Terre pour la Défense. Crédits : CNES")
    );
    assert_eq!(reading.notices[0].count, 2);
    assert!(reading.notices[0].message.contains("VIMEO_TOKEN"));
    assert_eq!(
        fixture
            .site
            .server
            .hits_on("/api.vimeo.com/videos/305742410"),
        0
    );

    let (showcase, items) = read(&vimeo, &fetcher, "https://vimeo.com/showcase/5512345", &[]).await;
    assert!(showcase.unwrap().warnings[0].contains("VIMEO_TOKEN"));
    assert!(items.is_empty());
    assert!(!vimeo.claims(&Url::parse("https://vimeo.com/305742410").unwrap()));
}

#[tokio::test]
async fn a_rate_limit_and_a_missing_video_are_failures_of_their_url() {
    let fixture = Fixture::start();
    let (limited, fetcher) = source(&fixture, &[("VIMEO_TOKEN", "limited")]);
    let (reading, _) = read(&limited, &fetcher, "https://vimeo.com/305742410", &[]).await;
    let failure = reading.unwrap_err();
    assert_eq!(failure.kind, FailureKind::HttpStatus);
    assert!(failure.message.contains("429"), "{failure}");
    assert!(
        !failure.message.contains("limited"),
        "the token is not quoted"
    );

    let (vimeo, fetcher) = source(&fixture, &[("VIMEO_TOKEN", "test-token")]);
    let (reading, items) = read(&vimeo, &fetcher, "https://vimeo.com/123", &[]).await;
    let failure = reading.unwrap_err();
    assert_eq!(failure.kind, FailureKind::Api);
    assert!(failure.message.contains("couldn't be found"), "{failure}");
    assert!(items.is_empty());
}

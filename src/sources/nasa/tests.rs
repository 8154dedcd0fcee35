//! The NASA source against the fixture site's library API and assets, on loopback.

use super::Nasa;
use crate::failure::FailureKind;
use crate::media::rights::{LicenseClass, classify};
use crate::model::Kind;
use crate::sources::platform::testing::{Fixture, fetcher, ids, read};

fn source(fixture: &Fixture) -> Nasa {
    Nasa::new(&fetcher(), &fixture.settings(&[])).expect("valid settings")
}

#[tokio::test]
async fn an_asset_with_its_manifest_and_metadata() {
    let fixture = Fixture::start();
    let nasa = source(&fixture);
    let url = "https://images.nasa.gov/details/iss057e114297";
    let (reading, items) = read(&nasa, &fetcher(), url, &[]).await;
    assert!(reading.is_ok(), "{:?}", reading.err());
    let [item] = items.as_slice() else {
        panic!("one asset: {items:?}")
    };
    assert_eq!(item.id, "nasa:iss057e114297");
    assert_eq!(item.creator.as_deref(), Some("NASA JSC"));
    assert_eq!(
        (item.width, item.height),
        (Some(5568), Some(3712)),
        "a string and a number"
    );
    assert_eq!(
        item.taken_at.map(|t| t.to_string()).as_deref(),
        Some("2018-12-18T14:02:55"),
        "the camera's date, over the midnight placeholder"
    );
    assert!(
        item.media_url
            .as_deref()
            .unwrap()
            .ends_with("iss057e114297~orig.jpg")
    );
    assert_eq!(item.sizes.len(), 5);
    assert_eq!(
        item.description.as_deref(),
        Some(
            "Expedition 57 photographed the Guiana Space Centre in Kourou, French Guiana, on the day Soyuz VS20 launched CSO-1. #VS20"
        )
    );
    assert_eq!(
        classify(item.license.as_deref(), item.license_url.as_deref()),
        LicenseClass::UsGovernment
    );
}

#[tokio::test]
async fn a_search_is_paged_and_third_party_material_is_not_reusable() {
    let fixture = Fixture::start();
    let nasa = source(&fixture);
    let url = "https://images.nasa.gov/search?q=kourou";
    let (reading, items) = read(&nasa, &fetcher(), url, &[]).await;
    assert!(reading.is_ok());
    assert_eq!(
        ids(&items),
        [
            "nasa:iss057e114297",
            "nasa:KSC-20181218-VS20",
            "nasa:ESA-VS20-liftoff",
            "nasa:KSC-20181217-nomanifest"
        ]
    );
    let video = &items[1];
    assert_eq!(video.kind, Kind::Video);
    assert_eq!(video.duration_seconds, Some(151));
    assert_eq!(
        video.taken_at.map(|t| t.to_string()).as_deref(),
        Some("2018-12-18T16:37:14Z")
    );
    assert!(video.sizes.iter().all(|s| !s.url.ends_with(".srt")));
    let esa = &items[2];
    assert_eq!(
        classify(esa.license.as_deref(), esa.license_url.as_deref()),
        LicenseClass::AllRightsReserved,
        "{:?}",
        esa.license
    );
    let bare = &items[3];
    assert!(
        bare.media_url.is_none(),
        "its manifest is missing: kept without files"
    );
    assert_eq!(
        bare.taken_at.map(|t| t.to_string()).as_deref(),
        Some("2018-12-17")
    );
}

#[tokio::test]
async fn an_unknown_asset_is_an_api_failure_with_nasas_reason() {
    let fixture = Fixture::start();
    let nasa = source(&fixture);
    let url = "https://images.nasa.gov/details/nothing-here";
    let failure = read(&nasa, &fetcher(), url, &[]).await.0.unwrap_err();
    assert_eq!(failure.kind, FailureKind::Api);
    assert!(failure.message.contains("No asset found"), "{failure}");
}

#[tokio::test]
async fn an_overloaded_library_is_retried_then_reported_by_status() {
    use archive_test_support::server::{Reply, TestServer};
    let server = TestServer::start(|_| {
        let mut reply = Reply::ok(
            "application/json",
            r#"{"error":{"code":"OVER_RATE_LIMIT","message":"You have exceeded your rate limit."}}"#,
        )
        .header("Retry-After", "0");
        reply.status = 429;
        reply
    });
    let settings =
        crate::sources::Settings::from_pairs([("ARCHIVE_NASA_API_URL", server.origin().as_str())]);
    let nasa = Nasa::new(&fetcher(), &settings).unwrap();
    let url = "https://images.nasa.gov/details/iss057e114297";
    let failure = read(&nasa, &fetcher(), url, &[]).await.0.unwrap_err();
    assert_eq!(failure.kind, FailureKind::HttpStatus);
    assert!(failure.message.contains("429"), "{failure}");
    assert_eq!(
        server.hits().len(),
        2,
        "retried once, as the fetcher is told"
    );
}

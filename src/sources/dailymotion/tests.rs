//! The Dailymotion source against the fixture site's API, on loopback.

use super::Dailymotion;
use crate::failure::FailureKind;
use crate::sources::platform::testing::{Fixture, fetcher, ids, read};
use crate::sources::{Listing, Source};

fn source(fixture: &Fixture) -> Dailymotion {
    Dailymotion::new(&fetcher(), &fixture.settings(&[])).expect("valid settings")
}

#[tokio::test]
async fn a_playlist_is_paged_to_its_end_without_the_family_filter() {
    let fixture = Fixture::start();
    let dailymotion = source(&fixture);
    let url = "https://www.dailymotion.com/playlist/x7cso1";
    let (reading, items) = read(&dailymotion, &fetcher(), url, &["VS20", "CSO"]).await;
    let reading = reading.expect("the playlist is read");
    assert_eq!(
        ids(&items),
        [
            "dailymotion:x8vs20a",
            "dailymotion:x8bruit",
            "dailymotion:x8orbit",
            "dailymotion:x8vs20b"
        ],
        "both pages, the video the family filter hides, then what discovery found"
    );
    let Some(Listing::Read { ids: listed, .. }) = &reading.listing else {
        panic!("a complete listing")
    };
    assert_eq!(listed.len(), 3);
    let private = reading
        .notices
        .iter()
        .find(|n| n.message.contains("private"))
        .unwrap();
    assert_eq!(private.count, 1);
    let replay = &items[0];
    assert_eq!(replay.duration_seconds, Some(221), "a string for a number");
    assert_eq!(items[2].duration_seconds, Some(180), "`1.8e2` too");
    assert_eq!(
        replay.description.as_deref(),
        Some("Le replay du lancement de Soyuz VS20 depuis le CSG. Crédits : CNES & Arianespace")
    );
    assert_eq!(replay.collection.as_deref(), Some("CSO-1 & VS20"));
    assert_eq!(replay.creator.as_deref(), Some("CNES"));
    let found = &items[3];
    assert_eq!(found.discovery[0].account, "CNES");
    assert_eq!(found.discovery[0].tag, "vs20");
    let searched: Vec<String> = fixture
        .site
        .server
        .hits()
        .into_iter()
        .filter(|h| h.starts_with("/api.dailymotion.com/videos?"))
        .collect();
    assert_eq!(searched.len(), 2, "one search per tag: {searched:?}");
    assert!(
        searched.iter().all(|h| h.contains("owners=x2cnes")),
        "{searched:?}"
    );
    assert!(
        fixture
            .site
            .server
            .hits()
            .iter()
            .filter(|h| h.contains("/videos?"))
            .all(|h| h.contains("family_filter=false"))
    );
}

#[tokio::test]
async fn a_video_link_reads_the_video_and_searches_its_owner_once() {
    let fixture = Fixture::start();
    let dailymotion = source(&fixture);
    let (reading, items) = read(
        &dailymotion,
        &fetcher(),
        "https://dai.ly/x8vs20a",
        &["VS20"],
    )
    .await;
    assert!(reading.is_ok());
    assert_eq!(ids(&items), ["dailymotion:x8vs20a", "dailymotion:x8vs20b"]);
    assert!(
        !ids(&items).contains(&"dailymotion:x9other"),
        "another account's video"
    );
    let (_, again) = read(
        &dailymotion,
        &fetcher(),
        "https://www.dailymotion.com/CNES",
        &["VS20"],
    )
    .await;
    assert_eq!(
        ids(&again),
        ["dailymotion:x8vs20a", "dailymotion:x8vs20b"],
        "the user's own videos; the account is not searched twice"
    );
    assert!(again.iter().all(|i| i.discovery.is_empty()));
}

#[tokio::test]
async fn a_missing_video_is_an_api_failure_with_dailymotions_reason() {
    let fixture = Fixture::start();
    let dailymotion = source(&fixture);
    let url = "https://www.dailymotion.com/video/x8gone0";
    let (reading, items) = read(&dailymotion, &fetcher(), url, &[]).await;
    let failure = reading.unwrap_err();
    assert_eq!(failure.kind, FailureKind::Api);
    assert!(
        failure.message.contains("Can't find object video"),
        "{failure}"
    );
    assert!(items.is_empty());
    assert!(dailymotion.claims(&url::Url::parse(url).unwrap()));
}

#[tokio::test]
async fn a_rate_limit_answer_is_waited_out_as_the_server_asks() {
    use archive_test_support::server::{Reply, TestServer};
    use std::sync::atomic::{AtomicUsize, Ordering};
    let calls = std::sync::Arc::new(AtomicUsize::new(0));
    let seen = calls.clone();
    let server = TestServer::start(move |_| {
        if seen.fetch_add(1, Ordering::SeqCst) == 0 {
            let mut reply = Reply::ok(
                "application/json",
                r#"{"error":{"code":403,"message":"Rate limit exceeded, retry later.","type":"rate_limit_exceeded","error_data":{"reason":"rate_limit_exceeded"}}}"#,
            )
            .header("Retry-After", "0");
            reply.status = 403;
            return reply;
        }
        Reply::ok(
            "application/json",
            r#"{"id":"x8vs20a","title":"Lancement","duration":221,"owner":"x2cnes","owner.screenname":"CNES"}"#,
        )
    });
    let settings = crate::sources::Settings::from_pairs([(
        "ARCHIVE_DAILYMOTION_API_URL",
        server.origin().as_str(),
    )]);
    let dailymotion = Dailymotion::new(&fetcher(), &settings).unwrap();
    let (reading, items) = read(&dailymotion, &fetcher(), "https://dai.ly/x8vs20a", &[]).await;
    assert!(reading.is_ok(), "{:?}", reading.err());
    assert_eq!(ids(&items), ["dailymotion:x8vs20a"]);
    assert_eq!(calls.load(Ordering::SeqCst), 2, "asked again once");
}

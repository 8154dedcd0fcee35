//! The YouTube source against the fixture site's Data API and feeds, on loopback.

use url::Url;

use super::YouTube;
use crate::failure::FailureKind;
use crate::model::Source as Platform;
use crate::sources::platform::testing::{Fixture, fetcher, ids, read};
use crate::sources::{Listing, Source};

const PLAYLIST: &str = "https://www.youtube.com/playlist?list=PLcnesVS20launchCSO1";

fn source(fixture: &Fixture, extra: &[(&str, &str)]) -> YouTube {
    YouTube::new(&fetcher(), &fixture.settings(extra)).expect("valid settings")
}

fn notice_count(reading: &crate::sources::Reading, word: &str) -> usize {
    reading
        .notices
        .iter()
        .filter(|n| n.message.contains(word))
        .map(|n| n.count)
        .sum()
}

#[tokio::test]
async fn a_playlist_is_read_to_its_end_and_its_channel_searched_for_the_campaign() {
    let fixture = Fixture::start();
    let youtube = source(&fixture, &[("YOUTUBE_API_KEY", "test-key")]);
    let (reading, items) = read(&youtube, &fetcher(), PLAYLIST, &["VS20", "CSO"]).await;
    let reading = reading.expect("the playlist is read");
    assert_eq!(
        ids(&items),
        [
            "youtube:VS20cso1xyz",
            "youtube:VS20fairing",
            "youtube:CSO1cleanrm",
            "youtube:VS20recap01"
        ],
        "both pages, then what discovery found"
    );
    assert_eq!(notice_count(&reading, "private or deleted"), 2);
    assert_eq!(notice_count(&reading, "searching the channels"), 1);
    let launch = &items[0];
    assert_eq!(launch.duration_seconds, Some(103));
    assert_eq!(launch.license.as_deref(), Some("CC BY 3.0"));
    assert_eq!(launch.collection.as_deref(), Some("Soyuz VS20 / CSO-1"));
    assert!(launch.discovery.is_empty(), "the playlist led to it");
    let fairing = &items[1];
    assert_eq!(
        fairing.description.as_deref(),
        Some("La coiffe de Soyuz VS20 est posée sur CSO-1. R&D <3 #VS20"),
        "plain text stays as written"
    );
    let recap = &items[3];
    assert_eq!(recap.discovery.len(), 1);
    assert_eq!(recap.discovery[0].platform, Platform::YouTube);
    assert_eq!(recap.discovery[0].account, "CNES");
    assert_eq!(recap.discovery[0].tag, "vs20");
    let Some(Listing::Read { ids: listed, .. }) = reading.listing else {
        panic!("a complete listing")
    };
    assert_eq!(listed.len(), 3, "discovered videos are not the playlist's");
    // playlists 1 + playlistItems 2 + videos 1, then search 100 + videos 1.
    assert_eq!(youtube.client.units_used(), 105);
    assert!(
        youtube.notes()[0].contains("used 105 of"),
        "{:?}",
        youtube.notes()
    );
}

#[tokio::test]
async fn without_discovery_or_campaigns_no_search_is_made() {
    let fixture = Fixture::start();
    let settings = fixture
        .settings(&[("YOUTUBE_API_KEY", "test-key")])
        .discovering(false);
    let youtube = YouTube::new(&fetcher(), &settings).unwrap();
    let (_, items) = read(&youtube, &fetcher(), PLAYLIST, &["VS20"]).await;
    assert_eq!(items.len(), 3);
    assert_eq!(youtube.client.units_used(), 4);
    assert_eq!(
        fixture
            .site
            .server
            .hits_on("/www.googleapis.com/youtube/v3/search"),
        0
    );
}

#[tokio::test]
async fn a_channel_handle_is_read_through_its_uploads_playlist() {
    let fixture = Fixture::start();
    let youtube = source(&fixture, &[("YOUTUBE_API_KEY", "test-key")]);
    let (reading, items) = read(&youtube, &fetcher(), "https://www.youtube.com/@CNES", &[]).await;
    let reading = reading.unwrap();
    assert_eq!(ids(&items), ["youtube:VS20recap01", "youtube:VS20cso1xyz"]);
    assert_eq!(items[0].collection.as_deref(), Some("CNES"));
    assert_eq!(reading.about.and_then(|a| a.title).as_deref(), Some("CNES"));
}

#[tokio::test]
async fn without_a_key_the_public_feeds_are_read_and_the_summary_says_what_is_missing() {
    let fixture = Fixture::start();
    let youtube = source(&fixture, &[]);
    let opened = "https://www.youtube.com/watch?v=CSO1cleanrm&list=PLcnesVS20launchCSO1";
    let (reading, items) = read(&youtube, &fetcher(), opened, &["VS20"]).await;
    let reading = reading.unwrap();
    assert_eq!(ids(&items), ["youtube:VS20cso1xyz", "youtube:VS20fairing"]);
    assert_eq!(
        items[0].description.as_deref(),
        Some("Liftoff of Soyuz flight VS20, carrying CSO-1. It's go! #VS20 #CSO"),
        "escaped twice, decoded twice"
    );
    assert!(items.iter().all(|i| i.duration_seconds.is_none()));
    assert_eq!(notice_count(&reading, "YOUTUBE_API_KEY"), 2);
    assert_eq!(
        reading.follow,
        [Url::parse("https://www.youtube.com/watch?v=CSO1cleanrm").unwrap()],
        "the video the link opened, which the feed does not list, is read on its own"
    );
    assert_eq!(
        fixture
            .site
            .server
            .hits_on("/www.googleapis.com/youtube/v3/search"),
        0
    );
    // Without a key a single video is the players' oEmbed source's.
    assert!(!youtube.claims(&Url::parse("https://youtu.be/VS20cso1xyz").unwrap()));
    assert!(youtube.claims(&Url::parse(PLAYLIST).unwrap()));

    let (channel, items) = read(&youtube, &fetcher(), "https://www.youtube.com/@CNES", &[]).await;
    assert!(channel.is_ok());
    assert_eq!(
        ids(&items),
        ["youtube:VS20recap01"],
        "the handle resolved by its page"
    );
}

#[tokio::test]
async fn a_spent_quota_stops_the_calls_and_is_reported_as_an_api_refusal() {
    let fixture = Fixture::start();
    let youtube = source(&fixture, &[("YOUTUBE_API_KEY", "spent")]);
    let (reading, items) = read(&youtube, &fetcher(), PLAYLIST, &["VS20"]).await;
    let failure = reading.expect_err("no quota");
    assert_eq!(failure.kind, FailureKind::Api);
    assert!(failure.message.contains("quota"), "{}", failure.message);
    assert!(items.is_empty());
    assert!(
        youtube
            .notes()
            .iter()
            .any(|n| n.contains("midnight Pacific"))
    );
    let (again, _) = read(&youtube, &fetcher(), "https://youtu.be/VS20cso1xyz", &[]).await;
    assert_eq!(again.unwrap_err().kind, FailureKind::Api);
    assert_eq!(
        fixture.site.server.hits().len(),
        1,
        "no call after Google said the quota is spent"
    );
}

#[tokio::test]
async fn the_crawl_keeps_within_its_share_of_the_quota() {
    let fixture = Fixture::start();
    let youtube = source(
        &fixture,
        &[
            ("YOUTUBE_API_KEY", "test-key"),
            ("ARCHIVE_YOUTUBE_QUOTA", "2"),
        ],
    );
    let (reading, _) = read(&youtube, &fetcher(), PLAYLIST, &[]).await;
    let failure = reading.unwrap_err();
    assert!(
        failure.message.contains("ARCHIVE_YOUTUBE_QUOTA"),
        "{}",
        failure.message
    );
    assert_eq!(youtube.client.units_used(), 2);
}

#[tokio::test]
async fn unknown_playlists_channels_and_videos_are_failures_of_their_url() {
    let fixture = Fixture::start();
    let youtube = source(&fixture, &[("YOUTUBE_API_KEY", "test-key")]);
    let cases = [
        "https://www.youtube.com/playlist?list=PLnothingHereAtAll",
        "https://www.youtube.com/@nobody",
        "https://youtu.be/PrivVS20xxx",
    ];
    for url in cases {
        let (reading, items) = read(&youtube, &fetcher(), url, &[]).await;
        let failure = reading.expect_err(url);
        assert_eq!(failure.kind, FailureKind::Api, "{url}: {failure}");
        assert!(items.is_empty());
    }
    let bad = source(&fixture, &[("YOUTUBE_API_KEY", "bad")]);
    let (reading, _) = read(&bad, &fetcher(), PLAYLIST, &[]).await;
    let message = reading.unwrap_err().message;
    assert!(message.contains("API key not valid"), "{message}");
    assert!(
        !message.contains("key=bad"),
        "the key is not quoted: {message}"
    );
}

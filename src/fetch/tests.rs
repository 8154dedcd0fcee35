//! The fetcher's door against a real server on loopback.

use std::time::Duration;

use archive_test_support::server::{Reply, TestServer};
use url::Url;

use super::{FetchConfig, Fetcher};

/// A server that answers every request with the `Authorization` it was sent, if any.
fn echoing_authorization() -> TestServer {
    TestServer::start(|request| {
        let seen = request.header("authorization").unwrap_or("none");
        Reply::ok(
            "application/json",
            format!(r#"{{"authorization":"{seen}"}}"#),
        )
    })
}

#[tokio::test]
async fn an_api_calls_credentials_go_only_to_the_endpoints_sources_registered() {
    let server = echoing_authorization();
    let fetcher = Fetcher::live(FetchConfig {
        allow_private: true,
        delay: Duration::ZERO,
        ..FetchConfig::default()
    })
    .unwrap();
    fetcher.register_api(&server.url("/api/"));
    let credential = [("Authorization", "bearer secret".to_string())];

    let registered = fetcher
        .call_api(&server.url("/api/videos"), &credential)
        .await
        .unwrap();
    assert_eq!(registered.text(), r#"{"authorization":"bearer secret"}"#);

    // A URL a page named, on the same host but outside the endpoint's path.
    let elsewhere: Url = server.url("/internal/videos");
    let unregistered = fetcher.call_api(&elsewhere, &credential).await.unwrap();
    assert_eq!(unregistered.text(), r#"{"authorization":"none"}"#);
    assert!(
        server.hits_on("/robots.txt") > 0,
        "an address no source registered is a link: its robots.txt is asked"
    );
}

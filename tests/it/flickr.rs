//! The Flickr client against a loopback stand-in for api.flickr.com that answers from
//! fixtures, routed on the `method` query parameter like the real REST endpoint.

use crate::common;

use archive::fetch::{FetchConfig, Fetcher};
use archive::model::{Item, Kind, Source};
use archive::sources::flickr::{CallLimits, FlickrClient, FlickrConfig, FlickrError, FlickrTarget};
use archive_test_support::server::{Body, Reply, Request, TestServer};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use url::Url;

const KEY: &str = "test-key";
const ALBUM: &str = "72157704555614144";
const NSID: &str = "141938346@N05";
const PHOTO: &str = "45539063392";
const VIDEO: &str = "46452147131";
const ALBUM_TITLE: &str = "CSO-1 \u{2013} Soyuz VS20";

fn fixture(name: &str) -> Reply {
    Reply::ok(
        "application/json; charset=utf-8",
        common::fixture(&format!("flickr/{name}")),
    )
}

fn fail(code: u32, message: &str) -> Reply {
    let body = serde_json::json!({"stat": "fail", "code": code, "message": message});
    Reply::ok("application/json", body.to_string())
}

/// api.flickr.com as far as these tests need it: a wrong key, photoset or photo id is an
/// HTTP 200 `stat: fail`, as on the real service.
fn flickr_api(request: &Request) -> Reply {
    if request.path != "/services/rest/" {
        return Reply::not_found();
    }
    if request.param("api_key").as_deref() != Some(KEY) {
        return fail(100, "Invalid API Key (Key not found)");
    }
    let param = |name: &str| request.param(name).unwrap_or_default();
    match param("method").as_str() {
        "flickr.urls.lookupUser" if param("url") == "https://www.flickr.com/photos/cnes/" => {
            fixture("lookup_user.json")
        }
        "flickr.urls.lookupUser" => fail(1, "User not found"),
        "flickr.photosets.getInfo" if param("photoset_id") == ALBUM && param("user_id") == NSID => {
            fixture("album_info.json")
        }
        "flickr.photosets.getPhotos"
            if param("photoset_id") == ALBUM && param("user_id") == NSID =>
        {
            match param("page").as_str() {
                "1" => fixture("album_page1.json"),
                "2" => fixture("album_page2.json"),
                _ => fixture("album_empty.json"),
            }
        }
        "flickr.photosets.getInfo" | "flickr.photosets.getPhotos" => fail(1, "Photoset not found"),
        "flickr.photos.getInfo" if param("photo_id") == VIDEO => fixture("video_info.json"),
        "flickr.photos.getInfo" if param("photo_id") == PHOTO => fixture("photo_info.json"),
        "flickr.photos.getSizes" if param("photo_id") == VIDEO => fixture("video_sizes.json"),
        "flickr.photos.getSizes" if param("photo_id") == PHOTO => fixture("photo_sizes.json"),
        "flickr.photos.getInfo" | "flickr.photos.getSizes" => fixture("error_photo_not_found.json"),
        other => fail(112, &format!("Method \"{other}\" not found")),
    }
}

fn client(server: &TestServer, api_key: Option<&str>) -> FlickrClient {
    let config = FlickrConfig {
        api_key: api_key.map(str::to_string),
        api_base: Url::parse(&server.origin()).expect("server origin is a URL"),
        web_base: Url::parse("https://www.flickr.com").unwrap(),
    };
    let fetcher = Fetcher::live(FetchConfig::default()).expect("HTTP client");
    FlickrClient::new(fetcher, config).with_limits(CallLimits {
        per_page: 3,
        backoff: Duration::from_millis(10),
        ..CallLimits::default()
    })
}

fn album(user: &str, set_id: &str) -> FlickrTarget {
    FlickrTarget::Album {
        user: user.into(),
        set_id: set_id.into(),
    }
}

/// One query parameter of every request the server saw, in order.
fn params(server: &TestServer, name: &str) -> Vec<String> {
    server
        .hits()
        .iter()
        .map(|target| {
            let query = target.split_once('?').map(|(_, q)| q).unwrap_or_default();
            url::form_urlencoded::parse(query.as_bytes())
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.into_owned())
                .unwrap_or_default()
        })
        .collect()
}

fn methods(server: &TestServer) -> Vec<String> {
    params(server, "method")
}

/// What the album listing must give for one item.
struct Expected {
    id: &'static str,
    kind: Kind,
    title: &'static str,
    license: &'static str,
    media: &'static str,
    size: (u32, u32),
    taken: Option<&'static str>,
}

fn rfc3339(item: &Item) -> Option<String> {
    item.taken_at.map(|t| t.to_string())
}

#[tokio::test]
async fn a_two_page_album_yields_every_item_field_by_field() {
    let server = TestServer::start(flickr_api);
    let harvest = client(&server, Some(KEY))
        .harvest(&album("cnes", ALBUM))
        .await
        .expect("album harvested");

    let expected = [
        Expected {
            id: "flickr:45539063392",
            kind: Kind::Photo,
            title: "Lancement de Soyuz VS20 avec CSO-1",
            license: "CC BY 2.0",
            media: "https://live.staticflickr.com/4876/45539063392_8d7c6b5a41_o.jpg",
            size: (5472, 3648),
            taken: Some("2018-12-18T13:37:14"),
        },
        Expected {
            id: "flickr:46452147121",
            kind: Kind::Photo,
            title: "Soyuz VS20 sur le pas de tir",
            license: "CC BY-SA 2.0",
            media: "https://live.staticflickr.com/4833/46452147121_c0ffee1234_k.jpg",
            size: (1365, 2048),
            taken: Some("2018-12-17T18:20:00"),
        },
        Expected {
            id: "flickr:46452147131",
            kind: Kind::Video,
            title: "Vid\u{e9}o : d\u{e9}collage de Soyuz VS20",
            license: "All Rights Reserved",
            media: "https://www.flickr.com/photos/cnes/46452147131/play/orig/1a2b3c4d5e/",
            size: (1920, 1080),
            taken: Some("2018-12-18T13:37:00"),
        },
        Expected {
            id: "flickr:46401960481",
            kind: Kind::Photo,
            title: "CSO-1 : premi\u{e8}re image",
            license: "CC BY 2.0",
            media: "https://live.staticflickr.com/7843/46401960481_ab12cd34ef_b.jpg",
            size: (1024, 1024),
            taken: None,
        },
        Expected {
            id: "flickr:46401960491",
            kind: Kind::Photo,
            title: "Soyuz VS21 : transfert du lanceur",
            license: "All Rights Reserved",
            media: "https://live.staticflickr.com/7856/46401960491_0123456789_h.jpg",
            size: (1600, 1066),
            taken: Some("2019-01-08T09:00:00"),
        },
    ];
    assert_eq!(harvest.items.len(), expected.len(), "{:#?}", harvest.items);
    for (item, expected) in harvest.items.iter().zip(expected) {
        let Expected {
            id,
            kind,
            title,
            license,
            media,
            size: (width, height),
            taken,
        } = expected;
        assert_eq!(item.id, id);
        assert_eq!(item.kind, kind, "{id}");
        assert_eq!(item.title.as_deref(), Some(title), "{id}");
        assert_eq!(item.license.as_deref(), Some(license), "{id}");
        assert_eq!(item.media_url.as_deref(), Some(media), "{id}");
        assert_eq!(
            (item.width, item.height),
            (Some(width), Some(height)),
            "{id}"
        );
        assert_eq!(rfc3339(item).as_deref(), taken, "{id}");
        assert_eq!(item.collection.as_deref(), Some(ALBUM_TITLE), "{id}");
        assert_eq!(item.creator.as_deref(), Some("CNES"), "{id}");
        assert_eq!(item.source, Source::Flickr, "{id}");
        let photo_id = id.trim_start_matches("flickr:");
        let page = format!("https://www.flickr.com/photos/cnes/{photo_id}/");
        assert_eq!(item.page_url.as_deref(), Some(page.as_str()), "{id}");
        assert!(
            item.campaigns.is_empty() && item.found_via.is_empty(),
            "{id}"
        );
    }

    let video = &harvest.items[2];
    assert_eq!(video.duration_seconds, Some(94));
    assert_eq!(
        video.thumbnail_url.as_deref(),
        Some("https://live.staticflickr.com/4812/46452147131_9f8e7d6c5b_b.jpg")
    );
    let photos = harvest.items.iter().filter(|i| i.kind == Kind::Photo);
    assert!(photos.clone().all(|i| i.duration_seconds.is_none()));
    assert_eq!(harvest.items[4].tags, ["vs21", "soyuz"], "tagged vs21 only");
    assert_eq!(
        harvest.items[0].license_url.as_deref(),
        Some("https://creativecommons.org/licenses/by/2.0/")
    );

    let info = harvest.album.expect("album metadata");
    assert_eq!(info.id, ALBUM);
    assert_eq!(info.title.as_deref(), Some(ALBUM_TITLE));
    assert_eq!(info.owner, NSID);
    assert_eq!(info.count, Some(5));
    assert_eq!(
        info.date_update.map(|t| t.to_rfc3339()).as_deref(),
        Some("2018-12-19T17:20:00+00:00")
    );

    assert_eq!(
        methods(&server),
        [
            "flickr.urls.lookupUser",
            "flickr.photosets.getInfo",
            "flickr.photosets.getPhotos",
            "flickr.photos.getInfo",
            "flickr.photos.getSizes",
            "flickr.photosets.getPhotos",
        ],
        "one detail lookup, for the video only, before the next page"
    );
    assert_eq!(params(&server, "page")[2], "1");
    assert_eq!(params(&server, "page")[5], "2");
    assert_eq!(params(&server, "photo_id")[3..5], [VIDEO, VIDEO]);
}

#[tokio::test]
async fn every_call_sends_the_key_and_asks_for_plain_json() {
    let server = TestServer::start(flickr_api);
    let flickr = client(&server, Some(KEY));
    flickr
        .harvest(&album("cnes", ALBUM))
        .await
        .expect("album harvested");
    let hits = server.hits();
    assert!(!hits.is_empty());
    assert!(
        params(&server, "api_key").iter().all(|k| k == KEY),
        "{hits:?}"
    );
    assert!(
        params(&server, "format").iter().all(|f| f == "json"),
        "{hits:?}"
    );
    assert!(
        params(&server, "nojsoncallback").iter().all(|n| n == "1"),
        "{hits:?}"
    );

    let lookup = flickr.rest_url(
        "flickr.urls.lookupUser",
        &[("url", "https://www.flickr.com/photos/cnes/")],
    );
    let predicted = format!("{}?{}", lookup.path(), lookup.query().unwrap_or_default());
    assert_eq!(hits[0], predicted, "rest_url predicts the request");
    let listing = &hits[2];
    for part in [
        "per_page=3",
        "media=all",
        "extras=description%2Clicense%2Cdate_upload",
    ] {
        assert!(listing.contains(part), "{part} in {listing}");
    }
    assert!(
        listing.contains("url_o%2Curl_k%2Curl_h%2Curl_l%2Curl_m%2Curl_q"),
        "{listing}"
    );
}

#[tokio::test]
async fn a_wrong_key_is_refused_by_the_stand_in() {
    // Shows the stand-in really checks the key, so the test above can fail.
    let server = TestServer::start(flickr_api);
    let error = client(&server, Some("other-key"))
        .harvest(&album("cnes", ALBUM))
        .await
        .expect_err("key refused");
    assert!(
        matches!(error, FlickrError::Api { code: 100, .. }),
        "{error}"
    );
}

#[tokio::test]
async fn an_nsid_owner_needs_no_user_lookup() {
    let server = TestServer::start(flickr_api);
    let harvest = client(&server, Some(KEY))
        .harvest(&album(NSID, ALBUM))
        .await
        .expect("album harvested");
    assert_eq!(harvest.items.len(), 5);
    let methods = methods(&server);
    assert!(
        !methods.iter().any(|m| m == "flickr.urls.lookupUser"),
        "{methods:?}"
    );
    assert_eq!(methods[0], "flickr.photosets.getInfo");
}

#[tokio::test]
async fn service_unavailable_once_is_retried_and_succeeds() {
    let failures = Arc::new(AtomicUsize::new(0));
    let counter = failures.clone();
    let server = TestServer::start(move |request| {
        let is_info = request.param("method").as_deref() == Some("flickr.photosets.getInfo");
        if is_info && counter.fetch_add(1, Ordering::SeqCst) == 0 {
            return fixture("error_unavailable.json");
        }
        flickr_api(request)
    });
    let started = Instant::now();
    let harvest = client(&server, Some(KEY))
        .harvest(&album("cnes", ALBUM))
        .await
        .expect("retried past 105");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(harvest.items.len(), 5);
    let info_calls = methods(&server)
        .iter()
        .filter(|m| *m == "flickr.photosets.getInfo")
        .count();
    assert_eq!(info_calls, 2, "one failure, one retry");
}

#[tokio::test]
async fn service_unavailable_for_good_gives_up_after_the_retries() {
    let server = TestServer::start(|request| {
        if request.param("method").as_deref() == Some("flickr.photosets.getInfo") {
            return fixture("error_unavailable.json");
        }
        flickr_api(request)
    });
    let error = client(&server, Some(KEY))
        .harvest(&album(NSID, ALBUM))
        .await
        .expect_err("still unavailable");
    assert!(
        matches!(error, FlickrError::Api { code: 105, .. }),
        "{error}"
    );
    assert!(error.is_transient());
    assert_eq!(
        server.hits().len(),
        1 + CallLimits::default().retries as usize
    );
}

#[tokio::test]
async fn photoset_not_found_is_a_permanent_error_naming_code_and_method() {
    let server = TestServer::start(flickr_api);
    let error = client(&server, Some(KEY))
        .harvest(&album("cnes", "72157700000000000"))
        .await
        .expect_err("no such album");
    match &error {
        FlickrError::Api {
            method,
            code,
            message,
        } => {
            assert_eq!(*method, "flickr.photosets.getInfo");
            assert_eq!(*code, 1);
            assert_eq!(message, "Photoset not found");
        }
        other => panic!("expected an API error, got {other:?}"),
    }
    let text = error.to_string();
    for part in ["1", "Photoset not found", "flickr.photosets.getInfo"] {
        assert!(text.contains(part), "{part} in {text}");
    }
    assert!(!error.is_transient());
    assert_eq!(
        methods(&server),
        ["flickr.urls.lookupUser", "flickr.photosets.getInfo"],
        "not retried"
    );
}

#[tokio::test]
async fn without_a_key_nothing_is_requested() {
    let server = TestServer::start(flickr_api);
    let flickr = client(&server, None);
    let error = flickr
        .harvest(&album("cnes", ALBUM))
        .await
        .expect_err("no key");
    assert!(matches!(error, FlickrError::NoApiKey), "{error:?}");
    assert!(error.to_string().contains("FLICKR_API_KEY"), "{error}");
    let photo = FlickrTarget::Photo {
        user: "cnes".into(),
        photo_id: PHOTO.into(),
    };
    assert!(matches!(
        flickr.harvest(&photo).await,
        Err(FlickrError::NoApiKey)
    ));
    assert_eq!(server.hits(), Vec::<String>::new());
}

#[tokio::test]
async fn a_video_without_sizes_keeps_its_page_and_the_album_succeeds() {
    let server = TestServer::start(|request| {
        if request.param("method").as_deref() == Some("flickr.photos.getSizes") {
            return fail(1, "Photo not found");
        }
        flickr_api(request)
    });
    let harvest = client(&server, Some(KEY))
        .harvest(&album("cnes", ALBUM))
        .await
        .expect("album harvested");
    assert_eq!(harvest.items.len(), 5);
    let video = &harvest.items[2];
    assert_eq!(video.kind, Kind::Video);
    assert_eq!(
        video.media_url.as_deref(),
        Some("https://www.flickr.com/photos/cnes/46452147131/")
    );
    assert_eq!(
        video.thumbnail_url.as_deref(),
        Some("https://live.staticflickr.com/4812/46452147131_9f8e7d6c5b_b.jpg"),
        "the largest still listed"
    );
    assert_eq!(video.duration_seconds, Some(94), "getInfo still answered");
}

#[tokio::test]
async fn a_lying_page_count_stops_at_the_first_empty_page() {
    let server = TestServer::start(|request| {
        let reply = flickr_api(request);
        let Body::Full(bytes) = &reply.body else {
            unreachable!("the API fixtures are sent whole")
        };
        let body = String::from_utf8_lossy(bytes).replace("\"pages\":2", "\"pages\":99");
        reply.clone().body(Body::Full(body.into_bytes()))
    });
    let harvest = client(&server, Some(KEY))
        .harvest(&album(NSID, ALBUM))
        .await
        .expect("album harvested");
    assert_eq!(harvest.items.len(), 5);
    let methods = params(&server, "method");
    let pages: Vec<String> = params(&server, "page")
        .into_iter()
        .zip(&methods)
        .filter(|(_, method)| method.as_str() == "flickr.photosets.getPhotos")
        .map(|(page, _)| page)
        .collect();
    assert_eq!(
        pages,
        ["1", "2", "3"],
        "page 3 was empty, so there was no page 4"
    );
}

#[tokio::test]
async fn a_page_count_that_never_ends_is_capped() {
    let server = TestServer::start(|request| {
        if request.param("method").as_deref() == Some("flickr.photosets.getPhotos") {
            let body =
                common::fixture("flickr/album_page1.json").replace("\"pages\":2", "\"pages\":9999");
            return Reply::ok("application/json", body);
        }
        flickr_api(request)
    });
    let flickr = client(&server, Some(KEY)).with_limits(CallLimits {
        per_page: 3,
        max_pages: 4,
        backoff: Duration::from_millis(10),
        ..CallLimits::default()
    });
    let harvest = flickr
        .harvest(&album(NSID, ALBUM))
        .await
        .expect("album harvested");
    let listings = methods(&server)
        .iter()
        .filter(|m| *m == "flickr.photosets.getPhotos")
        .count();
    assert_eq!(listings, 4);
    assert_eq!(harvest.items.len(), 3, "the repeated page adds nothing");
}

#[tokio::test]
async fn a_single_photo_page_is_one_item_without_album() {
    let server = TestServer::start(flickr_api);
    let target = FlickrTarget::Photo {
        user: "cnes".into(),
        photo_id: PHOTO.into(),
    };
    let harvest = client(&server, Some(KEY))
        .harvest(&target)
        .await
        .expect("photo read");
    assert_eq!(harvest.album, None);
    assert_eq!(harvest.items.len(), 1);
    let item = &harvest.items[0];
    assert_eq!(item.id, "flickr:45539063392");
    assert_eq!(item.collection, None);
    assert_eq!(item.tags, ["VS20", "CSO-1", "Soyuz", "Kourou", "CSG"]);
    assert_eq!(
        item.media_url.as_deref(),
        Some("https://live.staticflickr.com/4876/45539063392_8d7c6b5a41_o.jpg")
    );
    assert_eq!(
        methods(&server),
        ["flickr.photos.getInfo", "flickr.photos.getSizes"]
    );
}

#[tokio::test]
async fn a_single_video_page_has_its_file_and_duration() {
    let server = TestServer::start(flickr_api);
    let target = FlickrTarget::Photo {
        user: "cnes".into(),
        photo_id: VIDEO.into(),
    };
    let harvest = client(&server, Some(KEY))
        .harvest(&target)
        .await
        .expect("video read");
    let item = &harvest.items[0];
    assert_eq!(item.kind, Kind::Video);
    assert_eq!(item.duration_seconds, Some(94));
    assert_eq!(
        item.media_url.as_deref(),
        Some("https://www.flickr.com/photos/cnes/46452147131/play/orig/1a2b3c4d5e/")
    );
}

#[tokio::test]
async fn a_body_that_is_not_json_is_a_malformed_answer() {
    let server = TestServer::start(|_: &Request| {
        Reply::ok("text/html", "<html>Flickr is having a nap</html>")
    });
    let error = client(&server, Some(KEY))
        .harvest(&album(NSID, ALBUM))
        .await
        .expect_err("HTML is no answer");
    assert!(
        matches!(
            error,
            FlickrError::Malformed {
                method: "flickr.photosets.getInfo",
                ..
            }
        ),
        "{error}"
    );
}

#[tokio::test]
async fn an_http_failure_is_a_fetch_error() {
    let server = TestServer::start(|_: &Request| Reply::status(404));
    let error = client(&server, Some(KEY))
        .harvest(&album(NSID, ALBUM))
        .await
        .expect_err("404");
    assert!(matches!(error, FlickrError::Fetch { .. }), "{error}");
    assert!(error.to_string().contains("HTTP 404"), "{error}");
}

#[tokio::test]
async fn a_network_failure_does_not_leak_the_key() {
    // A port nobody listens on: the connection is refused, and reqwest's message quotes the URL.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let origin = format!("http://{}", closed.local_addr().expect("address"));
    drop(closed);
    let config = FlickrConfig::from_values(Some(KEY), Some(&origin)).expect("valid config");
    let fetch = FetchConfig {
        retries: 0,
        ..FetchConfig::default()
    };
    let flickr = FlickrClient::new(Fetcher::live(fetch).expect("HTTP client"), config);
    let error = flickr
        .harvest(&album(NSID, ALBUM))
        .await
        .expect_err("refused");
    let text = error.to_string();
    assert!(matches!(error, FlickrError::Fetch { .. }), "{text}");
    assert!(text.contains("network error"), "{text}");
    assert!(!text.contains(KEY), "{text}");
}

#[tokio::test]
async fn a_base_url_with_a_path_prefix_keeps_it() {
    let server =
        TestServer::start(
            |request: &Request| match request.path.strip_prefix("/api.flickr.com") {
                Some(rest) => flickr_api(&Request {
                    path: rest.to_string(),
                    ..request.clone()
                }),
                None => Reply::not_found(),
            },
        );
    let config = FlickrConfig::from_values(
        Some(KEY),
        Some(&format!("{}/api.flickr.com", server.origin())),
    )
    .expect("valid config");
    let fetcher = Fetcher::live(FetchConfig::default()).expect("HTTP client");
    let flickr = FlickrClient::new(fetcher, config);
    let url = flickr.rest_url("flickr.photos.getInfo", &[("photo_id", PHOTO)]);
    assert_eq!(
        url.as_str(),
        format!(
            "{}/api.flickr.com/services/rest/?method=flickr.photos.getInfo&api_key=test-key\
             &format=json&nojsoncallback=1&photo_id=45539063392",
            server.origin()
        )
    );
    let target = FlickrTarget::Photo {
        user: "cnes".into(),
        photo_id: PHOTO.into(),
    };
    flickr
        .harvest(&target)
        .await
        .expect("photo read through the prefix");
    assert!(
        server
            .hits()
            .iter()
            .all(|h| h.starts_with("/api.flickr.com/services/rest/?"))
    );
}

/// Counts the pages handed over, to check an album streams rather than arriving all at once,
/// and what the album said it would give.
#[derive(Default)]
struct Pages {
    sizes: Vec<usize>,
    listed: Vec<String>,
    expected: Option<u64>,
}

impl archive::sources::Sink for Pages {
    fn take(
        &mut self,
        items: Vec<Item>,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send + '_>> {
        self.sizes.push(items.len());
        Box::pin(async {})
    }

    fn listed(
        &mut self,
        ids: Vec<String>,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send + '_>> {
        self.listed.extend(ids);
        Box::pin(async {})
    }

    fn expect(&mut self, items: u64) {
        self.expected = Some(items);
    }
}

#[tokio::test]
async fn an_album_is_handed_over_page_by_page_with_its_url() {
    let server = TestServer::start(flickr_api);
    let mut pages = Pages::default();
    let read = client(&server, Some(KEY))
        .album_into("cnes", ALBUM, None, &mut pages)
        .await
        .expect("album read");
    assert_eq!(pages.sizes, [3, 2]);
    assert_eq!(
        pages.expected,
        Some(5),
        "the album's count is announced first"
    );
    assert!(read.changed);
    assert_eq!(read.listed.len(), 5);
    assert_eq!(
        pages.listed.len(),
        5,
        "members are handed over as they are read"
    );
    assert!(pages.listed.iter().all(|id| read.listed.contains(id)));
    let harvest = client(&server, Some(KEY))
        .harvest(&album("cnes", ALBUM))
        .await
        .unwrap();
    assert!(harvest.items.iter().all(|i| i.collection_url.as_deref()
        == Some("https://www.flickr.com/photos/cnes/albums/72157704555614144")));
}

#[tokio::test]
async fn an_album_whose_date_update_has_not_changed_is_not_paged_again() {
    let server = TestServer::start(flickr_api);
    let flickr = client(&server, Some(KEY));
    let first = flickr
        .album_into(NSID, ALBUM, None, &mut Vec::new())
        .await
        .unwrap();
    let calls_before = server.hits().len();
    let mut items = Vec::new();
    let again = flickr
        .album_into(NSID, ALBUM, first.album.date_update, &mut items)
        .await
        .unwrap();
    assert!(!again.changed);
    assert!(items.is_empty());
    let new_calls: Vec<String> = params(&server, "method")[calls_before..].to_vec();
    assert_eq!(
        new_calls,
        ["flickr.photosets.getInfo"],
        "only the album's date is checked"
    );
}

#[tokio::test]
async fn the_call_budget_slows_a_run_down_only_once_it_is_used_up() {
    let server = TestServer::start(flickr_api);
    let config = FlickrConfig {
        api_key: Some(KEY.into()),
        api_base: Url::parse(&server.origin()).unwrap(),
        web_base: Url::parse("https://www.flickr.com").unwrap(),
    };
    let budgeted = |calls_per_window| {
        let fetcher = Fetcher::live(FetchConfig::default()).unwrap();
        FlickrClient::new(fetcher, config.clone()).with_limits(CallLimits {
            per_page: 3,
            calls_per_window,
            budget_window: Duration::from_millis(1500),
            ..CallLimits::default()
        })
    };
    // The album takes 5 calls with an NSID owner: under a budget of 5, a burst.
    let roomy = budgeted(5);
    let started = Instant::now();
    roomy.harvest(&album(NSID, ALBUM)).await.unwrap();
    assert!(started.elapsed() < Duration::from_millis(1000));
    assert!(!roomy.slowed_down());
    // Under a budget of 3, the fourth call waits for the first to leave the window.
    let tight = budgeted(3);
    let started = Instant::now();
    tight.harvest(&album(NSID, ALBUM)).await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_millis(1500),
        "{:?}",
        started.elapsed()
    );
    assert!(tight.slowed_down());
}

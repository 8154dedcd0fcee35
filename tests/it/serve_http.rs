//! `archive serve` over HTTP: the JSON API against the command line's JSON, the security
//! headers, the `Host` check, the 400 page, escaping, and a page that shows what a running
//! crawl has committed.

use crate::common;

use serde_json::Value;
use std::collections::BTreeSet;

use common::cli::{archive, assert_ok, stdout};
use common::serve::{MARKUP_RELEASE, Served, crawl_replayed, recorded};

const LIFTOFF: &str = "flickr:45539063392";

fn lines(output: &std::process::Output) -> Vec<Value> {
    stdout(output)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn keys(value: &Value) -> BTreeSet<String> {
    value.as_object().unwrap().keys().cloned().collect()
}

#[test]
fn the_api_answers_as_the_command_line_does_with_facets_and_total() {
    let fixture = recorded(&[archive::demo::SEED, MARKUP_RELEASE]);
    let index = fixture.index.to_str().unwrap();
    let served = Served::start(&fixture.index, &[]);

    let api = served.get("/api/search?q=vs20&kind=photo").json();
    let cli = lines(&archive(
        &[
            "search", "vs20", "--kind", "photo", "--json", "--index", index,
        ],
        &[],
    ));
    let ids = |items: &[Value]| -> Vec<String> {
        items
            .iter()
            .map(|i| i["id"].as_str().unwrap().to_string())
            .collect()
    };
    let api_items = api["items"].as_array().unwrap();
    assert_eq!(ids(api_items), ids(&cli), "the same hits in the same order");
    assert_eq!(keys(&api_items[0]), keys(&cli[0]), "the same fields");
    assert_eq!(api["total"], cli.len());
    let classes = &api["facets"]["license_class"];
    assert!(
        classes
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["value"] == "cc-by"),
        "{classes}"
    );
    assert_eq!(
        api["facets"]["kind"],
        serde_json::json!([{"value": "photo", "count": cli.len()}])
    );

    let shown = lines(&archive(
        &["show", LIFTOFF, "--json", "--index", index],
        &[],
    ));
    assert_eq!(
        served.get(&format!("/api/items/{LIFTOFF}")).json(),
        shown[0]
    );
    let campaigns = lines(&archive(&["campaigns", "--json", "--index", index], &[]));
    assert_eq!(served.get("/api/campaigns").json(), Value::Array(campaigns));

    let all = served.get("/api/search?q=vs20&limit=4").json();
    let second = served.get("/api/search?q=vs20&limit=2&page=2").json();
    let all = all["items"].as_array().unwrap();
    assert_eq!(
        ids(second["items"].as_array().unwrap()),
        ids(&all[2..4]),
        "pages follow on"
    );

    let missing = served.get("/api/items/flickr:1");
    assert_eq!(missing.status, 404);
    assert!(
        missing.json()["error"]
            .as_str()
            .unwrap()
            .contains("flickr:1")
    );
    assert_eq!(served.get("/api/nothing").status, 404);
}

#[test]
fn every_page_escapes_what_came_from_the_web() {
    let fixture = recorded(&[MARKUP_RELEASE]);
    let served = Served::start(&fixture.index, &[]);
    let search = served.get("/?campaign=VS20").text();
    let item = served.get("/item/https:%2F%2Fpress.cnes.example%2Fen%2Fphoto-call-with-markup");
    let picture = served.get(
        "/item/https:%2F%2Fpress.cnes.example%2Fsites%2Fdefault%2Ffiles%2Fstyles%2Flarge%2Fpublic%2Fcso-1_integration.jpg",
    );
    let campaign = served.get("/campaign/VS20").text();
    for page in [&search, &item.text(), &picture.text(), &campaign] {
        let scripts: Vec<&str> = page
            .match_indices("<script")
            .map(|(i, _)| &page[i..i + 40])
            .collect();
        assert_eq!(
            scripts,
            [r#"<script src="/static/app.js" defer></scr"#],
            "{page}"
        );
        assert!(!page.contains("<img src=x"), "{page}");
        assert!(!page.contains("onmouseover=\""), "{page}");
        assert!(!page.contains("javascript:"), "{page}");
    }
    assert!(search.contains("&lt;script&gt;window.xssRan = 1&lt;/script&gt;VS20 photo call"));
    assert!(
        picture
            .text()
            .contains("Fairing &lt;img src=x onerror=&quot;window.xssRan = 1&quot;&gt;")
    );
    assert!(
        picture
            .text()
            .contains("CNES &quot; onmouseover=&quot;window.xssRan = 1")
    );
}

#[test]
fn every_response_carries_the_security_headers() {
    let fixture = recorded(&[archive::demo::SEED]);
    let served = Served::start(&fixture.index, &[]);
    let paths = [
        "/",
        "/?kind=poster",
        "/results?q=vs20",
        "/api/search?q=vs20",
        &format!("/item/{LIFTOFF}"),
        &format!("/thumb/{LIFTOFF}"),
        "/campaign/vs20",
        "/static/app.js",
        "/nowhere",
    ];
    for path in paths {
        let answer = served.get(path);
        let csp = answer.header("content-security-policy").unwrap_or_default();
        for directive in [
            "default-src 'none'",
            "script-src 'self'",
            "img-src 'self'",
            "frame-ancestors 'none'",
        ] {
            assert!(csp.contains(directive), "{path}: {csp}");
        }
        assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
        assert_eq!(
            answer.header("x-content-type-options"),
            Some("nosniff"),
            "{path}"
        );
        assert_eq!(
            answer.header("referrer-policy"),
            Some("no-referrer"),
            "{path}"
        );
    }
    let post = served.send(&format!(
        "POST /api/search HTTP/1.1\r\nHost: {}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        served.addr
    ));
    assert_eq!(post.status, 405, "nothing can be written");
}

#[test]
fn a_request_for_another_host_name_is_refused() {
    let fixture = recorded(&[archive::demo::SEED]);
    let served = Served::start(&fixture.index, &[]);
    let port = served.addr.port();
    let with_host = |host: &str| {
        served.send(&format!(
            "GET /api/search?q=vs20 HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        ))
    };
    let rebound = with_host(&format!("attacker.example:{port}"));
    assert_eq!(rebound.status, 400);
    assert!(
        rebound.text().contains("does not answer to the host name"),
        "{}",
        rebound.text()
    );
    assert!(
        !rebound.text().contains("flickr:"),
        "nothing of the index leaks"
    );
    assert_eq!(with_host(&format!("127.0.0.1:{}", port + 1)).status, 400);
    assert_eq!(with_host(&format!("localhost:{port}")).status, 200);
    let no_host = served.send("GET / HTTP/1.0\r\n\r\n");
    assert_eq!(no_host.status, 400);
}

#[test]
fn bad_parameters_get_a_400_that_says_what_was_wrong() {
    let fixture = recorded(&[archive::demo::SEED]);
    let served = Served::start(&fixture.index, &[]);
    let cases = [
        (
            "/?kind=poster",
            "kind=poster is not a kind: use photo, video, audio or article",
        ),
        ("/?q=vs20&page=0", "page=0 is not a number from 1"),
        ("/?colour=red", "`colour` is not a parameter of a search"),
        ("/?since=2019&until=2018", "swap them"),
        ("/?q=%22soyuz", "the quote at character 1 is never closed"),
        ("/results?q=%22soyuz", "never closed"),
    ];
    for (path, message) in cases {
        let answer = served.get(path);
        assert_eq!(answer.status, 400, "{path}");
        assert!(
            answer
                .header("content-type")
                .unwrap()
                .starts_with("text/html")
        );
        assert!(answer.text().contains(message), "{path}: {}", answer.text());
    }
    let page = served.get("/?q=%22soyuz").text();
    assert!(
        page.contains(r#"value="&quot;soyuz""#),
        "the query stays in the box to fix it"
    );
    let api = served.get("/api/search?sort=views");
    assert_eq!(api.status, 400);
    assert!(
        api.json()["error"]
            .as_str()
            .unwrap()
            .contains("use relevance or date")
    );
}

#[test]
fn the_pages_say_what_the_command_line_says() {
    let fixture = recorded(&[archive::demo::SEED]);
    let served = Served::start(&fixture.index, &[]);
    let item = served.get(&format!("/item/{LIFTOFF}")).text();
    for expected in [
        "Lancement de Soyuz VS20 avec CSO-1",
        "Photo: CNES · CC BY 2.0 · via Flickr",
        "as long as you credit the author",
        "https://creativecommons.org/licenses/by/2.0/",
        "Next Soyuz mission from CSG to launch CSO-1 satellite",
        "Flickr API",
        "src=\"/preview/flickr:45539063392\"",
    ] {
        assert!(item.contains(expected), "{expected} not in the item page");
    }
    let campaign = served.get("/campaign/vs20");
    assert_eq!(campaign.status, 200);
    let campaign = campaign.text();
    assert!(campaign.contains("Campaign VS20"));
    assert!(campaign.contains("Next Soyuz mission from CSG to launch CSO-1 satellite"));
    assert!(
        campaign.contains("<time datetime=\"2018-12-18\">18 December 2018</time>"),
        "{campaign}"
    );
    assert_eq!(served.get("/campaign/VS99").status, 404);
    assert_eq!(served.get("/item/flickr:1").status, 404);

    let nothing = served.get("/?q=vs02").text();
    assert!(nothing.contains("No item matches"));
    assert!(
        nothing.contains(r#"Did you mean: <a href="/?q=vs20">vs20</a>?"#),
        "{nothing}"
    );
    let said = &served.said;
    assert!(said.contains("from the recording"), "{said}");
}

#[test]
fn a_page_shows_what_a_running_crawl_has_committed() {
    let fixture = recorded(&[archive::demo::SEED]);
    let served = Served::start(&fixture.index, &[]);
    let before = served.get("/api/search?q=vs20").json()["total"]
        .as_u64()
        .unwrap();
    // The server holds no lock: a crawl can write to the index while it serves.
    crawl_replayed(&fixture.warc, &fixture.index, &[MARKUP_RELEASE]);
    let after = served.get("/api/search?q=vs20").json()["total"]
        .as_u64()
        .unwrap();
    assert_eq!(
        after,
        before + 2,
        "the release and its picture, without a restart"
    );
    let page = served.get("/").text();
    assert!(page.contains("VS20 photo call"));
}

#[test]
fn serving_beyond_loopback_says_who_can_reach_it_and_a_missing_index_is_an_error() {
    let fixture = recorded(&[archive::demo::SEED]);
    let wide = Served::start_with(&fixture.index, &["--bind", "0.0.0.0:0", "--offline"]);
    assert!(
        wide.said.contains("anyone who can reach this machine"),
        "{}",
        wide.said
    );
    drop(wide);
    let loopback = Served::start(&fixture.index, &["--offline"]);
    assert!(!loopback.said.contains("anyone"), "{}", loopback.said);

    let missing = fixture.dir.path().join("nowhere");
    let output = archive(&["serve", "--index", missing.to_str().unwrap()], &[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(common::cli::stderr(&output).contains("no index at"));
    assert_ok(&archive(&["serve", "--help"], &[]));
}

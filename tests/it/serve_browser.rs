//! `archive serve` in a real browser: headless Chromium driven through WebDriver
//! (chromedriver), over an index crawled from the fixture site and served offline. One browser
//! session walks through what a journalist does: type a query, narrow it, reload, go back,
//! open an item, copy its credit line, look at a campaign, all with the keyboard too; axe-core
//! checks every page, and screenshots at 1280 and 390 px go to `target/tmp/screenshots/`.
//!
//! Needs the Debian packages `chromium` and `chromium-driver`, and axe-core from npm
//! (`npm ci --prefix tests/browser`); `.ci/run` installs them.

use crate::common;

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::serve::{MARKUP_RELEASE, Served, recorded};

const ARROW_RIGHT: &str = "\u{E014}";
const ARROW_DOWN: &str = "\u{E015}";
const ENTER: &str = "\u{E007}";
const CONTROL: &str = "\u{E009}";
const LIFTOFF: &str = "flickr:45539063392";

/// Chromium under chromedriver, with a profile of its own.
struct Browser {
    driver: Child,
    client: Option<Client>,
    _profile: tempfile::TempDir,
}

impl Browser {
    async fn start() -> Browser {
        let port = free_port();
        let driver = Command::new(program(&["chromedriver"]))
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let profile = tempfile::tempdir().unwrap();
        let options = json!({
            "binary": program(&["chromium", "chromium-browser", "google-chrome"]),
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--hide-scrollbars",
                format!("--user-data-dir={}", profile.path().display()),
            ],
        });
        let mut capabilities = serde_json::Map::new();
        capabilities.insert("goog:chromeOptions".into(), options);
        let client = connect(port, capabilities).await;
        Browser {
            driver,
            client: Some(client),
            _profile: profile,
        }
    }

    fn client(&self) -> &Client {
        self.client.as_ref().unwrap()
    }

    async fn close(mut self) {
        if let Some(client) = self.client.take() {
            let _ = client.close().await;
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

async fn connect(port: u16, capabilities: serde_json::Map<String, Value>) -> Client {
    let started = Instant::now();
    loop {
        let mut builder = ClientBuilder::rustls().unwrap();
        builder.capabilities(capabilities.clone());
        match builder.connect(&format!("http://127.0.0.1:{port}")).await {
            Ok(client) => return client,
            Err(e) if started.elapsed() > Duration::from_secs(30) => {
                panic!("chromedriver did not start a Chromium session: {e}")
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
}

fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// The first of these programs on the PATH.
fn program(names: &[&str]) -> PathBuf {
    let path = std::env::var_os("PATH").unwrap_or_default();
    for dir in std::env::split_paths(&path) {
        for name in names {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return candidate;
            }
        }
    }
    panic!(
        "{} is not installed, and the browser tests need it: on Debian or Ubuntu, \
         `apt-get install chromium chromium-driver` (.ci/run does it)",
        names[0]
    );
}

/// axe-core, as npm installed it beside the tests.
fn axe_source() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/browser/node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "{} is missing, and the browser tests need it: run `npm ci --prefix tests/browser`",
            path.display()
        )
    })
}

async fn js(client: &Client, script: &str) -> Value {
    client
        .execute(script, Vec::new())
        .await
        .unwrap_or_else(|e| panic!("{script}: {e}"))
}

/// Waits until `condition` (a JavaScript expression) holds on the page.
async fn until(client: &Client, condition: &str) {
    let started = Instant::now();
    loop {
        let script = format!("return Boolean({condition});");
        if client.execute(&script, Vec::new()).await.ok() == Some(Value::Bool(true)) {
            return;
        }
        if started.elapsed() > Duration::from_secs(20) {
            let url = client.current_url().await.map(|u| u.to_string());
            panic!("still not true after 20 s: {condition} (at {url:?})");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn text(client: &Client, css: &str) -> String {
    let element = client.find(Locator::Css(css)).await;
    element
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .text()
        .await
        .unwrap()
}

/// Fails on any serious or critical accessibility violation axe-core finds.
async fn check_accessibility(client: &Client, axe: &str, page: &str) {
    js(client, &format!("{axe}\nreturn true;")).await;
    let script = "const done = arguments[arguments.length - 1];
        axe.run(document, { resultTypes: ['violations'] })
          .then(r => done(r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help,
              nodes: v.nodes.map(n => n.target.join(' ')) }))))
          .catch(e => done([{ id: 'axe-failed', impact: 'critical', help: String(e) }]));";
    let violations = client.execute_async(script, Vec::new()).await.unwrap();
    let grave: Vec<&Value> = violations
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| matches!(v["impact"].as_str(), Some("serious" | "critical")))
        .collect();
    assert!(grave.is_empty(), "{page}: {grave:#?}");
}

async fn screenshot(client: &Client, name: &str) {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    let png = client.screenshot().await.unwrap();
    std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
}

/// Every image on the page has loaded, and came from the cache, not as the placeholder.
async fn images_loaded(client: &Client) {
    js(
        client,
        "document.querySelectorAll('img').forEach(i => i.loading = 'eager'); return 1;",
    )
    .await;
    until(
        client,
        "[...document.images].every(i => i.complete && i.naturalWidth > 0)",
    )
    .await;
    let script = "const done = arguments[arguments.length - 1];
        Promise.all([...document.images].map(i => fetch(i.src)
            .then(r => r.headers.get('content-type'))))
          .then(done, e => done(['failed: ' + e]));";
    let types = client.execute_async(script, Vec::new()).await.unwrap();
    for kind in types.as_array().unwrap() {
        assert_eq!(kind, "image/jpeg", "{types}");
    }
}

#[test]
fn a_journalist_finds_checks_and_copies_campaign_media_in_a_browser() {
    let axe = axe_source();
    let fixture = recorded(&[archive::demo::SEED, MARKUP_RELEASE]);
    let served = Served::start(&fixture.index, &[]);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(walk_through(&served, &axe));
}

async fn walk_through(served: &Served, axe: &str) {
    let vs20 = served.get("/api/search?q=vs20").json()["total"]
        .as_u64()
        .unwrap();
    let videos = served.get("/api/search?q=vs20&kind=video").json()["total"]
        .as_u64()
        .unwrap();
    assert!(vs20 > videos && videos > 0);
    let browser = Browser::start().await;
    let client = browser.client();
    client.set_window_size(1280, 900).await.unwrap();
    let origin = &served.origin;

    // Typing finds the campaign's cards, with their thumbnails, and the address follows.
    client.goto(&format!("{origin}/")).await.unwrap();
    client
        .find(Locator::Css("#q"))
        .await
        .unwrap()
        .send_keys("vs20")
        .await
        .unwrap();
    until(
        client,
        &format!(
            "location.search === '?q=vs20' && document.querySelectorAll('.card').length === {vs20}"
        ),
    )
    .await;
    assert!(
        text(client, "#summary")
            .await
            .starts_with(&format!("{vs20} items"))
    );
    images_loaded(client).await;
    screenshot(client, "search-1280").await;
    check_accessibility(client, axe, "the search page").await;

    // A facet narrows; a reload shows the same; the back button returns.
    let facet = client
        .find(Locator::Css("#facets a[href$='kind=video']"))
        .await
        .unwrap();
    facet.click().await.unwrap();
    let narrowed = format!("document.querySelectorAll('.card').length === {videos}");
    until(
        client,
        &format!("location.search === '?q=vs20&kind=video' && {narrowed}"),
    )
    .await;
    assert!(
        text(client, "#summary")
            .await
            .starts_with(&format!("{videos} items"))
    );
    client.refresh().await.unwrap();
    until(client, &narrowed).await;
    let chosen = client
        .find(Locator::Css("#facets a[aria-current][href$='q=vs20']"))
        .await;
    assert!(
        chosen.is_ok(),
        "the chosen facet shows as chosen, and clicking it removes it"
    );
    client.back().await.unwrap();
    until(
        client,
        &format!(
            "location.search === '?q=vs20' && document.querySelectorAll('.card').length === {vs20}"
        ),
    )
    .await;

    // Markup in titles from the web shows as text, and no script of theirs runs.
    client
        .goto(&format!("{origin}/?campaign=VS20"))
        .await
        .unwrap();
    let titles = js(
        client,
        "return [...document.querySelectorAll('.card-title')].map(t => t.textContent);",
    )
    .await;
    assert!(
        titles
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t == "<script>window.xssRan = 1</script>VS20 photo call"),
        "{titles}"
    );
    assert_eq!(
        js(client, "return typeof window.xssRan;").await,
        "undefined"
    );
    let picture = "/item/https:%2F%2Fpress.cnes.example%2Fsites%2Fdefault%2Ffiles%2Fstyles%2Flarge%2Fpublic%2Fcso-1_integration.jpg";
    client.goto(&format!("{origin}{picture}")).await.unwrap();
    assert_eq!(
        text(client, "h1").await,
        "Fairing <img src=x onerror=\"window.xssRan = 1\"> & \"quotes\" 'single'"
    );
    assert_eq!(
        js(client, "return typeof window.xssRan;").await,
        "undefined"
    );

    // An item: its preview, and its credit line copied by the button.
    client
        .goto(&format!("{origin}/item/{LIFTOFF}"))
        .await
        .unwrap();
    images_loaded(client).await;
    let width = js(
        client,
        "return document.querySelector('.preview img').naturalWidth;",
    )
    .await;
    assert_eq!(width, 480, "the original, larger than the 150 px thumbnail");
    let credit = text(client, "#credit-line").await;
    assert_eq!(credit, "Photo: CNES · CC BY 2.0 · via Flickr");
    client
        .find(Locator::Css("button[data-copy]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    until(
        client,
        "document.getElementById('credit-line-status').textContent === 'Copied.'",
    )
    .await;
    let box_ = client.find(Locator::Css("#q")).await.unwrap();
    box_.clear().await.unwrap();
    box_.send_keys(&format!("{CONTROL}v")).await.unwrap();
    let pasted = box_.prop("value").await.unwrap().unwrap_or_default();
    assert_eq!(pasted, credit, "the clipboard holds the credit line");
    box_.clear().await.unwrap();
    screenshot(client, "item-1280").await;
    check_accessibility(client, axe, "an item page").await;

    // A campaign.
    client
        .goto(&format!("{origin}/campaign/VS20"))
        .await
        .unwrap();
    assert_eq!(text(client, "h1").await, "Campaign VS20");
    screenshot(client, "campaign-1280").await;
    check_accessibility(client, axe, "a campaign page").await;

    // The keyboard alone: "/" to search, arrows between cards, Enter to open.
    client.goto(&format!("{origin}/?q=vs20")).await.unwrap();
    client
        .find(Locator::Css("body"))
        .await
        .unwrap()
        .send_keys("/")
        .await
        .unwrap();
    until(client, "document.activeElement.id === 'q'").await;
    client
        .active_element()
        .await
        .unwrap()
        .send_keys(ARROW_DOWN)
        .await
        .unwrap();
    until(
        client,
        "document.activeElement === document.querySelectorAll('.card-link')[0]",
    )
    .await;
    client
        .active_element()
        .await
        .unwrap()
        .send_keys(ARROW_RIGHT)
        .await
        .unwrap();
    until(
        client,
        "document.activeElement === document.querySelectorAll('.card-link')[1]",
    )
    .await;
    let second = js(
        client,
        "return document.querySelectorAll('.card-link')[1].href;",
    )
    .await;
    client
        .active_element()
        .await
        .unwrap()
        .send_keys(ENTER)
        .await
        .unwrap();
    until(client, &format!("location.href === {second}")).await;

    // A phone's width.
    client.set_window_size(390, 844).await.unwrap();
    for (name, path) in [
        ("search-390", "/?q=vs20".to_string()),
        ("item-390", format!("/item/{LIFTOFF}")),
        ("campaign-390", "/campaign/VS20".to_string()),
    ] {
        client.goto(&format!("{origin}{path}")).await.unwrap();
        images_loaded(client).await;
        screenshot(client, name).await;
        check_accessibility(client, axe, name).await;
    }
    browser.close().await;
}

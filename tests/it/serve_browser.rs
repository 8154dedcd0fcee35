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
/// The picture of the release with markup, whose title holds an `<img onerror=…>`.
const PICTURE: &str = "/item/https:%2F%2Fpress.cnes.example%2Fsites%2Fdefault%2Ffiles%2Fstyles%2Flarge%2Fpublic%2Fcso-1_integration.jpg";

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
    let browser = Browser::start().await;
    let page = Page {
        client: browser.client(),
        origin: &served.origin,
        axe,
    };
    page.client.set_window_size(1280, 900).await.unwrap();
    let vs20 = served.get("/api/search?q=vs20").json()["total"]
        .as_u64()
        .unwrap();
    let videos = served.get("/api/search?q=vs20&kind=video").json()["total"]
        .as_u64()
        .unwrap();
    assert!(vs20 > videos && videos > 0);
    typing_finds_the_campaign_with_its_thumbnails(&page, vs20).await;
    a_facet_narrows_and_the_address_keeps_it(&page, vs20, videos).await;
    markup_from_the_web_shows_as_text(&page).await;
    an_item_shows_its_preview_and_copies_its_credit_line(&page).await;
    a_campaign_shows_its_releases_and_timeline(&page).await;
    the_keyboard_is_enough(&page).await;
    page.client.set_window_size(390, 844).await.unwrap();
    for (name, path) in [
        ("search-390", "/?q=vs20".to_string()),
        ("item-390", format!("/item/{LIFTOFF}")),
        ("campaign-390", "/campaign/VS20".to_string()),
    ] {
        page.open(&path).await;
        images_loaded(page.client).await;
        page.check(name).await;
    }
    browser.close().await;
}

/// The browser, where the server is, and axe-core.
struct Page<'a> {
    client: &'a Client,
    origin: &'a str,
    axe: &'a str,
}

impl Page<'_> {
    async fn open(&self, path: &str) {
        self.client
            .goto(&format!("{}{path}", self.origin))
            .await
            .unwrap();
    }

    /// A screenshot, then axe-core.
    async fn check(&self, name: &str) {
        screenshot(self.client, name).await;
        check_accessibility(self.client, self.axe, name).await;
    }

    async fn cards_are(&self, search: &str, count: u64) {
        let condition = format!(
            "location.search === '{search}' && document.querySelectorAll('.card').length === {count}"
        );
        until(self.client, &condition).await;
    }
}

/// Typing finds the campaign's cards, with their thumbnails, and the address follows.
async fn typing_finds_the_campaign_with_its_thumbnails(page: &Page<'_>, vs20: u64) {
    let client = page.client;
    page.open("/").await;
    let search = client.find(Locator::Css("#q")).await.unwrap();
    search.send_keys("vs20").await.unwrap();
    page.cards_are("?q=vs20", vs20).await;
    assert!(
        text(client, "#summary")
            .await
            .starts_with(&format!("{vs20} items"))
    );
    images_loaded(client).await;
    page.check("search-1280").await;
}

/// A facet narrows; a reload shows the same; the back button returns.
async fn a_facet_narrows_and_the_address_keeps_it(page: &Page<'_>, vs20: u64, videos: u64) {
    let client = page.client;
    let facet = client
        .find(Locator::Css("#facets a[href$='kind=video']"))
        .await
        .unwrap();
    facet.click().await.unwrap();
    page.cards_are("?q=vs20&kind=video", videos).await;
    assert!(
        text(client, "#summary")
            .await
            .starts_with(&format!("{videos} items"))
    );
    client.refresh().await.unwrap();
    page.cards_are("?q=vs20&kind=video", videos).await;
    let chosen = client
        .find(Locator::Css("#facets a[aria-current][href$='q=vs20']"))
        .await;
    assert!(
        chosen.is_ok(),
        "the chosen facet shows as chosen, and clicking it removes it"
    );
    client.back().await.unwrap();
    page.cards_are("?q=vs20", vs20).await;
}

/// Markup in titles from the web shows as text, and no script of theirs runs.
async fn markup_from_the_web_shows_as_text(page: &Page<'_>) {
    let client = page.client;
    page.open("/?campaign=VS20").await;
    let script = "return [...document.querySelectorAll('.card-title')].map(t => t.textContent);";
    let titles = js(client, script).await;
    let release = "<script>window.xssRan = 1</script>VS20 photo call";
    assert!(
        titles.as_array().unwrap().iter().any(|t| t == release),
        "{titles}"
    );
    assert_eq!(
        js(client, "return typeof window.xssRan;").await,
        "undefined"
    );
    page.open(PICTURE).await;
    assert_eq!(
        text(client, "h1").await,
        "Fairing <img src=x onerror=\"window.xssRan = 1\"> & \"quotes\" 'single'"
    );
    assert_eq!(
        js(client, "return typeof window.xssRan;").await,
        "undefined"
    );
}

/// An item: its preview, and its credit line copied by the button.
async fn an_item_shows_its_preview_and_copies_its_credit_line(page: &Page<'_>) {
    let client = page.client;
    page.open(&format!("/item/{LIFTOFF}")).await;
    images_loaded(client).await;
    let width = js(
        client,
        "return document.querySelector('.preview img').naturalWidth;",
    )
    .await;
    assert_eq!(width, 480, "the original, larger than the 150 px thumbnail");
    let credit = text(client, "#credit-line").await;
    assert_eq!(credit, "Photo: CNES · CC BY 2.0 · via Flickr");
    let button = client
        .find(Locator::Css("button[data-copy]"))
        .await
        .unwrap();
    button.click().await.unwrap();
    until(
        client,
        "document.getElementById('credit-line-status').textContent === 'Copied.'",
    )
    .await;
    // Pasted back into the search box: what the clipboard holds.
    let search = client.find(Locator::Css("#q")).await.unwrap();
    search.clear().await.unwrap();
    search.send_keys(&format!("{CONTROL}v")).await.unwrap();
    let pasted = search.prop("value").await.unwrap().unwrap_or_default();
    assert_eq!(pasted, credit, "the clipboard holds the credit line");
    search.clear().await.unwrap();
    page.check("item-1280").await;
}

async fn a_campaign_shows_its_releases_and_timeline(page: &Page<'_>) {
    page.open("/campaign/VS20").await;
    assert_eq!(text(page.client, "h1").await, "Campaign VS20");
    let releases = text(page.client, ".releases").await;
    assert!(releases.contains("Next Soyuz mission from CSG to launch CSO-1 satellite"));
    page.check("campaign-1280").await;
}

/// The keyboard alone: "/" to search, arrows between cards, Enter to open.
async fn the_keyboard_is_enough(page: &Page<'_>) {
    let client = page.client;
    page.open("/?q=vs20").await;
    client
        .find(Locator::Css("body"))
        .await
        .unwrap()
        .send_keys("/")
        .await
        .unwrap();
    until(client, "document.activeElement.id === 'q'").await;
    let press = |key: &'static str| async move {
        client
            .active_element()
            .await
            .unwrap()
            .send_keys(key)
            .await
            .unwrap();
    };
    press(ARROW_DOWN).await;
    until(
        client,
        "document.activeElement === document.querySelectorAll('.card-link')[0]",
    )
    .await;
    press(ARROW_RIGHT).await;
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
    press(ENTER).await;
    until(client, &format!("location.href === {second}")).await;
}

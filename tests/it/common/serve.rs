//! What the `archive serve` tests share: an index crawled from the fixture site and replayed
//! from a recording that also holds its items' thumbnails (so serving it needs no network),
//! the `archive serve` process on a free loopback port, and plain HTTP/1.1 requests to it,
//! written byte by byte so that a test can send what a browser would not.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::mpsc;
use std::time::Duration;

use archive::crawl::{CrawlPlan, Crawler, Seed, Silent};
use archive::demo;
use archive::fetch::{FetchConfig, Fetcher, Purpose, Transport};
use archive::index::ArchiveIndex;
use archive::serve::thumbnails::{preview_urls, thumbnail_urls};
use archive::sources::{Registry, Settings};
use archive::warcfile::Recorder;
use archive_test_support::site::{Links, Site};

use super::cli::{archive, assert_ok};

/// The fixture release whose titles and captions carry markup (`<script>`, `onerror=`).
pub(crate) const MARKUP_RELEASE: &str = "https://press.cnes.example/en/photo-call-with-markup";

/// A recorded crawl of the fixture site, and an index crawled again from that recording.
pub(crate) struct Recorded {
    pub(crate) dir: tempfile::TempDir,
    pub(crate) warc: PathBuf,
    pub(crate) index: PathBuf,
}

/// Records the demo's release and the release with markup from the fixture site, as if from
/// the public hosts, with every item's thumbnail and preview; then crawls `seeds` of them
/// from the recording with `archive crawl --replay`, as a journalist would.
pub(crate) fn recorded(seeds: &[&str]) -> Recorded {
    let dir = tempfile::tempdir().unwrap();
    let warc = dir.path().join("crawl.warc");
    record(&warc, &dir.path().join("recording-index"));
    let index = dir.path().join("index");
    crawl_replayed(&warc, &index, seeds);
    Recorded { dir, warc, index }
}

/// `archive crawl SEEDS --replay WARC --index INDEX`.
pub(crate) fn crawl_replayed(warc: &Path, index: &Path, seeds: &[&str]) {
    let mut args = vec![
        "crawl",
        "--index",
        index.to_str().unwrap(),
        "--replay",
        warc.to_str().unwrap(),
    ];
    args.extend_from_slice(seeds);
    assert_ok(&archive(&args, &[]));
}

fn record(warc: &Path, index_dir: &Path) {
    let site = Site::start(Links::Public);
    let config = FetchConfig {
        mirror: Some(url::Url::parse(&site.server.origin()).unwrap()),
        delay: Duration::ZERO,
        ..FetchConfig::default()
    };
    let transport = Transport::live(&config).unwrap();
    let fetcher = Fetcher::new(config, transport, Some(Recorder::create(warc).unwrap()));
    let settings = Settings::from_pairs([
        ("FLICKR_API_KEY", "test-key"),
        ("FLICKR_API_URL", demo::FLICKR_API_URL),
    ]);
    let registry = Arc::new(Registry::standard(&fetcher, &settings).unwrap());
    let index = ArchiveIndex::open_or_create(index_dir).unwrap();
    let plan = CrawlPlan {
        seeds: [demo::SEED, MARKUP_RELEASE]
            .iter()
            .map(|s| Seed::parse(s).unwrap())
            .collect(),
        depth: 1,
        ..CrawlPlan::default()
    };
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let report = runtime
        .block_on(Crawler::new(fetcher.clone(), registry.clone(), &index, &Silent).run(&plan))
        .unwrap();
    assert!(report.succeeded(), "{:?}", report.seeds);
    runtime.block_on(record_images(&fetcher, &index));
    drop(registry);
    fetcher.finish().unwrap();
}

/// Every image a page of `archive serve` may show, into the recording; those the fixture site
/// does not have are recorded as the 404s they are.
async fn record_images(fetcher: &Fetcher, index: &ArchiveIndex) {
    let everything = archive::search::Request {
        limit: 1000,
        ..archive::search::Request::new("")
    };
    let hits = archive::search::run(index, &everything).unwrap().hits;
    let urls: BTreeSet<String> = hits
        .iter()
        .flat_map(|hit| [thumbnail_urls(&hit.item), preview_urls(&hit.item)])
        .flatten()
        .collect();
    for url in urls {
        let _ = fetcher
            .get(&url::Url::parse(&url).unwrap(), Purpose::Page)
            .await;
    }
}

/// A running `archive serve`, stopped when dropped.
pub(crate) struct Served {
    child: Child,
    /// `http://127.0.0.1:PORT`.
    pub(crate) origin: String,
    pub(crate) addr: SocketAddr,
    /// What it said on stderr before it started serving.
    pub(crate) said: String,
}

impl Served {
    /// `archive serve --index INDEX --bind 127.0.0.1:0 ARGS`.
    pub(crate) fn start(index: &Path, args: &[&str]) -> Served {
        let mut all = vec!["--bind", "127.0.0.1:0"];
        all.extend_from_slice(args);
        Served::start_with(index, &all)
    }

    /// `archive serve --index INDEX ARGS`, which must bind somewhere.
    pub(crate) fn start_with(index: &Path, args: &[&str]) -> Served {
        let mut child = Command::new(env!("CARGO_BIN_EXE_archive"))
            .args(["serve", "--index", index.to_str().unwrap()])
            .args(args)
            .env_remove("ARCHIVE_INDEX")
            .env_remove("HTTP_PROXY")
            .env_remove("http_proxy")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("archive serve starts");
        let (said, url) = wait_for_url(&mut child);
        let addr: SocketAddr = url
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .parse()
            .unwrap_or_else(|_| panic!("no address in {url}"));
        let addr = match addr.ip().is_unspecified() {
            true => SocketAddr::from(([127, 0, 0, 1], addr.port())),
            false => addr,
        };
        Served {
            child,
            origin: format!("http://{addr}"),
            addr,
            said,
        }
    }

    /// GET `path` with the server's own address as `Host`.
    pub(crate) fn get(&self, path: &str) -> Answer {
        let host = self.addr.to_string();
        self.send(&format!(
            "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        ))
    }

    /// Sends a request exactly as written.
    pub(crate) fn send(&self, request: &str) -> Answer {
        let mut stream = TcpStream::connect(self.addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(60)))
            .unwrap();
        stream.write_all(request.as_bytes()).unwrap();
        let mut bytes = Vec::new();
        stream.read_to_end(&mut bytes).unwrap();
        Answer::parse(&bytes)
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Reads stderr until the line that says where the server is, then keeps draining it.
fn wait_for_url(child: &mut Child) -> (String, String) {
    let stderr = child.stderr.take().unwrap();
    let (lines, said) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = lines.send(line);
        }
    });
    let mut text = String::new();
    loop {
        let Ok(line) = said.recv_timeout(Duration::from_secs(60)) else {
            let status = child.try_wait().ok().flatten();
            panic!("archive serve did not start ({status:?}):\n{text}");
        };
        text.push_str(&line);
        text.push('\n');
        if let Some(url) = line.split_whitespace().find(|w| w.starts_with("http://")) {
            // The lines after it (thumbnails, who can reach it) are said at once.
            while let Ok(line) = said.recv_timeout(Duration::from_millis(300)) {
                text.push_str(&line);
                text.push('\n');
            }
            return (text, url.to_string());
        }
    }
}

/// An HTTP response.
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
}

impl Answer {
    fn parse(bytes: &[u8]) -> Answer {
        let end = bytes
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("a complete head");
        let head = String::from_utf8_lossy(&bytes[..end]);
        let mut lines = head.split("\r\n");
        let status = lines
            .next()
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|s| s.parse().ok())
            .expect("a status line");
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        let mut answer = Answer {
            status,
            headers,
            body: bytes[end + 4..].to_vec(),
        };
        if answer.header("transfer-encoding") == Some("chunked") {
            answer.body = unchunk(&answer.body);
        }
        answer
    }

    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub(crate) fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub(crate) fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }
}

fn unchunk(mut body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(line_end) = body.windows(2).position(|w| w == b"\r\n") {
        let size = usize::from_str_radix(String::from_utf8_lossy(&body[..line_end]).trim(), 16)
            .unwrap_or(0);
        if size == 0 {
            break;
        }
        let start = line_end + 2;
        out.extend_from_slice(&body[start..start + size]);
        body = &body[start + size + 2..];
    }
    out
}

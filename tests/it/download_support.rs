//! What the download tests share: an index of items whose files a loopback server holds, a
//! server that answers files as real ones do (validators, conditional requests, ranges), and
//! the third-party tools that check the pack (`sha256sum`, exiftool).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};

use archive::model::{Item, Kind, Source};
use archive_test_support::server::{Reply, Request, TestServer};
use serde_json::Value;

use crate::common::cli::archive;
use crate::common::fixture_path;
use crate::search_support::{at, flickr_license, index_of};

/// A real JPEG from the fixture site (480×320).
pub(crate) fn jpeg() -> Vec<u8> {
    read_fixture("site/live.staticflickr.com/4876/45539063392_8d7c6b5a41_o.jpg")
}

/// Another real JPEG (320×480).
pub(crate) fn other_jpeg() -> Vec<u8> {
    read_fixture("site/live.staticflickr.com/4833/46452147121_c0ffee1234_k.jpg")
}

/// A real MP4 from the fixture site.
pub(crate) fn mp4() -> Vec<u8> {
    read_fixture("site/www.flickr.com/photos/cnes/46452147131/play/orig/1a2b3c4d5e/index.mp4")
}

fn read_fixture(path: &str) -> Vec<u8> {
    std::fs::read(fixture_path(path)).expect("a fixture file")
}

/// A file as the server holds it.
#[derive(Clone, Debug)]
pub(crate) struct Served {
    pub(crate) content_type: String,
    pub(crate) body: Vec<u8>,
    /// Sent as `ETag`; conditional and range requests are honoured when set.
    pub(crate) etag: Option<String>,
}

impl Served {
    pub(crate) fn new(content_type: &str, body: Vec<u8>) -> Self {
        Served {
            content_type: content_type.into(),
            body,
            etag: None,
        }
    }

    pub(crate) fn tagged(mut self, etag: &str) -> Self {
        self.etag = Some(format!("\"{etag}\""));
        self
    }
}

/// The files a server holds, changeable while it runs.
pub(crate) type Files = Arc<Mutex<HashMap<String, Served>>>;

/// A loopback server for `files`: robots.txt is missing (everything allowed), `If-None-Match`
/// gets a 304, a `Range` with a matching `If-Range` gets a 206 (416 past the end).
pub(crate) fn file_server(files: &Files) -> TestServer {
    let files = files.clone();
    TestServer::start(move |request| {
        let served = files.lock().unwrap().get(&request.path).cloned();
        match served {
            Some(served) => answer(request, &served),
            None => Reply::not_found(),
        }
    })
}

/// A real server's answer to a GET for `served`.
pub(crate) fn answer(request: &Request, served: &Served) -> Reply {
    let etag = served.etag.as_deref();
    if etag.is_some() && request.header("if-none-match") == etag {
        return Reply::status(304).header("ETag", etag.unwrap_or_default());
    }
    let mut reply = Reply::ok(&served.content_type, served.body.clone());
    if let Some(etag) = etag {
        reply = reply.header("ETag", etag).header("Accept-Ranges", "bytes");
    }
    let from = request
        .header("range")
        .and_then(|r| r.strip_prefix("bytes="))
        .and_then(|r| r.strip_suffix('-'))
        .and_then(|n| n.parse::<usize>().ok());
    let same = etag.is_some() && request.header("if-range") == etag;
    match from {
        Some(from) if same && from >= served.body.len() => {
            let whole = format!("bytes */{}", served.body.len());
            Reply::status(416).header("Content-Range", &whole)
        }
        Some(from) if same => {
            let length = served.body.len();
            let mut partial = Reply::ok(&served.content_type, served.body[from..].to_vec())
                .header("ETag", etag.unwrap_or_default())
                .header(
                    "Content-Range",
                    &format!("bytes {from}-{}/{length}", length - 1),
                );
            partial.status = 206;
            partial
        }
        _ => reply,
    }
}

/// A photo in campaign VS20, CC BY-SA 2.0, by CNES, whose file is at `url`.
pub(crate) fn photo(id: &str, title: &str, url: &str) -> Item {
    let mut item = Item::new(id, Kind::Photo, Source::Flickr);
    item.title = Some(title.into());
    item.campaigns = vec!["VS20".into()];
    item.creator = Some("CNES/ESA/Arianespace - S. Martin".into());
    flickr_license(&mut item, 5);
    item.taken_at = at("2018-12-18T15:54:37");
    item.tags = vec!["soyuz".into(), "Kourou".into()];
    let number = id.rsplit(':').next().unwrap_or(id);
    item.page_url = Some(format!("https://www.flickr.com/photos/cnes/{number}/"));
    item.media_url = Some(url.into());
    item
}

/// An index of `items` on disk: the directory to keep alive, and the index's path.
pub(crate) fn index(items: Vec<Item>) -> (tempfile::TempDir, PathBuf) {
    let (dir, index) = index_of(items);
    let path = index.dir().to_path_buf();
    drop(index);
    (dir, path)
}

/// `archive download` into `to` from the index at `index`, at loopback pace.
pub(crate) fn download(index: &Path, to: &Path, args: &[&str]) -> Output {
    let mut all = vec![
        "download",
        "--index",
        index.to_str().unwrap(),
        "--to",
        to.to_str().unwrap(),
        "--delay",
        "0",
        "--allow-private",
    ];
    all.extend_from_slice(args);
    archive(&all, &[])
}

/// `archive download` as [`download`] runs it, started in the background and quiet; its
/// stderr is kept for the test to read.
pub(crate) fn spawn_download(index: &Path, to: &Path) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_archive"))
        .args(["download", "--index", index.to_str().unwrap(), "--to"])
        .arg(to)
        .args(["--delay", "0", "--allow-private", "--quiet"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the archive binary starts")
}

/// The pack's `manifest.json`.
pub(crate) fn manifest(to: &Path) -> Value {
    let text = std::fs::read_to_string(to.join("manifest.json")).expect("a manifest");
    serde_json::from_str(&text).expect("the manifest is JSON")
}

/// The manifest's entry for an item.
pub(crate) fn entry<'a>(manifest: &'a Value, id: &str) -> &'a Value {
    manifest["items"]
        .as_array()
        .and_then(|items| items.iter().find(|i| i["id"] == id))
        .unwrap_or_else(|| panic!("{id} is not in the manifest: {manifest:#}"))
}

/// `sha256sum -c SHA256SUMS` in the pack, which must pass; returns how many files it checked.
pub(crate) fn sha256sum_check(to: &Path) -> usize {
    let output = Command::new("sha256sum")
        .args(["-c", "--strict", "SHA256SUMS"])
        .current_dir(to)
        .output()
        .expect("sha256sum (GNU coreutils) runs");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "sha256sum -c failed:\n{text}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    text.lines().filter(|l| l.ends_with(": OK")).count()
}

/// What exiftool reads in `paths`, one object each, with group names (`-G1`).
pub(crate) fn exiftool(paths: &[PathBuf]) -> Vec<Value> {
    let output = Command::new("exiftool")
        .args(["-j", "-G1", "-struct"])
        .args(paths)
        .output()
        .unwrap_or_else(|_| {
            panic!(
                "exiftool is not installed, and these tests check the XMP with it: \
                 apt-get install libimage-exiftool-perl"
            )
        });
    assert!(
        output.status.success(),
        "exiftool failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("exiftool -j prints JSON")
}

/// Every file under `dir`, as paths relative to it.
pub(crate) fn files_under(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(next) = pending.pop() {
        for entry in std::fs::read_dir(&next).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let relative = path.strip_prefix(dir).unwrap();
                found.push(relative.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    found.sort();
    found
}

/// The SHA-256 of some bytes, hex, as `sha256sum` prints it.
pub(crate) fn sha256(bytes: &[u8]) -> String {
    aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, bytes)
        .as_ref()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

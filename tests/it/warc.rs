//! WARC files written by `Recorder` are read back by warcio, the reference Python reader
//! (`pip install warcio`): it must index every record, verify every digest, and extract the
//! exact bodies, for plain and per-record-gzipped files alike.

use crate::common;

use archive::warcfile::{Exchange, Recorder, Replay};
use chrono::{TimeZone, Utc};
use serde_json::Value;
use std::path::Path;
use url::Url;

struct Sample {
    url: Url,
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

fn sample(url: &str, status: u16, headers: &[(&str, &str)], body: &[u8]) -> Sample {
    let mut headers: Vec<(String, String)> = headers
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect();
    headers.push(("Content-Length".into(), body.len().to_string()));
    Sample {
        url: Url::parse(url).unwrap(),
        status,
        headers,
        body: body.to_vec(),
    }
}

fn samples() -> Vec<Sample> {
    let mut binary: Vec<u8> = (0..=255u8).rev().collect();
    binary.extend_from_slice(b"\r\n\r\nWARC/1.1\r\n");
    vec![
        sample(
            "https://press.example.org/release?id=1&api_key=REDACTED",
            200,
            &[("Content-Type", "text/html; charset=utf-8")],
            "<h1>Campagne été</h1>".as_bytes(),
        ),
        sample(
            "https://press.example.org/missing",
            404,
            &[("Content-Type", "text/plain")],
            b"no such page",
        ),
        sample(
            "http://media.example.net/old",
            301,
            &[("Location", "https://media.example.net/new")],
            b"",
        ),
        sample(
            "https://media.example.net/photo.jpg",
            200,
            &[("Content-Type", "image/jpeg")],
            &binary,
        ),
    ]
}

fn write_warc(path: &Path, samples: &[Sample]) {
    let mut recorder = Recorder::create(path).unwrap();
    let date = Utc.with_ymd_and_hms(2025, 3, 4, 5, 6, 7).unwrap();
    for s in samples {
        let request_headers = vec![
            ("Host".to_string(), s.url.host_str().unwrap().to_string()),
            ("User-Agent".to_string(), "archive-test".to_string()),
        ];
        let exchange = Exchange {
            url: &s.url,
            method: "GET",
            request_headers: &request_headers,
            status: s.status,
            response_headers: &s.headers,
            body: &s.body,
            date,
        };
        recorder.record(&exchange).unwrap();
    }
    recorder.finish().unwrap();
}

struct IndexEntry {
    kind: String,
    target: Option<String>,
    id: String,
    concurrent_to: Option<String>,
    offset: String,
}

fn index(path: &str) -> Vec<IndexEntry> {
    let fields = "warc-type,warc-target-uri,warc-record-id,warc-concurrent-to,offset";
    let output = common::run_warcio(&["index", "-f", fields, path]);
    let stdout = String::from_utf8(output.stdout).unwrap();
    let text = |value: &Value, key: &str| value.get(key).and_then(Value::as_str).map(String::from);
    stdout
        .lines()
        .map(|line| {
            let value: Value = serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("warcio index line {line:?}: {e}"));
            IndexEntry {
                kind: text(&value, "warc-type").unwrap(),
                target: text(&value, "warc-target-uri"),
                id: text(&value, "warc-record-id").unwrap(),
                concurrent_to: text(&value, "warc-concurrent-to"),
                offset: text(&value, "offset").unwrap(),
            }
        })
        .collect()
}

fn check_with_warcio(path: &Path, samples: &[Sample]) {
    let file = path.to_str().unwrap();
    let entries = index(file);
    assert_eq!(entries.len(), 1 + 2 * samples.len(), "{file}");
    assert_eq!(entries[0].kind, "warcinfo");
    assert_eq!(entries[0].target, None);

    for s in samples {
        let url = s.url.as_str();
        let for_url: Vec<&IndexEntry> = entries
            .iter()
            .filter(|e| e.target.as_deref() == Some(url))
            .collect();
        let kinds: Vec<&str> = for_url.iter().map(|e| e.kind.as_str()).collect();
        assert_eq!(kinds, ["request", "response"], "{file}: records for {url}");
        let (request, response) = (for_url[0], for_url[1]);
        assert_eq!(request.concurrent_to.as_deref(), Some(response.id.as_str()));
        assert_eq!(response.concurrent_to.as_deref(), Some(request.id.as_str()));

        // The payload warcio extracts is byte for byte the body recorded.
        let payload = common::run_warcio(&["extract", "--payload", file, &response.offset]).stdout;
        assert_eq!(payload, s.body, "{file}: payload of {url}");
        let headers = common::run_warcio(&["extract", "--headers", file, &response.offset]).stdout;
        let headers = String::from_utf8_lossy(&headers);
        let status_line = format!("\r\nHTTP/1.1 {} ", s.status);
        assert!(headers.contains(&status_line), "{file}: {headers}");
    }

    let quiet = common::run_warcio(&["check", file]);
    assert_eq!(
        String::from_utf8_lossy(&quiet.stdout),
        "",
        "{file}: warcio check found problems"
    );
    let verbose = String::from_utf8(common::run_warcio(&["check", "-v", file]).stdout).unwrap();
    let passes = verbose
        .lines()
        .filter(|l| l.trim() == "digest pass")
        .count();
    assert_eq!(
        passes,
        entries.len(),
        "{file}: every record's digest must pass:\n{verbose}"
    );
}

#[test]
fn warcio_reads_a_plain_warc() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crawl.warc");
    let samples = samples();
    write_warc(&path, &samples);
    check_with_warcio(&path, &samples);
}

#[test]
fn warcio_reads_a_gzipped_warc() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crawl.warc.gz");
    let samples = samples();
    write_warc(&path, &samples);
    let bytes = std::fs::read(&path).unwrap();
    assert_eq!(&bytes[..2], &[0x1f, 0x8b], "a .warc.gz must be gzip");
    check_with_warcio(&path, &samples);
}

/// What warcio accepts, our replay reads back the same.
#[test]
fn replay_agrees_with_what_was_recorded() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["crawl.warc", "crawl.warc.gz"] {
        let path = dir.path().join(name);
        let samples = samples();
        write_warc(&path, &samples);
        let replay = Replay::open(&path).unwrap();
        assert_eq!(replay.len(), samples.len());
        for s in &samples {
            let recorded = replay.lookup(&s.url).unwrap();
            assert_eq!(recorded.status, s.status);
            assert_eq!(recorded.headers, s.headers);
            assert_eq!(&recorded.body[..], &s.body[..]);
        }
    }
}

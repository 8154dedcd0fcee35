//! Recording then replaying, and replaying what other tools wrote.

use super::*;
use chrono::TimeZone;
use data_encoding::BASE32;
use sha1::{Digest, Sha1};
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

struct Sample {
    url: Url,
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

fn h(name: &str, value: &str) -> (String, String) {
    (name.to_string(), value.to_string())
}

/// Every byte value, and line endings that would confuse a line-based reader.
fn binary_body() -> Vec<u8> {
    let mut body: Vec<u8> = (0..=255u8).collect();
    body.extend_from_slice(b"\r\n\r\nWARC/1.1\r\n\r\n\n\r");
    body
}

fn samples() -> Vec<Sample> {
    let html = b"<html><body>Campaign</body></html>".to_vec();
    let missing = b"not here".to_vec();
    let png = binary_body();
    vec![
        Sample {
            url: Url::parse("https://press.example.org/releases?id=7&api_key=REDACTED").unwrap(),
            status: 200,
            headers: vec![
                h("Content-Type", "text/html; charset=utf-8"),
                h("Content-Length", &html.len().to_string()),
            ],
            body: html,
        },
        Sample {
            url: Url::parse("https://press.example.org/gone").unwrap(),
            status: 404,
            headers: vec![
                h("Content-Type", "text/plain"),
                h("Content-Length", &missing.len().to_string()),
            ],
            body: missing,
        },
        Sample {
            url: Url::parse("http://media.example.net/old").unwrap(),
            status: 301,
            headers: vec![
                h("Location", "https://media.example.net/new"),
                h("Content-Length", "0"),
            ],
            body: Vec::new(),
        },
        Sample {
            url: Url::parse("https://media.example.net/photo.png").unwrap(),
            status: 200,
            headers: vec![
                h("Content-Type", "image/png"),
                h("Content-Length", &png.len().to_string()),
            ],
            body: png,
        },
    ]
}

fn date() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 5, 6, 7, 8, 9).unwrap()
}

fn request_headers(url: &Url) -> Vec<(String, String)> {
    vec![
        h("Host", url.host_str().unwrap_or_default()),
        h("User-Agent", "archive-test"),
    ]
}

fn record_all(path: &Path, samples: &[Sample]) {
    let mut recorder = Recorder::create(path).unwrap();
    for sample in samples {
        let request_headers = request_headers(&sample.url);
        recorder
            .record(&Exchange {
                url: &sample.url,
                method: "GET",
                request_headers: &request_headers,
                status: sample.status,
                response_headers: &sample.headers,
                body: &sample.body,
                date: date(),
            })
            .unwrap();
    }
    recorder.finish().unwrap();
}

fn assert_replays(replay: &Replay, samples: &[Sample]) {
    assert_eq!(replay.len(), samples.len());
    let urls: Vec<&Url> = replay.urls().collect();
    let expected: Vec<&Url> = samples.iter().map(|s| &s.url).collect();
    assert_eq!(urls, expected);
    for sample in samples {
        let recorded = replay
            .lookup(&sample.url)
            .unwrap_or_else(|| panic!("{} missing", sample.url));
        assert_eq!(recorded.status, sample.status, "{}", sample.url);
        assert_eq!(recorded.headers, sample.headers, "{}", sample.url);
        assert_eq!(&recorded.body[..], &sample.body[..], "{}", sample.url);
    }
}

fn temp_path(dir: &tempfile::TempDir, name: &str) -> PathBuf {
    dir.path().join(name)
}

fn sha1(bytes: &[u8]) -> String {
    format!("sha1:{}", BASE32.encode(&Sha1::digest(bytes)))
}

#[test]
fn round_trip_plain() {
    let dir = tempfile::tempdir().unwrap();
    let path = temp_path(&dir, "crawl.warc");
    let samples = samples();
    record_all(&path, &samples);
    assert_replays(&Replay::open(&path).unwrap(), &samples);
    let bytes = std::fs::read(&path).unwrap();
    assert!(bytes.starts_with(b"WARC/1.1\r\nWARC-Type: warcinfo\r\n"));
    assert_replays(&Replay::from_bytes(&bytes).unwrap(), &samples);
}

#[test]
fn round_trip_gzip_one_member_per_record() {
    let dir = tempfile::tempdir().unwrap();
    let path = temp_path(&dir, "crawl.warc.gz");
    let samples = samples();
    record_all(&path, &samples);
    assert_replays(&Replay::open(&path).unwrap(), &samples);

    let bytes = std::fs::read(&path).unwrap();
    assert_eq!(&bytes[..2], &[0x1f, 0x8b]);
    // A single-member decoder stops after the first member: it must be exactly the warcinfo.
    let mut first = String::new();
    flate2::read::GzDecoder::new(&bytes[..])
        .read_to_string(&mut first)
        .unwrap();
    assert!(
        first.starts_with("WARC/1.1\r\nWARC-Type: warcinfo\r\n"),
        "{first}"
    );
    assert!(
        first.ends_with("\r\n\r\n") && !first[10..].contains("WARC/1.1"),
        "{first}"
    );
    assert_eq!(member_offsets(&bytes).len(), 1 + 2 * samples.len());
}

/// Where each gzip member starts.
fn member_offsets(bytes: &[u8]) -> Vec<usize> {
    let mut offsets = Vec::new();
    let mut rest = bytes;
    while !rest.is_empty() {
        offsets.push(bytes.len() - rest.len());
        let mut decoder = flate2::bufread::GzDecoder::new(rest);
        std::io::copy(&mut decoder, &mut std::io::sink()).unwrap();
        rest = decoder.into_inner();
    }
    offsets
}

/// The file as the `warc` crate (an independent reader) sees it: types, links, digests.
#[test]
fn records_are_well_formed_warc_1_1() {
    let dir = tempfile::tempdir().unwrap();
    let path = temp_path(&dir, "crawl.warc");
    let samples = samples();
    record_all(&path, &samples);
    let reader = warc::WarcReader::new(BufReader::new(std::fs::File::open(&path).unwrap()));
    let records: Vec<_> = reader.iter_records().collect::<Result<_, _>>().unwrap();
    assert_eq!(records.len(), 1 + 2 * samples.len());

    let info = &records[0];
    assert_eq!(info.warc_type(), &warc::RecordType::WarcInfo);
    let fields = String::from_utf8(info.body().to_vec()).unwrap();
    assert!(fields.contains(&format!(
        "software: archive/{}\r\n",
        env!("CARGO_PKG_VERSION")
    )));
    assert!(fields.contains("format: WARC File Format 1.1\r\n"));
    assert!(fields.contains(
        "conformsTo: http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/\r\n"
    ));
    let header = |r: &warc::Record<warc::BufferedBody>, name: warc::WarcHeader| {
        r.header(name).map(|v| v.into_owned())
    };
    assert_eq!(
        header(info, warc::WarcHeader::ContentType).as_deref(),
        Some("application/warc-fields")
    );

    for (pair, sample) in records[1..].chunks(2).zip(&samples) {
        let (request, response) = (&pair[0], &pair[1]);
        assert_eq!(request.warc_type(), &warc::RecordType::Request);
        assert_eq!(response.warc_type(), &warc::RecordType::Response);
        for record in [request, response] {
            assert_eq!(record.warc_version(), "1.1");
            assert!(record.warc_id().starts_with("<urn:uuid:") && record.warc_id().ends_with('>'));
            assert_eq!(record.date(), &date());
            assert_eq!(
                header(record, warc::WarcHeader::TargetURI).as_deref(),
                Some(sample.url.as_str())
            );
            assert_eq!(
                header(record, warc::WarcHeader::WarcInfoID).as_deref(),
                Some(info.warc_id())
            );
            assert_eq!(
                header(record, warc::WarcHeader::BlockDigest),
                Some(sha1(record.body()))
            );
        }
        assert_eq!(
            header(request, warc::WarcHeader::ConcurrentTo).as_deref(),
            Some(response.warc_id())
        );
        assert_eq!(
            header(response, warc::WarcHeader::ConcurrentTo).as_deref(),
            Some(request.warc_id())
        );
        assert_ne!(request.warc_id(), response.warc_id());
        assert_eq!(
            header(response, warc::WarcHeader::PayloadDigest),
            Some(sha1(&sample.body))
        );
        assert_eq!(
            header(request, warc::WarcHeader::ContentType).as_deref(),
            Some("application/http; msgtype=request")
        );
        assert_eq!(
            header(response, warc::WarcHeader::ContentType).as_deref(),
            Some("application/http; msgtype=response")
        );
        let request_line = format!(
            "GET {}{} HTTP/1.1\r\nHost: {}\r\n",
            sample.url.path(),
            sample
                .url
                .query()
                .map(|q| format!("?{q}"))
                .unwrap_or_default(),
            sample.url.host_str().unwrap()
        );
        assert!(request.body().starts_with(request_line.as_bytes()));
        assert!(request.body().ends_with(b"\r\n\r\n"));
        assert!(response.body().ends_with(&sample.body));
    }
    let status_lines: Vec<String> = records[1..]
        .chunks(2)
        .map(|pair| {
            let body = String::from_utf8_lossy(pair[1].body()).into_owned();
            body.lines().next().unwrap_or_default().to_string()
        })
        .collect();
    assert_eq!(
        status_lines,
        [
            "HTTP/1.1 200 OK",
            "HTTP/1.1 404 Not Found",
            "HTTP/1.1 301 Moved Permanently",
            "HTTP/1.1 200 OK"
        ]
    );
}

#[test]
fn create_truncates_an_existing_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = temp_path(&dir, "crawl.warc");
    std::fs::write(&path, vec![b'x'; 100_000]).unwrap();
    let samples = samples();
    record_all(&path, &samples[..1]);
    let bytes = std::fs::read(&path).unwrap();
    assert!(bytes.len() < 100_000, "stale bytes left: {}", bytes.len());
    assert_replays(&Replay::from_bytes(&bytes).unwrap(), &samples[..1]);
}

// ---- Inputs from other tools, built by hand. ----

/// One record: version line, the given fields, Content-Length of `block`, the block, CRLF CRLF.
fn foreign(version: &str, fields: &[(&str, &str)], block: &[u8]) -> Vec<u8> {
    let mut bytes = format!("WARC/{version}\r\n").into_bytes();
    for (name, value) in fields {
        bytes.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
    }
    bytes.extend_from_slice(format!("Content-Length: {}\r\n\r\n", block.len()).as_bytes());
    bytes.extend_from_slice(block);
    bytes.extend_from_slice(b"\r\n\r\n");
    bytes
}

fn response(uri: &str, block: &[u8]) -> Vec<u8> {
    foreign(
        "1.1",
        &[
            ("WARC-Type", "response"),
            (
                "WARC-Record-ID",
                "<urn:uuid:00000000-0000-4000-8000-000000000001>",
            ),
            ("WARC-Date", "2020-01-01T00:00:00Z"),
            ("WARC-Target-URI", uri),
            ("Content-Type", "application/http;msgtype=response"),
        ],
        block,
    )
}

fn body_of<'a>(replay: &'a Replay, url: &str) -> Option<&'a [u8]> {
    replay
        .lookup(&Url::parse(url).unwrap())
        .map(|r| &r.body[..])
}

#[test]
fn bracketed_target_uri_from_wget() {
    // wget 1.19.4+ writes WARC/1.0 with `<uri>`, lower-case-ish field names and no space
    // after `;` in Content-Type. Block is 47 bytes.
    let bytes = b"WARC/1.0\r\n\
        WARC-Type: response\r\n\
        WARC-Target-URI: <http://example.com/a>\r\n\
        WARC-Date: 2019-03-01T10:00:00Z\r\n\
        WARC-Record-ID: <urn:uuid:7b3f6c8e-4b5a-4a5e-9d5b-0c1e2f3a4b5c>\r\n\
        Content-Type: application/http;msgtype=response\r\n\
        Content-Length: 47\r\n\
        \r\n\
        HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nhi\
        \r\n\r\n";
    let replay = Replay::from_bytes(bytes).unwrap();
    assert_eq!(replay.len(), 1);
    assert_eq!(
        replay.urls().next().map(Url::as_str),
        Some("http://example.com/a")
    );
    assert_eq!(body_of(&replay, "http://example.com/a"), Some(&b"hi"[..]));
}

#[test]
fn last_response_wins() {
    let mut bytes = response("https://example.com/p", b"HTTP/1.1 200 OK\r\n\r\nfirst");
    bytes.extend(response(
        "https://example.com/other",
        b"HTTP/1.1 200 OK\r\n\r\nother",
    ));
    bytes.extend(response(
        "https://example.com/p",
        b"HTTP/1.1 503 Busy\r\n\r\nsecond",
    ));
    let replay = Replay::from_bytes(&bytes).unwrap();
    assert_eq!(replay.len(), 2);
    let recorded = replay
        .lookup(&Url::parse("https://example.com/p").unwrap())
        .unwrap();
    assert_eq!((recorded.status, &recorded.body[..]), (503, &b"second"[..]));
    // First-seen order is kept for listing.
    let urls: Vec<&str> = replay.urls().map(Url::as_str).collect();
    assert_eq!(urls, ["https://example.com/p", "https://example.com/other"]);
}

#[test]
fn lookup_ignores_the_api_key_and_the_fragment() {
    let dir = tempfile::tempdir().unwrap();
    let path = temp_path(&dir, "crawl.warc");
    let samples = samples();
    record_all(&path, &samples[..1]);
    let replay = Replay::open(&path).unwrap();
    let with_key = |key: &str| {
        Url::parse(&format!(
            "https://press.example.org/releases?id=7&api_key={key}#top"
        ))
        .unwrap()
    };
    assert!(replay.lookup(&with_key("mine")).is_some());
    assert!(replay.lookup(&with_key("yours")).is_some());
    let other_id = Url::parse("https://press.example.org/releases?id=8&api_key=mine").unwrap();
    assert!(replay.lookup(&other_id).is_none());

    // A foreign file recorded with a real key is redacted on load too.
    let bytes = response(
        "https://api.example.com/rest?method=x&api_key=abc123",
        b"HTTP/1.1 200 OK\r\n\r\n{}",
    );
    let replay = Replay::from_bytes(&bytes).unwrap();
    assert_eq!(
        body_of(&replay, "https://api.example.com/rest?method=x&api_key=zzz"),
        Some(&b"{}"[..])
    );
    assert!(replay.urls().all(|url| !url.as_str().contains("abc123")));
}

#[test]
fn lf_only_http_header_from_another_tool() {
    let bytes = response(
        "http://example.com/lf",
        b"HTTP/1.1 200 OK\nContent-Type: text/html\nServer: old\n\n<p>ok</p>",
    );
    let replay = Replay::from_bytes(&bytes).unwrap();
    let recorded = replay
        .lookup(&Url::parse("http://example.com/lf").unwrap())
        .unwrap();
    assert_eq!(recorded.status, 200);
    assert_eq!(
        recorded.headers,
        vec![h("Content-Type", "text/html"), h("Server", "old")]
    );
    assert_eq!(&recorded.body[..], b"<p>ok</p>");
}

#[test]
fn chunked_body_from_another_tool_is_dechunked() {
    let bytes = response(
        "http://example.com/chunked",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nWiki\r\n5\r\npedia\r\n0\r\n\r\n",
    );
    let replay = Replay::from_bytes(&bytes).unwrap();
    let recorded = replay
        .lookup(&Url::parse("http://example.com/chunked").unwrap())
        .unwrap();
    assert_eq!(&recorded.body[..], b"Wikipedia");
    assert_eq!(recorded.headers, vec![h("Content-Length", "9")]);
}

#[test]
fn resource_records_replay_as_200() {
    let bytes = foreign(
        "1.1",
        &[
            ("WARC-Type", "resource"),
            (
                "WARC-Record-ID",
                "<urn:uuid:00000000-0000-4000-8000-000000000002>",
            ),
            ("WARC-Date", "2020-01-01T00:00:00Z"),
            ("WARC-Target-URI", "https://example.com/doc.pdf"),
            ("Content-Type", "application/pdf"),
        ],
        b"%PDF-1.4",
    );
    let replay = Replay::from_bytes(&bytes).unwrap();
    let recorded = replay
        .lookup(&Url::parse("https://example.com/doc.pdf").unwrap())
        .unwrap();
    assert_eq!(recorded.status, 200);
    assert_eq!(
        recorded.headers,
        vec![
            h("Content-Type", "application/pdf"),
            h("Content-Length", "8")
        ]
    );
    assert_eq!(&recorded.body[..], b"%PDF-1.4");
}

#[test]
fn other_record_types_are_ignored() {
    let record = |kind: &str, uri: &str, content_type: &str, block: &[u8]| {
        foreign(
            "1.1",
            &[
                ("WARC-Type", kind),
                (
                    "WARC-Record-ID",
                    "<urn:uuid:00000000-0000-4000-8000-000000000003>",
                ),
                ("WARC-Date", "2020-01-01T00:00:00Z"),
                ("WARC-Target-URI", uri),
                ("Content-Type", content_type),
            ],
            block,
        )
    };
    let http = b"HTTP/1.1 200 OK\r\n\r\nbody";
    let mut bytes = record(
        "warcinfo",
        "",
        "application/warc-fields",
        b"software: x\r\n",
    );
    bytes.extend(record(
        "request",
        "http://a.example/",
        "application/http;msgtype=request",
        b"GET / HTTP/1.1\r\n\r\n",
    ));
    bytes.extend(record(
        "metadata",
        "http://a.example/",
        "application/warc-fields",
        b"outlinks: y\r\n",
    ));
    bytes.extend(record(
        "revisit",
        "http://a.example/",
        "application/http;msgtype=response",
        http,
    ));
    bytes.extend(record(
        "conversion",
        "http://a.example/",
        "text/plain",
        b"plain",
    ));
    bytes.extend(record(
        "mystery",
        "http://a.example/",
        "application/http;msgtype=response",
        http,
    ));
    bytes.extend(record(
        "response",
        "dns:a.example",
        "text/dns",
        b"20200101 a.example. 60 IN A 1.2.3.4",
    ));
    let replay = Replay::from_bytes(&bytes).unwrap();
    assert!(replay.is_empty(), "{:?}", replay.urls().collect::<Vec<_>>());

    // The same file with one response appended: only that one counts.
    bytes.extend(response("http://a.example/", http));
    let replay = Replay::from_bytes(&bytes).unwrap();
    assert_eq!(replay.len(), 1);
}

#[test]
fn a_valid_file_without_responses_is_an_empty_replay() {
    let dir = tempfile::tempdir().unwrap();
    let path = temp_path(&dir, "empty.warc.gz");
    Recorder::create(&path).unwrap().finish().unwrap();
    let replay = Replay::open(&path).unwrap();
    assert!(replay.is_empty());
    assert_eq!(replay.len(), 0);
}

// ---- Broken inputs: an error that says what is wrong, never a panic. ----

fn invalid(bytes: &[u8]) -> String {
    match Replay::from_bytes(bytes) {
        Err(ReplayError::Invalid(message)) => message,
        Err(other) => panic!("expected Invalid, got {other:?}"),
        Ok(replay) => panic!("expected an error, got {} responses", replay.len()),
    }
}

#[test]
fn empty_input_is_invalid() {
    assert!(invalid(b"").contains("empty"));
    assert!(invalid(b"\r\n\r\n").contains("no WARC records"));
}

#[test]
fn garbage_is_invalid() {
    let message = invalid(b"<!DOCTYPE html><html><body>404</body></html>");
    assert!(
        message.contains("does not start with a WARC version line"),
        "{message}"
    );
    assert!(message.contains("<!DOCTYPE html>"), "{message}");
    let message = invalid(&[0x1f, 0x8b, 0x08, 0x00, 0xde, 0xad]);
    assert!(message.contains("gzip"), "{message}");
    assert!(invalid(&[0u8; 1000]).contains("WARC version line"));
    assert!(invalid(&[0x28, 0xb5, 0x2f, 0xfd, 0, 0]).contains("zstd"));
    // A long binary "line" is refused without reading it whole.
    assert!(invalid(&vec![b'W'; 200_000]).contains("WARC version line"));
    let message = invalid(&[b"WARC/1.1\r\n".as_slice(), &vec![b'a'; 100_000]].concat());
    assert!(message.contains("longer than"), "{message}");
}

#[test]
fn malformed_records_are_invalid() {
    let message = invalid(b"WARC/1.1\r\nWARC-Type: response\r\n\r\n\r\n\r\n");
    assert!(message.contains("no Content-Length"), "{message}");
    let message = invalid(b"WARC/1.1\r\nContent-Length: -3\r\n\r\n\r\n\r\n");
    assert!(message.contains("invalid Content-Length"), "{message}");
    let message = invalid(b"WARC/1.1\r\nno colon here\r\nContent-Length: 0\r\n\r\n\r\n\r\n");
    assert!(message.contains("malformed header line"), "{message}");
    // A Content-Length that would overflow a naive `len + 4`.
    let message = invalid(b"WARC/1.1\r\nContent-Length: 18446744073709551615\r\n\r\nabc");
    assert!(message.contains("truncated"), "{message}");
    // A Content-Length shorter than the block.
    let mut bytes = response("http://example.com/", b"HTTP/1.1 200 OK\r\n\r\nbody");
    let at = bytes
        .windows(17)
        .position(|w| w == b"Content-Length: 2")
        .unwrap();
    bytes[at + 16] = b'1';
    let message = invalid(&bytes);
    assert!(
        message.contains("Content-Length 1") && message.contains("probably wrong"),
        "{message}"
    );
}

#[test]
fn non_utf8_fields_do_not_panic() {
    let mut bytes =
        b"WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: http://example.com/\xff\r\n".to_vec();
    bytes.extend_from_slice(
        b"X-Odd: \xc3\x28\r\nContent-Length: 25\r\n\r\nHTTP/1.1 200 OK\r\nX: \xff\r\n\r\n\r\n\r\n",
    );
    let replay = Replay::from_bytes(&bytes).unwrap();
    assert_eq!(replay.len(), 1);
}

/// Every cut of a valid file either ends exactly between records (still valid) or is
/// reported as invalid; none panics.
#[test]
fn every_truncation_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["cut.warc", "cut.warc.gz"] {
        let path = temp_path(&dir, name);
        let samples = samples();
        record_all(&path, &samples[1..3]);
        let bytes = std::fs::read(&path).unwrap();
        let boundaries = if name.ends_with(".gz") {
            member_offsets(&bytes)
        } else {
            record_offsets(&bytes)
        };
        assert_eq!(boundaries.len(), 5, "{name}");
        for cut in 1..bytes.len() {
            let result = Replay::from_bytes(&bytes[..cut]);
            if boundaries.contains(&cut) {
                assert!(
                    result.is_ok(),
                    "{name} cut at record boundary {cut}: {result:?}"
                );
            } else {
                assert!(
                    matches!(result, Err(ReplayError::Invalid(_))),
                    "{name} cut at {cut} of {}: {result:?}",
                    bytes.len()
                );
            }
        }
    }
}

/// Where each record of a plain file we wrote starts.
fn record_offsets(bytes: &[u8]) -> Vec<usize> {
    let marker = b"\r\n\r\nWARC/1.1\r\n";
    let mut offsets = vec![0];
    offsets.extend(
        bytes
            .windows(marker.len())
            .enumerate()
            .filter(|(_, w)| w == marker)
            .map(|(i, _)| i + 4),
    );
    offsets
}

#[test]
fn truncation_message_names_the_record() {
    let bytes = response(
        "http://example.com/big",
        b"HTTP/1.1 200 OK\r\n\r\n0123456789",
    );
    let message = invalid(&bytes[..bytes.len() - 8]);
    assert!(message.starts_with("truncated"), "{message}");
    assert!(
        message.contains("record 1 (response http://example.com/big)"),
        "{message}"
    );
}

#[test]
fn missing_file_is_an_io_error() {
    let dir = tempfile::tempdir().unwrap();
    let result = Replay::open(&dir.path().join("nope.warc"));
    assert!(matches!(result, Err(ReplayError::Io(_))), "{result:?}");
}

//! Writing: a `warcinfo` record, then a request and a response record per exchange.
//!
//! Records are modelled with the `warc` crate's [`RecordBuilder`], but serialized here rather
//! than by its `WarcWriter`: that writer emits field names in lower case (`warc-type:`) and in
//! `HashMap` order. Both are legal (field names are case-insensitive), yet some readers still
//! compare names exactly (hanzo warc-tools, internetarchive/CDX-Writer#3), and a random order
//! makes two files of the same crawl needlessly hard to diff. So fields are written with their
//! canonical spelling, in the order the WARC 1.1 examples use.

use chrono::{DateTime, Utc};
use data_encoding::BASE32;
use flate2::Compression;
use flate2::write::GzEncoder;
use sha1::{Digest, Sha1};
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;
use url::Url;
use warc::{BufferedBody, Record, RecordBuilder, RecordType, WarcHeader};

use super::Exchange;

const WARC_VERSION: &str = "1.1";
const HTTP_REQUEST: &str = "application/http; msgtype=request";
const HTTP_RESPONSE: &str = "application/http; msgtype=response";
const WARC_FIELDS: &str = "application/warc-fields";
const CONFORMS_TO: &str =
    "http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/";

/// Writes exchanges to a WARC file.
///
/// A path ending in `.gz` gets one gzip member per record, the layout every WARC reader
/// expects (a single gzip stream over the whole file is rejected by warcio).
#[derive(Debug)]
pub struct Recorder {
    out: BufWriter<File>,
    gzip: bool,
    warcinfo_id: String,
}

impl Recorder {
    /// Creates (or truncates) `path` and writes the `warcinfo` record.
    ///
    /// # Errors
    /// When the file cannot be created or written.
    pub fn create(path: &Path) -> io::Result<Self> {
        // `File::create` truncates; warc's own `WarcWriter::from_path` does not.
        let out = BufWriter::new(File::create(path)?);
        let gzip = path
            .extension()
            .is_some_and(|ext| ext.eq_ignore_ascii_case("gz"));
        let warcinfo_id = Record::<BufferedBody>::generate_record_id();
        let mut recorder = Recorder {
            out,
            gzip,
            warcinfo_id,
        };
        let filename = path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned());
        let info = warcinfo(&recorder.warcinfo_id, filename.as_deref(), Utc::now())?;
        recorder.write(info)?;
        Ok(recorder)
    }

    /// Appends a request record and a response record for `exchange`.
    ///
    /// # Errors
    /// When the file cannot be written.
    pub fn record(&mut self, exchange: &Exchange<'_>) -> io::Result<()> {
        let request_id = Record::<BufferedBody>::generate_record_id();
        let response_id = Record::<BufferedBody>::generate_record_id();
        let request = HttpRecord {
            id: &request_id,
            concurrent_to: &response_id,
            warcinfo_id: &self.warcinfo_id,
            exchange,
        };
        let response = HttpRecord {
            id: &response_id,
            concurrent_to: &request_id,
            ..request
        };
        // Built before anything is written, so a failure cannot leave half an exchange.
        let request = request.request()?;
        let response = response.response()?;
        self.write(request)?;
        self.write(response)
    }

    /// Flushes everything to disk.
    ///
    /// # Errors
    /// When the file cannot be written.
    pub fn finish(self) -> io::Result<()> {
        let file = self
            .out
            .into_inner()
            .map_err(io::IntoInnerError::into_error)?;
        file.sync_all()
    }

    fn write(&mut self, record: Record<BufferedBody>) -> io::Result<()> {
        let bytes = serialize(record);
        if self.gzip {
            self.out.write_all(&gzip_member(&bytes)?)
        } else {
            self.out.write_all(&bytes)
        }
    }
}

/// What the request and the response record of one exchange share.
#[derive(Clone, Copy)]
struct HttpRecord<'a> {
    id: &'a str,
    concurrent_to: &'a str,
    warcinfo_id: &'a str,
    exchange: &'a Exchange<'a>,
}

impl HttpRecord<'_> {
    fn request(self) -> io::Result<Record<BufferedBody>> {
        let block = request_block(self.exchange);
        self.builder(RecordType::Request, HTTP_REQUEST, &block)
            .body(block)
            .build()
            .map_err(warc_error)
    }

    fn response(self) -> io::Result<Record<BufferedBody>> {
        let block = response_block(self.exchange);
        self.builder(RecordType::Response, HTTP_RESPONSE, &block)
            .header(WarcHeader::PayloadDigest, sha1_digest(self.exchange.body))
            .body(block)
            .build()
            .map_err(warc_error)
    }

    fn builder(self, kind: RecordType, content_type: &str, block: &[u8]) -> RecordBuilder {
        RecordBuilder::default()
            .version(WARC_VERSION.into())
            .warc_type(kind)
            .warc_id(self.id)
            .date(self.exchange.date)
            .header(WarcHeader::TargetURI, self.exchange.url.as_str())
            .header(WarcHeader::ConcurrentTo, self.concurrent_to)
            .header(WarcHeader::WarcInfoID, self.warcinfo_id)
            .header(WarcHeader::BlockDigest, sha1_digest(block))
            .header(WarcHeader::ContentType, content_type)
    }
}

fn warcinfo(
    id: &str,
    filename: Option<&str>,
    date: DateTime<Utc>,
) -> io::Result<Record<BufferedBody>> {
    let block = format!(
        "software: archive/{}\r\nformat: WARC File Format 1.1\r\nconformsTo: {CONFORMS_TO}\r\n",
        env!("CARGO_PKG_VERSION")
    )
    .into_bytes();
    let mut builder = RecordBuilder::default()
        .version(WARC_VERSION.into())
        .warc_type(RecordType::WarcInfo)
        .warc_id(id)
        .date(date)
        .header(WarcHeader::BlockDigest, sha1_digest(&block))
        .header(WarcHeader::ContentType, WARC_FIELDS);
    if let Some(filename) = filename {
        builder = builder.header(WarcHeader::Filename, single_line(filename));
    }
    builder.body(block).build().map_err(warc_error)
}

/// `GET /path?query HTTP/1.1` and the request headers; a GET has no body.
fn request_block(exchange: &Exchange<'_>) -> Vec<u8> {
    let mut block = format!(
        "{} {} HTTP/1.1\r\n",
        single_line(exchange.method),
        request_target(exchange.url)
    );
    push_headers(&mut block, exchange.request_headers);
    block.into_bytes()
}

/// The status line, the headers as given (the caller has made them describe the stored body),
/// then the body.
fn response_block(exchange: &Exchange<'_>) -> Vec<u8> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\n",
        exchange.status,
        reason_phrase(exchange.status)
    );
    push_headers(&mut head, exchange.response_headers);
    let mut block = head.into_bytes();
    block.extend_from_slice(exchange.body);
    block
}

fn push_headers(block: &mut String, headers: &[(String, String)]) {
    for (name, value) in headers {
        block.push_str(&single_line(name));
        block.push_str(": ");
        block.push_str(&single_line(value));
        block.push_str("\r\n");
    }
    block.push_str("\r\n");
}

fn request_target(url: &Url) -> String {
    match url.query() {
        Some(query) => format!("{}?{query}", url.path()),
        None => url.path().to_string(),
    }
}

fn reason_phrase(status: u16) -> &'static str {
    reqwest::StatusCode::from_u16(status)
        .ok()
        .and_then(|code| code.canonical_reason())
        .unwrap_or("")
}

/// A line break inside a value would start a forged header line (or end the header early).
fn single_line(text: &str) -> String {
    text.replace(['\r', '\n'], " ")
}

/// `sha1:` and the base32 of the SHA-1, the digest form warcio and pywb check.
fn sha1_digest(bytes: &[u8]) -> String {
    format!("sha1:{}", BASE32.encode(&Sha1::digest(bytes)))
}

fn warc_error(error: warc::Error) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("cannot build WARC record: {error}"),
    )
}

/// The record's bytes: version line, fields in canonical spelling and order, block, CRLF CRLF.
fn serialize(record: Record<BufferedBody>) -> Vec<u8> {
    let version = record.warc_version().to_string();
    let (header, block) = record.into_raw_parts();
    let mut fields: Vec<(WarcHeader, Vec<u8>)> = header.headers.into_iter().collect();
    fields.sort_by_cached_key(|(name, _)| (field_rank(name), name.to_string()));

    let mut bytes = Vec::with_capacity(block.len() + 512);
    bytes.extend_from_slice(format!("WARC/{version}\r\n").as_bytes());
    for (name, value) in &fields {
        bytes.extend_from_slice(canonical_name(name).as_bytes());
        bytes.extend_from_slice(b": ");
        bytes.extend_from_slice(value);
        bytes.extend_from_slice(b"\r\n");
    }
    bytes.extend_from_slice(b"\r\n");
    bytes.extend_from_slice(&block);
    bytes.extend_from_slice(b"\r\n\r\n");
    bytes
}

/// Position in the record header: identity first, then links, digests, and the block's shape.
fn field_rank(name: &WarcHeader) -> u8 {
    match name {
        WarcHeader::WarcType => 0,
        WarcHeader::RecordID => 1,
        WarcHeader::Date => 2,
        WarcHeader::TargetURI => 3,
        WarcHeader::Filename => 4,
        WarcHeader::ConcurrentTo => 5,
        WarcHeader::WarcInfoID => 6,
        WarcHeader::BlockDigest => 7,
        WarcHeader::PayloadDigest => 8,
        WarcHeader::ContentType => 9,
        WarcHeader::ContentLength => 10,
        _ => 11,
    }
}

/// The spelling of the WARC 1.1 specification (the crate only knows lower case).
fn canonical_name(name: &WarcHeader) -> &str {
    match name {
        WarcHeader::ContentLength => "Content-Length",
        WarcHeader::ContentType => "Content-Type",
        WarcHeader::BlockDigest => "WARC-Block-Digest",
        WarcHeader::ConcurrentTo => "WARC-Concurrent-To",
        WarcHeader::Date => "WARC-Date",
        WarcHeader::Filename => "WARC-Filename",
        WarcHeader::IdentifiedPayloadType => "WARC-Identified-Payload-Type",
        WarcHeader::IPAddress => "WARC-IP-Address",
        WarcHeader::PayloadDigest => "WARC-Payload-Digest",
        WarcHeader::Profile => "WARC-Profile",
        WarcHeader::RecordID => "WARC-Record-ID",
        WarcHeader::RefersTo => "WARC-Refers-To",
        WarcHeader::SegmentNumber => "WARC-Segment-Number",
        WarcHeader::SegmentOriginID => "WARC-Segment-Origin-ID",
        WarcHeader::SegmentTotalLength => "WARC-Segment-Total-Length",
        WarcHeader::TargetURI => "WARC-Target-URI",
        WarcHeader::Truncated => "WARC-Truncated",
        WarcHeader::WarcType => "WARC-Type",
        WarcHeader::WarcInfoID => "WARC-Warcinfo-ID",
        WarcHeader::Unknown(name) => name,
    }
}

/// One record as a complete gzip member, so readers can seek to any record's offset.
fn gzip_member(bytes: &[u8]) -> io::Result<Vec<u8>> {
    let mut encoder = GzEncoder::new(Vec::with_capacity(bytes.len() / 2), Compression::default());
    encoder.write_all(bytes)?;
    encoder.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_come_out_in_canonical_spelling_and_order() {
        let record = warcinfo("<urn:uuid:x>", Some("a.warc"), Utc::now()).unwrap();
        let text = String::from_utf8(serialize(record)).unwrap();
        let names: Vec<&str> = text
            .split("\r\n\r\n")
            .next()
            .unwrap()
            .lines()
            .skip(1)
            .filter_map(|line| line.split_once(':').map(|(name, _)| name))
            .collect();
        assert_eq!(
            names,
            [
                "WARC-Type",
                "WARC-Record-ID",
                "WARC-Date",
                "WARC-Filename",
                "WARC-Block-Digest",
                "Content-Type",
                "Content-Length"
            ]
        );
        assert!(text.starts_with("WARC/1.1\r\n"), "{text}");
    }

    #[test]
    fn digest_is_sha1_in_base32() {
        // SHA-1("abc") = a9993e36 4706816a ba3e2571 7850c26c 9cd0d89d, in RFC 4648 base32:
        assert_eq!(sha1_digest(b"abc"), "sha1:VGMT4NSHA2AWVOR6EVYXQUGCNSONBWE5");
    }

    #[test]
    fn line_breaks_in_header_values_cannot_forge_lines() {
        let headers = [("X-Evil".to_string(), "a\r\nSet-Cookie: b".to_string())];
        let mut block = String::new();
        push_headers(&mut block, &headers);
        assert_eq!(block, "X-Evil: a  Set-Cookie: b\r\n\r\n");
    }

    #[test]
    fn request_target_keeps_the_query() {
        let url = Url::parse("https://example.org/a/b?x=1&y=2#frag").unwrap();
        assert_eq!(request_target(&url), "/a/b?x=1&y=2");
        let url = Url::parse("https://example.org").unwrap();
        assert_eq!(request_target(&url), "/");
    }

    #[test]
    fn unknown_status_still_gives_a_parsable_status_line() {
        assert_eq!(reason_phrase(404), "Not Found");
        assert_eq!(reason_phrase(799), "");
    }
}

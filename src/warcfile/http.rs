//! The HTTP message inside a `response` record: status line, headers, body.
//!
//! Our own records hold decoded bodies, but other tools store what the wire carried, so the
//! parser is lenient (LF-only lines, folded headers) and undoes chunked transfer coding.

use bytes::Bytes;
use httparse::{ParserConfig, Status};

use super::Recorded;

/// Responses with more headers than this are not worth replaying.
const MAX_HEADERS: usize = 4096;

/// Parses a `response` record's block.
pub(super) fn parse_response(block: &[u8]) -> Result<Recorded, String> {
    let (status, mut headers, head_len) = parse_head(block)?;
    let body = block.get(head_len..).unwrap_or_default();
    let body = if is_chunked(&headers) {
        match dechunk(body) {
            Some(decoded) => {
                describe_dechunked(&mut headers, decoded.len());
                decoded
            }
            // Some tools wrote the header but not the framing; the bytes are still the body.
            None => body.to_vec(),
        }
    } else {
        body.to_vec()
    };
    let body = super::coding::decode(&mut headers, body);
    Ok(Recorded {
        status,
        headers,
        body: Bytes::from(body),
    })
}

type StatusAndHeaders = (u16, Vec<(String, String)>, usize);

/// Status, headers, and the length of the header section.
fn parse_head(block: &[u8]) -> Result<StatusAndHeaders, String> {
    let mut config = ParserConfig::default();
    config
        .allow_spaces_after_header_name_in_responses(true)
        .allow_obsolete_multiline_headers_in_responses(true)
        .allow_multiple_spaces_in_response_status_delimiters(true);
    let mut capacity = 64;
    loop {
        let mut slots = vec![httparse::EMPTY_HEADER; capacity];
        let mut response = httparse::Response::new(&mut slots);
        match config.parse_response(&mut response, block) {
            Ok(Status::Complete(len)) => {
                let status = response
                    .code
                    .ok_or("the HTTP status line has no status code")?;
                let headers = response
                    .headers
                    .iter()
                    .map(|h| (h.name.to_string(), header_value(h.value)))
                    .collect();
                return Ok((status, headers, len));
            }
            Ok(Status::Partial) => return Err("the HTTP header section is incomplete".into()),
            Err(httparse::Error::TooManyHeaders) if capacity < MAX_HEADERS => capacity *= 4,
            Err(error) => return Err(format!("malformed HTTP response header: {error}")),
        }
    }
}

/// Folded lines keep their line break in httparse; a value is one line.
fn header_value(value: &[u8]) -> String {
    let text = String::from_utf8_lossy(value);
    text.split(['\r', '\n'])
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn is_chunked(headers: &[(String, String)]) -> bool {
    headers.iter().any(|(name, value)| {
        name.eq_ignore_ascii_case("transfer-encoding")
            && value
                .split(',')
                .any(|coding| coding.trim().eq_ignore_ascii_case("chunked"))
    })
}

/// After de-chunking, the headers must describe the stored body: no `chunked`, a length.
fn describe_dechunked(headers: &mut Vec<(String, String)>, len: usize) {
    for (name, value) in headers.iter_mut() {
        if name.eq_ignore_ascii_case("transfer-encoding") {
            *value = value
                .split(',')
                .map(str::trim)
                .filter(|coding| !coding.eq_ignore_ascii_case("chunked"))
                .collect::<Vec<_>>()
                .join(", ");
        }
    }
    headers.retain(|(name, value)| {
        let emptied = name.eq_ignore_ascii_case("transfer-encoding") && value.is_empty();
        !emptied && !name.eq_ignore_ascii_case("content-length")
    });
    headers.push(("Content-Length".into(), len.to_string()));
}

/// Undoes chunked transfer coding (RFC 9112 §7.1); `None` when the framing is broken.
///
/// A missing last chunk is accepted: the chunks before it are whole, only the end was lost.
/// Trailer fields are dropped.
fn dechunk(mut rest: &[u8]) -> Option<Vec<u8>> {
    let mut body = Vec::with_capacity(rest.len());
    loop {
        if rest.is_empty() {
            return Some(body);
        }
        let (line, after) = split_line(rest)?;
        let size = chunk_size(line)?;
        if size == 0 {
            return Some(body);
        }
        let chunk = after.get(..size)?;
        body.extend_from_slice(chunk);
        let (end, after) = split_line(after.get(size..)?)?;
        if !end.is_empty() {
            return None;
        }
        rest = after;
    }
}

/// The hexadecimal size at the start of a chunk line, before any `;extension`.
fn chunk_size(line: &[u8]) -> Option<usize> {
    let line = std::str::from_utf8(line).ok()?;
    let size = line.split(';').next()?.trim();
    usize::from_str_radix(size, 16).ok()
}

/// The line before the first LF (without CR LF or LF), and what follows it.
fn split_line(bytes: &[u8]) -> Option<(&[u8], &[u8])> {
    let end = bytes.iter().position(|&b| b == b'\n')?;
    let line = bytes.get(..end)?;
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    Some((line, bytes.get(end + 1..)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header<'a>(recorded: &'a Recorded, name: &str) -> Option<&'a str> {
        recorded
            .headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    #[test]
    fn crlf_response() {
        let recorded =
            parse_response(b"HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\n\r\nnope")
                .unwrap();
        assert_eq!(recorded.status, 404);
        assert_eq!(header(&recorded, "content-type"), Some("text/plain"));
        assert_eq!(&recorded.body[..], b"nope");
    }

    #[test]
    fn lf_only_response() {
        let block = b"HTTP/1.0 200 OK\nContent-Type: text/html\nX-Two: 2\n\n<p>hi</p>\n";
        let recorded = parse_response(block).unwrap();
        assert_eq!(recorded.status, 200);
        assert_eq!(recorded.headers.len(), 2);
        assert_eq!(header(&recorded, "x-two"), Some("2"));
        assert_eq!(&recorded.body[..], b"<p>hi</p>\n");
    }

    #[test]
    fn status_line_without_reason_phrase() {
        let recorded = parse_response(b"HTTP/1.1 204\r\n\r\n").unwrap();
        assert_eq!(recorded.status, 204);
        assert!(recorded.body.is_empty());
        let recorded = parse_response(b"HTTP/1.1 799 \r\n\r\n").unwrap();
        assert_eq!(recorded.status, 799);
    }

    #[test]
    fn folded_header_becomes_one_line() {
        let block = b"HTTP/1.1 200 OK\r\nX-Long: one\r\n  two\r\n\r\n";
        let recorded = parse_response(block).unwrap();
        assert_eq!(header(&recorded, "x-long"), Some("one two"));
    }

    #[test]
    fn chunked_body_is_dechunked_and_headers_follow() {
        let block =
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n\
            5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nX-Trailer: t\r\n\r\n";
        let recorded = parse_response(block).unwrap();
        assert_eq!(&recorded.body[..], b"hello, world");
        assert_eq!(header(&recorded, "transfer-encoding"), None);
        assert_eq!(header(&recorded, "content-length"), Some("12"));
        assert_eq!(header(&recorded, "content-type"), Some("text/plain"));
    }

    #[test]
    fn chunked_with_lf_only_and_other_codings() {
        let block = b"HTTP/1.1 200 OK\nTransfer-Encoding: gzip, chunked\n\na\n0123456789\n0\n\n";
        let recorded = parse_response(block).unwrap();
        assert_eq!(&recorded.body[..], b"0123456789");
        assert_eq!(header(&recorded, "transfer-encoding"), Some("gzip"));
    }

    #[test]
    fn chunked_without_last_chunk_keeps_whole_chunks() {
        assert_eq!(dechunk(b"3\r\nabc\r\n").as_deref(), Some(&b"abc"[..]));
    }

    #[test]
    fn broken_chunking_keeps_the_raw_body() {
        let block = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nnot chunked at all";
        let recorded = parse_response(block).unwrap();
        assert_eq!(&recorded.body[..], b"not chunked at all");
        // A chunk longer than what is left is broken framing, not a short body.
        assert_eq!(dechunk(b"ff\r\nabc\r\n0\r\n\r\n"), None);
        assert_eq!(dechunk(b"3\r\nabcX\r\n0\r\n\r\n"), None);
    }

    #[test]
    fn many_headers_are_kept() {
        let mut block = String::from("HTTP/1.1 200 OK\r\n");
        for i in 0..300 {
            block.push_str(&format!("X-H{i}: {i}\r\n"));
        }
        block.push_str("\r\nbody");
        let recorded = parse_response(block.as_bytes()).unwrap();
        assert_eq!(recorded.headers.len(), 300);
        assert_eq!(&recorded.body[..], b"body");
    }

    #[test]
    fn not_http_is_an_error_not_a_panic() {
        assert!(parse_response(b"").is_err());
        assert!(parse_response(b"hello world").is_err());
        assert!(parse_response(b"HTTP/1.1 200 OK\r\nX: y\r\n").is_err());
        assert!(parse_response(&[0xff; 100]).is_err());
    }
}

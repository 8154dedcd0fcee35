//! Content codings of recorded bodies. Our own records hold decoded bodies, but other tools
//! (wget, warcio, browsers' archivers) store what the wire carried: a body still gzipped,
//! deflated or brotli-compressed, with its `Content-Encoding` header. Replay decodes it as an
//! HTTP client would, or the page reads as garbage.

use std::io::Read;

/// At most this many bytes come out of one body, as the fetcher's default limit: a small
/// compressed record must not expand without bound.
const MAX_DECODED: u64 = 20 * 1024 * 1024;

/// The body with its content codings undone, and the headers saying so: no
/// `Content-Encoding`, the decoded length. A body that does not decode is left as it is.
pub(super) fn decode(headers: &mut Vec<(String, String)>, body: Vec<u8>) -> Vec<u8> {
    let codings: Vec<String> = headers
        .iter()
        .filter(|(name, _)| name.eq_ignore_ascii_case("content-encoding"))
        .flat_map(|(_, value)| value.split(',').map(|c| c.trim().to_ascii_lowercase()))
        .filter(|c| !c.is_empty() && c != "identity")
        .collect();
    if codings.is_empty() {
        return body;
    }
    let mut decoded = body.clone();
    // Codings are listed in the order they were applied.
    for coding in codings.iter().rev() {
        match undo(coding, &decoded) {
            Some(next) => decoded = next,
            None => return body,
        }
    }
    headers.retain(|(name, _)| {
        !name.eq_ignore_ascii_case("content-encoding")
            && !name.eq_ignore_ascii_case("content-length")
    });
    headers.push(("Content-Length".into(), decoded.len().to_string()));
    decoded
}

fn undo(coding: &str, bytes: &[u8]) -> Option<Vec<u8>> {
    match coding {
        "gzip" | "x-gzip" => read_all(flate2::read::MultiGzDecoder::new(bytes)),
        // `deflate` is zlib-wrapped by the standard, raw by many servers.
        "deflate" => read_all(flate2::read::ZlibDecoder::new(bytes))
            .or_else(|| read_all(flate2::read::DeflateDecoder::new(bytes))),
        "br" => read_all(brotli_decompressor::Decompressor::new(bytes, 4096)),
        _ => None,
    }
}

fn read_all(reader: impl Read) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    reader.take(MAX_DECODED).read_to_end(&mut out).ok()?;
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        encoder.write_all(bytes).unwrap();
        encoder.finish().unwrap()
    }

    #[test]
    fn gzip_and_deflate_bodies_are_decoded_and_their_headers_fixed() {
        let page = b"<title>Example Domain</title>";
        let mut headers = vec![
            ("Content-Encoding".to_string(), "gzip".to_string()),
            ("Content-Length".to_string(), "999".to_string()),
        ];
        assert_eq!(decode(&mut headers, gzip(page)), page);
        assert_eq!(
            headers,
            [("Content-Length".to_string(), page.len().to_string())]
        );
        let mut zlib = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
        zlib.write_all(page).unwrap();
        let mut headers = vec![("content-encoding".to_string(), "deflate".to_string())];
        assert_eq!(decode(&mut headers, zlib.finish().unwrap()), page);
    }

    #[test]
    fn a_body_that_does_not_decode_is_kept_with_its_headers() {
        let mut headers = vec![("Content-Encoding".to_string(), "gzip".to_string())];
        assert_eq!(decode(&mut headers, b"plain".to_vec()), b"plain");
        assert_eq!(headers.len(), 1);
    }
}

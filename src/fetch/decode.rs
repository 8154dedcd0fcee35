//! Decoding a body to text: many press and archive sites still serve ISO-8859-1, and
//! sitemaps come gzipped without saying so.

use std::borrow::Cow;
use std::io::Read;

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};
use flate2::read::MultiGzDecoder;

/// Decodes `body` to a `String`, choosing the encoding as a browser would: a byte-order mark,
/// then the HTTP `charset`, then a `<meta charset>` or `http-equiv` declaration or an XML
/// declaration in the first 1024 bytes, then UTF-8 if the bytes are valid UTF-8, else
/// Windows-1252 (the superset browsers use for ISO-8859-1).
///
/// Never fails: undecodable bytes become U+FFFD, so a broken page is read, not dropped.
pub fn decode(body: &[u8], content_type: Option<&str>) -> String {
    if let Some((encoding, bom_len)) = Encoding::for_bom(body) {
        return encoding
            .decode_without_bom_handling(&body[bom_len..])
            .0
            .into_owned();
    }
    let declared = content_type
        .and_then(charset_param)
        .or_else(|| sniff_declaration(&body[..body.len().min(1024)]));
    let encoding = match declared {
        Some(e) => e,
        None if std::str::from_utf8(body).is_ok() => UTF_8,
        None => WINDOWS_1252,
    };
    encoding.decode_without_bom_handling(body).0.into_owned()
}

fn charset_param(content_type: &str) -> Option<&'static Encoding> {
    content_type.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| label(value))
            .flatten()
    })
}

fn label(value: &str) -> Option<&'static Encoding> {
    let value = value.trim().trim_matches(['"', '\'']);
    // A UTF-16 label in a document that was read as bytes means the label is wrong (HTML spec).
    Encoding::for_label(value.as_bytes()).map(|e| {
        if e == encoding_rs::UTF_16LE || e == encoding_rs::UTF_16BE {
            UTF_8
        } else {
            e
        }
    })
}

fn sniff_declaration(head: &[u8]) -> Option<&'static Encoding> {
    let head = String::from_utf8_lossy(head).to_ascii_lowercase();
    let mut rest = head.as_str();
    while let Some(at) = rest.find("charset") {
        rest = &rest[at + "charset".len()..];
        let value = rest.trim_start();
        if let Some(value) = value.strip_prefix('=') {
            let value = value.trim_start().trim_start_matches(['"', '\'']);
            let end = value
                .find(|c: char| !(c.is_ascii_alphanumeric() || "-_.:".contains(c)))
                .unwrap_or(value.len());
            if let Some(e) = label(&value[..end]) {
                return Some(e);
            }
        }
    }
    xml_encoding(&head)
}

fn xml_encoding(head: &str) -> Option<&'static Encoding> {
    let decl = head.strip_prefix("<?xml")?;
    let decl = &decl[..decl.find("?>")?];
    let value = decl
        .split("encoding")
        .nth(1)?
        .trim_start()
        .strip_prefix('=')?;
    let value = value.trim_start();
    let quote = value.chars().next()?;
    let value = &value[1..];
    label(&value[..value.find(quote)?])
}

/// The body of a gzipped file served without `Content-Encoding` (`sitemap.xml.gz`),
/// decompressed; a body that is not gzip is returned as it is. `None` when the gzip is
/// broken or would inflate past `limit` bytes.
pub fn gunzip(body: &[u8], limit: u64) -> Option<Cow<'_, [u8]>> {
    if !body.starts_with(&[0x1f, 0x8b]) {
        return Some(Cow::Borrowed(body));
    }
    let mut out = Vec::new();
    MultiGzDecoder::new(body)
        .take(limit + 1)
        .read_to_end(&mut out)
        .ok()?;
    (out.len() as u64 <= limit).then_some(Cow::Owned(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    const FUSEE_LATIN1: &[u8] = b"<p>Fus\xe9e Soyouz</p>";

    #[test]
    fn header_charset_wins() {
        assert_eq!(
            decode(FUSEE_LATIN1, Some("text/html; charset=ISO-8859-1")),
            "<p>Fusée Soyouz</p>"
        );
    }

    #[test]
    fn meta_charset_and_http_equiv_are_read() {
        let mut page = b"<meta charset=\"iso-8859-1\">".to_vec();
        page.extend_from_slice(FUSEE_LATIN1);
        assert!(decode(&page, Some("text/html")).contains("Fusée"));
        let mut page =
            b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1252\">"
                .to_vec();
        page.extend_from_slice(FUSEE_LATIN1);
        assert!(decode(&page, None).contains("Fusée"));
    }

    #[test]
    fn xml_declaration_is_read() {
        let mut feed = b"<?xml version='1.0' encoding='ISO-8859-1'?><t>".to_vec();
        feed.extend_from_slice(b"Fus\xe9e</t>");
        assert!(decode(&feed, Some("application/rss+xml")).ends_with("Fusée</t>"));
    }

    #[test]
    fn undeclared_bytes_fall_back_to_utf8_then_windows_1252() {
        assert_eq!(decode("Fusée".as_bytes(), None), "Fusée");
        assert_eq!(decode(FUSEE_LATIN1, None), "<p>Fusée Soyouz</p>");
    }

    #[test]
    fn bom_wins_over_declarations() {
        let mut page = vec![0xEF, 0xBB, 0xBF];
        page.extend_from_slice("Fusée".as_bytes());
        assert_eq!(
            decode(&page, Some("text/html; charset=iso-8859-1")),
            "Fusée"
        );
    }

    #[test]
    fn gzipped_files_are_inflated_within_the_limit_and_others_pass_through() {
        use std::io::Write;
        const SITEMAP: &str = "<urlset><url><loc>https://cnes.fr/</loc></url></urlset>";
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(SITEMAP.as_bytes()).unwrap();
        let gz = encoder.finish().unwrap();
        let inflated = gunzip(&gz, 1 << 20).expect("valid gzip");
        assert_eq!(&*inflated, SITEMAP.as_bytes());
        assert!(matches!(
            gunzip(b"<urlset/>", 1 << 20),
            Some(Cow::Borrowed(b"<urlset/>"))
        ));
        assert_eq!(
            gunzip(&gz[..gz.len() / 2], 1 << 20),
            None,
            "a truncated gzip is broken"
        );
        assert_eq!(gunzip(&gz, 10), None, "more than the limit is refused");
    }
}

//! What a server really sent: its first bytes, then what it declared, then the URL's ending.
//!
//! Servers answer a missing photo with an HTML error page and status 200, label JPEGs
//! `application/octet-stream`, or PNGs `image/jpeg`. A file is kept only when what arrived
//! is the kind of media the item is, and it is named after what arrived.

use url::Url;

use crate::model::Kind;

/// How many first bytes [`judge`] wants to see, when the file has that many.
pub(super) const SNIFF_BYTES: usize = 512;

/// What arrived, as it will be named.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Received {
    /// Its media type, such as `image/jpeg`.
    pub(super) media_type: String,
    /// The file's extension, without the dot.
    pub(super) extension: String,
}

/// Decides whether the bytes that arrived are a file of `kind`, and how to name it.
///
/// # Errors
/// A sentence saying what arrived instead: "an HTML page (text/html)", "video/mp4".
pub(super) fn judge(
    kind: Kind,
    declared: Option<&str>,
    first: &[u8],
    url: &Url,
) -> Result<Received, String> {
    let declared = declared.map(|d| d.trim().to_ascii_lowercase());
    let declared = declared.as_deref().filter(|d| !is_generic(d));
    let sniffed = magic(first, kind);
    if sniffed.is_none() && (looks_like_text(first) || declared.is_some_and(is_text)) {
        let what = declared.unwrap_or("text");
        let page = if what.contains("html") || looks_like_html(first) {
            format!("an HTML page ({what})")
        } else {
            format!("text ({what})")
        };
        return Err(format!(
            "the server sent {page} instead of the {}",
            noun(kind)
        ));
    }
    let media_type = sniffed
        .map(str::to_string)
        .or_else(|| declared.map(str::to_string))
        .or_else(|| by_extension(url).map(|(t, _)| t.to_string()))
        .ok_or_else(|| {
            format!(
                "the server did not say what it sent, and it is not a {} this tool recognises",
                noun(kind)
            )
        })?;
    if !fits(kind, &media_type) {
        return Err(format!(
            "expected a {}, the server sent {media_type}",
            noun(kind)
        ));
    }
    let extension = extension(&media_type)
        .map(str::to_string)
        .or_else(|| url_extension(url))
        .unwrap_or_else(|| "bin".to_string());
    Ok(Received {
        media_type,
        extension,
    })
}

fn noun(kind: Kind) -> &'static str {
    match kind {
        Kind::Photo => "photo",
        Kind::Video => "video",
        Kind::Audio => "sound",
        Kind::Article => "file",
    }
}

/// Types that say nothing about the bytes.
fn is_generic(media_type: &str) -> bool {
    matches!(
        media_type,
        "" | "application/octet-stream"
            | "binary/octet-stream"
            | "application/binary"
            | "application/download"
            | "application/force-download"
            | "application/unknown"
    )
}

fn is_text(media_type: &str) -> bool {
    media_type.starts_with("text/")
        || media_type.ends_with("+xml") && media_type != "image/svg+xml"
        || matches!(
            media_type,
            "application/json"
                | "application/xml"
                | "application/javascript"
                | "application/problem+json"
        )
}

fn looks_like_text(first: &[u8]) -> bool {
    let start = first
        .strip_prefix(b"\xef\xbb\xbf".as_slice())
        .unwrap_or(first);
    let start = start.trim_ascii_start();
    matches!(start.first(), Some(b'<' | b'{' | b'['))
}

fn looks_like_html(first: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&first[..first.len().min(SNIFF_BYTES)]).to_lowercase();
    head.contains("<html") || head.contains("<!doctype html") || head.contains("<body")
}

/// Whether a media type is the kind of file an item of `kind` is.
fn fits(kind: Kind, media_type: &str) -> bool {
    let family = media_type.split('/').next().unwrap_or_default();
    match kind {
        Kind::Photo => family == "image",
        Kind::Video => family == "video" || media_type == "application/mp4",
        Kind::Audio => family == "audio" || matches!(media_type, "video/mp4" | "application/mp4"),
        Kind::Article => false,
    }
}

/// The type the first bytes announce, for the formats newsrooms meet.
fn magic(first: &[u8], kind: Kind) -> Option<&'static str> {
    let starts = |prefix: &[u8]| first.starts_with(prefix);
    let riff = |form: &[u8]| starts(b"RIFF") && first.get(8..12) == Some(form);
    Some(match first {
        _ if starts(&[0xFF, 0xD8, 0xFF]) => "image/jpeg",
        _ if starts(b"\x89PNG\r\n\x1a\n") => "image/png",
        _ if starts(b"GIF87a") || starts(b"GIF89a") => "image/gif",
        _ if riff(b"WEBP") => "image/webp",
        _ if riff(b"WAVE") => "audio/wav",
        _ if riff(b"AVI ") => "video/x-msvideo",
        _ if starts(b"II*\0") || starts(b"MM\0*") => "image/tiff",
        _ if first.get(4..8) == Some(b"ftyp") => iso_media(first.get(8..12)?, kind),
        _ if starts(&[0x1A, 0x45, 0xDF, 0xA3]) => matroska(first),
        _ if starts(b"OggS") => match kind {
            Kind::Audio => "audio/ogg",
            _ => "video/ogg",
        },
        _ if starts(b"fLaC") => "audio/flac",
        _ if starts(b"ID3") => "audio/mpeg",
        _ if starts(&[0, 0, 1, 0xBA]) || starts(&[0, 0, 1, 0xB3]) => "video/mpeg",
        _ if starts(b"%PDF-") => "application/pdf",
        [0xFF, second, ..] if second & 0xE0 == 0xE0 => "audio/mpeg",
        _ => return None,
    })
}

/// ISO base media files (MP4, QuickTime, HEIF) by their major brand.
fn iso_media(brand: &[u8], kind: Kind) -> &'static str {
    match brand {
        b"heic" | b"heix" | b"heim" | b"heis" => "image/heic",
        b"mif1" | b"msf1" => "image/heif",
        b"avif" | b"avis" => "image/avif",
        b"qt  " => "video/quicktime",
        b"M4A " | b"M4B " => "audio/mp4",
        _ if kind == Kind::Audio => "audio/mp4",
        _ => "video/mp4",
    }
}

fn matroska(first: &[u8]) -> &'static str {
    if first.windows(4).any(|w| w == b"webm") {
        "video/webm"
    } else {
        "video/x-matroska"
    }
}

/// The extension for a media type.
fn extension(media_type: &str) -> Option<&'static str> {
    TYPES
        .iter()
        .find(|(t, _)| *t == media_type)
        .map(|(_, e)| *e)
}

/// The URL's ending, when it looks like a file's extension (`CR2`, `jpeg`).
fn url_extension(url: &Url) -> Option<String> {
    let last = url.path_segments()?.next_back()?;
    let (_, ext) = last.rsplit_once('.')?;
    let plain = (2..=5).contains(&ext.len()) && ext.bytes().all(|b| b.is_ascii_alphanumeric());
    plain.then(|| ext.to_ascii_lowercase())
}

/// The media type a URL's ending names, and that ending.
fn by_extension(url: &Url) -> Option<(&'static str, &'static str)> {
    let ext = url_extension(url)?;
    let ext = match ext.as_str() {
        "jpeg" | "jpe" => "jpg",
        "tiff" => "tif",
        other => other,
    };
    TYPES.iter().find(|(_, e)| *e == ext).copied()
}

/// Media types and their usual extension; the first of a type's spellings names it.
const TYPES: [(&str, &str); 34] = [
    ("image/jpeg", "jpg"),
    ("image/pjpeg", "jpg"),
    ("image/png", "png"),
    ("image/gif", "gif"),
    ("image/webp", "webp"),
    ("image/tiff", "tif"),
    ("image/heic", "heic"),
    ("image/heif", "heif"),
    ("image/avif", "avif"),
    ("image/svg+xml", "svg"),
    ("image/bmp", "bmp"),
    ("video/mp4", "mp4"),
    ("video/quicktime", "mov"),
    ("video/webm", "webm"),
    ("video/x-matroska", "mkv"),
    ("video/x-msvideo", "avi"),
    ("video/mpeg", "mpg"),
    ("video/mp2t", "ts"),
    ("video/ogg", "ogv"),
    ("video/3gpp", "3gp"),
    ("video/x-m4v", "m4v"),
    ("application/mp4", "mp4"),
    ("audio/mpeg", "mp3"),
    ("audio/mp4", "m4a"),
    ("audio/x-m4a", "m4a"),
    ("audio/aac", "aac"),
    ("audio/wav", "wav"),
    ("audio/x-wav", "wav"),
    ("audio/wave", "wav"),
    ("audio/ogg", "ogg"),
    ("audio/opus", "opus"),
    ("audio/flac", "flac"),
    ("audio/webm", "weba"),
    ("application/pdf", "pdf"),
];

#[cfg(test)]
mod tests {
    use super::*;

    const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 0, 16, b'J', b'F', b'I', b'F'];
    const MP4: &[u8] = b"\0\0\0\x20ftypisom\0\0\x02\0isomiso2avc1mp41";

    fn url(path: &str) -> Url {
        Url::parse("https://media.example")
            .unwrap()
            .join(path)
            .unwrap()
    }

    fn named(kind: Kind, declared: Option<&str>, first: &[u8], path: &str) -> String {
        judge(kind, declared, first, &url(path))
            .map(|r| format!("{} {}", r.media_type, r.extension))
            .unwrap_or_else(|e| e)
    }

    #[test]
    fn the_bytes_name_the_file_before_the_label() {
        assert_eq!(
            named(Kind::Photo, Some("image/jpeg"), JPEG, "/a"),
            "image/jpeg jpg"
        );
        assert_eq!(
            named(
                Kind::Photo,
                Some("application/octet-stream"),
                JPEG,
                "/a.bin"
            ),
            "image/jpeg jpg"
        );
        assert_eq!(
            named(
                Kind::Photo,
                Some("image/jpeg"),
                b"\x89PNG\r\n\x1a\n....",
                "/a.jpg"
            ),
            "image/png png"
        );
        assert_eq!(named(Kind::Video, None, MP4, "/clip"), "video/mp4 mp4");
        assert_eq!(
            named(Kind::Audio, Some("audio/mpeg"), b"ID3\x04", "/a"),
            "audio/mpeg mp3"
        );
    }

    #[test]
    fn without_magic_the_label_then_the_url_decide() {
        assert_eq!(
            named(
                Kind::Photo,
                Some("image/x-canon-cr2"),
                b"\0\x01",
                "/IMG_1.CR2"
            ),
            "image/x-canon-cr2 cr2"
        );
        assert_eq!(
            named(
                Kind::Photo,
                Some("application/octet-stream"),
                b"\0\x01",
                "/a.JPEG"
            ),
            "image/jpeg jpg"
        );
        assert!(named(Kind::Photo, None, b"\0\x01", "/a").contains("did not say"));
    }

    #[test]
    fn error_pages_are_refused_whatever_their_label() {
        let page = b"<!DOCTYPE html><html><body>Not found</body></html>";
        for declared in [Some("text/html; charset=utf-8"), Some("image/jpeg"), None] {
            let said = named(Kind::Photo, declared, page, "/a.jpg");
            assert!(said.contains("an HTML page"), "{declared:?}: {said}");
        }
        let json = named(
            Kind::Video,
            Some("application/json"),
            b"{\"error\":1}",
            "/v.mp4",
        );
        assert!(json.contains("text (application/json)"), "{json}");
    }

    #[test]
    fn a_file_of_another_kind_is_refused() {
        let said = named(Kind::Photo, Some("video/mp4"), MP4, "/a.jpg");
        assert_eq!(said, "expected a photo, the server sent video/mp4");
        let pdf = named(
            Kind::Photo,
            Some("application/pdf"),
            b"%PDF-1.7",
            "/kit.pdf",
        );
        assert_eq!(pdf, "expected a photo, the server sent application/pdf");
    }
}

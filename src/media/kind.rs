//! Judging a file from its MIME type or its name.

use crate::model::Kind;

/// What a MIME type or file name says about a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MediaGuess {
    /// A photo, video or sound.
    Media(Kind),
    /// Known, and not media: a document, a web page, subtitles.
    NotMedia,
    /// Nothing can be told.
    Unknown,
}

/// Judges a MIME type (`video/mp4`) or a bare format name (`mp4`, as `encodingFormat` allows).
pub fn kind_from_format(format: &str) -> MediaGuess {
    let format = format.trim().to_ascii_lowercase();
    let essence = format.split(';').next().unwrap_or_default().trim();
    match essence.split_once('/') {
        Some(("image", _)) => MediaGuess::Media(Kind::Photo),
        Some(("video", _)) => MediaGuess::Media(Kind::Video),
        Some(("audio", _)) => MediaGuess::Media(Kind::Audio),
        Some((_, "x-mpegurl" | "vnd.apple.mpegurl" | "dash+xml" | "x-shockwave-flash")) => {
            MediaGuess::Media(Kind::Video)
        }
        Some((_, "ogg")) => MediaGuess::Media(Kind::Audio),
        Some(_) => MediaGuess::NotMedia,
        None => kind_from_extension(&format!(".{essence}")),
    }
}

/// Judges a path or URL by its file extension.
pub fn kind_from_extension(path: &str) -> MediaGuess {
    let name = path.rsplit('/').next().unwrap_or(path);
    let Some((_, ext)) = name.rsplit_once('.') else {
        return MediaGuess::Unknown;
    };
    match ext.to_ascii_lowercase().as_str() {
        "jpg" | "jpeg" | "png" | "gif" | "webp" | "tif" | "tiff" | "heic" | "avif" => {
            MediaGuess::Media(Kind::Photo)
        }
        "mp4" | "m4v" | "mov" | "webm" | "mkv" | "avi" | "mpg" | "mpeg" | "m3u8" | "mpd"
        | "ogv" | "wmv" | "flv" => MediaGuess::Media(Kind::Video),
        "mp3" | "m4a" | "aac" | "oga" | "ogg" | "opus" | "wav" | "flac" => {
            MediaGuess::Media(Kind::Audio)
        }
        "pdf" | "doc" | "docx" | "zip" | "html" | "htm" | "txt" | "vtt" | "srt" | "xml" => {
            MediaGuess::NotMedia
        }
        _ => MediaGuess::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_from_formats_and_names() {
        assert_eq!(
            kind_from_format("video/mp4"),
            MediaGuess::Media(Kind::Video)
        );
        assert_eq!(
            kind_from_format("Image/JPEG; q=1"),
            MediaGuess::Media(Kind::Photo)
        );
        assert_eq!(kind_from_format("mp3"), MediaGuess::Media(Kind::Audio));
        assert_eq!(kind_from_format("application/pdf"), MediaGuess::NotMedia);
        assert_eq!(kind_from_format("whatever"), MediaGuess::Unknown);
        assert_eq!(
            kind_from_extension("/a/b.JPG"),
            MediaGuess::Media(Kind::Photo)
        );
        assert_eq!(kind_from_extension("/a.b/c"), MediaGuess::Unknown);
    }
}

//! Writing an XMP packet into a JPEG file (`--embed`), streaming: the segments before the
//! image data are read one at a time (each at most 64 KiB), the image data is copied as it
//! is, so memory stays flat whatever the file's size.
//!
//! The packet goes in an APP1 segment named `http://ns.adobe.com/xap/1.0/`, after the
//! JFIF and Exif segments that readers expect first. An XMP packet already in the file is
//! replaced: a file carries one, and ours holds the credit and licence the desk relies on.

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::path::Path;

/// The name that starts an XMP APP1 segment.
const XMP_NAME: &[u8] = b"http://ns.adobe.com/xap/1.0/\0";
/// The name of the segments of an XMP packet too large for one ("extended XMP").
const EXTENDED_XMP_NAME: &[u8] = b"http://ns.adobe.com/xmp/extension/\0";
const EXIF_NAME: &[u8] = b"Exif\0\0";

const SOI: u8 = 0xD8;
const APP0: u8 = 0xE0;
const APP1: u8 = 0xE1;
const SOS: u8 = 0xDA;
const EOI: u8 = 0xD9;

/// Why a packet could not be embedded.
#[derive(Debug, thiserror::Error)]
pub enum EmbedError {
    /// The file does not start as a JPEG does, or its segments are broken.
    #[error("not a readable JPEG file: {0}")]
    NotJpeg(&'static str),
    /// The packet does not fit in one segment.
    #[error("the XMP packet ({0} bytes) is too large for a JPEG segment")]
    TooLarge(usize),
    /// Reading or writing failed.
    #[error(transparent)]
    Io(#[from] io::Error),
}

/// Copies the JPEG at `source` to `target` with `xmp` in it.
///
/// # Errors
/// [`EmbedError`]; `target` is then incomplete and should be removed.
pub fn embed(source: &Path, target: &Path, xmp: &str) -> Result<(), EmbedError> {
    let segment = xmp_segment(xmp)?;
    let mut input = BufReader::with_capacity(64 * 1024, File::open(source)?);
    let mut output = BufWriter::with_capacity(64 * 1024, File::create(target)?);
    let mut soi = [0; 2];
    input
        .read_exact(&mut soi)
        .map_err(|_| EmbedError::NotJpeg("too short"))?;
    if soi != [0xFF, SOI] {
        return Err(EmbedError::NotJpeg("no start-of-image marker"));
    }
    output.write_all(&soi)?;
    copy_segments(&mut input, &mut output, &segment)?;
    io::copy(&mut input, &mut output)?;
    output
        .into_inner()
        .map_err(io::IntoInnerError::into_error)?
        .flush()?;
    Ok(())
}

/// The APP1 segment holding `xmp`.
fn xmp_segment(xmp: &str) -> Result<Vec<u8>, EmbedError> {
    let length = 2 + XMP_NAME.len() + xmp.len();
    let length16 = u16::try_from(length).map_err(|_| EmbedError::TooLarge(xmp.len()))?;
    let mut segment = vec![0xFF, APP1];
    segment.extend_from_slice(&length16.to_be_bytes());
    segment.extend_from_slice(XMP_NAME);
    segment.extend_from_slice(xmp.as_bytes());
    Ok(segment)
}

/// Copies the segments up to the image data, dropping XMP ones and putting `xmp` after the
/// leading JFIF and Exif segments. Leaves `input` at the image data.
fn copy_segments(
    input: &mut impl Read,
    output: &mut impl Write,
    xmp: &[u8],
) -> Result<(), EmbedError> {
    let mut placed = false;
    loop {
        let marker = next_marker(input)?;
        if marker == SOS || marker == EOI {
            if !placed {
                output.write_all(xmp)?;
            }
            output.write_all(&[0xFF, marker])?;
            return Ok(());
        }
        if (0xD0..=0xD7).contains(&marker) || marker == 0x01 {
            output.write_all(&[0xFF, marker])?;
            continue;
        }
        let payload = read_payload(input)?;
        let leading = marker == APP0 || (marker == APP1 && payload.starts_with(EXIF_NAME));
        if !placed && !leading {
            output.write_all(xmp)?;
            placed = true;
        }
        let is_xmp = marker == APP1
            && (payload.starts_with(XMP_NAME) || payload.starts_with(EXTENDED_XMP_NAME));
        if !is_xmp {
            write_segment(output, marker, &payload)?;
        }
    }
}

/// The next marker's code, past any fill bytes.
fn next_marker(input: &mut impl Read) -> Result<u8, EmbedError> {
    let mut byte = [0; 1];
    input
        .read_exact(&mut byte)
        .map_err(|_| EmbedError::NotJpeg("ends before its image data"))?;
    if byte[0] != 0xFF {
        return Err(EmbedError::NotJpeg(
            "a segment does not start with a marker",
        ));
    }
    while byte[0] == 0xFF {
        input
            .read_exact(&mut byte)
            .map_err(|_| EmbedError::NotJpeg("ends inside a marker"))?;
    }
    Ok(byte[0])
}

fn read_payload(input: &mut impl Read) -> Result<Vec<u8>, EmbedError> {
    let mut length = [0; 2];
    input
        .read_exact(&mut length)
        .map_err(|_| EmbedError::NotJpeg("a segment is cut short"))?;
    let length = usize::from(u16::from_be_bytes(length));
    if length < 2 {
        return Err(EmbedError::NotJpeg("a segment has an impossible length"));
    }
    let mut payload = vec![0; length - 2];
    input
        .read_exact(&mut payload)
        .map_err(|_| EmbedError::NotJpeg("a segment is cut short"))?;
    Ok(payload)
}

fn write_segment(output: &mut impl Write, marker: u8, payload: &[u8]) -> io::Result<()> {
    let length = u16::try_from(payload.len() + 2).unwrap_or(u16::MAX);
    output.write_all(&[0xFF, marker])?;
    output.write_all(&length.to_be_bytes())?;
    output.write_all(payload)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// SOI, APP0 JFIF, APP1 XMP (old), DQT, SOS, data, EOI.
    fn jpeg(old_xmp: &[u8]) -> Vec<u8> {
        let mut bytes = vec![0xFF, SOI];
        let mut segment = |marker: u8, payload: &[u8]| {
            bytes.extend_from_slice(&[0xFF, marker]);
            bytes.extend_from_slice(&u16::try_from(payload.len() + 2).unwrap().to_be_bytes());
            bytes.extend_from_slice(payload);
        };
        segment(APP0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
        segment(APP1, &[XMP_NAME, old_xmp].concat());
        segment(0xDB, &[0; 65]);
        segment(SOS, &[1, 1, 0, 0, 63, 0]);
        bytes.extend_from_slice(&[0x12, 0xFF, 0x00, 0x34, 0xFF, EOI]);
        bytes
    }

    fn embedded(source: &[u8], xmp: &str) -> Result<Vec<u8>, EmbedError> {
        let dir = tempfile::tempdir().unwrap();
        let (from, to) = (dir.path().join("a.jpg"), dir.path().join("b.jpg"));
        std::fs::write(&from, source).unwrap();
        embed(&from, &to, xmp)?;
        Ok(std::fs::read(to).unwrap())
    }

    fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
        haystack.windows(needle.len()).position(|w| w == needle)
    }

    #[test]
    fn the_packet_replaces_the_old_one_after_jfif_and_the_image_is_untouched() {
        let source = jpeg(b"<old/>");
        let out = embedded(&source, "<new/>").unwrap();
        assert!(find(&out, b"<old/>").is_none());
        let xmp = find(&out, XMP_NAME).unwrap();
        assert!(xmp > find(&out, b"JFIF").unwrap());
        assert_eq!(
            &out[xmp + XMP_NAME.len()..xmp + XMP_NAME.len() + 6],
            b"<new/>"
        );
        let image = find(&source, &[0xFF, SOS]).unwrap();
        assert!(out.ends_with(&source[image..]));
        assert_eq!(out.len(), source.len() - 6 + 6);
    }

    #[test]
    fn broken_files_and_huge_packets_are_refused() {
        assert!(matches!(
            embedded(b"GIF89a", "<x/>"),
            Err(EmbedError::NotJpeg(_))
        ));
        let cut = &jpeg(b"")[..30];
        assert!(matches!(embedded(cut, "<x/>"), Err(EmbedError::NotJpeg(_))));
        let huge = "x".repeat(70_000);
        assert!(matches!(
            embedded(&jpeg(b""), &huge),
            Err(EmbedError::TooLarge(_))
        ));
    }
}

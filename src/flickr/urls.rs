//! Recognising Flickr URLs and ids wherever they appear.

/// The Flickr photo id behind a photo page URL (`https://www.flickr.com/photos/cnes/45539063392/`)
/// or a feed guid (`tag:flickr.com,2004:/photo/45539063392`), or `None`.
///
/// A photo found through a feed and through the API must be the same item, `flickr:<id>`.
pub fn photo_id(text: &str) -> Option<String> {
    let text = text.trim();
    if let Some(rest) = text.strip_prefix("tag:flickr.com,") {
        let id = rest.split_once(":/photo/")?.1;
        return digits(id.trim_end_matches('/'));
    }
    let url = url::Url::parse(text).ok()?;
    let host = url.host_str()?.to_ascii_lowercase();
    if !(host == "flickr.com" || host.ends_with(".flickr.com")) {
        return None;
    }
    let mut segments = url.path_segments()?.filter(|s| !s.is_empty());
    if segments.next()? != "photos" {
        return None;
    }
    let _user = segments.next()?;
    digits(segments.next()?)
}

fn digits(text: &str) -> Option<String> {
    (!text.is_empty() && text.len() <= 20 && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn photo_id_reads_pages_and_guids() {
        for (text, id) in [
            ("https://www.flickr.com/photos/cnes/45539063392/", Some("45539063392")),
            ("https://flickr.com/photos/12345678@N02/45539063392/in/album-721/", Some("45539063392")),
            ("tag:flickr.com,2004:/photo/45539063392", Some("45539063392")),
            ("tag:flickr.com,2005:/photo/45539063392", Some("45539063392")),
            ("https://www.flickr.com/photos/cnes/albums/72157704555614144", None),
            ("https://www.flickr.com/photos/cnes/", None),
            ("https://example.com/photos/cnes/45539063392/", None),
            ("not a url", None),
        ] {
            assert_eq!(photo_id(text).as_deref(), id, "{text}");
        }
    }
}

//! Recognising Flickr URLs and ids wherever they appear.

use url::Url;

/// What a Flickr link points at, as far as the API is concerned.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum FlickrTarget {
    /// An album (`/photos/<user>/albums/<id>`, formerly "sets").
    Album {
        /// The owner as written in the URL: a path alias (`cnes`) or an NSID (`12345678@N02`).
        user: String,
        /// The photoset id.
        set_id: String,
    },
    /// One photo or video page (`/photos/<user>/<id>/`).
    Photo {
        /// The owner as written in the URL: a path alias or an NSID.
        user: String,
        /// The photo id.
        photo_id: String,
    },
}

/// Hosts that serve the same photo and album pages.
const PAGE_HOSTS: [&str; 4] = [
    "flickr.com",
    "www.flickr.com",
    "m.flickr.com",
    "secure.flickr.com",
];

/// The album or photo a Flickr page URL shows, or `None` for any other URL.
///
/// Albums: `/photos/<user>/albums/<id>` or the older `/photos/<user>/sets/<id>`, optionally
/// followed by `/pageN` (a later page of the same album) or, on old set URLs, `/with/<photo>`.
/// Photos and videos: `/photos/<user>/<digits>`, whatever follows (`in/album-…`, `sizes/l`),
/// because every such page shows the same item.
pub fn recognize(url: &Url) -> Option<FlickrTarget> {
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    let host = url.host_str()?.to_ascii_lowercase();
    if !PAGE_HOSTS.contains(&host.as_str()) {
        return None;
    }
    let mut segments: Vec<&str> = url.path_segments()?.collect();
    // A trailing slash leaves an empty last segment; it names nothing.
    while segments.last() == Some(&"") {
        segments.pop();
    }
    match segments.as_slice() {
        ["photos", user, "albums" | "sets", id, rest @ ..] => {
            let valid = is_user(user) && digits(id).is_some() && is_album_suffix(rest);
            valid.then(|| FlickrTarget::Album {
                user: (*user).to_string(),
                set_id: (*id).to_string(),
            })
        }
        ["photos", user, id, ..] if is_user(user) => Some(FlickrTarget::Photo {
            user: (*user).to_string(),
            photo_id: digits(id)?,
        }),
        _ => None,
    }
}

/// Whether `user` is an NSID (`12345678@N02`), Flickr's own account id, rather than a path alias.
///
/// The API wants NSIDs; only a path alias needs `flickr.urls.lookupUser` first.
pub fn is_nsid(user: &str) -> bool {
    let Some((number, suffix)) = user.split_once("@N") else {
        return false;
    };
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    (5..=11).contains(&number.len())
        && all_digits(number)
        && suffix.len() == 2
        && all_digits(suffix)
}

/// A path alias or NSID as it may appear in a URL path; anything else is not a Flickr user.
pub(crate) fn is_user(user: &str) -> bool {
    !user.is_empty()
        && user.len() <= 64
        && user
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'@' | b'.'))
}

/// What may follow an album id and still mean the whole album.
fn is_album_suffix(rest: &[&str]) -> bool {
    match rest {
        [] => true,
        [page] => page
            .strip_prefix("page")
            .is_some_and(|n| digits(n).is_some()),
        ["with", photo] => digits(photo).is_some(),
        _ => false,
    }
}

/// The Flickr photo id behind a photo page URL (`https://www.flickr.com/photos/cnes/45539063392/`)
/// or a feed guid (`tag:flickr.com,2004:/photo/45539063392`), or `None`.
///
/// A photo found through a feed and through the API must be the same item, `flickr:<id>`.
pub fn photo_id(text: &str) -> Option<String> {
    photo_id_of(&url::Url::parse(text.trim()).ok()?)
}

/// As [`photo_id`], for a URL already parsed.
pub fn photo_id_of(url: &Url) -> Option<String> {
    if url.scheme() == "tag" {
        let rest = url.path().strip_prefix("flickr.com,")?;
        let id = rest.split_once(":/photo/")?.1;
        return digits(id.trim_end_matches('/'));
    }
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

/// `text` when it is a plausible Flickr id: ASCII digits only, not absurdly long.
pub(crate) fn digits(text: &str) -> Option<String> {
    (!text.is_empty() && text.len() <= 20 && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn photo_id_reads_pages_and_guids() {
        for (text, id) in [
            (
                "https://www.flickr.com/photos/cnes/45539063392/",
                Some("45539063392"),
            ),
            (
                "https://flickr.com/photos/12345678@N02/45539063392/in/album-721/",
                Some("45539063392"),
            ),
            (
                "tag:flickr.com,2004:/photo/45539063392",
                Some("45539063392"),
            ),
            (
                "tag:flickr.com,2005:/photo/45539063392",
                Some("45539063392"),
            ),
            (
                "https://www.flickr.com/photos/cnes/albums/72157704555614144",
                None,
            ),
            ("https://www.flickr.com/photos/cnes/", None),
            ("https://example.com/photos/cnes/45539063392/", None),
            ("not a url", None),
        ] {
            assert_eq!(photo_id(text).as_deref(), id, "{text}");
        }
    }

    fn target(text: &str) -> Option<FlickrTarget> {
        recognize(&Url::parse(text).expect("test URLs parse"))
    }

    fn album(user: &str, set_id: &str) -> Option<FlickrTarget> {
        Some(FlickrTarget::Album {
            user: user.into(),
            set_id: set_id.into(),
        })
    }

    fn photo(user: &str, photo_id: &str) -> Option<FlickrTarget> {
        Some(FlickrTarget::Photo {
            user: user.into(),
            photo_id: photo_id.into(),
        })
    }

    #[test]
    fn recognizes_albums_on_every_host_and_form() {
        let set = "72157704555614144";
        for text in [
            "https://www.flickr.com/photos/cnes/albums/72157704555614144",
            "https://www.flickr.com/photos/cnes/albums/72157704555614144/",
            "https://flickr.com/photos/cnes/sets/72157704555614144",
            "http://m.flickr.com/photos/cnes/albums/72157704555614144/page3",
            "https://secure.flickr.com/photos/cnes/sets/72157704555614144/page12/",
            "https://WWW.Flickr.com/photos/cnes/albums/72157704555614144?foo=bar#top",
            "https://www.flickr.com/photos/cnes/sets/72157704555614144/with/45539063392/",
        ] {
            assert_eq!(target(text), album("cnes", set), "{text}");
        }
        assert_eq!(
            target("https://www.flickr.com/photos/12345678@N02/albums/721576"),
            album("12345678@N02", "721576")
        );
    }

    #[test]
    fn recognizes_photo_and_video_pages() {
        for text in [
            "https://www.flickr.com/photos/cnes/45539063392/",
            "https://www.flickr.com/photos/cnes/45539063392",
            "https://www.flickr.com/photos/cnes/45539063392/in/album-72157704555614144/",
            "https://m.flickr.com/photos/cnes/45539063392/in/photostream/",
        ] {
            assert_eq!(target(text), photo("cnes", "45539063392"), "{text}");
        }
        assert_eq!(
            target("https://secure.flickr.com/photos/141938346@N05/46452147131/"),
            photo("141938346@N05", "46452147131")
        );
    }

    #[test]
    fn rejects_everything_else() {
        for text in [
            "https://www.flickr.com/photos/cnes/",
            "https://www.flickr.com/photos/cnes/albums",
            "https://www.flickr.com/photos/cnes/albums/",
            "https://www.flickr.com/photos/cnes/albums/notanumber",
            "https://www.flickr.com/photos/cnes/albums/721/page",
            "https://www.flickr.com/photos/cnes/albums/721/page2x",
            "https://www.flickr.com/photos/cnes/albums/721/something/else",
            "https://www.flickr.com/photos/cnes/galleries/72157704555614144/",
            "https://www.flickr.com/photos//albums/721",
            "https://www.flickr.com/photos/cnes/page2",
            "https://www.flickr.com/groups/cnes/pool/",
            "https://www.flickr.com/people/cnes/",
            "https://live.staticflickr.com/4876/45539063392_3b5c2a1f9e_b.jpg",
            "https://flic.kr/p/2cdRxB1",
            "https://example.com/photos/cnes/albums/721",
            "https://notflickr.com/photos/cnes/45539063392/",
            "ftp://www.flickr.com/photos/cnes/45539063392/",
            "https://www.flickr.com/photos/c%20nes/45539063392/",
        ] {
            assert_eq!(target(text), None, "{text}");
        }
    }

    #[test]
    fn nsids_are_told_from_path_aliases() {
        for user in [
            "12345678@N02",
            "141938346@N05",
            "12345@N00",
            "12345678901@N99",
        ] {
            assert!(is_nsid(user), "{user}");
        }
        for user in [
            "cnes",
            "1234@N02",
            "123456789012@N02",
            "12345678@N2",
            "12345678@N023",
            "12345678@X02",
            "abcdefgh@N02",
            "12345678@N0a",
            "",
        ] {
            assert!(!is_nsid(user), "{user}");
        }
    }
}

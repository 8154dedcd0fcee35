//! What a NASA Image and Video Library URL names: an asset, a search, an album, or a file
//! of an asset.

use url::Url;

/// What a NASA library URL shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// One asset (`/details/{nasa_id}`, formerly `/details-{nasa_id}`).
    Asset(String),
    /// A search's results, with the search's own parameters (`q`, `media_type`, years…).
    Search(Vec<(String, String)>),
    /// An album (`/album/{name}`).
    Album(String),
}

/// The search parameters the API knows; others (`page`, tracking) are dropped.
const SEARCH_PARAMS: [&str; 12] = [
    "q",
    "center",
    "description",
    "keywords",
    "location",
    "media_type",
    "nasa_id",
    "photographer",
    "secondary_creator",
    "title",
    "year_start",
    "year_end",
];

/// What `url` names on images.nasa.gov, or `None`.
pub fn recognize(url: &Url) -> Option<Target> {
    if !matches!(url.scheme(), "http" | "https") || url.host_str()? != "images.nasa.gov" {
        return None;
    }
    let segments: Vec<String> = url
        .path_segments()?
        .filter(|s| !s.is_empty())
        .map(decode)
        .collect();
    match segments
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["details", id] => Some(Target::Asset((*id).to_string())),
        [one] if one.starts_with("details-") => Some(Target::Asset(
            one.trim_start_matches("details-").to_string(),
        )),
        ["album", name] => Some(Target::Album((*name).to_string())),
        ["search" | "search-results"] => {
            let params: Vec<(String, String)> = url
                .query_pairs()
                .filter(|(k, v)| SEARCH_PARAMS.contains(&k.as_ref()) && !v.trim().is_empty())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect();
            (!params.is_empty()).then_some(Target::Search(params))
        }
        _ => None,
    }
    .filter(|t| !matches!(t, Target::Asset(id) | Target::Album(id) if id.trim().is_empty()))
}

/// The asset a file of the library belongs to:
/// `images-assets.nasa.gov/{image,video,audio}/{nasa_id}/…`.
pub fn asset_of_file(url: &Url) -> Option<String> {
    if url.host_str()? != "images-assets.nasa.gov" {
        return None;
    }
    let mut segments = url.path_segments()?;
    let media = segments.next()?;
    let id = decode(segments.next()?);
    (matches!(media, "image" | "video" | "audio") && !id.is_empty()).then_some(id)
}

/// A path segment, percent-decoded (ids may hold spaces and accents).
fn decode(segment: &str) -> String {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = (bytes[i] == b'%')
            .then(|| bytes.get(i + 1..i + 3))
            .flatten()
            .and_then(|h| u8::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok());
        match hex {
            Some(byte) => {
                out.push(byte);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The public page of an asset.
pub fn details_url(id: &str) -> String {
    let mut url = Url::parse("https://images.nasa.gov/details/").expect("a valid base");
    url.path_segments_mut()
        .expect("a base with a path")
        .pop_if_empty()
        .push(id);
    url.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(text: &str) -> Option<Target> {
        recognize(&Url::parse(text).unwrap())
    }

    #[test]
    fn assets_searches_albums_and_files() {
        assert_eq!(
            of("https://images.nasa.gov/details/iss057e114297"),
            Some(Target::Asset("iss057e114297".into()))
        );
        assert_eq!(
            of("https://images.nasa.gov/details-NHQ_2019_0626_Earth%20Views%20from%20the%20ISS"),
            Some(Target::Asset(
                "NHQ_2019_0626_Earth Views from the ISS".into()
            ))
        );
        assert_eq!(
            of("https://images.nasa.gov/search?q=kourou&media=image&page=2&media_type=image"),
            Some(Target::Search(vec![
                ("q".into(), "kourou".into()),
                ("media_type".into(), "image".into())
            ]))
        );
        assert_eq!(
            of("https://images.nasa.gov/album/Apollo"),
            Some(Target::Album("Apollo".into()))
        );
        assert_eq!(of("https://images.nasa.gov/search?page=2"), None);
        assert_eq!(of("https://www.nasa.gov/details/x"), None);
        let file =
            Url::parse("http://images-assets.nasa.gov/image/iss057e114297/iss057e114297~orig.jpg")
                .unwrap();
        assert_eq!(asset_of_file(&file).as_deref(), Some("iss057e114297"));
        assert_eq!(
            details_url("NHQ_2019 Views"),
            "https://images.nasa.gov/details/NHQ_2019%20Views"
        );
    }
}

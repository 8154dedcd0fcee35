//! Deciding how to read a link: through an API, as a page, or not at all.

use url::Url;

use crate::extract::oembed::{self, Embed};
use crate::flickr::{self, FlickrTarget};

/// How a URL is read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    /// A Flickr album or photo: read through the REST API, not by scraping its page.
    Flickr(FlickrTarget),
    /// A video on YouTube, Vimeo or Dailymotion: described by the platform's oEmbed answer.
    Embed(Embed),
    /// A page: fetched and extracted.
    Page,
    /// A file the crawl should not download (an image, a video, an archive).
    Skip,
}

/// File endings of downloads that are not pages: fetching them would cost bandwidth and the
/// body limit for nothing the extractors can read.
const DOWNLOADS: [&str; 24] = [
    "jpg", "jpeg", "png", "gif", "webp", "tif", "tiff", "heic", "mp4", "mov", "m4v", "webm", "avi",
    "mkv", "mp3", "wav", "m4a", "zip", "pdf", "doc", "docx", "ppt", "pptx", "xlsx",
];

/// Chooses how to read `url`.
pub(super) fn route(url: &Url) -> Route {
    if let Some(target) = flickr::urls::recognize(url) {
        return Route::Flickr(target);
    }
    if let Some(embed) = oembed::recognize(url) {
        return Route::Embed(embed);
    }
    let extension = url
        .path_segments()
        .and_then(|mut s| s.next_back())
        .and_then(|last| last.rsplit_once('.'))
        .map(|(_, ext)| ext.to_ascii_lowercase());
    match extension {
        Some(ext) if DOWNLOADS.contains(&ext.as_str()) => Route::Skip,
        _ => Route::Page,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn route_of(url: &str) -> Route {
        route(&Url::parse(url).unwrap())
    }

    #[test]
    fn routes_albums_to_the_api_downloads_to_nowhere_and_the_rest_to_pages() {
        assert!(matches!(
            route_of("https://www.flickr.com/photos/cnes/albums/72157704555614144"),
            Route::Flickr(_)
        ));
        assert_eq!(
            route_of("https://cnes.fr/sites/default/files/kit_HD.JPG"),
            Route::Skip
        );
        assert_eq!(
            route_of("https://cnes.fr/dossier-de-presse.pdf"),
            Route::Skip
        );
        assert_eq!(route_of("https://cnes.fr/en/live"), Route::Page);
        assert_eq!(
            route_of("https://videotheque.cnes.fr/index.php?urlaction=commande&id_panier=4378"),
            Route::Page
        );
    }
}

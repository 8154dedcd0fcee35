//! Links the crawl leaves alone: files to download, not pages to read.

use url::Url;

/// File endings of downloads that are not pages: fetching them would cost bandwidth and the
/// body limit for nothing a source can read.
const DOWNLOADS: [&str; 24] = [
    "jpg", "jpeg", "png", "gif", "webp", "tif", "tiff", "heic", "mp4", "mov", "m4v", "webm", "avi",
    "mkv", "mp3", "wav", "m4a", "zip", "pdf", "doc", "docx", "ppt", "pptx", "xlsx",
];

/// Whether `url` names a file by its ending (`kit_HD.JPG`, `dossier.pdf`).
pub(super) fn is_download(url: &Url) -> bool {
    url.path_segments()
        .and_then(|mut s| s.next_back())
        .and_then(|last| last.rsplit_once('.'))
        .is_some_and(|(_, ext)| DOWNLOADS.contains(&ext.to_ascii_lowercase().as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn download(url: &str) -> bool {
        is_download(&Url::parse(url).unwrap())
    }

    #[test]
    fn files_are_downloads_and_pages_are_not() {
        assert!(download("https://cnes.fr/sites/default/files/kit_HD.JPG"));
        assert!(download("https://cnes.fr/dossier-de-presse.pdf"));
        assert!(!download("https://cnes.fr/en/live"));
        assert!(!download("https://cnes.fr/en/v1.2/"));
        assert!(!download(
            "https://videotheque.cnes.fr/index.php?urlaction=commande&id_panier=4378"
        ));
    }
}

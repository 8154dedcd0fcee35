//! An HTML page through the crawl's own entry (`Registry::extract`): the release reader,
//! JSON-LD, Open Graph, gallery captions, oEmbed discovery, announced feeds, and on their
//! own URLs Flickr's album page and Opsis Media's listings and records. The first byte
//! chooses where the page was read from, so that each site-specific reader gets its turn.
#![no_main]

use archive::model::Role;
use archive_fuzz::{extract, page, pick};
use libfuzzer_sys::fuzz_target;

const WHERE: [(&str, Option<&str>, Role); 7] = [
    (
        "https://press.example.org/news/release.html",
        Some("text/html"),
        Role::Seed,
    ),
    (
        "https://press.example.org/news/release.html",
        None,
        Role::Linked,
    ),
    (
        "https://media.example.org/index.php?urlaction=doc&id_doc=25312",
        Some("text/html"),
        Role::Linked,
    ),
    (
        "https://media.example.org/index.php?urlaction=panier&id_panier=4378",
        Some("text/html"),
        Role::Linked,
    ),
    (
        "https://www.flickr.com/photos/cnes/albums/72157704555614144",
        Some("text/html"),
        Role::Linked,
    ),
    (
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        Some("text/html"),
        Role::Linked,
    ),
    (
        "https://press.example.org/kit/",
        Some("application/xhtml+xml"),
        Role::Linked,
    ),
];

fuzz_target!(|data: &[u8]| {
    if let Some(((url, content_type, role), body)) = pick(data, &WHERE) {
        extract(&page(url, *content_type, body, *role));
    }
});

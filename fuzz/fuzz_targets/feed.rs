//! An RSS or Atom feed, declared or sniffed, through the crawl's entry
//! (`Registry::extract`). The first byte chooses the declared type and the feed's host
//! (Flickr's feeds name Flickr photos, YouTube's name videos).
#![no_main]

use archive::model::Role;
use archive_fuzz::{extract, page, pick};
use libfuzzer_sys::fuzz_target;

const WHERE: [(&str, Option<&str>); 6] = [
    (
        "https://press.example.org/feed.xml",
        Some("application/rss+xml"),
    ),
    (
        "https://press.example.org/atom.xml",
        Some("application/atom+xml"),
    ),
    ("https://press.example.org/feed", Some("application/xml")),
    ("https://press.example.org/feed", Some("text/xml")),
    ("https://press.example.org/feed", None),
    (
        "https://api.flickr.com/services/feeds/photoset.gne?set=72157704555614144&nsid=38194218@N05",
        Some("application/rss+xml"),
    ),
];

fuzz_target!(|data: &[u8]| {
    if let Some(((url, content_type), body)) = pick(data, &WHERE) {
        extract(&page(url, *content_type, body, Role::Linked));
    }
});

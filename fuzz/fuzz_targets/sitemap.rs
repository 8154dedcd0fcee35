//! A sitemap or sitemap index, declared or sniffed, through the crawl's entry
//! (`Registry::extract`).
#![no_main]

use archive::model::Role;
use archive_fuzz::{extract, page, pick};
use libfuzzer_sys::fuzz_target;

const TYPES: [Option<&str>; 3] = [Some("application/xml"), Some("text/xml"), None];

fuzz_target!(|data: &[u8]| {
    if let Some((content_type, body)) = pick(data, &TYPES) {
        let url = "https://press.example.org/sitemap.xml";
        extract(&page(url, *content_type, body, Role::Linked));
    }
});

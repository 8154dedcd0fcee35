//! A release pasted as text or Markdown, through the crawl's entry (`Registry::extract`).
#![no_main]

use archive::model::Role;
use archive_fuzz::{extract, page, pick};
use libfuzzer_sys::fuzz_target;

const TYPES: [&str; 3] = ["text/plain", "text/markdown", "text/x-markdown"];

fuzz_target!(|data: &[u8]| {
    if let Some((content_type, body)) = pick(data, &TYPES) {
        let url = "file:///home/desk/releases/release.txt";
        extract(&page(url, Some(content_type), body, Role::Seed));
    }
});

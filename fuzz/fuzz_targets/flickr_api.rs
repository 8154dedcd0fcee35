//! A Flickr REST answer (`flickr.photosets.getPhotos`, JSON, errors inside HTTP 200) read
//! into items, as the crawl reads each page of an album.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = archive::sources::flickr::album_page_items(data);
});

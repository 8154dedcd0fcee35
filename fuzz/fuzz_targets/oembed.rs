//! An oEmbed provider's answer applied to the item it describes.
#![no_main]

use archive::model::{Item, Kind, Source};
use archive::sources::oembed;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let body = String::from_utf8_lossy(data);
    let mut item = Item::new("youtube:dQw4w9WgXcQ", Kind::Video, Source::Oembed);
    item.page_url = Some("https://www.youtube.com/watch?v=dQw4w9WgXcQ".into());
    let _ = oembed::apply(&mut item, &body);
});

//! Dailymotion's answers: a video object, a listing page, an owner, an error.
#![no_main]

use archive::sources::dailymotion::items;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let Ok(answer) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    let _ = items::error(&answer);
    let _ = items::listing(&answer);
    let _ = items::owner(&answer);
    let _ = items::video(&answer);
});

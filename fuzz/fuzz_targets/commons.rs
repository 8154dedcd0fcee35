//! A Wikimedia Commons API answer (`extmetadata` with HTML, per-language values, numbers
//! as strings, errors in HTTP 200).
#![no_main]

use archive::sources::commons::items;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let Ok(answer) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    let _ = items::error(&answer);
    let _ = items::batch(&answer, &["fr", "en"]);
});

//! Vimeo's answers: a video object, a listing page and its paging, an error, and the
//! public RSS feed. The first byte chooses JSON or the feed.
#![no_main]

use archive::sources::vimeo::items;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let Some((which, body)) = data.split_first() else {
        return;
    };
    if which % 2 == 0 {
        let _ = items::feed(&String::from_utf8_lossy(body));
        return;
    }
    let Ok(answer) = serde_json::from_slice::<Value>(body) else {
        return;
    };
    let _ = items::error(&answer);
    let _ = items::has_next(&answer);
    let _ = items::page(&answer);
    let _ = items::video(&answer);
});

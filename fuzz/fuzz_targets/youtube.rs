//! YouTube's answers: a `videos.list` resource, a `playlistItems.list` page, Google's error
//! envelope, and the keyless Atom feed. The first byte chooses the reader.
#![no_main]

use archive::sources::youtube::{feed, items};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let Some((which, body)) = data.split_first() else {
        return;
    };
    if which % 2 == 0 {
        let _ = feed::read(&String::from_utf8_lossy(body));
        return;
    }
    let Ok(answer) = serde_json::from_slice::<Value>(body) else {
        return;
    };
    let _ = items::error(&answer);
    let _ = items::playlist_page(&answer);
    let _ = items::video(&answer);
    for resource in answer
        .get("items")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let _ = items::video(resource);
    }
});

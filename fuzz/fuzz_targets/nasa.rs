//! NASA Image and Video Library answers: a search hit, an asset manifest applied to it,
//! and `metadata.json` applied to it, and the API's error.
#![no_main]

use archive::model::{Item, Kind, Source};
use archive::sources::nasa::items;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let Ok(answer) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    let _ = items::error(&answer);
    let hits = search_hits(&answer);
    let mut item = items::hit(&answer)
        .or_else(|| hits.iter().find_map(items::hit))
        .unwrap_or_else(|| Item::new("nasa:PIA00001", Kind::Photo, Source::Nasa));
    let manifest = items::manifest(&answer);
    items::apply_manifest(&mut item, &manifest);
    items::apply_metadata(&mut item, &answer);
    if let Some(first) = answer.as_array().and_then(|list| list.first()) {
        items::apply_metadata(&mut item, first);
    }
});

/// The hits of a search answer (`collection.items`).
fn search_hits(answer: &Value) -> Vec<Value> {
    answer
        .pointer("/collection/items")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

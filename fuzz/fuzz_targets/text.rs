//! The text helpers every reader shares: dates as sites write them, dates in prose, HTML
//! fragments to text, and whitespace cleaning. The first byte chooses the helper.
#![no_main]

use archive::media::{dates, text};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((which, body)) = data.split_first() else {
        return;
    };
    let input = String::from_utf8_lossy(body);
    match which % 4 {
        0 => drop(dates::parse(&input)),
        1 => drop(dates::first_in_prose(&input)),
        2 => {
            if let Some(plain) = text::html_to_text(&input) {
                assert!(!plain.chars().any(text::is_hidden_control), "{plain:?}");
            }
        }
        _ => {
            if let Some(plain) = text::clean(&input) {
                assert!(!plain.chars().any(text::is_hidden_control), "{plain:?}");
            }
        }
    }
});

//! A WARC file someone else wrote, replayed: every record read, every recorded URL looked
//! up again.
#![no_main]

use archive::warcfile::Replay;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(replay) = Replay::from_bytes(data) {
        let urls: Vec<_> = replay.urls().cloned().collect();
        assert_eq!(urls.len(), replay.len());
        for url in &urls {
            assert!(replay.lookup(url).is_some(), "{url} listed but not found");
        }
    }
});

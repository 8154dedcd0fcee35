//! The built-in demo: a small synthetic CSO/VS20 campaign, replayed from a WARC file that is
//! compiled into the binary, so `archive crawl` works on any machine without a network.
//!
//! The pages and API answers are invented, in the formats the real sites use. They live under
//! `tests/fixtures/site/`; the WARC is recorded from them by the project's own fixture server:
//!
//! ```sh
//! ARCHIVE_REGENERATE_DEMO=1 cargo test --test it demo::
//! ```
//!
//! and `cargo test --test it demo::` fails whenever the fixtures and this WARC disagree.

/// The recorded exchanges.
pub const WARC: &[u8] = include_bytes!("cso-vs20.warc");

/// The press release the demo starts from.
pub const SEED: &str =
    "https://press.cnes.example/en/next-soyuz-mission-csg-launch-cso-1-satellite";

/// The Flickr API base the demo was recorded against: the real one, as a crawl would use.
pub const FLICKR_API_URL: &str = "https://api.flickr.com";

//! Shared test support: a loopback HTTP server and fixture helpers.
#![allow(dead_code, unreachable_pub)]

pub mod server;

use std::path::PathBuf;

/// The path of a file under `tests/fixtures/`.
pub fn fixture_path(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(relative)
}

/// The contents of a file under `tests/fixtures/`.
pub fn fixture(relative: &str) -> String {
    let path = fixture_path(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

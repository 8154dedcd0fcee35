//! What the integration tests and the benchmark harness share: a real HTTP/1.1 server on
//! loopback ([`server`]), and the fixture site of `tests/fixtures/` with its `{{host:NAME}}`
//! links ([`site`]).
//!
//! It is a package of this workspace, never published: it finds the fixtures beside itself,
//! in the repository.

pub mod platforms;
pub mod server;
pub mod site;

use std::path::{Path, PathBuf};

/// The path of a file under `tests/fixtures/`.
pub fn fixture_path(relative: &str) -> PathBuf {
    fixtures().join(relative)
}

/// The contents of a file under `tests/fixtures/`.
///
/// # Panics
/// When the file cannot be read.
pub fn fixture(relative: &str) -> String {
    let path = fixture_path(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

/// `tests/fixtures/` of the workspace this package is part of.
fn fixtures() -> PathBuf {
    let support = Path::new(env!("CARGO_MANIFEST_DIR"));
    support
        .parent()
        .unwrap_or(support)
        .join("tests")
        .join("fixtures")
}

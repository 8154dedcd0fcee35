//! Shared test support: a loopback HTTP server and fixture helpers.

pub(crate) mod cli;
#[allow(unreachable_pub)] // Until the server moves to a package of its own.
pub(crate) mod server;

use std::path::PathBuf;
use std::process::{Command, Output};

/// The path of a file under `tests/fixtures/`.
pub(crate) fn fixture_path(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(relative)
}

/// The contents of a file under `tests/fixtures/`.
pub(crate) fn fixture(relative: &str) -> String {
    let path = fixture_path(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}
#[allow(unreachable_pub)] // Until the fixture site moves to a package of its own.
pub(crate) mod site;

/// The warcio command line: the `warcio` script, or the module if only that is installed.
pub(crate) fn warcio() -> Vec<String> {
    let candidates = [vec!["warcio"], vec!["python3", "-m", "warcio"]];
    for candidate in candidates {
        let works = Command::new(candidate[0])
            .args(&candidate[1..])
            .arg("--version")
            .output()
            .is_ok_and(|out| out.status.success());
        if works {
            return candidate.into_iter().map(String::from).collect();
        }
    }
    panic!(
        "warcio is not installed, and this test needs it to check our WARC files with a \
         third-party reader: run `pip install warcio`"
    );
}

pub(crate) fn run_warcio(args: &[&str]) -> Output {
    let command = warcio();
    let output = Command::new(&command[0])
        .args(&command[1..])
        .args(args)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "warcio {args:?} exited with {}:\nstdout: {}\nstderr: {}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}
pub(crate) mod album;

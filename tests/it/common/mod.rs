//! Helpers the test modules share: running the `archive` binary, album stand-ins, warcio. The
//! loopback server and the fixture site are in the `archive-test-support` package, which the
//! benchmarks use too.

pub(crate) mod album;
pub(crate) mod cli;
pub(crate) mod serve;

use std::process::{Command, Output};

pub(crate) use archive_test_support::{fixture, fixture_path};

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

//! Running the `archive` binary from tests.

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// Runs the binary with a clean environment for what it reads.
pub(crate) fn archive(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_archive"));
    command
        .args(args)
        .env_remove("ARCHIVE_INDEX")
        // Panics are reported as users see them, not with the default hook's trace.
        .env_remove("RUST_BACKTRACE")
        .env_remove("FLICKR_API_KEY")
        .env_remove("FLICKR_API_URL")
        .env_remove("YOUTUBE_API_KEY")
        .env_remove("VIMEO_TOKEN")
        .env("NO_COLOR", "1")
        .env_remove("HTTP_PROXY")
        .env_remove("http_proxy")
        .env_remove("ALL_PROXY")
        .env_remove("all_proxy")
        .stdin(Stdio::null());
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().expect("the archive binary runs")
}

pub(crate) fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub(crate) fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

pub(crate) fn assert_ok(output: &Output) {
    assert!(
        output.status.success(),
        "exit {:?}\nstdout:\n{}\nstderr:\n{}",
        output.status.code(),
        stdout(output),
        stderr(output)
    );
}

/// `archive search QUERY --json` as parsed items, the first 100.
pub(crate) fn search(index: &Path, query: &str) -> Vec<Value> {
    search_up_to(index, query, "100")
}

/// Every item in the index, as `archive search --json` gives them.
pub(crate) fn everything(index: &Path) -> Vec<Value> {
    search_up_to(index, "", "100000")
}

fn search_up_to(index: &Path, query: &str, limit: &str) -> Vec<Value> {
    let output = archive(
        &[
            "search",
            query,
            "--json",
            "--limit",
            limit,
            "--index",
            index.to_str().unwrap(),
        ],
        &[],
    );
    assert_ok(&output);
    stdout(&output)
        .lines()
        .map(|line| serde_json::from_str(line).expect("one JSON object a line"))
        .collect()
}

pub(crate) fn ids(items: &[Value]) -> Vec<String> {
    let mut ids: Vec<String> = items
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids
}

pub(crate) fn by_id(mut items: Vec<Value>) -> Vec<Value> {
    items.sort_by(|a, b| a["id"].as_str().cmp(&b["id"].as_str()));
    items
}

/// The items sorted by id, without the dates that only say when a crawl ran, for comparing
/// what two crawls found.
pub(crate) fn contents(items: Vec<Value>) -> Vec<Value> {
    let mut items = by_id(items);
    for item in &mut items {
        item["first_seen"] = Value::Null;
        item["last_seen"] = Value::Null;
    }
    items
}

pub(crate) fn find<'a>(items: &'a [Value], id: &str) -> &'a Value {
    items
        .iter()
        .find(|i| i["id"] == id)
        .unwrap_or_else(|| panic!("{id} not found in {:?}", ids(items)))
}

/// The "in all" row of a crawl summary: items added, updated, unchanged and gone.
pub(crate) fn totals(summary: &str) -> [usize; 4] {
    let row = summary
        .lines()
        .find(|l| l.trim_start().starts_with("in all"))
        .unwrap_or_else(|| panic!("no totals in the summary:\n{summary}"));
    let numbers: Vec<usize> = row
        .split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect();
    numbers
        .try_into()
        .unwrap_or_else(|_| panic!("odd totals row: {row}"))
}

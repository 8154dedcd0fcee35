//! `archive search`, `show` and `campaigns` end to end: the binary on a fixture archive.

use crate::common;
use crate::search_support;

use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

use common::cli::{archive, assert_ok, stderr, stdout};
use search_support::{PR208, fixture, index_dir, index_of, items, v1};

fn run(index: &Path, args: &[&str]) -> std::process::Output {
    let mut all: Vec<&str> = args.to_vec();
    all.extend(["--index", index.to_str().unwrap()]);
    archive(&all, &[])
}

fn ok(index: &Path, args: &[&str]) -> String {
    let output = run(index, args);
    assert_ok(&output);
    stdout(&output)
}

fn json_lines(text: &str) -> Vec<Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object a line"))
        .collect()
}

fn ids(values: &[Value]) -> Vec<&str> {
    values.iter().filter_map(|v| v["id"].as_str()).collect()
}

#[test]
fn the_table_starts_with_a_summary_and_has_no_colour_in_a_pipe() {
    let (dir, _index) = fixture();
    let text = ok(&index_dir(&dir), &["search", "vs20"]);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "7 items (4 photos, 2 videos, 1 article) in VS20, CSO, VS21"
    );
    assert_eq!(lines[1], "");
    assert!(
        lines[2].starts_with("TITLE") && lines[2].contains("CREDIT · LICENCE"),
        "{text}"
    );
    // The title column is as wide as the longest title, the release's (53 characters), and
    // the credit column as the widest credit, cut to fit.
    assert_eq!(
        lines[3],
        format!(
            "{:<53}  video    2018-12-20  {:<32}  VS20",
            "VS20 launch highlights", "—"
        )
    );
    assert_eq!(lines[4], "  https://media.example/highlights.mp4");
    let pad = format!(
        "{:<53}  photo    2018-12-17  CNES/ESA/Arianes… · CC BY-SA 2.0  CSO, VS20",
        "Soyuz VS20 on the launch pad"
    );
    let at = lines.iter().position(|l| *l == pad).expect("the pad's row");
    assert_eq!(lines[at + 1], "  https://www.flickr.com/photos/cnes/1001/");
    assert_eq!(lines.len(), 3 + 2 * 7, "{text}");
    assert!(!text.contains('\u{1b}'), "no colour into a pipe");

    let coloured = ok(&index_dir(&dir), &["search", "vs20", "--color", "always"]);
    assert!(
        coloured.contains("\u{1b}[33m\u{1b}[1mVS20\u{1b}[0m"),
        "{coloured:?}"
    );
    assert_eq!(console::strip_ansi_codes(&coloured), text);

    let limited = ok(&index_dir(&dir), &["search", "vs20", "--limit", "2"]);
    assert!(limited.starts_with(
        "7 items (4 photos, 2 videos, 1 article) in VS20, CSO, VS21; showing the first 2 (--limit for more)\n"
    ));
}

#[test]
fn filters_and_sort_combine_with_any_query() {
    let (dir, _index) = fixture();
    let index = index_dir(&dir);
    let found = |args: &[&str]| {
        let mut all = vec!["search", "--json", "--sort", "date"];
        all.extend_from_slice(args);
        json_lines(&ok(&index, &all))
            .iter()
            .map(|v| v["id"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        found(&["vs20", "--kind", "video"]),
        ["https://media.example/highlights.mp4", "flickr:1003"]
    );
    assert_eq!(
        found(&["--kind", "video", "--reusable"]),
        Vec::<String>::new()
    );
    assert_eq!(
        found(&["soyuz", "--reusable"]),
        ["flickr:2001", "flickr:1002", "flickr:1001"]
    );
    assert_eq!(
        found(&["--since", "2018-12-19", "--until", "2018-12-19"]),
        ["flickr:1003", "flickr:1002"]
    );
    assert_eq!(found(&["--campaign", "#VS21"]), ["flickr:2001"]);
    assert_eq!(
        found(&["--source", "feed"]),
        [
            "https://media.example/cleanroom.jpg",
            "https://podcast.example/ep1.mp3"
        ]
    );
    assert_eq!(found(&["--license", "cc by-sa"]), ["flickr:1001"]);
    assert_eq!(
        found(&["taken:[2018-12-18 TO 2018-12-20]"]),
        ["flickr:1003", "flickr:1002"]
    );
    assert_eq!(
        found(&["soyuz", "--limit", "2"]),
        ["flickr:2001", "flickr:1003"]
    );
}

#[test]
fn json_adds_score_snippet_and_credit_line_then_facets() {
    let (dir, _index) = fixture();
    let lines = json_lines(&ok(
        &index_dir(&dir),
        &["search", "fusee", "--json", "--facets"],
    ));
    assert_eq!(lines.len(), 3, "two items and the facets");
    assert_eq!(
        ids(&lines),
        ["https://podcast.example/ep1.mp3", "flickr:1002"]
    );
    let liftoff = &lines[1];
    assert!(liftoff["score"].as_f64().unwrap() > 0.0);
    assert_eq!(
        liftoff["snippet"],
        "Décollage du lanceur Soyuz VS20 : la <b>fusée</b> emporte CSO-1 &lt;vers l&#39;orbite&gt;."
    );
    assert_eq!(
        liftoff["credit_line"],
        "Photo: CNES · CC BY 2.0 · via Flickr"
    );
    assert_eq!(liftoff["reusable"], true);
    assert_eq!(
        liftoff["title"], "Lift-off of Soyuz VS20 with CSO-1",
        "every item field stays"
    );
    assert_eq!(
        lines[2],
        serde_json::json!({"facets": {
            "campaign": [{"value": "CSO", "count": 2}, {"value": "VS20", "count": 1}],
            "kind": [{"value": "audio", "count": 1}, {"value": "photo", "count": 1}],
            "source": [{"value": "feed", "count": 1}, {"value": "flickr", "count": 1}],
            "license": [{"value": "CC BY 2.0", "count": 1}, {"value": "CC BY-ND 4.0", "count": 1}],
            "year": [{"value": "2018", "count": 1}, {"value": null, "count": 1}],
        }})
    );
}

#[test]
fn csv_has_a_header_and_the_json_fields() {
    let (dir, _index) = fixture();
    let text = ok(
        &index_dir(&dir),
        &["search", "vs20", "--csv", "--sort", "date", "--limit", "3"],
    );
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let found: Vec<&str> = rows.iter().map(|r| &r[column("id")]).collect();
    assert_eq!(
        found,
        [
            "flickr:2001",
            "https://media.example/highlights.mp4",
            "flickr:1003"
        ]
    );
    assert_eq!(
        &rows[2][column("credit_line")],
        "Video: CNES · All Rights Reserved · via Flickr"
    );
    assert_eq!(&rows[2][column("reusable")], "false");
    assert_eq!(&rows[2][column("duration_seconds")], "94");

    let json = json_lines(&ok(
        &index_dir(&dir),
        &["search", "vs20", "--json", "--limit", "1"],
    ));
    let mut json_fields: Vec<&String> = json[0].as_object().unwrap().keys().collect();
    json_fields.sort();
    let mut csv_fields: Vec<&String> = header.iter().collect();
    csv_fields.sort();
    assert_eq!(csv_fields, json_fields);
}

#[test]
fn nothing_found_suggests_on_stdout_or_on_stderr_for_scripts() {
    let (dir, _index) = fixture();
    let index = index_dir(&dir);
    let table = run(&index, &["search", "vs02"]);
    assert_ok(&table);
    assert_eq!(
        stdout(&table),
        "No item matches `vs02`. Did you mean: vs20?\n"
    );
    for format in ["--json", "--csv"] {
        let output = run(&index, &["search", "vs02", format]);
        assert_ok(&output);
        assert_eq!(
            stderr(&output),
            "No item matches `vs02`. Did you mean: vs20?\n",
            "{format}"
        );
        let text = stdout(&output);
        if format == "--json" {
            assert_eq!(text, "", "no result, no line");
        } else {
            assert_eq!(text.lines().count(), 1, "only the header: {text}");
        }
    }
    let filtered = run(&index, &["search", "vs20", "--kind", "audio"]);
    assert_eq!(
        stdout(&filtered),
        "No item matches `vs20` with these filters.\n"
    );
}

#[test]
fn nonsense_is_refused_with_a_clear_message() {
    let (dir, _index) = fixture();
    let index = index_dir(&dir);
    for (args, expected) in [
        (
            &["search", "vs20", "--json", "--csv"][..],
            "cannot be used with",
        ),
        (
            &["search", "vs20", "--limit", "0"][..],
            "0 is not in 1..=100000",
        ),
        (
            &[
                "search",
                "vs20",
                "--since",
                "2018-12-20",
                "--until",
                "2018-12-18",
            ][..],
            "--since 2018-12-20 00:00:00 UTC is after --until 2018-12-18 23:59:59 UTC",
        ),
        (
            &["search", "vs20", "--since", "2018-12-32"][..],
            "`2018-12-32` is not a date",
        ),
        (
            &["search", "taken:[2018-12-32 TO 2019]"][..],
            "`2018-12-32` is not a date",
        ),
        (&["search", "colour:red"][..], "unknown field `colour:`"),
        (
            &["search", "vs20", "--kind", "poster"][..],
            "possible values: photo, video, audio, article",
        ),
        (
            &["show", "flickr:999"][..],
            "no item `flickr:999` in the index",
        ),
    ] {
        let output = run(&index, args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let err = stderr(&output);
        assert!(err.contains(expected), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert_eq!(stdout(&output), "", "{args:?}");
    }
}

#[test]
fn unreadable_queries_exit_2_with_a_marker_and_never_overflow_the_stack() {
    let (dir, _index) = fixture();
    let index = index_dir(&dir);
    let output = run(&index, &["search", "title:(soyuz"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        "archive: cannot read the query `title:(soyuz`: check its quotes, brackets and \
         parentheses: the parenthesis at character 7 is never closed\n  title:(soyuz\n        ^\n"
    );
    let deep = format!("{}soyuz{}", "(".repeat(10_000), ")".repeat(10_000));
    let output = run(&index, &["search", &deep]);
    assert_eq!(output.status.code(), Some(2), "not 134, a stack overflow");
    assert!(
        stderr(&output).contains("more than 20 deep"),
        "{}",
        stderr(&output)
    );
    for query in [
        "L'Enigme",
        "d'improvisation",
        "doesn't",
        "Yoon's party",
        "aujourd’hui",
    ] {
        assert_ok(&run(&index, &["search", query]));
    }
}

#[test]
fn show_prints_credit_licence_sizes_and_provenance() {
    let (dir, _index) = fixture();
    let text = ok(&index_dir(&dir), &["show", "flickr:1001"]);
    for expected in [
        "Soyuz VS20 on the launch pad\nflickr:1001 · photo\n",
        "Credit       Photo: CNES/ESA/Arianespace – S. Martin · CC BY-SA 2.0 · via Flickr\n",
        "Licence      CC BY-SA 2.0 — reusable with credit\n             https://creativecommons.org/licenses/by-sa/2.0/\n",
        "  Page       https://www.flickr.com/photos/cnes/1001/\n",
        "  Original    5472×3648  https://live.staticflickr.com/1/1001_o.jpg\n",
        "  Large 2048  2048×1365  https://live.staticflickr.com/1/1001_k.jpg\n",
        "  Found via  https://press.example/pr208\n",
        "  Collection CSO-1 – Soyuz VS20\n             https://www.flickr.com/photos/cnes/albums/72157704555614144\n",
        "  Source     the Flickr API\n",
    ] {
        assert!(text.contains(expected), "{expected:?} not in:\n{text}");
    }
    let by_link = ok(
        &index_dir(&dir),
        &["show", "https://www.flickr.com/photos/cnes/1001/"],
    );
    assert_eq!(by_link, text);

    let json = json_lines(&ok(&index_dir(&dir), &["show", "1003", "--json"]));
    assert_eq!(json.len(), 1);
    assert_eq!(json[0]["id"], "flickr:1003");
    assert_eq!(
        json[0]["credit_line"],
        "Video: CNES · All Rights Reserved · via Flickr"
    );
    assert_eq!(json[0]["license_class"], "all-rights-reserved");
    assert_eq!(json[0]["reusable"], false);
    assert_eq!(json[0]["found_via"], serde_json::json!([PR208]));
}

#[test]
fn campaigns_show_dates_sources_and_seed_releases() {
    let (dir, _index) = fixture();
    let text = ok(&index_dir(&dir), &["campaigns"]);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[..2],
        [
            "VS20        6 items  2018-12-04 – 2018-12-20  feed, flickr, jsonld, release",
            "  via https://press.example/pr208",
        ]
    );
    assert!(
        text.contains("\nVA246       1 item   2018-11-02               flickr\n"),
        "{text}"
    );
    let json = json_lines(&ok(&index_dir(&dir), &["campaigns", "--json"]));
    let cso = json.iter().find(|c| c["campaign"] == "CSO").unwrap();
    assert_eq!(
        *cso,
        serde_json::json!({
            "campaign": "CSO", "items": 5,
            "first_date": "2018-12-04T13:15:00Z", "last_date": "2018-12-19T16:37:14Z",
            "sources": ["feed", "flickr", "release"],
            "found_via": [PR208],
        })
    );
}

#[test]
fn an_old_index_is_upgraded_with_a_word_on_stderr() {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    v1::write(&index, &items());
    let output = run(&index, &["search", "soyuz", "--json", "--sort", "date"]);
    assert_ok(&output);
    assert_eq!(
        stderr(&output),
        format!(
            "Upgraded the index at {} from schema 1 to 5: rebuilt 9 items from their stored copies.\n",
            index.display()
        )
    );
    assert_eq!(json_lines(&stdout(&output)).len(), 5);
    let again = run(&index, &["search", "soyuz", "--json"]);
    assert_eq!(stderr(&again), "", "only once");
}

/// `archive search … | head -1`: the reader goes after one line; the rest of the output
/// meets a closed pipe, which is no error.
#[test]
fn a_pipe_closed_early_ends_every_format_quietly() {
    let many: Vec<_> = (0..1500)
        .map(|n| {
            let mut item = items()[n % 9].clone();
            item.id = format!("{}#{n}", item.id);
            item
        })
        .collect();
    let (dir, _index) = index_of(many);
    let index = index_dir(&dir);
    for format in [None, Some("--json"), Some("--csv")] {
        let mut args = vec![
            "search",
            "soyuz",
            "--limit",
            "1500",
            "--index",
            index.to_str().unwrap(),
        ];
        args.extend(format);
        let mut child = Command::new(env!("CARGO_BIN_EXE_archive"))
            .args(&args)
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        assert!(!first.is_empty(), "{format:?}");
        let output = child.wait_with_output().unwrap();
        assert!(output.status.success(), "{format:?}: {}", stderr(&output));
        assert_eq!(stderr(&output), "", "{format:?}");
    }
}

//! `archive export` and `archive import` end to end: an index written out as NDJSON and
//! merged back, field by field, as a crawl merges; bad lines named and skipped; an import
//! killed half-way finished by running it again; the Quickwit configuration against what
//! the export really writes.

use crate::common;
use crate::search_support;

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use archive::index::ArchiveIndex;
use archive::model::{Discovery, Item, Kind, MediaSize, Source};
use common::cli::{archive, assert_ok, stderr, stdout};
use search_support::{PR208, at, index_dir, index_of, items};

fn run(index: &Path, args: &[&str]) -> Output {
    let mut all: Vec<&str> = args.to_vec();
    all.extend(["--index", index.to_str().unwrap()]);
    archive(&all, &[])
}

/// `archive export ARGS` as parsed lines, by id.
fn export(index: &Path, args: &[&str]) -> BTreeMap<String, Value> {
    let mut all = vec!["export"];
    all.extend(args);
    let output = run(index, &all);
    assert_ok(&output);
    stdout(&output)
        .lines()
        .map(|line| {
            let value: Value = serde_json::from_str(line).expect("one JSON object a line");
            (value["id"].as_str().unwrap().to_string(), value)
        })
        .collect()
}

fn import(index: &Path, file: &Path) -> Output {
    run(index, &["import", file.to_str().unwrap()])
}

/// An item with every field filled, discovery and a withdrawal included.
fn rich() -> Item {
    let mut item = Item::new("flickr:9001", Kind::Video, Source::Flickr);
    item.title = Some("Fusée Soyuz : l'arrivée, «VS20»".into());
    item.description = Some("Transfer to the launch zone.\nSecond line.".into());
    item.tags = vec!["vs20".into(), "Kourou".into()];
    item.campaigns = vec!["VS20".into()];
    item.creator = Some("CNES/ESA".into());
    item.license = Some("CC BY-SA 2.0".into());
    item.license_url = Some("https://creativecommons.org/licenses/by-sa/2.0/".into());
    item.taken_at = at("2018-12");
    item.published_at = at("2018-12-19T16:37:14");
    (item.width, item.height, item.duration_seconds) = (Some(1920), Some(1080), Some(185));
    item.page_url = Some("https://www.flickr.com/photos/cnes/9001/".into());
    item.media_url = Some("https://live.staticflickr.com/video/9001/orig.mp4".into());
    item.thumbnail_url = Some("https://live.staticflickr.com/9001_q.jpg".into());
    item.sizes = vec![MediaSize {
        label: Some("Video Original".into()),
        width: Some(1920),
        height: Some(1080),
        url: "https://live.staticflickr.com/video/9001/orig.mp4".into(),
    }];
    item.collection = Some("CSO-1 – Soyuz VS20".into());
    item.collection_url = Some("https://www.flickr.com/photos/cnes/albums/1".into());
    item.found_via = vec![PR208.into()];
    item.discovery = vec![Discovery::new(
        Source::Flickr,
        "cnes",
        Some("https://www.flickr.com/photos/cnes/".into()),
        "vs20",
    )];
    item
}

/// The fixture's items and the rich one, withdrawn since.
fn source_index() -> (tempfile::TempDir, ArchiveIndex) {
    let mut all = items();
    all.push(rich());
    let (dir, index) = index_of(all);
    let mut indexer = index.indexer().unwrap();
    assert!(indexer.amend("flickr:9001", |i| i.gone = true).unwrap());
    indexer.commit().unwrap();
    (dir, index)
}

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn an_export_imported_into_a_fresh_index_gives_the_same_items_field_by_field() {
    let (dir, _index) = source_index();
    let source = index_dir(&dir);
    let output = run(&source, &["export"]);
    assert_ok(&output);
    let dump = write(dir.path(), "items.ndjson", &stdout(&output));
    let fresh = dir.path().join("fresh");
    let imported = import(&fresh, &dump);
    assert_ok(&imported);
    assert!(stdout(&imported).is_empty(), "stdout stays empty");
    assert_eq!(
        stderr(&imported).trim(),
        format!(
            "Imported 10 items from {}: 10 added, 0 updated, 0 unchanged.",
            dump.display()
        )
    );
    let (before, after) = (export(&source, &[]), export(&fresh, &[]));
    assert_eq!(before.len(), 10);
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>()
    );
    for (id, item) in &before {
        let Value::Object(fields) = item else {
            panic!("an object")
        };
        assert!(fields.len() >= 31, "{id} has every field: {fields:?}");
        for (field, value) in fields {
            assert_eq!(&after[id][field], value, "{id}: {field}");
        }
    }
    let gone = &after["flickr:9001"];
    assert_eq!(
        (&gone["gone"], &gone["taken_at"]),
        (&Value::from(true), &Value::from("2018-12"))
    );
    assert_eq!(gone["discovery"][0]["account"], "cnes");

    // Again: everything is there already, nothing is duplicated.
    let again = import(&fresh, &dump);
    assert_ok(&again);
    assert!(
        stderr(&again).contains("0 added, 0 updated, 10 unchanged"),
        "{}",
        stderr(&again)
    );
    assert_eq!(ArchiveIndex::open(&fresh).unwrap().len().unwrap(), 10);
}

#[test]
fn an_import_merges_by_id_as_a_crawl_would() {
    let (dir, _index) = source_index();
    let target = index_dir(&dir);
    let mut sighting = Item::new("flickr:1001", Kind::Photo, Source::Feed);
    sighting.title = Some("A feed's shorter title".into());
    sighting.campaigns = vec!["vs99".into()];
    sighting.found_via = vec!["https://press.example/pr300".into()];
    sighting.first_seen = Some("2018-01-01T00:00:00Z".parse().unwrap());
    sighting.last_seen = Some("2018-01-02T00:00:00Z".parse().unwrap());
    // Names campaign VS99 in its tags, without being in it yet.
    let mut named = Item::new("flickr:7001", Kind::Photo, Source::Flickr);
    named.tags = vec!["VS99".into()];
    let lines = [&sighting, &named]
        .map(|item| serde_json::to_string(item).unwrap())
        .join("\n");
    let file = write(dir.path(), "more.ndjson", &lines);
    let output = import(&target, &file);
    assert_ok(&output);
    assert!(
        stderr(&output).contains("1 added, 1 updated, 0 unchanged"),
        "{}",
        stderr(&output)
    );
    let after = export(&target, &[]);
    let merged = &after["flickr:1001"];
    assert_eq!(
        merged["title"], "Soyuz VS20 on the launch pad",
        "Flickr's API wins"
    );
    assert_eq!(merged["source"], "flickr");
    assert_eq!(
        merged["campaigns"],
        serde_json::json!(["CSO", "VS20", "vs99"])
    );
    assert_eq!(
        merged["found_via"],
        serde_json::json!([PR208, "https://press.example/pr300"])
    );
    assert_eq!(
        merged["first_seen"], "2018-01-01T00:00:00Z",
        "the earliest sighting"
    );
    assert_eq!(
        after["flickr:7001"]["campaigns"],
        serde_json::json!(["vs99"])
    );
}

#[test]
fn bad_lines_are_named_and_skipped_and_the_rest_is_imported() {
    let dir = tempfile::tempdir().unwrap();
    let good = |id: &str| {
        let item = Item::new(id, Kind::Photo, Source::Flickr);
        serde_json::to_string(&item).unwrap()
    };
    let mut text = [
        good("flickr:1"),
        "{\"id\": \"flickr:2\", \"kind\": \"photo\"".into(),
        "{\"facets\": {}}".into(),
        String::new(),
        "{\"id\":\"x\",\"kind\":\"\\u001b]0;owned\\u0007video\",\"source\":\"flickr\"}".into(),
        good("flickr:3"),
    ]
    .join("\n")
    .into_bytes();
    text.extend(b"\n\xff\xfe\n");
    let file = dir.path().join("mixed.ndjson");
    std::fs::write(&file, text).unwrap();
    let index = dir.path().join("index");
    let output = import(&index, &file);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let said = stderr(&output);
    let lines: Vec<&str> = said.lines().collect();
    assert!(
        lines[0].starts_with("line 2: not an item: EOF while parsing"),
        "{said}"
    );
    assert!(
        lines[1].starts_with("line 3: not an item: missing field `id`"),
        "{said}"
    );
    assert!(
        lines[2].starts_with("line 5: not an item: unknown variant"),
        "{said}"
    );
    assert_eq!(lines[3], "line 7: not UTF-8 text (byte 1)");
    assert!(
        !said.contains('\u{1b}') && !said.contains('\u{7}'),
        "{said:?}"
    );
    assert!(
        lines[4].ends_with("2 added, 0 updated, 0 unchanged. 4 lines skipped: not items."),
        "{said}"
    );
    let ids: BTreeSet<String> = export(&index, &[]).into_keys().collect();
    assert_eq!(ids, BTreeSet::from(["flickr:1".into(), "flickr:3".into()]));
}

#[test]
fn an_unreadable_file_is_an_error_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    let output = import(&index, &dir.path().join("nowhere.ndjson"));
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("cannot read"),
        "{}",
        stderr(&output)
    );
    assert!(!index.exists(), "no index is created for nothing");
}

#[test]
fn an_export_writes_every_match_of_a_query_and_filters_not_the_first_twenty() {
    let many: Vec<Item> = (0..45)
        .map(|n| {
            let mut item = Item::new(format!("flickr:{n}"), Kind::Photo, Source::Flickr);
            let (word, kind) = if n % 3 == 0 {
                ("rollout", Kind::Video)
            } else {
                ("soyuz", Kind::Photo)
            };
            item.kind = kind;
            item.title = Some(format!("{word} number {n}"));
            item
        })
        .collect();
    let (dir, _index) = index_of(many);
    let index = index_dir(&dir);
    let soyuz = export(&index, &["soyuz"]);
    assert_eq!(soyuz.len(), 30);
    assert!(
        soyuz
            .values()
            .all(|v| v["snippet"].as_str().unwrap().contains("<b>soyuz</b>"))
    );
    assert!(soyuz.values().all(|v| v["score"].as_f64().unwrap() > 0.0));
    assert_eq!(export(&index, &["--kind", "video"]).len(), 15);
    assert_eq!(export(&index, &[]).len(), 45);
    assert!(export(&index, &["nothing-like-it"]).is_empty());
    let bad = run(&index, &["export", "\"unbalanced"]);
    assert_eq!(bad.status.code(), Some(2));
}

/// The Quickwit field type a JSON value fits.
fn fits(value: &Value, mapping: &Value) -> bool {
    let kind = mapping["type"].as_str().unwrap();
    let instant = |v: &Value| {
        v.as_str()
            .is_some_and(|s| chrono::DateTime::parse_from_rfc3339(s).is_ok())
    };
    match value {
        Value::Null => true,
        Value::Bool(_) => kind == "bool",
        Value::Number(n) if n.is_u64() => kind == "u64",
        Value::Number(_) => kind == "f64",
        Value::String(_) if kind == "datetime" => instant(value),
        Value::String(_) => kind == "text",
        Value::Array(values) => {
            let inner = kind
                .strip_prefix("array<")
                .and_then(|k| k.strip_suffix('>'))
                .unwrap_or("none");
            values.iter().all(|v| match v {
                Value::Object(_) => inner == "json",
                scalar => fits(scalar, &serde_json::json!({"type": inner})),
            })
        }
        Value::Object(_) => kind == "json",
    }
}

#[test]
fn the_quickwit_config_names_every_exported_field_with_a_matching_type() {
    let (dir, _index) = source_index();
    let index = index_dir(&dir);
    let output = run(&index, &["export", "--quickwit-config"]);
    assert_ok(&output);
    let config: Value = serde_json::from_str(&stdout(&output)).expect("JSON");
    assert_eq!(
        (&config["version"], &config["index_id"]),
        (&Value::from("0.8"), &Value::from("archive"))
    );
    let mapping = &config["doc_mapping"];
    let fields: BTreeMap<&str, &Value> = mapping["field_mappings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["name"].as_str().unwrap(), f))
        .collect();
    let tokenizers: Vec<&str> = mapping["tokenizers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .chain(["raw", "raw_lowercase", "default"])
        .collect();
    let exported = export(&index, &["soyuz OR vs20 OR kourou"]);
    let mut keys = BTreeSet::new();
    for item in exported.values() {
        for (key, value) in item.as_object().unwrap() {
            keys.insert(key.as_str());
            let field = fields
                .get(key.as_str())
                .unwrap_or_else(|| panic!("{key} is not mapped"));
            assert!(fits(value, field), "{key}: {value} does not fit {field}");
        }
    }
    let mapped: BTreeSet<&str> = fields
        .iter()
        .filter(|(_, f)| f["type"] != "concatenate")
        .map(|(name, _)| *name)
        .collect();
    assert_eq!(
        mapped, keys,
        "the mapping names exactly the exported fields"
    );
    for field in fields.values() {
        if let Some(tokenizer) = field["tokenizer"].as_str() {
            assert!(tokenizers.contains(&tokenizer), "{field}");
        }
    }
    let other = archive(
        &[
            "export",
            "--quickwit-config",
            "--quickwit-index-id",
            "cnes_2018",
        ],
        &[],
    );
    assert_ok(&other);
    assert!(stdout(&other).contains("\"index_id\": \"cnes_2018\""));
}

#[test]
fn an_import_killed_half_way_is_finished_by_running_it_again() {
    let dir = tempfile::tempdir().unwrap();
    let total = 15_000;
    let lines: Vec<String> = (0..total)
        .map(|n| {
            let mut item = Item::new(format!("flickr:{n}"), Kind::Photo, Source::Flickr);
            item.title = Some(format!("Soyuz VS20 photo {n}"));
            item.campaigns = vec!["VS20".into()];
            serde_json::to_string(&item).unwrap()
        })
        .collect();
    let file = write(dir.path(), "big.ndjson", &lines.join("\n"));
    let index = dir.path().join("index");
    let mut child = Command::new(env!("CARGO_BIN_EXE_archive"))
        .args([
            "import",
            file.to_str().unwrap(),
            "--index",
            index.to_str().unwrap(),
        ])
        .env_remove("ARCHIVE_INDEX")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Killed as soon as a first batch is committed.
    let deadline = Instant::now() + Duration::from_secs(120);
    let committed = || {
        ArchiveIndex::open(&index)
            .and_then(|i| i.len())
            .unwrap_or(0)
    };
    while committed() == 0 && Instant::now() < deadline {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    child.wait().unwrap();
    let kept = committed();
    assert!(kept > 0, "a batch was committed before the kill");
    let again = import(&index, &file);
    assert_ok(&again);
    let said = stderr(&again);
    let added = (total as usize) - kept as usize;
    assert!(
        said.contains(&format!("{added} added, 0 updated, {kept} unchanged")),
        "{said}"
    );
    assert_eq!(ArchiveIndex::open(&index).unwrap().len().unwrap(), total);
}

//! An index that is damaged, incomplete or read-only: searches say so in words, never with
//! a panic, and `archive check` names what is wrong.

use crate::common;
use crate::search_support;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use common::cli::{archive, assert_ok, stderr, stdout};
use search_support::{fixture, index_dir, items};

fn run(index: &Path, args: &[&str]) -> Output {
    let mut all: Vec<&str> = args.to_vec();
    all.extend(["--index", index.to_str().unwrap()]);
    archive(&all, &[])
}

/// The index's largest file of this component: the one of the segment holding most items.
fn component(index: &Path, extension: &str) -> PathBuf {
    fs::read_dir(index)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == extension))
        .max_by_key(|path| fs::metadata(path).unwrap().len())
        .unwrap_or_else(|| panic!("no .{extension} file in {}", index.display()))
}

/// Overwrites the second quarter of a file, as a bad disk sector or a stray write would.
fn scribble_over(file: &Path) {
    let mut bytes = fs::read(file).unwrap();
    let len = bytes.len();
    bytes[len / 4..len / 2].fill(0xff);
    fs::write(file, bytes).unwrap();
}

fn assert_reported_as_damage(output: &Output, what: &str) {
    let err = stderr(output);
    assert_eq!(output.status.code(), Some(2), "{what}: {err}");
    assert!(!err.contains("panicked"), "{what}: {err}");
    assert!(
        err.contains("may be damaged") && err.contains("archive check --index"),
        "{what}: {err}"
    );
}

#[test]
fn check_finds_a_sound_index_sound() {
    let (dir, _index) = fixture();
    let output = run(&index_dir(&dir), &["check"]);
    assert_ok(&output);
    let text = stdout(&output);
    assert!(text.contains("is sound"), "{text}");
    assert!(
        text.contains(&format!("{} items in ", items().len())),
        "{text}"
    );
}

#[test]
fn a_damaged_file_gives_a_clear_error_and_check_names_it() {
    // Each component is read by the searches below: the term dictionary and postings by the
    // query, the fast columns by the facets and date sort, the store by the results, the
    // field norms by scoring.
    for extension in ["term", "idx", "fast", "store", "fieldnorm"] {
        let (dir, _index) = fixture();
        let index = index_dir(&dir);
        let file = component(&index, extension);
        scribble_over(&file);

        let searches: [&[&str]; 3] = [
            &["search", "vs20"],
            &["search", "vs20", "--json", "--facets"],
            &["search", "", "--sort", "date", "--json"],
        ];
        let failed = searches.iter().filter(|args| {
            let output = run(&index, args);
            if output.status.success() {
                return false;
            }
            assert_reported_as_damage(&output, &format!(".{extension}: {args:?}"));
            true
        });
        assert!(
            failed.count() > 0,
            "no search noticed the damaged .{extension}"
        );

        let check = run(&index, &["check"]);
        assert_eq!(
            check.status.code(),
            Some(1),
            ".{extension}: {}",
            stdout(&check)
        );
        let name = file.file_name().unwrap().to_str().unwrap();
        assert!(
            stdout(&check).contains(&format!("{name}: its checksum does not match")),
            ".{extension}: {}",
            stdout(&check)
        );
    }
}

#[test]
fn a_missing_file_gives_a_clear_error_and_check_names_it() {
    let (dir, _index) = fixture();
    let index = index_dir(&dir);
    let file = component(&index, "store");
    fs::remove_file(&file).unwrap();

    assert_reported_as_damage(&run(&index, &["search", "vs20"]), "missing .store");
    let check = run(&index, &["check"]);
    assert_eq!(check.status.code(), Some(1));
    let name = file.file_name().unwrap().to_str().unwrap();
    assert!(
        stdout(&check).contains(&format!("{name}: missing")),
        "{}",
        stdout(&check)
    );
}

/// Runs `archive` with the index directory mounted read-only in a mount namespace of its own
/// (root ignores file permissions, so only a read-only mount stops it writing), or with the
/// directory's write permission removed when not root.
fn archive_on_read_only(index: &Path, args: &[&str]) -> Output {
    let bin = env!("CARGO_BIN_EXE_archive");
    let dir = index.to_str().unwrap();
    let is_root = std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"));
    if !is_root {
        let mut permissions = fs::metadata(index).unwrap().permissions();
        permissions.set_readonly(true);
        fs::set_permissions(index, permissions).unwrap();
        let mut all: Vec<&str> = args.to_vec();
        all.extend(["--index", dir]);
        return archive(&all, &[]);
    }
    let script = format!(
        "mount --bind '{dir}' '{dir}' && mount -o remount,bind,ro '{dir}' && exec \"$0\" \"$@\" --index '{dir}'"
    );
    let mut all = vec!["-m", "sh", "-c", script.as_str(), bin];
    all.extend(args);
    let output = std::process::Command::new("unshare")
        .args(&all)
        .env_remove("ARCHIVE_INDEX")
        .env_remove("RUST_BACKTRACE")
        .env("NO_COLOR", "1")
        .output()
        .expect("unshare (util-linux) runs");
    assert!(
        !stderr(&output).contains("mount:") && !stderr(&output).contains("unshare:"),
        "the read-only mount could not be made: {}",
        stderr(&output)
    );
    output
}

#[test]
fn a_read_only_index_can_be_searched_and_checked_but_not_crawled_into() {
    let (dir, _index) = fixture();
    let index = index_dir(&dir);
    let before: Vec<PathBuf> = {
        let mut files: Vec<PathBuf> = fs::read_dir(&index)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        files
    };

    let search = archive_on_read_only(&index, &["search", "vs20", "--json"]);
    assert_ok(&search);
    assert_eq!(stdout(&search).lines().count(), 7, "{}", stdout(&search));

    let check = archive_on_read_only(&index, &["check"]);
    assert_ok(&check);
    assert!(stdout(&check).contains("read-only"), "{}", stdout(&check));

    let crawl = archive_on_read_only(&index, &["crawl"]);
    assert_eq!(crawl.status.code(), Some(2), "{}", stderr(&crawl));
    assert!(
        stderr(&crawl).contains("is read-only"),
        "{}",
        stderr(&crawl)
    );

    let mut after: Vec<PathBuf> = fs::read_dir(&index)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    after.sort();
    assert_eq!(before, after, "nothing was written to the read-only index");
}

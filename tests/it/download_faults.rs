//! `archive download` against servers that misbehave, and a process killed mid-file: nothing
//! wrong is kept under a final name, every failure says why, and a rerun finishes the job.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use archive_test_support::server::{Body, Reply, TestServer};

use crate::common::cli::{archive, assert_ok, stderr};
use crate::download_support::{
    Files, Served, answer, download, entry, file_server, files_under, index, jpeg, manifest, photo,
    sha256, sha256sum_check, spawn_download,
};

/// The files in the pack that are not its own bookkeeping.
fn media_files(pack: &std::path::Path) -> Vec<String> {
    files_under(pack)
        .into_iter()
        .filter(|f| f.starts_with("VS20/"))
        .collect()
}

#[test]
fn an_html_page_served_instead_of_a_photo_is_refused() {
    let page = b"<!DOCTYPE html><html><head><title>404</title></head><body>Not found</body></html>";
    let files = Files::default();
    files.lock().unwrap().extend([
        (
            "/a.jpg".to_string(),
            Served::new("text/html; charset=utf-8", page.to_vec()),
        ),
        (
            "/b.jpg".to_string(),
            Served::new("image/jpeg", page.to_vec()),
        ),
        ("/c.jpg".to_string(), Served::new("image/jpeg", jpeg())),
    ]);
    let server = file_server(&files);
    let origin = server.origin();
    let (_dir, index) = index(vec![
        photo("flickr:1", "Labelled HTML", &format!("{origin}/a.jpg")),
        photo("flickr:2", "Labelled JPEG", &format!("{origin}/b.jpg")),
        photo("flickr:3", "Real", &format!("{origin}/c.jpg")),
    ]);
    let pack = tempfile::tempdir().unwrap();
    let output = download(&index, pack.path(), &[]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let manifest = manifest(pack.path());
    for id in ["flickr:1", "flickr:2"] {
        let failed = entry(&manifest, id);
        assert_eq!(failed["status"], "failed");
        let reason = failed["reason"].as_str().unwrap();
        assert!(
            reason.contains("sent an HTML page") && reason.contains("instead of the photo"),
            "{reason}"
        );
        assert!(stderr(&output).contains(reason), "{}", stderr(&output));
    }
    let kept = media_files(pack.path());
    assert_eq!(
        kept.len(),
        2,
        "only the real photo and its sidecar: {kept:?}"
    );
    assert_eq!(sha256sum_check(pack.path()), 1);
}

#[test]
fn a_truncated_body_is_never_kept() {
    let server = TestServer::start(|request| match request.path.as_str() {
        "/cut.jpg" => Reply::ok("image/jpeg", "")
            .header("Content-Length", "3593")
            .body(Body::Cut(jpeg()[..1000].to_vec())),
        _ => Reply::not_found(),
    });
    let (_dir, index) = index(vec![photo(
        "flickr:1",
        "Cut",
        server.url("/cut.jpg").as_ref(),
    )]);
    let pack = tempfile::tempdir().unwrap();
    let output = download(&index, pack.path(), &[]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let failed = &manifest(pack.path())["items"][0];
    assert_eq!(failed["status"], "failed");
    assert!(failed["file"].is_null());
    assert!(
        media_files(pack.path()).is_empty(),
        "{:?}",
        files_under(pack.path())
    );
    // It was tried again before giving up.
    assert!(server.hits_on("/cut.jpg") > 1);
}

#[test]
fn a_file_over_max_file_is_refused_whether_or_not_its_size_is_announced() {
    let big = [jpeg(), vec![0; 200 * 1024]].concat();
    let announced = big.clone();
    let server = TestServer::start(move |request| match request.path.as_str() {
        "/announced.jpg" => Reply::ok("image/jpeg", announced.clone()),
        "/streamed.jpg" => Reply::ok("image/jpeg", "").body(Body::Paced {
            bytes: announced.clone(),
            chunk: 16 * 1024,
            every: Duration::ZERO,
        }),
        _ => Reply::not_found(),
    });
    let (_dir, index) = index(vec![
        photo(
            "flickr:1",
            "Announced",
            server.url("/announced.jpg").as_ref(),
        ),
        photo("flickr:2", "Streamed", server.url("/streamed.jpg").as_ref()),
    ]);
    let pack = tempfile::tempdir().unwrap();
    let output = download(&index, pack.path(), &["--max-file", "100KiB"]);
    assert_eq!(output.status.code(), Some(1));
    let manifest = manifest(pack.path());
    for id in ["flickr:1", "flickr:2"] {
        let reason = entry(&manifest, id)["reason"].as_str().unwrap().to_string();
        assert_eq!(reason, "larger than the --max-file limit of 102400 bytes");
    }
    assert!(
        media_files(pack.path()).is_empty(),
        "{:?}",
        files_under(pack.path())
    );
    assert_eq!(big.len(), 3593 + 200 * 1024);
}

#[test]
fn a_429_with_retry_after_is_waited_for() {
    let asked = Arc::new(AtomicUsize::new(0));
    let count = asked.clone();
    let server = TestServer::start(move |request| match request.path.as_str() {
        "/busy.jpg" if count.fetch_add(1, Ordering::SeqCst) == 0 => {
            Reply::status(429).header("Retry-After", "1")
        }
        "/busy.jpg" => Reply::ok("image/jpeg", jpeg()),
        _ => Reply::not_found(),
    });
    let (_dir, index) = index(vec![photo(
        "flickr:1",
        "Busy",
        server.url("/busy.jpg").as_ref(),
    )]);
    let pack = tempfile::tempdir().unwrap();
    assert_ok(&download(&index, pack.path(), &[]));
    let starts: Vec<Instant> = server
        .starts()
        .into_iter()
        .filter(|(target, _)| target == "/busy.jpg")
        .map(|(_, at)| at)
        .collect();
    assert_eq!(starts.len(), 2);
    assert!(
        starts[1] - starts[0] >= Duration::from_millis(990),
        "{:?}",
        starts[1] - starts[0]
    );
    assert_eq!(
        entry(&manifest(pack.path()), "flickr:1")["sha256"],
        sha256(&jpeg())
    );
}

#[test]
fn a_file_on_a_private_address_needs_allow_private() {
    let files = Files::default();
    files
        .lock()
        .unwrap()
        .insert("/a.jpg".into(), Served::new("image/jpeg", jpeg()));
    let server = file_server(&files);
    let (_dir, index) = index(vec![photo(
        "flickr:1",
        "Inside",
        server.url("/a.jpg").as_ref(),
    )]);
    let pack = tempfile::tempdir().unwrap();
    let output = archive(
        &[
            "download",
            "--index",
            index.to_str().unwrap(),
            "--to",
            pack.path().to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(output.status.code(), Some(1));
    let reason = entry(&manifest(pack.path()), "flickr:1")["reason"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(reason.contains("--allow-private"), "{reason}");
    assert!(server.hits().is_empty(), "{:?}", server.hits());
}

#[test]
fn unusable_input_is_refused_with_status_2() {
    let (_dir, index) = index(vec![photo("flickr:1", "A", "http://127.0.0.1:9/a.jpg")]);
    let pack = tempfile::tempdir().unwrap();
    let to = pack.path().to_str().unwrap();
    let missing = archive(
        &["download", "--index", "/nonexistent/index", "--to", to],
        &[],
    );
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        stderr(&missing).contains("/nonexistent/index"),
        "{}",
        stderr(&missing)
    );
    let index = index.to_str().unwrap();
    for args in [
        vec!["download", "--index", index],
        vec!["download", "--index", index, "--to", to, "--max-width", "0"],
        vec!["download", "--index", index, "--to", to, "--size", "huge"],
        vec!["download", "\"unbalanced", "--index", index, "--to", to],
        vec![
            "download",
            "--index",
            index,
            "--to",
            to,
            "--max-file",
            "lots",
        ],
    ] {
        let output = archive(&args, &[]);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            stderr(&output)
        );
    }
    assert!(files_under(pack.path()).is_empty());
}

/// A large file, served slowly, and the process killed (SIGKILL) while it arrives; the rerun
/// resumes it with a range request and every file and checksum comes out right.
#[test]
fn a_kill_9_mid_file_then_a_rerun_finishes_with_every_checksum_right() {
    let large: Vec<u8> = [
        jpeg(),
        (0..8 * 1024 * 1024).map(|i: u32| (i % 251) as u8).collect(),
    ]
    .concat();
    let files = Files::default();
    files.lock().unwrap().extend([
        (
            "/small.jpg".to_string(),
            Served::new("image/jpeg", jpeg()).tagged("s"),
        ),
        (
            "/large.jpg".to_string(),
            Served::new("image/jpeg", large.clone()).tagged("L"),
        ),
    ]);
    let slow = Arc::new(std::sync::atomic::AtomicBool::new(true));
    let (held, pace) = (files.clone(), slow.clone());
    let ranges = Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = ranges.clone();
    let server = TestServer::start(move |request| {
        let Some(served) = held.lock().unwrap().get(&request.path).cloned() else {
            return Reply::not_found();
        };
        if let Some(range) = request.header("range") {
            seen.lock().unwrap().push(range.to_string());
        }
        let reply = answer(request, &served);
        match (
            &reply.body,
            pace.load(Ordering::SeqCst) && request.path == "/large.jpg",
        ) {
            (Body::Full(bytes), true) => {
                let length = bytes.len().to_string();
                let bytes = bytes.clone();
                reply.header("Content-Length", &length).body(Body::Paced {
                    bytes,
                    chunk: 64 * 1024,
                    every: Duration::from_millis(20),
                })
            }
            _ => reply,
        }
    });
    let (_dir, index) = index(vec![
        photo("flickr:1", "Small", server.url("/small.jpg").as_ref()),
        photo("flickr:2", "Large", server.url("/large.jpg").as_ref()),
    ]);
    let pack = tempfile::tempdir().unwrap();
    let mut child = spawn_download(&index, pack.path());
    let part = pack.path().join("VS20/2018-12-18_Large_flickr-2.part");
    let deadline = Instant::now() + Duration::from_secs(60);
    while std::fs::metadata(&part).map_or(0, |m| m.len()) < 1024 * 1024 {
        assert!(
            Instant::now() < deadline,
            "the large file never started arriving"
        );
        assert!(
            child.try_wait().unwrap().is_none(),
            "the download ended before the kill"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().expect("SIGKILL");
    child.wait().unwrap();
    let held_before = std::fs::metadata(&part).unwrap().len();
    assert!(held_before < large.len() as u64);

    slow.store(false, Ordering::SeqCst);
    let rerun = download(&index, pack.path(), &[]);
    assert_ok(&rerun);
    let manifest = manifest(pack.path());
    assert_eq!(entry(&manifest, "flickr:2")["sha256"], sha256(&large));
    assert_eq!(entry(&manifest, "flickr:1")["sha256"], sha256(&jpeg()));
    let resumed = ranges.lock().unwrap().clone();
    let from: Vec<u64> = resumed
        .iter()
        .filter_map(|r| r.strip_prefix("bytes=")?.strip_suffix('-')?.parse().ok())
        .collect();
    assert!(from.iter().any(|&n| n > 0), "no range request: {resumed:?}");
    assert!(!part.exists());
    assert_eq!(sha256sum_check(pack.path()), 2);
}

/// A kill between a `.part`'s last byte and its rename leaves the whole file in the `.part`:
/// the rerun's range request is answered 416, and the file is fetched again whole.
#[test]
fn a_part_holding_the_whole_file_is_finished_by_the_rerun() {
    let files = Files::default();
    files.lock().unwrap().insert(
        "/small.jpg".into(),
        Served::new("image/jpeg", jpeg()).tagged("s"),
    );
    let server = file_server(&files);
    let url = server.url("/small.jpg").to_string();
    let (_dir, index) = index(vec![photo("flickr:1", "Small", &url)]);
    let pack = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(pack.path().join("VS20")).unwrap();
    let part = "VS20/2018-12-18_Small_flickr-1.part";
    std::fs::write(pack.path().join(part), jpeg()).unwrap();
    let started = serde_json::json!({
        "record": "started", "id": "flickr:1", "part": part, "url": url,
        "etag": "\"s\"", "last_modified": null,
    });
    std::fs::write(
        pack.path().join(".download-journal.jsonl"),
        format!("{started}\n"),
    )
    .unwrap();
    assert_ok(&download(&index, pack.path(), &[]));
    assert_eq!(
        server.hits_on("/small.jpg"),
        2,
        "a range request, then the whole file"
    );
    assert_eq!(
        entry(&manifest(pack.path()), "flickr:1")["sha256"],
        sha256(&jpeg())
    );
    assert!(!pack.path().join(part).exists());
    assert_eq!(sha256sum_check(pack.path()), 1);
}

/// A file that redirects to another host, with one file at a time: robots.txt of the new
/// host is asked while the first hop's place is free again, so the download never waits on
/// itself.
#[test]
fn a_redirect_to_another_host_completes_with_one_file_at_a_time() {
    let cdn = TestServer::start_on("127.0.0.2:0".parse().unwrap(), |request| {
        match request.path.as_str() {
            "/a.jpg" => Reply::ok("image/jpeg", jpeg()),
            _ => Reply::not_found(),
        }
    });
    let target = cdn.url("/a.jpg").to_string();
    let origin = TestServer::start(move |request| match request.path.as_str() {
        "/a.jpg" => Reply::status(302).header("Location", &target),
        _ => Reply::not_found(),
    });
    let (_dir, index) = index(vec![photo(
        "flickr:1",
        "Moved",
        origin.url("/a.jpg").as_ref(),
    )]);
    let pack = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_archive"))
        .args(["download", "--index", index.to_str().unwrap(), "--to"])
        .arg(pack.path())
        .args([
            "--delay",
            "0",
            "--allow-private",
            "--concurrency",
            "1",
            "--quiet",
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("the archive binary starts");
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            child.kill().unwrap();
            panic!("the download waited on itself");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success());
    assert_eq!(cdn.hits(), ["/robots.txt", "/a.jpg"]);
    assert_eq!(sha256sum_check(pack.path()), 1);
}

/// Two runs into one pack would each rewrite its journal and manifest from what they alone
/// did: the second is refused while the first runs, and the pack comes out whole.
#[test]
fn a_second_download_into_a_pack_being_written_is_refused() {
    let large: Vec<u8> = [
        jpeg(),
        (0..2 * 1024 * 1024).map(|i: u32| (i % 251) as u8).collect(),
    ]
    .concat();
    let length = large.len().to_string();
    let body = large.clone();
    let server = TestServer::start(move |request| match request.path.as_str() {
        "/large.jpg" => Reply::ok("image/jpeg", "")
            .header("Content-Length", &length)
            .body(Body::Paced {
                bytes: body.clone(),
                chunk: 64 * 1024,
                every: Duration::from_millis(20),
            }),
        _ => Reply::not_found(),
    });
    let (_dir, index) = index(vec![photo(
        "flickr:2",
        "Large",
        server.url("/large.jpg").as_ref(),
    )]);
    let pack = tempfile::tempdir().unwrap();
    let first = spawn_download(&index, pack.path());
    let part = pack.path().join("VS20/2018-12-18_Large_flickr-2.part");
    let deadline = Instant::now() + Duration::from_secs(60);
    while !part.exists() {
        assert!(Instant::now() < deadline, "the file never started arriving");
        std::thread::sleep(Duration::from_millis(10));
    }
    let second = download(&index, pack.path(), &[]);
    assert_eq!(second.status.code(), Some(2), "{}", stderr(&second));
    assert!(
        stderr(&second).contains("another `archive download` is writing the pack"),
        "{}",
        stderr(&second)
    );
    let first = first.wait_with_output().unwrap();
    assert!(first.status.success(), "{}", stderr(&first));
    let manifest = manifest(pack.path());
    assert_eq!(entry(&manifest, "flickr:2")["sha256"], sha256(&large));
    assert_eq!(sha256sum_check(pack.path()), 1);
    assert_eq!(
        server.hits_on("/large.jpg"),
        1,
        "the second run fetched nothing"
    );
    // The lock ends with the run that held it.
    assert_ok(&download(&index, pack.path(), &[]));
}

//! Running the real `archive` binary and measuring it from outside: wall time, CPU time and
//! peak memory.
//!
//! Peak memory and CPU time come from `getrusage(RUSAGE_CHILDREN)`, which covers every child
//! a process ever waited for. So the harness runs each measured command under a copy of itself
//! (`bench --rusage-out FILE -- COMMAND…`) whose only child is that command: its figures are
//! exactly the command's. (The workspace forbids `unsafe`, so `wait4` through libc is out; nix's
//! `getrusage` is safe.)

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// The flag that turns the harness into the measuring parent of one command.
pub(crate) const RUSAGE_FLAG: &str = "--rusage-out";

/// What a measured command did.
#[derive(Clone, Debug, Default)]
pub(crate) struct Measured {
    pub(crate) wall: Duration,
    pub(crate) success: bool,
    /// Peak resident memory, KiB: the process's own memory plus the pages of the files it
    /// maps (Tantivy maps its index files).
    pub(crate) max_rss_kib: u64,
    /// Peak of the process's own memory (`RssAnon`), KiB, sampled every 20 ms: what the
    /// process holds, without the mapped index files the system can drop at will.
    pub(crate) peak_anon_kib: u64,
    /// User plus system CPU time.
    pub(crate) cpu: Duration,
    pub(crate) stderr: String,
}

/// Builds the `archive` binary of this profile next to the harness (Cargo builds only the
/// package it runs) and returns its path: a stale binary would measure old code.
pub(crate) fn archive_binary() -> Result<PathBuf, String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let dir = exe.parent().ok_or("the harness has no directory")?;
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut build = Command::new(cargo);
    build
        .args(["build", "--quiet", "-p", "archive", "--bin", "archive"])
        .current_dir(crate::workspace());
    if dir.ends_with("release") {
        build.arg("--release");
    }
    let status = build
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err("`cargo build -p archive --bin archive` failed".into());
    }
    Ok(dir.join(format!("archive{}", std::env::consts::EXE_SUFFIX)))
}

/// Runs `program` with `args` and `envs` under a measuring copy of the harness; its stdout is
/// dropped and its stderr kept.
pub(crate) fn measured(
    program: &Path,
    args: &[OsString],
    envs: &[(&str, String)],
) -> Result<Measured, String> {
    let out = std::env::temp_dir().join(format!("archive-bench-rusage-{}", std::process::id()));
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let mut command = Command::new(exe);
    command.arg(RUSAGE_FLAG).arg(&out).arg("--");
    // A profiler or an environment to run the program under, e.g. `heaptrack -o FILE`.
    if let Ok(wrap) = std::env::var("BENCH_WRAP") {
        command.args(wrap.split_whitespace());
    }
    command
        .arg(program)
        .args(args)
        .env_remove("ARCHIVE_INDEX")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    for (key, value) in envs {
        command.env(key, value);
    }
    let output = command
        .output()
        .map_err(|e| format!("cannot run {}: {e}", program.display()))?;
    let figures = std::fs::read_to_string(&out).map_err(|e| format!("no rusage: {e}"))?;
    let _ = std::fs::remove_file(&out);
    let numbers: Vec<u64> = figures
        .split_whitespace()
        .filter_map(|n| n.parse().ok())
        .collect();
    let [max_rss_kib, cpu_micros, peak_anon_kib, wall_micros] = numbers[..] else {
        return Err(format!("unreadable rusage {figures:?}"));
    };
    Ok(Measured {
        wall: Duration::from_micros(wall_micros),
        success: output.status.success(),
        max_rss_kib,
        peak_anon_kib,
        cpu: Duration::from_micros(cpu_micros),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    })
}

/// The measuring parent: `bench --rusage-out FILE -- PROGRAM ARGS…` runs the program, then
/// writes its peak RSS (KiB), CPU time (µs), peak own memory (KiB) and wall time (µs, from
/// its start to its end, without this parent's own start) to FILE and exits as it did.
pub(crate) fn rusage_parent(args: &[OsString]) -> ExitCode {
    let [out, dashes, program, rest @ ..] = args else {
        eprintln!("usage: bench {RUSAGE_FLAG} FILE -- PROGRAM [ARGS…]");
        return ExitCode::from(2);
    };
    if dashes != "--" {
        eprintln!("usage: bench {RUSAGE_FLAG} FILE -- PROGRAM [ARGS…]");
        return ExitCode::from(2);
    }
    let started = Instant::now();
    let mut child = match Command::new(program).args(rest).spawn() {
        Ok(child) => child,
        Err(error) => {
            eprintln!("cannot run {}: {error}", program.to_string_lossy());
            return ExitCode::from(2);
        }
    };
    // The child is waited for on this thread, so its end is seen at once; its memory is
    // sampled on another.
    let pid = child.id();
    let done = Arc::new(AtomicBool::new(false));
    let sampler = {
        let done = done.clone();
        std::thread::spawn(move || {
            let mut peak = 0;
            while !done.load(Ordering::Relaxed) {
                peak = peak.max(anon_kib(pid).unwrap_or(0));
                std::thread::sleep(Duration::from_millis(20));
            }
            peak
        })
    };
    let status = child.wait();
    let wall = started.elapsed();
    done.store(true, Ordering::Relaxed);
    let peak_anon = sampler.join().unwrap_or(0);
    let status = match status {
        Ok(status) => status,
        Err(error) => {
            eprintln!("cannot wait for {}: {error}", program.to_string_lossy());
            return ExitCode::from(2);
        }
    };
    let (rss, cpu) = children_usage();
    let wall = wall.as_micros();
    if let Err(error) = std::fs::write(out, format!("{rss} {cpu} {peak_anon} {wall}\n")) {
        eprintln!("cannot write {}: {error}", out.to_string_lossy());
        return ExitCode::from(2);
    }
    let code = status
        .code()
        .and_then(|c| u8::try_from(c).ok())
        .unwrap_or(1);
    ExitCode::from(code)
}

/// The process's own resident memory now (`RssAnon` in /proc), KiB.
fn anon_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("RssAnon:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Peak RSS in KiB and user plus system time in µs of the children waited for.
#[cfg(target_os = "linux")]
fn children_usage() -> (u64, u64) {
    use nix::sys::resource::{UsageWho, getrusage};
    let Ok(usage) = getrusage(UsageWho::RUSAGE_CHILDREN) else {
        return (0, 0);
    };
    let micros = |t: nix::sys::time::TimeVal| {
        u64::try_from(t.tv_sec()).unwrap_or(0) * 1_000_000 + u64::try_from(t.tv_usec()).unwrap_or(0)
    };
    let rss = u64::try_from(usage.max_rss()).unwrap_or(0);
    (rss, micros(usage.user_time()) + micros(usage.system_time()))
}

#[cfg(not(target_os = "linux"))]
fn children_usage() -> (u64, u64) {
    (0, 0)
}

/// User plus system CPU time of this process so far, all its threads.
#[cfg(target_os = "linux")]
pub(crate) fn own_cpu() -> Duration {
    use nix::sys::resource::{UsageWho, getrusage};
    let Ok(usage) = getrusage(UsageWho::RUSAGE_SELF) else {
        return Duration::ZERO;
    };
    let time = |t: nix::sys::time::TimeVal| {
        Duration::new(
            u64::try_from(t.tv_sec()).unwrap_or(0),
            u32::try_from(t.tv_usec()).unwrap_or(0) * 1000,
        )
    };
    time(usage.user_time()) + time(usage.system_time())
}

#[cfg(not(target_os = "linux"))]
pub(crate) fn own_cpu() -> Duration {
    Duration::ZERO
}

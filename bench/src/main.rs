//! `bench`: how close `archive` is to the limits of this machine.
//!
//! Each figure is measured against a baseline in the same run (raw Tantivy, a bare parser,
//! the politeness bound, ripgrep, SQLite FTS5, a target): on a noisy shared machine a ratio is
//! stable where an absolute time is not. The data is generated from a fixed seed and every
//! page is served by a loopback server the harness starts, so no network is needed.
//!
//! ```sh
//! cargo run --release -p bench -- --quick      # under 3 minutes
//! cargo run --release -p bench                 # the full run, under 30 minutes
//! cargo run --release -p bench -- --label after --only ingest,search
//! ```
//!
//! It prints one `metric value` line per figure, then a table, and writes BENCHMARKS.md.

mod bare;
mod child;
mod crawl;
mod data;
mod download;
mod extraction;
mod ingest;
mod machine;
mod markdown;
mod memory;
mod report;
mod scale;
mod search;
mod serve;
mod stats;
mod transfer;

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Result;
use clap::{Parser, ValueEnum};

use crate::report::Figure;

/// The allocator `archive` runs on (src/main.rs), so that raw Tantivy and the in-process
/// searches are measured on the same one as the product's path.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// How close `archive` is to the limits of this machine: every figure against a baseline
/// measured in the same run. Prints one `metric value` line per figure and a table, and
/// writes BENCHMARKS.md.
#[derive(Debug, Parser)]
#[command(name = "bench")]
struct Options {
    /// Smaller data and fewer rounds: under 3 minutes instead of 30.
    #[arg(long)]
    quick: bool,
    /// The run's section in BENCHMARKS.md, so that a "before" and an "after" stay side by side.
    #[arg(long, value_name = "NAME", default_value = "latest", value_parser = label)]
    label: String,
    /// Run only these groups, comma-separated; all when not given.
    #[arg(long, value_name = "GROUPS", value_delimiter = ',')]
    only: Vec<Group>,
    /// Print only; leave BENCHMARKS.md as it is.
    #[arg(long)]
    no_write: bool,
    /// Instead of the groups, the run at this size alone: `10m` crawls ten million items
    /// into one index and searches it (about 30 minutes and 10 GB of disk).
    #[arg(long, value_name = "SIZE", conflicts_with_all = ["quick", "only"])]
    scale: Option<Scale>,
}

/// A size measured on its own, beyond the full run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Scale {
    #[value(name = "10m")]
    TenMillion,
}

/// A group of figures, measured together.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Group {
    Ingest,
    Extract,
    Crawl,
    Search,
    Memory,
    Download,
    Serve,
    Transfer,
}

/// A label names a section: it cannot be blank.
fn label(name: &str) -> Result<String, String> {
    if name.trim().is_empty() {
        Err("--label needs a name".into())
    } else {
        Ok(name.to_string())
    }
}

impl Options {
    fn runs(&self, group: Group) -> bool {
        self.only.is_empty() || self.only.contains(&group)
    }
}

/// What every measurement needs.
pub(crate) struct Context {
    pub(crate) quick: bool,
    /// Scratch space, removed at the end.
    pub(crate) work: PathBuf,
    pub(crate) corpus: data::Corpus,
    /// The `archive` binary, freshly built.
    pub(crate) archive: PathBuf,
}

/// Removes the scratch directory however the run ends.
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn main() -> ExitCode {
    let args: Vec<OsString> = std::env::args_os().skip(1).collect();
    // Not an option for people: the harness runs itself this way to measure one command.
    if args.first().is_some_and(|a| a == child::RUSAGE_FLAG) {
        return child::rusage_parent(&args[1..]);
    }
    if args.first().is_some_and(|a| a == bare::FILES_FLAG) {
        return bare::files_main(&args[1..]);
    }
    let options = Options::parse();
    match run(&options, &args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("bench: {error:#}");
            ExitCode::from(2)
        }
    }
}

/// The workspace this harness is part of: where `archive` is built and BENCHMARKS.md lives.
pub(crate) fn workspace() -> &'static Path {
    let bench = Path::new(env!("CARGO_MANIFEST_DIR"));
    bench.parent().unwrap_or(bench)
}

fn run(options: &Options, args: &[OsString]) -> Result<()> {
    let started = Instant::now();
    let machine = machine::Machine::describe();
    eprintln!("bench: building the archive binary…");
    let archive = child::archive_binary().map_err(anyhow::Error::msg)?;
    let work = std::env::temp_dir().join(format!("archive-bench-{}", std::process::id()));
    std::fs::create_dir_all(&work)?;
    let _scratch = Scratch(work.clone());
    let cx = Context {
        quick: options.quick,
        work,
        corpus: data::Corpus::new(),
        archive,
    };
    let figures = measure_all(&cx, options)?;
    let wall = started.elapsed();
    print!("{}", report::metrics(&figures));
    println!("\n{}", report::text_table(&figures));
    print!("{}", report::notes(&figures));
    eprintln!("bench: done in {:.0} s", wall.as_secs_f64());
    if !options.no_write {
        let path = workspace().join("BENCHMARKS.md");
        let command = command_line(args);
        let run = markdown::Run {
            label: &options.label,
            quick: options.quick,
            machine: &machine,
            command,
            wall,
            figures: &figures,
        };
        markdown::write(&path, &run)?;
        eprintln!("bench: wrote {}", path.display());
    }
    Ok(())
}

/// Runs each group in turn; later groups reuse the indexes and rates that ingest measured.
fn measure_all(cx: &Context, options: &Options) -> Result<Vec<Figure>> {
    if options.scale == Some(Scale::TenMillion) {
        return group("scale", || scale::measure(cx));
    }
    let mut figures = Vec::new();
    let mut ingested = Ingested::default();
    if [
        Group::Ingest,
        Group::Search,
        Group::Memory,
        Group::Serve,
        Group::Transfer,
    ]
    .into_iter()
    .any(|g| options.runs(g))
    {
        // Built only to be searched, the indexes need one round each.
        let once = !options.runs(Group::Ingest);
        ingested = group("ingest", || ingest_all(cx, once))?;
        if options.runs(Group::Ingest) {
            figures.append(&mut ingested.figures);
        }
    }
    if options.runs(Group::Extract) {
        figures.extend(group("extract", || extraction::measure(cx))?);
    }
    if options.runs(Group::Crawl) {
        figures.extend(group("crawl", || crawl::measure(cx))?);
    }
    if options.runs(Group::Search) {
        figures.extend(group("search", || search::measure(cx, &ingested.built))?);
    }
    if options.runs(Group::Memory) {
        let limits = memory::Limits {
            ingest: &ingested.rates,
            raw_tantivy: &ingested.raw_rates,
        };
        figures.extend(group("memory", || {
            memory::measure(cx, &ingested.built, &limits)
        })?);
    }
    if options.runs(Group::Download) {
        figures.extend(group("download", || download::measure(cx))?);
    }
    if options.runs(Group::Serve) {
        figures.extend(group("serve", || serve::measure(cx, &ingested.built))?);
    }
    if options.runs(Group::Transfer) {
        let (built, rates) = (&ingested.built, &ingested.rates);
        figures.extend(group("transfer", || transfer::measure(cx, built, rates))?);
    }
    Ok(figures)
}

fn group<T>(name: &str, measure: impl FnOnce() -> Result<T>) -> Result<T> {
    let started = Instant::now();
    eprintln!("bench: {name}…");
    let result = measure();
    eprintln!(
        "bench: {name} took {:.0} s",
        started.elapsed().as_secs_f64()
    );
    result
}

/// What ingest leaves for the other groups.
#[derive(Default)]
struct Ingested {
    figures: Vec<Figure>,
    /// The 100k and 1M indexes, for searching and their size on disk.
    built: Vec<ingest::Built>,
    /// archive's ingest rate at each size, items per second.
    rates: Vec<(u64, f64)>,
    /// Raw Tantivy's rate at each size, committed as a crawl commits: a crawl's other limit.
    raw_rates: Vec<(u64, f64)>,
}

/// Ingest at every size, `once` or as many rounds as the size allows.
fn ingest_all(cx: &Context, once: bool) -> Result<Ingested> {
    let sizes: &[(u64, usize)] = if cx.quick {
        &[(10_000, 3), (100_000, 1)]
    } else {
        // Three rounds at 1M too: a ratio of one round is one sample of a noisy machine.
        &[(10_000, 5), (100_000, 3), (1_000_000, 3)]
    };
    let mut ingested = Ingested::default();
    for &(items, rounds) in sizes {
        let rounds = if once { 1 } else { rounds };
        let (figure, kept) = ingest::measure(cx, items, rounds, items >= 100_000)?;
        eprint!("{}", report::metrics(std::slice::from_ref(&figure)));
        ingested
            .rates
            .extend(figure.value.map(|rate| (items, rate)));
        let raw = figure
            .baselines
            .iter()
            .find(|b| b.name == ingest::RAW_SAME_COMMITS)
            .and_then(|b| b.value);
        ingested.raw_rates.extend(raw.map(|rate| (items, rate)));
        ingested.figures.push(figure);
        ingested.built.extend(kept);
    }
    Ok(ingested)
}

/// `10k`, `100k`, `1m`: sizes as metric names spell them.
pub(crate) fn size_label(items: u64) -> String {
    match items {
        n if n >= 1_000_000 && n % 1_000_000 == 0 => format!("{}m", n / 1_000_000),
        n if n >= 1_000 && n % 1_000 == 0 => format!("{}k", n / 1_000),
        n => n.to_string(),
    }
}

/// The command as the README gives it, with this run's arguments.
fn command_line(args: &[OsString]) -> String {
    let mut command = String::from("cargo run --release -p bench --");
    if args.is_empty() {
        command.truncate(command.len() - " --".len());
    }
    for arg in args {
        command.push(' ');
        command.push_str(&arg.to_string_lossy());
    }
    command
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_are_read_as_before() {
        let options = Options::try_parse_from([
            "bench",
            "--quick",
            "--label",
            "after",
            "--only",
            "ingest,search",
            "--no-write",
        ])
        .unwrap();
        assert!(options.quick && options.no_write);
        assert_eq!(options.label, "after");
        assert!(options.runs(Group::Ingest) && options.runs(Group::Search));
        assert!(!options.runs(Group::Crawl));

        let defaults = Options::try_parse_from(["bench"]).unwrap();
        assert!(!defaults.quick && !defaults.no_write);
        assert_eq!(defaults.label, "latest");
        assert!(defaults.runs(Group::Memory));
    }

    #[test]
    fn unknown_groups_and_blank_labels_are_refused() {
        assert!(Options::try_parse_from(["bench", "--only", "ingest,disk"]).is_err());
        assert!(Options::try_parse_from(["bench", "--label", " "]).is_err());
        assert!(Options::try_parse_from(["bench", "--fast"]).is_err());
        assert!(Options::try_parse_from(["bench", "--scale", "1b"]).is_err());
        assert!(Options::try_parse_from(["bench", "--scale", "10m", "--quick"]).is_err());
        let ten = Options::try_parse_from(["bench", "--scale", "10m"]).unwrap();
        assert_eq!(ten.scale, Some(Scale::TenMillion));
    }

    #[test]
    fn the_command_is_written_as_the_readme_gives_it() {
        assert_eq!(command_line(&[]), "cargo run --release -p bench");
        let args = ["--quick", "--label", "before"].map(OsString::from);
        assert_eq!(
            command_line(&args),
            "cargo run --release -p bench -- --quick --label before"
        );
    }
}

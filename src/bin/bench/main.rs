//! `bench`: how close `archive` is to the limits of this machine.
//!
//! Each figure is measured against a baseline in the same run (raw Tantivy, a bare parser,
//! the politeness bound, ripgrep, SQLite FTS5, a target): on a noisy shared machine a ratio is
//! stable where an absolute time is not. The data is generated from a fixed seed and every
//! page is served by a loopback server the harness starts, so no network is needed.
//!
//! ```sh
//! cargo run --release --bin bench -- --quick      # under 3 minutes
//! cargo run --release --bin bench                 # the full run, under 30 minutes
//! cargo run --release --bin bench -- --label after --only ingest,search
//! ```
//!
//! It prints one `metric value` line per figure, then a table, and writes BENCHMARKS.md.

mod child;
mod crawl;
mod data;
mod extraction;
mod ingest;
mod machine;
mod markdown;
mod memory;
mod report;
mod search;
mod server;
mod stats;

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Result, bail};

use crate::report::Figure;

const USAGE: &str = "usage: bench [--quick] [--label NAME] [--only ingest,extract,crawl,search,memory] [--no-write]";

/// What the harness was asked to do.
struct Options {
    quick: bool,
    label: String,
    /// The groups to run; all when empty.
    only: Vec<String>,
    /// Print only; leave BENCHMARKS.md as it is.
    no_write: bool,
}

impl Options {
    fn parse(args: &[OsString]) -> Result<Self> {
        let mut options = Options {
            quick: false,
            label: "latest".into(),
            only: Vec::new(),
            no_write: false,
        };
        let mut args = args.iter().map(|a| a.to_string_lossy().into_owned());
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--quick" => options.quick = true,
                "--no-write" => options.no_write = true,
                "--label" => options.label = args.next().unwrap_or_default(),
                "--only" => {
                    let groups = args.next().unwrap_or_default();
                    options.only = groups.split(',').map(str::to_string).collect();
                }
                "-h" | "--help" => bail!("{USAGE}"),
                other => bail!("unknown argument {other:?}\n{USAGE}"),
            }
        }
        if options.label.trim().is_empty() {
            bail!("--label needs a name\n{USAGE}");
        }
        Ok(options)
    }

    fn runs(&self, group: &str) -> bool {
        self.only.is_empty() || self.only.iter().any(|g| g == group)
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
    if args.first().is_some_and(|a| a == child::RUSAGE_FLAG) {
        return child::rusage_parent(&args[1..]);
    }
    let result = Options::parse(&args).and_then(|options| run(&options, &args));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("bench: {error:#}");
            ExitCode::from(2)
        }
    }
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
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("BENCHMARKS.md");
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
    let mut figures = Vec::new();
    let mut ingested = Ingested::default();
    if ["ingest", "search", "memory"]
        .iter()
        .any(|g| options.runs(g))
    {
        // Built only to be searched, the indexes need one round each.
        let once = !options.runs("ingest");
        ingested = group("ingest", || ingest_all(cx, once))?;
        if options.runs("ingest") {
            figures.append(&mut ingested.figures);
        }
    }
    if options.runs("extract") {
        figures.extend(group("extract", || extraction::measure(cx))?);
    }
    if options.runs("crawl") {
        figures.extend(group("crawl", || crawl::measure(cx))?);
    }
    if options.runs("search") {
        figures.extend(group("search", || search::measure(cx, &ingested.built))?);
    }
    if options.runs("memory") {
        let (built, rates) = (&ingested.built, &ingested.rates);
        figures.extend(group("memory", || memory::measure(cx, built, rates))?);
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
}

/// Ingest at every size, `once` or as many rounds as the size allows.
fn ingest_all(cx: &Context, once: bool) -> Result<Ingested> {
    let sizes: &[(u64, usize)] = if cx.quick {
        &[(10_000, 3), (100_000, 1)]
    } else {
        &[(10_000, 5), (100_000, 3), (1_000_000, 1)]
    };
    let mut ingested = Ingested::default();
    for &(items, rounds) in sizes {
        let rounds = if once { 1 } else { rounds };
        let (figure, kept) = ingest::measure(cx, items, rounds, items >= 100_000)?;
        eprint!("{}", report::metrics(std::slice::from_ref(&figure)));
        ingested
            .rates
            .extend(figure.value.map(|rate| (items, rate)));
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
    let mut command = String::from("cargo run --release --bin bench --");
    if args.is_empty() {
        command.truncate(command.len() - " --".len());
    }
    for arg in args {
        command.push(' ');
        command.push_str(&arg.to_string_lossy());
    }
    command
}

//! The `archive` command: parse, run, map the outcome to an exit code.

mod cli;
mod commands;
mod output;
mod progress;

use clap::Parser;
use std::process::ExitCode;

/// glibc's malloc gives each thread that allocates at once its own arena and keeps what
/// they free: a crawl's readers, indexing and merge threads left it holding more than twice
/// the live heap (530 MiB for 214 MB at a million items). jemalloc measured lower and faster;
/// see BENCHMARKS.md.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    init_logging(cli.verbose);
    quiet_panics();
    let outcome = std::panic::catch_unwind(|| commands::run(&cli));
    let Ok(outcome) = outcome else {
        eprintln!("archive: internal error (a bug: please report it with the command you ran)");
        return ExitCode::from(101);
    };
    match outcome {
        Ok(code) => code,
        // `archive search vs20 | head -1` closes the pipe early: that is success, not an error.
        Err(error) if is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("archive: {error:#}");
            ExitCode::from(2)
        }
    }
}

/// Panics are reported where they are caught, as what they mean: a page whose reader
/// crashed is a failure in the crawl's summary, damaged index files are an error naming
/// them. The default hook would print each as a raw panic too. `RUST_BACKTRACE` keeps it.
fn quiet_panics() {
    if std::env::var_os("RUST_BACKTRACE").is_none() {
        std::panic::set_hook(Box::new(|_| {}));
    }
}

fn init_logging(verbose: u8) {
    let default = match verbose {
        0 => "warn",
        1 => "archive=info",
        _ => "archive=debug",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .without_time()
        .init();
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        let kind = cause
            .downcast_ref::<std::io::Error>()
            .map(std::io::Error::kind)
            .or_else(|| cause.downcast_ref::<serde_json::Error>()?.io_error_kind());
        kind == Some(std::io::ErrorKind::BrokenPipe)
    })
}

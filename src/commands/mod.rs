//! The subcommands. The only code that prints, besides `main`.

pub(crate) mod check;
pub(crate) mod crawl;
pub(crate) mod download;
pub(crate) mod fetching;
pub(crate) mod search;
pub(crate) mod serve;
pub(crate) mod thumbnails;
pub(crate) mod transfer;

use anyhow::Result;
use std::path::Path;
use std::process::ExitCode;

use crate::cli::{Cli, Command};
use crate::output;

/// Runs the parsed command line.
pub(crate) fn run(cli: &Cli) -> Result<ExitCode> {
    upgrade_index(index_dir(&cli.command))?;
    match &cli.command {
        Command::Crawl(args) => crawl::run(args, cli.verbose == 0 && !cli.quiet),
        Command::Search(args) => search::search(args),
        Command::Campaigns(args) => search::campaigns(args),
        Command::Show(args) => search::show(args),
        Command::Check(args) => check::run(args),
        Command::Download(args) => download::run(args, cli.verbose == 0 && !cli.quiet),
        Command::Serve(args) => serve::run(args),
        Command::Export(args) => transfer::export(args),
        Command::Import(args) => transfer::import(args),
    }
}

fn index_dir(command: &Command) -> &Path {
    match command {
        Command::Crawl(args) => &args.index.index,
        Command::Search(args) => &args.index.index,
        Command::Campaigns(args) => &args.index.index,
        Command::Show(args) => &args.index.index,
        Command::Check(args) => &args.index.index,
        Command::Download(args) => &args.index.index,
        Command::Serve(args) => &args.index.index,
        Command::Export(args) => &args.index.index,
        Command::Import(args) => &args.index.index,
    }
}

/// An index written by an older version is rebuilt before any command uses it, and the user
/// is told, since it takes a moment on a large index.
fn upgrade_index(dir: &Path) -> Result<()> {
    if let Some(upgrade) = archive::index::upgrade(dir)? {
        eprintln!(
            "Upgraded the index at {} from schema {} to {}: rebuilt {} from their stored copies.",
            upgrade.dir.display(),
            upgrade.from,
            upgrade.to,
            output::plural(usize::try_from(upgrade.items).unwrap_or(usize::MAX), "item")
        );
    }
    Ok(())
}

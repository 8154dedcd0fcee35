//! The subcommands. The only code that prints, besides `main`.

pub(crate) mod crawl;
pub(crate) mod search;

use anyhow::Result;
use std::process::ExitCode;

use crate::cli::{Cli, Command};

/// Runs the parsed command line.
pub(crate) fn run(cli: &Cli) -> Result<ExitCode> {
    match &cli.command {
        Command::Crawl(args) => crawl::run(args, cli.verbose == 0),
        Command::Search(args) => search::search(args),
        Command::Campaigns(args) => search::campaigns(args),
    }
}

//! `archive export` and `archive import`: the index as one JSON item a line, and back.

use clap::Args;
use std::path::PathBuf;

use super::{FilterArgs, IndexArg};

/// `archive export`
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  archive export > items.ndjson                  every item, one JSON object a line
  archive export vs20 --reusable > vs20.ndjson   what a search would find, all of it
  archive import items.ndjson --index other      merge it into another index
  archive export --quickwit-config > archive.json
      A Quickwit index configuration for the export (see docs/scale-out.md).

The fields are those of `archive search --json`. Every match is written, in the index's
order, not only the best ones; memory stays flat however many there are.")]
pub(crate) struct ExportArgs {
    /// What to export, in the query language of `archive search`. Without one, every item.
    #[arg(value_name = "QUERY", num_args = 0..)]
    pub(crate) query: Vec<String>,

    #[command(flatten)]
    pub(crate) index: IndexArg,

    #[command(flatten)]
    pub(crate) filters: FilterArgs,

    /// Print a Quickwit index configuration (JSON) whose doc mapping mirrors the index's
    /// fields, instead of the items.
    #[arg(long, conflicts_with = "query")]
    pub(crate) quickwit_config: bool,

    /// The index's name in that configuration.
    #[arg(long, value_name = "ID", default_value = archive::index::quickwit::DEFAULT_INDEX_ID,
        requires = "quickwit_config", value_parser = quickwit_index_id)]
    pub(crate) quickwit_index_id: String,
}

/// `archive import`
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  archive import items.ndjson
  ssh crawler2 archive export | archive import -
  archive export --index old | archive import - --index new

Items are merged by id as a crawl merges them: campaigns and seeds add up, and the first and
last sightings are kept. Batches are committed as a crawl commits them, so an import that is
stopped keeps what it committed; run it again to finish. A line that is not an item is
reported with its number and skipped, and the exit status is then 1.")]
pub(crate) struct ImportArgs {
    /// What `archive export` wrote (one item as JSON a line), or `-` for standard input.
    #[arg(value_name = "FILE")]
    pub(crate) file: PathBuf,

    #[command(flatten)]
    pub(crate) index: IndexArg,
}

/// Quickwit's rule for index ids: a letter, then letters, digits, `-` and `_`, 3 to 255 in all.
fn quickwit_index_id(id: &str) -> Result<String, String> {
    let mut chars = id.chars();
    let starts_well = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    let rest_fits = chars.all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if starts_well && rest_fits && (3..=255).contains(&id.len()) {
        Ok(id.to_string())
    } else {
        Err("a Quickwit index id is a letter, then letters, digits, - or _, 3 to 255 in all".into())
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Cli, Command};
    use clap::Parser;

    #[test]
    fn export_takes_a_query_and_filters_or_prints_the_quickwit_config() {
        let cli = Cli::try_parse_from(["archive", "export", "vs20", "--reusable"]).unwrap();
        let Command::Export(args) = cli.command else {
            panic!("export expected")
        };
        assert_eq!(args.query, ["vs20"]);
        assert!(args.filters.reusable && !args.quickwit_config);
        let config = Cli::try_parse_from([
            "archive",
            "export",
            "--quickwit-config",
            "--quickwit-index-id",
            "cnes-2018",
        ]);
        assert!(config.is_ok());
        for refused in [
            vec!["archive", "export", "vs20", "--quickwit-config"],
            vec!["archive", "export", "--quickwit-index-id", "other"],
            vec![
                "archive",
                "export",
                "--quickwit-config",
                "--quickwit-index-id",
                "1st",
            ],
            vec!["archive", "import"],
        ] {
            assert!(Cli::try_parse_from(&refused).is_err(), "{refused:?}");
        }
    }
}

//! The command line, as clap sees it. Parsing and validation only; `commands` does the work.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// Find every photo and video of a press campaign.
///
/// `archive crawl` reads press releases, follows their links into Flickr albums, feeds and
/// media pages, and indexes every item it finds with its title, date, credit, licence and
/// link, tagged with the releases' campaign hashtags. `archive search` finds them again.
#[derive(Debug, Parser)]
#[command(
    name = "archive",
    version,
    propagate_version = true,
    max_term_width = 100
)]
#[command(after_help = "\
Examples:
  archive crawl                                  crawl the built-in demo (offline)
  archive crawl https://cnes.fr/en/pr208-2018    crawl a press release and what it links to
  archive search vs20                            find the campaign's photos and videos
  archive campaigns                              list the campaigns in the index")]
pub(crate) struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub(crate) command: Command,

    /// Say more about what happens (-v: details, -vv: every request).
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub(crate) verbose: u8,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Crawl press releases and index the media they lead to.
    Crawl(CrawlArgs),
    /// Search the index.
    Search(SearchArgs),
    /// List the campaigns in the index, with their number of items.
    Campaigns(CampaignsArgs),
}

/// Where the index lives.
#[derive(Debug, Args)]
pub(crate) struct IndexArg {
    /// The index directory.
    #[arg(long, env = "ARCHIVE_INDEX", value_name = "DIR", default_value = archive::index::DEFAULT_DIR)]
    pub(crate) index: PathBuf,
}

/// `archive crawl`
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  archive crawl
      Crawl the built-in demo: a synthetic CSO/VS20 campaign, replayed offline.
  archive crawl https://cnes.fr/en/next-soyuz-mission-csg-launch-cso-1-satellite
      Crawl a release online and everything it links to.
  archive crawl saved/pr208.html pasted/pr209.md --depth 2
      Crawl saved releases, and the links of the pages they link to.
  FLICKR_API_KEY=… archive crawl https://www.flickr.com/photos/cnes/albums/72157704555614144 --campaign VS20
      Crawl an album directly, tagging its items with a campaign.
  archive crawl https://cnes.fr/en/pr208 --record pr208.warc
      Keep a WARC copy of every exchange; `--replay pr208.warc` crawls it again offline.

Flickr albums are read through the Flickr API: set FLICKR_API_KEY (and FLICKR_API_URL to use
another endpoint).")]
pub(crate) struct CrawlArgs {
    /// Press releases to start from: http(s) URLs, or saved .html/.htm/.md/.txt files.
    /// Without any, the built-in demo is crawled.
    #[arg(value_name = "SEED")]
    pub(crate) seeds: Vec<String>,

    #[command(flatten)]
    pub(crate) index: IndexArg,

    /// How many links away from the releases to go: 1 follows the releases' own links.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub(crate) depth: u32,

    /// Add this campaign to everything the crawl reaches (repeatable).
    #[arg(long = "campaign", value_name = "TAG")]
    pub(crate) campaigns: Vec<String>,

    /// Write every HTTP exchange to this WARC file (.warc, or .warc.gz).
    #[arg(long, value_name = "FILE", conflicts_with = "replay")]
    pub(crate) record: Option<PathBuf>,

    /// Answer every request from this WARC file instead of the network.
    #[arg(long, value_name = "FILE")]
    pub(crate) replay: Option<PathBuf>,

    /// Requests in flight to one host.
    #[arg(long, value_name = "N", default_value_t = 2, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub(crate) per_host: u16,

    /// Minimum milliseconds between two requests to one host.
    #[arg(long, value_name = "MS", default_value_t = 250)]
    pub(crate) delay: u64,

    /// Requests in flight overall.
    #[arg(long, value_name = "N", default_value_t = 16, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub(crate) concurrency: u16,
}

/// `archive search`
#[derive(Debug, Args)]
#[command(after_help = "\
Query language:
  vs20 soyuz            items matching every word (case and accents do not matter)
  \"launch pad\"          a phrase
  vs20 OR vs21          either word;  vs20 -rehearsal  without a word
  campaign:VS20         a field: title, description, campaign, kind, tag, creator,
                        license, source, collection
  kind:video            only videos

Examples:
  archive search vs20
  archive search 'campaign:vs20 kind:video' --json
  archive search fusee --limit 5")]
pub(crate) struct SearchArgs {
    /// What to look for; several words are all required.
    #[arg(value_name = "QUERY", required = true, num_args = 1..)]
    pub(crate) query: Vec<String>,

    #[command(flatten)]
    pub(crate) index: IndexArg,

    /// How many items to show.
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub(crate) limit: usize,

    /// One JSON object a line, with every field of the item.
    #[arg(long)]
    pub(crate) json: bool,
}

/// `archive campaigns`
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  archive campaigns
  archive campaigns --json | jq -r .campaign")]
pub(crate) struct CampaignsArgs {
    #[command(flatten)]
    pub(crate) index: IndexArg,

    /// One `{\"campaign\": …, \"items\": …}` object a line.
    #[arg(long)]
    pub(crate) json: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn crawl_defaults_match_the_documented_ones() {
        let cli = Cli::try_parse_from(["archive", "crawl"]).unwrap();
        let Command::Crawl(args) = cli.command else {
            panic!("crawl expected")
        };
        assert!(args.seeds.is_empty());
        assert_eq!(args.depth, 1);
        assert_eq!((args.per_host, args.delay, args.concurrency), (2, 250, 16));
    }

    #[test]
    fn record_and_replay_cannot_be_combined() {
        let both = Cli::try_parse_from(["archive", "crawl", "--record", "a", "--replay", "b"]);
        assert!(both.is_err());
    }
}

//! The command line, as clap sees it. Parsing and validation only; `commands` does the work.

use archive::fetch;
use archive::search::dates::Period;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

mod transfer;
pub(crate) use transfer::{ExportArgs, ImportArgs};

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
  archive show flickr:45539063392                one item: credit line, licence, sizes
  archive campaigns                              list the campaigns in the index
  archive download vs20 --reusable --to pack     the campaign's reusable files, credited

  archive serve --open                           browse the index in a web browser")]
pub(crate) struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub(crate) command: Command,

    /// Say more about what happens (-v: details, -vv: every request).
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub(crate) verbose: u8,

    /// Show no progress bar.
    #[arg(short, long, global = true)]
    pub(crate) quiet: bool,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Crawl press releases and index the media they lead to.
    Crawl(CrawlArgs),
    /// Search the index.
    Search(SearchArgs),
    /// List the campaigns in the index: items, dates, sources and seed releases.
    Campaigns(CampaignsArgs),
    /// Show one item in full: credit line, licence, every size and link, provenance.
    Show(ShowArgs),
    /// Read the whole index through and say whether it is sound, and if not, what is wrong.
    Check(CheckArgs),
    /// Download the files of the items a search finds, each with its credit and licence.
    Download(DownloadArgs),
    /// Serve the index to a browser: search, thumbnails, items, campaigns and a JSON API.
    Serve(ServeArgs),
    /// Write every item a search matches as one JSON object a line, or a Quickwit index
    /// configuration for them.
    Export(ExportArgs),
    /// Merge what `archive export` wrote into the index, by id, as a crawl would.
    Import(ImportArgs),
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
    #[arg(long, value_name = "N", default_value_t = fetch::DEFAULT_PER_HOST, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub(crate) per_host: u16,

    /// Minimum milliseconds between two requests to one host.
    #[arg(long, value_name = "MS", default_value_t = fetch::DEFAULT_DELAY_MS)]
    pub(crate) delay: u64,

    /// Requests in flight overall.
    #[arg(long, value_name = "N", default_value_t = fetch::DEFAULT_CONCURRENCY, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub(crate) concurrency: u16,

    /// Largest body accepted from a server, counted after decompression (e.g. 20MiB, 500KiB).
    #[arg(long, value_name = "SIZE", default_value_t = Size(fetch::DEFAULT_MAX_BODY), value_parser = parse_size)]
    pub(crate) max_body: Size,

    /// Seconds allowed for a whole request, body included.
    #[arg(long, value_name = "SECS", default_value_t = fetch::DEFAULT_TIMEOUT_SECS, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub(crate) timeout: u64,

    /// Let links on public pages lead to loopback, private and link-local addresses too.
    #[arg(long)]
    pub(crate) allow_private: bool,

    /// The networks that count as private, instead of the standard ones (for testing a crawl
    /// inside a lab network).
    #[arg(
        long,
        value_name = "CIDR,…",
        env = "ARCHIVE_PRIVATE_NETWORKS",
        value_delimiter = ',',
        hide = true
    )]
    pub(crate) private_networks: Vec<ipnet::IpNet>,

    /// Also read the sitemaps (with their image and video entries) that each seed host's
    /// robots.txt lists.
    #[arg(long)]
    pub(crate) sitemaps: bool,

    /// Do not search the accounts a release leads to (a Flickr user, a YouTube channel, a
    /// Dailymotion user) for its campaigns' hashtags: read only what it links.
    #[arg(long)]
    pub(crate) no_discover: bool,

    /// Also write the crawl's summary to this file, as JSON.
    #[arg(long, value_name = "FILE.json")]
    pub(crate) report: Option<PathBuf>,

    /// Also fetch every item's thumbnail now, into the cache `archive serve` shows them from,
    /// to browse offline later (with --record, the recording keeps them too). Without it,
    /// `archive serve` fetches each one the first time a page shows it.
    #[arg(long)]
    pub(crate) thumbnails: bool,

    /// Date the crawl at this instant (RFC 3339) instead of now: what it sees is last seen
    /// then. For reproducible runs and tests.
    #[arg(long, value_name = "INSTANT", env = "ARCHIVE_NOW", hide = true, value_parser = parse_instant)]
    pub(crate) now: Option<archive::model::Timestamp>,
}

fn parse_instant(text: &str) -> Result<archive::model::Timestamp, String> {
    chrono::DateTime::parse_from_rfc3339(text.trim()).map_err(|e| {
        format!("{text:?} is not an RFC 3339 instant such as 2018-12-18T15:54:37Z: {e}")
    })
}

/// A number of bytes, shown in the largest binary unit that divides it (`20MiB`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Size(pub(crate) u64);

impl std::fmt::Display for Size {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let units = [(1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")];
        match units.iter().find(|(unit, _)| self.0.is_multiple_of(*unit)) {
            Some((unit, name)) => write!(f, "{}{name}", self.0 / unit),
            None => write!(f, "{}", self.0),
        }
    }
}

/// Reads a size such as `20MiB`, `500KiB`, `1G` or `1048576` into bytes.
fn parse_size(text: &str) -> Result<Size, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: u64 = number
        .parse()
        .map_err(|_| format!("{text:?} is not a size such as 20MiB or 500KiB"))?;
    let factor: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        _ => return Err(format!("{unit:?} is not a size unit: use KiB, MiB or GiB")),
    };
    number
        .checked_mul(factor)
        .filter(|&n| n > 0)
        .map(Size)
        .ok_or_else(|| format!("{text:?} is not a usable size"))
}

/// `archive search`
#[derive(Debug, Args)]
#[command(after_help = "\
Query language:
  vs20 soyuz                 items matching every word (case and accents do not matter)
  \"launch pad\"               a phrase
  vs20 OR vs21               either word;  vs20 AND NOT rehearsal, vs20 -rehearsal: without
  soyu*                      words starting with soyu
  campaign:VS20              a field: title, description, campaign, kind, tag, creator,
                             license, source, collection, taken, published, date
  taken:[2018-12-18 TO 2018-12-20]
                             taken on those days (UTC), both included; also taken:2018-12,
                             published:>=2018-12-18, date:2018 (date: taken, else published)
Nothing is fuzzy: vs20 never finds VS21. When nothing matches, close words are suggested.

Examples:
  archive search vs20
  archive search vs20 --kind video --reusable
  archive search 'soyuz taken:2018-12-18' --sort date
  archive search vs20 --since 2018-12-18 --until 2018-12-19 --json
  archive search --campaign vs20 --facets
  archive search -- vs20 -rehearsal           (-- before a query that starts with -)")]
pub(crate) struct SearchArgs {
    /// What to look for; several words are all required. Without one, every item matches.
    #[arg(value_name = "QUERY", num_args = 0..)]
    pub(crate) query: Vec<String>,

    #[command(flatten)]
    pub(crate) index: IndexArg,

    #[command(flatten)]
    pub(crate) filters: FilterArgs,

    /// Order of the results: best match first, or newest (taken, else published) first.
    #[arg(long, value_enum, value_name = "ORDER", default_value_t = SortArg::Relevance)]
    pub(crate) sort: SortArg,

    /// How many items to show.
    #[arg(long, value_name = "N", default_value_t = 20, value_parser = clap::value_parser!(u64).range(1..=100_000))]
    pub(crate) limit: u64,

    /// One JSON object a line: every field of the item, plus `score`, `snippet` (matched
    /// words in <b>…</b>, the rest HTML-escaped), `credit_line`, `license_class` and
    /// `reusable`.
    #[arg(long)]
    pub(crate) json: bool,

    /// CSV with a header row: the same fields as --json, lists joined with `; `.
    #[arg(long, conflicts_with = "json")]
    pub(crate) csv: bool,

    /// Count the matches by campaign, kind, source, licence and year: a block after the
    /// table, or a last `{"facets": …}` line with --json.
    #[arg(long, conflicts_with = "csv")]
    pub(crate) facets: bool,

    #[command(flatten)]
    pub(crate) color: ColorArg,
}

/// The search's filters, shared by `search` and `download`.
#[derive(Debug, Args)]
pub(crate) struct FilterArgs {
    /// Only items of this kind; repeat for several.
    #[arg(long, value_name = "KIND", value_enum)]
    pub(crate) kind: Vec<archive::model::Kind>,

    /// Only items in this campaign (`VS20`, `#vs20`); repeat for several.
    #[arg(long, value_name = "TAG")]
    pub(crate) campaign: Vec<String>,

    /// Only items taken (else published) on or after this date: 2018-12-18, 2018-12, 2018
    /// (UTC), or an instant such as 2018-12-18T15:54:37Z.
    #[arg(long, value_name = "DATE", value_parser = parse_period)]
    pub(crate) since: Option<Period>,

    /// Only items taken (else published) on or before this date, the whole day (month,
    /// year) included.
    #[arg(long, value_name = "DATE", value_parser = parse_period)]
    pub(crate) until: Option<Period>,

    /// Only items found by this source; repeat for several.
    #[arg(long, value_name = "NAME", value_enum)]
    pub(crate) source: Vec<archive::model::Source>,

    /// Only items whose licence names these words, in order (`CC BY-SA`, `cc0`); repeat for
    /// several.
    #[arg(long, value_name = "TEXT")]
    pub(crate) license: Vec<String>,

    /// Only what a newsroom may publish without asking: CC BY, CC BY-SA, CC BY-ND, CC0,
    /// public domain, no known copyright restrictions, US government works. Drops
    /// NonCommercial, all-rights-reserved and unknown licences.
    #[arg(long)]
    pub(crate) reusable: bool,
}

/// The order of search results.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum SortArg {
    /// Best match first; items of a campaign the query names come first.
    Relevance,
    /// Newest first, by date taken, else published.
    Date,
}

/// When to colour the output.
#[derive(Debug, Args)]
pub(crate) struct ColorArg {
    /// Colour and highlight the output: auto (only on a terminal, and not when NO_COLOR is
    /// set), always or never.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorWhen::Auto)]
    pub(crate) color: ColorWhen,
}

/// `--color`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum ColorWhen {
    /// On a terminal, unless NO_COLOR is set.
    Auto,
    /// Always, even into a pipe.
    Always,
    /// Never.
    Never,
}

fn parse_period(text: &str) -> Result<Period, String> {
    Period::parse(text)
}

/// `archive download`
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  archive download vs20 --to pack
      Every file of the VS20 campaign: pack/VS20/<date>_<title>_<id>.<ext>, each with an XMP
      sidecar (credit, licence), and the pack's manifest.json, manifest.csv, CREDITS.md and
      SHA256SUMS.
  archive download vs20 --reusable --max-width 2048 --embed --to pack
      Only what a newsroom may publish without asking, 2048 pixels wide or the nearest size
      above, the credit and licence also written into the JPEG files.
  archive download 'soyuz taken:2018-12-18' --kind photo --dry-run --to pack
      What would be fetched, without fetching.

Running the same command again downloads only what is new or changed, and resumes files
left partial. Videos that play only on YouTube, Vimeo or Dailymotion are listed in the
manifest with their page, not downloaded.")]
pub(crate) struct DownloadArgs {
    /// What to download, as `archive search` reads it. Without one, every item matches.
    #[arg(value_name = "QUERY", num_args = 0..)]
    pub(crate) query: Vec<String>,

    #[command(flatten)]
    pub(crate) index: IndexArg,

    #[command(flatten)]
    pub(crate) filters: FilterArgs,

    /// The pack's directory (created if needed).
    #[arg(long, value_name = "DIR")]
    pub(crate) to: PathBuf,

    /// Which size of a photo: the original (else the largest listed), or the largest.
    #[arg(long, value_enum, value_name = "SIZE", default_value_t = SizeArg::Original, conflicts_with = "max_width")]
    pub(crate) size: SizeArg,

    /// The smallest size of a photo at least this many pixels wide, else the largest.
    #[arg(long, value_name = "PIXELS", value_parser = clap::value_parser!(u32).range(1..))]
    pub(crate) max_width: Option<u32>,

    /// Put every file in DIR itself, not in a folder per campaign.
    #[arg(long)]
    pub(crate) flat: bool,

    /// Also write the credit and licence into JPEG files (the sidecars are written anyway).
    #[arg(long)]
    pub(crate) embed: bool,

    /// At most this many items, in the order of --sort; all of them without it.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub(crate) limit: Option<u64>,

    /// Which items come first when --limit cuts: best match, or newest.
    #[arg(long, value_enum, value_name = "ORDER", default_value_t = SortArg::Relevance)]
    pub(crate) sort: SortArg,

    /// The largest file accepted (e.g. 500MiB).
    #[arg(long, value_name = "SIZE", default_value_t = Size(2 << 30), value_parser = parse_size)]
    pub(crate) max_file: Size,

    /// The most this run may download in all.
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    pub(crate) max_total: Option<Size>,

    /// Print what would be fetched and where it would go, without fetching.
    #[arg(long)]
    pub(crate) dry_run: bool,

    /// Files downloaded at once.
    #[arg(long, value_name = "N", default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub(crate) concurrency: u16,

    /// Requests in flight to one host.
    #[arg(long, value_name = "N", default_value_t = fetch::DEFAULT_PER_HOST, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub(crate) per_host: u16,

    /// Minimum milliseconds between two requests to one host.
    #[arg(long, value_name = "MS", default_value_t = fetch::DEFAULT_DELAY_MS)]
    pub(crate) delay: u64,

    /// Seconds allowed for a server to start answering; a file then takes as long as it
    /// needs while bytes keep arriving.
    #[arg(long, value_name = "SECS", default_value_t = fetch::DEFAULT_TIMEOUT_SECS, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub(crate) timeout: u64,

    /// Let files be fetched from loopback, private and link-local addresses too.
    #[arg(long)]
    pub(crate) allow_private: bool,

    /// The networks that count as private, instead of the standard ones.
    #[arg(
        long,
        value_name = "CIDR,…",
        env = "ARCHIVE_PRIVATE_NETWORKS",
        value_delimiter = ',',
        hide = true
    )]
    pub(crate) private_networks: Vec<ipnet::IpNet>,
}

/// `--size`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum SizeArg {
    /// The original when known, else the largest size.
    Original,
    /// The largest size listed.
    Largest,
}

/// `archive show`
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  archive show flickr:45539063392
  archive show 45539063392                      a Flickr photo's number
  archive show https://www.flickr.com/photos/cnes/45539063392/
  archive show flickr:45539063392 --json")]
pub(crate) struct ShowArgs {
    /// The item's id (as `search --json` prints it), or its page or file URL (as the search
    /// table shows it).
    #[arg(value_name = "ID")]
    pub(crate) id: String,

    #[command(flatten)]
    pub(crate) index: IndexArg,

    /// The item as one JSON object, with `credit_line`, `license_class` and `reusable`.
    #[arg(long)]
    pub(crate) json: bool,

    #[command(flatten)]
    pub(crate) color: ColorArg,
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

    /// One object a line: `campaign`, `items`, `first_date`, `last_date`, `sources` and
    /// `found_via`.
    #[arg(long)]
    pub(crate) json: bool,
}

/// `archive serve`
#[derive(Debug, Args)]
#[command(after_help = "\
Examples:
  archive serve --open
      Browse the index at http://127.0.0.1:7878/ in the default browser.
  archive serve --offline
      Fetch no thumbnail: show the ones already cached, a placeholder for the others.
  archive serve --bind 0.0.0.0:7878 --allow-host desk.newsroom.lan
      Let colleagues on the network browse it too, also by that name.

The JSON API: /api/search (the page's parameters: q, kind, campaign, source, license, class,
reusable, year, since, until, sort, page, limit), /api/items/ID and /api/campaigns.")]
pub(crate) struct ServeArgs {
    #[command(flatten)]
    pub(crate) index: IndexArg,

    /// The address and port to listen on. The default answers this machine only;
    /// 0.0.0.0:7878 answers anyone who can reach it.
    #[arg(long, value_name = "ADDR:PORT", default_value = "127.0.0.1:7878")]
    pub(crate) bind: std::net::SocketAddr,

    /// Open the page in the default web browser.
    #[arg(long)]
    pub(crate) open: bool,

    /// Fetch no thumbnail: show those already cached, and a placeholder for the others.
    #[arg(long)]
    pub(crate) offline: bool,

    /// Also answer to this host name, for colleagues who reach the server by name (with a
    /// --bind beyond this machine); repeatable. Other names are refused, against DNS
    /// rebinding.
    #[arg(long = "allow-host", value_name = "NAME")]
    pub(crate) allow_hosts: Vec<String>,

    /// The largest size of the thumbnail cache beside the index (e.g. 512MiB, 2GiB); the
    /// least recently shown go first.
    #[arg(long, value_name = "SIZE", default_value_t = Size(archive::serve::thumbnails::DEFAULT_CAP), value_parser = parse_size)]
    pub(crate) thumbnail_cache: Size,

    /// Let thumbnails come from loopback, private and link-local addresses too (an index
    /// crawled inside a private network).
    #[arg(long)]
    pub(crate) allow_private: bool,

    /// The networks that count as private, instead of the standard ones (for testing).
    #[arg(
        long,
        value_name = "CIDR,…",
        env = "ARCHIVE_PRIVATE_NETWORKS",
        value_delimiter = ',',
        hide = true
    )]
    pub(crate) private_networks: Vec<ipnet::IpNet>,
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
        assert_eq!((args.max_body, args.timeout), (Size(20 * 1024 * 1024), 60));
        let library = archive::fetch::FetchConfig::default();
        assert_eq!(usize::from(args.per_host), library.per_host);
        assert_eq!(usize::from(args.concurrency), library.concurrency);
        assert_eq!(args.max_body.0, library.max_body);
        assert_eq!(args.timeout, library.total_timeout.as_secs());
        assert!(!args.allow_private);
    }

    #[test]
    fn sizes_read_with_units() {
        assert_eq!(parse_size("20MiB"), Ok(Size(20 * 1024 * 1024)));
        assert_eq!(parse_size("500 KiB"), Ok(Size(500 * 1024)));
        assert_eq!(parse_size("1g"), Ok(Size(1 << 30)));
        assert_eq!(parse_size("4096"), Ok(Size(4096)));
        assert_eq!(Size(20 * 1024 * 1024).to_string(), "20MiB");
        assert_eq!(Size(4097).to_string(), "4097");
        assert!(parse_size("twenty").is_err());
        assert!(parse_size("20 parsecs").is_err());
        assert!(parse_size("0").is_err());
        assert!(parse_size("99999999999999999999GiB").is_err());
    }

    #[test]
    fn serve_listens_on_loopback_by_default() {
        let cli = Cli::try_parse_from(["archive", "serve"]).unwrap();
        let Command::Serve(args) = cli.command else {
            panic!("serve expected")
        };
        assert_eq!(args.bind.to_string(), "127.0.0.1:7878");
        assert_eq!(args.thumbnail_cache, Size(512 * 1024 * 1024));
        assert!(!args.offline && !args.open && !args.allow_private);
        let bad = Cli::try_parse_from(["archive", "serve", "--bind", "localhost"]);
        assert!(
            bad.unwrap_err()
                .to_string()
                .contains("invalid socket address")
        );
    }

    #[test]
    fn record_and_replay_cannot_be_combined() {
        let both = Cli::try_parse_from(["archive", "crawl", "--record", "a", "--replay", "b"]);
        assert!(both.is_err());
    }

    fn search_error(args: &[&str]) -> String {
        let mut all = vec!["archive", "search"];
        all.extend_from_slice(args);
        Cli::try_parse_from(all).unwrap_err().to_string()
    }

    #[test]
    fn search_flags_that_make_no_sense_together_are_refused() {
        assert!(search_error(&["vs20", "--json", "--csv"]).contains("cannot be used with"));
        assert!(search_error(&["vs20", "--csv", "--facets"]).contains("cannot be used with"));
        assert!(search_error(&["vs20", "--limit", "0"]).contains("0 is not in 1..=100000"));
        assert!(search_error(&["vs20", "--kind", "poster"]).contains("[possible values: photo"));
        assert!(search_error(&["vs20", "--source", "web"]).contains("flickr"));
        assert!(search_error(&["vs20", "--since", "yesterday"]).contains("is not a date"));
        assert!(search_error(&["vs20", "--sort", "views"]).contains("relevance"));
    }

    #[test]
    fn search_flags_parse_into_filters() {
        let cli = Cli::try_parse_from([
            "archive",
            "search",
            "vs20",
            "--kind",
            "video",
            "--kind",
            "photo",
            "--source",
            "jsonld",
            "--since",
            "2018-12",
            "--sort",
            "date",
            "--limit",
            "5",
            "--reusable",
        ])
        .unwrap();
        let Command::Search(args) = cli.command else {
            panic!("search expected")
        };
        use archive::model::{Kind, Source};
        assert_eq!(args.filters.kind, [Kind::Video, Kind::Photo]);
        assert_eq!(args.filters.source, [Source::JsonLd]);
        assert_eq!(args.filters.since, Period::parse("2018-12").ok());
        assert_eq!(
            (args.sort, args.limit, args.filters.reusable),
            (SortArg::Date, 5, true)
        );
        assert!(Cli::try_parse_from(["archive", "search", "--campaign", "vs20"]).is_ok());
    }
}

/// `archive check`
#[derive(Debug, Args)]
#[command(after_help = "\
Exits 0 when the index is sound, 1 when something in it is damaged or missing, 2 when it \
cannot be opened at all.")]
pub(crate) struct CheckArgs {
    #[command(flatten)]
    pub(crate) index: IndexArg,
}

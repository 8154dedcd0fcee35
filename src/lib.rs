//! `archive` finds every photo and video of a press campaign.
//!
//! The pipeline, one typed stage after another:
//!
//! ```text
//! seeds ─▶ crawl (fetch) ─▶ sources ─▶ tag ─▶ index ─▶ search
//!   press releases,     Page      Extracted  Item     Tantivy    hits
//!   URLs or files
//! ```
//!
//! The modules form layers; each uses only those below it:
//!
//! 1. [`model`], [`failure`], [`urls`], [`tag`] and [`media`]: the data that flows between
//!    stages, and the pure helpers every source shares (merging, kinds, dates, credits,
//!    licences). They know no source.
//! 2. [`warcfile`], then [`fetch`]: the one HTTP client, polite, bounded, recording to or
//!    replaying from WARC.
//! 3. [`sources`]: every kind of place media is read from, one module each, in one
//!    registry.
//! 4. [`index`], then [`state`]: Tantivy, one document per item, and what past crawls
//!    learnt.
//! 5. [`crawl`]: from seeds through links to indexed items, knowing sources only through
//!    the registry.
//! 6. [`search`]: the query language, filters, facets and snippets over the index.
//! 7. [`download`]: the files of the items a search finds, into a credited, checksummed
//!    pack.
//! 8. [`serve`]: the index as a local web page and a JSON API, over search and campaigns.
//!
//! The command line (`main.rs`, `cli.rs`, `commands/`, `output/`) sits on top and is the
//! only code that prints.

pub mod crawl;
pub mod demo;
pub mod download;
pub mod failure;
pub mod fetch;
pub mod index;
pub mod media;
pub mod model;
pub mod search;
pub mod serve;
pub mod sources;
pub mod state;
pub mod tag;
pub mod urls;
pub mod warcfile;

//! `archive` finds every photo and video of a press campaign.
//!
//! The pipeline, one typed stage after another:
//!
//! ```text
//! seeds ─▶ crawl (fetch) ─▶ extract ─▶ tag ─▶ index ─▶ search
//!   press releases,     Page      Extracted  Item     Tantivy    hits
//!   URLs or files
//! ```
//!
//! - [`fetch`] is the one HTTP client: polite, bounded, recording to or replaying from WARC.
//! - [`extract`] turns a page into items and links; pure and synchronous.
//! - [`flickr`] reads albums and photos through the Flickr REST API.
//! - [`tag`] gives every item the campaigns of the releases that led to it.
//! - [`index`] stores items in Tantivy, one document per item; [`search`] queries it.

pub mod crawl;
pub mod demo;
pub mod extract;
pub mod fetch;
pub mod flickr;
pub mod index;
pub mod merge;
pub mod model;
pub mod search;
pub mod state;
pub mod tag;
pub mod urls;
pub mod warcfile;

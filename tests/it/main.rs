//! The integration tests, built as one binary: one module per theme, sharing the helpers in
//! [`common`] and [`search_support`], and the loopback server and fixture site of the
//! `archive-test-support` package.
//!
//! `cargo test --test it NAME` runs the tests whose path contains NAME, such as `demo::` or
//! `crawl_politeness::`.

mod common;
mod download_support;
mod search_support;

mod cli;
mod crawl_bounds;
mod crawl_faults;
mod crawl_incremental;
mod crawl_politeness;
mod demo;
mod download;
mod download_faults;
mod export;
mod flickr;
mod fuzz_regressions;
mod hostile;
mod index_damage;
mod index_search;
mod platforms;
mod realworld;
mod search_cli;
mod search_pages;
mod search_queries;
mod search_rights;
mod search_syntax;
mod search_upgrade;
mod serve_browser;
mod serve_http;
mod serve_thumbnails;
mod sources;
mod warc;

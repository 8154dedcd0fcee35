//! Real-world inputs nobody here wrote: feeds, news and media pages, sitemaps, Flickr API
//! answers, oEmbed answers and WARC files from other projects' public test suites, each with
//! what a careful journalist expects of it, written from reading the input.
//!
//! The corpus is `tests/fixtures/realworld/` (its `MANIFEST.md` says where each file comes
//! from). Every input is crawled as the web would serve it, from a loopback server, and
//! compared field by field; the test prints `realworld: N/M inputs fully correct` and the
//! differences grouped by class of defect, and fails under 95%. `ARCHIVE_REALWORLD=NAME`
//! runs only the inputs whose name contains NAME.

#[path = "realworld/compare.rs"]
mod compare;
#[path = "realworld/expect.rs"]
mod expect;
#[path = "realworld/run.rs"]
mod run;
#[path = "realworld/seed.rs"]
mod seed;

use std::collections::BTreeMap;

use crate::common;

/// The share of inputs that must be read fully right, in percent.
const GOAL: usize = 95;

#[test]
fn the_real_world_corpus_is_read_right() {
    let corpus = common::fixture_path("realworld");
    let only = std::env::var("ARCHIVE_REALWORLD").unwrap_or_default();
    let expectations: Vec<expect::Expectation> = expect::all(&corpus)
        .into_iter()
        .filter(|e| e.name(&corpus).contains(&only))
        .collect();
    assert!(
        !expectations.is_empty(),
        "no input under {}",
        corpus.display()
    );
    let mut by_class: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let mut correct = 0;
    let mut by_kind: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for expectation in &expectations {
        let name = expectation.name(&corpus);
        let outcome = run::crawl(expectation);
        let failures = compare::compare(expectation, &outcome);
        let tally = by_kind.entry(expectation.kind.as_str()).or_default();
        tally.1 += 1;
        if failures.is_empty() {
            correct += 1;
            tally.0 += 1;
        }
        for failure in failures {
            by_class
                .entry(failure.class)
                .or_default()
                .push(format!("{name}: {}", failure.message));
        }
    }
    let total = expectations.len();
    println!("realworld: {correct}/{total} inputs fully correct");
    for (kind, (right, all)) in &by_kind {
        println!("  {kind}: {right}/{all}");
    }
    for (class, failures) in &by_class {
        println!("\n{class} ({}):", failures.len());
        for failure in failures {
            println!("  {failure}");
        }
    }
    assert!(
        correct * 100 >= GOAL * total,
        "realworld: {correct}/{total} inputs fully correct, under {GOAL}%"
    );
}

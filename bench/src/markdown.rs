//! BENCHMARKS.md: one section per labelled run, and a table comparing them.
//!
//! A run replaces only the section of its own label and mode (`--label before`, full or
//! quick); other runs' sections stay, so "before" and "after" sit side by side, and the
//! comparison table is rebuilt from every section's metric lines. Text outside the
//! `<!-- bench:… -->` markers is written by hand (the diagnosis, closing notes) and is kept.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::time::Duration;

use crate::machine::Machine;
use crate::report::{self, Figure};

const SUMMARY: (&str, &str) = ("<!-- bench:summary -->", "<!-- /bench:summary -->");
const RUNS: (&str, &str) = ("<!-- bench:runs -->", "<!-- /bench:runs -->");
const RUN_HEADING: &str = "## Run: ";

/// One finished run, to write down.
pub(crate) struct Run<'a> {
    pub(crate) label: &'a str,
    pub(crate) quick: bool,
    pub(crate) machine: &'a Machine,
    pub(crate) command: String,
    pub(crate) wall: Duration,
    pub(crate) figures: &'a [Figure],
}

impl Run<'_> {
    fn title(&self) -> String {
        let mode = if self.quick { "quick" } else { "full" };
        format!("{} ({mode})", self.label)
    }
}

/// Writes the run into the file, keeping the other runs and the hand-written text.
pub(crate) fn write(path: &Path, run: &Run<'_>) -> std::io::Result<()> {
    let existing = std::fs::read_to_string(path).unwrap_or_default();
    let (before, summary, middle, runs, after) = split(&existing).unwrap_or_else(|| {
        // No markers: start over, keeping whatever was there below.
        let (head, tail) = skeleton();
        (
            head,
            String::new(),
            "\n\n".into(),
            String::new(),
            tail + &existing,
        )
    });
    let mut sections = sections(&runs);
    let title = run.title();
    let section = section(run);
    match sections.iter_mut().find(|(t, _)| *t == title) {
        Some(found) => found.1 = section,
        None => sections.push((title, section)),
    }
    let mut text = before;
    text.push_str(SUMMARY.0);
    text.push('\n');
    text.push_str(&comparison(&sections, run.figures, &summary));
    text.push_str(SUMMARY.1);
    text.push_str(&middle);
    text.push_str(RUNS.0);
    text.push('\n');
    for (_, body) in &sections {
        text.push_str(body);
    }
    text.push_str(RUNS.1);
    text.push_str(&after);
    std::fs::write(path, text)
}

type Parts = (String, String, String, String, String);

/// The text before the summary, the summary, between, the runs, and after.
fn split(text: &str) -> Option<Parts> {
    let (before, rest) = text.split_once(SUMMARY.0)?;
    let (summary, rest) = rest.split_once(SUMMARY.1)?;
    let (middle, rest) = rest.split_once(RUNS.0)?;
    let (runs, after) = rest.split_once(RUNS.1)?;
    Some((
        before.to_string(),
        summary.to_string(),
        middle.to_string(),
        runs.trim_start_matches('\n').to_string(),
        after.to_string(),
    ))
}

/// The runs region cut into (title, text) sections.
fn sections(runs: &str) -> Vec<(String, String)> {
    let mut sections: Vec<(String, String)> = Vec::new();
    for line in runs.split_inclusive('\n') {
        if let Some(title) = line.strip_prefix(RUN_HEADING) {
            sections.push((title.trim().to_string(), String::new()));
        }
        if let Some((_, body)) = sections.last_mut() {
            body.push_str(line);
        }
    }
    sections
}

fn skeleton() -> (String, String) {
    let head = "# Benchmarks\n\n\
How close `archive` is to the limits of this machine: each figure is measured against a \
baseline in the same run (raw Tantivy, a bare parser, the politeness bound, ripgrep, SQLite \
FTS5, a target), because on a shared machine a ratio is stable where a time is not. \
Ratio = value ÷ baseline; the goal says which way is good.\n\n\
Run it with `cargo run --release -p bench -- --quick` (under 3 minutes) or without \
`--quick` (under 30). `--label NAME` files the run under its own section, so that a \
\"before\" and an \"after\" run stay side by side; the table below compares every run kept.\n\n";
    let tail = "\n\n## Notes\n\nWritten by hand: what limits each figure that misses its goal, \
and what was changed between runs.\n";
    (head.to_string(), tail.to_string())
}

fn section(run: &Run<'_>) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{RUN_HEADING}{}\n", run.title());
    let _ = writeln!(
        out,
        "- Date: {} · commit {}",
        run.machine.date, run.machine.commit
    );
    let _ = writeln!(out, "- Machine: {}", run.machine.summary());
    let _ = writeln!(out, "- Command: `{}`", run.command);
    let _ = writeln!(out, "- Wall time: {}", minutes(run.wall));
    let _ = writeln!(
        out,
        "- Values are medians over the runs shown (percentiles over every query); a \
         baseline was measured in the same run, interleaved with its subject where both run \
         in process.\n"
    );
    let _ = writeln!(out, "| {} |", report::HEADER.join(" | "));
    let _ = writeln!(out, "|{}", " --- |".repeat(report::HEADER.len()));
    for row in report::rows(run.figures) {
        let cells: Vec<String> = row.iter().map(|c| c.replace('|', "\\|")).collect();
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
    let notes = report::notes(run.figures);
    if !notes.is_empty() {
        let _ = write!(out, "\nHow the figures were taken:\n\n{notes}");
    }
    let _ = write!(
        out,
        "\n<details><summary>Metric lines</summary>\n\n```text\n{}```\n\n</details>\n\n",
        report::metrics(run.figures)
    );
    out
}

/// Every metric of every run kept, one column per run, with the goals this run knows and
/// those the previous table showed (a run of a few groups knows only theirs).
fn comparison(sections: &[(String, String)], figures: &[Figure], previous: &str) -> String {
    let mut names: Vec<String> = Vec::new();
    let mut columns: Vec<BTreeMap<String, String>> = Vec::new();
    for (_, body) in sections {
        let values = metric_lines(body);
        for (name, _) in &values {
            if !names.contains(name) {
                names.push(name.clone());
            }
        }
        columns.push(values.into_iter().collect());
    }
    let mut goals = previous_goals(previous);
    goals.extend(figures.iter().flat_map(|f| {
        f.baselines.iter().filter_map(|b| {
            let goal = b.goal?;
            Some((format!("{}.ratio_to_{}", f.key, b.name), goal.label()))
        })
    }));
    let mut out = String::from("## Runs compared\n\n| metric | goal |");
    for (title, _) in sections {
        let _ = write!(out, " {title} |");
    }
    let _ = writeln!(out, "\n| --- | --- |{}", " --- |".repeat(sections.len()));
    for name in &names {
        let goal = goals.get(name).map_or("", String::as_str);
        let _ = write!(out, "| `{name}` | {goal} |");
        for column in &columns {
            let _ = write!(out, " {} |", column.get(name).map_or("", String::as_str));
        }
        out.push('\n');
    }
    out.push('\n');
    out
}

/// The goals column of a comparison table: `| `metric` | goal | …`.
fn previous_goals(table: &str) -> BTreeMap<String, String> {
    table
        .lines()
        .filter_map(|line| {
            let mut cells = line.split('|').map(str::trim).skip(1);
            let name = cells.next()?.strip_prefix('`')?.strip_suffix('`')?;
            let goal = cells.next()?;
            (!goal.is_empty()).then(|| (name.to_string(), goal.to_string()))
        })
        .collect()
}

/// The `metric value` lines of a section's text block.
fn metric_lines(body: &str) -> Vec<(String, String)> {
    let Some((_, block)) = body.split_once("```text\n") else {
        return Vec::new();
    };
    let block = block.split("```").next().unwrap_or_default();
    block
        .lines()
        .filter_map(|line| line.split_once(' '))
        .map(|(name, value)| (name.to_string(), value.to_string()))
        .collect()
}

fn minutes(duration: Duration) -> String {
    let seconds = duration.as_secs();
    format!("{} min {:02} s", seconds / 60, seconds % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_are_cut_at_run_headings() {
        let runs = "## Run: before (full)\n\ntext\n```text\na.b 1\n```\n## Run: after (full)\nx\n";
        let found = sections(runs);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].0, "before (full)");
        assert_eq!(
            metric_lines(&found[0].1),
            [("a.b".to_string(), "1".to_string())]
        );
        assert!(found[1].1.starts_with("## Run: after (full)\n"));
    }

    #[test]
    fn goals_are_read_back_from_the_previous_table() {
        let table = "| metric | goal | a |\n| --- | --- | --- |\n| `x.ratio_to_y` | ≥ 0.8 | 1 |\n| `x.z` |  | 2 |\n";
        let goals = previous_goals(table);
        assert_eq!(goals.len(), 1);
        assert_eq!(goals["x.ratio_to_y"], "≥ 0.8");
    }
}

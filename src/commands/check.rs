//! `archive check`: whether the index is sound, in words a user can act on.

use anyhow::Result;
use std::process::ExitCode;

use archive::index::{ArchiveIndex, Health};

use crate::cli::CheckArgs;
use crate::output;

pub(crate) fn run(args: &CheckArgs) -> Result<ExitCode> {
    let index = ArchiveIndex::open(&args.index.index)?;
    let health = index.check()?;
    let dir = index.dir().display();
    if health.is_sound() {
        println!(
            "The index at {dir} is sound: {} in {}{}.",
            output::plural(count(health.items), "item"),
            output::plural(health.segments, "segment"),
            if index.is_read_only() {
                ", read-only"
            } else {
                ""
            }
        );
        return Ok(ExitCode::SUCCESS);
    }
    println!("The index at {dir} is damaged:");
    for line in problems(&health) {
        println!("  {line}");
    }
    println!(
        "Searches may fail or miss items. Crawl again into a new index (--index), or restore a \
         copy of {dir}."
    );
    Ok(ExitCode::from(1))
}

fn problems(health: &Health) -> Vec<String> {
    let mut lines = Vec::new();
    for file in &health.damaged {
        lines.push(format!("{}: its checksum does not match", file.display()));
    }
    for file in &health.missing {
        lines.push(format!("{}: missing", file.display()));
    }
    if health.unreadable_items > 0 {
        lines.push(format!(
            "{} of {} could not be read back",
            health.unreadable_items,
            output::plural(count(health.items), "stored item")
        ));
    }
    if let Some(detail) = &health.unreadable {
        lines.push(format!("reading it through failed: {detail}"));
    }
    lines
}

fn count(items: u64) -> usize {
    usize::try_from(items).unwrap_or(usize::MAX)
}

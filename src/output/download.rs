//! `archive download`'s words: what a dry run would fetch, and the summary at the end.

use std::io::{self, Write};
use std::path::Path;

use archive::download::{Entry, Report, Status};

use super::plural;

/// Lines of skipped or failed items shown before "and N more".
const SHOWN: usize = 20;

/// What a dry run would do: one line per item, then the totals.
pub(crate) fn dry_run(out: &mut impl Write, entries: &[Entry], pack: &Path) -> io::Result<()> {
    for entry in entries {
        let status = match entry.status {
            Status::Planned => "fetch",
            Status::Unchanged => "have",
            Status::Skipped => "skip",
            _ => entry.status.as_str(),
        };
        let target = entry.file.as_deref().unwrap_or("-");
        let from = match entry.status {
            Status::Skipped => entry.reason.as_deref().unwrap_or_default(),
            _ => entry.media_url.as_deref().unwrap_or_default(),
        };
        writeln!(
            out,
            "{status:5} {}  {}  ← {}",
            safe(&entry.id),
            safe(target),
            safe(from)
        )?;
    }
    let count = |status| entries.iter().filter(|e| e.status == status).count();
    let planned = count(Status::Planned);
    writeln!(
        out,
        "\nWould fetch {} into {} ({} already there, {} not downloadable); their size is known \
         only once their servers are asked.",
        plural(planned, "file"),
        pack.display(),
        count(Status::Unchanged),
        count(Status::Skipped)
    )?;
    let restricted = entries
        .iter()
        .filter(|e| e.status == Status::Planned && !e.reusable)
        .count();
    if restricted > 0 {
        writeln!(
            out,
            "{} of them may not be published without asking (add --reusable to leave them out).",
            restricted
        )?;
    }
    Ok(())
}

/// The summary: counts, bytes, what is not reusable, and every failure with its reason.
pub(crate) fn summary(out: &mut impl Write, report: &Report, pack: &Path) -> io::Result<()> {
    let fetched: Vec<&Entry> = report
        .entries
        .iter()
        .filter(|e| matches!(e.status, Status::Downloaded | Status::Updated))
        .collect();
    let bytes: u64 = fetched.iter().filter_map(|e| e.bytes).sum();
    let mut line = format!(
        "Downloaded {} ({}) into {}",
        plural(fetched.len(), "file"),
        human(bytes),
        pack.display()
    );
    for (status, words) in [
        (Status::Updated, "replaced (original changed; old kept)"),
        (Status::Unchanged, "already complete"),
        (Status::Kept, "kept from earlier runs"),
        (Status::Skipped, "not downloadable"),
        (Status::Failed, "failed"),
    ] {
        let n = report.count(status);
        if n > 0 {
            line.push_str(&format!(" · {n} {words}"));
        }
    }
    writeln!(out, "{line}.")?;
    let restricted = report
        .entries
        .iter()
        .filter(|e| e.in_pack() && !e.reusable)
        .count();
    if restricted > 0 {
        writeln!(
            out,
            "{} may not be published without asking the rights holder: CREDITS.md marks them.",
            plural(restricted, "file")
        )?;
    }
    listing(out, "Not downloadable", report, Status::Skipped)?;
    listing(out, "Failed", report, Status::Failed)?;
    writeln!(
        out,
        "Pack: manifest.json, manifest.csv, CREDITS.md and SHA256SUMS in {}.",
        pack.display()
    )
}

fn listing(out: &mut impl Write, heading: &str, report: &Report, status: Status) -> io::Result<()> {
    let entries: Vec<&Entry> = report
        .entries
        .iter()
        .filter(|e| e.status == status)
        .collect();
    if entries.is_empty() {
        return Ok(());
    }
    writeln!(out, "{heading}:")?;
    for entry in entries.iter().take(SHOWN) {
        let title = entry.title.as_deref().map(safe).unwrap_or_default();
        let reason = entry.reason.as_deref().map(safe).unwrap_or_default();
        writeln!(out, "  {} {title}: {reason}", safe(&entry.id))?;
    }
    if entries.len() > SHOWN {
        writeln!(
            out,
            "  and {} more (see manifest.csv)",
            entries.len() - SHOWN
        )?;
    }
    Ok(())
}

/// Text from the web as a terminal may show it: no control characters (escape sequences)
/// and no direction overrides, which could disguise what is printed.
pub(crate) fn safe(text: &str) -> String {
    text.chars()
        .map(|c| {
            let bidi = matches!(c, '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
            if c.is_control() || bidi { ' ' } else { c }
        })
        .collect()
}

/// `1.5 MiB`.
pub(crate) fn human(bytes: u64) -> String {
    let units = [("GiB", 1u64 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)];
    for (name, size) in units {
        if bytes >= size {
            return format!("{:.1} {name}", bytes as f64 / size as f64);
        }
    }
    format!("{bytes} bytes")
}

#[cfg(test)]
mod tests {
    use super::*;
    use archive::model::{Item, Kind, Source};

    fn entry(id: &str, status: Status, reason: &str) -> Entry {
        let mut item = Item::new(id, Kind::Photo, Source::Flickr);
        item.title = Some("Evil \u{1b}[2J\u{202e}title".into());
        let mut entry = Entry::of(&item, status);
        entry.reason = Some(reason.into());
        entry.bytes = Some(1536);
        entry
    }

    #[test]
    fn the_summary_counts_and_lists_failures_without_terminal_tricks() {
        let report = Report {
            entries: vec![
                entry("flickr:1", Status::Downloaded, ""),
                entry("flickr:2", Status::Failed, "the server sent an HTML page"),
                entry(
                    "youtube:x",
                    Status::Skipped,
                    "plays only on YouTube's player",
                ),
            ],
        };
        let mut out = Vec::new();
        summary(&mut out, &report, Path::new("pack")).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.starts_with(
                "Downloaded 1 file (1.5 KiB) into pack · 1 not downloadable · 1 failed."
            ),
            "{text}"
        );
        assert!(
            text.contains("flickr:2 Evil  [2J title: the server sent an HTML page"),
            "{text}"
        );
        assert!(!text.contains('\u{1b}') && !text.contains('\u{202e}'));
        assert!(text.contains("\n1 file may not be published"), "{text}");
    }
}

//! `archive export` and `archive import`: items out as one JSON object a line, and back in.

use anyhow::{Context, Result};
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::process::ExitCode;

use archive::index::ArchiveIndex;
use archive::index::import::{self, BadLine, Imported};
use archive::search::{self, ExportError};

use crate::cli::{ExportArgs, ImportArgs};
use crate::output::{self, printable, records};

/// Bad lines named one by one; past these, only counted.
const BAD_LINES_SHOWN: u64 = 20;

pub(crate) fn export(args: &ExportArgs) -> Result<ExitCode> {
    let mut out = BufWriter::new(std::io::stdout().lock());
    if args.quickwit_config {
        let config = archive::index::quickwit::config(&args.quickwit_index_id);
        serde_json::to_writer_pretty(&mut out, &config)?;
        out.write_all(b"\n")?;
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    let filters = super::search::filters(&args.filters)?;
    let index = ArchiveIndex::open(&args.index.index)?;
    let written = search::export(&index, &args.query.join(" "), &filters, |mut hit| {
        printable::item(&mut hit.item);
        if let Some(snippet) = &mut hit.snippet {
            *snippet = printable::text(snippet).into_owned();
        }
        records::json_lines(&mut out, std::slice::from_ref(&hit))
    });
    match written {
        // The pipe closed or the disk is full: say so as the error it is.
        Err(ExportError::Write(error)) => return Err(error.into()),
        other => other?,
    };
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn import(args: &ImportArgs) -> Result<ExitCode> {
    let from_stdin = args.file.as_os_str() == "-";
    let name = if from_stdin {
        "standard input".to_string()
    } else {
        args.file.display().to_string()
    };
    let input: Box<dyn BufRead> = if from_stdin {
        Box::new(BufReader::new(std::io::stdin().lock()))
    } else {
        let file =
            std::fs::File::open(&args.file).with_context(|| format!("cannot read {name}"))?;
        Box::new(BufReader::new(file))
    };
    let index = ArchiveIndex::open_or_create(&args.index.index)?;
    let imported = import::import(&index, input, report_bad_line)
        .with_context(|| format!("the import of {name} stopped; what it committed stays"))?;
    eprintln!("{}", summary(&name, &imported));
    Ok(if imported.bad_lines > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// A bad line, named on stderr: its reason may quote the file, so it is made safe first.
fn report_bad_line(bad: BadLine) {
    if bad.line <= BAD_LINES_SHOWN {
        eprintln!("line {}: {}", bad.line, printable::text(&bad.reason));
    } else if bad.line == BAD_LINES_SHOWN + 1 {
        eprintln!("(further bad lines are counted, not shown)");
    }
}

fn summary(name: &str, imported: &Imported) -> String {
    let count = |n: u64| output::plural(usize::try_from(n).unwrap_or(usize::MAX), "item");
    let total = &imported.stats.total;
    let mut line = format!(
        "Imported {} from {}: {} added, {} updated, {} unchanged.",
        count(imported.items),
        printable::text(name),
        total.added,
        total.updated,
        total.unchanged,
    );
    if imported.settled > 0 {
        line.push_str(&format!(
            " {} already indexed joined the campaigns it brought.",
            count(imported.settled as u64)
        ));
    }
    if imported.bad_lines > 0 {
        let lines = output::plural(
            usize::try_from(imported.bad_lines).unwrap_or(usize::MAX),
            "line",
        );
        line.push_str(&format!(" {lines} skipped: not items."));
    }
    line
}

//! Reading: splits a WARC file into records, plain or gzipped one member per record.
//!
//! Written by hand rather than with the `warc` crate's `WarcReader`: that reader panics (in
//! debug builds) on a `Content-Length` near `usize::MAX`, its `Record::header` unwraps
//! non-UTF-8 values, and its errors ("Error parsing headers.") say neither where nor what.
//! Replay must turn any input into either records or a message a user can act on.

use flate2::bufread::MultiGzDecoder;
use std::io::{self, BufRead, BufReader, Read};

use super::ReplayError;

/// Longer lines are not WARC header lines, and a bound keeps a binary file from being read
/// whole into one "line".
const MAX_LINE: usize = 64 * 1024;

/// Blocks larger than this are read without reserving their declared size up front, so a lying
/// `Content-Length` cannot allocate gigabytes.
const MAX_RESERVE: u64 = 1 << 20;

/// The named fields of one record, and where it is.
#[derive(Debug)]
pub(super) struct Head {
    fields: Vec<(String, String)>,
    content_length: u64,
    number: usize,
    offset: u64,
}

impl Head {
    /// The first value of a field, by case-insensitive name (WARC field names are).
    pub(super) fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// `WARC-Type` in lower case; empty when missing, which no caller wants.
    pub(super) fn kind(&self) -> String {
        self.field("WARC-Type")
            .unwrap_or_default()
            .to_ascii_lowercase()
    }

    /// "record 3 (response http://…) at offset 1234", for messages.
    pub(super) fn describe(&self) -> String {
        let mut text = format!("record {}", self.number);
        let kind = self.kind();
        match (kind.is_empty(), self.field("WARC-Target-URI")) {
            (false, Some(uri)) => text.push_str(&format!(" ({kind} {uri})")),
            (false, None) => text.push_str(&format!(" ({kind})")),
            (true, _) => {}
        }
        text.push_str(&format!(" at offset {}", self.offset));
        text
    }
}

/// Calls `visit` with every record whose head `wants`, in file order, and returns how many
/// records the file holds. Other blocks are skipped without being kept in memory.
///
/// Gzip is recognised by its magic bytes, not by the file name.
pub(super) fn read_records<R: BufRead>(
    mut input: R,
    wants: impl FnMut(&Head) -> bool,
    visit: impl FnMut(Head, Vec<u8>),
) -> Result<usize, ReplayError> {
    let magic = input.fill_buf()?;
    match magic {
        [] => Err(ReplayError::Invalid("the file is empty".into())),
        [0x1f, 0x8b, ..] => {
            let records = Records::new(BufReader::new(MultiGzDecoder::new(input)), true);
            records.run(wants, visit)
        }
        [0x28, 0xb5, 0x2f, 0xfd, ..] => Err(ReplayError::Invalid(
            "it is zstd-compressed; only plain and gzipped WARC files are supported".into(),
        )),
        _ => Records::new(input, false).run(wants, visit),
    }
}

struct Records<R> {
    input: R,
    gzip: bool,
    /// Bytes consumed so far, uncompressed.
    offset: u64,
    count: usize,
    line: Vec<u8>,
}

impl<R: BufRead> Records<R> {
    fn new(input: R, gzip: bool) -> Self {
        Records {
            input,
            gzip,
            offset: 0,
            count: 0,
            line: Vec::new(),
        }
    }

    fn run(
        mut self,
        mut wants: impl FnMut(&Head) -> bool,
        mut visit: impl FnMut(Head, Vec<u8>),
    ) -> Result<usize, ReplayError> {
        while let Some(head) = self.next_head()? {
            if wants(&head) {
                let block = self.read_block(&head)?;
                self.end_record(&head)?;
                visit(head, block);
            } else {
                self.skip_block(&head)?;
                self.end_record(&head)?;
            }
        }
        if self.count == 0 {
            return Err(ReplayError::Invalid("it holds no WARC records".into()));
        }
        Ok(self.count)
    }

    /// Reads the version line and named fields of the next record; `None` at a clean end.
    fn next_head(&mut self) -> Result<Option<Head>, ReplayError> {
        let offset = loop {
            let start = self.offset;
            if self.read_line()? == 0 {
                return Ok(None);
            }
            // Tolerated: extra blank lines between records, which some writers leave.
            if !is_blank(&self.line) {
                break start;
            }
        };
        let number = self.count + 1;
        if !self.line.starts_with(b"WARC/") {
            return Err(self.not_a_record(number, offset));
        }
        self.check_header_line(number, offset)?;
        let fields = self.read_fields(number, offset)?;
        let mut head = Head {
            fields,
            content_length: 0,
            number,
            offset,
        };
        head.content_length = content_length(&head)?;
        self.count = number;
        Ok(Some(head))
    }

    fn not_a_record(&self, number: usize, offset: u64) -> ReplayError {
        let found = preview(&self.line);
        let message = if number == 1 {
            let what = if self.gzip { "its gzip content" } else { "it" };
            format!(
                "{what} does not start with a WARC version line (`WARC/1.1`); found \"{found}\""
            )
        } else {
            format!(
                "record {number} at offset {offset} does not start with a WARC version line; \
                 found \"{found}\" (is the Content-Length of record {} wrong?)",
                number - 1
            )
        };
        ReplayError::Invalid(message)
    }

    fn read_fields(
        &mut self,
        number: usize,
        offset: u64,
    ) -> Result<Vec<(String, String)>, ReplayError> {
        let mut fields: Vec<(String, String)> = Vec::new();
        loop {
            self.read_line()?;
            self.check_header_line(number, offset)?;
            if is_blank(&self.line) {
                return Ok(fields);
            }
            let line = String::from_utf8_lossy(trim_line_end(&self.line)).into_owned();
            // A line starting with white space continues the previous value (folding).
            if line.starts_with([' ', '\t'])
                && let Some((_, value)) = fields.last_mut()
            {
                value.push(' ');
                value.push_str(line.trim());
                continue;
            }
            match line.split_once(':') {
                Some((name, value)) if !name.trim().is_empty() => {
                    fields.push((name.trim().to_string(), value.trim().to_string()));
                }
                _ => {
                    return Err(ReplayError::Invalid(format!(
                        "record {number} at offset {offset} has a malformed header line \"{}\"",
                        preview(line.as_bytes())
                    )));
                }
            }
        }
    }

    fn read_block(&mut self, head: &Head) -> Result<Vec<u8>, ReplayError> {
        let reserve = usize::try_from(head.content_length.min(MAX_RESERVE)).unwrap_or(0);
        let mut block = Vec::with_capacity(reserve);
        let read = (&mut self.input)
            .take(head.content_length)
            .read_to_end(&mut block)
            .map_err(|e| self.damaged(e));
        let read = read? as u64;
        self.offset += read;
        self.check_block_length(head, read)?;
        Ok(block)
    }

    fn skip_block(&mut self, head: &Head) -> Result<(), ReplayError> {
        let read = io::copy(
            &mut (&mut self.input).take(head.content_length),
            &mut io::sink(),
        )
        .map_err(|e| self.damaged(e))?;
        self.offset += read;
        self.check_block_length(head, read)
    }

    fn check_block_length(&self, head: &Head, read: u64) -> Result<(), ReplayError> {
        if read == head.content_length {
            return Ok(());
        }
        Err(ReplayError::Invalid(format!(
            "truncated: {} declares a {}-byte block but the file ends after {read} bytes of it",
            head.describe(),
            head.content_length
        )))
    }

    /// Every record ends with CRLF CRLF after its block; anything else means the declared
    /// length and the bytes disagree.
    fn end_record(&mut self, head: &Head) -> Result<(), ReplayError> {
        for _ in 0..2 {
            if self.read_line()? == 0 {
                return Err(ReplayError::Invalid(format!(
                    "truncated: the file ends after the block of {}, without the blank lines \
                     that end a record",
                    head.describe()
                )));
            }
            if !is_blank(&self.line) {
                return Err(ReplayError::Invalid(format!(
                    "{} is not followed by the blank lines that end a record (found \"{}\"); \
                     its Content-Length {} is probably wrong",
                    head.describe(),
                    preview(&self.line),
                    head.content_length
                )));
            }
        }
        Ok(())
    }

    /// Reads one line, with its line ending, into `self.line`; returns its length (0 at end).
    /// A line longer than `MAX_LINE` is cut there.
    fn read_line(&mut self) -> Result<usize, ReplayError> {
        self.line.clear();
        let limit = MAX_LINE as u64 + 1;
        let read = (&mut self.input)
            .take(limit)
            .read_until(b'\n', &mut self.line)
            .map_err(|e| self.damaged(e))?;
        self.offset += read as u64;
        Ok(read)
    }

    /// A header line must end with a line break: without one it was cut, either by
    /// `read_line` at `MAX_LINE` or by the end of the file.
    fn check_header_line(&self, number: usize, offset: u64) -> Result<(), ReplayError> {
        if self.line.ends_with(b"\n") {
            Ok(())
        } else if self.line.len() > MAX_LINE {
            Err(ReplayError::Invalid(format!(
                "a header line at offset {} is longer than {MAX_LINE} bytes, which no WARC \
                 header has",
                self.offset - self.line.len() as u64
            )))
        } else {
            Err(truncated_header(number, offset))
        }
    }

    /// Decoding errors mean damaged (often truncated) gzip data, not an unreadable disk.
    fn damaged(&self, error: io::Error) -> ReplayError {
        match error.kind() {
            io::ErrorKind::InvalidInput
            | io::ErrorKind::InvalidData
            | io::ErrorKind::UnexpectedEof => {
                let what = if self.gzip { "gzip data" } else { "data" };
                ReplayError::Invalid(format!(
                    "damaged or truncated {what} after offset {}: {error}",
                    self.offset
                ))
            }
            _ => ReplayError::Io(error),
        }
    }
}

fn content_length(head: &Head) -> Result<u64, ReplayError> {
    let value = head.field("Content-Length").ok_or_else(|| {
        ReplayError::Invalid(format!("{} has no Content-Length", head.describe()))
    })?;
    value.parse().map_err(|_| {
        ReplayError::Invalid(format!(
            "{} has an invalid Content-Length \"{}\"",
            head.describe(),
            preview(value.as_bytes())
        ))
    })
}

fn truncated_header(number: usize, offset: u64) -> ReplayError {
    ReplayError::Invalid(format!(
        "truncated: the file ends inside the header of record {number} (offset {offset})"
    ))
}

/// An empty line, with its line break (a lone CR at the end of a file is a cut CR LF).
fn is_blank(line: &[u8]) -> bool {
    matches!(line, b"\n" | b"\r\n")
}

fn trim_line_end(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// The start of some bytes, printable, for error messages.
fn preview(bytes: &[u8]) -> String {
    let bytes = trim_line_end(bytes);
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(60)]);
    let mut preview: String = text.escape_debug().collect();
    if bytes.len() > 60 {
        preview.push('…');
    }
    preview
}

//! One file from the server into its `.part`: streamed, checksummed as it arrives, judged by
//! its first bytes, bounded by the limits, and resumed where it stopped when the connection
//! drops and the server allows it.

use bytes::Bytes;
use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use url::Url;

use super::journal::{Record, Started};
use super::sniff::{self, SNIFF_BYTES};
use super::{Context, FileError, Job, disk};
use crate::fetch::{
    FetchError, FileAnswer, FileBody, FileRequest, Resume, Validators, full_jitter,
};

/// A file complete in its `.part`, checked.
#[derive(Debug)]
pub(super) struct Received {
    pub(super) part: PathBuf,
    pub(super) bytes: u64,
    pub(super) sha256: String,
    pub(super) media: sniff::Received,
    pub(super) validators: Validators,
}

/// A transfer that stopped, and what is needed to resume it.
struct Stopped {
    error: Box<FileError>,
    validators: Validators,
}

impl Stopped {
    fn new(error: FileError, validators: Validators) -> Self {
        Stopped {
            error: Box::new(error),
            validators,
        }
    }
}

impl From<FileError> for Stopped {
    fn from(error: FileError) -> Self {
        Stopped::new(error, Validators::default())
    }
}

/// Fetches `url` into the job's `.part`: `None` when the server says it has not changed
/// since `known`.
pub(super) async fn receive(
    cx: &Context,
    job: &Job,
    url: &Url,
    known: Option<Validators>,
) -> Result<Option<Received>, FileError> {
    let part = cx.options.to.join(job.part_path());
    let mut resume = resumable(cx, job, url, &part);
    let mut tries = 0;
    loop {
        let request = FileRequest {
            known: known.clone(),
            resume: resume.clone(),
            max_bytes: cx.options.max_file,
        };
        let answer = match cx.fetcher.get_file(url, cx.options.purpose, &request).await {
            // The `.part` already holds the whole file (a kill came before its rename): it
            // is fetched again whole rather than trusted.
            Err(FetchError::Status { code: 416, .. }) if resume.is_some() => {
                resume = None;
                continue;
            }
            answer => answer,
        };
        let body = match answer.map_err(|e| FileError::fetched(e, cx.options.max_file))? {
            FileAnswer::Unchanged => return Ok(None),
            FileAnswer::Body(body) => body,
        };
        match write_part(cx, job, &part, body, resume.as_ref()).await {
            Ok(received) => return Ok(Some(received)),
            Err(stopped) if stopped.error.may_resume() && tries < cx.fetcher.config().retries => {
                tries += 1;
                let config = cx.fetcher.config();
                tokio::time::sleep(full_jitter(config.backoff, config.max_backoff, tries)).await;
                resume = resume_point(&part, &stopped.validators);
            }
            Err(stopped) => {
                if !(stopped.error.may_resume()
                    && resume_point(&part, &stopped.validators).is_some())
                {
                    let _ = std::fs::remove_file(&part);
                }
                return Err(*stopped.error);
            }
        }
    }
}

/// Where an earlier run's `.part` of the same file can resume, if it can.
fn resumable(cx: &Context, job: &Job, url: &Url, part: &Path) -> Option<Resume> {
    let started = cx.known.started.get(&job.item.id)?;
    if started.url != url.as_str() || started.part != job.part_path() {
        return None;
    }
    let validators = Validators {
        etag: started.etag.clone(),
        last_modified: started.last_modified.clone(),
    };
    resume_point(part, &validators)
}

/// Resuming needs bytes held and a validator that says they are of the same file: a strong
/// `ETag`, else a `Last-Modified` date.
fn resume_point(part: &Path, validators: &Validators) -> Option<Resume> {
    let held = std::fs::metadata(part).ok()?.len();
    let strong = validators.etag.clone().filter(|e| !e.starts_with("W/"));
    let validator = strong.or_else(|| validators.last_modified.clone())?;
    (held > 0).then_some(Resume {
        from: held,
        validator,
    })
}

async fn write_part(
    cx: &Context,
    job: &Job,
    part: &Path,
    mut body: Box<FileBody<'_>>,
    resume: Option<&Resume>,
) -> Result<Received, Stopped> {
    let appending = body.status == 206 && resume.is_some_and(|r| r.from == body.offset);
    if body.status == 206 && !appending {
        return Err(FileError::WrongRange.into());
    }
    let validators = body.validators();
    if !appending {
        record_start(cx, job, &body, &validators)?;
    }
    check_room(cx, part, body.length)?;
    let mut sink = Sink::open(part, appending)?;
    let declared = body.media_type();
    let mut media = None;
    loop {
        let chunk = match body.chunk().await {
            Ok(Some(chunk)) => chunk,
            Ok(None) => break,
            Err(error) => {
                return Err(sink.stop(
                    part,
                    FileError::fetched(error, cx.options.max_file),
                    validators,
                ));
            }
        };
        count(cx, chunk.len())?;
        sink.write(part, &chunk)?;
        if media.is_none() && sink.first.len() >= SNIFF_BYTES {
            media = Some(judge(job, declared.as_deref(), &sink.first, &body.url)?);
        }
        cx.observer.received(chunk.len() as u64);
    }
    let media = match media {
        Some(media) => media,
        None => judge(job, declared.as_deref(), &sink.first, &body.url)?,
    };
    let (bytes, sha256) = sink.finish(part)?;
    check_complete(&body, bytes).map_err(|error| Stopped::new(error, validators.clone()))?;
    Ok(Received {
        part: part.to_path_buf(),
        bytes,
        sha256,
        media,
        validators,
    })
}

fn judge(
    job: &Job,
    declared: Option<&str>,
    first: &[u8],
    url: &Url,
) -> Result<sniff::Received, FileError> {
    sniff::judge(job.item.kind, declared, first, url).map_err(FileError::NotMedia)
}

fn record_start(
    cx: &Context,
    job: &Job,
    body: &FileBody<'_>,
    validators: &Validators,
) -> Result<(), FileError> {
    let started = Record::Started(Started {
        id: job.item.id.clone(),
        part: job.part_path(),
        url: body.url.to_string(),
        etag: validators.etag.clone(),
        last_modified: validators.last_modified.clone(),
    });
    cx.journal
        .append(&started)
        .map_err(|e| FileError::io(&cx.options.to, e))
}

/// Refuses a file the disk cannot hold, or that would take the run past `--max-total`.
fn check_room(cx: &Context, part: &Path, length: Option<u64>) -> Result<(), FileError> {
    let Some(length) = length else { return Ok(()) };
    let folder = part.parent().unwrap_or(&cx.options.to);
    if let Some(available) = disk::available(folder)
        && available < length.saturating_add(disk::RESERVE)
    {
        return Err(FileError::DiskFull {
            needed: length,
            available,
        });
    }
    if let Some(max) = cx.options.max_total
        && cx.used.load(Ordering::Relaxed).saturating_add(length) > max
    {
        return Err(FileError::OverTotal(max));
    }
    Ok(())
}

/// Counts received bytes against `--max-total`.
fn count(cx: &Context, bytes: usize) -> Result<(), FileError> {
    let used = cx.used.fetch_add(bytes as u64, Ordering::Relaxed) + bytes as u64;
    match cx.options.max_total {
        Some(max) if used > max => Err(FileError::OverTotal(max)),
        _ => Ok(()),
    }
}

/// The body must be as long as the server said.
fn check_complete(body: &FileBody<'_>, bytes: u64) -> Result<(), FileError> {
    let expected = body
        .total
        .or(body.length.map(|length| body.offset + length));
    match expected {
        Some(expected) if expected != bytes => Err(FileError::Truncated {
            received: bytes,
            expected,
        }),
        _ => Ok(()),
    }
}

/// Small pieces of a body are gathered before they are written; a piece this size or
/// larger (hyper reads what the socket holds, often a whole small file) goes straight to
/// the file, without a copy through the buffer.
const WRITE_BUFFER: usize = 64 * 1024;

/// The `.part` being written, its checksum and first bytes kept as it grows.
struct Sink {
    file: BufWriter<File>,
    hasher: disk::Hasher,
    held: u64,
    first: Vec<u8>,
}

impl Sink {
    /// Opens the `.part` anew, or to add to it: then what it holds is read once, for the
    /// checksum and the first bytes.
    fn open(part: &Path, appending: bool) -> Result<Sink, FileError> {
        let io = |e| FileError::io(part, e);
        let mut sink = Sink {
            file: BufWriter::with_capacity(WRITE_BUFFER, open_part(part, appending).map_err(io)?),
            hasher: disk::Hasher::new(),
            held: 0,
            first: Vec::new(),
        };
        if appending {
            let mut held = File::open(part).map_err(io)?;
            let mut buffer = vec![0; 256 * 1024];
            loop {
                let n = held.read(&mut buffer).map_err(io)?;
                if n == 0 {
                    break;
                }
                sink.note_first(&buffer[..n]);
                sink.hasher.update(&buffer[..n]);
                sink.held += n as u64;
            }
        }
        Ok(sink)
    }

    fn note_first(&mut self, bytes: &[u8]) {
        let room = SNIFF_BYTES.saturating_sub(self.first.len());
        self.first
            .extend_from_slice(&bytes[..room.min(bytes.len())]);
    }

    fn write(&mut self, part: &Path, chunk: &Bytes) -> Result<(), FileError> {
        if self.first.len() < SNIFF_BYTES {
            self.note_first(chunk);
        }
        self.hasher.update(chunk);
        self.held += chunk.len() as u64;
        self.file
            .write_all(chunk)
            .map_err(|e| FileError::io(part, e))
    }

    /// Keeps what arrived, for a later resume.
    fn stop(mut self, part: &Path, error: FileError, validators: Validators) -> Stopped {
        if let Err(e) = self.file.flush() {
            return FileError::io(part, e).into();
        }
        Stopped::new(error, validators)
    }

    fn finish(mut self, part: &Path) -> Result<(u64, String), FileError> {
        self.file.flush().map_err(|e| FileError::io(part, e))?;
        Ok((self.held, self.hasher.finish()))
    }
}

fn open_part(part: &Path, appending: bool) -> std::io::Result<File> {
    if appending {
        OpenOptions::new().append(true).open(part)
    } else {
        File::create(part)
    }
}

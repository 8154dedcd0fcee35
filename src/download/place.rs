//! A received file into its place: named after what arrived, the XMP written into it with
//! `--embed`, an earlier version moved aside rather than lost, the sidecar beside it, and
//! the journal told.
//!
//! An original that changed replaces the file, and the old one is kept as `name.1.ext`: a
//! desk may have published it already, and must be able to show what it used. The
//! manifest lists it under `previous`, and SHA256SUMS covers it.

use std::path::Path;

use super::entry::{Entry, Previous, Status};
use super::journal::{Complete, Record};
use super::transfer::Received;
use super::{Context, FileError, Job, disk, jpeg, xmp};

/// Puts `received` in place of the job's file and returns its manifest entry.
pub(super) async fn place(
    cx: &Context,
    job: &Job,
    received: Received,
    url: &str,
) -> Result<Entry, FileError> {
    let file = format!("{}.{}", job.stem_path(), received.media.extension);
    let target = cx.options.to.join(&file);
    let (staged, bytes, sha256, note) = stage(cx, job, &received).await?;
    let earlier = job.earlier.as_ref();
    let mut previous = earlier
        .map(|c| c.entry.previous.clone())
        .unwrap_or_default();
    let io = |e| FileError::io(&target, e);
    // An earlier version under another name, its type having changed.
    if let Some(old) = earlier
        .and_then(|c| c.entry.file.as_deref())
        .filter(|old| *old != file)
    {
        previous.extend(keep_aside(cx, old).map_err(io)?);
    }
    // Most targets are new: one look says so, where two checks would each ask the disk.
    let present = target.symlink_metadata().is_ok();
    let status = if present && disk::matches(&target, bytes, &sha256) {
        std::fs::remove_file(&staged).map_err(io)?;
        if earlier.is_some() {
            Status::Unchanged
        } else {
            Status::Downloaded
        }
    } else {
        let kept = if present {
            keep_aside(cx, &file).map_err(io)?
        } else {
            None
        };
        std::fs::rename(&staged, &target).map_err(io)?;
        let replaced =
            kept.is_some() || previous.len() > earlier.map_or(0, |c| c.entry.previous.len());
        previous.extend(kept);
        if replaced {
            Status::Updated
        } else {
            Status::Downloaded
        }
    };
    let mut entry = Entry::of(&job.item, status);
    entry.file = Some(file);
    entry.bytes = Some(bytes);
    entry.sha256 = Some(sha256);
    entry.received_sha256 = Some(received.sha256);
    entry.content_type = Some(received.media.media_type);
    entry.media_url = Some(url.to_string());
    entry.previous = previous;
    entry.reason = note;
    let complete = Complete {
        entry: entry.clone(),
        url: url.to_string(),
        etag: received.validators.etag,
        last_modified: received.validators.last_modified,
    };
    cx.journal
        .append(&Record::Complete(Box::new(complete)))
        .map_err(|e| FileError::io(&cx.options.to, e))?;
    sidecar(cx, job, &entry)?;
    Ok(entry)
}

/// The file as it will be placed: the `.part` itself, or with `--embed` a copy of a JPEG
/// with the XMP in it. Returns it with its size, checksum, and a note when embedding failed.
async fn stage(
    cx: &Context,
    job: &Job,
    received: &Received,
) -> Result<(std::path::PathBuf, u64, String, Option<String>), FileError> {
    let unchanged = (
        received.part.clone(),
        received.bytes,
        received.sha256.clone(),
        None,
    );
    if !cx.options.embed || received.media.media_type != "image/jpeg" {
        return Ok(unchanged);
    }
    let embedded = received.part.with_extension("embed.part");
    let packet = xmp::packet(&job.item, true);
    let (part, target) = (received.part.clone(), embedded.clone());
    let done = tokio::task::spawn_blocking(move || {
        jpeg::embed(&part, &target, &packet)?;
        Ok::<_, jpeg::EmbedError>(disk::sha256_file(&target)?)
    })
    .await
    .map_err(|e| FileError::io(&embedded, std::io::Error::other(e)))?;
    match done {
        Ok((sha256, bytes)) => {
            std::fs::remove_file(&received.part).map_err(|e| FileError::io(&received.part, e))?;
            Ok((embedded, bytes, sha256, None))
        }
        Err(error) => {
            let _ = std::fs::remove_file(&embedded);
            let (part, bytes, sha, _) = unchanged;
            Ok((part, bytes, sha, Some(format!("XMP not embedded: {error}"))))
        }
    }
}

/// Moves the pack's file `file` aside as an earlier version, if it is there.
fn keep_aside(cx: &Context, file: &str) -> std::io::Result<Option<Previous>> {
    let path = cx.options.to.join(file);
    if !path.is_file() {
        return Ok(None);
    }
    let (sha256, bytes) = disk::sha256_file(&path)?;
    let moved = disk::move_aside(&path)?;
    let _ = std::fs::remove_file(sidecar_path(&path));
    Ok(Some(Previous {
        file: relative(&cx.options.to, &moved),
        bytes,
        sha256,
    }))
}

/// Writes the entry's file's XMP sidecar, if it changed.
pub(super) fn sidecar(cx: &Context, job: &Job, entry: &Entry) -> Result<(), FileError> {
    let Some(file) = &entry.file else {
        return Ok(());
    };
    let path = sidecar_path(&cx.options.to.join(file));
    disk::write_if_changed(&path, xmp::packet(&job.item, false).as_bytes())
        .map_err(|e| FileError::io(&path, e))
}

/// `a.jpg.xmp` beside `a.jpg`.
fn sidecar_path(file: &Path) -> std::path::PathBuf {
    let mut name = file.file_name().unwrap_or_default().to_os_string();
    name.push(".xmp");
    file.with_file_name(name)
}

/// A path inside the pack, `/`-separated.
fn relative(root: &Path, path: &Path) -> String {
    let inside = path.strip_prefix(root).unwrap_or(path);
    inside
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

//! The pack on disk: checksums, free space, versions kept aside, files written only when
//! they change.

use aws_lc_rs::digest;
use std::fs::{File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

/// Bytes kept free on the disk beyond a file's own size, for everything else the machine
/// writes.
pub(super) const RESERVE: u64 = 64 * 1024 * 1024;

/// A SHA-256 computed as bytes arrive. Files are checksummed as fast as they download, so
/// the hash is the TLS library's, in assembly.
pub(super) struct Hasher(digest::Context);

impl Hasher {
    pub(super) fn new() -> Self {
        Hasher(digest::Context::new(&digest::SHA256))
    }

    pub(super) fn update(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }

    /// The checksum, lowercase hex.
    pub(super) fn finish(self) -> String {
        hex(self.0.finish().as_ref())
    }
}

/// The pack's lock file, held while a run writes the pack.
pub const LOCK_FILE: &str = ".download.lock";

/// Why the pack could not be locked.
pub(super) enum LockError {
    /// Another process holds it.
    Held,
    /// The lock file could not be opened.
    Io(io::Error),
}

/// Takes the lock of the pack in `dir`, held until the returned file is dropped or the
/// process ends, however it ends: two runs into one pack would each rewrite the journal and
/// the manifest from what they alone did. A file system without locks (some network ones)
/// runs unlocked, as before there was a lock.
pub(super) fn lock_pack(dir: &Path) -> Result<File, LockError> {
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(dir.join(LOCK_FILE))
        .map_err(LockError::Io)?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(LockError::Held),
        Err(std::fs::TryLockError::Error(error)) => {
            tracing::warn!("the pack at {} cannot be locked: {error}", dir.display());
            Ok(file)
        }
    }
}

/// The SHA-256 of some bytes, lowercase hex.
pub(super) fn sha256(bytes: &[u8]) -> String {
    hex(digest::digest(&digest::SHA256, bytes).as_ref())
}

/// The SHA-256 of a file and its size, read in pieces.
///
/// # Errors
/// When the file cannot be read.
pub(super) fn sha256_file(path: &Path) -> io::Result<(String, u64)> {
    let mut file = File::open(path)?;
    let mut hasher = Hasher::new();
    let mut buffer = vec![0; 256 * 1024];
    let mut bytes = 0;
    loop {
        let n = file.read(&mut buffer)?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
        bytes += n as u64;
    }
    Ok((hasher.finish(), bytes))
}

/// Lowercase hex.
pub(super) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether the file at `path` has this size and checksum.
pub(super) fn matches(path: &Path, bytes: u64, sha256: &str) -> bool {
    let same_size = std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() == bytes);
    same_size && sha256_file(path).is_ok_and(|(sha, _)| sha == sha256)
}

/// The bytes free for this user on the disk that holds `dir`, where the system says.
pub(super) fn available(dir: &Path) -> Option<u64> {
    #[cfg(target_os = "linux")]
    {
        let stats = rustix::fs::statvfs(dir).ok()?;
        Some(stats.f_bavail.saturating_mul(stats.f_frsize))
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = dir;
        None
    }
}

/// Moves `path` (`a.jpg`) aside to the first free `a.1.jpg`, `a.2.jpg`…, and returns where.
///
/// # Errors
/// When it cannot be renamed.
pub(super) fn move_aside(path: &Path) -> io::Result<PathBuf> {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let (stem, extension) = name.split_once('.').unwrap_or((&name, ""));
    for n in 1.. {
        let candidate = path.with_file_name(if extension.is_empty() {
            format!("{stem}.{n}")
        } else {
            format!("{stem}.{n}.{extension}")
        });
        if !candidate.exists() {
            std::fs::rename(path, &candidate)?;
            return Ok(candidate);
        }
    }
    unreachable!("some number is free")
}

/// Writes `bytes` to `path` unless it already holds them, through a temporary file.
///
/// # Errors
/// When it cannot be written.
pub(super) fn write_if_changed(path: &Path, bytes: &[u8]) -> io::Result<()> {
    // Most sidecars are new: written in place, they cost no temporary file and no rename.
    // One cut short by a kill differs from what the next run writes, which replaces it.
    match OpenOptions::new().write(true).create_new(true).open(path) {
        Ok(mut file) => {
            return file.write_all(bytes).inspect_err(|_| {
                let _ = std::fs::remove_file(path);
            });
        }
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(e),
    }
    if std::fs::read(path).is_ok_and(|old| old == bytes) {
        return Ok(());
    }
    super::pack::write_atomically(path, bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksums_match_sha256sum() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a");
        std::fs::write(&path, b"abc").unwrap();
        let (sha, bytes) = sha256_file(&path).unwrap();
        assert_eq!(
            sha,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(bytes, 3);
        assert!(matches(&path, 3, &sha));
        assert!(!matches(&path, 4, &sha));
        assert!(available(dir.path()).is_none_or(|free| free > 0));
    }

    #[test]
    fn a_sidecar_cut_short_is_replaced_and_a_new_one_written_whole() {
        let dir = tempfile::tempdir().unwrap();
        let fresh = dir.path().join("a.jpg.xmp");
        write_if_changed(&fresh, b"<x:xmpmeta/>").unwrap();
        assert_eq!(std::fs::read(&fresh).unwrap(), b"<x:xmpmeta/>");
        let cut = dir.path().join("b.jpg.xmp");
        std::fs::write(&cut, b"<x:xmp").unwrap();
        write_if_changed(&cut, b"<x:xmpmeta/>").unwrap();
        assert_eq!(std::fs::read(&cut).unwrap(), b"<x:xmpmeta/>");
        assert!(!dir.path().join("b.jpg.xmp.tmp").exists());
    }

    #[test]
    fn a_pack_is_locked_by_one_run_at_a_time_and_free_when_it_ends() {
        let dir = tempfile::tempdir().unwrap();
        let held = lock_pack(dir.path())
            .ok()
            .expect("the first run takes the lock");
        assert!(matches!(lock_pack(dir.path()), Err(LockError::Held)));
        drop(held);
        assert!(lock_pack(dir.path()).is_ok());
    }

    #[test]
    fn versions_are_moved_to_the_first_free_number() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("2018_a_flickr-1.jpg");
        std::fs::write(&file, b"1").unwrap();
        let first = move_aside(&file).unwrap();
        assert_eq!(first.file_name().unwrap(), "2018_a_flickr-1.1.jpg");
        std::fs::write(&file, b"2").unwrap();
        let second = move_aside(&file).unwrap();
        assert_eq!(second.file_name().unwrap(), "2018_a_flickr-1.2.jpg");
        assert!(!file.exists());
    }
}

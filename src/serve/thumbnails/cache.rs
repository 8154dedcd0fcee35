//! The thumbnails on disk: one file per image URL, named by a hash of the URL and nothing
//! else, under a size cap; the least recently used go first.
//!
//! A name is 40 hexadecimal digits made here, never a path from a request, so no request can
//! name another file; and a file that is not a plain file (a symlink someone put there) is
//! never read.

use sha1::{Digest, Sha1};
use std::collections::{BTreeMap, HashMap};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};
use std::time::SystemTime;

/// An image ready to send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Image {
    /// The bytes, as the server sent them.
    pub bytes: Vec<u8>,
    /// What the bytes are, read from the bytes themselves.
    pub content_type: &'static str,
}

/// Thumbnails on disk.
pub(crate) struct DiskCache {
    dir: PathBuf,
    cap: u64,
    lru: Mutex<Lru>,
}

/// Which files the cache holds, their sizes and the order they were last used in.
#[derive(Default)]
struct Lru {
    /// Name → (last use, size).
    files: HashMap<String, (u64, u64)>,
    /// Last use → name, oldest first.
    order: BTreeMap<u64, String>,
    clock: u64,
    total: u64,
}

impl Lru {
    fn touch(&mut self, name: &str, size: u64) {
        self.clock += 1;
        if let Some((used, old_size)) = self.files.remove(name) {
            self.order.remove(&used);
            self.total -= old_size;
        }
        self.files.insert(name.to_string(), (self.clock, size));
        self.order.insert(self.clock, name.to_string());
        self.total += size;
    }

    fn forget(&mut self, name: &str) {
        if let Some((used, size)) = self.files.remove(name) {
            self.order.remove(&used);
            self.total -= size;
        }
    }

    /// The least recently used name, while the total is over `cap`.
    fn next_victim(&mut self, cap: u64) -> Option<String> {
        if self.total <= cap {
            return None;
        }
        let (_, name) = self.order.pop_first()?;
        if let Some((_, size)) = self.files.remove(&name) {
            self.total -= size;
        }
        Some(name)
    }
}

impl DiskCache {
    /// The cache in `dir`, created if needed, holding at most `cap` bytes. Files left over
    /// are taken in, oldest first; half-written ones are removed.
    pub(crate) fn open(dir: &Path, cap: u64) -> io::Result<Self> {
        std::fs::create_dir_all(dir)?;
        let mut found = Vec::new();
        for entry in std::fs::read_dir(dir)? {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let meta = entry.metadata()?;
            if name.ends_with(".part") && meta.is_file() {
                let _ = std::fs::remove_file(entry.path());
            } else if is_name(&name) && meta.file_type().is_file() {
                let used = meta.modified().unwrap_or(SystemTime::UNIX_EPOCH);
                found.push((used, name, meta.len()));
            }
        }
        found.sort();
        let mut lru = Lru::default();
        for (_, name, size) in found {
            lru.touch(&name, size);
        }
        let cache = DiskCache {
            dir: dir.to_path_buf(),
            cap,
            lru: Mutex::new(lru),
        };
        cache.evict();
        Ok(cache)
    }

    /// The image cached for `url`, if any.
    pub(crate) fn get(&self, url: &str) -> Option<Image> {
        let name = name_of(url);
        let path = self.dir.join(&name);
        // Not `metadata`: a symlink is refused, not followed.
        let meta = std::fs::symlink_metadata(&path).ok()?;
        if !meta.file_type().is_file() {
            return None;
        }
        let bytes = std::fs::read(&path).ok()?;
        let Some(content_type) = sniff(&bytes) else {
            self.remove(&name);
            return None;
        };
        self.lock().touch(&name, meta.len());
        // Kept on disk too, so that the order survives a restart; a failure costs only that.
        let _ = std::fs::File::options()
            .write(true)
            .open(&path)
            .and_then(|f| f.set_modified(SystemTime::now()));
        Some(Image {
            bytes,
            content_type,
        })
    }

    /// Whether an image for `url` is cached, without reading it.
    pub(crate) fn has(&self, url: &str) -> bool {
        let name = name_of(url);
        self.lock().files.contains_key(&name)
            && std::fs::symlink_metadata(self.dir.join(&name))
                .is_ok_and(|m| m.file_type().is_file())
    }

    /// Keeps `bytes` for `url`, then makes room under the cap.
    pub(crate) fn put(&self, url: &str, bytes: &[u8]) -> io::Result<()> {
        let name = name_of(url);
        let part = self.dir.join(format!("{name}.{}.part", fastrand::u64(..)));
        std::fs::write(&part, bytes)?;
        std::fs::rename(&part, self.dir.join(&name)).inspect_err(|_| {
            let _ = std::fs::remove_file(&part);
        })?;
        self.lock().touch(&name, bytes.len() as u64);
        self.evict();
        Ok(())
    }

    /// How many bytes the cache holds.
    pub(crate) fn size(&self) -> u64 {
        self.lock().total
    }

    fn evict(&self) {
        loop {
            let Some(name) = self.lock().next_victim(self.cap) else {
                return;
            };
            let _ = std::fs::remove_file(self.dir.join(name));
        }
    }

    fn remove(&self, name: &str) {
        self.lock().forget(name);
        let _ = std::fs::remove_file(self.dir.join(name));
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Lru> {
        self.lru.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The file name for a URL: its SHA-1, in hexadecimal.
pub fn name_of(url: &str) -> String {
    data_encoding::HEXLOWER.encode(&Sha1::digest(url.as_bytes()))
}

fn is_name(name: &str) -> bool {
    name.len() == 40
        && name
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// The type of a raster image, from its first bytes. Anything else (SVG, which may carry
/// scripts; HTML error pages sent as `image/jpeg`) is not a thumbnail.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    let starts = |magic: &[u8]| bytes.starts_with(magic);
    if starts(b"\xFF\xD8\xFF") {
        Some("image/jpeg")
    } else if starts(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if starts(b"GIF87a") || starts(b"GIF89a") {
        Some("image/gif")
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else if bytes.len() >= 12 && &bytes[4..12] == b"ftypavif" {
        Some("image/avif")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const JPEG: &[u8] = b"\xFF\xD8\xFF\xE0 a tiny stand-in";

    fn jpeg(size: usize) -> Vec<u8> {
        let mut bytes = JPEG.to_vec();
        bytes.resize(size, 0);
        bytes
    }

    #[test]
    fn images_come_back_and_the_least_recently_used_leave_first() {
        let dir = tempfile::tempdir().unwrap();
        let cache = DiskCache::open(dir.path(), 2500).unwrap();
        cache.put("https://a.example/1.jpg", &jpeg(1000)).unwrap();
        cache.put("https://a.example/2.jpg", &jpeg(1000)).unwrap();
        assert!(
            cache.get("https://a.example/1.jpg").is_some(),
            "1 is now the newest"
        );
        cache.put("https://a.example/3.jpg", &jpeg(1000)).unwrap();
        assert!(
            cache.get("https://a.example/2.jpg").is_none(),
            "2 was the oldest"
        );
        assert_eq!(
            cache.get("https://a.example/1.jpg").unwrap().bytes,
            jpeg(1000)
        );
        assert_eq!(cache.size(), 2000);
        let reopened = DiskCache::open(dir.path(), 1500).unwrap();
        assert_eq!(reopened.size(), 1000, "the cap holds across restarts");
        assert!(
            reopened.get("https://a.example/1.jpg").is_some(),
            "the last used stays"
        );
    }

    #[test]
    fn only_plain_files_of_known_image_types_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let cache = DiskCache::open(dir.path(), 1 << 20).unwrap();
        let secret = dir.path().join("secret.jpg");
        std::fs::write(&secret, JPEG).unwrap();
        let url = "https://a.example/linked.jpg";
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(&secret, dir.path().join(name_of(url))).unwrap();
            assert_eq!(cache.get(url), None, "a symlink is never followed");
        }
        cache
            .put("https://a.example/page.html", b"<html>oops</html>")
            .unwrap();
        assert_eq!(cache.get("https://a.example/page.html"), None);
        assert_eq!(sniff(b"<svg onload=alert(1)>"), None);
        assert_eq!(sniff(b"GIF89a..."), Some("image/gif"));
    }
}

//! Seeds: the press releases a crawl starts from, as URLs or local files.

use std::path::{Path, PathBuf};
use url::Url;

use crate::fetch::decode;
use crate::model::{Page, Role};

/// Where a crawl starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Seed {
    /// A page on the web.
    Url(Url),
    /// A release saved as `.html`/`.htm`, or pasted as `.md`/`.txt`.
    File(PathBuf),
}

/// Why a seed given on the command line cannot be used. Reported before anything is fetched.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SeedError {
    /// Neither an http(s) URL nor an existing file.
    #[error("{0:?} is neither an http(s) URL nor an existing file{1}")]
    NotFound(String, String),
    /// A URL with a scheme the crawler does not fetch.
    #[error("{0:?}: only http and https URLs can be crawled")]
    Scheme(String),
    /// A directory was given.
    #[error("{0:?} is a directory; give the press release files inside it")]
    Directory(String),
    /// A file that holds binary data (an image, a PDF, an archive), not a release's text.
    #[error(
        "{0:?} is not a text file (it holds binary data): give a release saved as HTML, \
         Markdown or plain text"
    )]
    NotText(String),
    /// A file larger than any release: read whole, it would only fill memory.
    #[error("{0:?} is {1} MiB: a saved release is at most {max} MiB", max = MAX_FILE_BYTES >> 20)]
    TooLarge(String, u64),
    /// The file exists but cannot be read.
    #[error("cannot read {0:?}: {1}")]
    Unreadable(String, String),
}

/// The largest seed file read: a web page's body limit.
pub(crate) const MAX_FILE_BYTES: u64 = crate::fetch::DEFAULT_MAX_BODY;

impl Seed {
    /// Reads a command-line seed: an http(s) URL, a `file:` URL, or a path to a file.
    ///
    /// # Errors
    /// [`SeedError`] with a message that says what to give instead.
    pub fn parse(arg: &str) -> Result<Seed, SeedError> {
        let trimmed = arg.trim();
        if let Ok(url) = Url::parse(trimmed) {
            match url.scheme() {
                "http" | "https" if url.host_str().is_some() => return Ok(Seed::Url(url)),
                "file" => {
                    let path = url
                        .to_file_path()
                        .map_err(|()| SeedError::NotFound(arg.into(), String::new()))?;
                    return Self::file(&path, arg);
                }
                // A Windows drive letter (`C:\…`) parses as a one-letter scheme.
                scheme if scheme.len() > 1 => return Err(SeedError::Scheme(arg.into())),
                _ => {}
            }
        }
        Self::file(Path::new(trimmed), arg)
    }

    fn file(path: &Path, arg: &str) -> Result<Seed, SeedError> {
        if path.is_dir() {
            return Err(SeedError::Directory(arg.into()));
        }
        if path.is_file() {
            check_is_text(path, arg)?;
            let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
            return Ok(Seed::File(absolute));
        }
        let hint = if looks_like_host(arg) {
            format!(" (did you mean https://{}?)", arg.trim())
        } else {
            String::new()
        };
        Err(SeedError::NotFound(arg.into(), hint))
    }

    /// The seed as a URL (`file:` for files).
    pub fn url(&self) -> Url {
        match self {
            Seed::Url(url) => url.clone(),
            Seed::File(path) => Url::from_file_path(path)
                .unwrap_or_else(|()| Url::parse("file:///").expect("valid URL")),
        }
    }
}

/// Refuses a file that no release could be: too large, or binary by its content (a NUL byte
/// in its first 8 KiB, or a PDF's signature), whatever its name says.
fn check_is_text(path: &Path, arg: &str) -> Result<(), SeedError> {
    use std::io::Read;
    let unreadable = |e: std::io::Error| SeedError::Unreadable(arg.into(), e.to_string());
    let file = std::fs::File::open(path).map_err(unreadable)?;
    let size = file.metadata().map_err(unreadable)?.len();
    if size > MAX_FILE_BYTES {
        return Err(SeedError::TooLarge(arg.into(), size >> 20));
    }
    let mut head = Vec::with_capacity(8192);
    file.take(8192).read_to_end(&mut head).map_err(unreadable)?;
    if content_inspector::inspect(&head).is_binary() {
        return Err(SeedError::NotText(arg.into()));
    }
    Ok(())
}

fn looks_like_host(arg: &str) -> bool {
    let host = arg.trim().split('/').next().unwrap_or_default();
    host.contains('.') && !host.starts_with('.') && !host.contains(char::is_whitespace)
}

/// Reads a local release into a page, deciding its format by extension, then by content.
///
/// # Errors
/// When the file cannot be read.
pub fn load_file(path: &Path) -> std::io::Result<Page> {
    use std::io::Read;
    // Checked when the seed was given; bounded again in case the file grew since.
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(MAX_FILE_BYTES)
        .read_to_end(&mut bytes)?;
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let content_type = match extension.as_str() {
        "html" | "htm" | "xhtml" => Some("text/html"),
        "md" | "markdown" => Some("text/markdown"),
        "txt" | "text" => Some("text/plain"),
        "xml" | "rss" | "atom" => Some("application/xml"),
        _ => None,
    };
    let body = decode::decode(&bytes, None);
    let content_type = content_type.map(str::to_string).or_else(|| {
        let head = body
            .trim_start()
            .get(..body.len().min(256))
            .unwrap_or_default()
            .to_ascii_lowercase();
        Some(
            if head.starts_with('<') {
                "text/html"
            } else {
                "text/plain"
            }
            .to_string(),
        )
    });
    Ok(Page {
        url: Seed::File(path.to_path_buf()).url(),
        content_type,
        body,
        role: Role::Seed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_files_are_told_apart() {
        let seed = Seed::parse("https://cnes.fr/en/pr208").unwrap();
        assert_eq!(
            seed,
            Seed::Url(Url::parse("https://cnes.fr/en/pr208").unwrap())
        );
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("pr208.html");
        std::fs::write(&file, "<h1>VS20</h1>").unwrap();
        assert_eq!(
            Seed::parse(file.to_str().unwrap()).unwrap(),
            Seed::File(file.clone())
        );
        let file_url = Url::from_file_path(&file).unwrap();
        assert_eq!(Seed::parse(file_url.as_str()).unwrap(), Seed::File(file));
    }

    #[test]
    fn bad_seeds_say_what_is_wrong() {
        assert_eq!(
            Seed::parse("cnes.fr/en/pr208").unwrap_err().to_string(),
            "\"cnes.fr/en/pr208\" is neither an http(s) URL nor an existing file \
             (did you mean https://cnes.fr/en/pr208?)"
        );
        assert!(matches!(
            Seed::parse("ftp://cnes.fr/pr.txt"),
            Err(SeedError::Scheme(_))
        ));
        assert!(matches!(
            Seed::parse("/no/such/release.html"),
            Err(SeedError::NotFound(..))
        ));
        assert!(matches!(Seed::parse("/"), Err(SeedError::Directory(_))));
        assert!(matches!(
            Seed::parse("https://"),
            Err(SeedError::NotFound(..)) | Err(SeedError::Scheme(_))
        ));
    }

    #[test]
    fn a_file_that_is_not_text_is_refused_whatever_its_name() {
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        let dir = tempfile::tempdir().unwrap();
        // Archives written by other tools, given names a release could have.
        let binaries = [
            ("photo.html", "realworld/warc/example.warc.gz"),
            ("pr208.md", "realworld/warc/post-test.warc.gz"),
        ];
        for (name, fixture) in binaries {
            let renamed = dir.path().join(name);
            std::fs::copy(fixtures.join(fixture), &renamed).unwrap();
            let arg = renamed.to_str().unwrap();
            assert_eq!(
                Seed::parse(arg),
                Err(SeedError::NotText(arg.into())),
                "{fixture}"
            );
        }
        let pdf = dir.path().join("pr208.txt");
        std::fs::write(&pdf, b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n").unwrap();
        assert!(matches!(
            Seed::parse(pdf.to_str().unwrap()),
            Err(SeedError::NotText(_))
        ));
        let png = dir.path().join("pr208.htm");
        std::fs::write(&png, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10").unwrap();
        assert!(matches!(
            Seed::parse(png.to_str().unwrap()),
            Err(SeedError::NotText(_))
        ));
        // Text in a legacy encoding, or UTF-16 with its byte order mark, is text.
        let latin1 = dir.path().join("pr208.htm");
        std::fs::write(&latin1, b"<h1>Fus\xe9e Soyuz</h1> #VS20").unwrap();
        assert!(Seed::parse(latin1.to_str().unwrap()).is_ok());
        let utf16 = dir.path().join("pr208.txt");
        let mut bytes = vec![0xff, 0xfe];
        bytes.extend("Fusée #VS20".encode_utf16().flat_map(u16::to_le_bytes));
        std::fs::write(&utf16, bytes).unwrap();
        assert!(Seed::parse(utf16.to_str().unwrap()).is_ok());
    }

    #[test]
    fn a_file_larger_than_any_release_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let huge = dir.path().join("pr208.txt");
        let file = std::fs::File::create(&huge).unwrap();
        file.set_len(MAX_FILE_BYTES + 1).unwrap();
        let arg = huge.to_str().unwrap();
        assert_eq!(Seed::parse(arg), Err(SeedError::TooLarge(arg.into(), 20)));
    }

    #[test]
    fn files_are_typed_by_extension_and_decoded() {
        let dir = std::env::temp_dir().join(format!("archive-seed-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let md = dir.join("pr.md");
        std::fs::write(&md, "# Fusée\n#VS20").unwrap();
        let page = load_file(&md).unwrap();
        assert_eq!(page.content_type.as_deref(), Some("text/markdown"));
        assert_eq!(page.url.scheme(), "file");
        let latin1 = dir.join("pr.htm");
        std::fs::write(&latin1, b"<meta charset=iso-8859-1><h1>Fus\xe9e</h1>").unwrap();
        assert!(load_file(&latin1).unwrap().body.contains("Fusée"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

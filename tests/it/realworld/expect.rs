//! What a careful journalist expects from one real-world input, as written beside it in a
//! `.toml` file: how the input is reached, the items it must give, and what must stay out.

use std::path::{Path, PathBuf};

use serde::Deserialize;

/// One input of the corpus and what it must give.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Expectation {
    /// Where the expectation file is (filled after reading).
    #[serde(skip)]
    pub(crate) path: PathBuf,
    /// Which of the corpus's sources it comes from (`feed-rs`, `readability`…), for the
    /// report.
    pub(crate) kind: String,
    /// The URL the crawl starts from, as the public web had it.
    pub(crate) seed: String,
    /// A WARC file to replay instead of serving anything.
    #[serde(default)]
    pub(crate) replay: Option<String>,
    /// What the loopback server answers, by public URL.
    #[serde(default)]
    pub(crate) serve: Vec<Served>,
    /// The seed's title in the crawl report, when it matters (a replayed page).
    #[serde(default)]
    pub(crate) seed_title: Option<String>,
    /// Whether the seed itself must fail (an unreadable replay); `false` by default.
    #[serde(default)]
    pub(crate) seed_fails: bool,
    /// The items it must give.
    #[serde(default)]
    pub(crate) items: Vec<ExpectedItem>,
    /// Files that must not become items (pixels, logos, avatars, ads, UI sounds).
    #[serde(default)]
    pub(crate) not_indexed: Vec<String>,
    /// Whether items beyond `items` are wrong (junk); `true` unless said otherwise.
    #[serde(default = "yes")]
    pub(crate) exhaustive: bool,
    /// Why the expectations are what they are, for a reader.
    #[serde(default)]
    #[allow(dead_code)]
    pub(crate) notes: Option<String>,
}

fn yes() -> bool {
    true
}

/// One answer of the loopback server.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Served {
    /// The public URL it answers; its query parameters must all be in the request, which may
    /// have more (an API key, a format).
    pub(crate) url: String,
    /// The file, relative to the expectation file.
    pub(crate) file: String,
    /// The `Content-Type` sent.
    #[serde(rename = "type")]
    pub(crate) content_type: String,
}

/// An item as expected: only the fields given are checked.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ExpectedItem {
    pub(crate) id: Option<String>,
    pub(crate) media_url: Option<String>,
    pub(crate) kind: Option<String>,
    pub(crate) title: Option<String>,
    /// `""` means no creator at all.
    pub(crate) creator: Option<String>,
    pub(crate) license: Option<String>,
    /// `""` means no date.
    pub(crate) taken_at: Option<String>,
    pub(crate) published_at: Option<String>,
    pub(crate) duration_seconds: Option<u64>,
    pub(crate) width: Option<u64>,
    pub(crate) height: Option<u64>,
    pub(crate) page_url: Option<String>,
    /// Tags that must all be among the item's.
    #[serde(default)]
    pub(crate) tags: Vec<String>,
    /// Words the description must contain.
    pub(crate) description_has: Option<String>,
}

impl Expectation {
    /// Reads one expectation file.
    pub(crate) fn read(path: &Path) -> Expectation {
        let text = std::fs::read_to_string(path)
            .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
        let mut expectation: Expectation =
            toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        expectation.path = path.to_path_buf();
        expectation
    }

    /// The input's name: its expectation file's path under the corpus.
    pub(crate) fn name(&self, corpus: &Path) -> String {
        let relative = self.path.strip_prefix(corpus).unwrap_or(&self.path);
        relative.with_extension("").display().to_string()
    }

    /// A file named relative to the expectation file.
    pub(crate) fn file(&self, name: &str) -> PathBuf {
        self.path.parent().unwrap_or(Path::new(".")).join(name)
    }
}

/// Every expectation file under `dir`, in path order.
pub(crate) fn all(dir: &Path) -> Vec<Expectation> {
    let mut paths = Vec::new();
    collect(dir, &mut paths);
    paths.sort();
    paths.iter().map(|p| Expectation::read(p)).collect()
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.push(path);
        }
    }
}

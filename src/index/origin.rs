//! Where the answers of the crawls that filled an index came from: the network, the built-in
//! demo, or a recording. A command that fetches again for an index (thumbnails to show, files
//! to download) asks the same place, so the demo stays offline from end to end.

use std::io;
use std::path::{Path, PathBuf};

/// The file, inside the index directory.
const FILE_NAME: &str = "archive-origin";

/// Where an index's crawls got their answers.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Origin {
    /// The live network.
    #[default]
    Network,
    /// The built-in demo's recording.
    Demo,
    /// A WARC file given with `--replay`.
    Replay(PathBuf),
}

impl Origin {
    /// What the last crawl into `dir` recorded; an index without the file was crawled from
    /// the network.
    pub fn read(dir: &Path) -> Origin {
        let Ok(text) = std::fs::read_to_string(dir.join(FILE_NAME)) else {
            return Origin::Network;
        };
        match text.trim_end_matches('\n').split_once(' ') {
            Some(("replay", path)) => Origin::Replay(PathBuf::from(path)),
            None if text.trim() == "demo" => Origin::Demo,
            _ => Origin::Network,
        }
    }

    /// Records it for the index in `dir`.
    ///
    /// # Errors
    /// When the file cannot be written.
    pub fn write(&self, dir: &Path) -> io::Result<()> {
        let text = match self {
            Origin::Network => "network\n".to_string(),
            Origin::Demo => "demo\n".to_string(),
            Origin::Replay(path) => {
                let path = std::path::absolute(path).unwrap_or_else(|_| path.clone());
                format!("replay {}\n", path.display())
            }
        };
        std::fs::write(dir.join(FILE_NAME), text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_origin_reads_back_and_none_is_the_network() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(Origin::read(dir.path()), Origin::Network);
        let warc = dir.path().join("a crawl.warc");
        for origin in [Origin::Demo, Origin::Replay(warc), Origin::Network] {
            origin.write(dir.path()).unwrap();
            assert_eq!(Origin::read(dir.path()), origin);
        }
    }
}

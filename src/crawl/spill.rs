//! Item ids the crawl keeps for later, in a scratch file beside the index rather than in
//! memory: each URL's ids are needed again only if a later page leads to it from more seeds,
//! and a million-item crawl would otherwise hold a million ids until it ends.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::Path;

/// The scratch file. It has no name, so the system removes it when the crawl ends, however
/// it ends.
pub(super) struct Spill {
    file: File,
    len: u64,
}

/// Where one URL's ids are in the spill: a run of bytes per batch, as they came.
#[derive(Debug, Default)]
pub(super) struct Spilled {
    runs: Vec<(u64, u32)>,
    count: usize,
}

impl Spilled {
    /// How many ids were spilled.
    pub(super) fn count(&self) -> usize {
        self.count
    }
}

impl Spill {
    /// A scratch file in `dir`.
    pub(super) fn new(dir: &Path) -> io::Result<Self> {
        Ok(Spill {
            file: tempfile::tempfile_in(dir)?,
            len: 0,
        })
    }

    /// Adds ids to those kept in `into`, each after its length: an id is text from the web
    /// and may hold any character.
    pub(super) fn add(&mut self, into: &mut Spilled, ids: &[String]) -> io::Result<()> {
        if ids.is_empty() {
            return Ok(());
        }
        let mut bytes = Vec::with_capacity(ids.iter().map(|id| id.len() + 4).sum());
        for id in ids {
            let len = u32::try_from(id.len()).map_err(io::Error::other)?;
            bytes.extend_from_slice(&len.to_le_bytes());
            bytes.extend_from_slice(id.as_bytes());
        }
        let size = u32::try_from(bytes.len()).map_err(io::Error::other)?;
        self.file.seek(SeekFrom::Start(self.len))?;
        self.file.write_all(&bytes)?;
        into.runs.push((self.len, size));
        self.len += u64::from(size);
        into.count += ids.len();
        Ok(())
    }

    /// The ids kept in `from`, batch by batch, in the order they came.
    pub(super) fn batches<'a>(
        &'a self,
        from: &'a Spilled,
    ) -> impl Iterator<Item = io::Result<Vec<String>>> + 'a {
        from.runs
            .iter()
            .map(move |&(offset, size)| self.batch(offset, size))
    }

    /// Every id kept in `from`.
    pub(super) fn all(&self, from: &Spilled) -> io::Result<Vec<String>> {
        let mut ids = Vec::with_capacity(from.count);
        for batch in self.batches(from) {
            ids.extend(batch?);
        }
        Ok(ids)
    }

    fn batch(&self, offset: u64, size: u32) -> io::Result<Vec<String>> {
        let mut file = &self.file;
        file.seek(SeekFrom::Start(offset))?;
        let mut bytes = vec![0; size as usize];
        file.read_exact(&mut bytes)?;
        let mut ids = Vec::new();
        let mut rest = bytes.as_slice();
        while let Some((len, tail)) = rest.split_first_chunk::<4>() {
            let len = u32::from_le_bytes(*len) as usize;
            let (id, tail) = tail.split_at_checked(len).ok_or_else(damaged)?;
            ids.push(String::from_utf8(id.to_vec()).map_err(io::Error::other)?);
            rest = tail;
        }
        if !rest.is_empty() {
            return Err(damaged());
        }
        Ok(ids)
    }
}

fn damaged() -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        "the crawl's scratch file is damaged",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(list: &[&str]) -> Vec<String> {
        list.iter().map(|id| id.to_string()).collect()
    }

    #[test]
    fn interleaved_urls_get_back_their_own_ids_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let mut spill = Spill::new(dir.path()).unwrap();
        let (mut album, mut page) = (Spilled::default(), Spilled::default());
        spill
            .add(&mut album, &ids(&["flickr:1", "flickr:2"]))
            .unwrap();
        spill.add(&mut page, &ids(&["page:é\nx"])).unwrap();
        spill.add(&mut album, &[]).unwrap();
        spill.add(&mut album, &ids(&["flickr:3"])).unwrap();
        assert_eq!(album.count(), 3);
        assert_eq!(
            spill.all(&album).unwrap(),
            ["flickr:1", "flickr:2", "flickr:3"]
        );
        let batches: Vec<Vec<String>> = spill.batches(&album).map(Result::unwrap).collect();
        assert_eq!(
            batches,
            [ids(&["flickr:1", "flickr:2"]), ids(&["flickr:3"])]
        );
        assert_eq!(spill.all(&page).unwrap(), ["page:é\nx"]);
        assert!(spill.all(&Spilled::default()).unwrap().is_empty());
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            0,
            "the file has no name"
        );
    }
}

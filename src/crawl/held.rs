//! The seeds' items, kept until every seed is read and the campaigns are known: in memory up
//! to a bound, then in an unnamed scratch file beside the index. An album or a library given
//! directly as a seed sends all its items at level 0, and a 100,000-photo album would
//! otherwise be held whole until the last seed is read.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use crate::model::Item;

/// Items held in memory, all seeds together, before they go to the scratch file: a
/// release's own items and a small album never touch the disk.
pub const IN_MEMORY: usize = 10_000;

/// The items of each seed, in the order they came.
pub(super) struct Held {
    seeds: Vec<SeedItems>,
    in_memory: usize,
    bound: usize,
    dir: PathBuf,
    /// Created when the bound is first passed; it has no name, so the system removes it
    /// when the crawl ends, however it ends.
    file: Option<(File, u64)>,
}

#[derive(Default)]
struct SeedItems {
    memory: Vec<Item>,
    /// Batches in the file, after those in memory: once the file is used, every later batch
    /// goes there, so the order holds.
    runs: Vec<(u64, u64)>,
}

impl Held {
    /// Room for `seeds` seeds, `bound` items in memory, the rest in a file in `dir`.
    pub(super) fn new(seeds: usize, dir: &Path, bound: usize) -> Self {
        Held {
            seeds: (0..seeds).map(|_| SeedItems::default()).collect(),
            in_memory: 0,
            bound,
            dir: dir.to_path_buf(),
            file: None,
        }
    }

    /// Keeps `items` of seed `seed`.
    ///
    /// # Errors
    /// When the scratch file cannot be created or written.
    pub(super) fn add(&mut self, seed: usize, items: Vec<Item>) -> io::Result<()> {
        if items.is_empty() {
            return Ok(());
        }
        if self.file.is_none() && self.in_memory + items.len() <= self.bound {
            self.in_memory += items.len();
            self.seeds[seed].memory.extend(items);
            return Ok(());
        }
        let (file, len) = match &mut self.file {
            Some(open) => open,
            None => self.file.insert((tempfile::tempfile_in(&self.dir)?, 0)),
        };
        let bytes = serde_json::to_vec(&items)?;
        file.seek(SeekFrom::Start(*len))?;
        file.write_all(&bytes)?;
        let size = bytes.len() as u64;
        self.seeds[seed].runs.push((*len, size));
        *len += size;
        Ok(())
    }

    /// Forgets what seed `seed` sent (it failed).
    pub(super) fn drop_seed(&mut self, seed: usize) {
        let items = std::mem::take(&mut self.seeds[seed]);
        self.in_memory -= items.memory.len();
    }

    /// Seed `seed`'s items, batch by batch, in the order they came; each is given once.
    pub(super) fn take(
        &mut self,
        seed: usize,
    ) -> impl Iterator<Item = io::Result<Vec<Item>>> + use<> {
        let items = std::mem::take(&mut self.seeds[seed]);
        self.in_memory -= items.memory.len();
        let file = self.file.as_ref().map(|(file, _)| file.try_clone());
        let memory = (!items.memory.is_empty()).then_some(Ok(items.memory));
        let spilled = items
            .runs
            .into_iter()
            .map(move |(offset, size)| match &file {
                Some(Ok(file)) => read_batch(file, offset, size),
                Some(Err(error)) => Err(io::Error::new(error.kind(), error.to_string())),
                None => Err(io::Error::other("the seeds' scratch file is gone")),
            });
        memory.into_iter().chain(spilled)
    }
}

fn read_batch(mut file: &File, offset: u64, size: u64) -> io::Result<Vec<Item>> {
    file.seek(SeekFrom::Start(offset))?;
    let mut bytes = vec![0; usize::try_from(size).map_err(io::Error::other)?];
    file.read_exact(&mut bytes)?;
    Ok(serde_json::from_slice(&bytes)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Kind, Source};

    fn items(ids: &[&str]) -> Vec<Item> {
        ids.iter()
            .map(|id| {
                let mut item = Item::new(*id, Kind::Photo, Source::Flickr);
                item.title = Some(format!("Title of {id}: \"é\"\n"));
                item
            })
            .collect()
    }

    fn taken(held: &mut Held, seed: usize) -> Vec<Vec<Item>> {
        held.take(seed).map(Result::unwrap).collect()
    }

    #[test]
    fn items_past_the_bound_go_to_a_file_and_come_back_whole_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let mut held = Held::new(3, dir.path(), 3);
        held.add(0, items(&["a1", "a2"])).unwrap();
        held.add(1, items(&["b1"])).unwrap();
        // Past the bound: to the file, and every later batch too, even a small one.
        held.add(0, items(&["a3", "a4"])).unwrap();
        held.add(2, items(&["c1"])).unwrap();
        held.add(0, items(&["a5"])).unwrap();
        held.add(1, Vec::new()).unwrap();
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            0,
            "the file has no name"
        );
        assert_eq!(
            taken(&mut held, 0),
            [items(&["a1", "a2"]), items(&["a3", "a4"]), items(&["a5"])]
        );
        assert_eq!(taken(&mut held, 1), [items(&["b1"])]);
        assert_eq!(taken(&mut held, 2), [items(&["c1"])]);
        assert!(taken(&mut held, 0).is_empty(), "each is given once");
    }

    #[test]
    fn a_failed_seed_gives_its_room_back() {
        let dir = tempfile::tempdir().unwrap();
        let mut held = Held::new(2, dir.path(), 2);
        held.add(0, items(&["a1", "a2"])).unwrap();
        held.drop_seed(0);
        held.add(1, items(&["b1", "b2"])).unwrap();
        assert!(held.file.is_none(), "the room was free again");
        assert!(taken(&mut held, 0).is_empty());
        assert_eq!(taken(&mut held, 1), [items(&["b1", "b2"])]);
    }
}

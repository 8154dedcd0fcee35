//! An index written by version 1 is rebuilt into the current schema when opened, from the
//! items it stores, and swapped into place.

use crate::search_support;

use archive::index::{ArchiveIndex, IndexError, upgrade};
use archive::model::{Item, Kind, Source};
use archive::search::{self, Filters, Request, Sort};
use search_support::{ids, items, v1, v3};

fn v1_index() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    v1::write(&index, &items());
    std::fs::write(index.join("README.md"), "my notes\n").unwrap();
    (dir, index)
}

fn siblings(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn opening_a_version_1_index_rebuilds_it_with_every_item() {
    let (dir, path) = v1_index();
    let index = ArchiveIndex::open(&path).unwrap();
    assert_eq!(index.len().unwrap(), 9, "the deleted item stays deleted");
    assert_eq!(
        siblings(dir.path()),
        ["index"],
        "no scratch directory is left behind"
    );
    assert_eq!(
        std::fs::read_to_string(path.join("README.md")).unwrap(),
        "my notes\n",
        "the user's own files move with the index"
    );
    // What version 2 adds works on the upgraded items.
    let reusable = Request {
        filters: Filters {
            reusable: true,
            ..Filters::default()
        },
        sort: Sort::Date,
        facets: true,
        ..Request::new("soyuz")
    };
    let results = search::run(&index, &reusable).unwrap();
    let found: Vec<&str> = results.hits.iter().map(|h| h.item.id.as_str()).collect();
    assert_eq!(found, ["flickr:2001", "flickr:1002", "flickr:1001"]);
    let kinds = &results.facets.unwrap().kind;
    assert_eq!(kinds[0].value.as_deref(), Some("photo"));
    assert_eq!(kinds[0].count, 3);
    let mut stored_by_v1 = items()[0].clone();
    stored_by_v1.sizes.clear();
    assert_eq!(
        search::find(&index, "flickr:1001").unwrap().unwrap(),
        stored_by_v1,
        "items come back whole"
    );
    assert_eq!(upgrade(&path).unwrap(), None, "once is enough");
}

#[test]
fn the_upgrade_says_what_it_did_and_a_crawl_can_write_afterwards() {
    let (_dir, path) = v1_index();
    let done = upgrade(&path).unwrap().expect("an upgrade");
    assert_eq!((done.from, done.to, done.items), (1, 5, 9));
    assert_eq!(done.dir, path);
    let index = ArchiveIndex::open_or_create(&path).unwrap();
    let mut indexer = index.indexer().unwrap();
    let mut new = items()[0].clone();
    new.id = "flickr:4001".into();
    indexer.upsert(new).unwrap();
    indexer.commit().unwrap();
    assert_eq!(index.len().unwrap(), 10);
}

#[test]
fn an_index_from_a_newer_version_is_left_alone() {
    let (_dir, path) = v1_index();
    std::fs::write(path.join("archive-schema-version"), "6\n").unwrap();
    match ArchiveIndex::open(&path) {
        Err(error @ IndexError::Incompatible { .. }) => {
            assert!(
                error.to_string().contains("newer version of archive"),
                "{error}"
            )
        }
        other => panic!("expected Incompatible, got {:?}", other.err()),
    }
    assert!(path.join("README.md").is_file());
}

#[test]
fn a_new_index_records_its_version_and_needs_no_upgrade() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("index");
    ArchiveIndex::open_or_create(&path).unwrap();
    assert_eq!(
        std::fs::read_to_string(path.join("archive-schema-version")).unwrap(),
        "5\n"
    );
    assert_eq!(upgrade(&path).unwrap(), None);
    assert_eq!(upgrade(&dir.path().join("none")).unwrap(), None);
}

#[test]
fn an_index_whose_words_kept_their_elisions_is_rebuilt_without_them() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("index");
    let mut orbit = Item::new("https://media.example/orbit.jpg", Kind::Photo, Source::Feed);
    orbit.title = Some("Vers l'orbite".into());
    v3::write(&path, &[orbit]);
    let done = upgrade(&path).unwrap().expect("an upgrade");
    assert_eq!((done.from, done.to, done.items), (3, 5, 1));
    let index = ArchiveIndex::open(&path).unwrap();
    assert_eq!(
        ids(&index, "\"vers orbite\""),
        ["https://media.example/orbit.jpg"],
        "the title's words were analyzed again: `l'` is no word between them"
    );
}

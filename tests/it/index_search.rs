//! The index and search through the library API, on a real Tantivy index in a temp dir.

use archive::index::{ArchiveIndex, IndexError, Outcome};
use archive::model::{Item, Kind, Source};
use archive::search::{self, SearchError};
use archive::tag::Campaigns;
use std::collections::BTreeSet;

fn photo(id: &str, title: &str, campaigns: &[&str]) -> Item {
    let mut item = Item::new(id, Kind::Photo, Source::Flickr);
    item.title = Some(title.into());
    item.campaigns = campaigns.iter().map(|c| c.to_string()).collect();
    item
}

fn ids(index: &ArchiveIndex, query: &str) -> Vec<String> {
    search::search(index, query, 50)
        .unwrap()
        .hits
        .into_iter()
        .map(|h| h.item.id)
        .collect()
}

fn index_of(items: Vec<Item>) -> (tempfile::TempDir, ArchiveIndex) {
    let dir = tempfile::tempdir().unwrap();
    let index = ArchiveIndex::open_or_create(dir.path()).unwrap();
    let mut indexer = index.indexer().unwrap();
    for item in items {
        indexer.upsert(item).unwrap();
    }
    indexer.commit().unwrap();
    (dir, index)
}

#[test]
fn campaign_search_is_exact_and_ranks_campaign_members_first() {
    let mut mention = photo("flickr:4", "Soyuz rehearsal", &["VS21"]);
    mention.description = Some("Same pad as vs20, two months later".into());
    let (_dir, index) = index_of(vec![
        photo("flickr:1", "Soyuz on the pad", &["VS20"]),
        photo("flickr:2", "Soyuz VS21 on the pad", &["VS21"]),
        photo("flickr:3", "CSO-1 in the clean room", &["CSO", "VS20"]),
        mention,
    ]);
    let found = ids(&index, "vs20");
    assert_eq!(found.len(), 3, "{found:?}");
    let (members, rest) = found.split_at(2);
    let members: BTreeSet<&String> = members.iter().collect();
    assert_eq!(
        members,
        BTreeSet::from([&"flickr:1".to_string(), &"flickr:3".to_string()])
    );
    assert_eq!(
        rest,
        ["flickr:4"],
        "a mere mention ranks after the campaign's items"
    );
    assert!(!found.contains(&"flickr:2".to_string()), "VS21 is not VS20");
    let respelled: BTreeSet<String> = ids(&index, "VS-20").into_iter().collect();
    assert_eq!(
        respelled,
        BTreeSet::from(["flickr:1".to_string(), "flickr:3".to_string()]),
        "another spelling of the campaign's name finds its items, not the mention of vs20"
    );
    assert_eq!(
        ids(&index, "vs2"),
        Vec::<String>::new(),
        "no fuzzy or prefix matching"
    );
    assert_eq!(ids(&index, "campaign:VS21").len(), 2);
}

#[test]
fn search_folds_case_and_accents() {
    let (_dir, index) = index_of(vec![photo("flickr:1", "La fusée Soyouz", &[])]);
    assert_eq!(ids(&index, "fusee"), ["flickr:1"]);
    assert_eq!(ids(&index, "FUSÉE soyouz"), ["flickr:1"]);
    assert_eq!(
        ids(&index, "fusee ariane"),
        Vec::<String>::new(),
        "all words are required"
    );
}

#[test]
fn an_item_upserted_twice_is_one_document_with_both_campaigns() {
    let dir = tempfile::tempdir().unwrap();
    let index = ArchiveIndex::open_or_create(dir.path()).unwrap();
    let mut indexer = index.indexer().unwrap();
    assert_eq!(
        indexer
            .upsert(photo("flickr:1", "Soyuz", &["VS20"]))
            .unwrap(),
        Outcome::Added
    );
    assert_eq!(
        indexer
            .upsert(photo("flickr:1", "Soyuz", &["CSO"]))
            .unwrap(),
        Outcome::Updated
    );
    indexer.commit().unwrap();
    assert_eq!(
        indexer
            .upsert(photo("flickr:1", "Soyuz", &["CSO"]))
            .unwrap(),
        Outcome::Unchanged
    );
    indexer.commit().unwrap();
    assert_eq!(index.len().unwrap(), 1);
    let hits = search::search(&index, "soyuz", 10).unwrap();
    assert_eq!(hits.total, 1);
    assert_eq!(hits.hits[0].item.campaigns, ["CSO", "VS20"]);
    let stats = indexer.stats();
    assert_eq!(
        (
            stats.total.added,
            stats.total.updated,
            stats.total.unchanged
        ),
        (1, 0, 0),
        "counted per item, by first outcome"
    );
}

#[test]
fn a_campaign_learnt_later_reaches_items_that_name_it() {
    let mut tagged = photo("flickr:1", "Soyuz on the pad", &[]);
    tagged.tags = vec!["vs20".into(), "kourou".into()];
    let mut hashtagged = photo("flickr:2", "Lift-off", &[]);
    hashtagged.description = Some("Lift-off of #VS20".into());
    let mut misspelt = photo("flickr:3", "Fairing", &["vs20"]);
    misspelt.tags = vec!["cso".into()];
    let (_dir, index) = index_of(vec![
        tagged,
        hashtagged,
        misspelt,
        photo("flickr:4", "Other", &["VS21"]),
    ]);
    let mut campaigns = Campaigns::default();
    campaigns.add("VS20");
    campaigns.add("CSO");
    let mut indexer = index.indexer().unwrap();
    assert_eq!(indexer.settle_campaigns(&campaigns).unwrap(), 3);
    let listed: Vec<(String, u64)> = index
        .campaigns()
        .unwrap()
        .into_iter()
        .map(|c| (c.campaign, c.items))
        .collect();
    assert_eq!(
        listed,
        [
            ("VS20".to_string(), 3),
            ("CSO".to_string(), 1),
            ("VS21".to_string(), 1)
        ],
        "one spelling per campaign, largest first"
    );
    assert_eq!(
        indexer.settle_campaigns(&campaigns).unwrap(),
        0,
        "settling twice changes nothing"
    );
}

#[test]
fn malformed_queries_are_explained_not_panicked_on() {
    let (_dir, index) = index_of(vec![photo("flickr:1", "Soyuz", &["VS20"])]);
    for (query, expected) in [
        ("colour:red", "unknown field `colour:`"),
        ("-soyuz", "only excludes"),
        ("title:(soyuz", "check its quotes, brackets and parentheses"),
    ] {
        match search::search(&index, query, 10) {
            Err(SearchError::Query(error)) => {
                assert!(error.to_string().contains(expected), "{query}: {error}")
            }
            other => panic!("{query}: expected a query error, got {other:?}"),
        }
    }
}

#[test]
fn a_missing_index_is_a_clear_error_and_is_not_created() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nothing-here");
    match ArchiveIndex::open(&missing) {
        Err(error @ IndexError::Missing(_)) => {
            assert!(error.to_string().contains("run `archive crawl` first"))
        }
        other => panic!("expected Missing, got {:?}", other.err()),
    }
    assert!(!missing.exists());
}

#[test]
fn a_second_writer_is_told_the_index_is_busy() {
    let dir = tempfile::tempdir().unwrap();
    let index = ArchiveIndex::open_or_create(dir.path()).unwrap();
    let _first = index.indexer().unwrap();
    let other = ArchiveIndex::open_or_create(dir.path()).unwrap();
    assert!(matches!(other.indexer(), Err(IndexError::Locked(_))));
}

#[test]
fn sightings_are_dated_and_a_new_sighting_is_not_a_change() {
    let dir = tempfile::tempdir().unwrap();
    let index = ArchiveIndex::open_or_create(dir.path()).unwrap();
    let at = |t: &str| chrono::DateTime::parse_from_rfc3339(t).unwrap();
    let mut first = index.indexer_at(at("2018-12-19T10:00:00Z")).unwrap();
    first.upsert(photo("flickr:1", "Soyuz", &["VS20"])).unwrap();
    first.commit().unwrap();
    drop(first);
    let stored = |index: &ArchiveIndex| {
        search::search(index, "soyuz", 1).unwrap().hits[0]
            .item
            .clone()
    };
    let before = stored(&index);
    assert!(before.first_seen.is_some());
    assert_eq!(before.first_seen, before.last_seen);

    let mut second = index.indexer_at(at("2018-12-19T11:00:00Z")).unwrap();
    assert_eq!(
        second
            .upsert(photo("flickr:1", "Soyuz", &["VS20"]))
            .unwrap(),
        Outcome::Unchanged
    );
    second.commit().unwrap();
    let after = stored(&index);
    assert_eq!(after.first_seen, before.first_seen);
    assert!(
        after.last_seen > before.last_seen,
        "the new crawl saw it again"
    );
    assert!(
        second
            .amend("flickr:1", |item| item.campaigns.push("CSO".into()))
            .unwrap()
    );
    second.commit().unwrap();
    let amended = stored(&index);
    assert_eq!(amended.campaigns, ["CSO", "VS20"]);
    assert_eq!(
        amended.last_seen, after.last_seen,
        "an amendment is not a sighting"
    );
}

#[test]
fn a_finished_writer_leaves_its_merges_done_and_no_stray_files() {
    let dir = tempfile::tempdir().unwrap();
    let index = ArchiveIndex::open_or_create(dir.path()).unwrap();
    let mut indexer = index.indexer().unwrap();
    // Each commit adds a segment; past eight, Tantivy's merge policy merges them.
    let batches = 12;
    for batch in 0..batches {
        for n in 0..20 {
            indexer
                .upsert(photo(&format!("flickr:{batch}{n:02}"), "Soyuz", &["VS20"]))
                .unwrap();
        }
        indexer.commit().unwrap();
    }
    let stats = indexer.finish().unwrap();
    assert_eq!(stats.total.added, batches * 20);

    let tantivy = tantivy::Index::open_in_dir(dir.path()).unwrap();
    let live: BTreeSet<String> = tantivy
        .searchable_segment_metas()
        .unwrap()
        .iter()
        .map(|meta| meta.id().uuid_string())
        .collect();
    assert!(live.len() < batches, "merged: {} segments", live.len());
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        let stem = name.split('.').next().unwrap_or_default();
        if stem.len() == 32 && stem.chars().all(|c| c.is_ascii_hexdigit()) {
            assert!(live.contains(stem), "{name} belongs to no segment");
        }
    }
    let found = search::search(&index, "soyuz", 1).unwrap();
    assert_eq!(found.total, batches * 20, "every item is still found");
}

/// An index of `segments` commits of `per_segment` items each (item `n` made by `item`),
/// opened to search as the command line opens it: its segments searched in parallel.
fn segmented(
    segments: usize,
    per_segment: usize,
    item: impl Fn(usize) -> Item,
) -> (tempfile::TempDir, ArchiveIndex) {
    let dir = tempfile::tempdir().unwrap();
    {
        let index = ArchiveIndex::open_or_create(dir.path()).unwrap();
        for segment in 0..segments {
            let mut indexer = index.indexer().unwrap();
            for i in 0..per_segment {
                indexer.upsert(item(segment * per_segment + i)).unwrap();
            }
            indexer.commit().unwrap();
        }
    }
    let index = ArchiveIndex::open(dir.path()).unwrap();
    (dir, index)
}

/// The table counts every match and the plain search ranks only the best; both must name the
/// same items in the same order, whether the count rides along in the ranking pass (phrases,
/// ranges) or comes from a second pass (words), on an index of several segments searched in
/// parallel.
#[test]
fn counting_the_matches_does_not_change_the_best_hits() {
    let (_dir, index) = segmented(4, 40, |n| {
        let pad = if n % 3 == 0 {
            "launch pad"
        } else {
            "pad of the launch"
        };
        let repeats = " launch".repeat(n % 5);
        let mut item = photo(&format!("p{n}"), &format!("{pad}{repeats} {n}"), &["VS20"]);
        item.taken_at =
            archive::model::When::parse(&format!("2018-{:02}-10T10:00:00Z", 1 + n % 12));
        item
    });
    for query in [
        "launch",
        "launch pad",
        "\"launch pad\"",
        "launch taken:[2018-03-01 TO 2018-08-31]",
    ] {
        let mut ranked = search::Request::new(query);
        ranked.limit = 7;
        ranked.offset = 3;
        ranked.count = false;
        let mut table = ranked.clone();
        table.count = true;
        table.summary = true;
        let mut all = ranked.clone();
        all.limit = 1000;
        all.offset = 0;
        let [ranked, table, all] = [ranked, table, all].map(|r| search::run(&index, &r).unwrap());
        let order = |results: &search::Results| -> Vec<(String, f32)> {
            results
                .hits
                .iter()
                .map(|h| (h.item.id.clone(), h.score))
                .collect()
        };
        assert_eq!(order(&table), order(&ranked), "{query}");
        assert_eq!(order(&table), order(&all)[3..10], "{query}");
        assert_eq!(table.total, all.hits.len(), "{query}");
        let kinds = &table.facets.as_ref().unwrap().kind;
        assert_eq!(
            kinds.iter().map(|k| k.count).sum::<u64>(),
            all.hits.len() as u64,
            "{query}"
        );
    }
}

/// A date window beside the words is searched as a window of its own (from the date
/// columns); under an OR it stays a pair of ranges in the query. Both must find the same
/// items, on an index of several segments, whatever the bounds.
#[test]
fn date_windows_find_what_date_ranges_find() {
    let (_dir, index) = segmented(3, 50, |n| {
        let mut item = photo(&format!("p{n}"), &format!("launch {n}"), &["VS20"]);
        // Whole days, whole months, whole years and instants, some undated.
        let date = match n % 5 {
            0 => format!("2018-{:02}-{:02}", 1 + n % 12, 1 + n % 28),
            1 => format!("2018-{:02}", 1 + n % 12),
            2 => "2018".to_string(),
            3 => format!("2018-{:02}-10T10:00:{:02}Z", 1 + n % 12, n % 60),
            _ => String::new(),
        };
        item.taken_at = archive::model::When::parse(&date);
        item
    });
    let found = |query: &str| -> Vec<String> {
        let mut request = search::Request::new(query);
        request.limit = 1000;
        let mut found: Vec<String> = search::run(&index, &request)
            .unwrap()
            .hits
            .into_iter()
            .map(|h| h.item.id)
            .collect();
        found.sort();
        found
    };
    for window in [
        "taken:[2018-03-01 TO 2018-08-31]",
        "taken:{2018-03-01 TO 2018-08-31}",
        "taken:2018-05",
        "taken:2018",
        "taken:>=2018-06-10",
        "taken:<2018-06",
        "taken:[* TO 2018-02]",
        "taken:2018-04-10T10:00:03Z",
        "taken:[2019 TO *]",
        "taken:[1500 TO 1600]",
        "taken:[1600 TO 2018-03]",
        "taken:>=2300",
        "taken:[2017 TO 2400]",
    ] {
        let lifted = found(&format!("launch {window}"));
        // Beside a window that holds nothing, under an OR, it is not taken out of the query.
        let ranges = found(&format!("launch ({window} OR taken:[1900 TO 1901])"));
        assert_eq!(lifted, ranges, "{window}");
        let beyond = ["2019 TO", "1500", ">=2300"];
        assert!(
            !lifted.is_empty() || beyond.iter().any(|b| window.contains(b)),
            "{window}"
        );
        let alone = found(window);
        assert_eq!(alone, lifted, "{window} alone");
        let excluded = found(&format!("-7 {window}"));
        assert_eq!(
            excluded,
            lifted
                .iter()
                .filter(|id| *id != "p7")
                .cloned()
                .collect::<Vec<_>>(),
            "{window} with an exclusion"
        );
    }
}

//! The query language and the filters, run by `search::run` on a small real index built
//! once in a temporary directory from the fixtures' pages. Lines of the input are: the
//! query, campaigns, licence phrases, since, until (dates as the command line reads them);
//! the first byte sets the kinds, the order and what is counted.
#![no_main]

use std::sync::LazyLock;

use archive::index::ArchiveIndex;
use archive::model::{Item, Kind, Role, Source};
use archive::search::dates::Period;
use archive::search::{self, Filters, Request, Sort};
use archive_fuzz::{REGISTRY, page};
use libfuzzer_sys::fuzz_target;

const PAGES: [(&str, &str); 3] = [
    (
        "https://press.example.org/kit/vs20.html",
        include_str!("../../tests/fixtures/gallery/press_kit_vs20.html"),
    ),
    (
        "https://press.example.org/news/graph.html",
        include_str!("../../tests/fixtures/jsonld/graph.html"),
    ),
    (
        "https://press.example.org/news/article.html",
        include_str!("../../tests/fixtures/jsonld/news_article.html"),
    ),
];

struct Fixture {
    index: ArchiveIndex,
    _dir: tempfile::TempDir,
}

static INDEX: LazyLock<Fixture> = LazyLock::new(|| {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let index = ArchiveIndex::open_or_create(dir.path()).expect("an index");
    let mut writer = index.indexer().expect("a writer");
    for (url, html) in PAGES {
        let found = REGISTRY.extract(&page(url, Some("text/html"), html.as_bytes(), Role::Seed));
        for mut item in found.into_iter().flat_map(|f| f.items) {
            item.campaigns = vec!["VS20".into(), "CSO".into()];
            writer.upsert(item).expect("an item written");
        }
    }
    let mut video = Item::new("youtube:dQw4w9WgXcQ", Kind::Video, Source::YouTube);
    video.title = Some("Lancement Soyuz VS20 — l'ascension".into());
    video.license = Some("CC BY-SA 4.0".into());
    writer.upsert(video).expect("an item written");
    writer.finish().expect("the index committed");
    Fixture { index, _dir: dir }
});

const KINDS: [Kind; 4] = [Kind::Photo, Kind::Video, Kind::Audio, Kind::Article];

fuzz_target!(|data: &[u8]| {
    let Some((flags, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let mut lines = text.split('\n');
    let mut line = || lines.next().unwrap_or_default().to_owned();
    let query = line();
    let list = |l: String| -> Vec<String> {
        l.split(',')
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect()
    };
    let campaigns = list(line());
    let licenses = list(line());
    let since = Period::parse(&line()).ok().map(|p| p.start);
    let until = Period::parse(&line()).ok().map(|p| p.end);
    let request = Request {
        query,
        filters: Filters {
            kinds: KINDS
                .iter()
                .enumerate()
                .filter(|(bit, _)| flags & (1 << bit) != 0)
                .map(|(_, kind)| *kind)
                .collect(),
            campaigns,
            licenses,
            reusable: flags & 0x10 != 0,
            since,
            until,
            ..Filters::default()
        },
        sort: if flags & 0x20 != 0 {
            Sort::Date
        } else {
            Sort::Relevance
        },
        limit: 5,
        offset: usize::from(flags >> 6),
        facets: flags & 0x40 != 0,
        summary: flags & 0x80 != 0,
        highlights: true,
        count: flags & 0x01 != 0,
    };
    match search::run(&INDEX.index, &request) {
        Ok(results) => drop(results),
        // The message a user would read is made without trouble too.
        Err(error) => drop(error.to_string()),
    }
});

//! The query language, filters, sorting, facets, snippets and suggestions, through the
//! library, on a fixture archive of nine known items (see `search_support`).

use crate::search_support;

use archive::model::{Kind, Source};
use archive::search::{self, Filters, Request, SearchError, Sort};
use search_support::{PR208, fixture, ids, ids_for, newest};

const PAD: &str = "flickr:1001";
const LIFTOFF: &str = "flickr:1002";
const VIDEO: &str = "flickr:1003";
const CLEAN_ROOM: &str = "https://media.example/cleanroom.jpg";
const HIGHLIGHTS: &str = "https://media.example/highlights.mp4";
const VS21: &str = "flickr:2001";
const ARIANE: &str = "flickr:3001";
const PODCAST: &str = "https://podcast.example/ep1.mp3";

/// Everything, newest first (taken, else published; the undated podcast last).
const ALL_NEWEST_FIRST: [&str; 9] = [
    VS21, HIGHLIGHTS, VIDEO, LIFTOFF, PAD, PR208, CLEAN_ROOM, ARIANE, PODCAST,
];

fn filtered(filters: Filters) -> Request {
    Request {
        filters,
        sort: Sort::Date,
        limit: 100,
        ..Request::new("")
    }
}

#[test]
fn words_rank_by_relevance_and_campaign_members_first() {
    let (_dir, index) = fixture();
    // One field holds every word of an item, so a short item whose title names the word
    // (VIDEO) edges out a longer one that also has it in its description (LIFTOFF).
    assert_eq!(ids(&index, "soyuz"), [PAD, VIDEO, LIFTOFF, VS21, PR208]);
    assert_eq!(ids(&index, "kourou"), [ARIANE, PAD], "a title beats a tag");
    assert_eq!(
        ids(&index, "vs20"),
        [HIGHLIGHTS, VIDEO, PAD, LIFTOFF, CLEAN_ROOM, PR208, VS21],
        "VS21's photo only mentions vs20 in its description: last"
    );
    assert_eq!(
        ids(&index, "lift off"),
        [VIDEO, LIFTOFF],
        "every word is required"
    );
    assert_eq!(ids(&index, "soyuz ariane"), Vec::<String>::new());
}

#[test]
fn phrases_booleans_and_exclusions() {
    let (_dir, index) = fixture();
    assert_eq!(ids(&index, "\"launch pad\""), [PAD]);
    assert_eq!(ids(&index, "\"pad launch\""), Vec::<String>::new());
    assert_eq!(ids(&index, "vs21 OR ariane"), [VS21, ARIANE]);
    for query in [
        "soyuz -vs21",
        "soyuz NOT vs21",
        "soyuz AND NOT vs21",
        "soyuz AND -vs21",
    ] {
        assert_eq!(ids(&index, query), [PAD, VIDEO, LIFTOFF, PR208], "{query}");
    }
    assert_eq!(
        newest(&index, "(soyuz AND NOT vs21) OR ariane"),
        [VIDEO, LIFTOFF, PAD, PR208, ARIANE]
    );
}

#[test]
fn fields_can_be_named() {
    let (_dir, index) = fixture();
    let cases: [(&str, &[&str]); 12] = [
        ("title:lift", &[VIDEO, LIFTOFF]),
        ("description:fusee", &[LIFTOFF]),
        ("campaign:VS21", &[VS21]),
        ("campaign:#vs21", &[VS21]),
        ("kind:video", &[HIGHLIGHTS, VIDEO]),
        ("tag:kourou", &[PAD]),
        ("creator:nasa", &[ARIANE]),
        ("creator:\"s martin\"", &[PAD, CLEAN_ROOM]),
        ("license:\"cc by\"", &[LIFTOFF, PAD, CLEAN_ROOM, PODCAST]),
        ("license:\"cc by sa\"", &[PAD]),
        ("source:feed", &[CLEAN_ROOM, PODCAST]),
        ("collection:\"CSO-1\"", &[PAD]),
    ];
    for (query, expected) in cases {
        assert_eq!(newest(&index, query), expected, "{query}");
    }
}

#[test]
fn dates_are_whole_days_and_ranges_include_their_last_day() {
    let (_dir, index) = fixture();
    let cases: [(&str, &[&str]); 9] = [
        ("taken:[2018-12-18 TO 2018-12-20]", &[VIDEO, LIFTOFF]),
        ("taken:[2018-12-17 TO 2018-12-19]", &[VIDEO, LIFTOFF, PAD]),
        ("taken:{2018-12-17 TO 2018-12-19]", &[VIDEO, LIFTOFF]),
        ("taken:[2018-12-17 TO 2018-12-19}", &[PAD]),
        ("taken:2018-12-19", &[VIDEO, LIFTOFF]),
        ("taken:[2018-12-19T16:38:00Z TO *]", &[VS21, VIDEO]),
        ("published:>=2018-12-20", &[HIGHLIGHTS]),
        (
            "date:2018-12",
            &[HIGHLIGHTS, VIDEO, LIFTOFF, PAD, PR208, CLEAN_ROOM],
        ),
        ("soyuz date:<2018-12-17", &[PR208]),
    ];
    for (query, expected) in cases {
        assert_eq!(newest(&index, query), expected, "{query}");
    }
}

#[test]
fn prefixes_and_folding() {
    let (_dir, index) = fixture();
    assert_eq!(newest(&index, "soyu*"), [VS21, VIDEO, LIFTOFF, PAD, PR208]);
    assert_eq!(newest(&index, "title:soyo*"), [PODCAST]);
    assert_eq!(
        newest(&index, "Fus*"),
        [LIFTOFF, PODCAST],
        "prefixes fold too"
    );
    assert_eq!(newest(&index, "cso-1*"), [LIFTOFF, PAD, PR208, CLEAN_ROOM]);
    assert_eq!(ids(&index, "fusee"), [PODCAST, LIFTOFF]);
    assert_eq!(ids(&index, "FUSÉE"), [PODCAST, LIFTOFF]);
    assert_eq!(
        ids(&index, "vs2"),
        Vec::<String>::new(),
        "no prefix without *"
    );
}

#[test]
fn filters_narrow_any_query_without_reordering_it() {
    let (_dir, index) = fixture();
    let kinds = Filters {
        kinds: vec![Kind::Video],
        ..Filters::default()
    };
    assert_eq!(
        ids_for(&index, &filtered(kinds.clone())),
        [HIGHLIGHTS, VIDEO]
    );
    let soyuz_videos = Request {
        filters: kinds,
        ..Request::new("soyuz")
    };
    assert_eq!(ids_for(&index, &soyuz_videos), [VIDEO]);
    let several = Filters {
        kinds: vec![Kind::Photo, Kind::Audio],
        sources: vec![Source::Feed],
        ..Filters::default()
    };
    assert_eq!(ids_for(&index, &filtered(several)), [CLEAN_ROOM, PODCAST]);
    let campaign = Filters {
        campaigns: vec!["#cso".into()],
        ..Filters::default()
    };
    assert_eq!(
        ids_for(&index, &filtered(campaign)),
        [LIFTOFF, PAD, PR208, CLEAN_ROOM, PODCAST]
    );
    let license = Filters {
        licenses: vec!["CC BY-SA".into(), "cc0".into()],
        ..Filters::default()
    };
    assert_eq!(ids_for(&index, &filtered(license)), [VS21, PAD]);
    let with_filter = Request {
        filters: Filters {
            campaigns: vec!["vs20".into()],
            ..Filters::default()
        },
        ..Request::new("soyuz")
    };
    assert_eq!(
        ids_for(&index, &with_filter),
        [PAD, VIDEO, LIFTOFF, PR208],
        "the relevance order of `soyuz` is kept"
    );
}

#[test]
fn since_and_until_use_the_date_taken_else_published() {
    let (_dir, index) = fixture();
    let day = |text: &str| search::dates::Period::parse(text).unwrap();
    let between = |since: Option<&str>, until: Option<&str>| {
        ids_for(
            &index,
            &filtered(Filters {
                since: since.map(|s| day(s).start),
                until: until.map(|u| day(u).end),
                ..Filters::default()
            }),
        )
    };
    assert_eq!(
        between(Some("2018-12-19"), Some("2018-12-20")),
        [HIGHLIGHTS, VIDEO, LIFTOFF]
    );
    assert_eq!(between(Some("2019"), None), [VS21]);
    assert_eq!(between(None, Some("2018-12-04")), [CLEAN_ROOM, ARIANE]);
    assert_eq!(
        between(Some("2018-12-14"), Some("2018-12-14")),
        [PR208],
        "published only"
    );
    let backwards = filtered(Filters {
        since: Some(day("2018-12-20").start),
        until: Some(day("2018-12-18").end),
        ..Filters::default()
    });
    match search::run(&index, &backwards) {
        Err(SearchError::Query(error)) => {
            assert!(error.to_string().contains("--since"), "{error}")
        }
        other => panic!("expected an error, got {other:?}"),
    }
}

#[test]
fn sorting_by_date_puts_the_newest_first_and_the_undated_last() {
    let (_dir, index) = fixture();
    assert_eq!(newest(&index, ""), ALL_NEWEST_FIRST);
    assert_eq!(newest(&index, "*"), ALL_NEWEST_FIRST);
    let limited = Request {
        sort: Sort::Date,
        limit: 3,
        ..Request::new("vs20")
    };
    let results = search::run(&index, &limited).unwrap();
    assert_eq!(results.total, 7);
    let found: Vec<&str> = results.hits.iter().map(|h| h.item.id.as_str()).collect();
    assert_eq!(found, [VS21, HIGHLIGHTS, VIDEO]);
    assert!(
        results.hits.iter().all(|h| h.score > 0.0),
        "hits sorted by date keep their score"
    );
}

#[test]
fn facets_count_every_match_not_only_the_shown_ones() {
    let (_dir, index) = fixture();
    let request = Request {
        facets: true,
        limit: 1,
        ..Request::new("vs20")
    };
    let facets = search::run(&index, &request).unwrap().facets.unwrap();
    let pairs = |values: &[search::FacetValue]| -> Vec<(Option<String>, u64)> {
        values.iter().map(|f| (f.value.clone(), f.count)).collect()
    };
    let some = |v: &str, n: u64| (Some(v.to_string()), n);
    assert_eq!(
        pairs(&facets.campaign),
        [some("VS20", 6), some("CSO", 4), some("VS21", 1)]
    );
    assert_eq!(
        pairs(&facets.kind),
        [some("photo", 4), some("video", 2), some("article", 1)]
    );
    assert_eq!(
        pairs(&facets.source),
        [
            some("flickr", 4),
            some("feed", 1),
            some("jsonld", 1),
            some("release", 1)
        ]
    );
    assert_eq!(
        pairs(&facets.license),
        [
            some("All Rights Reserved", 1),
            some("CC BY 2.0", 1),
            some("CC BY-NC-ND 4.0", 1),
            some("CC BY-SA 2.0", 1),
            some("CC0 1.0", 1),
            (None, 2)
        ]
    );
    assert_eq!(pairs(&facets.year), [some("2019", 1), some("2018", 6)]);
    let everything = Request {
        facets: true,
        ..Request::new("")
    };
    let facets = search::run(&index, &everything).unwrap().facets.unwrap();
    assert_eq!(
        pairs(&facets.year),
        [some("2019", 1), some("2018", 7), (None, 1)]
    );
    assert_eq!(
        search::run(&index, &Request::new("vs20")).unwrap().facets,
        None
    );
}

#[test]
fn snippets_wrap_matched_words_and_escape_the_rest() {
    let (_dir, index) = fixture();
    let request = Request {
        highlights: true,
        ..Request::new("fusee")
    };
    let results = search::run(&index, &request).unwrap();
    let liftoff = results.hits.iter().find(|h| h.item.id == LIFTOFF).unwrap();
    assert_eq!(
        liftoff.snippet.as_deref(),
        Some(
            "Décollage du lanceur Soyuz VS20 : la <b>fusée</b> emporte CSO-1 &lt;vers l&#39;orbite&gt;."
        )
    );
    let podcast = results.hits.iter().find(|h| h.item.id == PODCAST).unwrap();
    assert_eq!(
        podcast.snippet.as_deref(),
        Some("Podcast : la <b>fusée</b> Soyouz")
    );
    assert_eq!(
        podcast.title_matches,
        [std::ops::Range { start: 13, end: 19 }],
        "`fusée` in the title, in bytes"
    );

    let by_campaign = Request {
        highlights: true,
        ..Request::new("campaign:VA246")
    };
    let ariane = &search::run(&index, &by_campaign).unwrap().hits[0];
    assert_eq!(
        ariane.snippet.as_deref(),
        Some("Ariane 5 rehearsal at Kourou"),
        "no word to highlight: the title, escaped"
    );
    assert!(ariane.title_matches.is_empty());
    let plain = search::run(&index, &Request::new("fusee")).unwrap();
    assert!(
        plain
            .hits
            .iter()
            .all(|h| h.snippet.is_none() && h.title_matches.is_empty())
    );
}

#[test]
fn nothing_found_suggests_close_words_but_never_searches_them() {
    let (_dir, index) = fixture();
    let suggestions = |query: &str| -> Vec<(String, Vec<String>)> {
        let results = search::run(&index, &Request::new(query)).unwrap();
        assert_eq!(results.total, 0, "{query}");
        assert!(results.hits.is_empty());
        results
            .suggestions
            .into_iter()
            .map(|s| (s.word, s.alternatives))
            .collect()
    };
    let one = |word: &str, alternatives: &[&str]| {
        vec![(
            word.to_string(),
            alternatives
                .iter()
                .map(|a| a.to_string())
                .collect::<Vec<_>>(),
        )]
    };
    assert_eq!(
        suggestions("vs02"),
        one("vs02", &["vs20"]),
        "a swap is one edit"
    );
    assert_eq!(suggestions("soyus"), one("soyus", &["soyuz"]));
    assert_eq!(suggestions("kouru"), one("kouru", &["kourou"]));
    assert_eq!(suggestions("rehersal"), one("rehersal", &["rehearsal"]));
    assert_eq!(
        suggestions("soyuz vs02"),
        one("vs02", &["vs20"]),
        "known words are not questioned"
    );
    assert_eq!(suggestions("zzzzzz"), Vec::new(), "nothing close");
    assert_eq!(
        suggestions("soyuz ariane"),
        Vec::new(),
        "both words exist, just not together"
    );
    let found = search::run(&index, &Request::new("vs20")).unwrap();
    assert!(
        found.suggestions.is_empty(),
        "no suggestions when something is found"
    );
}

#[test]
fn malformed_queries_are_explained_never_panicked_on() {
    let (_dir, index) = fixture();
    for (query, expected) in [
        ("colour:red", "unknown field `colour:`"),
        ("-soyuz", "only excludes"),
        ("title:(soyuz", "check its quotes, brackets and parentheses"),
        (
            "taken:[2018-13-01 TO 2018-12-20]",
            "`2018-13-01` is not a date",
        ),
        (
            "taken:yesterday",
            "a date in `taken:yesterday` is not understood",
        ),
        ("published:>=someday", "`someday` is not a date"),
        ("s*", "too short"),
        ("item:soyuz", "`item:` cannot be searched"),
        ("vs20 AND", "check its quotes"),
    ] {
        match search::run(&index, &Request::new(query)) {
            Err(SearchError::Query(error)) => {
                assert!(error.to_string().contains(expected), "{query}: {error}")
            }
            other => panic!("{query}: expected a query error, got {other:?}"),
        }
    }
    let license = filtered(Filters {
        licenses: vec!["--".into()],
        ..Filters::default()
    });
    assert!(matches!(
        search::run(&index, &license),
        Err(SearchError::Query(_))
    ));
}

#[test]
fn an_item_is_found_by_id_number_or_link() {
    let (_dir, index) = fixture();
    let id = |text: &str| search::find(&index, text).unwrap().map(|item| item.id);
    assert_eq!(id(PAD).as_deref(), Some(PAD));
    assert_eq!(id("1001").as_deref(), Some(PAD), "a Flickr photo's number");
    assert_eq!(
        id("https://www.flickr.com/photos/cnes/1001/").as_deref(),
        Some(PAD),
        "its page"
    );
    assert_eq!(
        id("https://media.example/photos/cleanroom").as_deref(),
        Some(CLEAN_ROOM)
    );
    assert_eq!(id("flickr:999"), None);
    assert_eq!(id(""), None);
}

/// Photos dated as precisely as their sources knew: a year, a month, a day, a local time.
fn dated_archive() -> (tempfile::TempDir, archive::index::ArchiveIndex) {
    let photo = |id: &str, taken: &str| {
        let mut item = archive::model::Item::new(id, Kind::Photo, Source::Flickr);
        item.title = Some(format!("Kourou {id}"));
        item.taken_at = search_support::at(taken);
        item
    };
    search_support::index_of(vec![
        photo("year", "1950"),
        photo("month", "1950-03"),
        photo("day", "1950-03-14"),
        photo("local", "1950-03-14T23:30:00"),
        photo("zoned", "1950-03-14T23:30:00-03:00"),
    ])
}

#[test]
fn a_date_finds_what_is_known_to_lie_within_it_and_nothing_vaguer() {
    let (_dir, index) = dated_archive();
    let found = |query: &str| {
        let mut found = ids(&index, query);
        found.sort();
        found
    };
    assert_eq!(
        found("taken:1950"),
        ["day", "local", "month", "year", "zoned"],
        "a year finds every date in it"
    );
    assert_eq!(found("taken:1950-03"), ["day", "local", "month", "zoned"]);
    assert_eq!(
        found("taken:1950-03-14"),
        ["day", "local"],
        "a local time keeps its day; 23:30 at -03:00 is the 15th in UTC"
    );
    assert_eq!(found("taken:1950-01-01"), Vec::<String>::new());
    assert_eq!(found("taken:1950-03-15"), ["zoned"]);
    assert_eq!(
        found("taken:[1950-02 TO 1950-03-14]"),
        ["day", "local"],
        "a range holds a date whose whole span is in it"
    );
    assert_eq!(
        found("taken:<1951"),
        ["day", "local", "month", "year", "zoned"]
    );
    assert_eq!(found("taken:>=1950-03-14"), ["day", "local", "zoned"]);
}

#[test]
fn since_and_until_hold_dates_whose_whole_span_is_inside() {
    let (_dir, index) = dated_archive();
    let window = |since: Option<&str>, until: Option<&str>| {
        let filters = Filters {
            since: since.map(|d| search::dates::Period::parse(d).unwrap().start),
            until: until.map(|d| search::dates::Period::parse(d).unwrap().end),
            ..Filters::default()
        };
        let mut found = ids_for(&index, &filtered(filters));
        found.sort();
        found
    };
    assert_eq!(
        window(Some("1950-03"), None),
        ["day", "local", "month", "zoned"]
    );
    assert_eq!(
        window(None, Some("1950-03-14")),
        ["day", "local"],
        "March runs past the 14th"
    );
    assert_eq!(
        window(Some("1950-02"), Some("1950-12")),
        ["day", "local", "month", "zoned"]
    );
}

#[test]
fn dates_come_back_as_they_were_given() {
    let (_dir, index) = dated_archive();
    let request = filtered(Filters::default());
    let results = search::run(&index, &request).unwrap();
    let mut given: Vec<(String, String)> = results
        .hits
        .iter()
        .map(|h| {
            let json = serde_json::to_value(&h.item).unwrap();
            (
                h.item.id.clone(),
                json["taken_at"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    given.sort();
    assert_eq!(
        given,
        [
            ("day".to_string(), "1950-03-14".to_string()),
            ("local".to_string(), "1950-03-14T23:30:00".to_string()),
            ("month".to_string(), "1950-03".to_string()),
            ("year".to_string(), "1950".to_string()),
            ("zoned".to_string(), "1950-03-14T23:30:00-03:00".to_string()),
        ]
    );
}

//! The search's offset, which pages through results (`archive serve`'s pages), and its filter
//! and facet by licence class, on the fixture archive of `search_support`.

use crate::search_support;

use archive::media::rights::LicenseClass;
use archive::search::{self, Filters, Request, Sort};
use search_support::{fixture, ids_for};

#[test]
fn an_offset_skips_the_best_hits_in_either_order_and_counted_or_not() {
    let (_dir, index) = fixture();
    for sort in [Sort::Relevance, Sort::Date] {
        for count in [true, false] {
            let page = |offset: usize, limit: usize| Request {
                sort,
                count,
                limit,
                offset,
                ..Request::new("vs20")
            };
            let all = ids_for(&index, &page(0, 100));
            assert_eq!(all.len(), 7);
            let second = search::run(&index, &page(3, 3)).unwrap();
            let ids: Vec<&str> = second.hits.iter().map(|h| h.item.id.as_str()).collect();
            assert_eq!(ids, all[3..6], "{sort:?}, counted: {count}");
            let expected_total = if count { 7 } else { 6 };
            assert_eq!(second.total, expected_total, "{sort:?}, counted: {count}");
            assert!(search::run(&index, &page(7, 3)).unwrap().hits.is_empty());
        }
    }
}

#[test]
fn a_licence_class_filters_and_is_counted() {
    let (_dir, index) = fixture();
    let by_class = |classes: Vec<LicenseClass>| {
        let request = Request {
            filters: Filters {
                license_classes: classes,
                ..Filters::default()
            },
            limit: 100,
            facets: true,
            ..Request::new("")
        };
        search::run(&index, &request).unwrap()
    };
    let everything = by_class(Vec::new());
    let counted: Vec<(String, u64)> = everything
        .facets
        .unwrap()
        .license_class
        .iter()
        .map(|f| (f.value.clone().unwrap(), f.count))
        .collect();
    assert_eq!(
        counted.iter().map(|(_, n)| n).sum::<u64>(),
        9,
        "{counted:?}"
    );
    for (class, count) in &counted {
        let class = LicenseClass::ALL
            .into_iter()
            .find(|c| c.key() == class)
            .unwrap();
        let found = by_class(vec![class]);
        assert_eq!(found.total as u64, *count, "{class:?}");
        assert!(found.hits.iter().all(|h| {
            archive::media::rights::classify(
                h.item.license.as_deref(),
                h.item.license_url.as_deref(),
            ) == class
        }));
    }
    let two = by_class(vec![LicenseClass::CcBy, LicenseClass::Cc0]);
    assert_eq!(two.total, 2, "either class will do");
}

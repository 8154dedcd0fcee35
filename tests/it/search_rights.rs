//! Licences: which ones `--reusable` keeps, from Flickr's ids 0–16 and from the names and
//! URLs feeds and JSON-LD give.

use crate::search_support;

use archive::media::rights::{LicenseClass, classify};
use archive::model::{Item, Kind, Source};
use archive::search::{Filters, Request, Sort};
use archive::sources::flickr::licenses;
use search_support::{ids_for, index_of};

use LicenseClass::*;

/// Flickr's licence ids and the class each is.
const FLICKR: [(u64, LicenseClass); 17] = [
    (0, AllRightsReserved),
    (1, NonCommercial),
    (2, NonCommercial),
    (3, NonCommercial),
    (4, CcBy),
    (5, CcBySa),
    (6, CcByNd),
    (7, NoKnownRestrictions),
    (8, UsGovernment),
    (9, Cc0),
    (10, PublicDomain),
    (11, CcBy),
    (12, CcBySa),
    (13, CcByNd),
    (14, NonCommercial),
    (15, NonCommercial),
    (16, NonCommercial),
];

#[test]
fn every_flickr_licence_is_classified_by_name_by_url_and_by_both() {
    for (id, expected) in FLICKR {
        let license = licenses::by_id(id).unwrap();
        assert_eq!(
            classify(Some(license.name), Some(license.url)),
            expected,
            "id {id}"
        );
        assert_eq!(
            classify(Some(license.name), None),
            expected,
            "id {id} by name"
        );
        if id != 0 {
            // Flickr's "All Rights Reserved" page is a help article, not a licence.
            assert_eq!(
                classify(None, Some(license.url)),
                expected,
                "id {id} by URL"
            );
        }
    }
}

#[test]
fn names_and_urls_as_feeds_and_json_ld_give_them() {
    let cases: [(Option<&str>, Option<&str>, LicenseClass); 22] = [
        (
            None,
            Some("https://creativecommons.org/licenses/by/4.0/deed.fr"),
            CcBy,
        ),
        (
            None,
            Some("http://creativecommons.org/licenses/by-sa/3.0/fr/"),
            CcBySa,
        ),
        (
            None,
            Some("https://creativecommons.org/licenses/by-nd/2.5/legalcode"),
            CcByNd,
        ),
        (
            None,
            Some("https://creativecommons.org/licenses/by-nc-sa/4.0/"),
            NonCommercial,
        ),
        (
            None,
            Some("https://creativecommons.org/publicdomain/zero/1.0/"),
            Cc0,
        ),
        (
            None,
            Some("https://creativecommons.org/publicdomain/mark/1.0/"),
            PublicDomain,
        ),
        (
            None,
            Some("https://www.usa.gov/government-works"),
            UsGovernment,
        ),
        (None, Some("https://videos.cnes.fr/conditions"), Unknown),
        (
            Some("Creative Commons Attribution-NoDerivatives 4.0"),
            None,
            CcByNd,
        ),
        (Some("Attribution-ShareAlike License"), None, CcBySa),
        (Some("Attribution License"), None, CcBy),
        (
            Some("Attribution-NonCommercial License"),
            None,
            NonCommercial,
        ),
        (Some("CC-BY-NC 4.0"), None, NonCommercial),
        (
            Some("Paternité - Pas d'Utilisation Commerciale"),
            None,
            NonCommercial,
        ),
        (Some("Public Domain Dedication (CC0)"), None, Cc0),
        (Some("© CNES 2018"), None, AllRightsReserved),
        (Some("Tous droits réservés"), None, AllRightsReserved),
        (Some("Licence Ouverte / Open Licence"), None, Unknown),
        (Some(""), None, Unknown),
        (None, None, Unknown),
        // A NonCommercial clause on either side wins; otherwise the URL is exact.
        (
            Some("CC BY 4.0"),
            Some("https://creativecommons.org/licenses/by-nc/4.0/"),
            NonCommercial,
        ),
        (
            Some("© CNES"),
            Some("https://creativecommons.org/licenses/by/4.0/"),
            CcBy,
        ),
    ];
    for (name, url, expected) in cases {
        assert_eq!(classify(name, url), expected, "{name:?} {url:?}");
    }
}

#[test]
fn reusable_keeps_the_licences_a_newsroom_may_publish_without_asking() {
    let mut items: Vec<Item> = FLICKR
        .iter()
        .map(|&(id, _)| {
            let mut item = Item::new(format!("flickr:{id}"), Kind::Photo, Source::Flickr);
            let license = licenses::by_id(id).unwrap();
            item.license = Some(license.name.into());
            item.license_url = Some(license.url.into());
            // Older ids are older photos, so date order is id order, newest first.
            item.taken_at = search_support::at(&format!("2018-01-{:02}T00:00:00Z", 20 - id));
            item
        })
        .collect();
    let mut unknown = Item::new("flickr:unknown", Kind::Photo, Source::Flickr);
    unknown.taken_at = search_support::at("2017-01-01T00:00:00Z");
    items.push(unknown);
    let (_dir, index) = index_of(items);
    let request = Request {
        filters: Filters {
            reusable: true,
            ..Filters::default()
        },
        sort: Sort::Date,
        limit: 100,
        ..Request::new("")
    };
    let expected: Vec<String> = (4..=13).map(|id| format!("flickr:{id}")).collect();
    assert_eq!(ids_for(&index, &request), expected);
    for (id, class) in FLICKR {
        assert_eq!(class.is_reusable(), (4..=13).contains(&id), "id {id}");
    }
}

//! Flickr's licence ids, as `flickr.photos.licenses.getInfo` listed them in 2025.
//!
//! The list changes rarely and every photo carries only the id, so it is a table here rather
//! than one more API call per crawl.

/// A licence as an item records it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct License {
    /// The short name journalists recognise, such as `CC BY 2.0`.
    pub name: &'static str,
    /// Where the licence's terms are published.
    pub url: &'static str,
}

const fn license(name: &'static str, url: &'static str) -> License {
    License { name, url }
}

/// Indexed by Flickr licence id.
const LICENSES: [License; 17] = [
    license(
        "All Rights Reserved",
        "https://www.flickrhelp.com/hc/en-us/articles/10710266545556-Using-Flickr-images-shared-by-other-members",
    ),
    license(
        "CC BY-NC-SA 2.0",
        "https://creativecommons.org/licenses/by-nc-sa/2.0/",
    ),
    license(
        "CC BY-NC 2.0",
        "https://creativecommons.org/licenses/by-nc/2.0/",
    ),
    license(
        "CC BY-NC-ND 2.0",
        "https://creativecommons.org/licenses/by-nc-nd/2.0/",
    ),
    license("CC BY 2.0", "https://creativecommons.org/licenses/by/2.0/"),
    license(
        "CC BY-SA 2.0",
        "https://creativecommons.org/licenses/by-sa/2.0/",
    ),
    license(
        "CC BY-ND 2.0",
        "https://creativecommons.org/licenses/by-nd/2.0/",
    ),
    license(
        "No known copyright restrictions",
        "https://www.flickr.com/commons/usage/",
    ),
    license(
        "United States Government Work",
        "https://www.usa.gov/government-copyright",
    ),
    license(
        "CC0 1.0",
        "https://creativecommons.org/publicdomain/zero/1.0/",
    ),
    license(
        "Public Domain Mark 1.0",
        "https://creativecommons.org/publicdomain/mark/1.0/",
    ),
    license("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/"),
    license(
        "CC BY-SA 4.0",
        "https://creativecommons.org/licenses/by-sa/4.0/",
    ),
    license(
        "CC BY-ND 4.0",
        "https://creativecommons.org/licenses/by-nd/4.0/",
    ),
    license(
        "CC BY-NC 4.0",
        "https://creativecommons.org/licenses/by-nc/4.0/",
    ),
    license(
        "CC BY-NC-SA 4.0",
        "https://creativecommons.org/licenses/by-nc-sa/4.0/",
    ),
    license(
        "CC BY-NC-ND 4.0",
        "https://creativecommons.org/licenses/by-nc-nd/4.0/",
    ),
];

/// The licence behind a Flickr licence id (0–16), or `None` for an id this table does not know:
/// a guessed licence would be worse than none.
pub fn by_id(id: u64) -> Option<License> {
    LICENSES.get(usize::try_from(id).ok()?).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_id_has_its_licence() {
        let expected = [
            (0, "All Rights Reserved"),
            (1, "CC BY-NC-SA 2.0"),
            (2, "CC BY-NC 2.0"),
            (3, "CC BY-NC-ND 2.0"),
            (4, "CC BY 2.0"),
            (5, "CC BY-SA 2.0"),
            (6, "CC BY-ND 2.0"),
            (7, "No known copyright restrictions"),
            (8, "United States Government Work"),
            (9, "CC0 1.0"),
            (10, "Public Domain Mark 1.0"),
            (11, "CC BY 4.0"),
            (12, "CC BY-SA 4.0"),
            (13, "CC BY-ND 4.0"),
            (14, "CC BY-NC 4.0"),
            (15, "CC BY-NC-SA 4.0"),
            (16, "CC BY-NC-ND 4.0"),
        ];
        for (id, name) in expected {
            let found = by_id(id).unwrap_or_else(|| panic!("licence {id} missing"));
            assert_eq!(found.name, name, "licence {id}");
        }
    }

    #[test]
    fn creative_commons_urls_match_their_names() {
        // `CC BY-NC-SA 2.0` must point at `/licenses/by-nc-sa/2.0/`: a misaligned row would
        // give a photo the wrong terms.
        for id in (1..=6).chain(11..=16) {
            let found = by_id(id).expect("CC licence listed");
            let (code, version) = found
                .name
                .strip_prefix("CC ")
                .and_then(|rest| rest.split_once(' '))
                .expect("CC name shape");
            let url = format!(
                "https://creativecommons.org/licenses/{}/{version}/",
                code.to_ascii_lowercase()
            );
            assert_eq!(found.url, url, "licence {id}");
        }
    }

    #[test]
    fn public_domain_and_special_licences_have_their_own_pages() {
        let url = |id| by_id(id).map(|l| l.url);
        assert!(url(0).is_some_and(|u| u.starts_with("https://www.flickrhelp.com/")));
        assert_eq!(url(7), Some("https://www.flickr.com/commons/usage/"));
        assert_eq!(url(8), Some("https://www.usa.gov/government-copyright"));
        assert_eq!(
            url(9),
            Some("https://creativecommons.org/publicdomain/zero/1.0/")
        );
        assert_eq!(
            url(10),
            Some("https://creativecommons.org/publicdomain/mark/1.0/")
        );
    }

    #[test]
    fn unknown_ids_have_no_licence() {
        for id in [17, 99, u64::MAX] {
            assert_eq!(by_id(id), None, "{id}");
        }
    }
}

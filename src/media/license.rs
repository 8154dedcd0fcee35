//! Licence names from their URLs: the short name of a well-known licence.

use url::Url;

/// The short name of a licence from its URL, such as `CC BY-SA 4.0` for
/// `https://creativecommons.org/licenses/by-sa/4.0/`.
///
/// Knows the Creative Commons licences (any version, ported ones with their jurisdiction,
/// `deed.xx` and `legalcode` pages), CC0, the Public Domain Mark, and the two licence pages
/// Flickr uses for public-domain works. Anything else is `None`: a wrong name is worse than
/// none.
pub fn license_name_from_url(url: &str) -> Option<String> {
    let url = Url::parse(url.trim()).ok()?;
    let host = url.host_str()?.to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    let segments: Vec<&str> = url.path_segments()?.filter(|s| !s.is_empty()).collect();
    match (host, segments.as_slice()) {
        ("creativecommons.org", ["licenses", code, rest @ ..]) => cc_license_name(code, rest),
        ("creativecommons.org", ["publicdomain", "zero", rest @ ..]) => {
            Some(with_version("CC0", rest.first()))
        }
        ("creativecommons.org", ["publicdomain", "mark", rest @ ..]) => {
            Some(with_version("Public Domain Mark", rest.first()))
        }
        ("flickr.com", ["commons", "usage", ..]) => Some("No known copyright restrictions".into()),
        ("usa.gov", ["government-copyright" | "government-works", ..]) => {
            Some("United States Government Work".into())
        }
        _ => None,
    }
}

fn cc_license_name(code: &str, rest: &[&str]) -> Option<String> {
    let valid = code
        .split('-')
        .all(|part| matches!(part, "by" | "sa" | "nc" | "nd"));
    if !code.starts_with("by") || !valid {
        return None;
    }
    let mut name = with_version(&format!("CC {}", code.to_ascii_uppercase()), rest.first());
    // Ported licences (`/licenses/by/3.0/fr/`) name their jurisdiction; `deed.fr` and
    // `legalcode` are only other renderings of the same licence.
    if let Some(place) = rest
        .get(1)
        .filter(|p| p.len() <= 3 && p.chars().all(|c| c.is_ascii_alphabetic()))
    {
        name.push(' ');
        name.push_str(&place.to_ascii_uppercase());
    }
    Some(name)
}

fn with_version(name: &str, version: Option<&&str>) -> String {
    match version.filter(|v| v.chars().next().is_some_and(|c| c.is_ascii_digit())) {
        Some(v) => format!("{name} {v}"),
        None => name.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn licence_names_from_urls() {
        for (url, name) in [
            (
                "https://creativecommons.org/licenses/by-sa/4.0/",
                Some("CC BY-SA 4.0"),
            ),
            (
                "http://creativecommons.org/licenses/by-nc-sa/2.0/deed.en",
                Some("CC BY-NC-SA 2.0"),
            ),
            (
                "https://creativecommons.org/licenses/by/4.0/legalcode",
                Some("CC BY 4.0"),
            ),
            (
                "https://creativecommons.org/licenses/by-nd/3.0/fr/",
                Some("CC BY-ND 3.0 FR"),
            ),
            (
                "https://www.creativecommons.org/licenses/by/2.0",
                Some("CC BY 2.0"),
            ),
            (
                "https://creativecommons.org/publicdomain/zero/1.0/",
                Some("CC0 1.0"),
            ),
            (
                "https://creativecommons.org/publicdomain/mark/1.0/deed.fr",
                Some("Public Domain Mark 1.0"),
            ),
            (
                "https://www.flickr.com/commons/usage/",
                Some("No known copyright restrictions"),
            ),
            (
                "https://www.usa.gov/government-copyright",
                Some("United States Government Work"),
            ),
            ("https://creativecommons.org/licenses/", None),
            ("https://creativecommons.org/licenses/xyz/4.0/", None),
            ("https://cnes.fr/licenses/by/4.0/", None),
            ("not a url", None),
        ] {
            assert_eq!(license_name_from_url(url).as_deref(), name, "{url}");
        }
    }
}

//! Credit lines in captions: `© CNES/ESA/Arianespace/Optique Vidéo du CSG - S. Martin`,
//! `Crédit : ESA–S. Corvaja`, `Photo: …`, `Credit: …`, `(c) …`.

use std::sync::LazyLock;

use regex::Regex;

use crate::media::text;

/// What announces a credit. Words need a colon (`Photo :`), except `Copyright` and
/// `Photo by`, so that a caption merely mentioning a photo is not cut.
const MARKER: &str = r"©|\(c\)|\bcopyright\b(?:\s*(?:©|\(c\)))?|\b(?:cr[ée]dits?|credits?|cr[ée]ditos?)(?:\s+(?:photos?|images?|fotos?))?\s*:|\b(?:photos?|photographs?|fotos?|fotograf[ií]as?|images?|bild|picture)(?:\s+(?:credits?|cr[ée]dits?))?\s*:|\bphoto(?:graph)?\s+by\b";

/// A credit marker anywhere in a line.
static CREDIT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!("(?i){MARKER}")).expect("valid credit regex"));

/// Markers, years and separators before the credited name.
static LEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)^(?:\s|[:\-–—|]|{MARKER}|\d{{4}}(?:\s*[-–]\s*\d{{4}})?(?:\s*[,.]|\s))+"
    ))
    .expect("valid leading-credit regex")
});

/// A year, or a rights notice, after the credited name.
static TRAILING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?:[\s,.\-–—]*(?:\d{4}(?:\s*[-–]\s*\d{4})?|all rights reserved|tous droits r[ée]serv[ée]s))+[\s.]*$",
    )
    .expect("valid trailing-credit regex")
});

/// The name a credit line credits: markers (`©`, `Crédit photo :`), years and rights
/// notices stripped. `None` when nothing is left.
///
/// `"© 2018 CNES/ESA – S. Martin. Tous droits réservés"` gives `"CNES/ESA – S. Martin"`.
pub fn credit_holder(line: &str) -> Option<String> {
    let line = LEADING.replace(line.trim(), "");
    let line = TRAILING.replace(&line, "");
    let mut name = line.trim().trim_end_matches([',', ';', ':']).trim_end();
    if name.ends_with('.') && !ends_with_initial(name) {
        name = &name[..name.len() - 1];
    }
    text::clean(name).filter(|n| n.chars().any(char::is_alphanumeric))
}

/// `S.` at the end of `Photo : S.`: a dot that belongs to an initial.
fn ends_with_initial(name: &str) -> bool {
    let before = name.trim_end_matches('.');
    let last_word = before
        .rsplit([' ', '-', '–', '/'])
        .next()
        .unwrap_or_default();
    last_word.chars().count() == 1 && last_word.chars().all(char::is_uppercase)
}

/// Splits one caption line into its text and its credit, at the first credit marker:
/// `"Soyuz sur le pas de tir. © ESA - S. Corvaja"` gives
/// `(Some("Soyuz sur le pas de tir."), Some("ESA - S. Corvaja"))`.
///
/// The credit runs to the end of the line; a credit in parentheses loses them. A line
/// without a marker is all text.
pub fn split_credit(line: &str) -> (Option<String>, Option<String>) {
    let Some(marker) = CREDIT.find(line) else {
        return closing_credit(line).unwrap_or_else(|| (text::clean(line), None));
    };
    let mut before = line[..marker.start()].trim_end();
    let mut after = &line[marker.start()..];
    if let Some(open) = before.strip_suffix(['(', '[']) {
        before = open.trim_end();
        after = after.trim_end().trim_end_matches([')', ']']);
    }
    let before = before.trim_end_matches(['-', '–', '—', '|', ',']);
    match credit_holder(after) {
        Some(credit) => (text::clean(before), Some(credit)),
        None => (text::clean(line), None),
    }
}

/// A credit closing a caption in parentheses, as newspapers write it without a marker:
/// `(Ellen M. Banner / The Seattle Times)`, `(Photo Prakash Mathema. AFP)`,
/// `(AP Photo/Evan Vucci)`. The parentheses must hold a photographer and an agency (a slash),
/// a "Photo", or a wire agency's name, so that `(1950)` or `(left)` stay text.
fn closing_credit(line: &str) -> Option<(Option<String>, Option<String>)> {
    let captures = CLOSING_CREDIT.captures(line.trim_end())?;
    let inner = captures.get(2)?.as_str();
    let inner = LEADING_PHOTO.replace(inner, "");
    let credit = credit_holder(&inner)?;
    Some((text::clean(captures.get(1)?.as_str()), Some(credit)))
}

static CLOSING_CREDIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?is)^(.*?)\s*[(\[]((?:[^()\[\]]*?\S\s*/\s*\S[^()\[\]]*|(?:photo|foto|picture)\b[^()\[\]]*|[^()\[\]]*\b(?:AFP|AP|Reuters|Getty Images|EPA|AAP|Xinhua|ANP|dpa|Keystone))\s*)[)\]]\s*\.?$",
    )
    .expect("valid closing-credit regex")
});

static LEADING_PHOTO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:photo|foto|picture)s?\b\s*[:.]?\s*").expect("valid regex")
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credit_holder_strips_markers_years_and_notices() {
        let cases = [
            (
                "© CNES/ESA/Arianespace/Optique Vidéo du CSG - S. Martin",
                "CNES/ESA/Arianespace/Optique Vidéo du CSG - S. Martin",
            ),
            ("Crédit : ESA–S. Corvaja", "ESA–S. Corvaja"),
            ("Crédits photo : © CNES", "CNES"),
            ("Photo: Arianespace", "Arianespace"),
            ("Credit: ESA/Manuel Pedoussaut", "ESA/Manuel Pedoussaut"),
            ("(c) 2018 CNES", "CNES"),
            ("©CNES/ESA/Arianespace", "CNES/ESA/Arianespace"),
            ("Copyright © 2018-2019 Arianespace.", "Arianespace"),
            ("© CNES 2018, tous droits réservés", "CNES"),
            ("Photo by S. Martin", "S. Martin"),
            ("Photo : S.", "S."),
        ];
        for (line, expected) in cases {
            assert_eq!(credit_holder(line).as_deref(), Some(expected), "{line}");
        }
        for line in ["©", "© 2018", "Crédit :", "  "] {
            assert_eq!(credit_holder(line), None, "{line}");
        }
    }

    #[test]
    fn split_credit_cuts_at_the_marker() {
        assert_eq!(
            split_credit("Soyuz VS20 sur le pas de tir. © ESA - S. Corvaja"),
            (
                Some("Soyuz VS20 sur le pas de tir.".into()),
                Some("ESA - S. Corvaja".into())
            )
        );
        assert_eq!(
            split_credit("CSO-1 sous la coiffe (© CNES/ESA/Arianespace)"),
            (
                Some("CSO-1 sous la coiffe".into()),
                Some("CNES/ESA/Arianespace".into())
            )
        );
        assert_eq!(
            split_credit("Crédit : ESA–S. Corvaja"),
            (None, Some("ESA–S. Corvaja".into()))
        );
        assert_eq!(
            split_credit("Le lanceur — Photo : P. Baudon"),
            (Some("Le lanceur".into()), Some("P. Baudon".into()))
        );
    }

    #[test]
    fn credits_in_other_languages_and_closing_parentheses() {
        assert_eq!(
            split_credit("Foto: LA NACION"),
            (None, Some("LA NACION".into()))
        );
        assert_eq!(
            split_credit("Whole Foods cut prices. (Ellen M. Banner / The Seattle Times)"),
            (
                Some("Whole Foods cut prices.".into()),
                Some("Ellen M. Banner / The Seattle Times".into())
            )
        );
        assert_eq!(
            split_credit("Rescuers search the rubble (Photo Prakash Mathema. AFP)"),
            (
                Some("Rescuers search the rubble".into()),
                Some("Prakash Mathema. AFP".into())
            )
        );
        assert_eq!(
            split_credit("The launch pad (left) in 1950 (1950)"),
            (Some("The launch pad (left) in 1950 (1950)".into()), None)
        );
    }

    #[test]
    fn lines_without_a_credit_are_text() {
        for line in [
            "The photo shows the Soyuz launcher",
            "Photos of the launch are online",
            "Le 19 décembre 2018, décollage.",
        ] {
            assert_eq!(split_credit(line), (Some(line.to_string()), None), "{line}");
        }
        assert_eq!(split_credit("Lanceur ©"), (Some("Lanceur ©".into()), None));
    }
}

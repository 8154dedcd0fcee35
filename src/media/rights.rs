//! What a newsroom may do with an item, read from its licence's name and URL.
//!
//! `--reusable` keeps the licences that allow publication without asking: CC BY, CC BY-SA and
//! CC BY-ND (any version, ported or not), CC0, the Public Domain Mark, Flickr's "No known
//! copyright restrictions" and US Government works. NonCommercial licences are out, because
//! editorial use by a publisher is commercial use; so are "All Rights Reserved" and any
//! licence this module does not recognise: a wrong "yes" costs more than a wrong "no".

use serde::Serialize;
use unicode_normalization::UnicodeNormalization;

use crate::media::license::license_name_from_url;

/// A licence reduced to what it allows. Stored in the index as [`LicenseClass::key`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LicenseClass {
    /// Creative Commons Attribution.
    CcBy,
    /// Creative Commons Attribution-ShareAlike.
    CcBySa,
    /// Creative Commons Attribution-NoDerivatives.
    CcByNd,
    /// Creative Commons Zero, a public-domain dedication.
    Cc0,
    /// The Public Domain Mark.
    PublicDomain,
    /// Flickr Commons' "No known copyright restrictions".
    NoKnownRestrictions,
    /// A work of the US federal government.
    UsGovernment,
    /// Any licence with a NonCommercial clause.
    NonCommercial,
    /// All rights reserved, or a bare copyright notice.
    AllRightsReserved,
    /// No licence, or one not recognised.
    Unknown,
}

impl LicenseClass {
    /// Every class, reusable ones first.
    pub const ALL: [LicenseClass; 10] = [
        LicenseClass::CcBy,
        LicenseClass::CcBySa,
        LicenseClass::CcByNd,
        LicenseClass::Cc0,
        LicenseClass::PublicDomain,
        LicenseClass::NoKnownRestrictions,
        LicenseClass::UsGovernment,
        LicenseClass::NonCommercial,
        LicenseClass::AllRightsReserved,
        LicenseClass::Unknown,
    ];

    /// The name stored in the index and printed in JSON.
    pub fn key(self) -> &'static str {
        match self {
            LicenseClass::CcBy => "cc-by",
            LicenseClass::CcBySa => "cc-by-sa",
            LicenseClass::CcByNd => "cc-by-nd",
            LicenseClass::Cc0 => "cc0",
            LicenseClass::PublicDomain => "public-domain",
            LicenseClass::NoKnownRestrictions => "no-known-restrictions",
            LicenseClass::UsGovernment => "us-government",
            LicenseClass::NonCommercial => "non-commercial",
            LicenseClass::AllRightsReserved => "all-rights-reserved",
            LicenseClass::Unknown => "unknown",
        }
    }

    /// Whether a newsroom may publish the item without asking (crediting it as the licence
    /// says).
    pub fn is_reusable(self) -> bool {
        !matches!(
            self,
            LicenseClass::NonCommercial | LicenseClass::AllRightsReserved | LicenseClass::Unknown
        )
    }

    /// What a journalist needs to know, in a few words.
    pub fn advice(self) -> &'static str {
        match self {
            LicenseClass::CcBy | LicenseClass::CcBySa => "reusable with credit",
            LicenseClass::CcByNd => "reusable with credit, unaltered (no crops or edits)",
            LicenseClass::Cc0
            | LicenseClass::PublicDomain
            | LicenseClass::NoKnownRestrictions
            | LicenseClass::UsGovernment => "reusable; credit is courteous",
            LicenseClass::NonCommercial => {
                "not for publication: non-commercial only (editorial use is commercial)"
            }
            LicenseClass::AllRightsReserved => "not reusable: ask the rights holder",
            LicenseClass::Unknown => "licence unknown: ask the rights holder",
        }
    }
}

/// The class of a licence, from its name and its URL.
///
/// A NonCommercial clause named by either side wins (the safe reading). Otherwise a
/// recognised URL decides, because URLs are exact where names are free text, and the name
/// decides when the URL says nothing.
pub fn classify(name: Option<&str>, url: Option<&str>) -> LicenseClass {
    let by_url = url
        .and_then(license_name_from_url)
        .map_or(LicenseClass::Unknown, |n| from_name(&n));
    let by_name = name.map_or(LicenseClass::Unknown, from_name);
    if by_url == LicenseClass::NonCommercial || by_name == LicenseClass::NonCommercial {
        return LicenseClass::NonCommercial;
    }
    if by_url != LicenseClass::Unknown {
        by_url
    } else {
        by_name
    }
}

/// The class a licence's name states: short forms (`CC BY-SA 2.0`), Creative Commons' long
/// names in English or French (`Attribution-NoDerivs License`, `Paternité - Pas de
/// modification`), and the names Flickr gives its other licences.
fn from_name(name: &str) -> LicenseClass {
    let words = words(name);
    let has = |w: &str| words.iter().any(|x| x == w);
    let text = format!(" {} ", words.join(" "));
    let says = |phrase: &str| text.contains(&format!(" {phrase} "));

    if text.contains("commercial") || has("nc") {
        return LicenseClass::NonCommercial;
    }
    if says("no known copyright restrictions") {
        return LicenseClass::NoKnownRestrictions;
    }
    if (says("government work") || says("government works"))
        && (has("us") || says("united states") || says("u s"))
    {
        return LicenseClass::UsGovernment;
    }
    if has("cc0") || says("cc zero") || says("public domain dedication") {
        return LicenseClass::Cc0;
    }
    if says("public domain") || has("pdm") {
        return LicenseClass::PublicDomain;
    }
    if let Some(class) = creative_commons(&has, &says) {
        return class;
    }
    let reserved = [
        "all rights reserved",
        "tous droits reserves",
        "droits reserves",
    ];
    if reserved.iter().any(|p| says(p)) || has("copyright") || name.trim_start().starts_with('©') {
        return LicenseClass::AllRightsReserved;
    }
    LicenseClass::Unknown
}

/// BY, BY-SA or BY-ND, for a name that is a Creative Commons licence.
fn creative_commons(
    has: &dyn Fn(&str) -> bool,
    says: &dyn Fn(&str) -> bool,
) -> Option<LicenseClass> {
    let attribution = has("by") || has("attribution") || has("paternite");
    let creative_commons = has("cc") || says("creative commons") || has("attribution");
    if !(attribution && creative_commons) {
        return None;
    }
    let share_alike = has("sa")
        || has("sharealike")
        || says("share alike")
        || says("partage dans les memes conditions");
    let no_derivatives = has("nd")
        || has("noderivs")
        || has("noderivatives")
        || says("no derivatives")
        || says("no derivs")
        || says("pas de modification");
    Some(match (share_alike, no_derivatives) {
        (false, false) => LicenseClass::CcBy,
        (true, false) => LicenseClass::CcBySa,
        (false, true) => LicenseClass::CcByNd,
        // No such licence: a garbled name is not a permission.
        (true, true) => return None,
    })
}

/// Lowercase words without accents; `CC BY-SA 2.0` is `cc by sa 2 0`.
fn words(name: &str) -> Vec<String> {
    // NFKD splits `é` into `e` and an accent; keeping ASCII drops the accent.
    let folded: String = name
        .nfkd()
        .filter(char::is_ascii)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    folded
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(String::from)
        .collect()
}

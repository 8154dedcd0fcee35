//! Whether a file is press material or page furniture: logos, icons, sprites, tracking
//! pixels and beacons are never media, whichever source lists them.

use std::sync::LazyLock;

use regex::Regex;
use url::Url;

/// Words that name decoration in a file name, a class, an id or an alt text.
static DECORATIVE_WORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?:^|[^a-z])(?:logos?|icons?|sprites?|pixel|spacer|favicon|avatars?|emoji|badges?|picto(?:gramme)?s?|blank|tracking|tracker|placeholder)(?:[^a-z]|$)",
    )
    .expect("valid decorative regex")
});

/// Hosts and paths of analytics beacons, ad servers and avatar services.
const TRACKERS: [&str; 16] = [
    "google-analytics.",
    "doubleclick.",
    "facebook.com/tr",
    "xiti.",
    "matomo",
    "piwik",
    "analytics.",
    "/beacon",
    "gravatar.com/",
    "scorecardresearch.",
    "quantserve.",
    "adsystem.",
    "adservice.",
    "outbrain.",
    "taboola.",
    "/pixel.",
];

/// Classes and ids of the parts of a page around an article: its author's box and
/// headshot, share bars, ads, recommendations, comments.
static CHROME_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?:^|[^a-z])(?:byline|author|headshot|avatar|profile|share|sharing|social|related|recommend\w*|outbrain|taboola|promo|advert\w*|ads?|sponsor\w*|newsletter|cookie|consent|comments?)(?:[^a-z]|$)",
    )
    .expect("valid chrome regex")
});

/// Whether an element's class or id names page chrome (an author box, a share bar, an ad).
pub fn is_chrome_name(text: &str) -> bool {
    CHROME_NAME.is_match(text)
}

/// Whether a file name, a class, an id or an alt text names decoration (`logo`, `icon`).
pub fn is_decorative_name(text: &str) -> bool {
    DECORATIVE_WORD.is_match(text)
}

/// Whether a file's URL alone says it is decoration: a logo, icon or sprite by name, a
/// vector drawing or icon file, or an analytics beacon.
pub fn is_decorative_url(url: &Url) -> bool {
    let path = url.path().to_ascii_lowercase();
    let name = path.rsplit('/').next().unwrap_or_default();
    let folder_is_icons = path.split('/').any(|s| {
        matches!(
            s,
            "icons"
                | "icones"
                | "logos"
                | "sprites"
                | "pictos"
                | "avatar"
                | "avatars"
                | "headshots"
        )
    });
    let vector = name.ends_with(".svg") || name.ends_with(".ico");
    let full = format!("{}{}", url.host_str().unwrap_or_default(), url.path()).to_ascii_lowercase();
    let tracker = TRACKERS.iter().any(|t| full.contains(t));
    DECORATIVE_WORD.is_match(name) || folder_is_icons || vector || tracker
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decorative_urls_are_told_by_name_folder_type_and_host() {
        for url in [
            "https://cnes.fr/themes/logo-cnes.png",
            "https://cnes.fr/img/icons/share.png",
            "https://cnes.fr/img/sprite_social.png",
            "https://cnes.fr/img/fleche.svg",
            "https://logc.xiti.com/hit.xiti?s=1",
            "https://cnes.fr/stats/pixel.gif",
            "https://cnes.fr/img/picto-video.png",
            "https://0.gravatar.com/avatar/ce748a705fe043cb47?s=96&d=identicon",
            "https://cnes.fr/uploads/avatars/s-martin.jpg",
        ] {
            assert!(is_decorative_url(&Url::parse(url).unwrap()), "{url}");
        }
        for url in [
            "https://cnes.fr/sites/default/files/VS20_decollage_HD.jpg",
            "https://cnes.fr/img/pixelated-earth-view.jpg",
            "https://cnes.fr/media/iconic_soyuz.jpg",
        ] {
            assert!(!is_decorative_url(&Url::parse(url).unwrap()), "{url}");
        }
    }
}

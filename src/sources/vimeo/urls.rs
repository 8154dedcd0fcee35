//! What a Vimeo URL names: a video, a showcase, a channel or a user.

use url::Url;

use crate::sources::oembed::{Embed, Provider, recognize as recognize_player};

/// What a Vimeo URL shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// One video, with the hash an unlisted one needs.
    Video(Embed),
    /// A showcase (`/showcase/ID`, formerly `/album/ID`): an "album" in the API.
    Showcase(String),
    /// A channel (`/channels/name`).
    Channel(String),
    /// A user's page (`/cnes`, `/user1234`).
    User(String),
}

/// The first path segments of Vimeo's own pages, which are not user names.
const RESERVED: [&str; 26] = [
    "channels",
    "groups",
    "showcase",
    "album",
    "categories",
    "watch",
    "search",
    "upload",
    "features",
    "blog",
    "help",
    "join",
    "log_in",
    "ondemand",
    "stock",
    "solutions",
    "enterprise",
    "create",
    "live",
    "about",
    "terms",
    "privacy",
    "cookie_policy",
    "api",
    "home",
    "video",
];

/// What `url` names on Vimeo, or `None`.
pub fn recognize(url: &Url) -> Option<Target> {
    let host = url.host_str()?.to_ascii_lowercase();
    if !matches!(
        host.as_str(),
        "vimeo.com" | "www.vimeo.com" | "player.vimeo.com"
    ) {
        return None;
    }
    let segments: Vec<&str> = url.path_segments()?.filter(|s| !s.is_empty()).collect();
    match segments.as_slice() {
        ["showcase" | "album", id] | ["showcase" | "album", id, "embed"] if is_number(id) => {
            return Some(Target::Showcase((*id).to_string()));
        }
        ["channels", name] | ["channels", name, "videos"] if is_name(name) => {
            return Some(Target::Channel((*name).to_string()));
        }
        _ => {}
    }
    if let Some(embed) = recognize_player(url).filter(|e| e.provider == Provider::Vimeo) {
        return Some(Target::Video(embed));
    }
    match segments.as_slice() {
        [name] | [name, "videos"] if is_name(name) && !is_number(name) => {
            Some(Target::User((*name).to_string()))
        }
        _ => None,
    }
}

fn is_number(text: &str) -> bool {
    !text.is_empty() && text.len() <= 12 && text.bytes().all(|b| b.is_ascii_digit())
}

fn is_name(text: &str) -> bool {
    (2..=64).contains(&text.len())
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-'))
        && !RESERVED.contains(&text.to_ascii_lowercase().as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(text: &str) -> Option<Target> {
        recognize(&Url::parse(text).unwrap())
    }

    #[test]
    fn showcases_channels_users_and_videos() {
        assert_eq!(
            of("https://vimeo.com/showcase/5512345"),
            Some(Target::Showcase("5512345".into()))
        );
        assert_eq!(
            of("https://vimeo.com/album/5512345"),
            Some(Target::Showcase("5512345".into()))
        );
        assert_eq!(
            of("https://vimeo.com/channels/cnesvideos"),
            Some(Target::Channel("cnesvideos".into()))
        );
        assert_eq!(
            of("https://vimeo.com/cnes"),
            Some(Target::User("cnes".into()))
        );
        assert_eq!(
            of("https://vimeo.com/user1234/videos"),
            Some(Target::User("user1234".into()))
        );
        for text in [
            "https://vimeo.com/305742410",
            "https://player.vimeo.com/video/305742410?h=a1b2c3d4e5",
            "https://vimeo.com/showcase/5512345/video/305742410",
            "https://vimeo.com/channels/cnesvideos/305742410",
        ] {
            let Some(Target::Video(embed)) = of(text) else {
                panic!("{text} is a video")
            };
            assert_eq!(embed.video_id, "305742410", "{text}");
        }
        for text in [
            "https://vimeo.com/",
            "https://vimeo.com/search",
            "https://example.com/cnes",
        ] {
            assert_eq!(of(text), None, "{text}");
        }
    }
}

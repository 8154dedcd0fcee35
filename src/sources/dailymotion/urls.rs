//! What a Dailymotion URL names: a video, a playlist or a user.

use url::Url;

use crate::sources::oembed::{Provider, recognize as recognize_player};

/// What a Dailymotion URL shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// One video (`/video/x8abcd`, `dai.ly/x8abcd`, a player).
    Video(String),
    /// A playlist (`/playlist/x6abc1`).
    Playlist(String),
    /// A user's page (`/CNES`).
    User(String),
}

/// The first path segments of Dailymotion's own pages, which are not user names.
const RESERVED: [&str; 24] = [
    "video",
    "playlist",
    "embed",
    "search",
    "tag",
    "tags",
    "channel",
    "user",
    "signin",
    "signup",
    "legal",
    "upload",
    "library",
    "partner",
    "featured",
    "trending",
    "explore",
    "settings",
    "notifications",
    "following",
    "live",
    "news",
    "player",
    "services",
];

/// What `url` names on Dailymotion, or `None`.
pub fn recognize(url: &Url) -> Option<Target> {
    if let Some(id) = video_id(url) {
        return Some(Target::Video(id));
    }
    let host = url.host_str()?.to_ascii_lowercase();
    if host.strip_prefix("www.").unwrap_or(&host) != "dailymotion.com" {
        return None;
    }
    let segments: Vec<&str> = url.path_segments()?.filter(|s| !s.is_empty()).collect();
    match segments.as_slice() {
        ["playlist", id, ..] if is_xid(id) => Some(Target::Playlist((*id).to_string())),
        [name] | [name, "videos" | "playlists"] if is_user(name) => {
            Some(Target::User((*name).to_string()))
        }
        _ => None,
    }
}

/// The id of the video a URL shows, through the players' own recognition.
pub fn video_id(url: &Url) -> Option<String> {
    recognize_player(url)
        .filter(|embed| embed.provider == Provider::Dailymotion)
        .map(|embed| embed.video_id)
}

/// Ids are `x` and lowercase letters and digits.
fn is_xid(text: &str) -> bool {
    text.len() >= 5
        && text.len() <= 24
        && text.starts_with('x')
        && text.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// A user name: letters, digits, `_` and `-`, not one of the site's own pages, nor a
/// two-letter locale (`/fr`).
fn is_user(text: &str) -> bool {
    text.len() >= 3
        && text.len() <= 64
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
    fn videos_playlists_and_users() {
        for text in [
            "https://www.dailymotion.com/video/x8vs20a",
            "https://www.dailymotion.com/video/x8vs20a_lancement-vs20_tech",
            "https://dai.ly/x8vs20a",
            "https://www.dailymotion.com/embed/video/x8vs20a?autoplay=1",
        ] {
            assert_eq!(of(text), Some(Target::Video("x8vs20a".into())), "{text}");
        }
        assert_eq!(
            of("https://www.dailymotion.com/playlist/x7cso1"),
            Some(Target::Playlist("x7cso1".into()))
        );
        assert_eq!(
            of("https://www.dailymotion.com/CNES"),
            Some(Target::User("CNES".into()))
        );
        for text in [
            "https://www.dailymotion.com/fr",
            "https://www.dailymotion.com/search/vs20",
            "https://www.dailymotion.com/",
            "https://www.dailymotion.com/library/watch-later",
            "https://example.com/CNES",
        ] {
            assert_eq!(of(text), None, "{text}");
        }
    }
}

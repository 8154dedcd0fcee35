//! What a YouTube URL names: a playlist, a channel, or one video.

use url::Url;

use crate::sources::oembed::{Provider, recognize as recognize_player};

/// What a YouTube URL shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// A playlist (`/playlist?list=PL…`), perhaps opened at one of its videos
    /// (`/watch?v=ID&list=PL…`), which is then read with it.
    Playlist {
        /// The playlist id (`PL…`, `UU…`, `OLAK5uy_…`).
        list: String,
        /// The video the URL opened, if any.
        video: Option<String>,
    },
    /// A channel, however its URL names it.
    Channel(Channel),
    /// One video.
    Video(String),
}

/// How a URL names a channel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Channel {
    /// `/channel/UC…`: the id itself.
    Id(String),
    /// `/@handle`.
    Handle(String),
    /// `/user/name`: a legacy user name.
    User(String),
    /// `/c/name`: a custom URL, which only the channel's page resolves.
    Custom(String),
}

impl Channel {
    /// The channel's public page.
    pub fn page_url(&self) -> String {
        match self {
            Channel::Id(id) => format!("https://www.youtube.com/channel/{id}"),
            Channel::Handle(handle) => format!("https://www.youtube.com/@{handle}"),
            Channel::User(name) => format!("https://www.youtube.com/user/{name}"),
            Channel::Custom(name) => format!("https://www.youtube.com/c/{name}"),
        }
    }
}

/// The public page of a playlist.
pub fn playlist_url(list: &str) -> String {
    format!("https://www.youtube.com/playlist?list={list}")
}

/// The public page of a video.
pub fn watch_url(video: &str) -> String {
    format!("https://www.youtube.com/watch?v={video}")
}

/// What `url` names on YouTube, or `None` for anything else (a search, another host).
pub fn recognize(url: &Url) -> Option<Target> {
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    let host = url.host_str()?.to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    let on_youtube = matches!(
        host,
        "youtube.com" | "m.youtube.com" | "music.youtube.com" | "youtube-nocookie.com"
    );
    if !on_youtube && host != "youtu.be" {
        return None;
    }
    let video = video_id(url);
    if let Some(list) = query(url, "list").filter(|l| is_playlist_id(l)) {
        return Some(Target::Playlist { list, video });
    }
    if let Some(video) = video {
        return Some(Target::Video(video));
    }
    if !on_youtube {
        return None;
    }
    let segments: Vec<&str> = url.path_segments()?.filter(|s| !s.is_empty()).collect();
    channel(&segments).map(Target::Channel)
}

/// The id of the video a URL shows, through the players' own recognition.
pub fn video_id(url: &Url) -> Option<String> {
    recognize_player(url)
        .filter(|embed| embed.provider == Provider::YouTube)
        .map(|embed| embed.video_id)
}

fn channel(segments: &[&str]) -> Option<Channel> {
    let name_ok = |s: &str| {
        !s.is_empty()
            && s.len() <= 100
            && s.chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
    };
    match segments {
        ["channel", id, ..] if is_channel_id(id) => Some(Channel::Id((*id).to_string())),
        ["user", name, ..] if name_ok(name) => Some(Channel::User((*name).to_string())),
        ["c", name, ..] if name_ok(name) => Some(Channel::Custom((*name).to_string())),
        [first, ..] => first
            .strip_prefix('@')
            .filter(|h| name_ok(h))
            .map(|h| Channel::Handle(h.to_string())),
        [] => None,
    }
}

/// `UC` and 22 URL-safe base-64 characters.
pub fn is_channel_id(text: &str) -> bool {
    text.len() == 24 && text.starts_with("UC") && is_url_safe(text)
}

/// A playlist a crawl can read: not a viewer's own list (`WL`, `LL`) and not a generated
/// mix (`RD…`), which lists other people's videos and changes at every visit.
fn is_playlist_id(text: &str) -> bool {
    (10..=64).contains(&text.len()) && is_url_safe(text) && !text.starts_with("RD")
}

fn is_url_safe(text: &str) -> bool {
    text.bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_'))
}

fn query(url: &Url, name: &str) -> Option<String> {
    url.query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(text: &str) -> Option<Target> {
        recognize(&Url::parse(text).unwrap())
    }

    const LIST: &str = "PLOU2XLYxmsIKnEHfWVOkW3hbdd9JbDfRz";

    #[test]
    fn playlists_with_or_without_a_video() {
        let list = LIST.to_string();
        assert_eq!(
            of(&format!("https://www.youtube.com/playlist?list={LIST}")),
            Some(Target::Playlist {
                list: list.clone(),
                video: None
            })
        );
        let opened = Some(Target::Playlist {
            list,
            video: Some("VS20cso1xyz".into()),
        });
        assert_eq!(
            of(&format!(
                "https://www.youtube.com/watch?v=VS20cso1xyz&list={LIST}&index=3"
            )),
            opened
        );
        assert_eq!(
            of(&format!("https://youtu.be/VS20cso1xyz?list={LIST}")),
            opened
        );
        assert_eq!(
            of("https://www.youtube.com/watch?v=VS20cso1xyz&list=RDVS20cso1xyz"),
            Some(Target::Video("VS20cso1xyz".into())),
            "a generated mix is not a playlist"
        );
    }

    #[test]
    fn channels_by_id_handle_user_and_custom_url() {
        let id = "UCK8sQmJBp8GCxrOtXWBpyEA";
        assert_eq!(
            of(&format!("https://www.youtube.com/channel/{id}/videos")),
            Some(Target::Channel(Channel::Id(id.into())))
        );
        assert_eq!(
            of("https://www.youtube.com/@CNES/videos"),
            Some(Target::Channel(Channel::Handle("CNES".into())))
        );
        assert_eq!(
            of("https://m.youtube.com/user/CNESTV"),
            Some(Target::Channel(Channel::User("CNESTV".into())))
        );
        assert_eq!(
            of("https://www.youtube.com/c/cnes"),
            Some(Target::Channel(Channel::Custom("cnes".into())))
        );
    }

    #[test]
    fn single_videos_and_what_is_not_youtube() {
        for text in [
            "https://youtu.be/VS20cso1xyz?t=42",
            "https://www.youtube.com/shorts/VS20cso1xyz",
            "https://www.youtube-nocookie.com/embed/VS20cso1xyz",
        ] {
            assert_eq!(
                of(text),
                Some(Target::Video("VS20cso1xyz".into())),
                "{text}"
            );
        }
        for text in [
            "https://www.youtube.com/results?search_query=vs20",
            "https://www.youtube.com/channel/not-an-id",
            "https://www.youtube.com/",
            "https://notyoutube.com/@CNES",
            "https://www.youtube.com/playlist?list=WL",
        ] {
            assert_eq!(of(text), None, "{text}");
        }
    }
}

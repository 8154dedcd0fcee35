//! Recognising YouTube, Vimeo and Dailymotion players and pages by their URLs.

use url::Url;

/// A video host whose players a page may embed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Provider {
    /// YouTube, including `youtube-nocookie.com` and `youtu.be`.
    YouTube,
    /// Vimeo.
    Vimeo,
    /// Dailymotion, including `dai.ly`.
    Dailymotion,
}

impl Provider {
    /// The prefix of the provider's item ids: `youtube`, `vimeo`, `dailymotion`.
    pub fn prefix(self) -> &'static str {
        match self {
            Provider::YouTube => "youtube",
            Provider::Vimeo => "vimeo",
            Provider::Dailymotion => "dailymotion",
        }
    }
}

/// One video of a provider, as a player or page URL names it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Embed {
    /// Who hosts it.
    pub provider: Provider,
    /// The provider's id (`dQw4w9WgXcQ`, `305742410`, `x6z8k2a`).
    pub video_id: String,
    /// Vimeo's hash of an unlisted video (`?h=…`), without which oEmbed answers 404.
    pub unlisted_hash: Option<String>,
}

impl Embed {
    /// The item id: `youtube:<id>`, `vimeo:<id>`, `dailymotion:<id>`.
    pub fn item_id(&self) -> String {
        format!("{}:{}", self.provider.prefix(), self.video_id)
    }

    /// The video's public page, which oEmbed is asked about.
    pub fn page_url(&self) -> Url {
        let text = match (self.provider, &self.unlisted_hash) {
            (Provider::YouTube, _) => format!("https://www.youtube.com/watch?v={}", self.video_id),
            (Provider::Vimeo, Some(hash)) => format!("https://vimeo.com/{}/{hash}", self.video_id),
            (Provider::Vimeo, None) => format!("https://vimeo.com/{}", self.video_id),
            (Provider::Dailymotion, _) => {
                format!("https://www.dailymotion.com/video/{}", self.video_id)
            }
        };
        Url::parse(&text).expect("ids are checked to be URL-safe")
    }

    /// A preview image at a fixed address, where the provider has one (YouTube,
    /// Dailymotion); Vimeo's is only known from oEmbed.
    pub fn thumbnail_url(&self) -> Option<String> {
        match self.provider {
            Provider::YouTube => Some(format!(
                "https://i.ytimg.com/vi/{}/hqdefault.jpg",
                self.video_id
            )),
            Provider::Dailymotion => Some(format!(
                "https://www.dailymotion.com/thumbnail/video/{}",
                self.video_id
            )),
            Provider::Vimeo => None,
        }
    }
}

/// The video a player or page URL shows, or `None` for anything else (playlists, channels,
/// other hosts).
///
/// YouTube: `/embed/ID`, `/v/ID`, `/shorts/ID`, `/live/ID`, `/watch?v=ID` on youtube.com and
/// youtube-nocookie.com, and `youtu.be/ID`. Vimeo: `player.vimeo.com/video/ID` (with `?h=`),
/// `vimeo.com/ID[/hash]`, and the channel, group, album and showcase forms. Dailymotion:
/// `/embed/video/ID`, `/video/ID[_slug]`, `dai.ly/ID`, and the `geo.dailymotion.com`
/// player's `?video=ID`.
pub fn recognize(url: &Url) -> Option<Embed> {
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    let host = url.host_str()?.to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    let segments: Vec<&str> = url.path_segments()?.filter(|s| !s.is_empty()).collect();
    match host {
        "youtube.com" | "m.youtube.com" | "youtube-nocookie.com" | "music.youtube.com" => {
            youtube(url, &segments)
        }
        "youtu.be" => youtube_id(segments.first()?).map(|id| embed(Provider::YouTube, id, None)),
        "vimeo.com" | "player.vimeo.com" => vimeo(url, &segments),
        "dailymotion.com" | "geo.dailymotion.com" | "dai.ly" => dailymotion(url, host, &segments),
        _ => None,
    }
}

fn embed(provider: Provider, video_id: String, unlisted_hash: Option<String>) -> Embed {
    Embed {
        provider,
        video_id,
        unlisted_hash,
    }
}

fn query(url: &Url, name: &str) -> Option<String> {
    url.query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.trim().to_string())
}

fn youtube(url: &Url, segments: &[&str]) -> Option<Embed> {
    let id = match segments {
        ["watch", ..] => youtube_id(&query(url, "v")?)?,
        ["embed" | "v" | "e" | "shorts" | "live", id, ..] => youtube_id(id)?,
        _ => return None,
    };
    Some(embed(Provider::YouTube, id, None))
}

/// YouTube ids are eleven URL-safe base-64 characters. Old embed codes glue their options
/// on with `&` and no `?` (`/v/ID&hl=fr`).
fn youtube_id(text: &str) -> Option<String> {
    let text = text.split('&').next().unwrap_or_default();
    // `/embed/videoseries?list=…` is a playlist, and its name is eleven letters long.
    (text.len() == 11
        && text != "videoseries"
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_')))
    .then(|| text.to_string())
}

fn vimeo(url: &Url, segments: &[&str]) -> Option<Embed> {
    let (id, path_hash) = match segments {
        ["video", id, ..] => (*id, None),
        ["channels", _, id, ..] | ["groups", _, "videos", id, ..] => (*id, None),
        ["album" | "showcase", _, "video", id, ..] => (*id, None),
        [id, hash, ..] if is_hash(hash) => (*id, Some((*hash).to_string())),
        [id, ..] => (*id, None),
        [] => return None,
    };
    let id = digits(id)?;
    let hash = path_hash.or_else(|| query(url, "h").filter(|h| is_hash(h)));
    Some(embed(Provider::Vimeo, id, hash))
}

fn is_hash(text: &str) -> bool {
    (6..=20).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_hexdigit())
}

fn digits(text: &str) -> Option<String> {
    (!text.is_empty() && text.len() <= 12 && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.to_string())
}

fn dailymotion(url: &Url, host: &str, segments: &[&str]) -> Option<Embed> {
    let raw = match (host, segments) {
        ("dai.ly", [id, ..]) => (*id).to_string(),
        ("geo.dailymotion.com", _) => query(url, "video")?,
        (_, ["embed", "video", id, ..] | ["video", id, ..]) => (*id).to_string(),
        _ => return None,
    };
    // Old page URLs append a slug: `/video/x6z8k2a_lancement-vs20_tech`.
    let id = raw.split('_').next().unwrap_or_default();
    let valid = (5..=24).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric());
    valid.then(|| embed(Provider::Dailymotion, id.to_string(), None))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id_of(text: &str) -> Option<String> {
        recognize(&Url::parse(text).unwrap()).map(|e| e.item_id())
    }

    #[test]
    fn recognizes_every_youtube_form() {
        for text in [
            "https://www.youtube.com/embed/VS20cso1xyz?rel=0&autoplay=1",
            "https://www.youtube-nocookie.com/embed/VS20cso1xyz",
            "http://youtube.com/v/VS20cso1xyz?version=3",
            "http://www.youtube.com/v/VS20cso1xyz&hl=fr&fs=1",
            "https://youtu.be/VS20cso1xyz?t=42",
            "https://m.youtube.com/watch?feature=share&v=VS20cso1xyz",
            "https://www.youtube.com/shorts/VS20cso1xyz",
            "https://www.youtube.com/live/VS20cso1xyz",
        ] {
            assert_eq!(
                id_of(text).as_deref(),
                Some("youtube:VS20cso1xyz"),
                "{text}"
            );
        }
    }

    #[test]
    fn recognizes_vimeo_and_its_unlisted_hash() {
        let player = recognize(
            &Url::parse("https://player.vimeo.com/video/305742410?h=a1b2c3d4e5&badge=0").unwrap(),
        )
        .unwrap();
        assert_eq!(player.item_id(), "vimeo:305742410");
        assert_eq!(
            player.page_url().as_str(),
            "https://vimeo.com/305742410/a1b2c3d4e5"
        );
        for text in [
            "https://vimeo.com/305742410",
            "https://vimeo.com/channels/cnes/305742410",
            "https://vimeo.com/groups/space/videos/305742410",
            "https://vimeo.com/showcase/5512/video/305742410",
        ] {
            assert_eq!(id_of(text).as_deref(), Some("vimeo:305742410"), "{text}");
        }
    }

    #[test]
    fn recognizes_dailymotion_forms() {
        for text in [
            "https://www.dailymotion.com/embed/video/x6z8k2a?autoplay=1",
            "https://www.dailymotion.com/video/x6z8k2a_lancement-vs20_tech",
            "https://dai.ly/x6z8k2a",
            "https://geo.dailymotion.com/player/xa1b2.html?video=x6z8k2a",
        ] {
            assert_eq!(
                id_of(text).as_deref(),
                Some("dailymotion:x6z8k2a"),
                "{text}"
            );
        }
    }

    #[test]
    fn rejects_playlists_channels_and_other_hosts() {
        for text in [
            "https://www.youtube.com/embed/videoseries?list=PL123",
            "https://www.youtube.com/@CNES",
            "https://www.youtube.com/watch?v=short",
            "https://www.youtube.com/watch?list=PL123",
            "https://vimeo.com/cnes",
            "https://vimeo.com/",
            "https://www.dailymotion.com/CNES",
            "https://www.facebook.com/plugins/video.php?href=x",
            "https://notyoutube.com/embed/VS20cso1xyz",
            "ftp://youtu.be/VS20cso1xyz",
        ] {
            assert_eq!(id_of(text), None, "{text}");
        }
    }
}

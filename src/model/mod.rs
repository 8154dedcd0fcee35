//! The data that flows between the pipeline's stages.
//!
//! `crawl` fetches [`Page`]s, `extract` turns a page into [`Extracted`], `tag` settles each
//! [`Item`]'s campaigns, `index` stores items and `search` gives them back. Nothing here does
//! I/O, so every stage can be tested on plain values.

mod when;

use chrono::{DateTime, FixedOffset};
use clap::ValueEnum;
use serde::{Deserialize, Serialize};
use url::Url;

/// What an item is, as a journalist filters it (`--kind video`).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A still image.
    Photo,
    /// A moving image, with or without sound.
    Video,
    /// Sound only, such as a podcast episode.
    Audio,
    /// A press release or other text page that led the crawl somewhere.
    Article,
}

impl Kind {
    /// The name used in JSON, in the index and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Photo => "photo",
            Kind::Video => "video",
            Kind::Audio => "audio",
            Kind::Article => "article",
        }
    }
}

/// Where an item's metadata came from. Richer sources win when two routes disagree.
///
/// Each source module gives its items one of these names; the names are
/// a public contract (`--source`, JSON), and their order is the trust order.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// The press release itself (the `article` items).
    Release,
    /// Images on a press-kit page, with their captions and credit lines.
    Gallery,
    /// Open Graph `og:video` tags on a page.
    #[value(name = "opengraph")]
    OpenGraph,
    /// schema.org JSON-LD media objects on a page.
    #[value(name = "jsonld")]
    JsonLd,
    /// A sitemap's image and video entries.
    Sitemap,
    /// An RSS or Atom feed, with Media RSS extensions.
    Feed,
    /// A video platform's player, described by its oEmbed answer.
    Oembed,
    /// A video library's catalogue record (Opsis Media, such as the CNES vidéothèque).
    Library,
    /// Dailymotion's public API.
    Dailymotion,
    /// Vimeo's API, or its public feeds without a token.
    Vimeo,
    /// The YouTube Data API, or its public feeds without a key.
    #[value(name = "youtube")]
    YouTube,
    /// NASA's Image and Video Library.
    Nasa,
    /// Wikimedia Commons, through the MediaWiki API.
    Commons,
    /// The Flickr REST API.
    Flickr,
}

impl Source {
    /// Every source, from the least to the most trusted.
    pub const ALL: [Source; 14] = [
        Source::Release,
        Source::Gallery,
        Source::OpenGraph,
        Source::JsonLd,
        Source::Sitemap,
        Source::Feed,
        Source::Oembed,
        Source::Library,
        Source::Dailymotion,
        Source::Vimeo,
        Source::YouTube,
        Source::Nasa,
        Source::Commons,
        Source::Flickr,
    ];

    /// The name used in JSON and in the index.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Release => "release",
            Source::Gallery => "gallery",
            Source::OpenGraph => "opengraph",
            Source::JsonLd => "jsonld",
            Source::Sitemap => "sitemap",
            Source::Feed => "feed",
            Source::Oembed => "oembed",
            Source::Library => "library",
            Source::Dailymotion => "dailymotion",
            Source::Vimeo => "vimeo",
            Source::YouTube => "youtube",
            Source::Nasa => "nasa",
            Source::Commons => "commons",
            Source::Flickr => "flickr",
        }
    }

    /// The source with this name (`jsonld`).
    pub fn from_name(name: &str) -> Option<Source> {
        <Source as ValueEnum>::from_str(name, false).ok()
    }

    /// How much to trust this source's fields over another's for the same item.
    ///
    /// The Flickr API knows licences, original sizes and exact dates; Commons and NASA's
    /// library are curated archives with licence and capture dates; a video platform's own
    /// API (or its own feed) speaks for its videos better than its oEmbed answer, which
    /// gives a title and a player only; a library's record is its owner's catalogue; a feed
    /// or sitemap knows fewer sizes; page metadata is whatever the page's author typed; a
    /// caption is the least structured of all. Platforms never share ids, so their order
    /// among themselves only says which is richest: Dailymotion has no licence, Vimeo's
    /// keyless feeds no dates taken, YouTube's no licence either.
    pub fn rank(self) -> u8 {
        Source::ALL
            .iter()
            .position(|s| *s == self)
            .and_then(|p| u8::try_from(p).ok())
            .unwrap_or(0)
    }
}

/// An instant with the offset it was stated in: RFC 3339 in JSON.
pub type Timestamp = DateTime<FixedOffset>;

/// One photo, video, sound or article: the unit a journalist searches for.
///
/// The JSON field names are a public contract (`archive search --json`); add, never rename.
/// An unknown value is `None` (JSON `null`), never an empty string.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Item {
    /// Stable identity: `flickr:<photo id>` for Flickr, else the canonical URL of the media,
    /// or of the page when there is no media URL.
    pub id: String,
    /// Photo, video, audio or article.
    pub kind: Kind,
    /// The title as published.
    pub title: Option<String>,
    /// Plain text: markup stripped, entities decoded.
    pub description: Option<String>,
    /// The source's own keywords, as written there.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Campaigns, in the press release's spelling (`VS20`), sorted and without duplicates.
    #[serde(default)]
    pub campaigns: Vec<String>,
    /// Who made it: photographer, author or credited agency.
    pub creator: Option<String>,
    /// The licence's name, such as `CC BY-SA 2.0`.
    pub license: Option<String>,
    /// Where the licence's text lives.
    pub license_url: Option<String>,
    /// When the photo or video was shot, as precisely as its source says: `1950`,
    /// `2018-12`, `2018-12-18`, a local time `2018-12-18T15:54:37`, or an RFC 3339 instant.
    #[serde(default)]
    pub taken_at: Option<When>,
    /// When it was published or uploaded, likewise.
    #[serde(default)]
    pub published_at: Option<When>,
    /// Width in pixels of `media_url`.
    pub width: Option<u32>,
    /// Height in pixels of `media_url`.
    pub height: Option<u32>,
    /// Running time of a video or sound, in whole seconds.
    pub duration_seconds: Option<u32>,
    /// The human page that presents the item.
    pub page_url: Option<String>,
    /// The best file known: the original when listed, else the largest size.
    pub media_url: Option<String>,
    /// A small preview image.
    pub thumbnail_url: Option<String>,
    /// Every rendition the source lists (original, large, thumbnail…), largest first, so a
    /// journalist can pick the one the layout needs.
    #[serde(default)]
    pub sizes: Vec<MediaSize>,
    /// Which extractor found it.
    pub source: Source,
    /// The album, library or feed the item belongs to.
    pub collection: Option<String>,
    /// Where that album, library or feed lives.
    #[serde(default)]
    pub collection_url: Option<String>,
    /// The seeds (press releases, or URLs given to `crawl`) whose links led here, sorted.
    #[serde(default)]
    pub found_via: Vec<String>,
    /// How the item was found when no link led to it: by searching an account that a
    /// release led to for the campaign's tag. Empty for an item a link led to.
    #[serde(default)]
    pub discovery: Vec<Discovery>,
    /// When a crawl first indexed the item.
    #[serde(default, with = "rfc3339")]
    pub first_seen: Option<Timestamp>,
    /// When a crawl last found the item in its source.
    #[serde(default, with = "rfc3339")]
    pub last_seen: Option<Timestamp>,
    /// The item has disappeared from its album or library since `last_seen`: withdrawn, not
    /// deleted, because journalists need to know.
    #[serde(default)]
    pub gone: bool,
}

impl Item {
    /// A new item with only its identity known.
    pub fn new(id: impl Into<String>, kind: Kind, source: Source) -> Self {
        Item {
            id: id.into(),
            kind,
            title: None,
            description: None,
            tags: Vec::new(),
            campaigns: Vec::new(),
            creator: None,
            license: None,
            license_url: None,
            taken_at: None,
            published_at: None,
            width: None,
            height: None,
            duration_seconds: None,
            page_url: None,
            media_url: None,
            thumbnail_url: None,
            sizes: Vec::new(),
            source,
            collection: None,
            collection_url: None,
            found_via: Vec::new(),
            discovery: Vec::new(),
            first_seen: None,
            last_seen: None,
            gone: false,
        }
    }
}

/// How discovery found an item: which account of which platform was searched, for which
/// tag. In JSON, one object of the item's `discovery` list, whose `via` is `discovery`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Discovery {
    /// Always `discovery`: the item was found by searching, not by a link.
    pub via: String,
    /// The platform searched (`flickr`, `youtube`, `dailymotion`).
    pub platform: Source,
    /// The account searched, as the platform names it (`cnes`, a channel's title).
    pub account: String,
    /// The account's page.
    pub account_url: Option<String>,
    /// The tag that matched, as the platform writes it (`vs20`).
    pub tag: String,
}

impl Discovery {
    /// Found on `platform` by searching `account` for `tag`.
    pub fn new(
        platform: Source,
        account: impl Into<String>,
        account_url: Option<String>,
        tag: impl Into<String>,
    ) -> Self {
        Discovery {
            via: "discovery".into(),
            platform,
            account: account.into(),
            account_url,
            tag: tag.into(),
        }
    }
}

/// One rendition of an item's file, as its source lists it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct MediaSize {
    /// The source's name for it (`Original`, `Large 2048`, `o`…), when it gives one.
    pub label: Option<String>,
    /// Width in pixels, when known.
    pub width: Option<u32>,
    /// Height in pixels, when known.
    pub height: Option<u32>,
    /// Where the file is.
    pub url: String,
}

/// Orders sizes largest first (by pixel area; sizes without dimensions last), then by URL, so
/// the same sizes always list the same way, whichever route found them.
pub fn largest_first(sizes: &mut [MediaSize]) {
    let area = |s: &MediaSize| u64::from(s.width.unwrap_or(0)) * u64::from(s.height.unwrap_or(0));
    sizes.sort_by(|a, b| area(b).cmp(&area(a)).then_with(|| a.url.cmp(&b.url)));
}

/// How a page was reached, which decides what is read from it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Given on the command line: a press release whose hashtags name campaigns.
    Seed,
    /// Reached by following a link.
    Linked,
}

/// A fetched or loaded document, decoded to text, ready for extraction.
#[derive(Clone, Debug)]
pub struct Page {
    /// Where the content really came from, after redirects (`file:` for local seeds).
    pub url: Url,
    /// The media type the server declared (`text/html`), without parameters, lowercased.
    pub content_type: Option<String>,
    /// The body, decoded to UTF-8.
    pub body: String,
    /// Seed or linked page.
    pub role: Role,
}

/// What a seed or a page is, as the crawl summary names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Nature {
    /// A press release, or any other web page.
    Release,
    /// A photo album.
    Album,
    /// One photo or video on a platform.
    Media,
    /// An RSS or Atom feed.
    Feed,
    /// A sitemap or sitemap index.
    Sitemap,
    /// A video library's listing or record.
    Library,
    /// A playlist, channel or showcase on a video platform.
    Playlist,
}

impl Nature {
    /// The word for it in the summary.
    pub fn as_str(self) -> &'static str {
        match self {
            Nature::Release => "release",
            Nature::Album => "album",
            Nature::Media => "media",
            Nature::Feed => "feed",
            Nature::Sitemap => "sitemap",
            Nature::Library => "library",
            Nature::Playlist => "playlist",
        }
    }
}

/// What a document turned out to be, and its title.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct About {
    /// Release, album, feed…
    pub nature: Nature,
    /// Its title, when it has one.
    pub title: Option<String>,
}

/// Everything one page yields.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Extracted {
    /// Media items found on the page, plus the page itself as an `article` when it is a seed.
    pub items: Vec<Item>,
    /// Outbound links worth following, absolute, http(s) only, without fragments.
    pub links: Vec<Url>,
    /// Campaign hashtags in the page's visible text, without `#`, in first-seen order.
    /// Only read from seeds.
    pub hashtags: Vec<String>,
    /// More of the same source to read now, whatever the crawl's depth: a library's later
    /// pages and item pages, a sitemap index's sitemaps, an album's public feed.
    pub follow: Vec<Url>,
    /// Items that need one more request to be complete.
    pub pending: Vec<Pending>,
    /// What the page is, and its title.
    pub about: Option<About>,
    /// The caps on what one page may cost that it passed: it was read up to them.
    pub capped: Vec<Cap>,
}

/// A cap on what one page may cost to read (see `sources::bounds`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Cap {
    /// More elements than a page may hold.
    Elements,
    /// Elements nested deeper than a page may nest them.
    Depth,
    /// More links than are followed from one page.
    Links,
    /// More items than are read from one document.
    Items,
    /// More follow-up requests than one page may ask for.
    Requests,
    /// More keywords than an item keeps.
    Keywords,
    /// A block of structured data (JSON-LD) larger than is read.
    Block,
}

/// An item waiting for one more answer: a platform's oEmbed description, a library's file
/// address. The source that made it completes it (the one its `item.source` names); if the
/// request fails, the item is kept as it is, unless it must be confirmed.
#[derive(Clone, Debug, PartialEq)]
pub struct Pending {
    /// The item as far as the page told.
    pub item: Item,
    /// Where to ask.
    pub request: Url,
    /// The request goes to a documented API at an endpoint the user configured (a
    /// platform's oEmbed service), not to a page: the API's terms apply instead of
    /// robots.txt. Any other request is a page request, with every rule of one.
    pub api: bool,
    /// Keep the item only if the answer confirms it is media (an oEmbed link to a
    /// provider nobody knows may describe a blog post).
    pub confirm: bool,
}

pub use when::{Precision, When};

/// Serde for optional RFC 3339 timestamps, keeping `Z` for UTC.
pub(crate) mod rfc3339 {
    use super::Timestamp;
    use chrono::{DateTime, SecondsFormat};
    use serde::{Deserialize, Deserializer, Serializer};

    pub(crate) fn serialize<S: Serializer>(
        value: &Option<Timestamp>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(t) => serializer.serialize_str(&t.to_rfc3339_opts(SecondsFormat::AutoSi, true)),
            None => serializer.serialize_none(),
        }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Timestamp>, D::Error> {
        let text: Option<String> = Option::deserialize(deserializer)?;
        text.map(|t| DateTime::parse_from_rfc3339(&t).map_err(serde::de::Error::custom))
            .transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_fields_serialize_as_null_and_dates_as_rfc3339() {
        let mut item = Item::new("flickr:1", Kind::Photo, Source::Flickr);
        item.taken_at = When::parse("2018-12-18T15:54:37Z");
        let json = serde_json::to_value(&item).unwrap();
        assert_eq!(json["title"], serde_json::Value::Null);
        assert_eq!(json["kind"], "photo");
        assert_eq!(json["source"], "flickr");
        assert_eq!(json["taken_at"], "2018-12-18T15:54:37Z");
        let back: Item = serde_json::from_value(json).unwrap();
        assert_eq!(back, item);
    }
}

//! YouTube without a key: a playlist's or channel's public Atom feed. It lists at most 15
//! videos (a channel's newest, a playlist's first), with a title, a date, a description and
//! a preview, but no duration, tags or licence.
//!
//! Public, as pure readers of untrusted answers, so that the fuzz targets (`fuzz/`) read
//! answers through the same functions as the crawl.

use url::Url;

use super::urls::watch_url;
use crate::media::dates;
use crate::model::{Item, Kind, Source};
use crate::sources::platform::json::plain_text;
use crate::sources::platform::xml::{self, Elements};

/// A feed's title and videos.
#[derive(Debug, Default, PartialEq)]
pub struct FeedRead {
    /// The playlist's or channel's title.
    pub title: Option<String>,
    /// The channel that owns it: id and name.
    pub channel: Option<(String, Option<String>)>,
    /// Its videos, in feed order.
    pub items: Vec<Item>,
}

/// Reads a YouTube Atom feed.
pub fn read(body: &str) -> FeedRead {
    let feed = xml::read(body);
    let channel_name = feed.head.first("name").and_then(|n| plain_text(&n.text));
    FeedRead {
        title: feed.head.text("title").and_then(plain_text),
        channel: feed
            .head
            .text("channelId")
            .map(|id| (id.to_string(), channel_name)),
        items: feed.entries.iter().filter_map(entry).collect(),
    }
}

fn entry(entry: &Elements) -> Option<Item> {
    let id = entry.text("videoId")?.to_string();
    let mut item = Item::new(format!("youtube:{id}"), Kind::Video, Source::YouTube);
    item.title = entry.text("title").and_then(plain_text);
    // Descriptions are plain text, sometimes escaped twice (`&amp;#39;`).
    item.description = entry.text("description").and_then(plain_text);
    item.creator = entry.first("name").and_then(|n| plain_text(&n.text));
    item.published_at = entry.text("published").and_then(dates::parse);
    item.thumbnail_url = entry
        .first("thumbnail")
        .and_then(|t| t.attr("url"))
        .and_then(|u| Url::parse(u).ok())
        .map(String::from);
    // Shorts link to `/shorts/ID`; every video has a watch page.
    item.page_url = Some(watch_url(&id));
    Some(item)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FEED: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns:yt="http://www.youtube.com/xml/schemas/2015" xmlns:media="http://search.yahoo.com/mrss/" xmlns="http://www.w3.org/2005/Atom">
 <link rel="self" href="http://www.youtube.com/feeds/videos.xml?playlist_id=PLcnesVS20launch0001"/>
 <id>yt:playlist:PLcnesVS20launch0001</id>
 <yt:playlistId>PLcnesVS20launch0001</yt:playlistId>
 <yt:channelId>UCcnesVS20channel000001</yt:channelId>
 <title>Soyuz VS20 / CSO-1</title>
 <author><name>CNES</name><uri>https://www.youtube.com/channel/UCcnesVS20channel000001</uri></author>
 <published>2018-12-10T09:00:00+00:00</published>
 <entry>
  <id>yt:video:VS20cso1xyz</id><yt:videoId>VS20cso1xyz</yt:videoId>
  <yt:channelId>UCcnesVS20channel000001</yt:channelId>
  <title>Lancement de CSO-1</title>
  <link rel="alternate" href="https://www.youtube.com/shorts/VS20cso1xyz"/>
  <author><name>CNES</name><uri>https://www.youtube.com/channel/UCcnesVS20channel000001</uri></author>
  <published>2018-12-19T10:02:11+00:00</published><updated>2019-01-02T08:00:00+00:00</updated>
  <media:group><media:title>Lancement de CSO-1</media:title>
   <media:content url="https://www.youtube.com/v/VS20cso1xyz?version=3" type="application/x-shockwave-flash" width="640" height="390"/>
   <media:thumbnail url="https://i4.ytimg.com/vi/VS20cso1xyz/hqdefault.jpg" width="480" height="360"/>
   <media:description>C&amp;#39;est parti ! #VS20</media:description>
   <media:community><media:starRating count="899" average="5.00" min="1" max="5"/><media:statistics views="45537"/></media:community>
  </media:group></entry>
</feed>"#;

    #[test]
    fn a_playlist_feed_gives_its_videos_without_what_only_the_api_knows() {
        let read = read(FEED);
        assert_eq!(read.title.as_deref(), Some("Soyuz VS20 / CSO-1"));
        assert_eq!(
            read.channel,
            Some(("UCcnesVS20channel000001".into(), Some("CNES".into())))
        );
        let [video] = read.items.as_slice() else {
            panic!("one video: {:?}", read.items)
        };
        assert_eq!(video.id, "youtube:VS20cso1xyz");
        assert_eq!(video.description.as_deref(), Some("C'est parti ! #VS20"));
        assert_eq!(video.creator.as_deref(), Some("CNES"));
        assert_eq!(
            video.page_url.as_deref(),
            Some("https://www.youtube.com/watch?v=VS20cso1xyz")
        );
        assert_eq!(
            video.published_at.map(|t| t.to_string()).as_deref(),
            Some("2018-12-19T10:02:11Z")
        );
        assert!(video.duration_seconds.is_none() && video.license.is_none());
    }
}

//! Vimeo's answers as items: a video object of the API, an item of a public RSS feed, an
//! error.
//!
//! Public, as pure readers of untrusted answers, so that the fuzz targets (`fuzz/`) read
//! answers through the same functions as the crawl.

use serde_json::Value;

use crate::media::dates;
use crate::model::{Item, Kind, Source};
use crate::sources::platform::json::{at, count32, plain, plain_text, text, url};
use crate::sources::platform::xml::{self, Elements};

/// The fields asked of every video, to keep answers small.
pub(super) const VIDEO_FIELDS: &str = "uri,name,description,link,duration,created_time,release_time,license,tags,pictures,user,privacy";

/// An API video object as an item; `None` without a usable `uri`.
pub fn video(object: &Value) -> Option<Item> {
    let id = text(object.get("uri"))?
        .rsplit('/')
        .next()
        .filter(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()))?
        .to_string();
    let mut item = Item::new(format!("vimeo:{id}"), Kind::Video, Source::Vimeo);
    item.title = plain(object.get("name"));
    item.description = plain(object.get("description"));
    item.page_url = url(object.get("link")).or_else(|| Some(format!("https://vimeo.com/{id}")));
    item.duration_seconds = count32(object.get("duration")).filter(|s| *s > 0);
    item.published_at = text(object.get("release_time"))
        .or_else(|| text(object.get("created_time")))
        .and_then(|d| dates::parse(&d));
    item.creator = plain(at(object, &["user", "name"]));
    item.tags = object
        .get("tags")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|tag| text(tag.get("name")).or_else(|| text(Some(tag))))
        .collect();
    item.thumbnail_url = largest_picture(object.get("pictures"));
    if let Some((name, link)) = text(object.get("license")).and_then(|l| license(&l)) {
        item.license = Some(name.into());
        item.license_url = link.map(str::to_string);
    }
    Some(item)
}

/// Vimeo's licence codes. Vimeo does not say which version of a Creative Commons licence
/// it offers, so none is named; CC0 has only one.
fn license(code: &str) -> Option<(&'static str, Option<&'static str>)> {
    Some(match code {
        "by" => ("CC BY", None),
        "by-sa" => ("CC BY-SA", None),
        "by-nd" => ("CC BY-ND", None),
        "by-nc" => ("CC BY-NC", None),
        "by-nc-sa" => ("CC BY-NC-SA", None),
        "by-nc-nd" => ("CC BY-NC-ND", None),
        "cc0" => (
            "CC0 1.0",
            Some("https://creativecommons.org/publicdomain/zero/1.0/"),
        ),
        _ => return None,
    })
}

/// The widest of `pictures.sizes`.
fn largest_picture(pictures: Option<&Value>) -> Option<String> {
    let sizes = pictures?.get("sizes")?.as_array()?;
    sizes
        .iter()
        .filter_map(|s| Some((count32(s.get("width")).unwrap_or(0), url(s.get("link"))?)))
        .max_by_key(|(width, _)| *width)
        .map(|(_, link)| link)
}

/// Whether another page follows: `paging.next` is set.
pub fn has_next(answer: &Value) -> bool {
    text(at(answer, &["paging", "next"])).is_some()
}

/// The videos of a listing page.
pub fn page(answer: &Value) -> Vec<Item> {
    answer
        .get("data")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(video)
        .collect()
}

/// Vimeo's error: its code, and its message.
pub fn error(answer: &Value) -> Option<(String, String)> {
    let message = plain(answer.get("error"))?;
    let code = text(answer.get("error_code")).unwrap_or_default();
    Some((code, message))
}

/// A public feed's title and videos. Items carry a player, not a file.
pub fn feed(body: &str) -> (Option<String>, Vec<Item>) {
    let feed = xml::read(body);
    let title = feed.head.text("title").and_then(plain_text);
    (title, feed.entries.iter().filter_map(feed_item).collect())
}

fn feed_item(entry: &Elements) -> Option<Item> {
    let link = entry.text("link")?;
    let id = link
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .filter(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()))?;
    let mut item = Item::new(format!("vimeo:{id}"), Kind::Video, Source::Vimeo);
    item.title = entry.text("title").and_then(plain_text);
    item.description = entry
        .text("description")
        .and_then(plain_text)
        .filter(|d| !is_boilerplate(d));
    item.published_at = entry.text("pubDate").and_then(dates::parse);
    item.duration_seconds = entry
        .first("content")
        .and_then(|c| c.attr("duration"))
        .and_then(|d| d.trim().parse().ok())
        .filter(|s: &u32| *s > 0);
    item.creator = entry.text("credit").and_then(plain_text);
    item.thumbnail_url = entry
        .first("thumbnail")
        .and_then(|t| t.attr("url"))
        .and_then(crate::urls::absolute)
        .map(String::from);
    item.page_url = Some(format!("https://vimeo.com/{id}"));
    Some(item)
}

/// The sentence Vimeo writes when the uploader wrote no description.
fn is_boilerplate(description: &str) -> bool {
    description.starts_with("This is ") && description.contains(" on Vimeo, the home for")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_api_video_with_its_licence_tags_and_largest_picture() {
        let object = json!({"uri":"/videos/305742410","name":"CSO-1 : la mission en 3 minutes",
            "description":null,"link":"https://vimeo.com/305742410","duration":"183",
            "created_time":"2018-12-17T10:21:44+00:00","release_time":"2018-12-17T11:00:00+00:00",
            "license":"by-sa","tags":[{"name":"CSO","tag":"cso"},{"name":"VS20","tag":"vs20"}],
            "pictures":{"sizes":[{"width":100,"height":75,"link":"https://i.vimeocdn.com/video/1_100x75"},
                                  {"width":1920,"height":1080,"link":"https://i.vimeocdn.com/video/1_1920x1080"},
                                  {"width":640,"height":360,"link":"https://i.vimeocdn.com/video/1_640x360"}]},
            "user":{"uri":"/users/8251314","name":"CNES","link":"https://vimeo.com/cnes"}});
        let item = video(&object).unwrap();
        assert_eq!(item.id, "vimeo:305742410");
        assert_eq!(item.duration_seconds, Some(183));
        assert_eq!(item.license.as_deref(), Some("CC BY-SA"));
        assert_eq!(item.tags, ["CSO", "VS20"]);
        assert_eq!(item.description, None);
        assert_eq!(
            item.thumbnail_url.as_deref(),
            Some("https://i.vimeocdn.com/video/1_1920x1080")
        );
        assert_eq!(
            item.published_at.map(|t| t.to_string()).as_deref(),
            Some("2018-12-17T11:00:00Z")
        );
    }

    #[test]
    fn a_feed_item_is_double_unescaped_and_its_boilerplate_dropped() {
        let (title, items) = feed(
            r#"<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel>
            <title>Vimeo / CNES’s videos</title>
            <item><title>Zander</title><pubDate>Tue, 09 Jan 2024 09:34:46 -0500</pubDate>
              <link>https://vimeo.com/901164564</link>
              <description>This is &amp;quot;Zander&amp;quot; by CNES on Vimeo, the home for high quality videos and the people who love them.</description>
              <media:content medium="video" duration="51"><media:player url="https://player.vimeo.com/video/901164564?h=a29cb286be"/>
              <media:credit role="author" scheme="urn:ebu">CNES</media:credit>
              <media:thumbnail height="540" width="960" url="https://i.vimeocdn.com/video/1779929579-d_960"/></media:content></item>
            </channel></rss>"#,
        );
        assert_eq!(title.as_deref(), Some("Vimeo / CNES’s videos"));
        let item = &items[0];
        assert_eq!(item.id, "vimeo:901164564");
        assert_eq!(item.description, None);
        assert_eq!(item.duration_seconds, Some(51));
        assert_eq!(item.creator.as_deref(), Some("CNES"));
        assert_eq!(
            item.published_at.map(|t| t.to_string()).as_deref(),
            Some("2024-01-09T09:34:46-05:00")
        );
    }
}

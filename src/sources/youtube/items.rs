//! YouTube's answers as items: a `videos.list` resource, a `playlistItems.list` entry, an
//! error envelope. Pure, tested on answers shaped like Google's.
//!
//! Public, as pure readers of untrusted answers, so that the fuzz targets (`fuzz/`) read
//! answers through the same functions as the crawl.

use serde_json::Value;

use super::urls::watch_url;
use crate::media::dates;
use crate::media::duration::duration_seconds;
use crate::model::{Item, Kind, Source, When};
use crate::sources::platform::json::{at, plain, strings, text, url};

/// The licence YouTube calls `creativeCommon`: CC BY 3.0 Unported.
pub(super) const CC_BY: (&str, &str) =
    ("CC BY 3.0", "https://creativecommons.org/licenses/by/3.0/");
/// YouTube's standard licence: the uploader keeps every right.
pub(super) const STANDARD: (&str, &str) = (
    "YouTube Standard License (all rights reserved)",
    "https://www.youtube.com/t/terms",
);

/// One `videos.list` resource as an item; `None` without an id.
pub fn video(resource: &Value) -> Option<Item> {
    let id = text(resource.get("id"))?;
    let snippet = resource.get("snippet");
    let field = |name: &str| snippet.and_then(|s| s.get(name));
    let mut item = Item::new(format!("youtube:{id}"), Kind::Video, Source::YouTube);
    item.title = plain(field("title"));
    item.description = plain(field("description"));
    item.tags = strings(field("tags"), ',');
    item.creator = plain(field("channelTitle"));
    item.published_at = text(field("publishedAt")).and_then(|d| dates::parse(&d));
    item.taken_at =
        text(at(resource, &["recordingDetails", "recordingDate"])).and_then(|d| recording_day(&d));
    item.duration_seconds = text(at(resource, &["contentDetails", "duration"]))
        .and_then(|d| duration_seconds(&d))
        .filter(|s| *s > 0);
    let license = match text(at(resource, &["status", "license"])).as_deref() {
        Some("creativeCommon") => Some(CC_BY),
        Some("youtube") => Some(STANDARD),
        _ => None,
    };
    if let Some((name, link)) = license {
        item.license = Some(name.into());
        item.license_url = Some(link.into());
    }
    item.thumbnail_url = best_thumbnail(field("thumbnails"));
    item.page_url = Some(watch_url(&id));
    Some(item)
}

/// A recording date is a day written as midnight UTC (`2024-07-03T00:00:00Z`).
fn recording_day(text: &str) -> Option<When> {
    let day = text.get(..10)?;
    dates::parse(day)
}

/// The largest thumbnail listed: `maxres` and `standard` are often missing.
fn best_thumbnail(thumbnails: Option<&Value>) -> Option<String> {
    let thumbnails = thumbnails?;
    ["maxres", "standard", "high", "medium", "default"]
        .iter()
        .find_map(|size| url(at(thumbnails, &[size, "url"])))
}

/// One entry of a playlist, as `playlistItems.list` lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The video's id.
    pub video: String,
    /// The video is private or deleted: the playlist keeps a placeholder.
    pub unavailable: bool,
}

/// The entries of one `playlistItems.list` page, and its owner channel's id and title.
pub fn playlist_page(answer: &Value) -> (Vec<Entry>, Option<(String, Option<String>)>) {
    let items = answer.get("items").and_then(Value::as_array);
    let entries = items
        .into_iter()
        .flatten()
        .filter_map(|entry| {
            let video = text(at(entry, &["contentDetails", "videoId"]))
                .or_else(|| text(at(entry, &["snippet", "resourceId", "videoId"])))?;
            Some(Entry {
                video,
                unavailable: is_placeholder(entry),
            })
        })
        .collect();
    let owner = items.and_then(|items| items.first()).and_then(|first| {
        let id = text(at(first, &["snippet", "channelId"]))?;
        Some((id, plain(at(first, &["snippet", "channelTitle"]))))
    });
    (entries, owner)
}

/// Deleted and private videos stay in playlists as placeholders, titled so, without an
/// owner, and with a privacy status other than public or unlisted.
fn is_placeholder(entry: &Value) -> bool {
    let title = text(at(entry, &["snippet", "title"]));
    let privacy = text(at(entry, &["status", "privacyStatus"]));
    matches!(title.as_deref(), Some("Private video" | "Deleted video"))
        || matches!(
            privacy.as_deref(),
            Some("private" | "privacyStatusUnspecified")
        )
}

/// Google's error envelope: its first reason (`quotaExceeded`) and its message as text.
pub fn error(answer: &Value) -> Option<(String, String)> {
    let error = answer.get("error")?;
    let reason = at(error, &["errors"])
        .and_then(Value::as_array)
        .and_then(|e| e.first())
        .and_then(|e| text(e.get("reason")))
        .or_else(|| text(error.get("status")))
        .unwrap_or_default();
    let message = plain(error.get("message")).unwrap_or_else(|| "no message".into());
    Some((reason, message))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn resource() -> Value {
        json!({"kind":"youtube#video","etag":"\"x/y\"","id":"VS20cso1xyz",
          "snippet":{"publishedAt":"2018-12-19T10:02:11.000Z","channelId":"UCmNlHNYdTm4VCyIy5OQ1ReQ",
            "channelTitle":"CNES","title":"Lancement VS20 &amp; CSO-1",
            "description":"Décollage de Soyuz.\n\nPlus : https://cnes.fr #VS20 #CSO",
            "thumbnails":{"default":{"url":"https://i.ytimg.com/vi/VS20cso1xyz/default.jpg","width":120,"height":90},
                          "high":{"url":"https://i.ytimg.com/vi/VS20cso1xyz/hqdefault.jpg","width":480,"height":360}},
            "tags":["VS20","CSO","Soyuz"],"categoryId":"28"},
          "contentDetails":{"duration":"PT1H2M7S","caption":"false","licensedContent":false},
          "status":{"privacyStatus":"public","license":"creativeCommon","embeddable":true},
          "statistics":{"viewCount":"7920"},
          "recordingDetails":{"recordingDate":"2018-12-18T00:00:00Z"}})
    }

    #[test]
    fn a_video_resource_gives_every_field_the_api_knows() {
        let item = video(&resource()).unwrap();
        assert_eq!(item.id, "youtube:VS20cso1xyz");
        assert_eq!(item.title.as_deref(), Some("Lancement VS20 & CSO-1"));
        assert_eq!(item.duration_seconds, Some(3727));
        assert_eq!(item.license.as_deref(), Some("CC BY 3.0"));
        assert_eq!(item.tags, ["VS20", "CSO", "Soyuz"]);
        assert_eq!(item.creator.as_deref(), Some("CNES"));
        assert_eq!(
            item.taken_at.map(|t| t.to_string()).as_deref(),
            Some("2018-12-18")
        );
        assert_eq!(
            item.published_at.map(|t| t.to_string()).as_deref(),
            Some("2018-12-19T10:02:11Z")
        );
        assert_eq!(
            item.thumbnail_url.as_deref(),
            Some("https://i.ytimg.com/vi/VS20cso1xyz/hqdefault.jpg")
        );
        assert!(item.media_url.is_none(), "the API gives no file");
    }

    #[test]
    fn the_standard_licence_is_not_reusable_and_missing_parts_are_none() {
        let mut value = resource();
        value["status"]["license"] = json!("youtube");
        value["contentDetails"]["duration"] = json!("P0D");
        value["snippet"].as_object_mut().unwrap().remove("tags");
        let item = video(&value).unwrap();
        assert!(
            item.license
                .as_deref()
                .unwrap()
                .contains("all rights reserved")
        );
        assert_eq!(
            item.duration_seconds, None,
            "a live stream's P0D is no duration"
        );
        assert!(item.tags.is_empty());
    }

    #[test]
    fn placeholders_of_private_and_deleted_videos_are_told_apart() {
        let page = json!({"kind":"youtube#playlistItemListResponse","nextPageToken":"CAoQAA",
          "pageInfo":{"totalResults":3,"resultsPerPage":50},
          "items":[
            {"snippet":{"channelId":"UC1","channelTitle":"CNES","title":"Soyuz","resourceId":{"kind":"youtube#video","videoId":"aaaaaaaaaaa"}},
             "contentDetails":{"videoId":"aaaaaaaaaaa","videoPublishedAt":"2018-12-19T10:02:11Z"},"status":{"privacyStatus":"public"}},
            {"snippet":{"channelId":"UC1","title":"Private video","thumbnails":{},"resourceId":{"videoId":"bbbbbbbbbbb"}},
             "contentDetails":{"videoId":"bbbbbbbbbbb"},"status":{"privacyStatus":"private"}},
            {"snippet":{"channelId":"UC1","title":"Deleted video","resourceId":{"videoId":"ccccccccccc"}},
             "contentDetails":{"videoId":"ccccccccccc"},"status":{"privacyStatus":"privacyStatusUnspecified"}}]});
        let (entries, owner) = playlist_page(&page);
        let unavailable: Vec<bool> = entries.iter().map(|e| e.unavailable).collect();
        assert_eq!(unavailable, [false, true, true]);
        assert_eq!(owner, Some(("UC1".into(), Some("CNES".into()))));
    }

    #[test]
    fn errors_say_their_reason_without_markup() {
        let answer: Value = serde_json::from_str(
            r#"{"error":{"code":403,"message":"The request cannot be completed because you have exceeded your \u003ca href=\"/youtube/v3/getting-started#quota\"\u003equota\u003c/a\u003e.",
              "errors":[{"message":"...","domain":"youtube.quota","reason":"quotaExceeded"}]}}"#,
        )
        .unwrap();
        let (reason, message) = error(&answer).unwrap();
        assert_eq!(reason, "quotaExceeded");
        assert!(message.ends_with("exceeded your quota."), "{message}");
        assert_eq!(error(&json!({"items": []})), None);
    }
}

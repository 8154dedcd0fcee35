//! Dailymotion's answers as items. The legacy API sends a dotted field name back as one
//! literal key (`"owner.screenname"`), a duration in seconds and a creation date in Unix
//! seconds, either of which some answers write as strings, and descriptions with HTML.
//!
//! Public, as pure readers of untrusted answers, so that the fuzz targets (`fuzz/`) read
//! answers through the same functions as the crawl.

use serde_json::Value;

use crate::media::dates;
use crate::model::{Item, Kind, Source, When};
use crate::sources::platform::json::{count, flag, plain, strings, text, url};

/// The fields asked of every video: only documented ones, since an unknown field fails the
/// whole call.
pub(super) const VIDEO_FIELDS: &str = "id,title,description,duration,created_time,tags,\
thumbnail_720_url,thumbnail_url,url,owner,owner.screenname,owner.username,private,explicit";

/// A video object as an item; `None` without an id, or for a private video.
pub fn video(object: &Value) -> Option<Item> {
    let id = text(object.get("id"))?;
    if flag(object.get("private")) == Some(true) {
        return None;
    }
    let mut item = Item::new(
        format!("dailymotion:{id}"),
        Kind::Video,
        Source::Dailymotion,
    );
    item.title = plain(object.get("title"));
    item.description = plain(object.get("description"));
    item.tags = strings(object.get("tags"), ',');
    item.creator =
        plain(object.get("owner.screenname")).or_else(|| plain(object.get("owner.username")));
    item.duration_seconds = count(object.get("duration"))
        .and_then(|s| u32::try_from(s).ok())
        .filter(|s| *s > 0);
    item.published_at = count(object.get("created_time"))
        .and_then(|s| i64::try_from(s).ok())
        .and_then(dates::unix_seconds)
        .map(When::instant);
    item.thumbnail_url =
        url(object.get("thumbnail_720_url")).or_else(|| url(object.get("thumbnail_url")));
    item.page_url =
        url(object.get("url")).or_else(|| Some(format!("https://www.dailymotion.com/video/{id}")));
    Some(item)
}

/// A page of a listing: its videos, how many were private, and whether more follow.
pub fn listing(answer: &Value) -> (Vec<Item>, usize, bool) {
    let objects = answer.get("list").and_then(Value::as_array);
    let all = objects.map_or(0, Vec::len);
    let items: Vec<Item> = objects.into_iter().flatten().filter_map(video).collect();
    let private = all - items.len();
    (items, private, flag(answer.get("has_more")) == Some(true))
}

/// The owner of a playlist or a video: its id, and the name it shows.
pub fn owner(object: &Value) -> Option<(String, Option<String>)> {
    let id = text(object.get("owner")).or_else(|| text(object.get("id")))?;
    let name = plain(object.get("owner.screenname"))
        .or_else(|| plain(object.get("screenname")))
        .or_else(|| plain(object.get("owner.username")))
        .or_else(|| plain(object.get("username")));
    Some((id, name))
}

/// Dailymotion's error: its type or reason, and its message.
pub fn error(answer: &Value) -> Option<(String, String)> {
    let error = answer.get("error")?;
    let reason = text(error.get("error_data").and_then(|d| d.get("reason")))
        .or_else(|| text(error.get("type")))
        .or_else(|| text(error.get("code")))
        .unwrap_or_default();
    let message = plain(error.get("message")).unwrap_or_else(|| "no message".into());
    Some((reason, message))
}

/// Too many calls: pass by themselves.
pub(super) fn momentary(reason: &str) -> bool {
    reason.contains("rate_limit")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_video_with_strings_for_numbers_and_html_in_its_description() {
        let object = json!({"id":"x8vs20a","title":"Lancement de CSO-1 : le replay",
            "description":"Le replay du lancement <br /> Soyuz VS20 &amp; CSO-1","duration":"221",
            "created_time":1545161834,"tags":["VS20","CSO"],"owner":"x2cnes",
            "owner.screenname":"CNES","thumbnail_720_url":"https://s1.dmcdn.net/v/ABC/x720",
            "url":"https://www.dailymotion.com/video/x8vs20a","private":false,"explicit":false});
        let item = video(&object).unwrap();
        assert_eq!(item.id, "dailymotion:x8vs20a");
        assert_eq!(item.duration_seconds, Some(221));
        assert_eq!(
            item.description.as_deref(),
            Some("Le replay du lancement Soyuz VS20 & CSO-1")
        );
        assert_eq!(item.creator.as_deref(), Some("CNES"));
        assert_eq!(
            item.published_at.map(|t| t.to_string()).as_deref(),
            Some("2018-12-18T19:37:14Z")
        );
        assert!(item.license.is_none(), "Dailymotion has no licence field");
        assert_eq!(owner(&object), Some(("x2cnes".into(), Some("CNES".into()))));
    }

    #[test]
    fn private_videos_are_skipped_and_counted() {
        let page = json!({"page":1,"limit":100,"explicit":false,"total":"2","has_more":"false",
            "list":[{"id":"x1aaaaa","title":"Public"},{"id":"x1bbbbb","title":"Secret","private":"1"}]});
        let (items, private, more) = listing(&page);
        assert_eq!(items.len(), 1);
        assert_eq!(private, 1);
        assert!(!more);
    }

    #[test]
    fn errors_read_their_reason() {
        let answer = json!({"error":{"code":404,"message":"Can't find object video for `id' parameter",
            "type":"not_found","error_data":{"reason":"object_not_found","object_type":"video"}}});
        assert_eq!(
            error(&answer),
            Some((
                "object_not_found".into(),
                "Can't find object video for `id' parameter".into()
            ))
        );
    }
}

//! Turning Flickr's records into [`Item`]s: pure, so every rule is tested on fixtures.

use crate::media::{dates, text};
use chrono::Datelike;

use crate::model::{Item, Kind, MediaSize, Source, When};

use super::licenses;
use super::response::{ListedPhoto, PhotoInfo, Size, SizeEntry, Video};
use super::urls;

/// What an album page knows that its photos do not repeat.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct AlbumContext<'a> {
    /// The owner's NSID, for page URLs when a photo has no path alias.
    pub(crate) owner: Option<&'a str>,
    /// The owner's name, for photos listed without `ownername`.
    pub(crate) ownername: Option<&'a str>,
    /// The album's title, which becomes every item's `collection`.
    pub(crate) title: Option<&'a str>,
}

/// How one size list names its sizes: `url_*` extras use suffixes, getSizes uses labels.
struct Naming {
    original: &'static str,
    /// Cropped squares: never the media, whatever their size.
    squares: &'static [&'static str],
    /// Preferred previews, best first.
    thumbnails: &'static [&'static str],
}

const EXTRAS: Naming = Naming {
    original: "o",
    squares: &["q", "sq"],
    thumbnails: &["q", "m"],
};

const LABELS: Naming = Naming {
    original: "Original",
    squares: &["Square", "Large Square"],
    thumbnails: &["Large Square", "Medium"],
};

/// The item for a photo or video as an album page lists it; `None` without a usable id.
///
/// A video's file is not among the extras: its `media_url` is the page until
/// [`apply_video_info`] and [`apply_video_sizes`] add what getInfo and getSizes know.
pub(crate) fn from_listed(photo: &ListedPhoto, album: &AlbumContext<'_>) -> Option<Item> {
    let id = photo.id.as_deref().and_then(urls::digits)?;
    let kind = kind(photo.media.as_deref());
    let mut item = Item::new(format!("flickr:{id}"), kind, Source::Flickr);
    item.title = photo.title.as_deref().and_then(text::clean);
    item.description = photo.description.as_deref().and_then(text::html_to_text);
    item.tags = dedup(photo.tags.iter().flat_map(|t| t.split_whitespace()));
    item.creator = [photo.ownername.as_deref(), album.ownername]
        .into_iter()
        .flatten()
        .find_map(text::clean);
    set_license(&mut item, photo.license);
    item.taken_at = taken_at(
        photo.datetaken.as_deref(),
        photo.datetakenunknown,
        photo.datetakengranularity,
    );
    item.published_at = photo.dateupload.and_then(unix);
    item.page_url = page_url(&[photo.pathalias.as_deref(), album.owner], &id);
    item.collection = album.title.and_then(text::clean);
    let sizes = photo.sizes();
    item.sizes = media_sizes(&sizes, extras_label);
    match kind {
        Kind::Video => {
            item.thumbnail_url = largest(&sizes, &EXTRAS).map(|s| s.url.clone());
            item.media_url.clone_from(&item.page_url);
        }
        _ => set_still_media(&mut item, &sizes, &EXTRAS),
    }
    Some(item)
}

/// The item for one photo or video page, from its getInfo record and its getSizes list.
pub(crate) fn from_info(info: &PhotoInfo, sizes: &[SizeEntry]) -> Option<Item> {
    let id = info.id.as_deref().and_then(urls::digits)?;
    let kind = kind(info.media.as_deref());
    let mut item = Item::new(format!("flickr:{id}"), kind, Source::Flickr);
    item.title = info.title.as_deref().and_then(text::clean);
    item.description = info.description.as_deref().and_then(text::html_to_text);
    // `raw` keeps the owner's spelling (`VS20`, `CSO-1`); `_content` is Flickr's squashed form.
    item.tags = dedup(
        info.tags
            .tag
            .iter()
            .filter_map(|t| t.raw.as_deref().or(t.content.as_deref())),
    );
    item.creator = [
        info.owner.realname.as_deref(),
        info.owner.username.as_deref(),
    ]
    .into_iter()
    .flatten()
    .find_map(text::clean);
    set_license(&mut item, info.license);
    item.taken_at = taken_at(
        info.dates.taken.as_deref(),
        info.dates.takenunknown,
        info.dates.takengranularity,
    );
    item.published_at = info.dates.posted.or(info.dateuploaded).and_then(unix);
    let owner = &info.owner;
    item.page_url = page_url(&[owner.path_alias.as_deref(), owner.nsid.as_deref()], &id);
    item.sizes = every_size(sizes);
    match kind {
        Kind::Video => {
            item.media_url.clone_from(&item.page_url);
            apply_video_info(&mut item, &info.video);
            apply_video_sizes(&mut item, sizes);
        }
        _ => set_still_media(&mut item, &stills(sizes), &LABELS),
    }
    Some(item)
}

/// Adds a video's running time, and its frame size until a file's own is known.
pub(crate) fn apply_video_info(item: &mut Item, video: &Video) {
    let to_u32 = |n: Option<u64>| n.and_then(|n| u32::try_from(n).ok()).filter(|&n| n > 0);
    item.duration_seconds = to_u32(video.duration).or(item.duration_seconds);
    if let (Some(width), Some(height)) = (to_u32(video.width), to_u32(video.height)) {
        item.width = Some(width);
        item.height = Some(height);
    }
}

/// Makes the video file the media and the largest still the thumbnail.
pub(crate) fn apply_video_sizes(item: &mut Item, sizes: &[SizeEntry]) {
    if !sizes.is_empty() {
        item.sizes = every_size(sizes);
    }
    if let Some(still) = largest(&stills(sizes), &LABELS) {
        item.thumbnail_url = Some(still.url.clone());
    }
    let Some(file) = video_file(sizes) else {
        return;
    };
    item.media_url = Some(file.url);
    // The original's entry sometimes lacks a size; getInfo's frame size then stands.
    if file.width.is_some() && file.height.is_some() {
        item.width = file.width;
        item.height = file.height;
    }
}

/// The video file to keep: "Video Original" when offered, else the largest rendition.
///
/// "Video Player" is a page (once a Flash player), not a file, whatever size it claims.
fn video_file(sizes: &[SizeEntry]) -> Option<Size> {
    let files: Vec<Size> = sizes
        .iter()
        .filter(|s| s.is_video() && !is_player(s))
        .filter_map(SizeEntry::to_size)
        .collect();
    let original = files
        .iter()
        .find(|s| s.name.eq_ignore_ascii_case("Video Original"));
    original
        .or_else(|| files.iter().max_by_key(|s| area(s)))
        .cloned()
}

fn is_player(size: &SizeEntry) -> bool {
    let label = size.label.as_deref().unwrap_or_default();
    let source = size.source.as_deref().unwrap_or_default();
    let path = source.split(['?', '#']).next().unwrap_or_default();
    label.eq_ignore_ascii_case("Video Player") || path.to_ascii_lowercase().ends_with(".swf")
}

/// Every file of a getSizes list, stills and videos, without the player page.
fn every_size(sizes: &[SizeEntry]) -> Vec<MediaSize> {
    let files: Vec<Size> = sizes
        .iter()
        .filter(|s| !is_player(s))
        .filter_map(SizeEntry::to_size)
        .collect();
    media_sizes(&files, |label| label)
}

/// The sizes as items list them, labelled the way Flickr's own pages name them.
fn media_sizes(sizes: &[Size], label: fn(&str) -> &str) -> Vec<MediaSize> {
    let mut out: Vec<MediaSize> = sizes
        .iter()
        .map(|s| MediaSize {
            label: Some(label(&s.name).to_string()).filter(|l| !l.is_empty()),
            width: s.width,
            height: s.height,
            url: s.url.clone(),
        })
        .collect();
    crate::model::largest_first(&mut out);
    out
}

/// The label Flickr's size menu gives an extras suffix.
fn extras_label(suffix: &str) -> &str {
    match suffix {
        "o" => "Original",
        "6k" => "X-Large 6K",
        "5k" => "X-Large 5K",
        "4k" => "X-Large 4K",
        "3k" => "X-Large 3K",
        "k" => "Large 2048",
        "h" => "Large 1600",
        "l" => "Large",
        "c" => "Medium 800",
        "z" => "Medium 640",
        "m" => "Medium",
        "w" => "Small 400",
        "n" => "Small 320",
        "s" => "Small",
        "q" => "Large Square",
        "t" => "Thumbnail",
        "sq" => "Square",
        other => other,
    }
}

fn area(size: &Size) -> u64 {
    u64::from(size.width.unwrap_or(0)) * u64::from(size.height.unwrap_or(0))
}

/// The still images of a getSizes list.
fn stills(sizes: &[SizeEntry]) -> Vec<Size> {
    sizes
        .iter()
        .filter(|s| !s.is_video())
        .filter_map(SizeEntry::to_size)
        .collect()
}

/// The original when listed (free accounts lost it in 2025), else the largest; and a preview.
fn set_still_media(item: &mut Item, sizes: &[Size], naming: &Naming) {
    let best = sizes
        .iter()
        .find(|s| s.name == naming.original)
        .or_else(|| largest(sizes, naming));
    if let Some(best) = best {
        item.media_url = Some(best.url.clone());
        item.width = best.width;
        item.height = best.height;
    }
    item.thumbnail_url = thumbnail(sizes, naming).map(|s| s.url.clone());
}

/// The largest uncropped size by its listed width, not by its name: names promise sizes
/// that small uploads do not have.
fn largest<'a>(sizes: &'a [Size], naming: &Naming) -> Option<&'a Size> {
    sizes
        .iter()
        .filter(|s| !naming.squares.contains(&s.name.as_str()))
        .max_by_key(|s| s.width.unwrap_or_else(|| nominal_width(&s.name)))
}

fn thumbnail<'a>(sizes: &'a [Size], naming: &Naming) -> Option<&'a Size> {
    let preferred = naming
        .thumbnails
        .iter()
        .find_map(|name| sizes.iter().find(|s| s.name == *name));
    preferred.or_else(|| {
        sizes
            .iter()
            .min_by_key(|s| s.width.unwrap_or_else(|| nominal_width(&s.name)))
    })
}

/// The longest edge an extras suffix stands for, to rank a size listed without its width.
fn nominal_width(suffix: &str) -> u32 {
    match suffix {
        "o" => u32::MAX,
        "6k" => 6144,
        "5k" => 5120,
        "4k" => 4096,
        "3k" => 3072,
        "k" => 2048,
        "h" => 1600,
        "l" => 1024,
        "c" => 800,
        "z" => 640,
        "m" => 500,
        "w" => 400,
        "n" => 320,
        "s" => 240,
        "q" => 150,
        "t" => 100,
        "sq" => 75,
        _ => 0,
    }
}

fn kind(media: Option<&str>) -> Kind {
    match media {
        Some(m) if m.trim().eq_ignore_ascii_case("video") => Kind::Video,
        _ => Kind::Photo,
    }
}

fn set_license(item: &mut Item, id: Option<u64>) {
    if let Some(license) = id.and_then(licenses::by_id) {
        item.license = Some(license.name.to_string());
        item.license_url = Some(license.url.to_string());
    }
}

/// When a photo was taken, as much of it as Flickr knows. Flickr fills `datetaken` with the
/// upload time when the camera gave none and flags it `datetakenunknown`: that made-up date
/// must not pass for when the photo was shot. The time is the camera's, without a zone, and
/// stays so. `granularity` says how much of it is real: 4 the month, 6 the year, 8 "circa"
/// a year; the rest of the written date is filler.
fn taken_at(text: Option<&str>, unknown: Option<u64>, granularity: Option<u64>) -> Option<When> {
    if unknown == Some(1) {
        return None;
    }
    let taken = dates::parse(text?).filter(|w| w.year_number() > 0)?;
    let day = taken.start();
    match granularity {
        Some(4) => When::month(day.year(), day.month()),
        Some(6 | 8) => When::year(day.year()),
        _ => Some(taken),
    }
}

/// Unix seconds; 0 is how some records say "never".
fn unix(seconds: u64) -> Option<When> {
    let seconds = i64::try_from(seconds).ok().filter(|&s| s > 0)?;
    dates::unix_seconds(seconds).map(When::instant)
}

/// `https://www.flickr.com/photos/<user>/<id>/`, with the first usable user (path alias, else NSID).
fn page_url(users: &[Option<&str>], id: &str) -> Option<String> {
    let user = users
        .iter()
        .flatten()
        .map(|u| u.trim())
        .find(|u| urls::is_user(u))?;
    Some(format!("https://www.flickr.com/photos/{user}/{id}/"))
}

/// Tags in first-seen order, without blanks or repeats.
fn dedup<'a>(tags: impl Iterator<Item = &'a str>) -> Vec<String> {
    crate::media::lists::unique(tags.filter_map(text::clean))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sources::flickr::response::{
        PhotoInfoResponse, PhotosetPageResponse, SizesResponse, parse,
    };

    const PAGE_1: &str = include_str!("../../../tests/fixtures/flickr/album_page1.json");
    const PAGE_2: &str = include_str!("../../../tests/fixtures/flickr/album_page2.json");
    const QUIRKS: &str = include_str!("../../../tests/fixtures/flickr/quirks_page.json");
    const VIDEO_INFO: &str = include_str!("../../../tests/fixtures/flickr/video_info.json");
    const VIDEO_SIZES: &str = include_str!("../../../tests/fixtures/flickr/video_sizes.json");
    const PHOTO_INFO: &str = include_str!("../../../tests/fixtures/flickr/photo_info.json");
    const PHOTO_SIZES: &str = include_str!("../../../tests/fixtures/flickr/photo_sizes.json");

    const ALBUM: AlbumContext<'static> = AlbumContext {
        owner: Some("141938346@N05"),
        ownername: Some("CNES"),
        title: Some("CSO-1 \u{2013} Soyuz VS20"),
    };

    fn listed(json: &str) -> Vec<Item> {
        let page = parse::<PhotosetPageResponse>(json.as_bytes()).expect("fixture parses");
        page.photoset
            .photo
            .iter()
            .filter_map(|p| from_listed(p, &ALBUM))
            .collect()
    }

    fn sizes(json: &str) -> Vec<SizeEntry> {
        parse::<SizesResponse>(json.as_bytes())
            .expect("fixture parses")
            .sizes
            .size
    }

    fn info(json: &str) -> PhotoInfo {
        parse::<PhotoInfoResponse>(json.as_bytes())
            .expect("fixture parses")
            .photo
    }

    fn rfc3339(t: Option<crate::model::When>) -> Option<String> {
        t.map(|t| t.to_string())
    }

    #[test]
    fn a_listed_photo_becomes_a_full_item() {
        let items = listed(PAGE_1);
        let item = &items[0];
        assert_eq!(item.id, "flickr:45539063392");
        assert_eq!(item.kind, Kind::Photo);
        assert_eq!(item.source, Source::Flickr);
        assert_eq!(
            item.title.as_deref(),
            Some("Lancement de Soyuz VS20 avec CSO-1")
        );
        assert_eq!(
            item.description.as_deref(),
            Some(
                "D\u{e9}collage du lanceur Soyuz VS20 emportant le satellite CSO-1, le 18 d\u{e9}cembre 2018."
            )
        );
        assert_eq!(item.tags, ["vs20", "cso1", "soyuz", "kourou", "csg"]);
        assert_eq!(item.creator.as_deref(), Some("CNES"));
        assert_eq!(item.license.as_deref(), Some("CC BY 2.0"));
        assert_eq!(
            item.license_url.as_deref(),
            Some("https://creativecommons.org/licenses/by/2.0/")
        );
        assert_eq!(
            rfc3339(item.taken_at).as_deref(),
            Some("2018-12-18T13:37:14")
        );
        assert_eq!(
            rfc3339(item.published_at).as_deref(),
            Some("2018-12-18T19:37:14Z")
        );
        assert_eq!(
            item.page_url.as_deref(),
            Some("https://www.flickr.com/photos/cnes/45539063392/")
        );
        assert_eq!(
            item.collection.as_deref(),
            Some("CSO-1 \u{2013} Soyuz VS20")
        );
        assert!(item.campaigns.is_empty() && item.found_via.is_empty());
    }

    #[test]
    fn the_original_is_the_media_when_listed() {
        let item = &listed(PAGE_1)[0];
        assert_eq!(
            item.media_url.as_deref(),
            Some("https://live.staticflickr.com/4876/45539063392_8d7c6b5a41_o.jpg")
        );
        assert_eq!((item.width, item.height), (Some(5472), Some(3648)));
        assert_eq!(
            item.thumbnail_url.as_deref(),
            Some("https://live.staticflickr.com/4876/45539063392_3b5c2a1f9e_q.jpg")
        );
    }

    #[test]
    fn without_an_original_the_largest_listed_size_is_the_media() {
        let item = &listed(PAGE_1)[1];
        assert_eq!(
            item.media_url.as_deref(),
            Some("https://live.staticflickr.com/4833/46452147121_c0ffee1234_k.jpg")
        );
        assert_eq!(
            (item.width, item.height),
            (Some(1365), Some(2048)),
            "numbers, not strings"
        );
        let last = &listed(PAGE_2)[1];
        assert_eq!(
            last.media_url.as_deref(),
            Some("https://live.staticflickr.com/7856/46401960491_0123456789_h.jpg")
        );
        assert_eq!((last.width, last.height), (Some(1600), Some(1066)));
    }

    #[test]
    fn largest_goes_by_listed_width_not_by_name() {
        let size = |name: &str, width| Size {
            name: name.into(),
            url: format!("https://live.staticflickr.com/{name}.jpg"),
            width: Some(width),
            height: None,
        };
        // A small upload: Flickr lists `url_k` no wider than the file really is.
        let sizes = [
            size("k", 900),
            size("h", 900),
            size("l", 1024),
            size("q", 2000),
        ];
        let best = largest(&sizes, &EXTRAS).expect("a size");
        assert_eq!(best.name, "l", "the square never wins");
    }

    #[test]
    fn html_descriptions_become_plain_text() {
        let item = &listed(PAGE_1)[1];
        assert_eq!(
            item.description.as_deref(),
            Some(
                "Le lanceur Soyuz VS20 sur son pas de tir au Centre spatial guyanais, Kourou. \
                 Cr\u{e9}dits : CNES/ESA/Arianespace & Optique Vid\u{e9}o du CSG"
            )
        );
        assert_eq!(item.license.as_deref(), Some("CC BY-SA 2.0"));
    }

    #[test]
    fn a_listed_video_keeps_its_page_until_its_file_is_known() {
        let item = &listed(PAGE_1)[2];
        assert_eq!(item.kind, Kind::Video);
        assert_eq!(
            item.media_url.as_deref(),
            Some("https://www.flickr.com/photos/cnes/46452147131/")
        );
        assert_eq!(
            item.thumbnail_url.as_deref(),
            Some("https://live.staticflickr.com/4812/46452147131_9f8e7d6c5b_b.jpg"),
            "the largest still"
        );
        assert_eq!(item.license.as_deref(), Some("All Rights Reserved"));
        assert_eq!(
            (item.width, item.height, item.duration_seconds),
            (None, None, None)
        );
    }

    #[test]
    fn video_info_and_sizes_complete_a_listed_video() {
        let mut item = listed(PAGE_1).swap_remove(2);
        apply_video_info(&mut item, &info(VIDEO_INFO).video);
        assert_eq!(item.duration_seconds, Some(94));
        assert_eq!((item.width, item.height), (Some(1920), Some(1080)));
        apply_video_sizes(&mut item, &sizes(VIDEO_SIZES));
        assert_eq!(
            item.media_url.as_deref(),
            Some("https://www.flickr.com/photos/cnes/46452147131/play/orig/1a2b3c4d5e/")
        );
        assert_eq!(
            item.thumbnail_url.as_deref(),
            Some("https://live.staticflickr.com/4812/46452147131_9f8e7d6c5b_b.jpg")
        );
    }

    fn video_size(label: &str, width: u64, source: &str) -> SizeEntry {
        SizeEntry {
            label: Some(label.into()),
            width: Some(width),
            height: Some(width * 9 / 16),
            source: Some(source.into()),
            media: Some("video".into()),
        }
    }

    #[test]
    fn the_original_video_file_wins_over_larger_renditions() {
        let sizes = [
            video_size("Video Original", 1280, "https://example.com/orig/"),
            video_size("1080p", 1920, "https://example.com/1080p.mp4"),
        ];
        let file = video_file(&sizes).expect("a file");
        assert_eq!(file.url, "https://example.com/orig/");
        assert_eq!((file.width, file.height), (Some(1280), Some(720)));
    }

    #[test]
    fn without_an_original_the_largest_video_file_wins_and_the_player_never() {
        let sizes = [
            video_size("Site MP4", 640, "https://example.com/site/"),
            video_size("1080p", 1920, "https://example.com/1080p.mp4"),
            video_size("HD MP4", 1280, "https://example.com/hd/"),
            video_size("Video Player", 4096, "https://example.com/player"),
            video_size(
                "Flash",
                3840,
                "https://example.com/apps/video/stewart.swf?v=1",
            ),
        ];
        let file = video_file(&sizes).expect("a file");
        assert_eq!(file.url, "https://example.com/1080p.mp4");
        assert_eq!(video_file(&sizes[3..]), None, "only players: no file");
    }

    #[test]
    fn a_video_without_sizes_keeps_its_page_and_frame_size() {
        let mut item = listed(PAGE_1).swap_remove(2);
        apply_video_info(&mut item, &info(VIDEO_INFO).video);
        apply_video_sizes(&mut item, &[]);
        assert_eq!(
            item.media_url.as_deref(),
            Some("https://www.flickr.com/photos/cnes/46452147131/")
        );
        assert_eq!((item.width, item.height), (Some(1920), Some(1080)));
        assert!(item.thumbnail_url.is_some());
    }

    #[test]
    fn an_unknown_taken_date_is_no_date() {
        let item = &listed(PAGE_2)[0];
        assert_eq!(item.id, "flickr:46401960481");
        assert_eq!(item.taken_at, None, "datetakenunknown = 1");
        assert!(item.published_at.is_some());
        assert_eq!(item.description, None, "empty description");
    }

    #[test]
    fn odd_records_still_make_items() {
        let items = listed(QUIRKS);
        assert_eq!(items.len(), 2, "the entry without an id is skipped");
        let numeric = &items[0];
        assert_eq!(numeric.id, "flickr:31500000001");
        assert_eq!(numeric.title, None, "\"\" is no title");
        assert_eq!(numeric.description, None);
        assert!(numeric.tags.is_empty());
        assert_eq!(
            (numeric.license.as_deref(), numeric.license_url.as_deref()),
            (None, None),
            "unknown licence 99"
        );
        assert_eq!(
            numeric.creator.as_deref(),
            Some("CNES"),
            "the album's owner name"
        );
        assert_eq!(
            numeric.page_url.as_deref(),
            Some("https://www.flickr.com/photos/141938346@N05/31500000001/"),
            "no path alias: the NSID"
        );
        assert_eq!(
            rfc3339(numeric.published_at).as_deref(),
            Some("2018-12-18T19:37:14Z")
        );
        assert_eq!(
            numeric.media_url, numeric.thumbnail_url,
            "url_m is all there is"
        );
        assert_eq!((numeric.width, numeric.height), (Some(500), Some(333)));

        let odd = &items[1];
        assert_eq!(odd.kind, Kind::Video);
        assert_eq!(odd.tags, ["vs20", "cso1"]);
        assert_eq!((odd.taken_at, odd.published_at), (None, None));
        assert_eq!(
            odd.thumbnail_url.as_deref(),
            Some("https://live.staticflickr.com/1/31500000002_bbbbbbbbbb_b.jpg"),
            "a video's preview is its largest still"
        );
    }

    #[test]
    fn smallest_listed_size_is_the_thumbnail_without_q_or_m() {
        let size = |name: &str, width| Size {
            name: name.into(),
            url: name.into(),
            width,
            height: None,
        };
        let sizes = [size("l", Some(1024)), size("t", None), size("n", Some(320))];
        assert_eq!(
            thumbnail(&sizes, &EXTRAS).map(|s| s.name.as_str()),
            Some("t")
        );
    }

    #[test]
    fn a_photo_page_becomes_an_item_from_info_and_sizes() {
        let item = from_info(&info(PHOTO_INFO), &sizes(PHOTO_SIZES)).expect("an item");
        assert_eq!(item.id, "flickr:45539063392");
        assert_eq!(item.kind, Kind::Photo);
        assert_eq!(
            item.tags,
            ["VS20", "CSO-1", "Soyuz", "Kourou", "CSG"],
            "raw spelling"
        );
        assert_eq!(
            item.creator.as_deref(),
            Some("CNES - Centre national d'\u{e9}tudes spatiales"),
            "realname first"
        );
        assert_eq!(
            item.description.as_deref(),
            Some("D\u{e9}collage du lanceur Soyuz VS20 emportant le satellite CSO-1.")
        );
        assert_eq!(item.license.as_deref(), Some("CC BY 2.0"));
        assert_eq!(
            rfc3339(item.taken_at).as_deref(),
            Some("2018-12-18T13:37:14")
        );
        assert_eq!(
            rfc3339(item.published_at).as_deref(),
            Some("2018-12-18T19:37:14Z")
        );
        assert_eq!(
            item.media_url.as_deref(),
            Some("https://live.staticflickr.com/4876/45539063392_8d7c6b5a41_o.jpg")
        );
        assert_eq!((item.width, item.height), (Some(5472), Some(3648)));
        assert_eq!(
            item.thumbnail_url.as_deref(),
            Some("https://live.staticflickr.com/4876/45539063392_3b5c2a1f9e_q.jpg")
        );
        assert_eq!(item.collection, None);
    }

    #[test]
    fn every_size_is_kept_largest_first_with_its_label() {
        let item = from_info(&info(PHOTO_INFO), &sizes(PHOTO_SIZES)).expect("an item");
        let listed: Vec<(&str, Option<u32>)> = item
            .sizes
            .iter()
            .map(|s| (s.label.as_deref().unwrap_or(""), s.width))
            .collect();
        assert_eq!(listed.len(), 12, "{listed:?}");
        assert_eq!(listed[0], ("Original", Some(5472)));
        assert_eq!(listed[1], ("Large 2048", Some(2048)));
        assert_eq!(listed[11], ("Square", Some(75)));
        assert_eq!(item.sizes[0].url, item.media_url.clone().unwrap());

        let album = listed_sizes(&listed_items()[0]);
        assert_eq!(album.first().map(|(l, _)| l.as_str()), Some("Original"));
        assert!(
            album.iter().all(|(l, _)| !l.is_empty() && l.len() > 2),
            "extras suffixes become Flickr's labels: {album:?}"
        );
    }

    fn listed_items() -> Vec<Item> {
        listed(PAGE_1)
    }

    fn listed_sizes(item: &Item) -> Vec<(String, String)> {
        item.sizes
            .iter()
            .map(|s| (s.label.clone().unwrap_or_default(), s.url.clone()))
            .collect()
    }

    #[test]
    fn a_video_lists_its_files_but_not_its_player() {
        let mut item = listed(PAGE_1)
            .into_iter()
            .find(|i| i.kind == Kind::Video)
            .expect("a video on the page");
        apply_video_sizes(&mut item, &sizes(VIDEO_SIZES));
        assert!(!item.sizes.is_empty());
        assert!(
            item.sizes
                .iter()
                .all(|s| s.label.as_deref() != Some("Video Player")),
            "{:?}",
            item.sizes
        );
        assert!(
            item.sizes
                .iter()
                .any(|s| Some(&s.url) == item.media_url.as_ref())
        );
    }

    #[test]
    fn a_photo_page_without_original_takes_the_largest_still() {
        let mut entries = sizes(PHOTO_SIZES);
        entries.retain(|s| s.label.as_deref() != Some("Original"));
        let item = from_info(&info(PHOTO_INFO), &entries).expect("an item");
        assert_eq!(
            item.media_url.as_deref(),
            Some("https://live.staticflickr.com/4876/45539063392_3b5c2a1f9e_k.jpg")
        );
        assert_eq!((item.width, item.height), (Some(2048), Some(1365)));
    }

    #[test]
    fn a_video_page_becomes_a_video_item() {
        let item = from_info(&info(VIDEO_INFO), &sizes(VIDEO_SIZES)).expect("an item");
        assert_eq!(item.kind, Kind::Video);
        assert_eq!(item.duration_seconds, Some(94));
        assert_eq!(
            item.media_url.as_deref(),
            Some("https://www.flickr.com/photos/cnes/46452147131/play/orig/1a2b3c4d5e/")
        );
        assert_eq!((item.width, item.height), (Some(1920), Some(1080)));
        assert_eq!(item.tags, ["VS20", "CSO-1", "video"]);
        assert_eq!(
            item.description.as_deref(),
            Some("Le d\u{e9}collage vu depuis le site Jupiter.")
        );
    }

    #[test]
    fn an_info_record_without_an_id_is_no_item() {
        assert_eq!(from_info(&PhotoInfo::default(), &[]), None);
    }

    #[test]
    fn taken_dates_keep_flickrs_granularity_and_drop_what_it_made_up() {
        let taken = |granularity| {
            taken_at(Some("1950-07-01 00:00:00"), Some(0), granularity).map(|t| t.to_string())
        };
        assert_eq!(taken(Some(0)).as_deref(), Some("1950-07-01T00:00:00"));
        assert_eq!(taken(Some(4)).as_deref(), Some("1950-07"));
        assert_eq!(taken(Some(6)).as_deref(), Some("1950"));
        assert_eq!(taken(Some(8)).as_deref(), Some("1950"), "circa a year");
        assert_eq!(taken(None).as_deref(), Some("1950-07-01T00:00:00"));
        assert_eq!(
            taken_at(Some("2018-12-18 13:37:14"), Some(1), Some(0)),
            None
        );
        assert_eq!(
            taken_at(Some("0000-00-00 00:00:00"), Some(0), Some(0)),
            None
        );
    }
}

//! Which file of an item to download, and why some items have none.

use url::Url;

use crate::model::{Item, Kind, MediaSize, Source};

/// Which size of a photo to take. A video or a sound has one file, its `media_url`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SizeChoice {
    /// The original when known, else the largest size.
    #[default]
    Original,
    /// The largest size listed, by pixel area.
    Largest,
    /// The smallest size at least this many pixels wide, else the largest.
    MaxWidth(u32),
}

/// The file chosen for an item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chosen {
    /// Where it is.
    pub url: Url,
    /// Its size as the source lists it, when it does.
    pub width: Option<u32>,
    /// Likewise.
    pub height: Option<u32>,
}

/// The file to download for `item`, or why there is none.
///
/// # Errors
/// A sentence saying why the item has no file to download: an article, a video that plays
/// only on a platform's player, an item whose file the source did not give.
pub fn file_of(item: &Item, choice: SizeChoice) -> Result<Chosen, String> {
    if item.kind == Kind::Article {
        return Err("an article: a page, not a file".into());
    }
    if let Some(platform) = platform(item) {
        return Err(format!(
            "plays only on {platform}'s player, which serves no file: see its page"
        ));
    }
    let candidate = match (item.kind, choice) {
        (Kind::Photo, SizeChoice::Largest) => largest(item),
        (Kind::Photo, SizeChoice::MaxWidth(width)) => {
            at_least(item, width).or_else(|| largest(item))
        }
        _ => original(item),
    };
    let Some(size) = candidate else {
        return Err("the source gave no file, only a page".into());
    };
    if item.page_url.as_deref() == Some(size.url.as_str()) {
        return Err("the source gave only the page, not the file's address".into());
    }
    let url = Url::parse(&size.url)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https"))
        .ok_or_else(|| format!("the file's address is not an http(s) URL: {}", size.url))?;
    Ok(Chosen {
        url,
        width: size.width,
        height: size.height,
    })
}

/// The platform whose player alone shows the item, if it is one.
fn platform(item: &Item) -> Option<&'static str> {
    let prefix = item.id.split_once(':').map(|(p, _)| p);
    match prefix {
        Some("youtube") => Some("YouTube"),
        Some("vimeo") => Some("Vimeo"),
        Some("dailymotion") => Some("Dailymotion"),
        _ if item.source == Source::Oembed => Some("a video platform"),
        _ => None,
    }
}

/// The item's own file (the original when its source listed it, else its largest), else
/// the largest size.
fn original(item: &Item) -> Option<MediaSize> {
    item.media_url
        .as_ref()
        .map(|url| MediaSize {
            label: None,
            width: item.width,
            height: item.height,
            url: url.clone(),
        })
        .or_else(|| item.sizes.first().cloned())
}

/// Every file listed, the item's own included.
fn candidates(item: &Item) -> Vec<MediaSize> {
    let mut all: Vec<MediaSize> = original(item).into_iter().collect();
    for size in &item.sizes {
        if !all.iter().any(|a| a.url == size.url) {
            all.push(size.clone());
        }
    }
    all
}

fn area(size: &MediaSize) -> u64 {
    u64::from(size.width.unwrap_or(0)) * u64::from(size.height.unwrap_or(0))
}

fn largest(item: &Item) -> Option<MediaSize> {
    // The first of equals wins: the item's own file comes first.
    candidates(item).into_iter().rev().max_by_key(area)
}

fn at_least(item: &Item, width: u32) -> Option<MediaSize> {
    candidates(item)
        .into_iter()
        .filter(|s| s.width.is_some_and(|w| w >= width))
        .min_by_key(|s| s.width)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn size(label: &str, width: u32, url: &str) -> MediaSize {
        MediaSize {
            label: Some(label.into()),
            width: Some(width),
            height: Some(width * 2 / 3),
            url: url.into(),
        }
    }

    fn photo() -> Item {
        let mut item = Item::new("flickr:1", Kind::Photo, Source::Flickr);
        item.page_url = Some("https://www.flickr.com/photos/cnes/1/".into());
        item.media_url = Some("https://live.example/o.jpg".into());
        item.width = Some(5000);
        item.height = Some(3333);
        item.sizes = vec![
            size("Original", 5000, "https://live.example/o.jpg"),
            size("Large 2048", 2048, "https://live.example/k.jpg"),
            size("Large", 1024, "https://live.example/b.jpg"),
            size("Small", 240, "https://live.example/s.jpg"),
        ];
        item
    }

    fn url(item: &Item, choice: SizeChoice) -> String {
        file_of(item, choice).unwrap().url.to_string()
    }

    #[test]
    fn sizes_are_chosen_as_asked() {
        let item = photo();
        assert_eq!(
            url(&item, SizeChoice::Original),
            "https://live.example/o.jpg"
        );
        assert_eq!(
            url(&item, SizeChoice::Largest),
            "https://live.example/o.jpg"
        );
        assert_eq!(
            url(&item, SizeChoice::MaxWidth(2000)),
            "https://live.example/k.jpg"
        );
        assert_eq!(
            url(&item, SizeChoice::MaxWidth(1024)),
            "https://live.example/b.jpg"
        );
        assert_eq!(
            url(&item, SizeChoice::MaxWidth(9000)),
            "https://live.example/o.jpg"
        );
    }

    #[test]
    fn without_a_file_of_its_own_the_largest_size_is_the_original() {
        let mut item = photo();
        item.media_url = None;
        item.sizes.remove(0);
        assert_eq!(
            url(&item, SizeChoice::Original),
            "https://live.example/k.jpg"
        );
    }

    #[test]
    fn a_video_has_one_file_whatever_the_size_asked() {
        let mut item = photo();
        item.kind = Kind::Video;
        item.media_url = Some("https://live.example/v.mp4".into());
        assert_eq!(
            url(&item, SizeChoice::MaxWidth(200)),
            "https://live.example/v.mp4"
        );
    }

    #[test]
    fn items_without_a_file_say_why() {
        let mut video = Item::new("youtube:abc", Kind::Video, Source::Oembed);
        video.media_url = Some("https://www.youtube.com/watch?v=abc".into());
        assert!(
            file_of(&video, SizeChoice::Original)
                .unwrap_err()
                .contains("YouTube")
        );
        let article = Item::new("https://cnes.example/pr", Kind::Article, Source::Release);
        assert!(
            file_of(&article, SizeChoice::Original)
                .unwrap_err()
                .contains("article")
        );
        let mut listed = photo();
        listed.kind = Kind::Video;
        listed.media_url = listed.page_url.clone();
        assert!(
            file_of(&listed, SizeChoice::Original)
                .unwrap_err()
                .contains("page")
        );
        let mut bare = photo();
        bare.media_url = None;
        bare.sizes.clear();
        assert!(
            file_of(&bare, SizeChoice::Original)
                .unwrap_err()
                .contains("no file")
        );
        bare.media_url = Some("ftp://x.example/a.jpg".into());
        assert!(
            file_of(&bare, SizeChoice::Original)
                .unwrap_err()
                .contains("http")
        );
    }
}

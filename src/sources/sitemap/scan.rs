//! Walking a sitemap's XML into its raw entries, with `quick-xml`.

use quick_xml::NsReader;
use quick_xml::events::Event;
use quick_xml::name::ResolveResult;

/// The namespaces a sitemap uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ns {
    /// The sitemap protocol's own, or none.
    Sitemap,
    /// Google's image extension.
    Image,
    /// Google's video extension.
    Video,
    /// Anything else (news, xhtml links).
    Other,
}

/// One `<image:image>` as written.
#[derive(Debug, Default)]
pub(super) struct RawImage {
    pub(super) loc: Option<String>,
    pub(super) title: Option<String>,
    pub(super) caption: Option<String>,
    pub(super) license: Option<String>,
}

/// One `<video:video>` as written.
#[derive(Debug, Default)]
pub(super) struct RawVideo {
    pub(super) thumbnail_loc: Option<String>,
    pub(super) title: Option<String>,
    pub(super) description: Option<String>,
    pub(super) content_loc: Option<String>,
    pub(super) player_loc: Option<String>,
    pub(super) duration: Option<String>,
    pub(super) publication_date: Option<String>,
    pub(super) tags: Vec<String>,
    pub(super) category: Option<String>,
    pub(super) uploader: Option<String>,
    pub(super) live: Option<String>,
}

/// One `<url>` and the media it lists.
#[derive(Debug, Default)]
pub(super) struct RawUrl {
    pub(super) loc: Option<String>,
    pub(super) images: Vec<RawImage>,
    pub(super) videos: Vec<RawVideo>,
}

/// A sitemap's entries, or an index's child sitemaps.
#[derive(Debug, Default)]
pub(super) struct Scan {
    pub(super) urls: Vec<RawUrl>,
    pub(super) sitemaps: Vec<String>,
    url: Option<RawUrl>,
    image: Option<RawImage>,
    video: Option<RawVideo>,
    in_sitemap: bool,
    text: String,
}

/// Reads every entry, in document order. Broken XML ends the walk; what was read is kept.
pub(super) fn scan(body: &str) -> Scan {
    let mut reader = NsReader::from_str(body);
    let config = reader.config_mut();
    config.allow_dangling_amp = true;
    config.check_end_names = false;
    let mut scan = Scan::default();
    while let Ok((ns, event)) = reader.read_resolved_event() {
        match event {
            Event::Start(e) => {
                scan.open(classify(&ns), e.local_name().as_ref());
            }
            Event::End(e) => scan.close(classify(&ns), e.local_name().as_ref()),
            Event::Text(t) => scan.text.push_str(&t.xml10_content()),
            Event::CData(t) => scan.text.push_str(&t.xml10_content()),
            Event::GeneralRef(r) => {
                let decoded = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    _ => quick_xml::escape::resolve_predefined_entity(&r.xml10_content())
                        .map_or_else(|| format!("&{};", r.xml10_content()), str::to_string),
                };
                scan.text.push_str(&decoded);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    scan
}

fn classify(ns: &ResolveResult<'_>) -> Ns {
    match ns {
        ResolveResult::Bound(uri) => {
            let uri = uri.as_ref().to_ascii_lowercase();
            if uri.contains("sitemap-image") {
                Ns::Image
            } else if uri.contains("sitemap-video") {
                Ns::Video
            } else if uri.contains("sitemap") {
                Ns::Sitemap
            } else {
                Ns::Other
            }
        }
        ResolveResult::Unbound => Ns::Sitemap,
        // A prefix used without its declaration: trust the conventional names.
        ResolveResult::Unknown(prefix) => match prefix.as_str() {
            "image" => Ns::Image,
            "video" => Ns::Video,
            _ => Ns::Other,
        },
    }
}

impl Scan {
    fn open(&mut self, ns: Ns, local: &str) {
        self.text.clear();
        match (ns, local) {
            (Ns::Sitemap, "url") => self.url = Some(RawUrl::default()),
            (Ns::Sitemap, "sitemap") => self.in_sitemap = true,
            (Ns::Image, "image") if self.url.is_some() => self.image = Some(RawImage::default()),
            (Ns::Video, "video") if self.url.is_some() => self.video = Some(RawVideo::default()),
            _ => {}
        }
    }

    fn close(&mut self, ns: Ns, local: &str) {
        let text = clean(&std::mem::take(&mut self.text));
        match ns {
            Ns::Image => self.close_image(local, text),
            Ns::Video => self.close_video(local, text),
            Ns::Sitemap => self.close_sitemap(local, text),
            Ns::Other => {}
        }
    }

    fn close_sitemap(&mut self, local: &str, text: Option<String>) {
        match local {
            "loc" if self.in_sitemap => self.sitemaps.extend(text),
            "loc" if self.image.is_none() && self.video.is_none() => {
                if let Some(url) = self.url.as_mut() {
                    url.loc = url.loc.take().or(text);
                }
            }
            "url" => self.urls.extend(self.url.take()),
            "sitemap" => self.in_sitemap = false,
            _ => {}
        }
    }

    fn close_image(&mut self, local: &str, text: Option<String>) {
        if local == "image" {
            if let (Some(url), Some(image)) = (self.url.as_mut(), self.image.take()) {
                url.images.push(image);
            }
            return;
        }
        let Some(image) = self.image.as_mut() else {
            return;
        };
        let slot = match local {
            "loc" => &mut image.loc,
            "title" => &mut image.title,
            "caption" => &mut image.caption,
            "license" => &mut image.license,
            _ => return,
        };
        *slot = slot.take().or(text);
    }

    fn close_video(&mut self, local: &str, text: Option<String>) {
        if local == "video" {
            if let (Some(url), Some(video)) = (self.url.as_mut(), self.video.take()) {
                url.videos.push(video);
            }
            return;
        }
        let Some(video) = self.video.as_mut() else {
            return;
        };
        let slot = match local {
            "tag" => {
                video.tags.extend(text);
                return;
            }
            "thumbnail_loc" => &mut video.thumbnail_loc,
            "title" => &mut video.title,
            "description" => &mut video.description,
            "content_loc" => &mut video.content_loc,
            "player_loc" => &mut video.player_loc,
            "duration" => &mut video.duration,
            "publication_date" => &mut video.publication_date,
            "category" => &mut video.category,
            "uploader" => &mut video.uploader,
            "live" => &mut video.live,
            _ => return,
        };
        *slot = slot.take().or(text);
    }
}

fn clean(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_string())
}

//! Flickr albums without an API key: the album page's Open Graph tags and its owner's NSID,
//! then the public photoset feed.
//!
//! Without `FLICKR_API_KEY` the REST API cannot be called, but an album page is public, and
//! so is its feed, `<base>/services/feeds/photoset.gne?set=<id>&nsid=<NSID>`. The feed
//! needs the owner's NSID (`38194218@N05`), while album URLs usually carry a path alias
//! (`/photos/cnes/albums/…`). [`album_page`] finds it in the page, from the strongest
//! evidence to the weakest:
//!
//! 1. the page's own feed links (`photoset.gne?nsid&#x3D;…&amp;set&#x3D;<this album>`,
//!    entity-encoded as Flickr writes them, or `photos_public.gne?id=…`);
//! 2. the owner in the page's model data (`"ownerNsid":"…"`);
//! 3. an NSID in the page URL, `og:url` or `flickr_photos:by` (owners without an alias);
//! 4. the owner's buddy icon (`…/buddyicons/<NSID>.jpg`, or `#<NSID>` after a static
//!    image URL).
//!
//! Open Graph is read whether written `property=` or `name=` (Flickr writes `name=`).
//!
//! The feed is read by the feed source: its items are `flickr:<id>` with
//! [`Source::Feed`](crate::model::Source::Feed), the same ids as the API gives, so an item
//! found both ways is one item. A feed lists only the album's latest items (about 20) and
//! one size each: no licence names beyond `creativeCommons:license`, no originals, no
//! video files.

use std::sync::LazyLock;

use regex::Regex;
use scraper::{Html, Selector};
use url::Url;

use super::urls::{FlickrTarget, is_nsid, recognize};
use crate::media::{html, text};

static LINKS: LazyLock<Selector> = LazyLock::new(|| html::selector("link[href], a[href]"));
static SCRIPTS: LazyLock<Selector> = LazyLock::new(|| html::selector("script"));
static PICTURES: LazyLock<Selector> =
    LazyLock::new(|| html::selector("[src], [style], [data-src], [data-defer-src]"));
static TITLE: LazyLock<Selector> = LazyLock::new(|| html::selector("title"));

/// The owner in Flickr's page model.
static OWNER_NSID: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#""ownerNsid"\s*:\s*"(\d{5,11}@N\d{2})""#).expect("valid owner regex")
});
/// A buddy icon (`/buddyicons/38194218@N05.jpg`, `_r.jpg`) or the `#NSID` Flickr appends
/// to an owner's images.
static ICON_NSID: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:/buddyicons/|staticflickr\.com/[^\s#]*#)(\d{5,11}@N\d{2})\b")
        .expect("valid icon regex")
});

/// What an album page says about its album.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AlbumPage {
    /// The photoset id.
    pub set_id: String,
    /// The owner as the album's URL names it: a path alias (`cnes`) or an NSID.
    pub owner: String,
    /// The owner's NSID, when the page shows it: without it there is no feed.
    pub owner_nsid: Option<String>,
    /// The album's title (`og:title`, else `<title>` without ` | Flickr`).
    pub title: Option<String>,
    /// The album's description (`og:description`).
    pub description: Option<String>,
    /// The cover image (`og:image`).
    pub cover_url: Option<String>,
}

impl AlbumPage {
    /// The album's public feed at `api_base` (`FLICKR_API_URL`, see
    /// [`FlickrConfig::api_base`](super::FlickrConfig::api_base)), when the owner's NSID
    /// is known.
    pub fn feed_url(&self, api_base: &Url) -> Option<Url> {
        let nsid = self.owner_nsid.as_deref()?;
        Some(photoset_feed_url(api_base, &self.set_id, nsid))
    }
}

/// The public RSS feed of album `set_id` owned by `nsid`:
/// `<api_base>/services/feeds/photoset.gne?set=<id>&nsid=<nsid>&lang=en-us&format=rss_200`.
/// A path in `api_base` is kept as a prefix, as for REST calls.
pub fn photoset_feed_url(api_base: &Url, set_id: &str, nsid: &str) -> Url {
    let mut url = api_base.clone();
    let path = format!(
        "{}/services/feeds/photoset.gne",
        url.path().trim_end_matches('/')
    );
    url.set_path(&path);
    url.set_fragment(None);
    url.query_pairs_mut()
        .clear()
        .append_pair("set", set_id)
        .append_pair("nsid", nsid)
        .append_pair("lang", "en-us")
        .append_pair("format", "rss_200");
    url
}

/// Reads an album page, or `None` when neither `page_url` nor the page's `og:url` is an
/// album (`/photos/<user>/albums/<id>`, `/sets/<id>`).
pub fn album_page(doc: &Html, page_url: &Url) -> Option<AlbumPage> {
    let og_url = html::meta(doc, "og:url").and_then(|u| page_url.join(&u).ok());
    let (owner, set_id) = [Some(page_url), og_url.as_ref()]
        .into_iter()
        .flatten()
        .find_map(|u| match recognize(u) {
            Some(FlickrTarget::Album { user, set_id }) => Some((user, set_id)),
            _ => None,
        })?;
    let title = html::meta(doc, "og:title")
        .or_else(|| {
            doc.select(&TITLE)
                .next()
                .and_then(|t| text::clean(&t.text().collect::<String>()))
                .map(|t| t.trim_end_matches(" | Flickr").to_string())
        })
        .and_then(|t| text::html_to_text(&t));
    Some(AlbumPage {
        owner_nsid: owner_nsid(doc, &set_id, page_url, og_url.as_ref()),
        title,
        description: html::meta(doc, "og:description").and_then(|d| text::html_to_text(&d)),
        cover_url: html::meta(doc, "og:image").filter(|u| Url::parse(u).is_ok()),
        owner,
        set_id,
    })
}

/// The owner's NSID, from the strongest evidence the page has.
fn owner_nsid(doc: &Html, set_id: &str, page: &Url, og_url: Option<&Url>) -> Option<String> {
    feed_link_nsid(doc, set_id, page)
        .or_else(|| {
            doc.select(&SCRIPTS).find_map(|s| {
                let script = s.text().collect::<String>();
                OWNER_NSID.captures(&script).map(|c| c[1].to_string())
            })
        })
        .or_else(|| url_nsid(doc, [Some(page), og_url]))
        .or_else(|| icon_nsid(doc))
        .filter(|n| is_nsid(n))
}

/// The `nsid` of a feed link to this album, or the `id` of the owner's photostream feed.
fn feed_link_nsid(doc: &Html, set_id: &str, page: &Url) -> Option<String> {
    doc.select(&LINKS).find_map(|link| {
        let url = page.join(link.attr("href")?.trim()).ok()?;
        let param = |name: &str| {
            url.query_pairs()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.trim().to_string())
        };
        let script = url.path().rsplit('/').next().unwrap_or_default();
        let nsid = match script {
            "photoset.gne" if param("set").as_deref() == Some(set_id) => param("nsid"),
            "photos_public.gne" => param("id"),
            _ => None,
        };
        nsid.filter(|n| is_nsid(n))
    })
}

/// An NSID written where an alias could be: in the album URL, `og:url` or
/// `flickr_photos:by` (`/photos/<nsid>/`, `/people/<nsid>/`).
fn url_nsid(doc: &Html, urls: [Option<&Url>; 2]) -> Option<String> {
    let by = html::meta(doc, "flickr_photos:by").and_then(|u| Url::parse(&u).ok());
    urls.into_iter().flatten().chain(by.as_ref()).find_map(|u| {
        let mut segments = u.path_segments()?;
        matches!(segments.next(), Some("photos" | "people"))
            .then(|| segments.next())
            .flatten()
            .filter(|user| is_nsid(user))
            .map(str::to_string)
    })
}

/// The owner's buddy icon or `#NSID`-tagged image.
fn icon_nsid(doc: &Html) -> Option<String> {
    doc.select(&PICTURES).find_map(|e| {
        ["src", "style", "data-src", "data-defer-src"]
            .iter()
            .filter_map(|a| e.attr(a))
            .find_map(|v| ICON_NSID.captures(v).map(|c| c[1].to_string()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sources::flickr::DEFAULT_API_URL;

    const ALBUM: &str =
        include_str!("../../../tests/fixtures/flickr_keyless/album_72157704555614144.html");
    const MODEL_ONLY: &str =
        include_str!("../../../tests/fixtures/flickr_keyless/album_model_only.html");
    const ALBUM_URL: &str = "https://www.flickr.com/photos/cnes/albums/72157704555614144";

    fn read(html: &str, page: &str) -> Option<AlbumPage> {
        album_page(&Html::parse_document(html), &Url::parse(page).unwrap())
    }

    fn public_api() -> Url {
        Url::parse(DEFAULT_API_URL).unwrap()
    }

    #[test]
    fn album_page_gives_title_owner_and_feed() {
        let album = read(ALBUM, &format!("{ALBUM_URL}/?utm_source=release")).unwrap();
        assert_eq!(
            album,
            AlbumPage {
                set_id: "72157704555614144".into(),
                owner: "cnes".into(),
                owner_nsid: Some("38194218@N05".into()),
                title: Some("VS20 - CSO-1".into()),
                description: Some(
                    "Lancement du satellite CSO-1 par Soyuz (vol VS20) depuis le Centre \
                     spatial guyanais, 19 décembre 2018."
                        .into()
                ),
                cover_url: Some(
                    "https://live.staticflickr.com/4876/45539063392_2c5a0e4a1b_b.jpg".into()
                ),
            }
        );
        assert_eq!(
            album.feed_url(&public_api()).unwrap().as_str(),
            "https://api.flickr.com/services/feeds/photoset.gne?set=72157704555614144&nsid=38194218%40N05&lang=en-us&format=rss_200"
        );
    }

    #[test]
    fn feed_base_follows_flickr_api_url() {
        let base = Url::parse("http://127.0.0.1:5000/api.flickr.com").unwrap();
        assert_eq!(
            photoset_feed_url(&base, "72157704555614144", "38194218@N05").as_str(),
            "http://127.0.0.1:5000/api.flickr.com/services/feeds/photoset.gne?set=72157704555614144&nsid=38194218%40N05&lang=en-us&format=rss_200"
        );
    }

    #[test]
    fn owner_from_the_page_model_when_there_is_no_feed_link() {
        let album = read(
            MODEL_ONLY,
            "https://www.flickr.com/photos/cnes/sets/72157704555614144/",
        )
        .unwrap();
        assert_eq!(album.owner_nsid.as_deref(), Some("38194218@N05"));
        assert_eq!(album.title.as_deref(), Some("VS20 - CSO-1"), "from <title>");
    }

    #[test]
    fn owner_from_the_url_or_the_buddy_icon() {
        let in_url = read(
            "<title>x</title>",
            "https://www.flickr.com/photos/38194218@N05/albums/72157704555614144",
        )
        .unwrap();
        assert_eq!(in_url.owner_nsid.as_deref(), Some("38194218@N05"));
        let by = read(
            r#"<meta name="flickr_photos:by" content="https://www.flickr.com/people/38194218@N05/">"#,
            ALBUM_URL,
        )
        .unwrap();
        assert_eq!(by.owner_nsid.as_deref(), Some("38194218@N05"));
        let icon = read(
            r#"<div class="avatar" style="background-image: url(//farm5.staticflickr.com/4811/buddyicons/38194218@N05_r.jpg?1528364520#38194218@N05)"></div>"#,
            ALBUM_URL,
        )
        .unwrap();
        assert_eq!(icon.owner_nsid.as_deref(), Some("38194218@N05"));
    }

    #[test]
    fn a_feed_link_to_another_album_is_no_evidence() {
        let html = r#"<link rel="alternate" type="application/rss+xml"
            href="https://www.flickr.com/services/feeds/photoset.gne?nsid&#x3D;11111111@N01&amp;set&#x3D;999">"#;
        let album = read(html, ALBUM_URL).unwrap();
        assert_eq!(album.owner_nsid, None);
        assert_eq!(album.feed_url(&public_api()), None, "no NSID, no feed");
    }

    #[test]
    fn an_album_known_only_by_its_og_url_and_non_albums() {
        let html = format!(
            r#"<meta name="og:url" content="{ALBUM_URL}"><title>VS20 - CSO-1 | Flickr</title>"#
        );
        let album = read(&html, "https://www.flickr.com/photos/cnes/albums").unwrap();
        assert_eq!(album.set_id, "72157704555614144");
        assert_eq!(album.title.as_deref(), Some("VS20 - CSO-1"));
        assert_eq!(
            read(
                &html.replace("albums/", "x/"),
                "https://www.flickr.com/photos/cnes/45539063392/"
            ),
            None
        );
        assert_eq!(read("", "https://cnes.fr/"), None);
    }
}

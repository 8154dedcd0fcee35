//! A stand-in Flickr API serving a generated album, in Flickr's JSON shapes, that a test can
//! change between crawls (photos withdrawn, the album updated) or make long and slow.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use archive_test_support::server::{Reply, Request};

pub(crate) const ALBUM: &str = "72157704555614144";
pub(crate) const NSID: &str = "141938346@N05";

/// The album as the API currently describes it.
#[derive(Clone, Debug)]
pub(crate) struct Album {
    /// Photo ids, in album order.
    pub(crate) photos: Vec<u64>,
    /// `date_update`, Unix seconds.
    pub(crate) updated: u64,
    pub(crate) per_page: usize,
    /// How long each listing page takes to answer.
    pub(crate) page_delay: Duration,
}

impl Album {
    pub(crate) fn new(photos: impl IntoIterator<Item = u64>) -> Self {
        Album {
            photos: photos.into_iter().collect(),
            updated: 1_545_240_000,
            per_page: 500,
            page_delay: Duration::ZERO,
        }
    }
}

/// Answers Flickr REST calls for the shared album; everything else is a 404.
pub(crate) fn api(album: &Arc<Mutex<Album>>, request: &Request) -> Reply {
    let album = album.lock().unwrap().clone();
    let json = |body: String| Reply::ok("application/json; charset=utf-8", body);
    match request.param("method").as_deref() {
        Some("flickr.urls.lookupUser") => json(format!(
            r#"{{"user":{{"id":"{NSID}","username":{{"_content":"CNES"}}}},"stat":"ok"}}"#
        )),
        Some("flickr.photosets.getInfo") => json(format!(
            r#"{{"photoset":{{"id":"{ALBUM}","owner":"{NSID}","username":"CNES","photos":{},"title":{{"_content":"CSO-1 – Soyuz VS20"}},"description":{{"_content":""}},"date_create":"1545161900","date_update":"{}"}},"stat":"ok"}}"#,
            album.photos.len(),
            album.updated
        )),
        Some("flickr.photosets.getPhotos") => {
            let page: usize = request
                .param("page")
                .and_then(|p| p.parse().ok())
                .unwrap_or(1);
            json(listing(&album, page)).after(album.page_delay)
        }
        _ => json(r#"{"stat":"fail","code":112,"message":"Method not found"}"#.into()),
    }
}

fn listing(album: &Album, page: usize) -> String {
    let pages = album.photos.len().div_ceil(album.per_page).max(1);
    let start = (page - 1) * album.per_page;
    let photos: Vec<String> = album
        .photos
        .iter()
        .skip(start)
        .take(album.per_page)
        .map(|id| photo(*id))
        .collect();
    format!(
        r#"{{"photoset":{{"id":"{ALBUM}","owner":"{NSID}","ownername":"CNES","photo":[{}],"page":{page},"per_page":{pp},"perpage":{pp},"pages":{pages},"total":"{}","title":"CSO-1 – Soyuz VS20"}},"stat":"ok"}}"#,
        photos.join(","),
        album.photos.len(),
        pp = album.per_page,
    )
}

fn photo(id: u64) -> String {
    format!(
        r#"{{"id":"{id}","secret":"abc","server":"4876","farm":5,"title":"Soyuz VS20 photo {id}","isprimary":"0","ispublic":1,"license":"4","description":{{"_content":"Photo {id} of the #VS20 campaign"}},"dateupload":"1545161834","datetaken":"2018-12-18 13:37:14","datetakengranularity":"0","datetakenunknown":"0","ownername":"CNES","tags":"vs20 soyuz","media":"photo","pathalias":"cnes","url_l":"https:\/\/live.staticflickr.com\/4876\/{id}_abc_b.jpg","height_l":"683","width_l":"1024","url_q":"https:\/\/live.staticflickr.com\/4876\/{id}_abc_q.jpg","height_q":"150","width_q":"150"}}"#
    )
}

//! The fixture site: several synthetic hosts (a press office, a media library, the Flickr API)
//! served from `tests/fixtures/site/<host>/…` by one loopback server.
//!
//! Pages link to each other as `{{host:NAME}}`, which the server expands either to its own
//! loopback address (tests crawl it directly) or to `https://NAME` (the demo is recorded
//! through the fetcher's mirror option, so the WARC holds the public-looking URLs; the
//! benchmarks parse the pages as a crawl of the web would see them).

use std::path::{Path, PathBuf};

use crate::server::{Reply, Request, TestServer};

/// How `{{host:NAME}}` links are written out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Links {
    /// `http://127.0.0.1:PORT/NAME`: crawl the server directly.
    Loopback,
    /// `https://NAME`: crawl through a mirror that maps hosts back to this server.
    Public,
}

/// A running fixture site.
pub struct Site {
    pub server: TestServer,
}

/// `tests/fixtures/site`: one folder per host.
pub fn site_root() -> PathBuf {
    crate::fixture_path("site")
}

impl Site {
    pub fn start(links: Links) -> Self {
        let root = site_root();
        let server = TestServer::start(move |request| serve(&root, links, request));
        // The handler needs its own origin for loopback links; it reads it from the Host header.
        Site { server }
    }

    /// The loopback URL of a page on one of the site's hosts.
    pub fn url(&self, host: &str, path: &str) -> url::Url {
        self.server.url(&format!("/{host}{path}"))
    }

    /// The loopback base of a host, as an API base URL (`FLICKR_API_URL`).
    pub fn base(&self, host: &str) -> String {
        format!("{}/{host}", self.server.origin())
    }
}

fn serve(root: &Path, links: Links, request: &Request) -> Reply {
    let mut segments = request.path.trim_start_matches('/').splitn(2, '/');
    let host = segments.next().unwrap_or_default();
    let rest = segments.next().unwrap_or_default();
    if host.is_empty() || host.contains("..") || rest.contains("..") {
        return Reply::not_found();
    }
    let origin = request
        .header("host")
        .map(|h| format!("http://{h}"))
        .unwrap_or_default();
    if host == "api.flickr.com" && rest.starts_with("services/rest") {
        return flickr(root, request);
    }
    if let Some(reply) = crate::platforms::serve(root, host, rest, request) {
        return expand_reply(reply, links, &origin);
    }
    if rest == "index.php" || rest == "empty.php" {
        return opsis(request);
    }
    let path = file_for(&root.join(host), rest);
    match std::fs::read(&path) {
        Ok(bytes) => {
            let content_type = content_type(&path, &bytes);
            let body = if content_type.starts_with("text/") || content_type.contains("xml") {
                expand_bytes(&bytes, links, &origin)
            } else {
                bytes
            };
            Reply::ok(content_type, body)
        }
        Err(_) => Reply::not_found(),
    }
}

/// An API's answer with its `{{host:NAME}}` links written out, as pages are.
fn expand_reply(mut reply: Reply, links: Links, origin: &str) -> Reply {
    if let crate::server::Body::Full(bytes) = &reply.body {
        reply.body = crate::server::Body::Full(expand_bytes(bytes, links, origin));
    }
    reply
}

/// [`expand`] on bytes, so pages in other encodings than UTF-8 keep theirs.
pub fn expand_bytes(bytes: &[u8], links: Links, origin: &str) -> Vec<u8> {
    // Placeholders are ASCII, so cutting around them never splits a character, whatever the
    // page's encoding.
    let mut out = Vec::with_capacity(bytes.len());
    let mut rest = bytes;
    while let Some(start) = find(rest, b"{{host:") {
        out.extend_from_slice(&rest[..start]);
        let after = &rest[start..];
        let Some(end) = find(after, b"}}") else {
            out.extend_from_slice(after);
            return out;
        };
        let placeholder = String::from_utf8_lossy(&after[..end + 2]);
        out.extend_from_slice(expand(&placeholder, links, origin).as_bytes());
        rest = &after[end + 2..];
    }
    out.extend_from_slice(rest);
    out
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Replaces `{{host:NAME}}` with the URL of that host as the crawl should see it.
pub fn expand(text: &str, links: Links, origin: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{{host:") {
        out.push_str(&rest[..start]);
        let after = &rest[start + "{{host:".len()..];
        let Some(end) = after.find("}}") else {
            out.push_str(&rest[start..]);
            return out;
        };
        let name = &after[..end];
        match links {
            Links::Loopback => out.push_str(&format!("{origin}/{name}")),
            Links::Public => out.push_str(&format!("https://{name}")),
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}

/// The file a path names; a path ending in `/` (a Flickr `/play/orig/…/` video URL) names
/// the `index` file in that folder, whatever its extension.
fn file_for(host: &Path, rest: &str) -> PathBuf {
    if !rest.is_empty() && !rest.ends_with('/') {
        return host.join(rest);
    }
    let folder = host.join(rest);
    std::fs::read_dir(&folder)
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path())
        .find(|p| p.file_stem().is_some_and(|stem| stem == "index"))
        .unwrap_or_else(|| folder.join("index.html"))
}

fn content_type(path: &Path, bytes: &[u8]) -> &'static str {
    match path.extension().and_then(|e| e.to_str()) {
        Some("mp4") => "video/mp4",
        Some("rss") => "application/rss+xml; charset=utf-8",
        Some("atom") => "application/atom+xml; charset=utf-8",
        Some("xml") => "application/xml",
        Some("json") => "application/json",
        Some("txt") => "text/plain; charset=utf-8",
        Some("jpg") => "image/jpeg",
        Some("pdf") => "application/pdf",
        // Like many servers, say nothing of the charset of a page that is not UTF-8: the page
        // declares it itself.
        _ if looks_like_html(bytes) && std::str::from_utf8(bytes).is_err() => "text/html",
        _ if looks_like_html(bytes) => "text/html; charset=utf-8",
        _ => "text/plain; charset=utf-8",
    }
}

fn looks_like_html(bytes: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(64)])
        .trim_start()
        .to_ascii_lowercase();
    head.starts_with("<!doctype html") || head.starts_with("<html")
}

/// An Opsis Media library: `index.php?urlaction=…` and `empty.php?…prepareVisu…` choose a
/// file of `tests/fixtures/opsis/` by their parameters, sent as the library sends it.
fn opsis(request: &Request) -> Reply {
    let param = |name: &str| request.param(name).unwrap_or_default();
    let name = if request.path.ends_with("empty.php") {
        format!("prepare_visu_{}.xml", param("id"))
    } else {
        match param("urlaction").as_str() {
            "commande" => match request.param("page").filter(|p| p != "1") {
                Some(page) => format!("basket_{}_page{page}.html", param("id_panier")),
                None => format!("basket_{}.html", param("id_panier")),
            },
            "doc" => format!("doc_{}.html", param("id_doc")),
            _ => return Reply::not_found(),
        }
    };
    let safe = name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "_.".contains(c));
    match std::fs::read(crate::fixture_path("opsis").join(&name)) {
        // The library declares its charset in the page, not in the header.
        Ok(bytes) if safe => Reply::ok(
            if name.ends_with(".xml") {
                "text/xml"
            } else {
                "text/html"
            },
            bytes,
        ),
        _ => Reply::not_found(),
    }
}

/// Flickr's REST API: `method` and its id and page pick the file
/// `api.flickr.com/services/rest/<method>[.<id>][.p<page>].json`. Errors come back as Flickr
/// sends them: HTTP 200 with `"stat":"fail"`.
fn flickr(root: &Path, request: &Request) -> Reply {
    let json = |body: String| Reply::ok("application/json; charset=utf-8", body);
    if request.param("api_key").is_none_or(|k| k.is_empty()) {
        return json(
            r#"{"stat":"fail","code":100,"message":"Invalid API Key (Key has invalid format)"}"#
                .into(),
        );
    }
    let Some(method) = request.param("method") else {
        return json(r#"{"stat":"fail","code":112,"message":"Method \"\" not found"}"#.into());
    };
    if method == "flickr.photos.search" {
        return flickr_search(root, request);
    }
    let id = request
        .param("photoset_id")
        .or_else(|| request.param("photo_id"));
    let page = request.param("page").filter(|p| p != "1");
    let mut name = method.clone();
    if let Some(id) = id {
        name.push_str(&format!(".{id}"));
    }
    if let Some(page) = page {
        name.push_str(&format!(".p{page}"));
    }
    let path = root
        .join("api.flickr.com/services/rest")
        .join(format!("{name}.json"));
    match std::fs::read_to_string(path) {
        Ok(body) => json(body),
        Err(_) if method.starts_with("flickr.photosets") => {
            json(r#"{"stat":"fail","code":1,"message":"Photoset not found"}"#.into())
        }
        Err(_) => json(format!(
            r#"{{"stat":"fail","code":1,"message":"Not found: {name}"}}"#
        )),
    }
}

/// `flickr.photos.search` as Flickr answers it: without tags, machine tags or text it is
/// refused (error 3); otherwise the owner (`user_id`, or `everyone`) and the kind of query
/// pick `flickr.photos.search.<owner>.<tags|machine>[.p<page>].json`, and a query nothing
/// answers finds nothing.
fn flickr_search(root: &Path, request: &Request) -> Reply {
    let json = |body: String| Reply::ok("application/json; charset=utf-8", body);
    let query = if request.param("tags").is_some() {
        "tags"
    } else if request.param("machine_tags").is_some() {
        "machine"
    } else if request.param("text").is_some() {
        "text"
    } else {
        return json(
            r#"{"stat":"fail","code":3,"message":"Parameterless searches have been disabled. Please use flickr.photos.getRecent instead."}"#
                .into(),
        );
    };
    let owner = request
        .param("user_id")
        .filter(|u| u.chars().all(|c| c.is_ascii_alphanumeric() || c == '@'))
        .unwrap_or_else(|| "everyone".into());
    let mut name = format!("flickr.photos.search.{owner}.{query}");
    if let Some(page) = request.param("page").filter(|p| p != "1") {
        name.push_str(&format!(".p{page}"));
    }
    let path = root
        .join("api.flickr.com/services/rest")
        .join(format!("{name}.json"));
    json(std::fs::read_to_string(path).unwrap_or_else(|_| {
        r#"{"photos":{"page":1,"pages":0,"perpage":500,"total":"0","photo":[]},"stat":"ok"}"#.into()
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_placeholders_become_loopback_or_public_urls() {
        let page = r#"<a href="{{host:press.cnes.example}}/en/vs20">VS20</a> {{host:open"#;
        assert_eq!(
            expand(page, Links::Loopback, "http://127.0.0.1:8080"),
            r#"<a href="http://127.0.0.1:8080/press.cnes.example/en/vs20">VS20</a> {{host:open"#
        );
        assert_eq!(
            expand(page, Links::Public, ""),
            r#"<a href="https://press.cnes.example/en/vs20">VS20</a> {{host:open"#
        );
    }

    #[test]
    fn pages_in_other_encodings_keep_their_bytes() {
        let latin1 = b"Fus\xe9e {{host:media.cnes.example}}/v\xe9";
        assert_eq!(
            expand_bytes(latin1, Links::Public, ""),
            b"Fus\xe9e https://media.cnes.example/v\xe9"
        );
    }
}

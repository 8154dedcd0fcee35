//! The video and image platforms' APIs, as the fixture site serves them: each answer is a
//! file of `tests/fixtures/site/<host>/…` chosen by the request's parameters, and the
//! servers' own behaviour is kept where a reader must cope with it (a missing key, a spent
//! quota, `family_filter`, MediaWiki's `maxlag` and User-Agent policy, answers composed per
//! id).

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::server::{Reply, Request};

/// The answer of a platform's API, if the request is for one.
pub fn serve(root: &Path, host: &str, rest: &str, request: &Request) -> Option<Reply> {
    let dir = root.join(host);
    match host {
        "www.googleapis.com" => rest
            .strip_prefix("youtube/v3/")
            .map(|resource| youtube(&dir.join("youtube/v3"), resource, request)),
        "api.dailymotion.com" => Some(dailymotion(&dir, rest, request)),
        "api.vimeo.com" => Some(vimeo(&dir, rest, request)),
        "commons.wikimedia.org" if rest == "w/api.php" => Some(commons(&dir, request)),
        "images-api.nasa.gov" => Some(nasa(&dir, rest, request)),
        "www.youtube.com" if rest == "feeds/videos.xml" => Some(youtube_feed(&dir, request)),
        "vimeo.com" if rest == "api/oembed.json" => vimeo_oembed(&dir, request),
        _ => None,
    }
}

fn json(status: u16, body: impl Into<Vec<u8>>) -> Reply {
    let mut reply = Reply::ok("application/json; charset=UTF-8", body);
    reply.status = status;
    reply
}

/// A parameter safe to use in a file name: letters, digits and `-_@.,`.
fn safe(value: &str) -> Option<&str> {
    let ok = !value.is_empty()
        && !value.contains("..")
        && value
            .chars()
            .all(|c| c.is_alphanumeric() || "-_@.,:".contains(c));
    ok.then_some(value)
}

fn read(path: &Path) -> Option<String> {
    std::fs::read_to_string(path).ok()
}

/// Google's error envelope.
fn google_error(code: u16, reason: &str, domain: &str, message: &str) -> Reply {
    json(
        code,
        format!(
            r#"{{"error":{{"code":{code},"message":"{message}","errors":[{{"message":"{message}","domain":"{domain}","reason":"{reason}"}}]}}}}"#
        ),
    )
}

/// The Data API v3: the key `spent` has used the day's quota, `bad` is not a key; `videos`
/// answers are composed from one file per video, and ids without one are left out, as
/// YouTube leaves out private and deleted videos.
fn youtube(dir: &Path, resource: &str, request: &Request) -> Reply {
    match request.param("key").as_deref() {
        None | Some("") => {
            return google_error(
                403,
                "forbidden",
                "global",
                "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
            );
        }
        Some("bad") => {
            return google_error(
                400,
                "badRequest",
                "global",
                "API key not valid. Please pass a valid API key.",
            );
        }
        Some("spent") => {
            return google_error(
                403,
                "quotaExceeded",
                "youtube.quota",
                r"The request cannot be completed because you have exceeded your \u003ca href=\u0022/youtube/v3/getting-started#quota\u0022\u003equota\u003c/a\u003e.",
            );
        }
        Some(_) => {}
    }
    let param = |name: &str| request.param(name).filter(|v| safe(v).is_some());
    let empty = r#"{"kind":"youtube#listResponse","pageInfo":{"totalResults":0,"resultsPerPage":5},"items":[]}"#;
    match resource {
        "videos" => {
            let ids = param("id").unwrap_or_default();
            let found: Vec<String> = ids
                .split(',')
                .filter_map(|id| read(&dir.join("videos").join(format!("{id}.json"))))
                .collect();
            json(
                200,
                format!(
                    r#"{{"kind":"youtube#videoListResponse","etag":"vl","items":[{}],"pageInfo":{{"totalResults":{n},"resultsPerPage":{n}}}}}"#,
                    found.join(","),
                    n = found.len()
                ),
            )
        }
        "playlistItems" => {
            let list = param("playlistId").unwrap_or_default();
            let name = match param("pageToken") {
                Some(token) => format!("{list}.{token}.json"),
                None => format!("{list}.json"),
            };
            match read(&dir.join("playlistItems").join(name)) {
                Some(body) => json(200, body),
                None => google_error(
                    404,
                    "playlistNotFound",
                    "youtube.playlistItem",
                    r"The playlist identified with the request's \u003ccode\u003eplaylistId\u003c/code\u003e parameter cannot be found.",
                ),
            }
        }
        "channels" | "playlists" | "search" => {
            let key = ["id", "forHandle", "forUsername", "channelId"]
                .iter()
                .find_map(|name| param(name))
                .unwrap_or_default();
            let body = read(&dir.join(resource).join(format!("{key}.json")));
            json(200, body.unwrap_or_else(|| empty.to_string()))
        }
        _ => google_error(404, "notFound", "global", "Not Found"),
    }
}

/// The keyless feeds: `feeds/videos.xml?playlist_id=…` is `feeds/playlist_id.<id>.xml`.
fn youtube_feed(dir: &Path, request: &Request) -> Reply {
    let chosen = ["playlist_id", "channel_id", "user"]
        .iter()
        .find_map(|name| request.param(name).map(|v| (*name, v)));
    let file = chosen
        .filter(|(_, v)| safe(v).is_some())
        .and_then(|(name, v)| read(&dir.join("feeds").join(format!("{name}.{v}.xml"))));
    match file {
        Some(body) => Reply::ok("text/xml; charset=UTF-8", body),
        None => Reply::not_found(),
    }
}

/// Dailymotion's legacy API: `/video/x1` is `video/x1.json`, a listing's page N is
/// `….pN.json`, and `/videos?owners=…&tags=…` is `videos.<owners>.<tags>.json`. Unless
/// `family_filter=false`, a listing's `….family.json` is served instead when there is one,
/// as Dailymotion hides explicit videos by default.
fn dailymotion(dir: &Path, rest: &str, request: &Request) -> Reply {
    let mut name = if rest == "videos" {
        let owners = request.param("owners").unwrap_or_default();
        let tags = request.param("tags").unwrap_or_default();
        format!("videos.{owners}.{tags}")
    } else {
        rest.to_string()
    };
    if request.param("page").is_some_and(|p| p != "1") {
        name.push_str(&format!(".p{}", request.param("page").unwrap_or_default()));
    }
    let filtered = request.param("family_filter").as_deref() != Some("false");
    let family = dir.join(format!("{name}.family.json"));
    let path = if filtered && family.exists() {
        family
    } else {
        dir.join(format!("{name}.json"))
    };
    match safe(&name.replace('/', "_")).and_then(|_| read(&path)) {
        Some(body) => json(200, body),
        None => {
            let id = rest.rsplit('/').next().unwrap_or_default();
            json(
                404,
                format!(
                    r#"{{"error":{{"more_info":"https://developer.dailymotion.com/api#error-codes","code":404,"message":"Can't find object video for `id' parameter","type":"not_found","error_data":{{"reason":"object_not_found","object_type":"video","object_id":"{id}","param":"id"}}}}}}"#
                ),
            )
        }
    }
}

/// Vimeo's API needs `Authorization: bearer <token>`; the token `limited` has used its
/// rate limit. `/users/x/albums/y/videos?page=2` is `users/x/albums/y/videos.p2.json`.
fn vimeo(dir: &Path, rest: &str, request: &Request) -> Reply {
    let auth = request.header("authorization").unwrap_or_default();
    let token = auth
        .strip_prefix("bearer ")
        .or_else(|| auth.strip_prefix("Bearer "));
    match token {
        None | Some("") => {
            return json(
                401,
                r#"{"error":"You must provide a valid authenticated access token.","link":null,"developer_message":"You must provide a valid authenticated access token.","error_code":8003}"#,
            );
        }
        Some("limited") => {
            return json(
                429,
                r#"{"error":"Too many API requests. Please try again later.","developer_message":"Rate limit exceeded","error_code":9000}"#,
            )
            .header("X-RateLimit-Limit", "100")
            .header("X-RateLimit-Remaining", "0")
            .header("Retry-After", "0");
        }
        Some(_) => {}
    }
    let mut name = rest.to_string();
    if let Some(page) = request.param("page").filter(|p| p != "1") {
        name.push_str(&format!(".p{page}"));
    }
    match safe(&name.replace('/', "_")).and_then(|_| read(&dir.join(format!("{name}.json")))) {
        Some(body) => json(200, body),
        None => json(
            404,
            r#"{"error":"The requested video couldn't be found.","developer_message":"The requested video couldn't be found.","error_code":5000}"#,
        ),
    }
}

/// Vimeo's oEmbed answer for a showcase or a video that has its own file
/// (`api/oembed/showcase.<id>.json`, `api/oembed/<id>.json`); other videos get the
/// endpoint's one static answer.
fn vimeo_oembed(dir: &Path, request: &Request) -> Option<Reply> {
    let target = request.param("url")?;
    let mut segments = target.trim_end_matches('/').rsplit('/');
    let last = segments.next()?;
    let name = match segments.next() {
        Some("showcase") => format!("showcase.{last}"),
        _ => target
            .split('/')
            .find(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))?
            .to_string(),
    };
    let body = safe(&name).and_then(|n| read(&dir.join("api/oembed").join(format!("{n}.json"))))?;
    Some(json(200, body))
}

/// The first `maxlag` request of a run is told the database lags, as a loaded wiki does.
static LAGGED: AtomicBool = AtomicBool::new(false);

/// The MediaWiki API: a descriptive User-Agent is required; the category, titles or page a
/// query names, and its continuation, pick `api/<name>[.<continue>].json`. The title
/// `Category:Lagging` answers `maxlag` once.
fn commons(dir: &Path, request: &Request) -> Reply {
    let agent = request.header("user-agent").unwrap_or_default();
    if !agent.contains('(') {
        return Reply::status(403).body(crate::server::Body::Full(
            b"Please comply with the User-Agent policy: https://meta.wikimedia.org/wiki/User-Agent_policy"
                .to_vec(),
        ));
    }
    let title = ["gcmtitle", "titles", "pageids"]
        .iter()
        .find_map(|name| request.param(name))
        .unwrap_or_default()
        .replace(' ', "_");
    if title == "Category:Lagging" && !LAGGED.swap(true, Ordering::SeqCst) {
        return json(
            200,
            r#"{"error":{"code":"maxlag","info":"Waiting for 10.64.16.8: 7 seconds lagged.","host":"10.64.16.8","lag":7,"type":"db","*":"See https://commons.wikimedia.org/w/api.php for API usage."},"servedby":"mw1234"}"#,
        )
        .header("Retry-After", "0")
        .header("X-Database-Lag", "7");
    }
    let generator = request.param("generator").unwrap_or_default();
    let title = title.replace(':', "_");
    let mut name = if generator.is_empty() {
        title.clone()
    } else {
        format!("{generator}.{title}")
    };
    if let Some(more) = ["gcmcontinue", "gimcontinue", "iicontinue"]
        .iter()
        .find_map(|name| request.param(name))
    {
        name.push_str(&format!(".{}", more.replace('|', "_")));
    }
    match safe(&name).and_then(|n| read(&dir.join("api").join(format!("{n}.json")))) {
        Some(body) => json(200, body),
        None => json(
            200,
            format!(
                r#"{{"batchcomplete":true,"query":{{"pages":[{{"ns":6,"title":"{}","missing":true}}]}}}}"#,
                title.replacen('_', ":", 1)
            ),
        ),
    }
}

/// The NASA Image and Video Library: `/search?nasa_id=X` is `search/nasa_id.X.json`,
/// `/search?q=…&page=N` is `search/q.<q>[.pN].json`, `/asset/X` is `asset/X.json`.
fn nasa(dir: &Path, rest: &str, request: &Request) -> Reply {
    let name = match rest {
        "search" => {
            let (key, value) = ["nasa_id", "q", "keywords"]
                .iter()
                .find_map(|k| request.param(k).map(|v| (*k, v)))
                .unwrap_or(("", String::new()));
            let mut name = format!("search/{key}.{}", value.replace(' ', "_"));
            if let Some(page) = request.param("page").filter(|p| p != "1") {
                name.push_str(&format!(".p{page}"));
            }
            name
        }
        other => other.to_string(),
    };
    let file = safe(&name.replace('/', "_")).and_then(|_| read(&dir.join(format!("{name}.json"))));
    match file {
        Some(body) => json(200, body),
        None => json(
            404,
            r#"{"reason": "No asset found with the given nasa_id."}"#,
        ),
    }
}

//! Reading one URL: a page, an album or a file, fresh or confirmed unchanged.
//!
//! Items go to a sink as soon as they are read (a long album streams page by page); what else
//! the URL gave comes back as a [`Visited`].

use std::collections::HashSet;
use std::sync::Arc;
use url::Url;

use super::cache;
use super::route::Route;
use super::seed::{Seed, load_file};
use crate::extract;
use crate::extract::oembed::Embed;
use crate::fetch::{Fetched, Fetcher, Purpose, Response};
use crate::flickr::{FlickrClient, FlickrError, FlickrTarget, ItemSink};
use crate::model::{Completion, Extracted, Item, Kind, Page, Pending, Role};
use crate::state::{CollectionRecord, CrawlState, PageRecord, Run};
use crate::urls;

/// The crawl's shared tools, cloned into every task.
#[derive(Clone)]
pub(super) struct Context {
    pub(super) fetcher: Fetcher,
    pub(super) flickr: FlickrClient,
    pub(super) extract: Arc<extract::Config>,
    pub(super) state: Arc<CrawlState>,
    pub(super) run: Run,
    /// Whether to read the sitemaps robots.txt lists for each seed's host.
    pub(super) sitemaps: bool,
}

/// What a URL gave besides its items.
#[derive(Debug, Default)]
pub(super) struct Visited {
    /// Links to the next level.
    pub(super) links: Vec<Url>,
    /// More of the same source, to read now: not a level further.
    pub(super) follow: Vec<Url>,
    /// Flickr photos read from a public album feed, for want of an API key.
    pub(super) keyless_flickr: usize,
    /// Served from a public address: its links may only lead to public addresses.
    pub(super) public: bool,
    /// A seed's campaign hashtags.
    pub(super) hashtags: Vec<String>,
    /// A seed's own URL, when it declares one.
    pub(super) release: Option<String>,
    /// A seed's title.
    pub(super) title: Option<String>,
    /// Items known from before and confirmed without being read again.
    pub(super) confirmed: Vec<String>,
    /// Items that left the listing since it was last read.
    pub(super) gone: Vec<String>,
    /// What to remember of the URL once its items are committed.
    pub(super) record: Option<Record>,
    /// Something the user can fix (a missing API key).
    pub(super) warning: Option<String>,
}

/// What is remembered of a URL.
#[derive(Debug)]
pub(super) enum Record {
    /// A page, by its URL.
    Page(Box<PageRecord>),
    /// A listing, by its URL.
    Collection(CollectionRecord),
}

/// Reads a seed: a file, a page or an album.
pub(super) async fn seed(
    ctx: &Context,
    seed: &Seed,
    sink: &mut impl ItemSink,
) -> Result<Visited, String> {
    match seed {
        Seed::File(path) => {
            let path = path.clone();
            let page = tokio::task::spawn_blocking(move || load_file(&path))
                .await
                .map_err(|e| e.to_string())?
                .map_err(|e| format!("cannot read {}: {e}", seed.url()))?;
            Ok(read_page(ctx, page, None, false, sink).await)
        }
        Seed::Url(url) => {
            let mut visited =
                link(ctx, url, super::route::route(url), Role::Seed, false, sink).await?;
            if ctx.sitemaps {
                visited.follow.extend(ctx.fetcher.sitemaps_for(url).await);
            }
            Ok(visited)
        }
    }
}

/// Reads a URL reached by the crawl, as routed.
pub(super) async fn link(
    ctx: &Context,
    url: &Url,
    route: Route,
    role: Role,
    from_public: bool,
    sink: &mut impl ItemSink,
) -> Result<Visited, String> {
    match route {
        Route::Flickr(target @ FlickrTarget::Album { .. }) => album(ctx, url, &target, sink).await,
        Route::Flickr(target) => photo(ctx, &target, sink).await,
        Route::Embed(embed) => Ok(player(ctx, &embed, sink).await),
        Route::Page => page(ctx, url, role, from_public, sink).await,
        Route::Skip => Ok(Visited::default()),
    }
}

async fn page(
    ctx: &Context,
    url: &Url,
    role: Role,
    from_public: bool,
    sink: &mut impl ItemSink,
) -> Result<Visited, String> {
    let known = ctx.state.page(url.as_str()).map_err(|e| e.to_string())?;
    if let Some(record) = known.as_ref().filter(|r| r.run == ctx.run.id) {
        // Read by this very run before it was interrupted: not fetched again.
        return Ok(reused(record.clone(), ctx.run));
    }
    let validators = match cache::plan(url, known.as_ref().and_then(|r| r.cache.as_ref())) {
        cache::Plan::Fresh => {
            let record = known.expect("only a stored page can be fresh");
            return Ok(reused(record, ctx.run));
        }
        cache::Plan::Ask(validators) => validators,
    };
    let purpose = if from_public {
        Purpose::PublicLink
    } else {
        Purpose::Page
    };
    let fetched = ctx
        .fetcher
        .get_if_changed(url, purpose, validators.as_ref())
        .await
        .map_err(|e| e.to_string())?;
    match (fetched, known) {
        (Fetched::Unchanged(answer), Some(mut record)) => {
            record.cache = record
                .cache
                .map(|policy| cache::after_unchanged(url, &policy, &answer));
            Ok(reused(record, ctx.run))
        }
        (Fetched::Unchanged(_), None) => Err("HTTP 304 to an unconditional request".into()),
        (Fetched::Changed(response), _) => {
            let public = ctx.fetcher.served_publicly(&response);
            let policy = cache::after_full(url, &response);
            let page = page_of(response, role);
            let mut visited = read_page(ctx, page, policy, public, sink).await;
            visited.public = public;
            if is_public_album_feed(url) {
                visited.keyless_flickr = visited.record.as_ref().map_or(0, |r| match r {
                    Record::Page(page) => page.items.len(),
                    Record::Collection(_) => 0,
                });
            }
            Ok(visited)
        }
    }
}

fn page_of(response: Response, role: Role) -> Page {
    // A sitemap may come gzipped without saying so in its headers.
    let body = match extract::sitemap::gunzip(&response.body) {
        Some(bytes) if response.url.path().ends_with(".gz") => {
            crate::fetch::decode::decode(&bytes, response.header("content-type"))
        }
        _ => response.text(),
    };
    Page {
        content_type: response.media_type(),
        body,
        url: response.url,
        role,
    }
}

/// Flickr's public album feed, read for want of an API key.
fn is_public_album_feed(url: &Url) -> bool {
    url.path().ends_with("/services/feeds/photoset.gne")
}

/// A page that has not changed: its items are confirmed, its links followed as recorded.
fn reused(mut record: PageRecord, run: Run) -> Visited {
    record.run = run.id;
    Visited {
        links: record
            .links
            .iter()
            .filter_map(|l| Url::parse(l).ok())
            .collect(),
        public: record.public,
        hashtags: record.hashtags.clone(),
        release: record.release.clone(),
        title: record.title.clone(),
        confirmed: record.items.clone(),
        follow: record
            .follow
            .iter()
            .filter_map(|l| Url::parse(l).ok())
            .collect(),
        record: Some(Record::Page(Box::new(record))),
        ..Visited::default()
    }
}

/// Extraction is CPU work on a parsed tree: it runs off the async workers. Items waiting
/// for one more answer get it before they are handed over.
async fn read_page(
    ctx: &Context,
    page: Page,
    cache: Option<http_cache_semantics::CachePolicy>,
    public: bool,
    sink: &mut impl ItemSink,
) -> Visited {
    let role = page.role;
    let config = ctx.extract.clone();
    let mut extracted: Extracted =
        tokio::task::spawn_blocking(move || extract::extract(&page, &config))
            .await
            .unwrap_or_default();
    let purpose = if public {
        Purpose::PublicLink
    } else {
        Purpose::Page
    };
    for pending in std::mem::take(&mut extracted.pending) {
        extracted
            .items
            .extend(complete(ctx, pending, purpose).await);
    }
    let release = (role == Role::Seed)
        .then(|| {
            extracted
                .items
                .iter()
                .find(|i| i.kind == Kind::Article)
                .map(|i| i.id.clone())
        })
        .flatten();
    let title = extracted.items.iter().find_map(|i| i.title.clone());
    let record = PageRecord {
        run: ctx.run.id,
        cache,
        public,
        links: extracted.links.iter().map(Url::to_string).collect(),
        follow: extracted.follow.iter().map(Url::to_string).collect(),
        items: extracted.items.iter().map(|i| i.id.clone()).collect(),
        hashtags: extracted.hashtags.clone(),
        title: title.clone(),
        release: release.clone(),
    };
    sink.take(extracted.items).await;
    Visited {
        links: extracted.links,
        follow: extracted.follow,
        public,
        hashtags: extracted.hashtags,
        release,
        title,
        record: Some(Record::Page(Box::new(record))),
        ..Visited::default()
    }
}

/// Asks the one more question a pending item needs. A platform's oEmbed endpoint is a
/// documented API, not a page to crawl; a library's file address is one of its pages.
async fn complete(ctx: &Context, pending: Pending, page_purpose: Purpose) -> Option<Item> {
    let purpose = match pending.completion {
        Completion::OEmbed { .. } => Purpose::Api,
        Completion::LibraryMedia => page_purpose,
    };
    let answer = match ctx.fetcher.get(&pending.request, purpose).await {
        Ok(response) => Some(response.text()),
        Err(error) => {
            tracing::info!("{}: {error}; keeping what the page said", pending.request);
            None
        }
    };
    extract::complete(pending, answer.as_deref())
}

/// A link straight to a video platform: the video is an item without fetching its page.
async fn player(ctx: &Context, embed: &Embed, sink: &mut impl ItemSink) -> Visited {
    let pending = Pending {
        item: extract::oembed::embed_item(embed),
        request: ctx.extract.oembed.request_url(embed),
        completion: Completion::OEmbed { confirm: false },
    };
    let items: Vec<Item> = complete(ctx, pending, Purpose::Api)
        .await
        .into_iter()
        .collect();
    sink.take(items).await;
    Visited::default()
}

/// An album: not paged through again when its update date has not changed, and what left
/// it since the last crawl is marked gone.
async fn album(
    ctx: &Context,
    url: &Url,
    target: &FlickrTarget,
    sink: &mut impl ItemSink,
) -> Result<Visited, String> {
    let FlickrTarget::Album { user, set_id } = target else {
        return Ok(Visited::default());
    };
    if ctx.flickr.config().api_key.is_none() {
        return keyless_album(ctx, url, sink).await;
    }
    let key = urls::canonical(url);
    let known = ctx.state.collection(&key).map_err(|e| e.to_string())?;
    if let Some(record) = known.as_ref().filter(|r| r.run == ctx.run.id) {
        return Ok(confirmed_listing(record.clone()));
    }
    let since = known.as_ref().and_then(|r| r.updated);
    let read = match ctx.flickr.album_into(user, set_id, since, sink).await {
        Ok(read) => read,
        Err(error) => return flickr_failure(error),
    };
    let (run, updated) = (ctx.run.id, read.album.date_update);
    if !read.changed {
        let items = known.map(|previous| previous.items).unwrap_or_default();
        return Ok(confirmed_listing(CollectionRecord {
            run,
            updated,
            items,
        }));
    }
    // A set, not a scan of the list: albums hold tens of thousands of photos.
    let listed: HashSet<&str> = read.ids.iter().map(String::as_str).collect();
    let gone = known
        .map(|previous| {
            previous
                .items
                .into_iter()
                .filter(|id| !listed.contains(id.as_str()))
                .collect()
        })
        .unwrap_or_default();
    let record = CollectionRecord {
        run,
        updated,
        items: read.ids,
    };
    Ok(Visited {
        gone,
        record: Some(Record::Collection(record)),
        ..Visited::default()
    })
}

/// A listing that has not changed: its items are confirmed, and remembered as they were.
/// Without a key, the album's own page points to its public feed: fewer items, fewer sizes,
/// but something. The page is read as the album it is, wherever `FLICKR_WEB_URL` serves it.
async fn keyless_album(
    ctx: &Context,
    url: &Url,
    sink: &mut impl ItemSink,
) -> Result<Visited, String> {
    let served_at = ctx.flickr.config().web_page(url);
    let response = ctx
        .fetcher
        .get(&served_at, Purpose::Page)
        .await
        .map_err(|e| e.to_string())?;
    let mut album_page = page_of(response, Role::Linked);
    album_page.url = url.clone();
    Ok(read_page(ctx, album_page, None, false, sink).await)
}

fn confirmed_listing(record: CollectionRecord) -> Visited {
    Visited {
        confirmed: record.items.clone(),
        record: Some(Record::Collection(record)),
        ..Visited::default()
    }
}

async fn photo(
    ctx: &Context,
    target: &FlickrTarget,
    sink: &mut impl ItemSink,
) -> Result<Visited, String> {
    match ctx.flickr.harvest(target).await {
        Ok(harvest) => {
            sink.take(harvest.items).await;
            Ok(Visited::default())
        }
        Err(error) => flickr_failure(error),
    }
}

/// Without a key the crawl goes on; the summary says what was skipped and how to fix it.
fn flickr_failure(error: FlickrError) -> Result<Visited, String> {
    match error {
        FlickrError::NoApiKey => Ok(Visited {
            warning: Some(error.to_string()),
            ..Visited::default()
        }),
        other => Err(other.to_string()),
    }
}

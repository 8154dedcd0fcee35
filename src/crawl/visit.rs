//! Reading one URL: through the source that claims it, or as a page, fresh or confirmed
//! unchanged.
//!
//! Items go to a sink as soon as they are read (a long album streams page by page); what else
//! the URL gave comes back as a [`Visited`].

use std::sync::Arc;
use url::Url;

use super::cache;
use super::seed::{Seed, load_file};
use crate::failure::{Failure, FailureKind};
use crate::fetch::{Fetched, Fetcher, Purpose};
use crate::model::{About, Extracted, Kind, Nature, Page, Role};
use crate::sources::{Context as SourceContext, Listing, Notice, Reading, Registry, Sink, Source};
use crate::state::{CollectionRecord, CrawlState, PageRecord, Run};
use crate::urls;

/// The crawl's shared tools, cloned into every task.
#[derive(Clone)]
pub(super) struct Context {
    pub(super) fetcher: Fetcher,
    pub(super) registry: Arc<Registry>,
    pub(super) state: Arc<CrawlState>,
    pub(super) run: Run,
    /// Whether to read the listings robots.txt names for each seed's host.
    pub(super) robots_listings: bool,
}

/// What a URL gave besides its items.
#[derive(Debug, Default)]
pub(super) struct Visited {
    /// Links to the next level.
    pub(super) links: Vec<Url>,
    /// More of the same source, to read now: not a level further.
    pub(super) follow: Vec<Url>,
    /// Served from a public address: its links may only lead to public addresses.
    pub(super) public: bool,
    /// What it is, and its title.
    pub(super) about: Option<About>,
    /// A seed's campaign hashtags, and its own URL when it declares one.
    pub(super) seed: SeedFacts,
    /// Items of a page known from before, confirmed without being read again.
    pub(super) confirmed: Vec<String>,
    /// What to remember of the URL once its items are committed.
    pub(super) record: Option<Record>,
    /// Things the user can fix (a missing API key).
    pub(super) warnings: Vec<String>,
    /// Things worth knowing, counted over the crawl.
    pub(super) notices: Vec<Notice>,
}

/// What a seed says about its campaigns and itself.
#[derive(Debug, Default)]
pub(super) struct SeedFacts {
    /// Its campaign hashtags.
    pub(super) hashtags: Vec<String>,
    /// The release's own id, when it declares one.
    pub(super) release: Option<String>,
}

/// What is remembered of a URL.
#[derive(Debug)]
pub(super) enum Record {
    /// A page, by its URL.
    Page(Box<PageRecord>),
    /// A listing read through, with the members the source did not hand over as it read:
    /// those it no longer lists are gone.
    Read(CollectionRecord, Vec<String>),
    /// A listing as it was: every member it had is confirmed.
    Kept(CollectionRecord),
}

/// Reads a seed: a file, a page or anything a source claims. `campaigns` are those the user
/// gave (`--campaign`): a seed's own hashtags are not known before it is read.
pub(super) async fn seed(
    ctx: &Context,
    seed: &Seed,
    campaigns: &[String],
    sink: &mut dyn Sink,
) -> Result<Visited, Failure> {
    match seed {
        Seed::File(path) => {
            let path = path.clone();
            let page = tokio::task::spawn_blocking(move || load_file(&path))
                .await
                .map_err(|e| Failure::new(FailureKind::Crash, e.to_string()))?
                .map_err(|e| {
                    Failure::new(
                        FailureKind::Unreadable,
                        format!("cannot read {}: {e}", seed.url()),
                    )
                })?;
            read_page(ctx, page, None, false, sink).await
        }
        Seed::Url(url) => {
            let mut visited = link(ctx, url, Role::Seed, false, campaigns, sink).await?;
            if ctx.robots_listings {
                visited
                    .follow
                    .extend(ctx.fetcher.listed_by_robots(url).await);
            }
            Ok(visited)
        }
    }
}

/// Reads a URL: through the source that claims it, else as a page. `campaigns` are those of
/// the seeds that led here.
pub(super) async fn link(
    ctx: &Context,
    url: &Url,
    role: Role,
    from_public: bool,
    campaigns: &[String],
    sink: &mut dyn Sink,
) -> Result<Visited, Failure> {
    let purpose = if from_public {
        Purpose::PublicLink
    } else {
        Purpose::Page
    };
    match ctx.registry.claimant(url) {
        Some(source) => claimed(ctx, source, url, purpose, campaigns, sink).await,
        None => page(ctx, url, role, purpose, sink).await,
    }
}

/// A URL a source reads itself. A listing is not read again by the run that read it before
/// it was interrupted; once read, the crawl confirms its unchanged members and marks those
/// that left it as gone.
async fn claimed(
    ctx: &Context,
    source: &dyn Source,
    url: &Url,
    purpose: Purpose,
    campaigns: &[String],
    sink: &mut dyn Sink,
) -> Result<Visited, Failure> {
    let key = urls::canonical(url);
    let known = ctx.state.collection(&key).map_err(state_failure)?;
    if let Some(record) = known.as_ref().filter(|r| r.run == ctx.run.id) {
        // Read by this very run before it was interrupted: its members are confirmed.
        return Ok(Visited {
            record: Some(Record::Kept(record.clone())),
            ..Visited::default()
        });
    }
    let known_update = known.as_ref().and_then(|r| r.updated);
    let mut cx = SourceContext::new(
        &ctx.fetcher,
        ctx.registry.clone(),
        purpose,
        known_update,
        campaigns,
        sink,
    );
    let reading = source.read(url, &mut cx).await?;
    Ok(visited_listing(reading, ctx.run))
}

fn visited_listing(reading: Reading, run: Run) -> Visited {
    let Reading {
        about,
        links,
        follow,
        listing,
        warnings,
        notices,
    } = reading;
    let mut visited = Visited {
        about,
        links,
        follow,
        warnings,
        notices,
        ..Visited::default()
    };
    visited.record = listing.map(|listing| match listing {
        Listing::Unchanged { updated } => Record::Kept(CollectionRecord {
            run: run.id,
            updated,
        }),
        Listing::Read { updated, ids } => Record::Read(
            CollectionRecord {
                run: run.id,
                updated,
            },
            ids,
        ),
    });
    visited
}

async fn page(
    ctx: &Context,
    url: &Url,
    role: Role,
    purpose: Purpose,
    sink: &mut dyn Sink,
) -> Result<Visited, Failure> {
    let known = ctx.state.page(url.as_str()).map_err(state_failure)?;
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
    let fetched = ctx
        .fetcher
        .get_if_changed(url, purpose, validators.as_ref())
        .await?;
    match (fetched, known) {
        (Fetched::Unchanged(answer), Some(mut record)) => {
            record.cache = record
                .cache
                .map(|policy| cache::after_unchanged(url, &policy, &answer));
            Ok(reused(record, ctx.run))
        }
        (Fetched::Unchanged(_), None) => Err(Failure::new(
            FailureKind::HttpStatus,
            "HTTP 304 to an unconditional request",
        )),
        (Fetched::Changed(response), _) => {
            let public = ctx.fetcher.served_publicly(&response);
            let policy = cache::after_full(url, &response);
            // The body's share of memory stays taken until the page is read.
            let _lease = response.lease.clone();
            let page = ctx.fetcher.page(response, role);
            read_page(ctx, page, policy, public, sink).await
        }
    }
}

/// A page that has not changed: its items are confirmed, its links followed as recorded.
fn reused(mut record: PageRecord, run: Run) -> Visited {
    record.run = run.id;
    let parse = |links: &[String]| links.iter().filter_map(|l| Url::parse(l).ok()).collect();
    Visited {
        links: parse(&record.links),
        follow: parse(&record.follow),
        public: record.public,
        about: record.title.clone().map(|title| About {
            nature: record.nature.unwrap_or(Nature::Release),
            title: Some(title),
        }),
        seed: SeedFacts {
            hashtags: record.hashtags.clone(),
            release: record.release.clone(),
        },
        confirmed: record.items.clone(),
        record: Some(Record::Page(Box::new(record))),
        ..Visited::default()
    }
}

/// Every source reads the page off the async workers; items waiting for one more answer get
/// it before they are handed over. A seed that nothing can read is a failure; a linked file
/// that is not a page (an image, a PDF) just gives nothing.
async fn read_page(
    ctx: &Context,
    page: Page,
    cache: Option<http_cache_semantics::CachePolicy>,
    public: bool,
    sink: &mut dyn Sink,
) -> Result<Visited, Failure> {
    let role = page.role;
    let read = ctx.registry.clone().extract_off_thread(page).await?;
    let mut extracted = match read {
        Some(extracted) => extracted,
        None if role == Role::Seed => {
            return Err(Failure::new(
                FailureKind::Unreadable,
                "not a page, a feed or a release that can be read",
            ));
        }
        None => Extracted::default(),
    };
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
    let record = PageRecord {
        run: ctx.run.id,
        cache,
        public,
        links: extracted.links.iter().map(Url::to_string).collect(),
        follow: extracted.follow.iter().map(Url::to_string).collect(),
        items: extracted.items.iter().map(|i| i.id.clone()).collect(),
        hashtags: extracted.hashtags.clone(),
        title: extracted.about.as_ref().and_then(|a| a.title.clone()),
        nature: extracted.about.as_ref().map(|a| a.nature),
        release: release.clone(),
    };
    sink.take(extracted.items).await;
    Ok(Visited {
        notices: capped_notices(&extracted.capped),
        links: extracted.links,
        follow: extracted.follow,
        public,
        about: extracted.about,
        seed: SeedFacts {
            hashtags: extracted.hashtags,
            release,
        },
        record: Some(Record::Page(Box::new(record))),
        ..Visited::default()
    })
}

/// The caps a page passed, as notices the summary counts over the crawl.
fn capped_notices(capped: &[crate::model::Cap]) -> Vec<Notice> {
    capped
        .iter()
        .map(|&cap| Notice {
            count: 1,
            unit: "page".into(),
            message: format!(
                "{{count}} had {}; what came after was left out",
                crate::sources::bounds::describe(cap)
            ),
        })
        .collect()
}

/// Asks the one more question a pending item needs, and lets its source complete it. A
/// request to a documented API at a configured endpoint follows that API's rules; any other
/// follows the rules of the page that led to it.
async fn complete(
    ctx: &Context,
    pending: crate::model::Pending,
    page_purpose: Purpose,
) -> Option<crate::model::Item> {
    let purpose = if pending.api {
        Purpose::Api
    } else {
        page_purpose
    };
    let answer = match ctx.fetcher.get(&pending.request, purpose).await {
        Ok(response) => Some(response.text()),
        Err(error) => {
            tracing::info!("{}: {error}; keeping what the page said", pending.request);
            None
        }
    };
    ctx.registry.complete(pending, answer.as_deref())
}

fn state_failure(error: crate::state::StateError) -> Failure {
    Failure::caused_by(FailureKind::Storage, error)
}

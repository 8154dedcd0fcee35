//! The crawl: from seeds, through their links, to indexed and tagged items.
//!
//! It runs level by level. Level 0 reads every seed first, so that all campaign hashtags are
//! known before any item is tagged: an item's campaigns then never depend on which release
//! happened to be read first. Each later level fetches the links of the one before, up to
//! `--depth`. Extractors' own follow-up requests (API pages) do not count as levels.

mod report;
mod route;
mod seed;
mod writer;

use std::collections::{BTreeSet, HashMap};
use std::time::Instant;
use tokio::task::JoinSet;
use url::Url;

use crate::extract;
use crate::fetch::{Fetcher, Purpose};
use crate::flickr::{FlickrClient, FlickrError};
use crate::index::{ArchiveIndex, IndexError};
use crate::model::{Extracted, Item, Page, Role};
use crate::tag::{self, Campaigns};
use crate::urls;
pub use report::{CrawlReport, Failure, SeedReport, Warning};
pub use route::Route;
pub use seed::{Seed, SeedError, load_file};
use writer::WriterHandle;

/// What to crawl.
#[derive(Clone, Debug, Default)]
pub struct CrawlPlan {
    /// Where to start.
    pub seeds: Vec<Seed>,
    /// How many links away from a seed to go; 1 follows the seeds' own links.
    pub depth: u32,
    /// Campaigns given with `--campaign`, added to everything this crawl reaches.
    pub campaigns: Vec<String>,
}

/// Hears about the crawl's progress; the command line draws it, tests ignore it.
pub trait Observer: Send + Sync {
    /// A page or API resource is being read.
    fn started(&self, _what: &str) {}
    /// It has been read (or failed).
    fn finished(&self, _what: &str) {}
    /// Items were sent to the index.
    fn found(&self, _items: usize) {}
}

/// An observer that ignores everything.
pub struct Silent;
impl Observer for Silent {}

/// Why a crawl could not run at all. Failures of single pages are not errors: they are
/// listed in the [`CrawlReport`].
#[derive(Debug, thiserror::Error)]
pub enum CrawlError {
    /// The index could not be opened or written.
    #[error(transparent)]
    Index(#[from] IndexError),
}

/// What one fetched URL gave.
struct Visit {
    extracted: Extracted,
    /// The release's own URL, for seeds: its identity in `found_via`.
    release: Option<String>,
    warning: Option<String>,
}

/// The crawl's shared tools.
pub struct Crawler<'a> {
    fetcher: Fetcher,
    flickr: FlickrClient,
    index: &'a ArchiveIndex,
    observer: &'a dyn Observer,
}

/// Links to read next, each with the seeds (by index) that lead to it.
type Frontier = HashMap<Url, BTreeSet<usize>>;

fn add_links(frontier: &mut Frontier, links: Vec<Url>, from: &BTreeSet<usize>) {
    for link in links {
        frontier
            .entry(link)
            .or_default()
            .extend(from.iter().copied());
    }
}

/// Bookkeeping for URLs already read, so a page reached twice is fetched once and its items
/// still learn about every seed that leads to them.
#[derive(Default)]
struct Seen {
    by_url: HashMap<String, SeenUrl>,
}

impl Seen {
    fn record(&mut self, url: &Url, seeds: BTreeSet<usize>, items: Vec<String>) {
        self.by_url
            .insert(url.to_string(), SeenUrl { seeds, items });
    }
}

struct SeenUrl {
    seeds: BTreeSet<usize>,
    items: Vec<String>,
}

impl<'a> Crawler<'a> {
    /// A crawler writing into `index`.
    pub fn new(
        fetcher: Fetcher,
        flickr: FlickrClient,
        index: &'a ArchiveIndex,
        observer: &'a dyn Observer,
    ) -> Self {
        Crawler {
            fetcher,
            flickr,
            index,
            observer,
        }
    }

    /// Runs the whole crawl and commits its items.
    ///
    /// # Errors
    /// Only when the index cannot be used; everything else is in the report.
    pub async fn run(&self, plan: &CrawlPlan) -> Result<CrawlReport, CrawlError> {
        let started = Instant::now();
        let mut report = CrawlReport::default();
        let writer = WriterHandle::start(self.index)?;
        let outcome = self.crawl_into(&writer, plan, &mut report).await;
        let campaigns = match &outcome {
            Ok(campaigns) => campaigns.clone(),
            Err(_) => Campaigns::default(),
        };
        let written = tokio::task::spawn_blocking(move || writer.finish(campaigns))
            .await
            .map_err(|e| {
                IndexError::Tantivy(tantivy::TantivyError::InternalError(e.to_string()))
            })??;
        outcome?;
        report.written = written;
        report.campaigns = self.index.campaigns()?;
        report.elapsed = started.elapsed();
        Ok(report)
    }

    async fn crawl_into(
        &self,
        writer: &WriterHandle,
        plan: &CrawlPlan,
        report: &mut CrawlReport,
    ) -> Result<Campaigns, CrawlError> {
        let seeds = self.read_seeds(plan, report).await;
        let campaigns = self.campaigns_of(plan, &seeds)?;
        let tagging = Tagging::new(plan, &seeds, &campaigns);
        let mut seen = Seen::default();
        let mut frontier = Frontier::new();
        for (index, seed) in seeds.into_iter().enumerate() {
            let Some((url, visit)) = seed else { continue };
            let from = BTreeSet::from([index]);
            let ids = self
                .emit(writer, &tagging, &from, visit.extracted.items)
                .await?;
            report.seeds[index].items = ids.len();
            if plan.depth > 0 {
                add_links(&mut frontier, visit.extracted.links, &from);
            }
            seen.record(&url, from, ids);
        }
        for level in 1..=plan.depth {
            let follow_links = level < plan.depth;
            frontier = self
                .crawl_level(writer, &tagging, frontier, &mut seen, report, follow_links)
                .await?;
        }
        Ok(campaigns)
    }

    /// Every campaign the crawl knows once the seeds are read: the index's, the seeds'
    /// hashtags, and `--campaign`.
    fn campaigns_of(
        &self,
        plan: &CrawlPlan,
        seeds: &[Option<(Url, Visit)>],
    ) -> Result<Campaigns, CrawlError> {
        let mut campaigns = self.index.known_campaigns()?;
        let hashtags = seeds
            .iter()
            .flatten()
            .flat_map(|(_, v)| &v.extracted.hashtags);
        for name in plan.campaigns.iter().chain(hashtags) {
            campaigns.add(name);
        }
        Ok(campaigns)
    }

    /// Reads every seed concurrently. A seed that cannot be read is reported and skipped.
    async fn read_seeds(
        &self,
        plan: &CrawlPlan,
        report: &mut CrawlReport,
    ) -> Vec<Option<(Url, Visit)>> {
        let mut tasks = JoinSet::new();
        for (index, seed) in plan.seeds.iter().enumerate() {
            let seed = seed.clone();
            let fetcher = self.fetcher.clone();
            let flickr = self.flickr.clone();
            tasks.spawn(async move { (index, read_seed(&fetcher, &flickr, &seed).await) });
        }
        let mut results: Vec<Option<(Url, Visit)>> = plan.seeds.iter().map(|_| None).collect();
        report.seeds = plan
            .seeds
            .iter()
            .map(|s| SeedReport::new(&s.url()))
            .collect();
        while let Some(joined) = tasks.join_next().await {
            let Ok((index, result)) = joined else {
                continue;
            };
            let seed_report = &mut report.seeds[index];
            match result {
                Ok(visit) => {
                    seed_report.hashtags.clone_from(&visit.extracted.hashtags);
                    seed_report.title = visit.extracted.items.iter().find_map(|i| i.title.clone());
                    if let Some(message) = &visit.warning {
                        seed_report.error = Some(message.clone());
                        let url = plan.seeds[index].url().to_string();
                        report.warnings.push(Warning {
                            message: message.clone(),
                            url,
                        });
                    }
                    results[index] = Some((plan.seeds[index].url(), visit));
                }
                Err(reason) => seed_report.error = Some(reason),
            }
            self.observer.finished(plan.seeds[index].url().as_str());
        }
        results
    }

    /// Reads every link of one level, concurrently, and returns the links of the next.
    async fn crawl_level(
        &self,
        writer: &WriterHandle,
        tagging: &Tagging<'_>,
        frontier: Frontier,
        seen: &mut Seen,
        report: &mut CrawlReport,
        follow_links: bool,
    ) -> Result<Frontier, CrawlError> {
        let mut tasks = JoinSet::new();
        let mut origins = Frontier::new();
        for (url, from) in frontier {
            if let Some(earlier) = seen.by_url.get_mut(url.as_str()) {
                self.add_seeds(writer, tagging, earlier, &from).await?;
                continue;
            }
            let route = route::route(&url);
            if route == Route::Skip {
                report.not_followed += 1;
                continue;
            }
            self.observer.started(url.as_str());
            let (fetcher, flickr, task_url) =
                (self.fetcher.clone(), self.flickr.clone(), url.clone());
            tasks.spawn(async move {
                let result = visit_linked(&fetcher, &flickr, &task_url, route).await;
                (task_url, result)
            });
            origins.insert(url, from);
        }
        let mut next = Frontier::new();
        while let Some(joined) = tasks.join_next().await {
            // A task only ends without a result if it panicked: a bug, already printed.
            let Ok((url, result)) = joined else { continue };
            self.observer.finished(url.as_str());
            let from = origins.remove(&url).unwrap_or_default();
            let visit = match result {
                Ok(visit) => visit,
                Err(reason) => {
                    let url = url.to_string();
                    report.failures.push(Failure { url, reason });
                    continue;
                }
            };
            report.fetched += 1;
            if let Some(message) = visit.warning {
                let url = url.to_string();
                report.warnings.push(Warning { message, url });
            }
            let ids = self
                .emit(writer, tagging, &from, visit.extracted.items)
                .await?;
            if follow_links {
                add_links(&mut next, visit.extracted.links, &from);
            }
            seen.record(&url, from, ids);
        }
        Ok(next)
    }

    /// Tags items with the campaigns of the seeds they came from, and sends them to the index.
    async fn emit(
        &self,
        writer: &WriterHandle,
        tagging: &Tagging<'_>,
        from: &BTreeSet<usize>,
        items: Vec<Item>,
    ) -> Result<Vec<String>, CrawlError> {
        let mut ids = Vec::with_capacity(items.len());
        for mut item in items {
            tagging.apply(&mut item, from);
            ids.push(item.id.clone());
            writer.upsert(item).await?;
        }
        self.observer.found(ids.len());
        Ok(ids)
    }

    /// A page already read is reached from more seeds: its items join their campaigns too.
    async fn add_seeds(
        &self,
        writer: &WriterHandle,
        tagging: &Tagging<'_>,
        earlier: &mut SeenUrl,
        from: &BTreeSet<usize>,
    ) -> Result<(), CrawlError> {
        let new: BTreeSet<usize> = from.difference(&earlier.seeds).copied().collect();
        if new.is_empty() {
            return Ok(());
        }
        let found_via: Vec<String> = new.iter().map(|&s| tagging.seed_ids[s].clone()).collect();
        let campaigns: Vec<String> = new
            .iter()
            .flat_map(|&s| tagging.seed_keys[s].iter())
            .filter_map(|k| tagging.campaigns.spelling(k).map(str::to_string))
            .collect();
        for id in &earlier.items {
            writer
                .add_provenance(id.clone(), found_via.clone(), campaigns.clone())
                .await?;
        }
        earlier.seeds.extend(new);
        Ok(())
    }
}

/// Everything needed to tag an item, fixed once all seeds are read.
struct Tagging<'a> {
    campaigns: &'a Campaigns,
    /// Each seed's identity in `found_via`.
    seed_ids: Vec<String>,
    /// Each seed's campaign keys: its hashtags and the `--campaign` ones.
    seed_keys: Vec<BTreeSet<String>>,
}

impl<'a> Tagging<'a> {
    fn new(plan: &CrawlPlan, seeds: &[Option<(Url, Visit)>], campaigns: &'a Campaigns) -> Self {
        let run_keys: BTreeSet<String> = plan.campaigns.iter().map(|c| tag::key(c)).collect();
        let visits = seeds.iter().map(|s| s.as_ref().map(|(_, v)| v));
        Tagging {
            campaigns,
            seed_ids: visits
                .clone()
                .zip(&plan.seeds)
                .map(|(visit, seed)| seed_id(seed, visit))
                .collect(),
            seed_keys: visits
                .map(|visit| {
                    let hashtags = visit.into_iter().flat_map(|v| &v.extracted.hashtags);
                    let mut keys = run_keys.clone();
                    keys.extend(hashtags.map(|h| tag::key(h)));
                    keys
                })
                .collect(),
        }
    }

    fn apply(&self, item: &mut Item, from: &BTreeSet<usize>) {
        let mut given = BTreeSet::new();
        for &seed in from {
            given.extend(self.seed_keys[seed].iter().cloned());
            if !item.found_via.contains(&self.seed_ids[seed]) {
                item.found_via.push(self.seed_ids[seed].clone());
            }
        }
        item.found_via.sort();
        self.campaigns.settle(item, &given);
    }
}

/// A seed's identity in `found_via`: the release's own URL when it declares one, so the same
/// release read from a file and from the web is one seed.
fn seed_id(seed: &Seed, visit: Option<&Visit>) -> String {
    visit
        .and_then(|v| v.release.clone())
        .unwrap_or_else(|| match seed {
            Seed::Url(url) => urls::canonical(url),
            Seed::File(_) => seed.url().to_string(),
        })
}

async fn read_seed(fetcher: &Fetcher, flickr: &FlickrClient, seed: &Seed) -> Result<Visit, String> {
    let page = match seed {
        Seed::File(path) => {
            let path = path.clone();
            tokio::task::spawn_blocking(move || load_file(&path))
                .await
                .map_err(|e| e.to_string())?
                .map_err(|e| format!("cannot read {}: {e}", seed.url()))?
        }
        Seed::Url(url) => match route::route(url) {
            Route::Flickr(target) => {
                return harvest(flickr, &target).await.map_err(|e| e.to_string());
            }
            _ => fetch_page(fetcher, url, Role::Seed).await?,
        },
    };
    let visit = read_page(page).await;
    Ok(visit)
}

async fn visit_linked(
    fetcher: &Fetcher,
    flickr: &FlickrClient,
    url: &Url,
    route: Route,
) -> Result<Visit, String> {
    match route {
        Route::Flickr(target) => harvest(flickr, &target).await.map_err(|e| e.to_string()),
        Route::Page => Ok(read_page(fetch_page(fetcher, url, Role::Linked).await?).await),
        Route::Skip => Ok(Visit {
            extracted: Extracted::default(),
            release: None,
            warning: None,
        }),
    }
}

async fn harvest(
    flickr: &FlickrClient,
    target: &crate::flickr::FlickrTarget,
) -> Result<Visit, FlickrError> {
    match flickr.harvest(target).await {
        Ok(harvest) => Ok(Visit {
            extracted: Extracted {
                items: harvest.items,
                ..Extracted::default()
            },
            release: None,
            warning: None,
        }),
        // Without a key the crawl goes on; the summary says what was skipped and how to fix it.
        Err(error @ FlickrError::NoApiKey) => Ok(Visit {
            extracted: Extracted::default(),
            release: None,
            warning: Some(error.to_string()),
        }),
        Err(error) => Err(error),
    }
}

async fn fetch_page(fetcher: &Fetcher, url: &Url, role: Role) -> Result<Page, String> {
    let response = fetcher
        .get(url, Purpose::Page)
        .await
        .map_err(|e| e.to_string())?;
    Ok(Page {
        content_type: response.media_type(),
        body: response.text(),
        url: response.url,
        role,
    })
}

/// Extraction is CPU work on a parsed tree: it runs off the async workers.
async fn read_page(page: Page) -> Visit {
    let is_seed = page.role == Role::Seed;
    let extracted = tokio::task::spawn_blocking(move || extract::extract(&page))
        .await
        .unwrap_or_default();
    let release = if is_seed {
        extracted
            .items
            .iter()
            .find(|i| i.kind == crate::model::Kind::Article)
            .map(|i| i.id.clone())
    } else {
        None
    };
    Visit {
        extracted,
        release,
        warning: None,
    }
}

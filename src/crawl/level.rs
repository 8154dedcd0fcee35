//! One crawl run, level by level: the seeds, then their links, then theirs.

use std::collections::{BTreeSet, HashMap};
use tokio::sync::mpsc;
use tokio::task::JoinSet;
use url::Url;

use super::frontier::{Frontier, Reach, Seen, SeenUrl, add_links};
use super::report::{CrawlReport, Failure, SeedReport, Warning};
use super::route::{self, Route};
use super::tagging::{SeedFacts, Tagging};
use super::visit::{self, Context, Record, Visited};
use super::writer::WriterHandle;
use super::{CrawlError, CrawlPlan, Observer};
use crate::flickr::ItemSink;
use crate::index::ArchiveIndex;
use crate::model::{Item, Role};
use crate::tag::Campaigns;

/// What a linked URL's task reports, in order: its items as they are read, then the rest.
enum Event {
    Items(Url, Vec<Item>),
    Done(Url, Box<Result<Visited, String>>),
}

/// Streams a task's items to the crawl loop.
struct EventSink {
    url: Url,
    events: mpsc::Sender<Event>,
}

impl ItemSink for EventSink {
    async fn take(&mut self, items: Vec<Item>) {
        if !items.is_empty() {
            // If the loop is gone the crawl is over; the items have nowhere to go.
            let _ = self
                .events
                .send(Event::Items(self.url.clone(), items))
                .await;
        }
    }
}

/// Messages in flight from the readers of a level to the crawl loop.
const EVENT_QUEUE: usize = 8;

/// The URLs being read in a level: how each was reached, and the items it sent so far.
type Running = HashMap<Url, (Reach, Vec<String>)>;

/// The state of one run.
pub(super) struct Crawl<'a> {
    ctx: Context,
    writer: &'a WriterHandle,
    observer: &'a dyn Observer,
    report: CrawlReport,
    seen: Seen,
}

impl<'a> Crawl<'a> {
    pub(super) fn new(ctx: Context, writer: &'a WriterHandle, observer: &'a dyn Observer) -> Self {
        Crawl {
            ctx,
            writer,
            observer,
            report: CrawlReport::default(),
            seen: Seen::default(),
        }
    }

    pub(super) fn into_report(self) -> CrawlReport {
        self.report
    }

    /// Reads the seeds, then each level of links; returns the campaigns it knew.
    pub(super) async fn run(
        &mut self,
        plan: &CrawlPlan,
        index: &ArchiveIndex,
    ) -> Result<Campaigns, CrawlError> {
        let seeds = self.read_seeds(plan).await;
        let campaigns = known_campaigns(index, plan, &seeds)?;
        let facts: Vec<SeedFacts<'_>> = plan
            .seeds
            .iter()
            .zip(&seeds)
            .map(|(seed, read)| SeedFacts {
                seed,
                hashtags: read.as_ref().map_or(&[], |(v, _)| v.hashtags.as_slice()),
                release: read.as_ref().and_then(|(v, _)| v.release.as_deref()),
            })
            .collect();
        let tagging = Tagging::new(&facts, &plan.campaigns, &campaigns);
        let mut frontier = Frontier::new();
        let mut follow_ups = Frontier::new();
        for (index, read) in seeds.into_iter().enumerate() {
            let Some((visited, items)) = read else {
                continue;
            };
            let url = plan.seeds[index].url();
            let reach = Reach::seed(index);
            let mut ids = self.emit(&tagging, &reach, items).await?;
            ids.extend(visited.confirmed.iter().cloned());
            self.report.seeds[index].items = ids.len();
            self.report.keyless_flickr += visited.keyless_flickr;
            add_links(
                &mut follow_ups,
                visited.follow.clone(),
                &reach,
                visited.public,
            );
            let links = (plan.depth > 0).then_some(&mut frontier);
            self.absorb(&tagging, &url, reach, ids, visited, links)
                .await?;
        }
        // A seed's follow-ups (a sitemap's children, an album's feed, a library's pages) are
        // part of the seed, not a level further.
        let more = self
            .crawl_level(&tagging, follow_ups, plan.depth > 0)
            .await?;
        for (url, reach) in more {
            let public = reach.from_public;
            add_links(&mut frontier, vec![url], &reach, public);
        }
        for level in 1..=plan.depth {
            frontier = self
                .crawl_level(&tagging, frontier, level < plan.depth)
                .await?;
        }
        Ok(campaigns)
    }

    /// Reads every seed concurrently, keeping their items until campaigns are known.
    async fn read_seeds(&mut self, plan: &CrawlPlan) -> Vec<Option<(Visited, Vec<Item>)>> {
        let mut tasks = JoinSet::new();
        for (index, seed) in plan.seeds.iter().enumerate() {
            let (ctx, seed) = (self.ctx.clone(), seed.clone());
            tasks.spawn(async move {
                let mut items = Vec::new();
                let result = visit::seed(&ctx, &seed, &mut items).await;
                (index, result.map(|visited| (visited, items)))
            });
        }
        self.report.seeds = plan
            .seeds
            .iter()
            .map(|s| SeedReport::new(&s.url()))
            .collect();
        let mut results: Vec<Option<(Visited, Vec<Item>)>> =
            plan.seeds.iter().map(|_| None).collect();
        while let Some(joined) = tasks.join_next().await {
            let Ok((index, result)) = joined else {
                continue;
            };
            let url = plan.seeds[index].url();
            self.observer.finished(url.as_str());
            let seed_report = &mut self.report.seeds[index];
            match result {
                Ok((visited, items)) => {
                    seed_report.hashtags.clone_from(&visited.hashtags);
                    seed_report.title.clone_from(&visited.title);
                    if let Some(message) = visited.warning.clone() {
                        seed_report.error = Some(message.clone());
                        let url = url.to_string();
                        self.report.warnings.push(Warning { message, url });
                    }
                    results[index] = Some((visited, items));
                }
                Err(reason) => seed_report.error = Some(reason),
            }
        }
        results
    }

    /// Reads every link of one level concurrently, with the follow-ups they ask for (a
    /// library's later pages), and returns the links of the next level.
    async fn crawl_level(
        &mut self,
        tagging: &Tagging<'_>,
        frontier: Frontier,
        follow_links: bool,
    ) -> Result<Frontier, CrawlError> {
        // Each message may carry a whole page of an album (500 items): a short queue keeps
        // readers from running far ahead of the index.
        let (events, mut received) = mpsc::channel(EVENT_QUEUE);
        let mut running = Running::new();
        for (url, reach) in frontier {
            self.launch(tagging, url, reach, &events, &mut running)
                .await?;
        }
        let mut next = Frontier::new();
        while !running.is_empty() {
            // Every running task ends with a `Done`, even one that panics, so this returns.
            let Some(event) = received.recv().await else {
                break;
            };
            match event {
                Event::Items(url, items) => {
                    let Some((reach, ids)) = running.get_mut(&url) else {
                        continue;
                    };
                    ids.extend(self.emit(tagging, reach, items).await?);
                }
                Event::Done(url, result) => {
                    self.observer.finished(url.as_str());
                    let Some((reach, ids)) = running.remove(&url) else {
                        continue;
                    };
                    let follow = result
                        .as_ref()
                        .as_ref()
                        .map(|v| v.follow.clone())
                        .unwrap_or_default();
                    let links = follow_links.then_some(&mut next);
                    self.finish_link(tagging, &url, reach.clone(), ids, *result, links)
                        .await?;
                    for more in follow {
                        self.launch(tagging, more, reach.clone(), &events, &mut running)
                            .await?;
                    }
                }
            }
        }
        Ok(next)
    }

    /// Starts reading a URL, unless it is being read or was read already (then its items just
    /// learn about more seeds).
    async fn launch(
        &mut self,
        tagging: &Tagging<'_>,
        url: Url,
        reach: Reach,
        events: &mpsc::Sender<Event>,
        running: &mut Running,
    ) -> Result<(), CrawlError> {
        if let Some((underway, _)) = running.get_mut(&url) {
            underway.seeds.extend(reach.seeds);
            return Ok(());
        }
        if let Some(earlier) = self.seen.get_mut(&url) {
            return add_seeds(self.writer, tagging, earlier, &reach).await;
        }
        let route = route::route(&url);
        if route == Route::Skip {
            self.report.not_followed += 1;
            return Ok(());
        }
        self.observer.started(url.as_str());
        let (ctx, task_url, events) = (self.ctx.clone(), url.clone(), events.clone());
        let from_public = reach.from_public;
        tokio::spawn(async move {
            let mut sink = EventSink {
                url: task_url.clone(),
                events: events.clone(),
            };
            let read_url = task_url.clone();
            let reading = tokio::spawn(async move {
                visit::link(&ctx, &read_url, route, Role::Linked, from_public, &mut sink).await
            });
            let result = reading
                .await
                .unwrap_or_else(|e| Err(format!("internal error while reading it: {e}")));
            let _ = events.send(Event::Done(task_url, Box::new(result))).await;
        });
        running.insert(url, (reach, Vec::new()));
        Ok(())
    }

    async fn finish_link(
        &mut self,
        tagging: &Tagging<'_>,
        url: &Url,
        reach: Reach,
        mut ids: Vec<String>,
        result: Result<Visited, String>,
        next: Option<&mut Frontier>,
    ) -> Result<(), CrawlError> {
        let visited = match result {
            Ok(visited) => visited,
            Err(reason) => {
                self.report.failures.push(Failure {
                    url: url.to_string(),
                    reason,
                });
                return Ok(());
            }
        };
        self.report.fetched += 1;
        self.report.keyless_flickr += visited.keyless_flickr;
        if let Some(message) = visited.warning.clone() {
            self.report.warnings.push(Warning {
                message,
                url: url.to_string(),
            });
        }
        ids.extend(visited.confirmed.iter().cloned());
        self.absorb(tagging, url, reach, ids, visited, next).await
    }

    /// Everything but the fresh items: confirmed and gone items, what to remember, and links.
    async fn absorb(
        &mut self,
        tagging: &Tagging<'_>,
        url: &Url,
        reach: Reach,
        ids: Vec<String>,
        visited: Visited,
        next: Option<&mut Frontier>,
    ) -> Result<(), CrawlError> {
        let (found_via, campaigns) = tagging.provenance(&reach.seeds);
        for id in &visited.confirmed {
            self.writer
                .confirm(id.clone(), found_via.clone(), campaigns.clone(), true)
                .await?;
        }
        for id in visited.gone {
            self.writer.gone(id).await?;
        }
        match visited.record {
            Some(Record::Page(mut record)) => {
                record.items.clone_from(&ids);
                self.writer.page(url.to_string(), *record).await?;
            }
            Some(Record::Collection(record)) => {
                self.writer
                    .collection(crate::urls::canonical(url), record)
                    .await?;
            }
            None => {}
        }
        if let Some(next) = next {
            add_links(next, visited.links, &reach, visited.public);
        }
        self.seen.record(url, reach.seeds, ids);
        Ok(())
    }

    /// Tags freshly read items with their seeds' campaigns and sends them to the index.
    async fn emit(
        &self,
        tagging: &Tagging<'_>,
        reach: &Reach,
        items: Vec<Item>,
    ) -> Result<Vec<String>, CrawlError> {
        let mut ids = Vec::with_capacity(items.len());
        for mut item in items {
            tagging.apply(&mut item, &reach.seeds);
            ids.push(item.id.clone());
            self.writer.upsert(item).await?;
        }
        self.observer.found(ids.len());
        Ok(ids)
    }
}

/// Every campaign the crawl knows once the seeds are read: the index's, the seeds'
/// hashtags, and `--campaign`.
fn known_campaigns(
    index: &ArchiveIndex,
    plan: &CrawlPlan,
    seeds: &[Option<(Visited, Vec<Item>)>],
) -> Result<Campaigns, CrawlError> {
    let mut campaigns = index.known_campaigns()?;
    let hashtags = seeds.iter().flatten().flat_map(|(v, _)| &v.hashtags);
    for name in plan.campaigns.iter().chain(hashtags) {
        campaigns.add(name);
    }
    Ok(campaigns)
}

/// A page already read is reached from more seeds: its items join their campaigns too.
async fn add_seeds(
    writer: &WriterHandle,
    tagging: &Tagging<'_>,
    earlier: &mut SeenUrl,
    reach: &Reach,
) -> Result<(), CrawlError> {
    let new: BTreeSet<usize> = reach.seeds.difference(&earlier.seeds).copied().collect();
    if new.is_empty() {
        return Ok(());
    }
    let (found_via, campaigns) = tagging.provenance(&new);
    for id in &earlier.items {
        writer
            .confirm(id.clone(), found_via.clone(), campaigns.clone(), false)
            .await?;
    }
    earlier.seeds.extend(new);
    Ok(())
}

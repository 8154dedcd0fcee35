//! One crawl run, level by level: the seeds, then their links, then theirs.

use std::collections::{BTreeSet, HashMap};
use std::future::Future;
use std::pin::Pin;
use tokio::sync::mpsc;
use tokio::task::JoinError;
use url::Url;

use super::downloads::is_download;
use super::frontier::{Frontier, Reach, Seen, add_links};
use super::held::{self, Held};
use super::report::{CrawlReport, SeedReport};
use super::spill::Spilled;
use super::tagging::{SeedFacts, Tagging};
use super::turns::Turns;
use super::visit::{self, Context, Record, Visited};
use super::writer::WriterHandle;
use super::{CrawlError, CrawlPlan, Observer};
use crate::failure::{Failure, FailureKind};
use crate::index::ArchiveIndex;
use crate::model::{Item, Role};
use crate::sources::Sink;
use crate::tag::Campaigns;

/// What a reader task reports, in order: its items as they are read, then the rest. `K`
/// names the task: a seed's index, or a link's URL.
enum Event<K> {
    Items(K, Vec<Item>),
    Listed(K, Vec<String>),
    Expect(u64),
    Done(K, Box<Result<Visited, Failure>>),
}

/// Streams a task's items to the crawl loop.
struct EventSink<K> {
    key: K,
    events: mpsc::Sender<Event<K>>,
}

impl<K: Clone + Send + Sync + 'static> Sink for EventSink<K> {
    fn take(&mut self, items: Vec<Item>) -> Pin<Box<dyn Future<Output = ()> + Send + '_>> {
        Box::pin(async move {
            if !items.is_empty() {
                // If the loop is gone the crawl is over; the items have nowhere to go.
                let _ = self
                    .events
                    .send(Event::Items(self.key.clone(), items))
                    .await;
            }
        })
    }

    fn listed(&mut self, ids: Vec<String>) -> Pin<Box<dyn Future<Output = ()> + Send + '_>> {
        Box::pin(async move {
            if !ids.is_empty() {
                let _ = self.events.send(Event::Listed(self.key.clone(), ids)).await;
            }
        })
    }

    fn expect(&mut self, items: u64) {
        let _ = self.events.try_send(Event::Expect(items));
    }
}

/// Messages in flight from the readers to the crawl loop.
const EVENT_QUEUE: usize = 8;

/// The URLs being read in a level: how each was reached, and the items it sent so far.
type Running = HashMap<Url, (Reach, Spilled)>;

/// Members of a listing read per step when they are confirmed.
const MEMBERS_PER_STEP: usize = 1_000;

/// What a seed gave besides its items, which are held until campaigns are known.
type SeedRead = Option<Visited>;

/// The state of one run.
pub(super) struct Crawl<'a> {
    ctx: Context,
    writer: &'a WriterHandle,
    observer: &'a dyn Observer,
    report: CrawlReport,
    seen: Seen,
}

impl<'a> Crawl<'a> {
    pub(super) fn new(
        ctx: Context,
        writer: &'a WriterHandle,
        observer: &'a dyn Observer,
        seen: Seen,
    ) -> Self {
        Crawl {
            ctx,
            writer,
            observer,
            report: CrawlReport::default(),
            seen,
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
        let mut held = Held::new(plan.seeds.len(), index.dir(), held::IN_MEMORY);
        let seeds = self.read_seeds(plan, &mut held).await?;
        let campaigns = known_campaigns(index, plan, &seeds)?;
        let facts: Vec<SeedFacts<'_>> = plan
            .seeds
            .iter()
            .zip(&seeds)
            .map(|(seed, read)| SeedFacts {
                seed,
                hashtags: read.as_ref().map_or(&[], |v| v.seed.hashtags.as_slice()),
                release: read.as_ref().and_then(|v| v.seed.release.as_deref()),
            })
            .collect();
        let tagging = Tagging::new(&facts, &plan.campaigns, &campaigns);
        let mut frontier = Frontier::new();
        let mut follow_ups = Frontier::new();
        for (index, read) in seeds.into_iter().enumerate() {
            let Some(visited) = read else {
                continue;
            };
            let url = plan.seeds[index].url();
            let reach = Reach::seed(index);
            let mut spilled = Spilled::default();
            for items in held.take(index) {
                let items = items.map_err(CrawlError::Scratch)?;
                let ids = self.emit(&tagging, &reach, items).await?;
                self.spill(&mut spilled, &ids)?;
            }
            add_links(
                &mut follow_ups,
                visited.follow.clone(),
                &reach,
                visited.public,
            );
            let links = (plan.depth > 0).then_some(&mut frontier);
            self.report.seeds[index].items = self
                .absorb(&tagging, &url, reach, spilled, visited, links)
                .await?;
        }
        // A seed's follow-ups (an index's children, a listing's later pages) are
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

    /// Reads every seed concurrently, keeping their items until campaigns are known. Items
    /// are counted as they arrive, so progress shows from the first album page on.
    async fn read_seeds(
        &mut self,
        plan: &CrawlPlan,
        held: &mut Held,
    ) -> Result<Vec<SeedRead>, CrawlError> {
        let (events, mut received) = mpsc::channel(EVENT_QUEUE);
        for (index, seed) in plan.seeds.iter().enumerate() {
            self.observer.started(seed.url().as_str());
            let (ctx, seed) = (self.ctx.clone(), seed.clone());
            let campaigns = plan.campaigns.clone();
            spawn_reader(index, events.clone(), move |sink| {
                Box::pin(async move { visit::seed(&ctx, &seed, &campaigns, sink).await })
            });
        }
        drop(events);
        self.report.seeds = plan
            .seeds
            .iter()
            .map(|s| SeedReport::new(&s.url()))
            .collect();
        let mut results: Vec<SeedRead> = plan.seeds.iter().map(|_| None).collect();
        // Every seed task ends with a `Done`, even one that panics; the loop ends when all
        // senders are gone.
        while let Some(event) = received.recv().await {
            match event {
                Event::Items(index, found) => {
                    self.observer.found(found.len());
                    held.add(index, found).map_err(CrawlError::Scratch)?;
                }
                Event::Listed(index, ids) => {
                    let key = crate::urls::canonical(&plan.seeds[index].url());
                    self.writer.listed(key, ids).await?;
                }
                Event::Expect(count) => self.observer.expect(count),
                Event::Done(index, result) => {
                    self.observer.finished(plan.seeds[index].url().as_str());
                    results[index] = self.seed_done(index, *result);
                    if results[index].is_none() {
                        held.drop_seed(index);
                    }
                }
            }
        }
        Ok(results)
    }

    fn seed_done(&mut self, index: usize, result: Result<Visited, Failure>) -> Option<Visited> {
        let url = self.report.seeds[index].seed.to_string();
        let seed_report = &mut self.report.seeds[index];
        match result {
            Ok(visited) => {
                seed_report.describe(visited.about.as_ref(), &visited.seed.hashtags);
                if let Some(warning) = visited.warnings.first() {
                    seed_report.error = Some(warning.clone());
                }
                self.report.warn(&url, &visited.warnings);
                self.report.notice(&visited.notices);
                Some(visited)
            }
            Err(failure) => {
                seed_report.fail(&failure);
                if failure.kind == FailureKind::Crash {
                    self.report.failed(&url, &failure);
                }
                None
            }
        }
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
        let mut turns = Turns::new(self.ctx.fetcher.config().per_host);
        for (url, reach) in frontier {
            self.launch(tagging, url, reach, &events, (&mut running, &mut turns))
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
                    self.observer.found(items.len());
                    let Some((reach, spilled)) = running.get_mut(&url) else {
                        continue;
                    };
                    let ids = self.emit(tagging, reach, items).await?;
                    self.spill(spilled, &ids)?;
                }
                Event::Listed(url, ids) => {
                    self.writer
                        .listed(crate::urls::canonical(&url), ids)
                        .await?;
                }
                Event::Expect(count) => self.observer.expect(count),
                Event::Done(url, result) => {
                    self.observer.finished(url.as_str());
                    if let Some(waited) = turns.ended(&url)
                        && let Some((reach, _)) = running.get(&waited)
                    {
                        self.start(tagging, &waited, reach, &events);
                    }
                    let Some((reach, spilled)) = running.remove(&url) else {
                        continue;
                    };
                    let follow = result
                        .as_ref()
                        .as_ref()
                        .map(|v| v.follow.clone())
                        .unwrap_or_default();
                    let links = follow_links.then_some(&mut next);
                    self.finish_link(tagging, &url, reach.clone(), spilled, *result, links)
                        .await?;
                    for more in follow {
                        self.launch(
                            tagging,
                            more,
                            reach.clone(),
                            &events,
                            (&mut running, &mut turns),
                        )
                        .await?;
                    }
                }
            }
        }
        Ok(next)
    }

    /// Starts reading a URL when its host has a turn, else queues it; unless it is being read
    /// or was read already (then its items just learn about more seeds).
    async fn launch(
        &mut self,
        tagging: &Tagging<'_>,
        url: Url,
        reach: Reach,
        events: &mpsc::Sender<Event<Url>>,
        (running, turns): (&mut Running, &mut Turns),
    ) -> Result<(), CrawlError> {
        if let Some((underway, _)) = running.get_mut(&url) {
            underway.seeds.extend(reach.seeds);
            return Ok(());
        }
        if self.seen.get(&url).is_some() {
            return self.add_seeds(tagging, &url, &reach).await;
        }
        if self.ctx.registry.claimant(&url).is_none() && is_download(&url) {
            self.report.not_followed += 1;
            return Ok(());
        }
        if turns.start_or_wait(&url) {
            self.start(tagging, &url, &reach, events);
        }
        running.insert(url, (reach, Spilled::default()));
        Ok(())
    }

    /// Reads a URL on a task of its own, with the campaigns of the seeds that reach it so far.
    fn start(
        &self,
        tagging: &Tagging<'_>,
        url: &Url,
        reach: &Reach,
        events: &mpsc::Sender<Event<Url>>,
    ) {
        self.observer.started(url.as_str());
        let (ctx, task_url) = (self.ctx.clone(), url.clone());
        let from_public = reach.from_public;
        let (_, campaigns) = tagging.provenance(&reach.seeds);
        spawn_reader(url.clone(), events.clone(), move |sink| {
            Box::pin(async move {
                visit::link(&ctx, &task_url, Role::Linked, from_public, &campaigns, sink).await
            })
        });
    }

    async fn finish_link(
        &mut self,
        tagging: &Tagging<'_>,
        url: &Url,
        reach: Reach,
        spilled: Spilled,
        result: Result<Visited, Failure>,
        next: Option<&mut Frontier>,
    ) -> Result<(), CrawlError> {
        let visited = match result {
            Ok(visited) => visited,
            Err(failure) => {
                self.report.failed(url.as_str(), &failure);
                return Ok(());
            }
        };
        self.report.fetched += 1;
        self.report.warn(url.as_str(), &visited.warnings);
        self.report.notice(&visited.notices);
        self.absorb(tagging, url, reach, spilled, visited, next)
            .await?;
        Ok(())
    }

    /// Everything but the fresh items: confirmed items, what to remember, and links. Returns
    /// how many items the URL gave, fresh and confirmed.
    async fn absorb(
        &mut self,
        tagging: &Tagging<'_>,
        url: &Url,
        reach: Reach,
        mut spilled: Spilled,
        visited: Visited,
        next: Option<&mut Frontier>,
    ) -> Result<usize, CrawlError> {
        let (found_via, campaigns) = tagging.provenance(&reach.seeds);
        for id in &visited.confirmed {
            self.writer
                .confirm(id.clone(), found_via.clone(), campaigns.clone(), true)
                .await?;
        }
        self.spill(&mut spilled, &visited.confirmed)?;
        match visited.record {
            Some(Record::Page(mut record)) => {
                record.items = self
                    .seen
                    .spill()
                    .all(&spilled)
                    .map_err(CrawlError::Scratch)?;
                self.writer.page(url.to_string(), *record).await?;
            }
            Some(Record::Read(record, listed)) => {
                let key = crate::urls::canonical(url);
                if !listed.is_empty() {
                    self.writer.listed(key.clone(), listed).await?;
                }
                self.writer.collection(key, record, true).await?;
            }
            Some(Record::Kept(record)) => {
                let key = crate::urls::canonical(url);
                let provenance = (found_via, campaigns);
                self.confirm_members(&key, &provenance, &mut spilled)
                    .await?;
                self.writer.collection(key, record, false).await?;
            }
            None => {}
        }
        if let Some(next) = next {
            add_links(next, visited.links, &reach, visited.public);
        }
        let count = spilled.count();
        self.seen.record(url, reach.seeds, spilled);
        Ok(count)
    }

    /// Confirms every member of a listing as it was, step by step from the crawl state.
    async fn confirm_members(
        &mut self,
        key: &str,
        (found_via, campaigns): &(Vec<String>, Vec<String>),
        spilled: &mut Spilled,
    ) -> Result<(), CrawlError> {
        let mut after: Option<String> = None;
        loop {
            let members = self
                .ctx
                .state
                .members(key, after.as_deref(), MEMBERS_PER_STEP)?;
            let ids: Vec<String> = members.into_iter().map(|(id, _)| id).collect();
            let Some(last) = ids.last() else {
                return Ok(());
            };
            after = Some(last.clone());
            for id in &ids {
                self.writer
                    .confirm(id.clone(), found_via.clone(), campaigns.clone(), true)
                    .await?;
            }
            self.spill(spilled, &ids)?;
        }
    }

    /// A page already read is reached from more seeds: its items join their campaigns too.
    async fn add_seeds(
        &mut self,
        tagging: &Tagging<'_>,
        url: &Url,
        reach: &Reach,
    ) -> Result<(), CrawlError> {
        let Some(earlier) = self.seen.get(url) else {
            return Ok(());
        };
        let new: BTreeSet<usize> = reach.seeds.difference(&earlier.seeds).copied().collect();
        if new.is_empty() {
            return Ok(());
        }
        let (found_via, campaigns) = tagging.provenance(&new);
        for batch in self.seen.spill_ref().batches(&earlier.items) {
            for id in batch.map_err(CrawlError::Scratch)? {
                self.writer
                    .confirm(id, found_via.clone(), campaigns.clone(), false)
                    .await?;
            }
        }
        self.seen.add_seeds(url, &new);
        Ok(())
    }

    /// Keeps a URL's item ids until it is done, on disk.
    fn spill(&mut self, into: &mut Spilled, ids: &[String]) -> Result<(), CrawlError> {
        self.seen
            .spill()
            .add(into, ids)
            .map_err(CrawlError::Scratch)
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
            // Whatever a source let through, no text reaches the index with a control in it.
            crate::media::text::sanitize(&mut item);
            tagging.apply(&mut item, &reach.seeds);
            ids.push(item.id.clone());
            self.writer.upsert(item).await?;
        }
        Ok(ids)
    }
}

/// A reader's future, given where its items go.
type Reader = Box<
    dyn for<'s> FnOnce(
            &'s mut dyn Sink,
        )
            -> Pin<Box<dyn Future<Output = Result<Visited, Failure>> + Send + 's>>
        + Send,
>;

/// Runs a reader on its own task, streaming its items as events and ending with `Done`,
/// whatever happens: a reader that panics is a failure of its URL, kind `crash`, never a
/// silent gap.
fn spawn_reader<K: Clone + Send + Sync + 'static>(
    key: K,
    events: mpsc::Sender<Event<K>>,
    read: impl for<'s> FnOnce(
        &'s mut dyn Sink,
    )
        -> Pin<Box<dyn Future<Output = Result<Visited, Failure>> + Send + 's>>
    + Send
    + 'static,
) {
    let read: Reader = Box::new(read);
    tokio::spawn(async move {
        let mut sink = EventSink {
            key: key.clone(),
            events: events.clone(),
        };
        let reading = tokio::spawn(async move { read(&mut sink).await });
        let result = settled(reading.await);
        let _ = events.send(Event::Done(key, Box::new(result))).await;
    });
}

fn settled(joined: Result<Result<Visited, Failure>, JoinError>) -> Result<Visited, Failure> {
    match joined {
        Ok(result) => result,
        Err(error) if error.is_panic() => Err(Failure::crash(error.into_panic().as_ref())),
        Err(error) => Err(Failure::new(FailureKind::Crash, error.to_string())),
    }
}

/// Every campaign the crawl knows once the seeds are read: the index's, the seeds'
/// hashtags, and `--campaign`.
fn known_campaigns(
    index: &ArchiveIndex,
    plan: &CrawlPlan,
    seeds: &[SeedRead],
) -> Result<Campaigns, CrawlError> {
    let mut campaigns = index.known_campaigns()?;
    let hashtags = seeds.iter().flatten().flat_map(|v| &v.seed.hashtags);
    for name in plan.campaigns.iter().chain(hashtags) {
        campaigns.add(name);
    }
    Ok(campaigns)
}

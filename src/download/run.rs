//! A run: a few workers take the jobs in turn, then the pack's own files are written from
//! what they did and what earlier runs left.

use std::collections::{BTreeSet, HashSet, VecDeque};
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};
use url::Url;

use super::entry::{Entry, Status};
use super::journal::{Journal, Record};
use super::place::{place, sidecar};
use super::transfer::receive;
use super::{Context, DownloadError, FileError, Job, Observer, Options, Plan, Report, disk, pack};
use crate::fetch::{FetchError, Fetcher};

/// Downloads what `plan` says into `options.to`, and writes the pack's manifest, credits
/// and checksums.
///
/// # Errors
/// [`DownloadError`] when the pack itself cannot be written; a file that fails is in the
/// report, with its reason.
pub async fn run(
    fetcher: &Fetcher,
    plan: Plan,
    options: &Options,
    observer: Arc<dyn Observer>,
) -> Result<Report, DownloadError> {
    let pack_error = |path: &std::path::Path| {
        let path = path.to_path_buf();
        move |source| DownloadError::Pack { path, source }
    };
    std::fs::create_dir_all(&options.to).map_err(pack_error(&options.to))?;
    let _lock = disk::lock_pack(&options.to).map_err(|error| match error {
        disk::LockError::Held => DownloadError::Busy(options.to.clone()),
        disk::LockError::Io(source) => pack_error(&options.to)(source),
    })?;
    let folders: BTreeSet<&str> = plan
        .jobs
        .iter()
        .filter(|j| j.chosen.is_ok() && !j.folder.is_empty())
        .map(|j| j.folder.as_str())
        .collect();
    for folder in folders {
        let folder = options.to.join(folder);
        std::fs::create_dir_all(&folder).map_err(pack_error(&folder))?;
    }
    let (journal, known) = Journal::open(&options.to).map_err(pack_error(&options.to))?;
    observer.planned(plan.jobs.iter().filter(|j| j.chosen.is_ok()).count());
    let cx = Arc::new(Context {
        fetcher: fetcher.clone(),
        options: options.clone(),
        journal,
        known,
        observer,
        used: AtomicU64::new(0),
    });
    let earlier = earlier_files(&plan, options);
    let mut entries = work(&cx, plan.jobs.clone()).await;
    entries.extend(earlier);
    pack::write(&options.to, &options.query, &entries).map_err(pack_error(&options.to))?;
    compact(&cx, &entries, &plan.jobs).map_err(pack_error(&options.to))?;
    Ok(Report { entries })
}

/// What a run would do, without fetching: every item with its status (planned, unchanged,
/// skipped) and its file's path, the extension left as `*` until a server says.
pub fn preview(plan: &Plan, options: &Options) -> Vec<Entry> {
    plan.jobs
        .iter()
        .map(|job| match &job.chosen {
            Err(why) => Entry::of(&job.item, Status::Skipped).because(why.clone()),
            Ok(chosen) => match job.complete_in(&options.to) {
                Some(earlier) => Entry::of(&job.item, Status::Unchanged).with_file_of(earlier),
                None => {
                    let mut entry = Entry::of(&job.item, Status::Planned);
                    entry.file = Some(format!("{}.*", job.stem_path()));
                    entry.media_url = Some(chosen.url.to_string());
                    entry
                }
            },
        })
        .collect()
}

/// Runs the jobs on `options.in_flight` workers; entries come back in the jobs' order.
async fn work(cx: &Arc<Context>, jobs: Vec<Job>) -> Vec<Entry> {
    let count = jobs.len();
    let queue = Arc::new(Mutex::new(
        jobs.into_iter().enumerate().collect::<VecDeque<_>>(),
    ));
    let done = Arc::new(Mutex::new(vec![None; count]));
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..cx.options.in_flight.max(1) {
        let (cx, queue, done) = (cx.clone(), queue.clone(), done.clone());
        workers.spawn(async move {
            loop {
                let next = lock(&queue).pop_front();
                let Some((i, job)) = next else { break };
                let entry = process(&cx, &job).await;
                cx.observer.finished(&entry);
                lock(&done)[i] = Some((job, entry));
            }
        });
    }
    while workers.join_next().await.is_some() {}
    let done = std::mem::take(&mut *lock(&done));
    done.into_iter().flatten().map(|(_, entry)| entry).collect()
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

async fn process(cx: &Context, job: &Job) -> Entry {
    let chosen = match &job.chosen {
        Ok(chosen) => chosen,
        Err(why) => return Entry::of(&job.item, Status::Skipped).because(why.clone()),
    };
    match fetch_one(cx, job, &chosen.url).await {
        Ok(entry) => entry,
        Err(error) => {
            let failed = Entry::of(&job.item, Status::Failed).because(error.to_string());
            // A whole copy from an earlier run stays in the pack.
            match tokio::task::block_in_place(|| job.complete_in(&cx.options.to).cloned()) {
                Some(earlier) => failed.with_file_of(&earlier),
                None => Entry {
                    media_url: Some(chosen.url.to_string()),
                    ..failed
                },
            }
        }
    }
}

/// One file: asked only if changed when a whole copy is here, else fetched (or resumed).
async fn fetch_one(cx: &Context, job: &Job, url: &Url) -> Result<Entry, FileError> {
    let whole = match job.earlier {
        // Checksumming a whole earlier copy takes a while: other tasks move off this thread.
        Some(_) => tokio::task::block_in_place(|| job.complete_in(&cx.options.to).cloned()),
        None => None,
    };
    let earlier = job.earlier.as_ref().filter(|e| e.url == url.as_str());
    if let (Some(entry), Some(earlier)) = (whole, earlier) {
        let validators = earlier.validators();
        if validators.is_empty() {
            return unchanged(cx, job, &entry);
        }
        return match receive(cx, job, url, Some(validators)).await? {
            None => unchanged(cx, job, &entry),
            Some(received) if entry.received_sha256.as_ref() == Some(&received.sha256) => {
                let _ = std::fs::remove_file(&received.part);
                unchanged(cx, job, &entry)
            }
            Some(received) => place(cx, job, received, url.as_str()).await,
        };
    }
    let received = receive(cx, job, url, None).await?.ok_or_else(|| {
        FileError::Fetch(FetchError::Status {
            code: 304,
            retry_after: None,
        })
    })?;
    place(cx, job, received, url.as_str()).await
}

fn unchanged(cx: &Context, job: &Job, earlier: &Entry) -> Result<Entry, FileError> {
    let entry = Entry::of(&job.item, Status::Unchanged).with_file_of(earlier);
    sidecar(cx, job, &entry)?;
    Ok(entry)
}

/// The files earlier runs left that this one did not select, still whole in the pack.
fn earlier_files(plan: &Plan, options: &Options) -> Vec<Entry> {
    let selected: HashSet<&str> = plan.jobs.iter().map(|j| j.item.id.as_str()).collect();
    let mut kept: Vec<Entry> = plan
        .known
        .complete
        .values()
        .filter(|c| !selected.contains(c.entry.id.as_str()))
        .filter(|c| {
            c.entry
                .file
                .as_ref()
                .is_some_and(|f| options.to.join(f).is_file())
        })
        .map(|c| Entry {
            status: Status::Kept,
            reason: None,
            ..c.entry.clone()
        })
        .collect();
    kept.sort_by(|a, b| a.file.cmp(&b.file));
    kept
}

/// Rewrites the journal with what is true now: each file in the pack, and each `.part`
/// that a later run can resume.
fn compact(cx: &Context, entries: &[Entry], jobs: &[Job]) -> std::io::Result<()> {
    let known = Journal::peek(&cx.options.to);
    let mut records = Vec::new();
    for entry in entries.iter().filter(|e| e.in_pack()) {
        if let Some(complete) = known.complete.get(&entry.id) {
            let mut complete = complete.clone();
            complete.entry = Entry {
                status: Status::Downloaded,
                reason: None,
                ..entry.clone()
            };
            records.push(Record::Complete(Box::new(complete)));
        }
    }
    for job in jobs {
        if let Some(started) = known.started.get(&job.item.id)
            && cx.options.to.join(&started.part).is_file()
        {
            records.push(Record::Started(started.clone()));
        }
    }
    cx.journal.rewrite(&records)
}

//! Crawling one input as the web would serve it: its files answered by a loopback server
//! through the fetcher's mirror (so every URL keeps its public form), or replayed from its
//! WARC file, into a fresh index.

use std::sync::Arc;

use archive::crawl::{CrawlPlan, CrawlReport, Crawler, Seed, Silent};
use archive::fetch::{FetchConfig, Fetcher, Transport};
use archive::index::ArchiveIndex;
use archive::model::Item;
use archive::sources::{Registry, Settings};
use archive::warcfile::Replay;
use archive_test_support::server::{Reply, Request, TestServer};
use url::Url;

use super::expect::Expectation;

/// What a crawl of one input gave.
pub(crate) struct Outcome {
    pub(crate) report: CrawlReport,
    pub(crate) items: Vec<Item>,
}

/// One public URL the server answers, and what with.
struct Answer {
    url: Url,
    content_type: String,
    body: Vec<u8>,
}

/// Crawls the input's seed at depth 0 and returns the report and every item indexed.
pub(crate) fn crawl(expectation: &Expectation) -> Outcome {
    let seed = Seed::parse(&expectation.seed).expect("a seed URL");
    let (transport, config, _server) = match &expectation.replay {
        Some(warc) => {
            let replay = Replay::open(&expectation.file(warc)).expect("a readable WARC file");
            let config = quick_config(None);
            (Transport::Replay(Arc::new(replay)), config, None)
        }
        None => {
            let server = serve(expectation);
            let config = quick_config(Some(Url::parse(&server.origin()).unwrap()));
            (Transport::live(&config).unwrap(), config, Some(server))
        }
    };
    let fetcher = Fetcher::new(config, transport, None);
    let settings = Settings::from_pairs([("FLICKR_API_KEY", "realworld-key")])
        .replaying(expectation.replay.is_some());
    let registry = Arc::new(Registry::standard(&fetcher, &settings).unwrap());
    let dir = tempfile::tempdir().unwrap();
    let index = ArchiveIndex::open_or_create(dir.path()).unwrap();
    let plan = CrawlPlan {
        seeds: vec![seed],
        depth: 0,
        ..CrawlPlan::default()
    };
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let report = runtime
        .block_on(Crawler::new(fetcher, registry, &index, &Silent).run(&plan))
        .unwrap();
    let everything = archive::search::Request {
        limit: 10_000,
        ..archive::search::Request::new("")
    };
    let items = archive::search::run(&index, &everything)
        .map(|found| found.hits.into_iter().map(|hit| hit.item).collect())
        .unwrap_or_default();
    Outcome { report, items }
}

fn quick_config(mirror: Option<Url>) -> FetchConfig {
    FetchConfig {
        mirror,
        delay: std::time::Duration::ZERO,
        retries: 0,
        ..FetchConfig::default()
    }
}

/// A loopback server answering the input's files at their public URLs, laid out by host
/// as the fetcher's mirror asks for them (`/host/path?query`); anything else is a 404.
fn serve(expectation: &Expectation) -> TestServer {
    let answers: Vec<Answer> = expectation
        .serve
        .iter()
        .map(|served| Answer {
            url: Url::parse(&served.url).expect("a served URL"),
            content_type: served.content_type.clone(),
            body: std::fs::read(expectation.file(&served.file))
                .unwrap_or_else(|e| panic!("{}: {e}", served.file)),
        })
        .collect();
    TestServer::start(move |request| answer(&answers, request))
}

fn answer(answers: &[Answer], request: &Request) -> Reply {
    let mut segments = request.path.trim_start_matches('/').splitn(2, '/');
    let host = segments.next().unwrap_or_default();
    let path = format!("/{}", segments.next().unwrap_or_default());
    let pairs: Vec<(String, String)> = request
        .query
        .as_deref()
        .map(|q| {
            url::form_urlencoded::parse(q.as_bytes())
                .into_owned()
                .collect()
        })
        .unwrap_or_default();
    answers
        .iter()
        .find(|a| {
            a.url.host_str() == Some(host)
                && a.url.path() == path
                && a.url
                    .query_pairs()
                    .all(|(k, v)| pairs.iter().any(|(rk, rv)| *rk == k && *rv == v))
        })
        .map_or_else(Reply::not_found, |a| {
            Reply::ok(&a.content_type, a.body.clone())
        })
}

//! Extraction: how fast archive reads what it fetches, against a bare parse of the same bytes.
//!
//! - Flickr `getPhotos` pages of 500 photos → items, against `serde_json` parsing the same
//!   bodies into a `Value`.
//! - Press releases, press-kit galleries and media pages (the fixtures, replicated to a few MB)
//!   → `archive::sources::Registry::extract`, against html5ever (`scraper::Html::parse_document`)
//!   building the same documents.

use std::time::{Duration, Instant};

use anyhow::{Result, ensure};
use archive::model::{Page, Role};
use archive_test_support::site::{Links, expand};
use url::Url;

use crate::Context;
use crate::report::{Baseline, Figure};
use crate::stats::{interleaved, median};

/// (fixture path under tests/fixtures, the URL it is served at, how the crawl reaches it).
type Fixture = (&'static str, &'static str, Role);

const RELEASES: [Fixture; 2] = [
    (
        "site/press.cnes.example/en/next-soyuz-mission-csg-launch-cso-1-satellite",
        "https://press.cnes.example/en/next-soyuz-mission-csg-launch-cso-1-satellite",
        Role::Seed,
    ),
    (
        "site/press.cnes.example/en/cso-1-media-kit",
        "https://press.cnes.example/en/cso-1-media-kit",
        Role::Seed,
    ),
];

const GALLERIES: [Fixture; 1] = [(
    "gallery/press_kit_vs20.html",
    "https://presse.cnes.fr/fr/dossier-de-presse-vs20-cso-1",
    Role::Linked,
)];

const MEDIA_PAGES: [Fixture; 2] = [
    (
        "site/media.cnes.example/videos/vs20-launch",
        "https://media.cnes.example/videos/vs20-launch",
        Role::Linked,
    ),
    (
        "site/media.cnes.example/live",
        "https://media.cnes.example/live",
        Role::Linked,
    ),
];

pub(crate) fn measure(cx: &Context) -> Result<Vec<Figure>> {
    let rounds = if cx.quick { 3 } else { 7 };
    let megabytes = if cx.quick { 2 } else { 4 };
    let mut figures = vec![flickr(cx, rounds)?];
    for (name, what, fixtures) in [
        ("release_html", "press releases", &RELEASES[..]),
        ("gallery_html", "press-kit galleries", &GALLERIES[..]),
        (
            "media_page_html",
            "video pages (JSON-LD, Open Graph)",
            &MEDIA_PAGES[..],
        ),
    ] {
        figures.push(html(name, what, fixtures, megabytes, rounds)?);
    }
    Ok(figures)
}

fn flickr(cx: &Context, rounds: usize) -> Result<Figure> {
    let pages: u64 = if cx.quick { 20 } else { 60 };
    let bodies: Vec<Vec<u8>> = (0..pages)
        .map(|p| {
            cx.corpus
                .flickr_page(p * 500, 500, (p + 1, pages * 500), false)
                .into_bytes()
        })
        .collect();
    let parsed: usize = bodies
        .iter()
        .map(|b| archive::sources::flickr::album_page_items(b).map_or(0, |items| items.len()))
        .sum();
    ensure!(
        parsed == bodies.len() * 500,
        "the generated getPhotos pages gave {parsed} items"
    );
    let (subject, baseline) = interleaved(
        rounds,
        || -> Result<Duration> {
            let started = Instant::now();
            for body in &bodies {
                std::hint::black_box(archive::sources::flickr::album_page_items(body)?);
            }
            Ok(started.elapsed())
        },
        || {
            let started = Instant::now();
            for body in &bodies {
                std::hint::black_box(serde_json::from_slice::<serde_json::Value>(body)?);
            }
            Ok(started.elapsed())
        },
    )?;
    let items = parsed as f64;
    let bytes: usize = bodies.iter().map(Vec::len).sum();
    Ok(Figure::new(
        "extract.flickr_getphotos",
        format!(
            "{pages} getPhotos pages of 500 photos ({:.1} MB) → items",
            bytes as f64 / 1e6
        ),
        "items_per_s",
    )
    .value(items / median(&subject))
    .against(Baseline::new(
        "serde_json_value",
        "serde_json::from_slice::<Value> of the same bodies",
        Some(items / median(&baseline)),
    ))
    .runs(rounds))
}

fn html(
    name: &str,
    what: &str,
    fixtures: &[Fixture],
    megabytes: usize,
    rounds: usize,
) -> Result<Figure> {
    let pages = replicate(fixtures, megabytes << 20)?;
    let bytes: usize = pages.iter().map(|p| p.body.len()).sum();
    let fetcher = archive::fetch::Fetcher::live(archive::fetch::FetchConfig::default())?;
    let registry =
        archive::sources::Registry::standard(&fetcher, &archive::sources::Settings::default())?;
    let (subject, baseline) = interleaved(
        rounds,
        || -> Result<Duration> {
            let started = Instant::now();
            for page in &pages {
                std::hint::black_box(registry.extract(page));
            }
            Ok(started.elapsed())
        },
        || {
            let started = Instant::now();
            for page in &pages {
                std::hint::black_box(scraper::Html::parse_document(&page.body));
            }
            Ok(started.elapsed())
        },
    )?;
    let megabytes = bytes as f64 / 1e6;
    Ok(Figure::new(
        format!("extract.{name}"),
        format!(
            "{what}: {} pages, {megabytes:.1} MB → archive::sources::Registry::extract",
            pages.len()
        ),
        "mb_per_s",
    )
    .value(megabytes / median(&subject))
    .against(Baseline::new(
        "html5ever",
        "scraper::Html::parse_document of the same pages",
        Some(megabytes / median(&baseline)),
    ))
    .runs(rounds))
}

/// The fixtures as fetched pages, repeated until they weigh `bytes`.
fn replicate(fixtures: &[Fixture], bytes: usize) -> Result<Vec<Page>> {
    let mut originals = Vec::new();
    for (path, url, role) in fixtures {
        let body = std::fs::read_to_string(archive_test_support::fixture_path(path))?;
        originals.push(Page {
            url: Url::parse(url)?,
            content_type: Some("text/html".into()),
            // The fixture site writes its own hosts as `{{host:NAME}}`; a crawl sees real URLs.
            body: expand(&body, Links::Public, ""),
            role: *role,
        });
    }
    let mut pages = Vec::new();
    let mut total = 0;
    for page in originals.iter().cycle() {
        if total >= bytes {
            break;
        }
        total += page.body.len();
        pages.push(page.clone());
    }
    Ok(pages)
}

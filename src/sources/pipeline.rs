//! Reading a fetched document with every source: pure and synchronous, then the same off the
//! async workers with a crash kept to its page.

use std::sync::{Arc, LazyLock};

use scraper::Html;
use url::Url;

use super::{HtmlPage, Identify, Registry, bounds};
use crate::failure::{Failure, FailureKind};
use crate::media::html;
use crate::media::merge::ItemSet;
use crate::model::{Extracted, Item, Page};

/// A test-only hook: a page whose body contains this variable's value makes extraction
/// panic, so tests can check that a crash stays a failure of that one URL.
static PANIC_ON: LazyLock<Option<String>> = LazyLock::new(|| {
    std::env::var("ARCHIVE_TEST_PANIC_ON")
        .ok()
        .filter(|marker| !marker.is_empty())
});

impl Registry {
    /// Everything every source reads in a fetched document: a feed, a sitemap or a pasted
    /// release by the source of its kind; an HTML page by its own source if one reads it
    /// alone, else by every source. `None` when nothing can read it (an image, a PDF).
    pub fn extract(&self, page: &Page) -> Option<Extracted> {
        if let Some(marker) = PANIC_ON.as_deref() {
            assert!(
                !page.body.contains(marker),
                "test hook: the page contains {marker}"
            );
        }
        let mut found = self
            .sources()
            .find_map(|s| s.read_document(page, self))
            .or_else(|| is_html(page).then(|| self.html_page(page)))?;
        self.name_items(&mut found);
        bounds::cap(&mut found);
        Some(found)
    }

    /// [`Registry::extract`] on a blocking thread: parsing is CPU work that must not stall
    /// the crawl's requests, and a reader that panics fails this document only. As many
    /// documents are read at once as there are cores, and one that takes longer than the
    /// registry's deadline ([`bounds::EXTRACTION_DEADLINE`] by default) is given up (its
    /// thread keeps its place until it ends).
    ///
    /// # Errors
    /// [`FailureKind::Crash`] with the panic's message; [`FailureKind::TooComplex`] past the
    /// deadline.
    pub async fn extract_off_thread(
        self: Arc<Self>,
        page: Page,
    ) -> Result<Option<Extracted>, Failure> {
        let place = self
            .reading
            .clone()
            .acquire_owned()
            .await
            .map_err(|e| Failure::new(FailureKind::Crash, e.to_string()))?;
        let self_deadline = self.deadline;
        let reading = tokio::task::spawn_blocking(move || {
            let _place = place;
            self.extract(&page)
        });
        let deadline = self_deadline;
        match tokio::time::timeout(deadline, reading).await {
            Ok(Ok(found)) => Ok(found),
            Ok(Err(error)) if error.is_panic() => Err(Failure::crash(error.into_panic().as_ref())),
            Ok(Err(error)) => Err(Failure::new(FailureKind::Crash, error.to_string())),
            Err(_) => Err(Failure::new(
                FailureKind::TooComplex,
                format!("reading it took more than {} s", deadline.as_secs_f32()),
            )),
        }
    }

    fn html_page(&self, page: &Page) -> Extracted {
        let (html, capped) = bounds::bounded_html(&page.body);
        let doc = html::parse_document(html);
        let mut found = self.read_html_page(page, &doc);
        found.capped.extend(capped);
        found
    }

    fn read_html_page(&self, page: &Page, doc: &Html) -> Extracted {
        let bare = HtmlPage {
            page,
            doc,
            described: &[],
            ids: self,
        };
        // What describes the page is read first, once: a page's own reader folds it in, and
        // otherwise it is part of what every source finds.
        let mut descriptions: Vec<Option<Extracted>> = self
            .sources()
            .map(|s| s.describes_pages().then(|| s.read_html(&bare)))
            .collect();
        let described: Vec<Item> = descriptions
            .iter()
            .flatten()
            .flat_map(|e| e.items.iter().cloned())
            .collect();
        let view = HtmlPage {
            described: &described,
            ..bare
        };
        if let Some(own) = self.sources().find_map(|s| s.read_own_page(&view)) {
            return own;
        }
        let mut all = Found::default();
        for (source, described) in self.sources().zip(descriptions.iter_mut()) {
            let part = described.take().unwrap_or_else(|| source.read_html(&bare));
            all.add(part);
        }
        all.finish()
    }

    /// Gives every item the id a source gives what it shows, so that a YouTube video in a
    /// page's Open Graph or a Flickr photo in a feed is the same item as through its own
    /// source; items that turn out to be one are merged.
    fn name_items(&self, found: &mut Extracted) {
        let mut renamed = false;
        for item in found
            .items
            .iter_mut()
            .chain(found.pending.iter_mut().map(|p| &mut p.item))
        {
            if let Some(id) = self.platform_id(item).filter(|id| *id != item.id) {
                item.id = id;
                renamed = true;
            }
        }
        if renamed {
            let items = std::mem::take(&mut found.items);
            found.items = items.into_iter().collect::<ItemSet>().into_items();
        }
    }

    fn platform_id(&self, item: &Item) -> Option<String> {
        [
            Some(item.id.as_str()),
            item.media_url.as_deref(),
            item.page_url.as_deref(),
        ]
        .into_iter()
        .flatten()
        .filter_map(|reference| Url::parse(reference).ok())
        .find_map(|reference| self.identify(&reference))
    }
}

/// What every source found on a page, put together.
#[derive(Default)]
struct Found {
    items: ItemSet,
    rest: Extracted,
}

impl Found {
    fn add(&mut self, part: Extracted) {
        let Extracted {
            items,
            links,
            hashtags,
            follow,
            pending,
            about,
            capped,
        } = part;
        self.items.extend(items);
        self.rest.links.extend(links);
        self.rest.hashtags.extend(hashtags);
        self.rest.follow.extend(follow);
        self.rest.pending.extend(pending);
        self.rest.capped.extend(capped);
        if self.rest.about.is_none() {
            self.rest.about = about;
        }
    }

    fn finish(self) -> Extracted {
        Extracted {
            items: self.items.into_items(),
            ..self.rest
        }
    }
}

/// Whether a document is HTML, by its declared type or, undeclared, its first bytes.
fn is_html(page: &Page) -> bool {
    match page.content_type.as_deref().unwrap_or("") {
        "text/html" | "application/xhtml+xml" => true,
        "" | "application/octet-stream" => looks_like_html(&page.body),
        _ => false,
    }
}

fn looks_like_html(body: &str) -> bool {
    let head: String = body
        .trim_start()
        .chars()
        .take(512)
        .collect::<String>()
        .to_ascii_lowercase();
    head.starts_with("<!doctype html") || head.contains("<html") || head.contains("<head")
}

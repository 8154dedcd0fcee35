//! Searching the archive: a query and filters in, ranked items out.
//!
//! The query language is Tantivy's grammar, parsed into its syntax tree and rewritten there
//! (see `query.rs`): words (all must match), `"phrases"`, `AND`/`OR`/`NOT`/`-`,
//! `field:value`, `field:*`, prefixes `soyu*`, and date ranges with bare dates
//! `taken:[2018-12-18 TO 2018-12-20]`. An apostrophe is part of a word (`aujourd'hui`), and
//! French elisions are dropped (`l'espace` finds "espace"). Matching folds case and accents
//! and is never fuzzy: `vs20` does not find items that are only in VS21. An item in a
//! campaign the query names exactly ranks above items that merely mention the word. What a
//! query may cost is bounded (see [`limits`]).
//!
//! One search is one pass over the matches: the best hits, the total and, when asked, the
//! facets, from one searcher. Only the hits shown are read from the store.

mod campaign_words;
pub mod credit;
pub mod dates;
mod error;
mod export;
mod facets;
mod filters;
mod leaf;
pub mod limits;
mod query;
pub mod record;
mod scan;
mod snippets;
mod suggest;
mod tree;
mod window;

use std::ops::Range;
use tantivy::collector::sort_key::SortBySimilarityScore;
use tantivy::collector::sort_key::SortByStaticFastValue;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, Order, Score, Searcher, TantivyDocument, Term};

pub use error::{QueryError, QueryErrorKind};
pub use export::{ExportError, export};
pub use facets::{FacetValue, Facets};
pub use filters::Filters;
pub use snippets::escape;
pub use suggest::Suggestion;

use crate::index::schema::columns;
use crate::index::{ArchiveIndex, IndexError};
use crate::model::Item;

/// The fields a query can name, as the help lists them.
pub const SEARCHABLE_FIELDS: [&str; 12] = [
    "title",
    "description",
    "campaign",
    "kind",
    "tag",
    "creator",
    "license",
    "source",
    "collection",
    "taken",
    "published",
    "date",
];

/// How results are ordered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Sort {
    /// Best match first; a campaign the query names comes first.
    #[default]
    Relevance,
    /// Newest first, by date taken, else published; undated items last.
    Date,
}

/// A search to run.
#[derive(Clone, Debug, PartialEq)]
pub struct Request {
    /// The query; empty or `*` matches everything.
    pub query: String,
    /// Restrictions on top of the query.
    pub filters: Filters,
    /// The order of the hits.
    pub sort: Sort,
    /// How many hits to return (at least 1).
    pub limit: usize,
    /// How many of the best hits to pass over first, to page through every match.
    pub offset: usize,
    /// Count the matches by campaign, kind, source, licence and year.
    pub facets: bool,
    /// Count the matches by campaign and kind only, for a summary line (when `facets` is
    /// off, the other facets then come back empty).
    pub summary: bool,
    /// Find the matched words in each hit's title and make a snippet.
    pub highlights: bool,
    /// Count every match (the table's summary needs it). Without counting, only the best
    /// `limit` are ranked, which lets Tantivy skip blocks that cannot make the top (block-max
    /// WAND), and `total` is the number of hits returned.
    pub count: bool,
}

impl Request {
    /// The 20 best items for `query`, without filters, facets or highlights.
    pub fn new(query: impl Into<String>) -> Self {
        Request {
            query: query.into(),
            filters: Filters::default(),
            sort: Sort::Relevance,
            limit: 20,
            offset: 0,
            facets: false,
            summary: false,
            highlights: false,
            count: true,
        }
    }
}

/// One result.
#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    /// Relevance; higher is better.
    pub score: f32,
    /// The item found.
    pub item: Item,
    /// Byte ranges of the query's words in the item's title (with `highlights`).
    pub title_matches: Vec<Range<usize>>,
    /// A passage of the description or title, HTML-escaped, the query's words in
    /// `<b>`…`</b>` (with `highlights`).
    pub snippet: Option<String>,
}

impl Hit {
    /// A hit without highlights.
    pub fn new(score: f32, item: Item) -> Self {
        Hit {
            score,
            item,
            title_matches: Vec::new(),
            snippet: None,
        }
    }
}

/// What a search found.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Results {
    /// How many items match in all, beyond the ones returned (when counted; else the number
    /// of hits, with those skipped by the offset).
    pub total: usize,
    /// The best matches, in the order asked.
    pub hits: Vec<Hit>,
    /// Counts over all the matches (with `facets` or `summary`).
    pub facets: Option<Facets>,
    /// When nothing matched: indexed words close to the query's unknown words.
    pub suggestions: Vec<Suggestion>,
}

/// Why a search failed.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// The query or a filter could not be understood.
    #[error(transparent)]
    Query(#[from] QueryError),
    /// The index could not be read.
    #[error(transparent)]
    Index(#[from] IndexError),
}

impl crate::index::ReadError for SearchError {
    fn into_index_error(self) -> Result<IndexError, Self> {
        match self {
            SearchError::Index(error) => Ok(error),
            other => Err(other),
        }
    }
}

impl From<tantivy::TantivyError> for SearchError {
    fn from(error: tantivy::TantivyError) -> Self {
        SearchError::Index(IndexError::Tantivy(error))
    }
}

/// Runs `text` against the index and returns the `limit` best items.
///
/// An empty query matches everything.
///
/// # Errors
/// [`SearchError::Query`] with a readable explanation when the query is malformed.
pub fn search(index: &ArchiveIndex, text: &str, limit: usize) -> Result<Results, SearchError> {
    run(
        index,
        &Request {
            limit,
            ..Request::new(text)
        },
    )
}

/// Runs a search.
///
/// # Errors
/// [`SearchError::Query`] with a readable explanation when the query or a filter is
/// malformed.
pub fn run(index: &ArchiveIndex, request: &Request) -> Result<Results, SearchError> {
    index.unless_damaged(|| run_undamaged(index, request))
}

fn run_undamaged(index: &ArchiveIndex, request: &Request) -> Result<Results, SearchError> {
    let searcher = index.searcher()?;
    let parsed = query::parse(index, &searcher, &request.query)?;
    let filtered = filters::apply(index, parsed.query.box_clone(), &request.filters)?;
    let page = Page {
        limit: request.limit.max(1),
        offset: request.offset,
    };
    let (top, total, tallies) = if request.count || request.facets || request.summary {
        let passes = if request.sort == Sort::Relevance && !parsed.checks_every_match {
            Passes::SkipThenCount
        } else {
            Passes::One
        };
        collect(
            &searcher,
            &*filtered,
            (request.sort, passes),
            page,
            facets_for(request),
        )?
    } else {
        let top = best(&searcher, &*filtered, request.sort, page)?;
        let total = page.offset + top.len();
        (top, total, None)
    };
    let highlighter = if request.highlights && parsed.has_words {
        Some(snippets::Highlighter::new(
            &searcher,
            &*parsed.query,
            index.fields(),
        )?)
    } else {
        None
    };
    let hits = read_hits(index, &searcher, top, highlighter.as_ref())?;
    let suggestions = if total == 0 && parsed.has_words {
        suggest::suggest(&searcher, &*parsed.query, index.fields())?
    } else {
        Vec::new()
    };
    Ok(Results {
        total,
        hits,
        facets: tallies.map(facets::Tallies::into_facets),
        suggestions,
    })
}

/// Which of the ranked hits to return.
#[derive(Clone, Copy)]
struct Page {
    limit: usize,
    offset: usize,
}

impl Page {
    fn top_docs(self) -> TopDocs {
        TopDocs::with_limit(self.limit).and_offset(self.offset)
    }
}

/// What one pass over the matches gathers: the best hits, their number, the facets.
type Collected = (Vec<(Score, DocAddress)>, usize, Option<facets::Tallies>);

/// How the best hits and the counts are found.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Passes {
    /// The best hits, skipping the blocks that cannot rank (block-max WAND, in [`best`]), then
    /// the count and facets without scoring a single match. For words, this costs less than
    /// scoring every match for the sake of 20.
    SkipThenCount,
    /// Everything in one pass over the matches: when every match must be checked anyway (a
    /// phrase, a range) or read for its date, a second pass would repeat that work.
    One,
}

/// The page of hits in the order asked and the number of matches; with the facets when
/// asked.
fn collect(
    searcher: &Searcher,
    query: &dyn Query,
    (sort, passes): (Sort, Passes),
    page: Page,
    facets: Option<facets::FacetCollector>,
) -> tantivy::Result<Collected> {
    let extra = (Count, facets);
    if passes == Passes::SkipThenCount {
        let found = best(searcher, query, sort, page)?;
        let (total, tallies) = searcher.search(query, &extra)?;
        return Ok((found, total, tallies));
    }
    let top = page.top_docs();
    match sort {
        Sort::Relevance => {
            let (found, (total, tallies)) =
                searcher.search(query, &(top.order_by_score(), extra))?;
            Ok((found, total, tallies))
        }
        Sort::Date => {
            let (found, (total, tallies)) =
                searcher.search(query, &(top.order_by(newest_first()), extra))?;
            let found = found
                .into_iter()
                .map(|((_, score), doc)| (score, doc))
                .collect();
            Ok((found, total, tallies))
        }
    }
}

/// The page of hits alone, in the order asked.
fn best(
    searcher: &Searcher,
    query: &dyn Query,
    sort: Sort,
    page: Page,
) -> tantivy::Result<Vec<(Score, DocAddress)>> {
    let top = page.top_docs();
    Ok(match sort {
        Sort::Relevance => searcher.search(query, &top.order_by_score())?,
        Sort::Date => searcher
            .search(query, &top.order_by(newest_first()))?
            .into_iter()
            .map(|((_, score), doc)| (score, doc))
            .collect(),
    })
}

fn facets_for(request: &Request) -> Option<facets::FacetCollector> {
    (request.facets || request.summary).then_some(facets::FacetCollector {
        all: request.facets,
    })
}

/// Newest first by date taken, else published; the score breaks ties and is kept.
fn newest_first() -> (
    (SortByStaticFastValue<tantivy::DateTime>, Order),
    (SortBySimilarityScore, Order),
) {
    (
        (SortByStaticFastValue::for_field(columns::DATE), Order::Desc),
        (SortBySimilarityScore, Order::Desc),
    )
}

/// The stored items of the hits, with their highlights.
fn read_hits(
    index: &ArchiveIndex,
    searcher: &Searcher,
    top: Vec<(Score, DocAddress)>,
    highlighter: Option<&snippets::Highlighter>,
) -> Result<Vec<Hit>, SearchError> {
    let mut hits = Vec::with_capacity(top.len());
    for (score, address) in top {
        let doc: TantivyDocument = searcher.doc(address)?;
        let Some(item) = crate::index::item_of(&doc, index) else {
            continue;
        };
        let mut hit = Hit::new(score, item);
        if let Some(highlighter) = highlighter {
            let title = hit.item.title.as_deref().unwrap_or_default();
            hit.title_matches = highlighter.title_matches(title);
            hit.snippet = Some(highlighter.snippet(&hit.item));
        }
        hits.push(hit);
    }
    Ok(hits)
}

/// The item with this id; or, when none has it, the item whose page or file is at this
/// URL (what the table shows), or the Flickr photo with this number.
///
/// # Errors
/// When the index cannot be read.
pub fn find(index: &ArchiveIndex, id: &str) -> Result<Option<Item>, SearchError> {
    index.unless_damaged(|| find_undamaged(index, id))
}

fn find_undamaged(index: &ArchiveIndex, id: &str) -> Result<Option<Item>, SearchError> {
    let searcher = index.searcher()?;
    let id = id.trim();
    let fields = index.fields();
    let mut candidates = vec![(fields.id, id.to_string()), (fields.link, id.to_string())];
    if !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()) {
        candidates.push((fields.id, format!("flickr:{id}")));
    }
    for (field, value) in candidates {
        let query = TermQuery::new(
            Term::from_field_text(field, &value),
            IndexRecordOption::Basic,
        );
        let top = searcher.search(&query, &TopDocs::with_limit(1).order_by_score())?;
        if let Some((_, address)) = top.first() {
            let doc: TantivyDocument = searcher.doc(*address)?;
            return Ok(crate::index::item_of(&doc, index));
        }
    }
    Ok(None)
}

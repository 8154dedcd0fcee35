//! The index's schema, its analyzers, and the item ⇄ document mapping. The only place that
//! knows field names.
//!
//! [`build`], [`register_tokenizers`] and [`to_document`] are public for tools and benchmarks
//! that index the same documents without going through [`super::Indexer`]; everything else
//! stays inside the crate.

mod elision;

use tantivy::schema::{
    DateOptions, DateTimePrecision, FAST, Field, INDEXED, IndexRecordOption, STORED, STRING,
    Schema, TextFieldIndexing, TextOptions, Value,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer, Token,
    TokenStream, Tokenizer,
};
use tantivy::{DateTime, TantivyDocument};

use crate::media::rights;
use crate::model::Item;
use crate::tag;

/// Bumped whenever fields change; an index of an older version is rebuilt from its stored
/// items when opened (see [`super::upgrade`]).
///
/// 2: fast fields for facets and sorting (`kind`, `source`, `license`, `campaign_spelling`,
/// `found_via`), the licence's class (`license_class`) and the item's links (`link`).
///
/// 3: one field, `text`, for the words a query does not assign to a field.
///
/// 4: French elisions are dropped from the words (`l'espace` is `espace`): the analyzer has
/// a new name, [`FOLDED`], so that the schema of an index analyzed without them differs.
pub(crate) const SCHEMA_VERSION: u32 = 5;

/// Words, lowercased and without accents or French elisions: `Fusée` is found by `fusee`,
/// `l'espace` by `espace`. Named anew whenever it changes (it was `archive_folded` before
/// schema 4): the name is part of the schema, so an index analyzed otherwise is rebuilt.
pub(crate) const FOLDED: &str = "archive_words";
/// A whole value reduced to its [`tag::key`]: `campaign:VS20`, `#vs20` and `vs-20` agree.
pub(crate) const KEY: &str = "archive_key";
/// Fast columns keep values as written, for facets that print them.
const RAW: &str = "raw";
/// The field of the words a query does not assign to a field: the title, description, tags,
/// campaigns, creator and collection in one.
///
/// One field rather than six lets Tantivy rank a word's postings alone and skip the blocks
/// that cannot make the top hits (block-max WAND); a union over six fields has to score
/// every match, which took 14 ms at p99 on a million items.
pub(crate) const TEXT: &str = "text";

/// Names of the fast columns, for collectors that read them by name.
pub(crate) mod columns {
    /// The item's kind (`photo`).
    pub(crate) const KIND: &str = "kind";
    /// The extractor that found it (`flickr`).
    pub(crate) const SOURCE: &str = "source";
    /// The licence's name as the source gives it (`CC BY-SA 2.0`).
    pub(crate) const LICENSE: &str = "license";
    /// The licence's class ([`crate::media::rights::LicenseClass::key`]).
    pub(crate) const LICENSE_CLASS: &str = "license_class";
    /// Campaigns in their one spelling (`VS20`).
    pub(crate) const CAMPAIGN: &str = "campaign_spelling";
    /// The seeds that led to the item.
    pub(crate) const FOUND_VIA: &str = "found_via";
    /// When it was taken, else published: the first moment of the span it covers.
    pub(crate) const DATE: &str = "date";
}

/// The first moment after the span a date covers, beside each date field: `1950` covers the
/// whole year, so a search for one day of 1950 does not find it (a search is answered by the
/// dates whose whole span lies in the one asked for).
pub(crate) const END: &str = "_end";

/// Handles on every field, captured when the schema is built.
#[derive(Clone, Debug)]
pub struct Fields {
    pub(crate) id: Field,
    pub(crate) kind: Field,
    pub(crate) source: Field,
    pub(crate) title: Field,
    pub(crate) description: Field,
    pub(crate) text: Field,
    pub(crate) tag: Field,
    pub(crate) tag_key: Field,
    pub(crate) campaign: Field,
    pub(crate) spelling: Field,
    pub(crate) creator: Field,
    pub(crate) license: Field,
    pub(crate) license_class: Field,
    pub(crate) collection: Field,
    pub(crate) found_via: Field,
    pub(crate) link: Field,
    pub(crate) taken: Field,
    pub(crate) taken_end: Field,
    pub(crate) published: Field,
    pub(crate) published_end: Field,
    pub(crate) date: Field,
    pub(crate) date_end: Field,
    pub(crate) item: Field,
}

/// Builds the schema.
///
/// Each document stores its whole item as JSON (`item`) and indexes the searchable parts
/// unstored: results come back in one read, and the index can be rebuilt from itself when the
/// schema changes. What facets count and sorts compare is also in fast columns, so they never
/// read a stored document.
pub fn build() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let folded = text_options(FOLDED, IndexRecordOption::WithFreqsAndPositions);
    let key = text_options(KEY, IndexRecordOption::Basic);
    let raw_fast = STRING | FAST;
    let date = DateOptions::from(INDEXED)
        .set_fast()
        .set_precision(DateTimePrecision::Seconds);
    let fields = Fields {
        id: builder.add_text_field("id", STRING),
        kind: builder.add_text_field(columns::KIND, key.clone().set_fast(RAW)),
        source: builder.add_text_field(columns::SOURCE, key.clone().set_fast(RAW)),
        title: builder.add_text_field("title", folded.clone()),
        description: builder.add_text_field("description", folded.clone()),
        text: builder.add_text_field(TEXT, folded.clone()),
        tag: builder.add_text_field("tag", folded.clone()),
        tag_key: builder.add_text_field("tag_key", key.clone()),
        campaign: builder.add_text_field("campaign", key),
        spelling: builder.add_text_field(columns::CAMPAIGN, raw_fast.clone()),
        creator: builder.add_text_field("creator", folded.clone()),
        license: builder.add_text_field(columns::LICENSE, folded.clone().set_fast(RAW)),
        license_class: builder.add_text_field(columns::LICENSE_CLASS, raw_fast.clone()),
        collection: builder.add_text_field("collection", folded),
        found_via: builder.add_text_field(columns::FOUND_VIA, raw_fast),
        link: builder.add_text_field("link", STRING),
        taken: builder.add_date_field("taken", date.clone()),
        taken_end: builder.add_date_field(&format!("taken{END}"), date.clone()),
        published: builder.add_date_field("published", date.clone()),
        published_end: builder.add_date_field(&format!("published{END}"), date.clone()),
        date: builder.add_date_field(columns::DATE, date.clone()),
        date_end: builder.add_date_field(&format!("{}{END}", columns::DATE), date),
        item: builder.add_text_field("item", STORED),
    };
    (builder.build(), fields)
}

fn text_options(tokenizer: &str, record: IndexRecordOption) -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(tokenizer)
            .set_index_option(record),
    )
}

/// Registers the analyzers the schema names. Must run on every opened index.
pub fn register_tokenizers(index: &tantivy::Index) {
    let folded = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(elision::ElisionFilter)
        .filter(RemoveLongFilter::limit(64))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build();
    index.tokenizers().register(FOLDED, folded);
    index.tokenizers().register(KEY, KeyTokenizer::default());
}

/// The item as a document.
pub fn to_document(item: &Item, fields: &Fields) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    doc.add_text(fields.id, &item.id);
    doc.add_text(fields.kind, item.kind.as_str());
    doc.add_text(fields.source, item.source.as_str());
    let texts = [
        (fields.title, &item.title),
        (fields.description, &item.description),
        (fields.creator, &item.creator),
        (fields.license, &item.license),
        (fields.collection, &item.collection),
    ];
    for (field, value) in texts {
        if let Some(value) = value {
            doc.add_text(field, value);
        }
    }
    add_words(&mut doc, item, fields.text);
    for tag in &item.tags {
        doc.add_text(fields.tag, tag);
        doc.add_text(fields.tag_key, tag);
    }
    // Hashtags in the text name campaigns too; indexing their keys lets a campaign learnt
    // later find these items with one query.
    let prose = [item.title.as_deref(), item.description.as_deref()];
    for hashtag in prose.into_iter().flatten().flat_map(tag::hashtags) {
        doc.add_text(fields.tag_key, hashtag);
    }
    for campaign in &item.campaigns {
        doc.add_text(fields.campaign, campaign);
        doc.add_text(fields.spelling, campaign);
    }
    for seed in &item.found_via {
        doc.add_text(fields.found_via, seed);
    }
    for link in [&item.page_url, &item.media_url].into_iter().flatten() {
        doc.add_text(fields.link, link);
    }
    let class = rights::classify(item.license.as_deref(), item.license_url.as_deref());
    doc.add_text(fields.license_class, class.key());
    let dates = [
        (fields.taken, fields.taken_end, item.taken_at),
        (fields.published, fields.published_end, item.published_at),
        (
            fields.date,
            fields.date_end,
            item.taken_at.or(item.published_at),
        ),
    ];
    for (start, end, value) in dates {
        if let Some(value) = value {
            doc.add_date(start, to_date(value.start()));
            doc.add_date(end, to_date(value.end()));
        }
    }
    let json = serde_json::to_string(item).expect("an item always serialises");
    doc.add_text(fields.item, json);
    doc
}

/// Everything a bare word finds, in the one field that [`TEXT`] names.
fn add_words(doc: &mut TantivyDocument, item: &Item, text: Field) {
    // The title twice weighs a match in the title above one in the description, as a field
    // boost did when words searched six fields. The values stay one position apart, so a
    // phrase never spans two of them.
    let title = item.title.as_deref();
    let prose = [title, title, item.description.as_deref()];
    let names = [item.creator.as_deref(), item.collection.as_deref()];
    for value in prose.into_iter().chain(names).flatten() {
        doc.add_text(text, value);
    }
    for value in item.tags.iter().chain(&item.campaigns) {
        doc.add_text(text, value);
    }
}

/// The item stored in a document, or `None` for a document this version cannot read.
pub(crate) fn to_item(doc: &TantivyDocument, fields: &Fields) -> Option<Item> {
    stored_item(doc, fields.item)
}

/// The item stored in `field` of a document of any schema version.
pub(crate) fn stored_item(doc: &TantivyDocument, field: Field) -> Option<Item> {
    let json = doc.get_first(field)?.as_str()?;
    serde_json::from_str(json).ok()
}

/// Tantivy's date for an instant. Tantivy counts nanoseconds in an `i64`, from 1677-09-21 to
/// 2262-04-11: an instant beyond (`--until 1019`, a page dated 9999) is held at the nearest
/// end, which keeps every comparison's answer, rather than overflowing into another century.
pub(crate) fn to_date(value: chrono::DateTime<chrono::Utc>) -> DateTime {
    const MAX_SECONDS: i64 = i64::MAX / 1_000_000_000;
    DateTime::from_timestamp_secs(value.timestamp().clamp(-MAX_SECONDS, MAX_SECONDS))
}

/// Emits one token, the [`tag::key`] of the whole text, or none when the key is empty.
#[derive(Clone, Default)]
pub(crate) struct KeyTokenizer {
    token: Token,
}

pub(crate) struct KeyTokenStream<'a> {
    token: &'a mut Token,
    pending: bool,
}

impl Tokenizer for KeyTokenizer {
    type TokenStream<'a> = KeyTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> KeyTokenStream<'a> {
        self.token.reset();
        self.token.text = tag::key(text);
        // `reset` leaves the position at its "before the first token" sentinel.
        self.token.position = 0;
        self.token.offset_to = text.len();
        let pending = !self.token.text.is_empty();
        KeyTokenStream {
            token: &mut self.token,
            pending,
        }
    }
}

impl TokenStream for KeyTokenStream<'_> {
    fn advance(&mut self) -> bool {
        std::mem::take(&mut self.pending)
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Kind, Source};

    #[test]
    fn key_tokenizer_gives_one_folded_token() {
        let mut tokenizer = KeyTokenizer::default();
        let mut stream = tokenizer.token_stream("#VS-20");
        assert!(stream.advance());
        assert_eq!(stream.token().text, "vs20");
        assert!(!stream.advance());
        let mut empty = tokenizer.token_stream("#!");
        assert!(!empty.advance());
    }

    #[test]
    fn dates_past_tantivys_range_are_held_at_its_ends() {
        let year =
            |y: i32| chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, y, 1, 1, 0, 0, 0).unwrap();
        let (first, last) = (to_date(year(1019)), to_date(year(9999)));
        assert!(first < to_date(year(1700)) && to_date(year(1700)) < to_date(year(2200)));
        assert!(to_date(year(2200)) < last);
        assert_eq!(last, to_date(year(262_000)));
        assert_eq!(
            to_date(year(2018)).into_timestamp_secs(),
            year(2018).timestamp()
        );
    }

    #[test]
    fn document_round_trips_the_item() {
        let (_, fields) = build();
        let mut item = Item::new("flickr:1", Kind::Video, Source::Flickr);
        item.title = Some("Fusée".into());
        item.campaigns = vec!["VS20".into()];
        let doc = to_document(&item, &fields);
        assert_eq!(to_item(&doc, &fields), Some(item));
    }
}

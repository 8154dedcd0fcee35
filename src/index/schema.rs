//! The index's schema, its analyzers, and the item ⇄ document mapping. The only place that
//! knows field names.

use tantivy::schema::{
    DateOptions, DateTimePrecision, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema,
    TextFieldIndexing, TextOptions, Value,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer, Token,
    TokenStream, Tokenizer,
};
use tantivy::{DateTime, TantivyDocument};

use crate::model::{Item, Timestamp};
use crate::tag;

/// Bumped whenever fields change; an index of another version is rebuilt from its stored items.
pub(crate) const SCHEMA_VERSION: u32 = 1;

/// Words, lowercased and without accents: `Fusée` is found by `fusee`.
pub(crate) const FOLDED: &str = "archive_folded";
/// A whole value reduced to its [`tag::key`]: `campaign:VS20`, `#vs20` and `vs-20` agree.
pub(crate) const KEY: &str = "archive_key";

/// Handles on every field, captured when the schema is built.
#[derive(Clone, Debug)]
pub(crate) struct Fields {
    pub(crate) id: Field,
    pub(crate) kind: Field,
    pub(crate) source: Field,
    pub(crate) title: Field,
    pub(crate) description: Field,
    pub(crate) tag: Field,
    pub(crate) tag_key: Field,
    pub(crate) campaign: Field,
    pub(crate) spelling: Field,
    pub(crate) creator: Field,
    pub(crate) license: Field,
    pub(crate) collection: Field,
    pub(crate) found_via: Field,
    pub(crate) taken: Field,
    pub(crate) published: Field,
    pub(crate) date: Field,
    pub(crate) item: Field,
}

/// Builds the schema.
///
/// Each document stores its whole item as JSON (`item`) and indexes the searchable parts
/// unstored: results come back in one read, and the index can be rebuilt from itself when the
/// schema changes.
pub(crate) fn build() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let folded = text_options(FOLDED, IndexRecordOption::WithFreqsAndPositions);
    let key = text_options(KEY, IndexRecordOption::Basic);
    let date = DateOptions::from(INDEXED)
        .set_fast()
        .set_precision(DateTimePrecision::Seconds);
    let fields = Fields {
        id: builder.add_text_field("id", STRING),
        kind: builder.add_text_field("kind", key.clone()),
        source: builder.add_text_field("source", key.clone()),
        title: builder.add_text_field("title", folded.clone()),
        description: builder.add_text_field("description", folded.clone()),
        tag: builder.add_text_field("tag", folded.clone()),
        tag_key: builder.add_text_field("tag_key", key.clone()),
        campaign: builder.add_text_field("campaign", key),
        spelling: builder.add_text_field("campaign_spelling", STRING),
        creator: builder.add_text_field("creator", folded.clone()),
        license: builder.add_text_field("license", folded.clone()),
        collection: builder.add_text_field("collection", folded),
        found_via: builder.add_text_field("found_via", STRING),
        taken: builder.add_date_field("taken", date.clone()),
        published: builder.add_date_field("published", date.clone()),
        date: builder.add_date_field("date", date),
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
pub(crate) fn register_tokenizers(index: &tantivy::Index) {
    let folded = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(64))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build();
    index.tokenizers().register(FOLDED, folded);
    index.tokenizers().register(KEY, KeyTokenizer::default());
}

/// The item as a document.
pub(crate) fn to_document(item: &Item, fields: &Fields) -> TantivyDocument {
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
    let dates = [
        (fields.taken, item.taken_at),
        (fields.published, item.published_at),
        (fields.date, item.taken_at.or(item.published_at)),
    ];
    for (field, value) in dates {
        if let Some(value) = value {
            doc.add_date(field, to_date(value));
        }
    }
    let json = serde_json::to_string(item).expect("an item always serialises");
    doc.add_text(fields.item, json);
    doc
}

/// The item stored in a document, or `None` for a document this version cannot read.
pub(crate) fn to_item(doc: &TantivyDocument, fields: &Fields) -> Option<Item> {
    let json = doc.get_first(fields.item)?.as_str()?;
    serde_json::from_str(json).ok()
}

pub(crate) fn to_date(value: Timestamp) -> DateTime {
    DateTime::from_timestamp_secs(value.timestamp())
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
    fn document_round_trips_the_item() {
        let (_, fields) = build();
        let mut item = Item::new("flickr:1", Kind::Video, Source::Flickr);
        item.title = Some("Fusée".into());
        item.campaigns = vec!["VS20".into()];
        let doc = to_document(&item, &fields);
        assert_eq!(to_item(&doc, &fields), Some(item));
    }
}

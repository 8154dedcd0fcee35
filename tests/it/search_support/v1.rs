//! An index as version 1 of archive wrote it: its schema copied field by field, its items
//! stored as JSON without the fields added since.

use archive::model::Item;
use std::path::Path;
use tantivy::schema::{
    DateOptions, DateTimePrecision, INDEXED, IndexRecordOption, STORED, STRING, Schema,
    TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RawTokenizer, RemoveLongFilter, SimpleTokenizer, TextAnalyzer,
};
use tantivy::{DateTime, Index, TantivyDocument};

fn text_options(tokenizer: &str, record: IndexRecordOption) -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(tokenizer)
            .set_index_option(record),
    )
}

/// The schema of version 1, as `src/index/schema.rs` built it.
pub(crate) fn schema() -> Schema {
    let mut builder = Schema::builder();
    let folded = text_options("archive_folded", IndexRecordOption::WithFreqsAndPositions);
    let key = text_options("archive_key", IndexRecordOption::Basic);
    let date = DateOptions::from(INDEXED)
        .set_fast()
        .set_precision(DateTimePrecision::Seconds);
    builder.add_text_field("id", STRING);
    builder.add_text_field("kind", key.clone());
    builder.add_text_field("source", key.clone());
    builder.add_text_field("title", folded.clone());
    builder.add_text_field("description", folded.clone());
    builder.add_text_field("tag", folded.clone());
    builder.add_text_field("tag_key", key.clone());
    builder.add_text_field("campaign", key);
    builder.add_text_field("campaign_spelling", STRING);
    builder.add_text_field("creator", folded.clone());
    builder.add_text_field("license", folded.clone());
    builder.add_text_field("collection", folded);
    builder.add_text_field("found_via", STRING);
    builder.add_date_field("taken", date.clone());
    builder.add_date_field("published", date.clone());
    builder.add_date_field("date", date);
    builder.add_text_field("item", STORED);
    builder.build()
}

/// Writes `items` into a new version-1 index at `dir`, in two commits (two segments), with
/// one more item deleted again, as crawls leave them.
pub(crate) fn write(dir: &Path, items: &[Item]) {
    std::fs::create_dir_all(dir).unwrap();
    let schema = schema();
    let index = Index::create_in_dir(dir, schema.clone()).unwrap();
    let folded = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(64))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build();
    index.tokenizers().register("archive_folded", folded);
    let key = TextAnalyzer::builder(RawTokenizer::default())
        .filter(LowerCaser)
        .build();
    index.tokenizers().register("archive_key", key);
    let field = |name: &str| schema.get_field(name).unwrap();
    let mut writer = index.writer::<TantivyDocument>(15_000_000).unwrap();
    let (first, second) = items.split_at(items.len() / 2);
    for batch in [first, second] {
        for item in batch {
            writer.add_document(document(item, &field)).unwrap();
        }
        writer.commit().unwrap();
    }
    let mut doomed = items[0].clone();
    doomed.id = "flickr:deleted".into();
    writer.add_document(document(&doomed, &field)).unwrap();
    writer.commit().unwrap();
    writer.delete_term(tantivy::Term::from_field_text(
        field("id"),
        "flickr:deleted",
    ));
    writer.commit().unwrap();
}

fn document(item: &Item, field: &dyn Fn(&str) -> tantivy::schema::Field) -> TantivyDocument {
    let mut doc = TantivyDocument::default();
    doc.add_text(field("id"), &item.id);
    doc.add_text(field("kind"), item.kind.as_str());
    doc.add_text(field("source"), item.source.as_str());
    if let Some(title) = &item.title {
        doc.add_text(field("title"), title);
    }
    for campaign in &item.campaigns {
        doc.add_text(field("campaign"), campaign);
        doc.add_text(field("campaign_spelling"), campaign);
    }
    if let Some(date) = item.taken_at.or(item.published_at) {
        doc.add_date(
            field("date"),
            DateTime::from_timestamp_secs(date.start().timestamp()),
        );
    }
    // Version 1 items had no `sizes`.
    let mut json = serde_json::to_value(item).unwrap();
    json.as_object_mut().unwrap().remove("sizes");
    doc.add_text(field("item"), json.to_string());
    doc
}

//! An index as version 3 of archive wrote it: today's fields, with words analyzed without
//! dropping French elisions (`l'orbite` was `l`, `orbite`), under the analyzer's old name.

use archive::index::schema;
use archive::model::Item;
use std::path::Path;
use tantivy::schema::{FieldType, Schema};
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer,
};
use tantivy::{Index, TantivyDocument};

/// The analyzer of words in version 3.
const OLD_ANALYZER: &str = "archive_folded";

/// Writes `items` into a new version-3 index at `dir`.
pub(crate) fn write(dir: &Path, items: &[Item]) {
    let (today, fields) = schema::build();
    let json = serde_json::to_string(&today).unwrap().replace(
        &format!("\"{}\"", words_analyzer(&today)),
        &format!("\"{OLD_ANALYZER}\""),
    );
    let old: Schema = serde_json::from_str(&json).unwrap();
    assert!(old != today, "version 3 named its analyzer differently");
    std::fs::create_dir_all(dir).unwrap();
    let index = Index::create_in_dir(dir, old).unwrap();
    schema::register_tokenizers(&index);
    let folded = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(64))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build();
    index.tokenizers().register(OLD_ANALYZER, folded);
    let mut writer = index.writer::<TantivyDocument>(15_000_000).unwrap();
    for item in items {
        writer
            .add_document(schema::to_document(item, &fields))
            .unwrap();
    }
    writer.commit().unwrap();
    std::fs::write(dir.join("archive-schema-version"), "3\n").unwrap();
}

/// The analyzer today's schema names for titles.
fn words_analyzer(schema: &Schema) -> String {
    let title = schema.get_field("title").unwrap();
    let FieldType::Str(options) = schema.get_field_entry(title).field_type() else {
        panic!("titles are text");
    };
    options
        .get_indexing_options()
        .unwrap()
        .tokenizer()
        .to_string()
}

//! The path to a cluster: a Quickwit index configuration whose doc mapping mirrors this
//! index's schema, for the items `archive export` writes.
//!
//! Quickwit is a distributed search engine built on Tantivy. What maps one to one: the
//! words' analyzer (the simple tokenizer, long words dropped, lowercased, accents folded),
//! positions where phrases need them, raw fast columns for what facets count, one field for
//! the words a query does not assign to a field. What cannot: French elisions are kept as
//! words (`l'espace` is `l` and `espace`), a title does not weigh twice in that field,
//! campaign keys are lowercase spellings rather than [`crate::tag::key`], and dates taken
//! or published stay text at their real precision (Quickwit's dates need a day at least),
//! searched by prefix (`taken_at:2018-12*`). `docs/scale-out.md` says more.

use serde_json::{Value, json};

/// The index's name in Quickwit, unless the caller picks another.
pub const DEFAULT_INDEX_ID: &str = "archive";

/// The configuration format version: Quickwit 0.8 writes it, and 0.9 reads it.
const CONFIG_VERSION: &str = "0.8";

/// Our words analyzer, as Quickwit builds custom tokenizers.
const WORDS: &str = "archive_words";

/// The index configuration, as JSON (Quickwit reads JSON as well as YAML).
pub fn config(index_id: &str) -> Value {
    json!({
        "version": CONFIG_VERSION,
        "index_id": index_id,
        "doc_mapping": {
            "mode": "lenient",
            "tokenizers": [{
                "name": WORDS,
                "type": "simple",
                "filters": ["remove_long", "lower_caser", "ascii_folding"],
            }],
            "field_mappings": field_mappings(),
            "timestamp_field": "first_seen",
        },
        "search_settings": {"default_search_fields": ["text"]},
    })
}

fn field_mappings() -> Vec<Value> {
    let mut fields = vec![
        raw("id", false),
        raw("kind", true),
        words("title"),
        words("description"),
        array(words("tags")),
        array(campaigns()),
        words("creator"),
        with(words("license"), "fast", json!(true)),
        raw("license_url", false),
        raw("taken_at", true),
        raw("published_at", true),
        number("width"),
        number("height"),
        number("duration_seconds"),
        raw("page_url", false),
        raw("media_url", false),
        raw("thumbnail_url", false),
        listed_objects("sizes", false),
        raw("source", true),
        words("collection"),
        raw("collection_url", false),
        array(raw("found_via", true)),
        listed_objects("discovery", true),
        instant("first_seen"),
        instant("last_seen"),
        flag("gone"),
    ];
    fields.extend(publishing());
    fields.push(catch_all());
    fields
}

/// What `--json` adds to the item: the credit line and rights, the score and the snippet.
fn publishing() -> [Value; 5] {
    [
        words("credit_line"),
        raw("license_class", true),
        flag("reusable"),
        json!({"name": "score", "type": "f64", "indexed": false}),
        json!({"name": "snippet", "type": "text", "indexed": false}),
    ]
}

/// Text searched word by word, phrases included.
fn words(name: &str) -> Value {
    json!({
        "name": name,
        "type": "text",
        "tokenizer": WORDS,
        "record": "position",
        "fieldnorms": true,
    })
}

/// A whole value, matched as written; `fast` keeps it in a column for facets and sorting.
fn raw(name: &str, fast: bool) -> Value {
    json!({"name": name, "type": "text", "tokenizer": "raw", "fast": fast})
}

/// Campaigns matched whatever their case (`campaigns:vs20`), counted as written.
fn campaigns() -> Value {
    json!({"name": "campaigns", "type": "text", "tokenizer": "raw_lowercase", "fast": true})
}

fn number(name: &str) -> Value {
    json!({"name": name, "type": "u64", "fast": true})
}

fn flag(name: &str) -> Value {
    json!({"name": name, "type": "bool", "fast": true})
}

/// An RFC 3339 instant.
fn instant(name: &str) -> Value {
    json!({
        "name": name,
        "type": "datetime",
        "input_formats": ["rfc3339"],
        "output_format": "rfc3339",
        "fast": true,
        "fast_precision": "seconds",
    })
}

/// A list of objects: Quickwit stores those as JSON, searchable by path when `indexed`
/// (`discovery.tag:vs20`). It refuses a tokenizer on what it does not index.
fn listed_objects(name: &str, indexed: bool) -> Value {
    let field = json!({"name": name, "type": "array<json>", "indexed": indexed, "fast": false});
    if indexed {
        with(field, "tokenizer", json!("raw"))
    } else {
        field
    }
}

/// The same mapping for a list of values.
fn array(mut field: Value) -> Value {
    let kind = field["type"].as_str().unwrap_or("text").to_string();
    field["type"] = json!(format!("array<{kind}>"));
    field
}

fn with(mut field: Value, key: &str, value: Value) -> Value {
    field[key] = value;
    field
}

/// The words a query does not assign to a field, as our `text` field gathers them.
fn catch_all() -> Value {
    json!({
        "name": "text",
        "type": "concatenate",
        "concatenate_fields": ["title", "description", "tags", "campaigns", "creator", "collection"],
        "tokenizer": WORDS,
        "record": "position",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_is_named_once_and_the_special_fields_exist() {
        let config = config(DEFAULT_INDEX_ID);
        let fields = config["doc_mapping"]["field_mappings"].as_array().unwrap();
        let names: Vec<&str> = fields.iter().map(|f| f["name"].as_str().unwrap()).collect();
        let mut unique = names.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), names.len(), "{names:?}");
        let field = |name: &str| fields.iter().find(|f| f["name"] == name).unwrap();
        let timestamp = field(config["doc_mapping"]["timestamp_field"].as_str().unwrap());
        assert_eq!(
            (&timestamp["type"], &timestamp["fast"]),
            (&json!("datetime"), &json!(true))
        );
        for searched in config["search_settings"]["default_search_fields"]
            .as_array()
            .unwrap()
        {
            field(searched.as_str().unwrap());
        }
        for gathered in field("text")["concatenate_fields"].as_array().unwrap() {
            field(gathered.as_str().unwrap());
        }
    }
}

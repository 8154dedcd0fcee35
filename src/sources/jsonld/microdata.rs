//! schema.org microdata (`itemscope`, `itemtype`, `itemprop`) read as the JSON-LD it
//! stands for, so that one reader turns both into items.
//!
//! Values follow the HTML standard's rules: `content` on `<meta>`, the URL of `src`,
//! `href` or `data` on embedding and linking elements, `datetime` on `<time>`, `value` on
//! `<data>` and `<meter>`, else the element's text. A property on an element that is
//! itself an `itemscope` is that nested item.

use std::cell::Cell;
use std::sync::LazyLock;

use ego_tree::iter::Edge;
use scraper::{ElementRef, Html, Selector};
use serde_json::{Map, Value};

use crate::media::{html, text};

static SCOPES: LazyLock<Selector> = LazyLock::new(|| html::selector("[itemscope]"));

/// Items nested deeper than this are not read: real pages nest two or three.
const MAX_DEPTH: usize = 8;
/// A page's microdata gives at most this many top-level items, each with at most this
/// many values: beyond that it is not metadata.
const MAX_ITEMS: usize = 1_000;
const MAX_VALUES: usize = 1_000;
/// Items nest, and each is read from its own subtree: this many elements visited in all
/// bounds the work on a page of thousands of nested items.
const MAX_VISITS: usize = 2_000_000;
/// The longest text value read: a description, never a whole article.
const MAX_TEXT: usize = 64 * 1024;

/// Every top-level microdata item of the page (an `itemscope` that is no other item's
/// property), as a JSON-LD node.
pub(super) fn microdata_blocks(doc: &Html) -> impl Iterator<Item = Value> + '_ {
    let budget = Cell::new(MAX_VISITS);
    doc.select(&SCOPES)
        .filter(|scope| scope.value().attr("itemprop").is_none())
        .take(MAX_ITEMS)
        .map_while(move |scope| (budget.get() > 0).then(|| item(scope, 0, &budget)))
}

/// One item: its type and the values of the properties inside it, not crossing into
/// nested items (which are values themselves).
fn item(scope: ElementRef<'_>, depth: usize, budget: &Cell<usize>) -> Value {
    let mut node = Map::new();
    if let Some(types) = scope.value().attr("itemtype") {
        let types: Vec<Value> = types.split_whitespace().map(Value::from).collect();
        node.insert("@type".into(), Value::Array(types));
    }
    let mut values = 0;
    for property in properties(scope, budget) {
        let Some(names) = property.value().attr("itemprop") else {
            continue;
        };
        let value = if property.value().attr("itemscope").is_some() {
            if depth + 1 >= MAX_DEPTH {
                continue;
            }
            item(property, depth + 1, budget)
        } else {
            Value::String(value_of(property))
        };
        for name in names.split_whitespace() {
            add(&mut node, name, value.clone());
            values += 1;
        }
        if values >= MAX_VALUES {
            break;
        }
    }
    Value::Object(node)
}

/// The elements with `itemprop` that belong to `scope`: inside it, and not inside an item
/// nested in it (a nested item's element is returned, its inside is not).
fn properties<'a>(scope: ElementRef<'a>, budget: &Cell<usize>) -> Vec<ElementRef<'a>> {
    let mut found = Vec::new();
    let mut inside_nested = 0usize;
    for edge in scope.traverse().skip(1) {
        if budget.get() == 0 {
            break;
        }
        budget.set(budget.get() - 1);
        match edge {
            Edge::Open(node) => {
                let Some(element) = ElementRef::wrap(node) else {
                    continue;
                };
                if inside_nested > 0 {
                    inside_nested += 1;
                    continue;
                }
                if element.value().attr("itemprop").is_some() {
                    found.push(element);
                }
                if element.value().attr("itemscope").is_some() {
                    inside_nested = 1;
                }
            }
            Edge::Close(node) if inside_nested > 0 && node.value().is_element() => {
                inside_nested -= 1;
            }
            Edge::Close(_) => {}
        }
    }
    found
}

/// A property's value as the HTML standard reads it. URLs stay as written: the JSON-LD
/// reader resolves them against the page.
fn value_of(element: ElementRef<'_>) -> String {
    let e = element.value();
    let attribute = match e.name() {
        "meta" => Some("content"),
        "audio" | "embed" | "iframe" | "img" | "source" | "track" | "video" => Some("src"),
        "a" | "area" | "link" => Some("href"),
        "object" => Some("data"),
        "data" | "meter" => Some("value"),
        "time" if e.attr("datetime").is_some() => Some("datetime"),
        _ => None,
    };
    match attribute {
        Some(name) => e.attr(name).unwrap_or_default().trim().to_owned(),
        None => bounded_text(element),
    }
}

/// The element's text, up to [`MAX_TEXT`] bytes: properties nest, and each copying the whole
/// of a large page's text would multiply it.
fn bounded_text(element: ElementRef<'_>) -> String {
    let mut text = String::new();
    for piece in element.text() {
        if text.len() + piece.len() > MAX_TEXT {
            let cut = text::floor_char_boundary(piece, MAX_TEXT - text.len());
            text.push_str(&piece[..cut]);
            break;
        }
        text.push_str(piece);
    }
    text
}

/// Adds a value to a property, making it a list when the property repeats.
fn add(node: &mut Map<String, Value>, name: &str, value: Value) {
    match node.get_mut(name) {
        None => {
            node.insert(name.to_owned(), value);
        }
        Some(Value::Array(values)) => values.push(value),
        Some(existing) => {
            let first = existing.take();
            *existing = Value::Array(vec![first, value]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn blocks(html: &str) -> Vec<Value> {
        microdata_blocks(&Html::parse_document(html)).collect()
    }

    #[test]
    fn nested_items_are_values_and_their_insides_are_theirs() {
        let found = blocks(
            r#"<div itemscope itemtype="http://schema.org/MusicGroup">
                 <h1 itemprop="name">Band</h1>
                 <div itemprop="video" itemscope itemtype="http://schema.org/VideoObject">
                   <span itemprop="name">Interview</span>
                   <meta itemprop="duration" content="PT1M33S">
                   <img itemprop="thumbnail" src="thumb.jpg">
                 </div>
                 <a itemprop="image" href="1.jpg">one</a><a itemprop="image" href="2.jpg">two</a>
               </div>"#,
        );
        assert_eq!(
            found,
            [json!({
                "@type": ["http://schema.org/MusicGroup"],
                "name": "Band",
                "video": {
                    "@type": ["http://schema.org/VideoObject"],
                    "name": "Interview",
                    "duration": "PT1M33S",
                    "thumbnail": "thumb.jpg",
                },
                "image": ["1.jpg", "2.jpg"],
            })]
        );
    }

    #[test]
    fn deep_nesting_stops_at_a_bound() {
        let depth = 10_000;
        let html = format!(
            "{}{}",
            r#"<div itemprop="x" itemscope itemtype="https://schema.org/Thing">"#.repeat(depth),
            "</div>".repeat(depth)
        );
        let html = format!(r#"<div itemscope itemtype="https://schema.org/Thing">{html}</div>"#);
        let found = blocks(&html);
        let mut levels = 0;
        let mut node = &found[0];
        while let Some(next) = node.get("x") {
            node = next;
            levels += 1;
        }
        assert_eq!(levels, MAX_DEPTH - 1);
    }

    #[test]
    fn nested_text_properties_each_keep_at_most_the_bound() {
        let depth = 50;
        let html = format!(
            r#"<div itemscope>{}{}{}</div>"#,
            r#"<div itemprop="description">"#.repeat(depth),
            "é".repeat(MAX_TEXT),
            "</div>".repeat(depth)
        );
        let found = blocks(&html);
        let values = found[0]["description"]
            .as_array()
            .expect("one value per property");
        assert_eq!(values.len(), depth);
        for value in values {
            let text = value.as_str().unwrap();
            assert!(
                text.len() <= MAX_TEXT && text.len() >= MAX_TEXT - 1,
                "{}",
                text.len()
            );
        }
    }

    #[test]
    fn thousands_of_nested_top_level_items_stop_at_the_budget() {
        let depth = 5_000;
        let html = format!(
            "{}{}",
            r#"<div itemscope itemtype="https://schema.org/Thing"><b itemprop="name">n</b>"#
                .repeat(depth),
            "</div>".repeat(depth)
        );
        let found = blocks(&html);
        assert!(!found.is_empty() && found.len() <= MAX_ITEMS);
        assert_eq!(found[0]["name"], "n");
    }
}

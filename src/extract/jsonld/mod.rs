//! schema.org media objects (`VideoObject`, `ImageObject`, `AudioObject`, `MediaObject`) from
//! the JSON-LD blocks of a page.
//!
//! JSON-LD is written by hand or by CMS plugins, so everything is optional and every value
//! comes in several shapes: a string or an array, a number or a string, a URL or an object
//! holding one. Each reader (in the `values` module) accepts all the shapes seen in the wild
//! and returns `None` for anything else; a block that is not JSON at all is skipped, never
//! fatal.

mod blocks;
mod duration;
mod kind;
mod license;
mod node;
mod values;

use std::collections::HashMap;

use scraper::Html;
use url::Url;

use blocks::{collect_media_nodes, json_blocks};
use node::node_item;

use super::html;
use crate::model::Item;

pub use duration::duration_seconds;
pub(crate) use kind::{MediaGuess, kind_from_extension, kind_from_format};
pub use license::license_name_from_url;
pub(crate) use values::{dimension, parse_dimension};

/// Media items described by the page's `<script type="application/ld+json">` blocks.
///
/// Media objects are found at the top level, in arrays, in `@graph` and nested under other
/// nodes (`NewsArticle.video`, `.associatedMedia`, an `ImageObject` in `.image`). Nodes that
/// resolve to the same id are merged into one item. Live broadcasts without a file are not
/// archive media and are left out.
pub fn items(doc: &Html, page_url: &Url) -> Vec<Item> {
    let base = html::base_url(doc, page_url);
    let mut out = Items::default();
    for block in json_blocks(doc) {
        let mut nodes = Vec::new();
        collect_media_nodes(&block, 0, &mut nodes);
        for node in nodes {
            if let Some(item) = node_item(node, &base, page_url) {
                out.add(item);
            }
        }
    }
    out.items
}

/// Items in first-seen order, merging those that share an id.
#[derive(Default)]
struct Items {
    items: Vec<Item>,
    index: HashMap<String, usize>,
}

impl Items {
    fn add(&mut self, item: Item) {
        match self.index.get(&item.id) {
            Some(&i) => merge_into(&mut self.items[i], item),
            None => {
                self.index.insert(item.id.clone(), self.items.len());
                self.items.push(item);
            }
        }
    }
}

/// Fills what `target` does not know from `other`; tags are united.
pub(crate) fn merge_into(target: &mut Item, other: Item) {
    fn fill<T>(slot: &mut Option<T>, value: Option<T>) {
        if slot.is_none() {
            *slot = value;
        }
    }
    fill(&mut target.title, other.title);
    fill(&mut target.description, other.description);
    fill(&mut target.creator, other.creator);
    fill(&mut target.license, other.license);
    fill(&mut target.license_url, other.license_url);
    fill(&mut target.taken_at, other.taken_at);
    fill(&mut target.published_at, other.published_at);
    fill(&mut target.width, other.width);
    fill(&mut target.height, other.height);
    fill(&mut target.duration_seconds, other.duration_seconds);
    fill(&mut target.page_url, other.page_url);
    fill(&mut target.media_url, other.media_url);
    fill(&mut target.thumbnail_url, other.thumbnail_url);
    fill(&mut target.collection, other.collection);
    for tag in other.tags {
        if !target.tags.contains(&tag) {
            target.tags.push(tag);
        }
    }
}

#[cfg(test)]
mod tests;

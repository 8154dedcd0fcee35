//! schema.org media objects (`VideoObject`, `ImageObject`, `AudioObject`, `MediaObject`) from
//! the JSON-LD blocks and the microdata of a page.
//!
//! JSON-LD is written by hand or by CMS plugins, so everything is optional and every value
//! comes in several shapes: a string or an array, a number or a string, a URL or an object
//! holding one. Each reader (in the `values` module) accepts all the shapes seen in the wild
//! and returns `None` for anything else; a block that is not JSON at all is skipped, never
//! fatal.

mod blocks;
mod license;
mod microdata;
mod node;
mod values;

use scraper::Html;
use url::Url;

use blocks::{collect_media_nodes, has_oversized_block, json_blocks};
use microdata::microdata_blocks;
use node::node_item;

use super::HtmlPage;
use crate::media::html;
use crate::media::merge::ItemSet;
use crate::model::{Cap, Extracted, Item, Source};

/// JSON-LD as a source: the media objects a page's structured data describes.
pub struct JsonLd;

impl super::Source for JsonLd {
    fn id(&self) -> Source {
        Source::JsonLd
    }

    fn describes_pages(&self) -> bool {
        true
    }

    fn read_html(&self, page: &HtmlPage<'_>) -> Extracted {
        let capped = has_oversized_block(page.doc).then_some(Cap::Block);
        Extracted {
            items: items(page.doc, page.url()),
            capped: capped.into_iter().collect(),
            ..Extracted::default()
        }
    }
}

/// Media items described by the page's `<script type="application/ld+json">` blocks and
/// by its schema.org microdata.
///
/// Media objects are found at the top level, in arrays, in `@graph` and nested under other
/// nodes (`NewsArticle.video`, `.associatedMedia`, an `ImageObject` in `.image`). Nodes that
/// resolve to the same id are merged into one item. Live broadcasts without a file are not
/// archive media and are left out.
pub fn items(doc: &Html, page_url: &Url) -> Vec<Item> {
    let base = html::base_url(doc, page_url);
    let mut out = ItemSet::new();
    for block in json_blocks(doc).chain(microdata_blocks(doc)) {
        let mut nodes = Vec::new();
        collect_media_nodes(&block, 0, &mut nodes);
        for node in nodes {
            if let Some(item) = node_item(node, &base, page_url) {
                out.add(item);
            }
        }
    }
    out.into_items()
}

#[cfg(test)]
mod tests;

//! Items and hits as scripts and tools read them: every field of the item, plus what a
//! journalist needs to publish it. `archive search --json`, `archive show --json`, the CSV
//! and `archive serve`'s API all print these, so they cannot drift apart.

use serde::Serialize;

use super::Hit;
use super::credit::credit_line;
use crate::media::rights::{LicenseClass, classify};
use crate::model::Item;

/// An item with its credit line, its licence's class and whether it may be published
/// without asking.
#[derive(Serialize)]
pub struct Publishable<'a> {
    #[serde(flatten)]
    item: &'a Item,
    credit_line: String,
    license_class: LicenseClass,
    reusable: bool,
}

impl<'a> Publishable<'a> {
    /// `item` with what a journalist needs to publish it.
    pub fn of(item: &'a Item) -> Self {
        let class = classify(item.license.as_deref(), item.license_url.as_deref());
        Publishable {
            item,
            credit_line: credit_line(item),
            license_class: class,
            reusable: class.is_reusable(),
        }
    }
}

/// A search hit: the publishable item, its score and its snippet.
#[derive(Serialize)]
pub struct HitRecord<'a> {
    #[serde(flatten)]
    publishable: Publishable<'a>,
    score: f32,
    snippet: &'a str,
}

impl<'a> HitRecord<'a> {
    /// The record of `hit`.
    pub fn of(hit: &'a Hit) -> Self {
        HitRecord {
            publishable: Publishable::of(&hit.item),
            score: hit.score,
            snippet: hit.snippet.as_deref().unwrap_or_default(),
        }
    }
}

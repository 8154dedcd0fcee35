//! Extraction: a fetched page in, items and links out. Pure and synchronous, so every
//! extractor is tested on saved fixtures and no parsed document ever crosses an `.await`.

pub mod dates;
pub mod feed;
pub mod html;
pub mod jsonld;
pub mod opengraph;
pub mod text;

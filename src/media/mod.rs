//! What every source needs to describe media, and no source owns: merging two sightings of
//! an item, judging a file's kind, reading durations, dates, sizes, credit lines and
//! licences as pages write them, cleaning text, and telling press material from page
//! furniture.
//!
//! Everything here is pure. Sources build on it; it knows no source.

pub mod credit;
pub mod dates;
pub mod dimension;
pub mod duration;
pub mod html;
pub mod kind;
pub mod license;
pub mod lists;
pub mod merge;
pub mod rights;
pub mod sentence;
pub mod text;
pub mod worthiness;

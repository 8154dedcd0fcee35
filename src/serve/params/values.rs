//! Reading each parameter's value, with a message that says how to write it.

use super::BadParameter;
use crate::media::rights::LicenseClass;
use crate::model::{Kind, Source};
use crate::search::Sort;
use crate::search::dates::Period;

pub(super) fn kind(value: &str) -> Result<Kind, BadParameter> {
    let known = [Kind::Photo, Kind::Video, Kind::Audio, Kind::Article];
    known
        .into_iter()
        .find(|k| k.as_str() == value.to_ascii_lowercase())
        .ok_or_else(|| {
            BadParameter(format!(
                "kind={value} is not a kind: use photo, video, audio or article"
            ))
        })
}

pub(super) fn source(value: &str) -> Result<Source, BadParameter> {
    Source::from_name(&value.to_ascii_lowercase()).ok_or_else(|| {
        let names: Vec<&str> = Source::ALL.iter().map(|s| s.as_str()).collect();
        BadParameter(format!(
            "source={value} is not a source: use one of {}",
            names.join(", ")
        ))
    })
}

/// A licence class by its key (`cc-by-sa`).
pub fn class(value: &str) -> Result<LicenseClass, BadParameter> {
    LicenseClass::ALL
        .into_iter()
        .find(|c| c.key() == value.to_ascii_lowercase())
        .ok_or_else(|| {
            let keys: Vec<&str> = LicenseClass::ALL.iter().map(|c| c.key()).collect();
            BadParameter(format!(
                "class={value} is not a licence class: use one of {}",
                keys.join(", ")
            ))
        })
}

pub(super) fn flag(value: &str) -> Result<bool, BadParameter> {
    match value.to_ascii_lowercase().as_str() {
        "" | "0" | "false" | "no" => Ok(false),
        "1" | "true" | "yes" | "on" => Ok(true),
        _ => Err(BadParameter(format!(
            "reusable={value} is neither on nor off: use reusable=1, or leave it out"
        ))),
    }
}

pub(super) fn year(value: &str) -> Result<i32, BadParameter> {
    value
        .parse::<i32>()
        .ok()
        .filter(|y| (1..=9999).contains(y) && value.len() == 4)
        .ok_or_else(|| BadParameter(format!("year={value} is not a year such as 2018")))
}

pub(super) fn period(name: &str, value: &str) -> Result<String, BadParameter> {
    Period::parse(value)
        .map(|_| value.to_string())
        .map_err(|why| BadParameter(format!("{name}: {why}")))
}

pub(super) fn sort(value: &str) -> Result<Sort, BadParameter> {
    match value.to_ascii_lowercase().as_str() {
        "" | "relevance" => Ok(Sort::Relevance),
        "date" => Ok(Sort::Date),
        _ => Err(BadParameter(format!(
            "sort={value} is not an order: use relevance or date"
        ))),
    }
}

pub(super) fn number(
    name: &str,
    value: &str,
    min: usize,
    max: usize,
) -> Result<usize, BadParameter> {
    value
        .parse::<usize>()
        .ok()
        .filter(|n| (min..=max).contains(n))
        .ok_or_else(|| {
            BadParameter(format!(
                "{name}={value} is not a number from {min} to {max}"
            ))
        })
}

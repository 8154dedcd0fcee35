//! Pixel sizes as sources write them: numbers, strings with units, JSON objects.

use serde_json::Value;

/// A pixel size as a number, a string (`"1920"`, `"1920 px"`) or a `QuantitativeValue`.
pub fn dimension(value: &Value) -> Option<u32> {
    match value {
        Value::Number(n) => n
            .as_u64()
            .or_else(|| n.as_f64().filter(|f| *f >= 0.0).map(|f| f.round() as u64))
            .and_then(|n| u32::try_from(n).ok())
            .filter(|n| *n > 0),
        Value::String(s) => parse_dimension(s),
        Value::Object(o) => o.get("value").and_then(dimension),
        Value::Array(values) => values.iter().find_map(dimension),
        _ => None,
    }
}

/// The leading whole number of a size written as text (`"1080"`, `"1080px"`, `"1080.0"`).
pub fn parse_dimension(text: &str) -> Option<u32> {
    let text = text.trim();
    let digits = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    text[..digits].parse().ok().filter(|n| *n > 0)
}

//! Lenient reading of platform JSON: every platform writes numbers as strings somewhere,
//! booleans as `"True"`, `"1"` or `1`, and HTML inside "plain" text.

use serde_json::Value;

use crate::media::text;

/// The value at `path` (object keys), if every step exists.
pub fn at<'a>(value: &'a Value, path: &[&str]) -> Option<&'a Value> {
    path.iter().try_fold(value, |v, key| v.get(key))
}

/// A string or number as clean text; blank is `None`.
pub fn text(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) => text::clean(s),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Plain text from a field that may hold HTML, or HTML escaped twice (`&amp;quot;`, as
/// some feeds send it): tags dropped, entities decoded, white space collapsed.
pub fn plain(value: Option<&Value>) -> Option<String> {
    text(value).and_then(|t| plain_text(&t))
}

/// [`plain`] on text.
pub fn plain_text(fragment: &str) -> Option<String> {
    let once = text::html_to_text(fragment)?;
    if looks_escaped(&once) {
        text::html_to_text(&once)
    } else {
        Some(once)
    }
}

/// Whether text still holds an entity (`&quot;`, `&#39;`) after one decoding.
fn looks_escaped(text: &str) -> bool {
    text.match_indices('&').any(|(at, _)| {
        let rest = &text[at + 1..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '#')
            .collect();
        !name.is_empty() && rest[name.len()..].starts_with(';')
    })
}

/// A count or id written as a number or a string (`"121528"`, `13`, `"1.0"`).
pub fn count(value: Option<&Value>) -> Option<u64> {
    match value? {
        Value::Number(n) => n
            .as_u64()
            .or_else(|| n.as_f64().filter(|f| *f >= 0.0).map(|f| f.round() as u64)),
        Value::String(s) => {
            let s = s.trim();
            s.parse::<u64>().ok().or_else(|| {
                s.parse::<f64>()
                    .ok()
                    .filter(|f| f.is_finite() && *f >= 0.0)
                    .map(|f| f.round() as u64)
            })
        }
        _ => None,
    }
}

/// [`count`] that fits in a `u32`.
pub fn count32(value: Option<&Value>) -> Option<u32> {
    count(value).and_then(|n| u32::try_from(n).ok())
}

/// A boolean written as `true`, `"true"`, `"True"`, `1` or `"1"` (and their opposites).
pub fn flag(value: Option<&Value>) -> Option<bool> {
    match value? {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => n.as_u64().map(|n| n != 0),
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" => Some(true),
            "false" | "0" | "no" | "" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// The strings of a list (`["a","b"]`), or of a string split on `sep`.
pub fn strings(value: Option<&Value>, sep: char) -> Vec<String> {
    match value {
        Some(Value::Array(values)) => values.iter().filter_map(|v| text(Some(v))).collect(),
        Some(Value::String(s)) => s.split(sep).filter_map(text::clean).collect(),
        _ => Vec::new(),
    }
}

/// An absolute http(s) URL; protocol-relative ones (`//upload.wikimedia.org/…`) get https.
pub fn url(value: Option<&Value>) -> Option<String> {
    let text = text(value)?;
    let text = match text.strip_prefix("//") {
        Some(rest) => format!("https://{rest}"),
        None => text,
    };
    crate::urls::absolute(&text).map(String::from)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numbers_come_as_strings_and_booleans_as_words() {
        let v = json!({"total": "121528", "pages": 3, "f": 1.6, "bad": "many",
                       "a": "True", "b": "0", "c": true, "d": 0});
        assert_eq!(count(v.get("total")), Some(121_528));
        assert_eq!(count(v.get("pages")), Some(3));
        assert_eq!(count(v.get("f")), Some(2));
        assert_eq!(count(v.get("bad")), None);
        assert_eq!(flag(v.get("a")), Some(true));
        assert_eq!(flag(v.get("b")), Some(false));
        assert_eq!(flag(v.get("c")), Some(true));
        assert_eq!(flag(v.get("d")), Some(false));
    }

    #[test]
    fn html_and_double_escaped_text_become_plain_text() {
        assert_eq!(
            plain_text("<a href=\"//x\">PtrQs</a> &amp; <b>co</b>").as_deref(),
            Some("PtrQs & co")
        );
        assert_eq!(
            plain_text("This is &amp;quot;Zander&amp;quot; it&amp;#39;s").as_deref(),
            Some("This is \"Zander\" it's")
        );
        assert_eq!(plain_text("R&D; fine").as_deref(), Some("R&D; fine"));
    }

    #[test]
    fn urls_must_be_absolute_and_protocol_relative_ones_get_https() {
        let v = json!({"a": "//commons.wikimedia.org/wiki/User:X", "b": "/relative", "c": 3});
        assert_eq!(
            url(v.get("a")).as_deref(),
            Some("https://commons.wikimedia.org/wiki/User:X")
        );
        assert_eq!(url(v.get("b")), None);
        assert_eq!(url(v.get("c")), None);
    }
}

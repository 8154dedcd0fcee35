//! What the query language adds to Tantivy's: bare dates in date fields and `word*`
//! prefixes. Both are rewritten into syntax Tantivy's parser knows before it runs, outside
//! quoted phrases only.
//!
//! - `taken:2018-12-18` becomes the whole day, `taken:[2018-12-18T00:00:00Z TO
//!   2018-12-19T00:00:00Z}`; range bounds and comparisons (`taken:>=2018-12`) are widened
//!   the same way, so `[2018-12-18 TO 2018-12-20]` includes all of the 20th.
//! - `soyu*` becomes a prefix match on every default field, and `title:soyu*` on `title`.

use regex::{Captures, Regex};
use std::sync::LazyLock;

use super::dates::{Period, rfc3339};

/// The fields that hold dates.
const DATE_FIELDS: &str = "taken|published|date";

static RANGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"\b({DATE_FIELDS}):\s*([\[{{])\s*(\S+?)\s+TO\s+(\S+?)\s*([\]}}])"
    ))
    .expect("valid range regex")
});
static COMPARISON: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"\b({DATE_FIELDS}):\s*(>=|<=|>|<)\s*([^\s)]+)"))
        .expect("valid comparison regex")
});
/// `a AND NOT b` would be `a` and a clause that only excludes, which matches nothing in
/// Tantivy; `a NOT b` says what is meant.
static AND_NOT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\bAND\s+(NOT\s|-)").expect("valid AND NOT regex"));
static BARE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"\b({DATE_FIELDS}):\s*([0-9][^\s)]*)")).expect("valid date regex")
});

/// How the rewriter folds a prefix the way the index folded its words: `Soyu` → `soyu`.
/// `None` when the text is not exactly one word.
pub(crate) type Fold<'a> = &'a dyn Fn(&str) -> Option<String>;

/// The query with its dates and prefixes in Tantivy's syntax.
///
/// # Errors
/// A message naming the date that is not one, or the prefix that is too short.
pub(crate) fn rewrite(
    query: &str,
    fold: Fold<'_>,
    default_fields: &[&str],
) -> Result<String, String> {
    let mut out = String::with_capacity(query.len() + 32);
    for segment in segments(query) {
        match segment {
            Segment::Quoted(text) => out.push_str(text),
            Segment::Plain(text) => {
                let text = AND_NOT.replace_all(text, "$1");
                let text = dates(&text)?;
                out.push_str(&prefixes(&text, fold, default_fields)?);
            }
        }
    }
    Ok(out)
}

enum Segment<'a> {
    Plain(&'a str),
    /// A phrase with its quotes, or an unclosed one to the end.
    Quoted(&'a str),
}

/// Splits the query at double quotes; `\"` does not count.
fn segments(query: &str) -> Vec<Segment<'_>> {
    let mut out = Vec::new();
    let (mut start, mut quoted, mut escaped) = (0, false, false);
    for (i, c) in query.char_indices() {
        match c {
            '\\' if !escaped => {
                escaped = true;
                continue;
            }
            '"' if !escaped && !quoted => {
                out.push(Segment::Plain(&query[start..i]));
                (start, quoted) = (i, true);
            }
            '"' if !escaped => {
                out.push(Segment::Quoted(&query[start..=i]));
                (start, quoted) = (i + 1, false);
            }
            _ => {}
        }
        escaped = false;
    }
    let rest = &query[start..];
    out.push(if quoted {
        Segment::Quoted(rest)
    } else {
        Segment::Plain(rest)
    });
    out
}

/// Rewrites every date in a date field.
fn dates(text: &str) -> Result<String, String> {
    let text = replace(&RANGE, text, |c| {
        let lower = bound(&c[3], c[2].starts_with('['), true)?;
        let upper = bound(&c[4], c[5].starts_with(']'), false)?;
        Ok(format!("{}:{lower} TO {upper}", &c[1]))
    })?;
    let text = replace(&COMPARISON, &text, |c| {
        let (field, op, value) = (&c[1], &c[2], &c[3]);
        let Some(period) = bare(value)? else {
            return Ok(c[0].to_string());
        };
        let (op, at) = match op {
            ">=" => (">=", period.start),
            ">" => (">=", period.end),
            "<=" => ("<", period.end),
            _ => ("<", period.start),
        };
        Ok(format!("{field}:{op}{}", rfc3339(at)))
    })?;
    replace(&BARE, &text, |c| {
        let Some(period) = bare(&c[2])? else {
            return Ok(c[0].to_string());
        };
        Ok(format!(
            "{}:[{} TO {}}}",
            &c[1],
            rfc3339(period.start),
            rfc3339(period.end)
        ))
    })
}

/// One end of a range: `[2018-12-18` starts at the day's first second, `2018-12-20]` ends
/// after its last, `{2018-12-18` after it, `2018-12-20}` before it.
fn bound(value: &str, inclusive: bool, lower: bool) -> Result<String, String> {
    if value == "*" {
        return Ok(if lower { "[*" } else { "*]" }.to_string());
    }
    let Some(period) = bare(value)? else {
        let (open, close) = (
            if inclusive { "[" } else { "{" },
            if inclusive { "]" } else { "}" },
        );
        return Ok(if lower {
            format!("{open}{value}")
        } else {
            format!("{value}{close}")
        });
    };
    Ok(match (lower, inclusive) {
        (true, true) => format!("[{}", rfc3339(period.start)),
        (true, false) => format!("[{}", rfc3339(period.end)),
        (false, true) => format!("{}}}", rfc3339(period.end)),
        (false, false) => format!("{}}}", rfc3339(period.start)),
    })
}

/// The period of a bare date, `None` for an exact instant (Tantivy reads those), and an
/// error for anything else.
fn bare(value: &str) -> Result<Option<Period>, String> {
    let period = Period::parse(value)?;
    Ok(Period::is_bare(value).then_some(period))
}

/// `regex.replace_all` with a fallible replacement.
fn replace(
    regex: &Regex,
    text: &str,
    mut with: impl FnMut(&Captures<'_>) -> Result<String, String>,
) -> Result<String, String> {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for captures in regex.captures_iter(text) {
        let whole = captures.get(0).expect("group 0 always matches");
        out.push_str(&text[last..whole.start()]);
        out.push_str(&with(&captures)?);
        last = whole.end();
    }
    out.push_str(&text[last..]);
    Ok(out)
}

/// Rewrites every `word*` and `field:word*` outside ranges.
fn prefixes(text: &str, fold: Fold<'_>, default_fields: &[&str]) -> Result<String, String> {
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    for c in text.chars() {
        if c.is_whitespace() || c == '(' || c == ')' {
            out.push_str(&prefix(&std::mem::take(&mut word), fold, default_fields)?);
            out.push(c);
        } else {
            word.push(c);
        }
    }
    out.push_str(&prefix(&word, fold, default_fields)?);
    Ok(out)
}

/// `soyu*` → `(title:/soyu.*/ OR …)`; anything else unchanged.
fn prefix(word: &str, fold: Fold<'_>, default_fields: &[&str]) -> Result<String, String> {
    let Some(body) = word.strip_suffix('*') else {
        return Ok(word.to_string());
    };
    let (sign, body) = match body.strip_prefix(['+', '-']) {
        Some(rest) => (&body[..1], rest),
        None => ("", body),
    };
    let (field, stem) = match body.split_once(':') {
        Some((field, stem)) => (Some(field), stem),
        None => (None, body),
    };
    let special = |c: char| "[]{}\"^~/\\*:<>=".contains(c);
    if stem.is_empty() || stem.chars().any(special) {
        // `*`, `field:*` (exists), ranges and regexes are Tantivy's.
        return Ok(word.to_string());
    }
    // A stem of several words (`cso-1*`) is a phrase prefix, which Tantivy knows.
    let Some(folded) = fold(stem) else {
        return Ok(format!(
            "{sign}{}\"{stem}\"*",
            field.map_or(String::new(), |f| format!("{f}:"))
        ));
    };
    if folded.chars().count() < 2 {
        return Err(format!(
            "the prefix `{word}` is too short: give at least two letters before `*`"
        ));
    }
    let regex = format!("/{}.*/", regex::escape(&folded));
    Ok(match field {
        Some(field) => format!("{sign}{field}:{regex}"),
        None => {
            let each: Vec<String> = default_fields
                .iter()
                .map(|f| format!("{f}:{regex}"))
                .collect();
            format!("{sign}({})", each.join(" OR "))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fold(text: &str) -> Option<String> {
        let words: Vec<String> = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect();
        match words.as_slice() {
            [one] => Some(one.clone()),
            _ => None,
        }
    }

    fn rewritten(query: &str) -> String {
        rewrite(query, &fold, &["title", "tag"]).unwrap()
    }

    #[test]
    fn bare_dates_in_ranges_cover_whole_days() {
        assert_eq!(
            rewritten("taken:[2018-12-18 TO 2018-12-20]"),
            "taken:[2018-12-18T00:00:00Z TO 2018-12-21T00:00:00Z}"
        );
        assert_eq!(
            rewritten("vs20 published:{2018-12 TO 2019}"),
            "vs20 published:[2019-01-01T00:00:00Z TO 2019-01-01T00:00:00Z}"
        );
        assert_eq!(
            rewritten("date:[2018-12-18 TO *]"),
            "date:[2018-12-18T00:00:00Z TO *]"
        );
        assert_eq!(
            rewritten("taken:[2018-12-18T10:00:00Z TO 2018-12-18]"),
            "taken:[2018-12-18T10:00:00Z TO 2018-12-19T00:00:00Z}"
        );
    }

    #[test]
    fn bare_dates_and_comparisons_become_ranges() {
        assert_eq!(
            rewritten("taken:2018-12-18 kind:photo"),
            "taken:[2018-12-18T00:00:00Z TO 2018-12-19T00:00:00Z} kind:photo"
        );
        assert_eq!(
            rewritten("(taken:>=2018-12 OR published:<2018)"),
            "(taken:>=2018-12-01T00:00:00Z OR published:<2018-01-01T00:00:00Z)"
        );
        assert_eq!(
            rewritten("taken:>2018-12-18"),
            "taken:>=2018-12-19T00:00:00Z"
        );
        assert_eq!(
            rewritten("taken:<=2018-12-18"),
            "taken:<2018-12-19T00:00:00Z"
        );
        assert_eq!(
            rewritten("taken:2018-12-18T15:54:37Z"),
            "taken:2018-12-18T15:54:37Z",
            "exact instants are Tantivy's"
        );
    }

    #[test]
    fn and_not_excludes() {
        assert_eq!(rewritten("soyuz AND NOT vs21"), "soyuz NOT vs21");
        assert_eq!(rewritten("soyuz AND -vs21"), "soyuz -vs21");
        assert_eq!(rewritten("\"AND NOT\" vs20"), "\"AND NOT\" vs20");
    }

    #[test]
    fn phrases_are_left_alone() {
        assert_eq!(
            rewritten("\"taken:2018 soyu*\" soyu*"),
            "\"taken:2018 soyu*\" (title:/soyu.*/ OR tag:/soyu.*/)"
        );
        assert_eq!(rewritten("\"unclosed soyu*"), "\"unclosed soyu*");
    }

    #[test]
    fn prefixes_become_regexes_on_folded_stems() {
        assert_eq!(rewritten("title:Soyu*"), "title:/soyu.*/");
        assert_eq!(
            rewritten("-fusé* vs20"),
            "-(title:/fusé.*/ OR tag:/fusé.*/) vs20"
        );
        assert_eq!(
            rewritten("(vs2* OR cso)"),
            "((title:/vs2.*/ OR tag:/vs2.*/) OR cso)"
        );
        assert_eq!(rewritten("cso-1*"), "\"cso-1\"*");
        assert_eq!(rewritten("* title:* [a TO *]"), "* title:* [a TO *]");
    }

    #[test]
    fn bad_dates_and_short_prefixes_are_explained() {
        let error = |q: &str| rewrite(q, &fold, &["title"]).unwrap_err();
        assert!(error("taken:[2018-13-01 TO 2018-12-20]").contains("`2018-13-01` is not a date"));
        assert!(error("taken:2018-12-32").contains("`2018-12-32` is not a date"));
        assert!(error("published:>=yesterday").contains("`yesterday` is not a date"));
        assert!(error("s*").contains("too short"));
    }
}

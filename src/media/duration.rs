//! Running times as pages write them.

/// Running time in whole seconds from the ways pages write it.
///
/// Accepts ISO 8601 durations (`PT1M43S`, `PT2H`, `P0DT1H2M3.5S`, and the broken `T0M44S`
/// without its `P`), clock times (`01:02:03`, `1:43`) and plain seconds (`103`, `103.5`).
/// Fractions are rounded.
pub fn duration_seconds(text: &str) -> Option<u32> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let seconds = if let Ok(n) = text.parse::<f64>() {
        n
    } else if text.contains(':') {
        clock_seconds(text)?
    } else {
        iso_seconds(text)?
    };
    let rounded = seconds.round();
    (rounded.is_finite() && (0.0..=f64::from(u32::MAX)).contains(&rounded))
        .then_some(rounded as u32)
}

/// `HH:MM:SS`, `MM:SS` (fractional seconds allowed).
fn clock_seconds(text: &str) -> Option<f64> {
    let parts: Vec<&str> = text.split(':').collect();
    if parts.len() > 3 {
        return None;
    }
    parts.iter().try_fold(0.0, |total, part| {
        let n: f64 = part.trim().parse().ok()?;
        (n >= 0.0).then_some(total * 60.0 + n)
    })
}

/// ISO 8601 `P[nY][nM][nW][nD][T[nH][nM][nS]]`; years and months are taken as 365 and 30
/// days, which only matters for nonsense values.
fn iso_seconds(text: &str) -> Option<f64> {
    let upper = text.to_ascii_uppercase();
    let body = upper.strip_prefix('P').unwrap_or(&upper);
    let (date, time) = match body.split_once('T') {
        Some((d, t)) => (d, Some(t)),
        None => (body, None),
    };
    let date_units = |u: char| match u {
        'Y' => Some(365.0 * 86400.0),
        'M' => Some(30.0 * 86400.0),
        'W' => Some(7.0 * 86400.0),
        'D' => Some(86400.0),
        _ => None,
    };
    let time_units = |u: char| match u {
        'H' => Some(3600.0),
        'M' => Some(60.0),
        'S' => Some(1.0),
        _ => None,
    };
    let (date_total, date_parts) = iso_components(date, date_units)?;
    let (time_total, time_parts) = match time {
        Some(t) => iso_components(t, time_units)?,
        None => (0.0, 0),
    };
    (date_parts + time_parts > 0).then_some(date_total + time_total)
}

/// Sums `<number><unit>` pairs; `None` on anything else.
fn iso_components(text: &str, unit: impl Fn(char) -> Option<f64>) -> Option<(f64, usize)> {
    let (mut total, mut count, mut number) = (0.0, 0, String::new());
    for c in text.chars() {
        if c.is_ascii_digit() || c == '.' || c == ',' {
            number.push(if c == ',' { '.' } else { c });
            continue;
        }
        let value: f64 = number.parse().ok()?;
        total += value * unit(c)?;
        count += 1;
        number.clear();
    }
    number.is_empty().then_some((total, count))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_in_every_written_form() {
        for (text, seconds) in [
            ("PT1M43S", Some(103)),
            ("PT2H", Some(7200)),
            ("P0DT1H2M3.5S", Some(3724)),
            ("T0M44S", Some(44)),
            ("pt30s", Some(30)),
            ("P1D", Some(86400)),
            ("PT0.4S", Some(0)),
            ("103", Some(103)),
            ("103.6", Some(104)),
            ("00:01:43", Some(103)),
            ("1:43", Some(103)),
            ("", None),
            ("P", None),
            ("PT", None),
            ("PT1X", None),
            ("soon", None),
            ("-5", None),
            ("1:2:3:4", None),
            ("NaN", None),
        ] {
            assert_eq!(duration_seconds(text), seconds, "{text:?}");
        }
    }
}

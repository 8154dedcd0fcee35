//! Figures and how they are shown: one `metric value` line each, then a table for people.
//!
//! Every figure is measured against one or more baselines in the same run; its ratio is
//! value ÷ baseline (or, where rounds pair them, the median of per-round ratios), and its goal
//! says which way is good (`≥ 0.9` for a throughput, `≤ 1` for a latency against a target).

use std::fmt::Write as _;

/// Which side of a ratio is good.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Goal {
    AtLeast(f64),
    AtMost(f64),
}

impl Goal {
    pub(crate) fn met(self, ratio: f64) -> bool {
        match self {
            Goal::AtLeast(limit) => ratio >= limit,
            Goal::AtMost(limit) => ratio <= limit,
        }
    }

    pub(crate) fn label(self) -> String {
        match self {
            Goal::AtLeast(limit) => format!("≥ {limit}"),
            Goal::AtMost(limit) => format!("≤ {limit}"),
        }
    }
}

/// What a figure is compared with.
#[derive(Clone, Debug)]
pub(crate) struct Baseline {
    /// Its part of the metric names: `raw_tantivy` gives `….raw_tantivy_items_per_s` and
    /// `….ratio_to_raw_tantivy`.
    pub(crate) name: &'static str,
    /// What it is, for people.
    pub(crate) what: String,
    /// `None` when it could not be measured (a tool is missing).
    pub(crate) value: Option<f64>,
    pub(crate) goal: Option<Goal>,
    /// The ratio when it is not value ÷ baseline: the median of per-round ratios, which a
    /// busy round cannot tilt as it tilts one of two medians.
    pub(crate) ratio: Option<f64>,
}

impl Baseline {
    pub(crate) fn new(name: &'static str, what: impl Into<String>, value: Option<f64>) -> Self {
        Baseline {
            name,
            what: what.into(),
            value,
            goal: None,
            ratio: None,
        }
    }

    pub(crate) fn ratio(mut self, ratio: f64) -> Self {
        self.ratio = Some(ratio);
        self
    }

    pub(crate) fn goal(mut self, goal: Goal) -> Self {
        self.goal = Some(goal);
        self
    }
}

/// One measured figure.
#[derive(Clone, Debug)]
pub(crate) struct Figure {
    /// The metric names' prefix: `ingest.100k`.
    pub(crate) key: String,
    /// What was measured, for people.
    pub(crate) what: String,
    /// The metric names' unit: `items_per_s`, `ms`, `mib`.
    pub(crate) unit: &'static str,
    pub(crate) value: Option<f64>,
    pub(crate) baselines: Vec<Baseline>,
    /// How many measurements the value is the median (or percentile) of.
    pub(crate) runs: usize,
    /// Anything a reader needs: how the figure was taken, why it is missing.
    pub(crate) note: String,
}

impl Figure {
    pub(crate) fn new(key: impl Into<String>, what: impl Into<String>, unit: &'static str) -> Self {
        Figure {
            key: key.into(),
            what: what.into(),
            unit,
            value: None,
            baselines: Vec::new(),
            runs: 1,
            note: String::new(),
        }
    }

    pub(crate) fn value(mut self, value: f64) -> Self {
        self.value = Some(value);
        self
    }

    pub(crate) fn against(mut self, baseline: Baseline) -> Self {
        self.baselines.push(baseline);
        self
    }

    pub(crate) fn runs(mut self, runs: usize) -> Self {
        self.runs = runs;
        self
    }

    pub(crate) fn note(mut self, note: impl Into<String>) -> Self {
        self.note = note.into();
        self
    }

    fn ratio(&self, baseline: &Baseline) -> Option<f64> {
        if baseline.ratio.is_some() {
            return baseline.ratio;
        }
        let (value, base) = (self.value?, baseline.value?);
        (base != 0.0).then(|| value / base)
    }

    /// The figure's `metric value` lines.
    pub(crate) fn metric_lines(&self) -> Vec<(String, Option<f64>)> {
        let mut lines = vec![(format!("{}.{}", self.key, self.unit), self.value)];
        for baseline in &self.baselines {
            lines.push((
                format!("{}.{}_{}", self.key, baseline.name, self.unit),
                baseline.value,
            ));
            lines.push((
                format!("{}.ratio_to_{}", self.key, baseline.name),
                self.ratio(baseline),
            ));
        }
        lines
    }
}

/// A number as the report writes it: three significant digits, no exponent.
pub(crate) fn number(value: f64) -> String {
    let magnitude = value.abs();
    if magnitude >= 100.0 || value == value.trunc() && magnitude < 1e15 {
        format!("{value:.0}")
    } else if magnitude >= 10.0 {
        format!("{value:.1}")
    } else if magnitude >= 1.0 {
        format!("{value:.2}")
    } else {
        format!("{value:.3}")
    }
}

pub(crate) fn shown(value: Option<f64>) -> String {
    value.map_or_else(|| "n/a".to_string(), number)
}

/// Every figure's `metric value` lines.
pub(crate) fn metrics(figures: &[Figure]) -> String {
    let mut out = String::new();
    for figure in figures {
        for (name, value) in figure.metric_lines() {
            let _ = writeln!(out, "{name} {}", shown(value));
        }
    }
    out
}

/// One table row per figure and baseline: what, value, baseline, ratio, goal.
pub(crate) fn rows(figures: &[Figure]) -> Vec<[String; 7]> {
    let mut rows = Vec::new();
    for figure in figures {
        let value = format!("{} {}", shown(figure.value), unit_label(figure.unit));
        if figure.baselines.is_empty() {
            rows.push([
                figure.key.clone(),
                figure.what.clone(),
                value.clone(),
                String::new(),
                String::new(),
                String::new(),
                figure.runs.to_string(),
            ]);
        }
        for baseline in &figure.baselines {
            let ratio = figure.ratio(baseline);
            let goal = baseline.goal.map_or_else(String::new, |goal| {
                let verdict = match ratio {
                    Some(r) if goal.met(r) => "met",
                    Some(_) => "MISSED",
                    None => "?",
                };
                format!("{} {verdict}", goal.label())
            });
            rows.push([
                figure.key.clone(),
                figure.what.clone(),
                value.clone(),
                format!("{}: {}", baseline.what, shown(baseline.value)),
                shown(ratio),
                goal,
                figure.runs.to_string(),
            ]);
        }
    }
    rows
}

pub(crate) const HEADER: [&str; 7] = [
    "metric", "what", "value", "baseline", "ratio", "goal", "runs",
];

/// The rows as a plain-text table for the terminal.
pub(crate) fn text_table(figures: &[Figure]) -> String {
    let rows = rows(figures);
    // The "what" column is long: the terminal table leaves it out, BENCHMARKS.md has it.
    let keep = [0, 2, 3, 4, 5, 6];
    let widths: Vec<usize> = keep
        .iter()
        .map(|&c| {
            rows.iter()
                .map(|r| r[c].chars().count())
                .chain([HEADER[c].len()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    let mut line = |cells: Vec<&str>| {
        for (cell, width) in cells.iter().zip(&widths) {
            let _ = write!(out, "{cell:<width$}  ");
        }
        out.truncate(out.trim_end().len());
        out.push('\n');
    };
    line(keep.iter().map(|&c| HEADER[c]).collect());
    for row in &rows {
        line(keep.iter().map(|&c| row[c].as_str()).collect());
    }
    out
}

/// Notes of the figures that have one, as a list.
pub(crate) fn notes(figures: &[Figure]) -> String {
    figures
        .iter()
        .filter(|f| !f.note.is_empty())
        .map(|f| format!("- `{}`: {}\n", f.key, f.note))
        .collect()
}

fn unit_label(unit: &str) -> &str {
    match unit {
        "items_per_s" => "items/s",
        "pages_per_s" => "pages/s",
        "mb_per_s" => "MB/s",
        "ms" => "ms",
        "mib" => "MiB",
        "bytes_per_item" => "B/item",
        "cpu_ms_per_page" => "CPU ms/page",
        "s" => "s",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metric_lines_name_value_baseline_and_ratio() {
        let figure = Figure::new("ingest.10k", "ingest", "items_per_s")
            .value(800.0)
            .against(Baseline::new("raw_tantivy", "raw", Some(1_000.0)))
            .against(Baseline::new("ripgrep", "rg", None));
        assert_eq!(
            metrics(&[figure]),
            "ingest.10k.items_per_s 800\n\
             ingest.10k.raw_tantivy_items_per_s 1000\n\
             ingest.10k.ratio_to_raw_tantivy 0.800\n\
             ingest.10k.ripgrep_items_per_s n/a\n\
             ingest.10k.ratio_to_ripgrep n/a\n"
        );
    }

    #[test]
    fn a_ratio_measured_per_round_is_reported_as_it_is() {
        let figure = Figure::new("ingest.1m", "ingest", "items_per_s")
            .value(800.0)
            .against(Baseline::new("raw", "raw", Some(1_000.0)).ratio(0.9));
        assert!(metrics(&[figure]).ends_with("ingest.1m.ratio_to_raw 0.900\n"));
    }
}

//! The query mix: every form of query the benchmark times, each with variants that its rounds
//! rotate through (so that no query is answered from a cache warmed by the same words a
//! moment before), in archive's language and in FTS5's, and the three ways a search is asked
//! for (ranked only, the table, `--json`).

use archive::search::{Filters, Request};

/// One form of query: what issue 15's goal names ("every form in the mix").
pub(super) struct Form {
    pub(super) name: &'static str,
    pub(super) variants: &'static [Variant],
}

/// One query of a form.
pub(super) struct Variant {
    pub(super) text: &'static str,
    /// `--campaign` for archive; a column filter in `fts5`.
    pub(super) campaign: Option<&'static str>,
    pub(super) fts5: &'static str,
    /// Taken in [since, until) for FTS5; archive says it in `text`.
    pub(super) taken: Option<(&'static str, &'static str)>,
}

const fn words(text: &'static str) -> Variant {
    Variant {
        text,
        campaign: None,
        fts5: text,
        taken: None,
    }
}

const fn in_campaign(text: &'static str, campaign: &'static str, fts5: &'static str) -> Variant {
    Variant {
        text,
        campaign: Some(campaign),
        fts5,
        taken: None,
    }
}

const fn taken(
    text: &'static str,
    fts5: &'static str,
    since: &'static str,
    until: &'static str,
) -> Variant {
    Variant {
        text,
        campaign: None,
        fts5,
        taken: Some((since, until)),
    }
}

pub(super) const MIX: [Form; 6] = [
    Form {
        name: "one_word",
        variants: &[
            words("rollout"),
            words("gantry"),
            words("countdown"),
            words("antenna"),
        ],
    },
    Form {
        name: "one_common_word",
        variants: &[
            words("soyuz"),
            words("ariane"),
            words("launch"),
            words("satellite"),
        ],
    },
    Form {
        name: "two_words",
        variants: &[
            words("soyuz fairing"),
            words("ariane payload"),
            words("vega integration"),
            words("launch team"),
        ],
    },
    Form {
        name: "campaign_filter",
        variants: &[
            in_campaign("launch", "VS20", "launch AND campaigns:vs20"),
            in_campaign("satellite", "VA250", "satellite AND campaigns:va250"),
            in_campaign("team", "VV10", "team AND campaigns:vv10"),
            in_campaign("night", "VS05", "night AND campaigns:vs05"),
        ],
    },
    Form {
        name: "date_range",
        variants: &[
            taken(
                "satellite taken:[2018-01-01 TO 2018-06-30]",
                "satellite",
                "2018-01-01",
                "2018-07-01",
            ),
            taken(
                "launch taken:[2015-03-01 TO 2015-09-30]",
                "launch",
                "2015-03-01",
                "2015-10-01",
            ),
            taken(
                "team taken:[2021-01-01 TO 2021-12-31]",
                "team",
                "2021-01-01",
                "2022-01-01",
            ),
            taken(
                "space taken:[2013-05-01 TO 2013-05-31]",
                "space",
                "2013-05-01",
                "2013-06-01",
            ),
        ],
    },
    Form {
        name: "phrase",
        variants: &[
            words("\"launch pad\""),
            words("\"mobile gantry\""),
            words("\"control room\""),
            words("\"final countdown\""),
        ],
    },
];

/// How a search is asked for: what it computes besides the 20 best hits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Output {
    /// The best hits only: Tantivy may skip blocks that cannot make the top (block-max WAND).
    Ranked,
    /// `archive search` to a terminal or a pipe: every match counted, the summary's kinds and
    /// campaigns counted.
    Table,
    /// `archive search --json`: the best hits with their snippets.
    Json,
}

impl Output {
    pub(super) const ALL: [Output; 3] = [Output::Ranked, Output::Table, Output::Json];

    pub(super) fn name(self) -> &'static str {
        match self {
            Output::Ranked => "ranked",
            Output::Table => "table",
            Output::Json => "json",
        }
    }

    /// The request `archive search` makes for this output (src/commands/search.rs).
    pub(super) fn request(self, variant: &Variant) -> Request {
        let mut request = Request::new(variant.text);
        request.filters = Filters {
            campaigns: variant.campaign.map(str::to_string).into_iter().collect(),
            ..Filters::default()
        };
        request.count = self == Output::Table;
        request.summary = self == Output::Table;
        request.highlights = self == Output::Json;
        request
    }
}

/// The variant a round asks: each round the next one, so that consecutive rounds differ.
pub(super) fn variant(form: &Form, round: usize) -> &Variant {
    &form.variants[round % form.variants.len()]
}

/// The mix as `fts5.py` reads it: each form with its variants.
pub(super) fn fts5_json() -> serde_json::Value {
    MIX.iter()
        .map(|form| {
            let variants: Vec<serde_json::Value> = form
                .variants
                .iter()
                .map(|v| {
                    serde_json::json!({"match": v.fts5,
                        "since": v.taken.map(|t| t.0), "until": v.taken.map(|t| t.1)})
                })
                .collect();
            serde_json::json!({"name": form.name, "variants": variants})
        })
        .collect()
}

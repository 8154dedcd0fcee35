//! Comparing what a crawl gave with what was expected, field by field, each difference
//! filed under the class of defect it shows.

use archive::model::{Item, Kind};

use super::expect::{Expectation, ExpectedItem};
use super::run::Outcome;

/// One difference between what was expected and what was read.
#[derive(Debug)]
pub(crate) struct Failure {
    /// The class of defect (`junk indexed as media`, `credit`…).
    pub(crate) class: &'static str,
    pub(crate) message: String,
}

/// Every difference for one input; empty when it was read fully right.
pub(crate) fn compare(expectation: &Expectation, outcome: &Outcome) -> Vec<Failure> {
    let mut failures = Vec::new();
    check_seed(expectation, outcome, &mut failures);
    let mut matched = vec![false; outcome.items.len()];
    for expected in &expectation.items {
        match find(expected, &outcome.items) {
            Some(i) => {
                matched[i] = true;
                check_item(expected, &outcome.items[i], &mut failures);
            }
            None => failures.push(Failure {
                class: "missed items",
                message: format!("missing {}", describe(expected)),
            }),
        }
    }
    for (item, matched) in outcome.items.iter().zip(&matched) {
        let listed = expectation
            .not_indexed
            .iter()
            .any(|url| item.id == *url || item.media_url.as_deref() == Some(url.as_str()));
        if listed && *matched {
            failures.push(Failure {
                class: "wrong file",
                message: format!(
                    "{} has a file that is not media: {:?}",
                    item.id, item.media_url
                ),
            });
            continue;
        }
        let extra = !matched && expectation.exhaustive && item.kind != Kind::Article;
        if listed || extra {
            failures.push(Failure {
                class: "junk indexed as media",
                message: format!(
                    "unexpected {} {} ({:?}, media {:?})",
                    item.kind.as_str(),
                    item.id,
                    item.title,
                    item.media_url
                ),
            });
        }
    }
    failures
}

fn check_seed(expectation: &Expectation, outcome: &Outcome, failures: &mut Vec<Failure>) {
    let Some(seed) = outcome.report.seeds.first() else {
        return;
    };
    let failed = seed.error.is_some();
    if failed != expectation.seed_fails {
        failures.push(Failure {
            class: "seeds and replays",
            message: format!(
                "the seed should {}: {:?}",
                if expectation.seed_fails {
                    "fail"
                } else {
                    "be read"
                },
                seed.error
            ),
        });
    }
    if let Some(title) = &expectation.seed_title
        && seed.title.as_deref() != Some(title.as_str())
    {
        failures.push(Failure {
            class: "seeds and replays",
            message: format!("seed title {:?}, expected {title:?}", seed.title),
        });
    }
}

/// The actual item an expected one stands for: same id, else same file.
fn find(expected: &ExpectedItem, items: &[Item]) -> Option<usize> {
    if let Some(id) = &expected.id {
        return items.iter().position(|i| i.id == *id);
    }
    let Some(media) = expected.media_url.as_deref() else {
        // Neither id nor file: the first item of its kind (the page itself, an article).
        let kind = expected.kind.as_deref()?;
        return items.iter().position(|i| i.kind.as_str() == kind);
    };
    items
        .iter()
        .position(|i| i.media_url.as_deref() == Some(media) || i.id == media)
}

fn describe(expected: &ExpectedItem) -> String {
    let what = expected.id.as_deref().or(expected.media_url.as_deref());
    format!(
        "{} {}",
        expected.kind.as_deref().unwrap_or("item"),
        what.unwrap_or("?")
    )
}

fn check_item(expected: &ExpectedItem, item: &Item, failures: &mut Vec<Failure>) {
    let name = describe(expected);
    let mut differ = |class: &'static str, field: &str, want: String, got: String| {
        if want != got {
            failures.push(Failure {
                class,
                message: format!("{name}: {field} is {got:?}, expected {want:?}"),
            });
        }
    };
    let text = |value: &Option<String>| value.clone().unwrap_or_default();
    let date =
        |value: &Option<archive::model::When>| value.map(|d| d.to_string()).unwrap_or_default();
    let number = |value: Option<u32>| value.map(|n| n.to_string()).unwrap_or_default();
    if let Some(want) = &expected.kind {
        differ(
            "wrong file",
            "kind",
            want.clone(),
            item.kind.as_str().into(),
        );
    }
    if let (Some(want), Some(_)) = (&expected.media_url, &expected.id) {
        differ(
            "wrong file",
            "media_url",
            want.clone(),
            text(&item.media_url),
        );
    }
    if let Some(want) = &expected.title {
        let class = if item.title.as_deref().is_some_and(looks_like_credit) {
            "credit"
        } else {
            "titles"
        };
        differ(class, "title", want.clone(), text(&item.title));
    }
    if let Some(want) = &expected.creator {
        differ("credit", "creator", want.clone(), text(&item.creator));
    }
    if let Some(want) = &expected.license {
        differ("licence", "license", want.clone(), text(&item.license));
    }
    if let Some(want) = &expected.taken_at {
        differ("dates", "taken_at", want.clone(), date(&item.taken_at));
    }
    if let Some(want) = &expected.published_at {
        differ(
            "dates",
            "published_at",
            want.clone(),
            date(&item.published_at),
        );
    }
    let sizes = [
        (
            "duration_seconds",
            expected.duration_seconds,
            item.duration_seconds,
        ),
        ("width", expected.width, item.width),
        ("height", expected.height, item.height),
    ];
    for (field, want, got) in sizes {
        if let Some(want) = want {
            differ("sizes and durations", field, want.to_string(), number(got));
        }
    }
    if let Some(want) = &expected.page_url {
        differ("wrong file", "page_url", want.clone(), text(&item.page_url));
    }
    let missing: Vec<&String> = expected
        .tags
        .iter()
        .filter(|t| !item.tags.iter().any(|have| have == *t))
        .collect();
    if !missing.is_empty() {
        differ(
            "tags",
            "tags",
            format!("{missing:?} among them"),
            format!("{:?}", item.tags),
        );
    }
    if let Some(want) = &expected.description_has
        && !item
            .description
            .as_deref()
            .is_some_and(|d| d.contains(want.as_str()))
    {
        differ(
            "descriptions",
            "description",
            format!("…{want}…"),
            text(&item.description),
        );
    }
}

/// A title that is really a credit line ("Foto: LA NACION", "Photograph: …").
fn looks_like_credit(title: &str) -> bool {
    let lower = title.to_lowercase();
    [
        "foto:",
        "photo:",
        "photograph:",
        "credit",
        "©",
        "crédit",
        "getty images",
    ]
    .iter()
    .any(|m| lower.contains(m))
}

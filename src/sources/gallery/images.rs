//! Which file an `<img>` stands for, how large it is, and whether it is decoration.

use ego_tree::NodeId;
use scraper::{ElementRef, Html, Selector};
use std::collections::HashSet;
use std::sync::LazyLock;
use url::Url;

use crate::media::html;
use crate::media::kind::{MediaGuess, kind_from_extension};
use crate::media::worthiness::{is_decorative_name, is_decorative_url};
use crate::model::Kind;
use crate::urls;

static NOSCRIPT_IMG: LazyLock<Selector> = LazyLock::new(|| html::selector("noscript img"));

/// Below this many pixels on its longest known side, an image is a thumbnail, an icon or
/// a pixel, never press material.
pub(super) const MIN_SIDE: u32 = 200;

/// Lazy-loading attributes holding the real file, preferred over a placeholder `src`.
const LAZY_SRC: [&str; 4] = ["data-src", "data-lazy-src", "data-original", "data-lazy"];
const LAZY_SRCSET: [&str; 3] = ["data-srcset", "data-lazy-srcset", "srcset"];

/// One file an image offers, with its width when `srcset` says it.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Candidate {
    pub(super) url: Url,
    pub(super) width: Option<u32>,
    pub(super) density: Option<f32>,
}

/// The best file the image itself offers: the widest `srcset` candidate (lazy `data-srcset`
/// first, and the `<source>`s of an enclosing `<picture>`), else the lazy `data-src`, else
/// `src`. Placeholders (`data:` URIs, `lazy.gif`) are never chosen.
pub(super) fn best_source(img: ElementRef<'_>, base: &Url) -> Option<Candidate> {
    let mut candidates: Vec<Candidate> = LAZY_SRCSET
        .iter()
        .filter_map(|a| img.attr(a))
        .flat_map(|s| parse_srcset(s, base))
        .collect();
    candidates.extend(picture_sources(img, base));
    let widest = candidates
        .iter()
        .filter(|c| c.width.is_some())
        .max_by_key(|c| c.width)
        .or_else(|| {
            candidates
                .iter()
                .filter(|c| c.density.is_some())
                .max_by(|a, b| {
                    a.density
                        .partial_cmp(&b.density)
                        .unwrap_or(std::cmp::Ordering::Equal)
                })
        })
        .cloned();
    widest
        .or_else(|| plain_source(img, base))
        .or_else(|| candidates.into_iter().next())
}

/// The image's own `data-src` or `src`, unless it is a placeholder.
pub(super) fn plain_source(img: ElementRef<'_>, base: &Url) -> Option<Candidate> {
    LAZY_SRC
        .iter()
        .chain(&["src"])
        .filter_map(|a| img.attr(a))
        .filter(|v| !is_placeholder(v))
        .find_map(|v| urls::followable(base, v))
        .map(|url| Candidate {
            url,
            width: None,
            density: None,
        })
}

fn is_placeholder(src: &str) -> bool {
    let src = src.trim();
    let name = src.rsplit('/').next().unwrap_or(src).to_ascii_lowercase();
    src.starts_with("data:")
        || [
            "lazy",
            "placeholder",
            "blank",
            "spacer",
            "loading",
            "transparent",
        ]
        .iter()
        .any(|w| name.contains(w))
}

/// `srcset` of the `<source>` elements of the `<picture>` holding `img`.
fn picture_sources(img: ElementRef<'_>, base: &Url) -> Vec<Candidate> {
    let Some(picture) = img
        .parent()
        .and_then(ElementRef::wrap)
        .filter(|p| p.value().name() == "picture")
    else {
        return Vec::new();
    };
    picture
        .child_elements()
        .filter(|e| e.value().name() == "source")
        .flat_map(|s| {
            ["data-srcset", "srcset"]
                .into_iter()
                .filter_map(move |a| s.attr(a))
        })
        .flat_map(|s| parse_srcset(s, base))
        .collect()
}

/// The candidates of a `srcset` (`a.jpg 640w, b.jpg 1920w` or `a.jpg 1x, b.jpg 2x`), as the
/// HTML standard splits them: commas may sit inside URLs (`c_fill,w_300`), not at their end.
pub(super) fn parse_srcset(srcset: &str, base: &Url) -> Vec<Candidate> {
    let mut out = Vec::new();
    let mut rest = srcset;
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == ',');
        if rest.is_empty() {
            break;
        }
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let (raw_url, after) = rest.split_at(end);
        let descriptors;
        if raw_url.ends_with(',') {
            descriptors = "";
            rest = after;
        } else {
            let stop = descriptor_end(after);
            descriptors = &after[..stop];
            rest = &after[stop..];
        }
        let Some(url) = urls::followable(base, raw_url.trim_end_matches(',')) else {
            continue;
        };
        let (width, density) = read_descriptors(descriptors);
        out.push(Candidate {
            url,
            width,
            density,
        });
    }
    out
}

/// Where a candidate's descriptors end: the first comma outside parentheses.
fn descriptor_end(text: &str) -> usize {
    let mut depth = 0usize;
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => return i,
            _ => {}
        }
    }
    text.len()
}

fn read_descriptors(text: &str) -> (Option<u32>, Option<f32>) {
    let (mut width, mut density) = (None, None);
    for token in text.split_whitespace() {
        if let Some(w) = token.strip_suffix('w') {
            width = w.parse().ok().filter(|w| *w > 0);
        } else if let Some(x) = token.strip_suffix('x') {
            density = x.parse().ok().filter(|x: &f32| *x > 0.0);
        }
    }
    (width, density)
}

/// A pixel size written in an attribute (`"150"`, `"150px"`); percentages and `auto` are
/// not sizes.
pub(super) fn pixel_attr(element: ElementRef<'_>, name: &str) -> Option<u32> {
    let value = element.attr(name)?.trim();
    let digits = value.strip_suffix("px").unwrap_or(value).trim();
    digits.parse().ok().filter(|n| *n > 0)
}

/// Whether an image is page furniture: named or classed as a logo, icon, sprite or pixel,
/// hidden from assistive technology outside a `<figure>` (sites such as Medium mark their
/// figures' photos `role="presentation"` because the caption says it all), an analytics
/// beacon, a vector drawing, or known to be smaller than [`MIN_SIDE`] on its longest side.
pub(super) fn is_decorative(img: ElementRef<'_>, url: &Url, longest_side: Option<u32>) -> bool {
    let e = img.value();
    let hidden = (e.attr("role") == Some("presentation") || e.attr("aria-hidden") == Some("true"))
        && enclosing(img, "figure").is_none();
    let named = ["class", "id", "alt"]
        .iter()
        .filter_map(|a| e.attr(a))
        .any(is_decorative_name);
    hidden || named || is_decorative_url(url) || longest_side.is_some_and(|s| s < MIN_SIDE)
}

/// The figures and parents that hold a `<noscript>` image: the file a lazy loader's script
/// would load, and the one a browser without scripts shows. Found once per page, so that
/// judging each image costs no walk over its neighbours.
pub(super) struct NoscriptScopes(HashSet<NodeId>);

impl NoscriptScopes {
    pub(super) fn of(doc: &Html) -> Self {
        let mut scopes = HashSet::new();
        for noscript in doc
            .select(&NOSCRIPT_IMG)
            .filter_map(|i| enclosing(i, "noscript"))
        {
            scopes.extend(noscript.parent().map(|p| p.id()));
            scopes.extend(enclosing(noscript, "figure").map(|f| f.id()));
        }
        NoscriptScopes(scopes)
    }

    /// Whether `img` is a placeholder: outside any `<noscript>`, in a figure (or, outside
    /// figures, beside a `<noscript>`) that holds the real image.
    pub(super) fn has_fallback_for(&self, img: ElementRef<'_>) -> bool {
        if self.0.is_empty() || enclosing(img, "noscript").is_some() {
            return false;
        }
        let scope =
            enclosing(img, "figure").map_or_else(|| img.parent().map(|p| p.id()), |f| Some(f.id()));
        scope.is_some_and(|id| self.0.contains(&id))
    }
}

/// The nearest ancestor named `name`.
fn enclosing<'a>(element: ElementRef<'a>, name: &str) -> Option<ElementRef<'a>> {
    element
        .ancestors()
        .filter_map(ElementRef::wrap)
        .find(|a| a.value().name() == name)
}

/// Whether a link points at an image file (a larger version), judged by its extension.
pub(super) fn is_image_file(url: &Url) -> bool {
    kind_from_extension(url.path()) == MediaGuess::Media(Kind::Photo)
}

#[cfg(test)]
mod tests {
    use super::*;
    use scraper::Html;

    fn base() -> Url {
        Url::parse("https://presse.cnes.fr/kit/vs20/index.html").unwrap()
    }

    #[test]
    fn srcset_keeps_commas_inside_urls_and_reads_descriptors() {
        let found = parse_srcset(
            "/img/c_fill,w_300/vs20.jpg 300w, /img/vs20-1200.jpg 1200w,\n /img/vs20-2x.jpg 2x, data:image/gif;base64,R0 1x",
            &base(),
        );
        let summary: Vec<(String, Option<u32>, Option<f32>)> = found
            .iter()
            .map(|c| (c.url.to_string(), c.width, c.density))
            .collect();
        assert_eq!(
            summary,
            [
                (
                    "https://presse.cnes.fr/img/c_fill,w_300/vs20.jpg".into(),
                    Some(300),
                    None
                ),
                (
                    "https://presse.cnes.fr/img/vs20-1200.jpg".into(),
                    Some(1200),
                    None
                ),
                (
                    "https://presse.cnes.fr/img/vs20-2x.jpg".into(),
                    None,
                    Some(2.0)
                ),
            ]
        );
    }

    #[test]
    fn srcset_without_descriptors_and_with_trailing_commas() {
        let found = parse_srcset("a.jpg, b.jpg 640w,,", &base());
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].width, None);
        assert_eq!(found[1].width, Some(640));
        // Without white space, a comma belongs to the URL, as the HTML standard reads it.
        let glued = parse_srcset("a.jpg,b.jpg 640w", &base());
        assert_eq!(glued.len(), 1);
        assert_eq!(glued[0].url.path(), "/kit/vs20/a.jpg,b.jpg");
    }

    fn first_img(html: &str) -> Option<Candidate> {
        let doc = Html::parse_fragment(html);
        let selector = crate::media::html::selector("img");
        let img = doc.select(&selector).next().unwrap();
        best_source(img, &base())
    }

    #[test]
    fn best_source_prefers_the_widest_then_lazy_then_src() {
        let widest = first_img(
            r#"<img src="lazy.gif" data-srcset="s.jpg 400w, l.jpg 2000w" srcset="m.jpg 800w">"#,
        );
        assert_eq!(widest.unwrap().url.path(), "/kit/vs20/l.jpg");
        let lazy = first_img(r#"<img src="data:image/gif;base64,R0lGOD" data-src="real.jpg">"#);
        assert_eq!(lazy.unwrap().url.path(), "/kit/vs20/real.jpg");
        let density = first_img(r#"<img src="a.jpg" srcset="a.jpg 1x, a@2x.jpg 2x">"#);
        assert_eq!(density.unwrap().url.path(), "/kit/vs20/a@2x.jpg");
        let picture = first_img_in_picture();
        assert_eq!(picture.unwrap().url.path(), "/kit/vs20/big.webp");
        assert_eq!(first_img(r#"<img src="data:image/png;base64,AAA">"#), None);
    }

    fn first_img_in_picture() -> Option<Candidate> {
        first_img(
            r#"<picture><source type="image/webp" srcset="small.webp 480w, big.webp 1600w"><img src="fallback.jpg"></picture>"#,
        )
    }
}

//! The caption of an image: its `<figcaption>` (or a CMS's caption block), a lightbox
//! link's `data-caption`, else its own `alt`, split into title, description and credit.

use std::sync::LazyLock;

use ego_tree::NodeRef;
use regex::Regex;
use scraper::{ElementRef, Node, Selector};

use crate::media::credit::{credit_holder, split_credit};
use crate::media::sentence::first_sentence;
use crate::media::{html, text};

/// Elements that caption the media of their container.
static CAPTIONS: LazyLock<Selector> = LazyLock::new(|| {
    html::selector(
        r#"figcaption, .wp-caption-text, [class*="caption"], [class*="legende"], [class*="légende"]"#,
    )
});
static MEDIA: LazyLock<Selector> = LazyLock::new(|| html::selector("img, video, audio"));

/// Classes and microdata that mark an element as the credit, whatever its text says.
static CREDIT_CLASS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)credit|cr[ée]dit|copyright|author|auteur|photographe?r?|source")
        .expect("valid credit-class regex")
});

/// How many ancestors up a caption or a larger-version link may sit.
pub(super) const REACH: usize = 3;

/// What a caption says about its media.
#[derive(Debug, Default, PartialEq)]
pub(super) struct Caption {
    pub(super) title: Option<String>,
    pub(super) description: Option<String>,
    pub(super) creator: Option<String>,
}

/// One line of a caption, and whether its markup says it is the credit.
struct Line {
    text: String,
    credit: bool,
}

/// The caption of `media`: its figure's or caption block's, else its lightbox link's,
/// else its `alt` and `title`.
pub(super) fn caption_of(media: ElementRef<'_>) -> Caption {
    if let Some(block) = caption_block(media) {
        return read_lines(lines_of(block));
    }
    let lightbox = media
        .ancestors()
        .take(REACH)
        .filter_map(ElementRef::wrap)
        .find(|a| a.value().name() == "a")
        .and_then(|a| {
            ["data-caption", "data-title", "title"]
                .iter()
                .find_map(|k| a.attr(k))
        })
        .and_then(text::html_to_text);
    let own = [media.attr("alt"), media.attr("title")];
    let lines = lightbox
        .into_iter()
        .chain(own.into_iter().flatten().filter_map(text::clean))
        .map(|text| Line {
            text,
            credit: false,
        });
    let mut caption = read_lines(lines.collect());
    if caption.description == caption.title {
        caption.description = None;
    }
    caption
}

/// The caption element of the nearest `<figure>` or of a close container (a `wp-caption`
/// block) that holds no other media; else of a `<figure>` further up, however deep the
/// media sits in it (Medium wraps its photos in five layers).
fn caption_block(media: ElementRef<'_>) -> Option<ElementRef<'_>> {
    for container in media.ancestors().take(REACH).filter_map(ElementRef::wrap) {
        let figure = container.value().name() == "figure";
        let alone = container.select(&MEDIA).nth(1).is_none();
        if figure || alone {
            let caption = own_caption(container);
            if caption.is_some() || figure {
                return caption;
            }
        }
    }
    let figure = media
        .ancestors()
        .filter_map(ElementRef::wrap)
        .find(|a| a.value().name() == "figure")?;
    own_caption(figure)
}

/// The container's `<figcaption>`, or a caption-classed element that holds no media.
fn own_caption(container: ElementRef<'_>) -> Option<ElementRef<'_>> {
    container
        .select(&CAPTIONS)
        .find(|c| c.value().name() == "figcaption" || !c.select(&MEDIA).any(|_| true))
}

fn read_lines(lines: Vec<Line>) -> Caption {
    let mut texts: Vec<String> = Vec::new();
    let mut creator: Option<String> = None;
    for line in lines {
        if line.credit {
            creator = creator.or_else(|| credit_holder(&line.text));
            continue;
        }
        let (text, credit) = split_credit(&line.text);
        creator = creator.or(credit);
        texts.extend(text);
    }
    let whole = (!texts.is_empty()).then(|| texts.join(" "));
    let mut texts = texts.into_iter();
    let Some(first) = texts.next() else {
        return Caption {
            creator,
            ..Caption::default()
        };
    };
    let rest: Vec<String> = texts.collect();
    // A long caption is titled by its first sentence and kept whole as the description.
    if let Some(sentence) = first_sentence(&first) {
        return Caption {
            title: Some(sentence.to_owned()),
            description: whole,
            creator,
        };
    }
    Caption {
        title: Some(first),
        description: (!rest.is_empty()).then(|| rest.join(" ")),
        creator,
    }
}

/// The caption's lines: line breaks and blocks end a line, and an element classed as a
/// credit is a line of its own.
fn lines_of(caption: ElementRef<'_>) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut current = String::new();
    walk(*caption, &mut current, &mut lines);
    flush(&mut current, &mut lines, false);
    lines
}

fn walk(node: NodeRef<'_, Node>, current: &mut String, lines: &mut Vec<Line>) {
    for child in node.children() {
        match child.value() {
            Node::Text(t) => current.push_str(t),
            Node::Element(e) if text::is_invisible(e.name()) || is_visually_hidden(e) => {}
            Node::Element(e) if e.name() == "br" => flush(current, lines, false),
            Node::Element(e) => {
                let credit = ["class", "itemprop", "id"]
                    .iter()
                    .filter_map(|a| e.attr(a))
                    .any(|v| CREDIT_CLASS.is_match(v));
                let block = credit || is_block(e.name());
                if block {
                    flush(current, lines, false);
                }
                walk(child, current, lines);
                if block {
                    flush(current, lines, credit);
                }
            }
            _ => {}
        }
    }
}

/// A label kept for screen readers only ("Credit", "Image"), which sighted readers never see
/// and which is not part of the caption.
fn is_visually_hidden(element: &scraper::node::Element) -> bool {
    element.attr("class").is_some_and(|class| {
        class.split_ascii_whitespace().any(|c| {
            matches!(
                c.to_ascii_lowercase().as_str(),
                "visually-hidden"
                    | "visuallyhidden"
                    | "sr-only"
                    | "screen-reader-text"
                    | "screen-reader-only"
                    | "a11y-hidden"
                    | "u-hidden-visually"
                    | "hidden-visually"
                    | "offscreen"
            )
        })
    }) || element.attr("aria-hidden") == Some("true")
}

fn flush(current: &mut String, lines: &mut Vec<Line>, credit: bool) {
    if let Some(text) = text::clean(current) {
        lines.push(Line { text, credit });
    }
    current.clear();
}

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "li"
            | "ul"
            | "ol"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "small"
            | "cite"
            | "footer"
            | "figcaption"
            | "blockquote"
    )
}

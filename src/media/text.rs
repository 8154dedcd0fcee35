//! Turning whatever a source sends into clean plain text.

use scraper::Html;

/// Collapses runs of white space into single spaces and trims, and drops the characters
/// that are not text (see [`is_hidden_control`]); `None` when nothing is left.
///
/// Every text field goes through this so that an empty or blank value never stands in for data.
pub fn clean(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().filter(|c| !is_hidden_control(*c)));
    }
    let out = out.trim().to_string();
    (!out.is_empty()).then_some(out)
}

/// Characters a page can use against its reader: C0 and C1 controls (an escape sequence
/// clears a terminal, rewrites its title or its clipboard), DEL, and the bidirectional
/// overrides and isolates that make text read backwards (U+202A–U+202E, U+2066–U+2069).
/// Tab and line breaks are white space and handled as such.
pub fn is_hidden_control(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// The text without hidden controls, line breaks and tabs kept: for the fields a source
/// gives whole (a licence name, a URL) rather than through [`clean`].
pub fn without_controls(text: &str) -> std::borrow::Cow<'_, str> {
    if text.chars().any(is_hidden_control) {
        text.chars().filter(|c| !is_hidden_control(*c)).collect()
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// Every text field of an item without hidden controls, whichever source filled it.
pub fn sanitize(item: &mut crate::model::Item) {
    let fields = [
        &mut item.title,
        &mut item.description,
        &mut item.creator,
        &mut item.license,
        &mut item.license_url,
        &mut item.page_url,
        &mut item.media_url,
        &mut item.thumbnail_url,
        &mut item.collection,
        &mut item.collection_url,
    ];
    for field in fields.into_iter().flatten() {
        if let std::borrow::Cow::Owned(clean) = without_controls(field) {
            *field = clean;
        }
    }
    let discovered = item.discovery.iter_mut().flat_map(|found| {
        [&mut found.account, &mut found.tag]
            .into_iter()
            .chain(found.account_url.as_mut())
    });
    let lists = item.tags.iter_mut().chain(&mut item.campaigns);
    let sizes = item.sizes.iter_mut().map(|size| &mut size.url);
    for value in lists.chain(discovered).chain(sizes) {
        if let std::borrow::Cow::Owned(clean) = without_controls(value) {
            *value = clean;
        }
    }
    item.tags.retain(|t| !t.trim().is_empty());
}

/// Plain text of an HTML fragment: tags dropped, entities decoded, line breaks kept as
/// spaces, white space collapsed.
///
/// Sources put markup in descriptions (Flickr's `description._content`, feeds' escaped HTML);
/// the index and the terminal want words.
pub fn html_to_text(fragment: &str) -> Option<String> {
    if !fragment.contains(['<', '&']) {
        return clean(fragment);
    }
    let parsed = Html::parse_fragment(fragment);
    let mut text = String::with_capacity(fragment.len());
    for node in parsed.root_element().descendants() {
        match node.value() {
            scraper::Node::Text(t) if !in_invisible_element(node) => text.push_str(t),
            scraper::Node::Element(e) if is_break(e.name()) => text.push(' '),
            _ => {}
        }
    }
    clean(&text)
}

/// Elements whose text a reader never sees.
pub fn is_invisible(name: &str) -> bool {
    matches!(
        name,
        "script" | "style" | "noscript" | "template" | "head" | "title"
    )
}

fn in_invisible_element(node: ego_tree::NodeRef<'_, scraper::Node>) -> bool {
    node.ancestors()
        .filter_map(|a| a.value().as_element())
        .any(|e| is_invisible(e.name()) && e.name() != "title")
}

fn is_break(name: &str) -> bool {
    matches!(
        name,
        "br" | "p" | "div" | "li" | "tr" | "td" | "h1" | "h2" | "h3" | "h4"
    )
}

/// The largest character boundary of `text` at or before byte `at` (std's
/// `floor_char_boundary` is not stable yet).
pub fn floor_char_boundary(text: &str, at: usize) -> usize {
    let at = at.min(text.len());
    (0..=at)
        .rev()
        .find(|i| text.is_char_boundary(*i))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_collapses_space_and_rejects_blank() {
        assert_eq!(clean("  a \n\t b "), Some("a b".to_string()));
        assert_eq!(clean(" \n "), None);
    }

    #[test]
    fn html_to_text_strips_markup_and_decodes_entities() {
        let html =
            "Lancement <a href=\"https://x\">VS20</a>&nbsp;&amp; CSO-1<br/>Cr&eacute;dit : ESA";
        assert_eq!(
            html_to_text(html).as_deref(),
            Some("Lancement VS20 & CSO-1 Crédit : ESA")
        );
    }

    #[test]
    fn html_to_text_ignores_script_text() {
        assert_eq!(
            html_to_text("<p>Photo</p><script>var x = '#fff';</script>").as_deref(),
            Some("Photo")
        );
    }

    #[test]
    fn html_to_text_of_nothing_is_none() {
        assert_eq!(html_to_text("<p> </p>"), None);
    }

    #[test]
    fn escape_sequences_and_bidi_overrides_never_survive() {
        let hostile = "Soyuz\u{1b}[2J VS20\u{1b}]0;owned\u{7} \u{202e}gnp.exe\u{8}\u{9b}31m ok";
        let cleaned = clean(hostile).unwrap();
        assert!(!cleaned.chars().any(is_hidden_control), "{cleaned:?}");
        assert_eq!(cleaned, "Soyuz[2J VS20]0;owned gnp.exe31m ok");
        assert_eq!(without_controls("a\tb\nc\u{1b}"), "a\tb\nc");
        let mut item =
            crate::model::Item::new("x", crate::model::Kind::Photo, crate::model::Source::Feed);
        item.license = Some("CC BY\u{1b}]52;c;ZXZpbA==\u{7}".into());
        item.tags = vec!["\u{202e}".into(), "ok".into()];
        sanitize(&mut item);
        assert_eq!(item.license.as_deref(), Some("CC BY]52;c;ZXZpbA=="));
        assert_eq!(item.tags, ["ok"]);
    }
}

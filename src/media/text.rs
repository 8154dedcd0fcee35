//! Turning whatever a source sends into clean plain text.

use scraper::Html;

/// Collapses runs of white space into single spaces and trims; `None` when nothing is left.
///
/// Every text field goes through this so that an empty or blank value never stands in for data.
pub fn clean(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    (!out.is_empty()).then_some(out)
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
}

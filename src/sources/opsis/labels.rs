//! Reading `Label : value` metadata however a page lays it out: table rows (`<td>Durée</td>
//! <td>00:01:43</td>`), definition lists, `<span>Durée : </span>00:01:43`, or a label and
//! its value in one text (`<li>Durée : 00:01:43</li>`).

use std::sync::LazyLock;

use ego_tree::NodeRef;
use regex::Regex;
use scraper::{ElementRef, Node};

use crate::media::duration::duration_seconds;
use crate::media::{dates, text};
use crate::model::When;
use crate::tag;

/// The metadata an Opsis record labels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Field {
    Title,
    Date,
    Taken,
    Duration,
    Summary,
    Keywords,
    Credits,
    Reference,
    Rights,
}

/// Labels as French and English Opsis sites write them, compared by [`tag::key`] (case,
/// accents and punctuation ignored).
const LABELS: [(&str, Field); 35] = [
    ("titre", Field::Title),
    ("titrepropre", Field::Title),
    ("title", Field::Title),
    ("date", Field::Date),
    ("datedeproduction", Field::Date),
    ("datedediffusion", Field::Date),
    ("datedepublication", Field::Date),
    ("datedemiseenligne", Field::Date),
    ("datedetournage", Field::Taken),
    ("datedeprisedevue", Field::Taken),
    ("duree", Field::Duration),
    ("duration", Field::Duration),
    ("resume", Field::Summary),
    ("summary", Field::Summary),
    ("synopsis", Field::Summary),
    ("description", Field::Summary),
    ("motscles", Field::Keywords),
    ("motcle", Field::Keywords),
    ("motscle", Field::Keywords),
    ("keywords", Field::Keywords),
    ("descripteurs", Field::Keywords),
    ("credits", Field::Credits),
    ("credit", Field::Credits),
    ("copyright", Field::Credits),
    ("creditsphotos", Field::Credits),
    ("reference", Field::Reference),
    ("references", Field::Reference),
    ("ref", Field::Reference),
    ("cote", Field::Reference),
    ("referencedudocument", Field::Reference),
    ("droits", Field::Rights),
    ("droitsdutilisation", Field::Rights),
    ("conditionsdutilisation", Field::Rights),
    ("licence", Field::Rights),
    ("license", Field::Rights),
];

/// A label is short; longer text is content that happens to start like one.
const MAX_LABEL_CHARS: usize = 40;

/// What a label names.
pub(super) fn field_of(label: &str) -> Option<Field> {
    if label.chars().count() > MAX_LABEL_CHARS {
        return None;
    }
    let key = tag::key(label.trim().trim_end_matches([':', '\u{a0}', ' ']));
    LABELS.iter().find(|(k, _)| *k == key).map(|(_, f)| *f)
}

/// One labelled value: text that followed the label in its own text node, then the nodes
/// after the label up to a line break or the next label.
pub(super) struct Labelled<'a> {
    pub(super) field: Field,
    lead: String,
    nodes: Vec<NodeRef<'a, scraper::Node>>,
}

impl Labelled<'_> {
    /// The value as plain text: markup stripped, entities decoded.
    pub(super) fn text(&self) -> Option<String> {
        let mut html = escape(&self.lead);
        for node in &self.nodes {
            match node.value() {
                Node::Text(t) => html.push_str(&escape(t)),
                Node::Element(_) => {
                    if let Some(e) = ElementRef::wrap(*node) {
                        html.push_str(&e.html());
                    }
                }
                _ => {}
            }
        }
        text::html_to_text(&html)
    }

    /// The value as a list: one entry per link, list item or line, each split on `;`,
    /// `,`, `|` and `•`.
    pub(super) fn pieces(&self) -> Vec<String> {
        let mut pieces = vec![self.lead.clone()];
        for node in &self.nodes {
            split_pieces(*node, &mut pieces);
        }
        let mut out: Vec<String> = Vec::new();
        for piece in pieces
            .iter()
            .flat_map(|p| p.split([';', ',', '|', '•', '\n']))
        {
            if let Some(piece) = text::clean(piece)
                && !out.iter().any(|o| o.eq_ignore_ascii_case(&piece))
            {
                out.push(piece);
            }
        }
        out
    }
}

fn split_pieces(node: NodeRef<'_, Node>, pieces: &mut Vec<String>) {
    match node.value() {
        Node::Text(t) => {
            if let Some(last) = pieces.last_mut() {
                last.push_str(t);
            }
        }
        Node::Element(e) if text::is_invisible(e.name()) => {}
        Node::Element(e) => {
            let boundary = matches!(e.name(), "br" | "li" | "p" | "div" | "a" | "td" | "dd");
            if boundary {
                pieces.push(String::new());
            }
            for child in node.children() {
                split_pieces(child, pieces);
            }
            if boundary {
                pieces.push(String::new());
            }
        }
        _ => {}
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;")
}

/// Every labelled value under `root`, in document order; a field may appear more than once.
pub(super) fn labelled(root: ElementRef<'_>) -> Vec<Labelled<'_>> {
    let mut out = Vec::new();
    for element in root.descendent_elements().skip(1) {
        if text::is_invisible(element.value().name()) {
            continue;
        }
        if let Some(found) = label_element(element).or_else(|| inline_label(element)) {
            out.push(found);
        }
    }
    out
}

/// An element whose whole text is a label (`<td>Durée</td>`, `<span>Durée : </span>`):
/// its value follows it, or follows its parent when the label is alone in there.
fn label_element(element: ElementRef<'_>) -> Option<Labelled<'_>> {
    if element.descendent_elements().nth(3).is_some() {
        return None;
    }
    let field = field_of(&element.text().collect::<String>())?;
    let mut nodes = value_after(*element);
    if nodes.iter().all(is_blank) {
        let parent = element.parent()?;
        if parent.children().filter(|c| !is_blank(c)).count() == 1 {
            nodes = value_after(parent);
        }
    }
    (!nodes.iter().all(is_blank)).then_some(Labelled {
        field,
        lead: String::new(),
        nodes,
    })
}

/// `Durée : 00:01:43` written in the element's first text, the value perhaps continuing
/// in the elements after it (`Mots-clés : <a>VS20</a>, <a>CSO</a>`).
fn inline_label(element: ElementRef<'_>) -> Option<Labelled<'_>> {
    let first = element.children().next()?;
    let Node::Text(t) = first.value() else {
        return None;
    };
    let (label, rest) = t.split_once(':')?;
    let field = field_of(label)?;
    let labelled = Labelled {
        field,
        lead: rest.to_string(),
        nodes: value_after(first),
    };
    (text::clean(rest).is_some() || !labelled.nodes.iter().all(is_blank)).then_some(labelled)
}

/// The siblings after `node`, up to a line break or the next label.
fn value_after(node: NodeRef<'_, Node>) -> Vec<NodeRef<'_, Node>> {
    node.next_siblings()
        .take_while(|n| match n.value() {
            Node::Element(e) if e.name() == "br" => false,
            Node::Element(_) => ElementRef::wrap(*n)
                .is_none_or(|e| field_of(&e.text().collect::<String>()).is_none()),
            _ => true,
        })
        .collect()
}

fn is_blank(node: &NodeRef<'_, Node>) -> bool {
    match node.value() {
        Node::Text(t) => t.trim().is_empty(),
        Node::Comment(_) => true,
        _ => false,
    }
}

/// The first value of `field`, as text.
pub(super) fn first_text(found: &[Labelled<'_>], field: Field) -> Option<String> {
    found
        .iter()
        .filter(|l| l.field == field)
        .find_map(Labelled::text)
}

/// A record's date: a full date in any format the sources use, or in words
/// (`19 décembre 2018`). A bare year (`2018`) says too little to be a timestamp.
pub(super) fn parse_date(text: &str) -> Option<When> {
    dates::parse(text).or_else(|| dates::first_in_prose(text))
}

/// `1 h 02 min 03 s`, `2 min 30`, `45 s`.
static WORDS_DURATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*(?:min|mn|m(?:in)?)\.?)?\s*(?:(\d+)\s*(?:s|sec)?\.?)?\s*$")
        .expect("valid duration regex")
});

/// A running time: `HH:MM:SS`, a broadcast timecode `HH:MM:SS:FF` (frames dropped), ISO
/// 8601 or seconds, or in words (`1 h 02 min 03 s`).
pub(super) fn parse_duration(text: &str) -> Option<u32> {
    let text = text.trim();
    let parts: Vec<&str> = text.split(':').collect();
    if parts.len() == 4 {
        return duration_seconds(&parts[..3].join(":"));
    }
    duration_seconds(text).or_else(|| {
        let c = WORDS_DURATION.captures(text)?;
        let n = |i: usize| c.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
        if c.get(1).is_none() && c.get(2).is_none() {
            return None;
        }
        let seconds = n(1).unwrap_or(0) * 3600 + n(2).unwrap_or(0) * 60 + n(3).unwrap_or(0);
        Some(seconds)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::media::html::selector;
    use scraper::Html;

    fn values(html: &str) -> Vec<(Field, Option<String>)> {
        let doc = Html::parse_document(html);
        let body = doc.select(&selector("body")).next().unwrap();
        labelled(body).iter().map(|l| (l.field, l.text())).collect()
    }

    #[test]
    fn reads_every_layout() {
        let html = r#"<body>
            <table><tr><th>Titre :</th><td>Lancement <b>VS20</b></td></tr></table>
            <dl><dt>Durée</dt><dd>00:01:43</dd></dl>
            <div><span class="label">Date :</span>2018</div>
            <p><strong>Crédits&nbsp;:</strong> ©CNES<br><strong>Référence :</strong> VS20-001</p>
            <ul><li>Résumé : Décollage de Soyuz.</li></ul>
            <div class="row"><div><span>Mots-clés</span></div><div>VS20 ; CSO</div></div>
            </body>"#;
        let expected = [
            (Field::Title, "Lancement VS20"),
            (Field::Duration, "00:01:43"),
            (Field::Date, "2018"),
            (Field::Credits, "©CNES"),
            (Field::Reference, "VS20-001"),
            (Field::Summary, "Décollage de Soyuz."),
            (Field::Keywords, "VS20 ; CSO"),
            (Field::Keywords, "VS20 ; CSO"),
        ]
        .map(|(f, v)| (f, Some(v.to_string())));
        assert_eq!(values(html), expected);
    }

    #[test]
    fn a_label_inside_a_sentence_is_not_a_label() {
        let html = "<body><p>La durée du vol est de 9 minutes.</p><p>Date</p></body>";
        assert!(
            values(html).is_empty(),
            "a label without a value gives nothing"
        );
    }

    #[test]
    fn keywords_split_on_links_lines_and_separators() {
        let doc = Html::parse_document(
            r#"<body><p>Mots-clés : <a href="?k=vs20">VS20</a>, <a href="?k=cso">CSO</a>
               <span>Soyouz;Kourou | lanceur</span><br>vs20</p></body>"#,
        );
        let body = doc.select(&selector("body")).next().unwrap();
        let found = labelled(body);
        assert_eq!(
            found[0].pieces(),
            ["VS20", "CSO", "Soyouz", "Kourou", "lanceur"]
        );
    }

    #[test]
    fn durations_in_every_form() {
        for (text, seconds) in [
            ("00:01:43", Some(103)),
            ("01:02:03:12", Some(3723)),
            ("1:43", Some(103)),
            ("PT1M43S", Some(103)),
            ("1 h 02 min 03 s", Some(3723)),
            ("2 min 30", Some(150)),
            ("2 mn", Some(120)),
            ("inconnue", None),
            ("", None),
        ] {
            assert_eq!(parse_duration(text), seconds, "{text}");
        }
    }

    #[test]
    fn dates_in_every_form_a_bare_year_as_a_year() {
        for (text, date) in [
            ("19/12/2018", Some("2018-12-19")),
            ("2018-12-19", Some("2018-12-19")),
            ("19 décembre 2018", Some("2018-12-19")),
            ("Mercredi 19 décembre 2018 à 13h37", Some("2018-12-19")),
            ("2018", Some("2018")),
        ] {
            let parsed = parse_date(text).map(|t| t.to_string());
            assert_eq!(parsed.as_deref(), date, "{text}");
        }
    }
}

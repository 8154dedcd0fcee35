//! The XMP packet that carries an item's rights with its file: IPTC Photo Metadata and Dublin
//! Core, as photo desks' tools read them.
//!
//! | what | property |
//! | --- | --- |
//! | creator | `dc:creator` (Seq) |
//! | credit line | `photoshop:Credit` |
//! | copyright notice | `dc:rights` (Alt) |
//! | licence URL (web statement of rights) | `xmpRights:WebStatement`, `cc:license` |
//! | usage terms, in words | `xmpRights:UsageTerms` (Alt) |
//! | copyrighted or not | `xmpRights:Marked` |
//! | title, description | `dc:title`, `dc:description` (Alt) |
//! | keywords: tags and campaigns | `dc:subject` (Bag) |
//! | date created, at its precision | `photoshop:DateCreated` |
//! | source page, item id | `dc:source`, `dc:identifier` |
//!
//! Every value is written as element text by an XML writer, so text from the web is escaped,
//! and characters XML cannot hold (controls) are dropped.

use quick_xml::Writer;
use quick_xml::events::{BytesEnd, BytesPI, BytesStart, BytesText, Event};
use std::io;

use crate::media::rights::{LicenseClass, classify};
use crate::model::Item;
use crate::search::credit::credit_line;

const NAMESPACES: [(&str, &str); 4] = [
    ("xmlns:dc", "http://purl.org/dc/elements/1.1/"),
    ("xmlns:photoshop", "http://ns.adobe.com/photoshop/1.0/"),
    ("xmlns:xmpRights", "http://ns.adobe.com/xap/1.0/rights/"),
    ("xmlns:cc", "http://creativecommons.org/ns#"),
];

/// Room left inside a packet embedded in a file, so that other tools can edit it in place
/// (the XMP specification suggests 2 to 4 KB).
const PADDING: usize = 2048;

/// The item's XMP packet, for a sidecar (`padded: false`) or to embed in a file.
pub fn packet(item: &Item, padded: bool) -> String {
    let mut writer = Writer::new_with_indent(Vec::new(), b' ', 1);
    // Writing to a Vec cannot fail.
    let _ = write_packet(&mut writer, item);
    let mut text = String::from_utf8(writer.into_inner()).unwrap_or_default();
    text.push('\n');
    if padded {
        for _ in 0..PADDING / 64 {
            text.push_str(&" ".repeat(63));
            text.push('\n');
        }
    }
    text.push_str("<?xpacket end=\"w\"?>\n");
    text
}

fn write_packet(w: &mut Writer<Vec<u8>>, item: &Item) -> io::Result<()> {
    w.write_event(Event::PI(BytesPI::new(
        "xpacket begin=\"\u{feff}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"",
    )))?;
    w.write_event(Event::Start(
        BytesStart::new("x:xmpmeta").with_attributes([("xmlns:x", "adobe:ns:meta/")]),
    ))?;
    w.write_event(Event::Start(BytesStart::new("rdf:RDF").with_attributes([
        ("xmlns:rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
    ])))?;
    let about = [("rdf:about", "")];
    w.write_event(Event::Start(
        BytesStart::new("rdf:Description").with_attributes(about.into_iter().chain(NAMESPACES)),
    ))?;
    properties(w, item)?;
    w.write_event(Event::End(BytesEnd::new("rdf:Description")))?;
    w.write_event(Event::End(BytesEnd::new("rdf:RDF")))?;
    w.write_event(Event::End(BytesEnd::new("x:xmpmeta")))
}

fn properties(w: &mut Writer<Vec<u8>>, item: &Item) -> io::Result<()> {
    let class = classify(item.license.as_deref(), item.license_url.as_deref());
    alt(w, "dc:title", item.title.as_deref())?;
    alt(w, "dc:description", item.description.as_deref())?;
    list(
        w,
        "dc:creator",
        "rdf:Seq",
        item.creator.iter().map(String::as_str),
    )?;
    alt(w, "dc:rights", copyright_notice(item, class).as_deref())?;
    list(
        w,
        "dc:subject",
        "rdf:Bag",
        keywords(item).iter().map(String::as_str),
    )?;
    simple(
        w,
        "dc:source",
        item.page_url.as_deref().or(item.media_url.as_deref()),
    )?;
    simple(w, "dc:identifier", Some(&item.id))?;
    simple(w, "photoshop:Credit", Some(&credit_line(item)))?;
    let created = item.taken_at.map(|when| when.to_string());
    simple(w, "photoshop:DateCreated", created.as_deref())?;
    simple(w, "xmpRights:WebStatement", item.license_url.as_deref())?;
    alt(w, "xmpRights:UsageTerms", Some(&usage_terms(item, class)))?;
    simple(w, "xmpRights:Marked", marked(class))?;
    if let Some(url) = item.license_url.as_deref() {
        let url = clean(url);
        w.write_event(Event::Empty(
            BytesStart::new("cc:license").with_attributes([("rdf:resource", url.as_str())]),
        ))?;
    }
    Ok(())
}

/// A property with one text value.
fn simple(w: &mut Writer<Vec<u8>>, name: &str, value: Option<&str>) -> io::Result<()> {
    let Some(value) = value.map(clean).filter(|v| !v.trim().is_empty()) else {
        return Ok(());
    };
    w.create_element(name)
        .write_text_content(BytesText::new(&value))?;
    Ok(())
}

/// A text in one language, the default: `rdf:Alt` with `xml:lang="x-default"`.
fn alt(w: &mut Writer<Vec<u8>>, name: &str, value: Option<&str>) -> io::Result<()> {
    let Some(value) = value.map(clean).filter(|v| !v.trim().is_empty()) else {
        return Ok(());
    };
    w.write_event(Event::Start(BytesStart::new(name)))?;
    w.write_event(Event::Start(BytesStart::new("rdf:Alt")))?;
    w.create_element("rdf:li")
        .with_attribute(("xml:lang", "x-default"))
        .write_text_content(BytesText::new(&value))?;
    w.write_event(Event::End(BytesEnd::new("rdf:Alt")))?;
    w.write_event(Event::End(BytesEnd::new(name)))
}

/// An ordered (`rdf:Seq`) or unordered (`rdf:Bag`) list.
fn list<'a>(
    w: &mut Writer<Vec<u8>>,
    name: &str,
    container: &str,
    values: impl Iterator<Item = &'a str>,
) -> io::Result<()> {
    let values: Vec<String> = values.map(clean).filter(|v| !v.trim().is_empty()).collect();
    if values.is_empty() {
        return Ok(());
    }
    w.write_event(Event::Start(BytesStart::new(name)))?;
    w.write_event(Event::Start(BytesStart::new(container)))?;
    for value in &values {
        w.create_element("rdf:li")
            .write_text_content(BytesText::new(value))?;
    }
    w.write_event(Event::End(BytesEnd::new(container)))?;
    w.write_event(Event::End(BytesEnd::new(name)))
}

/// Text as XML 1.0 can hold it: without control characters (tabs and line breaks kept) and
/// without the two non-characters; `\r\n` as `\n`.
pub fn clean(text: &str) -> String {
    text.replace("\r\n", "\n")
        .chars()
        .filter(|&c| {
            matches!(c, '\t' | '\n') || !(c.is_control() || c == '\u{fffe}' || c == '\u{ffff}')
        })
        .collect()
}

/// The tags, then the campaigns, each once whatever its case.
pub fn keywords(item: &Item) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    item.tags
        .iter()
        .chain(&item.campaigns)
        .map(|k| k.trim().to_string())
        .filter(|k| !k.is_empty() && seen.insert(k.to_lowercase()))
        .collect()
}

/// Who holds the rights, and under which licence: "© CNES – CC BY-SA 2.0". A work in the
/// public domain is not marked ©.
pub fn copyright_notice(item: &Item, class: LicenseClass) -> Option<String> {
    let creator = item
        .creator
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty());
    let license = item
        .license
        .as_deref()
        .map(str::trim)
        .filter(|l| !l.is_empty());
    let free = !is_copyrighted(class) && class != LicenseClass::Unknown;
    match (creator, license) {
        (Some(creator), Some(license)) if free => Some(format!("{license} – {creator}")),
        (Some(creator), Some(license)) => Some(format!("© {creator} – {license}")),
        (Some(creator), None) => Some(format!("© {creator}")),
        (None, license) => license.map(str::to_string),
    }
}

/// What the licence allows, in words, with the credit line to give.
pub fn usage_terms(item: &Item, class: LicenseClass) -> String {
    let advice = class.advice();
    let license = item
        .license
        .as_deref()
        .map(str::trim)
        .filter(|l| !l.is_empty());
    let terms = match license {
        Some(license) => format!("{license}: {advice}."),
        None => format!("{}{}.", advice[..1].to_uppercase(), &advice[1..]),
    };
    format!("{terms} Credit: {}", credit_line(item))
}

fn is_copyrighted(class: LicenseClass) -> bool {
    matches!(
        class,
        LicenseClass::CcBy
            | LicenseClass::CcBySa
            | LicenseClass::CcByNd
            | LicenseClass::NonCommercial
            | LicenseClass::AllRightsReserved
    )
}

/// `xmpRights:Marked`: True for a copyrighted work, False for the public domain, nothing
/// when the licence is unknown.
fn marked(class: LicenseClass) -> Option<&'static str> {
    match class {
        LicenseClass::Unknown => None,
        class if is_copyrighted(class) => Some("True"),
        _ => Some("False"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Kind, Source, When};

    fn item() -> Item {
        let mut item = Item::new("flickr:45539063392", Kind::Photo, Source::Flickr);
        item.title = Some("Soyuz <VS20> & \"CSO-1\"\u{7}".into());
        item.description = Some("Line one\r\nline two </rdf:li><evil/>".into());
        item.creator = Some("CNES/ESA/Arianespace - S. Martin".into());
        item.license = Some("CC BY-SA 2.0".into());
        item.license_url = Some("https://creativecommons.org/licenses/by-sa/2.0/".into());
        item.tags = vec!["soyuz".into(), "VS20".into()];
        item.campaigns = vec!["CSO".into(), "VS20".into()];
        item.taken_at = When::parse("2018-12");
        item.page_url = Some("https://www.flickr.com/photos/cnes/45539063392/".into());
        item
    }

    #[test]
    fn web_text_is_escaped_and_controls_dropped() {
        let xmp = packet(&item(), false);
        assert!(
            xmp.contains("Soyuz &lt;VS20&gt; &amp; &quot;CSO-1&quot;</rdf:li>"),
            "{xmp}"
        );
        assert!(
            xmp.contains("line two &lt;/rdf:li&gt;&lt;evil/&gt;"),
            "{xmp}"
        );
        assert!(!xmp.contains('\u{7}') && !xmp.contains('\r'));
        assert!(xmp.contains("<photoshop:DateCreated>2018-12</photoshop:DateCreated>"));
        assert!(xmp.starts_with("<?xpacket begin=\"\u{feff}\""));
        assert!(xmp.ends_with("<?xpacket end=\"w\"?>\n"));
    }

    #[test]
    fn the_packet_is_well_formed_xml() {
        let xmp = packet(&item(), true);
        let mut reader = quick_xml::Reader::from_str(&xmp);
        let mut depth = 0i32;
        loop {
            match reader.read_event().expect("well-formed") {
                Event::Start(_) => depth += 1,
                Event::End(_) => depth -= 1,
                Event::Eof => break,
                _ => {}
            }
        }
        assert_eq!(depth, 0);
        assert!(xmp.len() > PADDING);
    }

    #[test]
    fn rights_read_as_a_desk_expects() {
        let item = item();
        let class = classify(item.license.as_deref(), item.license_url.as_deref());
        assert_eq!(
            copyright_notice(&item, class).unwrap(),
            "© CNES/ESA/Arianespace - S. Martin – CC BY-SA 2.0"
        );
        assert_eq!(
            usage_terms(&item, class),
            "CC BY-SA 2.0: reusable with credit. Credit: Photo: CNES/ESA/Arianespace – S. Martin \
             · CC BY-SA 2.0 · via Flickr"
        );
        assert_eq!(keywords(&item), ["soyuz", "VS20", "CSO"]);
        let mut public = item.clone();
        public.license = Some("Public Domain Mark 1.0".into());
        public.license_url = None;
        let class = classify(public.license.as_deref(), None);
        assert_eq!(
            copyright_notice(&public, class).unwrap(),
            "Public Domain Mark 1.0 – CNES/ESA/Arianespace - S. Martin"
        );
        assert_eq!(marked(class), Some("False"));
        let mut unknown = item;
        unknown.license = None;
        unknown.license_url = None;
        assert!(usage_terms(&unknown, LicenseClass::Unknown).starts_with("Licence unknown: ask"));
    }
}

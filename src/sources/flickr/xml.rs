//! Flickr's REST answers in XML (`<rsp stat="ok">…</rsp>`), turned into the JSON Flickr would
//! have sent for the same call, so one lenient reader serves both.
//!
//! Flickr's JSON format is defined from its XML one: attributes become keys, an element's
//! text becomes `_content`, child elements become keys (a repeated child, a list). Clients
//! that record their calls in XML, proxies that drop `format=json` and older tools all hand
//! back this form; reading it costs nothing when the answer is JSON.

use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};
use serde_json::{Map, Value};

/// The JSON equivalent of an XML answer, or `None` when `text` is not one.
pub(super) fn to_json(text: &str) -> Option<Value> {
    let text = text.trim_start_matches('\u{feff}').trim_start();
    if !text.starts_with('<') {
        return None;
    }
    let mut reader = Reader::from_str(text);
    let mut stack: Vec<(String, Map<String, Value>, String)> = Vec::new();
    loop {
        match reader.read_event().ok()? {
            Event::Start(start) => stack.push(open(&start)),
            Event::Empty(start) => {
                let (name, map, text) = open(&start);
                let closed = close(map, text);
                if let Some(parent) = stack.last_mut() {
                    attach(&mut parent.1, name, closed);
                } else {
                    return answer(&name, closed);
                }
            }
            Event::Text(t) => {
                if let Some(top) = stack.last_mut() {
                    top.2.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) => {
                if let Some(top) = stack.last_mut() {
                    let decoded = match r.resolve_char_ref() {
                        Ok(Some(c)) => c.to_string(),
                        _ => resolve_predefined_entity(&r.xml10_content())
                            .map_or_else(|| format!("&{};", r.xml10_content()), str::to_string),
                    };
                    top.2.push_str(&decoded);
                }
            }
            Event::CData(c) => {
                if let Some(top) = stack.last_mut() {
                    top.2.push_str(&c.xml10_content());
                }
            }
            Event::End(_) => {
                let (name, map, text) = stack.pop()?;
                let closed = close(map, text);
                match stack.last_mut() {
                    Some(parent) => attach(&mut parent.1, name, closed),
                    None => return answer(&name, closed),
                }
            }
            Event::Eof => return None,
            _ => {}
        }
    }
}

/// An element's name and attributes, with no text yet.
fn open(start: &BytesStart<'_>) -> (String, Map<String, Value>, String) {
    let name = start.local_name().as_ref().to_string();
    let mut map = Map::new();
    for attribute in start.attributes().flatten() {
        let key = attribute.key.local_name().as_ref().to_string();
        let value = attribute
            .normalized_value(XmlVersion::Implicit1_0)
            .map(|v| v.into_owned())
            .unwrap_or_default();
        map.insert(key, Value::String(value));
    }
    (name, map, String::new())
}

fn close(mut map: Map<String, Value>, text: String) -> Value {
    if !text.trim().is_empty() {
        map.insert("_content".into(), Value::String(text));
    }
    Value::Object(map)
}

/// A child under its name; a second child of the same name makes a list.
fn attach(parent: &mut Map<String, Value>, name: String, child: Value) {
    match parent.get_mut(&name) {
        Some(Value::Array(items)) => items.push(child),
        Some(existing) => {
            let first = existing.take();
            *existing = Value::Array(vec![first, child]);
        }
        None => {
            parent.insert(name, child);
        }
    }
}

/// `<rsp stat="ok"><photo …/></rsp>` as `{"stat":"ok","photo":{…}}`; `<rsp stat="fail"><err
/// code="1" msg="…"/></rsp>` as `{"stat":"fail","code":1,"message":"…"}`.
fn answer(name: &str, root: Value) -> Option<Value> {
    if name != "rsp" {
        return None;
    }
    let Value::Object(mut map) = root else {
        return None;
    };
    if let Some(Value::Object(err)) = map.remove("err") {
        map.insert(
            "code".into(),
            err.get("code").cloned().unwrap_or(Value::Null),
        );
        map.insert(
            "message".into(),
            err.get("msg").cloned().unwrap_or(Value::Null),
        );
    }
    Some(Value::Object(map))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_xml_answer_reads_as_flickrs_json() {
        let xml = r#"<?xml version="1.0" encoding="utf-8" ?>
<rsp stat="ok">
<photo id="5240741057" media="photo">
	<owner nsid="31575009@N05" username="The National Archives UK" realname="" />
	<title>Christmas &amp; carols</title>
	<description>&lt;b&gt;Date:&lt;/b&gt; 1950&#039;s</description>
	<tags><tag raw="coal">coal</tag></tags>
	<urls><url type="photopage">https://www.flickr.com/photos/x/1/</url><url type="other">o</url></urls>
</photo>
</rsp>"#;
        let json = to_json(xml).unwrap();
        assert_eq!(json["stat"], "ok");
        assert_eq!(json["photo"]["id"], "5240741057");
        assert_eq!(
            json["photo"]["owner"]["username"],
            "The National Archives UK"
        );
        assert_eq!(json["photo"]["title"]["_content"], "Christmas & carols");
        assert_eq!(
            json["photo"]["description"]["_content"],
            "<b>Date:</b> 1950's"
        );
        assert_eq!(json["photo"]["tags"]["tag"]["raw"], "coal");
        assert_eq!(json["photo"]["urls"]["url"][1]["_content"], "o");
    }

    #[test]
    fn an_xml_failure_has_its_code_and_message() {
        let xml = r#"<rsp stat="fail"><err code="1" msg="Photo not found" /></rsp>"#;
        let json = to_json(xml).unwrap();
        assert_eq!(json["stat"], "fail");
        assert_eq!(json["code"], "1");
        assert_eq!(json["message"], "Photo not found");
        assert_eq!(to_json("{\"stat\":\"ok\"}"), None);
        assert_eq!(to_json("<html><body>502</body></html>"), None);
    }
}

//! The credit line a journalist pastes under a picture:
//! "Photo: CNES/ESA/Arianespace – S. Martin · CC BY-SA 2.0 · via Flickr".

use url::Url;

use crate::model::{Item, Kind, Source};

/// The item's credit line: kind, creator, licence and where it was found, each when known.
pub fn credit_line(item: &Item) -> String {
    let kind = match item.kind {
        Kind::Photo => "Photo",
        Kind::Video => "Video",
        Kind::Audio => "Audio",
        Kind::Article => "Text",
    };
    let mut parts = vec![match item.creator.as_deref().map(str::trim) {
        Some(creator) if !creator.is_empty() => format!("{kind}: {}", typeset(creator)),
        _ => kind.to_string(),
    }];
    if let Some(license) = item
        .license
        .as_deref()
        .map(str::trim)
        .filter(|l| !l.is_empty())
    {
        parts.push(license.to_string());
    }
    if let Some(site) = site(item) {
        parts.push(format!("via {site}"));
    }
    parts.join(" · ")
}

/// A spaced hyphen between names is a dash in print: "CNES - S. Martin" → "CNES – S. Martin".
fn typeset(creator: &str) -> String {
    creator.replace(" - ", " – ")
}

/// Where the item is published: Flickr, else the host of its page or file.
fn site(item: &Item) -> Option<String> {
    if item.source == Source::Flickr || item.id.starts_with("flickr:") {
        return Some("Flickr".into());
    }
    let link = item.page_url.as_deref().or(item.media_url.as_deref())?;
    let host = Url::parse(link).ok()?.host_str()?.to_string();
    Some(host.strip_prefix("www.").unwrap_or(&host).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_credit_line_names_kind_creator_licence_and_site() {
        let mut item = Item::new(
            "https://media.cnes.example/media/cso-1-clean-room_HD.jpg",
            Kind::Photo,
            Source::Feed,
        );
        item.creator = Some("CNES/ESA/Arianespace - S. Martin".into());
        item.license = Some("CC BY-SA 2.0".into());
        item.page_url = Some("https://www.flickr.com/photos/cnes/1/".into());
        item.id = "flickr:1".into();
        assert_eq!(
            credit_line(&item),
            "Photo: CNES/ESA/Arianespace – S. Martin · CC BY-SA 2.0 · via Flickr"
        );
    }

    #[test]
    fn unknown_parts_are_left_out() {
        let mut item = Item::new("https://videos.cnes.fr/a.mp4", Kind::Video, Source::JsonLd);
        item.page_url = Some("https://www.videos.cnes.fr/vs20".into());
        assert_eq!(credit_line(&item), "Video · via videos.cnes.fr");
        item.page_url = None;
        item.media_url = None;
        item.license = Some("CC BY 4.0".into());
        assert_eq!(credit_line(&item), "Video · CC BY 4.0");
    }
}

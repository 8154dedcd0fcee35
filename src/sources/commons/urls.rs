//! What a Wikimedia Commons URL names: a category, a file, a gallery, or a file's upload.

use url::Url;

/// What a Commons URL shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// `Category:Name`, its title with spaces.
    Category(String),
    /// `File:Name.jpg`.
    File(String),
    /// A page by its id (`index.php?curid=N`).
    PageId(String),
    /// A gallery: a page of the main namespace showing files.
    Gallery(String),
}

/// Namespaces that are neither galleries, categories nor files.
const OTHER_NAMESPACES: [&str; 12] = [
    "Special",
    "User",
    "User talk",
    "Commons",
    "Template",
    "Help",
    "Talk",
    "Creator",
    "Institution",
    "Module",
    "MediaWiki",
    "Category talk",
];

/// What `url` names on Commons, or `None`.
pub fn recognize(url: &Url) -> Option<Target> {
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    let host = url.host_str()?.to_ascii_lowercase();
    if host != "commons.wikimedia.org" && host != "commons.m.wikimedia.org" {
        return None;
    }
    let query = |name: &str| {
        url.query_pairs()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    };
    let title = match url.path() {
        "/w/index.php" => {
            if let Some(id) = query("curid").filter(|id| id.bytes().all(|b| b.is_ascii_digit())) {
                return Some(Target::PageId(id));
            }
            query("title")?
        }
        path => percent_decode(path.strip_prefix("/wiki/")?)?,
    };
    let title = title.replace('_', " ").trim().to_string();
    if let Some(name) = strip_namespace(&title, "Category") {
        return Some(Target::Category(format!("Category:{name}")));
    }
    if let Some(name) = strip_namespace(&title, "File").or_else(|| strip_namespace(&title, "Image"))
    {
        return Some(Target::File(format!("File:{name}")));
    }
    let (namespace, _) = title.split_once(':').unwrap_or_default();
    let other = OTHER_NAMESPACES
        .iter()
        .any(|n| n.eq_ignore_ascii_case(namespace));
    (!title.is_empty() && !other && title != "Main Page").then_some(Target::Gallery(title))
}

fn strip_namespace<'a>(title: &'a str, namespace: &str) -> Option<&'a str> {
    let (prefix, name) = title.split_once(':')?;
    (prefix.trim().eq_ignore_ascii_case(namespace) && !name.trim().is_empty()).then(|| name.trim())
}

/// Percent-decoding of a path segment as UTF-8.
fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The item id of a file: `commons:` and its name as URLs write it (`Soyuz_VS20.jpg`).
pub fn item_id(title: &str) -> String {
    let name = strip_namespace(title, "File").unwrap_or(title);
    format!("commons:{}", name.replace(' ', "_"))
}

/// The file an upload URL serves: `upload.wikimedia.org/wikipedia/commons/a/ab/Name` or its
/// thumbnail `…/commons/thumb/a/ab/Name/300px-Name`.
pub fn uploaded_file(url: &Url) -> Option<String> {
    if url.host_str()? != "upload.wikimedia.org" {
        return None;
    }
    let segments: Vec<&str> = url.path_segments()?.collect();
    let name = match segments.as_slice() {
        ["wikipedia", "commons", "thumb", a, ab, name, ..] if is_hash_dir(a, ab) => name,
        ["wikipedia", "commons", a, ab, name] if is_hash_dir(a, ab) => name,
        _ => return None,
    };
    percent_decode(name).filter(|n| !n.is_empty())
}

fn is_hash_dir(a: &str, ab: &str) -> bool {
    a.len() == 1 && ab.len() == 2 && ab.starts_with(a) && ab.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The public page of a category, a file or a gallery.
pub fn page_url(title: &str) -> String {
    format!(
        "https://commons.wikimedia.org/wiki/{}",
        title.replace(' ', "_")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(text: &str) -> Option<Target> {
        recognize(&Url::parse(text).unwrap())
    }

    #[test]
    fn categories_files_galleries_and_page_ids() {
        assert_eq!(
            of("https://commons.wikimedia.org/wiki/Category:Soyuz_VS20_%28CSO-1%29"),
            Some(Target::Category("Category:Soyuz VS20 (CSO-1)".into()))
        );
        assert_eq!(
            of("https://commons.wikimedia.org/wiki/File:Soyuz_VS20_liftoff.jpg"),
            Some(Target::File("File:Soyuz VS20 liftoff.jpg".into()))
        );
        assert_eq!(
            of("https://commons.wikimedia.org/w/index.php?curid=81754323"),
            Some(Target::PageId("81754323".into()))
        );
        assert_eq!(
            of("https://commons.wikimedia.org/wiki/Guiana_Space_Centre"),
            Some(Target::Gallery("Guiana Space Centre".into()))
        );
        for text in [
            "https://commons.wikimedia.org/wiki/Special:Search",
            "https://commons.wikimedia.org/wiki/User:PtrQs",
            "https://commons.wikimedia.org/wiki/Main_Page",
            "https://en.wikipedia.org/wiki/Category:Soyuz",
        ] {
            assert_eq!(of(text), None, "{text}");
        }
    }

    #[test]
    fn uploads_and_their_thumbnails_name_their_file() {
        let file = "https://upload.wikimedia.org/wikipedia/commons/2/25/Soyuz_VS20_liftoff.jpg";
        let thumb = "https://upload.wikimedia.org/wikipedia/commons/thumb/2/25/Soyuz_VS20_liftoff.jpg/300px-Soyuz_VS20_liftoff.jpg";
        for text in [file, thumb] {
            assert_eq!(
                uploaded_file(&Url::parse(text).unwrap()).as_deref(),
                Some("Soyuz_VS20_liftoff.jpg")
            );
        }
        assert_eq!(
            item_id("File:Soyuz VS20 liftoff.jpg"),
            "commons:Soyuz_VS20_liftoff.jpg"
        );
    }
}

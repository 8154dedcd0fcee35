//! `archive show`: one item in full, as a journalist checks it before publishing.

use std::io::{self, Write};
use unicode_width::UnicodeWidthStr;

use archive::media::rights::classify;
use archive::model::{Discovery, Item, Source, Timestamp, When};
use archive::search::credit::credit_line;

use super::Palette;
use super::text::wrap;

/// Width of the labels in the left column.
const LABEL: usize = 13;

/// Prints the item: what it is, how to credit it, whether it may be published, every file
/// and link, and where it came from.
pub(crate) fn print(
    out: &mut impl Write,
    item: &Item,
    width: usize,
    palette: Palette,
) -> io::Result<()> {
    let title = item.title.as_deref().unwrap_or("(untitled)");
    writeln!(out, "{}", palette.heading(title))?;
    writeln!(out, "{}", palette.dim(&identity(item)))?;
    writeln!(out)?;
    rights(out, item, palette)?;
    about(out, item, width)?;
    links(out, item, palette)?;
    provenance(out, item, palette)
}

/// "flickr:1 · photo · 5472×3648 · 1 min 34 s".
fn identity(item: &Item) -> String {
    let mut parts = vec![item.id.clone(), item.kind.as_str().to_string()];
    if let (Some(w), Some(h)) = (item.width, item.height) {
        parts.push(format!("{w}×{h}"));
    }
    if let Some(seconds) = item.duration_seconds {
        parts.push(duration(seconds));
    }
    parts.join(" · ")
}

fn duration(seconds: u32) -> String {
    match (seconds / 60, seconds % 60) {
        (0, s) => format!("{s} s"),
        (m, 0) => format!("{m} min"),
        (m, s) => format!("{m} min {s} s"),
    }
}

fn rights(out: &mut impl Write, item: &Item, palette: Palette) -> io::Result<()> {
    let class = classify(item.license.as_deref(), item.license_url.as_deref());
    line(out, "Credit", &credit_line(item))?;
    let license = item.license.as_deref().unwrap_or("unknown");
    let advice = if class.is_reusable() {
        palette.good(class.advice())
    } else {
        palette.warn(class.advice())
    };
    line(out, "Licence", &format!("{license} — {advice}"))?;
    if let Some(url) = &item.license_url {
        line(out, "", &palette.link(url))?;
    }
    writeln!(out)
}

fn about(out: &mut impl Write, item: &Item, width: usize) -> io::Result<()> {
    let date = |t: &Option<When>| t.map(|t| t.to_string());
    let fields = [
        ("Creator", item.creator.clone()),
        ("Taken", date(&item.taken_at)),
        ("Published", date(&item.published_at)),
        (
            "Campaigns",
            Some(item.campaigns.join(", ")).filter(|c| !c.is_empty()),
        ),
        ("Tags", Some(item.tags.join(", ")).filter(|t| !t.is_empty())),
    ];
    for (label, value) in fields {
        if let Some(value) = value {
            line(out, label, &value)?;
        }
    }
    if let Some(description) = &item.description {
        let words: Vec<String> = description.split_whitespace().map(String::from).collect();
        let first = format!("{:<LABEL$}", "Description");
        for text in wrap(&first, &words, " ", width.max(LABEL + 20), LABEL) {
            writeln!(out, "{text}")?;
        }
    }
    writeln!(out)
}

fn links(out: &mut impl Write, item: &Item, palette: Palette) -> io::Result<()> {
    writeln!(out, "{}", palette.heading("Links"))?;
    let link = |label: &str, url: &Option<String>| -> Option<(String, String)> {
        url.as_ref().map(|u| (label.to_string(), u.clone()))
    };
    let known = [
        link("Page", &item.page_url),
        link("File", &item.media_url),
        link("Thumbnail", &item.thumbnail_url),
    ];
    for (label, url) in known.into_iter().flatten() {
        line(out, &format!("  {label}"), &palette.link(&url))?;
    }
    if !item.sizes.is_empty() {
        writeln!(out, "{}", palette.heading("Sizes"))?;
        let rows: Vec<(&str, String)> = item
            .sizes
            .iter()
            .map(|s| {
                let dims = match (s.width, s.height) {
                    (Some(w), Some(h)) => format!("{w}×{h}"),
                    _ => "?".into(),
                };
                (s.label.as_deref().unwrap_or(""), dims)
            })
            .collect();
        let label_width = rows.iter().map(|(l, _)| l.width()).max().unwrap_or(0);
        let dims_width = rows.iter().map(|(_, d)| d.width()).max().unwrap_or(0);
        for ((label, dims), size) in rows.iter().zip(&item.sizes) {
            let mut line = String::from("  ");
            if label_width > 0 {
                line.push_str(label);
                line.push_str(&" ".repeat(label_width - label.width() + 2));
            }
            line.push_str(dims);
            line.push_str(&" ".repeat(dims_width - dims.width() + 2));
            writeln!(out, "{line}{}", palette.link(&size.url))?;
        }
    }
    writeln!(out)
}

fn provenance(out: &mut impl Write, item: &Item, palette: Palette) -> io::Result<()> {
    writeln!(out, "{}", palette.heading("Provenance"))?;
    for (i, seed) in item.found_via.iter().enumerate() {
        let label = if i == 0 { "  Found via" } else { "" };
        line(out, label, &palette.link(seed))?;
    }
    for found in &item.discovery {
        line(out, "  Discovered", &discovered(found))?;
    }
    if let Some(collection) = &item.collection {
        line(out, "  Collection", collection)?;
    }
    if let Some(url) = &item.collection_url {
        line(
            out,
            if item.collection.is_some() {
                ""
            } else {
                "  Collection"
            },
            &palette.link(url),
        )?;
    }
    line(out, "  Source", source(item.source))?;
    let seen = |t: &Option<Timestamp>| t.map_or_else(|| "—".to_string(), |t| instant(&t));
    line(out, "  First seen", &seen(&item.first_seen))?;
    line(out, "  Last seen", &seen(&item.last_seen))?;
    if item.gone {
        line(
            out,
            "  Status",
            &palette.warn("gone: no longer in its album or library (withdrawn?)"),
        )?;
    }
    Ok(())
}

/// How discovery found an item, in words: no link led to it.
fn discovered(found: &Discovery) -> String {
    let account = match &found.account_url {
        Some(url) => format!("{} ({url})", found.account),
        None => found.account.clone(),
    };
    format!(
        "by searching the {} account {account} for the tag {}",
        platform_name(found.platform),
        found.tag
    )
}

fn platform_name(platform: Source) -> &'static str {
    match platform {
        Source::Flickr => "Flickr",
        Source::YouTube => "YouTube",
        Source::Dailymotion => "Dailymotion",
        Source::Vimeo => "Vimeo",
        Source::Commons => "Wikimedia Commons",
        Source::Nasa => "NASA",
        other => other.as_str(),
    }
}

fn source(source: Source) -> &'static str {
    match source {
        Source::Flickr => "the Flickr API",
        Source::Feed => "an RSS or Atom feed",
        Source::JsonLd => "JSON-LD on a page",
        Source::OpenGraph => "Open Graph tags on a page",
        Source::Release => "the press release itself",
        Source::Gallery => "a caption on a press-kit page",
        Source::Sitemap => "a sitemap",
        Source::Oembed => "the video platform's oEmbed answer",
        Source::Library => "a video library's catalogue record",
        Source::Dailymotion => "the Dailymotion API",
        Source::Vimeo => "Vimeo's API or public feed",
        Source::YouTube => "the YouTube Data API or its public feed",
        Source::Nasa => "NASA's Image and Video Library",
        Source::Commons => "Wikimedia Commons",
    }
}

/// A date as the sources state it, to the second.
fn instant(t: &Timestamp) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn line(out: &mut impl Write, label: &str, value: &str) -> io::Result<()> {
    writeln!(out, "{label:<LABEL$}{value}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use archive::model::{Kind, MediaSize};

    #[test]
    fn an_item_is_shown_with_credit_licence_sizes_and_provenance() {
        let mut item = Item::new("flickr:1", Kind::Video, Source::Flickr);
        item.title = Some("Lift-off".into());
        item.creator = Some("CNES - S. Martin".into());
        item.license = Some("CC BY-NC 2.0".into());
        item.duration_seconds = Some(94);
        item.found_via = vec!["https://press.cnes.example/pr208".into()];
        item.collection = Some("CSO-1 – Soyuz VS20".into());
        item.gone = true;
        item.sizes = vec![MediaSize {
            label: Some("HD MP4".into()),
            width: Some(1280),
            height: Some(720),
            url: "https://www.flickr.com/hd".into(),
        }];
        let mut out = Vec::new();
        print(&mut out, &item, 100, Palette::PLAIN).unwrap();
        let text = String::from_utf8(out).unwrap();
        for expected in [
            "Lift-off\nflickr:1 · video · 1 min 34 s\n",
            "Credit       Video: CNES – S. Martin · CC BY-NC 2.0 · via Flickr\n",
            "Licence      CC BY-NC 2.0 — not for publication: non-commercial only",
            "  HD MP4  1280×720  https://www.flickr.com/hd\n",
            "  Found via  https://press.cnes.example/pr208\n",
            "  Collection CSO-1 – Soyuz VS20\n",
            "  Status     gone",
        ] {
            assert!(text.contains(expected), "{expected:?} not in:\n{text}");
        }
    }
}

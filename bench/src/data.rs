//! The benchmark's data, generated from a fixed seed so that every run indexes, parses and
//! searches the same bytes.
//!
//! One [`Photo`] is drawn per number from its own seeded generator, so any photo can be made
//! on its own (the Flickr stand-in makes album pages on the fly) and is always the same. A
//! photo becomes an [`Item`] as a crawl extracts it (untagged), or Flickr's `getPhotos` JSON.
//! Words follow a Zipf law over a vocabulary whose first words are the ones the query mix
//! uses, so queries hit realistic posting lists: "soyuz" is in half the items, "rollout" in a
//! fifth (the search figures' notes give each query's number of matches).

use std::collections::BTreeSet;

use archive::model::{Item, Kind, MediaSize, Source, Timestamp, When};
use archive::tag::Campaigns;
use chrono::{TimeZone, Utc};

const SEED: u64 = 0x0A2C_41FE_2018_1218;

/// The most frequent words, most frequent first; the rest of the vocabulary is made up.
const COMMON: [&str; 40] = [
    "the",
    "of",
    "and",
    "at",
    "on",
    "in",
    "to",
    "with",
    "for",
    "from",
    "launch",
    "satellite",
    "team",
    "night",
    "centre",
    "space",
    "view",
    "engineers",
    "integration",
    "fairing",
    "stage",
    "guiana",
    "kourou",
    "building",
    "final",
    "preparation",
    "campaign",
    "hall",
    "payload",
    "teams",
    "control",
    "rollout",
    "cleanroom",
    "mobile",
    "gantry",
    "transfer",
    "dawn",
    "countdown",
    "antenna",
    "weather",
];

/// Phrases that titles use, so that phrase queries find real phrases.
const PHRASES: [&str; 10] = [
    "launch pad",
    "mobile gantry",
    "payload integration",
    "fairing encapsulation",
    "final countdown",
    "control room",
    "transfer to the launch zone",
    "liftoff",
    "launcher rollout",
    "satellite arrival",
];

const SYLLABLES: [&str; 24] = [
    "ka", "ro", "mi", "ten", "vo", "la", "sur", "pe", "do", "an", "ix", "ber", "tu", "gal", "or",
    "ne", "sa", "vel", "qui", "mo", "ra", "li", "zen", "ta",
];

/// (vehicle, campaign prefix, first and last flight number).
const VEHICLES: [(&str, &str, u32, u32); 3] = [
    ("Soyuz", "VS", 1, 26),
    ("Ariane", "VA", 230, 262),
    ("Vega", "VV", 1, 25),
];

const CREATORS: [&str; 6] = [
    "CNES/ESA/Arianespace – S. Martin",
    "ESA – M. Pedoussaut",
    "CNES/ESA/Arianespace/Optique Vidéo du CSG – JM Guillon",
    "ESA/CNES/Arianespace – P. Baudon",
    "CNES – P. Piron",
    "Arianespace",
];

/// Flickr's licence ids with their names and links, as `flickr.photos.licenses.getInfo` has them.
const LICENSES: [(u32, &str, &str); 6] = [
    (0, "All Rights Reserved", ""),
    (
        4,
        "CC BY 2.0",
        "https://creativecommons.org/licenses/by/2.0/",
    ),
    (
        5,
        "CC BY-SA 2.0",
        "https://creativecommons.org/licenses/by-sa/2.0/",
    ),
    (
        3,
        "CC BY-NC-ND 2.0",
        "https://creativecommons.org/licenses/by-nc-nd/2.0/",
    ),
    (
        7,
        "No known copyright restrictions",
        "https://www.flickr.com/commons/usage/",
    ),
    (
        10,
        "Public Domain Mark 1.0",
        "https://creativecommons.org/publicdomain/mark/1.0/",
    ),
];

/// 2012-01-01 and 2025-01-01, the span of the generated dates.
const FIRST_DAY: i64 = 1_325_376_000;
const LAST_DAY: i64 = 1_735_689_600;

/// Everything the generator draws for one photo: the facts that both its item and its Flickr
/// record are made of.
pub(crate) struct Photo {
    pub(crate) id: u64,
    secret: u32,
    server: u32,
    video: bool,
    /// Index into the campaigns, which are in [`VEHICLES`] order.
    campaign: usize,
    title: String,
    description: String,
    tags: Vec<String>,
    creator: &'static str,
    license: usize,
    taken: i64,
    uploaded: i64,
    album: u64,
}

/// The vocabulary, its Zipf weights and the campaigns: built once, then every photo is drawn
/// from it.
pub(crate) struct Corpus {
    words: Vec<String>,
    /// Running sums of the words' weights, for sampling by binary search.
    cumulative: Vec<f64>,
    /// (vehicle, campaign name), in [`VEHICLES`] order.
    campaigns: Vec<(&'static str, String)>,
    /// Running sums of the campaigns' weights: a few campaigns are big, most are small.
    campaign_cumulative: Vec<f64>,
}

impl Corpus {
    pub(crate) fn new() -> Self {
        let mut words: Vec<String> = COMMON.iter().map(|w| (*w).to_string()).collect();
        let mut seen: BTreeSet<String> = words.iter().cloned().collect();
        let mut rng = fastrand::Rng::with_seed(SEED);
        while words.len() < 6_000 {
            let syllables = rng.usize(2..5);
            let word: String = (0..syllables)
                .map(|_| SYLLABLES[rng.usize(..SYLLABLES.len())])
                .collect();
            if seen.insert(word.clone()) {
                words.push(word);
            }
        }
        let cumulative = running_sums((1..=words.len()).map(|rank| 1.0 / rank as f64));
        let campaigns: Vec<(&'static str, String)> = VEHICLES
            .iter()
            .flat_map(|&(vehicle, prefix, first, last)| {
                (first..=last).map(move |n| (vehicle, format!("{prefix}{n:02}")))
            })
            .collect();
        let campaign_cumulative =
            running_sums((1..=campaigns.len()).map(|rank| 1.0 / (rank as f64).sqrt()));
        Corpus {
            words,
            cumulative,
            campaigns,
            campaign_cumulative,
        }
    }

    /// Every campaign, as a crawl learns them from the releases.
    pub(crate) fn campaigns(&self) -> Campaigns {
        let mut known = Campaigns::default();
        for (_, name) in &self.campaigns {
            known.add(name);
        }
        known
    }

    /// The photo with this number; the same number always gives the same photo.
    pub(crate) fn photo(&self, n: u64) -> Photo {
        let mut rng = fastrand::Rng::with_seed(SEED ^ n.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let campaign = pick(&self.campaign_cumulative, &mut rng);
        let (vehicle, name) = &self.campaigns[campaign];
        let phrase = PHRASES[rng.usize(..PHRASES.len())];
        let title = format!("{vehicle} {name}: {phrase}, {}", self.prose(&mut rng, 2));
        let length = rng.usize(20..50);
        let mut description = self.prose(&mut rng, length);
        if rng.u8(..10) < 3 {
            description.push_str(&format!(" #{name}"));
        }
        let mut tags = vec![vehicle.to_lowercase()];
        if rng.bool() {
            tags.push(name.to_lowercase());
        }
        tags.extend((0..rng.usize(2..5)).map(|_| self.word(&mut rng).to_string()));
        let taken = rng.i64(FIRST_DAY..LAST_DAY);
        Photo {
            id: 10_000_000_000 + n,
            secret: rng.u32(..),
            server: rng.u32(1_000..9_999),
            video: rng.u8(..100) < 8,
            campaign,
            title,
            description,
            tags,
            creator: CREATORS[rng.usize(..CREATORS.len())],
            license: rng.usize(..LICENSES.len()),
            taken,
            uploaded: taken + rng.i64(0..3 * 86_400),
            album: 72_157_700_000_000_000 + campaign as u64,
        }
    }

    /// Item `n` as a crawl extracts it, with the campaign of the release that led to it (by
    /// key), for tagging.
    pub(crate) fn extracted(&self, n: u64) -> (Item, BTreeSet<String>) {
        let photo = self.photo(n);
        let given = BTreeSet::from([archive::tag::key(&self.campaigns[photo.campaign].1)]);
        (self.item(&photo), given)
    }

    /// Item `n` as the index stores it: tagged with its campaigns.
    pub(crate) fn tagged(&self, n: u64, campaigns: &Campaigns) -> Item {
        let (mut item, given) = self.extracted(n);
        campaigns.settle(&mut item, &given);
        item
    }

    fn item(&self, photo: &Photo) -> Item {
        let kind = if photo.video {
            Kind::Video
        } else {
            Kind::Photo
        };
        let mut item = Item::new(format!("flickr:{}", photo.id), kind, Source::Flickr);
        let (vehicle, name) = &self.campaigns[photo.campaign];
        let (_, license, license_url) = LICENSES[photo.license];
        item.title = Some(photo.title.clone());
        item.description = Some(photo.description.clone());
        item.tags.clone_from(&photo.tags);
        item.creator = Some(photo.creator.to_string());
        item.license = Some(license.to_string());
        item.license_url = Some(license_url.to_string()).filter(|u| !u.is_empty());
        item.taken_at = Some(When::instant(timestamp(photo.taken)));
        item.published_at = Some(When::instant(timestamp(photo.uploaded)));
        item.page_url = Some(format!("https://www.flickr.com/photos/cnes/{}/", photo.id));
        item.sizes = sizes(photo);
        item.media_url = item.sizes.first().map(|s| s.url.clone());
        item.thumbnail_url = item.sizes.last().map(|s| s.url.clone());
        (item.width, item.height) = (Some(5_472), Some(3_648));
        item.duration_seconds = photo.video.then_some(185);
        item.collection = Some(format!("{vehicle} {name}"));
        item.collection_url = Some(format!(
            "https://www.flickr.com/photos/cnes/albums/{}",
            photo.album
        ));
        item.found_via = vec![format!(
            "https://press.cnes.example/en/{}",
            name.to_lowercase()
        )];
        item
    }

    /// The photo as one element of a `getPhotos` answer with every extra an album read asks
    /// for, in Flickr's shapes: numbers as strings, the description as `{"_content": …}`.
    pub(crate) fn flickr_json(&self, photo: &Photo) -> serde_json::Value {
        let (license, _, _) = LICENSES[photo.license];
        let taken = Utc
            .timestamp_opt(photo.taken, 0)
            .single()
            .map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string());
        let mut json = serde_json::json!({
            "id": photo.id.to_string(), "secret": format!("{:08x}", photo.secret),
            "server": photo.server.to_string(), "farm": 5, "title": photo.title,
            "isprimary": "0", "ispublic": 1, "isfriend": 0, "isfamily": 0,
            "license": license.to_string(),
            "description": {"_content": photo.description},
            "dateupload": photo.uploaded.to_string(), "datetaken": taken,
            "datetakengranularity": "0", "datetakenunknown": "0",
            "ownername": photo.creator, "tags": photo.tags.join(" "),
            "o_width": "5472", "o_height": "3648",
            "media": if photo.video { "video" } else { "photo" },
            "media_status": "ready", "pathalias": "cnes",
        });
        for size in sizes(photo) {
            let suffix = size.label.unwrap_or_default();
            json[format!("url_{suffix}")] = size.url.into();
            json[format!("width_{suffix}")] = size.width.unwrap_or(0).to_string().into();
            json[format!("height_{suffix}")] = size.height.unwrap_or(0).to_string().into();
        }
        json
    }

    /// One `getPhotos` page: photos `first..first + count` of an album of `total`. With
    /// `stills`, videos are listed as photos: each video costs a crawl two more API calls.
    pub(crate) fn flickr_page(
        &self,
        first: u64,
        count: u64,
        (page, total): (u64, u64),
        stills: bool,
    ) -> String {
        let photos: Vec<serde_json::Value> = (first..first + count)
            .map(|n| {
                let mut photo = self.photo(n);
                photo.video &= !stills;
                self.flickr_json(&photo)
            })
            .collect();
        let per_page = 500;
        let answer = serde_json::json!({
            "photoset": {
                "id": "72157704555614144", "primary": "45539063392",
                "owner": "141938346@N05", "ownername": "CNES", "photo": photos,
                "page": page, "per_page": per_page, "perpage": per_page,
                "pages": total.div_ceil(per_page), "total": total.to_string(),
                "title": "CSO-1 – Soyuz VS20",
            },
            "stat": "ok",
        });
        // Flickr escapes every slash.
        answer.to_string().replace('/', "\\/")
    }

    fn prose(&self, rng: &mut fastrand::Rng, words: usize) -> String {
        let mut text = String::new();
        for i in 0..words {
            if i > 0 {
                text.push(' ');
            }
            text.push_str(self.word(rng));
        }
        text
    }

    fn word(&self, rng: &mut fastrand::Rng) -> &str {
        &self.words[pick(&self.cumulative, rng)]
    }
}

fn sizes(photo: &Photo) -> Vec<MediaSize> {
    let base = format!(
        "https://live.staticflickr.com/{}/{}_{:08x}",
        photo.server, photo.id, photo.secret
    );
    [("o", 5_472, 3_648), ("l", 1_024, 683), ("q", 150, 150)]
        .into_iter()
        .map(|(label, width, height)| MediaSize {
            label: Some(label.to_string()),
            width: Some(width),
            height: Some(height),
            url: format!("{base}_{label}.jpg"),
        })
        .collect()
}

fn timestamp(seconds: i64) -> Timestamp {
    Utc.timestamp_opt(seconds, 0)
        .single()
        .expect("generated dates are in range")
        .fixed_offset()
}

fn running_sums(weights: impl Iterator<Item = f64>) -> Vec<f64> {
    weights
        .scan(0.0, |sum, w| {
            *sum += w;
            Some(*sum)
        })
        .collect()
}

/// An index drawn with the weights whose running sums are given.
fn pick(cumulative: &[f64], rng: &mut fastrand::Rng) -> usize {
    let total = cumulative.last().copied().unwrap_or(0.0);
    let target = rng.f64() * total;
    cumulative
        .partition_point(|&sum| sum < target)
        .min(cumulative.len() - 1)
}

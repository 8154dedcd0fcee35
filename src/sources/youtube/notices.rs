//! What the YouTube source tells the crawl summary, counted over the crawl.

use crate::sources::Notice;

pub(super) fn keyless_notice(count: usize) -> Notice {
    Notice {
        count,
        unit: "YouTube video".into(),
        message: "without YOUTUBE_API_KEY, {count} came from YouTube's public feeds, which \
                  list at most 15 videos of a playlist or channel, without duration, tags or \
                  licence. Set YOUTUBE_API_KEY (a YouTube Data API v3 key, from \
                  https://console.cloud.google.com/apis/credentials) to read them whole."
            .into(),
    }
}

pub(super) fn unavailable_notice(count: usize) -> Notice {
    Notice {
        count,
        unit: "YouTube video".into(),
        message: "skipped {count} that playlists list but are private or deleted".into(),
    }
}

pub(super) fn discovered_notice(count: usize) -> Notice {
    Notice {
        count,
        unit: "YouTube video".into(),
        message: "discovery found {count} by searching the channels a release led to for \
                  its campaign tags (--no-discover turns this off)"
            .into(),
    }
}

pub(super) fn skipped_search_notice() -> Notice {
    Notice {
        count: 1,
        unit: "YouTube channel".into(),
        message: "{count} not searched for the campaign tags: a search costs 100 quota \
                  units, more than this crawl had left"
            .into(),
    }
}

pub(super) fn failed_search_notice() -> Notice {
    Notice {
        count: 1,
        unit: "YouTube channel".into(),
        message: "{count} not searched for the campaign tags: the search failed (-v says why)"
            .into(),
    }
}

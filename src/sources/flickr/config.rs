//! Where the Flickr API is and which key to call it with.

use std::fmt;
use url::Url;

use super::{CallLimits, FlickrError};
use crate::sources::Settings;

/// The API's public origin; calls go to `<base>/services/rest/`.
pub const DEFAULT_API_URL: &str = "https://api.flickr.com";

/// Where Flickr's own pages are: an album's page is read there when there is no key.
pub const DEFAULT_WEB_URL: &str = "https://www.flickr.com";

/// How to reach the Flickr REST API.
#[derive(Clone, PartialEq, Eq)]
pub struct FlickrConfig {
    /// The key sent as `api_key`; without one no call is made.
    pub api_key: Option<String>,
    /// The origin, and optional path prefix, that `/services/rest/` is appended to
    /// (`http://127.0.0.1:5000/api.flickr.com` for a local stand-in).
    pub api_base: Url,
    /// Where album pages are read from without a key (`FLICKR_WEB_URL`, default
    /// [`DEFAULT_WEB_URL`]); a path is kept as a prefix, as for the API.
    pub web_base: Url,
}

impl FlickrConfig {
    /// Reads `FLICKR_API_KEY` (blank means none), `FLICKR_API_URL` (blank or unset means
    /// [`DEFAULT_API_URL`]) and `FLICKR_WEB_URL` (likewise, [`DEFAULT_WEB_URL`]).
    ///
    /// # Errors
    /// [`FlickrError::BadApiUrl`] when `FLICKR_API_URL` or `FLICKR_WEB_URL` is not an
    /// http(s) base URL.
    pub fn from_settings(settings: &Settings) -> Result<Self, FlickrError> {
        let mut config = Self::from_values(
            settings.var("FLICKR_API_KEY"),
            settings.var("FLICKR_API_URL"),
        )?;
        if let Some(web) = settings.var("FLICKR_WEB_URL") {
            config.web_base = parse_base(web)?;
        }
        Ok(config)
    }

    /// The call budget: Flickr's 3,600 calls an hour per key, unless `FLICKR_CALLS_PER_HOUR`
    /// says Flickr granted this key more (or the user wants to spend less of it).
    ///
    /// # Errors
    /// [`FlickrError::BadCallBudget`] when the value is not a whole number from 1 to 1,000,000.
    pub fn call_limits(settings: &Settings) -> Result<CallLimits, FlickrError> {
        let Some(value) = settings.var("FLICKR_CALLS_PER_HOUR") else {
            return Ok(CallLimits::default());
        };
        let calls = value
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=1_000_000).contains(n))
            .ok_or_else(|| FlickrError::BadCallBudget(value.to_string()))?;
        Ok(CallLimits {
            calls_per_window: calls,
            ..CallLimits::default()
        })
    }

    /// Where a Flickr page is read from: the same path under [`FlickrConfig::web_base`].
    pub fn web_page(&self, page: &Url) -> Url {
        let mut url = self.web_base.clone();
        let prefix = url.path().trim_end_matches('/').to_string();
        url.set_path(&format!("{prefix}{}", page.path()));
        url.set_query(page.query());
        url
    }

    /// The configuration the two variables' values describe; see [`FlickrConfig::from_settings`].
    ///
    /// # Errors
    /// [`FlickrError::BadApiUrl`] when `api_url` is not an http(s) base URL.
    pub fn from_values(api_key: Option<&str>, api_url: Option<&str>) -> Result<Self, FlickrError> {
        let api_key = api_key
            .map(str::trim)
            .filter(|k| !k.is_empty())
            .map(str::to_string);
        let api_url = api_url
            .map(str::trim)
            .filter(|u| !u.is_empty())
            .unwrap_or(DEFAULT_API_URL);
        Ok(FlickrConfig {
            api_key,
            api_base: parse_base(api_url)?,
            web_base: Url::parse(DEFAULT_WEB_URL).expect("valid default URL"),
        })
    }
}

impl fmt::Debug for FlickrConfig {
    // The key is a credential: keep it out of logs and error reports.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FlickrConfig")
            .field("api_key", &self.api_key.as_ref().map(|_| "<set>"))
            .field("api_base", &self.api_base.as_str())
            .field("web_base", &self.web_base.as_str())
            .finish()
    }
}

fn parse_base(value: &str) -> Result<Url, FlickrError> {
    let bad = |reason: &str| FlickrError::BadApiUrl {
        value: value.to_string(),
        reason: reason.to_string(),
    };
    let url = Url::parse(value).map_err(|e| bad(&e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(bad("only http and https are supported"));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(bad("no host"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(bad("a base URL has no query or fragment"));
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_to_the_public_api_without_a_key() {
        let config = FlickrConfig::from_values(None, None).expect("defaults are valid");
        assert_eq!(config.api_key, None);
        assert_eq!(config.api_base.as_str(), "https://api.flickr.com/");
        let blank = FlickrConfig::from_values(Some("  "), Some(" ")).expect("blank is unset");
        assert_eq!(blank, config);
    }

    #[test]
    fn the_call_budget_is_flickrs_unless_a_granted_one_is_given() {
        let budget = |value: &str| {
            FlickrConfig::call_limits(&Settings::from_pairs([("FLICKR_CALLS_PER_HOUR", value)]))
        };
        assert_eq!(budget(" ").unwrap().calls_per_window, 3_600);
        assert_eq!(budget("50000").unwrap().calls_per_window, 50_000);
        for bad in ["0", "-5", "lots", "2000000", "3600.5"] {
            let error = budget(bad).unwrap_err().to_string();
            assert!(
                error.contains("FLICKR_CALLS_PER_HOUR") && error.contains(bad),
                "{error}"
            );
        }
    }

    #[test]
    fn reads_key_and_base_with_a_path_prefix() {
        let config = FlickrConfig::from_values(
            Some(" 0123abcd "),
            Some("http://127.0.0.1:5000/api.flickr.com"),
        )
        .expect("valid");
        assert_eq!(config.api_key.as_deref(), Some("0123abcd"));
        assert_eq!(
            config.api_base.as_str(),
            "http://127.0.0.1:5000/api.flickr.com"
        );
    }

    #[test]
    fn a_bad_api_url_is_a_clear_error() {
        for value in [
            "api.flickr.com",
            "ftp://api.flickr.com",
            "https://",
            "mailto:someone@flickr.com",
            "https://api.flickr.com/?method=x",
        ] {
            let error = FlickrConfig::from_values(None, Some(value)).expect_err(value);
            let message = error.to_string();
            assert!(message.contains("FLICKR_API_URL"), "{message}");
            assert!(message.contains(value), "{message}");
        }
    }

    #[test]
    fn debug_output_hides_the_key() {
        let config = FlickrConfig::from_values(Some("sekrit"), None).expect("valid");
        let debug = format!("{config:?}");
        assert!(!debug.contains("sekrit"), "{debug}");
        assert!(debug.contains("<set>"), "{debug}");
    }
}

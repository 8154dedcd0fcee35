//! Where each provider answers oEmbed requests, overridable so tests can use loopback.

use url::Url;

use crate::fetch::Fetcher;
use crate::sources::Settings;

use super::providers::{Embed, Provider};

/// The variable overriding YouTube's endpoint.
pub const YOUTUBE_ENV: &str = "ARCHIVE_OEMBED_YOUTUBE_URL";
/// The variable overriding Vimeo's endpoint.
pub const VIMEO_ENV: &str = "ARCHIVE_OEMBED_VIMEO_URL";
/// The variable overriding Dailymotion's endpoint.
pub const DAILYMOTION_ENV: &str = "ARCHIVE_OEMBED_DAILYMOTION_URL";

/// YouTube's public oEmbed endpoint.
pub const DEFAULT_YOUTUBE: &str = "https://www.youtube.com/oembed";
/// Vimeo's public oEmbed endpoint.
pub const DEFAULT_VIMEO: &str = "https://vimeo.com/api/oembed.json";
/// Dailymotion's public oEmbed endpoint.
pub const DEFAULT_DAILYMOTION: &str = "https://www.dailymotion.com/services/oembed";

/// Each provider's oEmbed endpoint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoints {
    /// YouTube's (`ARCHIVE_OEMBED_YOUTUBE_URL`).
    pub youtube: Url,
    /// Vimeo's (`ARCHIVE_OEMBED_VIMEO_URL`).
    pub vimeo: Url,
    /// Dailymotion's (`ARCHIVE_OEMBED_DAILYMOTION_URL`).
    pub dailymotion: Url,
}

/// An endpoint variable that is not an http(s) URL.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error(
    "{var}={value:?} is not a usable oEmbed endpoint: {reason} (expected something like {default})"
)]
pub struct EndpointError {
    /// The variable.
    pub var: &'static str,
    /// Its value.
    pub value: String,
    /// What is wrong with it.
    pub reason: &'static str,
    /// The public endpoint it replaces.
    pub default: &'static str,
}

impl Default for Endpoints {
    /// The providers' public endpoints.
    fn default() -> Self {
        let parse = |u: &str| Url::parse(u).expect("built-in endpoints are valid");
        Endpoints {
            youtube: parse(DEFAULT_YOUTUBE),
            vimeo: parse(DEFAULT_VIMEO),
            dailymotion: parse(DEFAULT_DAILYMOTION),
        }
    }
}

impl Endpoints {
    /// Reads the three `ARCHIVE_OEMBED_*_URL` variables; unset, blank or not UTF-8 means
    /// the public endpoint.
    ///
    /// # Errors
    /// [`EndpointError`] when a variable is set to something that is not an http(s) URL.
    pub fn from_env() -> Result<Self, EndpointError> {
        Self::from_settings(&Settings::from_env())
    }

    /// Reads the three variables from `settings`; see [`Endpoints::from_env`].
    ///
    /// # Errors
    /// As [`Endpoints::from_env`].
    pub fn from_settings(settings: &Settings) -> Result<Self, EndpointError> {
        Self::from_values(
            settings.var(YOUTUBE_ENV),
            settings.var(VIMEO_ENV),
            settings.var(DAILYMOTION_ENV),
        )
    }

    /// The endpoints the three values describe, `None` or blank meaning the public one.
    ///
    /// # Errors
    /// As [`Endpoints::from_env`].
    pub fn from_values(
        youtube: Option<&str>,
        vimeo: Option<&str>,
        dailymotion: Option<&str>,
    ) -> Result<Self, EndpointError> {
        Ok(Endpoints {
            youtube: endpoint(YOUTUBE_ENV, youtube, DEFAULT_YOUTUBE)?,
            vimeo: endpoint(VIMEO_ENV, vimeo, DEFAULT_VIMEO)?,
            dailymotion: endpoint(DAILYMOTION_ENV, dailymotion, DEFAULT_DAILYMOTION)?,
        })
    }

    /// Lets `fetcher` make API calls to the three endpoints.
    pub fn register(&self, fetcher: &Fetcher) {
        for endpoint in [&self.youtube, &self.vimeo, &self.dailymotion] {
            fetcher.register_api(endpoint);
        }
    }

    /// The provider's endpoint.
    pub fn endpoint(&self, provider: Provider) -> &Url {
        match provider {
            Provider::YouTube => &self.youtube,
            Provider::Vimeo => &self.vimeo,
            Provider::Dailymotion => &self.dailymotion,
        }
    }

    /// The oEmbed request for one video: `<endpoint>?url=<its page>&format=json` (Vimeo's
    /// `oembed.json` needs no `format`). Parameters already in the endpoint are kept.
    pub fn request_url(&self, embed: &Embed) -> Url {
        let mut url = self.endpoint(embed.provider).clone();
        {
            let mut query = url.query_pairs_mut();
            query.append_pair("url", embed.page_url().as_str());
            if embed.provider != Provider::Vimeo {
                query.append_pair("format", "json");
            }
        }
        url
    }
}

fn endpoint(
    var: &'static str,
    value: Option<&str>,
    default: &'static str,
) -> Result<Url, EndpointError> {
    let value = value
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .unwrap_or(default);
    let bad = |reason| EndpointError {
        var,
        value: value.to_string(),
        reason,
        default,
    };
    let url = Url::parse(value).map_err(|_| bad("not an absolute URL"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(bad("only http and https are supported"));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(bad("no host"));
    }
    if url.fragment().is_some() {
        return Err(bad("an endpoint has no fragment"));
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sources::oembed::recognize;

    fn embed(text: &str) -> Embed {
        recognize(&Url::parse(text).unwrap()).unwrap()
    }

    #[test]
    fn public_endpoints_by_default_and_blank_means_unset() {
        let defaults = Endpoints::default();
        assert_eq!(
            Endpoints::from_values(None, Some(" "), None).unwrap(),
            defaults
        );
        assert_eq!(
            defaults
                .request_url(&embed("https://youtu.be/VS20cso1xyz"))
                .as_str(),
            "https://www.youtube.com/oembed?url=https%3A%2F%2Fwww.youtube.com%2Fwatch%3Fv%3DVS20cso1xyz&format=json"
        );
        assert_eq!(
            defaults
                .request_url(&embed(
                    "https://player.vimeo.com/video/305742410?h=a1b2c3d4e5"
                ))
                .as_str(),
            "https://vimeo.com/api/oembed.json?url=https%3A%2F%2Fvimeo.com%2F305742410%2Fa1b2c3d4e5"
        );
        assert_eq!(
            defaults
                .request_url(&embed("https://dai.ly/x6z8k2a"))
                .as_str(),
            "https://www.dailymotion.com/services/oembed?url=https%3A%2F%2Fwww.dailymotion.com%2Fvideo%2Fx6z8k2a&format=json"
        );
    }

    #[test]
    fn bases_can_point_at_loopback() {
        let endpoints = Endpoints::from_values(
            Some("http://127.0.0.1:5000/youtube/oembed"),
            None,
            Some("http://127.0.0.1:5000/dm/oembed?lang=fr"),
        )
        .unwrap();
        assert_eq!(
            endpoints
                .request_url(&embed("https://youtu.be/VS20cso1xyz"))
                .as_str(),
            "http://127.0.0.1:5000/youtube/oembed?url=https%3A%2F%2Fwww.youtube.com%2Fwatch%3Fv%3DVS20cso1xyz&format=json"
        );
        assert!(
            endpoints
                .request_url(&embed("https://dai.ly/x6z8k2a"))
                .as_str()
                .starts_with("http://127.0.0.1:5000/dm/oembed?lang=fr&url=")
        );
    }

    #[test]
    fn a_bad_endpoint_names_its_variable() {
        for value in [
            "youtube.com/oembed",
            "ftp://x/oembed",
            "https://x/oembed#frag",
        ] {
            let error = Endpoints::from_values(Some(value), None, None).unwrap_err();
            assert_eq!(error.var, YOUTUBE_ENV);
            let message = error.to_string();
            assert!(
                message.contains(YOUTUBE_ENV) && message.contains(value),
                "{message}"
            );
        }
    }
}

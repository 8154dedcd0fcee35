//! Where a platform's API or feeds are: a public default, movable by an environment
//! variable so that tests (and mirrors) can point it elsewhere.

use url::Url;

use crate::sources::{Settings, SettingsError};

/// An endpoint variable that is not a usable base URL.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{var}={value:?} is not a usable base URL: {reason} (expected something like {default})")]
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

impl From<EndpointError> for SettingsError {
    fn from(error: EndpointError) -> Self {
        SettingsError::new(error)
    }
}

/// The base URL `var` names, or `default` when it is unset or blank. A path is kept as a
/// prefix (`http://127.0.0.1:5000/www.googleapis.com/youtube/v3`).
///
/// # Errors
/// [`EndpointError`] when the value is not an http(s) URL with a host, or has a query or a
/// fragment.
pub fn endpoint(
    settings: &Settings,
    var: &'static str,
    default: &'static str,
) -> Result<Url, EndpointError> {
    let value = settings.var(var).unwrap_or(default);
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
    if url.query().is_some() || url.fragment().is_some() {
        return Err(bad("a base URL has no query or fragment"));
    }
    Ok(url)
}

/// `base` with `path` appended to its own path (`…/youtube/v3` + `videos`), and no query.
pub fn join(base: &Url, path: &str) -> Url {
    let mut url = base.clone();
    let joined = format!(
        "{}/{}",
        url.path().trim_end_matches('/'),
        path.trim_start_matches('/')
    );
    url.set_path(&joined);
    url.set_query(None);
    url
}

/// `base` joined with `path`, with these query parameters in order.
pub fn call_url(base: &Url, path: &str, params: &[(&str, &str)]) -> Url {
    let mut url = join(base, path);
    if !params.is_empty() {
        url.query_pairs_mut().extend_pairs(params);
    }
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_apply_and_a_path_prefix_is_kept() {
        let unset = Settings::from_pairs([]);
        let base = endpoint(&unset, "X_URL", "https://api.example.org/v3").unwrap();
        assert_eq!(
            call_url(&base, "videos", &[("id", "a,b"), ("part", "snippet")]).as_str(),
            "https://api.example.org/v3/videos?id=a%2Cb&part=snippet"
        );
        let set = Settings::from_pairs([("X_URL", " http://127.0.0.1:9/api.example.org/ ")]);
        let base = endpoint(&set, "X_URL", "https://api.example.org").unwrap();
        assert_eq!(
            join(&base, "/video/x7").as_str(),
            "http://127.0.0.1:9/api.example.org/video/x7"
        );
    }

    #[test]
    fn a_bad_value_names_its_variable() {
        for value in [
            "api.example.org",
            "ftp://x",
            "https://x/?a=1",
            "https://x/#f",
        ] {
            let settings = Settings::from_pairs([("X_URL", value)]);
            let error = endpoint(&settings, "X_URL", "https://x").unwrap_err();
            let message = error.to_string();
            assert!(
                message.contains("X_URL") && message.contains(value),
                "{message}"
            );
        }
    }
}

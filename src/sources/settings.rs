//! What sources read from the environment: API keys and endpoints (`FLICKR_API_KEY`,
//! `FLICKR_API_URL`, `ARCHIVE_OEMBED_YOUTUBE_URL`…), taken once, so that tests can give
//! their own values without touching the process's environment.

use std::collections::HashMap;

/// The variables sources are set up from, and how the crawl's answers are obtained.
#[derive(Clone, Debug)]
pub struct Settings {
    vars: HashMap<String, String>,
    /// Answers come from a recording, where keys were redacted: a source that needs a key
    /// uses a stand-in rather than refusing.
    pub replaying: bool,
    /// Sources may search the accounts a release led to for its campaigns' tags
    /// (discovery); `--no-discover` turns it off.
    pub discover: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            vars: HashMap::new(),
            replaying: false,
            discover: true,
        }
    }
}

impl Settings {
    /// The process's environment.
    pub fn from_env() -> Self {
        Settings {
            vars: std::env::vars().collect(),
            ..Settings::default()
        }
    }

    /// These values only, as if they were the environment.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        Settings {
            vars: pairs
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            ..Settings::default()
        }
    }

    /// The same settings, for a crawl answered from a recording.
    #[must_use]
    pub fn replaying(mut self, replaying: bool) -> Self {
        self.replaying = replaying;
        self
    }

    /// The same settings, with discovery on or off.
    #[must_use]
    pub fn discovering(mut self, discover: bool) -> Self {
        self.discover = discover;
        self
    }

    /// A variable's value, trimmed; blank counts as unset.
    pub fn var(&self, name: &str) -> Option<&str> {
        self.vars
            .get(name)
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
    }
}

/// A setting a source cannot use, such as an endpoint variable that is not a URL.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct SettingsError(Box<dyn std::error::Error + Send + Sync>);

impl SettingsError {
    /// Wraps the source's own error, which says which variable is wrong and how.
    pub fn new(error: impl std::error::Error + Send + Sync + 'static) -> Self {
        SettingsError(Box::new(error))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_values_are_unset_and_values_are_trimmed() {
        let settings = Settings::from_pairs([("A", "  "), ("B", " x ")]);
        assert_eq!(settings.var("A"), None);
        assert_eq!(settings.var("B"), Some("x"));
        assert_eq!(settings.var("C"), None);
    }
}

//! Why a URL could not be read, as data: a kind a program can branch on, a message a person
//! can read, and the error underneath for logs.
//!
//! Every stage that can fail for one URL (the fetcher, a source's API, an extractor) says
//! which [`FailureKind`] it was; the crawl report carries the kind to `--report` JSON and
//! groups the summary by it.

use serde::Serialize;

/// What went wrong with one URL.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FailureKind {
    /// robots.txt forbids the URL, or could not be read (a server error forbids the host).
    Robots,
    /// The server answered with an error status.
    HttpStatus,
    /// Connecting, reading or the whole request took too long.
    Timeout,
    /// The body grew past the size limit.
    TooLarge,
    /// A link on a public page led to a loopback, private or link-local address.
    PrivateAddress,
    /// More redirects than allowed, a redirect loop, or a redirect without a usable target.
    RedirectLimit,
    /// Not an http(s) URL.
    UnsupportedScheme,
    /// The connection failed: the host is unknown, refuses, or the network is down.
    Network,
    /// Replaying, and the recording holds no answer for the URL.
    NotInArchive,
    /// A source's API said no (an error inside an HTTP 200, an unknown album).
    Api,
    /// The answer was not what its URL promised: not a page, a feed or an API answer that
    /// can be read.
    Unreadable,
    /// Reading it would take more work than a page may cost.
    TooComplex,
    /// A bug: reading it panicked. The crawl went on without it.
    Crash,
    /// The crawl's own records beside the index could not be read or written.
    Storage,
    /// The host asked to be left alone (429 or 503 again and again, or to come back much
    /// later): it is given up for this crawl, and the next one tries again.
    Overloaded,
}

impl FailureKind {
    /// Every kind, in the order the summary lists them.
    pub const ALL: [FailureKind; 15] = [
        FailureKind::Crash,
        FailureKind::Storage,
        FailureKind::Overloaded,
        FailureKind::Network,
        FailureKind::Timeout,
        FailureKind::HttpStatus,
        FailureKind::Robots,
        FailureKind::Api,
        FailureKind::Unreadable,
        FailureKind::TooLarge,
        FailureKind::TooComplex,
        FailureKind::PrivateAddress,
        FailureKind::RedirectLimit,
        FailureKind::UnsupportedScheme,
        FailureKind::NotInArchive,
    ];

    /// The name used in JSON (`http_status`).
    pub fn as_str(self) -> &'static str {
        match self {
            FailureKind::Robots => "robots",
            FailureKind::HttpStatus => "http_status",
            FailureKind::Timeout => "timeout",
            FailureKind::TooLarge => "too_large",
            FailureKind::PrivateAddress => "private_address",
            FailureKind::RedirectLimit => "redirect_limit",
            FailureKind::UnsupportedScheme => "unsupported_scheme",
            FailureKind::Network => "network",
            FailureKind::NotInArchive => "not_in_archive",
            FailureKind::Api => "api",
            FailureKind::Unreadable => "unreadable",
            FailureKind::TooComplex => "too_complex",
            FailureKind::Crash => "crash",
            FailureKind::Storage => "storage",
            FailureKind::Overloaded => "overloaded",
        }
    }

    /// A heading for the URLs that failed this way.
    pub fn heading(self) -> &'static str {
        match self {
            FailureKind::Robots => "refused by robots.txt",
            FailureKind::HttpStatus => "the server answered with an error",
            FailureKind::Timeout => "timed out",
            FailureKind::TooLarge => "too large",
            FailureKind::PrivateAddress => "would lead into a private network",
            FailureKind::RedirectLimit => "redirected too often or nowhere",
            FailureKind::UnsupportedScheme => "not http(s)",
            FailureKind::Network => "could not be reached",
            FailureKind::NotInArchive => "not in the replayed recording",
            FailureKind::Api => "refused by the source's API",
            FailureKind::Unreadable => "could not be read",
            FailureKind::TooComplex => "too complex to read",
            FailureKind::Crash => "crashed the reader (a bug: please report it)",
            FailureKind::Storage => {
                "could not be remembered (the crawl state beside the index failed)"
            }
            FailureKind::Overloaded => "left for a later crawl (the host asked to be left alone)",
        }
    }
}

/// One URL's failure: its kind, what to tell the user, and the error behind it.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct Failure {
    /// What went wrong, for programs.
    pub kind: FailureKind,
    /// What went wrong, for people.
    pub message: String,
    /// The error that caused it, when there is one.
    #[source]
    pub source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl Failure {
    /// A failure with no underlying error.
    pub fn new(kind: FailureKind, message: impl Into<String>) -> Self {
        Failure {
            kind,
            message: message.into(),
            source: None,
        }
    }

    /// A failure caused by `error`, described by it.
    pub fn caused_by(
        kind: FailureKind,
        error: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        Failure {
            kind,
            message: error.to_string(),
            source: Some(Box::new(error)),
        }
    }

    /// A panic while reading, with what the panic said.
    pub fn crash(payload: &(dyn std::any::Any + Send)) -> Self {
        let said = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "no message".into());
        Failure::new(FailureKind::Crash, format!("the reader crashed: {said}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_is_listed_once_and_named_as_in_json() {
        let mut names: Vec<&str> = FailureKind::ALL.iter().map(|k| k.as_str()).collect();
        for kind in FailureKind::ALL {
            let json = serde_json::to_value(kind).unwrap();
            assert_eq!(json, kind.as_str());
        }
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), FailureKind::ALL.len());
    }

    #[test]
    fn a_panic_says_what_it_said() {
        let payload = std::panic::catch_unwind(|| panic!("index out of bounds")).unwrap_err();
        let failure = Failure::crash(payload.as_ref());
        assert_eq!(failure.kind, FailureKind::Crash);
        assert!(failure.message.contains("index out of bounds"), "{failure}");
    }
}

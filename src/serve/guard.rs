//! What every response carries and every request must show: security headers, and a `Host`
//! header that names this server, so that a web page elsewhere cannot reach it by pointing
//! its own domain name at 127.0.0.1 (DNS rebinding).

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

/// No script but our own file, no style but our own sheet, no image but ours, no frame.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; \
    style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; \
    base-uri 'none'; frame-ancestors 'none'";

/// The `Host` values this server answers to.
#[derive(Clone, Debug)]
pub struct HostPolicy {
    port: u16,
    /// Bound to loopback only: only loopback addresses and `localhost` name it.
    loopback: bool,
    /// Names given with `--allow-host`, lowercase.
    names: Vec<String>,
}

impl HostPolicy {
    /// The policy for a server bound to `bound`, also answering to `names`.
    pub fn new(bound: SocketAddr, names: &[String]) -> Self {
        HostPolicy {
            port: bound.port(),
            loopback: bound.ip().is_loopback(),
            names: names
                .iter()
                .map(|n| n.trim().to_ascii_lowercase())
                .collect(),
        }
    }

    /// Whether a request with this `Host` header is for this server.
    ///
    /// A name is accepted only when it is `localhost` or was allowed by name; an address
    /// when it is loopback, or any address once the server is bound beyond loopback (a page
    /// cannot make a browser send an address it was not loaded from).
    pub fn allows(&self, host: &str) -> bool {
        let Some((name, port)) = split_host(host) else {
            return false;
        };
        if port != self.port {
            return false;
        }
        let name = name.to_ascii_lowercase();
        match name.parse::<IpAddr>() {
            Ok(ip) => ip.is_loopback() || !self.loopback,
            Err(_) => name == "localhost" || self.names.contains(&name),
        }
    }
}

/// `name:port`, `[v6]:port` or a bare name (port 80).
fn split_host(host: &str) -> Option<(&str, u16)> {
    let host = host.trim();
    if let Some(rest) = host.strip_prefix('[') {
        let (ip, after) = rest.split_once(']')?;
        let port = match after.strip_prefix(':') {
            Some(port) => port.parse().ok()?,
            None if after.is_empty() => 80,
            None => return None,
        };
        return Some((ip, port));
    }
    match host.rsplit_once(':') {
        Some((name, port)) => Some((name, port.parse().ok()?)),
        None => Some((host, 80)),
    }
}

/// Refuses requests whose `Host` does not name this server.
pub async fn check_host(
    State(policy): State<Arc<HostPolicy>>,
    request: Request,
    next: Next,
) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::to_string);
    match host {
        Some(host) if policy.allows(&host) => next.run(request).await,
        Some(host) => refused(&format!(
            "This server does not answer to the host name `{host}`. Open it by the address \
             it printed when it started (such as http://127.0.0.1:{}/), or start it with \
             --allow-host NAME to answer to that name.",
            policy.port
        )),
        None => refused("The request has no Host header."),
    }
}

fn refused(message: &str) -> Response {
    let page = super::pages::errors::bad_request(message);
    (StatusCode::BAD_REQUEST, page).into_response()
}

/// Adds the security headers to every response.
pub async fn headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    add_headers(response.headers_mut());
    response
}

fn add_headers(headers: &mut HeaderMap) {
    let fixed = [
        (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        // Links lead to other people's sites: they need not learn what was searched here.
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (
            header::HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ),
        (
            header::HeaderName::from_static("cross-origin-resource-policy"),
            "same-origin",
        ),
    ];
    for (name, value) in fixed {
        headers.insert(name, HeaderValue::from_static(value));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(bound: &str, names: &[&str]) -> HostPolicy {
        let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
        HostPolicy::new(bound.parse().unwrap(), &names)
    }

    #[test]
    fn a_loopback_server_answers_to_loopback_names_on_its_port_only() {
        let loopback = policy("127.0.0.1:7878", &[]);
        for host in [
            "127.0.0.1:7878",
            "localhost:7878",
            "LOCALHOST:7878",
            "[::1]:7878",
        ] {
            assert!(loopback.allows(host), "{host}");
        }
        for host in [
            "evil.example:7878",
            "127.0.0.1:7879",
            "127.0.0.1",
            "192.168.1.5:7878",
            "localhost.evil.example:7878",
            "[::1]x:7878",
            "",
        ] {
            assert!(!loopback.allows(host), "{host}");
        }
    }

    #[test]
    fn a_server_bound_wider_answers_to_addresses_and_to_names_it_was_given() {
        let wide = policy("0.0.0.0:80", &["Desk-PC.local"]);
        assert!(wide.allows("192.168.1.5"));
        assert!(wide.allows("desk-pc.local"));
        assert!(!wide.allows("rebind.evil.example"));
    }
}

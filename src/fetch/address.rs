//! Which addresses a link found on the public web may lead to.
//!
//! A page on a public server can link to `http://192.168.1.1/` or to a hostname that
//! resolves to `127.0.0.1`; following such links would let any web page make the crawler
//! probe the journalist's own network. So links found on pages served from a public address
//! may only reach public addresses, checked on the resolved address at connection time
//! (which also defeats DNS rebinding). Seeds, endpoints the user configures, and pages
//! inside a private network are trusted.

use ipnet::IpNet;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

/// The networks that count as private: loopback, RFC 1918, link-local, carrier-grade NAT,
/// "this network", and their IPv6 counterparts (loopback, unique-local, link-local).
pub const DEFAULT_PRIVATE_NETWORKS: [&str; 10] = [
    "0.0.0.0/8",
    "10.0.0.0/8",
    "100.64.0.0/10",
    "127.0.0.0/8",
    "169.254.0.0/16",
    "172.16.0.0/12",
    "192.168.0.0/16",
    "::1/128",
    "fc00::/7",
    "fe80::/10",
];

/// The networks a link from the public web may not reach.
#[derive(Clone, Debug)]
pub struct AddressPolicy {
    private: Vec<IpNet>,
}

impl Default for AddressPolicy {
    fn default() -> Self {
        AddressPolicy {
            private: DEFAULT_PRIVATE_NETWORKS
                .iter()
                .map(|n| n.parse().expect("valid built-in network"))
                .collect(),
        }
    }
}

impl AddressPolicy {
    /// A policy with these private networks instead of the default ones.
    pub fn with_private_networks(private: Vec<IpNet>) -> Self {
        AddressPolicy { private }
    }

    /// Whether `ip` is in a private network. An IPv6 address that carries an IPv4 one
    /// (mapped `::ffff:10.0.0.1`, compatible `::127.0.0.1`, NAT64 `64:ff9b::7f00:1`, 6to4
    /// `2002:7f00:1::`) is private when either is, and the unspecified address always is.
    pub fn is_private(&self, ip: IpAddr) -> bool {
        let judged =
            |ip: IpAddr| ip.is_unspecified() || self.private.iter().any(|n| n.contains(&ip));
        judged(ip) || embedded_ipv4(ip).is_some_and(|v4| judged(IpAddr::V4(v4)))
    }
}

/// The IPv4 address an IPv6 one carries, by the standard embeddings.
fn embedded_ipv4(ip: IpAddr) -> Option<std::net::Ipv4Addr> {
    let IpAddr::V6(v6) = ip else {
        return None;
    };
    let segments = v6.segments();
    let octets = v6.octets();
    let last_four = || std::net::Ipv4Addr::new(octets[12], octets[13], octets[14], octets[15]);
    match segments {
        // Mapped (`::ffff:a.b.c.d`) and the deprecated compatible form (`::a.b.c.d`).
        [0, 0, 0, 0, 0, 0xffff, _, _] | [0, 0, 0, 0, 0, 0, _, _] => Some(last_four()),
        // NAT64's well-known prefix (RFC 6052) and its local-use one (RFC 8215).
        [0x64, 0xff9b, 0, 0, 0, 0, _, _] | [0x64, 0xff9b, 1, ..] => Some(last_four()),
        // 6to4 (RFC 3056): 2002:AABB:CCDD::/48 carries AA.BB.CC.DD.
        [0x2002, ..] => Some(std::net::Ipv4Addr::new(
            octets[2], octets[3], octets[4], octets[5],
        )),
        _ => None,
    }
}

/// Every address `host` resolves to, for a check made before a request leaves through a
/// proxy (which would otherwise resolve the name where we cannot see).
pub(super) async fn resolve(host: &str, port: u16) -> std::io::Result<Vec<SocketAddr>> {
    Ok(tokio::net::lookup_host((host, port)).await?.collect())
}

/// A DNS resolver that drops private addresses, for requests that must stay on the public web.
#[derive(Clone, Debug)]
pub(super) struct PublicOnly {
    pub(super) policy: Arc<AddressPolicy>,
}

impl Resolve for PublicOnly {
    fn resolve(&self, name: Name) -> Resolving {
        let policy = self.policy.clone();
        let host = name.as_str().to_string();
        Box::pin(async move {
            let all: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let public: Vec<SocketAddr> = all
                .iter()
                .copied()
                .filter(|a| !policy.is_private(a.ip()))
                .collect();
            if public.is_empty() && !all.is_empty() {
                return Err(Box::new(PrivateOnly(host)) as Box<dyn std::error::Error + Send + Sync>);
            }
            let addrs: Addrs = Box::new(public.into_iter());
            Ok(addrs)
        })
    }
}

/// The error a refused name resolution carries, so the fetcher can tell it from a DNS failure.
#[derive(Debug)]
pub(super) struct PrivateOnly(pub(super) String);

impl std::fmt::Display for PrivateOnly {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} resolves only to private addresses", self.0)
    }
}

impl std::error::Error for PrivateOnly {}

#[cfg(test)]
mod tests {
    use super::*;

    fn private(ip: &str) -> bool {
        AddressPolicy::default().is_private(ip.parse().unwrap())
    }

    #[test]
    fn private_loopback_link_local_and_unique_local_are_private() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fd00::1",
            "fe80::1",
            "::",
            "::ffff:10.0.0.1",
            "::ffff:127.0.0.1",
            "::127.0.0.1",
            "64:ff9b::7f00:1",
            "64:ff9b::a00:1",
            "64:ff9b:1::c0a8:101",
            "2002:7f00:1::1",
            "2002:c0a8:101::",
        ] {
            assert!(private(ip), "{ip}");
        }
    }

    #[test]
    fn public_addresses_are_not() {
        for ip in [
            "93.184.216.34",
            "172.32.0.1",
            "8.8.8.8",
            "2001:4860:4860::8888",
            "::ffff:8.8.8.8",
            "64:ff9b::808:808",
            "2002:808:808::1",
        ] {
            assert!(!private(ip), "{ip}");
        }
    }

    #[test]
    fn a_configured_policy_replaces_the_default_networks() {
        let policy = AddressPolicy::with_private_networks(vec!["127.0.0.2/32".parse().unwrap()]);
        assert!(policy.is_private("127.0.0.2".parse().unwrap()));
        assert!(!policy.is_private("127.0.0.1".parse().unwrap()));
    }

    #[tokio::test]
    async fn the_resolver_refuses_names_that_only_lead_inside() {
        let resolver = PublicOnly {
            policy: Arc::new(AddressPolicy::default()),
        };
        let refused = resolver.resolve("localhost".parse().unwrap()).await;
        let message = refused.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(
            message.contains("resolves only to private addresses"),
            "{message}"
        );
    }
}

//! Which names the dev server answers to: the defence against DNS rebinding.
//!
//! A web page the user visits can make its own domain resolve to 127.0.0.1 and
//! then read whatever the server answers, unless the server refuses requests
//! whose `Host` is not its own. [`HostRule`] accepts only the bound address,
//! `localhost`, `127.0.0.1` and `[::1]` (any port), plus the names given with
//! `--allowed-host`. The same rule applies to `Origin`, when a browser sends
//! one, on the event stream and the status document, so another site cannot
//! read them either. Names are compared case-insensitively; IPv6 addresses in
//! their canonical form.

use std::net::{IpAddr, Ipv6Addr};

/// The names the server answers to.
#[derive(Debug, Clone)]
pub struct HostRule {
    names: Vec<String>,
}

/// Why a request was refused (a short plain-text reason for the response).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// Why, e.g. "Host `evil.example` is not a name of this mentorbook server".
    pub reason: String,
    /// The name to pass to `--allowed-host` to accept it, when there is one.
    pub name: Option<String>,
}

impl Refusal {
    /// The body of the 403 response.
    pub fn message(&self) -> String {
        let mut m = format!(
            "Refused: {} (protection against DNS rebinding).\n",
            self.reason
        );
        if let Some(name) = &self.name {
            m.push_str(&format!(
                "To allow it, restart the server with `--allowed-host {name}`.\n"
            ));
        }
        m
    }
}

impl HostRule {
    /// The rule of a server bound to `bind`, also accepting `extra` names
    /// (already checked by [`parse_allowed_host`]).
    pub fn new(bind: IpAddr, extra: &[String]) -> Self {
        let mut names = vec![
            "localhost".to_string(),
            "127.0.0.1".to_string(),
            "[::1]".to_string(),
            ip_name(bind),
        ];
        names.extend(extra.iter().filter_map(|n| parse_allowed_host(n).ok()));
        names.sort();
        names.dedup();
        Self { names }
    }

    /// Whether `host` (a `Host` header or a URI authority: `name[:port]`) is ours.
    pub fn allows_authority(&self, authority: &str) -> bool {
        host_of(authority).is_some_and(|h| self.names.contains(&h))
    }

    /// Whether `origin` (an `Origin` header: `http://name[:port]`) is ours.
    pub fn allows_origin(&self, origin: &str) -> bool {
        let lower = origin.to_ascii_lowercase();
        let rest = lower
            .strip_prefix("http://")
            .or_else(|| lower.strip_prefix("https://"));
        rest.is_some_and(|authority| !authority.contains('/') && self.allows_authority(authority))
    }

    /// Checks a request's `Host` headers (exactly one is required) and the
    /// authority of its target, if absolute.
    pub fn check_host<'a>(
        &self,
        hosts: impl Iterator<Item = &'a [u8]>,
        target_authority: Option<&str>,
    ) -> Result<(), Refusal> {
        let hosts: Vec<&[u8]> = hosts.take(2).collect();
        let host = match hosts.as_slice() {
            [one] => *one,
            [] => return Err(refusal("the request has no `Host` header".into(), None)),
            _ => {
                return Err(refusal(
                    "the request has several `Host` headers".into(),
                    None,
                ));
            }
        };
        let host = std::str::from_utf8(host).unwrap_or("");
        if !self.allows_authority(host) {
            let reason = format!("Host `{}` is {NOT_OURS}", shown(host));
            return Err(refusal(reason, host_of(host)));
        }
        if let Some(authority) = target_authority
            && !self.allows_authority(authority)
        {
            let reason = format!(
                "the request target's host `{}` is {NOT_OURS}",
                shown(authority)
            );
            return Err(refusal(reason, host_of(authority)));
        }
        Ok(())
    }

    /// Checks a request's `Origin` header, if any.
    pub fn check_origin(&self, origin: Option<&[u8]>) -> Result<(), Refusal> {
        let Some(origin) = origin else {
            return Ok(());
        };
        let origin = std::str::from_utf8(origin).unwrap_or("");
        if self.allows_origin(origin) {
            return Ok(());
        }
        let name = origin
            .split_once("://")
            .and_then(|(_, authority)| host_of(authority));
        let reason = format!(
            "Origin `{}` is not an origin of this mentorbook server",
            shown(origin)
        );
        Err(refusal(reason, name))
    }
}

const NOT_OURS: &str = "not a name of this mentorbook server";

fn refusal(reason: String, name: Option<String>) -> Refusal {
    Refusal { reason, name }
}

/// A header value as shown in a message: printable ASCII, at most 80 characters.
fn shown(value: &str) -> String {
    let mut s: String = value
        .chars()
        .take(80)
        .map(|c| if c.is_ascii_graphic() { c } else { '?' })
        .collect();
    if value.chars().count() > 80 {
        s.push('…');
    }
    s
}

fn ip_name(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => format!("[{v6}]"),
    }
}

/// The host part of `name[:port]` or `[v6][:port]`, lower-case and canonical;
/// `None` when it is not a valid authority.
fn host_of(authority: &str) -> Option<String> {
    let (host, port) = if let Some(rest) = authority.strip_prefix('[') {
        let (v6, after) = rest.split_once(']')?;
        let ip: Ipv6Addr = v6.parse().ok()?;
        (
            format!("[{ip}]"),
            after
                .strip_prefix(':')
                .or(Some(after).filter(|a| a.is_empty()))?,
        )
    } else {
        let (host, port) = authority.split_once(':').unwrap_or((authority, ""));
        if !is_reg_name(host) {
            return None;
        }
        (host.to_ascii_lowercase(), port)
    };
    (port.len() <= 5 && port.bytes().all(|b| b.is_ascii_digit())).then_some(host)
}

/// A DNS name or an IPv4 address: letters, digits, `-`, `.`, `_`.
fn is_reg_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 253
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.' || b == b'_')
}

/// Checks a `--allowed-host` value: a host name, an IPv4 address, or an IPv6
/// address (bare or in brackets), without scheme or port. Returns it in the
/// form the rule compares.
pub fn parse_allowed_host(value: &str) -> Result<String, String> {
    let help = "give a name or an address without scheme or port, e.g. `--allowed-host mentorat.example` or `--allowed-host 192.168.1.20`";
    if let Ok(ip) = value.parse::<IpAddr>() {
        return Ok(ip_name(ip));
    }
    if let Some(inner) = value.strip_prefix('[').and_then(|v| v.strip_suffix(']'))
        && let Ok(ip) = inner.parse::<Ipv6Addr>()
    {
        return Ok(ip_name(IpAddr::V6(ip)));
    }
    if is_reg_name(value) {
        return Ok(value.to_ascii_lowercase());
    }
    Err(format!("`{}` is not a host name; {help}", shown(value)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(bind: &str, extra: &[&str]) -> HostRule {
        let extra: Vec<String> = extra.iter().map(|s| s.to_string()).collect();
        HostRule::new(bind.parse().expect("ip"), &extra)
    }

    #[test]
    fn loopback_names_with_any_port_are_allowed() {
        let r = rule("127.0.0.1", &[]);
        for ok in [
            "localhost",
            "LOCALHOST:1111",
            "127.0.0.1",
            "127.0.0.1:80",
            "[::1]",
            "[::1]:1111",
            "[0:0:0:0:0:0:0:1]:9",
            "localhost:",
        ] {
            assert!(r.allows_authority(ok), "{ok}");
        }
        for bad in [
            "evil.example",
            "evil.example:1111",
            "localhost.evil.example",
            "127.0.0.1.nip.io",
            "127.0.0.2",
            "::1",
            "[::1",
            "localhost:99999999",
            "localhost:12ab",
            "local host",
            "",
            "[::2]",
            "0.0.0.0",
        ] {
            assert!(!r.allows_authority(bad), "{bad}");
        }
    }

    #[test]
    fn the_bound_address_and_allowed_names_are_allowed() {
        let r = rule(
            "192.168.1.20",
            &["Mentorat.Example", "::ffff:1", "10.0.0.1"],
        );
        for ok in [
            "192.168.1.20:1111",
            "mentorat.example",
            "MENTORAT.example:8080",
            "[::ffff:1]",
            "10.0.0.1",
        ] {
            assert!(r.allows_authority(ok), "{ok}");
        }
        assert!(!r.allows_authority("mentorat.example.evil"));
        assert!(rule("::", &[]).allows_authority("[::]:1111"));
    }

    #[test]
    fn origins_follow_the_same_rule() {
        let r = rule("127.0.0.1", &["docs.internal"]);
        for ok in [
            "http://127.0.0.1:1111",
            "http://localhost",
            "https://docs.internal",
            "HTTP://[::1]:3",
        ] {
            assert!(r.allows_origin(ok), "{ok}");
        }
        for bad in [
            "null",
            "http://evil.example",
            "http://127.0.0.1.evil.example",
            "file://",
            "ftp://localhost",
            "http://localhost/x",
            "http://localhost@evil.example",
            "",
        ] {
            assert!(!r.allows_origin(bad), "{bad}");
        }
        assert!(r.check_origin(None).is_ok());
    }

    #[test]
    fn refusals_name_the_host_and_the_flag() {
        let r = rule("127.0.0.1", &[]);
        let e = r
            .check_host([b"Evil.Example:1111".as_slice()].into_iter(), None)
            .expect_err("refused");
        assert_eq!(e.name.as_deref(), Some("evil.example"));
        let m = e.message();
        assert!(m.contains("Host `Evil.Example:1111`"), "{m}");
        assert!(m.contains("--allowed-host evil.example"), "{m}");
        assert!(r.check_host(std::iter::empty(), None).is_err());
        let two = [b"localhost".as_slice(), b"localhost".as_slice()];
        assert!(r.check_host(two.into_iter(), None).is_err());
        let ok = [b"localhost:1".as_slice()];
        assert!(r.check_host(ok.into_iter(), None).is_ok());
        assert!(r.check_host(ok.into_iter(), Some("evil.example")).is_err());
        let weird = [b"\xff\x00evil".as_slice()];
        let e = r.check_host(weird.into_iter(), None).expect_err("refused");
        assert_eq!(e.name, None);
        let long = "a".repeat(500);
        let e = r
            .check_origin(Some(format!("http://{long}").as_bytes()))
            .expect_err("refused");
        assert!(e.message().len() < 400, "{}", e.message());
    }

    #[test]
    fn allowed_host_values_are_checked() {
        assert_eq!(
            parse_allowed_host("Docs.Example").as_deref(),
            Ok("docs.example")
        );
        assert_eq!(parse_allowed_host("::1").as_deref(), Ok("[::1]"));
        assert_eq!(parse_allowed_host("[::1]").as_deref(), Ok("[::1]"));
        assert_eq!(parse_allowed_host("10.1.2.3").as_deref(), Ok("10.1.2.3"));
        for bad in [
            "http://docs.example",
            "docs.example:8080",
            "",
            "a b",
            "[::1]:80",
            "x/y",
        ] {
            let e = parse_allowed_host(bad).expect_err(bad);
            assert!(e.contains("without scheme or port"), "{e}");
        }
    }
}

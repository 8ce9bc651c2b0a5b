//! `mentorbook serve`: the dev server run as a child process on loopback.
//!
//! - `http`: MIME types, 404, traversal and links out of the site, concurrency;
//! - `sync`: after each kind of change, the served site equals a clean `build`;
//! - `incremental`: the build session's partial rebuilds equal complete builds;
//! - `live`: live reload and the error overlay in a real headless Chromium;
//! - `hosts`: only the server's own `Host` and `Origin` names are answered;
//! - `limits`: idle connections, timeouts and the connection cap.
//!
//! Every server is started with `--port 0` on 127.0.0.1 and the port it got is
//! read back from what it prints (no free port is picked and released first,
//! which another process could take in between); it is waited for with a
//! bounded loop and killed through its `Child` handle when its guard is dropped.

mod hosts;
mod http;
mod incremental;
mod limits;
mod live;
mod sync;

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::browser;
use crate::support::*;

/// Marks what the server adds to HTML pages (see `src/serve/reload.rs`).
const BEGIN: &str = "<!--mentorbook-serve-->";
const END: &str = "<!--/mentorbook-serve-->";

/// A running `mentorbook serve`, killed on drop.
pub struct Server {
    child: Child,
    port: u16,
    log: PathBuf,
    _logdir: tempfile::TempDir,
    agent: ureq::Agent,
}

/// An HTTP answer.
pub struct Resp {
    pub status: u16,
    pub content_type: String,
    pub cache_control: String,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

impl Server {
    /// Starts `mentorbook serve` in `site` and waits (at most 60 s) until it
    /// answers. Every partial rebuild is checked against a complete one.
    pub fn start(site: &Site, extra: &[&str]) -> Self {
        Self::start_with(site, extra, true)
    }

    /// Same, choosing whether partial rebuilds are verified (a verification
    /// competes for the CPU, which skews latency measurements).
    pub fn start_with(site: &Site, extra: &[&str], verify: bool) -> Self {
        Self::start_env(site, extra, verify, &[])
    }

    /// Same, with extra environment variables for the server.
    pub fn start_env(site: &Site, extra: &[&str], verify: bool, env: &[(&str, &str)]) -> Self {
        let logdir = tempfile::tempdir().expect("log dir");
        let log = logdir.path().join("serve.log");
        let out = std::fs::File::create(&log).expect("log file");
        let err = out.try_clone().expect("log file");
        let child = Command::new(env!("CARGO_BIN_EXE_mentorbook"))
            .args(["serve", "--port", "0", "--bind", "127.0.0.1"])
            .args(extra)
            .current_dir(site.path())
            .env("NO_COLOR", "1")
            .env("MENTORBOOK_SERVE_VERIFY", if verify { "1" } else { "0" })
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .spawn()
            .expect("start mentorbook serve");
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(Duration::from_secs(20)))
            .http_status_as_error(false)
            .max_redirects(0)
            .build()
            .into();
        let mut server = Self {
            child,
            port: 0,
            log,
            _logdir: logdir,
            agent,
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        // The first build runs before the server says where it listens.
        while server.port == 0 {
            if let Ok(Some(status)) = server.child.try_wait() {
                panic!("serve exited with {status}:\n{}", server.log());
            }
            match served_port(&server.log()) {
                Some(port) => server.port = port,
                None => {
                    assert!(
                        Instant::now() < deadline,
                        "serve printed no address in 60 s:\n{}",
                        server.log()
                    );
                    std::thread::sleep(Duration::from_millis(20));
                }
            }
        }
        loop {
            if let Ok(Some(status)) = server.child.try_wait() {
                panic!("serve exited with {status}:\n{}", server.log());
            }
            if server
                .agent
                .get(server.url("/__mentorbook/status"))
                .call()
                .is_ok_and(|r| r.status() == 200)
            {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "serve not ready in 60 s:\n{}",
                server.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        server
    }

    /// The port the server listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// What the server printed so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Whether the server process is still running.
    pub fn alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    pub fn get(&self, path: &str) -> Resp {
        let mut r = self
            .agent
            .get(self.url(path))
            .call()
            .unwrap_or_else(|e| panic!("GET {path}: {e}\n{}", self.log()));
        let header = |name: &str| {
            r.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_string()
        };
        let content_type = header("content-type");
        let cache_control = header("cache-control");
        let status = r.status().as_u16();
        let body = r
            .body_mut()
            .with_config()
            .limit(64 * 1024 * 1024)
            .read_to_vec()
            .unwrap_or_else(|e| panic!("GET {path}: body: {e}"));
        Resp {
            status,
            content_type,
            cache_control,
            body,
        }
    }

    /// A request sent as raw bytes, so the path reaches the server unnormalised.
    pub fn raw_get(&self, target: &str) -> (u16, String) {
        self.raw_with(target, &[("Host", "127.0.0.1")])
    }

    /// A request sent as raw bytes with exactly the `headers` given (plus
    /// `Connection: close`). An event stream is read up to its first message.
    pub fn raw_with(&self, target: &str, headers: &[(&str, &str)]) -> (u16, String) {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        s.set_read_timeout(Some(Duration::from_secs(10)))
            .expect("timeout");
        let mut head = format!("GET {target} HTTP/1.1\r\n");
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("Connection: close\r\n\r\n");
        s.write_all(head.as_bytes()).expect("send");
        let mut buf = Vec::new();
        let mut chunk = [0u8; 16 * 1024];
        // Bounded: at most 64 reads, each waiting at most 10 s.
        for _ in 0..64 {
            match s.read(&mut chunk) {
                Ok(0) | Err(_) => break,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
            let text = String::from_utf8_lossy(&buf);
            let stream = text
                .to_ascii_lowercase()
                .contains("content-type: text/event-stream");
            if stream
                && text
                    .split_once("\r\n\r\n")
                    .is_some_and(|(_, b)| b.contains("data:"))
            {
                break;
            }
        }
        let text = String::from_utf8_lossy(&buf).into_owned();
        let code = text
            .split_whitespace()
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        (code, text)
    }

    pub fn status(&self) -> Value {
        serde_json::from_slice(&self.get("/__mentorbook/status").body).expect("status JSON")
    }

    pub fn version(&self) -> u64 {
        self.status()["version"].as_u64().expect("version")
    }

    /// Waits (at most 20 s) for a build after version `after`, then until no
    /// other build follows for 400 ms; returns the status then.
    pub fn wait_rebuilt(&self, after: u64) -> Value {
        let deadline = Instant::now() + Duration::from_secs(20);
        let mut last = self.status();
        while last["version"].as_u64() <= Some(after) {
            assert!(
                Instant::now() < deadline,
                "no rebuild within 20 s:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(20));
            last = self.status();
        }
        let mut quiet_since = Instant::now();
        while quiet_since.elapsed() < Duration::from_millis(400) {
            assert!(Instant::now() < deadline, "builds never settle");
            std::thread::sleep(Duration::from_millis(50));
            let now = self.status();
            if now["version"] != last["version"] {
                quiet_since = Instant::now();
                last = now;
            }
        }
        last
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let log = self.log();
        if !std::thread::panicking() {
            assert!(!log.contains("internal error"), "serve reported:\n{log}");
        }
    }
}

/// The port in the `Serving http://127.0.0.1:PORT/` line the server prints.
fn served_port(log: &str) -> Option<u16> {
    let rest = log.split("Serving http://127.0.0.1:").nth(1)?;
    rest.split('/').next()?.parse().ok()
}

/// Removes what the server injected into a page.
pub fn strip_injected(html: &str) -> String {
    match (html.find(BEGIN), html.find(END)) {
        (Some(a), Some(b)) if b >= a => format!("{}{}", &html[..a], &html[b + END.len()..]),
        _ => html.to_string(),
    }
}

/// Percent-encodes an output path for a URL, segment by segment.
pub fn url_path(rel: &str) -> String {
    let mut out = String::new();
    for seg in rel.split('/') {
        out.push('/');
        for b in seg.bytes() {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                out.push(b as char);
            } else {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

/// Asserts that the server serves exactly what a clean `build` of `site` writes:
/// the same files, byte for byte once the injected script is removed.
pub fn assert_matches_build(site: &Site, server: &Server, step: &str) {
    let out = tempfile::tempdir().expect("out dir");
    let out_arg = out.path().to_string_lossy().into_owned();
    site.run(&["build", "--out", &out_arg]).success();
    let built: BTreeMap<String, Vec<u8>> = tree(out.path());
    let status = server.status();
    assert_eq!(
        status["ok"], true,
        "{step}: the server has errors: {}",
        status["errors"]
    );
    let served: Vec<String> = status["files"]
        .as_array()
        .expect("files")
        .iter()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect();
    let built_names: Vec<String> = built.keys().cloned().collect();
    assert_eq!(served, built_names, "{step}: not the same files");
    for (rel, bytes) in &built {
        let r = server.get(&url_path(rel));
        assert_eq!(r.status, 200, "{step}: GET {rel}");
        if rel.ends_with(".html") {
            let html = r.text();
            assert!(html.contains(BEGIN), "{step}: {rel}: no reload script");
            assert_eq!(
                strip_injected(&html),
                String::from_utf8_lossy(bytes),
                "{step}: {rel} differs from the built file"
            );
        } else {
            assert!(
                &r.body == bytes,
                "{step}: {rel} differs from the built file"
            );
        }
    }
}

//! A tiny static file server for browser tests: serves one folder on
//! 127.0.0.1, one request per connection, GET only, nothing outside the folder.
//! Stopped (and its thread joined) when dropped. Like a web host, it can mount
//! the folder under a sub-path and answer missing paths with the site's
//! `404.html` (the one of the path's first folder, a language's, when it has one).

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// A running server; `url()` is its base URL.
pub struct StaticServer {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
    log: Arc<Mutex<Vec<String>>>,
}

impl StaticServer {
    /// Serves `dir` on a free loopback port.
    pub fn start(dir: &Path) -> Self {
        Self::start_site(dir, "", false)
    }

    /// Serves `dir` under `/mount/` (`mount` without slashes, empty for the root);
    /// with `pages_404`, a missing path gets status 404 and the site's 404 page.
    pub fn start_site(dir: &Path, mount: &str, pages_404: bool) -> Self {
        let mount = if mount.is_empty() {
            "/".to_string()
        } else {
            format!("/{mount}/")
        };
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
        let addr = listener.local_addr().expect("local address");
        let stop = Arc::new(AtomicBool::new(false));
        let dir = dir.to_path_buf();
        let flag = Arc::clone(&stop);
        let log = Arc::new(Mutex::new(Vec::new()));
        let requests = Arc::clone(&log);
        let thread = std::thread::spawn(move || {
            for stream in listener.incoming() {
                if flag.load(Ordering::SeqCst) {
                    break;
                }
                if let Ok(s) = stream {
                    let _ = serve(&dir, &mount, pages_404, s, &requests);
                }
            }
        });
        Self {
            addr,
            stop,
            thread: Some(thread),
            log,
        }
    }

    /// Every path requested so far, in order.
    pub fn requests(&self) -> Vec<String> {
        self.log.lock().map(|l| l.clone()).unwrap_or_default()
    }

    /// `http://127.0.0.1:PORT/`.
    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the blocking accept so the thread sees the flag.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(2));
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn serve(
    dir: &Path,
    mount: &str,
    pages_404: bool,
    mut stream: TcpStream,
    log: &Mutex<Vec<String>>,
) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    stream.set_write_timeout(Some(Duration::from_secs(5)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request = String::new();
    reader.read_line(&mut request)?;
    // Skip the headers (bounded).
    for _ in 0..100 {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || line == "\r\n" || line == "\n" {
            break;
        }
    }
    let mut parts = request.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or("/"));
    let path = target.split(['?', '#']).next().unwrap_or("/");
    if let Ok(mut l) = log.lock() {
        l.push(path.to_string());
    }
    let inside = path
        .strip_prefix(mount)
        .or_else(|| (path == mount.trim_end_matches('/')).then_some(""));
    let file = inside.and_then(|p| resolve(dir, &crate::support::percent_decode(&format!("/{p}"))));
    let missing = || {
        let first = inside
            .and_then(|p| p.split_once('/'))
            .map(|(f, _)| f)
            .unwrap_or("");
        [format!("{first}/404.html"), "404.html".to_string()]
            .into_iter()
            .filter(|_| pages_404)
            .find_map(|p| std::fs::read(dir.join(p.trim_start_matches('/'))).ok())
            .map_or_else(
                || (b"not found".to_vec(), "text/plain"),
                |b| (b, "text/html; charset=utf-8"),
            )
    };
    let (status, body, kind) = match (
        method,
        file.and_then(|f| std::fs::read(&f).ok().map(|b| (f, b))),
    ) {
        ("GET", Some((f, body))) => ("200 OK", body, content_type(&f)),
        ("GET", None) => {
            let (body, kind) = missing();
            ("404 Not Found", body, kind)
        }
        _ => ("405 Method Not Allowed", Vec::new(), "text/plain"),
    };
    write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    stream.write_all(&body)?;
    stream.flush()
}

fn resolve(dir: &Path, path: &str) -> Option<PathBuf> {
    let rel = Path::new(path.trim_start_matches('/'));
    if rel.components().any(|c| !matches!(c, Component::Normal(_))) {
        return None;
    }
    let full = dir.join(rel);
    if full.is_dir() {
        Some(full.join("index.html"))
    } else {
        Some(full)
    }
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "json" => "application/json",
        "xml" => "application/xml",
        _ => "application/octet-stream",
    }
}

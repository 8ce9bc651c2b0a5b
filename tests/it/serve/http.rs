//! The HTTP side of `serve`: content types, 404, redirects, what must never be
//! reachable, concurrency, and what `build` must never contain.

use std::sync::{Arc, Barrier};
use std::time::Duration;

use super::*;

#[test]
fn serves_pages_with_types_404_and_no_store() {
    let site = Site::fixture("serve/basic");
    let server = Server::start(&site, &[]);

    let home = server.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(home.content_type, "text/html; charset=utf-8");
    assert_eq!(home.cache_control, "no-store");
    assert!(home.text().contains("Bienvenue"));
    assert_eq!(server.get("/index.html").text(), home.text());
    assert_eq!(server.get("/guide/").status, 200);

    let css = server.get("/assets/style.css");
    assert_eq!(css.content_type, "text/css; charset=utf-8");
    assert!(!css.text().contains(BEGIN), "only HTML gets the script");
    let js = server.get("/assets/mentorbook.js");
    assert_eq!(js.content_type, "text/javascript; charset=utf-8");

    // A folder without its slash: redirected relatively (works under a sub-path).
    let (code, raw) = server.raw_get("/guide");
    assert_eq!(code, 301, "{raw}");
    assert!(
        raw.to_ascii_lowercase().contains("location: guide/"),
        "{raw}"
    );

    let missing = server.get("/guide/nulle-part.html");
    assert_eq!(missing.status, 404);
    assert_eq!(missing.content_type, "text/html; charset=utf-8");
    let doc = scraper::Html::parse_document(&missing.text());
    assert!(
        !select(&doc, "main").is_empty(),
        "the site's 404 page is served"
    );
    // The reload script is relative to the requested URL's depth.
    let script = select(&doc, "script[data-version]");
    assert_eq!(
        script[0].value().attr("src"),
        Some("../__mentorbook/reload.js")
    );
    let reload = server.get("/__mentorbook/reload.js");
    assert_eq!(reload.status, 200);
    assert!(reload.text().contains("EventSource"));

    let (code, _) = server.raw_get("/index.html?x=1");
    assert_eq!(code, 200, "query strings are ignored");
}

#[test]
fn the_programme_calendar_and_office_files_are_served_with_their_types() {
    let site = Site::fixture("serve/basic");
    site.write(
        "mentorbook.yaml",
        &(std::fs::read_to_string(site.path().join("mentorbook.yaml")).expect("config")
            + "programme:\n  sessions: 2\n  start: 2027-01-11\n"),
    );
    site.write_bytes("content/plan.docx", b"PK\x03\x04");
    let server = Server::start(&site, &[]);
    let ics = server.get("/programme.ics");
    assert_eq!(ics.status, 200);
    assert_eq!(ics.content_type, "text/calendar; charset=utf-8");
    assert!(ics.text().starts_with("BEGIN:VCALENDAR"));
    let docx = server.get("/plan.docx");
    assert_eq!(
        docx.content_type,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    );
}

#[test]
fn nothing_outside_the_site_is_reachable() {
    let outside = tempfile::tempdir().expect("outside dir");
    std::fs::write(outside.path().join("secret.txt"), "TOP-SECRET-42").expect("write");
    std::fs::create_dir_all(outside.path().join("dir")).expect("mkdir");
    std::fs::write(outside.path().join("dir/inner.txt"), "TOP-SECRET-42").expect("write");
    let site = Site::fixture("serve/basic");
    site.write("Cargo.toml", "TOP-SECRET-42");
    site.write("content/01-guide/inside.txt", "fine");
    #[cfg(unix)]
    {
        use std::os::unix::fs::symlink;
        symlink(
            outside.path().join("secret.txt"),
            site.path().join("content/01-guide/link.txt"),
        )
        .expect("symlink");
        symlink(
            outside.path().join("dir"),
            site.path().join("content/01-guide/linked-dir"),
        )
        .expect("symlink");
    }
    let server = Server::start(&site, &[]);
    for target in [
        "/../Cargo.toml",
        "/%2e%2e/Cargo.toml",
        "/%2E%2E/Cargo.toml",
        "/%2e%2e%2fCargo.toml",
        "/guide/../../Cargo.toml",
        "/guide/%2e%2e%2f%2e%2e%2fCargo.toml",
        "/..%5cCargo.toml",
        "/Cargo.toml",
        "/mentorbook.yaml",
        "/content/01-guide/01-premiere.md",
        "/guide/link.txt",
        "/guide/linked-dir/inner.txt",
        "/%00",
    ] {
        let (code, text) = server.raw_get(target);
        assert_eq!(code, 404, "{target}:\n{text}");
        assert!(!text.contains("TOP-SECRET-42"), "{target} leaked:\n{text}");
    }
    assert_eq!(server.get("/guide/inside.txt").text(), "fine");
    #[cfg(unix)]
    assert!(
        server
            .log()
            .contains("`guide/link.txt` is a link to a file outside"),
        "the refusal is explained:\n{}",
        server.log()
    );
}

#[test]
fn five_hundred_concurrent_requests_all_succeed() {
    let site = Site::fixture("serve/basic");
    let server = Server::start(&site, &[]);
    let n = 500;
    let barrier = Arc::new(Barrier::new(n));
    let paths = [
        "/",
        "/guide/premiere.html",
        "/assets/style.css",
        "/annexes/outils/grille.html",
    ];
    let handles: Vec<_> = (0..n)
        .map(|i| {
            let barrier = barrier.clone();
            let url = server.url(paths[i % paths.len()]);
            std::thread::Builder::new()
                .stack_size(256 * 1024)
                .spawn(move || {
                    let agent: ureq::Agent = ureq::Agent::config_builder()
                        .timeout_global(Some(Duration::from_secs(30)))
                        .http_status_as_error(false)
                        .build()
                        .into();
                    barrier.wait();
                    match agent.get(&url).call() {
                        Ok(mut r) => {
                            let ok = r.status() == 200;
                            ok && r.body_mut().read_to_vec().is_ok_and(|b| !b.is_empty())
                        }
                        Err(_) => false,
                    }
                })
                .expect("spawn")
        })
        .collect();
    let ok = handles
        .into_iter()
        .map(|h| h.join().unwrap_or(false))
        .filter(|&ok| ok)
        .count();
    assert_eq!(ok, n, "{} of {n} requests failed", n - ok);
}

#[test]
fn build_output_never_contains_the_reload_script() {
    let site = Site::sample();
    site.build();
    for (rel, bytes) in tree(&site.public()) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("__mentorbook") && !text.contains("mentorbook-serve"),
            "{rel} contains serve-only code"
        );
    }
}

#[test]
fn a_taken_port_is_a_clear_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().expect("addr").port().to_string();
    let site = Site::fixture("serve/basic");
    let mut child = Command::new(env!("CARGO_BIN_EXE_mentorbook"))
        .args(["serve", "--port", &port])
        .current_dir(site.path())
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start");
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Ok(Some(s)) = child.try_wait() {
            break s;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("serve kept running on a taken port");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut err = String::new();
    if let Some(mut e) = child.stderr.take() {
        let _ = e.read_to_string(&mut err);
    }
    assert_eq!(status.code(), Some(2), "{err}");
    assert!(
        err.contains(&format!("cannot listen on 127.0.0.1:{port}")),
        "{err}"
    );
    assert!(err.contains("--port"), "{err}");
}

#[test]
fn requests_during_rebuilds_never_get_a_half_written_page() {
    let site = Site::fixture("serve/basic");
    let server = Server::start(&site, &[]);
    let page = server.url("/guide/premiere.html");
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let readers: Vec<_> = (0..8)
        .map(|_| {
            let url = page.clone();
            let stop = stop.clone();
            std::thread::spawn(move || {
                let agent: ureq::Agent = ureq::Agent::config_builder()
                    .timeout_global(Some(Duration::from_secs(30)))
                    .http_status_as_error(false)
                    .build()
                    .into();
                let mut seen = 0;
                // Bounded: at most 2,000 requests per reader.
                while !stop.load(std::sync::atomic::Ordering::Relaxed) && seen < 2000 {
                    let mut r = agent.get(&url).call().expect("request");
                    assert_eq!(r.status(), 200);
                    let body = r.body_mut().read_to_string().expect("body");
                    assert!(
                        body.trim_end().ends_with("</html>"),
                        "a truncated page was served"
                    );
                    for (i, _) in body.match_indices("MARK-") {
                        assert!(
                            body[i..].starts_with("MARK-") && body[i..].contains("-END"),
                            "a half-written edit was served"
                        );
                    }
                    seen += 1;
                }
                seen
            })
        })
        .collect();
    let src = site.path().join("content/01-guide/01-premiere.md");
    let original = std::fs::read_to_string(&src).expect("read");
    // Spaced so each rebuild (and the test-only verification that follows it) is
    // over before the next edit; the readers hammer the server all along.
    for i in 0..12 {
        std::fs::write(
            &src,
            format!("{original}\n\nMARK-{i}-{}-END\n", "x".repeat(2000)),
        )
        .expect("write");
        std::thread::sleep(Duration::from_millis(200));
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let total: usize = readers.into_iter().map(|h| h.join().expect("reader")).sum();
    assert!(
        total > 50,
        "only {total} requests were made during the rebuilds"
    );
}

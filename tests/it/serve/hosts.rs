//! Only the server's own names are answered: a page visited in the browser
//! cannot read the handbook through DNS rebinding (its own domain pointed at
//! 127.0.0.1), nor the event stream and status document from another origin.

use super::*;

/// The paths that must be refused for a foreign `Host`.
const PATHS: [&str; 3] = ["/", "/__mentorbook/status", "/__mentorbook/events"];
/// The paths that must be refused for a foreign `Origin`.
const GUARDED: [&str; 2] = ["/__mentorbook/status", "/__mentorbook/events"];

fn assert_refused(server: &Server, path: &str, headers: &[(&str, &str)], names: &str) {
    let (code, text) = server.raw_with(path, headers);
    assert_eq!(code, 403, "{path} {headers:?}:\n{text}");
    assert!(
        text.to_ascii_lowercase()
            .contains("content-type: text/plain"),
        "{text}"
    );
    assert!(text.contains(names), "the reason names it: {text}");
    assert!(text.contains("DNS rebinding"), "{text}");
    assert!(!text.contains("Bienvenue"), "no content leaks: {text}");
    assert!(!text.contains("\"files\""), "no status leaks: {text}");
}

fn assert_answered(server: &Server, path: &str, headers: &[(&str, &str)]) {
    let (code, text) = server.raw_with(path, headers);
    assert_eq!(code, 200, "{path} {headers:?}:\n{text}");
    if path == "/__mentorbook/events" {
        assert!(text.contains("data:"), "the stream starts: {text}");
    }
}

#[test]
fn a_foreign_host_is_refused_everywhere() {
    let site = Site::fixture("serve/basic");
    let server = Server::start(&site, &[]);
    let port = server.port();
    for path in PATHS {
        for host in [
            "evil.example".to_string(),
            format!("evil.example:{port}"),
            format!("127.0.0.1.evil.example:{port}"),
            "EVIL.example".to_string(),
        ] {
            assert_refused(&server, path, &[("Host", &host)], &host);
        }
        // An absolute request target naming another host is refused too.
        let absolute = format!("http://evil.example{path}");
        let (code, text) = server.raw_with(&absolute, &[("Host", "127.0.0.1")]);
        assert_eq!(code, 403, "{absolute}:\n{text}");
    }
    let (code, text) = server.raw_with("/", &[]);
    assert!((400..500).contains(&code), "no Host header: {code}\n{text}");
    let (code, _) = server.raw_with("/", &[("Host", "localhost"), ("Host", "evil.example")]);
    assert_eq!(code, 403, "two Host headers");
    let log = server.log();
    assert_eq!(
        log.matches("refused a request").count(),
        1,
        "one terminal line, not one per request:\n{log}"
    );
    assert!(log.contains("--allowed-host evil.example"), "{log}");
}

#[test]
fn a_foreign_origin_is_refused_on_the_stream_and_status() {
    let site = Site::fixture("serve/basic");
    let server = Server::start(&site, &[]);
    for path in GUARDED {
        for origin in ["http://evil.example", "https://evil.example:443", "null"] {
            assert_refused(
                &server,
                path,
                &[("Host", "127.0.0.1"), ("Origin", origin)],
                origin,
            );
        }
    }
}

#[test]
fn loopback_names_are_answered_with_any_port() {
    let site = Site::fixture("serve/basic");
    let server = Server::start(&site, &[]);
    let port = server.port();
    for path in PATHS {
        for host in [
            format!("127.0.0.1:{port}"),
            format!("localhost:{port}"),
            format!("LocalHost:{port}"),
            format!("[::1]:{port}"),
            "localhost".to_string(),
            "127.0.0.1:8080".to_string(),
        ] {
            assert_answered(&server, path, &[("Host", &host)]);
        }
    }
    for path in GUARDED {
        for origin in [
            format!("http://127.0.0.1:{port}"),
            format!("http://localhost:{port}"),
            format!("http://[::1]:{port}"),
        ] {
            assert_answered(
                &server,
                path,
                &[("Host", &format!("127.0.0.1:{port}")), ("Origin", &origin)],
            );
        }
    }
    assert!(!server.log().contains("refused"), "{}", server.log());
}

#[test]
fn allowed_host_names_are_answered() {
    let site = Site::fixture("serve/basic");
    let server = Server::start(
        &site,
        &[
            "--allowed-host",
            "handbook.test",
            "--allowed-host",
            "Docs.Internal",
        ],
    );
    let port = server.port();
    for path in PATHS {
        for host in [format!("handbook.test:{port}"), "docs.internal".to_string()] {
            assert_answered(&server, path, &[("Host", &host)]);
        }
    }
    for path in GUARDED {
        assert_answered(
            &server,
            path,
            &[
                ("Host", "handbook.test"),
                ("Origin", "http://handbook.test"),
            ],
        );
        assert_answered(
            &server,
            path,
            &[
                ("Host", "handbook.test"),
                ("Origin", "http://docs.internal:8443"),
            ],
        );
        assert_refused(
            &server,
            path,
            &[("Host", "handbook.test"), ("Origin", "http://evil.example")],
            "evil.example",
        );
    }
    assert_refused(&server, "/", &[("Host", "other.test")], "other.test");
}

#[test]
fn an_allowed_host_with_a_scheme_or_port_is_a_usage_error() {
    let site = Site::fixture("serve/basic");
    for bad in ["http://handbook.test", "handbook.test:8080"] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_mentorbook"))
            .args(["serve", "--port", "0", "--allowed-host", bad])
            .current_dir(site.path())
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start");
        // Bounded: a server that started anyway is killed after 30 s.
        let deadline = Instant::now() + Duration::from_secs(30);
        let status = loop {
            if let Ok(Some(s)) = child.try_wait() {
                break s;
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                panic!("serve started with `--allowed-host {bad}`");
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let mut err = String::new();
        if let Some(mut e) = child.stderr.take() {
            let _ = e.read_to_string(&mut err);
        }
        assert_eq!(status.code(), Some(2), "{err}");
        assert!(err.contains("without scheme or port"), "{err}");
    }
}

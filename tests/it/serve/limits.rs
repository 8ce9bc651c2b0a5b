//! Connections cannot wear the server down: idle connections never keep a
//! client out, slow or idle ones are cut, live-reload streams live on and are
//! capped. Every connection goes to 127.0.0.1, every loop is bounded in count
//! and time, and every socket opened is closed when its test ends.

use std::net::{Shutdown, SocketAddr};

use super::*;

/// As many idle connections as in the report that found the problem.
const IDLE: usize = 1_100;
/// The server's cap on event streams: half of its 1,024 connections.
const MAX_STREAMS: usize = 512;

/// Makes sure this process may open `n` files (the server inherits the limit).
#[cfg(unix)]
fn ensure_fd_limit(n: u64) {
    use rustix::process::{Resource, Rlimit, getrlimit, setrlimit};
    let limit = getrlimit(Resource::Nofile);
    if limit.current.is_none_or(|c| c >= n) {
        return;
    }
    assert!(
        limit.maximum.is_none_or(|m| m >= n),
        "this test needs {n} open files; the hard limit is {:?} (raise it with `ulimit -Hn`)",
        limit.maximum
    );
    let raised = Rlimit {
        current: Some(n),
        maximum: limit.maximum,
    };
    setrlimit(Resource::Nofile, raised).expect("raise the open-file limit");
}

fn connect(server: &Server) -> TcpStream {
    let addr = SocketAddr::from(([127, 0, 0, 1], server.port()));
    TcpStream::connect_timeout(&addr, Duration::from_secs(5)).expect("connect to 127.0.0.1")
}

/// Whether the server closed `s` within `wait` (it answered EOF or reset);
/// anything it sends first (such as a 408) is read and dropped.
fn closed_within(s: &mut TcpStream, wait: Duration) -> bool {
    let deadline = Instant::now() + wait;
    let mut buf = [0u8; 4096];
    // Bounded by the deadline: each read waits at most until it.
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        s.set_read_timeout(Some(left.max(Duration::from_millis(1))))
            .expect("timeout");
        match s.read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => continue,
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                return false;
            }
            Err(_) => return true,
        }
    }
    false
}

/// Sends a GET for `path` on `s` and reads one response: (status, headers and body).
fn request(s: &mut TcpStream, path: &str, keep_alive: bool) -> (u16, String) {
    let connection = if keep_alive { "keep-alive" } else { "close" };
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: {connection}\r\n\r\n"
    )
    .expect("send");
    s.set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    let mut buf = Vec::new();
    let mut chunk = [0u8; 16 * 1024];
    // Bounded: at most 256 reads of 10 s each.
    for _ in 0..256 {
        let text = String::from_utf8_lossy(&buf).into_owned();
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let length = head
                .lines()
                .find_map(|l| {
                    l.to_ascii_lowercase()
                        .strip_prefix("content-length: ")
                        .map(str::to_string)
                })
                .and_then(|n| n.trim().parse::<usize>().ok());
            let is_stream = head.to_ascii_lowercase().contains("text/event-stream");
            if length.is_some_and(|n| body.len() >= n) || (is_stream && body.contains("data:")) {
                break;
            }
        }
        match s.read(&mut chunk) {
            Ok(0) | Err(_) => break,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
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

#[test]
fn idle_connections_do_not_keep_a_new_client_out() {
    #[cfg(unix)]
    ensure_fd_limit(2_000);
    let site = Site::fixture("serve/basic");
    let server = Server::start(&site, &[]);
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut idle = Vec::with_capacity(IDLE);
    for i in 0..IDLE {
        assert!(
            Instant::now() < deadline,
            "opening {IDLE} connections took over 60 s ({i} open)"
        );
        idle.push(connect(&server));
    }
    // The server has taken them all in once it reports its cap.
    let seen = Instant::now() + Duration::from_secs(20);
    while !server.log().contains("connections are open, the limit") {
        assert!(Instant::now() < seen, "no cap reached:\n{}", server.log());
        std::thread::sleep(Duration::from_millis(20));
    }

    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(1)))
        .http_status_as_error(false)
        .build()
        .into();
    for path in ["/", "/guide/premiere.html"] {
        let start = Instant::now();
        let mut r = agent
            .get(server.url(path))
            .call()
            .unwrap_or_else(|e| panic!("GET {path} with {IDLE} idle connections: {e}"));
        let body = r.body_mut().read_to_string().expect("body");
        let took = start.elapsed();
        assert_eq!(r.status(), 200, "{path}");
        assert!(body.contains("</html>"), "{path}: a whole page");
        assert!(took < Duration::from_secs(1), "{path} took {took:?}");
    }

    // Room was made by closing the oldest idle connections, not the newest.
    assert!(
        closed_within(&mut idle[0], Duration::from_secs(2)),
        "the oldest idle connection is closed"
    );
    assert!(
        !closed_within(&mut idle[IDLE - 1], Duration::from_millis(200)),
        "the newest idle connection is kept"
    );
    let log = server.log();
    assert_eq!(
        log.matches("connections are open, the limit").count(),
        1,
        "one line when the cap is reached, not one per connection:\n{log}"
    );
    for s in &idle {
        let _ = s.shutdown(Shutdown::Both);
    }
}

#[test]
fn slow_and_idle_connections_are_cut_but_event_streams_live_on() {
    let site = Site::fixture("serve/basic");
    let server = Server::start(&site, &[]);
    let start = Instant::now();
    // Headers that never end.
    let mut slow = connect(&server);
    write!(slow, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: 1\r\n").expect("send");
    // A connection that sends nothing at all.
    let mut silent = connect(&server);
    // A kept-alive connection, idle after its first response.
    let mut kept = connect(&server);
    let (code, text) = request(&mut kept, "/", true);
    assert_eq!(code, 200, "{text}");
    // A live-reload stream.
    let mut stream = connect(&server);
    let (code, text) = request(&mut stream, "/__mentorbook/events", true);
    assert_eq!(code, 200, "{text}");

    let wait = Duration::from_secs(20);
    assert!(closed_within(&mut slow, wait), "slow headers are cut");
    assert!(
        closed_within(&mut silent, wait),
        "a silent connection is cut"
    );
    assert!(
        closed_within(&mut kept, wait),
        "an idle keep-alive connection is cut"
    );
    let took = start.elapsed();
    assert!(
        took >= Duration::from_secs(8) && took < Duration::from_secs(18),
        "cut after {took:?} (the header-read timeout is 10 s)"
    );

    // The stream outlived the 10 s header timeout and still gets keep-alives.
    let mut buf = [0u8; 1024];
    stream
        .set_read_timeout(Some(Duration::from_secs(15)))
        .expect("timeout");
    let n = stream
        .read(&mut buf)
        .expect("the event stream is still open");
    assert!(n > 0, "the event stream was closed");
}

#[test]
fn event_streams_are_capped_and_pages_are_still_served() {
    #[cfg(unix)]
    ensure_fd_limit(2_000);
    let site = Site::fixture("serve/basic");
    let server = Server::start(&site, &[]);
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut streams = Vec::with_capacity(MAX_STREAMS);
    for i in 0..MAX_STREAMS {
        assert!(Instant::now() < deadline, "opening streams took over 60 s");
        let mut s = connect(&server);
        let (code, text) = request(&mut s, "/__mentorbook/events", true);
        assert_eq!(code, 200, "stream {i}:\n{text}");
        streams.push(s);
    }
    let (code, text) = server.raw_get("/__mentorbook/events");
    assert_eq!(code, 503, "one stream too many:\n{text}");
    assert_eq!(server.get("/").status, 200, "pages are still served");
    assert!(
        server
            .log()
            .contains(&format!("{MAX_STREAMS} live-reload streams are open")),
        "{}",
        server.log()
    );

    // A closed stream frees its slot (noticed at the latest at its next
    // keep-alive, every 10 s).
    if let Some(s) = streams.pop() {
        let _ = s.shutdown(Shutdown::Both);
    }
    let until = Instant::now() + Duration::from_secs(25);
    loop {
        let (code, _) = server.raw_get("/__mentorbook/events");
        if code == 200 {
            break;
        }
        assert!(Instant::now() < until, "the slot was never freed: {code}");
        std::thread::sleep(Duration::from_millis(200));
    }
    for s in &streams {
        let _ = s.shutdown(Shutdown::Both);
    }
}

//! A minimal, synchronous Chrome DevTools Protocol client: one WebSocket to one
//! target (the browser or a tab) on 127.0.0.1, commands answered in order, events
//! kept until asked for.
//!
//! Every read waits at most until the caller's deadline; nothing here loops
//! without a bound in time, and the buffered events are capped in number.

use std::collections::VecDeque;
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tungstenite::{Message, WebSocket};

use super::PdfError;

/// Events kept while waiting for answers; older ones are dropped past this.
const MAX_BUFFERED_EVENTS: usize = 512;
/// Largest message accepted from Chromium (PDF chunks are far smaller).
const MAX_MESSAGE: usize = 64 << 20;

/// A DevTools WebSocket to one target.
pub(crate) struct Socket {
    ws: WebSocket<TcpStream>,
    next_id: u64,
    events: VecDeque<Value>,
}

impl Socket {
    /// Connects to `ws://127.0.0.1:{port}{path}`, within `deadline`.
    pub(crate) fn connect(port: u16, path: &str, deadline: Instant) -> Result<Self, PdfError> {
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        let left = remaining(deadline).ok_or_else(|| timeout("connecting"))?;
        let stream = TcpStream::connect_timeout(&addr, left).map_err(|e| {
            PdfError::Protocol(format!("cannot connect to Chromium on {addr}: {e}"))
        })?;
        stream
            .set_read_timeout(Some(left))
            .and_then(|()| stream.set_write_timeout(Some(left)))
            .and_then(|()| stream.set_nodelay(true))
            .map_err(|e| PdfError::Protocol(format!("cannot set up the DevTools socket: {e}")))?;
        let url = format!("ws://127.0.0.1:{port}{path}");
        let mut config = tungstenite::protocol::WebSocketConfig::default();
        config.max_message_size = Some(MAX_MESSAGE);
        config.max_frame_size = Some(MAX_MESSAGE);
        let (ws, _) = tungstenite::client::client_with_config(url.as_str(), stream, Some(config))
            .map_err(|e| {
            PdfError::Protocol(format!("DevTools handshake with {url} failed: {e}"))
        })?;
        Ok(Socket {
            ws,
            next_id: 1,
            events: VecDeque::new(),
        })
    }

    /// Sends `method` with `params` and waits for its answer until `deadline`.
    pub(crate) fn call(
        &mut self,
        method: &str,
        params: Value,
        deadline: Instant,
    ) -> Result<Value, PdfError> {
        let id = self.next_id;
        self.next_id += 1;
        let msg = json!({ "id": id, "method": method, "params": params });
        self.set_timeouts(deadline, method)?;
        self.ws
            .send(Message::text(msg.to_string()))
            .map_err(|e| PdfError::Protocol(format!("cannot send `{method}` to Chromium: {e}")))?;
        loop {
            let msg = self.read(deadline, method)?;
            if msg.get("id").and_then(Value::as_u64) == Some(id) {
                if let Some(err) = msg.get("error") {
                    let text = err
                        .get("message")
                        .and_then(Value::as_str)
                        .unwrap_or("unknown error");
                    return Err(PdfError::Protocol(format!("`{method}` failed: {text}")));
                }
                return Ok(msg.get("result").cloned().unwrap_or(Value::Null));
            }
            if msg.get("method").is_some() {
                self.keep_event(msg);
            }
        }
    }

    /// Waits until `deadline` for an event for which `wanted(method, params)` holds,
    /// looking first at the events already received.
    pub(crate) fn wait_event(
        &mut self,
        what: &str,
        deadline: Instant,
        wanted: impl Fn(&str, &Value) -> bool,
    ) -> Result<Value, PdfError> {
        let matches = |ev: &Value| {
            let method = ev.get("method").and_then(Value::as_str).unwrap_or("");
            wanted(method, ev.get("params").unwrap_or(&Value::Null))
        };
        if let Some(i) = self.events.iter().position(matches) {
            return Ok(self.events.remove(i).unwrap_or(Value::Null));
        }
        loop {
            let msg = self.read(deadline, what)?;
            if msg.get("method").is_some() {
                if matches(&msg) {
                    return Ok(msg);
                }
                self.keep_event(msg);
            }
        }
    }

    /// Forgets the events received so far.
    pub(crate) fn clear_events(&mut self) {
        self.events.clear();
    }

    /// Closes the WebSocket politely (best effort, bounded by the socket timeouts).
    pub(crate) fn close(mut self) {
        let _ = self.set_timeouts(Instant::now() + Duration::from_millis(500), "closing");
        let _ = self.ws.close(None);
        let _ = self.ws.flush();
    }

    fn keep_event(&mut self, ev: Value) {
        if self.events.len() >= MAX_BUFFERED_EVENTS {
            self.events.pop_front();
        }
        self.events.push_back(ev);
    }

    fn set_timeouts(&mut self, deadline: Instant, what: &str) -> Result<(), PdfError> {
        let left = remaining(deadline).ok_or_else(|| timeout(what))?;
        let stream = self.ws.get_mut();
        stream
            .set_read_timeout(Some(left))
            .and_then(|()| stream.set_write_timeout(Some(left)))
            .map_err(|e| PdfError::Protocol(format!("DevTools socket: {e}")))
    }

    /// Reads the next JSON message, waiting at most until `deadline`.
    fn read(&mut self, deadline: Instant, what: &str) -> Result<Value, PdfError> {
        loop {
            self.set_timeouts(deadline, what)?;
            match self.ws.read() {
                Ok(Message::Text(text)) => {
                    return serde_json::from_str(text.as_str()).map_err(|e| {
                        PdfError::Protocol(format!("Chromium sent malformed JSON: {e}"))
                    });
                }
                Ok(Message::Close(_)) => {
                    return Err(PdfError::Protocol(format!(
                        "Chromium closed the connection while {what}"
                    )));
                }
                // Pings are answered by tungstenite; binary frames are not used by CDP.
                Ok(_) => {}
                Err(tungstenite::Error::Io(e))
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) =>
                {
                    if Instant::now() >= deadline {
                        return Err(timeout(what));
                    }
                }
                Err(e) => {
                    return Err(PdfError::Protocol(format!(
                        "lost the connection to Chromium while {what}: {e}"
                    )));
                }
            }
        }
    }
}

/// Time left before `deadline`, or `None` once it has passed.
pub(crate) fn remaining(deadline: Instant) -> Option<Duration> {
    deadline
        .checked_duration_since(Instant::now())
        .filter(|d| !d.is_zero())
}

fn timeout(what: &str) -> PdfError {
    PdfError::Timeout(what.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;

    /// A one-connection DevTools stand-in on 127.0.0.1: answers each command with
    /// `answer(command)`, sending `before` messages first; `None` means never answer.
    fn fake(answer: fn(&Value) -> Option<Vec<Value>>) -> u16 {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind loopback");
        let port = listener.local_addr().expect("port").port();
        std::thread::spawn(move || {
            let Ok((stream, _)) = listener.accept() else {
                return;
            };
            let Ok(mut ws) = tungstenite::accept(stream) else {
                return;
            };
            for _ in 0..16 {
                let Ok(Message::Text(t)) = ws.read() else {
                    return;
                };
                let Ok(cmd) = serde_json::from_str::<Value>(t.as_str()) else {
                    return;
                };
                match answer(&cmd) {
                    Some(msgs) => {
                        for m in msgs {
                            let _ = ws.send(Message::text(m.to_string()));
                        }
                    }
                    None => std::thread::sleep(Duration::from_millis(500)),
                }
            }
        });
        port
    }

    fn soon() -> Instant {
        Instant::now() + Duration::from_secs(5)
    }

    #[test]
    fn answers_are_matched_by_id_and_events_kept() {
        let port = fake(|cmd| {
            let id = cmd["id"].clone();
            Some(vec![
                json!({ "method": "Page.lifecycleEvent", "params": { "name": "load", "n": id } }),
                json!({ "id": 999, "result": { "stray": true } }),
                json!({ "id": id, "result": { "echo": cmd["method"] } }),
            ])
        });
        let mut s = Socket::connect(port, "/devtools/browser/x", soon()).expect("connect");
        let r = s.call("Page.enable", json!({}), soon()).expect("answer");
        assert_eq!(r["echo"], "Page.enable");
        let r = s.call("Page.navigate", json!({}), soon()).expect("answer");
        assert_eq!(r["echo"], "Page.navigate");
        // Both events were kept; the wanted one is found without reading again.
        let ev = s
            .wait_event("loading", soon(), |m, p| {
                m == "Page.lifecycleEvent" && p["n"] == 2
            })
            .expect("event");
        assert_eq!(ev["params"]["name"], "load");
    }

    #[test]
    fn errors_are_reported_with_the_method() {
        let port = fake(|cmd| {
            Some(vec![
                json!({ "id": cmd["id"], "error": { "code": -32000, "message": "No target" } }),
            ])
        });
        let mut s = Socket::connect(port, "/", soon()).expect("connect");
        let err = s.call("Target.closeTarget", json!({}), soon()).unwrap_err();
        assert_eq!(err.to_string(), "`Target.closeTarget` failed: No target");
    }

    #[test]
    fn a_silent_browser_times_out_at_the_deadline() {
        let port = fake(|_| None);
        let mut s = Socket::connect(port, "/", soon()).expect("connect");
        let start = Instant::now();
        let err = s
            .call(
                "Page.printToPDF",
                json!({}),
                Instant::now() + Duration::from_millis(200),
            )
            .unwrap_err();
        assert!(matches!(err, PdfError::Timeout(_)), "{err}");
        assert!(
            start.elapsed() < Duration::from_secs(2),
            "{:?}",
            start.elapsed()
        );
    }
}

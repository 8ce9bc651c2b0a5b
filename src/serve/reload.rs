//! Live reload: the event stream browsers listen to, and the small script
//! injected into served pages that listens to it.
//!
//! The stream (server-sent events) first sends the current [`Signal`], then one
//! message per build, each only after the build's output has been swapped in.
//! Sending the current signal on connect means a page that loaded just before a
//! build finished still notices it. The number of open streams is capped
//! ([`StreamSlots`]; [`conn`](super::conn) says why); beyond, the stream
//! answers 503.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use tokio::sync::Semaphore;

use crate::serve::state::{Shared, Signal};
use crate::text::escape_html;

/// The event stream's path.
pub const EVENTS_PATH: &str = "/__mentorbook/events";
/// The script's path.
pub const SCRIPT_PATH: &str = "/__mentorbook/reload.js";
/// The client script.
pub const CLIENT_JS: &str = include_str!("reload.js");

/// Opening marker of everything injected into a served page.
pub const BEGIN: &str = "<!--mentorbook-serve-->";
/// Closing marker of everything injected into a served page.
pub const END: &str = "<!--/mentorbook-serve-->";

/// The slots for event streams: at most that many are open at once.
#[derive(Debug, Clone)]
pub struct StreamSlots {
    slots: Arc<Semaphore>,
    max: usize,
    warned: Arc<AtomicBool>,
}

impl StreamSlots {
    /// Room for `max` streams.
    pub fn new(max: usize) -> Self {
        Self {
            slots: Arc::new(Semaphore::new(max)),
            max,
            warned: Arc::new(AtomicBool::new(false)),
        }
    }
}

/// `GET /__mentorbook/events`: the current signal, then one per build; 503
/// when every stream slot is taken.
pub async fn events(
    State(shared): State<Arc<Shared>>,
    State(slots): State<StreamSlots>,
) -> Response {
    let Ok(slot) = slots.slots.clone().try_acquire_owned() else {
        if !slots.warned.swap(true, Ordering::Relaxed) {
            eprintln!(
                "warning: {} live-reload streams are open, the limit: pages opened now do not reload by themselves (shown once)",
                slots.max
            );
        }
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::RETRY_AFTER, "10")],
            "too many live-reload streams are open\n",
        )
            .into_response();
    };
    let rx = shared.subscribe();
    // The slot is held as long as the stream: it is freed when the stream is dropped.
    let stream =
        futures_util::stream::unfold((rx, true, slot), |(mut rx, first, slot)| async move {
            if !first && rx.changed().await.is_err() {
                return None;
            }
            let json = rx.borrow_and_update().to_json();
            Some((
                Ok::<_, std::convert::Infallible>(Event::default().data(json)),
                (rx, false, slot),
            ))
        });
    Sse::new(stream)
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(10)))
        .into_response()
}

/// `GET /__mentorbook/reload.js`: the client script.
pub async fn script() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        CLIENT_JS,
    )
        .into_response()
}

/// The `<script>` tag for a page requested at a path whose root prefix is
/// `prefix` (`""`, `"../"`…), carrying the signal the page was served at and,
/// for a page of the site, its output path (`page`), which the signal lists
/// when only some pages changed.
pub fn script_tag(prefix: &str, signal: &Signal, page: Option<&str>) -> String {
    let page = page.map_or(String::new(), |p| {
        format!(" data-page=\"{}\"", escape_html(p))
    });
    format!(
        "<script src=\"{prefix}{script}\" data-server=\"{server}\" data-version=\"{version}\"{page}></script>",
        script = SCRIPT_PATH.trim_start_matches('/'),
        server = escape_html(&signal.server),
        version = signal.version,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_url_is_relative() {
        let s = Signal {
            server: "x".into(),
            version: 3,
            full: 3,
            css: 0,
            pages: Arc::default(),
        };
        let tag = script_tag("../../", &s, Some("a/b.html"));
        assert!(
            tag.contains("src=\"../../__mentorbook/reload.js\""),
            "{tag}"
        );
        assert!(tag.contains("data-version=\"3\""));
        assert!(tag.contains("data-page=\"a/b.html\""));
        assert!(!script_tag("", &s, None).contains("src=\"/"));
        assert!(CLIENT_JS.contains("new URL(\"events\", me.src)"));
    }
}

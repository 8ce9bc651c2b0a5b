//! One headless Chromium for a whole `mentorbook pdf` run, and its tabs.
//!
//! The browser-level DevTools socket (shared behind a mutex) opens and closes
//! tabs; each tab has its own socket, so tabs print in parallel threads without
//! a dispatcher. A tab prints a file in four steps: navigate, wait for its `load`
//! lifecycle event and its fonts, `Page.printToPDF` into a stream, read the stream.

use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use base64::Engine;
use serde_json::{Value, json};

use super::PdfError;
use super::cdp::Socket;
use super::chromium::Chromium;
use crate::config::Paper;

/// How long opening or closing a tab, or closing the browser, may take.
const CONTROL_TIMEOUT: Duration = Duration::from_secs(20);
/// Bytes asked for per `IO.read` of a printed PDF.
const CHUNK: u64 = 4 << 20;
/// Upper bound on the `IO.read` calls for one PDF (with `CHUNK`, 16 GiB).
const MAX_CHUNKS: usize = 4096;

/// The colour scheme the page is told the reader's system prefers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ColorScheme {
    /// `prefers-color-scheme: light` (what a fresh browser reports).
    #[default]
    Light,
    /// `prefers-color-scheme: dark`: paper must come out light all the same.
    Dark,
}

/// How every file of a run is printed.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PrintSettings {
    /// The paper of the handbook; the CSS `@page` size wins where the page sets one.
    pub(crate) paper: Paper,
    /// The emulated `prefers-color-scheme`.
    pub(crate) color_scheme: ColorScheme,
}

impl PrintSettings {
    /// The `Page.printToPDF` parameters.
    fn params(&self) -> Value {
        let (width, height) = match self.paper {
            Paper::A4 => (8.27, 11.69),
            Paper::Letter => (8.5, 11.0),
        };
        json!({
            "landscape": false,
            "displayHeaderFooter": false,
            "printBackground": true,
            "scale": 1,
            "paperWidth": width,
            "paperHeight": height,
            "preferCSSPageSize": true,
            "generateTaggedPDF": true,
            "generateDocumentOutline": true,
            "transferMode": "ReturnAsStream",
        })
    }
}

/// A running headless Chromium and its browser-level DevTools connection.
pub(crate) struct Browser {
    chromium: Chromium,
    control: Mutex<Socket>,
}

impl Browser {
    /// Starts Chromium and connects to it.
    pub(crate) fn launch(chrome: &Path) -> Result<Self, PdfError> {
        let chromium = Chromium::launch(chrome)?;
        let deadline = Instant::now() + CONTROL_TIMEOUT;
        let control = Socket::connect(chromium.port, &chromium.browser_path, deadline)?;
        Ok(Browser {
            chromium,
            control: Mutex::new(control),
        })
    }

    fn control_call(&self, method: &str, params: Value) -> Result<Value, PdfError> {
        let deadline = Instant::now() + CONTROL_TIMEOUT;
        let mut control = self
            .control
            .lock()
            .map_err(|_| PdfError::Protocol("the DevTools connection was poisoned".into()))?;
        control.call(method, params, deadline)
    }

    /// Opens a blank tab set up for printing with `settings`.
    pub(crate) fn open_tab(&self, settings: PrintSettings) -> Result<Tab, PdfError> {
        let created = self.control_call("Target.createTarget", json!({ "url": "about:blank" }))?;
        let id = created
            .get("targetId")
            .and_then(Value::as_str)
            .ok_or_else(|| PdfError::Protocol("Chromium opened a tab without an id".into()))?
            .to_string();
        let deadline = Instant::now() + CONTROL_TIMEOUT;
        let set_up = Socket::connect(
            self.chromium.port,
            &format!("/devtools/page/{id}"),
            deadline,
        )
        .and_then(|mut socket| {
            socket.call("Page.enable", json!({}), deadline)?;
            socket.call(
                "Page.setLifecycleEventsEnabled",
                json!({ "enabled": true }),
                deadline,
            )?;
            let scheme = match settings.color_scheme {
                ColorScheme::Light => "light",
                ColorScheme::Dark => "dark",
            };
            socket.call(
                "Emulation.setEmulatedMedia",
                json!({ "features": [{ "name": "prefers-color-scheme", "value": scheme }] }),
                deadline,
            )?;
            Ok(socket)
        });
        match set_up {
            Ok(socket) => Ok(Tab {
                id,
                socket,
                print_params: settings.params(),
            }),
            Err(e) => {
                let _ = self.control_call("Target.closeTarget", json!({ "targetId": id }));
                Err(e)
            }
        }
    }

    /// Opens up to `n` tabs at once and loads and prints `warm_url` in each, so that
    /// their renderer processes, fonts and print machinery are ready before the first
    /// real file. Tabs that fail are left out: the pool opens new ones when needed.
    pub(crate) fn warm_tabs(&self, n: usize, settings: PrintSettings, warm_url: &str) -> Vec<Tab> {
        std::thread::scope(|scope| {
            let opening: Vec<_> = (0..n)
                .map(|_| {
                    scope.spawn(move || {
                        let mut tab = self.open_tab(settings).ok()?;
                        let deadline = Instant::now() + CONTROL_TIMEOUT;
                        match tab.print(warm_url, deadline) {
                            Ok(_) => Some(tab),
                            Err(_) => {
                                self.close_tab(tab);
                                None
                            }
                        }
                    })
                })
                .collect();
            opening
                .into_iter()
                .filter_map(|h| h.join().ok().flatten())
                .collect()
        })
    }

    /// Closes a tab (best effort: the browser is closed at the end anyway).
    pub(crate) fn close_tab(&self, tab: Tab) {
        let Tab { id, socket, .. } = tab;
        socket.close();
        let _ = self.control_call("Target.closeTarget", json!({ "targetId": id }));
    }

    /// Asks Chromium to quit, then makes sure its process is gone.
    pub(crate) fn shutdown(mut self) {
        let _ = self.control_call("Browser.close", json!({}));
        self.chromium.stop(Duration::from_secs(5));
    }

    /// The last line of Chromium's log, to explain a failure.
    pub(crate) fn last_log_line(&self) -> String {
        self.chromium.last_log_line()
    }
}

/// One tab, reused for one file after another.
pub(crate) struct Tab {
    id: String,
    socket: Socket,
    print_params: Value,
}

impl Tab {
    /// Loads `url` and prints it to PDF, all before `deadline`.
    pub(crate) fn print(&mut self, url: &str, deadline: Instant) -> Result<Vec<u8>, PdfError> {
        self.socket.clear_events();
        let nav = self
            .socket
            .call("Page.navigate", json!({ "url": url }), deadline)?;
        if let Some(err) = nav
            .get("errorText")
            .and_then(Value::as_str)
            .filter(|e| !e.is_empty())
        {
            return Err(PdfError::Protocol(format!("cannot open {url}: {err}")));
        }
        let loader = nav
            .get("loaderId")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        self.socket
            .wait_event("loading the page", deadline, |method, p| {
                method == "Page.lifecycleEvent"
                    && p.get("name").and_then(Value::as_str) == Some("load")
                    && (loader.is_empty()
                        || p.get("loaderId").and_then(Value::as_str) == Some(&loader))
            })?;
        // Web fonts and images referenced from CSS may still be on their way.
        self.socket.call(
            "Runtime.evaluate",
            json!({
                "expression": "document.fonts.ready.then(() => true)",
                "awaitPromise": true,
                "returnByValue": true,
            }),
            deadline,
        )?;
        let printed = self
            .socket
            .call("Page.printToPDF", self.print_params.clone(), deadline)?;
        let stream = printed
            .get("stream")
            .and_then(Value::as_str)
            .ok_or_else(|| PdfError::Protocol("Chromium returned no PDF stream".into()))?
            .to_string();
        let bytes = self.read_stream(&stream, deadline);
        let _ = self
            .socket
            .call("IO.close", json!({ "handle": stream }), deadline);
        bytes
    }

    /// Reads a DevTools stream to its end.
    fn read_stream(&mut self, handle: &str, deadline: Instant) -> Result<Vec<u8>, PdfError> {
        let mut out = Vec::new();
        for _ in 0..MAX_CHUNKS {
            let chunk = self.socket.call(
                "IO.read",
                json!({ "handle": handle, "size": CHUNK }),
                deadline,
            )?;
            let data = chunk.get("data").and_then(Value::as_str).unwrap_or("");
            if chunk.get("base64Encoded").and_then(Value::as_bool) == Some(true) {
                base64::engine::general_purpose::STANDARD
                    .decode_vec(data, &mut out)
                    .map_err(|e| {
                        PdfError::Protocol(format!("bad base64 in the PDF stream: {e}"))
                    })?;
            } else {
                out.extend_from_slice(data.as_bytes());
            }
            if chunk.get("eof").and_then(Value::as_bool) == Some(true) {
                return Ok(out);
            }
        }
        Err(PdfError::Protocol("the PDF stream did not end".into()))
    }
}

//! Finds Chromium, starts one headless instance with its DevTools endpoint on
//! 127.0.0.1, and stops exactly that process (by its PID) when dropped.
//!
//! Steps: spawn with `--remote-debugging-port=0` and a fresh profile, then poll the
//! `DevToolsActivePort` file Chromium writes into the profile for the port it chose.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::PdfError;

/// How long Chromium may take to open its DevTools endpoint.
const START_TIMEOUT: Duration = Duration::from_secs(30);

/// Finds Chromium or Chrome: `$CHROME`, then the usual names on PATH.
pub fn find_chromium() -> Option<PathBuf> {
    if let Some(c) = std::env::var_os("CHROME").filter(|c| !c.is_empty()) {
        let p = PathBuf::from(c);
        return p.is_file().then_some(p);
    }
    let path = std::env::var_os("PATH")?;
    let names = [
        "chromium",
        "chromium-browser",
        "google-chrome",
        "google-chrome-stable",
        "chrome",
        "microsoft-edge",
    ];
    std::env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |n| dir.join(n)))
        .find(|p| p.is_file())
}

/// A running headless Chromium that this process started.
///
/// Dropping it kills the PID it spawned if it is still running; the caller asks
/// for a graceful close first (`Browser.close`, then [`Chromium::stop`]).
#[derive(Debug)]
pub(crate) struct Chromium {
    child: Child,
    /// The DevTools port on 127.0.0.1.
    pub(crate) port: u16,
    /// The path of the browser-level DevTools WebSocket (`/devtools/browser/<id>`).
    pub(crate) browser_path: String,
    profile: tempfile::TempDir,
}

impl Chromium {
    /// Starts `chrome` headless with a fresh profile and waits for its DevTools port.
    pub(crate) fn launch(chrome: &Path) -> Result<Self, PdfError> {
        let profile = tempfile::Builder::new()
            .prefix("mentorbook-chromium-")
            .tempdir()
            .map_err(|e| {
                PdfError::Launch(format!("cannot create a Chromium profile folder: {e}"))
            })?;
        let log_path = profile.path().join("mentorbook-chromium.log");
        let log = std::fs::File::create(&log_path).map_err(|e| {
            PdfError::Launch(format!("cannot create `{}`: {e}", log_path.display()))
        })?;
        let mut cmd = Command::new(chrome);
        cmd.args([
            "--headless",
            "--disable-gpu",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--disable-default-apps",
            "--disable-dev-shm-usage",
            "--mute-audio",
            "--remote-debugging-address=127.0.0.1",
            "--remote-debugging-port=0",
        ]);
        if running_as_root() {
            // Chromium refuses to run as root with its sandbox on.
            cmd.arg("--no-sandbox");
        }
        cmd.arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("about:blank")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log);
        let child = cmd
            .spawn()
            .map_err(|e| PdfError::Launch(format!("cannot start `{}`: {e}", chrome.display())))?;
        let mut chromium = Chromium {
            child,
            port: 0,
            browser_path: String::new(),
            profile,
        };
        let (port, path) = chromium.wait_for_port()?;
        chromium.port = port;
        chromium.browser_path = path;
        Ok(chromium)
    }

    /// Polls `DevToolsActivePort` (first line the port, second the browser path).
    fn wait_for_port(&mut self) -> Result<(u16, String), PdfError> {
        let file = self.profile.path().join("DevToolsActivePort");
        let deadline = Instant::now() + START_TIMEOUT;
        while Instant::now() < deadline {
            if let Ok(text) = std::fs::read_to_string(&file) {
                let mut lines = text.lines();
                let port = lines.next().and_then(|p| p.trim().parse::<u16>().ok());
                let path = lines.next().map(str::trim).filter(|p| p.starts_with('/'));
                if let (Some(port), Some(path)) = (port, path) {
                    return Ok((port, path.to_string()));
                }
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(PdfError::Launch(format!(
                    "Chromium exited ({status}) before it was ready: {}",
                    self.last_log_line()
                )));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        Err(PdfError::Launch(format!(
            "Chromium did not open its DevTools port within {} s: {}",
            START_TIMEOUT.as_secs(),
            self.last_log_line()
        )))
    }

    /// The last non-empty line Chromium wrote to its log, for error messages.
    pub(crate) fn last_log_line(&self) -> String {
        std::fs::read_to_string(self.profile.path().join("mentorbook-chromium.log"))
            .ok()
            .and_then(|log| {
                log.lines()
                    .rfind(|l| !l.trim().is_empty())
                    .map(str::to_string)
            })
            .unwrap_or_else(|| "(no message)".into())
    }

    /// Waits up to `grace` for the process to exit by itself; kills its PID otherwise.
    pub(crate) fn stop(&mut self, grace: Duration) {
        let deadline = Instant::now() + grace;
        loop {
            match self.child.try_wait() {
                Ok(Some(_)) | Err(_) => return,
                Ok(None) if Instant::now() >= deadline => break,
                Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            }
        }
        // `Child::kill` signals the PID we spawned, nothing else.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Chromium {
    fn drop(&mut self) {
        self.stop(Duration::ZERO);
    }
}

fn running_as_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Uid:"))
                .map(|l| l.split_whitespace().nth(1) == Some("0"))
        })
        .unwrap_or(false)
}

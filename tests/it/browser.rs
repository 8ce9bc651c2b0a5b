//! A real headless Chromium driven over WebDriver (chromedriver), for print,
//! search, live reload and accessibility tests.
//!
//! When Chromium or chromedriver is missing the tests are skipped with a printed
//! reason, unless `MENTORBOOK_REQUIRE_BROWSER=1`, in which case they fail.
//! Only loopback addresses are used; every wait is bounded; only the processes
//! started here are stopped, by their handle.

#![allow(dead_code)]

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// Whether browser tests must run (CI) rather than be skipped.
pub fn required() -> bool {
    std::env::var("MENTORBOOK_REQUIRE_BROWSER").is_ok_and(|v| v == "1")
}

fn find_on_path(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    for dir in std::env::split_paths(&path) {
        for n in names {
            let p = dir.join(n);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    None
}

/// The Chromium binary: `$CHROME`, else `chromium`, `chromium-browser` or `google-chrome` on PATH.
pub fn chromium() -> Option<PathBuf> {
    if let Some(c) = std::env::var_os("CHROME")
        .map(PathBuf::from)
        .filter(|p| p.is_file())
    {
        return Some(c);
    }
    find_on_path(&[
        "chromium",
        "chromium-browser",
        "google-chrome",
        "google-chrome-stable",
    ])
}

/// A free TCP port on 127.0.0.1.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

/// A headless Chromium session.
pub struct Browser {
    driver: Child,
    base: String,
    session: String,
    agent: ureq::Agent,
    _profile: tempfile::TempDir,
}

/// Starts a browser, or explains why not: `None` means "skip this test".
pub fn start(test: &str) -> Option<Browser> {
    match Browser::start() {
        Ok(b) => Some(b),
        Err(reason) => {
            crate::support::skip(
                test,
                &format!("{reason} (install chromium and chromium-driver to run it)"),
            );
            None
        }
    }
}

impl Browser {
    fn start() -> Result<Self, String> {
        let chrome = chromium().ok_or("no Chromium found ($CHROME, chromium, google-chrome)")?;
        let driver_bin = find_on_path(&["chromedriver"]).ok_or("no chromedriver on PATH")?;
        let port = free_port();
        let driver = Command::new(driver_bin)
            .arg(format!("--port={port}"))
            .arg("--allowed-ips=127.0.0.1")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start chromedriver: {e}"))?;
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(Duration::from_secs(60)))
            .http_status_as_error(false)
            .build()
            .into();
        let base = format!("http://127.0.0.1:{port}");
        let profile = tempfile::tempdir().map_err(|e| e.to_string())?;
        let mut b = Self {
            driver,
            base,
            session: String::new(),
            agent,
            _profile: profile,
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        while b.agent.get(format!("{}/status", b.base)).call().is_err() {
            if Instant::now() > deadline {
                return Err("chromedriver did not start within 20 s".into());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let args = vec![
            "--headless=new".to_string(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-quic".into(),
            "--no-first-run".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--disable-dev-shm-usage".into(),
            "--window-size=1280,900".into(),
            format!("--user-data-dir={}", b._profile.path().display()),
        ];
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": chrome.to_string_lossy(), "args": args}
        }}});
        let v = b.raw("POST", "/session", Some(caps))?;
        b.session = v["sessionId"]
            .as_str()
            .ok_or_else(|| format!("no session: {v}"))?
            .to_string();
        Ok(b)
    }

    fn raw(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value, String> {
        let url = format!("{}{path}", self.base);
        let resp = match (method, body) {
            ("GET", _) => self.agent.get(&url).call(),
            ("DELETE", _) => self.agent.delete(&url).call(),
            (_, Some(b)) => self.agent.post(&url).send_json(&b),
            (_, None) => self.agent.post(&url).send_json(json!({})),
        };
        let mut resp = resp.map_err(|e| format!("webdriver {path}: {e}"))?;
        let v: Value = resp
            .body_mut()
            .read_json()
            .map_err(|e| format!("webdriver {path}: {e}"))?;
        if let Some(err) = v["value"]["error"].as_str() {
            return Err(format!(
                "webdriver {path}: {err}: {}",
                v["value"]["message"]
            ));
        }
        Ok(v["value"].clone())
    }

    fn cmd(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        self.raw(method, &format!("/session/{}{path}", self.session), body)
            .unwrap_or_else(|e| panic!("{e}"))
    }

    /// Opens a URL and waits for the load to finish.
    pub fn goto(&self, url: &str) {
        self.cmd("POST", "/url", Some(json!({ "url": url })));
    }

    /// Runs JavaScript (`return …;`) in the page and returns its result.
    pub fn eval(&self, script: &str) -> Value {
        self.cmd(
            "POST",
            "/execute/sync",
            Some(json!({ "script": script, "args": [] })),
        )
    }

    /// Runs asynchronous JavaScript; the script calls `arguments[0](result)`.
    pub fn eval_async(&self, script: &str) -> Value {
        self.cmd(
            "POST",
            "/execute/async",
            Some(json!({ "script": script, "args": [] })),
        )
    }

    /// Polls `condition` (a JS expression) every 20 ms until true or `timeout`; returns
    /// the elapsed time when it became true.
    pub fn wait_for(&self, condition: &str, timeout: Duration) -> Option<Duration> {
        let start = Instant::now();
        let script = format!("return !!({condition});");
        while start.elapsed() < timeout {
            if self
                .raw(
                    "POST",
                    &format!("/session/{}/execute/sync", self.session),
                    Some(json!({"script": script, "args": []})),
                )
                .is_ok_and(|v| v == Value::Bool(true))
            {
                return Some(start.elapsed());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }

    /// Sends keys to the focused element.
    pub fn keys(&self, text: &str) {
        let active = self.cmd("GET", "/element/active", None);
        let id = active
            .as_object()
            .and_then(|o| o.values().next())
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        self.cmd(
            "POST",
            &format!("/element/{id}/value"),
            Some(json!({ "text": text })),
        );
    }

    /// Presses and releases one key (WebDriver key codes: Tab is `\u{E004}`, Enter `\u{E007}`).
    pub fn press(&self, key: &str) {
        let actions = json!({"actions": [{"type": "key", "id": "keyboard", "actions": [
            {"type": "keyDown", "value": key}, {"type": "keyUp", "value": key}
        ]}]});
        self.cmd("POST", "/actions", Some(actions));
    }

    /// Resizes the browser window.
    pub fn resize(&self, width: u32, height: u32) {
        self.cmd(
            "POST",
            "/window/rect",
            Some(json!({"width": width, "height": height})),
        );
    }

    /// Runs a Chrome DevTools Protocol command (chromedriver's `goog/cdp/execute`).
    pub fn cdp(&self, cmd: &str, params: Value) -> Value {
        self.cmd(
            "POST",
            "/goog/cdp/execute",
            Some(json!({ "cmd": cmd, "params": params })),
        )
    }

    /// Runs `script` in every page opened from now on, before the page's own scripts.
    pub fn on_every_page(&self, script: &str) {
        self.cdp(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": script }),
        );
    }

    /// A PNG screenshot of the viewport, saved to `path` (folders created).
    pub fn screenshot(&self, path: &std::path::Path) {
        let v = self.cmd("GET", "/screenshot", None);
        let png = decode_base64(v.as_str().unwrap_or_default());
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).expect("screenshot folder");
        }
        std::fs::write(path, png).expect("write screenshot");
    }

    /// Clicks the element matching `css` (a real pointer click through WebDriver).
    pub fn click(&self, css: &str) {
        let el = self.cmd(
            "POST",
            "/element",
            Some(json!({"using": "css selector", "value": css})),
        );
        let id = el
            .as_object()
            .and_then(|o| o.values().next())
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        self.cmd("POST", &format!("/element/{id}/click"), Some(json!({})));
    }

    /// Presses `key` with Control held (WebDriver key codes: Control is `\u{E009}`).
    pub fn press_with_control(&self, key: &str) {
        let actions = json!({"actions": [{"type": "key", "id": "keyboard", "actions": [
            {"type": "keyDown", "value": "\u{E009}"}, {"type": "keyDown", "value": key},
            {"type": "keyUp", "value": key}, {"type": "keyUp", "value": "\u{E009}"}
        ]}]});
        self.cmd("POST", "/actions", Some(actions));
    }

    /// Prints the page to PDF (WebDriver print), `width`×`height` in cm.
    pub fn print_pdf(&self, width_cm: f64, height_cm: f64) -> Vec<u8> {
        let v = self.cmd(
            "POST",
            "/print",
            Some(json!({"page": {"width": width_cm, "height": height_cm}, "background": true, "shrinkToFit": false})),
        );
        decode_base64(v.as_str().unwrap_or_default())
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = self.raw("DELETE", &format!("/session/{}", self.session), None);
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// The axe-core script: `$AXE_CORE_JS`, or `target/npm/node_modules/axe-core/axe.min.js`
/// (installed by `.ci/run` from the npm registry).
pub fn axe_core() -> Option<String> {
    let path = std::env::var_os("AXE_CORE_JS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("target/npm/node_modules/axe-core/axe.min.js")
        });
    std::fs::read_to_string(path).ok()
}

/// Runs axe-core (injected beforehand, e.g. with [`Browser::on_every_page`]) on the
/// current page with the WCAG 2.0, 2.1 and 2.2 A and AA rules; returns the serious
/// and critical violations, one line each.
pub fn axe_serious(b: &Browser) -> Vec<String> {
    let v = b.eval_async(
        "var done = arguments[0];
         if (!window.axe) { done(['axe-core is not loaded']); return; }
         axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa']}, resultTypes: ['violations']}).then(function (r) {
           done(r.violations.filter(function (v) { return v.impact === 'serious' || v.impact === 'critical'; })
             .map(function (v) { return v.impact + ' ' + v.id + ': ' + v.help + ' @ ' + JSON.stringify(v.nodes.slice(0, 3).map(function (n) { return [n.target, n.failureSummary]; })); }));
         }).catch(function (e) { done(['axe failed: ' + e]); });",
    );
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// Where screenshots and other artefacts of the tests are kept, to be looked at.
pub fn artefacts() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/test-artefacts")
}

/// Decodes standard base64 (for WebDriver screenshots and PDFs).
pub fn decode_base64(s: &str) -> Vec<u8> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD
        .decode(s.trim())
        .unwrap_or_else(|e| panic!("bad base64 from WebDriver: {e}"))
}

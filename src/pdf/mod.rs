//! `mentorbook pdf`: prints the handbook, its worksheets or one page to PDF through
//! one headless Chromium driven over the DevTools protocol.
//!
//! Steps: find Chromium (fail early with an install hint); start one Chromium for
//! the whole run and warm its tabs while the site is built into a temporary
//! folder; print every file through those tabs in parallel (each file bounded in
//! time); then close the browser and make sure its process is gone, even after an
//! error.
//!
//! - `chromium`: find, start and stop the browser process;
//! - `cdp`: the DevTools WebSocket client;
//! - `browser`: tabs, and printing one file in a tab;
//! - `pool`: the worker threads that share the tabs;
//! - `jobs`: which files a target prints, and the PDF names.

mod browser;
mod cdp;
mod chromium;
mod jobs;
mod pool;

use std::path::PathBuf;
use std::time::Duration;

pub use browser::ColorScheme;
pub use chromium::find_chromium;

use crate::config::Config;
use crate::error::{Error, Result};
use crate::site::BuildOptions;

/// What to print.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum PdfTarget {
    /// The whole handbook (`handbook.pdf`).
    #[default]
    Handbook,
    /// Every worksheet, one PDF each, plus `worksheets.pdf` with all of them.
    Worksheets,
    /// The handbook, every section, and every worksheet.
    All,
    /// One page, given by its source path (`content/…md`), content path or output path.
    Page(String),
    /// The print edition for one audience (`editions/<audience>/print.html`).
    Edition(crate::content::Audience),
    /// The kit of one session (`kits/session-N.html`).
    Kit(u32),
}

/// Options of `mentorbook pdf`.
#[derive(Debug, Clone, Default)]
pub struct PdfOptions {
    /// What to print.
    pub target: PdfTarget,
    /// Where the PDFs go (default `pdf/` in the site root).
    pub out: Option<PathBuf>,
    /// Include drafts.
    pub drafts: bool,
    /// Show a progress bar.
    pub progress: bool,
    /// Language to print, on a multilingual handbook (default: the default language).
    pub lang: Option<String>,
    /// The `prefers-color-scheme` the pages see while printing (paper is light either way).
    pub color_scheme: ColorScheme,
    /// Tabs printing at the same time (default: 2 to 4, by the number of cores).
    pub tabs: Option<usize>,
}

/// How long one PDF may take, from loading its page to writing its last byte.
const PRINT_TIMEOUT: Duration = Duration::from_secs(120);

/// Why printing failed.
#[derive(Debug)]
pub(crate) enum PdfError {
    /// Chromium could not be started.
    Launch(String),
    /// The DevTools conversation went wrong.
    Protocol(String),
    /// Chromium took too long for the step named.
    Timeout(String),
    /// The PDF could not be written.
    Write(String),
}

impl std::fmt::Display for PdfError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PdfError::Launch(m) | PdfError::Protocol(m) | PdfError::Write(m) => f.write_str(m),
            PdfError::Timeout(what) => {
                write!(f, "Chromium did not answer in time (step: {what})")
            }
        }
    }
}

impl From<PdfError> for Error {
    fn from(e: PdfError) -> Self {
        Error::Usage(e.to_string())
    }
}

fn missing_chromium() -> Error {
    Error::MissingTool {
        what: "no Chromium or Chrome found to print PDFs".into(),
        help: "install Chromium (Debian/Ubuntu: `sudo apt install chromium`; Fedora: `sudo dnf install chromium`; \
               macOS or Windows: install Google Chrome), or set CHROME to the browser's path"
            .into(),
    }
}

/// Builds the site and prints the requested PDFs; returns their paths.
///
/// Chromium starts, and its tabs load and print a small page once, while the site
/// is being built; then every file goes through those tabs.
pub fn run(config: &Config, opts: &PdfOptions) -> Result<Vec<PathBuf>> {
    let chrome = find_chromium().ok_or_else(missing_chromium)?;
    let settings = pool::PoolSettings {
        tabs: opts.tabs.unwrap_or_else(default_tabs).max(1),
        timeout: PRINT_TIMEOUT,
        print: browser::PrintSettings {
            paper: config.paper,
            color_scheme: opts.color_scheme,
        },
    };
    let warm_tabs = match opts.target {
        PdfTarget::Worksheets | PdfTarget::All => settings.tabs,
        _ => 1,
    };
    let (started, prepared) = std::thread::scope(|scope| {
        let starting = scope.spawn(|| start_browser(&chrome, warm_tabs, settings.print));
        let prepared = prepare(config, opts);
        let started = starting.join().unwrap_or_else(|_| {
            Err(PdfError::Launch(
                "the thread starting Chromium panicked".into(),
            ))
        });
        (started, prepared)
    });
    // A content error comes first; dropping a started browser stops its process.
    let prepared = prepared?;
    let (browser, tabs, _warm_dir) = started?;
    let bar = progress_bar(opts.progress, prepared.jobs.len());
    let done = |job: &pool::Job| {
        if let Some(b) = &bar {
            b.set_message(job.name.clone());
            b.inc(1);
        }
    };
    let results = pool::print_all(&browser, tabs, &prepared.jobs, settings, &done);
    let log = browser.last_log_line();
    browser.shutdown();
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let mut failures = Vec::new();
    let mut written = Vec::with_capacity(results.len());
    for (job, result) in prepared.jobs.into_iter().zip(results) {
        match result {
            Ok(()) => written.push(job.pdf),
            Err(e) => failures.push(format!(
                "Chromium could not print `{}`: {e}",
                job.pdf.display()
            )),
        }
    }
    if !failures.is_empty() {
        failures.push(format!("Chromium's last message: {log}"));
        return Err(Error::Usage(failures.join("\n")));
    }
    Ok(written)
}

/// The built site in a temporary folder, and the files to print from it.
struct Prepared {
    /// Keeps the built site until printing is over.
    _site: tempfile::TempDir,
    jobs: Vec<pool::Job>,
}

/// Builds the site into a temporary folder and lists the files to print.
fn prepare(config: &Config, opts: &PdfOptions) -> Result<Prepared> {
    let build_opts = BuildOptions {
        drafts: opts.drafts,
        ..BuildOptions::default()
    };
    let code = opts.lang.clone().unwrap_or_else(|| config.lang.clone());
    if !config.language_codes().contains(&code) {
        return Err(Error::Usage(format!(
            "no language `{code}`: this handbook has {}",
            config.language_codes().join(", ")
        )));
    }
    // One load and one build: the printed files and the pages to name come from it.
    let site = temp_dir()?;
    let (built, _) = crate::site::build_into(config, &build_opts, site.path())?;
    let content = built
        .langs
        .iter()
        .map(|l| &l.content)
        .find(|c| c.lang == code)
        .ok_or_else(|| Error::Usage(format!("no language `{code}`")))?;
    let out_dir = opts.out.clone().unwrap_or_else(|| config.root.join("pdf"));
    crate::fs::create_dir_all(&out_dir)?;
    let jobs = jobs::jobs(content, &opts.target, &|p| built.plan.jobs.contains_key(p))?
        .into_iter()
        .map(|(html, name)| pool::Job {
            url: file_url(&site.path().join(&html)),
            pdf: out_dir.join(&name),
            weight: std::fs::metadata(site.path().join(&html)).map_or(0, |m| m.len()),
            name,
        })
        .collect();
    Ok(Prepared { _site: site, jobs })
}

/// A small page each tab loads and prints once before the real files.
const WARM_PAGE: &str = "<!DOCTYPE html><html lang=\"fr\"><head><meta charset=\"utf-8\"><title>mentorbook</title>\
<style>body{font-family:system-ui,sans-serif}h1{font-family:Georgia,serif}</style></head>\
<body><h1>Aa</h1><p>Bb <b>Cc</b> <i>Dd</i></p></body></html>";

/// Starts Chromium and warms `tabs` tabs on a local page; the folder holds that page.
fn start_browser(
    chrome: &std::path::Path,
    tabs: usize,
    settings: browser::PrintSettings,
) -> Result<(browser::Browser, Vec<browser::Tab>, tempfile::TempDir), PdfError> {
    let dir = tempfile::Builder::new()
        .prefix("mentorbook-warm-")
        .tempdir()
        .map_err(|e| PdfError::Launch(format!("cannot create a temporary folder: {e}")))?;
    let page = dir.path().join("warm.html");
    std::fs::write(&page, WARM_PAGE)
        .map_err(|e| PdfError::Launch(format!("cannot write `{}`: {e}", page.display())))?;
    let browser = browser::Browser::launch(chrome)?;
    let warm = browser.warm_tabs(tabs, settings, &file_url(&page));
    Ok((browser, warm, dir))
}

fn temp_dir() -> Result<tempfile::TempDir> {
    tempfile::tempdir().map_err(|e| {
        Error::io(
            "cannot create a temporary folder in",
            &std::env::temp_dir(),
            e,
        )
    })
}

/// A progress bar when asked for and when there is more than one file.
fn progress_bar(wanted: bool, files: usize) -> Option<indicatif::ProgressBar> {
    if !wanted || files < 2 {
        return None;
    }
    let bar = indicatif::ProgressBar::new(files as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    Some(bar)
}

/// Two to four tabs: more than the cores only keeps them busy while pages load.
fn default_tabs() -> usize {
    std::thread::available_parallelism()
        .map_or(2, std::num::NonZero::get)
        .clamp(2, 4)
}

/// `file://` URL of an absolute path, with the characters URLs cannot hold escaped.
fn file_url(path: &std::path::Path) -> String {
    let mut url = String::from("file://");
    for b in path.to_string_lossy().bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => {
                url.push(char::from(b));
            }
            _ => url.push_str(&format!("%{b:02X}")),
        }
    }
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_urls_escape_what_urls_cannot_hold() {
        assert_eq!(
            file_url(std::path::Path::new("/tmp/a b/séance#1.html")),
            "file:///tmp/a%20b/s%C3%A9ance%231.html"
        );
        assert_eq!(
            file_url(std::path::Path::new("/x/y-z_1.html")),
            "file:///x/y-z_1.html"
        );
    }

    #[test]
    fn two_to_four_tabs() {
        assert!((2..=4).contains(&default_tabs()));
    }
}

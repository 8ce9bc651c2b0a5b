//! `mentorbook pdf`: prints the handbook, its worksheets or one page to PDF through
//! one headless Chromium driven over the DevTools protocol.
//!
//! Steps: find Chromium (fail early with an install hint); start one Chromium for
//! the whole run and warm its tabs while the site is built into a temporary
//! folder; print every file through those tabs in parallel (each file bounded in
//! time; print files in two passes, to fill in their page references); read
//! each PDF back to count the sheets of worksheets; then close the browser and
//! make sure its process is gone, even after an error. `check --layout` runs the
//! same steps on every worksheet with a `sheets:` limit, keeping no PDF.
//!
//! - `chromium`: find, start and stop the browser process;
//! - `cdp`: the DevTools WebSocket client;
//! - `browser`: tabs, and printing one file in a tab;
//! - `pool`: the worker threads that share the tabs;
//! - `passes`: printing one file in as many passes as its page references need;
//! - `readback`: page count and named destinations of a printed PDF (lopdf);
//! - `sheets`: sheet counts of worksheets, and the block that spills over;
//! - `jobs`: which files a target prints, and the PDF names;
//! - `forms`: the form fields of fillable PDFs (unless `--flat`).

mod browser;
mod cdp;
mod chromium;
pub(crate) mod forms;
mod jobs;
mod links;
mod passes;
mod pool;
mod readback;
mod sheets;

use std::path::{Path, PathBuf};
use std::time::Duration;

pub use browser::ColorScheme;
pub use chromium::find_chromium;

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::error::{Error, Result};
use crate::site::{BuildOptions, Site};

/// What to print.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum PdfTarget {
    /// The whole handbook (`handbook.pdf`).
    #[default]
    Handbook,
    /// Every worksheet, one PDF each, plus `worksheets.pdf` with all of them.
    Worksheets,
    /// The handbook, every section, every worksheet, the kits, the editions and
    /// the timeline.
    All,
    /// Any page of the site: by its output path (`timeline.html`,
    /// `kits/session-1.html`, `en/guide/print.html`), its source file
    /// (`content/…md`) or its path inside `content/`; with `--lang`, its translation.
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
    /// No form fields: the PDF as printed, to be filled in by hand only (`--flat`).
    pub flat: bool,
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

/// What a `pdf` run made.
#[derive(Debug, Default)]
pub struct PdfReport {
    /// The PDFs written, in the order of the target.
    pub files: Vec<PathBuf>,
    /// Warnings: the build's, worksheets that take more sheets than they may,
    /// page references that could not settle.
    pub warnings: Vec<Diagnostic>,
    /// For each PDF (same order as `files`), how long each of its passes took.
    pub passes: Vec<Vec<Duration>>,
}

/// Builds the site and prints the requested PDFs.
///
/// Chromium starts, and its tabs load and print a small page once, while the site
/// is being built; then every file goes through those tabs.
pub fn run(config: &Config, opts: &PdfOptions) -> Result<PdfReport> {
    if let Some(code) = &opts.lang
        && !config.language_codes().contains(code)
    {
        return Err(Error::Usage(format!(
            "no language `{code}`: this handbook has {}",
            config.language_codes().join(", ")
        )));
    }
    let out_dir = opts.out.clone().unwrap_or_else(|| config.root.join("pdf"));
    let build_opts = BuildOptions {
        drafts: opts.drafts,
        ..BuildOptions::default()
    };
    let warm = match opts.target {
        PdfTarget::Worksheets | PdfTarget::All => None,
        _ => Some(1),
    };
    let pick = |site: &Site| {
        let mut specs = jobs::specs(site, &opts.target, opts.lang.as_deref())?;
        for s in &mut specs {
            s.fill = !opts.flat;
        }
        Ok(specs)
    };
    let printed = print_site(config, &build_opts, opts, warm, &pick, Some(&out_dir))?;
    let mut report = PdfReport {
        warnings: printed.build_warnings,
        ..PdfReport::default()
    };
    report.warnings.extend(printed.layout_warnings);
    for (job, done) in printed.jobs.into_iter().zip(printed.done) {
        if let Some(pdf) = job.pdf {
            report.files.push(pdf);
            report.passes.push(done.passes);
        }
    }
    Ok(report)
}

/// A file another command prints (`pack`): a page of the built site, or HTML
/// written into the built site first.
#[derive(Debug, Clone)]
pub struct Sheet {
    /// Its output path in the built site.
    pub html: crate::paths::OutPath,
    /// HTML to write there first (a file the site does not make itself).
    pub write: Option<String>,
    /// Whether its named controls become form fields.
    pub fill: bool,
}

/// A printed [`Sheet`].
#[derive(Debug, Clone)]
pub struct PrintedSheet {
    /// The PDF.
    pub pdf: Vec<u8>,
    /// Its fields that have a role (`mentor`, `mentee`, `lead`, `date`): name, role.
    pub roles: Vec<(String, String)>,
}

/// Builds the site into a temporary folder and prints the files `pick` chooses
/// from it, keeping the PDFs in memory (in the order of `pick`). Returns them
/// with the build's warnings.
pub fn print_sheets(
    config: &Config,
    drafts: bool,
    pick: &(dyn Fn(&Site) -> Result<Vec<Sheet>> + Sync),
) -> Result<(Vec<PrintedSheet>, Vec<Diagnostic>)> {
    let build_opts = BuildOptions {
        drafts,
        ..BuildOptions::default()
    };
    let specs = |site: &Site| -> Result<Vec<jobs::Spec>> {
        Ok(pick(site)?
            .into_iter()
            .map(|s| jobs::Spec {
                name: s.html.to_string(),
                html: s.html,
                refs: false,
                checks: Vec::new(),
                fill: s.fill,
                keep: true,
                write: s.write,
            })
            .collect())
    };
    let printed = print_site(
        config,
        &build_opts,
        &PdfOptions::default(),
        None,
        &specs,
        None,
    )?;
    let sheets = printed
        .done
        .into_iter()
        .map(|d| PrintedSheet {
            pdf: d.bytes.unwrap_or_default(),
            roles: d.made.roles,
        })
        .collect();
    Ok((sheets, printed.build_warnings))
}

/// Sets values (field name, value) in a fillable PDF made by `pdf`, with the
/// appearances that show them.
pub fn fill_fields(pdf: &[u8], values: &[(String, String)]) -> Result<Vec<u8>> {
    Ok(forms::fill::fill(pdf, values)?)
}

/// Checks the print layout of every worksheet through Chromium (`check
/// --layout`): everything `check` reports, a warning for each worksheet that
/// takes more sheets than its `sheets:` allows, and for each whose first block
/// does not fit under its header. With `strict`, those are errors too.
pub fn check_layout(config: &Config, opts: &BuildOptions) -> Result<crate::site::Built> {
    let pdf_opts = PdfOptions::default();
    let build_opts = BuildOptions {
        strict: false,
        ..opts.clone()
    };
    let printed = print_site(
        config,
        &build_opts,
        &pdf_opts,
        None,
        &|site| Ok(jobs::layout_specs(site)),
        None,
    )?;
    let mut built = printed.built;
    let mut warnings = printed.build_warnings;
    warnings.extend(printed.layout_warnings);
    if opts.strict && !warnings.is_empty() {
        return Err(crate::site::fail(warnings, true));
    }
    crate::diagnostic::sort_diagnostics(&mut warnings);
    built.warnings = warnings;
    Ok(built)
}

/// A site built and printed.
struct SitePrinted {
    built: crate::site::Built,
    build_warnings: Vec<Diagnostic>,
    /// Sheet and page-reference warnings, one per worksheet at most.
    layout_warnings: Vec<Diagnostic>,
    jobs: Vec<pool::Job>,
    done: Vec<pool::Done>,
}

/// Starts Chromium (warming `warm` tabs, or as many as will print) while the
/// site builds into a temporary folder, then prints the files `pick` chooses
/// into `out_dir` (nowhere when `None`: only their layout is read).
fn print_site(
    config: &Config,
    build_opts: &BuildOptions,
    opts: &PdfOptions,
    warm: Option<usize>,
    pick: &(dyn Fn(&Site) -> Result<Vec<jobs::Spec>> + Sync),
    out_dir: Option<&Path>,
) -> Result<SitePrinted> {
    let chrome = find_chromium().ok_or_else(missing_chromium)?;
    let settings = pool::PoolSettings {
        tabs: opts.tabs.unwrap_or_else(default_tabs).max(1),
        timeout: PRINT_TIMEOUT,
        print: browser::PrintSettings {
            paper: config.paper,
            color_scheme: opts.color_scheme,
        },
    };
    let warm_tabs = warm.unwrap_or(settings.tabs);
    let (started, prepared) = std::thread::scope(|scope| {
        let starting = scope.spawn(|| start_browser(&chrome, warm_tabs, settings.print));
        let prepared = prepare(config, build_opts, pick, out_dir);
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
    let mut finished = Vec::with_capacity(results.len());
    for (job, result) in prepared.jobs.iter().zip(results) {
        match result {
            Ok(d) => finished.push(d),
            Err(e) => failures.push(format!("Chromium could not print `{}`: {e}", job.name)),
        }
    }
    if !failures.is_empty() {
        failures.push(format!("Chromium's last message: {log}"));
        return Err(Error::Usage(failures.join("\n")));
    }
    // A worksheet printed in several files is reported once, as its first file showed it.
    let mut seen = std::collections::HashSet::new();
    let layout_warnings = finished
        .iter()
        .flat_map(|d| d.warnings.iter())
        .filter(|w| seen.insert(w.path.clone()))
        .cloned()
        .collect();
    Ok(SitePrinted {
        built: prepared.built,
        build_warnings: prepared.warnings,
        layout_warnings,
        jobs: prepared.jobs,
        done: finished,
    })
}

/// The built site in a temporary folder, and the files to print from it.
struct Prepared {
    /// Keeps the built site until printing is over.
    _site: tempfile::TempDir,
    built: crate::site::Built,
    warnings: Vec<Diagnostic>,
    jobs: Vec<pool::Job>,
}

/// Builds the site into a temporary folder (one load, one build) and lists the
/// files to print, with the PDFs going into `out_dir`.
fn prepare(
    config: &Config,
    build_opts: &BuildOptions,
    pick: &(dyn Fn(&Site) -> Result<Vec<jobs::Spec>> + Sync),
    out_dir: Option<&Path>,
) -> Result<Prepared> {
    let dir = temp_dir()?;
    let (site, mut built) = crate::site::build_into(config, build_opts, dir.path())?;
    let specs = pick(&site)?;
    if let Some(out) = out_dir {
        crate::fs::create_dir_all(out)?;
    }
    let links = links::script(
        &format!("{}/", file_url(dir.path())),
        config.base_url.as_deref(),
    );
    let jobs = specs
        .into_iter()
        .map(|spec| {
            let file = dir.path().join(spec.html.as_str());
            if let Some(html) = &spec.write {
                crate::fs::write(&file, html.as_bytes())?;
            }
            Ok(pool::Job {
                links: links.clone(),
                fill: spec.fill,
                keep: spec.keep,
                url: file_url(&file),
                weight: std::fs::metadata(&file).map_or(0, |m| m.len()),
                html: spec.html.to_string(),
                pdf: out_dir.map(|o| o.join(&spec.name)),
                name: spec.name,
                refs: spec.refs,
                checks: spec.checks,
                file,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let warnings = std::mem::take(&mut built.warnings);
    Ok(Prepared {
        _site: dir,
        built,
        warnings,
        jobs,
    })
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

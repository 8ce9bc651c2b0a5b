//! `mentorbook pdf`: prints the handbook, its worksheets or one page to PDF through
//! a headless Chromium found on PATH or in `$CHROME`.
//!
//! Steps: find Chromium (fail early with an install hint), build the site into a
//! temporary folder, then print each HTML file with `--print-to-pdf`, two at a
//! time, each bounded in time. The CSS `@page` rule sets the paper size.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::config::Config;
use crate::error::{Error, Result};
use crate::site::{BuildOptions, layout};

/// What to print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PdfTarget {
    /// The whole handbook (`handbook.pdf`).
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
#[derive(Debug, Clone)]
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
}

/// How long one PDF may take before Chromium is stopped.
const PRINT_TIMEOUT: Duration = Duration::from_secs(120);

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

fn missing_chromium() -> Error {
    Error::MissingTool {
        what: "no Chromium or Chrome found to print PDFs".into(),
        help: "install Chromium (Debian/Ubuntu: `sudo apt install chromium`; Fedora: `sudo dnf install chromium`; \
               macOS or Windows: install Google Chrome), or set CHROME to the browser's path"
            .into(),
    }
}

/// Builds the site and prints the requested PDFs; returns their paths.
pub fn run(config: &Config, opts: &PdfOptions) -> Result<Vec<PathBuf>> {
    let chrome = find_chromium().ok_or_else(missing_chromium)?;
    let build_opts = BuildOptions {
        out: None,
        drafts: opts.drafts,
        strict: false,
    };
    let code = opts.lang.clone().unwrap_or_else(|| config.lang.clone());
    if !config.language_codes().contains(&code) {
        return Err(Error::Usage(format!(
            "no language `{code}`: this handbook has {}",
            config.language_codes().join(", ")
        )));
    }
    let site = tempfile::tempdir().map_err(|e| {
        Error::io(
            "cannot create a temporary folder in",
            &std::env::temp_dir(),
            e,
        )
    })?;
    let (built_site, _) = crate::site::build_into(config, &build_opts, site.path())?;
    let content = built_site
        .langs
        .iter()
        .map(|l| &l.content)
        .find(|c| c.lang == code)
        .ok_or_else(|| Error::Usage(format!("no language `{code}`")))?;
    let jobs = jobs(content, &opts.target, &|p| {
        built_site.plan.jobs.contains_key(p)
    })?;
    let out_dir = opts.out.clone().unwrap_or_else(|| config.root.join("pdf"));
    crate::fs::create_dir_all(&out_dir)?;
    let bar = if opts.progress && jobs.len() > 1 {
        let bar = indicatif::ProgressBar::new(jobs.len() as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        Some(bar)
    } else {
        None
    };
    let mut written = Vec::with_capacity(jobs.len());
    for chunk in jobs.chunks(2) {
        let mut running = Vec::new();
        for (html, name) in chunk {
            let pdf = out_dir.join(name);
            let profile = tempfile::tempdir().map_err(|e| {
                Error::io(
                    "cannot create a temporary folder in",
                    &std::env::temp_dir(),
                    e,
                )
            })?;
            let child = spawn(&chrome, &site.path().join(html), &pdf, profile.path())?;
            running.push((child, pdf, profile, name.clone()));
        }
        for (child, pdf, _profile, name) in running {
            wait(child, &pdf)?;
            if let Some(b) = &bar {
                b.set_message(name.clone());
                b.inc(1);
            }
            written.push(pdf);
        }
    }
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    Ok(written)
}

/// The (HTML file, PDF name) pairs to print.
fn jobs(
    content: &crate::content::Content,
    target: &PdfTarget,
    has: &dyn Fn(&str) -> bool,
) -> Result<Vec<(String, String)>> {
    let handbook = layout::at(&content.prefix, layout::HANDBOOK);
    let worksheets_print = layout::at(&content.prefix, layout::WORKSHEETS_PRINT);
    let mut jobs = Vec::new();
    let worksheet_jobs = |jobs: &mut Vec<(String, String)>| {
        let names = unique_names(content.worksheets().map(|p| p.out.as_str()).collect());
        for (p, name) in content.worksheets().zip(names) {
            jobs.push((p.out.to_string(), name));
        }
        if has(&worksheets_print) {
            jobs.push((worksheets_print.to_string(), "worksheets.pdf".to_string()));
        }
    };
    match target {
        PdfTarget::Handbook => jobs.push((handbook.to_string(), "handbook.pdf".to_string())),
        PdfTarget::Worksheets => worksheet_jobs(&mut jobs),
        PdfTarget::All => {
            jobs.push((handbook.to_string(), "handbook.pdf".to_string()));
            for s in content.sections.iter().skip(1) {
                let html = layout::section_print(&s.out_dir);
                jobs.push((
                    html.to_string(),
                    format!("section-{}.pdf", s.out_dir.replace('/', "-")),
                ));
            }
            worksheet_jobs(&mut jobs);
        }
        PdfTarget::Edition(a) => jobs.push((
            layout::edition(&content.prefix, *a).to_string(),
            format!("handbook-{}.pdf", a.name()),
        )),
        PdfTarget::Kit(n) => jobs.push((
            layout::kit(&content.prefix, *n).to_string(),
            format!("kit-session-{n}.pdf"),
        )),
        PdfTarget::Page(wanted) => {
            let w = wanted
                .trim_start_matches("./")
                .trim_start_matches("content/");
            let page = content
                .pages
                .iter()
                .find(|p| p.rel == w || p.out == w || p.out == format!("{w}.html") || p.source == *wanted)
                .ok_or_else(|| {
                    Error::Usage(format!(
                        "no page `{wanted}`: give a file of content/ (e.g. `content/fiches/seance-1.md`) or an output path"
                    ))
                })?;
            let name = unique_names(vec![page.out.as_str()]).remove(0);
            jobs.push((page.out.to_string(), name));
        }
    }
    if jobs.iter().any(|(h, _)| !has(h)) {
        return Err(Error::Usage(
            "print pages are disabled (`print: false` in mentorbook.yaml)".into(),
        ));
    }
    Ok(jobs)
}

/// `fiches/seance-1.html` → `seance-1.pdf`, or the dashed path when two stems collide.
fn unique_names(outs: Vec<&str>) -> Vec<String> {
    let stem = |o: &str| {
        let file = o.rsplit('/').next().unwrap_or(o);
        file.strip_suffix(".html").unwrap_or(file).to_string()
    };
    outs.iter()
        .map(|o| {
            let s = stem(o);
            let clash = outs.iter().filter(|x| stem(x) == s).count() > 1 || s == "index";
            if clash {
                format!(
                    "{}.pdf",
                    o.strip_suffix(".html").unwrap_or(o).replace('/', "-")
                )
            } else {
                format!("{s}.pdf")
            }
        })
        .collect()
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

fn spawn(chrome: &Path, html: &Path, pdf: &Path, profile: &Path) -> Result<Child> {
    let mut cmd = Command::new(chrome);
    cmd.args([
        "--headless",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--no-pdf-header-footer",
        "--run-all-compositor-stages-before-draw",
    ]);
    if running_as_root() {
        // Chromium refuses to run as root with its sandbox on.
        cmd.arg("--no-sandbox");
    }
    cmd.arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", html.display()))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    cmd.spawn()
        .map_err(|e| Error::io("cannot start Chromium", chrome, e))
}

fn wait(mut child: Child, pdf: &Path) -> Result<()> {
    let start = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(status)) => {
                let ok = status.success() && std::fs::metadata(pdf).is_ok_and(|m| m.len() > 0);
                if ok {
                    return Ok(());
                }
                let mut err = String::new();
                if let Some(mut e) = child.stderr.take() {
                    use std::io::Read;
                    let _ = e.read_to_string(&mut err);
                }
                let last = err
                    .lines()
                    .rfind(|l| !l.trim().is_empty())
                    .unwrap_or("")
                    .to_string();
                return Err(Error::Usage(format!(
                    "Chromium could not print `{}`: {last}",
                    pdf.display()
                )));
            }
            Ok(None) if start.elapsed() > PRINT_TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(Error::Usage(format!(
                    "Chromium took over {} s to print `{}`",
                    PRINT_TIMEOUT.as_secs(),
                    pdf.display()
                )));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(50)),
            Err(e) => return Err(Error::io("cannot wait for Chromium printing", pdf, e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pdf_names_are_short_and_unique() {
        assert_eq!(
            unique_names(vec!["a/seance-1.html", "b/charte.html"]),
            ["seance-1.pdf", "charte.pdf"]
        );
        assert_eq!(
            unique_names(vec!["a/x.html", "b/x.html"]),
            ["a-x.pdf", "b-x.pdf"]
        );
    }
}

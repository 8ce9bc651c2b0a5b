//! Building a site: load content, render every page in parallel into memory,
//! check links and anchors, then write the output atomically.
//!
//! [`render_site`] is shared by `build`, `check` and `serve`; only `build` writes,
//! through [`output::write_atomic`], which swaps a complete staging folder in.

pub mod languages;
pub mod output;
pub mod print;
pub mod programme;
pub mod rendering;
pub mod session;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::config::Config;
use crate::content::Content;
use crate::diagnostic::{Diagnostic, sort_diagnostics};
use crate::error::{Error, Result};
use crate::render::{SiteContext, Theme};

pub use output::{OutFile, SiteOutput};
pub use rendering::Rendering;

/// Options shared by `build`, `check` and `serve`.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Output folder (default `public/` in the site root).
    pub out: Option<PathBuf>,
    /// Include drafts.
    pub drafts: bool,
    /// Warnings become errors.
    pub strict: bool,
    /// Only validate (`check`): skip outputs that add no validation, such as print pages.
    pub check_only: bool,
}

/// What a build produced.
#[derive(Debug)]
pub struct Built {
    /// The files, by output path.
    pub output: SiteOutput,
    /// Warnings (errors make the build fail instead).
    pub warnings: Vec<Diagnostic>,
    /// Number of pages (section indexes included).
    pub pages: usize,
    /// Number of worksheets.
    pub worksheets: usize,
    /// How long rendering took.
    pub elapsed: Duration,
    /// Time spent in each phase, for `--verbose`.
    pub timings: Timings,
}

/// Time spent in each phase of a build, in order.
#[derive(Debug, Default, Clone)]
pub struct Timings(pub Vec<(&'static str, Duration)>);

impl Timings {
    /// Records the time since `since` under `phase`, and returns now.
    pub fn lap(&mut self, phase: &'static str, since: Instant) -> Instant {
        let now = Instant::now();
        self.0.push((phase, now - since));
        now
    }

    /// `load 12 ms, markdown 30 ms, …`
    pub fn summary(&self) -> String {
        self.0
            .iter()
            .map(|(p, d)| format!("{p} {} ms", d.as_millis()))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Renders the whole site in memory. Every problem found is returned, errors
/// first making the result `Err`.
pub fn render_site(config: &Config, opts: &BuildOptions) -> Result<Built> {
    let start = Instant::now();
    let timings = Timings::default();
    languages::render_parts(config, opts, start, timings)
}

/// Sorts the diagnostics of a build, applies `--strict`, and fails on errors.
pub(crate) fn finish(
    output: SiteOutput,
    content: &Content,
    mut diags: Vec<Diagnostic>,
    opts: &BuildOptions,
    start: Instant,
    timings: Timings,
) -> Result<Built> {
    sort_and_apply_strict(&mut diags, opts.strict);
    if diags.iter().any(Diagnostic::is_error) {
        return Err(Error::Content(diags));
    }
    Ok(Built {
        output,
        warnings: diags,
        pages: content.pages.len(),
        worksheets: content.worksheets().count(),
        elapsed: start.elapsed(),
        timings,
    })
}

pub(crate) fn fail(mut diags: Vec<Diagnostic>, strict: bool) -> Error {
    sort_and_apply_strict(&mut diags, strict);
    Error::Content(diags)
}

/// Sorts diagnostics and, with `--strict`, turns warnings into errors.
fn sort_and_apply_strict(diags: &mut Vec<Diagnostic>, strict: bool) {
    sort_diagnostics(diags);
    if strict {
        for d in diags.iter_mut() {
            d.severity = crate::diagnostic::Severity::Error;
        }
    }
}

fn special_pages(
    config: &Config,
    theme: &Theme,
    site: &SiteContext,
    out: &mut SiteOutput,
    content: &Content,
    diags: &mut Vec<Diagnostic>,
) {
    if theme.has_template("404.html") && !out.files.contains_key("404.html") {
        // A 404 page is served at any depth: its links must not be relative.
        let root = config.base_url.as_deref().unwrap_or("/");
        let title = theme.strings.get("not_found_title");
        let ctx = site.special_context_at(theme, "404.html", root, &title, &config.lang);
        match ctx.and_then(|ctx| theme.render("404.html", &ctx)) {
            Ok(h) => {
                out.files
                    .insert("404.html".into(), OutFile::Bytes(h.into_bytes()));
            }
            Err(d) => diags.push(d),
        }
    }
    if let Some(base) = &config.base_url {
        let mut xml = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
        );
        for &id in &content.order {
            let p = &content.pages[id];
            let url = format!("{base}{}", p.out.trim_end_matches("index.html"));
            xml.push_str(&format!(
                "  <url><loc>{}</loc></url>\n",
                crate::text::escape_html(&url)
            ));
        }
        xml.push_str("</urlset>\n");
        out.files
            .insert("sitemap.xml".into(), OutFile::Bytes(xml.into_bytes()));
    }
}

/// Builds the site and writes it to the output folder, atomically.
pub fn build(config: &Config, opts: &BuildOptions) -> Result<(Built, PathBuf)> {
    let built = render_site(config, opts)?;
    let out_dir = opts.out.clone().unwrap_or_else(|| config.default_output());
    let out_dir = if out_dir.is_absolute() {
        out_dir
    } else {
        std::env::current_dir()
            .map_err(|e| Error::io("cannot read the current folder", &out_dir, e))?
            .join(out_dir)
    };
    output::check_output_dir(config, &out_dir)?;
    let start = Instant::now();
    output::write_atomic(&built.output, &out_dir)?;
    let mut built = built;
    built.timings.lap("write", start);
    Ok((built, out_dir))
}

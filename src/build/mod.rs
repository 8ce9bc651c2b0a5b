//! Building a site: load content, render every page in parallel into memory,
//! check links and anchors, then write the output atomically.
//!
//! [`render_site`] is shared by `build`, `check` and `serve`; only `build` writes,
//! through [`output::write_atomic`], which swaps a complete staging folder in.

pub mod output;
pub mod print;
pub mod rendering;
pub mod session;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::config::Config;
use crate::content::{self, Content, LoadOptions};
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
}

/// Renders the whole site in memory. Every problem found is returned, errors
/// first making the result `Err`.
pub fn render_site(config: &Config, opts: &BuildOptions) -> Result<Built> {
    let start = Instant::now();
    let mut diags = Vec::new();
    let content = content::load(
        config,
        LoadOptions {
            drafts: opts.drafts,
        },
        &mut diags,
    );
    let Some(theme) = Theme::load(config, &mut diags) else {
        return Err(fail(diags, opts.strict));
    };
    let output = render_content(config, &theme, &content, &mut diags);
    finish(output, &content, diags, opts, start)
}

/// Sorts the diagnostics of a build, applies `--strict`, and fails on errors.
pub(crate) fn finish(
    output: SiteOutput,
    content: &Content,
    mut diags: Vec<Diagnostic>,
    opts: &BuildOptions,
    start: Instant,
) -> Result<Built> {
    sort_diagnostics(&mut diags);
    if opts.strict {
        for d in &mut diags {
            d.severity = crate::diagnostic::Severity::Error;
        }
    }
    if diags.iter().any(Diagnostic::is_error) {
        return Err(Error::Content(diags));
    }
    Ok(Built {
        output,
        warnings: diags,
        pages: content.pages.len(),
        worksheets: content.worksheets().count(),
        elapsed: start.elapsed(),
    })
}

pub(crate) fn fail(mut diags: Vec<Diagnostic>, strict: bool) -> Error {
    sort_diagnostics(&mut diags);
    if strict {
        for d in &mut diags {
            d.severity = crate::diagnostic::Severity::Error;
        }
    }
    Error::Content(diags)
}

/// Renders loaded content with a loaded theme.
pub fn render_content(
    config: &Config,
    theme: &Theme,
    content: &Content,
    diags: &mut Vec<Diagnostic>,
) -> SiteOutput {
    Rendering::new(config, theme, content).output(config, theme, content, diags)
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
        let mut ctx = site.special_context(
            "404.html",
            &theme.strings.get("not_found_title"),
            &config.lang,
        );
        // A 404 page is served at any depth: its links must not be relative.
        ctx.insert("root", config.base_url.as_deref().unwrap_or("/"));
        match theme.render("404.html", &ctx) {
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
    output::write_atomic(&built.output, &out_dir)?;
    Ok((built, out_dir))
}

//! Building a site: load content, render every page in parallel into memory,
//! check links and anchors, then write the output atomically.
//!
//! [`render_site`] is shared by `build`, `check` and `serve`; only `build` writes,
//! through [`output::write_atomic`], which swaps a complete staging folder in.

pub mod output;

use std::collections::HashSet;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::config::Config;
use crate::content::{self, Content, LoadOptions};
use crate::diagnostic::{Diagnostic, sort_diagnostics};
use crate::error::{Error, Result};
use crate::markdown::{self, LinkMode};
use crate::render::hooks::ThemeHooks;
use crate::render::{SiteContext, StaticSource, Theme};

pub use output::{OutFile, SiteOutput};

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

fn fail(mut diags: Vec<Diagnostic>, strict: bool) -> Error {
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
    let opts = markdown::Options {
        typography: config.typography,
        safe_html: config.safe_html,
    };
    let hooks = ThemeHooks { theme };
    let rendered: Vec<markdown::Rendered> = content
        .pages
        .par_iter()
        .map(|p| markdown::render(content, p, &opts, &hooks, LinkMode::Web))
        .collect();
    let ids: Vec<HashSet<String>> = rendered.iter().map(|r| r.ids.clone()).collect();
    for (i, r) in rendered.iter().enumerate() {
        diags.extend(r.diagnostics.iter().cloned());
        markdown::check_anchors(content, i, &r.anchors, &ids, diags);
    }

    let site = SiteContext::new(config, theme, content);
    let pages: Vec<(String, std::result::Result<String, Diagnostic>)> = content
        .pages
        .par_iter()
        .zip(rendered.par_iter())
        .map(|(p, md)| (p.out.clone(), theme.render_page(&site, content, p, md)))
        .collect();

    let mut out = SiteOutput::default();
    let mut origin: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    for (path, source) in theme.statics.iter() {
        let file = match source {
            StaticSource::Embedded(b) => OutFile::Static(b),
            StaticSource::Disk(p) => OutFile::Copy(p.clone()),
        };
        out.files.insert(path.clone(), file);
        origin.insert(path.clone(), format!("static file `{path}`"));
    }
    for a in &content.assets {
        out.files
            .insert(a.out.clone(), OutFile::Copy(a.abs.clone()));
        origin.insert(a.out.clone(), format!("content/{}", a.rel));
    }
    let mut template_errors = Vec::new();
    for ((path, html), page) in pages.into_iter().zip(&content.pages) {
        match html {
            Ok(h) => {
                if let Some(other) = origin.get(&path) {
                    diags.push(Diagnostic::error(
                        &page.source,
                        0,
                        0,
                        format!("`{}` and {other} both produce `{path}`", page.source),
                    ));
                }
                out.files.insert(path, OutFile::Bytes(h.into_bytes()));
            }
            Err(d) => template_errors.push(d),
        }
    }
    diags.extend(template_errors);
    special_pages(config, theme, &site, content, &mut out, diags);
    if config.search {
        search_index(content, &rendered, &origin, &mut out, diags);
    }
    out
}

/// Adds `search-index.js`, unless a static file or asset already has that name.
fn search_index(
    content: &Content,
    rendered: &[markdown::Rendered],
    origin: &std::collections::HashMap<String, String>,
    out: &mut SiteOutput,
    diags: &mut Vec<Diagnostic>,
) {
    let name = crate::search::INDEX_FILE;
    if let Some(other) = origin.get(name) {
        // A content file is the likely culprit; a theme's static file is reported on the config.
        let file = if other.starts_with("content/") {
            other.as_str()
        } else {
            crate::config::CONFIG_FILE
        };
        diags.push(
            Diagnostic::error(
                file,
                0,
                0,
                format!("{other} and the search index both produce `{name}`"),
            )
            .with_help("rename that file, or set `search: false` in mentorbook.yaml"),
        );
        return;
    }
    let entries = crate::search::entries(content, rendered);
    let js = crate::search::build_index(&entries);
    out.files
        .insert(name.into(), OutFile::Bytes(js.into_bytes()));
}

fn special_pages(
    config: &Config,
    theme: &Theme,
    site: &SiteContext,
    content: &Content,
    out: &mut SiteOutput,
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

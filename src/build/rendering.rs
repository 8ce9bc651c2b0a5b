//! Rendering loaded content, stage by stage, keeping each page's results so that
//! `serve` can render again only the pages whose body changed.
//!
//! Stages of [`Rendering::new`]: every page's Markdown (web mode), the shared
//! template values, every page through its template, then the print files
//! (each member's Markdown in print mode, then the `print.html` template) and
//! the worksheet index. [`Rendering::output`] then checks anchors across pages
//! and gathers every file, with the static files, assets and special pages.
//! `build` runs both once; `serve` keeps the [`Rendering`] and calls
//! [`Rendering::rerender`] for pages whose body alone changed.

use std::collections::HashSet;
use std::sync::Arc;

use rayon::prelude::*;

use crate::build::Timings;
use crate::build::output::{OutFile, SiteOutput};
use crate::build::print::{self, PrintInputs, PrintKind};
use crate::config::Config;
use crate::content::{Content, PageId};
use crate::diagnostic::Diagnostic;
use crate::markdown::{self, LinkMode};
use crate::render::hooks::ThemeHooks;
use crate::render::{SiteContext, StaticSource, Theme};

/// A rendered file: its output path and shared bytes, or why it failed.
type Rendered = Result<(String, Arc<[u8]>), Diagnostic>;
/// A rendered page's bytes, or why its template failed.
type PageHtml = Result<Arc<[u8]>, Diagnostic>;

/// One print file and the print-mode HTML of each of its members.
struct PrintFile {
    kind: PrintKind,
    members: Vec<PageId>,
    htmls: Vec<String>,
    file: Rendered,
}

/// Every stage's results for one content, page by page.
pub struct Rendering {
    opts: markdown::Options,
    site: SiteContext,
    numbers: Vec<String>,
    /// Each page's Markdown in web mode, by page id.
    pub md: Vec<markdown::Rendered>,
    pages: Vec<PageHtml>,
    prints: Vec<PrintFile>,
    print_cache: print::PrintCache,
    worksheet_index: Option<Rendered>,
    programme_files: Vec<Rendered>,
    search_words: std::sync::Mutex<crate::search::WordsCache>,
}

impl std::fmt::Debug for Rendering {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rendering")
            .field("pages", &self.pages.len())
            .field("prints", &self.prints.len())
            .finish_non_exhaustive()
    }
}

fn md_options(config: &Config, extras: bool) -> markdown::Options {
    markdown::Options {
        typography: config.typography,
        safe_html: config.safe_html,
        collect_text: config.search && extras,
        edition: None,
        html: extras,
    }
}

fn shared(r: Result<(String, String), Diagnostic>) -> Rendered {
    r.map(|(path, html)| (path, Arc::from(html.into_bytes())))
}

impl Rendering {
    /// Renders every page of `content`, and with `extras` its print files and
    /// worksheet index (`check` leaves them out). Records the phases in
    /// `timings` from `lap`, and returns the time the last one ended.
    pub fn new(
        config: &Config,
        theme: &Theme,
        content: &Content,
        extras: bool,
        timings: &mut Timings,
        lap: std::time::Instant,
    ) -> (Self, std::time::Instant) {
        let opts = md_options(config, extras);
        let hooks = ThemeHooks {
            theme,
            typography: config.typography,
        };
        let md: Vec<markdown::Rendered> = content
            .pages
            .par_iter()
            .map(|p| markdown::render(content, p, &opts, &hooks, LinkMode::Web))
            .collect();
        let lap = timings.lap("markdown", lap);
        let site = SiteContext::new(config, theme, content);
        let pages = content
            .pages
            .par_iter()
            .zip(md.par_iter())
            .map(|(p, m)| {
                if extras {
                    theme
                        .render_page(&site, content, p, m)
                        .map(|h| Arc::from(h.into_bytes()))
                } else {
                    // `check`: templates still run (their errors count), into nothing.
                    theme
                        .check_page(&site, content, p, m)
                        .map(|()| Arc::from(Vec::new()))
                }
            })
            .collect();
        let lap = timings.lap("templates", lap);
        let mut r = Self {
            opts,
            site,
            numbers: print::numbers(content),
            md,
            pages,
            prints: Vec::new(),
            print_cache: print::PrintCache::new(content.pages.len()),
            worksheet_index: None,
            programme_files: Vec::new(),
            search_words: std::sync::Mutex::default(),
        };
        if !(config.print && extras) {
            return (r, lap);
        }
        {
            let inputs = r.print_inputs(config, theme, content, &opts, &hooks);
            let prints = print::kinds(content, config.programme.as_ref())
                .into_par_iter()
                .map(|kind| {
                    let members = print::members(content, kind);
                    let htmls =
                        print::members_html(&inputs, kind, &members, &members, &r.print_cache);
                    let file = shared(print::assemble(&inputs, kind, &members, &htmls));
                    PrintFile {
                        kind,
                        members,
                        htmls,
                        file,
                    }
                })
                .collect();
            let index = (content.worksheets().next().is_some())
                .then(|| shared(print::worksheet_index(&inputs)));
            let mut files = Vec::new();
            if let Some(programme) = &config.programme {
                let name = super::programme::name(
                    config,
                    theme.vars.values.get("programme").map(String::as_str),
                );
                files.push(shared(super::programme::timeline(
                    &inputs, programme, &name,
                )));
                if let Some(ics) = super::programme::calendar(
                    content,
                    programme,
                    &name,
                    &theme.strings.get("session"),
                ) {
                    files.push(shared(Ok(ics)));
                }
            }
            r.prints = prints;
            r.worksheet_index = index;
            r.programme_files = files;
        }
        let lap = timings.lap("print pages", lap);
        (r, lap)
    }

    fn print_inputs<'a>(
        &'a self,
        config: &'a Config,
        theme: &'a Theme,
        content: &'a Content,
        opts: &'a markdown::Options,
        hooks: &'a ThemeHooks<'a>,
    ) -> PrintInputs<'a> {
        PrintInputs {
            content,
            theme,
            site: &self.site,
            opts,
            hooks,
            numbers: &self.numbers,
            lang: &config.lang,
            site_title: &config.title,
            programme: config.programme.as_ref(),
        }
    }

    /// Renders again the pages `changed`, whose body alone changed: `content`
    /// must be the content this rendering was made from with only those pages'
    /// bodies replaced (same pages, titles, order, front matter, assets), and
    /// `config` and `theme` the same. Everything that shows a page's body is
    /// redone: the page itself and the print files that include it. Titles and
    /// order being unchanged, no other page's navigation can change. Whole-site
    /// steps (anchor checks, special pages) run again in [`Rendering::output`].
    ///
    /// If a page ever shows something of another page's *body* (an excerpt, a
    /// reading time, an include), this must redo that page too: the serve tests
    /// (`MENTORBOOK_SERVE_VERIFY=1`) compare every partial rebuild with a complete one.
    pub fn rerender(
        &mut self,
        config: &Config,
        theme: &Theme,
        content: &Content,
        changed: &[PageId],
    ) {
        let opts = self.opts;
        let hooks = ThemeHooks {
            theme,
            typography: config.typography,
        };
        let redone: Vec<(PageId, markdown::Rendered, PageHtml)> = changed
            .par_iter()
            .map(|&id| {
                let p = &content.pages[id];
                let md = markdown::render(content, p, &opts, &hooks, LinkMode::Web);
                let html = theme
                    .render_page(&self.site, content, p, &md)
                    .map(|h| Arc::from(h.into_bytes()));
                (id, md, html)
            })
            .collect();
        for (id, md, html) in redone {
            self.md[id] = md;
            self.pages[id] = html;
        }
        if let Ok(mut words) = self.search_words.lock() {
            words.forget(changed);
        }
        if self.prints.is_empty() {
            return;
        }
        self.print_cache.forget(changed);
        let changed: HashSet<PageId> = changed.iter().copied().collect();
        let mut prints = std::mem::take(&mut self.prints);
        {
            let inputs = self.print_inputs(config, theme, content, &opts, &hooks);
            prints.par_iter_mut().for_each(|pf| {
                let positions: Vec<usize> = (0..pf.members.len())
                    .filter(|&i| changed.contains(&pf.members[i]))
                    .collect();
                if positions.is_empty() {
                    return;
                }
                let which: Vec<PageId> = positions.iter().map(|&i| pf.members[i]).collect();
                let htmls =
                    print::members_html(&inputs, pf.kind, &pf.members, &which, &self.print_cache);
                for (i, h) in positions.into_iter().zip(htmls) {
                    pf.htmls[i] = h;
                }
                pf.file = shared(print::assemble(&inputs, pf.kind, &pf.members, &pf.htmls));
            });
        }
        self.prints = prints;
    }

    /// Checks anchors across pages and gathers every output file.
    pub fn output(
        &self,
        config: &Config,
        theme: &Theme,
        content: &Content,
        diags: &mut Vec<Diagnostic>,
    ) -> SiteOutput {
        let ids: Vec<&HashSet<String>> = self.md.iter().map(|r| &r.ids).collect();
        for (i, r) in self.md.iter().enumerate() {
            diags.extend(r.diagnostics.iter().cloned());
            markdown::check_anchors(content, i, &r.anchors, &ids, diags);
        }
        let mut out = SiteOutput::default();
        for (path, source) in theme.statics.iter() {
            let file = match source {
                StaticSource::Embedded(b) => OutFile::Static(b),
                StaticSource::Disk(p) => OutFile::Copy(p.clone()),
            };
            out.add(path, file, format!("the static file `{path}`"), diags);
        }
        for a in &content.assets {
            out.add(
                &a.out,
                OutFile::Copy(a.abs.clone()),
                format!("`content/{}`", a.rel),
                diags,
            );
        }
        for (html, page) in self.pages.iter().zip(&content.pages) {
            match html {
                Ok(h) => out.add(
                    &page.out,
                    OutFile::Shared(h.clone()),
                    format!("`{}`", page.source),
                    diags,
                ),
                Err(d) => diags.push(d.clone()),
            }
        }
        for pf in &self.prints {
            match &pf.file {
                Ok((path, html)) => out.add(
                    path,
                    OutFile::Shared(html.clone()),
                    "a generated print page".into(),
                    diags,
                ),
                Err(d) => diags.push(d.clone()),
            }
        }
        match &self.worksheet_index {
            Some(Ok((path, html))) => out.add(
                path,
                OutFile::Shared(html.clone()),
                "the generated worksheet index".into(),
                diags,
            ),
            Some(Err(d)) => diags.push(d.clone()),
            None => {}
        }
        for f in &self.programme_files {
            match f {
                Ok((path, bytes)) => out.add(
                    path,
                    OutFile::Shared(bytes.clone()),
                    "the programme timeline".into(),
                    diags,
                ),
                Err(d) => diags.push(d.clone()),
            }
        }
        super::programme::check_phases(config, content, diags);
        if self.opts.collect_text {
            // Built from the web rendering, so result anchors match the pages.
            let js = match self.search_words.lock() {
                Ok(mut cache) => cache.build(content, &self.md),
                Err(_) => crate::search::build_index(&crate::search::entries(content, &self.md)),
            };
            let path = format!("{}{}", content.prefix, crate::search::INDEX_FILE);
            out.add(
                &path,
                OutFile::Bytes(js.into_bytes()),
                "the search index".into(),
                diags,
            );
        }
        super::special_pages(config, theme, &self.site, &mut out, content, diags);
        out
    }
}

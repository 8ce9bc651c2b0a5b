//! The site builder: one pipeline for `build`, `check`, `serve` and `pdf`.
//!
//! 1. **load** ([`load`]): the configuration's languages, each one's pages read
//!    and parsed once into a [`Doc`](crate::markdown::Doc), titles set, links
//!    resolved ([`links`]);
//! 2. **plan** ([`plan`]): every output file and what produces it, collisions
//!    with generated files reported at the content file;
//! 3. **output** ([`Site::write`]): every planned file produced in parallel —
//!    pages and print files are serialisations of the same docs
//!    ([`serialise`], [`print`](mod@print)) put through the theme's templates — and handed
//!    to a [`Sink`]: a staging folder swapped in at the end (`build`), memory
//!    (`serve`), or nowhere (`check`, where templates still run for their errors).
//!
//! `check` and `build` run the same steps and so report the same problems.

pub mod layout;
pub mod links;
pub mod load;
pub mod migration;
pub mod output;
pub mod pageref;
pub mod plan;
pub mod print;
pub mod programme;
pub mod publish;
pub mod serialise;
pub mod session;
pub mod special;
pub mod wikilinks;

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, sort_diagnostics};
use crate::error::{Error, Result};
use crate::markdown::doc::Bodies;
use crate::paths::OutPath;
use crate::progress::Progress;
use crate::render::{Body, Generated, SiteContext, StaticSource, Theme};
use crate::search::WordsCache;
use crate::store::Store;

pub use load::Lang;
pub use output::{OutFile, Sink, SiteOutput};
pub use plan::{Job, Plan, PrintKind};

/// Options shared by `build`, `check`, `serve` and `pdf`.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Output folder (default `public/` in the site root).
    pub out: Option<PathBuf>,
    /// Include drafts.
    pub drafts: bool,
    /// Warnings become errors.
    pub strict: bool,
    /// `build --zip`: also write the output as one zip beside the output folder.
    pub zip: bool,
    /// `build --scorm`: also write a SCORM 1.2 package beside the output folder.
    pub scorm: bool,
    /// Bytes of Markdown and parsed bodies kept in memory before the rest goes to
    /// a temporary file (`None`: from [`store::BUDGET_ENV`](crate::store::BUDGET_ENV),
    /// else [`store::DEFAULT_BUDGET`](crate::store::DEFAULT_BUDGET)).
    /// The output does not depend on it.
    pub memory_budget: Option<u64>,
    /// Where the phases report how far they are (silent by default; `build` and
    /// `check` draw a line on a terminal for long builds).
    pub progress: Progress,
}

impl BuildOptions {
    /// The store pages and bodies are kept in.
    pub fn store(&self) -> Arc<Store> {
        Store::new(
            self.memory_budget
                .or_else(crate::store::budget_from_env)
                .unwrap_or(crate::store::DEFAULT_BUDGET),
        )
    }
}

/// What a build produced.
#[derive(Debug)]
pub struct Built {
    /// The files, by output path (empty unless built into memory).
    pub output: SiteOutput,
    /// Warnings (errors make the build fail instead).
    pub warnings: Vec<Diagnostic>,
    /// Number of pages (section indexes included), every language counted.
    pub pages: usize,
    /// Number of worksheets, every language counted.
    pub worksheets: usize,
    /// How long it took.
    pub elapsed: Duration,
    /// Time spent in each phase, for `--verbose`.
    pub timings: Timings,
    /// For an imported handbook (`imported_from:`): its migration summary.
    pub migration: Option<migration::Summary>,
}

/// Time spent in each phase of a build, in order, and CPU time by kind of work.
#[derive(Debug, Default, Clone)]
pub struct Timings {
    /// Wall-clock time of each phase.
    pub phases: Vec<(&'static str, Duration)>,
    /// CPU time summed over threads, by kind of work.
    pub cpu: Vec<(&'static str, Duration)>,
    /// Resident memory at the end of each phase, in bytes (where the OS tells it).
    pub memory: Vec<(&'static str, u64)>,
    /// Bytes of Markdown and parsed bodies written to the temporary file.
    pub spilled: u64,
}

impl Timings {
    /// Records the time since `since` under `phase`, and returns now.
    pub fn lap(&mut self, phase: &'static str, since: Instant) -> Instant {
        let now = Instant::now();
        self.phases.push((phase, now - since));
        if let Some(m) = resident_memory() {
            self.memory.push((phase, m));
        }
        now
    }

    /// `load 12 ms, markdown 30 ms, …; cpu: markdown 50 ms, …`
    pub fn summary(&self) -> String {
        let list = |v: &[(&'static str, Duration)]| {
            v.iter()
                .map(|(p, d)| format!("{p} {:.1} ms", d.as_secs_f64() * 1000.0))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut s = list(&self.phases);
        if !self.cpu.is_empty() {
            s = format!("{s}; cpu time: {}", list(&self.cpu));
        }
        if !self.memory.is_empty() {
            let mem = self
                .memory
                .iter()
                .map(|(p, b)| format!("{p} {} MB", b / 1_000_000))
                .collect::<Vec<_>>()
                .join(", ");
            s = format!("{s}; peak memory after: {mem}");
        }
        if self.spilled > 0 {
            s = format!(
                "{s}; {:.1} MB kept in a temporary file",
                self.spilled as f64 / 1e6
            );
        }
        s
    }

    /// The CPU time recorded under `kind`.
    pub fn cpu_of(&self, kind: &str) -> Duration {
        self.cpu
            .iter()
            .filter(|(k, _)| *k == kind)
            .map(|(_, d)| *d)
            .sum()
    }
}

/// The process's peak resident memory so far (Linux: `VmHWM`), in bytes.
fn resident_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// CPU time by kind of job, summed across threads.
#[derive(Debug, Default)]
struct Clock([AtomicU64; 5]);

impl Clock {
    const KINDS: [&'static str; 5] = ["pages", "print pages", "search", "markdown", "other"];

    fn add(&self, kind: usize, d: Duration) {
        let nanos = u64::try_from(d.as_nanos()).unwrap_or(u64::MAX);
        self.0[kind].fetch_add(nanos, Ordering::Relaxed);
    }

    fn report(&self) -> Vec<(&'static str, Duration)> {
        Self::KINDS
            .iter()
            .zip(&self.0)
            .map(|(k, v)| (*k, Duration::from_nanos(v.load(Ordering::Relaxed))))
            .collect()
    }
}

/// A handbook loaded, parsed, resolved and planned: everything its outputs are
/// made from. `serve` keeps one between rebuilds.
pub struct Site {
    /// The configuration.
    pub config: Config,
    /// The theme (templates parsed once for every language).
    pub theme: Theme,
    /// Every language, the default first.
    pub langs: Vec<Lang>,
    /// Every output file and what produces it.
    pub plan: Plan,
    sites: Vec<SiteContext>,
    numbers: Vec<Vec<String>>,
    anchors: Vec<Vec<String>>,
    /// Problems loading the theme.
    theme_diags: Vec<Diagnostic>,
    /// Problems across languages, of the plan and of the programme.
    shared: Vec<Diagnostic>,
    /// By language, then by part of its search index.
    words: Vec<Vec<Mutex<WordsCache>>>,
    /// Whether the search words of every page are kept for the next build
    /// (`serve`); a one-off build tokenizes and forgets. Print files are kept
    /// too ([`print::PrintCache`]).
    cache_words: bool,
    prints: print::PrintCache,
    /// Bodies last read back from the store, shared by a page's web and print files.
    bodies: Bodies,
    markdown_cpu: Duration,
    /// Where the pages' Markdown and parsed bodies are kept.
    pub store: Arc<Store>,
    /// Where writing reports how far it is.
    progress: Progress,
}

impl std::fmt::Debug for Site {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Site")
            .field("langs", &self.langs)
            .field("files", &self.plan.jobs.len())
            .finish_non_exhaustive()
    }
}

/// Chooses which planned files a partial write produces.
pub type JobFilter<'a> = &'a (dyn Fn(&str, &Job) -> bool + Sync);

/// One language's share of the site, as producers see it.
pub struct Part<'a> {
    /// The configuration as the language sees it.
    pub config: &'a Config,
    /// The theme.
    pub theme: &'a Theme,
    /// The language.
    pub lang: &'a Lang,
    /// Values shared by its templates.
    pub site: &'a SiteContext,
    /// What the plan generates for it.
    pub generated: &'a Generated,
    /// Chapter numbers of its pages, by page id.
    pub numbers: &'a [String],
    /// Print anchors of its pages, by page id.
    pub anchors: &'a [String],
    /// Whether bytes are kept (`false` for `check`: templates only run).
    pub keep: bool,
    /// The handbook's default language.
    pub default_lang: &'a str,
    /// The language's place in [`Site::langs`].
    pub index: usize,
    /// Bodies last read back from the store.
    pub bodies: &'a Bodies,
}

impl Part<'_> {
    /// The handbook's default language (the one texts fall back to).
    pub fn root_lang(&self) -> &str {
        self.default_lang
    }

    /// A text of the configuration with this language's typography (smart
    /// punctuation, quotation marks, spacing).
    pub fn display(&self, s: &str) -> String {
        crate::typography::display(
            s,
            self.config.typography == crate::config::Typography::Fr,
            crate::config::Typography::french_quotes(&self.config.lang),
        )
    }
}

impl Site {
    /// Loads, parses and plans the handbook of `config`. Fails only when the theme
    /// cannot be used at all; every other problem is in [`Site::diagnostics`].
    pub fn load(config: &Config, opts: &BuildOptions, timings: &mut Timings) -> Result<Site> {
        let start = Instant::now();
        let mut theme_diags = Vec::new();
        let Some(theme) = Theme::load(config, &mut theme_diags) else {
            return Err(fail(theme_diags, opts.strict));
        };
        let lap = timings.lap("theme", start);
        let store = opts.store();
        opts.progress.phase("reading pages", 0);
        let read = load::read(config, opts.drafts, &store);
        let lap = timings.lap("read", lap);
        let pages = read.iter().map(|(_, c, _)| c.pages.len()).sum();
        opts.progress.phase("parsing pages", pages);
        let loaded = load::load(config, &theme, read, &|_, _| None, &store);
        let lap = timings.lap("markdown and links", lap);
        opts.progress.phase("planning the output", 0);
        let mut site = Site::assemble(config.clone(), theme, theme_diags, loaded, store);
        site.progress = opts.progress.clone();
        timings.lap("plan", lap);
        Ok(site)
    }

    /// Plans the output of loaded languages and prepares what templates share.
    pub fn assemble(
        config: Config,
        theme: Theme,
        theme_diags: Vec<Diagnostic>,
        loaded: load::Loaded,
        store: Arc<Store>,
    ) -> Site {
        let load::Loaded {
            langs,
            mut shared,
            markdown_cpu,
        } = loaded;
        let plan = Plan::make(&config, &theme, &langs, &mut shared);
        let outputs: Arc<std::collections::HashSet<OutPath>> =
            Arc::new(plan.jobs.keys().cloned().collect());
        let sites = langs
            .iter()
            .zip(&plan.generated)
            .map(|(l, g)| {
                SiteContext::new(&l.config, &theme, &l.ui, &l.content, g, outputs.clone())
            })
            .collect();
        let numbers = langs.iter().map(|l| plan::numbers(&l.content)).collect();
        let anchors = langs
            .iter()
            .map(|l| {
                (0..l.content.pages.len())
                    .map(layout::page_anchor)
                    .collect()
            })
            .collect();
        let words = langs
            .iter()
            .map(|l| {
                let parts = if config.search {
                    crate::search::parts(&l.content, &l.docs)
                } else {
                    0
                };
                (0..parts).map(|_| Mutex::default()).collect()
            })
            .collect();
        if let Some(first) = langs.first() {
            programme::check_phases(&config, &first.content, &mut shared);
        }
        for l in &langs {
            programme::check_sessions(&config, &l.content, &mut shared);
            load::duplicate_titles(&l.content, &mut shared);
        }
        Site {
            config,
            theme,
            langs,
            plan,
            sites,
            numbers,
            anchors,
            theme_diags,
            shared,
            words,
            cache_words: false,
            progress: Progress::silent(),
            prints: print::PrintCache::default(),
            bodies: Bodies::default(),
            markdown_cpu,
            store,
        }
    }

    /// Keeps every page's search words between builds (for `serve`, whose next
    /// build then tokenizes only the pages that changed).
    pub fn caching_words(mut self) -> Site {
        self.cache_words = true;
        self
    }

    /// Takes over the print files another site of the same pages in the same
    /// places produced (each is patched only where its members changed).
    pub fn with_prints(mut self, prints: print::PrintCache) -> Site {
        self.prints = prints;
        self.caching_words()
    }

    /// Takes over the search words another site of the same languages, its
    /// index in as many parts, tokenized.
    pub fn with_words(mut self, words: Vec<Vec<Mutex<WordsCache>>>) -> Site {
        let shape = |w: &[Vec<Mutex<WordsCache>>]| w.iter().map(Vec::len).collect::<Vec<_>>();
        if shape(&words) == shape(&self.words) {
            self.words = words;
        }
        self.caching_words()
    }

    /// Every problem found loading, parsing, resolving and planning (not those of
    /// templates, which [`Site::write`] returns), unsorted.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        self.diagnostics_with(&self.page_diagnostics())
    }

    /// [`Site::diagnostics`], each page's own problems being `pages` (by
    /// language, then page id: see [`Site::page_diagnostics`]).
    pub fn diagnostics_with(&self, pages: &[Vec<Vec<Diagnostic>>]) -> Vec<Diagnostic> {
        let mut diags = self.config.warnings.clone();
        diags.extend(self.theme_diags.iter().cloned());
        diags.extend(self.shared.iter().cloned());
        for (li, lang) in self.langs.iter().enumerate() {
            diags.extend(lang.diags.iter().cloned());
            for page in pages.get(li).into_iter().flatten() {
                diags.extend(page.iter().cloned());
            }
        }
        diags
    }

    /// Each page's own problems, by language then page id: its body's, its
    /// links', and those of the anchors it links to.
    pub fn page_diagnostics(&self) -> Vec<Vec<Vec<Diagnostic>>> {
        (0..self.langs.len())
            .map(|li| {
                let n = self.langs[li].docs.len();
                self.page_diagnostics_of(li, 0..n)
            })
            .collect()
    }

    /// The problems of pages `ids` of language `li` (see [`Site::page_diagnostics`]).
    pub fn page_diagnostics_of(
        &self,
        li: usize,
        ids: impl IntoIterator<Item = crate::content::PageId>,
    ) -> Vec<Vec<Diagnostic>> {
        let Some(lang) = self.langs.get(li) else {
            return Vec::new();
        };
        let all: Vec<&std::collections::HashSet<String>> =
            lang.docs.iter().map(|d| &d.ids).collect();
        let warn = lang.config.links == crate::config::LinkSeverity::Warn;
        ids.into_iter()
            .map(|id| {
                let (Some(doc), Some(links)) = (lang.docs.get(id), lang.links.get(id)) else {
                    return Vec::new();
                };
                let mut diags = doc.diagnostics.clone();
                diags.extend(links.diagnostics.iter().cloned());
                links::check_anchors(&lang.content, id, &links.anchors, &all, warn, &mut diags);
                diags
            })
            .collect()
    }

    /// Language `lang` as producers see it.
    pub fn part(&self, lang: usize, keep: bool) -> Option<Part<'_>> {
        Some(Part {
            config: &self.langs.get(lang)?.config,
            theme: &self.theme,
            lang: self.langs.get(lang)?,
            site: self.sites.get(lang)?,
            generated: self.plan.generated.get(lang)?,
            numbers: self.numbers.get(lang)?,
            anchors: self.anchors.get(lang)?,
            keep,
            default_lang: &self.config.lang,
            index: lang,
            bodies: &self.bodies,
        })
    }

    /// Pages and worksheets, every language counted.
    pub fn counts(&self) -> (usize, usize) {
        self.langs.iter().fold((0, 0), |(p, w), l| {
            (
                p + l.content.pages.len(),
                w + l.content.worksheets().count(),
            )
        })
    }

    /// Forgets the search words of pages `ids` of language `lang` (their text changed).
    pub fn forget_words(&self, lang: usize, ids: &[crate::content::PageId]) {
        for m in self.words.get(lang).into_iter().flatten() {
            m.lock().unwrap_or_else(|p| p.into_inner()).forget(ids);
        }
    }

    /// The parts of language `lang`'s search index that hold pages `ids`.
    pub fn search_parts_of(
        &self,
        lang: usize,
        ids: impl IntoIterator<Item = crate::content::PageId>,
    ) -> std::collections::HashSet<usize> {
        let Some(l) = self.langs.get(lang) else {
            return std::collections::HashSet::new();
        };
        ids.into_iter()
            .filter_map(|id| crate::search::part_of(&l.content, &l.docs, id))
            .collect()
    }

    /// Produces the file at `path` (planned as `job`); `keep` false only runs templates.
    /// `None` when nothing is to be written (the search index for `check`).
    pub fn produce(
        &self,
        path: &str,
        job: &Job,
        keep: bool,
        views: &print::Views,
    ) -> std::result::Result<Option<OutFile>, Diagnostic> {
        let text = |s: String| Ok(Some(OutFile::Bytes(s.into_bytes())));
        let part = |l: usize| {
            self.part(l, keep).ok_or_else(|| {
                Diagnostic::error(path, 0, 0, "internal error: a planned language is missing")
            })
        };
        match job {
            Job::Page { lang, id } => {
                let part = part(*lang)?;
                let content = &part.lang.content;
                let page = &content.pages[*id];
                let doc = &part.lang.docs[*id];
                let w = serialise::Web {
                    content,
                    page,
                    resolved: &part.lang.links[*id].resolved,
                    titles: &part.lang.links[*id].titles,
                };
                let html = doc
                    .to_html_with(Some(&self.bodies), &w)
                    .map_err(|e| print::unreadable(path, page, &e))?;
                let body = Body {
                    html: &html,
                    headings: &doc.headings,
                };
                let bytes = self
                    .theme
                    .render_page(part.site, content, page, body, keep)?;
                Ok(Some(OutFile::Bytes(bytes)))
            }
            Job::Print { lang, index } => {
                let part = part(*lang)?;
                let pf = self.plan.print(*lang, *index).ok_or_else(|| {
                    Diagnostic::error(
                        path,
                        0,
                        0,
                        "internal error: a planned print file is missing",
                    )
                })?;
                let cache = self.cache_words.then_some(&self.prints);
                Ok(Some(print::render(&part, pf, views, cache)?))
            }
            Job::WorksheetIndex(l) => text(print::worksheet_index(&part(*l)?)?),
            Job::Timeline(l) => match &self.config.programme {
                Some(p) => text(programme::timeline(&part(*l)?, p)?),
                None => Ok(None),
            },
            Job::Calendar(l) => {
                let part = part(*l)?;
                let cal = self
                    .config
                    .programme
                    .as_ref()
                    .and_then(|p| programme::calendar(&part, p));
                cal.map_or(Ok(None), text)
            }
            Job::Search {
                lang: l,
                part: n,
                parts,
            } => {
                if !keep {
                    return Ok(None);
                }
                let part = part(*l)?;
                let cached = self
                    .words
                    .get(*l)
                    .and_then(|w| w.get(*n))
                    .filter(|_| self.cache_words);
                let (content, docs) = (&part.lang.content, &part.lang.docs);
                let js = match cached {
                    Some(m) => m.lock().unwrap_or_else(|p| p.into_inner()).build(
                        content,
                        docs,
                        &self.store,
                        *n,
                        *parts,
                    ),
                    None => crate::search::build_index(content, docs, &self.store, *n, *parts),
                };
                let parts = js.map_err(|e| print::read_back_failed(path, "the pages' text", &e))?;
                Ok(Some(OutFile::Parts(parts)))
            }
            Job::Nav(l) => {
                let part = part(*l)?;
                text(part.site.nav_script(&part.lang.content, &part.lang.ui))
            }
            Job::Contents(l) => {
                let part = part(*l)?;
                text(part.site.contents_page(
                    part.theme,
                    path,
                    &part.lang.ui,
                    &part.lang.config.lang,
                    keep,
                )?)
            }
            Job::NotFound(l) => text(special::not_found(&part(*l)?)?),
            Job::Sitemap => match &self.config.base_url {
                Some(base) => text(special::sitemap(base, &self.langs)),
                None => Ok(None),
            },
            Job::Static => Ok(match self.theme.statics.get(path) {
                Some(StaticSource::Embedded(b)) => Some(OutFile::Static(b)),
                Some(StaticSource::Disk(p)) => Some(OutFile::Copy(p.clone())),
                None => None,
            }),
            Job::Asset { lang, index } => Ok(self
                .langs
                .get(*lang)
                .and_then(|l| l.content.assets.get(*index))
                .map(|a| OutFile::Copy(a.abs.clone()))),
            Job::Redirect { to, fragment } => {
                text(special::redirect(&self.config, path, to, fragment))
            }
            // Made from the other files once they are written: see `run`.
            Job::SingleFile(_) => Ok(None),
        }
    }

    /// Produces the planned files for which `only` holds (all when `None`), in
    /// parallel, and hands each to `sink` as soon as it is made. Returns the
    /// problems templates reported; an I/O error of the sink stops the build.
    pub fn write(
        &self,
        sink: &dyn Sink,
        only: Option<JobFilter<'_>>,
        timings: &mut Timings,
    ) -> Result<Vec<Diagnostic>> {
        let start = Instant::now();
        let clock = Clock::default();
        let keep = sink.keeps();
        let mut jobs: Vec<(&OutPath, &Job)> = self
            .plan
            .jobs
            .iter()
            .filter(|(p, j)| only.is_none_or(|f| f(p, j)))
            .collect();
        // The longest jobs first: the search index (its merge is serial) and the
        // print files of more than one section (handbook, editions, worksheets,
        // kits) would otherwise come last in path order and leave the other
        // cores idle at the end. A section's print file stays among its pages
        // (path order), so that each body read back from the store serves both
        // ([`Bodies`]). Each file is made on its own, so the order changes no byte.
        jobs.sort_by_key(|(_, j)| match j {
            Job::Search { .. } => 0,
            Job::Print { lang, index } => match self.plan.print(*lang, *index) {
                Some(pf) if matches!(pf.kind, PrintKind::Section(_)) => 2,
                _ => 1,
            },
            _ => 2,
        });
        self.progress.phase("writing files", jobs.len());
        let views = print::Views::for_site(self);
        let results: Vec<Result<Option<Diagnostic>>> = jobs
            .par_iter()
            // Small pieces: rayon otherwise hands each thread a long run of jobs
            // it cannot share, and one core works alone through the last one.
            .with_max_len(4)
            .map(|(path, job)| {
                let t = cpu_time::ThreadTime::now();
                let made = self.produce(path, job, keep, &views);
                clock.add(kind_of(job), t.elapsed());
                self.progress.tick();
                match made {
                    Ok(Some(file)) => sink.put(path, file).map(|()| None),
                    Ok(None) => Ok(None),
                    Err(d) => Ok(Some(d)),
                }
            })
            .collect();
        let mut diags = Vec::new();
        for r in results {
            if let Some(d) = r? {
                diags.push(d);
            }
        }
        clock.add(3, self.markdown_cpu);
        timings.cpu = clock.report();
        timings.spilled = self.store.spilled();
        timings.lap("output", start);
        Ok(diags)
    }
}

fn kind_of(job: &Job) -> usize {
    match job {
        Job::Page { .. } => 0,
        Job::Print { .. } | Job::WorksheetIndex(_) => 1,
        Job::Search { .. } => 2,
        _ => 4,
    }
}

/// Sorts diagnostics, applies `--strict`, and fails on errors.
fn finish(mut diags: Vec<Diagnostic>, strict: bool) -> Result<Vec<Diagnostic>> {
    sort_and_apply_strict(&mut diags, strict);
    if diags.iter().any(Diagnostic::is_error) {
        return Err(classify(diags));
    }
    Ok(diags)
}

/// The error of a build that stopped with `diags`.
pub(crate) fn fail(mut diags: Vec<Diagnostic>, strict: bool) -> Error {
    sort_and_apply_strict(&mut diags, strict);
    classify(diags)
}

/// A configuration error (exit code 2) when an error is in `mentorbook.yaml`
/// (an unknown theme variable or UI string, a bad value, an `extra_css` file
/// that does not exist…), else a content error (exit code 1).
fn classify(diags: Vec<Diagnostic>) -> Error {
    if diags
        .iter()
        .any(|d| d.is_error() && d.path == crate::config::CONFIG_FILE)
    {
        Error::Config(diags)
    } else {
        Error::Content(diags)
    }
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

/// Loads the site and writes it to `sink`: what `build`, `check` and every other
/// command share. Returns the site, its warnings, and the timings.
fn run(
    config: &Config,
    opts: &BuildOptions,
    sink: &dyn Sink,
    start: Instant,
) -> Result<(Site, Vec<Diagnostic>, Timings)> {
    let mut timings = Timings::default();
    let site = Site::load(config, opts, &mut timings)?;
    let mut diags = site.diagnostics();
    diags.extend(site.write(sink, None, &mut timings)?);
    if site.config.single_file {
        let t = Instant::now();
        diags.extend(single_files(&site, sink)?);
        timings.lap("single file", t);
    }
    let _ = start;
    let warnings = finish(diags, opts.strict)?;
    Ok((site, warnings, timings))
}

/// Makes the single-file handbooks of `site` from the files of `output`, and adds them to it.
pub(crate) fn single_files_into(site: &Site, output: &mut SiteOutput) -> Result<Vec<Diagnostic>> {
    let read = |p: &str| -> Result<Vec<u8>> {
        match output.files.get(p) {
            Some(f) => f.bytes().map(|b| b.into_owned()),
            None => Err(Error::Usage(format!(
                "internal error: `{p}` is missing for the single-file handbook"
            ))),
        }
    };
    let (made, warnings) = publish::single::make(site, &read)?;
    for (path, bytes) in made {
        output.files.insert(path, OutFile::Bytes(bytes));
    }
    Ok(warnings)
}

/// Makes the single-file handbooks from what `sink` holds, and gives them to it.
fn single_files(site: &Site, sink: &dyn Sink) -> Result<Vec<Diagnostic>> {
    let read = |p: &str| -> Result<Vec<u8>> {
        sink.read(p).unwrap_or_else(|| {
            Err(Error::Usage(format!(
                "internal error: `{p}` was not kept for the single-file handbook"
            )))
        })
    };
    let (made, warnings) = publish::single::make(site, &read)?;
    for (path, bytes) in made {
        sink.put(&path, OutFile::Bytes(bytes))?;
    }
    Ok(warnings)
}

fn built(
    site: &Site,
    output: SiteOutput,
    warnings: Vec<Diagnostic>,
    start: Instant,
    timings: Timings,
) -> Built {
    let (pages, worksheets) = site.counts();
    Built {
        migration: migration::summary(site, &warnings),
        output,
        warnings,
        pages,
        worksheets,
        elapsed: start.elapsed(),
        timings,
    }
}

/// `--zip` and `--scorm`: the output folder as a zip, and as a SCORM package,
/// each beside it (`public.zip`, `public-scorm.zip`).
fn publish_archives(
    site: &Site,
    opts: &BuildOptions,
    out_dir: &std::path::Path,
    timings: &mut Timings,
) -> Result<()> {
    if !(opts.zip || opts.scorm) {
        return Ok(());
    }
    let t = Instant::now();
    let read = |p: &str| crate::fs::read(&out_dir.join(p));
    let name = out_dir
        .file_name()
        .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
    let beside = |suffix: &str| out_dir.with_file_name(format!("{name}{suffix}"));
    if opts.zip {
        let entries: Vec<(String, publish::zip::Entry)> = site
            .plan
            .jobs
            .keys()
            .map(|p| (p.to_string(), publish::zip::Entry::File(p.to_string())))
            .collect();
        publish::zip::write(&entries, &read, &beside(".zip"))?;
    }
    if opts.scorm {
        publish::scorm::write(site, &read, &beside("-scorm.zip"))?;
    }
    timings.lap("archives", t);
    Ok(())
}

/// Builds the whole site into memory (`serve`'s reference build, tests).
pub fn render_site(config: &Config, opts: &BuildOptions) -> Result<Built> {
    let start = Instant::now();
    let memory = output::Memory::default();
    let (site, warnings, timings) = run(config, opts, &memory, start)?;
    Ok(built(&site, memory.into_output(), warnings, start, timings))
}

/// Builds the site into the existing folder `dir` (no staging: `pdf` prints from a
/// temporary folder) and returns the site with what was built.
pub fn build_into(
    config: &Config,
    opts: &BuildOptions,
    dir: &std::path::Path,
) -> Result<(Site, Built)> {
    let start = Instant::now();
    let folder = output::Folder::new(dir.to_path_buf());
    let (site, warnings, timings) = run(config, opts, &folder, start)?;
    let b = built(&site, SiteOutput::default(), warnings, start, timings);
    Ok((site, b))
}

/// Checks the site: everything `build` does, with every file produced into
/// nothing (templates still run), so it reports exactly what `build` reports.
pub fn check(config: &Config, opts: &BuildOptions) -> Result<Built> {
    let start = Instant::now();
    // The single-file handbook is made from the files: they must be kept for it.
    let memory = output::Memory::default();
    let sink: &dyn Sink = if config.single_file {
        &memory
    } else {
        &output::Nowhere
    };
    let (site, warnings, timings) = run(config, opts, sink, start)?;
    Ok(built(
        &site,
        SiteOutput::default(),
        warnings,
        start,
        timings,
    ))
}

/// Builds the site and writes it to the output folder, atomically: files go to
/// a staging folder as they are made, which replaces the output folder only when
/// the build succeeded.
pub fn build(config: &Config, opts: &BuildOptions) -> Result<(Built, PathBuf)> {
    let start = Instant::now();
    let out_dir = opts.out.clone().unwrap_or_else(|| config.default_output());
    let out_dir = if out_dir.is_absolute() {
        out_dir
    } else {
        std::env::current_dir()
            .map_err(|e| Error::io("cannot read the current folder", &out_dir, e))?
            .join(out_dir)
    };
    output::check_output_dir(config, &out_dir)?;
    // Nothing is ever read from the output folder given with `--out` either.
    let config = &Config {
        confine: config.confine.clone().with_output(&out_dir),
        ..config.clone()
    };
    let staging = output::Staging::new(&out_dir)?;
    let (site, warnings, mut timings) = match run(config, opts, &staging, start) {
        Ok(r) => r,
        Err(e) => {
            staging.abandon();
            return Err(e);
        }
    };
    let t = Instant::now();
    opts.progress.phase("replacing the previous output", 0);
    staging.commit()?;
    timings.lap("swap", t);
    if opts.zip || opts.scorm {
        opts.progress.phase("writing the archives", 0);
    }
    publish_archives(&site, opts, &out_dir, &mut timings)?;
    let b = built(&site, SiteOutput::default(), warnings, start, timings);
    discard(site);
    Ok((b, out_dir))
}

/// Frees a site no longer needed on another thread: on a large handbook that is
/// a million small allocations and the spill file (its pages dropped from the
/// cache), which the command need not wait for before it reports and exits.
fn discard(site: Site) {
    if std::thread::Builder::new()
        .name("mentorbook-free".into())
        .spawn(move || drop(site))
        .is_err()
    {
        // No thread to be had: the site was dropped with the closure, here.
    }
}

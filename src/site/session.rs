//! A build session for `serve`: keeps the last [`Site`] and its output in
//! memory, and after a change redoes only what that change can affect.
//!
//! Policies, by [`Scope`] (what the file watcher saw change):
//! - [`Scope::Everything`] (configuration, templates, theme files, unknown):
//!   load and produce everything again, as `build` does;
//! - [`Scope::Content`]: read `content/` again (cheap: text and front matter),
//!   parse only the pages whose text changed (the others keep their `Doc`), and
//!   compare the content with the last one. When only page bodies differ,
//!   produce again only those pages, the print files holding them and their
//!   language's search index; otherwise produce every file again;
//! - [`Scope::StaticContents`] (static files modified in place): nothing to
//!   produce, as files copied from disk are read when served.
//!
//! `mentorbook.yaml` is read before every build: if its bytes changed, the build
//! is always complete, whatever the watcher said.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use crate::config::{CONFIG_FILE, Config};
use crate::confine::Confinement;
use crate::content::{Content, PageId};
use crate::diagnostic::Diagnostic;
use crate::error::Result;
use crate::markdown::Doc;
use crate::site::output::Memory;
use crate::site::{BuildOptions, Built, Job, Site, SiteOutput, Timings, finish, load};

/// What changed since the last build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Anything, or unknown: build everything.
    Everything,
    /// Only files under `content/`.
    Content,
    /// Only the contents of existing static files.
    StaticContents,
}

/// How much a build redid, for the terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Work {
    /// Everything was loaded and produced.
    Full,
    /// Content was read again and every file produced (configuration and theme kept).
    AllPages,
    /// Only these many pages (and the files including them) were produced.
    Pages(usize),
}

/// The result of one session build.
#[derive(Debug)]
pub struct SessionBuild {
    /// The built site, or the diagnostics of a failed build.
    pub result: Result<Built>,
    /// How much was redone.
    pub work: Work,
}

/// What the last build kept.
struct State {
    config_bytes: Vec<u8>,
    site: Site,
    output: SiteOutput,
}

/// Builds one site again and again, reusing what did not change.
pub struct Session {
    root: PathBuf,
    opts: BuildOptions,
    state: Option<State>,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("root", &self.root)
            .field("cached", &self.state.is_some())
            .finish_non_exhaustive()
    }
}

impl Session {
    /// A session for the site at `root`; nothing is built yet.
    pub fn new(root: PathBuf, opts: BuildOptions) -> Self {
        Self {
            root,
            opts,
            state: None,
        }
    }

    /// The build options.
    pub fn options(&self) -> &BuildOptions {
        &self.opts
    }

    /// The confinement rule of the last successful load, if any.
    pub fn confinement(&self) -> Option<Confinement> {
        self.state.as_ref().map(|s| s.site.config.confine.clone())
    }

    /// Builds the site after changes of `scope`.
    pub fn build(&mut self, scope: Scope) -> SessionBuild {
        let start = Instant::now();
        let config_bytes = std::fs::read(self.root.join(CONFIG_FILE)).ok();
        let reusable = self
            .state
            .as_ref()
            .is_some_and(|st| config_bytes.as_ref() == Some(&st.config_bytes));
        match scope {
            Scope::StaticContents
                if reusable
                    && self
                        .state
                        .as_ref()
                        .is_some_and(|s| output_still_planned(&s.site, &s.output)) =>
            {
                self.rebuild_content(start, true)
            }
            Scope::Content | Scope::StaticContents if reusable => {
                self.rebuild_content(start, false)
            }
            _ => self.full(config_bytes, start),
        }
    }

    fn full(&mut self, config_bytes: Option<Vec<u8>>, start: Instant) -> SessionBuild {
        self.state = None;
        let failed = |e| SessionBuild {
            result: Err(e),
            work: Work::Full,
        };
        let config = match Config::load(&self.root) {
            Ok(c) => c,
            Err(e) => return failed(e),
        };
        let mut timings = Timings::default();
        let site = match Site::load(&config, &self.opts, &mut timings) {
            Ok(s) => s.caching_words(),
            Err(e) => return failed(e),
        };
        let memory = Memory::default();
        let written = site.write(&memory, None, &mut timings);
        let result = self.keep(
            site,
            config_bytes.unwrap_or_default(),
            memory.into_output(),
            written,
            None,
            start,
        );
        SessionBuild {
            result,
            work: Work::Full,
        }
    }

    /// Reads `content/` again and produces what changed; with `nothing_changed`
    /// (static files edited in place) the last output is served again as it is.
    fn rebuild_content(&mut self, start: Instant, nothing_changed: bool) -> SessionBuild {
        let Some(st) = self.state.take() else {
            return self.full(None, start);
        };
        let State {
            config_bytes,
            site,
            output,
        } = st;
        if nothing_changed {
            let diags = site.diagnostics();
            let result = self.keep(
                site,
                config_bytes,
                output,
                Ok(Vec::new()),
                Some(diags),
                start,
            );
            return SessionBuild {
                result,
                work: Work::Pages(0),
            };
        }
        let Site {
            config,
            theme,
            langs: old_langs,
            theme_diags,
            words,
            prints,
            store,
            ..
        } = site;
        let read = load::read(&config, self.opts.drafts, &store);
        // Pages whose text, place and title rule are unchanged keep their parsed body.
        let by_source: Vec<HashMap<&str, PageId>> = old_langs
            .iter()
            .map(|l| {
                l.content
                    .pages
                    .iter()
                    .map(|p| (p.source.as_str(), p.id))
                    .collect()
            })
            .collect();
        let reuse = |li: usize, p: &crate::content::Page| -> Option<Arc<Doc>> {
            let old = old_langs.get(li)?;
            let id = *by_source.get(li)?.get(p.source.as_str())?;
            let o = &old.content.pages[id];
            (o.body_hash == p.body_hash
                && o.out == p.out
                && o.body_line == p.body_line
                && o.title_from_body == p.title_from_body
                // A worksheet's blocks are marked (`Source::mark_blocks`).
                && o.is_worksheet() == p.is_worksheet())
            .then(|| old.docs[id].clone())
        };
        let loaded = load::load(&config, &theme, read, &reuse, &store);
        let changes: Option<Vec<Vec<PageId>>> = (loaded.langs.len() == old_langs.len())
            .then(|| {
                old_langs
                    .iter()
                    .zip(&loaded.langs)
                    .map(|(old, new)| {
                        (old.diags == new.diags)
                            .then(|| only_bodies_changed(&old.content, &new.content))
                            .flatten()
                    })
                    .collect()
            })
            .flatten();
        drop(by_source);
        drop(old_langs);
        let site = Site::assemble(config, theme, theme_diags, loaded, store).caching_words();
        let mut timings = Timings::default();
        let Some(changes) = changes.filter(|_| output_still_planned(&site, &output)) else {
            // Pages may have moved: the search words are tokenized afresh.
            let memory = Memory::default();
            let written = site.write(&memory, None, &mut timings);
            let result = self.keep(
                site,
                config_bytes,
                memory.into_output(),
                written,
                None,
                start,
            );
            return SessionBuild {
                result,
                work: Work::AllPages,
            };
        };
        // Same pages in the same places: the search words of unchanged pages still hold.
        let site = site.with_words(words).with_prints(prints);
        let changed: Vec<HashSet<PageId>> = changes
            .iter()
            .map(|c| c.iter().copied().collect())
            .collect();
        for (li, ids) in changes.iter().enumerate() {
            site.forget_words(li, ids);
        }
        let n = changes.iter().map(Vec::len).sum();
        let affected = |_: &str, job: &Job| match job {
            Job::Page { lang, id } => changed[*lang].contains(id),
            Job::Print { lang, index } => site
                .plan
                .print(*lang, *index)
                .is_some_and(|pf| pf.members.iter().any(|m| changed[*lang].contains(m))),
            Job::Search(lang) => !changed[*lang].is_empty(),
            _ => false,
        };
        let memory = Memory::default();
        let written = site.write(&memory, Some(&affected), &mut timings);
        let mut output = output;
        output.files.extend(memory.into_output().files);
        let result = self.keep(site, config_bytes, output, written, None, start);
        SessionBuild {
            result,
            work: Work::Pages(n),
        }
    }

    /// Keeps the site and its output, and gives the build's result.
    fn keep(
        &mut self,
        site: Site,
        config_bytes: Vec<u8>,
        output: SiteOutput,
        written: Result<Vec<Diagnostic>>,
        diags: Option<Vec<Diagnostic>>,
        start: Instant,
    ) -> Result<Built> {
        let mut all = diags.unwrap_or_else(|| site.diagnostics());
        let mut output = output;
        let written = written.and_then(|mut d| {
            if site.config.single_file {
                // Made from every other file, so made again after any change.
                d.extend(super::single_files_into(&site, &mut output)?);
            }
            Ok(d)
        });
        match written {
            Ok(d) => all.extend(d),
            Err(e) => {
                self.state = None;
                return Err(e);
            }
        }
        let result = finish(all, self.opts.strict);
        let (pages, worksheets) = site.counts();
        let built = result.map(|warnings| Built {
            migration: crate::site::migration::summary(&site, &warnings),
            output: output.clone(),
            warnings,
            pages,
            worksheets,
            elapsed: start.elapsed(),
            timings: Timings::default(),
        });
        self.state = Some(State {
            config_bytes,
            site,
            output,
        });
        built
    }
}

/// Whether every file of the last output is still planned (else a full output is needed).
fn output_still_planned(site: &Site, output: &SiteOutput) -> bool {
    output.files.len() == site.plan.jobs.len()
        && output.files.keys().all(|k| site.plan.jobs.contains_key(k))
}

/// The pages whose body alone differs between `old` and `new`, or `None` when
/// anything else differs (pages, titles, order, front matter, assets…).
pub fn only_bodies_changed(old: &Content, new: &Content) -> Option<Vec<PageId>> {
    if old.pages.len() != new.pages.len() {
        return None;
    }
    old.same_except_bodies(new).then(|| {
        (0..new.pages.len())
            .filter(|&i| old.pages[i].body_hash != new.pages[i].body_hash)
            .collect()
    })
}

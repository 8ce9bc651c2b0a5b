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
use crate::content::{Content, Page, PageId, Reread, reread_body};
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

/// Each page's own problems, by language then page id (see [`Site::page_diagnostics`]).
type PageDiags = Vec<Vec<Vec<Diagnostic>>>;

/// What the last build kept.
struct State {
    config_bytes: Vec<u8>,
    site: Site,
    output: SiteOutput,
    page_diags: PageDiags,
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
        self.build_after(scope, &[])
    }

    /// Builds the site after changes of `scope`, of which `modified` (paths
    /// relative to the root, `/`-separated) lists the files modified in place
    /// when they are all of them (else it is empty). When those are pages
    /// whose front matter is unchanged, only they are read and parsed again.
    pub fn build_after(&mut self, scope: Scope, modified: &[String]) -> SessionBuild {
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
            Scope::Content if reusable && !modified.is_empty() => self
                .rebuild_bodies(modified, start)
                .unwrap_or_else(|| self.rebuild_content(start, false)),
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
            page_diags,
        } = st;
        if nothing_changed {
            return self.unchanged(site, config_bytes, output, page_diags, start);
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
                        let mut ids = (old.diags == new.diags)
                            .then(|| only_bodies_changed(&old.content, &new.content))
                            .flatten()?;
                        // Pages whose links lead to headings that changed change too.
                        let relinked: Vec<PageId> = (0..new.links.len())
                            .filter(|&i| old.links.get(i) != new.links.get(i) && !ids.contains(&i))
                            .collect();
                        ids.extend(relinked);
                        Some(ids)
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
        let (output, written) = rewrite_bodies(&site, &changed, output, &mut timings);
        let result = self.keep(site, config_bytes, output, written, None, start);
        SessionBuild {
            result,
            work: Work::Pages(n),
        }
    }

    /// After pages' files were modified in place (`paths`): when only their
    /// bodies changed, reads and parses only them, resolves their links (every
    /// page's when their headings, ids or labels changed), and produces only
    /// the pages whose links or bodies changed, the print files holding them
    /// (their template output reused) and their language's search index.
    /// `None`, with nothing changed, when anything else may have changed (the
    /// content is then loaded again).
    fn rebuild_bodies(&mut self, paths: &[String], start: Instant) -> Option<SessionBuild> {
        let st = self.state.as_mut()?;
        let site = &mut st.site;
        // A page including files is read again whenever anything changes.
        if site
            .langs
            .iter()
            .any(|l| l.content.pages.iter().any(|p| p.lines.is_mapped()))
        {
            return None;
        }
        // Each path is a page's file (of one language), read again.
        let mut edits: Vec<(usize, PageId, Page)> = Vec::new();
        for path in paths {
            let (li, id) = site.langs.iter().enumerate().find_map(|(li, l)| {
                let p = l.content.pages.iter().find(|p| p.source.as_str() == path)?;
                Some((li, p.id))
            })?;
            let lang = &site.langs[li];
            let old = &lang.content.pages[id];
            let Reread::Body {
                body,
                body_hash,
                lines,
            } = reread_body(&lang.config, old, Some(&site.store))
            else {
                return None;
            };
            if body_hash != old.body_hash {
                let mut page = old.clone();
                page.body = body;
                page.body_hash = body_hash;
                page.lines = lines;
                edits.push((li, id, page));
            }
        }
        let mut docs: Vec<(usize, PageId, Page, Arc<Doc>)> = Vec::with_capacity(edits.len());
        let mut relink = vec![false; site.langs.len()];
        for (li, id, mut page) in edits {
            let lang = &site.langs[li];
            let doc = load::parse_one(&site.theme, &lang.ui, &lang.config, &mut page, &site.store);
            let old = &lang.docs[id];
            // The title is in the navigation of every page; the audiences used
            // decide the editions.
            if doc.title != old.title || doc.audiences.is_empty() != old.audiences.is_empty() {
                return None;
            }
            // Other pages' links may lead to its headings and labels.
            relink[li] |=
                doc.headings != old.headings || doc.ids != old.ids || doc.labels != old.labels;
            docs.push((li, id, page, doc));
        }
        let mut changed: Vec<HashSet<PageId>> = vec![HashSet::new(); site.langs.len()];
        for (li, id, page, doc) in docs {
            let lang = &mut site.langs[li];
            lang.content.pages[id] = page;
            lang.docs[id] = doc;
            changed[li].insert(id);
        }
        for (li, lang) in site.langs.iter_mut().enumerate() {
            if changed[li].is_empty() {
                continue;
            }
            if relink[li] {
                let old = std::mem::take(&mut lang.links);
                load::resolve(lang);
                changed[li].extend(
                    lang.links
                        .iter()
                        .zip(&old)
                        .enumerate()
                        .filter(|(_, (new, old))| new != old)
                        .map(|(id, _)| id),
                );
            } else {
                let ids: Vec<PageId> = changed[li].iter().copied().collect();
                load::resolve_pages(lang, &ids);
            }
        }
        for (li, ids) in changed.iter().enumerate() {
            let ids: Vec<PageId> = ids.iter().copied().collect();
            site.forget_words(li, &ids);
        }
        let n = changed.iter().map(HashSet::len).sum();
        let State {
            config_bytes,
            site,
            output,
            mut page_diags,
        } = self.state.take()?;
        // Other pages' problems stay as they were unless links were resolved again.
        for (li, ids) in changed.iter().enumerate() {
            let Some(pages) = page_diags.get_mut(li) else {
                continue;
            };
            if relink[li] || pages.len() != site.langs[li].docs.len() {
                let n = site.langs[li].docs.len();
                *pages = site.page_diagnostics_of(li, 0..n);
                continue;
            }
            let ids: Vec<PageId> = ids.iter().copied().collect();
            for (id, d) in ids
                .iter()
                .zip(site.page_diagnostics_of(li, ids.iter().copied()))
            {
                pages[*id] = d;
            }
        }
        let mut timings = Timings::default();
        if n == 0 {
            return Some(self.unchanged(site, config_bytes, output, page_diags, start));
        }
        let (output, written) = rewrite_bodies(&site, &changed, output, &mut timings);
        let result = self.keep(site, config_bytes, output, written, Some(page_diags), start);
        Some(SessionBuild {
            result,
            work: Work::Pages(n),
        })
    }

    /// Keeps the site and its output as they are: nothing to write.
    fn unchanged(
        &mut self,
        site: Site,
        config_bytes: Vec<u8>,
        output: SiteOutput,
        page_diags: PageDiags,
        start: Instant,
    ) -> SessionBuild {
        let result = self.keep(
            site,
            config_bytes,
            output,
            Ok(Vec::new()),
            Some(page_diags),
            start,
        );
        SessionBuild {
            result,
            work: Work::Pages(0),
        }
    }

    /// Keeps the site and its output, and gives the build's result.
    fn keep(
        &mut self,
        site: Site,
        config_bytes: Vec<u8>,
        output: SiteOutput,
        written: Result<Vec<Diagnostic>>,
        page_diags: Option<PageDiags>,
        start: Instant,
    ) -> Result<Built> {
        let page_diags = page_diags.unwrap_or_else(|| site.page_diagnostics());
        let mut all = site.diagnostics_with(&page_diags);
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
            page_diags,
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

/// Writes again, over `output`, the files that hold pages whose bodies alone
/// changed (`changed`, by language): those pages, the print files holding them
/// (their templates see the same values, so the last template output is kept)
/// and the search-index parts holding them.
fn rewrite_bodies(
    site: &Site,
    changed: &[HashSet<PageId>],
    mut output: SiteOutput,
    timings: &mut Timings,
) -> (SiteOutput, Result<Vec<Diagnostic>>) {
    let search_parts: Vec<HashSet<usize>> = changed
        .iter()
        .enumerate()
        .map(|(li, ids)| site.search_parts_of(li, ids.iter().copied()))
        .collect();
    let affected = |_: &str, job: &Job| match job {
        Job::Page { lang, id } => changed[*lang].contains(id),
        Job::Print { lang, index } => site
            .plan
            .print(*lang, *index)
            .is_some_and(|pf| pf.members.iter().any(|m| changed[*lang].contains(m))),
        Job::Search { lang, part, .. } => search_parts[*lang].contains(part),
        _ => false,
    };
    site.prints.set_same_templates(true);
    let memory = Memory::default();
    let written = site.write(&memory, Some(&affected), timings);
    site.prints.set_same_templates(false);
    output.files.extend(memory.into_output().files);
    (output, written)
}

//! A build session for `serve`: keeps what the last build loaded and rendered,
//! and after a change redoes only what that change can affect.
//!
//! Policies, by [`Scope`] (what the file watcher saw change):
//! - [`Scope::Everything`] (configuration, templates, theme files, unknown):
//!   load and render everything again, as `build` does;
//! - [`Scope::Content`]: load `content/` again (cheap: reading and parsing) and
//!   compare it with the last load. When only page bodies differ, render again
//!   only those pages and the print files that include them
//!   ([`Rendering::rerender`]); otherwise render everything again, keeping the
//!   loaded configuration and theme;
//! - [`Scope::StaticContents`] (static files modified in place, none created,
//!   removed or renamed): nothing to render, as files copied from disk are read
//!   when served.
//!
//! `mentorbook.yaml` is read before every build: if its bytes changed, the
//! build is always complete, whatever the watcher said.

use std::path::PathBuf;
use std::time::Instant;

use crate::build::languages::{Part, load_parts, merge_parts};
use crate::build::{BuildOptions, Built, Rendering, Timings, fail};
use crate::config::{CONFIG_FILE, Config};
use crate::content::{Content, PageId};
use crate::diagnostic::Diagnostic;
use crate::error::Result;
use crate::render::Theme;

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
    /// Everything was loaded and rendered.
    Full,
    /// Content was loaded again and every page rendered (configuration and theme kept).
    AllPages,
    /// Only these many pages (and the print files including them) were rendered.
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

/// One part of the site as the last build left it.
struct PartState {
    part: Part,
    theme: Theme,
    rendering: Rendering,
}

/// What the last build kept.
struct State {
    config_bytes: Vec<u8>,
    config: Config,
    theme_diags: Vec<Diagnostic>,
    shared_diags: Vec<Diagnostic>,
    parts: Vec<PartState>,
    ok: bool,
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

    /// Builds the site after changes of `scope`.
    pub fn build(&mut self, scope: Scope) -> SessionBuild {
        let start = Instant::now();
        let config_bytes = std::fs::read(self.root.join(CONFIG_FILE)).ok();
        let reusable = self
            .state
            .as_ref()
            .is_some_and(|st| config_bytes.as_ref() == Some(&st.config_bytes));
        match scope {
            Scope::StaticContents if reusable && self.state.as_ref().is_some_and(|s| s.ok) => {
                self.output(start, Work::Pages(0))
            }
            Scope::Content | Scope::StaticContents if reusable => self.content_build(start),
            _ => self.full_build(config_bytes, start),
        }
    }

    fn full_build(&mut self, config_bytes: Option<Vec<u8>>, start: Instant) -> SessionBuild {
        self.state = None;
        let failed = |e| SessionBuild {
            result: Err(e),
            work: Work::Full,
        };
        let config = match Config::load(&self.root) {
            Ok(c) => c,
            Err(e) => return failed(e),
        };
        let (loaded, shared_diags) = load_parts(&config, &self.opts);
        let mut parts = Vec::with_capacity(loaded.len());
        let mut theme_diags = Vec::new();
        for (i, part) in loaded.into_iter().enumerate() {
            let mut tdiags = Vec::new();
            let Some(theme) = Theme::load(&part.config, &mut tdiags) else {
                let mut diags = part.diags;
                diags.extend(tdiags);
                return failed(fail(diags, self.opts.strict));
            };
            if i == 0 {
                theme_diags = tdiags;
            }
            let (rendering, _) = Rendering::new(
                &part.config,
                &theme,
                &part.content,
                !self.opts.check_only,
                &mut Timings::default(),
                start,
            );
            parts.push(PartState {
                part,
                theme,
                rendering,
            });
        }
        self.state = Some(State {
            config_bytes: config_bytes.unwrap_or_default(),
            config,
            theme_diags,
            shared_diags,
            parts,
            ok: false,
        });
        self.output(start, Work::Full)
    }

    fn content_build(&mut self, start: Instant) -> SessionBuild {
        let extras = !self.opts.check_only;
        let opts = self.opts.clone();
        let Some(st) = self.state.as_mut() else {
            return self.full_build(None, start);
        };
        let (mut loaded, shared_diags) = load_parts(&st.config, &opts);
        st.shared_diags = shared_diags;
        if loaded.len() != st.parts.len() {
            return self.full_build(None, start);
        }
        // Only page bodies changed, in every part: render just those pages again.
        let changes: Option<Vec<Vec<PageId>>> = st
            .parts
            .iter()
            .zip(loaded.iter_mut())
            .map(|(old, new)| {
                only_bodies_changed(&old.part.content, &mut new.content)
                    .filter(|_| new.diags == old.part.diags)
            })
            .collect();
        let work = match changes {
            Some(changes) => {
                let mut n = 0;
                for ((ps, new), changed) in st.parts.iter_mut().zip(loaded).zip(changes) {
                    ps.part = new;
                    if !changed.is_empty() {
                        ps.rendering.rerender(
                            &ps.part.config,
                            &ps.theme,
                            &ps.part.content,
                            &changed,
                        );
                    }
                    if ps.part.reports {
                        n += changed.len();
                    }
                }
                Work::Pages(n)
            }
            None => {
                for (ps, new) in st.parts.iter_mut().zip(loaded) {
                    ps.rendering = Rendering::new(
                        &new.config,
                        &ps.theme,
                        &new.content,
                        extras,
                        &mut Timings::default(),
                        start,
                    )
                    .0;
                    ps.part = new;
                }
                Work::AllPages
            }
        };
        self.output(start, work)
    }

    fn output(&mut self, start: Instant, work: Work) -> SessionBuild {
        let Some(st) = self.state.as_mut() else {
            return self.full_build(None, start);
        };
        let mut diags = st.shared_diags.clone();
        diags.extend(st.theme_diags.iter().cloned());
        let parts: Vec<(&Part, &Theme, &Rendering)> = st
            .parts
            .iter()
            .map(|p| (&p.part, &p.theme, &p.rendering))
            .collect();
        let result = merge_parts(&parts, diags, &self.opts, start, Timings::default());
        st.ok = result.is_ok();
        SessionBuild { result, work }
    }
}

/// The pages whose body alone differs between `old` and `new`, or `None` when
/// anything else differs (pages, titles, order, front matter, assets…).
/// `new` is left as it was.
pub fn only_bodies_changed(old: &Content, new: &mut Content) -> Option<Vec<PageId>> {
    if old.pages.len() != new.pages.len() {
        return None;
    }
    let changed: Vec<PageId> = (0..new.pages.len())
        .filter(|&i| old.pages[i].body != new.pages[i].body)
        .collect();
    let bodies: Vec<String> = changed
        .iter()
        .map(|&i| std::mem::replace(&mut new.pages[i].body, old.pages[i].body.clone()))
        .collect();
    let same = *old == *new;
    for (&i, body) in changed.iter().zip(bodies) {
        new.pages[i].body = body;
    }
    same.then_some(changed)
}

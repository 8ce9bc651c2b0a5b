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

use crate::build::{BuildOptions, Built, Rendering, Timings, fail, finish};
use crate::config::{CONFIG_FILE, Config};
use crate::content::{self, Content, LoadOptions, PageId};
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

/// What the last build kept.
struct State {
    config_bytes: Vec<u8>,
    config: Config,
    theme: Theme,
    theme_diags: Vec<Diagnostic>,
    content: Content,
    load_diags: Vec<Diagnostic>,
    rendering: Rendering,
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
        if config.is_multilingual() {
            // Each language is its own site: rebuilt whole, not page by page.
            return SessionBuild {
                result: crate::build::render_site(&config, &self.opts),
                work: Work::Full,
            };
        }
        let mut load_diags = Vec::new();
        let content = content::load(&config, self.load_options(), &mut load_diags);
        let mut theme_diags = Vec::new();
        let Some(theme) = Theme::load(&config, &mut theme_diags) else {
            load_diags.extend(theme_diags);
            return failed(fail(load_diags, self.opts.strict));
        };
        let (rendering, _) = Rendering::new(
            &config,
            &theme,
            &content,
            !self.opts.check_only,
            &mut Timings::default(),
            start,
        );
        self.state = Some(State {
            config_bytes: config_bytes.unwrap_or_default(),
            config,
            theme,
            theme_diags,
            content,
            load_diags,
            rendering,
            ok: false,
        });
        self.output(start, Work::Full)
    }

    fn content_build(&mut self, start: Instant) -> SessionBuild {
        let opts = self.load_options();
        let extras = !self.opts.check_only;
        let Some(st) = self.state.as_mut() else {
            return self.full_build(None, start);
        };
        let mut load_diags = Vec::new();
        let mut content = content::load(&st.config, opts, &mut load_diags);
        let work = match only_bodies_changed(&st.content, &mut content) {
            Some(changed) if load_diags == st.load_diags => {
                st.content = content;
                if !changed.is_empty() {
                    st.rendering
                        .rerender(&st.config, &st.theme, &st.content, &changed);
                }
                Work::Pages(changed.len())
            }
            _ => {
                st.rendering = Rendering::new(
                    &st.config,
                    &st.theme,
                    &content,
                    extras,
                    &mut Timings::default(),
                    start,
                )
                .0;
                st.content = content;
                st.load_diags = load_diags;
                Work::AllPages
            }
        };
        self.output(start, work)
    }

    fn output(&mut self, start: Instant, work: Work) -> SessionBuild {
        let Some(st) = self.state.as_mut() else {
            return self.full_build(None, start);
        };
        let mut diags = st.load_diags.clone();
        diags.extend(st.theme_diags.iter().cloned());
        let out = st
            .rendering
            .output(&st.config, &st.theme, &st.content, &mut diags);
        let result = finish(
            out,
            &st.content,
            diags,
            &self.opts,
            start,
            Timings::default(),
        );
        st.ok = result.is_ok();
        SessionBuild { result, work }
    }

    fn load_options(&self) -> LoadOptions {
        LoadOptions {
            drafts: self.opts.drafts,
        }
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

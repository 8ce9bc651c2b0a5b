//! The rebuild policy: build the site into memory after a batch of changes,
//! and say what happened in one terminal line.
//!
//! A build never stops the server: configuration errors, content errors, I/O
//! errors and even a panic inside the build become diagnostics for the overlay.

use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::build::{BuildOptions, OutFile, SiteOutput, render_site};
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::error::Error;
use crate::serve::confine;
use crate::serve::state::Update;
use crate::serve::watch::Changes;

/// What one build gave, ready to publish and print.
#[derive(Debug)]
pub struct Outcome {
    /// What to publish.
    pub update: Update,
    /// Pages (section indexes included) and worksheets built; zero when failed.
    pub pages: usize,
    /// Worksheets built.
    pub worksheets: usize,
    /// Time taken.
    pub elapsed: Duration,
    /// Warnings to print (only when they differ from the previous build's).
    pub new_warnings: Vec<Diagnostic>,
    /// Output files not served because they are links to outside the handbook
    /// (only when the list changed).
    pub refused: Vec<String>,
}

/// Rebuilds the site at one root, remembering what it needs between builds.
#[derive(Debug)]
pub struct Rebuilder {
    root: PathBuf,
    opts: BuildOptions,
    last_good: Option<Arc<SiteOutput>>,
    last_warnings: Vec<Diagnostic>,
    last_refused: Vec<String>,
}

impl Rebuilder {
    /// A rebuilder for the site at `root` (canonical).
    pub fn new(root: PathBuf, drafts: bool) -> Self {
        Self {
            root,
            opts: BuildOptions {
                out: None,
                drafts,
                strict: false,
            },
            last_good: None,
            last_warnings: Vec::new(),
            last_refused: Vec::new(),
        }
    }

    /// Builds the whole site after `changes` (all of it for the first build).
    pub fn build(&mut self, changes: &Changes) -> Outcome {
        let start = Instant::now();
        let result = std::panic::catch_unwind(AssertUnwindSafe(|| {
            let config = Config::load(&self.root)?;
            render_site(&config, &self.opts)
        }));
        let built = match result {
            Ok(Ok(b)) => b,
            Ok(Err(e)) => return self.failed(error_diagnostics(&e), start),
            Err(_) => {
                let d = Diagnostic::error(
                    "mentorbook",
                    0,
                    0,
                    "internal error: the build panicked (the server keeps running)",
                )
                .with_help("please report this with the file you just changed");
                return self.failed(vec![d], start);
            }
        };
        let mut site = built.output;
        let allowed = confine::allowed_roots(&self.root);
        let refused = confine::refuse_outside(&mut site, &allowed);
        let site = Arc::new(site);
        let css_only = changes.only_stylesheets()
            && self
                .last_good
                .as_ref()
                .is_some_and(|old| same_except_copies(old, &site));
        self.last_good = Some(site.clone());
        let new_warnings = if built.warnings == self.last_warnings {
            Vec::new()
        } else {
            built.warnings.clone()
        };
        self.last_warnings = built.warnings;
        let refused_changed = refused != self.last_refused;
        self.last_refused = refused.clone();
        Outcome {
            update: Update::Built {
                site,
                allowed,
                css_only,
            },
            pages: built.pages,
            worksheets: built.worksheets,
            elapsed: start.elapsed(),
            new_warnings,
            refused: if refused_changed { refused } else { Vec::new() },
        }
    }

    fn failed(&mut self, diags: Vec<Diagnostic>, start: Instant) -> Outcome {
        self.last_warnings.clear();
        Outcome {
            update: Update::Failed(diags),
            pages: 0,
            worksheets: 0,
            elapsed: start.elapsed(),
            new_warnings: Vec::new(),
            refused: Vec::new(),
        }
    }

    /// Whether a site has built yet.
    pub fn has_site(&self) -> bool {
        self.last_good.is_some()
    }
}

/// Whether two outputs have the same files and the same rendered bytes: only
/// files copied from disk (whose contents are read when served) may differ.
fn same_except_copies(a: &SiteOutput, b: &SiteOutput) -> bool {
    a.files.len() == b.files.len()
        && a.files
            .iter()
            .zip(b.files.iter())
            .all(|((ka, fa), (kb, fb))| {
                ka == kb
                    && match (fa, fb) {
                        (OutFile::Bytes(x), OutFile::Bytes(y)) => x == y,
                        (OutFile::Static(x), OutFile::Static(y)) => x == y,
                        (OutFile::Copy(x), OutFile::Copy(y)) => x == y,
                        _ => false,
                    }
            })
}

/// The diagnostics of a failed build; errors without a location get one line.
pub fn error_diagnostics(e: &Error) -> Vec<Diagnostic> {
    match e {
        Error::Config(d) | Error::Content(d) if !d.is_empty() => d.clone(),
        other => vec![Diagnostic::error(
            "mentorbook",
            0,
            0,
            other.to_string().trim_start_matches("error: ").to_string(),
        )],
    }
}

/// The terminal line for a build; `what` says what changed (`None` for the first build).
pub fn summary(what: Option<&str>, outcome: &Outcome, has_site: bool) -> String {
    let ms = outcome.elapsed.as_millis();
    let (what, verb) = match what {
        Some(w) => (format!("{w}: "), "rebuilt"),
        None => (String::new(), "Built"),
    };
    let failed = if what.is_empty() { "Build" } else { "build" };
    match &outcome.update {
        Update::Built { css_only, .. } => format!(
            "{what}{verb} {} page{}, {} worksheet{} in {ms} ms{}",
            outcome.pages,
            plural(outcome.pages),
            outcome.worksheets,
            plural(outcome.worksheets),
            if *css_only { " (stylesheets only)" } else { "" }
        ),
        Update::Failed(diags) => {
            let n = diags.iter().filter(|d| d.is_error()).count().max(1);
            format!(
                "{what}{failed} failed with {n} error{} in {ms} ms; {}",
                plural(n),
                if has_site {
                    "still serving the last good version"
                } else {
                    "serving an error page until it builds"
                }
            )
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

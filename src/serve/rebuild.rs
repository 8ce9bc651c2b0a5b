//! The rebuild policy: from a batch of changes to a [`Scope`], a build of the
//! [`Session`] (which redoes only what the changes can affect), and one
//! terminal line saying what happened.
//!
//! A build never stops the server: configuration errors, content errors, I/O
//! errors and even a panic inside the build become diagnostics for the overlay.
//!
//! With `MENTORBOOK_SERVE_VERIFY=1` (the tests set it), every build that was
//! not complete is checked against a complete one; a difference is reported as
//! an internal error and the complete build is served instead.

use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::config::Config;
use crate::confine::Confinement;
use crate::diagnostic::Diagnostic;
use crate::error::Error;
use crate::serve::confine;
use crate::serve::state::{Reload, Update};
use crate::serve::watch::{ChangeKind, Changes, What};
use crate::site::session::{Scope, Session, Work};
use crate::site::{BuildOptions, Built, OutFile, SiteOutput, render_site};

/// What one build gave, ready to publish and print.
#[derive(Debug)]
pub struct Outcome {
    /// What to publish.
    pub update: Update,
    /// Pages (section indexes included) and worksheets built; zero when failed.
    pub pages: usize,
    /// How much was redone.
    pub work: Work,
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

/// What a partial build published, kept to be verified: the site and its
/// warnings, or the errors.
type Published = std::result::Result<(Arc<SiteOutput>, Vec<Diagnostic>), Vec<Diagnostic>>;

/// Rebuilds the site at one root, remembering what it needs between builds.
#[derive(Debug)]
pub struct Rebuilder {
    root: PathBuf,
    session: Session,
    verify: bool,
    to_verify: Option<Published>,
    /// With verification: the handbook's files as the partial build read them.
    sources_seen: u64,
    last_good: Option<Arc<SiteOutput>>,
    last_warnings: Vec<Diagnostic>,
    last_refused: Vec<String>,
}

impl Rebuilder {
    /// A rebuilder for the site at `root` (canonical).
    pub fn new(root: PathBuf, drafts: bool) -> Self {
        let opts = BuildOptions {
            drafts,
            ..BuildOptions::default()
        };
        Self {
            session: Session::new(root.clone(), opts),
            root,
            verify: std::env::var_os("MENTORBOOK_SERVE_VERIFY").is_some_and(|v| v == "1"),
            to_verify: None,
            sources_seen: 0,
            last_good: None,
            last_warnings: Vec::new(),
            last_refused: Vec::new(),
        }
    }

    /// Builds the site after `changes` (all of it for the first build).
    pub fn build(&mut self, changes: &Changes) -> Outcome {
        let start = Instant::now();
        let scope = scope_of(changes);
        if self.verify {
            self.sources_seen = sources_fingerprint(&self.root);
        }
        let modified = modified_in_place(changes);
        let result = std::panic::catch_unwind(AssertUnwindSafe(|| {
            self.session.build_after(scope, &modified)
        }));
        let (result, work) = match result {
            Ok(b) => (b.result, b.work),
            Err(_) => {
                // Whatever the session kept may be half updated: start afresh.
                self.reset();
                let d = Diagnostic::error(
                    "",
                    0,
                    0,
                    "internal error: the build panicked (the server keeps running)",
                )
                .with_help("please report this with the file you just changed");
                return self.failed(vec![d], start);
            }
        };
        let outcome = match result {
            Ok(built) => self.built(built, work, changes, start),
            Err(e) => self.failed(error_diagnostics(&e), start),
        };
        if self.verify && work != Work::Full {
            self.to_verify = Some(match &outcome.update {
                Update::Built { site, .. } => Ok((site.clone(), self.last_warnings.clone())),
                Update::Failed(d) => Err(d.clone()),
            });
        }
        outcome
    }

    fn built(&mut self, built: Built, work: Work, changes: &Changes, start: Instant) -> Outcome {
        let mut site = built.output;
        let allowed = self
            .session
            .confinement()
            .unwrap_or_else(|| Confinement::new(&self.root, false));
        let refused = confine::refuse_outside(&mut site, &allowed);
        let site = Arc::new(site);
        let reload = match &self.last_good {
            Some(old) => reload_of(changes, old, &site),
            None => Reload::Full,
        };
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
                reload,
            },
            pages: built.pages,
            work,
            worksheets: built.worksheets,
            elapsed: start.elapsed(),
            new_warnings,
            refused: if refused_changed { refused } else { Vec::new() },
        }
    }

    /// With `MENTORBOOK_SERVE_VERIFY=1`, after a partial build has been
    /// published: builds everything and compares. On a difference, reports an
    /// internal error and returns the complete build's outcome, to publish instead.
    pub fn verify(&mut self) -> Option<Outcome> {
        let partial = self.to_verify.take()?;
        let start = Instant::now();
        let full = Config::load(&self.root).and_then(|c| render_site(&c, self.session.options()));
        // A file edited again since the partial build read it: the two builds saw
        // different handbooks, and the watcher has the next rebuild queued already.
        if sources_fingerprint(&self.root) != self.sources_seen {
            return None;
        }
        let diff = match (&partial, &full) {
            (Ok((site, warnings)), Ok(full)) => {
                let mut out = full.output.clone();
                let rule = Config::load(&self.root)
                    .map(|c| c.confine)
                    .unwrap_or_else(|_| Confinement::new(&self.root, false));
                confine::refuse_outside(&mut out, &rule);
                same_output(site, &out)
                    .or_else(|| (*warnings != full.warnings).then(|| "the warnings".to_string()))
            }
            (Err(diags), Err(e)) => {
                (*diags != error_diagnostics(e)).then(|| "the errors".to_string())
            }
            (Ok(_), Err(_)) => Some("success (a complete build fails)".into()),
            (Err(_), Ok(_)) => Some("failure (a complete build succeeds)".into()),
        };
        let what = diff?;
        eprintln!(
            "internal error: the partial rebuild differs from a complete build in {what}; serving the complete build"
        );
        self.reset();
        Some(match full {
            Ok(built) => self.built(built, Work::Full, &Changes::default(), start),
            Err(e) => self.failed(error_diagnostics(&e), start),
        })
    }

    fn reset(&mut self) {
        self.session = Session::new(self.root.clone(), self.session.options().clone());
    }

    fn failed(&mut self, diags: Vec<Diagnostic>, start: Instant) -> Outcome {
        self.last_warnings.clear();
        Outcome {
            update: Update::Failed(diags),
            pages: 0,
            work: Work::Full,
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

/// A fingerprint of every file of the handbook (path, size, modification time),
/// outside the output and hidden folders; only for verification, which tests use.
fn sources_fingerprint(root: &std::path::Path) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    let walker = walkdir::WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            e.depth() == 0 || !(name.starts_with('.') || name == "public" || name == "target")
        });
    for e in walker.filter_map(Result::ok).take(100_000) {
        e.path().hash(&mut h);
        if let Ok(m) = e.metadata() {
            m.len().hash(&mut h);
            m.modified().ok().hash(&mut h);
        }
    }
    h.finish()
}

/// The paths of a batch of changes when every one is a content file modified
/// in place (else none): the session may then read only those files again.
pub fn modified_in_place(changes: &Changes) -> Vec<String> {
    let in_place = !changes.rescan
        && changes
            .list
            .iter()
            .all(|c| c.kind == ChangeKind::Content && c.what == What::Modified);
    if !in_place {
        return Vec::new();
    }
    changes.list.iter().map(|c| c.path.clone()).collect()
}

/// Which scope of build a batch of changes needs.
pub fn scope_of(changes: &Changes) -> Scope {
    let everything = changes.rescan
        || changes.list.is_empty()
        || changes.list.iter().any(|c| {
            matches!(c.kind, ChangeKind::Config | ChangeKind::Template)
                || (c.kind == ChangeKind::Static && c.what != What::Modified)
        });
    if everything {
        Scope::Everything
    } else if changes.any(ChangeKind::Content) {
        Scope::Content
    } else {
        Scope::StaticContents
    }
}

/// The first difference between two outputs (`None` when they are the same):
/// same files, same rendered bytes, same source for files copied from disk.
pub fn same_output(a: &SiteOutput, b: &SiteOutput) -> Option<String> {
    fn bytes(f: &OutFile) -> Option<std::borrow::Cow<'_, [u8]>> {
        match f {
            OutFile::Copy(_) => None,
            other => other.bytes().ok(),
        }
    }
    let keys_a: Vec<&crate::paths::OutPath> = a.files.keys().collect();
    let keys_b: Vec<&crate::paths::OutPath> = b.files.keys().collect();
    if keys_a != keys_b {
        let only = keys_a
            .iter()
            .find(|k| !b.files.contains_key(k.as_str()))
            .or_else(|| keys_b.iter().find(|k| !a.files.contains_key(k.as_str())));
        return Some(format!(
            "the list of files (`{}`)",
            only.map_or("?", |k| k.as_str())
        ));
    }
    for ((k, fa), fb) in a.files.iter().zip(b.files.values()) {
        let same = match (fa, fb) {
            (OutFile::Copy(x), OutFile::Copy(y)) => x == y,
            _ => bytes(fa).is_some() && bytes(fa) == bytes(fb),
        };
        if !same {
            return Some(format!("`{k}`"));
        }
    }
    None
}

/// How open pages follow a build that gave `new` after `old`, for `changes`.
///
/// Stylesheets edited in place: swapped. Pages' Markdown edited in place: only
/// the HTML pages whose bytes changed are told (each swaps its main content
/// when nothing else of it changed, see [`content_only`]), unless a file other
/// than a page or the search index changed. Anything else: every page reloads.
pub fn reload_of(changes: &Changes, old: &SiteOutput, new: &SiteOutput) -> Reload {
    if changes.only_stylesheets() {
        return if same_output(old, new).is_none() {
            Reload::Stylesheets
        } else {
            Reload::Full
        };
    }
    let pages_only = !changes.rescan
        && !changes.list.is_empty()
        && changes.list.iter().all(|c| {
            c.kind == ChangeKind::Content
                && c.what == What::Modified
                && crate::content::walk::strip_page_ext(
                    c.path.rsplit('/').next().unwrap_or(&c.path),
                )
                .is_some()
        });
    if !pages_only || old.files.len() != new.files.len() {
        return Reload::Full;
    }
    let mut pages = Vec::new();
    for ((ka, fa), (kb, fb)) in old.files.iter().zip(&new.files) {
        if ka != kb {
            return Reload::Full;
        }
        // The search index is read when a search starts: an open page keeps
        // the one it loaded until it reloads.
        let name = ka.as_str().rsplit('/').next().unwrap_or_default();
        if crate::search::is_part_file(name) {
            continue;
        }
        if fa.same_as(fb) {
            continue;
        }
        if matches!(fa, OutFile::Copy(_)) || matches!(fb, OutFile::Copy(_)) {
            return Reload::Full;
        }
        let key = ka.as_str();
        if key.ends_with(".html") {
            // A page as large as a whole handbook's print file just reloads.
            let small = fa.len_hint().max(fb.len_hint()).unwrap_or(0) <= SWAP_MAX_BYTES;
            let swap = small
                && match (fa.bytes(), fb.bytes()) {
                    (Ok(a), Ok(b)) => content_only(&a, &b),
                    _ => false,
                };
            pages.push((key.to_string(), swap));
        } else {
            return Reload::Full;
        }
    }
    Reload::Pages(pages)
}

/// Pages larger than this reload instead of swapping in place (the whole
/// handbook's print file: finding its regions would cost more than it saves).
pub const SWAP_MAX_BYTES: usize = 2 << 20;

/// Whether two versions of a page differ only inside what the live-reload
/// client swaps in place: the `<title>`, the `<main id="mb-main">` element and
/// the on-page contents (`<aside class="toc">`, present in both or in neither).
/// A page without its main element never does (a theme of its own).
pub fn content_only(old: &[u8], new: &[u8]) -> bool {
    match (regions(old), regions(new)) {
        (Some(a), Some(b)) => {
            // The bytes outside the regions, piece by piece.
            let outside = |html: &[u8], cuts: &[(usize, usize)]| -> Vec<(usize, usize)> {
                let mut from = 0;
                let mut parts: Vec<(usize, usize)> = cuts
                    .iter()
                    .map(|&(a, b)| {
                        let part = (from, a);
                        from = b;
                        part
                    })
                    .collect();
                parts.push((from, html.len()));
                parts
            };
            a.len() == b.len()
                && outside(old, &a)
                    .into_iter()
                    .zip(outside(new, &b))
                    .all(|((a0, a1), (b0, b1))| old[a0..a1] == new[b0..b1])
        }
        _ => false,
    }
}

/// Where the swapped regions of a page are, in order (each from its opening
/// tag to its closing one), or `None` without a main element.
fn regions(html: &[u8]) -> Option<Vec<(usize, usize)>> {
    let find = |needle: &[u8], from: usize| -> Option<usize> {
        memchr::memmem::find(html.get(from..)?, needle).map(|i| i + from)
    };
    let mut cuts = Vec::with_capacity(3);
    let mut at = 0;
    // The title is in the head, before anything the page's body could hold.
    let head_end = find(b"</head>", 0).unwrap_or(html.len());
    if let Some(a) = find(b"<title>", 0).filter(|&a| a < head_end) {
        let b = find(b"</title>", a)?;
        cuts.push((a, b));
        at = b;
    }
    let a = find(b"<main id=\"mb-main\"", at)?;
    let b = find(b"</main>", a)?;
    cuts.push((a, b));
    if let Some(a) = find(b"<aside class=\"toc\"", b) {
        let b = find(b"</aside>", a)?;
        cuts.push((a, b));
    }
    Some(cuts)
}

/// The diagnostics of a failed build, as every command reports them.
pub fn error_diagnostics(e: &Error) -> Vec<Diagnostic> {
    crate::report::diagnostics_of(e)
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
        Update::Built { reload, .. } => {
            let done = match outcome.work {
                Work::Pages(n) if !what.is_empty() => format!(
                    "re-rendered {n} of {} page{}",
                    outcome.pages,
                    plural(outcome.pages)
                ),
                _ => format!(
                    "{verb} {} page{}, {} worksheet{}",
                    outcome.pages,
                    plural(outcome.pages),
                    outcome.worksheets,
                    plural(outcome.worksheets)
                ),
            };
            format!(
                "{what}{done} in {ms} ms{}",
                if *reload == Reload::Stylesheets {
                    " (stylesheets only)"
                } else {
                    ""
                }
            )
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "<html><head><title>T · S</title></head><body><nav>N</nav>\
        <main id=\"mb-main\" class=\"main\"><p>body</p></main>\
        <aside class=\"toc\" aria-labelledby=\"x\"><a>h</a></aside><footer>F</footer></body></html>";

    #[test]
    fn only_the_swapped_regions_may_differ() {
        let same = |a: &str, b: &str| content_only(a.as_bytes(), b.as_bytes());
        assert!(same(
            PAGE,
            &PAGE.replace("<p>body</p>", "<p>new body</p><p>more</p>")
        ));
        assert!(same(PAGE, &PAGE.replace("T · S", "U · S")));
        assert!(same(PAGE, &PAGE.replace("<a>h</a>", "<a>h</a><a>i</a>")));
        assert!(!same(PAGE, &PAGE.replace("<nav>N</nav>", "<nav>M</nav>")));
        assert!(!same(PAGE, &PAGE.replace("<footer>F", "<footer>G")));
        let no_toc = PAGE.replace(
            "<aside class=\"toc\" aria-labelledby=\"x\"><a>h</a></aside>",
            "",
        );
        assert!(
            !same(PAGE, &no_toc),
            "the contents appearing or going: a reload"
        );
        assert!(same(&no_toc, &no_toc.replace("<p>body</p>", "<p>b</p>")));
        let other_theme = PAGE.replace("id=\"mb-main\"", "id=\"content\"");
        assert!(!same(
            &other_theme,
            &other_theme.replace("<p>body</p>", "<p>b</p>")
        ));
    }
}

//! The confinement rule: which files of the handbook mentorbook may read.
//!
//! Every file read from the handbook — pages and files of `content/`, the
//! site's `static/`, `templates/` and `themes/`, `SUMMARY.md`, folder metadata,
//! theme manifests and UI strings — must have its *real* path (every symbolic
//! link resolved) inside the handbook root, and never inside the output folder
//! (nor the staging and moved-aside copies of it that a build keeps beside it).
//! A link that leaves the root is an error at the link's own path; `serve`
//! answers 404 for it. `allow_outside_links: true` in `mentorbook.yaml` lifts
//! the first half of the rule for those who trust where their links lead; the
//! output folder stays out of bounds whatever the setting, so that a link such
//! as `content/pub -> ../public` never makes the output grow on every build.
//!
//! [`Confinement::walk`] lists a folder with the rule applied: it resolves only
//! the links it meets (a file below a checked folder has that folder's real
//! path plus its own name), refuses a linked folder once and skips it whole.

use std::path::{Component, Path, PathBuf};

use walkdir::WalkDir;

use crate::diagnostic::Diagnostic;

/// The rule for one handbook: its real root, the output folders never read,
/// and whether links may lead outside the root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confinement {
    root: PathBuf,
    outputs: Vec<PathBuf>,
    allow_outside: bool,
}

/// Why a path may not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Its real path lies outside the handbook root.
    Outside(PathBuf),
    /// Its real path lies inside an output folder.
    IntoOutput(PathBuf),
    /// It is a symbolic link to nothing.
    Dangling,
    /// It cannot be resolved (permissions, a loop, a name too long…).
    Unresolvable(String),
}

impl Confinement {
    /// The rule for the handbook at `root`, whose default output folder is
    /// `root/public`; `allow_outside` is `allow_outside_links` of the config.
    pub fn new(root: &Path, allow_outside: bool) -> Self {
        let root = real_or_absolute(root);
        let outputs = vec![root.join("public")];
        Self {
            root,
            outputs,
            allow_outside,
        }
    }

    /// The same rule, also keeping `out` (an output folder given with `--out`) out of bounds.
    pub fn with_output(mut self, out: &Path) -> Self {
        let out = real_or_absolute(out);
        if !self.outputs.contains(&out) {
            self.outputs.push(out);
        }
        self
    }

    /// Whether links may lead outside the root (`allow_outside_links: true`).
    pub fn allows_outside(&self) -> bool {
        self.allow_outside
    }

    /// The handbook root, real path.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Checks a real (canonical) path against the rule.
    pub fn check_real(&self, real: &Path) -> Result<(), Refusal> {
        if self.outputs.iter().any(|o| is_in_output(real, o)) {
            return Err(Refusal::IntoOutput(real.to_path_buf()));
        }
        if !self.allow_outside && !real.starts_with(&self.root) {
            return Err(Refusal::Outside(real.to_path_buf()));
        }
        Ok(())
    }

    /// Resolves `path` (links included) and checks it; returns its real path.
    pub fn check(&self, path: &Path) -> Result<PathBuf, Refusal> {
        let real = resolve(path)?;
        self.check_real(&real)?;
        Ok(real)
    }

    /// Reads a single file of the handbook as text, when it exists and the rule
    /// allows it; `shown` names it in diagnostics. `None` when it is missing or
    /// refused (the refusal is in `diags`).
    pub fn read_optional(
        &self,
        path: &Path,
        shown: &str,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<std::io::Result<String>> {
        if std::fs::symlink_metadata(path).is_err() {
            return None;
        }
        match self.check(path) {
            Ok(real) => Some(std::fs::read_to_string(real)),
            Err(r) => {
                diags.push(r.diagnostic(shown, self));
                None
            }
        }
    }

    /// Every file under `dir` that the rule allows, sorted by path, with its
    /// `/`-separated path relative to `dir`. Entries for which `skip` (given
    /// that relative path) is true are left out, and folders so named not entered. Refusals, dangling links,
    /// loops and unreadable entries are pushed to `diags`, named by
    /// `display(path)`. A missing `dir` holds nothing.
    pub fn walk(
        &self,
        dir: &Path,
        skip: &dyn Fn(&str) -> bool,
        display: &dyn Fn(&Path) -> String,
        diags: &mut Vec<Diagnostic>,
    ) -> Vec<Entry> {
        if std::fs::symlink_metadata(dir).is_err() {
            return Vec::new();
        }
        let base_real = match self.check(dir) {
            Ok(r) => r,
            Err(r) => {
                diags.push(r.diagnostic(&display(dir), self));
                return Vec::new();
            }
        };
        // (depth, path on disk, its real path): the innermost folder entered
        // through a link, or `dir` itself.
        let mut bases: Vec<(usize, PathBuf, PathBuf)> = vec![(0, dir.to_path_buf(), base_real)];
        let mut out = Vec::new();
        let mut it = WalkDir::new(dir)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                e.depth() == 0
                    || e.path()
                        .strip_prefix(dir)
                        .map_or(true, |rel| !skip(&crate::fs::slash_path(rel)))
            });
        while let Some(entry) = it.next() {
            let entry = match entry {
                Ok(e) => e,
                Err(err) => {
                    diags.push(self.walk_error(&err, dir, display));
                    continue;
                }
            };
            if entry.depth() == 0 {
                continue;
            }
            while bases.last().is_some_and(|(d, _, _)| *d >= entry.depth()) {
                bases.pop();
            }
            let real = if entry.path_is_symlink() {
                match self.check(entry.path()) {
                    Ok(r) => r,
                    Err(r) => {
                        diags.push(r.diagnostic(&display(entry.path()), self));
                        if entry.file_type().is_dir() {
                            it.skip_current_dir();
                        }
                        continue;
                    }
                }
            } else {
                let Some((_, path, real)) = bases.last() else {
                    continue;
                };
                let Ok(rest) = entry.path().strip_prefix(path) else {
                    continue;
                };
                let real = real.join(rest);
                // A real folder of the handbook may still be an output folder
                // (`--out content/x`): never read it.
                if let Err(r) = self.check_real(&real) {
                    diags.push(r.diagnostic(&display(entry.path()), self));
                    if entry.file_type().is_dir() {
                        it.skip_current_dir();
                    }
                    continue;
                }
                real
            };
            if entry.file_type().is_dir() {
                if entry.path_is_symlink() {
                    bases.push((entry.depth(), entry.path().to_path_buf(), real));
                }
                continue;
            }
            if !entry.file_type().is_file() {
                continue;
            }
            let Ok(rel) = entry.path().strip_prefix(dir) else {
                continue;
            };
            out.push(Entry {
                path: entry.path().to_path_buf(),
                rel: crate::fs::slash_path(rel),
                depth: entry.depth(),
            });
        }
        out
    }
}

/// A file found by [`Confinement::walk`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Its path on disk (through links, as the author named it).
    pub path: PathBuf,
    /// Its path relative to the walked folder, `/`-separated.
    pub rel: String,
    /// How many folders down from the walked folder (1: directly in it).
    pub depth: usize,
}

impl Refusal {
    /// The diagnostic for this refusal of the path shown as `shown`.
    pub fn diagnostic(&self, shown: &str, rule: &Confinement) -> Diagnostic {
        match self {
            Refusal::Outside(real) => Diagnostic::error(
                shown,
                0,
                0,
                format!(
                    "this symbolic link leads outside the handbook (to `{}`): it is not read",
                    real.display()
                ),
            )
            .with_help(
                "copy the file or folder into the handbook; or, if you trust where the link leads, \
                 set `allow_outside_links: true` in `mentorbook.yaml` (see the README)",
            ),
            Refusal::IntoOutput(real) => {
                let out = rule
                    .outputs
                    .iter()
                    .find(|o| is_in_output(real, o))
                    .map(|o| display_under(o, &rule.root))
                    .unwrap_or_else(|| "public".into());
                Diagnostic::error(
                    shown,
                    0,
                    0,
                    format!("this leads into the output folder `{out}/`: it is not read"),
                )
                .with_help(
                    "remove the link: the output is made from the handbook, and reading it back \
                     would copy it into itself on every build (`allow_outside_links` does not change this)",
                )
            }
            Refusal::Dangling => Diagnostic::error(
                shown,
                0,
                0,
                "this symbolic link leads to a file that does not exist",
            )
            .with_help("remove the link, or make it lead to an existing file"),
            Refusal::Unresolvable(reason) => {
                Diagnostic::error(shown, 0, 0, format!("cannot resolve this path: {reason}"))
                    .with_help("remove the link or fix where it leads")
            }
        }
    }
}

/// `path` resolved, or absolute (joined to the current folder) when it does not exist yet.
fn real_or_absolute(path: &Path) -> PathBuf {
    if let Ok(c) = path.canonicalize() {
        return c;
    }
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|d| d.join(path))
            .unwrap_or_else(|_| path.to_path_buf())
    };
    // Resolve the nearest existing parent, so a future output folder compares
    // with real paths.
    let mut rest = Vec::new();
    let mut cur = abs.as_path();
    while let Some(parent) = cur.parent() {
        if let Some(name) = cur.file_name() {
            rest.push(name.to_os_string());
        }
        if let Ok(c) = parent.canonicalize() {
            let mut p = c;
            for n in rest.iter().rev() {
                p.push(n);
            }
            return lexical(&p);
        }
        cur = parent;
    }
    lexical(&abs)
}

/// `path` with `.` and `..` removed lexically.
fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// Resolves every link of `path`.
fn resolve(path: &Path) -> Result<PathBuf, Refusal> {
    match path.canonicalize() {
        Ok(p) => Ok(p),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && path.is_symlink() => {
            Err(Refusal::Dangling)
        }
        Err(e) => Err(Refusal::Unresolvable(e.to_string())),
    }
}

/// Whether `real` is the output folder `out`, inside it, or one of the staging
/// or moved-aside folders a build keeps beside it (`.public.staging-*`, `.public.old-*`).
fn is_in_output(real: &Path, out: &Path) -> bool {
    if real.starts_with(out) {
        return true;
    }
    let (Some(parent), Some(name)) = (out.parent(), out.file_name()) else {
        return false;
    };
    let Ok(rest) = real.strip_prefix(parent) else {
        return false;
    };
    let Some(Component::Normal(first)) = rest.components().next() else {
        return false;
    };
    let first = first.as_encoded_bytes();
    let name = name.as_encoded_bytes();
    [".staging-".as_bytes(), ".old-".as_bytes()]
        .iter()
        .any(|kind| {
            first.len() > name.len() + 1
                && first[0] == b'.'
                && first[1..].starts_with(name)
                && first[1 + name.len()..].starts_with(kind)
        })
}

/// `path` relative to `root` when inside it, else as it is.
fn display_under(path: &Path, root: &Path) -> String {
    path.strip_prefix(root)
        .map(crate::fs::slash_path)
        .unwrap_or_else(|_| path.display().to_string())
}

impl Confinement {
    /// The diagnostic for an entry the walk could not read.
    fn walk_error(
        &self,
        err: &walkdir::Error,
        dir: &Path,
        display: &dyn Fn(&Path) -> String,
    ) -> Diagnostic {
        let path = err.path().unwrap_or(dir);
        let shown = display(path);
        if err.loop_ancestor().is_some() {
            return Diagnostic::warning(shown, 0, 0, "symbolic link loop: this folder is skipped")
                .with_help("remove the link, or point it outside its own parent folders");
        }
        let io = err.io_error();
        if io.is_some_and(|e| e.kind() == std::io::ErrorKind::NotFound) && path.is_symlink() {
            return Refusal::Dangling.diagnostic(&shown, self);
        }
        let reason = io.map_or_else(|| err.to_string(), ToString::to_string);
        let d = Diagnostic::error(shown, 0, 0, format!("cannot read: {reason}"));
        if io.is_some_and(|e| e.kind() == std::io::ErrorKind::PermissionDenied) {
            d.with_help("check the file's permissions: mentorbook must be able to read it")
        } else {
            d
        }
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn shown(p: &Path) -> String {
        p.display().to_string()
    }

    #[test]
    fn links_outside_and_into_the_output_are_refused() {
        let outside = tempfile::tempdir().expect("temp");
        std::fs::write(outside.path().join("secret"), "s").expect("write");
        let site = tempfile::tempdir().expect("temp");
        let root = site.path().canonicalize().expect("canon");
        std::fs::create_dir_all(root.join("content/a")).expect("mkdir");
        std::fs::create_dir_all(root.join("public/x")).expect("mkdir");
        std::fs::write(root.join("content/a/ok.md"), "ok").expect("write");
        std::fs::write(root.join("public/x/old.html"), "o").expect("write");
        symlink(outside.path().join("secret"), root.join("content/a/s.md")).expect("ln");
        symlink(outside.path(), root.join("content/dir")).expect("ln");
        symlink(root.join("public"), root.join("content/pub")).expect("ln");
        symlink(root.join("content/a/ok.md"), root.join("content/inside.md")).expect("ln");
        symlink(root.join("nothing"), root.join("content/dangling.md")).expect("ln");
        let rule = Confinement::new(&root, false);
        let mut diags = Vec::new();
        let found = rule.walk(&root.join("content"), &|_| false, &shown, &mut diags);
        let rels: Vec<&str> = found.iter().map(|e| e.rel.as_str()).collect();
        assert_eq!(rels, ["a/ok.md", "inside.md"]);
        assert_eq!(diags.len(), 4, "{diags:#?}");
        assert!(diags.iter().all(Diagnostic::is_error));

        let open = Confinement::new(&root, true);
        let mut diags = Vec::new();
        let found = open.walk(&root.join("content"), &|_| false, &shown, &mut diags);
        let rels: Vec<&str> = found.iter().map(|e| e.rel.as_str()).collect();
        assert_eq!(rels, ["a/ok.md", "a/s.md", "dir/secret", "inside.md"]);
        assert_eq!(
            diags.len(),
            2,
            "the output and the dangling link: {diags:#?}"
        );
    }

    #[test]
    fn staging_folders_count_as_the_output() {
        let out = Path::new("/h/public");
        assert!(is_in_output(Path::new("/h/public/a"), out));
        assert!(is_in_output(Path::new("/h/.public.staging-x1/a"), out));
        assert!(is_in_output(Path::new("/h/.public.old-3-0"), out));
        assert!(!is_in_output(Path::new("/h/publicity/a"), out));
        assert!(!is_in_output(Path::new("/h/.publicx.old-3"), out));
        assert!(!is_in_output(Path::new("/h/content/a"), out));
    }

    #[test]
    fn a_future_output_folder_is_resolved_through_its_parent() {
        let site = tempfile::tempdir().expect("temp");
        let root = site.path().canonicalize().expect("canon");
        let rule = Confinement::new(&root, true).with_output(&root.join("out/./new"));
        assert!(rule.outputs.contains(&root.join("out/new")));
        assert!(rule.check_real(&root.join("out/new/a.html")).is_err());
    }

    /// A small deterministic generator (xorshift), so the property test needs no crate.
    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            usize::try_from(self.0 % n as u64).expect("small")
        }
    }

    /// What the rule must give, found the slow way: every file reachable from
    /// `dir` through allowed paths, links resolved one by one, loops cut.
    fn reference(
        rule: &Confinement,
        dir: &Path,
        rel: &str,
        seen: &mut Vec<PathBuf>,
        out: &mut Vec<String>,
    ) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        let mut names: Vec<_> = entries
            .filter_map(Result::ok)
            .map(|e| e.file_name())
            .collect();
        names.sort();
        for name in names {
            let path = dir.join(&name);
            let rel = if rel.is_empty() {
                name.to_string_lossy().into_owned()
            } else {
                format!("{rel}/{}", name.to_string_lossy())
            };
            let Ok(real) = path.canonicalize() else {
                continue;
            };
            if rule.check_real(&real).is_err() {
                continue;
            }
            if real.is_dir() {
                if seen.contains(&real) {
                    continue;
                }
                seen.push(real);
                reference(rule, &path, &rel, seen, out);
                seen.pop();
            } else if real.is_file() {
                out.push(rel);
            }
        }
    }

    /// Over random trees of folders, files and links (inside the handbook, into
    /// the output, outside, dangling, loops), the walk returns exactly the files
    /// the rule allows, and every one of them resolves inside the bounds.
    #[test]
    fn property_random_link_trees() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        for round in 0..300 {
            let tmp = tempfile::tempdir().expect("temp");
            let base = tmp.path().canonicalize().expect("canon");
            let root = base.join("site");
            let mut dirs = vec![
                root.join("content"),
                root.join("public"),
                root.join("other"),
                base.join("outside"),
            ];
            for d in &dirs {
                std::fs::create_dir_all(d).expect("mkdir");
            }
            for i in 0..rng.below(12) + 2 {
                let parent = dirs[rng.below(dirs.len())].clone();
                let d = parent.join(format!("d{i}"));
                std::fs::create_dir_all(&d).expect("mkdir");
                dirs.push(d);
            }
            for i in 0..rng.below(12) + 1 {
                let parent = &dirs[rng.below(dirs.len())];
                std::fs::write(parent.join(format!("f{i}.md")), "x").expect("write");
            }
            for i in 0..rng.below(10) + 1 {
                let at = dirs[rng.below(dirs.len())].join(format!("l{i}"));
                let target = match rng.below(5) {
                    0 => base.join("nowhere"),
                    1 => root.join("public"),
                    _ => dirs[rng.below(dirs.len())].clone(),
                };
                symlink(&target, &at).expect("ln");
            }
            for allow in [false, true] {
                let rule = Confinement::new(&root, allow);
                let mut diags = Vec::new();
                let content = root.join("content");
                let found = rule.walk(&content, &|_| false, &shown, &mut diags);
                for e in &found {
                    let real = e.path.canonicalize().expect("a found file resolves");
                    assert!(rule.check_real(&real).is_ok(), "round {round}: {real:?}");
                    assert!(
                        !real.starts_with(root.join("public")),
                        "round {round}: {real:?}"
                    );
                    assert!(allow || real.starts_with(&root), "round {round}: {real:?}");
                }
                let mut want = Vec::new();
                reference(&rule, &content, "", &mut vec![content.clone()], &mut want);
                // Compared by real path: through a loop, the walk may list a
                // folder's files once more under another name before it stops.
                let real = |rel: &str| content.join(rel).canonicalize().expect("resolves");
                let want: std::collections::BTreeSet<PathBuf> =
                    want.iter().map(|r| real(r)).collect();
                let got: std::collections::BTreeSet<PathBuf> =
                    found.iter().map(|e| real(&e.rel)).collect();
                assert_eq!(got, want, "round {round}, allow {allow}");
            }
        }
    }
}

//! Test helpers: fixture sites in temporary folders, running the binary,
//! parsing output HTML, and crawling links.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use scraper::{Html, Selector};

/// The repository root (where the sample handbook lives).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A handbook in a temporary folder (or in a folder made elsewhere).
pub struct Site {
    dir: Option<tempfile::TempDir>,
    path: PathBuf,
}

impl Site {
    /// An empty handbook with a minimal French configuration.
    pub fn new() -> Self {
        let site = Self::temp();
        site.write("mentorbook.yaml", "title: Test\nlang: fr\n");
        site
    }

    /// A copy of `tests/fixtures/<name>`.
    pub fn fixture(name: &str) -> Self {
        let site = Self::temp();
        copy_dir(&repo_root().join("tests/fixtures").join(name), site.path());
        site
    }

    /// A copy of the repository's sample handbook.
    pub fn sample() -> Self {
        let site = Self::temp();
        for part in ["content", "themes"] {
            copy_dir(&repo_root().join(part), &site.path().join(part));
        }
        std::fs::copy(
            repo_root().join("mentorbook.yaml"),
            site.path().join("mentorbook.yaml"),
        )
        .expect("copy config");
        site
    }

    /// A copy of the sample handbook in French only (no `languages:`, no `.en.md` files).
    pub fn sample_french() -> Self {
        let site = Self::sample();
        let cfg =
            std::fs::read_to_string(site.path().join("mentorbook.yaml")).expect("read config");
        let cfg = cfg.split("\nlanguages:").next().unwrap_or(&cfg).to_string() + "\n";
        site.write("mentorbook.yaml", &cfg);
        for e in walkdir::WalkDir::new(site.path().join("content"))
            .into_iter()
            .filter_map(Result::ok)
        {
            if e.file_name().to_string_lossy().ends_with(".en.md") {
                std::fs::remove_file(e.path()).expect("remove translation");
            }
        }
        site
    }

    /// An empty temporary folder.
    fn temp() -> Self {
        let dir = tempfile::tempdir().expect("create temp dir");
        Self {
            path: dir.path().to_path_buf(),
            dir: Some(dir),
        }
    }

    /// The handbook at `path` (not removed when dropped).
    pub fn at(path: &Path) -> Self {
        Self {
            dir: None,
            path: path.to_path_buf(),
        }
    }

    /// The site's root folder.
    pub fn path(&self) -> &Path {
        let _ = &self.dir;
        &self.path
    }

    /// Writes a file (creating folders).
    pub fn write(&self, rel: &str, text: &str) -> &Self {
        self.write_bytes(rel, text.as_bytes())
    }

    /// Writes raw bytes (creating folders).
    pub fn write_bytes(&self, rel: &str, bytes: &[u8]) -> &Self {
        let p = self.path().join(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, bytes).expect("write");
        self
    }

    /// Runs `mentorbook ARGS` in the site folder.
    pub fn run(&self, args: &[&str]) -> Run {
        run_in(self.path(), args, &[])
    }

    /// Runs `mentorbook build` and asserts it succeeds.
    pub fn build(&self) -> Run {
        self.run(&["build"]).success()
    }

    /// The output folder.
    pub fn public(&self) -> PathBuf {
        self.path().join("public")
    }

    /// Parses an output HTML file.
    pub fn html(&self, rel: &str) -> Html {
        let text = std::fs::read_to_string(self.public().join(rel))
            .unwrap_or_else(|e| panic!("read {rel}: {e}"));
        Html::parse_document(&text)
    }
}

/// Runs `mentorbook ARGS` in `dir`, with `NO_COLOR` and the extra environment `env`.
pub fn run_in(dir: &Path, args: &[&str], env: &[(&str, &std::ffi::OsStr)]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_mentorbook"));
    cmd.args(args).current_dir(dir).env("NO_COLOR", "1");
    for (k, v) in env {
        cmd.env(k, v);
    }
    Run(cmd.output().expect("run mentorbook"))
}

/// The result of running the binary.
pub struct Run(pub Output);

impl Run {
    /// Exit code (panics on a signal).
    pub fn code(&self) -> i32 {
        self.0.status.code().expect("exit code")
    }
    /// Standard error as text.
    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.0.stderr).into_owned()
    }
    /// Standard output as text.
    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.0.stdout).into_owned()
    }
    /// Asserts exit code 0.
    pub fn success(self) -> Self {
        assert_eq!(
            self.code(),
            0,
            "stdout:\n{}\nstderr:\n{}",
            self.stdout(),
            self.stderr()
        );
        self
    }
    /// Asserts a given exit code.
    pub fn code_is(self, code: i32) -> Self {
        assert_eq!(
            self.code(),
            code,
            "stdout:\n{}\nstderr:\n{}",
            self.stdout(),
            self.stderr()
        );
        self
    }
    /// Asserts the process did not panic.
    pub fn no_panic(self) -> Self {
        assert!(
            self.code() == 0 || self.code() == 1 || self.code() == 2,
            "exit {}: {}",
            self.code(),
            self.stderr()
        );
        assert!(!self.stderr().contains("panicked"), "{}", self.stderr());
        self
    }
}

/// Copies a folder recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk fixture");
        let rel = entry.path().strip_prefix(from).expect("prefix");
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// Every file under `dir` with its bytes, by relative path.
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .expect("prefix")
                .to_string_lossy()
                .into_owned();
            (rel, std::fs::read(e.path()).expect("read"))
        })
        .collect()
}

/// Selects elements; panics on a bad selector.
pub fn select<'a>(doc: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    let sel = Selector::parse(css).unwrap_or_else(|e| panic!("selector {css}: {e:?}"));
    doc.select(&sel).collect()
}

/// Text of the first element matching `css`.
pub fn text_of(doc: &Html, css: &str) -> String {
    select(doc, css)
        .first()
        .map(|e| e.text().collect::<String>())
        .unwrap_or_else(|| panic!("no element matches {css}"))
}

/// Checks every `href`/`src` of every HTML file under `out` (except `skip`):
/// internal targets must exist, and fragments must be ids in the target.
/// Returns the list of problems.
pub fn crawl(out: &Path, skip: &[&str]) -> Vec<String> {
    let mut problems = Vec::new();
    let mut ids_cache: BTreeMap<PathBuf, std::collections::HashSet<String>> = BTreeMap::new();
    let files: Vec<PathBuf> = walkdir::WalkDir::new(out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| e.path().to_path_buf())
        .collect();
    let sel = Selector::parse("[href], [src]").expect("selector");
    for file in &files {
        let rel = file
            .strip_prefix(out)
            .expect("prefix")
            .to_string_lossy()
            .into_owned();
        if skip.contains(&rel.as_str()) {
            continue;
        }
        let doc = Html::parse_document(&std::fs::read_to_string(file).expect("read"));
        for el in doc.select(&sel) {
            let Some(url) = el.value().attr("href").or_else(|| el.value().attr("src")) else {
                continue;
            };
            if url.contains(':') || url.starts_with("//") {
                continue;
            }
            let (path, frag) = url
                .split_once('#')
                .map_or((url, None), |(p, f)| (p, Some(f)));
            let path = path.split('?').next().unwrap_or("");
            let target = if path.is_empty() {
                file.clone()
            } else {
                let decoded = percent_decode(path);
                let t = file.parent().expect("parent").join(&decoded);
                if path.starts_with('/') {
                    problems.push(format!("{rel}: root-absolute link `{url}`"));
                    continue;
                }
                t
            };
            let Ok(target) = target.canonicalize() else {
                problems.push(format!("{rel}: `{url}` does not exist"));
                continue;
            };
            if !target.starts_with(out.canonicalize().expect("canon")) {
                problems.push(format!("{rel}: `{url}` leaves the output folder"));
                continue;
            }
            if let Some(frag) = frag.filter(|f| !f.is_empty()) {
                let ids = ids_cache.entry(target.clone()).or_insert_with(|| {
                    let d =
                        Html::parse_document(&std::fs::read_to_string(&target).unwrap_or_default());
                    let s = Selector::parse("[id]").expect("selector");
                    d.select(&s)
                        .filter_map(|e| e.value().attr("id").map(str::to_string))
                        .collect()
                });
                let frag = percent_decode(frag);
                if !ids.contains(&frag) {
                    problems.push(format!("{rel}: `{url}`: no id `{frag}` in the target"));
                }
            }
        }
    }
    problems
}

/// Decodes `%XX` escapes.
pub fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && let Ok(v) = u8::from_str_radix(s.get(i + 1..i + 3).unwrap_or("zz"), 16)
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Where skipped tests are recorded for the summary printed by `tests/skipped.rs`.
fn skips_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("skipped-tests")
}

/// `test` cannot run here because of `reason` (no Chromium, no axe-core…).
/// Under `MENTORBOOK_REQUIRE_BROWSER=1` (CI) it fails instead. Otherwise it prints
/// `SKIPPED` past the test harness's output capture, so the run shows it, and
/// records it for the summary line of the `skipped` test target.
pub fn skip(test: &str, reason: &str) {
    assert!(
        !crate::browser::required(),
        "{test}: required (MENTORBOOK_REQUIRE_BROWSER=1) but {reason}"
    );
    use std::io::Write;
    let line = format!("SKIPPED {test}: {reason}");
    // Written to the stream itself, not through `eprintln!`, which the harness captures.
    let _ = writeln!(std::io::stderr().lock(), "{line}");
    let dir = skips_dir();
    if std::fs::create_dir_all(&dir).is_ok()
        && let Ok(mut f) = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(dir.join(format!("{}.txt", std::process::id())))
    {
        let _ = writeln!(f, "{line}");
    }
}

//! Where a handbook's files are: the content folder, the static folders, the
//! output folder, what the content folder holds that is not part of the site,
//! and the file whose list orders the pages.
//!
//! A native handbook uses the defaults (`content/`, `static/`, `public/`); a
//! handbook brought from another tool (`mentorbook import`) points them at the
//! folders it already has, so nothing of it has to move.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diagnostic::Diagnostic;
use crate::yaml::KeyLines;

/// How a broken link is reported (`links:` in `mentorbook.yaml`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LinkSeverity {
    /// A broken link or anchor stops the build (native handbooks).
    #[default]
    Error,
    /// A broken link or anchor is a warning (`--strict` makes it an error again).
    Warn,
}

/// The folders of a handbook, resolved against its root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sources {
    /// The content folder, absolute.
    pub content: PathBuf,
    /// The content folder as written, relative to the root (`content`, `docs`, `.`).
    pub content_rel: String,
    /// Static folders copied to the root of the output: (absolute, as written).
    pub statics: Vec<(PathBuf, String)>,
    /// The output folder relative to the root, when configured (`build --out` wins).
    pub output: Option<String>,
    /// Paths of the content folder that are neither pages nor copied files.
    pub exclude: Vec<String>,
    /// The file whose list orders the pages (`SUMMARY.md`, `mkdocs.yml`, `_toc.yml`),
    /// relative to the root; `None`: the content folder's `SUMMARY.md` when it exists.
    pub toc: Option<String>,
}

impl Sources {
    /// The defaults of a native handbook at `root`.
    pub fn native(root: &Path) -> Self {
        Sources {
            content: root.join("content"),
            content_rel: "content".into(),
            statics: vec![(root.join("static"), "static".into())],
            output: None,
            exclude: Vec::new(),
            toc: None,
        }
    }

    /// The prefix of every page's source path in diagnostics: `content/`, `docs/`,
    /// or nothing when the content folder is the root.
    pub fn prefix(&self) -> String {
        if self.content_rel == "." {
            String::new()
        } else {
            format!("{}/", self.content_rel)
        }
    }

    /// Whether the content folder is the handbook root itself (`content: .`).
    pub fn content_is_root(&self) -> bool {
        self.content_rel == "."
    }

    /// Whether the content-relative path `rel` (`/`-separated) is left out of the
    /// site: matched by an `exclude:` pattern, or, when the content folder is the
    /// root, the configuration, the output folder and mentorbook's own folders.
    pub fn is_excluded(&self, rel: &str) -> bool {
        if self.content_is_root() {
            let first = rel.split('/').next().unwrap_or(rel);
            let own = [
                crate::config::CONFIG_FILE,
                "templates",
                "themes",
                self.output.as_deref().unwrap_or("public"),
            ];
            if own.contains(&first)
                || self
                    .statics
                    .iter()
                    .any(|(_, s)| rel == s || rel.starts_with(&format!("{s}/")))
            {
                return true;
            }
        }
        self.exclude.iter().any(|p| matches_pattern(p, rel))
    }
}

/// Whether `pattern` (from `exclude:`) matches the content-relative path `rel`:
/// a pattern without `/` matches any file or folder of that name at any depth,
/// a pattern with `/` the path from the content folder; `*` stands for any
/// characters within one name. A matched folder leaves out everything inside.
pub fn matches_pattern(pattern: &str, rel: &str) -> bool {
    let pattern = pattern
        .trim()
        .trim_start_matches("./")
        .trim_end_matches('/');
    if pattern.is_empty() {
        return false;
    }
    let parts: Vec<&str> = rel.split('/').collect();
    if pattern.contains('/') {
        let pat: Vec<&str> = pattern.trim_start_matches('/').split('/').collect();
        pat.len() <= parts.len() && pat.iter().zip(&parts).all(|(p, n)| glob(p, n))
    } else {
        parts.iter().any(|n| glob(pattern, n))
    }
}

/// `*` matches any run of characters of one name; everything else is literal.
fn glob(pattern: &str, name: &str) -> bool {
    let mut pieces = pattern.split('*');
    let first = pieces.next().unwrap_or("");
    let Some(mut rest) = name.strip_prefix(first) else {
        return false;
    };
    let pieces: Vec<&str> = pieces.collect();
    let Some((last, middle)) = pieces.split_last() else {
        return rest.is_empty();
    };
    for piece in middle {
        match rest.find(piece) {
            Some(i) => rest = &rest[i + piece.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

/// The raw values of the keys this module reads.
#[derive(Debug, Clone, Default)]
pub(super) struct RawSources {
    pub content: Option<String>,
    pub statics: Option<Vec<String>>,
    pub output: Option<String>,
    pub exclude: Vec<String>,
    pub toc: Option<String>,
}

/// A relative path of the handbook written in the configuration, checked: it
/// must stay inside the root. `None` (with a diagnostic) otherwise.
fn folder(key: &str, value: &str, lines: &KeyLines, diags: &mut Vec<Diagnostic>) -> Option<String> {
    let v = value.trim().replace('\\', "/");
    let v = v.trim_end_matches('/');
    let v = if v.is_empty() { "." } else { v };
    let stays_inside = !v.starts_with('/')
        && !v.contains(':')
        && crate::urls::resolve("", v).is_some()
        && !v.split('/').any(|p| p == "..");
    if !stays_inside {
        let (line, col) = lines.get(key).unwrap_or((1, 1));
        diags.push(
            Diagnostic::error(
                crate::config::CONFIG_FILE,
                line,
                col,
                format!("`{key}: {value}` must be a folder inside the handbook"),
            )
            .with_help(format!(
                "write a path relative to the folder of `{}`, such as `docs`",
                crate::config::CONFIG_FILE
            )),
        );
        return None;
    }
    let clean = crate::urls::resolve("", v).unwrap_or_default();
    Some(if clean.is_empty() { ".".into() } else { clean })
}

/// Resolves the folders of `raw` against `root`, reporting paths that leave it.
pub(super) fn resolve(
    root: &Path,
    raw: RawSources,
    lines: &KeyLines,
    diags: &mut Vec<Diagnostic>,
) -> Sources {
    let mut s = Sources::native(root);
    if let Some(c) = raw
        .content
        .and_then(|c| folder("content", &c, lines, diags))
    {
        s.content = if c == "." {
            root.to_path_buf()
        } else {
            root.join(&c)
        };
        s.content_rel = c;
    }
    if let Some(list) = raw.statics {
        s.statics = list
            .iter()
            .filter_map(|d| folder("static", d, lines, diags))
            .map(|d| (root.join(&d), d))
            .collect();
    }
    if let Some(o) = raw.output.and_then(|o| folder("output", &o, lines, diags)) {
        if o == "." || o == s.content_rel {
            let (line, col) = lines.get("output").unwrap_or((1, 1));
            diags.push(
                Diagnostic::error(
                    crate::config::CONFIG_FILE,
                    line,
                    col,
                    format!("`output: {o}` would write the site over the handbook's sources"),
                )
                .with_help("name a folder of its own, such as `output: public`"),
            );
        } else {
            s.output = Some(o);
        }
    }
    if let Some(t) = raw.toc {
        let (line, col) = lines.get("toc").unwrap_or((1, 1));
        match folder("toc", &t, lines, diags) {
            Some(t) if root.join(&t).is_file() => s.toc = Some(t),
            Some(t) => diags.push(
                Diagnostic::error(
                    crate::config::CONFIG_FILE,
                    line,
                    col,
                    format!("`toc: {t}` does not exist"),
                )
                .with_help(
                    "name the file that lists the pages in order: `SUMMARY.md`, `mkdocs.yml` or `_toc.yml`",
                ),
            ),
            None => {}
        }
    }
    s.exclude = raw.exclude;
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_names_and_paths() {
        assert!(matches_pattern("node_modules", "a/node_modules/x.js"));
        assert!(matches_pattern("*.gemspec", "theme.gemspec"));
        assert!(matches_pattern("_site/", "_site/index.html"));
        assert!(matches_pattern("docs/old", "docs/old/a.md"));
        assert!(!matches_pattern("docs/old", "old/a.md"));
        assert!(matches_pattern("Gem*", "Gemfile.lock"));
        assert!(!matches_pattern("*.yml", "a.yaml"));
        assert!(matches_pattern("a*b*c", "axxbyyc"));
        assert!(!matches_pattern("a*b*c", "axxbyy"));
    }

    #[test]
    fn a_root_content_folder_leaves_out_mentorbooks_own_files() {
        let mut s = Sources::native(Path::new("/h"));
        s.content_rel = ".".into();
        s.output = Some("site-out".into());
        assert!(s.is_excluded("mentorbook.yaml"));
        assert!(s.is_excluded("site-out/index.html"));
        assert!(s.is_excluded("static/img/a.png"));
        assert!(!s.is_excluded("guide/a.md"));
    }
}

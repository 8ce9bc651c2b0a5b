//! Walks `content/` and sorts what it finds into pages, section indexes and assets.
//!
//! Hidden files, editor backups and swap files are skipped; unreadable entries,
//! symlink loops and links the confinement rule refuses ([`crate::confine`])
//! are reported, never silently dropped.

use std::path::{Path, PathBuf};

use crate::confine::Confinement;
use crate::diagnostic::Diagnostic;

/// What a file in `content/` is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// A Markdown page.
    Page,
    /// A section's `_index.md` (or `index.md`, or mdBook's `README.md`, when there is none).
    SectionIndex,
    /// Anything else: copied beside the pages.
    Asset,
}

/// A file found under `content/`.
#[derive(Debug, Clone)]
pub struct Found {
    /// Absolute path on disk.
    pub abs: PathBuf,
    /// Path relative to `content/`, `/`-separated, without any language suffix
    /// (`guide/a.en.md` → `guide/a.md`): pages of one language share these paths.
    pub rel: String,
    /// The file's real path relative to `content/`, for diagnostics.
    pub real: String,
    /// What it is.
    pub kind: FileKind,
}

/// Whether a file name is an editor's temporary or backup file, or hidden.
pub fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.starts_with('#')
        || name.ends_with(".swp")
        || name.ends_with(".swo")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.ends_with(".bak")
        || name == "4913"
}

/// The language of a Markdown file from its suffix (`a.en.md` → `en`) when it is one of `known`.
pub fn language_suffix<'a>(rel: &str, known: &'a [String]) -> Option<&'a str> {
    let stem = rel.strip_suffix(".md")?;
    let (_, code) = stem.rsplit_once('.')?;
    known
        .iter()
        .find(|k| k.as_str() == code)
        .map(String::as_str)
}

/// Marks section indexes among Markdown files (paths without language suffix):
/// `_index.md`, else `index.md`, else mdBook's `README.md`.
pub fn classify(found: &mut [Found]) {
    let names: std::collections::HashSet<String> = found.iter().map(|f| f.rel.clone()).collect();
    for f in found.iter_mut() {
        if f.kind == FileKind::Asset {
            continue;
        }
        let (dir, name) = f
            .rel
            .rsplit_once('/')
            .map_or(("", f.rel.as_str()), |(d, n)| (d, n));
        let has = |n: &str| {
            names.contains(&if dir.is_empty() {
                n.to_string()
            } else {
                format!("{dir}/{n}")
            })
        };
        let index = name == "_index.md"
            || (name == "index.md" && !has("_index.md"))
            || (name == "README.md" && !has("_index.md") && !has("index.md"));
        f.kind = if index {
            FileKind::SectionIndex
        } else {
            FileKind::Page
        };
    }
}

/// Lists every file under `content_dir` that the confinement rule allows,
/// sorted by path. `site_root` is used to name files in diagnostics.
pub fn walk(
    content_dir: &Path,
    site_root: &Path,
    confine: &Confinement,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Found> {
    let mut found = Vec::new();
    let display = |p: &Path| display_rel(p, site_root);
    for entry in confine.walk(content_dir, &is_ignored_name, &display, diags) {
        let name = entry.rel.rsplit('/').next().unwrap_or(&entry.rel);
        let kind = if name == "SUMMARY.md" && entry.depth == 1 {
            // mdBook's table of contents: it orders pages, it is not a page.
            continue;
        } else if name.ends_with(".md") {
            FileKind::Page
        } else {
            FileKind::Asset
        };
        found.push(Found {
            abs: entry.path,
            real: entry.rel.clone(),
            rel: entry.rel,
            kind,
        });
    }
    found
}

/// A path shown relative to the site root when possible.
pub fn display_rel(path: &Path, site_root: &Path) -> String {
    path.strip_prefix(site_root)
        .map(crate::fs::slash_path)
        .unwrap_or_else(|_| path.display().to_string())
}

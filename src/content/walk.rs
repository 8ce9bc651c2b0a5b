//! Walks `content/` and sorts what it finds into pages, section indexes and assets.
//!
//! Hidden files, editor backups and swap files are skipped; unreadable entries and
//! symlink loops are reported, never silently dropped.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

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

/// The extensions of Markdown pages: `.md`, Docusaurus' `.mdx` (read as Markdown:
/// its `import` lines and components are left out), and `.markdown`.
pub const PAGE_EXTENSIONS: [&str; 3] = [".md", ".mdx", ".markdown"];

/// A page's file name without its Markdown extension; `None` when it is not a page.
pub fn strip_page_ext(name: &str) -> Option<&str> {
    PAGE_EXTENSIONS
        .iter()
        .find_map(|e| name.strip_suffix(e))
        .filter(|s| !s.is_empty())
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
/// `_index.md`, else `index.md`, else mdBook's `README.md` (each also as `.mdx`);
/// with `named_after_folder` (Docusaurus), else a page named like its folder
/// (`posture/posture.md`).
pub fn classify(found: &mut [Found], named_after_folder: bool) {
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
        let stem = strip_page_ext(name).unwrap_or(name);
        let any = |stem: &str| PAGE_EXTENSIONS.iter().any(|e| has(&format!("{stem}{e}")));
        let folder = dir.rsplit('/').next().unwrap_or(dir);
        let index = stem == "_index"
            || (stem == "index" && !any("_index"))
            || (stem == "README" && !any("_index") && !any("index"))
            || (named_after_folder
                && !dir.is_empty()
                && stem == folder
                && !any("_index")
                && !any("index")
                && !any("README"));
        f.kind = if index {
            FileKind::SectionIndex
        } else {
            FileKind::Page
        };
    }
}

/// Lists every file under `content_dir`, sorted by path, except those `skip`
/// (given a path relative to `content_dir`) leaves out. `site_root` is used to
/// name files in diagnostics. GitBook's `.gitbook/` folder (its attachments)
/// is read although hidden.
pub fn walk(
    content_dir: &Path,
    site_root: &Path,
    skip: &dyn Fn(&str) -> bool,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Found> {
    let mut found = Vec::new();
    let walker = WalkDir::new(content_dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            e.depth() == 0
                || ((!is_ignored_name(&name) || (e.depth() == 1 && name == ".gitbook"))
                    && !e
                        .path()
                        .strip_prefix(content_dir)
                        .is_ok_and(|r| skip(&crate::fs::slash_path(r))))
        });
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(err) => {
                let path = err
                    .path()
                    .map(|p| display_rel(p, site_root))
                    .unwrap_or_else(|| "content".into());
                let dangling = err
                    .io_error()
                    .is_some_and(|e| e.kind() == std::io::ErrorKind::NotFound)
                    && err.path().is_some_and(|p| p.is_symlink());
                let d = if err.loop_ancestor().is_some() {
                    Diagnostic::warning(path, 0, 0, "symbolic link loop: this folder is skipped")
                        .with_help("remove the link, or point it outside its own parent folders")
                } else if dangling {
                    Diagnostic::error(
                        path,
                        0,
                        0,
                        "cannot read: this symbolic link leads to a file that does not exist",
                    )
                    .with_help("remove the link, or make it lead to an existing file")
                } else {
                    Diagnostic::error(path, 0, 0, format!("cannot read: {}", io_reason(&err)))
                        .with_help("check the file's permissions")
                };
                diags.push(d);
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(rel_path) = entry.path().strip_prefix(content_dir) else {
            continue;
        };
        let rel = crate::fs::slash_path(rel_path);
        let name = entry.file_name().to_string_lossy();
        let kind = if name == "SUMMARY.md" && entry.depth() == 1 {
            // mdBook's table of contents: it orders pages, it is not a page.
            continue;
        } else if strip_page_ext(&name).is_some() && !rel.starts_with(".gitbook/") {
            FileKind::Page
        } else {
            FileKind::Asset
        };
        found.push(Found {
            abs: entry.path().to_path_buf(),
            real: rel.clone(),
            rel,
            kind,
        });
    }
    found
}

fn io_reason(err: &walkdir::Error) -> String {
    err.io_error()
        .map_or_else(|| err.to_string(), ToString::to_string)
}

/// A path shown relative to the site root when possible.
pub fn display_rel(path: &Path, site_root: &Path) -> String {
    path.strip_prefix(site_root)
        .map(crate::fs::slash_path)
        .unwrap_or_else(|_| path.display().to_string())
}

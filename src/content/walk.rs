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

/// The language of a Markdown file from its suffix (`a.en.md` → `en`) when it is
/// one of `known` (a locale's `_` standing for a tag's `-`: `a.pt_BR.md` is `pt-BR`).
pub fn language_suffix<'a>(rel: &str, known: &'a [String]) -> Option<&'a str> {
    let stem = rel.strip_suffix(".md")?;
    let (_, code) = stem.rsplit_once('.')?;
    known
        .iter()
        .find(|k| {
            k.len() == code.len()
                && k.bytes()
                    .zip(code.bytes())
                    .all(|(a, b)| a == b || (a == b'-' && b == b'_'))
        })
        .map(String::as_str)
}

/// `a/b/c`, `a/b`, `a`, then `` (the root).
pub fn folders_up(dir: &str) -> impl Iterator<Item = &str> {
    let mut next = Some(dir);
    std::iter::from_fn(move || {
        let d = next?;
        next = if d.is_empty() {
            None
        } else {
            Some(d.rsplit_once('/').map_or("", |(up, _)| up))
        };
        Some(d)
    })
}

/// The names an Obsidian vault's home note goes by (Obsidian has no home
/// page; vaults open on one of these), compared without case.
pub const HOME_NOTES: [&str; 6] = [
    "Accueil",
    "Home",
    "Bienvenue",
    "Welcome",
    "Commencer ici",
    "Start here",
];

/// Whether the page file `name` is named as a vault's home note
/// ([`HOME_NOTES`], case ignored).
pub fn is_home_note(name: &str) -> bool {
    strip_page_ext(name).is_some_and(|stem| HOME_NOTES.iter().any(|h| h.eq_ignore_ascii_case(stem)))
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

/// Lists every file under `content_dir` that the confinement rule allows,
/// sorted by path, except those `skip` (given a path relative to `content_dir`)
/// leaves out. `site_root` is used to name files in diagnostics. GitBook's
/// `.gitbook/` folder (its attachments) is read although hidden.
pub fn walk(
    content_dir: &Path,
    site_root: &Path,
    confine: &Confinement,
    skip: &dyn Fn(&str) -> bool,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Found> {
    let mut found = Vec::new();
    let display = |p: &Path| display_rel(p, site_root);
    let leave_out = |rel: &str| {
        let name = rel.rsplit('/').next().unwrap_or(rel);
        let top = !rel.contains('/');
        (is_ignored_name(name) && !(top && name == ".gitbook")) || skip(rel)
    };
    for entry in confine.walk(content_dir, &leave_out, &display, diags) {
        let name = entry.rel.rsplit('/').next().unwrap_or(&entry.rel);
        let kind = if name == "SUMMARY.md" && entry.depth == 1 {
            // mdBook's table of contents: it orders pages, it is not a page.
            continue;
        } else if strip_page_ext(name).is_some() && !entry.rel.starts_with(".gitbook/") {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_up_ends_at_the_root() {
        assert_eq!(
            folders_up("a/b/c").collect::<Vec<_>>(),
            ["a/b/c", "a/b", "a", ""]
        );
        assert_eq!(folders_up("").collect::<Vec<_>>(), [""]);
    }
}

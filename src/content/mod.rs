//! The handbook's content: pages, sections and assets loaded from `content/`,
//! with their titles, output paths and reading order.
//!
//! Steps of [`load`]:
//! 1. [`walk`] lists the files;
//! 2. each Markdown file is read and its front matter parsed, in parallel;
//! 3. drafts are set aside, sections built, output paths assigned.
//!
//! Titles that come from a page's body are found by the Markdown stage, so the
//! site builder parses every page, then calls [`Content::finish`], which sets
//! those titles and orders every section's children by weight, numeric prefix,
//! then title. Content does not depend on the Markdown stage.

pub mod comments;
pub mod embed;
pub mod front_matter;
pub mod include;
pub mod outline;
pub mod page;
pub mod summary;
pub mod walk;

mod place;
mod tree;

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::paths::{LangCode, OutPath};

pub use front_matter::{Audience, FrontMatter, PageKind};
pub use page::{Node, Page, PageId, Section, SectionId};
pub use tree::{Reread, reread_body};

/// A non-Markdown file copied beside the pages (image, PDF…).
#[derive(Debug, Clone, PartialEq)]
pub struct Asset {
    /// Source path relative to the site root, for diagnostics (`content/img/a.png`).
    pub source: crate::paths::SourcePath,
    /// Absolute source path.
    pub abs: PathBuf,
    /// Path relative to `content/`.
    pub rel: String,
    /// Output path.
    pub out: OutPath,
}

/// The pages of every language of a multilingual handbook.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Languages {
    /// Each language: (code, display name, output path of its home page), default first.
    pub list: Vec<(String, String, String)>,
    /// For each page path without suffix (and each section folder, ending in `/`),
    /// its output path in each language of `list` (none where it is not translated).
    pub pages: std::collections::HashMap<String, Vec<Option<String>>>,
    /// Real paths (with suffix) of every language's pages, for links across languages:
    /// (output path, language code).
    pub files: std::collections::HashMap<String, (String, String)>,
}

/// The name of a language in that language, for the language switcher.
pub fn language_name(code: &str) -> String {
    match code.split(['-', '_']).next().unwrap_or(code) {
        "fr" => "Français",
        "en" => "English",
        "de" => "Deutsch",
        "es" => "Español",
        "it" => "Italiano",
        "pt" => "Português",
        "nl" => "Nederlands",
        "pl" => "Polski",
        "ar" => "العربية",
        "zh" => "中文",
        "ja" => "日本語",
        _ => code,
    }
    .to_string()
}

/// The files of the site's static folders (`static/`, or `static:`), which are
/// copied to the root of the output: links may point at them (`/img/logo.png`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StaticFiles {
    /// Each static folder, relative to the handbook root, `/`-separated.
    pub dirs: Vec<String>,
    /// Every file's output path (its path inside its static folder).
    pub files: std::collections::HashSet<String>,
}

impl StaticFiles {
    /// Lists the files of the static folders of `config`.
    pub fn of(config: &Config) -> Self {
        let mut files = std::collections::HashSet::new();
        let mut ignored = Vec::new();
        for (abs, _) in &config.sources.statics {
            if abs.is_dir() {
                for f in walk::walk(abs, &config.root, &config.confine, &|_| false, &mut ignored) {
                    files.insert(f.rel);
                }
            }
        }
        StaticFiles {
            dirs: config
                .sources
                .statics
                .iter()
                .map(|(_, r)| r.clone())
                .collect(),
            files,
        }
    }

    /// The output path of the file at `rel` (relative to the handbook root) when
    /// it lies in a static folder.
    pub fn of_root_path(&self, rel: &str) -> Option<String> {
        self.dirs.iter().find_map(|d| {
            let inner = if d == "." {
                rel
            } else {
                rel.strip_prefix(d.as_str())?.strip_prefix('/')?
            };
            self.files.contains(inner).then(|| inner.to_string())
        })
    }
}

/// What a content-relative path points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A page (or a section's `_index.md`).
    Page(PageId),
    /// A copied file.
    Asset(usize),
    /// A section folder.
    Section(SectionId),
}

/// Options for loading content.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// Include pages marked `draft: true`.
    pub drafts: bool,
    /// Where pages' Markdown is kept until it is parsed (`None`: in memory).
    pub store: Option<std::sync::Arc<crate::store::Store>>,
}

/// Which language's pages to load, on a multilingual handbook.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LangSelect {
    /// The language to load.
    pub code: String,
    /// Whether it is the default language (files without a suffix).
    pub default: bool,
    /// Every configured language code other than the default (file suffixes).
    pub suffixes: Vec<String>,
    /// Prefix of every output path of this language (`en/`; empty for the default).
    pub prefix: String,
}

/// Everything under `content/`, ready to render. Comparable, so that `serve`
/// can tell when only page bodies changed between two loads.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Content {
    /// Every page, section indexes included.
    pub pages: Vec<Page>,
    /// Every section; `sections[0]` is the root.
    pub sections: Vec<Section>,
    /// Files copied as they are.
    pub assets: Vec<Asset>,
    /// Pages in reading order (home first, depth first).
    pub order: Vec<PageId>,
    /// Content-relative paths of drafts left out of this build.
    pub drafts: BTreeSet<String>,
    /// Content-relative paths of pages that exist but could not be loaded
    /// (their error is reported at the page): links to them are not reported again.
    pub failed: BTreeSet<String>,
    /// Prefix of every page's output path (`en/` for a second language, else empty).
    pub prefix: OutPath,
    /// Language of this content (the site's language on a one-language handbook).
    pub lang: LangCode,
    /// Pages of the other languages, for links and the language switcher.
    pub languages: Option<std::sync::Arc<Languages>>,
    /// The files of the static folders, for links to them.
    pub statics: std::sync::Arc<StaticFiles>,
    /// The content folder as diagnostics name it (`content/`, `docs/`, or empty for the root).
    pub folder: String,
    lookup: HashMap<String, Target>,
    by_output: HashMap<String, Target>,
}

impl Content {
    /// What `rel` (a path relative to `content/`, `/`-separated, no `..`) points at.
    pub fn lookup(&self, rel: &str) -> Option<Target> {
        self.lookup.get(rel.trim_end_matches('/')).copied()
    }

    /// What is written at output path `out` (a page, or else a copied file).
    pub fn lookup_output(&self, out: &str) -> Option<Target> {
        self.by_output.get(out).copied()
    }

    /// The home page.
    pub fn home(&self) -> &Page {
        &self.pages[self.sections[0].index]
    }

    /// The worksheets, in reading order.
    pub fn worksheets(&self) -> impl Iterator<Item = &Page> {
        self.order
            .iter()
            .map(|&i| &self.pages[i])
            .filter(|p| p.is_worksheet())
    }

    /// A handbook of one page (the home page) with `body`, for fuzzing and unit tests.
    pub fn single_page(body: &str, lang: &str) -> Self {
        let page = Page {
            id: 0,
            source: "content/_index.md".into(),
            rel: "_index.md".into(),
            out: "index.html".into(),
            section: 0,
            is_index: true,
            fm: FrontMatter::default(),
            title: "Page".into(),
            title_in_body: false,
            title_from_body: false,
            body: crate::store::Held::here(body.to_string()),
            body_hash: crate::text::hash(body),
            head_hash: crate::text::hash(""),
            body_line: 1,
            lines: crate::text::LineMap::new(1),
            prefix: None,
            lang: lang.into(),
        };
        let mut content = Content {
            pages: vec![page],
            sections: vec![Section {
                id: 0,
                rel_dir: String::new(),
                out_dir: String::new(),
                index: 0,
                parent: None,
                children: Vec::new(),
                depth: 0,
            }],
            order: vec![0],
            ..Content::default()
        };
        content.lookup.insert("_index.md".into(), Target::Page(0));
        content
            .by_output
            .insert("index.html".into(), Target::Page(0));
        content
    }

    /// Sets the titles found in the pages' bodies (`titles[id]`: the text and
    /// whether it stays in the body): the title of pages whose front matter has
    /// none; for the others, the title shown, the front-matter one becoming the
    /// navigation title (see `markdown::title`). Then orders every section's
    /// children and computes the reading order.
    /// Call it once, after loading, before using the order.
    pub fn finish(
        &mut self,
        typography: crate::config::Typography,
        titles: impl IntoIterator<Item = (PageId, String, bool)>,
    ) {
        for (id, text, in_body) in titles {
            let Some(p) = self.pages.get_mut(id) else {
                continue;
            };
            let shown = tree::display_text_with(typography, &self.lang, &text);
            if p.title_from_body {
                p.title = shown;
                p.title_in_body = in_body;
            } else if !in_body {
                // The body's opening `# ` heading is the title shown; a different
                // front-matter title names the page in the navigation.
                if shown != p.title && p.fm.nav_title.is_none() {
                    p.fm.nav_title = Some(std::mem::take(&mut p.title));
                }
                p.title = shown;
            }
        }
        tree::order(self);
    }

    /// Whether `other` is this content with, at most, other page bodies.
    pub fn same_except_bodies(&self, other: &Content) -> bool {
        self.pages.len() == other.pages.len()
            && self
                .pages
                .iter()
                .zip(&other.pages)
                .all(|(a, b)| a.same_except_body(b))
            && self.sections == other.sections
            && self.assets == other.assets
            && self.order == other.order
            && self.drafts == other.drafts
            && self.failed == other.failed
            && self.prefix == other.prefix
            && self.lang == other.lang
            && self.languages == other.languages
            && self.statics == other.statics
            && self.folder == other.folder
            && self.lookup == other.lookup
            && self.by_output == other.by_output
    }

    /// Position of a page in the reading order.
    pub fn position(&self, id: PageId) -> Option<usize> {
        self.order.iter().position(|&p| p == id)
    }
}

/// Loads the content of the site described by `config`. Problems are pushed to
/// `diags`; the returned content holds every page that could be read.
pub fn load(config: &Config, opts: LoadOptions, diags: &mut Vec<Diagnostic>) -> Content {
    load_language(config, opts, None, diags)
}

/// Loads the pages of one language (`None`: a handbook in one language, no suffixes).
pub fn load_language(
    config: &Config,
    opts: LoadOptions,
    lang: Option<&LangSelect>,
    diags: &mut Vec<Diagnostic>,
) -> Content {
    let content_dir = config.content_dir();
    let folder = config.sources.prefix();
    if !content_dir.is_dir() {
        let name = config.sources.content_rel.clone();
        diags.push(
            Diagnostic::error(&name, 0, 0, format!("there is no `{name}/` folder")).with_help(
                if name == "content" {
                    "create `content/` with Markdown pages, or run `mentorbook init`".to_string()
                } else {
                    format!("create `{name}/`, or change `content:` in `mentorbook.yaml`")
                },
            ),
        );
        let mut c = tree::build(config, Vec::new(), Vec::new(), None, opts, lang, diags);
        c.folder = folder;
        return c;
    }
    let toc_in_content = config.sources.toc.as_ref().and_then(|t| {
        if config.sources.content_is_root() {
            Some(t.clone())
        } else {
            t.strip_prefix(&folder).map(str::to_string)
        }
    });
    let skip =
        |rel: &str| config.sources.is_excluded(rel) || toc_in_content.as_deref() == Some(rel);
    let mut found = walk::walk(&content_dir, &config.root, &config.confine, &skip, diags);
    if let Some(sel) = lang {
        found.retain_mut(|f| {
            if f.kind == walk::FileKind::Asset {
                return true;
            }
            match walk::language_suffix(&f.rel, &sel.suffixes) {
                Some(code) if code == sel.code => {
                    let cut = f.rel.len() - ".md".len() - code.len() - 1;
                    f.rel = format!("{}.md", &f.rel[..cut]);
                    true
                }
                Some(_) => false,
                None => sel.default,
            }
        });
    }
    walk::classify(
        &mut found,
        config.imported_from.as_deref() == Some("docusaurus"),
    );
    let (md, assets): (Vec<_>, Vec<_>) = found
        .into_iter()
        .partition(|f| f.kind != walk::FileKind::Asset);
    // Obsidian's embedded notes (`![[Note]]`) are found by name among them.
    let notes = config
        .embeds_notes()
        .then(|| embed::Notes::new(&md, opts.drafts));
    let loaded: Vec<(String, Option<tree::Loaded>, Vec<Diagnostic>)> = md
        .into_par_iter()
        .with_max_len(16)
        .map(|f| {
            let mut d = Vec::new();
            let rel = f.rel.clone();
            let page = tree::read_page(f, config, opts.store.as_ref(), notes.as_ref(), &mut d);
            (rel, page, d)
        })
        .collect();
    let outline = read_outline(config, diags);
    let loaded = without_included(loaded, outline.as_ref());
    let mut pages = Vec::with_capacity(loaded.len());
    let mut page_diags = Vec::new();
    let mut failed = BTreeSet::new();
    for (rel, p, d) in loaded {
        page_diags.extend(d);
        match p {
            Some(p) => pages.push(p),
            None => {
                failed.insert(rel);
            }
        }
    }
    collapse_repeats(&mut page_diags);
    diags.extend(page_diags);
    let mut c = tree::build(config, pages, assets, outline.as_ref(), opts, lang, diags);
    c.statics = std::sync::Arc::new(StaticFiles::of(config));
    c.folder = folder;
    c.failed = failed;
    c
}

/// The pages loaded, without the files that other pages include (mdBook's
/// `{{#include}}`, MkDocs' snippets): such a file is part of the pages that
/// include it, not a page, unless the table of contents lists it (as mdBook
/// renders only the files of its `SUMMARY.md`). A folder's index page stays one.
type LoadedPage = (String, Option<tree::Loaded>, Vec<Diagnostic>);

fn without_included(
    loaded: Vec<LoadedPage>,
    outline: Option<&outline::Outline>,
) -> Vec<LoadedPage> {
    let included: std::collections::HashSet<&std::path::Path> = loaded
        .iter()
        .filter_map(|(_, p, _)| p.as_ref())
        .flat_map(|p| p.included().iter().map(std::path::PathBuf::as_path))
        .collect();
    if included.is_empty() {
        return loaded;
    }
    let listed: std::collections::HashSet<&str> = outline
        .iter()
        .flat_map(|o| o.entries.iter().filter_map(|e| e.rel.as_deref()))
        .collect();
    let part = |p: &tree::Loaded| {
        let f = p.found();
        let name = f.rel.rsplit('/').next().unwrap_or(&f.rel);
        !matches!(name, "_index.md" | "index.md" | "README.md" | "readme.md")
            && !listed.contains(f.rel.as_str())
            && f.abs
                .canonicalize()
                .is_ok_and(|real| included.contains(real.as_path()))
    };
    let parts: Vec<bool> = loaded
        .iter()
        .map(|(_, p, _)| p.as_ref().is_some_and(part))
        .collect();
    loaded
        .into_iter()
        .zip(parts)
        .filter_map(|(l, is_part)| (!is_part).then_some(l))
        .collect()
}

/// The table of contents of the handbook: `toc:`, else the content folder's `SUMMARY.md`.
fn read_outline(config: &Config, diags: &mut Vec<Diagnostic>) -> Option<outline::Outline> {
    let folder = config.sources.prefix();
    let (path, source) = match &config.sources.toc {
        Some(t) => (config.root.join(t), t.clone()),
        None => {
            let p = config.content_dir().join("SUMMARY.md");
            if !p.is_file() {
                return None;
            }
            (p, format!("{folder}SUMMARY.md"))
        }
    };
    // Read under the confinement rule, like every file of the handbook.
    let text = match config.confine.read_optional(&path, &source, diags)? {
        Ok(t) => t.replace("\r\n", "\n"),
        Err(e) => {
            let d = Diagnostic::error(&source, 0, 0, format!("cannot read: {e}"));
            diags.push(if e.kind() == std::io::ErrorKind::InvalidData {
                d.with_help("save it as UTF-8 text")
            } else {
                d
            });
            return None;
        }
    };
    // Paths in a table of contents are relative to its own folder (MkDocs': to `docs_dir`).
    let toc_dir = source.rsplit_once('/').map_or("", |(d, _)| d).to_string();
    let is_mkdocs = outline::Format::of(&source, &text) == outline::Format::MkDocs;
    let base = move |p: &str| {
        let p = crate::urls::decode(p.trim_start_matches("./"));
        if is_mkdocs {
            return crate::urls::resolve("", &p);
        }
        let from_root = crate::urls::resolve(&toc_dir, &p)?;
        if folder.is_empty() {
            Some(from_root)
        } else {
            from_root.strip_prefix(&folder).map(str::to_string)
        }
    };
    Some(outline::read(&source, &text, &base, diags))
}

/// Keeps one of the warnings that every page of an imported handbook may repeat
/// (a key of another tool that is not used), at its first file, saying how many
/// other pages have it.
fn collapse_repeats(diags: &mut Vec<Diagnostic>) {
    crate::diagnostic::sort_diagnostics(diags);
    let mut counts: HashMap<String, usize> = HashMap::new();
    for d in diags.iter() {
        if d.message.ends_with(front_matter::UNUSED_KEY) {
            *counts.entry(d.message.clone()).or_default() += 1;
        }
    }
    let mut seen = std::collections::HashSet::new();
    diags.retain_mut(|d| {
        let Some(&n) = counts.get(&d.message) else {
            return true;
        };
        if !seen.insert(d.message.clone()) {
            return false;
        }
        if n > 1 {
            d.message = format!(
                "{} (also in {} other page{})",
                d.message,
                n - 1,
                if n == 2 { "" } else { "s" }
            );
        }
        true
    });
}

#[cfg(test)]
mod tests;

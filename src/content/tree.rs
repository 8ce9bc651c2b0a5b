//! Reading one page, then assembling pages into sections with output paths and order.
//!
//! Output paths: a page is written to its folder's output folder (each part
//! without its numeric prefix, slugged) under its file name (or `slug:`);
//! another tool's explicit path wins — Jekyll's `permalink` and a Docusaurus
//! `slug` holding a `/` — and a page whose explicit path is the `index.html`
//! of a folder without an index page becomes that folder's index page.
//! Sections: every folder, plus what [`place`] derives from a table of contents
//! or from front matter.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use crate::config::Config;
use crate::content::front_matter::{self, FrontMatter};
use crate::content::outline::Outline;
use crate::content::page::{Node, Page, PageId, Section, SectionId};
use crate::content::place::{self, Parent};
use crate::content::walk::{FileKind, Found};
use crate::content::{Asset, Content, LoadOptions, Target};
use crate::diagnostic::Diagnostic;
use crate::paths::OutPath;
use crate::store::{Held, Store};
use crate::text::{LineMap, humanize, slugify, split_numeric_prefix};

/// A Markdown file read and parsed, before it gets its place in the tree.
#[derive(Debug)]
pub(super) struct Loaded {
    found: Found,
    source: String,
    fm: FrontMatter,
    title: Option<String>,
    body: Held,
    body_hash: u64,
    head_hash: u64,
    lines: LineMap,
    /// The real paths of the files the page includes.
    included: Vec<std::path::PathBuf>,
}

impl Loaded {
    /// The real paths of the files the page includes.
    pub(super) fn included(&self) -> &[std::path::PathBuf] {
        &self.included
    }

    /// The file, as the walk found it.
    pub(super) fn found(&self) -> &Found {
        &self.found
    }
}

/// Decodes a file's bytes: UTF-8 (BOM dropped) or UTF-16 with a BOM; CRLF becomes LF.
pub(super) fn decode(source: &str, bytes: &[u8]) -> Result<String, Diagnostic> {
    let text = if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        utf16(rest, u16::from_le_bytes)
    } else if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        utf16(rest, u16::from_be_bytes)
    } else {
        let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
        match std::str::from_utf8(bytes) {
            Ok(s) => Some(s.to_string()),
            Err(e) => {
                let good = &bytes[..e.valid_up_to()];
                let line = good.iter().filter(|&&b| b == b'\n').count() + 1;
                let col = String::from_utf8_lossy(
                    &good[good.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1)..],
                )
                .chars()
                .count()
                    + 1;
                return Err(
                    Diagnostic::error(source, line, col, "this file is not valid UTF-8")
                        .with_help("save the file with the UTF-8 encoding in your editor"),
                );
            }
        }
    };
    let text = text.ok_or_else(|| {
        Diagnostic::error(
            source,
            1,
            1,
            "this file starts with a UTF-16 byte-order mark but is not valid UTF-16",
        )
        .with_help("save the file with the UTF-8 encoding in your editor")
    })?;
    Ok(if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text
    })
}

fn utf16(bytes: &[u8], conv: fn([u8; 2]) -> u16) -> Option<String> {
    if !bytes.len().is_multiple_of(2) {
        return None;
    }
    let units: Vec<u16> = bytes.chunks_exact(2).map(|c| conv([c[0], c[1]])).collect();
    String::from_utf16(&units).ok()
}

/// Reads and parses one Markdown file; `None` when it cannot be used (errors are in `diags`).
pub(super) fn read_page(
    found: Found,
    config: &Config,
    store: Option<&std::sync::Arc<Store>>,
    notes: Option<&crate::content::embed::Notes>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Loaded> {
    let source = config.source_path(&found.real);
    let bytes = match crate::fs::read(&found.abs) {
        Ok(b) => b,
        Err(e) => {
            diags.push(Diagnostic::error(
                &source,
                0,
                0,
                format!("cannot read this file: {}", io_reason(&e)),
            ));
            return None;
        }
    };
    let text = match decode(&source, &bytes) {
        Ok(t) => t,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    let split = match front_matter::split(&source, &text) {
        Ok(s) => s,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    let head_hash = crate::text::hash(&text[..text.len() - split.body.len()]);
    let fm = front_matter::parse(&source, &split, diags)?;
    let title = match &fm.title {
        Some(t) if t.trim().is_empty() => {
            let line = front_matter::key_lines(&split)
                .get("title")
                .unwrap_or((1, 1));
            diags.push(
                Diagnostic::error(&source, line.0, line.1, "the title is empty").with_help(
                    "write a title, or remove the `title:` line to use the first `# ` heading",
                ),
            );
            return None;
        }
        Some(t) => Some(t.trim().to_string()),
        // Found by the Markdown stage: the first `# ` heading (see `Content::finish`).
        None => None,
    };
    let mut included = Vec::new();
    let (body, lines) = match crate::content::include::expand(
        split.body,
        split.body_line,
        &found.abs,
        config,
        &source,
        notes,
        diags,
    ) {
        Some(e) => {
            included = e.included;
            (
                e.text,
                LineMap::with_columns(split.body_line, e.lines, e.cols),
            )
        }
        None => (split.body.to_string(), LineMap::new(split.body_line)),
    };
    let body_hash = crate::text::hash(&body);
    // A body that is the end of its file as it is on disk (UTF-8 without a
    // byte-order mark or carriage returns, nothing included) need not be copied
    // to the store's file: it can be read again from its own.
    let as_on_disk = included.is_empty()
        && !lines.is_mapped()
        && bytes.len() == text.len()
        && !bytes.starts_with(&[0xEF, 0xBB, 0xBF])
        && bytes.ends_with(body.as_bytes());
    let body = match store {
        Some(s) if as_on_disk => {
            let at = (bytes.len() - body.len()) as u64;
            s.keep_file_text(body, body_hash, &found.abs, at)
        }
        Some(s) => s.keep_text(body),
        None => Held::here(body),
    };
    Some(Loaded {
        found,
        source,
        fm,
        title,
        body,
        body_hash,
        head_hash,
        lines,
        included,
    })
}

/// What reading a modified page's file again gave (see [`reread_body`]).
#[derive(Debug)]
pub enum Reread {
    /// Only the body may differ: the new one, its hash and its lines.
    Body {
        /// The Markdown body, in the store.
        body: Held,
        /// Its hash.
        body_hash: u64,
        /// File line of each of its lines.
        lines: LineMap,
    },
    /// Something else changed, or the file cannot be read as it was (the
    /// front matter, includes, the kind of file…): the content must be loaded again.
    Other,
}

/// Reads the file of `page` again after it was modified in place (`serve`):
/// [`Reread::Body`] when the text before its body (the front matter) is the same
/// as when it was loaded and it includes no other file, so that the page is the
/// same but for its body; else [`Reread::Other`].
pub fn reread_body(config: &Config, page: &Page, store: Option<&std::sync::Arc<Store>>) -> Reread {
    let Some(real) = page.source.strip_prefix(config.sources.prefix().as_str()) else {
        return Reread::Other;
    };
    if page.rel.is_empty() || page.lines.is_mapped() {
        return Reread::Other;
    }
    let abs = config.content_dir().join(real);
    // A plain file, as the walk saw it (a link would be checked against the confinement).
    if !std::fs::symlink_metadata(&abs).is_ok_and(|m| m.is_file()) {
        return Reread::Other;
    }
    let Ok(bytes) = crate::fs::read(&abs) else {
        return Reread::Other;
    };
    let Ok(text) = decode(&page.source, &bytes) else {
        return Reread::Other;
    };
    let Ok(split) = front_matter::split(&page.source, &text) else {
        return Reread::Other;
    };
    let head = &text[..text.len() - split.body.len()];
    if crate::text::hash(head) != page.head_hash
        || split.body_line != page.body_line
        || crate::content::include::has_directives(split.body, config.embeds_notes())
    {
        return Reread::Other;
    }
    let body = split.body.to_string();
    let body_hash = crate::text::hash(&body);
    Reread::Body {
        body: match store {
            Some(s) => s.keep_text(body),
            None => Held::here(body),
        },
        body_hash,
        lines: LineMap::new(split.body_line),
    }
}

fn io_reason(e: &crate::error::Error) -> String {
    match e {
        crate::error::Error::Io { source, .. } => source.to_string(),
        other => other.to_string(),
    }
}

/// The output folder for a content folder: each part loses its numeric prefix and is slugged.
pub(super) fn out_dir_for(rel_dir: &str) -> String {
    rel_dir
        .split('/')
        .filter(|p| !p.is_empty())
        .map(out_name)
        .collect::<Vec<_>>()
        .join("/")
}

fn out_name(part: &str) -> String {
    let (_, rest) = split_numeric_prefix(part);
    let s = slugify(rest);
    if s.is_empty() {
        let s = slugify(part);
        if s.is_empty() { "_".to_string() } else { s }
    } else {
        s
    }
}

fn parent_dir(rel: &str) -> &str {
    rel.rfind('/').map_or("", |i| &rel[..i])
}

/// The file name without its Markdown extension (`.md`, `.mdx`, `.markdown`).
pub(super) fn file_stem(rel: &str) -> &str {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    crate::content::walk::strip_page_ext(name).unwrap_or(name)
}

fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

/// The output path another tool gives a page: Jekyll's `permalink`, or a
/// Docusaurus `slug` that is a path (`/guide/ecoute`, `sub/page`). `folder_out`
/// is the output folder of the page's folder (for a relative slug). `None` when
/// the page has none, or it is not a path a page can be written to (reported).
fn explicit_out(l: &Loaded, folder_out: &str, diags: &mut Vec<Diagnostic>) -> Option<String> {
    let (value, line, col, absolute) = if let Some(p) = &l.fm.placement.permalink {
        (p.value.as_str(), p.line, p.col, true)
    } else {
        let slug = l.fm.slug.as_deref()?.trim();
        if !slug.contains('/') {
            return None;
        }
        let (line, col) = l.fm.slug_at;
        (slug, line, col, slug.starts_with('/'))
    };
    let written = value.split(['#', '?']).next().unwrap_or("");
    let decoded = crate::urls::decode(written);
    let base = if absolute { "" } else { folder_out };
    let bad = |diags: &mut Vec<Diagnostic>, why: &str| {
        diags.push(
            Diagnostic::warning(&l.source, line, col, format!("`{value}` {why}"))
                .with_help("the page keeps the path of its file"),
        );
        None
    };
    if crate::urls::is_external(&decoded) {
        return bad(diags, "is not a path inside the handbook");
    }
    let Some(path) = crate::urls::resolve(base, &decoded) else {
        return bad(diags, "leads outside the handbook");
    };
    if decoded.ends_with('/') || path.is_empty() {
        return Some(join(&path, "index.html"));
    }
    let last = path.rsplit('/').next().unwrap_or(&path);
    match last.rsplit_once('.') {
        Some((_, "html" | "htm")) => Some(path),
        Some((_, ext)) if !ext.is_empty() && !ext.contains(' ') && ext.len() <= 5 => bad(
            diags,
            "is not an HTML page; mentorbook writes pages as HTML",
        ),
        _ => Some(format!("{path}.html")),
    }
}

/// What a section is made from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    /// A folder of the content folder.
    Folder(String),
    /// A page that other pages sit under (by index in `kept`).
    Page(usize),
    /// A group without a page.
    Group(usize),
}

/// Assembles loaded pages and assets into a [`Content`], with output paths; the
/// children of each section are ordered later, once titles are known ([`order`]).
#[allow(clippy::too_many_arguments)]
pub(super) fn build(
    config: &Config,
    loaded: Vec<Loaded>,
    assets: Vec<Found>,
    outline: Option<&Outline>,
    opts: LoadOptions,
    lang: Option<&crate::content::LangSelect>,
    diags: &mut Vec<Diagnostic>,
) -> Content {
    let prefix = lang
        .map_or("", |l| l.prefix.as_str())
        .trim_end_matches('/')
        .to_string();
    let mut content = Content {
        prefix: if prefix.is_empty() {
            OutPath::default()
        } else {
            OutPath::from(format!("{prefix}/"))
        },
        lang: lang
            .map_or_else(|| config.lang.clone(), |l| l.code.clone())
            .into(),
        ..Content::default()
    };

    // Drafts: a draft section index removes the whole folder.
    let mut draft_dirs: Vec<String> = Vec::new();
    if !opts.drafts {
        for l in &loaded {
            if l.fm.draft && l.found.kind == FileKind::SectionIndex {
                draft_dirs.push(parent_dir(&l.found.rel).to_string());
            }
        }
    }
    let in_draft_dir = |rel: &str| {
        draft_dirs
            .iter()
            .any(|d| d.is_empty() || rel.starts_with(&format!("{d}/")))
    };
    let mut kept = Vec::with_capacity(loaded.len());
    for l in loaded {
        if !opts.drafts && (l.fm.draft || in_draft_dir(&l.found.rel)) {
            content.drafts.insert(l.found.rel.clone());
        } else {
            kept.push(l);
        }
    }

    // Where the table of contents and the front matter place each page.
    let placed = {
        let facts: Vec<place::Facts<'_>> = kept
            .iter()
            .map(|l| place::Facts {
                rel: &l.found.rel,
                dir: parent_dir(&l.found.rel),
                source: &l.source,
                fm: &l.fm,
            })
            .collect();
        place::place(&facts, outline, &content.drafts, diags)
    };
    for (i, l) in kept.iter_mut().enumerate() {
        if l.fm.position().is_none() {
            #[allow(clippy::cast_precision_loss)]
            let pos = placed.toc_position[i].map(|p| p as f64);
            l.fm.placement.order = pos;
        }
        if l.fm.nav_title.is_none()
            && let Some(t) = &placed.toc_title[i]
            && l.title.as_deref() != Some(t.as_str())
        {
            l.fm.nav_title = Some(t.clone());
        }
    }

    // Folders: the root, every folder holding a page, and their parents.
    let mut dirs: BTreeMap<String, Option<usize>> = BTreeMap::new();
    dirs.insert(String::new(), None);
    for (i, l) in kept.iter().enumerate() {
        let mut dir = parent_dir(&l.found.rel).to_string();
        if l.found.kind == FileKind::SectionIndex {
            dirs.insert(dir.clone(), Some(i));
        }
        loop {
            dirs.entry(dir.clone()).or_insert(None);
            if dir.is_empty() {
                break;
            }
            dir = parent_dir(&dir).to_string();
        }
    }
    let folder_out = |dir: &str| match out_dir_for(dir) {
        d if d.is_empty() => prefix.clone(),
        d => join(&prefix, &d),
    };

    // Output paths other tools gave; a page whose path is a folder's `index.html`
    // is that folder's index when the folder has none.
    let mut explicit: Vec<Option<String>> = kept
        .iter()
        .map(|l| {
            let own = out_dir_for(parent_dir(&l.found.rel));
            explicit_out(l, &own, diags).map(|p| join(&prefix, &p))
        })
        .collect();
    // A table of contents opening with a page of the root folder, where there is
    // no home page: that page is the home page (as mdBook's first chapter is).
    if dirs.get("").is_some_and(Option::is_none)
        && let Some(first) = (0..kept.len())
            .filter(|&i| placed.toc_position[i].is_some())
            .min_by_key(|&i| placed.toc_position[i])
        && parent_dir(&kept[first].found.rel).is_empty()
        && explicit[first].is_none()
        && placed.parent[first].is_none()
    {
        explicit[first] = Some(join(&prefix, "index.html"));
    }
    // An Obsidian vault's home note (`Accueil.md`, `Home.md`) at its top,
    // where there is no home page.
    if dirs.get("").is_some_and(Option::is_none)
        && config.imported_from.as_deref() == Some("obsidian")
        && !explicit
            .iter()
            .flatten()
            .any(|e| e == &join(&prefix, "index.html"))
        && let Some(home) = (0..kept.len()).find(|&i| {
            let rel = kept[i].found.rel.as_str();
            parent_dir(rel).is_empty()
                && explicit[i].is_none()
                && crate::content::walk::is_home_note(rel)
        })
    {
        explicit[home] = Some(join(&prefix, "index.html"));
    }
    let mut claims: HashMap<&str, usize> = HashMap::new();
    for (i, e) in explicit.iter().enumerate() {
        if let Some(e) = e
            && kept[i].found.kind != FileKind::SectionIndex
        {
            claims.entry(e.as_str()).or_insert(i);
        }
    }
    let mut is_index = vec![false; kept.len()];
    for (dir, index) in dirs.iter_mut() {
        if index.is_none()
            && let Some(&i) = claims.get(join(&folder_out(dir), "index.html").as_str())
            && !is_index[i]
        {
            *index = Some(i);
        }
        if let Some(i) = *index {
            is_index[i] = true;
        }
    }
    let folder_of_index: HashMap<usize, &str> = dirs
        .iter()
        .filter_map(|(d, i)| i.map(|i| (i, d.as_str())))
        .collect();

    // Sections: folders, then pages other pages sit under, then groups.
    let mut keys: Vec<Key> = dirs.keys().cloned().map(Key::Folder).collect();
    let as_section_key = |p: Parent| match p {
        Parent::Page(j) => match folder_of_index.get(&j) {
            Some(d) => Key::Folder((*d).to_string()),
            None => Key::Page(j),
        },
        Parent::Group(g) => Key::Group(g),
    };
    let mut promoted: BTreeSet<usize> = BTreeSet::new();
    let mut used_groups: BTreeSet<usize> = BTreeSet::new();
    let parents = placed
        .parent
        .iter()
        .flatten()
        .chain(placed.groups.iter().filter_map(|g| g.parent.as_ref()));
    for p in parents {
        match as_section_key(*p) {
            Key::Page(j) => {
                promoted.insert(j);
            }
            Key::Group(g) => {
                used_groups.insert(g);
            }
            Key::Folder(_) => {}
        }
    }
    for &j in &promoted {
        is_index[j] = true;
    }
    keys.extend(promoted.iter().map(|&j| Key::Page(j)));
    keys.extend(used_groups.iter().map(|&g| Key::Group(g)));
    let sid_of: HashMap<Key, SectionId> = keys
        .iter()
        .enumerate()
        .map(|(i, k)| (k.clone(), i))
        .collect();
    let sid = |k: &Key| sid_of.get(k).copied().unwrap_or(0);
    let folder_sid = |dir: &str| sid(&Key::Folder(dir.to_string()));
    let placed_parent = |i: usize| {
        placed.parent[i]
            .map(as_section_key)
            .map(|k| sid(&k))
            .filter(|&s| s != sid(&Key::Page(i)) || !promoted.contains(&i))
    };

    // Each section's parent, index page and output folder.
    let mut parent_of: Vec<Option<SectionId>> = vec![None; keys.len()];
    let mut out_dirs: Vec<String> = Vec::with_capacity(keys.len());
    // The page index of each section's index in `kept` (`None`: a page is made up).
    let mut index_of: Vec<Option<usize>> = Vec::with_capacity(keys.len());
    for (s, k) in keys.iter().enumerate() {
        match k {
            Key::Folder(dir) => {
                let index = dirs.get(dir).copied().flatten();
                if !dir.is_empty() {
                    let logical = index.and_then(placed_parent).filter(|&p| p != s);
                    parent_of[s] = Some(logical.unwrap_or_else(|| folder_sid(parent_dir(dir))));
                }
                out_dirs.push(folder_out(dir));
                index_of.push(index);
            }
            Key::Page(j) => {
                let l = &kept[*j];
                let own_dir = parent_dir(&l.found.rel);
                parent_of[s] = Some(placed_parent(*j).unwrap_or_else(|| folder_sid(own_dir)));
                let out = page_out(l, explicit[*j].as_deref(), &folder_out(own_dir));
                let dir = out
                    .strip_suffix("/index.html")
                    .or_else(|| out.strip_suffix(".html"))
                    .unwrap_or(&out)
                    .to_string();
                out_dirs.push(dir);
                index_of.push(Some(*j));
            }
            Key::Group(g) => {
                let group = &placed.groups[*g];
                parent_of[s] = Some(
                    group
                        .parent
                        .map(as_section_key)
                        .map(|k| sid(&k))
                        .filter(|&p| p != s)
                        .unwrap_or_else(|| folder_sid(&group.dir)),
                );
                let base = folder_out(&group.dir);
                let name = match slugify(&group.title) {
                    n if n.is_empty() => "group".to_string(),
                    n => n,
                };
                out_dirs.push(join(&base, &name));
                index_of.push(None);
            }
        }
    }
    cut_cycles(&mut parent_of, &index_of, &kept, diags);

    // Where each ordinary page sits.
    let home: Vec<Option<SectionId>> = (0..kept.len())
        .map(|i| {
            (!is_index[i]).then(|| {
                placed.parent[i]
                    .map(as_section_key)
                    .map_or_else(|| folder_sid(parent_dir(&kept[i].found.rel)), |k| sid(&k))
            })
        })
        .collect();
    // A folder without an index page of its own is only a name: it is left out
    // of the navigation when nothing sits in it, and always where the old tool's
    // navigation does not follow folders (Jekyll, a table of contents); what it
    // holds then sits in its parent.
    let transparent = outline.is_some() || config.imported_from.as_deref() == Some("jekyll");
    let only_a_name =
        |s: usize| s != 0 && matches!(keys[s], Key::Folder(_)) && index_of[s].is_none();
    let mut gone: Vec<bool> = (0..keys.len())
        .map(|s| transparent && only_a_name(s))
        .collect();
    let up = |gone: &[bool], mut s: SectionId| {
        let mut steps = 0;
        while gone[s] && steps <= gone.len() {
            s = parent_of[s].unwrap_or(0);
            steps += 1;
        }
        s
    };
    let mut filled = vec![false; keys.len()];
    for h in home.iter().flatten() {
        filled[up(&gone, *h)] = true;
    }
    let depth_before = depths(&parent_of);
    let mut deepest_first: Vec<SectionId> = (0..keys.len()).collect();
    deepest_first.sort_by_key(|&s| std::cmp::Reverse(depth_before[s]));
    for s in deepest_first {
        if s == 0 {
            continue;
        }
        if !gone[s] && only_a_name(s) && !filled[s] {
            gone[s] = true;
        }
        if !gone[s] {
            let p = up(&gone, parent_of[s].unwrap_or(0));
            filled[p] = true;
        }
    }
    let mut new_id: Vec<Option<SectionId>> = vec![None; keys.len()];
    let mut alive: Vec<SectionId> = Vec::new();
    for s in 0..keys.len() {
        if !gone[s] {
            new_id[s] = Some(alive.len());
            alive.push(s);
        }
    }
    let renumber = |s: SectionId| new_id[up(&gone, s)].unwrap_or(0);
    let new_parent: Vec<Option<SectionId>> =
        alive.iter().map(|&s| parent_of[s].map(renumber)).collect();
    let depth = depths(&new_parent);
    // The output folders of sections that are not folders (for their print page
    // and generated index) must not be another section's.
    let mut used_out_dirs: HashSet<String> = alive
        .iter()
        .filter(|&&s| matches!(keys[s], Key::Folder(_)))
        .map(|&s| out_dirs[s].clone())
        .collect();
    for &s in &alive {
        if matches!(keys[s], Key::Folder(_)) {
            continue;
        }
        let wanted = out_dirs[s].clone();
        let mut candidate = wanted.clone();
        let mut n = 2;
        while used_out_dirs.contains(&candidate) {
            candidate = format!("{wanted}-{n}");
            n += 1;
        }
        used_out_dirs.insert(candidate.clone());
        out_dirs[s] = candidate;
    }

    // Pages: section indexes first (one per section), then ordinary pages.
    let mut slots: Vec<Option<Loaded>> = kept.into_iter().map(Some).collect();
    for (new, &s) in alive.iter().enumerate() {
        let k = &keys[s];
        let out_dir = out_dirs[s].clone();
        let page_id = content.pages.len();
        let taken = index_of[s].and_then(|i| slots[i].take().map(|l| (i, l)));
        let page = match (k, taken) {
            // A page others sit under is a section page: in a folder of its own
            // (`roles.html` becomes `roles/index.html`), beside its print page.
            (Key::Page(_), Some((_, l))) => {
                make_page(config, page_id, l, new, true, join(&out_dir, "index.html"))
            }
            (_, Some((i, l))) => {
                let out = explicit[i]
                    .clone()
                    .unwrap_or_else(|| join(&out_dir, "index.html"));
                let mut page = make_page(config, page_id, l, new, true, out);
                if let Key::Folder(dir) = k {
                    apply_category(config, dir, &mut page, diags);
                }
                page
            }
            (Key::Folder(dir), None) => virtual_index(
                config,
                page_id,
                dir,
                new,
                join(&out_dir, "index.html"),
                diags,
            ),
            (Key::Group(g), None) => {
                let group = &placed.groups[*g];
                let mut page = virtual_index(
                    config,
                    page_id,
                    "",
                    new,
                    join(&out_dir, "index.html"),
                    diags,
                );
                page.title = display_text(config, &group.title);
                page.fm.placement.order = group.position;
                page.source = config.source_path(&join(&group.dir, "")).into();
                page
            }
            (Key::Page(_), None) => virtual_index(
                config,
                page_id,
                "",
                new,
                join(&out_dir, "index.html"),
                diags,
            ),
        };
        content.pages.push(page);
        content.sections.push(Section {
            id: new,
            rel_dir: match k {
                Key::Folder(dir) => dir.clone(),
                // Not a folder: a name no link can give.
                Key::Page(_) | Key::Group(_) => format!("#{out_dir}"),
            },
            out_dir,
            index: page_id,
            parent: new_parent[new],
            children: Vec::new(),
            depth: depth[new],
        });
    }
    let mut listed: Vec<(PageId, usize)> = Vec::new();
    for (i, l) in slots.into_iter().enumerate() {
        let Some(l) = l else { continue };
        let dir = parent_dir(&l.found.rel).to_string();
        let s = renumber(home[i].unwrap_or_else(|| folder_sid(&dir)));
        let out = page_out(&l, explicit[i].as_deref(), &folder_out(&dir));
        let id = content.pages.len();
        let page = make_page(config, id, l, s, false, out);
        if let Some(pos) = placed.toc_position[i] {
            listed.push((id, pos));
        }
        content.pages.push(page);
    }
    // A section whose index page has no position of its own takes the place of
    // its first page in the table of contents.
    let mut first: Vec<Option<usize>> = vec![None; content.sections.len()];
    for (id, pos) in listed {
        let mut at = Some(content.pages[id].section);
        while let Some(s) = at.filter(|&s| s != 0) {
            first[s] = Some(first[s].map_or(pos, |f| f.min(pos)));
            at = content.sections[s].parent;
        }
    }
    for (s, f) in first.into_iter().enumerate() {
        let index = content.sections[s].index;
        if let Some(f) = f
            && content.pages[index].fm.position().is_none()
        {
            #[allow(clippy::cast_precision_loss)]
            let f = f as f64;
            content.pages[index].fm.placement.order = Some(f);
        }
    }

    // Lookup table and assets.
    for p in &content.pages {
        if !p.rel.is_empty() {
            content.lookup.insert(p.rel.clone(), Target::Page(p.id));
        }
        content
            .by_output
            .entry(p.out.to_string())
            .or_insert(Target::Page(p.id));
    }
    for s in &content.sections {
        if !s.rel_dir.starts_with('#') {
            content
                .lookup
                .insert(s.rel_dir.clone(), Target::Section(s.id));
        }
    }
    for a in assets {
        if is_folder_metadata(a.rel.rsplit('/').next().unwrap_or("")) {
            continue;
        }
        let dir = parent_dir(&a.rel);
        let name = a.rel.rsplit('/').next().unwrap_or(&a.rel).to_string();
        let out = join(&out_dir_for(dir), &name);
        content
            .lookup
            .insert(a.rel.clone(), Target::Asset(content.assets.len()));
        content
            .by_output
            .entry(out.clone())
            .or_insert(Target::Asset(content.assets.len()));
        content.assets.push(Asset {
            source: config.source_path(&a.real).into(),
            abs: a.abs,
            rel: a.rel,
            out: out.into(),
        });
    }
    content
}

/// The output path of an ordinary page: its explicit path, else its name
/// (`slug:` or file name) in its folder's output folder `folder_out`.
fn page_out(l: &Loaded, explicit: Option<&str>, folder_out: &str) -> String {
    if let Some(e) = explicit {
        return e.to_string();
    }
    let name = match &l.fm.slug {
        Some(s) if !s.contains('/') && !slugify(s).is_empty() => slugify(s),
        _ => out_name(file_stem(&l.found.rel)),
    };
    join(folder_out, &format!("{name}.html"))
}

/// Breaks loops of sections placed under each other (`parent:` chains that
/// come back): the section where a loop is found moves to the root, with a warning.
fn cut_cycles(
    parent_of: &mut [Option<SectionId>],
    index_of: &[Option<usize>],
    kept: &[Loaded],
    diags: &mut Vec<Diagnostic>,
) {
    // 0: not seen, 1: on the current path, 2: done.
    let mut state = vec![0u8; parent_of.len()];
    for start in 0..parent_of.len() {
        let mut path = Vec::new();
        let mut at = Some(start);
        while let Some(s) = at {
            match state[s] {
                2 => break,
                1 => {
                    // `s` is on a loop: move it to the root.
                    parent_of[s] = (s != 0).then_some(0);
                    // Loops come from `parent:` keys: reported at the one of this section's page.
                    let (source, line, col) = match index_of[s].and_then(|j| kept.get(j)) {
                        Some(l) => {
                            l.fm.placement
                                .parent
                                .as_ref()
                                .map_or((l.source.clone(), 1, 1), |p| {
                                    (l.source.clone(), p.line, p.col)
                                })
                        }
                        None => (String::new(), 0, 0),
                    };
                    diags.push(
                        Diagnostic::warning(
                            source,
                            line,
                            col,
                            "pages are placed under each other in a loop: this one is shown at the top of the navigation",
                        )
                        .with_help("check the `parent:` of the pages of this loop"),
                    );
                    break;
                }
                _ => {
                    state[s] = 1;
                    path.push(s);
                    at = parent_of[s];
                }
            }
        }
        for s in path {
            state[s] = 2;
        }
    }
}

/// The depth of every section (the root is 0), from acyclic parent links.
fn depths(parent_of: &[Option<SectionId>]) -> Vec<usize> {
    let mut depth: Vec<Option<usize>> = vec![None; parent_of.len()];
    for start in 0..parent_of.len() {
        let mut chain = Vec::new();
        let mut at = Some(start);
        let mut base = 0;
        while let Some(s) = at {
            if let Some(d) = depth[s] {
                base = d + 1;
                break;
            }
            chain.push(s);
            at = parent_of[s];
            if chain.len() > parent_of.len() {
                break;
            }
        }
        for (k, s) in chain.iter().rev().enumerate() {
            depth[*s] = Some(base + k);
        }
    }
    depth.into_iter().map(Option::unwrap_or_default).collect()
}

fn make_page(
    config: &Config,
    id: PageId,
    l: Loaded,
    section: SectionId,
    is_index: bool,
    out: String,
) -> Page {
    let rel = l.found.rel;
    let dir = parent_dir(&rel);
    let stem = file_stem(&rel);
    // A folder's own index file is named after its folder; any other page (one
    // that others sit under, or whose permalink names a folder) after its file.
    let as_folder = is_index && l.found.kind == FileKind::SectionIndex;
    let title_from_body = l.title.is_none();
    let title = l.title.unwrap_or_else(|| {
        if as_folder && dir.is_empty() {
            config.title.clone()
        } else if as_folder {
            humanize(split_numeric_prefix(dir.rsplit('/').next().unwrap_or(dir)).1)
        } else {
            humanize(split_numeric_prefix(stem).1)
        }
    });
    let prefix = if as_folder {
        split_numeric_prefix(dir.rsplit('/').next().unwrap_or("")).0
    } else {
        split_numeric_prefix(stem).0
    };
    let title = display_text(config, &title);
    let lang =
        l.fm.lang
            .as_deref()
            .map(|c| crate::config::normalise_language(c).unwrap_or_else(|c| c))
            .unwrap_or_else(|| config.lang.clone());
    let mut fm = l.fm;
    fm.description = fm.description.map(|d| display_text(config, d.trim()));
    fm.nav_title = fm.nav_title.map(|t| display_text(config, &t));
    // An empty objective (`- ` left in the front matter) would print an empty bullet.
    fm.objectives.retain(|o| !o.trim().is_empty());
    for o in &mut fm.objectives {
        *o = display_text(config, o.trim());
    }
    Page {
        id,
        source: l.source.into(),
        lang: lang.into(),
        rel,
        out: out.into(),
        section,
        is_index,
        fm,
        title,
        title_in_body: false,
        title_from_body,
        body_hash: l.body_hash,
        head_hash: l.head_hash,
        body: l.body,
        body_line: l.lines.first(),
        lines: l.lines,
        prefix,
    }
}

/// Applies the site's typography to a title, description or objective.
fn display_text(config: &Config, s: &str) -> String {
    display_text_with(config.typography, &config.lang, s)
}

/// Applies smart punctuation, the quotation marks of `lang` and `typography` to a
/// title, description or objective (what Markdown gives page bodies).
pub(super) fn display_text_with(
    typography: crate::config::Typography,
    lang: &str,
    s: &str,
) -> String {
    crate::typography::display(
        s,
        typography == crate::config::Typography::Fr,
        crate::config::Typography::french_quotes(lang),
    )
}

/// Docusaurus `_category_.json` (or `.yml`): a folder's `label` and `position`,
/// and the description of its generated index page.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct Category {
    label: Option<String>,
    position: Option<f64>,
    link: Option<CategoryLink>,
}

/// The `link` of a `_category_.json`: what its index page says.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct CategoryLink {
    title: Option<String>,
    description: Option<String>,
}

/// Reads the `_category_` file of content folder `dir`, if any; a file that
/// cannot be read is reported at its line.
fn read_category(config: &Config, dir: &str, diags: &mut Vec<Diagnostic>) -> Category {
    let base = config.content_dir().join(dir);
    for (name, json) in [
        ("_category_.json", true),
        ("_category_.yml", false),
        ("_category_.yaml", false),
    ] {
        let path = base.join(name);
        // Mostly absent: one cheap look before resolving the path.
        if std::fs::symlink_metadata(&path).is_err() {
            continue;
        }
        // A link the rule refuses is reported by the walk; it is not read here.
        let Ok(real) = config.confine.check(&path) else {
            continue;
        };
        if !real.is_file() {
            continue;
        }
        let source = config.source_path(&join(dir, name));
        let text = match crate::fs::read_to_string(&real) {
            Ok(t) => t,
            Err(e) => {
                diags.push(Diagnostic::warning(source, 0, 0, io_reason(&e)));
                continue;
            }
        };
        let parsed = if json {
            serde_json::from_str::<Category>(&text).map_err(|e| {
                Diagnostic::warning(
                    &source,
                    e.line(),
                    e.column(),
                    format!("cannot read this file: {e}"),
                )
            })
        } else if let Err(d) = crate::yaml::bounded(&source, &text, 1, 64 * 1024, "this file") {
            Err(d)
        } else {
            serde_yaml::from_str::<Category>(&text)
                .map_err(|e| crate::yaml::error_to_diagnostic(&source, &e, 1, &text))
        };
        match parsed {
            Ok(c) => return c,
            Err(mut d) => {
                d.severity = crate::diagnostic::Severity::Warning;
                diags.push(
                    d.with_help("the folder keeps its name and place until the file is fixed"),
                );
            }
        }
    }
    Category::default()
}

/// Gives a folder's real index page what its `_category_` file says, where the
/// page does not say otherwise: the navigation label and the position.
fn apply_category(config: &Config, dir: &str, page: &mut Page, diags: &mut Vec<Diagnostic>) {
    if dir.is_empty() {
        return;
    }
    let c = read_category(config, dir, diags);
    if page.fm.position().is_none() {
        page.fm.placement.order = c.position;
    }
    if page.fm.nav_title.is_none()
        && let Some(label) = c.label.filter(|l| l.trim() != page.title)
    {
        page.fm.nav_title = Some(display_text(config, label.trim()));
    }
}

/// Whether a file only describes its folder (Docusaurus `_category_.json`) and is not copied.
pub(super) fn is_folder_metadata(name: &str) -> bool {
    name.starts_with("_category_.")
}

fn virtual_index(
    config: &Config,
    id: PageId,
    dir: &str,
    section: SectionId,
    out: String,
    diags: &mut Vec<Diagnostic>,
) -> Page {
    let last = dir.rsplit('/').next().unwrap_or(dir);
    let (prefix, rest) = split_numeric_prefix(last);
    let category = if dir.is_empty() {
        Category::default()
    } else {
        read_category(config, dir, diags)
    };
    let link = category.link.unwrap_or_default();
    let fm = FrontMatter {
        description: link.description.map(|d| display_text(config, d.trim())),
        placement: front_matter::Placement {
            order: category.position.filter(|p| p.is_finite()),
            ..front_matter::Placement::default()
        },
        ..FrontMatter::default()
    };
    let title = category.label.or(link.title).unwrap_or_else(|| {
        if dir.is_empty() {
            config.title.clone()
        } else {
            humanize(rest)
        }
    });
    Page {
        id,
        source: config.source_path(&join(dir, "")).into(),
        rel: String::new(),
        out: out.into(),
        section,
        is_index: true,
        fm,
        title: display_text(config, &title),
        title_in_body: false,
        title_from_body: false,
        body: Held::default(),
        body_hash: crate::text::hash(""),
        head_hash: crate::text::hash(""),
        body_line: 1,
        lines: LineMap::new(1),
        prefix,
        lang: config.lang.as_str().into(),
    }
}

/// The sort key of a section's child: position (`weight`, another tool's order
/// key, the place in a table of contents), numeric prefix, title, output path.
fn order_key(content: &Content, node: Node) -> (Position, u64, String, String) {
    let page = match node {
        Node::Page(p) => &content.pages[p],
        Node::Section(s) => &content.pages[content.sections[s].index],
    };
    (
        Position(page.fm.position().unwrap_or(f64::INFINITY)),
        page.prefix.unwrap_or(u64::MAX),
        crate::text::natural_key(&page.title),
        page.out.to_string(),
    )
}

/// A position that sorts (`f64::total_cmp`).
#[derive(Debug, Clone, Copy)]
struct Position(f64);

impl PartialEq for Position {
    fn eq(&self, other: &Self) -> bool {
        self.0.total_cmp(&other.0).is_eq()
    }
}

impl Eq for Position {}

impl PartialOrd for Position {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Position {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0)
    }
}

/// Orders the children of every section by weight, numeric prefix, then title
/// (its numbers by value: `Séance 2` before `Séance 10`),
/// and computes the reading order.
pub(super) fn order(content: &mut Content) {
    let mut children: Vec<Vec<Node>> = vec![Vec::new(); content.sections.len()];
    for p in &content.pages {
        if !p.is_index {
            children[p.section].push(Node::Page(p.id));
        }
    }
    for s in &content.sections {
        if let Some(parent) = s.parent {
            children[parent].push(Node::Section(s.id));
        }
    }
    for (sid, mut kids) in children.into_iter().enumerate() {
        kids.sort_by_cached_key(|n| order_key(content, *n));
        content.sections[sid].children = kids;
    }
    let mut order = Vec::with_capacity(content.pages.len());
    reading_order(content, 0, &mut order);
    content.order = order;
}

/// Depth first from section `sid`, with an explicit stack: folders nest as
/// deep as the author likes, the call stack does not.
fn reading_order(content: &Content, sid: SectionId, out: &mut Vec<PageId>) {
    let mut stack = vec![Node::Section(sid)];
    while let Some(node) = stack.pop() {
        match node {
            Node::Page(p) => out.push(p),
            Node::Section(s) => {
                out.push(content.sections[s].index);
                stack.extend(content.sections[s].children.iter().rev().copied());
            }
        }
    }
}

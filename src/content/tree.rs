//! Reading one page, then assembling pages into sections with output paths and order.

use std::collections::{BTreeMap, HashMap};

use crate::config::Config;
use crate::content::front_matter::{self, FrontMatter};
use crate::content::page::{Node, Page, PageId, Section, SectionId};
use crate::content::walk::{FileKind, Found};
use crate::content::{Asset, Content, LoadOptions, Target};
use crate::diagnostic::Diagnostic;
use crate::paths::OutPath;
use crate::text::{fold, humanize, slugify, split_numeric_prefix};

/// A Markdown file read and parsed, before it gets its place in the tree.
#[derive(Debug)]
pub(super) struct Loaded {
    found: Found,
    fm: FrontMatter,
    title: Option<String>,
    body: String,
    body_line: usize,
}

/// Orders pages listed in mdBook's `SUMMARY.md` by their place there (unless they have a `weight`).
/// A section without a listed index takes the place of its first listed page.
pub(super) fn apply_order(pages: &mut [Loaded], order: &std::collections::HashMap<String, i64>) {
    let mut first_in_dir: std::collections::HashMap<String, i64> = std::collections::HashMap::new();
    for l in pages.iter() {
        if let Some(&pos) = order.get(&l.found.rel) {
            let mut dir = parent_dir(&l.found.rel).to_string();
            while !dir.is_empty() {
                let e = first_in_dir.entry(dir.clone()).or_insert(pos);
                *e = (*e).min(pos);
                dir = parent_dir(&dir).to_string();
            }
        }
    }
    for l in pages.iter_mut() {
        if l.fm.weight.is_some() {
            continue;
        }
        let pos = order.get(&l.found.rel).copied().or_else(|| {
            (l.found.kind == FileKind::SectionIndex)
                .then(|| first_in_dir.get(parent_dir(&l.found.rel)).copied())
                .flatten()
        });
        l.fm.weight = pos;
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
pub(super) fn read_page(found: Found, diags: &mut Vec<Diagnostic>) -> Option<Loaded> {
    let source = format!("content/{}", found.real);
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
    let fm = front_matter::parse(&source, &split, diags)?;
    let title = match &fm.title {
        Some(t) if t.trim().is_empty() => {
            let line = crate::yaml::KeyLines::scan(split.yaml, split.yaml_line)
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
    Some(Loaded {
        found,
        fm,
        title,
        body: split.body.to_string(),
        body_line: split.body_line,
    })
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

fn file_stem(rel: &str) -> &str {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    name.strip_suffix(".md").unwrap_or(name)
}

fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

/// Assembles loaded pages and assets into a [`Content`], with output paths; the
/// children of each section are ordered later, once titles are known ([`order`]).
pub(super) fn build(
    config: &Config,
    loaded: Vec<Loaded>,
    assets: Vec<Found>,
    opts: LoadOptions,
    lang: Option<&crate::content::LangSelect>,
    _diags: &mut Vec<Diagnostic>,
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

    // Sections: the root, every folder holding a page, and their parents.
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
    let section_ids: HashMap<String, SectionId> = dirs
        .keys()
        .enumerate()
        .map(|(i, d)| (d.clone(), i))
        .collect();

    // Pages: section indexes first (one per section), then ordinary pages.
    let mut slots: Vec<Option<Loaded>> = kept.into_iter().map(Some).collect();
    for (sid, (dir, index)) in dirs.iter().enumerate() {
        let out_dir = match out_dir_for(dir) {
            d if d.is_empty() => prefix.clone(),
            d => join(&prefix, &d),
        };
        let parent = (!dir.is_empty()).then(|| section_ids[parent_dir(dir)]);
        let depth = if dir.is_empty() {
            0
        } else {
            dir.matches('/').count() + 1
        };
        let page_id = content.pages.len();
        let page = match index.and_then(|i| slots[i].take()) {
            Some(l) => make_page(config, page_id, l, sid, true, join(&out_dir, "index.html")),
            None => virtual_index(config, page_id, dir, sid, join(&out_dir, "index.html")),
        };
        content.pages.push(page);
        content.sections.push(Section {
            id: sid,
            rel_dir: dir.clone(),
            out_dir,
            index: page_id,
            parent,
            children: Vec::new(),
            depth,
        });
    }
    for l in slots.into_iter().flatten() {
        let dir = parent_dir(&l.found.rel).to_string();
        let sid = section_ids[&dir];
        let stem = file_stem(&l.found.rel);
        let name = match &l.fm.slug {
            Some(s) if !slugify(s).is_empty() => slugify(s),
            _ => out_name(stem),
        };
        let out = join(&content.sections[sid].out_dir, &format!("{name}.html"));
        let id = content.pages.len();
        let page = make_page(config, id, l, sid, false, out);
        content.pages.push(page);
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
        content
            .lookup
            .insert(s.rel_dir.clone(), Target::Section(s.id));
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
            abs: a.abs,
            rel: a.rel,
            out: out.into(),
        });
    }
    content
}

fn make_page(
    config: &Config,
    id: PageId,
    l: Loaded,
    section: SectionId,
    is_index: bool,
    out: String,
) -> Page {
    let source = format!("content/{}", l.found.real);
    let rel = l.found.rel;
    let dir = parent_dir(&rel);
    let stem = file_stem(&rel);
    let title_from_body = l.title.is_none();
    let title = l.title.unwrap_or_else(|| {
        if is_index && dir.is_empty() {
            config.title.clone()
        } else if is_index {
            humanize(split_numeric_prefix(dir.rsplit('/').next().unwrap_or(dir)).1)
        } else {
            humanize(split_numeric_prefix(stem).1)
        }
    });
    let prefix = if is_index {
        split_numeric_prefix(dir.rsplit('/').next().unwrap_or("")).0
    } else {
        split_numeric_prefix(stem).0
    };
    let title = display_text(config, &title);
    let lang = l.fm.lang.clone().unwrap_or_else(|| config.lang.clone());
    let mut fm = l.fm;
    fm.description = fm.description.map(|d| display_text(config, d.trim()));
    // An empty objective (`- ` left in the front matter) would print an empty bullet.
    fm.objectives.retain(|o| !o.trim().is_empty());
    for o in &mut fm.objectives {
        *o = display_text(config, o.trim());
    }
    Page {
        id,
        source: source.into(),
        lang: lang.into(),
        rel,
        out: out.into(),
        section,
        is_index,
        fm,
        title,
        title_in_body: false,
        title_from_body,
        body: l.body,
        body_line: l.body_line,
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

/// Docusaurus `_category_.json` (or `.yml`): a folder's `label` and `position`.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct Category {
    label: Option<String>,
    position: Option<f64>,
}

fn read_category(config: &Config, dir: &str) -> Category {
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
        let Ok(text) = std::fs::read_to_string(real) else {
            continue;
        };
        let parsed = if json {
            serde_json::from_str::<Category>(&text).ok()
        } else if crate::yaml::bounded("", &text, 1, 64 * 1024, "").is_err() {
            None
        } else {
            serde_yaml::from_str::<Category>(&text).ok()
        };
        if let Some(c) = parsed {
            return c;
        }
    }
    Category::default()
}

/// Whether a file only describes its folder (Docusaurus `_category_.json`) and is not copied.
pub(super) fn is_folder_metadata(name: &str) -> bool {
    name.starts_with("_category_.")
}

fn virtual_index(config: &Config, id: PageId, dir: &str, section: SectionId, out: String) -> Page {
    let last = dir.rsplit('/').next().unwrap_or(dir);
    let (prefix, rest) = split_numeric_prefix(last);
    let category = if dir.is_empty() {
        Category::default()
    } else {
        read_category(config, dir)
    };
    #[allow(clippy::cast_possible_truncation)]
    let fm = FrontMatter {
        weight: category.position.map(|p| p.round() as i64),
        ..FrontMatter::default()
    };
    let title = category.label.unwrap_or_else(|| {
        if dir.is_empty() {
            config.title.clone()
        } else {
            humanize(rest)
        }
    });
    Page {
        id,
        source: if dir.is_empty() {
            "content/".into()
        } else {
            format!("content/{dir}/").into()
        },
        rel: String::new(),
        out: out.into(),
        section,
        is_index: true,
        fm,
        title: display_text(config, &title),
        title_in_body: false,
        title_from_body: false,
        body: String::new(),
        body_line: 1,
        prefix,
        lang: config.lang.as_str().into(),
    }
}

fn order_key(content: &Content, node: Node) -> (i64, u64, String, String) {
    let page = match node {
        Node::Page(p) => &content.pages[p],
        Node::Section(s) => &content.pages[content.sections[s].index],
    };
    (
        page.fm.weight.unwrap_or(i64::MAX),
        page.prefix.unwrap_or(u64::MAX),
        fold(&page.title).to_lowercase(),
        page.out.to_string(),
    )
}

/// Orders the children of every section by weight, numeric prefix, then title,
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

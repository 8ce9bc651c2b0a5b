//! Wikilinks, as Obsidian, Foam and MkDocs' roamlinks write them:
//! `[[Posture du mentor]]`, `[[guide/posture#Écouter|écouter]]`, `![[plan.png]]`.
//! What is between the brackets is a name, not a path: it is looked up among
//! the language's pages (by file name, path without extension, the name
//! without its ordering number, title or `aliases:`, folder name for a
//! section) and files, and the nearest of several pages of the same name
//! wins. A heading is named by its text (`#Écouter`), as in Obsidian, or by
//! its id; a block by its id (`#^engagements`).
//!
//! The index is made once per resolution of a language's links, in time
//! linear in its pages and headings; each lookup then costs the depth of the
//! page's folder, however many pages share a name.

use std::collections::HashMap;
use std::sync::Arc;

use crate::content::{Content, Page, PageId, Target};
use crate::markdown::Doc;
use crate::site::links::Resolved;

/// How many of the other pages sharing a name a warning lists.
const OTHERS_SHOWN: usize = 3;

/// Every name a wikilink may use in one language.
#[derive(Debug, Default, Clone)]
pub struct WikiNames {
    /// Name (see [`key`]) → what has it.
    names: HashMap<String, Named>,
    /// (page, heading text as a [`key`]) → the heading's id, the first heading of that text.
    headings: HashMap<(PageId, String), String>,
}

/// What has one name: only the pages and files having it the strongest way
/// ([`By`]), the first few for messages, and the nearest under each folder.
#[derive(Debug, Default, Clone)]
struct Named {
    /// The first candidates by (path length, path), with their paths.
    first: Vec<(Target, String)>,
    /// How many candidates there are.
    count: usize,
    /// With several candidates: folder (`guide/fiches`, `` for the root) →
    /// the first candidate inside it, at any depth.
    under: HashMap<String, (Target, String)>,
}

/// How a page or file has a name, the strongest first: a wikilink names a
/// file as Obsidian does, then by its name without ordering number, then a
/// page by its title (Foam's habit), then a section by its folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum By {
    /// Its path or file name, without extension.
    File,
    /// Its file name without its ordering number (`posture` for `02-posture.md`).
    Number,
    /// Its title, or one of its `aliases:`.
    Title,
    /// The name of the folder a section's index introduces.
    Folder,
}

/// A wikilink's target found, or why there is none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// It leads there; the fragment to check in the page, if any.
    Link(Resolved, Option<(PageId, String)>),
    /// Nothing has that name.
    Unknown,
    /// `![[Note]]`: Obsidian embeds the page; here it can only be linked to.
    EmbeddedPage(PageId),
}

/// Several pages have the name: the others than the one chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ambiguous {
    /// Paths (relative to the content folder) of the first few others.
    pub others: Vec<String>,
    /// How many others there are in all.
    pub count: usize,
}

impl WikiNames {
    /// The names of `content`'s pages and files; `docs` (by page id) give the headings.
    /// Empty when no page writes a wikilink, so that other handbooks pay nothing.
    pub fn of(content: &Content, docs: &[Arc<Doc>]) -> Self {
        if !docs.iter().any(|d| d.links.iter().any(|l| l.wiki)) {
            return Self::default();
        }
        let mut all: HashMap<String, Vec<(Target, By)>> = HashMap::new();
        let mut add = |name: &str, t: Target, by: By| {
            let k = key(name);
            if k.is_empty() {
                return;
            }
            let v = all.entry(k).or_default();
            // A target's names are added one after the other: it can only be the last.
            match v.last_mut() {
                Some((o, b)) if *o == t => *b = (*b).min(by),
                _ => v.push((t, by)),
            }
        };
        for p in &content.pages {
            let t = Target::Page(p.id);
            if !p.rel.is_empty() {
                let no_ext = without_extension(&p.rel);
                add(no_ext, t, By::File);
                let stem = no_ext.rsplit('/').next().unwrap_or(no_ext);
                let is_index = matches!(
                    stem.to_ascii_lowercase().as_str(),
                    "index" | "_index" | "readme"
                );
                if !is_index {
                    add(stem, t, By::File);
                    add(without_number(stem), t, By::Number);
                }
            }
            add(&p.title, t, By::Title);
            for a in &p.fm.aliases {
                add(a, t, By::Title);
            }
            if p.is_index && p.section != 0 {
                let dir = content.sections[p.section].rel_dir.trim_end_matches('/');
                add(dir, t, By::Folder);
                let last = dir.rsplit('/').next().unwrap_or(dir);
                add(last, t, By::Folder);
                add(without_number(last), t, By::Folder);
            }
        }
        for (i, a) in content.assets.iter().enumerate() {
            let t = Target::Asset(i);
            add(&a.rel, t, By::File);
            add(a.rel.rsplit('/').next().unwrap_or(&a.rel), t, By::File);
        }
        let names = all
            .into_iter()
            .filter_map(|(k, v)| Some((k, named(content, v)?)))
            .collect();
        let mut headings = HashMap::new();
        for (id, d) in docs.iter().enumerate() {
            for h in &d.headings {
                headings
                    .entry((id, key(&h.text)))
                    .or_insert_with(|| h.id.clone());
            }
        }
        Self { names, headings }
    }

    /// What the wikilink `dest` (the text before `|`), written in `page`, leads
    /// to; with the other pages of the same name when several have it.
    pub fn resolve(
        &self,
        content: &Content,
        page: &Page,
        dest: &str,
        image: bool,
    ) -> (Found, Option<Ambiguous>) {
        let (name, heading) = match dest.split_once('#') {
            Some((n, h)) => (n.trim(), Some(h)),
            None => (dest.trim(), None),
        };
        let name = name.trim_end_matches('/');
        // `[[Note#Cadre#Durée]]` names a sub-heading: its own text is the
        // last part. `#^engagements` names a block by its id (see
        // `markdown::blockids`).
        let heading = heading.and_then(|h| h.rsplit('#').map(str::trim).find(|s| !s.is_empty()));
        if name.is_empty() && heading.is_none() {
            return (Found::Unknown, None);
        }
        let (target, ambiguous) = if name.is_empty() {
            (Target::Page(page.id), None)
        } else {
            match self.lookup(page, name) {
                Some(found) => found,
                None => return (Found::Unknown, None),
            }
        };
        let found = match target {
            Target::Asset(i) => Found::Link(
                Resolved::File {
                    out: content.assets[i].out.to_string(),
                    suffix: String::new(),
                },
                None,
            ),
            Target::Page(_) | Target::Section(_) => {
                let id = match target {
                    Target::Section(sid) => content.sections[sid].index,
                    Target::Page(id) => id,
                    Target::Asset(_) => page.id,
                };
                if image {
                    Found::EmbeddedPage(id)
                } else {
                    match heading.map(|h| self.heading_id(id, h)) {
                        Some(f) if id == page.id => {
                            Found::Link(Resolved::Fragment(f.clone()), Some((id, f)))
                        }
                        frag => {
                            let check = frag.clone().map(|f| (id, f));
                            Found::Link(Resolved::Page { id, frag }, check)
                        }
                    }
                }
            }
        };
        (found, ambiguous)
    }

    /// The id of the heading `text` names in page `target` (its text, or its id
    /// as written); else the slug its text would have, for the anchor check to report.
    fn heading_id(&self, target: PageId, text: &str) -> String {
        if text.starts_with('^') {
            return text.to_string();
        }
        if let Some(id) = self.headings.get(&(target, key(text))) {
            return id.clone();
        }
        let id = crate::urls::decode(text);
        if id.contains(char::is_whitespace) || id.chars().any(|c| c.is_uppercase()) {
            crate::text::slugify(&id)
        } else {
            id
        }
    }

    /// The page or file named `name` from `page`: a path from the page's
    /// folder first (`../guide/posture`), then any name; among several, the
    /// one nearest to `page` (in the deepest folder they share, then the
    /// shortest path).
    fn lookup(&self, page: &Page, name: &str) -> Option<(Target, Option<Ambiguous>)> {
        let dir = page.rel.rsplit_once('/').map_or("", |(d, _)| d);
        if name.contains('/')
            && let Some(from_page) = crate::urls::resolve(dir, name)
            && let Some(n) = self.names.get(&key(without_extension(&from_page)))
            && let Some((t, _)) = n.first.first()
        {
            return Some((*t, None));
        }
        let n = self
            .names
            .get(&key(name))
            .or_else(|| self.names.get(&key(without_extension(name))))?;
        let (best, path) = if n.count > 1 {
            crate::content::walk::folders_up(dir).find_map(|f| n.under.get(f))?
        } else {
            n.first.first()?
        };
        if n.count == 1 {
            return Some((*best, None));
        }
        let others: Vec<String> = n
            .first
            .iter()
            .filter(|(_, p)| p != path)
            .take(OTHERS_SHOWN)
            .map(|(_, p)| p.clone())
            .collect();
        Some((
            *best,
            Some(Ambiguous {
                others,
                count: n.count - 1,
            }),
        ))
    }
}

/// The candidates of one name, kept as [`Named`]: those having it the
/// strongest way; `None` when there are none.
fn named(content: &Content, v: Vec<(Target, By)>) -> Option<Named> {
    let strongest = v.iter().map(|(_, by)| *by).min()?;
    let mut best: Vec<(Target, String)> = v
        .into_iter()
        .filter(|(_, by)| *by == strongest)
        .map(|(t, _)| {
            let p = shown_path(content, &t);
            (t, p)
        })
        .collect();
    best.sort_by(|a, b| (a.1.len(), &a.1).cmp(&(b.1.len(), &b.1)));
    let count = best.len();
    let mut under: HashMap<String, (Target, String)> = HashMap::new();
    if count > 1 {
        // Sorted: the first candidate met under a folder is its best.
        for (t, p) in &best {
            let folder = p
                .trim_end_matches('/')
                .rsplit_once('/')
                .map_or("", |(d, _)| d);
            for f in crate::content::walk::folders_up(folder) {
                under
                    .entry(f.to_string())
                    .or_insert_with(|| (*t, p.clone()));
            }
        }
    }
    best.truncate(OTHERS_SHOWN + 1);
    Some(Named {
        first: best,
        count,
        under,
    })
}

/// Where a target is, for messages and for nearness: its file relative to
/// the content folder, or for a section without an index file, its folder.
pub fn shown_path(content: &Content, t: &Target) -> String {
    let page = |id: PageId| {
        let p = &content.pages[id];
        if p.rel.is_empty() {
            format!(
                "{}/",
                content.sections[p.section].rel_dir.trim_end_matches('/')
            )
        } else {
            p.rel.clone()
        }
    };
    match *t {
        Target::Page(id) => page(id),
        Target::Section(sid) => page(content.sections[sid].index),
        Target::Asset(i) => content.assets[i].rel.clone(),
    }
}

/// The name a wikilink gives a page by its path: `guide/posture` for
/// `guide/posture.md`.
pub fn path_name(rel: &str) -> &str {
    without_extension(rel.trim_end_matches('/'))
}

/// A name as wikilinks compare it: case and runs of spaces ignored.
fn key(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// `guide/posture.md` without its page extension.
fn without_extension(rel: &str) -> &str {
    crate::content::walk::strip_page_ext(rel).unwrap_or(rel)
}

/// A file or folder name without its ordering number (`02-posture` gives `posture`).
fn without_number(name: &str) -> &str {
    let rest = name.trim_start_matches(|c: char| c.is_ascii_digit());
    if rest.len() == name.len() {
        return name;
    }
    match rest.strip_prefix(['-', '_', '.', ' ']) {
        Some(r) if !r.is_empty() => r,
        _ => name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_ignore_case_spaces_extensions_and_numbers() {
        assert_eq!(key("  Posture   du Mentor "), "posture du mentor");
        assert_eq!(without_extension("guide/posture.md"), "guide/posture");
        assert_eq!(without_number("02-posture"), "posture");
        assert_eq!(without_number("2024"), "2024");
        assert_eq!(without_number("10_cadre"), "cadre");
        assert_eq!(without_number("posture"), "posture");
    }
}

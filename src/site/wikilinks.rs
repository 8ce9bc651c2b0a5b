//! Wikilinks, as Obsidian, Foam and MkDocs' roamlinks write them:
//! `[[Posture du mentor]]`, `[[guide/posture#Écouter|écouter]]`, `![[plan.png]]`.
//! What is between the brackets is a name, not a path: it is looked up among
//! the language's pages (by file name, path without extension, folder name
//! for a section, or title) and files, and the nearest of several pages of
//! the same name wins. A heading is named by its text (`#Écouter`), as in
//! Obsidian, or by its id; a block by its id (`#^engagements`).

use std::collections::HashMap;
use std::sync::Arc;

use crate::content::{Content, Page, PageId, Target};
use crate::markdown::Doc;
use crate::site::links::Resolved;

/// Every name a wikilink may use in one language.
#[derive(Debug, Default, Clone)]
pub struct WikiNames {
    /// Name (see [`key`]) → what has it, each once, with how it has it.
    names: HashMap<String, Vec<(Target, By)>>,
    /// (page, heading text as a [`key`]) → the heading's id, the first heading of that text.
    headings: HashMap<(PageId, String), String>,
}

/// How a page or file has a name, the strongest first: a wikilink names a
/// file as Obsidian does, then a page by its title (Foam's habit), then a
/// section by its folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum By {
    /// Its path or file name, without extension or ordering number.
    File,
    /// Its title.
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

/// Several pages have the name: the one chosen, and the others.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ambiguous {
    /// Source paths (relative to the content folder) of the pages not chosen.
    pub others: Vec<String>,
}

impl WikiNames {
    /// The names of `content`'s pages and files; `docs` (by page id) give the headings.
    /// Empty when no page writes a wikilink, so that other handbooks pay nothing.
    pub fn of(content: &Content, docs: &[Arc<Doc>]) -> Self {
        if !docs.iter().any(|d| d.links.iter().any(|l| l.wiki)) {
            return Self::default();
        }
        let mut names: HashMap<String, Vec<(Target, By)>> = HashMap::new();
        let mut add = |name: &str, t: Target, by: By| {
            let k = key(name);
            if k.is_empty() {
                return;
            }
            let v = names.entry(k).or_default();
            match v.iter_mut().find(|(o, _)| *o == t) {
                Some((_, b)) => *b = (*b).min(by),
                None => v.push((t, by)),
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
                    add(without_number(stem), t, By::File);
                }
            }
            if p.is_index && p.section != 0 {
                let dir = &content.sections[p.section].rel_dir;
                let dir = dir.trim_end_matches('/');
                add(dir, t, By::Folder);
                let last = dir.rsplit('/').next().unwrap_or(dir);
                add(last, t, By::Folder);
                add(without_number(last), t, By::Folder);
            }
            add(&p.title, t, By::Title);
        }
        for (i, a) in content.assets.iter().enumerate() {
            let t = Target::Asset(i);
            add(&a.rel, t, By::File);
            add(a.rel.rsplit('/').next().unwrap_or(&a.rel), t, By::File);
        }
        let mut headings = HashMap::new();
        for (id, d) in docs.iter().enumerate() {
            if d.headings.is_empty() {
                continue;
            }
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
        doc: &Doc,
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
        let (target, ambiguous) = if name.is_empty() {
            (Some(Target::Page(page.id)), None)
        } else {
            match self.lookup(content, page, name) {
                Some((t, amb)) => (Some(t), amb),
                None => (None, None),
            }
        };
        let found = match target {
            None => Found::Unknown,
            Some(Target::Asset(i)) => Found::Link(
                Resolved::File {
                    out: content.assets[i].out.to_string(),
                    suffix: String::new(),
                },
                None,
            ),
            Some(t) => {
                let id = match t {
                    Target::Section(sid) => content.sections[sid].index,
                    Target::Page(id) => id,
                    Target::Asset(_) => page.id,
                };
                if image {
                    Found::EmbeddedPage(id)
                } else {
                    match heading.map(|h| self.heading_id(doc, page.id, id, h)) {
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
    fn heading_id(&self, doc: &Doc, from: PageId, target: PageId, text: &str) -> String {
        if text.starts_with('^') {
            return text.to_string();
        }
        if target == from
            && let Some(h) = doc.headings.iter().find(|h| key(&h.text) == key(text))
        {
            return h.id.clone();
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
    /// one nearest to `page`.
    fn lookup(
        &self,
        content: &Content,
        page: &Page,
        name: &str,
    ) -> Option<(Target, Option<Ambiguous>)> {
        let dir = page.rel.rsplit_once('/').map_or("", |(d, _)| d);
        if name.contains('/') {
            let from_page = crate::urls::resolve(dir, name);
            if let Some((t, _)) = from_page
                .as_deref()
                .and_then(|p| self.names.get(&key(without_extension(p))))
                .and_then(|v| v.iter().min_by_key(|(_, by)| *by))
            {
                return Some((*t, None));
            }
        }
        let candidates = self
            .names
            .get(&key(name))
            .or_else(|| self.names.get(&key(without_extension(name))))?;
        // Only the strongest way of having the name counts: a file named
        // `Séances.md` wins over the folder `Séances/`.
        let strongest = candidates.iter().map(|(_, by)| *by).min()?;
        let best_of: Vec<Target> = candidates
            .iter()
            .filter(|(_, by)| *by == strongest)
            .map(|(t, _)| *t)
            .collect();
        let rel = |t: &Target| -> String { shown_path(content, t) };
        let best = *best_of.iter().min_by_key(|t| {
            let r = rel(t);
            (std::cmp::Reverse(shared_folders(dir, &r)), r.len(), r)
        })?;
        let others: Vec<String> = best_of.iter().filter(|t| **t != best).map(rel).collect();
        Some((best, (!others.is_empty()).then_some(Ambiguous { others })))
    }
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
    crate::content::walk::PAGE_EXTENSIONS
        .iter()
        .find_map(|e| rel.strip_suffix(e))
        .unwrap_or(rel)
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

/// How many leading folders `dir` and the folder of `rel` share.
fn shared_folders(dir: &str, rel: &str) -> usize {
    let other = rel.rsplit_once('/').map_or("", |(d, _)| d);
    dir.split('/')
        .zip(other.split('/'))
        .take_while(|(a, b)| !a.is_empty() && a == b)
        .count()
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
        assert_eq!(shared_folders("guide/a", "guide/a/x.md"), 2);
        assert_eq!(shared_folders("guide", "posture/x.md"), 0);
        assert_eq!(shared_folders("", "x.md"), 0);
    }
}

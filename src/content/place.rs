//! Where a page sits in the navigation when another tool decides it rather than
//! its folder: a table of contents ([`Outline`]: `SUMMARY.md`, MkDocs' `nav:`,
//! Jupyter Book's `_toc.yml`), or front matter (Just the Docs' `parent:` and
//! `grand_parent:`, a `section:` name).
//!
//! The rules, in order of precedence:
//! 1. `parent: Title` puts the page under the page whose `title` is `Title`
//!    (`grand_parent` tells pages of the same title apart); that page becomes
//!    the index of a section of the navigation, written as a folder's page
//!    (`posture.html` becomes `posture/index.html`, beside the section's print
//!    page; links to the old path still lead to it);
//! 2. `section: Name` gathers the pages of one folder that name it into one
//!    group, titled `Name`, placed where its first page would be (its lowest
//!    `order`/`nav_order`/`weight`), the pages keeping their order inside it,
//!    even when other pages came between them;
//! 3. a page nested under another entry of the table of contents sits under
//!    it (a page entry as 1., a group entry — an mdBook part, an MkDocs
//!    section, a Jupyter Book part — as 2.);
//! 4. otherwise the page sits in its folder's section.
//!
//! Other output paths do not change: the navigation (sections, breadcrumbs,
//! reading order) follows these rules, not the files' places.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::content::front_matter::FrontMatter;
use crate::content::outline::Outline;
use crate::diagnostic::Diagnostic;

/// What a page sits under, when not its folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Parent {
    /// Another page (by index in the page list given to [`place`]).
    Page(usize),
    /// A group (by index in [`Placed::groups`]).
    Group(usize),
}

/// A group of pages without a page of its own.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Group {
    /// Its title in the navigation.
    pub title: String,
    /// The folder whose pages it gathers (its output folder is inside that folder's).
    pub dir: String,
    /// What it sits under, when not `dir`'s section.
    pub parent: Option<Parent>,
    /// Its position among its siblings.
    pub position: Option<f64>,
}

/// What [`place`] needs to know of a page.
#[derive(Debug, Clone, Copy)]
pub(super) struct Facts<'a> {
    /// Path relative to the content folder.
    pub rel: &'a str,
    /// Its folder, relative to the content folder.
    pub dir: &'a str,
    /// Its source path, for diagnostics.
    pub source: &'a str,
    /// Its front matter.
    pub fm: &'a FrontMatter,
}

/// Where every page sits.
#[derive(Debug, Clone, Default)]
pub(super) struct Placed {
    /// For each page, what it sits under when not its folder.
    pub parent: Vec<Option<Parent>>,
    /// The groups.
    pub groups: Vec<Group>,
    /// For each page, its position in the table of contents.
    pub toc_position: Vec<Option<usize>>,
    /// For each page, the text the table of contents gives it.
    pub toc_title: Vec<Option<String>>,
}

/// Places `pages` (see the module documentation). `drafts` are the paths of
/// pages left out of this build, which a table of contents may still list.
pub(super) fn place(
    pages: &[Facts<'_>],
    outline: Option<&Outline>,
    drafts: &BTreeSet<String>,
    diags: &mut Vec<Diagnostic>,
) -> Placed {
    let mut placed = Placed {
        parent: vec![None; pages.len()],
        groups: Vec::new(),
        toc_position: vec![None; pages.len()],
        toc_title: vec![None; pages.len()],
    };
    if let Some(o) = outline {
        from_outline(pages, o, drafts, &mut placed, diags);
    }
    from_front_matter(pages, &mut placed, diags);
    placed
}

fn from_outline(
    pages: &[Facts<'_>],
    outline: &Outline,
    drafts: &BTreeSet<String>,
    placed: &mut Placed,
    diags: &mut Vec<Diagnostic>,
) {
    let by_rel: HashMap<&str, usize> = pages.iter().enumerate().map(|(i, p)| (p.rel, i)).collect();
    let n = outline.entries.len();
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (j, e) in outline.entries.iter().enumerate() {
        if let Some(p) = e.parent.filter(|&p| p < n) {
            children[p].push(j);
        }
    }
    let has_children: Vec<bool> = children.iter().map(|c| !c.is_empty()).collect();
    // What each entry stands for: a page, a group, or nothing (an unknown path, a draft).
    let mut stands: Vec<Option<Parent>> = vec![None; n];
    for (k, e) in outline.entries.iter().enumerate() {
        let parent = nearest(&stands, &outline.entries, e.parent);
        match &e.rel {
            Some(rel) => match by_rel.get(rel.as_str()) {
                Some(&i)
                    if stands.get(e.parent.unwrap_or(usize::MAX))
                        == Some(&Some(Parent::Page(i))) =>
                {
                    // The index page its group stands for (see below).
                    stands[k] = Some(Parent::Page(i));
                }
                Some(&i) => {
                    if placed.toc_position[i].is_none() {
                        placed.toc_position[i] = Some(k);
                        placed.toc_title[i] = e.title.clone();
                        placed.parent[i] = parent.filter(|p| *p != Parent::Page(i));
                    }
                    stands[k] = Some(Parent::Page(i));
                }
                None if drafts.contains(rel) => {}
                None => {
                    let (message, help) = if rel.ends_with(".md")
                        && e.written.as_deref().is_some_and(|w| !w.ends_with(".md"))
                    {
                        (
                            format!(
                                "`{}` lists `{}`, which is not a Markdown page of the handbook",
                                outline.source,
                                e.written.as_deref().unwrap_or(rel)
                            ),
                            "notebooks (`.ipynb`) and reStructuredText pages are not converted: write the page in Markdown, or remove the entry",
                        )
                    } else {
                        (
                            format!("`{}` lists `{rel}`, which does not exist", outline.source),
                            "correct the path, or remove the entry",
                        )
                    };
                    diags.push(
                        Diagnostic::warning(&outline.source, e.line, 1, message).with_help(help),
                    );
                }
            },
            None if has_children[k] => {
                // A group opening with an index page (MkDocs' `navigation.indexes`,
                // `sessions/index.md` first in `Sessions:`) is that page's section.
                // (Not an mdBook part opening with a chapter that has its own
                // sub-chapters: that chapter is a section inside the part.)
                let kids = &children[k];
                let first = kids
                    .first()
                    .filter(|&&j| !has_children[j])
                    .and_then(|&j| outline.entries[j].rel.as_deref())
                    .and_then(|r| by_rel.get(r).copied())
                    .filter(|&i| is_index_file(pages[i].rel))
                    .filter(|&i| {
                        kids.iter().all(|&j| {
                            outline.entries[j]
                                .rel
                                .as_deref()
                                .and_then(|r| by_rel.get(r))
                                .is_none_or(|&p| pages[p].dir == pages[i].dir)
                        })
                    });
                if let Some(i) = first {
                    stands[k] = Some(Parent::Page(i));
                    placed.parent[i] = parent;
                    placed.toc_position[i] = Some(k);
                    placed.toc_title[i] = e.title.clone();
                    continue;
                }
                #[allow(clippy::cast_precision_loss)]
                placed.groups.push(Group {
                    title: e.title.clone().unwrap_or_default(),
                    dir: String::new(),
                    parent,
                    position: Some(k as f64),
                });
                stands[k] = Some(Parent::Group(placed.groups.len() - 1));
            }
            None => {}
        }
    }
}

/// Whether a page is its folder's index file (`index.md`, `README.md`, `_index.md`).
fn is_index_file(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let stem = crate::content::walk::strip_page_ext(name).unwrap_or(name);
    matches!(stem, "index" | "README" | "_index")
}

/// The nearest entry at or above `start` that stands for a page or a group.
fn nearest(
    stands: &[Option<Parent>],
    entries: &[crate::content::outline::Entry],
    start: Option<usize>,
) -> Option<Parent> {
    let mut at = start;
    let mut steps = 0;
    while let Some(k) = at.filter(|&k| k < stands.len()) {
        if let Some(p) = stands[k] {
            return Some(p);
        }
        at = entries[k].parent;
        steps += 1;
        if steps > entries.len() {
            break;
        }
    }
    None
}

fn key(title: &str) -> String {
    crate::text::fold(title.trim()).to_lowercase()
}

fn from_front_matter(pages: &[Facts<'_>], placed: &mut Placed, diags: &mut Vec<Diagnostic>) {
    // Pages by title, and by title and parent (for `grand_parent:`): a lookup
    // per page, however many pages share a title.
    let mut by_title: HashMap<String, Vec<usize>> = HashMap::new();
    let mut by_title_parent: HashMap<(String, String), Vec<usize>> = HashMap::new();
    for (i, p) in pages.iter().enumerate() {
        if let Some(t) = &p.fm.title {
            by_title.entry(key(t)).or_default().push(i);
            if let Some(pp) = &p.fm.placement.parent {
                by_title_parent
                    .entry((key(t), key(&pp.value)))
                    .or_default()
                    .push(i);
            }
        }
    }
    // The first of `v` that is not page `i` itself.
    let other = |v: Option<&Vec<usize>>, i: usize| v?.iter().copied().find(|&j| j != i);
    let mut groups: BTreeMap<(String, String), usize> = BTreeMap::new();
    for (i, p) in pages.iter().enumerate() {
        if let Some(parent) = &p.fm.placement.parent {
            let title = key(&parent.value);
            let any = || other(by_title.get(&title), i);
            let chosen = match &p.fm.placement.grand_parent {
                Some(gp) => other(by_title_parent.get(&(title.clone(), key(gp))), i).or_else(any),
                None => any(),
            };
            match chosen {
                Some(j) => placed.parent[i] = Some(Parent::Page(j)),
                None => diags.push(
                    Diagnostic::warning(
                        p.source,
                        parent.line,
                        parent.col,
                        format!("`parent: {}`: no page has this title", parent.value),
                    )
                    .with_help("write the `title:` of the page this one sits under; until then it sits in its folder"),
                ),
            }
        } else if let Some(g) = &p.fm.placement.group {
            let id = *groups
                .entry((p.dir.to_string(), key(&g.value)))
                .or_insert_with(|| {
                    placed.groups.push(Group {
                        title: g.value.clone(),
                        dir: p.dir.to_string(),
                        parent: None,
                        position: None,
                    });
                    placed.groups.len() - 1
                });
            let pos = p.fm.position();
            let group = &mut placed.groups[id];
            group.position = match (group.position, pos) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            placed.parent[i] = Some(Parent::Group(id));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::front_matter::{Located, Placement};

    fn fm(
        title: &str,
        parent: Option<&str>,
        group: Option<&str>,
        order: Option<f64>,
    ) -> FrontMatter {
        let loc = |v: &str| Located {
            value: v.into(),
            line: 2,
            col: 1,
        };
        FrontMatter {
            title: Some(title.into()),
            placement: Placement {
                parent: parent.map(loc),
                group: group.map(loc),
                order,
                ..Placement::default()
            },
            ..FrontMatter::default()
        }
    }

    #[test]
    fn parents_by_title_and_groups_by_name() {
        let fms = [
            fm("Posture", None, None, Some(1.0)),
            fm("Écoute", Some("posture"), None, Some(1.0)),
            fm("A", None, Some("Outils"), Some(5.0)),
            fm("B", None, Some("outils"), Some(3.0)),
            fm("C", Some("Inconnu"), None, None),
        ];
        let facts: Vec<Facts<'_>> = fms
            .iter()
            .enumerate()
            .map(|(i, f)| Facts {
                rel: ["p.md", "e.md", "a.md", "b.md", "c.md"][i],
                dir: "",
                source: "c.md",
                fm: f,
            })
            .collect();
        let mut d = Vec::new();
        let p = place(&facts, None, &BTreeSet::new(), &mut d);
        assert_eq!(p.parent[1], Some(Parent::Page(0)));
        assert_eq!(p.parent[2], Some(Parent::Group(0)));
        assert_eq!(p.parent[3], Some(Parent::Group(0)));
        assert_eq!(p.groups.len(), 1);
        assert_eq!(p.groups[0].position, Some(3.0), "the group's first page");
        assert_eq!(p.parent[4], None);
        assert_eq!((d.len(), d[0].line()), (1, 2));
    }

    /// The facts of pages of front matter `fms`, all of file `rel` at the top.
    fn all_in<'a>(rel: &'a str, fms: &'a [FrontMatter]) -> Vec<Facts<'a>> {
        fms.iter()
            .map(|fm| Facts {
                rel,
                dir: "",
                source: rel,
                fm,
            })
            .collect()
    }

    #[test]
    fn grand_parent_tells_pages_of_one_title_apart_and_many_cost_one_lookup_each() {
        // Two "Notes" pages, under different parents; a third page picks one by
        // `grand_parent:`. Then 20,000 pages all titled and parented "Notes":
        // each finds another "Notes" without looking through all of them.
        let mut a = fm("Notes", Some("Mentors"), None, None);
        a.placement.grand_parent = None;
        let b = fm("Notes", Some("Mentorés"), None, None);
        let mut c = fm("Exemple", Some("notes"), None, None);
        c.placement.grand_parent = Some("mentorés".into());
        let fms = [
            fm("Mentors", None, None, None),
            fm("Mentorés", None, None, None),
            a,
            b,
            c,
        ];
        let p = place(
            &all_in("x.md", &fms),
            None,
            &BTreeSet::new(),
            &mut Vec::new(),
        );
        assert_eq!(p.parent[4], Some(Parent::Page(3)));
        let many: Vec<FrontMatter> = (0..20_000)
            .map(|_| {
                let mut f = fm("Notes", Some("Notes"), None, None);
                f.placement.grand_parent = Some("Notes".into());
                f
            })
            .collect();
        let p = place(
            &all_in("n.md", &many),
            None,
            &BTreeSet::new(),
            &mut Vec::new(),
        );
        assert_eq!(p.parent[0], Some(Parent::Page(1)));
        assert_eq!(p.parent[5], Some(Parent::Page(0)));
    }
}

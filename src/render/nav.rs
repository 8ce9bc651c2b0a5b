//! The navigation sidebar, rendered once per variant and page depth, not once per page.
//!
//! Rendering the whole tree into every page costs N² on large handbooks, so:
//! - up to [`FULL_NAV_LIMIT`] pages, every page gets the whole tree (one variant);
//! - above, a page gets the sections leading to it expanded and, when the top level is
//!   long, only its own top-level entry (the home page lists every section).
//!
//! `partials/nav.html` is rendered once per (variant, `root`) and cached; the link to
//! the current page then gets `aria-current="page"` added to its `href="{root}{url}"`.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use tera::{Context, Value};

use crate::content::{Content, Node, SectionId};
use crate::diagnostic::Diagnostic;
use crate::render::Theme;
use crate::render::context::NavItem;

/// Above this many pages, navigation only expands the sections leading to each page.
pub const FULL_NAV_LIMIT: usize = 400;
/// Above this many top-level entries (on a large handbook), only the current one is listed.
pub const TOP_LEVEL_LIMIT: usize = 60;
/// The deepest level of sections the navigation tree holds (top-level entries
/// are level 1); deeper sections are listed closed (`has_children`), so the
/// tree and the number of variants stay bounded however deep the folders go.
pub const NAV_DEPTH: usize = 6;

/// Navigation trees and their rendered HTML.
pub struct NavCache {
    variants: Vec<Value>,
    variant_of: Vec<usize>,
    html: RwLock<HashMap<(usize, String), Arc<str>>>,
}

impl NavCache {
    /// Builds the navigation trees of `content`.
    pub fn new(content: &Content) -> Self {
        if content.pages.len() <= FULL_NAV_LIMIT {
            let tree = tree(content, &|_| true, &|_| true);
            return Self {
                variants: vec![Value::from_serializable(&tree)],
                variant_of: vec![0; content.sections.len()],
                html: RwLock::default(),
            };
        }
        let long_top = content.sections[0].children.len() > TOP_LEVEL_LIMIT;
        // A section deeper than the tree shares the variant of its ancestor at
        // `NAV_DEPTH`: the sections below that one are not in the tree anyway.
        let shown = |sid: SectionId| {
            let mut x = sid;
            while content.sections[x].depth > NAV_DEPTH {
                match content.sections[x].parent {
                    Some(p) => x = p,
                    None => break,
                }
            }
            x
        };
        let mut variants = Vec::new();
        let mut index_of: HashMap<SectionId, usize> = HashMap::new();
        let mut variant_of = Vec::with_capacity(content.sections.len());
        for sid in 0..content.sections.len() {
            let key = shown(sid);
            if let Some(&v) = index_of.get(&key) {
                variant_of.push(v);
                continue;
            }
            let mut open = std::collections::HashSet::new();
            let mut top = None;
            let mut s = Some(key);
            while let Some(x) = s {
                open.insert(x);
                if content.sections[x].parent == Some(0) {
                    top = Some(x);
                }
                s = content.sections[x].parent;
            }
            let keep_top = |n: Node| !long_top || key == 0 || Some(n) == top.map(Node::Section);
            variants.push(Value::from_serializable(&tree(
                content,
                &|s| open.contains(&s),
                &keep_top,
            )));
            index_of.insert(key, variants.len() - 1);
            variant_of.push(variants.len() - 1);
        }
        Self {
            variants,
            variant_of,
            html: RwLock::default(),
        }
    }

    /// The navigation tree for pages of section `sid` (the `nav` template variable).
    pub fn tree_for(&self, sid: SectionId) -> Value {
        let v = self.variant_of.get(sid).copied().unwrap_or(0);
        self.variants
            .get(v)
            .cloned()
            .unwrap_or_else(|| Value::from_serializable(&()))
    }

    /// The sidebar HTML for a page of section `sid` at output path `out`, whose links to
    /// the site root start with `root`.
    pub fn html_for(
        &self,
        theme: &Theme,
        base: &dyn Fn() -> Context,
        sid: SectionId,
        root: &str,
        out: &str,
    ) -> Result<String, Diagnostic> {
        let v = self.variant_of.get(sid).copied().unwrap_or(0);
        let key = (v, root.to_string());
        let cached = self.html.read().ok().and_then(|m| m.get(&key).cloned());
        let html = match cached {
            Some(h) => h,
            None => {
                let mut ctx = base();
                ctx.insert("root", root);
                ctx.insert_value(
                    "nav",
                    self.variants
                        .get(v)
                        .cloned()
                        .unwrap_or_else(|| Value::from_serializable(&())),
                );
                ctx.insert("page", &serde_json::json!({ "url": "" }));
                let h: Arc<str> = theme.render("partials/nav.html", &ctx)?.into();
                if let Ok(mut m) = self.html.write() {
                    m.insert(key, h.clone());
                }
                h
            }
        };
        Ok(mark_current(&html, &format!("href=\"{root}{out}\"")))
    }
}

/// Adds `aria-current="page"` to the first link whose attribute is exactly `href_attr`.
fn mark_current(html: &str, href_attr: &str) -> String {
    match html.find(href_attr) {
        Some(i) => {
            let end = i + href_attr.len();
            let mut s = String::with_capacity(html.len() + 24);
            s.push_str(&html[..end]);
            s.push_str(" aria-current=\"page\"");
            s.push_str(&html[end..]);
            s
        }
        None => html.to_string(),
    }
}

fn tree(
    content: &Content,
    expand: &dyn Fn(SectionId) -> bool,
    keep_top: &dyn Fn(Node) -> bool,
) -> Vec<NavItem> {
    items(content, 0, expand, Some(keep_top))
}

/// The entries of section `sid`; recursion stops at [`NAV_DEPTH`], so its
/// depth is bounded whatever the folders.
fn items(
    content: &Content,
    sid: SectionId,
    expand: &dyn Fn(SectionId) -> bool,
    keep: Option<&dyn Fn(Node) -> bool>,
) -> Vec<NavItem> {
    content.sections[sid]
        .children
        .iter()
        .filter(|n| keep.is_none_or(|k| k(**n)))
        .map(|n| match *n {
            Node::Page(p) => {
                let p = &content.pages[p];
                NavItem {
                    title: p.fm.nav_title.clone().unwrap_or_else(|| p.title.clone()),
                    url: p.out.to_string(),
                    kind: "page",
                    worksheet: p.is_worksheet(),
                    session: p.fm.session,
                    audience: p
                        .fm
                        .audience
                        .filter(|a| *a != crate::content::Audience::All)
                        .map(|a| a.name()),
                    has_children: false,
                    children: Vec::new(),
                }
            }
            Node::Section(s) => {
                let idx = &content.pages[content.sections[s].index];
                NavItem {
                    title: idx
                        .fm
                        .nav_title
                        .clone()
                        .unwrap_or_else(|| idx.title.clone()),
                    url: idx.out.to_string(),
                    kind: "section",
                    worksheet: false,
                    session: None,
                    audience: idx
                        .fm
                        .audience
                        .filter(|a| *a != crate::content::Audience::All)
                        .map(|a| a.name()),
                    has_children: !content.sections[s].children.is_empty(),
                    children: if content.sections[s].depth < NAV_DEPTH && expand(s) {
                        items(content, s, expand, None)
                    } else {
                        Vec::new()
                    },
                }
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_only_the_exact_link() {
        let html = r#"<a href="../a.html">A</a><a href="../ab.html">B</a>"#;
        assert_eq!(
            mark_current(html, "href=\"../ab.html\""),
            r#"<a href="../a.html">A</a><a href="../ab.html" aria-current="page">B</a>"#
        );
    }
}

//! The navigation: the whole tree once per language, in `nav.js`, and in each page
//! a short list that works without script.
//!
//! Putting the whole tree into every page would make the output grow as the square
//! of the handbook, so:
//! - [`Nav::script`] writes the whole tree (and the UI strings the theme's scripts
//!   need) into the language's `nav.js`; the default theme's `mentorbook.js` fills
//!   the sidebar from it, marks the current page and opens the sections leading to it;
//! - each page gets the *fallback* ([`Nav::fallback`]): the sections leading to the
//!   page, the entries of its own section, and a link to the full contents page
//!   (`contents.html`, which lists every entry). From any page a reader without
//!   script reaches every page: up the path, then down through each section's list.
//!
//! `partials/nav.html` renders the fallback, once per (section, folder) and cached;
//! the link to the current page then gets `aria-current="page"` added to its
//! `href="…"`. Every `href` of the fallback is relative to the page's folder.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use serde_json::{Value as Json, json};
use tera::Context;

use crate::content::{Audience, Content, Node, SectionId};
use crate::diagnostic::Diagnostic;
use crate::render::Theme;
use crate::render::context::NavItem;
use crate::urls;

/// Up to this many pages, the script shows every section open (the whole tree at
/// once, as a table of contents); above, only the sections leading to the page,
/// the others open on demand.
pub const EXPAND_ALL_LIMIT: usize = 400;
/// The deepest level of sections the navigation tree holds (top-level entries
/// are level 1); deeper sections are listed closed (`has_children`), and the
/// fallback shows at most this many sections above a page, so the tree and the
/// fallbacks stay bounded however deep the folders go.
pub const NAV_DEPTH: usize = 6;
/// The most entries of its own section a page's fallback lists: a larger
/// section is cut in runs of this many, and each page lists its own run (the
/// contents page, linked from every fallback, lists them all). Listing every
/// entry made a flat folder of N pages write N² entries.
pub const FALLBACK_ENTRIES: usize = 60;

/// Numbers each [`Nav`] made, so that a value kept for one is never taken for another's.
static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// A fallback value and what it is of: (navigation, section, run, folder, value).
type LastValue = (u64, SectionId, usize, String, tera::Value);

thread_local! {
    /// The last fallback value this thread made.
    static LAST_VALUE: std::cell::RefCell<Option<LastValue>> =
        const { std::cell::RefCell::new(None) };
}

/// The navigation of one language: the whole tree, and the rendered fallbacks.
pub struct Nav {
    tree: Vec<NavItem>,
    fallbacks: Vec<Fallback>,
    expand_all: bool,
    html: RwLock<HashMap<(SectionId, usize, String), Arc<str>>>,
    /// Tells this navigation's values from another's in [`LAST_VALUE`].
    id: u64,
}

impl Nav {
    /// Builds the navigation of `content`.
    pub fn new(content: &Content) -> Self {
        let fallbacks = (0..content.sections.len())
            .map(|sid| fallback_tree(content, sid))
            .collect();
        Self {
            tree: items(content, 0, true),
            fallbacks,
            expand_all: content.pages.len() <= EXPAND_ALL_LIMIT,
            html: RwLock::default(),
            id: NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        }
    }

    /// The fallback tree of a page of section `sid` at output path `out` (the `nav`
    /// template variable), each `href` relative to `out`.
    pub fn fallback(&self, sid: SectionId, out: &str) -> Vec<NavItem> {
        let (_, items) = self.run_of(sid, out);
        with_hrefs(items, out)
    }

    /// The run of its section's entries the page at `out` lists, and that list.
    fn run_of(&self, sid: SectionId, out: &str) -> (usize, &[NavItem]) {
        let Some(f) = self.fallbacks.get(sid).or(self.fallbacks.first()) else {
            return (0, &[]);
        };
        let run = f.run_of.get(out).copied().unwrap_or(0);
        (run, f.runs.get(run).map_or(&[], Vec::as_slice))
    }

    /// [`Nav::fallback`] as a template value, shared by the pages of a section
    /// in the same folder (their `href`s are the same) that one thread makes
    /// one after the other, as it makes pages in path order. Only the last value
    /// of each thread is kept: keeping every one grew a 100,000-page build's
    /// peak memory by 180 MB.
    pub fn fallback_value(&self, sid: SectionId, out: &str) -> tera::Value {
        let dir = out.rsplit_once('/').map_or("", |(d, _)| d);
        let (run, items) = self.run_of(sid, out);
        LAST_VALUE.with(|last| {
            let mut last = last.borrow_mut();
            if let Some((id, s, r, d, v)) = last.as_ref()
                && *id == self.id
                && *s == sid
                && *r == run
                && d == dir
            {
                return v.clone();
            }
            let v = tera::Value::from_serializable(&with_hrefs(items, out));
            *last = Some((self.id, sid, run, dir.to_string(), v.clone()));
            v
        })
    }

    /// The whole tree with each `href` relative to `out` (the full contents page).
    pub fn whole(&self, out: &str) -> Vec<NavItem> {
        with_hrefs(&self.tree, out)
    }

    /// The sidebar HTML for a page of section `sid` at output path `out`: the
    /// fallback rendered by `partials/nav.html` with `base()`'s values, the link to
    /// `out` marked as the current page.
    pub fn html_for(
        &self,
        theme: &Theme,
        base: &dyn Fn() -> Context,
        sid: SectionId,
        out: &str,
    ) -> Result<String, Diagnostic> {
        let dir = out.rsplit_once('/').map_or("", |(d, _)| d).to_string();
        let key = (sid, self.run_of(sid, out).0, dir);
        let cached = self.html.read().ok().and_then(|m| m.get(&key).cloned());
        let html = match cached {
            Some(h) => h,
            None => {
                let mut ctx = base();
                ctx.insert("nav", &self.fallback(sid, out));
                ctx.insert("page", &json!({ "url": "" }));
                let h: Arc<str> = theme.render("partials/nav.html", &ctx)?.into();
                if let Ok(mut m) = self.html.write() {
                    m.insert(key, h.clone());
                }
                h
            }
        };
        // Entries link from the page's folder; the home link (in a template) may
        // link from the site root (`../en/index.html` on `en/index.html`).
        let name = out.rsplit('/').next().unwrap_or(out);
        let own = format!("href=\"{}\"", urls::encode_segment(name));
        let from_root = format!("href=\"{}{out}\"", urls::root_prefix(out));
        Ok(mark_current(&html, &own)
            .unwrap_or_else(|| mark_current(&html, &from_root).unwrap_or_else(|| html.to_string())))
    }

    /// The text of `nav.js`: `window.MB_NAV = {…}` with the whole tree, whether
    /// every section shows open, the home page, and `ui` (the UI strings the
    /// theme's scripts use, so that pages need not carry them).
    ///
    /// Each entry is an array `[title, url, flags, audience, children]`, trailing
    /// defaults left out: `url` is relative to the folder of the enclosing section's
    /// page (to the language's folder at the top), or to the output root when it
    /// starts with `/`; `flags` adds 1 for a section, 2 for a worksheet, 4 for a
    /// section whose entries are too deep to be listed; `audience` is `mentor`,
    /// `mentee`, `lead` or empty.
    pub fn script(&self, content: &Content, ui: &Json) -> String {
        let prefix = content.prefix.as_str();
        let data = json!({
            "v": 1,
            "home": format!("{prefix}index.html"),
            "open": self.expand_all,
            "ui": ui,
            "tree": compact(&self.tree, prefix),
        });
        let text = serde_json::to_string(&data).unwrap_or_else(|_| "{}".into());
        // Line and paragraph separators end a line in older script engines.
        let text = text
            .replace('\u{2028}', "\\u2028")
            .replace('\u{2029}', "\\u2029");
        format!("window.MB_NAV={text};\n")
    }
}

/// The entries of `items` as `nav.js` holds them, urls relative to `dir`.
fn compact(items: &[NavItem], dir: &str) -> Vec<Json> {
    items
        .iter()
        .map(|i| {
            let url = match i.url.strip_prefix(dir) {
                Some(rest) if !rest.starts_with('/') => rest.to_string(),
                _ => format!("/{}", i.url),
            };
            let flags = u8::from(i.kind == "section")
                + 2 * u8::from(i.worksheet)
                + 4 * u8::from(i.has_children && i.children.is_empty());
            let mut entry = vec![json!(i.title), json!(url)];
            let audience = i.audience.unwrap_or("");
            if !i.children.is_empty() {
                let inner = i.url.rsplit_once('/').map_or("", |(d, _)| d);
                let inner = if inner.is_empty() {
                    String::new()
                } else {
                    format!("{inner}/")
                };
                entry.extend([
                    json!(flags),
                    json!(audience),
                    json!(compact(&i.children, &inner)),
                ]);
            } else if !audience.is_empty() {
                entry.extend([json!(flags), json!(audience)]);
            } else if flags != 0 {
                entry.push(json!(flags));
            }
            Json::Array(entry)
        })
        .collect()
}

/// `items` with each `href` set relative to the page at `out`.
fn with_hrefs(items: &[NavItem], out: &str) -> Vec<NavItem> {
    items
        .iter()
        .map(|i| NavItem {
            href: urls::relative(out, &i.url),
            children: with_hrefs(&i.children, out),
            ..i.clone()
        })
        .collect()
}

/// Adds `aria-current="page"` to the first link whose attribute is exactly `href_attr`.
/// None when no link has it.
fn mark_current(html: &str, href_attr: &str) -> Option<String> {
    let i = html.find(href_attr)?;
    let end = i + href_attr.len();
    let mut s = String::with_capacity(html.len() + 24);
    s.push_str(&html[..end]);
    s.push_str(" aria-current=\"page\"");
    s.push_str(&html[end..]);
    Some(s)
}

/// The fallbacks of one section: its runs of entries, each inside the sections
/// leading to it, and the run of each entry (by output path) when there are several.
struct Fallback {
    runs: Vec<Vec<NavItem>>,
    run_of: HashMap<String, usize>,
}

/// The fallback of section `sid`: its own entries (sections closed), in runs of
/// at most [`FALLBACK_ENTRIES`], inside the sections leading to it (at most
/// [`NAV_DEPTH`] of them, the nearest).
fn fallback_tree(content: &Content, sid: SectionId) -> Fallback {
    let own = items(content, sid, false);
    if own.len() <= FALLBACK_ENTRIES {
        return Fallback {
            runs: vec![within_parents(content, sid, own)],
            run_of: HashMap::new(),
        };
    }
    let mut run_of = HashMap::new();
    let runs = own
        .chunks(FALLBACK_ENTRIES)
        .enumerate()
        .map(|(n, run)| {
            run_of.extend(run.iter().map(|i| (i.url.clone(), n)));
            within_parents(content, sid, run.to_vec())
        })
        .collect();
    Fallback { runs, run_of }
}

/// `list` (entries of section `sid`) inside the sections leading to `sid`.
fn within_parents(content: &Content, sid: SectionId, mut list: Vec<NavItem>) -> Vec<NavItem> {
    let mut s = sid;
    for _ in 0..NAV_DEPTH {
        let Some(parent) = content.sections[s].parent else {
            break;
        };
        let mut item = section_item(content, s);
        item.children = list;
        list = vec![item];
        s = parent;
    }
    list
}

/// The entry of section `s`, without its children.
fn section_item(content: &Content, s: SectionId) -> NavItem {
    let idx = &content.pages[content.sections[s].index];
    NavItem {
        title: idx
            .fm
            .nav_title
            .clone()
            .unwrap_or_else(|| idx.title.clone()),
        url: idx.out.to_string(),
        href: String::new(),
        kind: "section",
        worksheet: false,
        session: None,
        audience: shown_audience(idx.fm.audience),
        has_children: !content.sections[s].children.is_empty(),
        children: Vec::new(),
    }
}

fn shown_audience(a: Option<Audience>) -> Option<&'static str> {
    a.filter(|a| *a != Audience::All).map(|a| a.name())
}

/// The entries of section `sid`, with their sub-entries down to [`NAV_DEPTH`] when
/// `deep`; the recursion is bounded whatever the folders.
fn items(content: &Content, sid: SectionId, deep: bool) -> Vec<NavItem> {
    content.sections[sid]
        .children
        .iter()
        .map(|n| match *n {
            Node::Page(p) => {
                let p = &content.pages[p];
                NavItem {
                    title: p.fm.nav_title.clone().unwrap_or_else(|| p.title.clone()),
                    url: p.out.to_string(),
                    href: String::new(),
                    kind: "page",
                    worksheet: p.is_worksheet(),
                    session: p.fm.session,
                    audience: shown_audience(p.fm.audience),
                    has_children: false,
                    children: Vec::new(),
                }
            }
            Node::Section(s) => {
                let mut item = section_item(content, s);
                if deep && content.sections[s].depth < NAV_DEPTH {
                    item.children = items(content, s, true);
                }
                item
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_only_the_exact_link() {
        let html = r#"<a href="a.html">A</a><a href="ab.html">B</a>"#;
        assert_eq!(
            mark_current(html, "href=\"ab.html\"").as_deref(),
            Some(r#"<a href="a.html">A</a><a href="ab.html" aria-current="page">B</a>"#)
        );
        assert_eq!(mark_current(html, "href=\"c.html\""), None);
    }

    fn item(title: &str, url: &str, kind: &'static str, children: Vec<NavItem>) -> NavItem {
        NavItem {
            title: title.into(),
            url: url.into(),
            href: String::new(),
            kind,
            worksheet: false,
            session: None,
            audience: None,
            has_children: !children.is_empty(),
            children,
        }
    }

    #[test]
    fn compact_urls_are_relative_to_the_enclosing_section() {
        let tree = vec![
            item(
                "Guide",
                "en/guide/index.html",
                "section",
                vec![
                    item("A", "en/guide/a.html", "page", vec![]),
                    item("Elsewhere", "en/other/b.html", "page", vec![]),
                ],
            ),
            item("Top", "en/top.html", "page", vec![]),
        ];
        let text = serde_json::to_string(&compact(&tree, "en/")).unwrap_or_default();
        assert_eq!(
            text,
            r#"[["Guide","guide/index.html",1,"",[["A","a.html"],["Elsewhere","/en/other/b.html"]]],["Top","top.html"]]"#
        );
    }
}

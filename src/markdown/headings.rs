//! Heading ids: from the heading's text, accents folded, unique within the page,
//! with an explicit `{#id}` taking precedence; each heading gets an anchor link.
//! Ids are local ids of the [`Doc`](super::Doc): print files prefix them.

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{Event, Tag, TagEnd};

use crate::markdown::Cx;
use crate::markdown::doc::Slot;
use crate::markdown::event::{Ev, Item, Items};
use crate::text::{escape_html, slugify};

/// A heading of a rendered page, for the table of contents and anchor checks.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// The id (without any print prefix).
    pub id: String,
    /// The heading's plain text.
    pub text: String,
}

/// The ids the built-in templates give their own elements (the skip link's
/// target, the search box…). Generated heading ids never take them, and an
/// explicit `{#id}` starting with [`THEME_ID_PREFIX`] is an error. A test in
/// `render::theme` checks that this list holds every id of the built-in templates.
pub const THEME_IDS: &[&str] = &[
    "mb-audience",
    "mb-children-title",
    "mb-editions-label",
    "mb-kit-agenda",
    "mb-kit-notes",
    "mb-kit-notes-input",
    "mb-kit-title",
    "mb-main",
    "mb-print-toc",
    "mb-search-input",
    "mb-search-results",
    "mb-search-shortcut",
    "mb-sidebar",
    "mb-tl-phases",
    "mb-tl-sessions",
    "mb-toc-title",
];

/// The prefix of the theme's ids: explicit heading ids may not start with it.
pub const THEME_ID_PREFIX: &str = "mb-";

/// Hands out unique ids within one page, in time linear in the number of headings.
#[derive(Debug)]
pub struct Slugger {
    used: HashSet<String>,
    /// For each base, the next suffix worth trying.
    next: HashMap<String, u64>,
}

impl Default for Slugger {
    fn default() -> Self {
        Self::new(std::iter::empty())
    }
}

impl Slugger {
    /// A slugger that will never hand out the `reserved` ids (explicit ids)
    /// nor the theme's ([`THEME_IDS`]).
    pub fn new(reserved: impl IntoIterator<Item = String>) -> Self {
        let mut used: HashSet<String> = reserved.into_iter().collect();
        used.extend(THEME_IDS.iter().map(|s| (*s).to_string()));
        Self {
            used,
            next: HashMap::new(),
        }
    }

    /// A unique id for a heading whose text is `text`: `notes`, then `notes-1`, `notes-2`…
    pub fn unique(&mut self, text: &str) -> String {
        let mut base = slugify(text);
        if base.is_empty() {
            base = "section".into();
        }
        if self.used.insert(base.clone()) {
            return base;
        }
        let n = self.next.entry(base.clone()).or_insert(1);
        loop {
            let candidate = format!("{base}-{n}");
            *n += 1;
            if self.used.insert(candidate.clone()) {
                return candidate;
            }
        }
    }
}

/// The class of a heading whose text starts with its own number.
pub const OWN_NUMBER: &str = "own-number";

/// Whether a heading's text starts with a number of its author's: `1. `,
/// `2) `, `3 – `, `4 - `, `IV. ` (not `2027 en chiffres` nor `3 conseils`).
fn own_number(text: &str) -> bool {
    let t = text.trim_start();
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    let roman = t.bytes().take_while(|b| b"IVXLC".contains(b)).count();
    let n = if digits > 0 && digits <= 3 {
        digits
    } else if roman > 0 && roman <= 5 {
        roman
    } else {
        return false;
    };
    let rest = &t[n..];
    [". ", ") ", " – ", " - ", " — ", ".\u{a0}", "\u{a0}– "]
        .iter()
        .any(|sep| rest.starts_with(sep))
}

/// What is known of a heading while its content streams by.
struct Open<'a> {
    level: u8,
    at: usize,
    explicit: Option<String>,
    classes: String,
    text: String,
    inner: Items<'a>,
}

/// Gives every heading its id, markup and anchor link; records the headings.
pub(crate) fn run<'a>(items: Items<'a>, cx: &mut Cx<'_>) -> Items<'a> {
    let mut headings = 0;
    let mut explicit = Vec::new();
    for it in &items {
        if let Ev::Md(Event::Start(Tag::Heading { id, .. })) = &it.ev {
            headings += 1;
            explicit.extend(id.as_ref().map(ToString::to_string));
        }
    }
    let mut slugger = Slugger::new(explicit);
    let anchor_label = escape_html(&cx.hooks.label("anchor"));
    // Each heading's two events become eight items.
    let mut out = Vec::with_capacity(items.len() + 6 * headings);
    let mut open: Option<Open<'a>> = None;
    for it in items {
        match &it.ev {
            Ev::Md(Event::Start(Tag::Heading {
                level, id, classes, ..
            })) => {
                let classes = if classes.is_empty() {
                    String::new()
                } else {
                    let joined: Vec<&str> = classes.iter().map(|c| c.as_ref()).collect();
                    format!(" class=\"{}\"", escape_html(&joined.join(" ")))
                };
                open = Some(Open {
                    level: *level as u8,
                    at: it.at,
                    explicit: id.as_ref().map(ToString::to_string),
                    classes,
                    text: String::new(),
                    inner: Vec::new(),
                });
            }
            Ev::Md(Event::End(TagEnd::Heading(_))) => {
                let Some(h) = open.take() else {
                    out.push(it);
                    continue;
                };
                if let Some(id) = h
                    .explicit
                    .as_deref()
                    .filter(|id| id.starts_with(THEME_ID_PREFIX))
                {
                    let (line, col) = cx.locate(h.at);
                    cx.doc.diagnostics.push(
                        crate::diagnostic::Diagnostic::error(
                            cx.src.path,
                            line,
                            col,
                            format!("the heading id `{id}` is reserved: ids starting with `{THEME_ID_PREFIX}` belong to the theme (its skip link, search box…)"),
                        )
                        .with_help("choose another id in `{#…}`, without the `mb-` prefix"),
                    );
                }
                let id = h.explicit.unwrap_or_else(|| slugger.unique(&h.text));
                let slot = cx.local_id(id.clone());
                // A heading the author numbered (`1. Clarifier`) gets no number
                // of print's on top (`4.1.1 1. Clarifier`).
                let classes = if !own_number(&h.text) {
                    h.classes
                } else if h.classes.is_empty() {
                    format!(" class=\"{OWN_NUMBER}\"")
                } else {
                    h.classes
                        .replacen(" class=\"", &format!(" class=\"{OWN_NUMBER} "), 1)
                };
                out.push(Item::markup(format!("<h{}", h.level), h.at));
                out.push(Item::slot(Slot::HeadingLevel(h.level), h.at));
                out.push(Item::markup(" id=\"", h.at));
                out.push(Item::slot(slot, h.at));
                out.push(Item::markup(format!("\"{classes}>"), h.at));
                out.extend(h.inner);
                out.push(Item::markup("<a class=\"anchor\" href=\"#", it.at));
                out.push(Item::slot(slot, it.at));
                out.push(Item::markup(
                    format!("\" aria-label=\"{anchor_label}\"></a></h{}>\n", h.level),
                    it.at,
                ));
                cx.doc.ids.insert(id.clone());
                cx.doc.headings.push(Heading {
                    level: h.level,
                    id,
                    text: h.text.trim().to_string(),
                });
            }
            _ => match open.as_mut() {
                Some(h) => {
                    if let Ev::Md(Event::Text(t) | Event::Code(t)) = &it.ev {
                        h.text.push_str(t);
                    }
                    h.inner.push(it);
                }
                None => out.push(it),
            },
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_heading_the_author_numbered_is_known() {
        for yes in [
            "1. Clarifier",
            "2) Identifier",
            "3 – Choisir",
            "12 - Suivre",
            "IV. Bilan",
        ] {
            assert!(own_number(yes), "{yes}");
        }
        for no in [
            "2027 en chiffres",
            "3 conseils",
            "Étape 1. Choisir",
            "1.5 fois plus",
            "Idées",
            "I am",
        ] {
            assert!(!own_number(no), "{no}");
        }
    }

    #[test]
    fn ids_are_unique_and_avoid_reserved() {
        let mut s = Slugger::new(["notes-1".to_string()]);
        assert_eq!(s.unique("Notes"), "notes");
        assert_eq!(s.unique("Notes"), "notes-2");
        assert_eq!(s.unique("Écoute active"), "ecoute-active");
        assert_eq!(s.unique("?"), "section");
    }

    #[test]
    fn theme_ids_are_never_generated() {
        let mut s = Slugger::default();
        assert_eq!(s.unique("MB main"), "mb-main-1");
        assert_eq!(s.unique("mb search input"), "mb-search-input-1");
    }

    #[test]
    fn many_identical_headings_stay_linear() {
        let mut s = Slugger::default();
        let ids: Vec<String> = (0..10_000).map(|_| s.unique("Notes")).collect();
        assert_eq!(ids[0], "notes");
        assert_eq!(ids[9_999], "notes-9999");
        let distinct: HashSet<&String> = ids.iter().collect();
        assert_eq!(distinct.len(), 10_000);
    }
}

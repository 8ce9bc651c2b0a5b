//! Soft hyphens in table headings ([`crate::hyphenate`]), so that a narrow
//! column breaks a long heading between syllables, with a hyphen, rather than
//! anywhere. Runs after the search text is collected, which stays as written.

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use crate::hyphenate::Hyphenation;
use crate::markdown::Cx;
use crate::markdown::event::{Ev, Items};

/// Hyphenates the text of table headings.
pub(crate) fn run<'a>(mut items: Items<'a>, cx: &mut Cx<'_>) -> Items<'a> {
    let h = cx.opts.hyphenation;
    if h == Hyphenation::None {
        return items;
    }
    let mut in_head = false;
    for it in &mut items {
        let Ev::Md(ev) = &mut it.ev else { continue };
        match ev {
            Event::Start(Tag::TableHead) => in_head = true,
            Event::End(TagEnd::TableHead) => in_head = false,
            Event::Text(t) if in_head => *t = CowStr::from(h.apply(t)),
            _ => {}
        }
    }
    items
}

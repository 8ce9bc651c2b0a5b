//! The page title from the body: the first top-level `# ` heading, found by the
//! parser (so a heading inside a comment, a code block or a quote is not one).
//!
//! When that heading is the page's first block it becomes the title and leaves
//! the body; otherwise it stays where it is and the title only repeats its text
//! (the theme must then not print the title again).
//!
//! A page whose front matter has a `title` shows one H1 too: a `# ` heading
//! that opens its body leaves the body and is the title the page shows; the
//! front-matter title, when it says something else, names the page in the
//! navigation (as Docusaurus' and Just the Docs' do). A `# ` heading further
//! down such a page stays where it is.

use pulldown_cmark::{Event, HeadingLevel, Tag, TagEnd};

use crate::markdown::Cx;
use crate::markdown::doc::BodyTitle;
use crate::markdown::event::{Ev, Item, Items};

/// Finds the title; removes its heading when it is the first block.
pub(crate) fn run<'a>(mut items: Items<'a>, cx: &mut Cx<'_>) -> Items<'a> {
    let from_body = cx.src.title_from_body;
    let mut depth = 0usize;
    let mut first_block = true;
    let mut i = 0;
    while i < items.len() {
        match &items[i].ev {
            Ev::Md(Event::Start(Tag::Heading {
                level: HeadingLevel::H1,
                ..
            })) if depth == 0 => {
                let end = heading_end(&items, i);
                let text = heading_text(&items[i + 1..end]);
                if !from_body && !first_block {
                    return items;
                }
                if !text.is_empty() {
                    let in_body = !first_block;
                    cx.doc.title = Some(BodyTitle { text, in_body });
                    if !in_body {
                        let explicit = match &items[i].ev {
                            Ev::Md(Event::Start(Tag::Heading { id: Some(id), .. })) => {
                                Some(id.to_string())
                            }
                            _ => None,
                        };
                        let at = items[i].at;
                        items.drain(i..=end.min(items.len() - 1));
                        // The heading leaves, its explicit id (`{#accueil}`, a MyST
                        // target) stays: links to it lead to the top of the page.
                        if let Some(id) = explicit {
                            let slot = cx.local_id(id.clone());
                            cx.doc.ids.insert(id);
                            let target = [
                                Item::markup("<span class=\"target\" id=\"", at),
                                Item::slot(slot, at),
                                Item::markup("\"></span>\n", at),
                            ];
                            items.splice(i..i, target);
                        }
                    }
                    return items;
                }
                first_block = false;
                i = end;
            }
            // A comment at the top of a page (a draft note) is not a block a reader sees.
            Ev::Md(Event::Start(Tag::HtmlBlock)) if depth == 0 => {
                let end = block_end(&items, i);
                let html: String = items[i + 1..end]
                    .iter()
                    .filter_map(|it| match &it.ev {
                        Ev::Md(Event::Html(h)) => Some(h.as_ref()),
                        _ => None,
                    })
                    .collect();
                if !is_plain_comment(&html) {
                    first_block = false;
                }
                i = end;
            }
            Ev::Md(Event::Start(_)) => {
                if depth == 0 {
                    first_block = false;
                }
                depth += 1;
            }
            Ev::Md(Event::End(_)) => depth = depth.saturating_sub(1),
            Ev::Md(Event::Html(h)) if depth == 0 && is_plain_comment(h) => {}
            Ev::Md(Event::Html(_) | Event::Rule | Event::DisplayMath(_)) if depth == 0 => {
                first_block = false;
            }
            _ => {}
        }
        i += 1;
    }
    items
}

/// Whether a block of raw HTML is only a comment (not one of mentorbook's markers).
fn is_plain_comment(html: &str) -> bool {
    let t = html.trim();
    t.starts_with("<!--") && t.ends_with("-->") && !t.starts_with("<!--mb:")
}

/// The index of the `End` of the block that starts at `start` (no nesting: HTML blocks).
fn block_end(items: &Items<'_>, start: usize) -> usize {
    items
        .iter()
        .enumerate()
        .skip(start + 1)
        .find(|(_, it)| matches!(it.ev, Ev::Md(Event::End(_))))
        .map_or(items.len().saturating_sub(1), |(j, _)| j)
}

/// The index of the `End` of the heading that starts at `start`.
fn heading_end(items: &Items<'_>, start: usize) -> usize {
    let mut depth = 0usize;
    for (j, it) in items.iter().enumerate().skip(start) {
        match &it.ev {
            Ev::Md(Event::Start(_)) => depth += 1,
            Ev::Md(Event::End(TagEnd::Heading(_))) if depth == 1 => return j,
            Ev::Md(Event::End(_)) => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    items.len().saturating_sub(1)
}

/// The plain text of a heading's inline content.
fn heading_text(items: &[crate::markdown::event::Item<'_>]) -> String {
    let mut s = String::new();
    for it in items {
        match &it.ev {
            Ev::Md(Event::Text(t) | Event::Code(t)) => s.push_str(t),
            Ev::Md(Event::SoftBreak | Event::HardBreak) => s.push(' '),
            _ => {}
        }
    }
    s.trim().to_string()
}

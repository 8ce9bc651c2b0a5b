//! Small markup changes: task-list boxes become labelled spans that print as
//! empty boxes (on a worksheet, checkboxes named like its other fields, to be
//! ticked on screen and in the PDF), and tables get a scrolling wrapper.

use pulldown_cmark::{Event, Tag, TagEnd};

use crate::markdown::Cx;
use crate::markdown::event::{Ev, Item, Items, any_event};
use crate::text::escape_html;

/// Characters of a task's text used as its checkbox's name for screen readers.
const LABEL_CHARS: usize = 120;

/// Rewrites task markers and wraps tables.
pub(crate) fn run<'a>(items: Items<'a>, cx: &mut Cx<'_>) -> Items<'a> {
    let has_work = any_event(&items, |e| {
        matches!(e, Event::TaskListMarker(_) | Event::Start(Tag::Table(_)))
    });
    if !has_work {
        return items;
    }
    let todo = escape_html(&cx.hooks.label("task_todo"));
    let done = escape_html(&cx.hooks.label("task_done"));
    // On a worksheet, each task's text names its checkbox (read before the items move).
    let mut labels: std::collections::VecDeque<String> = if cx.src.mark_blocks {
        items
            .iter()
            .enumerate()
            .filter(|(_, it)| matches!(it.ev, Ev::Md(Event::TaskListMarker(_))))
            .map(|(i, _)| task_text(&items[i + 1..]))
            .collect()
    } else {
        Default::default()
    };
    let mut out = Vec::with_capacity(items.len());
    let mut boxes = 0usize;
    for it in items {
        let at = it.at;
        match &it.ev {
            Ev::Md(Event::TaskListMarker(checked)) if cx.src.mark_blocks => {
                boxes += 1;
                let name = format!(
                    "{}.{}",
                    cx.src.form,
                    cx.names.claim(&format!("todo-{boxes}"))
                );
                let label = labels.pop_front().unwrap_or_default();
                let label = if label.is_empty() {
                    if *checked { done.clone() } else { todo.clone() }
                } else {
                    escape_html(&label)
                };
                let html = format!(
                    "<span class=\"ws-mark\"><input type=\"checkbox\" class=\"task{}\" name=\"{}\" aria-label=\"{label}\"{}></span> ",
                    if *checked { " done" } else { "" },
                    escape_html(&name),
                    if *checked { " checked" } else { "" },
                );
                out.push(Item::markup(html, at));
            }
            Ev::Md(Event::TaskListMarker(checked)) => {
                let html = if *checked {
                    format!("<span class=\"task done\" role=\"img\" aria-label=\"{done}\"></span> ")
                } else {
                    format!("<span class=\"task\" role=\"img\" aria-label=\"{todo}\"></span> ")
                };
                out.push(Item {
                    ev: Ev::Md(Event::InlineHtml(html.into())),
                    at,
                });
            }
            Ev::Md(Event::Start(Tag::Table(_))) => {
                out.push(Item::markup("<div class=\"table-wrap\">", at));
                out.push(it);
            }
            Ev::Md(Event::End(TagEnd::Table)) => {
                out.push(it);
                out.push(Item::markup("</div>\n", at));
            }
            _ => out.push(it),
        }
    }
    out
}

/// The text of a task, up to the end of its item or a nested list (bounded).
fn task_text(rest: &[Item<'_>]) -> String {
    let mut text = String::new();
    for it in rest {
        match &it.ev {
            Ev::Md(Event::End(TagEnd::Item) | Event::Start(Tag::List(_))) => break,
            Ev::Md(Event::Text(t) | Event::Code(t)) => text.push_str(t),
            Ev::Md(Event::SoftBreak | Event::HardBreak) => text.push(' '),
            _ => {}
        }
        if text.len() > LABEL_CHARS * 4 {
            break;
        }
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut out = String::new();
    for w in words {
        if out.chars().count() + w.chars().count() > LABEL_CHARS {
            out.push('…');
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

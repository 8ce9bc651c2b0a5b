//! Small markup changes: task-list boxes become labelled spans that print as
//! empty boxes, and tables get a scrolling wrapper.

use pulldown_cmark::{Event, Tag, TagEnd};

use crate::markdown::Cx;
use crate::markdown::event::{Ev, Item, Items};
use crate::text::escape_html;

/// Rewrites task markers and wraps tables.
pub(crate) fn run<'a>(items: Items<'a>, cx: &mut Cx<'_>) -> Items<'a> {
    let todo = escape_html(&cx.hooks.label("task_todo"));
    let done = escape_html(&cx.hooks.label("task_done"));
    let mut out = Vec::with_capacity(items.len());
    for it in items {
        let at = it.at;
        match &it.ev {
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

//! The marker comments [`dialects`] leaves for constructs of
//! other tools become markup: GitBook, MkDocs, MyST and Docusaurus tabs (a
//! `<section>` per tab, all shown, so they print), link cards (GitBook's
//! `content-ref` and `embed`), and MyST targets that are not before a heading
//! (an empty element with the id). Several markers may share one line.

use pulldown_cmark::Event;

use crate::markdown::Cx;
use crate::markdown::dialects::{
    self, ANCHOR_PREFIX, CARD_CLOSE, CARD_OPEN, EMBED_PREFIX, TAB_CLOSE, TAB_PREFIX, TABS_CLOSE,
    TABS_OPEN,
};
use crate::markdown::event::{Ev, Item, Items};
use crate::text::escape_html;

/// Turns the markers into markup.
pub(crate) fn run<'a>(items: Items<'a>, cx: &mut Cx<'_>) -> Items<'a> {
    if !crate::markdown::event::has_html(&items) {
        return items;
    }
    let mut out = Vec::with_capacity(items.len());
    for it in items {
        let Ev::Md(Event::Html(h) | Event::InlineHtml(h)) = &it.ev else {
            out.push(it);
            continue;
        };
        let whole = h.trim();
        if !whole.starts_with("<!--mb:") {
            out.push(it);
            continue;
        }
        let parts: Vec<&str> = whole
            .split_inclusive("-->")
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect();
        if !parts.iter().all(|p| is_ours(p)) {
            out.push(it);
            continue;
        }
        let at = it.at;
        for p in parts {
            markup(p, at, cx, &mut out);
        }
    }
    out
}

/// Whether `t` is one of the markers of this pass.
fn is_ours(t: &str) -> bool {
    [TABS_OPEN, TABS_CLOSE, TAB_CLOSE, CARD_OPEN, CARD_CLOSE].contains(&t)
        || ([TAB_PREFIX, EMBED_PREFIX, ANCHOR_PREFIX]
            .iter()
            .any(|p| t.starts_with(p))
            && t.ends_with("-->"))
}

/// Writes the markup of the marker `t`.
fn markup(t: &str, at: usize, cx: &mut Cx<'_>, out: &mut Items<'_>) {
    let body = |prefix: &str| {
        t.strip_prefix(prefix)?
            .strip_suffix("-->")
            .map(dialects::decode)
    };
    if t == TABS_OPEN {
        out.push(Item::markup("<div class=\"tabs\">\n", at));
    } else if t == TABS_CLOSE || t == CARD_CLOSE {
        out.push(Item::markup("</div>\n", at));
    } else if t == TAB_CLOSE {
        out.push(Item::markup("</section>\n", at));
    } else if t == CARD_OPEN {
        out.push(Item::markup("<div class=\"card link-card\">\n", at));
    } else if let Some(title) = body(TAB_PREFIX) {
        let title = if title.trim().is_empty() {
            String::new()
        } else {
            format!(
                "<p class=\"tab-title\"><strong>{}</strong></p>\n",
                escape_html(title.trim())
            )
        };
        out.push(Item::markup(
            format!("<section class=\"tab\">\n{title}"),
            at,
        ));
    } else if let Some(rest) = body(EMBED_PREFIX) {
        let (url, caption) = rest.split_once('|').unwrap_or((&rest, ""));
        let text = if caption.trim().is_empty() {
            url
        } else {
            caption
        };
        out.push(Item::markup(
            format!(
                "<p class=\"card link-card embed\"><a href=\"{}\">{}</a></p>\n",
                escape_html(url.trim()),
                escape_html(text.trim())
            ),
            at,
        ));
    } else if let Some(label) = body(ANCHOR_PREFIX) {
        let slot = cx.local_id(label.clone());
        cx.doc.ids.insert(label);
        out.push(Item::markup("<span class=\"target\" id=\"", at));
        out.push(Item::slot(slot, at));
        out.push(Item::markup("\"></span>\n", at));
    }
}

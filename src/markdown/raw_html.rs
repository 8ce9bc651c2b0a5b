//! Raw HTML written in the page: escaped into text with `safe_html: true`,
//! otherwise passed through, and the ids it defines noted for anchor checks.

use pulldown_cmark::Event;

use crate::markdown::Cx;
use crate::markdown::event::{Ev, Items};

/// Escapes raw HTML (with `safe_html`) or notes the ids it defines.
pub(crate) fn run<'a>(mut items: Items<'a>, cx: &mut Cx<'_>) -> Items<'a> {
    for it in &mut items {
        if let Ev::Md(Event::Html(h) | Event::InlineHtml(h)) = &mut it.ev {
            if cx.opts.safe_html {
                let text = std::mem::replace(h, "".into());
                it.ev = Ev::Md(Event::Text(text));
            } else {
                note_ids(h, &mut cx.doc.ids);
            }
        }
    }
    items
}

/// Adds to `ids` every `id="…"` (or `id='…'`) attribute value in `html`.
pub fn note_ids(html: &str, ids: &mut std::collections::HashSet<String>) {
    for (quote, close) in [("id=\"", '"'), ("id='", '\'')] {
        for (i, _) in html.match_indices(quote) {
            let before = html[..i].chars().last();
            if before.is_some_and(|c| !c.is_whitespace()) {
                continue;
            }
            let rest = &html[i + quote.len()..];
            if let Some(end) = rest.find(close) {
                ids.insert(rest[..end].to_string());
            }
        }
    }
}

//! Callouts: GitHub alerts (`> [!TIP]`) and `:::tip Title` containers become
//! `<div class="callout callout-tip">` with a title in the handbook's language.

use pulldown_cmark::{BlockQuoteKind, Event, Tag, TagEnd};

use crate::config::Typography;
use crate::markdown::Cx;
use crate::markdown::containers::{self, CalloutKind};
use crate::markdown::event::{Ev, Item, Items};
use crate::text::escape_html;

/// Turns alerts and container markers into callout markup.
pub(crate) fn run<'a>(items: Items<'a>, cx: &mut Cx<'_>) -> Items<'a> {
    let alerts = crate::markdown::event::any_event(&items, |e| {
        matches!(
            e,
            Event::Start(Tag::BlockQuote(Some(_))) | Event::End(TagEnd::BlockQuote(Some(_)))
        )
    });
    if !alerts && !crate::markdown::event::has_html(&items) {
        return items;
    }
    let mut out = Vec::with_capacity(items.len());
    for it in items {
        let at = it.at;
        match &it.ev {
            Ev::Md(Event::Start(Tag::BlockQuote(Some(kind)))) => {
                out.push(open(cx, alert_kind(*kind), None, at));
            }
            Ev::Md(Event::End(TagEnd::BlockQuote(Some(_)))) => {
                out.push(Item::markup("</div>\n", at));
            }
            Ev::Md(Event::Html(h) | Event::InlineHtml(h)) => {
                let closes = containers::close_count(h);
                if let Some((kind, title)) = containers::parse_marker(h) {
                    out.push(open(cx, kind, (!title.is_empty()).then_some(title), at));
                } else if let Some((n, kind, title)) = containers::closes_then_open(h) {
                    out.push(Item::markup("</div>\n".repeat(n), at));
                    out.push(open(cx, kind, (!title.is_empty()).then_some(title), at));
                } else if closes > 0 {
                    out.push(Item::markup("</div>\n".repeat(closes), at));
                } else {
                    out.push(it);
                }
            }
            _ => out.push(it),
        }
    }
    out
}

fn alert_kind(kind: BlockQuoteKind) -> CalloutKind {
    match kind {
        BlockQuoteKind::Note => CalloutKind::Note,
        BlockQuoteKind::Tip => CalloutKind::Tip,
        BlockQuoteKind::Important => CalloutKind::Important,
        BlockQuoteKind::Warning => CalloutKind::Warning,
        BlockQuoteKind::Caution => CalloutKind::Caution,
    }
}

fn open<'a>(cx: &Cx<'_>, kind: CalloutKind, title: Option<String>, at: usize) -> Item<'a> {
    let title = title.unwrap_or_else(|| cx.hooks.label(&format!("callout_{}", kind.name())));
    let title = crate::typography::display(
        &title,
        cx.opts.typography == Typography::Fr,
        cx.opts.french_quotes,
    );
    Item::markup(
        format!(
            "<div class=\"callout callout-{name}\" role=\"note\">\n<p class=\"callout-title\">{title}</p>\n",
            name = kind.name(),
            title = escape_html(&title)
        ),
        at,
    )
}

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
    let marked = cx.lines.text().contains("[!");
    if !alerts && !marked && !crate::markdown::event::has_html(&items) {
        return items;
    }
    let mut out = Vec::with_capacity(items.len());
    // For each plain quote open: whether it became a callout (`> [!question] Titre`).
    let mut quotes: Vec<bool> = Vec::new();
    let mut skip = Skip::No;
    for it in items {
        let at = it.at;
        match std::mem::replace(&mut skip, Skip::No) {
            Skip::No => {}
            Skip::AwaitParagraph => {
                if matches!(it.ev, Ev::Md(Event::Start(Tag::Paragraph))) {
                    skip = Skip::Marker(it);
                    continue;
                }
            }
            Skip::Marker(paragraph) => {
                match &it.ev {
                    // The marker line ends: the paragraph goes on without it.
                    Ev::Md(Event::SoftBreak | Event::HardBreak) => out.push(paragraph),
                    // The marker was the whole paragraph.
                    Ev::Md(Event::End(TagEnd::Paragraph)) => {}
                    _ => skip = Skip::Marker(paragraph),
                }
                continue;
            }
        }
        match &it.ev {
            Ev::Md(Event::Start(Tag::BlockQuote(Some(kind)))) => {
                out.push(open(cx, alert_kind(*kind), None, at));
            }
            Ev::Md(Event::End(TagEnd::BlockQuote(Some(_)))) => {
                out.push(Item::markup("</div>\n", at));
            }
            Ev::Md(Event::Start(Tag::BlockQuote(None))) if marked => match quote_marker(cx, at) {
                Some((kind, title)) => {
                    out.push(open(cx, kind, title, at));
                    quotes.push(true);
                    skip = Skip::AwaitParagraph;
                }
                None => {
                    quotes.push(false);
                    out.push(it);
                }
            },
            Ev::Md(Event::End(TagEnd::BlockQuote(None))) if marked => {
                if quotes.pop() == Some(true) {
                    out.push(Item::markup("</div>\n", at));
                } else {
                    out.push(it);
                }
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

/// Where the pass is in leaving out the marker line of a quote become a callout.
enum Skip<'a> {
    No,
    /// The quote opened; its first paragraph starts with the marker.
    AwaitParagraph,
    /// In the marker line, the paragraph's start held back.
    Marker(Item<'a>),
}

/// A quote whose first line is an alert marker the parser does not read as
/// one: Obsidian's and MkDocs' kinds (`> [!question]`, `> [!info]-` folded,
/// `> [!tip] Un titre`), GitHub's with a title. Its kind and title (`None`:
/// the kind's; a kind not one of the seven is titled by its name, as Obsidian
/// does). An unknown kind is reported, the quote left as it is.
fn quote_marker(cx: &mut Cx<'_>, at: usize) -> Option<(CalloutKind, Option<String>)> {
    let text = cx.lines.text();
    let rest = text.get(at..)?;
    let line = rest.split('\n').next().unwrap_or(rest);
    let inner = line.trim_start().strip_prefix('>')?.trim_start();
    let inner = inner.strip_prefix("[!")?;
    let end = inner.find(']')?;
    let name = &inner[..end];
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return None;
    }
    let after = inner[end + 1..].trim_start_matches(['-', '+']).trim();
    let Some(kind) = crate::markdown::dialects::admonition_kind(name) else {
        let (line, col) = cx.locate(at);
        let guess = crate::diagnostic::did_you_mean(&name.to_lowercase(), &ALERT_NAMES);
        let help = match guess {
            Some(g) => format!("did you mean `[!{}]`? ", g.to_uppercase()),
            None => String::new(),
        };
        cx.doc.diagnostics.push(
            crate::diagnostic::Diagnostic::warning(
                cx.src.path,
                line,
                col,
                format!("`[!{name}]` is not a kind of callout: the quote shows as a quote"),
            )
            .with_help(format!(
                "{help}the kinds are NOTE, TIP, IMPORTANT, WARNING, CAUTION (GitHub's), INFO, DANGER and Obsidian's (QUESTION, EXAMPLE, BUG…)"
            )),
        );
        return None;
    };
    let title = if !after.is_empty() {
        // The title's text, its inline Markdown (`*bogue*`) read, not shown.
        let text: String = pulldown_cmark::Parser::new(after)
            .filter_map(|e| match e {
                Event::Text(t) | Event::Code(t) => Some(t.into_string()),
                _ => None,
            })
            .collect();
        Some(text)
    } else if CalloutKind::from_container(name).is_none() {
        Some(crate::text::humanize(&name.to_lowercase()))
    } else {
        None
    };
    Some((kind, title))
}

/// The kinds offered when an alert's is misspelt.
const ALERT_NAMES: [&str; 12] = [
    "note",
    "tip",
    "important",
    "warning",
    "caution",
    "info",
    "danger",
    "question",
    "example",
    "quote",
    "bug",
    "success",
];

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

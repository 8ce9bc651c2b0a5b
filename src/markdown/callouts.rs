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
    let mut marker: Option<Marker<'a>> = None;
    let mut items = items.into_iter().peekable();
    while let Some(it) = items.next() {
        let at = it.at;
        if let Some(m) = marker.as_mut() {
            match &it.ev {
                // The marker line ends: the paragraph goes on without it, in the
                // inline elements opened on that line.
                Ev::Md(Event::SoftBreak | Event::HardBreak) if at <= m.line_end => {
                    if let Some(m) = marker.take() {
                        out.push(m.paragraph);
                        out.extend(m.open);
                    }
                    continue;
                }
                // The marker was the whole paragraph.
                Ev::Md(Event::End(TagEnd::Paragraph)) => {
                    marker = None;
                    continue;
                }
                // Past the marker line (a code span took its line break): the
                // paragraph goes on from here.
                _ if at > m.line_end => {
                    if let Some(m) = marker.take() {
                        out.push(m.paragraph);
                        out.extend(m.open);
                    }
                }
                Ev::Md(Event::Start(_)) => {
                    m.open.push(it);
                    continue;
                }
                // An element opened and closed on the marker line: both left out.
                Ev::Md(Event::End(_)) => {
                    m.open.pop();
                    continue;
                }
                _ => continue,
            }
        }
        match &it.ev {
            Ev::Md(Event::Start(Tag::BlockQuote(Some(kind)))) => {
                out.push(open(cx, alert_kind(*kind), None, at));
            }
            Ev::Md(Event::End(TagEnd::BlockQuote(Some(_)))) => {
                out.push(Item::markup("</div>\n", at));
            }
            Ev::Md(Event::Start(Tag::BlockQuote(None))) if marked => {
                // Only a quote whose first block is a paragraph starting with the
                // marker (not a heading, nor a link definition, written so).
                let found = quote_marker(cx, at).filter(|q| {
                    items.peek().is_some_and(|next| {
                        matches!(next.ev, Ev::Md(Event::Start(Tag::Paragraph))) && next.at == q.at
                    })
                });
                match found {
                    Some(q) => {
                        out.push(open(cx, q.kind, q.title, at));
                        quotes.push(true);
                        if let Some(paragraph) = items.next() {
                            marker = Some(Marker {
                                paragraph,
                                line_end: q.line_end,
                                open: Vec::new(),
                            });
                        }
                    }
                    None => {
                        quotes.push(false);
                        out.push(it);
                    }
                }
            }
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

/// The marker line of a quote become a callout, being left out.
struct Marker<'a> {
    /// The paragraph's start, held back until the marker line ends.
    paragraph: Item<'a>,
    /// Where the marker line ends (its line break).
    line_end: usize,
    /// Inline elements opened on the marker line and still open.
    open: Vec<Item<'a>>,
}

/// An alert marker found at a quote's first line.
struct QuoteMarker {
    kind: CalloutKind,
    title: Option<String>,
    /// Where the marker (`[!`) starts, and where its line ends.
    at: usize,
    line_end: usize,
}

/// A quote whose first line is an alert marker the parser does not read as
/// one: Obsidian's and MkDocs' kinds (`> [!question]`, `> [!info]-` folded,
/// `> [!tip] Un titre`), GitHub's with a title. Its kind and title (`None`:
/// the kind's; a kind not one of the seven is titled by its name, as Obsidian
/// does). An unknown kind is reported, the quote left as it is.
fn quote_marker(cx: &mut Cx<'_>, at: usize) -> Option<QuoteMarker> {
    let text = cx.lines.text();
    let rest = text.get(at..)?;
    let line = rest.split('\n').next().unwrap_or(rest);
    let line_end = at + line.len();
    let inner = line.trim_start().strip_prefix('>')?.trim_start();
    let marker_at = line_end - inner.len();
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
    // `[!x]: url` defines a link.
    if after.starts_with(':') {
        return None;
    }
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
    Some(QuoteMarker {
        kind,
        title,
        at: marker_at,
        line_end,
    })
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

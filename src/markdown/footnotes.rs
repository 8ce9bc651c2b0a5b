//! Footnotes: references become numbered links, definitions are gathered in a
//! list at the end of the page (in order of first reference), each with a link
//! back. Footnote ids are local ids, so print files prefix them.

use std::collections::HashMap;

use pulldown_cmark::{Event, Tag, TagEnd};

use crate::diagnostic::Diagnostic;
use crate::markdown::Cx;
use crate::markdown::event::{Ev, Item, Items, any_event};
use crate::text::{escape_html, slugify};

/// Numbers references and moves definitions to the end of the page.
pub(crate) fn run<'a>(items: Items<'a>, cx: &mut Cx<'_>) -> Items<'a> {
    report_undefined(&items, cx);
    let has_footnotes = any_event(&items, |e| {
        matches!(
            e,
            Event::FootnoteReference(_) | Event::Start(Tag::FootnoteDefinition(_))
        )
    });
    if !has_footnotes {
        return items;
    }
    let end = items.last().map_or(0, |it| it.at);
    let mut body = Vec::with_capacity(items.len() + 16);
    let mut defs: HashMap<String, Items<'a>> = HashMap::new();
    let mut current: Option<(String, Items<'a>, usize)> = None;
    let mut numbers: Vec<String> = Vec::new();
    for it in items {
        if let Some((_, evs, depth)) = current.as_mut() {
            match &it.ev {
                Ev::Md(Event::Start(Tag::FootnoteDefinition(_))) => *depth += 1,
                Ev::Md(Event::End(TagEnd::FootnoteDefinition)) if *depth == 0 => {
                    if let Some((label, evs, _)) = current.take() {
                        defs.entry(label).or_insert(evs);
                    }
                    continue;
                }
                Ev::Md(Event::End(TagEnd::FootnoteDefinition)) => *depth -= 1,
                _ => {}
            }
            evs.push(it);
            continue;
        }
        match &it.ev {
            Ev::Md(Event::Start(Tag::FootnoteDefinition(label))) => {
                current = Some((label.to_string(), Vec::new(), 0));
            }
            Ev::Md(Event::FootnoteReference(label)) => {
                let key = label.to_string();
                let n = match numbers.iter().position(|l| *l == key) {
                    Some(i) => i + 1,
                    None => {
                        numbers.push(key.clone());
                        numbers.len()
                    }
                };
                let slug = label_slug(&key);
                let target = cx.local_id(format!("fn-{slug}"));
                let own = cx.local_id(format!("fnref-{slug}-{n}"));
                let at = it.at;
                body.push(Item::markup("<sup class=\"fn-ref\"><a href=\"#", at));
                body.push(Item::slot(target, at));
                body.push(Item::markup("\" id=\"", at));
                body.push(Item::slot(own, at));
                body.push(Item::markup(format!("\">{n}</a></sup>"), at));
            }
            _ => body.push(it),
        }
    }
    if numbers.is_empty() {
        return body;
    }
    let back_label = escape_html(&cx.hooks.label("footnote_back"));
    body.push(Item::markup(
        "<section class=\"footnotes\" role=\"doc-endnotes\">\n<ol>\n",
        end,
    ));
    for (i, label) in numbers.iter().enumerate() {
        let slug = label_slug(label);
        let Some(mut evs) = defs.remove(label) else {
            let (line, _) = cx.locate(0);
            cx.doc.diagnostics.push(
                Diagnostic::warning(
                    cx.src.path,
                    line,
                    1,
                    format!("footnote `[^{label}]` has no definition"),
                )
                .with_help(format!("add a line `[^{label}]: text` to the page")),
            );
            continue;
        };
        let fid = format!("fn-{slug}");
        cx.doc.ids.insert(fid.clone());
        let own = cx.local_id(fid);
        let back = cx.local_id(format!("fnref-{slug}-{}", i + 1));
        body.push(Item::markup("<li id=\"", end));
        body.push(Item::slot(own, end));
        body.push(Item::markup("\">", end));
        let back = [
            Item::markup(" <a href=\"#", end),
            Item::slot(back, end),
            Item::markup(
                format!("\" class=\"fn-back\" aria-label=\"{back_label}\">↩</a>"),
                end,
            ),
        ];
        if matches!(
            evs.last().map(|it| &it.ev),
            Some(Ev::Md(Event::End(TagEnd::Paragraph)))
        ) {
            let close = evs.pop();
            evs.extend(back);
            evs.extend(close);
        } else {
            evs.extend(back);
        }
        body.extend(evs);
        body.push(Item::markup("</li>\n", end));
    }
    body.push(Item::markup("</ol>\n</section>\n", end));
    body
}

/// Warns of each `[^label]` left as text: the parser makes a reference of it
/// only when the page defines `[^label]:`, so one left as text has no
/// definition (a misspelt label, a definition forgotten) and shows as written.
/// Text split over several events (`[`, `^x]`) is read as one run; an escaped
/// `\[^x]` is meant to show as written, and code is left alone.
fn report_undefined(items: &Items<'_>, cx: &mut Cx<'_>) {
    let text = cx.lines.text();
    if !text.contains("[^") {
        return;
    }
    // The current run of text, and where in the source each of its events starts.
    let mut run = String::new();
    let mut starts: Vec<(usize, usize)> = Vec::new();
    let mut found: Vec<(usize, String)> = Vec::new();
    let mut flush = |run: &mut String, starts: &mut Vec<(usize, usize)>| {
        let mut from = 0;
        while let Some(i) = run[from..].find("[^").map(|i| from + i) {
            from = i + 2;
            let rest = &run[i + 2..];
            // A label is short: its `]` is looked for within a window.
            let near = crate::text::window(rest, 66);
            let Some(end) = near.find(']') else { continue };
            let label = &rest[..end];
            if label.is_empty()
                || label.len() > 64
                || label.contains(|c: char| c.is_whitespace() || c == '[')
            {
                continue;
            }
            let k = starts.partition_point(|&(pos, _)| pos <= i).max(1) - 1;
            let (pos, at) = starts.get(k).copied().unwrap_or((0, 0));
            let source_at = at + (i - pos);
            // Escaped by an odd number of backslashes (`\\[^x]` is a backslash, then a note).
            let slashes = text.as_bytes()[..source_at.min(text.len())]
                .iter()
                .rev()
                .take_while(|&&b| b == b'\\')
                .count();
            let escaped = slashes % 2 == 1;
            if !escaped {
                found.push((source_at, label.to_string()));
            }
            from = i + 2 + end;
        }
        run.clear();
        starts.clear();
    };
    // In a code block or an autolink (`<https://x/a[^b]>`), text is no prose.
    let mut in_code = false;
    let mut in_autolink = false;
    for it in items {
        match &it.ev {
            Ev::Md(Event::Text(t)) if !in_code && !in_autolink => {
                // Until a `[` is met, there is nothing to look for: text is
                // only gathered from the first one on.
                if run.is_empty() && !t.contains('[') {
                    continue;
                }
                starts.push((run.len(), it.at));
                run.push_str(t);
            }
            ev => {
                match ev {
                    Ev::Md(Event::Start(Tag::CodeBlock(_))) => in_code = true,
                    Ev::Md(Event::End(TagEnd::CodeBlock)) => in_code = false,
                    Ev::Md(Event::Start(Tag::Link { link_type, .. })) => {
                        in_autolink = matches!(
                            link_type,
                            pulldown_cmark::LinkType::Autolink | pulldown_cmark::LinkType::Email
                        );
                    }
                    Ev::Md(Event::End(TagEnd::Link)) => in_autolink = false,
                    _ => {}
                }
                flush(&mut run, &mut starts);
            }
        }
    }
    flush(&mut run, &mut starts);
    for (at, label) in found {
        let (line, col) = cx.locate(at);
        cx.doc.diagnostics.push(
            Diagnostic::warning(
                cx.src.path,
                line,
                col,
                format!("footnote `[^{label}]` has no definition: it shows as written"),
            )
            .with_help(format!(
                "add a line `[^{label}]: the note` to the page (check the label's spelling), or write `\\[^{label}]` to show the brackets"
            )),
        );
    }
}

fn label_slug(label: &str) -> String {
    let s = slugify(label);
    if s.is_empty() { "note".into() } else { s }
}

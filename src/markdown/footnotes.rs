//! Footnotes: references numbered in order of first use, definitions gathered at the
//! end of the page with links back, ids unique per page (and per print page).

use std::collections::HashMap;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use crate::text::{escape_html, slugify};

/// Moves footnote definitions to the end of `events` and numbers the references.
/// `id` maps a local id (`fn-x`) to the id used in the output. Returns the footnote
/// ids defined, and the labels referenced without a definition.
pub fn gather<'a>(
    events: Vec<Event<'a>>,
    id: &dyn Fn(&str) -> String,
    back_label: &str,
) -> (Vec<Event<'a>>, Vec<String>, Vec<String>) {
    let mut body = Vec::with_capacity(events.len());
    let mut defs: HashMap<String, Vec<Event<'a>>> = HashMap::new();
    let mut current: Option<(String, Vec<Event<'a>>, usize)> = None;
    let mut numbers: Vec<String> = Vec::new();
    for ev in events {
        if let Some((_, evs, depth)) = current.as_mut() {
            match &ev {
                Event::Start(Tag::FootnoteDefinition(_)) => *depth += 1,
                Event::End(TagEnd::FootnoteDefinition) if *depth == 0 => {
                    let (label, evs, _) = current.take().unwrap_or_default();
                    defs.entry(label).or_insert(evs);
                    continue;
                }
                Event::End(TagEnd::FootnoteDefinition) => *depth -= 1,
                _ => {}
            }
            evs.push(ev);
            continue;
        }
        match ev {
            Event::Start(Tag::FootnoteDefinition(label)) => {
                current = Some((label.to_string(), Vec::new(), 0));
            }
            Event::FootnoteReference(label) => {
                let key = label.to_string();
                let n = match numbers.iter().position(|l| *l == key) {
                    Some(i) => i + 1,
                    None => {
                        numbers.push(key.clone());
                        numbers.len()
                    }
                };
                let slug = label_slug(&key);
                body.push(Event::InlineHtml(CowStr::from(format!(
                    "<sup class=\"fn-ref\"><a href=\"#{}\" id=\"{}\">{n}</a></sup>",
                    id(&format!("fn-{slug}")),
                    id(&format!("fnref-{slug}-{n}")),
                ))));
            }
            other => body.push(other),
        }
    }
    let mut missing = Vec::new();
    let mut defined = Vec::new();
    if !numbers.is_empty() {
        body.push(Event::Html(CowStr::from(
            "<section class=\"footnotes\" role=\"doc-endnotes\">\n<ol>\n".to_string(),
        )));
        for (i, label) in numbers.iter().enumerate() {
            let slug = label_slug(label);
            let Some(mut evs) = defs.remove(label) else {
                missing.push(label.clone());
                continue;
            };
            let fid = format!("fn-{slug}");
            defined.push(fid.clone());
            body.push(Event::Html(CowStr::from(format!(
                "<li id=\"{}\">",
                id(&fid)
            ))));
            let back = Event::InlineHtml(CowStr::from(format!(
                " <a href=\"#{}\" class=\"fn-back\" aria-label=\"{}\">↩</a>",
                id(&format!("fnref-{slug}-{}", i + 1)),
                escape_html(back_label)
            )));
            if matches!(evs.last(), Some(Event::End(TagEnd::Paragraph))) {
                let end = evs.pop();
                evs.push(back);
                evs.extend(end);
            } else {
                evs.push(back);
            }
            body.extend(evs);
            body.push(Event::Html(CowStr::from("</li>\n")));
        }
        body.push(Event::Html(CowStr::from("</ol>\n</section>\n")));
    }
    (body, defined, missing)
}

fn label_slug(label: &str) -> String {
    let s = slugify(label);
    if s.is_empty() { "note".into() } else { s }
}

//! Worksheet blocks: a fenced block whose info string is a block kind (```` ```field ````)
//! is handed, with its YAML body, to the theme's [`Hooks::block`](super::Hooks::block),
//! and replaced by the HTML it returns (or by a visible error and a diagnostic).
//! Other fences pass through, but for an info string written for another tool
//! (```` ```python title="demo.py" ````, ```` ```{.python} ````): its language is
//! kept, its title put above the block.

use pulldown_cmark::{CodeBlockKind, Event, Tag, TagEnd};

use crate::markdown::event::{Ev, Item, Items};
use crate::markdown::{BlockSite, Cx};
use crate::text::escape_html;

/// Replaces worksheet blocks by their HTML.
pub(crate) fn run<'a>(items: Items<'a>, cx: &mut Cx<'_>) -> Items<'a> {
    let is_block = |info: &str| {
        cx.hooks
            .is_block(info.split_whitespace().next().unwrap_or(""))
    };
    let obsidian = cx.opts.obsidian;
    let any = crate::markdown::event::any_event(
        &items,
        |e| matches!(e, Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) if is_block(info) || code_info(info).is_some() || (obsidian && plugin_query(info).is_some())),
    );
    if !any {
        // Nothing to render: the stream as it is, not moved into a new one.
        return items;
    }
    let mut out = Vec::with_capacity(items.len());
    let mut open: Option<(String, usize, String)> = None;
    for it in items {
        if let Some((_, _, body)) = open.as_mut() {
            match it.ev {
                Ev::Md(Event::Text(t)) => body.push_str(&t),
                Ev::Md(Event::End(TagEnd::CodeBlock)) => {
                    if let Some((kind, at, body)) = open.take() {
                        out.push(render(cx, &kind, at, &body));
                    }
                }
                _ => {}
            }
            continue;
        }
        if let Ev::Md(Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info)))) = &it.ev {
            let kind = info.split_whitespace().next().unwrap_or("");
            if obsidian && let Some(plugin) = plugin_query(info) {
                let (line, col) = cx.locate(it.at);
                cx.doc.diagnostics.push(
                    crate::diagnostic::Diagnostic::warning(
                        cx.src.path,
                        line,
                        col,
                        format!("a `{kind}` block is a query that {plugin} runs inside Obsidian; a handbook cannot run it, so it shows as code"),
                    )
                    .with_help("write what it lists (links to the pages, `[[Note]]`), or remove the block"),
                );
            }
            if cx.hooks.is_block(kind) {
                open = Some((kind.to_string(), it.at, String::new()));
                continue;
            }
            if let Some((lang, title)) = code_info(info) {
                *cx.doc.converted.entry("code title").or_default() += 1;
                if let Some(title) = title {
                    out.push(Item::markup(
                        format!(
                            "<p class=\"code-title\"><strong>{}</strong></p>\n",
                            escape_html(&title)
                        ),
                        it.at,
                    ));
                }
                out.push(Item::md(
                    Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(lang.into()))),
                    it.at,
                ));
                continue;
            }
        }
        out.push(it);
    }
    out
}

/// The Obsidian plugin whose query a fence holds (```` ```dataview ````,
/// ```` ```tasks ````, Obsidian's own ```` ```query ```` search), by its name.
fn plugin_query(info: &str) -> Option<&'static str> {
    match info
        .split_whitespace()
        .next()?
        .to_ascii_lowercase()
        .as_str()
    {
        "dataview" | "dataviewjs" => Some("the Dataview plugin"),
        "tasks" => Some("the Tasks plugin"),
        "query" => Some("Obsidian's search"),
        _ => None,
    }
}

/// A code fence's info string written for another tool, read: the language and
/// the title of MkDocs' and Docusaurus' ```` ```python title="demo.py" ````, and of
/// the attribute form ```` ```{.python title="demo.py"} ```` (Pandoc, attr_list);
/// `None` for a plain info string (```` ```python ````), which needs nothing.
fn code_info(info: &str) -> Option<(String, Option<String>)> {
    let info = info.trim();
    let (attrs, lang) = match info.strip_prefix('{').and_then(|r| r.strip_suffix('}')) {
        Some(inner) => {
            let lang = inner
                .split_whitespace()
                .find_map(|w| w.strip_prefix('.'))
                .unwrap_or("")
                .to_string();
            (inner, lang)
        }
        None => {
            let mut words = info.splitn(2, char::is_whitespace);
            let lang = words.next().unwrap_or("").to_string();
            let rest = words.next().unwrap_or("");
            if !rest.contains("title=") {
                return None;
            }
            (rest, lang)
        }
    };
    let title = attrs.find("title=").and_then(|i| {
        let v = &attrs[i + "title=".len()..];
        match v.chars().next()? {
            q @ ('"' | '\'') => v[1..].split(q).next().map(str::to_string),
            _ => v.split_whitespace().next().map(str::to_string),
        }
    });
    Some((lang, title.filter(|t| !t.trim().is_empty())))
}

fn render<'a>(cx: &mut Cx<'_>, kind: &str, at: usize, body: &str) -> Item<'a> {
    let (fence_line, _) = cx.locate(at);
    let site = BlockSite {
        source: cx.src.path,
        anchor: cx.src.anchor,
        form: cx.src.form,
        names: &cx.names,
        line: fence_line + 1,
    };
    match cx.hooks.block(kind, body, &site) {
        Ok(html) => Item::markup(html, at),
        Err(d) => {
            let html = format!(
                "<div class=\"block-error\" role=\"alert\">{}</div>\n",
                escape_html(&d.message)
            );
            cx.doc.diagnostics.push(d);
            Item::markup(html, at)
        }
    }
}

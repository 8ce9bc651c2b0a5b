//! Marks the top-level blocks of a worksheet: before each one a
//! [`Slot::Mark`] that the writer puts inside the block's
//! opening tag, with the block's line and a few words saying what it is, so
//! that `pdf` can tell on which sheet each block printed and name the one that
//! spills over.

use pulldown_cmark::{CodeBlockKind, Event, Tag, TagEnd};

use crate::markdown::Cx;
use crate::markdown::doc::{Mark, Slot};
use crate::markdown::event::{Ev, Item, Items};

/// Words of a block's text quoted in its description.
const QUOTED_CHARS: usize = 48;

/// Inserts a mark before every top-level block (worksheets only).
pub(crate) fn run<'a>(items: Items<'a>, cx: &mut Cx<'_>) -> Items<'a> {
    if !cx.src.mark_blocks {
        return items;
    }
    let mut out = Vec::with_capacity(items.len() + items.len() / 4);
    let mut depth = 0usize;
    for (i, it) in items.iter().enumerate() {
        if let Ev::Md(ev) = &it.ev {
            match ev {
                Event::Start(tag) => {
                    if depth == 0
                        && let Some(what) = describe(tag, &items[i + 1..], cx)
                    {
                        let (line, _) = cx.locate(it.at);
                        let n = u32::try_from(cx.doc.marks.len()).unwrap_or(u32::MAX);
                        cx.doc.marks.push(Mark { line, what });
                        out.push(Item::slot(Slot::Mark(n), it.at));
                    }
                    depth += 1;
                }
                Event::End(_) => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        out.push(it.clone());
    }
    out
}

/// The block a tag opens, in words; `None` for blocks that are not marked.
fn describe(tag: &Tag<'_>, rest: &[Item<'_>], cx: &Cx<'_>) -> Option<String> {
    let quoted = |kind: &str| match first_words(rest) {
        Some(words) => format!("the {kind} “{words}”"),
        None => format!("the {kind}"),
    };
    Some(match tag {
        Tag::Paragraph => quoted("paragraph"),
        Tag::Heading { .. } => quoted("heading"),
        Tag::List(_) => quoted("list"),
        Tag::Table(_) => quoted("table"),
        Tag::BlockQuote(_) => quoted("quote"),
        Tag::HtmlBlock => "the HTML block".to_string(),
        Tag::CodeBlock(CodeBlockKind::Fenced(info)) => {
            let kind = info.split_whitespace().next().unwrap_or("");
            if !cx.hooks.is_block(kind) {
                return Some("the code block".to_string());
            }
            match block_label(rest) {
                Some(label) => format!("the `{kind}` block “{label}”"),
                None => format!("the `{kind}` block"),
            }
        }
        Tag::CodeBlock(CodeBlockKind::Indented) => "the code block".to_string(),
        _ => return None,
    })
}

/// The first words of a block's text, up to the end of the block.
fn first_words(rest: &[Item<'_>]) -> Option<String> {
    let mut depth = 1usize;
    let mut text = String::new();
    for it in rest {
        match &it.ev {
            Ev::Md(Event::Start(_)) => depth += 1,
            Ev::Md(Event::End(_)) => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            Ev::Md(Event::Text(t) | Event::Code(t)) => text.push_str(t),
            Ev::Md(Event::SoftBreak | Event::HardBreak) => text.push(' '),
            _ => {}
        }
        if text.chars().count() > QUOTED_CHARS {
            break;
        }
    }
    shorten(&text)
}

/// The `label:` of a worksheet block's YAML body, if it has one on its own line.
fn block_label(rest: &[Item<'_>]) -> Option<String> {
    let mut body = String::new();
    for it in rest {
        match &it.ev {
            Ev::Md(Event::Text(t)) => body.push_str(t),
            Ev::Md(Event::End(TagEnd::CodeBlock)) => break,
            _ => {}
        }
    }
    let label = body.lines().find_map(|l| l.strip_prefix("label:"))?;
    shorten(label.trim().trim_matches(|c| c == '"' || c == '\''))
}

/// Collapses white space and cuts long text at a word, with an ellipsis.
fn shorten(text: &str) -> Option<String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.is_empty() {
        return None;
    }
    let mut out = String::new();
    for w in &words {
        if !out.is_empty() && out.chars().count() + w.chars().count() > QUOTED_CHARS {
            out.push('…');
            return Some(out);
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_is_cut_at_a_word() {
        assert_eq!(shorten("  a   b "), Some("a b".into()));
        let long =
            "Chacun, pour soi, à la fin de la séance, note ce qui a changé depuis la dernière fois";
        let s = shorten(long).unwrap();
        assert!(
            s.ends_with('…') && s.chars().count() <= QUOTED_CHARS + 1,
            "{s}"
        );
        assert_eq!(shorten(" \n"), None);
    }
}

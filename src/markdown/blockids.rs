//! Obsidian's block ids: a paragraph or list item ending in ` ^engagements`
//! names itself, so that `[[Charte#^engagements]]` leads to it. The marker
//! leaves the text and the block gets an anchor of that id (`^engagements`),
//! a local id that print files prefix like any other.

use pulldown_cmark::{Event, Tag, TagEnd};

use crate::markdown::Cx;
use crate::markdown::event::{Ev, Item, Items};

/// The longest block id looked for (Obsidian makes six characters; people write words).
const MAX_ID: usize = 64;

/// Takes each block id off the end of its block and anchors the block there.
/// An id alone in a paragraph (`^tableau`, after a table, a quote or a list,
/// as Obsidian writes it for them) names the block before it and leaves no
/// paragraph.
pub(crate) fn run<'a>(items: Items<'a>, cx: &mut Cx<'_>) -> Items<'a> {
    // An id follows a space or starts a line (footnotes' `[^1]` do neither).
    let text = cx.lines.text();
    if !(text.starts_with('^') || text.contains(" ^") || text.contains("\n^")) {
        return items;
    }
    let mut items = items;
    // Open blocks (the index of each start), the last block closed at each
    // depth, anchors to put (after the start at an index, or before the
    // block starting there), and the items of id-only paragraphs to leave out.
    let mut open: Vec<usize> = Vec::new();
    let mut closed: Vec<Option<usize>> = Vec::new();
    let mut anchors: Vec<(usize, bool, String)> = Vec::new();
    let mut gone: Vec<(usize, usize)> = Vec::new();
    let mut in_code = 0usize;
    for i in 0..items.len() {
        match &items[i].ev {
            Ev::Md(Event::Start(Tag::CodeBlock(_))) => in_code += 1,
            Ev::Md(Event::End(TagEnd::CodeBlock)) => in_code = in_code.saturating_sub(1),
            _ => {}
        }
        match &items[i].ev {
            Ev::Md(Event::Start(_)) => open.push(i),
            Ev::Md(Event::End(end)) => {
                let Some(start) = open.pop() else { continue };
                let depth = open.len();
                if closed.len() <= depth {
                    closed.resize(depth + 1, None);
                }
                let before = closed[depth].replace(start);
                closed.truncate(depth + 1);
                if in_code > 0 || !matches!(end, TagEnd::Paragraph | TagEnd::Item) || i == 0 {
                    continue;
                }
                let Ev::Md(Event::Text(t)) = &items[i - 1].ev else {
                    continue;
                };
                // `^tableau` alone: the block before it, if any, is named.
                if i == start + 2
                    && matches!(end, TagEnd::Paragraph)
                    && let Some(id) = alone(t)
                {
                    let id = format!("^{id}");
                    match before {
                        Some(b) => {
                            anchors.push((b, true, id));
                            gone.push((start, i));
                            closed[depth] = Some(b);
                        }
                        // Nothing before it: the paragraph stays, as the anchor.
                        None => {
                            anchors.push((start, false, id));
                            if let Ev::Md(Event::Text(t)) = &mut items[i - 1].ev {
                                *t = "".into();
                            }
                        }
                    }
                    continue;
                }
                // `texte ^id`, or `texte` and `^id` on the next line of the block.
                let soft = i >= 2
                    && matches!(items[i - 2].ev, Ev::Md(Event::SoftBreak | Event::HardBreak));
                let found = match alone(t) {
                    Some(id) if soft => Some((String::new(), id.to_string())),
                    _ => split_id(t).map(|(k, id)| (k.to_string(), id.to_string())),
                };
                if let Some((kept, id)) = found {
                    if kept.is_empty() {
                        gone.push((i - 2, i - 2));
                    }
                    if let Ev::Md(Event::Text(t)) = &mut items[i - 1].ev {
                        *t = kept.into();
                    }
                    anchors.push((start, false, format!("^{id}")));
                }
            }
            _ => {}
        }
    }
    if anchors.is_empty() {
        return items;
    }
    // At one index, the anchors before the item come first.
    anchors.sort_by_key(|(at, before, _)| (*at, !*before));
    gone.sort_unstable();
    let mut out = Vec::with_capacity(items.len() + 3 * anchors.len());
    let mut next = anchors.into_iter().peekable();
    let mut gone = gone.into_iter().peekable();
    for (i, it) in items.into_iter().enumerate() {
        let at = it.at;
        while let Some((_, _, id)) = next.next_if(|(s, before, _)| *s == i && *before) {
            anchor(cx, id, at, &mut out);
        }
        while gone.next_if(|&(_, to)| to < i).is_some() {}
        let left_out = gone.peek().is_some_and(|&(from, to)| from <= i && i <= to);
        if !left_out {
            out.push(it);
        }
        while let Some((_, _, id)) = next.next_if(|(s, before, _)| *s == i && !*before) {
            anchor(cx, id, at, &mut out);
        }
    }
    out
}

/// Puts an anchor of `id` in `out`, unless the page already has that id
/// (then it is reported: two blocks cannot have one name).
fn anchor<'a>(cx: &mut Cx<'_>, id: String, at: usize, out: &mut Items<'a>) {
    if !cx.doc.ids.insert(id.clone()) {
        let (line, col) = cx.locate(at);
        cx.doc.diagnostics.push(
            crate::diagnostic::Diagnostic::warning(
                cx.src.path,
                line,
                col,
                format!(
                    "block id `{id}` is already used in this page: links to it lead to the first"
                ),
            )
            .with_help("give each block its own id"),
        );
        return;
    }
    let slot = cx.local_id(id);
    out.push(Item::markup("<span class=\"block-id\" id=\"", at));
    out.push(Item::slot(slot, at));
    out.push(Item::markup("\"></span>", at));
}

/// `^engagements` alone (spaces around it aside) as `engagements`.
fn alone(text: &str) -> Option<&str> {
    let id = text.trim().strip_prefix('^')?;
    is_id(id).then_some(id)
}

/// Whether `id` can be a block id: letters, digits and `-`, with at least one
/// letter (`x ^2` is a power).
fn is_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_ID
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && id.bytes().any(|b| b.is_ascii_alphabetic())
}

/// `text ^engagements` as (`text`, `engagements`): an id (see [`is_id`]) after a space.
fn split_id(text: &str) -> Option<(&str, &str)> {
    let (kept, id) = text.trim_end().rsplit_once(" ^")?;
    is_id(id).then_some((kept.trim_end(), id))
}

#[cfg(test)]
mod tests {
    use super::{alone, split_id};

    #[test]
    fn a_block_id_ends_its_block() {
        assert_eq!(
            split_id("une fois par mois. ^engagements"),
            Some(("une fois par mois.", "engagements"))
        );
        assert_eq!(split_id("trois ^a1b2c3 "), Some(("trois", "a1b2c3")));
        assert_eq!(split_id("x ^2"), None, "a power");
        assert_eq!(split_id("voir ^ ici"), None);
        assert_eq!(split_id("a^b"), None, "no space before");
        assert_eq!(split_id("fin ^mot!"), None);
        assert_eq!(alone(" ^tableau "), Some("tableau"));
        assert_eq!(alone("^2"), None);
        assert_eq!(alone("texte ^id"), None);
    }
}

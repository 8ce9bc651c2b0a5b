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
pub(crate) fn run<'a>(items: Items<'a>, cx: &mut Cx<'_>) -> Items<'a> {
    if !cx.lines.text().contains(" ^") {
        return items;
    }
    // Where each block starts (the index of its start), and the anchors to
    // put after each start: found in one pass, placed in a second.
    let mut open: Vec<usize> = Vec::new();
    let mut anchors: Vec<(usize, String)> = Vec::new();
    let mut items = items;
    let mut in_code = 0usize;
    for i in 0..items.len() {
        match &items[i].ev {
            Ev::Md(Event::Start(Tag::Paragraph | Tag::Item)) => open.push(i),
            Ev::Md(Event::Start(Tag::CodeBlock(_))) => in_code += 1,
            Ev::Md(Event::End(TagEnd::CodeBlock)) => in_code = in_code.saturating_sub(1),
            Ev::Md(Event::End(TagEnd::Paragraph | TagEnd::Item)) => {
                let start = open.pop();
                if in_code > 0 || i == 0 {
                    continue;
                }
                let Some(start) = start else { continue };
                if let Ev::Md(Event::Text(t)) = &mut items[i - 1].ev
                    && let Some((kept, id)) =
                        split_id(t).map(|(k, i)| (k.to_string(), format!("^{i}")))
                {
                    *t = kept.into();
                    anchors.push((start, id));
                }
            }
            _ => {}
        }
    }
    if anchors.is_empty() {
        return items;
    }
    anchors.sort_by_key(|(at, _)| *at);
    let mut out = Vec::with_capacity(items.len() + 3 * anchors.len());
    let mut next = anchors.into_iter().peekable();
    for (i, it) in items.into_iter().enumerate() {
        let at = it.at;
        out.push(it);
        while let Some((_, id)) = next.next_if(|(s, _)| *s == i) {
            cx.doc.ids.insert(id.clone());
            let slot = cx.local_id(id);
            out.push(Item::markup("<span class=\"block-id\" id=\"", at));
            out.push(Item::slot(slot, at));
            out.push(Item::markup("\"></span>", at));
        }
    }
    out
}

/// `text ^engagements` as (`text`, `engagements`): an id of letters, digits
/// and `-`, with at least one letter (`x ^2` is a power), after a space.
fn split_id(text: &str) -> Option<(&str, &str)> {
    let (kept, id) = text.trim_end().rsplit_once(" ^")?;
    let ok = !id.is_empty()
        && id.len() <= MAX_ID
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && id.bytes().any(|b| b.is_ascii_alphabetic());
    ok.then_some((kept.trim_end(), id))
}

#[cfg(test)]
mod tests {
    use super::split_id;

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
    }
}

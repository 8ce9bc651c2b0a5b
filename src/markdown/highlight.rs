//! Highlighted text, `==à retenir==` (Obsidian's, MkDocs Material's
//! `pymdownx.mark`): `<mark>à retenir</mark>`, on screen and on paper. As for
//! emphasis, the opening `==` is followed by a character that is no space,
//! the closing one follows one (so `a == b` stays as written); both are in
//! one block, at one level of inline markup (`==a *b* c==` holds the
//! emphasis; `*a ==b* c==` is left as written). Code keeps its `==`.

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use crate::markdown::event::{Ev, Item, Items};

/// A `==` found in a text item: the item's index and the byte offset in its text.
type Mark = (usize, usize);

/// Turns each pair of `==` into `<mark>` and `</mark>`.
pub(crate) fn run(items: Items<'_>) -> Items<'_> {
    let has = items
        .iter()
        .any(|it| matches!(&it.ev, Ev::Md(Event::Text(t)) if t.contains("==")));
    if !has {
        return items;
    }
    let pairs = find_pairs(&items);
    if pairs.is_empty() {
        return items;
    }
    // Where each text item is cut: (offset, whether it opens).
    let mut cuts: Vec<(usize, usize, bool)> = Vec::with_capacity(pairs.len() * 2);
    for (open, close) in pairs {
        cuts.push((open.0, open.1, true));
        cuts.push((close.0, close.1, false));
    }
    cuts.sort_unstable();
    let mut out: Items<'_> = Vec::with_capacity(items.len() + cuts.len() * 2);
    let mut cuts = cuts.into_iter().peekable();
    for (i, it) in items.into_iter().enumerate() {
        if cuts.peek().is_none_or(|c| c.0 != i) {
            out.push(it);
            continue;
        }
        let at = it.at;
        let Ev::Md(Event::Text(text)) = it.ev else {
            out.push(it);
            continue;
        };
        let mut done = 0;
        while let Some((_, offset, opens)) = cuts.next_if(|c| c.0 == i) {
            if offset > done {
                out.push(Item::md(
                    Event::Text(CowStr::from(text[done..offset].to_string())),
                    at,
                ));
            }
            out.push(Item::markup(if opens { "<mark>" } else { "</mark>" }, at));
            done = offset + 2;
        }
        if done < text.len() {
            out.push(Item::md(
                Event::Text(CowStr::from(text[done..].to_string())),
                at,
            ));
        }
    }
    out
}

/// The pairs of `==` that highlight, in order.
fn find_pairs(items: &Items<'_>) -> Vec<(Mark, Mark)> {
    let mut pairs = Vec::new();
    let mut in_code = false;
    // Inline markup depth, and the `==` open at a depth.
    let mut depth = 0usize;
    let mut open: Option<(Mark, usize)> = None;
    // The last character of the text before, for a closing `==` at a text's start.
    let mut before: Option<char> = None;
    for (i, it) in items.iter().enumerate() {
        let Ev::Md(ev) = &it.ev else {
            before = None;
            continue;
        };
        match ev {
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Start(Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. }) => {
                depth += 1;
            }
            Event::End(
                TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link,
            ) => {
                depth = depth.saturating_sub(1);
                if open.is_some_and(|(_, d)| d > depth) {
                    open = None;
                }
                // The markup ended with its text: what follows touches it.
                before = Some('x');
            }
            Event::Text(t) if !in_code => {
                let mut from = 0;
                while let Some(p) = t[from..].find("==").map(|p| from + p) {
                    // A run of three or more `=` is text.
                    let run_end = p + t[p..].bytes().take_while(|&b| b == b'=').count();
                    if run_end - p != 2 {
                        from = run_end;
                        continue;
                    }
                    let prev = t[..p].chars().next_back().or(before);
                    let next = t[run_end..].chars().next();
                    match open {
                        Some((start, d))
                            if d == depth && prev.is_some_and(|c| !c.is_whitespace()) =>
                        {
                            pairs.push((start, (i, p)));
                            open = None;
                        }
                        // At the end of the text, markup or code follows: it opens.
                        None if next.is_none_or(|c| !c.is_whitespace())
                            && (next.is_some() || opens_before_markup(items, i)) =>
                        {
                            open = Some(((i, p), depth));
                        }
                        _ => {}
                    }
                    from = run_end;
                }
                before = t.chars().next_back().or(before);
            }
            Event::Text(_) | Event::Code(_) | Event::InlineHtml(_) | Event::InlineMath(_) => {
                before = Some('x');
            }
            // Any other event ends the block or breaks the line: nothing open goes on.
            Event::SoftBreak => before = Some(' '),
            _ => {
                open = None;
                before = None;
            }
        }
    }
    pairs
}

/// Whether the item after `i` is inline markup, code or a link (what a
/// `==` ending a text may open onto).
fn opens_before_markup(items: &Items<'_>, i: usize) -> bool {
    matches!(
        items.get(i + 1).map(|it| &it.ev),
        Some(Ev::Md(
            Event::Start(Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. })
                | Event::Code(_)
        ))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(md: &str) -> String {
        let items: Items<'_> =
            pulldown_cmark::Parser::new_ext(md, crate::markdown::cmark_options())
                .map(|e| Item::md(e, 0))
                .collect();
        let items = run(items);
        let events: Vec<Event<'_>> = items
            .into_iter()
            .map(|it| match it.ev {
                Ev::Md(e) => e,
                Ev::Markup(h) => Event::InlineHtml(h),
                _ => Event::Text("".into()),
            })
            .collect();
        let mut out = String::new();
        pulldown_cmark::html::push_html(&mut out, events.into_iter());
        out
    }

    #[test]
    fn pairs_of_equal_signs_highlight() {
        assert_eq!(
            html("Un ==point clé== ici.\n"),
            "<p>Un <mark>point clé</mark> ici.</p>\n"
        );
        assert_eq!(
            html("==l'écoute *active*== et ==deux==\n"),
            "<p><mark>l’écoute <em>active</em></mark> et <mark>deux</mark></p>\n"
        );
        assert_eq!(
            html("==sur\ndeux lignes==\n"),
            "<p><mark>sur\ndeux lignes</mark></p>\n"
        );
        assert_eq!(
            html("==**gras** et `code`== puis ==[lien](u)==\n"),
            "<p><mark><strong>gras</strong> et <code>code</code></mark> puis <mark><a href=\"u\">lien</a></mark></p>\n"
        );
    }

    #[test]
    fn other_equal_signs_stay() {
        for md in [
            "a == b et c == d\n",
            "`a ==b==` en code\n",
            "```\n==x==\n```\n",
            "*a ==b* c==\n",
            "x === y ===z\n",
            "==ouvert\n\nfermé==\n",
        ] {
            assert!(!html(md).contains("<mark>"), "{md}: {}", html(md));
        }
    }
}

//! mdBook's and GitBook's `SUMMARY.md`, read with the Markdown parser (so links
//! in code or comments do not count) into the entries of an
//! [`Outline`](super::outline::Outline):
//!
//! - links before the first list (mdBook's prefix chapters) and after the last
//!   (suffix chapters) are top-level entries;
//! - list items are numbered chapters, nested as their lists are;
//! - a heading after the first (mdBook's part titles, GitBook's groups) is a
//!   group: the top-level items after it sit under it; the first heading, when
//!   it comes before any link, is the file's title (`# Summary`);
//! - a link without a destination (`[Brouillon]()`) is an mdBook draft: an
//!   entry without a page.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use crate::content::outline::Entry;

/// The entries of a `SUMMARY.md` text; `base` turns a link written in it into a
/// path relative to the content folder.
pub fn parse(text: &str, base: &dyn Fn(&str) -> Option<String>) -> Vec<Entry> {
    let starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let line_of = |at: usize| starts.partition_point(|&s| s <= at).max(1);
    let mut entries: Vec<Entry> = Vec::new();
    // For each open list item: the entry it holds, once its link is seen.
    let mut items: Vec<Option<usize>> = Vec::new();
    let mut group: Option<usize> = None;
    let mut heading: Option<(usize, String)> = None;
    let mut link: Option<(usize, Option<String>, String)> = None;
    let mut seen_link = false;
    for (ev, range) in Parser::new(text).into_offset_iter() {
        match ev {
            Event::Start(Tag::Item) => items.push(None),
            Event::End(TagEnd::Item) => {
                items.pop();
            }
            Event::Start(Tag::Heading { .. }) if items.is_empty() => {
                heading = Some((range.start, String::new()));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((at, title)) = heading.take() {
                    if seen_link || !entries.is_empty() || group.is_some() {
                        entries.push(Entry {
                            rel: None,
                            title: Some(title.trim().to_string()),
                            parent: None,
                            line: line_of(at),
                            written: None,
                        });
                        group = Some(entries.len() - 1);
                    } else {
                        // The file's own title: `# Summary`.
                        seen_link = true;
                    }
                }
            }
            Event::Start(Tag::Link { dest_url, .. }) if heading.is_none() => {
                let dest = dest_url.trim();
                let target = dest
                    .split('#')
                    .next()
                    .unwrap_or("")
                    .trim_start_matches("./");
                let rel = if target.is_empty() || crate::urls::is_external(target) {
                    None
                } else {
                    base(&crate::urls::decode(target))
                };
                let draft_or_page = target.is_empty() || rel.is_some();
                link = draft_or_page.then(|| (range.start, rel, String::new()));
            }
            Event::End(TagEnd::Link) => {
                let Some((at, rel, title)) = link.take() else {
                    continue;
                };
                seen_link = true;
                // One entry per list item (its first link).
                if items.last().is_some_and(Option::is_some) {
                    continue;
                }
                // Prefix and suffix chapters (outside lists) are never in a part.
                let parent = if items.is_empty() {
                    None
                } else {
                    items.iter().rev().skip(1).find_map(|e| *e).or(group)
                };
                entries.push(Entry {
                    rel,
                    title: Some(title.trim().to_string()).filter(|t| !t.is_empty()),
                    parent,
                    line: line_of(at),
                    written: None,
                });
                if let Some(last) = items.last_mut() {
                    *last = Some(entries.len() - 1);
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, title)) = heading.as_mut() {
                    title.push_str(&t);
                } else if let Some((_, _, title)) = link.as_mut() {
                    title.push_str(&t);
                }
            }
            _ => {}
        }
    }
    entries
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same(p: &str) -> Option<String> {
        crate::urls::resolve("", p)
    }

    #[test]
    fn reads_prefix_numbered_parts_drafts_and_suffix() {
        let text = "# Summary\n\n[Introduction](README.md)\n\n# Partie un\n\n- [Un](chapitre/un.md)\n    - [Deux](./chapitre/deux.md#x)\n    - [Brouillon]()\n- [Web](https://x.org/a.md)\n\n---\n\n[Annexe](annexe.md)\n\n```\n[Code](code.md)\n```\n<!-- [Commentaire](c.md) -->\n";
        let e = parse(text, &same);
        let rels: Vec<(Option<&str>, Option<&str>, Option<usize>)> = e
            .iter()
            .map(|e| (e.rel.as_deref(), e.title.as_deref(), e.parent))
            .collect();
        assert_eq!(
            rels,
            [
                (Some("README.md"), Some("Introduction"), None),
                (None, Some("Partie un"), None),
                (Some("chapitre/un.md"), Some("Un"), Some(1)),
                (Some("chapitre/deux.md"), Some("Deux"), Some(2)),
                (None, Some("Brouillon"), Some(2)),
                (Some("annexe.md"), Some("Annexe"), None),
            ]
        );
        assert_eq!(e[2].line, 7);
    }
}

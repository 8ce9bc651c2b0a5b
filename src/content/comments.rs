//! Obsidian's comments, on the pages (and the embedded notes) of a handbook
//! imported from Obsidian:
//! `%%…%%` inside a line, or over lines, is the author's note to themselves,
//! never shown (Obsidian hides it in reading view and Obsidian Publish leaves
//! it out), so it is left out before the page is parsed, line for line (line
//! numbers stay right). Code blocks and code spans keep their `%%`. A `%%`
//! never closed hides the rest of the page, as in Obsidian, with a warning.

use pulldown_cmark::{Event, Parser, Tag};

use crate::diagnostic::Diagnostic;
use crate::text::LineMap;

/// `body` without its comments, and how many it had; `None` when it has none.
pub fn strip(
    body: &str,
    source: &str,
    lines: &LineMap,
    diags: &mut Vec<Diagnostic>,
) -> Option<(String, u32)> {
    if !body.contains("%%") {
        return None;
    }
    // Code (spans, blocks, raw HTML) keeps its `%%`: where it is, from the parser.
    let mut code: Vec<std::ops::Range<usize>> = Vec::new();
    for (ev, range) in Parser::new_ext(body, super::embed::blocks_options()).into_offset_iter() {
        if matches!(
            ev,
            Event::Code(_)
                | Event::Html(_)
                | Event::InlineHtml(_)
                | Event::Start(Tag::CodeBlock(_))
        ) {
            code.push(range);
        }
    }
    code.sort_by_key(|r| r.start);
    let mut in_code = code.iter().peekable();
    let b = body.as_bytes();
    // The `%%` that count: outside code, not escaped (`\%%`).
    let marks = body.match_indices("%%").map(|(i, _)| i).filter(|&i| {
        while in_code.next_if(|r| r.end <= i).is_some() {}
        let coded = in_code.peek().is_some_and(|r| r.start <= i);
        !coded && (i == 0 || b[i - 1] != b'\\')
    });
    let mut out = String::with_capacity(body.len());
    let mut done = 0;
    let mut open: Option<usize> = None;
    let mut count = 0u32;
    let mut last = usize::MAX;
    for i in marks {
        // `%%%%` is an empty comment, not two overlapping marks.
        if last != usize::MAX && i < last + 2 {
            continue;
        }
        last = i;
        match open {
            None => {
                out.push_str(&body[done..i]);
                // The spaces before a comment go with it.
                let kept = out.trim_end_matches([' ', '\t']).len();
                out.truncate(kept);
                open = Some(i);
                count = count.saturating_add(1);
            }
            Some(from) => {
                // Its lines stay, empty, so that line numbers stay right.
                out.extend(body[from..i].matches('\n').map(|_| '\n'));
                done = i + 2;
                open = None;
            }
        }
    }
    match open {
        None => out.push_str(&body[done..]),
        Some(from) => {
            out.extend(body[from..].matches('\n').map(|_| '\n'));
            let line_start = body[..from].rfind('\n').map_or(0, |n| n + 1);
            let line = body[..from].matches('\n').count();
            let col = body[line_start..from].chars().count() + 1;
            diags.push(
                Diagnostic::warning(
                    source,
                    lines.line(line),
                    col,
                    "this `%%` opens a comment that is never closed: the rest of the page is left out, as in Obsidian",
                )
                .with_help("close the comment with `%%`, or write `\\%%` for the characters themselves"),
            );
        }
    }
    (count > 0).then_some((out, count))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(body: &str) -> (String, Vec<Diagnostic>) {
        let mut d = Vec::new();
        let out = strip(body, "n.md", &LineMap::new(1), &mut d)
            .map_or_else(|| body.to_string(), |(text, _)| text);
        (out, d)
    }

    #[test]
    fn comments_inside_a_line_and_over_lines_are_left_out() {
        let (out, d) = run(
            "Texte %%à revoir%% suite.\n\n%%\nNote privée\nsur deux lignes\n%%\n\nFin %%a%% et %%b%%.\n",
        );
        assert_eq!(out, "Texte suite.\n\n\n\n\n\n\nFin et.\n");
        assert!(d.is_empty());
    }

    #[test]
    fn code_keeps_its_percent_signs() {
        let body = "Un `%%code%%` et ``a %% b``.\n\n```\n%% dans un bloc %%\n```\n";
        let (out, _) = run(body);
        assert_eq!(out, body);
        let (out, _) = run("Écrire \\%% pour les signes.\n");
        assert_eq!(out, "Écrire \\%% pour les signes.\n");
        // Code over lines, indented code, code in a quote, a `<pre>` block.
        for body in [
            "Un `span\n%%sur deux%%` fin.\n",
            "Texte.\n\n    %% indenté %%\n",
            "> ```\n> %% cité %%\n> ```\n",
            "<pre>\n%% pré %%\n</pre>\n",
        ] {
            assert_eq!(run(body).0, body, "{body}");
        }
    }

    #[test]
    fn a_comment_never_closed_hides_the_rest_with_a_warning() {
        let (out, d) = run("Début.\n\nPuis %% oubli\nsuite\n");
        assert_eq!(out, "Début.\n\nPuis\n\n");
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].line(), d[0].col()), (3, 6));
    }
}

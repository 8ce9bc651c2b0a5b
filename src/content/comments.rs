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
    // Code (spans, blocks, inline HTML tags, `<pre>`-like HTML blocks) keeps
    // its `%%`: where it is, from the parser.
    let mut code: Vec<std::ops::Range<usize>> = Vec::new();
    for (ev, range) in Parser::new_ext(body, super::embed::blocks_options()).into_offset_iter() {
        let verbatim =
            matches!(ev, Event::Start(Tag::HtmlBlock)) && is_verbatim(&body[range.clone()]);
        if verbatim
            || matches!(
                ev,
                Event::Code(_) | Event::InlineHtml(_) | Event::Start(Tag::CodeBlock(_))
            )
        {
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
    let mut starts_line = false;
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
                // The spaces before a comment go with it, unless they indent its line.
                let line_start = out.rfind('\n').map_or(0, |n| n + 1);
                let kept = out.trim_end_matches([' ', '\t']).len();
                starts_line = out[line_start..kept]
                    .trim_start_matches(['>', ' ', '\t'])
                    .is_empty();
                if !starts_line {
                    out.truncate(kept);
                }
                open = Some(i);
                count = count.saturating_add(1);
            }
            Some(from) => {
                // Its lines stay, empty but for their quote markers, so that
                // line numbers stay right and a quote goes on.
                keep_lines(&body[from..i], &mut out);
                done = i + 2;
                // A comment that starts its line takes the spaces after it
                // (the line keeps its own indentation).
                if starts_line {
                    done += body[done..].len() - body[done..].trim_start_matches([' ', '\t']).len();
                }
                open = None;
            }
        }
    }
    match open {
        None => out.push_str(&body[done..]),
        Some(from) => {
            keep_lines(&body[from..], &mut out);
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

/// For each line break in `removed` (a comment's text), the break and the
/// quote markers (`> `) that start the next line.
fn keep_lines(removed: &str, out: &mut String) {
    for line in removed.split('\n').skip(1) {
        out.push('\n');
        let markers = line.len() - line.trim_start_matches([' ', '\t', '>']).len();
        let prefix = &line[..markers];
        if prefix.contains('>') {
            out.push_str(prefix.trim_end());
            out.push(' ');
        }
    }
}

/// Whether raw HTML holds an element whose content is kept as written
/// (`<pre>`, `<script>`, `<style>`, `<textarea>`, `<title>`).
pub fn is_verbatim(html: &str) -> bool {
    let lower = html.to_ascii_lowercase();
    ["<pre", "<script", "<style", "<textarea", "<title"]
        .iter()
        .any(|t| lower.contains(t))
}

/// Where HTML comments are in `html` (one never closed runs to its end),
/// outside tags: `<div title="<!--">` holds none.
pub fn html_comment_ranges(html: &str) -> Vec<std::ops::Range<usize>> {
    let b = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        // Bytes compared, not text: `i` may be inside a character.
        if b[i..].starts_with(b"<!--") {
            let after = &html[i + 4..];
            let end = if after.starts_with('>') {
                i + 5
            } else if after.starts_with("->") {
                i + 6
            } else {
                after.find("-->").map_or(b.len(), |e| i + 4 + e + 3)
            };
            out.push(i..end);
            i = end;
            continue;
        }
        if b[i] == b'<'
            && b.get(i + 1)
                .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'/')
        {
            // A tag: to its `>`, quotes included.
            let mut j = i + 1;
            let mut quote: Option<u8> = None;
            while let Some(&c) = b.get(j) {
                match quote {
                    Some(q) if c == q => quote = None,
                    Some(_) => {}
                    None if c == b'"' || c == b'\'' => quote = Some(c),
                    None if c == b'>' => break,
                    None => {}
                }
                j += 1;
            }
            i = j + 1;
            continue;
        }
        i += 1;
    }
    out
}

/// `body` with each HTML comment outside code emptied (`<!---->`, its line
/// breaks kept; mentorbook's own `<!--mb:…-->` markers stay): the passes that read other tools' syntax before parsing
/// must not see what an author commented out, and the Markdown stage then
/// leaves the empty comments out. `<pre>`-like blocks keep theirs. `None`
/// when there is none.
pub fn empty_html_comments(body: &str) -> Option<String> {
    if !body.contains("<!--") {
        return None;
    }
    let mut cuts: Vec<std::ops::Range<usize>> = Vec::new();
    for (ev, range) in Parser::new_ext(body, super::embed::blocks_options()).into_offset_iter() {
        match ev {
            Event::InlineHtml(h) if h.starts_with("<!--") => cuts.push(range),
            Event::Start(Tag::HtmlBlock) => {
                let html = &body[range.clone()];
                if !is_verbatim(html) {
                    cuts.extend(
                        html_comment_ranges(html)
                            .into_iter()
                            .map(|r| range.start + r.start..range.start + r.end),
                    );
                }
            }
            _ => {}
        }
    }
    // mentorbook's own markers (`<!--mb:title …-->`) are read by later passes.
    cuts.retain(|r| &body[r.clone()] != "<!---->" && !body[r.start..].starts_with("<!--mb:"));
    if cuts.is_empty() {
        return None;
    }
    Some(crate::text::replace_ranges(body, cuts, |comment, out| {
        out.push_str("<!---->");
        out.extend(comment.matches('\n').map(|_| '\n'));
    }))
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
    fn indentation_quotes_and_html_stay() {
        assert_eq!(run("1. Un\n\n   %%note%% suite\n").0, "1. Un\n\n   suite\n");
        assert_eq!(
            run("> [!note] T\n> texte %%a\n> b%%\n> suite\n").0,
            "> [!note] T\n> texte\n> \n> suite\n"
        );
        assert_eq!(
            run("<div class=\"box\">\n%%secret%%\n</div>\n").0,
            "<div class=\"box\">\n\n</div>\n"
        );
    }

    #[test]
    fn html_comments_are_emptied_outside_code() {
        assert_eq!(
            empty_html_comments("a <!-- x\ny --> b\n\n<!--\n!!! note\n    secret\n-->\n\n`<!-- code -->`\n\n<div title=\"<!--\">t</div>\n\n<pre>\n<!-- p -->\n</pre>\n").as_deref(),
            Some("a <!---->\n b\n\n<!---->\n\n\n\n\n`<!-- code -->`\n\n<div title=\"<!--\">t</div>\n\n<pre>\n<!-- p -->\n</pre>\n")
        );
        assert_eq!(empty_html_comments("rien\n"), None);
    }

    #[test]
    fn a_comment_never_closed_hides_the_rest_with_a_warning() {
        let (out, d) = run("Début.\n\nPuis %% oubli\nsuite\n");
        assert_eq!(out, "Début.\n\nPuis\n\n");
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].line(), d[0].col()), (3, 6));
    }
}

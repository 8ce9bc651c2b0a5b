//! Obsidian's comments, on the pages of a handbook imported from Obsidian:
//! `%%…%%` inside a line, or over lines, is the author's note to themselves,
//! never shown (Obsidian hides it in reading view and Obsidian Publish leaves
//! it out), so it is left out before the page is parsed, line for line (line
//! numbers stay right). Code blocks and code spans keep their `%%`. A `%%`
//! never closed hides the rest of the page, as in Obsidian, with a warning.

use crate::diagnostic::Diagnostic;
use crate::markdown::doc::Converted;
use crate::text::LineMap;

/// `body` without its comments; `None` when it has none.
pub fn strip(
    body: &str,
    source: &str,
    lines: &LineMap,
    diags: &mut Vec<Diagnostic>,
    converted: &mut Converted,
) -> Option<String> {
    if !body.contains("%%") {
        return None;
    }
    let mut out = String::with_capacity(body.len());
    let mut fence: Option<(char, usize)> = None;
    // Where the comment still open started (file line and column).
    let mut open: Option<(usize, usize)> = None;
    let mut count = 0u32;
    for (i, line) in body.split_inclusive('\n').enumerate() {
        let content = line.strip_suffix('\n').unwrap_or(line);
        let newline = &line[content.len()..];
        if open.is_none() {
            let t = content.trim_start();
            if let Some((c, n)) = fence {
                if crate::text::fence_closes(t, c, n) {
                    fence = None;
                }
                out.push_str(line);
                continue;
            }
            if let Some((c, n, _)) = crate::text::fence_open(t) {
                fence = Some((c, n));
                out.push_str(line);
                continue;
            }
        }
        let (kept, still_open, opened) = strip_line(content, open.is_some());
        if let Some(col) = opened.filter(|_| open.is_none()) {
            open = Some((lines.line(i), col));
        }
        if opened.is_some() {
            count = count.saturating_add(1);
        }
        if !still_open {
            open = None;
        }
        // A line that only held a comment stays a line, empty.
        if kept.len() != content.len() && kept.trim().is_empty() {
            out.push_str(newline);
        } else {
            out.push_str(&kept);
            out.push_str(newline);
        }
    }
    if let Some((line, col)) = open {
        diags.push(
            Diagnostic::warning(
                source,
                line,
                col,
                "this `%%` opens a comment that is never closed: the rest of the page is left out, as in Obsidian",
            )
            .with_help("close the comment with `%%`, or write `\\%%` for the characters themselves"),
        );
    }
    if count > 0 {
        *converted.entry("obsidian comment").or_default() += count;
    }
    Some(out)
}

/// One line without its comments, given whether a comment is open at its
/// start: the text kept, whether a comment is open at its end, and the
/// column (1-based, in characters) of the first comment it opens.
fn strip_line(line: &str, mut open: bool) -> (String, bool, Option<usize>) {
    let mut kept = String::with_capacity(line.len());
    let mut opened = None;
    let b = line.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if open {
            match line[i..].find("%%") {
                Some(p) => {
                    i += p + 2;
                    open = false;
                }
                None => i = b.len(),
            }
            continue;
        }
        match b[i] {
            // A code span keeps what it holds: from a run of backticks to the
            // next run as long (none: the backticks are text).
            b'`' => {
                let run = b[i..].iter().take_while(|&&c| c == b'`').count();
                let fence = &line[i..i + run];
                let close = line[i + run..]
                    .match_indices(fence)
                    .find(|(p, _)| {
                        let at = i + run + p;
                        b.get(at + run) != Some(&b'`') && b.get(at.wrapping_sub(1)) != Some(&b'`')
                    })
                    .map(|(p, _)| i + run + p + run);
                let end = close.unwrap_or(i + run);
                kept.push_str(&line[i..end]);
                i = end;
            }
            // `\%%` is the characters themselves.
            b'\\' if line[i + 1..].starts_with("%%") => {
                kept.push_str("\\%\\%");
                i += 3;
            }
            b'%' if line[i..].starts_with("%%") => {
                opened = opened.or(Some(line[..i].chars().count() + 1));
                open = true;
                i += 2;
                // The spaces before a comment go with it.
                let trimmed = kept.trim_end_matches([' ', '\t']).len();
                kept.truncate(trimmed);
            }
            _ => {
                let ch = line[i..].chars().next().map_or(1, char::len_utf8);
                kept.push_str(&line[i..i + ch]);
                i += ch;
            }
        }
    }
    (kept, open, opened)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(body: &str) -> (String, Vec<Diagnostic>) {
        let mut d = Vec::new();
        let mut c = Converted::new();
        let out = strip(body, "n.md", &LineMap::new(1), &mut d, &mut c)
            .unwrap_or_else(|| body.to_string());
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
        assert_eq!(out, "Écrire \\%\\% pour les signes.\n");
    }

    #[test]
    fn a_comment_never_closed_hides_the_rest_with_a_warning() {
        let (out, d) = run("Début.\n\nPuis %% oubli\nsuite\n");
        assert_eq!(out, "Début.\n\nPuis\n\n");
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].line(), d[0].col()), (3, 6));
    }
}

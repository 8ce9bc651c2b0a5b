//! Constructs from other tools that have no meaning here: MDX `import`/`export` lines
//! and JSX components (`<Tabs>`), Liquid tags (`{% include x %}`, `{{ site.title }}`).
//!
//! They are removed, line for line (so line numbers stay right), instead of leaking
//! into the page, and reported once per file and kind with their first line.

use crate::diagnostic::Diagnostic;

/// Removes MDX and Liquid constructs outside code; `None` when there are none.
pub fn strip(
    body: &str,
    source: &str,
    first_line: usize,
    diags: &mut Vec<Diagnostic>,
) -> Option<String> {
    if !(body.contains("{%")
        || body.contains("{{")
        || body.contains("import ")
        || body.contains("export ")
        || body.contains('<'))
    {
        return None;
    }
    let mut out = String::with_capacity(body.len());
    let mut fence: Option<(char, usize)> = None;
    let mut changed = false;
    let mut seen: [Option<(usize, usize, String)>; 3] = [None, None, None];
    for (i, line) in body.split_inclusive('\n').enumerate() {
        let content = line.strip_suffix('\n').unwrap_or(line);
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
        let newline = if line.ends_with('\n') { "\n" } else { "" };
        // MDX module lines.
        if (t.starts_with("import ") && (t.contains(" from ") || t.ends_with(';')))
            || t.starts_with("export ")
        {
            seen[0].get_or_insert((first_line + i, 1, t.chars().take(40).collect()));
            out.push_str(newline);
            changed = true;
            continue;
        }
        let (cleaned, liquid, jsx) = strip_inline(content);
        if let Some((col, what)) = liquid {
            seen[1].get_or_insert((first_line + i, col, what));
        }
        if let Some((col, what)) = jsx {
            seen[2].get_or_insert((first_line + i, col, what));
        }
        if cleaned.len() != content.len() {
            changed = true;
            out.push_str(&cleaned);
            out.push_str(newline);
        } else {
            out.push_str(line);
        }
    }
    let kinds = [
        (
            "MDX `import`/`export` lines are not supported and were left out",
            "mentorbook reads Markdown, not MDX: remove these lines",
        ),
        (
            "Liquid tags are not supported and were left out",
            "replace them with plain text or Markdown (mentorbook does not run Liquid)",
        ),
        (
            "JSX components are not supported: the tags were left out, their content kept",
            "use Markdown instead: `:::tip` containers, tables, lists",
        ),
    ];
    for (found, (message, help)) in seen.into_iter().zip(kinds) {
        if let Some((line, col, what)) = found {
            diags.push(
                Diagnostic::warning(source, line, col, format!("{message} (first: `{what}`)"))
                    .with_help(help),
            );
        }
    }
    changed.then_some(out)
}

/// Where a construct was first found on a line: (column, its text).
type Found = Option<(usize, String)>;

/// Removes Liquid tags and JSX component tags outside inline code from one line.
/// Returns the line and the (column, text) of the first Liquid tag and JSX tag removed.
fn strip_inline(line: &str) -> (String, Found, Found) {
    let mut out = String::with_capacity(line.len());
    let mut liquid = None;
    let mut jsx = None;
    let mut in_code = false;
    let bytes = line.as_bytes();
    let mut i = 0;
    while i < line.len() {
        let rest = &line[i..];
        let c = bytes[i];
        if c == b'`' {
            in_code = !in_code;
        }
        if !in_code {
            let close = if rest.starts_with("{%") {
                rest.find("%}").map(|e| e + 2)
            } else if rest.starts_with("{{") {
                rest.find("}}").map(|e| e + 2)
            } else {
                None
            };
            if let Some(end) = close {
                liquid.get_or_insert((
                    line[..i].chars().count() + 1,
                    rest[..end].chars().take(40).collect(),
                ));
                i += end;
                continue;
            }
            if let Some(end) = jsx_tag(rest) {
                jsx.get_or_insert((
                    line[..i].chars().count() + 1,
                    rest[..end].chars().take(40).collect(),
                ));
                i += end;
                continue;
            }
        }
        let ch_len = rest.chars().next().map_or(1, char::len_utf8);
        out.push_str(&rest[..ch_len]);
        i += ch_len;
    }
    (out, liquid, jsx)
}

/// Length of a JSX component tag at the start of `s` (`<Tabs>`, `</Tab>`, `<Admonition type="x" />`).
fn jsx_tag(s: &str) -> Option<usize> {
    let rest = s.strip_prefix("</").or_else(|| s.strip_prefix('<'))?;
    let first = rest.chars().next()?;
    if !first.is_ascii_uppercase() {
        return None;
    }
    let name_len = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '.')
        .count();
    let after = &rest[name_len..];
    if !(after.starts_with('>') || after.starts_with(' ') || after.starts_with("/>")) {
        return None;
    }
    let end = s.find('>')?;
    Some(end + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_mdx_liquid_and_jsx_line_for_line() {
        let mut d = Vec::new();
        let body = "import Tabs from '@theme/Tabs';\n\nHello {{ site.title }} `{{ kept }}`\n<Tabs>\n<TabItem value=\"a\">Texte</TabItem>\n</Tabs>\n{% include note.html %}\n```\n{% raw %}\n```\n";
        let out = strip(body, "a.md", 1, &mut d).unwrap();
        assert_eq!(out.lines().count(), body.lines().count());
        assert!(!out.contains("import") && !out.contains("site.title") && !out.contains("<Tabs"));
        assert!(out.contains("`{{ kept }}`") && out.contains("Texte") && out.contains("{% raw %}"));
        assert_eq!(d.len(), 3);
        assert_eq!((d[1].line(), d[1].col()), (3, 7));
        assert_eq!(d[2].line(), 4);
    }

    #[test]
    fn leaves_plain_html_and_text_alone() {
        let mut d = Vec::new();
        assert_eq!(strip("a < b and <em>x</em>\n", "a.md", 1, &mut d), None);
        assert!(d.is_empty());
    }
}

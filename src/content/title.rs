//! Finding a page's title in its body when the front matter has none.

/// A `# ` heading found in a Markdown body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundH1 {
    /// Heading text, markup stripped.
    pub text: String,
    /// 0-based index of its first line in the body.
    pub line: usize,
    /// Number of lines it spans (1 for `# x`, 2 for setext `x\n===`).
    pub lines: usize,
    /// Whether it is the first block of the body.
    pub first_block: bool,
}

/// Finds the first level-1 heading outside code fences.
pub fn first_h1(body: &str) -> Option<FoundH1> {
    let lines: Vec<&str> = body.lines().collect();
    let mut fence: Option<(char, usize)> = None;
    let mut seen_block = false;
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim_start();
        let indent = line.len() - t.len();
        if let Some((c, n)) = fence {
            if crate::text::fence_closes(t, c, n) {
                fence = None;
            }
            continue;
        }
        if indent < 4 {
            if let Some((c, n, _)) = crate::text::fence_open(t) {
                fence = Some((c, n));
                seen_block = true;
                continue;
            }
            if let Some(rest) = t.strip_prefix("# ").or_else(|| (t == "#").then_some("")) {
                let text = clean(rest);
                if !text.is_empty() {
                    return Some(FoundH1 {
                        text,
                        line: i,
                        lines: 1,
                        first_block: !seen_block,
                    });
                }
            }
            if !t.is_empty()
                && !seen_block
                && lines
                    .get(i + 1)
                    .is_some_and(|n| n.trim().len() >= 2 && n.trim().chars().all(|c| c == '='))
            {
                return Some(FoundH1 {
                    text: clean(t),
                    line: i,
                    lines: 2,
                    first_block: true,
                });
            }
        }
        if !t.is_empty() {
            seen_block = true;
        }
    }
    None
}

fn clean(raw: &str) -> String {
    let mut s = raw.trim();
    // An explicit `{#id}` attribute block is not part of the title.
    if s.ends_with('}')
        && let Some(open) = s.rfind('{')
    {
        s = s[..open].trim_end();
    }
    s = s.trim_end_matches('#').trim_end();
    s.chars()
        .filter(|c| !matches!(c, '*' | '`'))
        .collect::<String>()
        .trim()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atx_first_block() {
        let h = first_h1("\n# Bienvenue {#top}\n\ntext").unwrap();
        assert_eq!(h.text, "Bienvenue");
        assert!(h.first_block);
        assert_eq!(h.line, 1);
    }

    #[test]
    fn later_h1_is_not_first_block() {
        let h = first_h1("intro\n\n# *Titre* ##\n").unwrap();
        assert_eq!(h.text, "Titre");
        assert!(!h.first_block);
    }

    #[test]
    fn ignores_code_fences_and_h2() {
        assert_eq!(first_h1("```\n# not\n```\n## h2\n"), None);
    }

    #[test]
    fn setext() {
        let h = first_h1("Titre\n=====\n").unwrap();
        assert_eq!((h.text.as_str(), h.lines), ("Titre", 2));
    }
}

//! The migration summary `check` prints for an imported handbook
//! (`imported_from:` in `mentorbook.yaml`): what was found, what was rewritten
//! or converted, and the warnings left, by kind.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::diagnostic::Diagnostic;
use crate::site::Site;
use crate::site::links::Resolved;

/// What the migration of an imported handbook amounts to.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// The tool the handbook comes from.
    pub from: String,
    /// Pages written from Markdown files, every language counted.
    pub pages: usize,
    /// Sections of the navigation (the home page's included).
    pub sections: usize,
    /// Files copied with the site (from the content folder).
    pub assets: usize,
    /// Links and images resolved to a page or file of the handbook, written as relative URLs.
    pub links_rewritten: usize,
    /// Constructs of the old tool converted, by kind (`gitbook hint`, `admonition`…).
    pub converted: BTreeMap<String, u32>,
    /// Warnings left, by kind (their message, quoted parts left out).
    pub warnings: BTreeMap<String, usize>,
}

/// The summary of `site`, built with `warnings`; `None` for a handbook that was not imported.
pub fn summary(site: &Site, warnings: &[Diagnostic]) -> Option<Summary> {
    let from = site.config.imported_from.clone()?;
    let mut s = Summary {
        from,
        ..Summary::default()
    };
    for lang in &site.langs {
        s.pages += lang
            .content
            .pages
            .iter()
            .filter(|p| !p.rel.is_empty())
            .count();
        s.sections += lang.content.sections.len();
        s.assets += lang.content.assets.len();
        for l in &lang.links {
            s.links_rewritten += l
                .resolved
                .iter()
                .filter(|r| matches!(r, Resolved::Page { .. } | Resolved::File { .. }))
                .count();
        }
        for d in &lang.docs {
            for (kind, n) in &d.converted {
                *s.converted.entry((*kind).to_string()).or_default() += n;
            }
        }
    }
    for d in warnings {
        *s.warnings.entry(kind(d)).or_default() += 1;
    }
    Some(s)
}

/// A warning's kind: its message with quoted parts and numbers left out.
pub fn kind(d: &Diagnostic) -> String {
    let mut out = String::with_capacity(d.message.len());
    let mut quoted = false;
    for c in d.message.chars() {
        match c {
            '`' => {
                quoted = !quoted;
                if quoted {
                    out.push('…');
                }
            }
            _ if quoted => {}
            _ if c.is_ascii_digit() => {
                if !out.ends_with('#') {
                    out.push('#');
                }
            }
            _ => out.push(c),
        }
    }
    // "(first: …)" and "(also in # other pages)" say where, not what.
    let cut = [" (first:", " (also in"]
        .iter()
        .filter_map(|m| out.find(m))
        .min()
        .unwrap_or(out.len());
    out[..cut].trim().to_string()
}

fn count(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

/// The lines of the summary, for the terminal.
pub fn lines(s: &Summary) -> Vec<String> {
    let mut out = vec![
        format!("Migration summary (imported from {}):", s.from),
        format!(
            "  {}, {}, {}; {} rewritten as relative URLs",
            count(s.pages, "page"),
            count(s.sections, "section"),
            count(s.assets, "file"),
            count(s.links_rewritten, "link")
        ),
    ];
    if s.converted.is_empty() {
        out.push("  no construct of the old tool needed converting".into());
    } else {
        let list: Vec<String> = s
            .converted
            .iter()
            .map(|(k, n)| format!("{k} {n}"))
            .collect();
        out.push(format!(
            "  converted: {} ({})",
            s.converted.values().sum::<u32>(),
            list.join(", ")
        ));
    }
    if s.warnings.is_empty() {
        out.push("  no warnings".into());
    } else {
        out.push(format!(
            "  warnings by kind ({}):",
            s.warnings.values().sum::<usize>()
        ));
        let mut by_count: Vec<(&String, &usize)> = s.warnings.iter().collect();
        by_count.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        for (k, n) in by_count {
            out.push(format!("    {n:>4}  {k}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_leave_out_what_varies() {
        let d = Diagnostic::warning("a.md", 1, 1, "broken link: `x/y.pdf` does not exist");
        assert_eq!(kind(&d), "broken link: … does not exist");
        let d = Diagnostic::warning(
            "a.md",
            1,
            1,
            "`layout` (Jekyll) is not used by mentorbook (also in 12 other pages)",
        );
        assert_eq!(kind(&d), "… (Jekyll) is not used by mentorbook");
    }
}

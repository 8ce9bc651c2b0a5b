//! The table of contents of another tool, which orders the pages and may nest
//! them: mdBook's and GitBook's `SUMMARY.md` ([`summary`](super::summary)),
//! the `nav:` of MkDocs' `mkdocs.yml`, and Jupyter Book's `_toc.yml`.
//!
//! Each is read into one [`Outline`]: its entries in reading order, each a page
//! (a path relative to the content folder) or a group without a page (an mdBook
//! part title, an MkDocs section, a Jupyter Book part), with the entry it sits
//! under. The content builder uses the order as the pages' positions, the
//! entry's text as the navigation title, and the nesting as the navigation tree.

use crate::diagnostic::Diagnostic;

/// One entry of a table of contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The page, relative to the content folder (`None`: a group, or an mdBook draft).
    pub rel: Option<String>,
    /// The entry's text, when the table of contents gives one.
    pub title: Option<String>,
    /// The entry it sits under (an index into [`Outline::entries`]).
    pub parent: Option<usize>,
    /// File line of the entry in the table of contents.
    pub line: usize,
    /// The path as the table of contents writes it, when it differs from `rel`
    /// (Jupyter Book's paths have no extension).
    pub written: Option<String>,
}

/// A table of contents, entries in reading order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outline {
    /// The file it was read from, relative to the handbook root (for diagnostics).
    pub source: String,
    /// The entries, in reading order (a parent before its children).
    pub entries: Vec<Entry>,
}

/// Which format a table of contents is in, from its file name (else its text).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// mdBook's and GitBook's `SUMMARY.md`.
    Summary,
    /// The `nav:` of `mkdocs.yml`.
    MkDocs,
    /// Jupyter Book's `_toc.yml`.
    JupyterBook,
}

impl Format {
    /// The format of the file named `name` holding `text`.
    pub fn of(name: &str, text: &str) -> Format {
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".md") {
            Format::Summary
        } else if lower.contains("mkdocs") || text.lines().any(|l| l.starts_with("nav:")) {
            Format::MkDocs
        } else {
            Format::JupyterBook
        }
    }
}

/// Reads the table of contents `text` of the file `source` (relative to the root).
/// `base` turns a path written in it into a path relative to the content folder
/// (`None` when it is outside).
pub fn read(
    source: &str,
    text: &str,
    base: &dyn Fn(&str) -> Option<String>,
    diags: &mut Vec<Diagnostic>,
) -> Outline {
    let name = source.rsplit('/').next().unwrap_or(source);
    let entries = match Format::of(name, text) {
        Format::Summary => super::summary::parse(text, base),
        Format::MkDocs => yaml_entries(source, text, diags, &|v, lines, out| {
            if let Some(nav) = v.get("nav") {
                mkdocs_items(nav, None, lines, base, out);
            }
        }),
        Format::JupyterBook => yaml_entries(source, text, diags, &|v, lines, out| {
            jupyter_node(v, None, lines, base, out);
        }),
    };
    // MkDocs' links to other sites (`- Site RH: https://…`) have no place in the
    // navigation, which holds the handbook's pages: said, not lost silently.
    for e in &entries {
        if let (None, Some(url)) = (&e.rel, &e.written)
            && crate::urls::is_external(url)
        {
            diags.push(
                Diagnostic::warning(
                    source,
                    e.line,
                    1,
                    format!(
                        "the navigation entry “{}” leads to another site (`{url}`): mentorbook's navigation holds the handbook's pages, so it is left out",
                        e.title.as_deref().unwrap_or(url)
                    ),
                )
                .with_help("link to it from a page instead, the home page for example: `[Site RH](https://…)`"),
            );
        }
    }
    Outline {
        source: source.to_string(),
        entries,
    }
}

/// Finds the file line of the first occurrence of `needle` at or after line `from`.
struct Lines<'a> {
    text: &'a str,
}

impl Lines<'_> {
    fn find(&self, needle: &str, after: usize) -> usize {
        self.text
            .lines()
            .enumerate()
            .skip(after.saturating_sub(1))
            .find(|(_, l)| l.contains(needle))
            .map_or(after.max(1), |(i, _)| i + 1)
    }
}

type Walk<'a> = dyn Fn(&serde_yaml::Value, &Lines<'_>, &mut Vec<Entry>) + 'a;

fn yaml_entries(
    source: &str,
    text: &str,
    diags: &mut Vec<Diagnostic>,
    walk: &Walk<'_>,
) -> Vec<Entry> {
    match serde_yaml::from_str::<serde_yaml::Value>(text) {
        Ok(v) => {
            let mut out = Vec::new();
            walk(&v, &Lines { text }, &mut out);
            out
        }
        Err(e) => {
            diags.push(
                crate::yaml::error_to_diagnostic(source, &e, 1, text).with_help(
                    "the pages keep the order of their files until this file can be read",
                ),
            );
            Vec::new()
        }
    }
}

/// The line where the previous entry was found, to look for the next one after it.
fn last_line(out: &[Entry]) -> usize {
    out.last().map_or(1, |e| e.line)
}

fn push(out: &mut Vec<Entry>, entry: Entry) -> usize {
    out.push(entry);
    out.len() - 1
}

/// MkDocs `nav:` items: `- path.md`, `- Title: path.md`, `- Title: [items]`.
fn mkdocs_items(
    v: &serde_yaml::Value,
    parent: Option<usize>,
    lines: &Lines<'_>,
    base: &dyn Fn(&str) -> Option<String>,
    out: &mut Vec<Entry>,
) {
    let Some(items) = v.as_sequence() else {
        return;
    };
    for item in items {
        match item {
            serde_yaml::Value::String(path) => {
                let line = lines.find(path, last_line(out));
                push(
                    out,
                    Entry {
                        rel: page_path(path, base),
                        title: None,
                        parent,
                        line,
                        written: None,
                    },
                );
            }
            serde_yaml::Value::Mapping(m) => {
                for (k, val) in m {
                    let title = scalar(k);
                    let line = lines.find(&title, last_line(out));
                    match val {
                        serde_yaml::Value::Sequence(_) => {
                            let group = push(
                                out,
                                Entry {
                                    rel: None,
                                    title: Some(title),
                                    parent,
                                    line,
                                    written: None,
                                },
                            );
                            mkdocs_items(val, Some(group), lines, base, out);
                        }
                        other => {
                            let path = scalar(other);
                            // A link to another site keeps its address, to be reported.
                            let written = crate::urls::is_external(&path).then(|| path.clone());
                            push(
                                out,
                                Entry {
                                    rel: page_path(&path, base),
                                    title: Some(title).filter(|t| !t.is_empty()),
                                    parent,
                                    line,
                                    written,
                                },
                            );
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

/// A Jupyter Book `_toc.yml` node: `root`, `file` (with `sections`), `parts`
/// (with `caption` and `chapters`), `chapters`, `sections`.
fn jupyter_node(
    v: &serde_yaml::Value,
    parent: Option<usize>,
    lines: &Lines<'_>,
    base: &dyn Fn(&str) -> Option<String>,
    out: &mut Vec<Entry>,
) {
    match v {
        serde_yaml::Value::Sequence(items) => {
            for item in items {
                jupyter_node(item, parent, lines, base, out);
            }
        }
        serde_yaml::Value::Mapping(m) => {
            let get = |k: &str| m.get(k);
            let mut here = parent;
            if let Some(root) = get("root") {
                let path = scalar(root);
                let line = lines.find(&path, 1);
                push(
                    out,
                    Entry {
                        rel: jupyter_path(&path, base),
                        title: None,
                        parent,
                        line,
                        written: Some(path.clone()),
                    },
                );
            }
            if let Some(file) = get("file") {
                let path = scalar(file);
                let line = lines.find(&path, last_line(out));
                here = Some(push(
                    out,
                    Entry {
                        rel: jupyter_path(&path, base),
                        title: get("title").map(scalar),
                        parent,
                        line,
                        written: Some(path.clone()),
                    },
                ));
            } else if let Some(caption) = get("caption") {
                let title = scalar(caption);
                let line = lines.find(&title, last_line(out));
                here = Some(push(
                    out,
                    Entry {
                        rel: None,
                        title: Some(title),
                        parent,
                        line,
                        written: None,
                    },
                ));
            }
            for key in ["parts", "chapters", "sections", "subtrees", "entries"] {
                if let Some(children) = get(key) {
                    jupyter_node(children, here, lines, base, out);
                }
            }
        }
        _ => {}
    }
}

fn scalar(v: &serde_yaml::Value) -> String {
    match v {
        serde_yaml::Value::String(s) => s.trim().to_string(),
        serde_yaml::Value::Number(n) => n.to_string(),
        serde_yaml::Value::Bool(b) => b.to_string(),
        _ => String::new(),
    }
}

/// A page path of MkDocs' nav (relative to `docs_dir`); external URLs are no page.
fn page_path(path: &str, base: &dyn Fn(&str) -> Option<String>) -> Option<String> {
    let path = path.trim();
    if path.is_empty() || crate::urls::is_external(path) {
        return None;
    }
    base(path.split('#').next().unwrap_or(path))
}

/// A Jupyter Book file: written without its extension (`intro` for `intro.md`).
fn jupyter_path(path: &str, base: &dyn Fn(&str) -> Option<String>) -> Option<String> {
    let path = path.trim();
    if path.is_empty() || crate::urls::is_external(path) {
        return None;
    }
    let has_ext = path
        .rsplit('/')
        .next()
        .is_some_and(|n| n.contains('.') && !n.starts_with('.'));
    if has_ext {
        base(path)
    } else {
        base(&format!("{path}.md"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same(p: &str) -> Option<String> {
        crate::urls::resolve("", p)
    }

    #[test]
    fn mkdocs_nav_with_sections_and_titles() {
        let text = "site_name: Guide\nnav:\n  - index.md\n  - Posture:\n      - posture/ecoute.md\n      - 'La confiance': posture/confiance.md\n  - Site: https://example.org\n";
        let mut d = Vec::new();
        let o = read("mkdocs.yml", text, &same, &mut d);
        assert_eq!(d.len(), 1, "the link to another site is said: {d:?}");
        assert_eq!(d[0].line(), 7);
        assert!(
            d[0].message.starts_with(
                "the navigation entry “Site” leads to another site (`https://example.org`)"
            ),
            "{}",
            d[0].message
        );
        let rels: Vec<Option<&str>> = o.entries.iter().map(|e| e.rel.as_deref()).collect();
        assert_eq!(
            rels,
            [
                Some("index.md"),
                None,
                Some("posture/ecoute.md"),
                Some("posture/confiance.md"),
                None
            ]
        );
        assert_eq!(o.entries[2].parent, Some(1));
        assert_eq!(o.entries[3].title.as_deref(), Some("La confiance"));
        assert_eq!(o.entries[3].line, 6);
    }

    #[test]
    fn jupyter_toc_with_parts() {
        let text = "format: jb-book\nroot: intro\nparts:\n  - caption: Démarrer\n    chapters:\n      - file: demarrer/accueil\n        sections:\n          - file: demarrer/charte.md\n";
        let mut d = Vec::new();
        let o = read("_toc.yml", text, &same, &mut d);
        let rels: Vec<Option<&str>> = o.entries.iter().map(|e| e.rel.as_deref()).collect();
        assert_eq!(
            rels,
            [
                Some("intro.md"),
                None,
                Some("demarrer/accueil.md"),
                Some("demarrer/charte.md")
            ]
        );
        assert_eq!(o.entries[2].parent, Some(1));
        assert_eq!(o.entries[3].parent, Some(2));
        assert_eq!(o.entries[3].line, 8);
    }

    #[test]
    fn bad_yaml_is_located() {
        let mut d = Vec::new();
        let o = read("mkdocs.yml", "nav:\n  - a: [\n", &same, &mut d);
        assert!(o.entries.is_empty());
        assert_eq!(d.len(), 1);
        assert!(d[0].line() >= 2);
    }
}

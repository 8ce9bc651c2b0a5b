//! Link resolution: every destination a page's [`Doc`] recorded is resolved once
//! against the content of its language (a page, a heading, a file, a page of
//! another language), and the fragments are checked once every page is parsed.
//! Serialising a page then only turns a [`Resolved`] into a URL for one place.

use std::collections::HashSet;

use crate::content::{Content, Page, PageId, Target};
use crate::diagnostic::Diagnostic;
use crate::markdown::{Doc, RawLink};
use crate::urls;

/// What a recorded link leads to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    /// Write the destination as written (a broken link, or an empty fragment).
    Keep,
    /// A fragment of the page itself (`#ecoute`): written as is on the web page,
    /// as the prefixed id on print pages.
    Fragment(String),
    /// A page (or a section's index), with an optional fragment (decoded).
    Page {
        /// The page.
        id: PageId,
        /// The fragment, decoded.
        frag: Option<String>,
    },
    /// A file at an output path (a copied asset, or a page of another language),
    /// followed by `suffix` (`#fragment` as written, or empty).
    File {
        /// Output path of the file.
        out: String,
        /// What follows the path in the URL.
        suffix: String,
    },
}

/// A `#fragment` to look for in a page once every page is parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnchorCheck {
    /// The page the fragment must exist in.
    pub target: PageId,
    /// The fragment, without `#`.
    pub fragment: String,
    /// File line of the link.
    pub line: usize,
    /// Column of the link.
    pub col: usize,
}

/// The links of one page, resolved.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageLinks {
    /// One per [`Doc::links`] entry.
    pub resolved: Vec<Resolved>,
    /// Fragments to check.
    pub anchors: Vec<AnchorCheck>,
    /// Broken links and links across languages.
    pub diagnostics: Vec<Diagnostic>,
}

/// Why a link is broken.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Broken {
    message: String,
    help: Option<String>,
    /// A URL that still works (a page in another language): the problem is then a warning.
    fallback: Option<Resolved>,
}

/// Resolves every link of `page`, whose parsed body is `doc`.
pub fn resolve_page(content: &Content, page: &Page, doc: &Doc) -> PageLinks {
    let mut out = PageLinks {
        resolved: Vec::with_capacity(doc.links.len()),
        ..PageLinks::default()
    };
    for link in &doc.links {
        // Suggestions compare with every page: only for the first few broken
        // links of a page, so that a page of broken links stays linear.
        let suggest = out.diagnostics.len() < SUGGESTIONS_PER_PAGE;
        match resolve(content, page, &link.dest, suggest) {
            Ok((r, check)) => {
                if let Some((target, fragment)) = check {
                    out.anchors.push(AnchorCheck {
                        target,
                        fragment,
                        line: link.line,
                        col: link.col,
                    });
                }
                out.resolved.push(r);
            }
            // A page that exists but failed to load has its own error: nothing more here.
            Err(b) if b.message.is_empty() => out.resolved.push(Resolved::Keep),
            Err(b) => {
                out.diagnostics.push(broken_diagnostic(page, link, &b));
                out.resolved.push(b.fallback.unwrap_or(Resolved::Keep));
            }
        }
    }
    out
}

fn broken_diagnostic(page: &Page, link: &RawLink, b: &Broken) -> Diagnostic {
    let mut d = if b.fallback.is_some() {
        Diagnostic::warning(&page.source, link.line, link.col, b.message.clone())
    } else {
        Diagnostic::error(&page.source, link.line, link.col, b.message.clone())
    };
    if let Some(h) = &b.help {
        d = d.with_help(h.clone());
    }
    d
}

type Found = (Resolved, Option<(PageId, String)>);

/// Broken links of one page that get a "did you mean"; later ones get the generic help.
const SUGGESTIONS_PER_PAGE: usize = 20;

/// Resolves one destination written in `page`.
fn resolve(content: &Content, page: &Page, dest: &str, suggest: bool) -> Result<Found, Broken> {
    let dest = dest.trim();
    let (path_query, fragment) = match dest.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (dest, None),
    };
    let path = path_query.split('?').next().unwrap_or("");
    if path.is_empty() {
        // `#fragment` within this page.
        let Some(frag) = fragment.filter(|f| !f.is_empty()) else {
            return Ok((Resolved::Keep, None));
        };
        let frag = urls::decode(frag);
        return Ok((Resolved::Fragment(frag.clone()), Some((page.id, frag))));
    }
    let base_dir = page.rel.rsplit_once('/').map_or("", |(d, _)| d);
    let decoded = urls::decode(path);
    let Some(resolved) = urls::resolve(base_dir, &decoded) else {
        return Err(Broken {
            message: format!("link `{dest}` points outside `content/`"),
            help: Some("link to pages inside `content/` with a relative path".into()),
            fallback: None,
        });
    };
    let target = content
        .lookup(&resolved)
        // Docusaurus-style links without the extension (`./intro`).
        .or_else(|| {
            (!resolved.contains('.'))
                .then(|| content.lookup(&format!("{resolved}.md")))
                .flatten()
        })
        .or_else(|| by_output_path(content, page, &decoded));
    let frag = fragment.map(urls::decode).filter(|f| !f.is_empty());
    match target {
        Some(Target::Page(id)) => Ok(page_target(id, frag)),
        Some(Target::Section(sid)) => Ok(page_target(content.sections[sid].index, frag)),
        Some(Target::Asset(i)) => Ok((
            Resolved::File {
                out: content.assets[i].out.to_string(),
                suffix: fragment.map(|f| format!("#{f}")).unwrap_or_default(),
            },
            None,
        )),
        None => Err(across_languages(content, &resolved, dest)
            .unwrap_or_else(|| broken(content, page, &resolved, dest, suggest))),
    }
}

fn page_target(id: PageId, frag: Option<String>) -> Found {
    let check = frag.clone().map(|f| (id, f));
    (Resolved::Page { id, frag }, check)
}

/// Accepts links written against the output (`posture.html`, `../guide/`).
fn by_output_path(content: &Content, page: &Page, link: &str) -> Option<Target> {
    let out_dir = page.out.rsplit_once('/').map_or("", |(d, _)| d);
    let resolved = urls::resolve(out_dir, link)?;
    let wanted = if resolved.is_empty() || link.ends_with('/') {
        if resolved.is_empty() {
            "index.html".to_string()
        } else {
            format!("{resolved}/index.html")
        }
    } else {
        resolved
    };
    content.lookup_output(&wanted)
}

/// On a multilingual handbook: a link to a page of another language (`a.en.md` from
/// a French page), or to a page this language lacks, still leads somewhere; it is
/// reported as a warning.
fn across_languages(content: &Content, resolved: &str, dest: &str) -> Option<Broken> {
    let langs = content.languages.as_ref()?;
    let suffix = dest
        .split_once('#')
        .map(|(_, f)| format!("#{f}"))
        .unwrap_or_default();
    let name = |code: &str| format!("`{code}`");
    if let Some((out, code)) = langs
        .files
        .get(resolved)
        .filter(|(_, c)| resolved.ends_with(&format!(".{c}.md")))
    {
        let written = dest.split('#').next().unwrap_or(dest);
        return Some(Broken {
            message: format!(
                "link `{dest}` leads to a page in {} from a page in {}",
                name(code),
                name(&content.lang)
            ),
            help: Some(format!(
                "link to `{}` instead: each language links to its own version",
                without_suffix(written, code)
            )),
            fallback: Some(Resolved::File {
                out: out.clone(),
                suffix,
            }),
        });
    }
    let outs = langs.pages.get(resolved).or_else(|| {
        langs
            .pages
            .get(&format!("{}/", resolved.trim_end_matches('/')))
    })?;
    let (default_code, _, _) = langs.list.first()?;
    let out = outs.first()?.as_ref()?;
    Some(Broken {
        message: format!(
            "link `{dest}`: that page has no {} version, so the link leads to the {} page",
            name(&content.lang),
            name(default_code)
        ),
        help: Some(format!(
            "translate it as `{}`",
            with_suffix(resolved, &content.lang)
        )),
        fallback: Some(Resolved::File {
            out: out.clone(),
            suffix,
        }),
    })
}

fn without_suffix(rel: &str, code: &str) -> String {
    rel.strip_suffix(&format!(".{code}.md"))
        .map_or_else(|| rel.to_string(), |s| format!("{s}.md"))
}

fn with_suffix(rel: &str, code: &str) -> String {
    rel.strip_suffix(".md")
        .map_or_else(|| rel.to_string(), |s| format!("content/{s}.{code}.md"))
}

fn broken(content: &Content, page: &Page, resolved: &str, dest: &str, suggest: bool) -> Broken {
    if content.failed.contains(resolved) {
        return Broken {
            message: String::new(),
            help: None,
            fallback: Some(Resolved::Keep),
        };
    }
    if content.drafts.contains(resolved) {
        return Broken {
            message: format!("link `{dest}` points to a draft page, which is not built"),
            help: Some("remove `draft: true` from that page, or build with `--drafts`".into()),
            fallback: None,
        };
    }
    let candidates: Vec<&str> = if suggest {
        content
            .pages
            .iter()
            .map(|p| p.rel.as_str())
            .filter(|r| !r.is_empty())
            .chain(content.assets.iter().map(|a| a.rel.as_str()))
            .collect()
    } else {
        Vec::new()
    };
    let help = crate::diagnostic::did_you_mean(resolved, &candidates)
        .map(|c| {
            format!(
                "did you mean `{}`?",
                urls::decode(&urls::relative(&page.rel, c))
            )
        })
        .or_else(|| {
            Some(if resolved.ends_with(".md") || !resolved.contains('.') {
                "link to a `.md` file of `content/`, relative to this page".into()
            } else {
                format!(
                    "put `{}` in `content/` (next to the page is simplest): files there are copied with the site",
                    resolved.rsplit('/').next().unwrap_or(resolved)
                )
            })
        });
    Broken {
        message: format!("broken link: `{dest}` does not exist"),
        help,
        fallback: None,
    }
}

/// Checks every fragment link of page `from` against the ids of the page it points
/// at (`ids` is indexed by page id); pushes an error for each missing one.
pub fn check_anchors(
    content: &Content,
    from: PageId,
    anchors: &[AnchorCheck],
    ids: &[&HashSet<String>],
    diags: &mut Vec<Diagnostic>,
) {
    let page = &content.pages[from];
    let mut missing = 0usize;
    for a in anchors {
        let Some(target_ids) = ids.get(a.target) else {
            continue;
        };
        if target_ids.contains(&a.fragment) {
            continue;
        }
        let target = &content.pages[a.target];
        missing += 1;
        // Past the first few, no suggestions: they compare with every id of the target.
        let mut candidates: Vec<&str> = if missing <= SUGGESTIONS_PER_PAGE {
            target_ids.iter().map(String::as_str).collect()
        } else {
            Vec::new()
        };
        candidates.sort_unstable();
        let where_ = if a.target == from {
            "this page".to_string()
        } else {
            format!("`{}`", target.source)
        };
        let mut d = Diagnostic::error(
            &page.source,
            a.line,
            a.col,
            format!("broken anchor: `#{}` not found in {where_}", a.fragment),
        );
        d = match crate::diagnostic::did_you_mean(&a.fragment, &candidates) {
            Some(s) => d.with_help(format!("did you mean `#{s}`?")),
            None if target_ids.is_empty() => d.with_help("that page has no headings to link to"),
            None if candidates.is_empty() => {
                d.with_help("link to one of the headings of that page (`#` and its id)")
            }
            None => d.with_help(format!(
                "headings there: {}",
                candidates
                    .iter()
                    .take(8)
                    .map(|c| format!("#{c}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        };
        diags.push(d);
    }
}

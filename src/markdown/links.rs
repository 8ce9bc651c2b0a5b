//! Link rewriting: relative `.md` links become relative `.html` URLs (or in-page
//! anchors on print pages), and every internal target is checked.

use crate::content::{Content, Page, PageId, Target};
use crate::text::slugify;
use crate::urls;

/// How links are written in the page being rendered.
#[derive(Clone, Copy)]
pub enum LinkMode<'a> {
    /// Each page is its own file: links are relative URLs.
    Web,
    /// Several pages are gathered in one print file at `out`; links to pages for
    /// which `included` is true become in-page `#anchors`.
    Print {
        /// The print file's output path.
        out: &'a str,
        /// Whether a page is part of the print file.
        included: &'a (dyn Fn(PageId) -> bool + Sync),
    },
}

impl LinkMode<'_> {
    /// The output file relative URLs start from: the page, or the print file holding it.
    fn base<'p>(&'p self, page: &'p Page) -> &'p str {
        match self {
            LinkMode::Web => &page.out,
            LinkMode::Print { out, .. } => out,
        }
    }
}

/// A `#fragment` to look for in a page once every page is rendered.
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

/// Why a link is broken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broken {
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
    /// A URL that still works (a page in another language): the problem is then a warning.
    pub fallback: Option<String>,
}

/// The id of a page's wrapper on a print page (`guide/posture.html` → `p-guide-posture`).
pub fn page_anchor(page: &Page) -> String {
    let stem = page.out.strip_suffix(".html").unwrap_or(&page.out);
    format!("p-{}", slugify(stem))
}

/// The id a heading or footnote id gets on a print page.
pub fn print_id(page: &Page, id: &str) -> String {
    format!("{}--{id}", page_anchor(page))
}

/// A rewritten URL (`None`: keep the original) and the fragment to check later, if any.
pub type Rewritten = (Option<String>, Option<(PageId, String)>);

/// Rewrites one link or image destination found in `page`.
/// Returns the new URL and, for fragments into handbook pages, what to check later.
pub fn rewrite(
    content: &Content,
    page: &Page,
    mode: LinkMode<'_>,
    dest: &str,
) -> Result<Rewritten, Broken> {
    let dest = dest.trim();
    if dest.is_empty() || urls::is_external(dest) {
        return Ok((None, None));
    }
    let (path_query, fragment) = match dest.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (dest, None),
    };
    let path = path_query.split('?').next().unwrap_or("");
    if path.is_empty() {
        // `#fragment` within this page.
        let Some(frag) = fragment.filter(|f| !f.is_empty()) else {
            return Ok((None, None));
        };
        let frag = urls::decode(frag);
        let url = match mode {
            LinkMode::Web => None,
            LinkMode::Print { .. } => Some(format!("#{}", print_id(page, &frag))),
        };
        return Ok((url, Some((page.id, frag))));
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
        Some(Target::Page(id)) => Ok(page_url(content, page, mode, id, frag)),
        Some(Target::Section(sid)) => Ok(page_url(
            content,
            page,
            mode,
            content.sections[sid].index,
            frag,
        )),
        Some(Target::Asset(i)) => {
            let from = mode.base(page);
            let mut url = urls::relative(from, &content.assets[i].out);
            if let Some(f) = fragment {
                url.push('#');
                url.push_str(f);
            }
            Ok((Some(url), None))
        }
        None => Err(across_languages(content, page, mode, &resolved, dest)
            .unwrap_or_else(|| broken(content, page, &resolved, dest))),
    }
}

fn page_url(
    content: &Content,
    page: &Page,
    mode: LinkMode<'_>,
    target: PageId,
    frag: Option<String>,
) -> Rewritten {
    let t = &content.pages[target];
    let url = match mode {
        LinkMode::Print { included, .. } if included(target) => match &frag {
            Some(f) => format!("#{}", print_id(t, f)),
            None => format!("#{}", page_anchor(t)),
        },
        LinkMode::Print { out, .. } => with_fragment(urls::relative(out, &t.out), frag.as_deref()),
        LinkMode::Web => with_fragment(urls::relative(&page.out, &t.out), frag.as_deref()),
    };
    (Some(url), frag.map(|f| (target, f)))
}

fn with_fragment(mut url: String, frag: Option<&str>) -> String {
    if let Some(f) = frag {
        url.push('#');
        url.push_str(&urls::encode_segment(f));
    }
    url
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
    if let Some(p) = content.pages.iter().find(|p| p.out == wanted) {
        return Some(Target::Page(p.id));
    }
    content
        .assets
        .iter()
        .position(|a| a.out == wanted)
        .map(Target::Asset)
}

/// On a multilingual handbook: a link to a page of another language (`a.en.md` from
/// a French page), or to a page this language lacks, still leads somewhere; it is
/// reported as a warning.
fn across_languages(
    content: &Content,
    page: &Page,
    mode: LinkMode<'_>,
    resolved: &str,
    dest: &str,
) -> Option<Broken> {
    let langs = content.languages.as_ref()?;
    let from = mode.base(page);
    let frag = dest
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
            fallback: Some(format!("{}{frag}", urls::relative(from, out))),
        });
    }
    let key = resolved.to_string();
    let outs = langs
        .pages
        .get(&key)
        .or_else(|| langs.pages.get(&format!("{}/", key.trim_end_matches('/'))))?;
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
        fallback: Some(format!("{}{frag}", urls::relative(from, out))),
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

fn broken(content: &Content, page: &Page, resolved: &str, dest: &str) -> Broken {
    if content.drafts.contains(resolved) {
        return Broken {
            message: format!("link `{dest}` points to a draft page, which is not built"),
            help: Some("remove `draft: true` from that page, or build with `--drafts`".into()),
            fallback: None,
        };
    }
    let candidates: Vec<&str> = content
        .pages
        .iter()
        .map(|p| p.rel.as_str())
        .filter(|r| !r.is_empty())
        .chain(content.assets.iter().map(|a| a.rel.as_str()))
        .collect();
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
                format!("put `{}` in `content/` (next to the page is simplest): files there are copied with the site", resolved.rsplit('/').next().unwrap_or(resolved))
            })
        });
    Broken {
        message: format!("broken link: `{dest}` does not exist"),
        help,
        fallback: None,
    }
}

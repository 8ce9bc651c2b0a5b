//! Link resolution: every destination a page's [`Doc`] recorded is resolved once
//! against the content of its language (a page, a heading, a file, a page of
//! another language), and the fragments are checked once every page is parsed.
//! Serialising a page then only turns a [`Resolved`] into a URL for one place.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use crate::content::{Content, Page, PageId, Target};
use crate::diagnostic::Diagnostic;
use crate::markdown::{Doc, RawLink};
use crate::urls;

/// What a recorded link leads to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    /// Write the destination as written (an empty fragment).
    Keep,
    /// A broken link (reported): written without its destination, so the text
    /// stays and the site has no link that leads nowhere.
    Missing,
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
    /// The link's index in [`PageLinks::resolved`].
    pub link: usize,
    /// For a wikilink, the heading as written (`Écouter vraiment`), which
    /// messages name instead of the id made of it.
    pub written: Option<String>,
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
    /// For links written as the title of what they lead to ([`RawLink::text`]):
    /// that title (the heading's text for a fragment), by link; empty when none is.
    pub titles: Vec<Option<String>>,
}

/// How links are resolved and reported, from the configuration.
#[derive(Debug, Clone, Default)]
pub struct Rules {
    /// Broken links and anchors are warnings (`links: warn`), not errors.
    pub warn: bool,
    /// The part of site-root links that stands for the handbook's root on the
    /// old site (`docs` for `/docs/guide/x`), without slashes.
    pub prefix: Option<String>,
    /// The handbook root, to tell a missing file from one outside the content folder.
    pub root: PathBuf,
    /// Targets any page may link to by name (MyST's `(label)=`): the page defining each.
    pub labels: HashMap<String, PageId>,
    /// `@/guide/page.md` leads from the content folder (Zola's internal links).
    pub content_root: bool,
    /// The names wikilinks (`[[Posture du mentor]]`) may use.
    pub wiki: crate::site::wikilinks::WikiNames,
    /// An embed alone on its line shows the note's text (see [`crate::content::embed`]).
    pub embeds: bool,
}

impl Rules {
    /// The rules of `config` (no labels yet).
    pub fn of(config: &crate::config::Config) -> Self {
        Rules {
            warn: config.links == crate::config::LinkSeverity::Warn,
            prefix: config.link_prefix.clone(),
            root: config.root.clone(),
            labels: HashMap::new(),
            content_root: config.imported_from.as_deref() == Some("zola"),
            wiki: crate::site::wikilinks::WikiNames::default(),
            embeds: config.embeds_notes(),
        }
    }
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
pub fn resolve_page(content: &Content, page: &Page, doc: &Doc, rules: &Rules) -> PageLinks {
    let mut out = PageLinks {
        resolved: Vec::with_capacity(doc.links.len()),
        ..PageLinks::default()
    };
    for link in &doc.links {
        // Suggestions compare with every page: only for the first few broken
        // links of a page, so that a page of broken links stays linear.
        let suggest = out.diagnostics.len() < SUGGESTIONS_PER_PAGE;
        let found = if link.wiki {
            wiki(content, page, link, rules, &mut out.diagnostics)
        } else {
            resolve(content, page, doc, &link.dest, rules, suggest)
        };
        match found {
            Ok((r, check)) => {
                if let Some((target, fragment)) = check {
                    let written = link
                        .wiki
                        .then(|| {
                            link.dest
                                .rsplit('#')
                                .next()
                                .unwrap_or("")
                                .trim()
                                .to_string()
                        })
                        .filter(|w| *w != fragment);
                    out.anchors.push(AnchorCheck {
                        target,
                        fragment,
                        line: link.line,
                        col: link.col,
                        link: out.resolved.len(),
                        written,
                    });
                }
                out.resolved.push(r);
            }
            // A page that exists but failed to load has its own error: nothing more here.
            Err(b) if b.message.is_empty() => out.resolved.push(Resolved::Keep),
            Err(b) => {
                out.diagnostics
                    .push(broken_diagnostic(page, link, &b, rules.warn));
                out.resolved.push(b.fallback.unwrap_or(Resolved::Missing));
            }
        }
    }
    out
}

/// Resolves the wikilink `link` of `page` ([`crate::site::wikilinks`]); warns
/// when several pages have its name.
fn wiki(
    content: &Content,
    page: &Page,
    link: &RawLink,
    rules: &Rules,
    diags: &mut Vec<Diagnostic>,
) -> Result<Found, Broken> {
    use crate::site::wikilinks::{Found as Wiki, path_name, shown_path};
    let (found, ambiguous) = rules.wiki.resolve(content, page, &link.dest, link.image);
    let written = if link.image || link.embed {
        format!("![[{}]]", link.dest)
    } else {
        format!("[[{}]]", link.dest)
    };
    let warn = |diags: &mut Vec<Diagnostic>, message: String, help: String| {
        diags.push(Diagnostic::warning(&page.source, link.line, link.col, message).with_help(help));
    };
    if let (Some(a), Wiki::Link(Resolved::Page { id, .. }, _)) = (&ambiguous, &found) {
        let chosen = shown_path(content, &Target::Page(*id));
        let mut others = a
            .others
            .iter()
            .map(|o| format!("`{o}`"))
            .collect::<Vec<_>>()
            .join(", ");
        if a.count > a.others.len() {
            others = format!("{others} and {} more", a.count - a.others.len());
        }
        warn(
            diags,
            format!(
                "wikilink `{written}` could lead to `{chosen}` or {others}: it leads to `{chosen}`, the nearest"
            ),
            format!(
                "write the folder to choose one, as in `[[{}]]`",
                path_name(&chosen)
            ),
        );
    }
    // Obsidian shows the page's text in place; a handbook links to it.
    // The hint for an embedded page (`id`), named by its file name.
    let embed_help = |id: PageId| {
        let rel = shown_path(content, &Target::Page(id));
        let name = path_name(&rel);
        let name = name.rsplit('/').next().unwrap_or(name);
        if rules.embeds {
            format!(
                "an embed shows the page's text when it is alone on its line (not in a sentence or a list item) and names the note by its file name, as `![[{name}]]`; or write `[[{}]]` for a link",
                link.dest
            )
        } else {
            format!(
                "write `[[{}]]` for a link, which is what readers get; to show the same text in several pages, put it in a file of its own and include it with `{{{{#include file.md}}}}`",
                link.dest
            )
        }
    };
    match found {
        Wiki::Link(r, check) => {
            if link.embed
                && let Resolved::Page { id, .. } = &r
            {
                let to = shown_path(content, &Target::Page(*id));
                warn(
                    diags,
                    format!("`{written}` embeds a page: here it is a link to `{to}`"),
                    embed_help(*id),
                );
            }
            Ok((r, check))
        }
        Wiki::EmbeddedPage(id) => Err(Broken {
            message: format!(
                "`{written}` embeds the page `{}` as an image: nothing is shown here",
                shown_path(content, &Target::Page(id))
            ),
            help: Some(embed_help(id)),
            fallback: Some(Resolved::Missing),
        }),
        Wiki::Unknown if link.image => Err(Broken {
            message: format!("broken link: `{written}`: no file is named so"),
            help: Some("put the file in the content folder, or fix its name".to_string()),
            fallback: None,
        }),
        // An Obsidian note not written yet, a letter model's `[[Prénom]]`,
        // `[[1, n]]`: shown as written (see `Slot::WikiBracket`).
        Wiki::Unknown if link.dest.trim().is_empty() => Err(Broken {
            message: format!("wikilink `{written}` names nothing, so it shows as written"),
            help: Some(
                "write a page's name between the brackets, or `\\[[ ]]` for the brackets as text"
                    .to_string(),
            ),
            fallback: Some(Resolved::Missing),
        }),
        Wiki::Unknown => {
            let name = link.dest.split('#').next().unwrap_or("").trim();
            Err(Broken {
                message: format!(
                    "wikilink `{written}` leads nowhere: no page or file is named `{name}`, so it shows as written"
                ),
                help: Some(
                    "create the page, or fix the name (a file name without `.md`, or a page's title); write `\\[[…]]` if the brackets are meant as text".to_string(),
                ),
                fallback: Some(Resolved::Missing),
            })
        }
    }
}

fn broken_diagnostic(page: &Page, link: &RawLink, b: &Broken, warn: bool) -> Diagnostic {
    let mut d = if b.fallback.is_some() || warn {
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
fn resolve(
    content: &Content,
    page: &Page,
    doc: &Doc,
    dest: &str,
    rules: &Rules,
    suggest: bool,
) -> Result<Found, Broken> {
    let dest = dest.trim();
    let (path_query, fragment) = match dest.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (dest, None),
    };
    let path = path_query.split('?').next().unwrap_or("");
    if path.is_empty() {
        // `#fragment` within this page, or a label another page defines.
        let Some(frag) = fragment.filter(|f| !f.is_empty()) else {
            return Ok((Resolved::Keep, None));
        };
        let frag = urls::decode(frag);
        if !doc.ids.contains(&frag)
            && let Some(&id) = rules.labels.get(&frag)
            && id != page.id
        {
            return Ok(page_target(id, Some(frag)));
        }
        return Ok((Resolved::Fragment(frag.clone()), Some((page.id, frag))));
    }
    let decoded = urls::decode(path);
    // Zola's `@/guide/page.md`: from the content folder, whatever the page.
    let from_content = rules.content_root && decoded.starts_with("@/");
    let (base_dir, decoded) = match decoded.strip_prefix("@/") {
        Some(rest) if from_content => ("", rest.to_string()),
        _ => (page.rel.rsplit_once('/').map_or("", |(d, _)| d), decoded),
    };
    // A site-root link (`/docs/guide/x`): from the old site's root.
    let site_root = decoded.starts_with('/').then(|| {
        let inner = decoded.trim_start_matches('/');
        match &rules.prefix {
            Some(p) => inner
                .strip_prefix(p.as_str())
                .filter(|r| r.is_empty() || r.starts_with('/'))
                .unwrap_or(inner)
                .trim_start_matches('/')
                .to_string(),
            None => inner.to_string(),
        }
    });
    let Some(resolved) = (match &site_root {
        Some(inner) => urls::resolve("", inner),
        None => urls::resolve(base_dir, &decoded),
    }) else {
        return outside(content, base_dir, &decoded, dest, rules);
    };
    let as_page = |p: &str| {
        content.lookup(p).or_else(|| {
            // Links without the extension (`./intro`, Docusaurus routes).
            let name = p.rsplit('/').next().unwrap_or(p);
            (!name.contains('.'))
                .then(|| {
                    crate::content::walk::PAGE_EXTENSIONS
                        .iter()
                        .find_map(|e| content.lookup(&format!("{p}{e}")))
                })
                .flatten()
        })
    };
    let target = as_page(&resolved).or_else(|| match &site_root {
        Some(inner) => by_output_path(content, "", inner, &decoded),
        None if from_content => by_output_path(content, "", &decoded, &decoded),
        None => by_output_path(
            content,
            page.out.rsplit_once('/').map_or("", |(d, _)| d),
            &decoded,
            &decoded,
        ),
    });
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
        None => {
            // A file of a static folder (`/img/logo.png`, `../static/img/logo.png`).
            let from_root = format!("{}{resolved}", content.folder);
            let static_out = match &site_root {
                Some(_) => content
                    .statics
                    .files
                    .contains(&resolved)
                    .then(|| resolved.clone()),
                None => None,
            }
            .or_else(|| content.statics.of_root_path(&from_root));
            if let Some(out) = static_out {
                return Ok((
                    Resolved::File {
                        out,
                        suffix: fragment.map(|f| format!("#{f}")).unwrap_or_default(),
                    },
                    None,
                ));
            }
            Err(
                across_languages(content, &resolved, dest).unwrap_or_else(|| {
                    broken(
                        content,
                        page,
                        &resolved,
                        dest,
                        site_root.is_some(),
                        rules,
                        suggest,
                    )
                }),
            )
        }
    }
}

/// A relative link whose path leaves the content folder: a file of a static
/// folder beside it (`../static/img/a.png`), or a broken link saying truly why.
fn outside(
    content: &Content,
    base_dir: &str,
    decoded: &str,
    dest: &str,
    rules: &Rules,
) -> Result<Found, Broken> {
    let folder = content.folder.trim_end_matches('/');
    let from_root = urls::resolve(&format!("{folder}/{base_dir}"), decoded);
    let Some(from_root) = from_root else {
        return Err(Broken {
            message: format!("broken link: `{dest}` leads outside the handbook folder"),
            help: Some("link to pages and files inside the handbook, or write a full address (`https://…`)".into()),
            fallback: None,
        });
    };
    if let Some(out) = content.statics.of_root_path(&from_root) {
        let suffix = dest
            .split_once('#')
            .map(|(_, f)| format!("#{f}"))
            .unwrap_or_default();
        return Ok((Resolved::File { out, suffix }, None));
    }
    let shown = if folder.is_empty() {
        "the handbook folder".to_string()
    } else {
        format!("`{folder}/`")
    };
    Err(if rules.root.join(&from_root).exists() {
        Broken {
            message: format!(
                "link `{dest}` leads to `{from_root}`, which is outside the content folder {shown}: it is not part of the site"
            ),
            help: Some(format!(
                "move `{from_root}` into {shown}, or link to where it is published"
            )),
            fallback: None,
        }
    } else {
        Broken {
            message: format!("broken link: `{dest}` does not exist"),
            help: Some(format!(
                "there is no `{from_root}` in the handbook folder; link to a file of {shown}, relative to this page"
            )),
            fallback: None,
        }
    })
}

fn page_target(id: PageId, frag: Option<String>) -> Found {
    let check = frag.clone().map(|f| (id, f));
    (Resolved::Page { id, frag }, check)
}

/// Accepts links written against the output (`posture.html`, `../guide/`), or
/// against the old site's URLs: `guide/ecoute` for `guide/ecoute.html` or
/// `guide/ecoute/index.html`, names that the output slugs (`Mon Guide/Écoute`).
/// `out_dir` is the output folder links are relative to; `written` the link as
/// written (a trailing `/` names a folder).
fn by_output_path(content: &Content, out_dir: &str, link: &str, written: &str) -> Option<Target> {
    let resolved = urls::resolve(out_dir, link.trim_start_matches('/'))?;
    let with_prefix = |p: String| format!("{}{p}", content.prefix);
    let folder = |p: &str| {
        if p.is_empty() {
            "index.html".to_string()
        } else {
            format!("{p}/index.html")
        }
    };
    let mut candidates = Vec::with_capacity(4);
    if resolved.is_empty() || written.ends_with('/') {
        candidates.push(folder(&resolved));
    } else {
        candidates.push(resolved.clone());
        if !resolved.ends_with(".html") {
            candidates.push(format!("{resolved}.html"));
            candidates.push(folder(&resolved));
        }
        // The old site's names, slugged as the output's are.
        let slugged: Vec<String> = resolved
            .trim_end_matches(".html")
            .split('/')
            .map(
                |p| match crate::text::slugify(crate::text::split_numeric_prefix(p).1) {
                    s if s.is_empty() => p.to_string(),
                    s => s,
                },
            )
            .collect();
        let slugged = slugged.join("/");
        candidates.push(format!("{slugged}.html"));
        candidates.push(folder(&slugged));
    }
    candidates.iter().find_map(|c| {
        content.lookup_output(c).or_else(|| {
            // Site-root links of a second language are written from the site's root.
            (out_dir.is_empty() && !content.prefix.is_empty())
                .then(|| content.lookup_output(&with_prefix(c.clone())))
                .flatten()
        })
    })
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

/// The folder a link to a folder (`images/`) leads to, relative to the content
/// folder, as the link resolved it (`images`, `images/`, `images/_index.md`).
fn folder_link<'a>(dest: &str, resolved: &'a str) -> Option<&'a str> {
    let path = dest.split(['#', '?']).next().unwrap_or(dest);
    if !path.ends_with('/') {
        return None;
    }
    let dir = resolved.trim_end_matches('/');
    Some(
        dir.strip_suffix("/_index.md")
            .or_else(|| dir.strip_suffix("/index.md"))
            .unwrap_or(dir),
    )
}

/// The candidate a broken link most likely meant: the stem of its file name
/// close to the link's (a shared folder or extension alone is no likeness:
/// `_index.md` is not `03-confidentialite.md`, nor `charte.md` `fiche.md`), in
/// the link's folder first.
fn closest_file<'a>(resolved: &str, candidates: &[&'a str]) -> Option<&'a str> {
    fn split(p: &str) -> (&str, &str) {
        p.rsplit_once('/').unwrap_or(("", p))
    }
    fn stem(name: &str) -> &str {
        name.rsplit_once('.').map_or(name, |(s, _)| s)
    }
    let (dir, name) = split(resolved);
    let wanted = stem(name);
    let pick = |pool: Vec<&'a str>| -> Option<&'a str> {
        let stems: Vec<&str> = pool.iter().map(|c| stem(split(c).1)).collect();
        let s = crate::diagnostic::did_you_mean(wanted, &stems)?;
        let same: Vec<&str> = pool
            .iter()
            .copied()
            .filter(|c| stem(split(c).1) == s)
            .collect();
        crate::diagnostic::did_you_mean(resolved, &same).or(same.first().copied())
    };
    let in_dir: Vec<&str> = candidates
        .iter()
        .copied()
        .filter(|c| split(c).0 == dir)
        .collect();
    pick(in_dir).or_else(|| pick(candidates.to_vec()))
}

fn broken(
    content: &Content,
    page: &Page,
    resolved: &str,
    dest: &str,
    site_root: bool,
    rules: &Rules,
    suggest: bool,
) -> Broken {
    // A page that exists but could not be loaded: its own error says why.
    if content.failed.contains(resolved) {
        return Broken {
            message: String::new(),
            help: None,
            fallback: Some(Resolved::Keep),
        };
    }
    let folder = content.folder.trim_end_matches('/');
    let shown = if folder.is_empty() {
        "the handbook folder".to_string()
    } else {
        format!("`{folder}/`")
    };
    if content.drafts.contains(resolved) {
        return Broken {
            message: format!("link `{dest}` points to a draft page, which is not built"),
            help: Some("remove `draft: true` from that page, or build with `--drafts`".into()),
            fallback: None,
        };
    }
    // A page for a page, a file of the same kind for a file (never `_index.md`
    // for a missing image), and never the page itself.
    let page_like = resolved.ends_with(".md") || !resolved.contains('.');
    let ext = |p: &str| {
        p.rsplit_once('.')
            .filter(|(_, e)| !e.contains('/'))
            .map(|(_, e)| e.to_ascii_lowercase())
    };
    let wanted = ext(resolved);
    let candidates: Vec<&str> = if !suggest {
        Vec::new()
    } else if let Some(dir) = folder_link(dest, resolved) {
        // A folder: its page, else the first file in it.
        let inside = |r: &&str| r.strip_prefix(dir).is_some_and(|r| r.starts_with('/'));
        let mut within: Vec<&str> = content
            .pages
            .iter()
            .map(|p| p.rel.as_str())
            .filter(inside)
            .chain(content.assets.iter().map(|a| a.rel.as_str()).filter(inside))
            .collect();
        within.sort_by_key(|r| (!r.ends_with("/_index.md") && !r.ends_with("/index.md"), *r));
        within.truncate(1);
        within
    } else if page_like {
        content
            .pages
            .iter()
            .map(|p| p.rel.as_str())
            .filter(|r| !r.is_empty() && *r != page.rel.as_str())
            .collect()
    } else {
        content
            .assets
            .iter()
            .map(|a| a.rel.as_str())
            .filter(|r| ext(r) == wanted)
            .collect()
    };
    // Zola's `@/…` links are written from the content folder.
    let from_content = rules.content_root && dest.trim().starts_with("@/");
    let closest = if folder_link(dest, resolved).is_some() {
        candidates.first().copied()
    } else {
        closest_file(resolved, &candidates)
    };
    let help = closest
        .map(|c| {
            if from_content {
                format!("did you mean `@/{c}`?")
            } else {
                format!(
                    "did you mean `{}`?",
                    urls::decode(&urls::relative(&page.rel, c))
                )
            }
        })
        .or_else(|| {
            Some(if page_like && from_content {
                format!("write the path of a `.md` file of {shown} after `@/` (`@/guide/page.md`)")
            } else if page_like {
                format!("link to a `.md` file of {shown}, relative to this page")
            } else if site_root && let Some(dir) = content.statics.dirs.first() {
                // Site-root links lead into the static folders.
                format!(
                    "put the file at `{dir}/{resolved}` (a link from the site's root leads into `{dir}/`), or in {shown} beside the page, linked relatively"
                )
            } else {
                let at = if folder.is_empty() {
                    resolved.to_string()
                } else {
                    format!("{folder}/{resolved}")
                };
                format!(
                    "put the file at `{at}`, where the link leads (files of {shown} are copied with the site), or fix the link"
                )
            })
        });
    Broken {
        message: format!("broken link: `{dest}` does not exist"),
        help,
        fallback: None,
    }
}

/// The titles of the links of `doc` written as the title of what they lead to
/// (GitBook link cards, MyST references): the page's title, or, for a
/// fragment, the text of that heading. `docs` are every page's, by id.
pub fn titles(
    content: &Content,
    from: PageId,
    doc: &Doc,
    resolved: &[Resolved],
    docs: &[std::sync::Arc<Doc>],
) -> Vec<Option<String>> {
    if doc.links.iter().all(|l| l.text.is_none()) {
        return Vec::new();
    }
    let heading = |id: PageId, frag: &str| {
        docs.get(id)?
            .headings
            .iter()
            .find(|h| h.id == frag)
            .map(|h| h.text.clone())
    };
    doc.links
        .iter()
        .zip(resolved)
        .map(|(l, r)| {
            l.text.as_ref()?;
            match r {
                Resolved::Page { id, frag: None } => Some(content.pages.get(*id)?.title.clone()),
                Resolved::Page { id, frag: Some(f) } => heading(*id, f),
                Resolved::Fragment(f) => heading(from, f),
                _ => None,
            }
        })
        .collect()
}

/// With `links: warn`, a link whose fragment is missing in its page must not be
/// written as a broken link: it leads to the page itself (or, within the page,
/// is written without destination). The problem is still reported by [`check_anchors`].
pub fn drop_missing_fragments(links: &mut PageLinks, ids: &[&HashSet<String>]) {
    for a in &links.anchors {
        if ids.get(a.target).is_some_and(|t| t.contains(&a.fragment)) {
            continue;
        }
        if let Some(r) = links.resolved.get_mut(a.link) {
            *r = match r {
                Resolved::Page { id, .. } => Resolved::Page {
                    id: *id,
                    frag: None,
                },
                _ => Resolved::Missing,
            };
        }
    }
}

/// Checks every fragment link of page `from` against the ids of the page it points
/// at (`ids` is indexed by page id); pushes an error (a warning with `warn`,
/// `links: warn`) for each missing one.
pub fn check_anchors(
    content: &Content,
    from: PageId,
    anchors: &[AnchorCheck],
    ids: &[&HashSet<String>],
    warn: bool,
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
        let message = match &a.written {
            Some(w) => format!("broken anchor: no heading `{w}` in {where_}"),
            None => format!("broken anchor: `#{}` not found in {where_}", a.fragment),
        };
        let mut d = if warn {
            Diagnostic::warning(&page.source, a.line, a.col, message)
        } else {
            Diagnostic::error(&page.source, a.line, a.col, message)
        };
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

#[cfg(test)]
mod tests {

    #[test]
    fn a_broken_link_is_offered_a_file_whose_name_is_close() {
        let pages = [
            "01-demarrer/_index.md",
            "01-demarrer/02-confidentialite.md",
            "premiers-pas/charte.md",
            "guide/ecoute.md",
        ];
        assert_eq!(
            closest_file("01-demarrer/03-confidentialite.md", &pages),
            Some("01-demarrer/02-confidentialite.md")
        );
        assert_eq!(
            closest_file("accompagner/fiche.md", &pages),
            None,
            "not charte.md"
        );
        assert_eq!(
            closest_file("01-demarrer/index.md", &pages),
            Some("01-demarrer/_index.md")
        );
        assert_eq!(
            closest_file("guide/ecoutee.md", &pages),
            Some("guide/ecoute.md")
        );
    }

    use super::*;

    /// Resolves `dests`, written in `content/guide/ecoute.md` of a Zola handbook
    /// (`imported_from: zola` when `zola`).
    fn resolve_in_zola(zola: bool, dests: &[&str]) -> (Content, PageLinks) {
        let dir = tempfile::tempdir().expect("tmp");
        let root = dir.path().canonicalize().expect("root");
        for (rel, text) in [
            ("content/_index.md", "+++\ntitle = \"Accueil\"\n+++\n"),
            ("content/guide/_index.md", "+++\ntitle = \"Guide\"\n+++\n"),
            ("content/guide/ecoute.md", "# Écoute\n"),
            ("content/posture/cadre.md", "# Cadre\n"),
        ] {
            let path = root.join(rel);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(path, text).expect("write");
        }
        let from = if zola { "imported_from: zola\n" } else { "" };
        let config =
            crate::config::Config::parse(&root, &format!("title: T\n{from}")).expect("config");
        let mut diags = Vec::new();
        let content = crate::content::load(
            &config,
            crate::content::LoadOptions {
                drafts: false,
                store: None,
            },
            &mut diags,
        );
        let page = content
            .pages
            .iter()
            .find(|p| p.rel == "guide/ecoute.md")
            .expect("page");
        let doc = Doc {
            links: dests
                .iter()
                .enumerate()
                .map(|(i, d)| RawLink {
                    dest: (*d).to_string(),
                    line: i + 1,
                    col: 1,
                    image: false,
                    text: None,
                    wiki: false,
                    embed: false,
                })
                .collect(),
            ..Doc::default()
        };
        let links = resolve_page(&content, page, &doc, &Rules::of(&config));
        (content, links)
    }

    #[test]
    fn zola_links_lead_from_the_content_folder() {
        let (content, links) = resolve_in_zola(
            true,
            &[
                "@/posture/cadre.md",
                "@/posture/cadre.md#le-cadre",
                "@/guide/_index.md",
                "@/_index.md",
                "@/posture/cadr.md",
                "@/../config.toml",
            ],
        );
        let id = |rel: &str| content.lookup(rel);
        let page = |r: &Resolved| match r {
            Resolved::Page { id, frag } => Some((*id, frag.clone())),
            _ => None,
        };
        let Some(Target::Page(cadre)) = id("posture/cadre.md") else {
            panic!("no cadre page")
        };
        assert_eq!(page(&links.resolved[0]), Some((cadre, None)));
        assert_eq!(
            page(&links.resolved[1]),
            Some((cadre, Some("le-cadre".into())))
        );
        assert_eq!(links.anchors.len(), 1, "the anchor is checked");
        assert!(page(&links.resolved[2]).is_some(), "a section's _index.md");
        assert_eq!(
            page(&links.resolved[3]).map(|p| p.0),
            Some(0),
            "the home page"
        );
        assert_eq!(links.resolved[4], Resolved::Missing);
        assert_eq!(links.resolved[5], Resolved::Missing);
        let broken = &links.diagnostics[0];
        assert_eq!(broken.line(), 5);
        assert_eq!(
            broken.message,
            "broken link: `@/posture/cadr.md` does not exist"
        );
        assert_eq!(
            broken.help.as_deref(),
            Some("did you mean `@/posture/cadre.md`?")
        );
        assert_eq!(links.diagnostics.len(), 2);
    }

    #[test]
    fn at_links_are_zola_s_only() {
        let (_, links) = resolve_in_zola(false, &["@/posture/cadre.md"]);
        assert_eq!(links.resolved, [Resolved::Missing]);
    }
}

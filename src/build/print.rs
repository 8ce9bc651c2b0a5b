//! Print pages: `print.html` (the whole handbook), one `print.html` per section,
//! `worksheets/print.html` (every worksheet, each on its own sheet), and the
//! worksheet index `worksheets/index.html`.
//!
//! Pages are rendered again in print mode, so links between pages of the same
//! print file become in-page anchors and every id is prefixed by its page's anchor.

use std::collections::HashSet;

use rayon::prelude::*;
use serde::Serialize;

use crate::content::{Audience, Content, Node, PageId, SectionId};
use crate::diagnostic::Diagnostic;
use crate::markdown::{self, Hooks, LinkMode, page_anchor};
use crate::render::context::{PageView, audience_name};
use crate::render::{SiteContext, Theme};

/// Above this many pages the whole-handbook print page is not built (it would be too big
/// for a browser to print); section and worksheet print pages still are.
pub const HANDBOOK_LIMIT: usize = 2000;

/// Output path of the handbook print page.
pub const HANDBOOK: &str = "print.html";
/// Output path of the worksheet index.
pub const WORKSHEETS_INDEX: &str = "worksheets/index.html";
/// Output path of the print page holding every worksheet.
pub const WORKSHEETS_PRINT: &str = "worksheets/print.html";

/// Which print page is being made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrintKind {
    /// Every page of the handbook.
    Handbook,
    /// One section and what it contains.
    Section(SectionId),
    /// Every worksheet.
    Worksheets,
    /// The handbook for one audience: pages and `only` blocks for others left out.
    Edition(Audience),
    /// What a pair needs on the day of one session: agenda, worksheet, notes log.
    Kit(u32),
}

/// Whether a page is for `audience` (pages for everyone or without audience are).
pub fn page_for(page: &crate::content::Page, audience: Audience) -> bool {
    page.fm
        .audience
        .is_none_or(|a| a == Audience::All || a == audience)
}

/// Whether a page's body has `only` blocks (so an edition must render it on its own).
pub fn has_only_blocks(body: &str) -> bool {
    body.contains(":::only") || body.contains("```only") || body.contains("~~~only")
}

/// The audiences that get their own edition: those used by some page or `only` block.
pub fn editions(content: &Content) -> Vec<Audience> {
    let used = |a: Audience| {
        content.pages.iter().any(|p| {
            p.fm.audience == Some(a)
                || (has_only_blocks(&p.body) && p.body.contains(&format!("only {}", a.name())))
        })
    };
    let mut v: Vec<Audience> = [Audience::Mentor, Audience::Mentee, Audience::Lead]
        .into_iter()
        .filter(|a| used(*a))
        .collect();
    if !v.is_empty() {
        // Every edition exists once any does: a reader picks theirs from the same menu.
        v = vec![Audience::Mentor, Audience::Mentee, Audience::Lead];
    }
    v
}

/// One page inside a print file, for the `print.html` template.
#[derive(Debug, Serialize)]
pub struct PrintEntry<'a> {
    /// The page (same fields as `page` in page templates).
    pub page: PageView<'a>,
    /// Id of the page's wrapper, the target of links to it.
    pub anchor: String,
    /// Chapter number such as `2.3` (empty for worksheets prints and the home page).
    pub number: String,
    /// Depth in the handbook (1 for a top-level section or page).
    pub depth: usize,
    /// The page starts a chapter (a new sheet of paper).
    pub chapter: bool,
    /// The page's HTML, in print mode.
    pub content: String,
}

/// Numbers every page by its place in the tree: `1`, `1.2`, `1.2.1`…
pub fn numbers(content: &Content) -> Vec<String> {
    let mut out = vec![String::new(); content.pages.len()];
    fn walk(content: &Content, sid: SectionId, prefix: &str, out: &mut Vec<String>) {
        for (i, node) in content.sections[sid].children.iter().enumerate() {
            let n = if prefix.is_empty() {
                format!("{}", i + 1)
            } else {
                format!("{prefix}.{}", i + 1)
            };
            match *node {
                Node::Page(p) => out[p] = n,
                Node::Section(s) => {
                    out[content.sections[s].index] = n.clone();
                    walk(content, s, &n, out);
                }
            }
        }
    }
    walk(content, 0, "", &mut out);
    out
}

/// The pages of a print file, in reading order.
pub fn members(content: &Content, kind: PrintKind) -> Vec<PageId> {
    match kind {
        PrintKind::Handbook => content.order.clone(),
        PrintKind::Worksheets => content.worksheets().map(|p| p.id).collect(),
        PrintKind::Section(sid) => {
            let mut v = Vec::new();
            fn walk(content: &Content, sid: SectionId, v: &mut Vec<PageId>) {
                v.push(content.sections[sid].index);
                for n in &content.sections[sid].children {
                    match *n {
                        Node::Page(p) => v.push(p),
                        Node::Section(s) => walk(content, s, v),
                    }
                }
            }
            walk(content, sid, &mut v);
            v
        }
        PrintKind::Edition(a) => content
            .order
            .iter()
            .copied()
            .filter(|&p| page_for(&content.pages[p], a))
            .collect(),
        PrintKind::Kit(n) => content
            .worksheets()
            .filter(|p| p.fm.session == Some(n))
            .map(|p| p.id)
            .collect(),
    }
}

/// Output path of a print file.
pub fn out_path(content: &Content, kind: PrintKind) -> String {
    match kind {
        PrintKind::Handbook => format!("{}{HANDBOOK}", content.prefix),
        PrintKind::Worksheets => format!("{}{WORKSHEETS_PRINT}", content.prefix),
        PrintKind::Section(sid) => format!("{}/print.html", content.sections[sid].out_dir),
        PrintKind::Edition(a) => format!("{}editions/{}/print.html", content.prefix, a.name()),
        PrintKind::Kit(n) => format!("{}kits/session-{n}.html", content.prefix),
    }
}

/// Everything a print page needs from the build.
pub struct PrintInputs<'a> {
    /// The loaded content.
    pub content: &'a Content,
    /// The theme.
    pub theme: &'a Theme,
    /// Shared template values.
    pub site: &'a SiteContext,
    /// Markdown options.
    pub opts: &'a markdown::Options,
    /// Theme hooks for worksheet blocks and strings.
    pub hooks: &'a dyn Hooks,
    /// Page numbers from [`numbers`].
    pub numbers: &'a [String],
    /// The site language.
    pub lang: &'a str,
    /// The handbook title (cover of the handbook print page).
    pub site_title: &'a str,
    /// The programme, for session kits' dates.
    pub programme: Option<&'a crate::programme::Programme>,
}

impl PrintInputs<'_> {
    /// The `kit` template value of session `n`: date, agenda, worksheet titles.
    fn kit(&self, n: u32, ids: &[PageId]) -> serde_json::Value {
        let t = |k: &str| self.theme.strings.get(k);
        let date = self
            .programme
            .and_then(|p| {
                p.dates()
                    .get(usize::try_from(n).ok()?.checked_sub(1)?)
                    .copied()
            })
            .map(|d| crate::programme::format_date(d, &t("weekdays"), &t("months")));
        let objectives: Vec<&String> = ids
            .iter()
            .flat_map(|&i| &self.content.pages[i].fm.objectives)
            .collect();
        let duration = ids
            .iter()
            .find_map(|&i| self.content.pages[i].fm.duration.clone());
        let agenda: Vec<String> = t("kit_agenda")
            .split('|')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
        serde_json::json!({
            "session": n,
            "date": date,
            "duration": duration,
            "objectives": objectives,
            "agenda": agenda,
            "has_worksheet": !ids.is_empty(),
        })
    }
}

/// The print-mode HTML of the pages `which` of the print file `kind`, whose
/// members are `members` (from [`members`]). Split from [`assemble`] so that
/// `serve` can render again only the pages that changed.
pub fn members_html(
    inp: &PrintInputs<'_>,
    kind: PrintKind,
    members: &[PageId],
    which: &[PageId],
    cache: &PrintCache,
) -> Vec<String> {
    let content = inp.content;
    let out = out_path(content, kind);
    let included: HashSet<PageId> = members.iter().copied().collect();
    let anchors: HashSet<String> = members
        .iter()
        .map(|&m| page_anchor(&content.pages[m]))
        .collect();
    let is_in = |p: PageId| included.contains(&p);
    let mode = LinkMode::Print {
        out: &out,
        included: &is_in,
    };
    let all = |_| true;
    let handbook = format!("{}{HANDBOOK}", content.prefix);
    let everything = LinkMode::Print {
        out: &handbook,
        included: &all,
    };
    let edition_opts = match kind {
        PrintKind::Edition(a) => Some(markdown::Options {
            edition: Some(a),
            ..*inp.opts
        }),
        _ => None,
    };
    which
        .par_iter()
        .map(|&id| {
            let page = &content.pages[id];
            if let Some(opts) = &edition_opts
                && has_only_blocks(&page.body)
            {
                return markdown::render(content, page, opts, inp.hooks, mode).html;
            }
            let shared = cache.get(id, || {
                markdown::render(content, page, inp.opts, inp.hooks, everything)
            });
            // The page's print HTML is the same in every print file holding every page it links
            // to, as long as it has no URL relative to the print file's folder.
            if let Some(c) = shared
                && (kind == PrintKind::Handbook
                    || (!c.relative_urls && c.anchors.iter().all(|a| anchors.contains(a))))
            {
                return c.html.clone();
            }
            markdown::render(content, page, inp.opts, inp.hooks, mode).html
        })
        .collect()
}

/// A page rendered for print with every page of its language included.
#[derive(Debug)]
pub struct SharedPrint {
    html: String,
    anchors: Vec<String>,
    relative_urls: bool,
}

/// Each page's print HTML with every page included, made once and shared by the print
/// files that can use it (see [`members_html`]).
#[derive(Debug, Default)]
pub struct PrintCache(Vec<std::sync::OnceLock<SharedPrint>>);

impl PrintCache {
    /// An empty cache for `pages` pages.
    pub fn new(pages: usize) -> Self {
        Self((0..pages).map(|_| std::sync::OnceLock::new()).collect())
    }

    fn get(&self, id: PageId, make: impl FnOnce() -> markdown::Rendered) -> Option<&SharedPrint> {
        let slot = self.0.get(id)?;
        Some(slot.get_or_init(|| {
            let r = make();
            SharedPrint {
                html: r.html,
                anchors: r.print_anchors,
                relative_urls: r.relative_urls,
            }
        }))
    }

    /// Forgets the pages `ids` (their body changed).
    pub fn forget(&mut self, ids: &[PageId]) {
        for &id in ids {
            if let Some(slot) = self.0.get_mut(id) {
                slot.take();
            }
        }
    }
}

/// Puts the print-mode HTML of every member (`htmls`, in the order of `ids`)
/// through the `print.html` template.
pub fn assemble(
    inp: &PrintInputs<'_>,
    kind: PrintKind,
    ids: &[PageId],
    htmls: &[String],
) -> Result<(String, String), Diagnostic> {
    let content = inp.content;
    let out = out_path(content, kind);
    let worksheets_only = matches!(kind, PrintKind::Worksheets | PrintKind::Kit(_));
    let entries: Vec<PrintEntry<'_>> = ids
        .iter()
        .zip(htmls)
        .map(|(&id, html)| {
            let page = &content.pages[id];
            let depth = content.sections[page.section].depth + usize::from(!page.is_index);
            PrintEntry {
                page: PageView::new(content, page),
                anchor: page_anchor(page),
                number: if worksheets_only {
                    String::new()
                } else {
                    inp.numbers[id].clone()
                },
                depth,
                chapter: worksheets_only
                    || page.is_worksheet()
                    || (page.is_index && page.section != 0),
                content: html.clone(),
            }
        })
        .collect();
    let (title, heading) = match kind {
        PrintKind::Handbook => (
            inp.theme.strings.get("print_handbook"),
            inp.site_title.to_string(),
        ),
        PrintKind::Worksheets => (
            inp.theme.strings.get("print_worksheets"),
            inp.theme.strings.get("worksheets"),
        ),
        PrintKind::Section(sid) => {
            let t = content.pages[content.sections[sid].index].title.clone();
            (t.clone(), t)
        }
        PrintKind::Edition(a) => {
            let t = format!(
                "{} — {}",
                inp.site_title,
                inp.theme.strings.get(&format!("edition_{}", a.name()))
            );
            (t.clone(), t)
        }
        PrintKind::Kit(n) => {
            let t = format!("{} {n}", inp.theme.strings.get("kit_title"));
            (t.clone(), t)
        }
    };
    let mut ctx = inp
        .site
        .special_context(inp.theme, &out, &title, inp.lang)?;
    ctx.insert("entries", &entries);
    let (kind_name, audience, session) = match kind {
        PrintKind::Handbook => ("handbook", None, None),
        PrintKind::Section(_) => ("section", None, None),
        PrintKind::Worksheets => ("worksheets", None, None),
        PrintKind::Edition(a) => ("edition", Some(a.name()), None),
        PrintKind::Kit(n) => ("kit", None, Some(n)),
    };
    ctx.insert(
        "print",
        &serde_json::json!({ "kind": kind_name, "title": heading, "audience": audience, "session": session }),
    );
    if let PrintKind::Kit(n) = kind {
        ctx.insert("kit", &inp.kit(n, ids));
        return inp.theme.render("kit.html", &ctx).map(|html| (out, html));
    }
    inp.theme.render("print.html", &ctx).map(|html| (out, html))
}

/// One worksheet in the index.
#[derive(Debug, Serialize)]
struct WorksheetItem<'a> {
    title: &'a str,
    url: &'a str,
    description: Option<&'a str>,
    session: Option<u32>,
    duration: Option<&'a str>,
    audience: Option<&'static str>,
}

/// A group of the worksheet index: one per session, then one per audience.
#[derive(Debug, Serialize)]
struct WorksheetGroup<'a> {
    /// `session` or `audience`.
    kind: &'static str,
    /// Session number or audience name.
    key: String,
    items: Vec<WorksheetItem<'a>>,
}

/// Renders `worksheets/index.html`.
pub fn worksheet_index(inp: &PrintInputs<'_>) -> Result<(String, String), Diagnostic> {
    let content = inp.content;
    let index_out = format!("{}{WORKSHEETS_INDEX}", content.prefix);
    let mut sessions: std::collections::BTreeMap<u32, Vec<WorksheetItem<'_>>> = Default::default();
    let mut audiences: std::collections::BTreeMap<u8, (&'static str, Vec<WorksheetItem<'_>>)> =
        Default::default();
    for p in content.worksheets() {
        let item = WorksheetItem {
            title: &p.title,
            url: &p.out,
            description: p.fm.description.as_deref(),
            session: p.fm.session,
            duration: p.fm.duration.as_deref(),
            audience: p.fm.audience.map(audience_name),
        };
        match p.fm.session {
            Some(s) => sessions.entry(s).or_default().push(item),
            None => {
                let a = p.fm.audience.unwrap_or(crate::content::Audience::All);
                let rank = match a {
                    crate::content::Audience::Mentee => 0,
                    crate::content::Audience::Mentor => 1,
                    crate::content::Audience::All => 2,
                    crate::content::Audience::Lead => 3,
                };
                audiences
                    .entry(rank)
                    .or_insert((audience_name(a), Vec::new()))
                    .1
                    .push(item);
            }
        }
    }
    let mut groups: Vec<WorksheetGroup<'_>> = sessions
        .into_iter()
        .map(|(s, items)| WorksheetGroup {
            kind: "session",
            key: s.to_string(),
            items,
        })
        .collect();
    groups.extend(audiences.into_values().map(|(a, items)| WorksheetGroup {
        kind: "audience",
        key: a.to_string(),
        items,
    }));
    let title = inp.theme.strings.get("worksheets_all");
    let mut ctx = inp
        .site
        .special_context(inp.theme, &index_out, &title, inp.lang)?;
    ctx.insert("groups", &groups);
    ctx.insert("count", &content.worksheets().count());
    inp.theme
        .render("worksheets.html", &ctx)
        .map(|html| (index_out, html))
}

/// Every print kind this content gets: the handbook, each section, the worksheets.
pub fn kinds(content: &Content, programme: Option<&crate::programme::Programme>) -> Vec<PrintKind> {
    let mut v = Vec::new();
    if content.pages.len() <= HANDBOOK_LIMIT {
        v.push(PrintKind::Handbook);
        v.extend(editions(content).into_iter().map(PrintKind::Edition));
    }
    if let Some(p) = programme {
        v.extend((1..=p.sessions).map(PrintKind::Kit));
    }
    v.extend((1..content.sections.len()).map(PrintKind::Section));
    if content.worksheets().next().is_some() {
        v.push(PrintKind::Worksheets);
    }
    v
}

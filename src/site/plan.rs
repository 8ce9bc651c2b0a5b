//! The site plan: every file the output will hold, and what produces it,
//! computed once per build from the loaded languages.
//!
//! Generated files are planned first (print pages, the worksheet index, kits,
//! editions, the timeline and calendar, search indexes, `404.html`, the sitemap,
//! the theme's static files); then the handbook's own pages and files. A page or
//! file whose output path is already planned is an error at that file, naming
//! the path and how to rename it. The plan also decides, per language, the
//! programme name and which generated pages exist ([`Generated`]).

use std::collections::BTreeMap;

use crate::config::Config;
use crate::content::{Audience, Content, Node, PageId, SectionId};
use crate::diagnostic::Diagnostic;
use crate::paths::{OutPath, SourcePath};
use crate::render::{Generated, Theme};
use crate::site::layout;
use crate::site::load::Lang;

/// Which print page a print file is.
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

/// One print file: what it is, and its pages in reading order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintFile {
    /// Its output path.
    pub path: OutPath,
    /// What it is.
    pub kind: PrintKind,
    /// Its pages, in order.
    pub members: Vec<PageId>,
}

/// What produces one output file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Job {
    /// A page of language `lang`.
    Page {
        /// The language's index.
        lang: usize,
        /// The page.
        id: PageId,
    },
    /// Print file number `index` of language `lang`.
    Print {
        /// The language's index.
        lang: usize,
        /// Index in [`Plan::prints`]`[lang]`.
        index: usize,
    },
    /// The worksheet index of a language.
    WorksheetIndex(usize),
    /// The programme timeline of a language.
    Timeline(usize),
    /// The programme calendar of a language.
    Calendar(usize),
    /// Part `part` of the search index of language `lang` (see [`crate::search::part_file`]).
    Search {
        /// Index in [`Plan`]'s languages.
        lang: usize,
        /// Which part.
        part: usize,
        /// How many parts the index has.
        parts: usize,
    },
    /// The navigation script of a language (`nav.js`: the whole tree).
    Nav(usize),
    /// The full contents page of a language (`contents.html`).
    Contents(usize),
    /// The page for missing paths of a language (`404.html`, `en/404.html`).
    NotFound(usize),
    /// The sitemap.
    Sitemap,
    /// A static file of the theme, by its output path.
    Static,
    /// A file of `content/` copied as it is (asset `index` of language `lang`).
    Asset {
        /// The language's index.
        lang: usize,
        /// Index in the language's assets.
        index: usize,
    },
    /// The single-file handbook of a language (made once every other file is).
    SingleFile(usize),
    /// A page that leads to the page at `to` (a page under `<default>/` to the
    /// default language's, a deep section's print page to its enclosing one's).
    Redirect {
        /// The page it leads to.
        to: OutPath,
        /// The place in that page (`#…` without the `#`), or empty.
        fragment: String,
    },
}

impl Job {
    /// The language a job belongs to, if any.
    pub fn lang(&self) -> Option<usize> {
        match self {
            Job::Page { lang, .. }
            | Job::Print { lang, .. }
            | Job::Asset { lang, .. }
            | Job::Search { lang, .. } => Some(*lang),
            Job::WorksheetIndex(l)
            | Job::Timeline(l)
            | Job::Calendar(l)
            | Job::Nav(l)
            | Job::Contents(l)
            | Job::SingleFile(l)
            | Job::NotFound(l) => Some(*l),
            _ => None,
        }
    }
}

/// Every output file and what produces it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Plan {
    /// Output path → job, sorted by path.
    pub jobs: BTreeMap<OutPath, Job>,
    /// Print files per language.
    pub prints: Vec<Vec<PrintFile>>,
    /// What each language gets, for templates.
    pub generated: Vec<Generated>,
}

/// What first claimed an output path, to word collision errors.
enum Claim {
    Generated,
    /// A file of the site's `static/` (its path from the root), else of the theme (`None`).
    Static(Option<String>),
    Source(SourcePath),
}

impl Plan {
    /// Plans the output of `langs`; collisions are pushed to `diags`.
    pub fn make(
        config: &Config,
        theme: &Theme,
        langs: &[Lang],
        diags: &mut Vec<Diagnostic>,
    ) -> Plan {
        let mut plan = Plan::default();
        let mut claims: BTreeMap<OutPath, Claim> = BTreeMap::new();
        let claim = |plan: &mut Plan,
                     claims: &mut BTreeMap<OutPath, Claim>,
                     path: OutPath,
                     job: Job,
                     by: Claim| {
            claims.insert(path.clone(), by);
            plan.jobs.insert(path, job);
        };
        for (li, lang) in langs.iter().enumerate() {
            let c = &lang.content;
            let generated = generated(config, lang);
            let prints = if generated.print {
                print_files(c, lang, config)
            } else {
                Vec::new()
            };
            if generated.print {
                for (path, to, fragment) in deep_section_prints(c) {
                    claim(
                        &mut plan,
                        &mut claims,
                        path,
                        Job::Redirect { to, fragment },
                        Claim::Generated,
                    );
                }
            }
            for (index, pf) in prints.iter().enumerate() {
                claim(
                    &mut plan,
                    &mut claims,
                    pf.path.clone(),
                    Job::Print { lang: li, index },
                    Claim::Generated,
                );
            }
            if generated.worksheets {
                let p = layout::at(&c.prefix, layout::WORKSHEETS_INDEX);
                claim(
                    &mut plan,
                    &mut claims,
                    p,
                    Job::WorksheetIndex(li),
                    Claim::Generated,
                );
            }
            if generated.timeline {
                let p = layout::at(&c.prefix, layout::TIMELINE);
                claim(
                    &mut plan,
                    &mut claims,
                    p,
                    Job::Timeline(li),
                    Claim::Generated,
                );
                if config.programme.as_ref().is_some_and(|p| p.start.is_some()) {
                    let p = layout::at(&c.prefix, layout::CALENDAR);
                    claim(
                        &mut plan,
                        &mut claims,
                        p,
                        Job::Calendar(li),
                        Claim::Generated,
                    );
                }
            }
            if config.single_file {
                let p = layout::at(&c.prefix, layout::SINGLE_FILE);
                claim(
                    &mut plan,
                    &mut claims,
                    p,
                    Job::SingleFile(li),
                    Claim::Generated,
                );
            }
            if config.search {
                let parts = crate::search::parts(c, &lang.docs);
                for part in 0..parts {
                    let p = layout::at(&c.prefix, &crate::search::part_file(part));
                    let job = Job::Search {
                        lang: li,
                        part,
                        parts,
                    };
                    claim(&mut plan, &mut claims, p, job, Claim::Generated);
                }
            }
            let p = layout::at(&c.prefix, layout::NAV_SCRIPT);
            claim(&mut plan, &mut claims, p, Job::Nav(li), Claim::Generated);
            let p = layout::at(&c.prefix, layout::CONTENTS);
            claim(
                &mut plan,
                &mut claims,
                p,
                Job::Contents(li),
                Claim::Generated,
            );
            plan.prints.push(prints);
            plan.generated.push(generated);
        }
        if config.base_url.is_some() {
            claim(
                &mut plan,
                &mut claims,
                OutPath::from(layout::SITEMAP),
                Job::Sitemap,
                Claim::Generated,
            );
        }
        for (path, source) in &theme.statics {
            let out = OutPath::from(path.as_str());
            // A file of `static/` replaces a theme's file, never a generated one.
            if let Some(Claim::Generated) = claims.get(&out) {
                diags.push(static_collision(config, source, &out));
                continue;
            }
            // A file of one of the site's static folders (`static/`, or those
            // `static:` names), else of a theme.
            let site_file = match source {
                crate::render::StaticSource::Disk(p)
                    if config
                        .sources
                        .statics
                        .iter()
                        .any(|(dir, _)| p.starts_with(dir)) =>
                {
                    p.strip_prefix(&config.root)
                        .ok()
                        .map(|r| r.to_string_lossy().replace('\\', "/"))
                }
                _ => None,
            };
            claim(
                &mut plan,
                &mut claims,
                out,
                Job::Static,
                Claim::Static(site_file),
            );
        }
        let others: Vec<String> = config
            .language_codes()
            .iter()
            .map(|c| format!("{c}/"))
            .collect();
        for (li, lang) in langs.iter().enumerate() {
            let c = &lang.content;
            for p in &c.pages {
                if li == 0
                    && config.is_multilingual()
                    && let Some(folder) = others.iter().find(|o| p.out.starts_with(o.as_str()))
                {
                    diags.push(
                        Diagnostic::error(
                            &p.source,
                            0,
                            0,
                            format!(
                                "this page would be written to `{}`, inside `{folder}`, the folder of a language of the handbook",
                                p.out
                            ),
                        )
                        .with_help(format!(
                            "rename its folder in `content/`: `{folder}` is reserved for the `{}` pages",
                            folder.trim_end_matches('/')
                        )),
                    );
                    continue;
                }
                match claims.get(&p.out) {
                    None => {
                        let job = Job::Page { lang: li, id: p.id };
                        claim(
                            &mut plan,
                            &mut claims,
                            p.out.clone(),
                            job,
                            Claim::Source(p.source.clone()),
                        );
                    }
                    Some(by) => diags.push(collision(&p.source, &p.out, by, p.is_index, &c.folder)),
                }
            }
            for (index, a) in c.assets.iter().enumerate() {
                let source = a.source.clone();
                match claims.get(&a.out) {
                    None => {
                        let job = Job::Asset { lang: li, index };
                        claim(
                            &mut plan,
                            &mut claims,
                            a.out.clone(),
                            job,
                            Claim::Source(source),
                        );
                    }
                    // Every language sees the same files: each is copied once.
                    Some(Claim::Source(s)) if *s == source => {}
                    Some(by) => diags.push(collision(&source, &a.out, by, false, &c.folder)),
                }
            }
        }
        // A page of the handbook may be a language's 404 page; else the theme's is used.
        if theme.has_template("404.html") {
            for (li, lang) in langs.iter().enumerate() {
                let p = layout::at(&lang.content.prefix, layout::NOT_FOUND);
                plan.jobs.entry(p).or_insert(Job::NotFound(li));
            }
        }
        if config.is_multilingual() {
            redirects(&mut plan, config, &others);
        }
        plan
    }

    /// The print file of language `lang` at `index`.
    pub fn print(&self, lang: usize, index: usize) -> Option<&PrintFile> {
        self.prints.get(lang)?.get(index)
    }
}

/// The error for a page or file whose output path `out` is already claimed.
/// `content` is the content folder as sources are named (`content/`).
fn collision(source: &str, out: &str, by: &Claim, is_index: bool, content: &str) -> Diagnostic {
    let folder = source
        .strip_prefix(content)
        .and_then(|inner| inner.rsplit_once('/'))
        .map(|(d, _)| format!("{content}{d}"));
    let rename = match (is_index, folder) {
        (true, Some(dir)) => format!(
            "rename the folder `{dir}/` (its output folder comes from its name without the number)"
        ),
        _ => "rename the file, or give the page a different `slug:`".to_string(),
    };
    match by {
        Claim::Generated => Diagnostic::error(
            source,
            0,
            0,
            format!(
                "this would be written to `{out}`, which mentorbook generates ({})",
                layout::describe_generated(out)
            ),
        )
        .with_help(format!(
            "{rename}; generated names are listed in the README (Output)"
        )),
        Claim::Static(Some(file)) => Diagnostic::error(
            source,
            0,
            0,
            format!("this would be written to `{out}`, where the site's file `{file}` goes"),
        )
        .with_help(format!("{rename}, or rename or move `{file}`")),
        Claim::Static(None) => Diagnostic::error(
            source,
            0,
            0,
            format!("this would be written to `{out}`, a file of the theme"),
        )
        .with_help(format!(
            "{rename}, or put a file of that name in the site's static folder to replace the theme's"
        )),
        Claim::Source(first) => Diagnostic::error(
            source,
            0,
            0,
            format!("`{first}` and `{source}` both produce `{out}`"),
        )
        .with_help("rename one of them, or give the page a different `slug:`"),
    }
}

/// The error for a static file (of the site's `static/` folder, or of a theme)
/// whose output path `out` is a file mentorbook generates.
fn static_collision(
    config: &Config,
    source: &crate::render::StaticSource,
    out: &OutPath,
) -> Diagnostic {
    let shown = match source {
        crate::render::StaticSource::Disk(p) => p
            .strip_prefix(&config.root)
            .unwrap_or(p)
            .to_string_lossy()
            .replace('\\', "/"),
        crate::render::StaticSource::Embedded(_) => format!("(built-in theme) {out}"),
    };
    Diagnostic::error(
        shown,
        0,
        0,
        format!(
            "this file would replace `{out}`, which mentorbook generates ({})",
            layout::describe_generated(out)
        ),
    )
    .with_help(
        "rename or move the file: files of `static/` may replace the theme's files, not generated ones (listed in the README, Output)",
    )
}

/// Makes `<default>/…` lead to the default language at the root: every page of
/// the root gets a small page under `<default>/` that redirects to it.
fn redirects(plan: &mut Plan, config: &Config, others: &[String]) {
    let pages: Vec<OutPath> = plan
        .jobs
        .iter()
        .filter(|(p, _)| {
            p.ends_with(".html")
                && p.as_str() != layout::NOT_FOUND
                && !others.iter().any(|o| p.starts_with(o.as_str()))
        })
        .map(|(p, _)| p.clone())
        .collect();
    for to in pages {
        plan.jobs
            .entry(OutPath::from(format!("{}/{to}", config.lang)))
            .or_insert(Job::Redirect {
                to,
                fragment: String::new(),
            });
    }
}

/// What the plan generates for a language, and its programme name.
fn generated(config: &Config, lang: &Lang) -> Generated {
    let c = &lang.content;
    let print = config.print;
    let small = c.pages.len() <= layout::HANDBOOK_LIMIT;
    Generated {
        programme: config.programme_name(&c.lang),
        print,
        print_handbook: print && small,
        worksheets: print && c.worksheets().next().is_some(),
        timeline: print && config.programme.is_some(),
        editions: if print && small {
            editions(lang).into_iter().map(Audience::name).collect()
        } else {
            Vec::new()
        },
    }
}

/// The audiences that get their own edition: every one as soon as some page or
/// `only` block is for one (a reader picks theirs from the same menu).
pub fn editions(lang: &Lang) -> Vec<Audience> {
    let all = [Audience::Mentor, Audience::Mentee, Audience::Lead];
    let used = lang.content.pages.iter().any(|p| {
        p.fm.audience.is_some_and(|a| a != Audience::All)
            || lang.docs.get(p.id).is_some_and(|d| !d.audiences.is_empty())
    });
    if used { all.to_vec() } else { Vec::new() }
}

/// Every print file of a language: the handbook and its editions, the session
/// kits, the worksheets, each section.
fn print_files(c: &Content, lang: &Lang, config: &Config) -> Vec<PrintFile> {
    let mut v = Vec::new();
    let mut add = |kind: PrintKind| {
        let members = members(c, kind);
        v.push(PrintFile {
            path: path_of(c, kind),
            kind,
            members,
        });
    };
    if c.pages.len() <= layout::HANDBOOK_LIMIT {
        add(PrintKind::Handbook);
        for a in editions(lang) {
            add(PrintKind::Edition(a));
        }
    }
    if let Some(p) = &config.programme {
        for n in 1..=p.sessions {
            add(PrintKind::Kit(n));
        }
    }
    if c.worksheets().next().is_some() {
        add(PrintKind::Worksheets);
    }
    // Last: a section's print page never takes the place of a file named above.
    for sid in 1..c.sections.len() {
        if c.sections[sid].depth <= layout::SECTION_PRINT_DEPTH {
            add(PrintKind::Section(sid));
        }
    }
    v
}

/// The print pages of sections deeper than [`layout::SECTION_PRINT_DEPTH`]:
/// (its path, the print page of its enclosing section at that depth, the
/// section's anchor there).
fn deep_section_prints(c: &Content) -> Vec<(OutPath, OutPath, String)> {
    let mut v = Vec::new();
    for (sid, s) in c.sections.iter().enumerate().skip(1) {
        if s.depth <= layout::SECTION_PRINT_DEPTH {
            continue;
        }
        let mut up = sid;
        while c.sections[up].depth > layout::SECTION_PRINT_DEPTH {
            match c.sections[up].parent {
                Some(p) => up = p,
                None => break,
            }
        }
        v.push((
            path_of(c, PrintKind::Section(sid)),
            path_of(c, PrintKind::Section(up)),
            layout::page_anchor(s.index),
        ));
    }
    v
}

/// Output path of a print file.
pub fn path_of(c: &Content, kind: PrintKind) -> OutPath {
    match kind {
        PrintKind::Handbook => layout::at(&c.prefix, layout::HANDBOOK),
        PrintKind::Worksheets => layout::at(&c.prefix, layout::WORKSHEETS_PRINT),
        PrintKind::Section(sid) => layout::section_print(&c.sections[sid].out_dir),
        PrintKind::Edition(a) => layout::edition(&c.prefix, a),
        PrintKind::Kit(n) => layout::kit(&c.prefix, n),
    }
}

/// Whether a page is for `audience` (pages for everyone or without audience are).
pub fn page_for(page: &crate::content::Page, audience: Audience) -> bool {
    page.fm
        .audience
        .is_none_or(|a| a == Audience::All || a == audience)
}

/// The pages of a print file, in reading order.
pub fn members(c: &Content, kind: PrintKind) -> Vec<PageId> {
    match kind {
        PrintKind::Handbook => c.order.clone(),
        PrintKind::Worksheets => c.worksheets().map(|p| p.id).collect(),
        PrintKind::Section(sid) => {
            let mut v = Vec::new();
            let mut stack = vec![Node::Section(sid)];
            while let Some(n) = stack.pop() {
                match n {
                    Node::Page(p) => v.push(p),
                    Node::Section(s) => {
                        v.push(c.sections[s].index);
                        stack.extend(c.sections[s].children.iter().rev().copied());
                    }
                }
            }
            v
        }
        PrintKind::Edition(a) => {
            let kept = edition_sections(c, a);
            c.order
                .iter()
                .copied()
                .filter(|&p| {
                    let page = &c.pages[p];
                    page_for(page, a)
                        && (!page.is_index
                            || page.section == 0
                            || page.fm.audience == Some(a)
                            || kept[page.section])
                })
                .collect()
        }
        PrintKind::Kit(n) => c
            .worksheets()
            .filter(|p| p.fm.session == Some(n))
            .map(|p| p.id)
            .collect(),
    }
}

/// Which sections hold a page for audience `a` (at any depth, their own page
/// aside), by section id: an edition leaves out the others, whose page would
/// only list what the edition does not have.
fn edition_sections(c: &Content, a: Audience) -> Vec<bool> {
    let mut kept = vec![false; c.sections.len()];
    // Each page marks its sections upwards, stopping at one already marked.
    for page in &c.pages {
        if page.is_index || !page_for(page, a) {
            continue;
        }
        let mut s = Some(page.section);
        while let Some(sid) = s {
            if kept[sid] {
                break;
            }
            kept[sid] = true;
            s = c.sections[sid].parent;
        }
    }
    kept
}

/// Numbers every page by its place in the tree: `1`, `1.2`, `1.2.1`…
pub fn numbers(c: &Content) -> Vec<String> {
    numbers_of(c, &|_| true)
}

/// Numbers the pages that `keep` keeps by their place in the tree of those
/// pages (an edition numbers its chapters 1, 2, 3 whatever the handbook has
/// around them); the others get no number.
pub fn numbers_of(c: &Content, keep: &dyn Fn(PageId) -> bool) -> Vec<String> {
    let mut out = vec![String::new(); c.pages.len()];
    let mut stack: Vec<(SectionId, String)> = vec![(0, String::new())];
    while let Some((sid, prefix)) = stack.pop() {
        let kept = c.sections[sid].children.iter().filter(|node| match **node {
            Node::Page(p) => keep(p),
            Node::Section(s) => keep(c.sections[s].index),
        });
        for (i, node) in kept.enumerate() {
            let n = if prefix.is_empty() {
                format!("{}", i + 1)
            } else {
                format!("{prefix}.{}", i + 1)
            };
            match *node {
                Node::Page(p) => out[p] = n,
                Node::Section(s) => {
                    out[c.sections[s].index] = n.clone();
                    stack.push((s, n));
                }
            }
        }
    }
    out
}

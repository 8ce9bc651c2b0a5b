//! Print pages: `print.html` (the whole handbook), one `print.html` per section,
//! `worksheets/print.html`, the audience editions, the session kits, and the
//! worksheet index `worksheets/index.html`.
//!
//! No Markdown is rendered here: each member page's [`Doc`]
//! is serialised for the print file ([`serialise::Print`]), so links between
//! pages of the same print file become in-page anchors and every id is prefixed
//! by its page's anchor; an edition drops the blocks of other audiences.
//!
//! A page's print HTML does not go through the template engine: the template
//! gets a short placeholder as `entry.content`, and each placeholder of the
//! rendered template is replaced by the page serialised straight into the
//! output. Templates print it with `{{ entry.content | safe }}`.
//!
//! `serve` keeps each print file with where each member's HTML lies in it
//! ([`PrintCache`]); after an edit to some pages' bodies, a print file whose
//! template output is unchanged copies the HTML of its unchanged members from
//! the last version instead of serialising them again.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use serde::Serialize;

use crate::content::{Audience, PageId};
use crate::diagnostic::Diagnostic;
use crate::markdown::{Audiences, Doc};
use crate::render::context::{PageView, audience_name};
use crate::site::Part;
use crate::site::layout;
use crate::site::links::Resolved;
use crate::site::output::OutFile;
use crate::site::pageref::{self, PageRefs, RefText};
use crate::site::plan::{PrintFile, PrintKind};
use crate::site::serialise;

/// One page inside a print file, for the `print.html` template (`entries`):
/// `page` (the same fields as `page` in page templates), `anchor` (the id of
/// the page's wrapper, the target of links to it), `number` (a chapter number
/// such as `2.3`, empty for worksheets prints and the home page), `depth` (1
/// for a top-level section or page), `chapter` (the page starts a new sheet of
/// paper), `content` (the page's HTML serialised for this print file; a
/// placeholder while the template runs) and `page_ref` (an empty slot for the
/// page on which it starts, which `pdf` fills: see [`crate::site::pageref`]).
fn entry(
    page: tera::Value,
    anchor: &str,
    number: &str,
    depth: usize,
    chapter: bool,
    n: usize,
) -> tera::Value {
    let mut m: HashMap<&'static str, tera::Value> = HashMap::with_capacity(7);
    m.insert("page", page);
    m.insert("anchor", anchor.into());
    m.insert("number", number.into());
    m.insert("depth", depth.into());
    m.insert("chapter", chapter.into());
    m.insert("content", placeholder(n).into());
    m.insert("page_ref", pageref::slot(anchor).into());
    m.into()
}

/// Marks where entry `n`'s HTML goes in the rendered template (the Markdown
/// stage never outputs U+0000: the parser replaces it).
fn placeholder(n: usize) -> String {
    format!("\u{0}{n}\u{0}")
}

/// The template value (`entry.page`) of each page of every language, made once
/// per write and shared by the print files the page appears in (up to six in
/// a handbook: the whole handbook, its section, three editions, a kit). Kept
/// only for languages small enough to have a whole-handbook print file
/// ([`layout::HANDBOOK_LIMIT`] pages); in a bigger one a page sits in few print
/// files, and its value is made for each.
#[derive(Debug, Default)]
pub struct Views(Vec<Vec<OnceLock<tera::Value>>>);

impl Views {
    /// Room for the pages of each language of `site` that gets a whole-handbook print.
    pub fn for_site(site: &crate::site::Site) -> Views {
        Views(
            site.langs
                .iter()
                .map(|l| {
                    let n = l.content.pages.len();
                    let keep = n <= layout::HANDBOOK_LIMIT;
                    (0..if keep { n } else { 0 })
                        .map(|_| OnceLock::new())
                        .collect()
                })
                .collect(),
        )
    }

    /// Page `id`'s value in language `lang`, made now or taken from an earlier print file.
    fn get(&self, lang: usize, id: PageId, make: impl FnOnce() -> tera::Value) -> tera::Value {
        match self.0.get(lang).and_then(|l| l.get(id)) {
            Some(cell) => cell.get_or_init(make).clone(),
            None => make(),
        }
    }
}

/// The print files of the last build, kept by `serve` (see the module's
/// documentation), by output path.
#[derive(Debug, Default)]
pub struct PrintCache {
    files: Mutex<HashMap<String, Printed>>,
    /// Nothing the templates see changed since the last build (only pages'
    /// bodies did): each file's template output is the last one.
    same_templates: AtomicBool,
}

/// One print file as last produced.
#[derive(Debug)]
struct Printed {
    /// The template's output, placeholders in.
    rendered: Arc<str>,
    /// The print anchors of every page of the language (links between members use them).
    anchors: Vec<String>,
    /// Each placeholder replaced, in order.
    members: Vec<Member>,
    /// The file produced, in pieces: the template's text before each member,
    /// the member's HTML, and the text after the last one.
    pieces: Vec<Arc<str>>,
}

/// What one member's HTML inside a [`Printed`] file was made from (its HTML
/// is the file's piece [`m_piece`]).
#[derive(Debug, Default)]
struct Member {
    id: PageId,
    doc: Arc<Doc>,
    resolved: Vec<Resolved>,
    titles: Vec<Option<String>>,
}

impl PrintCache {
    /// Says whether what the print templates see (every page but its body, the
    /// site's values) is the same as at the last build, so that the template
    /// output of each file is reused instead of being rendered again.
    pub fn set_same_templates(&self, same: bool) {
        self.same_templates.store(same, Ordering::Relaxed);
    }

    /// The last template output of `path`, when the templates' inputs are unchanged.
    fn rendered_again(&self, path: &str) -> Option<Arc<str>> {
        if !self.same_templates.load(Ordering::Relaxed) {
            return None;
        }
        let files = self.files.lock().unwrap_or_else(|p| p.into_inner());
        files.get(path).map(|p| p.rendered.clone())
    }

    fn take(&self, path: &str) -> Option<Printed> {
        self.files
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(path)
    }

    fn put(&self, path: &str, printed: Printed) {
        self.files
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(path.to_string(), printed);
    }
}

/// Writes `rendered` into a new string, each placeholder replaced by member
/// `members[n]` of print file `pf` serialised for it. With a `cache` (`serve`),
/// the file is made of pieces (the template's text between members, and each
/// member's HTML): a member whose parsed body and links are those of the last
/// version of the same file (rendered from the same template output) shares
/// its piece with it instead of being serialised, or copied, again.
fn splice(
    part: &Part<'_>,
    pf: &PrintFile,
    rendered: &Arc<str>,
    cache: Option<&PrintCache>,
) -> Result<OutFile, Diagnostic> {
    let lang = part.lang;
    let edition = match pf.kind {
        PrintKind::Edition(a) => Some(Audiences::named(a.name())),
        _ => None,
    };
    let mut last = cache
        .and_then(|c| c.take(&pf.path))
        .filter(|l| l.rendered == *rendered && l.anchors == part.anchors);
    let included: HashSet<PageId> = pf.members.iter().copied().collect();
    let is_in = |p: PageId| included.contains(&p);
    let refs = page_refs(&lang.ui);
    let mut out = if cache.is_some() {
        String::new()
    } else {
        // Print ids and in-file anchors make a member longer than its web
        // body (by 10–20 % in the sample): room for that, so that a file of
        // hundreds of kilobytes is not copied into a buffer twice its size
        // when the estimate falls short.
        let size: usize = pf.members.iter().map(|&id| lang.docs[id].len_hint()).sum();
        String::with_capacity(rendered.len() + size + size / 3)
    };
    let mut members = Vec::new();
    let mut pieces: Vec<Arc<str>> = Vec::new();
    let mut rest: &str = rendered;
    while let Some(start) = rest.find('\u{0}') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let member = after
            .find('\u{0}')
            .and_then(|end| Some((end, after[..end].parse::<usize>().ok()?)))
            .and_then(|(end, n)| Some((end, *pf.members.get(n)?)));
        let Some((end, id)) = member else {
            // Not one of ours: keep the character as the template wrote it.
            out.push('\u{0}');
            rest = after;
            continue;
        };
        let page = &lang.content.pages[id];
        let links = &lang.links[id];
        let doc = &lang.docs[id];
        if cache.is_some() {
            // The template's text before this member: the last one's, when the
            // template output is the same.
            let k = pieces.len();
            match last.as_ref().and_then(|l| l.pieces.get(k)) {
                Some(p) if **p == *out => pieces.push(p.clone()),
                _ => pieces.push(Arc::from(out.as_str())),
            }
            out.clear();
        }
        let same = last.as_mut().and_then(|l| {
            let m = l.members.get_mut(members.len())?;
            (m.id == id
                && Arc::ptr_eq(&m.doc, doc)
                && m.resolved == links.resolved
                && m.titles == links.titles)
                .then(|| {
                    Some((
                        std::mem::take(m),
                        l.pieces.get(m_piece(members.len()))?.clone(),
                    ))
                })
                .flatten()
        });
        let member = if let Some((m, html)) = same {
            pieces.push(html);
            Some(m)
        } else {
            let depth = lang.content.sections[page.section].depth + usize::from(!page.is_index);
            let w = serialise::Print {
                content: &lang.content,
                page,
                anchors: part.anchors,
                resolved: &links.resolved,
                titles: &links.titles,
                file: &pf.path,
                included: &is_in,
                edition,
                outline_level: u8::try_from(depth).ok().filter(|d| *d > 1),
                refs: Some(&refs),
            };
            doc.write_with(Some(part.bodies), &w, &mut out)
                .map_err(|e| unreadable(&pf.path, page, &e))?;
            if cache.is_some() {
                pieces.push(Arc::from(std::mem::take(&mut out)));
                Some(Member {
                    id,
                    doc: doc.clone(),
                    resolved: links.resolved.clone(),
                    titles: links.titles.clone(),
                })
            } else {
                None
            }
        };
        members.extend(member);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    let Some(c) = cache else {
        return Ok(OutFile::Bytes(out.into_bytes()));
    };
    let k = pieces.len();
    match last.as_ref().and_then(|l| l.pieces.get(k)) {
        Some(p) if **p == *out => pieces.push(p.clone()),
        _ => pieces.push(Arc::from(out)),
    }
    c.put(
        &pf.path,
        Printed {
            rendered: rendered.clone(),
            anchors: part.anchors.to_vec(),
            members,
            pieces: pieces.clone(),
        },
    );
    Ok(match <[Arc<str>; 1]>::try_from(pieces) {
        Ok([one]) => OutFile::Shared(Arc::<[u8]>::from(one)),
        Err(pieces) => OutFile::Pieces(pieces.into()),
    })
}

/// Where member `n`'s HTML is among a cached file's pieces (each member after
/// the template's text before it).
fn m_piece(n: usize) -> usize {
    2 * n + 1
}

/// The error of a page's parsed body that could not be read back from the spill file.
pub(crate) fn unreadable(
    path: &str,
    page: &crate::content::Page,
    e: &std::io::Error,
) -> Diagnostic {
    read_back_failed(path, &format!("the parsed body of `{}`", page.source), e)
}

/// The error of `what` (kept in the store's spill file) that could not be read
/// back while making `path`.
pub(crate) fn read_back_failed(path: &str, what: &str, e: &std::io::Error) -> Diagnostic {
    Diagnostic::error(
        path,
        0,
        0,
        format!("cannot read back {what} from the temporary file: {e}"),
    )
    .with_help("check the free space and health of the temporary folder (TMPDIR), then build again")
}

/// The localised texts of page references (`print_page_ref`, `print_see_page_ref`).
fn page_refs(ui: &crate::render::Ui) -> PageRefs {
    PageRefs {
        plain: RefText::new(&ui.get("print_page_ref")),
        see: RefText::new(&ui.get("print_see_page_ref")),
    }
}

/// Renders a print file through the `print.html` template (`kit.html` for
/// kits): owned bytes, or with a `cache` pieces shared with it.
pub fn render(
    part: &Part<'_>,
    pf: &PrintFile,
    views: &Views,
    cache: Option<&PrintCache>,
) -> Result<OutFile, Diagnostic> {
    if part.keep
        && let Some(rendered) = cache.and_then(|c| c.rendered_again(&pf.path))
    {
        return splice(part, pf, &rendered, cache);
    }
    let lang = part.lang;
    let content = &lang.content;
    let ui = &lang.ui;
    let worksheets_only = matches!(pf.kind, PrintKind::Worksheets | PrintKind::Kit(_));
    // An edition numbers its own chapters (the handbook's numbers would skip
    // those of other audiences).
    let edition_numbers = matches!(pf.kind, PrintKind::Edition(_)).then(|| {
        let mut member = vec![false; content.pages.len()];
        for &id in &pf.members {
            if let Some(m) = member.get_mut(id) {
                *m = true;
            }
        }
        crate::site::plan::numbers_of(content, &|id| member.get(id).copied().unwrap_or(false))
    });
    let numbers = edition_numbers.as_deref().unwrap_or(part.numbers);
    let entries: Vec<tera::Value> = pf
        .members
        .iter()
        .enumerate()
        .map(|(n, &id)| {
            let page = &content.pages[id];
            let depth = content.sections[page.section].depth + usize::from(!page.is_index);
            let number = if worksheets_only {
                ""
            } else {
                numbers[id].as_str()
            };
            // A section, a worksheet and a page at the top of `content/` (a
            // chapter of its own, numbered like a section) start a new sheet.
            let chapter = worksheets_only
                || page.is_worksheet()
                || (page.is_index && page.section != 0)
                || (!page.is_index && page.section == 0);
            entry(
                views.get(part.index, id, || {
                    tera::Value::from_serializable(&PageView::new(content, page))
                }),
                &part.anchors[id],
                number,
                depth,
                chapter,
                n,
            )
        })
        .collect();
    let site_title = &lang.config.title;
    let (title, heading) = match pf.kind {
        PrintKind::Handbook => (ui.get("print_handbook"), site_title.clone()),
        PrintKind::Worksheets => (ui.get("print_worksheets"), ui.get("worksheets")),
        PrintKind::Section(sid) => {
            let t = content.pages[content.sections[sid].index].title.clone();
            (t.clone(), t)
        }
        PrintKind::Edition(a) => {
            let t = format!(
                "{site_title} — {}",
                ui.get(&format!("edition_{}", a.name()))
            );
            (t.clone(), t)
        }
        PrintKind::Kit(n) => {
            let t = format!("{} {n}", ui.get("kit_title"));
            (t.clone(), t)
        }
    };
    // A section's print page has the section's own sidebar.
    let sid = match pf.kind {
        PrintKind::Section(s) => s,
        _ => 0,
    };
    let mut ctx =
        part.site
            .special_context_in(part.theme, &pf.path, &title, &lang.config.lang, sid)?;
    ctx.insert_value("entries", entries.into());
    let (kind_name, audience, session) = match pf.kind {
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
    let template = match pf.kind {
        PrintKind::Kit(n) => {
            ctx.insert("kit", &kit(part, n, &pf.members));
            "kit.html"
        }
        _ => "print.html",
    };
    let rendered = part.theme.render_or_run(template, &ctx, part.keep)?;
    if part.keep {
        splice(part, pf, &Arc::from(rendered), cache)
    } else {
        Ok(OutFile::Bytes(rendered.into_bytes()))
    }
}

/// The `kit` template value of session `n`: date, agenda, worksheet titles.
fn kit(part: &Part<'_>, n: u32, ids: &[PageId]) -> serde_json::Value {
    let content = &part.lang.content;
    let ui = &part.lang.ui.strings;
    let date = part
        .config
        .programme
        .as_ref()
        .and_then(|p| {
            p.dates()
                .get(usize::try_from(n).ok()?.checked_sub(1)?)
                .copied()
        })
        .map(|d| crate::config::programme::format_date(d, ui.list("weekdays"), ui.list("months")));
    let objectives: Vec<&String> = ids
        .iter()
        .flat_map(|&i| &content.pages[i].fm.objectives)
        .collect();
    let duration = ids
        .iter()
        .find_map(|&i| content.pages[i].fm.duration.clone());
    let agenda = ui.list("kit_agenda");
    serde_json::json!({
        "session": n,
        "date": date,
        "duration": duration,
        "objectives": objectives,
        "agenda": agenda,
        "timings": timings(part, n, ids),
        "has_worksheet": !ids.is_empty(),
    })
}

/// One step of a session's agenda in its kit, with when it starts and ends.
#[derive(Debug, Serialize)]
struct TimingView {
    /// The duration as written (`10 min`), or empty.
    time: String,
    /// Start and end from the session's start (`0:10`), when every step before
    /// this one and this one have durations.
    start: Option<String>,
    end: Option<String>,
    /// What happens.
    step: String,
}

/// The steps of session `n` as its page gives them (`agenda:` in the front
/// matter of its worksheet, else of another page with `session: n`).
fn timings(part: &Part<'_>, n: u32, ids: &[PageId]) -> Vec<TimingView> {
    let content = &part.lang.content;
    let page = ids
        .iter()
        .map(|&i| &content.pages[i])
        .chain(content.pages.iter().filter(|p| p.fm.session == Some(n)))
        .find(|p| !p.fm.agenda.is_empty());
    let Some(page) = page else {
        return Vec::new();
    };
    // Times into the session as durations are written: `1 h 10` in French
    // (no-break spaces), `1:10` otherwise.
    let french = part.lang.config.typography == crate::config::Typography::Fr;
    let clock = |m: u32| {
        if french {
            format!("{}\u{a0}h\u{a0}{:02}", m / 60, m % 60)
        } else {
            format!("{}:{:02}", m / 60, m % 60)
        }
    };
    let mut at = Some(0u32);
    page.fm
        .agenda
        .iter()
        .map(|item| {
            let step = item.step();
            let start = at;
            at = at.zip(step.minutes).map(|(a, m)| a.saturating_add(m));
            TimingView {
                time: step.time.unwrap_or_default(),
                start: start.filter(|_| step.minutes.is_some()).map(clock),
                end: at.map(clock),
                step: part.display(&step.step),
            }
        })
        .collect()
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

/// A group of the worksheet index: the session sheets (in session order), then
/// the other sheets by audience.
#[derive(Debug, Serialize)]
struct WorksheetGroup<'a> {
    /// `sessions` or `audience`.
    kind: &'static str,
    /// `sessions`, or the audience's name.
    key: String,
    items: Vec<WorksheetItem<'a>>,
}

/// Renders `worksheets/index.html`.
pub fn worksheet_index(part: &Part<'_>) -> Result<String, Diagnostic> {
    let content = &part.lang.content;
    let index_out = layout::at(&content.prefix, layout::WORKSHEETS_INDEX);
    let mut sessions: BTreeMap<u32, Vec<WorksheetItem<'_>>> = BTreeMap::new();
    let mut audiences: BTreeMap<u8, (&'static str, Vec<WorksheetItem<'_>>)> = BTreeMap::new();
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
                let a = p.fm.audience.unwrap_or(Audience::All);
                let rank = match a {
                    Audience::Mentee => 0,
                    Audience::Mentor => 1,
                    Audience::All => 2,
                    Audience::Lead => 3,
                };
                audiences
                    .entry(rank)
                    .or_insert((audience_name(a), Vec::new()))
                    .1
                    .push(item);
            }
        }
    }
    let mut groups: Vec<WorksheetGroup<'_>> = Vec::new();
    if !sessions.is_empty() {
        groups.push(WorksheetGroup {
            kind: "sessions",
            key: "sessions".into(),
            items: sessions.into_values().flatten().collect(),
        });
    }
    groups.extend(audiences.into_values().map(|(a, items)| WorksheetGroup {
        kind: "audience",
        key: a.to_string(),
        items,
    }));
    let title = part.lang.ui.get("worksheets_all");
    let mut ctx =
        part.site
            .special_context(part.theme, &index_out, &title, &part.lang.config.lang)?;
    ctx.insert("groups", &groups);
    ctx.insert("count", &content.worksheets().count());
    part.theme.render_or_run("worksheets.html", &ctx, part.keep)
}

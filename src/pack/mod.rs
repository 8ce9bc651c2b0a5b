//! `mentorbook pack --pairs pairs.csv`: a pack for each mentoring pair, in a
//! folder and a zip: a cover with both names, the agreement and every session
//! sheet with the pair's names and session dates written in (and every other
//! field still fillable), and a calendar of the pair's sessions.
//!
//! Steps: read the pairs ([`pairs`]; any problem stops here, before anything is
//! built or written); build the site and print, in one Chromium, each sheet
//! once per language the pairs use (fillable) and each pair's cover
//! (`pack-cover.html` of the theme); then, for each pair, write the names and
//! dates into copies of its language's PDFs ([`crate::pdf::fill_fields`]),
//! make its calendar, and write its folder and zip. Nothing is written until
//! every pack is made.

pub mod pairs;

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use chrono::NaiveDate;
use serde::Serialize;

use crate::config::programme::{Programme, format_date};
use crate::config::{CONFIG_FILE, Config};
use crate::content::{Content, Page, Target};
use crate::diagnostic::Diagnostic;
use crate::error::{Error, Result};
use crate::pdf::{PrintedSheet, Sheet};
use crate::site::Site;
use crate::site::programme::{CalendarEvent, absolute, bullets, ics};
use crate::site::publish::zip::{self, Entry};
use pairs::Pair;

/// Options of `mentorbook pack`.
#[derive(Debug, Clone, Default)]
pub struct PackOptions {
    /// The pairs' CSV file.
    pub pairs: PathBuf,
    /// How to name it in messages (as given on the command line).
    pub shown: String,
    /// Where the packs go (default `packs/` in the handbook root).
    pub out: Option<PathBuf>,
    /// Include drafts.
    pub drafts: bool,
}

/// What `pack` wrote.
#[derive(Debug, Default)]
pub struct PackReport {
    /// The folder of the packs.
    pub out: PathBuf,
    /// Each pair's folder and zip, in the order of the file.
    pub packs: Vec<(PathBuf, PathBuf)>,
    /// The build's warnings.
    pub warnings: Vec<Diagnostic>,
}

/// One sheet of a language's packs.
#[derive(Debug, Clone)]
struct SheetPlan {
    /// Its file name in a pack (`seance-3.pdf`).
    file: String,
    title: String,
    session: Option<u32>,
    objectives: Vec<String>,
    description: Option<String>,
    /// The sheet on the web, with `base_url`.
    url: Option<String>,
    /// Its index among the printed files.
    printed: usize,
}

/// What is known of one pair once the site is loaded.
#[derive(Debug, Clone)]
struct PairPlan {
    /// Index of its language in `Plan::langs`.
    lang: usize,
    dates: Vec<NaiveDate>,
    /// Index of its cover among the printed files.
    cover: usize,
}

/// One language the pairs use.
#[derive(Debug, Clone)]
struct LangPlan {
    /// The agreement first (when there is one), then the sessions' sheets.
    sheets: Vec<SheetPlan>,
    /// Texts of the language.
    programme: String,
    session_word: String,
    colon: String,
    prepare: String,
    worksheet_word: String,
    weekdays: Vec<String>,
    months: Vec<String>,
    numeric_date: String,
    cover_file: String,
    calendar_file: String,
}

#[derive(Debug, Clone, Default)]
struct Plan {
    langs: Vec<LangPlan>,
    pairs: Vec<PairPlan>,
}

/// Makes a pack for every pair of `opts.pairs`.
pub fn run(config: &Config, opts: &PackOptions) -> Result<PackReport> {
    let programme = config.programme.as_ref().ok_or_else(|| {
        Error::Config(vec![
            Diagnostic::error(
                CONFIG_FILE,
                0,
                0,
                "`pack` needs a `programme:` in mentorbook.yaml",
            )
            .with_help(
                "add `programme:` with its `sessions:`, `rhythm:` and `start:` (see the README)",
            ),
        ])
    })?;
    let bytes = std::fs::read(&opts.pairs).map_err(|e| Error::io("cannot read", &opts.pairs, e))?;
    let text = String::from_utf8(bytes).map_err(|_| {
        Error::Content(vec![
            Diagnostic::error(&opts.shown, 0, 0, "this file is not UTF-8 text")
                .with_help("save it as \"CSV UTF-8\" from your spreadsheet"),
        ])
    })?;
    let pairs = pairs::read(&opts.shown, &text, config).map_err(Error::Content)?;
    let out = opts
        .out
        .clone()
        .unwrap_or_else(|| config.root.join("packs"));
    let plan = Mutex::new(Plan::default());
    let pick = |site: &Site| -> Result<Vec<Sheet>> {
        let (p, sheets) = plan_site(site, programme, &pairs)?;
        *plan
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = p;
        Ok(sheets)
    };
    let (printed, warnings) = crate::pdf::print_sheets(config, opts.drafts, &pick)?;
    let plan = plan
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let mut made = Vec::with_capacity(pairs.len());
    let mut taken = std::collections::HashSet::new();
    for (pair, pp) in pairs.iter().zip(&plan.pairs) {
        let base = format!(
            "{}-{}",
            crate::text::slugify(&pair.mentor),
            crate::text::slugify(&pair.mentee)
        );
        let base = if base == "-" {
            format!("pair-{}", pair.line)
        } else {
            base
        };
        let mut name = base.clone();
        let mut k = 2;
        while !taken.insert(name.clone()) {
            name = format!("{base}-{k}");
            k += 1;
        }
        made.push((
            name,
            pack_files(pair, pp, &plan.langs[pp.lang], &printed, config, programme)?,
        ));
    }
    // Everything is made: now write.
    crate::fs::create_dir_all(&out)?;
    let mut report = PackReport {
        out: out.clone(),
        packs: Vec::new(),
        warnings,
    };
    for (name, files) in made {
        let dir = out.join(&name);
        if dir.is_dir() {
            std::fs::remove_dir_all(&dir).map_err(|e| Error::io("cannot replace", &dir, e))?;
        }
        crate::fs::create_dir_all(&dir)?;
        for (file, bytes) in &files {
            crate::fs::write(&dir.join(file), bytes)?;
        }
        let entries: Vec<(String, Entry)> = files
            .into_iter()
            .map(|(f, b)| (format!("{name}/{f}"), Entry::Bytes(b)))
            .collect();
        let dest = out.join(format!("{name}.zip"));
        let none = |p: &str| -> Result<Vec<u8>> { Err(Error::Usage(format!("no file `{p}`"))) };
        zip::write(&entries, &none, &dest)?;
        report.packs.push((dir, dest));
    }
    Ok(report)
}

/// What the loaded site gives the packs: each language's sheets, each pair's
/// dates and cover, and the files to print (sheets of each language, then covers).
fn plan_site(site: &Site, programme: &Programme, pairs: &[Pair]) -> Result<(Plan, Vec<Sheet>)> {
    let mut plan = Plan::default();
    let mut sheets = Vec::new();
    let mut lang_of: Vec<(usize, usize)> = Vec::new(); // (site language, plan language)
    for pair in pairs {
        let Some(li) = site.langs.iter().position(|l| l.content.lang == pair.lang) else {
            return Err(Error::Usage(format!("no language `{}`", pair.lang)));
        };
        if lang_of.iter().any(|(l, _)| *l == li) {
            continue;
        }
        let lang = &site.langs[li];
        let content = &lang.content;
        let mut pages: Vec<&Page> = agreement(site, li, programme).into_iter().collect();
        let mut sessions: Vec<&Page> = content
            .worksheets()
            .filter(|p| {
                p.fm.session
                    .is_some_and(|s| (1..=programme.sessions).contains(&s))
            })
            .collect();
        sessions.sort_by_key(|p| p.fm.session);
        pages.extend(sessions);
        if pages.is_empty() {
            return Err(Error::Content(vec![
                Diagnostic::error(CONFIG_FILE, 0, 0, format!(
                    "no sheet to put in the packs of `{}`: no worksheet has a `session:`, and there is no agreement",
                    pair.lang
                ))
                .with_help("give the session sheets `session: N` in their front matter, or name the agreement with `programme.agreement`"),
            ]));
        }
        let ui = &lang.ui;
        let default_lang = content.lang == site.config.lang;
        let mut files = std::collections::HashSet::new();
        let mut planned = Vec::new();
        for p in pages {
            let stem = sheet_stem(p, default_lang, &ui.get("session"));
            let mut file = format!("{stem}.pdf");
            let mut k = 2;
            while !files.insert(file.clone()) {
                file = format!("{stem}-{k}.pdf");
                k += 1;
            }
            planned.push(SheetPlan {
                file,
                title: p.title.clone(),
                session: p.fm.session,
                objectives: p.fm.objectives.clone(),
                description: p.fm.description.clone(),
                url: absolute(site.config.base_url.as_deref(), &p.out),
                printed: sheets.len(),
            });
            sheets.push(Sheet {
                html: p.out.clone(),
                write: None,
                fill: true,
            });
        }
        let programme_name = site
            .part(li, true)
            .map(|p| p.generated.programme.clone())
            .unwrap_or_default();
        lang_of.push((li, plan.langs.len()));
        plan.langs.push(LangPlan {
            sheets: planned,
            programme: programme_name,
            session_word: ui.get("session"),
            colon: ui.get("colon"),
            prepare: ui.get("pack_prepare"),
            worksheet_word: ui.get("worksheet"),
            weekdays: ui.strings.list("weekdays").to_vec(),
            months: ui.strings.list("months").to_vec(),
            numeric_date: ui.get("date_numeric"),
            cover_file: file_stem(&ui.get("pack_cover_file"), "cover"),
            calendar_file: file_stem(&ui.get("pack_calendar_file"), "sessions"),
        });
    }
    for (k, pair) in pairs.iter().enumerate() {
        let Some(&(li, pl)) = lang_of
            .iter()
            .find(|(l, _)| site.langs[*l].content.lang == pair.lang)
        else {
            continue;
        };
        let dates = match pair.first {
            Some(d) => programme.dates_from(d),
            None => programme.dates(),
        };
        let lp = &plan.langs[pl];
        let html = cover(site, li, pair, lp, &dates, k)?;
        let prefix = &site.langs[li].content.prefix;
        plan.pairs.push(PairPlan {
            lang: pl,
            dates,
            cover: sheets.len(),
        });
        sheets.push(Sheet {
            html: prefix.join(&format!("pack-cover-{}.html", k + 1)),
            write: Some(html),
            fill: false,
        });
    }
    Ok((plan, sheets))
}

/// A file name from a UI text (`couverture`), or `fallback`.
/// The file name (without `.pdf`) of sheet `p` in a pack: its page's output
/// name; but in a language other than the default one, whose pages share their
/// twins' file names (`02-charte.en.md`), the sheet's own words unless the page
/// sets its `slug:` — `session-3` for a session sheet (`session` the language's
/// word), else its title's slug (`mentoring-agreement`), at most 60 bytes.
fn sheet_stem(p: &Page, default_lang: bool, session: &str) -> String {
    let own = p.out.form_name();
    if default_lang || p.fm.slug.is_some() {
        return own;
    }
    let words = match p.fm.session {
        Some(n) => crate::text::slugify(&format!("{session} {n}")),
        None => crate::text::slugify(&p.title),
    };
    let mut cut = words.as_str();
    if cut.len() > 60 {
        cut = &cut[..60];
        if let Some(dash) = cut.rfind('-') {
            cut = &cut[..dash];
        }
    }
    if cut.is_empty() { own } else { cut.to_string() }
}

fn file_stem(text: &str, fallback: &str) -> String {
    let s = crate::text::slugify(text);
    if s.is_empty() { fallback.into() } else { s }
}

/// The agreement of language `li`: `programme.agreement`, else the worksheets
/// without a session, not for leads, that have a `signature` block.
fn agreement<'s>(site: &'s Site, li: usize, programme: &Programme) -> Vec<&'s Page> {
    let lang = &site.langs[li];
    let content: &Content = &lang.content;
    if let Some(rel) = &programme.agreement {
        let rel = rel.trim_start_matches("./");
        let rel = rel.strip_prefix(content.folder.as_str()).unwrap_or(rel);
        return match content.lookup(rel) {
            Some(Target::Page(id)) => vec![&content.pages[id]],
            _ => Vec::new(),
        };
    }
    content
        .worksheets()
        .filter(|p| p.fm.session.is_none() && p.fm.audience != Some(crate::content::Audience::Lead))
        .filter(|p| {
            lang.docs[p.id]
                .marks
                .iter()
                .any(|m| m.what.starts_with("the `signature` block"))
        })
        .collect()
}

/// The cover's template value: the pair, its sessions and the pack's files.
#[derive(Debug, Serialize)]
struct CoverView<'a> {
    programme: &'a str,
    mentor: &'a str,
    mentee: &'a str,
    email: Option<&'a str>,
    sessions: Vec<CoverSession<'a>>,
    agreement: Option<CoverSession<'a>>,
    calendar: String,
}

#[derive(Debug, Serialize)]
struct CoverSession<'a> {
    n: Option<u32>,
    date: Option<String>,
    title: &'a str,
    file: &'a str,
}

/// The HTML of pair number `k`'s cover (`pack-cover.html`), for language `li`.
fn cover(
    site: &Site,
    li: usize,
    pair: &Pair,
    lp: &LangPlan,
    dates: &[NaiveDate],
    k: usize,
) -> Result<String> {
    let part = site
        .part(li, true)
        .ok_or_else(|| Error::Usage("internal error: a language is missing".into()))?;
    let long = |d: NaiveDate| format_date(d, &lp.weekdays, &lp.months);
    let view = CoverView {
        programme: &lp.programme,
        mentor: &pair.mentor,
        mentee: &pair.mentee,
        email: pair.email.as_deref(),
        sessions: lp
            .sheets
            .iter()
            .filter_map(|s| {
                let n = s.session?;
                Some(CoverSession {
                    n: Some(n),
                    date: dates
                        .get(usize::try_from(n).ok()?.checked_sub(1)?)
                        .copied()
                        .map(long),
                    title: &s.title,
                    file: &s.file,
                })
            })
            .collect(),
        agreement: lp
            .sheets
            .iter()
            .find(|s| s.session.is_none())
            .map(|s| CoverSession {
                n: None,
                date: dates.first().copied().map(long),
                title: &s.title,
                file: &s.file,
            }),
        calendar: format!("{}.ics", lp.calendar_file),
    };
    let out = part
        .lang
        .content
        .prefix
        .join(&format!("pack-cover-{}.html", k + 1));
    let title = format!("{} — {} · {}", lp.programme, pair.mentor, pair.mentee);
    let diag = |d: Diagnostic| Error::Content(vec![d]);
    let mut ctx = part
        .site
        .special_context(part.theme, &out, &title, &part.lang.config.lang)
        .map_err(diag)?;
    ctx.insert("pack", &view);
    part.theme.render("pack-cover.html", &ctx).map_err(diag)
}

/// The files of one pair's pack, in order: cover, sheets, calendar.
fn pack_files(
    pair: &Pair,
    pp: &PairPlan,
    lp: &LangPlan,
    printed: &[PrintedSheet],
    config: &Config,
    programme: &Programme,
) -> Result<Vec<(String, Vec<u8>)>> {
    let numeric = |d: NaiveDate| {
        use chrono::Datelike;
        lp.numeric_date
            .replace("{day}", &format!("{:02}", d.day()))
            .replace("{month}", &format!("{:02}", d.month()))
            .replace("{year}", &d.year().to_string())
    };
    let date_of = |n: Option<u32>| -> Option<NaiveDate> {
        let i = usize::try_from(n.unwrap_or(1)).ok()?.checked_sub(1)?;
        pp.dates.get(i).copied()
    };
    let mut files = Vec::new();
    let get = |i: usize| -> Result<&PrintedSheet> {
        printed
            .get(i)
            .ok_or_else(|| Error::Usage("internal error: a printed sheet is missing".into()))
    };
    files.push((format!("{}.pdf", lp.cover_file), get(pp.cover)?.pdf.clone()));
    for s in &lp.sheets {
        let sheet = get(s.printed)?;
        let date = date_of(s.session).map(numeric).unwrap_or_default();
        let values: Vec<(String, String)> = sheet
            .roles
            .iter()
            .filter_map(|(name, role)| {
                let v = match role.as_str() {
                    "mentor" => pair.mentor.clone(),
                    "mentee" => pair.mentee.clone(),
                    "date" if !date.is_empty() => date.clone(),
                    _ => return None,
                };
                Some((name.clone(), v))
            })
            .collect();
        files.push((
            s.file.clone(),
            crate::pdf::fill_fields(&sheet.pdf, &values)?,
        ));
    }
    files.push((
        format!("{}.ics", lp.calendar_file),
        calendar(pair, pp, lp, config, programme).into_bytes(),
    ));
    Ok(files)
}

/// The pair's calendar: one event per session, saying what to prepare and
/// which sheet to bring.
fn calendar(
    pair: &Pair,
    pp: &PairPlan,
    lp: &LangPlan,
    config: &Config,
    programme: &Programme,
) -> String {
    let id = crate::text::slugify(&lp.programme);
    let who = format!("{} — {}", pair.mentor, pair.mentee);
    let slug = crate::text::slugify(&who);
    let display = |s: &str| {
        crate::typography::display(
            s,
            config.typography == crate::config::Typography::Fr,
            crate::config::Typography::french_quotes(&pair.lang),
        )
    };
    let events: Vec<CalendarEvent> = (1..=programme.sessions)
        .zip(&pp.dates)
        .map(|(n, d)| {
            let sheet = lp.sheets.iter().find(|s| s.session == Some(n));
            let summary = match sheet {
                Some(s) => format!("{} — {} ({who})", lp.programme, s.title),
                None => format!("{} — {} {n} ({who})", lp.programme, lp.session_word),
            };
            let mut description = String::new();
            if let Some(s) = sheet {
                if let Some(d) = &s.description {
                    description.push_str(&display(d));
                    description.push('\n');
                }
                let objectives: Vec<String> = s.objectives.iter().map(|o| display(o)).collect();
                description.push_str(&bullets(
                    &format!("{}{}", lp.prepare, lp.colon),
                    &objectives,
                ));
                description.push_str(&format!("{}{} {}", lp.worksheet_word, lp.colon, s.file));
                if let Some(u) = &s.url {
                    description.push_str(&format!(" — {u}"));
                }
            }
            CalendarEvent {
                uid: format!("{id}-{slug}-session-{n}@mentorbook"),
                date: *d,
                summary,
                description: description.trim_end().to_string(),
                url: sheet.and_then(|s| s.url.clone()),
                attendees: pair.email.iter().cloned().collect(),
            }
        })
        .collect();
    ics(&format!("{} — {who}", lp.programme), &events).unwrap_or_default()
}

/// Where a pairs file is shown from: relative to the current folder when it is in it.
pub fn shown(path: &Path) -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    path.strip_prefix(&cwd)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

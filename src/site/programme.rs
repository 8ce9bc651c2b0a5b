//! The programme's generated files: the timeline page (`timeline.html`) and the
//! calendar of suggested sessions (`programme.ics`), from `programme:` in the config.

use chrono::NaiveDate;
use icalendar::{Calendar, Component, Event, EventLike};
use serde::Serialize;

use crate::config::programme::{Programme, Rhythm, format_date};
use crate::config::{CONFIG_FILE, Config};
use crate::content::{Content, Target};
use crate::diagnostic::Diagnostic;
use crate::render::context::LinkView;
use crate::site::Part;
use crate::site::layout;

#[derive(Debug, Serialize)]
struct SessionView {
    n: u32,
    date: Option<String>,
    iso: Option<String>,
    /// Its first worksheet (kept for themes written before `worksheets`).
    worksheet: Option<LinkView>,
    /// Every worksheet of the session, in reading order.
    worksheets: Vec<LinkView>,
    kit_url: String,
}

#[derive(Debug, Serialize)]
struct PhaseView {
    name: String,
    description: Option<String>,
    pages: Vec<LinkView>,
    /// Its first and last column on the timeline (from 1; see `columns`).
    start: usize,
    end: usize,
    /// When it is, in words (`Séances 2 à 5`, `Avant les séances`).
    when: String,
}

/// A column of the timeline: before the sessions, a session, after them.
#[derive(Debug, Serialize)]
struct ColumnView {
    /// `before`, `session` or `after`.
    kind: &'static str,
    /// The session's number (0 for the other columns).
    n: u32,
    /// Its heading (`Avant`, `3`).
    label: String,
    /// The session's date, short (`11 janvier`), and as ISO.
    date: Option<String>,
    iso: Option<String>,
}

/// Where each phase is on the timeline, as (first, last) of the columns
/// 0 (before the sessions), 1 to `n` (the sessions), `n + 1` (after them).
/// A phase with its sessions known keeps them; the others go before the
/// first known phase, after the last one, or with the known phase before them;
/// when none is known, the first is before, the last after, and those between
/// share the sessions in order.
fn place_phases(known: &[Option<(u32, u32)>], n: u32) -> Vec<(u32, u32)> {
    let k = known.len();
    if known.iter().all(Option::is_none) {
        let middle = k.saturating_sub(2).max(usize::from(k == 1));
        let mut out = Vec::with_capacity(k);
        for i in 0..k {
            let place = match (k, i) {
                (1, _) => (1, n),
                (2, 0) => (0, 0),
                (2, _) => (1, n),
                (_, 0) => (0, 0),
                (_, i) if i == k - 1 => (n + 1, n + 1),
                (_, i) => {
                    let m = u32::try_from(middle).unwrap_or(1).max(1);
                    let j = u32::try_from(i - 1).unwrap_or(0);
                    let a = 1 + j * n / m;
                    let b = ((j + 1) * n / m).max(a);
                    (a, b.min(n))
                }
            };
            out.push(place);
        }
        return out;
    }
    let first = known.iter().position(Option::is_some).unwrap_or(0);
    let last = known.iter().rposition(Option::is_some).unwrap_or(0);
    let mut prev = (0, 0);
    known
        .iter()
        .enumerate()
        .map(|(i, p)| match p {
            Some(span) => {
                prev = *span;
                *span
            }
            None if i < first => (0, 0),
            None if i > last => (n + 1, n + 1),
            None => (prev.1, prev.1),
        })
        .collect()
}

/// Warnings for worksheets whose `session:` is past the programme's sessions: such
/// a sheet is in no session kit, not on the timeline and in no pack.
pub fn check_sessions(config: &Config, content: &Content, diags: &mut Vec<Diagnostic>) {
    let Some(p) = &config.programme else { return };
    for page in content.worksheets() {
        let Some(n) = page.fm.session.filter(|&n| n > p.sessions) else {
            continue;
        };
        diags.push(
            Diagnostic::warning(
                page.source.as_str(),
                page.fm.session_line.max(1),
                1,
                format!(
                    "`session: {n}` is past the programme's {} sessions: this sheet is in no session kit, not on the timeline and in no pack",
                    p.sessions
                ),
            )
            .with_help(format!(
                "give it a session from 1 to {}, or raise `programme.sessions` in mentorbook.yaml",
                p.sessions
            )),
        );
    }
}

/// Errors for phase pages that do not exist, and for an agreement that is not a worksheet.
pub fn check_phases(config: &Config, content: &Content, diags: &mut Vec<Diagnostic>) {
    let Some(p) = &config.programme else { return };
    if let Some(rel) = &p.agreement {
        let (line, col) = config
            .key_lines
            .get("programme.agreement")
            .unwrap_or((1, 1));
        let found = page_of(content, rel).map(|id| &content.pages[id]);
        if !found.is_some_and(|pg| pg.is_worksheet()) {
            let what = if found.is_some() {
                "is not a worksheet"
            } else {
                "is not a page of `content/`"
            };
            diags.push(
                Diagnostic::error(
                    CONFIG_FILE,
                    line,
                    col,
                    format!("`programme.agreement: {rel}` {what}"),
                )
                .with_help("name the agreement worksheet by its path in `content/`, e.g. `05-fiches/01-avant/02-charte.md`"),
            );
        }
    }
    let (line, col) = config.key_lines.get("programme.phases").unwrap_or((1, 1));
    for phase in &p.phases {
        for page in &phase.pages {
            let rel = page.trim_start_matches("./");
            let rel = rel.strip_prefix(content.folder.as_str()).unwrap_or(rel);
            if !matches!(
                content.lookup(rel),
                Some(Target::Page(_) | Target::Section(_))
            ) {
                let (line, col) = config
                    .key_lines
                    .item("programme.phases.pages", page)
                    .unwrap_or((line, col));
                diags.push(
                    Diagnostic::error(
                        CONFIG_FILE,
                        line,
                        col,
                        format!(
                            "phase `{}`: no page `{page}` in `content/`",
                            phase.name.get(&config.lang, &config.lang)
                        ),
                    )
                    .with_help(
                        "list pages by their path in `content/`, e.g. `03-programme/02-demande.md`",
                    ),
                );
            }
        }
    }
}

/// The page a phase lists (a page, or a section's index).
fn page_of(content: &Content, rel: &str) -> Option<crate::content::PageId> {
    let rel = rel.trim_start_matches("./");
    match content.lookup(rel.strip_prefix(content.folder.as_str()).unwrap_or(rel))? {
        Target::Page(id) => Some(id),
        Target::Section(s) => Some(content.sections[s].index),
        Target::Asset(_) => None,
    }
}

/// The first and last session of the worksheets among `pages`, if any has one.
fn sessions_of_pages(content: &Content, pages: &[String]) -> Option<(u32, u32)> {
    let sessions: Vec<u32> = pages
        .iter()
        .filter_map(|rel| content.pages[page_of(content, rel)?].fm.session)
        .collect();
    Some((*sessions.iter().min()?, *sessions.iter().max()?))
}

/// Renders the timeline page.
pub fn timeline(part: &Part<'_>, programme: &Programme) -> Result<String, Diagnostic> {
    let content = &part.lang.content;
    let name = &part.generated.programme;
    let ui = &part.lang.ui.strings;
    let t = |k: &str| ui.get(k);
    let (lang, default) = (part.config.lang.as_str(), part.root_lang());
    let text = |s: &str| part.display(s);
    let out = layout::at(&content.prefix, layout::TIMELINE);
    let dates = programme.dates();
    let sessions: Vec<SessionView> = (1..=programme.sessions)
        .map(|n| {
            let date = dates.get((n - 1) as usize).copied();
            let worksheets: Vec<LinkView> = content
                .worksheets()
                .filter(|p| p.fm.session == Some(n))
                .map(|p| LinkView {
                    title: p.title.clone(),
                    url: p.out.to_string(),
                })
                .collect();
            SessionView {
                n,
                date: date.map(|d| format_date(d, ui.list("weekdays"), ui.list("months"))),
                iso: date.map(|d| d.format("%Y-%m-%d").to_string()),
                worksheet: worksheets.first().cloned(),
                worksheets,
                kit_url: layout::kit(&content.prefix, n).to_string(),
            }
        })
        .collect();
    let n = programme.sessions;
    let known: Vec<Option<(u32, u32)>> = programme
        .phases
        .iter()
        .map(|ph| {
            ph.sessions
                .or_else(|| sessions_of_pages(content, &ph.pages))
        })
        .collect();
    let places = place_phases(&known, n);
    let before = places.iter().any(|p| p.0 == 0);
    let after = places.iter().any(|p| p.1 > n);
    // Columns shown: before (when a phase is there), the sessions, after (likewise).
    let column = |c: u32| -> usize {
        let c = usize::try_from(c).unwrap_or(0);
        if before { c + 1 } else { c.max(1) }
    };
    let mut columns: Vec<ColumnView> = Vec::new();
    if before {
        columns.push(ColumnView {
            kind: "before",
            n: 0,
            label: t("timeline_before"),
            date: None,
            iso: None,
        });
    }
    let months = ui.list("months");
    for (s, d) in sessions.iter().zip((0..).map(|i| dates.get(i).copied())) {
        columns.push(ColumnView {
            kind: "session",
            n: s.n,
            label: s.n.to_string(),
            date: d.map(|d| {
                use chrono::Datelike;
                match months.get(d.month0() as usize) {
                    Some(m) if months.len() == 12 => format!("{} {m}", d.day()),
                    _ => d.format("%d/%m").to_string(),
                }
            }),
            iso: s.iso.clone(),
        });
    }
    if after {
        columns.push(ColumnView {
            kind: "after",
            n: 0,
            label: t("timeline_after"),
            date: None,
            iso: None,
        });
    }
    let session_word = t("session");
    let when = |(a, b): (u32, u32)| -> String {
        match (a, b) {
            (0, 0) => t("timeline_before_sessions"),
            (a, _) if a > n => t("timeline_after_sessions"),
            (a, b) if a == b => format!("{session_word} {a}"),
            (0, b) => part
                .lang
                .ui
                .get("timeline_until")
                .replace("{to}", &b.min(n).to_string()),
            (a, b) => part
                .lang
                .ui
                .get("timeline_span")
                .replace("{from}", &a.to_string())
                .replace("{to}", &b.min(n).to_string()),
        }
    };
    let phases: Vec<PhaseView> = programme
        .phases
        .iter()
        .zip(&places)
        .map(|(ph, &place)| PhaseView {
            name: text(ph.name.get(lang, default)),
            description: ph.description.as_ref().map(|d| text(d.get(lang, default))),
            pages: ph
                .pages
                .iter()
                .filter_map(|rel| {
                    let id = page_of(content, rel)?;
                    let p = &content.pages[id];
                    Some(LinkView {
                        title: p.title.clone(),
                        url: p.out.to_string(),
                    })
                })
                .collect(),
            start: column(place.0),
            end: column(place.1.min(n + 1)).max(column(place.0)),
            when: when(place),
        })
        .collect();
    let rhythm = match programme.rhythm {
        Rhythm::Monthly => "rhythm_monthly",
        Rhythm::TwiceMonthly => "rhythm_twice-monthly",
        Rhythm::Weekly => "rhythm_weekly",
    };
    let mut ctx =
        part.site
            .special_context(part.theme, &out, &t("timeline"), &part.lang.config.lang)?;
    ctx.insert(
        "programme",
        &serde_json::json!({
            "name": name,
            "rhythm": t(rhythm),
            "sessions": sessions,
            "phases": phases,
            "columns": columns,
            "calendar": programme.start.map(|_| layout::at(&content.prefix, layout::CALENDAR)),
        }),
    );
    part.theme.render_or_run("timeline.html", &ctx, part.keep)
}

/// One all-day event of a calendar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarEvent {
    /// Its id, stable across builds (`…session-3@mentorbook`).
    pub uid: String,
    /// Its day.
    pub date: NaiveDate,
    /// Its title.
    pub summary: String,
    /// Its text (plain; lines end with `\n`).
    pub description: String,
    /// Its link, when it is an absolute URL.
    pub url: Option<String>,
    /// Addresses invited to it.
    pub attendees: Vec<String>,
}

/// An `.ics` calendar named `name` of all-day `events`. Byte-identical for the
/// same input: the stamp is the first event's day, not the clock.
pub fn ics(name: &str, events: &[CalendarEvent]) -> Option<String> {
    let stamp = events.first()?.date.and_hms_opt(0, 0, 0)?.and_utc();
    let mut cal = Calendar::new();
    cal.name(name);
    for e in events {
        let mut event = Event::new();
        event
            .uid(&e.uid)
            .timestamp(stamp)
            .summary(&e.summary)
            .starts(e.date)
            .ends(e.date + chrono::Days::new(1));
        if !e.description.is_empty() {
            event.description(&e.description);
        }
        if let Some(url) = &e.url {
            event.url(url);
        }
        for a in &e.attendees {
            event.add_multi_property("ATTENDEE", &format!("mailto:{a}"));
        }
        cal.push(event.done());
    }
    Some(cal.done().to_string())
}

/// `base_url` joined with an output path, when the handbook has one.
pub fn absolute(base_url: Option<&str>, out: &str) -> Option<String> {
    base_url.map(|b| {
        format!(
            "{}/{}",
            b.trim_end_matches('/'),
            out.trim_start_matches('/')
        )
    })
}

/// The objectives of session `n`: those of its worksheets, in order.
pub fn session_objectives(content: &Content, n: u32) -> Vec<&str> {
    content
        .worksheets()
        .filter(|p| p.fm.session == Some(n))
        .flat_map(|p| p.fm.objectives.iter().map(String::as_str))
        .collect()
}

/// Lines of an event's text: a heading (`Objectifs :`) and a bullet per item;
/// nothing when there are no items.
pub fn bullets(heading: &str, items: &[String]) -> String {
    if items.is_empty() {
        return String::new();
    }
    let mut out = format!("{heading}\n");
    for i in items {
        out.push_str(&format!("• {i}\n"));
    }
    out
}

/// The `.ics` calendar of the suggested sessions (all-day events), when `start`
/// is set: each event says the session's objectives and links to its kit.
pub fn calendar(part: &Part<'_>, programme: &Programme) -> Option<String> {
    let content = &part.lang.content;
    let ui = &part.lang.ui;
    let name = &part.generated.programme;
    let session_word = ui.get("session");
    let colon = ui.get("colon");
    let id = crate::text::slugify(name);
    let dates = programme.dates();
    let events: Vec<CalendarEvent> = dates
        .iter()
        .zip(1u32..)
        .map(|(d, n)| {
            let sheet = content.worksheets().find(|p| p.fm.session == Some(n));
            let summary = match sheet {
                Some(p) => format!("{name} — {}", p.title),
                None => format!("{name} — {session_word} {n}"),
            };
            let objectives: Vec<String> = session_objectives(content, n)
                .into_iter()
                .map(|o| part.display(o))
                .collect();
            let mut description = bullets(&format!("{}{colon}", ui.get("objectives")), &objectives);
            let kit = layout::kit(&content.prefix, n);
            let url = absolute(part.config.base_url.as_deref(), &kit);
            if part.config.print {
                description.push_str(&format!(
                    "{} {n}{colon} {}\n",
                    ui.get("kit_title"),
                    url.as_deref().unwrap_or(kit.as_str())
                ));
            }
            CalendarEvent {
                uid: format!(
                    "{id}-{}session-{n}@mentorbook",
                    content.prefix.replace('/', "-")
                ),
                date: *d,
                summary,
                description: description.trim_end().to_string(),
                url: url.filter(|_| part.config.print),
                attendees: Vec::new(),
            }
        })
        .collect();
    ics(name, &events)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phases_are_placed_against_the_sessions() {
        // None known: before, the sessions shared, after.
        assert_eq!(
            place_phases(&[None, None, None, None], 6),
            [(0, 0), (1, 3), (4, 6), (7, 7)]
        );
        assert_eq!(place_phases(&[None], 6), [(1, 6)]);
        assert_eq!(place_phases(&[None, None], 6), [(0, 0), (1, 6)]);
        // Known ones keep their sessions; the others go around them.
        assert_eq!(
            place_phases(&[None, Some((1, 1)), Some((2, 5)), None, None], 6),
            [(0, 0), (1, 1), (2, 5), (7, 7), (7, 7)]
        );
        assert_eq!(
            place_phases(&[Some((1, 2)), None, Some((4, 6))], 6),
            [(1, 2), (2, 2), (4, 6)]
        );
    }
}

//! The programme's generated files: the timeline page (`timeline.html`) and the
//! calendar of suggested sessions (`programme.ics`), from `programme:` in the config.

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
    worksheet: Option<LinkView>,
    kit_url: String,
}

#[derive(Debug, Serialize)]
struct PhaseView {
    name: String,
    description: Option<String>,
    pages: Vec<LinkView>,
}

/// Errors for phase pages that do not exist.
pub fn check_phases(config: &Config, content: &Content, diags: &mut Vec<Diagnostic>) {
    let Some(p) = &config.programme else { return };
    let (line, col) = config.key_lines.get("programme.phases").unwrap_or((1, 1));
    for phase in &p.phases {
        for page in &phase.pages {
            let rel = page.trim_start_matches("./");
            let rel = rel.strip_prefix(content.folder.as_str()).unwrap_or(rel);
            if !matches!(
                content.lookup(rel),
                Some(Target::Page(_) | Target::Section(_))
            ) {
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
            SessionView {
                n,
                date: date.map(|d| format_date(d, ui.list("weekdays"), ui.list("months"))),
                iso: date.map(|d| d.format("%Y-%m-%d").to_string()),
                worksheet: content
                    .worksheets()
                    .find(|p| p.fm.session == Some(n))
                    .map(|p| LinkView {
                        title: p.title.clone(),
                        url: p.out.to_string(),
                    }),
                kit_url: layout::kit(&content.prefix, n).to_string(),
            }
        })
        .collect();
    let phases: Vec<PhaseView> = programme
        .phases
        .iter()
        .map(|ph| PhaseView {
            name: text(ph.name.get(lang, default)),
            description: ph.description.as_ref().map(|d| text(d.get(lang, default))),
            pages: ph
                .pages
                .iter()
                .filter_map(|rel| {
                    let rel = rel.trim_start_matches("./");
                    let id = match content
                        .lookup(rel.strip_prefix(content.folder.as_str()).unwrap_or(rel))?
                    {
                        Target::Page(id) => id,
                        Target::Section(s) => content.sections[s].index,
                        Target::Asset(_) => return None,
                    };
                    let p = &content.pages[id];
                    Some(LinkView {
                        title: p.title.clone(),
                        url: p.out.to_string(),
                    })
                })
                .collect(),
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
            "calendar": programme.start.map(|_| layout::at(&content.prefix, layout::CALENDAR)),
        }),
    );
    part.theme.render_or_run("timeline.html", &ctx, part.keep)
}

/// The `.ics` calendar of the suggested sessions (all-day events), when `start` is set.
/// Byte-identical for the same input: stamps and ids come from the programme, not the clock.
pub fn calendar(
    content: &Content,
    programme: &Programme,
    name: &str,
    session_word: &str,
) -> Option<String> {
    let dates = programme.dates();
    let first = *dates.first()?;
    let stamp = first.and_hms_opt(0, 0, 0)?.and_utc();
    let id = crate::text::slugify(name);
    let mut cal = Calendar::new();
    cal.name(name);
    for (i, d) in dates.iter().enumerate() {
        let n = i + 1;
        let sheet = content
            .worksheets()
            .find(|p| p.fm.session == Some(n as u32));
        let summary = match sheet {
            Some(p) => format!("{name} — {}", p.title),
            None => format!("{name} — {session_word} {n}"),
        };
        let event = Event::new()
            .uid(&format!(
                "{id}-{}session-{n}@mentorbook",
                content.prefix.replace('/', "-")
            ))
            .timestamp(stamp)
            .summary(&summary)
            .starts(*d)
            .ends(*d + chrono::Days::new(1))
            .done();
        cal.push(event);
    }
    Some(cal.done().to_string())
}

//! The programme kit: timeline with suggested dates, the `.ics` calendar, session
//! kits, and print editions by audience.

use std::process::Command;

use crate::browser;
use crate::support::*;

const PROGRAMME: &str = "title: Programme Tremplin\nlang: fr\nprogramme:\n  name: Tremplin\n  sessions: 6\n  rhythm: monthly\n  start: 2027-01-11\n  phases:\n    - name: Préparer\n      pages: [guide.md]\n    - name: Séances\n      pages: [fiches/_index.md]\n";

fn programme_site() -> Site {
    let site = Site::fixture("print/six");
    site.write("mentorbook.yaml", PROGRAMME);
    site.write(
        "content/roles.md",
        "---\ntitle: Les rôles\n---\n\nPour tous.\n\n:::only mentor\nSECRET-MENTOR un conseil pour les mentors.\n:::\n\n```only mentee\nSECRET-MENTEE un conseil pour les personnes mentorées.\n```\n\n:::only mentor lead\nSECRET-MENTOR-LEAD pour les mentors et les responsables.\n:::\n",
    );
    site.write(
        "content/mentors.md",
        "---\ntitle: Guide du mentor\naudience: mentor\n---\n\nPAGE-MENTOR réservée aux mentors.\n",
    );
    site
}

#[test]
fn timeline_lists_the_sessions_with_weekday_dates() {
    let site = programme_site();
    site.build();
    let doc = site.html("timeline.html");
    let rows = select(&doc, ".timeline-sessions tbody tr");
    assert_eq!(rows.len(), 6);
    let dates: Vec<String> = select(&doc, ".timeline-sessions time")
        .iter()
        .filter_map(|t| t.value().attr("datetime").map(str::to_string))
        .collect();
    assert_eq!(dates.len(), 6);
    assert!(
        dates[2].starts_with("2027-03-"),
        "session 3 is in March 2027: {dates:?}"
    );
    for d in &dates {
        let date = chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").expect("ISO date");
        use chrono::Datelike;
        assert!(
            date.weekday().number_from_monday() <= 5,
            "{d} is a weekend day"
        );
    }
    assert_eq!(
        text_of(&doc, ".timeline-sessions tbody tr:nth-child(3) td a"),
        "Fiche de la séance 3"
    );
    assert_eq!(
        select(&doc, ".timeline-phases a[href='guide.html']").len(),
        1
    );
    assert_eq!(
        select(&site.html("index.html"), "a.button[href='timeline.html']").len(),
        1
    );
    assert!(
        crawl(&site.public(), &[]).is_empty(),
        "{:?}",
        crawl(&site.public(), &[])
    );
}

#[test]
fn calendar_parses_back_with_six_events() {
    use icalendar::Component;
    let site = programme_site();
    site.build();
    let text = std::fs::read_to_string(site.public().join("programme.ics")).expect("ics");
    let cal: icalendar::Calendar = text.parse().expect("a valid iCalendar file");
    let events: Vec<&icalendar::Event> =
        cal.components.iter().filter_map(|c| c.as_event()).collect();
    assert_eq!(events.len(), 6);
    let third = events[2];
    match third.get_start() {
        Some(icalendar::DatePerhapsTime::Date(d)) => assert_eq!(
            d,
            chrono::NaiveDate::from_ymd_opt(2027, 3, 11).expect("date")
        ),
        other => panic!("session 3 starts on a date, got {other:?}"),
    }
    assert!(
        third
            .get_summary()
            .is_some_and(|s| s.contains("Fiche de la séance 3"))
    );
    // Deterministic: the same input gives the same bytes.
    site.run(&["build", "--out", "again"]).success();
    assert_eq!(
        std::fs::read(site.path().join("again/programme.ics")).expect("ics"),
        text.into_bytes()
    );
}

#[test]
fn editions_leave_out_other_audiences() {
    let site = programme_site();
    site.build();
    let text = |rel: &str| {
        let doc = site.html(rel);
        select(&doc, "main")
            .iter()
            .map(|m| m.text().collect::<String>())
            .collect::<String>()
    };
    let mentee = text("editions/mentee/print.html");
    assert!(
        !mentee.contains("SECRET-MENTOR"),
        "no mentor block in the mentee edition"
    );
    assert!(
        !mentee.contains("PAGE-MENTOR"),
        "no mentor page in the mentee edition"
    );
    assert!(mentee.contains("SECRET-MENTEE") && mentee.contains("Pour tous."));
    let mentor = text("editions/mentor/print.html");
    assert!(
        mentor.contains("SECRET-MENTOR un conseil")
            && mentor.contains("SECRET-MENTOR-LEAD")
            && mentor.contains("PAGE-MENTOR")
    );
    assert!(!mentor.contains("SECRET-MENTEE"));
    let lead = text("editions/lead/print.html");
    assert!(lead.contains("SECRET-MENTOR-LEAD") && !lead.contains("SECRET-MENTOR un conseil"));
    // The web page shows every block, with its audience badge.
    let web = site.html("roles.html");
    assert_eq!(select(&web, ".only[data-audience]").len(), 3);
    assert_eq!(select(&web, ".only .only-badge").len(), 3);
}

#[test]
fn audience_filter_hides_other_blocks_in_a_real_browser() {
    let site = programme_site();
    site.build();
    let Some(b) = browser::start("audience_filter_hides_other_blocks_in_a_real_browser") else {
        return;
    };
    b.goto(&format!(
        "file://{}",
        site.public().join("roles.html").display()
    ));
    let visible = |b: &browser::Browser, aud: &str| {
        b.eval(&format!(
            "return getComputedStyle(document.querySelector('.only[data-audience=\"{aud}\"]')).display !== 'none';"
        ))
    };
    assert_eq!(visible(&b, "mentee"), true);
    // The choice is a labelled list at the foot of the sidebar.
    assert_eq!(
        b.eval("var s = document.querySelector('[data-audience-select]'); return s.labels.length === 1 && s.value === '';"),
        true
    );
    b.eval("var s = document.querySelector('[data-audience-select]'); s.value = 'mentor'; s.dispatchEvent(new Event('change')); return null;");
    assert_eq!(
        visible(&b, "mentee"),
        false,
        "the mentor filter hides mentee blocks"
    );
    assert_eq!(visible(&b, "mentor"), true);
    assert_eq!(
        b.eval("return document.documentElement.getAttribute('data-audience-filter');"),
        "mentor"
    );
    // The choice is remembered on the next page.
    b.goto(&format!(
        "file://{}",
        site.public().join("roles.html").display()
    ));
    assert_eq!(
        b.eval("return document.querySelector('[data-audience-select]').value;"),
        "mentor"
    );
}

#[test]
fn session_3_kit_pdf_holds_only_session_3() {
    if browser::chromium().is_none() || Command::new("pdftotext").arg("-v").output().is_err() {
        skip(
            "session_3_kit_pdf_holds_only_session_3",
            "needs Chromium and pdftotext",
        );
        return;
    }
    let site = programme_site();
    site.run(&["pdf", "--kit", "3", "--out", "pdfs"]).success();
    let out = Command::new("pdftotext")
        .arg(site.path().join("pdfs/kit-session-3.pdf"))
        .arg("-")
        .output()
        .expect("pdftotext");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Fiche de la séance 3"), "{text}");
    for n in [1, 2, 4, 5, 6] {
        assert!(
            !text.contains(&format!("Fiche de la séance {n}")),
            "session {n} leaked into the session 3 kit"
        );
    }
    assert!(
        text.contains("lundi 12 avril 2027") || text.contains("jeudi 11 mars 2027"),
        "the kit shows the suggested date: {text}"
    );
    site.run(&["pdf", "--edition", "mentee", "--out", "pdfs"])
        .success();
    let out = Command::new("pdftotext")
        .arg(site.path().join("pdfs/handbook-mentee.pdf"))
        .arg("-")
        .output()
        .expect("pdftotext");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("SECRET-MENTEE") && !text.contains("SECRET-MENTOR"));
}

#[test]
fn programme_errors_are_located() {
    let site = programme_site();
    site.write(
        "mentorbook.yaml",
        "title: T\nprogramme:\n  sessions: 40\n  rhythm: daily\n  strat: 2027-01-11\n",
    );
    let run = site.run(&["build"]).code_is(2);
    let err = run.stderr();
    assert!(
        err.contains("mentorbook.yaml:4:3: error: `programme.rhythm`"),
        "{err}"
    );
    assert!(
        err.contains("mentorbook.yaml:5:3: error: unknown key `programme.strat`"),
        "{err}"
    );
    assert!(err.contains("did you mean `start`?"), "{err}");
    site.write(
        "mentorbook.yaml",
        "title: T\nprogramme:\n  phases:\n    - name: A\n      pages: [absente.md]\n",
    );
    // An error in mentorbook.yaml is a configuration error: exit code 2.
    let run = site.run(&["build"]).code_is(2);
    assert!(
        run.stderr()
            .contains("mentorbook.yaml:5:15: error: phase `A`: no page `absente.md` in `content/`"),
        "{}",
        run.stderr()
    );
}

/// The programme of `programme_site`, with a `base_url`, phases placed on the
/// sessions, and an agenda with timings on session 2's sheet.
fn kit_site() -> Site {
    let site = programme_site();
    site.write(
        "mentorbook.yaml",
        "title: Programme Tremplin\nlang: fr\nbase_url: https://guide.example.org/\nprogramme:\n  name: Tremplin\n  sessions: 6\n  rhythm: monthly\n  start: 2027-01-11\n  phases:\n    - name: Préparer\n      pages: [guide.md]\n    - name: Les séances\n      sessions: 2-5\n      pages: [fiches/_index.md]\n    - name: Clôturer\n      sessions: 6\n",
    );
    let sheet = std::fs::read_to_string(site.path().join("content/fiches/seance-2.md"))
        .expect("read seance-2");
    let sheet = sheet.replacen(
        "objectives:",
        "agenda:\n  - \"10 min — Accueil\"\n  - 45 min: Les sujets du jour\n  - { time: 1 h, step: Le plan }\n  - Au revoir\nobjectives:",
        1,
    );
    site.write("content/fiches/seance-2.md", &sheet);
    site
}

#[test]
fn calendar_events_say_the_objectives_and_link_to_the_kit() {
    use icalendar::Component;
    let site = kit_site();
    site.build();
    let text = std::fs::read_to_string(site.public().join("programme.ics")).expect("ics");
    let cal: icalendar::Calendar = text.parse().expect("a valid iCalendar file");
    let events: Vec<&icalendar::Event> =
        cal.components.iter().filter_map(|c| c.as_event()).collect();
    assert_eq!(events.len(), 6);
    let first = events[0].get_description().expect("a description");
    assert!(
        first.contains("Objectif A") && first.contains("Objectif B"),
        "session 1's objectives: {first}"
    );
    assert!(
        first.contains("https://guide.example.org/kits/session-1.html"),
        "the kit's link: {first}"
    );
    assert_eq!(
        events[0].get_url(),
        Some("https://guide.example.org/kits/session-1.html")
    );
}

#[test]
fn the_timeline_draws_phases_against_sessions() {
    let site = kit_site();
    site.build();
    let doc = site.html("timeline.html");
    // One column per session, and one before them for the phase that has none.
    let cols: Vec<String> = select(&doc, ".tl-axis .tl-col")
        .iter()
        .map(|c| c.value().attr("class").unwrap_or("").to_string())
        .collect();
    assert_eq!(cols.len(), 7, "{cols:?}");
    assert!(cols[0].contains("tl-before"), "{cols:?}");
    assert!(
        cols[1..].iter().all(|c| c.contains("tl-session")),
        "{cols:?}"
    );
    let bars: Vec<String> = select(&doc, ".tl-phase .tl-bar")
        .iter()
        .map(|b| b.value().attr("style").unwrap_or("").to_string())
        .collect();
    // Grid column 1 holds the labels: "before" is 2, session N is N + 2.
    assert_eq!(
        bars,
        [
            "grid-column: 2 / 3",
            "grid-column: 4 / 8",
            "grid-column: 8 / 9"
        ],
        "the bars span their phases' columns"
    );
    let when: Vec<String> = select(&doc, ".tl-when")
        .iter()
        .map(|w| w.text().collect())
        .collect();
    assert_eq!(when[1], "Séances 2 à 5", "{when:?}");
}

#[test]
fn the_kit_agenda_shows_the_timings_of_the_session_page() {
    let site = kit_site();
    site.build();
    let doc = site.html("kits/session-2.html");
    let rows: Vec<Vec<String>> = select(&doc, ".kit-timings tbody tr")
        .iter()
        .map(|r| {
            r.children()
                .filter_map(scraper::ElementRef::wrap)
                .map(|c| c.text().collect::<String>().trim().to_string())
                .collect()
        })
        .collect();
    assert_eq!(
        rows,
        [
            ["0\u{a0}h\u{a0}00–0\u{a0}h\u{a0}10", "10 min", "Accueil"],
            [
                "0\u{a0}h\u{a0}10–0\u{a0}h\u{a0}55",
                "45 min",
                "Les sujets du jour"
            ],
            ["0\u{a0}h\u{a0}55–1\u{a0}h\u{a0}55", "1 h", "Le plan"],
            ["", "", "Au revoir"],
        ],
        "start and end of each timed step, written as French durations are"
    );
    // A session whose page gives no agenda keeps the theme's steps.
    let other = site.html("kits/session-3.html");
    assert!(select(&other, ".kit-timings").is_empty());
    assert_eq!(select(&other, ".kit-steps li").len(), 5);
}

#[test]
fn an_edition_leaves_out_sections_with_nothing_for_its_audience_and_numbers_its_own_chapters() {
    let site = Site::new();
    site.write("content/_index.md", "---\ntitle: Accueil\n---\nBonjour.\n")
        .write(
            "content/01-relation/_index.md",
            "---\ntitle: La relation\n---\nIntro.\n",
        )
        .write(
            "content/01-relation/01-cadre.md",
            "---\ntitle: Le cadre\naudience: lead\n---\nPour les responsables.\n",
        )
        .write(
            "content/01-relation/02-ecoute.md",
            "---\ntitle: L’écoute\n---\nPour tous.\n",
        )
        .write(
            "content/02-lancer/_index.md",
            "---\ntitle: Lancer\n---\nLa liste des étapes.\n",
        )
        .write(
            "content/02-lancer/01-etapes.md",
            "---\ntitle: Les étapes\naudience: lead\n---\nRecruter.\n",
        )
        .write(
            "content/03-fiches/_index.md",
            "---\ntitle: Fiches\n---\nLes fiches.\n",
        )
        .write(
            "content/03-fiches/01-bilan.md",
            "---\ntitle: Bilan\nkind: worksheet\naudience: mentee\n---\nNotes.\n",
        );
    site.build();
    let toc = |rel: &str| -> Vec<String> {
        select(&site.html(rel), ".print-toc li")
            .iter()
            .map(|li| li.text().collect::<Vec<_>>().join(" ").trim().to_string())
            .collect()
    };
    // "Lancer" has only a lead page: not in the mentee edition, which numbers 1, 2.
    assert_eq!(
        toc("editions/mentee/print.html"),
        ["1 La relation", "1.1 L’écoute", "2 Fiches", "2.1 Bilan"],
    );
    assert_eq!(
        toc("editions/lead/print.html"),
        [
            "1 La relation",
            "1.1 Le cadre",
            "1.2 L’écoute",
            "2 Lancer",
            "2.1 Les étapes"
        ],
        "a section with nothing for the lead: left out too"
    );
    // The handbook keeps its numbers.
    assert!(toc("print.html").contains(&"3.1 Bilan".to_string()));
}

#[test]
fn a_sheet_past_the_programme_s_sessions_is_a_warning_at_its_session() {
    // `session: 9` in a six-session programme: the sheet is in no kit, not on the
    // timeline, in no pack; the author hears of it instead of finding it missing.
    let site = programme_site();
    site.write(
        "content/fiches/seance-9.md",
        "---\ntitle: Séance neuf\nkind: worksheet\nsession: 9\n---\nNotes.\n",
    );
    for cmd in ["check", "build"] {
        let err = site.run(&[cmd]).success().stderr();
        assert!(
            err.contains("content/fiches/seance-9.md:4:1: warning: `session: 9` is past the programme's 6 sessions"),
            "{cmd}: {err}"
        );
        assert!(err.contains("raise `programme.sessions`"), "{err}");
    }
    site.run(&["check", "--strict"]).code_is(1);
}

#[test]
fn the_timeline_lists_every_sheet_of_a_session() {
    let site = programme_site();
    site.write(
        "content/fiches/seance-1-mentor.md",
        "---\ntitle: Séance 1, côté mentor\nkind: worksheet\nsession: 1\naudience: mentor\n---\nNotes.\n",
    );
    site.build().success();
    let doc = site.html("timeline.html");
    let first_row = select(&doc, ".timeline-sessions tbody tr")
        .into_iter()
        .next()
        .expect("session 1");
    let links: Vec<String> = first_row
        .select(&scraper::Selector::parse("td a:not(.screen-only a)").expect("css"))
        .filter(|a| !a.value().attr("href").unwrap_or("").contains("kits/"))
        .map(|a| a.text().collect())
        .collect();
    assert!(
        links.len() >= 2 && links.iter().any(|t| t == "Séance 1, côté mentor"),
        "both sheets of session 1: {links:?}"
    );
}

//! `mentorbook pack --pairs pairs.csv`: a folder and a zip per pair, with the
//! agreement and session sheets filled in with the pair's names and dates, a
//! cover, and a calendar of the pair's sessions; a bad pairs file is an error
//! at its line and column, and then nothing is written.
//!
//! The pairs files are in `tests/fixtures/pack/` (one per bad case in `bad/`);
//! the handbook is the sample (its programme: six monthly sessions from
//! 2027-01-11, the agreement `05-fiches/01-avant/02-charte.md`).

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use chrono::NaiveDate;

use crate::pdf_tools::*;
use crate::support::*;

/// The sample handbook with the pairs file `name` of `tests/fixtures/pack/` as `pairs.csv`.
fn site_with(name: &str) -> Site {
    let site = Site::sample();
    let csv = std::fs::read(repo_root().join("tests/fixtures/pack").join(name))
        .unwrap_or_else(|e| panic!("read fixture {name}: {e}"));
    site.write_bytes("pairs.csv", &csv);
    site
}

/// The files of a zip, by name.
fn unzip(path: &Path) -> BTreeMap<String, Vec<u8>> {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut zip = zip::ZipArchive::new(file).expect("a zip");
    let mut out = BTreeMap::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).expect("zip entry");
        if f.is_dir() {
            continue;
        }
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).expect("read zip entry");
        out.insert(f.name().expect("entry name").to_string(), bytes);
    }
    out
}

/// The text of a PDF given as bytes (pdftotext, reading order).
fn pdf_text(bytes: &[u8]) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("f.pdf");
    std::fs::write(&path, bytes).expect("write pdf");
    (1..=page_count(&path))
        .map(|n| page_flow(&path, n))
        .collect::<Vec<_>>()
        .join("\n")
}

fn dates(list: &[&str]) -> Vec<NaiveDate> {
    list.iter()
        .map(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").expect("date"))
        .collect()
}

/// One expected pack.
struct Want {
    folder: &'static str,
    mentor: &'static str,
    mentee: &'static str,
    cover: &'static str,
    calendar: &'static str,
    /// The six sessions: monthly, a weekend day moved to the Monday after.
    dates: Vec<NaiveDate>,
}

#[test]
fn pack_writes_a_filled_in_zip_and_calendar_per_pair() {
    if !can_print("pack_writes_a_filled_in_zip_and_calendar_per_pair") {
        return;
    }
    use icalendar::Component;
    let site = site_with("pairs.csv");
    let run = site.run(&["pack", "--pairs", "pairs.csv"]).success();
    assert!(run.stdout().contains("Packed 3 pairs"), "{}", run.stdout());
    let wants = [
        Want {
            folder: "eleonore-dupre-bruno-leroy",
            mentor: "Éléonore Dupré",
            mentee: "Bruno Leroy",
            cover: "couverture.pdf",
            calendar: "seances.ics",
            // No date of its own: the programme's `start:`.
            dates: dates(&[
                "2027-01-11",
                "2027-02-11",
                "2027-03-11",
                "2027-04-12",
                "2027-05-11",
                "2027-06-11",
            ]),
        },
        Want {
            folder: "anna-smith-john-o-neill",
            mentor: "Anna Smith",
            mentee: "John O'Neill",
            cover: "cover.pdf",
            calendar: "sessions.ics",
            dates: dates(&[
                "2027-03-01",
                "2027-04-01",
                "2027-05-03",
                "2027-06-01",
                "2027-07-01",
                "2027-08-02",
            ]),
        },
        Want {
            folder: "martin-lea-zoe-petit",
            mentor: "Martin, Léa",
            mentee: "Zoé Petit",
            cover: "couverture.pdf",
            calendar: "seances.ics",
            dates: dates(&[
                "2027-02-15",
                "2027-03-15",
                "2027-04-15",
                "2027-05-17",
                "2027-06-15",
                "2027-07-15",
            ]),
        },
    ];
    let packs = site.path().join("packs");
    let zips: Vec<String> = std::fs::read_dir(&packs)
        .expect("packs/")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".zip"))
        .collect();
    assert_eq!(zips.len(), 3, "one zip per pair: {zips:?}");
    for want in &wants {
        let files = unzip(&packs.join(format!("{}.zip", want.folder)));
        let file = |name: &str| -> &Vec<u8> {
            files
                .get(&format!("{}/{name}", want.folder))
                .unwrap_or_else(|| panic!("{}: no {name} in {:?}", want.folder, files.keys()))
        };
        // The folder holds the same files as the zip.
        let folder = tree(&packs.join(want.folder));
        assert_eq!(
            folder.keys().cloned().collect::<Vec<_>>(),
            files
                .keys()
                .map(|k| k
                    .trim_start_matches(&format!("{}/", want.folder))
                    .to_string())
                .collect::<Vec<_>>(),
            "{}: the folder and the zip",
            want.folder
        );
        // The sheets are named in the pair's language: the English pages share
        // the French pages' file names (`02-charte.en.md`), not their files' names.
        let english = want.cover == "cover.pdf";
        let (agreement, session) = if english {
            ("mentoring-agreement.pdf", "session")
        } else {
            ("charte.pdf", "seance")
        };
        // The agreement carries both names, typed in, in fields still fillable.
        let charte = file(agreement);
        let text = pdf_text(charte);
        assert!(
            text.contains(want.mentor) && text.contains(want.mentee),
            "{}: the agreement's text lacks a name:\n{text}",
            want.folder
        );
        let fields = form_fields_of(charte);
        let value = |n: &str| {
            fields
                .iter()
                .find(|f| f.name == n)
                .map(|f| f.value.clone())
                .unwrap_or_else(|| panic!("{}: no field {n}", want.folder))
        };
        assert_eq!(value("charte.mentor"), want.mentor);
        assert_eq!(value("charte.mentee"), want.mentee);
        assert_eq!(value("charte.signature.mentor"), want.mentor);
        // English sheets write dates as 2027-03-01 (01/03/2027 reads as 3 January
        // to many English readers), French ones as 01/03/2027.
        let format = if want.cover == "cover.pdf" {
            "%Y-%m-%d"
        } else {
            "%d/%m/%Y"
        };
        let date = want.dates[0].format(format).to_string();
        assert_eq!(value("charte.date"), date);
        // Only the names and the date are filled in (the mentee's signature line
        // is named after its signer: `signature.personne-mentoree` in French).
        let filled: Vec<(&str, &str)> = fields
            .iter()
            .filter(|f| !f.value.is_empty() && f.value != "Off")
            .map(|f| (f.name.as_str(), f.value.as_str()))
            .collect();
        assert_eq!(filled.len(), 5, "{}: filled fields {filled:?}", want.folder);
        assert!(
            filled
                .iter()
                .any(|(n, v)| n.starts_with("charte.signature.")
                    && *n != "charte.signature.mentor"
                    && *v == want.mentee),
            "{}: the mentee's signature line: {filled:?}",
            want.folder
        );
        // Every session sheet, with the names and its session's date.
        for (n, date) in want.dates.iter().enumerate() {
            let sheet = file(&format!("{session}-{}.pdf", n + 1));
            let text = pdf_text(sheet);
            let numeric = date.format(format).to_string();
            assert!(
                text.contains(want.mentor) && text.contains(want.mentee) && text.contains(&numeric),
                "{}: session {} lacks a name or {numeric}:\n{text}",
                want.folder,
                n + 1
            );
        }
        // The cover has both names, and the programme's contact once (in its footer).
        let cover = pdf_text(file(want.cover));
        assert!(
            cover.contains(want.mentor) && cover.contains(want.mentee),
            "{}: the cover:\n{cover}",
            want.folder
        );
        let contact = if want.cover == "cover.pdf" {
            "write to us"
        } else {
            "écrivez-nous"
        };
        assert_eq!(
            cover.matches(contact).count(),
            1,
            "{}: the contact once:\n{cover}",
            want.folder
        );
        // The calendar: one event per session, on the expected dates.
        let ics = String::from_utf8(file(want.calendar).clone()).expect("UTF-8 calendar");
        let cal: icalendar::Calendar = ics.parse().expect("a valid iCalendar file");
        let events: Vec<&icalendar::Event> =
            cal.components.iter().filter_map(|c| c.as_event()).collect();
        assert_eq!(events.len(), 6, "{}: events", want.folder);
        let starts: Vec<NaiveDate> = events
            .iter()
            .map(|e| match e.get_start() {
                Some(icalendar::DatePerhapsTime::Date(d)) => d,
                other => panic!("{}: an event starts on a date, got {other:?}", want.folder),
            })
            .collect();
        assert_eq!(starts, want.dates, "{}: session dates", want.folder);
        for e in &events {
            let summary = e.get_summary().unwrap_or_default();
            assert!(
                summary.contains(want.mentor) && summary.contains(want.mentee),
                "{}: the event names the pair: {summary}",
                want.folder
            );
            let description = e.get_description().unwrap_or_default();
            assert!(
                description.contains(".pdf"),
                "{}: the event says which sheet to bring: {description}",
                want.folder
            );
        }
    }
    // The English pair's sheets are the English ones, and its e-mail is invited.
    let en = unzip(&packs.join("anna-smith-john-o-neill.zip"));
    let text = pdf_text(&en["anna-smith-john-o-neill/mentoring-agreement.pdf"]);
    assert!(text.contains("Mentoring"), "the English agreement:\n{text}");
    let ics = String::from_utf8(en["anna-smith-john-o-neill/sessions.ics"].clone()).expect("ics");
    assert!(
        ics.contains("mailto:john.oneill@example.org"),
        "the pair's e-mail is invited:\n{ics}"
    );
}

/// Runs `pack` on the bad pairs file `name`: it fails with exactly `error` (its
/// first line), and writes nothing.
fn bad(name: &str, error: &str) {
    let site = site_with(&format!("bad/{name}"));
    let before = tree(site.path());
    let run = site.run(&["pack", "--pairs", "pairs.csv"]).code_is(1);
    let err = run.stderr();
    assert!(err.contains(error), "{name}: wanted `{error}` in:\n{err}");
    assert!(err.contains("help: "), "{name}: a help line:\n{err}");
    assert!(
        !site.path().join("packs").exists(),
        "{name}: packs/ was written"
    );
    assert_eq!(
        tree(site.path()).keys().collect::<Vec<_>>(),
        before.keys().collect::<Vec<_>>(),
        "{name}: a file was written"
    );
}

#[test]
fn a_pairs_file_without_a_column_is_an_error_at_the_header() {
    bad(
        "missing-column.csv",
        "pairs.csv:1:21: error: no `mentee` column in the header",
    );
}

#[test]
fn a_bad_date_is_an_error_at_its_cell() {
    bad(
        "bad-date.csv",
        "pairs.csv:3:24: error: `11/03/2027` is not a date written YYYY-MM-DD",
    );
}

#[test]
fn an_unknown_language_is_an_error_at_its_cell() {
    bad(
        "unknown-language.csv",
        "pairs.csv:3:21: error: unknown language `de`",
    );
}

#[test]
fn a_pair_listed_twice_is_an_error_at_the_second() {
    bad(
        "duplicate-pair.csv",
        "pairs.csv:4:1: error: the pair lea martin – Bruno  LEROY is already on line 2",
    );
}

#[test]
fn a_quote_not_closed_is_an_error_where_it_opens() {
    bad(
        "unclosed-quote.csv",
        "pairs.csv:3:1: error: this quote is never closed",
    );
}

//! Printed PDFs as a trainer gets them: page numbers, running heads and footers,
//! bookmarks, the document title, light paper from a dark screen, logos, and the
//! pictures kept under `target/test-artefacts/` to be looked at.
//!
//! Every test here prints with the real headless Chromium and reads the PDF back
//! with poppler and lopdf.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::browser;
use crate::pdf_tools::*;
use crate::support::*;

/// The sample handbook printed once for the tests of this file (`pdf --all`), with
/// its HTML built beside it, under `target/test-artefacts/sample/`.
struct Sample {
    pdf: PathBuf,
    html: PathBuf,
}

fn sample() -> &'static Sample {
    static SAMPLE: OnceLock<Sample> = OnceLock::new();
    SAMPLE.get_or_init(|| {
        let dir = artefacts().join("sample");
        let _ = std::fs::remove_dir_all(&dir);
        let site = Site::sample();
        let pdf = dir.join("pdf");
        let html = dir.join("html");
        let pdf_arg = pdf.to_string_lossy().into_owned();
        let html_arg = html.to_string_lossy().into_owned();
        site.run(&["pdf", "--all", "--out", &pdf_arg]).success();
        site.run(&["build", "--out", &html_arg]).success();
        Sample { pdf, html }
    })
}

/// The page's "Page N / M" is there, in the last lines of the page.
fn assert_numbered(pdf: &Path) {
    let pages = pdf_pages(pdf);
    let m = pages.len();
    assert!(m > 0);
    for (i, text) in pages.iter().enumerate() {
        let n = i + 1;
        let foot: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
        let foot = foot[foot.len().saturating_sub(2)..].join("\n");
        assert!(
            foot.contains(&format!("Page {n} / {m}")),
            "page {n} of {} does not end with `Page {n} / {m}`:\n{foot}",
            pdf.display()
        );
        assert_eq!(
            text.matches(&format!("Page {n} / {m}")).count(),
            1,
            "page {n} of {} carries its number once",
            pdf.display()
        );
    }
}

#[test]
fn every_printed_page_says_page_n_of_m() {
    if !can_print("every_printed_page_says_page_n_of_m") {
        return;
    }
    let s = sample();
    for pdf in [
        "handbook.pdf",
        "worksheets.pdf",
        "seance-3.pdf",
        "charte.pdf",
    ] {
        assert_numbered(&s.pdf.join(pdf));
    }
    assert!(page_count(&s.pdf.join("handbook.pdf")) > 40);
}

#[test]
fn worksheet_pages_name_their_sheet_session_and_contact() {
    if !can_print("worksheet_pages_name_their_sheet_session_and_contact") {
        return;
    }
    let pdf = sample().pdf.join("seance-3.pdf");
    let pages = pdf_pages(&pdf);
    assert!(pages.len() >= 2, "the sample sheet has two pages");
    for (i, text) in pages.iter().enumerate() {
        assert!(
            text.contains("Équipe du programme — écrivez-nous pour toute question"),
            "page {} has no contact line",
            i + 1
        );
        if i == 0 {
            // Page 1 has no running head: its header says it all, pair's names included.
            let first = text
                .lines()
                .find(|l| !l.trim().is_empty())
                .unwrap_or_default();
            assert_eq!(first.trim(), "Séance 3 — Faire le point à mi-parcours");
            assert!(text.contains("Personne mentorée") && !text.contains("Binôme"));
            continue;
        }
        let head = text
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or_default();
        assert!(
            head.contains("Programme de mentorat")
                && head.contains("Séance 3 — Faire le point à mi-parcours"),
            "page {} has no running head with the programme and the sheet: {head:?}",
            i + 1
        );
        assert!(
            head.contains("Binôme : ____"),
            "a line for the pair's names: {head}"
        );
    }
    // In the handbook, chapters carry their own title in the running head.
    let handbook = sample().pdf.join("handbook.pdf");
    let with_chapter = pdf_pages(&handbook)
        .iter()
        .filter(|p| {
            p.lines().find(|l| !l.trim().is_empty()).is_some_and(|l| {
                l.contains("Guide du mentorat") && l.contains("2 La relation de mentorat")
            })
        })
        .count();
    assert!(
        with_chapter >= 3,
        "{with_chapter} pages of chapter 2 name it"
    );
}

/// The table of contents of a print page: (depth, "number title") in order.
fn contents(print_html: &Path) -> Vec<(usize, String)> {
    let text = std::fs::read_to_string(print_html).expect("print.html");
    let doc = scraper::Html::parse_document(&text);
    select(&doc, ".print-toc li")
        .iter()
        .map(|li| {
            let style = li.value().attr("style").unwrap_or_default();
            let rem: f64 = style
                .trim_start_matches("margin-left:")
                .trim()
                .trim_end_matches("rem")
                .parse()
                .expect("toc indent");
            let num = text_of_el(li, ".toc-num");
            let all: String = li.text().collect();
            let title = all.trim_start_matches(&num).trim().to_string();
            ((rem / 1.25).round() as usize + 1, format!("{num} {title}"))
        })
        .collect()
}

fn text_of_el(el: &scraper::ElementRef<'_>, css: &str) -> String {
    let sel = scraper::Selector::parse(css).expect("selector");
    el.select(&sel)
        .next()
        .map(|e| e.text().collect())
        .unwrap_or_default()
}

#[test]
fn handbook_bookmarks_nest_like_its_contents() {
    if !can_print("handbook_bookmarks_nest_like_its_contents") {
        return;
    }
    let s = sample();
    let pdf = s.pdf.join("handbook.pdf");
    let marks = outline(&pdf);
    let toc = contents(&s.html.join("print.html"));
    let chapters: Vec<&String> = toc
        .iter()
        .filter(|(d, _)| *d == 1)
        .map(|(_, t)| t)
        .collect();
    assert!(chapters.len() >= 4, "{toc:?}");
    let top: Vec<&String> = marks
        .iter()
        .filter(|b| b.level == 1)
        .map(|b| &b.title)
        .collect();
    assert_eq!(
        top[0], "Guide du mentorat",
        "the cover comes first (its contents page beneath it)"
    );
    assert_eq!(top[1..], chapters[..], "one top-level bookmark per chapter");
    // Every entry of the contents is a bookmark at its depth, under its parent, in order.
    let mut from = 0;
    for (depth, title) in &toc {
        let at = marks[from..]
            .iter()
            .position(|b| &b.title == title)
            .map(|i| i + from)
            .unwrap_or_else(|| panic!("no bookmark `{title}` after #{from}: {marks:#?}"));
        assert_eq!(
            marks[at].level, *depth,
            "`{title}` is nested like the contents"
        );
        // It points at the page where that title is printed.
        let page = page_text(&pdf, marks[at].page);
        let words = title.split_whitespace().skip(1).take(3).collect::<Vec<_>>();
        assert!(
            words.iter().all(|w| page.contains(w)),
            "bookmark `{title}` points at page {} which does not show it",
            marks[at].page
        );
        from = at + 1;
    }
}

#[test]
fn worksheets_pdf_has_one_bookmark_per_worksheet() {
    if !can_print("worksheets_pdf_has_one_bookmark_per_worksheet") {
        return;
    }
    let s = sample();
    let text = std::fs::read_to_string(s.html.join("worksheets/print.html")).expect("html");
    let doc = scraper::Html::parse_document(&text);
    let sheets: Vec<String> = select(&doc, "section.print-page .ws-header h1")
        .iter()
        .map(|h| h.text().collect::<String>())
        .collect();
    assert_eq!(sheets.len(), 12, "the sample has 12 worksheets");
    let marks = outline(&s.pdf.join("worksheets.pdf"));
    let top: Vec<String> = marks
        .iter()
        .filter(|b| b.level == 1)
        .map(|b| b.title.clone())
        .collect();
    assert_eq!(top, sheets);
}

#[test]
fn pdf_title_is_not_doubled_and_language_is_set() {
    if !can_print("pdf_title_is_not_doubled_and_language_is_set") {
        return;
    }
    let dir = &sample().pdf;
    assert_eq!(
        pdfinfo(&dir.join("handbook.pdf"), "Title"),
        "Guide du mentorat"
    );
    assert_eq!(
        pdfinfo(&dir.join("seance-3.pdf"), "Title"),
        "Séance 3 — Faire le point à mi-parcours · Guide du mentorat"
    );
    assert_eq!(pdfinfo(&dir.join("handbook.pdf"), "Tagged"), "yes");
    assert_eq!(language(&dir.join("handbook.pdf")), "fr");
    assert_eq!(language(&dir.join("seance-3.pdf")), "fr");
}

#[test]
fn printed_pictures_are_kept_as_artefacts() {
    if !can_print("printed_pictures_are_kept_as_artefacts") {
        return;
    }
    let dir = &sample().pdf;
    for (pdf, page, name) in [
        ("seance-3.pdf", 1, "worksheet-page1"),
        ("seance-3.pdf", 2, "worksheet-page2"),
        ("handbook.pdf", 2, "handbook-contents"),
        ("handbook.pdf", 5, "handbook-chapter"),
    ] {
        let png = keep_png(&dir.join(pdf), page, name);
        assert!(
            std::fs::metadata(&png).is_ok_and(|m| m.len() > 10_000),
            "{}",
            png.display()
        );
    }
    let contents = page_text(&dir.join("handbook.pdf"), 2);
    assert!(contents.contains("Sommaire"), "page 2 is the contents page");
}

/// A worksheet with a form table and a Markdown table, for the colour tests.
fn tables_site(theme: &str) -> Site {
    let site = Site::new();
    site.write(
        "mentorbook.yaml",
        &format!(
            "title: Test\nlang: fr\ntheme:\n  name: {theme}\n  programme: Programme Tremplin\n"
        ),
    );
    site.write(
        "content/fiche.md",
        "---\ntitle: Fiche sombre\nkind: worksheet\nsession: 2\n---\n\n| Complémentarités | Engagements |\n| --- | --- |\n| a | b |\n\n```table\nlabel: Plan\ncolumns: [Actionnables, Responsables]\nrows: 2\n```\n",
    );
    site
}

#[test]
fn paper_is_light_when_the_screen_is_dark() {
    if !can_print("paper_is_light_when_the_screen_is_dark") {
        return;
    }
    for theme in ["default", "corporate"] {
        let site = tables_site(theme);
        let config = mentorbook::config::Config::load(site.path()).expect("config");
        let opts = mentorbook::pdf::PdfOptions {
            target: mentorbook::pdf::PdfTarget::Page("content/fiche.md".into()),
            out: Some(site.path().join("pdfs")),
            color_scheme: mentorbook::pdf::ColorScheme::Dark,
            ..Default::default()
        };
        let files = mentorbook::pdf::run(&config, &opts).expect("print in dark mode");
        let pdf = &files[0];
        let picture = render_page(pdf, 1, 72);
        let words = page_words(pdf, 1);
        for heading in [
            "Complémentarités",
            "Engagements",
            "Actionnables",
            "Responsables",
        ] {
            let w = words
                .iter()
                .find(|w| w.text == heading)
                .unwrap_or_else(|| panic!("`{heading}` printed ({theme})"));
            let [x0, y0, x1, y1] = w.bbox.map(|v| v.max(0.0) as usize);
            // The cell around the heading: a margin of 4 pt on each side.
            let around =
                picture.median_luma(x0.saturating_sub(4), y0.saturating_sub(4), x1 + 4, y1 + 4);
            assert!(
                around > 200,
                "{theme}: the table heading `{heading}` prints on a dark background ({around})"
            );
        }
        let page = picture.median_luma(0, 0, picture.width, picture.height);
        assert!(page > 240, "{theme}: the page is not white ({page})");
        let text = page_text(pdf, 1);
        assert!(text.contains("Fiche sombre"));
    }
}

#[test]
fn furniture_is_switchable_per_page_kind() {
    if !can_print("furniture_is_switchable_per_page_kind") {
        return;
    }
    let site = Site::fixture("print/six");
    site.write(
        "mentorbook.yaml",
        "title: Programme Tremplin\nlang: fr\ntheme:\n  programme: Programme Tremplin\n  footer: Document confidentiel\n  print_page_numbers: handbook\n  print_footer: worksheet\n  print_running_head: none\n",
    );
    site.run(&["pdf", "--out", "pdfs"]).success();
    site.run(&["pdf", "content/fiches/seance-1.md", "--out", "pdfs"])
        .success();
    let handbook = pdf_pages(&site.path().join("pdfs/handbook.pdf"));
    let sheet = pdf_pages(&site.path().join("pdfs/seance-1.pdf"));
    let m = handbook.len();
    for (i, p) in handbook.iter().enumerate() {
        assert!(p.contains(&format!("Page {} / {m}", i + 1)), "{p}");
        assert!(
            !p.contains("Document confidentiel"),
            "no footer on the handbook"
        );
    }
    for p in &sheet {
        assert!(
            !p.contains("Page 1 /"),
            "worksheets are not numbered here: {p}"
        );
        assert!(
            p.contains("Document confidentiel"),
            "the worksheet footer: {p}"
        );
        assert!(!p.contains("Binôme"), "no running head: {p}");
    }
}

/// A logo four times as wide as it is high, in teal.
const WIDE_LOGO: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="400" height="100" viewBox="0 0 400 100"><rect width="400" height="100" fill="#1d6b74"/></svg>"##;

/// The bounding box of the teal pixels inside a rectangle of the picture.
fn teal_box(p: &Picture, x0: usize, y0: usize, x1: usize, y1: usize) -> Option<[usize; 4]> {
    let mut b: Option<[usize; 4]> = None;
    for y in y0..y1.min(p.height) {
        for x in x0..x1.min(p.width) {
            let [r, g, bl] = p.at(x, y);
            if r < 70 && (80..140).contains(&g) && (90..150).contains(&bl) {
                let e = b.get_or_insert([x, y, x, y]);
                e[0] = e[0].min(x);
                e[1] = e[1].min(y);
                e[2] = e[2].max(x);
                e[3] = e[3].max(y);
            }
        }
    }
    b
}

#[test]
fn a_wide_logo_keeps_its_proportions_on_screen_and_paper() {
    if !can_print("a_wide_logo_keeps_its_proportions_on_screen_and_paper") {
        return;
    }
    let site = Site::fixture("print/six");
    site.write("static/logo.svg", WIDE_LOGO);
    site.write(
        "mentorbook.yaml",
        "title: Programme Tremplin\nlang: fr\ntheme:\n  programme: Programme Tremplin\n  logo: logo.svg\n",
    );
    site.build();
    let page = site.html("fiches/seance-1.html");
    let img = select(&page, "header.site-header img.logo");
    assert_eq!(img.len(), 1);
    assert!(
        img[0].value().attr("width").is_none(),
        "no fixed width: the logo keeps its proportions"
    );
    assert_eq!(
        select(&page, ".ws-header img.ws-logo").len(),
        1,
        "the sheet shows the logo"
    );
    site.run(&["pdf", "content/fiches/seance-1.md", "--out", "pdfs"])
        .success();
    let pdf = site.path().join("pdfs/seance-1.pdf");
    keep_png(&pdf, 1, "worksheet-with-logo");
    let p = render_page(&pdf, 1, 72);
    let (w, h) = (p.width, p.height);
    // In the sheet's header (top right) and in the footer (bottom left).
    for (what, area) in [
        ("header", [w / 2, 0, w, h / 4]),
        ("footer", [0, h - h / 10, w / 2, h]),
    ] {
        let b = teal_box(&p, area[0], area[1], area[2], area[3])
            .unwrap_or_else(|| panic!("no logo in the {what}"));
        let ratio = (b[2] - b[0] + 1) as f64 / (b[3] - b[1] + 1) as f64;
        assert!(
            (3.5..4.5).contains(&ratio),
            "the logo in the {what} is distorted: {b:?}, ratio {ratio:.2}"
        );
    }
}

#[test]
fn typed_answers_print_and_focus_rings_do_not() {
    if !can_print("typed_answers_print_and_focus_rings_do_not") {
        return;
    }
    let Some(b) = browser::start("typed_answers_print_and_focus_rings_do_not") else {
        return;
    };
    let site = Site::fixture("print/six");
    site.build();
    b.goto(&format!(
        "file://{}",
        site.public().join("fiches/seance-1.html").display()
    ));
    b.eval("document.querySelector('.ws-field textarea').focus(); return true;");
    b.keys("Parler en public sans notes");
    let focused = b.eval("return document.activeElement.tagName;");
    assert_eq!(
        focused, "TEXTAREA",
        "the field keeps the focus while printing"
    );
    let bytes = b.print_pdf(21.0, 29.7);
    let pdf = site.path().join("typed.pdf");
    std::fs::write(&pdf, bytes).expect("write pdf");
    let text = page_text(&pdf, 1);
    assert!(
        text.contains("Parler en public sans notes"),
        "the typed answer is on paper:\n{text}"
    );
    // The focus ring (orange, --focus) does not reach paper.
    let p = render_page(&pdf, 1, 72);
    let orange = (0..p.height)
        .flat_map(|y| (0..p.width).map(move |x| (x, y)))
        .filter(|&(x, y)| {
            let [r, g, bl] = p.at(x, y);
            r > 150 && g < 130 && bl < 90 && r > g + 60
        })
        .count();
    assert_eq!(orange, 0, "{orange} orange pixels: a focus ring printed");
}

/// An executable script standing in for Chromium.
fn browser_script(site: &Site, name: &str, body: &str) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let path = site.path().join(name);
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).expect("write script");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    path
}

#[test]
fn one_chromium_prints_every_file_and_is_gone_afterwards() {
    if !can_print("one_chromium_prints_every_file_and_is_gone_afterwards") {
        return;
    }
    let real = browser::chromium().expect("chromium");
    let site = Site::fixture("print/six");
    let log = site.path().join("launches.log");
    let wrapper = browser_script(
        &site,
        "chromium-wrapper",
        &format!(
            "echo $$ >> '{}'\nexec '{}' \"$@\"",
            log.display(),
            real.display()
        ),
    );
    let run = run_in(
        site.path(),
        &["pdf", "--worksheets", "--out", "pdfs"],
        &[("CHROME", wrapper.as_os_str())],
    )
    .success();
    assert!(run.stdout().contains("Printed 7 PDFs"), "{}", run.stdout());
    let launches = std::fs::read_to_string(&log).expect("launch log");
    let pids: Vec<&str> = launches.lines().collect();
    assert_eq!(pids.len(), 1, "one Chromium for the whole run: {pids:?}");
    assert!(
        !Path::new(&format!("/proc/{}", pids[0])).exists(),
        "Chromium (PID {}) still runs after `pdf`",
        pids[0]
    );
}

#[test]
fn a_browser_that_dies_at_start_is_a_clear_error() {
    let site = Site::fixture("print/six");
    let broken = browser_script(
        &site,
        "broken-chromium",
        "echo 'cannot open display' >&2\nexit 3",
    );
    let run = run_in(
        site.path(),
        &["pdf", "--worksheets", "--out", "pdfs"],
        &[("CHROME", broken.as_os_str())],
    )
    .code_is(2);
    assert!(
        run.stderr().contains("Chromium exited") && run.stderr().contains("cannot open display"),
        "{}",
        run.stderr()
    );
}

#[test]
fn lead_ins_stay_with_what_they_introduce() {
    if !can_print("lead_ins_stay_with_what_they_introduce") {
        return;
    }
    let dir = &sample().pdf;
    let mut checked = 0;
    for pdf in ["handbook.pdf", "worksheets.pdf"] {
        let pages = pdf_pages(&dir.join(pdf));
        for (i, text) in pages.iter().enumerate().take(pages.len().saturating_sub(1)) {
            let lines: Vec<&str> = text
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect();
            // The last line of the page's body, above the footer line.
            let last = lines.iter().rev().nth(1).copied().unwrap_or_default();
            assert!(
                !last.ends_with(':'),
                "page {} of {pdf} ends with a lead-in whose block is on the next page: {last:?}",
                i + 1
            );
            checked += 1;
        }
    }
    assert!(checked > 60);
}

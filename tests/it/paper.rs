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

/// The sample handbook printed once for the tests of this file (`pdf --all`, and
/// the English worksheets into `en/`), with its HTML built beside it, under
/// `target/test-artefacts/sample/`.
struct Sample {
    pdf: PathBuf,
    html: PathBuf,
    /// What the `pdf` runs printed on stderr (warnings).
    stderr: String,
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
        let all = site.run(&["pdf", "--all", "--out", &pdf_arg]).success();
        let en = site
            .run(&["pdf", "--worksheets", "--lang", "en", "--out", &pdf_arg])
            .success();
        site.run(&["build", "--out", &html_arg]).success();
        Sample {
            pdf,
            html,
            stderr: all.stderr() + &en.stderr(),
        }
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
    // The programme's timeline, phases and sessions, is one sheet to pin up.
    assert_eq!(page_count(&s.pdf.join("timeline.pdf")), 1, "timeline.pdf");
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
    // All the sheets in one PDF: the first page is a sheet like this one, with no
    // running head either; the next sheets' pages have theirs.
    let all = pdf_pages(&sample().pdf.join("worksheets.pdf"));
    let head_of = |p: &String| {
        p.lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or_default()
            .to_string()
    };
    assert!(
        !all[0].contains("Binôme") && !head_of(&all[0]).contains("Programme de mentorat"),
        "the first sheet has no running head: {:?}",
        head_of(&all[0])
    );
    assert!(
        all.iter()
            .skip(1)
            .any(|p| head_of(p).contains("Binôme : ____")),
        "later sheets have their running head"
    );
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
            // Its depth is in its class (`toc-d2`), which sets its indent.
            let depth: usize = li
                .value()
                .classes()
                .find_map(|c| c.strip_prefix("toc-d"))
                .and_then(|d| d.parse().ok())
                .expect("toc depth class");
            let num = text_of_el(li, ".toc-num");
            let all: String = li.text().collect();
            let title = all.trim_start_matches(&num).trim().to_string();
            (depth, format!("{num} {title}"))
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
        ("handbook.pdf", 4, "handbook-cross-references"),
        ("handbook.pdf", 5, "handbook-chapter"),
        ("grille-appariement.pdf", 1, "worksheet-table-headings"),
        ("preparer-une-seance.pdf", 1, "worksheet-one-sheet"),
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
        let pdf = &files.files[0];
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
                .find(|w| w.text.replace('\u{AD}', "") == heading)
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

/// The printed contents of a PDF page: (entry number, page number) per line
/// that ends with a page number after its dot leaders (a title may wrap: its
/// number comes on its last line).
fn printed_contents(pdf: &Path, page: usize) -> Vec<(String, usize)> {
    let text = page_text(pdf, page);
    let mut out = Vec::new();
    let mut open: Option<String> = None;
    for line in text.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        let Some(first) = words.first() else { continue };
        if first.chars().next().is_some_and(|c| c.is_ascii_digit())
            && first.contains(|c: char| c.is_ascii_digit())
            && words.len() > 1
        {
            open = Some(first.to_string());
        }
        let last = words.last().copied().unwrap_or_default();
        if let (Some(num), Ok(p)) = (&open, last.parse::<usize>())
            && words.len() > 1
            && (line.contains(". .") || words.len() > 2)
        {
            out.push((num.clone(), p));
            open = None;
        }
    }
    out
}

#[test]
fn contents_give_the_page_on_which_each_chapter_starts() {
    if !can_print("contents_give_the_page_on_which_each_chapter_starts") {
        return;
    }
    let s = sample();
    let pdf = s.pdf.join("handbook.pdf");
    let toc = contents(&s.html.join("print.html"));
    let printed = printed_contents(&pdf, 2);
    assert_eq!(
        printed.len(),
        toc.len(),
        "every entry of the contents has a page number: {printed:?}"
    );
    // pdftotext joins a word hyphenated at a line's end: compare without hyphens.
    let plain = |t: &str| t.replace(['-', '\u{AD}', '\u{2010}'], "");
    let flows: Vec<String> = (1..=page_count(&pdf))
        .map(|n| plain(&page_flow(&pdf, n)))
        .collect();
    let mut chapters = 0;
    for ((depth, entry), (num, page)) in toc.iter().zip(&printed) {
        let entry = plain(&entry.split_whitespace().collect::<Vec<_>>().join(" "));
        assert!(
            entry.starts_with(&format!("{} ", plain(num))),
            "{entry} / {num}"
        );
        // A chapter's numbered title is printed first on the page the contents give
        // (after the contents); every other entry's title is on its page.
        let first = flows
            .iter()
            .enumerate()
            .skip(2)
            .find(|(_, text)| text.contains(&entry))
            .map(|(i, _)| i + 1);
        if *depth == 1 {
            assert_eq!(
                first,
                Some(*page),
                "the contents say chapter `{entry}` starts on page {page}"
            );
            chapters += 1;
        }
        assert!(
            flows[page - 1].contains(&entry),
            "the contents say `{entry}` is on page {page}, which does not show it"
        );
    }
    assert!(chapters >= 5, "{chapters} chapters");
}

#[test]
fn every_cross_reference_prints_the_page_of_its_target() {
    if !can_print("every_cross_reference_prints_the_page_of_its_target") {
        return;
    }
    let s = sample();
    let re = regex_lite_refs();
    for (html, pdf) in [
        ("print.html", "handbook.pdf"),
        ("fiches/print.html", "section-fiches.pdf"),
    ] {
        let pdf = s.pdf.join(pdf);
        let text = std::fs::read_to_string(s.html.join(html)).expect("print page");
        let doc = scraper::Html::parse_document(&text);
        let anchors: Vec<String> = select(&doc, ".page-ref-text .mb-page")
            .iter()
            .map(|e| e.value().attr("data-page-of").expect("anchor").to_string())
            .collect();
        assert!(
            anchors.len() > 20,
            "{} cross-references in {html}",
            anchors.len()
        );
        let dests = named_dests(&pdf);
        let mut printed = Vec::new();
        for n in 1..=page_count(&pdf) {
            printed.extend(re(&page_flow(&pdf, n)));
        }
        assert_eq!(
            printed.len(),
            anchors.len(),
            "every cross-reference of {html} prints a page"
        );
        let mut see = 0;
        for (anchor, (voir, page)) in anchors.iter().zip(&printed) {
            assert_eq!(
                dests.get(anchor),
                Some(page),
                "the reference to `#{anchor}` prints page {page}"
            );
            see += usize::from(*voir);
        }
        assert!(
            see > 0 && see < printed.len(),
            "both “(voir p. N)” and “(p. N)” after “Voir”"
        );
    }
}

/// The page references of a text, in order: (whether it says "voir", page).
fn regex_lite_refs() -> impl Fn(&str) -> Vec<(bool, usize)> {
    |text: &str| {
        let mut out = Vec::new();
        let mut rest = text;
        while let Some(i) = rest.find("p. ") {
            let before = &rest[..i];
            let after = &rest[i + 3..];
            let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
            let closed = after[digits.len()..].starts_with(')');
            let voir = before.ends_with("(voir ");
            if !digits.is_empty() && closed && (voir || before.ends_with('(')) {
                out.push((voir, digits.parse().expect("page")));
            }
            rest = after;
        }
        out
    }
}

/// The `sheets:` of every sample worksheet, with the PDF it prints to.
fn declared_sheets() -> Vec<(PathBuf, usize)> {
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(crate::support::repo_root().join("content/05-fiches"))
        .into_iter()
        .filter_map(Result::ok)
    {
        let name = e.file_name().to_string_lossy().into_owned();
        if !name.ends_with(".md") || name.starts_with("_index") {
            continue;
        }
        let text = std::fs::read_to_string(e.path()).expect("worksheet");
        let sheets: usize = text
            .lines()
            .find_map(|l| l.strip_prefix("sheets:"))
            .unwrap_or_else(|| panic!("{name} declares its sheets"))
            .trim()
            .parse()
            .expect("a number of sheets");
        let (stem, lang) = match name.strip_suffix(".en.md") {
            Some(s) => (s, "en/"),
            None => (name.trim_end_matches(".md"), ""),
        };
        let stem = stem.split_once('-').map_or(stem, |(n, rest)| {
            if n.chars().all(|c| c.is_ascii_digit()) {
                rest
            } else {
                stem
            }
        });
        out.push((PathBuf::from(format!("{lang}{stem}.pdf")), sheets));
    }
    out
}

#[test]
fn every_sample_worksheet_prints_on_its_declared_sheets() {
    if !can_print("every_sample_worksheet_prints_on_its_declared_sheets") {
        return;
    }
    let s = sample();
    let declared = declared_sheets();
    assert_eq!(declared.len(), 24, "12 worksheets in French and English");
    for (pdf, sheets) in &declared {
        let pages = page_count(&s.pdf.join(pdf));
        assert!(
            pages <= *sheets,
            "{} prints on {pages} pages, declares `sheets: {sheets}`",
            pdf.display()
        );
        // A two-page sheet uses its second page (no page left mostly blank).
        if *sheets == 2 {
            assert_eq!(pages, 2, "{}", pdf.display());
            let words = page_words(&s.pdf.join(pdf), 2);
            let lowest = words
                .iter()
                .filter(|w| w.bbox[3] < 780.0)
                .map(|w| w.bbox[3])
                .fold(0.0, f64::max);
            assert!(
                lowest > 420.0,
                "page 2 of {} is mostly blank (text ends at {lowest:.0} pt)",
                pdf.display()
            );
        }
    }
    // Inside worksheets.pdf each sheet takes as many pages (bookmarks mark where each starts).
    let marks = outline(&s.pdf.join("worksheets.pdf"));
    let starts: Vec<usize> = marks
        .iter()
        .filter(|b| b.level == 1)
        .map(|b| b.page)
        .collect();
    let total = page_count(&s.pdf.join("worksheets.pdf"));
    let lengths: Vec<usize> = starts
        .iter()
        .zip(starts.iter().skip(1).chain(std::iter::once(&(total + 1))))
        .map(|(a, b)| b - a)
        .collect();
    assert!(
        lengths.iter().all(|&n| n == 1 || n == 2) && lengths.contains(&1),
        "pages per sheet in worksheets.pdf: {lengths:?}"
    );
    assert!(
        !s.stderr.contains("warning"),
        "the sample prints without warnings:\n{}",
        s.stderr
    );
}

/// The words of table headings in built pages, soft hyphens removed.
fn heading_words(pages: &[PathBuf]) -> std::collections::HashSet<String> {
    let mut words = std::collections::HashSet::new();
    for p in pages {
        let text = std::fs::read_to_string(p).expect("page");
        let doc = scraper::Html::parse_document(&text);
        for th in select(&doc, "th") {
            let t: String = th.text().collect::<String>().replace('\u{AD}', "");
            for w in t.split(|c: char| !c.is_alphabetic()) {
                if w.chars().count() >= 4 {
                    words.insert(w.to_string());
                }
            }
        }
    }
    words
}

#[test]
fn no_printed_table_heading_is_split_without_a_hyphen() {
    if !can_print("no_printed_table_heading_is_split_without_a_hyphen") {
        return;
    }
    let s = sample();
    let pages: Vec<PathBuf> = walkdir::WalkDir::new(&s.html)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.path().to_path_buf())
        .filter(|p| p.extension().is_some_and(|x| x == "html"))
        .collect();
    let headings = heading_words(&pages);
    assert!(headings.contains("Complémentarités") && headings.contains("Complementarities"));
    // pdftotext keeps the soft hyphens inside words: only a hyphen at the end shows a break.
    let clean = |w: &str| {
        w.replace('\u{AD}', "")
            .trim_matches(|c: char| !c.is_alphabetic() && c != '-' && c != '\u{2010}')
            .to_string()
    };
    let mut hyphenated = Vec::new();
    for pdf in ["worksheets.pdf", "en/worksheets.pdf", "handbook.pdf"] {
        let pdf = s.pdf.join(pdf);
        for n in 1..=page_count(&pdf) {
            let words: Vec<String> = page_words(&pdf, n).iter().map(|w| clean(&w.text)).collect();
            for pair in words.windows(2) {
                let (a, b) = (&pair[0], &pair[1]);
                if a.is_empty() || b.is_empty() {
                    continue;
                }
                let cut = a.strip_suffix(['-', '\u{2010}']);
                match cut {
                    Some(head) if headings.contains(&format!("{head}{b}")) => {
                        hyphenated.push(format!("{a}{b}"));
                    }
                    None => assert!(
                        headings.contains(a.as_str()) || !headings.contains(&format!("{a}{b}")),
                        "page {n} of {}: the heading `{a}{b}` is split without a hyphen",
                        pdf.display()
                    ),
                    _ => {}
                }
            }
        }
    }
    assert!(
        hyphenated.iter().any(|w| w.starts_with("Complémen")),
        "narrow headings break at a syllable, with a hyphen: {hyphenated:?}"
    );
}

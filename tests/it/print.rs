//! Worksheets and print: blocks, print pages, and PDFs made by a real headless Chromium.

use std::process::Command;

use crate::pdf_tools::*;
use crate::support::*;

const CHROME_TEXT: &[&str] = &[
    "Aller au contenu",
    "Sommaire du guide",
    "Précédent",
    "Suivant",
    "Rechercher",
    "Accueil",
];

#[test]
fn worksheets_pdf_puts_each_title_first_on_a_page() {
    if !can_print("worksheets_pdf_puts_each_title_first_on_a_page") {
        return;
    }
    let site = Site::fixture("print/six");
    let run = site
        .run(&["pdf", "--worksheets", "--out", "pdfs"])
        .success();
    assert!(run.stdout().contains("Printed 7 PDFs"), "{}", run.stdout());
    let dir = site.path().join("pdfs");
    for i in 1..=6 {
        assert!(
            dir.join(format!("seance-{i}.pdf")).is_file(),
            "one PDF per worksheet"
        );
    }
    let pages = pdf_pages(&dir.join("worksheets.pdf"));
    assert!(pages.len() >= 6, "{} pages", pages.len());
    // The first text of a page below its running head (programme · session · sheet).
    let firsts: Vec<String> = pages
        .iter()
        .map(|p| {
            p.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .find(|l| !l.starts_with("Programme Tremplin · "))
                .unwrap_or("")
                .to_string()
        })
        .collect();
    for i in 1..=6 {
        let title = format!("Fiche de la séance {i}");
        assert!(
            firsts.iter().any(|f| f == &title),
            "`{title}` is not the first text of any page: {firsts:?}"
        );
    }
    for (n, text) in pages.iter().enumerate() {
        for chrome in CHROME_TEXT {
            assert!(
                !text.contains(chrome),
                "page {} of worksheets.pdf shows `{chrome}`",
                n + 1
            );
        }
    }
    assert!(
        page_size(&dir.join("worksheets.pdf")).contains("A4"),
        "{}",
        page_size(&dir.join("worksheets.pdf"))
    );
}

#[test]
fn handbook_pdf_has_no_navigation_and_honours_letter_paper() {
    if !can_print("handbook_pdf_has_no_navigation_and_honours_letter_paper") {
        return;
    }
    let site = Site::fixture("print/six");
    site.write(
        "mentorbook.yaml",
        "title: Programme Tremplin\nlang: fr\npaper: letter\n",
    );
    site.run(&["pdf", "--out", "pdfs"]).success();
    let pdf = site.path().join("pdfs/handbook.pdf");
    assert!(page_size(&pdf).contains("letter"), "{}", page_size(&pdf));
    let pages = pdf_pages(&pdf);
    let all = pages.join("\n");
    assert!(all.contains("Le guide") && all.contains("Fiche de la séance 6"));
    for text in &pages {
        for chrome in CHROME_TEXT {
            assert!(
                !text.contains(chrome),
                "the printed handbook shows `{chrome}`"
            );
        }
    }
    site.run(&["pdf", "content/fiches/seance-2.md", "--out", "one"])
        .success();
    assert!(page_size(&site.path().join("one/seance-2.pdf")).contains("letter"));
}

#[test]
fn printed_worksheet_shows_ruled_lines_and_boxes() {
    if !can_print("printed_worksheet_shows_ruled_lines_and_boxes") {
        return;
    }
    let site = Site::fixture("print/six");
    site.run(&["pdf", "content/fiches/seance-1.md", "--out", "pdfs"])
        .success();
    let pdf = site.path().join("pdfs/seance-1.pdf");
    // Keep a picture of page 1 as a test artefact to look at.
    let artefacts = repo_root().join("target/test-artefacts");
    std::fs::create_dir_all(&artefacts).expect("artefact dir");
    let png = Command::new("pdftoppm")
        .args(["-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile"])
        .arg(&pdf)
        .arg(artefacts.join("fixture-worksheet-page1"))
        .status()
        .expect("pdftoppm");
    assert!(png.success());
    // Count long horizontal dark rules on page 1 (ruled lines, box and table borders).
    let prefix = site.path().join("page1");
    let pgm = Command::new("pdftoppm")
        .args(["-gray", "-r", "50", "-f", "1", "-l", "1", "-singlefile"])
        .arg(&pdf)
        .arg(&prefix)
        .status()
        .expect("pdftoppm");
    assert!(pgm.success());
    let bytes = std::fs::read(prefix.with_extension("pgm")).expect("pgm");
    let (_, w, h, pixels) = parse_pnm(&bytes);
    let ruled_rows = (0..h)
        .filter(|&y| {
            let row = &pixels[y * w..(y + 1) * w];
            row.iter().filter(|&&v| v < 160).count() > w * 45 / 100
        })
        .count();
    assert!(
        ruled_rows >= 8,
        "only {ruled_rows} ruled rows on page 1 (lines and boxes should print)"
    );
    // Nothing clipped: the right margin stays white.
    let right_margin_dark = (0..h).filter(|&y| pixels[y * w + w - 3] < 128).count();
    assert_eq!(right_margin_dark, 0, "something runs into the right margin");
}

#[test]
fn pdf_without_chromium_exits_2_with_install_hint() {
    let site = Site::fixture("print/six");
    let browser = site.path().join("no-such-browser");
    let run = run_in(
        site.path(),
        &["pdf", "--worksheets"],
        &[("CHROME", browser.as_os_str())],
    )
    .code_is(2);
    let err = run.stderr();
    assert!(
        err.contains("no Chromium or Chrome found") && err.contains("apt install chromium"),
        "{err}"
    );
}

#[test]
fn print_html_links_are_in_page_anchors() {
    let site = Site::fixture("print/six");
    site.build();
    for file in ["print.html", "worksheets/print.html", "fiches/print.html"] {
        let doc = site.html(file);
        let ids: std::collections::HashSet<String> = select(&doc, "[id]")
            .iter()
            .filter_map(|e| e.value().attr("id").map(str::to_string))
            .collect();
        let mut checked = 0;
        for a in select(&doc, "main a[href]") {
            let href = a.value().attr("href").unwrap_or_default();
            if a.value()
                .attr("class")
                .is_some_and(|c| c.contains("button"))
                || href.contains(':')
            {
                continue;
            }
            if file == "print.html" {
                assert!(
                    href.starts_with('#'),
                    "{file}: `{href}` should be an in-page anchor"
                );
            }
            if let Some(frag) = href.strip_prefix('#') {
                assert!(ids.contains(frag), "{file}: `#{frag}` has no target");
                checked += 1;
            }
        }
        assert!(checked > 0, "{file} has internal links");
    }
    // The handbook print page numbers chapters and holds every page once.
    let doc = site.html("print.html");
    assert_eq!(select(&doc, "section.print-page").len(), 9);
    assert_eq!(
        select(&doc, "section.print-chapter").len(),
        8,
        "the section, the page beside it (Le guide) and each worksheet start a new sheet"
    );
    let nums: Vec<String> = select(&doc, ".print-toc .toc-num")
        .iter()
        .map(|e| e.text().collect())
        .collect();
    assert_eq!(
        nums[..3],
        ["1", "1.1", "1.2"],
        "sections and pages ordered by title: Fiches, then Le guide"
    );
}

#[test]
fn section_print_page_holds_only_its_section() {
    let site = Site::fixture("print/six");
    site.build();
    let doc = site.html("fiches/print.html");
    assert_eq!(select(&doc, "section.print-page").len(), 7);
    let text = doc.root_element().text().collect::<String>();
    assert!(
        !text.contains("Conclure"),
        "pages of other sections are left out"
    );
    // Links to pages outside the section stay relative web links.
    assert!(select(&doc, "main a[href='../guide.html#preparer']").len() >= 6);
    let section = site.html("fiches/index.html");
    assert_eq!(
        select(&section, "a.button[href='print.html']").len(),
        1,
        "a 'print this section' link"
    );
}

#[test]
fn worksheet_blocks_render_as_accessible_forms() {
    let site = Site::fixture("print/six");
    site.build();
    let doc = site.html("fiches/seance-1.html");
    assert_eq!(text_of(&doc, ".ws-header h1"), "Fiche de la séance 1");
    assert_eq!(text_of(&doc, ".ws-programme"), "Programme Tremplin");
    assert_eq!(
        select(&doc, ".ws-field .ws-line").len(),
        4,
        "one ruled line per `lines`"
    );
    assert_eq!(select(&doc, ".ws-box[style='height: 3cm']").len(), 1);
    assert_eq!(select(&doc, ".ws-scale input[type=radio]").len(), 5);
    assert_eq!(select(&doc, ".ws-checklist input[type=checkbox]").len(), 2);
    assert_eq!(select(&doc, ".ws-table tbody tr").len(), 2);
    assert_eq!(select(&doc, ".ws-signer").len(), 2);
    assert_eq!(
        select(&doc, ".content .task").len(),
        1,
        "plain task lists print as empty boxes"
    );
    // Every form control has an accessible name.
    let labels: std::collections::HashSet<String> = select(&doc, "label[for]")
        .iter()
        .filter_map(|l| l.value().attr("for").map(str::to_string))
        .collect();
    for input in select(&doc, "main input, main textarea") {
        let v = input.value();
        let named = v.attr("aria-label").is_some()
            || v.attr("id").is_some_and(|id| labels.contains(id))
            || input
                .ancestors()
                .any(|a| a.value().as_element().is_some_and(|e| e.name() == "label"));
        assert!(named, "unlabelled form control: {:?}", v);
    }
}

#[test]
fn worksheet_index_groups_by_session() {
    let site = Site::fixture("print/six");
    site.build();
    let doc = site.html("worksheets/index.html");
    let groups: Vec<String> = select(&doc, ".ws-index-group h2")
        .iter()
        .map(|h| h.text().collect())
        .collect();
    // Compact: the session sheets in one group, in the order of their sessions.
    assert_eq!(groups, ["Fiches de séance"]);
    let items: Vec<&str> = select(&doc, ".ws-index-group .ws-index-item a")
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert_eq!(
        items,
        (1..=6)
            .map(|n| format!("../fiches/seance-{n}.html"))
            .collect::<Vec<_>>()
    );
    assert_eq!(
        select(&doc, "a.button[href='../worksheets/print.html']").len(),
        1
    );
    assert!(
        crawl(&site.public(), &[]).is_empty(),
        "{:?}",
        crawl(&site.public(), &[])
    );
}

#[test]
fn bad_blocks_are_located_errors_with_valid_kinds() {
    let site = Site::new();
    site.write(
        "content/fiche.md",
        "---\ntitle: F\nkind: worksheet\n---\n\n```field\nlabel: [unclosed\n```\n\n```feild\nlabel: x\n```\n\n```field\nlabel: x\nlines: 99\n```\n\n```table\nlabel: x\n```\n",
    );
    let run = site.run(&["check"]).code_is(1);
    let err = run.stderr();
    assert!(err.contains("content/fiche.md:7:"), "{err}");
    assert!(
        err.contains("content/fiche.md:10:4: error: unknown worksheet block `feild`"),
        "{err}"
    );
    assert!(
        err.contains(
            "did you mean `field`? Block kinds: field, box, scale, checklist, signature, table"
        ),
        "{err}"
    );
    assert!(
        err.contains(
            "content/fiche.md:16:1: error: in `field` block: `lines` must be between 1 and 30"
        ),
        "{err}"
    );
    assert!(
        err.contains(
            "content/fiche.md:20:1: error: in `table` block: wrong value: missing field `columns`"
        ),
        "{err}"
    );
}

#[test]
fn blocks_are_not_split_across_pages() {
    if !can_print("blocks_are_not_split_across_pages") {
        return;
    }
    let site = Site::new();
    let items: Vec<String> = (1..=12)
        .map(|i| format!("  - Élément numéro {i}"))
        .collect();
    site.write(
        "content/fiche.md",
        &format!(
            "---\ntitle: Longue fiche\nkind: worksheet\n---\n\n```field\nlabel: Beaucoup de lignes\nlines: 22\n```\n\n```checklist\nlabel: Liste à ne pas couper\nitems:\n{}\n```\n",
            items.join("\n")
        ),
    );
    site.run(&["pdf", "content/fiche.md", "--out", "pdfs"])
        .success();
    let pages = pdf_pages(&site.path().join("pdfs/fiche.pdf"));
    assert!(pages.len() >= 2, "the fixture is meant to overflow page 1");
    let holding: Vec<usize> = (1..=12)
        .map(|i| {
            let needle = format!("Élément numéro {i}");
            pages
                .iter()
                .position(|p| p.lines().any(|l| l.trim().ends_with(&needle)))
                .expect("item printed")
        })
        .collect();
    assert!(
        holding.iter().all(|&p| p == holding[0]),
        "the checklist was split across pages: {holding:?}"
    );
    let label_page = pages
        .iter()
        .position(|p| p.contains("Liste à ne pas couper"))
        .expect("label printed");
    assert_eq!(
        label_page, holding[0],
        "a block's label stays with its content"
    );
}

#[test]
fn headings_the_author_numbered_get_no_print_number_on_top() {
    let site = Site::new();
    site.write("content/_index.md", "---\ntitle: Accueil\n---\n")
        .write(
            "content/01-guide/01-etapes.md",
            "---\ntitle: Étapes\n---\n## 1. Clarifier\n\n## 2) Choisir\n\n## Un calendrier\n",
        );
    site.build();
    let doc = site.html("print.html");
    let numbered: Vec<String> = select(&doc, ".print-page h2")
        .iter()
        .map(|h| h.value().attr("class").unwrap_or("").to_string())
        .collect();
    assert_eq!(numbered, ["own-number", "own-number", ""], "{numbered:?}");
    let css = std::fs::read_to_string(site.public().join("assets/style.css")).expect("css");
    assert!(
        css.contains("h2:not(.own-number)::before"),
        "print numbers skip them"
    );
}

#[test]
fn the_pair_line_runs_only_on_sheets_for_both() {
    // A lead's sheet (a matching grid) and a mentee's own request are filled in by
    // one person, before any pair exists: no "Binôme : ____" at their head.
    let site = Site::sample();
    site.build();
    let css = |rel: &str| {
        select(&site.html(rel), "style[media=print]")
            .iter()
            .map(|s| s.text().collect::<String>())
            .collect::<String>()
    };
    assert!(css("fiches/seances/seance-3.html").contains("Binôme\u{202f}: ____"));
    for one in [
        "fiches/responsable/grille-appariement.html",
        "fiches/avant/demande.html",
    ] {
        assert!(!css(one).contains("Binôme"), "{one}: {}", css(one));
    }
    let print = css("worksheets/print.html");
    assert_eq!(
        print.matches("Binôme\u{202f}: ____").count(),
        7,
        "the charter and the six session sheets: {print}"
    );
}

#[test]
fn a_page_at_the_top_of_content_starts_its_own_sheet_and_running_head() {
    // A page beside the sections (not in a folder) is a chapter like them: on a
    // sheet of its own, not run on under the worksheet before it with its head.
    let site = Site::new();
    site.write("mentorbook.yaml", "title: Guide\nlang: fr\n")
        .write("content/_index.md", "---\ntitle: Accueil\n---\nBonjour.\n")
        .write(
            "content/fiches/_index.md",
            "---\ntitle: Fiches\nweight: 1\n---\n",
        )
        .write(
            "content/fiches/seance.md",
            "---\ntitle: Séance 1\nkind: worksheet\nsession: 1\n---\nNotes.\n",
        )
        .write(
            "content/annexe.md",
            "---\ntitle: Annexe libre\nweight: 2\n---\nLe texte de l’annexe.\n",
        );
    site.build().success();
    let doc = site.html("print.html");
    let annexe = select(&doc, "section.print-page")
        .into_iter()
        .find(|s| {
            s.text()
                .collect::<String>()
                .contains("Le texte de l’annexe")
        })
        .expect("the annex in the handbook print");
    let classes = annexe.value().attr("class").unwrap_or("");
    assert!(classes.contains("print-chapter"), "{classes}");
    let style = annexe.value().attr("style").unwrap_or("");
    let page = style
        .split(';')
        .find_map(|d| d.trim().strip_prefix("page:"))
        .expect("a named page");
    let rules: String = select(&doc, "style[media=print]")
        .iter()
        .map(|e| e.text().collect::<String>())
        .collect();
    let rule = rules
        .lines()
        .find(|l| l.starts_with(&format!("@page {page} ")))
        .unwrap_or_else(|| panic!("no rule for {page} in {rules}"));
    assert!(
        rule.contains("Annexe libre") && !rule.contains("Séance"),
        "its own running head: {rule}"
    );
}

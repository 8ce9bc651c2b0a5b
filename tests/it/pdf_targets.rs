//! `pdf` prints anything the site has: any output page by its output path, its
//! source file or its translation's, in the language asked for, with PDF names
//! that follow that language's output paths (each language in its own folder).

use crate::pdf_tools::*;
use crate::support::*;

#[test]
fn pdf_all_in_english_prints_every_kind_of_page_under_english_names() {
    if !can_print("pdf_all_in_english_prints_every_kind_of_page_under_english_names") {
        return;
    }
    let site = Site::fixture("print/bilingual");
    let run = site
        .run(&["pdf", "--all", "--lang", "en", "--out", "pdfs"])
        .success();
    let names = [
        "handbook.pdf",
        "section-guide.pdf",
        "section-fiches.pdf",
        "first-session.pdf",
        "worksheets.pdf",
        "kit-session-1.pdf",
        "kit-session-2.pdf",
        "handbook-mentor.pdf",
        "handbook-mentee.pdf",
        "handbook-lead.pdf",
        "timeline.pdf",
    ];
    assert!(
        run.stdout()
            .contains(&format!("Printed {} PDFs", names.len())),
        "{}",
        run.stdout()
    );
    assert!(
        run.stdout().trim_end().ends_with("→ pdfs/en/"),
        "the summary names the folder the PDFs are in: {}",
        run.stdout()
    );
    for name in names {
        let pdf = site.path().join("pdfs/en").join(name);
        assert!(pdf.is_file(), "{} printed", pdf.display());
        assert_eq!(language(&pdf), "en", "{name} is English");
    }
    assert!(
        !site.path().join("pdfs/handbook.pdf").exists(),
        "English PDFs never take the French names' places"
    );
    let handbook = site.path().join("pdfs/en/handbook.pdf");
    let text: String = (1..=page_count(&handbook))
        .map(|n| page_flow(&handbook, n))
        .collect();
    assert!(text.contains("Listen without interrupting"), "{text}");
    let kit = page_flow(&site.path().join("pdfs/en/kit-session-1.pdf"), 1);
    // The kit's first page names the programme in its header (in capitals), not
    // in a running head.
    assert!(kit.to_lowercase().contains("tremplin programme"), "{kit}");
}

#[test]
fn pdf_finds_a_page_by_output_path_source_file_or_translation() {
    if !can_print("pdf_finds_a_page_by_output_path_source_file_or_translation") {
        return;
    }
    let site = Site::fixture("print/bilingual");
    // The French page's source, printed in English: its translation, under its English name.
    site.run(&[
        "pdf",
        "content/guide/01-ecoute.md",
        "--lang",
        "en",
        "--out",
        "a",
    ])
    .success();
    let en = site.path().join("a/en/listening.pdf");
    assert!(page_flow(&en, 1).contains("Listen without interrupting"));
    // An English output path.
    site.run(&["pdf", "en/guide/trust.html", "--out", "b"])
        .success();
    assert!(page_flow(&site.path().join("b/en/trust.pdf"), 1).contains("Trust is built"));
    // A generated page of the default language, and the English source of a page.
    site.run(&["pdf", "timeline.html", "--out", "c"]).success();
    assert_eq!(language(&site.path().join("c/timeline.pdf")), "fr");
    site.run(&["pdf", "content/fiches/01-seance-1.en.md", "--out", "d"])
        .success();
    assert!(site.path().join("d/en/first-session.pdf").is_file());
}

#[test]
fn pdf_names_what_it_cannot_print() {
    let site = Site::fixture("print/bilingual");
    for (args, says) in [
        (
            vec!["pdf", "kits/session-9.html"],
            "no kit `kits/session-9.html`: the programme has 2 sessions",
        ),
        (
            vec!["pdf", "nowhere.html"],
            "no page `nowhere.html`: give a file of content/ (e.g. `content/",
        ),
        // A misspelt page: the closest one, by output path or source file.
        (
            vec!["pdf", "en/guide/trst.html"],
            "no page `en/guide/trst.html`: did you mean `en/guide/trust.html`?",
        ),
        (
            vec!["pdf", "content/guide/01-ecute.md"],
            "did you mean `content/guide/01-ecoute.md`?",
        ),
        (vec!["pdf", "assets/style.css"], "is not a page"),
        (
            vec!["pdf", "content/guide/01-ecoute.md", "--lang", "de"],
            "no language `de`",
        ),
    ] {
        let run = site.run(&args).code_is(2);
        assert!(run.stderr().contains(says), "{args:?}: {}", run.stderr());
    }
}

#[test]
fn links_to_other_pages_lead_to_the_published_site_or_nowhere_never_to_the_temporary_folder() {
    if !can_print(
        "links_to_other_pages_lead_to_the_published_site_or_nowhere_never_to_the_temporary_folder",
    ) {
        return;
    }
    let site = Site::new();
    site.write("content/_index.md", "---\ntitle: Accueil\n---\nBienvenue.\n")
        .write(
            "content/guide/ecoute.md",
            "---\ntitle: Écoute\n---\n## Reformuler\n\nRedire avec ses mots.\n",
        )
        .write(
            "content/fiches/seance.md",
            "---\ntitle: Séance\nkind: worksheet\n---\nRelire [l’écoute](../guide/ecoute.md#reformuler), [ce site](https://example.org/) et [plus bas](#notes).\n\n## Notes\n\n```field\nlabel: Notes\n```\n",
        );
    let pdf = site.path().join("pdfs/seance.pdf");
    let uris = |pdf: &std::path::Path| -> Vec<String> {
        links_to(pdf, "").into_iter().map(|(_, u, _)| u).collect()
    };
    site.run(&["pdf", "content/fiches/seance.md", "--out", "pdfs"])
        .success();
    let without = uris(&pdf);
    assert!(
        !without.iter().any(|u| u.starts_with("file:")),
        "no link into the folder the page printed from: {without:?}"
    );
    assert!(
        without.contains(&"https://example.org/".to_string()),
        "{without:?}"
    );
    site.write(
        "mentorbook.yaml",
        "title: Test\nlang: fr\nbase_url: https://intranet.example.org/mentorat\n",
    );
    site.run(&["pdf", "content/fiches/seance.md", "--out", "pdfs"])
        .success();
    let with = uris(&pdf);
    assert!(
        with.contains(
            &"https://intranet.example.org/mentorat/guide/ecoute.html#reformuler".to_string()
        ),
        "a link to another page leads to it on the published site: {with:?}"
    );
    assert!(!with.iter().any(|u| u.starts_with("file:")), "{with:?}");
}

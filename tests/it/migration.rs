//! Handbooks written for other tools (Docusaurus, Jekyll, mdBook) build without edits,
//! and every unsupported construct is reported once, with its file and line.

use crate::support::*;

#[test]
fn docusaurus_handbook_builds_in_order_and_reports_what_it_cannot_use() {
    let site = Site::fixture("migration/docusaurus");
    let run = site.build();
    let err = run.stderr();
    for expected in [
        "content/posture/ecoute.md:5:1: warning: MDX `import`/`export` lines are not supported",
        "content/posture/ecoute.md:13:3: warning: JSX components are not supported",
        "content/programme/deroulement.md:4:1: warning: `layout` (Jekyll) is not used by mentorbook",
        "content/programme/deroulement.md:8:34: warning: Liquid tags are not supported",
    ] {
        assert!(err.contains(expected), "missing `{expected}` in:\n{err}");
    }
    // `sidebar_label` and `permalink` are used now, so not reported.
    assert!(
        !err.contains("sidebar_label") && !err.contains("permalink"),
        "{err}"
    );
    assert!(
        site.public()
            .join("programme/deroulement/index.html")
            .is_file()
    );
    assert_eq!(
        err.matches("Liquid tags").count(),
        1,
        "reported once per file: {err}"
    );
    assert!(!err.contains("error"), "{err}");

    // `id` became the slug; `sidebar_position`, `_category_.json` and `nav_order` give the order.
    // The full contents page lists the whole navigation (as `nav.js` fills the sidebar).
    let contents = site.html("contents.html");
    let nav: Vec<String> = select(&contents, ".contents-tree > li > a")
        .iter()
        .map(|a| a.text().collect())
        .collect();
    assert_eq!(
        nav,
        [
            "Accueil",
            "Accueil du guide",
            "La posture du mentor",
            "Programme"
        ]
    );
    let posture: Vec<String> = select(&contents, ".contents-tree > li.nav-section ul a")
        .iter()
        .map(|a| a.text().collect())
        .collect();
    assert_eq!(posture[..2], ["Créer la confiance", "L’écoute active"]);

    // Admonitions, extensionless links and fragments work; nothing foreign leaks into pages.
    let intro = site.html("bienvenue.html");
    assert_eq!(
        select(
            &intro,
            ".callout-tip a[href='posture/ecoute.html#poser-des-questions-ouvertes']"
        )
        .len(),
        1
    );
    assert_eq!(text_of(&intro, ".callout-note .callout-title"), "À savoir");
    assert_eq!(
        select(
            &intro,
            ".callout-note a[href='programme/deroulement/index.html']"
        )
        .len(),
        1
    );
    let ecoute = std::fs::read_to_string(site.public().join("posture/ecoute.html")).expect("read");
    assert!(
        !ecoute.contains("import Tabs") && !ecoute.contains("<Tabs") && !ecoute.contains("TabItem")
    );
    assert!(ecoute.contains("Préparez vos questions."));
    let prog = std::fs::read_to_string(site.public().join("programme/deroulement/index.html"))
        .expect("read");
    assert!(!prog.contains("{%") && !prog.contains("{{"));
    assert!(!site.public().join("posture/_category_.json").exists());
    assert!(
        crawl(&site.public(), &[]).is_empty(),
        "{:?}",
        crawl(&site.public(), &[])
    );
}

#[test]
fn mdbook_summary_orders_pages_and_readme_is_the_index() {
    let site = Site::new();
    site.write("content/SUMMARY.md", "# Summary\n\n[Introduction](README.md)\n\n- [Zèbre](chapitre/zebre.md)\n- [Abeille](chapitre/abeille.md)\n");
    site.write(
        "content/README.md",
        "# Introduction\n\nVoir [le zèbre](chapitre/zebre.md).\n",
    );
    site.write("content/chapitre/README.md", "# Chapitre\n");
    site.write("content/chapitre/zebre.md", "# Zèbre\n");
    site.write("content/chapitre/abeille.md", "# Abeille\n");
    site.build();
    assert!(!site.public().join("SUMMARY.html").exists());
    let home = site.html("index.html");
    assert_eq!(text_of(&home, "main h1"), "Introduction");
    let doc = site.html("chapitre/index.html");
    let titles: Vec<String> = select(&doc, "main .cards > li > a")
        .iter()
        .map(|a| a.text().collect())
        .collect();
    assert_eq!(
        titles,
        ["Zèbre", "Abeille"],
        "SUMMARY.md order, not alphabetical"
    );
}

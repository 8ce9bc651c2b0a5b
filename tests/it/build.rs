//! `mentorbook build`: output layout, links, ordering, determinism.

use crate::support::*;

#[test]
fn sample_handbook_builds_with_every_link_resolving() {
    let site = Site::sample();
    let run = site.build();
    assert!(run.stdout().starts_with("Built "), "{}", run.stdout());
    assert!(site.public().join("index.html").is_file());
    let md_pages = walkdir::WalkDir::new(site.path().join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .count();
    let html: Vec<_> = tree(&site.public())
        .into_keys()
        .filter(|k| k.ends_with(".html") && k != "404.html")
        .collect();
    assert!(
        html.len() >= md_pages,
        "{} html files for {md_pages} pages",
        html.len()
    );
    let problems = crawl(&site.public(), &[]);
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn md_links_are_rewritten_and_heading_ids_unique() {
    let site = Site::fixture("links/basic");
    site.build();
    let page = site.html("guide/page.html");
    let hrefs: Vec<_> = select(&page, "main .content a[href]")
        .iter()
        .filter_map(|a| a.value().attr("href").map(str::to_string))
        .filter(|h| !h.starts_with("#fn"))
        .collect();
    assert!(
        hrefs.contains(&"autre.html#ecoute-active".to_string()),
        "{hrefs:?}"
    );
    assert!(hrefs.contains(&"#premiere-partie".to_string()));
    assert!(hrefs.contains(&"../index.html".to_string()));
    let img = select(&page, "main img")[0]
        .value()
        .attr("src")
        .map(str::to_string);
    assert_eq!(img.as_deref(), Some("schema.svg"));
    assert!(
        site.public().join("guide/schema.svg").is_file(),
        "assets are copied beside their page"
    );

    let autre = site.html("guide/autre.html");
    let ids: Vec<_> = select(&autre, "main h2[id]")
        .iter()
        .filter_map(|h| h.value().attr("id").map(str::to_string))
        .collect();
    assert_eq!(ids, ["ecoute-active", "notes", "notes-1"]);
    assert_eq!(
        select(&autre, "h2#ecoute-active a.anchor[href='#ecoute-active']").len(),
        1
    );
    let home = site.html("index.html");
    assert_eq!(
        select(&home, "main .content a[href='guide/index.html']").len(),
        1
    );
    assert!(crawl(&site.public(), &[]).is_empty());
}

#[test]
fn two_builds_are_byte_identical() {
    let site = Site::sample();
    site.build();
    let first = tree(&site.public());
    site.run(&["build", "--out", "public2"]).success();
    let second = tree(&site.path().join("public2"));
    assert_eq!(
        first.keys().collect::<Vec<_>>(),
        second.keys().collect::<Vec<_>>()
    );
    for (k, v) in &first {
        assert!(second[k] == *v, "{k} differs between two builds");
    }
}

#[test]
fn order_follows_weight_then_prefix_then_title() {
    let site = Site::fixture("order/prefixes");
    site.build();
    let doc = site.html("b-section/index.html");
    let titles: Vec<String> = select(&doc, "main .cards > li > a")
        .iter()
        .map(|a| a.text().collect())
        .collect();
    assert_eq!(titles, ["Poids un", "Deux", "Dix", "Alpha sans préfixe"]);
    // Prefixes are stripped from URLs; assets land beside their page.
    assert!(site.public().join("b-section/deux.html").is_file());
    assert!(site.public().join("b-section/photo.png").is_file());
    // Sections: 01-b before 02-a in the navigation (the full contents page lists it all).
    let contents = site.html("contents.html");
    let nav: Vec<String> = select(&contents, ".contents-tree > li.nav-section > a")
        .iter()
        .map(|a| a.text().collect())
        .collect();
    assert_eq!(nav, ["B section", "A section"]);
}

#[test]
fn title_from_first_h1_is_not_printed_twice() {
    let site = Site::fixture("order/prefixes");
    site.build();
    let doc = site.html("a-section/titre-h1.html");
    assert_eq!(select(&doc, "main h1").len(), 1);
    assert_eq!(text_of(&doc, "main h1"), "Titre venu du H1");
    assert_eq!(text_of(&doc, "title"), "Titre venu du H1 · Ordre");
}

#[test]
fn drafts_are_left_out_unless_asked() {
    let site = Site::fixture("order/prefixes");
    site.build();
    assert!(!site.public().join("a-section/brouillon.html").exists());
    site.run(&["build", "--drafts"]).success();
    assert!(site.public().join("a-section/brouillon.html").exists());
}

#[test]
fn site_template_overrides_the_theme() {
    let site = Site::fixture("links/basic");
    site.write(
        "templates/page.html",
        "{% extends \"builtin/page.html\" %}{% block pager %}<p id=\"custom\">sur mesure</p>{% endblock pager %}",
    );
    site.build();
    let doc = site.html("guide/page.html");
    assert_eq!(text_of(&doc, "#custom"), "sur mesure");
    assert_eq!(
        select(&doc, "nav.sidebar").len(),
        1,
        "the rest of the theme is kept"
    );
}

#[test]
fn output_works_from_file_urls_and_sub_paths() {
    let site = Site::sample();
    site.build();
    for (rel, bytes) in tree(&site.public()) {
        if !rel.ends_with(".html") {
            continue;
        }
        let doc = scraper::Html::parse_document(&String::from_utf8_lossy(&bytes));
        for el in select(&doc, "[href], [src]") {
            let url = el
                .value()
                .attr("href")
                .or_else(|| el.value().attr("src"))
                .unwrap_or("");
            assert!(
                !url.starts_with('/'),
                "{rel}: root-absolute `{url}` breaks file:// and sub-paths"
            );
            if !url.contains(':') && !url.starts_with('#') {
                assert!(
                    !url.ends_with('/'),
                    "{rel}: `{url}` needs index.html to work from file://"
                );
            }
        }
    }
}

#[test]
fn lang_attribute_skip_link_and_toc_are_present() {
    let site = Site::sample();
    site.build();
    let doc = site.html("relation/ecoute-active.html");
    assert_eq!(select(&doc, "html[lang='fr']").len(), 1);
    assert_eq!(select(&doc, "a.skip-link[href='#mb-main']").len(), 1);
    assert_eq!(select(&doc, "main#mb-main").len(), 1);
    assert!(select(&doc, "aside.toc li a").len() >= 2);
    assert_eq!(select(&doc, ".nav-tree a[aria-current='page']").len(), 1);
    assert!(!select(&doc, "nav.breadcrumbs li a").is_empty());
    assert_eq!(select(&doc, "nav.pager a[rel='prev']").len(), 1);
}

#[test]
fn sample_passes_strict_check_and_lists_every_worksheet() {
    let site = Site::sample_french();
    let run = site.run(&["check", "--strict"]).success();
    assert!(
        run.stderr().is_empty(),
        "the sample has warnings:\n{}",
        run.stderr()
    );
    site.build();
    let sources = walkdir::WalkDir::new(site.path().join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| {
            std::fs::read_to_string(e.path()).is_ok_and(|t| {
                t.split("\n---")
                    .next()
                    .is_some_and(|fm| fm.contains("kind: worksheet"))
            })
        })
        .count();
    assert!(sources >= 11, "the sample has {sources} worksheets");
    let index = site.html("worksheets/index.html");
    assert_eq!(
        select(&index, ".ws-index-group .ws-index-item a").len(),
        sources
    );
    let pages = tree(&site.public())
        .into_keys()
        .filter(|k| k.ends_with(".html"))
        .count();
    assert!(
        pages >= 31,
        "at least 20 pages and 11 worksheets: {pages} html files"
    );
}

#[test]
fn the_home_page_lists_the_parts_of_the_guide_under_contents_not_in_this_section() {
    let site = Site::sample();
    site.build();
    assert_eq!(
        text_of(&site.html("index.html"), "#mb-children-title"),
        "Sommaire"
    );
    assert_eq!(
        text_of(&site.html("relation/index.html"), "#mb-children-title"),
        "Dans cette partie"
    );
    assert_eq!(
        text_of(&site.html("en/index.html"), "#mb-children-title"),
        "Contents"
    );
}

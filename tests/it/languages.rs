//! Multilingual handbooks: `page.<lang>.md` translations, one site per language under
//! `<lang>/` (the default also at the root), a language switcher that lands on the
//! same page, per-language search and print pages, and `check` warnings.

use std::collections::BTreeSet;

use crate::browser;
use crate::support::*;

fn switcher(doc: &scraper::Html) -> Vec<(String, String)> {
    select(doc, ".lang-switch a")
        .iter()
        .map(|a| {
            (
                a.value().attr("hreflang").unwrap_or("").to_string(),
                a.value().attr("href").unwrap_or("").to_string(),
            )
        })
        .collect()
}

#[test]
fn every_sample_page_has_its_twin_and_the_switcher_goes_both_ways() {
    let site = Site::sample();
    site.run(&["check", "--strict"]).success();
    site.build();
    let public = site.public();
    let files: BTreeSet<String> = tree(&public).into_keys().collect();
    let french: Vec<&String> = files
        .iter()
        .filter(|f| {
            f.ends_with(".html")
                && !f.starts_with("en/")
                && !f.starts_with("fr/")
                && *f != "404.html"
        })
        .collect();
    assert!(french.len() >= 40, "{}", french.len());
    let mut checked = 0;
    for fr in french {
        let doc = site.html(fr);
        assert_eq!(select(&doc, "html[lang='fr']").len(), 1, "{fr}");
        let links = switcher(&doc);
        assert_eq!(links.len(), 2, "{fr}: {links:?}");
        let en_href = &links
            .iter()
            .find(|(l, _)| l == "en")
            .expect("an English link")
            .1;
        let dir = std::path::Path::new(fr)
            .parent()
            .unwrap_or(std::path::Path::new(""));
        let en_path = normalize(&dir.join(en_href).to_string_lossy());
        assert_eq!(
            en_path,
            format!("en/{fr}"),
            "{fr}: the switcher lands on the same page in English"
        );
        let en_doc = site.html(&en_path);
        assert_eq!(select(&en_doc, "html[lang='en']").len(), 1, "{en_path}");
        let back = &switcher(&en_doc)
            .into_iter()
            .find(|(l, _)| l == "fr")
            .expect("a French link")
            .1;
        let en_dir = std::path::Path::new(&en_path)
            .parent()
            .unwrap_or(std::path::Path::new(""))
            .to_path_buf();
        assert_eq!(
            normalize(&en_dir.join(back).to_string_lossy()),
            *fr,
            "{en_path}: back to French"
        );
        checked += 1;
    }
    assert!(checked >= 40);
    // The default language lives at the root; fr/ leads there. Every link of every language resolves.
    assert!(files.contains("fr/index.html") && files.contains("en/index.html"));
    let stub = site.html("fr/relation/posture.html");
    assert_eq!(
        select(
            &stub,
            "meta[http-equiv=refresh][content='0; url=../../relation/posture.html']"
        )
        .len(),
        1
    );
    assert_eq!(
        select(&stub, "a[href='../../relation/posture.html']").len(),
        1
    );
    let problems = crawl(&public, &[]);
    assert!(problems.is_empty(), "{problems:#?}");
    // UI strings follow the language.
    assert_eq!(
        text_of(&site.html("en/index.html"), ".skip-link"),
        "Skip to content"
    );
    assert_eq!(
        text_of(&site.html("index.html"), ".skip-link"),
        "Aller au contenu"
    );
}

fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for p in path.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            x => parts.push(x),
        }
    }
    parts.join("/")
}

#[test]
fn english_search_index_and_print_pages_hold_english_only() {
    let site = Site::sample();
    site.build();
    let en_index =
        std::fs::read_to_string(site.public().join("en/search-index.js")).expect("English index");
    let fr_index =
        std::fs::read_to_string(site.public().join("search-index.js")).expect("French index");
    assert!(
        en_index.contains("listening") && !en_index.contains("mentoree"),
        "the English index is English"
    );
    assert!(fr_index.contains("mentoree") && !fr_index.contains("listening"));
    let print = site.html("en/worksheets/print.html");
    assert_eq!(select(&print, "html[lang='en']").len(), 1);
    let titles: Vec<String> = select(&print, ".ws-header h1")
        .iter()
        .map(|h| h.text().collect())
        .collect();
    assert!(
        titles.len() >= 11 && titles.iter().any(|t| t.starts_with("Session 1")),
        "{titles:?}"
    );
    assert!(!titles.iter().any(|t| t.contains("Séance")), "{titles:?}");
}

#[test]
fn english_search_finds_english_words_in_a_real_browser() {
    let site = Site::sample();
    site.build();
    let Some(b) = browser::start("english_search_finds_english_words_in_a_real_browser") else {
        return;
    };
    let page = site.public().join("en/relation/posture.html");
    b.goto(&format!("file://{}?q=listening", page.display()));
    let found = b.wait_for(
        "document.querySelectorAll('#mb-search-results a').length > 0",
        std::time::Duration::from_secs(10),
    );
    assert!(found.is_some(), "`listening` finds English pages");
    let hrefs = b.eval("return Array.prototype.map.call(document.querySelectorAll('#mb-search-results a'), function (a) { return a.href; });");
    for h in hrefs.as_array().cloned().unwrap_or_default() {
        assert!(
            h.as_str().unwrap_or("").contains("/en/"),
            "an English result leads to an English page: {h}"
        );
    }
    b.goto(&format!("file://{}?q=mentoree", page.display()));
    assert!(
        b.wait_for(
            "document.querySelector('#mb-search-results .no-results')",
            std::time::Duration::from_secs(10)
        )
        .is_some(),
        "a French-only word finds nothing in English"
    );
}

#[test]
fn check_reports_missing_translations_and_links_across_languages() {
    let site = Site::fixture("languages/basic");
    let run = site.run(&["check"]).success();
    let err = run.stderr();
    assert!(
        err.contains("content/guide/confiance.md: warning: no `en` translation of this page"),
        "{err}"
    );
    assert!(
        err.contains("help: create `content/guide/confiance.en.md`"),
        "{err}"
    );
    assert!(err.contains("content/guide/ecoute.en.md:7:19: warning: link `confiance.md`: that page has no `en` version"), "{err}");
    assert!(err.contains("content/guide/ecoute.md:7:54: warning: link `ecoute.en.md` leads to a page in `en` from a page in `fr`"), "{err}");
    site.run(&["check", "--strict"]).code_is(1);
    site.build();
    // English links go to English pages (and their anchors), or to the French page when untranslated.
    let home = site.html("en/index.html");
    assert_eq!(
        select(
            &home,
            "main .content a[href='guide/ecoute.html#ecoute-active']"
        )
        .len(),
        1
    );
    let ecoute = site.html("en/guide/ecoute.html");
    assert_eq!(
        select(
            &ecoute,
            "main .content a[href='../../guide/confiance.html']"
        )
        .len(),
        1
    );
    // The switcher on a page without translation lands on the other language's home.
    let confiance = site.html("guide/confiance.html");
    assert!(
        switcher(&confiance).contains(&("en".to_string(), "../en/index.html".to_string())),
        "{:?}",
        switcher(&confiance)
    );
    assert_eq!(
        select(&confiance, "link[rel=alternate]").len(),
        0,
        "no hreflang to a missing translation"
    );
    assert_eq!(
        select(
            &site.html("guide/ecoute.html"),
            "link[rel=alternate][hreflang=en][href='../en/guide/ecoute.html']"
        )
        .len(),
        1
    );
}

#[test]
fn the_sitemap_lists_every_language_with_its_alternates() {
    let site = Site::fixture("languages/basic");
    site.write(
        "mentorbook.yaml",
        "title: Guide bilingue\nlang: fr\nbase_url: https://intranet.example.org/mentorat\nlanguages:\n  en:\n    title: Bilingual guide\n",
    );
    site.build();
    let xml = std::fs::read_to_string(site.public().join("sitemap.xml")).expect("sitemap");
    let doc = scraper::Html::parse_document(&xml);
    let locs: Vec<String> = select(&doc, "loc")
        .iter()
        .map(|l| l.text().collect())
        .collect();
    let base = "https://intranet.example.org/mentorat/";
    for must in ["", "guide/ecoute.html", "en/", "en/guide/ecoute.html"] {
        assert!(
            locs.contains(&format!("{base}{must}")),
            "{must} missing from {locs:?}"
        );
    }
    assert!(xml.contains("xmlns:xhtml=\"http://www.w3.org/1999/xhtml\""));
    // Each translated page names both versions; an untranslated one only itself.
    let url_of = |loc: &str| {
        xml.split("<url>")
            .find(|u| u.contains(&format!("<loc>{base}{loc}</loc>")))
            .unwrap_or_default()
            .to_string()
    };
    let ecoute = url_of("en/guide/ecoute.html");
    assert!(
        ecoute.contains(&format!("hreflang=\"fr\" href=\"{base}guide/ecoute.html\""))
            && ecoute.contains(&format!(
                "hreflang=\"en\" href=\"{base}en/guide/ecoute.html\""
            )),
        "{ecoute}"
    );
    let confiance = url_of("guide/confiance.html");
    assert!(
        confiance.contains("hreflang=\"fr\"") && !confiance.contains("hreflang=\"en\""),
        "{confiance}"
    );
}

#[test]
fn each_language_has_its_404_page_and_its_own_contact_and_phases() {
    let site = Site::fixture("languages/basic");
    site.write(
        "mentorbook.yaml",
        "title: Guide bilingue\nlang: fr\ntheme:\n  contact: \"Équipe RH : mentorat@example.org\"\n  footer: Document interne\nprogramme:\n  sessions: 6\n  phases:\n    - name: { fr: Préparer, en: Prepare }\n      description: { fr: \"recruter, former\", en: \"recruit, train\" }\nlanguages:\n  en:\n    title: Bilingual guide\n    contact: \"HR team: mentoring@example.org\"\n    footer: Internal document\n",
    );
    site.run(&["check"]).success();
    site.build();
    let fr = site.html("404.html");
    let en = site.html("en/404.html");
    assert_eq!(select(&fr, "html[lang='fr']").len(), 1);
    assert_eq!(select(&en, "html[lang='en']").len(), 1);
    assert_eq!(text_of(&en, "h1"), "Page not found");
    assert_eq!(text_of(&fr, "h1"), "Page introuvable");
    // The switcher of a 404 page leads to the other language's 404 page, which exists.
    let links = switcher(&fr);
    assert!(
        links.contains(&("en".into(), "en/404.html".into())),
        "{links:?}"
    );
    assert!(site.public().join("en/404.html").is_file());
    // Links are relative (they work from the output folder), and a script makes them
    // resolve from the page's own folder wherever a server shows it.
    assert!(crawl(&site.public(), &[]).is_empty());
    let script = text_of(&en, "head script");
    assert!(script.contains("s=\"/en/\";"), "{script}");
    // The footer speaks the page's language, with its typography.
    let home_en = site.html("en/index.html");
    assert_eq!(
        text_of(&home_en, ".site-footer .contact"),
        "HR team: mentoring@example.org"
    );
    assert!(
        site.html("en/guide/ecoute.html")
            .html()
            .contains("Internal document")
    );
    let home_fr = site.html("index.html");
    assert_eq!(
        text_of(&home_fr, ".site-footer .contact"),
        "Équipe RH\u{202f}: mentorat@example.org"
    );
    let tl_en = site.html("en/timeline.html");
    assert_eq!(text_of(&tl_en, ".timeline-phases strong"), "Prepare");
    assert!(text_of(&tl_en, ".timeline-phases li").contains("recruit, train"));
    assert_eq!(
        text_of(&tl_en, ".timeline .lead"),
        "6 sessions · one session a month"
    );
    let tl_fr = site.html("timeline.html");
    assert_eq!(text_of(&tl_fr, ".timeline-phases strong"), "Préparer");
    assert_eq!(
        text_of(&tl_fr, ".timeline .lead"),
        "6 séances · une séance par mois"
    );
}

#[test]
fn a_phase_without_an_english_name_is_a_warning_and_an_unknown_language_an_error() {
    let site = Site::fixture("languages/basic");
    site.write(
        "mentorbook.yaml",
        "title: Guide bilingue\nlang: fr\nprogramme:\n  phases:\n    - name: { fr: Préparer }\n    - name: { fr: Lancer, de: Starten }\nlanguages:\n  en:\n    title: Bilingual guide\n",
    );
    let run = site.run(&["check"]).code_is(2);
    let err = run.stderr();
    assert!(
        err.contains(
            "mentorbook.yaml:4:3: error: phase `Lancer`: `de` is not a language of the handbook"
        ),
        "{err}"
    );
    site.write(
        "mentorbook.yaml",
        "title: Guide bilingue\nlang: fr\nprogramme:\n  phases:\n    - name: { fr: Préparer }\nlanguages:\n  en:\n    title: Bilingual guide\n",
    );
    let run = site.run(&["check"]).success();
    assert!(
        run.stderr()
            .contains("mentorbook.yaml:4:3: warning: phase `Préparer` has no `en` text"),
        "{}",
        run.stderr()
    );
    site.run(&["check", "--strict"]).code_is(2);
}

#[test]
fn a_404_page_works_at_any_depth_under_a_sub_path_in_a_real_browser() {
    // Under `base_url`'s path and at the root (serve, previews) alike.
    let site = Site::fixture("languages/basic");
    site.write(
        "mentorbook.yaml",
        "title: Guide bilingue\nlang: fr\nbase_url: https://intranet.example.org/guide/\nlanguages:\n  en:\n    title: Bilingual guide\n",
    );
    site.build();
    let Some(b) =
        browser::start("a_404_page_works_at_any_depth_under_a_sub_path_in_a_real_browser")
    else {
        return;
    };
    // A host that shows the site's 404 page for missing paths, the site under
    // /guide/ as `base_url` says; then at the root, as `mentorbook serve` and a
    // preview show it whatever `base_url` says.
    let published = crate::static_server::StaticServer::start_site(&site.public(), "guide", true);
    let at_root = crate::static_server::StaticServer::start_site(&site.public(), "", true);
    for (server, missing, lang, home) in [
        (
            &published,
            "guide/a/b/c/absente.html",
            "fr",
            "guide/index.html",
        ),
        (
            &published,
            "guide/en/x/y/missing.html",
            "en",
            "guide/en/index.html",
        ),
        (&at_root, "a/b/c/absente.html", "fr", "index.html"),
        (&at_root, "en/x/missing.html", "en", "en/index.html"),
    ] {
        b.goto(&format!("{}{missing}", server.url()));
        assert_eq!(
            b.eval("return document.documentElement.lang;"),
            lang,
            "{missing}"
        );
        // Its stylesheet loaded (relative to its own folder), and its links lead home.
        assert_eq!(
            b.eval("return Array.prototype.every.call(document.styleSheets, function (s) { try { return s.cssRules.length > 0; } catch (e) { return false; } }) && document.styleSheets.length > 0;"),
            true,
            "{missing}: stylesheets"
        );
        assert_eq!(
            b.eval("return getComputedStyle(document.querySelector('.site-header')).position;"),
            "sticky",
            "{missing}: styled"
        );
        let home_url = format!("{}{home}", server.url());
        assert_eq!(
            b.eval("return document.querySelector('.not-found a.button').href;"),
            home_url.as_str(),
            "{missing}: the home link"
        );
        b.click(".not-found a.button");
        assert!(
            b.wait_for(
                "document.querySelector('.not-found') === null",
                std::time::Duration::from_secs(10)
            )
            .is_some(),
            "{missing}: the home page opens"
        );
    }
}

#[test]
fn a_generated_page_missing_in_the_other_language_switches_to_its_home() {
    // Only the French site has worksheets and a second section: the English site has
    // no `worksheets/` and no `fiches/print.html`, so those French pages' switchers
    // (and their `hreflang` links) must not lead there.
    let site = Site::new();
    site.write(
        "mentorbook.yaml",
        "title: Guide\nlang: fr\nlanguages:\n  en:\n    title: Handbook\n",
    )
    .write("content/_index.md", "---\ntitle: Accueil\n---\nBonjour.\n")
    .write("content/_index.en.md", "---\ntitle: Home\n---\nHello.\n")
    .write(
        "content/fiches/_index.md",
        "---\ntitle: Fiches\n---\nLes fiches.\n",
    )
    .write(
        "content/fiches/seance.md",
        "---\ntitle: Séance\nkind: worksheet\n---\nNotes.\n",
    );
    site.build();
    let problems = crawl(&site.public(), &[]);
    assert!(problems.is_empty(), "{problems:#?}");
    for page in [
        "worksheets/index.html",
        "worksheets/print.html",
        "fiches/print.html",
    ] {
        let doc = site.html(page);
        let depth = page.matches('/').count();
        let home = format!("{}en/index.html", "../".repeat(depth));
        assert!(
            switcher(&doc).contains(&("en".to_string(), home)),
            "{page}: {:?}",
            switcher(&doc)
        );
        assert_eq!(
            select(&doc, "link[rel=alternate][hreflang=en]").len(),
            0,
            "{page}: no hreflang to a page the English site does not have"
        );
    }
    // Where the English site has the page, the switcher still goes to it.
    assert!(
        switcher(&site.html("print.html"))
            .contains(&("en".to_string(), "en/print.html".to_string()))
    );
}

#[test]
fn a_translation_that_does_not_load_is_its_own_error_not_a_missing_one() {
    let site = Site::fixture("languages/basic");
    site.write(
        "content/guide/confiance.en.md",
        "---\ntitle: \"Trust\n---\nBroken front matter.\n",
    );
    let err = site.run(&["check"]).code_is(1).stderr();
    assert!(
        err.contains("content/guide/confiance.en.md:"),
        "its error: {err}"
    );
    assert!(
        !err.contains("no `en` translation of this page"),
        "the file is there: {err}"
    );
}

#[test]
fn locale_codes_become_language_tags() {
    // `fr_FR` (a locale, as IT departments and Java write them) is not a language
    // tag: `<html lang>` and `hreflang` need `fr-FR`, or screen readers and
    // validators do not know the language. Files may keep the locale's spelling.
    let site = Site::new();
    site.write(
        "mentorbook.yaml",
        "title: Guide\nlang: fr_FR\nlanguages:\n  en_GB:\n    title: Handbook\n",
    )
    .write("content/_index.md", "---\ntitle: Accueil\n---\nBonjour.\n")
    .write("content/_index.en_GB.md", "---\ntitle: Home\n---\nHello.\n")
    .write("content/charte.md", "---\ntitle: Charte\n---\nLa charte.\n")
    .write(
        "content/charte.en-GB.md",
        "---\ntitle: Agreement\n---\nThe agreement.\n",
    );
    site.run(&["check", "--strict"]).success();
    site.build().success();
    let problems = crawl(&site.public(), &[]);
    assert!(problems.is_empty(), "{problems:#?}");
    let lang_of = |page: &str| {
        select(&site.html(page), "html")[0]
            .value()
            .attr("lang")
            .map(str::to_string)
    };
    assert_eq!(lang_of("index.html").as_deref(), Some("fr-FR"));
    assert_eq!(lang_of("en-GB/index.html").as_deref(), Some("en-GB"));
    assert_eq!(lang_of("en-GB/charte.html").as_deref(), Some("en-GB"));
    let home = site.html("charte.html");
    assert_eq!(
        select(&home, "link[rel=alternate][hreflang=en-GB]").len(),
        1,
        "hreflang is a tag too"
    );
    assert!(
        switcher(&home).contains(&("en-GB".to_string(), "en-GB/charte.html".to_string())),
        "{:?}",
        switcher(&home)
    );
}

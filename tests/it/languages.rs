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
    let problems = crawl(&public, &["404.html"]);
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

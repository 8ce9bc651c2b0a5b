//! Navigation once per language: pages carry a short list (the way to the page,
//! its section's entries, a link to the full contents) that works without
//! script; `nav.js` holds the whole tree, and the default theme's script fills
//! the sidebar from it and marks the current page — over HTTP and from `file://`.

use std::collections::{BTreeSet, VecDeque};
use std::path::Path;
use std::time::Duration;

use scraper::{ElementRef, Html};

use crate::browser;
use crate::static_server::StaticServer;
use crate::support::*;

/// A handbook of `sections` sections of `pages` pages each, and one sub-section
/// (`s01/deep/`) of three pages.
fn generated(sections: usize, pages: usize) -> Site {
    let site = Site::new();
    site.write(
        "content/_index.md",
        "---\ntitle: Accueil\n---\n\nBienvenue.\n",
    );
    for s in 1..=sections {
        site.write(
            &format!("content/s{s:02}/_index.md"),
            &format!("---\ntitle: Partie {s:02}\n---\n\nLa partie {s}.\n"),
        );
        for p in 1..=pages {
            site.write(
                &format!("content/s{s:02}/p{p:02}.md"),
                &format!("---\ntitle: Page {s:02}.{p}\n---\n\nLe texte de la page {s}.{p}.\n"),
            );
        }
    }
    site.write(
        "content/s01/deep/_index.md",
        "---\ntitle: Sous-partie\n---\n\nPlus bas.\n",
    );
    for p in 1..=3 {
        site.write(
            &format!("content/s01/deep/d{p}.md"),
            &format!("---\ntitle: Profonde {p}\n---\n\nTexte.\n"),
        );
    }
    site
}

/// The output path a link `href` written in the page at `from` leads to (no fragment).
fn resolve(from: &str, href: &str) -> String {
    let href = href.split(['#', '?']).next().unwrap_or(href);
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for seg in href.split('/') {
        match seg {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            s => parts.push(s),
        }
    }
    percent_decode(&parts.join("/"))
}

/// The output paths the links under `css` of the page at `rel` lead to.
fn links(out: &Path, rel: &str, css: &str) -> Vec<String> {
    let text = std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    let doc = Html::parse_document(&text);
    select(&doc, css)
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .map(|h| resolve(rel, h))
        .collect()
}

/// The link directly inside `li`, if any.
fn own_link(li: ElementRef<'_>) -> Option<String> {
    li.children()
        .filter_map(ElementRef::wrap)
        .find(|e| e.value().name() == "a")
        .and_then(|a| a.value().attr("href").map(str::to_string))
}

/// The output paths of the entries of the list `ul` (its own items only).
fn entries_of(ul: ElementRef<'_>, from: &str) -> Vec<String> {
    ul.children()
        .filter_map(ElementRef::wrap)
        .filter_map(own_link)
        .map(|h| resolve(from, &h))
        .collect()
}

/// The web pages of the full contents page (every entry), and for each the
/// entries its own list must show: a section's index page its section's
/// entries, any other page its siblings.
fn contents(out: &Path) -> Vec<(String, Vec<String>)> {
    contents_at(out, "contents.html")
}

/// As [`contents`], for the contents page at `at` (`en/contents.html`).
fn contents_at(out: &Path, at: &str) -> Vec<(String, Vec<String>)> {
    let text = std::fs::read_to_string(out.join(at)).unwrap_or_else(|e| panic!("{at}: {e}"));
    let doc = Html::parse_document(&text);
    let mut all = Vec::new();
    for li in select(&doc, "main .contents-tree li") {
        let Some(href) = own_link(li) else {
            continue;
        };
        let inner = li
            .children()
            .filter_map(ElementRef::wrap)
            .find(|e| e.value().name() == "ul");
        let list = inner.or_else(|| li.parent().and_then(ElementRef::wrap));
        let section = list.map(|ul| entries_of(ul, at)).unwrap_or_default();
        all.push((resolve(at, &href), section));
    }
    all
}

#[test]
fn a_page_carries_its_section_not_the_whole_navigation() {
    // The same page in a handbook of 3 sections and in one of 30: its sidebar
    // is the same, byte for byte; only nav.js grows.
    let small = generated(3, 8);
    let large = generated(30, 8);
    small.build();
    large.build();
    let sidebar = |site: &Site, rel: &str| {
        let doc = site.html(rel);
        select(&doc, "#mb-sidebar")
            .first()
            .map(|e| e.html())
            .expect("a sidebar")
    };
    for rel in ["s02/p03.html", "s01/deep/d2.html", "s02/index.html"] {
        assert_eq!(sidebar(&small, rel), sidebar(&large, rel), "{rel}");
    }
    let size = |site: &Site, rel: &str| {
        std::fs::metadata(site.public().join(rel))
            .map(|m| m.len())
            .expect("size")
    };
    assert_eq!(size(&small, "s02/p03.html"), size(&large, "s02/p03.html"));
    assert!(size(&large, "nav.js") > 5 * size(&small, "nav.js"));
    // A page lists its section (8 pages), the way to it and two more links, not
    // the 30 × 9 entries of the handbook.
    let listed = links(&large.public(), "s02/p03.html", "#mb-sidebar a").len();
    assert!((8..=12).contains(&listed), "{listed} links in the sidebar");
    assert!(contents(&large.public()).len() > 270);

    // In the sample handbook, a page's sidebar is a fraction of the contents.
    let sample = Site::sample();
    sample.build();
    let out = sample.public();
    let all = contents(&out).len();
    let page = "relation/ecoute-active.html";
    let listed = links(&out, page, "#mb-sidebar a").len();
    assert!(all >= 40 && listed * 4 < all, "{listed} of {all}");
    let page_bytes = std::fs::read_to_string(out.join(page)).expect("page").len();
    let contents_bytes = std::fs::read_to_string(out.join("contents.html"))
        .expect("contents")
        .len();
    let sidebar_bytes = sidebar(&sample, page).len();
    assert!(
        sidebar_bytes * 4 < contents_bytes && page_bytes < 16 * 1024,
        "sidebar {sidebar_bytes} B, page {page_bytes} B, contents {contents_bytes} B"
    );
}

#[test]
fn a_flat_folder_of_many_pages_lists_a_run_of_it_not_all_of_it() {
    // 300 pages in one folder: each page lists its run of the folder (at most
    // 60 entries), itself marked; the contents page lists all 300, and every
    // page is still reached without script through it.
    let site = Site::new();
    site.write(
        "content/_index.md",
        "---\ntitle: Accueil\n---\n\nBienvenue.\n",
    );
    site.write(
        "content/fiches/_index.md",
        "---\ntitle: Fiches\n---\n\nToutes les fiches.\n",
    );
    for p in 1..=300 {
        site.write(
            &format!("content/fiches/f{p:03}.md"),
            &format!("---\ntitle: Fiche {p}\n---\n\nLa fiche {p}.\n"),
        );
    }
    site.build();
    let out = site.public();
    for (page, first, last) in [
        ("fiches/f001.html", 1, 60),
        ("fiches/f150.html", 121, 180),
        ("fiches/f300.html", 241, 300),
    ] {
        let listed: Vec<String> = links(&out, page, "#mb-sidebar a")
            .into_iter()
            .filter(|l| l.starts_with("fiches/f"))
            .collect();
        let expected: Vec<String> = (first..=last)
            .map(|p| format!("fiches/f{p:03}.html"))
            .collect();
        assert_eq!(listed, expected, "{page}");
        let doc = site.html(page);
        let current: Vec<&str> = select(&doc, "#mb-sidebar a[aria-current=page]")
            .iter()
            .filter_map(|a| a.value().attr("href"))
            .collect();
        assert_eq!(current, [page.trim_start_matches("fiches/")], "{page}");
    }
    let entries = contents(&out);
    assert!(entries.len() > 300, "{} entries", entries.len());
    // A page does not carry the whole folder, as the contents page does.
    let page_bytes = std::fs::metadata(out.join("fiches/f150.html"))
        .map(|m| m.len())
        .expect("page");
    let contents_bytes = std::fs::metadata(out.join("contents.html"))
        .map(|m| m.len())
        .expect("contents");
    assert!(
        page_bytes * 2 < contents_bytes,
        "page {page_bytes} B, contents {contents_bytes} B"
    );
}

#[test]
fn without_script_every_page_links_its_section_and_the_contents_page() {
    for site in [generated(4, 5), Site::sample()] {
        site.build();
        let out = site.public();
        for lang in ["", "en/"] {
            let at = format!("{lang}contents.html");
            if !out.join(&at).is_file() {
                continue;
            }
            without_script(&out, lang, &contents_at(&out, &at));
        }
    }
}

/// Every page of `entries` (a language's contents, at `lang`) lists its section,
/// marks itself and links the contents page; following only sidebar links from
/// the language's home page reaches every one of them.
fn without_script(out: &Path, lang: &str, entries: &[(String, Vec<String>)]) {
    assert!(entries.len() > 20, "{lang}: {} entries", entries.len());
    let contents_page = format!("{lang}contents.html");
    for (page, section) in entries {
        let listed = links(out, page, "#mb-sidebar a");
        for s in section {
            assert!(listed.contains(s), "{page}: no link to {s} in {listed:?}");
        }
        assert!(
            listed.contains(&contents_page),
            "{page}: no link to {contents_page}"
        );
        // The link to the page itself is marked for assistive technology.
        let text = std::fs::read_to_string(out.join(page)).expect("page");
        let doc = Html::parse_document(&text);
        let current: Vec<String> = select(&doc, "#mb-sidebar a[aria-current=page]")
            .iter()
            .filter_map(|a| a.value().attr("href"))
            .map(|h| resolve(page, h))
            .collect();
        assert_eq!(current, std::slice::from_ref(page), "{page}");
    }
    let home = format!("{lang}index.html");
    let mut seen = BTreeSet::from([home.clone()]);
    let mut queue = VecDeque::from([home]);
    let mut steps = 0;
    while let Some(p) = queue.pop_front() {
        steps += 1;
        assert!(steps < 10_000, "the crawl does not end");
        if !p.ends_with(".html") || !out.join(&p).is_file() {
            continue;
        }
        for l in links(out, &p, "#mb-sidebar a") {
            if seen.insert(l.clone()) {
                queue.push_back(l);
            }
        }
    }
    let missing: Vec<&String> = entries
        .iter()
        .map(|(p, _)| p)
        .filter(|p| !seen.contains(p.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "not reached without script: {missing:?}"
    );
}

/// What the script made of the sidebar: the links' hrefs resolved, the current
/// ones, and whether the contents link (of the list without script) is gone.
const SIDEBAR_REPORT: &str = r#"
    var links = Array.prototype.slice.call(document.querySelectorAll('#mb-sidebar .nav-tree a'));
    var current = links.filter(function (a) { return a.getAttribute('aria-current') === 'page'; });
    return {
      count: links.length,
      current: current.map(function (a) { return a.href.split('#')[0]; }),
      here: location.href.split('#')[0],
      fallback: !!document.querySelector('#mb-sidebar .nav-all'),
      expanded: Array.prototype.map.call(document.querySelectorAll('#mb-sidebar .nav-toggle[aria-expanded=true]'), function (b) { return b.getAttribute('aria-label'); }),
      buttons: document.querySelectorAll('#mb-sidebar .nav-toggle').length
    };
"#;

#[test]
fn the_nav_script_fills_the_sidebar_and_marks_the_current_page() {
    let test = "the_nav_script_fills_the_sidebar_and_marks_the_current_page";
    let site = Site::sample();
    site.build();
    let out = site.public();
    let all = contents(&out).len();
    let Some(b) = browser::start(test) else {
        return;
    };
    let server = StaticServer::start(&out);
    for base in [format!("file://{}/", out.display()), server.url()] {
        for page in [
            "relation/ecoute-active.html",
            "index.html",
            "en/index.html",
            "fiches/index.html",
        ] {
            let url = format!("{base}{page}");
            b.goto(&url);
            b.wait_for(
                "document.readyState === 'complete'",
                Duration::from_secs(10),
            )
            .unwrap_or_else(|| panic!("{url}: not loaded"));
            let r = b.eval(SIDEBAR_REPORT);
            // The whole tree (the home link and every entry, as the contents page
            // lists them), no list of the fallback left.
            let count = r["count"].as_u64().unwrap_or(0) as usize;
            if !page.starts_with("en/") {
                assert_eq!(count, all, "{url}: {r}");
            } else {
                assert!(count > 10, "{url}: {r}");
            }
            assert_eq!(r["fallback"], false, "{url}: {r}");
            assert_eq!(r["current"].as_array().map(Vec::len), Some(1), "{url}: {r}");
            assert_eq!(r["current"][0], r["here"], "{url}: {r}");
        }
    }
    // A handbook of over 400 pages: sections closed behind a button, the ones
    // leading to the page open; a button opens its section.
    let large = generated(45, 9);
    large.build();
    let out = large.public();
    let axe = browser::axe_core();
    if let Some(axe) = &axe {
        b.on_every_page(axe);
    } else {
        skip(
            test,
            "axe-core not found (npm install --prefix target/npm axe-core@4.14.1)",
        );
    }
    let url = format!("file://{}", out.join("s01/deep/d2.html").display());
    b.goto(&url);
    b.wait_for(
        "document.readyState === 'complete'",
        Duration::from_secs(10),
    )
    .unwrap_or_else(|| panic!("{url}: not loaded"));
    let r = b.eval(SIDEBAR_REPORT);
    assert_eq!(r["current"][0], r["here"], "{r}");
    assert_eq!(
        r["expanded"],
        serde_json::json!(["Sous-pages de Partie 01", "Sous-pages de Sous-partie"]),
        "{r}"
    );
    assert!(r["buttons"].as_u64().unwrap_or(0) >= 45, "{r}");
    // Closed sections' entries are not made until opened: 45 sections, the home
    // link, the 9 pages and the sub-section of part 1, and its 3 pages.
    assert_eq!(r["count"], 1 + 45 + 9 + 1 + 3, "{r}");
    if axe.is_some() {
        let problems = browser::axe_serious(&b);
        assert!(problems.is_empty(), "{url}: {problems:#?}");
    }
    b.click("#mb-sidebar .nav-tree > li:nth-child(3) > .nav-toggle");
    let opened = b.eval(
        "var li = document.querySelectorAll('#mb-sidebar .nav-tree > li')[2];
         return {expanded: li.querySelector('.nav-toggle').getAttribute('aria-expanded'),
                 shown: Array.prototype.map.call(li.querySelectorAll(':scope > ul:not([hidden]) > li > a'), function (a) { return a.textContent; })};",
    );
    assert_eq!(opened["expanded"], "true", "{opened}");
    assert_eq!(
        opened["shown"].as_array().map(Vec::len),
        Some(9),
        "{opened}"
    );
    assert_eq!(opened["shown"][0], "Page 02.1", "{opened}");
}

#[test]
fn nav_js_is_the_same_for_the_same_handbook() {
    let a = generated(5, 4);
    a.build();
    let first = tree(&a.public());
    a.run(&["build"]).success();
    let second = tree(&a.public());
    for name in ["nav.js", "contents.html", "s01/deep/d1.html"] {
        assert_eq!(first.get(name), second.get(name), "{name}");
        assert!(first.contains_key(name), "{name}");
    }
    let js = String::from_utf8_lossy(&first["nav.js"]).into_owned();
    assert!(
        js.starts_with("window.MB_NAV={") && js.ends_with("};\n"),
        "{js}"
    );
}

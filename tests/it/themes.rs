//! Themes: layers and block overrides, variables, the two built-in themes in light
//! and dark mode, accessibility (axe-core in a real Chromium), keyboard use, and
//! valid HTML (the Nu checker).

use std::time::Duration;

use crate::browser;
use crate::support::*;

fn strip_footer(html: &str) -> String {
    let start = html.find("<footer").expect("a footer");
    let end = html.find("</footer>").expect("footer end") + "</footer>".len();
    format!("{}\n{}", html[..start].trim_end(), html[end..].trim_start())
}

#[test]
fn overriding_only_the_footer_block_keeps_the_rest_of_the_theme() {
    let site = Site::fixture("themes/brand");
    site.build();
    let before = std::fs::read_to_string(site.public().join("guide.html")).expect("read");
    site.write(
        "templates/page.html",
        "{% extends \"builtin/page.html\" %}\n{% block footer %}<footer class=\"site-footer\"><p>Pied de page Tremplin</p></footer>{% endblock footer %}\n",
    );
    site.build();
    let after = std::fs::read_to_string(site.public().join("guide.html")).expect("read");
    assert!(after.contains("Pied de page Tremplin"));
    assert_eq!(
        strip_footer(&before),
        strip_footer(&after),
        "only the footer may change"
    );
}

#[test]
fn theme_variables_reach_the_output() {
    let site = Site::fixture("themes/brand");
    site.build();
    let page = site.html("guide.html");
    let style = select(&page, "head style")
        .iter()
        .map(|s| s.text().collect::<String>())
        .collect::<String>();
    assert!(style.contains("--mb-primary:#0b5;"), "{style}");
    assert_eq!(select(&page, "header img.logo[src='logo.svg']").len(), 1);
    assert!(site.public().join("logo.svg").is_file());
    let ws = site.html("fiches/seance.html");
    assert_eq!(text_of(&ws, ".ws-programme"), "Programme Tremplin");
    assert_eq!(
        select(&ws, "header.site-header img.logo[src='../logo.svg']").len(),
        1,
        "relative from a sub-folder"
    );
    assert_eq!(
        select(&ws, "header.ws-header img.ws-logo[src='../logo.svg']").len(),
        1,
        "the sheet's own header shows the logo for print"
    );
}

#[test]
fn bad_theme_variables_are_located_errors() {
    let site = Site::fixture("themes/brand");
    site.write(
        "mentorbook.yaml",
        "title: Marque\ntheme:\n  primary: \"#0b\"\n  primry: red\n  logo: absent.svg\n  radius: big\n",
    );
    let run = site.run(&["build"]).code_is(1);
    let err = run.stderr();
    assert!(
        err.contains("mentorbook.yaml:3:3: error: `theme.primary`: `#0b` is not a colour"),
        "{err}"
    );
    assert!(
        err.contains("mentorbook.yaml:4:3: error: unknown theme variable `primry`"),
        "{err}"
    );
    assert!(err.contains("did you mean `primary`?"), "{err}");
    assert!(
        err.contains(
            "mentorbook.yaml:5:3: error: `theme.logo`: `absent.svg` was not found in `static/`"
        ),
        "{err}"
    );
    assert!(
        err.contains("mentorbook.yaml:6:3: error: `theme.radius`: `big` is not a CSS length"),
        "{err}"
    );
    assert!(!site.public().exists());
}

#[test]
fn ui_strings_can_be_overridden_from_the_config() {
    let site = Site::fixture("themes/brand");
    site.write(
        "mentorbook.yaml",
        "title: Marque\ni18n:\n  toc: Dans cette page\n  callout_tip: Astuce maison\n",
    );
    site.write("content/guide.md", "## Un\n\n> [!TIP]\n> x\n\n## Deux\n");
    site.build();
    let page = site.html("guide.html");
    assert_eq!(text_of(&page, ".toc h2"), "Dans cette page");
    assert_eq!(text_of(&page, ".callout-title"), "Astuce maison");
}

#[test]
fn corporate_theme_is_a_different_look_on_the_same_content() {
    let site = Site::fixture("themes/brand");
    site.write(
        "mentorbook.yaml",
        "title: Marque\ntheme:\n  name: corporate\n  accent: \"#c00\"\n",
    );
    site.build();
    let page = site.html("guide.html");
    let css: Vec<String> = select(&page, "link[rel=stylesheet]")
        .iter()
        .filter_map(|l| l.value().attr("href").map(str::to_string))
        .collect();
    assert_eq!(css, ["assets/style.css", "assets/corporate.css"]);
    assert!(site.public().join("assets/corporate.css").is_file());
    assert_eq!(select(&page, "body.theme-corporate").len(), 1);
    let list = site.run(&["theme", "list"]).success().stdout();
    assert!(
        list.contains("default:") && list.contains("corporate:") && list.contains("primary"),
        "{list}"
    );
}

#[test]
fn ejected_theme_is_used_and_editable() {
    let site = Site::fixture("themes/brand");
    site.run(&["theme", "eject"]).success();
    let css = site.path().join("themes/default/static/assets/style.css");
    assert!(
        css.is_file()
            && site
                .path()
                .join("themes/default/templates/base.html")
                .is_file()
    );
    site.run(&["theme", "eject"]).code_is(2);
    std::fs::write(&css, "body { color: rebeccapurple; }\n").expect("edit");
    site.build();
    let out = std::fs::read_to_string(site.public().join("assets/style.css")).expect("read");
    assert_eq!(out, "body { color: rebeccapurple; }\n");
}

#[test]
fn no_external_fonts_scripts_or_stylesheets() {
    for theme in ["default", "corporate"] {
        let site = sample_with_theme(theme);
        for (rel, bytes) in tree(&site.public()) {
            let text = String::from_utf8_lossy(&bytes);
            if rel.ends_with(".css") {
                assert!(
                    !text.contains("@import") && !text.contains("url(http"),
                    "{theme}: {rel} loads something remote"
                );
            }
            if rel.ends_with(".html") {
                let doc = scraper::Html::parse_document(&text);
                for el in select(
                    &doc,
                    "link[href], script[src], img[src], iframe, object, embed",
                ) {
                    let url = el
                        .value()
                        .attr("href")
                        .or_else(|| el.value().attr("src"))
                        .unwrap_or("");
                    assert!(
                        !url.contains("://") && !url.starts_with("//"),
                        "{theme}: {rel} loads `{url}`"
                    );
                }
            }
        }
    }
}

/// Builds the sample with `theme` and returns the site.
fn sample_with_theme(theme: &str) -> Site {
    let site = Site::sample();
    let cfg = std::fs::read_to_string(site.path().join("mentorbook.yaml")).expect("read");
    site.write(
        "mentorbook.yaml",
        &cfg.replace("name: default", &format!("name: {theme}")),
    );
    site.build();
    site
}

const AXE_PAGES: &[&str] = &[
    "index.html",
    "comprendre/mentorat-coaching-formation.html",
    "relation/confidentialite.html",
    "fiches/seances/seance-3.html",
    "fiches/responsable/grille-appariement.html",
    "worksheets/index.html",
    "fiches/seances/print.html",
    "en/relation/confidentialite.html",
];

#[test]
fn axe_finds_no_serious_or_critical_violations_in_either_theme_or_mode() {
    let Some(axe) = browser::axe_core() else {
        skip(
            "axe_finds_no_serious_or_critical_violations_in_either_theme_or_mode",
            "axe-core not found (npm install --prefix target/npm axe-core@4.14.1)",
        );
        return;
    };
    let Some(b) = browser::start("axe_finds_no_serious_or_critical_violations") else {
        return;
    };
    let mut problems = Vec::new();
    let mut checked = 0;
    for theme in ["default", "corporate"] {
        let site = sample_with_theme(theme);
        for page in AXE_PAGES {
            b.goto(&format!("file://{}", site.public().join(page).display()));
            for mode in ["light", "dark"] {
                b.eval(&format!(
                    "document.documentElement.setAttribute('data-mode', '{mode}'); return null;"
                ));
                if b.eval("return typeof window.axe;") != "object" {
                    b.eval(&axe);
                }
                let v = b.eval_async(
                    "var done = arguments[0];
                     axe.run(document, {resultTypes: ['violations']}).then(function (r) {
                       done(r.violations.filter(function (v) { return v.impact === 'serious' || v.impact === 'critical'; })
                         .map(function (v) { return v.impact + ' ' + v.id + ': ' + v.help + ' @ ' + JSON.stringify(v.nodes.slice(0, 3).map(function (n) { return n.target; })); }));
                     }).catch(function (e) { done(['axe failed: ' + e]); });",
                );
                checked += 1;
                for item in v.as_array().cloned().unwrap_or_default() {
                    problems.push(format!(
                        "{theme}/{mode} {page}: {}",
                        item.as_str().unwrap_or_default()
                    ));
                }
            }
        }
    }
    assert_eq!(checked, 2 * 2 * AXE_PAGES.len());
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn keyboard_reaches_menu_search_and_every_link_with_a_visible_focus_ring() {
    let Some(b) = browser::start("keyboard_reaches_menu_search_and_every_link") else {
        return;
    };
    let site = sample_with_theme("default");
    let url = format!(
        "file://{}",
        site.public().join("relation/ecoute-active.html").display()
    );
    b.resize(1300, 900);
    b.goto(&url);
    b.press("\u{E004}");
    assert_eq!(
        b.eval("return document.activeElement.className;"),
        "skip-link",
        "Tab first reaches the skip link"
    );
    assert_eq!(
        b.eval("return document.activeElement.getBoundingClientRect().top >= 0;"),
        true,
        "the skip link shows when focused"
    );
    let total = b
        .eval("return document.querySelectorAll('a[href], button, input, textarea').length;")
        .as_u64()
        .unwrap_or(0);
    b.eval("window.__seen = new Set(); window.__noring = []; document.addEventListener('focusin', function (e) { var el = e.target; window.__seen.add(el); var cs = getComputedStyle(el); if (cs.outlineStyle === 'none' || parseFloat(cs.outlineWidth) === 0) { window.__noring.push(el.outerHTML.slice(0, 80)); } }); return null;");
    for _ in 0..(total + 10) {
        b.press("\u{E004}");
    }
    let unreached = b.eval(
        "return Array.prototype.filter.call(document.querySelectorAll('.nav-tree a, main a[href], #mb-search-input, .mode-toggle'), function (el) { return !window.__seen.has(el); }).map(function (el) { return el.outerHTML.slice(0, 80); });",
    );
    assert_eq!(unreached, serde_json::json!([]), "not reachable with Tab");
    assert_eq!(
        b.eval("return window.__noring;"),
        serde_json::json!([]),
        "focused without a visible focus ring"
    );

    // Small screen: the menu button opens the navigation from the keyboard.
    b.resize(500, 900);
    b.goto(&url);
    b.eval("document.querySelector('.menu-toggle').focus(); return null;");
    assert_eq!(
        b.eval("return getComputedStyle(document.querySelector('.sidebar')).display;"),
        "none"
    );
    b.press("\u{E007}");
    assert!(
        b.wait_for(
            "document.querySelector('.menu-toggle').getAttribute('aria-expanded') === 'true'",
            Duration::from_secs(5)
        )
        .is_some()
    );
    assert_ne!(
        b.eval("return getComputedStyle(document.querySelector('.sidebar')).display;"),
        "none"
    );
    let mut reached_nav = false;
    for _ in 0..12 {
        b.press("\u{E004}");
        if b.eval("return !!document.activeElement.closest('.nav-tree');") == true {
            reached_nav = true;
            break;
        }
    }
    assert!(
        reached_nav,
        "after opening the menu, Tab reaches the navigation links"
    );
}

#[test]
fn nu_html_checker_finds_no_errors() {
    let jar = std::env::var_os("VNU_JAR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| repo_root().join("target/npm/node_modules/vnu-jar/build/dist/vnu.jar"));
    let java = std::process::Command::new("java")
        .arg("-version")
        .output()
        .is_ok();
    if !jar.is_file() || !java {
        skip(
            "nu_html_checker_finds_no_errors",
            "needs java and `npm install --prefix target/npm vnu-jar@26.9.27`",
        );
        return;
    }
    for theme in ["default", "corporate"] {
        let site = sample_with_theme(theme);
        let out = std::process::Command::new("java")
            .args(["-jar"])
            .arg(&jar)
            .args(["--errors-only", "--skip-non-html", "--format", "text"])
            .arg(site.public())
            .output()
            .expect("run vnu");
        let report = String::from_utf8_lossy(&out.stderr).into_owned()
            + &String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{theme}: the Nu HTML checker reports errors:\n{report}"
        );
    }
}

#[test]
fn narrow_phones_get_no_sideways_scrolling() {
    let Some(b) = browser::start("narrow_phones_get_no_sideways_scrolling") else {
        return;
    };
    for theme in ["default", "corporate"] {
        let site = sample_with_theme(theme);
        b.resize(390, 800);
        for page in [
            "index.html",
            "relation/posture.html",
            "fiches/seances/seance-3.html",
            "en/index.html",
        ] {
            b.goto(&format!("file://{}", site.public().join(page).display()));
            let overflow = b.eval("return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
            assert!(
                overflow.as_i64().unwrap_or(1) <= 0,
                "{theme} {page}: {overflow} px of sideways scrolling at 390 px"
            );
        }
    }
}

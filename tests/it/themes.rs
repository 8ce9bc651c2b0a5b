//! Themes: layers and block overrides, variables, the site's own stylesheets,
//! scripts and favicon, ejecting and listing themes, UI strings checked like every
//! key, the theme README kept complete, keyboard use and narrow screens.
//! (Accessibility and valid HTML of every page: `first_hour`.)

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
    assert!(style.contains("--mb-primary:#0b7a45;"), "{style}");
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
    // Errors in mentorbook.yaml are configuration errors, like an unknown top-level key.
    let run = site.run(&["build"]).code_is(2);
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
        err.contains("help: copy the file to `static/absent.svg`"),
        "the help says where the file goes: {err}"
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
        list.contains("default:")
            && list.contains("corporate (in use):")
            && list.contains("primary"),
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

#[test]
fn extra_css_extra_js_and_the_favicon_are_the_sites_files() {
    let site = Site::fixture("themes/brand");
    site.write(
        "static/custom.css",
        ".site-header { border-bottom-width: 6px; }\n",
    );
    site.write("static/js/tracking.js", "window.mbCustom = true;\n");
    site.write("static/icon.png", "not really a png");
    site.write(
        "mentorbook.yaml",
        "title: Marque\nextra_css: custom.css\nextra_js: [js/tracking.js]\ntheme:\n  favicon: icon.png\n",
    );
    site.build();
    for (page, root) in [("guide.html", ""), ("fiches/seance.html", "../")] {
        let doc = site.html(page);
        let css: Vec<&str> = select(&doc, "link[rel=stylesheet]")
            .iter()
            .filter_map(|l| l.value().attr("href"))
            .collect();
        assert_eq!(
            css,
            [
                format!("{root}assets/style.css"),
                format!("{root}custom.css")
            ],
            "{page}: the site's stylesheet comes after the theme's"
        );
        let scripts: Vec<&str> = select(&doc, "script[src]")
            .iter()
            .filter_map(|l| l.value().attr("src"))
            .collect();
        assert_eq!(
            scripts.last().copied(),
            Some(format!("{root}js/tracking.js").as_str()),
            "{page}: {scripts:?}"
        );
        assert_eq!(
            select(&doc, &format!("link[rel=icon][href='{root}icon.png']")).len(),
            1,
            "{page}"
        );
    }
    assert!(
        site.public().join("custom.css").is_file()
            && site.public().join("js/tracking.js").is_file()
    );
    // Without a favicon of its own, the theme's.
    site.write("mentorbook.yaml", "title: Marque\n");
    site.build();
    assert_eq!(
        select(
            &site.html("guide.html"),
            "link[rel=icon][href='assets/favicon.svg']"
        )
        .len(),
        1
    );
    assert!(site.public().join("assets/favicon.svg").is_file());
    // A file that is not in static/, or on the network, is a configuration error.
    site.write(
        "mentorbook.yaml",
        "title: Marque\nextra_css: [absent.css]\nextra_js: https://cdn.example.org/x.js\n",
    );
    let run = site.run(&["build"]).code_is(2);
    let err = run.stderr();
    assert!(
        err.contains(
            "mentorbook.yaml:2:1: error: `extra_css`: `absent.css` was not found in `static/`"
        ),
        "{err}"
    );
    assert!(
        err.contains("mentorbook.yaml:3:1: error: `extra_js`: `https://cdn.example.org/x.js` is not a file of the handbook"),
        "{err}"
    );
}

#[test]
fn theme_docs_prints_the_built_in_guide_outside_a_handbook_too() {
    // Error messages about templates point to `mentorbook theme docs`: a user
    // who has only the binary gets the guide, the same as this repository's.
    let outside = tempfile::tempdir().expect("tmp");
    let out = run_in(outside.path(), &["theme", "docs"], &[])
        .success()
        .stdout();
    let readme = std::fs::read_to_string(repo_root().join("themes/README.md")).expect("README");
    assert_eq!(out, readme);
    assert!(out.contains("## Variables"), "{out}");
}

#[test]
fn a_theme_can_be_ejected_under_a_new_name_and_is_listed() {
    let site = Site::fixture("themes/brand");
    let outside = tempfile::tempdir().expect("tmp");
    let builtin = run_in(outside.path(), &["theme", "list"], &[])
        .success()
        .stdout();
    assert!(
        builtin.contains("default") && !builtin.contains("This handbook's themes"),
        "{builtin}"
    );
    let run = site
        .run(&["theme", "eject", "corporate", "--as", "acme"])
        .success();
    assert!(
        run.stdout().contains("set `theme: { name: acme }`"),
        "{}",
        run.stdout()
    );
    let css = site.path().join("themes/acme/static/assets/corporate.css");
    assert!(css.is_file());
    let manifest =
        std::fs::read_to_string(site.path().join("themes/acme/theme.yaml")).expect("theme.yaml");
    assert!(!manifest.contains("extends:"), "the copy stands alone");
    site.run(&["theme", "eject", "corporate", "--as", "acme"])
        .code_is(2);
    site.run(&["theme", "eject", "corporate", "--as", "../x"])
        .code_is(2);
    // `theme list` shows the handbook's own theme first, and which one is used.
    site.write(
        "mentorbook.yaml",
        "title: Marque\ntheme:\n  name: acme\n  accent: \"#c00\"\n",
    );
    let list = site.run(&["theme", "list"]).success().stdout();
    let own = list
        .find("acme (in use):")
        .expect("the site's theme, marked in use");
    let builtins = list
        .find("Built-in themes:")
        .expect("then the built-in ones");
    assert!(own < builtins, "{list}");
    assert!(list[own..builtins].contains("header_text"), "{list}");
    // It is used, and editable.
    std::fs::write(&css, ".site-header { background: rebeccapurple; }\n").expect("edit");
    site.build();
    let page = site.html("guide.html");
    assert_eq!(select(&page, "body.theme-acme").len(), 1);
    let out = std::fs::read_to_string(site.public().join("assets/corporate.css")).expect("css");
    assert!(out.contains("rebeccapurple"));
}

#[test]
fn a_misspelt_ui_string_is_a_configuration_error_with_a_suggestion() {
    let site = Site::fixture("themes/brand");
    site.write(
        "mentorbook.yaml",
        "title: Marque\ni18n:\n  tocc: Dans cette page\n  weekdays: lundi\nlanguages:\n  en:\n    i18n:\n      serch_label: Find\n",
    );
    let run = site.run(&["build"]).code_is(2);
    let err = run.stderr();
    assert!(
        err.contains("mentorbook.yaml:3:3: error: unknown UI string `i18n.tocc`"),
        "{err}"
    );
    assert!(err.contains("did you mean `toc`?"), "{err}");
    assert!(
        err.contains("mentorbook.yaml:4:3: error: `i18n.weekdays` must be a list of texts"),
        "{err}"
    );
    assert!(
        err.contains(
            "mentorbook.yaml:8:7: error: unknown UI string `languages.en.i18n.serch_label`"
        ),
        "{err}"
    );
    // Counted strings and lists can be overridden too.
    site.write(
        "mentorbook.yaml",
        "title: Marque\nprogramme:\n  sessions: 1\ni18n:\n  timeline_sessions_count: { one: \"{n} rencontre\", other: \"{n} rencontres\" }\n",
    );
    site.build();
    assert_eq!(
        text_of(&site.html("timeline.html"), ".timeline .lead"),
        "1 rencontre · une séance par mois"
    );
}

#[test]
fn typography_reaches_front_matter_and_french_keeps_its_quotes() {
    let site = Site::fixture("themes/brand");
    site.write(
        "content/fiches/seance.md",
        "---\ntitle: \"Séance 1 -- l'accueil\"\ndescription: 'Ce que j''attends : \"un cadre\"...'\nkind: worksheet\nsession: 1\nobjectives:\n  - Dire ce que j'attends\n  - \"Poser le \\\"cadre\\\" ?\"\n---\n\nTexte \"entre guillemets\".\n",
    );
    site.build();
    let ws = site.html("fiches/seance.html");
    assert_eq!(text_of(&ws, ".ws-header h1"), "Séance 1 – l’accueil");
    let objectives: Vec<String> = select(&ws, ".ws-objectives li")
        .iter()
        .map(|l| l.text().collect())
        .collect();
    assert_eq!(
        objectives,
        [
            "Dire ce que j’attends",
            "Poser le «\u{202f}cadre\u{202f}»\u{202f}?"
        ]
    );
    assert_eq!(
        text_of(&ws, ".ws-intro"),
        "Ce que j’attends\u{202f}: «\u{202f}un cadre\u{202f}»…"
    );
    // `typography: none` on a French handbook: spacing as typed, French quotes still.
    site.write("mentorbook.yaml", "title: Marque\ntypography: none\n");
    site.build();
    let ws = site.html("fiches/seance.html");
    assert_eq!(text_of(&ws, ".ws-intro"), "Ce que j’attends : «un cadre»…");
    assert!(text_of(&ws, ".content").contains("Texte «entre guillemets»."));
}

#[test]
fn new_worksheet_and_starters_write_no_empty_list_item() {
    let site = Site::fixture("themes/brand");
    let run = site
        .run(&["new", "worksheet", "Faire le point", "--section", "fiches"])
        .success();
    let path = run
        .stdout()
        .trim()
        .trim_start_matches("Created ")
        .to_string();
    let text = std::fs::read_to_string(&path).expect("the new file");
    for line in text.lines() {
        assert_ne!(line.trim(), "-", "an empty list item in:\n{text}");
    }
    site.run(&["check", "--strict"]).success();
    site.build();
    let html = std::fs::read_to_string(site.public().join("fiches/faire-le-point.html"))
        .expect("the new worksheet");
    let doc = scraper::Html::parse_document(&html);
    assert!(
        select(&doc, "li")
            .iter()
            .all(|li| !li.text().collect::<String>().trim().is_empty()),
        "an empty bullet"
    );
    for lang in ["fr", "en"] {
        let dir = tempfile::tempdir().expect("tmp");
        run_in(dir.path(), &["init", "guide", "--lang", lang], &[]).success();
        for (rel, bytes) in tree(&dir.path().join("guide")) {
            let text = String::from_utf8_lossy(&bytes);
            assert!(
                text.lines().all(|l| l.trim() != "-"),
                "{lang}: {rel} has an empty list item"
            );
        }
    }
}

#[test]
fn the_theme_readme_documents_every_template_and_static_file_of_each_theme() {
    let readme = std::fs::read_to_string(repo_root().join("themes/README.md")).expect("README");
    let mut missing = Vec::new();
    let mut listed = 0;
    for theme in ["default", "corporate"] {
        let dir = repo_root().join("themes").join(theme);
        for (rel, _) in tree(&dir) {
            let rel = rel.replace('\\', "/");
            let name = if let Some(t) = rel.strip_prefix("templates/") {
                t.to_string()
            } else if let Some(s) = rel.strip_prefix("static/") {
                s.to_string()
            } else {
                continue;
            };
            listed += 1;
            // Named by its path in the theme (`components/scale.html`,
            // `assets/search.js`) or, in a list of its folder, by its file name.
            let file = name.rsplit('/').next().unwrap_or(&name);
            if !readme.contains(&format!("`{name}`")) && !readme.contains(&format!("`{file}`")) {
                missing.push(format!("{theme}/{rel}"));
            }
        }
    }
    assert!(listed >= 25, "{listed} files");
    assert!(
        missing.is_empty(),
        "themes/README.md does not mention: {missing:?}"
    );
    // And it names no file that does not exist.
    assert!(
        !readme.contains("worksheet.css"),
        "the README mentions `worksheet.css`"
    );
}

#[test]
fn a_template_error_some_pages_cause_names_one_of_them() {
    // `page.extra.color` is missing on one page only: the error at the template's
    // line says which page met it, the same in check and build, once.
    let site = Site::new();
    site.write("mentorbook.yaml", "title: Guide\nlang: fr\n")
        .write(
            "content/_index.md",
            "---\ntitle: Accueil\nextra:\n  color: teal\n---\n",
        )
        .write(
            "content/b.md",
            "---\ntitle: B\nextra:\n  color: red\n---\nB.\n",
        )
        .write("content/c.md", "---\ntitle: C\n---\nC.\n")
        .write(
            "templates/page.html",
            "{% extends \"builtin/page.html\" %}\n{% block page_tools %}{{ page.extra.color | upper }}{% endblock page_tools %}\n",
        );
    let check = site.run(&["check"]).code_is(1).stderr();
    assert!(check.contains("templates/page.html:2:"), "{check}");
    assert!(
        check.contains("(met rendering the page of `content/c.md`)"),
        "{check}"
    );
    assert_eq!(check.matches(": error: ").count(), 1, "{check}");
    let build = site.run(&["build"]).code_is(1).stderr();
    assert_eq!(build, check, "build says the same");
}

#[test]
fn a_site_theme_extends_the_built_in_theme_it_names() {
    let site = Site::new();
    site.write(
        "mentorbook.yaml",
        "title: Guide\nlang: fr\ntheme:\n  name: acme\n",
    )
    .write("content/_index.md", "---\ntitle: Accueil\n---\nBonjour.\n")
    .write(
        "themes/acme/theme.yaml",
        "description: Acme\nextends: corporate\n",
    );
    site.build().success();
    let home = site.html("index.html");
    assert_eq!(
        select(&home, "link[href='assets/corporate.css']").len(),
        1,
        "corporate's stylesheet, under acme"
    );
    // Its own manifest is checked: a default of the wrong type, a stylesheet it lacks.
    site.write(
        "themes/acme/theme.yaml",
        "description: Acme\nextends: corporate\nstylesheets: [assets/style.css, assets/acmee.css]\nvariables:\n  banner_bg:\n    type: color\n    default: \"#22\"\n",
    );
    let err = site.run(&["check"]).code_is(1).stderr();
    assert!(
        err.contains(
            "themes/acme/theme.yaml:3:33: error: `assets/acmee.css` is no file of the theme"
        ),
        "{err}"
    );
    assert!(
        err.contains(
            "themes/acme/theme.yaml:7:5: error: the default of `banner_bg`: `#22` is not a colour"
        ),
        "{err}"
    );
    site.write(
        "themes/acme/theme.yaml",
        "description: Acme\nextends: corprate\n",
    );
    let err = site.run(&["check"]).code_is(1).stderr();
    assert!(
        err.contains("themes/acme/theme.yaml:2:10: error: `extends: corprate`")
            && err.contains("did you mean `extends: corporate`?"),
        "{err}"
    );
    // A misspelt theme name is matched against the site's themes too.
    site.write(
        "mentorbook.yaml",
        "title: Guide\nlang: fr\ntheme:\n  name: acm\n",
    );
    let err = site.run(&["check"]).code_is(2).stderr();
    assert!(err.contains("did you mean `acme`?"), "{err}");
}

#[test]
fn a_template_that_extends_itself_is_an_error_at_its_file() {
    let site = Site::new();
    site.write("mentorbook.yaml", "title: Guide\nlang: fr\n")
        .write("content/_index.md", "---\ntitle: Accueil\n---\n")
        .write("content/a.md", "---\ntitle: A\n---\nA.\n")
        .write(
            "templates/page.html",
            "{% extends \"page.html\" %}\n{% block footer %}x{% endblock footer %}\n",
        );
    let err = site.run(&["check"]).code_is(1).stderr();
    assert!(
        err.contains("templates/page.html:1:1: error: `page.html` extends itself"),
        "{err}"
    );
    assert!(
        err.contains("`{% extends \"builtin/page.html\" %}`"),
        "{err}"
    );
}

#[test]
fn dark_mode_keeps_the_brand_s_hue() {
    // Only `primary` set: dark mode gets a light tint of it, not the theme's teal.
    let site = Site::new();
    site.write(
        "mentorbook.yaml",
        "title: Guide\nlang: fr\ntheme:\n  primary: \"#c2185b\"\n",
    )
    .write("content/_index.md", "---\ntitle: Accueil\n---\n");
    site.build().success();
    let home = std::fs::read_to_string(site.public().join("index.html")).expect("home");
    assert!(home.contains("--mb-primary-dark:#e689ae;"), "{home}");
    // The accent the same way: its tint, not the theme's orange.
    site.write(
        "mentorbook.yaml",
        "title: Guide\nlang: fr\ntheme:\n  accent: \"#c2185b\"\n",
    );
    site.build().success();
    let home = std::fs::read_to_string(site.public().join("index.html")).expect("home");
    assert!(home.contains("--mb-accent-dark:#e689ae;"), "{home}");
    assert!(!home.contains("--mb-accent-dark:#f0a46b"), "{home}");
    // Both set: the site's own dark colour.
    site.write(
        "mentorbook.yaml",
        "title: Guide\nlang: fr\ntheme:\n  primary: \"#c2185b\"\n  primary_dark: \"#ffb3c8\"\n",
    );
    site.build().success();
    let home = std::fs::read_to_string(site.public().join("index.html")).expect("home");
    assert!(home.contains("--mb-primary-dark:#ffb3c8;"), "{home}");
}

#[test]
fn a_brand_colour_too_pale_for_text_is_a_warning() {
    let site = Site::new();
    site.write(
        "mentorbook.yaml",
        "title: Guide\nlang: fr\ntheme:\n  accent: \"#ff9800\"\n  primary: \"#1d6b74\"\n",
    )
    .write("content/_index.md", "---\ntitle: Accueil\n---\n");
    let err = site.run(&["check"]).success().stderr();
    assert!(
        err.contains("mentorbook.yaml:4:3: warning: `theme.accent: #ff9800` has a contrast of 2.2:1 on the white page"),
        "{err}"
    );
    assert_eq!(
        err.matches("has a contrast").count(),
        1,
        "the teal reads: {err}"
    );
    site.run(&["check", "--strict"]).code_is(2);
}

#[test]
fn a_theme_name_is_a_folder_name_not_a_path() {
    // `../ailleurs` exists beside the handbook's `themes/`: it is still refused,
    // as a name, not as a symbolic link leading out (exit 2: the configuration).
    let site = Site::new();
    site.write("content/_index.md", "---\ntitle: Accueil\n---\nBonjour.\n")
        .write("ailleurs/theme.yaml", "extends: default\n")
        .write(
            "mentorbook.yaml",
            "title: Guide\ntheme:\n  name: ../ailleurs\n",
        );
    for args in [&["check"][..], &["build"][..]] {
        let run = site.run(args).code_is(2);
        let err = run.stderr();
        assert!(
            err.contains("mentorbook.yaml:3:3: error: `../ailleurs` is not a theme name: a theme is named by its folder in `themes/`"),
            "{err}"
        );
        assert!(!err.contains("symbolic link"), "{err}");
    }
}

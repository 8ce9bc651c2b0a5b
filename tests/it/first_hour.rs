//! The first hour of a new user, in French and in English: the starters
//! (`init --lang fr|en`) and the sample, in both built-in themes, build, pass
//! `check --strict`, crawl clean and serve every page; every output page passes
//! axe-core (WCAG 2.0/2.1/2.2 A and AA) in light and dark mode and the Nu HTML
//! checker; English pages show no French and French pages no English; search,
//! keyboard shortcuts, the on-page contents and the accessibility tree work in
//! a real browser; screenshots are kept in `target/test-artefacts/`.
//!
//! The browser tests share one Chromium session each, over many pages.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::browser;
use crate::support::*;

/// A handbook of the matrix: where it is and what it is.
struct Handbook {
    name: String,
    _dir: tempfile::TempDir,
    root: PathBuf,
}

impl Handbook {
    fn public(&self) -> PathBuf {
        self.root.join("public")
    }
}

/// Sets the theme of the handbook at `root` (its `theme: name:` line).
fn use_theme(root: &Path, theme: &str) {
    let path = root.join("mentorbook.yaml");
    let cfg = std::fs::read_to_string(&path).expect("read config");
    let cfg = cfg.replace("name: default", &format!("name: {theme}"));
    assert!(cfg.contains(&format!("name: {theme}")), "{cfg}");
    std::fs::write(&path, cfg).expect("write config");
}

/// `init --lang LANG`, in a temporary folder, with `theme`.
fn starter(lang: &str, theme: &str) -> Handbook {
    let dir = tempfile::tempdir().expect("tmp");
    let root = dir.path().join(format!("guide-{lang}"));
    let root_str = root.to_str().expect("utf-8 path").to_string();
    run_in(dir.path(), &["init", &root_str, "--lang", lang], &[]).success();
    use_theme(&root, theme);
    Handbook {
        name: format!("init --lang {lang}, {theme}"),
        _dir: dir,
        root,
    }
}

/// The sample handbook with `theme`.
fn sample(theme: &str) -> Handbook {
    let dir = tempfile::tempdir().expect("tmp");
    let root = dir.path().join("sample");
    for part in ["content", "themes"] {
        copy_dir(&repo_root().join(part), &root.join(part));
    }
    std::fs::copy(
        repo_root().join("mentorbook.yaml"),
        root.join("mentorbook.yaml"),
    )
    .expect("copy config");
    use_theme(&root, theme);
    Handbook {
        name: format!("sample, {theme}"),
        _dir: dir,
        root,
    }
}

/// Every handbook of the matrix: the two starters and the sample, in both themes.
fn matrix() -> Vec<Handbook> {
    let mut v = Vec::new();
    for theme in ["default", "corporate"] {
        v.push(starter("fr", theme));
        v.push(starter("en", theme));
        v.push(sample(theme));
    }
    v
}

/// Every HTML file under `out`, as `/`-separated relative paths, sorted.
fn html_files(out: &Path) -> Vec<String> {
    let mut v: Vec<String> = walkdir::WalkDir::new(out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .filter_map(|e| {
            Some(
                e.path()
                    .strip_prefix(out)
                    .ok()?
                    .to_string_lossy()
                    .replace('\\', "/"),
            )
        })
        .collect();
    v.sort();
    v
}

/// Whether an output page only leads elsewhere (the `<default>/…` redirects):
/// a browser leaves it at once, so there is nothing on it to check.
fn is_redirect(out: &Path, rel: &str) -> bool {
    std::fs::read_to_string(out.join(rel)).is_ok_and(|t| t.contains("http-equiv=\"refresh\""))
}

#[test]
fn starters_and_sample_check_strict_build_crawl_and_serve_in_both_themes() {
    let started = Instant::now();
    for hb in matrix() {
        let site = Site::at(&hb.root);
        site.run(&["check", "--strict"]).success();
        site.run(&["build", "--strict"]).success();
        let out = hb.public();
        let problems = crawl(&out, &[]);
        assert!(problems.is_empty(), "{}: {problems:#?}", hb.name);
        let pages = html_files(&out);
        for must in [
            "index.html",
            "404.html",
            "print.html",
            "worksheets/index.html",
            "worksheets/print.html",
        ] {
            assert!(pages.iter().any(|p| p == must), "{}: no {must}", hb.name);
        }
        #[cfg(feature = "serve")]
        {
            let server = crate::serve::Server::start(&site, &[]);
            for p in &pages {
                let r = server.get(&format!("/{}", crate::serve::url_path(p)));
                assert_eq!(r.status, 200, "{}: /{p}\n{}", hb.name, server.log());
            }
            // A missing page gets the 404 page of its language, whose links work from there.
            let r = server.get("/un/dossier/absent.html");
            assert_eq!(r.status, 404, "{}", hb.name);
            let page = scraper::Html::parse_document(&String::from_utf8_lossy(&r.body));
            assert_eq!(select(&page, "article.not-found").len(), 1, "{}", hb.name);
        }
    }
    eprintln!(
        "matrix (6 handbooks: check, build, crawl, serve): {:.1} s",
        started.elapsed().as_secs_f64()
    );
}

#[test]
fn every_page_passes_axe_in_both_themes_and_modes_and_the_nu_checker() {
    let test = "every_page_passes_axe_in_both_themes_and_modes_and_the_nu_checker";
    let handbooks = matrix();
    for hb in &handbooks {
        Site::at(&hb.root).build();
    }
    nu_checker(test, &handbooks);
    let Some(axe) = browser::axe_core() else {
        skip(
            test,
            "axe-core not found (npm install --prefix target/npm axe-core@4.14.1)",
        );
        return;
    };
    let Some(b) = browser::start(test) else {
        return;
    };
    b.on_every_page(&axe);
    let started = Instant::now();
    let mut problems = Vec::new();
    let mut checked = 0;
    let mut slow = Vec::new();
    for hb in &handbooks {
        let out = hb.public();
        for page in html_files(&out) {
            if is_redirect(&out, &page) {
                continue;
            }
            b.goto(&format!("file://{}", out.join(&page).display()));
            for mode in ["light", "dark"] {
                let t = Instant::now();
                b.eval(&format!(
                    "document.documentElement.setAttribute('data-mode', '{mode}'); return null;"
                ));
                checked += 1;
                for v in browser::axe_serious(&b) {
                    problems.push(format!("{} {mode} {page}: {v}", hb.name));
                }
                slow.push((t.elapsed(), format!("{} {mode} {page}", hb.name)));
            }
        }
    }
    eprintln!(
        "axe: {checked} page views in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    slow.sort();
    for (d, what) in slow.iter().rev().take(5) {
        eprintln!("  {:.2} s {what}", d.as_secs_f64());
    }
    assert!(checked > 400, "{checked} page views");
    let report = browser::artefacts().join("axe-violations.txt");
    let _ = std::fs::create_dir_all(browser::artefacts());
    let _ = std::fs::write(&report, problems.join("\n"));
    assert!(
        problems.is_empty(),
        "{} serious or critical violations (all in {}):\n{}",
        problems.len(),
        report.display(),
        problems
            .iter()
            .take(20)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// The Nu HTML checker on every page of every handbook, in one run.
fn nu_checker(test: &str, handbooks: &[Handbook]) {
    let jar = std::env::var_os("VNU_JAR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("target/npm/node_modules/vnu-jar/build/dist/vnu.jar"));
    let java = std::process::Command::new("java")
        .arg("-version")
        .output()
        .is_ok();
    if !jar.is_file() || !java {
        skip(
            test,
            "needs java and `npm install --prefix target/npm vnu-jar@26.9.27` for the Nu checker",
        );
        return;
    }
    let started = Instant::now();
    let out = std::process::Command::new("java")
        .args(["-Xss4m", "-jar"])
        .arg(&jar)
        .args(["--errors-only", "--skip-non-html", "--format", "text"])
        .args(handbooks.iter().map(Handbook::public))
        .output()
        .expect("run vnu");
    let report =
        String::from_utf8_lossy(&out.stderr).into_owned() + &String::from_utf8_lossy(&out.stdout);
    eprintln!(
        "Nu checker: {} pages in {:.1} s",
        handbooks
            .iter()
            .map(|h| html_files(&h.public()).len())
            .sum::<usize>(),
        started.elapsed().as_secs_f64()
    );
    assert!(
        out.status.success(),
        "the Nu HTML checker reports errors:\n{report}"
    );
}

#[allow(dead_code)]
fn wait(b: &browser::Browser, cond: &str) -> bool {
    b.wait_for(cond, Duration::from_secs(10)).is_some()
}

/// Every text of a UI strings file (lists and plural forms flattened; the fixed
/// parts of counted texts around `{n}`), by key.
fn ui_texts(lang: &str) -> std::collections::BTreeMap<String, Vec<String>> {
    let path = repo_root().join(format!("themes/default/i18n/{lang}.yaml"));
    let text = std::fs::read_to_string(&path).expect("read UI strings");
    let map: std::collections::BTreeMap<String, serde_yaml::Value> =
        serde_yaml::from_str(&text).expect("UI strings");
    let mut out = std::collections::BTreeMap::new();
    for (k, v) in map {
        let mut texts = Vec::new();
        let mut push = |s: &str| {
            for part in s.split("{n}") {
                let part = part.trim();
                if !part.is_empty() {
                    texts.push(part.to_string());
                }
            }
        };
        match v {
            serde_yaml::Value::String(s) => push(&s),
            serde_yaml::Value::Sequence(l) => {
                l.iter().filter_map(|x| x.as_str()).for_each(&mut push)
            }
            serde_yaml::Value::Mapping(m) => {
                m.values().filter_map(|x| x.as_str()).for_each(&mut push)
            }
            _ => {}
        }
        out.insert(k, texts);
    }
    out
}

/// The texts of `own` that the other language writes differently: a page in
/// the other language must not show them.
fn foreign_words(own: &str, other: &str) -> Vec<String> {
    let mine = ui_texts(own);
    let theirs = ui_texts(other);
    let mut v: Vec<String> = mine
        .iter()
        .flat_map(|(k, texts)| {
            let theirs = theirs.get(k).cloned().unwrap_or_default();
            texts
                .iter()
                .filter(move |t| !theirs.contains(t) && t.chars().count() >= 4)
                .cloned()
                .collect::<Vec<_>>()
        })
        .collect();
    v.sort();
    v.dedup();
    v
}

/// Elements whose text is the handbook's content (written by its authors in
/// the page's language), not the theme's or the tool's.
const CONTENT: &str = ".content, .toc ul, .nav-tree, .breadcrumbs ol, .pager-title, h1, .lead, .card, .ws-objectives ul, .print-toc ol, .lang-switch, script, style";
/// Elements whose text is code, where no typography applies.
const CODE: &str = "code, pre, kbd, script, style";

/// The text nodes of `doc` outside the elements matching `skip`, and the values of
/// its human-readable attributes (`data-mb-…` ones are the tool's identifiers: a
/// sheet's storage key, a block's line, a field's role).
fn texts(doc: &scraper::Html, skip: &str) -> Vec<String> {
    let skip = scraper::Selector::parse(skip).expect("selector");
    let skipped: std::collections::HashSet<_> = doc
        .select(&skip)
        .flat_map(|e| e.descendants().map(|n| n.id()))
        .collect();
    let mut out = Vec::new();
    for node in doc.tree.nodes() {
        if skipped.contains(&node.id()) {
            continue;
        }
        match node.value() {
            scraper::Node::Text(t) => out.push(t.to_string()),
            scraper::Node::Element(e) => {
                for (name, value) in e.attrs() {
                    if matches!(
                        name,
                        "aria-label" | "title" | "placeholder" | "alt" | "content"
                    ) || (name.starts_with("data-") && !name.starts_with("data-mb-"))
                    {
                        out.push(value.to_string());
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// Whether `text` holds `word` as whole words (not inside a longer word).
fn contains_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// Places where `text` is spaced the English way in French (a letter right
/// before `? ! ;`, or before a `:` that ends a word), or the French way in English.
fn spacing_problems(text: &str, french: bool) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    for (i, &c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).map(|p| chars[p]);
        let next = chars.get(i + 1).copied();
        let context = || {
            let from = i.saturating_sub(20);
            chars[from..(i + 10).min(chars.len())]
                .iter()
                .collect::<String>()
        };
        let bad = if french {
            matches!(c, '?' | '!' | ';') && prev.is_some_and(char::is_alphanumeric)
                || c == ':'
                    && prev.is_some_and(char::is_alphabetic)
                    && next.is_none_or(char::is_whitespace)
        } else {
            c == '\u{202F}'
                || matches!(c, '?' | '!' | ';' | ':')
                    && prev.is_some_and(|p| p == ' ' || p == '\u{A0}')
        };
        if bad {
            out.push(context());
        }
    }
    out
}

#[test]
fn english_pages_show_no_french_and_french_pages_no_english() {
    // The checks themselves catch what the first hour showed.
    assert!(!spacing_problems("Editions to print :", false).is_empty());
    assert!(!spacing_problems("Pour quand?", true).is_empty());
    assert!(!spacing_problems("Objectifs: lire", true).is_empty());
    assert!(spacing_problems("Pour quand\u{202f}? à 10:30, https://x.org", true).is_empty());
    assert!(contains_word("6 Séances", "Séances") && !contains_word("Notes", "Note"));
    let mut french_words = foreign_words("fr", "en");
    let english_words = foreign_words("en", "fr");
    // The sample's own French texts of the configuration: its footer and phase names.
    let config: serde_yaml::Value = serde_yaml::from_str(
        &std::fs::read_to_string(repo_root().join("mentorbook.yaml")).expect("config"),
    )
    .expect("config YAML");
    french_words.extend(config["theme"]["contact"].as_str().map(str::to_string));
    for phase in config["programme"]["phases"]
        .as_sequence()
        .into_iter()
        .flatten()
    {
        french_words.extend(phase["name"]["fr"].as_str().map(str::to_string));
    }
    assert!(
        french_words.iter().any(|w| w == "Clôturer"),
        "{french_words:?}"
    );
    assert!(
        french_words.iter().any(|w| w == "Sur cette page")
            && english_words.iter().any(|w| w == "On this page"),
        "{french_words:?}"
    );
    let mut problems = Vec::new();
    let mut pages = (0, 0);
    // The sample (French, with English under en/) and both starters.
    for (hb, default_english) in [
        (sample("default"), false),
        (starter("fr", "default"), false),
        (starter("en", "default"), true),
    ] {
        Site::at(&hb.root).build();
        let out = hb.public();
        for page in html_files(&out) {
            if is_redirect(&out, &page) || page.starts_with("fr/") {
                continue;
            }
            let english = default_english || page.starts_with("en/");
            let doc = scraper::Html::parse_document(
                &std::fs::read_to_string(out.join(&page)).expect("read page"),
            );
            if english {
                pages.0 += 1;
            } else {
                pages.1 += 1;
            }
            let foreign = if english {
                &french_words
            } else {
                &english_words
            };
            for t in texts(&doc, CONTENT) {
                for w in foreign.iter().filter(|w| contains_word(&t, w)) {
                    problems.push(format!("{}: {page}: `{w}` in `{}`", hb.name, t.trim()));
                }
            }
            for t in texts(&doc, CODE) {
                for p in spacing_problems(&t, !english) {
                    problems.push(format!("{}: {page}: spacing in `{p}`", hb.name));
                }
            }
        }
    }
    assert!(pages.0 > 30 && pages.1 > 30, "{pages:?}");
    problems.sort();
    problems.dedup();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The accessibility tree of the current page (Chromium's, over CDP): every
/// node that is not ignored, as `(role, name, properties)`.
fn ax_nodes(b: &browser::Browser) -> Vec<(String, String, serde_json::Value)> {
    let tree = b.cdp("Accessibility.getFullAXTree", serde_json::json!({}));
    tree["nodes"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .filter(|n| n["ignored"] != true)
        .map(|n| {
            let props: serde_json::Map<String, serde_json::Value> = n["properties"]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .filter_map(|p| {
                    Some((p["name"].as_str()?.to_string(), p["value"]["value"].clone()))
                })
                .collect();
            (
                n["role"]["value"].as_str().unwrap_or_default().to_string(),
                n["name"]["value"].as_str().unwrap_or_default().to_string(),
                serde_json::Value::Object(props),
            )
        })
        .collect()
}

/// The first node of `role` whose name starts with `name`.
fn ax_find<'a>(
    nodes: &'a [(String, String, serde_json::Value)],
    role: &str,
    name: &str,
) -> Option<&'a (String, String, serde_json::Value)> {
    nodes
        .iter()
        .find(|(r, n, _)| r == role && n.starts_with(name))
}

/// Saves a screenshot of the current page in light and dark mode under
/// `target/test-artefacts/screenshots/`.
fn screenshots(b: &browser::Browser, name: &str) {
    for mode in ["light", "dark"] {
        b.eval(&format!(
            "document.documentElement.setAttribute('data-mode', '{mode}'); window.scrollTo(0, 0); return null;"
        ));
        b.screenshot(
            &browser::artefacts()
                .join("screenshots")
                .join(format!("{name}-{mode}.png")),
        );
    }
    b.eval("document.documentElement.removeAttribute('data-mode'); return null;");
}

#[test]
fn search_shortcuts_contents_and_the_accessibility_tree_in_a_real_browser() {
    let test = "search_shortcuts_contents_and_the_accessibility_tree_in_a_real_browser";
    let themes = [sample("default"), sample("corporate")];
    for hb in &themes {
        Site::at(&hb.root).build();
    }
    let Some(b) = browser::start(test) else {
        return;
    };
    b.resize(1300, 900);
    let out = themes[0].public();
    let url = |rel: &str| format!("file://{}", out.join(rel).display());

    // Screenshots of both themes, to be looked at.
    for (hb, theme) in themes.iter().zip(["default", "corporate"]) {
        for (rel, what) in [
            ("index.html", "home"),
            ("relation/posture.html", "page"),
            ("fiches/seances/seance-3.html", "worksheet"),
            ("en/timeline.html", "timeline-en"),
        ] {
            b.goto(&format!("file://{}", hb.public().join(rel).display()));
            screenshots(&b, &format!("{theme}-{what}"));
        }
    }

    // `/` and Ctrl+K go to the search box; Escape closes the results.
    b.goto(&url("relation/posture.html"));
    b.eval("document.activeElement.blur(); return null;");
    b.press("/");
    assert_eq!(
        b.eval("return document.activeElement.id;"),
        "mb-search-input",
        "`/` focuses the search box"
    );
    b.eval("document.activeElement.blur(); return null;");
    b.press_with_control("k");
    assert_eq!(
        b.eval("return document.activeElement.id;"),
        "mb-search-input",
        "Ctrl+K focuses the search box"
    );
    b.keys("mentor");
    assert!(wait(
        &b,
        "document.querySelectorAll('#mb-search-results [role=option]').length > 0"
    ));
    let total = b
        .eval("return parseInt(document.querySelector('.search-count').textContent, 10);")
        .as_u64()
        .unwrap_or(0);
    assert!(total > 20, "`mentor` finds more than 20 pages: {total}");
    assert_eq!(
        b.eval("return document.querySelectorAll('#mb-search-results [role=option]').length;"),
        20
    );
    assert_eq!(
        b.eval("return document.querySelector('.search-count').textContent;"),
        format!("{total} résultats")
    );
    assert_eq!(
        b.eval("return document.querySelector('.search-more').textContent;"),
        format!("Afficher les {total} résultats")
    );
    // The accessibility tree: a named combobox, expanded, controlling a listbox of options.
    let nodes = ax_nodes(&b);
    let combo = ax_find(&nodes, "combobox", "Rechercher dans le guide").expect("a named combobox");
    assert_eq!(combo.2["expanded"], true, "{combo:?}");
    assert!(ax_find(&nodes, "listbox", "").is_some());
    assert!(
        nodes
            .iter()
            .filter(|(r, n, _)| r == "option" && !n.is_empty())
            .count()
            >= 20
    );
    b.click(".search-more");
    assert!(wait(
        &b,
        &format!(
            "document.querySelectorAll('#mb-search-results [role=option]').length === {total}"
        )
    ));
    assert_eq!(
        b.eval("return document.activeElement.id;"),
        "mb-search-input",
        "the focus stays in the box"
    );
    b.press("\u{E00C}");
    assert!(wait(
        &b,
        "document.getElementById('mb-search-results').hidden"
    ));
    assert_eq!(
        b.eval("return document.getElementById('mb-search-input').getAttribute('aria-expanded');"),
        "false"
    );
    let nodes = ax_nodes(&b);
    let combo = ax_find(&nodes, "combobox", "Rechercher dans le guide").expect("combobox");
    assert_ne!(combo.2["expanded"], true, "{combo:?}");

    // A title match ranks above a heading or text match of the same word.
    for (query, title) in [
        ("confidentialite", "La confidentialité"),
        ("ecoute", "Écouter activement"),
        ("charte", "Charte de mentorat"),
        ("posture", "La posture du mentor"),
    ] {
        b.eval("var i = document.getElementById('mb-search-input'); i.value = ''; i.focus(); return null;");
        b.keys(&format!("{query} "));
        assert!(wait(
            &b,
            "document.querySelectorAll('#mb-search-results [role=option]').length > 0"
        ));
        assert_eq!(
            b.eval("return document.querySelector('#mb-search-results [role=option] .result-title').textContent;"),
            title,
            "first result for `{query}`"
        );
    }

    // Even against a page whose headings and text repeat the word: the title wins.
    let ranking = Site::fixture("search/ranking");
    ranking.build();
    b.goto(&format!(
        "file://{}",
        ranking.public().join("index.html").display()
    ));
    b.eval("document.getElementById('mb-search-input').focus(); return null;");
    b.keys("ecoute ");
    assert!(wait(
        &b,
        "document.querySelectorAll('#mb-search-results [role=option]').length === 2"
    ));
    assert_eq!(
        b.eval("return Array.prototype.map.call(document.querySelectorAll('#mb-search-results .result-title'), function (t) { return t.textContent; });"),
        serde_json::json!(["L’écoute", "Conduire une séance"])
    );

    // In a form field, `/` is typed, not a shortcut.
    b.goto(&url("fiches/seances/seance-3.html"));
    b.eval("document.querySelector('textarea.ws-input').focus(); return null;");
    b.press("/");
    assert_eq!(
        b.eval("var t = document.activeElement; return t.tagName + ':' + t.value;"),
        "TEXTAREA:/"
    );
    // The worksheet to a screen reader: every field, box, choice and line named.
    let nodes = ax_nodes(&b);
    let unnamed: Vec<_> = nodes
        .iter()
        .filter(|(r, n, _)| {
            matches!(
                r.as_str(),
                "textbox" | "checkbox" | "radio" | "button" | "link" | "combobox"
            ) && n.trim().is_empty()
        })
        .collect();
    assert!(unnamed.is_empty(), "unnamed controls: {unnamed:?}");
    assert!(
        ax_find(
            &nodes,
            "textbox",
            "Sujets préparés par la personne mentorée"
        )
        .is_some()
    );
    assert!(
        nodes
            .iter()
            .any(|(r, n, _)| r == "radio" && n.contains(", 3")),
        "scale points are named with their row"
    );
    // A worksheet's tools: its print button prints the answers typed in.
    for button in [
        "Imprimer ma fiche",
        "Imprimer une fiche vierge",
        "Exporter mes réponses",
        "Importer des réponses",
        "Effacer",
    ] {
        assert!(
            ax_find(&nodes, "button", button).is_some(),
            "no button {button}"
        );
    }
    let sheet_link = nodes
        .iter()
        .find(|(r, n, p)| r == "link" && n.contains("(fiche)") && p["focusable"] == true);
    assert!(sheet_link.is_some(), "worksheets in the navigation say so");

    // The on-page contents follows the reader.
    b.goto(&url("relation/posture.html"));
    let ids = b.eval("return Array.prototype.map.call(document.querySelectorAll('.toc a'), function (a) { return a.getAttribute('href'); });");
    let ids: Vec<String> = ids
        .as_array()
        .expect("toc links")
        .iter()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect();
    assert!(ids.len() >= 3, "{ids:?}");
    let current = "var a = document.querySelector('.toc a[aria-current=\"true\"]'); return a ? a.getAttribute('href') : null;";
    assert_eq!(
        b.eval(current),
        ids[0].as_str(),
        "at the top, the first section"
    );
    b.eval(&format!(
        "document.getElementById('{}').scrollIntoView(); return null;",
        &ids[2][1..]
    ));
    assert!(
        wait(
            &b,
            &format!(
                "document.querySelector('.toc a[aria-current=\"true\"]') && document.querySelector('.toc a[aria-current=\"true\"]').getAttribute('href') === '{}'",
                ids[2]
            )
        ),
        "after scrolling to {}, it is marked: {}",
        ids[2],
        b.eval(current)
    );
    b.eval("window.scrollTo(0, document.documentElement.scrollHeight); return null;");
    let last = ids.last().expect("a last section").clone();
    assert!(wait(
        &b,
        &format!(
            "document.querySelector('.toc a[aria-current=\"true\"]').getAttribute('href') === '{last}'"
        )
    ));

    // The menu on a small screen: a named button whose state the tree reports.
    b.resize(500, 900);
    b.goto(&url("relation/posture.html"));
    let nodes = ax_nodes(&b);
    let menu = ax_find(&nodes, "button", "Menu").expect("a menu button");
    assert_eq!(menu.2["expanded"], false, "{menu:?}");
    b.click(".menu-toggle");
    assert!(wait(
        &b,
        "document.querySelector('.menu-toggle').getAttribute('aria-expanded') === 'true'"
    ));
    let nodes = ax_nodes(&b);
    let menu = ax_find(&nodes, "button", "Menu").expect("a menu button");
    assert_eq!(menu.2["expanded"], true, "{menu:?}");
    assert!(ax_find(&nodes, "navigation", "Sommaire du guide").is_some());
    assert!(
        ax_find(&nodes, "combobox", "Afficher le contenu pour").is_some(),
        "the audience choice is labelled"
    );
    let current = nodes
        .iter()
        .find(|(r, n, _)| r == "link" && n == "La posture du mentor");
    assert!(current.is_some(), "the current page is in the menu");
    b.resize(1300, 900);
}

#[cfg(feature = "serve")]
#[test]
fn the_error_overlay_is_readable_on_both_themes_and_opens_the_file() {
    let test = "the_error_overlay_is_readable_on_both_themes_and_opens_the_file";
    let Some(axe) = browser::axe_core() else {
        skip(
            test,
            "axe-core not found (npm install --prefix target/npm axe-core@4.14.1)",
        );
        return;
    };
    let Some(b) = browser::start(test) else {
        return;
    };
    b.on_every_page(&axe);
    b.resize(1300, 900);
    for theme in ["default", "corporate"] {
        let hb = sample(theme);
        let site = Site::at(&hb.root);
        // An "editor" that writes down what it was asked to open.
        let opened = hb.root.join("opened.txt");
        let editor = hb.root.join("editor.sh");
        std::fs::write(
            &editor,
            format!("#!/bin/sh\necho \"$@\" > '{}'\n", opened.display()),
        )
        .expect("editor script");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&editor, std::fs::Permissions::from_mode(0o755))
                .expect("chmod");
        }
        let command = format!("{} {{file}} {{line}} {{col}}", editor.display());
        let server = crate::serve::Server::start_env(
            &site,
            &[],
            false,
            &[("MENTORBOOK_EDITOR", command.as_str())],
        );
        let before = server.version();
        let page = "content/02-relation/01-posture.md";
        let text = std::fs::read_to_string(hb.root.join(page)).expect("read page");
        site.write(page, &text.replacen("title:", "title: \"Posture", 1));
        let status = server.wait_rebuilt(before);
        assert_eq!(status["ok"], false, "{status}");
        b.goto(&server.url("/relation/ecoute-active.html"));
        assert!(wait(
            &b,
            "document.getElementById('mentorbook-overlay') && document.getElementById('mentorbook-overlay').shadowRoot"
        ));
        // Its own error, among those of the pages that link to it.
        let shown = b.eval(&format!("var r = document.getElementById('mentorbook-overlay').shadowRoot; var a = r.querySelector('.where a[data-path=\"{page}\"]'); var li = a && a.closest('li'); return li ? [a.textContent, li.querySelector('pre').textContent] : null;"));
        assert!(
            shown[0]
                .as_str()
                .is_some_and(|s| s.starts_with(&format!("{page}:2:"))),
            "{shown}"
        );
        assert!(
            shown[1]
                .as_str()
                .is_some_and(|s| s.contains("2 | title: \"Posture")),
            "the source line: {shown}"
        );
        let nodes = ax_nodes(&b);
        assert!(
            nodes.iter().any(|(r, n, _)| r == "alert"
                && n.starts_with("mentorbook\u{a0}: la construction a échoué")),
            "the overlay is an alert named by its heading"
        );
        for mode in ["light", "dark"] {
            b.eval(&format!(
                "document.documentElement.setAttribute('data-mode', '{mode}'); return null;"
            ));
            let problems = browser::axe_serious(&b);
            assert!(
                problems.is_empty(),
                "{theme} {mode}: {}",
                problems.join("\n")
            );
            b.screenshot(
                &browser::artefacts()
                    .join("screenshots")
                    .join(format!("{theme}-overlay-{mode}.png")),
            );
        }
        // The path opens the file, at its line.
        b.eval(&format!("document.getElementById('mentorbook-overlay').shadowRoot.querySelector('.where a[data-path=\"{page}\"]').click(); return null;"));
        let deadline = Instant::now() + Duration::from_secs(10);
        // The editor writes its arguments: wait for them, not only for the file.
        while std::fs::read_to_string(&opened).map_or(true, |a| !a.contains(".md"))
            && Instant::now() < deadline
        {
            std::thread::sleep(Duration::from_millis(50));
        }
        let args = std::fs::read_to_string(&opened).unwrap_or_default();
        assert!(
            args.contains("02-relation/01-posture.md 2 "),
            "the editor got: `{args}`\n{}",
            server.log()
        );
        assert!(
            wait(
                &b,
                "document.getElementById('mentorbook-overlay').shadowRoot.querySelector('.status').textContent.indexOf('Ouvert\u{a0}: ') === 0"
            ),
            "the French page's overlay says so in French"
        );
        // Another site's page cannot open files.
        let (code, _) = server.raw_with(
            "/__mentorbook/open?path=mentorbook.yaml",
            &[("Host", "127.0.0.1"), ("Origin", "http://evil.example")],
        );
        assert_eq!(code, 403);
        site.write(page, &text);
        server.wait_rebuilt(status["version"].as_u64().unwrap_or(0));
        b.goto(&server.url("/relation/ecoute-active.html"));
        assert_eq!(
            b.eval("return !!document.getElementById('mentorbook-overlay');"),
            false,
            "fixed: the overlay is gone"
        );
    }
}

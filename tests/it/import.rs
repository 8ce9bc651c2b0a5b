//! `mentorbook import`, and handbooks of other tools built as they are: one
//! fixture per tool (`tests/fixtures/import/<tool>/`, written from each tool's
//! documented syntax), each imported then built with the real binary.
//!
//! Every fixture must: import and build (exit 0); have no broken internal link
//! or image (a crawl of the output), no duplicate id on any page, no syntax of
//! the old tool in the text outside code; report every problem at `file:line`;
//! fail with `--strict`, naming each warning; leave the user's files
//! byte-identical; build twice to the same bytes.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::Path;

use scraper::{Html, Node};

use crate::support::*;

/// The output folder of an imported handbook.
const OUT: &str = "_mentorbook";

/// HTML elements a page may hold; anything else is a leaked component (`<Tabs>`).
const HTML_ELEMENTS: &[&str] = &[
    "html",
    "head",
    "body",
    "title",
    "meta",
    "link",
    "script",
    "style",
    "noscript",
    "template",
    "header",
    "footer",
    "main",
    "nav",
    "aside",
    "section",
    "article",
    "div",
    "span",
    "p",
    "a",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "table",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "th",
    "td",
    "caption",
    "colgroup",
    "col",
    "img",
    "picture",
    "source",
    "figure",
    "figcaption",
    "pre",
    "code",
    "kbd",
    "samp",
    "var",
    "em",
    "strong",
    "b",
    "i",
    "u",
    "s",
    "del",
    "ins",
    "mark",
    "small",
    "sub",
    "sup",
    "br",
    "hr",
    "blockquote",
    "q",
    "cite",
    "abbr",
    "time",
    "button",
    "input",
    "label",
    "form",
    "select",
    "option",
    "textarea",
    "fieldset",
    "legend",
    "output",
    "details",
    "summary",
    "svg",
    "path",
    "circle",
    "rect",
    "line",
    "g",
    "use",
    "symbol",
    "polyline",
    "polygon",
    "text",
    "iframe",
    "video",
    "audio",
    "track",
    "wbr",
    "dfn",
    "bdi",
    "bdo",
    "data",
    "address",
    "search",
    "menu",
    "object",
    "embed",
    "canvas",
    "dialog",
    "meter",
    "progress",
    "ruby",
    "rt",
    "rp",
];

/// Syntax of other tools that must not reach the text of a page (outside code).
const DIALECT_SYNTAX: &[&str] = &[
    ":::",
    "{%",
    "%}",
    "{{",
    "}}",
    "<head>",
    "!!! ",
    "??? ",
    "=== \"",
    "{/*",
    "export const",
    "{#include",
    "{note}",
    "{ref}",
    "{doc}",
    ")=",
    "<Tabs",
    "<TabItem",
    "&#x20;",
    "{:",
    "{ width",
    "--8<--",
    "admonish",
];

/// A fixture, imported and built.
struct Imported {
    site: Site,
    /// The user's files before `import`, with their bytes.
    before: BTreeMap<String, Vec<u8>>,
    /// What `import` printed.
    import_out: String,
    /// What `build` printed on stderr (the diagnostics).
    warnings: String,
}

impl Imported {
    fn out(&self) -> std::path::PathBuf {
        self.site.path().join(OUT)
    }

    fn html(&self, rel: &str) -> Html {
        let text = std::fs::read_to_string(self.out().join(rel))
            .unwrap_or_else(|e| panic!("read {rel}: {e}"));
        Html::parse_document(&text)
    }

    /// The texts of the links of the navigation, in order (the full contents page:
    /// the whole tree, as `nav.js` fills the sidebar).
    fn nav(&self) -> Vec<String> {
        let doc = self.html("contents.html");
        select(&doc, "main .contents-tree a")
            .iter()
            .map(|a| a.text().collect::<String>().trim().to_string())
            .collect()
    }
}

/// Imports and builds the fixture `import/<name>`, and checks what every
/// imported handbook must satisfy (see the module documentation).
fn import_and_build(name: &str) -> Imported {
    let site = Site::fixture(&format!("import/{name}"));
    let before = tree(site.path());
    assert!(
        !before.contains_key("mentorbook.yaml"),
        "the fixture is the user's folder, without mentorbook.yaml"
    );
    let import_out = site.run(&["import"]).success().stdout();
    assert!(site.path().join("mentorbook.yaml").is_file());
    let run = site.run(&["build"]).success();
    let warnings = run.stderr();
    let imported = Imported {
        site,
        before,
        import_out,
        warnings,
    };
    every_problem_has_file_and_line(name, &imported.warnings);
    let problems = crawl(&imported.out(), &["404.html"]);
    assert!(
        problems.is_empty(),
        "{name}: broken links or images: {problems:#?}"
    );
    for file in html_files(&imported.out()) {
        let text = std::fs::read_to_string(imported.out().join(&file)).expect("read");
        let doc = Html::parse_document(&text);
        no_duplicate_ids(name, &file, &doc);
        no_dialect_syntax(name, &file, &doc, &text);
    }
    user_files_unchanged(name, &imported);
    strict_fails_naming_each_warning(name, &imported);
    two_builds_are_identical(name, &imported.site);
    imported
}

fn html_files(out: &Path) -> Vec<String> {
    tree(out)
        .into_keys()
        .filter(|k| k.ends_with(".html"))
        .collect()
}

fn every_problem_has_file_and_line(name: &str, stderr: &str) {
    for line in stderr.lines() {
        if line.starts_with("  help:") || line.starts_with("… and") || line.trim().is_empty() {
            continue;
        }
        let mut parts = line.splitn(4, ':');
        let (path, l, c) = (parts.next(), parts.next(), parts.next());
        // A path may hold spaces (Obsidian names notes by their titles), not a sentence.
        let located = path
            .is_some_and(|p| !p.is_empty() && (!p.contains(' ') || p.ends_with(".md")))
            && l.is_some_and(|l| l.parse::<usize>().is_ok_and(|n| n > 0))
            && c.is_some_and(|c| c.parse::<usize>().is_ok());
        assert!(located, "{name}: a problem without file:line: `{line}`");
        assert!(
            line.contains(": warning: "),
            "{name}: an imported handbook builds with warnings only: `{line}`"
        );
    }
}

fn no_duplicate_ids(name: &str, file: &str, doc: &Html) {
    let mut seen = HashSet::new();
    for el in select(doc, "[id]") {
        let id = el.value().attr("id").unwrap_or_default();
        assert!(
            seen.insert(id.to_string()),
            "{name}: `{file}` has the id `{id}` twice"
        );
    }
}

fn no_dialect_syntax(name: &str, file: &str, doc: &Html, text: &str) {
    assert_eq!(
        text.matches("<head>").count() + text.matches("<head ").count(),
        1,
        "{name}: `{file}` has a `<head>` block in its body"
    );
    for node in doc.tree.nodes() {
        match node.value() {
            Node::Element(e) => assert!(
                HTML_ELEMENTS.contains(&e.name()),
                "{name}: `{file}` has a `<{}>` element (a component of the old tool)",
                e.name()
            ),
            Node::Text(t) => {
                let in_code = node.ancestors().any(|a| {
                    a.value()
                        .as_element()
                        .is_some_and(|e| matches!(e.name(), "pre" | "code" | "script" | "style"))
                });
                if in_code {
                    continue;
                }
                for pattern in DIALECT_SYNTAX {
                    assert!(
                        !t.contains(pattern),
                        "{name}: `{file}` shows `{pattern}` in its text: {:?}",
                        &t[..]
                    );
                }
                let words: Vec<&str> = t.split_whitespace().collect();
                assert!(
                    !(words.first() == Some(&"import") && words.contains(&"from")),
                    "{name}: `{file}` shows an import line: {:?}",
                    &t[..]
                );
            }
            _ => {}
        }
    }
}

fn user_files_unchanged(name: &str, imported: &Imported) {
    let after: BTreeMap<String, Vec<u8>> = tree(imported.site.path())
        .into_iter()
        .filter(|(k, _)| k != "mentorbook.yaml" && !k.starts_with(&format!("{OUT}/")))
        .collect();
    let changed: Vec<&String> = imported
        .before
        .keys()
        .chain(after.keys())
        .filter(|k| imported.before.get(*k) != after.get(*k))
        .collect();
    assert!(
        changed.is_empty(),
        "{name}: import and build changed the user's files: {changed:?}"
    );
}

fn strict_fails_naming_each_warning(name: &str, imported: &Imported) {
    let warnings: Vec<&str> = imported
        .warnings
        .lines()
        .filter(|l| l.contains(": warning: "))
        .collect();
    let strict = imported.site.run(&["build", "--strict"]);
    if warnings.is_empty() {
        strict.success();
        return;
    }
    let err = strict.code_is(1).stderr();
    for w in warnings {
        let as_error = w.replacen(": warning: ", ": error: ", 1);
        assert!(
            err.contains(&as_error),
            "{name}: --strict does not name `{w}`:\n{err}"
        );
    }
}

fn two_builds_are_identical(name: &str, site: &Site) {
    let a = tempfile::tempdir().expect("tmp");
    let b = tempfile::tempdir().expect("tmp");
    for dir in [&a, &b] {
        let out = dir.path().join("site");
        site.run(&["build", "--out", out.to_str().expect("utf-8 path")])
            .success();
    }
    assert!(
        tree(&a.path().join("site")) == tree(&b.path().join("site")),
        "{name}: two builds differ"
    );
}

/// Texts of the elements matching `css` in `doc`, trimmed.
fn texts(doc: &Html, css: &str) -> Vec<String> {
    select(doc, css)
        .iter()
        .map(|e| e.text().collect::<String>().trim().to_string())
        .collect()
}

fn warning_count(warnings: &str, needle: &str) -> usize {
    warnings
        .lines()
        .filter(|l| l.contains(": warning: ") && l.contains(needle))
        .count()
}

#[test]
fn docusaurus_site_imports_and_builds() {
    let h = import_and_build("docusaurus");
    assert!(h.import_out.contains("Docusaurus"), "{}", h.import_out);
    assert!(
        h.import_out.contains("sidebars.js"),
        "unmapped are listed: {}",
        h.import_out
    );
    let cfg = std::fs::read_to_string(h.site.path().join("mentorbook.yaml")).expect("config");
    for key in [
        "content: docs",
        "static:",
        "link_prefix: /docs/",
        "links: warn",
        "output: _mentorbook",
        // `url` + `baseUrl`, `tagline`.
        "base_url: https://mentorat.example.org/\n",
        "description: Accompagner, écouter, faire grandir\n",
    ] {
        assert!(cfg.contains(key), "missing `{key}` in:\n{cfg}");
    }

    // `slug: /` makes the intro the home page; `_category_.json` and
    // `sidebar_position` order the sidebar.
    assert_eq!(
        h.nav(),
        [
            "Accueil",
            "La posture du mentor",
            "L’écoute active",
            "La confiance",
            "Le programme",
            "La charte du binôme",
            "Mes documents",
            "Modèle de charte"
        ]
    );
    let home = h.html("index.html");
    assert_eq!(texts(&home, "main h1"), ["Bienvenue dans le guide"]);
    // A site-root image from `static/`, written relative; routes through `id`.
    assert_eq!(select(&home, "main img[src='img/binome.png']").len(), 1);
    assert!(h.out().join("img/binome.png").is_file());
    assert_eq!(
        select(&home, ".callout-tip a[href='posture/ecoute-active.html']").len(),
        1
    );
    assert_eq!(
        texts(&home, ".callout-tip .callout-title"),
        ["Le bon réflexe"]
    );
    // `:::info`: an info callout, titled Info.
    assert_eq!(
        select(&home, ".callout-info a[href='programme/index.html']").len(),
        1
    );
    // The missing attachment: reported once, where it is, and no dead link written.
    assert_eq!(warning_count(&h.warnings, "fiche-inscription.pdf"), 1);
    assert!(
        h.warnings.contains("docs/intro.md:29:24: warning: broken link: `/files/fiche-inscription.pdf` does not exist"),
        "{}",
        h.warnings
    );
    assert_eq!(texts(&home, "main a:not([href])"), ["ici"]);
    assert_eq!(warning_count(&h.warnings, "`<head>` blocks"), 1);

    // MDX: imports and components out, Tabs as sections, the tag of JSX attributes kept.
    let ecoute = h.html("posture/ecoute-active.html");
    assert_eq!(
        texts(&ecoute, ".tab-title"),
        ["Mentor", "Personne mentorée"]
    );
    let confiance = h.html("posture/confiance.html");
    assert_eq!(
        select(&confiance, "div.encadre img[src='../img/logo.svg']").len(),
        1
    );
    assert!(
        texts(&confiance, "main p")
            .iter()
            .any(|t| t == "La confiance se construit séance après séance.")
    );
    // Tabs in their documented form, content indented: text, not code (MDX has
    // no indented code blocks); nested lists keep their nesting.
    assert_eq!(
        texts(&confiance, ".tab-title"),
        ["Mentor", "Personne mentorée"]
    );
    assert!(select(&confiance, "main pre").is_empty());
    assert!(
        texts(&confiance, ".tabs p")
            .iter()
            .any(|t| t == "La personne mentorée précise.")
    );
    assert_eq!(texts(&confiance, ".tabs li li"), ["sans juger"]);
    assert_eq!(
        select(
            &confiance,
            "a[href='ecoute-active.html#poser-des-questions-ouvertes']"
        )
        .len(),
        1
    );
    // `%20` in a site-root route.
    let charte = h.html("programme/charte.html");
    assert_eq!(
        select(&charte, "a[href='mes-documents/modele.html']").len(),
        1
    );
    assert_eq!(texts(&charte, "main h1"), ["La charte du binôme"], "one H1");
    assert_eq!(
        texts(&charte, ".callout-warning .callout-title"),
        ["Avant de signer"]
    );
}

#[test]
fn jekyll_site_imports_and_builds() {
    let h = import_and_build("jekyll");
    let cfg = std::fs::read_to_string(h.site.path().join("mentorbook.yaml")).expect("config");
    for key in [
        "base_url: https://handbook.example.org/mentoring/\n",
        "description: How our mentoring programme works, for mentors and mentees.\n",
    ] {
        assert!(cfg.contains(key), "missing `{key}` in:\n{cfg}");
    }
    assert!(h.import_out.contains("_posts/"), "{}", h.import_out);
    // Permalinks are the output paths; one names a folder's index page.
    assert!(h.out().join("mentors/index.html").is_file());
    assert!(h.out().join("mentors/listening/index.html").is_file());
    let guide = h.html("guide/index.html");
    assert_eq!(texts(&guide, "main h1"), ["Le guide des binômes"]);
    // `parent:` nests, `nav_order` orders, `section:` groups (non-contiguous `order`s).
    assert_eq!(
        h.nav(),
        [
            "Home",
            "Mentors",
            "Active listening",
            "Giving feedback",
            "Le guide des binômes",
            "Séances",
            "Les séances",
            "Fixer des objectifs",
            "Outils",
            "Le journal de bord"
        ]
    );
    let home = h.html("index.html");
    // A title with trailing spaces; the body's H1 is the one H1.
    assert_eq!(
        texts(&home, "main h1"),
        ["Welcome to the mentoring handbook"]
    );
    // Liquid link tags became links; `{% include %}` is reported once, at its place.
    assert_eq!(
        select(&home, ".content a[href='mentors/index.html']").len(),
        1
    );
    assert_eq!(
        select(&home, ".content a[href='mentors/listening/index.html']").len(),
        1
    );
    assert_eq!(
        select(&home, ".content a[href='guide/index.html']").len(),
        1
    );
    assert!(
        h.warnings
            .contains("index.md:10:1: warning: Liquid tags are not supported"),
        "{}",
        h.warnings
    );
    // `{% raw %}`: kept as written, in its code block.
    let listening = h.html("mentors/listening/index.html");
    assert!(
        texts(&listening, "pre code")
            .iter()
            .any(|t| t.contains("{{ mentee.first_name }}"))
    );
    // `baseurl` in a hard-coded link.
    let feedback = h.html("docs/mentors/feedback.html");
    // Just the Docs callouts: `{: .note }` before a paragraph, `{: .warning }`
    // after one; `{: .no_toc }` left out.
    assert_eq!(
        texts(&feedback, ".callout-note p:not(.callout-title)"),
        ["Feedback is a gift."]
    );
    assert_eq!(
        texts(&feedback, ".callout-warning p:not(.callout-title)"),
        ["Ask before you give it."]
    );
    assert_eq!(texts(&feedback, "main h2"), ["Practise"]);
    assert_eq!(
        select(&feedback, ".content a[href='../../guide/sessions.html']").len(),
        1
    );
    // `layout:` on every page is one warning.
    assert_eq!(warning_count(&h.warnings, "`layout` (Jekyll)"), 1);
    assert!(
        h.warnings.contains("(also in 3 other pages)"),
        "{}",
        h.warnings
    );
}

#[test]
fn gitbook_space_imports_and_builds() {
    let h = import_and_build("gitbook");
    // SUMMARY.md: groups, nesting and order.
    assert_eq!(
        h.nav(),
        [
            "Accueil",
            "Accompagner",
            "Le rôle du mentor",
            "Les premières séances",
            "Outils",
            "Grille d’objectifs",
            "Ressources",
            "Questions fréquentes"
        ]
    );
    let home = h.html("index.html");
    assert_eq!(select(&home, "main .callout-note").len(), 1, "{{% hint %}}");
    let role = h.html("accompagner/role-du-mentor/index.html");
    // `<a id>` in headings: their id is the heading's, once.
    assert_eq!(select(&role, "h2#la-posture").len(), 1);
    assert_eq!(select(&role, "h2#eviter").len(), 1);
    assert_eq!(texts(&role, ".tab-title"), ["Mentor", "Mentee"]);
    // An attachment of `.gitbook/assets/` with spaces and an apostrophe.
    let img = select(&role, "main img");
    let src = img[0].value().attr("src").unwrap_or_default();
    assert!(
        h.out()
            .join("accompagner/role-du-mentor")
            .join(percent_decode(src))
            .is_file(),
        "{src}"
    );
    let first = h.html("accompagner/premieres-seances.html");
    assert_eq!(
        texts(&first, ".link-card a"),
        [
            "Grille d’objectifs",
            "https://video.example.org/watch?v=premiere-seance"
        ],
        "content-ref shows the page's title; embed links to the address"
    );
    let grille = h.html("outils/grille-objectifs.html");
    assert_eq!(
        select(
            &grille,
            "a[href='../gitbook/assets/grille%20objectifs.pdf']"
        )
        .len(),
        1
    );
    let faq = h.html("ressources/faq.html");
    assert_eq!(select(&faq, ".callout-caution").len(), 1);
    assert!(h.warnings.trim().is_empty(), "{}", h.warnings);
}

#[test]
fn mdbook_book_imports_and_builds() {
    let h = import_and_build("mdbook");
    assert!(
        h.import_out.contains("preprocessor.admonish"),
        "{}",
        h.import_out
    );
    // Prefix chapter as the home page, parts as groups, nesting, the draft left
    // out, the suffix chapter last.
    assert_eq!(
        h.nav(),
        [
            "Accueil",
            "Préparer",
            "Le programme",
            "Calendrier des séances",
            "Mentoring basics",
            "Active listening",
            "S’engager",
            "La charte",
            "Annexe\u{202f}: modèles"
        ]
    );
    assert_eq!(texts(&h.html("index.html"), "main h1"), ["Introduction"]);
    let cal = h.html("programme/calendrier.html");
    assert_eq!(texts(&cal, "main td"), ["1", "janvier", "2", "février"]);
    assert_eq!(
        texts(&cal, "main pre code"),
        ["10 min  nouvelles\n30 min  sujet du jour\n10 min  action"]
    );
    assert_eq!(
        select(&cal, "a[href='../annexe.html#ordre-du-jour']").len(),
        1
    );
    assert_eq!(warning_count(&h.warnings, "charte-signee.pdf"), 1);
    // A file only included is part of the page, not a page (mdBook renders the
    // files of `SUMMARY.md`); mdbook-admonish blocks are callouts.
    let charte = h.html("charte.html");
    assert_eq!(texts(&charte, "main blockquote strong"), ["Rappel"]);
    assert!(!h.out().join("snippets").exists());
    assert_eq!(
        texts(&charte, ".callout-warning .callout-title"),
        ["Avant de signer"]
    );
    assert_eq!(texts(&charte, ".callout-warning em"), ["ensemble"]);
}

#[test]
fn mkdocs_site_imports_and_builds() {
    let h = import_and_build("mkdocs");
    let cfg = std::fs::read_to_string(h.site.path().join("mentorbook.yaml")).expect("config");
    for key in [
        "base_url: https://mentoring.example.org/guide/\n",
        "description: Running a mentoring programme, step by step.\n",
    ] {
        assert!(cfg.contains(key), "missing `{key}` in:\n{cfg}");
    }
    assert!(h.import_out.contains("extra_css"), "{}", h.import_out);
    // `nav:` orders and titles; a section opening with its index page is that page.
    assert_eq!(
        h.nav(),
        [
            "Home",
            "Getting started",
            "Why mentoring?",
            "Matching pairs",
            "Sessions",
            "The first session",
            "FAQ"
        ]
    );
    let home = h.html("index.html");
    assert_eq!(
        texts(&home, ".callout-note .callout-title"),
        ["Pourquoi ce guide ?"]
    );
    assert_eq!(
        texts(&home, ".callout-tip .callout-title"),
        ["Astuce"],
        "??? tip"
    );
    assert_eq!(select(&home, "main img[src='img/plan.png']").len(), 1);
    let first = h.html("sessions/first.html");
    assert_eq!(
        select(&first, ".callout-warning .callout-danger").len(),
        1,
        "nested"
    );
    let matching = h.html("getting-started/matching.html");
    assert_eq!(texts(&matching, ".tabs .tab-title"), ["Mentor", "Mentee"]);
    // `attr_list` after an image is left out, the image kept; `!!! danger` is
    // titled "Danger"; a snippet is put in place, and is no page of its own.
    let faq = h.html("faq.html");
    assert_eq!(select(&faq, "main img[src='img/plan.png']").len(), 1);
    assert_eq!(texts(&faq, ".callout-danger .callout-title"), ["Danger"]);
    assert_eq!(
        texts(&faq, ".content a[href='index.html']"),
        ["programme team"]
    );
    assert!(!h.out().join("snippets").exists());
    assert_eq!(
        select(&matching, "a[href='../faq.html#who-chooses-my-mentor']").len(),
        1
    );
}

#[test]
fn jupyter_book_imports_and_builds() {
    let h = import_and_build("myst");
    assert!(h.import_out.contains("notebook"), "{}", h.import_out);
    assert_eq!(
        h.nav(),
        [
            "Accueil",
            "Les bases",
            "Les rôles",
            "La charte",
            "Séances",
            "La première séance"
        ]
    );
    let home = h.html("index.html");
    assert_eq!(select(&home, "main .callout-note").len(), 1);
    // `{ref}` to a `(label)=` of another page, with the heading's text.
    assert_eq!(
        texts(&home, ".content a[href='bases/charte.html#charte-label']"),
        ["Ce que signent les deux membres du binôme"]
    );
    assert_eq!(
        texts(&home, ".content a[href='seances/premiere.html']"),
        ["La première séance"]
    );
    let charte = h.html("bases/charte.html");
    assert_eq!(
        select(
            &charte,
            "main img[src='../images/binome.png'][alt='Un binôme']"
        )
        .len(),
        1
    );
    assert_eq!(select(&charte, "a[href='../index.html#accueil']").len(), 1);
    // A page others sit under is a section page, in a folder of its own.
    let roles = h.html("bases/roles/index.html");
    assert_eq!(
        texts(&roles, ".callout-note .callout-title"),
        ["Bon à savoir"]
    );
    let premiere = h.html("seances/premiere.html");
    assert_eq!(
        texts(&premiere, ".callout-warning .callout-title"),
        ["Avant de commencer"]
    );
    assert_eq!(select(&premiere, "pre code.language-text").len(), 1);
    assert!(
        h.warnings.contains("_toc.yml:12:1: warning: `_toc.yml` lists `notebooks/suivi`, which is not a Markdown page"),
        "{}",
        h.warnings
    );
}

#[test]
fn hugo_site_imports_and_builds() {
    let h = import_and_build("hugo");
    let cfg = std::fs::read_to_string(h.site.path().join("mentorbook.yaml")).expect("config");
    assert!(
        cfg.contains("base_url: https://mentorat.example.org/\n")
            && cfg.contains("description: Le guide des binômes\n"),
        "`baseURL` and `params.description`: {cfg}"
    );
    // TOML front matter: `weight`, `linkTitle`; YAML's `url` is the page's path.
    assert_eq!(
        h.nav(),
        ["Accueil", "Le guide", "L’accueil du binôme", "Séances"]
    );
    assert!(h.out().join("accueil/index.html").is_file());
    let home = h.html("index.html");
    assert_eq!(
        select(&home, ".content a[href='guide/seances.html']").len(),
        1,
        "ref"
    );
    assert_eq!(
        select(&home, ".content img[src='images/parcours.png']").len(),
        1
    );
    let seances = h.html("guide/seances.html");
    assert_eq!(texts(&seances, "main h1"), ["Le déroulé des séances"]);
    assert_eq!(
        select(&seances, ".content a[href='../accueil/index.html']").len(),
        1,
        "relref"
    );
    assert_eq!(
        select(&seances, ".callout-info").len(),
        1,
        "{{< hint info >}}"
    );
    assert_eq!(
        texts(&seances, ".content pre code"),
        ["seance: 1\nduree: 60 min"],
        "{{< highlight >}} is a code block"
    );
    assert_eq!(warning_count(&h.warnings, "`date`"), 1);
    // `figure`: the image and its caption; `youtube`: a link to the video; every
    // other shortcode reported at its own line.
    let accueil = h.html("accueil/index.html");
    assert_eq!(
        select(
            &accueil,
            ".content img[src='../images/parcours.png'][alt='Le parcours']"
        )
        .len(),
        1
    );
    assert_eq!(texts(&accueil, ".content p em"), ["Le parcours"]);
    assert_eq!(
        select(
            &accueil,
            ".content a[href='https://www.youtube.com/watch?v=w7Ft2ymGmfc']"
        )
        .len(),
        1
    );
    // Hugo Book's columns (one after the other), tabs and `expand`.
    let body = texts(&accueil, ".content p").join("|");
    assert!(
        body.contains("Ce que le mentor apporte.|Ce que la mentorée apporte.")
            && !body.contains("<--->"),
        "{body}"
    );
    assert_eq!(
        texts(&accueil, ".content .tabs .tab-title"),
        ["Mentor", "Mentorée"]
    );
    assert_eq!(select(&accueil, ".content .tabs .tab").len(), 2);
    assert_eq!(
        select(&accueil, ".content .callout-note").len(),
        1,
        "expand"
    );
    for (line, tag) in [(13, "mermaid"), (36, "gist mentorat 7896402")] {
        let expected = format!(
            "content/guide/accueil.md:{line}:1: warning: this Hugo shortcode is not supported and was left out: `{{{{< {tag} >}}}}`"
        );
        assert!(
            h.warnings.contains(&expected),
            "missing `{expected}` in {}",
            h.warnings
        );
    }
    assert_eq!(warning_count(&h.warnings, "Hugo shortcode"), 2);
}

#[test]
fn zola_site_imports_and_builds() {
    let z = import_and_build("zola");
    assert!(
        z.import_out
            .contains("Found: a handbook made with Zola (config.toml)"),
        "{}",
        z.import_out
    );
    let cfg = std::fs::read_to_string(z.site.path().join("mentorbook.yaml")).expect("config");
    for line in [
        "title: Le guide du mentorat\n",
        "lang: fr\n",
        "description: Accompagner un binôme, séance après séance\n",
        "base_url: https://mentorat.example.org/\n",
        "imported_from: zola\n",
        "content: content\n",
        "  - static\n",
    ] {
        assert!(cfg.contains(line), "`{}` missing in {cfg}", line.trim());
    }
    // The handbook's title, from config.toml, on every page.
    let charte = z.html("premiers-pas/charte.html");
    assert_eq!(
        texts(&charte, "title"),
        ["La charte du binôme · Le guide du mentorat"]
    );
    // `weight` orders sections and pages (against the names' order); the draft is left out.
    assert_eq!(
        z.nav(),
        [
            "Accueil",
            "Premiers pas",
            "La première rencontre",
            "La charte du binôme",
            "Accompagner",
            "Le suivi des séances",
            "L’écoute active"
        ]
    );
    assert!(!z.out().join("accompagner/brouillon.html").exists());
    // `@/` links, in a link and a reference definition, and with an anchor.
    let home = z.html("index.html");
    for href in ["premiers-pas/rencontre.html", "accompagner/ecoute.html"] {
        assert_eq!(
            select(&home, &format!(".content a[href='{href}']")).len(),
            1,
            "{href}"
        );
    }
    assert_eq!(
        select(&home, ".content img[src='images/parcours.png']").len(),
        1
    );
    let rencontre = z.html("premiers-pas/rencontre.html");
    assert_eq!(
        select(
            &rencontre,
            ".content a[href='../accompagner/ecoute.html#reformuler']"
        )
        .len(),
        1
    );
    assert_eq!(
        select(&rencontre, ".content a[href='charte.html']").len(),
        1
    );
    assert_eq!(
        select(&charte, ".content a[href='../accompagner/suivi.html']").len(),
        1,
        "a reference definition"
    );
    for file in html_files(&z.out()) {
        let text = std::fs::read_to_string(z.out().join(&file)).expect("read");
        assert!(!text.contains("@/"), "`{file}` keeps a Zola link");
        assert!(
            !text.contains("<!-- more -->"),
            "`{file}` keeps the summary marker"
        );
    }
    // `{{ youtube() }}`: a link to the video, no player; callouts from body shortcodes.
    assert_eq!(
        select(
            &rencontre,
            ".content a[href='https://www.youtube.com/watch?v=w7Ft2ymGmfc']"
        )
        .len(),
        1
    );
    assert!(select(&rencontre, "iframe").is_empty());
    assert_eq!(
        texts(&charte, ".callout-warning .callout-title"),
        ["Confidentialité"]
    );
    let ecoute = z.html("accompagner/ecoute.html");
    assert_eq!(
        texts(&ecoute, ".callout-note .callout-title"),
        ["À retenir"]
    );
    // Zola's own templates (`templates/page.html`) are not the handbook's.
    assert_eq!(texts(&ecoute, "main h1"), ["L’écoute active"]);
    // What is left: each at its place, as Zola's, never as Liquid.
    for expected in [
        "content/accompagner/suivi.md:8:1: warning: this Zola shortcode is not supported and was left out: `{{ gallery(dir=\"photos\") }}`",
        "content/accompagner/suivi.md:10:3: warning: broken link: `@/accompagner/fiche.md` does not exist",
    ] {
        assert!(
            z.warnings.contains(expected),
            "missing `{expected}` in {}",
            z.warnings
        );
    }
    assert!(!z.warnings.contains("Liquid"), "{}", z.warnings);
    assert_eq!(
        warning_count(&z.warnings, "sort_by"),
        0,
        "weight is the order"
    );
    assert_eq!(warning_count(&z.warnings, "`taxonomies` (Zola)"), 1);
}

#[test]
fn plain_folder_of_many_pages_imports_and_builds() {
    let h = import_and_build("markdown");
    let nav = h.nav();
    // Sections by their index's weight, then the 32 pages by numeric prefix,
    // titled by their first heading (the front-matter title where it differs).
    assert_eq!(
        nav[..6],
        [
            "Accueil",
            "Boîte à outils",
            "Grille d’objectifs",
            "Annexes",
            "Règlement du programme",
            "Bienvenue dans le programme"
        ]
    );
    assert_eq!(nav.len(), 6 + 31);
    assert_eq!(nav[8], "Charte");
    assert_eq!(nav.last().map(String::as_str), Some("Contacts"));
    let home = h.html("index.html");
    assert_eq!(
        texts(&home, "main h1"),
        ["Guide du binôme"],
        "a comment is no title"
    );
    assert_eq!(
        std::fs::read_to_string(h.site.path().join("mentorbook.yaml"))
            .expect("config")
            .lines()
            .find(|l| l.starts_with("title:")),
        Some("title: Guide du binôme")
    );
    let charte = h.html("charte.html");
    assert_eq!(texts(&charte, "main h1"), ["La charte du binôme"], "one H1");
    // Headings in bold or emphasis get ids from their text.
    assert_eq!(select(&charte, "h2#les-engagements").len(), 1);
    assert_eq!(select(&charte, "h2#le-calendrier").len(), 1);
    let contacts = h.html("contacts.html");
    assert_eq!(
        select(&contacts, "a[href='mailto:mentorat@example.org']").len(),
        1
    );
    // A video keeps a visible link for paper.
    let temoignages = h.html("temoignages.html");
    assert_eq!(
        texts(
            &temoignages,
            ".media-link a[href='https://www.youtube-nocookie.com/embed/m3nt0r4t']"
        ),
        ["Trois binômes racontent"]
    );
    assert_eq!(warning_count(&h.warnings, "`//` image"), 1);
    assert_eq!(warning_count(&h.warnings, "javascript:"), 1);
}

#[test]
fn dry_run_writes_nothing_and_a_handbook_is_never_overwritten() {
    let site = Site::fixture("import/mkdocs");
    let before = tree(site.path());
    let out = site.run(&["import", "--dry-run"]).success().stdout();
    assert!(out.contains("Dry run"), "{out}");
    assert!(
        out.contains("\ncontent: pages\n"),
        "the configuration is printed: {out}"
    );
    assert_eq!(tree(site.path()), before, "nothing written");
    site.run(&["import"]).success();
    let config = std::fs::read(site.path().join("mentorbook.yaml")).expect("written");
    let again = site.run(&["import"]).code_is(2);
    let err = again.stderr();
    assert!(
        err.contains("mentorbook.yaml: error: this folder is already a handbook"),
        "{err}"
    );
    assert!(err.contains("help: "), "{err}");
    assert_eq!(
        std::fs::read(site.path().join("mentorbook.yaml")).expect("kept"),
        config
    );
    // DIR as an argument, from elsewhere.
    let other = Site::fixture("import/gitbook");
    let elsewhere = tempfile::tempdir().expect("tmp");
    run_in(
        elsewhere.path(),
        &["import", other.path().to_str().expect("utf-8")],
        &[],
    )
    .success();
    assert!(other.path().join("mentorbook.yaml").is_file());
}

#[test]
fn a_folder_without_pages_is_refused() {
    let dir = tempfile::tempdir().expect("tmp");
    std::fs::write(dir.path().join("notes.txt"), "rien").expect("write");
    let run = run_in(dir.path(), &["import"], &[]).code_is(1);
    assert!(
        run.stderr().contains("no Markdown pages found"),
        "{}",
        run.stderr()
    );
    assert!(!dir.path().join("mentorbook.yaml").exists());
}

#[test]
fn check_prints_a_migration_summary() {
    let site = Site::fixture("import/gitbook");
    site.run(&["import"]).success();
    let text = site.run(&["check"]).success().stdout();
    assert!(
        text.contains("Migration summary (imported from gitbook):"),
        "{text}"
    );
    assert!(
        text.contains("6 pages, 5 sections, 2 files; 4 links rewritten"),
        "{text}"
    );
    assert!(text.contains("gitbook hint 2"), "{text}");
    let json = site.run(&["check", "--format", "json"]).success().stdout();
    let v: serde_json::Value = serde_json::from_str(&json).expect("json");
    let m = &v["migration"];
    assert_eq!(m["from"], "gitbook");
    assert_eq!(m["pages"], 6);
    assert_eq!(m["converted"]["gitbook tabs"], 1);
    // Warnings by kind.
    let site = Site::fixture("import/jekyll");
    site.run(&["import"]).success();
    let json = site.run(&["check", "--format", "json"]).success().stdout();
    let v: serde_json::Value = serde_json::from_str(&json).expect("json");
    assert_eq!(
        v["migration"]["warnings"]["broken link: … does not exist"],
        1
    );
    // A native handbook has none.
    let native = Site::new();
    native.write("content/_index.md", "# Accueil\n");
    let json = native
        .run(&["check", "--format", "json"])
        .success()
        .stdout();
    let v: serde_json::Value = serde_json::from_str(&json).expect("json");
    assert!(v.get("migration").is_none());
}

#[test]
fn link_severity_is_configurable_and_strict_makes_warnings_errors() {
    let site = Site::new();
    site.write(
        "content/_index.md",
        "# Accueil\n\n[Fiche](fiche.pdf) et [page](absente.md).\n",
    );
    let err = site.run(&["build"]).code_is(1).stderr();
    assert!(
        err.contains("content/_index.md:3:1: error: broken link: `fiche.pdf` does not exist"),
        "native handbooks keep errors: {err}"
    );
    site.write("mentorbook.yaml", "title: Test\nlinks: warn\n");
    site.write(
        "content/_index.md",
        "# Accueil\n\n[Fiche](fiche.pdf) et [page](absente.md).\n\nVoir [plus bas](#absent).\n",
    );
    let err = site.build().stderr();
    assert_eq!(err.matches("warning: broken link").count(), 2, "{err}");
    assert!(
        err.contains("content/_index.md:5:6: warning: broken anchor: `#absent`"),
        "{err}"
    );
    assert!(
        crawl(&site.public(), &["404.html"]).is_empty(),
        "no broken link written"
    );
    let doc = site.html("index.html");
    assert_eq!(
        texts(&doc, "main a:not([href])"),
        ["Fiche", "page", "plus bas"]
    );
    let err = site.run(&["build", "--strict"]).code_is(1).stderr();
    assert!(
        err.contains("content/_index.md:3:1: error: broken link: `fiche.pdf`"),
        "{err}"
    );
    // A link out of the content folder says so, truly.
    site.write("notes.md", "# Notes\n");
    site.write(
        "content/_index.md",
        "[notes](../notes.md) [rien](../rien.md)\n",
    );
    let err = site.build().stderr();
    assert!(
        err.contains(
            "`../notes.md` leads to `notes.md`, which is outside the content folder `content/`"
        ),
        "{err}"
    );
    assert!(
        err.contains("broken link: `../rien.md` does not exist"),
        "{err}"
    );
}

#[test]
fn folders_and_toc_keys_are_checked() {
    let site = Site::new();
    site.write("mentorbook.yaml", "content: ../ailleurs\ntoc: absent.yml\n");
    let err = site.run(&["build"]).code_is(2).stderr();
    assert!(err.contains("mentorbook.yaml:1:1: error: `content: ../ailleurs` must be a folder inside the handbook"), "{err}");
    assert!(
        err.contains("mentorbook.yaml:2:1: error: `toc: absent.yml` does not exist"),
        "{err}"
    );
    // `content: .` needs its output folder left out of the pages.
    let site = Site::new();
    site.write("mentorbook.yaml", "content: .\n");
    site.write("index.md", "# Accueil\n");
    let err = site.run(&["build", "--out", "site"]).code_is(2).stderr();
    assert!(err.contains("output: site"), "{err}");
    site.build();
    assert!(site.public().join("index.html").is_file());
    let again = site.build();
    assert!(!site.public().join("public").exists(), "{}", again.stderr());
    let names: BTreeSet<String> = tree(&site.public()).into_keys().collect();
    assert!(
        !names.iter().any(|n| n.contains("mentorbook.yaml")),
        "{names:?}"
    );
}

#[test]
fn obsidian_vault_imports_and_builds_with_its_wikilinks() {
    // A vault (`.obsidian/`, notes named by their titles, an attachments
    // folder): every wikilink leads to its page, heading, block or file, as
    // in Obsidian, and none shows as text (the crawl finds no broken link).
    let h = import_and_build("obsidian");
    assert!(
        h.import_out
            .contains("Found: a handbook made with Obsidian (.obsidian/)."),
        "{}",
        h.import_out
    );
    assert!(
        h.import_out
            .contains("`attachments/` (the vault's attachments folder)")
    );
    let cfg = std::fs::read_to_string(h.site.path().join("mentorbook.yaml")).expect("config");
    assert!(cfg.contains("imported_from: obsidian\n"), "{cfg}");
    assert!(cfg.contains("Obsidian still opens the vault"), "{cfg}");
    assert!(cfg.contains("title: Guide du mentorat\n"), "{cfg}");
    assert!(
        h.import_out
            .contains("the home page is `Accueil.md`, the vault's home note"),
        "{}",
        h.import_out
    );
    // The vault's home note is the home page.
    let home = h.html("index.html");
    assert_eq!(text_of(&home, "main h1"), "Guide du mentorat");
    assert!(h.out().join("index.html").exists() && !h.out().join("accueil.html").exists());
    let link = |doc: &Html, text: &str| -> Vec<String> {
        select(doc, "main .content a")
            .iter()
            .filter(|a| a.text().collect::<String>() == text)
            .filter_map(|a| a.value().attr("href").map(String::from))
            .collect()
    };
    // By file name, with a heading named by its text and a text of its own.
    assert_eq!(
        link(&home, "Charte du binôme"),
        ["premiers-pas/charte-du-binome.html"]
    );
    assert_eq!(
        link(&home, "ce qu’écouter veut dire"),
        ["posture/posture-du-mentor.html#ecouter-vraiment"]
    );
    // Without a text of its own, the name and heading show as Obsidian shows them.
    assert_eq!(
        link(&home, "Première séance › Préparer la séance"),
        ["premiers-pas/premiere-seance.html#preparer-la-seance"]
    );
    // A file named like its folder wins over the folder; a path from the vault's root.
    assert_eq!(link(&home, "Séances"), ["seances/seances.html"]);
    // Obsidian's `aliases:` are names too.
    assert_eq!(
        link(&home, "la posture"),
        ["posture/posture-du-mentor.html"]
    );
    assert_eq!(
        link(&home, "la charte"),
        ["premiers-pas/charte-du-binome.html"]
    );
    // Attachments found by name or by path; Obsidian's size is no description.
    let images: Vec<(String, String, String)> = select(&home, "main img")
        .iter()
        .map(|i| {
            let a = |k| i.value().attr(k).unwrap_or_default().to_string();
            (a("src"), a("alt"), a("width"))
        })
        .collect();
    assert_eq!(
        images,
        [
            (
                "attachments/plan-seance.png".into(),
                "plan-seance.png".into(),
                String::new()
            ),
            (
                "attachments/plan-seance.png".into(),
                "plan-seance".into(),
                "400".into()
            )
        ]
    );
    assert_eq!(
        text_of(&home, "main code"),
        "[[du code]]",
        "code is left alone"
    );
    // Highlighted text.
    assert_eq!(text_of(&home, "main .content mark"), "avant tout");
    // A plugin's query cannot run here: it shows as code, with a warning at its fence.
    assert!(
        h.warnings.contains("Séances/Séances.md:7:1: warning: a `dataview` block is a query that the Dataview plugin runs inside Obsidian"),
        "{}",
        h.warnings
    );
    // Obsidian's comments are left out, in a line or over lines; code keeps its `%%`.
    let all = home.html();
    assert!(
        !all.contains("TODO") && !all.contains("relancer les binômes") && !all.contains("%%TODO"),
        "{all}"
    );
    assert!(
        all.contains(
            "Bienvenue dans le coffre du programme. Commencez <mark>avant tout</mark> par"
        ),
        "{all}"
    );
    assert!(all.contains("<code>100%%</code>"), "{all}");
    // Nor are they in the search index.
    let index = std::fs::read_to_string(h.out().join("search-index.js")).unwrap_or_default()
        + &std::fs::read_dir(h.out().join("search"))
            .map(|d| {
                d.flatten()
                    .filter_map(|e| std::fs::read_to_string(e.path()).ok())
                    .collect::<String>()
            })
            .unwrap_or_default();
    assert!(index.contains("coffre"), "the search index is read");
    assert!(!index.contains("relancer"), "comments are not searchable");
    // A note Obsidian Publish does not publish (`publish: false`) is a draft.
    assert!(!h.out().join("premiers-pas/brouillon-prive.html").exists());
    assert!(!index.contains("Des noms de binômes"));
    // A wikilink to the home note leads to the home page.
    let posture = h.html("posture/posture-du-mentor.html");
    assert_eq!(link(&posture, "Accueil"), ["../index.html"]);
    // A block id anchors its block and leaves the text; a link to it leads there.
    let charte = h.html("premiers-pas/charte-du-binome.html");
    let block = select(&charte, "main p span.block-id");
    assert_eq!(block.len(), 1);
    assert_eq!(block[0].value().attr("id"), Some("^engagements"));
    assert!(!charte.html().contains(" ^engagements"));
    let first = h.html("premiers-pas/premiere-seance.html");
    assert_eq!(
        link(&first, "les engagements"),
        ["charte-du-binome.html#%5Eengagements"]
    );
    // A same-page heading; a case-insensitive name with a heading.
    assert_eq!(link(&charte, "Engagements"), ["#engagements"]);
    let seance = h.html("seances/seance-type.html");
    assert_eq!(
        link(&seance, "posture du mentor › questionner"),
        ["../posture/posture-du-mentor.html#questionner"]
    );
    // A note embedded alone on its line shows its text, its headings nested
    // under the page's title; a heading's section; a block, in a callout too.
    let headings: Vec<String> = select(&first, "main .content h2, main .content h3")
        .iter()
        .map(|h| format!("{} {}", h.value().name(), h.text().collect::<String>()))
        .collect();
    assert_eq!(
        headings,
        [
            "h2 Préparer la séance",
            "h2 Pendant la séance",
            "h2 Charte du binôme",
            "h3 Engagements",
            "h3 Confidentialité",
            "h2 Questionner"
        ]
    );
    assert_eq!(
        text_of(&first, "main .callout p:not(.callout-title)"),
        "Le mentor et la personne mentorée se voient une fois par mois.",
        "the block, its marker left out"
    );
    // A comment the note leaves open hides the rest of the note, not of the
    // page showing it; the note reports it.
    assert!(!first.html().contains("les absences"));
    assert!(
        h.warnings.contains(
            "Charte du binôme.md:14:1: warning: this `%%` opens a comment that is never closed"
        ),
        "{}",
        h.warnings
    );
    // Its block ids stay the note's: shown here, they anchor nothing.
    assert!(
        select(&first, "main span.block-id").is_empty(),
        "{}",
        first.html()
    );
    // Its relative links lead from the page that shows it.
    assert_eq!(
        link(&first, "la charte"),
        ["charte-du-binome.html"],
        "a link of the embedded note, led from this page's folder"
    );
    assert_eq!(
        link(&posture, "la charte"),
        ["../premiers-pas/charte-du-binome.html"]
    );
    // In code, an embed is text; a draft (`publish: false`) is embedded nowhere.
    assert_eq!(
        text_of(&first, "main pre code").trim_end(),
        "![[Charte du binôme]]"
    );
    assert!(!first.html().contains("Des noms de binômes"));
    // A same-page link of the embedded note leads to its heading here.
    assert_eq!(link(&first, "Engagements"), ["#engagements"]);
    // Embedded inside a line, it is a link, with a warning that says how to embed it.
    assert_eq!(link(&first, "Séance type"), ["../seances/seance-type.html"]);
    assert!(
        h.warnings.contains("Première séance.md:16:21: warning: `![[Séance type]]` embeds a page: here it is a link to `Séances/Séance type.md`")
            && h.warnings.contains("when it is alone on its line"),
        "{}",
        h.warnings
    );
    // Two notes that embed each other: each shows the other once, whose
    // embed of it is a link, with a warning at the embed.
    let seances = h.html("seances/seances.html");
    assert!(
        seances
            .html()
            .contains("Un sujet choisi par la personne mentorée.")
    );
    assert_eq!(link(&seances, "Séances"), ["seances.html"]);
    assert!(
        h.warnings.contains("Séances/Séances.md:5:1: warning: `Séances/Séance type.md`, embedded here, embeds this page with `![[Séances]]`, which would show without end: there it is a link"),
        "{}",
        h.warnings
    );
    assert_eq!(
        warning_count(&h.warnings, "which would show without end"),
        2,
        "{}",
        h.warnings
    );
    // The embedded note stays a page of its own.
    assert!(h.out().join("premiers-pas/charte-du-binome.html").exists());
    // In the print page of a section, the links become in-document anchors.
    let print = h.html("premiers-pas/print.html");
    let to_block = link(&print, "les engagements");
    assert_eq!(to_block.len(), 1);
    assert!(
        to_block[0].starts_with('#') && to_block[0].ends_with("-^engagements"),
        "{to_block:?}"
    );
    let id = &to_block[0][1..];
    assert_eq!(select(&print, &format!("[id='{id}']")).len(), 1);
}

#[test]
fn wikilinks_that_lead_nowhere_or_to_several_pages_are_reported_at_their_place() {
    let site = Site::new();
    site.write("content/01-guide/notes.md", "# Notes du guide\n");
    site.write("content/02-fiches/notes.md", "# Notes des fiches\n");
    site.write("content/02-fiches/posture.md", "# Posture\n\n## Écouter\n");
    site.write(
        "content/index.md",
        "---\ntitle: Accueil\n---\nVoir [[notes]] et [[Inconnue]].\n\nPuis [[posture#Questionner]] et \\[[pas un lien]].\n",
    );
    let out = site.run(&["check"]).code_is(1).stderr();
    assert!(
        out.contains("content/index.md:4:6: warning: wikilink `[[notes]]` could lead to `01-guide/notes.md` or `02-fiches/notes.md`"),
        "{out}"
    );
    assert!(
        out.contains("`[[01-guide/notes]]`"),
        "the help names the folder: {out}"
    );
    assert!(
        out.contains("content/index.md:4:19: warning: wikilink `[[Inconnue]]` leads nowhere: no page or file is named `Inconnue`, so it shows as written"),
        "{out}"
    );
    assert!(
        out.contains("content/index.md:6:6: error: broken anchor: no heading `Questionner` in `content/02-fiches/posture.md`"),
        "{out}"
    );
    assert!(out.contains("headings there: #ecouter"), "{out}");
    // An escaped one is text; one that leads nowhere shows as written, its
    // brackets in (a letter model's `[[Prénom]]`, an interval `[[1, n]]`).
    site.write(
        "content/index.md",
        "---\ntitle: Accueil\n---\nVoir [[01-guide/notes]], [[posture#Écouter]] et \\[[pas un lien]].\n\nBonjour [[Prénom]], pour k dans [[1, n]].\n",
    );
    site.build();
    let home = site.html("index.html");
    assert!(home.html().contains("[[pas un lien]]"));
    assert_eq!(
        text_of(&home, "main .content p:nth-of-type(2)"),
        "Bonjour [[Prénom]], pour k dans [[1, n]]."
    );
    assert!(
        select(&home, "main .content p:nth-of-type(2) a[href]").is_empty(),
        "no link that leads nowhere"
    );
    assert_eq!(
        select(&home, "main a[href='guide/notes.html']").len(),
        1,
        "{}",
        home.html()
    );
    assert_eq!(
        select(&home, "main a[href='fiches/posture.html#ecouter']").len(),
        1
    );
}

#[test]
fn obsidian_block_ids_tables_and_shared_names() {
    // A block id alone after a table names the table; in a table the bar of a
    // wikilink's text is escaped; a name many pages share is reported with
    // the first few of them, the nearest one taken.
    let site = Site::new();
    for i in 0..40 {
        site.write(
            &format!("content/d{i:02}/notes.md"),
            &format!("# Notes {i}\n"),
        );
    }
    site.write("content/posture.md", "# Posture\n");
    site.write("content/d07/02-posture.md", "# Posture numérotée\n");
    site.write(
        "content/d07/fiche.md",
        "# Fiche\n\n| Étape | Page |\n|---|---|\n| 1 | [[notes\\|les notes]] |\n\n^etapes\n\nUn paragraphe. ^p1\n\nEncore ^p1\n\nVoir [[#^etapes]] et [[posture|la posture]].\n",
    );
    let run = site.build();
    let err = run.stderr();
    let fiche = site.html("d07/fiche.html");
    // The nearest `notes` is the one beside the page.
    assert_eq!(
        select(&fiche, "td a[href='notes.html']").len(),
        1,
        "{}",
        fiche.html()
    );
    assert_eq!(text_of(&fiche, "td a"), "les notes");
    // A file named so wins over one named so once its number is left out.
    assert_eq!(
        select(&fiche, "a[href='../posture.html']").len(),
        1,
        "{}",
        fiche.html()
    );
    let before_table = select(&fiche, ".content > span.block-id[id='^etapes']");
    assert_eq!(before_table.len(), 1, "{}", fiche.html());
    assert!(
        !fiche.html().contains("<p>^etapes"),
        "the id leaves no paragraph"
    );
    assert_eq!(select(&fiche, "a[href='#%5Eetapes']").len(), 1);
    assert!(
        err.contains(
            "content/d07/fiche.md:11:1: warning: block id `^p1` is already used in this page"
        ),
        "{err}"
    );
    // The page beside it is taken, and the warning names three others and the count.
    let shared: Vec<&str> = err
        .lines()
        .filter(|l| l.contains("could lead to"))
        .collect();
    assert_eq!(shared.len(), 1, "{err}");
    assert!(
        shared[0].contains("it leads to `d07/notes.md`, the nearest")
            && shared[0].contains("and 36 more"),
        "{}",
        shared[0]
    );
}

#[test]
fn obsidian_callouts_keep_every_line_and_element_after_their_marker() {
    // The marker line is left out, and only it: an emphasis opened on it goes
    // on below; a quote whose first block is no paragraph (a heading, a link
    // definition) stays a quote, its text whole.
    let site = Site::new();
    site.write(
        "content/a.md",
        "---\ntitle: A\n---\n\n> [!tip] Voir *ceci\n> et cela* ici\n\n> [!note]: https://example.org\n>\n> Premier paragraphe\n> deuxième ligne\n\n> [!tip] Titre\n> ---\n\n- > [!example] Un cas\n  > Dans une liste.\n",
    );
    site.build();
    let doc = site.html("a.html");
    let callouts = select(&doc, ".callout");
    assert_eq!(callouts.len(), 2, "{}", doc.html());
    assert_eq!(
        select(&doc, ".callout-tip p:not(.callout-title)")[0].inner_html(),
        "<em>et cela</em> ici"
    );
    assert_eq!(text_of(&doc, "li .callout-note .callout-title"), "Un cas");
    assert_eq!(
        text_of(&doc, "li .callout-note p:not(.callout-title)"),
        "Dans une liste."
    );
    let quotes: Vec<String> = select(&doc, "blockquote")
        .iter()
        .map(|q| q.text().collect())
        .collect();
    assert_eq!(quotes.len(), 2, "{quotes:?}");
    assert!(
        quotes[0].contains("Premier paragraphe") && quotes[0].contains("deuxième ligne"),
        "{quotes:?}"
    );
    assert!(quotes[1].contains("[!tip] Titre"), "{quotes:?}");
}

#[test]
fn a_note_in_a_draft_folder_is_embedded_nowhere() {
    // The folder's index page is a draft: none of its pages is published,
    // and none is shown in another page either.
    let site = Site::new();
    site.write(
        "mentorbook.yaml",
        "title: Coffre\nlang: fr\nimported_from: obsidian\n",
    );
    site.write(
        "content/Prive/_index.md",
        "---\npublish: false\n---\n# Privé\n",
    );
    site.write(
        "content/Prive/Secret.md",
        "# Secret\n\nDes noms à ne pas publier.\n",
    );
    site.write("content/Page.md", "# Page\n\n![[Secret]]\n\nFin.\n");
    site.build();
    let page = site.html("page.html");
    assert!(!page.html().contains("Des noms"), "{}", page.html());
    assert!(page.html().contains("Fin."));
    assert!(!site.path().join("public/prive/secret.html").exists());
}

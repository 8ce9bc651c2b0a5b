//! One pipeline: `check` reports exactly what `build` reports; each page is
//! parsed once and every print page is derived from it; the template context of
//! every page kind. (The starters in both languages and themes: `first_hour`.)

use crate::support::*;
use scraper::Selector;

/// Every fixture site (a folder of `tests/fixtures` holding `mentorbook.yaml`).
fn fixture_sites() -> Vec<String> {
    let base = repo_root().join("tests/fixtures");
    let mut v: Vec<String> = walkdir::WalkDir::new(&base)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name() == "mentorbook.yaml")
        .filter_map(|e| {
            let dir = e.path().parent()?.strip_prefix(&base).ok()?;
            Some(dir.to_string_lossy().replace('\\', "/"))
        })
        .collect();
    v.sort();
    v
}

/// The diagnostics part of a run: its exit code and standard error.
fn report(run: &Run) -> (i32, String) {
    (run.code(), run.stderr())
}

#[test]
fn check_reports_exactly_what_build_reports_on_every_fixture_and_the_sample() {
    let sites = fixture_sites();
    assert!(sites.len() >= 20, "fixtures found: {sites:?}");
    let mut compared = 0;
    for name in sites.iter().map(String::as_str).chain(["<sample>"]) {
        let site = if name == "<sample>" {
            Site::sample()
        } else {
            Site::fixture(name)
        };
        let check = report(&site.run(&["check"]));
        let build = report(&site.run(&["build"]));
        assert_eq!(check, build, "{name}: check and build differ");
        let strict_check = report(&site.run(&["check", "--strict"]));
        let strict_build = report(&site.run(&["build", "--strict"]));
        assert_eq!(
            strict_check, strict_build,
            "{name} --strict: check and build differ"
        );
        compared += 1;
    }
    assert_eq!(compared, sites.len() + 1);
}

#[test]
fn a_runtime_error_in_the_print_template_is_found_by_check() {
    let site = Site::new();
    site.write("content/a.md", "---\ntitle: A\n---\nTexte.\n");
    site.write(
        "templates/print.html",
        "{% extends \"builtin/print.html\" %}\n{% block print_before %}{{ print.title | nope }}{% endblock print_before %}\n",
    );
    let check = site.run(&["check"]).code_is(1);
    assert!(
        check.stderr().contains("templates/print.html:2:"),
        "the template's file and line: {}",
        check.stderr()
    );
    let build = site.run(&["build"]).code_is(1);
    assert_eq!(check.stderr(), build.stderr());
}

#[test]
fn a_comment_at_the_top_of_a_page_is_not_its_title() {
    let site = Site::new();
    site.write(
        "content/a.md",
        "<!--\n# Brouillon\n-->\n\n# La vraie page\n\nTexte.\n",
    );
    site.build();
    let doc = site.html("a.html");
    assert!(text_of(&doc, "title").contains("La vraie page"));
    let h1: Vec<String> = select(&doc, "h1")
        .iter()
        .map(|e| e.text().collect())
        .collect();
    assert_eq!(h1, ["La vraie page"], "one title, not the draft note");
}

#[test]
fn a_content_folder_named_like_a_generated_one_is_an_error_at_its_file() {
    let site = Site::new();
    site.write(
        "content/02-worksheets/_index.md",
        "---\ntitle: Fiches\n---\n",
    );
    site.write(
        "content/02-worksheets/a.md",
        "---\ntitle: Fiche A\nkind: worksheet\nsession: 1\n---\n```field\nlabel: Objectif\n```\n",
    );
    std::fs::create_dir_all(site.public()).expect("mkdir");
    std::fs::write(site.public().join("old.html"), "old").expect("old output");
    for cmd in ["check", "build"] {
        let run = site.run(&[cmd]).code_is(1);
        let err = run.stderr();
        assert!(
            err.contains("content/02-worksheets/_index.md: error: this would be written to `worksheets/index.html`, which mentorbook generates"),
            "{cmd}: {err}"
        );
        assert!(
            err.contains("rename the folder `content/02-worksheets/`"),
            "{err}"
        );
        assert!(!err.contains(":1:1:"), "no made-up location: {err}");
    }
    assert!(site.public().join("old.html").is_file(), "old output kept");
}

#[test]
fn the_english_calendar_uses_the_english_programme_name() {
    let site = Site::sample();
    site.build();
    let ics = std::fs::read_to_string(site.public().join("en/programme.ics")).expect("ics");
    assert!(ics.contains("Mentoring programme"), "{ics}");
    assert!(!ics.contains("Programme de mentorat"), "{ics}");
    let fr = std::fs::read_to_string(site.public().join("programme.ics")).expect("ics");
    assert!(fr.contains("Programme de mentorat"));
}

#[test]
fn build_verbose_reports_print_pages_and_markdown_times() {
    let site = Site::sample();
    let run = site.run(&["build", "--verbose"]).success();
    let err = run.stderr();
    let cpu_part = err
        .split("cpu time:")
        .nth(1)
        .unwrap_or_else(|| panic!("{err}"));
    let cpu = |kind: &str| -> f64 {
        let at = cpu_part
            .find(&format!("{kind} "))
            .unwrap_or_else(|| panic!("{kind}: {err}"));
        cpu_part[at + kind.len() + 1..]
            .split(' ')
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("{kind} time: {err}"))
    };
    // Figures only: times are measured by benchmarks, not asserted here.
    assert!(cpu("markdown") >= 0.0 && cpu("print pages") >= 0.0, "{err}");
}

/// Every page kind and one page of it in the fixture `context/kinds`.
const KINDS: [(&str, &str); 10] = [
    ("index", "index.html"),
    ("section", "guide/index.html"),
    ("page", "guide/page.html"),
    ("worksheet", "guide/fiche.html"),
    ("print", "print.html"),
    ("worksheets", "worksheets/index.html"),
    ("kit", "kits/session-1.html"),
    ("timeline", "timeline.html"),
    ("404", "404.html"),
    ("contents", "contents.html"),
];

/// Marks the end of the context dump in a page's `<head>`.
const DUMP_END: &str = "<!--mb:context-end-->";

#[test]
fn the_template_context_of_every_page_kind_matches_its_snapshot() {
    let site = Site::fixture("context/kinds");
    // Every template extends `base.html`: its head prints the whole context.
    site.write(
        "templates/base.html",
        &format!(
            "{{% extends \"builtin/base.html\" %}}{{% block head %}}{{{{ super() }}}}<!--mb:context-start-->{{{{ __tera_context | safe }}}}{DUMP_END}{{% endblock head %}}"
        ),
    );
    site.build();
    let snapshots = repo_root().join("tests/snapshots/context");
    let update = std::env::var("MENTORBOOK_UPDATE_SNAPSHOTS").is_ok_and(|v| v == "1");
    let mut differ = Vec::new();
    for (kind, out) in KINDS {
        let page = std::fs::read_to_string(site.public().join(out))
            .unwrap_or_else(|e| panic!("{out}: {e}"));
        let start = page
            .find("<!--mb:context-start-->")
            .unwrap_or_else(|| panic!("{out}: no dump"));
        let end = page
            .find(DUMP_END)
            .unwrap_or_else(|| panic!("{out}: no dump end"));
        let dump = page[start + "<!--mb:context-start-->".len()..end]
            .replace(env!("CARGO_PKG_VERSION"), "[version]")
            + "\n";
        let snap = snapshots.join(format!("{kind}.txt"));
        if update {
            std::fs::create_dir_all(&snapshots).expect("mkdir");
            std::fs::write(&snap, &dump).expect("write snapshot");
            continue;
        }
        let want = std::fs::read_to_string(&snap).unwrap_or_default();
        if want != dump {
            differ.push(format!(
                "{kind} ({out}): the template context changed, and it is the theme API: review it, then run with MENTORBOOK_UPDATE_SNAPSHOTS=1\n--- snapshot\n{want}\n--- now\n{dump}"
            ));
        }
    }
    assert!(differ.is_empty(), "{}", differ.join("\n\n"));
}

#[test]
fn print_pages_are_serialised_from_the_web_pages_parse() {
    let site = Site::sample_french();
    site.build();
    let print = site.html("print.html");
    let posture = select(&print, "section.print-page")
        .into_iter()
        .find(|s| {
            let h1 = Selector::parse("h1").expect("selector");
            s.select(&h1).next().is_some_and(|h| {
                h.text()
                    .collect::<String>()
                    .ends_with("La posture du mentor")
            })
        })
        .expect("the posture page in print.html");
    // Its anchor is short: `p` and the page's number in base 36.
    let anchor = posture.value().attr("id").expect("an anchor");
    assert!(
        anchor.len() <= 4
            && anchor.starts_with('p')
            && anchor[1..]
                .bytes()
                .all(|b| b.is_ascii_digit() || b.is_ascii_lowercase()),
        "{anchor}"
    );
    let inner = posture.html();
    // Its ids are prefixed, its headings sit below it in the PDF outline.
    assert!(
        inner.contains(&format!("<h2 aria-level=\"3\" id=\"{anchor}-")),
        "{}",
        &inner[..inner.len().min(2000)]
    );
    // The web page has the same headings, unprefixed, with no outline level.
    let web = std::fs::read_to_string(site.public().join("relation/posture.html")).expect("page");
    assert!(!web.contains("aria-level") && web.contains("<h2 id=\""));
    // Links to pages of the same print file are in-page anchors.
    let links: Vec<&str> = select(&print, ".print-page .content a[href]")
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .collect();
    let in_page: Vec<&&str> = links.iter().filter(|h| h.starts_with("#p")).collect();
    assert!(!in_page.is_empty(), "{links:?}");
    for h in in_page {
        assert_eq!(
            select(&print, h).len(),
            1,
            "{h} lands on no id of print.html"
        );
    }
    assert!(!links.iter().any(|h| h.ends_with(".md")), "{links:?}");
}

#[test]
fn a_build_that_keeps_bodies_in_a_temporary_file_writes_the_same_bytes_as_one_in_memory() {
    // Budget 0: every page's Markdown is read again from its own file (or from
    // the spill file, when includes or line endings made it differ from the file)
    // and every parsed body goes to the spill file and is read back to write
    // pages and print files; no limit: all in memory.
    for name in ["<sample>", "context/kinds"] {
        let site = if name == "<sample>" {
            Site::sample()
        } else {
            Site::fixture(name)
        };
        let root = site.path().to_path_buf();
        let streamed = run_in(
            &root,
            &["build", "--verbose", "--out", "out-streamed"],
            &[("MENTORBOOK_MEMORY_BUDGET", "0".as_ref())],
        )
        .success();
        assert!(
            streamed.stderr().contains("kept in a temporary file"),
            "{name}: nothing was spilled with a budget of 0:\n{}",
            streamed.stderr()
        );
        let in_memory = run_in(
            &root,
            &["build", "--verbose", "--out", "out-memory"],
            &[("MENTORBOOK_MEMORY_BUDGET", u64::MAX.to_string().as_ref())],
        )
        .success();
        assert!(
            !in_memory.stderr().contains("kept in a temporary file"),
            "{name}: spilled without a limit"
        );
        let a = tree(&root.join("out-streamed"));
        let b = tree(&root.join("out-memory"));
        assert!(a.len() > 10, "{name}: {} files", a.len());
        assert_eq!(
            a.keys().collect::<Vec<_>>(),
            b.keys().collect::<Vec<_>>(),
            "{name}: not the same files"
        );
        for (path, bytes) in &a {
            assert!(bytes == &b[path], "{name}: `{path}` differs");
        }
    }
}

#[test]
fn a_page_in_several_print_files_links_as_each_file_sees_it() {
    // The same page in the handbook (its link targets are in the file: anchors),
    // in its section (targets elsewhere: paths from the section's folder) and in
    // an edition (other audiences' blocks dropped).
    let site = Site::new();
    site.write("mentorbook.yaml", "title: Partage\nlang: fr\n")
        .write("content/index.md", "---\ntitle: Accueil\n---\nVoir [la posture](a/posture.md) et [le cadre](b/cadre.md#les-regles).\n")
        .write("content/a/index.md", "---\ntitle: Partie A\n---\nIntro de A, voir [B](../b/index.md).\n")
        .write(
            "content/a/posture.md",
            "---\ntitle: Posture\n---\n## Écouter\n\nVoir [les règles](../b/cadre.md#les-regles), [plus bas](#ecouter), \
             [l'accueil](../index.md) et ![schéma](../images/schema.svg).\n\n\
             :::only mentor\nPour le mentor : [le cadre](../b/cadre.md).\n:::\n\n\
             :::only mentee\nPour la mentorée.\n:::\n",
        )
        .write("content/b/index.md", "---\ntitle: Partie B\n---\nIntro de B.\n")
        .write(
            "content/b/cadre.md",
            "---\ntitle: Cadre\naudience: mentor\n---\n## Les règles\n\nRetour à [la posture](../a/posture.md#ecouter).\n",
        )
        .write("content/images/schema.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
    site.build().success();
    let text = |p: &str| std::fs::read_to_string(site.public().join(p)).expect(p);
    let (book, section) = (text("print.html"), text("a/print.html"));
    assert!(book.contains("href=\"#p"), "no in-file link in print.html");
    assert!(!book.contains("href=\"b/cadre.html"), "{book}");
    assert!(
        section.contains("href=\"../b/cadre.html#les-regles\""),
        "{section}"
    );
    assert!(
        section.contains("src=\"../images/schema.svg\""),
        "{section}"
    );
    assert!(book.contains("src=\"images/schema.svg\""), "{book}");
    let edition = text("editions/mentee/print.html");
    assert!(!edition.contains("Pour le mentor"), "{edition}");
    assert!(edition.contains("Pour la mentorée"), "{edition}");
    assert!(book.contains("Pour le mentor") && book.contains("Pour la mentorée"));
}

#[test]
fn a_long_build_shows_its_progress_and_a_short_one_piped_shows_none() {
    let site = Site::sample();
    let root = site.path().to_path_buf();
    // Forced from the first millisecond (a terminal gets it after 2 s).
    let shown = run_in(
        &root,
        &["build", "--out", "out-a"],
        &[("MENTORBOOK_PROGRESS_AFTER", "0".as_ref())],
    )
    .success();
    let err = shown.stderr();
    assert!(err.contains("writing files "), "{err:?}");
    let counted = err
        .split("writing files ")
        .skip(1)
        .filter_map(|s| s.split_whitespace().next())
        .any(|n| n.contains('/'));
    assert!(counted, "no done/total count: {err:?}");
    // The line is cleared at the end, so what follows starts on a clean line.
    assert!(err.ends_with("\r\x1b[2K"), "{err:?}");
    assert!(
        !err.contains("\x1b[2K · "),
        "a line without a phase: {err:?}"
    );
    assert!(shown.stdout().contains("Built "), "{}", shown.stdout());
    // Piped, without the variable: nothing but the summary.
    let piped = run_in(&root, &["build", "--out", "out-b"], &[]).success();
    assert!(!piped.stderr().contains('\x1b'), "{:?}", piped.stderr());
}

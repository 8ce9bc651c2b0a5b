//! Content errors: every problem reported in one run as `path:line:col: error: …`,
//! and a failed build never touches the previous output.

use crate::support::*;

#[test]
fn check_reports_all_four_errors_in_one_run() {
    let site = Site::fixture("errors/four");
    let run = site.run(&["check"]).code_is(1);
    let err = run.stderr();
    let lines: Vec<&str> = err.lines().filter(|l| l.contains(": error: ")).collect();
    let has = |prefix: &str, what: &str| {
        lines
            .iter()
            .any(|l| l.starts_with(prefix) && l.contains(what))
    };
    assert!(
        has("content/guide/liens.md:5:4: error: ", "inexistant.md"),
        "{err}"
    );
    assert!(
        has("content/guide/liens.md:7:5: error: ", "#nulle-part"),
        "{err}"
    );
    assert!(
        has("content/guide/yaml.md:3:9: error: ", "invalid YAML"),
        "{err}"
    );
    assert!(
        has(
            "content/guide/double.md:",
            "both produce `guide/double.html`"
        ),
        "{err}"
    );
    assert_eq!(lines.len(), 4, "{err}");
    assert!(err.contains("help: "), "errors say how to fix them");
}

#[test]
fn failed_build_leaves_previous_output_untouched() {
    let site = Site::fixture("links/basic");
    site.build();
    let before = tree(&site.public());
    site.write("content/guide/page.md", "---\ntitle: [unclosed\n---\n");
    site.run(&["build"]).code_is(1);
    assert_eq!(tree(&site.public()), before);
    let leftovers: Vec<_> = std::fs::read_dir(site.path())
        .expect("read")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("staging") || n.contains(".old-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn check_json_lists_diagnostics() {
    let site = Site::fixture("errors/four");
    let run = site.run(&["check", "--format", "json"]).code_is(1);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout()).expect("json");
    assert_eq!(doc["ok"], false);
    assert_eq!(doc["errors"], 4);
    let first = &doc["diagnostics"][0];
    assert!(
        first["path"]
            .as_str()
            .is_some_and(|p| p.starts_with("content/"))
    );
    let diags = doc["diagnostics"].as_array().expect("list");
    assert!(
        diags
            .iter()
            .all(|d| d["line"].is_null() || d["line"].as_u64().is_some_and(|l| l > 0)),
        "a line is a line number, or null for a whole file: {diags:?}"
    );
    assert!(diags.iter().any(|d| d["line"].as_u64().is_some()));
}

#[test]
fn unknown_front_matter_key_warns_and_strict_fails() {
    let site = Site::new();
    site.write("content/a.md", "---\ntitle: A\ntitel: B\n---\n");
    let run = site.run(&["check"]).success();
    assert!(
        run.stderr()
            .contains("content/a.md:3:1: warning: unknown front matter key `titel`"),
        "{}",
        run.stderr()
    );
    assert!(run.stderr().contains("did you mean `title`?"));
    site.run(&["check", "--strict"]).code_is(1);
}

#[test]
fn silent_mistakes_are_reported_where_they_are() {
    // Each of these built without a word: a misspelt audience key (the page
    // then goes to everyone), a misspelt alert kind (a plain quote), a footnote
    // never defined (shown as `[^x]`). Escaped brackets and code stay quiet.
    let site = Site::new();
    site.write(
        "content/a.md",
        "---\ntitle: A\naudiance: mentor\n---\n\n> [!TIPP]\n> Un conseil.\n\nUne note[^oubli] et \\[^voulu], <https://example.org/a[^b]>, \\\\[^deux].\n\n`[^code]`\n\n```\n[^bloc]\n```\n\n> [!question] Pourquoi *moi* ?\n> Parce que.\n\n:::only mentors\nPour les mentors.\n:::\n",
    );
    let run = site.run(&["check"]).success();
    let err = run.stderr();
    for want in [
        "content/a.md:3:1: warning: unknown front matter key `audiance`",
        "help: did you mean `audience`? Until it is spelt so, the page is for everyone, in every edition",
        "content/a.md:6:1: warning: `[!TIPP]` is not a kind of callout: the quote shows as a quote",
        "help: did you mean `[!TIP]`?",
        "content/a.md:9:9: warning: footnote `[^oubli]` has no definition: it shows as written",
    ] {
        assert!(err.contains(want), "missing `{want}` in:\n{err}");
    }
    // After an escaped backslash, `[^deux]` is a note again (never defined).
    assert!(
        err.contains("warning: footnote `[^deux]` has no definition"),
        "{err}"
    );
    assert_eq!(err.matches("warning:").count(), 4, "{err}");
    // Obsidian's callouts, and `only mentors` as `audience: mentors` reads it.
    site.build();
    let doc = site.html("a.html");
    assert_eq!(
        text_of(&doc, ".callout-note .callout-title"),
        "Pourquoi moi\u{202f}?"
    );
    assert_eq!(
        text_of(&doc, ".callout-note p:not(.callout-title)"),
        "Parce que."
    );
    assert_eq!(select(&doc, ".only[data-audience=mentor]").len(), 1);
    site.write(
        "content/a.md",
        "---\ntitle: A\naudience: mentors\n---\nTexte.\n",
    );
    site.run(&["check", "--strict"]).success();
}

#[test]
fn a_page_written_where_a_static_file_goes_names_that_file() {
    let site = Site::new();
    site.write("content/aide.md", "---\ntitle: Aide\n---\nTexte.\n")
        .write("static/aide.html", "<p>Aide</p>\n");
    let run = site.run(&["check"]).code_is(1);
    let err = run.stderr();
    assert!(
        err.contains("content/aide.md: error: this would be written to `aide.html`, where the site's file `static/aide.html` goes"),
        "{err}"
    );
    assert!(
        err.contains("or rename or move `static/aide.html`"),
        "{err}"
    );
    // The static folder as the configuration names it (imports set `static:`).
    site.write("mentorbook.yaml", "title: T\nstatic: [fichiers]\n")
        .write("fichiers/aide.html", "<p>Aide</p>\n");
    std::fs::remove_file(site.path().join("static/aide.html")).expect("rm");
    let run = site.run(&["check"]).code_is(1);
    assert!(
        run.stderr()
            .contains("where the site's file `fichiers/aide.html` goes"),
        "{}",
        run.stderr()
    );
}

#[test]
fn a_slug_that_cannot_be_a_path_is_reported_at_its_line() {
    let site = Site::new();
    site.write(
        "content/a.md",
        "---\ntitle: A\nslug: ../../ailleurs/page\n---\nTexte.\n",
    )
    .write(
        "content/b.md",
        "---\ntitle: B\nslug: https://example.org/b\n---\nTexte.\n",
    );
    let run = site.run(&["check"]).success();
    let err = run.stderr();
    assert!(
        err.contains("content/a.md:3:1: warning: `../../ailleurs/page` leads outside the handbook"),
        "{err}"
    );
    assert!(
        err.contains(
            "content/b.md:3:1: warning: `https://example.org/b` is not a path inside the handbook"
        ),
        "{err}"
    );
}

#[test]
fn a_link_after_an_inline_include_is_reported_at_its_column_in_the_file() {
    // The included text (two lines) is put in the middle of the line: the broken
    // link after it is still found where it is written, and one inside the
    // included text at its directive.
    let site = Site::new();
    site.write("content/part.txt", "un\ndeux [ici](manque-inclus.md)\n")
        .write(
            "content/a.md",
            "---\ntitle: A\n---\n\nAvant é {{#include part.txt}} après [lien](manque.md).\n",
        );
    let run = site.run(&["check"]).code_is(1);
    let err = run.stderr();
    assert!(
        err.contains("content/a.md:5:37: error: broken link: `manque.md` does not exist"),
        "{err}"
    );
    assert!(
        err.contains("content/a.md:5:9: error: broken link: `manque-inclus.md` does not exist"),
        "{err}"
    );
}

#[test]
fn bad_config_exits_2_with_location() {
    let site = Site::new();
    site.write("mentorbook.yaml", "title: T\nlangue: fr\n");
    site.write("content/a.md", "a");
    let run = site.run(&["build"]).code_is(2);
    assert!(
        run.stderr()
            .contains("mentorbook.yaml:2:1: error: unknown key `langue`"),
        "{}",
        run.stderr()
    );
    assert!(run.stderr().contains("did you mean `lang`?"));
}

#[test]
fn template_syntax_error_names_the_template_and_line() {
    let site = Site::new();
    site.write("content/a.md", "a");
    site.write(
        "templates/page.html",
        "{% extends \"builtin/page.html\" %}\n{% block pager %}{{ oops( }}{% endblock pager %}",
    );
    let run = site.run(&["build"]).code_is(1);
    assert!(
        run.stderr().contains("templates/page.html:2:"),
        "{}",
        run.stderr()
    );
}

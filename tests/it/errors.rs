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

//! Bad input, one fixture per case (`tests/fixtures/bad_input/<case>/`): each gives a
//! clear, located message with a fix, the right exit code, and never touches the
//! previous output when the build fails.

use crate::support::*;

/// Builds the case into a `public/` that already holds a previous build's file, and
/// checks the outcome. `expected` lines must appear in stderr (location + message),
/// `help` must follow as a `help:` line.
fn case(name: &str, code: i32, expected: &[&str], help: &str) -> Site {
    let site = Site::fixture(&format!("bad_input/{name}"));
    site.write("public/previous.html", "<p>previous build</p>");
    let run = site.run(&["build"]).code_is(code).no_panic();
    let err = run.stderr();
    for e in expected {
        assert!(err.contains(e), "{name}: missing `{e}` in:\n{err}");
    }
    if !help.is_empty() {
        assert!(
            err.contains(&format!("  help: {help}")),
            "{name}: missing help `{help}` in:\n{err}"
        );
    }
    let out = tree(&site.public());
    if code != 0 {
        assert_eq!(
            out.len(),
            1,
            "{name}: a failed build changed public/: {:?}",
            out.keys().collect::<Vec<_>>()
        );
        assert_eq!(out["previous.html"], b"<p>previous build</p>");
    } else {
        assert!(
            out.contains_key("index.html"),
            "{name}: a good build replaces public/"
        );
    }
    site
}

#[test]
fn unclosed_quote() {
    case(
        "unclosed_quote",
        1,
        &[
            "content/page.md:2:8: error: invalid YAML: found unexpected end of stream (while scanning a quoted scalar)",
        ],
        "check that every quote is closed on the same line",
    );
}

#[test]
fn tab_indentation() {
    case(
        "tab_indent",
        1,
        &["content/page.md:4:1: error: invalid YAML"],
        "YAML indentation must use spaces, not tabs",
    );
}

#[test]
fn weight_not_a_number() {
    case(
        "weight_not_a_number",
        1,
        &[
            "content/page.md:3:9: error: wrong value: weight: invalid type: string \"abc\", expected i64",
        ],
        "`weight` is a whole number, for example `weight: 2`",
    );
}

#[test]
fn negative_session() {
    case(
        "negative_session",
        1,
        &["content/page.md:4:10: error: wrong value: session: invalid type: integer `-1`"],
        "`session` is a whole number from 1, for example `session: 3`",
    );
}

#[test]
fn unknown_key_warns_then_fails_strict() {
    let site = case(
        "unknown_key",
        0,
        &["content/page.md:3:1: warning: unknown front matter key `descripton`"],
        "did you mean `description`?",
    );
    site.run(&["build", "--strict"]).code_is(1);
}

#[test]
fn missing_closing_front_matter() {
    case(
        "unclosed_front_matter",
        1,
        &["content/page.md:1:1: error: the front matter is never closed"],
        "add a line with only `---` after the front matter",
    );
}

#[test]
fn invalid_utf8() {
    case(
        "invalid_utf8",
        1,
        &["content/page.md:5:4: error: this file is not valid UTF-8"],
        "save the file with the UTF-8 encoding in your editor",
    );
}

#[test]
fn utf16_with_bom_is_read() {
    let site = case("utf16_bom", 0, &[], "");
    assert_eq!(text_of(&site.html("page.html"), "main h1"), "Été");
}

#[test]
fn empty_file_builds() {
    let site = case("empty_file", 0, &[], "");
    assert_eq!(text_of(&site.html("vide.html"), "main h1"), "Vide");
}

#[test]
fn whitespace_title() {
    case(
        "whitespace_title",
        1,
        &["content/page.md:2:1: error: the title is empty"],
        "write a title, or remove the `title:` line to use the first `# ` heading",
    );
}

#[test]
fn duplicate_slugs() {
    case(
        "duplicate_slugs",
        1,
        &["error: `content/deux.md` and `content/un.md` both produce `meme.html`"],
        "rename one of them, or give the page a different `slug:`",
    );
}

#[test]
fn section_without_pages_and_folder_of_images() {
    let site = case("section_without_pages", 0, &[], "");
    assert_eq!(
        text_of(&site.html("vide/index.html"), "main h1"),
        "Partie vide"
    );
    assert!(site.public().join("images/photo.png").is_file());
}

#[test]
fn link_to_a_folder() {
    case(
        "link_to_folder",
        1,
        &["content/page.md:5:32: error: broken link: `images/` does not exist"],
        "did you mean `images/photo.png`?",
    );
    // The link to a section folder itself is fine: only one error.
    let site = Site::fixture("bad_input/link_to_folder");
    let run = site.run(&["check"]);
    assert_eq!(
        run.stderr().matches(": error: ").count(),
        1,
        "{}",
        run.stderr()
    );
}

#[test]
fn missing_image() {
    case(
        "missing_image",
        1,
        &["content/page.md:5:1: error: broken link: `schema.png` does not exist"],
        "put `schema.png` in `content/` (next to the page is simplest): files there are copied with the site",
    );
}

#[test]
fn index_md_beside_index() {
    case(
        "index_beside_index",
        1,
        &["error: `content/_index.md` and `content/index.md` both produce `index.html`"],
        "rename one of them",
    );
}

#[test]
fn names_with_spaces_accents_hash_and_percent() {
    let site = case("special_names", 0, &[], "");
    assert!(site.public().join("ecoute-1.html").is_file());
    assert!(site.public().join("100-sur.html").is_file());
    let doc = site.html("ecoute-1.html");
    assert_eq!(
        select(&doc, "main .content a[href='100-sur.html']").len(),
        1
    );
}

#[test]
fn template_syntax_error() {
    case(
        "template_syntax_error",
        1,
        &["templates/page.html:3:17: error: template error: Found `}}` but expected identifier."],
        "fix the template; see themes/README.md for the variables templates can use",
    );
}

#[test]
fn theme_variable_of_the_wrong_type() {
    case(
        "theme_variable_wrong_type",
        // In mentorbook.yaml: a configuration error.
        2,
        &[
            "mentorbook.yaml:4:3: error: `theme.primary` must be text",
            "mentorbook.yaml:5:3: error: `theme.programme` must be text",
        ],
        "write the text in quotes",
    );
}

#[cfg(unix)]
#[test]
fn unreadable_file_is_reported() {
    // Permissions do not stop root (as in CI): a link to a missing file is unreadable for everyone.
    let site = Site::new();
    site.write("content/a.md", "a");
    std::os::unix::fs::symlink(
        site.path().join("nowhere.md"),
        site.path().join("content/cassé.md"),
    )
    .expect("symlink");
    site.write("public/previous.html", "x");
    let run = site.run(&["build"]).code_is(1).no_panic();
    assert!(
        run.stderr()
            .contains("content/cassé.md: error: cannot read"),
        "{}",
        run.stderr()
    );
    assert!(run.stderr().contains("  help: "), "{}", run.stderr());
    assert_eq!(tree(&site.public()).len(), 1);
}

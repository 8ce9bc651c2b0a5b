//! Bad input, one fixture per case (`tests/fixtures/bad_input/<case>/`): each gives a
//! clear, located message with a fix, the right exit code, and never touches the
//! previous output when the build fails. Inputs too large to keep as files (80 KB
//! of brackets, 1,500 nested folders…) and symbolic links are made by the test in
//! the copy of its fixture.

use crate::support::*;

/// Builds the case into a `public/` that already holds a previous build's file, and
/// checks the outcome. `expected` lines must appear in stderr (location + message),
/// `help` must follow as a `help:` line.
fn case(name: &str, code: i32, expected: &[&str], help: &str) -> Site {
    case_with(name, |_| {}, code, expected, help)
}

/// [`case`], after `prepare` has added to the copy of the fixture what it
/// cannot hold (links, generated text).
fn case_with(
    name: &str,
    prepare: impl FnOnce(&Site),
    code: i32,
    expected: &[&str],
    help: &str,
) -> Site {
    let site = Site::fixture(&format!("bad_input/{name}"));
    prepare(&site);
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
fn keys_swallowed_by_an_unclosed_quote_get_no_warnings_of_their_own() {
    let site = Site::new();
    site.write(
        "content/page.md",
        "---\nlayout: post\ntitle: \"Unclosed\ntags: [a]\nsidebar_position: 2\n---\nText.\n",
    );
    let err = site.run(&["check"]).code_is(1).stderr();
    assert!(
        err.contains("content/page.md:3:8: error: invalid YAML"),
        "{err}"
    );
    assert!(
        err.contains("content/page.md:2:1: warning: `layout`"),
        "a key above is still named: {err}"
    );
    assert!(
        !err.contains("`tags`") && !err.contains("sidebar_position"),
        "{err}"
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
        &["content/page.md:3:9: error: `weight: abc`: `weight` is a whole number"],
        "pages are ordered by weight, smallest first: for example `weight: 2`",
    );
}

#[test]
fn negative_session() {
    case(
        "negative_session",
        1,
        &["content/page.md:4:10: error: `session: -1`: `session` is a whole number from 1"],
        "for example `session: 3`",
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
        "put the file at `content/schema.png`, where the link leads (files of `content/` are copied with the site), or fix the link",
    );
}

#[test]
fn a_broken_link_is_offered_a_file_of_its_kind_never_the_page_itself() {
    let site = Site::new();
    site.write("content/01-demarrer/_index.md", "---\ntitle: Démarrer\n---\n")
        .write(
            "content/01-demarrer/02-confidentialite.md",
            "---\ntitle: Confidentialité\n---\n![Logo](images/logo.png)\n\nVoir [la suite](03-confidentialite.md).\n",
        )
        .write_bytes("content/01-demarrer/images/photo.jpg", b"\xff\xd8\xff");
    let err = site.run(&["check"]).code_is(1).stderr();
    assert!(
        err.contains("broken link: `images/logo.png` does not exist"),
        "{err}"
    );
    assert!(
        err.contains("put the file at `content/01-demarrer/images/logo.png`"),
        "no page, no other kind of file is offered for an image: {err}"
    );
    assert!(
        !err.contains("did you mean `02-confidentialite.md`"),
        "a page is not offered itself: {err}"
    );
    assert!(!err.contains("_index.md"), "{err}");
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
        "fix the template; `mentorbook theme docs` lists the variables templates can use",
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

/// A folder outside the handbook holding a secret file, a folder and templates.
#[cfg(unix)]
fn outside() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let w = |rel: &str, text: &str| {
        let p = dir.path().join(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
    };
    w("secret.md", "# TOP-SECRET-42\n");
    w("secret.txt", "TOP-SECRET-42");
    w("dir/inner.md", "# TOP-SECRET-42\n");
    w(
        "page.html",
        "{% extends \"builtin/page.html\" %}TOP-SECRET-42",
    );
    w(
        "theme/theme.yaml",
        "description: secret\nextends: default\n",
    );
    w("theme/static/x.css", "/* TOP-SECRET-42 */");
    dir
}

#[cfg(unix)]
fn link(site: &Site, target: &std::path::Path, at: &str) {
    let p = site.path().join(at);
    std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
    std::os::unix::fs::symlink(target, p).expect("symlink");
}

/// No file of the output holds the secret.
#[cfg(unix)]
fn nothing_leaked(site: &Site) {
    for (path, bytes) in tree(site.path()) {
        if path.starts_with("public/") || path.starts_with(".public") {
            assert!(
                !String::from_utf8_lossy(&bytes).contains("TOP-SECRET-42"),
                "{path} leaked the secret"
            );
        }
    }
}

const OUTSIDE_HELP: &str = "copy the file or folder into the handbook; or, if you trust where the link leads, set `allow_outside_links: true` in `mentorbook.yaml` (see the README)";

#[cfg(unix)]
#[test]
fn symlink_page_outside() {
    let out = outside();
    let site = case_with(
        "symlink_page_outside",
        |s| link(s, &out.path().join("secret.md"), "content/guide/secret.md"),
        1,
        &["content/guide/secret.md: error: this symbolic link leads outside the handbook"],
        OUTSIDE_HELP,
    );
    nothing_leaked(&site);
}

#[cfg(unix)]
#[test]
fn symlink_folder_outside() {
    let out = outside();
    let site = case_with(
        "symlink_folder_outside",
        |s| link(s, &out.path().join("dir"), "content/guide/linked"),
        1,
        &["content/guide/linked: error: this symbolic link leads outside the handbook"],
        OUTSIDE_HELP,
    );
    let run = site.run(&["check"]);
    assert_eq!(
        run.stderr().matches(": error: ").count(),
        1,
        "one error for the folder, none for its files:\n{}",
        run.stderr()
    );
    nothing_leaked(&site);
}

#[cfg(unix)]
#[test]
fn symlink_asset_outside() {
    let out = outside();
    let site = case_with(
        "symlink_asset_outside",
        |s| link(s, &out.path().join("secret.txt"), "content/guide/notes.txt"),
        1,
        &["content/guide/notes.txt: error: this symbolic link leads outside the handbook"],
        OUTSIDE_HELP,
    );
    nothing_leaked(&site);
}

#[cfg(unix)]
#[test]
fn symlink_static_outside() {
    let out = outside();
    let site = case_with(
        "symlink_static_outside",
        |s| link(s, out.path(), "static"),
        1,
        &["static: error: this symbolic link leads outside the handbook"],
        OUTSIDE_HELP,
    );
    nothing_leaked(&site);
}

#[cfg(unix)]
#[test]
fn symlink_template_outside() {
    let out = outside();
    let site = case_with(
        "symlink_template_outside",
        |s| link(s, &out.path().join("page.html"), "templates/page.html"),
        1,
        &["templates/page.html: error: this symbolic link leads outside the handbook"],
        OUTSIDE_HELP,
    );
    nothing_leaked(&site);
}

#[cfg(unix)]
#[test]
fn symlink_theme_outside() {
    let out = outside();
    let site = case_with(
        "symlink_theme_outside",
        |s| {
            s.write(
                "mentorbook.yaml",
                "title: Cas\nlang: fr\ntheme:\n  name: maison\n",
            );
            link(s, &out.path().join("theme"), "themes/maison");
        },
        1,
        &["themes/maison: error: this symbolic link leads outside the handbook"],
        OUTSIDE_HELP,
    );
    nothing_leaked(&site);
}

#[cfg(unix)]
#[test]
fn symlink_config_outside() {
    let out = outside();
    let site = Site::fixture("bad_input/symlink_config_outside");
    std::fs::write(out.path().join("mentorbook.yaml"), "title: Ailleurs\n").expect("write");
    std::fs::remove_file(site.path().join("mentorbook.yaml")).expect("rm");
    link(
        &site,
        &out.path().join("mentorbook.yaml"),
        "mentorbook.yaml",
    );
    let run = site.run(&["build"]).code_is(2).no_panic();
    assert!(
        run.stderr()
            .contains("mentorbook.yaml: error: this symbolic link leads outside the handbook"),
        "{}",
        run.stderr()
    );
    assert!(!site.public().exists());
}

#[cfg(unix)]
#[test]
fn symlink_into_output_never_grows_the_output() {
    let site = case_with(
        "symlink_into_output",
        |s| link(s, std::path::Path::new("../public"), "content/pub"),
        1,
        &["content/pub: error: this leads into the output folder `public/`: it is not read"],
        "remove the link: the output is made from the handbook, and reading it back would copy it into itself on every build (`allow_outside_links` does not change this)",
    );
    // Even with links allowed out of the handbook, the output stays out of bounds.
    site.write(
        "mentorbook.yaml",
        "title: Cas\nlang: fr\nallow_outside_links: true\n",
    );
    for _ in 0..2 {
        let run = site.run(&["build"]).code_is(1).no_panic();
        assert!(
            run.stderr().contains("content/pub: error"),
            "{}",
            run.stderr()
        );
        assert_eq!(tree(&site.public()).len(), 1, "the output did not grow");
    }
}

#[cfg(unix)]
#[test]
fn symlink_allowed_outside_is_followed_when_opted_in() {
    let out = outside();
    let site = case_with(
        "symlink_allowed_outside",
        |s| link(s, &out.path().join("dir"), "content/guide/linked"),
        0,
        &[],
        "",
    );
    assert_eq!(
        text_of(&site.html("guide/linked/inner.html"), "main h1"),
        "TOP-SECRET-42"
    );
}

#[cfg(unix)]
#[test]
fn symlink_dangling_has_a_true_help() {
    case_with(
        "symlink_dangling",
        |s| link(s, &s.path().join("nowhere.md"), "content/guide/cassé.md"),
        1,
        &["content/guide/cassé.md: error: this symbolic link leads to a file that does not exist"],
        "remove the link, or make it lead to an existing file",
    );
}

#[cfg(unix)]
#[test]
fn symlink_loop_is_reported_not_followed_forever() {
    let site = case_with(
        "symlink_loop",
        |s| link(s, &s.path().join("content/a"), "content/a/boucle"),
        0,
        &["content/a/boucle: warning: symbolic link loop: this folder is skipped"],
        "remove the link, or point it outside its own parent folders",
    );
    assert!(site.public().join("a/page.html").is_file());
}

#[test]
fn yaml_nested_brackets() {
    case_with(
        "yaml_nested_brackets",
        |s| {
            s.write(
                "content/page.md",
                &format!("---\ntitle: A\nextra:\n  x: {}\n---\n", "[".repeat(80_000)),
            );
        },
        1,
        &["content/page.md:4:68: error: the front matter nests more than 64 levels deep here"],
        "flatten the structure: YAML used by mentorbook needs a few levels at most",
    );
}

#[test]
fn front_matter_600kb_builds() {
    let site = case_with(
        "front_matter_600kb",
        |s| {
            let mut fm = String::from("---\ntitle: Grande\nextra:\n");
            for i in 0..24_000 {
                fm.push_str(&format!("  cle{i}: \"une valeur de test\"\n"));
            }
            fm.push_str("---\n\nCorps.\n");
            assert!(fm.len() > 600_000);
            s.write("content/page.md", &fm);
        },
        0,
        &[],
        "",
    );
    assert_eq!(text_of(&site.html("page.html"), "main h1"), "Grande");
}

#[test]
fn block_200kb_is_refused_at_its_line() {
    case_with(
        "block_200kb",
        |s| {
            let body = format!(
                "---\ntitle: Fiche\nkind: worksheet\nsession: 1\n---\n\n```checklist\nitems:\n{}```\n",
                "  - une case à cocher assez longue\n".repeat(6_000)
            );
            s.write("content/fiche.md", &body);
        },
        1,
        &["content/fiche.md:8:1: error: this `checklist` block is 2"],
        "keep long text in the page's body, not in YAML",
    );
}

#[test]
fn block_nested_brackets() {
    case_with(
        "block_nested_brackets",
        |s| {
            let body = format!(
                "---\ntitle: Fiche\nkind: worksheet\nsession: 1\n---\n\n```field\nlabel: {}\n```\n",
                "{".repeat(50_000)
            );
            s.write("content/fiche.md", &body);
        },
        1,
        &["content/fiche.md:8:71: error: this `field` block nests more than 64 levels deep here"],
        "flatten the structure: YAML used by mentorbook needs a few levels at most",
    );
}

#[test]
fn config_nested() {
    case_with(
        "config_nested",
        |s| {
            s.write(
                "mentorbook.yaml",
                &format!("title: Cas\ntheme:\n  x: {}\n", "[".repeat(10_000)),
            );
        },
        2,
        &["mentorbook.yaml:3:68: error: the configuration nests more than 64 levels deep here"],
        "flatten the structure: YAML used by mentorbook needs a few levels at most",
    );
}

#[test]
fn theme_yaml_nested() {
    case_with(
        "theme_yaml_nested",
        |s| {
            s.write(
                "themes/maison/theme.yaml",
                &format!(
                    "description: x\nextends: default\nvariables: {}\n",
                    "{a: ".repeat(1_000)
                ),
            );
        },
        1,
        &["themes/maison/theme.yaml:3:"],
        "flatten the structure: YAML used by mentorbook needs a few levels at most",
    );
}

#[test]
fn ten_thousand_identical_headings() {
    let site = case_with(
        "ten_thousand_headings",
        |s| {
            s.write("content/page.md", &"## Notes\n\nTexte.\n\n".repeat(10_000));
        },
        0,
        &[],
        "",
    );
    let doc = site.html("page.html");
    let ids: std::collections::HashSet<&str> = select(&doc, "main h2")
        .iter()
        .filter_map(|h| h.value().attr("id"))
        .collect();
    assert_eq!(ids.len(), 10_000);
    assert!(ids.contains("notes-9999"));
}

#[test]
fn fifteen_hundred_nested_folders_build() {
    let site = case_with(
        "deep_folders",
        |s| {
            s.write(
                &format!("content/{}page.md", "d/".repeat(1_500)),
                "# Fond\n",
            );
        },
        0,
        &[],
        "",
    );
    let deep = format!("{}page.html", "d/".repeat(1_500));
    let doc = site.html(&deep);
    assert_eq!(text_of(&doc, "main h1"), "Fond");
    let crumbs = select(&doc, ".breadcrumbs li");
    assert!(
        crumbs.len() <= 8,
        "breadcrumbs are bounded: {}",
        crumbs.len()
    );
    // A deep section's print page leads to its place in an enclosing one.
    let redirect = site.html(&format!("{}print.html", "d/".repeat(10)));
    let target = select(&redirect, "a")[0]
        .value()
        .attr("href")
        .expect("href");
    let (file, anchor) = target.split_once('#').expect("an anchor");
    assert_eq!(file, "../../../../../../print.html", "{target}");
    // The anchor is the wrapper of the deep section's index page in that file.
    let up = site.html(&format!("{}print.html", "d/".repeat(4)));
    let wrapper = select(&up, &format!("section#{anchor}"));
    assert_eq!(wrapper.len(), 1, "{target}");
    assert!(
        wrapper[0].html().contains("print-index"),
        "{target}: not a section's index page"
    );
}

#[test]
fn hundred_thousand_unclosed_containers_are_counted() {
    let site = case_with(
        "unclosed_containers",
        |s| {
            s.write("content/page.md", &":::tip\n".repeat(100_000));
        },
        1,
        &[
            "content/page.md:1:1: error: this `:::` block is never closed",
            "… and 99980 more errors like “this `:::` block is never closed”",
        ],
        "add a closing line where the block ends (`:::`, or the fence for ```only)",
    );
    let run = site.run(&["check"]);
    assert!(run.stderr().lines().count() < 50, "bounded output");
}

#[test]
fn many_broken_links_are_counted() {
    let site = case_with(
        "many_broken_links",
        |s| {
            let body: String = (0..20_000)
                .map(|i| format!("[x](nope{i}.md)\n\n"))
                .collect();
            s.write("content/page.md", &body);
        },
        1,
        &[
            "content/page.md:1:1: error: broken link: `nope0.md` does not exist",
            "… and 19980 more errors like",
        ],
        "link to a `.md` file of `content/`, relative to this page",
    );
    assert!(site.run(&["check"]).stderr().lines().count() < 50);
}

#[test]
fn five_megabyte_page_builds() {
    let site = case_with(
        "huge_page",
        |s| {
            let para = "Le mentor écoute ; la personne mentorée avance ! Pourquoi ? Parce que : confiance.\n\n";
            s.write(
                "content/gros.md",
                &para.repeat(5 * 1024 * 1024 / para.len() + 1),
            );
        },
        0,
        &[],
        "",
    );
    let len = std::fs::metadata(site.public().join("gros.html"))
        .expect("exists")
        .len();
    assert!(len > 5_000_000);
}

#[test]
fn ten_thousand_nested_lists_and_quotes() {
    let site = case_with(
        "nested_lists",
        |s| {
            let mut body = String::new();
            for i in 0..10_000 {
                body.push_str(&"  ".repeat(i));
                body.push_str("- x\n");
            }
            s.write("content/profond.md", &body);
            s.write("content/citations.md", &(">".repeat(10_000) + " fin\n"));
        },
        0,
        &[],
        "",
    );
    assert!(site.public().join("profond.html").is_file());
}

const SCRIPT_HELP: &str = "link to a page of the handbook or to an `https://` address instead; `safe_html: true` removes such links";

#[test]
fn javascript_link_warns() {
    let site = case(
        "javascript_link_warns",
        0,
        &[
            "content/liens.md:3:4: warning: `javascript:` link: such addresses run code",
            "content/liens.md:5:5: warning: `data:` image: such addresses run code",
        ],
        SCRIPT_HELP,
    );
    assert_eq!(
        site.run(&["check"]).stderr().matches("warning").count(),
        2,
        "data:image is fine"
    );
    site.run(&["build", "--strict"]).code_is(1);
}

#[test]
fn safe_html_removes_javascript() {
    let site = case(
        "safe_html_removes_javascript",
        0,
        &["content/liens.md:3:4: warning: `javascript:` link removed (`safe_html: true`)"],
        "link to a page of the handbook or to an `https://` address instead",
    );
    let doc = site.html("liens.html");
    assert!(select(&doc, "main a[href^='javascript']").is_empty());
    assert!(select(&doc, "main img[src^='data:text']").is_empty());
    assert_eq!(select(&doc, "main img[src^='data:image/png']").len(), 1);
    assert!(
        text_of(&doc, "main").contains("script"),
        "the link text stays"
    );
}

#[test]
fn file_link_warns() {
    case(
        "file_link_warns",
        0,
        &[
            "content/liens.md:3:4: warning: `file:` link: it opens a file on the reader's own computer",
        ],
        "put the file in `content/` and link to it by its path relative to the page",
    );
}

#[test]
fn protocol_relative_link_warns() {
    case(
        "protocol_relative_link_warns",
        0,
        &["content/liens.md:3:4: warning: `//` link: it takes the protocol of the page"],
        "write the full address, starting with `https:`",
    );
}

#[test]
fn raw_html_javascript_warns() {
    case(
        "raw_html_javascript_warns",
        0,
        &[
            "content/liens.md:5:1: warning: `javascript:` link: such addresses run code or open content made by the address itself (`javascript:voler()`)",
        ],
        SCRIPT_HELP,
    );
}

#[test]
fn vbscript_link_warns() {
    case(
        "vbscript_link_warns",
        0,
        &["content/liens.md:3:1: warning: `vbscript:` link"],
        SCRIPT_HELP,
    );
}

#[test]
fn typography_leaves_inline_script_code_and_kbd_alone() {
    let site = case("typography_inline_script", 0, &[], "");
    let html = std::fs::read_to_string(site.public().join("page.html")).expect("read");
    assert!(
        html.contains("<script>var a = {b: 1}; if (a) { x = \"ok ?\"; }</script>"),
        "{html}"
    );
    let doc = site.html("page.html");
    assert_eq!(text_of(&doc, "main code"), "a : b");
    assert_eq!(text_of(&doc, "main kbd"), "Ctrl : C");
    assert!(
        text_of(&doc, "main .content p").starts_with("Avant\u{202f}:"),
        "text around is still French"
    );
}

#[test]
fn heading_id_reserved() {
    case(
        "heading_id_reserved",
        1,
        &[
            "content/page.md:3:1: error: the heading id `mb-main` is reserved: ids starting with `mb-` belong to the theme",
        ],
        "choose another id in `{#…}`, without the `mb-` prefix",
    );
}

#[test]
fn heading_text_like_a_theme_id_gets_another_id() {
    let site = case("heading_text_like_theme_id", 0, &[], "");
    let doc = site.html("page.html");
    assert_eq!(select(&doc, "#mb-main").len(), 1, "only the theme's");
    assert_eq!(select(&doc, "main h2#mb-main-1").len(), 1);
}

#[test]
fn config_invalid_utf8() {
    case_with(
        "config_invalid_utf8",
        |s| {
            s.write_bytes("mentorbook.yaml", b"title: Caf\xe9\nlang: fr\n");
        },
        2,
        &["mentorbook.yaml:1:11: error: this file is not valid UTF-8"],
        "save `mentorbook.yaml` with the UTF-8 encoding in your editor",
    );
}

#[test]
fn calendar_year_9999() {
    case(
        "calendar_year_9999",
        2,
        &[
            "mentorbook.yaml:6:3: error: `programme.start` 9999-12-31: every session must fall between the years 1000 and 9999",
        ],
        "write the date the programme really starts, for example `start: 2027-01-11`",
    );
}

#[test]
fn front_matter_error_gives_no_false_broken_links() {
    let site = case(
        "front_matter_error_no_false_broken_link",
        1,
        &["content/casse.md:3:9: error: `weight: beaucoup`: `weight` is a whole number"],
        "pages are ordered by weight, smallest first: for example `weight: 2`",
    );
    let run = site.run(&["check"]);
    assert_eq!(
        run.stderr().matches(": error: ").count(),
        1,
        "{}",
        run.stderr()
    );
}

#[test]
fn toml_front_matter() {
    case(
        "toml_front_matter",
        1,
        &["content/page.md:2:14: error: invalid TOML: invalid basic string, expected `\"`"],
        "see the front matter keys in the README",
    );
}

#[test]
fn config_unknown_key() {
    case(
        "config_unknown_key",
        2,
        &["mentorbook.yaml:3:1: error: unknown key `theeme`"],
        "did you mean `theme`?",
    );
}

#[test]
fn config_bad_base_url() {
    case(
        "config_bad_base_url",
        2,
        &[
            "mentorbook.yaml:3:1: error: `base_url` must be an absolute URL, got `intranet/mentorat`",
        ],
        "for example `base_url: https://intranet.example.org/mentorat/`",
    );
}

#[test]
fn config_bad_paper() {
    case(
        "config_bad_paper",
        2,
        &[
            "mentorbook.yaml:3:8: error: `paper`: `a5` is no paper size mentorbook knows: write `a4` or `letter`",
        ],
        "the keys of `mentorbook.yaml` and their values are listed in the README",
    );
}

#[test]
fn config_tab_indent() {
    case(
        "config_tab_indent",
        2,
        &["mentorbook.yaml:3:1: error: invalid YAML"],
        "YAML indentation must use spaces, not tabs",
    );
}

#[test]
fn unknown_theme_is_one_error() {
    let site = case(
        "unknown_theme",
        2,
        &["mentorbook.yaml:4:3: error: unknown theme `inexistant`"],
        "themes: corporate, default; or create `themes/inexistant/`",
    );
    assert_eq!(
        site.run(&["check"]).stderr().matches(": error: ").count(),
        1
    );
}

#[test]
fn unknown_block_kind() {
    case(
        "unknown_block_kind",
        1,
        &["content/fiche.md:7:4: error: unknown worksheet block `feild`"],
        "did you mean `field`? Block kinds: field, box, scale, checklist, signature, table",
    );
}

#[test]
fn block_bad_yaml() {
    case(
        "block_bad_yaml",
        1,
        &[
            "content/fiche.md:8:8: error: in `field` block: invalid YAML: found unexpected end of stream",
        ],
        "check that every quote is closed on the same line",
    );
}

#[test]
fn block_unknown_key() {
    case(
        "block_unknown_key",
        1,
        &["content/fiche.md:9:1: error: in `field` block: unknown key `lignes`"],
        "did you mean `lines:`? A `field` takes `label:` (text), `lines:` (1–30) and an optional `help:`",
    );
}

#[test]
fn block_values_are_told_as_written_all_in_one_run() {
    case_with(
        "block_unknown_key",
        |s| {
            s.write(
                "content/fiche.md",
                "---\ntitle: Fiche\nkind: worksheet\nsession: 1\n---\n\n```table\ncolumns: [A, B]\nrows: trois\n```\n\n```signature\nsigners: []\n```\n\n```checklist\nitem:\n  - a\n```\n\n```field\nlabel: A\nlines: 1.5\n```\n\n```field\nlabel: B\nlines:\n```\n",
            );
        },
        1,
        &[
            "content/fiche.md:9:7: error: in `table` block: `rows: trois`: expected a whole number (0 or more)",
            "content/fiche.md:13:1: error: in `signature` block: `signers:` lists no one",
            "content/fiche.md:17:1: error: in `checklist` block: unknown key `item`",
            "help: did you mean `items:`? A `checklist` takes",
            "in `field` block: `lines: 1.5`: expected",
            "in `field` block: `lines:` has no value: expected",
        ],
        "list who signs (`signers: [Mentor, Personne mentorée]`), or leave out `signers:` for the mentor and the mentee",
    );
}

#[test]
fn table_too_many_columns() {
    case(
        "table_too_many_columns",
        1,
        &[
            "content/fiche.md:8:1: error: in `table` block: `columns` must be between 1 and 10, got 12",
        ],
        "a `table` takes `columns:` (a list), `rows:` (1–30) and an optional `label:`",
    );
}

#[test]
fn broken_anchor() {
    case(
        "broken_anchor",
        1,
        &["content/b.md:3:6: error: broken anchor: `#ecoutee` not found in `content/a.md`"],
        "did you mean `#ecoute`?",
    );
}

#[test]
fn broken_link_suggestion() {
    case(
        "broken_link_suggestion",
        1,
        &["content/b.md:3:6: error: broken link: `postrue.md` does not exist"],
        "did you mean `posture.md`?",
    );
}

#[test]
fn link_outside_content() {
    case(
        "link_outside_content",
        1,
        &[
            "content/b.md:3:6: error: broken link: `../../README.md` leads outside the handbook folder",
        ],
        "link to pages and files inside the handbook, or write a full address (`https://…`)",
    );
}

#[test]
fn link_to_draft() {
    case(
        "link_to_draft",
        1,
        &[
            "content/b.md:3:6: error: link `brouillon.md` points to a draft page, which is not built",
        ],
        "remove `draft: true` from that page, or build with `--drafts`",
    );
}

#[test]
fn unknown_container_kind() {
    case(
        "unknown_container_kind",
        0,
        &["content/page.md:3:1: warning: unknown container kind `astuce`, shown as a note"],
        "use one of: note, tip, info, important, warning, caution, danger, or `only mentor`",
    );
}

#[test]
fn only_unknown_audience() {
    case(
        "only_unknown_audience",
        1,
        &["content/page.md:3:1: error: unknown audience `parents` in an `only` block"],
        "write `only mentor`, `only mentee` or `only lead` (several separated by spaces)",
    );
}

#[test]
fn only_without_audience() {
    case(
        "only_without_audience",
        1,
        &["content/page.md:3:1: error: an `only` block needs an audience"],
        "write `only mentor`, `only mentee` or `only lead`",
    );
}

#[test]
fn kind_unknown() {
    case(
        "kind_unknown",
        1,
        &["content/page.md:3:7: error: `kind: fiche` is not a kind of page"],
        "did you mean `kind: worksheet`? (`kind` is one of `page`, `worksheet`)",
    );
}

#[test]
fn audience_unknown() {
    case(
        "audience_unknown",
        1,
        &["content/page.md:3:11: error: `audience: parents` is not an audience"],
        "`audience` is one of `mentor`, `mentee`, `lead`, `all`",
    );
}

#[test]
fn permalink_key() {
    case(
        "permalink_key",
        0,
        &[
            "content/page.md:3:1: warning: `permalink: /:categories/:title/` uses placeholders, which mentorbook does not fill in",
        ],
        "the page keeps the path of its file; write the path itself (`/guide/ecoute/`) to keep the old URL",
    );
}

#[test]
fn docusaurus_key_ignored() {
    case(
        "docusaurus_key_ignored",
        0,
        &[
            "content/page.md:3:1: warning: `hide_table_of_contents` (Docusaurus) is not used by mentorbook",
        ],
        "remove the key, or move it under `extra:` for a theme (the old tool still reads it where it is)",
    );
}

#[test]
fn utf16_odd_length() {
    case_with(
        "utf16_odd_length",
        |s| {
            s.write_bytes("content/page.md", &[0xFF, 0xFE, b'#', 0, b' ']);
        },
        1,
        &[
            "content/page.md:1:1: error: this file starts with a UTF-16 byte-order mark but is not valid UTF-16",
        ],
        "save the file with the UTF-8 encoding in your editor",
    );
}

#[test]
fn programme_unknown_key() {
    case(
        "programme_unknown_key",
        2,
        &["mentorbook.yaml:5:3: error: unknown key `programme.rythme`"],
        "did you mean `rhythm`?",
    );
}

#[test]
fn programme_sessions_out_of_range() {
    case(
        "programme_sessions_out_of_range",
        2,
        &["mentorbook.yaml:4:3: error: `programme.sessions` must be between 1 and 24, got 40"],
        "six sessions are recommended",
    );
}

#[test]
fn language_code_invalid() {
    case(
        "language_code_invalid",
        2,
        &["mentorbook.yaml:4:3: error: a language is written as a code such as `en` or `pt-BR`"],
        "languages:",
    );
}

#[test]
fn language_name_instead_of_code() {
    case(
        "language_name_not_code",
        2,
        &[
            "mentorbook.yaml:2:1: error: `lang: Français`: a language is written as a code such as `fr`, `en` or `pt-BR`",
        ],
        "write `lang: fr`",
    );
}

#[test]
fn reserved_output_name() {
    case(
        "reserved_output_name",
        1,
        &[
            "content/print.md: error: this would be written to `print.html`, which mentorbook generates (a print page)",
        ],
        "rename the file, or give the page a different `slug:`; generated names are listed in the README (Output)",
    );
}

#[test]
fn static_file_replacing_a_generated_one() {
    // `static/` may replace the theme's files (its `custom.css` is no error), not
    // what mentorbook generates: each such file is an error of its own.
    let site = case(
        "static_replaces_generated",
        1,
        &[
            "static/search-index.js: error: this file would replace `search-index.js`, which mentorbook generates (the search index)",
            "static/print.html: error: this file would replace `print.html`, which mentorbook generates (a print page)",
        ],
        "rename or move the file: files of `static/` may replace the theme's files, not generated ones (listed in the README, Output)",
    );
    site.run(&["check"]).code_is(1);
}

#[test]
fn site_i18n_bad_yaml() {
    case(
        "site_i18n_bad_yaml",
        1,
        &["themes/maison/i18n/fr.yaml:1:7: error: invalid YAML: found unexpected end of stream"],
        "check that every quote is closed on the same line",
    );
}

#[test]
fn front_matter_only_and_blank_files_build() {
    let site = case("front_matter_only_and_blank", 0, &[], "");
    assert_eq!(
        text_of(&site.html("entete.html"), "main h1"),
        "Seulement l’en-tête"
    );
    assert_eq!(text_of(&site.html("blanc.html"), "main h1"), "Blanc");
}

/// The suite holds at least 60 cases, each with its fixture.
#[test]
fn the_suite_has_a_fixture_per_case() {
    let dir = repo_root().join("tests/fixtures/bad_input");
    let fixtures: Vec<String> = std::fs::read_dir(&dir)
        .expect("fixtures")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert!(fixtures.len() >= 60, "{} fixtures", fixtures.len());
    let me = std::fs::read_to_string(repo_root().join("tests/it/bad_input.rs")).expect("read");
    for f in &fixtures {
        assert!(
            me.contains(&format!("\"{f}\"")) || me.contains(&format!("\"bad_input/{f}\"")),
            "fixture `{f}` has no test"
        );
    }
}

#[test]
fn names_with_spaces_accents_and_symbols_link_and_copy() {
    let site = case("names_with_spaces", 0, &[], "");
    assert!(site.public().join("ecoute-active.html").is_file());
    assert!(site.public().join("mon-fichier-1.html").is_file());
    assert!(site.public().join("photo d'été.png").is_file());
    let broken = crawl(&site.public(), &["404.html"]);
    assert!(broken.is_empty(), "{broken:?}");
}

#[test]
fn every_wrong_value_of_the_configuration_in_one_run() {
    // An unknown key, a wrong paper, a wrong boolean and two wrong programme values:
    // five mistakes, all in one run, each at its line (`A4`, as most people write
    // it, is no mistake).
    let site = Site::new();
    site.write(
        "mentorbook.yaml",
        "titel: Guide\nlang: fr\npaper: A5\nsearch: peut-être\nprogramme:\n  sessions: six\n  rhythm: mensuel\n",
    )
    .write("content/_index.md", "---\ntitle: Accueil\n---\n");
    let err = site.run(&["check"]).code_is(2).stderr();
    for e in [
        "mentorbook.yaml:1:1: error: unknown key `titel`",
        "mentorbook.yaml:3:8: error: `paper`: `A5` is no paper size mentorbook knows: write `a4` or `letter`",
        "mentorbook.yaml:4:9: error: `search`: invalid type: string \"peut-être\", expected true or false",
        "mentorbook.yaml:6:3: error: `programme.sessions`: invalid type: string \"six\", expected a whole number (0 or more)",
        "mentorbook.yaml:7:3: error: `programme.rhythm`: unknown variant `mensuel`",
    ] {
        assert!(err.contains(e), "missing `{e}` in:\n{err}");
    }
    assert!(err.contains("error: 5 errors found"), "{err}");
    site.write("mentorbook.yaml", "title: Guide\nlang: fr\npaper: A4\n");
    site.run(&["check"]).success();
}

#[test]
fn a_wrong_configuration_value_does_not_hide_the_content_s_errors() {
    let site = Site::new();
    site.write("mentorbook.yaml", "title: Guide\nlang: fr\npaper: A5\n")
        .write(
            "content/_index.md",
            "---\ntitle: Accueil\n---\n[la suite](manque.md)\n",
        )
        .write("content/b.md", "---\ntitle: B\nweight: beaucoup\n---\n")
        .write("public/previous.html", "<p>previous build</p>");
    for cmd in ["check", "build"] {
        let err = site.run(&[cmd]).code_is(2).no_panic().stderr();
        for e in [
            "mentorbook.yaml:3:8: error: `paper`",
            "content/_index.md:4:1: error: broken link: `manque.md` does not exist",
            "content/b.md:3:9: error: `weight: beaucoup`",
        ] {
            assert!(err.contains(e), "{cmd}: missing `{e}` in:\n{err}");
        }
        assert!(err.contains("error: 3 errors found"), "{cmd}: {err}");
    }
    let out = tree(&site.public());
    assert_eq!(
        out.len(),
        1,
        "nothing written: {:?}",
        out.keys().collect::<Vec<_>>()
    );
    let json = site.run(&["check", "--format", "json"]).code_is(2).stdout();
    assert!(
        json.contains("manque.md") && json.contains("paper"),
        "{json}"
    );
}

#[test]
fn two_pages_of_a_section_with_one_title_are_a_warning() {
    let site = Site::new();
    site.write("mentorbook.yaml", "title: Guide\nlang: fr\n")
        .write("content/_index.md", "---\ntitle: Accueil\n---\n")
        .write("content/guide/_index.md", "---\ntitle: Guide\n---\n")
        .write("content/guide/a.md", "---\ntitle: Bienvenue\n---\nA.\n")
        .write("content/guide/b.md", "# Bienvenue\n\nB.\n")
        .write("content/autre/_index.md", "---\ntitle: Autre\n---\n")
        .write(
            "content/autre/c.md",
            "---\ntitle: Bienvenue\n---\nC, ailleurs.\n",
        );
    for cmd in ["check", "build"] {
        let err = site.run(&[cmd]).success().stderr();
        assert!(
            err.contains("content/guide/b.md:1:1: warning: `content/guide/a.md` has the title “Bienvenue” too"),
            "{cmd}: {err}"
        );
        assert_eq!(
            err.matches("has the title").count(),
            1,
            "another section may: {err}"
        );
    }
}

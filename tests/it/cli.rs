//! The command line: init, new, config discovery, exit codes.

use crate::support::*;

#[test]
fn init_creates_a_handbook_that_builds() {
    let dir = tempfile::tempdir().expect("tmp");
    let target = dir.path().join("guide");
    let dir_str = target.to_str().expect("utf8");
    run_in(dir.path(), &["init", dir_str], &[]).success();
    run_in(&target, &["build", "--strict"], &[]).success();
    assert!(target.join("public/index.html").is_file());
}

#[test]
fn init_refuses_a_non_empty_folder() {
    let site = Site::new();
    let run = site.run(&["init", "."]).code_is(2);
    assert!(run.stderr().contains("is not empty"), "{}", run.stderr());
}

#[test]
fn new_page_and_worksheet_get_front_matter_and_build() {
    let site = Site::new();
    site.write("content/01-guide/01-intro.md", "intro");
    site.run(&["new", "page", "L'écoute active", "--section", "01-guide"])
        .success();
    assert!(
        site.path()
            .join("content/01-guide/02-l-ecoute-active.md")
            .is_file()
    );
    site.run(&[
        "new",
        "worksheet",
        "Séance 1",
        "--section",
        "02-fiches",
        "--session",
        "1",
    ])
    .success();
    let ws = std::fs::read_to_string(site.path().join("content/02-fiches/01-seance-1.md"))
        .expect("read");
    assert!(
        ws.contains("kind: worksheet") && ws.contains("session: 1"),
        "{ws}"
    );
    site.build();
    assert!(site.public().join("guide/l-ecoute-active.html").is_file());
}

#[test]
fn new_finds_sections_by_name_and_never_makes_a_handbook_that_does_not_build() {
    let site = Site::new();
    site.write("content/_index.md", "---\ntitle: Accueil\n---\n")
        .write("content/02-fiches/_index.md", "---\ntitle: Fiches\n---\n");
    // `fiches` is the folder `02-fiches`.
    let run = site
        .run(&["new", "page", "Posture", "--section", "fiches"])
        .success();
    assert!(
        site.path()
            .join("content/02-fiches/01-posture.md")
            .is_file(),
        "{}",
        run.stdout()
    );
    assert!(!site.path().join("content/fiches").exists());
    // The same title twice, a reserved name, a generated folder: refused, nothing written.
    for (args, said) in [
        (
            &["new", "worksheet", "Posture", "--section", "fiches"][..],
            "`content/02-fiches/01-posture.md` already makes `posture.html`",
        ),
        (
            &["new", "page", "Print"][..],
            "would be written to `print.html`",
        ),
        (
            &["new", "page", "Timeline"][..],
            "would be written to `timeline.html`, a file mentorbook generates",
        ),
        (
            &["new", "page", "Index", "--section", "fiches"][..],
            "would be written to `index.html`, the page of its section",
        ),
        (
            &["new", "page", "A", "--section", "worksheets"][..],
            "a section `worksheets` would be written to `worksheets/`",
        ),
    ] {
        let err = site.run(args).code_is(2).stderr();
        assert!(err.contains(said), "{args:?}: {err}");
    }
    assert!(!site.path().join("content/worksheets").exists());
    // A new section gets its page, with a title to edit; new folders at any depth too.
    let out = site
        .run(&[
            "new",
            "page",
            "Bienvenue",
            "--section",
            "03-bien-demarrer/jour-un",
        ])
        .success()
        .stdout();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(
        lines[2].ends_with("content/03-bien-demarrer/jour-un/01-bienvenue.md"),
        "the page comes last: {out}"
    );
    let index = std::fs::read_to_string(site.path().join("content/03-bien-demarrer/_index.md"))
        .expect("the new section's page");
    assert!(index.contains("title: \"Bien demarrer\""), "{index}");
    assert!(
        site.path()
            .join("content/03-bien-demarrer/jour-un/_index.md")
            .is_file()
    );
    site.run(&["check", "--strict"]).success();
    site.build();
}

#[test]
fn config_is_found_from_a_subfolder() {
    let site = Site::new();
    site.write("content/sous/a.md", "a");
    run_in(&site.path().join("content/sous"), &["check"], &[]).success();
}

#[test]
fn no_config_is_a_usage_error() {
    let dir = tempfile::tempdir().expect("tmp");
    let run = run_in(dir.path(), &["build"], &[]).code_is(2);
    assert!(run.stderr().contains("mentorbook init"), "{}", run.stderr());
}

#[test]
fn refuses_to_write_over_the_sources() {
    let site = Site::new();
    site.write("content/a.md", "a");
    let run = site.run(&["build", "--out", "content"]).code_is(2);
    assert!(run.stderr().contains("refusing"), "{}", run.stderr());
    assert!(site.path().join("content/a.md").is_file());
}

#[test]
fn command_line_definitions_are_consistent() {
    use clap::CommandFactory;
    mentorbook::cli::Cli::command().debug_assert();
}

#[test]
fn new_worksheets_go_where_the_worksheets_are() {
    // `--section seances` is the nested `05-fiches/02-seances`, not a new top-level
    // section; a worksheet without `--section` joins the handbook's session sheets.
    let site = Site::sample();
    site.run(&[
        "new",
        "worksheet",
        "Bilan intermédiaire",
        "--section",
        "seances",
    ])
    .success();
    let seances = site.path().join("content/05-fiches/02-seances");
    assert!(seances.join("08-bilan-intermediaire.md").is_file());
    assert!(!site.path().join("content/seances").exists());
    site.run(&["new", "worksheet", "Séance bonus", "--session", "6"])
        .success();
    assert!(seances.join("09-seance-bonus.md").is_file());
    // A name that two folders have is a question, not a guess.
    site.write(
        "content/01-comprendre/seances/_index.md",
        "---\ntitle: Séances\n---\n",
    );
    let err = site
        .run(&["new", "page", "X", "--section", "seances"])
        .code_is(2)
        .stderr();
    assert!(
        err.contains("`01-comprendre/seances`") && err.contains("`05-fiches/02-seances`"),
        "{err}"
    );
    std::fs::remove_dir_all(site.path().join("content/01-comprendre/seances")).expect("rm");
    // (Not `--strict`: the new French sheets have no English twin yet.)
    site.run(&["check"]).success();
}

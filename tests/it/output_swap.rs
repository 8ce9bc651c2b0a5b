//! The output swap under kills: a build stopped at any step of writing its
//! output leaves the complete old or the complete new output, and the next
//! build removes what it left behind.
//!
//! Builds are stopped with the `MENTORBOOK_TEST_ABORT_AT=<step>` hook (see
//! `src/fs.rs`), which aborts the process at that exact step as a kill would:
//! deterministic, no timing. `MENTORBOOK_TEST_SWAP=rename` forces the
//! two-rename fallback used where the one-step exchange is unavailable.

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::path::Path;

use crate::support::*;

type Tree = BTreeMap<String, Vec<u8>>;

/// Steps a replacement of an existing output reaches with the one-step exchange.
const EXCHANGE_STEPS: [&str; 6] = [
    "locked",
    "swept",
    "staging-created",
    "staged",
    "exchanged",
    "removed",
];
/// Steps it reaches with the two-rename fallback.
const RENAME_STEPS: [&str; 7] = [
    "locked",
    "swept",
    "staging-created",
    "staged",
    "moved-aside",
    "moved-in",
    "removed",
];

/// The handbook at version 1 or 2: different files and different text.
fn write_version(site: &Site, v: u8) {
    let _ = std::fs::remove_dir_all(site.path().join("content"));
    site.write("content/_index.md", &format!("# Accueil v{v}\n"));
    site.write("content/commun.md", &format!("# Commun\n\nVersion {v}.\n"));
    site.write(&format!("content/v{v}.md"), &format!("# Seulement v{v}\n"));
}

/// The output a clean build of version `v` writes.
fn reference(site: &Site, v: u8) -> Tree {
    write_version(site, v);
    let out = tempfile::tempdir().expect("reference dir");
    let out_arg = out.path().join("public").to_string_lossy().into_owned();
    site.run(&["build", "--out", &out_arg]).success();
    tree(&out.path().join("public"))
}

/// Names beside the output that are leftovers of a replacement.
fn leftovers(site: &Site) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(site.path())
        .expect("read site")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public."))
        .collect();
    names.sort();
    names
}

/// Runs `build` with the abort hook at `step`; asserts the hook fired.
fn killed_build(site: &Site, step: &str, method: &str) {
    let run = run_in(
        site.path(),
        &["build"],
        &[
            ("MENTORBOOK_TEST_ABORT_AT", OsStr::new(step)),
            ("MENTORBOOK_TEST_SWAP", OsStr::new(method)),
        ],
    );
    assert!(
        !run.0.status.success(),
        "{method}/{step}: the build was not stopped:\n{}",
        run.stderr()
    );
    assert!(
        run.stderr()
            .contains(&format!("test hook: aborting at `{step}`")),
        "{method}/{step}: not stopped by the hook:\n{}",
        run.stderr()
    );
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(run.0.status.signal(), Some(6), "{method}/{step}: SIGABRT");
    }
}

/// The one complete output left: `public/`, or the moved-aside copy when a
/// two-rename swap was stopped between its renames.
fn complete_output(site: &Site, step: &str) -> Tree {
    let public = site.public();
    if public.exists() {
        return tree(&public);
    }
    assert_eq!(step, "moved-aside", "`public/` is missing after `{step}`");
    let aside: Vec<String> = leftovers(site)
        .into_iter()
        .filter(|n| n.starts_with(".public.old-"))
        .collect();
    assert_eq!(aside.len(), 1, "{aside:?}");
    tree(&site.path().join(&aside[0]))
}

fn assert_tree(got: &Tree, want: &Tree, what: &str) {
    let got_names: Vec<&String> = got.keys().collect();
    let want_names: Vec<&String> = want.keys().collect();
    assert_eq!(got_names, want_names, "{what}: not the same files");
    assert!(got == want, "{what}: same files, different bytes");
}

fn kill_at_every_step(method: &str, steps: &[&str]) {
    let site = Site::new();
    let (old, new) = (reference(&site, 1), reference(&site, 2));
    assert_ne!(old, new);
    for step in steps {
        write_version(&site, 1);
        site.build();
        assert_tree(&tree(&site.public()), &old, "before");
        write_version(&site, 2);
        killed_build(&site, step, method);
        let left = complete_output(&site, step);
        let expected = if ["exchanged", "moved-in", "removed"].contains(step) {
            &new
        } else {
            &old
        };
        assert_tree(&left, expected, &format!("{method}, killed at `{step}`"));
        site.build();
        assert_tree(
            &tree(&site.public()),
            &new,
            &format!("{method}: after `{step}`"),
        );
        assert_eq!(
            leftovers(&site),
            Vec::<String>::new(),
            "{method}: after `{step}`"
        );
    }
}

#[test]
fn a_build_killed_at_any_step_of_the_one_step_swap_leaves_a_complete_output() {
    kill_at_every_step("exchange", &EXCHANGE_STEPS);
}

#[test]
fn a_build_killed_at_any_step_of_the_two_rename_swap_leaves_a_complete_output() {
    kill_at_every_step("rename", &RENAME_STEPS);
}

#[test]
fn a_first_build_killed_before_its_output_is_in_leaves_nothing_behind() {
    let site = Site::new();
    let new = reference(&site, 2);
    for step in ["staged", "moved-in"] {
        let _ = std::fs::remove_dir_all(site.public());
        killed_build(&site, step, "exchange");
        if step == "moved-in" {
            assert_tree(
                &tree(&site.public()),
                &new,
                "first build, killed at `moved-in`",
            );
        } else {
            assert!(!site.public().exists(), "no output before `moved-in`");
        }
        site.build();
        assert_tree(&tree(&site.public()), &new, "next build");
        assert_eq!(leftovers(&site), Vec::<String>::new());
    }
}

#[test]
fn the_next_build_moves_back_an_output_left_aside_even_if_killed_itself() {
    let site = Site::new();
    let (old, new) = (reference(&site, 1), reference(&site, 2));
    write_version(&site, 1);
    site.build();
    write_version(&site, 2);
    killed_build(&site, "moved-aside", "rename");
    assert!(!site.public().exists());
    // The next build is killed too, just after putting the old output back,
    // then once more after sweeping: the old output stays whole each time.
    killed_build(&site, "restored", "exchange");
    assert_tree(&tree(&site.public()), &old, "killed at `restored`");
    killed_build(&site, "swept", "exchange");
    assert_tree(&tree(&site.public()), &old, "killed at `swept`");
    assert_eq!(leftovers(&site), Vec::<String>::new());
    site.build();
    assert_tree(&tree(&site.public()), &new, "last build");
}

#[test]
fn leftovers_of_killed_builds_do_not_pile_up() {
    let site = Site::new();
    write_version(&site, 1);
    site.build();
    for step in ["staging-created", "staged", "exchanged"] {
        killed_build(&site, step, "exchange");
    }
    assert!(!leftovers(&site).is_empty(), "killed builds left folders");
    // Not ours: other names beside the output are never touched.
    site.write(".public-notes/keep.txt", "mine");
    site.write(".publicx.old-1-0/keep.txt", "mine");
    site.build();
    assert_eq!(leftovers(&site), Vec::<String>::new());
    assert!(site.path().join(".public-notes/keep.txt").exists());
    assert!(site.path().join(".publicx.old-1-0/keep.txt").exists());
    assert!(Path::new(&site.public()).join("index.html").exists());
}

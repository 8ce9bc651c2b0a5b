//! The build session behind `serve`: after each change, a partial rebuild gives
//! exactly what a complete build gives (pages, print files, worksheet index,
//! diagnostics), and only the changed pages are rendered again.

use mentorbook::config::Config;
use mentorbook::site::session::{Scope, Session, Work};
use mentorbook::site::{BuildOptions, Built, OutFile, render_site};

use super::*;

fn bytes(f: &OutFile) -> Vec<u8> {
    f.bytes().expect("read output file").into_owned()
}

fn assert_same(partial: &Built, full: &Built, step: &str) {
    let a: Vec<&str> = partial.output.files.keys().map(|k| k.as_str()).collect();
    let b: Vec<&str> = full.output.files.keys().map(|k| k.as_str()).collect();
    assert_eq!(a, b, "{step}: not the same files");
    for (k, f) in &full.output.files {
        assert!(
            bytes(&partial.output.files[k]) == bytes(f),
            "{step}: `{k}` differs from a complete build"
        );
    }
    assert_eq!(partial.warnings, full.warnings, "{step}: warnings differ");
}

fn full_build(site: &Site) -> Built {
    let config = Config::load(site.path()).expect("config");
    render_site(&config, &BuildOptions::default()).expect("complete build")
}

fn edit(site: &Site, rel: &str, f: impl FnOnce(String) -> String) {
    let p = site.path().join(rel);
    let text = std::fs::read_to_string(&p).expect("read");
    std::fs::write(&p, f(text)).expect("write");
}

#[test]
fn body_edits_rerender_only_their_pages_and_match_a_complete_build() {
    let site = Site::sample_french();
    let root = site.path().canonicalize().expect("root");
    let mut session = Session::new(root, BuildOptions::default());
    let first = session.build(Scope::Everything);
    assert_eq!(first.work, Work::Full);
    assert_same(
        first.result.as_ref().expect("first build"),
        &full_build(&site),
        "first build",
    );

    // A page's body: only that page is rendered again (and the print files).
    edit(&site, "content/02-relation/01-posture.md", |t| {
        t + "\nUn paragraphe ajouté, avec un [lien](02-ecoute-active.md).\n"
    });
    let b = session.build(Scope::Content);
    assert_eq!(b.work, Work::Pages(1));
    let built = b.result.expect("partial build");
    assert_same(&built, &full_build(&site), "body edit");
    let print = String::from_utf8(bytes(&built.output.files["print.html"])).expect("utf-8");
    assert!(print.contains("Un paragraphe ajouté"), "print.html follows");

    // Two bodies at once, one of them a worksheet with a write-in block.
    edit(&site, "content/05-fiches/02-seances/01-seance-1.md", |t| {
        t + "\n```field\nlabel: Nouvelle question\nlines: 2\n```\n"
    });
    edit(&site, "content/01-comprendre/01-definition.md", |t| {
        t + "\n## Nouvelle section {#nouvelle}\n\nTexte.\n"
    });
    let b = session.build(Scope::Content);
    assert_eq!(b.work, Work::Pages(2));
    assert_same(
        &b.result.expect("partial build"),
        &full_build(&site),
        "two bodies",
    );

    // A broken anchor appears in a body, then is fixed: errors follow.
    edit(&site, "content/01-comprendre/01-definition.md", |t| {
        t + "\nVoir [ailleurs](03-formes.md#nulle-part).\n"
    });
    let b = session.build(Scope::Content);
    let err = b.result.expect_err("broken anchor");
    assert!(err.to_string().contains("#nulle-part"), "{err}");
    edit(&site, "content/01-comprendre/01-definition.md", |t| {
        t.replace("03-formes.md#nulle-part", "03-formes.md")
    });
    let b = session.build(Scope::Content);
    assert_eq!(b.work, Work::Pages(1));
    assert_same(
        &b.result.expect("fixed"),
        &full_build(&site),
        "fixed anchor",
    );

    // A title change is not a body change: every page is rendered again.
    edit(&site, "content/02-relation/01-posture.md", |t| {
        t.replacen("title: La posture du mentor", "title: La posture", 1)
    });
    let b = session.build(Scope::Content);
    assert_eq!(b.work, Work::AllPages);
    assert_same(&b.result.expect("title"), &full_build(&site), "title edit");

    // A page becomes a worksheet in place (same lines, same body): its blocks now
    // carry their lines, as in a complete build.
    edit(&site, "content/02-relation/01-posture.md", |t| {
        t.replacen("audience: mentor", "kind: worksheet", 1)
    });
    let b = session.build(Scope::Content);
    let built = b.result.expect("kind");
    assert_same(&built, &full_build(&site), "kind edit");
    let page =
        String::from_utf8(bytes(&built.output.files["relation/posture.html"])).expect("utf-8");
    assert!(
        page.contains("data-mb-line="),
        "a worksheet's blocks are marked"
    );

    // Nothing changed in content: nothing is rendered, the output is the same.
    let b = session.build(Scope::Content);
    assert_eq!(b.work, Work::Pages(0));
    assert_same(
        &b.result.expect("no change"),
        &full_build(&site),
        "no change",
    );

    // The configuration changed behind the watcher's back: complete build.
    edit(&site, "mentorbook.yaml", |t| {
        t.replace("title: Guide du mentorat", "title: Le guide")
    });
    let b = session.build(Scope::Content);
    assert_eq!(b.work, Work::Full);
    assert_same(
        &b.result.expect("config"),
        &full_build(&site),
        "config edit",
    );
}

#[test]
fn multilingual_body_edits_are_incremental_in_every_language() {
    let site = Site::sample();
    let root = site.path().canonicalize().expect("root");
    let mut session = Session::new(root, BuildOptions::default());
    let first = session.build(Scope::Everything);
    assert_same(
        first.result.as_ref().expect("first build"),
        &full_build(&site),
        "first build",
    );
    edit(&site, "content/02-relation/01-posture.md", |t| {
        t + "\nUn paragraphe ajouté.\n"
    });
    let b = session.build(Scope::Content);
    assert_eq!(b.work, Work::Pages(1));
    assert_same(
        &b.result.expect("partial build"),
        &full_build(&site),
        "French body edit",
    );
    edit(&site, "content/02-relation/01-posture.en.md", |t| {
        t + "\nAn added paragraph.\n"
    });
    let b = session.build(Scope::Content);
    assert_eq!(b.work, Work::Pages(1));
    let built = b.result.expect("partial build");
    assert!(
        String::from_utf8(bytes(&built.output.files["en/relation/posture.html"]))
            .expect("utf-8")
            .contains("An added paragraph.")
    );
    assert_same(&built, &full_build(&site), "English body edit");
    // A new translation changes the structure: every page is rendered again, still equal.
    site.write("content/00-nouveau.md", "---\ntitle: Nouveau\n---\n");
    let b = session.build(Scope::Content);
    assert_eq!(b.work, Work::AllPages);
    assert_same(
        &b.result.expect("structural build"),
        &full_build(&site),
        "new page",
    );
}

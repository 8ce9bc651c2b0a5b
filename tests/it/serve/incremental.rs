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
    // The same, as the watcher reports it: only that file is read again.
    let english = "content/02-relation/01-posture.en.md";
    edit(&site, english, |t| t + "\nOne more paragraph.\n");
    let b = after_edit(&mut session, &[english]);
    assert_eq!(b.work, Work::Pages(1));
    assert_same(
        &b.result.expect("partial build"),
        &full_build(&site),
        "English file modified in place",
    );
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

/// A session build after `paths` were modified in place, as the watcher reports them.
fn after_edit(session: &mut Session, paths: &[&str]) -> mentorbook::site::session::SessionBuild {
    let paths: Vec<String> = paths.iter().map(|p| (*p).to_string()).collect();
    session.build_after(Scope::Content, &paths)
}

#[test]
fn files_modified_in_place_are_read_alone_and_match_a_complete_build() {
    let site = Site::sample_french();
    let root = site.path().canonicalize().expect("root");
    let mut session = Session::new(root, BuildOptions::default());
    let first = session.build(Scope::Everything);
    assert_eq!(first.work, Work::Full);
    let posture = "content/02-relation/01-posture.md";
    let definition = "content/01-comprendre/01-definition.md";

    // A paragraph appended: that page alone (with the print files holding it).
    edit(&site, posture, |t| t + "\nUn paragraphe ajouté en place.\n");
    let b = after_edit(&mut session, &[posture]);
    assert_eq!(b.work, Work::Pages(1));
    let built = b.result.expect("partial build");
    assert_same(&built, &full_build(&site), "body edit");
    let print = String::from_utf8(bytes(&built.output.files["print.html"])).expect("utf-8");
    assert!(
        print.contains("Un paragraphe ajouté en place"),
        "print.html follows"
    );

    // A link written as the title of a heading of another page.
    edit(&site, definition, |t| {
        t + "\n## Une section nouvelle {#nouvelle}\n\nTexte.\n"
    });
    let b = after_edit(&mut session, &[definition]);
    assert_eq!(b.work, Work::Pages(1));
    assert_same(
        &b.result.expect("heading"),
        &full_build(&site),
        "new heading",
    );
    edit(&site, posture, |t| {
        t + "\nVoir [<!--mb:title x-->](../01-comprendre/01-definition.md#nouvelle).\n"
    });
    let b = after_edit(&mut session, &[posture]);
    assert_eq!(b.work, Work::Pages(1));
    let built = b.result.expect("title link");
    assert_same(&built, &full_build(&site), "title link");
    let page =
        String::from_utf8(bytes(&built.output.files["relation/posture.html"])).expect("utf-8");
    assert!(
        page.contains("Une section nouvelle"),
        "the link shows the heading"
    );

    // The heading renamed: the page linking to it changes too.
    edit(&site, definition, |t| {
        t.replace(
            "## Une section nouvelle {#nouvelle}",
            "## Une section renommée {#nouvelle}",
        )
    });
    let b = after_edit(&mut session, &[definition]);
    assert_eq!(b.work, Work::Pages(2), "the page and the one linking to it");
    let built = b.result.expect("renamed heading");
    assert_same(&built, &full_build(&site), "renamed heading");
    let page =
        String::from_utf8(bytes(&built.output.files["relation/posture.html"])).expect("utf-8");
    assert!(
        page.contains("Une section renommée"),
        "the link follows the heading"
    );

    // The anchor removed: an error at the page linking to it, then fixed.
    edit(&site, definition, |t| {
        t.replace(
            "## Une section renommée {#nouvelle}",
            "## Une section renommée",
        )
    });
    let b = after_edit(&mut session, &[definition]);
    let err = b.result.expect_err("broken anchor");
    assert!(err.to_string().contains("#nouvelle"), "{err}");
    edit(&site, definition, |t| {
        t.replace(
            "## Une section renommée",
            "## Une section renommée {#nouvelle}",
        )
    });
    let b = after_edit(&mut session, &[definition]);
    assert_same(
        &b.result.expect("fixed"),
        &full_build(&site),
        "fixed anchor",
    );

    // Two files at once, one a worksheet.
    let seance = "content/05-fiches/02-seances/01-seance-1.md";
    edit(&site, seance, |t| {
        t + "\n```field\nlabel: Une question de plus\nlines: 2\n```\n"
    });
    edit(&site, posture, |t| t + "\nEncore un paragraphe.\n");
    let b = after_edit(&mut session, &[seance, posture]);
    assert_eq!(b.work, Work::Pages(2));
    assert_same(
        &b.result.expect("two files"),
        &full_build(&site),
        "two files",
    );

    // Saved without a change: nothing is made again.
    edit(&site, posture, |t| t);
    let b = after_edit(&mut session, &[posture]);
    assert_eq!(b.work, Work::Pages(0));
    assert_same(
        &b.result.expect("same text"),
        &full_build(&site),
        "same text",
    );

    // The front matter changed: the content is loaded again.
    edit(&site, posture, |t| {
        t.replacen("title: La posture du mentor", "title: La posture", 1)
    });
    let b = after_edit(&mut session, &[posture]);
    assert_eq!(b.work, Work::AllPages);
    assert_same(
        &b.result.expect("front matter"),
        &full_build(&site),
        "front matter",
    );

    // A title found in the body changed: every page shows it in its navigation.
    edit(&site, posture, |t| {
        t.replacen("title: La posture\n", "", 1) + "\n# Un titre dans le corps\n"
    });
    let b = after_edit(&mut session, &[posture]);
    assert_eq!(b.work, Work::AllPages);
    assert_same(
        &b.result.expect("body title"),
        &full_build(&site),
        "body title",
    );
    edit(&site, posture, |t| {
        t.replace("# Un titre dans le corps", "# Un autre titre")
    });
    let b = after_edit(&mut session, &[posture]);
    assert_eq!(b.work, Work::AllPages);
    assert_same(
        &b.result.expect("body title"),
        &full_build(&site),
        "body title again",
    );

    // A file that is not a page.
    site.write_bytes("content/notes.txt", b"x");
    let b = session.build(Scope::Content);
    assert_same(&b.result.expect("asset"), &full_build(&site), "asset");
    site.write_bytes("content/notes.txt", b"y");
    let b = after_edit(&mut session, &["content/notes.txt"]);
    assert_ne!(b.work, Work::Full);
    assert_same(
        &b.result.expect("asset edit"),
        &full_build(&site),
        "asset edit",
    );
}

#[test]
fn a_page_linking_to_a_renamed_heading_is_made_again_whatever_the_watcher_saw() {
    let site = Site::sample_french();
    let root = site.path().canonicalize().expect("root");
    let mut session = Session::new(root, BuildOptions::default());
    let posture = "content/02-relation/01-posture.md";
    let definition = "content/01-comprendre/01-definition.md";
    edit(&site, definition, |t| {
        t + "\n## Une section nouvelle {#nouvelle}\n\nTexte.\n"
    });
    edit(&site, posture, |t| {
        t + "\nVoir [<!--mb:title x-->](../01-comprendre/01-definition.md#nouvelle).\n"
    });
    session
        .build(Scope::Everything)
        .result
        .expect("first build");
    // Saved by replacing the file (no list of modified files): the content is read again.
    edit(&site, definition, |t| {
        t.replace(
            "## Une section nouvelle {#nouvelle}",
            "## Une section renommée {#nouvelle}",
        )
    });
    let b = session.build(Scope::Content);
    assert_eq!(b.work, Work::Pages(2), "the page and the one linking to it");
    let built = b.result.expect("renamed heading");
    assert_same(&built, &full_build(&site), "renamed heading");
}

#[test]
fn embedded_notes_follow_their_edits_and_match_a_complete_build() {
    // An Obsidian note embedded in another page: editing it changes the
    // page that shows it; adding or removing an embed too.
    let site = Site::new();
    site.write(
        "mentorbook.yaml",
        "title: Coffre\nlang: fr\nimported_from: obsidian\n",
    );
    site.write(
        "content/Charte.md",
        "# Charte\n\n## Engagements\n\nUne fois par mois. ^rythme\n",
    );
    site.write("content/Séance.md", "# Séance\n\n![[Charte#Engagements]]\n");
    site.write("content/Notes.md", "# Notes\n\nRien encore.\n");
    let root = site.path().canonicalize().expect("root");
    let mut session = Session::new(root, BuildOptions::default());
    let first = session
        .build(Scope::Everything)
        .result
        .expect("first build");
    let page =
        |b: &Built, rel: &str| String::from_utf8(bytes(&b.output.files[rel])).expect("utf-8");
    assert!(page(&first, "seance.html").contains("Une fois par mois."));

    edit(&site, "content/Charte.md", |t| {
        t.replace("Une fois par mois.", "Deux fois par mois.")
    });
    let b = after_edit(&mut session, &["content/Charte.md"]);
    let built = b.result.expect("embedded note edited");
    assert_same(&built, &full_build(&site), "embedded note edited");
    assert!(page(&built, "seance.html").contains("Deux fois par mois."));

    edit(&site, "content/Notes.md", |t| t + "\n![[Charte#^rythme]]\n");
    let b = after_edit(&mut session, &["content/Notes.md"]);
    let built = b.result.expect("embed added");
    assert_same(&built, &full_build(&site), "embed added");
    assert!(page(&built, "notes.html").contains("<p>Deux fois par mois.</p>"));

    edit(&site, "content/Séance.md", |t| {
        t.replace("![[Charte#Engagements]]", "[[Charte]]")
    });
    let b = after_edit(&mut session, &["content/Séance.md"]);
    let built = b.result.expect("embed removed");
    assert_same(&built, &full_build(&site), "embed removed");
    assert!(!page(&built, "seance.html").contains("fois par mois"));
}

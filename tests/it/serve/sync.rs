//! After each kind of change, the served site equals what a clean `build`
//! writes; broken input never stops the server and is shown until fixed.

use super::*;

/// Makes a change, waits for the rebuild it causes, and compares with a build.
fn step(site: &Site, server: &Server, name: &str, change: impl FnOnce()) -> Value {
    let before = server.version();
    change();
    let status = server.wait_rebuilt(before);
    assert_matches_build(site, server, name);
    status
}

#[test]
fn served_site_equals_a_clean_build_after_every_change() {
    let site = Site::fixture("serve/basic");
    let server = Server::start(&site, &[]);
    assert_matches_build(&site, &server, "first build");
    let p = |rel: &str| site.path().join(rel);

    step(&site, &server, "edit a page's body", || {
        let mut text = std::fs::read_to_string(p("content/01-guide/01-premiere.md")).unwrap();
        text.push_str("\nUn paragraphe ajouté PARA-1.\n");
        std::fs::write(p("content/01-guide/01-premiere.md"), text).unwrap();
    });
    assert!(server.get("/guide/premiere.html").text().contains("PARA-1"));
    assert!(
        server
            .log()
            .contains("content/01-guide/01-premiere.md changed: re-rendered 1 of"),
        "a body edit re-renders one page:\n{}",
        server.log()
    );

    step(&site, &server, "change a title", || {
        let text = std::fs::read_to_string(p("content/01-guide/02-seconde.md")).unwrap();
        std::fs::write(
            p("content/01-guide/02-seconde.md"),
            text.replace("Seconde page", "Deuxième page"),
        )
        .unwrap();
    });
    assert!(
        server
            .get("/guide/premiere.html")
            .text()
            .contains("Deuxième page")
    );

    step(&site, &server, "delete a page", || {
        std::fs::remove_file(p("content/01-guide/03-a-supprimer.md")).unwrap();
    });
    assert_eq!(server.get("/guide/a-supprimer.html").status, 404);

    step(&site, &server, "rename a folder", || {
        std::fs::rename(p("content/02-annexes"), p("content/03-ressources")).unwrap();
    });
    assert_eq!(server.get("/annexes/index.html").status, 404);
    assert_eq!(server.get("/ressources/outils/grille.html").status, 200);

    step(&site, &server, "add a template", || {
        site.write(
            "templates/page.html",
            "{% extends \"builtin/page.html\" %}{% block page_header %}<p class=\"local\">GABARIT-1</p>{% endblock page_header %}",
        );
    });
    assert!(
        server
            .get("/guide/premiere.html")
            .text()
            .contains("GABARIT-1")
    );

    step(&site, &server, "edit a template", || {
        let text = std::fs::read_to_string(p("templates/page.html")).unwrap();
        std::fs::write(
            p("templates/page.html"),
            text.replace("GABARIT-1", "GABARIT-2"),
        )
        .unwrap();
    });
    assert!(
        server
            .get("/guide/premiere.html")
            .text()
            .contains("GABARIT-2")
    );

    step(&site, &server, "edit mentorbook.yaml", || {
        site.write("mentorbook.yaml", "title: Nouveau titre\nlang: fr\n");
    });
    assert!(server.get("/").text().contains("Nouveau titre"));

    step(&site, &server, "add an image", || {
        site.write_bytes("content/01-guide/schema.png", b"\x89PNG\r\n\x1a\nfake");
        let text = std::fs::read_to_string(p("content/01-guide/02-seconde.md")).unwrap();
        std::fs::write(
            p("content/01-guide/02-seconde.md"),
            format!("{text}\n![Schéma](schema.png)\n"),
        )
        .unwrap();
    });
    let img = server.get("/guide/schema.png");
    assert_eq!(img.content_type, "image/png");

    step(&site, &server, "add a section with a page", || {
        site.write(
            "content/04-nouveau/_index.md",
            "---\ntitle: Nouveau\n---\n\nSection.\n",
        );
        site.write(
            "content/04-nouveau/01-page.md",
            "---\ntitle: Page neuve\n---\n\nNeuve.\n",
        );
    });
    assert_eq!(server.get("/nouveau/page.html").status, 200);

    step(&site, &server, "add a stylesheet to static/", || {
        site.write("static/assets/extra.css", "body { color: #123; }\n");
    });
    step(&site, &server, "edit that stylesheet", || {
        site.write("static/assets/extra.css", "body { color: #456; }\n");
    });
    assert!(server.get("/assets/extra.css").text().contains("#456"));
}

/// The text of an HTML page, tags left out (the overlay's text sits in a template).
fn without_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

#[test]
fn broken_input_shows_errors_and_never_stops_the_server() {
    let site = Site::fixture("serve/basic");
    site.write("mentorbook.yaml", "title: Test\ntitel: oops\n");
    let mut server = Server::start(&site, &[]);

    // The very first build fails: every page is an error page naming the line.
    let status = server.status();
    assert_eq!(status["ok"], false);
    let page = server.get("/guide/premiere.html");
    assert_eq!(page.status, 500);
    assert!(
        without_tags(&page.text()).contains("mentorbook.yaml:2:1: error: unknown key `titel`"),
        "{}",
        page.text()
    );
    assert!(page.text().contains("../__mentorbook/reload.js"));
    assert_eq!(server.get("/assets/style.css").status, 404);

    let v = server.version();
    site.write("mentorbook.yaml", "title: Test\n");
    let status = server.wait_rebuilt(v);
    assert_eq!(status["ok"], true, "{status}");
    assert_matches_build(&site, &server, "fixed config");

    // Broken front matter: the last good site stays, with the overlay.
    let good = strip_injected(&server.get("/guide/premiere.html").text());
    let v = server.version();
    site.write(
        "content/01-guide/01-premiere.md",
        "---\ntitle: [Première page\n---\n\nCassé.\n",
    );
    let status = server.wait_rebuilt(v);
    assert_eq!(status["ok"], false);
    let err = &status["errors"][0];
    assert_eq!(err["path"], "content/01-guide/01-premiere.md");
    assert_eq!(err["line"], 2, "{err}");
    let page = server.get("/guide/premiere.html");
    assert_eq!(page.status, 200);
    assert_eq!(strip_injected(&page.text()), good, "last good page kept");
    assert!(page.text().contains("content/01-guide/01-premiere.md:2:"));
    assert!(page.text().contains("id=\"mentorbook-overlay\""));
    assert!(
        page.text()
            .contains("la construction a échoué (1\u{a0}erreur)")
            && page.text().contains("Corrigez l’erreur et enregistrez"),
        "over a French page the overlay speaks French: {}",
        page.text()
    );

    // Garbage of every kind: the server survives.
    for (i, bytes) in [
        &b"\xff\xfe\x00garbage"[..],
        b"---\n---\n",
        b"",
        b"---\ntitle: x\nweight: [\n",
    ]
    .iter()
    .enumerate()
    {
        let v = server.version();
        site.write_bytes("content/01-guide/01-premiere.md", bytes);
        server.wait_rebuilt(v);
        assert!(
            server.alive(),
            "serve exited on input {i}:\n{}",
            server.log()
        );
    }
    let v = server.version();
    site.write("mentorbook.yaml", ":\n  - [");
    server.wait_rebuilt(v);
    assert!(server.alive(), "serve exited on a broken config");

    // Fixed: the overlay goes away, the served site equals a clean build again.
    let v = server.version();
    site.write("mentorbook.yaml", "title: Test\n");
    site.write(
        "content/01-guide/01-premiere.md",
        "---\ntitle: Première page\n---\n\nRéparé.\n\n## Écouter {#ecouter}\n",
    );
    server.wait_rebuilt(v);
    assert_matches_build(&site, &server, "fixed content");
    let page = server.get("/guide/premiere.html").text();
    assert!(page.contains("Réparé.") && !page.contains("mentorbook-overlay"));
    assert!(
        server.log().contains("build failed with"),
        "{}",
        server.log()
    );
}

#[test]
fn content_folder_moved_away_and_back_is_watched_again() {
    let site = Site::fixture("serve/basic");
    let server = Server::start(&site, &[]);
    let content = site.path().join("content");
    let aside = site.path().join("content-aside");

    let v = server.version();
    std::fs::rename(&content, &aside).expect("move content away");
    let status = server.wait_rebuilt(v);
    assert_eq!(status["ok"], false, "no content/ is an error");

    let v = server.version();
    std::fs::rename(&aside, &content).expect("move content back");
    server.wait_rebuilt(v);
    assert_matches_build(&site, &server, "content back");

    // The new content/ folder is watched: an edit inside it is seen.
    let v = server.version();
    site.write(
        "content/01-guide/02-seconde.md",
        "---\ntitle: Seconde page\n---\n\nRevenu REWATCHED.\n",
    );
    server.wait_rebuilt(v);
    assert!(
        server
            .get("/guide/seconde.html")
            .text()
            .contains("REWATCHED")
    );
    assert_matches_build(&site, &server, "edit after the move");
}

#[test]
fn polling_sees_edits_too() {
    let site = Site::fixture("serve/basic");
    let server = Server::start(&site, &["--poll"]);
    let v = server.version();
    site.write(
        "content/01-guide/02-seconde.md",
        "---\ntitle: Seconde page\n---\n\nVu par sondage POLLED.\n",
    );
    server.wait_rebuilt(v);
    assert!(server.get("/guide/seconde.html").text().contains("POLLED"));
    assert_matches_build(&site, &server, "poll edit");
}

#[test]
fn imported_handbooks_are_watched_where_their_folders_are() {
    // Docusaurus: pages in `docs/`, files in `static/`.
    let site = Site::fixture("import/docusaurus");
    site.run(&["import"]).success();
    let server = Server::start(&site, &[]);
    assert_matches_build(&site, &server, "first build");
    step(&site, &server, "edit a page of docs/", || {
        let p = site.path().join("docs/programme/index.md");
        let mut text = std::fs::read_to_string(&p).unwrap();
        text.push_str("\nAjouté DOCS-EDIT.\n");
        std::fs::write(&p, text).unwrap();
    });
    assert!(
        server
            .get("/programme/index.html")
            .text()
            .contains("DOCS-EDIT")
    );
    step(&site, &server, "add a file to static/", || {
        site.write(
            "static/img/nouveau.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        );
    });
    assert_eq!(server.get("/img/nouveau.svg").status, 200);

    // A plain folder (`content: .`): any folder of the root, not the output.
    let site = Site::fixture("import/markdown");
    site.run(&["import"]).success();
    let server = Server::start(&site, &[]);
    step(&site, &server, "edit a page of a sub-folder", || {
        site.write(
            "annexes/reglement.md",
            "# Règlement du programme\n\nModifié ROOT-EDIT.\n",
        );
    });
    assert!(
        server
            .get("/annexes/reglement.html")
            .text()
            .contains("ROOT-EDIT")
    );
}

//! The confinement rule in `serve`: a link of any kind that leaves the handbook
//! (page, folder, file, `static/`, template, theme) or leads into the output
//! folder is never served, whether it is there when the server starts or
//! replaces a served file later (the file is checked again when it is read).

use super::*;

const SECRET: &str = "TOP-SECRET-42";

/// A folder outside the handbook with a secret in every kind of file.
fn outside() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (rel, text) in [
        ("secret.md", format!("# {SECRET}\n")),
        ("secret.txt", SECRET.to_string()),
        ("dir/inner.md", format!("# {SECRET}\n")),
        ("dir/inner.txt", SECRET.to_string()),
        ("static/x.css", format!("/* {SECRET} */")),
        (
            "page.html",
            format!("{{% extends \"builtin/page.html\" %}}{SECRET}"),
        ),
        (
            "theme/theme.yaml",
            "description: x\nextends: default\n".to_string(),
        ),
        ("theme/static/t.css", format!("/* {SECRET} */")),
    ] {
        let p = dir.path().join(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
    }
    dir
}

fn link(site: &Site, target: &std::path::Path, at: &str) {
    let p = site.path().join(at);
    std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
    let _ = std::fs::remove_file(&p);
    std::os::unix::fs::symlink(target, p).expect("symlink");
}

/// Every kind of link, made in `site`: (link path, URL that would serve it).
fn make_links(site: &Site, out: &std::path::Path) -> Vec<(&'static str, &'static str)> {
    link(site, &out.join("secret.md"), "content/01-guide/secret.md");
    link(site, &out.join("dir"), "content/01-guide/linked");
    link(site, &out.join("secret.txt"), "content/01-guide/notes.txt");
    link(site, &out.join("static"), "static");
    link(site, &out.join("page.html"), "templates/page.html");
    link(site, &out.join("theme"), "themes/maison");
    link(site, std::path::Path::new("../public"), "content/pub");
    vec![
        ("content/01-guide/secret.md", "/guide/secret.html"),
        ("content/01-guide/linked", "/guide/linked/inner.html"),
        ("content/01-guide/linked", "/guide/linked/inner.txt"),
        ("content/01-guide/notes.txt", "/guide/notes.txt"),
        ("static", "/x.css"),
        ("themes/maison", "/t.css"),
        ("content/pub", "/pub/old.html"),
    ]
}

fn assert_refused(server: &Server, urls: &[(&str, &str)]) {
    for (_, url) in urls {
        let (code, text) = server.raw_get(url);
        assert_eq!(code, 404, "{url}:\n{text}");
        assert!(!text.contains(SECRET), "{url} leaked:\n{text}");
    }
    // The template outside is not used for any page either.
    let page = server.get("/guide/premiere.html");
    assert!(!page.text().contains(SECRET), "a template outside was used");
}

#[test]
fn links_out_of_the_handbook_are_never_served() {
    let out = outside();
    let site = Site::fixture("serve/basic");
    site.write("public/old.html", &format!("<p>{SECRET}</p>"));
    let server = Server::start(&site, &[]);
    let before = server.version();
    site.write(
        "mentorbook.yaml",
        &(std::fs::read_to_string(site.path().join("mentorbook.yaml")).expect("read")
            + "theme:\n  name: maison\n"),
    );
    let urls = make_links(&site, out.path());
    let status = server.wait_rebuilt(before);
    let errors = status["errors"].to_string();
    for (at, _) in &urls {
        assert!(
            errors.contains(&format!("\"{at}\"")),
            "`{at}` is reported: {errors}"
        );
    }
    assert_refused(&server, &urls);
}

#[test]
fn links_there_at_start_are_never_served() {
    let out = outside();
    let site = Site::fixture("serve/basic");
    site.write("public/old.html", &format!("<p>{SECRET}</p>"));
    let urls = make_links(&site, out.path());
    let server = Server::start(&site, &[]);
    // The first build fails on them: the server shows the errors, never the files.
    for (_, url) in &urls {
        let (code, text) = server.raw_get(url);
        assert_ne!(code, 200, "{url}:\n{text}");
        assert!(!text.contains(SECRET), "{url} leaked:\n{text}");
    }
    assert!(
        server
            .log()
            .contains("content/pub: error: this leads into the output folder")
    );
}

#[test]
fn a_served_file_replaced_by_a_link_is_refused() {
    let out = outside();
    let site = Site::fixture("serve/basic");
    site.write("content/01-guide/notes.txt", "harmless notes");
    site.write("static/x.css", "/* fine */");
    let server = Server::start(&site, &[]);
    assert_eq!(server.get("/guide/notes.txt").text(), "harmless notes");
    assert_eq!(server.get("/x.css").text(), "/* fine */");
    let before = server.version();
    // Both become links out of the handbook, one after the other (each its own
    // rebuild, so that the verifying complete build sees what the partial one
    // saw): the rebuild fails, the last good site is kept, and its files are
    // checked again when read.
    link(
        &site,
        &out.path().join("secret.txt"),
        "content/01-guide/notes.txt",
    );
    server.wait_rebuilt(before);
    let after_first = server.version();
    link(&site, &out.path().join("static/x.css"), "static/x.css");
    let status = server.wait_rebuilt(after_first);
    assert!(
        !status["errors"].as_array().is_none_or(Vec::is_empty),
        "{status}"
    );
    for url in ["/guide/notes.txt", "/x.css"] {
        let (code, text) = server.raw_get(url);
        assert_eq!(code, 404, "{url}:\n{text}");
        assert!(!text.contains(SECRET), "{url} leaked");
    }
    assert_eq!(
        server.get("/guide/premiere.html").status,
        200,
        "the rest is still served"
    );
}

//! Bad or unusual input never panics: each case gives output or a clear error.

use crate::support::*;

#[test]
fn empty_and_front_matter_only_files_build() {
    let site = Site::new();
    site.write("content/vide.md", "");
    site.write(
        "content/entete.md",
        "---\ntitle: Seulement l'en-tête\n---\n",
    );
    site.write("content/blanc.md", "\n\n   \n");
    site.build();
    assert_eq!(
        text_of(&site.html("entete.html"), "main h1"),
        "Seulement l’en-tête"
    );
    assert_eq!(text_of(&site.html("vide.html"), "main h1"), "Vide");
}

#[test]
fn invalid_utf8_is_a_located_error() {
    let site = Site::new();
    site.write_bytes("content/latin1.md", b"---\ntitle: ok\n---\n\nCaf\xe9\n");
    let run = site.run(&["build"]).code_is(1).no_panic();
    assert!(
        run.stderr()
            .contains("content/latin1.md:5:4: error: this file is not valid UTF-8"),
        "{}",
        run.stderr()
    );
}

#[test]
fn names_with_spaces_accents_and_symbols() {
    let site = Site::new();
    site.write(
        "content/Écoute active.md",
        "# Écoute\n\n[autre](Mon%20fichier%20%23%201.md)\n",
    );
    site.write(
        "content/Mon fichier # 1.md",
        "texte ![img](photo%20d'été.png)\n",
    );
    site.write("content/photo d'été.png", "png");
    site.build();
    assert!(site.public().join("ecoute-active.html").is_file());
    assert!(site.public().join("mon-fichier-1.html").is_file());
    assert!(
        crawl(&site.public(), &[]).is_empty(),
        "{:?}",
        crawl(&site.public(), &[])
    );
}

#[cfg(unix)]
#[test]
fn symlink_loop_is_reported_not_followed_forever() {
    let site = Site::new();
    site.write("content/a/page.md", "ok");
    std::os::unix::fs::symlink(
        site.path().join("content/a"),
        site.path().join("content/a/boucle"),
    )
    .expect("symlink");
    let run = site.run(&["build"]).no_panic().success();
    assert!(
        run.stderr().contains("symbolic link loop"),
        "{}",
        run.stderr()
    );
    assert!(site.public().join("a/page.html").is_file());
}

#[test]
fn five_megabyte_page_builds() {
    let site = Site::new();
    let para =
        "Le mentor écoute ; la personne mentorée avance ! Pourquoi ? Parce que : confiance.\n\n";
    let body = para.repeat(5 * 1024 * 1024 / para.len() + 1);
    site.write("content/gros.md", &body);
    site.build();
    assert!(
        std::fs::metadata(site.public().join("gros.html"))
            .expect("exists")
            .len()
            > 5_000_000
    );
}

#[test]
fn ten_thousand_nested_lists_do_not_crash() {
    let site = Site::new();
    let mut body = String::new();
    for i in 0..10_000 {
        body.push_str(&"  ".repeat(i));
        body.push_str("- x\n");
    }
    site.write("content/profond.md", &body);
    let mut quotes = ">".repeat(10_000);
    quotes.push_str(" fin\n");
    site.write("content/citations.md", &quotes);
    site.run(&["build"]).no_panic().success();
}

#[test]
fn utf16_with_bom_is_decoded() {
    let site = Site::new();
    let mut bytes = vec![0xFF, 0xFE];
    for u in "---\ntitle: Été\n---\nTexte\n".encode_utf16() {
        bytes.extend(u.to_le_bytes());
    }
    site.write_bytes("content/u16.md", &bytes);
    site.build();
    assert_eq!(text_of(&site.html("u16.html"), "main h1"), "Été");
}

#[test]
fn missing_closing_front_matter_and_whitespace_title() {
    let site = Site::new();
    site.write("content/a.md", "---\ntitle: A\nno end\n");
    site.write("content/b.md", "---\ntitle: \"   \"\n---\n");
    let run = site.run(&["check"]).code_is(1).no_panic();
    assert!(
        run.stderr()
            .contains("content/a.md:1:1: error: the front matter is never closed"),
        "{}",
        run.stderr()
    );
    assert!(
        run.stderr()
            .contains("content/b.md:2:1: error: the title is empty"),
        "{}",
        run.stderr()
    );
}

//! Unit tests of the Markdown pass on small sites written to a temporary folder.

use std::path::Path;

use super::*;
use crate::config::Config;
use crate::content::{self, LoadOptions};

struct NoHooks;

impl Hooks for NoHooks {
    fn is_block(&self, kind: &str) -> bool {
        kind == "field"
    }
    fn block(
        &self,
        _kind: &str,
        body: &str,
        page: &Page,
        line: usize,
    ) -> Result<String, Diagnostic> {
        if body.contains("bad") {
            Err(Diagnostic::error(&page.source, line, 1, "bad block"))
        } else {
            Ok(format!("<div class=\"blk\" data-line=\"{line}\"></div>"))
        }
    }
    fn label(&self, key: &str) -> String {
        format!("[{key}]")
    }
}

fn site(files: &[(&str, &str)]) -> (tempfile::TempDir, Config, Content) {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("mentorbook.yaml"), "title: T\nlang: fr\n")
        .expect("write config");
    for (path, text) in files {
        let p = dir.path().join("content").join(path);
        std::fs::create_dir_all(p.parent().unwrap_or(Path::new("."))).expect("mkdir");
        std::fs::write(p, text).expect("write page");
    }
    let config = Config::load(dir.path()).expect("config");
    let mut d = Vec::new();
    let content = content::load(&config, LoadOptions::default(), &mut d);
    assert!(d.is_empty(), "{d:?}");
    (dir, config, content)
}

fn render_rel(content: &Content, config: &Config, rel: &str) -> Rendered {
    let page = content.pages.iter().find(|p| p.rel == rel).expect("page");
    let opts = Options {
        typography: config.typography,
        safe_html: config.safe_html,
        collect_text: true,
        edition: None,
        html: true,
    };
    render(content, page, &opts, &NoHooks, LinkMode::Web)
}

#[test]
fn heading_ids_are_unique_and_explicit_ids_win() {
    let (_d, c, content) = site(&[(
        "a.md",
        "---\ntitle: A\n---\n## Écoute active\n## Notes\n## Notes\n## Autre {#mon-id}\n",
    )]);
    let r = render_rel(&content, &c, "a.md");
    let ids: Vec<_> = r.headings.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["ecoute-active", "notes", "notes-1", "mon-id"]);
    assert!(r.html.contains("<h2 id=\"ecoute-active\">"));
    assert!(
        r.html.contains("href=\"#notes-1\""),
        "each heading has an anchor link"
    );
}

#[test]
fn md_links_become_relative_html_and_fragments_are_checked() {
    let (_d, c, content) = site(&[
        (
            "guide/a.md",
            "[x](../autre.md#ecoute-active) [y](b.md) [z](nope.md)\n",
        ),
        ("guide/b.md", "b\n"),
        ("autre.md", "## Écoute active\n"),
    ]);
    let r = render_rel(&content, &c, "guide/a.md");
    assert!(
        r.html.contains("href=\"../autre.html#ecoute-active\""),
        "{}",
        r.html
    );
    assert!(r.html.contains("href=\"b.html\""));
    assert_eq!(r.diagnostics.len(), 1);
    assert!(r.diagnostics[0].message.contains("nope.md"));
    assert_eq!((r.diagnostics[0].line, r.diagnostics[0].col), (1, 42));
    assert_eq!(r.anchors.len(), 1);
    assert_eq!(r.anchors[0].fragment, "ecoute-active");
}

#[test]
fn callouts_from_alerts_and_containers() {
    let (_d, c, content) = site(&[(
        "a.md",
        "> [!TIP]\n> Astuce\n\n:::warning Mon titre\nCorps **gras**\n:::\n",
    )]);
    let r = render_rel(&content, &c, "a.md");
    assert!(r.html.contains("callout callout-tip"));
    assert!(
        r.html
            .contains("<p class=\"callout-title\">[callout_tip]</p>")
    );
    assert!(r.html.contains("callout callout-warning"));
    assert!(r.html.contains("Mon titre"));
    assert!(r.html.contains("<strong>gras</strong>"));
}

#[test]
fn french_spacing_outside_code_only() {
    let (_d, c, content) = site(&[("a.md", "Pourquoi ? `a : b`\n\n```\nx ; y\n```\n")]);
    let r = render_rel(&content, &c, "a.md");
    assert!(r.html.contains("Pourquoi\u{202F}?"));
    assert!(r.html.contains("<code>a : b</code>"));
    assert!(r.html.contains("x ; y"));
}

#[test]
fn worksheet_blocks_go_through_hooks_with_file_lines() {
    let (_d, c, content) = site(&[(
        "a.md",
        "---\ntitle: A\n---\n\n```field\nlabel: x\n```\n\n```field\nbad\n```\n",
    )]);
    let r = render_rel(&content, &c, "a.md");
    assert!(r.html.contains("data-line=\"6\""), "{}", r.html);
    assert_eq!(r.diagnostics[0].line, 10);
}

#[test]
fn footnotes_are_numbered_and_gathered() {
    let (_d, c, content) = site(&[("a.md", "Texte[^b] et[^a].\n\n[^a]: A.\n[^b]: B.\n")]);
    let r = render_rel(&content, &c, "a.md");
    let first = r.html.find("id=\"fn-b\"").expect("b defined");
    let second = r.html.find("id=\"fn-a\"").expect("a defined");
    assert!(first < second, "definitions follow reference order");
    assert!(r.ids.contains("fn-a"));
}

#[test]
fn safe_html_escapes_raw_html() {
    let (dir, _c, _content) = site(&[("a.md", "<script>x</script>\n\nok <b>b</b>\n")]);
    std::fs::write(
        dir.path().join("mentorbook.yaml"),
        "title: T\nsafe_html: true\n",
    )
    .expect("write");
    let config = Config::load(dir.path()).expect("config");
    let content = content::load(&config, LoadOptions::default(), &mut Vec::new());
    let r = render_rel(&content, &config, "a.md");
    assert!(!r.html.contains("<script>"));
    assert!(r.html.contains("&lt;b&gt;"));
}

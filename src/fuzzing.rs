//! Entry points for the fuzz targets in `fuzz/` (and their regression tests): each
//! runs one parser on arbitrary input and must never panic.

use crate::config::Typography;
use crate::content::{Content, front_matter};
use crate::diagnostic::Diagnostic;
use crate::markdown::{self, BlockSite, Hooks};
use crate::site::{links, serialise};

/// Decodes a file's bytes and parses its front matter.
pub fn front_matter(bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    let text = text.trim_start_matches('\u{feff}').replace("\r\n", "\n");
    if let Ok(split) = front_matter::split("content/fuzz.md", &text) {
        let mut diags = Vec::new();
        let _ = front_matter::parse("content/fuzz.md", &split, &mut diags);
    }
}

struct BlockHooks;

impl Hooks for BlockHooks {
    fn is_block(&self, kind: &str) -> bool {
        crate::render::blocks::is_block(kind)
    }
    fn block(&self, kind: &str, body: &str, site: &BlockSite<'_>) -> Result<String, Diagnostic> {
        let signers = ["Mentor".to_string(), "Mentee".to_string()];
        crate::render::blocks::parse(
            kind,
            body,
            site,
            &|s| s.to_string(),
            &|s| crate::hyphenate::Hyphenation::French.apply(s),
            &signers,
        )
        .map(|b| format!("{:?}", b.data))
    }
    fn label(&self, key: &str) -> String {
        key.to_string()
    }
}

/// Parses Markdown as a page body with French typography, resolves its links, and
/// serialises it for the web page and for a print page.
pub fn markdown(text: &str) {
    let content = Content::single_page(text, "fr");
    let opts = markdown::Options {
        typography: Typography::Fr,
        french_quotes: true,
        safe_html: false,
        collect_text: true,
        hyphenation: crate::hyphenate::Hyphenation::French,
        myst: false,
        zola: false,
        mdx: false,
        obsidian: true,
    };
    let page = &content.pages[0];
    let body = page.body.text().unwrap_or_default();
    let src = markdown::Source {
        path: &page.source,
        text: &body,
        first_line: 1,
        lines: None,
        anchor: "p-index",
        form: "index",
        title_from_body: true,
        mark_blocks: true,
    };
    let doc = markdown::parse(&src, &opts, &BlockHooks);
    let resolved = links::resolve_page(&content, page, &doc, &links::Rules::default());
    let ids = vec![&doc.ids];
    links::check_anchors(&content, 0, &resolved.anchors, &ids, false, &mut Vec::new());
    let web = serialise::Web {
        content: &content,
        page,
        resolved: &resolved.resolved,
        titles: &resolved.titles,
    };
    let _ = doc.to_html(&web);
    let all = |_| true;
    let anchors = vec!["p-index".to_string()];
    let refs = crate::site::pageref::PageRefs {
        plain: crate::site::pageref::RefText::new("(p. {page})"),
        see: crate::site::pageref::RefText::new("(voir p. {page})"),
    };
    let print = serialise::Print {
        content: &content,
        page,
        anchors: &anchors,
        resolved: &resolved.resolved,
        titles: &resolved.titles,
        file: "print.html",
        included: &all,
        edition: Some(markdown::Audiences::named("mentee")),
        outline_level: Some(2),
        refs: Some(&refs),
    };
    let _ = doc.to_html(&print);
}

/// Parses a worksheet block body of the given kind (by index into the block kinds).
pub fn block(kind: u8, body: &str) {
    let kinds = crate::render::blocks::KINDS;
    let kind = kinds[usize::from(kind) % kinds.len()];
    let names = markdown::fields::FieldNames::new(true);
    let site = BlockSite {
        source: "content/fuzz.md",
        anchor: "p-fuzz",
        form: "fuzz",
        names: &names,
        line: 1,
    };
    let _ = BlockHooks.block(kind, body, &site);
}

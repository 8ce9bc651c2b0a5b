//! Entry points for the fuzz targets in `fuzz/` (and their regression tests): each
//! runs one parser on arbitrary input and must never panic.

use crate::config::Typography;
use crate::content::{Content, front_matter};
use crate::diagnostic::Diagnostic;
use crate::markdown::{self, Hooks, LinkMode};

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
    fn block(
        &self,
        kind: &str,
        body: &str,
        page: &crate::content::Page,
        line: usize,
    ) -> Result<String, Diagnostic> {
        let signers = ["Mentor".to_string(), "Mentee".to_string()];
        crate::render::blocks::parse(kind, body, page, line, &|s| s.to_string(), &signers)
            .map(|b| format!("{:?}", b.data))
    }
    fn label(&self, key: &str) -> String {
        key.to_string()
    }
}

/// Renders Markdown as a page body, on screen and for print, with French typography.
pub fn markdown(text: &str) {
    let content = Content::single_page(text, "fr");
    let opts = markdown::Options {
        typography: Typography::Fr,
        safe_html: false,
        collect_text: true,
        edition: None,
        html: true,
    };
    let page = &content.pages[0];
    let r = markdown::render(&content, page, &opts, &BlockHooks, LinkMode::Web);
    let ids = vec![&r.ids];
    markdown::check_anchors(&content, 0, &r.anchors, &ids, &mut Vec::new());
    let all = |_| true;
    let _ = markdown::render(
        &content,
        page,
        &opts,
        &BlockHooks,
        LinkMode::Print {
            out: "print.html",
            included: &all,
        },
    );
}

/// Parses a worksheet block body of the given kind (by index into the block kinds).
pub fn block(kind: u8, body: &str) {
    let kinds = crate::render::blocks::KINDS;
    let kind = kinds[usize::from(kind) % kinds.len()];
    let content = Content::single_page("", "fr");
    let _ = BlockHooks.block(kind, body, &content.pages[0], 1);
}

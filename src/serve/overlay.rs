//! The build-error overlay shown over served pages, and the error page served
//! when no build has succeeded yet.
//!
//! Each error reads exactly as in the terminal: `path:line:col: error: message`
//! and its `help:` line.

use crate::diagnostic::Diagnostic;
use crate::text::escape_html;

/// The overlay's element id.
pub const OVERLAY_ID: &str = "mentorbook-overlay";

/// An overlay listing `diags`, telling whether the page under it is the last good
/// version (`has_site`) or nothing could be built yet.
pub fn overlay(diags: &[Diagnostic], has_site: bool) -> String {
    let errors = diags.iter().filter(|d| d.is_error()).count().max(1);
    let heading = format!(
        "mentorbook: the build failed with {errors} error{}",
        if errors == 1 { "" } else { "s" }
    );
    let note = if has_site {
        "This page is the last version that built. Fix the error and save: this message goes away by itself."
    } else {
        "No version of the handbook has built yet. Fix the error and save: the page reloads by itself."
    };
    let mut items = String::new();
    for d in diags {
        items.push_str(&format!(
            "<pre style=\"margin:0 0 .75em;white-space:pre-wrap;font:inherit\">{}</pre>",
            escape_html(&d.render(false))
        ));
    }
    format!(
        "<div id=\"{OVERLAY_ID}\" role=\"alert\" style=\"all:initial;position:fixed;z-index:2147483647;\
left:0;right:0;bottom:0;max-height:60vh;overflow:auto;box-sizing:border-box;padding:1em 1.25em;\
background:#2b0d0d;color:#fff;border-top:4px solid #e5484d;font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace\">\
<button type=\"button\" aria-label=\"Close\" onclick=\"this.parentNode.remove()\" style=\"float:right;\
background:none;border:1px solid #fff;color:#fff;border-radius:4px;cursor:pointer;font:inherit\">×</button>\
<strong style=\"display:block;font-size:1.1em;margin-bottom:.25em\">{heading}</strong>\
<p style=\"margin:0 0 .75em;opacity:.85\">{note}</p>{items}</div>"
    )
}

/// A whole page showing `diags`, for when no build has succeeded yet.
pub fn error_page(diags: &[Diagnostic]) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<title>Build failed · mentorbook</title>\n</head>\n<body>\n{}\n</body>\n</html>\n",
        overlay(diags, false)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlay_shows_location_escaped() {
        let d = Diagnostic::error("content/a.md", 3, 7, "bad <yaml>").with_help("close it");
        let html = overlay(&[d], true);
        assert!(
            html.contains("content/a.md:3:7: error: bad &lt;yaml&gt;"),
            "{html}"
        );
        assert!(html.contains("help: close it"));
        assert!(html.contains("last version that built"));
        assert!(error_page(&[]).contains(OVERLAY_ID));
    }
}

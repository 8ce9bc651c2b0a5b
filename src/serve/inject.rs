//! Puts what only served pages get (reload script, error overlay) into an HTML
//! page, between markers, just before its last `</body>`.

use crate::serve::reload::{BEGIN, END};

/// Inserts `snippet`, wrapped in the serve markers, before the last `</body>`
/// of `html` (any case), or at the end when there is none.
pub fn inject(html: &[u8], snippet: &str) -> Vec<u8> {
    let at = rfind_ci(html, b"</body").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + snippet.len() + BEGIN.len() + END.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(BEGIN.as_bytes());
    out.extend_from_slice(snippet.as_bytes());
    out.extend_from_slice(END.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// Removes what [`inject`] added (for comparing served pages with built ones).
pub fn strip(html: &str) -> String {
    match (html.find(BEGIN), html.find(END)) {
        (Some(a), Some(b)) if b >= a => format!("{}{}", &html[..a], &html[b + END.len()..]),
        _ => html.to_string(),
    }
}

fn rfind_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.len() > hay.len() {
        return None;
    }
    (0..=hay.len() - needle.len())
        .rev()
        .find(|&i| hay[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn goes_before_the_last_body_end() {
        let html = b"<html><body><p>&lt;/body&gt;</p></BODY></html>";
        let out = String::from_utf8(inject(html, "<script></script>")).unwrap();
        assert!(out.ends_with(
            "<!--mentorbook-serve--><script></script><!--/mentorbook-serve--></BODY></html>"
        ));
        assert_eq!(strip(&out), String::from_utf8_lossy(html));
    }

    #[test]
    fn appends_without_body() {
        let out = inject(b"<p>x</p>", "S");
        assert_eq!(
            out,
            b"<p>x</p><!--mentorbook-serve-->S<!--/mentorbook-serve-->".to_vec()
        );
        assert_eq!(inject(b"", "S").len(), BEGIN.len() + END.len() + 1);
    }
}

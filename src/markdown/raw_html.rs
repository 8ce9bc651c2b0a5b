//! Raw HTML written in the page: escaped into text with `safe_html: true`,
//! otherwise passed through, with the ids it defines noted for anchor checks
//! and a warning for each URL attribute whose scheme runs code
//! ([`crate::urls::risk`]).

use pulldown_cmark::Event;

use crate::markdown::Cx;
use crate::markdown::event::{Ev, Items};

/// Escapes raw HTML (with `safe_html`) or notes the ids it defines.
pub(crate) fn run<'a>(mut items: Items<'a>, cx: &mut Cx<'_>) -> Items<'a> {
    for it in &mut items {
        if let Ev::Md(Event::Html(h) | Event::InlineHtml(h)) = &mut it.ev {
            if cx.opts.safe_html {
                let text = std::mem::replace(h, "".into());
                it.ev = Ev::Md(Event::Text(text));
            } else {
                note_ids(h, &mut cx.doc.ids);
                for url in url_attributes(h) {
                    if let Some(risk) = crate::urls::risk(&url) {
                        let (line, col) = cx.locate(it.at);
                        cx.doc.diagnostics.push(crate::urls::risk_warning(
                            cx.src.path,
                            line,
                            col,
                            &url,
                            risk,
                            false,
                            false,
                        ));
                    }
                }
            }
        }
    }
    items
}

/// Attributes whose value a browser follows or loads as a URL.
const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "poster",
    "data",
    "background",
];

/// The values of the URL attributes in `html`, character references decoded.
/// Stops after 1,000 attributes: the scan stays linear in the text.
fn url_attributes(html: &str) -> Vec<String> {
    let lower = html.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() && out.len() < 1000 {
        let Some(eq) = lower[i..].find('=').map(|p| p + i) else {
            break;
        };
        i = eq + 1;
        let name_end = lower[..eq].trim_end().len();
        let name_start = lower[..name_end]
            .rfind(|c: char| c.is_whitespace() || c == '<' || c == '"' || c == '\'')
            .map_or(0, |p| p + 1);
        let wanted = URL_ATTRIBUTES.contains(&&lower[name_start..name_end]);
        let rest = html[eq + 1..].trim_start();
        let start = html.len() - rest.len();
        let (value, len) = match rest.chars().next() {
            Some(q @ ('"' | '\'')) => {
                let v = &rest[1..];
                let end = v.find(q).unwrap_or(v.len());
                (&v[..end], end + 2)
            }
            _ => {
                let end = rest
                    .find(|c: char| c.is_whitespace() || c == '>')
                    .unwrap_or(rest.len());
                (&rest[..end], end)
            }
        };
        if wanted {
            out.push(decode_references(value));
        }
        // Past the value, whatever the attribute: `=` inside it is not one.
        i = (start + len).min(bytes.len()).max(i);
    }
    out
}

/// Decodes the character references a browser would in an attribute value
/// (numeric ones, and the named ones that hide a scheme).
fn decode_references(v: &str) -> String {
    if !v.contains('&') {
        return v.to_string();
    }
    let mut out = String::with_capacity(v.len());
    let mut rest = v;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest[1..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '#'))
            .map_or(rest.len(), |p| p + 1);
        let name = &rest[1..end];
        let decoded = if let Some(num) = name.strip_prefix('#') {
            let n = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok(),
                None => num.parse().ok(),
            };
            n.and_then(char::from_u32)
        } else {
            match name.to_ascii_lowercase().as_str() {
                "colon" => Some(':'),
                "tab" => Some('\t'),
                "newline" => Some('\n'),
                _ => None,
            }
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = rest[end..].strip_prefix(';').unwrap_or(&rest[end..]);
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Adds to `ids` every `id="…"` (or `id='…'`) attribute value in `html`.
pub fn note_ids(html: &str, ids: &mut std::collections::HashSet<String>) {
    for (quote, close) in [("id=\"", '"'), ("id='", '\'')] {
        for (i, _) in html.match_indices(quote) {
            let before = html[..i].chars().last();
            if before.is_some_and(|c| !c.is_whitespace()) {
                continue;
            }
            let rest = &html[i + quote.len()..];
            if let Some(end) = rest.find(close) {
                ids.insert(rest[..end].to_string());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_attributes_are_read_as_a_browser_reads_them() {
        let html = r#"<a href="javascript:x()">a</a> <img SRC='&#106;avascript&colon;y'> <a title="href=no" href=https://ok>b</a> <form action=&#x6A;avascript:z>"#;
        assert_eq!(
            url_attributes(html),
            [
                "javascript:x()",
                "javascript:y",
                "https://ok",
                "javascript:z"
            ]
        );
        assert_eq!(url_attributes("<p data-x=\"1\">"), Vec::<String>::new());
    }
}

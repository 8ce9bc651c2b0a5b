//! Raw HTML written in the page. Its comments (`<!-- note -->`, also over
//! lines; not mentorbook's own markers `<!--mb:…-->`) are the author's, never
//! shown: they are left out of the output
//! (Hugo leaves raw HTML out; mdBook, Zola and MkDocs publish comments in the
//! page's source). The rest is escaped into text with `safe_html: true`;
//! otherwise passed through, with
//! - the ids it defines noted for anchor checks;
//! - its `href` and `src` values inside the handbook (`/img/a.png`, `guide.md`,
//!   `#id`) recorded as links, like Markdown links: resolved, checked, and
//!   written for the place the page is shown (relative URLs, print anchors);
//! - an `<iframe>` (a video) followed by a link to what it shows, so that it
//!   stays reachable on paper;
//! - an empty `<a id="x"></a>` inside a heading (as GitBook writes them) taken
//!   out, `x` becoming the heading's id, so the page has no duplicate id.
//!
//! Every URL attribute a browser follows (`href`, `src`, `action`, `poster`…),
//! quoted or not, character references decoded, whose scheme runs code or cannot
//! work (`javascript:`, `file:`, `//host`…) is a warning ([`crate::urls::risk`]).

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use crate::markdown::Cx;
use crate::markdown::doc::{RawLink, Slot};
use crate::markdown::event::{Ev, Item, Items};

/// `items` without HTML comments: an inline comment goes; an HTML block
/// loses its comments (its lines are one text, a comment may span them), and
/// goes if nothing else is left. A block with a `<script>`, `<style>`,
/// `<textarea>` or `<pre>` (where `<!--` may be text, or blank lines count)
/// is left as it is.
fn without_comments(items: Items<'_>) -> Items<'_> {
    let has_comment = items.iter().any(
        |it| matches!(&it.ev, Ev::Md(Event::Html(h) | Event::InlineHtml(h)) if h.contains("<!--")),
    );
    if !has_comment {
        return items;
    }
    let mut out: Items<'_> = Vec::with_capacity(items.len());
    // The HTML block being read: where its start is in `out`, and its text.
    let mut block: Option<(usize, String)> = None;
    for it in items {
        match &it.ev {
            Ev::Md(Event::Start(Tag::HtmlBlock)) => {
                block = Some((out.len(), String::new()));
                out.push(it);
            }
            Ev::Md(Event::Html(h)) if block.is_some() => {
                if let Some((_, text)) = &mut block {
                    text.push_str(h);
                }
                // Kept until the block ends, where its text is decided.
                out.push(it);
            }
            Ev::Md(Event::End(TagEnd::HtmlBlock)) => {
                if let Some((start, text)) = block.take()
                    && text.contains("<!--")
                    && !crate::content::comments::is_verbatim(&text)
                {
                    let at = out[start].at;
                    out.truncate(start);
                    let kept = strip_comments(&text);
                    if !kept.trim().is_empty() {
                        out.push(Item::md(Event::Start(Tag::HtmlBlock), at));
                        out.push(Item::md(Event::Html(kept.into()), at));
                        out.push(it);
                    }
                } else {
                    out.push(it);
                }
            }
            Ev::Md(Event::InlineHtml(h)) if h.contains("<!--") => {
                let kept = strip_comments(h);
                if !kept.is_empty() {
                    let at = it.at;
                    out.push(Item::md(Event::InlineHtml(kept.into()), at));
                }
            }
            _ => out.push(it),
        }
    }
    out
}

/// `html` without its comments (found outside tags; one never closed runs
/// to the end); the markers the passes before wrote for those after
/// (`<!--mb:title …-->`, see [`crate::markdown::dialects`]) stay.
fn strip_comments(html: &str) -> String {
    let comments = crate::content::comments::html_comment_ranges(html)
        .into_iter()
        .filter(|r| !html[r.start..].starts_with("<!--mb:"))
        .collect();
    let out = crate::text::replace_ranges(html, comments, |_, _| {});
    // A line left empty by a comment goes with it (the blocks kept here hold
    // no blank line but in a comment).
    out.split_inclusive('\n')
        .filter(|l| !l.trim().is_empty())
        .collect()
}

/// Escapes raw HTML (with `safe_html`), or notes its ids, links and iframes.
pub(crate) fn run<'a>(items: Items<'a>, cx: &mut Cx<'_>) -> Items<'a> {
    let mut items = without_comments(items);
    if cx.opts.safe_html {
        for it in &mut items {
            if let Ev::Md(Event::Html(h) | Event::InlineHtml(h)) = &mut it.ev {
                let text = std::mem::replace(h, "".into());
                it.ev = Ev::Md(Event::Text(text));
            }
        }
        return items;
    }
    heading_anchors(&mut items);
    if !crate::markdown::event::has_html(&items) {
        return items;
    }
    let mut out = Vec::with_capacity(items.len());
    let mut in_block = false;
    for it in items {
        match &it.ev {
            Ev::Md(Event::Start(Tag::HtmlBlock)) => in_block = true,
            Ev::Md(Event::End(TagEnd::HtmlBlock)) => in_block = false,
            _ => {}
        }
        let (Ev::Md(Event::Html(h)) | Ev::Md(Event::InlineHtml(h))) = &it.ev else {
            out.push(it);
            continue;
        };
        note_ids(h, &mut cx.doc.ids);
        if h.trim_start().starts_with("<!--") && h.trim_end().ends_with("-->") {
            out.push(it);
            continue;
        }
        warn_risky(cx, h, it.at);
        let attrs = url_attributes(h);
        if attrs.is_empty() {
            out.push(it);
            continue;
        }
        let html = h.to_string();
        let at = it.at;
        let mut last = 0;
        let mut pieces: Vec<Item<'a>> = Vec::new();
        for a in &attrs {
            let value = &html[a.start..a.end];
            let decoded = decode_entities(value);
            if crate::markdown::links::is_kept(&decoded) {
                continue;
            }
            pieces.push(Item::markup(html[last..a.start].to_string(), at));
            let (line, col) = cx.locate(at + a.start);
            let n = u32::try_from(cx.doc.links.len()).unwrap_or(u32::MAX);
            cx.doc.links.push(RawLink {
                dest: decoded,
                line,
                col,
                image: a.name != "href",
                text: None,
                wiki: false,
                embed: false,
            });
            pieces.push(Item::slot(Slot::Href(n), at));
            last = a.end;
        }
        if pieces.is_empty() {
            out.push(it);
        } else {
            pieces.push(Item::markup(html[last..].to_string(), at));
            out.extend(pieces);
        }
        // A link under each iframe, for paper.
        for a in attrs
            .iter()
            .filter(|a| a.tag == "iframe" && a.name == "src")
        {
            let value = decode_entities(&html[a.start..a.end]);
            if value.trim().is_empty() {
                continue;
            }
            *cx.doc.converted.entry("iframe link").or_default() += 1;
            let title = a
                .title
                .clone()
                .filter(|t| !t.trim().is_empty())
                .unwrap_or_else(|| value.clone());
            let (open, close) = if in_block {
                ("\n<p class=\"media-link\">", "</p>\n")
            } else {
                (" <span class=\"media-link\">", "</span>")
            };
            out.push(Item::markup(format!("{open}<a href=\""), at));
            if crate::markdown::links::is_kept(&value) {
                out.push(Item::markup(crate::text::escape_html(&value), at));
            } else {
                let (line, col) = cx.locate(at + a.start);
                let n = u32::try_from(cx.doc.links.len()).unwrap_or(u32::MAX);
                cx.doc.links.push(RawLink {
                    dest: value.clone(),
                    line,
                    col,
                    image: false,
                    text: None,
                    wiki: false,
                    embed: false,
                });
                out.push(Item::slot(Slot::Href(n), at));
            }
            out.push(Item::markup(
                format!("\">{}</a>{close}", crate::text::escape_html(&title)),
                at,
            ));
        }
    }
    out
}

/// A warning for each URL attribute of `html` (at byte `at` of the page) whose
/// scheme runs code or cannot work.
fn warn_risky(cx: &mut Cx<'_>, html: &str, at: usize) {
    for url in risky_values(html) {
        if let Some(risk) = crate::urls::risk(&url) {
            let (line, col) = cx.locate(at);
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

/// The values of the URL attributes in `html` as a browser reads them (any
/// case, quoted or not, character references decoded).
/// Stops after 1,000 attributes: the scan stays linear in the text.
fn risky_values(html: &str) -> Vec<String> {
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

/// Empty anchors inside headings (`## Titre <a href="#titre" id="titre"></a>`,
/// GitBook's) are taken out; their id becomes the heading's when it has none.
fn heading_anchors(items: &mut Items<'_>) {
    let mut heading: Option<usize> = None;
    let mut i = 0;
    while i < items.len() {
        match &items[i].ev {
            Ev::Md(Event::Start(Tag::Heading { .. })) => heading = Some(i),
            Ev::Md(Event::End(TagEnd::Heading(_))) => heading = None,
            Ev::Md(Event::InlineHtml(h)) if heading.is_some() => {
                let open = h.trim();
                let closes = matches!(
                    items.get(i + 1).map(|n| &n.ev),
                    Some(Ev::Md(Event::InlineHtml(c))) if c.trim() == "</a>"
                );
                if open.starts_with("<a ") && closes {
                    let mut ids = std::collections::HashSet::new();
                    note_ids(open, &mut ids);
                    if let Some(id) = ids.into_iter().next() {
                        if let Some(Ev::Md(Event::Start(Tag::Heading { id: hid, .. }))) =
                            heading.and_then(|h| items.get_mut(h)).map(|it| &mut it.ev)
                            && hid.is_none()
                        {
                            *hid = Some(CowStr::from(id));
                        }
                        items.drain(i..i + 2);
                        continue;
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
}

/// A URL-valued attribute of a tag in a piece of raw HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
struct UrlAttr {
    /// The tag's name, lower-case.
    tag: String,
    /// `href` or `src`.
    name: &'static str,
    /// Byte range of the value (inside its quotes).
    start: usize,
    end: usize,
    /// The tag's `title`, if any.
    title: Option<String>,
}

/// The quoted `href` and `src` values of the tags in `html`.
fn url_attributes(html: &str) -> Vec<UrlAttr> {
    if !(html.contains("href") || html.contains("src")) {
        return Vec::new();
    }
    let mut out = Vec::new();
    let b = html.as_bytes();
    let mut i = 0;
    while let Some(lt) = html[i..].find('<') {
        i += lt + 1;
        let name_len = html[i..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .unwrap_or(html.len() - i);
        if name_len == 0 {
            continue;
        }
        let tag = html[i..i + name_len].to_ascii_lowercase();
        i += name_len;
        let mut title = None;
        let mut found = Vec::new();
        // Attributes up to the tag's end.
        while i < html.len() && b[i] != b'>' {
            if b[i].is_ascii_whitespace() || b[i] == b'/' {
                i += 1;
                continue;
            }
            let first_len = html[i..].chars().next().map_or(1, char::len_utf8);
            let n = html[i..]
                .find(|c: char| c.is_whitespace() || c == '=' || c == '>')
                .unwrap_or(html.len() - i)
                .max(first_len);
            let attr = html[i..i + n].to_ascii_lowercase();
            i += n;
            if b.get(i) != Some(&b'=') {
                continue;
            }
            i += 1;
            let Some(&q) = b.get(i).filter(|q| **q == b'"' || **q == b'\'') else {
                // Unquoted: skip the value.
                while i < html.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                    i += 1;
                }
                continue;
            };
            let start = i + 1;
            let end = html[start..]
                .find(q as char)
                .map_or(html.len(), |e| start + e);
            match attr.as_str() {
                "href" => found.push(("href", start, end)),
                "src" => found.push(("src", start, end)),
                "title" => title = Some(decode_entities(&html[start..end])),
                _ => {}
            }
            i = (end + 1).min(html.len());
        }
        for (name, start, end) in found {
            out.push(UrlAttr {
                tag: tag.clone(),
                name,
                start,
                end,
                title: title.clone(),
            });
        }
    }
    out
}

/// The text of an attribute value as a browser reads it: character references
/// (numeric, and the named ones that hide a scheme), then `&amp;`, `&quot;`,
/// `&lt;`, `&gt;` decoded.
fn decode_entities(v: &str) -> String {
    if !v.contains('&') {
        return v.to_string();
    }
    decode_references(v)
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
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
    fn odd_characters_in_tags_do_not_panic() {
        for h in [
            "<a\u{a0}href=\"x\">",
            "<img \u{a0}src='é' \u{2003}=ü>",
            "<\u{a0}",
            "<a href=\"é",
        ] {
            let _ = url_attributes(h);
        }
    }

    #[test]
    fn finds_url_attributes_of_tags() {
        let h = r#"<img src="/img/a.png" title="Le binôme" alt="x"><a href='b.md'>b</a><iframe src=https://x></iframe>"#;
        let a = url_attributes(h);
        assert_eq!(a.len(), 2);
        assert_eq!(&h[a[0].start..a[0].end], "/img/a.png");
        assert_eq!(a[0].title.as_deref(), Some("Le binôme"));
        assert_eq!((a[1].tag.as_str(), &h[a[1].start..a[1].end]), ("a", "b.md"));
    }

    #[test]
    fn risky_values_are_read_as_a_browser_reads_them() {
        let html = r#"<a href="javascript:x()">a</a> <img SRC='&#106;avascript&colon;y'> <a title="href=no" href=https://ok>b</a> <form action=&#x6A;avascript:z>"#;
        assert_eq!(
            risky_values(html),
            [
                "javascript:x()",
                "javascript:y",
                "https://ok",
                "javascript:z"
            ]
        );
        assert_eq!(risky_values("<p data-x=\"1\">"), Vec::<String>::new());
    }
}

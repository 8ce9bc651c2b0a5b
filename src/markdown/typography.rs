//! French spacing and quotation marks on the page's text ([`crate::typography`]),
//! never inside code, raw HTML, or inline `<script>`, `<style>`, `<pre>`, `<code>`
//! and `<kbd>` elements. A French page with `typography: none` still gets « »
//! (spacing as typed).

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use crate::config::Typography;
use crate::markdown::Cx;
use crate::markdown::event::{Ev, Items};
use crate::typography::FrenchSpacer;

/// Inline HTML elements whose text is code, not prose.
const VERBATIM: [&str; 5] = ["script", "style", "pre", "code", "kbd"];

/// Applies the site's typography to text events.
pub(crate) fn run<'a>(mut items: Items<'a>, cx: &mut Cx<'_>) -> Items<'a> {
    let spacing = cx.opts.typography == Typography::Fr;
    let mut spacer = FrenchSpacer::default();
    let mut in_code = false;
    let mut verbatim: Option<&'static str> = None;
    for it in &mut items {
        let Ev::Md(ev) = &mut it.ev else { continue };
        match ev {
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Start(Tag::Heading { .. } | Tag::Paragraph | Tag::Item | Tag::TableCell) => {
                spacer.reset();
            }
            Event::Start(Tag::Image { .. }) | Event::Code(_) => spacer.saw_other(),
            Event::InlineHtml(h) => match verbatim {
                Some(tag) if closes(h, tag) => verbatim = None,
                Some(_) => {}
                None => verbatim = opens(h),
            },
            Event::Text(t) if !in_code && verbatim.is_none() && spacing => {
                if let Some(fixed) = spacer.apply_if_changed(t) {
                    *t = CowStr::from(fixed);
                }
            }
            // The parser's smart punctuation does not know inline code elements:
            // put back what was typed (`"` for `“`, `--` for `–`…).
            Event::Text(t) if verbatim.is_some() => {
                if let Some(typed) = as_typed(t, cx.lines.text(), it.at) {
                    *t = CowStr::from(typed);
                }
            }
            // `typography: none` in French: « » quotation marks, spacing as typed.
            Event::Text(t)
                if cx.opts.french_quotes
                    && !in_code
                    && verbatim.is_none()
                    && t.contains(['“', '”']) =>
            {
                *t = CowStr::from(crate::typography::french_quote_marks(t));
            }
            _ => {}
        }
    }
    items
}

/// The characters typed in `source` at `at` for a smart-punctuation text
/// event `t` (`“` ← `"`, `’` ← `'`, `…` ← `...`, `–` ← `--`, `—` ← `---`),
/// or `None` when `t` is not one or the source says otherwise.
fn as_typed(t: &str, source: &str, at: usize) -> Option<&'static str> {
    let typed: &[&'static str] = match t {
        "“" | "”" => &["\""],
        "‘" | "’" => &["'"],
        "…" => &["..."],
        "–" => &["--"],
        "—" => &["---"],
        _ => return None,
    };
    let here = source.get(at..)?;
    typed.iter().copied().find(|ty| here.starts_with(ty))
}

/// The verbatim element an inline tag opens, if any (`<code class="x">` → `code`).
fn opens(html: &str) -> Option<&'static str> {
    let rest = html.strip_prefix('<')?;
    VERBATIM.into_iter().find(|tag| {
        rest.len() > tag.len()
            // `get`: the bytes after `<` may cut a character (`<!-- à revoir -->`).
            && rest.get(..tag.len()).is_some_and(|t| t.eq_ignore_ascii_case(tag))
            && matches!(
                rest.as_bytes()[tag.len()],
                b'>' | b' ' | b'\t' | b'\n' | b'/'
            )
            && !html.trim_end().ends_with("/>")
    })
}

/// Whether an inline tag closes `tag` (`</code>`).
fn closes(html: &str, tag: &str) -> bool {
    html.strip_prefix("</")
        .and_then(|r| r.get(..tag.len()))
        .is_some_and(|t| t.eq_ignore_ascii_case(tag))
}

//! Constructs of other tools that have no meaning in Markdown, handled before
//! the page is parsed, line for line (so line numbers stay right):
//!
//! - MDX (Docusaurus): `import`/`export` lines (also over several lines), JSX
//!   components (`<Tabs>`, also with attributes over several lines) and JSX
//!   comments `{/* … */}` are left out, the components' content kept; JSX
//!   attributes of HTML tags (`style={{…}}`, `onClick={…}`) are left out of the
//!   tag, which stays, and `className` becomes `class`; `<head>…</head>` blocks
//!   (page metadata) are left out;
//! - Liquid (Jekyll): `{% raw %}` and `{% endraw %}` are removed and what is
//!   between them kept as written (also in code, as Jekyll does); link tags
//!   become paths — `{{ site.baseurl }}` and `{{ site.url }}` nothing,
//!   `{{ '/x/' | relative_url }}` `/x/`, `{% link x.md %}` `/x.md`; any other
//!   tag is left out;
//! - Hugo: `{{< ref "x.md" >}}` and `relref` become the path; other shortcodes
//!   are left out;
//! - Zola (on its pages only): `{{ youtube(id="…") }}` and `vimeo` inside a line
//!   become a link to the video; other shortcodes (`{{ name(…) }}`, `{% name(…) %}`)
//!   are left out, their `{% end %}` too; `{{ … }}` that calls nothing is text,
//!   as Zola shows it; a `<!-- more -->` line (the summary's end) is left out.
//!
//! What is left out is reported once per page and kind, at its first place;
//! Hugo and Zola shortcodes each at their own place.

use crate::diagnostic::Diagnostic;
use crate::markdown::doc::Converted;
use crate::text::LineMap;

/// What was left out, by kind: (line, column, first text) of the first one;
/// and every Hugo and Zola shortcode left out (line, column, text).
#[derive(Debug, Default)]
struct Seen(
    [Option<(usize, usize, String)>; 6],
    /// The Hugo shortcodes.
    Vec<(usize, usize, String)>,
    /// The Zola shortcodes.
    Vec<(usize, usize, String)>,
);

const MODULE: usize = 0;
const LIQUID: usize = 1;
const JSX: usize = 2;
const JSX_ATTR: usize = 3;
const HEAD: usize = 4;
const HUGO: usize = 5;

const KINDS: [(&str, &str); 6] = [
    (
        "MDX `import`/`export` lines are not supported and were left out",
        "mentorbook reads Markdown, not MDX: remove these lines",
    ),
    (
        "Liquid tags are not supported and were left out",
        "replace them with plain text or Markdown (mentorbook does not run Liquid)",
    ),
    (
        "JSX components are not supported: the tags were left out, their content kept",
        "use Markdown instead: `:::tip` containers, tables, lists",
    ),
    (
        "JSX attributes were left out of HTML tags (the tags are kept)",
        "write plain HTML attributes (`style=\"width: 50%\"`), or a class the theme styles",
    ),
    (
        "`<head>` blocks are not supported and were left out",
        "set the page's title and description in its front matter (`title:`, `description:`)",
    ),
    (
        "this Hugo shortcode is not supported and was left out",
        "replace them with Markdown: `:::tip` containers, links, images",
    ),
];

impl Seen {
    fn note(&mut self, kind: usize, line: usize, col: usize, what: &str) {
        self.0[kind].get_or_insert((line, col, what.chars().take(40).collect()));
    }

    /// A Hugo shortcode left out: each is reported, at its place (but for the
    /// closing tags of shortcodes already reported).
    fn hugo(&mut self, line: usize, col: usize, tag: &str) {
        let inner = tag.get(3..tag.len().saturating_sub(3)).unwrap_or("").trim();
        if !inner.starts_with('/') {
            self.1.push((line, col, tag.chars().take(60).collect()));
        }
    }
}

/// A construct that goes on over the next lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Open {
    /// An `import`/`export` statement: its open brackets.
    Module(i32),
    /// A `<head>` block.
    Head,
    /// A JSX comment `{/* …`.
    Comment,
    /// A JSX component tag whose `>` is on a later line.
    Component,
    /// An HTML tag whose `>` is on a later line (its attributes are scanned).
    Tag,
    /// A Docusaurus `<TabItem` tag whose `>` is on a later line: its text so far.
    TabItem,
}

/// Handles MDX, Liquid, Hugo and (with `zola`, on a page of a Zola site) Zola
/// constructs outside code; `None` when there are none. `lines` gives the file
/// line of each line of `body`.
pub fn strip(
    body: &str,
    source: &str,
    lines: &LineMap,
    zola: bool,
    diags: &mut Vec<Diagnostic>,
    converted: &mut Converted,
) -> Option<String> {
    if !(body.contains("{%")
        || body.contains("{{")
        || body.contains("{/*")
        || body.contains("import ")
        || body.contains("export ")
        || body.contains('<'))
    {
        return None;
    }
    let mut out = String::with_capacity(body.len());
    let mut fence: Option<(char, usize)> = None;
    let mut changed = false;
    let mut seen = Seen::default();
    let mut open: Option<Open> = None;
    let mut tab_item = String::new();
    let mut raw = false;
    for (i, line) in body.split_inclusive('\n').enumerate() {
        let at = lines.line(i);
        let content = line.strip_suffix('\n').unwrap_or(line);
        let newline = if line.ends_with('\n') { "\n" } else { "" };
        let t = content.trim_start();
        // `{% raw %}` is Liquid's: Jekyll removes it everywhere, code included.
        if raw || content.contains("{% raw %}") || content.contains("{%- raw -%}") {
            let (kept, still_raw) = raw_line(content, raw, converted);
            raw = still_raw;
            track_fence(&mut fence, kept.trim_start());
            changed |= kept.len() != content.len();
            out.push_str(&kept);
            out.push_str(newline);
            continue;
        }
        if let Some((c, n)) = fence {
            if crate::text::fence_closes(t, c, n) {
                fence = None;
            }
            out.push_str(line);
            continue;
        }
        if open.is_none()
            && let Some((c, n, _)) = crate::text::fence_open(t)
        {
            fence = Some((c, n));
            out.push_str(line);
            continue;
        }
        match open {
            Some(Open::Module(depth)) => {
                let d = depth + brackets(content);
                open = (d > 0 && !t.ends_with(';')).then_some(Open::Module(d));
                out.push_str(newline);
                changed = true;
                continue;
            }
            Some(Open::Head) => {
                if content.contains("</head>") {
                    open = None;
                }
                out.push_str(newline);
                changed = true;
                continue;
            }
            Some(Open::Comment) => {
                let rest = match content.find("*/}") {
                    Some(e) => {
                        open = None;
                        &content[e + 3..]
                    }
                    None => "",
                };
                let (cleaned, next) = inline(rest, at, zola, &mut seen, converted);
                open = open.or(next);
                out.push_str(&cleaned);
                out.push_str(newline);
                changed = true;
                continue;
            }
            Some(Open::Component) => {
                let rest = match tag_end(content) {
                    Some(e) => {
                        open = None;
                        &content[e..]
                    }
                    None => "",
                };
                let (cleaned, next) = inline(rest, at, zola, &mut seen, converted);
                open = open.or(next);
                out.push_str(&cleaned);
                out.push_str(newline);
                changed = true;
                continue;
            }
            Some(Open::TabItem) => {
                tab_item.push(' ');
                tab_item.push_str(t);
                if tag_end(&tab_item).is_some() {
                    open = None;
                    out.push_str(&tab_marker(&tab_item));
                } else if tab_item.len() > 4096 {
                    // No tag is that long: a component left open, left out (bounded work).
                    seen.note(JSX, at, 1, "<TabItem");
                    open = Some(Open::Component);
                }
                out.push_str(newline);
                changed = true;
                continue;
            }
            Some(Open::Tag) => {
                let (attrs, closed, removed) = scan_attrs(content, converted);
                if removed {
                    seen.note(JSX_ATTR, at, 1, t);
                }
                let mut cleaned = attrs.clone();
                if let Some(end) = closed {
                    let (rest, next) = inline(&content[end..], at, zola, &mut seen, converted);
                    cleaned.push_str(&rest);
                    open = next;
                } else {
                    open = Some(Open::Tag);
                }
                changed |= cleaned != content;
                out.push_str(&cleaned);
                out.push_str(newline);
                continue;
            }
            None => {}
        }
        // Zola's summary marker: the end of the page's summary, nothing to show.
        if zola && matches!(t.trim_end(), "<!-- more -->" | "<!--more-->") {
            *converted.entry("zola summary marker").or_default() += 1;
            out.push_str(newline);
            changed = true;
            continue;
        }
        // MDX module lines.
        if (t.starts_with("import ")
            && (t.contains(" from ") || t.ends_with(';') || t.contains('{') || t.contains('\'')))
            || t.starts_with("export ")
        {
            seen.note(MODULE, at, 1, t);
            let depth = brackets(content);
            open = (depth > 0 && !t.ends_with(';')).then_some(Open::Module(depth));
            out.push_str(newline);
            changed = true;
            continue;
        }
        if t.starts_with("<head>") || t == "<head" {
            seen.note(HEAD, at, content.len() - t.len() + 1, "<head>");
            if !content.contains("</head>") {
                open = Some(Open::Head);
            }
            out.push_str(newline);
            changed = true;
            continue;
        }
        // Docusaurus' `<Admonition type="tip" title="…">`, alone on its line: a callout.
        if let Some(marker) = docusaurus_admonition(t) {
            if marker != crate::markdown::containers::CLOSE_MARKER {
                *converted.entry("docusaurus admonition").or_default() += 1;
            }
            out.push_str(&marker);
            out.push_str(newline);
            changed = true;
            continue;
        }
        // Docusaurus tabs, each tag alone on its lines: sections, one per tab.
        if let Some(marker) = docusaurus_tabs(t) {
            if t.starts_with("<Tabs") {
                *converted.entry("docusaurus tabs").or_default() += 1;
            }
            match marker {
                Some(m) => out.push_str(&m),
                None => {
                    tab_item = t.to_string();
                    open = Some(Open::TabItem);
                }
            }
            out.push_str(newline);
            changed = true;
            continue;
        }
        let (cleaned, next) = inline(content, at, zola, &mut seen, converted);
        open = next;
        if cleaned != content {
            changed = true;
            out.push_str(&cleaned);
            out.push_str(newline);
        } else {
            out.push_str(line);
        }
    }
    let (message, help) = KINDS[HUGO];
    for (line, col, what) in seen.1 {
        diags.push(
            Diagnostic::warning(source, line, col, format!("{message}: `{what}`")).with_help(help),
        );
    }
    for (line, col, what) in seen.2 {
        diags.push(
            Diagnostic::warning(
                source,
                line,
                col,
                format!("{}: `{what}`", crate::markdown::zola::UNSUPPORTED),
            )
            .with_help(crate::markdown::zola::UNSUPPORTED_HELP),
        );
    }
    for (found, (message, help)) in seen.0.into_iter().zip(KINDS) {
        if let Some((line, col, what)) = found {
            diags.push(
                Diagnostic::warning(source, line, col, format!("{message} (first: `{what}`)"))
                    .with_help(help),
            );
        }
    }
    changed.then_some(out)
}

fn track_fence(fence: &mut Option<(char, usize)>, t: &str) {
    match *fence {
        Some((c, n)) if crate::text::fence_closes(t, c, n) => *fence = None,
        Some(_) => {}
        None => {
            if let Some((c, n, _)) = crate::text::fence_open(t) {
                *fence = Some((c, n));
            }
        }
    }
}

/// A line of (or with) a `{% raw %}` block: the tags removed, the rest kept as it is.
fn raw_line(content: &str, mut raw: bool, converted: &mut Converted) -> (String, bool) {
    let mut out = String::with_capacity(content.len());
    let mut rest = content;
    loop {
        let tag = if raw {
            ["{% endraw %}", "{%- endraw -%}"]
        } else {
            ["{% raw %}", "{%- raw -%}"]
        };
        match tag
            .iter()
            .filter_map(|t| rest.find(t).map(|i| (i, t.len())))
            .min()
        {
            Some((i, len)) => {
                out.push_str(&rest[..i]);
                rest = &rest[i + len..];
                if !raw {
                    *converted.entry("liquid raw").or_default() += 1;
                }
                raw = !raw;
            }
            None => {
                out.push_str(rest);
                return (out, raw);
            }
        }
    }
}

/// A line holding only a Docusaurus `<Tabs>`, `</Tabs>`, `<TabItem …>` or
/// `</TabItem>` tag: its marker, or `Some(None)` for a `<TabItem` whose `>` is
/// on a later line. `None` for any other line.
fn docusaurus_tabs(t: &str) -> Option<Option<String>> {
    use crate::markdown::dialects::{TAB_CLOSE, TABS_CLOSE, TABS_OPEN};
    let t = t.trim_end();
    if t == "</Tabs>" {
        return Some(Some(TABS_CLOSE.into()));
    }
    if t == "</TabItem>" {
        return Some(Some(TAB_CLOSE.into()));
    }
    let is = |name: &str| {
        t.strip_prefix(name)
            .is_some_and(|r| r.is_empty() || r.starts_with([' ', '>', '\t']))
    };
    if is("<Tabs") {
        return (tag_end(t) == Some(t.len())).then(|| Some(TABS_OPEN.into()));
    }
    if is("<TabItem") {
        return match tag_end(t) {
            Some(e) if e == t.len() && !t.ends_with("/>") => Some(Some(tab_marker(t))),
            Some(_) => None,
            None => Some(None),
        };
    }
    None
}

/// A line holding only Docusaurus' `<Admonition type="…" title="…">` (its `>` on
/// the line) or `</Admonition>`: the callout marker that opens or closes it.
fn docusaurus_admonition(t: &str) -> Option<String> {
    use crate::markdown::containers::{self, CLOSE_MARKER, CalloutKind};
    let t = t.trim_end();
    if t == "</Admonition>" {
        return Some(CLOSE_MARKER.into());
    }
    let rest = t.strip_prefix("<Admonition")?;
    if !(rest.starts_with([' ', '>', '\t']) && tag_end(t) == Some(t.len()) && !t.ends_with("/>")) {
        return None;
    }
    let kind = attr_of(t, "type")
        .and_then(|k| CalloutKind::from_container(&k))
        .unwrap_or(CalloutKind::Note);
    Some(containers::open_marker(
        kind,
        &attr_of(t, "title").unwrap_or_default(),
    ))
}

/// The quoted value of attribute `key` in a tag (`key="v"` or `key='v'`).
fn attr_of(tag: &str, key: &str) -> Option<String> {
    let i = tag.find(&format!(" {key}="))? + key.len() + 2;
    let rest = &tag[i..];
    let q = rest.chars().next().filter(|q| *q == '"' || *q == '\'')?;
    rest[1..].find(q).map(|e| rest[1..1 + e].to_string())
}

/// The tab marker of a `<TabItem label="…" value="…">` tag.
fn tab_marker(tag: &str) -> String {
    let attr = |key: &str| {
        let i = tag.find(&format!("{key}="))? + key.len() + 1;
        let rest = &tag[i..];
        let q = rest.chars().next().filter(|q| *q == '"' || *q == '\'')?;
        rest[1..].find(q).map(|e| rest[1..1 + e].to_string())
    };
    let title = attr("label").or_else(|| attr("value")).unwrap_or_default();
    format!(
        "{}{}-->",
        crate::markdown::dialects::TAB_PREFIX,
        crate::markdown::dialects::encode(&title)
    )
}

/// The balance of `{`, `(` and `[` on a line (for statements over several lines).
fn brackets(s: &str) -> i32 {
    s.chars().fold(0, |n, c| match c {
        '{' | '(' | '[' => n + 1,
        '}' | ')' | ']' => n - 1,
        _ => n,
    })
}

/// One line outside code, MDX and Liquid constructs handled; what goes on over
/// the next lines, if anything.
fn inline(
    line: &str,
    at: usize,
    zola: bool,
    seen: &mut Seen,
    converted: &mut Converted,
) -> (String, Option<Open>) {
    let mut out = String::with_capacity(line.len());
    let mut in_code = false;
    let bytes = line.as_bytes();
    let mut i = 0;
    let mut cols = crate::text::Columns::new(line);
    let mut col = |i: usize| cols.at(i);
    // Closing marks found missing from some offset on: missing from every later
    // one too, so an unclosed `{{` repeated along a line is searched for once.
    let mut missing = Missing::default();
    // Where a tag could still end, and take attributes: past these, a `<name`
    // is prose without scanning the rest of the line. Looked for at the first
    // tag of the line only: most lines have none.
    let lasts = std::cell::OnceCell::new();
    let lasts = || *lasts.get_or_init(|| (line.rfind('>'), line.rfind('=')));
    while i < line.len() {
        let rest = &line[i..];
        let c = bytes[i];
        if c == b'`' {
            in_code = !in_code;
        }
        if !in_code {
            if rest.starts_with("{/*") {
                *converted.entry("jsx comment").or_default() += 1;
                match rest.find("*/}") {
                    Some(e) => {
                        i += e + 3;
                        continue;
                    }
                    None => return (out, Some(Open::Comment)),
                }
            }
            if rest.starts_with("{{<") || rest.starts_with("{{%") {
                let close = if rest.starts_with("{{<") {
                    ">}}"
                } else {
                    "%}}"
                };
                let found = if rest.starts_with("{{<") {
                    missing.find(rest, close, |m| &mut m.hugo_angle)
                } else {
                    missing.find(rest, close, |m| &mut m.hugo_percent)
                };
                if let Some(e) = found {
                    let tag = &rest[..e + 3];
                    match hugo_ref(tag) {
                        Some(path) => {
                            *converted.entry("hugo ref").or_default() += 1;
                            out.push_str(&path);
                        }
                        None => seen.hugo(at, col(i), tag),
                    }
                    i += e + 3;
                    continue;
                }
            }
            if zola && (rest.starts_with("{{") || rest.starts_with("{%")) {
                if let Some(tag) = crate::markdown::zola::tag_at(rest) {
                    let text = &rest[..tag.len];
                    match tag.call {
                        Some(call) if !tag.body => match crate::markdown::zola::video_url(&call) {
                            Some(url) => {
                                *converted.entry("zola video").or_default() += 1;
                                out.push_str(&format!("<{url}>"));
                            }
                            None => seen.2.push((at, col(i), text.chars().take(60).collect())),
                        },
                        Some(_) => seen.2.push((at, col(i), text.chars().take(60).collect())),
                        // The end of a body shortcode already reported (or a callout's).
                        None => {}
                    }
                    i += tag.len;
                    continue;
                }
                // Not a call: Zola shows it as written.
                let ch_len = 2;
                out.push_str(&rest[..ch_len]);
                i += ch_len;
                continue;
            }
            let close = if rest.starts_with("{%") {
                missing.find(rest, "%}", |m| &mut m.percent).map(|e| e + 2)
            } else if rest.starts_with("{{") {
                missing.find(rest, "}}", |m| &mut m.braces).map(|e| e + 2)
            } else {
                None
            };
            if let Some(end) = close {
                let tag = &rest[..end];
                match liquid_path(tag) {
                    Some(path) => {
                        *converted.entry("liquid link").or_default() += 1;
                        out.push_str(&path);
                    }
                    None => seen.note(LIQUID, at, col(i), tag),
                }
                i += end;
                continue;
            }
            if let Some(component) = jsx_tag(rest) {
                seen.note(JSX, at, col(i), &rest[..component.unwrap_or(rest.len())]);
                match component {
                    Some(end) => {
                        i += end;
                        continue;
                    }
                    None => return (out, Some(Open::Component)),
                }
            }
            // With no `>` left on the line and no `=` after the name, the scan
            // could only find a `<` in prose (`a <b and c`): skip it.
            let prose = |n: usize| {
                let (last_gt, last_eq) = lasts();
                last_gt.is_none_or(|g| g < i)
                    && last_eq.is_none_or(|q| q < i + n)
                    && !rest[n..].trim().is_empty()
            };
            let tag = html_tag_start(rest)
                .filter(|&n| !prose(n))
                .map(|n| (n, scan_attrs(&rest[n..], converted)));
            if let Some((name_len, (attrs, closed, removed))) = tag
                // A `<` in prose (`a <b and c`) is no tag going on over the next lines.
                && (closed.is_some()
                    || rest[name_len..].trim().is_empty()
                    || rest[name_len..].contains('='))
            {
                if removed {
                    seen.note(
                        JSX_ATTR,
                        at,
                        col(i),
                        &rest[..closed.map_or(rest.len(), |e| e + name_len)],
                    );
                }
                out.push_str(&rest[..name_len]);
                out.push_str(&attrs);
                match closed {
                    Some(e) => {
                        i += name_len + e;
                        continue;
                    }
                    None => return (out, Some(Open::Tag)),
                }
            }
        }
        let ch_len = rest.chars().next().map_or(1, char::len_utf8);
        out.push_str(&rest[..ch_len]);
        i += ch_len;
    }
    (out, None)
}

/// Closing marks of one line known to be missing from some offset on.
#[derive(Default)]
struct Missing {
    hugo_angle: bool,
    hugo_percent: bool,
    percent: bool,
    braces: bool,
}

impl Missing {
    /// `rest.find(close)`, unless `close` is known missing (`flag`); marks it so
    /// when the search fails.
    fn find(&mut self, rest: &str, close: &str, flag: fn(&mut Self) -> &mut bool) -> Option<usize> {
        let known = flag(self);
        if *known {
            return None;
        }
        let found = rest.find(close);
        *known = found.is_none();
        found
    }
}

/// MDX has no indented code blocks: inside a JSX component (`<Tabs>`,
/// `<TabItem>`, `<Admonition>`…) of an MDX page, content is indented for
/// readability only. Dedents the lines inside components, line for line (each
/// by at most the indentation of the first line of its component's content, so
/// that nested lists and the code inside fences keep their own indentation), and
/// the components' tag lines entirely. `None` when nothing changed. Runs before
/// the other pre-passes, so that they see the content as MDX does.
pub fn dedent_components(body: &str) -> Option<String> {
    if !body.contains("<") {
        return None;
    }
    /// An open component: how much of its content's indentation goes (known
    /// from its first content line).
    struct Frame {
        base: Option<usize>,
    }
    let mut out = String::with_capacity(body.len());
    let mut stack: Vec<Frame> = Vec::new();
    let mut fence: Option<(char, usize)> = None;
    // The text so far of a component tag whose `>` is on a later line.
    let mut tag: Option<String> = None;
    let mut changed = false;
    for line in body.split_inclusive('\n') {
        let content = line.strip_suffix('\n').unwrap_or(line);
        let newline = &line[content.len()..];
        let t = content.trim_start();
        let indent = indent_cols(content);
        if let Some(so_far) = tag.as_mut() {
            so_far.push(' ');
            so_far.push_str(t);
            if let Some(end) = tag_end(so_far) {
                if !so_far[..end].ends_with("/>") && so_far[end..].trim().is_empty() {
                    stack.push(Frame { base: None });
                }
                tag = None;
            } else if so_far.len() > 4096 {
                tag = None;
            }
            out.push_str(line);
            continue;
        }
        if t.is_empty() || (stack.is_empty() && fence.is_none() && !t.starts_with(['<', '`', '~']))
        {
            out.push_str(line);
            continue;
        }
        // How much of this line's indentation goes.
        let cut = match stack.last_mut() {
            Some(frame) => indent.min(*frame.base.get_or_insert(indent)),
            None => 0,
        };
        let kept = cut_cols(content, cut);
        changed |= kept.len() != content.len();
        if let Some((c, n)) = fence {
            if crate::text::fence_closes(t, c, n) {
                fence = None;
            }
            out.push_str(kept);
            out.push_str(newline);
            continue;
        }
        if let Some((c, n, _)) = crate::text::fence_open(t) {
            fence = Some((c, n));
            out.push_str(kept);
            out.push_str(newline);
            continue;
        }
        match jsx_tag(t) {
            Some(_) if t.starts_with("</") => {
                stack.pop();
                changed |= t.len() != content.len();
                out.push_str(t);
            }
            Some(Some(end)) => {
                let name_end = t[1..]
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '.'))
                    .map_or(t.len(), |e| e + 1);
                let closing = format!("</{}>", &t[1..name_end]);
                if !t[..end].ends_with("/>") && !t[end..].contains(&closing) {
                    stack.push(Frame { base: None });
                }
                changed |= t.len() != content.len();
                out.push_str(t);
            }
            Some(None) => {
                tag = Some(t.to_string());
                changed |= t.len() != content.len();
                out.push_str(t);
            }
            None => out.push_str(kept),
        }
        out.push_str(newline);
    }
    changed.then_some(out)
}

/// Leading spaces, a tab counting as four.
fn indent_cols(line: &str) -> usize {
    line.chars()
        .map_while(|c| match c {
            ' ' => Some(1),
            '\t' => Some(4),
            _ => None,
        })
        .sum()
}

/// `line` without up to `cols` columns of leading whitespace.
fn cut_cols(line: &str, cols: usize) -> &str {
    let mut n = 0;
    for (i, c) in line.char_indices() {
        if n >= cols {
            return &line[i..];
        }
        match c {
            ' ' => n += 1,
            '\t' => n += 4,
            _ => return &line[i..],
        }
    }
    ""
}

/// The path a Liquid link tag stands for: `{{ site.baseurl }}` and `{{ site.url }}`
/// stand for nothing, `{{ '/x/' | relative_url }}` for `/x/`, `{% link x.md %}`
/// for `/x.md`. `None` for any other tag.
fn liquid_path(tag: &str) -> Option<String> {
    let inner = tag
        .trim_start_matches(['{', '%', '-'])
        .trim_end_matches(['}', '%', '-'])
        .trim();
    if tag.starts_with("{{") {
        let compact: String = inner.chars().filter(|c| !c.is_whitespace()).collect();
        if matches!(
            compact.as_str(),
            "site.baseurl" | "site.url" | "site.url|append:site.baseurl" | "site.github.url"
        ) {
            return Some(String::new());
        }
        let (value, filter) = inner.split_once('|')?;
        let filter = filter.trim();
        if filter == "relative_url" || filter == "absolute_url" {
            let v = value.trim();
            let v = v
                .strip_prefix('\'')
                .and_then(|v| v.strip_suffix('\''))
                .or_else(|| v.strip_prefix('"').and_then(|v| v.strip_suffix('"')))?;
            return Some(v.to_string());
        }
        return None;
    }
    let rest = inner.strip_prefix("link ")?.trim();
    let path = rest.split_whitespace().next()?;
    (!path.contains("{{")).then(|| format!("/{}", path.trim_start_matches('/')))
}

/// The path of a Hugo `{{< ref "x" >}}` or `{{< relref "x" >}}`.
fn hugo_ref(tag: &str) -> Option<String> {
    let inner = tag.get(3..tag.len().saturating_sub(3))?.trim();
    let rest = inner
        .strip_prefix("relref")
        .or_else(|| inner.strip_prefix("ref"))?
        .trim();
    let path = rest.trim_matches(|c| c == '"' || c == '\'').trim();
    (!path.is_empty() && !path.contains(' ')).then(|| path.to_string())
}

/// At a JSX component tag (`<Tabs>`, `</Tab>`, `<Admonition type="x" />`): the
/// length of the tag when it ends on this line (`Some(None)` when it goes on).
fn jsx_tag(s: &str) -> Option<Option<usize>> {
    let rest = s.strip_prefix("</").or_else(|| s.strip_prefix('<'))?;
    let first = rest.chars().next()?;
    if !first.is_ascii_uppercase() {
        return None;
    }
    let name_len = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '.')
        .count();
    let after = &rest[name_len..];
    if !(after.is_empty()
        || after.starts_with('>')
        || after.starts_with(' ')
        || after.starts_with('\t')
        || after.starts_with("/>"))
    {
        return None;
    }
    Some(tag_end(s))
}

/// The offset just after the `>` ending a tag that starts at or before `s`,
/// skipping quoted values and `{…}` expressions.
fn tag_end(s: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    let mut braces = 0usize;
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (Some(q), _) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') if braces == 0 => quote = Some(c),
            (None, '{') => braces += 1,
            (None, '}') => braces = braces.saturating_sub(1),
            (None, '>') if braces == 0 => return Some(i + 1),
            _ => {}
        }
    }
    None
}

/// At an HTML tag of lower-case name (`<img`, `<div`): the length of `<name`.
fn html_tag_start(s: &str) -> Option<usize> {
    let rest = s.strip_prefix('<')?;
    let n = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
        .count();
    let first = rest.chars().next()?;
    let after = &rest[n..];
    (first.is_ascii_lowercase()
        && n > 0
        && (after.starts_with(' ') || after.starts_with('\t') || after.is_empty()))
    .then_some(n + 1)
}

/// The attributes of an HTML tag (from after its name), with JSX attribute
/// values (`={…}`) left out, `className` written `class`, and Liquid link tags
/// in quoted values turned into paths. Returns them, the offset after the tag's
/// `>` when it is on this text, and whether a JSX attribute was left out.
fn scan_attrs(s: &str, converted: &mut Converted) -> (String, Option<usize>, bool) {
    let mut out = String::with_capacity(s.len());
    let mut removed = false;
    let mut i = 0;
    let b = s.as_bytes();
    while i < s.len() {
        let c = b[i];
        if c == b'>' {
            out.push('>');
            return (out, Some(i + 1), removed);
        }
        if c == b'/' && b.get(i + 1) == Some(&b'>') {
            out.push_str("/>");
            return (out, Some(i + 2), removed);
        }
        if c.is_ascii_whitespace() {
            out.push(c as char);
            i += 1;
            continue;
        }
        // An attribute: its name, then maybe `=` and a value.
        let first_len = s[i..].chars().next().map_or(1, char::len_utf8);
        let name_len = s[i..]
            .find(|ch: char| ch.is_whitespace() || ch == '=' || ch == '>' || ch == '/')
            .unwrap_or(s.len() - i)
            .max(first_len);
        let name = &s[i..i + name_len];
        i += name_len;
        if b.get(i) != Some(&b'=') {
            out.push_str(name);
            continue;
        }
        i += 1;
        match b.get(i) {
            Some(b'{') => {
                // A JSX expression: skip it, balanced braces.
                let mut depth = 0usize;
                let start = i;
                while i < s.len() {
                    match b[i] {
                        b'{' => depth += 1,
                        b'}' => {
                            depth -= 1;
                            if depth == 0 {
                                i += 1;
                                break;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
                let _ = start;
                removed = true;
                // Drop the space before the attribute too.
                while out.ends_with(' ') || out.ends_with('\t') {
                    out.pop();
                }
            }
            Some(&q @ (b'"' | b'\'')) => {
                let end = s[i + 1..].find(q as char).map_or(s.len(), |e| i + 1 + e);
                let value = &s[i + 1..end.min(s.len())];
                let value = liquid_in_value(value, converted);
                out.push_str(if name == "className" { "class" } else { name });
                if name == "className" {
                    *converted.entry("jsx className").or_default() += 1;
                }
                out.push('=');
                out.push(q as char);
                out.push_str(&value);
                out.push(q as char);
                i = (end + 1).min(s.len());
            }
            _ => {
                out.push_str(name);
                out.push('=');
            }
        }
    }
    (out, None, removed)
}

/// The longest Liquid link tag looked for in an attribute value.
const MAX_LIQUID_TAG: usize = 512;

/// A quoted attribute value with its Liquid link tags turned into paths.
fn liquid_in_value(value: &str, converted: &mut Converted) -> String {
    if !value.contains("{{") && !value.contains("{%") {
        return value.to_string();
    }
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(start) = rest.find(['{']) {
        out.push_str(&rest[..start]);
        let r = &rest[start..];
        // A link tag is short: its end is looked for within a window, so that a
        // value of many `{{` that are no links is read in linear work.
        let near = crate::text::window(r, MAX_LIQUID_TAG);
        let close = if r.starts_with("{%") {
            near.find("%}").map(|e| e + 2)
        } else if r.starts_with("{{") {
            near.find("}}").map(|e| e + 2)
        } else {
            None
        };
        match close.and_then(|e| liquid_path(&r[..e]).map(|p| (e, p))) {
            Some((e, p)) => {
                *converted.entry("liquid link").or_default() += 1;
                out.push_str(&p);
                rest = &r[e..];
            }
            None => {
                out.push('{');
                rest = &r[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(body: &str) -> (Option<String>, Vec<Diagnostic>, Converted) {
        run_with(body, false)
    }

    fn run_with(body: &str, zola: bool) -> (Option<String>, Vec<Diagnostic>, Converted) {
        let mut d = Vec::new();
        let mut c = Converted::new();
        let out = strip(body, "a.md", &LineMap::new(1), zola, &mut d, &mut c);
        (out, d, c)
    }

    #[test]
    fn docusaurus_admonitions_are_callouts() {
        use crate::markdown::containers::{CLOSE_MARKER, CalloutKind, parse_marker};
        let body = "<Admonition type=\"warning\" title=\"Attention\">\nNe partagez pas.\n</Admonition>\n<Admonition>\nNote.\n</Admonition>\n<Admonition type=\"tip\" />\n";
        let (out, d, c) = run_with(body, false);
        let out = out.expect("changed");
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), body.lines().count(), "line for line");
        assert_eq!(
            parse_marker(lines[0]),
            Some((CalloutKind::Warning, "Attention".to_string()))
        );
        assert_eq!(lines[2], CLOSE_MARKER);
        assert_eq!(
            parse_marker(lines[3]),
            Some((CalloutKind::Note, String::new()))
        );
        assert_ne!(
            lines[6],
            body.lines().nth(6).unwrap_or(""),
            "self-closing: reported as before"
        );
        assert_eq!(c.get("docusaurus admonition"), Some(&2));
        assert!(
            d.iter()
                .all(|d| !d.message.contains("Admonition") || d.line() == 7),
            "{d:?}"
        );
    }

    #[test]
    fn zola_shortcodes_inside_lines() {
        let body = "Voir {{ youtube(id=\"abc\") }} puis {{ vimeo(id=\"42\") }}.\n<!-- more -->\nUn {{ gallery(dir=\"img\") }} et {% aside() %}texte{% end %}.\n`{{ gallery() }}` et {{ page.title }}\n```\n<!-- more -->\n```\n";
        let (out, d, c) = run_with(body, true);
        let out = out.expect("changed");
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), body.lines().count(), "line for line");
        assert_eq!(
            lines[0],
            "Voir <https://www.youtube.com/watch?v=abc> puis <https://vimeo.com/42>."
        );
        assert_eq!(lines[1], "", "the summary marker goes, silently");
        assert_eq!(lines[2], "Un  et texte.");
        assert_eq!(
            lines[3], "`{{ gallery() }}` et {{ page.title }}",
            "code, and braces that call nothing, as Zola shows them"
        );
        assert_eq!(lines[5], "<!-- more -->", "code is kept");
        let places: Vec<(usize, usize)> = d.iter().map(|d| (d.line(), d.col())).collect();
        assert_eq!(places, [(3, 4), (3, 32)], "{d:?}");
        assert!(
            d.iter().all(|d| d
                .message
                .starts_with("this Zola shortcode is not supported")),
            "{d:?}"
        );
        assert!(!d.iter().any(|d| d.message.contains("Liquid")));
        assert_eq!(c.get("zola video"), Some(&2));
        // Elsewhere these are Liquid tags.
        let (_, d, _) = run_with(body, false);
        assert!(d.iter().any(|d| d.message.contains("Liquid")), "{d:?}");
    }

    #[test]
    fn removes_mdx_liquid_and_jsx_line_for_line() {
        let body = "import Tabs from '@theme/Tabs';\n\nHello {{ site.title }} `{{ kept }}`\n<Tabs>\n<TabItem value=\"a\">Texte</TabItem>\n</Tabs>\n{% include note.html %}\n```\n{% raw %}\n```\n";
        let (out, d, _) = run(body);
        let out = out.unwrap();
        assert_eq!(out.lines().count(), body.lines().count());
        assert!(!out.contains("import") && !out.contains("site.title") && !out.contains("<Tabs"));
        assert!(out.contains("`{{ kept }}`") && out.contains("Texte"));
        assert!(
            !out.contains("{% raw %}"),
            "Jekyll removes raw tags everywhere"
        );
        assert_eq!(d.len(), 3);
        assert_eq!((d[1].line(), d[1].col()), (3, 7));
        assert_eq!(
            d[2].line(),
            5,
            "`<Tabs>` alone on its line is converted, not reported"
        );
        assert!(out.contains(crate::markdown::dialects::TABS_OPEN));
    }

    #[test]
    fn mdx_components_are_dedented_line_for_line() {
        let body = "<Tabs>\n  <TabItem value=\"mentor\" label=\"Mentor\" default>\n    Le mentor reformule.\n\n    - un\n      - deux\n\n    ```js\n    if (x) {\n      y();\n    }\n    ```\n  </TabItem>\n  <TabItem\n    value=\"b\">\n    Texte B.\n  </TabItem>\n</Tabs>\n\n    code hors composant\n";
        let out = dedent_components(body).expect("changed");
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), body.lines().count());
        assert_eq!(
            lines[1],
            "<TabItem value=\"mentor\" label=\"Mentor\" default>"
        );
        assert_eq!(lines[2], "Le mentor reformule.");
        assert_eq!((lines[4], lines[5]), ("- un", "  - deux"), "nesting kept");
        assert_eq!(
            (lines[7], lines[9], lines[11]),
            ("```js", "  y();", "```"),
            "code keeps its own indentation"
        );
        assert_eq!(lines[12], "</TabItem>");
        assert_eq!(
            lines[14], "    value=\"b\">",
            "a tag's attributes are left to `strip`"
        );
        assert_eq!(lines[15], "Texte B.");
        assert_eq!(
            lines[19], "    code hors composant",
            "outside components: untouched"
        );
        // Inline components, self-closing ones and tags in code open nothing.
        assert_eq!(
            dedent_components(
                "<Highlight>a</Highlight>\n    code\n<Br />\n    code\n```\n<Tabs>\n```\n    code\n"
            ),
            None
        );
    }

    #[test]
    fn indented_tabs_of_an_mdx_page_are_text() {
        let body = "<Tabs>\n  <TabItem value=\"mentor\" label=\"Mentor\" default>\nLe mentor reformule.\n  </TabItem>\n  <TabItem value=\"mentee\" label=\"Personne mentorée\">\n    La personne mentorée précise.\n  </TabItem>\n</Tabs>\n";
        let dedented = dedent_components(body).expect("changed");
        let (out, d, _) = run(&dedented);
        let out = out.expect("tabs");
        assert_eq!(out.lines().count(), body.lines().count());
        assert_eq!(out.lines().nth(5), Some("La personne mentorée précise."));
        assert!(d.is_empty(), "{d:?}");
    }

    #[test]
    fn odd_characters_in_tags_do_not_panic() {
        for body in [
            "<a\u{a0}href=x>",
            "<img \u{a0}\u{2003}src={{é}} é=\"ü\" />\n<div\u{a0}",
            "<b é\u{a0}=\u{a0}{ü",
            "<x\n\u{a0}=\u{a0}\n>",
        ] {
            let _ = run(body);
        }
    }

    #[test]
    fn leaves_plain_html_and_text_alone() {
        let (out, d, _) = run("a < b and <em>x</em>\n<img src=\"a.png\" alt=\"x\">\n");
        assert_eq!(out, None);
        assert!(d.is_empty());
    }

    #[test]
    fn jsx_attributes_leave_the_tag_whole() {
        let (out, d, c) = run(
            "<div style={{textAlign: 'center'}} className=\"x\">\n<img src=\"/img/a.png\" style={{width: 300}} />\n</div>\n",
        );
        let out = out.unwrap();
        assert_eq!(
            out,
            "<div class=\"x\">\n<img src=\"/img/a.png\" />\n</div>\n"
        );
        assert_eq!(d.len(), 1);
        assert_eq!(c.get("jsx className"), Some(&1));
    }

    #[test]
    fn multi_line_constructs_and_head() {
        let body = "import {\n  A,\n} from 'x';\n<head>\n  <title>T</title>\n</head>\n<TabItem\n  value=\"a\">\nTexte {/* note\n fin */} suite\n";
        let (out, d, _) = run(body);
        let out = out.unwrap();
        assert_eq!(out.lines().count(), body.lines().count());
        assert!(!out.contains("from") && !out.contains("title") && !out.contains("value"));
        assert!(out.contains("Texte ") && out.contains(" suite"));
        assert!(
            out.contains("<!--mb:tab a-->"),
            "a tab, its tag over two lines"
        );
        assert_eq!(d.len(), 2, "{d:?}");
    }

    #[test]
    fn raw_keeps_what_it_holds_and_links_become_paths() {
        let (out, d, c) = run(
            "{% raw %}\n{{ page.title }}\n{% endraw %}\n[Guide]({{ site.baseurl }}/guide/) [A]({% link docs/a.md %}) [B]({{ '/b/' | relative_url }})\n<a href=\"{{ site.baseurl }}/c/\">c</a> [R]({{< relref \"d.md\" >}})\n",
        );
        let out = out.unwrap();
        assert!(out.contains("\n{{ page.title }}\n"));
        assert!(out.contains("[Guide](/guide/) [A](/docs/a.md) [B](/b/)"));
        assert!(out.contains("<a href=\"/c/\">c</a> [R](d.md)"));
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(c.get("liquid link"), Some(&4));
    }
}

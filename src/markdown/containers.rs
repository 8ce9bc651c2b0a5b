//! The `:::kind Title … :::` container syntax of Docusaurus and VuePress, and
//! audience blocks (`:::only mentor`, ```` ```only mentee ````).
//!
//! Containers are rewritten, line for line, into one-line HTML comments that the
//! [`callouts`](super::callouts) and [`only`](super::only) passes turn into markup.
//! Line numbers stay the same, so diagnostics inside a container still point at
//! the right line. Which lines can be containers is decided with the parser:
//! never inside code or raw HTML.

use crate::diagnostic::Diagnostic;

/// Callout kinds, from GitHub alerts and containers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CalloutKind {
    /// Background information.
    Note,
    /// Information (Docusaurus' and MkDocs' `info`): styled as a note, titled
    /// "Info".
    Info,
    /// A helpful suggestion.
    Tip,
    /// Something the reader must know.
    Important,
    /// A risk to be aware of.
    Warning,
    /// A harmful consequence to avoid.
    Caution,
    /// A danger (Docusaurus' and MkDocs' `danger`): styled as a caution, titled
    /// "Danger".
    Danger,
}

impl CalloutKind {
    /// The kind's name, used for CSS classes and UI string keys.
    pub fn name(self) -> &'static str {
        match self {
            CalloutKind::Note => "note",
            CalloutKind::Info => "info",
            CalloutKind::Tip => "tip",
            CalloutKind::Important => "important",
            CalloutKind::Warning => "warning",
            CalloutKind::Caution => "caution",
            CalloutKind::Danger => "danger",
        }
    }

    /// The kind for a container name (`info` and `danger` are Docusaurus aliases).
    pub fn from_container(name: &str) -> Option<Self> {
        Some(match name.to_ascii_lowercase().as_str() {
            "note" | "abstract" | "summary" => CalloutKind::Note,
            "info" => CalloutKind::Info,
            "tip" | "hint" | "success" => CalloutKind::Tip,
            "important" => CalloutKind::Important,
            "warning" | "attention" => CalloutKind::Warning,
            "caution" | "error" => CalloutKind::Caution,
            "danger" => CalloutKind::Danger,
            _ => return None,
        })
    }
}

/// The marker comment that opens a container.
pub const OPEN_PREFIX: &str = "<!--mb:callout ";
/// The marker comment that closes a container.
pub const CLOSE_MARKER: &str = "<!--mb:/callout-->";

/// Where the parser sees code and raw HTML (no container there), and the
/// ```` ```only ```` fences (whose body is Markdown).
#[derive(Debug, Default)]
struct Regions {
    /// Byte ranges of code blocks and HTML blocks, sorted.
    verbatim: Vec<std::ops::Range<usize>>,
    /// Byte ranges of ```` ```only ```` fences, sorted.
    only: Vec<std::ops::Range<usize>>,
}

impl Regions {
    /// One parse of `body`, with the options pages are rendered with.
    fn of(body: &str) -> Self {
        use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag};
        let mut r = Regions::default();
        for (ev, range) in Parser::new_ext(body, super::cmark_options()).into_offset_iter() {
            match ev {
                Event::Start(Tag::CodeBlock(kind)) => {
                    let only = matches!(&kind, CodeBlockKind::Fenced(info) if is_only_info(info));
                    if only {
                        r.only.push(range);
                    } else {
                        r.verbatim.push(range);
                    }
                }
                Event::Start(Tag::HtmlBlock) => r.verbatim.push(range),
                _ => {}
            }
        }
        r
    }

    fn contains(ranges: &[std::ops::Range<usize>], at: usize) -> Option<&std::ops::Range<usize>> {
        let i = ranges.partition_point(|r| r.start <= at);
        i.checked_sub(1).map(|i| &ranges[i]).filter(|r| at < r.end)
    }
}

/// Whether a fence's info string opens an `only` block (`only`, `only mentor lead`).
fn is_only_info(info: &str) -> bool {
    info.trim()
        .strip_prefix("only")
        .is_some_and(|w| w.is_empty() || w.starts_with(char::is_whitespace))
}

/// Rewrites container lines into marker comments. `lines` gives the file line of
/// each line of `body`, for diagnostics; `converted` counts the callouts. The parser tells where code and raw HTML
/// are, so a `:::` line there is left alone; inside an ```` ```only ```` fence (code
/// to the parser, Markdown to us) lines are read as the scanner sees them.
pub fn preprocess(
    body: &str,
    source: &str,
    lines: &crate::text::LineMap,
    diags: &mut Vec<Diagnostic>,
    converted: &mut super::doc::Converted,
) -> Option<String> {
    if !body.contains(":::") && !body.contains("```only") && !body.contains("~~~only") {
        return None;
    }
    /// What an open container is, to close it with the right marker.
    enum Open {
        Callout(usize),
        Only(usize),
        OnlyFence(usize, char, usize),
    }
    let regions = Regions::of(body);
    let mut out = String::with_capacity(body.len() + 64);
    let mut fence: Option<(char, usize)> = None;
    let mut open: Vec<Open> = Vec::new();
    // How many of `open` are ```only fences: counted, not searched for on
    // every line, so that thousands of unclosed blocks stay linear.
    let mut only_fences = 0usize;
    let mut offset = 0usize;
    for (i, line) in body.split_inclusive('\n').enumerate() {
        let line_start = offset;
        offset += line.len();
        let content = line.strip_suffix('\n').unwrap_or(line);
        let t = content.trim_start();
        let indent = content.len() - t.len();
        let newline = if line.ends_with('\n') { "\n" } else { "" };
        let in_only = Regions::contains(&regions.only, line_start).is_some() || only_fences > 0;
        if !in_only && Regions::contains(&regions.verbatim, line_start).is_some() {
            out.push_str(line);
            continue;
        }
        if let Some((c, n)) = fence {
            if crate::text::fence_closes(t, c, n) {
                fence = None;
            }
            out.push_str(line);
            continue;
        }
        if indent < 4
            && let Some((c, n, info)) = crate::text::fence_open(t)
        {
            // Closing an ```only fence.
            if info.is_empty()
                && let Some(Open::OnlyFence(_, oc, on)) = open.last()
                && *oc == c
                && n >= *on
            {
                open.pop();
                only_fences -= 1;
                out.push_str(ONLY_CLOSE);
                out.push_str(newline);
                continue;
            }
            // Opening an ```only fence: its body is Markdown, not code.
            if let Some(who) = info
                .strip_prefix("only")
                .filter(|w| w.is_empty() || w.starts_with(char::is_whitespace))
            {
                out.push_str(&only_marker(who, source, lines.line(i), diags));
                out.push_str(newline);
                open.push(Open::OnlyFence(lines.line(i), c, n));
                only_fences += 1;
                continue;
            }
            if in_only {
                // A code block inside an ```only fence: the parser saw it as text.
                fence = Some((c, n));
            }
            out.push_str(line);
            continue;
        }
        let colons = t.chars().take_while(|&c| c == ':').count();
        if indent < 4 && colons >= 3 {
            let rest = t[colons..].trim();
            if rest.is_empty() {
                match open.last() {
                    Some(Open::Callout(_)) => {
                        open.pop();
                        out.push_str(CLOSE_MARKER);
                        out.push_str(newline);
                        continue;
                    }
                    Some(Open::Only(_)) => {
                        open.pop();
                        out.push_str(ONLY_CLOSE);
                        out.push_str(newline);
                        continue;
                    }
                    _ => {}
                }
            } else if let Some(who) = rest
                .strip_prefix("only")
                .filter(|w| w.is_empty() || w.starts_with(char::is_whitespace))
            {
                out.push_str(&only_marker(who, source, lines.line(i), diags));
                out.push_str(newline);
                open.push(Open::Only(lines.line(i)));
                continue;
            } else {
                // `:::tip Title`, or Docusaurus 3's `:::tip[Title]`.
                let (name, title) = match rest.find('[') {
                    Some(b) if rest.ends_with(']') && !rest[..b].contains(char::is_whitespace) => {
                        (&rest[..b], &rest[b + 1..rest.len() - 1])
                    }
                    _ => rest.split_once(char::is_whitespace).unwrap_or((rest, "")),
                };
                let name = name.trim_end_matches(':');
                let kind = CalloutKind::from_container(name).unwrap_or_else(|| {
                    diags.push(
                        Diagnostic::warning(
                            source,
                            lines.line(i),
                            indent + 1,
                            format!("unknown container kind `{name}`, shown as a note"),
                        )
                        .with_help("use one of: note, tip, info, important, warning, caution, danger, or `only mentor`"),
                    );
                    CalloutKind::Note
                });
                open.push(Open::Callout(lines.line(i)));
                *converted.entry("admonition").or_default() += 1;
                out.push_str(&open_marker(kind, title.trim()));
                out.push_str(newline);
                continue;
            }
        }
        out.push_str(line);
    }
    for o in open {
        let (line, what) = match o {
            Open::Callout(l) | Open::Only(l) => (l, "`:::`"),
            Open::OnlyFence(l, ..) => (l, "```only"),
        };
        diags.push(
            Diagnostic::error(
                source,
                line,
                1,
                format!("this {what} block is never closed"),
            )
            .with_help("add a closing line where the block ends (`:::`, or the fence for ```only)"),
        );
    }
    Some(out)
}

/// The marker comment that opens an `only` block (audiences separated by spaces).
pub const ONLY_PREFIX: &str = "<!--mb:only ";
/// The marker comment that closes an `only` block.
pub const ONLY_CLOSE: &str = "<!--mb:/only-->";

fn only_marker(who: &str, source: &str, line: usize, diags: &mut Vec<Diagnostic>) -> String {
    let mut names = Vec::new();
    for w in who
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
    {
        match crate::content::Audience::from_word(w) {
            Some(a) if a != crate::content::Audience::All => names.push(a.name()),
            _ => diags.push(
                Diagnostic::error(source, line, 1, format!("unknown audience `{w}` in an `only` block"))
                    .with_help("write `only mentor`, `only mentee` or `only lead` (several separated by spaces)"),
            ),
        }
    }
    if names.is_empty() && diags.last().is_none_or(|d| d.line() != line) {
        diags.push(
            Diagnostic::error(source, line, 1, "an `only` block needs an audience")
                .with_help("write `only mentor`, `only mentee` or `only lead`"),
        );
    }
    format!("{ONLY_PREFIX}{}-->", names.join(" "))
}

/// The audiences of an `only` block's opening marker.
pub fn parse_only(html: &str) -> Option<Vec<String>> {
    let rest = html.trim().strip_prefix(ONLY_PREFIX)?.strip_suffix("-->")?;
    Some(rest.split_whitespace().map(str::to_string).collect())
}

/// Whether `html` closes an `only` block.
pub fn is_only_close(html: &str) -> bool {
    html.trim() == ONLY_CLOSE
}

/// The marker comment opening a callout of `kind` titled `title` (empty: the
/// kind's name in the handbook's language).
pub fn open_marker(kind: CalloutKind, title: &str) -> String {
    format!("{OPEN_PREFIX}{} {}-->", kind.name(), encode_title(title))
}

/// How many closing markers `html` is made of (several callouts may end on one line).
pub fn close_count(html: &str) -> usize {
    let mut rest = html.trim();
    let mut n = 0;
    while let Some(r) = rest.strip_prefix(CLOSE_MARKER) {
        n += 1;
        rest = r.trim_start();
    }
    if rest.is_empty() { n } else { 0 }
}

/// A line of closing markers followed by an opening one (a callout ends where
/// the next begins): how many close, and the kind and title of the one that opens.
pub fn closes_then_open(html: &str) -> Option<(usize, CalloutKind, String)> {
    let mut rest = html.trim();
    let mut n = 0;
    while let Some(r) = rest.strip_prefix(CLOSE_MARKER) {
        n += 1;
        rest = r.trim_start();
    }
    let (kind, title) = parse_marker(rest)?;
    (n > 0).then_some((n, kind, title))
}

/// Parses a marker comment back into a kind and title.
pub fn parse_marker(html: &str) -> Option<(CalloutKind, String)> {
    let rest = html.trim().strip_prefix(OPEN_PREFIX)?.strip_suffix("-->")?;
    let (kind, title) = rest.split_once(' ').unwrap_or((rest, ""));
    Some((CalloutKind::from_container(kind)?, decode_title(title)))
}

/// Whether `html` is the closing marker.
pub fn is_close_marker(html: &str) -> bool {
    html.trim() == CLOSE_MARKER
}

fn encode_title(t: &str) -> String {
    t.replace('%', "%25")
        .replace('-', "%2D")
        .replace('>', "%3E")
}

fn decode_title(t: &str) -> String {
    t.replace("%3E", ">")
        .replace("%2D", "-")
        .replace("%25", "%")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrites_line_for_line() {
        let mut d = Vec::new();
        let out = preprocess(
            "a\n:::tip Un -- titre\nbody\n:::\nz\n",
            "x.md",
            &crate::text::LineMap::new(1),
            &mut d,
            &mut Default::default(),
        )
        .unwrap();
        assert_eq!(out.lines().count(), 5);
        let marker = out.lines().nth(1).unwrap();
        assert_eq!(
            parse_marker(marker),
            Some((CalloutKind::Tip, "Un -- titre".into()))
        );
        assert!(is_close_marker(out.lines().nth(3).unwrap()));
        assert!(d.is_empty());
    }

    #[test]
    fn only_blocks_from_containers_and_fences() {
        let mut d = Vec::new();
        let out = preprocess(
            ":::only mentor\nA\n:::\n```only mentee lead\n**B**\n```\n```rust\nonly\n```\n",
            "x.md",
            &crate::text::LineMap::new(1),
            &mut d,
            &mut Default::default(),
        )
        .unwrap();
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 9);
        assert_eq!(parse_only(lines[0]), Some(vec!["mentor".to_string()]));
        assert!(is_only_close(lines[2]));
        assert_eq!(
            parse_only(lines[3]),
            Some(vec!["mentee".to_string(), "lead".to_string()])
        );
        assert_eq!(lines[4], "**B**");
        assert!(is_only_close(lines[5]));
        assert_eq!(lines[6], "```rust");
        assert!(d.is_empty());
        preprocess(
            ":::only coach\nA\n:::\n",
            "x.md",
            &crate::text::LineMap::new(1),
            &mut d,
            &mut Default::default(),
        );
        assert_eq!(d.len(), 1);
    }

    #[test]
    fn docusaurus_bracket_titles() {
        let mut d = Vec::new();
        let out = preprocess(
            ":::info[À savoir]\nx\n:::\n",
            "x.md",
            &crate::text::LineMap::new(1),
            &mut d,
            &mut Default::default(),
        )
        .unwrap();
        assert_eq!(
            parse_marker(out.lines().next().unwrap()),
            Some((CalloutKind::Info, "À savoir".into()))
        );
    }

    #[test]
    fn ignores_fenced_code_and_reports_unclosed() {
        let mut d = Vec::new();
        let out = preprocess(
            "```\n:::tip\n```\n:::danger\nx\n",
            "x.md",
            &crate::text::LineMap::new(10),
            &mut d,
            &mut Default::default(),
        )
        .unwrap();
        assert!(out.starts_with("```\n:::tip\n```\n<!--mb:callout danger"));
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].line(), 13);
    }
}

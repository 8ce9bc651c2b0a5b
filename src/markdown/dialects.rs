//! Block syntax of other handbook tools, rewritten line for line (line numbers
//! stay right) before the page is parsed, into Markdown or into the marker
//! comments that [`containers`] and [`markers`](super::markers)
//! read:
//!
//! - **MkDocs** admonitions `!!! note "Titre"` and collapsible `??? note` /
//!   `???+ note`, their content indented by four spaces: callouts (always open);
//! - **GitBook** `{% hint style="…" %}`: a callout; `{% tabs %}` / `{% tab title="…" %}`:
//!   one section per tab, all shown; `{% content-ref url="…" %}`: a link card;
//!   `{% embed url="…" %}`: a link card to the address; `{% file src="…" %}`: a
//!   link to the file; `{% code title="…" %}`: the title above the code;
//! - **MyST** (Jupyter Book) directives ```` ```{note} ```` (and `:::{note}`):
//!   admonitions become callouts, `{code-block}` code, `{figure}`/`{image}`
//!   images, `{tab-set}`/`{tab-item}` tabs, `{toctree}`/`{tableofcontents}` are
//!   left out (the navigation lists the pages), other directives are shown as
//!   code and reported; `(label)=` targets become the id of the heading after
//!   them (or an anchor), which `` {ref}`label` `` links reach from any page;
//!   roles `` {doc}`path` ``, `` {download}`file` `` become links, others text.
//!
//! - **Zola** shortcodes alone on their line (with [`Flags::zola`]):
//!   `{{ youtube(id="…") }}` and `vimeo`: a link card to the video; a body
//!   shortcode named for a callout (`{% note() %}`, `{% warning(title="…") %}`)
//!   … `{% end %}`: a callout; any other body shortcode is left out, its content
//!   kept, and reported at its line.
//!
//! Labels are returned, for links from other pages.

use crate::diagnostic::Diagnostic;
use crate::markdown::containers::{self, CLOSE_MARKER, CalloutKind};
use crate::markdown::doc::Converted;
use crate::markdown::zola;
use crate::text::LineMap;

/// The marker opening a group of tabs.
pub const TABS_OPEN: &str = "<!--mb:tabs-->";
/// The marker closing a group of tabs.
pub const TABS_CLOSE: &str = "<!--mb:/tabs-->";
/// The marker opening one tab (its title follows, encoded).
pub const TAB_PREFIX: &str = "<!--mb:tab ";
/// The marker closing one tab.
pub const TAB_CLOSE: &str = "<!--mb:/tab-->";
/// The marker opening a link card.
pub const CARD_OPEN: &str = "<!--mb:card-->";
/// The marker closing a link card.
pub const CARD_CLOSE: &str = "<!--mb:/card-->";
/// The marker of an embedded address (`URL` and caption, encoded).
pub const EMBED_PREFIX: &str = "<!--mb:embed ";
/// The marker of a named target (MyST `(label)=` not before a heading).
pub const ANCHOR_PREFIX: &str = "<!--mb:anchor ";
/// The marker standing for a link's text: the title of the page it leads to
/// (the text written follows, encoded, for a link that leads elsewhere).
pub const TITLE_PREFIX: &str = "<!--mb:title ";

/// The text written of a [`TITLE_PREFIX`] marker, when `html` is one.
pub fn title_marker(html: &str) -> Option<String> {
    html.trim()
        .strip_prefix(TITLE_PREFIX)?
        .strip_suffix("-->")
        .map(decode)
}

/// Options of the rewrite.
#[derive(Debug, Clone, Copy, Default)]
pub struct Flags {
    /// MyST's line comments (`% …`) and block breaks (`+++`) are left out.
    pub myst: bool,
    /// Zola's shortcodes alone on their line are rewritten (`{{ youtube(…) }}`, `{% note() %}`).
    pub zola: bool,
}

/// Encodes text for a marker comment (no `-` runs, no `>`).
pub fn encode(t: &str) -> String {
    t.replace('%', "%25")
        .replace('-', "%2D")
        .replace('>', "%3E")
        .replace('|', "%7C")
}

/// Decodes [`encode`].
pub fn decode(t: &str) -> String {
    t.replace("%7C", "|")
        .replace("%3E", ">")
        .replace("%2D", "-")
        .replace("%25", "%")
}

/// What a page's rewrite found besides its text.
#[derive(Debug, Default)]
pub struct Found {
    /// MyST labels (`(label)=`), which other pages may link to.
    pub labels: Vec<String>,
}

/// Problems reported once per page and kind: (line, column, message, help).
type Once = std::collections::BTreeMap<&'static str, (usize, usize, String, &'static str)>;

struct Cx<'a> {
    lines: &'a LineMap,
    source: &'a str,
    once: Once,
    converted: &'a mut Converted,
    diags: &'a mut Vec<Diagnostic>,
}

impl Cx<'_> {
    fn count(&mut self, kind: &'static str) {
        *self.converted.entry(kind).or_default() += 1;
    }

    fn report(
        &mut self,
        kind: &'static str,
        i: usize,
        col: usize,
        message: String,
        help: &'static str,
    ) {
        let line = self.lines.line(i);
        self.once.entry(kind).or_insert((line, col, message, help));
    }

    /// A warning at line `i` of the body, for each occurrence.
    fn warn(&mut self, i: usize, col: usize, message: String, help: &'static str) {
        let line = self.lines.line(i);
        self.diags
            .push(Diagnostic::warning(self.source, line, col, message).with_help(help));
    }
}

/// Whether `body` holds one of the sequences every construct rewritten here
/// starts with (`!!!`, `???`, `{%`, `{:`, `){`, `{{<`, `{{%`, a fence or `:::`
/// before `{`, `)=`, `` }` ``, `=== "`, ```` ```admonish ````, `*[` at a line's
/// start; with MyST, `%` or
/// `+++`; with Zola, `{{`), in one pass over its bytes.
fn may_hold_dialect(body: &str, Flags { myst, zola }: Flags) -> bool {
    /// The bytes at which a check is made.
    const KEY: crate::text::ByteSet = crate::text::ByteSet::new(b"!?{=`%+*");
    let b = body.as_bytes();
    let at = |i: usize, s: &[u8]| b.get(i..i + s.len()) == Some(s);
    let before = |i: usize, s: &[u8]| i >= s.len() && &b[i - s.len()..i] == s;
    let mut i = 0;
    while let Some(found_at) = KEY.find_from(b, i) {
        i = found_at;
        let found = match b[i] {
            b'!' => at(i, b"!!!"),
            b'?' => at(i, b"???"),
            b'{' => {
                at(i, b"{%")
                    || at(i, b"{:")
                    || before(i, b")")
                    || at(i, b"{{<")
                    || at(i, b"{{%")
                    || (zola && at(i, b"{{"))
                    || before(i, b"```")
                    || before(i, b"~~~")
                    || before(i, b":::")
            }
            b'=' => before(i, b")") || at(i, b"=== \""),
            b'`' => before(i, b"}") || at(i, b"```admonish"),
            b'%' => myst,
            b'*' => at(i, b"*[") && (i == 0 || b[i - 1] == b'\n'),
            _ => myst && at(i, b"+++"),
        };
        if found {
            return true;
        }
        i += 1;
    }
    false
}

/// Rewrites the constructs of other tools in `body` (see the module
/// documentation); `None` for the text when there are none.
pub fn rewrite(
    body: &str,
    source: &str,
    lines: &LineMap,
    flags: Flags,
    diags: &mut Vec<Diagnostic>,
    converted: &mut Converted,
) -> (Option<String>, Found) {
    let mut found = Found::default();
    if !may_hold_dialect(body, flags) {
        return (None, found);
    }
    let all: Vec<&str> = body.split_inclusive('\n').collect();
    // The next and previous non-blank line of each line, found once (no quadratic
    // look-ahead on pages of many blank lines).
    let mut next_full: Vec<Option<usize>> = vec![None; all.len() + 1];
    for j in (0..all.len()).rev() {
        next_full[j] = if all[j].trim().is_empty() {
            next_full[j + 1]
        } else {
            Some(j)
        };
    }
    let mut prev_full: Vec<Option<usize>> = vec![None; all.len() + 1];
    for j in 0..all.len() {
        prev_full[j + 1] = if all[j].trim().is_empty() {
            prev_full[j]
        } else {
            Some(j)
        };
    }
    let next_nonblank = |i: usize| next_full.get(i + 1).copied().flatten();
    let mut cx = Cx {
        lines,
        source,
        once: Once::new(),
        converted,
        diags,
    };
    let mut out = String::with_capacity(body.len() + 64);
    let mut changed = false;
    let mut fence: Option<(char, usize)> = None;
    let mut skip: Option<(char, usize)> = None;
    // Open MyST directives whose body is Markdown: their fence, and what closes them.
    let mut directives: Vec<(char, usize, &'static str)> = Vec::new();
    // Open MkDocs admonitions: the indentation of their content.
    // Open MkDocs admonitions and tabs: the indentation of their content, and
    // whether they are a tab (closed by the tab markers).
    let mut mk: Vec<(usize, bool)> = Vec::new();
    let mut options_follow = false;
    let mut label_for: Option<(usize, String)> = None;
    // Inside a GitBook `content-ref`: its link shows the title of the page.
    let mut content_ref = false;
    // A Kramdown block IAL callout (`{: .note }` before a block) is open: whether
    // its lines are a block quote's (their `>` is taken off). It ends at a blank line.
    let mut ial: Option<bool> = None;
    // The blank lines before a block that a callout IAL follows (`Texte\n{: .note }`),
    // with their opening marker; and whether the block's callout is open.
    let mut ial_opens = trailing_ial_opens(&all);
    let mut trailing_open = false;
    // Open Zola body shortcodes: whether each is a callout (its `{% end %}` closes it).
    let mut zola_bodies: Vec<bool> = Vec::new();
    // Hugo Book's `{{< columns >}}` open: `<--->` lines separate its columns.
    let mut hugo_columns = 0usize;
    // Inside Hugo's `{{< highlight lang >}}`: the backticks of the fence it became.
    let mut hugo_code: Option<usize> = None;
    // Abbreviations defined on the page (`*[RH]: Ressources humaines`, MkDocs'
    // `abbr`, PHP Markdown Extra): listed at its end.
    let mut abbreviations: Vec<(String, String)> = Vec::new();
    // No `{{< /highlight >}}` after some line: none after any later one either
    // (so that many unclosed tags do not make the search quadratic).
    let mut highlight_unclosed = false;
    let mut i = 0;
    while i < all.len() {
        let whole = all[i];
        let raw = whole.strip_suffix('\n').unwrap_or(whole);
        let nl = if whole.ends_with('\n') { "\n" } else { "" };
        let emit = |out: &mut String, text: &str| {
            out.push_str(text);
            out.push_str(nl);
        };
        // A blank line ends a Kramdown IAL callout.
        let mut pending = String::new();
        if raw.trim().is_empty() && ial.take().is_some() {
            pending.push_str(CLOSE_MARKER);
        }
        // MkDocs: a blank line ends the admonitions whose content the next line leaves.
        if !mk.is_empty() && raw.trim().is_empty() {
            let next_line = next_nonblank(i).map(|j| all[j]);
            let next = next_line.map(indent_of);
            let mut closes = std::mem::take(&mut pending);
            while let Some(&(ci, tab)) = mk.last() {
                if next.is_none_or(|n| n < ci) {
                    mk.pop();
                    if tab {
                        closes.push_str(TAB_CLOSE);
                        // The group goes on when the next tab follows at this level.
                        let more = next_line.is_some_and(|l| {
                            indent_of(l) + 4 == ci && l.trim_start().starts_with("=== ")
                        });
                        if !more {
                            closes.push_str(TABS_CLOSE);
                        }
                    } else {
                        closes.push_str(CLOSE_MARKER);
                    }
                } else {
                    break;
                }
            }
            if !closes.is_empty() {
                emit(&mut out, &closes);
                changed = true;
                i += 1;
                continue;
            }
        }
        if !pending.is_empty() {
            // The blank line between two callouts closes one and opens the next.
            if let Some(marker) = ial_opens.remove(&i)
                && mk.is_empty()
                && !trailing_open
            {
                pending.push_str(&marker);
                trailing_open = true;
            }
            emit(&mut out, &pending);
            changed = true;
            i += 1;
            continue;
        }
        // The blank line before a block that a callout IAL follows opens the callout.
        if let Some(marker) = ial_opens.remove(&i)
            && mk.is_empty()
            && fence.is_none()
            && skip.is_none()
            && !trailing_open
        {
            emit(&mut out, &marker);
            trailing_open = true;
            changed = true;
            i += 1;
            continue;
        }
        let strip = mk.last().map_or(0, |m| m.0);
        let mut line = dedent(raw, strip);
        // The lines of a block quote made a callout by an IAL lose their `>`.
        if ial == Some(true) && fence.is_none() {
            match line.trim_start().strip_prefix('>') {
                Some(rest) => line = rest.strip_prefix(' ').unwrap_or(rest).to_string(),
                None => ial = Some(false),
            }
        }
        changed |= line.len() != raw.len();
        let t = line.trim_start();
        let ind = indent_of(&line);
        if let Some((c, n)) = fence {
            if crate::text::fence_closes(t, c, n) {
                fence = None;
            }
            emit(&mut out, &line);
            i += 1;
            continue;
        }
        if let Some(n) = hugo_code {
            if is_hugo_tag(t, "/highlight") {
                hugo_code = None;
                emit(
                    &mut out,
                    &format!("{}{}", &line[..line.len() - t.len()], "`".repeat(n)),
                );
                changed = true;
            } else {
                emit(&mut out, &line);
            }
            i += 1;
            continue;
        }
        if let Some((c, n)) = skip {
            if crate::text::fence_closes(t, c, n) {
                skip = None;
            }
            emit(&mut out, "");
            changed = true;
            i += 1;
            continue;
        }
        if let Some(def) = abbreviation(&line) {
            cx.count("abbreviations");
            abbreviations.push(def);
            emit(&mut out, "");
            changed = true;
            i += 1;
            continue;
        }
        if ind < 4
            && let Some(&(c, n, close)) = directives.last()
            && crate::text::fence_closes(t, c, n)
        {
            directives.pop();
            emit(&mut out, close);
            changed = true;
            i += 1;
            continue;
        }
        if ind < 4
            && let Some((c, n, info)) = crate::text::fence_open(t)
        {
            // mdbook-admonish: ```` ```admonish warning title="…" ````, Markdown inside.
            if let Some(marker) = admonish(&mut cx, info) {
                emit(&mut out, &marker);
                directives.push((c, n, CLOSE_MARKER));
                changed = true;
                i += 1;
                continue;
            }
            if let Some((name, arg)) = directive_of(info) {
                let used = directive(&mut cx, &all, i, strip, (c, n), name, arg, &mut out);
                changed = true;
                match used {
                    Block::Markdown(close) => {
                        directives.push((c, n, close));
                        options_follow = true;
                        i += 1;
                    }
                    Block::Code(next) => {
                        fence = Some((c, n));
                        i = next;
                    }
                    Block::Skip => {
                        skip = Some((c, n));
                        i += 1;
                    }
                    Block::Done(next) => i = next,
                }
                continue;
            }
            fence = Some((c, n));
            emit(&mut out, &line);
            i += 1;
            continue;
        }
        if options_follow && is_option(t) {
            emit(&mut out, "");
            changed = true;
            i += 1;
            continue;
        }
        options_follow = false;
        // MkDocs admonitions.
        if ind < 4
            && let Some((kind, title)) = mkdocs_opener(&mut cx, i, t)
        {
            emit(&mut out, &containers::open_marker(kind, &title));
            mk.push((strip + ind + 4, false));
            changed = true;
            i += 1;
            continue;
        }
        // MkDocs Material content tabs: `=== "Titre"`, content indented.
        if ind < 4
            && let Some(title) = t
                .strip_prefix("=== ")
                .or_else(|| t.strip_prefix("===! "))
                .or_else(|| t.strip_prefix("===+ "))
                .map(str::trim)
                .filter(|r| r.len() >= 2 && r.starts_with('"') && r.ends_with('"'))
        {
            cx.count("mkdocs tabs");
            let prev = prev_full[i].map(|j| all[j]);
            // A tab right after another tab of this level joins its group.
            let joins = prev.is_some_and(|l| indent_of(l) >= strip + ind + 4)
                && out.trim_end().ends_with(TAB_CLOSE);
            let marker = format!("{TAB_PREFIX}{}-->", encode(&title[1..title.len() - 1]));
            if joins {
                emit(&mut out, &marker);
            } else {
                emit(&mut out, &format!("{TABS_OPEN}{marker}"));
            }
            mk.push((strip + ind + 4, true));
            changed = true;
            i += 1;
            continue;
        }
        // Zola shortcodes alone on their line.
        if flags.zola
            && (t.starts_with("{{") || t.starts_with("{%"))
            && let Some(replacement) = zola_line(&mut cx, i, ind + 1, t, &mut zola_bodies)
        {
            emit(&mut out, &replacement);
            changed = true;
            i += 1;
            continue;
        }
        // GitBook block tags, alone on their line.
        if t.starts_with("{%")
            && let Some(replacement) = gitbook_line(&mut cx, i, t)
        {
            content_ref = replacement == CARD_OPEN;
            emit(&mut out, &replacement);
            changed = true;
            i += 1;
            continue;
        }
        // Hugo callout, tab and column shortcodes, alone on their line.
        if hugo_columns > 0 && t.trim_end() == "<--->" {
            emit(&mut out, "");
            changed = true;
            i += 1;
            continue;
        }
        // Hugo's `{{< highlight go >}}` … `{{< /highlight >}}`: a fenced code block.
        if !highlight_unclosed
            && is_hugo_tag(t, "highlight")
            && let Some(end) = (i + 1..all.len())
                .find(|&j| is_hugo_tag(all[j].trim(), "/highlight"))
                .or_else(|| {
                    highlight_unclosed = true;
                    None
                })
        {
            let ticks = all[i + 1..end]
                .iter()
                .map(|l| longest_run(l, '`'))
                .max()
                .unwrap_or(0)
                .max(2)
                + 1;
            let lang = hugo_words(t).nth(1).unwrap_or("").trim_matches(['"', '\'']);
            cx.count("hugo highlight");
            emit(
                &mut out,
                &format!(
                    "{}{}{lang}",
                    &line[..line.len() - t.len()],
                    "`".repeat(ticks)
                ),
            );
            hugo_code = Some(ticks);
            changed = true;
            i += 1;
            continue;
        }
        if (t.starts_with("{{<") || t.starts_with("{{%"))
            && let Some(replacement) = hugo_line(&mut cx, t, &mut hugo_columns)
        {
            emit(&mut out, &replacement);
            changed = true;
            i += 1;
            continue;
        }
        // MyST colon fences (`:::{note} Titre`): containers read `:::note Titre`.
        if ind < 4
            && let Some(rest) = t.strip_prefix(":::")
        {
            let colons = 3 + rest.chars().take_while(|&c| c == ':').count();
            let after = &t[colons..];
            if let Some((name, arg)) = directive_of(after) {
                let kind = admonition_kind(name);
                let text = match kind {
                    Some(_) => format!("{}{name} {}", ":".repeat(colons), arg),
                    None => format!("{}note {}", ":".repeat(colons), arg),
                };
                if kind.is_none() {
                    cx.report(
                        "myst colon",
                        i,
                        ind + 1,
                        format!("MyST directive `{{{name}}}` is not supported: shown as a note"),
                        "use a callout (`:::{note}`, `:::{tip}`…) or plain Markdown",
                    );
                } else {
                    cx.count("myst directive");
                }
                emit(&mut out, &text);
                options_follow = true;
                changed = true;
                i += 1;
                continue;
            }
        }
        if flags.myst && ind == 0 && (t.starts_with('%') || t.trim_end() == "+++") {
            cx.count("myst comment");
            emit(&mut out, "");
            changed = true;
            i += 1;
            continue;
        }
        // Kramdown's `* TOC` list before `{:toc}`: the page's contents are shown anyway.
        if is_toc_item(t) && all.get(i + 1).is_some_and(|l| is_toc_ial(l.trim())) {
            emit(&mut out, "");
            changed = true;
            i += 1;
            continue;
        }
        // Kramdown block attribute lists alone on their line (Just the Docs):
        // `{: .note }` before a block makes it a callout, after it too.
        if ind < 4
            && let Some(tokens) = ial_tokens(t)
        {
            changed = true;
            let prev_blank = i == 0 || all[i - 1].trim().is_empty();
            let next_full = all.get(i + 1).is_some_and(|l| !l.trim().is_empty());
            let callout = tokens.iter().find_map(ial_callout);
            if is_toc_ial(t) {
                cx.count("kramdown toc");
                emit(&mut out, "");
            } else if let Some((kind, titled)) = callout
                && prev_blank
                && next_full
                && ial.is_none()
            {
                cx.count("kramdown callout");
                let next = dedent(all[i + 1].strip_suffix('\n').unwrap_or(all[i + 1]), strip);
                let quote = next.trim_start().starts_with('>');
                ial = Some(quote);
                if titled {
                    // The block's first line is the title.
                    let title = next.trim_start().trim_start_matches('>').trim();
                    emit(&mut out, &containers::open_marker(kind, title));
                    out.push_str(if all[i + 1].ends_with('\n') { "\n" } else { "" });
                    i += 2;
                    continue;
                }
                emit(&mut out, &containers::open_marker(kind, ""));
            } else if callout.is_some() && !prev_blank && trailing_open {
                cx.count("kramdown callout");
                trailing_open = false;
                emit(&mut out, CLOSE_MARKER);
            } else if tokens.iter().all(|t| *t == ".no_toc") {
                // Leave a heading out of the page's contents: not needed here.
                cx.count("kramdown attributes");
                emit(&mut out, "");
            } else {
                cx.warn(
                    i,
                    ind + 1,
                    format!("the Kramdown attribute list `{}` was left out", t.trim_end()),
                    "mentorbook does not use its classes: remove it, or make the block a callout (`{: .note }` before a paragraph, `:::note`)",
                );
                emit(&mut out, "");
            }
            i += 1;
            continue;
        }
        // MyST targets: `(label)=`.
        if let Some(label) = label_line(t) {
            cx.count("myst label");
            found.labels.push(label.to_string());
            let next = next_nonblank(i);
            let heading = next.filter(|&j| {
                let l = all[j].trim_start();
                let level = l.chars().take_while(|&c| c == '#').count();
                (1..=6).contains(&level)
                    && l[level..].starts_with(' ')
                    && !l.contains("{#")
                    && label
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            });
            match heading {
                Some(j) => {
                    label_for = Some((j, label.to_string()));
                    emit(&mut out, "");
                }
                None => emit(&mut out, &format!("{ANCHOR_PREFIX}{}-->", encode(label))),
            }
            changed = true;
            i += 1;
            continue;
        }
        if content_ref && let Some(card) = card_link(t) {
            emit(&mut out, &card);
            changed = true;
            i += 1;
            continue;
        }
        let with_roles = roles(&mut cx, i, &line);
        let mut text = attr_lists(&mut cx, &with_roles);
        if let Some((j, label)) = &label_for
            && *j == i
        {
            text = format!("{} {{#{label}}}", text.trim_end());
            label_for = None;
        }
        changed |= text != line;
        emit(&mut out, &text);
        i += 1;
    }
    // A Kramdown IAL callout still open at the end of the page.
    if ial.is_some() || trailing_open {
        if !out.ends_with('\n') {
            out.push('\n');
        }
        out.push_str(CLOSE_MARKER);
        out.push('\n');
    }
    // Admonitions still open at the end of the page.
    if !mk.is_empty() {
        if !out.ends_with('\n') {
            out.push('\n');
        }
        for (_, tab) in mk.iter().rev() {
            out.push_str(if *tab {
                "<!--mb:/tab--><!--mb:/tabs-->"
            } else {
                CLOSE_MARKER
            });
        }
        out.push('\n');
        changed = true;
    }
    if !abbreviations.is_empty() {
        // Where a reader of the printed page can see them (a tooltip cannot be printed).
        out.push_str(if out.ends_with('\n') { "\n" } else { "\n\n" });
        for (abbr, text) in &abbreviations {
            out.push_str(&format!("- **{}** — {}\n", escape_md(abbr), text));
        }
    }
    for (_, (line, col, message, help)) in std::mem::take(&mut cx.once) {
        cx.diags
            .push(Diagnostic::warning(cx.source, line, col, message).with_help(help));
    }
    (changed.then_some(out), found)
}

/// An abbreviation's definition line, `*[RH]: Ressources humaines`: (abbreviation, text).
fn abbreviation(line: &str) -> Option<(String, String)> {
    let rest = line.strip_prefix("*[")?;
    let (abbr, text) = rest.split_once("]:")?;
    let (abbr, text) = (abbr.trim(), text.trim());
    (!abbr.is_empty() && !abbr.contains(']') && !text.is_empty())
        .then(|| (abbr.to_string(), text.to_string()))
}

/// `text` with Markdown's emphasis and link characters escaped.
fn escape_md(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '*' | '_' | '[' | ']' | '`' | '\\' | '<') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Leading spaces, a tab counting as four.
fn indent_of(line: &str) -> usize {
    let mut n = 0;
    for c in line.chars() {
        match c {
            ' ' => n += 1,
            '\t' => n += 4,
            _ => break,
        }
    }
    n
}

/// `line` without up to `cols` columns of leading whitespace.
fn dedent(line: &str, cols: usize) -> String {
    if cols == 0 {
        return line.to_string();
    }
    let mut n = 0;
    let mut cut = 0;
    for (i, c) in line.char_indices() {
        if n >= cols {
            break;
        }
        match c {
            ' ' => n += 1,
            '\t' => n += 4,
            _ => break,
        }
        cut = i + c.len_utf8();
    }
    line[cut..].to_string()
}

/// A MyST directive's info string (`{note} Titre`): its name and argument.
fn directive_of(info: &str) -> Option<(&str, &str)> {
    let rest = info.trim().strip_prefix('{')?;
    let end = rest.find('}')?;
    let name = &rest[..end];
    (!name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == ':'))
    .then(|| (name, rest[end + 1..].trim()))
}

/// A directive option line: `:name: value`.
fn is_option(t: &str) -> bool {
    let Some(rest) = t.strip_prefix(':') else {
        return false;
    };
    rest.find(':').is_some_and(|e| {
        e > 0
            && rest[..e]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    })
}

/// The callout kind of an admonition name of MyST, MkDocs, GitBook or Obsidian.
pub(crate) fn admonition_kind(name: &str) -> Option<CalloutKind> {
    CalloutKind::from_container(name).or(match name.to_ascii_lowercase().as_str() {
        "seealso" | "admonition" | "question" | "example" | "quote" | "todo" | "dropdown"
        | "margin" | "sidebar" | "topic" | "info" | "tldr" | "help" | "faq" | "cite" => {
            Some(CalloutKind::Note)
        }
        "check" | "done" => Some(CalloutKind::Tip),
        "failure" | "fail" | "missing" | "bug" => Some(CalloutKind::Caution),
        _ => None,
    })
}

/// What a MyST directive became.
enum Block {
    /// Its body is Markdown, closed by this marker at its closing fence.
    Markdown(&'static str),
    /// Its body is code, from line `.0` on.
    Code(usize),
    /// Its body is left out.
    Skip,
    /// The whole block was written; go on at line `.0`.
    Done(usize),
}

/// Writes what the directive at line `i` (fence `c`×`n`) becomes.
#[allow(clippy::too_many_arguments)]
fn directive(
    cx: &mut Cx<'_>,
    all: &[&str],
    i: usize,
    strip: usize,
    (c, n): (char, usize),
    name: &str,
    arg: &str,
    out: &mut String,
) -> Block {
    let nl = |l: &str| if l.ends_with('\n') { "\n" } else { "" };
    let fence = c.to_string().repeat(n);
    let lname = name.to_ascii_lowercase();
    // Options lines right after the directive line.
    let options_end = (i + 1..all.len())
        .find(|&j| !is_option(dedent(all[j], strip).trim_start()))
        .unwrap_or(all.len());
    let option = |key: &str| {
        all[i + 1..options_end].iter().find_map(|l| {
            let l = dedent(l, strip);
            let t = l
                .trim_start()
                .strip_prefix(&format!(":{key}:"))?
                .trim()
                .to_string();
            Some(t)
        })
    };
    match lname.as_str() {
        "code-block" | "code" | "code-cell" | "sourcecode" | "math" => {
            cx.count("myst directive");
            let lang = if lname == "math" { "math" } else { arg };
            // The fence opens on the last option line, so options are not code.
            let opener = format!("{fence}{lang}");
            if options_end == i + 1 {
                out.push_str(&opener);
                out.push_str(nl(all[i]));
            } else {
                for l in &all[i..options_end - 1] {
                    out.push_str(nl(l));
                }
                out.push_str(&opener);
                out.push_str(nl(all[options_end - 1]));
            }
            Block::Code(options_end)
        }
        "figure" | "image" => {
            cx.count("myst directive");
            let alt = option("alt").unwrap_or_default().replace(['[', ']'], "");
            let dest = arg.replace('<', "%3C").replace('>', "%3E");
            out.push_str(&format!("![{alt}](<{dest}>)"));
            out.push_str(nl(all[i]));
            for l in &all[i + 1..options_end] {
                out.push_str(nl(l));
            }
            // The caption (a figure's body) stays as text; the closing fence goes.
            let mut j = options_end;
            while j < all.len() {
                let l = dedent(all[j], strip);
                if crate::text::fence_closes(l.trim_start(), c, n) {
                    out.push_str(nl(all[j]));
                    j += 1;
                    break;
                }
                out.push_str(l.strip_suffix('\n').unwrap_or(&l));
                out.push_str(nl(all[j]));
                j += 1;
            }
            Block::Done(j)
        }
        "toctree" | "tableofcontents" | "contents" => {
            cx.count("myst toctree");
            out.push_str(nl(all[i]));
            Block::Skip
        }
        "tab-set" | "tabs" => {
            cx.count("myst tabs");
            out.push_str(TABS_OPEN);
            out.push_str(nl(all[i]));
            Block::Markdown(TABS_CLOSE)
        }
        "tab-item" | "tab" => {
            out.push_str(&format!("{TAB_PREFIX}{}-->", encode(arg)));
            out.push_str(nl(all[i]));
            Block::Markdown(TAB_CLOSE)
        }
        "card" | "grid" | "grid-item" | "grid-item-card" | "div" | "container" | "epigraph"
        | "glossary" | "only" => {
            cx.count("myst directive");
            out.push_str(nl(all[i]));
            Block::Markdown("")
        }
        _ => {
            match admonition_kind(&lname) {
                Some(kind) => {
                    cx.count("myst directive");
                    let title = if arg.is_empty() {
                        option("title").unwrap_or_default()
                    } else {
                        arg.to_string()
                    };
                    out.push_str(&containers::open_marker(kind, &title));
                    out.push_str(nl(all[i]));
                    Block::Markdown(CLOSE_MARKER)
                }
                None => {
                    let col = indent_of(all[i]) + 1;
                    cx.report(
                    "myst unknown",
                    i,
                    col,
                    format!("MyST directive `{{{name}}}` is not supported: its content is shown as code"),
                    "replace it with Markdown, or with a callout (```` ```{note} ````)",
                );
                    out.push_str(&fence);
                    out.push_str(nl(all[i]));
                    Block::Code(i + 1)
                }
            }
        }
    }
}

/// An MkDocs admonition line: `!!! kind "Title"`, `??? kind`, `???+ kind`.
fn mkdocs_opener(cx: &mut Cx<'_>, i: usize, t: &str) -> Option<(CalloutKind, String)> {
    let rest = t
        .strip_prefix("!!!")
        .or_else(|| t.strip_prefix("???+"))
        .or_else(|| t.strip_prefix("???"))?;
    if !rest.starts_with(' ') {
        return None;
    }
    let rest = rest.trim();
    let (words, title) = match rest.find('"') {
        Some(q) => {
            let title = rest[q + 1..]
                .rsplit_once('"')
                .map_or(&rest[q + 1..], |(t, _)| t);
            (&rest[..q], Some(title.to_string()))
        }
        None => (rest, None),
    };
    let name = words.split_whitespace().next()?;
    if !name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return None;
    }
    cx.count(if t.starts_with('?') {
        "mkdocs collapsible"
    } else {
        "mkdocs admonition"
    });
    let kind = admonition_kind(name).unwrap_or_else(|| {
        cx.report(
            "mkdocs kind",
            i,
            1,
            format!("unknown admonition kind `{name}`, shown as a note"),
            "use one of: note, tip, info, important, warning, caution, danger",
        );
        CalloutKind::Note
    });
    let title = title.unwrap_or_else(|| {
        // MkDocs titles an admonition without one by its kind, capitalised.
        if admonition_kind(name).is_some() && CalloutKind::from_container(name).is_none() {
            crate::text::humanize(name)
        } else {
            String::new()
        }
    });
    Some((kind, title))
}

/// The attributes of a `{% name key="value" … %}` tag.
fn tag_attr<'a>(t: &'a str, key: &str) -> Option<&'a str> {
    let i = t.find(&format!("{key}="))? + key.len() + 1;
    let rest = &t[i..];
    let q = rest.chars().next()?;
    if q == '"' || q == '\'' {
        let rest = &rest[1..];
        rest.find(q).map(|e| &rest[..e])
    } else {
        rest.split([' ', '%']).next()
    }
}

/// A GitBook block tag alone on its line, rewritten; `None` when it is none.
fn gitbook_line(cx: &mut Cx<'_>, i: usize, t: &str) -> Option<String> {
    let t = t.trim_end();
    let inner = t.strip_prefix("{%")?.strip_suffix("%}")?.trim();
    let name = inner.split_whitespace().next()?;
    let out = match name {
        "hint" => {
            cx.count("gitbook hint");
            let style = tag_attr(inner, "style").unwrap_or("info");
            let kind = match style {
                "success" => CalloutKind::Tip,
                "warning" => CalloutKind::Warning,
                "danger" => CalloutKind::Caution,
                _ => CalloutKind::Note,
            };
            containers::open_marker(kind, "")
        }
        "endhint" => CLOSE_MARKER.to_string(),
        "tabs" => {
            cx.count("gitbook tabs");
            TABS_OPEN.to_string()
        }
        "endtabs" => TABS_CLOSE.to_string(),
        "tab" => format!(
            "{TAB_PREFIX}{}-->",
            encode(tag_attr(inner, "title").unwrap_or(""))
        ),
        "endtab" => TAB_CLOSE.to_string(),
        "content-ref" => {
            cx.count("gitbook content-ref");
            CARD_OPEN.to_string()
        }
        "endcontent-ref" => CARD_CLOSE.to_string(),
        "embed" => {
            cx.count("gitbook embed");
            let url = tag_attr(inner, "url").unwrap_or("");
            let caption = tag_attr(inner, "caption").unwrap_or("");
            if crate::urls::is_external(url) {
                format!("{EMBED_PREFIX}{}|{}-->", encode(url), encode(caption))
            } else {
                let text = if caption.is_empty() { url } else { caption };
                format!(
                    "[{}](<{}>)",
                    text.replace(['[', ']'], ""),
                    url.replace(['<', '>'], "")
                )
            }
        }
        "endembed" | "endfile" | "endcode" => String::new(),
        "file" => {
            cx.count("gitbook file");
            let src = tag_attr(inner, "src").unwrap_or("");
            let caption = tag_attr(inner, "caption").unwrap_or("");
            let name = crate::urls::decode(src.rsplit('/').next().unwrap_or(src));
            let text = if caption.is_empty() {
                name.as_str()
            } else {
                caption
            };
            format!(
                "[{}](<{}>)",
                text.replace(['[', ']'], ""),
                src.replace(['<', '>'], "")
            )
        }
        "code" => {
            cx.count("gitbook code");
            match tag_attr(inner, "title") {
                Some(title) if !title.is_empty() => {
                    format!("**{}**", title.replace('*', "\\*"))
                }
                _ => String::new(),
            }
        }
        _ => {
            let _ = i;
            return None;
        }
    };
    Some(out)
}

/// The link line of a GitBook `content-ref` (`[ecoute.md](ecoute.md)`, as GitBook
/// writes it): its text becomes the title of the page it leads to.
fn card_link(t: &str) -> Option<String> {
    let t = t.trim_end();
    let rest = t.strip_prefix('[')?;
    let (text, rest) = rest.split_once("](")?;
    let dest = rest.strip_suffix(')')?;
    if text.contains(['[', ']']) || dest.contains(['(', ')', ' ']) {
        return None;
    }
    Some(format!("[{TITLE_PREFIX}{}-->]({dest})", encode(text)))
}

/// The words inside a Hugo shortcode tag alone on its line (`{{< name args >}}`
/// or `{{% … %}}`); empty when `t` is none.
fn hugo_words(t: &str) -> std::str::SplitWhitespace<'_> {
    hugo_inner(t).unwrap_or("").split_whitespace()
}

/// What a Hugo shortcode tag alone on its line holds between `{{<` and `>}}`
/// (or `{{%` and `%}}`), trimmed; `None` when `t` is no such tag.
fn hugo_inner(t: &str) -> Option<&str> {
    let t = t.trim();
    t.strip_prefix("{{<")
        .and_then(|r| r.strip_suffix(">}}"))
        .or_else(|| t.strip_prefix("{{%").and_then(|r| r.strip_suffix("%}}")))
        .map(str::trim)
}

/// Whether `t` is the Hugo shortcode tag `name` (`/name` for its closing tag).
fn is_hugo_tag(t: &str, name: &str) -> bool {
    hugo_words(t).next() == Some(name)
}

/// The longest run of `c` in `line`.
fn longest_run(line: &str, c: char) -> usize {
    let (mut best, mut run) = (0, 0);
    for ch in line.chars() {
        run = if ch == c { run + 1 } else { 0 };
        best = best.max(run);
    }
    best
}

/// A Hugo shortcode alone on its line, rewritten: a callout — Hugo Book's
/// `{{< hint info >}}` and `{{< expand "Titre" >}}`, the Learn theme's
/// `{{% notice tip "Titre" %}}`, Docsy's `{{% alert %}}` — tabs (Hugo Book's
/// `{{< tabs "id" >}}`/`{{< tab "Titre" >}}`, Docsy's `{{< tabpane >}}`/`{{< tab
/// header="Titre" >}}`), Hugo Book's `{{< columns >}}` (its columns follow one
/// another; `columns` counts the open ones), figures and videos, and their
/// closing tags; `None` for any other line.
fn hugo_line(cx: &mut Cx<'_>, t: &str, columns: &mut usize) -> Option<String> {
    let inner = hugo_inner(t)?;
    let mut words = inner.split_whitespace();
    let name = words.next()?;
    const CALLOUTS: [&str; 6] = ["hint", "notice", "alert", "callout", "details", "expand"];
    if let Some(closing) = name.strip_prefix('/') {
        return match closing {
            "tabs" | "tabpane" => Some(TABS_CLOSE.to_string()),
            "tab" => Some(TAB_CLOSE.to_string()),
            "columns" => {
                *columns = columns.saturating_sub(1);
                Some(String::new())
            }
            _ => CALLOUTS
                .contains(&closing)
                .then(|| CLOSE_MARKER.to_string()),
        };
    }
    match name {
        "figure" => return Some(hugo_figure(cx, inner)),
        "youtube" | "vimeo" => return hugo_video(cx, name, inner),
        "tabs" | "tabpane" => {
            cx.count("hugo tabs");
            return Some(TABS_OPEN.to_string());
        }
        "tab" => {
            let title = ["header", "title", "name"]
                .iter()
                .find_map(|k| tag_attr(inner, k))
                .or_else(|| {
                    inner
                        .split_once('"')
                        .and_then(|(_, r)| r.split_once('"'))
                        .map(|(t, _)| t)
                })
                .unwrap_or("");
            return Some(format!("{TAB_PREFIX}{}-->", encode(title)));
        }
        "columns" => {
            cx.count("hugo columns");
            *columns += 1;
            return Some(String::new());
        }
        _ => {}
    }
    if !CALLOUTS.contains(&name) {
        return None;
    }
    cx.count("hugo callout");
    let rest: Vec<&str> = words.collect();
    let kind_word = rest
        .first()
        .map(|w| w.trim_matches(['"', '\'']))
        .and_then(|w| w.split('=').next_back())
        .unwrap_or("info");
    let kind = admonition_kind(kind_word.trim_matches(['"', '\''])).unwrap_or(CalloutKind::Note);
    let title = inner
        .split_once('"')
        .and_then(|(_, r)| r.rsplit_once('"'))
        .map(|(t, _)| t)
        .filter(|t| !t.contains('=') && admonition_kind(t).is_none())
        .unwrap_or("");
    Some(containers::open_marker(kind, title))
}

/// A Zola shortcode alone on its line (at column `col` of line `i`), rewritten:
/// `{{ youtube(id="…") }}` and `vimeo` a link card to the video; a body shortcode
/// a callout ([`zola::callout`]), or left out and reported (its content stays);
/// `{% end %}` what closes the body it ends. `None` for any other line, which
/// [`foreign`](super::foreign) reads.
fn zola_line(
    cx: &mut Cx<'_>,
    i: usize,
    col: usize,
    t: &str,
    bodies: &mut Vec<bool>,
) -> Option<String> {
    let tag = zola::line_tag(t)?;
    let Some(call) = tag.call else {
        return bodies.pop().map(|callout| {
            if callout {
                CLOSE_MARKER.to_string()
            } else {
                String::new()
            }
        });
    };
    if !tag.body {
        let url = zola::video_url(&call)?;
        cx.count("zola video");
        return Some(format!(
            "{EMBED_PREFIX}{}|{}-->",
            encode(&url),
            encode(call.arg("title").unwrap_or(""))
        ));
    }
    match zola::callout(&call, CalloutKind::from_container) {
        Some((kind, title)) => {
            cx.count("zola callout");
            bodies.push(true);
            Some(containers::open_marker(kind, title))
        }
        None => {
            cx.warn(
                i,
                col,
                format!("{}, its content kept: `{}`", zola::UNSUPPORTED, t.trim()),
                zola::UNSUPPORTED_HELP,
            );
            bodies.push(false);
            Some(String::new())
        }
    }
}

/// The tokens of an attribute list's inside (`.note #id width="300" toc`), or
/// `None` when it is not one. Bare names (`toc`) only when `bare` allows them.
fn attr_tokens(inner: &str, bare: bool) -> Option<Vec<&str>> {
    let name_ok = |n: &str| {
        !n.is_empty()
            && n.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    };
    let mut tokens = Vec::new();
    let mut rest = inner.trim_start();
    while !rest.is_empty() {
        let end = match rest.find(['=', ' ', '\t']) {
            Some(e) if rest.as_bytes()[e] == b'=' => {
                let value = &rest[e + 1..];
                let len = match value.chars().next() {
                    Some(q @ ('"' | '\'')) => value[1..].find(q)? + 2,
                    _ => value.find([' ', '\t']).unwrap_or(value.len()),
                };
                if !name_ok(&rest[..e]) {
                    return None;
                }
                e + 1 + len
            }
            Some(e) => e,
            None => rest.len(),
        };
        let token = &rest[..end];
        let ok = token.contains('=')
            || token.strip_prefix(['.', '#']).is_some_and(name_ok)
            || (bare && name_ok(token));
        if !ok {
            return None;
        }
        tokens.push(token);
        rest = rest[end..].trim_start();
    }
    (!tokens.is_empty()).then_some(tokens)
}

/// A Kramdown block attribute list alone on its line (`{: .note }`, `{:toc}`): its tokens.
fn ial_tokens(t: &str) -> Option<Vec<&str>> {
    let inner = t.trim().strip_prefix("{:")?.strip_suffix('}')?;
    attr_tokens(inner, true)
}

/// Whether `t` is Kramdown's table of contents IAL, `{:toc}`.
fn is_toc_ial(t: &str) -> bool {
    ial_tokens(t).is_some_and(|tokens| tokens == ["toc"])
}

/// Whether `t` is the list item Kramdown replaces with the table of contents (`* TOC`).
fn is_toc_item(t: &str) -> bool {
    matches!(t.trim_end(), "* TOC" | "- TOC" | "+ TOC" | "1. TOC")
}

/// The callout a Just the Docs class stands for (`.note`, `.warning`,
/// `.note-title`…), and whether the block's first line is its title.
fn ial_callout(token: &&str) -> Option<(CalloutKind, bool)> {
    let name = token.strip_prefix('.')?;
    let (name, titled) = match name.strip_suffix("-title") {
        Some(n) => (n, true),
        None => (name, false),
    };
    let kind = match name {
        "note" | "highlight" => CalloutKind::Note,
        "tip" | "new" => CalloutKind::Tip,
        "important" => CalloutKind::Important,
        "warning" => CalloutKind::Warning,
        "caution" => CalloutKind::Caution,
        "danger" => CalloutKind::from_container("danger")?,
        _ => return None,
    };
    Some((kind, titled))
}

/// The blank lines before blocks that a callout IAL follows (`Texte\n{: .note }`),
/// with the callout's opening marker: the callout opens there and closes at the IAL.
fn trailing_ial_opens(all: &[&str]) -> std::collections::BTreeMap<usize, String> {
    let mut opens = std::collections::BTreeMap::new();
    let mut fence: Option<(char, usize)> = None;
    let mut blank: Option<usize> = None;
    for (j, l) in all.iter().enumerate() {
        let t = l.trim();
        if let Some((c, n)) = fence {
            if crate::text::fence_closes(t, c, n) {
                fence = None;
            }
            continue;
        }
        if t.is_empty() {
            blank = Some(j);
            continue;
        }
        if indent_of(l) < 4
            && let Some((c, n, _)) = crate::text::fence_open(t)
        {
            fence = Some((c, n));
            continue;
        }
        if j > 0
            && !all[j - 1].trim().is_empty()
            && let Some(b) = blank
            && let Some((kind, _)) =
                ial_tokens(t).and_then(|tokens| tokens.iter().find_map(ial_callout))
        {
            opens.insert(b, containers::open_marker(kind, ""));
            blank = None;
        }
    }
    opens
}

/// The longest inline attribute list looked for (`{: .rouge #id width="300" }`).
const MAX_ATTR_LIST: usize = 1024;
/// The longest MyST role name looked for (`{sub-ref}`, `{py:func}`).
const MAX_ROLE_NAME: usize = 64;

/// One line with its inline attribute lists left out, outside code spans:
/// MkDocs' `attr_list` after a link or image (`![a](x.png){ width="300" }`) and
/// Kramdown's span IALs (`*mot*{: .rouge }`).
fn attr_lists(cx: &mut Cx<'_>, line: &str) -> String {
    if !line.contains('{') {
        return line.to_string();
    }
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    let mut in_code = 0usize;
    while !rest.is_empty() {
        if rest.starts_with('`') {
            let run = rest.chars().take_while(|&c| c == '`').count();
            in_code = match in_code {
                0 => run,
                n if n == run => 0,
                n => n,
            };
            out.push_str(&rest[..run]);
            rest = &rest[run..];
            continue;
        }
        if in_code == 0 && rest.starts_with('{') {
            let kramdown = rest.starts_with("{:");
            let inner_start = if kramdown { 2 } else { 1 };
            // An attribute list is short: looking for its `}` within a window
            // keeps a line of unclosed `{:` linear.
            let list = (kramdown || out.ends_with(')'))
                .then(|| crate::text::window(rest, MAX_ATTR_LIST).find('}'))
                .flatten()
                .filter(|&end| end > inner_start)
                .filter(|&end| attr_tokens(&rest[inner_start..end], kramdown).is_some());
            if let Some(end) = list {
                cx.count("attr list");
                rest = &rest[end + 1..];
                continue;
            }
        }
        let ch = rest.chars().next().map_or(1, char::len_utf8);
        out.push_str(&rest[..ch]);
        rest = &rest[ch..];
    }
    out
}

/// The opening marker of an mdbook-admonish block (```` ```admonish warning
/// title="Titre" ````), when `info` is one.
fn admonish(cx: &mut Cx<'_>, info: &str) -> Option<String> {
    let rest = info.strip_prefix("admonish")?;
    if !(rest.is_empty() || rest.starts_with(char::is_whitespace)) {
        return None;
    }
    let rest = rest.trim();
    let word = rest
        .split_whitespace()
        .next()
        .filter(|w| !w.contains(['=', '"', '\'']))
        .unwrap_or("");
    // `note.custom-class`: the kind before the dot.
    let name = word.split('.').next().unwrap_or("");
    cx.count("mdbook admonish");
    let kind = match name {
        "" => CalloutKind::Note,
        n => admonition_kind(n).unwrap_or(CalloutKind::Note),
    };
    let after = rest[word.len()..].trim();
    let title = tag_attr(after, "title")
        .map(str::to_string)
        .or_else(|| {
            let q = after.chars().next().filter(|q| *q == '"' || *q == '\'')?;
            after[1..].find(q).map(|e| after[1..1 + e].to_string())
        })
        .unwrap_or_else(|| {
            if admonition_kind(name).is_some() && CalloutKind::from_container(name).is_none() {
                crate::text::humanize(name)
            } else {
                String::new()
            }
        });
    Some(containers::open_marker(kind, &title))
}

/// Hugo's `{{< figure src="x.png" alt="…" caption="…" >}}`: the image, its caption
/// after it in italics (the alternative text is the caption when there is no `alt`).
fn hugo_figure(cx: &mut Cx<'_>, inner: &str) -> String {
    cx.count("hugo figure");
    let src = tag_attr(inner, "src").unwrap_or("");
    let caption = tag_attr(inner, "caption")
        .or_else(|| tag_attr(inner, "title"))
        .unwrap_or("");
    let alt = tag_attr(inner, "alt").unwrap_or(caption);
    let image = format!(
        "![{}](<{}>)",
        alt.replace(['[', ']'], ""),
        src.replace(['<', '>'], "")
    );
    let image = match tag_attr(inner, "link") {
        Some(link) if !link.is_empty() => {
            format!("[{image}](<{}>)", link.replace(['<', '>'], ""))
        }
        _ => image,
    };
    if caption.is_empty() {
        image
    } else {
        format!("{image} *{}*", caption.replace('*', "\\*"))
    }
}

/// Hugo's `{{< youtube ID >}}` (or `id="ID"`, `title="…"`) and `vimeo`: a link
/// card to the video's page (no player from another site is embedded).
fn hugo_video(cx: &mut Cx<'_>, name: &str, inner: &str) -> Option<String> {
    let rest = inner[name.len()..].trim();
    let id = tag_attr(rest, "id").map_or_else(
        || {
            rest.split_whitespace()
                .next()
                .filter(|w| !w.contains('='))
                .map(|w| w.trim_matches(['"', '\'']))
        },
        Some,
    )?;
    if id.is_empty()
        || !id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return None;
    }
    cx.count("hugo video");
    let url = if name == "youtube" {
        format!("https://www.youtube.com/watch?v={id}")
    } else {
        format!("https://vimeo.com/{id}")
    };
    let title = tag_attr(rest, "title").unwrap_or("");
    Some(format!(
        "{EMBED_PREFIX}{}|{}-->",
        encode(&url),
        encode(title)
    ))
}

/// A MyST target line: `(label)=`.
fn label_line(t: &str) -> Option<&str> {
    let label = t.trim_end().strip_prefix('(')?.strip_suffix(")=")?.trim();
    (!label.is_empty() && !label.contains(char::is_whitespace) && !label.contains(['(', ')']))
        .then_some(label)
}

/// A role's text and target: `` Text <target> `` or `` target ``.
fn text_and_target(content: &str) -> (Option<&str>, &str) {
    let c = content.trim();
    if let Some(open) = c.rfind('<')
        && c.ends_with('>')
    {
        let text = c[..open].trim();
        return (
            (!text.is_empty()).then_some(text),
            c[open + 1..c.len() - 1].trim(),
        );
    }
    (None, c)
}

fn link_text(t: &str) -> String {
    t.replace('[', "\\[").replace(']', "\\]")
}

/// A label as words: `mentor-role` → `Mentor role`.
fn label_words(label: &str) -> String {
    crate::text::humanize(label.rsplit(':').next().unwrap_or(label))
}

/// One line with its MyST roles (`` {ref}`label` ``) rewritten, outside code spans.
fn roles(cx: &mut Cx<'_>, i: usize, line: &str) -> String {
    if !line.contains("}`") {
        return line.to_string();
    }
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    let mut in_code = 0usize;
    let mut cols = crate::text::Columns::new(line);
    while !rest.is_empty() {
        if rest.starts_with('`') {
            let run = rest.chars().take_while(|&c| c == '`').count();
            in_code = if in_code == 0 {
                run
            } else if in_code == run {
                0
            } else {
                in_code
            };
            out.push_str(&rest[..run]);
            rest = &rest[run..];
            continue;
        }
        if in_code == 0
            && rest.starts_with('{')
            && let Some(end) = crate::text::window(rest, MAX_ROLE_NAME + 3).find("}`")
            && end > 1
            && rest[1..end]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == ':' || c == '_')
            && let Some(close) = rest[end + 2..].find('`')
        {
            let name = &rest[1..end];
            let content = &rest[end + 2..end + 2 + close];
            let col = cols.at(line.len() - rest.len());
            out.push_str(&role(cx, i, col, name, content));
            rest = &rest[end + 3 + close..];
            continue;
        }
        let ch = rest.chars().next().map_or(1, char::len_utf8);
        out.push_str(&rest[..ch]);
        rest = &rest[ch..];
    }
    out
}

fn role(cx: &mut Cx<'_>, i: usize, col: usize, name: &str, content: &str) -> String {
    let (text, target) = text_and_target(content);
    let name = name.rsplit(':').next().unwrap_or(name);
    match name {
        "ref" | "numref" | "eq" => {
            cx.count("myst ref");
            let text = match text {
                Some(t) => link_text(t),
                // Sphinx shows the heading the label names.
                None => format!("{TITLE_PREFIX}{}-->", encode(&label_words(target))),
            };
            format!("[{text}](#{target})")
        }
        "doc" => {
            cx.count("myst ref");
            let has_ext = target.rsplit('/').next().is_some_and(|n| n.contains('.'));
            let path = if has_ext {
                target.to_string()
            } else {
                format!("{target}.md")
            };
            let text = match text {
                Some(t) => link_text(t),
                // Sphinx shows the title of the document.
                None => format!(
                    "{TITLE_PREFIX}{}-->",
                    encode(target.rsplit('/').next().unwrap_or(target))
                ),
            };
            format!("[{text}](<{}>)", path.replace(['<', '>'], ""))
        }
        "download" => {
            cx.count("myst ref");
            let text = text.map_or_else(
                || target.rsplit('/').next().unwrap_or(target).to_string(),
                str::to_string,
            );
            format!(
                "[{}](<{}>)",
                link_text(&text),
                target.replace(['<', '>'], "")
            )
        }
        "math" | "kbd" | "file" | "samp" | "command" | "program" | "code" | "envvar" => {
            cx.count("myst role");
            format!("`{}`", content.replace('`', ""))
        }
        "term" | "abbr" | "sub" | "sup" | "guilabel" | "menuselection" | "dfn" | "emphasis"
        | "strong" | "index" => {
            cx.count("myst role");
            let t = text.unwrap_or(target);
            // `{abbr}`MB (mentorbook)`` keeps the abbreviation.
            t.split(" (").next().unwrap_or(t).to_string()
        }
        other => {
            cx.report(
                "myst role",
                i,
                col,
                format!("MyST role `{{{other}}}` is not supported: its text is kept"),
                "write plain Markdown (a link, `code`, *emphasis*)",
            );
            content.to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    /// The checks one by one, as they were written: what the one-pass scan must equal.
    fn reference(body: &str, myst: bool, zola: bool) -> bool {
        body.contains("!!!")
            || body.contains("???")
            || body.contains("{%")
            || body.contains("```{")
            || body.contains("~~~{")
            || body.contains(":::{")
            || body.contains(")=")
            || body.contains("}`")
            || body.contains("=== \"")
            || body.contains("{{<")
            || body.contains("{{%")
            || body.contains("{:")
            || body.contains("){")
            || body.contains("```admonish")
            || (myst && (body.contains('%') || body.contains("+++")))
            || (zola && body.contains("{{"))
    }

    #[test]
    fn the_one_pass_scan_equals_the_checks() {
        let pieces = [
            "!!!",
            "!!",
            "???",
            "??",
            "{%",
            "{",
            "%",
            "```{",
            "``{",
            "~~~{",
            "~~{",
            ":::{",
            "::{",
            ")=",
            ")",
            "=",
            "}`",
            "}",
            "`",
            "=== \"",
            "=== ",
            "{{<",
            "{{",
            "<",
            "{{%",
            "+++",
            "++",
            "{:",
            ":",
            "){",
            "```admonish",
            "``admonish",
            "admonish",
            "é",
            "texte ",
            "\n",
            "",
        ];
        for a in pieces {
            for b in pieces {
                for c in ["", " ", "!", "{", "=", "`"] {
                    let s = format!("{c}{a}{b}{c}");
                    for (myst, zola) in [(false, false), (true, false), (false, true)] {
                        assert_eq!(
                            super::may_hold_dialect(&s, super::Flags { myst, zola }),
                            reference(&s, myst, zola),
                            "{s:?} myst={myst} zola={zola}"
                        );
                    }
                }
            }
        }
    }

    use super::*;

    fn run(body: &str, myst: bool) -> (String, Vec<Diagnostic>, Found) {
        run_with(body, Flags { myst, zola: false })
    }

    /// `body` rewritten (it must be) with plain flags, its diagnostics and what was converted.
    fn run_counting(body: &str) -> (String, Vec<Diagnostic>, Converted) {
        let mut d = Vec::new();
        let mut converted = Converted::new();
        let flags = Flags {
            myst: false,
            zola: false,
        };
        let (out, _) = rewrite(
            body,
            "a.md",
            &LineMap::new(1),
            flags,
            &mut d,
            &mut converted,
        );
        (out.expect("rewritten"), d, converted)
    }

    fn run_with(body: &str, flags: Flags) -> (String, Vec<Diagnostic>, Found) {
        let mut d = Vec::new();
        let mut c = Converted::new();
        let (out, f) = rewrite(body, "a.md", &LineMap::new(1), flags, &mut d, &mut c);
        (out.unwrap_or_else(|| body.to_string()), d, f)
    }

    #[test]
    fn zola_videos_callouts_and_body_shortcodes() {
        let body = "{{ youtube(id=\"w7Ft2ymGmfc\") }}\n{% note(title=\"À retenir\") %}\nÉcouter.\n{% end %}\n  {% quote(author=\"Lou\") %}\nCitation.\n{% end %}\n{% admonition(type=\"danger\") %}\nNon.\n{% end %}\n```\n{% note() %}\n```\n{{ gallery() }}\n{% end %}\n";
        let zola = Flags {
            myst: false,
            zola: true,
        };
        let (out, d, _) = run_with(body, zola);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), body.lines().count(), "line for line");
        assert_eq!(
            lines[0],
            format!("{EMBED_PREFIX}https://www.youtube.com/watch?v=w7Ft2ymGmfc|-->")
        );
        assert_eq!(
            containers::parse_marker(lines[1]),
            Some((CalloutKind::Note, "À retenir".into()))
        );
        assert_eq!(lines[2], "Écouter.");
        assert_eq!(lines[3], CLOSE_MARKER);
        assert_eq!((lines[4], lines[5], lines[6]), ("", "Citation.", ""));
        assert_eq!(
            containers::parse_marker(lines[7]),
            Some((CalloutKind::Danger, String::new()))
        );
        assert_eq!(lines[9], CLOSE_MARKER);
        assert_eq!(lines[11], "{% note() %}", "code is kept");
        assert_eq!(lines[13], "{{ gallery() }}", "left to the inline pass");
        assert_eq!(
            lines[14], "{% end %}",
            "a stray end is left to the inline pass"
        );
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!((d[0].line(), d[0].col()), (5, 3));
        assert_eq!(
            d[0].message,
            "this Zola shortcode is not supported and was left out, its content kept: `{% quote(author=\"Lou\") %}`"
        );
        // Not a Zola page: nothing of it is read here.
        let (out, d, _) = run(body, false);
        assert!(out.starts_with("{{ youtube"), "{out}");
        assert!(out.contains("{% note(title"), "{out}");
        let _ = d;
    }

    #[test]
    fn mkdocs_admonitions_nest_and_close_at_blank_lines() {
        let body = "!!! note \"Titre\"\n    Un.\n\n    !!! tip\n        Deux.\n\nTrois.\n??? warning\n    Quatre.\n";
        let (out, d, _) = run(body, false);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(
            containers::parse_marker(lines[0]),
            Some((CalloutKind::Note, "Titre".into()))
        );
        assert_eq!(lines[1], "Un.");
        assert_eq!(lines[4], "Deux.");
        assert_eq!(containers::close_count(lines[5]), 2);
        assert_eq!(lines[6], "Trois.");
        assert_eq!(containers::close_count(lines[9]), 1, "closed at the end");
        assert_eq!(lines.len(), body.lines().count() + 1);
        assert!(d.is_empty());
    }

    #[test]
    fn attribute_lists_are_left_out_and_ials_make_callouts() {
        let body = "![Schéma](../img/schema.png){ width=\"300\" } et [a](b.md){: .btn } `x){ .y }` {pas une liste}\n\n{: .note }\nUne note.\nSuite.\n\nIntervalle.\n\nÉcoutez !\n{: .highlight }\n\n{: .warning-title }\n> Attention\n>\n> Le texte.\n\n# Titre\n{: .no_toc }\n\n{: .fs-9 }\n* TOC\n{:toc}\n\n{: .tip }\nA.\n\nB.\n{: .important }\n";
        let (out, d, _) = run(body, false);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), body.lines().count(), "{out}");
        assert_eq!(
            lines[0],
            "![Schéma](../img/schema.png) et [a](b.md) `x){ .y }` {pas une liste}"
        );
        // Before its block: the callout opens at the IAL, closes at the blank line.
        assert_eq!(
            containers::parse_marker(lines[2]),
            Some((CalloutKind::Note, String::new()))
        );
        assert_eq!((lines[3], lines[4]), ("Une note.", "Suite."));
        assert_eq!(lines[5], CLOSE_MARKER);
        assert_eq!(lines[6], "Intervalle.");
        // After its block: it opens at the blank line before the block.
        assert_eq!(
            containers::parse_marker(lines[7]),
            Some((CalloutKind::Note, String::new()))
        );
        assert_eq!(lines[8], "Écoutez !");
        assert_eq!(lines[9], CLOSE_MARKER);
        // A titled one on a block quote: the first line is the title, `>` goes.
        assert_eq!(
            containers::parse_marker(lines[11]),
            Some((CalloutKind::Warning, "Attention".into()))
        );
        assert_eq!((lines[12], lines[13], lines[14]), ("", "", "Le texte."));
        assert_eq!(lines[15], CLOSE_MARKER);
        assert_eq!(
            (lines[17], lines[19], lines[20], lines[21]),
            ("", "", "", "")
        );
        // The blank line between two callouts closes one and opens the other.
        assert_eq!(
            containers::closes_then_open(lines[25]),
            Some((1, CalloutKind::Important, String::new()))
        );
        assert_eq!(lines[27], CLOSE_MARKER);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!((d[0].line(), d[0].col()), (20, 1));
        assert!(d[0].message.contains("{: .fs-9 }"), "{}", d[0].message);
    }

    #[test]
    fn mdbook_admonish_blocks_are_callouts() {
        let body = "```admonish warning\nNe pas *partager*.\n```\n```admonish tip title=\"Le bon réflexe\"\nA\n```\n```admonish\nB\n```\n```admonishment\nC\n```\n";
        let (out, d, _) = run(body, false);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), body.lines().count());
        assert_eq!(
            containers::parse_marker(lines[0]),
            Some((CalloutKind::Warning, String::new()))
        );
        assert_eq!(lines[1], "Ne pas *partager*.");
        assert_eq!(lines[2], CLOSE_MARKER);
        assert_eq!(
            containers::parse_marker(lines[3]),
            Some((CalloutKind::Tip, "Le bon réflexe".into()))
        );
        assert_eq!(
            containers::parse_marker(lines[6]),
            Some((CalloutKind::Note, String::new()))
        );
        assert_eq!(lines[9], "```admonishment", "other fences stay code");
        assert!(d.is_empty());
    }

    #[test]
    fn hugo_figures_videos_and_details() {
        let body = "{{< figure src=\"/images/posture.png\" caption=\"La posture\" >}}\n{{< figure src=\"a.png\" alt=\"A\" >}}\n{{< youtube w7Ft2ymGmfc >}}\n{{< youtube id=\"abc\" title=\"La vidéo\" >}}\n{{< details title=\"En savoir plus\" >}}\nPlus.\n{{< /details >}}\n";
        let (out, d, _) = run(body, false);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), body.lines().count());
        assert_eq!(
            lines[0],
            "![La posture](</images/posture.png>) *La posture*"
        );
        assert_eq!(lines[1], "![A](<a.png>)");
        assert_eq!(
            lines[2],
            format!("{EMBED_PREFIX}https://www.youtube.com/watch?v=w7Ft2ymGmfc|-->")
        );
        assert_eq!(
            lines[3],
            format!("{EMBED_PREFIX}https://www.youtube.com/watch?v=abc|La vidéo-->")
        );
        assert_eq!(
            containers::parse_marker(lines[4]),
            Some((CalloutKind::Note, "En savoir plus".into()))
        );
        assert_eq!(lines[6], CLOSE_MARKER);
        assert!(d.is_empty());
    }

    #[test]
    fn hugo_tabs_expand_and_columns() {
        let body = "{{< tabs \"roles\" >}}\n{{< tab \"Mentor\" >}}\nA\n{{< /tab >}}\n{{< tab header=\"Mentoré·e\" lang=\"fr\" >}}\nB\n{{< /tab >}}\n{{< /tabs >}}\n{{< expand \"Pour aller plus loin\" >}}\nC\n{{< /expand >}}\n{{< columns >}}\nGauche\n<--->\nDroite\n{{< /columns >}}\n<--->\n{{< tabpane >}}\n{{< /tabpane >}}\n";
        let (out, d, converted) = run_counting(body);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), body.lines().count(), "{out}");
        assert_eq!(lines[0], TABS_OPEN);
        assert_eq!(lines[1], format!("{TAB_PREFIX}Mentor-->"));
        assert_eq!(lines[3], TAB_CLOSE);
        assert!(
            lines[4].starts_with(TAB_PREFIX)
                && decode(&lines[4][TAB_PREFIX.len()..lines[4].len() - 3]) == "Mentoré·e",
            "{}",
            lines[4]
        );
        assert_eq!(lines[7], TABS_CLOSE);
        assert_eq!(
            containers::parse_marker(lines[8]),
            Some((CalloutKind::Note, "Pour aller plus loin".into()))
        );
        assert_eq!(lines[10], CLOSE_MARKER);
        assert_eq!(&lines[11..16], ["", "Gauche", "", "Droite", ""]);
        assert_eq!(lines[16], "<--->", "outside columns it is text");
        assert_eq!((lines[17], lines[18]), (TABS_OPEN, TABS_CLOSE));
        assert!(d.is_empty());
        assert_eq!(converted.get("hugo tabs"), Some(&2));
        assert_eq!(converted.get("hugo columns"), Some(&1));
    }

    #[test]
    fn abbreviations_are_listed_at_the_end_of_the_page() {
        let body = "Le service RH répond.\n\n*[RH]: Ressources humaines\n*[CSE]: Comité social et économique\n```\n*[X]: dans le code\n```\n";
        let (out, _, converted) = run_counting(body);
        let flags = Flags {
            myst: false,
            zola: false,
        };
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(
            (lines[2], lines[3]),
            ("", ""),
            "definitions go, line for line"
        );
        assert_eq!(lines[5], "*[X]: dans le code", "code is kept");
        assert!(
            out.ends_with(
                "```\n\n- **RH** — Ressources humaines\n- **CSE** — Comité social et économique\n"
            ),
            "{out}"
        );
        assert_eq!(converted.get("abbreviations"), Some(&2));
        assert!(may_hold_dialect("*[RH]: x\n", flags));
        assert!(!may_hold_dialect("un *mot* [lien](x)\n", flags));
    }

    #[test]
    fn hugo_highlight_is_a_fenced_code_block() {
        let body = "{{< highlight go \"linenos=table\" >}}\nfunc main() {}\n{{< hint info >}}\n```\n{{< /highlight >}}\n  {{< highlight >}}\n  x\n  {{< /highlight >}}\n{{< highlight yaml >}}\nnot closed\n";
        let (out, _, _) = run(body, false);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), body.lines().count(), "{out}");
        assert_eq!(
            &lines[..5],
            [
                "````go",
                "func main() {}",
                "{{< hint info >}}",
                "```",
                "````"
            ],
            "code stays code; the fence is longer than any run of backticks in it"
        );
        assert_eq!(&lines[5..8], ["  ```", "  x", "  ```"]);
        assert_eq!(
            lines[8], "{{< highlight yaml >}}",
            "not closed: left for the report"
        );
    }

    #[test]
    fn gitbook_blocks() {
        let body = "{% hint style=\"warning\" %}\nAttention.\n{% endhint %}\n{% tabs %}\n{% tab title=\"Mentor\" %}\nA\n{% endtab %}\n{% endtabs %}\n{% embed url=\"https://video.example/x\" %}\n{% file src=\".gitbook/assets/Ma charte.pdf\" %}\n";
        let (out, d, _) = run(body, false);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(
            containers::parse_marker(lines[0]),
            Some((CalloutKind::Warning, String::new()))
        );
        assert_eq!(lines[2], CLOSE_MARKER);
        assert_eq!(lines[3], TABS_OPEN);
        assert!(lines[4].starts_with(TAB_PREFIX));
        assert!(lines[8].starts_with(EMBED_PREFIX));
        assert_eq!(lines[9], "[Ma charte.pdf](<.gitbook/assets/Ma charte.pdf>)");
        assert!(d.is_empty());
    }

    #[test]
    fn myst_directives_targets_and_roles() {
        let body = "(ecoute)=\n## Écoute\n\n```{note} À retenir\n:class: dropdown\nTexte.\n```\n\n```{code-block} python\n:linenos:\nx = 1\n```\nVoir {ref}`l'écoute <ecoute>` et {doc}`guide/charte`, `{ref}`code``.\n\n```{toctree}\nintro\n```\n```{weird}\nx\n```\n";
        let (out, d, f) = run(body, true);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), body.lines().count());
        assert_eq!(lines[1], "## Écoute {#ecoute}");
        assert_eq!(
            containers::parse_marker(lines[3]),
            Some((CalloutKind::Note, "À retenir".into()))
        );
        assert_eq!(lines[4], "");
        assert_eq!(lines[6], CLOSE_MARKER);
        assert_eq!((lines[8], lines[9], lines[10]), ("", "```python", "x = 1"));
        assert_eq!(
            lines[12],
            "Voir [l'écoute](#ecoute) et [<!--mb:title charte-->](<guide/charte.md>), `{ref}`code``."
        );
        assert_eq!((lines[14], lines[15], lines[16]), ("", "", ""));
        assert_eq!(lines[17], "```");
        assert_eq!(f.labels, ["ecoute"]);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].line(), 18);
    }
}

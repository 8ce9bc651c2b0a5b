//! Markdown → HTML for one page.
//!
//! 1. [`containers`] rewrites `:::kind` containers line for line, and [`foreign`]
//!    removes MDX and Liquid constructs from other tools;
//! 2. pulldown-cmark parses the body into events with byte offsets;
//! 3. one pass rewrites the events: heading ids ([`headings`]), links ([`links`]),
//!    callouts, worksheet blocks (through [`Hooks`]), task boxes, French
//!    spacing ([`crate::typography`]), raw HTML escaping when asked;
//! 4. [`footnotes`] gathers footnotes at the end;
//! 5. pulldown-cmark serialises the events to HTML.
//!
//! Markdown text is never evaluated by the template engine.

pub mod containers;
pub mod footnotes;
pub mod foreign;
pub mod headings;
pub mod links;

use std::collections::HashSet;
use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Options as CmarkOptions, Parser, Tag, TagEnd};

use crate::config::Typography;
use crate::content::{Content, Page, PageId};
use crate::diagnostic::Diagnostic;
use crate::text::escape_html;
use crate::typography;

pub use containers::CalloutKind;
pub use headings::Heading;
pub use links::{AnchorCheck, LinkMode, page_anchor, print_id};

/// Rendering options from the site configuration.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Typographic rules for text.
    pub typography: Typography,
    /// Escape raw HTML instead of passing it through.
    pub safe_html: bool,
    /// Gather the plain text of the page by heading (for the search index).
    pub collect_text: bool,
    /// Print edition: leave out `only` blocks meant for other audiences.
    pub edition: Option<crate::content::Audience>,
    /// Produce the HTML (`check` only validates: links, anchors, blocks).
    pub html: bool,
}

/// What the Markdown pass needs from the theme: worksheet blocks and UI strings.
pub trait Hooks: Sync {
    /// Whether a fenced block with this info string is a worksheet block.
    fn is_block(&self, kind: &str) -> bool;
    /// Renders a worksheet block; `line` is the file line of the block's first body line.
    fn block(&self, kind: &str, body: &str, page: &Page, line: usize)
    -> Result<String, Diagnostic>;
    /// A UI string by key (`callout_tip`, `task_todo`, `anchor`, `footnote_back`…).
    fn label(&self, key: &str) -> String;
}

/// A run of plain text under one heading, for the search index.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextChunk {
    /// Id of the heading the text is under (none before the first heading).
    pub id: Option<String>,
    /// Text of that heading.
    pub heading: String,
    /// The plain text.
    pub text: String,
}

/// The result of rendering one page's Markdown.
#[derive(Debug, Default)]
pub struct Rendered {
    /// The HTML.
    pub html: String,
    /// Headings in order.
    pub headings: Vec<Heading>,
    /// Every id the page defines (headings, footnotes, ids in raw HTML).
    pub ids: HashSet<String>,
    /// Fragments to check in other pages (or this one) once all are rendered.
    pub anchors: Vec<AnchorCheck>,
    /// Problems found.
    pub diagnostics: Vec<Diagnostic>,
    /// Plain text by heading, for search.
    pub chunks: Vec<TextChunk>,
    /// In print mode: the page anchors (`p-…`) that links lead to.
    pub print_anchors: Vec<String>,
    /// In print mode: whether some URL is relative to the print file's folder (an
    /// image, a page outside the print file), so the HTML depends on where it is printed.
    pub relative_urls: bool,
}

/// Byte offset → line and column, by binary search over line starts.
struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Self { text, starts }
    }

    /// 1-based line and column (in characters) of `offset`.
    fn locate(&self, offset: usize) -> (usize, usize) {
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts[line - 1];
        let end = crate::diagnostic::floor_char_boundary(self.text, offset);
        let col = self
            .text
            .get(start..end.max(start))
            .map_or(1, |s| s.chars().count() + 1);
        (line, col)
    }
}

/// Renders `page`'s body.
pub fn render(
    content: &Content,
    page: &Page,
    opts: &Options,
    hooks: &dyn Hooks,
    mode: LinkMode<'_>,
) -> Rendered {
    let mut r = Rendered::default();
    let pre = containers::preprocess(&page.body, &page.source, page.body_line, &mut r.diagnostics);
    let text: &str = pre.as_deref().unwrap_or(&page.body);
    let stripped = foreign::strip(text, &page.source, page.body_line, &mut r.diagnostics);
    let text: &str = stripped.as_deref().unwrap_or(text);
    let index = LineIndex::new(text);
    let events: Vec<(Event<'_>, Range<usize>)> = Parser::new_ext(text, cmark_options())
        .into_offset_iter()
        .collect();

    let explicit: Vec<String> = events
        .iter()
        .filter_map(|(e, _)| match e {
            Event::Start(Tag::Heading { id: Some(id), .. }) => Some(id.to_string()),
            _ => None,
        })
        .collect();
    let mut pass = Pass {
        content,
        page,
        opts,
        hooks,
        mode,
        index: &index,
        slugger: headings::Slugger::new(explicit),
        out: Vec::with_capacity(events.len() + 16),
        r: &mut r,
        heading: None,
        block: None,
        in_code: false,
        callouts: Vec::new(),
        skip: 0,
        spacer: typography::FrenchSpacer::default(),
        chunk: TextChunk::default(),
    };
    for (ev, range) in events {
        pass.event(ev, range);
    }
    let Pass { out, chunk, .. } = pass;
    if opts.collect_text {
        push_chunk(&mut r.chunks, chunk);
    }

    let print = matches!(mode, LinkMode::Print { .. });
    let id_of = |local: &str| {
        if print {
            print_id(page, local)
        } else {
            local.to_string()
        }
    };
    let (events, defined, missing) = footnotes::gather(out, &id_of, &hooks.label("footnote_back"));
    r.ids.extend(defined);
    for label in missing {
        r.diagnostics.push(
            Diagnostic::warning(
                &page.source,
                page.body_line,
                1,
                format!("footnote `[^{label}]` has no definition"),
            )
            .with_help(format!("add a line `[^{label}]: text` to the page")),
        );
    }
    if opts.html {
        let mut html = String::with_capacity(page.body.len() * 3 / 2 + 64);
        pulldown_cmark::html::push_html(&mut html, events.into_iter());
        r.html = html;
    }
    r
}

fn cmark_options() -> CmarkOptions {
    CmarkOptions::ENABLE_TABLES
        | CmarkOptions::ENABLE_FOOTNOTES
        | CmarkOptions::ENABLE_STRIKETHROUGH
        | CmarkOptions::ENABLE_TASKLISTS
        | CmarkOptions::ENABLE_SMART_PUNCTUATION
        | CmarkOptions::ENABLE_HEADING_ATTRIBUTES
        | CmarkOptions::ENABLE_GFM
}

fn push_chunk(chunks: &mut Vec<TextChunk>, mut chunk: TextChunk) {
    if chunk.text.contains(char::is_whitespace) {
        chunk.text = collapse_whitespace(&chunk.text);
    }
    if !chunk.text.is_empty() || chunk.id.is_some() {
        chunks.push(chunk);
    }
}

/// Trims and turns every run of whitespace into one space.
fn collapse_whitespace(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.trim().chars() {
        if c.is_whitespace() {
            space = true;
        } else {
            if space {
                out.push(' ');
                space = false;
            }
            out.push(c);
        }
    }
    out
}

struct OpenHeading {
    level: u8,
    id: Option<String>,
    classes: Vec<String>,
    text: String,
    placeholder: usize,
}

struct OpenBlock {
    kind: String,
    offset: usize,
    body: String,
}

struct Pass<'p, 'a> {
    content: &'p Content,
    page: &'p Page,
    opts: &'p Options,
    hooks: &'p dyn Hooks,
    mode: LinkMode<'p>,
    index: &'p LineIndex<'p>,
    slugger: headings::Slugger,
    out: Vec<Event<'a>>,
    r: &'p mut Rendered,
    heading: Option<OpenHeading>,
    block: Option<OpenBlock>,
    in_code: bool,
    callouts: Vec<()>,
    skip: usize,
    spacer: typography::FrenchSpacer,
    chunk: TextChunk,
}

impl<'a> Pass<'_, 'a> {
    fn locate(&self, offset: usize) -> (usize, usize) {
        let (l, c) = self.index.locate(offset);
        (self.page.body_line + l - 1, c)
    }

    fn print(&self) -> bool {
        matches!(self.mode, LinkMode::Print { .. })
    }

    fn out_id(&self, id: &str) -> String {
        if self.print() {
            print_id(self.page, id)
        } else {
            id.to_string()
        }
    }

    fn event(&mut self, ev: Event<'a>, range: Range<usize>) {
        if self.skip > 0 {
            // Inside an `only` block for another audience of this edition.
            if let Event::Html(h) | Event::InlineHtml(h) = &ev {
                if containers::parse_only(h).is_some() {
                    self.skip += 1;
                } else if containers::is_only_close(h) {
                    self.skip -= 1;
                }
            }
            return;
        }
        if let Some(block) = self.block.as_mut() {
            match ev {
                Event::Text(t) => block.body.push_str(&t),
                Event::End(TagEnd::CodeBlock) => self.finish_block(),
                _ => {}
            }
            return;
        }
        match ev {
            Event::Start(tag) => self.start(tag, range),
            Event::End(tag) => self.end(tag),
            Event::Text(t) => self.text(t),
            Event::Code(c) => {
                self.spacer.saw_other();
                self.note_text(&c);
                self.out.push(Event::Code(c));
            }
            Event::Html(h) | Event::InlineHtml(h) if containers::parse_only(&h).is_some() => {
                let who = containers::parse_only(&h).unwrap_or_default();
                self.open_only(&who);
            }
            Event::Html(h) | Event::InlineHtml(h) if containers::is_only_close(&h) => {
                self.out.push(Event::Html(CowStr::Borrowed("</div>\n")));
            }
            Event::Html(h) | Event::InlineHtml(h) if containers::parse_marker(&h).is_some() => {
                if let Some((kind, title)) = containers::parse_marker(&h) {
                    self.open_callout(kind, (!title.is_empty()).then_some(title));
                }
            }
            Event::Html(h) | Event::InlineHtml(h) if containers::is_close_marker(&h) => {
                self.callouts.pop();
                self.out.push(Event::Html(CowStr::from("</div>\n")));
            }
            Event::Html(h) | Event::InlineHtml(h) if self.opts.safe_html => {
                self.out.push(Event::Text(h));
            }
            Event::Html(h) => {
                self.note_raw_ids(&h);
                self.out.push(Event::Html(h));
            }
            Event::InlineHtml(h) => {
                self.note_raw_ids(&h);
                self.out.push(Event::InlineHtml(h));
            }
            Event::TaskListMarker(done) => {
                let key = if done { "task_done" } else { "task_todo" };
                self.out.push(Event::InlineHtml(CowStr::from(format!(
                    "<span class=\"task{}\" role=\"img\" aria-label=\"{}\"></span> ",
                    if done { " done" } else { "" },
                    escape_html(&self.hooks.label(key))
                ))));
            }
            Event::SoftBreak | Event::HardBreak => {
                if self.opts.collect_text {
                    self.chunk.text.push(' ');
                }
                self.out.push(ev);
            }
            other => self.out.push(other),
        }
    }

    fn text(&mut self, t: CowStr<'a>) {
        if self.in_code {
            self.out.push(Event::Text(t));
            return;
        }
        if self.opts.typography == Typography::Fr
            && self.opts.html
            && let Some(fixed) = self.spacer.apply_if_changed(&t)
        {
            self.note_text(&fixed);
            self.out.push(Event::Text(CowStr::from(fixed)));
            return;
        }
        self.note_text(&t);
        self.out.push(Event::Text(t));
    }

    fn note_text(&mut self, t: &str) {
        if let Some(h) = self.heading.as_mut() {
            h.text.push_str(t);
        } else if self.opts.collect_text {
            self.chunk.text.push_str(t);
        }
    }

    fn note_raw_ids(&mut self, html: &str) {
        for quote in ["id=\"", "id='"] {
            let close = if quote.ends_with('"') { '"' } else { '\'' };
            for (i, _) in html.match_indices(quote) {
                let before = html[..i].chars().last();
                if before.is_some_and(|c| !c.is_whitespace()) {
                    continue;
                }
                let rest = &html[i + quote.len()..];
                if let Some(end) = rest.find(close) {
                    self.r.ids.insert(rest[..end].to_string());
                }
            }
        }
    }

    fn start(&mut self, tag: Tag<'a>, range: Range<usize>) {
        match tag {
            Tag::Heading {
                level,
                id,
                classes,
                attrs: _,
            } => {
                self.spacer.reset();
                self.heading = Some(OpenHeading {
                    level: level as u8,
                    id: id.map(|i| i.to_string()),
                    classes: classes.iter().map(ToString::to_string).collect(),
                    text: String::new(),
                    placeholder: self.out.len(),
                });
                self.out.push(Event::Html(CowStr::Borrowed("")));
            }
            Tag::BlockQuote(Some(kind)) => {
                let kind = match kind {
                    pulldown_cmark::BlockQuoteKind::Note => CalloutKind::Note,
                    pulldown_cmark::BlockQuoteKind::Tip => CalloutKind::Tip,
                    pulldown_cmark::BlockQuoteKind::Important => CalloutKind::Important,
                    pulldown_cmark::BlockQuoteKind::Warning => CalloutKind::Warning,
                    pulldown_cmark::BlockQuoteKind::Caution => CalloutKind::Caution,
                };
                self.open_callout(kind, None);
            }
            Tag::CodeBlock(CodeBlockKind::Fenced(info)) => {
                let kind = info.split_whitespace().next().unwrap_or("").to_string();
                if self.hooks.is_block(&kind) {
                    self.block = Some(OpenBlock {
                        kind,
                        offset: range.start,
                        body: String::new(),
                    });
                } else {
                    self.in_code = true;
                    self.out
                        .push(Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))));
                }
            }
            Tag::CodeBlock(k) => {
                self.in_code = true;
                self.out.push(Event::Start(Tag::CodeBlock(k)));
            }
            Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            } => {
                let dest_url = self.rewrite(dest_url, range.start);
                self.out.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            } => {
                self.spacer.saw_other();
                let dest_url = self.rewrite(dest_url, range.start);
                self.out.push(Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            Tag::Table(align) => {
                self.out
                    .push(Event::Html(CowStr::Borrowed("<div class=\"table-wrap\">")));
                self.out.push(Event::Start(Tag::Table(align)));
            }
            Tag::Paragraph | Tag::Item | Tag::TableCell => {
                self.spacer.reset();
                self.out.push(Event::Start(tag));
            }
            other => self.out.push(Event::Start(other)),
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Heading(_) => self.close_heading(),
            TagEnd::BlockQuote(Some(_)) => {
                self.callouts.pop();
                self.out.push(Event::Html(CowStr::Borrowed("</div>\n")));
            }
            TagEnd::CodeBlock => {
                self.in_code = false;
                self.out.push(Event::End(tag));
            }
            TagEnd::Table => {
                self.out.push(Event::End(tag));
                self.out.push(Event::Html(CowStr::Borrowed("</div>\n")));
            }
            TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell => {
                if self.opts.collect_text {
                    self.chunk.text.push(' ');
                }
                self.out.push(Event::End(tag));
            }
            other => self.out.push(Event::End(other)),
        }
    }

    fn close_heading(&mut self) {
        let Some(h) = self.heading.take() else { return };
        let id = match h.id {
            Some(id) => id,
            None => self.slugger.unique(&h.text),
        };
        let out_id = self.out_id(&id);
        let class = if h.classes.is_empty() {
            String::new()
        } else {
            format!(" class=\"{}\"", escape_html(&h.classes.join(" ")))
        };
        self.out[h.placeholder] = Event::Html(CowStr::from(format!(
            "<h{lvl} id=\"{id}\"{class}>",
            lvl = h.level,
            id = escape_html(&out_id)
        )));
        self.out.push(Event::Html(CowStr::from(format!(
            "<a class=\"anchor\" href=\"#{id}\" aria-label=\"{label}\"></a></h{lvl}>\n",
            id = escape_html(&out_id),
            label = escape_html(&self.hooks.label("anchor")),
            lvl = h.level
        ))));
        let text = h.text.trim().to_string();
        let old = std::mem::replace(
            &mut self.chunk,
            TextChunk {
                id: Some(id.clone()),
                heading: text.clone(),
                text: String::new(),
            },
        );
        if self.opts.collect_text {
            push_chunk(&mut self.r.chunks, old);
        }
        self.r.ids.insert(id.clone());
        self.r.headings.push(Heading {
            level: h.level,
            id,
            text,
        });
    }

    fn open_only(&mut self, who: &[String]) {
        if let Some(edition) = self.opts.edition {
            let name = edition.name();
            if edition != crate::content::Audience::All && !who.iter().any(|w| w == name) {
                self.skip = 1;
                return;
            }
        }
        let label = who
            .iter()
            .map(|w| self.hooks.label(&format!("only_{w}")))
            .collect::<Vec<_>>()
            .join(" · ");
        self.out.push(Event::Html(CowStr::from(format!(
            "<div class=\"only\" data-audience=\"{aud}\">\n<p class=\"only-badge\">{label}</p>\n",
            aud = escape_html(&who.join(" ")),
            label = escape_html(&label)
        ))));
    }

    fn open_callout(&mut self, kind: CalloutKind, title: Option<String>) {
        self.callouts.push(());
        let title = title.unwrap_or_else(|| self.hooks.label(&format!("callout_{}", kind.name())));
        let title = if self.opts.typography == Typography::Fr {
            typography::FrenchSpacer::default().apply(&title)
        } else {
            title
        };
        self.out.push(Event::Html(CowStr::from(format!(
            "<div class=\"callout callout-{name}\" role=\"note\">\n<p class=\"callout-title\">{title}</p>\n",
            name = kind.name(),
            title = escape_html(&title)
        ))));
    }

    fn finish_block(&mut self) {
        let Some(block) = self.block.take() else {
            return;
        };
        let (fence_line, _) = self.locate(block.offset);
        match self
            .hooks
            .block(&block.kind, &block.body, self.page, fence_line + 1)
        {
            Ok(html) => self.out.push(Event::Html(CowStr::from(html))),
            Err(d) => {
                self.out.push(Event::Html(CowStr::from(format!(
                    "<div class=\"block-error\" role=\"alert\">{}</div>\n",
                    escape_html(&d.message)
                ))));
                self.r.diagnostics.push(d);
            }
        }
    }

    fn rewrite(&mut self, dest: CowStr<'a>, offset: usize) -> CowStr<'a> {
        match links::rewrite(self.content, self.page, self.mode, &dest) {
            Ok((url, check)) => {
                if let (LinkMode::Print { .. }, Some(u)) = (self.mode, &url) {
                    match u.strip_prefix('#') {
                        Some(a) => self
                            .r
                            .print_anchors
                            .push(a.split("--").next().unwrap_or(a).to_string()),
                        None => self.r.relative_urls = true,
                    }
                }
                if let Some((target, fragment)) = check {
                    let (line, col) = self.locate(offset);
                    self.r.anchors.push(AnchorCheck {
                        target,
                        fragment,
                        line,
                        col,
                    });
                }
                url.map_or(dest, CowStr::from)
            }
            Err(b) => {
                let (line, col) = self.locate(offset);
                let mut d = if b.fallback.is_some() {
                    Diagnostic::warning(&self.page.source, line, col, b.message)
                } else {
                    Diagnostic::error(&self.page.source, line, col, b.message)
                };
                if let Some(h) = b.help {
                    d = d.with_help(h);
                }
                self.r.diagnostics.push(d);
                if b.fallback.is_some() {
                    self.r.relative_urls = true;
                }
                b.fallback.map_or(dest, CowStr::from)
            }
        }
    }
}

/// Checks every fragment link against the ids of the page it points at; pushes an
/// error for each missing one. `ids` is indexed by page id.
pub fn check_anchors(
    content: &Content,
    from: PageId,
    anchors: &[AnchorCheck],
    ids: &[&HashSet<String>],
    diags: &mut Vec<Diagnostic>,
) {
    let page = &content.pages[from];
    for a in anchors {
        let Some(target_ids) = ids.get(a.target) else {
            continue;
        };
        if target_ids.contains(&a.fragment) {
            continue;
        }
        let target = &content.pages[a.target];
        let mut candidates: Vec<&str> = target_ids.iter().map(String::as_str).collect();
        candidates.sort_unstable();
        let where_ = if a.target == from {
            "this page".to_string()
        } else {
            format!("`{}`", target.source)
        };
        let mut d = Diagnostic::error(
            &page.source,
            a.line,
            a.col,
            format!("broken anchor: `#{}` not found in {where_}", a.fragment),
        );
        d = match crate::diagnostic::did_you_mean(&a.fragment, &candidates) {
            Some(s) => d.with_help(format!("did you mean `#{s}`?")),
            None if candidates.is_empty() => d.with_help("that page has no headings to link to"),
            None => d.with_help(format!(
                "headings there: {}",
                candidates
                    .iter()
                    .take(8)
                    .map(|c| format!("#{c}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        };
        diags.push(d);
    }
}

#[cfg(test)]
mod tests;

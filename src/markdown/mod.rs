//! Markdown → the intermediate form of one page ([`Doc`]), parsed and rendered once.
//!
//! The stage knows nothing of files, other pages or templates: it gets a page's
//! text and where it comes from ([`Source`]), options, and the theme's [`Hooks`]
//! (worksheet blocks, UI strings). Links are recorded as written and resolved
//! later, by the site builder; their destinations are [`Slot`]s of the `Doc`.
//!
//! Steps of [`parse`]:
//! 1. text pre-passes, line for line: on MDX pages, [`foreign::dedent_components`]
//!    takes the indentation out of JSX components' content; [`dialects`] rewrites the block syntax of
//!    other tools (MkDocs admonitions, GitBook tags, MyST directives, targets
//!    and roles) into Markdown and marker comments, [`containers`] turns
//!    `:::kind` containers and ```` ```only ```` fences into marker comments
//!    (found with the parser's own view of the page), [`foreign`] handles MDX,
//!    Liquid, Hugo and Zola constructs (left out, or turned into paths);
//! 2. pulldown-cmark parses the text into events with byte offsets;
//! 3. single-purpose passes rewrite the stream, in this order: [`wiki`]
//!    (the text wikilinks show), [`title`] (the
//!    first `# ` heading as the page title), [`marks`] (a worksheet's top-level
//!    blocks, for where they print), [`only`] (audience blocks),
//!    [`callouts`], [`markers`] (tabs, link cards, targets), [`blocks`]
//!    (worksheet blocks), [`raw_html`] (escaping with `safe_html`, ids and links
//!    of raw HTML), [`typography`], [`blockids`] (Obsidian block ids), [`text`] (search text), [`headings`] (ids),
//!    [`links`], [`markup`] (task boxes, table wrappers), [`hyphens`] (soft
//!    hyphens in table headings), [`footnotes`];
//! 4. [`writer`] serialises the stream to HTML once, recording where each slot is.
//!
//! Markdown text is never evaluated by the template engine.

pub mod blockids;
pub mod blocks;
pub mod callouts;
pub mod containers;
pub mod dialects;
pub mod doc;
pub mod event;
pub mod fields;
pub mod footnotes;
pub mod foreign;
pub mod headings;
pub mod highlight;
pub mod hyphens;
pub mod links;
pub mod markers;
pub mod marks;
pub mod markup;
pub mod only;
pub mod raw_html;
pub mod text;
pub mod title;
pub mod typography;
pub mod wiki;
pub mod writer;
pub mod zola;

use pulldown_cmark::{Options as CmarkOptions, Parser};

use crate::config::Typography;
use crate::diagnostic::Diagnostic;

pub use containers::CalloutKind;
pub use doc::{BodyTitle, Doc, MARK_ATTR, Mark, RawLink, Slot, SlotWriter};
pub use headings::Heading;
pub use only::Audiences;
pub use text::TextChunk;

/// Rendering options from the site configuration.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Typographic rules for text.
    pub typography: Typography,
    /// « » quotation marks instead of “ ” (French), whatever `typography` says.
    pub french_quotes: bool,
    /// Escape raw HTML instead of passing it through.
    pub safe_html: bool,
    /// Gather the plain text of the page by heading (for the search index).
    pub collect_text: bool,
    /// Hyphenation patterns for table headings (the page's language).
    pub hyphenation: crate::hyphenate::Hyphenation,
    /// The page comes from a MyST (Jupyter Book) handbook: `%` lines are comments.
    pub myst: bool,
    /// Every page is MDX (a Docusaurus handbook: `.md` pages too), whatever its
    /// extension; an `.mdx` page always is. Inside JSX components, indentation
    /// makes no code block (see [`foreign::dedent_components`]).
    pub mdx: bool,
    /// The page comes from a Zola site: its shortcodes (`{{ youtube(…) }}`,
    /// `{% note() %}`…`{% end %}`) are read, `{{ … }}` without a call is text,
    /// and `<!-- more -->` is left out.
    pub zola: bool,
    /// The page comes from an Obsidian vault: its comments `%%…%%` are left out
    /// (see [`crate::content::comments`]).
    pub obsidian: bool,
}

/// Where a worksheet block is, for its id and its diagnostics.
#[derive(Debug, Clone, Copy)]
pub struct BlockSite<'a> {
    /// The page's source path (`content/…`), for diagnostics.
    pub source: &'a str,
    /// The page's anchor (`p-…`), which makes block ids unique across the handbook.
    pub anchor: &'a str,
    /// The page's form name (`seance-3`), the first part of its field names.
    pub form: &'a str,
    /// The field names the page has given out, so that the block's are unique.
    pub names: &'a fields::FieldNames,
    /// File line of the block's first body line.
    pub line: usize,
}

/// What the Markdown stage needs from the theme: worksheet blocks and UI strings.
pub trait Hooks: Sync {
    /// Whether a fenced block with this info string is a worksheet block.
    fn is_block(&self, kind: &str) -> bool;
    /// Renders a worksheet block.
    fn block(&self, kind: &str, body: &str, site: &BlockSite<'_>) -> Result<String, Diagnostic>;
    /// A UI string by key (`callout_tip`, `task_todo`, `anchor`, `footnote_back`…).
    fn label(&self, key: &str) -> String;
}

/// The text of one page and where it comes from.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    /// Source path relative to the site root, for diagnostics.
    pub path: &'a str,
    /// The Markdown body (front matter removed).
    pub text: &'a str,
    /// File line of the body's first line.
    pub first_line: usize,
    /// File line of every line of the body, when they do not simply follow
    /// `first_line` (text included from other files).
    pub lines: Option<&'a crate::text::LineMap>,
    /// The page's anchor (`p-…`), for worksheet block ids.
    pub anchor: &'a str,
    /// The page's form name (`seance-3`, see [`crate::paths::OutPath::form_name`]):
    /// the first part of the names of its fillable fields.
    pub form: &'a str,
    /// The front matter has no title: take the first `# ` heading as the title
    /// (else a `# ` heading that opens the body still leaves it, see [`title`]).
    pub title_from_body: bool,
    /// Mark the top-level blocks with their lines (worksheets: see [`marks`]).
    pub mark_blocks: bool,
}

/// What every pass shares: the page, options, theme hooks, and the `Doc` being made.
pub(crate) struct Cx<'s> {
    pub src: &'s Source<'s>,
    pub opts: &'s Options,
    pub hooks: &'s dyn Hooks,
    pub lines: event::LineIndex<'s>,
    pub doc: Doc,
    /// Names of the page's fillable fields given out so far.
    pub names: fields::FieldNames,
}

impl Cx<'_> {
    /// File line and column of a byte offset of the parsed text.
    pub fn locate(&self, at: usize) -> (usize, usize) {
        self.lines.locate(at)
    }

    /// Registers a local id (one print files prefix) and returns its slot.
    pub fn local_id(&mut self, id: String) -> Slot {
        let n = u32::try_from(self.doc.local_ids.len()).unwrap_or(u32::MAX);
        self.doc.local_ids.push(id);
        Slot::Id(n)
    }
}

/// Parses and renders one page's body into its [`Doc`].
pub fn parse(src: &Source<'_>, opts: &Options, hooks: &dyn Hooks) -> Doc {
    let mut diagnostics = Vec::new();
    let mut converted = doc::Converted::new();
    let lines = src
        .lines
        .cloned()
        .unwrap_or_else(|| crate::text::LineMap::new(src.first_line));
    let flags = dialects::Flags {
        myst: opts.myst,
        zola: opts.zola,
    };
    let uncommented = opts
        .obsidian
        .then(|| crate::content::comments::strip(src.text, src.path, &lines, &mut diagnostics))
        .flatten()
        .map(|(text, count)| {
            *converted.entry("obsidian comment").or_default() += count;
            text
        });
    let base: &str = uncommented.as_deref().unwrap_or(src.text);
    // HTML comments are emptied before any pass reads other tools' syntax in them.
    let emptied = crate::content::comments::empty_html_comments(base);
    let original: &str = emptied.as_deref().unwrap_or(base);
    let dedented = (opts.mdx || src.path.ends_with(".mdx"))
        .then(|| foreign::dedent_components(original))
        .flatten();
    let (rewritten, found) = dialects::rewrite(
        dedented.as_deref().unwrap_or(original),
        src.path,
        &lines,
        flags,
        &mut diagnostics,
        &mut converted,
    );
    let text: &str = rewritten
        .as_deref()
        .or(dedented.as_deref())
        .unwrap_or(original);
    let pre = containers::preprocess(text, src.path, &lines, &mut diagnostics, &mut converted);
    let text: &str = pre.as_deref().unwrap_or(text);
    let stripped = foreign::strip(
        text,
        src.path,
        &lines,
        opts.zola,
        &mut diagnostics,
        &mut converted,
    );
    let text: &str = stripped.as_deref().unwrap_or(text);
    let mut cx = Cx {
        src,
        opts,
        hooks,
        lines: event::LineIndex::new(text, &lines),
        doc: Doc {
            diagnostics,
            converted,
            ..Doc::default()
        },
        names: fields::FieldNames::new(src.mark_blocks),
    };
    let mut parser = Parser::new_ext(text, cmark_options()).into_offset_iter();
    let items: event::Items<'_> = parser
        .by_ref()
        .map(|(e, r)| event::Item::md(e, r.start))
        .collect();
    let items = wiki::references_first(items, parser.reference_definitions());
    let items = wiki::run(items, text);
    let items = title::run(items, &mut cx);
    let items = marks::run(items, &mut cx);
    let items = only::run(items, &mut cx);
    let items = callouts::run(items, &mut cx);
    let items = markers::run(items, &mut cx);
    let items = blocks::run(items, &mut cx);
    let items = raw_html::run(items, &mut cx);
    let items = typography::run(items, &mut cx);
    let items = highlight::run(items);
    let items = blockids::run(items, &mut cx);
    let chunks = opts.collect_text.then(|| text::collect(&items));
    let items = headings::run(items, &mut cx);
    if let Some(chunks) = chunks {
        cx.doc.chunks = text::finish(chunks, &cx.doc.headings);
    }
    let items = links::run(items, &mut cx);
    let items = markup::run(items, &mut cx);
    let items = hyphens::run(items, &mut cx);
    let items = footnotes::run(items, &mut cx);
    cx.doc.labels = found.labels;
    writer::finish(items, cx)
}

/// The pulldown-cmark extensions every page is parsed with.
pub fn cmark_options() -> CmarkOptions {
    CmarkOptions::ENABLE_TABLES
        | CmarkOptions::ENABLE_FOOTNOTES
        | CmarkOptions::ENABLE_STRIKETHROUGH
        | CmarkOptions::ENABLE_TASKLISTS
        | CmarkOptions::ENABLE_SMART_PUNCTUATION
        | CmarkOptions::ENABLE_HEADING_ATTRIBUTES
        | CmarkOptions::ENABLE_GFM
        | CmarkOptions::ENABLE_WIKILINKS
}

#[cfg(test)]
mod tests;

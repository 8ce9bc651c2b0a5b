//! A page and a section of the handbook, as loaded from `content/`.

use crate::content::front_matter::{FrontMatter, PageKind};
use crate::paths::{LangCode, OutPath, SourcePath};

/// Index of a page in [`crate::content::Content::pages`].
pub type PageId = usize;
/// Index of a section in [`crate::content::Content::sections`].
pub type SectionId = usize;

/// One page of the handbook (a section's index page is a page too).
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// Its index in the page list.
    pub id: PageId,
    /// Source path relative to the site root, for diagnostics (`content/guide/02-posture.md`).
    pub source: SourcePath,
    /// Source path relative to `content/` (`guide/02-posture.md`); empty for generated indexes.
    pub rel: String,
    /// Output path relative to the output folder (`guide/posture.html`).
    pub out: OutPath,
    /// The section the page belongs to (for an index page: the section it introduces).
    pub section: SectionId,
    /// Whether this page is a section's index.
    pub is_index: bool,
    /// Its front matter.
    pub fm: FrontMatter,
    /// The resolved title.
    pub title: String,
    /// The title came from a `# ` heading that stays in the body (the theme must not repeat it).
    pub title_in_body: bool,
    /// The front matter has no title: the Markdown stage looks for one in the body
    /// (until then `title` is made from the file name).
    pub title_from_body: bool,
    /// The Markdown body, until it is parsed (then released: see [`Page::body_hash`]).
    pub body: crate::store::Held,
    /// A hash of the body as read, kept after the body is released, to tell
    /// whether a page's text changed between two loads (`serve`).
    pub body_hash: u64,
    /// A hash of the file's text before the body (its front matter), to tell
    /// whether only the body of a modified file changed (`serve`, see
    /// [`crate::content::reread_body`]).
    pub head_hash: u64,
    /// File line of the body's first line.
    pub body_line: usize,
    /// File line of every line of the body (shifted where text was included).
    pub lines: crate::text::LineMap,
    /// Numeric prefix of the file name, used for ordering.
    pub prefix: Option<u64>,
    /// Language of the page.
    pub lang: LangCode,
}

impl Page {
    /// Whether `other` is this page with, at most, another body.
    pub fn same_except_body(&self, other: &Page) -> bool {
        let Page {
            id,
            source,
            rel,
            out,
            section,
            is_index,
            fm,
            title,
            title_in_body,
            title_from_body,
            body: _,
            body_hash: _,
            head_hash,
            body_line,
            lines,
            prefix,
            lang,
        } = self;
        *id == other.id
            && *source == other.source
            && *rel == other.rel
            && *out == other.out
            && *section == other.section
            && *is_index == other.is_index
            && *fm == other.fm
            && *title == other.title
            && *title_in_body == other.title_in_body
            && *title_from_body == other.title_from_body
            && *head_hash == other.head_hash
            && *body_line == other.body_line
            && *lines == other.lines
            && *prefix == other.prefix
            && *lang == other.lang
    }

    /// Whether this is a printable worksheet.
    pub fn is_worksheet(&self) -> bool {
        self.fm.kind == PageKind::Worksheet
    }
}

/// A child in a section, in reading order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Node {
    /// A page of this section.
    Page(PageId),
    /// A sub-section.
    Section(SectionId),
}

/// A folder of `content/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// Its index in the section list (0 is the root).
    pub id: SectionId,
    /// Folder relative to `content/` (empty for the root).
    pub rel_dir: String,
    /// Output folder (empty for the root; no trailing `/`).
    pub out_dir: String,
    /// Its index page.
    pub index: PageId,
    /// The parent section (none for the root).
    pub parent: Option<SectionId>,
    /// Pages and sub-sections in order.
    pub children: Vec<Node>,
    /// Depth: 0 for the root.
    pub depth: usize,
}

//! The places a page's [`Doc`](crate::markdown::Doc) is written to, as
//! [`SlotWriter`]s: its own web page, and a print file (the whole handbook, a
//! section, the worksheets, an edition, a kit) where the pages it holds become
//! in-page anchors, ids are prefixed ([`crate::site::layout::print_id`]), an
//! edition drops other audiences' blocks, and a link to a place in the same file
//! is followed by a slot for the page it prints on ([`crate::site::pageref`]).

use crate::content::{Content, Page, PageId};
use crate::markdown::{Audiences, RawLink, SlotWriter};
use crate::site::layout;
use crate::site::links::Resolved;
use crate::site::pageref::{self, PageRefs};
use crate::urls;

/// A page on its own web page.
pub struct Web<'a> {
    /// The page's language content.
    pub content: &'a Content,
    /// The page.
    pub page: &'a Page,
    /// Its links, resolved.
    pub resolved: &'a [Resolved],
    /// The text of its links written as the title of what they lead to.
    pub titles: &'a [Option<String>],
}

impl SlotWriter for Web<'_> {
    fn href(&self, n: usize, link: &RawLink, out: &mut String) {
        match self.resolved.get(n) {
            Some(Resolved::Page { id, frag }) => {
                out.push_str(&urls::relative(
                    &self.page.out,
                    &self.content.pages[*id].out,
                ));
                push_fragment(out, frag.as_deref());
            }
            Some(Resolved::File { out: to, suffix }) => {
                out.push_str(&urls::relative(&self.page.out, to));
                out.push_str(suffix);
            }
            // A wikilink names its heading by text (`[[#Écouter vraiment]]`): its id is written.
            Some(Resolved::Fragment(f)) if link.wiki => push_fragment(out, Some(f)),
            Some(Resolved::Fragment(_) | Resolved::Keep | Resolved::Missing) | None => {
                out.push_str(&link.dest);
            }
        }
    }

    fn id(&self, id: &str, out: &mut String) {
        out.push_str(id);
    }

    fn title(&self, n: usize, link: &RawLink, out: &mut String) {
        push_title(self.titles.get(n), link, out);
    }

    fn drops(&self, n: usize) -> bool {
        matches!(self.resolved.get(n), Some(Resolved::Missing))
    }
}

/// A page inside a print file at `file`.
pub struct Print<'a> {
    /// The page's language content.
    pub content: &'a Content,
    /// The page.
    pub page: &'a Page,
    /// Every page's anchor ([`crate::site::layout::page_anchor`]), by page id.
    pub anchors: &'a [String],
    /// Its links, resolved.
    pub resolved: &'a [Resolved],
    /// The text of its links written as the title of what they lead to.
    pub titles: &'a [Option<String>],
    /// The print file's output path.
    pub file: &'a str,
    /// Whether a page is in the print file (links to it become in-page anchors).
    pub included: &'a (dyn Fn(PageId) -> bool + Sync),
    /// For an edition: the audience whose blocks are kept.
    pub edition: Option<Audiences>,
    /// The page's level in the print file's outline, when below the top: its
    /// headings then get `aria-level`s below it, so the PDF outline nests like
    /// the table of contents (a level-2 page's `h2` is level 3).
    pub outline_level: Option<u8>,
    /// The texts of page references after links to places in the file (none:
    /// no page references).
    pub refs: Option<&'a PageRefs>,
}

impl Print<'_> {
    /// The in-file anchor link `n` leads to, if it leads into the file.
    fn in_file_anchor(&self, n: usize) -> Option<String> {
        match self.resolved.get(n)? {
            Resolved::Page { id, frag } if (self.included)(*id) => Some(match frag {
                Some(f) => layout::print_id(&self.anchors[*id], f),
                None => self.anchors[*id].clone(),
            }),
            Resolved::Fragment(f) => Some(layout::print_id(&self.anchors[self.page.id], f)),
            _ => None,
        }
    }
}

impl SlotWriter for Print<'_> {
    fn href(&self, n: usize, link: &RawLink, out: &mut String) {
        match self.resolved.get(n) {
            Some(Resolved::Page { id, frag }) => {
                let target = &self.content.pages[*id];
                if (self.included)(*id) {
                    out.push('#');
                    out.push_str(&self.anchors[*id]);
                    if let Some(f) = frag {
                        out.push('-');
                        out.push_str(f);
                    }
                } else {
                    out.push_str(&urls::relative(self.file, &target.out));
                    push_fragment(out, frag.as_deref());
                }
            }
            Some(Resolved::Fragment(f)) => {
                out.push('#');
                out.push_str(&self.anchors[self.page.id]);
                out.push('-');
                out.push_str(f);
            }
            Some(Resolved::File { out: to, suffix }) => {
                out.push_str(&urls::relative(self.file, to));
                out.push_str(suffix);
            }
            Some(Resolved::Keep | Resolved::Missing) | None => out.push_str(&link.dest),
        }
    }

    fn drops(&self, n: usize) -> bool {
        matches!(self.resolved.get(n), Some(Resolved::Missing))
    }

    fn title(&self, n: usize, link: &RawLink, out: &mut String) {
        push_title(self.titles.get(n), link, out);
    }

    fn id(&self, id: &str, out: &mut String) {
        out.push_str(&self.anchors[self.page.id]);
        out.push('-');
        out.push_str(id);
    }

    fn keeps(&self, audiences: Audiences) -> bool {
        self.edition.is_none_or(|e| audiences.contains(e))
    }

    fn link_end(&self, n: usize, see: bool, out: &mut String) {
        let Some(refs) = self.refs else { return };
        if let Some(anchor) = self.in_file_anchor(n) {
            let text = if see { &refs.plain } else { &refs.see };
            pageref::push_cross_ref(text, &anchor, out);
        }
    }

    fn heading(&self, level: u8, out: &mut String) {
        if let Some(page_level) = self.outline_level {
            let aria = u32::from(page_level) + u32::from(level) - 1;
            out.push_str(&format!(" aria-level=\"{aria}\""));
        }
    }
}

/// The text of a link written as the title of what it leads to.
fn push_title(title: Option<&Option<String>>, link: &RawLink, out: &mut String) {
    match title {
        Some(Some(t)) => out.push_str(t),
        _ => out.push_str(link.text.as_deref().unwrap_or(&link.dest)),
    }
}

fn push_fragment(out: &mut String, frag: Option<&str>) {
    if let Some(f) = frag {
        out.push('#');
        out.push_str(&urls::encode_segment(f));
    }
}

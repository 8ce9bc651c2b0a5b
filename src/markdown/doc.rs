//! The intermediate form of a page: its HTML, rendered once, with typed slots
//! where the HTML depends on where the page is shown.
//!
//! A [`Doc`] is the body of one page as HTML text plus [`Slot`]s at byte
//! offsets: link destinations (a page, a heading, a file), local ids (heading
//! and footnote ids, which print pages prefix), and the bounds of audience
//! (`only`) blocks. [`Doc::write`] serialises it for one place — the web page,
//! a print file, an edition — through a [`SlotWriter`], without parsing or
//! rendering the Markdown again.

use std::collections::HashSet;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::diagnostic::Diagnostic;
use crate::markdown::headings::Heading;
use crate::markdown::only::Audiences;
use crate::markdown::text::TextChunk;
use crate::store::{Held, Place, Store};

/// Constructs of other tools a page had, converted, counted by kind.
pub type Converted = std::collections::BTreeMap<&'static str, u32>;

/// A place in the HTML whose text depends on where the page is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Slot {
    /// The destination of link number `n` of [`Doc::links`] (the value of an
    /// `href` or `src` attribute, escaped by the writer).
    Href(u32),
    /// Local id number `n` of [`Doc::local_ids`], as an attribute value (`id="…"`,
    /// or after `#` in `href="#…"`).
    Id(u32),
    /// The start of a block for these audiences only.
    OnlyStart(Audiences),
    /// The end of the innermost open audience block.
    OnlyEnd,
    /// The text of link number `n`: the title of the page it leads to (GitBook's
    /// link cards), else the text written ([`RawLink::text`]).
    Title(u32),
    /// Inside the opening tag of a heading of this level, after its name: where a
    /// print file adds the heading's level in its outline (`aria-level`).
    HeadingLevel(u8),
    /// Right after the `</a>` of link `n` of [`Doc::links`]: where a print file
    /// adds the page its target is printed on. `see` tells whether the text just
    /// before the link already says "see" (`voir`, `see`, `cf.`).
    LinkEnd {
        /// The link's number.
        n: u32,
        /// The link follows "voir", "see" or "cf.".
        see: bool,
    },
    /// Before (`open`) or after a wikilink `n` of [`Doc::links`]: its brackets,
    /// written only when it leads nowhere, so that it shows as it was written
    /// (`[[Prénom]]` in a letter's model, `[[1, n]]`).
    WikiBracket {
        /// The link's number.
        n: u32,
        /// The opening brackets (else the closing ones).
        open: bool,
    },
    /// Inside the opening tag of top-level block `n` of [`Doc::marks`], after its
    /// name (worksheets only): where the block's source line is written, so that
    /// `pdf` can tell on which sheet each block landed.
    Mark(u32),
}

/// A top-level block of a worksheet, for messages about where it printed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mark {
    /// File line where the block starts.
    pub line: usize,
    /// The block in words (“the `field` block “Objectifs””), for messages.
    pub what: String,
}

/// A link or image destination written in the page, to be resolved once every
/// page is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawLink {
    /// The destination as written (`../guide/posture.md#ecoute`).
    pub dest: String,
    /// File line of the link.
    pub line: usize,
    /// Column of the link, in characters.
    pub col: usize,
    /// Whether it is an image (`![…](…)`).
    pub image: bool,
    /// For a link whose text is the title of the page it leads to ([`Slot::Title`]):
    /// the text written, shown when it leads elsewhere.
    pub text: Option<String>,
    /// Written as a wikilink (`[[Posture du mentor]]`, Obsidian's and Foam's):
    /// `dest` is a page's name or title, not a path (see [`crate::site::wikilinks`]).
    pub wiki: bool,
    /// Written as an embedded page (`![[Posture du mentor]]`): shown as a link to it.
    pub embed: bool,
}

/// The title found in a page's body: its first level-1 heading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyTitle {
    /// The heading's text, markup left out.
    pub text: String,
    /// Whether the heading stays in the body (it was not the first block, so it
    /// was kept where it is; the theme must not repeat the title).
    pub in_body: bool,
}

/// One page's body, parsed and rendered once.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Doc {
    /// The HTML, with every slot's text left out.
    pub(crate) html: String,
    /// Slots by increasing offset into `html`.
    pub(crate) slots: Vec<(usize, Slot)>,
    /// Links and images to resolve, in order of appearance.
    pub links: Vec<RawLink>,
    /// Ids that print files prefix (headings, footnotes), by slot number.
    pub local_ids: Vec<String>,
    /// Headings in order.
    pub headings: Vec<Heading>,
    /// Every id the page defines (headings, footnotes, ids in raw HTML).
    pub ids: HashSet<String>,
    /// Plain text by heading, for search.
    pub chunks: Vec<TextChunk>,
    /// Problems found.
    pub diagnostics: Vec<Diagnostic>,
    /// The first level-1 heading, when the page asked for its title from the body.
    pub title: Option<BodyTitle>,
    /// Every audience named by an `only` block.
    pub audiences: Audiences,
    /// The top-level blocks of a worksheet, by [`Slot::Mark`] number (empty for
    /// other pages).
    pub marks: Vec<Mark>,
    /// Targets other pages may link to by name (MyST's `(label)=`), also in `ids`.
    pub labels: Vec<String>,
    /// Constructs of other tools this page had, converted, by kind (`hint`, `admonition`…).
    pub converted: Converted,
    /// Where the HTML, slots, local ids and marks are when [`Doc::stow`] put
    /// them in a store's file (then empty here), or the budget they take.
    pub(crate) stowed: Option<Held>,
    /// Where [`Doc::chunks`] are when [`Doc::stow`] put them in a store's file
    /// (then empty here), or the budget they take; read by [`Doc::text_chunks`].
    pub(crate) chunks_stowed: Option<Held>,
}

/// What serialising a page reads: its HTML, slots, local ids and marks.
#[derive(Serialize)]
struct BodyRef<'a> {
    html: &'a str,
    slots: &'a [(usize, Slot)],
    local_ids: &'a [String],
    marks: &'a [Mark],
}

/// The bodies last read back from a store's file, by their place in it: a
/// page's body is written into its web file and into its section's print file,
/// which the builder makes one near the other (a folder's files in path order),
/// so the second one finds it here instead of reading and decoding it again.
/// Holds at most [`Bodies::CAPACITY`] bodies and [`Bodies::BYTES`] bytes of
/// them (as stored), the oldest dropped first.
#[derive(Default)]
pub struct Bodies(std::sync::Mutex<Recent>);

/// The bodies of [`Bodies`], oldest first, and their stored size in all.
#[derive(Default)]
struct Recent {
    list: std::collections::VecDeque<(Place, Arc<BodyOwned>)>,
    bytes: usize,
}

impl std::fmt::Debug for Bodies {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Bodies")
    }
}

impl Bodies {
    /// Bodies kept: a section of a few dozen pages, from both threads.
    pub const CAPACITY: usize = 64;
    /// Bytes of bodies kept (as stored; a bigger body is not kept at all), so
    /// that a handbook of huge pages does not hold dozens of them.
    pub const BYTES: usize = 8 << 20;

    fn get(
        &self,
        place: Place,
        read: impl FnOnce() -> std::io::Result<BodyOwned>,
    ) -> std::io::Result<Arc<BodyOwned>> {
        let lock = || self.0.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((_, b)) = lock().list.iter().find(|(p, _)| *p == place) {
            return Ok(b.clone());
        }
        // Read without the lock: the other thread goes on meanwhile.
        let body = Arc::new(read()?);
        let size = place.1;
        if size > Self::BYTES {
            return Ok(body);
        }
        let mut kept = lock();
        while kept.list.len() >= Self::CAPACITY || kept.bytes + size > Self::BYTES {
            let Some(((_, len), _)) = kept.list.pop_front() else {
                break;
            };
            kept.bytes -= len;
        }
        kept.list.push_back((place, body.clone()));
        kept.bytes += size;
        Ok(body)
    }
}

/// A [`BodyRef`] read back from a store.
#[derive(Deserialize)]
struct BodyOwned {
    html: String,
    slots: Vec<(usize, Slot)>,
    local_ids: Vec<String>,
    marks: Vec<Mark>,
}

/// Fills the slots of a [`Doc`] for one place where it is shown.
pub trait SlotWriter {
    /// Writes the destination of link `n` (unescaped: [`Doc::write`] escapes it).
    fn href(&self, n: usize, link: &RawLink, out: &mut String);
    /// Writes local id `id` (unescaped).
    fn id(&self, id: &str, out: &mut String);
    /// Writes the text of link `n` (unescaped): the title of the page it leads
    /// to, else the text written.
    fn title(&self, n: usize, link: &RawLink, out: &mut String) {
        let _ = n;
        out.push_str(link.text.as_deref().unwrap_or(&link.dest));
    }
    /// Whether link `n` leads nowhere: its `href` (or `src`) attribute is then
    /// left out, so the text stays and no broken link is written.
    fn drops(&self, n: usize) -> bool {
        let _ = n;
        false
    }
    /// Whether a block for `audiences` is kept.
    fn keeps(&self, audiences: Audiences) -> bool {
        let _ = audiences;
        true
    }
    /// Writes attributes for a heading of `level` (nothing by default).
    fn heading(&self, level: u8, out: &mut String) {
        let _ = (level, out);
    }
    /// Writes what follows link `n` (nothing by default; print files add the
    /// page of an in-file target).
    fn link_end(&self, n: usize, see: bool, out: &mut String) {
        let _ = (n, see, out);
    }
    /// Writes attributes for a marked top-level block (by default its line, as
    /// [`write_mark`]).
    fn mark(&self, mark: &Mark, out: &mut String) {
        write_mark(mark, out);
    }
}

/// The attribute that tells which source line a printed block comes from.
pub const MARK_ATTR: &str = "data-mb-line";

/// Writes ` data-mb-line="N"` for a mark.
pub fn write_mark(mark: &Mark, out: &mut String) {
    out.push(' ');
    out.push_str(MARK_ATTR);
    out.push_str("=\"");
    out.push_str(&mark.line.to_string());
    out.push('"');
}

impl Doc {
    /// The length of the HTML without slots, to size output buffers.
    pub fn len_hint(&self) -> usize {
        match &self.stowed {
            Some(h) if h.is_away() => h.len() + h.len() / 8,
            _ => self.html.len() + self.slots.len() * 24,
        }
    }

    /// Bytes the parts that serialisation reads take in memory (roughly).
    fn body_size(&self) -> usize {
        self.html.capacity()
            + self.slots.capacity() * std::mem::size_of::<(usize, Slot)>()
            + self
                .local_ids
                .iter()
                .map(|s| s.capacity() + 24)
                .sum::<usize>()
            + self
                .marks
                .iter()
                .map(|m| m.what.capacity() + 32)
                .sum::<usize>()
    }

    /// Hands what serialisation reads (HTML, slots, local ids, marks) to `store`:
    /// counted against its budget while it fits, else written to its file and
    /// released here, to be read back by [`Doc::write`]. The output is the same
    /// either way.
    pub fn stow(&mut self, store: &Arc<Store>) {
        self.stow_chunks(store);
        if self.stowed.is_some() {
            return;
        }
        // The HTML was written into a buffer sized for the worst case: what is
        // kept is its length, so more bodies stay within the budget instead of
        // going to the file (and memory holds no slack).
        self.html.shrink_to_fit();
        self.slots.shrink_to_fit();
        let body = BodyRef {
            html: &self.html,
            slots: &self.slots,
            local_ids: &self.local_ids,
            marks: &self.marks,
        };
        let held = store.keep_value(&body, self.body_size());
        if held.as_ref().is_some_and(Held::is_away) {
            self.html = String::new();
            self.slots = Vec::new();
            self.local_ids = Vec::new();
            self.marks = Vec::new();
        }
        self.stowed = held;
    }

    /// Hands the search text to `store`, like [`Doc::stow`] does the body.
    fn stow_chunks(&mut self, store: &Arc<Store>) {
        if self.chunks_stowed.is_some() || self.chunks.is_empty() {
            return;
        }
        for c in &mut self.chunks {
            c.text.shrink_to_fit();
        }
        self.chunks.shrink_to_fit();
        let size: usize = self
            .chunks
            .iter()
            .map(|c| {
                c.text.capacity()
                    + c.heading.capacity()
                    + c.id.as_ref().map_or(0, String::capacity)
                    + std::mem::size_of::<TextChunk>()
            })
            .sum();
        let held = store.keep_value(&self.chunks, size);
        if held.as_ref().is_some_and(Held::is_away) {
            self.chunks = Vec::new();
        }
        self.chunks_stowed = held;
    }

    /// The page's plain text by heading, for search: [`Doc::chunks`], read back
    /// from the store's file when [`Doc::stow`] put them there.
    pub fn text_chunks(&self) -> std::io::Result<std::borrow::Cow<'_, [TextChunk]>> {
        match &self.chunks_stowed {
            Some(h) if h.is_away() => Ok(std::borrow::Cow::Owned(h.decode()?)),
            _ => Ok(std::borrow::Cow::Borrowed(&self.chunks)),
        }
    }

    /// Serialises the page for one place, appending to `out`; fails only when a
    /// stowed body cannot be read back from its store's file.
    pub fn write(&self, w: &dyn SlotWriter, out: &mut String) -> std::io::Result<()> {
        self.write_with(None, w, out)
    }

    /// [`Doc::write`], reading a stowed body back through `bodies` (a body read
    /// for the page's web file serves its section's print file, and the other way).
    pub fn write_with(
        &self,
        bodies: Option<&Bodies>,
        w: &dyn SlotWriter,
        out: &mut String,
    ) -> std::io::Result<()> {
        let owned: Arc<BodyOwned>;
        let view = match &self.stowed {
            Some(h) if h.is_away() => {
                owned = match (bodies, h.place()) {
                    (Some(b), Some(place)) => b.get(place, || h.decode())?,
                    _ => Arc::new(h.decode()?),
                };
                BodyRef {
                    html: &owned.html,
                    slots: &owned.slots,
                    local_ids: &owned.local_ids,
                    marks: &owned.marks,
                }
            }
            _ => BodyRef {
                html: &self.html,
                slots: &self.slots,
                local_ids: &self.local_ids,
                marks: &self.marks,
            },
        };
        self.write_body(&view, w, out);
        Ok(())
    }

    fn write_body(&self, b: &BodyRef<'_>, w: &dyn SlotWriter, out: &mut String) {
        let mut at = 0;
        let mut skip_depth = 0usize;
        let mut depth = 0usize;
        let mut scratch = String::new();
        // After a dropped attribute: its closing quote, still in the HTML.
        let mut skip_quote = false;
        for &(offset, slot) in b.slots {
            if skip_depth == 0 {
                let mut from = at;
                if std::mem::take(&mut skip_quote)
                    && matches!(b.html.as_bytes().get(at), Some(b'"' | b'\''))
                {
                    from += 1;
                }
                out.push_str(&b.html[from.min(offset)..offset]);
            }
            at = offset;
            match slot {
                Slot::OnlyStart(a) => {
                    depth += 1;
                    if skip_depth == 0 && !w.keeps(a) {
                        skip_depth = depth;
                    }
                }
                Slot::OnlyEnd => {
                    if skip_depth == depth {
                        skip_depth = 0;
                    }
                    depth = depth.saturating_sub(1);
                }
                _ if skip_depth > 0 => {}
                Slot::Href(n) => {
                    let n = n as usize;
                    if w.drops(n) {
                        let opening = [" href=\"", " href='", " src=\"", " src='"]
                            .iter()
                            .find(|o| out.ends_with(*o));
                        if let Some(o) = opening {
                            out.truncate(out.len() - o.len());
                            skip_quote = true;
                            continue;
                        }
                    }
                    if let Some(link) = self.links.get(n) {
                        scratch.clear();
                        w.href(n, link, &mut scratch);
                        push_escaped_href(out, &scratch);
                    }
                }
                Slot::Title(n) => {
                    if let Some(link) = self.links.get(n as usize) {
                        scratch.clear();
                        w.title(n as usize, link, &mut scratch);
                        out.push_str(&crate::text::escape_html(&scratch));
                    }
                }
                Slot::Id(n) => {
                    if let Some(id) = b.local_ids.get(n as usize) {
                        scratch.clear();
                        w.id(id, &mut scratch);
                        push_escaped_html(out, &scratch);
                    }
                }
                Slot::WikiBracket { n, open } => {
                    if w.drops(n as usize) {
                        out.push_str(if open { "[[" } else { "]]" });
                    }
                }
                Slot::HeadingLevel(level) => w.heading(level, out),
                Slot::LinkEnd { n, see } => w.link_end(n as usize, see, out),
                Slot::Mark(n) => {
                    if let Some(m) = b.marks.get(n as usize) {
                        w.mark(m, out);
                    }
                }
            }
        }
        if skip_depth == 0 {
            let from = if skip_quote && matches!(b.html.as_bytes().get(at), Some(b'"' | b'\'')) {
                at + 1
            } else {
                at
            };
            out.push_str(&b.html[from.min(b.html.len())..]);
        }
    }

    /// The page's HTML with every slot filled by `w` (see [`Doc::write`]).
    pub fn to_html(&self, w: &dyn SlotWriter) -> std::io::Result<String> {
        self.to_html_with(None, w)
    }

    /// [`Doc::to_html`], reading a stowed body back through `bodies` (see
    /// [`Doc::write_with`]).
    pub fn to_html_with(
        &self,
        bodies: Option<&Bodies>,
        w: &dyn SlotWriter,
    ) -> std::io::Result<String> {
        let mut s = String::with_capacity(self.len_hint());
        self.write_with(bodies, w, &mut s)?;
        Ok(s)
    }
}

/// Appends `text` escaped for an attribute value, as [`crate::text::escape_html`]
/// does, without a new string when nothing needs escaping (ids seldom do).
fn push_escaped_html(out: &mut String, text: &str) {
    if text.contains(['&', '<', '>', '"', '\'']) {
        out.push_str(&crate::text::escape_html(text));
    } else {
        out.push_str(text);
    }
}

/// Escapes a URL for an attribute exactly as pulldown-cmark escapes link destinations.
fn push_escaped_href(out: &mut String, url: &str) {
    // Writing into a String cannot fail.
    let _ = pulldown_cmark_escape::escape_href(&mut *out, url);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(html: &str) -> BodyOwned {
        BodyOwned {
            html: html.into(),
            slots: Vec::new(),
            local_ids: Vec::new(),
            marks: Vec::new(),
        }
    }

    #[test]
    fn bodies_read_each_place_once_and_keep_a_bounded_number() {
        let bodies = Bodies::default();
        let reads = std::cell::Cell::new(0);
        let read = |html: &str| {
            reads.set(reads.get() + 1);
            Ok(body(html))
        };
        let a = bodies.get((0, 10), || read("a")).expect("a");
        let again = bodies.get((0, 10), || read("not read")).expect("a again");
        assert_eq!(
            (a.html.as_str(), again.html.as_str(), reads.get()),
            ("a", "a", 1)
        );
        // Same offset, other length: another body.
        assert_eq!(bodies.get((0, 11), || read("b")).expect("b").html, "b");
        for n in 1..=Bodies::CAPACITY as u64 {
            bodies.get((n * 100, 1), || read("x")).expect("x");
        }
        let kept = bodies.0.lock().expect("lock").list.len();
        assert_eq!(kept, Bodies::CAPACITY);
        // The first body was dropped: it is read again.
        let before = reads.get();
        bodies.get((0, 10), || read("a")).expect("a, read again");
        assert_eq!(reads.get(), before + 1);
        // A failed read is not kept.
        let failed = bodies.get((7, 7), || Err(std::io::Error::other("gone")));
        assert!(failed.is_err());
        assert!(bodies.get((7, 7), || read("now")).expect("now").html == "now");
    }

    #[test]
    fn bodies_keep_a_bounded_number_of_bytes() {
        let bodies = Bodies::default();
        let big = Bodies::BYTES / 4 + 1;
        for n in 0..8u64 {
            bodies
                .get((n * big as u64, big), || Ok(body("big")))
                .expect("big");
            let kept = bodies.0.lock().expect("lock");
            assert!(
                kept.bytes <= Bodies::BYTES && kept.list.len() <= 3,
                "{}",
                kept.list.len()
            );
            assert_eq!(
                kept.bytes,
                kept.list.iter().map(|((_, l), _)| l).sum::<usize>()
            );
        }
        // A body bigger than the bound is read, not kept.
        let huge = (1 << 40, Bodies::BYTES + 1);
        bodies.get(huge, || Ok(body("huge"))).expect("huge");
        assert!(
            bodies
                .0
                .lock()
                .expect("lock")
                .list
                .iter()
                .all(|(p, _)| *p != huge)
        );
    }
}

//! Serialises the event stream to HTML once, through pulldown-cmark's own HTML
//! writer, and records the byte offset of every slot.
//!
//! Links and images whose destination is a slot are handed to the writer with
//! an empty destination; the writer writes `<a href="` (`<img src="`) first, so
//! the slot's offset is the output length before the event plus that prefix.
//! `writer_puts_slots_where_destinations_go` keeps this true across upgrades.
//! Likewise a link's end slot goes after the `</a>` written for its end, and a
//! worksheet block's mark inside its opening tag, which the writer then writes
//! itself (as pulldown-cmark would, newline included).

use std::cell::Cell;
use std::fmt;

use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};

use crate::markdown::Cx;
use crate::markdown::doc::{Doc, Slot};
use crate::markdown::event::{Ev, Item, Items};

/// What pulldown-cmark writes for a link before its destination.
const LINK_PREFIX: usize = "<a href=\"".len();
/// What pulldown-cmark writes for an image before its source.
const IMAGE_PREFIX: usize = "<img src=\"".len();

/// A `fmt::Write` into a `String` that publishes its length, and whether it
/// ends with a newline, after every write.
struct Tracked<'a> {
    out: &'a mut String,
    len: &'a Cell<usize>,
    newline: &'a Cell<bool>,
}

impl fmt::Write for Tracked<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.out.push_str(s);
        self.len.set(self.out.len());
        if !s.is_empty() {
            self.newline.set(s.ends_with('\n'));
        }
        Ok(())
    }
}

/// Writes `items` as the HTML of the `Doc` being made, and returns it.
pub(crate) fn finish(items: Items<'_>, cx: Cx<'_>) -> Doc {
    let mut doc = cx.doc;
    let capacity = cx.src.text.len() * 3 / 2 + 64;
    let (html, slots) = write(items, capacity);
    doc.html = html;
    doc.slots = slots;
    doc
}

/// Serialises `items`; returns the HTML and the slots with their offsets.
pub(crate) fn write(items: Items<'_>, capacity: usize) -> (String, Vec<(usize, Slot)>) {
    let mut html = String::with_capacity(capacity);
    let len = Cell::new(0);
    let newline = Cell::new(true);
    let mut slots = Vec::new();
    {
        let events = Events {
            items: items.into_iter(),
            state: State::default(),
            slots: &mut slots,
            len: &len,
            newline: &newline,
            second: None,
        };
        let out = Tracked {
            out: &mut html,
            len: &len,
            newline: &newline,
        };
        // Writing into a String cannot fail.
        let _ = pulldown_cmark::html::write_html_fmt(out, events);
    }
    (html, slots)
}

/// The events the writer writes, each item turned into events only when the
/// writer asks for them (so that the output's length is that of what came
/// before it).
struct Events<'s, 'a, I> {
    items: I,
    state: State,
    slots: &'s mut Vec<(usize, Slot)>,
    len: &'s Cell<usize>,
    newline: &'s Cell<bool>,
    /// The second event of the last item, not handed out yet.
    second: Option<Event<'a>>,
}

impl<'a, I: Iterator<Item = Item<'a>>> Iterator for Events<'_, 'a, I> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        if let Some(e) = self.second.take() {
            return Some(e);
        }
        loop {
            let it = self.items.next()?;
            let [first, second] =
                self.state
                    .item(it, self.slots, self.len.get(), self.newline.get());
            match (first, second) {
                (Some(e), second) => {
                    self.second = second;
                    return Some(e);
                }
                (None, Some(e)) => return Some(e),
                (None, None) => {}
            }
        }
    }
}

/// Words that already say "see" before a cross-reference.
const SEE_WORDS: [&str; 5] = ["voir", "voyez", "cf.", "cf", "see"];

/// What the writer remembers between items.
#[derive(Default)]
struct State {
    /// A block mark waiting for the opening tag of its block.
    mark: Option<u32>,
    /// Open links: their slot number and whether "see" came before them (`None`
    /// for links that are not slots).
    links: Vec<Option<(u32, bool)>>,
    /// The end of the text since the block started, to find "see" before a link.
    tail: String,
}

/// The events an item becomes: one, or two around a slot inside a tag.
type Out<'a> = [Option<Event<'a>>; 2];

impl State {
    /// Turns one item into events, recording its slots at `len` (the output's
    /// length so far); `newline` tells whether the output ends with a newline.
    fn item<'a>(
        &mut self,
        it: Item<'a>,
        slots: &mut Vec<(usize, Slot)>,
        len: usize,
        newline: bool,
    ) -> Out<'a> {
        if let Some(n) = self.mark.take() {
            if let Some(out) = self.open_marked(&it.ev, n, slots, len, newline) {
                return out;
            }
            // Slots and empty HTML-block starts come before the tag: keep waiting.
            if matches!(it.ev, Ev::Slot(_) | Ev::Md(Event::Start(Tag::HtmlBlock))) {
                self.mark = Some(n);
            }
        }
        let ev = match it.ev {
            Ev::Md(e) => {
                self.note(&e, slots, len);
                e
            }
            Ev::Markup(h) => Event::Html(h),
            Ev::Slot(Slot::Mark(n)) => {
                self.mark = Some(n);
                return [None, None];
            }
            Ev::Slot(s) => {
                slots.push((len, s));
                return [None, None];
            }
            Ev::LinkStart(n, title) => {
                slots.push((len + LINK_PREFIX, Slot::Href(n)));
                let see = self.says_see();
                self.links.push(Some((n, see)));
                Event::Start(Tag::Link {
                    link_type: LinkType::Inline,
                    dest_url: CowStr::Borrowed(""),
                    title,
                    id: CowStr::Borrowed(""),
                })
            }
            Ev::ImageStart(n, title) => {
                slots.push((len + IMAGE_PREFIX, Slot::Href(n)));
                Event::Start(Tag::Image {
                    link_type: LinkType::Inline,
                    dest_url: CowStr::Borrowed(""),
                    title,
                    id: CowStr::Borrowed(""),
                })
            }
        };
        [Some(ev), None]
    }

    /// Follows text and links of a parser event: the text before links, and
    /// the end of slotted links (their `</a>` is written next).
    fn note(&mut self, e: &Event<'_>, slots: &mut Vec<(usize, Slot)>, len: usize) {
        match e {
            Event::Text(t) => {
                // Only the end of a long text matters (the word before a link).
                let t = &t[crate::diagnostic::floor_char_boundary(t, t.len().saturating_sub(32))..];
                self.tail.push_str(t);
                if self.tail.len() > 32 {
                    let cut =
                        crate::diagnostic::floor_char_boundary(&self.tail, self.tail.len() - 16);
                    self.tail.drain(..cut);
                }
            }
            Event::Start(Tag::Link { .. }) => self.links.push(None),
            Event::Start(
                Tag::Paragraph
                | Tag::Item
                | Tag::Heading { .. }
                | Tag::TableCell
                | Tag::BlockQuote(_),
            ) => self.tail.clear(),
            Event::End(TagEnd::Link) => {
                if let Some(Some((n, see))) = self.links.pop() {
                    slots.push((len + LINK_END.len(), Slot::LinkEnd { n, see }));
                }
            }
            _ => {}
        }
    }

    /// Whether the text just before a link ends with a word that says "see".
    fn says_see(&self) -> bool {
        let t = self
            .tail
            .trim_end_matches(|c: char| c.is_whitespace() || c == '\u{A0}' || c == '\u{202F}');
        let word = t
            .rsplit(|c: char| c.is_whitespace() || c == '(' || c == '\u{A0}' || c == '\u{202F}')
            .next()
            .unwrap_or("");
        SEE_WORDS.iter().any(|w| word.eq_ignore_ascii_case(w))
    }

    /// The events of the block that mark `n` waits for, with the mark inside its
    /// opening tag; `None` when `ev` is not such a tag.
    fn open_marked<'a>(
        &mut self,
        ev: &Ev<'a>,
        n: u32,
        slots: &mut Vec<(usize, Slot)>,
        len: usize,
        newline: bool,
    ) -> Option<Out<'a>> {
        let nl = if newline { "" } else { "\n" };
        let (head, rest): (String, String) = match ev {
            Ev::Markup(h) | Ev::Md(Event::Html(h)) => {
                let (head, rest) = split_after_tag_name(h)?;
                (head.to_string(), rest.to_string())
            }
            Ev::Md(Event::Start(Tag::Paragraph)) => {
                self.tail.clear();
                (format!("{nl}<p"), ">".into())
            }
            Ev::Md(Event::Start(Tag::BlockQuote(None))) => {
                self.tail.clear();
                (format!("{nl}<blockquote"), ">\n".into())
            }
            Ev::Md(Event::Start(Tag::List(None))) => (format!("{nl}<ul"), ">\n".into()),
            Ev::Md(Event::Start(Tag::List(Some(1)))) => (format!("{nl}<ol"), ">\n".into()),
            Ev::Md(Event::Start(Tag::List(Some(start)))) => {
                (format!("{nl}<ol"), format!(" start=\"{start}\">\n"))
            }
            _ => return None,
        };
        slots.push((len + head.len(), Slot::Mark(n)));
        Some([
            Some(Event::Html(head.into())),
            Some(Event::Html(rest.into())),
        ])
    }
}

/// What pulldown-cmark writes at the end of a link.
const LINK_END: &str = "</a>";

/// Splits HTML that starts with an opening tag right after the tag's name
/// (`<div class="x">` → `<div`, ` class="x">`); `None` when it does not start
/// with one (text, a comment, a closing tag).
fn split_after_tag_name(html: &str) -> Option<(&str, &str)> {
    let start = html.len() - html.trim_start().len();
    let tag = html[start..].strip_prefix('<')?;
    if !tag.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let name = tag
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .unwrap_or(tag.len());
    let at = start + 1 + name;
    Some((&html[..at], &html[at..]))
}

//! Serialises the event stream to HTML once, through pulldown-cmark's own HTML
//! writer, and records the byte offset of every slot.
//!
//! Links and images whose destination is a slot are handed to the writer with
//! an empty destination; the writer writes `<a href="` (`<img src="`) first, so
//! the slot's offset is the output length before the event plus that prefix.
//! `writer_puts_slots_where_destinations_go` keeps this true across upgrades.

use std::cell::Cell;
use std::fmt;

use pulldown_cmark::{CowStr, Event, LinkType, Tag};

use crate::markdown::Cx;
use crate::markdown::doc::{Doc, Slot};
use crate::markdown::event::{Ev, Items};

/// What pulldown-cmark writes for a link before its destination.
const LINK_PREFIX: usize = "<a href=\"".len();
/// What pulldown-cmark writes for an image before its source.
const IMAGE_PREFIX: usize = "<img src=\"".len();

/// A `fmt::Write` into a `String` that publishes its length after every write.
struct Tracked<'a> {
    out: &'a mut String,
    len: &'a Cell<usize>,
}

impl fmt::Write for Tracked<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.out.push_str(s);
        self.len.set(self.out.len());
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
    let mut slots = Vec::new();
    {
        let slots = &mut slots;
        let len = &len;
        let events = items.into_iter().filter_map(move |it| match it.ev {
            Ev::Md(e) => Some(e),
            Ev::Markup(h) => Some(Event::Html(h)),
            Ev::Slot(s) => {
                slots.push((len.get(), s));
                None
            }
            Ev::LinkStart(n, title) => {
                slots.push((len.get() + LINK_PREFIX, Slot::Href(n)));
                Some(Event::Start(Tag::Link {
                    link_type: LinkType::Inline,
                    dest_url: CowStr::Borrowed(""),
                    title,
                    id: CowStr::Borrowed(""),
                }))
            }
            Ev::ImageStart(n, title) => {
                slots.push((len.get() + IMAGE_PREFIX, Slot::Href(n)));
                Some(Event::Start(Tag::Image {
                    link_type: LinkType::Inline,
                    dest_url: CowStr::Borrowed(""),
                    title,
                    id: CowStr::Borrowed(""),
                }))
            }
        });
        let out = Tracked {
            out: &mut html,
            len,
        };
        // Writing into a String cannot fail.
        let _ = pulldown_cmark::html::write_html_fmt(out, events);
    }
    (html, slots)
}

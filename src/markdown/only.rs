//! Audience blocks (`:::only mentor` … `:::`, or a ```` ```only mentee lead ```` fence):
//! on the website they are shown to everyone with a badge; an edition for one
//! audience drops the others' blocks when it serialises the page
//! ([`Slot::OnlyStart`] … [`Slot::OnlyEnd`]).

use pulldown_cmark::Event;

use crate::markdown::Cx;
use crate::markdown::containers;
use crate::markdown::doc::Slot;
use crate::markdown::event::{Ev, Item, Items};
use crate::text::escape_html;

/// A set of audiences (mentor, mentee, programme lead), as bits.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct Audiences(u8);

impl Audiences {
    /// Every audience name, in bit order.
    pub const NAMES: [&'static str; 3] = ["mentor", "mentee", "lead"];

    /// The set holding only the audience `name` (empty for an unknown name).
    pub fn named(name: &str) -> Self {
        Self::NAMES
            .iter()
            .position(|n| *n == name)
            .map_or(Self(0), |i| Self(1 << i))
    }

    /// Whether the set holds every audience of `other`.
    pub fn contains(self, other: Audiences) -> bool {
        other.0 != 0 && self.0 & other.0 == other.0
    }

    /// The union of two sets.
    pub fn union(self, other: Audiences) -> Self {
        Self(self.0 | other.0)
    }

    /// Whether the set is empty.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The names in the set, in bit order.
    pub fn names(self) -> impl Iterator<Item = &'static str> {
        Self::NAMES
            .into_iter()
            .enumerate()
            .filter(move |(i, _)| self.0 & (1 << i) != 0)
            .map(|(_, n)| n)
    }
}

/// Turns the `only` markers into badge markup and audience slots.
pub(crate) fn run<'a>(items: Items<'a>, cx: &mut Cx<'_>) -> Items<'a> {
    if !crate::markdown::event::has_html(&items) {
        return items;
    }
    let mut out = Vec::with_capacity(items.len() + 8);
    for it in items {
        let at = it.at;
        let html = match &it.ev {
            Ev::Md(Event::Html(h) | Event::InlineHtml(h)) => h,
            _ => {
                out.push(it);
                continue;
            }
        };
        if let Some(who) = containers::parse_only(html) {
            let set = who
                .iter()
                .fold(Audiences::default(), |s, w| s.union(Audiences::named(w)));
            cx.doc.audiences = cx.doc.audiences.union(set);
            let label = who
                .iter()
                .map(|w| cx.hooks.label(&format!("only_{w}")))
                .collect::<Vec<_>>()
                .join(" · ");
            out.push(Item::slot(Slot::OnlyStart(set), at));
            out.push(Item::markup(
                format!(
                    "<div class=\"only\" data-audience=\"{aud}\">\n<p class=\"only-badge\">{label}</p>\n",
                    aud = escape_html(&who.join(" ")),
                    label = escape_html(&label)
                ),
                at,
            ));
        } else if containers::is_only_close(html) {
            out.push(Item::markup("</div>\n", at));
            out.push(Item::slot(Slot::OnlyEnd, at));
        } else {
            out.push(it);
        }
    }
    out
}

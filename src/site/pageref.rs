//! Page references on paper: the slots a print file leaves for page numbers
//! (in its table of contents, and after every cross-reference to a place in the
//! same file), and how `pdf` fills them once it knows where each anchor printed.
//!
//! Chromium has no `target-counter()`, so `pdf` prints twice: once with every
//! slot holding zeros, then with the pages read from the first PDF. A slot is
//! `<span class="mb-page" data-page-of="ANCHOR">…</span>` and holds digits only,
//! so filling it is a search for that exact text, never HTML parsing. The
//! width a cross-reference takes on paper does not depend on the numbers of the
//! first print: its text sits, right-aligned, over a hidden copy of it with the
//! widest number (`<span class="mb-room">000</span>`); once its page is known,
//! the copy holds as many digits as that number, so that no gap shows before a
//! short one (a narrower reference rarely moves a target: `pdf` prints again then).
//! In a built site every slot is empty and the CSS shows no reference.

use crate::text::escape_html;

/// The text before a page slot's anchor.
const SLOT_OPEN: &str = "<span class=\"mb-page\" data-page-of=\"";
/// The text between a page slot's anchor and its number.
const SLOT_MID: &str = "\">";
/// The text before the digits that reserve a cross-reference's width.
const ROOM_OPEN: &str = "<span class=\"mb-room\">";
/// The end of both kinds of slot.
const CLOSE: &str = "</span>";

/// A localised cross-reference text such as `(voir p. {page})`, split at its number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefText {
    before: String,
    after: String,
}

impl RefText {
    /// Splits `template` at `{page}` (at the end when it has none), escaped for HTML.
    pub fn new(template: &str) -> Self {
        let (before, after) = template.split_once("{page}").unwrap_or((template, ""));
        RefText {
            before: escape_html(before),
            after: escape_html(after),
        }
    }
}

/// The two ways of giving a page after a cross-reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRefs {
    /// After a link the text already introduces with "see" (`(p. {page})`).
    pub plain: RefText,
    /// After any other link (`(voir p. {page})`).
    pub see: RefText,
}

/// Whether an anchor can be written in a slot as it is (ids made by mentorbook
/// always can; odd explicit ids get no page number).
fn plain_anchor(anchor: &str) -> bool {
    !anchor.is_empty()
        && anchor
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
}

/// Appends an empty page slot for `anchor` (for a table of contents).
pub fn push_slot(anchor: &str, out: &mut String) {
    if !plain_anchor(anchor) {
        return;
    }
    out.push_str(SLOT_OPEN);
    out.push_str(anchor);
    out.push_str(SLOT_MID);
    out.push_str(CLOSE);
}

/// The page slot for `anchor`, as a string.
pub fn slot(anchor: &str) -> String {
    let mut s = String::new();
    push_slot(anchor, &mut s);
    s
}

/// Appends the page reference that follows a link to `anchor`: a no-break
/// space, then the localised text (`text`) with the page slot, over a hidden
/// copy of it that reserves its width.
pub fn push_cross_ref(text: &RefText, anchor: &str, out: &mut String) {
    if !plain_anchor(anchor) {
        return;
    }
    out.push_str("<span class=\"page-ref\">&#160;<span class=\"page-ref-box\"><span class=\"page-ref-room\" aria-hidden=\"true\">");
    out.push_str(&text.before);
    out.push_str(ROOM_OPEN);
    out.push_str(CLOSE);
    out.push_str(&text.after);
    out.push_str("</span><span class=\"page-ref-text\">");
    out.push_str(&text.before);
    push_slot(anchor, out);
    out.push_str(&text.after);
    out.push_str("</span></span></span>");
}

/// Whether `html` has any page slot.
pub fn has_slots(html: &str) -> bool {
    html.contains(SLOT_OPEN)
}

/// The anchors the page slots of `html` refer to, in order (with repeats).
pub fn anchors(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(SLOT_OPEN) {
        rest = &rest[i + SLOT_OPEN.len()..];
        if let Some(end) = rest.find(SLOT_MID) {
            out.push(&rest[..end]);
            rest = &rest[end..];
        }
    }
    out
}

/// `html` with every page slot holding the page `page_of(anchor)` gives (or
/// `digits` zeros when it gives none), and every room slot as many zeros as its
/// reference's page has digits (`digits` when it is not known).
/// Filling a filled text again replaces the numbers.
pub fn fill(html: &str, digits: usize, page_of: &dyn Fn(&str) -> Option<usize>) -> String {
    let zeros = "0".repeat(digits.max(1));
    let mut out = String::with_capacity(html.len() + html.len() / 50);
    let mut rest = html;
    loop {
        let page = rest.find(SLOT_OPEN);
        let room = rest.find(ROOM_OPEN);
        let (at, is_page) = match (page, room) {
            (Some(p), Some(r)) if r < p => (r, false),
            (Some(p), _) => (p, true),
            (None, Some(r)) => (r, false),
            (None, None) => break,
        };
        let open = if is_page { SLOT_OPEN } else { ROOM_OPEN };
        out.push_str(&rest[..at + open.len()]);
        rest = &rest[at + open.len()..];
        let number = if is_page {
            let Some(end) = rest.find(SLOT_MID) else {
                continue;
            };
            let anchor = &rest[..end];
            out.push_str(&rest[..end + SLOT_MID.len()]);
            rest = &rest[end + SLOT_MID.len()..];
            page_of(anchor).map_or_else(|| zeros.clone(), |p| p.to_string())
        } else {
            // A cross-reference's room is as wide as its own number once that is
            // known (its slot follows it), so that no gap shows before a short one.
            rest.find(SLOT_OPEN)
                .and_then(|i| {
                    let after = &rest[i + SLOT_OPEN.len()..];
                    let anchor = &after[..after.find(SLOT_MID)?];
                    page_of(anchor)
                })
                .map_or_else(|| zeros.clone(), |p| "0".repeat(p.to_string().len()))
        };
        // The old content is digits only; anything else means this is not our slot.
        let Some(end) = rest.find(CLOSE) else {
            continue;
        };
        if rest[..end].bytes().all(|b| b.is_ascii_digit()) {
            out.push_str(&number);
            rest = &rest[end..];
        }
    }
    out.push_str(rest);
    out
}

/// How many digits the widest page number of a file of `pages` pages has.
pub fn digits(pages: usize) -> usize {
    pages.max(1).to_string().len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn see() -> RefText {
        RefText::new("(voir p. {page})")
    }

    #[test]
    fn slots_are_filled_and_filled_again() {
        let mut html = String::from("<p>Voir <a href=\"#p-a\">A</a>");
        push_cross_ref(&see(), "p-a", &mut html);
        html.push_str("</p><li>");
        push_slot("p-b--x", &mut html);
        assert!(has_slots(&html));
        assert_eq!(anchors(&html), ["p-a", "p-b--x"]);
        let first = fill(&html, 2, &|_| None);
        assert_eq!(first.matches(">00</span>").count(), 3, "{first}");
        let pages = |a: &str| Some(if a == "p-a" { 7 } else { 12 });
        let second = fill(&first, 2, &pages);
        assert!(
            second.contains("data-page-of=\"p-a\">7</span>)"),
            "{second}"
        );
        assert!(second.contains("data-page-of=\"p-b--x\">12</span>"));
        assert!(
            second.contains("<span class=\"mb-room\">0</span>"),
            "the room of page 7 is one digit wide: {second}"
        );
        assert_eq!(fill(&second, 2, &pages), second, "filling is stable");
        assert_eq!(fill(&html, 2, &pages), second, "from empty slots too");
    }

    #[test]
    fn texts_are_escaped_and_odd_anchors_get_no_slot() {
        let t = RefText::new("<p. {page}>");
        let mut s = String::new();
        push_cross_ref(&t, "p-a", &mut s);
        assert!(s.contains("&lt;p. ") && !s.contains("<p. "));
        assert_eq!(slot("a b\"c"), "");
        let mut s = String::new();
        push_cross_ref(&t, "", &mut s);
        assert!(s.is_empty());
    }

    #[test]
    fn digits_of_page_counts() {
        assert_eq!(
            (digits(0), digits(9), digits(83), digits(100)),
            (1, 1, 2, 3)
        );
    }
}

//! Links and images: destinations inside the handbook are recorded as written
//! ([`RawLink`]) and become [`Slot::Href`](super::Slot::Href) slots, filled when the
//! page is serialised for one place; external URLs and e-mail autolinks stay as they are.

use pulldown_cmark::{Event, LinkType, Tag, TagEnd};

use crate::markdown::Cx;
use crate::markdown::doc::RawLink;
use crate::markdown::event::{Ev, Items};

/// Whether a destination is left as written (empty, or with a URL scheme).
pub fn is_kept(dest: &str) -> bool {
    let dest = dest.trim();
    dest.is_empty() || crate::urls::is_external(dest)
}

/// Records internal links and images and turns them into slotted starts;
/// warns about risky destinations ([`crate::urls::risk`]) and, with
/// `safe_html`, removes the links and images whose destination runs code
/// (their text stays).
pub(crate) fn run<'a>(mut items: Items<'a>, cx: &mut Cx<'_>) -> Items<'a> {
    // Inside an image's description nothing is markup: pulldown-cmark writes its text only.
    let mut image_depth = 0usize;
    // A removed link or image whose end must go too.
    let mut removed_link = false;
    let mut removed_image = false;
    // The link being read, for a `<!--mb:title…-->` in its text (see `Slot::Title`).
    let mut open_link: Option<u32> = None;
    for it in &mut items {
        if let (Some(n), Ev::Md(Event::InlineHtml(h))) = (open_link, &it.ev)
            && let Some(text) = crate::markdown::dialects::title_marker(h)
        {
            if let Some(l) = cx.doc.links.get_mut(n as usize) {
                l.text = Some(text);
            }
            it.ev = Ev::Slot(crate::markdown::Slot::Title(n));
            continue;
        }
        if matches!(it.ev, Ev::Md(Event::End(TagEnd::Link))) {
            open_link = None;
        }
        let (dest, title, image) = match &mut it.ev {
            Ev::Md(Event::End(TagEnd::Image)) => {
                image_depth = image_depth.saturating_sub(1);
                if image_depth == 0 && removed_image {
                    removed_image = false;
                    it.ev = Ev::Markup("".into());
                }
                continue;
            }
            Ev::Md(Event::End(TagEnd::Link)) if image_depth == 0 && removed_link => {
                removed_link = false;
                it.ev = Ev::Markup("".into());
                continue;
            }
            Ev::Md(Event::Start(Tag::Image {
                dest_url, title, ..
            })) => {
                image_depth += 1;
                if image_depth > 1 {
                    continue;
                }
                (dest_url, title, true)
            }
            Ev::Md(Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                ..
            })) if image_depth == 0 && *link_type != LinkType::Email => (dest_url, title, false),
            _ => continue,
        };
        if let Some(risk) = crate::urls::risk(dest) {
            let (line, col) = cx.locate(it.at);
            let remove = cx.opts.safe_html && matches!(risk, crate::urls::Risk::Script(_));
            cx.doc.diagnostics.push(crate::urls::risk_warning(
                cx.src.path,
                line,
                col,
                dest,
                risk,
                remove,
                image,
            ));
            if remove {
                if image {
                    removed_image = true;
                } else {
                    removed_link = true;
                }
                it.ev = Ev::Markup("".into());
                continue;
            }
        }
        if is_kept(dest) {
            continue;
        }
        let (line, col) = cx.locate(it.at);
        let n = u32::try_from(cx.doc.links.len()).unwrap_or(u32::MAX);
        cx.doc.links.push(RawLink {
            dest: dest.to_string(),
            line,
            col,
            image,
            text: None,
        });
        if !image {
            open_link = Some(n);
        }
        let title = std::mem::replace(title, "".into());
        it.ev = if image {
            Ev::ImageStart(n, title)
        } else {
            Ev::LinkStart(n, title)
        };
    }
    items
}

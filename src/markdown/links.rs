//! Links and images: destinations inside the handbook are recorded as written
//! ([`RawLink`]) and become [`Slot::Href`](super::Slot::Href) slots, filled when the
//! page is serialised for one place; external URLs and e-mail autolinks stay as they are.

use pulldown_cmark::{Event, LinkType, Tag, TagEnd};

use crate::markdown::Cx;
use crate::markdown::doc::RawLink;
use crate::markdown::event::{Ev, Item, Items};

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
    // An embedded page made a link, whose end is still an image's.
    let mut embed_open = false;
    // The wikilink being read, and where each wikilink starts and ends (its
    // brackets go there, shown when it leads nowhere).
    let mut open_wiki: Option<(u32, usize)> = None;
    let mut brackets: Vec<(usize, usize, u32)> = Vec::new();
    // An embedded image with a size, written as markup: its slot (placed at
    // its text) and the rest of its tag, written at its end.
    let mut sized: Option<(Option<u32>, String)> = None;
    for (i, it) in items.iter_mut().enumerate() {
        if let Some((slot, rest)) = &mut sized {
            if matches!(it.ev, Ev::Md(Event::End(TagEnd::Image))) {
                it.ev = Ev::Markup(std::mem::take(rest).into());
                sized = None;
                image_depth = image_depth.saturating_sub(1);
            } else if let Some(n) = slot.take() {
                it.ev = Ev::Slot(crate::markdown::Slot::Href(n));
            } else {
                it.ev = Ev::Markup("".into());
            }
            continue;
        }
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
            if let Some((n, start)) = open_wiki.take() {
                brackets.push((start, i, n));
            }
        }
        // `![[plan.png|400x300]]`: its width and height attributes.
        let size = match &it.ev {
            Ev::Md(Event::Start(Tag::Image { link_type, id, .. })) if image_depth == 0 => {
                super::wiki::size_of(*link_type, id).map(|(w, h)| match h {
                    Some(h) => format!(" width=\"{w}\" height=\"{h}\""),
                    None => format!(" width=\"{w}\""),
                })
            }
            _ => None,
        };
        let (dest, title, image, link_type) = match &mut it.ev {
            Ev::Md(Event::End(TagEnd::Image)) if image_depth == 0 && embed_open => {
                embed_open = false;
                open_link = None;
                if let Some((n, start)) = open_wiki.take() {
                    brackets.push((start, i, n));
                }
                it.ev = if removed_link {
                    removed_link = false;
                    Ev::Markup("".into())
                } else {
                    Ev::Md(Event::End(TagEnd::Link))
                };
                continue;
            }
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
            // `![[Posture du mentor]]` embeds a page in Obsidian: here it is a link to it.
            Ev::Md(Event::Start(Tag::Image {
                link_type: link_type @ LinkType::WikiLink { .. },
                dest_url,
                title,
                ..
            })) if image_depth == 0
                && !is_kept(dest_url)
                && super::wiki::names_a_page(dest_url) =>
            {
                embed_open = true;
                (dest_url, title, false, *link_type)
            }
            Ev::Md(Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                ..
            })) => {
                image_depth += 1;
                if image_depth > 1 {
                    continue;
                }
                (dest_url, title, true, *link_type)
            }
            Ev::Md(Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                ..
            })) if image_depth == 0 && *link_type != LinkType::Email => {
                (dest_url, title, false, *link_type)
            }
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
        let wiki = matches!(link_type, LinkType::WikiLink { .. });
        let embed = wiki && embed_open && !image;
        if wiki {
            *cx.doc.converted.entry("wikilink").or_default() += 1;
        }
        // `[[ ]]` names nothing: it is reported, and shows as written.
        if is_kept(dest) && !(wiki && dest.trim().is_empty()) {
            continue;
        }
        let (line, col) = cx.locate(it.at);
        let n = u32::try_from(cx.doc.links.len()).unwrap_or(u32::MAX);
        // In a table, Obsidian escapes the bar: `[[Page\|texte]]`.
        let dest = if wiki {
            dest.trim_end_matches('\\')
        } else {
            dest
        };
        cx.doc.links.push(RawLink {
            dest: dest.to_string(),
            line,
            col,
            image,
            text: None,
            wiki,
            embed,
        });
        if !image {
            open_link = Some(n);
            if wiki {
                open_wiki = Some((n, i));
            }
        }
        if let Some(size) = size.filter(|_| image) {
            let alt = crate::text::escape_html(&super::wiki::image_name(dest));
            sized = Some((Some(n), format!("\" alt=\"{alt}\"{size} />")));
            it.ev = Ev::Markup("<img src=\"".into());
            continue;
        }
        let title = std::mem::replace(title, "".into());
        it.ev = if image {
            Ev::ImageStart(n, title)
        } else {
            Ev::LinkStart(n, title)
        };
    }
    if brackets.is_empty() {
        return items;
    }
    with_brackets(items, &brackets)
}

/// `items` with each wikilink's bracket slots before its start and after its end.
fn with_brackets<'a>(items: Items<'a>, brackets: &[(usize, usize, u32)]) -> Items<'a> {
    use crate::markdown::Slot;
    let mut out = Vec::with_capacity(items.len() + 2 * brackets.len());
    let mut opens = brackets.iter().peekable();
    let mut closes = brackets.iter().peekable();
    for (i, it) in items.into_iter().enumerate() {
        let at = it.at;
        while let Some(&(_, _, n)) = opens.next_if(|b| b.0 == i) {
            out.push(Item::slot(Slot::WikiBracket { n, open: true }, at));
        }
        out.push(it);
        while let Some(&(_, _, n)) = closes.next_if(|b| b.1 == i) {
            out.push(Item::slot(Slot::WikiBracket { n, open: false }, at));
        }
    }
    out
}

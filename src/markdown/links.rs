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
    // The text of a wikilink written without its own (`[[Note#Heading]]`),
    // or the size Obsidian puts in an image's (`![[photo.png|300]]`): shown
    // as a reader expects ("Note › Heading", "photo").
    let mut wiki_text: Option<WikiText> = None;
    // An embedded page made a link, whose end is still an image's.
    let mut embed_open = false;
    for it in &mut items {
        if let Some(kind) = wiki_text.take()
            && let Ev::Md(Event::Text(t)) = &mut it.ev
        {
            let shown = match kind {
                WikiText::Name => shown_name(t),
                WikiText::Size(name) => {
                    if is_image_size(t) {
                        name
                    } else {
                        t.to_string()
                    }
                }
            };
            *t = shown.into();
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
        }
        let (dest, title, image, link_type) = match &mut it.ev {
            Ev::Md(Event::End(TagEnd::Image)) if image_depth == 0 && embed_open => {
                embed_open = false;
                it.ev = Ev::Md(Event::End(TagEnd::Link));
                open_link = None;
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
            })) if image_depth == 0 && names_a_page(dest_url) => {
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
        wiki_text = match link_type {
            LinkType::WikiLink { has_pothole: false } if !image => Some(WikiText::Name),
            LinkType::WikiLink { has_pothole: true } if image => {
                Some(WikiText::Size(image_name(dest)))
            }
            _ => None,
        };
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
            wiki,
            embed,
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

/// What the text of a wikilink becomes.
enum WikiText {
    /// `[[Note#Heading]]`: its name, shown as "Note › Heading".
    Name,
    /// `![[photo.png|300]]`: the alternative text, unless it is a size
    /// (then the image's name, given here).
    Size(String),
}

/// How a wikilink written without its own text shows: `Note` as written (a
/// page's extension dropped), `Note › Heading` for a heading of it,
/// `Heading` for a heading of the page itself; a block reference (`#^id`)
/// is left out, since block ids are not kept.
fn shown_name(written: &str) -> String {
    let mut parts = written.split('#').map(str::trim);
    let name = parts.next().unwrap_or("");
    let name = crate::content::walk::PAGE_EXTENSIONS
        .iter()
        .find_map(|e| name.strip_suffix(e))
        .unwrap_or(name);
    let heading = parts.rfind(|h| !h.is_empty() && !h.starts_with('^'));
    match (name.is_empty(), heading) {
        (_, None) => name.to_string(),
        (true, Some(h)) => h.to_string(),
        (false, Some(h)) => format!("{name} › {h}"),
    }
}

/// Whether an embedded wikilink names a page (`Posture du mentor`,
/// `guide/posture.md#Cadre`) rather than a file (`plan.png`): it has no
/// extension, or a page's.
fn names_a_page(dest: &str) -> bool {
    let name = dest.split('#').next().unwrap_or(dest).trim();
    let file = name.rsplit('/').next().unwrap_or(name);
    match file.rsplit_once('.') {
        None => true,
        Some((_, ext)) => {
            ext.contains(' ')
                || crate::content::walk::PAGE_EXTENSIONS
                    .iter()
                    .any(|e| e[1..].eq_ignore_ascii_case(ext))
        }
    }
}

/// Whether an image's wikilink text is Obsidian's size (`300`, `300x200`).
fn is_image_size(text: &str) -> bool {
    let mut parts = text.trim().splitn(2, 'x');
    parts.all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

/// An image's name for its alternative text: its file name without the
/// folder and the extension (`img/plan-de-seance.png` gives `plan-de-seance`).
fn image_name(dest: &str) -> String {
    let file = dest.rsplit('/').next().unwrap_or(dest);
    file.rsplit_once('.')
        .map_or(file, |(stem, _)| stem)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wikilink_shows_its_name_and_heading() {
        assert_eq!(shown_name("Posture du mentor"), "Posture du mentor");
        assert_eq!(shown_name("guide/posture.md"), "guide/posture");
        assert_eq!(shown_name("Posture#Écouter"), "Posture › Écouter");
        assert_eq!(shown_name("#Écouter"), "Écouter");
        assert_eq!(shown_name("Posture#^bloc-1"), "Posture");
        assert_eq!(shown_name("Posture#Cadre#Durée"), "Posture › Durée");
    }

    #[test]
    fn an_image_size_is_not_its_description() {
        assert!(is_image_size("300"));
        assert!(is_image_size("300x200"));
        assert!(!is_image_size("Plan de la séance"));
        assert!(!is_image_size("x200"));
        assert_eq!(image_name("img/plan-de-seance.png"), "plan-de-seance");
        assert!(names_a_page("Posture du mentor"));
        assert!(names_a_page("guide/posture.md#Cadre"));
        assert!(names_a_page("M. Dupont. Le cadre"));
        assert!(!names_a_page("plan.png"));
        assert!(!names_a_page("docs/charte.pdf"));
    }
}

//! Wikilinks' text (`[[Note#Heading]]`, `![[photo.png|300]]`): what a reader
//! is shown, made before the search text and typography see it. A wikilink
//! written without a text of its own shows "Note › Heading", as in Obsidian;
//! an image's size (`|300`) is no description. Where each leads is
//! [`crate::site::wikilinks`]'s business; [`super::links`] records them.
//! `[[1]]` whose `1` is a reference defined on the page stays CommonMark's
//! reference link in brackets.

use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};

use crate::markdown::event::{Ev, Item, Items};
use crate::markdown::links::is_kept;

/// `[[1]]` on a page that defines `[1]: https://…` is what CommonMark makes
/// of it, a reference link inside brackets (a citation, in mdBook's and
/// Hugo's handbooks), not a wikilink: each such wikilink becomes `[`, the
/// reference link, `]`.
pub(crate) fn references_first<'a>(
    items: Items<'a>,
    defs: &pulldown_cmark::RefDefs<'_>,
) -> Items<'a> {
    if defs.iter().next().is_none() {
        return items;
    }
    let label = |dest: &str| dest.split_whitespace().collect::<Vec<_>>().join(" ");
    let defined = |it: &Item<'_>| match &it.ev {
        Ev::Md(Event::Start(Tag::Link {
            link_type: LinkType::WikiLink { has_pothole: false },
            dest_url,
            ..
        })) => defs.get(&label(dest_url)).is_some(),
        _ => false,
    };
    if !items.iter().any(defined) {
        return items;
    }
    let mut out = Vec::with_capacity(items.len() + 8);
    // Inside a turned link, whose end is followed by `]`.
    let mut turned = false;
    for mut it in items {
        if let Ev::Md(Event::Start(Tag::Link {
            link_type: LinkType::WikiLink { has_pothole: false },
            dest_url,
            ..
        })) = &it.ev
            && let id = label(dest_url)
            && let Some(def) = defs.get(&id)
        {
            let dest: CowStr<'a> = def.dest.to_string().into();
            let title: CowStr<'a> = def.title.as_deref().unwrap_or("").to_string().into();
            let id: CowStr<'a> = id.into();
            out.push(Item::md(Event::Text("[".into()), it.at));
            it.ev = Ev::Md(Event::Start(Tag::Link {
                link_type: LinkType::Shortcut,
                dest_url: dest,
                title,
                id,
            }));
            turned = true;
            out.push(it);
            continue;
        }
        let close = turned && matches!(it.ev, Ev::Md(Event::End(TagEnd::Link)));
        let at = it.at;
        out.push(it);
        if close {
            turned = false;
            out.push(Item::md(Event::Text("]".into()), at));
        }
    }
    out
}

/// Rewrites the text of each wikilink that has none of its own; `text` is
/// the page's text, where a page without `[[` is not looked through.
pub(crate) fn run<'a>(mut items: Items<'a>, text: &str) -> Items<'a> {
    if !text.contains("[[") {
        return items;
    }
    let mut next: Option<WikiText> = None;
    // The `id` of the image whose text may be its size (see [`size_of`]).
    let mut sized: Option<&mut CowStr<'a>> = None;
    for it in &mut items {
        if let Some(kind) = next.take()
            && let Ev::Md(Event::Text(t)) = &mut it.ev
        {
            let shown = match kind {
                WikiText::Name => shown_name(t),
                WikiText::Size(name) => {
                    if is_image_size(t) {
                        if let Some(size) = sized.take() {
                            *size = t.trim().to_string().into();
                        }
                        name
                    } else {
                        continue;
                    }
                }
            };
            *t = shown.into();
            continue;
        }
        sized = None;
        next = match &mut it.ev {
            Ev::Md(Event::Start(Tag::Link {
                link_type: LinkType::WikiLink { has_pothole: false },
                dest_url,
                ..
            })) if !is_kept(dest_url) => Some(WikiText::Name),
            // An embedded page is a link (see `links`): its text is a name too.
            Ev::Md(Event::Start(Tag::Image {
                link_type: LinkType::WikiLink { has_pothole },
                dest_url,
                id,
                ..
            })) if !is_kept(dest_url) => {
                if names_a_page(dest_url) {
                    (!*has_pothole).then_some(WikiText::Name)
                } else if *has_pothole {
                    let name = image_name(dest_url);
                    sized = Some(id);
                    Some(WikiText::Size(name))
                } else {
                    None
                }
            }
            _ => None,
        };
    }
    items
}

/// The size written for an embedded image (`![[plan.png|400]]`,
/// `|400x300`): [`run`] leaves it in the image's `id`, a reference's label
/// that a wikilink never has, for [`super::links`] to write as its width
/// and height.
pub(crate) fn size_of(link_type: LinkType, id: &str) -> Option<(&str, Option<&str>)> {
    if !matches!(link_type, LinkType::WikiLink { has_pothole: true }) || !is_image_size(id) {
        return None;
    }
    let mut parts = id.splitn(2, 'x');
    let width = parts.next()?;
    Some((width, parts.next()))
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
/// shows as its page's name (or as `^id` within the page).
fn shown_name(written: &str) -> String {
    let mut parts = written.split('#').map(str::trim);
    let name = parts.next().unwrap_or("");
    let name = crate::content::walk::strip_page_ext(name).unwrap_or(name);
    let heading = parts.rfind(|h| !h.is_empty() && !h.starts_with('^'));
    match (name.is_empty(), heading) {
        // `[[#^tableau]]`: a block of the page itself, named by its id.
        (true, None) => written.trim().trim_start_matches('#').to_string(),
        (_, None) => name.to_string(),
        (true, Some(h)) => h.to_string(),
        (false, Some(h)) => format!("{name} › {h}"),
    }
}

/// Whether an embedded wikilink is shown as a link: it names a page
/// (`Posture du mentor`, `guide/posture.md#Cadre`: no extension, or a
/// page's) or a file that is no image (`charte.pdf`, `accueil.mp3`, which
/// Obsidian plays or shows in place); `plan.png` is an image.
pub(crate) fn names_a_page(dest: &str) -> bool {
    let name = dest.split('#').next().unwrap_or(dest).trim();
    let name = name.trim_end_matches('\\');
    !crate::paths::is_image_file(name)
}

/// Whether an image's wikilink text is Obsidian's size (`300`, `300x200`).
fn is_image_size(text: &str) -> bool {
    let mut parts = text.trim().splitn(2, 'x');
    parts.all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

/// An image's name for its alternative text: its file name without the
/// folder and the extension (`img/plan-de-seance.png` gives `plan-de-seance`).
pub(crate) fn image_name(dest: &str) -> String {
    let dest = dest.trim_end_matches('\\');
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
        assert_eq!(shown_name("#^tableau"), "^tableau");
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
        assert!(names_a_page("docs/charte.pdf"), "a link to the file");
        assert!(!names_a_page("img/Plan.PNG"));
        assert!(!names_a_page("plan.png\\"), "in a table");
        assert_eq!(image_name("plan.png\\"), "plan");
    }
}

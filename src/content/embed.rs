//! Obsidian's embedded notes, in a handbook imported from Obsidian
//! (`imported_from: obsidian`): a line that is only `![[Note]]`,
//! `![[Note#Heading]]` or `![[Note#^block]]` (in a quote or a callout too,
//! `> ![[Note]]`) stands for that note's text, that heading's section or that
//! block. [`super::include`] puts it in place before the page is parsed, as it
//! does mdBook's `{{#include}}`; this module finds the note and its part.
//!
//! A note is named by its file name (without `.md`, case ignored) or by its
//! path from the content folder (`Séances/Séance type`); when several files
//! have the name, the nearest to the page wins (in its folder, else under the
//! folder above…), then the one with the shortest path, as for wikilinks. An
//! embed that names no note, or an image, or that is not
//! alone on its line, is left to the Markdown stage (an image, or a link to the
//! page with a warning).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use crate::content::walk::{FileKind, Found, folders_up, strip_page_ext};

/// The notes of a handbook by name, for embeds: a lookup costs the same
/// however many notes share a name (it walks up the page's folders).
#[derive(Debug, Default)]
pub struct Notes {
    /// Each note: its path from the content folder without extension, in
    /// lower case, and its file.
    files: Vec<(String, PathBuf)>,
    /// For each way of naming a note (its path, and each end of it down to
    /// its file name), the note with the shortest path (then the first).
    best: HashMap<String, usize>,
    /// For each folder (from the content folder, lower case, `""` for it)
    /// and file name, the note of that name nearest under it (then the first).
    under: HashMap<(String, String), usize>,
    /// How many notes have each file name.
    count: HashMap<String, usize>,
    /// Whether drafts are built (else a draft is embedded nowhere).
    pub drafts: bool,
}

impl Notes {
    /// The notes among `found` (pages and section indexes); `drafts`: whether
    /// drafts are built.
    pub fn new(found: &[Found], drafts: bool) -> Self {
        let mut notes = Self {
            drafts,
            ..Self::default()
        };
        for f in found.iter().filter(|f| f.kind != FileKind::Asset) {
            let rel = strip_page_ext(&f.rel).unwrap_or(&f.rel).to_lowercase();
            let i = notes.files.len();
            let shorter = |j: usize, files: &[(String, PathBuf)]| {
                let other = &files[j].0;
                (rel.len(), &rel) < (other.len(), other)
            };
            let mut at = 0;
            loop {
                let name = &rel[at..];
                if notes
                    .best
                    .get(name)
                    .is_none_or(|&j| shorter(j, &notes.files))
                {
                    notes.best.insert(name.to_string(), i);
                }
                match name.find('/') {
                    Some(slash) => at += slash + 1,
                    None => break,
                }
            }
            let (dir, file) = rel.rsplit_once('/').unwrap_or(("", &rel));
            *notes.count.entry(file.to_string()).or_default() += 1;
            // Every folder above the note, its own first.
            for folder in folders_up(dir) {
                let key = (folder.to_string(), file.to_string());
                if notes
                    .under
                    .get(&key)
                    .is_none_or(|&j| shorter(j, &notes.files))
                {
                    notes.under.insert(key, i);
                }
            }
            notes.files.push((rel, f.abs.clone()));
        }
        notes
    }

    /// The file of the note `name` embedded in the page `host` (its path from
    /// the content folder), as a wikilink finds it (see
    /// [`crate::site::wikilinks`]): a path names the note of that path; a file
    /// name, the one nearest to the page (in its folder, else under the
    /// folder above…). With it, how many notes have that file name.
    pub fn find(&self, name: &str, host: &str) -> Option<(&Path, usize)> {
        let name = name.trim().trim_start_matches('/');
        let name = strip_page_ext(name).unwrap_or(name).to_lowercase();
        let found = if name.contains('/') {
            self.best.get(&name).copied()
        } else {
            let host = host.to_lowercase();
            let dir = host.rsplit_once('/').map_or("", |(d, _)| d);
            folders_up(dir).find_map(|f| self.under.get(&(f.to_string(), name.clone())).copied())
        }?;
        let file = name.rsplit('/').next().unwrap_or(&name);
        let count = self.count.get(file).copied().unwrap_or(1);
        Some((self.files[found].1.as_path(), count))
    }
}

/// An embed line: what comes before it (`> ` in a callout), the note's name,
/// and the part after `#` (a heading's text, or `^id` for a block).
#[derive(Debug, PartialEq, Eq)]
pub struct Embed<'a> {
    /// The quote markers and spaces before `![[`.
    pub prefix: &'a str,
    /// The note's name or path.
    pub name: &'a str,
    /// The heading or block (`^id`) embedded, if not the whole note.
    pub part: Option<&'a str>,
}

/// The embed that `line` (without its newline) is alone, if it is one of a page.
pub fn parse_line(line: &str) -> Option<Embed<'_>> {
    let start = line.find("![[")?;
    let prefix = &line[..start];
    if !prefix.bytes().all(|b| matches!(b, b' ' | b'\t' | b'>')) {
        return None;
    }
    // Four spaces (or a tab) before it, or after a quote's `>` and its space,
    // make it code.
    let indented = |s: &str| s.starts_with('\t') || s.starts_with("    ");
    let mut rest = prefix;
    if indented(rest) {
        return None;
    }
    while let Some(r) = rest.trim_start_matches(' ').strip_prefix('>') {
        let r = r.strip_prefix(' ').unwrap_or(r);
        if indented(r) {
            return None;
        }
        rest = r;
    }
    let inner = line[start + 3..].trim_end().strip_suffix("]]")?;
    if inner.contains("]]") || inner.contains("[[") {
        return None;
    }
    // A text (`|…`) is no part of a note's embed.
    let dest = inner.split('|').next().unwrap_or(inner);
    if dest.trim().is_empty()
        || crate::paths::is_image_file(dest.split('#').next().unwrap_or(dest).trim())
    {
        return None;
    }
    let (name, part) = match dest.split_once('#') {
        Some((n, p)) => (n, Some(p.rsplit('#').next().unwrap_or(p).trim())),
        None => (dest, None),
    };
    // `![[#Heading]]` embeds a part of the page itself: left as a link.
    if name.trim().is_empty() {
        return None;
    }
    Some(Embed {
        prefix,
        name: name.trim(),
        part: part.filter(|p| !p.is_empty()),
    })
}

/// Whether `body` has an embed line (cheap: only a body with `![[` is looked through).
pub fn has_embeds(body: &str) -> bool {
    body.contains("![[") && body.lines().any(|l| parse_line(l).is_some())
}

/// The Markdown extensions that change where headings and blocks are
/// (tables, footnotes, heading attributes): those the pages are parsed with.
pub(crate) fn blocks_options() -> pulldown_cmark::Options {
    use pulldown_cmark::Options;
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_GFM
}

/// The part `part` of a note's `body`: the section of the heading of that
/// text (the heading included, up to the next heading of its level or
/// above), or the block ending in ` ^id` (or followed by a line `^id`), its
/// marker left out. `None` when the note has no such heading or block.
pub fn part(body: &str, part: &str) -> Option<String> {
    let found = match part.strip_prefix('^') {
        Some(id) => block(body, id),
        None => section(body, part),
    }?;
    let mut text = found;
    if !text.ends_with('\n') {
        text.push('\n');
    }
    Some(text)
}

/// `text` with its headings moved so that the first is of level 2 (the
/// others keep their place under it, between 1 and 6): an embedded note's
/// title and sections nest under the page's title, which is the page's one
/// level-1 heading.
pub fn nest_headings(text: &str) -> String {
    let headings: Vec<(std::ops::Range<usize>, usize)> = Parser::new_ext(text, blocks_options())
        .into_offset_iter()
        .filter_map(|(ev, range)| match ev {
            Event::Start(Tag::Heading { level, .. }) => Some((range, level as usize)),
            _ => None,
        })
        .collect();
    let Some(first) = headings.first().map(|h| h.1) else {
        return text.to_string();
    };
    if first == 2 {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + headings.len());
    let mut done = 0;
    for (range, level) in headings {
        let to = (level + 2).saturating_sub(first).clamp(2, 6);
        let src = &text[range.clone()];
        out.push_str(&text[done..range.start]);
        let indent = src.len() - src.trim_start_matches(' ').len();
        let rest = &src[indent..];
        // A setext heading's range spans its underline; an ATX one is a line.
        let setext = src.trim_end().contains('\n');
        if !setext && rest.starts_with('#') {
            // ATX: `## Titre` — the run of `#` changes.
            out.push_str(&src[..indent]);
            out.push_str(&"#".repeat(to));
            out.push_str(rest.trim_start_matches('#'));
        } else if setext && to <= 2 {
            // Setext, level 2: its text stays, the underline becomes `---`.
            let (body, underline) = src.trim_end().rsplit_once('\n').unwrap_or((src, ""));
            out.push_str(body);
            out.push('\n');
            out.push_str(&underline.replace('=', "-"));
            if src.ends_with('\n') {
                out.push('\n');
            }
        } else {
            // Setext deeper than 2: written as ATX, its lines joined (a quote's
            // `>` left out of each line after the first, whose own is before it).
            let body = src.trim_end().rsplit_once('\n').map_or(src, |(b, _)| b);
            let words: Vec<&str> = body
                .split('\n')
                .enumerate()
                .map(|(i, l)| {
                    if i == 0 {
                        l
                    } else {
                        l.trim_start_matches([' ', '>'])
                    }
                })
                .flat_map(str::split_whitespace)
                .collect();
            out.push_str(&"#".repeat(to));
            out.push(' ');
            out.push_str(&words.join(" "));
            if src.ends_with('\n') {
                out.push('\n');
            }
        }
        done = range.end;
    }
    out.push_str(&text[done..]);
    out
}

/// `text` of a note in another folder, with the relative destinations of its
/// Markdown links and images (`[la charte](charte.md)`, `![](plan.png)`)
/// led from the page's folder instead: `up` (`../fiches/`) goes before each.
pub fn rebase(text: &str, up: &str) -> String {
    use pulldown_cmark::LinkType;
    if up.is_empty() || !text.contains("](") {
        return text.to_string();
    }
    let mut at: Vec<usize> = Vec::new();
    for (ev, range) in Parser::new_ext(text, blocks_options()).into_offset_iter() {
        let (Event::Start(Tag::Link {
            link_type: LinkType::Inline,
            dest_url,
            ..
        })
        | Event::Start(Tag::Image {
            link_type: LinkType::Inline,
            dest_url,
            ..
        })) = ev
        else {
            continue;
        };
        let dest = dest_url.trim();
        if dest.is_empty() || dest.starts_with(['#', '/', '\\']) || crate::urls::is_external(dest) {
            continue;
        }
        let src = &text[range.clone()];
        let Some(open) = src.rfind("](") else {
            continue;
        };
        let mut pos = range.start + open + 2;
        while text[pos..].starts_with([' ', '\t', '\n']) {
            pos += 1;
        }
        if text[pos..].starts_with('<') {
            pos += 1;
        }
        at.push(pos);
    }
    at.sort_unstable();
    at.dedup();
    let at = at.into_iter().map(|pos| pos..pos).collect();
    crate::text::replace_ranges(text, at, |_, out| out.push_str(up))
}

/// The path from folder `from` to folder `to` (both real), ending in `/`,
/// written for a Markdown destination (spaces and brackets escaped); empty
/// for the same folder.
pub fn relative_dir(from: &Path, to: &Path) -> String {
    let from: Vec<_> = from.components().collect();
    let to: Vec<_> = to.components().collect();
    let same = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut out = "../".repeat(from.len() - same);
    for c in &to[same..] {
        let part = c.as_os_str().to_string_lossy();
        for ch in part.chars() {
            match ch {
                ' ' => out.push_str("%20"),
                '(' => out.push_str("%28"),
                ')' => out.push_str("%29"),
                '<' => out.push_str("%3C"),
                '>' => out.push_str("%3E"),
                c => out.push(c),
            }
        }
        out.push('/');
    }
    out
}

/// `text` without its block ids (` ^engagements` ending a paragraph or an
/// item, `^tableau` alone after a block): shown in another page, they would
/// anchor its blocks there too (a link `[[Note#^id]]` leads to the note).
pub fn without_block_ids(text: &str) -> String {
    if !text.contains('^') {
        return text.to_string();
    }
    let is_id = |id: &str| {
        !id.is_empty()
            && id.len() <= 64
            && id
                .chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
    };
    let mut cut: Vec<std::ops::Range<usize>> = Vec::new();
    for (ev, range) in Parser::new_ext(text, blocks_options()).into_offset_iter() {
        if !matches!(ev, Event::Start(Tag::Paragraph | Tag::Item)) {
            continue;
        }
        let src = text[range.clone()].trim_end();
        let Some(caret) = src.rfind('^') else {
            continue;
        };
        if !is_id(&src[caret + 1..]) {
            continue;
        }
        let before = &src[..caret];
        let start = range.start + before.trim_end_matches([' ', '\t']).len();
        if before.is_empty() || before.ends_with([' ', '\t', '\n']) {
            cut.push(start..range.start + src.len());
        }
    }
    crate::text::replace_ranges(text, cut, |_, _| {})
}

/// The section of the heading whose text is `heading` (case ignored).
fn section(body: &str, heading: &str) -> Option<String> {
    let want = heading.trim().to_lowercase();
    let mut open: Option<(usize, pulldown_cmark::HeadingLevel, String)> = None;
    let mut start: Option<(usize, pulldown_cmark::HeadingLevel)> = None;
    for (ev, range) in Parser::new_ext(body, blocks_options()).into_offset_iter() {
        match ev {
            Event::Start(Tag::Heading { level, .. }) => {
                if let Some((from, at)) = start
                    && level <= at
                {
                    return Some(body[from..range.start].to_string());
                }
                if start.is_none() {
                    open = Some((range.start, level, String::new()));
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, _, text)) = &mut open {
                    text.push_str(&t);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((from, level, text)) = open.take()
                    && text.trim().to_lowercase() == want
                {
                    start = Some((from, level));
                }
            }
            _ => {}
        }
    }
    start.map(|(from, _)| body[from..].to_string())
}

/// The block whose text ends in ` ^id`, or that a line `^id` follows.
fn block(body: &str, id: &str) -> Option<String> {
    let marker = format!("^{id}");
    let ends_with_marker = |s: &str| {
        s.trim_end()
            .strip_suffix(&marker)
            .is_some_and(|before| before.is_empty() || before.ends_with([' ', '\t', '\n']))
    };
    // The innermost paragraph or item ending with the marker.
    let mut inner: Option<std::ops::Range<usize>> = None;
    // The top-level blocks, for a marker on a line of its own.
    let mut depth = 0usize;
    let mut tops: Vec<std::ops::Range<usize>> = Vec::new();
    for (ev, range) in Parser::new_ext(body, blocks_options()).into_offset_iter() {
        match ev {
            Event::Start(tag) => {
                if depth == 0 {
                    tops.push(range.clone());
                }
                depth += 1;
                if matches!(tag, Tag::Paragraph | Tag::Item)
                    && ends_with_marker(&body[range.clone()])
                    && inner.as_ref().is_none_or(|r| range.start >= r.start)
                {
                    inner = Some(range);
                }
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    if let Some(r) = inner {
        let text = body[r].trim_end();
        let text = text.strip_suffix(&marker).unwrap_or(text).trim_end();
        // A paragraph that is the marker alone follows the block it names.
        if !text.is_empty() {
            return Some(text.to_string());
        }
    }
    let line_at = body
        .split_inclusive('\n')
        .scan(0, |at, l| {
            let start = *at;
            *at += l.len();
            Some((start, l))
        })
        .find(|(_, l)| l.trim() == marker)?
        .0;
    tops.iter()
        .filter(|r| r.end <= line_at)
        .max_by_key(|r| r.end)
        .map(|r| body[r.clone()].trim_end().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_note_is_found_nearest_to_the_page_as_a_wikilink_finds_it() {
        let found = |rel: &str| Found {
            abs: PathBuf::from("/v").join(rel),
            rel: rel.to_string(),
            real: rel.to_string(),
            kind: FileKind::Page,
        };
        let notes = Notes::new(
            &[
                found("a/b/Notes.md"),
                found("c/Notes.md"),
                found("Charte.md"),
                found("d/Charte.md"),
                found("deep/Note.md"),
                found("z/Note.md"),
                found("img.png"),
            ],
            false,
        );
        let file = |p: &str| PathBuf::from("/v").join(p);
        let find =
            |name: &str, from: &str| notes.find(name, from).map(|(p, n)| (p.to_path_buf(), n));
        assert_eq!(find("notes", "x/page.md"), Some((file("c/Notes.md"), 2)));
        assert_eq!(
            find("Notes", "a/b/page.md"),
            Some((file("a/b/Notes.md"), 2))
        );
        assert_eq!(find("notes", "a/page.md"), Some((file("a/b/Notes.md"), 2)));
        assert_eq!(
            find("b/notes", "x/page.md"),
            Some((file("a/b/Notes.md"), 2))
        );
        assert_eq!(
            find("a/b/Notes.md", "c/p.md"),
            Some((file("a/b/Notes.md"), 2))
        );
        assert_eq!(
            find("c/notes", "a/b/page.md"),
            Some((file("c/Notes.md"), 2))
        );
        assert_eq!(find("charte", "d/page.md"), Some((file("d/Charte.md"), 2)));
        assert_eq!(find("charte", "page.md"), Some((file("Charte.md"), 2)));
        // The nearest shared folder wins over the shortest path.
        assert_eq!(
            find("note", "deep/er/page.md"),
            Some((file("deep/Note.md"), 2))
        );
        assert_eq!(find("b/charte", "page.md"), None);
        assert_eq!(find("absente", "page.md"), None);
    }

    #[test]
    fn block_ids_leave_embedded_text() {
        assert_eq!(
            without_block_ids(
                "Un. ^un\n\n- a\n- b ^item\n\n| t |\n|---|\n\n^tableau\n\nx^2 et `^code`\n"
            ),
            "Un.\n\n- a\n- b\n\n| t |\n|---|\n\n\n\nx^2 et `^code`\n"
        );
    }

    #[test]
    fn relative_destinations_are_led_from_the_page() {
        assert_eq!(
            rebase(
                "Voir ![plan](plan.png), [o](Other.md#x), [e](https://ex.org), [s](#ici) et [r](<a b.md>).\n",
                "../sub/"
            ),
            "Voir ![plan](../sub/plan.png), [o](../sub/Other.md#x), [e](https://ex.org), [s](#ici) et [r](<../sub/a b.md>).\n"
        );
        assert_eq!(
            rebase("[![i](i.png)](p.md)\n", "s/"),
            "[![i](s/i.png)](s/p.md)\n"
        );
        assert_eq!(rebase("`[c](c.md)`\n", "s/"), "`[c](c.md)`\n");
        assert_eq!(
            relative_dir(Path::new("/v/a/b"), Path::new("/v/Premiers pas")),
            "../../Premiers%20pas/"
        );
        assert_eq!(relative_dir(Path::new("/v/a"), Path::new("/v/a")), "");
    }

    #[test]
    fn an_embed_line_names_a_note_and_its_part() {
        assert_eq!(
            parse_line("![[Posture du mentor]]"),
            Some(Embed {
                prefix: "",
                name: "Posture du mentor",
                part: None
            })
        );
        assert_eq!(
            parse_line("> ![[Charte#^engagements|les engagements]]  "),
            Some(Embed {
                prefix: "> ",
                name: "Charte",
                part: Some("^engagements")
            })
        );
        assert_eq!(
            parse_line("![[Séance type#Déroulé]]").and_then(|e| e.part),
            Some("Déroulé")
        );
        for no in [
            "![[plan.png]]",
            "Voir ![[Charte]]",
            "![[Charte]] et ![[Posture]]",
            "![[#Titre]]",
            "![[]]",
            "- ![[Charte]]",
        ] {
            assert_eq!(parse_line(no), None, "{no}");
        }
    }

    #[test]
    fn embedded_headings_nest_under_the_page_title() {
        assert_eq!(
            nest_headings("# Charte\n\nTexte.\n\n## Engagements\n\n#### Détail\n"),
            "## Charte\n\nTexte.\n\n### Engagements\n\n##### Détail\n"
        );
        assert_eq!(
            nest_headings("### Déroulé\n\nUn.\n\n#### Après\n"),
            "## Déroulé\n\nUn.\n\n### Après\n"
        );
        assert_eq!(
            nest_headings("Titre\n=====\n\nTexte.\n\nSous-titre\nsur deux\n---\n"),
            "Titre\n-----\n\nTexte.\n\n### Sous-titre sur deux\n"
        );
        // Never a level 1, which would be the page's title.
        assert_eq!(
            nest_headings("### Profond\n\nx\n\n# Haut\n"),
            "## Profond\n\nx\n\n## Haut\n"
        );
        // A setext heading whose text starts with `#` (a tag), and one in a quote.
        assert_eq!(nest_headings("# T\n\n#tag\n---\n"), "## T\n\n### #tag\n");
        assert_eq!(
            nest_headings("# T\n\n> Cité\n> sur deux\n> ---\n"),
            "## T\n\n> ### Cité sur deux\n"
        );
        assert_eq!(nest_headings("Sans titre.\n"), "Sans titre.\n");
        assert_eq!(
            nest_headings("```\n# pas un titre\n```\n# Titre\n"),
            "```\n# pas un titre\n```\n## Titre\n"
        );
    }

    #[test]
    fn a_part_is_a_heading_section_or_a_block() {
        let body = "# Titre\n\nIntro.\n\n## Déroulé\n\nUn.\n\n### Détail\n\nDeux.\n\n## Après\n\nTrois ^fin\n\n| a |\n|---|\n| b |\n\n^tableau\n\n- un\n- deux ^item\n";
        assert_eq!(
            part(body, "déroulé").as_deref(),
            Some("## Déroulé\n\nUn.\n\n### Détail\n\nDeux.\n\n")
        );
        assert_eq!(part(body, "^fin").as_deref(), Some("Trois\n"));
        assert_eq!(
            part(body, "^tableau").as_deref(),
            Some("| a |\n|---|\n| b |\n")
        );
        assert_eq!(part(body, "^item").as_deref(), Some("- deux\n"));
        assert_eq!(part(body, "Absent"), None);
        assert_eq!(part(body, "^absent"), None);
        // The last section runs to the end.
        assert!(part(body, "Après").is_some_and(|t| t.ends_with("- deux ^item\n")));
    }
}

//! The page's plain text, by heading, for the search index: text and inline code
//! (never code blocks or worksheet blocks), whitespace collapsed.

use pulldown_cmark::{Event, Tag, TagEnd};

use crate::markdown::event::{Ev, Items};
use crate::markdown::headings::Heading;

/// A run of plain text under one heading, for the search index.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TextChunk {
    /// Id of the heading the text is under (none before the first heading).
    pub id: Option<String>,
    /// Text of that heading.
    pub heading: String,
    /// The plain text.
    pub text: String,
}

/// Text gathered before heading ids are known: (heading number, text).
pub(crate) type Gathered = Vec<(Option<usize>, String)>;

/// Gathers the text of the stream, split at every heading (the stream must still
/// hold the parser's heading events), whitespace collapsed as it is appended.
pub(crate) fn collect(items: &Items<'_>) -> Gathered {
    let mut chunks: Gathered = Vec::new();
    let mut current = Collapsed::default();
    let mut heading: Option<usize> = None;
    let mut headings = 0usize;
    let mut in_heading = false;
    let mut in_code = false;
    for it in items {
        let Ev::Md(ev) = &it.ev else { continue };
        match ev {
            Event::Start(Tag::Heading { .. }) => in_heading = true,
            Event::End(TagEnd::Heading(_)) => {
                in_heading = false;
                let text = std::mem::take(&mut current).text;
                if !text.is_empty() || heading.is_some() {
                    chunks.push((heading, text));
                }
                heading = Some(headings);
                headings += 1;
            }
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Text(t) if !in_code && !in_heading => current.push(t),
            Event::Code(t) if !in_heading => current.push(t),
            Event::SoftBreak
            | Event::HardBreak
            | Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell) => {
                current.space();
            }
            _ => {}
        }
    }
    if !current.text.is_empty() || heading.is_some() {
        chunks.push((heading, current.text));
    }
    chunks
}

/// The chunks, with the ids and texts of their headings.
pub(crate) fn finish(chunks: Gathered, headings: &[Heading]) -> Vec<TextChunk> {
    chunks
        .into_iter()
        .map(|(h, text)| {
            let heading = h.and_then(|n| headings.get(n));
            TextChunk {
                id: heading.map(|h| h.id.clone()),
                heading: heading.map(|h| h.text.clone()).unwrap_or_default(),
                text,
            }
        })
        .collect()
}

/// Bytes that may start whitespace: ASCII whitespace and the lead bytes of the
/// few other whitespace characters (`char::is_whitespace`: U+0085, U+00A0,
/// U+1680, U+2000–U+200A, U+2028, U+2029, U+202F, U+205F, U+3000).
const MAY_BE_SPACE: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = matches!(
            i as u8,
            b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | 0xC2 | 0xE1 | 0xE2 | 0xE3
        );
        i += 1;
    }
    t
};

/// The length of the whitespace character at byte `i` of `b` (UTF-8), 0 when
/// there is none: the characters of `char::is_whitespace`, read from their
/// bytes (French text is full of `’`, E2 80 99, which is not one of them).
fn space_len(b: &[u8], i: usize) -> usize {
    let at = |k: usize| b.get(i + k).copied().unwrap_or(0);
    match b[i] {
        b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r' => 1,
        0xC2 if matches!(at(1), 0x85 | 0xA0) => 2,
        0xE1 if at(1) == 0x9A && at(2) == 0x80 => 3,
        0xE2 if at(1) == 0x80 && matches!(at(2), 0x80..=0x8A | 0xA8 | 0xA9 | 0xAF) => 3,
        0xE2 if at(1) == 0x81 && at(2) == 0x9F => 3,
        0xE3 if at(1) == 0x80 && at(2) == 0x80 => 3,
        _ => 0,
    }
}

/// Text trimmed, every run of whitespace one space, built piece by piece: the
/// result is that of collapsing the pieces joined.
#[derive(Debug, Default)]
struct Collapsed {
    text: String,
    /// Whitespace came after the last word: a space goes before the next one.
    pending: bool,
}

impl Collapsed {
    /// Appends whitespace.
    fn space(&mut self) {
        self.pending = true;
    }

    /// Appends `s`. Runs of other characters are copied whole: only the bytes
    /// of [`MAY_BE_SPACE`] are looked at, and a lone space between two words
    /// stays inside the run.
    fn push(&mut self, s: &str) {
        let b = s.as_bytes();
        let mut run = 0;
        let mut i = 0;
        while i < b.len() {
            if !MAY_BE_SPACE[usize::from(b[i])] {
                i += 1;
                continue;
            }
            let w = space_len(b, i);
            // Continuation bytes never look like whitespace: step byte by byte.
            if w == 0 || (b[i] == b' ' && run < i && i + 1 < b.len() && space_len(b, i + 1) == 0) {
                i += 1;
                continue;
            }
            if run < i {
                self.word(&s[run..i]);
            }
            self.pending = true;
            i += w;
            run = i;
        }
        if run < b.len() {
            self.word(&s[run..]);
        }
    }

    fn word(&mut self, w: &str) {
        if std::mem::take(&mut self.pending) && !self.text.is_empty() {
            self.text.push(' ');
        }
        self.text.push_str(w);
    }
}

/// Trims and turns every run of whitespace into one space.
#[cfg(test)]
fn collapse_whitespace(s: &str) -> String {
    let mut c = Collapsed::default();
    c.push(s);
    c.text
}

#[cfg(test)]
mod tests {
    use super::collapse_whitespace;

    /// The rule, char by char: what the byte scan must equal.
    fn reference(s: &str) -> String {
        s.split(char::is_whitespace)
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn every_character_up_to_u3100_is_told_as_char_is_whitespace_tells_it() {
        for c in (0..0x3100).filter_map(char::from_u32) {
            let s = format!("a{c}b {c}{c}c{c} d{c}");
            assert_eq!(collapse_whitespace(&s), reference(&s), "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn collapses_like_char_is_whitespace() {
        for s in [
            "",
            " ",
            "mot",
            "  deux   mots  ",
            "a\tb\nc\r\nd\u{b}e\u{c}f",
            "l’écoute\u{a0}: «\u{202f}oui\u{202f}» — fin\u{2009}!",
            "\u{3000}日本語\u{3000}テキスト\u{85}x\u{1680}y\u{2028}z\u{2029}w\u{205f}v",
            "é à ç\u{2003}\u{200a}ü",
            "\u{e2}\u{80}", // not bytes, just odd characters
            "≠ ← ≥ ™ € ¬",
            "a b",
            "a b ",
            " a b",
            "a  b c\td e\u{a0}f g",
            "un mot, puis un autre.",
        ] {
            assert_eq!(collapse_whitespace(s), reference(s), "{s:?}");
            // Appended in two pieces, cut at every character boundary, or
            // with whitespace events between them: the same text.
            for (cut, _) in s.char_indices() {
                let mut c = super::Collapsed::default();
                c.push(&s[..cut]);
                c.push(&s[cut..]);
                assert_eq!(c.text, reference(s), "{s:?} cut at {cut}");
                let mut c = super::Collapsed::default();
                c.push(&s[..cut]);
                c.space();
                c.push(&s[cut..]);
                let joined = format!("{} {}", &s[..cut], &s[cut..]);
                assert_eq!(c.text, reference(&joined), "{s:?} spaced at {cut}");
            }
        }
    }
}

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
    let mut current = Collapsed::with_capacity(CHUNK);
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
                let text = std::mem::replace(&mut current, Collapsed::with_capacity(CHUNK)).text;
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
const MAY_BE_SPACE: crate::text::ByteSet =
    crate::text::ByteSet::new(b" \t\n\x0B\x0C\r\xC2\xE1\xE2\xE3");

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

/// `x` with every byte replaced by `c`.
const fn splat(c: u8) -> u64 {
    u64::from_le_bytes([c; 8])
}

/// Whether any byte of `x` is zero.
const fn has_zero(x: u64) -> bool {
    x.wrapping_sub(splat(1)) & !x & splat(0x80) != 0
}

/// Whether eight bytes of text (little-endian) hold anything but bytes outside
/// [`MAY_BE_SPACE`] and lone spaces: a control byte (tabs and line ends among
/// them), a lead byte of non-ASCII whitespace (0xC2, 0xE0–0xE3: a superset), or
/// two spaces in a row. A lone space in the last byte is the caller's to check.
fn may_act(x: u64) -> bool {
    let control = x.wrapping_sub(splat(0x20)) & !x & splat(0x80) != 0;
    let lead = has_zero(x ^ splat(0xC2)) || has_zero((x & splat(0xFC)) ^ splat(0xE0));
    // The high bit of each byte that is a space, exactly.
    let v = x ^ splat(b' ');
    let spaces = !((v & splat(0x7F)).wrapping_add(splat(0x7F)) | v | splat(0x7F));
    control || lead || spaces & (spaces >> 8) != 0
}

/// Text trimmed, every run of whitespace one space, built piece by piece: the
/// result is that of collapsing the pieces joined.
#[derive(Debug, Default)]
struct Collapsed {
    text: String,
    /// Whitespace came after the last word: a space goes before the next one.
    pending: bool,
}

/// Bytes a chunk's text starts with room for: most hold one to two thousand,
/// and the slack goes when the page is stowed (`Doc::stow` shrinks them).
const CHUNK: usize = 1024;

impl Collapsed {
    fn with_capacity(n: usize) -> Self {
        Self {
            text: String::with_capacity(n),
            pending: false,
        }
    }

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
            if i > run {
                // Inside a run, eight bytes at a time while they hold nothing
                // the byte-by-byte step below would act on.
                while let Some(window) = b.get(i..i + 9) {
                    let mut w = [0u8; 8];
                    w.copy_from_slice(&window[..8]);
                    if may_act(u64::from_le_bytes(w))
                        || (window[7] == b' ' && MAY_BE_SPACE.contains(window[8]))
                    {
                        break;
                    }
                    i += 8;
                }
            }
            if !MAY_BE_SPACE.contains(b[i]) {
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

    /// Every character up to U+3100, and doubled spaces, at each of the first
    /// offsets of a long text: where they fall in (or across) the eight-byte
    /// windows the scan skips must not matter.
    #[test]
    fn the_eight_byte_skip_sees_what_the_byte_scan_sees() {
        let base = "voici un texte assez long pour que les fenêtres de huit octets servent";
        for c in (0..0x3100).filter_map(char::from_u32) {
            for at in (0..26).filter(|&k| base.is_char_boundary(k)) {
                let s = format!("{}{c}{}", &base[..at], &base[at..]);
                assert_eq!(
                    collapse_whitespace(&s),
                    reference(&s),
                    "U+{:04X} at {at}",
                    c as u32
                );
            }
        }
        for at in (0..base.len()).filter(|&k| base.is_char_boundary(k)) {
            for gap in ["  ", " \t", "\n", " \u{a0}", "\u{202f} "] {
                let s = format!("{}{gap}{}", &base[..at], &base[at..]);
                assert_eq!(collapse_whitespace(&s), reference(&s), "{gap:?} at {at}");
            }
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

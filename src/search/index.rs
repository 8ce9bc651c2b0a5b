//! The search index: what it holds, and its compact serialisation.
//!
//! # The contract with `search.js`
//!
//! `search-index.js` at the output root assigns one object:
//!
//! ```text
//! window.MB_SEARCH_INDEX = {
//!   "v": 1,                                   // format version
//!   "fold": [chars, [replacement, …]],       // fold table, see `tokenize`
//!   "ui": {"no_results": …, …},               // UI strings in the site's language
//!   "pages": [[title, url, flags, [[anchor, heading], …]], …],
//!   "text": [text, …],                        // one per chunk, cut to a few hundred characters
//!   "langs": {"fr": {
//!     "stop": [word, …], "steps": [[[suffix, with, min], …], …],
//!     "forms": [form, …],                     // folded words, sorted
//!     "stems": [stem, …],                     // sorted
//!     "sid": "vlq…",                          // stem index of each form
//!     "post": ["vlq…", …]                     // postings of each form
//!   }, …}
//! }
//! ```
//!
//! Pages come in reading order; `flags` bit 1 marks a worksheet. Chunks are
//! numbered across the site: each page has an implicit chunk for its title,
//! description and the text before its first heading (anchor: the page itself),
//! then one chunk per `[anchor, heading]`. A posting is `delta * 8 + fields`,
//! `delta` being the chunk number minus the previous one (the first is the chunk
//! number itself) and `fields` the bits 1 = text, 2 = heading, 4 = page title.
//! `vlq` strings hold unsigned integers in base 64 (`A`–`Z`, `a`–`z`, `0`–`9`,
//! `+`, `/`), five bits per character, lowest first, bit 6 meaning "more follows".

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::search::stem::{self, Language, Rule};
use crate::search::tokenize;

/// Most characters of text kept per chunk for result snippets.
pub const TEXT_CAP: usize = 300;

/// Field bit: the word is in the chunk's text.
pub const IN_TEXT: u8 = 1;
/// Field bit: the word is in the chunk's heading.
pub const IN_HEADING: u8 = 2;
/// Field bit: the word is in the page title (first chunk of a page).
pub const IN_TITLE: u8 = 4;

/// One chunk of a page, ready to index.
#[derive(Debug, Clone, Default)]
pub struct Chunk {
    /// Anchor of the heading (empty for the page's first chunk).
    pub anchor: String,
    /// Heading text (empty for the page's first chunk).
    pub heading: String,
    /// Plain text.
    pub text: String,
}

/// One page, ready to index.
#[derive(Debug, Clone, Default)]
pub struct PageEntry {
    /// Title.
    pub title: String,
    /// Output path relative to the site root.
    pub url: String,
    /// Base language (`fr`, `en`…).
    pub lang: String,
    /// Whether it is a worksheet.
    pub worksheet: bool,
    /// Chunks; the first is the page's own (title, description, intro) and has no anchor.
    pub chunks: Vec<Chunk>,
}

/// Words of one page: form → (chunk within the page, field bits), by chunk.
pub type PageWords = BTreeMap<String, Vec<(u32, u8)>>;

/// The words of `page`, stop words left out.
pub fn page_words(page: &PageEntry, lang: &Language) -> PageWords {
    let mut words = PageWords::new();
    for (i, chunk) in page.chunks.iter().enumerate() {
        let local = u32::try_from(i).unwrap_or(u32::MAX);
        let mut add = |text: &str, bit: u8| {
            tokenize::for_each_word(text, |w| {
                if lang.is_stop(w) {
                    return;
                }
                let list = match words.get_mut(w) {
                    Some(l) => l,
                    None => words.entry(w.to_string()).or_default(),
                };
                match list.last_mut() {
                    Some((c, bits)) if *c == local => *bits |= bit,
                    _ => list.push((local, bit)),
                }
            });
        };
        if i == 0 {
            add(&page.title, IN_TITLE);
        }
        add(&chunk.heading, IN_HEADING);
        add(&chunk.text, IN_TEXT);
    }
    words
}

/// Postings of one language: form → (global chunk, field bits), by chunk.
#[derive(Debug, Default)]
struct LangPostings {
    forms: BTreeMap<String, Vec<(u32, u8)>>,
}

/// Builds the serialised index from pages (in reading order) and their words.
pub fn serialise(
    pages: &[PageEntry],
    words: Vec<PageWords>,
    ui: &BTreeMap<String, String>,
) -> String {
    let mut langs: BTreeMap<&str, LangPostings> = BTreeMap::new();
    let mut first_chunk = 0u32;
    for (page, page_words) in pages.iter().zip(words) {
        let postings = langs.entry(page.lang.as_str()).or_default();
        for (form, list) in page_words {
            let global = postings.forms.entry(form).or_default();
            global.extend(list.into_iter().map(|(c, b)| (first_chunk + c, b)));
        }
        let count = u32::try_from(page.chunks.len()).unwrap_or(u32::MAX);
        first_chunk = first_chunk.saturating_add(count);
    }

    let (chars, replacements): (String, Vec<String>) = tokenize::fold_table().into_iter().unzip();
    let file = File {
        v: 1,
        fold: (chars, replacements),
        ui,
        pages: pages
            .iter()
            .map(|p| {
                let chunks = p
                    .chunks
                    .iter()
                    .skip(1)
                    .map(|c| (c.anchor.as_str(), c.heading.as_str()))
                    .collect();
                (
                    p.title.as_str(),
                    p.url.as_str(),
                    u8::from(p.worksheet),
                    chunks,
                )
            })
            .collect(),
        text: pages
            .iter()
            .flat_map(|p| p.chunks.iter().map(|c| cut(&c.text, TEXT_CAP)))
            .collect(),
        langs: langs
            .iter()
            .map(|(lang, postings)| (*lang, lang_out(stem::language(lang), postings)))
            .collect(),
    };
    let json = serde_json::to_string(&file).unwrap_or_else(|_| "null".into());
    // U+2028 and U+2029 end lines in older JavaScript engines.
    let json = json
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029");
    format!("window.MB_SEARCH_INDEX={json};\n")
}

fn lang_out<'a>(lang: Language, postings: &'a LangPostings) -> LangOut<'a> {
    let stems_of: Vec<String> = postings.forms.keys().map(|f| lang.stem(f)).collect();
    let stems: BTreeSet<&str> = stems_of.iter().map(String::as_str).collect();
    let stem_ids: BTreeMap<&str, u64> = stems.iter().zip(0u64..).map(|(s, i)| (*s, i)).collect();
    let mut sid = String::new();
    for s in &stems_of {
        push_vlq(&mut sid, stem_ids.get(s.as_str()).copied().unwrap_or(0));
    }
    let post = postings
        .forms
        .values()
        .map(|list| {
            let mut out = String::new();
            let mut prev = 0u32;
            for &(chunk, bits) in list {
                push_vlq(&mut out, u64::from(chunk - prev) * 8 + u64::from(bits));
                prev = chunk;
            }
            out
        })
        .collect();
    LangOut {
        stop: lang.stop,
        steps: lang.steps,
        forms: postings.forms.keys().map(String::as_str).collect(),
        stems: stems.into_iter().map(str::to_string).collect(),
        sid,
        post,
    }
}

#[derive(Serialize)]
struct File<'a> {
    v: u32,
    fold: (String, Vec<String>),
    ui: &'a BTreeMap<String, String>,
    pages: Vec<(&'a str, &'a str, u8, Vec<(&'a str, &'a str)>)>,
    text: Vec<&'a str>,
    langs: BTreeMap<&'a str, LangOut<'a>>,
}

#[derive(Serialize)]
struct LangOut<'a> {
    stop: &'static [&'static str],
    steps: &'static [&'static [Rule]],
    forms: Vec<&'a str>,
    stems: Vec<String>,
    sid: String,
    post: Vec<String>,
}

/// At most `max` characters of `text`, cut after a whole word when possible.
pub fn cut(text: &str, max: usize) -> &str {
    let Some((end, _)) = text.char_indices().nth(max) else {
        return text;
    };
    let head = &text[..end];
    match head.rfind(char::is_whitespace) {
        Some(space) if space > end / 2 => head[..space].trim_end(),
        _ => head,
    }
}

const VLQ: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Appends `v` in the index's base-64 variable-length form.
pub fn push_vlq(out: &mut String, mut v: u64) {
    loop {
        let digit = (v & 31) as usize;
        v >>= 5;
        if v == 0 {
            out.push(char::from(VLQ[digit]));
            return;
        }
        out.push(char::from(VLQ[digit | 32]));
    }
}

/// Reads back every integer of a `vlq` string (for tests and tools).
pub fn read_vlq(s: &str) -> Vec<u64> {
    let mut out = Vec::new();
    let (mut v, mut shift) = (0u64, 0u32);
    for b in s.bytes() {
        let Some(d) = VLQ.iter().position(|&x| x == b) else {
            continue;
        };
        v |= ((d as u64) & 31).checked_shl(shift).unwrap_or(0);
        if d & 32 == 0 {
            out.push(v);
            (v, shift) = (0, 0);
        } else {
            shift += 5;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vlq_round_trips() {
        let values = [
            0,
            1,
            31,
            32,
            33,
            1023,
            1024,
            123_456_789,
            u64::from(u32::MAX) * 8 + 7,
        ];
        let mut s = String::new();
        for v in values {
            push_vlq(&mut s, v);
        }
        assert_eq!(read_vlq(&s), values);
        let mut small = String::new();
        push_vlq(&mut small, 31);
        assert_eq!(small, "f");
    }

    #[test]
    fn cut_keeps_whole_words() {
        assert_eq!(cut("court", 10), "court");
        assert_eq!(cut("un deux trois quatre", 10), "un deux");
        assert_eq!(cut("anticonstitutionnellement", 5), "antic");
        assert_eq!(cut("éééé", 2), "éé");
    }

    fn page(title: &str, chunks: &[(&str, &str, &str)]) -> PageEntry {
        PageEntry {
            title: title.into(),
            url: "p.html".into(),
            lang: "fr".into(),
            worksheet: false,
            chunks: chunks
                .iter()
                .map(|(a, h, t)| Chunk {
                    anchor: (*a).into(),
                    heading: (*h).into(),
                    text: (*t).into(),
                })
                .collect(),
        }
    }

    #[test]
    fn page_words_mark_fields_and_skip_stop_words() {
        let p = page(
            "L'écoute active",
            &[
                ("", "", "Écouter les autres"),
                ("cadre", "Le cadre", "écoute du cadre"),
            ],
        );
        let w = page_words(&p, &stem::FRENCH);
        assert_eq!(w["ecoute"], [(0, IN_TITLE), (1, IN_TEXT)]);
        assert_eq!(w["cadre"], [(1, IN_HEADING | IN_TEXT)]);
        assert!(!w.contains_key("les") && !w.contains_key("le"));
    }

    #[test]
    fn serialised_index_is_a_script_with_sorted_forms() {
        let pages = vec![
            page("Écoute", &[("", "", "Texte")]),
            page("Cadre", &[("", "", ""), ("a", "Écoute", "x\u{2028}y")]),
        ];
        let words = pages.iter().map(|p| page_words(p, &stem::FRENCH)).collect();
        let js = serialise(&pages, words, &BTreeMap::new());
        let json = js
            .strip_prefix("window.MB_SEARCH_INDEX=")
            .and_then(|s| s.strip_suffix(";\n"))
            .expect("a script assigning the index");
        assert!(!json.contains('\u{2028}'));
        let v: serde_json::Value = serde_json::from_str(json).expect("valid JSON");
        let fr = &v["langs"]["fr"];
        let forms: Vec<&str> = fr["forms"]
            .as_array()
            .expect("forms")
            .iter()
            .filter_map(|f| f.as_str())
            .collect();
        assert_eq!(forms, ["cadre", "ecoute", "texte"]);
        let i = forms.iter().position(|f| *f == "ecoute").expect("ecoute");
        let post = read_vlq(fr["post"][i].as_str().expect("postings"));
        // Chunk 0 (title of page 0), then chunk 2 (heading of page 1's second chunk).
        assert_eq!(post, [u64::from(IN_TITLE), 2 * 8 + u64::from(IN_HEADING)]);
        assert_eq!(v["text"].as_array().map(Vec::len), Some(3));
    }
}

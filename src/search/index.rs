//! The search index: what it holds, and its compact serialisation.
//!
//! # The contract with `search.js`
//!
//! `search-index.js` at the output root assigns one object:
//!
//! ```text
//! window.MB_SEARCH_INDEX = {
//!   "v": 1,                                   // format version
//!   "parts": 3,                               // only when there are more than one
//!   "fold": [chars, [replacement, …]],       // fold table, see `tokenize`
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
//! The index is split in parts of [`PART_PAGES`](super::PART_PAGES) pages:
//! `search-index.js` holds the first pages and says how many parts there are;
//! `search-index-1.js`, `search-index-2.js`… each assign the same object for
//! the next pages (without `fold` and `parts`) to
//! `window.MB_SEARCH_PARTS[n]` (`search.js` loads them all and reads them as one
//! index). Chunks and pages are numbered within each part.
//!
//! Pages come in reading order; `flags` bit 1 marks a worksheet. Chunks are
//! numbered across the site: each page has an implicit chunk for its title,
//! description and the text before its first heading (anchor: the page itself),
//! then one chunk per `[anchor, heading]`. A posting is `delta * 8 + fields`,
//! `delta` being the chunk number minus the previous one (the first is the chunk
//! number itself) and `fields` the bits 1 = text, 2 = heading, 4 = page title.
//! `vlq` strings hold unsigned integers in base 64 (`A`–`Z`, `a`–`z`, `0`–`9`,
//! `+`, `/`), five bits per character, lowest first, bit 6 meaning "more follows".

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;

use serde::Serialize;

use crate::search::stem::{self, Language, Rule};
use crate::search::tokenize;
use crate::store::{Held, Store};

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
pub struct Chunk<'a> {
    /// Anchor of the heading (empty for the page's first chunk).
    pub anchor: &'a str,
    /// Heading text (empty for the page's first chunk).
    pub heading: &'a str,
    /// Plain text.
    pub text: Cow<'a, str>,
}

/// One page, ready to index.
#[derive(Debug, Clone, Default)]
pub struct PageEntry<'a> {
    /// Title.
    pub title: &'a str,
    /// Output path relative to the site root.
    pub url: &'a str,
    /// Base language (`fr`, `en`…).
    pub lang: String,
    /// Whether it is a worksheet.
    pub worksheet: bool,
    /// Chunks; the first is the page's own (title, description, intro) and has no anchor.
    pub chunks: Vec<Chunk<'a>>,
}

/// A fast, non-cryptographic hasher for word maps (the multiply-rotate of
/// Firefox's FxHash). The keys are the site's own words, so the flooding
/// resistance of the standard hasher buys nothing, and it halved indexing time.
#[derive(Debug, Default, Clone, Copy)]
pub struct WordHasher(u64);

impl WordHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(w));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn finish(&self) -> u64 {
        // The table picks buckets with the low bits, which a multiplication
        // fills from the low bits of its input only (the first letters of a
        // word): turned so that the well-mixed high bits choose the bucket.
        self.0.rotate_left(26)
    }
}

/// A map keyed by words, with [`WordHasher`].
pub type WordMap<V> = HashMap<String, V, BuildHasherDefault<WordHasher>>;

/// The hash of a word, for [`PageWords`]' table.
fn word_hash(word: &str) -> u64 {
    let mut h = WordHasher::default();
    h.write(word.as_bytes());
    h.finish()
}

/// Words of one page, stop words left out: each form once, with the chunks of
/// the page it is in (in order) and its field bits in each.
///
/// The forms sit end to end in one text and their chunks in one list, so a
/// page's words cost three allocations, not two per distinct word.
#[derive(Debug, Clone, Default)]
pub struct PageWords {
    /// The forms, one after the other.
    text: String,
    /// Each form: where it ends in `text`, its first and last posting.
    forms: Vec<Form>,
    /// Every (form, chunk) pair once, in the order met.
    postings: Vec<Posting>,
}

/// A form of [`PageWords`].
#[derive(Debug, Clone, Copy)]
struct Form {
    end: u32,
    first: u32,
    last: u32,
}

/// One chunk a form is in: its number within the page, the field bits, and the
/// next posting of the same form ([`NONE`] for the last).
#[derive(Debug, Clone, Copy)]
struct Posting {
    chunk: u32,
    bits: u8,
    next: u32,
}

/// No next posting.
const NONE: u32 = u32::MAX;

impl PageWords {
    /// Form number `i`.
    fn form(&self, i: usize) -> &str {
        let start = i.checked_sub(1).map_or(0, |p| self.forms[p].end as usize);
        &self.text[start..self.forms[i].end as usize]
    }

    /// Each form with its (chunk within the page, field bits), by chunk.
    pub fn iter(&self) -> impl Iterator<Item = (&str, impl Iterator<Item = (u32, u8)> + '_)> {
        self.forms.iter().enumerate().map(move |(i, f)| {
            let mut at = f.first;
            let chunks = std::iter::from_fn(move || {
                let p = self.postings.get(at as usize)?;
                at = p.next;
                Some((p.chunk, p.bits))
            });
            (self.form(i), chunks)
        })
    }
}

/// Gathers a page's [`PageWords`].
struct WordsBuilder {
    words: PageWords,
    /// Form numbers, by the hash of the form.
    table: hashbrown::HashTable<u32>,
}

impl WordsBuilder {
    fn with_capacity(forms: usize) -> Self {
        Self {
            words: PageWords {
                text: String::with_capacity(forms * 8),
                forms: Vec::with_capacity(forms),
                postings: Vec::with_capacity(forms * 2),
            },
            table: hashbrown::HashTable::with_capacity(forms),
        }
    }

    /// Records `word` in chunk `chunk` (chunks come in increasing order) with `bit`.
    fn add(&mut self, word: &str, chunk: u32, bit: u8) {
        let hash = word_hash(word);
        let words = &mut self.words;
        let found = self
            .table
            .find(hash, |&i| words.form(i as usize) == word)
            .copied();
        let next = u32::try_from(words.postings.len()).unwrap_or(NONE);
        let i = match found {
            Some(i) => i,
            None => {
                let i = u32::try_from(words.forms.len()).unwrap_or(NONE);
                words.text.push_str(word);
                words.forms.push(Form {
                    end: u32::try_from(words.text.len()).unwrap_or(NONE),
                    first: next,
                    last: NONE,
                });
                self.table
                    .insert_unique(hash, i, |&j| word_hash(words.form(j as usize)));
                i
            }
        };
        let Some(form) = words.forms.get_mut(i as usize) else {
            return;
        };
        match words.postings.get_mut(form.last as usize) {
            // Met again in the same chunk: one more field, perhaps.
            Some(p) if p.chunk == chunk => p.bits |= bit,
            last => {
                if let Some(p) = last {
                    p.next = next;
                }
                form.last = next;
                words.postings.push(Posting {
                    chunk,
                    bits: bit,
                    next: NONE,
                });
            }
        }
    }
}

/// The words of `page`, stop words left out.
pub fn page_words(page: &PageEntry<'_>, lang: &Language) -> PageWords {
    // About one distinct word per 32 bytes of text (handbook pages: 23 to 48):
    // the table is sized once instead of growing (and rehashing) again and again.
    let len: usize = page.chunks.iter().map(|c| c.text.len()).sum();
    let mut words = WordsBuilder::with_capacity(len / 32);
    for (i, chunk) in page.chunks.iter().enumerate() {
        let local = u32::try_from(i).unwrap_or(u32::MAX);
        let mut add = |text: &str, bit: u8| {
            tokenize::for_each_word(text, |w| {
                if !lang.is_stop(w) {
                    words.add(w, local, bit);
                }
            });
        };
        if i == 0 {
            add(page.title, IN_TITLE);
        }
        add(chunk.heading, IN_HEADING);
        add(&chunk.text, IN_TEXT);
    }
    words.words
}

/// Postings of one language: form → its postings already in the index's form
/// (the gap from the previous chunk times 8 plus the field bits, as base-64
/// variable-length numbers), and the last chunk written. Chunks only grow, as
/// pages come in reading order, so each posting is encoded once, as it arrives,
/// in a few bytes instead of eight.
type LangPostings = WordMap<(String, u32)>;

/// Every page's words gathered by language, with what results show of each
/// page (title, URL, headings, snippets cut to [`TEXT_CAP`]), fed page by page
/// in reading order, so that a page's full text and word map can be dropped as
/// soon as they are merged.
#[derive(Debug, Default)]
pub struct Postings {
    langs: BTreeMap<String, LangPostings>,
    next_chunk: u32,
    /// The `pages` array of the index, as JSON, written as pages arrive.
    pages: JsonArray,
    /// The `text` array of the index (snippets), as JSON, written as pages arrive.
    text: JsonArray,
}

/// Bytes of a JSON array gathered before they are handed to the store.
const PART: usize = 1 << 20;

/// A JSON array written element by element, in parts of about [`PART`] bytes
/// handed to a store (which keeps them in memory while its budget lasts, else
/// in its file), so that a big index never sits whole in memory.
#[derive(Debug, Default)]
struct JsonArray {
    store: Option<Arc<Store>>,
    parts: Vec<Held>,
    buf: String,
    count: usize,
}

impl JsonArray {
    fn new(store: Option<Arc<Store>>) -> Self {
        Self {
            store,
            ..Self::default()
        }
    }

    /// Appends `value`.
    fn push<T: Serialize + ?Sized>(&mut self, value: &T) {
        self.buf.push(if self.count == 0 { '[' } else { ',' });
        self.count += 1;
        self.buf.push_str(&json(value));
        if self.buf.len() >= PART {
            self.flush();
        }
    }

    fn flush(&mut self) {
        let part = line_safe(std::mem::take(&mut self.buf));
        self.parts.push(match &self.store {
            Some(store) => store.keep_text(part),
            None => Held::here(part),
        });
    }

    /// The parts of the closed array.
    fn finish(mut self) -> Vec<Held> {
        if self.count == 0 {
            self.buf.push('[');
        }
        self.buf.push(']');
        self.flush();
        self.parts
    }
}

impl Postings {
    /// Postings whose pages and snippets go to `store` as they grow (none: kept
    /// in memory).
    pub fn new(store: Option<Arc<Store>>) -> Self {
        Self {
            pages: JsonArray::new(store.clone()),
            text: JsonArray::new(store),
            ..Self::default()
        }
    }

    /// Adds the next page (in reading order) and its words.
    pub fn add(&mut self, page: &PageEntry<'_>, words: &PageWords) {
        let first = self.next_chunk;
        let postings = match self.langs.get_mut(&page.lang) {
            Some(p) => p,
            None => self.langs.entry(page.lang.clone()).or_default(),
        };
        for (form, list) in words.iter() {
            let (out, prev) = match postings.get_mut(form) {
                Some(g) => g,
                None => postings.entry(form.to_string()).or_default(),
            };
            for (c, bits) in list {
                let chunk = first.saturating_add(c);
                push_vlq(
                    out,
                    u64::from(chunk.saturating_sub(*prev)) * 8 + u64::from(bits),
                );
                *prev = chunk;
            }
        }
        let count = u32::try_from(page.chunks.len()).unwrap_or(u32::MAX);
        self.next_chunk = first.saturating_add(count);
        let chunks: Vec<(&str, &str)> = page
            .chunks
            .iter()
            .skip(1)
            .map(|c| (c.anchor, c.heading))
            .collect();
        let entry: PageOut<'_> = (page.title, page.url, u8::from(page.worksheet), chunks);
        self.pages.push(&entry);
        for c in &page.chunks {
            self.text.push(cut(&c.text, TEXT_CAP));
        }
    }
}

/// Serialises part `part` (of `parts`) of the index, from the pages added to
/// `postings`, in pieces to be written one after the other (the snippets, the
/// biggest piece, are never copied into one buffer with the rest).
pub fn serialise_parts(postings: Postings, part: usize, parts: usize) -> Vec<Held> {
    let head = if part == 0 {
        let (chars, replacements): (String, Vec<String>) =
            tokenize::fold_table().into_iter().unzip();
        let count = if parts > 1 {
            format!("\"parts\":{parts},")
        } else {
            String::new()
        };
        format!(
            "window.MB_SEARCH_INDEX={{\"v\":1,{count}\"fold\":{},\"pages\":",
            json(&(chars, replacements))
        )
    } else {
        format!("(window.MB_SEARCH_PARTS=window.MB_SEARCH_PARTS||[])[{part}]={{\"v\":1,\"pages\":")
    };
    let store = postings.pages.store.clone();
    let mut parts = vec![Held::here(line_safe(head))];
    parts.extend(postings.pages.finish());
    parts.push(Held::here(",\"text\":".to_string()));
    parts.extend(postings.text.finish());
    parts.push(Held::here(",\"langs\":{".to_string()));
    // One language at a time, its postings handed to the store as they are
    // written and dropped after.
    for (i, (lang, p)) in postings.langs.into_iter().enumerate() {
        let (head, post) = lang_out(stem::language(&lang), &p);
        let head = json(&head);
        let mut text = String::with_capacity(head.len() + lang.len() + 16);
        if i > 0 {
            text.push(',');
        }
        text.push_str(&json(&lang));
        text.push(':');
        text.push_str(head.strip_suffix('}').unwrap_or(&head));
        text.push_str(",\"post\":");
        parts.push(Held::here(line_safe(text)));
        let mut array = JsonArray::new(store.clone());
        for p in post {
            array.push(p);
        }
        parts.extend(array.finish());
        parts.push(Held::here("}".to_string()));
    }
    parts.push(Held::here("}};\n".to_string()));
    parts
}

/// Serialises the index of the pages added to `postings` as one text.
pub fn serialise(postings: Postings) -> std::io::Result<String> {
    let mut out = String::new();
    for part in serialise_parts(postings, 0, 1) {
        out.push_str(&part.text()?);
    }
    Ok(out)
}

/// `js` with U+2028 and U+2029 escaped: they end lines in older JavaScript engines.
fn line_safe(js: String) -> String {
    if js.contains(['\u{2028}', '\u{2029}']) {
        js.replace('\u{2028}', "\\u2028")
            .replace('\u{2029}', "\\u2029")
    } else {
        js
    }
}

/// `value` as compact JSON (`null` if it cannot be).
fn json<T: Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "null".into())
}

/// What the index says of a language, its postings (by form) apart.
fn lang_out(lang: Language, postings: &LangPostings) -> (LangOut<'_>, Vec<&str>) {
    let mut forms: Vec<(&str, &str)> = postings
        .iter()
        .map(|(f, (p, _))| (f.as_str(), p.as_str()))
        .collect();
    forms.sort_unstable_by_key(|&(f, _)| f);
    let stems_of: Vec<String> = forms.iter().map(|(f, _)| lang.stem(f)).collect();
    let stems: BTreeSet<&str> = stems_of.iter().map(String::as_str).collect();
    let stem_ids: HashMap<&str, u64> = stems.iter().zip(0u64..).map(|(s, i)| (*s, i)).collect();
    let mut sid = String::new();
    for s in &stems_of {
        push_vlq(&mut sid, stem_ids.get(s.as_str()).copied().unwrap_or(0));
    }
    let post = forms.iter().map(|&(_, p)| p).collect();
    let out = LangOut {
        stop: lang.stop,
        steps: lang.steps,
        forms: forms.into_iter().map(|(f, _)| f).collect(),
        stems: stems.into_iter().map(str::to_string).collect(),
        sid,
    };
    (out, post)
}

/// A page in the index: title, URL, flags, `[anchor, heading]` of each chunk after the first.
type PageOut<'a> = (&'a str, &'a str, u8, Vec<(&'a str, &'a str)>);

/// A language in the index, before its `post` array (written in parts).
#[derive(Serialize)]
struct LangOut<'a> {
    stop: &'static [&'static str],
    steps: &'static [&'static [Rule]],
    forms: Vec<&'a str>,
    stems: Vec<String>,
    sid: String,
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

    fn page<'a>(title: &'a str, chunks: &[(&'a str, &'a str, &'a str)]) -> PageEntry<'a> {
        PageEntry {
            title,
            url: "p.html",
            lang: "fr".into(),
            worksheet: false,
            chunks: chunks
                .iter()
                .map(|&(anchor, heading, text)| Chunk {
                    anchor,
                    heading,
                    text: text.into(),
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
        let get = |form: &str| -> Option<Vec<(u32, u8)>> {
            w.iter().find(|(f, _)| *f == form).map(|(_, c)| c.collect())
        };
        assert_eq!(get("ecoute").unwrap(), [(0, IN_TITLE), (1, IN_TEXT)]);
        assert_eq!(get("cadre").unwrap(), [(1, IN_HEADING | IN_TEXT)]);
        assert!(get("les").is_none() && get("le").is_none());
        let forms: Vec<&str> = w.iter().map(|(f, _)| f).collect();
        assert_eq!(forms, ["ecoute", "active", "ecouter", "autres", "cadre"]);
    }

    #[test]
    fn serialised_index_is_a_script_with_sorted_forms() {
        let pages = vec![
            page("Écoute", &[("", "", "Texte")]),
            page("Cadre", &[("", "", ""), ("a", "Écoute", "x\u{2028}y")]),
        ];
        let mut postings = Postings::default();
        for p in &pages {
            postings.add(p, &page_words(p, &stem::FRENCH));
        }
        let js = serialise(postings).expect("in memory");
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

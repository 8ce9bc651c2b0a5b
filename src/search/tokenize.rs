//! Text → search words: accent folding, lower case, splitting.
//!
//! `search.js` applies exactly the same rules to what the reader types, with the
//! fold table this module writes into the index ([`fold_table`]), so that
//! "Écoute", "ecoute" and "ÉCOUTE" all become `ecoute` on both sides.
//!
//! The rules, in order, for every character `c` of the text:
//! 1. if `c` is in the fold table (Latin letters with accents, ligatures,
//!    combining accents), its replacement is appended to the current word
//!    (combining accents are replaced by nothing, so decomposed "é" folds too);
//! 2. else if `c` is alphanumeric, its lower case is appended;
//! 3. else the current word ends.
//!
//! Each word is then split again on any non-alphanumeric character a replacement
//! may hold, cut to [`MAX_WORD`] characters, and kept when it has at least two
//! characters or is a single digit.

/// Longest word kept, in characters; longer ones are cut (on both sides, so
/// they still match).
pub const MAX_WORD: usize = 32;

/// Character ranges folded to ASCII with `deunicode`; other characters are only
/// lower-cased, so that non-Latin scripts stay searchable as typed.
const FOLD_RANGES: &[(u32, u32)] = &[
    (0x00A0, 0x024F), // Latin-1 Supplement, Latin Extended-A and -B
    (0x0300, 0x036F), // combining accents (decomposed text)
    (0x1E00, 0x1EFF), // Latin Extended Additional
    (0xFB00, 0xFB06), // Latin ligatures (ﬁ, ﬂ…)
];

fn is_combining_accent(c: char) -> bool {
    ('\u{0300}'..='\u{036F}').contains(&c)
}

/// The replacement of `c` if it is in the fold table: ASCII, possibly upper-case
/// (callers lower-case it), or empty for combining accents.
pub fn fold_char(c: char) -> Option<&'static str> {
    let cp = c as u32;
    if cp < 0xA0 || !FOLD_RANGES.iter().any(|&(a, b)| (a..=b).contains(&cp)) {
        return None;
    }
    if is_combining_accent(c) {
        return Some("");
    }
    if !c.is_alphanumeric() {
        return None;
    }
    Some(deunicode::deunicode_char(c).unwrap_or(""))
}

/// The first code point of the first fold range.
const LATIN_START: u32 = FOLD_RANGES[0].0;

/// General Punctuation (spaces, dashes, quotes, `’`): no letter or digit.
const GENERAL_PUNCTUATION: std::ops::RangeInclusive<u32> = 0x2000..=0x206F;

/// [`fold_char`] of each character of the first fold range (Latin-1 Supplement,
/// Latin Extended-A and -B), in lower case: `None` for the characters that
/// are neither letters nor digits.
fn latin() -> &'static [Option<String>] {
    static TABLE: std::sync::OnceLock<Vec<Option<String>>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let (start, end) = FOLD_RANGES[0];
        (start..=end)
            .map(|cp| {
                char::from_u32(cp)
                    .and_then(fold_char)
                    .map(str::to_ascii_lowercase)
            })
            .collect()
    })
}

/// Every entry of the fold table in code-point order: `(character, replacement)`,
/// replacements in lower case. Written into the index for `search.js`.
pub fn fold_table() -> Vec<(char, String)> {
    FOLD_RANGES
        .iter()
        .flat_map(|&(a, b)| a..=b)
        .filter_map(char::from_u32)
        .filter_map(|c| fold_char(c).map(|r| (c, r.to_ascii_lowercase())))
        .collect()
}

/// What an ASCII byte is to the tokenizer: [`LOWER`] (a lower-case letter or a
/// digit), [`UPPER`], or 0 (it ends a word); non-ASCII bytes are [`OTHER`].
const CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        t[i] = if b.is_ascii_lowercase() || b.is_ascii_digit() {
            LOWER
        } else if b.is_ascii_uppercase() {
            UPPER
        } else if !b.is_ascii() {
            OTHER
        } else {
            0
        };
        i += 1;
    }
    t
};
const LOWER: u8 = 1;
const UPPER: u8 = 2;
const OTHER: u8 = 4;

/// Calls `emit` with each search word of `text`, in order.
pub fn for_each_word(text: &str, mut emit: impl FnMut(&str)) {
    let mut word = Word::default();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let class = CLASS[usize::from(bytes[i])];
        if class != OTHER {
            // Fast path: most of the text is ASCII, and most words are one run
            // of ASCII letters and digits.
            if class == 0 {
                word.flush(&mut emit);
                i += 1;
                continue;
            }
            let start = i;
            let mut seen = 0;
            while let Some(&b) = bytes.get(i) {
                let c = CLASS[usize::from(b)];
                if c & (LOWER | UPPER) == 0 {
                    break;
                }
                seen |= c;
                i += 1;
            }
            let run = &text[start..i];
            if word.buf.is_empty() && seen == LOWER && bytes.get(i).is_none_or(u8::is_ascii) {
                // A whole word already in lower case: emitted where it lies.
                emit_part(run, &mut emit);
            } else {
                word.buf
                    .extend(run.bytes().map(|x| char::from(x.to_ascii_lowercase())));
            }
            continue;
        }
        let Some(c) = text.get(i..).and_then(|rest| rest.chars().next()) else {
            break;
        };
        i += c.len_utf8();
        word.add(c, &mut emit);
    }
    word.flush(&mut emit);
}

/// The search words of `text`, in order.
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_word(text, |w| out.push(w.to_string()));
    out
}

/// The word being read; `plain` while it holds only alphanumeric characters
/// (else it must be split again when it ends).
struct Word {
    buf: String,
    plain: bool,
}

impl Default for Word {
    fn default() -> Self {
        Self {
            buf: String::with_capacity(32),
            plain: true,
        }
    }
}

impl Word {
    /// Rules 1 to 3 of the module's documentation for one character.
    fn add(&mut self, c: char, emit: &mut impl FnMut(&str)) {
        let cp = c as u32;
        if let Some(folded) = cp
            .checked_sub(LATIN_START)
            .and_then(|i| latin().get(i as usize))
        {
            // Most accented letters of European text: rule 1 looked up.
            match folded {
                Some(r) => {
                    for x in r.bytes() {
                        self.plain &= x.is_ascii_alphanumeric();
                        self.buf.push(char::from(x));
                    }
                }
                None => self.flush(emit),
            }
            return;
        }
        if GENERAL_PUNCTUATION.contains(&cp) {
            // Neither letters nor digits (a test checks): French text's ’ and
            // non-breaking spaces end words without a lookup.
            self.flush(emit);
            return;
        }
        self.add_by_rule(c, emit);
    }

    /// Rules 1 to 3, computed.
    fn add_by_rule(&mut self, c: char, emit: &mut impl FnMut(&str)) {
        if let Some(r) = fold_char(c) {
            for x in r.chars() {
                self.plain &= x.is_ascii_alphanumeric();
                self.buf.push(x.to_ascii_lowercase());
            }
        } else if c.is_alphanumeric() {
            for x in c.to_lowercase() {
                self.plain &= x.is_alphanumeric();
                self.buf.push(x);
            }
        } else {
            self.flush(emit);
        }
    }

    fn flush(&mut self, emit: &mut impl FnMut(&str)) {
        if self.buf.is_empty() {
            return;
        }
        if self.plain {
            emit_part(&self.buf, emit);
        } else {
            for part in self.buf.split(|c: char| !c.is_alphanumeric()) {
                emit_part(part, emit);
            }
        }
        self.buf.clear();
        self.plain = true;
    }
}

fn emit_part(part: &str, emit: &mut impl FnMut(&str)) {
    let part = if part.len() <= MAX_WORD {
        part
    } else {
        match part.char_indices().nth(MAX_WORD) {
            Some((i, _)) => &part[..i],
            None => part,
        }
    };
    let keep = match part.len() {
        0 => false,
        1 => part.as_bytes()[0].is_ascii_digit(),
        _ => part.chars().nth(1).is_some(),
    };
    if keep {
        emit(part);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_accents_and_case() {
        assert_eq!(words("Écoute ACTIVE"), ["ecoute", "active"]);
        assert_eq!(words("confidentialité"), ["confidentialite"]);
        assert_eq!(words("mentorées, mentoré"), ["mentorees", "mentore"]);
        assert_eq!(words("Œuvre cœur"), ["oeuvre", "coeur"]);
        assert_eq!(words("ça Ça"), ["ca", "ca"]);
        assert_eq!(words("Straße"), ["strasse"]);
    }

    #[test]
    fn decomposed_accents_fold_like_composed_ones() {
        assert_eq!(words("e\u{301}coute"), ["ecoute"]);
        assert_eq!(words("E\u{301}COUTE"), ["ecoute"]);
    }

    #[test]
    fn splits_on_punctuation_and_elisions() {
        assert_eq!(words("l'écoute"), ["ecoute"]);
        assert_eq!(words("l’écoute, d’abord !"), ["ecoute", "abord"]);
        assert_eq!(words("mentoré·e·s"), ["mentore"]);
        assert_eq!(words("bien-être"), ["bien", "etre"]);
        assert_eq!(
            words("<img src=x onerror=alert(1)>"),
            ["img", "src", "onerror", "alert", "1"]
        );
    }

    #[test]
    fn keeps_digits_and_drops_single_letters() {
        assert_eq!(words("Séance 3 : à 2024"), ["seance", "3", "2024"]);
        assert_eq!(words("a b c"), Vec::<String>::new());
    }

    #[test]
    fn other_scripts_are_lower_cased_only() {
        assert_eq!(words("Привет мир"), ["привет", "мир"]);
        assert_eq!(words("ΣΟΦΙΑ"), ["σοφια"]);
        assert_eq!(words("日本語"), ["日本語"]);
    }

    /// The rule character by character, as the module's documentation says:
    /// what the fast path must equal.
    fn reference(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut word = Word::default();
        let mut emit = |w: &str| out.push(w.to_string());
        for c in text.chars() {
            word.add(c, &mut emit);
        }
        word.flush(&mut emit);
        out
    }

    /// Every character up to U+3100, inside a word and alone, read through the
    /// tables as by the rules computed.
    #[test]
    fn the_tables_equal_the_rules() {
        assert_eq!(FOLD_RANGES[0].0, LATIN_START);
        for cp in 0..0x3100u32 {
            let Some(c) = char::from_u32(cp) else {
                continue;
            };
            if GENERAL_PUNCTUATION.contains(&cp) {
                assert!(!c.is_alphanumeric() && fold_char(c).is_none(), "{c:?}");
            }
            for text in [format!("ab{c}cd"), c.to_string(), format!("{c}{c}")] {
                let (mut fast, mut slow) = (Vec::new(), Vec::new());
                let (mut a, mut b) = (Word::default(), Word::default());
                let mut fast_emit = |w: &str| fast.push(w.to_string());
                let mut slow_emit = |w: &str| slow.push(w.to_string());
                for x in text.chars() {
                    a.add(x, &mut fast_emit);
                    b.add_by_rule(x, &mut slow_emit);
                }
                a.flush(&mut fast_emit);
                b.flush(&mut slow_emit);
                assert_eq!(fast, slow, "U+{cp:04X} in {text:?}");
            }
        }
    }

    #[test]
    fn the_fast_path_equals_the_rule() {
        for t in [
            "Écoute ACTIVE, écoute active : l'écoute",
            "abcé déf ghÏ jKl 2024é é2024 xÉy",
            "MiXeD case words and UPPER ones",
            "café-crème CAFÉ naïve coöperate",
            "ﬁnance ﬂux œuvre Œuvre ŒUVRE",
            "e\u{301}coute E\u{301}COUTE",
            "Привет мир ΣΟΦΙΑ 日本語 abc日本語 日本語abc",
            "x y z 1 22 333 a1b2c3 A1B2C3",
            "mentoré·e·s bien-être l’écoute d’abord",
            &"ab".repeat(40),
            &"Ab".repeat(40),
            &format!("{}é", "a".repeat(40)),
            "",
            " ",
            "trailing é",
            "é",
        ] {
            assert_eq!(words(t), reference(t), "{t:?}");
        }
    }

    #[test]
    fn long_words_are_cut_and_odd_input_does_not_panic() {
        let long = "a".repeat(1000);
        assert_eq!(words(&long), ["a".repeat(MAX_WORD)]);
        let weird = "\u{0}\u{feff}\u{200b}🙂 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 \u{301}\u{301} ﬁn";
        let w = words(weird);
        assert!(w.contains(&"fin".to_string()), "{w:?}");
        assert!(words("").is_empty());
    }

    #[test]
    fn fold_table_is_lower_ascii_or_empty() {
        let table = fold_table();
        assert!(table.len() > 500, "{}", table.len());
        for (c, r) in &table {
            assert!(
                r.chars().all(|x| x.is_ascii() && !x.is_ascii_uppercase()),
                "{c:?} → {r:?}"
            );
        }
        assert!(table.iter().any(|(c, r)| *c == 'é' && r == "e"));
        assert!(table.iter().any(|(c, r)| *c == 'œ' && r == "oe"));
    }
}

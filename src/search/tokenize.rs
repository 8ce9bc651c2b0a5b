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

/// Calls `emit` with each search word of `text`, in order.
pub fn for_each_word(text: &str, mut emit: impl FnMut(&str)) {
    let mut word = Word::default();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii() {
            // Fast path: most of the text is ASCII, and most words are one run
            // of ASCII letters and digits.
            if !b.is_ascii_alphanumeric() {
                word.flush(&mut emit);
                i += 1;
                continue;
            }
            let start = i;
            let mut upper = false;
            while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
                upper |= bytes[i].is_ascii_uppercase();
                i += 1;
            }
            let run = &text[start..i];
            if word.buf.is_empty() && !upper && bytes.get(i).is_none_or(u8::is_ascii) {
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

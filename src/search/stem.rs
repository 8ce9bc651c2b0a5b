//! Light stemmers for folded words (French and English), written as data.
//!
//! Why not Snowball: its French algorithm expects accented words (`é`, `ée`, `ées`
//! are verb endings there), but the index must fold accents *before* stemming so
//! that what people type without accents meets the text. Snowball on folded
//! words leaves `mentorees` → `mentore` while `mentore` → `mentor`, exactly the
//! case HR users hit. These rules are designed for folded words instead.
//!
//! A stemmer is a list of steps; each step is a list of [`Rule`]s tried in
//! order, and the first rule whose suffix ends the word, leaving at least `min`
//! characters before it, replaces that suffix and ends the step. Only words made
//! of the letters `a`–`z` are stemmed. The rules travel in the index, and
//! `search.js` runs the very same loop on what is typed, so both sides agree by
//! construction (a browser test checks it on every word of the sample).

/// One suffix rule: replace `suffix` by `with` when at least `min` characters precede it.
pub type Rule = (&'static str, &'static str, usize);

/// The search rules of one language: stop words and stemming steps.
#[derive(Debug, Clone, Copy)]
pub struct Language {
    /// Words left out of the index and of queries (folded).
    pub stop: &'static [&'static str],
    /// The same words as [`stop_key`]s, sorted: what [`Language::is_stop`] searches
    /// (an integer compare per probe instead of a string compare per probe; it is
    /// asked once for every word of every page).
    pub stop_keys: &'static [u64],
    /// Stemming steps, applied in order.
    pub steps: &'static [&'static [Rule]],
}

const FR_PLURAL: &[Rule] = &[
    ("eaux", "eau", 1),
    ("aux", "al", 2),
    ("eux", "eu", 1),
    ("oux", "ou", 1),
    ("ss", "ss", 0),
    ("s", "", 2),
];

const FR_SUFFIX: &[Rule] = &[
    ("issement", "", 3),
    ("ellement", "el", 3),
    ("ement", "", 3),
    ("atrice", "", 3),
    ("ateur", "", 3),
    ("ation", "", 3),
    ("ition", "", 3),
    ("aient", "", 3),
    ("euse", "eu", 2),
    ("ance", "", 4),
    ("ence", "", 4),
    ("elle", "el", 2),
    ("enne", "en", 2),
    ("ette", "et", 2),
    ("ite", "", 4),
    ("ive", "iv", 2),
    ("ere", "", 3),
    ("eur", "", 3),
    ("ant", "", 4),
    ("ent", "", 4),
    ("ait", "", 3),
    ("ee", "", 3),
    ("ez", "", 3),
    ("er", "", 3),
    ("ir", "", 3),
    ("if", "iv", 2),
    ("e", "", 3),
    ("i", "", 3),
];

const FR_STOP: &[&str] = &[
    "au", "aux", "avec", "ce", "ces", "cette", "dans", "de", "des", "du", "elle", "elles", "en",
    "est", "et", "eux", "il", "ils", "je", "la", "le", "les", "leur", "leurs", "lui", "ma", "mais",
    "me", "mes", "moi", "mon", "ne", "nos", "notre", "nous", "on", "ou", "par", "pas", "pour",
    "qu", "que", "qui", "sa", "se", "ses", "si", "son", "sont", "sur", "ta", "te", "tes", "toi",
    "ton", "tu", "un", "une", "vos", "votre", "vous",
];

/// Longest stop word, in bytes: every one fits a [`stop_key`].
pub const STOP_MAX: usize = 6;

/// A word of at most [`STOP_MAX`] bytes as one integer: its bytes, big-endian,
/// and its length in the lowest byte (so that keys differ as the words do).
pub const fn stop_key(word: &[u8]) -> u64 {
    let mut key = 0u64;
    let mut i = 0;
    while i < STOP_MAX {
        key <<= 8;
        if i < word.len() {
            key |= word[i] as u64;
        }
        i += 1;
    }
    (key << 8) | word.len() as u64
}

/// The [`stop_key`]s of `words`, sorted.
const fn stop_keys<const N: usize>(words: &[&str]) -> [u64; N] {
    let mut keys = [0u64; N];
    let mut i = 0;
    while i < N {
        keys[i] = stop_key(words[i].as_bytes());
        i += 1;
    }
    // Insertion sort: a few dozen keys, once, at compile time.
    let mut i = 1;
    while i < N {
        let mut j = i;
        while j > 0 && keys[j - 1] > keys[j] {
            let t = keys[j];
            keys[j] = keys[j - 1];
            keys[j - 1] = t;
            j -= 1;
        }
        i += 1;
    }
    keys
}

const FR_STOP_KEYS: [u64; FR_STOP.len()] = stop_keys(FR_STOP);

const EN_PLURAL: &[Rule] = &[
    ("sses", "ss", 0),
    ("ies", "y", 2),
    ("ss", "ss", 0),
    ("us", "us", 0),
    ("is", "is", 0),
    ("s", "", 3),
];

const EN_SUFFIX: &[Rule] = &[("ing", "", 3), ("ed", "", 3), ("ly", "", 4)];

const EN_FINAL_E: &[Rule] = &[("e", "", 3)];

const EN_STOP: &[&str] = &[
    "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it", "no",
    "not", "of", "on", "or", "such", "that", "the", "their", "then", "there", "these", "they",
    "this", "to", "was", "will", "with",
];

const EN_STOP_KEYS: [u64; EN_STOP.len()] = stop_keys(EN_STOP);

/// French: plurals, feminines, common noun, adjective and verb endings.
pub const FRENCH: Language = Language {
    stop: FR_STOP,
    stop_keys: &FR_STOP_KEYS,
    steps: &[FR_PLURAL, FR_SUFFIX],
};

/// English: plurals, `-ing`, `-ed`, `-ly`, final `e`.
pub const ENGLISH: Language = Language {
    stop: EN_STOP,
    stop_keys: &EN_STOP_KEYS,
    steps: &[EN_PLURAL, EN_SUFFIX, EN_FINAL_E],
};

/// No stemming and no stop words (languages without rules yet).
pub const PLAIN: Language = Language {
    stop: &[],
    stop_keys: &[],
    steps: &[],
};

/// The base language of a language tag: `fr-CA` → `fr`, `EN_gb` → `en`.
pub fn base_lang(tag: &str) -> String {
    let base = tag.split(['-', '_']).next().unwrap_or(tag).trim();
    if base.is_empty() {
        "und".into()
    } else {
        base.to_ascii_lowercase()
    }
}

/// The rules for a base language.
pub fn language(base: &str) -> Language {
    match base {
        "fr" => FRENCH,
        "en" => ENGLISH,
        _ => PLAIN,
    }
}

impl Language {
    /// Whether `word` (folded) is a stop word.
    pub fn is_stop(&self, word: &str) -> bool {
        word.len() <= STOP_MAX
            && self
                .stop_keys
                .binary_search(&stop_key(word.as_bytes()))
                .is_ok()
    }

    /// The stem of a folded word.
    pub fn stem(&self, word: &str) -> String {
        let mut w = word.to_string();
        if !w.bytes().all(|b| b.is_ascii_lowercase()) {
            return w;
        }
        for step in self.steps {
            for &(suffix, with, min) in *step {
                if w.len() >= suffix.len() + min && w.ends_with(suffix) {
                    w.truncate(w.len() - suffix.len());
                    w.push_str(with);
                    break;
                }
            }
        }
        w
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same_stem(lang: Language, words: &[&str]) {
        let stems: Vec<String> = words.iter().map(|w| lang.stem(w)).collect();
        assert!(
            stems.windows(2).all(|p| p[0] == p[1]),
            "{words:?} → {stems:?}"
        );
    }

    #[test]
    fn french_inflections_meet() {
        same_stem(
            FRENCH,
            &[
                "mentor",
                "mentors",
                "mentore",
                "mentores",
                "mentoree",
                "mentorees",
            ],
        );
        same_stem(
            FRENCH,
            &[
                "ecoute", "ecoutes", "ecouter", "ecoutez", "ecoutent", "ecoutant",
            ],
        );
        same_stem(FRENCH, &["confidentialite", "confidentialites"]);
        same_stem(FRENCH, &["confidentiel", "confidentielle", "confidentiels"]);
        same_stem(
            FRENCH,
            &["accompagnement", "accompagner", "accompagne", "accompagnee"],
        );
        same_stem(FRENCH, &["actif", "active", "actives", "activement"]);
        same_stem(FRENCH, &["premier", "premiere", "premieres"]);
        same_stem(FRENCH, &["seance", "seances"]);
        same_stem(FRENCH, &["objectif", "objectifs", "objective"]);
        same_stem(
            FRENCH,
            &[
                "formation",
                "formations",
                "former",
                "formateur",
                "formatrice",
            ],
        );
        same_stem(FRENCH, &["reussir", "reussite", "reussi"]);
        same_stem(FRENCH, &["heureux", "heureuse", "heureuses"]);
        same_stem(FRENCH, &["journal", "journaux"]);
        same_stem(FRENCH, &["bureau", "bureaux"]);
    }

    #[test]
    fn french_keeps_short_and_distinct_words_apart() {
        assert_eq!(FRENCH.stem("coaching"), "coaching");
        assert_eq!(FRENCH.stem("mentorat"), "mentorat");
        assert_ne!(FRENCH.stem("mentorat"), FRENCH.stem("mentor"));
        assert_eq!(FRENCH.stem("stress"), "stress");
        assert_eq!(FRENCH.stem("idee"), FRENCH.stem("idees"));
        assert_eq!(FRENCH.stem("client"), "client");
        assert_eq!(FRENCH.stem("si"), "si");
        assert_eq!(FRENCH.stem(""), "");
    }

    #[test]
    fn only_plain_letters_are_stemmed() {
        assert_eq!(FRENCH.stem("2024"), "2024");
        assert_eq!(FRENCH.stem("covid19"), "covid19");
        assert_eq!(FRENCH.stem("привет"), "привет");
    }

    #[test]
    fn english_inflections_meet() {
        same_stem(ENGLISH, &["coach", "coaches", "coaching", "coached"]);
        same_stem(ENGLISH, &["listen", "listens", "listening", "listened"]);
        same_stem(ENGLISH, &["mentee", "mentees"]);
        same_stem(ENGLISH, &["study", "studies"]);
        same_stem(ENGLISH, &["active", "actively"]);
        assert_eq!(ENGLISH.stem("process"), "process");
    }

    #[test]
    fn languages_by_tag() {
        assert_eq!(base_lang("fr-CA"), "fr");
        assert_eq!(base_lang("EN_gb"), "en");
        assert_eq!(base_lang(""), "und");
        assert!(language("de").steps.is_empty());
        assert!(FRENCH.is_stop("les") && !FRENCH.is_stop("mentor"));
    }

    #[test]
    fn stop_words_are_folded_sorted_and_short() {
        for lang in [FRENCH, ENGLISH] {
            for w in lang.stop {
                assert_eq!(crate::search::tokenize::words(w), [*w]);
                assert!(w.len() <= STOP_MAX, "{w} is longer than `is_stop` expects");
                assert!(lang.is_stop(w), "{w}");
            }
            assert_eq!(lang.stop_keys.len(), lang.stop.len());
            for w in ["", "a", "mentor", "leurss", "th", "thes", "ceux", "é"] {
                assert_eq!(lang.is_stop(w), lang.stop.contains(&w), "{w}");
            }
            assert!(
                lang.stop.windows(2).all(|p| p[0] < p[1]),
                "sorted, no duplicates"
            );
        }
    }
}

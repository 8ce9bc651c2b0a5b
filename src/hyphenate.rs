//! Hyphenation at build time: soft hyphens (U+00AD) between the syllables of
//! the long words of short texts that print in narrow places — table headings
//! and the narrow columns of worksheet blocks — with the French and English
//! patterns of the `hypher` crate. A browser then breaks such a word only
//! there, and shows a hyphen where it does; the print style never breaks a
//! word anywhere else.

/// U+00AD SOFT HYPHEN.
pub const SOFT_HYPHEN: char = '\u{AD}';

/// Words shorter than this (in letters) are never hyphenated.
const MIN_WORD: usize = 7;
/// Letters kept together at the start and at the end of a word.
const MIN_LEFT: usize = 3;
/// See [`MIN_LEFT`].
const MIN_RIGHT: usize = 3;
/// Longer words (in bytes) are left alone: no real word is that long.
const MAX_WORD: usize = 64;

/// The hyphenation patterns of a language, when there are any.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Hyphenation {
    /// No patterns: text is left as it is.
    #[default]
    None,
    /// French patterns.
    French,
    /// English patterns.
    English,
}

impl Hyphenation {
    /// The patterns for a language code (`fr`, `fr-CA`, `en`, `en-GB`…).
    pub fn for_lang(code: &str) -> Self {
        match code
            .split(['-', '_'])
            .next()
            .unwrap_or(code)
            .to_ascii_lowercase()
            .as_str()
        {
            "fr" => Hyphenation::French,
            "en" => Hyphenation::English,
            _ => Hyphenation::None,
        }
    }

    fn lang(self) -> Option<hypher::Lang> {
        match self {
            Hyphenation::None => None,
            Hyphenation::French => Some(hypher::Lang::French),
            Hyphenation::English => Some(hypher::Lang::English),
        }
    }

    /// `text` with soft hyphens between the syllables of its long words
    /// (unchanged without patterns, or when it has soft hyphens already).
    pub fn apply(self, text: &str) -> String {
        let Some(lang) = self.lang() else {
            return text.to_string();
        };
        if text.contains(SOFT_HYPHEN) {
            return text.to_string();
        }
        let mut out = String::with_capacity(text.len() + text.len() / 4);
        let mut word_start: Option<usize> = None;
        for (i, c) in text.char_indices() {
            if c.is_alphabetic() {
                word_start.get_or_insert(i);
                continue;
            }
            if let Some(s) = word_start.take() {
                push_word(&text[s..i], lang, &mut out);
            }
            out.push(c);
        }
        if let Some(s) = word_start {
            push_word(&text[s..], lang, &mut out);
        }
        out
    }
}

/// Appends one word, with soft hyphens between its syllables when it is long.
fn push_word(word: &str, lang: hypher::Lang, out: &mut String) {
    if word.chars().count() < MIN_WORD || word.len() > MAX_WORD {
        out.push_str(word);
        return;
    }
    for (k, syllable) in hypher::hyphenate_bounded(word, lang, MIN_LEFT, MIN_RIGHT).enumerate() {
        if k > 0 {
            out.push(SOFT_HYPHEN);
        }
        out.push_str(syllable);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(s: &str) -> String {
        s.replace(SOFT_HYPHEN, "-")
    }

    #[test]
    fn french_and_english_words_get_soft_hyphens() {
        let fr = Hyphenation::for_lang("fr");
        assert_eq!(
            shown(&fr.apply("Complémentarités")),
            "Com-plé-men-ta-ri-tés"
        );
        assert_eq!(shown(&fr.apply("Disponibilités")), "Dis-po-ni-bi-li-tés");
        assert_eq!(
            shown(&Hyphenation::for_lang("en-GB").apply("Responsibilities")),
            "Respon-si-bil-i-ties"
        );
    }

    #[test]
    fn short_words_punctuation_and_other_languages_are_kept() {
        let fr = Hyphenation::French;
        assert_eq!(fr.apply("Qui ? Quand ?"), "Qui ? Quand ?");
        assert_eq!(
            shown(&fr.apply("(Parcours, spécialités)")),
            "(Par-cours, spé-cia-li-tés)"
        );
        assert_eq!(
            Hyphenation::for_lang("de").apply("Verantwortlichkeiten"),
            "Verantwortlichkeiten"
        );
        let once = fr.apply("Engagements");
        assert_eq!(fr.apply(&once), once, "not twice");
        assert_eq!(fr.apply(""), "");
    }
}

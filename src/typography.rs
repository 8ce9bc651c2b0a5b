//! French typography: narrow no-break spaces before `; : ! ?` and inside « »,
//! applied to text only (never to code or raw HTML).

/// U+202F NARROW NO-BREAK SPACE.
pub const NNBSP: char = '\u{202F}';

/// Applies French spacing to a run of text, carrying the previous character across
/// inline markup (`*mot*?` still gets its space).
#[derive(Debug, Default)]
pub struct FrenchSpacer {
    prev: Option<char>,
}

impl FrenchSpacer {
    /// Forgets the previous character (call at block boundaries).
    pub fn reset(&mut self) {
        self.prev = None;
    }

    /// Notes that inline content that is not text (code, an image) came before.
    pub fn saw_other(&mut self) {
        self.prev = Some('x');
    }

    /// Returns the text with French spacing applied.
    pub fn apply(&mut self, text: &str) -> String {
        let mut out = String::with_capacity(text.len() + 8);
        let chars: Vec<char> = text.chars().collect();
        let mut prev = self.prev;
        for (i, &c) in chars.iter().enumerate() {
            let next = chars.get(i + 1).copied();
            let c = match c {
                '“' => '«',
                '”' => '»',
                other => other,
            };
            match c {
                ';' | '!' | '?' | ':' | '»' => {
                    if out.ends_with([' ', '\u{A0}']) {
                        out.pop();
                        out.push(NNBSP);
                    } else if needs_space_before(c, prev, next) {
                        out.push(NNBSP);
                    }
                    out.push(c);
                }
                ' ' | '\u{A0}' if prev == Some('«') => out.push(NNBSP),
                _ => {
                    if prev == Some('«') && !c.is_whitespace() && c != NNBSP {
                        out.push(NNBSP);
                    }
                    out.push(c);
                }
            }
            prev = Some(c);
        }
        self.prev = prev;
        out
    }
}

fn needs_space_before(c: char, prev: Option<char>, next: Option<char>) -> bool {
    let Some(p) = prev else { return false };
    if p == NNBSP || p.is_whitespace() {
        return false;
    }
    let word_before = p.is_alphanumeric() || matches!(p, ')' | '»' | '’' | '"' | '*' | '…' | '.');
    match c {
        '»' => true,
        ':' => p.is_alphabetic() && next.is_none_or(char::is_whitespace),
        _ => word_before && !matches!(p, ';' | '!' | '?' | ':'),
    }
}

/// Turns straight apostrophes between letters into typographic ones (`l'écoute` → `l’écoute`),
/// as smart punctuation does in page bodies.
pub fn curly_apostrophes(s: &str) -> String {
    if !s.contains('\'') {
        return s.to_string();
    }
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        let between_letters = i > 0
            && chars[i - 1].is_alphabetic()
            && chars.get(i + 1).is_some_and(|n| n.is_alphabetic());
        out.push(if c == '\'' && between_letters {
            '’'
        } else {
            c
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fr(s: &str) -> String {
        FrenchSpacer::default().apply(s).replace(NNBSP, "_")
    }

    #[test]
    fn replaces_or_inserts_narrow_spaces() {
        assert_eq!(
            fr("Pourquoi ? Parce que : voilà ; enfin !"),
            "Pourquoi_? Parce que_: voilà_; enfin_!"
        );
        assert_eq!(fr("Vraiment?!"), "Vraiment_?!");
        assert_eq!(fr("« Bonjour »"), "«_Bonjour_»");
        assert_eq!(fr("«Bonjour»"), "«_Bonjour_»");
        assert_eq!(fr("“Bonjour”"), "«_Bonjour_»");
    }

    #[test]
    fn apostrophes() {
        assert_eq!(
            curly_apostrophes("Qu'est-ce que l'écoute 'active'"),
            "Qu’est-ce que l’écoute 'active'"
        );
    }

    #[test]
    fn leaves_times_and_urls_alone() {
        assert_eq!(fr("à 10:30 sur http://x.org"), "à 10:30 sur http://x.org");
    }

    #[test]
    fn carries_context_across_events() {
        let mut s = FrenchSpacer::default();
        assert_eq!(s.apply("mot"), "mot");
        assert_eq!(s.apply("?").replace(NNBSP, "_"), "_?");
    }
}

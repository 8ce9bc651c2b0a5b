//! Typography of the text the tool prints: smart punctuation for plain texts
//! (front matter, configuration, UI strings), quotation marks by language, and
//! French spacing (narrow no-break spaces before `; : ! ?` and inside « »),
//! applied to text only (never to code or raw HTML).
//!
//! Quotation marks follow the language whatever `typography` says: « » in
//! French, “ ” elsewhere. `typography` decides the spacing only, so
//! `typography: none` on a French handbook keeps the spaces as typed but still
//! prints French quotation marks.

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
        let special = |c: char| matches!(c, ';' | '!' | '?' | ':' | '«' | '»' | '“' | '”');
        if self.prev != Some('«') && !may_need_spacing(text) {
            // Nothing to change: remember the last character and return the text as is.
            if let Some(last) = text.chars().next_back() {
                self.prev = Some(last);
            }
            return text.to_string();
        }
        let mut out = String::with_capacity(text.len() + 8);
        let mut prev = self.prev;
        let mut copied = 0;
        let mut from = 0;
        loop {
            // Skip the run of plain characters up to the next special one in one
            // go (after `«`, the very next character is looked at).
            let i = if prev == Some('«') {
                from
            } else {
                match next_special(text, from) {
                    Some(i) => {
                        if let Some(last) = text[from..i].chars().next_back() {
                            prev = Some(last);
                        }
                        i
                    }
                    None => {
                        if let Some(last) = text[from..].chars().next_back() {
                            prev = Some(last);
                        }
                        break;
                    }
                }
            };
            let Some(c) = text[i..].chars().next() else {
                break;
            };
            from = i + c.len_utf8();
            if !(special(c) || prev == Some('«')) {
                prev = Some(c);
                continue;
            }
            // Copy the untouched run before this character in one go.
            out.push_str(&text[copied..i]);
            copied = i + c.len_utf8();
            let next = text[from..].chars().next();
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
        out.push_str(&text[copied..]);
        self.prev = prev;
        out
    }

    /// Like [`FrenchSpacer::apply`], but `None` when the text needs no change.
    pub fn apply_if_changed(&mut self, text: &str) -> Option<String> {
        if self.prev != Some('«') && !may_need_spacing(text) {
            if let Some(last) = text.chars().next_back() {
                self.prev = Some(last);
            }
            return None;
        }
        let fixed = self.apply(text);
        (fixed != text).then_some(fixed)
    }
}

/// A fast byte scan: false when `text` has none of `; ! ? :` « » “ ”.
fn may_need_spacing(text: &str) -> bool {
    next_special(text, 0).is_some()
}

/// Where the next of `; ! ? :` « » “ ” is in `text` from byte `from` on (a
/// character boundary), by their UTF-8 bytes: `«` C2 AB, `»` C2 BB, `“` E2 80 9C,
/// `”` E2 80 9D. French text is full of `’` (E2 80 99) and accented letters,
/// which are skipped as bytes instead of decoded.
fn next_special(text: &str, from: usize) -> Option<usize> {
    /// The bytes that may start one of them.
    const LEAD: crate::text::ByteSet = crate::text::ByteSet::new(b";!?:\xC2\xE2");
    let b = text.as_bytes();
    let mut i = from;
    while i < b.len() {
        i = LEAD.find_from(b, i)?;
        match b[i] {
            b';' | b'!' | b'?' | b':' => return Some(i),
            0xC2 if matches!(b.get(i + 1), Some(0xAB | 0xBB)) => return Some(i),
            0xE2 if b.get(i + 1) == Some(&0x80) && matches!(b.get(i + 2), Some(0x9C | 0x9D)) => {
                return Some(i);
            }
            _ => {}
        }
        i += 1;
    }
    None
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

/// Applies to a plain text (a title, a description, an objective, a UI string)
/// what Markdown's smart punctuation and the typography pass do to page bodies:
/// straight quotes and apostrophes become curly ones, `...` an ellipsis, `--` and
/// `---` dashes; then, with `french_quotes`, “ ” become « »; with `french_spacing`,
/// narrow no-break spaces go before `; : ! ?` and inside « ».
pub fn display(s: &str, french_spacing: bool, french_quotes: bool) -> String {
    let smart = smart_punctuation(s);
    let quoted = if french_quotes && !french_spacing {
        french_quote_marks(&smart)
    } else {
        smart
    };
    if french_spacing {
        // The spacer turns “ ” into « » itself.
        FrenchSpacer::default().apply(&quoted)
    } else {
        quoted
    }
}

/// Turns “ ” into « » (French quotation marks), leaving spacing alone.
pub fn french_quote_marks(s: &str) -> String {
    if !s.contains(['“', '”']) {
        return s.to_string();
    }
    s.replace('“', "«").replace('”', "»")
}

/// Smart punctuation for a plain text, as pulldown-cmark does for Markdown:
/// `"a"` → `“a”`, `l'a` → `l’a`, `'a'` → `‘a’`, `...` → `…`, `--` → `–`, `---` → `—`.
pub fn smart_punctuation(s: &str) -> String {
    if !s.contains(['"', '\'', '.', '-']) {
        return s.to_string();
    }
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len() + 8);
    let mut i = 0;
    // An opening quote follows the start, a space or an opening bracket or quote.
    let opens = |prev: Option<&char>| {
        prev.is_none_or(|p| {
            p.is_whitespace() || matches!(p, '(' | '[' | '{' | '“' | '‘' | '«' | '—' | '–')
        })
    };
    while i < chars.len() {
        let c = chars[i];
        let prev = i.checked_sub(1).and_then(|p| chars.get(p));
        match c {
            '"' => out.push(if opens(prev) { '“' } else { '”' }),
            '\'' => out.push(if opens(prev) { '‘' } else { '’' }),
            '.' if chars.get(i + 1) == Some(&'.') && chars.get(i + 2) == Some(&'.') => {
                out.push('…');
                i += 2;
            }
            '-' if chars.get(i + 1) == Some(&'-') => {
                if chars.get(i + 2) == Some(&'-') {
                    out.push('—');
                    i += 2;
                } else {
                    out.push('–');
                    i += 1;
                }
            }
            other => out.push(other),
        }
        i += 1;
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
    fn plain_texts_get_smart_punctuation_by_language() {
        assert_eq!(
            smart_punctuation("Ce que j'attends -- \"vraiment\"..."),
            "Ce que j’attends – “vraiment”…"
        );
        assert_eq!(smart_punctuation("'tout' --- enfin"), "‘tout’ — enfin");
        assert_eq!(smart_punctuation("mentors' notes"), "mentors’ notes");
        assert_eq!(
            display("Qu'attendez-vous : \"le cadre\" ?", true, true).replace(NNBSP, "_"),
            "Qu’attendez-vous_: «_le cadre_»_?"
        );
        // `typography: none` in French: French quotes, spacing as typed.
        assert_eq!(display("\"le cadre\" ?", false, true), "«le cadre» ?");
        assert_eq!(display("\"the frame\"?", false, false), "“the frame”?");
        assert_eq!(display("a-b 10:30", true, true), "a-b 10:30");
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

    /// The spacing rule char by char (the loop before runs were skipped as bytes).
    fn reference(prev: &mut Option<char>, text: &str) -> String {
        let special = |c: char| matches!(c, ';' | '!' | '?' | ':' | '«' | '»' | '“' | '”');
        let mut out = String::new();
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            if !(special(c) || *prev == Some('«')) {
                *prev = Some(c);
                out.push(c);
                continue;
            }
            let next = chars.peek().copied();
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
                    } else if needs_space_before(c, *prev, next) {
                        out.push(NNBSP);
                    }
                    out.push(c);
                }
                ' ' | '\u{A0}' if *prev == Some('«') => out.push(NNBSP),
                _ => {
                    if *prev == Some('«') && !c.is_whitespace() && c != NNBSP {
                        out.push(NNBSP);
                    }
                    out.push(c);
                }
            }
            *prev = Some(c);
        }
        out
    }

    #[test]
    fn skipping_runs_as_bytes_changes_nothing() {
        let texts = [
            "Qu’est-ce que l’écoute ? Une « pratique » : écouter ; reformuler !",
            "“Bonjour”, dit-elle.",
            "«",
            " fin »",
            "é:é!é?é;",
            "mot*",
            "?! ?? :: ;;",
            "à 10:30 — l’heure’ «\u{A0}x\u{A0}»",
            "",
            "ok",
            "’’’’ ééé ‘’ “",
            ")» …? \"!",
        ];
        for a in texts {
            for b in texts {
                let mut spacer = FrenchSpacer::default();
                let mut prev = None;
                for t in [a, b] {
                    let want = reference(&mut prev, t);
                    let got = spacer.apply(t);
                    assert_eq!(got, want, "{a:?} then {b:?}");
                    assert_eq!(spacer.prev, prev, "{a:?} then {b:?}");
                }
            }
        }
    }
}

//! Text helpers shared by content and Markdown: accent folding, slugs, numeric
//! prefixes, byte sets for fast scans.

/// A set of bytes looked up by table: scans for a few kinds of byte (the start
/// of a construct, of a character to fix) test each byte once, not against
/// each kind in turn.
#[derive(Debug, Clone, Copy)]
pub struct ByteSet([bool; 256]);

impl ByteSet {
    /// The set of `bytes`.
    pub const fn new(bytes: &[u8]) -> Self {
        let mut t = [false; 256];
        let mut i = 0;
        while i < bytes.len() {
            t[bytes[i] as usize] = true;
            i += 1;
        }
        Self(t)
    }

    /// Whether `b` is in the set.
    pub fn contains(&self, b: u8) -> bool {
        self.0[usize::from(b)]
    }

    /// The index of the first byte of `bytes` at or after `from` that is in the set.
    pub fn find_from(&self, bytes: &[u8], from: usize) -> Option<usize> {
        let rest = bytes.get(from..)?;
        rest.iter()
            .position(|&b| self.contains(b))
            .map(|n| from + n)
    }
}

/// Folds accents and ligatures to ASCII (`Écoute` → `Ecoute`, `œuvre` → `oeuvre`).
pub fn fold(s: &str) -> String {
    deunicode::deunicode(s)
}

/// A URL- and id-safe slug: accents folded, lower-case, runs of other characters
/// turned into a single `-`, no leading or trailing `-`. Empty input gives an empty slug.
pub fn slugify(s: &str) -> String {
    let folded = fold(s);
    let mut out = String::with_capacity(folded.len());
    let mut dash = false;
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c.to_ascii_lowercase());
        } else {
            dash = true;
        }
    }
    out
}

/// Why `s` is no `YYYY-MM-DD` date, for a message: not written that way, or
/// written that way but a day the calendar lacks (`2027-02-30`).
pub fn date_problem(s: &str) -> String {
    let b = s.trim().as_bytes();
    let shaped = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        });
    if shaped {
        format!("`{s}` is no day of the calendar: check its month and day")
    } else {
        format!("`{s}` is not a date written YYYY-MM-DD")
    }
}

/// Splits a numeric ordering prefix from a file or folder name:
/// `02-posture` → `(Some(2), "posture")`. A name that is only digits keeps them.
pub fn split_numeric_prefix(name: &str) -> (Option<u64>, &str) {
    let digits = name.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 9 {
        return (None, name);
    }
    let rest = &name[digits..];
    match rest.as_bytes().first() {
        Some(b'-' | b'_' | b'.' | b' ') if rest.len() > 1 => {
            (name[..digits].parse().ok(), &rest[1..])
        }
        _ => (None, name),
    }
}

/// Escapes text for HTML content and double-quoted attribute values (`&`, `<`,
/// `>`, `"`), with the escaping pulldown-cmark's own HTML writer uses, so text
/// the tool writes and text the Markdown stage writes are escaped alike.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    // Writing into a `String` cannot fail.
    let _ = pulldown_cmark_escape::escape_html(&mut out, s);
    out
}

/// Turns a slug-like name into a readable title: `bien-demarrer` → `Bien demarrer`.
pub fn humanize(name: &str) -> String {
    let spaced: String = name
        .chars()
        .map(|c| if c == '-' || c == '_' { ' ' } else { c })
        .collect();
    let mut chars = spaced.trim().chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A line opening a fenced code block (three or more `` ` `` or `~`): the fence
/// character, its length, and the info string. `trimmed` has its indentation removed.
pub fn fence_open(trimmed: &str) -> Option<(char, usize, &str)> {
    for c in ['`', '~'] {
        let n = trimmed.chars().take_while(|&x| x == c).count();
        if n >= 3 {
            return Some((c, n, trimmed[n..].trim()));
        }
    }
    None
}

/// Whether `trimmed` closes a fence opened with `n` times `c`.
pub fn fence_closes(trimmed: &str, c: char, n: usize) -> bool {
    let run = trimmed.chars().take_while(|&x| x == c).count();
    run >= n && trimmed[run..].trim().is_empty()
}

/// Where each line of a page's text is in its file. Usually line `i` (0-based) of
/// the body is file line `first + i`; text included from another file (mdBook's
/// `{{#include}}`) shifts that, and the included lines are then reported at the
/// line of their `{{#include}}`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineMap {
    first: usize,
    map: Option<std::sync::Arc<[usize]>>,
    cols: Option<std::sync::Arc<[ColumnMap]>>,
}

impl LineMap {
    /// Lines that follow each other from file line `first`.
    pub fn new(first: usize) -> Self {
        Self {
            first,
            map: None,
            cols: None,
        }
    }

    /// Lines whose file lines are `map` (one per line of the text); past its
    /// end, lines follow the last one.
    pub fn with_map(first: usize, map: Vec<usize>) -> Self {
        Self {
            first,
            map: Some(map.into()),
            cols: None,
        }
    }

    /// [`LineMap::with_map`], the columns of each line mapped by `cols`.
    pub fn with_columns(first: usize, map: Vec<usize>, cols: Vec<ColumnMap>) -> Self {
        let any = cols.iter().any(|c| !c.0.is_empty());
        Self {
            first,
            map: Some(map.into()),
            cols: any.then(|| cols.into()),
        }
    }

    /// The file column of column `col` of line `i` (0-based) of the text.
    pub fn col(&self, i: usize, col: usize) -> usize {
        match self.cols.as_ref().and_then(|c| c.get(i)) {
            Some(m) => m.col(col),
            None => col,
        }
    }

    /// Whether the lines do not simply follow each other (text was included).
    pub fn is_mapped(&self) -> bool {
        self.map.is_some()
    }

    /// The file line of line `i` (0-based) of the text.
    pub fn line(&self, i: usize) -> usize {
        match &self.map {
            None => self.first + i,
            Some(m) => match m.get(i) {
                Some(&l) => l,
                None => m.last().map_or(self.first + i, |&l| l + 1 + i - m.len()),
            },
        }
    }

    /// The file line of the text's first line.
    pub fn first(&self) -> usize {
        self.line(0)
    }
}

/// A key that sorts titles as a reader expects: accents folded, case ignored,
/// and runs of digits by their value (`Séance 2` before `Séance 10`), each
/// written as its number of digits (on three places) and its digits.
pub fn natural_key(title: &str) -> String {
    let folded = fold(title).to_lowercase();
    let mut key = String::with_capacity(folded.len() + 8);
    let mut digits = String::new();
    let flush = |digits: &mut String, key: &mut String| {
        if !digits.is_empty() {
            let value = digits.trim_start_matches('0');
            let value = if value.is_empty() { "0" } else { value };
            key.push_str(&format!("{:03}", value.len().min(999)));
            key.push_str(value);
            digits.clear();
        }
    };
    for c in folded.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
        } else {
            flush(&mut digits, &mut key);
            key.push(c);
        }
    }
    flush(&mut digits, &mut key);
    key
}

/// At most the first `n` bytes of `s`, cut at a character boundary: where a
/// scanner looks for the end of a construct that is short, so that a line of
/// unclosed openings is read in linear work.
pub fn window(s: &str, n: usize) -> &str {
    &s[..crate::diagnostic::floor_char_boundary(s, n)]
}

/// Where the lines of a text start, to turn byte offsets into line and column
/// by binary search. The last offset located is kept (its line's start, itself,
/// its column): the next one on the same line counts characters from there, so
/// many constructs reported on one long line stay linear.
#[derive(Debug)]
pub struct LineStarts {
    starts: Vec<usize>,
    last: std::cell::Cell<(usize, usize, usize)>,
}

impl LineStarts {
    /// The line starts of `text`.
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineStarts {
            starts,
            last: std::cell::Cell::new((0, 0, 1)),
        }
    }

    /// Line and column (both from 1; the column counts characters) of `at` in
    /// `text`, the text these starts are of.
    pub fn locate(&self, text: &str, at: usize) -> (usize, usize) {
        let line = self.starts.partition_point(|&s| s <= at).max(1);
        let start = self.starts[line - 1];
        let end = crate::diagnostic::floor_char_boundary(text, at).max(start);
        let (last_start, last_end, last_col) = self.last.get();
        let (from, col) = if last_start == start && last_end <= end {
            (last_end, last_col)
        } else {
            (start, 1)
        };
        let col = col + text.get(from..end).map_or(0, |s| s.chars().count());
        self.last.set((start, end, col));
        (line, col)
    }
}

/// Where the columns of one line of a text come from in its file, when text was
/// put in it (an inline `{{#include}}`): pieces `(column in the line, column in
/// the file, included)`, in order; a column in an included piece is reported at
/// its directive. Empty: the line is the file's, column for column.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ColumnMap(Vec<(usize, usize, bool)>);

impl ColumnMap {
    /// The map of these pieces.
    pub fn new(pieces: Vec<(usize, usize, bool)>) -> Self {
        Self(pieces)
    }

    /// The file column of column `col` of the line.
    pub fn col(&self, col: usize) -> usize {
        match self.0.iter().rev().find(|p| p.0 <= col) {
            None => col,
            Some(&(_, file, true)) => file,
            Some(&(at, file, false)) => file + (col - at),
        }
    }
}

/// Columns (1-based, in characters) of byte offsets in one line, asked in
/// increasing order: each call counts only the characters since the previous
/// one, so reporting many constructs on a long line stays linear.
#[derive(Debug, Clone)]
pub struct Columns<'a> {
    line: &'a str,
    byte: usize,
    col: usize,
}

impl<'a> Columns<'a> {
    /// Columns of `line`.
    pub fn new(line: &'a str) -> Self {
        Self {
            line,
            byte: 0,
            col: 1,
        }
    }

    /// The column of byte offset `at` (rounded down to a character boundary);
    /// an offset before the previous one counts again from the line's start.
    pub fn at(&mut self, at: usize) -> usize {
        let at = crate::diagnostic::floor_char_boundary(self.line, at.min(self.line.len()));
        if at < self.byte {
            self.byte = 0;
            self.col = 1;
        }
        self.col += self.line[self.byte..at].chars().count();
        self.byte = at;
        self.col
    }
}

/// `text` with each of `ranges` replaced by what `with` writes for the text
/// it covers (nothing: the range is cut out; an empty range: an insertion).
/// The ranges are taken in order of their start; one that starts inside an
/// earlier one is skipped.
pub fn replace_ranges(
    text: &str,
    mut ranges: Vec<std::ops::Range<usize>>,
    mut with: impl FnMut(&str, &mut String),
) -> String {
    ranges.sort_by_key(|r| r.start);
    let mut out = String::with_capacity(text.len());
    let mut done = 0;
    for r in ranges {
        if r.start < done {
            continue;
        }
        out.push_str(&text[done..r.start]);
        with(&text[r.clone()], &mut out);
        done = r.end;
    }
    out.push_str(&text[done..]);
    out
}

/// A hash of `s`, to tell within one run whether two texts differ (not stable
/// across versions of the tool: never written anywhere).
pub fn hash(s: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    s.hash(&mut h);
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::{Columns, date_problem, natural_key};

    #[test]
    fn titles_sort_by_the_value_of_their_numbers() {
        let mut t = [
            "Séance 10",
            "séance 2",
            "Seance 1",
            "Annexe",
            "Séance 02 bis",
            "Lot 123456789012345678901234",
            "Lot 99999999999999999999999",
        ];
        t.sort_by_key(|s| natural_key(s));
        assert_eq!(
            t,
            [
                "Annexe",
                "Lot 99999999999999999999999",
                "Lot 123456789012345678901234",
                "Seance 1",
                "séance 2",
                "Séance 02 bis",
                "Séance 10"
            ]
        );
    }

    #[test]
    fn columns_count_characters_and_restart_when_asked_backwards() {
        let mut c = Columns::new("éa{{b}}é{{c}}");
        assert_eq!(c.at(0), 1);
        assert_eq!(c.at(3), 3);
        assert_eq!(c.at(10), 9);
        assert_eq!(c.at(2), 2);
        assert_eq!(c.at(1), 1, "inside a character: its column");
        assert_eq!(c.at(99), 14, "past the end: the end");
    }

    #[test]
    fn dates_are_told_apart_from_days_the_calendar_lacks() {
        assert_eq!(
            date_problem("2027-02-30"),
            "`2027-02-30` is no day of the calendar: check its month and day"
        );
        assert_eq!(
            date_problem("11/03/2027"),
            "`11/03/2027` is not a date written YYYY-MM-DD"
        );
    }

    use super::*;

    #[test]
    fn a_byte_set_finds_its_bytes_from_an_offset() {
        const SET: ByteSet = ByteSet::new(b";\xE2");
        let text = "a; l’é;".as_bytes();
        assert!(SET.contains(b';') && SET.contains(0xE2) && !SET.contains(b'a'));
        assert_eq!(SET.find_from(text, 0), Some(1));
        assert_eq!(SET.find_from(text, 2), Some(4));
        assert_eq!(SET.find_from(text, 5), Some(9));
        assert_eq!(SET.find_from(text, 10), None);
        assert_eq!(SET.find_from(text, 99), None);
    }

    #[test]
    fn slugs_fold_accents() {
        assert_eq!(slugify("Écoute active"), "ecoute-active");
        assert_eq!(slugify("L'écoute, ça s'apprend ?"), "l-ecoute-ca-s-apprend");
        assert_eq!(slugify("Mentorat ou coaching ?"), "mentorat-ou-coaching");
        assert_eq!(slugify("Œuvre — « commune »"), "oeuvre-commune");
        assert_eq!(slugify("???"), "");
    }

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape_html("<a href=\"x\">Tom & Jerry</a>"),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&lt;/a&gt;"
        );
        assert_eq!(escape_html("l’écoute"), "l’écoute");
    }

    #[test]
    fn fences() {
        assert_eq!(fence_open("```field"), Some(('`', 3, "field")));
        assert_eq!(fence_open("~~~~"), Some(('~', 4, "")));
        assert_eq!(fence_open("``x"), None);
        assert!(
            fence_closes("````", '`', 3)
                && !fence_closes("``", '`', 3)
                && !fence_closes("``` x", '`', 3)
        );
    }

    #[test]
    fn numeric_prefixes() {
        assert_eq!(split_numeric_prefix("02-posture"), (Some(2), "posture"));
        assert_eq!(split_numeric_prefix("10_x"), (Some(10), "x"));
        assert_eq!(split_numeric_prefix("2024"), (None, "2024"));
        assert_eq!(split_numeric_prefix("3d-print"), (None, "3d-print"));
        assert_eq!(split_numeric_prefix("posture"), (None, "posture"));
    }
}

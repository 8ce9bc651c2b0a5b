//! The pairs of `mentorbook pack`: a CSV file with a header line naming its
//! columns (`mentor`, `mentee`, `language`, and optionally `date`, the first
//! session's, and `email`), one pair per line, separated by commas or, as
//! spreadsheets write it in French, semicolons.
//!
//! Every problem is reported at its line and column of the file, all at once:
//! a missing column, an empty name, a language the handbook does not have, a
//! date not written `YYYY-MM-DD`, a pair listed twice, a quote not closed.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};

use crate::config::Config;
use crate::diagnostic::Diagnostic;

/// Largest pairs file read (bytes).
pub const MAX_BYTES: usize = 4 << 20;
/// Most pairs in one file (each gets a printed cover).
pub const MAX_PAIRS: usize = 1000;

/// One line of the file as read: its fields, where each starts (line, column),
/// and its line.
type Row = (Vec<String>, Vec<(usize, usize)>, usize);

/// One pair of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pair {
    /// The line it is on.
    pub line: usize,
    /// The mentor's name.
    pub mentor: String,
    /// The mentee's name.
    pub mentee: String,
    /// The language of its sheets (a code of the handbook).
    pub lang: String,
    /// The date of its first session, when it has its own.
    pub first: Option<NaiveDate>,
    /// An address to invite to the sessions' events.
    pub email: Option<String>,
}

/// The columns, by what the header may call them (lower case, accents and
/// separators dropped).
const COLUMNS: &[(&str, &[&str])] = &[
    ("mentor", &["mentor", "mentors", "mentore"]),
    (
        "mentee",
        &[
            "mentee",
            "mentees",
            "mentore",
            "mentoree",
            "personnementoree",
        ],
    ),
    ("language", &["language", "lang", "langue"]),
    (
        "date",
        &[
            "date",
            "firstsession",
            "firstsessiondate",
            "start",
            "premiereseance",
            "debut",
        ],
    ),
    ("email", &["email", "mail", "courriel", "emailaddress"]),
];

fn columns_help() -> String {
    "the header names the columns: `mentor`, `mentee`, `language`, and optionally `date` (the first session, YYYY-MM-DD) and `email`, for example `mentor,mentee,language,date,email`".into()
}

/// Reads the pairs of `text`, the file shown as `path` in messages.
pub fn read(path: &str, text: &str, config: &Config) -> Result<Vec<Pair>, Vec<Diagnostic>> {
    let err = |line: usize, col: usize, msg: String| Diagnostic::error(path, line, col, msg);
    if text.len() > MAX_BYTES {
        return Err(vec![
            err(
                0,
                0,
                format!("this file is larger than {} MB", MAX_BYTES >> 20),
            )
            .with_help("a pairs file has one line per pair"),
        ]);
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines = crate::text::LineStarts::new(text);
    if text.trim().is_empty() {
        return Err(vec![
            err(1, 1, "the file is empty".into()).with_help(columns_help()),
        ]);
    }
    let delimiter = delimiter(text);
    if let Some(at) = unclosed_quote(text, delimiter) {
        let (l, c) = lines.locate(text, at);
        return Err(vec![
            err(l, c, "this quote is never closed".into()).with_help(
                "close the quoted field with `\"` (a quote inside it is written twice: `\"\"`)",
            ),
        ]);
    }
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows: Vec<Row> = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let (l, c) = e
                    .position()
                    .map_or((0, 0), |p| lines.locate(text, p.byte() as usize));
                return Err(vec![err(l, c, format!("this line cannot be read: {e}"))]);
            }
        };
        let start = record.position().map_or(0, |p| p.byte() as usize);
        let starts: Vec<(usize, usize)> = field_starts(text, start, delimiter)
            .into_iter()
            .map(|at| lines.locate(text, at))
            .collect();
        let (line, _) = lines.locate(text, start);
        let fields: Vec<String> = record.iter().map(|f| f.trim().to_string()).collect();
        if fields.iter().all(String::is_empty) {
            continue;
        }
        rows.push((fields, starts, line));
        if rows.len() > MAX_PAIRS + 1 {
            return Err(vec![
                err(line, 1, format!("more than {MAX_PAIRS} pairs"))
                    .with_help("split the file and run `pack` on each part"),
            ]);
        }
    }
    let mut diags = Vec::new();
    let Some((header, header_at, header_line)) = rows.first() else {
        return Err(vec![
            err(1, 1, "the file is empty".into()).with_help(columns_help()),
        ]);
    };
    let at = |starts: &[(usize, usize)], i: usize, line: usize| {
        starts.get(i).copied().unwrap_or((line, 1))
    };
    // Which column holds what.
    let mut index: HashMap<&'static str, usize> = HashMap::new();
    for (i, h) in header.iter().enumerate() {
        let key: String = crate::text::fold(h)
            .to_lowercase()
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect();
        let (l, c) = at(header_at, i, *header_line);
        match COLUMNS
            .iter()
            .find(|(_, names)| names.contains(&key.as_str()))
        {
            Some((name, _)) if index.contains_key(name) => {
                diags.push(
                    err(l, c, format!("a second `{name}` column (`{h}`)"))
                        .with_help("keep one column of each"),
                );
            }
            Some((name, _)) => {
                index.insert(name, i);
            }
            None => {
                let known: Vec<&str> = COLUMNS.iter().map(|c| c.0).collect();
                let d = err(l, c, format!("unknown column `{h}`"));
                diags.push(match crate::diagnostic::did_you_mean(&key, &known) {
                    Some(s) => d.with_help(format!("did you mean `{s}`? {}", columns_help())),
                    None => d.with_help(columns_help()),
                });
            }
        }
    }
    for required in ["mentor", "mentee", "language"] {
        if !index.contains_key(required) {
            let end = header_at.last().map_or((*header_line, 1), |&(l, c)| {
                (l, c + header.last().map_or(0, |h| h.chars().count()))
            });
            diags.push(
                err(
                    end.0,
                    end.1,
                    format!("no `{required}` column in the header"),
                )
                .with_help(columns_help()),
            );
        }
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    let codes = config.language_codes();
    let programme = config.programme.as_ref();
    let mut pairs = Vec::new();
    let mut seen: HashMap<(String, String), usize> = HashMap::new();
    for (fields, starts, line) in &rows[1..] {
        let line = *line;
        if fields.len() > header.len() {
            let (l, c) = at(starts, header.len(), line);
            diags.push(
                err(
                    l,
                    c,
                    format!(
                        "this line has {} fields, the header {}",
                        fields.len(),
                        header.len()
                    ),
                )
                .with_help("a field holding the separator must be in quotes: `\"Martin, Léa\"`"),
            );
            continue;
        }
        let cell = |name: &str| -> (String, (usize, usize)) {
            let i = index.get(name).copied();
            let value = i.and_then(|i| fields.get(i)).cloned().unwrap_or_default();
            let place = match i {
                Some(i) if i < fields.len() => at(starts, i, line),
                // A missing cell is reported after the line's last field.
                _ => starts.last().map_or((line, 1), |&(l, c)| {
                    (l, c + fields.last().map_or(0, |f| f.chars().count()))
                }),
            };
            (value, place)
        };
        let mut ok = true;
        let mut need = |name: &str, what: &str| -> String {
            let (v, (l, c)) = cell(name);
            if v.is_empty() {
                diags.push(
                    err(l, c, format!("no {what} on this line"))
                        .with_help(format!("write the {what} in the `{name}` column")),
                );
                ok = false;
            }
            v
        };
        let mentor = need("mentor", "mentor's name");
        let mentee = need("mentee", "mentee's name");
        let (lang, (ll, lc)) = cell("language");
        let lang_code = if lang.is_empty() {
            Some(config.lang.clone())
        } else {
            // A locale's `_` is a tag's `-` (`pt_BR` is `pt-BR`), as in the configuration.
            let tag = lang.replace('_', "-");
            codes.iter().find(|c| c.eq_ignore_ascii_case(&tag)).cloned()
        };
        if lang_code.is_none() {
            diags.push(
                err(ll, lc, format!("unknown language `{lang}`"))
                    .with_help(format!("this handbook's languages: {}", codes.join(", "))),
            );
            ok = false;
        }
        let (date, (dl, dc)) = cell("date");
        let first = if date.is_empty() {
            None
        } else {
            match NaiveDate::parse_from_str(&date, "%Y-%m-%d") {
                Ok(d) if (1000..=9000).contains(&d.year()) => Some(d),
                _ => {
                    diags.push(err(dl, dc, crate::text::date_problem(&date)).with_help(
                        "write the first session's date as year-month-day, for example 2027-01-11",
                    ));
                    ok = false;
                    None
                }
            }
        };
        if first.is_none() && date.is_empty() && programme.and_then(|p| p.start).is_none() {
            diags.push(
                err(dl, dc, "no date for this pair's first session".into()).with_help(
                    "give one in the `date` column, or a `start:` to the programme in mentorbook.yaml",
                ),
            );
            ok = false;
        }
        let (email, (el, ec)) = cell("email");
        let email = (!email.is_empty()).then_some(email);
        if let Some(e) = &email
            && !is_email(e)
        {
            diags.push(
                err(el, ec, format!("`{e}` is not an e-mail address")).with_help(
                    "write one address such as `lea.martin@example.org`, or leave the cell empty",
                ),
            );
            ok = false;
        }
        if !mentor.is_empty() && !mentee.is_empty() {
            let key = (fold_name(&mentor), fold_name(&mentee));
            let (ml, mc) = cell("mentor").1;
            if let Some(before) = seen.get(&key) {
                diags.push(
                    err(
                        ml,
                        mc,
                        format!("the pair {mentor} – {mentee} is already on line {before}"),
                    )
                    .with_help("list each pair once: remove one of the two lines"),
                );
                ok = false;
            } else {
                seen.insert(key, line);
            }
        }
        if ok && let Some(lang) = lang_code {
            pairs.push(Pair {
                line,
                mentor,
                mentee,
                lang,
                first,
                email,
            });
        }
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    if pairs.is_empty() {
        return Err(vec![
            err(
                header_line + 1,
                1,
                "no pair: the file has only its header".into(),
            )
            .with_help("add one line per pair, for example `Léa Martin,Bruno Leroy,fr,2027-01-11`"),
        ]);
    }
    Ok(pairs)
}

/// A name compared with another: case, accents and spaces ignored.
fn fold_name(s: &str) -> String {
    crate::text::fold(s)
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// One address: something, `@`, a domain with a dot, no spaces.
fn is_email(s: &str) -> bool {
    let Some((user, domain)) = s.split_once('@') else {
        return false;
    };
    !user.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s.chars().any(|c| c.is_whitespace() || c == ',' || c == ';')
        && !domain.contains('@')
}

/// The separator of the file: what its first line has most of, outside quotes,
/// among `,`, `;` and tab (a comma when none).
fn delimiter(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or("");
    let mut quoted = false;
    let mut count = [0usize; 3];
    for c in first.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => count[0] += 1,
            ';' if !quoted => count[1] += 1,
            '\t' if !quoted => count[2] += 1,
            _ => {}
        }
    }
    let best = (0..3)
        .max_by_key(|&i| (count[i], usize::from(i == 0)))
        .unwrap_or(0);
    [b',', b';', b'\t'][best]
}

/// The byte offset of a quote that opens a field and is never closed, if any
/// (a quote opens a field when it is the field's first character; inside, `""`
/// is a quote and a single `"` closes the field).
fn unclosed_quote(text: &str, delimiter: u8) -> Option<usize> {
    let b = text.as_bytes();
    let mut i = 0;
    let mut field_start = true;
    while i < b.len() {
        let c = b[i];
        if field_start && c == b'"' {
            let open = i;
            i += 1;
            loop {
                match b.get(i) {
                    None => return Some(open),
                    Some(b'"') if b.get(i + 1) == Some(&b'"') => i += 2,
                    Some(b'"') => {
                        i += 1;
                        break;
                    }
                    Some(_) => i += 1,
                }
            }
            field_start = false;
            continue;
        }
        field_start = c == delimiter || c == b'\n' || c == b'\r';
        i += 1;
    }
    None
}

/// The byte offsets where the fields of the record starting at `start` begin.
fn field_starts(text: &str, start: usize, delimiter: u8) -> Vec<usize> {
    let b = text.as_bytes();
    let mut out = vec![start];
    let mut i = start;
    let mut quoted = false;
    let mut at_start = true;
    while i < b.len() {
        let c = b[i];
        if quoted {
            if c == b'"' && b.get(i + 1) == Some(&b'"') {
                i += 2;
                continue;
            }
            if c == b'"' {
                quoted = false;
            }
            i += 1;
            continue;
        }
        match c {
            b'"' if at_start => {
                quoted = true;
                at_start = false;
            }
            b'\n' | b'\r' => break,
            _ if c == delimiter => {
                out.push(i + 1);
                at_start = true;
                i += 1;
                continue;
            }
            _ => at_start = false,
        }
        i += 1;
    }
    // Leading spaces are not part of a field's place.
    out.into_iter()
        .map(|s| {
            let mut s = s;
            while b.get(s) == Some(&b' ') {
                s += 1;
            }
            s
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> Config {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("mentorbook.yaml"),
            "title: T\nlang: fr\nlanguages:\n  en: { title: T }\nprogramme:\n  start: 2027-01-11\n",
        )
        .unwrap();
        Config::load(dir.path()).unwrap()
    }

    #[test]
    fn pairs_are_read_with_commas_or_semicolons() {
        let c = config();
        let p = read(
            "p.csv",
            "\u{feff}Mentor;Personne mentorée;Langue;Date\nLéa Martin;Bruno Leroy;FR;2027-02-01\n\"Dupré; Éléonore\";Zoé;en;\n",
            &c,
        )
        .unwrap();
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].lang, "fr");
        assert_eq!(p[0].first, NaiveDate::from_ymd_opt(2027, 2, 1));
        assert_eq!((p[1].mentor.as_str(), p[1].line), ("Dupré; Éléonore", 3));
        assert_eq!(p[1].first, None);
    }

    #[test]
    fn problems_are_located_at_their_cell() {
        let c = config();
        let e = read(
            "p.csv",
            "mentor,mentee,language,date\nA,B,de,2027-13-01\nA,B,fr,\n",
            &c,
        )
        .unwrap_err();
        let at: Vec<(usize, usize)> = e.iter().map(|d| (d.line(), d.col())).collect();
        assert_eq!(at, [(2, 5), (2, 8), (3, 1)], "{e:?}");
        let e = read("p.csv", "mentor,mentee\nA,B\n", &c).unwrap_err();
        assert_eq!((e[0].line(), e[0].col()), (1, 14), "{e:?}");
        let e = read(
            "p.csv",
            "mentor,mentee,language\nA,B,fr\n\"a\",b,fr\nA ,b\u{301},fr\n\"x,y\n",
            &c,
        )
        .unwrap_err();
        assert_eq!((e[0].line(), e[0].col()), (5, 1), "{e:?}");
        let e = read("p.csv", "mentor,mentee,language\nA,B,fr\n a , b ,fr\n", &c).unwrap_err();
        assert_eq!((e[0].line(), e[0].col()), (3, 2), "{e:?}");
        assert!(e[0].message.contains("already on line 2"), "{e:?}");
    }

    #[test]
    fn quotes_and_separators() {
        assert_eq!(delimiter("a;b;c\n1,2;3"), b';');
        assert_eq!(delimiter("a,b\n"), b',');
        assert_eq!(unclosed_quote("a,\"b\"\"c\",d\n", b','), None);
        assert_eq!(unclosed_quote("a,\"b\nc", b','), Some(2));
        assert_eq!(unclosed_quote("a,b\"c\n", b','), None);
        assert_eq!(field_starts("x\na,\"b,c\",d\n", 2, b','), [2, 4, 10]);
        // As for the csv crate, a quote after a space is a plain character: the
        // places are those of the fields it reads.
        assert_eq!(field_starts("x\na, \"b,c\",d\n", 2, b','), [2, 5, 8, 11]);
        let fields: Vec<String> = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader("a, \"b,c\",d\n".as_bytes())
            .records()
            .next()
            .and_then(Result::ok)
            .map(|r| r.iter().map(str::to_string).collect())
            .unwrap_or_default();
        assert_eq!(fields.len(), 4, "{fields:?}");
    }
}

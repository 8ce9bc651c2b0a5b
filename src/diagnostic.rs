//! Diagnostics: every problem a user can cause, with its file, line and column,
//! collected across a whole run and printed in one format.
//!
//! The text format is `path:line:col: error: message` (`path: error: message`
//! when the problem concerns a whole file or folder), followed by an indented
//! `help:` line when a fix is known. Paths are relative to the site root.

use std::fmt;

use serde::Serialize;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The build cannot produce a correct site.
    Error,
    /// Something is probably wrong; `--strict` turns it into an error.
    Warning,
}

/// A place in a file: 1-based line and column (in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Location {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub col: usize,
}

/// One problem found in the user's handbook, in a file and, when known, at a place in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The file or folder, relative to the site root, `/`-separated.
    pub path: String,
    /// Where in the file; `None` when the problem concerns the whole file.
    pub location: Option<Location>,
    /// What is wrong.
    pub message: String,
    /// How to fix it, when known.
    pub help: Option<String>,
}

impl Serialize for Diagnostic {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Diagnostic", 6)?;
        st.serialize_field("severity", &self.severity)?;
        st.serialize_field("path", &self.path)?;
        st.serialize_field("line", &self.location.map(|l| l.line))?;
        st.serialize_field("col", &self.location.map(|l| l.col))?;
        st.serialize_field("message", &self.message)?;
        st.serialize_field("help", &self.help)?;
        st.end()
    }
}

impl Diagnostic {
    /// An error at `path:line:col` (`line` 0: about the whole file).
    pub fn error(
        path: impl Into<String>,
        line: usize,
        col: usize,
        message: impl Into<String>,
    ) -> Self {
        Self {
            severity: Severity::Error,
            path: path.into(),
            location: (line > 0).then_some(Location {
                line,
                col: col.max(1),
            }),
            message: message.into(),
            help: None,
        }
    }

    /// The line, 0 when the problem concerns the whole file.
    pub fn line(&self) -> usize {
        self.location.map_or(0, |l| l.line)
    }

    /// The column, 0 when the problem concerns the whole file.
    pub fn col(&self) -> usize {
        self.location.map_or(0, |l| l.col)
    }

    /// A warning at `path:line:col`.
    pub fn warning(
        path: impl Into<String>,
        line: usize,
        col: usize,
        message: impl Into<String>,
    ) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(path, line, col, message)
        }
    }

    /// Adds a `help:` line saying how to fix the problem.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Whether this is an error (as opposed to a warning).
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Writes the diagnostic, with ANSI colours when `color` is set.
    pub fn render(&self, color: bool) -> String {
        let (label, paint) = match self.severity {
            Severity::Error => ("error", "\x1b[1;31m"),
            Severity::Warning => ("warning", "\x1b[1;33m"),
        };
        let loc = match self.location {
            None => self.path.clone(),
            Some(l) => format!("{}:{}:{}", self.path, l.line, l.col),
        };
        let mut out = match (color, loc.is_empty()) {
            // A problem of the command itself, in no file of the handbook.
            (false, true) => format!("{label}: {}", self.message),
            (true, true) => format!("{paint}{label}:\x1b[0m {}", self.message),
            (false, false) => format!("{loc}: {label}: {}", self.message),
            (true, false) => format!(
                "\x1b[1m{loc}:\x1b[0m {paint}{label}:\x1b[0m {}",
                self.message
            ),
        };
        if let Some(help) = &self.help {
            if color {
                out.push_str(&format!("\n  \x1b[1;36mhelp:\x1b[0m {help}"));
            } else {
                out.push_str(&format!("\n  help: {help}"));
            }
        }
        out
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

/// Sorts diagnostics by path, line, column, then message, and drops duplicates:
/// the same problem at the same place is said once, with the first help in
/// sorted order (a template error met on many pages names the first of them,
/// whatever order threads found them in).
pub fn sort_diagnostics(v: &mut Vec<Diagnostic>) {
    v.sort_by(|a, b| {
        (&a.path, a.location, &a.message, a.severity, &a.help)
            .cmp(&(&b.path, b.location, &b.message, b.severity, &b.help))
    });
    v.dedup_by(|b, a| {
        (&a.path, a.location, &a.message, a.severity)
            == (&b.path, b.location, &b.message, b.severity)
    });
}

/// Finds the closest candidate to `word` for a "did you mean" hint.
pub fn did_you_mean<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let lower = word.to_lowercase();
    // Close enough by Jaro-Winkler, then the fewest edits (`langue` → `lang`, not `languages`).
    candidates
        .iter()
        .map(|c| {
            (
                strsim::jaro_winkler(&lower, c),
                strsim::damerau_levenshtein(&lower, c),
                *c,
            )
        })
        .filter(|(score, _, _)| *score > 0.8)
        .min_by(|a, b| a.1.cmp(&b.1).then(b.0.total_cmp(&a.0)))
        .map(|(_, _, c)| c)
}

/// Converts a byte offset in `text` into a 1-based (line, column) pair; the column counts characters.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let before = &text[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

/// The largest char boundary not after `i`.
pub fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_location_and_help() {
        let d = Diagnostic::error("content/a.md", 4, 1, "unknown key `titre`")
            .with_help("did you mean `title`?");
        assert_eq!(
            d.to_string(),
            "content/a.md:4:1: error: unknown key `titre`\n  help: did you mean `title`?"
        );
    }

    #[test]
    fn a_whole_file_problem_has_no_made_up_location() {
        let d = Diagnostic::error("content/a.md", 0, 0, "cannot read this file");
        assert_eq!(d.to_string(), "content/a.md: error: cannot read this file");
        let json = serde_json::to_value(&d).expect("json");
        assert!(json["line"].is_null() && json["col"].is_null());
    }

    #[test]
    fn suggests_near_misses_only() {
        let keys = ["title", "weight", "description"];
        assert_eq!(did_you_mean("titel", &keys), Some("title"));
        assert_eq!(did_you_mean("wieght", &keys), Some("weight"));
        assert_eq!(did_you_mean("zzz", &keys), None);
    }

    #[test]
    fn line_col_counts_chars() {
        let t = "ab\nÉcd";
        assert_eq!(line_col(t, 0), (1, 1));
        assert_eq!(line_col(t, 3), (2, 1));
        assert_eq!(line_col(t, 5), (2, 2));
    }
}

//! One report for every command: every way a run can fail becomes diagnostics
//! ([`diagnostics_of`]), printed as text lines (`build`, `check`, `serve`'s
//! terminal and error overlay) or as one JSON document (`--format json`).
//!
//! Long runs of the same problem are shortened: at most [`SAME_KIND_LIMIT`]
//! diagnostics with the same message shape are printed, then one line with the count.

use std::collections::HashMap;

use crate::diagnostic::Diagnostic;
use crate::error::Error;

/// How many diagnostics of one kind are printed before they are only counted.
pub const SAME_KIND_LIMIT: usize = 20;

/// Every problem of a failed run, as diagnostics: content and configuration
/// problems as they are, an I/O failure at its file, a usage error or a missing
/// tool as a diagnostic of the command itself (no file).
pub fn diagnostics_of(e: &Error) -> Vec<Diagnostic> {
    match e {
        Error::Config(d) | Error::Content(d) if !d.is_empty() => d.clone(),
        Error::Io {
            action,
            path,
            source,
        } => vec![Diagnostic::error(
            path.display().to_string(),
            0,
            0,
            format!("{action}: {source}"),
        )],
        Error::MissingTool { what, help } => {
            vec![Diagnostic::error("", 0, 0, what.clone()).with_help(help.clone())]
        }
        Error::Usage(m) => vec![Diagnostic::error("", 0, 0, m.clone())],
        Error::Config(_) | Error::Content(_) => Vec::new(),
    }
}

/// The kind of a diagnostic, for counting repeats: its severity and its
/// message with quoted parts and numbers left out.
fn kind_of(d: &Diagnostic) -> (bool, String) {
    let mut shape = String::with_capacity(d.message.len());
    let mut quoted = false;
    for c in d.message.chars() {
        match c {
            '`' => {
                quoted = !quoted;
                shape.push('`');
            }
            _ if quoted || c.is_ascii_digit() => {}
            _ => shape.push(c),
        }
    }
    (d.is_error(), shape)
}

/// The text lines of `diags` (warnings left out with `quiet`), each rendered
/// with colours when `color`; repeats beyond [`SAME_KIND_LIMIT`] are counted.
pub fn text(diags: &[Diagnostic], color: bool, quiet: bool) -> Vec<String> {
    let mut seen: HashMap<(bool, String), usize> = HashMap::new();
    // Each kind in order of first appearance, with that first message (the
    // shape has its quoted parts left out: not for readers).
    let mut order: Vec<((bool, String), &str)> = Vec::new();
    let mut lines = Vec::new();
    for d in diags {
        if quiet && !d.is_error() {
            continue;
        }
        let kind = kind_of(d);
        let n = seen.entry(kind.clone()).or_insert(0);
        *n += 1;
        if *n == 1 {
            order.push((kind, d.message.as_str()));
        }
        if *n <= SAME_KIND_LIMIT {
            lines.push(d.render(color));
        }
    }
    for (kind, first) in order {
        let n = seen.get(&kind).copied().unwrap_or(0);
        if n > SAME_KIND_LIMIT {
            let what = if kind.0 { "error" } else { "warning" };
            let first: String = first.chars().take(120).collect();
            lines.push(format!(
                "… and {} more {what}s like “{}”",
                n - SAME_KIND_LIMIT,
                first.trim()
            ));
        }
    }
    lines
}

/// The JSON document of a run's problems: `ok`, counts, and every diagnostic.
pub fn json(ok: bool, diags: &[Diagnostic]) -> serde_json::Value {
    let errors = diags.iter().filter(|d| d.is_error()).count();
    serde_json::json!({
        "ok": ok,
        "errors": errors,
        "warnings": diags.len() - errors,
        "diagnostics": diags,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeats_are_counted_after_the_limit() {
        let diags: Vec<Diagnostic> = (0..100)
            .map(|i| {
                Diagnostic::error("content/a.md", i + 1, 1, "this `:::` block is never closed")
            })
            .chain([Diagnostic::warning("content/b.md", 1, 1, "other")])
            .collect();
        let lines = text(&diags, false, false);
        assert_eq!(lines.len(), SAME_KIND_LIMIT + 2);
        assert!(
            lines.last().is_some_and(
                |l| l.contains("80 more errors like “this `:::` block is never closed”")
            ),
            "{lines:?}"
        );
    }

    #[test]
    fn every_error_kind_becomes_a_diagnostic() {
        let e = Error::Usage("no page `x`".into());
        assert_eq!(diagnostics_of(&e)[0].to_string(), "error: no page `x`");
        let e = Error::io(
            "failed to write",
            std::path::Path::new("/out/a.html"),
            std::io::Error::other("disk full"),
        );
        assert_eq!(
            diagnostics_of(&e)[0].to_string(),
            "/out/a.html: error: failed to write: disk full"
        );
    }
}

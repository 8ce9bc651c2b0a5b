//! mdBook's `{{#include path}}`: the text of another file of the handbook, put
//! in place of the directive before the page is parsed (so it works inside code
//! blocks, as in mdBook). `{{#rustdoc_include}}` is read the same way.
//!
//! - `path` is relative to the page's folder; the file must be inside the
//!   handbook (symbolic links resolved) and outside the output folder;
//! - `path:5`, `path:5:10`, `path:5:`, `path::10` include those lines (1-based);
//!   `path:name` the lines between `ANCHOR: name` and `ANCHOR_END: name`; lines
//!   holding anchors are always left out;
//! - an included file's own directives are expanded too, up to [`MAX_DEPTH`];
//! - `\{{#include …}}` is written as it is, without the backslash.
//!
//! Included lines are reported at the line of their directive.

use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::diagnostic::Diagnostic;

/// How deep included files may include others.
pub const MAX_DEPTH: usize = 4;
/// The most text a page may include, in bytes.
pub const MAX_INCLUDED: usize = 8 << 20;

const DIRECTIVES: [&str; 2] = ["{{#include ", "{{#rustdoc_include "];

/// Whether `body` holds an include directive (escaped or not): such a page is
/// read again whenever anything changes, as any file may be one it includes.
pub fn has_directives(body: &str) -> bool {
    DIRECTIVES.iter().any(|d| body.contains(d))
}

/// Expands the directives of `body` (whose first line is file line `first_line`)
/// of the page at `page`; `None` when it has none. Gives the new text and the
/// file line of each of its lines.
pub fn expand(
    body: &str,
    first_line: usize,
    page: &Path,
    config: &Config,
    source: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<(String, Vec<usize>)> {
    if !has_directives(body) {
        return None;
    }
    let root = config.root.canonicalize().ok()?;
    let output = config.default_output().canonicalize().ok();
    let mut cx = Cx {
        root,
        output,
        source,
        budget: MAX_INCLUDED,
        diags,
    };
    let dir = page.parent().unwrap_or(Path::new("."));
    let mut out = String::with_capacity(body.len());
    let mut map = Vec::new();
    for (i, line) in body.split_inclusive('\n').enumerate() {
        let at = first_line + i;
        let text = cx.line(line, dir, at, 0);
        let n = text.matches('\n').count() + usize::from(!text.ends_with('\n'));
        map.extend(std::iter::repeat_n(at, n.max(1)));
        out.push_str(&text);
    }
    // A last line without a newline was counted once too many if the text ends with one.
    let lines = out.split_inclusive('\n').count();
    map.truncate(lines.max(1));
    Some((out, map))
}

struct Cx<'a> {
    root: PathBuf,
    output: Option<PathBuf>,
    source: &'a str,
    budget: usize,
    diags: &'a mut Vec<Diagnostic>,
}

impl Cx<'_> {
    /// One line (with its newline) with its directives expanded; `at` is its file line.
    fn line(&mut self, line: &str, dir: &Path, at: usize, depth: usize) -> String {
        let mut out = String::with_capacity(line.len());
        let mut rest = line;
        while let Some((start, directive)) = DIRECTIVES
            .iter()
            .filter_map(|d| rest.find(d).map(|i| (i, *d)))
            .min_by_key(|(i, _)| *i)
        {
            let Some(len) = rest[start..].find("}}") else {
                break;
            };
            let whole = &rest[start..start + len + 2];
            let col = line[..line.len() - rest.len() + start].chars().count() + 1;
            if rest[..start].ends_with('\\') {
                out.push_str(&rest[..start - 1]);
                out.push_str(whole);
            } else {
                out.push_str(&rest[..start]);
                let arg = whole[directive.len()..whole.len() - 2].trim();
                out.push_str(&self.include(arg, dir, at, col, depth));
            }
            rest = &rest[start + len + 2..];
        }
        out.push_str(rest);
        out
    }

    fn warn(&mut self, at: usize, col: usize, message: String, help: &str) -> String {
        self.diags
            .push(Diagnostic::warning(self.source, at, col, message).with_help(help.to_string()));
        String::new()
    }

    /// The text `{{#include arg}}` stands for.
    fn include(&mut self, arg: &str, dir: &Path, at: usize, col: usize, depth: usize) -> String {
        if depth >= MAX_DEPTH {
            return self.warn(
                at,
                col,
                format!(
                    "`{{{{#include {arg}}}}}`: files include each other more than {MAX_DEPTH} deep"
                ),
                "include the file's text directly, or check for files including each other",
            );
        }
        let (path, range) = split_range(arg);
        let candidate = dir.join(path);
        let real = match candidate.canonicalize() {
            Ok(r) => r,
            Err(_) => {
                return self.warn(
                    at,
                    col,
                    format!("cannot include `{path}`: it does not exist"),
                    "the path is relative to the page's folder; the directive is left out",
                );
            }
        };
        let inside = real.starts_with(&self.root)
            && !self.output.as_ref().is_some_and(|o| real.starts_with(o));
        if !inside || !real.is_file() {
            return self.warn(
                at,
                col,
                format!("cannot include `{path}`: only files inside the handbook can be included"),
                "copy the file into the handbook folder",
            );
        }
        let text = match std::fs::read(&real) {
            Ok(b) if b.len() <= self.budget => String::from_utf8_lossy(&b).replace("\r\n", "\n"),
            Ok(_) => {
                return self.warn(
                    at,
                    col,
                    format!("cannot include `{path}`: the page would include more than 8 MB"),
                    "include smaller parts of the file (`path:10:40`)",
                );
            }
            Err(e) => {
                return self.warn(
                    at,
                    col,
                    format!("cannot include `{path}`: {e}"),
                    "check the file's permissions",
                );
            }
        };
        self.budget -= text.len();
        let Some(selected) = select(&text, range) else {
            return self.warn(
                at,
                col,
                format!("cannot include `{arg}`: no such lines or anchor in `{path}`"),
                "write `path:FIRST:LAST` with line numbers, or `path:NAME` with `ANCHOR: NAME` lines in the file",
            );
        };
        let inner_dir = real.parent().map(Path::to_path_buf).unwrap_or_default();
        let mut out = String::with_capacity(selected.len());
        for l in selected.split_inclusive('\n') {
            out.push_str(&self.line(l, &inner_dir, at, depth + 1));
        }
        // The directive's line goes on after the included text.
        if out.ends_with('\n') {
            out.pop();
        }
        out
    }
}

/// What part of a file to include.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Range<'a> {
    All,
    Lines(Option<usize>, Option<usize>),
    Anchor(&'a str),
}

fn split_range(arg: &str) -> (&str, Range<'_>) {
    let Some((path, spec)) = arg.split_once(':') else {
        return (arg, Range::All);
    };
    let num = |s: &str| s.trim().parse::<usize>().ok();
    let range = match spec.split_once(':') {
        Some((a, b)) => Range::Lines(num(a), num(b)),
        None => match num(spec) {
            Some(n) => Range::Lines(Some(n), Some(n)),
            None => Range::Anchor(spec.trim()),
        },
    };
    (path.trim(), range)
}

fn is_anchor_line(l: &str) -> bool {
    l.contains("ANCHOR:") || l.contains("ANCHOR_END:")
}

fn select(text: &str, range: Range<'_>) -> Option<String> {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let keep = |ls: &[&str]| {
        ls.iter()
            .filter(|l| !is_anchor_line(l))
            .copied()
            .collect::<String>()
    };
    match range {
        Range::All => Some(keep(&lines)),
        Range::Lines(a, b) => {
            let start = a.unwrap_or(1).max(1) - 1;
            let end = b.unwrap_or(lines.len()).min(lines.len());
            (start < end).then(|| keep(&lines[start..end]))
        }
        Range::Anchor(name) => {
            let open = lines
                .iter()
                .position(|l| l.contains(&format!("ANCHOR: {name}")))?;
            let close = lines[open..]
                .iter()
                .position(|l| l.contains(&format!("ANCHOR_END: {name}")))
                .map_or(lines.len(), |p| open + p);
            Some(keep(&lines[open + 1..close]))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_and_anchors() {
        let text = "a\n// ANCHOR: x\nb\nc\n// ANCHOR_END: x\nd\n";
        assert_eq!(
            select(text, split_range("f:x").1).as_deref(),
            Some("b\nc\n")
        );
        assert_eq!(
            select(text, split_range("f:1:3").1).as_deref(),
            Some("a\nb\n")
        );
        assert_eq!(select(text, split_range("f:6").1).as_deref(), Some("d\n"));
        assert_eq!(
            select(text, split_range("f").1).as_deref(),
            Some("a\nb\nc\nd\n")
        );
        assert_eq!(select(text, split_range("f:y").1), None);
        assert_eq!(select(text, split_range("f:9:").1), None);
    }

    #[test]
    fn includes_files_of_the_handbook_only() {
        let dir = tempfile::tempdir().expect("tmp");
        let root = dir.path().join("book");
        std::fs::create_dir_all(root.join("src")).expect("mkdir");
        std::fs::write(root.join("mentorbook.yaml"), "content: src\n").expect("write");
        std::fs::write(root.join("src/part.md"), "un\ndeux\n").expect("write");
        std::fs::write(dir.path().join("secret.txt"), "secret\n").expect("write");
        let config = Config::load(&root).expect("config");
        let page = root.join("src/page.md");
        let mut d = Vec::new();
        let (text, map) = expand(
            "avant\n{{#include part.md}}\n\\{{#include part.md}}\n{{#include ../../secret.txt}}\nfin\n",
            3,
            &page,
            &config,
            "src/page.md",
            &mut d,
        )
        .expect("expanded");
        assert_eq!(text, "avant\nun\ndeux\n{{#include part.md}}\n\nfin\n");
        assert_eq!(map, [3, 4, 4, 5, 6, 7]);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!((d[0].line(), d[0].col()), (6, 1));
    }
}

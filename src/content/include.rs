//! mdBook's `{{#include path}}`: the text of another file of the handbook, put
//! in place of the directive before the page is parsed (so it works inside code
//! blocks, as in mdBook). `{{#rustdoc_include}}` is read the same way.
//!
//! - `path` is relative to the page's folder; the file must be inside the
//!   handbook (symbolic links resolved, whatever `allow_outside_links` says) and
//!   obey the confinement rule ([`crate::confine`]): never inside an output
//!   folder (`output:`'s and `--out`'s included);
//! - `path:5`, `path:5:10`, `path:5:`, `path::10` include those lines (1-based);
//!   `path:name` the lines between `ANCHOR: name` and `ANCHOR_END: name`; lines
//!   holding anchors are always left out;
//! - an included file's own directives are expanded too, up to [`MAX_DEPTH`];
//! - `\{{#include …}}` is written as it is, without the backslash.
//!
//! MkDocs' snippets (pymdownx) are read the same way: a line `--8<-- "path"`
//! (also `path:5:10`, and `path:name` between `--8<-- [start:name]` and
//! `--8<-- [end:name]`) is the file's text, `path` relative to the handbook
//! folder (pymdownx's `base_path`), else to the content folder or the page's;
//! `;--8<--` is written as it is, without the `;`.
//!
//! Included lines are reported at the line of their directive. The files
//! included are returned too: such a file is part of a page, not a page (see
//! [`crate::content::load`]).

use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::diagnostic::Diagnostic;

/// How deep included files may include others.
pub const MAX_DEPTH: usize = 4;
/// The most text a page may include, in bytes.
pub const MAX_INCLUDED: usize = 8 << 20;
/// What one file included or embedded costs at least, of [`MAX_INCLUDED`].
const MIN_COST: usize = 1 << 10;

const DIRECTIVES: [&str; 2] = ["{{#include ", "{{#rustdoc_include "];

/// The start of a snippet line of MkDocs (pymdownx snippets).
const SNIPPET: &str = "--8<--";

/// Whether `body` holds an include directive (escaped or not), or with
/// `notes` an embedded note ([`super::embed`]): such a page is read again
/// whenever anything changes, as any file may be one it includes.
pub fn has_directives(body: &str, notes: bool) -> bool {
    DIRECTIVES.iter().any(|d| body.contains(d))
        || body.contains(SNIPPET)
        || (notes && super::embed::has_embeds(body))
}

/// A page's text with its directives expanded.
#[derive(Debug)]
pub struct Expanded {
    /// The text.
    pub text: String,
    /// The file line of each of its lines.
    pub lines: Vec<usize>,
    /// The file columns of each of its lines (see [`crate::text::ColumnMap`]):
    /// empty for a line as it is in the file.
    pub cols: Vec<crate::text::ColumnMap>,
    /// The real paths of the files it included (not the notes it embeds,
    /// which stay pages).
    pub included: Vec<PathBuf>,
}

/// Expands the directives of `body` (whose first line is file line `first_line`)
/// of the page at `page`, and with `notes` its embedded notes; `None` when it
/// has none.
pub fn expand(
    body: &str,
    first_line: usize,
    page: &Path,
    config: &Config,
    source: &str,
    notes: Option<&super::embed::Notes>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Expanded> {
    if !has_directives(body, notes.is_some()) {
        return None;
    }
    let root = config.root.canonicalize().ok()?;
    let content = config.content_dir();
    let mut cx = Cx {
        bases: vec![root.clone(), content],
        root,
        confine: &config.confine,
        source,
        budget: MAX_INCLUDED,
        diags,
        included: Vec::new(),
        notes,
        chain: page.canonicalize().into_iter().map(|p| (p, None)).collect(),
        content: config
            .content_dir()
            .canonicalize()
            .unwrap_or_else(|_| config.content_dir()),
        fence: None,
        over_budget: false,
    };
    let dir = page.parent().unwrap_or(Path::new("."));
    let mut out = String::with_capacity(body.len());
    let mut map = Vec::new();
    let mut cols = Vec::new();
    let mut segs = Vec::new();
    for (i, line) in body.split_inclusive('\n').enumerate() {
        let at = first_line + i;
        segs.clear();
        let text = cx.line(line, dir, at, 0, &mut segs);
        let n = text.matches('\n').count() + usize::from(!text.ends_with('\n'));
        map.extend(std::iter::repeat_n(at, n.max(1)));
        line_columns(&text, &segs, n.max(1), &mut cols);
        out.push_str(&text);
    }
    // A last line without a newline was counted once too many if the text ends with one.
    let lines = out.split_inclusive('\n').count();
    map.truncate(lines.max(1));
    cols.truncate(lines.max(1));
    Some(Expanded {
        text: out,
        lines: map,
        cols,
        included: cx.included,
    })
}

struct Cx<'a> {
    /// Where a snippet's path is looked for first (the handbook, the content folder).
    bases: Vec<PathBuf>,
    /// The real paths of the files included (not the notes embedded).
    included: Vec<PathBuf>,
    root: PathBuf,
    /// The rule every file read obeys (the output folders, `--out`'s included, are never read).
    confine: &'a crate::confine::Confinement,
    source: &'a str,
    budget: usize,
    diags: &'a mut Vec<Diagnostic>,
    /// The notes an embed may name (a handbook imported from Obsidian).
    notes: Option<&'a super::embed::Notes>,
    /// The real paths of the page and of the notes being embedded in it,
    /// with the part embedded (lower case; `None`: the whole).
    chain: Vec<(PathBuf, Option<String>)>,
    /// The content folder, real.
    content: PathBuf,
    /// Whether the page went over its budget (said once).
    over_budget: bool,
    /// The code block the text being expanded is in (its fence), where an
    /// embed is text.
    fence: Option<(char, usize)>,
}

/// Where the text made of one line of the file comes from: from byte `.0` of
/// the text on, the file column `.1` (1-based, in characters), of the line's
/// own text (`.2` false) or of a directive whose included text this is (true).
type Seg = (usize, usize, bool);

/// The column maps of the `n` lines of `text` (made of one line of the file,
/// whose pieces are `segs`), pushed to `cols`: empty when a line's text is the
/// file's, column for column.
fn line_columns(text: &str, segs: &[Seg], n: usize, cols: &mut Vec<crate::text::ColumnMap>) {
    // The line's own text alone (its one piece starts at column 1).
    if segs.len() <= 1 {
        cols.extend(std::iter::repeat_n(crate::text::ColumnMap::default(), n));
        return;
    }
    let mut start = 0;
    for piece in text
        .split_inclusive('\n')
        .chain(text.is_empty().then_some(""))
        .take(n)
    {
        let end = start + piece.len();
        // The piece in force where this line starts, then those within it.
        let first = segs.iter().rposition(|s| s.0 <= start).unwrap_or(0);
        let mut map = Vec::new();
        for &(at, col, inc) in &segs[first..] {
            if at >= end && at > start {
                break;
            }
            let from = at.max(start);
            let out_col = text[start..from].chars().count() + 1;
            // A piece that starts before this line starts: its column here.
            let col = if at < start && !inc {
                col + text[at..start].chars().count()
            } else {
                col
            };
            map.push((out_col, col, inc));
        }
        cols.push(crate::text::ColumnMap::new(map));
        start = end;
    }
}

impl Cx<'_> {
    /// One line (with its newline) with its directives expanded; `at` is its
    /// file line. Where each piece of the text comes from is pushed to `segs`.
    fn line(
        &mut self,
        line: &str,
        dir: &Path,
        at: usize,
        depth: usize,
        segs: &mut Vec<Seg>,
    ) -> String {
        let in_code = self.follow_fence(line);
        if let Some(text) = (!in_code)
            .then(|| self.embed(line, at, depth))
            .flatten()
            .or_else(|| self.snippet(line, dir, at, depth))
        {
            let indent = line.len() - line.trim_start().len();
            segs.push((0, 1, false));
            segs.push((indent, indent + 1, true));
            return text;
        }
        segs.push((0, 1, false));
        let mut out = String::with_capacity(line.len());
        let mut rest = line;
        let mut cols = crate::text::Columns::new(line);
        // Where each directive next occurs (offset in `line`), searched for
        // again only once the text before it is consumed: linear on a line of
        // many directives.
        let mut next: [Option<usize>; DIRECTIVES.len()] = DIRECTIVES.map(|d| line.find(d));
        loop {
            let done = line.len() - rest.len();
            for (n, d) in next.iter_mut().zip(DIRECTIVES) {
                if n.is_some_and(|pos| pos < done) {
                    *n = rest.find(d).map(|i| done + i);
                }
            }
            let Some((pos, directive)) = next
                .iter()
                .zip(DIRECTIVES)
                .filter_map(|(n, d)| n.map(|pos| (pos, d)))
                .min_by_key(|(pos, _)| *pos)
            else {
                break;
            };
            let start = pos - done;
            let Some(len) = rest[start..].find("}}") else {
                break;
            };
            let whole = &rest[start..start + len + 2];
            let col = cols.at(pos);
            if rest[..start].ends_with('\\') {
                out.push_str(&rest[..start - 1]);
                // The backslash is gone: what follows is one column to the left.
                segs.push((out.len(), col, false));
                out.push_str(whole);
            } else {
                out.push_str(&rest[..start]);
                let arg = whole[directive.len()..whole.len() - 2].trim();
                segs.push((out.len(), col, true));
                let text = self.include(arg, dir, at, col, depth);
                out.push_str(&text);
                segs.push((out.len(), cols.at(pos + len + 2), false));
            }
            rest = &rest[start + len + 2..];
        }
        out.push_str(rest);
        out
    }

    /// A snippet line (`--8<-- "path"`) expanded; `None` for any other line.
    fn snippet(&mut self, line: &str, dir: &Path, at: usize, depth: usize) -> Option<String> {
        let content = line.strip_suffix('\n').unwrap_or(line);
        let newline = &line[content.len()..];
        let t = content.trim();
        let indent = content.len() - content.trim_start().len();
        if let Some(escaped) = t.strip_prefix(';').filter(|r| r.starts_with(SNIPPET)) {
            return Some(format!("{}{escaped}{newline}", &content[..indent]));
        }
        let rest = t.strip_prefix(SNIPPET)?.trim();
        // The bounds of a named part, in an included file: left out.
        if rest.starts_with("[start:") || rest.starts_with("[end:") {
            return Some(newline.to_string());
        }
        let col = indent + 1;
        let arg = rest
            .strip_prefix('"')
            .and_then(|r| r.strip_suffix('"'))
            .or_else(|| rest.strip_prefix('\'').and_then(|r| r.strip_suffix('\'')));
        let Some(arg) = arg.map(str::trim).filter(|a| !a.is_empty()) else {
            let mut text = self.warn(
                at,
                col,
                format!("`{t}`: this form of snippet is not supported and was left out"),
                "write one `--8<-- \"path\"` line per file",
            );
            text.push_str(newline);
            return Some(text);
        };
        let path = split_range(arg).0;
        let base = self
            .bases
            .iter()
            .chain(std::iter::once(&dir.to_path_buf()))
            .find(|b| b.join(path).exists())
            .cloned()
            .unwrap_or_else(|| self.root.clone());
        let mut text = format!(
            "{}{}",
            &content[..indent],
            self.include(arg, &base, at, col, depth)
        );
        text.push_str(newline);
        Some(text)
    }

    /// Follows the fenced code blocks of the text being expanded (in quotes
    /// too): whether `line` is a fence or inside a code block. Only with
    /// notes to embed (mdBook's includes work in code, as in mdBook).
    fn follow_fence(&mut self, line: &str) -> bool {
        if self.notes.is_none() {
            return false;
        }
        let t = line
            .trim_start_matches([' ', '\t', '>'])
            .trim_end_matches('\n');
        // Four spaces (or a tab) before it: a line of an indented code block, no fence.
        let lead = &line[..line.len() - line.trim_start_matches([' ', '\t', '>']).len()];
        let indent = match lead.rsplit_once('>') {
            Some((_, after)) => after.strip_prefix(' ').unwrap_or(after),
            None => lead,
        };
        if self.fence.is_none() && (indent.starts_with('\t') || indent.starts_with("    ")) {
            return false;
        }
        match self.fence {
            Some((c, n)) => {
                if crate::text::fence_closes(t, c, n) {
                    self.fence = None;
                }
                true
            }
            None => match crate::text::fence_open(t) {
                Some((c, n, _)) => {
                    self.fence = Some((c, n));
                    true
                }
                None => false,
            },
        }
    }

    /// An embed line (`![[Note]]`) expanded; `None` for any other line, and
    /// for an embed that names no note, or a note that embeds the page (the
    /// Markdown stage makes it a link).
    fn embed(&mut self, line: &str, at: usize, depth: usize) -> Option<String> {
        let notes = self.notes?;
        let content = line.strip_suffix('\n').unwrap_or(line);
        let newline = &line[content.len()..];
        let embed = super::embed::parse_line(content)?;
        // The embed made a link (its `!` left out), when its text is not shown.
        let start = embed.prefix.len();
        let as_link = || format!("{}{}", &line[..start], &line[start + 1..]);
        let (host, _) = self.chain.last()?.clone();
        let host_rel = host
            .strip_prefix(&self.content)
            .unwrap_or(&host)
            .to_string_lossy()
            .replace('\\', "/");
        let (file, sharing) = notes.find(embed.name, &host_rel)?;
        let file = file.to_path_buf();
        let col = embed.prefix.chars().count() + 1;
        let real = file.canonicalize().ok()?;
        let written = match embed.part {
            Some(p) => format!("![[{}#{p}]]", embed.name),
            None => format!("![[{}]]", embed.name),
        };
        let root = self.root.clone();
        let shown = move |p: &Path| {
            p.strip_prefix(&root)
                .unwrap_or(p)
                .to_string_lossy()
                .replace('\\', "/")
        };
        // What is being shown, shown again inside itself, would show without
        // end: it is a link instead. A part of a note being shown is no loop
        // (unless the embed is inside that part: it is found one step on).
        let part = embed.part.map(str::to_lowercase);
        if self
            .chain
            .iter()
            .any(|(f, p)| f == &real && (p == &part || part.is_none()))
        {
            let message = if self.chain.len() == 1 {
                format!(
                    "`{written}` embeds this page in itself, which would show without end: here it is a link"
                )
            } else {
                let whom = if self.chain[0].0 == real {
                    "this page".to_string()
                } else {
                    format!("`{}`, already shown here", shown(&real))
                };
                format!(
                    "`{}`, embedded here, embeds {whom} with `{written}`, which would show without end: there it is a link",
                    shown(&host)
                )
            };
            self.warn(
                at,
                col,
                message,
                "write a link `[[…]]` there, or embed a part that does not hold the embed",
            );
            return Some(as_link());
        }
        if depth >= MAX_DEPTH {
            return Some(
                self.warn(
                    at,
                    col,
                    format!("`{written}`: notes embed each other more than {MAX_DEPTH} deep"),
                    "embed the note's text directly, or check for notes embedding each other",
                ) + newline,
            );
        }
        // Not read (the warning says why): a link to it.
        let Some((real, text)) = self.read("embed", embed.name, &file, at, col) else {
            return Some(as_link());
        };
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        let (body, draft) = self.body_and_draft(text);
        // A draft, or a note in a draft's folder, is embedded nowhere, as it
        // is linked from nowhere.
        if (draft || self.in_draft_folder(&real)) && !notes.drafts {
            return None;
        }
        // Its comments go before it is put in the page (one never closed
        // hides the rest of the note, not of the page; the note reports it).
        let uncommented = super::comments::strip(
            body,
            self.source,
            &crate::text::LineMap::new(1),
            &mut Vec::new(),
        );
        let body = uncommented.as_ref().map_or(body, |(t, _)| t.as_str());
        if sharing > 1 && !embed.name.contains('/') {
            self.diags.push(
                Diagnostic::warning(
                    self.source,
                    at,
                    col,
                    format!(
                        "`{written}` could embed any of the {sharing} notes named so: it embeds `{}`, the nearest",
                        shown(&real)
                    ),
                )
                .with_help("write the folder to choose one, as in `![[Dossier/Note]]`"),
            );
        }
        let selected = match embed.part {
            None => super::embed::nest_headings(&super::embed::without_block_ids(body)),
            Some(part) => match super::embed::part(body, part) {
                Some(t) => super::embed::nest_headings(&super::embed::without_block_ids(&t)),
                // The link to a heading or block that is not there is reported as such.
                None => return None,
            },
        };
        let inner_dir = real.parent().map(Path::to_path_buf).unwrap_or_default();
        // Its links and images lead from the page's folder.
        let up = host
            .parent()
            .map(|h| super::embed::relative_dir(h, &inner_dir))
            .unwrap_or_default();
        let selected = super::embed::rebase(&selected, &up);
        self.chain.push((real, part));
        let outer_fence = self.fence.take();
        let mut inner = String::with_capacity(selected.len());
        for l in selected.split_inclusive('\n') {
            inner.push_str(&self.line(l, &inner_dir, at, depth + 1, &mut Vec::new()));
        }
        // A code block the note leaves open ends with it.
        if let Some((c, n)) = self.fence.take() {
            if !inner.ends_with('\n') {
                inner.push('\n');
            }
            inner.push_str(&c.to_string().repeat(n));
        }
        self.fence = outer_fence;
        self.chain.pop();
        // Each line takes the embed's quote markers (`> `), a blank one without
        // its spaces; a blank line after it ends its last block (a list would
        // take the page's next line).
        let mut out = String::with_capacity(inner.len() + 16);
        for l in inner.trim_end_matches('\n').split('\n') {
            if l.trim().is_empty() {
                out.push_str(embed.prefix.trim_end());
            } else {
                out.push_str(embed.prefix);
                out.push_str(l);
            }
            out.push('\n');
        }
        out.push_str(embed.prefix.trim_end());
        out.push('\n');
        if newline.is_empty() {
            out.pop();
        }
        Some(out)
    }

    /// A note's body (after its front matter) and whether it is a draft; its
    /// front matter's problems are the note's own, reported there.
    fn body_and_draft<'t>(&self, text: &'t str) -> (&'t str, bool) {
        match super::front_matter::split(self.source, text) {
            Ok(split) => {
                let draft = super::front_matter::parse(self.source, &split, &mut Vec::new())
                    .is_some_and(|fm| fm.draft);
                (split.body, draft)
            }
            Err(_) => (text, false),
        }
    }

    /// Whether a folder holding the note `real` (up to the content folder)
    /// has a draft for its index page: its pages are all left out.
    fn in_draft_folder(&self, real: &Path) -> bool {
        let mut dir = real.parent();
        while let Some(d) = dir.filter(|d| d.starts_with(&self.content)) {
            let index = ["_index.md", "index.md", "README.md"]
                .iter()
                .map(|n| d.join(n))
                .find(|p| p.is_file() && p.as_path() != real);
            if let Some(index) = index
                && let Ok(text) = std::fs::read_to_string(&index)
                && self.body_and_draft(&text).1
            {
                return true;
            }
            dir = d.parent();
        }
        false
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
        let Some((real, text)) = self.read("include", path, &dir.join(path), at, col) else {
            return String::new();
        };
        // An included file is part of the page, not a page (an embedded note stays one).
        self.included.push(real.clone());
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
            // Included lines are all at the directive: their pieces do not matter.
            out.push_str(&self.line(l, &inner_dir, at, depth + 1, &mut Vec::new()));
        }
        // The directive's line goes on after the included text.
        if out.ends_with('\n') {
            out.pop();
        }
        out
    }

    /// The real path and text of the file `candidate` (written `path`), read
    /// if the rules allow it (inside the handbook, not in the output, within
    /// the budget, which it takes from); else `None`, with a warning at
    /// `at`:`col`.
    fn read(
        &mut self,
        verb: &str,
        path: &str,
        candidate: &Path,
        at: usize,
        col: usize,
    ) -> Option<(PathBuf, String)> {
        let Ok(real) = candidate.canonicalize() else {
            self.warn(
                at,
                col,
                format!("cannot {verb} `{path}`: it does not exist"),
                "the path is relative to the page's folder (a snippet's, `--8<--`, to the handbook folder); the directive is left out",
            );
            return None;
        };
        if let Err(crate::confine::Refusal::IntoOutput(_)) = self.confine.check_real(&real) {
            self.warn(
                at,
                col,
                format!("cannot {verb} `{path}`: it is in the output folder, which is never read"),
                "include the source file the output was made from",
            );
            return None;
        }
        // Inside the handbook whatever `allow_outside_links` says: that option
        // follows symbolic links, it does not open every path to an include.
        let inside = real.starts_with(&self.root) && self.confine.check_real(&real).is_ok();
        if !inside || !real.is_file() {
            self.warn(
                at,
                col,
                format!("cannot {verb} `{path}`: only files inside the handbook can be included"),
                "copy the file into the handbook folder",
            );
            return None;
        }
        // The budget counts the text as included: invalid bytes grow threefold
        // (each becomes U+FFFD), so the check is made after decoding.
        // Over the budget, the file is not read at all.
        let size = std::fs::metadata(&real).map_or(0, |m| m.len());
        let fits = self.budget >= MIN_COST && usize::try_from(size).is_ok_and(|s| s <= self.budget);
        let text = match fits.then(|| std::fs::read(&real)) {
            None => None,
            Some(Ok(b)) if b.len() <= self.budget => {
                Some(String::from_utf8_lossy(&b).replace("\r\n", "\n"))
                    .filter(|t| t.len() <= self.budget)
            }
            Some(Ok(_)) => None,
            Some(Err(e)) => {
                self.warn(
                    at,
                    col,
                    format!("cannot {verb} `{path}`: {e}"),
                    "check the file's permissions",
                );
                return None;
            }
        };
        let Some(text) = text else {
            // Once per page: the includes after it would all say the same.
            if !self.over_budget {
                self.over_budget = true;
                self.warn(
                    at,
                    col,
                    format!("cannot {verb} `{path}`: the page would include more than 8 MB (the files included after it are left out too)"),
                    "include smaller parts of the files (`path:10:40`), or fewer of them",
                );
            }
            return None;
        };
        // Each file read costs at least `MIN_COST`: many includes of empty files are bounded too.
        self.budget = self.budget.saturating_sub(text.len().max(MIN_COST));
        Some((real, text))
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

/// The lines opening and closing the part `name` (mdBook's anchors, pymdownx's sections).
fn bounds(l: &str, name: &str, open: bool) -> bool {
    let (anchor, section) = if open {
        (format!("ANCHOR: {name}"), format!("[start:{name}]"))
    } else {
        (format!("ANCHOR_END: {name}"), format!("[end:{name}]"))
    };
    l.contains(&anchor) || (l.contains(SNIPPET) && l.contains(&section))
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
            let open = lines.iter().position(|l| bounds(l, name, true))?;
            let close = lines[open..]
                .iter()
                .position(|l| bounds(l, name, false))
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
        let Expanded {
            text,
            lines: map,
            included,
            ..
        } = expand(
            "avant\n{{#include part.md}}\n\\{{#include part.md}}\n{{#include ../../secret.txt}}\nfin\n",
            3,
            &page,
            &config,
            "src/page.md",
            None,
            &mut d,
        )
        .expect("expanded");
        assert_eq!(text, "avant\nun\ndeux\n{{#include part.md}}\n\nfin\n");
        assert_eq!(map, [3, 4, 4, 5, 6, 7]);
        assert_eq!(included.len(), 1);
        assert!(included[0].ends_with("src/part.md"));
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!((d[0].line(), d[0].col()), (6, 1));
    }

    #[test]
    fn never_includes_an_output_folder_given_with_out() {
        // `build --out site` puts the output inside the handbook: a page that
        // includes a file of it would read the previous build into the next.
        let dir = tempfile::tempdir().expect("tmp");
        let root = dir.path();
        std::fs::create_dir_all(root.join("content")).expect("mkdir");
        std::fs::create_dir_all(root.join("site")).expect("mkdir");
        std::fs::write(root.join("site/index.html"), "<p>built</p>\n").expect("write");
        std::fs::write(root.join("content/part.md"), "un\n").expect("write");
        std::fs::write(root.join("mentorbook.yaml"), "title: T\n").expect("write");
        let mut config = Config::load(root).expect("config");
        config.confine = config.confine.clone().with_output(&root.join("site"));
        let mut d = Vec::new();
        let out = expand(
            "é {{#include part.md}} é {{#include ../site/index.html}} {{#rustdoc_include part.md}}\n",
            1,
            &root.join("content/page.md"),
            &config,
            "content/page.md",
            None,
            &mut d,
        )
        .expect("expanded");
        assert_eq!(out.text, "é un é  un\n");
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].message.contains("output folder"), "{d:?}");
        assert_eq!(
            (d[0].line(), d[0].col()),
            (1, 26),
            "the second directive's column"
        );
    }

    #[test]
    fn never_includes_the_configured_output_nor_outside_files_whatever_links_may_do() {
        // `output: built` is never read; `allow_outside_links: true` follows
        // symbolic links, it opens no path outside the handbook to an include.
        let dir = tempfile::tempdir().expect("tmp");
        let root = dir.path().join("book");
        std::fs::create_dir_all(root.join("content")).expect("mkdir");
        std::fs::create_dir_all(root.join("built")).expect("mkdir");
        std::fs::write(root.join("built/x.md"), "vieux\n").expect("write");
        std::fs::write(dir.path().join("secret.txt"), "secret\n").expect("write");
        std::fs::write(
            root.join("mentorbook.yaml"),
            "title: T\noutput: built\nallow_outside_links: true\n",
        )
        .expect("write");
        let config = Config::load(&root).expect("config");
        let mut d = Vec::new();
        let out = expand(
            "{{#include ../built/x.md}}\n{{#include ../../secret.txt}}\n",
            1,
            &root.join("content/page.md"),
            &config,
            "content/page.md",
            None,
            &mut d,
        )
        .expect("expanded");
        assert!(
            !out.text.contains("vieux") && !out.text.contains("secret"),
            "{}",
            out.text
        );
        assert_eq!(d.len(), 2, "{d:?}");
        assert!(d[0].message.contains("output folder"), "{d:?}");
        assert!(
            d[1].message.contains("only files inside the handbook"),
            "{d:?}"
        );
    }
}

//! Small helpers around YAML: bounds checked before parsing, where a key is in
//! the text, and YAML errors as diagnostics.
//!
//! [`bounded`] runs before any YAML is parsed: the parser's work grows with the
//! square of the nesting depth (80 KB of `[[[` took seconds), so the size and
//! the nesting are measured first by one cheap pass over the text, and text
//! beyond [`MAX_DEPTH`] levels or the size given is refused at its line.
//!
//! serde gives the line of the first error only, and nothing for keys it accepts;
//! [`KeyLines`] scans the text so unknown keys and bad values can be reported at
//! their own line.

use crate::diagnostic::Diagnostic;

/// The deepest nesting of YAML collections accepted (block and flow levels added).
pub const MAX_DEPTH: usize = 64;
/// The largest front matter or configuration accepted, in bytes.
pub const MAX_DOCUMENT: usize = 1024 * 1024;
/// The largest worksheet block accepted, in bytes.
pub const MAX_BLOCK: usize = 64 * 1024;

/// Checks, before parsing, that the YAML `text` (whose first line is file line
/// `first_line` of `path`) is at most `max_bytes` long and nests at most
/// [`MAX_DEPTH`] levels; `what` names the text in messages ("the front matter").
pub fn bounded(
    path: &str,
    text: &str,
    first_line: usize,
    max_bytes: usize,
    what: &str,
) -> Result<(), Diagnostic> {
    if text.len() > max_bytes {
        return Err(Diagnostic::error(
            path,
            first_line,
            1,
            format!(
                "{what} is {} KB long, more than the {} KB allowed",
                text.len().div_ceil(1024),
                max_bytes / 1024
            ),
        )
        .with_help("keep long text in the page's body, not in YAML"));
    }
    match nesting(text, MAX_DEPTH) {
        Some((line, col)) => Err(Diagnostic::error(
            path,
            first_line + line - 1,
            col,
            format!("{what} nests more than {MAX_DEPTH} levels deep here"),
        )
        .with_help("flatten the structure: YAML used by mentorbook needs a few levels at most")),
        None => Ok(()),
    }
}

/// The (line, column), 1-based, where the nesting of `text` first goes beyond
/// `max` levels, or `None`. Counts block levels (deeper indentation, `- ` and
/// `? ` items) and flow levels (`[`, `{`), outside quotes, comments and block
/// scalars. One pass, no allocation per character: linear in the text.
fn nesting(text: &str, max: usize) -> Option<(usize, usize)> {
    let mut indents: Vec<usize> = Vec::new();
    let mut flow = 0usize;
    // Inside a block scalar (`|`, `>`): the indentation of the line that opened it.
    let mut scalar_of: Option<usize> = None;
    // Inside a quoted scalar that goes on past the end of a line.
    let mut quote: Option<char> = None;
    for (i, line) in text.split('\n').enumerate() {
        let content = line.trim_start_matches(' ');
        let indent = line.len() - content.len();
        if let Some(open) = scalar_of {
            if content.trim().is_empty() || indent > open {
                continue;
            }
            scalar_of = None;
        }
        let mut block = 0;
        if quote.is_none() && flow == 0 && !content.is_empty() && !content.starts_with('#') {
            while indents.last().is_some_and(|&top| top > indent) {
                indents.pop();
            }
            if indents.last() != Some(&indent) {
                indents.push(indent);
            }
            block = indents.len();
        }
        let bytes = line.as_bytes();
        let mut at_node = quote.is_none();
        let mut last_indicator = false;
        let mut j = indent;
        if quote.is_some() {
            j = 0;
        }
        while j < bytes.len() {
            let c = bytes[j];
            if let Some(q) = quote {
                if q == '"' && c == b'\\' {
                    j += 2;
                    continue;
                }
                if c == q as u8 {
                    if q == '\'' && bytes.get(j + 1) == Some(&b'\'') {
                        j += 2;
                        continue;
                    }
                    quote = None;
                    at_node = false;
                }
                j += 1;
                continue;
            }
            let next_blank = bytes.get(j + 1).is_none_or(|b| *b == b' ' || *b == b'\t');
            match c {
                b' ' | b'\t' => {}
                b'#' if j == 0 || bytes[j - 1] == b' ' || bytes[j - 1] == b'\t' => break,
                b'-' | b'?' if at_node && next_blank && flow == 0 => {
                    block += 1;
                }
                b':' if next_blank || flow > 0 => at_node = true,
                b',' if flow > 0 => at_node = true,
                b'[' | b'{' if at_node || flow > 0 => {
                    flow += 1;
                    if block + flow > max {
                        return Some((i + 1, j + 1));
                    }
                    at_node = true;
                }
                b']' | b'}' if flow > 0 => {
                    flow -= 1;
                    at_node = false;
                }
                b'"' | b'\'' if at_node => quote = Some(c as char),
                b'|' | b'>' if at_node && flow == 0 => {
                    last_indicator = true;
                    at_node = false;
                }
                _ => {
                    at_node = false;
                    if !(last_indicator && (c == b'+' || c == b'-' || c.is_ascii_digit())) {
                        last_indicator = false;
                    }
                }
            }
            if block + flow > max {
                return Some((i + 1, j + 1));
            }
            j += 1;
        }
        if last_indicator && quote.is_none() && flow == 0 {
            scalar_of = Some(indent);
        }
    }
    None
}

/// The line of every mapping key in a YAML text, by dotted path (`theme.primary`).
#[derive(Debug, Default, Clone)]
pub struct KeyLines {
    keys: Vec<(String, usize, usize)>,
    /// Scalar list items (`- a.md`, or in `[a.md, b.md]`): (dotted path of the
    /// list's key, value without quotes, line, column of the value).
    items: Vec<(String, String, usize, usize)>,
}

impl KeyLines {
    /// Scans block-style YAML for `key:` lines. `first_line` is the file line of the text's first line.
    pub fn scan(text: &str, first_line: usize) -> Self {
        let mut keys = Vec::new();
        let mut items = Vec::new();
        let mut stack: Vec<(usize, String)> = Vec::new();
        let mut in_block_scalar: Option<usize> = None;
        for (i, raw) in text.lines().enumerate() {
            let line = raw.trim_end();
            let trimmed = line.trim_start();
            let indent = line.len() - trimmed.len();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            if let Some(block_indent) = in_block_scalar {
                if indent > block_indent {
                    continue;
                }
                in_block_scalar = None;
            }
            // The keys a line at `indent` sits under (`pages:` and its items may
            // share an indent: `pages:\n- a.md`).
            let path_above = |stack: &[(usize, String)], same: bool| {
                stack
                    .iter()
                    .filter(|(ind, _)| *ind < indent || (same && *ind == indent))
                    .map(|(_, k)| k.as_str())
                    .collect::<Vec<_>>()
                    .join(".")
            };
            if let Some(item) = trimmed.strip_prefix('-') {
                let value = item.trim();
                if !value.is_empty() && key_of(value).is_none() {
                    let col = indent + 1 + (item.len() - item.trim_start().len()) + 1;
                    items.push((
                        path_above(&stack, true),
                        unquote(value),
                        first_line + i,
                        col,
                    ));
                }
                continue;
            }
            let Some(key) = key_of(trimmed) else { continue };
            while stack.last().is_some_and(|(ind, _)| *ind >= indent) {
                stack.pop();
            }
            let mut path = path_above(&stack, false);
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(&key);
            let colon = trimmed.find(':').map_or(trimmed.len(), |p| p + 1);
            let rest = trimmed[colon..].trim();
            if rest.starts_with('|') || rest.starts_with('>') {
                in_block_scalar = Some(indent);
            }
            if let Some(flow) = rest.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
                // `pages: [a.md, b.md]`: each value at its own column.
                let mut at = indent
                    + colon
                    + (trimmed[colon..].len() - trimmed[colon..].trim_start().len())
                    + 2;
                for part in flow.split(',') {
                    let value = part.trim();
                    let lead = part.len() - part.trim_start().len();
                    if !value.is_empty() {
                        items.push((path.clone(), unquote(value), first_line + i, at + lead));
                    }
                    at += part.len() + 1;
                }
            }
            keys.push((path, first_line + i, indent + 1));
            stack.push((indent, key));
        }
        Self { keys, items }
    }

    /// The (line, column) of the first scalar item `value` of the list at the
    /// dotted key path `list` (`programme.phases.pages`), if found.
    pub fn item(&self, list: &str, value: &str) -> Option<(usize, usize)> {
        self.items
            .iter()
            .find(|(p, v, _, _)| p == list && v == value)
            .map(|(_, _, l, c)| (*l, *c))
    }

    /// Key lines found by another scanner (the keys of TOML front matter):
    /// (dotted path, file line, column).
    pub fn from_entries(keys: Vec<(String, usize, usize)>) -> Self {
        Self {
            keys,
            items: Vec::new(),
        }
    }

    /// The (line, column) of a dotted key path, if found.
    pub fn get(&self, path: &str) -> Option<(usize, usize)> {
        self.keys
            .iter()
            .find(|(p, _, _)| p == path)
            .map(|(_, l, c)| (*l, *c))
    }

    /// Every top-level key with its (line, column).
    pub fn top_level(&self) -> impl Iterator<Item = (&str, usize, usize)> {
        self.keys
            .iter()
            .filter(|(p, _, _)| !p.contains('.'))
            .map(|(p, l, c)| (p.as_str(), *l, *c))
    }

    /// Every key directly under `parent` with its (line, column).
    pub fn children<'a>(
        &'a self,
        parent: &'a str,
    ) -> impl Iterator<Item = (&'a str, usize, usize)> + 'a {
        self.keys.iter().filter_map(move |(p, l, c)| {
            let rest = p.strip_prefix(parent)?.strip_prefix('.')?;
            (!rest.contains('.')).then_some((rest, *l, *c))
        })
    }
}

/// A scalar without the quotes around it.
fn unquote(value: &str) -> String {
    let v = value.trim();
    for q in ['"', '\''] {
        if let Some(inner) = v.strip_prefix(q).and_then(|r| r.strip_suffix(q)) {
            return inner.to_string();
        }
    }
    v.to_string()
}

fn key_of(trimmed: &str) -> Option<String> {
    let (key, quoted) = if let Some(rest) = trimmed.strip_prefix('"') {
        (rest.split('"').next()?, true)
    } else if let Some(rest) = trimmed.strip_prefix('\'') {
        (rest.split('\'').next()?, true)
    } else {
        let colon = trimmed.find(':')?;
        (&trimmed[..colon], false)
    };
    if key.is_empty() || key.contains('{') || key.contains('[') || key.contains('#') {
        return None;
    }
    let after = if quoted {
        trimmed.get(key.len() + 2..)?.trim_start()
    } else {
        &trimmed[key.len()..]
    };
    let after_colon = after.strip_prefix(':')?;
    if !(after_colon.is_empty() || after_colon.starts_with(' ') || after_colon.starts_with('\t')) {
        return None;
    }
    Some(key.trim().to_string())
}

/// A serde message in the words of people who write YAML: `expected i64` is
/// `expected a whole number`, `expected a boolean` is `expected true or false`.
pub fn plain_words(message: &str) -> String {
    let mut m = message.to_string();
    for (serde, plain) in [
        ("expected a boolean", "expected true or false"),
        ("expected i64", "expected a whole number"),
        ("expected u64", "expected a whole number (0 or more)"),
        ("expected u32", "expected a whole number (0 or more)"),
        ("expected u16", "expected a whole number (0 or more)"),
        ("expected u8", "expected a whole number (0 or more)"),
        ("expected usize", "expected a whole number (0 or more)"),
        ("expected f64", "expected a number"),
        ("expected f32", "expected a number"),
    ] {
        if let Some(at) = m.find(serde)
            && !m[at + serde.len()..].starts_with(|c: char| c.is_ascii_alphanumeric())
        {
            m.replace_range(at..at + serde.len(), plain);
        }
    }
    m
}

/// The key of a duplicate-key message (`duplicate entry with key "title"`,
/// `duplicate field `title``).
fn duplicate_key(message: &str) -> Option<&str> {
    if let Some(rest) = message.split("duplicate entry with key \"").nth(1) {
        return rest.split('"').next();
    }
    message
        .split("duplicate field `")
        .nth(1)
        .and_then(|rest| rest.split('`').next())
}

/// The 0-based line and 1-based column of the second `key:` written at the
/// indentation of the first, from line `from` (0-based) of `text` on.
fn second_key_line(text: &str, key: &str, from: usize) -> Option<(usize, usize)> {
    let mut indent = None;
    for (n, l) in text.lines().enumerate().skip(from) {
        let trimmed = l.trim_start_matches(' ');
        let Some(after) = trimmed.strip_prefix(key) else {
            continue;
        };
        if !after.trim_start_matches(' ').starts_with(':') {
            continue;
        }
        let at = l.len() - trimmed.len();
        match indent {
            None => indent = Some(at),
            Some(i) if i == at => return Some((n, at + 1)),
            Some(_) => {}
        }
    }
    None
}

/// Turns a YAML parse or type error into a diagnostic at the right file line.
/// `first_line` is the file line of the YAML text's first line.
pub fn error_to_diagnostic(
    path: &str,
    err: &serde_yaml::Error,
    first_line: usize,
    text: &str,
) -> Diagnostic {
    let (mut line, mut col) = err
        .location()
        .map_or((first_line, 1), |l| (l.line() + first_line - 1, l.column()));
    let full = err.to_string();
    // libyaml says "PROBLEM at line X column Y, while CONTEXT at line A column B":
    // the context (where a quote or bracket was opened) is where the author must look.
    let (problem, context) = match full.split_once(", while ") {
        Some((p, c)) => (p, Some(c)),
        None => (full.as_str(), None),
    };
    let problem = plain_words(strip_location(problem));
    let mut message = problem.clone();
    if let Some(context) = context {
        let opened_here = context.contains("quoted scalar") || context.contains("flow");
        if let Some((l, c)) = parse_location(context).filter(|_| opened_here) {
            line = l + first_line - 1;
            col = c;
        }
        message = format!("{problem} (while {})", strip_location(context));
    }
    let mut help = yaml_help(&message);
    let bad_line = text.lines().nth(line.saturating_sub(first_line));
    if help.is_none()
        && bad_line
            .is_some_and(|l| l.starts_with('\t') || l.trim_start_matches(' ').starts_with('\t'))
    {
        help = Some("YAML indentation must use spaces, not tabs");
    }
    let indented_key = bad_line.is_some_and(|l| {
        let t = l.trim_start_matches(' ');
        t.len() < l.len()
            && t.split_once(':').is_some_and(|(k, _)| {
                !k.is_empty()
                    && k.chars()
                        .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
            })
    });
    if indented_key && message.contains("mapping values are not allowed") {
        help = Some(
            "this line is indented under a key that already has a value: start it at the beginning of the line (if it continues the value above, quote that value)",
        );
    }
    if message.contains("missing field") {
        // serde points after the mapping; its first line is where the key belongs.
        (line, col) = (first_line, 1);
    }
    if let Some(key) = duplicate_key(&message)
        && let Some((l, c)) = second_key_line(text, key, line.saturating_sub(first_line))
    {
        // Reported where the mapping starts: the second one is the mistake.
        (line, col) = (l + first_line, c);
        message = format!("the key `{key}` is written twice");
        help = Some("keep one of them: the second would silently replace the first");
    }
    let kind = if message.contains("unknown field") {
        "unknown key"
    } else if [
        "invalid type",
        "invalid value",
        "unknown variant",
        "invalid length",
        "missing field",
    ]
    .iter()
    .any(|k| message.contains(k))
    {
        "wrong value"
    } else {
        "invalid YAML"
    };
    let d = Diagnostic::error(path, line, col, format!("{kind}: {message}"));
    match help {
        Some(h) => d.with_help(h),
        None => d,
    }
}

fn strip_location(s: &str) -> &str {
    s.find(" at line ").map_or(s, |i| &s[..i])
}

/// Reads "… at line L column C" (1-based line and column).
fn parse_location(s: &str) -> Option<(usize, usize)> {
    let rest = &s[s.find(" at line ")? + 9..];
    let (l, rest) = rest.split_once(" column ")?;
    let c: String = rest.chars().take_while(char::is_ascii_digit).collect();
    Some((l.trim().parse().ok()?, c.parse().ok()?))
}

fn yaml_help(message: &str) -> Option<&'static str> {
    if message.contains("tab") {
        Some("YAML indentation must use spaces, not tabs")
    } else if message.contains("did not find expected key")
        || message.contains("mapping values are not allowed")
    {
        Some("quote values that contain `: ` (for example `title: \"Avant : après\"`)")
    } else if message.contains("quoted scalar") {
        Some("check that every quote is closed on the same line")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_indented_key_is_told_apart_from_a_value_with_a_colon() {
        let help = |text: &str| {
            let err = serde_yaml::from_str::<serde_yaml::Mapping>(text).unwrap_err();
            error_to_diagnostic("a.md", &err, 2, text)
                .help
                .unwrap_or_default()
        };
        assert!(help("title: A\n  weight: 2\n").starts_with("this line is indented"));
        assert!(help("title: Avant : après\n").starts_with("quote values"));
    }

    #[test]
    fn a_duplicate_key_is_reported_at_its_second_line() {
        let text = "title: A\ntheme:\n  title: x\nlang: fr\ntitle: B\n";
        let err = serde_yaml::from_str::<serde_yaml::Mapping>(text).unwrap_err();
        let d = error_to_diagnostic("mentorbook.yaml", &err, 1, text);
        assert_eq!((d.line(), d.col()), (5, 1), "{d:?}");
        assert!(
            d.message.contains("the key `title` is written twice"),
            "{d:?}"
        );
        assert_eq!(duplicate_key("duplicate field `weight`"), Some("weight"));
        assert_eq!(
            second_key_line("a: 1\n  a: 2\n", "a", 0),
            None,
            "another level"
        );
    }

    use super::*;

    #[test]
    fn nesting_is_measured_before_parsing() {
        assert_eq!(nesting("a: [[[1]]]\n", 3), Some((1, 6)));
        assert_eq!(nesting("a: [[[1]]]\n", 4), None);
        let deep = "x: ".to_string() + &"[".repeat(80_000);
        let t = std::time::Instant::now();
        assert_eq!(nesting(&deep, MAX_DEPTH), Some((1, 4 + MAX_DEPTH - 1)));
        assert!(t.elapsed().as_millis() < 500);
        let mut block = String::new();
        for i in 0..100 {
            block.push_str(&" ".repeat(i));
            block.push_str("k:\n");
        }
        assert_eq!(nesting(&block, 10), Some((11, 11)));
        assert_eq!(nesting("- - - - x\n", 3), Some((1, 5)));
    }

    #[test]
    fn nesting_ignores_text_that_is_not_structure() {
        let text = "title: \"[[[[[\"\nb: '{{{{ it''s [[['\nc: l'été [[[[\n# [[[[[[\nd: |\n  [[[[[[[\n  {{{{{\ne: >-\n  [[[[[[\nf: \"multi\n  [[[[[ line\"\ng: [a, b]\n";
        assert_eq!(nesting(text, 2), None, "{text}");
    }

    #[test]
    fn finds_nested_keys_and_lines() {
        let k = KeyLines::scan(
            "title: A\ntheme:\n  primary: '#0b5'\n  logo: x.svg\nlist:\n  - a: 1\n",
            2,
        );
        assert_eq!(k.get("title"), Some((2, 1)));
        assert_eq!(k.get("theme.primary"), Some((4, 3)));
        assert_eq!(k.children("theme").count(), 2);
        assert_eq!(k.top_level().count(), 3);
    }

    #[test]
    fn finds_list_items_block_and_flow() {
        let text = "programme:\n  phases:\n    - name: A\n      pages:\n        - a.md\n        - \"b.md\"\n    - name: B\n      pages: [c.md,  'd.md']\n    - name: C\n      pages:\n      - e.md\n";
        let k = KeyLines::scan(text, 1);
        assert_eq!(k.item("programme.phases.pages", "a.md"), Some((5, 11)));
        assert_eq!(k.item("programme.phases.pages", "b.md"), Some((6, 11)));
        assert_eq!(k.item("programme.phases.pages", "c.md"), Some((8, 15)));
        assert_eq!(k.item("programme.phases.pages", "d.md"), Some((8, 22)));
        assert_eq!(k.item("programme.phases.pages", "e.md"), Some((11, 9)));
        assert_eq!(k.item("programme.phases", "A"), None, "maps are not items");
        assert_eq!(k.get("programme.phases.pages"), Some((4, 7)));
    }

    #[test]
    fn ignores_urls_and_block_scalars() {
        let k = KeyLines::scan("a: http://x\nb: |\n  c: not a key\nd: 1\n", 1);
        let keys: Vec<_> = k.top_level().map(|(k, _, _)| k.to_string()).collect();
        assert_eq!(keys, ["a", "b", "d"]);
    }
}

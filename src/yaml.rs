//! Small helpers around YAML: where a key is in the text, and YAML errors as diagnostics.
//!
//! serde gives the line of the first error only, and nothing for keys it accepts;
//! [`KeyLines`] scans the text so unknown keys and bad values can be reported at
//! their own line.

use crate::diagnostic::Diagnostic;

/// The line of every mapping key in a YAML text, by dotted path (`theme.primary`).
#[derive(Debug, Default, Clone)]
pub struct KeyLines {
    keys: Vec<(String, usize, usize)>,
}

impl KeyLines {
    /// Scans block-style YAML for `key:` lines. `first_line` is the file line of the text's first line.
    pub fn scan(text: &str, first_line: usize) -> Self {
        let mut keys = Vec::new();
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
            if trimmed.starts_with('-') {
                continue;
            }
            let Some(key) = key_of(trimmed) else { continue };
            while stack.last().is_some_and(|(ind, _)| *ind >= indent) {
                stack.pop();
            }
            let mut path = String::new();
            for (_, k) in &stack {
                path.push_str(k);
                path.push('.');
            }
            path.push_str(&key);
            keys.push((path, first_line + i, indent + 1));
            let rest = trimmed[trimmed.find(':').map_or(trimmed.len(), |p| p + 1)..].trim();
            if rest.starts_with('|') || rest.starts_with('>') {
                in_block_scalar = Some(indent);
            }
            stack.push((indent, key));
        }
        Self { keys }
    }

    /// Key lines found by another scanner (the keys of TOML front matter):
    /// (dotted path, file line, column).
    pub fn from_entries(keys: Vec<(String, usize, usize)>) -> Self {
        Self { keys }
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
    let problem = strip_location(problem);
    let mut message = problem.to_string();
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
    if message.contains("missing field") {
        // serde points after the mapping; its first line is where the key belongs.
        (line, col) = (first_line, 1);
    }
    let kind = if [
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
    use super::*;

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
    fn ignores_urls_and_block_scalars() {
        let k = KeyLines::scan("a: http://x\nb: |\n  c: not a key\nd: 1\n", 1);
        let keys: Vec<_> = k.top_level().map(|(k, _, _)| k.to_string()).collect();
        assert_eq!(keys, ["a", "b", "d"]);
    }
}

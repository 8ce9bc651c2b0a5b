//! Zola's shortcode calls, read for the text pre-passes: `{{ youtube(id="…") }}`
//! (inline) and `{% note(title="…") %}` … `{% end %}` (with a body). A call is
//! a name and keyword arguments whose values are strings (`"…"`, `'…'`,
//! `` `…` ``), numbers, booleans or arrays; anything else is not a shortcode
//! (Zola shows it as written).
//!
//! [`dialects`](super::dialects) rewrites the calls alone on their line (videos,
//! callouts, the body shortcodes); [`foreign`](super::foreign) those inside a line
//! and reports the others.

use crate::markdown::containers::CalloutKind;

/// The warning about a shortcode left out (the passes add where and what).
pub const UNSUPPORTED: &str = "this Zola shortcode is not supported and was left out";
/// Its help.
pub const UNSUPPORTED_HELP: &str = "replace it with Markdown: a link, an image, a callout (`{% note() %}` … `{% end %}`, `:::tip`)";

/// A shortcode call: its name and its arguments, values unquoted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call<'a> {
    /// The shortcode's name (`youtube`).
    pub name: &'a str,
    /// The keyword arguments, in order, string values without their quotes.
    pub args: Vec<(&'a str, &'a str)>,
}

impl<'a> Call<'a> {
    /// The value of argument `key`.
    pub fn arg(&self, key: &str) -> Option<&'a str> {
        self.args.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
    }
}

/// A shortcode tag: the call, whether it opens a body (`{% … %}`), and its length.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag<'a> {
    /// The call; `None` for `{% end %}`.
    pub call: Option<Call<'a>>,
    /// Written `{% … %}`: a shortcode with a body (or its end).
    pub body: bool,
    /// Bytes of the tag in the text it starts.
    pub len: usize,
}

/// The longest shortcode tag read, in bytes: a scan from each `{{` stops there,
/// so a line of many unclosed ones stays linear.
const MAX_TAG: usize = 4096;

/// The shortcode tag `s` starts with (`{{ name(…) }}`, `{% name(…) %}`, `{% end %}`).
pub fn tag_at(s: &str) -> Option<Tag<'_>> {
    let mut window = s.len().min(MAX_TAG);
    while !s.is_char_boundary(window) {
        window -= 1;
    }
    let s = &s[..window];
    let (body, close) = if s.starts_with("{{") {
        (false, "}}")
    } else if s.starts_with("{%") {
        (true, "%}")
    } else {
        return None;
    };
    let inner = &s[2..];
    let trimmed = inner.trim_start();
    if body && let Some(after) = trimmed.strip_prefix("end") {
        let after = after.trim_start();
        return after.starts_with(close).then(|| Tag {
            call: None,
            body,
            len: s.len() - after.len() + close.len(),
        });
    }
    let (call, rest) = call(trimmed)?;
    let rest_t = rest.trim_start();
    rest_t.starts_with(close).then(|| Tag {
        call: Some(call),
        body,
        len: s.len() - rest_t.len() + close.len(),
    })
}

/// The shortcode tag that is the whole of `t` (spaces around allowed).
pub fn line_tag(t: &str) -> Option<Tag<'_>> {
    let t = t.trim();
    tag_at(t).filter(|tag| tag.len == t.len())
}

/// A call `name(key=value, …)` at the start of `s`, and the text after it.
fn call(s: &str) -> Option<(Call<'_>, &str)> {
    let name_len = s
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(s.len());
    let name = &s[..name_len];
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let mut rest = s[name_len..].strip_prefix('(')?;
    let mut args = Vec::new();
    loop {
        rest = rest.trim_start();
        if let Some(after) = rest.strip_prefix(')') {
            return Some((Call { name, args }, after));
        }
        let key_len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        let key = &rest[..key_len];
        if key.is_empty() {
            return None;
        }
        rest = rest[key_len..].trim_start().strip_prefix('=')?.trim_start();
        let (value, after) = value(rest)?;
        args.push((key, value));
        rest = after.trim_start();
        if let Some(after) = rest.strip_prefix(',') {
            rest = after;
        } else if !rest.starts_with(')') {
            return None;
        }
    }
}

/// An argument's value at the start of `s` (a string without its quotes), and the rest.
fn value(s: &str) -> Option<(&str, &str)> {
    let first = s.chars().next()?;
    if matches!(first, '"' | '\'' | '`') {
        let end = s[1..].find(first)? + 1;
        return Some((&s[1..end], &s[end + 1..]));
    }
    if first == '[' {
        // An array: to its `]`, skipping quoted values.
        let mut quote: Option<char> = None;
        for (i, c) in s.char_indices().skip(1) {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'' | '`') => quote = Some(c),
                (None, ']') => return Some((&s[..=i], &s[i + 1..])),
                (None, _) => {}
            }
        }
        return None;
    }
    let end = s.find([',', ')', ' ', '\t']).unwrap_or(s.len());
    let v = &s[..end];
    let literal = v == "true"
        || v == "false"
        || (!v.is_empty()
            && v.chars()
                .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+')));
    literal.then(|| (v, &s[end..]))
}

/// The address of the video of a `youtube` or `vimeo` call, when its `id` is one.
pub fn video_url(call: &Call<'_>) -> Option<String> {
    let id = call.arg("id")?;
    let safe = !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    match call.name {
        "youtube" if safe => Some(format!("https://www.youtube.com/watch?v={id}")),
        "vimeo" if safe => Some(format!("https://vimeo.com/{id}")),
        _ => None,
    }
}

/// The callout a body shortcode stands for: its name is a kind (`note`, `tip`,
/// `warning`, `danger`…), or it is a generic one (`admonition`, `callout`,
/// `alert`, `notice`) whose `type` or `kind` says the kind; with its `title`.
pub fn callout<'a>(
    call: &Call<'a>,
    kind_of: impl Fn(&str) -> Option<CalloutKind>,
) -> Option<(CalloutKind, &'a str)> {
    let title = call.arg("title").unwrap_or("");
    if let Some(kind) = kind_of(call.name) {
        return Some((kind, title));
    }
    if matches!(call.name, "admonition" | "callout" | "alert" | "notice") {
        let kind = call
            .arg("type")
            .or_else(|| call.arg("kind"))
            .and_then(&kind_of)
            .unwrap_or(CalloutKind::Note);
        return Some((kind, title));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_are_read_with_their_arguments() {
        let t = line_tag("{{ youtube(id=\"dQw4w9WgXcQ\", autoplay=true) }}").expect("tag");
        assert!(!t.body);
        let c = t.call.expect("call");
        assert_eq!(c.name, "youtube");
        assert_eq!(c.args, [("id", "dQw4w9WgXcQ"), ("autoplay", "true")]);
        assert_eq!(
            video_url(&c).as_deref(),
            Some("https://www.youtube.com/watch?v=dQw4w9WgXcQ")
        );
        let t = line_tag("  {% note(title='À savoir, vite') %} ").expect("tag");
        assert!(t.body);
        assert_eq!(
            t.call
                .and_then(|c| c.arg("title").map(str::to_string))
                .as_deref(),
            Some("À savoir, vite")
        );
        let t = line_tag("{% end %}").expect("end");
        assert_eq!((t.call, t.body), (None, true));
        let t = line_tag("{{ gallery(images=[\"a.png\", \"b].png\"], n = 2) }}").expect("array");
        assert_eq!(t.call.map(|c| c.args.len()), Some(2));
        let t = line_tag("{{ vimeo(id=\"12345\") }}")
            .and_then(|t| t.call)
            .expect("vimeo");
        assert_eq!(video_url(&t).as_deref(), Some("https://vimeo.com/12345"));
    }

    #[test]
    fn other_braces_are_no_shortcode() {
        for s in [
            "{{ site.baseurl }}",
            "{{ x | relative_url }}",
            "{% raw %}",
            "{% hint style=\"info\" %}",
            "{{ f(x) }}",
            "{{ f(x=y) }}",
            "{{ f(x=\"a\" }}",
            "{{ 1a() }}",
            "{{ youtube(id=\"a\") }} et la suite",
            "{{ f(x=\"a) }}",
            "{{ f(x=[\"a\") }}",
            "{{",
            "{%",
        ] {
            assert_eq!(line_tag(s), None, "{s}");
        }
        // Inside a line, a tag ends where it closes.
        let t = tag_at("{{ youtube(id=\"a\") }} et la suite").expect("tag");
        assert_eq!(t.len, "{{ youtube(id=\"a\") }}".len());
        let c = line_tag("{{ youtube(id=\"a b\") }}")
            .and_then(|t| t.call)
            .expect("call");
        assert_eq!(video_url(&c), None, "no unsafe id in a URL");
    }

    #[test]
    fn a_tag_is_read_within_its_window() {
        // An unclosed array is not read past the window (a line of many stays linear).
        let line = "{{ a(x=[".repeat(2_000);
        assert_eq!(tag_at(&line), None);
        // The window ends on a character boundary; a longer tag is none.
        assert_eq!(
            line_tag(&format!("{{{{ f(x=\"{}\") }}}}", "é".repeat(3000))),
            None
        );
        assert!(line_tag(&format!("{{{{ f(x=\"{}\") }}}}", "é".repeat(1000))).is_some());
    }

    #[test]
    fn callouts_by_name_or_type() {
        let kind = CalloutKind::from_container;
        let c = Call {
            name: "warning",
            args: vec![("title", "Attention")],
        };
        assert_eq!(callout(&c, kind), Some((CalloutKind::Warning, "Attention")));
        let c = Call {
            name: "admonition",
            args: vec![("type", "tip")],
        };
        assert_eq!(callout(&c, kind), Some((CalloutKind::Tip, "")));
        let c = Call {
            name: "quote",
            args: vec![],
        };
        assert_eq!(callout(&c, kind), None);
    }
}

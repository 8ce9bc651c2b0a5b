//! Relative URLs between output files, so the site works from any sub-path and from `file://`.

/// The prefix that leads from the folder of `from` (an output path like `a/b.html`)
/// back to the output root: `""`, `"../"`, `"../../"`…
pub fn root_prefix(from: &str) -> String {
    "../".repeat(from.matches('/').count())
}

/// The relative URL from the output file `from` to the output file `to`
/// (both `/`-separated paths relative to the output root), percent-encoded.
pub fn relative(from: &str, to: &str) -> String {
    let from_dir: Vec<&str> = from.split('/').collect::<Vec<_>>();
    let from_dir = &from_dir[..from_dir.len().saturating_sub(1)];
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from_dir
        .iter()
        .zip(to_parts.iter())
        .take_while(|(a, b)| a == b)
        .count()
        .min(to_parts.len().saturating_sub(1));
    let mut out = "../".repeat(from_dir.len() - common);
    let rest: Vec<String> = to_parts[common..]
        .iter()
        .map(|p| encode_segment(p))
        .collect();
    out.push_str(&rest.join("/"));
    if out.is_empty() {
        out.push_str(to_parts.last().copied().unwrap_or(""));
    }
    out
}

/// What [`encode_segment`] encodes: everything but the unreserved characters
/// of RFC 3986 (letters, digits, `-`, `.`, `_`, `~`).
const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes one path segment (keeps unreserved characters).
pub fn encode_segment(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, SEGMENT).to_string()
}

/// Percent-encodes every segment of a `/`-separated path, keeping the `/`s.
pub fn encode_path(path: &str) -> String {
    path.split('/')
        .map(encode_segment)
        .collect::<Vec<_>>()
        .join("/")
}

/// Decodes `%XX` escapes; invalid escapes are kept as they are, and bytes that
/// do not form UTF-8 become U+FFFD.
pub fn decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

/// Joins a relative `link` to the folder `base_dir` (both content-relative, `/`-separated)
/// and removes `.` and `..`. `None` when the result would leave the root.
pub fn resolve(base_dir: &str, link: &str) -> Option<String> {
    let mut parts: Vec<&str> = if link.starts_with('/') {
        Vec::new()
    } else {
        base_dir.split('/').filter(|p| !p.is_empty()).collect()
    };
    for seg in link.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// Whether a link target has a URL scheme (`https:`, `mailto:`…) or is protocol-relative.
pub fn is_external(url: &str) -> bool {
    if url.starts_with("//") {
        return true;
    }
    let Some(colon) = url.find(':') else {
        return false;
    };
    let scheme = &url[..colon];
    !scheme.is_empty()
        && scheme
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// Why a link's destination deserves a warning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Risk {
    /// A scheme that runs code or opens a document made by the link itself
    /// (`javascript:`, `vbscript:`, `data:` other than images): neutralised
    /// with `safe_html: true`.
    Script(&'static str),
    /// `file:`: a file on the reader's own computer.
    File,
    /// `//host/…`: another site, with the page's own protocol.
    ProtocolRelative,
}

/// The risk of following `url`, read as a browser reads it: leading spaces
/// and control characters dropped, tabs and line breaks ignored, the scheme in
/// any case. `data:image/…` is an image, not a risk.
pub fn risk(url: &str) -> Option<Risk> {
    let url = url.trim_start_matches(|c: char| c <= ' ');
    let mut chars = url.chars().filter(|c| !matches!(c, '\t' | '\n' | '\r'));
    let first_two: String = chars.clone().take(2).collect();
    if first_two.len() == 2 && first_two.chars().all(|c| c == '/' || c == '\\') {
        return Some(Risk::ProtocolRelative);
    }
    let mut scheme = String::new();
    for c in chars.by_ref() {
        if c == ':' {
            break;
        }
        if !(c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')) || scheme.len() > 16 {
            return None;
        }
        scheme.push(c.to_ascii_lowercase());
    }
    match scheme.as_str() {
        "javascript" => Some(Risk::Script("javascript")),
        "vbscript" => Some(Risk::Script("vbscript")),
        "data" => {
            let rest: String = chars.take(6).collect::<String>().to_ascii_lowercase();
            (rest != "image/").then_some(Risk::Script("data"))
        }
        "file" => Some(Risk::File),
        _ => None,
    }
}

/// The warning for a link (or image, or HTML attribute) to `url` with `risk`,
/// at `path:line:col`; `removed` tells whether `safe_html` took it out.
pub fn risk_warning(
    path: &str,
    line: usize,
    col: usize,
    url: &str,
    risk: Risk,
    removed: bool,
    image: bool,
) -> crate::diagnostic::Diagnostic {
    use crate::diagnostic::Diagnostic;
    let shown: String = url.trim().chars().take(40).collect();
    let what = if image { "image" } else { "link" };
    match risk {
        Risk::Script(scheme) => Diagnostic::warning(
            path,
            line,
            col,
            if removed {
                format!("`{scheme}:` {what} removed (`safe_html: true`): such addresses run code or open content made by the address itself (`{shown}`)")
            } else {
                format!("`{scheme}:` {what}: such addresses run code or open content made by the address itself (`{shown}`)")
            },
        )
        .with_help(if removed {
            "link to a page of the handbook or to an `https://` address instead"
        } else {
            "link to a page of the handbook or to an `https://` address instead; `safe_html: true` removes such links"
        }),
        Risk::File => Diagnostic::warning(
            path,
            line,
            col,
            format!("`file:` {what}: it opens a file on the reader's own computer, which other readers do not have (`{shown}`)"),
        )
        .with_help("put the file in `content/` and link to it by its path relative to the page"),
        Risk::ProtocolRelative => Diagnostic::warning(
            path,
            line,
            col,
            format!("`//` {what}: it takes the protocol of the page, so it breaks when the handbook is opened from a folder (`{shown}`)"),
        )
        .with_help("write the full address, starting with `https:`"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn risky_schemes_are_found_however_written() {
        for url in [
            "javascript:alert(1)",
            " JavaScript:alert(1)",
            "java\tscript:x",
            "\u{1}javascript:x",
            "jav\nascript:x",
        ] {
            assert_eq!(risk(url), Some(Risk::Script("javascript")), "{url:?}");
        }
        assert_eq!(risk("VBScript:x"), Some(Risk::Script("vbscript")));
        assert_eq!(risk("data:text/html,<script>"), Some(Risk::Script("data")));
        assert_eq!(risk("DATA:Image/png;base64,AAA"), None);
        assert_eq!(risk("file:///etc/passwd"), Some(Risk::File));
        assert_eq!(risk("//evil.example/x"), Some(Risk::ProtocolRelative));
        assert_eq!(risk("/\\evil.example/x"), Some(Risk::ProtocolRelative));
        for fine in [
            "https://x",
            "a.md",
            "a.md#javascript:x",
            "/abs",
            "mailto:a@b",
            "#top",
            "",
        ] {
            assert_eq!(risk(fine), None, "{fine:?}");
        }
    }

    #[test]
    fn relative_urls() {
        assert_eq!(relative("guide/a.html", "guide/b.html"), "b.html");
        assert_eq!(relative("guide/a.html", "index.html"), "../index.html");
        assert_eq!(relative("index.html", "guide/b.html"), "guide/b.html");
        assert_eq!(relative("a/b/c.html", "a/d/e.html"), "../d/e.html");
        assert_eq!(relative("a/x.html", "a/x.html"), "x.html");
        assert_eq!(relative("a.html", "img/photo 1.png"), "img/photo%201.png");
        assert_eq!(root_prefix("a/b/c.html"), "../../");
    }

    #[test]
    fn resolves_dot_dot() {
        assert_eq!(resolve("a/b", "../c.md").as_deref(), Some("a/c.md"));
        assert_eq!(resolve("", "../c.md"), None);
        assert_eq!(resolve("a", "/x/y.md").as_deref(), Some("x/y.md"));
    }

    #[test]
    fn external_detection() {
        assert!(is_external("https://x"));
        assert!(is_external("mailto:a@b"));
        assert!(!is_external("a.md#x:y"));
        assert!(!is_external("posture.md"));
    }

    #[test]
    fn decode_percent() {
        assert_eq!(decode("mon%20fichier.md"), "mon fichier.md");
        assert_eq!(decode("100%"), "100%");
        assert_eq!(decode("%C3%A9coute%2"), "écoute%2");
        assert_eq!(encode_segment("Écoute 1~a.b"), "%C3%89coute%201~a.b");
    }
}

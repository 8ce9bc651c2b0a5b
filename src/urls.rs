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

#[cfg(test)]
mod tests {
    use super::*;

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

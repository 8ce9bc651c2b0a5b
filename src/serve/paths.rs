//! Request paths → keys of the in-memory site, refusing anything that could
//! leave it.
//!
//! The served site is a map keyed by normalised output paths, so nothing outside
//! it can be reached by construction; this module still refuses `..` segments
//! (plain or percent-encoded), backslashes, NUL bytes, bad escapes and invalid
//! UTF-8 rather than trying to make sense of them.

/// Maps a raw (still percent-encoded) request path to the key of the output
/// file it asks for, or `None` when the path is refused (answered with 404).
///
/// `/` and `/dir/` map to `index.html` and `dir/index.html`.
pub fn key(raw: &str) -> Option<String> {
    let decoded = percent_decode(raw)?;
    if decoded.contains(['\\', '\0']) {
        return None;
    }
    let mut segments = Vec::new();
    for seg in decoded.split('/') {
        match seg {
            "" | "." => {}
            ".." => return None,
            s => segments.push(s),
        }
    }
    let key = segments.join("/");
    Some(if key.is_empty() {
        "index.html".into()
    } else if decoded.ends_with('/') {
        format!("{key}/index.html")
    } else {
        key
    })
}

/// For a folder asked without its trailing slash (`/a/posture`): the key of its
/// index page and the relative `Location` to redirect to (`posture/`), which keeps
/// working behind a proxy that mounts the site under a sub-path.
pub fn folder_redirect(raw: &str, key: &str) -> Option<(String, String)> {
    if raw.is_empty() || raw.ends_with('/') {
        return None;
    }
    let last = raw.rsplit('/').next().filter(|l| !l.is_empty())?;
    Some((format!("{key}/index.html"), format!("{last}/")))
}

/// The `../` prefix that leads from the folder of the requested URL back to the
/// site root, as the browser resolves relative URLs against the raw path.
pub fn root_prefix(raw: &str) -> String {
    "../".repeat(raw.matches('/').count().saturating_sub(1))
}

/// Decodes `%XX` escapes strictly: a malformed escape or invalid UTF-8 gives `None`
/// (`percent-encoding` decodes; the strictness is ours, as this guards the paths served).
pub fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let well_formed = b.iter().enumerate().all(|(i, &c)| {
        c != b'%'
            || (b.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && b.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
    });
    if !well_formed {
        return None;
    }
    percent_encoding::percent_decode_str(s)
        .decode_utf8()
        .ok()
        .map(std::borrow::Cow::into_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(s: &str) -> Option<String> {
        key(s)
    }

    #[test]
    fn root_and_folders_map_to_index() {
        assert_eq!(k("/").as_deref(), Some("index.html"));
        assert_eq!(k("").as_deref(), Some("index.html"));
        assert_eq!(k("/relation/").as_deref(), Some("relation/index.html"));
        assert_eq!(k("/relation").as_deref(), Some("relation"));
        assert_eq!(
            folder_redirect("/a/relation", "a/relation"),
            Some(("a/relation/index.html".into(), "relation/".into()))
        );
        assert_eq!(
            folder_redirect("/a/relation/", "a/relation/index.html"),
            None
        );
    }

    #[test]
    fn files_are_decoded() {
        assert_eq!(k("/a/posture.html").as_deref(), Some("a/posture.html"));
        assert_eq!(k("/%C3%A9t%C3%A9.html").as_deref(), Some("été.html"));
        assert_eq!(k("/a%20b/c.png").as_deref(), Some("a b/c.png"));
        assert_eq!(k("/./a//b.css").as_deref(), Some("a/b.css"));
    }

    #[test]
    fn traversal_is_refused() {
        for bad in [
            "/../Cargo.toml",
            "/a/../../Cargo.toml",
            "/%2e%2e/Cargo.toml",
            "/%2E%2E/Cargo.toml",
            "/%2e%2e%2fCargo.toml",
            "/a/%2e%2e%2f%2e%2e%2fCargo.toml",
            "/..",
            "/a/..%5c..%5cCargo.toml",
            "/a%00.html",
            "/%zz.html",
            "/%",
            "/%c3.html",
        ] {
            assert_eq!(k(bad), None, "{bad}");
        }
    }

    #[test]
    fn prefix_follows_request_depth() {
        assert_eq!(root_prefix("/"), "");
        assert_eq!(root_prefix("/index.html"), "");
        assert_eq!(root_prefix("/a/b.html"), "../");
        assert_eq!(root_prefix("/a/b/"), "../../");
        assert_eq!(root_prefix("/a/b/c/missing.html"), "../../../");
    }
}

//! Content types by file extension, from `mime_guess` (the table the Rust web
//! crates share), with `charset=utf-8` on text types: the build writes UTF-8.
//! Anything without a known extension is `application/octet-stream` (served with
//! `nosniff`, so browsers do not guess).

use std::borrow::Cow;

/// The `Content-Type` for an output path, from its extension (case-insensitive).
pub fn content_type(path: &str) -> Cow<'static, str> {
    let name = path.rsplit('/').next().unwrap_or(path);
    let ext = match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => ext,
        _ => return Cow::Borrowed("application/octet-stream"),
    };
    let Some(raw) = mime_guess::from_ext(ext).first_raw() else {
        return Cow::Borrowed("application/octet-stream");
    };
    // Source maps are JSON whatever the table says; scripts use the one type
    // browsers and the HTML standard name.
    let raw = match raw {
        _ if ext.eq_ignore_ascii_case("map") => "application/json",
        "application/javascript" => "text/javascript",
        "text/xml" => "application/xml",
        t => t,
    };
    if raw.starts_with("text/") {
        Cow::Owned(format!("{raw}; charset=utf-8"))
    } else {
        Cow::Borrowed(raw)
    }
}

/// Whether a content type is HTML (the only responses the reload script goes into).
pub fn is_html(content_type: &str) -> bool {
    content_type.starts_with("text/html")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_types() {
        assert_eq!(content_type("index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("assets/style.css"), "text/css; charset=utf-8");
        assert_eq!(
            content_type("assets/mentorbook.js"),
            "text/javascript; charset=utf-8"
        );
        assert_eq!(
            content_type("a/module.mjs"),
            "text/javascript; charset=utf-8"
        );
        assert_eq!(content_type("a/logo.SVG"), "image/svg+xml");
        assert_eq!(content_type("a/photo.JPeG"), "image/jpeg");
        assert_eq!(content_type("sitemap.xml"), "application/xml");
        assert_eq!(content_type("fiche.pdf"), "application/pdf");
        assert_eq!(content_type("x.js.map"), "application/json");
    }

    #[test]
    fn calendars_and_office_files_have_their_types() {
        assert_eq!(
            content_type("programme.ics"),
            "text/calendar; charset=utf-8"
        );
        assert_eq!(
            content_type("en/programme.ICS"),
            "text/calendar; charset=utf-8"
        );
        assert_eq!(
            content_type("a/guide.docx"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        );
        assert_eq!(
            content_type("a/plan.ods"),
            "application/vnd.oasis.opendocument.spreadsheet"
        );
    }

    #[test]
    fn unknown_and_dotfiles_are_binary() {
        assert_eq!(content_type("a/README"), "application/octet-stream");
        assert_eq!(content_type("a/.htaccess"), "application/octet-stream");
        assert_eq!(content_type("a/x.unknown"), "application/octet-stream");
        assert!(is_html(&content_type("x.htm")));
        assert!(!is_html(&content_type("x.css")));
    }
}

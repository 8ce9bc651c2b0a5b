//! Content types by file extension, for the files a handbook holds.
//!
//! A small table rather than a crate: handbooks hold pages, styles, scripts,
//! images, fonts and office documents; anything else is served as
//! `application/octet-stream` (with `nosniff`, so browsers do not guess).

/// The `Content-Type` for an output path, from its extension (case-insensitive).
pub fn content_type(path: &str) -> &'static str {
    let name = path.rsplit('/').next().unwrap_or(path);
    let ext = match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => ext.to_ascii_lowercase(),
        _ => return "application/octet-stream",
    };
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "md" => "text/markdown; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "mp3" => "audio/mpeg",
        "ogg" => "audio/ogg",
        "wav" => "audio/wav",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "wasm" => "application/wasm",
        "zip" => "application/zip",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "pptx" => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "odt" => "application/vnd.oasis.opendocument.text",
        "ods" => "application/vnd.oasis.opendocument.spreadsheet",
        "odp" => "application/vnd.oasis.opendocument.presentation",
        _ => "application/octet-stream",
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
        assert_eq!(content_type("a/logo.SVG"), "image/svg+xml");
        assert_eq!(content_type("a/photo.JPeG"), "image/jpeg");
        assert_eq!(content_type("sitemap.xml"), "application/xml");
        assert_eq!(content_type("fiche.pdf"), "application/pdf");
    }

    #[test]
    fn unknown_and_dotfiles_are_binary() {
        assert_eq!(content_type("a/README"), "application/octet-stream");
        assert_eq!(content_type("a/.htaccess"), "application/octet-stream");
        assert_eq!(content_type("a/x.unknown"), "application/octet-stream");
        assert!(is_html(content_type("x.htm")));
        assert!(!is_html(content_type("x.css")));
    }
}

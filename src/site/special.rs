//! Files with no source page: `404.html`, `sitemap.xml`, and the pages under
//! `<default>/` that redirect to the default language at the root.

use crate::config::Config;
use crate::content::Content;
use crate::diagnostic::Diagnostic;
use crate::site::Part;
use crate::site::layout;
use crate::text::escape_html;

/// Renders `404.html`. It is served at any depth, so its links start at
/// `base_url` (or `/`), not relative to the file.
pub fn not_found(part: &Part<'_>) -> Result<String, Diagnostic> {
    let root = part.config.base_url.as_deref().unwrap_or("/");
    let title = part.lang.ui.get("not_found_title");
    let ctx = part.site.special_context_at(
        part.theme,
        layout::NOT_FOUND,
        root,
        &title,
        &part.config.lang,
    )?;
    part.theme.render_or_run("404.html", &ctx, part.keep)
}

/// `sitemap.xml`: every page of `content` under `base`.
pub fn sitemap(base: &str, content: &Content) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for &id in &content.order {
        let p = &content.pages[id];
        let url = format!("{base}{}", p.out.trim_end_matches("index.html"));
        xml.push_str(&format!("  <url><loc>{}</loc></url>\n", escape_html(&url)));
    }
    xml.push_str("</urlset>\n");
    xml
}

/// The page at `stub` that leads to the page `to` (at `#fragment` when not
/// empty), with a link for readers without redirects, so both URL forms work,
/// from a server or from `file://`.
pub fn redirect(config: &Config, stub: &str, to: &str, fragment: &str) -> String {
    let lang = escape_html(&config.lang);
    let mut target = crate::urls::relative(stub, to);
    if !fragment.is_empty() {
        target.push('#');
        target.push_str(&crate::urls::encode_segment(fragment));
    }
    let target = escape_html(&target);
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n\
         <meta http-equiv=\"refresh\" content=\"0; url={target}\">\n<link rel=\"canonical\" href=\"{target}\">\n\
         </head>\n<body>\n<p><a href=\"{target}\">{title}</a></p>\n</body>\n</html>\n",
        title = escape_html(&config.title),
    )
}

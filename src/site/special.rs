//! Files with no source page: each language's `404.html`, `sitemap.xml`, and
//! the pages under `<default>/` that redirect to the default language at the root.

use crate::config::Config;
use crate::content::Content;
use crate::diagnostic::Diagnostic;
use crate::render::context;
use crate::site::Part;
use crate::site::layout;
use crate::text::escape_html;

/// Renders a language's `404.html`. A web server shows it for any missing path,
/// at any depth, so the page sets its base URL (a `<base>` element, made by a
/// script in its head) to its own folder as served: the path of `base_url`
/// (else `/`) and the language's folder, or the language's folder at the root
/// when the address is not under `base_url`'s path (`mentorbook serve`, a
/// preview). Its links stay relative, so it also works opened from the output
/// folder or `file://`.
pub fn not_found(part: &Part<'_>) -> Result<String, Diagnostic> {
    let content = &part.lang.content;
    let out = layout::at(&content.prefix, layout::NOT_FOUND);
    let title = part.lang.ui.get("not_found_title");
    let mut ctx = part
        .site
        .special_context(part.theme, &out, &title, &part.config.lang)?;
    let site_path = part
        .config
        .base_url
        .as_deref()
        .and_then(|u| u.split_once("://"))
        .and_then(|(_, rest)| rest.find('/').map(|i| &rest[i..]))
        .unwrap_or("/");
    // A JavaScript string, safe inside <script> (`<` written as an escape).
    let js = |path: String| {
        serde_json::to_string(&path)
            .unwrap_or_else(|_| "\"/\"".into())
            .replace('<', "\\u003c")
    };
    ctx.insert("served_at", &js(format!("{site_path}{}", content.prefix)));
    // `mentorbook serve` serves the site at `/`, whatever `base_url` says.
    ctx.insert("served_root", &js(format!("/{}", content.prefix)));
    part.theme.render_or_run("404.html", &ctx, part.keep)
}

/// The key of a page in the translation table: its path without language
/// suffix, a section's folder ending with `/`.
fn translation_key(content: &Content, p: &crate::content::Page) -> String {
    if p.rel.is_empty() {
        format!("{}/", content.sections[p.section].rel_dir)
    } else {
        p.rel.clone()
    }
}

/// `sitemap.xml`: every page of every language under `base`, each with
/// `xhtml:link` alternates to its translations (itself included), as search
/// engines ask for multilingual sites.
pub fn sitemap(base: &str, langs: &[crate::site::Lang]) -> String {
    let url = |out: &str| escape_html(&format!("{base}{}", out.trim_end_matches("index.html")));
    let multilingual = langs.len() > 1;
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"",
    );
    if multilingual {
        xml.push_str(" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\"");
    }
    xml.push_str(">\n");
    for lang in langs {
        let content = &lang.content;
        for &id in &content.order {
            let p = &content.pages[id];
            xml.push_str(&format!("  <url>\n    <loc>{}</loc>\n", url(&p.out)));
            if multilingual {
                let key = translation_key(content, p);
                for t in context::translations(content, &key)
                    .iter()
                    .filter(|t| t.exists)
                {
                    xml.push_str(&format!(
                        "    <xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>\n",
                        escape_html(&t.code),
                        url(&t.url)
                    ));
                }
            }
            xml.push_str("  </url>\n");
        }
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

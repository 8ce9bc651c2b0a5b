//! The single-file handbook: one `handbook.html` per language that holds every
//! page, the print pages, the styles, scripts, search index and images, and
//! works alone — from `file://`, an e-mail attachment, or SharePoint (which
//! only shows a self-contained file).
//!
//! Made from the pages the build produced:
//! 1. the home page is the shell: its stylesheets and scripts are inlined, its
//!    images become `data:` URLs, its `<main>` is emptied;
//! 2. every page of the language keeps its title, body class, `<main>` and
//!    on-page contents (`<aside>`), in a JSON bundle inside the file, with every
//!    file the pages use as a `data:` URL;
//! 3. a small router (`single.js`) shows a page for the URL's hash
//!    (`#/guide/posture.html#ecoute`), turning the pages' relative links into
//!    such routes as it shows them (pages are parsed inert, in a `<template>`,
//!    so nothing is fetched).

use std::collections::BTreeMap;

use base64::Engine;
use serde::Serialize;

use crate::diagnostic::Diagnostic;
use crate::error::Result;
use crate::paths::OutPath;
use crate::site::publish::{Files, mime_of, single_file_path};
use crate::site::{Job, Site};

/// The router, run last in the file.
const ROUTER: &str = include_str!("single.js");

/// Above this size the file is still written, with a warning (mail systems and
/// intranets often refuse attachments above 10–25 MB).
pub const WARN_BYTES: usize = 10 * 1024 * 1024;

/// One page of the bundle.
#[derive(Debug, Serialize)]
struct BundlePage {
    /// Its `<title>`.
    t: String,
    /// Its `<body>` classes.
    c: String,
    /// Its `<main>` content.
    m: String,
    /// Its on-page contents (`<aside>…</aside>`), if any.
    a: String,
}

/// What the router reads.
#[derive(Debug, Serialize)]
struct Bundle {
    /// The home page's path.
    home: String,
    /// Every page by output path.
    pages: BTreeMap<String, BundlePage>,
    /// Every other file the pages use, as a `data:` URL, by output path.
    files: BTreeMap<String, String>,
    /// The single file of each other language, by its prefix, as a URL from this file.
    langs: BTreeMap<String, String>,
}

/// The single files made: (output path, bytes) for each language.
pub type Made = Vec<(OutPath, Vec<u8>)>;

/// Makes the single file of every language, and a warning for each one above
/// [`WARN_BYTES`].
pub fn make(site: &Site, files: Files<'_>) -> Result<(Made, Vec<Diagnostic>)> {
    let mut out = Vec::new();
    let mut warnings = Vec::new();
    for (li, lang) in site.langs.iter().enumerate() {
        let prefix = &lang.content.prefix;
        let path = single_file_path(prefix);
        let bytes = one(site, li, files)?;
        if bytes.len() > WARN_BYTES {
            warnings.push(
                Diagnostic::warning(
                    crate::config::CONFIG_FILE,
                    0,
                    0,
                    format!(
                        "`{path}` is {:.1} MB: many mail systems and intranets refuse files above 10 MB",
                        bytes.len() as f64 / 1_048_576.0
                    ),
                )
                .with_help("make images smaller, or set `print: false` to leave the print pages out"),
            );
        }
        out.push((path, bytes));
    }
    Ok((out, warnings))
}

/// Whether the file at `path`, planned as `job`, belongs to language `li`'s single file.
fn belongs(site: &Site, li: usize, path: &str, job: &Job) -> bool {
    let prefix = site.langs[li].content.prefix.as_str();
    let others = site
        .langs
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != li)
        .map(|(_, l)| l.content.prefix.as_str())
        .filter(|p| !p.is_empty());
    match job {
        // The full contents page is for readers without script; the single file needs script.
        Job::Redirect { .. }
        | Job::Search { .. }
        | Job::Sitemap
        | Job::SingleFile(_)
        | Job::Contents(_) => false,
        Job::Static => true,
        Job::Asset { lang, .. } => *lang == 0 || *lang == li,
        _ => path.starts_with(prefix) && !others.clone().any(|o| path.starts_with(o)),
    }
}

/// The single file of language `li`.
fn one(site: &Site, li: usize, files: Files<'_>) -> Result<Vec<u8>> {
    let lang = &site.langs[li];
    let prefix = &lang.content.prefix;
    let home = prefix.join("index.html");
    let mut pages = BTreeMap::new();
    let mut data = BTreeMap::new();
    for (path, job) in &site.plan.jobs {
        if !belongs(site, li, path, job) || matches!(job, Job::NotFound(_)) {
            continue;
        }
        if path.ends_with(".html") {
            let html = String::from_utf8_lossy(&files(path)?).into_owned();
            pages.insert(path.to_string(), page_of(&html));
        } else if !path.ends_with(".css") && !path.ends_with(".js") {
            let bytes = files(path)?;
            data.insert(path.to_string(), data_url(path, &bytes));
        }
    }
    let langs = site
        .langs
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != li)
        .map(|(_, l)| {
            let other = single_file_path(&l.content.prefix);
            (
                l.content.prefix.to_string(),
                crate::urls::relative(&single_file_path(prefix), &other),
            )
        })
        .collect();
    let shell = String::from_utf8_lossy(&files(&home)?).into_owned();
    let bundle = Bundle {
        home: home.to_string(),
        pages,
        files: data,
        langs,
    };
    let search = if site.config.search {
        // Every part of the index, one script after the other.
        let mut all = Vec::new();
        for (path, job) in &site.plan.jobs {
            if matches!(job, Job::Search { lang, .. } if *lang == li) {
                let part = files(path)?;
                all.extend_from_slice(&part);
            }
        }
        Some(all)
    } else {
        None
    };
    Ok(assemble(&shell, &home, &bundle, search.as_deref(), files)?.into_bytes())
}

/// A `data:` URL holding `bytes`.
fn data_url(path: &str, bytes: &[u8]) -> String {
    format!(
        "data:{};base64,{}",
        mime_of(path),
        base64::engine::general_purpose::STANDARD.encode(bytes)
    )
}

/// The text between the end of the first `<tag …>` and the last `</tag>`, and the
/// start of that opening tag and the end of the closing one.
fn element<'a>(html: &'a str, tag: &str) -> Option<(&'a str, usize, usize)> {
    let open = html.find(&format!("<{tag}"))?;
    let inner = open + html[open..].find('>')? + 1;
    let close = html.rfind(&format!("</{tag}>"))?;
    (close >= inner).then(|| (&html[inner..close], open, close + tag.len() + 3))
}

/// The value of attribute `name` in the first `<tag …>` of `html`.
fn attr<'a>(html: &'a str, tag: &str, name: &str) -> Option<&'a str> {
    let open = html.find(&format!("<{tag}"))?;
    let end = open + html[open..].find('>')?;
    let head = &html[open..end];
    let key = format!(" {name}=\"");
    let at = head.find(&key)? + key.len();
    let len = head[at..].find('"')?;
    Some(&head[at..at + len])
}

/// What the bundle keeps of one rendered page.
fn page_of(html: &str) -> BundlePage {
    let title = element(html, "title").map_or("", |t| t.0);
    let main = element(html, "main").map_or("", |m| m.0);
    let aside = element(html, "main")
        .and_then(|(_, _, end)| {
            let rest = &html[end..];
            let (inner, open, close) = element(rest, "aside")?;
            // Only an aside between `</main>` and the end of the layout belongs to the page.
            (!rest[..open].contains("<footer")).then(|| {
                let _ = inner;
                rest[open..close].to_string()
            })
        })
        .unwrap_or_default();
    BundlePage {
        t: unescape_title(title),
        c: attr(html, "body", "class").unwrap_or("").to_string(),
        m: main.to_string(),
        a: aside,
    }
}

/// A `<title>`'s text, its entities decoded (the router sets `document.title`).
fn unescape_title(t: &str) -> String {
    t.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Text for inside a `<script>` element: `</` cannot end it early.
fn script_text(s: &str) -> String {
    s.replace("</", "<\\/")
}

/// The file: the shell with its stylesheets, scripts and images inlined, its
/// `<main>` emptied, then the search index, the bundle and the router.
fn assemble(
    shell: &str,
    home: &OutPath,
    bundle: &Bundle,
    search: Option<&[u8]>,
    files: Files<'_>,
) -> Result<String> {
    // The shell up to the inside of `<main …>`, and from `</main>` on.
    let main_open = shell
        .find("<main")
        .and_then(|open| Some(open + shell[open..].find('>')? + 1));
    let main_close = shell.rfind("</main>");
    let (Some(start), Some(close)) = (main_open, main_close.filter(|c| Some(*c) >= main_open))
    else {
        return inline(shell, home, files);
    };
    let mut html = String::with_capacity(shell.len() * 4);
    html.push_str(&inline(&shell[..start], home, files)?);
    let after = &shell[close..];
    // The shell's own on-page contents go too: the router puts each page's own.
    let after = match element(after, "aside") {
        Some((_, open, end)) if !after[..open].contains("<footer") => {
            format!("{}{}", &after[..open], &after[end..])
        }
        _ => after.to_string(),
    };
    let body_end = after.rfind("</body>").unwrap_or(after.len());
    html.push_str(&inline(&after[..body_end], home, files)?);
    if let Some(js) = search {
        html.push_str("<script>");
        html.push_str(&script_text(&String::from_utf8_lossy(js)));
        html.push_str("</script>\n");
    }
    html.push_str("<script type=\"application/json\" id=\"mb-bundle\">");
    let json = serde_json::to_string(bundle).unwrap_or_else(|_| "{}".into());
    html.push_str(&script_text(&json));
    html.push_str("</script>\n<script>");
    html.push_str(&script_text(ROUTER));
    html.push_str("</script>\n");
    html.push_str(&after[body_end..]);
    // No icon to fetch: the file stands alone.
    let html = html.replacen("</head>", "<link rel=\"icon\" href=\"data:,\">\n</head>", 1);
    // Search results and the router build routes from the root: `#/`.
    Ok(html.replacen("data-root=\"", "data-root=\"#/\" data-mb-root=\"", 1))
}

/// `html` with every `<link rel="stylesheet">` and `<script src>` inlined, every
/// other `<link>` to a file dropped, and every `src="…"` of a file made a `data:` URL.
fn inline(html: &str, from: &OutPath, files: Files<'_>) -> Result<String> {
    let mut out = String::with_capacity(html.len() * 2);
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        rest = &rest[lt..];
        let Some(gt) = rest.find('>') else { break };
        let tag = &rest[..=gt];
        if tag.starts_with("<link ") {
            if let Some(href) = attr(tag, "link", "href").filter(|h| is_local(h)) {
                if tag.contains("rel=\"stylesheet\"") {
                    let css = files(&resolve(from, href))?;
                    out.push_str("<style>");
                    out.push_str(&String::from_utf8_lossy(&css).replace("</style", "<\\/style"));
                    out.push_str("</style>");
                }
                // Other links to files (alternate languages, icons) have no use here.
                rest = &rest[gt + 1..];
                continue;
            }
        } else if tag.starts_with("<script ")
            && let Some(src) = attr(tag, "script", "src").filter(|s| is_local(s))
        {
            let js = files(&resolve(from, src))?;
            let end = rest
                .find("</script>")
                .map_or(gt + 1, |e| e + "</script>".len());
            out.push_str("<script>");
            out.push_str(&script_text(&String::from_utf8_lossy(&js)));
            out.push_str("</script>");
            rest = &rest[end..];
            continue;
        } else if let Some(src) = attr(tag, tag_name(tag), "src").filter(|s| is_local(s)) {
            let target = resolve(from, src);
            if let Ok(bytes) = files(&target) {
                out.push_str(&tag.replacen(
                    &format!("src=\"{src}\""),
                    &format!("src=\"{}\"", data_url(&target, &bytes)),
                    1,
                ));
                rest = &rest[gt + 1..];
                continue;
            }
        }
        out.push_str(tag);
        rest = &rest[gt + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

fn tag_name(tag: &str) -> &str {
    let t = tag.trim_start_matches('<');
    let end = t
        .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
        .unwrap_or(t.len());
    &t[..end]
}

/// Whether a URL is a file of the output (not external, not a fragment, not data).
fn is_local(url: &str) -> bool {
    !url.is_empty() && !url.starts_with('#') && !crate::urls::is_external(url)
}

/// The output path a relative URL written in the page at `from` leads to.
fn resolve(from: &OutPath, url: &str) -> String {
    let path = url.split(['#', '?']).next().unwrap_or(url);
    let dir = from.parent();
    crate::urls::resolve(dir.trim_end_matches('/'), &crate::urls::decode(path))
        .unwrap_or_else(|| path.to_string())
}

//! Multilingual handbooks: one site per language, rendered alike and merged.
//!
//! Pages are translated by file name: `a.md` (default language) and `a.en.md`.
//! Each language is loaded and rendered on its own, with its strings, typography
//! and title, under `public/<lang>/`; the default language is at the root, and
//! `public/<default>/` redirects there.
//! Before rendering, every language learns the others' pages ([`Languages`]) so
//! pages can link to their translations and links across languages are reported.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use crate::build::{BuildOptions, Built, OutFile, Rendering, SiteOutput, Timings, fail, finish};
use crate::config::Config;
use crate::content::{self, Content, LangSelect, Languages, LoadOptions};
use crate::diagnostic::Diagnostic;
use crate::error::Result;
use crate::render::Theme;

/// One site to render: a handbook in one language, or one language of a
/// multilingual handbook at one place (root, or `<lang>/`).
pub(crate) struct Part {
    /// The configuration as this language sees it.
    pub config: Config,
    /// Its pages.
    pub content: Content,
    /// Problems found loading it.
    pub diags: Vec<Diagnostic>,
    /// Whether its problems are reported (the `<lang>/` copy of the default
    /// language would only repeat the root's).
    pub reports: bool,
}

/// Loads every part of the handbook: one for a single-language handbook; else the
/// default language at the root, then every language under `<lang>/`, linked
/// together. Returns the parts, and problems across languages (missing translations).
pub(crate) fn load_parts(config: &Config, opts: &BuildOptions) -> (Vec<Part>, Vec<Diagnostic>) {
    let load = LoadOptions {
        drafts: opts.drafts,
    };
    if !config.is_multilingual() {
        let mut diags = Vec::new();
        let content = content::load(config, load, &mut diags);
        let part = Part {
            config: config.clone(),
            content,
            diags,
            reports: true,
        };
        return (vec![part], Vec::new());
    }
    let codes = config.language_codes();
    let suffixes: Vec<String> = codes[1..].to_vec();
    // The default language at the root, the others under `<lang>/`; `<default>/` only
    // holds redirections to the root (see `default_language_redirects`).
    let mut places: Vec<(String, String)> = vec![(config.lang.clone(), String::new())];
    places.extend(codes[1..].iter().map(|c| (c.clone(), format!("{c}/"))));
    let mut parts: Vec<Part> = places
        .iter()
        .enumerate()
        .map(|(i, (code, prefix))| {
            let lconfig = config.for_language(code);
            let sel = LangSelect {
                code: code.clone(),
                default: *code == config.lang,
                suffixes: suffixes.clone(),
                prefix: prefix.clone(),
            };
            let mut diags = Vec::new();
            let content = content::load_language(&lconfig, load, Some(&sel), &mut diags);
            Part {
                config: lconfig,
                content,
                diags,
                reports: i == 0 || *code != config.lang,
            }
        })
        .collect();
    let languages = Arc::new(languages(config, &parts, &codes));
    for p in &mut parts {
        p.content.languages = Some(languages.clone());
    }
    let mut shared = Vec::new();
    missing_translations(config, &parts, &codes, &mut shared);
    (parts, shared)
}

/// The table of every language's pages. Translations link to the root copy of the
/// default language and to `<lang>/` for the others.
fn languages(config: &Config, sites: &[Part], codes: &[String]) -> Languages {
    // sites[0] is the default at the root; sites[1..] follow `codes`.
    let by_code: Vec<&Part> = codes
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if *c == config.lang {
                &sites[0]
            } else {
                &sites[i]
            }
        })
        .collect();
    let mut pages: HashMap<String, Vec<Option<String>>> = HashMap::new();
    let mut files = HashMap::new();
    for (li, site) in by_code.iter().enumerate() {
        for p in &site.content.pages {
            let key = if p.rel.is_empty() {
                format!("{}/", site.content.sections[p.section].rel_dir)
            } else {
                p.rel.clone()
            };
            pages.entry(key).or_insert_with(|| vec![None; codes.len()])[li] = Some(p.out.clone());
            if !p.rel.is_empty() {
                let real = p
                    .source
                    .strip_prefix("content/")
                    .unwrap_or(&p.source)
                    .to_string();
                files.insert(real, (p.out.clone(), codes[li].clone()));
            }
        }
    }
    Languages {
        list: by_code
            .iter()
            .zip(codes)
            .map(|(s, c)| {
                (
                    c.clone(),
                    content::language_name(c),
                    s.content.home().out.clone(),
                )
            })
            .collect(),
        pages,
        files,
    }
}

/// A warning on every default-language page that a language lacks.
fn missing_translations(
    config: &Config,
    sites: &[Part],
    codes: &[String],
    diags: &mut Vec<Diagnostic>,
) {
    let Some(langs) = sites[0].content.languages.as_ref() else {
        return;
    };
    for p in &sites[0].content.pages {
        if p.rel.is_empty() {
            continue;
        }
        let Some(outs) = langs.pages.get(&p.rel) else {
            continue;
        };
        for (i, code) in codes.iter().enumerate() {
            if *code == config.lang || outs.get(i).is_some_and(Option::is_some) {
                continue;
            }
            let stem = p.source.strip_suffix(".md").unwrap_or(&p.source);
            diags.push(
                Diagnostic::warning(
                    &p.source,
                    0,
                    0,
                    format!("no `{code}` translation of this page"),
                )
                .with_help(format!(
                    "create `{stem}.{code}.md`; until then the {} site leaves the page out",
                    content::language_name(code)
                )),
            );
        }
    }
}

/// Renders every part (one per language) and merges them into one output.
pub fn render_parts(
    config: &Config,
    opts: &BuildOptions,
    start: Instant,
    mut timings: Timings,
) -> Result<Built> {
    let (parts, shared) = load_parts(config, opts);
    let mut lap = timings.lap("load", start);
    let mut renderings = Vec::with_capacity(parts.len());
    let mut theme_diags = Vec::new();
    for (i, part) in parts.iter().enumerate() {
        let mut tdiags = Vec::new();
        let Some(theme) = Theme::load(&part.config, &mut tdiags) else {
            let mut diags: Vec<Diagnostic> = parts
                .iter()
                .filter(|p| p.reports)
                .flat_map(|p| p.diags.clone())
                .collect();
            diags.extend(tdiags);
            return Err(fail(diags, opts.strict));
        };
        if i == 0 {
            theme_diags = tdiags;
        }
        lap = timings.lap("theme", lap);
        let (rendering, l) = Rendering::new(
            &part.config,
            &theme,
            &part.content,
            !opts.check_only,
            &mut timings,
            lap,
        );
        lap = l;
        renderings.push((theme, rendering));
    }
    let parts_ref: Vec<(&Part, &Theme, &Rendering)> = parts
        .iter()
        .zip(&renderings)
        .map(|(p, (t, r))| (p, t, r))
        .collect();
    let mut diags = shared;
    diags.extend(theme_diags);
    let built = merge_parts(&parts_ref, diags, opts, start, Timings::default());
    timings.lap("output", lap);
    built.map(|b| Built { timings, ..b })
}

/// Gathers the output of every part, and its problems when it reports them.
pub(crate) fn merge_parts(
    parts: &[(&Part, &Theme, &Rendering)],
    mut diags: Vec<Diagnostic>,
    opts: &BuildOptions,
    start: Instant,
    timings: Timings,
) -> Result<Built> {
    let mut out = SiteOutput::default();
    let mut pages = 0;
    let mut worksheets = 0;
    for (part, theme, rendering) in parts {
        let mut pdiags = Vec::new();
        let o = rendering.output(&part.config, theme, &part.content, &mut pdiags);
        if part.reports {
            diags.extend(part.diags.iter().cloned());
            diags.extend(pdiags);
            pages += part.content.pages.len();
            worksheets += part.content.worksheets().count();
        }
        out.merge_shared(o);
    }
    let Some((first, _, _)) = parts.first() else {
        return Err(fail(diags, opts.strict));
    };
    if first.config.is_multilingual() {
        default_language_redirects(&mut out, &first.config);
    }
    let mut built = finish(out, &first.content, diags, opts, start, timings)?;
    built.pages = pages;
    built.worksheets = worksheets;
    Ok(built)
}

/// Makes `<default>/…` lead to the default language at the root: every page of the
/// root gets a small page under `<default>/` that redirects to it (and links to it,
/// for readers without redirects), so both URL forms work, from a server or `file://`.
fn default_language_redirects(out: &mut SiteOutput, config: &Config) {
    let others: Vec<String> = config
        .languages
        .iter()
        .map(|(c, _)| format!("{c}/"))
        .collect();
    let pages: Vec<String> = out
        .files
        .keys()
        .filter(|p| {
            p.ends_with(".html")
                && *p != "404.html"
                && !others.iter().any(|o| p.starts_with(o.as_str()))
        })
        .cloned()
        .collect();
    let lang = crate::text::escape_html(&config.lang);
    for path in pages {
        let stub = format!("{}/{path}", config.lang);
        let target = crate::text::escape_html(&crate::urls::relative(&stub, &path));
        let html = format!(
            "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n\
             <meta http-equiv=\"refresh\" content=\"0; url={target}\">\n<link rel=\"canonical\" href=\"{target}\">\n\
             </head>\n<body>\n<p><a href=\"{target}\">{title}</a></p>\n</body>\n</html>\n",
            title = crate::text::escape_html(&config.title),
        );
        out.files
            .entry(stub)
            .or_insert_with(|| OutFile::Bytes(html.into_bytes()));
    }
}

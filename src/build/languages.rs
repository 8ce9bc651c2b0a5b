//! Multilingual handbooks: one site per language, rendered alike and merged.
//!
//! Pages are translated by file name: `a.md` (default language) and `a.en.md`.
//! Each language is loaded and rendered on its own, with its strings, typography
//! and title, under `public/<lang>/`; the default language is also at the root.
//! Before rendering, every language learns the others' pages ([`Languages`]) so
//! pages can link to their translations and links across languages are reported.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use crate::build::{BuildOptions, Built, Rendering, SiteOutput, Timings, fail, finish};
use crate::config::Config;
use crate::content::{self, Content, LangSelect, Languages, LoadOptions};
use crate::diagnostic::Diagnostic;
use crate::error::Result;
use crate::render::Theme;

/// One language's site: its configuration and content.
struct LangSite {
    config: Config,
    content: Content,
}

/// Loads every language, the default one twice (at the root and under `<lang>/`),
/// and links them together. Returns the sites, root first.
fn load_all(config: &Config, opts: &BuildOptions, diags: &mut Vec<Diagnostic>) -> Vec<LangSite> {
    let codes = config.language_codes();
    let suffixes: Vec<String> = codes[1..].to_vec();
    let mut sites: Vec<LangSite> = Vec::new();
    let mut places: Vec<(String, String)> = vec![(config.lang.clone(), String::new())];
    places.extend(codes.iter().map(|c| (c.clone(), format!("{c}/"))));
    for (i, (code, prefix)) in places.iter().enumerate() {
        let lconfig = config.for_language(code);
        let sel = LangSelect {
            code: code.clone(),
            default: *code == config.lang,
            suffixes: suffixes.clone(),
            prefix: prefix.clone(),
        };
        // The default language's problems are reported once, from the root copy.
        let mut sink = Vec::new();
        let target = if i == 0 || *code != config.lang {
            &mut *diags
        } else {
            &mut sink
        };
        let content = content::load_language(
            &lconfig,
            LoadOptions {
                drafts: opts.drafts,
            },
            Some(&sel),
            target,
        );
        sites.push(LangSite {
            config: lconfig,
            content,
        });
    }
    // Sites in `places` order: root default, then each language under its prefix.
    let languages = Arc::new(languages(config, &sites, &codes));
    for s in &mut sites {
        s.content.languages = Some(languages.clone());
    }
    missing_translations(config, &sites, &codes, diags);
    sites
}

/// The table of every language's pages. Translations link to the root copy of the
/// default language and to `<lang>/` for the others.
fn languages(config: &Config, sites: &[LangSite], codes: &[String]) -> Languages {
    // sites[0] is the default at the root; sites[1..] follow `codes`.
    let by_code: Vec<&LangSite> = codes
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if *c == config.lang {
                &sites[0]
            } else {
                &sites[i + 1]
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
    sites: &[LangSite],
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

/// Renders every language and merges them into one output.
pub fn render_multilingual(
    config: &Config,
    opts: &BuildOptions,
    start: Instant,
    mut timings: Timings,
) -> Result<Built> {
    let mut diags = Vec::new();
    let sites = load_all(config, opts, &mut diags);
    let mut lap = timings.lap("load", start);
    let mut out = SiteOutput::default();
    let mut pages = 0;
    let mut worksheets = 0;
    for (i, site) in sites.iter().enumerate() {
        let mut tdiags = Vec::new();
        let Some(theme) = Theme::load(&site.config, &mut tdiags) else {
            diags.extend(tdiags);
            return Err(fail(diags, opts.strict));
        };
        if i == 0 {
            diags.extend(tdiags);
        }
        let (rendering, l) = Rendering::new(
            &site.config,
            &theme,
            &site.content,
            !opts.check_only,
            &mut timings,
            lap,
        );
        let mut ldiags = Vec::new();
        let part = rendering.output(&site.config, &theme, &site.content, &mut ldiags);
        // The root copy of the default language reports its problems; its `<lang>/`
        // copy would only repeat them.
        if i == 0 || site.content.lang != config.lang {
            diags.extend(ldiags);
            pages += site.content.pages.len();
            worksheets += site.content.worksheets().count();
        }
        out.merge_shared(part);
        lap = l;
    }
    let mut built = finish(out, &sites[0].content, diags, opts, start, timings)?;
    built.pages = pages;
    built.worksheets = worksheets;
    Ok(built)
}

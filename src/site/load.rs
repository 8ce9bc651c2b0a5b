//! Loading the handbook: for every language, its configuration, UI strings and
//! pages; every page's Markdown parsed once into its [`Doc`]; titles found in the
//! bodies; then every language's links resolved against its own pages.
//!
//! Pages are translated by file name: `a.md` (default language) and `a.en.md`.
//! The default language is at the root of the output, the others under `<lang>/`.
//! Before links are resolved, every language learns the others' pages
//! ([`Languages`]) so pages can link to their translations.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use rayon::prelude::*;

use crate::config::Config;
use crate::content::{self, Content, LangSelect, Languages, LoadOptions, Page};
use crate::diagnostic::Diagnostic;
use crate::markdown::{self, Doc};
use crate::render::hooks::ThemeHooks;
use crate::render::{Theme, Ui};
use crate::site::layout;
use crate::site::links::{self, PageLinks};
use crate::store::{Held, Store};

/// One language of the handbook, loaded, parsed and resolved.
pub struct Lang {
    /// The configuration as this language sees it.
    pub config: Config,
    /// Its UI strings.
    pub ui: Ui,
    /// Its pages, in order.
    pub content: Content,
    /// Every page's parsed body, by page id.
    pub docs: Vec<Arc<Doc>>,
    /// Every page's links, resolved, by page id.
    pub links: Vec<PageLinks>,
    /// Problems found loading and parsing it (not link problems: see `links`).
    pub diags: Vec<Diagnostic>,
}

impl std::fmt::Debug for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lang")
            .field("lang", &self.content.lang)
            .field("pages", &self.content.pages.len())
            .finish_non_exhaustive()
    }
}

/// The Markdown options of a language.
pub fn md_options(config: &Config) -> markdown::Options {
    markdown::Options {
        typography: config.typography,
        french_quotes: crate::config::Typography::french_quotes(&config.lang),
        safe_html: config.safe_html,
        collect_text: config.search,
        hyphenation: crate::hyphenate::Hyphenation::for_lang(&config.lang),
        myst: config.imported_from.as_deref() == Some("jupyter-book"),
        mdx: config.imported_from.as_deref() == Some("docusaurus"),
        zola: config.imported_from.as_deref() == Some("zola"),
        obsidian: config.imported_from.as_deref() == Some("obsidian"),
    }
}

/// Where each language is loaded from: (code, output prefix), the default first.
fn places(config: &Config) -> Vec<(String, String)> {
    let codes = config.language_codes();
    let mut places = vec![(config.lang.clone(), String::new())];
    places.extend(codes[1..].iter().map(|c| (c.clone(), format!("{c}/"))));
    places
}

/// Reads every language's pages (text and front matter, no Markdown yet).
/// Returns, per language, its configuration, content and load problems.
/// Their Markdown goes to `store` until it is parsed.
pub fn read(
    config: &Config,
    drafts: bool,
    store: &Arc<Store>,
) -> Vec<(Config, Content, Vec<Diagnostic>)> {
    let load = LoadOptions {
        drafts,
        store: Some(store.clone()),
    };
    if !config.is_multilingual() {
        let mut diags = Vec::new();
        let content = content::load(config, load, &mut diags);
        return vec![(config.clone(), content, diags)];
    }
    let codes = config.language_codes();
    let suffixes: Vec<String> = codes[1..].to_vec();
    places(config)
        .into_iter()
        .map(|(code, prefix)| {
            let lconfig = config.for_language(&code);
            let sel = LangSelect {
                default: code == config.lang,
                code,
                suffixes: suffixes.clone(),
                prefix,
            };
            let mut diags = Vec::new();
            let content = content::load_language(&lconfig, load.clone(), Some(&sel), &mut diags);
            (lconfig, content, diags)
        })
        .collect()
}

/// Parses one page's body.
pub fn parse_page(page: &Page, opts: &markdown::Options, hooks: &ThemeHooks<'_>) -> Doc {
    let anchor = layout::block_prefix(&page.out);
    let body = match page.body.text() {
        Ok(b) => b,
        Err(e) => {
            let mut doc = Doc::default();
            let d = if page.body.is_in_its_file() {
                Diagnostic::error(
                    &page.source,
                    0,
                    0,
                    format!("cannot read this page again: {e}"),
                )
                .with_help("it was changed while the site was being built: build again")
            } else {
                Diagnostic::error(
                    &page.source,
                    0,
                    0,
                    format!("cannot read this page back from the temporary file: {e}"),
                )
                .with_help(
                    "check the free space of the temporary folder (TMPDIR), then build again",
                )
            };
            doc.diagnostics.push(d);
            return doc;
        }
    };
    let src = markdown::Source {
        path: &page.source,
        text: &body,
        first_line: page.body_line,
        lines: Some(&page.lines),
        anchor: &anchor,
        form: &page.out.form_name(),
        title_from_body: page.title_from_body,
        mark_blocks: page.is_worksheet(),
    };
    markdown::parse(&src, opts, hooks)
}

/// Parses every page of `content` (reusing `reuse(page)` when it gives a `Doc`),
/// then sets the titles found in bodies and orders the content. Adds the CPU
/// time spent parsing to `cpu` (nanoseconds).
pub fn parse_all(
    theme: &Theme,
    ui: &Ui,
    config: &Config,
    content: &mut Content,
    reuse: &(dyn Fn(&Page) -> Option<Arc<Doc>> + Sync),
    cpu: &AtomicU64,
    store: &Arc<Store>,
) -> Vec<Arc<Doc>> {
    let hooks = ThemeHooks::for_config(theme, ui, config);
    let opts = md_options(config);
    // Once parsed, a page's Markdown is not needed again: it is released, so a
    // large handbook does not hold every source beside every parsed body.
    let docs: Vec<Arc<Doc>> = content
        .pages
        .par_iter_mut()
        .with_max_len(8)
        .map(|p| {
            let doc = reuse(p).unwrap_or_else(|| {
                let t = cpu_time::ThreadTime::now();
                let mut doc = parse_page(p, &opts, &hooks);
                // The Markdown is given back first, so its budget serves the body.
                p.body = Held::default();
                doc.stow(store);
                let nanos = u64::try_from(t.elapsed().as_nanos()).unwrap_or(u64::MAX);
                cpu.fetch_add(nanos, Ordering::Relaxed);
                Arc::new(doc)
            });
            p.body = Held::default();
            doc
        })
        .collect();
    let titles = docs
        .iter()
        .enumerate()
        .filter_map(|(id, d)| d.title.as_ref().map(|t| (id, t.text.clone(), t.in_body)));
    content.finish(config.typography, titles.collect::<Vec<_>>());
    docs
}

/// Warnings for two pages of one section under the same title: the navigation
/// (and the contents, and search results) would show two entries no reader can
/// tell apart. The second page, in reading order, is named.
pub fn duplicate_titles(content: &Content, diags: &mut Vec<Diagnostic>) {
    let mut seen: std::collections::HashMap<(usize, &str), usize> = Default::default();
    for &id in &content.order {
        let Some(p) = content.pages.get(id).filter(|p| !p.is_index) else {
            continue;
        };
        let shown = p.fm.nav_title.as_deref().unwrap_or(&p.title);
        if shown.is_empty() {
            continue;
        }
        let Some(&first) = seen.get(&(p.section, shown)) else {
            seen.insert((p.section, shown), id);
            continue;
        };
        let line = if p.fm.title_line > 0 {
            p.fm.title_line
        } else {
            p.body_line
        };
        diags.push(
            Diagnostic::warning(
                p.source.as_str(),
                line,
                1,
                format!(
                    "`{}` has the title “{shown}” too: the navigation shows two entries readers cannot tell apart",
                    content.pages[first].source
                ),
            )
            .with_help("give one of them another title, or a shorter `nav_title:` for the navigation"),
        );
    }
}

/// Parses one page of a language whose other pages are parsed already (`serve`,
/// after an edit to the page's body): as [`parse_all`] parses each page, and
/// with its Markdown released once parsed.
pub fn parse_one(
    theme: &Theme,
    ui: &Ui,
    config: &Config,
    page: &mut Page,
    store: &Arc<Store>,
) -> Arc<Doc> {
    let hooks = ThemeHooks::for_config(theme, ui, config);
    let mut doc = parse_page(page, &md_options(config), &hooks);
    page.body = Held::default();
    doc.stow(store);
    Arc::new(doc)
}

/// What [`load`] gives: the languages, problems that concern several languages
/// (missing translations), and the CPU time spent parsing Markdown.
pub struct Loaded {
    /// Every language, the default first.
    pub langs: Vec<Lang>,
    /// Problems across languages.
    pub shared: Vec<Diagnostic>,
    /// CPU time spent parsing Markdown, summed over threads.
    pub markdown_cpu: Duration,
}

/// Loads every language from `read` (see [`read`]): parses (reusing docs through
/// `reuse`), links the languages together, and resolves every link.
pub fn load(
    config: &Config,
    theme: &Theme,
    read: Vec<(Config, Content, Vec<Diagnostic>)>,
    reuse: &(dyn Fn(usize, &Page) -> Option<Arc<Doc>> + Sync),
    store: &Arc<Store>,
) -> Loaded {
    let cpu = AtomicU64::new(0);
    let mut langs: Vec<Lang> = read
        .into_iter()
        .enumerate()
        .map(|(i, (lconfig, mut content, mut diags))| {
            let ui = theme.ui(&lconfig, &mut diags);
            let docs = parse_all(
                theme,
                &ui,
                &lconfig,
                &mut content,
                &|p| reuse(i, p),
                &cpu,
                store,
            );
            Lang {
                config: lconfig,
                ui,
                content,
                docs,
                links: Vec::new(),
                diags,
            }
        })
        .collect();
    let mut shared = Vec::new();
    if config.is_multilingual() {
        let table = Arc::new(languages(config, &langs));
        for l in &mut langs {
            l.content.languages = Some(table.clone());
        }
        missing_translations(config, &langs, &mut shared);
    }
    for l in &mut langs {
        resolve(l);
    }
    Loaded {
        langs,
        shared,
        markdown_cpu: Duration::from_nanos(cpu.load(Ordering::Relaxed)),
    }
}

/// The link rules of `lang`: its configuration's, and every page's labels.
fn rules_of(lang: &Lang) -> links::Rules {
    let mut rules = links::Rules::of(&lang.config);
    rules.wiki = crate::site::wikilinks::WikiNames::of(&lang.content, &lang.docs);
    for (id, d) in lang.docs.iter().enumerate() {
        for label in &d.labels {
            rules.labels.entry(label.clone()).or_insert(id);
        }
    }
    rules
}

/// Resolves the links of page `p` (parsed as `d`) of `lang`.
fn resolve_one(lang: &Lang, p: &Page, d: &Doc, rules: &links::Rules) -> links::PageLinks {
    let mut l = links::resolve_page(&lang.content, p, d, rules);
    l.titles = links::titles(&lang.content, p.id, d, &l.resolved, &lang.docs);
    l
}

/// Resolves the links of every page of `lang`.
pub fn resolve(lang: &mut Lang) {
    let rules = rules_of(lang);
    let links: Vec<links::PageLinks> = {
        let lang = &*lang;
        lang.content
            .pages
            .par_iter()
            .zip(lang.docs.par_iter())
            .with_max_len(64)
            .map(|(p, d)| resolve_one(lang, p, d, &rules))
            .collect()
    };
    lang.links = links;
    if rules.warn {
        let ids: Vec<&std::collections::HashSet<String>> =
            lang.docs.iter().map(|d| &d.ids).collect();
        for l in &mut lang.links {
            links::drop_missing_fragments(l, &ids);
        }
    }
}

/// Resolves again the links of pages `ids` of `lang` only, the other pages'
/// docs being unchanged since their links were resolved (as [`resolve`] does
/// for each page).
pub fn resolve_pages(lang: &mut Lang, ids: &[usize]) {
    let rules = rules_of(lang);
    let resolved: Vec<(usize, links::PageLinks)> = {
        let lang = &*lang;
        let all_ids: Vec<&std::collections::HashSet<String>> =
            lang.docs.iter().map(|d| &d.ids).collect();
        ids.iter()
            .filter_map(|&id| {
                let (p, d) = (lang.content.pages.get(id)?, lang.docs.get(id)?);
                let mut l = resolve_one(lang, p, d, &rules);
                if rules.warn {
                    links::drop_missing_fragments(&mut l, &all_ids);
                }
                Some((id, l))
            })
            .collect()
    };
    for (id, l) in resolved {
        if let Some(slot) = lang.links.get_mut(id) {
            *slot = l;
        }
    }
}

/// The table of every language's pages. Translations link to the root copy of the
/// default language and to `<lang>/` for the others.
fn languages(config: &Config, langs: &[Lang]) -> Languages {
    let codes = config.language_codes();
    let mut pages: HashMap<String, Vec<Option<String>>> = HashMap::new();
    let mut files = HashMap::new();
    for (li, lang) in langs.iter().enumerate() {
        for p in &lang.content.pages {
            let key = if p.rel.is_empty() {
                format!("{}/", lang.content.sections[p.section].rel_dir)
            } else {
                p.rel.clone()
            };
            pages.entry(key).or_insert_with(|| vec![None; codes.len()])[li] =
                Some(p.out.to_string());
            if !p.rel.is_empty() {
                let real = p
                    .source
                    .strip_prefix(lang.content.folder.as_str())
                    .unwrap_or(&p.source)
                    .to_string();
                files.insert(real, (p.out.to_string(), codes[li].clone()));
            }
        }
    }
    Languages {
        list: langs
            .iter()
            .zip(&codes)
            .map(|(l, c)| {
                (
                    c.clone(),
                    content::language_name(c),
                    l.content.home().out.to_string(),
                )
            })
            .collect(),
        pages,
        files,
    }
}

/// A warning on every default-language page that a language lacks.
fn missing_translations(config: &Config, langs: &[Lang], diags: &mut Vec<Diagnostic>) {
    let Some(first) = langs.first() else { return };
    let Some(table) = first.content.languages.as_ref() else {
        return;
    };
    let codes = config.language_codes();
    for p in &first.content.pages {
        if p.rel.is_empty() {
            continue;
        }
        let Some(outs) = table.pages.get(&p.rel) else {
            continue;
        };
        for (i, code) in codes.iter().enumerate() {
            if *code == config.lang || outs.get(i).is_some_and(Option::is_some) {
                continue;
            }
            let stem = p.source.strip_suffix(".md").unwrap_or(&p.source);
            // A translation that is there but did not load has its own error.
            if config.root.join(format!("{stem}.{code}.md")).is_file() {
                continue;
            }
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

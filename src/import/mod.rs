//! `mentorbook import [DIR]`: turns a folder written for another tool into a
//! handbook without touching any of its files.
//!
//! Steps of [`import`]:
//! 1. refuse a folder that already has a `mentorbook.yaml`;
//! 2. [`detect`] which tool the folder was written for;
//! 3. read that tool's settings and make a [`Plan`]: the content folder, the
//!    static folders, the table of contents, the base of site-root links, the
//!    title, description, language and address of the site, what is left out —
//!    and what cannot be mapped;
//! 4. write the plan as a commented `mentorbook.yaml` (checked by loading it,
//!    and its pages, as `build` will), unless it is a dry run.
//!
//! The configuration points at the folders the old tool uses, so both tools
//! can build the site during the move; the output goes to `_mentorbook/`, a
//! folder the old tools leave alone (Jekyll, Docusaurus and Jupyter Book skip
//! `_` folders), and broken links are warnings (`links: warn`).

pub mod detect;

use std::path::{Path, PathBuf};

pub use detect::Dialect;

use crate::config::{CONFIG_FILE, Config};
use crate::diagnostic::Diagnostic;
use crate::error::{Error, Result};

/// The output folder of an imported handbook (relative to its root).
pub const OUTPUT: &str = "_mentorbook";

/// What `import` maps, and how.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    /// The tool, and the file that tells.
    pub dialect: Option<Dialect>,
    /// The file the tool was recognised by.
    pub evidence: Option<String>,
    /// The handbook's title, when the tool's settings give one.
    pub title: Option<String>,
    /// The handbook's description, when the tool's settings give one.
    pub description: Option<String>,
    /// The address the site is published at (`https://…/mentorat/`), when the
    /// tool's settings give one.
    pub base_url: Option<String>,
    /// The language of the pages.
    pub lang: String,
    /// The content folder, relative to the root (`docs`, `.`).
    pub content: String,
    /// Static folders copied to the root of the site.
    pub statics: Vec<String>,
    /// What the content folder holds that is not part of the handbook.
    pub exclude: Vec<String>,
    /// The table of contents, relative to the root.
    pub toc: Option<String>,
    /// The part of site-root links standing for the root (`docs` for `/docs/x`).
    pub link_prefix: Option<String>,
    /// What was mapped: (what, how), printed as a table.
    pub mapped: Vec<(String, String)>,
    /// What could not be mapped: (what, why).
    pub unmapped: Vec<(String, String)>,
}

/// What `import` did.
#[derive(Debug)]
pub struct Imported {
    /// The plan.
    pub plan: Plan,
    /// The text of `mentorbook.yaml`.
    pub config: String,
    /// Where it was written (`None` for a dry run).
    pub written: Option<PathBuf>,
    /// The loaded handbook's pages, sections and files (from the written configuration).
    pub counts: (usize, usize, usize),
    /// Problems loading it would report (as `build` will), for the summary.
    pub warnings: usize,
    /// A hint about the version-control ignore file, when the output is not ignored.
    pub ignore_hint: Option<String>,
}

/// Imports the handbook in `dir` (see the module documentation).
pub fn import(dir: &Path, dry_run: bool) -> Result<Imported> {
    let root = dir
        .canonicalize()
        .map_err(|e| Error::io("cannot open the folder", dir, e))?;
    if !root.is_dir() {
        return Err(Error::Usage(format!("`{}` is not a folder", dir.display())));
    }
    if root.join(CONFIG_FILE).exists() {
        return Err(Error::Config(vec![
            Diagnostic::error(
                CONFIG_FILE,
                0,
                0,
                format!("this folder is already a handbook: `{CONFIG_FILE}` exists, and import never overwrites it"),
            )
            .with_help(format!(
                "run `mentorbook build` to use it, or move `{CONFIG_FILE}` away to import again (`mentorbook import --dry-run` shows what it would write)"
            )),
        ]));
    }
    let (dialect, evidence) = detect::detect(&root);
    let mut plan = Plan {
        dialect: Some(dialect),
        evidence,
        lang: String::new(),
        content: ".".into(),
        ..Plan::default()
    };
    match dialect {
        Dialect::Docusaurus => docusaurus(&root, &mut plan),
        Dialect::MkDocs => mkdocs(&root, &mut plan),
        Dialect::MdBook => mdbook(&root, &mut plan),
        Dialect::JupyterBook => jupyter(&root, &mut plan),
        Dialect::GitBook => gitbook(&root, &mut plan),
        Dialect::Hugo => hugo(&root, &mut plan),
        Dialect::Zola => zola(&root, &mut plan),
        Dialect::Jekyll => jekyll(&root, &mut plan),
        Dialect::Obsidian => obsidian(&root, &mut plan),
        Dialect::Markdown => plain(&root, &mut plan, false),
    }
    if plan.content == "." {
        plan.exclude.extend(common_exclusions(&root));
    }
    plan.description = plan
        .description
        .take()
        .map(|d| d.trim().to_string())
        .filter(|d| !d.is_empty());
    plan.base_url = plan.base_url.take().and_then(|u| site_address(&u));
    if let Some(u) = &plan.base_url {
        let how = format!("`{u}`: the sitemap's addresses and the 404 page's links");
        map(&mut plan, "address", how);
    }
    plan.exclude.sort();
    plan.exclude.dedup();
    if plan.lang.is_empty() {
        plan.lang = guess_language(&root.join(&plan.content));
        plan.mapped.push((
            "language".into(),
            format!(
                "`{}` (from the pages' words; change `lang:` if wrong)",
                plan.lang
            ),
        ));
    }
    let text = config_text(&plan);
    // The configuration is loaded as `build` will load it: it must be valid, and
    // its pages are counted for the summary.
    let config = Config::parse(&root, &text).map_err(|e| {
        Error::Config(
            e.diagnostics()
                .iter()
                .cloned()
                .map(|mut d| {
                    d.message = format!(
                        "internal error: the configuration import wrote is wrong: {}",
                        d.message
                    );
                    d
                })
                .collect(),
        )
    })?;
    let mut diags = Vec::new();
    let content = crate::content::load(
        &config,
        crate::content::LoadOptions {
            drafts: true,
            store: None,
        },
        &mut diags,
    );
    let pages = content.pages.iter().filter(|p| !p.rel.is_empty()).count();
    if pages == 0 {
        return Err(Error::Content(vec![
            Diagnostic::error(
                format!("{}/", plan.content.trim_end_matches('/')),
                0,
                0,
                format!(
                    "no Markdown pages found for this {} site",
                    dialect.name()
                ),
            )
            .with_help("run `mentorbook import` in the folder of the handbook (where its settings file is), or `mentorbook init` to start a new one"),
        ]));
    }
    let counts = (pages, content.sections.len(), content.assets.len());
    let ignore_hint = ignore_hint(&root);
    let written = if dry_run {
        None
    } else {
        let path = root.join(CONFIG_FILE);
        write_new(&path, text.as_bytes())?;
        Some(path)
    };
    Ok(Imported {
        plan,
        config: text,
        written,
        counts,
        warnings: diags.iter().filter(|d| !d.is_error()).count(),
        ignore_hint,
    })
}

/// Creates `path` with `bytes`; an existing file is never replaced.
fn write_new(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| Error::io("cannot create", path, e))?;
    f.write_all(bytes)
        .map_err(|e| Error::io("cannot write", path, e))
}

/// A line about `.gitignore` when the folder is under Git and the output is not ignored.
fn ignore_hint(root: &Path) -> Option<String> {
    if !root.join(".git").exists() {
        return None;
    }
    let ignored = std::fs::read_to_string(root.join(".gitignore")).is_ok_and(|t| {
        t.lines()
            .map(|l| l.trim().trim_matches('/'))
            .any(|l| l == OUTPUT || l == "_*")
    });
    (!ignored)
        .then(|| format!("add `/{OUTPUT}/` to `.gitignore` so the built site is not committed"))
}

fn exists(root: &Path, rel: &str) -> bool {
    root.join(rel).exists()
}

fn map(plan: &mut Plan, what: &str, how: impl Into<String>) {
    plan.mapped.push((what.to_string(), how.into()));
}

fn unmapped(plan: &mut Plan, what: &str, why: impl Into<String>) {
    plan.unmapped.push((what.to_string(), why.into()));
}

/// What a content folder at the root holds that is no page: the tools' own
/// files and folders that exist there.
fn common_exclusions(root: &Path) -> Vec<String> {
    [
        "node_modules",
        "vendor",
        "Gemfile",
        "Gemfile.lock",
        "package.json",
        "package-lock.json",
        "yarn.lock",
        "_site",
        "_build",
        "_config.yml",
        "_config.yaml",
        "_toc.yml",
        "_toc.yaml",
        "book.toml",
        "mkdocs.yml",
        "requirements.txt",
        "CNAME",
    ]
    .iter()
    .filter(|n| exists(root, n))
    .map(|n| (*n).to_string())
    .collect()
}

/// The language of the pages from their most common short words (French or English).
fn guess_language(dir: &Path) -> String {
    let mut fr = 0usize;
    let mut en = 0usize;
    let mut seen = 0;
    let mut ignored = Vec::new();
    let rule = crate::confine::Confinement::new(dir, false);
    for f in crate::content::walk::walk(
        dir,
        dir,
        &rule,
        &|r: &str| r.starts_with("node_modules"),
        &mut ignored,
    ) {
        if seen >= 40 || crate::content::walk::strip_page_ext(&f.rel).is_none() {
            continue;
        }
        seen += 1;
        let Ok(text) = std::fs::read_to_string(&f.abs) else {
            continue;
        };
        for w in text.split(|c: char| !c.is_alphabetic()).take(5000) {
            match w.to_lowercase().as_str() {
                "le" | "la" | "les" | "des" | "et" | "une" | "est" | "pour" | "vous" | "du" => {
                    fr += 1;
                }
                "the" | "and" | "of" | "to" | "is" | "you" | "for" | "with" | "your" => en += 1,
                _ => {}
            }
        }
    }
    if en > fr { "en" } else { "fr" }.to_string()
}

/// A language code from a tool's setting (`fr-FR`, `fr_FR`, `French` → `fr`).
fn lang_code(v: &str) -> Option<String> {
    let v = v.trim().replace('_', "-");
    let first = v.split('-').next()?.to_ascii_lowercase();
    match first.as_str() {
        "french" | "francais" | "français" => Some("fr".into()),
        "english" => Some("en".into()),
        c if (2..=3).contains(&c.len()) && c.chars().all(|ch| ch.is_ascii_lowercase()) => {
            Some(c.to_string())
        }
        _ => None,
    }
}

/// The address of a site as `base_url` takes it: absolute, ending with `/`;
/// `None` for anything else (a placeholder, a path without a host).
fn site_address(url: &str) -> Option<String> {
    let url = url.trim();
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let host = rest.split('/').next().unwrap_or("");
    if host.is_empty() || url.contains(char::is_whitespace) || url.contains(['<', '>', '{', '"']) {
        return None;
    }
    Some(if url.ends_with('/') {
        url.to_string()
    } else {
        format!("{url}/")
    })
}

/// A site's address from its host part (`https://example.org`) and its path
/// (`/mentorat/`), as Docusaurus (`url`, `baseUrl`) and Jekyll (`url`, `baseurl`) write them.
fn joined_address(url: Option<String>, base: Option<String>) -> Option<String> {
    let url = url?;
    let base = base.unwrap_or_default();
    let base = base.trim().trim_matches('/');
    let url = url.trim().trim_end_matches('/');
    Some(if base.is_empty() {
        format!("{url}/")
    } else {
        format!("{url}/{base}/")
    })
}

fn read_yaml(root: &Path, rel: &str) -> Option<serde_yaml::Value> {
    let text = std::fs::read_to_string(root.join(rel)).ok()?;
    serde_yaml::from_str(&text).ok()
}

fn yaml_str(v: &serde_yaml::Value, key: &str) -> Option<String> {
    v.get(key)?.as_str().map(str::to_string)
}

fn docusaurus(root: &Path, plan: &mut Plan) {
    let config = detect::first_file(
        root,
        &[
            "docusaurus.config.js",
            "docusaurus.config.ts",
            "docusaurus.config.mjs",
            "docusaurus.config.cjs",
        ],
    );
    let js = config
        .and_then(|c| std::fs::read_to_string(root.join(c)).ok())
        .unwrap_or_default();
    plan.title = detect::js_string(&js, "title");
    plan.description = detect::js_string(&js, "tagline");
    plan.base_url = joined_address(
        detect::js_string(&js, "url"),
        detect::js_string(&js, "baseUrl"),
    );
    if let Some(l) = detect::js_string(&js, "defaultLocale").and_then(|l| lang_code(&l)) {
        plan.lang = l;
    }
    let docs = detect::js_string(&js, "path").filter(|p| exists(root, p) && !p.contains(".."));
    plan.content = docs.unwrap_or_else(|| "docs".into());
    map(
        plan,
        "pages",
        format!(
            "`{}/`: Markdown and MDX pages (`import` lines and components left out, and reported)",
            plan.content
        ),
    );
    let base = detect::js_string(&js, "routeBasePath").unwrap_or_else(|| "docs".into());
    let base = base.trim_matches('/').to_string();
    if !base.is_empty() {
        map(
            plan,
            "site-root links",
            format!("`/{base}/…` leads to the page of that route (through `id` and `slug`)"),
        );
        plan.link_prefix = Some(base);
    }
    if exists(root, "static") {
        plan.statics.push("static".into());
        map(
            plan,
            "static files",
            "`static/` is the root of the site: `/img/x.png` is `static/img/x.png`",
        );
    }
    map(
        plan,
        "order",
        "`sidebar_position`, `_category_.json`, numeric prefixes; `sidebar_label` in the navigation",
    );
    map(
        plan,
        "admonitions",
        "`:::tip Titre` … `:::` become callouts",
    );
    if let Some(s) = detect::first_file(root, &["sidebars.js", "sidebars.ts", "sidebars.json"]) {
        unmapped(
            plan,
            s,
            "hand-written sidebars are not read: the order comes from `sidebar_position`, `_category_.json` and file names",
        );
    }
    for (dir, why) in [
        ("blog", "the blog is not part of the handbook"),
        ("src/pages", "React pages are not Markdown"),
        (
            "i18n",
            "translations are not mapped: name them `page.en.md` beside their page",
        ),
        (
            "versioned_docs",
            "only the current version (`docs/`) is imported",
        ),
    ] {
        if exists(root, dir) {
            unmapped(plan, &format!("{dir}/"), why);
        }
    }
}

fn mkdocs(root: &Path, plan: &mut Plan) {
    let name = detect::first_file(root, &["mkdocs.yml", "mkdocs.yaml"]).unwrap_or("mkdocs.yml");
    // mkdocs.yml may hold Python tags (`!!python/name:`): read it as text where YAML fails.
    let text = std::fs::read_to_string(root.join(name)).unwrap_or_default();
    let v: Option<serde_yaml::Value> = serde_yaml::from_str(&text).ok();
    plan.title = v.as_ref().and_then(|v| yaml_str(v, "site_name"));
    plan.description = v.as_ref().and_then(|v| yaml_str(v, "site_description"));
    plan.base_url = v.as_ref().and_then(|v| yaml_str(v, "site_url"));
    plan.content = v
        .as_ref()
        .and_then(|v| yaml_str(v, "docs_dir"))
        .map(|d| d.trim_matches('/').to_string())
        .unwrap_or_else(|| "docs".into());
    if let Some(l) = v
        .as_ref()
        .and_then(|v| v.get("theme"))
        .and_then(|t| t.get("language"))
        .and_then(|l| l.as_str())
        .and_then(lang_code)
    {
        plan.lang = l;
    }
    map(plan, "pages", format!("`{}/` (`docs_dir`)", plan.content));
    if text.lines().any(|l| l.starts_with("nav:")) {
        plan.toc = Some(name.to_string());
        map(
            plan,
            "order",
            format!("the `nav:` of `{name}`: its order, titles and sections"),
        );
    } else {
        map(
            plan,
            "order",
            "numeric prefixes and titles (there is no `nav:`)",
        );
    }
    map(
        plan,
        "admonitions",
        "`!!! note \"Titre\"` and `??? note` become callouts; `=== \"Onglet\"` tabs become sections",
    );
    if v.is_none() {
        unmapped(
            plan,
            name,
            "could not be read as YAML (Python tags?): title and `nav:` were looked for as text",
        );
    }
    if text.contains("extra_css") || exists(root, "overrides") || exists(root, "custom_theme") {
        unmapped(
            plan,
            "theme",
            "MkDocs themes and `extra_css` are not used: choose a mentorbook theme (`theme:`)",
        );
    }
    if text.contains("plugins:") {
        unmapped(plan, "plugins", "MkDocs plugins do not run");
    }
}

fn mdbook(root: &Path, plan: &mut Plan) {
    let text = std::fs::read_to_string(root.join("book.toml")).unwrap_or_default();
    let v: Option<toml::Table> = text.parse().ok();
    let book = v.as_ref().and_then(|t| t.get("book"));
    let get = |k: &str| {
        book.and_then(|b| b.get(k))
            .and_then(|x| x.as_str())
            .map(str::to_string)
    };
    plan.title = get("title");
    plan.description = get("description");
    if let Some(l) = get("language").and_then(|l| lang_code(&l)) {
        plan.lang = l;
    }
    plan.content = get("src")
        .map(|s| s.trim_matches('/').to_string())
        .unwrap_or_else(|| "src".into());
    map(
        plan,
        "pages",
        format!("`{}/` (`src` of `book.toml`)", plan.content),
    );
    let summary = format!("{}/SUMMARY.md", plan.content);
    if exists(root, &summary) {
        map(
            plan,
            "order",
            format!("`{summary}`: prefix, numbered and suffix chapters, parts; drafts left out"),
        );
        plan.toc = Some(summary);
    }
    map(
        plan,
        "includes",
        "`{{#include file}}` of files inside the book",
    );
    if exists(root, "theme") {
        unmapped(
            plan,
            "theme/",
            "mdBook themes are not used: choose a mentorbook theme (`theme:`)",
        );
    }
    if let Some(pre) = v
        .as_ref()
        .and_then(|t| t.get("preprocessor"))
        .and_then(|p| p.as_table())
    {
        for name in pre.keys() {
            unmapped(
                plan,
                &format!("preprocessor.{name}"),
                "mdBook preprocessors do not run",
            );
        }
    }
}

fn jupyter(root: &Path, plan: &mut Plan) {
    let toc = detect::first_file(root, &["_toc.yml", "_toc.yaml"]).unwrap_or("_toc.yml");
    if let Some(v) = read_yaml(root, "_config.yml") {
        plan.title = yaml_str(&v, "title");
        plan.description = yaml_str(&v, "description");
        plan.base_url = v
            .get("html")
            .and_then(|h| h.get("baseurl"))
            .and_then(|u| u.as_str())
            .map(str::to_string);
        if let Some(l) = v
            .get("sphinx")
            .and_then(|s| s.get("config"))
            .and_then(|c| c.get("language"))
            .and_then(|l| l.as_str())
            .and_then(lang_code)
        {
            plan.lang = l;
        }
    }
    plan.content = ".".into();
    plan.toc = Some(toc.to_string());
    map(plan, "pages", "this folder (MyST Markdown)");
    map(
        plan,
        "order",
        format!("`{toc}`: its chapters, sections and parts"),
    );
    map(
        plan,
        "directives",
        "```` ```{note} ```` and the other admonitions become callouts; `(label)=` and {ref} links work across pages",
    );
    let mut ignored = Vec::new();
    let rule = crate::confine::Confinement::new(root, false);
    let notebooks = crate::content::walk::walk(
        root,
        root,
        &rule,
        &|r: &str| r.starts_with("_build"),
        &mut ignored,
    )
    .iter()
    .filter(|f| f.rel.ends_with(".ipynb"))
    .count();
    if notebooks > 0 {
        unmapped(
            plan,
            "*.ipynb",
            format!("{notebooks} notebook(s) are not converted (they are copied as files)"),
        );
    }
    plan.exclude.push("_build".into());
}

fn gitbook(root: &Path, plan: &mut Plan) {
    let settings = read_yaml(root, ".gitbook.yaml");
    let content = settings
        .as_ref()
        .and_then(|v| yaml_str(v, "root"))
        .map(|r| r.trim_start_matches("./").trim_matches('/').to_string())
        .filter(|r| !r.is_empty() && !r.contains(".."))
        .unwrap_or_else(|| ".".into());
    plan.content = content.clone();
    let summary_name = settings
        .as_ref()
        .and_then(|v| v.get("structure"))
        .and_then(|s| s.get("summary"))
        .and_then(|s| s.as_str())
        .unwrap_or("SUMMARY.md")
        .to_string();
    let summary = if content == "." {
        summary_name
    } else {
        format!("{content}/{summary_name}")
    };
    map(
        plan,
        "pages",
        if content == "." {
            "this folder".to_string()
        } else {
            format!("`{content}/` (`root` of `.gitbook.yaml`)")
        },
    );
    if exists(root, &summary) {
        map(
            plan,
            "order",
            format!("`{summary}`: its order, groups and nesting"),
        );
        plan.toc = Some(summary);
    }
    let assets = if content == "." {
        ".gitbook/assets".to_string()
    } else {
        format!("{content}/.gitbook/assets")
    };
    if exists(root, &assets) {
        map(
            plan,
            "files",
            format!("`{assets}/` (names with spaces are fine)"),
        );
    }
    map(
        plan,
        "blocks",
        "`{% hint %}` callouts, `{% tabs %}` sections, `{% content-ref %}` and `{% embed %}` link cards, `{% file %}` links",
    );
}

fn hugo(root: &Path, plan: &mut Plan) {
    let file = detect::first_file(
        root,
        &["hugo.toml", "config.toml", "hugo.yaml", "config.yaml"],
    );
    if let Some(f) = file {
        let text = std::fs::read_to_string(root.join(f)).unwrap_or_default();
        // Hugo's keys are case-insensitive (`baseURL`, `baseurl`).
        let (title, lang, base, description) = if f.ends_with(".toml") {
            let t: Option<toml::Table> = text.parse().ok();
            let get = |table: Option<&toml::Table>, k: &str| {
                table?
                    .iter()
                    .find(|(key, _)| key.eq_ignore_ascii_case(k))
                    .and_then(|(_, v)| v.as_str())
                    .map(str::to_string)
            };
            let params = t
                .as_ref()
                .and_then(|t| t.iter().find(|(k, _)| k.eq_ignore_ascii_case("params")))
                .and_then(|(_, v)| v.as_table());
            let s = |k: &str| get(t.as_ref(), k);
            (
                s("title"),
                s("defaultContentLanguage").or_else(|| s("languageCode")),
                s("baseURL"),
                get(params, "description"),
            )
        } else {
            let v: Option<serde_yaml::Value> = serde_yaml::from_str(&text).ok();
            let get = |m: Option<&serde_yaml::Value>, k: &str| {
                m?.as_mapping()?
                    .iter()
                    .find(|(key, _)| key.as_str().is_some_and(|key| key.eq_ignore_ascii_case(k)))
                    .and_then(|(_, v)| v.as_str())
                    .map(str::to_string)
            };
            let params = v.as_ref().and_then(|v| {
                v.as_mapping()?
                    .iter()
                    .find(|(k, _)| k.as_str().is_some_and(|k| k.eq_ignore_ascii_case("params")))
                    .map(|(_, p)| p)
            });
            let s = |k: &str| get(v.as_ref(), k);
            (
                s("title"),
                s("defaultContentLanguage").or_else(|| s("languageCode")),
                s("baseURL"),
                get(params, "description"),
            )
        };
        plan.title = title;
        plan.base_url = base;
        plan.description = description;
        if let Some(l) = lang.and_then(|l| lang_code(&l)) {
            plan.lang = l;
        }
    }
    plan.content = "content".into();
    map(
        plan,
        "pages",
        "`content/`: `_index.md` sections, `weight`, `draft`, `slug`",
    );
    if exists(root, "static") {
        plan.statics.push("static".into());
        map(plan, "static files", "`static/` is the root of the site");
    }
    map(
        plan,
        "links",
        "`{{< ref \"x.md\" >}}` and `relref` become links; other shortcodes are left out, and reported",
    );
    if exists(root, "layouts") || exists(root, "themes") {
        unmapped(
            plan,
            "layouts/, themes/",
            "Hugo templates are not used: choose a mentorbook theme (`theme:`)",
        );
    }
    map(
        plan,
        "front matter",
        "YAML (`---`) or TOML (`+++`); `linkTitle` is the navigation title, `url` the page's path",
    );
}

fn zola(root: &Path, plan: &mut Plan) {
    let file = detect::first_file(root, &["zola.toml", "config.toml"]).unwrap_or("config.toml");
    let text = std::fs::read_to_string(root.join(file)).unwrap_or_default();
    let settings: Option<toml::Table> = text.parse().ok();
    let get = |k: &str| {
        settings
            .as_ref()
            .and_then(|t| t.get(k))
            .and_then(|v| v.as_str())
            .map(str::to_string)
    };
    plan.title = get("title");
    plan.description = get("description");
    plan.base_url = get("base_url");
    if let Some(l) = get("default_language").and_then(|l| lang_code(&l)) {
        plan.lang = l;
    }
    if settings.is_none() {
        unmapped(
            plan,
            file,
            "could not be read as TOML: its title, description, address and language were not taken",
        );
    }
    plan.content = "content".into();
    map(
        plan,
        "pages",
        "`content/`: `_index.md` sections, `weight`, `draft`, `slug`; `[extra]` for themes",
    );
    if exists(root, "static") {
        plan.statics.push("static".into());
        map(plan, "static files", "`static/` is the root of the site");
    }
    map(
        plan,
        "links",
        "`@/guide/page.md` and `@/guide/page.md#ancre` lead to that page (from `content/`)",
    );
    map(
        plan,
        "shortcodes",
        "`{{ youtube(id=\"…\") }}` and `vimeo` become links to the video; `{% note() %}…{% end %}` (tip, warning…) callouts; others are left out, and reported",
    );
    map(
        plan,
        "front matter",
        "TOML (`+++`) or YAML (`---`); `<!-- more -->` is left out",
    );
    if settings
        .as_ref()
        .and_then(|t| t.get("languages"))
        .and_then(|l| l.as_table())
        .is_some_and(|l| !l.is_empty())
    {
        unmapped(
            plan,
            "languages",
            "other languages are not configured: list them under `languages:` (Zola's `page.en.md` files are named as mentorbook reads them)",
        );
    }
    if settings
        .as_ref()
        .is_some_and(|t| t.contains_key("taxonomies"))
    {
        unmapped(
            plan,
            "taxonomies",
            "tags and categories have no pages of their own (`[taxonomies]` of pages is left out)",
        );
    }
    if exists(root, "templates") || exists(root, "themes") || exists(root, "sass") {
        unmapped(
            plan,
            "templates/, themes/, sass/",
            "Zola templates are not used (mentorbook does not read `templates/` of a Zola site): choose a mentorbook theme (`theme:`)",
        );
    }
}

fn jekyll(root: &Path, plan: &mut Plan) {
    let v = read_yaml(root, "_config.yml").or_else(|| read_yaml(root, "_config.yaml"));
    if let Some(v) = &v {
        plan.title = yaml_str(v, "title");
        plan.description = yaml_str(v, "description");
        plan.base_url = joined_address(yaml_str(v, "url"), yaml_str(v, "baseurl"));
        if let Some(l) = yaml_str(v, "lang")
            .or_else(|| yaml_str(v, "locale"))
            .and_then(|l| lang_code(&l))
        {
            plan.lang = l;
        }
        if let Some(base) = yaml_str(v, "baseurl")
            .map(|b| b.trim_matches('/').to_string())
            .filter(|b| !b.is_empty())
        {
            map(
                plan,
                "site-root links",
                format!("`/{base}/…` (`baseurl`) leads into the handbook"),
            );
            plan.link_prefix = Some(base);
        }
        if let Some(list) = v.get("exclude").and_then(|e| e.as_sequence()) {
            for e in list.iter().filter_map(|e| e.as_str()) {
                plan.exclude.push(e.trim_matches('/').to_string());
            }
        }
        if let Some(c) = v.get("collections").and_then(|c| c.as_mapping()) {
            for name in c.keys().filter_map(|k| k.as_str()) {
                unmapped(
                    plan,
                    &format!("_{name}/"),
                    "collections are read as folders of pages, with their own URLs",
                );
            }
        }
    }
    plan.content = ".".into();
    for d in [
        "_layouts",
        "_includes",
        "_sass",
        "_data",
        "_plugins",
        "assets/css",
        "assets/js",
    ] {
        if exists(root, d) {
            plan.exclude.push(d.to_string());
        }
    }
    if exists(root, "_posts") {
        plan.exclude.push("_posts".into());
        unmapped(plan, "_posts/", "blog posts are not part of the handbook");
    }
    for g in ["*.gemspec", "LICENSE", "LICENSE.txt"] {
        plan.exclude.push(g.to_string());
    }
    map(
        plan,
        "pages",
        "this folder (`_layouts`, `_includes`, `_sass`, `_data` and the Ruby files left out)",
    );
    map(
        plan,
        "URLs",
        "`permalink:` is each page's path; a permalink naming a folder's index makes the page that folder's page",
    );
    map(
        plan,
        "order",
        "`nav_order`, `parent`/`grand_parent`, `section`/`order` groups",
    );
    map(
        plan,
        "Liquid",
        "`{% raw %}` and link tags (`{{ site.baseurl }}`, `{% link %}`, `relative_url`); other tags are left out, and reported",
    );
    if exists(root, "_layouts") || exists(root, "_includes") {
        unmapped(
            plan,
            "_layouts/, _includes/",
            "Jekyll templates are not used: choose a mentorbook theme (`theme:`)",
        );
    }
}

fn plain(root: &Path, plan: &mut Plan, home_notes: bool) {
    plan.content = ".".into();
    // An Obsidian vault's home note (`Accueil.md`), where there is no index.
    let home_note = || {
        let entries = std::fs::read_dir(root).ok()?;
        entries
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|name| crate::content::walk::is_home_note(name))
            .min()
    };
    let home = ["index.md", "README.md"]
        .into_iter()
        .find(|n| exists(root, n))
        .map(|n| (n.to_string(), false))
        .or_else(|| home_notes.then(home_note).flatten().map(|n| (n, true)));
    // The title of the home page is the handbook's.
    plan.title = home.as_ref().and_then(|(n, _)| {
        let text = std::fs::read_to_string(root.join(n)).ok()?;
        text.lines()
            .find_map(|l| l.strip_prefix("# "))
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
    });
    let readme = match &home {
        Some((n, false)) => format!("`{n}`"),
        Some((n, true)) => format!("`{n}`, the vault's home note"),
        None => "a generated page listing the others".to_string(),
    };
    map(
        plan,
        "pages",
        format!("every Markdown file of this folder; the home page is {readme}"),
    );
    map(
        plan,
        "order",
        "numeric prefixes (`02-posture.md`), then titles; each folder is a section",
    );
}

/// An Obsidian vault: a plain folder (its `.obsidian/` settings left out),
/// whose wikilinks, embeds, block ids and callouts are read as Obsidian
/// reads them; the attachments folder its settings name is copied with it.
fn obsidian(root: &Path, plan: &mut Plan) {
    plain(root, plan, true);
    map(
        plan,
        "links",
        "wikilinks `[[Note]]`, `[[Note#Heading|text]]` and `[[Note#^block]]` lead to the page, heading or block; `![[image.png]]` is an image; `![[Note]]` alone on its line shows the note's text (or its heading's, its block's), inside a line a link to it",
    );
    let attachments = std::fs::read_to_string(root.join(".obsidian/app.json"))
        .ok()
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
        .and_then(|v| {
            v.get("attachmentFolderPath")?
                .as_str()
                .map(|s| s.trim_start_matches("./").trim_end_matches('/').to_string())
        })
        .filter(|a| !a.is_empty() && a != "." && !a.starts_with('/') && !a.contains(".."));
    let files = match attachments {
        Some(a) if root.join(&a).is_dir() => {
            format!(
                "images and files, in `{a}/` (the vault's attachments folder) as elsewhere, are copied with the site"
            )
        }
        _ => "images and files beside the notes are copied with the site".to_string(),
    };
    map(plan, "files", files);
    unmapped(
        plan,
        ".obsidian/",
        "the vault's settings (themes, plugins, the graph): not part of the site",
    );
}

/// A YAML value written on one line (quoted when it must be).
fn scalar(s: &str) -> String {
    serde_yaml::to_string(s)
        .map(|t| t.trim_end().to_string())
        .unwrap_or_else(|_| format!("{s:?}"))
}

/// The commented `mentorbook.yaml` of `plan`.
pub fn config_text(plan: &Plan) -> String {
    let tool = plan.dialect.map_or("Markdown", Dialect::name);
    let a = if tool.starts_with(['A', 'E', 'I', 'O', 'U']) {
        "an"
    } else {
        "a"
    };
    let still = if plan.dialect == Some(Dialect::Obsidian) {
        "Obsidian still opens the vault\n# as it was".to_string()
    } else {
        format!("{tool} can still build the site\n# while you move")
    };
    let mut t = format!(
        "# mentorbook.yaml, written by `mentorbook import` for {a} {tool} handbook.\n\
         # None of your files was changed or moved: {still}. Every key is explained in mentorbook's README.\n"
    );
    if let Some(title) = &plan.title {
        t.push_str(&format!("title: {}\n", scalar(title)));
    } else {
        let placeholder = if plan.lang.starts_with("fr") {
            "Guide du mentorat"
        } else {
            "Mentoring handbook"
        };
        t.push_str(&format!(
            "title: {placeholder}   # the handbook's title: change it\n"
        ));
    }
    t.push_str(&format!("lang: {}\n", scalar(&plan.lang)));
    if let Some(d) = &plan.description {
        t.push_str(&format!("description: {}\n", scalar(d)));
    }
    if let Some(u) = &plan.base_url {
        t.push_str(&format!(
            "# Where the site is published (the sitemap's addresses, the 404 page's links).\nbase_url: {}\n",
            scalar(u)
        ));
    }
    if let Some(d) = plan.dialect {
        t.push_str(&format!(
            "\n# The tool this handbook comes from (its conventions, and the migration\n# summary of `mentorbook check`).\nimported_from: {}\n",
            d.key()
        ));
    }
    t.push_str(&format!(
        "\n# The folder of the pages (Markdown files; other files there are copied with the site).\ncontent: {}\n",
        scalar(&plan.content)
    ));
    if !plan.exclude.is_empty() {
        t.push_str("# Left out of the handbook: a name anywhere, or a path from the content folder.\nexclude:\n");
        for e in &plan.exclude {
            t.push_str(&format!("  - {}\n", scalar(e)));
        }
    }
    if plan.statics.is_empty() {
        t.push_str("# No static folder: files are copied from beside the pages.\nstatic: []\n");
    } else {
        t.push_str("# Copied to the root of the site: `/img/logo.png` is `static/img/logo.png`.\nstatic:\n");
        for s in &plan.statics {
            t.push_str(&format!("  - {}\n", scalar(s)));
        }
    }
    if let Some(toc) = &plan.toc {
        t.push_str(&format!(
            "# The table of contents that orders the pages.\ntoc: {}\n",
            scalar(toc)
        ));
    }
    if let Some(p) = &plan.link_prefix {
        t.push_str(&format!(
            "# Site-root links written for the old site (`/{p}/guide/page`) start with this.\nlink_prefix: {}\n",
            scalar(&format!("/{p}/"))
        ));
    }
    t.push_str(&format!(
        "\n# Where `mentorbook build` writes the site: a folder of its own, which the\n# old tool ignores (add it to `.gitignore`).\noutput: {OUTPUT}\n"
    ));
    t.push_str(
        "\n# A broken link or a missing file is a warning while you move (`build --strict`\n# makes every warning an error). Write `links: error` once they are fixed.\nlinks: warn\n",
    );
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_config_text_is_valid_and_commented() {
        let plan = Plan {
            dialect: Some(Dialect::Docusaurus),
            title: Some("Guide : « mentorat »".into()),
            lang: "fr".into(),
            content: "docs".into(),
            statics: vec!["static".into()],
            link_prefix: Some("docs".into()),
            description: Some("Accompagner : écouter".into()),
            base_url: Some("https://rh.example.org/mentorat/".into()),
            ..Plan::default()
        };
        let text = config_text(&plan);
        assert!(text.lines().filter(|l| l.starts_with('#')).count() > 5);
        let c = Config::parse(Path::new("/h"), &text).expect("valid");
        assert_eq!(c.title, "Guide : « mentorat »");
        assert_eq!(c.sources.content_rel, "docs");
        assert_eq!(c.link_prefix.as_deref(), Some("docs"));
        assert_eq!(c.sources.output.as_deref(), Some(OUTPUT));
        assert_eq!(c.links, crate::config::LinkSeverity::Warn);
        assert_eq!(c.imported_from.as_deref(), Some("docusaurus"));
        assert_eq!(c.description.as_deref(), Some("Accompagner : écouter"));
        assert_eq!(
            c.base_url.as_deref(),
            Some("https://rh.example.org/mentorat/")
        );
    }

    #[test]
    fn site_addresses_from_tool_settings() {
        assert_eq!(
            joined_address(
                Some("https://rh.example.org".into()),
                Some("/mentorat".into())
            )
            .and_then(|u| site_address(&u))
            .as_deref(),
            Some("https://rh.example.org/mentorat/")
        );
        assert_eq!(
            joined_address(Some("https://rh.example.org/".into()), Some("/".into())).as_deref(),
            Some("https://rh.example.org/")
        );
        assert_eq!(joined_address(None, Some("/mentorat/".into())), None);
        assert_eq!(site_address("/mentorat/"), None);
        assert_eq!(site_address("https://"), None);
        assert_eq!(site_address("{{ site.url }}"), None);
        assert_eq!(
            site_address("http://intranet/guide").as_deref(),
            Some("http://intranet/guide/")
        );
    }

    #[test]
    fn language_codes_from_tool_settings() {
        assert_eq!(lang_code("fr_FR").as_deref(), Some("fr"));
        assert_eq!(lang_code("English").as_deref(), Some("en"));
        assert_eq!(lang_code("x1"), None);
    }
}

//! The site configuration, `mentorbook.yaml`: typed, validated, found by walking up
//! from the current folder like Cargo does.

pub mod programme;
pub mod sources;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::confine::Confinement;
use crate::diagnostic::{Diagnostic, did_you_mean};
use crate::error::{Error, Result};
use crate::yaml::{KeyLines, error_to_diagnostic};

pub use sources::{LinkSeverity, Sources};

/// The configuration file's name.
pub const CONFIG_FILE: &str = "mentorbook.yaml";

/// Paper size for printed pages and worksheets (`a4` or `letter`, in any case:
/// `A4` is how most people write it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Paper {
    /// ISO A4, 210 × 297 mm.
    #[default]
    A4,
    /// US Letter, 8.5 × 11 in.
    Letter,
}

impl<'de> Deserialize<'de> for Paper {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let written = String::deserialize(d)?;
        match written.trim().to_ascii_lowercase().as_str() {
            "a4" => Ok(Paper::A4),
            "letter" | "us letter" | "us-letter" => Ok(Paper::Letter),
            _ => Err(serde::de::Error::custom(format!(
                "`{written}` is no paper size mentorbook knows: write `a4` or `letter`"
            ))),
        }
    }
}

impl Paper {
    /// The CSS `@page size` value.
    pub fn css_size(self) -> &'static str {
        match self {
            Paper::A4 => "A4",
            Paper::Letter => "letter",
        }
    }
}

/// Typographic rules applied to text (outside code).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Typography {
    /// French: narrow no-break spaces before `; : ! ?` and inside « ».
    Fr,
    /// Leave spacing as typed.
    None,
}

impl Typography {
    /// The typography a language gets unless the config says otherwise: French for `fr`.
    pub fn default_for(lang: &str) -> Self {
        if lang.starts_with("fr") {
            Typography::Fr
        } else {
            Typography::None
        }
    }

    /// Whether a language writes « » quotation marks (French), whatever its
    /// `typography`: that setting decides the spacing only.
    pub fn french_quotes(lang: &str) -> bool {
        lang.starts_with("fr")
    }
}

/// The `theme:` section: which theme, and values for its variables.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ThemeConfig {
    /// Theme name (`default`, `corporate`, or a folder in the site's `themes/`).
    pub name: String,
    /// Values for the theme's variables (colours, logo, programme name…), by name.
    pub vars: BTreeMap<String, serde_yaml::Value>,
}

/// Typed contents of `mentorbook.yaml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: Option<String>,
    description: Option<String>,
    lang: Option<String>,
    base_url: Option<String>,
    #[serde(default)]
    paper: Paper,
    typography: Option<Typography>,
    #[serde(default)]
    safe_html: bool,
    #[serde(default)]
    allow_outside_links: bool,
    theme: Option<serde_yaml::Mapping>,
    #[serde(default = "yes")]
    search: bool,
    #[serde(default = "yes")]
    print: bool,
    #[serde(default)]
    i18n: BTreeMap<String, serde_yaml::Value>,
    #[serde(default)]
    languages: serde_yaml::Mapping,
    #[serde(default)]
    extra_css: OneOrMany,
    #[serde(default)]
    extra_js: OneOrMany,
    #[serde(default)]
    programme: Option<serde_yaml::Value>,
    content: Option<String>,
    #[serde(rename = "static", default, deserialize_with = "one_or_many")]
    static_dirs: Option<Vec<String>>,
    output: Option<String>,
    #[serde(default, deserialize_with = "one_or_many")]
    exclude: Option<Vec<String>>,
    toc: Option<String>,
    #[serde(default)]
    links: LinkSeverity,
    link_prefix: Option<String>,
    imported_from: Option<String>,
    #[serde(default)]
    single_file: bool,
    #[serde(default)]
    scorm: ScormConfig,
}

/// A list, or a single value standing for a list of one.
fn one_or_many<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Vec<String>>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Either {
        One(String),
        Many(Vec<String>),
    }
    Ok(Option::<Either>::deserialize(d)?.map(|e| match e {
        Either::One(s) => vec![s],
        Either::Many(v) => v,
    }))
}

/// When a SCORM package tells the learning platform the handbook is done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ScormCompletion {
    /// When the reader reaches the last page of the SCO.
    #[default]
    LastPage,
    /// As soon as the SCO is opened.
    Open,
}

/// What a SCORM package's SCOs are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ScormSco {
    /// The whole handbook is one SCO.
    #[default]
    Handbook,
    /// Each top-level section is one SCO.
    Section,
}

/// The `scorm:` section: how `build --scorm` packages the handbook.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ScormConfig {
    /// `last_page` (default) or `open`.
    #[serde(default)]
    pub completion: ScormCompletion,
    /// `handbook` (default) or `section`.
    #[serde(default)]
    pub sco: ScormSco,
}

/// Settings of one additional language, under `languages:` in `mentorbook.yaml`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LanguageConfig {
    /// The handbook's title in that language.
    pub title: Option<String>,
    /// The handbook's description in that language.
    pub description: Option<String>,
    /// The programme name printed on worksheets in that language.
    pub programme: Option<String>,
    /// Typography for that language (default: `fr` for French, else `none`).
    pub typography: Option<Typography>,
    /// The footer's contact line in that language (the theme variable `contact`).
    pub contact: Option<String>,
    /// The footer's extra text in that language (the theme variable `footer`).
    pub footer: Option<String>,
    /// UI string overrides for that language.
    #[serde(default)]
    pub i18n: BTreeMap<String, serde_yaml::Value>,
}

/// A file name or a list of them (`extra_css: custom.css` or `[a.css, b.css]`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    #[default]
    None,
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::None => Vec::new(),
            OneOrMany::One(s) => vec![s],
            OneOrMany::Many(v) => v,
        }
    }
}

/// The theme's text variables a language may give in its own words
/// (`languages.<code>.contact`, `languages.<code>.footer`).
pub const LANGUAGE_TEXTS: [&str; 2] = ["contact", "footer"];

fn yes() -> bool {
    true
}

const KNOWN_KEYS: &[&str] = &[
    "title",
    "description",
    "lang",
    "base_url",
    "paper",
    "typography",
    "safe_html",
    "allow_outside_links",
    "theme",
    "search",
    "print",
    "i18n",
    "languages",
    "programme",
    "single_file",
    "scorm",
    "extra_css",
    "extra_js",
    "content",
    "static",
    "output",
    "exclude",
    "toc",
    "links",
    "link_prefix",
    "imported_from",
];

/// The tools `imported_from:` names (what `mentorbook import` detects).
pub const DIALECTS: &[&str] = &[
    "docusaurus",
    "jekyll",
    "gitbook",
    "mdbook",
    "mkdocs",
    "hugo",
    "zola",
    "jupyter-book",
    "obsidian",
    "markdown",
];

/// Finds the site root: `start` or its nearest ancestor holding `mentorbook.yaml`
/// (canonical). The file is not read, so a broken configuration is still found.
pub fn find_root(start: &Path) -> Result<PathBuf> {
    let start = start
        .canonicalize()
        .map_err(|e| Error::io("cannot open folder", start, e))?;
    let mut dir: Option<&Path> = Some(&start);
    while let Some(d) = dir {
        if d.join(CONFIG_FILE).is_file() {
            return Ok(d.to_path_buf());
        }
        dir = d.parent();
    }
    Err(Error::Config(vec![
        Diagnostic::error(
            start.display().to_string(),
            0,
            0,
            format!("no `{CONFIG_FILE}` found here or in any parent folder"),
        )
        .with_help("run `mentorbook init` to create a handbook, or pass `--root DIR`"),
    ]))
}

/// The site configuration, with defaults applied.
#[derive(Debug, Clone)]
pub struct Config {
    /// The site root: the folder holding `mentorbook.yaml`.
    pub root: PathBuf,
    /// Handbook title.
    pub title: String,
    /// One-sentence description (used in `<meta>` and on the home page).
    pub description: Option<String>,
    /// Default language of the content (`fr`, `en`, …).
    pub lang: String,
    /// Public URL of the site, for `sitemap.xml`; links stay relative.
    pub base_url: Option<String>,
    /// Paper size for print pages.
    pub paper: Paper,
    /// Typographic rules for text.
    pub typography: Typography,
    /// Escape raw HTML in Markdown instead of passing it through.
    pub safe_html: bool,
    /// Theme name and variable values.
    pub theme: ThemeConfig,
    /// Build the search index.
    pub search: bool,
    /// Build the print pages (`print.html`, per-section and worksheet prints).
    pub print: bool,
    /// Overrides of the theme's UI strings, by key (a text, a list, or plural forms).
    pub i18n: BTreeMap<String, serde_yaml::Value>,
    /// Text theme variables (`contact`, `footer`) in this language's own words,
    /// over the theme's values; empty for the default language.
    pub theme_texts: BTreeMap<String, String>,
    /// Stylesheets of the site's `static/` linked after the theme's (`extra_css`).
    pub extra_css: Vec<String>,
    /// Scripts of the site's `static/` loaded after the theme's (`extra_js`).
    pub extra_js: Vec<String>,
    /// Other languages of the handbook (`lang` is the default), in order.
    pub languages: Vec<(String, LanguageConfig)>,
    /// The mentoring programme (sessions, rhythm, phases), when configured.
    pub programme: Option<programme::Programme>,
    /// Also write one self-contained `handbook.html` per language.
    pub single_file: bool,
    /// How `build --scorm` packages the handbook.
    pub scorm: ScormConfig,
    /// Line of every key in the file, for later diagnostics (theme variables).
    pub key_lines: KeyLines,
    /// Warnings about the file (reported by every command that builds).
    pub warnings: Vec<Diagnostic>,
    /// Which files of the handbook may be read (`allow_outside_links` included).
    pub confine: Confinement,
    /// Where the content, static and output folders are.
    pub sources: Sources,
    /// Whether a broken link stops the build (`links: error`, the default) or is a warning.
    pub links: LinkSeverity,
    /// The part of site-root links (`/docs/guide/x`) that stands for the handbook's
    /// root on the old site (Docusaurus' `routeBasePath`, Jekyll's `baseurl`), without slashes.
    pub link_prefix: Option<String>,
    /// The tool the handbook was imported from (`imported_from:`), when it was.
    pub imported_from: Option<String>,
}

impl Config {
    /// Finds `mentorbook.yaml` in `start` or its nearest ancestor and loads it.
    pub fn discover(start: &Path) -> Result<Self> {
        Self::load(&find_root(start)?)
    }

    /// Loads `root/mentorbook.yaml`.
    pub fn load(root: &Path) -> Result<Self> {
        let (config, errors) = Self::load_lenient(root)?;
        if errors.is_empty() {
            Ok(config)
        } else {
            Err(Error::Config(errors))
        }
    }

    /// Loads `root/mentorbook.yaml` as far as it can be read: the configuration,
    /// with the default of every key whose value is wrong, and the errors. An
    /// error only for a file that cannot be read, or is no YAML at all. `check`
    /// and `build` go on with it to report the content's errors too.
    pub fn load_lenient(root: &Path) -> Result<(Self, Vec<Diagnostic>)> {
        let path = root.join(CONFIG_FILE);
        let cannot_read = |why: String| {
            Error::Config(vec![
                Diagnostic::error(
                    format!("{}/{CONFIG_FILE}", root.display()),
                    0,
                    0,
                    format!("cannot read `{CONFIG_FILE}`: {why}"),
                )
                .with_help("run `mentorbook init` to create a handbook, or pass `--root DIR`"),
            ])
        };
        // The file itself obeys the confinement rule: a link may not lead
        // outside the handbook (the opt-in is inside the file, so it cannot apply).
        let rule = Confinement::new(root, false);
        if std::fs::symlink_metadata(&path).is_ok()
            && let Err(r) = rule.check(&path)
        {
            return Err(Error::Config(vec![r.diagnostic(CONFIG_FILE, &rule)]));
        }
        let bytes = std::fs::read(&path).map_err(|e| cannot_read(e.to_string()))?;
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
        let text = std::str::from_utf8(bytes).map_err(|e| {
            let good = &bytes[..e.valid_up_to()];
            let line = good.iter().filter(|&&b| b == b'\n').count() + 1;
            let start = good.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
            let col = String::from_utf8_lossy(&good[start..]).chars().count() + 1;
            Error::Config(vec![
                Diagnostic::error(CONFIG_FILE, line, col, "this file is not valid UTF-8")
                    .with_help("save `mentorbook.yaml` with the UTF-8 encoding in your editor"),
            ])
        })?;
        let text = if text.contains('\r') {
            std::borrow::Cow::Owned(text.replace("\r\n", "\n"))
        } else {
            std::borrow::Cow::Borrowed(text)
        };
        Self::parse_lenient(root, &text)
    }

    /// Parses the text of a configuration file whose site root is `root`.
    pub fn parse(root: &Path, text: &str) -> Result<Self> {
        let (config, errors) = Self::parse_lenient(root, text)?;
        if errors.is_empty() {
            Ok(config)
        } else {
            Err(Error::Config(errors))
        }
    }

    /// [`Config::parse`], giving the configuration as far as it can be read
    /// and its errors (see [`Config::load_lenient`]).
    pub fn parse_lenient(root: &Path, text: &str) -> Result<(Self, Vec<Diagnostic>)> {
        crate::yaml::bounded(
            CONFIG_FILE,
            text,
            1,
            crate::yaml::MAX_DOCUMENT,
            "the configuration",
        )
        .map_err(|d| Error::Config(vec![d]))?;
        let key_lines = KeyLines::scan(text, 1);
        let mut diags = Vec::new();
        let mut warnings = Vec::new();
        for (key, line, col) in key_lines.top_level() {
            if !KNOWN_KEYS.contains(&key) {
                let mut d =
                    Diagnostic::error(CONFIG_FILE, line, col, format!("unknown key `{key}`"));
                d = match did_you_mean(key, KNOWN_KEYS) {
                    Some(s) => d.with_help(format!("did you mean `{s}`?")),
                    None => d.with_help(format!("valid keys: {}", KNOWN_KEYS.join(", "))),
                };
                diags.push(d);
            }
        }
        let raw = raw_config(text, &key_lines, &mut diags)?;

        let lang = match raw.lang.as_deref().map(normalise_language) {
            None => "fr".to_string(),
            Some(Ok(code)) => code,
            Some(Err(written)) => {
                let (line, col) = key_lines.get("lang").unwrap_or((1, 1));
                let help = match language_named(&written) {
                    Some(code) => format!("write `lang: {code}`"),
                    None => "for example `lang: fr` or `lang: en`".to_string(),
                };
                diags.push(
                    Diagnostic::error(
                        CONFIG_FILE,
                        line,
                        col,
                        format!(
                            "`lang: {written}`: a language is written as a code such as `fr`, `en` or `pt-BR`"
                        ),
                    )
                    .with_help(help),
                );
                "fr".to_string()
            }
        };
        let typography = raw.typography.unwrap_or(Typography::default_for(&lang));
        let mut theme = ThemeConfig {
            name: "default".into(),
            vars: BTreeMap::new(),
        };
        for (k, v) in raw.theme.unwrap_or_default() {
            let Some(k) = k.as_str().map(str::to_string) else {
                let (line, col) = key_lines.get("theme").unwrap_or((1, 1));
                diags.push(Diagnostic::error(
                    CONFIG_FILE,
                    line,
                    col,
                    "theme variable names must be text",
                ));
                continue;
            };
            if k == "name" {
                match v.as_str() {
                    Some(n) => theme.name = n.to_string(),
                    None => {
                        let (line, col) = key_lines.get("theme.name").unwrap_or((1, 1));
                        diags.push(Diagnostic::error(
                            CONFIG_FILE,
                            line,
                            col,
                            "`theme.name` must be text",
                        ));
                    }
                }
            } else {
                theme.vars.insert(k, v);
            }
        }
        if let Some(url) = &raw.base_url
            && !(url.starts_with("http://") || url.starts_with("https://"))
        {
            let (line, col) = key_lines.get("base_url").unwrap_or((1, 1));
            diags.push(
                Diagnostic::error(
                    CONFIG_FILE,
                    line,
                    col,
                    format!("`base_url` must be an absolute URL, got `{url}`"),
                )
                .with_help("for example `base_url: https://intranet.example.org/mentorat/`"),
            );
        }
        let mut languages = Vec::new();
        for (k, v) in &raw.languages {
            let (line, col) = k
                .as_str()
                .and_then(|k| key_lines.get(&format!("languages.{k}")))
                .or_else(|| key_lines.get("languages"))
                .unwrap_or((1, 1));
            let normalised = k.as_str().and_then(|c| normalise_language(c).ok());
            let Some(code) = normalised.as_deref() else {
                diags.push(
                    Diagnostic::error(
                        CONFIG_FILE,
                        line,
                        col,
                        "a language is written as a code such as `en` or `pt-BR`",
                    )
                    .with_help("languages:\n    en:\n      title: Mentoring handbook"),
                );
                continue;
            };
            if code == lang || languages.iter().any(|(c, _)| c == code) {
                diags.push(Diagnostic::error(
                    CONFIG_FILE,
                    line,
                    col,
                    format!("`{code}` is listed twice (the default language is `lang: {lang}`)"),
                ));
                continue;
            }
            let settings = if v.is_null() {
                Ok(LanguageConfig::default())
            } else {
                serde_yaml::from_value::<LanguageConfig>(v.clone())
            };
            match settings {
                Ok(s) => languages.push((code.to_string(), s)),
                Err(e) => diags.push(
                    Diagnostic::error(CONFIG_FILE, line, col, format!("`languages.{code}`: {e}"))
                        .with_help("each language takes `title`, `description`, `programme`, `contact`, `footer`, `typography` and `i18n`"),
                ),
            }
        }
        let sources = sources::resolve(
            root,
            sources::RawSources {
                content: raw.content.clone(),
                statics: raw.static_dirs.clone(),
                output: raw.output.clone(),
                exclude: raw.exclude.clone().unwrap_or_default(),
                toc: raw.toc.clone(),
            },
            &key_lines,
            &mut diags,
        );
        if let Some(tool) = &raw.imported_from
            && !DIALECTS.contains(&tool.as_str())
        {
            let (line, col) = key_lines.get("imported_from").unwrap_or((1, 1));
            diags.push(
                Diagnostic::error(
                    CONFIG_FILE,
                    line,
                    col,
                    format!("unknown tool `{tool}` in `imported_from`"),
                )
                .with_help(format!("one of: {}", DIALECTS.join(", "))),
            );
        }
        let link_prefix = raw
            .link_prefix
            .as_deref()
            .map(|p| p.trim().trim_matches('/').to_string())
            .filter(|p| !p.is_empty());
        let programme = match &raw.programme {
            Some(v) => match programme::Programme::parse(v, &key_lines) {
                Ok(p) => Some(p),
                Err(d) => {
                    diags.extend(d);
                    None
                }
            },
            None => None,
        };
        if let Some(p) = &programme
            && diags.is_empty()
        {
            let codes: Vec<String> = std::iter::once(lang.clone())
                .chain(languages.iter().map(|(c, _)| c.clone()))
                .collect();
            warnings.extend(p.check_languages(&codes, &key_lines));
        }
        diags.extend(warnings.iter().filter(|d| d.is_error()).cloned());
        warnings.retain(|d| !d.is_error());
        let config = Self {
            warnings,
            programme,
            root: root.to_path_buf(),
            title: raw.title.unwrap_or_else(|| "Handbook".into()),
            description: raw.description,
            lang,
            base_url: raw
                .base_url
                .map(|u| u.trim_end_matches('/').to_string() + "/"),
            paper: raw.paper,
            typography,
            safe_html: raw.safe_html,
            single_file: raw.single_file,
            scorm: raw.scorm,
            theme,
            search: raw.search,
            print: raw.print,
            i18n: raw.i18n,
            theme_texts: BTreeMap::new(),
            extra_css: raw.extra_css.into_vec(),
            extra_js: raw.extra_js.into_vec(),
            languages,
            key_lines,
            // The configured output folder (`output:`) is never read either.
            confine: match &sources.output {
                Some(out) => {
                    Confinement::new(root, raw.allow_outside_links).with_output(&root.join(out))
                }
                None => Confinement::new(root, raw.allow_outside_links),
            },
            sources,
            links: raw.links,
            link_prefix,
            imported_from: raw.imported_from,
        };
        Ok((config, diags))
    }

    /// Whether the handbook has more than one language.
    pub fn is_multilingual(&self) -> bool {
        !self.languages.is_empty()
    }

    /// Every language code, the default first.
    pub fn language_codes(&self) -> Vec<String> {
        std::iter::once(self.lang.clone())
            .chain(self.languages.iter().map(|(c, _)| c.clone()))
            .collect()
    }

    /// The configuration as seen by the pages of language `code`: its title,
    /// description, typography and UI strings (the programme name is the site
    /// plan's: [`Config::programme_name`]).
    pub fn for_language(&self, code: &str) -> Config {
        let mut c = self.clone();
        if code == self.lang {
            return c;
        }
        let settings = self
            .languages
            .iter()
            .find(|(k, _)| k == code)
            .map(|(_, s)| s.clone())
            .unwrap_or_default();
        c.lang = code.to_string();
        c.title = settings.title.unwrap_or(c.title);
        c.description = settings.description.or(c.description);
        c.typography = settings.typography.unwrap_or(Typography::default_for(code));
        c.i18n = settings.i18n;
        for (key, value) in LANGUAGE_TEXTS
            .iter()
            .zip([settings.contact, settings.footer])
        {
            if let Some(v) = value {
                c.theme_texts.insert((*key).to_string(), v);
            }
        }
        c
    }

    /// The programme's name in language `code`, from its one source: that
    /// language's `languages.<code>.programme`, else `programme.name`, else the
    /// theme variable `programme`, else the handbook title in that language.
    pub fn programme_name(&self, code: &str) -> String {
        let own = self
            .languages
            .iter()
            .find(|(c, _)| c == code)
            .and_then(|(_, l)| l.programme.clone());
        let title = || {
            self.languages
                .iter()
                .find(|(c, _)| c == code)
                .and_then(|(_, l)| l.title.clone())
                .unwrap_or_else(|| self.title.clone())
        };
        own.or_else(|| {
            self.programme
                .as_ref()
                .and_then(|p| p.name.as_ref())
                .map(|n| n.get(code, &self.lang).to_string())
        })
        .or_else(|| {
            self.theme
                .vars
                .get("programme")
                .and_then(|v| v.as_str())
                .filter(|s| !s.trim().is_empty())
                .map(str::to_string)
        })
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(title)
    }

    /// Whether a line `![[Note]]` shows the note's text (a handbook imported
    /// from Obsidian, see [`crate::content::embed`]) rather than a link to it.
    pub fn embeds_notes(&self) -> bool {
        self.imported_from.as_deref() == Some("obsidian")
    }

    /// The folder holding the Markdown content (`content/`, or `content:`).
    pub fn content_dir(&self) -> PathBuf {
        self.sources.content.clone()
    }

    /// The path diagnostics give a file of the content folder (`content/a.md`,
    /// `docs/a.md`, or `a.md` when the content folder is the root).
    pub fn source_path(&self, rel: &str) -> String {
        format!("{}{rel}", self.sources.prefix())
    }

    /// The default output folder (`public/`, or `output:`).
    pub fn default_output(&self) -> PathBuf {
        self.root
            .join(self.sources.output.as_deref().unwrap_or("public"))
    }
}

/// The typed configuration of `text`, reporting every key whose value does not
/// fit to `diags` (one error each, at its own line) and reading the others: a
/// wrong value never hides the mistakes after it. Unknown keys (reported by the
/// caller) are left out. Only a text that is not YAML at all stops here.
fn raw_config(text: &str, key_lines: &KeyLines, diags: &mut Vec<Diagnostic>) -> Result<RawConfig> {
    let help = |d: Diagnostic| {
        if d.help.is_none() {
            d.with_help("the keys of `mentorbook.yaml` and their values are listed in the README")
        } else {
            d
        }
    };
    let value: serde_yaml::Value = if text.trim().is_empty() {
        serde_yaml::Value::Mapping(serde_yaml::Mapping::new())
    } else {
        serde_yaml::from_str(text)
            .map_err(|e| Error::Config(vec![help(error_to_diagnostic(CONFIG_FILE, &e, 1, text))]))?
    };
    let serde_yaml::Value::Mapping(mut map) = value else {
        // Not a mapping: the typed reading says what is wrong, where.
        return serde_yaml::from_str::<RawConfig>(text)
            .map_err(|e| Error::Config(vec![help(error_to_diagnostic(CONFIG_FILE, &e, 1, text))]));
    };
    let keys = map.len();
    map.retain(|k, _| k.as_str().is_some_and(|k| KNOWN_KEYS.contains(&k)));
    // Without unknown keys the text reads as it is, or its first error has
    // its exact place; with some, each key is read on its own.
    let first = if map.len() == keys {
        match serde_yaml::from_str::<RawConfig>(text) {
            Ok(raw) => return Ok(raw),
            Err(e) => Some(e),
        }
    } else {
        None
    };
    // The first error has its exact place in the text; the other keys that do
    // not fit are found one by one and reported at their key.
    let first_line = first
        .as_ref()
        .and_then(serde_yaml::Error::location)
        .map(|l| l.line());
    let tops: Vec<(String, usize)> = key_lines
        .top_level()
        .map(|(k, line, _)| (k.to_string(), line))
        .collect();
    let owner = first_line.and_then(|l| {
        tops.iter()
            .filter(|(_, kl)| *kl <= l)
            .max_by_key(|(_, kl)| *kl)
            .map(|(k, _)| k.clone())
    });
    let mut bad = Vec::new();
    for (k, v) in &map {
        let Some(key) = k.as_str() else { continue };
        let mut one = serde_yaml::Mapping::new();
        one.insert(k.clone(), v.clone());
        if let Err(e) = serde_yaml::from_value::<RawConfig>(serde_yaml::Value::Mapping(one)) {
            let d = match &first {
                Some(f) if owner.as_deref() == Some(key) => {
                    error_to_diagnostic(CONFIG_FILE, f, 1, text)
                }
                _ => {
                    let (line, col) = key_lines.get(key).unwrap_or((1, 1));
                    // At the value when it is on the key's line (`paper: a5`).
                    let col = text
                        .lines()
                        .nth(line.saturating_sub(1))
                        .and_then(|l| {
                            let after = l.get(col.saturating_sub(1) + key.len()..)?;
                            let rest = after.strip_prefix(':')?;
                            let value = rest.trim_start();
                            (!value.is_empty() && !value.starts_with('#'))
                                .then(|| l.len() - value.len() + 1)
                        })
                        .unwrap_or(col);
                    Diagnostic::error(
                        CONFIG_FILE,
                        line,
                        col,
                        format!("`{key}`: {}", crate::yaml::plain_words(&e.to_string())),
                    )
                }
            };
            diags.push(help(d));
            bad.push(k.clone());
        }
    }
    if bad.is_empty()
        && let Some(e) = first
    {
        // An error no single key shows (several keys together): as it is.
        diags.push(help(error_to_diagnostic(CONFIG_FILE, &e, 1, text)));
    }
    for k in &bad {
        map.remove(k);
    }
    serde_yaml::from_value::<RawConfig>(serde_yaml::Value::Mapping(map)).map_err(|e| {
        Error::Config(vec![help(Diagnostic::error(
            CONFIG_FILE,
            1,
            1,
            e.to_string(),
        ))])
    })
}

/// A language code as written, with its language part in lower case as codes
/// are usually written (`FR` is `fr`, `EN-GB` is `en-GB`: codes do not depend on
/// case) and a locale's `_` as the `-` of a language tag (`fr_FR` is `fr-FR`, the
/// form `<html lang>` and `hreflang` need; a file `a.fr_FR.md` is still that
/// language's); the text as it is when it is not a code.
pub fn normalise_language(written: &str) -> std::result::Result<String, String> {
    let c = written.trim();
    let split = c.find(['-', '_']).unwrap_or(c.len());
    let code = format!(
        "{}{}",
        c[..split].to_ascii_lowercase(),
        c[split..].replace('_', "-")
    );
    if is_language_code(&code) {
        Ok(code)
    } else {
        Err(c.to_string())
    }
}

/// The code of a language written by its name (`français`, `English`), for help.
fn language_named(name: &str) -> Option<&'static str> {
    let n = name.trim().to_lowercase();
    [
        ("fr", &["français", "francais", "french", "française"][..]),
        ("en", &["english", "anglais"][..]),
        ("de", &["deutsch", "german", "allemand"][..]),
        ("es", &["español", "espanol", "spanish", "espagnol"][..]),
        ("it", &["italiano", "italian", "italien"][..]),
        (
            "pt",
            &["português", "portugues", "portuguese", "portugais"][..],
        ),
        ("nl", &["nederlands", "dutch", "néerlandais"][..]),
    ]
    .iter()
    .find(|(_, names)| names.contains(&n.as_str()))
    .map(|(code, _)| *code)
}

fn is_language_code(c: &str) -> bool {
    let mut parts = c.split(['-', '_']);
    parts
        .next()
        .is_some_and(|p| (2..=3).contains(&p.len()) && p.chars().all(|ch| ch.is_ascii_lowercase()))
        && parts
            .all(|p| (2..=8).contains(&p.len()) && p.chars().all(|ch| ch.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_codes_do_not_depend_on_case() {
        let c = Config::parse(
            Path::new("."),
            "title: A\nlang: FR\nlanguages:\n  EN-GB: {}\n",
        )
        .expect("FR and EN-GB are codes");
        assert_eq!(c.lang, "fr");
        assert_eq!(c.language_codes(), ["fr", "en-GB"]);
        assert_eq!(normalise_language("pt_BR"), Ok("pt-BR".to_string()));
        assert_eq!(normalise_language("français"), Err("français".to_string()));
        assert_eq!(language_named("Français"), Some("fr"));
    }

    #[test]
    fn unknown_key_gets_line_and_suggestion() {
        let err = Config::parse(Path::new("."), "title: A\ntitel: B\n").unwrap_err();
        let d = &err.diagnostics()[0];
        assert_eq!((d.line(), d.col()), (2, 1));
        assert_eq!(d.help.as_deref(), Some("did you mean `title`?"));
    }

    #[test]
    fn theme_section_splits_name_and_vars() {
        let c = Config::parse(
            Path::new("."),
            "theme:\n  name: corporate\n  primary: '#0b5'\n",
        )
        .unwrap();
        assert_eq!(c.theme.name, "corporate");
        assert!(c.theme.vars.contains_key("primary"));
        assert_eq!(c.typography, Typography::Fr);
    }

    #[test]
    fn languages_inherit_and_override() {
        let c = Config::parse(
            Path::new("."),
            "title: Guide\nlang: fr\nlanguages:\n  en:\n    title: Handbook\n    programme: Springboard\n",
        )
        .unwrap();
        assert_eq!(c.language_codes(), ["fr", "en"]);
        let en = c.for_language("en");
        assert_eq!(
            (en.title.as_str(), en.typography),
            ("Handbook", Typography::None)
        );
        assert_eq!(c.programme_name("en"), "Springboard");
        assert_eq!(c.programme_name("fr"), "Guide");
        let err = Config::parse(
            Path::new("."),
            "lang: fr\nlanguages:\n  fr: {}\n  English: {}\n",
        )
        .unwrap_err();
        assert_eq!(err.diagnostics().len(), 2);
        assert_eq!(err.diagnostics()[0].line(), 3);
    }

    #[test]
    fn bad_paper_is_located() {
        let err = Config::parse(Path::new("."), "title: A\npaper: a5\n").unwrap_err();
        assert_eq!(err.diagnostics()[0].line(), 2);
        assert_eq!(err.exit_code(), 2);
    }
}

//! Front matter: the YAML block between `---` lines at the top of a page (or,
//! as Hugo writes it, TOML between `+++` lines).
//!
//! Steps: [`split`] finds the block and remembers the file line where it starts;
//! [`parse`] deserialises it into [`FrontMatter`], shifting error lines to file
//! lines, and warns about unknown keys with a "did you mean".

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize};

use crate::diagnostic::{Diagnostic, did_you_mean};
use crate::yaml::{KeyLines, error_to_diagnostic};

/// What kind of page this is; it decides the template and the checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PageKind {
    /// An ordinary handbook page.
    #[default]
    Page,
    /// A printable session worksheet.
    Worksheet,
}

/// Who a page or block is written for. Written `mentor`, `mentee`, `lead` or
/// `all`; plurals and the French words are read too (`mentors`, `mentorée`,
/// `responsables`), the same in `audience:` and in `only` blocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Audience {
    /// Mentors.
    Mentor,
    /// Mentees.
    Mentee,
    /// Programme leads (HR, coordinators).
    Lead,
    /// Everyone.
    All,
}

impl Audience {
    /// The audience a word names (`mentors`, `Mentorée`…), `all` included.
    pub fn from_word(word: &str) -> Option<Self> {
        let w = crate::text::fold(word.trim()).to_lowercase();
        match w.as_str() {
            "mentor" | "mentors" => Some(Audience::Mentor),
            "mentee" | "mentees" | "mentore" | "mentores" | "mentoree" | "mentorees" => {
                Some(Audience::Mentee)
            }
            "lead" | "leads" | "responsable" | "responsables" => Some(Audience::Lead),
            "all" | "tous" => Some(Audience::All),
            _ => None,
        }
    }

    /// The audience's name (`mentor`, `mentee`, `lead`, `all`), for templates and CSS.
    pub fn name(self) -> &'static str {
        match self {
            Audience::Mentor => "mentor",
            Audience::Mentee => "mentee",
            Audience::Lead => "lead",
            Audience::All => "all",
        }
    }
}

impl<'de> Deserialize<'de> for Audience {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let word = String::deserialize(d)?;
        Audience::from_word(&word).ok_or_else(|| {
            serde::de::Error::unknown_variant(&word, &["mentor", "mentee", "lead", "all"])
        })
    }
}

/// The typed front matter of a page. Every field is optional.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(default)]
pub struct FrontMatter {
    /// Page title; else the first `# ` heading; else the file name.
    pub title: Option<String>,
    /// One-sentence summary, shown in lists and `<meta name="description">`.
    pub description: Option<String>,
    /// Order among siblings (lower first).
    pub weight: Option<i64>,
    /// Drafts are left out of the build unless `--drafts` is given.
    pub draft: bool,
    /// `page` or `worksheet`.
    pub kind: PageKind,
    /// Session number, for session worksheets.
    pub session: Option<u32>,
    /// Duration, as written (`1 h 30`, `90 min`).
    #[serde(deserialize_with = "string_or_number")]
    pub duration: Option<String>,
    /// Who the page is for.
    pub audience: Option<Audience>,
    /// Learning or session objectives.
    pub objectives: Vec<String>,
    /// Language of the page, when it differs from the site's.
    pub lang: Option<String>,
    /// Replaces the file name in the output path.
    pub slug: Option<String>,
    /// For a worksheet: how many sheets (printed pages) it must fit on; `pdf` and
    /// `check --layout` warn when it takes more.
    pub sheets: Option<u32>,
    /// File line of `sheets:`, for messages (0 when absent).
    #[serde(skip)]
    pub sheets_line: usize,
    /// The line of `session:` (0 when there is none), for messages.
    #[serde(skip)]
    pub session_line: usize,
    /// The line and column of `slug:` (0 when there is none), for messages.
    #[serde(skip)]
    pub slug_at: (usize, usize),
    /// The line of `title:` (0 when there is none), for messages.
    #[serde(skip)]
    pub title_line: usize,
    /// A shorter title for the navigation (Docusaurus' `sidebar_label`).
    pub nav_title: Option<String>,
    /// The steps of the session, with their timings (`10 min — Accueil`), for
    /// the session's kit.
    pub agenda: Vec<AgendaItem>,
    /// Free values for themes.
    pub extra: BTreeMap<String, serde_yaml::Value>,
    /// Where the front matter of another tool puts the page (never read from a key of its own).
    #[serde(skip)]
    pub placement: Placement,
    /// Other names of the page that wikilinks may use (Obsidian's `aliases:`;
    /// Hugo's and Zola's, which are old URLs, are left out).
    #[serde(skip)]
    pub aliases: Vec<String>,
}

/// One step of a session's `agenda:`: `10 min — Accueil` (a duration, then the
/// step), or `{ time: 10 min, step: Accueil }`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(untagged)]
pub enum AgendaItem {
    /// A step written on one line, its duration first when it has one.
    Text(String),
    /// A step and its duration, apart.
    Step {
        /// The step's duration, as written (`10 min`, `1 h`).
        #[serde(default, deserialize_with = "string_or_number")]
        time: Option<String>,
        /// What happens.
        step: String,
    },
    /// A step written `10 min: Accueil` without quotes, which YAML reads as a
    /// map of one entry: the duration and the step.
    Timed(BTreeMap<String, String>),
}

/// A step of a session, its duration read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgendaStep {
    /// The duration as written (`10 min`), if any.
    pub time: Option<String>,
    /// The duration in minutes, when it reads as one.
    pub minutes: Option<u32>,
    /// What happens.
    pub step: String,
}

impl AgendaItem {
    /// The step with its duration read (`10 min — Accueil` → 10, `Accueil`).
    pub fn step(&self) -> AgendaStep {
        match self {
            AgendaItem::Step { time, step } => AgendaStep {
                minutes: time.as_deref().and_then(|t| {
                    minutes(t)
                        .filter(|(_, n)| *n == t.trim().len())
                        .map(|(m, _)| m)
                }),
                time: time.clone(),
                step: step.trim().to_string(),
            },
            AgendaItem::Timed(map) => {
                let mut entries = map.iter();
                match (entries.next(), entries.next()) {
                    (Some((time, step)), None)
                        if minutes(time).is_some_and(|(_, n)| n == time.trim().len()) =>
                    {
                        AgendaItem::Step {
                            time: Some(time.trim().to_string()),
                            step: step.clone(),
                        }
                        .step()
                    }
                    // Not a duration: the text as it was written, colons back.
                    _ => AgendaItem::Text(
                        map.iter()
                            .map(|(k, v)| format!("{k}: {v}"))
                            .collect::<Vec<_>>()
                            .join(" "),
                    )
                    .step(),
                }
            }
            AgendaItem::Text(text) => {
                let text = text.trim();
                match minutes(text) {
                    Some((m, n)) => {
                        let rest = text[n..].trim_start_matches(|c: char| {
                            c.is_whitespace()
                                || matches!(c, '—' | '–' | '-' | ':' | '·' | ',' | '.')
                        });
                        AgendaStep {
                            time: Some(text[..n].trim().to_string()),
                            minutes: Some(m),
                            step: rest.trim().to_string(),
                        }
                    }
                    None => AgendaStep {
                        time: None,
                        minutes: None,
                        step: text.to_string(),
                    },
                }
            }
        }
    }
}

/// A duration at the start of `s` (`10 min`, `1 h`, `1 h 30`, `1h30`, `90 minutes`):
/// its minutes and the bytes it takes.
pub fn minutes(s: &str) -> Option<(u32, usize)> {
    let b = s.as_bytes();
    let mut i = 0;
    let number = |i: &mut usize| -> Option<u32> {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() && *i - start < 4 {
            *i += 1;
        }
        s.get(start..*i)?.parse().ok()
    };
    let spaces = |i: &mut usize| {
        while *i < b.len() && b[*i] == b' ' {
            *i += 1;
        }
    };
    // A word of `words` at `i` (the longest first), whole: followed by no letter,
    // and by no digit either unless `digit_after` (`1h30`).
    let word = |i: &mut usize, words: &[&str], digit_after: bool| -> bool {
        let rest = s.get(*i..).unwrap_or("").to_lowercase();
        for w in words {
            if rest.starts_with(w)
                && !rest[w.len()..]
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_alphabetic() || (c.is_ascii_digit() && !digit_after))
            {
                *i += w.len();
                return true;
            }
        }
        false
    };
    let first = number(&mut i)?;
    spaces(&mut i);
    if word(&mut i, &["minutes", "minute", "min", "mn"], false) {
        return Some((first, i));
    }
    if word(&mut i, &["heures", "heure", "hours", "hour", "h"], true) {
        let end = i;
        let mut j = i;
        spaces(&mut j);
        if let Some(m) = number(&mut j).filter(|m| *m < 60) {
            let mut k = j;
            spaces(&mut k);
            if word(&mut k, &["minutes", "min"], false) {
                j = k;
            }
            return Some((first * 60 + m, j));
        }
        return Some((first * 60, end));
    }
    None
}

/// A front-matter value with the file line and column of its key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    /// The value, trimmed.
    pub value: String,
    /// File line of the key.
    pub line: usize,
    /// Column of the key.
    pub col: usize,
}

/// Where the front matter of another tool places a page: Jekyll's `permalink`
/// (its output path), Just the Docs' `parent` and `grand_parent` (the page it
/// sits under in the navigation), a `section` (a group of pages in the navigation).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Placement {
    /// The output path the page had on the old site (`/guide/ecoute/`).
    pub permalink: Option<Located>,
    /// The title of the page this one sits under.
    pub parent: Option<Located>,
    /// The title of the parent's parent, to tell parents of the same title apart.
    pub grand_parent: Option<String>,
    /// The name of the group of pages this one belongs to.
    pub group: Option<Located>,
    /// The position among siblings another tool gave (`sidebar_position`, `nav_order`, `order`).
    pub order: Option<f64>,
}

impl FrontMatter {
    /// The position among siblings: `weight`, else another tool's order key.
    pub fn position(&self) -> Option<f64> {
        #[allow(clippy::cast_precision_loss)]
        self.weight.map(|w| w as f64).or(self.placement.order)
    }
}

/// The keys [`FrontMatter`] understands.
pub const KNOWN_KEYS: &[&str] = &[
    "title",
    "description",
    "weight",
    "draft",
    "kind",
    "session",
    "duration",
    "audience",
    "objectives",
    "lang",
    "slug",
    "sheets",
    "agenda",
    "nav_title",
    "extra",
];

/// Keys of other handbook tools that are understood: Docusaurus `sidebar_position`,
/// `sidebar_label` and `id`; Jekyll `permalink` and `published: false` (a
/// draft), Obsidian Publish's `publish: false`, Zola's `render = false`,
/// Hugo's `build: {render: never}` and `headless: true` too; Just the Docs `nav_order`,
/// `parent`, `grand_parent`, `has_children`; `section` and `order` groups.
pub const FOREIGN_KEYS: &[&str] = &[
    "sidebar_position",
    "sidebar_label",
    "nav_order",
    "order",
    "id",
    "permalink",
    "parent",
    "grand_parent",
    "has_children",
    "section",
    "linkTitle",
    "url",
    "aliases",
    "published",
    "publish",
    "render",
    "_build",
    "build",
    "headless",
];

/// Values of the foreign keys, mapped onto ours after parsing.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Foreign {
    #[serde(deserialize_with = "number_or_text")]
    sidebar_position: Option<f64>,
    sidebar_label: Option<String>,
    #[serde(deserialize_with = "number_or_text")]
    nav_order: Option<f64>,
    #[serde(deserialize_with = "number_or_text")]
    order: Option<f64>,
    #[serde(deserialize_with = "scalar_text")]
    id: Option<String>,
    permalink: Option<String>,
    #[serde(deserialize_with = "scalar_text")]
    parent: Option<String>,
    #[serde(deserialize_with = "scalar_text")]
    grand_parent: Option<String>,
    #[serde(deserialize_with = "scalar_text")]
    section: Option<String>,
    #[serde(rename = "linkTitle")]
    link_title: Option<String>,
    url: Option<String>,
    #[serde(deserialize_with = "text_list")]
    aliases: Vec<String>,
    /// Jekyll's `published: false`: the page is not published.
    #[serde(deserialize_with = "scalar_text")]
    published: Option<String>,
    /// Obsidian Publish's `publish: false`.
    #[serde(deserialize_with = "scalar_text")]
    publish: Option<String>,
    /// Zola's `render = false`: the page is not made.
    #[serde(deserialize_with = "scalar_text")]
    render: Option<String>,
    /// Hugo's build options (`_build:` and, since Hugo 0.123, `build:`):
    /// `render: never` (or `false`) makes no page.
    #[serde(rename = "_build")]
    build_old: Option<serde_yaml::Value>,
    build: Option<serde_yaml::Value>,
    /// Hugo's `headless: true` bundle: no page either.
    #[serde(deserialize_with = "scalar_text")]
    headless: Option<String>,
}

/// A text, or a list of texts (`aliases: Mentor` or `aliases: [Mentor, Parrain]`).
fn text_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    let text = |v: &serde_yaml::Value| match v {
        serde_yaml::Value::String(s) => Some(s.trim().to_string()),
        serde_yaml::Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    Ok(match Option::<serde_yaml::Value>::deserialize(d)? {
        Some(serde_yaml::Value::Sequence(v)) => v.iter().filter_map(text).collect(),
        Some(v) => text(&v).into_iter().collect(),
        None => Vec::new(),
    }
    .into_iter()
    .filter(|s: &String| !s.is_empty())
    .collect())
}

/// A number (`2`, `2.5`), or text holding one: other tools' order keys accept both.
fn number_or_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    Ok(match Option::<serde_yaml::Value>::deserialize(d)? {
        Some(serde_yaml::Value::Number(n)) => n.as_f64(),
        Some(serde_yaml::Value::String(s)) => s.trim().parse().ok(),
        _ => None,
    })
}

/// A text, number or boolean as text (`parent: 2024` is a title too).
fn scalar_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Option::<serde_yaml::Value>::deserialize(d)? {
        Some(serde_yaml::Value::String(s)) => Some(s.trim().to_string()),
        Some(serde_yaml::Value::Number(n)) => Some(n.to_string()),
        Some(serde_yaml::Value::Bool(b)) => Some(b.to_string()),
        _ => None,
    })
    .map(|o| o.filter(|s| !s.is_empty()))
}

/// Keys of other tools that have no equivalent here, with the tool's name.
fn ignored_foreign_key(key: &str) -> Option<&'static str> {
    Some(match key {
        "sidebar_class_name"
        | "sidebar_custom_props"
        | "hide_title"
        | "hide_table_of_contents"
        | "pagination_next"
        | "pagination_prev"
        | "pagination_label"
        | "displayed_sidebar"
        | "keywords"
        | "image"
        | "custom_edit_url"
        | "toc_min_heading_level"
        | "toc_max_heading_level"
        | "last_update"
        | "unlisted" => "Docusaurus",
        "layout" | "nav_exclude" | "has_toc" | "search_exclude" | "redirect_from" => "Jekyll",
        "categories" => "Jekyll, Hugo, MkDocs Material",
        "tags" => "Jekyll, Hugo, MkDocs Material, Obsidian",
        "authors" => "Hugo, Zola",
        "cssclasses" | "cssclass" => "Obsidian",
        "date" => "Jekyll, Hugo, Zola",
        "taxonomies"
        | "template"
        | "page_template"
        | "sort_by"
        | "paginate_by"
        | "paginate_path"
        | "paginate_reversed"
        | "insert_anchor_links"
        | "in_search_index"
        | "redirect_to"
        | "transparent"
        | "updated"
        | "generate_feeds"
        | "path" => "Zola",
        "lastmod"
        | "publishDate"
        | "expiryDate"
        | "menu"
        | "type"
        | "summary"
        | "toc"
        | "author"
        | "images"
        | "series"
        | "bookCollapseSection"
        | "bookFlatSection"
        | "bookHidden"
        | "bookToc" => "Hugo",
        _ => return None,
    })
}

/// The warning about a key of another tool that mentorbook does not use. Every
/// page of an imported handbook may have it: loading keeps one per key, at its
/// first page.
pub const UNUSED_KEY: &str = "is not used by mentorbook";

fn string_or_number<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Either {
        S(String),
        N(i64),
        F(f64),
    }
    Ok(Option::<Either>::deserialize(d)?.map(|e| match e {
        Either::S(s) => s,
        Either::N(n) => format!("{n} min"),
        Either::F(f) => format!("{f} h"),
    }))
}

/// A page split into its front matter text and its body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML (or TOML) text, without the `---` lines (empty when there is no front matter).
    pub yaml: &'a str,
    /// The text is TOML (between `+++` lines, as Hugo writes it).
    pub toml: bool,
    /// File line (1-based) of the YAML text's first line.
    pub yaml_line: usize,
    /// The Markdown body.
    pub body: &'a str,
    /// File line (1-based) of the body's first line.
    pub body_line: usize,
}

/// Splits `text` (BOM removed, `\n` line ends) into front matter and body.
pub fn split<'a>(path: &str, text: &'a str) -> Result<Split<'a>, Diagnostic> {
    let (after_open, toml) = if let Some(rest) = text
        .strip_prefix("---\n")
        .or_else(|| (text.trim_end() == "---").then_some(""))
    {
        (rest, false)
    } else if let Some(rest) = text.strip_prefix("+++\n") {
        (rest, true)
    } else {
        return Ok(Split {
            yaml: "",
            toml: false,
            yaml_line: 1,
            body: text,
            body_line: 1,
        });
    };
    let mut offset = 0;
    for (i, line) in after_open.split_inclusive('\n').enumerate() {
        let trimmed = line.trim_end();
        let closes = if toml {
            trimmed == "+++"
        } else {
            trimmed == "---" || trimmed == "..."
        };
        if closes {
            let yaml = &after_open[..offset];
            let body = &after_open[offset + line.len()..];
            return Ok(Split {
                yaml,
                toml,
                yaml_line: 2,
                body,
                body_line: i + 3,
            });
        }
        offset += line.len();
    }
    let fence = if toml { "+++" } else { "---" };
    Err(
        Diagnostic::error(path, 1, 1, "the front matter is never closed").with_help(format!(
            "add a line with only `{fence}` after the front matter"
        )),
    )
}

/// The file line and column of every key of the front matter of `split`.
pub fn key_lines(split: &Split<'_>) -> KeyLines {
    if !split.toml {
        return KeyLines::scan(split.yaml, split.yaml_line);
    }
    // TOML: `key = value` lines, and `[table]` headers naming the keys after them.
    let mut keys = Vec::new();
    let mut table = String::new();
    for (i, line) in split.yaml.lines().enumerate() {
        let t = line.trim_start();
        let col = line.len() - t.len() + 1;
        if let Some(name) = t.strip_prefix('[').and_then(|r| r.split(']').next()) {
            table = name.trim_matches(['[', ']', ' ']).to_string();
            if !table.contains('.') {
                keys.push((table.clone(), split.yaml_line + i, col));
            }
            continue;
        }
        if let Some((k, _)) = t.split_once('=') {
            let k = k.trim().trim_matches(['"', '\'']);
            if !k.is_empty() && !k.starts_with('#') && !k.contains(' ') {
                let path = if table.is_empty() {
                    k.to_string()
                } else {
                    format!("{table}.{k}")
                };
                keys.push((path, split.yaml_line + i, col));
            }
        }
    }
    KeyLines::from_entries(keys)
}

/// Deserialises the front matter of `split` (YAML or TOML) into `T`.
fn from_text<T: serde::de::DeserializeOwned>(
    path: &str,
    split: &Split<'_>,
) -> Result<T, Diagnostic> {
    if !split.toml {
        return serde_yaml::from_str::<T>(split.yaml)
            .map_err(|e| error_to_diagnostic(path, &e, split.yaml_line, split.yaml));
    }
    toml::from_str::<T>(split.yaml).map_err(|e| {
        let (line, col) = e.span().map_or((split.yaml_line, 1), |r| {
            let (l, c) = crate::diagnostic::line_col(split.yaml, r.start);
            (split.yaml_line + l - 1, c)
        });
        let message = e.message().trim().to_string();
        let kind = if message.contains("invalid type")
            || message.contains("invalid value")
            || message.contains("unknown variant")
        {
            "wrong value"
        } else {
            "invalid TOML"
        };
        Diagnostic::error(path, line, col, format!("{kind}: {message}"))
    })
}

/// Parses front matter (YAML, or TOML between `+++`). Unknown keys become
/// warnings; a bad value is an error.
pub fn parse(path: &str, split: &Split<'_>, diags: &mut Vec<Diagnostic>) -> Option<FrontMatter> {
    if split.yaml.trim().is_empty() {
        return Some(FrontMatter::default());
    }
    if let Err(d) = crate::yaml::bounded(
        path,
        split.yaml,
        split.yaml_line,
        crate::yaml::MAX_DOCUMENT,
        "the front matter",
    ) {
        diags.push(d);
        return None;
    }
    let keys = key_lines(split);
    let mut foreign = false;
    // Warnings about keys wait for the parse: after a YAML error (an unclosed
    // quote…) the lines below it may be no keys at all.
    let mut key_diags = Vec::new();
    let diags_of_keys = &mut key_diags;
    for (key, line, col) in keys.top_level() {
        if key == "sort_by" && sorts_by_weight(path, split) {
            // Zola's `sort_by = "weight"` is how pages are ordered here anyway.
            continue;
        }
        if FOREIGN_KEYS.contains(&key) {
            foreign = true;
        } else if let Some(tool) = ignored_foreign_key(key) {
            diags_of_keys.push(
                Diagnostic::warning(path, line, col, format!("`{key}` ({tool}) {UNUSED_KEY}"))
                    .with_help("remove the key, or move it under `extra:` for a theme (the old tool still reads it where it is)"),
            );
        } else if !KNOWN_KEYS.contains(&key) {
            let d =
                Diagnostic::warning(path, line, col, format!("unknown front matter key `{key}`"));
            diags_of_keys.push(match did_you_mean(key, KNOWN_KEYS) {
                // Keys whose absence shows the page to more readers than meant.
                Some(s @ "audience") => d.with_help(format!(
                    "did you mean `{s}`? Until it is spelt so, the page is for everyone, in every edition"
                )),
                Some(s @ "draft") => d.with_help(format!(
                    "did you mean `{s}`? Until it is spelt so, the page is published"
                )),
                Some(s) => d.with_help(format!("did you mean `{s}`?")),
                None => d.with_help("put custom values under `extra:`, where themes can read them"),
            });
        }
    }
    let parsed = match from_text::<FrontMatter>(path, split) {
        // A wrong value: each key is read on its own, so that every wrong one is
        // reported in this run and the page, its wrong keys at their defaults, is
        // still checked (its body, its links).
        Err(d) if d.message.starts_with("wrong value") => match key_by_key(path, split, &keys) {
            Some((fm, mut wrong)) if !wrong.is_empty() => {
                diags.append(&mut wrong);
                Ok(fm)
            }
            _ => Err(d),
        },
        other => other,
    };
    match parsed {
        Ok(mut fm) => {
            diags.append(&mut key_diags);
            if let Some((line, _)) = keys.get("session") {
                fm.session_line = line;
            }
            if let Some((line, _)) = keys.get("title") {
                fm.title_line = line;
            }
            if let Some(at) = keys.get("slug") {
                fm.slug_at = at;
            }
            if let Some((line, col)) = keys.get("sheets") {
                fm.sheets_line = line;
                check_sheets(path, &mut fm, line, col, diags);
            }
            if foreign {
                match from_text::<Foreign>(path, split) {
                    Ok(f) => apply_foreign(path, &mut fm, f, &keys, diags),
                    Err(d) => diags.push(d),
                }
            }
            if let Some(t) = &fm.nav_title {
                fm.nav_title = Some(t.trim().to_string()).filter(|t| !t.is_empty());
            }
            Some(fm)
        }
        Err(mut d) => {
            if d.help.is_none() {
                let help = type_help(&d.message);
                d = d.with_help(help);
            }
            // A wrong value leaves the keys as they are; broken YAML, only
            // those above where it broke.
            let before = if d.message.starts_with("wrong value") {
                usize::MAX
            } else {
                d.line()
            };
            diags.extend(key_diags.into_iter().filter(|k| k.line() < before));
            diags.push(d);
            None
        }
    }
}

/// The front matter of `split` read one top-level key at a time: what the keys
/// whose values are right give (the others at their defaults), and an error at
/// each wrong one, in words a reader of the README knows (`None` when the text is
/// not a map of keys at all).
fn key_by_key(
    path: &str,
    split: &Split<'_>,
    keys: &KeyLines,
) -> Option<(FrontMatter, Vec<Diagnostic>)> {
    let mut wrong = Vec::new();
    let mut report = |key: &str, shown: &str, message: &str| {
        let (line, col) = keys.get(key).unwrap_or((split.yaml_line, 1));
        // At the value, after `key:` (or `key =`) and its spaces, where it is on the line.
        let col = split
            .yaml
            .lines()
            .nth(line.saturating_sub(split.yaml_line))
            .and_then(|text| {
                let after = col - 1 + key.len();
                let rest = text.get(after..)?;
                let sep = rest.trim_start().strip_prefix([':', '='])?;
                let value = sep.trim_start();
                (!value.is_empty()).then(|| text.len() - value.len() + 1)
            })
            .unwrap_or(col);
        let (message, help) = wrong_value(key, shown, message);
        wrong.push(Diagnostic::error(path, line, col, message).with_help(help));
    };
    let fm = if split.toml {
        let table: toml::Table = toml::from_str(split.yaml).ok()?;
        let mut good = toml::Table::new();
        for (k, v) in table {
            let mut one = toml::Table::new();
            one.insert(k.clone(), v.clone());
            match one.try_into::<FrontMatter>() {
                Ok(_) => {
                    good.insert(k, v);
                }
                Err(e) => {
                    let shown = v.as_str().map_or_else(|| format!("{v:?}"), str::to_string);
                    report(&k, &shown, e.message());
                }
            }
        }
        good.try_into::<FrontMatter>().ok()?
    } else {
        let serde_yaml::Value::Mapping(map) = serde_yaml::from_str(split.yaml).ok()? else {
            return None;
        };
        let mut good = serde_yaml::Mapping::new();
        for (k, v) in map {
            let mut one = serde_yaml::Mapping::new();
            one.insert(k.clone(), v.clone());
            match serde_yaml::from_value::<FrontMatter>(serde_yaml::Value::Mapping(one)) {
                Ok(_) => {
                    good.insert(k, v);
                }
                Err(e) => {
                    let shown = match &v {
                        serde_yaml::Value::String(s) => s.clone(),
                        other => serde_yaml::to_string(other)
                            .unwrap_or_default()
                            .trim()
                            .to_string(),
                    };
                    report(k.as_str().unwrap_or(""), &shown, &e.to_string());
                }
            }
        }
        serde_yaml::from_value::<FrontMatter>(serde_yaml::Value::Mapping(good)).ok()?
    };
    Some((fm, wrong))
}

/// What is wrong with `key: shown` (serde's `message`) and how to write it.
fn wrong_value(key: &str, shown: &str, message: &str) -> (String, String) {
    let shown: String = shown.chars().take(40).collect();
    let choice = |what: &str, words: &[&str]| {
        let list = words
            .iter()
            .map(|w| format!("`{w}`"))
            .collect::<Vec<_>>()
            .join(", ");
        // French words for the values, as a French author may write them.
        let french = match shown.to_lowercase().as_str() {
            "fiche" | "feuille" | "fiche-exercice" => Some("worksheet"),
            "mentore" | "mentoré" | "mentorée" | "mentoré·e" => Some("mentee"),
            "responsable" | "pilote" | "coordinateur" | "coordinatrice" => Some("lead"),
            "tous" | "tout" | "toutes" => Some("all"),
            _ => None,
        }
        .filter(|w| words.contains(w));
        let guess =
            french.or_else(|| crate::diagnostic::did_you_mean(&shown.to_lowercase(), words));
        let help = match guess {
            Some(s) => format!("did you mean `{key}: {s}`? (`{key}` is one of {list})"),
            None => format!("`{key}` is one of {list}"),
        };
        (format!("`{key}: {shown}` is not {what}"), help)
    };
    match key {
        "audience" => choice("an audience", &["mentor", "mentee", "lead", "all"]),
        "kind" => choice("a kind of page", &["page", "worksheet"]),
        "draft" => (
            format!("`draft: {shown}`: `draft` is true or false"),
            "write `draft: true` to leave the page out of the build (`false` or no key: it is in)"
                .into(),
        ),
        "session" | "sheets" => (
            format!("`{key}: {shown}`: `{key}` is a whole number from 1"),
            format!(
                "for example `{key}: {}`",
                if key == "sheets" { 1 } else { 3 }
            ),
        ),
        "weight" => (
            format!("`weight: {shown}`: `weight` is a whole number"),
            "pages are ordered by weight, smallest first: for example `weight: 2`".into(),
        ),
        "objectives" => (
            format!("`objectives` is a list, not `{shown}`"),
            "write each objective on its own line under `objectives:`, starting with `  - `".into(),
        ),
        _ => (
            format!(
                "wrong value for `{key}`: {}",
                crate::yaml::plain_words(message.lines().next().unwrap_or(message))
            ),
            type_help(message),
        ),
    }
}

/// Whether the front matter says Zola's `sort_by = "weight"` (or YAML's `sort_by: weight`).
fn sorts_by_weight(path: &str, split: &Split<'_>) -> bool {
    #[derive(Deserialize)]
    struct Sort {
        sort_by: Option<String>,
    }
    from_text::<Sort>(path, split).is_ok_and(|s| s.sort_by.as_deref() == Some("weight"))
}

/// Most sheets a worksheet may declare.
const MAX_SHEETS: u32 = 50;

/// Checks `sheets:` (at `line`, `col`): a worksheet's, between 1 and [`MAX_SHEETS`].
fn check_sheets(
    path: &str,
    fm: &mut FrontMatter,
    line: usize,
    col: usize,
    diags: &mut Vec<Diagnostic>,
) {
    let Some(n) = fm.sheets else { return };
    if !(1..=MAX_SHEETS).contains(&n) {
        diags.push(
            Diagnostic::error(path, line, col, format!("`sheets: {n}` must be between 1 and {MAX_SHEETS}"))
                .with_help("`sheets` is how many printed pages the worksheet must fit on, for example `sheets: 1`"),
        );
        fm.sheets = None;
    } else if fm.kind != PageKind::Worksheet {
        diags.push(
            Diagnostic::warning(path, line, col, "`sheets` only counts for worksheets")
                .with_help("add `kind: worksheet`, or remove `sheets:`"),
        );
        fm.sheets = None;
    }
}

/// Maps the keys of other tools onto the front matter: order keys onto `weight`
/// (rounded; ours win), `id` onto `slug`, `sidebar_label` onto `nav_title`, and
/// the placement keys onto [`Placement`].
fn apply_foreign(
    path: &str,
    fm: &mut FrontMatter,
    f: Foreign,
    keys: &KeyLines,
    diags: &mut Vec<Diagnostic>,
) {
    // Other tools' positions may be fractional (`nav_order: 2.5`); a `weight:` of ours wins.
    fm.placement.order = f
        .sidebar_position
        .or(f.nav_order)
        .or(f.order)
        .filter(|w| w.is_finite());
    fm.slug = fm.slug.take().or(f.id);
    // Jekyll's `published: false` and Obsidian Publish's `publish: false`
    // keep a page unpublished: it is a draft here.
    let unpublished = |v: &Option<String>| {
        v.as_deref()
            .is_some_and(|v| matches!(v.to_lowercase().as_str(), "false" | "no" | "non"))
    };
    // Zola's `render = false`, Hugo's `build: {render: never}` and
    // `headless: true` make no page of it: a draft too.
    let never = |b: &Option<serde_yaml::Value>| {
        b.as_ref()
            .and_then(|b| b.get("render"))
            .is_some_and(|r| match r {
                serde_yaml::Value::Bool(b) => !b,
                serde_yaml::Value::String(s) => {
                    matches!(s.to_lowercase().as_str(), "never" | "link" | "false")
                }
                _ => false,
            })
    };
    let yes = |v: &Option<String>| {
        v.as_deref()
            .is_some_and(|v| matches!(v.to_lowercase().as_str(), "true" | "yes" | "oui"))
    };
    if unpublished(&f.published)
        || unpublished(&f.publish)
        || unpublished(&f.render)
        || never(&f.build_old)
        || never(&f.build)
        || yes(&f.headless)
    {
        fm.draft = true;
    }
    fm.nav_title = fm.nav_title.take().or(f.sidebar_label).or(f.link_title);
    let located = |key: &str, value: Option<String>| {
        value.map(|value| {
            let (line, col) = keys.get(key).unwrap_or((1, 1));
            Located { value, line, col }
        })
    };
    // Hugo's `url` is its permalink.
    let (key, permalink) = match (f.permalink, f.url) {
        (Some(p), _) => ("permalink", Some(p)),
        (None, Some(u)) if !crate::urls::is_external(u.trim()) => ("url", Some(u)),
        _ => ("permalink", None),
    };
    fm.placement.permalink = located(key, permalink.map(|p| p.trim().to_string()));
    if let Some(p) = &fm.placement.permalink
        && p.value.split('/').any(|part| part.starts_with(':'))
    {
        diags.push(
            Diagnostic::warning(
                path,
                p.line,
                p.col,
                format!("`permalink: {}` uses placeholders, which mentorbook does not fill in", p.value),
            )
            .with_help("the page keeps the path of its file; write the path itself (`/guide/ecoute/`) to keep the old URL"),
        );
        fm.placement.permalink = None;
    }
    fm.placement.parent = located("parent", f.parent);
    fm.placement.grand_parent = f.grand_parent;
    fm.placement.group = located("section", f.section);
    // Obsidian's aliases are names; Hugo's and Zola's are the page's old URLs.
    let (urls, names): (Vec<String>, Vec<String>) = f.aliases.into_iter().partition(|a| {
        a.starts_with('/') || a.ends_with('/') || a.contains(".htm") || a.contains("://")
    });
    fm.aliases = names;
    if !urls.is_empty() {
        let (line, col) = keys.get("aliases").unwrap_or((1, 1));
        diags.push(
            Diagnostic::warning(
                path,
                line,
                col,
                format!("`aliases` (Hugo, Zola) {UNUSED_KEY}: `{}` is no page name", urls.join("`, `")),
            )
            .with_help("the old addresses are not redirected; remove them, or move the key under `extra:` (names without `/`, as Obsidian writes them, are names wikilinks may use)"),
        );
    }
}

fn type_help(message: &str) -> String {
    if message.contains("sheets") {
        "`sheets` is a whole number from 1, for example `sheets: 1`".into()
    } else if message.contains("session") || message.contains("u32") {
        "`session` is a whole number from 1, for example `session: 3`".into()
    } else if message.contains("weight") || message.contains("i64") {
        "`weight` is a whole number, for example `weight: 2`".into()
    } else if message.contains("AgendaItem") {
        "each step of `agenda` is `10 min — Accueil`, or `{ time: 10 min, step: Accueil }`".into()
    } else if message.contains("variant") {
        "`kind` is `page` or `worksheet`; `audience` is `mentor`, `mentee`, `lead` or `all`".into()
    } else if message.contains("invalid type: map") || message.contains("expected struct") {
        "the front matter must be a list of `key: value` lines".into()
    } else {
        "see the front matter keys in the README".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agenda_steps_read_their_durations() {
        let s = split(
            "a.md",
            "---\nagenda:\n  - 10 min — Accueil\n  - 1 h 30 : Le cœur\n  - { time: 5 min, step: Fin }\n  - Pause\n  - Le fil: nouvelles\n---\n",
        )
        .unwrap();
        let fm = parse("a.md", &s, &mut Vec::new()).unwrap();
        let steps: Vec<AgendaStep> = fm.agenda.iter().map(AgendaItem::step).collect();
        assert_eq!(steps[0].minutes, Some(10));
        assert_eq!(steps[0].step, "Accueil");
        assert_eq!(
            (steps[1].minutes, steps[1].step.as_str()),
            (Some(90), "Le cœur")
        );
        assert_eq!(steps[1].time.as_deref(), Some("1 h 30"));
        assert_eq!(steps[2].minutes, Some(5));
        assert_eq!((steps[3].minutes, steps[3].step.as_str()), (None, "Pause"));
        assert_eq!(
            (steps[4].minutes, steps[4].step.as_str()),
            (None, "Le fil: nouvelles"),
            "a map that is not a duration is the text as written"
        );
        assert_eq!(minutes("1h30 x"), Some((90, 4)));
        assert_eq!(minutes("45 minutes"), Some((45, 10)));
        assert_eq!(minutes("10 minable"), None);
        assert_eq!(minutes("Accueil"), None);
    }

    #[test]
    fn splits_and_locates_body() {
        let s = split("a.md", "---\ntitle: A\n---\n\nBody\n").unwrap();
        assert_eq!(s.yaml, "title: A\n");
        assert_eq!(s.yaml_line, 2);
        assert_eq!(s.body, "\nBody\n");
        assert_eq!(s.body_line, 4);
    }

    #[test]
    fn no_front_matter() {
        let s = split("a.md", "# T\n").unwrap();
        assert_eq!((s.yaml, s.body_line), ("", 1));
    }

    #[test]
    fn unclosed_is_an_error() {
        assert!(split("a.md", "---\ntitle: A\n\nbody").is_err());
    }

    #[test]
    fn obsidian_aliases_are_names_and_hugo_s_are_old_addresses() {
        let text = "---\naliases: [Le mentor, /ancien/mentor/, guide/mentor.html]\n---\n";
        let mut diags = Vec::new();
        let s = split("a.md", text).expect("split");
        let fm = parse("a.md", &s, &mut diags).expect("parsed");
        assert_eq!(fm.aliases, ["Le mentor"]);
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(diags[0].line(), 2);
        assert!(
            diags[0]
                .message
                .contains("`/ancien/mentor/`, `guide/mentor.html` is no page name")
        );
        let text = "---\naliases: Parrain\n---\n";
        let mut diags = Vec::new();
        let s = split("a.md", text).expect("split");
        let fm = parse("a.md", &s, &mut diags).expect("parsed");
        assert_eq!(fm.aliases, ["Parrain"]);
        assert!(diags.is_empty(), "{diags:?}");
    }

    #[test]
    fn unknown_key_warns_with_line() {
        let s = split("a.md", "---\ntitle: A\ntitel: B\n---\n").unwrap();
        let mut d = Vec::new();
        let fm = parse("a.md", &s, &mut d).unwrap();
        assert_eq!(fm.title.as_deref(), Some("A"));
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].line(), 3);
        assert!(!d[0].is_error());
    }

    #[test]
    fn a_page_another_tool_does_not_publish_is_a_draft() {
        for (fm_text, draft) in [
            ("published: false", true),
            ("publish: false", true),
            ("publish: no", true),
            ("published: true", false),
            ("publish: true", false),
            ("render: false", true),
            ("_build:\n  render: never", true),
            ("build:\n  render: false\n  list: never", true),
            ("build:\n  render: always", false),
            ("_build:\n  render: link", true),
            ("build:\n  render: Never", true),
            ("headless: yes", true),
            ("headless: true", true),
        ] {
            let text = format!("---\ntitle: A\n{fm_text}\n---\n");
            let s = split("a.md", &text).unwrap();
            let mut d = Vec::new();
            let fm = parse("a.md", &s, &mut d).unwrap();
            assert_eq!(fm.draft, draft, "{fm_text}");
            assert!(d.is_empty(), "{fm_text}: {d:?}");
        }
    }

    #[test]
    fn keys_of_other_tools_are_used() {
        let s = split(
            "a.md",
            "---\ntitle: A\nsidebar_position: 3\nid: intro\n---\n",
        )
        .unwrap();
        let mut d = Vec::new();
        let fm = parse("a.md", &s, &mut d).unwrap();
        assert_eq!(
            (fm.position(), fm.slug.as_deref()),
            (Some(3.0), Some("intro"))
        );
        assert!(d.is_empty());
        let s = split(
            "a.md",
            "---\nnav_order: 2.5\npermalink: /docs/ecoute/\nparent: Posture\nsidebar_label: Court\n---\n",
        )
        .unwrap();
        let fm = parse("a.md", &s, &mut d).unwrap();
        assert_eq!(fm.position(), Some(2.5));
        assert_eq!(
            fm.placement
                .permalink
                .as_ref()
                .map(|p| (p.value.as_str(), p.line)),
            Some(("/docs/ecoute/", 3))
        );
        assert_eq!(
            fm.placement.parent.as_ref().map(|p| p.value.as_str()),
            Some("Posture")
        );
        assert_eq!(fm.nav_title.as_deref(), Some("Court"));
        assert!(d.is_empty(), "{d:?}");
        let s = split("a.md", "---\npermalink: /:path/:basename/\n---\n").unwrap();
        let fm = parse("a.md", &s, &mut d).unwrap();
        assert!(fm.placement.permalink.is_none());
        assert_eq!(d.len(), 1, "placeholders are reported");
    }

    #[test]
    fn toml_front_matter_as_hugo_writes_it() {
        let s = split(
            "a.md",
            "+++\ntitle = \"Écoute\"\nweight = 2\nlinkTitle = \"Court\"\ndate = 2024-01-02\n[extra]\ncouleur = \"bleu\"\n+++\n\nCorps\n",
        )
        .unwrap();
        assert!(s.toml);
        assert_eq!(s.body_line, 9);
        let mut d = Vec::new();
        let fm = parse("a.md", &s, &mut d).unwrap();
        assert_eq!(fm.title.as_deref(), Some("Écoute"));
        assert_eq!(fm.weight, Some(2));
        assert_eq!(fm.nav_title.as_deref(), Some("Court"));
        assert!(fm.extra.contains_key("couleur"));
        assert_eq!(d.len(), 1, "`date` is reported: {d:?}");
        assert_eq!(d[0].line(), 5);
        let s = split("a.md", "+++\ntitle = \"A\"\nweight = \"deux\"\n+++\n").unwrap();
        let fm = parse("a.md", &s, &mut d).expect("the right keys are kept");
        assert_eq!((fm.title.as_deref(), fm.weight), (Some("A"), None));
        assert_eq!(d.last().map(Diagnostic::line), Some(3));
        assert!(d.last().is_some_and(Diagnostic::is_error));
    }

    #[test]
    fn toml_front_matter_as_zola_writes_it() {
        let s = split(
            "a.md",
            "+++\ntitle = \"Écoute\"\ndescription = \"Écouter\"\nweight = 3\ndraft = true\ndate = 2024-03-01\ntemplate = \"page.html\"\nsort_by = \"weight\"\n[taxonomies]\ntags = [\"écoute\"]\n[extra]\nduree = \"1 h\"\n+++\n",
        )
        .unwrap();
        let mut d = Vec::new();
        let fm = parse("a.md", &s, &mut d).unwrap();
        assert_eq!(fm.title.as_deref(), Some("Écoute"));
        assert_eq!(fm.description.as_deref(), Some("Écouter"));
        assert_eq!((fm.weight, fm.draft), (Some(3), true));
        assert!(fm.extra.contains_key("duree"));
        let unused: Vec<(usize, &str)> = d.iter().map(|d| (d.line(), d.message.as_str())).collect();
        assert_eq!(
            unused,
            [
                (6, "`date` (Jekyll, Hugo, Zola) is not used by mentorbook"),
                (7, "`template` (Zola) is not used by mentorbook"),
                (9, "`taxonomies` (Zola) is not used by mentorbook"),
            ]
        );
        let s = split("a.md", "+++\nsort_by = \"date\"\n+++\n").unwrap();
        let mut d = Vec::new();
        parse("a.md", &s, &mut d).unwrap();
        assert_eq!(d.len(), 1, "another order is reported: {d:?}");
    }

    #[test]
    fn sheets_are_read_with_their_line_and_checked() {
        let s = split("a.md", "---\nkind: worksheet\nsheets: 2\n---\n").unwrap();
        let mut d = Vec::new();
        let fm = parse("a.md", &s, &mut d).unwrap();
        assert_eq!((fm.sheets, fm.sheets_line), (Some(2), 3));
        assert!(d.is_empty());
        let s = split("a.md", "---\ntitle: A\nsheets: 0\nkind: worksheet\n---\n").unwrap();
        let fm = parse("a.md", &s, &mut d).unwrap();
        assert_eq!(fm.sheets, None);
        assert_eq!((d[0].line(), d[0].is_error()), (3, true), "{:?}", d[0]);
        let mut d = Vec::new();
        let s = split("a.md", "---\nsheets: 1\n---\n").unwrap();
        assert_eq!(parse("a.md", &s, &mut d).unwrap().sheets, None);
        assert_eq!((d[0].line(), d[0].is_error()), (2, false));
        let mut d = Vec::new();
        let s = split("a.md", "---\nkind: worksheet\nsheets: two\n---\n").unwrap();
        let fm = parse("a.md", &s, &mut d).expect("the right keys are kept");
        assert_eq!((fm.kind, fm.sheets), (PageKind::Worksheet, None));
        assert_eq!((d[0].line(), d[0].is_error()), (3, true));
        assert!(
            d[0].help.as_deref().unwrap_or("").contains("sheets: 1"),
            "{:?}",
            d[0]
        );
    }

    #[test]
    fn type_error_is_located_in_file() {
        let s = split("a.md", "---\ntitle: A\nsession: -1\n---\n").unwrap();
        let mut d = Vec::new();
        assert!(parse("a.md", &s, &mut d).is_some());
        assert_eq!(d[0].line(), 3, "{:?}", d[0]);
        assert!(d[0].is_error());
    }

    #[test]
    fn every_wrong_value_is_reported_in_one_run() {
        let s = split(
            "a.md",
            "---\ntitle: Séance\nweight: deux\ndraft: oui\nkind: worksheet\nsession: trois\naudience: mentorz\nobjectives: Un seul\n---\n",
        )
        .unwrap();
        let mut d = Vec::new();
        let fm = parse("a.md", &s, &mut d).expect("the right keys are kept");
        assert_eq!(fm.title.as_deref(), Some("Séance"));
        assert_eq!(fm.kind, PageKind::Worksheet);
        let lines: Vec<usize> = d
            .iter()
            .filter(|d| d.is_error())
            .map(Diagnostic::line)
            .collect();
        assert_eq!(lines, [3, 4, 6, 7, 8], "{d:?}");
        let audience = &d[3];
        assert_eq!(audience.message, "`audience: mentorz` is not an audience");
        assert!(
            audience
                .help
                .as_deref()
                .unwrap_or("")
                .starts_with("did you mean `audience: mentor`?"),
            "{audience:?}"
        );
        assert!(d[2].message.contains("whole number from 1"), "{:?}", d[2]);
    }

    #[test]
    fn audiences_are_read_as_only_blocks_read_them() {
        for (word, a) in [
            ("mentors", Audience::Mentor),
            ("Mentorée", Audience::Mentee),
            ("mentees", Audience::Mentee),
            ("responsables", Audience::Lead),
            ("all", Audience::All),
        ] {
            let text = format!("---\naudience: {word}\n---\n");
            let s = split("a.md", &text).unwrap();
            let mut d = Vec::new();
            let fm = parse("a.md", &s, &mut d).expect("parsed");
            assert_eq!((fm.audience, d.len()), (Some(a), 0), "{word}: {d:?}");
        }
        // A misspelt key that would restrict the page says what its absence does.
        let s = split("a.md", "---\naudiance: mentor\n---\n").unwrap();
        let mut d = Vec::new();
        parse("a.md", &s, &mut d).expect("parsed");
        let help = d[0].help.as_deref().unwrap_or("");
        assert!(
            help.contains("`audience`") && help.contains("every edition"),
            "{d:?}"
        );
    }
}

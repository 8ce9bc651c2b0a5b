//! Front matter: the YAML block between `---` lines at the top of a page.
//!
//! Steps: [`split`] finds the block and remembers the file line where it starts;
//! [`parse`] deserialises it into [`FrontMatter`], shifting YAML error lines to file
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

/// Who a page or block is written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
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
    /// Free values for themes.
    pub extra: BTreeMap<String, serde_yaml::Value>,
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
    "extra",
];

/// Keys of other handbook tools that are understood: Docusaurus `sidebar_position`
/// and `id`, Just the Docs `nav_order`, `order`, Jekyll `permalink`.
pub const FOREIGN_KEYS: &[&str] = &["sidebar_position", "nav_order", "order", "id", "permalink"];

/// Values of the foreign keys, mapped onto ours after parsing.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Foreign {
    sidebar_position: Option<i64>,
    nav_order: Option<i64>,
    order: Option<i64>,
    id: Option<String>,
    permalink: Option<String>,
}

/// Keys of other tools that have no equivalent here, with the tool's name.
fn ignored_foreign_key(key: &str) -> Option<&'static str> {
    Some(match key {
        "sidebar_label"
        | "sidebar_class_name"
        | "hide_title"
        | "hide_table_of_contents"
        | "pagination_next"
        | "pagination_prev"
        | "displayed_sidebar"
        | "keywords"
        | "image" => "Docusaurus",
        "layout" | "nav_exclude" | "has_children" | "parent" | "grand_parent" | "has_toc"
        | "categories" => "Jekyll",
        _ => return None,
    })
}

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
    /// The YAML text, without the `---` lines (empty when there is no front matter).
    pub yaml: &'a str,
    /// File line (1-based) of the YAML text's first line.
    pub yaml_line: usize,
    /// The Markdown body.
    pub body: &'a str,
    /// File line (1-based) of the body's first line.
    pub body_line: usize,
}

/// Splits `text` (BOM removed, `\n` line ends) into front matter and body.
pub fn split<'a>(path: &str, text: &'a str) -> Result<Split<'a>, Diagnostic> {
    let Some(after_open) = text
        .strip_prefix("---\n")
        .or_else(|| (text.trim_end() == "---").then_some(""))
    else {
        if text.starts_with("+++\n") {
            return Err(Diagnostic::error(
                path,
                1,
                1,
                "TOML front matter (`+++`) is not supported",
            )
            .with_help("write the front matter in YAML between `---` lines"));
        }
        return Ok(Split {
            yaml: "",
            yaml_line: 1,
            body: text,
            body_line: 1,
        });
    };
    let mut offset = 0;
    for (i, line) in after_open.split_inclusive('\n').enumerate() {
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed == "..." {
            let yaml = &after_open[..offset];
            let body = &after_open[offset + line.len()..];
            return Ok(Split {
                yaml,
                yaml_line: 2,
                body,
                body_line: i + 3,
            });
        }
        offset += line.len();
    }
    Err(
        Diagnostic::error(path, 1, 1, "the front matter is never closed")
            .with_help("add a line with only `---` after the front matter"),
    )
}

/// Parses front-matter YAML. Unknown keys become warnings; a bad value is an error.
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
    let keys = KeyLines::scan(split.yaml, split.yaml_line);
    let mut foreign = false;
    for (key, line, col) in keys.top_level() {
        if FOREIGN_KEYS.contains(&key) {
            foreign = true;
            if key == "permalink" {
                diags.push(
                    Diagnostic::warning(path, line, col, "`permalink` is not supported: the URL comes from the file's place in `content/`")
                        .with_help("its last part is used as the page's `slug:`; move the file to change the folder"),
                );
            }
        } else if let Some(tool) = ignored_foreign_key(key) {
            diags.push(
                Diagnostic::warning(path, line, col, format!("`{key}` ({tool}) is not used by mentorbook"))
                    .with_help("the navigation shows the page `title`; remove the key, or move it under `extra:` for a theme"),
            );
        } else if !KNOWN_KEYS.contains(&key) {
            let d =
                Diagnostic::warning(path, line, col, format!("unknown front matter key `{key}`"));
            diags.push(match did_you_mean(key, KNOWN_KEYS) {
                Some(s) => d.with_help(format!("did you mean `{s}`?")),
                None => d.with_help("put custom values under `extra:`, where themes can read them"),
            });
        }
    }
    match serde_yaml::from_str::<FrontMatter>(split.yaml) {
        Ok(mut fm) => {
            if let Some((line, col)) = keys.get("sheets") {
                fm.sheets_line = line;
                check_sheets(path, &mut fm, line, col, diags);
            }
            if foreign {
                match serde_yaml::from_str::<Foreign>(split.yaml) {
                    Ok(f) => {
                        fm.weight = fm.weight.or(f.sidebar_position).or(f.nav_order).or(f.order);
                        let from_permalink = f.permalink.as_deref().and_then(|p| {
                            let last = p.trim_end_matches('/').rsplit('/').next()?;
                            let last = last.strip_suffix(".html").unwrap_or(last);
                            (!last.is_empty()).then(|| last.to_string())
                        });
                        fm.slug = fm.slug.or(f.id).or(from_permalink);
                    }
                    Err(e) => {
                        diags.push(error_to_diagnostic(path, &e, split.yaml_line, split.yaml))
                    }
                }
            }
            Some(fm)
        }
        Err(e) => {
            let mut d = error_to_diagnostic(path, &e, split.yaml_line, split.yaml);
            if d.help.is_none() {
                let help = type_help(&d.message);
                d = d.with_help(help);
            }
            diags.push(d);
            None
        }
    }
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

fn type_help(message: &str) -> String {
    if message.contains("sheets") {
        "`sheets` is a whole number from 1, for example `sheets: 1`".into()
    } else if message.contains("session") || message.contains("u32") {
        "`session` is a whole number from 1, for example `session: 3`".into()
    } else if message.contains("weight") || message.contains("i64") {
        "`weight` is a whole number, for example `weight: 2`".into()
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
    fn keys_of_other_tools_are_used() {
        let s = split(
            "a.md",
            "---\ntitle: A\nsidebar_position: 3\nid: intro\n---\n",
        )
        .unwrap();
        let mut d = Vec::new();
        let fm = parse("a.md", &s, &mut d).unwrap();
        assert_eq!((fm.weight, fm.slug.as_deref()), (Some(3), Some("intro")));
        assert!(d.is_empty());
        let s = split("a.md", "---\nnav_order: 2\npermalink: /docs/ecoute/\n---\n").unwrap();
        let fm = parse("a.md", &s, &mut d).unwrap();
        assert_eq!((fm.weight, fm.slug.as_deref()), (Some(2), Some("ecoute")));
        assert_eq!(d.len(), 1, "permalink is used but warned about");
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
        assert!(parse("a.md", &s, &mut d).is_none());
        assert_eq!(d[0].line(), 3);
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
        assert!(parse("a.md", &s, &mut d).is_none());
        assert_eq!(d[0].line(), 3, "{:?}", d[0]);
        assert!(d[0].is_error());
    }
}

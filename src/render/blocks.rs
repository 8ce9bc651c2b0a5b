//! Worksheet blocks: fenced code blocks whose info string is a block kind and
//! whose body is YAML (`field`, `box`, `scale`, `checklist`, `signature`, `table`).
//!
//! Each body is parsed into a typed struct (unknown keys are errors), checked,
//! then rendered through the theme template `components/<kind>.html`, so
//! organisations can restyle every block.

use serde::{Deserialize, Serialize};

use crate::diagnostic::{Diagnostic, did_you_mean};
use crate::markdown::BlockSite;

/// The block kinds, in the order the help text lists them.
pub const KINDS: &[&str] = &["field", "box", "scale", "checklist", "signature", "table"];

/// Code-block languages that are never worksheet blocks, even when close to a kind.
const LANGUAGES: &[&str] = &[
    "yaml", "toml", "json", "text", "shell", "bash", "sh", "txt", "html", "css", "js",
];

/// Whether an info string should be handled as a worksheet block: a kind, or a
/// near miss of one (reported as an error rather than shown as code).
pub fn is_block(kind: &str) -> bool {
    KINDS.contains(&kind)
        || (!LANGUAGES.contains(&kind) && kind.len() > 2 && did_you_mean(kind, KINDS).is_some())
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct Field {
    label: String,
    name: Option<String>,
    #[serde(default = "three")]
    lines: u32,
    help: Option<String>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct BoxBlock {
    label: Option<String>,
    name: Option<String>,
    height: Option<serde_yaml::Value>,
    help: Option<String>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct Scale {
    label: Option<String>,
    name: Option<String>,
    #[serde(default)]
    items: Vec<String>,
    #[serde(default = "one")]
    min: i32,
    #[serde(default = "five")]
    max: i32,
    low: Option<String>,
    high: Option<String>,
    help: Option<String>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct Checklist {
    label: Option<String>,
    name: Option<String>,
    items: Vec<String>,
    help: Option<String>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct Signature {
    label: Option<String>,
    name: Option<String>,
    #[serde(default)]
    signers: Vec<String>,
    #[serde(default = "yes")]
    date: bool,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct Table {
    label: Option<String>,
    name: Option<String>,
    columns: Vec<String>,
    #[serde(default = "three")]
    rows: u32,
    help: Option<String>,
}

fn one() -> i32 {
    1
}
fn three() -> u32 {
    3
}
fn five() -> i32 {
    5
}
fn yes() -> bool {
    true
}

/// A parsed, checked block, ready for its template.
#[derive(Debug, Serialize)]
pub struct BlockView {
    /// The block kind.
    pub kind: &'static str,
    /// A unique id (per handbook) for labels and form controls.
    pub id: String,
    /// The block's own values (label, lines, items…), with French spacing applied.
    pub data: serde_json::Value,
    /// Numbers to loop over: lines, rows or scale points.
    pub range: Vec<i64>,
    /// CSS height of a `box`.
    pub height: String,
    /// The block's field name (`seance-3.objectif`): its own fields' names, or the
    /// first part of them (see [`crate::markdown::fields`]).
    pub name: String,
    /// The last part of its fields' names, one per item of a `checklist` or a
    /// `scale`, per column of a `table` and per signer of a `signature` (empty for
    /// other kinds); slugs of their texts, unique in the block, so that a saved
    /// answer or a PDF field keeps its name when the items are reordered.
    pub keys: Vec<String>,
    /// For each signer of a `signature`, `mentor` or `mentee` when the signer is
    /// one of them (a `pack` fills in their names), else empty.
    pub roles: Vec<&'static str>,
}

/// Parses and checks a block body found at `site` (whose line is the file line of
/// the body's first line). `fix_text` applies typography to every text; `narrow`
/// is applied after it to the column headings of a `table` (equal, fixed
/// columns), to hyphenate them. A scale's columns grow to fit their words.
pub fn parse(
    kind: &str,
    body: &str,
    site: &BlockSite<'_>,
    fix_text: &dyn Fn(&str) -> String,
    narrow: &dyn Fn(&str) -> String,
    default_signers: &[String],
) -> Result<BlockView, Diagnostic> {
    let path = site.source;
    let line = site.line;
    let Some(&kind) = KINDS.iter().find(|k| **k == kind) else {
        let fence_line = line.saturating_sub(1).max(1);
        let d = Diagnostic::error(
            path,
            fence_line,
            4,
            format!("unknown worksheet block `{kind}`"),
        );
        return Err(match did_you_mean(kind, KINDS) {
            Some(s) => d.with_help(format!(
                "did you mean `{s}`? Block kinds: {}",
                KINDS.join(", ")
            )),
            None => d.with_help(format!("block kinds: {}", KINDS.join(", "))),
        });
    };
    let id = format!("{}-l{line}", site.anchor);
    let yaml = if body.trim().is_empty() { "{}" } else { body };
    crate::yaml::bounded(
        path,
        yaml,
        line,
        crate::yaml::MAX_BLOCK,
        &format!("this `{kind}` block"),
    )?;
    let err = |e: serde_yaml::Error| {
        let mut d = crate::yaml::error_to_diagnostic(path, &e, line, yaml);
        match plain_block_error(&d.message) {
            Some((message, guess)) => {
                d.message = format!("in `{kind}` block: {message}");
                let help = match guess {
                    Some(g) => {
                        let h = block_help(kind);
                        let mut c = h.chars();
                        let first = c.next().map(|f| f.to_uppercase().collect::<String>());
                        format!(
                            "did you mean `{g}:`? {}{}",
                            first.unwrap_or_default(),
                            c.as_str()
                        )
                    }
                    None => block_help(kind).to_string(),
                };
                d = d.with_help(help);
            }
            None => {
                d.message = format!("in `{kind}` block: {}", d.message);
                if d.help.is_none() {
                    d = d.with_help(block_help(kind));
                }
            }
        }
        d
    };
    let keys = crate::yaml::KeyLines::scan(yaml, line);
    let bad_at = |key: &str, msg: String| {
        let (l, c) = keys.get(key).unwrap_or((line, 1));
        Diagnostic::error(path, l, c, format!("in `{kind}` block: {msg}"))
            .with_help(block_help(kind))
    };
    let fix = |s: &Option<String>| s.as_deref().map(fix_text);
    let fix_all = |v: &[String]| v.iter().map(|s| fix_text(s)).collect::<Vec<_>>();
    let narrow_all = |v: &[String]| v.iter().map(|s| narrow(&fix_text(s))).collect::<Vec<_>>();
    let mut field_keys = Vec::new();
    let mut roles = Vec::new();
    let (data, range, height, named) = match kind {
        "field" => {
            let b: Field = serde_yaml::from_str(yaml).map_err(err)?;
            check_count("lines", b.lines, 30).map_err(|m| bad_at("lines", m))?;
            let data = serde_json::json!({"label": fix_text(&b.label), "lines": b.lines, "help": fix(&b.help)});
            let named = (b.name, Some(b.label));
            (
                data,
                (1..=i64::from(b.lines)).collect(),
                String::new(),
                named,
            )
        }
        "box" => {
            let b: BoxBlock = serde_yaml::from_str(yaml).map_err(err)?;
            let height = box_height(b.height.as_ref()).map_err(|m| bad_at("height", m))?;
            let data = serde_json::json!({"label": fix(&b.label), "help": fix(&b.help)});
            (data, Vec::new(), height, (b.name, b.label))
        }
        "scale" => {
            let b: Scale = serde_yaml::from_str(yaml).map_err(err)?;
            if b.max <= b.min || i64::from(b.max) - i64::from(b.min) > 10 {
                return Err(bad_at(
                    "max",
                    format!(
                        "`min: {}` and `max: {}` must give 2 to 11 points",
                        b.min, b.max
                    ),
                ));
            }
            if b.label.is_none() && b.items.is_empty() {
                return Err(bad_at("", "give a `label`, or `items` to rate".into()));
            }
            check_count(
                "items",
                u32::try_from(b.items.len()).unwrap_or(u32::MAX),
                30,
            )
            .or_else(|e| {
                if b.items.is_empty() {
                    Ok(())
                } else {
                    Err(bad_at("items", e))
                }
            })?;
            field_keys = crate::markdown::fields::keys(&b.items, "item");
            let data = serde_json::json!({
                "label": fix(&b.label), "items": fix_all(&b.items), "low": fix(&b.low),
                "high": fix(&b.high), "help": fix(&b.help), "min": b.min, "max": b.max,
            });
            (
                data,
                (i64::from(b.min)..=i64::from(b.max)).collect(),
                String::new(),
                (b.name, b.label),
            )
        }
        "checklist" => {
            let b: Checklist = serde_yaml::from_str(yaml).map_err(err)?;
            check_count(
                "items",
                u32::try_from(b.items.len()).unwrap_or(u32::MAX),
                30,
            )
            .map_err(|m| bad_at("items", m))?;
            field_keys = crate::markdown::fields::keys(&b.items, "item");
            let data = serde_json::json!({"label": fix(&b.label), "items": fix_all(&b.items), "help": fix(&b.help)});
            (data, Vec::new(), String::new(), (b.name, b.label))
        }
        "signature" => {
            let b: Signature = serde_yaml::from_str(yaml).map_err(err)?;
            if b.signers.is_empty() && keys.get("signers").is_some() {
                return Err(bad_at(
                    "signers",
                    "`signers:` lists no one: the sheet would have no signature".into(),
                )
                .with_help("list who signs (`signers: [Mentor, Personne mentorée]`), or leave out `signers:` for the mentor and the mentee"));
            }
            let signers = if b.signers.is_empty() {
                default_signers.to_vec()
            } else {
                b.signers
            };
            check_count(
                "signers",
                u32::try_from(signers.len()).unwrap_or(u32::MAX),
                6,
            )
            .map_err(|m| bad_at("signers", m))?;
            field_keys = crate::markdown::fields::keys(&signers, "signer");
            roles = signers
                .iter()
                .map(|s| signer_role(s, default_signers))
                .collect();
            let data = serde_json::json!({"label": fix(&b.label), "signers": fix_all(&signers), "date": b.date});
            (data, Vec::new(), String::new(), (b.name, b.label))
        }
        _ => {
            let b: Table = serde_yaml::from_str(yaml).map_err(err)?;
            check_count(
                "columns",
                u32::try_from(b.columns.len()).unwrap_or(u32::MAX),
                10,
            )
            .map_err(|m| bad_at("columns", m))?;
            check_count("rows", b.rows, 30).map_err(|m| bad_at("rows", m))?;
            field_keys = crate::markdown::fields::keys(&b.columns, "col");
            let data = serde_json::json!({
                "label": fix(&b.label), "columns": narrow_all(&b.columns), "rows": b.rows, "help": fix(&b.help),
            });
            (
                data,
                (1..=i64::from(b.rows)).collect(),
                String::new(),
                (b.name, b.label),
            )
        }
    };
    let name = field_name(kind, named, site).map_err(|m| bad_at("name", m))?;
    Ok(BlockView {
        kind,
        id,
        data,
        range,
        height,
        name,
        keys: field_keys,
        roles,
    })
}

/// The block's field name: `<form>.<key>`, the key from its `name:` (which must
/// give one, not given to another field of the page: saved answers and PDF
/// fields are keyed by it), else its label, else its kind, made unique in the page.
fn field_name(
    kind: &str,
    (name, label): (Option<String>, Option<String>),
    site: &BlockSite<'_>,
) -> Result<String, String> {
    let key = match name {
        Some(n) => {
            let k = crate::markdown::fields::key(&n, "");
            if k.is_empty() {
                return Err(format!(
                    "`name: {n}` gives no field name: use letters, digits and dashes"
                ));
            }
            if !site.names.claim_exact(&k) {
                let whose = if crate::markdown::fields::HEADER_KEYS.contains(&k.as_str()) {
                    "another field of this page (a worksheet's header has `mentor`, `mentee`, `lead` and `date`)"
                } else {
                    "another field of this page"
                };
                return Err(format!(
                    "`name: {n}` is already the name of {whose}: give each field its own `name:` (saved answers and PDF form fields are keyed by it)"
                ));
            }
            return Ok(format!("{}.{k}", site.form));
        }
        None => crate::markdown::fields::key(label.as_deref().unwrap_or(""), kind),
    };
    Ok(format!("{}.{}", site.form, site.names.claim(&key)))
}

/// `mentor` or `mentee` when a signer is written as the UI calls them (`signers`
/// are the UI's names of the mentor and the mentee, in that order).
fn signer_role(signer: &str, signers: &[String]) -> &'static str {
    let same = |a: &str, b: &str| a.trim().to_lowercase() == b.trim().to_lowercase();
    match signers {
        [mentor, _, ..] if same(signer, mentor) => "mentor",
        [_, mentee, ..] if same(signer, mentee) => "mentee",
        _ => "",
    }
}

fn check_count(what: &str, n: u32, max: u32) -> Result<(), String> {
    if n == 0 || n > max {
        Err(format!("`{what}` must be between 1 and {max}, got {n}"))
    } else {
        Ok(())
    }
}

/// A box height: a CSS length in cm, mm, in or lines (`6cm`, `40mm`, `5 lines`); a bare number means cm.
fn box_height(v: Option<&serde_yaml::Value>) -> Result<String, String> {
    let text = match v {
        None => return Ok("5cm".into()),
        Some(serde_yaml::Value::Number(n)) => format!("{n}cm"),
        Some(serde_yaml::Value::String(s)) => s.trim().to_string(),
        Some(_) => return Err("`height` must be a length such as `6cm`".into()),
    };
    let num_end = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (num, unit) = text.split_at(num_end);
    let value: f64 = num
        .parse()
        .map_err(|_| format!("`height: {text}` is not a length such as `6cm`"))?;
    let unit = unit.trim();
    let cm = match unit {
        "" | "cm" => value,
        "mm" => value / 10.0,
        "in" => value * 2.54,
        "lines" | "line" | "lignes" | "ligne" => value * 0.9,
        _ => return Err(format!("`height: {text}`: use cm, mm, in or lines")),
    };
    if !(0.5..=25.0).contains(&cm) {
        return Err(format!("`height: {text}` must be between 0.5cm and 25cm"));
    }
    Ok(format!("{}cm", (cm * 100.0).round() / 100.0))
}

fn block_help(kind: &str) -> &'static str {
    match kind {
        "field" => "a `field` takes `label:` (text), `lines:` (1–30) and an optional `help:`",
        "box" => "a `box` takes an optional `label:`, `height:` (e.g. `6cm`) and `help:`",
        "scale" => {
            "a `scale` takes `label:` or `items:` (a list), optional `low:`, `high:`, `min:` (1), `max:` (5)"
        }
        "checklist" => "a `checklist` takes `items:` (a list) and an optional `label:`",
        "signature" => {
            "a `signature` takes optional `signers:` (a list of roles), `label:` and `date: false`"
        }
        _ => "a `table` takes `columns:` (a list), `rows:` (1–30) and an optional `label:`",
    }
}

/// serde's wording of a block's wrong key or value, in the user's terms: an
/// unknown key with the nearest known one (`line` → `lines`), a wrong value
/// as written (`` `rows: three`: expected a whole number ``). `None` for
/// other errors (invalid YAML), left as they are.
fn plain_block_error(message: &str) -> Option<(String, Option<String>)> {
    if let Some(rest) = message.split("unknown field `").nth(1) {
        let key = rest.split('`').next()?;
        let known: Vec<&str> = rest
            .split("expected one of ")
            .nth(1)
            .map(|l| l.split(", ").map(|k| k.trim_matches('`')).collect())
            .unwrap_or_default();
        let guess = crate::diagnostic::did_you_mean(key, &known).map(str::to_string);
        return Some((format!("unknown key `{key}`"), guess));
    }
    let rest = message.strip_prefix("wrong value: ")?;
    let (key, rest) = rest.split_once(": invalid type: ")?;
    let (found, expected) = rest.split_once(", expected ")?;
    // serde names what it found: `string "three"`, `integer `40``, `floating
    // point `1.5``, `unit value` (nothing written), `sequence`, `map`…
    let quoted = |q: char| {
        let (_, v) = found.split_once(q)?;
        v.rsplit_once(q).map(|(v, _)| v)
    };
    let written = if found.starts_with("sequence") || found.starts_with("map") {
        format!("`{key}:` holds a {found}")
    } else if found.starts_with("unit") {
        format!("`{key}:` has no value")
    } else {
        let value = quoted('`').or_else(|| quoted('"')).unwrap_or(found);
        format!("`{key}: {value}`")
    };
    Some((format!("{written}: expected {expected}"), None))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heights() {
        assert_eq!(box_height(None).unwrap(), "5cm");
        assert_eq!(
            box_height(Some(&serde_yaml::Value::String("40mm".into()))).unwrap(),
            "4cm"
        );
        assert!(box_height(Some(&serde_yaml::Value::String("big".into()))).is_err());
        assert!(box_height(Some(&serde_yaml::Value::String("100cm".into()))).is_err());
    }

    #[test]
    fn near_misses_are_blocks_languages_are_not() {
        assert!(is_block("field") && is_block("feild") && is_block("checklst"));
        assert!(!is_block("yaml") && !is_block("rust") && !is_block(""));
    }
}

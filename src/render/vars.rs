//! Theme variables: declared with a type and a default in `theme.yaml`, given values
//! under `theme:` in `mentorbook.yaml`, checked, and turned into CSS custom properties.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::config::{CONFIG_FILE, Config};
use crate::diagnostic::{Diagnostic, did_you_mean};

/// The type of a theme variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum VarType {
    /// A CSS colour (`#0b5`, `#00bb55`, `rgb(…)`, `hsl(…)`, or a CSS colour name).
    Color,
    /// A CSS font stack.
    Font,
    /// A CSS length (`4px`, `1.2rem`).
    Length,
    /// Free text (programme name, contact, footer).
    Text,
    /// A file of the site's `static/` folder (logo).
    Path,
}

/// One declared variable.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct VarDecl {
    /// Its type.
    #[serde(rename = "type")]
    pub ty: VarType,
    /// Its default value.
    #[serde(default)]
    pub default: String,
    /// What it changes, for `themes/README.md` and `theme list`.
    #[serde(default)]
    pub description: String,
}

/// The contents of `theme.yaml`.
#[derive(Debug, Clone, Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ThemeManifest {
    /// One line saying what the theme looks like.
    #[serde(default)]
    pub description: String,
    /// A built-in theme this one builds on (its files are used unless replaced).
    #[serde(default)]
    pub extends: Option<String>,
    /// Stylesheets every page links to, in order (paths in the output).
    #[serde(default)]
    pub stylesheets: Vec<String>,
    /// Declared variables by name.
    #[serde(default)]
    pub variables: BTreeMap<String, VarDecl>,
}

impl ThemeManifest {
    /// Layers `upper` (a more specific theme.yaml) over this one.
    pub fn merge(&mut self, upper: ThemeManifest) {
        if !upper.description.is_empty() {
            self.description = upper.description;
        }
        if !upper.stylesheets.is_empty() {
            self.stylesheets = upper.stylesheets;
        }
        self.extends = upper.extends.or(self.extends.take());
        self.variables.extend(upper.variables);
    }
}

/// Resolved variable values, ready for templates and CSS.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ThemeVars {
    /// Every variable's value (defaults applied), by name.
    pub values: BTreeMap<String, String>,
    /// `:root{--mb-…}` declarations for colours, fonts and lengths.
    pub css: String,
}

/// Parses `theme.yaml`.
pub fn parse_manifest(text: &str, display: &str) -> Result<ThemeManifest, Diagnostic> {
    crate::yaml::bounded(display, text, 1, crate::yaml::MAX_DOCUMENT, "this file")?;
    serde_yaml::from_str(text).map_err(|e| crate::yaml::error_to_diagnostic(display, &e, 1, text))
}

/// Errors for a site theme's `theme.yaml` (`display`, text `text`): a default
/// that is not of its variable's type, a stylesheet that is none of the theme's
/// files (the page would link a file that is not there).
pub fn check_manifest(
    m: &ThemeManifest,
    text: &str,
    display: &str,
    statics: &dyn Fn(&str) -> bool,
    diags: &mut Vec<Diagnostic>,
) {
    let keys = crate::yaml::KeyLines::scan(text, 1);
    for (name, decl) in &m.variables {
        if decl.default.is_empty() || decl.ty == VarType::Path {
            continue;
        }
        if let Err(msg) = check(decl.ty, &decl.default, statics) {
            let (line, col) = keys
                .get(&format!("variables.{name}.default"))
                .or_else(|| keys.get(&format!("variables.{name}")))
                .unwrap_or((1, 1));
            diags.push(
                Diagnostic::error(
                    display,
                    line,
                    col,
                    format!("the default of `{name}`: {msg}"),
                )
                .with_help(example(decl.ty)),
            );
        }
    }
    for css in &m.stylesheets {
        if !statics(css.trim_start_matches('/')) {
            let (line, col) = keys
                .item("stylesheets", css)
                .or_else(|| keys.get("stylesheets"))
                .unwrap_or((1, 1));
            diags.push(
                Diagnostic::error(
                    display,
                    line,
                    col,
                    format!("`{css}` is no file of the theme (its `static/`) or of the site's `static/`"),
                )
                .with_help("list the theme's stylesheets by their path in its `static/` folder, e.g. `assets/style.css`"),
            );
        }
    }
}

/// Applies the site's values to the declared variables, checking names and types.
pub fn resolve(
    manifest: &ThemeManifest,
    config: &Config,
    statics: &dyn Fn(&str) -> bool,
    diags: &mut Vec<Diagnostic>,
) -> ThemeVars {
    let mut values: BTreeMap<String, String> = manifest
        .variables
        .iter()
        .map(|(k, v)| (k.clone(), v.default.clone()))
        .collect();
    let names: Vec<&str> = manifest.variables.keys().map(String::as_str).collect();
    for (key, raw) in &config.theme.vars {
        let (line, col) = config
            .key_lines
            .get(&format!("theme.{key}"))
            .unwrap_or((1, 1));
        let Some(decl) = manifest.variables.get(key) else {
            let d = Diagnostic::error(
                CONFIG_FILE,
                line,
                col,
                format!("unknown theme variable `{key}`"),
            );
            diags.push(match did_you_mean(key, &names) {
                Some(s) => d.with_help(format!("did you mean `{s}`?")),
                None => d.with_help(format!("this theme's variables: {}", names.join(", "))),
            });
            continue;
        };
        let value = match raw {
            serde_yaml::Value::String(s) => s.clone(),
            serde_yaml::Value::Number(n) if decl.ty != VarType::Color => n.to_string(),
            serde_yaml::Value::Bool(b) if decl.ty == VarType::Text => b.to_string(),
            _ => {
                diags.push(
                    Diagnostic::error(
                        CONFIG_FILE,
                        line,
                        col,
                        format!("`theme.{key}` must be text"),
                    )
                    .with_help(example(decl.ty)),
                );
                continue;
            }
        };
        if let Err(msg) = check(decl.ty, &value, statics) {
            let help = if decl.ty == VarType::Path {
                let file = value
                    .rsplit(['/', '\\'])
                    .find(|p| !p.is_empty() && *p != "." && *p != "..")
                    .unwrap_or("logo.svg");
                format!(
                    "copy the file to `static/{file}` (the folder `static/` beside mentorbook.yaml), or give the path of a file that is in `static/`"
                )
            } else {
                example(decl.ty).to_string()
            };
            diags.push(
                Diagnostic::error(CONFIG_FILE, line, col, format!("`theme.{key}`: {msg}"))
                    .with_help(help),
            );
            continue;
        }
        // Colours that are text on the light page (links, buttons, badges): said
        // when too pale to read, as WCAG's 4.5:1 for text measures it.
        if matches!(key.as_str(), "primary" | "accent")
            && let Some(ratio) = contrast_on_white(&value)
            && ratio < 4.5
        {
            diags.push(
                Diagnostic::warning(
                    CONFIG_FILE,
                    line,
                    col,
                    format!(
                        "`theme.{key}: {value}` has a contrast of {ratio:.1}:1 on the white page: text in it (links, buttons, badges) is hard to read"
                    ),
                )
                .with_help("choose a darker shade of it: text needs a contrast of 4.5:1 on white (WCAG AA)"),
            );
        }
        values.insert(key.clone(), value);
    }
    // A brand colour set for light mode and none for dark mode: dark mode takes a
    // light tint of it, not the theme's own dark-mode colour (teal under a red brand).
    let set = |k: &str| config.theme.vars.contains_key(k);
    for (light, dark) in [("primary", "primary_dark"), ("accent", "accent_dark")] {
        if set(light)
            && !set(dark)
            && manifest.variables.contains_key(dark)
            && let Some(tint) = values.get(light).and_then(|v| tint_for_dark(v))
        {
            values.insert(dark.to_string(), tint);
        }
    }
    let mut css = String::from(":root{");
    for (k, decl) in &manifest.variables {
        if matches!(decl.ty, VarType::Color | VarType::Font | VarType::Length) {
            let v = &values[k];
            if !v.is_empty() {
                css.push_str(&format!(
                    "--mb-{}:{};",
                    k.replace('_', "-"),
                    sanitize_css(v)
                ));
            }
        }
    }
    css.push('}');
    ThemeVars { values, css }
}

fn example(ty: VarType) -> &'static str {
    match ty {
        VarType::Color => {
            "write a colour such as `\"#0b5\"`, `\"#1f6f78\"` or `\"rgb(31 111 120)\"` (quoted)"
        }
        VarType::Font => "write a font list such as `\"Georgia, serif\"`",
        VarType::Length => "write a CSS length such as `4px` or `0.5rem`",
        VarType::Text => "write the text in quotes",
        VarType::Path => "give a file of the site's `static/` folder, such as `logo.svg`",
    }
}

/// Checks a value against its type.
pub fn check(ty: VarType, v: &str, statics: &dyn Fn(&str) -> bool) -> Result<(), String> {
    match ty {
        VarType::Color if is_color(v) => Ok(()),
        VarType::Color => Err(format!("`{v}` is not a colour")),
        VarType::Length if is_length(v) => Ok(()),
        VarType::Length => Err(format!("`{v}` is not a CSS length")),
        VarType::Font if v.contains([';', '{', '}', '<']) => {
            Err("a font list cannot contain `;`, `{`, `}` or `<`".into())
        }
        VarType::Font if is_font(v) => Ok(()),
        VarType::Font => Err(format!(
            "`{v}` is not a font list (a quote left open, or a size instead of fonts)"
        )),
        VarType::Text => Ok(()),
        VarType::Path if v.is_empty() || statics(v.trim_start_matches('/')) => Ok(()),
        VarType::Path => Err(format!("`{v}` was not found in `static/`")),
    }
}

/// The colours CSS names (CSS Color 4), and `transparent`, `currentcolor`.
const NAMED_COLOURS: &[&str] = &[
    "aliceblue",
    "antiquewhite",
    "aqua",
    "aquamarine",
    "azure",
    "beige",
    "bisque",
    "black",
    "blanchedalmond",
    "blue",
    "blueviolet",
    "brown",
    "burlywood",
    "cadetblue",
    "chartreuse",
    "chocolate",
    "coral",
    "cornflowerblue",
    "cornsilk",
    "crimson",
    "cyan",
    "darkblue",
    "darkcyan",
    "darkgoldenrod",
    "darkgray",
    "darkgreen",
    "darkgrey",
    "darkkhaki",
    "darkmagenta",
    "darkolivegreen",
    "darkorange",
    "darkorchid",
    "darkred",
    "darksalmon",
    "darkseagreen",
    "darkslateblue",
    "darkslategray",
    "darkslategrey",
    "darkturquoise",
    "darkviolet",
    "deeppink",
    "deepskyblue",
    "dimgray",
    "dimgrey",
    "dodgerblue",
    "firebrick",
    "floralwhite",
    "forestgreen",
    "fuchsia",
    "gainsboro",
    "ghostwhite",
    "gold",
    "goldenrod",
    "gray",
    "green",
    "greenyellow",
    "grey",
    "honeydew",
    "hotpink",
    "indianred",
    "indigo",
    "ivory",
    "khaki",
    "lavender",
    "lavenderblush",
    "lawngreen",
    "lemonchiffon",
    "lightblue",
    "lightcoral",
    "lightcyan",
    "lightgoldenrodyellow",
    "lightgray",
    "lightgreen",
    "lightgrey",
    "lightpink",
    "lightsalmon",
    "lightseagreen",
    "lightskyblue",
    "lightslategray",
    "lightslategrey",
    "lightsteelblue",
    "lightyellow",
    "lime",
    "limegreen",
    "linen",
    "magenta",
    "maroon",
    "mediumaquamarine",
    "mediumblue",
    "mediumorchid",
    "mediumpurple",
    "mediumseagreen",
    "mediumslateblue",
    "mediumspringgreen",
    "mediumturquoise",
    "mediumvioletred",
    "midnightblue",
    "mintcream",
    "mistyrose",
    "moccasin",
    "navajowhite",
    "navy",
    "oldlace",
    "olive",
    "olivedrab",
    "orange",
    "orangered",
    "orchid",
    "palegoldenrod",
    "palegreen",
    "paleturquoise",
    "palevioletred",
    "papayawhip",
    "peachpuff",
    "peru",
    "pink",
    "plum",
    "powderblue",
    "purple",
    "rebeccapurple",
    "red",
    "rosybrown",
    "royalblue",
    "saddlebrown",
    "salmon",
    "sandybrown",
    "seagreen",
    "seashell",
    "sienna",
    "silver",
    "skyblue",
    "slateblue",
    "slategray",
    "slategrey",
    "snow",
    "springgreen",
    "steelblue",
    "tan",
    "teal",
    "thistle",
    "tomato",
    "turquoise",
    "violet",
    "wheat",
    "white",
    "whitesmoke",
    "yellow",
    "yellowgreen",
    "transparent",
    "currentcolor",
];

/// Whether `v` is a CSS colour: `#rgb`, `#rrggbb` (and with alpha), a colour
/// function whose arguments are numbers (`rgb(31 111 120)`, `hsl(200deg 50% 40%)`),
/// or a colour's name (`teal`). Any other word would end up in the stylesheet and
/// leave the theme's colours undefined.
fn is_color(v: &str) -> bool {
    let v = v.trim();
    if let Some(hex) = v.strip_prefix('#') {
        return matches!(hex.len(), 3 | 4 | 6 | 8) && hex.chars().all(|c| c.is_ascii_hexdigit());
    }
    let lower = v.to_ascii_lowercase();
    for f in [
        "rgb(", "rgba(", "hsl(", "hsla(", "hwb(", "oklch(", "oklab(", "lab(", "lch(",
    ] {
        if let Some(rest) = lower.strip_prefix(f) {
            let Some(args) = rest.strip_suffix(')') else {
                return false;
            };
            let parts: Vec<&str> = args
                .split([' ', ',', '/'])
                .filter(|p| !p.is_empty())
                .collect();
            return (3..=4).contains(&parts.len()) && parts.iter().all(|p| is_colour_number(p));
        }
    }
    NAMED_COLOURS.contains(&lower.as_str())
}

/// A colour function's argument: a number, a percentage or an angle, or `none`.
fn is_colour_number(p: &str) -> bool {
    if p == "none" {
        return true;
    }
    let unit = ["%", "deg", "grad", "rad", "turn"]
        .iter()
        .find_map(|u| p.strip_suffix(u))
        .unwrap_or(p);
    let digits = unit.strip_prefix(['-', '+']).unwrap_or(unit);
    !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
        && digits.chars().filter(|&c| c == '.').count() <= 1
        && digits.chars().any(|c| c.is_ascii_digit())
}

/// A light tint of the hex colour `v` that stays readable on a dark background
/// (its hue kept, lightness raised to 72 %, saturation at most 65 %); `None` for
/// a colour that is not written in hex.
fn tint_for_dark(v: &str) -> Option<String> {
    let (r, g, b) = hex_rgb(v)?;
    let (max, min) = (r.max(g).max(b), r.min(g).min(b));
    let l = (max + min) / 2.0;
    let d = max - min;
    let s = if d == 0.0 {
        0.0
    } else {
        d / (1.0 - (2.0 * l - 1.0).abs())
    };
    let h = if d == 0.0 {
        0.0
    } else if max == r {
        60.0 * (((g - b) / d).rem_euclid(6.0))
    } else if max == g {
        60.0 * ((b - r) / d + 2.0)
    } else {
        60.0 * ((r - g) / d + 4.0)
    };
    let (s, l) = (s.min(0.65), l.max(0.72));
    let c = (1.0 - (2.0 * l - 1.0).abs()) * s;
    let x = c * (1.0 - ((h / 60.0).rem_euclid(2.0) - 1.0).abs());
    let m = l - c / 2.0;
    let (r1, g1, b1) = match (h / 60.0) as u32 {
        0 => (c, x, 0.0),
        1 => (x, c, 0.0),
        2 => (0.0, c, x),
        3 => (0.0, x, c),
        4 => (x, 0.0, c),
        _ => (c, 0.0, x),
    };
    let to = |v: f64| ((v + m) * 255.0).round().clamp(0.0, 255.0) as u8;
    Some(format!("#{:02x}{:02x}{:02x}", to(r1), to(g1), to(b1)))
}

/// The red, green and blue (0 to 1) of a hex colour (`#rgb`, `#rrggbb`, with or
/// without alpha); `None` for any other way of writing a colour.
fn hex_rgb(v: &str) -> Option<(f64, f64, f64)> {
    let hex = v.trim().strip_prefix('#')?;
    let full: String = match hex.len() {
        3 | 4 => hex.chars().take(3).flat_map(|c| [c, c]).collect(),
        6 | 8 => hex.get(..6)?.to_string(),
        _ => return None,
    };
    let byte = |i: usize| {
        u8::from_str_radix(full.get(i..i + 2)?, 16)
            .ok()
            .map(|b| f64::from(b) / 255.0)
    };
    Some((byte(0)?, byte(2)?, byte(4)?))
}

/// The contrast ratio of the hex colour `v` against white (WCAG 2), when `v` is hex.
fn contrast_on_white(v: &str) -> Option<f64> {
    let (r, g, b) = hex_rgb(v)?;
    let lin = |c: f64| {
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    let l = 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
    Some(1.05 / (l + 0.05))
}

/// Whether `v` reads as a CSS font list: its quotes closed (an open one swallows
/// every variable after it), and no bare size or number where fonts go.
fn is_font(v: &str) -> bool {
    let v = v.trim();
    let closed = ['"', '\''].iter().all(|q| v.matches(*q).count() % 2 == 0);
    let sized = v
        .split(',')
        .any(|f| is_length(f) || f.trim().parse::<f64>().is_ok());
    closed && !v.is_empty() && !sized
}

fn is_length(v: &str) -> bool {
    let v = v.trim();
    if v == "0" {
        return true;
    }
    let num_end = v
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(v.len());
    num_end > 0
        && ["px", "rem", "em", "%", "pt", "mm", "cm", "vh", "vw", "ch"].contains(&&v[num_end..])
}

fn sanitize_css(v: &str) -> String {
    v.chars()
        .filter(|c| !matches!(c, ';' | '{' | '}' | '<' | '>'))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_and_lengths() {
        assert!(is_color("#0b5"));
        assert!(is_color("#00bb55"));
        assert!(is_color("rgb(0 10 20 / 50%)"));
        assert!(is_color("teal"));
        assert!(!is_color("#0b"));
        assert!(!is_color("blue;}"));
        assert!(is_color("rgb(31, 111, 120)") && is_color("hsl(200deg 50% 40% / 0.5)"));
        assert!(is_color("RebeccaPurple") && is_color("transparent"));
        for word in [
            "reddish",
            "notacolour",
            "xyz",
            "rgb(a,b,c)",
            "hsl(foo)",
            "rgb(1 2)",
        ] {
            assert!(!is_color(word), "{word}");
        }
        assert!(is_font("'Open Sans', Georgia, serif") && is_font("system-ui"));
        // A red brand's dark-mode tint is a light red, not the theme's teal.
        assert_eq!(tint_for_dark("#c2185b").as_deref(), Some("#e689ae"));
        assert_eq!(tint_for_dark("#fff").as_deref(), Some("#ffffff"));
        assert_eq!(tint_for_dark("teal"), None);
        let ratio = |v: &str| contrast_on_white(v).map(|r| (r * 10.0).round() / 10.0);
        assert_eq!(ratio("#000"), Some(21.0));
        assert_eq!(ratio("#1d6b74"), Some(6.2), "the default teal reads");
        assert!(ratio("#ff9800").is_some_and(|r| r < 4.5), "orange does not");
        for bad in ["'Open Sans, serif", "14px", "\"Inter, sans-serif", "12"] {
            assert!(!is_font(bad), "{bad}");
        }
        assert!(is_length("4px") && is_length("0.5rem") && !is_length("big"));
    }
}

//! UI strings (navigation, search, callout titles, worksheet labels) by language:
//! the built-in theme's file, then the site theme's, then `i18n:` in the config
//! (`languages.<code>.i18n:` for another language).
//!
//! A string is a text, a list of texts (`weekdays`, `months`, `kit_agenda`) or a
//! counted text: a map of CLDR plural categories (`one`, `other`, and `zero`,
//! `two`, `few`, `many` where the language has them) whose `{n}` is the count,
//! chosen with the language's plural rules ([`counted`], the `plural` filter).
//! Keys set in the configuration must exist in the theme (an unknown key is an
//! error with a "did you mean"), with the same shape. Texts get the language's
//! typography: smart punctuation, its quotation marks, French spacing.

use std::collections::BTreeMap;

use intl_pluralrules::{PluralCategory, PluralRuleType, PluralRules};
use serde::{Deserialize, Serialize};

use crate::config::{CONFIG_FILE, Config, Typography};
use crate::diagnostic::{Diagnostic, did_you_mean};

/// The plural categories a counted string may give, in CLDR's order.
pub const CATEGORIES: [&str; 6] = ["zero", "one", "two", "few", "many", "other"];

/// One UI string.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Entry {
    /// A text.
    Text(String),
    /// A list of texts (day and month names, agenda steps).
    List(Vec<String>),
    /// A text by plural category; `{n}` is the count.
    Counted(BTreeMap<String, String>),
}

impl Entry {
    fn shape(&self) -> &'static str {
        match self {
            Entry::Text(_) => "a text",
            Entry::List(_) => "a list of texts",
            Entry::Counted(_) => "a map of plural forms (`one`, `other`…)",
        }
    }

    fn map_texts(&mut self, f: &dyn Fn(&str) -> String) {
        match self {
            Entry::Text(t) => *t = f(t),
            Entry::List(l) => l.iter_mut().for_each(|t| *t = f(t)),
            Entry::Counted(m) => m.values_mut().for_each(|t| *t = f(t)),
        }
    }
}

/// UI strings for one language.
#[derive(Debug, Clone, Default)]
pub struct Strings {
    map: BTreeMap<String, Entry>,
    lang: String,
}

/// Where the configuration's overrides of one language are, for diagnostics:
/// `i18n` for the default language, `languages.<code>.i18n` for another.
fn overrides_key(config: &Config) -> String {
    if config.languages.iter().any(|(c, _)| *c == config.lang) {
        format!("languages.{}.i18n", config.lang)
    } else {
        "i18n".into()
    }
}

impl Strings {
    /// Loads the strings of `config.lang` (English for missing keys) from the
    /// theme's files, then applies the configuration's overrides, checked against
    /// the theme's keys, and the language's typography.
    pub fn load(
        files: &BTreeMap<String, Vec<(String, String)>>,
        config: &Config,
        diags: &mut Vec<Diagnostic>,
    ) -> Self {
        let lang = config.lang.as_str();
        let mut map = BTreeMap::new();
        let base = lang.split(['-', '_']).next().unwrap_or(lang);
        let mut langs = vec!["en"];
        if base != "en" {
            langs.push(base);
        }
        if lang != base {
            langs.push(lang);
        }
        for l in langs {
            for (text, display) in files.get(l).into_iter().flatten() {
                if let Err(d) =
                    crate::yaml::bounded(display, text, 1, crate::yaml::MAX_DOCUMENT, "this file")
                {
                    diags.push(d);
                    continue;
                }
                match serde_yaml::from_str::<BTreeMap<String, Entry>>(text) {
                    Ok(m) => {
                        for (k, mut e) in m {
                            if let Some(d) = check_counted(&k, &e, display, 0) {
                                diags.push(d);
                            }
                            // A theme written when lists were texts (`weekdays: "lundi, mardi, …"`).
                            if let (Some(Entry::List(_)), Entry::Text(t)) = (map.get(&k), &e) {
                                let sep = if t.contains('|') { '|' } else { ',' };
                                e = Entry::List(
                                    t.split(sep).map(|x| x.trim().to_string()).collect(),
                                );
                            }
                            map.insert(k, e);
                        }
                    }
                    Err(e) => diags.push(crate::yaml::error_to_diagnostic(display, &e, 1, text)),
                }
            }
        }
        let prefix = overrides_key(config);
        let known: Vec<&str> = map.keys().map(String::as_str).collect();
        let mut set = Vec::new();
        for (key, raw) in &config.i18n {
            let (line, col) = config
                .key_lines
                .get(&format!("{prefix}.{key}"))
                .or_else(|| config.key_lines.get(&prefix))
                .unwrap_or((1, 1));
            let Some(theirs) = map.get(key) else {
                let d = Diagnostic::error(
                    CONFIG_FILE,
                    line,
                    col,
                    format!("unknown UI string `{prefix}.{key}`"),
                );
                diags.push(match did_you_mean(key, &known) {
                    Some(s) => d.with_help(format!("did you mean `{s}`?")),
                    None => d.with_help(
                        "the theme's UI strings are listed in its `i18n/<lang>.yaml` (`mentorbook theme docs` explains them)",
                    ),
                });
                continue;
            };
            let entry = match serde_yaml::from_value::<Entry>(raw.clone()) {
                Ok(e) if std::mem::discriminant(&e) == std::mem::discriminant(theirs) => e,
                _ => {
                    diags.push(
                        Diagnostic::error(
                            CONFIG_FILE,
                            line,
                            col,
                            format!("`{prefix}.{key}` must be {}", theirs.shape()),
                        )
                        .with_help(example(theirs)),
                    );
                    continue;
                }
            };
            if let Some(d) = check_counted(key, &entry, CONFIG_FILE, line) {
                diags.push(d);
                continue;
            }
            set.push((key.clone(), entry));
        }
        map.extend(set);
        let spacing = config.typography == Typography::Fr;
        let quotes = Typography::french_quotes(lang);
        for e in map.values_mut() {
            e.map_texts(&|t| crate::typography::display(t, spacing, quotes));
        }
        Self {
            map,
            lang: lang.to_string(),
        }
    }

    /// The text for `key` (a list joined with `, `, a counted text's `other`
    /// form), or the key itself when missing.
    pub fn get(&self, key: &str) -> String {
        match self.map.get(key) {
            Some(Entry::Text(t)) => t.clone(),
            Some(Entry::List(l)) => l.join(", "),
            Some(Entry::Counted(m)) => m.get("other").cloned().unwrap_or_default(),
            None => key.to_string(),
        }
    }

    /// The list for `key` (empty when missing or not a list).
    pub fn list(&self, key: &str) -> &[String] {
        match self.map.get(key) {
            Some(Entry::List(l)) => l,
            _ => &[],
        }
    }

    /// The counted text for `key` with `n`: the form of `n`'s plural category in
    /// this language, `{n}` replaced by `n`.
    pub fn count(&self, key: &str, n: u64) -> String {
        match self.map.get(key) {
            Some(Entry::Counted(m)) => counted(m, n, &self.lang),
            Some(Entry::Text(t)) => t.replace("{n}", &n.to_string()),
            _ => format!("{n} {key}"),
        }
    }

    /// Every string, for the template context.
    pub fn all(&self) -> &BTreeMap<String, Entry> {
        &self.map
    }
}

/// An error when a counted string has no `other` form or an unknown category.
fn check_counted(key: &str, e: &Entry, path: &str, line: usize) -> Option<Diagnostic> {
    let Entry::Counted(m) = e else { return None };
    let bad = m.keys().find(|k| !CATEGORIES.contains(&k.as_str()));
    let msg = match bad {
        Some(b) => format!("`{key}`: `{b}` is not a plural category"),
        None if !m.contains_key("other") => format!("`{key}` has no `other` form"),
        None => return None,
    };
    Some(
        Diagnostic::error(path, line, 1, msg)
            .with_help("plural forms are `zero`, `one`, `two`, `few`, `many` and `other` (required); `{n}` is the count"),
    )
}

fn example(e: &Entry) -> &'static str {
    match e {
        Entry::Text(_) => "write the text, in quotes if it has a `:`",
        Entry::List(_) => "write a list: `[lundi, mardi, …]`",
        Entry::Counted(_) => "write `{ one: \"{n} séance\", other: \"{n} séances\" }`",
    }
}

/// The plural category of `n` in language `lang` (CLDR rules; English's for a
/// language the rules do not know).
pub fn category(n: u64, lang: &str) -> &'static str {
    let rules = [lang, lang.split(['-', '_']).next().unwrap_or(lang), "en"]
        .into_iter()
        .find_map(|l| {
            let id: unic_langid::LanguageIdentifier = l.parse().ok()?;
            PluralRules::create(id, PluralRuleType::CARDINAL).ok()
        });
    let cat = rules.and_then(|r| r.select(n).ok()).unwrap_or(if n == 1 {
        PluralCategory::ONE
    } else {
        PluralCategory::OTHER
    });
    match cat {
        PluralCategory::ZERO => "zero",
        PluralCategory::ONE => "one",
        PluralCategory::TWO => "two",
        PluralCategory::FEW => "few",
        PluralCategory::MANY => "many",
        PluralCategory::OTHER => "other",
    }
}

/// The form of `forms` for `n` in `lang` (`other` when the category's is
/// missing), with `{n}` replaced by the count.
pub fn counted(forms: &BTreeMap<String, String>, n: u64, lang: &str) -> String {
    let form = forms
        .get(category(n, lang))
        .or_else(|| forms.get("other"))
        .map_or("{n}", String::as_str);
    form.replace("{n}", &n.to_string())
}

/// The `plural` template filter: `{{ t.timeline_sessions_count | plural(n=6) }}`
/// picks the form for `n` with the rules of `site.lang` and puts the count in.
pub fn plural_filter(
    forms: &tera::Value,
    kwargs: tera::Kwargs,
    state: &tera::State,
) -> tera::TeraResult<String> {
    let n: i64 = kwargs.must_get("n")?;
    let n = u64::try_from(n).unwrap_or(0);
    let lang = state
        .get::<tera::Value>("site")
        .ok()
        .flatten()
        .and_then(|s| {
            s.as_map().and_then(|m| {
                m.get(&"lang".into())
                    .and_then(|l| l.as_str().map(str::to_string))
            })
        })
        .unwrap_or_else(|| "en".into());
    match forms.as_map() {
        Some(m) => {
            let forms: BTreeMap<String, String> = m
                .iter()
                .filter_map(|(k, v)| Some((k.as_str()?.to_string(), v.as_str()?.to_string())))
                .collect();
            Ok(counted(&forms, n, &lang))
        }
        None => Ok(forms
            .as_str()
            .map_or_else(|| n.to_string(), |t| t.replace("{n}", &n.to_string()))),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use super::*;
    use crate::render::theme::BUILTIN;

    #[test]
    fn builtin_translations_parse_and_have_the_same_keys_and_shapes() {
        for theme in BUILTIN.dirs() {
            let mut sets: Vec<(String, BTreeSet<(String, &'static str)>)> = Vec::new();
            let Some(dir) = theme.get_dir(theme.path().join("i18n")) else {
                continue;
            };
            for f in dir.files() {
                let text = f.contents_utf8().expect("UTF-8");
                let map: BTreeMap<String, Entry> = serde_yaml::from_str(text)
                    .unwrap_or_else(|e| panic!("{}: {e}", f.path().display()));
                for (k, e) in &map {
                    assert!(check_counted(k, e, "x", 0).is_none(), "{k}");
                }
                sets.push((
                    f.path().display().to_string(),
                    map.iter().map(|(k, e)| (k.clone(), e.shape())).collect(),
                ));
            }
            for pair in sets.windows(2) {
                let diff: Vec<_> = pair[0].1.symmetric_difference(&pair[1].1).collect();
                assert!(
                    diff.is_empty(),
                    "{} and {} differ: {diff:?}",
                    pair[0].0,
                    pair[1].0
                );
            }
        }
    }

    #[test]
    fn plural_rules_follow_the_language() {
        let forms: BTreeMap<String, String> = [
            ("one".to_string(), "{n} séance".to_string()),
            ("other".to_string(), "{n} séances".to_string()),
        ]
        .into();
        assert_eq!(counted(&forms, 0, "fr"), "0 séance");
        assert_eq!(counted(&forms, 1, "fr"), "1 séance");
        assert_eq!(counted(&forms, 6, "fr"), "6 séances");
        assert_eq!(counted(&forms, 0, "en"), "0 séances");
        assert_eq!(category(1, "fr-CA"), "one");
        assert_eq!(category(3, "pl"), "few");
        assert_eq!(category(1, "xx-unknown"), "one");
    }

    fn config(yaml: &str) -> Config {
        Config::parse(std::path::Path::new("."), yaml).expect("config")
    }

    fn files() -> BTreeMap<String, Vec<(String, String)>> {
        let mut files = BTreeMap::new();
        for (lang, text) in [
            (
                "en",
                "toc: On this page\nwho: Who?\ndays: [Mon, Tue]\nn: { one: \"{n} result\", other: \"{n} results\" }\n",
            ),
            (
                "fr",
                "toc: Sur cette page\nwho: Qui ?\ndays: [lun, mar]\nn: { one: \"{n} résultat\", other: \"{n} résultats\" }\n",
            ),
        ] {
            files.insert(
                lang.to_string(),
                vec![(text.to_string(), format!("{lang}.yaml"))],
            );
        }
        // A site theme of the time lists were comma-separated texts.
        if let Some(fr) = files.get_mut("fr") {
            fr.push((
                "days: \"lundi, mardi\"\n".to_string(),
                "themes/x/i18n/fr.yaml".to_string(),
            ));
        }
        files
    }

    #[test]
    fn overrides_are_checked_like_every_key() {
        let c =
            config("title: T\ni18n:\n  tocc: Dans cette page\n  days: lundi\n  who: Qui donc ?\n");
        let mut diags = Vec::new();
        let s = Strings::load(&files(), &c, &mut diags);
        assert_eq!(diags.len(), 2, "{diags:?}");
        diags.sort_by_key(|d| d.line());
        assert_eq!((diags[0].line(), diags[0].col()), (3, 3));
        assert!(diags[0].message.contains("`i18n.tocc`"));
        assert_eq!(diags[0].help.as_deref(), Some("did you mean `toc`?"));
        assert_eq!(diags[1].line(), 4);
        assert!(
            diags[1].message.contains("must be a list"),
            "{}",
            diags[1].message
        );
        assert_eq!(s.get("who"), "Qui donc\u{202f}?");
        assert_eq!(s.get("toc"), "Sur cette page");
        assert_eq!(s.list("days"), ["lundi", "mardi"]);
        assert_eq!(s.count("n", 1), "1 résultat");
        assert_eq!(s.count("n", 41), "41 résultats");
    }

    #[test]
    fn another_language_uses_its_own_overrides() {
        let c = config("title: T\nlanguages:\n  en:\n    i18n:\n      whoo: Whom?\n")
            .for_language("en");
        let mut diags = Vec::new();
        let s = Strings::load(&files(), &c, &mut diags);
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert!(diags[0].message.contains("`languages.en.i18n.whoo`"));
        assert_eq!(diags[0].line(), 5);
        assert_eq!(s.get("who"), "Who?");
        assert_eq!(s.count("n", 0), "0 results");
    }
}

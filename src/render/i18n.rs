//! UI strings (navigation, search, callout titles, worksheet labels) by language:
//! the built-in theme's file, then the site theme's, then `i18n:` in the config.

use std::collections::BTreeMap;

use crate::diagnostic::Diagnostic;

/// UI strings for one language.
#[derive(Debug, Clone, Default)]
pub struct Strings {
    map: BTreeMap<String, String>,
}

impl Strings {
    /// Loads the strings for `lang` (falling back to English for missing keys),
    /// applying `overrides` last.
    pub fn load(
        files: &BTreeMap<String, Vec<(String, String)>>,
        lang: &str,
        overrides: &BTreeMap<String, String>,
        diags: &mut Vec<Diagnostic>,
    ) -> Self {
        let mut map = BTreeMap::new();
        let base = lang.split(['-', '_']).next().unwrap_or(lang);
        let mut langs = vec!["en"];
        if base != "en" {
            langs.push(base);
        }
        for l in langs {
            for (text, display) in files.get(l).into_iter().flatten() {
                if let Err(d) =
                    crate::yaml::bounded(display, text, 1, crate::yaml::MAX_DOCUMENT, "this file")
                {
                    diags.push(d);
                    continue;
                }
                match serde_yaml::from_str::<BTreeMap<String, String>>(text) {
                    Ok(m) => map.extend(m),
                    Err(e) => diags.push(crate::yaml::error_to_diagnostic(display, &e, 1, text)),
                }
            }
        }
        map.extend(overrides.iter().map(|(k, v)| (k.clone(), v.clone())));
        Self { map }
    }

    /// The string for `key`, or the key itself when missing.
    pub fn get(&self, key: &str) -> String {
        self.map
            .get(key)
            .cloned()
            .unwrap_or_else(|| key.to_string())
    }

    /// Every string, for the template context.
    pub fn all(&self) -> &BTreeMap<String, String> {
        &self.map
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use crate::render::theme::BUILTIN;

    #[test]
    fn builtin_translations_parse_and_have_the_same_keys() {
        for theme in BUILTIN.dirs() {
            let mut sets: Vec<(String, BTreeSet<String>)> = Vec::new();
            let Some(dir) = theme.get_dir(theme.path().join("i18n")) else {
                continue;
            };
            for f in dir.files() {
                let text = f.contents_utf8().expect("UTF-8");
                let map: BTreeMap<String, String> = serde_yaml::from_str(text)
                    .unwrap_or_else(|e| panic!("{}: {e}", f.path().display()));
                sets.push((f.path().display().to_string(), map.into_keys().collect()));
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
}

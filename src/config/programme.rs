//! The mentoring programme: `programme:` in `mentorbook.yaml` (name, number of
//! sessions, rhythm, start date, phases), turned into suggested session dates.
//!
//! Dates follow the rhythm from the start date and never fall on a weekend
//! (a Saturday or Sunday moves to the next Monday).
//!
//! The programme's name and each phase's name and description are written once
//! for every language (`name: Préparer`) or per language
//! (`name: { fr: Préparer, en: Prepare }`, a [`Localized`] text); a language a
//! multilingual handbook lacks there is a warning, and its pages show the
//! default language's text.

use std::collections::BTreeMap;

use chrono::{Datelike, Months, NaiveDate, Weekday};
use serde::Deserialize;

use super::CONFIG_FILE;
use crate::diagnostic::Diagnostic;
use crate::yaml::KeyLines;

/// How often the pair meets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Rhythm {
    /// Once a month (the usual rhythm).
    #[default]
    Monthly,
    /// Twice a month, every two weeks.
    #[serde(alias = "fortnightly", alias = "biweekly")]
    TwiceMonthly,
    /// Every week.
    Weekly,
}

/// A text of the configuration: the same in every language, or one per language.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum Localized {
    /// One text for every language.
    Same(String),
    /// A text by language code (`{ fr: Préparer, en: Prepare }`).
    ByLang(BTreeMap<String, String>),
}

impl Localized {
    /// The text for `lang`; else the default language's (`default`); else any.
    pub fn get(&self, lang: &str, default: &str) -> &str {
        match self {
            Localized::Same(s) => s,
            Localized::ByLang(m) => m
                .get(lang)
                .or_else(|| m.get(default))
                .or_else(|| m.values().next())
                .map_or("", String::as_str),
        }
    }

    /// Problems with the languages given: a code the handbook does not have is
    /// an error; a language it lacks is a warning. `what` names the text.
    fn check(&self, what: &str, codes: &[String], at: (usize, usize)) -> Vec<Diagnostic> {
        let Localized::ByLang(m) = self else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for code in m.keys().filter(|c| !codes.contains(c)) {
            out.push(
                Diagnostic::error(
                    CONFIG_FILE,
                    at.0,
                    at.1,
                    format!("{what}: `{code}` is not a language of the handbook"),
                )
                .with_help(format!("its languages: {}", codes.join(", "))),
            );
        }
        for code in codes.iter().filter(|c| !m.contains_key(*c)) {
            out.push(
                Diagnostic::warning(
                    CONFIG_FILE,
                    at.0,
                    at.1,
                    format!(
                        "{what} has no `{code}` text: the `{code}` pages show another language's"
                    ),
                )
                .with_help(format!("add `{code}: …` to it")),
            );
        }
        out
    }
}

/// A phase of the programme and the pages that go with it.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Phase {
    /// Phase name (`Préparer`, `Lancer`, `Séances`, `Clôturer`), or one per language.
    pub name: Localized,
    /// What happens in it, or one text per language.
    #[serde(default)]
    pub description: Option<Localized>,
    /// Pages of `content/` for this phase (paths relative to `content/`).
    #[serde(default)]
    pub pages: Vec<String>,
    /// The sessions it spans (`sessions: 1`, `sessions: 2-5`), for the timeline;
    /// without it, the timeline places the phase by its worksheets' sessions, or
    /// by its order (the first phase before the sessions, the last one after).
    #[serde(default, deserialize_with = "span")]
    pub sessions: Option<(u32, u32)>,
}

/// A phase's `sessions:`: a number, or two joined by a dash (`2-5`).
fn span<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<(u32, u32)>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        One(u32),
        Text(String),
    }
    let bad = |s: &str| {
        serde::de::Error::custom(format!(
            "`sessions: {s}` is not a session or a range of sessions such as `2-5`"
        ))
    };
    match Option::<Raw>::deserialize(d)? {
        None => Ok(None),
        Some(Raw::One(n)) => Ok(Some((n, n))),
        Some(Raw::Text(t)) => {
            let mut parts = t.split(['-', '–']).map(str::trim);
            let a = parts
                .next()
                .and_then(|a| a.parse::<u32>().ok())
                .ok_or_else(|| bad(&t))?;
            let b = match parts.next() {
                Some(b) => b.parse::<u32>().map_err(|_| bad(&t))?,
                None => a,
            };
            if parts.next().is_some() || b < a {
                return Err(bad(&t));
            }
            Ok(Some((a, b)))
        }
    }
}

/// `programme:` in `mentorbook.yaml`.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Programme {
    /// Programme name, or one per language (default: the theme's `programme`,
    /// else the handbook title).
    #[serde(default)]
    pub name: Option<Localized>,
    /// Number of sessions.
    #[serde(default = "six")]
    pub sessions: u32,
    /// How often sessions happen.
    #[serde(default)]
    pub rhythm: Rhythm,
    /// The first session's date (`YYYY-MM-DD`); without it, no dates are suggested.
    #[serde(default, deserialize_with = "date")]
    pub start: Option<NaiveDate>,
    /// The pairs' agreement: a worksheet of `content/` (path relative to it) that
    /// `pack` gives every pair with the session sheets; without it, the worksheets
    /// without a session that have a `signature` block and are not for leads.
    #[serde(default)]
    pub agreement: Option<String>,
    /// Phases, in order.
    #[serde(default)]
    pub phases: Vec<Phase>,
}

fn six() -> u32 {
    6
}

fn date<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
    let raw = Option::<String>::deserialize(d)?;
    raw.map(|s| {
        NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
            .map_err(|_| serde::de::Error::custom(crate::text::date_problem(&s)))
    })
    .transpose()
}

impl Programme {
    /// Parses and checks the `programme:` value; problems are located in `mentorbook.yaml`.
    pub fn parse(value: &serde_yaml::Value, keys: &KeyLines) -> Result<Self, Vec<Diagnostic>> {
        const FIELDS: &[&str] = &["name", "sessions", "rhythm", "start", "agreement", "phases"];
        let (line, col) = keys.get("programme").unwrap_or((1, 1));
        let help = "programme takes `name`, `sessions` (1–24), `rhythm` (monthly, twice-monthly, weekly), \
                    `start` (YYYY-MM-DD), `agreement` (a page) and `phases` (a list of `name`, `description`, `pages`, `sessions`)";
        let mut diags = Vec::new();
        let Some(map) = value.as_mapping() else {
            return Err(vec![
                Diagnostic::error(
                    CONFIG_FILE,
                    line,
                    col,
                    "`programme` must be a list of `key: value`",
                )
                .with_help(help),
            ]);
        };
        // Check each field on its own, so every problem is reported at its line.
        for (k, v) in map {
            let name = k.as_str().unwrap_or("");
            let (l, c) = keys
                .get(&format!("programme.{name}"))
                .unwrap_or((line, col));
            if !FIELDS.contains(&name) {
                let d =
                    Diagnostic::error(CONFIG_FILE, l, c, format!("unknown key `programme.{name}`"));
                diags.push(match crate::diagnostic::did_you_mean(name, FIELDS) {
                    Some(s) => d.with_help(format!("did you mean `{s}`?")),
                    None => d.with_help(help),
                });
                continue;
            }
            let single = serde_yaml::Mapping::from_iter([(k.clone(), v.clone())]);
            if let Err(e) = serde_yaml::from_value::<Programme>(serde_yaml::Value::Mapping(single))
            {
                diags.push(
                    Diagnostic::error(
                        CONFIG_FILE,
                        l,
                        c,
                        format!(
                            "`programme.{name}`: {}",
                            crate::yaml::plain_words(&e.to_string())
                        ),
                    )
                    .with_help(help),
                );
            }
        }
        if !diags.is_empty() {
            return Err(diags);
        }
        let p: Programme = serde_yaml::from_value(value.clone()).map_err(|e| {
            vec![
                Diagnostic::error(
                    CONFIG_FILE,
                    line,
                    col,
                    format!("`programme`: {}", crate::yaml::plain_words(&e.to_string())),
                )
                .with_help(help),
            ]
        })?;
        if !(1..=24).contains(&p.sessions) {
            let (l, c) = keys.get("programme.sessions").unwrap_or((line, col));
            return Err(vec![
                Diagnostic::error(
                    CONFIG_FILE,
                    l,
                    c,
                    format!(
                        "`programme.sessions` must be between 1 and 24, got {}",
                        p.sessions
                    ),
                )
                .with_help("six sessions are recommended"),
            ]);
        }
        if let Some(ph) = p
            .phases
            .iter()
            .find(|ph| ph.sessions.is_some_and(|(a, b)| a == 0 || b > p.sessions))
        {
            let (l, c) = keys.get("programme.phases").unwrap_or((line, col));
            let (a, b) = ph.sessions.unwrap_or_default();
            return Err(vec![
                Diagnostic::error(
                    CONFIG_FILE,
                    l,
                    c,
                    format!(
                        "phase `{}`: `sessions: {a}-{b}` is outside the programme's sessions (1 to {})",
                        ph.name.get("", ""),
                        p.sessions
                    ),
                )
                .with_help("write the sessions the phase spans, for example `sessions: 2-5`"),
            ]);
        }
        if let Some(start) = p.start {
            // The calendar writes four-digit years (`YYYYMMDD`): every session must have one.
            let last = p.dates().last().copied();
            let fits = |d: NaiveDate| (1000..=9999).contains(&d.year());
            if !fits(start) || !last.is_some_and(fits) {
                let (l, c) = keys.get("programme.start").unwrap_or((line, col));
                return Err(vec![
                    Diagnostic::error(
                        CONFIG_FILE,
                        l,
                        c,
                        format!(
                            "`programme.start` {start}: every session must fall between the years 1000 and 9999"
                        ),
                    )
                    .with_help("write the date the programme really starts, for example `start: 2027-01-11`"),
                ]);
            }
        }
        Ok(p)
    }

    /// Problems with the per-language texts (name, phases) of a handbook whose
    /// languages are `codes` (the default first).
    pub fn check_languages(&self, codes: &[String], keys: &KeyLines) -> Vec<Diagnostic> {
        let at = |k: &str| {
            keys.get(k)
                .or_else(|| keys.get("programme"))
                .unwrap_or((1, 1))
        };
        let mut out = Vec::new();
        if let Some(n) = &self.name {
            out.extend(n.check("`programme.name`", codes, at("programme.name")));
        }
        let default = codes.first().map_or("", String::as_str);
        for ph in &self.phases {
            let what = format!("phase `{}`", ph.name.get(default, default));
            out.extend(ph.name.check(&what, codes, at("programme.phases")));
            if let Some(d) = &ph.description {
                out.extend(d.check(
                    &format!("the description of {what}"),
                    codes,
                    at("programme.phases"),
                ));
            }
        }
        out
    }

    /// The suggested date of each session (session 1 first), when `start` is set.
    pub fn dates(&self) -> Vec<NaiveDate> {
        self.start.map(|s| self.dates_from(s)).unwrap_or_default()
    }

    /// The date of each session when the first is on `start`, following the
    /// rhythm (a weekend day moves to the Monday after).
    pub fn dates_from(&self, start: NaiveDate) -> Vec<NaiveDate> {
        (0..self.sessions)
            .map(|i| {
                // Checked: a date past chrono's range stays at the start (and
                // `parse` refuses such a programme before any date is written).
                let d = match self.rhythm {
                    Rhythm::Monthly => start.checked_add_months(Months::new(i)),
                    Rhythm::TwiceMonthly => {
                        start.checked_add_days(chrono::Days::new(u64::from(i) * 14))
                    }
                    Rhythm::Weekly => start.checked_add_days(chrono::Days::new(u64::from(i) * 7)),
                }
                .unwrap_or(start);
                weekday(d)
            })
            .collect()
    }
}

/// Writes a date with the day and month names of a language (the UI string lists
/// `weekdays` and `months`, Monday and January first): `lundi 11 janvier 2027`.
/// Day before month either way (`Monday 11 January 2027`); ISO when a list does
/// not have 7 days or 12 months.
pub fn format_date(d: NaiveDate, weekdays: &[String], months: &[String]) -> String {
    match (
        weekdays.get(d.weekday().num_days_from_monday() as usize),
        months.get(d.month0() as usize),
    ) {
        (Some(w), Some(m)) if weekdays.len() == 7 && months.len() == 12 => {
            format!("{w} {} {m} {}", d.day(), d.year())
        }
        _ => d.format("%Y-%m-%d").to_string(),
    }
}

/// Moves a Saturday or Sunday to the next Monday.
pub fn weekday(d: NaiveDate) -> NaiveDate {
    let days = match d.weekday() {
        Weekday::Sat => 2,
        Weekday::Sun => 1,
        _ => 0,
    };
    d.checked_add_days(chrono::Days::new(days)).unwrap_or(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_past_four_digit_years_are_refused_at_the_start_line() {
        let e = prog("  sessions: 6\n  start: 9999-12-31\n").unwrap_err();
        assert_eq!(e[0].line(), 3, "{e:?}");
        assert!(e[0].message.contains("between the years 1000 and 9999"));
        assert!(prog("  sessions: 6\n  start: 0999-01-01\n").is_err());
        assert!(prog("  sessions: 6\n  start: 9999-01-04\n").is_ok());
    }

    fn prog(yaml: &str) -> Result<Programme, Vec<Diagnostic>> {
        let text = format!("programme:\n{yaml}");
        let v: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
        Programme::parse(&v["programme"], &KeyLines::scan(&text, 1))
    }

    #[test]
    fn monthly_dates_skip_weekends() {
        let p = prog("  start: 2027-01-11\n  rhythm: monthly\n").unwrap();
        let d = p.dates();
        assert_eq!(d.len(), 6);
        assert_eq!(d[0], NaiveDate::from_ymd_opt(2027, 1, 11).unwrap());
        assert_eq!(d[2].month(), 3);
        assert!(d.iter().all(|x| x.weekday().number_from_monday() <= 5));
        // 2027-05-11 is a Tuesday; 2027-04-11 a Sunday → Monday 12th.
        assert_eq!(d[3], NaiveDate::from_ymd_opt(2027, 4, 12).unwrap());
    }

    #[test]
    fn names_may_be_given_per_language() {
        let text = "programme:\n  name: { fr: Tremplin, en: Springboard }\n  phases:\n    - name: { fr: Préparer, en: Prepare }\n      description: recruter\n    - name: { fr: Lancer, de: Starten }\n";
        let v: serde_yaml::Value = serde_yaml::from_str(text).unwrap();
        let keys = KeyLines::scan(text, 1);
        let p = Programme::parse(&v["programme"], &keys).unwrap();
        assert_eq!(p.name.as_ref().unwrap().get("en", "fr"), "Springboard");
        assert_eq!(p.phases[0].name.get("en", "fr"), "Prepare");
        assert_eq!(
            p.phases[0].description.as_ref().unwrap().get("en", "fr"),
            "recruter"
        );
        assert_eq!(p.phases[1].name.get("en", "fr"), "Lancer");
        let d = p.check_languages(&["fr".into(), "en".into()], &keys);
        assert_eq!(d.len(), 2, "{d:?}");
        assert!(
            d[0].is_error() && d[0].message.contains("`de`"),
            "{:?}",
            d[0]
        );
        assert!(!d[1].is_error() && d[1].message.contains("phase `Lancer` has no `en` text"));
        assert_eq!(d[1].line(), 3);
    }

    #[test]
    fn dates_use_the_language_lists() {
        let days: Vec<String> = "lundi mardi mercredi jeudi vendredi samedi dimanche"
            .split(' ')
            .map(String::from)
            .collect();
        let months: Vec<String> =
            "janvier février mars avril mai juin juillet août septembre octobre novembre décembre"
                .split(' ')
                .map(String::from)
                .collect();
        let d = NaiveDate::from_ymd_opt(2027, 1, 11).unwrap();
        assert_eq!(format_date(d, &days, &months), "lundi 11 janvier 2027");
        assert_eq!(format_date(d, &days[..3], &months), "2027-01-11");
    }

    #[test]
    fn bad_values_are_located() {
        let e = prog("  sessions: 40\n").unwrap_err();
        assert_eq!(e[0].line(), 2);
        let e = prog("  start: 11/01/2027\n").unwrap_err();
        assert_eq!(e[0].line(), 2, "{:?}", e[0]);
        assert!(e[0].message.contains("YYYY-MM-DD"));
        let e = prog("  rhythm: daily\n").unwrap_err();
        assert_eq!(e[0].line(), 2);
    }
}

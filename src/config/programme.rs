//! The mentoring programme: `programme:` in `mentorbook.yaml` (name, number of
//! sessions, rhythm, start date, phases), turned into suggested session dates.
//!
//! Dates follow the rhythm from the start date and never fall on a weekend
//! (a Saturday or Sunday moves to the next Monday).

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

/// A phase of the programme and the pages that go with it.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Phase {
    /// Phase name (`Préparer`, `Lancer`, `Séances`, `Clôturer`).
    pub name: String,
    /// What happens in it.
    #[serde(default)]
    pub description: Option<String>,
    /// Pages of `content/` for this phase (paths relative to `content/`).
    #[serde(default)]
    pub pages: Vec<String>,
}

/// `programme:` in `mentorbook.yaml`.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Programme {
    /// Programme name (default: the theme's `programme`, else the handbook title).
    #[serde(default)]
    pub name: Option<String>,
    /// Number of sessions.
    #[serde(default = "six")]
    pub sessions: u32,
    /// How often sessions happen.
    #[serde(default)]
    pub rhythm: Rhythm,
    /// The first session's date (`YYYY-MM-DD`); without it, no dates are suggested.
    #[serde(default, deserialize_with = "date")]
    pub start: Option<NaiveDate>,
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
        NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| {
            serde::de::Error::custom(format!("`{s}` is not a date written YYYY-MM-DD"))
        })
    })
    .transpose()
}

impl Programme {
    /// Parses and checks the `programme:` value; problems are located in `mentorbook.yaml`.
    pub fn parse(value: &serde_yaml::Value, keys: &KeyLines) -> Result<Self, Vec<Diagnostic>> {
        const FIELDS: &[&str] = &["name", "sessions", "rhythm", "start", "phases"];
        let (line, col) = keys.get("programme").unwrap_or((1, 1));
        let help = "programme takes `name`, `sessions` (1–24), `rhythm` (monthly, twice-monthly, weekly), \
                    `start` (YYYY-MM-DD) and `phases` (a list of `name`, `description`, `pages`)";
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
                    Diagnostic::error(CONFIG_FILE, l, c, format!("`programme.{name}`: {e}"))
                        .with_help(help),
                );
            }
        }
        if !diags.is_empty() {
            return Err(diags);
        }
        let p: Programme = serde_yaml::from_value(value.clone()).map_err(|e| {
            vec![
                Diagnostic::error(CONFIG_FILE, line, col, format!("`programme`: {e}"))
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

    /// The suggested date of each session (session 1 first), when `start` is set.
    pub fn dates(&self) -> Vec<NaiveDate> {
        let Some(start) = self.start else {
            return Vec::new();
        };
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

/// Writes a date with the day and month names of a language (`weekdays` and `months`
/// are comma-separated lists, Monday and January first): `lundi 11 janvier 2027`.
/// English-style order (`Monday 11 January 2027`) either way; ISO when the lists are missing.
pub fn format_date(d: NaiveDate, weekdays: &str, months: &str) -> String {
    let days: Vec<&str> = weekdays.split(',').map(str::trim).collect();
    let months: Vec<&str> = months.split(',').map(str::trim).collect();
    match (
        days.get(d.weekday().num_days_from_monday() as usize),
        months.get(d.month0() as usize),
    ) {
        (Some(w), Some(m)) if days.len() == 7 && months.len() == 12 => {
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

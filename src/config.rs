//! `quytrinh.toml`: the project's settings. Every key of CLI.md; an unknown key or a bad
//! value is an error naming the key and its line.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveTime, Weekday};
use serde::Deserialize;
use toml::Spanned;

use crate::calendar::CalendarSettings;
use crate::diag::{Lang, Severity};
use crate::model::{Minutes, parse_duration};

/// The settings of one project.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub lang: Option<Lang>,
    pub approval: Approval,
    pub calendar: CalendarSettings,
    pub timing: Timing,
    /// Documents the state already holds in national databases (QT401).
    pub national_data: Vec<String>,
    /// Levels set in `[rules]`; `None` turns a rule off.
    pub rules: BTreeMap<String, Option<Severity>>,
    /// Where each code of `[rules]` is written: line and column (1-based). The settings
    /// parse without knowing the rules; `rules::check_settings` names an unknown code.
    pub rules_at: BTreeMap<String, (usize, usize)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Approval {
    pub full: NaiveDate,
    pub partial: NaiveDate,
    pub none: NaiveDate,
    pub warn_days: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Timing {
    pub min_step: Minutes,
    pub max_review: Minutes,
    pub max_clerical: Minutes,
    pub max_share: f64,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            lang: None,
            approval: Approval {
                full: date(2023, 12, 15),
                partial: date(2023, 12, 15),
                none: date(2023, 12, 31),
                warn_days: 7,
            },
            calendar: CalendarSettings::default(),
            timing: Timing {
                min_step: 15,
                max_review: 2 * crate::model::DAY,
                max_clerical: crate::model::DAY,
                max_share: 0.6,
            },
            national_data: [
                "Căn cước công dân",
                "CCCD",
                "Chứng minh nhân dân",
                "CMND",
                "Sổ hộ khẩu",
                "Sổ tạm trú",
                "Giấy xác nhận thông tin về cư trú",
            ]
            .into_iter()
            .map(String::from)
            .collect(),
            rules: BTreeMap::new(),
            rules_at: BTreeMap::new(),
        }
    }
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

/// A setting that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// 1-based line and column of the key or value at fault (0 when unknown).
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

type Value = Spanned<toml::Value>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    lang: Option<Value>,
    approval: Option<RawApproval>,
    calendar: Option<RawCalendar>,
    timing: Option<RawTiming>,
    national_data: Option<RawNational>,
    rules: Option<BTreeMap<Spanned<String>, Value>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawApproval {
    full: Option<Value>,
    partial: Option<Value>,
    none: Option<Value>,
    warn_days: Option<Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCalendar {
    workdays: Option<Value>,
    hours: Option<Value>,
    cutoff: Option<Value>,
    holidays: Option<Value>,
    workdays_extra: Option<Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTiming {
    min_step: Option<Value>,
    max_review: Option<Value>,
    max_clerical: Option<Value>,
    max_share: Option<Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNational {
    documents: Option<Value>,
}

/// Reads the text of a `quytrinh.toml`.
pub fn parse(text: &str) -> Result<Config, ConfigError> {
    let at = |offset: usize| line_col(text, offset);
    let raw: Raw = toml::from_str(text).map_err(|e| {
        let (line, column) = e.span().map_or((0, 0), |s| at(s.start));
        ConfigError {
            line,
            column,
            message: e.message().trim().to_string(),
        }
    })?;
    let fail = |value: &Value, key: &str, expected: &str| {
        let (line, column) = at(value.span().start);
        ConfigError {
            line,
            column,
            message: format!("`{key}`: expected {expected}"),
        }
    };
    let mut config = Config::default();

    if let Some(v) = &raw.lang {
        config.lang = Some(
            v.get_ref()
                .as_str()
                .and_then(Lang::parse)
                .ok_or_else(|| fail(v, "lang", "\"vi\" or \"en\""))?,
        );
    }
    if let Some(a) = &raw.approval {
        let date_of =
            |v: &Value, key: &str| as_date(v).ok_or_else(|| fail(v, key, "a date YYYY-MM-DD"));
        if let Some(v) = &a.full {
            config.approval.full = date_of(v, "approval.full")?;
        }
        if let Some(v) = &a.partial {
            config.approval.partial = date_of(v, "approval.partial")?;
        }
        if let Some(v) = &a.none {
            config.approval.none = date_of(v, "approval.none")?;
        }
        if let Some(v) = &a.warn_days {
            config.approval.warn_days = v
                .get_ref()
                .as_integer()
                .filter(|n| (0..=3650).contains(n))
                .ok_or_else(|| {
                    fail(
                        v,
                        "approval.warn_days",
                        "a whole number of days from 0 to 3650",
                    )
                })?;
        }
    }
    if let Some(c) = &raw.calendar {
        let cal = &mut config.calendar;
        if let Some(v) = &c.workdays {
            cal.workdays = list(v, |item| item.as_str().and_then(weekday)).ok_or_else(|| {
                fail(
                    v,
                    "calendar.workdays",
                    "a list of days such as [\"mon\", \"tue\"]",
                )
            })?;
        }
        if let Some(v) = &c.hours {
            let hours = list(v, |item| item.as_str().and_then(period)).ok_or_else(|| {
                fail(
                    v,
                    "calendar.hours",
                    "a list of periods such as [\"07:30-11:30\", \"13:00-17:00\"]",
                )
            })?;
            let ordered = !hours.is_empty()
                && hours.windows(2).all(|w| w[0].1 <= w[1].0)
                && hours.iter().all(|(a, b)| a < b);
            if !ordered {
                return Err(fail(
                    v,
                    "calendar.hours",
                    "at least one period, each starting before it ends, in order and not overlapping",
                ));
            }
            cal.hours = hours;
        }
        if let Some(v) = &c.cutoff {
            cal.cutoff = v
                .get_ref()
                .as_str()
                .and_then(time)
                .ok_or_else(|| fail(v, "calendar.cutoff", "a time such as \"15:00\""))?;
        }
        if let Some(v) = &c.holidays {
            cal.holidays = list(v, as_date_value)
                .ok_or_else(|| fail(v, "calendar.holidays", "a list of dates \"YYYY-MM-DD\""))?;
        }
        if let Some(v) = &c.workdays_extra {
            cal.workdays_extra = list(v, as_date_value).ok_or_else(|| {
                fail(
                    v,
                    "calendar.workdays_extra",
                    "a list of dates \"YYYY-MM-DD\"",
                )
            })?;
        }
    }
    if let Some(t) = &raw.timing {
        let duration = |v: &Value, key: &str| {
            v.get_ref()
                .as_str()
                .and_then(parse_duration)
                .ok_or_else(|| fail(v, key, "a duration such as \"15min\", \"4h\" or \"2d\""))
        };
        if let Some(v) = &t.min_step {
            config.timing.min_step = duration(v, "timing.min_step")?;
        }
        if let Some(v) = &t.max_review {
            config.timing.max_review = duration(v, "timing.max_review")?;
        }
        if let Some(v) = &t.max_clerical {
            config.timing.max_clerical = duration(v, "timing.max_clerical")?;
        }
        if let Some(v) = &t.max_share {
            config.timing.max_share = v
                .get_ref()
                .as_float()
                .or_else(|| v.get_ref().as_integer().map(|n| n as f64))
                .filter(|x| *x > 0.0 && *x <= 1.0)
                .ok_or_else(|| {
                    fail(
                        v,
                        "timing.max_share",
                        "a share between 0 and 1, such as 0.6",
                    )
                })?;
        }
    }
    if let Some(n) = &raw.national_data
        && let Some(v) = &n.documents
    {
        config.national_data = list(v, |item| item.as_str().map(String::from))
            .ok_or_else(|| fail(v, "national_data.documents", "a list of document names"))?;
    }
    if let Some(rules) = &raw.rules {
        for (code, v) in rules {
            config
                .rules_at
                .insert(code.get_ref().clone(), at(code.span().start));
            let level = match v.get_ref().as_str() {
                Some("off") => None,
                Some(s) => Some(Severity::parse(s).ok_or_else(|| {
                    fail(
                        v,
                        &format!("rules.{}", code.get_ref()),
                        "\"error\", \"warning\", \"info\" or \"off\"",
                    )
                })?),
                None => {
                    return Err(fail(
                        v,
                        &format!("rules.{}", code.get_ref()),
                        "\"error\", \"warning\", \"info\" or \"off\"",
                    ));
                }
            };
            config.rules.insert(code.get_ref().clone(), level);
        }
    }
    Ok(config)
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset.min(text.len())).unwrap_or("");
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

fn list<T>(v: &Value, item: impl Fn(&toml::Value) -> Option<T>) -> Option<Vec<T>> {
    v.get_ref().as_array()?.iter().map(item).collect()
}

fn as_date(v: &Value) -> Option<NaiveDate> {
    as_date_value(v.get_ref())
}

/// A TOML date (`2023-12-15`) or a string holding one.
fn as_date_value(v: &toml::Value) -> Option<NaiveDate> {
    match v {
        toml::Value::Datetime(d) if d.time.is_none() && d.offset.is_none() => {
            let d = d.date?;
            NaiveDate::from_ymd_opt(d.year.into(), d.month.into(), d.day.into())
        }
        toml::Value::String(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d").ok(),
        _ => None,
    }
}

fn weekday(s: &str) -> Option<Weekday> {
    Some(match s {
        "mon" => Weekday::Mon,
        "tue" => Weekday::Tue,
        "wed" => Weekday::Wed,
        "thu" => Weekday::Thu,
        "fri" => Weekday::Fri,
        "sat" => Weekday::Sat,
        "sun" => Weekday::Sun,
        _ => return None,
    })
}

fn time(s: &str) -> Option<NaiveTime> {
    NaiveTime::parse_from_str(s.trim(), "%H:%M").ok()
}

fn period(s: &str) -> Option<(NaiveTime, NaiveTime)> {
    let (a, b) = s.split_once('-')?;
    Some((time(a)?, time(b)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_key_of_the_spec() {
        let text = r#"
lang = "vi"
[approval]
full = 2024-01-15
partial = "2024-01-20"
none = 2024-02-01
warn_days = 10
[calendar]
workdays = ["mon", "tue", "wed", "thu", "fri", "sat"]
hours = ["08:00-12:00", "13:30-17:30"]
cutoff = "16:00"
holidays = ["2024-03-08"]
workdays_extra = [2024-05-04]
[timing]
min_step = "10min"
max_review = "3d"
max_clerical = "4h"
max_share = 0.5
[national_data]
documents = ["CCCD"]
[rules]
QT104 = "off"
QT109 = "warning"
"#;
        let c = parse(text).expect("valid config");
        assert_eq!(c.lang, Some(Lang::Vi));
        assert_eq!(c.approval.partial, date(2024, 1, 20));
        assert_eq!(c.approval.warn_days, 10);
        assert_eq!(c.calendar.workdays.len(), 6);
        assert_eq!(
            c.calendar.cutoff,
            NaiveTime::from_hms_opt(16, 0, 0).unwrap()
        );
        assert_eq!(c.calendar.workdays_extra, vec![date(2024, 5, 4)]);
        assert_eq!(c.timing.min_step, 10);
        assert_eq!(c.timing.max_review, 3 * 480);
        assert_eq!(c.timing.max_clerical, 240);
        assert_eq!(c.national_data, vec!["CCCD".to_string()]);
        assert_eq!(c.rules.get("QT104"), Some(&None));
        assert_eq!(c.rules.get("QT109"), Some(&Some(Severity::Warning)));
    }

    #[test]
    fn names_the_unknown_key_and_its_line() {
        let e = parse("lang = \"vi\"\n[timing]\nmin_stepp = \"5min\"\n").unwrap_err();
        assert_eq!(e.line, 3);
        assert!(e.message.contains("min_stepp"), "{}", e.message);
    }

    #[test]
    fn names_the_bad_value_and_its_line() {
        let e = parse("[timing]\nmax_share = 2.5\n").unwrap_err();
        assert_eq!((e.line, e.column), (2, 13));
        assert!(e.message.contains("timing.max_share"));
        let c = parse("[rules]\nQT999 = \"off\"\n").unwrap();
        assert_eq!(c.rules_at.get("QT999"), Some(&(2, 1)));
        let e = parse("[rules]\nQT103 = \"loud\"\n").unwrap_err();
        assert!(e.message.contains("rules.QT103"));
    }
}

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
    /// The organisation the project's procedures are written for (`organisation`).
    pub organisation: Organisation,
    pub approval: Approval,
    pub calendar: CalendarSettings,
    pub timing: Timing,
    /// Documents the state already holds in national databases (QT401).
    pub national_data: Vec<String>,
    /// Levels set in `[rules]`; `None` turns a rule off.
    pub rules: BTreeMap<String, Option<Severity>>,
    /// `[packet]`: who submits the approval packets and who signs them.
    pub packet: Packet,
    /// `[report]`: who writes the monthly report and to whom.
    pub report: ReportSettings,
    /// `[audit]`: thresholds of QT501–QT506 and how logs are read (AUDIT.md).
    pub audit: AuditSettings,
    /// Where each code of `[rules]` is written: line and column (1-based). The settings
    /// parse without knowing the rules; `rules::check_settings` names an unknown code.
    pub rules_at: BTreeMap<String, (usize, usize)>,
}

/// The `[audit]` section.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditSettings {
    /// Offset of log times written without one, seconds east of UTC (`timezone`, "+07:00").
    pub timezone: i32,
    /// Dossiers a step needs to be judged (`min_dossiers`).
    pub min_dossiers: u64,
    /// QT501: share of a step's dossiers over its allotment (`overrun_share`).
    pub overrun_share: f64,
    /// QT502: p90 at most this share of the allotment (`padding_ratio`).
    pub padding_ratio: f64,
    /// QT503: p90 at most this many working minutes (`stamp_minutes`).
    pub stamp_minutes: f64,
    /// QT505: share of finished dossiers that must fit (`fit_target`).
    pub fit_target: f64,
    /// QT506: on-time rate target (`on_time_target`).
    pub on_time_target: f64,
    /// Decompressed bytes a `.gz` or `.xlsx` log may expand to (`max_log_mib`); `None`: 100
    /// times its size, at least 64 MiB.
    pub max_log_bytes: Option<u64>,
    /// `[audit.columns]`: key → header name.
    pub columns: BTreeMap<String, String>,
    /// `[audit.activities]`: log activity name → step id.
    pub activities: BTreeMap<String, String>,
}

impl Default for AuditSettings {
    fn default() -> Self {
        AuditSettings {
            timezone: 7 * 3600,
            min_dossiers: 20,
            overrun_share: 0.2,
            padding_ratio: 0.25,
            stamp_minutes: 15.0,
            fit_target: 0.95,
            on_time_target: 0.95,
            max_log_bytes: None,
            columns: BTreeMap::new(),
            activities: BTreeMap::new(),
        }
    }
}

/// `[report]` of `quytrinh.toml`: the reporting body of the monthly report (Decree
/// 30/2020, appendix I: issuing body, number's symbol, place, recipients, signature block).
/// Every key left out falls back to the same key of `[packet]`, else is left as a dotted
/// blank for the office to fill.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ReportSettings {
    /// The body above the reporting body (cơ quan chủ quản): "Ủy ban nhân dân Quận 1".
    pub parent: Option<String>,
    /// The reporting body: "Văn phòng Ủy ban nhân dân Quận 1".
    pub issuer: Option<String>,
    /// The symbol of the report's number: "BC-VP" gives "Số: …/BC-VP".
    pub symbol: Option<String>,
    /// The place of the date line (địa danh).
    pub place: Option<String>,
    /// Recipients (nơi nhận), before "Lưu: VT".
    pub recipients: Vec<String>,
    /// The drafting unit's abbreviation after "Lưu: VT,".
    pub unit: Option<String>,
    /// The signer's authority (quyền hạn): "KT. CHÁNH VĂN PHÒNG".
    pub signer_authority: Option<String>,
    /// The signer's title (chức vụ): "PHÓ CHÁNH VĂN PHÒNG".
    pub signer_title: Option<String>,
    /// The signer's full name (họ tên).
    pub signer_name: Option<String>,
}

/// `[packet]` of `quytrinh.toml`: the submitting office of the approval packets (Decree
/// 30/2020, appendix I: issuing body, symbol, place, signature block). Every key is
/// optional; a missing signer leaves the signature block blank for the office to fill.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Packet {
    /// The body above the submitting office (cơ quan chủ quản): "Ủy ban nhân dân Quận 1".
    pub parent: Option<String>,
    /// The submitting office (cơ quan trình): "Văn phòng Ủy ban nhân dân Quận 1".
    pub issuer: Option<String>,
    /// The symbol of the submission's number: "TTr-VP" gives "Số: …/TTr-VP".
    pub symbol: Option<String>,
    /// The place of the date line (địa danh): "Quận 1".
    pub place: Option<String>,
    /// Whom the submission is addressed to and who signs the decision: "Chủ tịch Ủy ban
    /// nhân dân Quận 1".
    pub approver: Option<String>,
    /// The agency that proposed the procedures (cơ quan đề nghị), when not the agency that
    /// appraises the dossier.
    pub proposer: Option<String>,
    /// The drafting unit's abbreviation after "Lưu: VT,": "KSTT".
    pub unit: Option<String>,
    /// The signer's authority (quyền hạn): "KT. CHÁNH VĂN PHÒNG", or none when the head signs.
    pub signer_authority: Option<String>,
    /// The signer's title (chức vụ): "PHÓ CHÁNH VĂN PHÒNG".
    pub signer_title: Option<String>,
    /// The signer's full name (họ tên).
    pub signer_name: Option<String>,
}

/// `organisation = "2023"` (provinces, districts, wards: the default, as the contract's
/// approval deadlines are those of 2023) or `"2025"` (two-tier local government since
/// 1 July 2025). It decides the default approval deadlines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Organisation {
    #[default]
    Y2023,
    Y2025,
}

/// Approval deadlines by online level; `None` when the project sets none (a `"2025"` project
/// without `[approval]` dates has no deadline, so no QT404).
#[derive(Debug, Clone, PartialEq)]
pub struct Approval {
    pub full: Option<NaiveDate>,
    pub partial: Option<NaiveDate>,
    pub none: Option<NaiveDate>,
    pub warn_days: i64,
}

impl Approval {
    /// The deadlines of Công văn 5898/UBND-KSTT (2023): the defaults of a `"2023"` project.
    pub fn of_2023() -> Approval {
        Approval {
            full: Some(date(2023, 12, 15)),
            partial: Some(date(2023, 12, 15)),
            none: Some(date(2023, 12, 31)),
            warn_days: 7,
        }
    }
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
            organisation: Organisation::Y2023,
            approval: Approval::of_2023(),
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
            packet: Packet::default(),
            report: ReportSettings::default(),
            audit: AuditSettings::default(),
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
    organisation: Option<Value>,
    approval: Option<RawApproval>,
    calendar: Option<RawCalendar>,
    timing: Option<RawTiming>,
    national_data: Option<RawNational>,
    rules: Option<BTreeMap<Spanned<String>, Value>>,
    packet: Option<RawPacket>,
    report: Option<RawReport>,
    audit: Option<RawAudit>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawReport {
    parent: Option<Value>,
    issuer: Option<Value>,
    symbol: Option<Value>,
    place: Option<Value>,
    recipients: Option<Value>,
    unit: Option<Value>,
    signer_authority: Option<Value>,
    signer_title: Option<Value>,
    signer_name: Option<Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPacket {
    parent: Option<Value>,
    issuer: Option<Value>,
    symbol: Option<Value>,
    place: Option<Value>,
    approver: Option<Value>,
    proposer: Option<Value>,
    unit: Option<Value>,
    signer_authority: Option<Value>,
    signer_title: Option<Value>,
    signer_name: Option<Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAudit {
    timezone: Option<Value>,
    min_dossiers: Option<Value>,
    overrun_share: Option<Value>,
    padding_ratio: Option<Value>,
    stamp_minutes: Option<Value>,
    fit_target: Option<Value>,
    on_time_target: Option<Value>,
    max_log_mib: Option<Value>,
    columns: Option<BTreeMap<String, Value>>,
    activities: Option<BTreeMap<String, Value>>,
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
    if let Some(v) = &raw.organisation {
        config.organisation = match v.get_ref() {
            toml::Value::String(s) if s == "2023" => Organisation::Y2023,
            toml::Value::String(s) if s == "2025" => Organisation::Y2025,
            toml::Value::Integer(2023) => Organisation::Y2023,
            toml::Value::Integer(2025) => Organisation::Y2025,
            _ => {
                return Err(fail(
                    v,
                    "organisation",
                    "\"2023\" (provinces, districts, wards) or \"2025\" (two-tier local government since 1 July 2025)",
                ));
            }
        };
        if config.organisation == Organisation::Y2025 {
            config.approval.full = None;
            config.approval.partial = None;
            config.approval.none = None;
        }
    }
    if let Some(a) = &raw.approval {
        let date_of =
            |v: &Value, key: &str| as_date(v).ok_or_else(|| fail(v, key, "a date YYYY-MM-DD"));
        if let Some(v) = &a.full {
            config.approval.full = Some(date_of(v, "approval.full")?);
        }
        if let Some(v) = &a.partial {
            config.approval.partial = Some(date_of(v, "approval.partial")?);
        }
        if let Some(v) = &a.none {
            config.approval.none = Some(date_of(v, "approval.none")?);
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
    if let Some(k) = &raw.packet {
        let text = |v: &Option<Value>, key: &str| -> Result<Option<String>, ConfigError> {
            match v {
                None => Ok(None),
                Some(v) => v
                    .get_ref()
                    .as_str()
                    .map(|s| s.trim())
                    .filter(|s| !s.is_empty() && !s.chars().any(char::is_control))
                    .map(|s| Some(s.to_string()))
                    .ok_or_else(|| {
                        fail(v, &format!("packet.{key}"), "a non-empty text on one line")
                    }),
            }
        };
        config.packet = Packet {
            parent: text(&k.parent, "parent")?,
            issuer: text(&k.issuer, "issuer")?,
            symbol: text(&k.symbol, "symbol")?,
            place: text(&k.place, "place")?,
            approver: text(&k.approver, "approver")?,
            proposer: text(&k.proposer, "proposer")?,
            unit: text(&k.unit, "unit")?,
            signer_authority: text(&k.signer_authority, "signer_authority")?,
            signer_title: text(&k.signer_title, "signer_title")?,
            signer_name: text(&k.signer_name, "signer_name")?,
        };
    }
    if let Some(r) = &raw.report {
        let line = |t: &str| -> Option<String> {
            let t = t.trim();
            (!t.is_empty() && !t.chars().any(char::is_control)).then(|| t.to_string())
        };
        let text = |v: &Option<Value>, key: &str| -> Result<Option<String>, ConfigError> {
            v.as_ref()
                .map(|v| {
                    v.get_ref().as_str().and_then(line).ok_or_else(|| {
                        fail(v, &format!("report.{key}"), "a non-empty text on one line")
                    })
                })
                .transpose()
        };
        config.report = ReportSettings {
            parent: text(&r.parent, "parent")?,
            issuer: text(&r.issuer, "issuer")?,
            symbol: text(&r.symbol, "symbol")?,
            place: text(&r.place, "place")?,
            recipients: match &r.recipients {
                None => Vec::new(),
                Some(v) => list(v, |item| item.as_str().and_then(line)).ok_or_else(|| {
                    fail(
                        v,
                        "report.recipients",
                        "a list of recipients, each on one line",
                    )
                })?,
            },
            unit: text(&r.unit, "unit")?,
            signer_authority: text(&r.signer_authority, "signer_authority")?,
            signer_title: text(&r.signer_title, "signer_title")?,
            signer_name: text(&r.signer_name, "signer_name")?,
        };
    }
    if let Some(a) = &raw.audit {
        let share = |v: &Value, key: &str| {
            v.get_ref()
                .as_float()
                .or_else(|| v.get_ref().as_integer().map(|n| n as f64))
                .filter(|x| (0.0..=1.0).contains(x))
                .ok_or_else(|| fail(v, key, "a share between 0 and 1, such as 0.95"))
        };
        let audit = &mut config.audit;
        if let Some(v) = &a.timezone {
            audit.timezone = v
                .get_ref()
                .as_str()
                .and_then(crate::audit::instant::parse_offset)
                .ok_or_else(|| fail(v, "audit.timezone", "an offset such as \"+07:00\""))?;
        }
        if let Some(v) = &a.min_dossiers {
            audit.min_dossiers = v
                .get_ref()
                .as_integer()
                .and_then(|n| u64::try_from(n).ok())
                .filter(|n| *n >= 1)
                .ok_or_else(|| fail(v, "audit.min_dossiers", "a whole number from 1"))?;
        }
        if let Some(v) = &a.overrun_share {
            audit.overrun_share = share(v, "audit.overrun_share")?;
        }
        if let Some(v) = &a.padding_ratio {
            audit.padding_ratio = share(v, "audit.padding_ratio")?;
        }
        if let Some(v) = &a.fit_target {
            audit.fit_target = share(v, "audit.fit_target")?;
        }
        if let Some(v) = &a.on_time_target {
            audit.on_time_target = share(v, "audit.on_time_target")?;
        }
        if let Some(v) = &a.max_log_mib {
            audit.max_log_bytes = Some(
                v.get_ref()
                    .as_integer()
                    .and_then(|n| u64::try_from(n).ok())
                    .filter(|n| (1..=1 << 20).contains(n))
                    .ok_or_else(|| fail(v, "audit.max_log_mib", "a whole number of MiB from 1"))?
                    << 20,
            );
        }
        if let Some(v) = &a.stamp_minutes {
            audit.stamp_minutes = v
                .get_ref()
                .as_float()
                .or_else(|| v.get_ref().as_integer().map(|n| n as f64))
                .filter(|x| (0.0..=100_000.0).contains(x))
                .ok_or_else(|| fail(v, "audit.stamp_minutes", "a number of minutes, such as 15"))?;
        }
        for (table, target, name) in [
            (&a.columns, &mut audit.columns, "audit.columns"),
            (&a.activities, &mut audit.activities, "audit.activities"),
        ] {
            for (key, v) in table.iter().flatten() {
                let text = v
                    .get_ref()
                    .as_str()
                    .ok_or_else(|| fail(v, &format!("{name}.{key}"), "a text"))?;
                if name == "audit.columns" && crate::audit::Key::parse(key).is_none() {
                    return Err(fail(
                        v,
                        &format!("{name}.{key}"),
                        "a column key: case, activity, time, resource, lifecycle, procedure, deadline, received or channel",
                    ));
                }
                target.insert(key.clone(), text.to_string());
            }
        }
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
    crate::diag::lines::line_col(text, offset)
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
[packet]
parent = "Ủy ban nhân dân Quận 1"
issuer = "Văn phòng Ủy ban nhân dân Quận 1"
symbol = "TTr-VP"
place = "Quận 1"
approver = "Chủ tịch Ủy ban nhân dân Quận 1"
unit = "KSTT"
signer_authority = "KT. CHÁNH VĂN PHÒNG"
signer_title = "PHÓ CHÁNH VĂN PHÒNG"
signer_name = "Nguyễn Văn An"
[audit]
timezone = "+08:00"
min_dossiers = 5
on_time_target = 0.9
[audit.columns]
case = "Số HS"
[audit.activities]
"Thụ lý" = "appraise"
"#;
        let c = parse(text).expect("valid config");
        assert_eq!(c.lang, Some(Lang::Vi));
        assert_eq!(c.approval.partial, Some(date(2024, 1, 20)));
        assert_eq!(c.approval.warn_days, 10);
        assert_eq!(c.packet.signer_name.as_deref(), Some("Nguyễn Văn An"));
        assert_eq!(c.packet.unit.as_deref(), Some("KSTT"));
        assert_eq!(c.packet.proposer, None);
        assert!(parse("[packet]\nsigner_name = \"\"\n").is_err());
        assert!(parse("[packet]\nsigner = \"x\"\n").is_err());
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
        assert_eq!(c.audit.timezone, 8 * 3600);
        assert_eq!(c.audit.min_dossiers, 5);
        assert_eq!(c.audit.on_time_target, 0.9);
        assert_eq!(
            c.audit.columns.get("case").map(String::as_str),
            Some("Số HS")
        );
        assert_eq!(
            c.audit.activities.get("Thụ lý").map(String::as_str),
            Some("appraise")
        );
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

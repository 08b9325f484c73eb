//! The reorganisation map (`MAP.toml`, CLI.md): read with the line of every value, so that a
//! refusal can name the line at fault.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use crate::model::{Level, Minutes};

/// One agency of the map.
#[derive(Debug, Clone, Default)]
pub struct AgencyMap {
    pub id: String,
    /// The line of `[agencies.ID]` (1-based).
    pub line: usize,
    pub to: Option<(String, usize)>,
    pub name: Option<(String, usize)>,
    /// Old role → successor's role, with the line of `roles`.
    pub roles: BTreeMap<String, String>,
    pub roles_line: usize,
    pub level: Option<(Level, usize)>,
    pub drop: Option<usize>,
}

/// One procedure of the map.
#[derive(Debug, Clone, Default)]
pub struct ProcedureMap {
    pub id: String,
    pub line: usize,
    pub level: Option<(Level, usize)>,
    /// A new id for the procedure (a re-issued procedure kept beside the old one).
    pub id_to: Option<(String, usize)>,
    /// The new limit as written (`3d`) and in working minutes.
    pub limit: Option<(String, Minutes, usize)>,
}

/// A whole map.
#[derive(Debug, Clone, Default)]
pub struct Map {
    pub effective: Option<chrono::NaiveDate>,
    pub agencies: Vec<AgencyMap>,
    pub procedures: Vec<ProcedureMap>,
}

impl Map {
    pub fn agency(&self, id: &str) -> Option<&AgencyMap> {
        self.agencies.iter().find(|a| a.id == id)
    }
    pub fn procedure(&self, id: &str) -> Option<&ProcedureMap> {
        self.procedures.iter().find(|p| p.id == id)
    }
    pub fn is_empty(&self) -> bool {
        self.agencies.is_empty() && self.procedures.is_empty()
    }
}

/// A map that cannot be read, with its line (1-based; 0 when unknown).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MapError {
    pub line: usize,
    pub message: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    effective: Option<Spanned<toml::Value>>,
    #[serde(default)]
    agencies: BTreeMap<String, RawAgency>,
    #[serde(default)]
    procedures: BTreeMap<String, RawProcedure>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAgency {
    to: Option<Spanned<String>>,
    name: Option<Spanned<String>>,
    roles: Option<Spanned<BTreeMap<String, String>>>,
    level: Option<Spanned<String>>,
    drop: Option<Spanned<bool>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProcedure {
    id: Option<Spanned<String>>,
    level: Option<Spanned<String>>,
    limit: Option<Spanned<String>>,
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// The line of the table `[section.id]` (or a dotted key naming it), else 0.
fn header_line(text: &str, section: &str, id: &str) -> usize {
    let forms = [
        format!("[{section}.{id}]"),
        format!("[{section}.\"{id}\"]"),
        format!("{section}.{id}"),
        format!("{id} ="),
        format!("{id}="),
    ];
    for form in &forms {
        for (i, line) in text.lines().enumerate() {
            let l = line.trim();
            if l.starts_with(form.as_str()) {
                return i + 1;
            }
        }
    }
    0
}

fn level(text: &str, v: &Spanned<String>) -> Result<(Level, usize), MapError> {
    let line = line_of(text, v.span().start);
    match v.get_ref().as_str() {
        "province" | "commune" | "ward" => {
            Ok((Level::parse(v.get_ref()).unwrap_or(Level::Commune), line))
        }
        other => Err(MapError {
            line,
            message: format!(
                "`level = \"{other}\"` is not a level of today's organisation: use \"province\" or \"commune\""
            ),
        }),
    }
}

/// A duration as written in a `.proc` file: `3d`, `4h`, `30min`.
fn duration(text: &str) -> Option<Minutes> {
    let (number, unit) = ["min", "d", "h"]
        .iter()
        .find_map(|u| text.strip_suffix(u).map(|n| (n, *u)))?;
    if number.is_empty() || !number.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return None;
    }
    let n: f64 = number.parse().ok()?;
    let minutes = match unit {
        "d" => n * 480.0,
        "h" => n * 60.0,
        _ => n,
    }
    .round();
    (1.0..1e12).contains(&minutes).then_some(minutes as Minutes)
}

/// Reads a map.
pub fn read(text: &str) -> Result<Map, MapError> {
    let raw: Raw = toml::from_str(text).map_err(|e| MapError {
        line: e.span().map_or(0, |s| line_of(text, s.start)),
        message: e.message().trim().to_string(),
    })?;
    let effective = match raw.effective {
        None => None,
        Some(v) => {
            let line = line_of(text, v.span().start);
            let date = match v.get_ref() {
                toml::Value::String(s) => chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok(),
                toml::Value::Datetime(d) => {
                    chrono::NaiveDate::parse_from_str(&d.to_string(), "%Y-%m-%d").ok()
                }
                _ => None,
            };
            Some(date.ok_or(MapError {
                line,
                message: "`effective` must be a date, \"YYYY-MM-DD\"".into(),
            })?)
        }
    };
    let mut agencies = Vec::new();
    for (id, a) in raw.agencies {
        let line = header_line(text, "agencies", &id);
        let mut m = AgencyMap {
            id: id.clone(),
            line,
            ..AgencyMap::default()
        };
        let at = |s: std::ops::Range<usize>| line_of(text, s.start);
        m.to = a.to.as_ref().map(|v| (v.get_ref().clone(), at(v.span())));
        m.name = a.name.as_ref().map(|v| (v.get_ref().clone(), at(v.span())));
        if let Some(r) = &a.roles {
            m.roles_line = at(r.span());
            m.roles = r.get_ref().clone();
        }
        if let Some(l) = &a.level {
            m.level = Some(level(text, l)?);
        }
        if let Some(d) = &a.drop
            && *d.get_ref()
        {
            m.drop = Some(at(d.span()));
        }
        if let (Some(drop), Some(_)) = (m.drop, &m.to) {
            return Err(MapError {
                line: drop,
                message: format!(
                    "agency `{id}` has both `to` and `drop = true`: an agency either has a successor or is abolished"
                ),
            });
        }
        if m.drop.is_some() && (m.name.is_some() || !m.roles.is_empty() || m.level.is_some()) {
            return Err(MapError {
                line: m.drop.unwrap_or(line),
                message: format!(
                    "agency `{id}` is dropped: `name`, `roles` and `level` only apply with `to`"
                ),
            });
        }
        for (old, new) in &m.roles {
            if !is_id(old) || !is_id(new) {
                return Err(MapError {
                    line: m.roles_line,
                    message: format!(
                        "`{old} = \"{new}\"`: role ids are ASCII letters, digits and `_`, not starting with a digit"
                    ),
                });
            }
        }
        if let Some((to, l)) = &m.to
            && !is_id(to)
        {
            return Err(MapError {
                line: *l,
                message: format!(
                    "`to = \"{to}\"` is not an identifier: ASCII letters, digits and `_` (put the Vietnamese name in `name`)"
                ),
            });
        }
        agencies.push(m);
    }
    let mut procedures = Vec::new();
    for (id, p) in raw.procedures {
        let line = header_line(text, "procedures", &id);
        let mut m = ProcedureMap {
            id,
            line,
            ..ProcedureMap::default()
        };
        if let Some(l) = &p.level {
            m.level = Some(level(text, l)?);
        }
        if let Some(v) = &p.id {
            let at = line_of(text, v.span().start);
            if !is_id(v.get_ref()) {
                return Err(MapError {
                    line: at,
                    message: format!(
                        "`id = \"{}\"` is not an identifier: ASCII letters, digits and `_`",
                        v.get_ref()
                    ),
                });
            }
            m.id_to = Some((v.get_ref().clone(), at));
        }
        if let Some(l) = &p.limit {
            let at = line_of(text, l.span().start);
            let written = l.get_ref().trim().to_string();
            let Some(minutes) = duration(&written) else {
                return Err(MapError {
                    line: at,
                    message: format!(
                        "`limit = \"{written}\"` is not a duration: write e.g. \"3d\", \"4h\" or \"30min\""
                    ),
                });
            };
            m.limit = Some((written, minutes, at));
        }
        procedures.push(m);
    }
    Ok(Map {
        effective,
        agencies,
        procedures,
    })
}

fn is_id(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_example_of_the_contract() {
        let text = r#"effective = "2025-07-01"

[agencies.ubnd_quan_1]
to = "ubnd_phuong_sai_gon"
name = "UBND phường Sài Gòn"
roles = { pct = "ct", vt = "vt" }
level = "commune"

[agencies.vp_hdnd_ubnd_quan_1]
drop = true

[procedures.dang_ky_ho_kinh_doanh]
level = "commune"
limit = "3d"
"#;
        let map = read(text).unwrap();
        let a = map.agency("ubnd_quan_1").unwrap();
        assert_eq!(a.line, 3);
        assert_eq!(a.to, Some(("ubnd_phuong_sai_gon".into(), 4)));
        assert_eq!(a.roles["pct"], "ct");
        assert_eq!(a.level, Some((Level::Commune, 7)));
        assert_eq!(map.agency("vp_hdnd_ubnd_quan_1").unwrap().drop, Some(10));
        let p = map.procedure("dang_ky_ho_kinh_doanh").unwrap();
        assert_eq!(p.limit, Some(("3d".into(), 1440, 14)));
    }

    #[test]
    fn names_the_line_at_fault() {
        let e = read("[agencies.a]\nto = \"b\"\ndrop = true\n").unwrap_err();
        assert_eq!(e.line, 3);
        let e = read("[procedures.p]\nlimit = \"3 ngày\"\n").unwrap_err();
        assert_eq!(e.line, 2);
        let e = read("[agencies.a]\nlevel = \"district\"\n").unwrap_err();
        assert_eq!(e.line, 2);
        let e = read("[agencies.a]\nsuccessor = \"b\"\n").unwrap_err();
        assert!(e.line >= 1, "{e:?}");
        assert!(read("").unwrap().is_empty());
    }
}

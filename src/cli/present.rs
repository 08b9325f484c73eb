//! What `due`, `simulate` and `report` share: choosing the procedures of a file, printing the findings
//! that make an output doubtful, and writing dates, numbers and durations for people.

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

use chrono::{Datelike, NaiveDate, NaiveDateTime, Weekday};
use unicode_width::UnicodeWidthStr;

use super::fail;
use crate::analysis::analyse;
use crate::diag::{self, Lang, Severity, Text};
use crate::model::{DAY, Minutes, Procedure};
use crate::project::{self, Project, Workspace};
use crate::text::nearest;

/// Reads `file` and its project; exit status 2 when it cannot be read.
pub fn load(file: &Path) -> Result<Workspace, ExitCode> {
    project::load(&[file.to_path_buf()], None).map_err(fail)
}

/// The language of the output: `--lang`, else the project's, else `LANG`.
pub fn lang_of(ws: &Workspace, flag: Option<super::LangArg>) -> Lang {
    super::language(flag, ws.projects.iter().find_map(|p| p.config.lang))
}

/// The procedures of the files asked for, with their project: the one named by `wanted`, or
/// every one in written order. Exit status 2 when there is none, or no procedure has that id.
pub fn select<'w>(
    ws: &'w Workspace,
    wanted: Option<&str>,
    lang: Lang,
) -> Result<Vec<(&'w Project, &'w Procedure)>, ExitCode> {
    let all: Vec<(&Project, &Procedure)> = ws
        .projects
        .iter()
        .flat_map(|project| {
            project
                .model
                .procedures
                .iter()
                .filter(|p| project.asked.contains(&p.file))
                .map(move |p| (project, p))
        })
        .collect();
    if all.is_empty() {
        print_findings(ws, &[], None, lang);
        return Err(fail(
            Text::new(
                "the file declares no procedure that could be read",
                "tệp không có quy trình nào đọc được",
            )
            .get(lang),
        ));
    }
    let Some(wanted) = wanted else {
        return Ok(all);
    };
    let chosen: Vec<_> = all
        .iter()
        .copied()
        .filter(|(_, p)| p.id == wanted)
        .collect();
    if chosen.is_empty() {
        let ids: Vec<&str> = all.iter().map(|(_, p)| p.id.as_str()).collect();
        let hint = match nearest(wanted, ids.iter().copied()) {
            Some(near) => Text::new(
                format!("; did you mean `{near}`?"),
                format!("; có phải là `{near}`?"),
            ),
            None => Text::new(
                format!(" (the file has: {})", ids.join(", ")),
                format!(" (tệp có: {})", ids.join(", ")),
            ),
        };
        return Err(fail(
            Text::new(
                format!("no procedure has the id `{wanted}`{}", hint.en),
                format!("không có quy trình nào có mã `{wanted}`{}", hint.vi),
            )
            .get(lang),
        ));
    }
    Ok(chosen)
}

/// Prints on stderr the error-level findings about the chosen procedures (and those about the
/// files that name no procedure, such as a syntax error), as of `today`. `chosen` empty: the
/// reading errors only.
pub fn print_findings(
    ws: &Workspace,
    chosen: &[(&Project, &Procedure)],
    today: Option<NaiveDate>,
    lang: Lang,
) {
    let today = today.unwrap_or_default();
    let mut errors = Vec::new();
    for project in &ws.projects {
        let ids: Vec<&str> = chosen
            .iter()
            .filter(|(p, _)| std::ptr::eq(*p, project))
            .map(|(_, procedure)| procedure.id.as_str())
            .collect();
        if !chosen.is_empty() && ids.is_empty() {
            continue;
        }
        let analysis = analyse(project, today);
        errors.extend(analysis.diagnostics.into_iter().filter(|d| {
            d.severity == Severity::Error
                && d.procedure.as_deref().is_none_or(|id| ids.contains(&id))
        }));
    }
    if errors.is_empty() {
        return;
    }
    let colour = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    eprint!("{}", diag::render_human(&errors, &ws.sources, lang, colour));
    eprintln!(
        "{}",
        Text::new(
            "these errors make the figures above doubtful: fix them and run again",
            "các lỗi trên khiến kết quả chưa đáng tin: hãy sửa rồi chạy lại",
        )
        .get(lang)
    );
}

/// The name of a weekday.
pub fn weekday(lang: Lang, day: Weekday) -> &'static str {
    match (lang, day) {
        (Lang::Vi, Weekday::Mon) => "Thứ Hai",
        (Lang::Vi, Weekday::Tue) => "Thứ Ba",
        (Lang::Vi, Weekday::Wed) => "Thứ Tư",
        (Lang::Vi, Weekday::Thu) => "Thứ Năm",
        (Lang::Vi, Weekday::Fri) => "Thứ Sáu",
        (Lang::Vi, Weekday::Sat) => "Thứ Bảy",
        (Lang::Vi, Weekday::Sun) => "Chủ Nhật",
        (Lang::En, Weekday::Mon) => "Monday",
        (Lang::En, Weekday::Tue) => "Tuesday",
        (Lang::En, Weekday::Wed) => "Wednesday",
        (Lang::En, Weekday::Thu) => "Thursday",
        (Lang::En, Weekday::Fri) => "Friday",
        (Lang::En, Weekday::Sat) => "Saturday",
        (Lang::En, Weekday::Sun) => "Sunday",
    }
}

/// A date as written in Vietnam, with its weekday: `Thứ Sáu 29/12/2023`.
pub fn date(lang: Lang, day: NaiveDate) -> String {
    format!(
        "{} {}",
        weekday(lang, day.weekday()),
        day.format("%d/%m/%Y")
    )
}

/// An instant with its weekday: `Thứ Năm 04/01/2024 10:00`.
pub fn instant(lang: Lang, at: NaiveDateTime) -> String {
    format!("{} {}", date(lang, at.date()), at.format("%H:%M"))
}

/// An instant for machines: `2024-01-04T10:00`, the form `--received` takes.
pub fn iso(at: NaiveDateTime) -> String {
    at.format("%Y-%m-%dT%H:%M").to_string()
}

/// Reads `--received`: `YYYY-MM-DDTHH:MM` (a space instead of `T` is accepted).
pub fn parse_instant(text: &str) -> Result<NaiveDateTime, String> {
    let trimmed = text.trim();
    ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(trimmed, format).ok())
        .ok_or_else(|| {
            format!(
                "`{text}` is not an instant in the form YYYY-MM-DDTHH:MM, e.g. 2024-01-15T09:30"
            )
        })
}

/// A number with at most `decimals` decimals, trailing zeros dropped; a decimal comma in
/// Vietnamese.
pub fn number(lang: Lang, value: f64, decimals: usize) -> String {
    let mut text = format!("{value:.decimals$}");
    if text.contains('.') {
        text = text.trim_end_matches('0').trim_end_matches('.').to_string();
    }
    if text == "-0" {
        text = "0".to_string();
    }
    match lang {
        Lang::Vi => text.replace('.', ","),
        Lang::En => text,
    }
}

/// A share as a percentage with one decimal: `97,3%`.
pub fn percent(lang: Lang, share: f64) -> String {
    let text = format!("{:.1}%", share * 100.0);
    match lang {
        Lang::Vi => text.replace('.', ","),
        Lang::En => text,
    }
}

/// Working time for people: whole or half days from a day up, else hours and minutes.
pub fn duration(lang: Lang, minutes: Minutes) -> String {
    if lang == Lang::Vi {
        return crate::text::working_time_vi(minutes);
    }
    let (day, days, hour, hours, minute) = match lang {
        Lang::Vi => ("ngày", "ngày", "giờ", "giờ", "phút"),
        Lang::En => ("day", "days", "hour", "hours", "min"),
    };
    if minutes >= DAY && minutes.is_multiple_of(DAY / 4) {
        let value = minutes as f64 / DAY as f64;
        let unit = if minutes == DAY { day } else { days };
        return format!("{} {unit}", number(lang, value, 2));
    }
    let (h, m) = (minutes / 60, minutes % 60);
    let unit = if h == 1 { hour } else { hours };
    match (h, m) {
        (0, m) => format!("{m} {minute}"),
        (h, 0) => format!("{h} {unit}"),
        (h, m) => format!("{h} {unit} {m} {minute}"),
    }
}

/// `text` padded with spaces to `width` columns (left-aligned).
pub fn pad(text: &str, width: usize) -> String {
    let used = text.width();
    format!("{text}{}", " ".repeat(width.saturating_sub(used)))
}

/// `text` padded with spaces to `width` columns (right-aligned).
pub fn pad_left(text: &str, width: usize) -> String {
    let used = text.width();
    format!("{}{text}", " ".repeat(width.saturating_sub(used)))
}

/// A number for JSON: `120` rather than `120.0` when whole, rounded to `decimals` decimals
/// otherwise, so that outputs stay short and stable.
pub fn json_number(value: f64, decimals: i32) -> serde_json::Value {
    let scale = 10f64.powi(decimals);
    let rounded = (value * scale).round() / scale;
    if rounded.fract() == 0.0 && rounded.abs() < 1e15 {
        serde_json::Value::from(rounded as i64)
    } else {
        serde_json::Number::from_f64(rounded)
            .map_or(serde_json::Value::Null, serde_json::Value::Number)
    }
}

/// The display width of a text.
pub fn width(text: &str) -> usize {
    text.width()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_durations_read_naturally() {
        assert_eq!(number(Lang::Vi, 12.5, 2), "12,5");
        assert_eq!(number(Lang::En, 3.0, 2), "3");
        assert_eq!(duration(Lang::Vi, 240), "0,5 ngày làm việc");
        assert_eq!(duration(Lang::Vi, 720), "1,5 ngày làm việc");
        assert_eq!(duration(Lang::En, 480), "1 day");
        assert_eq!(duration(Lang::En, 90), "1 hour 30 min");
        assert_eq!(duration(Lang::Vi, 15), "15 phút");
        assert_eq!(percent(Lang::Vi, 0.973), "97,3%");
    }

    #[test]
    fn instants_are_read_in_two_forms() {
        let at = parse_instant("2023-12-29T10:00").unwrap();
        assert_eq!(parse_instant("2023-12-29 10:00").unwrap(), at);
        assert_eq!(instant(Lang::Vi, at), "Thứ Sáu 29/12/2023 10:00");
        assert_eq!(iso(at), "2023-12-29T10:00");
        assert!(parse_instant("29/12/2023 10:00").is_err());
        assert!(parse_instant("2023-02-30T10:00").is_err());
    }
}

//! Words shared by the analysis rules: working time, numbers and roles in both languages.

pub use crate::diag::number;
use crate::diag::{Lang, Text, text};
use crate::model::{DAY, Minutes, Procedure};

/// Working time for people: `1.5 working days (12 h)`, `4 working hours`, `10 minutes`.
pub fn duration(minutes: Minutes) -> Text {
    let hours = minutes as f64 / 60.0;
    if minutes >= DAY {
        let days = minutes as f64 / DAY as f64;
        text!(
            format!(
                "{} working day{} ({} h)",
                number(days, Lang::En),
                if days == 1.0 { "" } else { "s" },
                number(hours, Lang::En)
            ),
            crate::text::working_time_vi(minutes),
        )
    } else if minutes >= 60 {
        text!(
            format!(
                "{} working hour{}",
                number(hours, Lang::En),
                if hours == 1.0 { "" } else { "s" }
            ),
            crate::text::working_time_vi(minutes),
        )
    } else {
        text!(
            format!("{minutes} minute{}", if minutes == 1 { "" } else { "s" }),
            crate::text::working_time_vi(minutes),
        )
    }
}

/// A share as a Vietnamese percentage: `0.973` → `"97,3%"`.
pub fn percent_vi(share: f64) -> String {
    format!("{}%", number(share * 100.0, Lang::Vi))
}

/// The note every QT2xx finding carries: what removing the flagged steps saves.
pub fn saving(p: &Procedure, flagged: &[usize]) -> Text {
    let minutes: Minutes = flagged
        .iter()
        .filter_map(|&s| p.steps.get(s))
        .map(|s| s.cost())
        .sum();
    let names = ids(p, flagged);
    let what_vi = if flagged.len() == 1 {
        "bước"
    } else {
        "các bước"
    };
    let time = duration(minutes);
    if minutes == 0 {
        return text!(
            format!("removing {names} saves no counted working time, only a step"),
            format!("bỏ {what_vi} {names} không rút ngắn thời gian được tính, chỉ bớt bước"),
        );
    }
    text!(
        format!("removing {names} saves {} of allotted time", time.en),
        format!(
            "bỏ {what_vi} {names} rút ngắn được {} trong thời gian được giao",
            time.vi
        ),
    )
}

/// `` `qldt.deputy` (Phó Trưởng phòng) `` — who does a step, for messages.
pub fn actor(p: &Procedure, step: usize) -> String {
    let Some(s) = p.steps.get(step) else {
        return String::from("?");
    };
    match p.role_of(s) {
        Some((agency, role)) => format!("`{}.{}` ({})", agency.id, role.id, role.name),
        None if s.is_citizen() => String::from("`citizen`"),
        None => String::from("?"),
    }
}

/// The id of a step, or `?`.
pub fn id(p: &Procedure, step: usize) -> &str {
    p.steps.get(step).map_or("?", |s| s.id.as_str())
}

/// `` `a`, `b` `` — step ids in backticks.
pub fn ids(p: &Procedure, steps: &[usize]) -> String {
    steps
        .iter()
        .map(|&s| format!("`{}`", id(p, s)))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_numbers_and_durations_in_both_languages() {
        assert_eq!(number(12.5, Lang::En), "12.5");
        assert_eq!(number(12.5, Lang::Vi), "12,5");
        assert_eq!(number(3.0, Lang::Vi), "3");
        assert_eq!(number(1.0 / 3.0, Lang::En), "0.33");
        let d = duration(DAY + DAY / 2);
        assert_eq!(d.en, "1.5 working days (12 h)");
        assert_eq!(d.vi, "1,5 ngày làm việc");
        assert_eq!(duration(DAY).en, "1 working day (8 h)");
        assert_eq!(duration(240).en, "4 working hours");
        assert_eq!(duration(60).en, "1 working hour");
        assert_eq!(duration(90).vi, "01 giờ 30 phút");
        assert_eq!(duration(10).vi, "10 phút");
        assert_eq!(duration(DAY).vi, "01 ngày làm việc");
    }
}

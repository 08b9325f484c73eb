//! A dossier's steps placed on the working calendar: the due instant of each step along the
//! worst-case path, and of the result (ngày hẹn trả kết quả).
//!
//! A dossier received at instant `t` is due when the procedure's `limit` of working time has
//! run from `t` ([`WorkingCalendar::due`]). Each step of the worst-case path is due when the
//! working time of the counted steps up to and including it has run from `t`: steps done by
//! the citizen, of kind `supplement`, and `deliver` steps without `takes` stop the clock
//! (LANGUAGE.md, "Time semantics") and have no due instant of their own.

use chrono::{Datelike, NaiveDate, NaiveDateTime};

use crate::calendar::holidays::ANNOUNCED_YEARS;
use crate::calendar::{DayOff, WorkingCalendar};
use crate::graph::FlowGraph;
use crate::model::{Minutes, Step};

/// The days off listed are those of at most this many days from the clock start; a longer
/// span (a limit of years) lists none, but still reports its computed years.
const MAX_LISTED_SPAN_DAYS: i64 = 3660;

/// When each step of a procedure's worst-case path and its result are due, for one dossier.
#[derive(Debug, Clone, PartialEq)]
pub struct Schedule {
    /// When the dossier was received.
    pub received: NaiveDateTime,
    /// When the clock starts ([`WorkingCalendar::start`]).
    pub clock_starts: NaiveDateTime,
    /// The steps of the worst-case path, in order; empty when the procedure has none.
    pub steps: Vec<StepDue>,
    /// The working time of the worst-case path, if there is one.
    pub worst_case: Option<Minutes>,
    /// When the worst-case path ends: the due instant of its working time.
    pub worst_case_due: Option<NaiveDateTime>,
    /// The procedure's statutory limit, if written.
    pub limit: Option<Minutes>,
    /// The result's due instant, the appointment date written on the receipt:
    /// `due(received, limit)`.
    pub result_due: Option<NaiveDateTime>,
    /// Official and configured days off from the clock start to the last due instant, sorted.
    pub days_off: Vec<(NaiveDate, DayOff)>,
    /// The years from the clock start to the last due instant whose official days off are
    /// computed (no announcement is built in for them), ascending.
    pub computed_years: Vec<i32>,
}

/// One step of the worst-case path on the calendar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepDue {
    /// Index into `procedure.steps`.
    pub step: usize,
    /// Whether the clock runs during the step.
    pub counted: bool,
    /// The working time the step adds (0 when not counted).
    pub minutes: Minutes,
    /// The working time from receipt to the end of this step.
    pub elapsed: Minutes,
    /// When the step is due; `None` for a step that stops the clock.
    pub due: Option<NaiveDateTime>,
}

/// Whether the clock runs during a step: not the citizen's, not a supplement, and not a
/// `deliver` step without `takes` ("Không tính thời gian").
pub fn is_timed(step: &Step) -> bool {
    step.is_counted() && step.takes.is_some()
}

/// The due instants of a dossier received at `received`, on `calendar`.
pub fn schedule(
    graph: &FlowGraph,
    calendar: &WorkingCalendar,
    received: NaiveDateTime,
) -> Schedule {
    let procedure = graph.procedure;
    let clock_starts = calendar.start(received);
    let mut elapsed: Minutes = 0;
    let mut steps = Vec::new();
    if let Some(worst) = &graph.worst {
        for &index in &worst.steps {
            let Some(step) = procedure.steps.get(index) else {
                continue;
            };
            let counted = is_timed(step);
            let minutes = if counted { step.cost() } else { 0 };
            elapsed = elapsed.saturating_add(minutes);
            steps.push(StepDue {
                step: index,
                counted,
                minutes,
                elapsed,
                due: counted.then(|| calendar.due(received, elapsed)),
            });
        }
    }
    let worst_case = graph.worst.as_ref().map(|_| elapsed);
    let worst_case_due = worst_case.map(|minutes| calendar.due(received, minutes));
    let limit = procedure.limit.as_ref().map(|l| l.value);
    let result_due = limit.map(|minutes| calendar.due(received, minutes));

    let last = [worst_case_due, result_due]
        .into_iter()
        .flatten()
        .max()
        .unwrap_or(clock_starts)
        .max(clock_starts);
    let first_day = clock_starts.date().min(received.date());
    Schedule {
        received,
        clock_starts,
        steps,
        worst_case,
        worst_case_due,
        limit,
        result_due,
        days_off: days_off(calendar, first_day, last.date()),
        computed_years: (first_day.year()..=last.year())
            .filter(|year| !ANNOUNCED_YEARS.contains(year))
            .collect(),
    }
}

/// The days off in `[from, to]`, when the span is short enough to list.
fn days_off(
    calendar: &WorkingCalendar,
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<(NaiveDate, DayOff)> {
    if (to - from).num_days() > MAX_LISTED_SPAN_DAYS {
        return Vec::new();
    }
    from.iter_days()
        .take_while(|day| *day <= to)
        .filter_map(|day| calendar.day_off(day).map(|off| (day, off)))
        .collect()
}

/// Years as ranges for people: `[2027, 2028, 2030]` → `"2027–2028, 2030"`.
pub fn year_ranges(years: &[i32]) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut iter = years.iter().copied().peekable();
    while let Some(first) = iter.next() {
        let mut last = first;
        while let Some(&next) = iter.peek() {
            if next != last + 1 {
                break;
            }
            last = next;
            iter.next();
        }
        out.push(if first == last {
            first.to_string()
        } else {
            format!("{first}–{last}")
        });
    }
    out.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn year_ranges_join_consecutive_years() {
        assert_eq!(year_ranges(&[]), "");
        assert_eq!(year_ranges(&[2027]), "2027");
        assert_eq!(
            year_ranges(&[2021, 2022, 2027, 2028, 2030]),
            "2021–2022, 2027–2028, 2030"
        );
    }
}

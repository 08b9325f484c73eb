//! A seeded discrete-event simulation of dossiers flowing through one procedure.
//!
//! Time is **working time**: the simulation runs on a continuous axis of working seconds, on
//! which every working day has the configured working hours and nothing happens outside them
//! (people work only in working hours, and a dossier's allotted time runs only then). Because
//! every working day of the calendar has the same hours, the working-time axis maps exactly to
//! calendar instants; the simulation needs from the calendar only the length of a working day
//! and where the cutoff falls in it.
//!
//! - Dossiers arrive as a Poisson process at the procedure's `volume`: a month is 22 working
//!   days and a year 250, as QT305 counts them.
//! - A step done by a role needs its `effort` from one of the role's `staff` (first come,
//!   first served); the rest of its `takes` is waiting that holds no one. A role without
//!   `staff` has as many people as it needs; a step without `effort` holds no one.
//! - An exclusive choice takes each way out with the probability given in [`Options`]
//!   (equal shares by default); a parallel block runs its branches together and its join
//!   waits for every branch; a loop back to an earlier step is taken as any other way out,
//!   at most [`MAX_LOOPS`] times per dossier.
//! - The appointment date is the dossier's due instant: the limit from the moment its clock
//!   starts (the next working day when received after the cutoff), pushed back by the time the
//!   clock is stopped for the citizen. A dossier finished by then is on time (Decision
//!   766/QĐ-TTg, indicator 2.1).
//!
//! The same procedure, options and seed give the same [`Report`], bit for bit.

mod engine;

use crate::calendar::{CalendarSettings, WorkingCalendar};
use crate::diag::Text;
use crate::graph::FlowGraph;
use crate::model::{Actor, Minutes, NodeRef, Procedure};
use crate::text::nearest;

/// The times a dossier may go back along a loop; after that it takes the ways out that lead
/// to a result without looping, when there are such ways.
pub const MAX_LOOPS: u32 = 10;
/// The steps a dossier may start before it is given up as caught in a loop.
pub const MAX_STEPS_PER_DOSSIER: u32 = 10_000;
/// The largest number of dossiers simulated in one run.
pub const MAX_DOSSIERS: u64 = 10_000_000;

/// What to simulate.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// How many dossiers arrive.
    pub dossiers: u64,
    /// The seed of the random numbers.
    pub seed: u64,
    /// Probabilities of ways out of exclusive choices; the ways not given share what is left
    /// equally.
    pub branches: Vec<BranchSetting>,
}

/// `--branch FROM:TO=P`: from step `from`, the way out to `to` is taken with probability `p`.
#[derive(Debug, Clone, PartialEq)]
pub struct BranchSetting {
    /// The step where the choice is made.
    pub from: String,
    /// The step the way out leads to (for a way into a parallel block, any step the block
    /// starts with).
    pub to: String,
    /// Between 0 and 1.
    pub probability: f64,
}

impl BranchSetting {
    /// Reads `FROM:TO=P`, `P` a number from 0 to 1 or a percentage (`20%`).
    pub fn parse(text: &str) -> Result<BranchSetting, String> {
        let usage = || {
            format!(
                "`{text}` is not a branch probability in the form FROM:TO=P, e.g. \
                 appraise:ask_more=0.2 or appraise:ask_more=20%"
            )
        };
        let (hop, value) = text.split_once('=').ok_or_else(usage)?;
        let (from, to) = hop.split_once(':').ok_or_else(usage)?;
        let (from, to, value) = (from.trim(), to.trim(), value.trim());
        if from.is_empty() || to.is_empty() {
            return Err(usage());
        }
        let probability = match value.strip_suffix('%') {
            Some(percent) => percent.trim().parse::<f64>().map(|p| p / 100.0),
            None => value.parse::<f64>(),
        }
        .map_err(|_| usage())?;
        if !(0.0..=1.0).contains(&probability) {
            return Err(format!(
                "the probability in `{text}` must be between 0 and 1 (or 0% and 100%)"
            ));
        }
        Ok(BranchSetting {
            from: from.to_string(),
            to: to.to_string(),
            probability,
        })
    }
}

/// Why a procedure cannot be simulated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetupError(pub Text);

/// The shape of a working day on the working-time axis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorkingDay {
    /// Working minutes in a working day (480 with the default hours).
    pub minutes: u64,
    /// Working minutes of the day before the cutoff: a dossier received later starts its
    /// clock the next working day.
    pub cutoff: u64,
}

impl WorkingDay {
    /// The working day of a calendar; `None` when it has no working time.
    pub fn of(settings: &CalendarSettings) -> Option<WorkingDay> {
        let calendar = WorkingCalendar::new(settings);
        let minutes = calendar.working_minutes_per_day();
        let origin = chrono::NaiveDate::from_ymd_opt(2000, 1, 1)?;
        let day = calendar.next_working_day(origin)?;
        let cutoff = calendar.working_minutes_between(
            day.and_time(chrono::NaiveTime::MIN),
            day.and_time(settings.cutoff),
        );
        (minutes > 0).then_some(WorkingDay {
            minutes,
            cutoff: cutoff.min(minutes),
        })
    }
}

impl Default for WorkingDay {
    /// 07:30–11:30 and 13:00–17:00, cutoff 15:00.
    fn default() -> Self {
        WorkingDay {
            minutes: 480,
            cutoff: 360,
        }
    }
}

/// An exclusive choice and the probability of each way out.
#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    /// The step where the choice is made.
    pub step: usize,
    pub ways: Vec<Way>,
}

/// One way out of a choice.
#[derive(Debug, Clone, PartialEq)]
pub struct Way {
    /// Index into `procedure.edges`: the first hop.
    pub edge: usize,
    /// The steps it leads to (several for a parallel block).
    pub steps: Vec<usize>,
    pub probability: f64,
}

/// The load of one role.
#[derive(Debug, Clone, PartialEq)]
pub struct RoleLoad {
    /// Index into `procedure.agencies`.
    pub agency: usize,
    /// Index into the agency's roles.
    pub role: usize,
    /// Its head count; `None`: as many people as needed.
    pub staff: Option<u32>,
    /// The share of its people's working time spent on dossiers while dossiers arrived;
    /// `None` without `staff`.
    pub utilisation: Option<f64>,
    /// ρ as QT305 computes it from the volume for this procedure alone (every step with
    /// `effort` done once per dossier); `None` without `staff` or `effort`.
    pub rho: Option<f64>,
    /// Hands-on minutes spent, in all.
    pub busy_minutes: f64,
    /// Steps it served.
    pub services: u64,
    /// Mean working minutes a dossier waited in its queue.
    pub mean_wait_minutes: f64,
}

/// What a simulation found.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// Dossiers that arrived.
    pub dossiers: u64,
    pub seed: u64,
    /// Dossiers arriving per working day.
    pub per_day: f64,
    /// The working day used.
    pub day: WorkingDay,
    /// The procedure's limit, if written.
    pub limit: Option<Minutes>,
    /// The probabilities used at each exclusive choice, in step order.
    pub choices: Vec<Choice>,
    /// Dossiers that reached a result.
    pub finished: u64,
    /// Of those, finished by their appointment date; `None` without a limit.
    pub on_time: Option<u64>,
    /// Dossiers that never reached a result: caught at a join that a branch never reaches,
    /// in a loop, or waiting for a role with no one.
    pub unfinished: u64,
    /// Dossiers that went round loops [`MAX_LOOPS`] times.
    pub loop_bound_reached: u64,
    /// Mean working minutes from receipt to result, the citizen's time left out
    /// (indicator 2.2).
    pub processing_mean: f64,
    /// Working minutes from receipt to result, the citizen's time included: mean, and the
    /// 50th, 90th and 99th percentiles (nearest rank).
    pub cycle_mean: f64,
    pub cycle_p50: f64,
    pub cycle_p90: f64,
    pub cycle_p99: f64,
    /// Every role that does a step, in order of first use.
    pub roles: Vec<RoleLoad>,
    /// Index into `roles` of the role with the highest utilisation, if any is above zero.
    pub bottleneck: Option<usize>,
    /// Steps started, over all dossiers.
    pub dossier_steps: u64,
    /// Working minutes from the first arrival to the last.
    pub arrival_window: f64,
    /// With a log ([`simulate_logged`]): the time dossiers spent in each step they finished,
    /// visits added (the audit's per-step times); empty otherwise.
    pub steps: Vec<StepTimes>,
}

/// The time dossiers spent in one step (nearest-rank percentiles, as the audit computes them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepTimes {
    /// Index into `procedure.steps`.
    pub step: usize,
    /// Dossiers that finished the step at least once.
    pub dossiers: u64,
    /// Working seconds.
    pub median_seconds: u64,
    pub p90_seconds: u64,
}

/// One event of a simulated dossier, for the event log (`simulate --log`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LogEvent {
    /// The dossier's number, from 1 in order of arrival.
    pub dossier: u64,
    /// Index into `procedure.steps`.
    pub step: usize,
    /// Working seconds from the start of the simulation.
    pub time: u64,
    /// When the dossier arrived, in working seconds.
    pub arrival: u64,
    /// The dossier enters the step (`start`; its queue included), else finishes it (`complete`).
    pub start: bool,
}

impl Report {
    /// Dossiers finished after their appointment date: each needs a letter of apology
    /// (phiếu xin lỗi và hẹn lại ngày trả kết quả).
    pub fn late(&self) -> Option<u64> {
        self.on_time.map(|on_time| self.finished - on_time)
    }

    /// The share of finished dossiers that were on time.
    pub fn on_time_rate(&self) -> Option<f64> {
        let on_time = self.on_time?;
        (self.finished > 0).then(|| on_time as f64 / self.finished as f64)
    }
}

/// Simulates `options.dossiers` dossiers through the procedure of `graph`.
pub fn simulate(
    graph: &FlowGraph,
    day: WorkingDay,
    options: &Options,
) -> Result<Report, SetupError> {
    run(graph, day, options, None)
}

/// Simulates as [`simulate`] and hands every step's start and completion to `log`, in time
/// order; the report then holds the per-step times ([`Report::steps`]).
pub fn simulate_logged(
    graph: &FlowGraph,
    day: WorkingDay,
    options: &Options,
    log: &mut dyn FnMut(&LogEvent),
) -> Result<Report, SetupError> {
    run(graph, day, options, Some(log))
}

fn run(
    graph: &FlowGraph,
    day: WorkingDay,
    options: &Options,
    log: Option<&mut dyn FnMut(&LogEvent)>,
) -> Result<Report, SetupError> {
    let procedure = graph.procedure;
    let Some(volume) = procedure.volume.as_ref().map(|v| v.value) else {
        return Err(SetupError(Text::new(
            format!(
                "procedure `{}` has no `volume`: write the expected dossiers, e.g. `volume 120/month`",
                procedure.id
            ),
            format!(
                "quy trình `{}` chưa có `volume` (số hồ sơ dự kiến): hãy ghi, ví dụ `volume 120/month`",
                procedure.id
            ),
        )));
    };
    let rate = volume.per_working_day();
    if !(rate.is_finite() && rate > 0.0) {
        return Err(SetupError(Text::new(
            format!(
                "procedure `{}` expects no dossier: its `volume` is 0",
                procedure.id
            ),
            format!(
                "quy trình `{}` có `volume` bằng 0: không có hồ sơ nào để mô phỏng",
                procedure.id
            ),
        )));
    }
    if procedure.steps.is_empty() {
        return Err(SetupError(Text::new(
            format!("procedure `{}` has no step", procedure.id),
            format!("quy trình `{}` chưa có bước nào", procedure.id),
        )));
    }
    if options.dossiers == 0 || options.dossiers > MAX_DOSSIERS {
        return Err(SetupError(Text::new(
            format!("the number of dossiers must be from 1 to {MAX_DOSSIERS}"),
            format!("số hồ sơ phải từ 1 đến {MAX_DOSSIERS}"),
        )));
    }
    let choices = choices(graph, &options.branches)?;
    let roles = roles(procedure);
    let mut report = engine::run(graph, day, rate, &choices, &roles, options, log);
    for load in &mut report.roles {
        load.rho = rho(procedure, load, rate, day);
    }
    report.bottleneck = report
        .roles
        .iter()
        .enumerate()
        .filter_map(|(i, load)| Some((i, load.utilisation?)))
        .filter(|&(_, u)| u > 0.0)
        .fold(None, |best: Option<(usize, f64)>, (i, u)| match best {
            Some((_, b)) if b >= u => best,
            _ => Some((i, u)),
        })
        .map(|(i, _)| i);
    report.choices = choices;
    report.limit = procedure.limit.as_ref().map(|l| l.value);
    Ok(report)
}

/// ρ of QT305 for one role, this procedure's steps only.
fn rho(procedure: &Procedure, load: &RoleLoad, rate: f64, day: WorkingDay) -> Option<f64> {
    let staff = f64::from(load.staff?);
    let effort: Minutes = procedure
        .steps
        .iter()
        .filter(|s| {
            matches!(s.by.as_ref().map(|b| b.value),
                Some(Actor::Role { agency, role }) if agency == load.agency && role == load.role)
        })
        .filter_map(|s| s.effort.as_ref().map(|e| e.value))
        .sum();
    (effort > 0 && staff > 0.0).then(|| rate * effort as f64 / (staff * day.minutes as f64))
}

/// Every role that does a step, in order of first use.
fn roles(procedure: &Procedure) -> Vec<RoleLoad> {
    let mut roles: Vec<RoleLoad> = Vec::new();
    for step in &procedure.steps {
        let Some(Actor::Role { agency, role }) = step.by.as_ref().map(|b| b.value) else {
            continue;
        };
        if roles.iter().any(|r| r.agency == agency && r.role == role) {
            continue;
        }
        let staff = procedure
            .agencies
            .get(agency)
            .and_then(|a| a.roles.get(role))
            .and_then(|r| r.staff);
        roles.push(RoleLoad {
            agency,
            role,
            staff,
            utilisation: None,
            rho: None,
            busy_minutes: 0.0,
            services: 0,
            mean_wait_minutes: 0.0,
        });
    }
    roles
}

/// The exclusive choices of the procedure with their probabilities: equal shares, then the
/// settings given.
fn choices(graph: &FlowGraph, settings: &[BranchSetting]) -> Result<Vec<Choice>, SetupError> {
    let procedure = graph.procedure;
    let mut choices = Vec::new();
    for step in 0..procedure.steps.len() {
        let hops = graph.outgoing(graph.node(NodeRef::Step(step)));
        if hops.len() < 2 {
            continue;
        }
        let successors = graph.step_successors(step);
        let share = 1.0 / hops.len() as f64;
        let ways = hops
            .iter()
            .map(|&edge| Way {
                edge,
                steps: successors
                    .iter()
                    .filter(|&&(first, _)| first == edge)
                    .map(|&(_, s)| s)
                    .collect(),
                probability: share,
            })
            .collect();
        choices.push(Choice { step, ways });
    }

    let step_ids = || procedure.steps.iter().map(|s| s.id.as_str());
    let mut given: Vec<(usize, usize)> = Vec::new();
    for setting in settings {
        let Some(from) = procedure.step(&setting.from) else {
            let hint = nearest(&setting.from, step_ids())
                .map(|n| format!("; did you mean `{n}`?"))
                .unwrap_or_default();
            return Err(SetupError(Text::new(
                format!(
                    "`--branch {}:…`: procedure `{}` has no step `{}`{hint}",
                    setting.from, procedure.id, setting.from
                ),
                format!(
                    "`--branch {}:…`: quy trình `{}` không có bước `{}`{hint}",
                    setting.from, procedure.id, setting.from
                ),
            )));
        };
        let Some(c) = choices.iter().position(|c| c.step == from) else {
            return Err(SetupError(Text::new(
                format!(
                    "`--branch {}:…`: step `{}` is not a choice, it has a single way out",
                    setting.from, setting.from
                ),
                format!(
                    "`--branch {}:…`: bước `{}` không rẽ nhánh, chỉ có một hướng đi tiếp",
                    setting.from, setting.from
                ),
            )));
        };
        let choice = &mut choices[c];
        let names = |choice: &Choice| {
            choice
                .ways
                .iter()
                .flat_map(|w| w.steps.iter())
                .filter_map(|&s| procedure.steps.get(s).map(|s| format!("`{}`", s.id)))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let Some(w) = choice.ways.iter().position(|w| {
            w.steps
                .iter()
                .any(|&s| procedure.steps.get(s).is_some_and(|s| s.id == setting.to))
        }) else {
            let ways = names(choice);
            return Err(SetupError(Text::new(
                format!(
                    "`--branch {}:{}`: no way out of `{}` leads to `{}`; its ways out lead to {ways}",
                    setting.from, setting.to, setting.from, setting.to
                ),
                format!(
                    "`--branch {}:{}`: từ bước `{}` không có hướng nào đến `{}`; các hướng đi tiếp: {ways}",
                    setting.from, setting.to, setting.from, setting.to
                ),
            )));
        };
        if given.contains(&(c, w)) {
            return Err(SetupError(Text::new(
                format!("`--branch {}:{}` is given twice", setting.from, setting.to),
                format!(
                    "`--branch {}:{}` được ghi hai lần",
                    setting.from, setting.to
                ),
            )));
        }
        given.push((c, w));
        if let Some(way) = choice.ways.get_mut(w) {
            way.probability = setting.probability;
        }
    }

    for (c, choice) in choices.iter_mut().enumerate() {
        let set: Vec<usize> = given
            .iter()
            .filter(|(gc, _)| *gc == c)
            .map(|&(_, w)| w)
            .collect();
        if set.is_empty() {
            continue;
        }
        let total: f64 = set
            .iter()
            .filter_map(|&w| choice.ways.get(w))
            .map(|w| w.probability)
            .sum();
        let rest = choice.ways.len() - set.len();
        let id = procedure
            .steps
            .get(choice.step)
            .map_or("", |s| s.id.as_str());
        const SLACK: f64 = 1e-9;
        if total > 1.0 + SLACK || (rest == 0 && (total - 1.0).abs() > 1e-6) {
            let sum = (total * 1e6).round() / 1e6;
            return Err(SetupError(Text::new(
                format!(
                    "the probabilities of the ways out of `{id}` add up to {sum}; they must add up to 1"
                ),
                format!(
                    "tổng xác suất các hướng đi tiếp từ bước `{id}` là {sum}; tổng phải bằng 1"
                ),
            )));
        }
        let share = if rest == 0 {
            0.0
        } else {
            (1.0 - total).max(0.0) / rest as f64
        };
        for (w, way) in choice.ways.iter_mut().enumerate() {
            if !set.contains(&w) {
                way.probability = share;
            }
        }
    }
    Ok(choices)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn branch_settings_are_read() {
        let b = BranchSetting::parse("appraise:ask_more=0.2").unwrap();
        assert_eq!((b.from.as_str(), b.to.as_str()), ("appraise", "ask_more"));
        assert!((b.probability - 0.2).abs() < 1e-12);
        let b = BranchSetting::parse(" a : b = 35% ").unwrap();
        assert!((b.probability - 0.35).abs() < 1e-12);
        for bad in [
            "a:b", "a=0.2", ":b=0.1", "a:b=x", "a:b=1.5", "a:b=-1%", "a:b=NaN",
        ] {
            assert!(BranchSetting::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_default_working_day_has_its_cutoff_at_six_hours() {
        assert_eq!(
            WorkingDay::of(&CalendarSettings::default()),
            Some(WorkingDay::default())
        );
    }
}

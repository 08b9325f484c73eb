//! The monthly report to the People's Committee Office (AUDIT.md, "The monthly report"):
//! the audited dossiers of a log counted for one month, per agency and per procedure, in
//! the columns of the reporting form of Circular 01/2020/TT-VPCP, with the late list, the
//! apologies owed and the approval and re-engineering state of the project.
//!
//! Counting for month M (instants in Vietnam time; M runs from its first day 00:00 to the
//! next month's first day 00:00), for the dossiers matched to a procedure:
//! - `received_*`: R in M, by channel;
//! - `carried_over`: R before M and not finished before M;
//! - `settled_on_time` / `settled_late`: F in M (a dossier with no deadline to judge it by
//!   counts as on time: nothing says it was late);
//! - `pending_not_due` / `pending_overdue`: R before the end of M and not finished by then,
//!   overdue when D is before the end of M.
//!
//! Every row balances: received + carried over = settled + pending. 2.1 and 2.2 of a row are
//! the audit's own figures ([`Tally`]) over the dossiers the row settled, so the report and
//! `audit` agree over the same dossiers.
//!
//! A procedure's dossiers are reported under one agency, the one that settles it: the agency
//! of the last signature on its worst-case path (the deciding body), else of its last step
//! before the result that belongs to an agency. Agencies are listed by name, procedures by
//! name under them.

pub mod html;
pub mod table;

use chrono::{Datelike, NaiveDate, NaiveDateTime};

use crate::audit::figures::Tally;
use crate::audit::{Audit, Channel, Dossier, Status};
use crate::diag::Text;
use crate::graph::FlowGraph;
use crate::model::Kind;

/// A calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Month {
    pub year: i32,
    pub month: u32,
}

impl Month {
    /// Reads `YYYY-MM`.
    pub fn parse(text: &str) -> Result<Month, Text> {
        let bad = || {
            Text::new(
                format!("`{text}` is not a month: write it as YYYY-MM, for example 2026-11"),
                format!("`{text}` không phải là một tháng: ghi theo dạng NNNN-TT, ví dụ 2026-11"),
            )
        };
        let (y, m) = text.trim().split_once('-').ok_or_else(bad)?;
        if y.len() != 4 || m.len() != 2 {
            return Err(bad());
        }
        let year: i32 = y.parse().map_err(|_| bad())?;
        let month: u32 = m.parse().map_err(|_| bad())?;
        if !(1..=12).contains(&month) || !(1900..=9998).contains(&year) {
            return Err(bad());
        }
        Ok(Month { year, month })
    }

    /// The first day.
    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or_default()
    }

    /// The first day of the next month.
    pub fn next_first_day(self) -> NaiveDate {
        let (y, m) = if self.month == 12 {
            (self.year + 1, 1)
        } else {
            (self.year, self.month + 1)
        };
        NaiveDate::from_ymd_opt(y, m, 1).unwrap_or_default()
    }

    /// The last day.
    pub fn last_day(self) -> NaiveDate {
        self.next_first_day().pred_opt().unwrap_or_default()
    }

    /// 00:00 of the first day.
    pub fn start(self) -> NaiveDateTime {
        self.first_day().and_time(chrono::NaiveTime::MIN)
    }

    /// 00:00 of the next month's first day.
    pub fn end(self) -> NaiveDateTime {
        self.next_first_day().and_time(chrono::NaiveTime::MIN)
    }

    /// `YYYY-MM`.
    pub fn iso(self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }

    /// `MM/YYYY`, as a Vietnamese title writes it.
    pub fn vi(self) -> String {
        format!("{:02}/{:04}", self.month, self.year)
    }

    /// The month of an instant.
    pub fn of(t: NaiveDateTime) -> Month {
        Month {
            year: t.year(),
            month: t.month(),
        }
    }
}

/// One line of the settlement table (ROW of AUDIT.md).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Row {
    pub received_online: u64,
    pub received_direct: u64,
    pub received_post: u64,
    pub received_other: u64,
    pub carried_over: u64,
    pub settled_on_time: u64,
    pub settled_late: u64,
    pub pending_not_due: u64,
    pub pending_overdue: u64,
    /// 2.1: settled on time / settled (judged by a deadline).
    pub on_time_rate: Option<f64>,
    /// 2.2: mean settlement time of the dossiers settled in the month, in working days.
    pub avg_working_days: Option<f64>,
}

impl Row {
    pub fn received(&self) -> u64 {
        self.received_online + self.received_direct + self.received_post + self.received_other
    }
    pub fn settled(&self) -> u64 {
        self.settled_on_time + self.settled_late
    }
    pub fn pending(&self) -> u64 {
        self.pending_not_due + self.pending_overdue
    }
    /// Received + carried over = settled + pending.
    pub fn balances(&self) -> bool {
        self.received() + self.carried_over == self.settled() + self.pending()
    }
}

/// Where a dossier stands in a month, or `None` when the month does not see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// Settled in the month; `true` on time.
    Settled { on_time: bool },
    /// Not finished at the end of the month; `true` overdue then.
    Pending { overdue: bool },
}

/// How a dossier counts in month `m`: whether it was received in it, carried over into it,
/// and where it stands at its end. `None`: received after M, or finished before M.
pub fn place(d: &Dossier, m: Month) -> Option<(bool, Place)> {
    let (start, end) = (m.start(), m.end());
    if d.received >= end || d.finished.is_some_and(|f| f < start) {
        return None;
    }
    let received_in_month = d.received >= start;
    let place = match d.finished {
        Some(f) if f < end => Place::Settled {
            on_time: d.status() != Status::Late,
        },
        _ => Place::Pending {
            overdue: d.deadline.is_some_and(|dl| dl < end),
        },
    };
    Some((received_in_month, place))
}

/// Adds dossiers up into a [`Row`].
#[derive(Default)]
struct Counter {
    row: Row,
    settled: Tally,
}

impl Counter {
    fn add(&mut self, d: &Dossier, received_in_month: bool, place: Place, as_of: NaiveDateTime) {
        let r = &mut self.row;
        if received_in_month {
            match d.channel {
                Channel::Online => r.received_online += 1,
                Channel::Direct => r.received_direct += 1,
                Channel::Post => r.received_post += 1,
                Channel::Other => r.received_other += 1,
            }
        } else {
            r.carried_over += 1;
        }
        match place {
            Place::Settled { on_time: true } => r.settled_on_time += 1,
            Place::Settled { on_time: false } => r.settled_late += 1,
            Place::Pending { overdue: false } => r.pending_not_due += 1,
            Place::Pending { overdue: true } => r.pending_overdue += 1,
        }
        if matches!(place, Place::Settled { .. }) {
            self.settled.add(d, as_of);
        }
    }

    fn finish(self, audit: &Audit) -> Row {
        let figures = self.settled.finish(audit);
        Row {
            on_time_rate: figures.on_time_rate,
            avg_working_days: figures.avg_working_days,
            ..self.row
        }
    }
}

/// A procedure's line, under its agency.
#[derive(Debug, Clone, PartialEq)]
pub struct ProcedureRow {
    /// Index into the audit's graphs.
    pub index: usize,
    pub id: String,
    pub code: Option<String>,
    pub name: String,
    pub row: Row,
}

/// An agency's total and its procedures.
#[derive(Debug, Clone, PartialEq)]
pub struct AgencyRows {
    pub id: String,
    pub name: String,
    pub total: Row,
    pub procedures: Vec<ProcedureRow>,
}

/// A dossier settled late in the month, or overdue at its end.
#[derive(Debug, Clone, PartialEq)]
pub struct LateEntry {
    pub id: String,
    /// Index into the audit's graphs.
    pub procedure: usize,
    pub received: NaiveDateTime,
    pub deadline: Option<NaiveDateTime>,
    /// `None`: still in progress at the end of the month.
    pub finished: Option<NaiveDateTime>,
    /// Counted working hours past the deadline (to F, or to the end of the month).
    pub hours_late: f64,
    /// The step with the largest overrun, its overrun in hours and who worked on it.
    pub step: Option<usize>,
    pub overrun_hours: Option<f64>,
    pub resources: Vec<String>,
}

/// The month, counted.
#[derive(Debug, Clone, PartialEq)]
pub struct Monthly {
    pub month: Month,
    /// The latest event of the log: the report is complete only if it is past the month.
    pub as_of: Option<NaiveDateTime>,
    pub total: Row,
    pub agencies: Vec<AgencyRows>,
    pub late: Vec<LateEntry>,
    /// Dossiers settled late in the month or overdue at its end: each owes a letter of
    /// apology (phiếu xin lỗi và hẹn lại ngày trả kết quả).
    pub apologies_owed: u64,
    /// Dossiers of the month that match no procedure of the project (not in the table).
    pub unmatched: u64,
    /// Dossiers of the log the month sees, matched or not.
    pub seen: u64,
}

/// The agency that settles a procedure: of its last signature on the worst-case path, else
/// of its last step (on that path) done by an agency, else of its first step.
pub fn settling_agency(g: &FlowGraph) -> Option<usize> {
    let p = g.procedure;
    let path: Vec<usize> = g
        .worst
        .as_ref()
        .map(|w| w.steps.clone())
        .unwrap_or_default();
    let sign = path
        .iter()
        .rev()
        .find(|&&s| p.steps[s].kind() == Some(Kind::Sign))
        .and_then(|&s| p.steps[s].agency());
    sign.or_else(|| path.iter().rev().find_map(|&s| p.steps[s].agency()))
        .or_else(|| p.steps.iter().find_map(|s| s.agency()))
}

/// Counts the month `m` of an audit.
pub fn monthly(audit: &Audit, m: Month) -> Monthly {
    let end = m.end();
    let as_of = audit.latest.map_or(end, |l| l.min(end));
    // Each procedure's agency, as an index into `agencies` (sorted by name, then id).
    let keys: Vec<(String, String)> = audit
        .graphs
        .iter()
        .map(|g| {
            settling_agency(g)
                .and_then(|a| g.procedure.agencies.get(a))
                .map_or_else(Default::default, |a| (a.name.clone(), a.id.clone()))
        })
        .collect();
    let agencies: Vec<&(String, String)> = {
        let mut v: Vec<&(String, String)> = keys.iter().collect();
        v.sort();
        v.dedup();
        v
    };
    let agency_of: Vec<usize> = keys
        .iter()
        .map(|k| agencies.binary_search(&k).unwrap_or(0))
        .collect();
    let mut per_procedure: Vec<Counter> = audit.graphs.iter().map(|_| Counter::default()).collect();
    let mut per_agency: Vec<Counter> = agencies.iter().map(|_| Counter::default()).collect();
    let mut total = Counter::default();
    let mut late = Vec::new();
    let (mut unmatched, mut seen) = (0, 0);
    for d in &audit.dossiers {
        let Some((received_in_month, place)) = place(d, m) else {
            continue;
        };
        seen += 1;
        let Some(p) = d.procedure.filter(|&p| p < audit.graphs.len()) else {
            unmatched += 1;
            continue;
        };
        per_procedure[p].add(d, received_in_month, place, as_of);
        per_agency[agency_of[p]].add(d, received_in_month, place, as_of);
        total.add(d, received_in_month, place, as_of);
        if matches!(
            place,
            Place::Settled { on_time: false } | Place::Pending { overdue: true }
        ) {
            late.push(late_entry(audit, d, p, end));
        }
    }
    let mut lines: Vec<Vec<ProcedureRow>> = agencies.iter().map(|_| Vec::new()).collect();
    for (p, counter) in per_procedure.into_iter().enumerate() {
        if counter.row == Row::default() {
            continue;
        }
        let procedure = audit.graphs[p].procedure;
        lines[agency_of[p]].push(ProcedureRow {
            index: p,
            id: procedure.id.clone(),
            code: procedure.code.clone(),
            name: procedure.name.clone(),
            row: counter.finish(audit),
        });
    }
    let mut rows = Vec::new();
    for (((name, id), mut procedures), counter) in agencies.into_iter().zip(lines).zip(per_agency) {
        if procedures.is_empty() {
            continue;
        }
        procedures.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.id.cmp(&b.id)));
        rows.push(AgencyRows {
            id: id.clone(),
            name: if name.is_empty() {
                "(không xác định)".to_string()
            } else {
                name.clone()
            },
            total: counter.finish(audit),
            procedures,
        });
    }
    late.sort_by(|a: &LateEntry, b: &LateEntry| {
        b.hours_late
            .total_cmp(&a.hours_late)
            .then_with(|| a.id.cmp(&b.id))
    });
    let apologies_owed = late.len() as u64;
    Monthly {
        month: m,
        as_of: audit.latest,
        total: total.finish(audit),
        agencies: rows,
        late,
        apologies_owed,
        unmatched,
        seen,
    }
}

fn late_entry(audit: &Audit, d: &Dossier, p: usize, end: NaiveDateTime) -> LateEntry {
    let finished = d.finished.filter(|&f| f < end);
    let stop = finished.unwrap_or(end);
    let hours_late = d
        .deadline
        .filter(|&dl| stop > dl)
        .map_or(0.0, |dl| audit.clock.seconds(dl, stop) as f64 / 3600.0);
    let procedure = audit.graphs[p].procedure;
    let overrun = d.overrun(procedure, &audit.clock);
    LateEntry {
        id: d.id.to_string(),
        procedure: p,
        received: d.received,
        deadline: d.deadline,
        finished,
        hours_late,
        step: overrun.map(|(t, _)| t.step),
        overrun_hours: overrun.map(|(_, o)| o as f64 / 3600.0),
        resources: overrun
            .map(|(t, _)| {
                t.resources
                    .iter()
                    .filter_map(|&r| audit.resources.get(r as usize))
                    .map(|r| r.to_string())
                    .collect()
            })
            .unwrap_or_default(),
    }
}

/// The approval and re-engineering state of the project's procedures, from `check`'s
/// analyses on the report's date.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ProjectState {
    pub approved: u64,
    /// Not yet approved (draft or submitted).
    pub draft: u64,
    /// Not approved and past the approval deadline (QT404 at error level).
    pub past_deadline: u64,
    /// Working hours the redundancy findings would save, summed over the procedures.
    pub savings_hours: f64,
    /// Review and sign steps those findings propose to cut.
    pub levels_cut: u64,
    /// Procedures with a proposal (a redundancy finding).
    pub with_proposal: u64,
}

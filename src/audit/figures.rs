//! The figures of AUDIT.md, computed from the dossiers: per procedure, per agency, for the
//! dossiers matched to no procedure, and for the whole log.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDateTime;

use super::columns::Channel;
use super::dossier::{Audit, Dossier, Status};

/// Variants listed by frequency.
pub const TOP_VARIANTS: usize = 10;

/// The nearest-rank percentile `p` (0–1) of sorted values.
pub fn nearest_rank(sorted: &[u64], p: f64) -> Option<u64> {
    let n = sorted.len();
    if n == 0 {
        return None;
    }
    let rank = ((p * n as f64).ceil() as usize).clamp(1, n);
    sorted.get(rank - 1).copied()
}

/// FIGURES of AUDIT.md for a set of dossiers.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Figures {
    pub dossiers: u64,
    pub finished: u64,
    pub on_time: u64,
    pub late: u64,
    pub in_progress: u64,
    pub overdue: u64,
    /// 2.1: on time / finished dossiers with a deadline.
    pub on_time_rate: Option<f64>,
    /// 2.2: mean settlement time, in working days (calendar days under `24x7`).
    pub avg_working_days: Option<f64>,
    pub p50_hours: Option<f64>,
    pub p90_hours: Option<f64>,
    /// Dossiers by channel, in the order of [`Channel::ALL`].
    pub by_channel: [u64; 4],
    /// Distinct activity sequences.
    pub variant_count: u64,
    /// The most frequent: activity names and dossiers.
    pub top_variants: Vec<(Vec<String>, u64)>,
    pub apologies_owed: u64,
    pub skipped_rows: u64,
}

/// Adds dossiers up into [`Figures`].
#[derive(Debug, Default)]
pub struct Tally {
    figures: Figures,
    settlements: Vec<u64>,
    variants: HashMap<u32, u64>,
}

impl Tally {
    pub fn add(&mut self, d: &Dossier, as_of: NaiveDateTime) {
        let f = &mut self.figures;
        f.dossiers += 1;
        match d.status() {
            Status::OnTime => f.on_time += 1,
            Status::Late => f.late += 1,
            Status::Finished => {}
            Status::InProgress => f.in_progress += 1,
        }
        if d.finished.is_some() {
            f.finished += 1;
        }
        if d.overdue(as_of) {
            f.overdue += 1;
        }
        if d.owes_apology(as_of) {
            f.apologies_owed += 1;
        }
        let channel = Channel::ALL
            .iter()
            .position(|c| *c == d.channel)
            .unwrap_or(3);
        f.by_channel[channel] += 1;
        if let Some(s) = d.settlement {
            self.settlements.push(s);
        }
        *self.variants.entry(d.variant).or_default() += 1;
    }

    pub fn finish(mut self, audit: &Audit) -> Figures {
        let mut f = self.figures;
        let judged = f.on_time + f.late;
        f.on_time_rate = (judged > 0).then(|| f.on_time as f64 / judged as f64);
        self.settlements.sort_unstable();
        let n = self.settlements.len();
        if n > 0 {
            let total: u128 = self.settlements.iter().map(|&s| u128::from(s)).sum();
            f.avg_working_days = Some(total as f64 / n as f64 / audit.clock.day_seconds() as f64);
        }
        f.p50_hours = nearest_rank(&self.settlements, 0.5).map(|s| s as f64 / 3600.0);
        f.p90_hours = nearest_rank(&self.settlements, 0.9).map(|s| s as f64 / 3600.0);
        f.variant_count = self.variants.len() as u64;
        let mut variants: Vec<(u32, u64)> = self.variants.into_iter().collect();
        // Most frequent first; ties by the sequence, for a stable order.
        let names = |v: u32| -> Vec<String> {
            audit
                .variants
                .get(v as usize)
                .map(|seq| {
                    seq.iter()
                        .map(|&a| {
                            audit
                                .activities
                                .get(a as usize)
                                .map_or("", |s| s)
                                .to_string()
                        })
                        .collect()
                })
                .unwrap_or_default()
        };
        variants.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| names(a.0).cmp(&names(b.0))));
        f.top_variants = variants
            .into_iter()
            .take(TOP_VARIANTS)
            .map(|(v, n)| (names(v), n))
            .collect();
        f
    }
}

/// Per step of a procedure: actual against allotted time.
#[derive(Debug, Clone, PartialEq)]
pub struct StepFigures {
    /// Index into `procedure.steps`.
    pub step: usize,
    /// Dossiers through it.
    pub dossiers: u64,
    pub allotted_hours: Option<f64>,
    pub median_hours: Option<f64>,
    pub p90_hours: Option<f64>,
    /// Of the dossiers with a known time in it, the share above the allotment.
    pub over_allotted_share: Option<f64>,
    /// Dossiers with a known time in it.
    pub timed: u64,
    /// Dossiers sent back or refused right after it.
    pub sent_back: u64,
}

/// A late or overdue dossier.
#[derive(Debug, Clone, PartialEq)]
pub struct LateDossier {
    pub id: String,
    pub procedure: Option<usize>,
    pub received: NaiveDateTime,
    pub deadline: Option<NaiveDateTime>,
    pub finished: Option<NaiveDateTime>,
    pub hours_late: f64,
    /// The step with the largest overrun, its overrun in hours, and who did it.
    pub step: Option<usize>,
    pub overrun_hours: Option<f64>,
    pub resources: Vec<String>,
}

/// Conformance of a procedure's finished dossiers.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Conformance {
    pub finished: u64,
    pub fitting: u64,
    /// Activity name and dossiers, most frequent first.
    pub extra_activities: Vec<(String, u64)>,
    /// Step index and dossiers, most frequent first.
    pub skipped_steps: Vec<(usize, u64)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ProcedureFigures {
    /// Index into [`Audit::graphs`].
    pub index: usize,
    pub figures: Figures,
    pub steps: Vec<StepFigures>,
    pub late_dossiers: Vec<LateDossier>,
    pub conformance: Conformance,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AgencyFigures {
    pub id: String,
    pub name: String,
    pub figures: Figures,
}

/// Every figure of an audit.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub as_of: NaiveDateTime,
    pub total: Figures,
    pub procedures: Vec<ProcedureFigures>,
    pub agencies: Vec<AgencyFigures>,
    pub unmatched: Figures,
    /// Late dossiers matched to no procedure (deadline from the log).
    pub unmatched_late: Vec<LateDossier>,
}

/// The late list entry of a dossier, if it is late or overdue.
pub fn late_entry(audit: &Audit, d: &Dossier, as_of: NaiveDateTime) -> Option<LateDossier> {
    if !d.owes_apology(as_of) {
        return None;
    }
    let graph = d.procedure.and_then(|p| audit.graphs.get(p));
    let overrun = graph.and_then(|g| d.overrun(g.procedure, &audit.clock));
    Some(LateDossier {
        id: d.id.to_string(),
        procedure: d.procedure,
        received: d.received,
        deadline: d.deadline,
        finished: d.finished,
        hours_late: d.hours_late(&audit.clock, as_of).unwrap_or(0.0),
        step: overrun.map(|(t, _)| t.step),
        overrun_hours: overrun.map(|(_, o)| o as f64 / 3600.0),
        resources: overrun
            .map(|(t, _)| {
                t.resources
                    .iter()
                    .filter_map(|&r| audit.resources.get(r as usize).map(|s| s.to_string()))
                    .collect()
            })
            .unwrap_or_default(),
    })
}

fn sort_late(list: &mut [LateDossier]) {
    list.sort_by(|a, b| {
        b.hours_late
            .total_cmp(&a.hours_late)
            .then_with(|| a.id.cmp(&b.id))
    });
}

/// A procedure's conformance, extra activities and skipped steps being counted.
type ConformanceTally = (Conformance, HashMap<u32, u64>, HashMap<usize, u64>);

/// The figures of an audit as of `as_of` (default: the latest event of the log).
pub fn report(audit: &Audit, as_of: Option<NaiveDateTime>) -> Report {
    let as_of = as_of.or(audit.latest).unwrap_or_default();
    let mut total = Tally::default();
    let mut unmatched = Tally::default();
    let mut unmatched_late = Vec::new();
    let mut per_procedure: Vec<Tally> = audit.graphs.iter().map(|_| Tally::default()).collect();
    let mut step_times: Vec<Vec<Vec<u64>>> = audit
        .graphs
        .iter()
        .map(|g| vec![Vec::new(); g.procedure.steps.len()])
        .collect();
    let mut step_counts: Vec<Vec<(u64, u64)>> = audit
        .graphs
        .iter()
        .map(|g| vec![(0, 0); g.procedure.steps.len()])
        .collect();
    let mut late: Vec<Vec<LateDossier>> = audit.graphs.iter().map(|_| Vec::new()).collect();
    let mut conformance: Vec<ConformanceTally> =
        audit.graphs.iter().map(|_| Default::default()).collect();
    // Agencies by id, across procedures.
    let mut agencies: BTreeMap<String, (String, Tally)> = BTreeMap::new();
    for d in &audit.dossiers {
        total.add(d, as_of);
        let Some(p) = d.procedure.filter(|&p| p < audit.graphs.len()) else {
            unmatched.add(d, as_of);
            unmatched_late.extend(late_entry(audit, d, as_of));
            continue;
        };
        let procedure = audit.graphs[p].procedure;
        per_procedure[p].add(d, as_of);
        for t in &d.steps {
            if let Some(c) = step_counts[p].get_mut(t.step) {
                c.0 += 1;
            }
            if let (Some(s), Some(v)) = (t.seconds, step_times[p].get_mut(t.step)) {
                v.push(s);
            }
        }
        for &s in &d.sent_back_after {
            if let Some(c) = step_counts[p].get_mut(s) {
                c.1 += 1;
            }
        }
        late[p].extend(late_entry(audit, d, as_of));
        let (c, extra, skipped) = &mut conformance[p];
        if d.finished.is_some() {
            c.finished += 1;
            if d.fitting == Some(true) {
                c.fitting += 1;
            }
        }
        for &a in &d.extra {
            *extra.entry(a).or_default() += 1;
        }
        for &s in &d.skipped {
            *skipped.entry(s).or_default() += 1;
        }
        for a in d.agencies(procedure) {
            if let Some(agency) = procedure.agencies.get(a) {
                agencies
                    .entry(agency.id.clone())
                    .or_insert_with(|| (agency.name.clone(), Tally::default()))
                    .1
                    .add(d, as_of);
            }
        }
    }
    let mut total = total.finish(audit);
    total.skipped_rows = audit.skipped_rows;
    let mut procedures = Vec::new();
    for (p, tally) in per_procedure.into_iter().enumerate() {
        let procedure = audit.graphs[p].procedure;
        let steps = procedure
            .steps
            .iter()
            .enumerate()
            .map(|(s, step)| {
                let times = &mut step_times[p][s];
                times.sort_unstable();
                let allotted = step.takes.as_ref().map(|t| audit.clock.allotted(t.value));
                let over = allotted.map(|a| times.iter().filter(|&&t| t > a).count() as u64);
                let timed = times.len() as u64;
                StepFigures {
                    step: s,
                    dossiers: step_counts[p][s].0,
                    allotted_hours: allotted.map(|a| a as f64 / 3600.0),
                    median_hours: nearest_rank(times, 0.5).map(|t| t as f64 / 3600.0),
                    p90_hours: nearest_rank(times, 0.9).map(|t| t as f64 / 3600.0),
                    over_allotted_share: over
                        .filter(|_| timed > 0)
                        .map(|o| o as f64 / timed as f64),
                    timed,
                    sent_back: step_counts[p][s].1,
                }
            })
            .collect();
        let mut late_dossiers = std::mem::take(&mut late[p]);
        sort_late(&mut late_dossiers);
        let (mut c, extra, skipped) = std::mem::take(&mut conformance[p]);
        let mut extra: Vec<(String, u64)> = extra
            .into_iter()
            .map(|(a, n)| {
                (
                    audit
                        .activities
                        .get(a as usize)
                        .map_or("", |s| s)
                        .to_string(),
                    n,
                )
            })
            .collect();
        extra.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let mut skipped: Vec<(usize, u64)> = skipped.into_iter().collect();
        skipped.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        c.extra_activities = extra;
        c.skipped_steps = skipped;
        procedures.push(ProcedureFigures {
            index: p,
            figures: tally.finish(audit),
            steps,
            late_dossiers,
            conformance: c,
        });
    }
    sort_late(&mut unmatched_late);
    Report {
        as_of,
        total,
        procedures,
        agencies: agencies
            .into_iter()
            .map(|(id, (name, tally))| AgencyFigures {
                id,
                name,
                figures: tally.finish(audit),
            })
            .collect(),
        unmatched: unmatched.finish(audit),
        unmatched_late,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_are_nearest_rank() {
        let v: Vec<u64> = (1..=10).collect();
        assert_eq!(nearest_rank(&v, 0.5), Some(5));
        assert_eq!(nearest_rank(&v, 0.9), Some(9));
        assert_eq!(nearest_rank(&[7], 0.9), Some(7));
        assert_eq!(nearest_rank(&[], 0.5), None);
        let v: Vec<u64> = (1..=11).collect();
        assert_eq!(nearest_rank(&v, 0.5), Some(6));
    }
}

//! The per-dossier computation: events gathered by dossier (streamed: a dossier is closed as
//! soon as the log moves on after its result), then, for each dossier, R, F, D, settlement
//! time, per-step durations with their resources, the variant and the conformance.

use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{Hash, Hasher};

use chrono::{DateTime, NaiveDate, NaiveDateTime};
use unicode_normalization::UnicodeNormalization;

use super::columns::Channel;
use super::read::{Event, Lifecycle, Sink};
use super::replay::replay;
use crate::calendar::WorkingCalendar;
use crate::diag::Text;
use crate::graph::FlowGraph;
use crate::model::{Kind, Procedure};
use crate::schedule::is_timed;

/// Skipped rows reported by number.
pub const FIRST_SKIPS: usize = 5;

/// How time is measured.
#[derive(Debug)]
pub enum Clock {
    /// Working time on the project's calendar (`--calendar working`, the default).
    Working(WorkingCalendar),
    /// Elapsed time, every hour counted (`--calendar 24x7`).
    Elapsed,
}

impl Clock {
    /// Seconds of counted time in `[a, b)`.
    pub fn seconds(&self, a: NaiveDateTime, b: NaiveDateTime) -> u64 {
        match self {
            Clock::Working(c) => c.working_seconds_between(a, b),
            Clock::Elapsed => u64::try_from((b - a).num_seconds()).unwrap_or(0),
        }
    }

    /// Counted seconds of an allotment written in working minutes: as written on the working
    /// calendar; under `24x7`, a working day of 8 hours is a calendar day of 24 hours.
    pub fn allotted(&self, working_minutes: u64) -> u64 {
        match self {
            Clock::Working(_) => working_minutes.saturating_mul(60),
            Clock::Elapsed => working_minutes.saturating_mul(60 * 3),
        }
    }

    /// Seconds of a working day (for 2.2 in working days): 8 hours, or 24 under `24x7`.
    pub fn day_seconds(&self) -> u64 {
        match self {
            Clock::Working(c) => (c.working_minutes_per_day() * 60).max(1),
            Clock::Elapsed => 86_400,
        }
    }

    /// The due instant of a dossier received at `received` with `allotted` counted seconds,
    /// as `quytrinh due` computes it.
    pub fn due(&self, received: NaiveDateTime, allotted: u64) -> NaiveDateTime {
        match self {
            Clock::Working(c) => c.advance_by_seconds(c.start(received), allotted),
            Clock::Elapsed => received + chrono::Duration::seconds(allotted as i64),
        }
    }

    /// `from` moved later by `seconds` of counted time.
    pub fn advance(&self, from: NaiveDateTime, seconds: u64) -> NaiveDateTime {
        match self {
            Clock::Working(c) => c.advance_by_seconds(from, seconds),
            Clock::Elapsed => from + chrono::Duration::seconds(seconds as i64),
        }
    }

    pub fn name(&self) -> &'static str {
        match self {
            Clock::Working(_) => "working",
            Clock::Elapsed => "24x7",
        }
    }
}

/// What the audit is run with.
pub struct Setup<'a> {
    /// The procedures the log is matched to (none: the log is audited alone).
    pub graphs: &'a [FlowGraph<'a>],
    pub clock: Clock,
    /// `[audit.activities]`: log activity name → step id.
    pub activities: BTreeMap<String, String>,
    /// `--procedure`: every dossier belongs to this procedure (index into `graphs`).
    pub procedure: Option<usize>,
    /// `--from` / `--to`: dossiers received on these dates, inclusive.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

/// One step of one dossier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepTime {
    /// Index into `procedure.steps`.
    pub step: usize,
    /// Counted seconds spent in it, visits added; `None` when unknown (the first event of a
    /// log without `received`).
    pub seconds: Option<u64>,
    /// Who did it (indices into [`Audit::resources`]), in order of first appearance.
    pub resources: Vec<u32>,
}

/// Where a dossier stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    OnTime,
    Late,
    /// Finished, but with no deadline to judge it by.
    Finished,
    InProgress,
}

/// One dossier, computed.
#[derive(Debug, Clone)]
pub struct Dossier {
    pub id: Box<str>,
    /// Index into [`Audit::graphs`]; `None`: matched to no procedure.
    pub procedure: Option<usize>,
    pub channel: Channel,
    /// R: the `received` value, else the first event.
    pub received: NaiveDateTime,
    /// F: the first event of a terminal step (with a procedure), else the last event.
    pub finished: Option<NaiveDateTime>,
    /// D: the `deadline` value, else the due instant of the procedure's limit from R moved
    /// later by the time stopped for the citizen.
    pub deadline: Option<NaiveDateTime>,
    /// Counted seconds from R to F less the time stopped for the citizen.
    pub settlement: Option<u64>,
    /// Counted seconds spent in steps that stop the clock: `supplement` steps, steps
    /// `by citizen`, and steps without `takes` (LANGUAGE.md, "Time semantics").
    pub stopped: u64,
    /// Index into [`Audit::variants`].
    pub variant: u32,
    /// Steps passed, in order of first visit.
    pub steps: Vec<StepTime>,
    /// Activities matching no step (indices into [`Audit::activities`]), distinct.
    pub extra: Vec<u32>,
    /// Whether a finished dossier of a procedure fits it; `None` otherwise.
    pub fitting: Option<bool>,
    /// Steps it skipped (conformance), distinct.
    pub skipped: Vec<usize>,
    /// Steps after which it was sent back (to a step already passed) or refused.
    pub sent_back_after: Vec<usize>,
}

impl Dossier {
    pub fn status(&self) -> Status {
        match (self.finished, self.deadline) {
            (None, _) => Status::InProgress,
            (Some(f), Some(d)) if f <= d => Status::OnTime,
            (Some(_), Some(_)) => Status::Late,
            (Some(_), None) => Status::Finished,
        }
    }

    /// In progress and past its deadline at `as_of`.
    pub fn overdue(&self, as_of: NaiveDateTime) -> bool {
        self.finished.is_none() && self.deadline.is_some_and(|d| as_of > d)
    }

    /// Late or overdue: owes the citizen a letter of apology (phiếu xin lỗi và hẹn lại).
    pub fn owes_apology(&self, as_of: NaiveDateTime) -> bool {
        self.status() == Status::Late || self.overdue(as_of)
    }

    /// Hours past the deadline: F − D when finished, as-of − D when overdue; counted time.
    pub fn hours_late(&self, clock: &Clock, as_of: NaiveDateTime) -> Option<f64> {
        let d = self.deadline?;
        let end = self.finished.unwrap_or(as_of);
        (end > d).then(|| clock.seconds(d, end) as f64 / 3600.0)
    }

    /// The step with the largest overrun (actual − allotted, counted seconds) and the overrun.
    pub fn overrun(&self, procedure: &Procedure, clock: &Clock) -> Option<(&StepTime, u64)> {
        self.steps
            .iter()
            .filter_map(|t| {
                let step = procedure.steps.get(t.step)?;
                let allotted = clock.allotted(step.takes.as_ref()?.value);
                let over = t.seconds?.checked_sub(allotted).filter(|&o| o > 0)?;
                Some((t, over))
            })
            .fold(None, |best: Option<(&StepTime, u64)>, (t, o)| match best {
                Some((_, b)) if b >= o => best,
                _ => Some((t, o)),
            })
    }

    /// The agencies whose steps it passed (indices into `procedure.agencies`), distinct.
    pub fn agencies(&self, procedure: &Procedure) -> Vec<usize> {
        let mut out: Vec<usize> = Vec::new();
        for t in &self.steps {
            if let Some(a) = procedure.steps.get(t.step).and_then(|s| s.agency())
                && !out.contains(&a)
            {
                out.push(a);
            }
        }
        out
    }
}

/// Everything the audit read, per dossier: the input of the figures and of the monthly report.
pub struct Audit<'a> {
    pub graphs: &'a [FlowGraph<'a>],
    pub clock: Clock,
    /// Dossiers received in the `--from`/`--to` window, in order of closing.
    pub dossiers: Vec<Dossier>,
    /// Activity names as written in the log.
    pub activities: Vec<Box<str>>,
    /// Resource names as written in the log.
    pub resources: Vec<Box<str>>,
    /// Distinct activity sequences (indices into `activities`; `start` events left out).
    pub variants: Vec<Vec<u32>>,
    /// Events read.
    pub events: u64,
    /// Rows that could not be read, and the first few with why.
    pub skipped_rows: u64,
    pub first_skips: Vec<(u64, Text)>,
    /// The latest event of the log (the default as-of).
    pub latest: Option<NaiveDateTime>,
}

/// An event kept while its dossier is open: 24 bytes.
#[derive(Debug, Clone, Copy)]
struct Ev {
    /// Seconds since 1970 of the Vietnam-time instant.
    time: i64,
    activity: u32,
    /// `u32::MAX`: none.
    resource: u32,
    start: bool,
}

#[derive(Debug, Default)]
struct Open {
    events: Vec<Ev>,
    procedure: Option<usize>,
    deadline: Option<NaiveDateTime>,
    received: Option<NaiveDateTime>,
    channel: Option<Channel>,
    /// A terminal step of its procedure was seen.
    ended: bool,
}

/// Names interned as numbers.
#[derive(Debug, Default)]
struct Names {
    index: HashMap<Box<str>, u32>,
    names: Vec<Box<str>>,
}

impl Names {
    fn id(&mut self, name: &str) -> u32 {
        if let Some(&i) = self.index.get(name) {
            return i;
        }
        let i = u32::try_from(self.names.len()).unwrap_or(u32::MAX);
        self.names.push(name.into());
        self.index.insert(name.into(), i);
        i
    }
}

/// The streaming auditor: a [`Sink`] for the log readers.
pub struct Auditor<'a> {
    setup: Setup<'a>,
    activities: Names,
    resources: Names,
    variants: HashMap<Vec<u32>, u32>,
    variant_list: Vec<Vec<u32>>,
    /// Per procedure, per activity: the step it matches (`-1` none, `-2` not yet looked up).
    matches: Vec<Vec<i32>>,
    /// Step names folded, per procedure.
    step_names: Vec<HashMap<String, usize>>,
    procedure_keys: HashMap<Box<str>, Option<usize>>,
    open: HashMap<Box<str>, Open>,
    closed: HashSet<u64>,
    last_case: String,
    dossiers: Vec<Dossier>,
    events: u64,
    skipped: u64,
    first_skips: Vec<(u64, Text)>,
    latest: Option<NaiveDateTime>,
}

/// Whether reaching step `s` finishes a dossier: a `deliver` step, or a step with no way out.
pub fn is_result(graph: &FlowGraph, s: usize) -> bool {
    graph.is_terminal(s)
        || graph
            .procedure
            .steps
            .get(s)
            .is_some_and(|step| step.kind() == Some(Kind::Deliver))
}

/// A step name or activity compared: NFC, case folded, whitespace collapsed.
fn normal(text: &str) -> String {
    let lower: String = text.nfc().flat_map(char::to_lowercase).collect();
    lower.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn seconds(t: NaiveDateTime) -> i64 {
    t.and_utc().timestamp()
}

fn instant(s: i64) -> NaiveDateTime {
    DateTime::from_timestamp(s, 0)
        .map(|d| d.naive_utc())
        .unwrap_or_default()
}

fn hash(text: &str) -> u64 {
    let mut h = DefaultHasher::new();
    text.hash(&mut h);
    h.finish()
}

impl<'a> Auditor<'a> {
    pub fn new(setup: Setup<'a>) -> Auditor<'a> {
        let step_names = setup
            .graphs
            .iter()
            .map(|g| {
                g.procedure
                    .steps
                    .iter()
                    .enumerate()
                    .map(|(i, s)| (normal(&s.name), i))
                    .collect()
            })
            .collect();
        Auditor {
            matches: vec![Vec::new(); setup.graphs.len()],
            step_names,
            setup,
            activities: Names::default(),
            resources: Names::default(),
            variants: HashMap::new(),
            variant_list: Vec::new(),
            procedure_keys: HashMap::new(),
            open: HashMap::new(),
            closed: HashSet::new(),
            last_case: String::new(),
            dossiers: Vec::new(),
            events: 0,
            skipped: 0,
            first_skips: Vec::new(),
            latest: None,
        }
    }

    /// The procedure a `procedure` value names: a procedure's `code` or id.
    fn procedure_of(&mut self, value: Option<&str>) -> Option<usize> {
        if let Some(p) = self.setup.procedure {
            return Some(p);
        }
        let value = value?;
        if let Some(p) = self.procedure_keys.get(value) {
            return *p;
        }
        let wanted = normal(value);
        let found = self.setup.graphs.iter().position(|g| {
            let p = g.procedure;
            p.id == value
                || p.code.as_deref().is_some_and(|c| normal(c) == wanted)
                || normal(&p.id) == wanted
        });
        self.procedure_keys.insert(value.into(), found);
        found
    }

    /// The step of procedure `p` that activity `a` matches.
    fn step_of(&mut self, p: usize, a: u32) -> Option<usize> {
        let row = &mut self.matches[p];
        if row.len() <= a as usize {
            row.resize(a as usize + 1, -2);
        }
        if row[a as usize] == -2 {
            let name = &self.activities.names[a as usize];
            let procedure = self.setup.graphs[p].procedure;
            let found = procedure
                .step(name)
                .or_else(|| self.step_names[p].get(&normal(name)).copied())
                .or_else(|| {
                    let mapped = self
                        .setup
                        .activities
                        .iter()
                        .find(|(k, _)| normal(k) == normal(name))?;
                    procedure.step(mapped.1)
                });
            row[a as usize] = found.map_or(-1, |s| s as i32);
        }
        usize::try_from(row[a as usize]).ok()
    }

    fn record_skip(&mut self, row: u64, why: Text) {
        self.skipped += 1;
        if self.first_skips.len() < FIRST_SKIPS {
            self.first_skips.push((row, why));
        }
    }

    /// Closes every dossier still open and returns what was read.
    pub fn finish(mut self) -> Audit<'a> {
        let mut open: Vec<(Box<str>, Open)> = self.open.drain().collect();
        open.sort_by(|a, b| a.0.cmp(&b.0));
        for (case, dossier) in open {
            self.close(case, dossier);
        }
        Audit {
            graphs: self.setup.graphs,
            clock: self.setup.clock,
            dossiers: self.dossiers,
            activities: self.activities.names,
            resources: self.resources.names,
            variants: self.variant_list,
            events: self.events,
            skipped_rows: self.skipped,
            first_skips: self.first_skips,
            latest: self.latest,
        }
    }

    /// Computes a dossier from its events.
    fn close(&mut self, id: Box<str>, mut open: Open) {
        if open.events.is_empty() {
            return;
        }
        open.events.sort_by_key(|e| e.time);
        let first = instant(open.events[0].time);
        let received = open.received.unwrap_or(first);
        if self.setup.from.is_some_and(|d| received.date() < d)
            || self.setup.to.is_some_and(|d| received.date() > d)
        {
            return;
        }
        let procedure = open.procedure;
        let graph = procedure.and_then(|p| self.setup.graphs.get(p));
        let mut prev: Option<NaiveDateTime> = open.received;
        let mut starts: Vec<(u32, NaiveDateTime)> = Vec::new();
        let mut steps: Vec<StepTime> = Vec::new();
        let mut sequence: Vec<u32> = Vec::new();
        let mut matched: Vec<usize> = Vec::new();
        let mut extra: Vec<u32> = Vec::new();
        let mut sent_back_after: Vec<usize> = Vec::new();
        let mut finished: Option<NaiveDateTime> = None;
        let mut stopped: u64 = 0;
        for e in &open.events {
            let time = instant(e.time);
            if e.start {
                starts.push((e.activity, time));
                prev = Some(time);
                continue;
            }
            let duration = match starts.iter().position(|(a, _)| *a == e.activity) {
                Some(i) => Some(self.setup.clock.seconds(starts.swap_remove(i).1, time)),
                None => prev.map(|p| self.setup.clock.seconds(p, time)),
            };
            prev = Some(time);
            sequence.push(e.activity);
            let Some(p) = procedure else {
                continue;
            };
            let Some(s) = self.step_of(p, e.activity) else {
                if !extra.contains(&e.activity) {
                    extra.push(e.activity);
                }
                continue;
            };
            let step = &self.setup.graphs[p].procedure.steps[s];
            if let Some(&last) = matched.last() {
                let back = matched.contains(&s) || step.kind() == Some(Kind::Reject);
                if back && !sent_back_after.contains(&last) {
                    sent_back_after.push(last);
                }
            }
            matched.push(s);
            if !is_timed(step) {
                stopped = stopped.saturating_add(duration.unwrap_or(0));
            }
            let resource = (e.resource != u32::MAX).then_some(e.resource);
            match steps.iter_mut().find(|t| t.step == s) {
                Some(t) => {
                    t.seconds = match (t.seconds, duration) {
                        (Some(a), Some(b)) => Some(a.saturating_add(b)),
                        (a, b) => a.or(b),
                    };
                    if let Some(r) = resource
                        && !t.resources.contains(&r)
                    {
                        t.resources.push(r);
                    }
                }
                None => steps.push(StepTime {
                    step: s,
                    seconds: duration,
                    resources: resource.into_iter().collect(),
                }),
            }
            if graph.is_some_and(|g| is_result(g, s)) {
                finished = Some(time);
                break;
            }
        }
        if procedure.is_none() {
            finished = open.events.last().map(|e| instant(e.time));
        }
        let clock = &self.setup.clock;
        let deadline = open.deadline.or_else(|| {
            let limit = graph?.procedure.limit.as_ref()?.value;
            let due = clock.due(received, clock.allotted(limit));
            Some(clock.advance(due, stopped))
        });
        let settlement = finished.map(|f| clock.seconds(received, f).saturating_sub(stopped));
        let (fitting, skipped) = match (graph, finished) {
            (Some(g), Some(_)) => {
                let r = replay(g, &matched);
                let mut skipped: Vec<usize> = Vec::new();
                for s in r.skipped {
                    if !skipped.contains(&s) {
                        skipped.push(s);
                    }
                }
                (Some(r.fitting), skipped)
            }
            _ => (None, Vec::new()),
        };
        let variant = match self.variants.get(&sequence) {
            Some(&v) => v,
            None => {
                let v = u32::try_from(self.variant_list.len()).unwrap_or(u32::MAX);
                self.variant_list.push(sequence.clone());
                self.variants.insert(sequence, v);
                v
            }
        };
        self.dossiers.push(Dossier {
            id,
            procedure,
            channel: open.channel.unwrap_or_default(),
            received,
            finished,
            deadline,
            settlement,
            stopped,
            variant,
            steps,
            extra,
            fitting,
            skipped,
            sent_back_after,
        });
    }
}

impl Sink for Auditor<'_> {
    fn event(&mut self, event: &Event) {
        // The log moved on: the previous dossier closes if it reached its result.
        if self.last_case != event.case {
            if !self.last_case.is_empty()
                && self
                    .open
                    .get(self.last_case.as_str())
                    .is_some_and(|o| o.ended)
                && let Some((case, open)) = self.open.remove_entry(self.last_case.as_str())
            {
                self.closed.insert(hash(&case));
                self.close(case, open);
            }
            self.last_case.clear();
            self.last_case.push_str(event.case);
        }
        if !self.closed.is_empty() && self.closed.contains(&hash(event.case)) {
            return self.record_skip(
                event.row,
                Text::new(
                    format!(
                        "an event of dossier {} after its result, apart from its other events",
                        event.case
                    ),
                    format!(
                        "sự kiện của hồ sơ {} sau khi đã trả kết quả, nằm tách khỏi các sự kiện khác của hồ sơ",
                        event.case
                    ),
                ),
            );
        }
        self.events += 1;
        if self.latest.is_none_or(|l| event.time > l) {
            self.latest = Some(event.time);
        }
        let activity = self.activities.id(event.activity);
        let resource = event.resource.map_or(u32::MAX, |r| self.resources.id(r));
        if !self.open.contains_key(event.case) {
            self.open.insert(event.case.into(), Open::default());
        }
        let procedure = match self.open.get(event.case).and_then(|o| o.procedure) {
            Some(p) => Some(p),
            None => self.procedure_of(event.procedure),
        };
        let terminal = match procedure {
            Some(p) if event.lifecycle == Lifecycle::Complete => self
                .step_of(p, activity)
                .is_some_and(|s| is_result(&self.setup.graphs[p], s)),
            _ => false,
        };
        let Some(open) = self.open.get_mut(event.case) else {
            return;
        };
        open.procedure = procedure;
        open.ended |= terminal;
        open.deadline = open.deadline.or(event.deadline);
        open.received = open.received.or(event.received);
        open.channel = open.channel.or(event.channel);
        open.events.push(Ev {
            time: seconds(event.time),
            activity,
            resource,
            start: event.lifecycle == Lifecycle::Start,
        });
    }

    fn skip(&mut self, row: u64, why: Text) {
        self.record_skip(row, why);
    }
}

//! The per-dossier computation: events gathered by dossier (streamed: a dossier is closed as
//! soon as the log moves on after its result), then, for each dossier, R, F, D, settlement
//! time, per-step durations with their resources, the variant and the conformance.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, NaiveDate, NaiveDateTime};
use unicode_normalization::UnicodeNormalization;

use super::columns::Channel;
use super::read::{Batch, Event, Item, Lifecycle, Sink, Stamped, case_hash};
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

/// An event kept while its dossier is open.
type Ev = Stamped;

/// A dossier being read.
#[derive(Debug, Default)]
struct Open {
    /// Its number; `None` for a free place of the [`Slab`].
    id: Option<Box<str>>,
    /// [`case_hash`] of its number.
    hash: u64,
    events: Vec<Ev>,
    procedure: Option<usize>,
    deadline: Option<NaiveDateTime>,
    received: Option<NaiveDateTime>,
    channel: Option<Channel>,
    /// A terminal step of its procedure was seen.
    ended: bool,
}

/// The hashing of the maps keyed by log text: seeded per run, so a crafted log cannot make
/// them quadratic, and faster than the standard one.
type Hashing = foldhash::quality::RandomState;

/// The places of the dossiers being read, in chunks that never move (the memory of a dossier
/// is written once, not copied as a single vector would be when it grows); a place freed by a
/// closed dossier is used again.
#[derive(Debug, Default)]
struct Slab {
    chunks: Vec<Vec<Open>>,
    free: Vec<usize>,
}

/// Places per chunk of a [`Slab`].
const SLAB_CHUNK: usize = 1 << 16;

impl Slab {
    fn get(&self, i: usize) -> &Open {
        &self.chunks[i / SLAB_CHUNK][i % SLAB_CHUNK]
    }

    fn get_mut(&mut self, i: usize) -> &mut Open {
        &mut self.chunks[i / SLAB_CHUNK][i % SLAB_CHUNK]
    }

    fn insert(&mut self, open: Open) -> usize {
        if let Some(i) = self.free.pop() {
            *self.get_mut(i) = open;
            return i;
        }
        if self.chunks.last().is_none_or(|c| c.len() == SLAB_CHUNK) {
            self.chunks.push(Vec::with_capacity(SLAB_CHUNK));
        }
        let c = self.chunks.len() - 1;
        let chunk = &mut self.chunks[c];
        chunk.push(open);
        c * SLAB_CHUNK + chunk.len() - 1
    }

    fn remove(&mut self, i: usize) -> Open {
        self.free.push(i);
        std::mem::take(self.get_mut(i))
    }
}

/// Names interned as numbers.
#[derive(Debug, Default)]
struct Names {
    index: HashMap<Box<str>, u32, Hashing>,
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
    variants: HashMap<Vec<u32>, u32, Hashing>,
    variant_list: Vec<Vec<u32>>,
    /// Per procedure, per activity: the step it matches (`-1` none, `-2` not yet looked up).
    matches: Vec<Vec<i32>>,
    /// Step names folded, per procedure.
    step_names: Vec<HashMap<String, usize>>,
    procedure_keys: HashMap<Box<str>, Option<usize>>,
    /// The dossiers being read, and their places in `slab` by the hash of their numbers.
    slab: Slab,
    open: hashbrown::HashTable<(u64, usize)>,
    /// The place of the dossier of the last event.
    current: Option<usize>,
    closed: HashSet<u64, Hashing>,
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

fn instant(s: i64) -> NaiveDateTime {
    DateTime::from_timestamp(s, 0)
        .map(|d| d.naive_utc())
        .unwrap_or_default()
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
            variants: HashMap::default(),
            variant_list: Vec::new(),
            procedure_keys: HashMap::new(),
            slab: Slab::default(),
            open: hashbrown::HashTable::new(),
            current: None,
            closed: HashSet::default(),
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

    /// The step of procedure `p` that activity `a` matches, remembered.
    fn step_of(&mut self, p: usize, a: u32) -> Option<usize> {
        let found = self.step(p, a);
        let row = &mut self.matches[p];
        if row.len() <= a as usize {
            row.resize(a as usize + 1, -2);
        }
        row[a as usize] = found.map_or(-1, |s| s as i32);
        found
    }

    /// The step of procedure `p` that activity `a` matches: as remembered, else looked up.
    fn step(&self, p: usize, a: u32) -> Option<usize> {
        match self.matches.get(p).and_then(|row| row.get(a as usize)) {
            Some(&m) if m != -2 => return usize::try_from(m).ok(),
            _ => {}
        }
        let name = &self.activities.names[a as usize];
        let procedure = self.setup.graphs[p].procedure;
        procedure
            .step(name)
            .or_else(|| self.step_names[p].get(&normal(name)).copied())
            .or_else(|| {
                let mapped = self
                    .setup
                    .activities
                    .iter()
                    .find(|(k, _)| normal(k) == normal(name))?;
                procedure.step(mapped.1)
            })
    }

    fn record_skip(&mut self, row: u64, why: Text) {
        self.skipped += 1;
        if self.first_skips.len() < FIRST_SKIPS {
            self.first_skips.push((row, why));
        }
    }

    /// Closes every dossier still open and returns what was read. They are computed on every
    /// core, and added in the order of their numbers.
    pub fn finish(mut self) -> Audit<'a> {
        use rayon::prelude::*;
        self.open = hashbrown::HashTable::new();
        self.current = None;
        let mut slab = std::mem::take(&mut self.slab);
        // By number: first by the first 16 bytes as one integer, which orders as the text.
        let prefix = |s: &str| {
            let mut k = [0u8; 16];
            let n = s.len().min(16);
            k[..n].copy_from_slice(&s.as_bytes()[..n]);
            u128::from_be_bytes(k)
        };
        let mut order: Vec<(u128, usize)> = Vec::new();
        for (c, chunk) in slab.chunks.iter().enumerate() {
            for (j, open) in chunk.iter().enumerate() {
                if let Some(id) = &open.id {
                    order.push((prefix(id), c * SLAB_CHUNK + j));
                }
            }
        }
        {
            let slab = &slab;
            order.par_sort_unstable_by(|x, y| {
                x.0.cmp(&y.0)
                    .then_with(|| slab.get(x.1).id.cmp(&slab.get(y.1).id))
            });
        }
        // The dossiers are written in place by the threads that compute them; their variants
        // are then numbered in order.
        let mut dossiers = std::mem::take(&mut self.dossiers);
        dossiers.reserve(order.len());
        let mut sequences: Vec<Vec<u32>> = Vec::new();
        let mut chunk: Vec<Open> = Vec::new();
        for places in order.chunks(1 << 16) {
            chunk.extend(places.iter().map(|&(_, i)| std::mem::take(slab.get_mut(i))));
            let this = &self;
            chunk.retain(|open| this.kept(open));
            sequences.clear();
            sequences.resize_with(chunk.len(), Vec::new);
            let start = dossiers.len();
            dossiers.par_extend(chunk.par_drain(..).zip(sequences.par_iter_mut()).map(
                |(open, sequence)| {
                    let (dossier, s) = this.dossier(open);
                    *sequence = s;
                    dossier
                },
            ));
            for (dossier, sequence) in dossiers[start..].iter_mut().zip(sequences.drain(..)) {
                dossier.variant = self.variant(sequence);
            }
        }
        drop(slab);
        Audit {
            graphs: self.setup.graphs,
            clock: self.setup.clock,
            dossiers,
            activities: self.activities.names,
            resources: self.resources.names,
            variants: self.variant_list,
            events: self.events,
            skipped_rows: self.skipped,
            first_skips: self.first_skips,
            latest: self.latest,
        }
    }

    /// Computes a dossier from its events and adds it.
    fn close(&mut self, open: Open) {
        if let Some((dossier, sequence)) = self.compute(open) {
            self.register(dossier, sequence);
        }
    }

    /// Adds a computed dossier, its variant numbered in the order dossiers are added.
    fn register(&mut self, mut dossier: Dossier, sequence: Vec<u32>) {
        dossier.variant = self.variant(sequence);
        self.dossiers.push(dossier);
    }

    /// The number of a variant, numbered in the order they are first met.
    fn variant(&mut self, sequence: Vec<u32>) -> u32 {
        match self.variants.get(&sequence) {
            Some(&v) => v,
            None => {
                let v = u32::try_from(self.variant_list.len()).unwrap_or(u32::MAX);
                self.variant_list.push(sequence.clone());
                self.variants.insert(sequence, v);
                v
            }
        }
    }

    /// Counted seconds from `a` to an event's second `b` (since 1970).
    fn between(&self, a: At, b: i64) -> u64 {
        match (a, &self.setup.clock) {
            (At::Second(a), Clock::Elapsed) => u64::try_from(b.saturating_sub(a)).unwrap_or(0),
            (At::Second(a), clock) => clock.seconds(instant(a), instant(b)),
            (At::Exact(a), clock) => clock.seconds(a, instant(b)),
        }
    }

    /// A dossier from its events, and its activity sequence; `None` when it has no event or
    /// was received outside the window.
    fn compute(&self, open: Open) -> Option<(Dossier, Vec<u32>)> {
        self.kept(&open).then(|| self.dossier(open))
    }

    /// Whether a dossier has events and was received in the window.
    fn kept(&self, open: &Open) -> bool {
        if open.events.is_empty() {
            return false;
        }
        if self.setup.from.is_none() && self.setup.to.is_none() {
            return true;
        }
        let first = open.events.iter().map(Ev::time).min().unwrap_or(0);
        let received = open.received.unwrap_or_else(|| instant(first));
        !(self.setup.from.is_some_and(|d| received.date() < d)
            || self.setup.to.is_some_and(|d| received.date() > d))
    }

    /// A dossier (that [`Auditor::kept`] keeps) from its events, and its activity sequence.
    fn dossier(&self, mut open: Open) -> (Dossier, Vec<u32>) {
        let id = open.id.take().unwrap_or_default();
        open.events.sort_by_key(Ev::time);
        let first = instant(open.events.first().map_or(0, Ev::time));
        let received = open.received.unwrap_or(first);
        let procedure = open.procedure;
        let graph = procedure.and_then(|p| self.setup.graphs.get(p));
        let mut walk = self.walk(&open, procedure);
        let finished = match procedure {
            None => open.events.last().map(|e| instant(e.time())),
            Some(_) => walk.finished,
        };
        let clock = &self.setup.clock;
        let stopped = walk.stopped;
        let deadline = open.deadline.or_else(|| {
            let limit = graph?.procedure.limit.as_ref()?.value;
            let due = clock.due(received, clock.allotted(limit));
            Some(clock.advance(due, stopped))
        });
        let settlement = finished.map(|f| clock.seconds(received, f).saturating_sub(stopped));
        let (fitting, skipped) = match (graph, finished) {
            (Some(g), Some(_)) => {
                let r = replay(g, &walk.matched);
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
        let dossier = Dossier {
            id,
            procedure,
            channel: open.channel.unwrap_or_default(),
            received,
            finished,
            deadline,
            settlement,
            stopped,
            variant: 0,
            steps: std::mem::take(&mut walk.steps),
            extra: walk.extra,
            fitting,
            skipped,
            sent_back_after: walk.sent_back_after,
        };
        (dossier, walk.sequence)
    }

    /// Walks a dossier's events (sorted) up to its result: step times, sequence, matching.
    fn walk(&self, open: &Open, procedure: Option<usize>) -> Walk {
        let mut w = Walk {
            sequence: Vec::with_capacity(open.events.len()),
            ..Walk::default()
        };
        let mut prev: Option<At> = open.received.map(At::Exact);
        let mut starts: Vec<(u32, i64)> = Vec::new();
        for e in &open.events {
            let time = e.time();
            if e.start() {
                starts.push((e.activity, time));
                prev = Some(At::Second(time));
                continue;
            }
            let duration = match starts.iter().position(|(a, _)| *a == e.activity) {
                Some(i) => Some(self.between(At::Second(starts.swap_remove(i).1), time)),
                None => prev.map(|p| self.between(p, time)),
            };
            prev = Some(At::Second(time));
            w.sequence.push(e.activity);
            let Some(p) = procedure else {
                continue;
            };
            let Some(s) = self.step(p, e.activity) else {
                if !w.extra.contains(&e.activity) {
                    w.extra.push(e.activity);
                }
                continue;
            };
            let graph = &self.setup.graphs[p];
            if w.add(graph, s, duration, e.resource) {
                w.finished = Some(instant(time));
                break;
            }
        }
        w
    }
}

/// Where a step's time starts: an instant as read (`received`), or an event's second.
#[derive(Clone, Copy)]
enum At {
    Exact(NaiveDateTime),
    Second(i64),
}

/// What walking a dossier's events gives.
#[derive(Default)]
struct Walk {
    steps: Vec<StepTime>,
    sequence: Vec<u32>,
    matched: Vec<usize>,
    extra: Vec<u32>,
    sent_back_after: Vec<usize>,
    finished: Option<NaiveDateTime>,
    stopped: u64,
}

impl Walk {
    /// Adds a visit of step `s` of `graph`; `true` when it is a result step.
    fn add(&mut self, graph: &FlowGraph, s: usize, duration: Option<u64>, resource: u32) -> bool {
        let step = &graph.procedure.steps[s];
        if let Some(&last) = self.matched.last() {
            let back = self.matched.contains(&s) || step.kind() == Some(Kind::Reject);
            if back && !self.sent_back_after.contains(&last) {
                self.sent_back_after.push(last);
            }
        }
        self.matched.push(s);
        if !is_timed(step) {
            self.stopped = self.stopped.saturating_add(duration.unwrap_or(0));
        }
        let resource = (resource != u32::MAX).then_some(resource);
        match self.steps.iter_mut().find(|t| t.step == s) {
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
            None => self.steps.push(StepTime {
                step: s,
                seconds: duration,
                resources: resource.into_iter().collect(),
            }),
        }
        is_result(graph, s)
    }
}

/// What an event adds to its dossier, its names numbered.
struct Step<'e> {
    time: NaiveDateTime,
    activity: u32,
    resource: u32,
    lifecycle: Lifecycle,
    procedure: Option<&'e str>,
    deadline: Option<NaiveDateTime>,
    received: Option<NaiveDateTime>,
    channel: Option<Channel>,
}

impl Auditor<'_> {
    /// Makes `case` (whose [`case_hash`] `hash` gives) the dossier being read. When the log
    /// moves on to another dossier, the one it leaves closes if it reached its result.
    /// `false`: the event is a counted skip (its dossier is closed).
    fn enter(&mut self, case: &str, hash: impl FnOnce() -> u64, row: u64) -> bool {
        if let Some(c) = self.current {
            if self.slab.get(c).id.as_deref() == Some(case) {
                return true;
            }
            self.current = None;
            if self.slab.get(c).ended {
                let h = self.slab.get(c).hash;
                if let Ok(entry) = self.open.find_entry(h, |&(_, i)| i == c) {
                    entry.remove();
                }
                let open = self.slab.remove(c);
                self.closed.insert(h);
                self.close(open);
            }
        }
        let hash = hash();
        if !self.closed.is_empty() && self.closed.contains(&hash) {
            self.record_skip(
                row,
                Text::new(
                    format!(
                        "an event of dossier {case} after its result, apart from its other events"
                    ),
                    format!(
                        "sự kiện của hồ sơ {case} sau khi đã trả kết quả, nằm tách khỏi các sự kiện khác của hồ sơ"
                    ),
                ),
            );
            return false;
        }
        let slab = &self.slab;
        let found = self
            .open
            .find(hash, |&(h, i)| {
                h == hash && slab.get(i).id.as_deref() == Some(case)
            })
            .map(|&(_, i)| i);
        let place = match found {
            Some(i) => i,
            None => {
                let i = self.slab.insert(Open {
                    id: Some(case.into()),
                    hash,
                    ..Open::default()
                });
                // Each entry holds its hash: growing the table does not visit the dossiers.
                self.open.insert_unique(hash, (hash, i), |&(h, _)| h);
                i
            }
        };
        self.current = Some(place);
        true
    }

    /// Adds an event to the dossier being read.
    fn push(&mut self, step: Step) {
        let event = Ev::new(step.time, step.lifecycle, step.activity, step.resource);
        self.note(step);
        if let Some(place) = self.current {
            self.slab.get_mut(place).events.push(event);
        }
    }

    /// Adds the events of a run of rows to the dossier being read.
    fn append(&mut self, run: Vec<Ev>) {
        let Some(place) = self.current else {
            return;
        };
        let events = &mut self.slab.get_mut(place).events;
        if events.is_empty() {
            *events = run;
        } else {
            events.extend_from_slice(&run);
        }
    }

    /// What an event tells of the dossier being read, but the event itself.
    fn note(&mut self, step: Step) {
        self.events += 1;
        if self.latest.is_none_or(|l| step.time > l) {
            self.latest = Some(step.time);
        }
        let Some(place) = self.current else {
            return;
        };
        let known = self.slab.get(place).procedure;
        let procedure = match known {
            Some(p) => Some(p),
            None => self.procedure_of(step.procedure),
        };
        let terminal = match procedure {
            Some(p) if step.lifecycle == Lifecycle::Complete => self
                .step_of(p, step.activity)
                .is_some_and(|s| is_result(&self.setup.graphs[p], s)),
            _ => false,
        };
        let open = self.slab.get_mut(place);
        open.procedure = procedure;
        open.ended |= terminal;
        open.deadline = open.deadline.or(step.deadline);
        open.received = open.received.or(step.received);
        open.channel = open.channel.or(step.channel);
    }
}

impl Sink for Auditor<'_> {
    fn event(&mut self, event: &Event) {
        if !self.enter(event.case, || case_hash(event.case), event.row) {
            return;
        }
        let activity = self.activities.id(event.activity);
        let resource = event.resource.map_or(u32::MAX, |r| self.resources.id(r));
        self.push(Step {
            time: event.time,
            activity,
            resource,
            lifecycle: event.lifecycle,
            procedure: event.procedure,
            deadline: event.deadline,
            received: event.received,
            channel: event.channel,
        });
    }

    fn skip(&mut self, row: u64, why: Text) {
        self.record_skip(row, why);
    }

    /// As event by event, with each name of the batch looked up once.
    fn batch(&mut self, batch: &Batch) {
        let mut activities = vec![u32::MAX; batch.names()];
        let mut resources = vec![u32::MAX; batch.names()];
        let number = |names: &mut Names, ids: &mut [u32], i: usize| match ids.get(i) {
            Some(&id) if id != u32::MAX => id,
            Some(_) => {
                let id = names.id(batch.name(i).unwrap_or(""));
                ids[i] = id;
                id
            }
            None => u32::MAX,
        };
        // The run of rows of the dossier being read, once entered.
        let mut entered = None;
        for item in &batch.items {
            let row = match item {
                Item::Event(row) => row,
                Item::Skip(row, why) => {
                    self.record_skip(*row, why.clone());
                    continue;
                }
            };
            if entered != Some(row.case) {
                entered = None;
                let hash = || batch.case_hash(row);
                if !self.enter(batch.case(row), hash, row.row) {
                    continue;
                }
                entered = Some(row.case);
                // The run's events, numbered as the rows would number their names one by one.
                let mut run = batch.take_run(row);
                for e in &mut run {
                    e.activity = number(&mut self.activities, &mut activities, e.activity as usize);
                    e.resource = number(&mut self.resources, &mut resources, e.resource as usize);
                }
                self.append(run);
            }
            let activity = number(&mut self.activities, &mut activities, row.activity);
            let resource = number(&mut self.resources, &mut resources, row.resource);
            self.note(Step {
                time: row.time,
                activity,
                resource,
                lifecycle: row.lifecycle,
                procedure: batch.name(row.procedure),
                deadline: row.deadline,
                received: row.received,
                channel: row.channel,
            });
        }
    }
}

//! Audit of dossier logs (AUDIT.md): read the one-stop system's log, compute each dossier,
//! and add the dossiers up into the figures of Decision 766/QĐ-TTg.
//!
//! # The library, in three calls
//!
//! ```text
//! let graphs: Vec<FlowGraph> = model.procedures.iter().map(FlowGraph::new).collect();
//! let setup = Setup { graphs: &graphs, clock: Clock::Working(WorkingCalendar::new(&config.calendar)),
//!                     activities, procedure: None, from: None, to: None };
//! let audit: Audit = audit::read(path, &ReadOptions::default(), setup)?;   // streamed
//! let figures: figures::Report = audit::figures::report(&audit, as_of);    // AUDIT.md figures
//! ```
//!
//! - [`read::read_path`] streams a log (CSV `,` `;` tab / `.csv.gz` / XLSX / XES / `.xes.gz`)
//!   into any [`read::Sink`] as [`read::Event`]s: case, activity, time in Vietnam time,
//!   resource, lifecycle, and the case attributes `procedure`, `deadline`, `received`,
//!   `channel`. Unreadable rows are handed to [`read::Sink::skip`] with their row number.
//!   Columns are found by header ([`columns`]); times are read by [`instant`].
//! - [`Auditor`] is the sink that gathers events by dossier and closes each dossier as soon
//!   as the log moves on after its result (or at the end of the log); [`Auditor::finish`]
//!   gives the [`Audit`]: one [`Dossier`] per dossier received in the `--from`/`--to` window,
//!   the interned activity and resource names, the variants, the skipped rows and the latest
//!   event (the default as-of).
//! - A [`Dossier`] holds everything a report needs: `id`, `procedure` (index into
//!   `Audit::graphs`, `None` when unmatched), `channel`, `received` R, `finished` F
//!   (`None`: in progress), `deadline` D, `settlement` (counted seconds R→F less the time
//!   stopped for the citizen), `steps` (per step passed: counted seconds, visits added, and
//!   the resources, indices into `Audit::resources`), `extra` activities, `fitting`,
//!   `skipped` steps. Its methods: [`Dossier::status`] (on time / late / finished without a
//!   deadline / in progress), [`Dossier::overdue`], [`Dossier::owes_apology`],
//!   [`Dossier::hours_late`], [`Dossier::overrun`] (the step with the largest overrun),
//!   [`Dossier::agencies`] (the agencies whose steps it passed).
//! - [`figures::report`] adds the dossiers up per procedure, per agency (by agency id),
//!   unmatched and in total; [`figures::Tally`] adds any subset of dossiers (a month, an
//!   agency) into the same [`figures::Figures`], so a report over the same dossiers gives
//!   the same numbers as the audit.
//!
//! # Time semantics
//!
//! Events of a dossier are ordered by time (equal times keep the log's order). R is the
//! `received` value, else the first event; F, with a procedure, the first event of a result
//! step (`deliver`, or a step with no way out) — events after it are not counted — and
//! without one, the last event. A step's time is complete − start with lifecycle pairs,
//! else the time from the dossier's previous event (from R for the first event when the log
//! has `received`, else unknown); visits add up. Time is counted by [`Clock`]: working
//! seconds on the project's calendar, or elapsed seconds (`24x7`, where an allotment of one
//! working day counts as 24 hours). D is the `deadline` value, else `due(R, limit)` moved
//! later by the time spent in steps that stop the clock — `supplement` steps, steps `by
//! citizen`, and steps without `takes`, as for `due` and `simulate` (the clock is stopped
//! while the dossier waits for the citizen); settlement time is R→F less that same time. On time: F ≤ D. These are the simulation's semantics too (`simulate --log`).

mod blocks;
pub mod columns;
pub mod dossier;
pub mod figures;
pub mod html;
pub mod instant;
pub mod json;
pub mod read;
pub mod replay;

pub use columns::{Channel, Key};
pub use dossier::{Audit, Auditor, Clock, Dossier, Setup, Status, StepTime, is_result};
pub use read::{Event, Lifecycle, LogError, ReadOptions, Sink};

use std::path::Path;

/// Reads the log at `path` and computes every dossier.
pub fn read<'a>(
    path: &Path,
    options: &ReadOptions,
    setup: Setup<'a>,
) -> Result<Audit<'a>, LogError> {
    let mut auditor = Auditor::new(setup);
    read::read_path(path, options, &mut auditor)?;
    Ok(auditor.finish())
}

/// Computes every dossier of a log already in memory (for tests and tools).
pub fn read_bytes<'a>(
    format: read::Format,
    bytes: &[u8],
    options: &ReadOptions,
    setup: Setup<'a>,
) -> Result<Audit<'a>, LogError> {
    let mut auditor = Auditor::new(setup);
    read::read_stream(format, bytes, options, &mut auditor)?;
    Ok(auditor.finish())
}

//! Speed of the simulation and of the calendar's due instants.
//!
//! `cargo bench --bench simulate` simulates a year of `benches/busy.proc` (4,400 dossiers a
//! month: 52,800 dossiers, about 1.1 million dossier-steps) a few times on one thread and
//! prints the best and median times, then times `WorkingCalendar::due`. BENCHMARKS.md records
//! the figures.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use chrono::{NaiveDate, NaiveDateTime};
use quytrinh::calendar::WorkingCalendar;
use quytrinh::graph::FlowGraph;
use quytrinh::project;
use quytrinh::simulate::{BranchSetting, Options, WorkingDay, simulate};

const RUNS: usize = 7;
/// A year of the busy procedure.
const DOSSIERS: u64 = 52_800;

fn main() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("benches/busy.proc");
    let workspace = project::load(&[path], None).expect("benches/busy.proc reads");
    let project = workspace.projects.first().expect("one project");
    let procedure = project.model.procedures.first().expect("one procedure");
    let graph = FlowGraph::new(procedure);
    let day = WorkingDay::of(&project.config.calendar).expect("working time");
    let options = Options {
        dossiers: DOSSIERS,
        seed: 1,
        branches: ["doc:thong_bao=0.1", "tp_xem:tu_choi=0.05"]
            .iter()
            .map(|b| BranchSetting::parse(b).expect("a branch setting"))
            .collect(),
    };

    let mut times = Vec::with_capacity(RUNS);
    let mut steps = 0;
    for _ in 0..RUNS {
        let start = Instant::now();
        let report = simulate(black_box(&graph), day, black_box(&options)).expect("simulates");
        times.push(start.elapsed());
        steps = report.dossier_steps;
    }
    times.sort();
    let best = times[0];
    let median = times[RUNS / 2];
    println!(
        "simulate: {DOSSIERS} dossiers, {steps} dossier-steps: best {:.3} s, median {:.3} s \
         ({:.1} million dossier-steps/s at the median)",
        best.as_secs_f64(),
        median.as_secs_f64(),
        steps as f64 / median.as_secs_f64() / 1e6
    );

    due_per_call();
}

/// `WorkingCalendar::due` over receipts spread across 2023–2027 and limits up to 30 days.
fn due_per_call() {
    let calendar = WorkingCalendar::default();
    let origin = NaiveDate::from_ymd_opt(2023, 1, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .expect("a date");
    let receipts: Vec<(NaiveDateTime, u64)> = (0..10_000u64)
        .map(|i| {
            let minutes = (i * 7_919) % (5 * 365 * 24 * 60);
            (
                origin + chrono::Duration::minutes(minutes as i64),
                (i * 131) % (30 * 480),
            )
        })
        .collect();
    // Build the years once, as a long-running process would.
    for &(received, limit) in &receipts {
        black_box(calendar.due(received, limit));
    }
    let mut best = Duration::MAX;
    for _ in 0..RUNS {
        let start = Instant::now();
        for _ in 0..100 {
            for &(received, limit) in &receipts {
                black_box(calendar.due(black_box(received), black_box(limit)));
            }
        }
        best = best.min(start.elapsed());
    }
    let calls = 100 * receipts.len();
    println!(
        "calendar due: {:.0} ns per call (best of {RUNS} runs of {calls} calls)",
        best.as_nanos() as f64 / calls as f64
    );
}

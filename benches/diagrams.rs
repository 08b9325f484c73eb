//! How fast the four pictures of a long procedure are laid out and written: the 300-step
//! procedure of `benches/long_300/` (made by `python3 /work/shared/bench/gen_long.py
//! benches/long_300 300`: a long chain with parallel blocks of three branches and
//! decisions), its diagram model built and laid out once, then written as BPMN, SVG, DOT
//! and Mermaid. Run with `cargo bench --bench diagrams`; BENCHMARKS.md records the figures.

use std::path::PathBuf;
use std::time::Instant;

use quytrinh::analysis::analyse;
use quytrinh::emit::diagram::{self, Diagram};
use quytrinh::emit::{Engine, bpmn_of};
use quytrinh::project;

fn main() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("benches/long_300");
    let ws = project::load(&[dir], None).expect("the benchmark project");
    let today = chrono::NaiveDate::from_ymd_opt(2023, 11, 1).expect("a date");
    let project = ws.projects.first().expect("one project");
    let analysis = analyse(project, today);
    let g = analysis.asked().next().expect("one procedure");
    let steps = g.procedure.steps.len();
    let mut times = Vec::new();
    let mut layout_times = Vec::new();
    let mut bytes = 0;
    for _ in 0..21 {
        let start = Instant::now();
        let d = Diagram::new(g, &analysis.diagnostics);
        let laid_out = start.elapsed();
        let texts = [
            bpmn_of(g, &d, Engine::Zeebe),
            diagram::render_svg(g, &d),
            diagram::dot_of(g, &d),
            diagram::mermaid_of(g, &d),
        ];
        times.push(start.elapsed().as_secs_f64() * 1e3);
        layout_times.push(laid_out.as_secs_f64() * 1e3);
        bytes = texts.iter().map(String::len).sum();
    }
    times.sort_by(f64::total_cmp);
    layout_times.sort_by(f64::total_cmp);
    println!(
        "{steps} steps, {} model nodes: model + layout + BPMN, SVG, DOT, Mermaid ({} KiB) \
         best {:.1} ms, median {:.1} ms (model + layout alone: median {:.1} ms)",
        Diagram::new(g, &analysis.diagnostics).model.nodes.len(),
        bytes / 1024,
        times[0],
        times[times.len() / 2],
        layout_times[layout_times.len() / 2],
    );
}
